"""The window opens a report with ``backup_later`` (the copy with fsync waits until the report shows):
the backup still holds the file as opened, taken at the latest before the first write or at close."""

from __future__ import annotations

from pathlib import Path

from core.report import Document, new_report
from core.storage import backups
from core.storage import db as storage


def _new(path: Path) -> None:
    Document.create(path, new_report("mof", 2023, "测试部", ["甲", "乙"])).close()


def test_the_backup_waits_for_back_up(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    doc = Document.open(path, backup_later=True)
    assert storage.backups_of(path) == [] and doc.backup_pending
    assert doc.back_up() == ""
    assert len(storage.backups_of(path)) == 1
    doc.back_up()  # once only
    doc.close()
    assert len(storage.backups_of(path)) == 1


def test_the_first_write_backs_up_the_file_as_opened(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    doc = Document.open(path, backup_later=True)
    doc.set_report_field("department", "改动之后")
    [info] = backups.list_backups(path)
    assert backups.load_backup(info.path).department == "测试部"
    doc.close()
    assert len(storage.backups_of(path)) == 1


def test_closing_takes_a_backup_still_pending(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    Document.open(path, backup_later=True).close()
    [info] = backups.list_backups(path)
    assert backups.load_backup(info.path).department == "测试部"


def test_read_only_never_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    doc = Document.open(path, read_only=True, backup_later=True)
    assert not doc.backup_pending
    doc.close()
    assert storage.backups_of(path) == []
