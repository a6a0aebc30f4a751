"""A COMMIT handed to the writer thread never leaves the connection locked for good."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from core.storage import database
from core.storage.database import Database


def _db(path: Path) -> Database:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("CREATE TABLE t (v TEXT)")
    return Database(conn)


def test_an_error_handing_the_commit_over_still_commits_and_frees_the_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _db(tmp_path / "r.zpdb")

    def refuse(job: object) -> None:
        raise MemoryError

    monkeypatch.setattr(database._WRITER, "submit", refuse)
    with pytest.raises(MemoryError), db.atomic(commit_later=True):
        db.execute("INSERT INTO t VALUES ('年初预算数')")
    assert not db._lock.locked()  # else the next db.conn waits for ever
    assert db.wait() is None
    other = sqlite3.connect(tmp_path / "r.zpdb")
    assert other.execute("SELECT v FROM t").fetchall() == [("年初预算数",)]
    other.close()


def test_no_thread_to_be_had_commits_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _db(tmp_path / "r.zpdb")

    def no_thread(job: object) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(database._WRITER, "submit", no_thread)
    with db.atomic(commit_later=True):
        db.execute("INSERT INTO t VALUES ('全年执行数')")
    assert not db._lock.locked()
    other = sqlite3.connect(tmp_path / "r.zpdb")
    assert other.execute("SELECT v FROM t").fetchall() == [("全年执行数",)]
    other.close()
