"""#10 items 4, 5: backups keyed by the report's full path, 10 each; restoring after a crash gives the
backup's content (the crash's stale journal is kept with the old report, never applied to the copy)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from core.report import Document, new_report
from core.storage import backups
from core.storage import db as storage


def _new(path: Path, department: str = "测试部") -> None:
    Document.create(path, new_report("mof", 2023, department, ["甲", "乙"])).close()


@pytest.mark.parametrize(("first", "second"), [("预算", "预算-2023"), ("预算[1]", "预算[1]-x")])
def test_two_reports_whose_names_share_a_prefix_keep_10_backups_each(
    tmp_path: Path, _private_data_dir: Path, first: str, second: str
) -> None:
    one, two = tmp_path / f"{first}.zpdb", tmp_path / f"{second}.zpdb"
    _new(one)
    _new(two)
    for _ in range(storage.KEEP_BACKUPS + 2):
        Document.open(one).close()
        Document.open(two).close()
    assert len(storage.backups_of(one)) == storage.KEEP_BACKUPS
    assert len(storage.backups_of(two)) == storage.KEEP_BACKUPS
    assert len(list((_private_data_dir / "backups").iterdir())) == 2 * storage.KEEP_BACKUPS


def test_reports_of_one_name_in_two_folders_keep_their_own_backups(tmp_path: Path) -> None:
    (tmp_path / "甲").mkdir()
    (tmp_path / "乙").mkdir()
    one, two = tmp_path / "甲" / "报告.zpdb", tmp_path / "乙" / "报告.zpdb"
    _new(one, "甲部门")
    _new(two, "乙部门")
    for _ in range(storage.KEEP_BACKUPS):
        Document.open(one).close()
    Document.open(two).close()
    assert len(storage.backups_of(one)) == storage.KEEP_BACKUPS
    [only] = backups.list_backups(two)
    assert only.projects == 2 and backups.load_backup(only.path).department == "乙部门"


def _crash_mid_transaction(path: Path) -> None:
    """Leave ``path`` as a killed writer does: half-written pages and a hot -journal beside it."""
    scratch = path.with_name("scratch.zpdb")
    shutil.copyfile(path, scratch)
    conn = sqlite3.connect(scratch, isolation_level=None)
    conn.execute("PRAGMA cache_size=1")
    conn.execute("BEGIN")
    conn.execute("UPDATE report SET department = '崩溃中'")
    conn.executemany(
        "INSERT INTO narrative (position, title, text) VALUES (?, ?, ?)",
        [(100 + i, "t", "崩溃" * 300) for i in range(300)],
    )
    shutil.copyfile(scratch, path)
    shutil.copyfile(scratch.with_name("scratch.zpdb-journal"), path.with_name(path.name + "-journal"))
    conn.execute("ROLLBACK")
    conn.close()
    scratch.unlink()


def test_restoring_a_backup_after_a_crash_gives_the_backups_content(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path, "备份时的部门")
    Document.open(path).close()  # the backup
    doc = Document.open(path, backup=False)
    doc.set_report_field("department", "之后改的")
    doc.close()
    _crash_mid_transaction(path)
    assert path.with_name("r.zpdb-journal").stat().st_size > 0
    [latest, *_] = backups.list_backups(path)
    assert latest.readable and latest.projects == 2
    aside = backups.restore_backup(latest.path, path)
    assert aside is not None and aside.exists() and "恢复前" in aside.name
    assert not path.with_name("r.zpdb-journal").exists()
    restored = Document.open(path)
    assert restored.report.department == "备份时的部门"
    restored.close()
    kept = Document.open(aside, backup=False)  # the old report, its journal rolled back: the last edit
    assert kept.report.department == "之后改的"
    kept.close()


def test_a_damaged_backup_is_listed_as_such_and_never_restored(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    Document.open(path).close()
    [info] = backups.list_backups(path)
    info.path.write_bytes(info.path.read_bytes()[:3000])
    [again] = backups.list_backups(path)
    assert not again.readable
    before = path.read_bytes()
    with pytest.raises(storage.DamagedFileError):
        backups.restore_backup(again.path, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.zpdb"]


def test_a_report_open_elsewhere_is_not_restored_over(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    Document.open(path).close()
    [info] = backups.list_backups(path)
    doc = Document.open(path, backup=False)
    with pytest.raises(storage.FileInUseError):
        backups.restore_backup(info.path, path)
    doc.close()


WRITER = """
import sys
sys.path.insert(0, {root!r})
from core.report import Document
doc = Document.open({path!r}, backup=False)
uid = doc.report.projects[0].uid
i = 0
while True:
    doc.set_cells([(uid, "goals", j, "goal", f"第{{i}}次" * 200) for j in range(20)])
    print(i, flush=True)
    i += 1
"""


def test_restoring_after_real_kills_gives_the_backups_content(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parents[2])
    for trial in range(2):
        path = tmp_path / f"r{trial}.zpdb"
        doc = Document.create(path, new_report("mof", 2023, "测试部", ["甲"]))
        uid = doc.report.projects[0].uid
        doc.insert_rows(uid, "goals", 0, count=20)
        doc.set_cell(uid, "goals", 0, "goal", "备份时")
        doc.close()
        Document.open(path).close()  # the backup
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER.format(root=root, path=str(path))],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        for _ in range(5 + 7 * trial):
            proc.stdout.readline()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        [latest] = backups.list_backups(path)
        backups.restore_backup(latest.path, path)
        restored = Document.open(path, backup=False)
        assert restored.report.projects[0].goals[0].goal == "备份时", trial
        restored.close()


def test_a_crashed_report_is_read_read_only_without_touching_it_or_its_journal(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path, "提交前")
    _crash_mid_transaction(path)
    journal = path.with_name("r.zpdb-journal")
    before = (path.read_bytes(), journal.read_bytes())
    doc = Document.open(path, read_only=True)
    assert (
        doc.report.department == "提交前"
    )  # what was committed, the crash's half-write rolled back in a copy
    doc.close()
    assert (path.read_bytes(), journal.read_bytes()) == before
    doc = Document.open(path, backup=False)  # opening for editing rolls the journal back, as SQLite does
    assert doc.report.department == "提交前"
    doc.close()
    assert not journal.exists() or journal.read_bytes()[:8] != storage.JOURNAL_MAGIC
