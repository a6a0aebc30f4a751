"""Read a .zpdb without ever writing it: from a path (read-only, immutable) or from bytes.

An older-format file is read as it is when the migrations since only added columns or tables (they
read as blank); else it is copied into memory and migrated there. The file itself is untouched.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from core.model import Report
from core.storage.db import APPLICATION_ID, JOURNAL_MAGIC, SQLITE_MAGIC, StorageError, os_reason
from core.storage.migrations import SCHEMA_VERSION, STEP_NAMES, migrations
from core.templates import Template, TemplateError, get_template

if TYPE_CHECKING:
    from core.review.lean import Groups

# Migrations that only add tables or columns which a reader of an older file takes as blank where
# they are absent (core.review.lean reads the columns a file has): the review reads such a file as it
# is instead of copying it into memory and migrating the copy (3 ms a file on a first scan). A new
# migration is not listed until it is of that kind: files before it are then upgraded in memory.
READ_AS_IS = frozenset({"m002_meta", "m003_indicator_columns", "m004_form_code_office", "m005_review_flags"})


class NewerVersionError(StorageError):
    """A report written by a newer ZiPing."""


def _uri(path: Path) -> str:
    """The read-only, immutable URI of ``path``, made absolute by joining it to the working folder, as
    text: SQLite finds the file from there as the system does (through links, and ``..`` after a
    link; ``os.path.abspath`` would drop a ``..`` by its text, and may name another file). Not
    ``Path.resolve``, which asked the file system for every folder on the way (~25 µs a report of the
    review's first scan; SQLite walks the path itself when it opens the file)."""
    text = os.fspath(path)
    if not os.path.isabs(text):
        text = os.path.join(os.getcwd(), text)
    return f"file:{quote(text.replace(chr(92), '/'))}?mode=ro&immutable=1"


def hot_journal(path: Path) -> bool:
    """True when a -journal beside ``path`` holds pages SQLite would roll back (a crashed or unfinished
    write). A ZiPing that has the report open (exclusive locking mode) keeps its journal there between
    edits with the header zeroed: that one is finished, and the file itself holds every committed edit."""
    try:
        with open(path.with_name(path.name + "-journal"), "rb") as fh:
            return fh.read(len(JOURNAL_MAGIC)) == JOURNAL_MAGIC
    except OSError:
        return False


WAL = 2  # the file format's read/write version bytes (offsets 18, 19) in WAL mode


def unmerged_wal(path: Path) -> bool:
    """True when a -wal beside ``path`` holds pages (what SQLite reads as part of the file; an
    immutable read, which the review's is, leaves them out and would list what the file held before)."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open ``path`` read-only and immutable: no lock, no journal, no write of any kind."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise StorageError(f"无法读取文件 {path.name}：{os_reason(exc)}") from exc
    if head[:16] != SQLITE_MAGIC:
        raise StorageError(f"“{path.name}”不是 ZiPing 报告文件（.zpdb）")
    if WAL in head[18:20] and unmerged_wal(path):
        raise StorageError(
            f"“{path.name}”被其他程序打开过，部分修改还在旁边的“{path.name}-wal”中，"
            "报告文件本身不完整，未读取；请报送单位重新报送"
        )
    try:
        return sqlite3.connect(_uri(path), uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StorageError(f"无法打开报告 {path.name}：{exc}") from exc


def connect_bytes(data: bytes, name: str) -> sqlite3.Connection:
    """Open a report held in memory (a .zpdb inside a package)."""
    if data[:16] != SQLITE_MAGIC:
        raise StorageError(f"“{name}”不是 ZiPing 报告文件（.zpdb）")
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    try:
        conn.deserialize(data)
    except sqlite3.Error as exc:
        conn.close()
        raise StorageError(damaged(name)) from exc
    return conn


def _to_memory(conn: sqlite3.Connection) -> sqlite3.Connection:
    mem = sqlite3.connect(":memory:", check_same_thread=False)
    conn.backup(mem)
    return mem


def load_connection(
    conn: sqlite3.Connection,
    name: str,
    figures_only: bool = False,
    meta: dict[str, str] | None = None,
    groups: Groups | None = None,
) -> Report:
    """``read_connection``'s report."""
    return read_connection(conn, name, figures_only, meta, groups)[0]


def read_connection(
    conn: sqlite3.Connection,
    name: str,
    figures_only: bool = False,
    meta: dict[str, str] | None = None,
    groups: Groups | None = None,
) -> tuple[Report, Template]:
    """Check that ``conn`` holds a ZiPing report of a version we read, and load it with plain sqlite3
    (``core.review.lean``; ``figures_only``: only what the figures need; ``meta``: its meta table as
    ``read_meta`` read it; ``groups``: an empty dict to read the indicators into grouped, for
    ``figures.quick_figures`` alone, see ``lean.read_grouped``). A file of an older format is read as
    it is when the migrations since only added columns or tables (they read as blank), else upgraded
    in memory first (sqlite_utils is imported only for that). Returned with its template (resolved
    here to refuse a report of an unknown one; the review's scan hands it on rather than resolving
    it again)."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise StorageError(damaged(name)) from exc
    if app_id != APPLICATION_ID:
        raise StorageError(f"“{name}”是 SQLite 数据库，但不是 ZiPing 报告文件")
    if version > SCHEMA_VERSION:
        raise NewerVersionError(f"“{name}”由更新版本的 ZiPing 创建（格式 {version}），请升级本程序")
    try:
        if version < SCHEMA_VERSION and not read_as_is(version):
            import sqlite_utils

            conn = _to_memory(conn)
            migrations().apply(sqlite_utils.Database(conn))
            meta = None  # the migrated copy's
        from core.review.lean import read_report

        report = read_report(conn, figures_only, meta, groups)
        template = get_template(report.template)
    except (sqlite3.Error, KeyError, ValueError, TypeError, TemplateError) as exc:
        raise StorageError(f"无法读取报告 {name}：{unreadable_reason(exc)}") from exc
    return report, template


def damaged(name: str) -> str:
    """The reason a report whose file SQLite cannot read is not listed (cut short, pages overwritten):
    SQLite's own words (“database disk image is malformed”) mean nothing to a reviewer."""
    return f"报告文件已损坏：{name}（文件不完整或部分内容已坏，无法读取），请报送单位重新报送"


def unreadable_reason(exc: Exception) -> str:
    """The reason a report's contents could not be read, in Chinese: our own messages (a missing
    report head, a template error) as they are; a parser's or SQLite's English (“Expecting value: line
    1 column 1”, “malformed”) replaced by what it means for the reviewer."""
    text = str(exc)
    if isinstance(exc, TemplateError) or any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return text
    return "文件中的数据已损坏或被其他程序改过，不是 ZiPing 写入的内容"


def read_as_is(version: int) -> bool:
    """True when every migration after ``version`` only adds what a reader takes as blank when it is
    absent (see ``READ_AS_IS``): such a file is read as it is, not upgraded in a copy in memory."""
    return version >= 1 and all(step in READ_AS_IS for step in STEP_NAMES[version:])


def read_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """Return the file's meta table (kind, created_by, …); empty when it has none. A NULL value is
    left out, as if the key were not there (not the text "None")."""
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta") if v is not None}
    except sqlite3.Error:
        return {}


def load_readonly(path: Path | str) -> Report:
    """Read the report in ``path`` without writing the file (StorageError when it cannot be read)."""
    path = Path(path)
    if hot_journal(path):
        return load_judged(path)  # a crash left a journal: read it as SQLite would after rolling back
    conn = connect_readonly(path)
    try:
        return load_connection(conn, path.name)
    finally:
        conn.close()


def load_judged(path: Path) -> Report:
    """Read through the storage layer's read-only open (judged object by object, hot journal applied
    to a copy, an older file upgraded in memory): slower, for single files and the crash case."""
    from core.storage import repository as repo
    from core.storage.db import close_database, open_read_only

    db = open_read_only(path)
    try:
        report = repo.load_report(db)
        get_template(report.template)
    except (sqlite3.Error, KeyError, ValueError, TypeError, TemplateError) as exc:
        raise StorageError(f"无法读取报告 {path.name}：{unreadable_reason(exc)}") from exc
    finally:
        close_database(db)
    return report


def load_bytes(data: bytes, name: str, figures_only: bool = False, groups: Groups | None = None) -> Report:
    """Read a report from the bytes of a .zpdb file (``groups``: see ``load_connection``)."""
    conn = connect_bytes(data, name)
    try:
        return load_connection(conn, name, figures_only, groups=groups)
    finally:
        conn.close()
