"""请核对 that stays: what an import was not sure of is kept at its cell in the .zpdb (review_flags),
listed by rule S24 in the problem list, carried in the interchange JSON, and gone when the user marks
the cell 已核对 (undoable). Each case imports a real .xlsx into a real .zpdb and reads it back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from core.importers.api import build_report, preview_files
from core.importers.apply import apply_to_document, undo_import
from core.interchange import InterchangeError, dumps, report_from_dict
from core.model import ReviewFlag
from core.problems import WARNING
from core.report import Document
from core.rules import check_report
from core.schema import FUND, HEAD, IND, Table
from core.storage.db import NewerFileError
from core.storage.migrations import NAME, SCHEMA_VERSION, STEP_NAMES
from tests.core.test_import_variants import SEED, SHEET, one_sheet

FILE = "去年自评表.xlsx"


def _doubtful(seed_xlsx: Path, folder: Path) -> Path:
    """The seed's 附件3-1 with three readings to check: 全年执行数 of 当年财政拨款 typed in 元
    (7094700 beside 709.47 万元), a 分值 written as a percentage, a 实际完成值 that is a formula
    saved without its result."""
    wb, ws = one_sheet(seed_xlsx)
    ws["F7"] = 7094700
    ws["G14"] = "10%"
    ws["F16"] = '=ROUND(F15*100,0)&"%"'
    path = folder / FILE
    wb.save(path)
    return path


def _flags_at(flags: list[ReviewFlag]) -> list[tuple[str, int | None, str | None]]:
    return [(f.cell_table, f.row, f.column) for f in flags]


def _new_report(source: Path, target: Path) -> Path:
    preview = preview_files([source])
    report = build_report(preview, template=SEED.template, year=2023)
    Document.create(target, report).close()
    return target


def test_checks_of_an_import_are_kept_at_their_cells_and_listed(seed_xlsx: Path, tmp_path: Path) -> None:
    zpdb = _new_report(_doubtful(seed_xlsx, tmp_path), tmp_path / "新报告.zpdb")
    doc = Document.open(zpdb, backup=False)
    try:
        form = doc.report.projects[0]
        # the unsaved formula; the 元 figure and the 万元 figure it was compared with, the 元 figure
        # again (over 100 亿元); the percent 分值
        assert _flags_at(form.review_flags) == [
            (Table.INDICATORS, 3, IND.actual),
            (Table.FUNDS, 1, FUND.executed),
            (Table.FUNDS, 1, FUND.initial),
            (Table.FUNDS, 1, FUND.executed),
            (Table.INDICATORS, 1, IND.weight),
        ]
        assert form.funds[1].executed == "7094700" and form.indicators[1].weight == "10"
        assert all(f.origin.startswith(f"{FILE} {SHEET}!") for f in form.review_flags)
        unsaved = f'{SHEET}!F16（=ROUND(F15*100,0)&"%"）是公式，但文件中没有保存它的计算结果，未导入'

        assert form.review_flags[0].text.startswith(unsaved)
        problems = [p for p in check_report(doc.report, doc.template) if p.rule == "S24"]
        assert {p.severity for p in problems} == {WARNING}
        assert sorted((p.table, p.row, p.column) for p in problems) == sorted(_flags_at(form.review_flags))
        message = next(p.message for p in problems if p.column == FUND.executed)
        assert message.startswith(f"导入时请核对：{SHEET}!F7 的 7094700 是 {SHEET}!D7 的 153.03 的 46361 倍")
        assert message.endswith(f"（读自 {FILE} {SHEET}!F7；核对无误后右键选“已核对”）")

        # 已核对 on the 元 cell: its flag goes, from the list and the file; undo brings it back
        before = doc.mark_checked(form.uid, Table.FUNDS, 1, FUND.executed)
        assert (Table.FUNDS, 1, FUND.executed) not in _flags_at(form.review_flags)
        assert len(form.review_flags) == 3  # both of its flags
        left = [(p.table, p.row, p.column) for p in check_report(doc.report, doc.template) if p.rule == "S24"]
        assert sorted(left) == sorted(_flags_at(form.review_flags))
        assert doc.mark_checked(form.uid, Table.FUNDS, 1, FUND.executed) == form.review_flags  # none there
    finally:
        doc.close()
    doc = Document.open(zpdb, backup=False)
    try:
        form = doc.report.projects[0]
        assert len(form.review_flags) == 3
        doc.set_review_flags(form.uid, before)  # the undo of 已核对
    finally:
        doc.close()
    again = Document.open(zpdb, backup=False, read_only=True)
    try:
        assert again.report.projects[0].review_flags == before
    finally:
        again.close()


def test_a_flag_follows_its_row_and_comes_back_with_an_undone_delete(seed_xlsx: Path, tmp_path: Path) -> None:
    zpdb = _new_report(_doubtful(seed_xlsx, tmp_path), tmp_path / "行.zpdb")
    doc = Document.open(zpdb, backup=False)
    try:
        form = doc.report.projects[0]
        uid = form.uid
        doc.insert_rows(uid, Table.INDICATORS, 0)
        assert (Table.INDICATORS, 2, IND.weight) in _flags_at(form.review_flags)
        doc.move_row(uid, Table.INDICATORS, 2, 5)
        assert (Table.INDICATORS, 5, IND.weight) in _flags_at(form.review_flags)
        removed = [(5, form.indicators[5])]
        doc.delete_rows(uid, Table.INDICATORS, [5])
        assert IND.weight not in {f.column for f in form.review_flags}
        doc.restore_rows(uid, Table.INDICATORS, removed)
        assert (Table.INDICATORS, 5, IND.weight) in _flags_at(form.review_flags)
    finally:
        doc.close()
    doc = Document.open(zpdb, backup=False, read_only=True)
    try:
        assert (Table.INDICATORS, 5, IND.weight) in _flags_at(doc.report.projects[0].review_flags)
    finally:
        doc.close()


def test_importing_into_an_open_report_flags_only_what_it_wrote(seed_xlsx: Path, tmp_path: Path) -> None:
    """Filling an existing report: a flag lands where its value was written; a typed value kept
    leaves its flag behind; importing the same file again changes nothing; undo takes them away."""
    source = _doubtful(seed_xlsx, tmp_path)
    clean = tmp_path / "本年.xlsx"
    wb, ws = one_sheet(seed_xlsx)
    ws["F7"], ws["G14"] = None, None
    wb.save(clean)
    zpdb = _new_report(clean, tmp_path / "已有.zpdb")
    doc = Document.open(zpdb, backup=False)
    try:
        form = doc.report.projects[0]
        assert form.review_flags == []
        doc.set_cell(form.uid, Table.INDICATORS, 3, IND.actual, "100%")  # typed: the import keeps it
        undo = apply_to_document(doc, preview_files([source], report=doc.report))
        assert form.funds[1].executed == "7094700" and form.indicators[3].actual == "100%"
        # F7's two checks (元 beside 万元, over 100 亿元); D7 (compared with it) was already there
        executed, weight = (Table.FUNDS, 1, FUND.executed), (Table.INDICATORS, 1, IND.weight)
        assert _flags_at(form.review_flags) == [executed, executed, weight]
        assert apply_to_document(doc, preview_files([source], report=doc.report)).changed == 0
        undo_import(doc, undo)
        assert form.review_flags == [] and form.funds[1].executed == ""
    finally:
        doc.close()


def test_flags_travel_in_the_interchange_json(seed_xlsx: Path, tmp_path: Path) -> None:
    zpdb = _new_report(_doubtful(seed_xlsx, tmp_path), tmp_path / "j.zpdb")
    doc = Document.open(zpdb, backup=False, read_only=True)
    try:
        text = dumps(doc.report, doc.template)
        flags = doc.report.projects[0].review_flags
    finally:
        doc.close()
    data = json.loads(text)
    (project,) = [f for f in data["forms"] if f.get("review_flags")]
    assert project["review_flags"][1]["cell_table"] == "funds" and project["review_flags"][1]["cell_row"] == 1
    assert report_from_dict(data).projects[0].review_flags == flags
    assert dumps(report_from_dict(data)) == text

    project["review_flags"].append({"cell_table": "header", "text": "项目名称取自标题"})
    form_level = report_from_dict(data).projects[0].review_flags[-1]
    assert (form_level.row, form_level.column) == (None, None)
    bad = [
        ({"cell_table": "funds", "cell_row": 9, "text": "x"}, "cell_row：第 9 行不存在"),
        ({"cell_table": "indicators", "cell_row": 0, "cell_column": "nope", "text": "x"}, "不是该表的列"),
        ({"cell_table": "sheet", "text": "x"}, "“sheet”不是表中的一处"),
        ({"text": ""}, "请核对的内容不能为空"),
        ({"text": "x", "colour": "red"}, "未知的键 “colour”"),
    ]
    for flag, message in bad:
        project["review_flags"] = [flag]
        with pytest.raises(InterchangeError, match=rf"forms\[\d\]\.review_flags\[0\].*{message}"):
            report_from_dict(data)


def _as_version_4(path: Path) -> None:
    """What the previous version wrote: no review_flags table, m005 not recorded."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TABLE review_flags")
        for step in STEP_NAMES[4:]:
            conn.execute("DELETE FROM _sqlite_migrations WHERE migration_set = ? AND name = ?", [NAME, step])
        conn.execute("PRAGMA user_version=4")
    finally:
        conn.close()


