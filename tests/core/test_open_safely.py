"""#10 items 2, 3, 6, 9: a file is judged read-only before anything may write to it.

Every damaged or foreign variant is refused with a Chinese sentence and stays byte-identical
(with the files beside it); read-only commands never write, not even to migrate.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlite_utils

from core.report import Document, new_report
from core.storage import db as storage
from core.storage.migrations import MIGRATIONS, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
COLUMN = {
    "report": "department",
    "forms": "name",
    "fund_rows": "key",
    "goals": "goal",
    "indicators": "level3",
    "score_items": "path",
    "narrative": "title",
    "meta": "value",
}
TABLES = tuple(COLUMN)


def _base(folder: Path) -> Path:
    path = folder / "base.zpdb"
    doc = Document.create(path, new_report("hunan-yiyang", 2023, "测试部", ["项目甲", "项目乙", "项目丙"]))
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "goals", 0, count=80)
    doc.set_cells([(uid, "goals", i, "goal", f"第{i}条目标" * 40) for i in range(80)])
    doc.close()
    return path


def _sql(path: Path, *statements: str, writable_schema: bool = False) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    if writable_schema:
        conn.execute("PRAGMA writable_schema=ON")
    for sql in statements:
        conn.execute(sql)
    conn.close()


def _bytes(path: Path, edit: Callable[[bytearray], bytes | bytearray]) -> None:
    path.write_bytes(bytes(edit(bytearray(path.read_bytes()))))


def _foreign(path: Path, wal: bool, keep_wal: bool) -> None:
    path.unlink()
    conn = sqlite3.connect(path, isolation_level=None)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.executemany("INSERT INTO notes (text) VALUES (?)", [(f"n{i}" * 50,) for i in range(200)])
    if keep_wal:  # a copy taken while the other program runs: its -wal holds the last commits
        shutil.copyfile(path, path.with_name("snap.db"))
        shutil.copyfile(path.with_name(path.name + "-wal"), path.with_name("snap.db-wal"))
    conn.close()
    if keep_wal:
        os.replace(path.with_name("snap.db"), path)
        os.replace(path.with_name("snap.db-wal"), path.with_name(path.name + "-wal"))


def _zp_wal(path: Path, version: int) -> None:
    _sql(path, "PRAGMA journal_mode=WAL", f"PRAGMA user_version={version}")


def variants(base: Path) -> Iterator[tuple[str, Callable[[Path], None]]]:
    size = base.stat().st_size
    page = 4096
    pages = size // page
    yield "other app, rollback", lambda p: _foreign(p, wal=False, keep_wal=False)
    yield "other app, WAL", lambda p: _foreign(p, wal=True, keep_wal=False)
    yield "other app, WAL with -wal", lambda p: _foreign(p, wal=True, keep_wal=True)
    yield "ZiPing in WAL mode", lambda p: _zp_wal(p, SCHEMA_VERSION)
    yield "newer ZiPing in WAL mode", lambda p: _zp_wal(p, SCHEMA_VERSION + 3)
    yield "newer ZiPing", lambda p: _sql(p, f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    yield "user_version 0", lambda p: _sql(p, "PRAGMA user_version=0")
    yield "application_id 0", lambda p: _sql(p, "PRAGMA application_id=0")
    yield "empty file", lambda p: p.write_bytes(b"")
    yield "text file", lambda p: p.write_text("这不是数据库", encoding="utf-8")
    for table in TABLES:
        yield f"missing table {table}", lambda p, t=table: _sql(p, f"DROP TABLE {t}")
        yield (
            f"trigger on {table}",
            lambda p, t=table: _sql(
                p, f"CREATE TRIGGER evil_{t} AFTER UPDATE ON {t} BEGIN DELETE FROM narrative; END"
            ),
        )
        yield f"index on {table}", lambda p, t=table: _sql(p, f"CREATE INDEX extra_{t} ON {t} ({COLUMN[t]})")
        yield f"extra column in {table}", lambda p, t=table: _sql(p, f"ALTER TABLE {t} ADD COLUMN extra TEXT")
        yield (
            f"corrupt schema text of {table}",
            lambda p, t=table: _sql(
                p,
                f"UPDATE sqlite_master SET sql = CAST(X'435245415445205441424C4520FFFE80' AS TEXT) "
                f"WHERE name = '{t}'",
                writable_schema=True,
            ),
        )
        yield (
            f"schema text of {table} cut short",
            lambda p, t=table: _sql(
                p,
                f"UPDATE sqlite_master SET sql = substr(sql, 1, 20) WHERE name = '{t}'",
                writable_schema=True,
            ),
        )
    conn = sqlite3.connect(base)
    columns = [
        (t, c[1]) for t in TABLES for c in conn.execute(f"PRAGMA table_info({t})").fetchall() if not c[5]
    ]
    conn.close()
    for table, column in columns:
        yield (
            f"column {table}.{column} dropped",
            lambda p, t=table, c=column: _sql(p, f"ALTER TABLE {t} DROP COLUMN {c}"),
        )
    yield "a view", lambda p: _sql(p, "CREATE VIEW v AS SELECT * FROM forms")
    yield "an extra table", lambda p: _sql(p, "CREATE TABLE extra (x)")
    yield "migration record missing", lambda p: _sql(p, "DELETE FROM _sqlite_migrations")
    for cut in sorted({*range(16, 200, 23), *range(page, size, page // 8), size - 1, size - 100}):
        yield f"truncated to {cut}", lambda p, c=cut: _bytes(p, lambda d: d[:c])
    for n in range(1, pages):
        yield (
            f"page {n + 1} zeroed",
            lambda p, n=n: _bytes(p, lambda d: d[: n * page] + bytes(page) + d[(n + 1) * page :]),
        )
        yield (
            f"page {n + 1} header scribbled",
            lambda p, n=n: _bytes(p, lambda d: d[: n * page] + b"\x5a" * 12 + d[n * page + 12 :]),
        )
        yield (
            f"page {n + 1} cell pointers scribbled",
            lambda p, n=n: _bytes(p, lambda d: d[: n * page + 8] + b"\xff" * 16 + d[n * page + 24 :]),
        )
    yield (
        "first page zeroed after the header",
        lambda p: _bytes(p, lambda d: d[:100] + bytes(page - 100) + d[page:]),
    )
    for offset, value in (
        (16, b"\x00\x03"),
        (18, b"\x02"),
        (19, b"\x03"),
        (20, b"\xff"),
        (28, b"\x00\x00\x00\x00"),
    ):
        yield (
            f"header byte {offset} = {value.hex()}",
            lambda p, o=offset, v=value: _bytes(p, lambda d: d[:o] + v + d[o + len(v) :]),
        )
    yield "appended garbage", lambda p: _bytes(p, lambda d: d + b"\x00" * 1000)
    yield "doubled", lambda p: _bytes(p, lambda d: d + d)


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir()) if f.is_file()
    }


def _make_variants(tmp_path: Path) -> list[tuple[str, Path]]:
    base = _base(tmp_path)
    out = []
    for i, (name, make) in enumerate(variants(base)):
        folder = tmp_path / f"v{i:03d}"
        folder.mkdir()
        path = folder / "report.zpdb"
        shutil.copyfile(base, path)
        make(path)
        out.append((name, path))
    return out


def open_each(found: list[tuple[str, Path]]) -> tuple[list[tuple[str, bool]], list[tuple[str, str, str]]]:
    """Open each variant read-only and for editing; return those that opened (name, read_only) and
    the refusals (name, file name, message). Each file's folder stays byte-identical either way."""
    opened: list[tuple[str, bool]] = []
    refusals: list[tuple[str, str, str]] = []
    for name, path in found:
        before = _snapshot(path.parent)
        for read_only in (True, False):
            try:
                Document.open(path, read_only=read_only).close()
            except storage.StorageError as exc:
                refusals.append((name, path.name, str(exc)))
            else:
                opened.append((name, read_only))
            assert _snapshot(path.parent) == before, name
    return opened, refusals


