"""An open report's SQLite connection, in plain ``sqlite3``.

Reading and editing a report needs only ``execute`` and transactions; sqlite_utils (55–60 ms to
import, with its plugin machinery) is made only when a file is created or migrated, or when code asks
for one of its tables (``table``, ``db["name"]``): the window's first paint and every edit do without.

A transaction may end with its COMMIT on a writer thread (``atomic(commit_later=True)``, see
core/storage/db.py for why): the connection is then behind one lock until that COMMIT is done, so
every later use of ``conn`` (a read, the next write, a backup, closing) waits for it first.
"""

from __future__ import annotations

import atexit
import itertools
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import queue

    import sqlite_utils
    from sqlite_utils.db import Table


class RowsDamaged(Exception):
    """A form's rows, read after the report opened (lazy rows), hold what no sound file holds: the
    file is damaged although it opened (an eager open would have refused it). ``db``: the file's
    database, so the window showing it can tell it is its own."""

    def __init__(self, message: str, db: object) -> None:
        super().__init__(message)
        self.db = db


class Connected(Protocol):
    """Anything holding an SQLite connection: a ``Database`` here, or a sqlite_utils one."""

    @property
    def conn(self) -> sqlite3.Connection: ...


def commit(conn: sqlite3.Connection) -> None:
    """The COMMIT a writer thread runs (one place: a test makes it fail as a full disk would)."""
    conn.execute("COMMIT")


class _Writer:
    """The one writer thread: runs the COMMITs handed to it, in order. Made on the first one and kept
    (handing a COMMIT to a thread already waiting costs no start: ``Thread.start`` waits until the
    new thread runs, which on a busy machine was milliseconds of the GUI thread)."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] | None = None
        self._thread: threading.Thread | None = None

    def submit(self, job: Callable[[], None]) -> None:
        if self._jobs is None:
            import queue  # here: 2–7 ms to import, and only a window's first edit needs it

            self._jobs = queue.SimpleQueue()
        if self._thread is None or not self._thread.is_alive():
            # A daemon, so that a forgotten connection never keeps the process alive; ``drain`` (at
            # exit) lets the COMMITs handed to it finish first.
            self._thread = threading.Thread(target=self._run, name="ziping-commit", daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def _run(self) -> None:
        jobs = self._jobs
        assert jobs is not None
        while True:
            jobs.get()()

    def drain(self) -> None:
        """Wait until every COMMIT handed over so far is done."""
        if self._jobs is not None and self._thread is not None and self._thread.is_alive():
            done = threading.Event()
            self._jobs.put(done.set)
            done.wait()


_WRITER = _Writer()
atexit.register(_WRITER.drain)


class Database:
    """One connection (``isolation_level=None``: nothing is in a transaction unless ``atomic`` says so)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._utils: sqlite_utils.Database | None = None
        self._ziping_key: tuple[int, int] | None = None  # set while registered as open in this process
        # Held from the moment a COMMIT is handed to the writer thread until it is done: ``conn`` waits
        # on it, so nothing uses the connection while it commits (and the next commit waits too).
        self._lock = threading.Lock()
        self._failure: BaseException | None = None  # the last background COMMIT's, until taken
        # Called on the writer thread when its COMMIT failed (the window posts itself a message).
        self.on_commit_failed: Callable[[], None] | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection, once a COMMIT under way on the writer thread is done."""
        if self._lock.locked():
            with self._lock:
                pass
        return self._conn

    def wait(self, take: bool = True) -> BaseException | None:
        """Wait for the COMMIT under way; return its failure, or None (``take``: forget it now)."""
        with self._lock:
            failure = self._failure
            if take:
                self._failure = None
        return failure

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    @contextmanager
    def atomic(self, commit_later: bool = False) -> Iterator[Database]:
        """One transaction (a savepoint inside another); rolled back when the block raises.

        ``commit_later`` (the outermost transaction only): the block's statements run here, its
        COMMIT on a writer thread; this returns as soon as that thread has it. A COMMIT that fails
        there is rolled back there and kept for ``wait`` (and ``on_commit_failed`` is called)."""
        conn = self.conn
        if not commit_later or conn.in_transaction:
            with atomic(conn):
                yield self
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self._commit_later()

    def _commit_later(self) -> None:
        self._lock.acquire()
        try:
            _WRITER.submit(self._commit)
        except RuntimeError:  # no thread to be had: commit here, as without ``commit_later``
            self._commit()
        except BaseException:
            # Anything else on the way (MemoryError, an interrupt): the lock is held and no thread
            # will let it go, so every later use of ``conn`` would wait for ever. Commit here (which
            # lets it go), then let the error go on.
            self._commit()
            raise

    def _commit(self) -> None:
        """The writer thread: COMMIT (Python's sqlite3 lets the GUI thread run while SQLite syncs),
        or ROLLBACK when it fails; then let the connection go."""
        conn, failed = self._conn, False
        try:
            commit(conn)
        except BaseException as exc:  # noqa: BLE001 - kept for ``wait``: the GUI thread reports it
            failed, self._failure = True, exc
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the file's hot journal rolls it back at the next open
        finally:
            self._lock.release()
        hook = self.on_commit_failed
        if failed and hook is not None:
            hook()

    def table_names(self) -> list[str]:
        return [str(r[0]) for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    @property
    def utils(self) -> sqlite_utils.Database:
        """sqlite_utils over the same connection, imported and made on first use (migrations)."""
        if self._utils is None:
            import sqlite_utils

            self._utils = sqlite_utils.Database(self.conn)
        return self._utils

    def table(self, name: str) -> Table:
        return self.utils.table(name)

    def __getitem__(self, name: str) -> Table:
        return self.utils.table(name)


# Savepoint names: unique in the process is all a name needs (secrets, with hmac and hashlib, took 5 ms
# of the window's start).
_SAVEPOINTS = itertools.count(1)


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN … COMMIT on ``conn`` (a SAVEPOINT when a transaction is open); ROLLBACK when the block
    raises. The same statements sqlite_utils' ``Database.atomic`` issues."""
    if conn.in_transaction:
        name = f"ziping_{next(_SAVEPOINTS)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended the transaction already
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
