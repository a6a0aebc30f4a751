"""Open, create, lock, check and back up .zpdb files.

A report file is one SQLite database marked with ``PRAGMA application_id``.
It is held with ``locking_mode=EXCLUSIVE`` for as long as it is open, so a
second ZiPing (on Windows or Linux) cannot read or write it; the operating
system drops the lock when the process dies, so a crash never leaves a stale
lock behind. Rollback journal with ``synchronous=FULL``: every committed edit
is on disk when the call returns, also on USB sticks and network shares.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import sqlite_utils

from core.paths import backups_dir
from core.storage.migrations import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x5A504442  # "ZPDB"
SQLITE_MAGIC = b"SQLite format 3\x00"
KEEP_BACKUPS = 10


class StorageError(Exception):
    """A report file that cannot be opened or written; the message is for the user."""


class FileInUseError(StorageError):
    pass


class ForeignFileError(StorageError):
    pass


class DamagedFileError(StorageError):
    pass


class ReadOnlyError(StorageError):
    pass


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=0.2, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=200")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    return conn


def _connect_locked(path: Path) -> sqlite3.Connection:
    """Connect and take the file's exclusive lock now, kept until the connection closes."""
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(path)
        conn.execute("BEGIN EXCLUSIVE")
        return conn
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise FileInUseError(f"该报告正由另一窗口打开：{path.name}\n请先在那个窗口中关闭它。") from exc
        if "readonly" in text or "read-only" in text:
            raise ReadOnlyError(f"文件所在位置只读，无法编辑：{path}") from exc
        if "not a database" in text or "malformed" in text:
            raise DamagedFileError(
                f"报告文件已损坏或不是 ZiPing 报告：{path.name}（{exc}），未做任何改动。"
            ) from exc
        raise StorageError(f"无法打开报告 {path.name}：{exc}") from exc


def _check_writable(path: Path) -> None:
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise ReadOnlyError(
            f"文件或其所在文件夹是只读的，无法编辑：{path}\n请把它复制到可写的位置（如“我的文档”）后再打开。"
        )


def _check_header(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StorageError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    if head != SQLITE_MAGIC:
        raise ForeignFileError(f"“{path.name}”不是 ZiPing 报告文件（.zpdb），未做任何改动。")


def _verify(conn: sqlite3.Connection, path: Path) -> int:
    """Check the file is ours and intact; return its schema version."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(f"报告文件已损坏，无法读取：{path.name}（{exc}）") from exc
    if app_id != APPLICATION_ID:
        raise ForeignFileError(f"“{path.name}”是 SQLite 数据库，但不是 ZiPing 报告文件，未做任何改动。")
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(f"报告文件已损坏：{path.name}（{exc}）。文件未被改动，可从备份恢复。") from exc
    if [r[0] for r in rows] != ["ok"]:
        detail = "；".join(str(r[0]) for r in rows[:3])
        raise DamagedFileError(f"报告文件已损坏：{path.name}（{detail}）。文件未被改动，可从备份恢复。")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StorageError(f"“{path.name}”由更新版本的 ZiPing 创建（格式 {version}），请升级本程序后再打开。")
    return version


def open_database(path: Path, backup: bool = True) -> sqlite_utils.Database:
    """Open an existing report file for editing, or raise a StorageError the user can read."""
    path = Path(path)
    if not path.exists():
        raise StorageError(f"文件不存在：{path}")
    _check_header(path)
    _check_writable(path)
    conn = _connect_locked(path)
    try:
        version = _verify(conn, path)
        conn.execute("COMMIT")
    except StorageError:
        conn.execute("ROLLBACK")
        conn.close()
        raise
    db = sqlite_utils.Database(conn)
    if version < SCHEMA_VERSION:
        _migrate(db)
    if backup:
        make_backup(db, path)
    return db


def create_database(path: Path) -> sqlite_utils.Database:
    """Create a new, empty report file (refusing to overwrite an existing one)."""
    path = Path(path)
    if path.exists():
        raise StorageError(f"文件已存在：{path}")
    if not os.access(path.parent if str(path.parent) else Path("."), os.W_OK):
        raise ReadOnlyError(f"无法在此文件夹中创建文件：{path.parent}")
    conn = _connect_locked(path)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("COMMIT")
    db = sqlite_utils.Database(conn)
    _migrate(db)
    return db


def _migrate(db: sqlite_utils.Database, stop_before: str | None = None) -> None:
    MIGRATIONS.apply(db, stop_before=stop_before)
    applied = len(MIGRATIONS.applied(db))
    db.execute(f"PRAGMA user_version={applied}")


def make_backup(db: sqlite_utils.Database, path: Path) -> Path | None:
    """Copy the open file into the backups folder through the backup API; keep the last 10."""
    folder = backups_dir()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{path.stem}-{stamp}.zpdb"
    try:
        save_copy(db, target)
    except (OSError, sqlite3.Error):
        return None
    old = sorted(folder.glob(f"{path.stem}-*.zpdb"))
    for stale in old[:-KEEP_BACKUPS]:
        try:
            stale.unlink()
        except OSError:
            pass
    return target


def save_copy(db: sqlite_utils.Database, target: Path) -> None:
    """Write a consistent copy of the open database to ``target`` (the SQLite backup API)."""
    target = Path(target)
    tmp = target.with_name(target.name + ".part")
    if tmp.exists():
        tmp.unlink()
    dest = sqlite3.connect(str(tmp))
    try:
        db.conn.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
    for _ in range(3):
        try:
            os.replace(tmp, target)
            return
        except PermissionError:
            time.sleep(0.1)
    os.replace(tmp, target)


def close_database(db: sqlite_utils.Database) -> None:
    try:
        db.conn.close()
    except sqlite3.Error:
        pass