def test_a_file_of_the_previous_version_gains_the_table(seed_xlsx: Path, tmp_path: Path) -> None:
    assert STEP_NAMES[4] == "m005_review_flags" and SCHEMA_VERSION >= 5
    clean = tmp_path / "旧.xlsx"
    one_sheet(seed_xlsx)[0].save(clean)
    zpdb = _new_report(clean, tmp_path / "旧.zpdb")
    _as_version_4(zpdb)
    from core.review.readonly import load_readonly

    untouched = zpdb.read_bytes()
    assert all(f.review_flags == [] for f in load_readonly(zpdb).forms)  # the review reads it as it is
    assert zpdb.read_bytes() == untouched
    doc = Document.open(zpdb, backup=False)
    try:
        assert doc.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        uid = doc.report.projects[0].uid
        doc.set_review_flags(uid, [ReviewFlag(Table.HEADER, -1, HEAD.name, "项目名称取自标题", "a.xlsx")])
    finally:
        doc.close()
    doc = Document.open(zpdb, backup=False, read_only=True)
    try:
        assert doc.report.projects[0].review_flags[0].text == "项目名称取自标题"
    finally:
        doc.close()
    conn = sqlite3.connect(zpdb, isolation_level=None)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(NewerFileError, match="由更新版本的 ZiPing 创建"):
        Document.open(zpdb, backup=False)


