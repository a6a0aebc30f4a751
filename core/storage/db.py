"""Open, create, lock, check and back up .zpdb files.

A report file is one SQLite database marked with ``PRAGMA application_id``.
It is held with ``locking_mode=EXCLUSIVE`` for as long as it is open, so a
second ZiPing (on Windows or Linux) cannot read or write it; the operating
system drops the lock when the process dies, so a crash never leaves a stale
lock behind. Rollback journal with ``synchronous=FULL``: every committed edit
is on disk when its COMMIT returns, also on USB sticks and network shares (the
window's edits commit on a writer thread: see below).

Why not WAL, although a commit in WAL mode with ``synchronous=FULL`` syncs once (the -wal) where
the rollback journal syncs four times (directory, journal twice, file): 4 ms instead of 16 ms a
commit on the development machine's disk. In WAL mode the committed edits live in the -wal until a
checkpoint, and the header says WAL as long as the file is open or after a crash. A .zpdb copied
while ZiPing has it open, or left by a crash, then lacks the last edits when read alone (the
review side reads files immutable, which ignores a -wal) and is refused as damaged by every
released ZiPing, whose judge accepts only rollback-mode headers. The file is the user's deliverable:
it stays one complete file at every commit.

Why ``synchronous=FULL`` and not NORMAL or OFF (measured 2026-12-01 on the development VM's disk,
load 4.9, one cell's commit at 200 projects: FULL 15.7 ms wall median, NORMAL 12.0, OFF 0.3; about
0.9 ms CPU in each — benchmarks/gui_bench.py prints the same write with and without the syncs).
A rollback-journal commit syncs four times: (1) the journal's copies of the old pages, (2) the
journal's header counting them, (3) the file's new pages, (4) the journal's header zeroed — the
commit point. (1)–(2) put the old pages safely on disk before (3) overwrites them; (3) puts the new
pages there before (4) declares the transaction done. NORMAL makes (1) and (2) one sync: a power cut
during it can leave a header that counts pages which never reached the disk, and the next open rolls
such a journal back into the file; SQLite's checksums catch most of that, not all (its documentation:
a very small chance of a corrupt file on older file systems — FAT32 USB sticks are where reports
travel). OFF syncs nothing: a power cut, or a stick pulled out, can leave new file pages on disk
without the journal that undoes them — a corrupt deliverable, not one lost keystroke. (A crash of
ZiPing alone loses no more with either: the writes are in the system's cache.)

What is built instead (the window's edits; chosen 2026-12-01 for #15, one edit to repaint ≤ 5 ms):
the COMMIT runs on a writer thread. An edit's statements run on the GUI thread inside a transaction
(``Database.atomic(commit_later=True)``, asked for by ``Document.commit_in_background``, which the
window sets); the COMMIT — the same four syncs in the same order, journal_mode=DELETE and
synchronous=FULL unchanged — is handed to a thread (Python's sqlite3 lets go of the GIL inside
sqlite3_step), and the window repaints meanwhile. One lock is held from the hand-over until the
COMMIT is done, and ``Database.conn`` waits on it: the next access of any kind (the next edit, a
read of a form's rows, a backup, 另存为, 报送包, closing) finds the last commit done. The file is
one complete file at every commit, as before. What it costs:
- A crash or kill -9 right after an edit loses that edit if its COMMIT was under way (as before,
  where the edit was lost while the window had not yet shown it; now she may have seen it). Every
  earlier edit is in the file: the next edit waited for its commit. The journal left behind is
  rolled back at the next open (tests/gui/test_commit_thread.py kills a process right after an edit).
- A COMMIT that fails (disk full, stick pulled out, I/O error) is found after the paint. The writer
  thread rolls the transaction back and posts the window a message; ``Document.settle`` (run then,
  and before every next edit, undo, redo, 另存为, export, 报送包, 从备份恢复, switching or closing a
  report) puts the model back with the same restores a failed synchronous write uses and tells the
  panels each table it touched changed; the undo stack takes back exactly that step
  (``gui.context.BatchingUndoStack.take_back``: every step is one transaction, one COMMIT); the user
  reads why in a dialog. An edit typed while that failure was not yet taken back is refused, its text
  kept in the cell's editor. The crash handler waits for the commit before it says what is saved.
Core callers other than the window (the importers, the CLI, the review side) commit on their own
thread as before: "on disk when the call returns".
"""

