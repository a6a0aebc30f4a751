"""The storage promises: every edit on disk, one opener, foreign and damaged files refused."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlite_utils

from core.report import Change, Document, InputError, new_report
from core.schema import Table
from core.storage import db as storage
from core.storage.migrations import MIGRATIONS, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


def _new(path: Path) -> Document:
    return Document.create(path, new_report("hunan-yiyang", 2023, "测试部", ["项目甲"]))


def test_edit_is_on_disk_when_call_returns(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _new(path)
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "indicators", 0, count=1)
    doc.set_cell(uid, "indicators", 0, "target", "≥5名")
    # Read the file through the backup API of the live connection: what is committed is in it.
    copy = tmp_path / "copy.zpdb"
    doc.save_as(copy)
    doc.close()
    rows = list(sqlite_utils.Database(copy)["indicators"].rows)
    assert rows[0]["target"] == "≥5名"


def test_second_opener_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "组织部2023.zpdb"
    doc = _new(path)
    with pytest.raises(storage.FileInUseError, match="组织部2023.zpdb"):
        Document.open(path)
    doc.close()
    Document.open(path).close()  # free again once closed


def test_second_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _new(path)
    code = textwrap.dedent(f"""
        import sys; sys.path.insert(0, {str(ROOT)!r})
        from core.report import Document
        from core.storage.db import FileInUseError
        try:
            Document.open({str(path)!r})
        except FileInUseError as exc:
            print("REFUSED", exc); sys.exit(0)
        sys.exit(3)
    """)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env={**os.environ}
    )
    doc.close()
    assert out.returncode == 0, out.stderr
    assert "另一窗口" in out.stdout


def test_foreign_sqlite_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(storage.ForeignFileError, match="不是 ZiPing 报告文件"):
        Document.open(path)
    assert path.read_bytes() == before


def test_non_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "note.zpdb"
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(storage.ForeignFileError):
        Document.open(path)
    assert path.read_text(encoding="utf-8") == "这不是数据库"


def test_damaged_file_is_reported_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _new(path)
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "goals", 0, count=200)
    doc.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    for n in range(2, len(data) // page):  # scribble over every b-tree page header but the first
        for i in range(n * page, n * page + 12):
            data[i] = 0x5A
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(storage.DamagedFileError, match="损坏"):
        Document.open(path)
    assert path.read_bytes() == before


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write read-only files")
    path = tmp_path / "r.zpdb"
    _new(path).close()
    path.chmod(0o444)
    with pytest.raises(storage.ReadOnlyError):
        Document.open(path)


def test_bad_amount_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _new(path)
    uid = doc.report.projects[0].uid
    doc.set_cell(uid, "funds", 0, "annual", "101.17")
    with pytest.raises(InputError, match="不是数字"):
        doc.set_cell(uid, "funds", 0, "annual", "一百")
    with pytest.raises(InputError):  # a paste is all or nothing
        doc.set_cells([(uid, "funds", 0, "initial", "5"), (uid, "funds", 0, "executed", "x")])
    assert doc.report.projects[0].funds[0].annual == "101.17"
    assert doc.report.projects[0].funds[0].initial == ""
    doc.close()
    again = Document.open(path)
    assert again.report.projects[0].funds[0].annual == "101.17"
    assert again.report.projects[0].funds[0].initial == ""
    again.close()


WRITER = """
import sys, time
sys.path.insert(0, {root!r})
from core.report import Document
doc = Document.open({path!r}, backup=False)
uid = doc.report.projects[0].uid
i = 0
while True:
    doc.set_cell(uid, "goals", i % 50, "goal", f"第{{i}}次")
    print(i, flush=True)
    i += 1
