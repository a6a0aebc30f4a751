"""The review's reader (core.review.lean) reads every cell as the storage layer reads it, whatever
the cell holds, and whatever the file's tables look like.

The reader asks SQLite for a whole table as one JSON array (not value by value); these tests put
text into every column that JSON must carry back unchanged — quotes, backslashes, control
characters, line and paragraph separators, characters outside the BMP, text that looks like JSON or
a number — and compare the report read that way with the storage layer's ``load_report``, field for
field and type for type. A value JSON cannot hold (a BLOB) is read row by row instead, and the file
lists as before. Files of different formats read in one process each get their own columns.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
from pathlib import Path
from typing import Any

from core.model import Indicator, Report
from core.review.scan import Index, scan
from core.schema import ROW_TYPES, STORAGE_TABLES, Table

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from review_bench import as_older, build_report, write_fast  # noqa: E402

AWKWARD = (
    'say "当然" \\ and \\" too',
    "tab\tnew line\nreturn\rend",
    "\x01\x02\x1f\x7f control",
    "line\u2028para\u2029sep",
    "🙂 𠀀 outside the BMP",
    '[1, 2, {"a": null}]',
    "1e5",
    "-0",
    "  spaces kept  ",
    "null",
    "\\u0041 is not A",
)


def awkward_report(n: int) -> Report:
    """A generated report (review_bench's) whose first project holds AWKWARD text in every text column
    of every row table, and a 不适用 and a 其中 flag set."""
    report = build_report(n, projects=3, per=len(AWKWARD))
    form = report.forms[1]
    for i, ind in enumerate(form.indicators):
        for f in dataclasses.fields(Indicator):
            if isinstance(getattr(ind, f.name), str):
                setattr(ind, f.name, AWKWARD[(i + len(f.name)) % len(AWKWARD)])
    form.indicators[0].not_applicable = True
    form.indicators[1].breakdown = True
    for i, goal in enumerate(form.goals):
        goal.goal, goal.achieved = AWKWARD[i % len(AWKWARD)], AWKWARD[-1 - i % len(AWKWARD)]
    form.name = AWKWARD[0]
    return report


def typed(report: Report) -> list[Any]:
    """Every value of every row of every form, with its type (== alone takes 0 for False)."""
    out: list[Any] = []
    for form in report.forms:
        for table in ROW_TYPES:
            for row in form.rows(table):
                out.append([(v, type(v)) for v in dataclasses.astuple(row)])
    return out


def read_both(path: Path) -> tuple[Report, Report]:
    """The report read by the review's reader and by the storage layer."""
    from core.review.lean import read_report
    from core.storage import repository as repo
    from core.storage.database import Database

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return read_report(conn), repo.load_report(Database(conn))
    finally:
        conn.close()


def read_lean(path: Path) -> Report:
    from core.review.lean import read_report
    from core.review.readonly import connect_readonly

    conn = connect_readonly(path)
    try:
        return read_report(conn)
    finally:
        conn.close()


def test_awkward_text_reads_back_as_the_storage_layer_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "awkward.zpdb"
    write_fast(awkward_report(1), path)
    mine, theirs = read_both(path)
    assert mine == theirs
    assert typed(mine) == typed(theirs)
    cells = {v for row in typed(mine) for v, _t in row}
    assert set(AWKWARD) <= cells  # every awkward text is there, as typed
    assert mine.forms[1].indicators[0].not_applicable is True
    assert mine.forms[1].indicators[1].breakdown is True


def test_null_cells_read_as_blank_as_the_storage_layer_reads_them(tmp_path: Path) -> None:
    """A NULL where the program writes "" (rows of a file upgraded in place: the columns a migration
    added are NULL in the rows it found; or a file another program touched) reads as blank text and a
    NULL flag as not set, as load_report reads them (the reader's COALESCE; a reader that asked for the
    columns bare, as an optimisation, would have to notice the NULLs in what comes back)."""
    path = tmp_path / "nulls.zpdb"
    write_fast(build_report(3, projects=3, per=6), path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            f"UPDATE {STORAGE_TABLES[Table.INDICATORS]} SET brief = NULL, deduction = NULL, "
            "deviation_note = NULL, breakdown = NULL WHERE position % 2 = 0"
        )
        conn.execute(f"UPDATE {STORAGE_TABLES[Table.FUNDS]} SET initial = NULL WHERE position = 0")
        conn.execute(f"UPDATE {STORAGE_TABLES[Table.GOALS]} SET achieved = NULL")
    conn.close()
    mine, theirs = read_both(path)
    assert mine == theirs
    assert typed(mine) == typed(theirs)
    rows = [ind for form in mine.forms for ind in form.indicators]
    assert rows and all(ind.brief == "" and ind.breakdown is False for ind in rows[::6])
    assert None not in {v for row in typed(mine) for v, _t in row}


def test_a_blob_in_a_cell_is_read_row_by_row_and_the_report_lists(tmp_path: Path) -> None:
    """JSON cannot hold a BLOB: such a table is read value by value, as before, and the report is
    listed with the figures and counts of the same report without the BLOB (a 复核意见 no figure and
    no rule reads)."""
    folder = tmp_path / "set"
    folder.mkdir()
    plain, blob = folder / "plain.zpdb", tmp_path / "blob.zpdb"
    write_fast(build_report(2, projects=3, per=5), plain)
    write_fast(build_report(2, projects=3, per=5), blob)
    conn = sqlite3.connect(blob)
    conn.execute(f"UPDATE {STORAGE_TABLES[Table.INDICATORS]} SET review_note = x'00ff10' WHERE position = 1")
    conn.commit()
    conn.close()
    listed = scan([folder], index=Index(tmp_path / "i.sqlite"), workers=1).reports
    plain.unlink()
    blob.rename(folder / "plain.zpdb")  # the same name: the lists compare as they are
    with_blob = scan([folder], index=Index(tmp_path / "j.sqlite"), workers=1)
    assert not with_blob.refused
    assert with_blob.reports == listed


def test_files_of_two_formats_in_one_process_each_read_with_their_own_columns(tmp_path: Path) -> None:
    """The reader remembers a schema's columns by the schema's text: a current file, then the same
    report as storage version 2 wrote it (no 项目编码 or 业务处室, five indicator columns fewer), then
    the current one again: each reads as the storage layer reads it."""
    current, older = tmp_path / "current.zpdb", tmp_path / "older.zpdb"
    report = build_report(3, projects=3, per=4)
    report.forms[1].code, report.forms[1].office = "P-001", "行政政法科"
    report.forms[1].indicators[0].brief = "写了简要描述"
    write_fast(report, current)
    write_fast(report, older)
    as_older(older, 2)
    from core.review.readonly import load_judged

    for path in (current, older, current):
        mine = read_lean(path)
        theirs = load_judged(path)  # the storage layer's read-only open: an older file migrated in memory
        assert mine == theirs and typed(mine) == typed(theirs), path.name
    old, new = read_lean(older), read_lean(current)
    assert (old.forms[1].code, old.forms[1].indicators[0].brief) == ("", "")
    assert (new.forms[1].code, new.forms[1].indicators[0].brief) == ("P-001", "写了简要描述")


def test_a_scan_hands_over_each_batch_as_it_is_read(tmp_path: Path, monkeypatch: Any) -> None:
    """``scan(read=…)`` gets every report just read, as the list holds it, batch by batch from the
    worker processes: together exactly the list the scan returns; a foreign file is not among them."""
    import core.review.scan as scan_module

    folder = tmp_path / "set"
    folder.mkdir()
    for n in range(4):
        write_fast(build_report(n, projects=2, per=3), folder / f"d{n}.zpdb")
    (folder / "readme.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)  # the worker processes, as at 1,000 reports
    monkeypatch.setattr(scan_module, "CHUNK", 1)
    batches: list[list[dict[str, Any]]] = []
    result = scan([folder], index=Index(tmp_path / "i.sqlite"), workers=2, read=batches.append)
    assert len(batches) == 4 and all(len(b) == 1 for b in batches)  # a file each; not the foreign one
    handed = sorted((r for batch in batches for r in batch), key=lambda r: str(r["file"]))
    assert handed == result.reports and all(r["problems"] is not None for r in handed)
    again = scan([folder], index=Index(tmp_path / "i.sqlite"), read=batches.append)  # nothing read
    assert len(batches) == 4 and again.reports == result.reports


def test_a_real_beyond_a_double_in_a_flag_reads_as_the_storage_layer_reads_it(tmp_path: Path) -> None:
    """A file where another program left an infinite REAL in a flag column (SQLite 3.40's JSON writes
    it as Inf, which no JSON reader takes) reads as the storage layer reads it (the flag is set), and
    lists with the figures of the same report with the flag stored as 1, not as a file that cannot
    be read."""
    folder = tmp_path / "set"
    folder.mkdir()
    plain, odd = folder / "plain.zpdb", tmp_path / "odd.zpdb"
    for path in (plain, odd):
        write_fast(build_report(4, projects=3, per=5), path)
    conn = sqlite3.connect(plain)
    conn.execute(f"UPDATE {STORAGE_TABLES[Table.INDICATORS]} SET not_applicable = 1 WHERE position = 1")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(odd)
    conn.execute(f"UPDATE {STORAGE_TABLES[Table.INDICATORS]} SET not_applicable = 9e999 WHERE position = 1")
    kind = f"SELECT typeof(not_applicable) FROM {STORAGE_TABLES[Table.INDICATORS]} WHERE position = 1"
    assert conn.execute(kind).fetchone() == ("real",)
    conn.commit()
    conn.close()
    mine, theirs = read_both(odd)
    assert mine == theirs and typed(mine) == typed(theirs)
    assert mine.forms[1].indicators[1].not_applicable is True
    listed = scan([folder], index=Index(tmp_path / "i.sqlite"), workers=1).reports
    plain.unlink()
    odd.rename(folder / "plain.zpdb")
    with_inf = scan([folder], index=Index(tmp_path / "j.sqlite"), workers=1)
    assert not with_inf.refused
    assert with_inf.reports == listed


def test_a_null_analysis_in_the_meta_table_reads_as_none(tmp_path: Path) -> None:
    """The 汇总分析报告's texts stored as NULL (a file another program touched) read as no texts, as
    the storage layer reads them, and the report lists with the figures of the same report without
    them (the meta table the scan read once is not taken as the text "None")."""
    from core.review.readonly import read_meta
    from core.storage.repository import ANALYSIS_KEY

    folder = tmp_path / "set"
    folder.mkdir()
    plain, odd = folder / "plain.zpdb", tmp_path / "odd.zpdb"
    for path in (plain, odd):
        write_fast(build_report(5, projects=3, per=5), path)
    conn = sqlite3.connect(odd)
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, NULL)", [ANALYSIS_KEY])
    conn.commit()
    conn.close()
    from core.review.lean import read_report

    conn = sqlite3.connect(f"file:{odd}?mode=ro", uri=True)
    try:
        mine = read_report(conn, meta=read_meta(conn))
    finally:
        conn.close()
    theirs = read_both(odd)[1]
    assert mine == theirs and mine.analysis == {}
    listed = scan([folder], index=Index(tmp_path / "i.sqlite"), workers=1).reports
    plain.unlink()
    odd.rename(folder / "plain.zpdb")
    with_null = scan([folder], index=Index(tmp_path / "j.sqlite"), workers=1)
    assert not with_null.refused
    assert with_null.reports == listed


def test_seldom_set_columns_read_as_the_storage_layer_reads_them_in_rows_stored_out_of_order(
    tmp_path: Path,
) -> None:
    """The indicators' seldom-set columns (偏差原因, 方向, 扣减分数, 计量单位, 复核得分, 复核意见, 不适用,
    其中) are read apart, from the rows where one is set (``lean.SPARSE``): set in a few rows, NULL in
    others, a flag holding what another program may leave (the text "0", a REAL 0.0 or 0.5, NULL, 2),
    in a file whose rows are stored in another order than their forms and positions (a form written
    again comes last; one form's rows backwards), every row reads as load_report reads it."""
    from core.review.lean import SPARSE
    from core.schema import IND

    path = tmp_path / "sparse.zpdb"
    report = build_report(6, projects=4, per=7)
    write_fast(report, path)
    table = STORAGE_TABLES[Table.INDICATORS]
    assert {IND.not_applicable, IND.breakdown, IND.deviation_note, IND.review_note} <= set(
        SPARSE[Table.INDICATORS]
    )
    conn = sqlite3.connect(path)
    with conn:
        first, second = (f.uid for f in report.projects[:2])
        rows = conn.execute(
            f"SELECT * FROM {table} WHERE form_id = ? ORDER BY position DESC", [first]
        ).fetchall()
        conn.execute(f"DELETE FROM {table} WHERE form_id = ?", [first])
        marks = ", ".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # stored last, backwards
        sets = [
            ("deviation_note = '资金未到位'", 1, first),
            ("direction = '≥', unit = '人次'", 3, first),
            ("deduction = '0.5', review_score = '3', review_note = '复核：属实'", 0, second),
            ("not_applicable = '否'", 2, second),  # a text stays a text (not a number)
            ("not_applicable = 0.0, breakdown = 0.5", 4, second),
            ("not_applicable = NULL, breakdown = 2", 5, second),
            ("deviation_note = NULL, unit = NULL", 6, second),
            ("breakdown = 'x', deviation_note = ''", 1, second),
        ]
        for change, position, uid in sets:
            conn.execute(f"UPDATE {table} SET {change} WHERE form_id = ? AND position = ?", [uid, position])
    conn.close()
    from core.review import lean

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:  # read apart here, not by the whole-row way a value JSON cannot hold falls back to
        present = lean.present_columns(conn)[table]
        assert (
            lean._sparse_rows(conn, Table.INDICATORS, present, lambda columns: list(zip(*columns)))
            is not None
        )
    finally:
        conn.close()
    mine, theirs = read_both(path)
    assert mine == theirs
    assert typed(mine) == typed(theirs)
    by_uid = {f.uid: f for f in mine.forms}
    assert [i.deviation_note for i in by_uid[first].indicators][1] == "资金未到位"
    assert [i.not_applicable for i in by_uid[second].indicators][2:6] == [True, False, False, False]
    assert [i.breakdown for i in by_uid[second].indicators][4:6] == [True, True]
    assert by_uid[second].indicators[0].review_note == "复核：属实"


def test_forms_read_by_position_and_by_name_are_what_the_storage_layer_reads(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A form's header fields are handed to Form in its own field order (no dict a form) while that
    order is the stored columns' (``lean._FORM_POSITIONAL``), else by name: either way the forms are
    load_report's, every header field in its place."""
    from core.review import lean

    path = tmp_path / "forms.zpdb"
    report = build_report(7, projects=3, per=2)
    for i, form in enumerate(report.forms):
        form.code, form.office, form.supervisor, form.implementer = (
            f"P{i}",
            f"处室{i}",
            f"主管{i}",
            f"实施{i}",
        )
        form.fund_unit, form.execution_weight, form.printed_total = "元", f"{i}", f"9{i}"
    write_fast(report, path)
    assert lean._FORM_POSITIONAL
    for positional in (True, False):
        monkeypatch.setattr(lean, "_FORM_POSITIONAL", positional)
        mine, theirs = read_both(path)
        assert mine == theirs and [f.office for f in mine.forms] == [
            f"处室{i}" for i in range(len(mine.forms))
        ]