from __future__ import annotations

import errno
import functools
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
import urllib.parse
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errorlog import log_exception
from core.paths import backups_dir, resources_dir
from core.storage.database import Database
from core.storage.migrations import NAME, SCHEMA_VERSION, STEP_NAMES, migrations

if TYPE_CHECKING:
    from core.storage.database import Connected

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


class NewerFileError(StorageError):
    pass


def os_reason(exc: OSError) -> str:
    """A Chinese phrase for an operating-system error (never its English text)."""
    reasons = {
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "所在位置只读",
        errno.EACCES: "没有访问权限",
        errno.EPERM: "没有访问权限",
        errno.ENOENT: "文件或文件夹不存在",
        errno.EISDIR: "这是一个文件夹",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EEXIST: "文件已存在",
        errno.ENAMETOOLONG: "文件名太长",
        errno.EIO: "读写设备出错",
        errno.EDQUOT: "磁盘配额已满",
    }
    if isinstance(exc, PermissionError):
        return "没有访问权限或文件正被其他程序使用"
    return reasons.get(exc.errno or 0, "系统拒绝了这次读写")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=0.2, check_same_thread=False)
    conn.text_factory = _text
    conn.execute("PRAGMA busy_timeout=200")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    return conn


def _text(data: bytes) -> str:
    """Cell text as stored; bytes that are no UTF-8 (a damaged or crafted file) read as �, never raise."""
    return data.decode("utf-8", "replace")


def _sqlite_problem(exc: BaseException, path: Path) -> StorageError:
    """The user's sentence for an SQLite error met while opening ``path``."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return FileInUseError(f"该报告正由另一窗口打开：{path.name}，请先在那个窗口中关闭它。")
    if "readonly" in text or "read-only" in text:
        return ReadOnlyError(
            f"“{path.name}”所在位置只读，无法编辑，请把它复制到可写的位置（如“我的文档”）后再打开。"
        )
    return DamagedFileError(damaged_message(path))


def damaged_message(path: Path) -> str:
    return f"报告文件“{path.name}”已损坏，未做任何改动，请用“文件 → 从备份恢复…”取回最近的备份。"


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
        raise _sqlite_problem(exc, path) from exc


def _check_writable(path: Path) -> None:
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise ReadOnlyError(
            f"“{path.name}”或其所在文件夹是只读的，无法编辑，请把它复制到可写的位置（如“我的文档”）后再打开。"
        )


# ---- inspecting a file before anything may write to it -------------------------------------


@dataclass(frozen=True)
class Header:
    """The fields of the 100-byte SQLite header that decide whether a file is ours."""

    page_size: int
    write_version: int
    read_version: int
    change_counter: int
    pages: int
    valid_for: int
    user_version: int
    application_id: int

    @classmethod
    def parse(cls, head: bytes) -> Header:
        def be(offset: int, size: int = 4) -> int:
            return int.from_bytes(head[offset : offset + size], "big")

        page_size = be(16, 2)
        return cls(
            page_size=65536 if page_size == 1 else page_size,
            write_version=head[18],
            read_version=head[19],
            change_counter=be(24),
            pages=be(28),
            valid_for=be(92),
            user_version=be(60),
            application_id=be(68),
        )


_open_here: dict[tuple[int, int], int] = {}


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _register(path: Path, db: Database) -> None:
    key = _file_key(path)
    if key is not None:
        _open_here[key] = _open_here.get(key, 0) + 1
        db._ziping_key = key


def open_in_this_process(path: Path) -> bool:
    """True when this process holds ``path`` open as a report. Reading such a file with a plain
    open()/close() would drop SQLite's POSIX lock on it, so it is refused before that."""
    key = _file_key(path)
    return key is not None and _open_here.get(key, 0) > 0