"""


def test_killed_writer_loses_nothing_but_the_edit_in_flight(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _new(path)
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "goals", 0, count=50)
    doc.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(root=str(ROOT), path=str(path))],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    done = -1
    deadline = time.time() + 30
    while done < 150 and time.time() < deadline:
        line = proc.stdout.readline()
        if line.strip():
            done = int(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    reopened = Document.open(path)
    goals = reopened.report.projects[0].goals
    # Every edit that reported success is there; the one in flight may or may not be.
    assert done >= 150
    for i in range(max(0, done - 49), done + 1):
        text = goals[i % 50].goal
        n = int(text[1:-1])
        assert n >= i, (i, text)
    reopened.close()


def test_first_schema_file_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.zpdb"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={storage.APPLICATION_ID}")
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before="m002_meta")
    conn.execute("PRAGMA user_version=1")
    db["report"].insert(
        {
            "id": 1,
            "template": "mof",
            "year": 2022,
            "department": "旧部门",
            "preparer": "",
            "phone": "",
            "date": "",
            "head": "",
            "basic_data": "{}",
        }
    )
    conn.close()
    assert SCHEMA_VERSION > 1
    doc = Document.open(path)
    assert doc.report.department == "旧部门"
    assert doc.db["meta"].exists()
    assert doc.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    doc.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _new(path)
    doc.db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    doc.close()
    with pytest.raises(storage.StorageError, match="更新版本"):
        Document.open(path)


def test_backups_are_taken_on_open_and_capped(tmp_path: Path, _private_data_dir: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path).close()
    for _ in range(storage.KEEP_BACKUPS + 3):
        Document.open(path).close()
    backups = sorted((_private_data_dir / "backups").glob("r-*.zpdb"))
    assert len(backups) == storage.KEEP_BACKUPS
    restored = Document.open(backups[-1], backup=False)
    assert restored.report.department == "测试部"
    restored.close()


def test_save_as_copies_the_report(tmp_path: Path) -> None:
    doc = _new(tmp_path / "a.zpdb")
    doc.set_report_field("department", "新名称")
    doc.save_as(tmp_path / "b.zpdb")
    doc.close()
    other = Document.open(tmp_path / "b.zpdb")
    assert other.report.department == "新名称"
    other.close()


def test_mutations_survive_reopen(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _new(path)
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "indicators", 0, count=3)
    doc.set_cell(uid, "indicators", 1, "level3", "培训班次数")
    removed = [(0, doc.report.projects[0].indicators[0])]
    doc.delete_rows(uid, "indicators", [0])
    doc.restore_rows(uid, "indicators", removed)
    doc.move_row(uid, "indicators", 1, 2)
    change = doc.add_form("project", "项目乙")
    doc.move_form(change.form, 1)
    doc.duplicate_form(uid)
    doc.set_report_field("phone", "4225031")
    doc.set_section(0, text="单位基本情况……")
    expected = doc.report.clone()
    doc.close()
    again = Document.open(path)
    assert again.report == expected
    assert again.report.projects[-1].indicators[2].level3 == "培训班次数"
    again.close()


def test_changing_template_refits_fund_rows_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _new(path)  # hunan-yiyang
    uid = doc.report.projects[0].uid
    doc.set_cell(uid, "funds", 0, "annual", "100")
    doc.set_report_field("template", "sichuan-guangyuan")
    assert [r.key for r in doc.report.projects[0].funds][:2] == ["total", "fiscal"]
    assert doc.report.projects[0].funds[0].annual == "100"
    doc.close()
    again = Document.open(path)
    assert again.report.template == "sichuan-guangyuan"
    assert len(again.report.projects[0].funds) == 7 and again.report.projects[0].funds[0].annual == "100"
    again.set_cell(uid, "funds", 2, "annual", "100")  # 一般公共预算, a row mof does not have
    with pytest.raises(InputError, match="一般公共预算"):
        again.set_report_field("template", "mof")
    assert again.report.template == "sichuan-guangyuan"
    again.close()


def test_a_failed_write_leaves_the_model_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.storage import repository

    doc = Document.create(tmp_path / "r.zpdb", new_report("mof", 2023, "测试部", ["甲", "乙"]))
    before = doc.report.clone()

    def broken(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(repository, "write_positions", broken)
    uid = doc.report.projects[0].uid
    with pytest.raises(storage.StorageError, match="写入报告文件.*失败"):
        doc.move_form(uid, 2)
    with pytest.raises(storage.StorageError):
        doc.delete_form(uid)
    assert doc.report == before
    doc.close()
    again = Document.open(tmp_path / "r.zpdb")
    assert again.report == before
    again.close()


@pytest.mark.parametrize(
    ("writer", "edit"),
    [
        (
            "update_cells",
            lambda d, u: d.set_cells([(u, "indicators", 0, "target", "≥5"), (u, "goals", 0, "goal", "x")]),
        ),
        ("update_form", lambda d, u: d.set_form_field(u, "name", "新名")),
        ("update_report", lambda d, u: d.set_report_field("preparer", "张三")),
        ("write_form_table", lambda d, u: d.insert_rows(u, "indicators", 0, count=2)),
        ("write_positions", lambda d, u: d.add_form("project", "项目乙")),
        ("update_section", lambda d, u: d.set_section(0, text="正文")),
    ],
)
def test_a_failed_write_leaves_file_and_model_as_they_were(tmp_path: Path, monkeypatch, writer, edit) -> None:  # type: ignore[no-untyped-def]
    from core.storage import repository

    doc = _new(tmp_path / "r.zpdb")
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "indicators", 0, count=1)
    before = doc.report.clone()

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(repository, writer, fail)
    with pytest.raises(storage.StorageError):
        edit(doc, uid)
    assert doc.report == before
    monkeypatch.undo()
    doc.close()
    again = Document.open(tmp_path / "r.zpdb", backup=False)
    assert again.report == before
    again.close()


def _rows_on_disk(path: Path, table: str) -> list[tuple[object, ...]]:
    """A table's rows as the file holds them, read with plain sqlite3 (after the document closed)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY form_id, position").fetchall()  # noqa: S608
    finally:
        conn.close()