def test_the_review_reads_a_files_flags_and_counts_them(tmp_path: Path) -> None:
    """The 财政审核 list reads a report with core.review.lean, not the repository: it read no 请核对
    flags, so S24 was missing from its counts and from a report opened there, while the report itself
    listed it."""
    from collections import Counter

    from core.interchange import read_json_file
    from core.review.readonly import load_readonly
    from core.review.scan import summarise_file
    from tests.conftest import FIXTURES

    path = tmp_path / "旗.zpdb"
    doc = Document.create(path, read_json_file(FIXTURES / "seed004_yiyang.json"))
    uid = doc.report.projects[0].uid
    flag = ReviewFlag(Table.INDICATORS, 1, IND.weight, "分值写成了百分比", "a.xlsx!G9")
    doc.set_review_flags(uid, [flag])
    doc.close()
    doc = Document.open(path, backup=False, read_only=True)
    try:
        problems = check_report(doc.report, doc.template)
    finally:
        doc.close()
    assert Counter(p.rule for p in problems)["S24"] == 1
    read = load_readonly(path)
    assert [f.review_flags for f in read.forms if f.review_flags] == [[flag]]
    severities = Counter(p.severity for p in problems)
    assert summarise_file(str(path))["problems"] == {
        s: severities.get(s, 0) for s in ("error", "warning", "info")
    }


def test_a_package_of_a_report_with_flags_is_not_taken_for_a_changed_one(tmp_path: Path) -> None:
    """The 报送包's manifest counts S24 (sealed from the report); the review's check of the package
    read the report without its flags: every package of an imported report was listed as changed
    (清单中的检查结果 … 与报告数据不符, 报告.json 与报告数据不一致)."""
    from core.interchange import read_json_file
    from core.review.package import make_package, verify_package
    from tests.conftest import FIXTURES

    path = tmp_path / "包.zpdb"
    doc = Document.create(path, read_json_file(FIXTURES / "seed004_yiyang.json"))
    flag = ReviewFlag(Table.INDICATORS, 1, IND.weight, "分值写成了百分比", "a.xlsx!G9")
    doc.set_review_flags(doc.report.projects[0].uid, [flag])
    doc.close()
    make_package(path, tmp_path / "包.zip")
    assert verify_package(tmp_path / "包.zip").changes == []