def read_header(path: Path) -> Header:
    """Read and judge the header with plain file reads (no SQLite, so nothing can be written)."""
    if not path.exists():
        raise StorageError(f"文件“{path.name}”不存在，请确认它没有被移动或删除。")
    if path.is_dir():
        raise StorageError(f"“{path.name}”是文件夹，不是报告文件，请选择 .zpdb 文件。")
    if open_in_this_process(path):
        raise FileInUseError(f"该报告正由另一窗口打开：{path.name}，请先在那个窗口中关闭它。")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise StorageError(f"无法读取文件“{path.name}”（{os_reason(exc)}），请检查文件是否可访问。") from exc
    if head[:16] != SQLITE_MAGIC:
        raise ForeignFileError(f"“{path.name}”不是 ZiPing 报告文件（.zpdb），未做任何改动。")
    if len(head) < 100:
        raise DamagedFileError(damaged_message(path))
    header = Header.parse(head)
    if header.page_size < 512 or header.page_size & (header.page_size - 1):
        raise DamagedFileError(damaged_message(path))
    if header.application_id != APPLICATION_ID:
        raise ForeignFileError(f"“{path.name}”是 SQLite 数据库，但不是 ZiPing 报告文件，未做任何改动。")
    if header.user_version > SCHEMA_VERSION:
        raise NewerFileError(
            f"“{path.name}”由更新版本的 ZiPing 创建（格式 {header.user_version}），"
            "未做任何改动，请升级本程序后再打开。"
        )
    bad_size = header.page_size < 512 or header.page_size & (header.page_size - 1)
    if bad_size or header.user_version == 0 or (header.write_version, header.read_version) != (1, 1):
        raise DamagedFileError(damaged_message(path))
    return header


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def _hot_journal(path: Path) -> bool:
    """A -journal beside the file that SQLite would roll back (a zeroed header is a finished one)."""
    journal = path.with_name(path.name + "-journal")
    try:
        with open(journal, "rb") as fh:
            return fh.read(8) == JOURNAL_MAGIC
    except OSError:
        return False


def _check_size(path: Path, header: Header) -> None:
    """A truncated file (or one with zero pages) is damaged; judged only without a hot journal."""
    size = path.stat().st_size
    if size == 0 or size % header.page_size:
        raise DamagedFileError(damaged_message(path))
    if header.valid_for == header.change_counter and header.pages * header.page_size != size:
        raise DamagedFileError(damaged_message(path))
    if header.pages == 0:
        raise DamagedFileError(damaged_message(path))


def _uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{urllib.parse.quote(str(path.resolve()))}?{query}"


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write the file (mode=ro; immutable=1 on media that refuse locks)."""
    last: sqlite3.Error | None = None
    for params in ({"mode": "ro"}, {"mode": "ro", "immutable": "1"}):
        try:
            conn = sqlite3.connect(_uri(path, **params), uri=True, isolation_level=None, timeout=0.2)
            conn.text_factory = _text
            conn.execute("PRAGMA busy_timeout=200")
            conn.execute("PRAGMA schema_version").fetchone()
            return conn
        except sqlite3.Error as exc:
            last = exc
            text = str(exc).lower()
            if "locked" in text or "busy" in text or "malformed" in text or "not a database" in text:
                break
    assert last is not None
    raise _sqlite_problem(last, path) from last


def _database(conn: sqlite3.Connection) -> Database:
    """Wrap a connection for the repository (plain sqlite3: no sqlite_utils to import)."""
    return Database(conn)


Schema = dict[str, Any]
KNOWN_SCHEMAS = "storage/schemas.json"  # under resources/: what each schema version holds


@functools.cache  # pure: the migrations are code, fixed for the process
def expected_schema(version: int) -> Schema:
    """What a file of ``version`` holds: the first ``version`` migrations applied to an empty database.

    Read from resources/storage/schemas.json when it records this version made by the same steps
    (no sqlite_utils, no migrations run: 1 ms instead of 60–100 ms on every open); otherwise computed.
    """
    known = _known_schemas().get(version)
    if known is not None and known[0] == STEP_NAMES[:version]:
        return {k: _tuples(x) for k, x in known[1].items()}
    return computed_schema(version)


def computed_schema(version: int) -> Schema:
    """The first ``version`` migrations applied to an empty in-memory database, read back."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    db = _database(conn)
    names = STEP_NAMES
    migrations().apply(db.utils, stop_before=names[version] if version < len(names) else None)
    try:
        return read_schema(conn)
    finally:
        conn.close()