def test_grouped_writes_commit_once(tmp_path: Path) -> None:
    """A paste that adds rows and fills them is one transaction: one COMMIT (four disk syncs, not
    eight); what the file holds afterwards is what the two writes made."""
    doc = _new(tmp_path / "r.zpdb")
    uid = doc.report.projects[0].uid
    statements: list[str] = []
    doc.db.conn.set_trace_callback(statements.append)
    with doc.grouped():
        doc.insert_rows(uid, "indicators", 0, count=3)
        doc.set_cells([(uid, "indicators", r, "target", f"≥{r}人") for r in range(3)])
    doc.db.conn.set_trace_callback(None)
    assert [s for s in statements if s.split()[0] in ("BEGIN", "COMMIT")] == ["BEGIN", "COMMIT"]
    doc.close()
    again = Document.open(tmp_path / "r.zpdb")
    assert [i.target for i in again.form(uid).indicators[:3]] == ["≥0人", "≥1人", "≥2人"]
    again.close()


def test_a_group_that_fails_leaves_file_and_model_as_they_were(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The second write of a group fails: the first's rows are rolled back in the file and taken out
    of the model, and listeners are told the table changed (to read it again)."""
    from core.storage import repository

    path = tmp_path / "r.zpdb"
    _new(path).close()
    disk = _rows_on_disk(path, "indicators")
    doc = Document.open(path, backup=False)
    uid = doc.report.projects[0].uid
    before = doc.report.clone()
    seen: list[Change] = []
    doc.subscribe(seen.append)

    def fail(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(repository, "update_cells", fail)
    with pytest.raises(storage.StorageError), doc.grouped():
        doc.insert_rows(uid, "indicators", 0, count=3)
        doc.set_cells([(uid, "indicators", 0, "target", "≥1人")])
    assert doc.report == before
    assert seen[0].structural and seen[-1] == Change(uid, Table.INDICATORS, structural=True)
    doc.close()
    assert _rows_on_disk(path, "indicators") == disk
    again = Document.open(path)
    assert again.report == before
    again.close()
