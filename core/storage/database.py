"""An open report's SQLite connection, in plain ``sqlite3``.

Reading and editing a report needs only ``execute`` and transactions; sqlite_utils (55–60 ms to
import, with its plugin machinery) is made only when a file is created or migrated, or when code asks
for one of its tables (``table``, ``db["name"]``): the window's first paint and every edit do without.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
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


class Database:
    """One connection (``isolation_level=None``: nothing is in a transaction unless ``atomic`` says so)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils: sqlite_utils.Database | None = None
        self._ziping_key: tuple[int, int] | None = None  # set while registered as open in this process

    def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction (a savepoint inside another); rolled back when the block raises."""
        with atomic(self.conn):
            yield self

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