def _tuples(value: Any) -> Any:
    """JSON's lists as tuples, all the way down (the leaves, most of it, without a call each)."""
    if not isinstance(value, list):
        return value
    return tuple([_tuples(v) if isinstance(v, list) else v for v in value])


@functools.cache
def _known_schemas() -> dict[int, tuple[list[str], Schema]]:
    """The recorded schemas by version: (the migration steps that made it, its objects as JSON read
    them: ``expected_schema`` makes tuples of the one version it is asked for, not of every one)."""
    try:
        data = json.loads((resources_dir() / KNOWN_SCHEMAS).read_text(encoding="utf-8"))
        versions = data["versions"].items()
        return {int(v): (list(entry["steps"]), dict(entry["objects"])) for v, entry in versions}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log_exception(exc, "reading the known schemas")
        return {}


def known_schemas_text() -> str:
    """resources/storage/schemas.json for the migrations of this program, one object a line
    (``python -m core.storage.db --known-schemas`` writes it; a test checks it is up to date)."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    versions = []
    for version in range(1, SCHEMA_VERSION + 1):
        objects = ",\n".join(f"    {dump(k)}: {dump(v)}" for k, v in computed_schema(version).items())
        steps = dump(STEP_NAMES[:version])
        versions.append(f'  "{version}": {{\n   "steps": {steps},\n   "objects": {{\n{objects}\n   }}\n  }}')
    return '{"versions": {\n' + ",\n".join(versions) + "\n}}\n"


def read_schema(conn: sqlite3.Connection) -> Schema:
    """Every object of the file, compared by structure (not by its SQL text)."""
    out: Schema = {}
    for kind, name, table in conn.execute("SELECT type, name, tbl_name FROM sqlite_master ORDER BY name"):
        if kind == "table":
            cols = conn.execute(f"PRAGMA table_xinfo({_quote(name)})").fetchall()
            fks = conn.execute(f"PRAGMA foreign_key_list({_quote(name)})").fetchall()
            out[f"table {name}"] = (
                tuple((c[1], str(c[2]).upper(), c[3], c[5], c[6]) for c in cols),
                tuple(sorted((f[2], f[3], f[4]) for f in fks)),
            )
        elif kind == "index":
            cols = conn.execute(f"PRAGMA index_info({_quote(name)})").fetchall()
            out[f"index {name}"] = (table, tuple(c[2] for c in cols))
        else:
            out[f"{kind} {name}"] = table
    return out


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _inspect(conn: sqlite3.Connection, path: Path) -> int:
    """Check the file is ours, intact and of the expected shape; return its schema version.

    The version is the number of migrations the file records (a crash between a migration and
    ``user_version`` leaves the header one behind; the file is still whole). The shape is compared
    object by object with what this program's migrations make (``read_schema``, ``expected_schema``)
    unless the file's objects, as SQLite keeps their SQL, are exactly those of a file this program
    found of that shape before (``_shapes_seen``): the same SQL makes the same tables, columns and
    indexes, and a program that changed any of them changed its SQL.
    """
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise DamagedFileError(damaged_message(path))
        rows = conn.execute("PRAGMA quick_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            raise DamagedFileError(damaged_message(path))
        objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
        applied = (
            [
                str(r[0])
                for r in conn.execute(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                    [NAME],
                )
            ]
            if ("table", "_sqlite_migrations") in {(str(o[0]), str(o[1])) for o in objects}
            else []
        )
        version = len(applied)
        names = STEP_NAMES
        if version > len(names):
            raise NewerFileError(
                f"“{path.name}”由更新版本的 ZiPing 创建，未做任何改动，请升级本程序后再打开。"
            )
        shape = _shape_key(version, objects) if version > 0 else ""
        found = None if shape and shape in _shapes_seen() else read_schema(conn)
    except sqlite3.Error as exc:
        raise _sqlite_problem(exc, path) from exc
    if (
        version == 0
        or applied != names[:version]
        or (found is not None and found != expected_schema(version))
    ):
        raise DamagedFileError(
            f"报告文件“{path.name}”的结构不完整或被其他程序改动过，未做任何改动，"
            "请用“文件 → 从备份恢复…”取回最近的备份。"
        )
    if found is not None:
        _shape_seen(shape)
    return version


# ---- the shapes found before ----------------------------------------------------------------
# A file's objects as SQLite keeps their SQL (sqlite_master), with the version and what this program
# expects of it, for each file shape ``_inspect`` compared object by object and found right: kept in
# ``shapes_folder`` (the window sets its data folder's cache/: its start opens her last report, and
# comparing that file's schema object by object — two PRAGMA statements a table and one an index, 27
# for the sample — and reading the known schemas' JSON was 4.6 M of the 6.5 M instructions of judging
# it, a quarter of opening it). A line a shape; a folder that cannot be read or written only means
# comparing again. None (the CLI, the review side, core's tests): every file is compared.
SHAPES_SEEN = "shapes-seen.txt"
SHAPES_KEPT = 32
shapes_folder: Path | None = None
_seen: tuple[Path, set[str]] | None = None  # the shapes file read, and its lines


@functools.cache  # pure for the process, as ``expected_schema``
def _expectation() -> str:
    """What this program expects of a file, in short: the known schemas' file and the migrations'
    names (a changed migration or a regenerated schemas.json makes every shape seen a stranger)."""
    try:
        known = (resources_dir() / KNOWN_SCHEMAS).read_bytes()
    except OSError:
        known = b""
    return f"{zlib.crc32(known):08x}{zlib.crc32(repr(STEP_NAMES).encode()):08x}"


def _shape_key(version: int, objects: list[Any]) -> str:
    """One line: what this program expects, the version, and every object's SQL as SQLite keeps it."""
    return f"{_expectation()} {version} {[tuple(str(v) for v in o) for o in objects]!r}"