def test_every_damaged_or_foreign_variant_is_refused_and_stays_byte_identical(tmp_path: Path) -> None:
    found = _make_variants(tmp_path)
    assert len(found) >= 362
    opened, refusals = open_each(found)
    for name, file_name, message in refusals:
        assert "\n" not in message and file_name in message, (name, message)
        assert not any(w in message for w in ("malformed", "database", "Error", "sqlite")), (name, message)
    print(f"{len(found)} variants, {len(refusals)} refusals, opened: {opened}")
    # a zeroed or scribbled page can be one SQLite no longer uses; all else must be refused
    assert all(n.startswith("page ") for n, _ in opened), opened
    assert len(refusals) >= 2 * 362 - len(opened)


def test_a_trigger_never_runs(tmp_path: Path) -> None:
    path = _base(tmp_path)
    _sql(path, "CREATE TRIGGER evil AFTER UPDATE ON report BEGIN DELETE FROM narrative; END")
    with pytest.raises(storage.DamagedFileError, match="结构"):
        Document.open(path)


@pytest.mark.parametrize("table", ["forms", "indicators", "narrative"])
def test_a_file_missing_a_table_is_refused_not_opened_empty(tmp_path: Path, table: str) -> None:
    path = _base(tmp_path)
    _sql(path, f"DROP TABLE {table}")
    before = path.read_bytes()
    with pytest.raises(storage.DamagedFileError, match="从备份恢复"):
        Document.open(path)
    assert path.read_bytes() == before
    out = subprocess.run(
        [sys.executable, "-m", "core", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 2 and "从备份恢复" in out.stderr and "Traceback" not in out.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", ["other", None])
def test_an_unknown_form_kind_is_a_message_not_a_traceback(tmp_path: Path, kind: str | None) -> None:
    path = _base(tmp_path)
    _sql(path, f"UPDATE forms SET kind = {'NULL' if kind is None else repr(kind)} WHERE position = 1")
    with pytest.raises(storage.DamagedFileError, match="已损坏"):
        Document.open(path)
    out = subprocess.run(
        [sys.executable, "-m", "core", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr and "KeyError" not in out.stderr


def test_bad_utf8_in_a_cell_opens(tmp_path: Path) -> None:
    path = _base(tmp_path)
    _sql(path, "UPDATE forms SET name = CAST(X'E9A1B9FF80' AS TEXT) WHERE position = 1")
    doc = Document.open(path)
    assert "\ufffd" in doc.report.forms[1].name
    doc.close()


def _old_file(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={storage.APPLICATION_ID}")
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before="m002_meta")
    conn.execute("PRAGMA user_version=1")
    db["report"].insert(
        {"id": 1, "template": "mof", "year": 2022, "department": "旧部门", "basic_data": "{}"}
    )
    db["forms"].insert({"id": 1, "position": 0, "kind": "overall", "name": "旧部门"})
    conn.close()


@pytest.mark.parametrize(
    "command", [["check"], ["score"], ["export-json"], ["export", "--xlsx", "{out}.xlsx"]]
)
def test_read_only_commands_never_write_an_older_file(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "old.zpdb"
    _old_file(path)
    before = path.read_bytes()
    args = [a.replace("{out}", str(tmp_path / "out")) for a in command]
    out = subprocess.run(
        [sys.executable, "-m", "core", args[0], str(path), *args[1:]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode in (0, 1), out.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("old")) == ["old.zpdb"]


def test_read_only_commands_work_on_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "cd"
    folder.mkdir()
    path = folder / "r.zpdb"
    Document.create(path, new_report("mof", 2023, "测试部", ["甲"])).close()
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        for command in (["check"], ["score"], ["export-json"], ["next-year", "-o", str(tmp_path / "n.zpdb")]):
            out = subprocess.run(
                [sys.executable, "-m", "core", command[0], str(path), *command[1:]],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=120,
            )
            assert out.returncode in (0, 1), (command, out.stderr)
        doc = Document.open(path, read_only=True)
        with pytest.raises(storage.ReadOnlyError, match="只读"):
            doc.set_report_field("department", "改")
        doc.close()
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)


def test_an_older_file_is_upgraded_on_disk_only_when_opened_for_editing(tmp_path: Path) -> None:
    path = tmp_path / "old.zpdb"
    _old_file(path)
    doc = Document.open(path, read_only=True)
    assert doc.report.department == "旧部门"
    doc.close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1
    Document.open(path).close()
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
