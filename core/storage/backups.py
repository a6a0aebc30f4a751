"""文件 → 从备份恢复…: the backups of one report, looked at read-only, and restored safely.

Restoring never writes over the report in place: the report (with its -journal, if a crash left
one) is moved aside under a new name first, then a copy of the backup is put in its place through
a temporary name, so a stale journal can never be applied to the restored copy.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from core.model import Report
from core.numbers import ZERO, fmt_money, try_amount
from core.storage import db as storage


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    when: datetime
    size: int
    projects: int | None  # None: the backup cannot be read
    total: str  # 全年预算 of the report ("" when unknown)

    @property
    def readable(self) -> bool:
        return self.projects is not None


def report_total(report: Report) -> Decimal | None:
    """全年预算 of the report: the overall form's total row, else the projects' total rows added."""
    overall = report.overall
    forms = [overall] if overall is not None else report.projects
    values = [try_amount(f.funds[0].annual) for f in forms if f.funds]
    known = [v for v in values if v is not None]
    return sum(known, ZERO) if known else None


def load_backup(path: Path) -> Report:
    """Read a backup without writing to it (StorageError with a Chinese sentence if it cannot be)."""
    from core.storage import repository as repo

    db = storage.open_read_only(path)
    try:
        return repo.load_report(db)
    except Exception as exc:
        raise storage.DamagedFileError(storage.damaged_message(path)) from exc
    finally:
        storage.close_database(db)


def list_backups(report_path: Path) -> list[BackupInfo]:
    """The backups of the report at ``report_path``, newest first."""
    out = []
    for path in reversed(storage.backups_of(Path(report_path))):
        try:
            st = path.stat()
        except OSError:
            continue
        try:
            report = load_backup(path)
            projects: int | None = len(report.projects)
            total = report_total(report)
            total_text = fmt_money(total) if total is not None else ""
        except storage.StorageError:
            projects, total_text = None, ""
        out.append(BackupInfo(path, datetime.fromtimestamp(st.st_mtime), st.st_size, projects, total_text))
    return out


def aside_name(target: Path, when: datetime | None = None) -> Path:
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = target.with_name(f"{target.stem}（恢复前 {stamp}）{target.suffix}")
    n = 2
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}（恢复前 {stamp}-{n}）{target.suffix}")
        n += 1
    return candidate


def restore_backup(backup: Path, target: Path) -> Path | None:
    """Put a copy of ``backup`` at ``target``; return where the old report was kept (None if none).

    The caller closes the report first; a report open elsewhere is refused (FileInUseError).
    """
    backup, target = Path(backup), Path(target)
    storage.inspect_file(backup)  # a damaged backup is refused before anything moves
    held = storage.lock_existing(target) if target.exists() else None
    if held is not None:
        held.close()
    journal = target.with_name(target.name + "-journal")
    aside: Path | None = None
    part = storage.part_name(target)
    try:
        shutil.copyfile(backup, part)
        storage.fsync_path(part)
        if target.exists():
            aside = aside_name(target)
            os.replace(target, aside)
        if journal.exists():  # the crashed writer's journal belongs to the old report, not the backup
            keep = (aside or aside_name(target)).with_name((aside or aside_name(target)).name + "-journal")
            os.replace(journal, keep)
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        if aside is not None and not target.exists():
            os.replace(aside, target)
        raise storage.StorageError(
            f"无法把备份恢复为“{target.name}”（{storage.os_reason(exc)}），原报告未改动，请检查文件夹权限和磁盘空间。"
        ) from exc
    return aside