def _shapes_seen() -> set[str]:
    """The shapes found right before (the file read once a process, again for another folder)."""
    global _seen
    if shapes_folder is None:
        return set()
    target = shapes_folder / SHAPES_SEEN
    if _seen is None or _seen[0] != target:
        try:
            lines = set(target.read_text(encoding="utf-8").splitlines())
        except (OSError, ValueError):  # none yet, or unreadable: compared again
            lines = set()
        _seen = (target, lines)
    return _seen[1]


def _shape_seen(shape: str) -> None:
    """Remember a shape just found right (the file keeps the last SHAPES_KEPT)."""
    seen = _shapes_seen()
    if not shape or shape in seen or shapes_folder is None:
        return
    target = shapes_folder / SHAPES_SEEN
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if len(seen) >= SHAPES_KEPT:
            target.write_text(shape + "\n", encoding="utf-8")
            seen.clear()
        else:
            with open(target, "a", encoding="utf-8") as out:
                out.write(shape + "\n")
    except OSError:
        return  # compared again next time
    seen.add(shape)


def inspect_file(path: Path) -> int:
    """Judge ``path`` without writing to it; return its schema version or raise a StorageError."""
    path = Path(path)
    header = read_header(path)
    if _hot_journal(path):
        with tempfile.TemporaryDirectory(prefix="ziping-") as folder:
            conn = _rolled_back_copy(path, Path(folder))
            try:
                return _inspect(conn, path)
            finally:
                conn.close()
    _check_size(path, header)
    conn = _connect_read_only(path)
    try:
        return _inspect(conn, path)
    finally:
        conn.close()


def _rolled_back_copy(path: Path, folder: Path) -> sqlite3.Connection:
    """A copy of the file with its hot journal applied, in ``folder`` (the original is not touched)."""
    copy = folder / "copy.zpdb"
    try:
        shutil.copyfile(path, copy)
        shutil.copyfile(path.with_name(path.name + "-journal"), folder / "copy.zpdb-journal")
    except OSError as exc:
        raise StorageError(f"无法读取文件“{path.name}”（{os_reason(exc)}），请检查文件是否可访问。") from exc
    try:
        conn = sqlite3.connect(str(copy), isolation_level=None)
        conn.text_factory = _text
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as exc:
        raise _sqlite_problem(exc, path) from exc
    return conn


def _memory_copy(source: sqlite3.Connection) -> sqlite3.Connection:
    mem = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    mem.text_factory = _text
    source.backup(mem)
    return mem


def open_read_only(path: Path) -> Database:
    """Open a report for reading only: the file is never written (an older one is upgraded in memory)."""
    path = Path(path)
    version = inspect_file(path)
    if _hot_journal(path):
        with tempfile.TemporaryDirectory(prefix="ziping-") as folder:
            conn = _rolled_back_copy(path, Path(folder))
            mem = _memory_copy(conn)
            conn.close()
    else:
        conn = _connect_read_only(path)
        try:
            mem = _memory_copy(conn)
        except sqlite3.Error as exc:
            raise _sqlite_problem(exc, path) from exc
        finally:
            conn.close()
    db = _database(mem)
    if version < SCHEMA_VERSION:
        _migrate(db)
    return db


def open_database(path: Path, backup: bool = True, read_only: bool = False) -> Database:
    """Open an existing report file for editing, or raise a StorageError the user can read.

    The file is judged read-only first (header, quick_check, schema object by object); only a file
    that passes is opened for writing, so a refused file stays byte-identical.
    """
    path = Path(path)
    if read_only:
        return open_read_only(path)
    if _hot_journal(path):
        read_header(path)  # ours: let SQLite roll its journal back (what the journal is for)
        _check_writable(path)
        _roll_back(path)
    version = inspect_file(path)
    _check_writable(path)
    conn = _connect_locked(path)
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise DamagedFileError(damaged_message(path))  # replaced since it was judged
        conn.execute("COMMIT")
        db = _database(conn)
        if version < SCHEMA_VERSION:
            _migrate(db)
    except BaseException as exc:
        conn.close()
        if isinstance(exc, sqlite3.Error):
            raise _sqlite_problem(exc, path) from exc
        raise
    _register(path, db)
    if backup:
        make_backup(db, path)
    return db


def lock_existing(path: Path) -> sqlite3.Connection | None:
    """Take the exclusive lock of an existing ZiPing report before it is replaced (None when there is
    no report there); FileInUseError when a window has it open."""
    try:
        if read_header(path).application_id != APPLICATION_ID:
            return None
    except FileInUseError as exc:
        raise FileInUseError(
            f"目标报告“{path.name}”正由另一窗口打开，未做任何改动，请先在那个窗口中关闭它。"
        ) from exc
    except StorageError:
        return None
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=0.2)
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        return conn
    except sqlite3.Error as exc:
        problem = _sqlite_problem(exc, path)
        if isinstance(problem, FileInUseError):
            raise FileInUseError(
                f"目标报告“{path.name}”正由另一窗口打开，未做任何改动，请先在那个窗口中关闭它。"
            ) from exc
        return None


def _roll_back(path: Path) -> None:
    """Apply a crashed writer's hot journal to its own file (opening for writing does that)."""
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=0.2)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _sqlite_problem(exc, path) from exc


def create_database(path: Path) -> Database:
    """Create a new, empty report file (refusing to overwrite an existing one)."""
    path = Path(path)
    if path.exists():
        raise StorageError(f"文件“{path.name}”已存在，请换一个文件名或先移走原文件。")
    if not os.access(path.parent if str(path.parent) else Path("."), os.W_OK):
        raise ReadOnlyError(f"无法在文件夹“{path.parent}”中创建“{path.name}”，请选择一个可写的文件夹。")
    conn = _connect_locked(path)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("COMMIT")
    db = _database(conn)
    _migrate(db)
    _register(path, db)
    return db


def _migrate(db: Database, stop_before: str | None = None) -> None:
    """Apply the migrations a file lacks (sqlite_utils is imported here: creating or upgrading only)."""
    migrations().apply(db.utils, stop_before=stop_before)
    applied = len(migrations().applied(db.utils))
    db.execute(f"PRAGMA user_version={applied}")


def backup_key(path: Path) -> str:
    """A short hash of the report's full path: reports of one name in two folders keep apart."""
    try:
        full = str(Path(path).resolve())
    except OSError:
        full = str(Path(path).absolute())
    if os.name == "nt":
        full = full.casefold()
    return sha256_hex(full.encode("utf-8", "surrogatepass"))[:12]


def sha256_hex(data: bytes) -> str:
    """SHA-256 of ``data`` from Python's own module (``_sha256``, 3.11), without loading OpenSSL:
    hashlib loads libcrypto (~6 ms and its relocations' page faults), on the turn after the first
    paint with a report, where the window takes the report's backup (issue 15). The digest is the
    same (the backups of every earlier release are found by it); hashlib where a Python lacks it."""
    try:
        from _sha256 import sha256
    except ImportError:
        from hashlib import sha256
    digest: str = sha256(data).hexdigest()
    return digest


_BACKUP_RE = re.compile(r"^(?P<stem>.*)-(?P<key>[0-9a-f]{12})-(?P<stamp>\d{8}-\d{6}-\d{6})\.zpdb$")
_backup_problems: dict[str, str] = {}
_reported: set[str] = set()


def backups_of(path: Path) -> list[Path]:
    """The backups of this report (exactly its full path), oldest first."""
    key = backup_key(path)
    try:
        folder = backups_dir()
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        match = _BACKUP_RE.match(name)
        if match and match.group("key") == key:
            found.append((match.group("stamp"), folder / name))
    return [p for _, p in sorted(found)]


def last_backup_problem(path: Path) -> str:
    """The sentence to show once per program run when backing up ``path`` failed, else ""."""
    problem = _backup_problems.get(str(path), "")
    if not problem or problem in _reported:
        return ""
    _reported.add(problem)
    return problem


def make_backup(db: Connected, path: Path) -> Path | None:
    """Copy the open file into the backups folder through the backup API; keep the last 10 of it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    try:
        folder = backups_dir()
        clean_stale_parts(folder)
        target = folder / f"{path.stem}-{backup_key(path)}-{stamp}.zpdb"
        save_copy(db, target)
    except (OSError, sqlite3.Error) as exc:
        log_exception(exc, f"backing up {path}")
        _backup_problems[str(path)] = (
            f"无法在数据文件夹中为“{path.name}”保存备份（{_reason(exc)}），"
            "报告可以照常编辑，请检查数据文件夹的权限和磁盘空间。"
        )
        return None
    _backup_problems.pop(str(path), None)
    for stale in backups_of(path)[:-KEEP_BACKUPS]:
        try:
            stale.unlink()
        except OSError:
            pass
    return target


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return os_reason(exc)
    text = str(exc).lower()
    if "full" in text:
        return "磁盘空间不足"
    if "readonly" in text or "read-only" in text:
        return "所在位置只读"
    return "写入出错"


def write_failure(path: Path, exc: BaseException) -> str:
    """The user's sentence for an edit that could not be written."""
    return f"写入报告文件“{path.name}”失败（{_reason(exc)}），这次修改没有保存，请处理后重试或另存为新文件。"


def create_failure(path: Path, exc: BaseException) -> str:
    """The user's sentence for a new report file that could not be written."""
    return (
        f"无法创建报告文件“{path.name}”（{_reason(exc)}），未留下任何文件，请检查文件夹权限和磁盘空间后重试。"
    )


PART_SUFFIX = ".part"


def part_name(target: Path) -> Path:
    """A temporary name beside ``target`` that no other writer (thread or process) uses."""
    # os.urandom, as secrets.token_hex takes it: secrets imports hmac and hashlib, which loads OpenSSL
    return target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}{PART_SUFFIX}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return True  # judged by age instead (signal 0 is not harmless there)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_PART_RE = re.compile(r"^\..+\.(?P<pid>\d+)-[0-9a-f]{8}\.part$")


def clean_stale_parts(folder: Path, max_age: float = 3600.0) -> None:
    """Remove temporary files left in ``folder`` by writers that were killed (never a live one's)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        match = _PART_RE.match(name)
        if not match:
            continue
        part = Path(folder) / name
        try:
            old = now - part.stat().st_mtime > max_age
            if not _alive(int(match.group("pid"))) or (os.name == "nt" and old):
                part.unlink()
        except OSError:
            pass


def save_copy(db: Connected, target: Path) -> None:
    """Write a consistent copy of the open database to ``target`` (the SQLite backup API)."""
    target = Path(target)
    tmp = part_name(target)
    try:
        dest = sqlite3.connect(str(tmp))
        try:
            db.conn.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        fsync_path(tmp)
        for _ in range(3):
            try:
                os.replace(tmp, target)
                return
            except PermissionError:
                time.sleep(0.1)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def fsync_path(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class FileGoneError(StorageError):
    """The open report was deleted, moved or replaced; edits can no longer reach it."""


@dataclass
class FileIdentity:
    """Which file the report is: device + inode (file id on Windows) and its size after the last commit."""

    device: int
    inode: int
    size: int

    @classmethod
    def of(cls, path: Path, db: Connected | None = None) -> FileIdentity:
        try:
            st = os.stat(path)
        except OSError:
            return cls(0, 0, -1)
        return cls(st.st_dev, st.st_ino, st.st_size)

    def verify(self, path: Path) -> None:
        """Raise FileGoneError unless ``path`` is still the file this report was opened from."""
        try:
            st = os.stat(path)
            same = (st.st_dev, st.st_ino, st.st_size) == (self.device, self.inode, self.size)
        except OSError:
            same = False
        if not same:
            raise FileGoneError(
                f"报告文件“{path.name}”已被删除、移动或替换，这次修改没有保存，"
                "请用“文件 → 另存为”把当前内容保存为新文件。"
            )

    def committed(self, path: Path) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        if (st.st_dev, st.st_ino) == (self.device, self.inode):
            self.size = st.st_size


def close_database(db: Connected) -> None:
    key = getattr(db, "_ziping_key", None)
    if key is not None and _open_here.get(key, 0) > 0:
        _open_here[key] -= 1
    if isinstance(db, Database):
        db._ziping_key = None
    try:
        db.conn.close()
    except sqlite3.Error:
        pass


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--known-schemas"]:
        target = resources_dir() / KNOWN_SCHEMAS
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(known_schemas_text(), encoding="utf-8")
        print(f"wrote {target}")
