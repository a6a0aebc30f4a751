"""Rows of the database <-> the report model, in plain sqlite3 (no sqlite_utils on this path).

Every function takes the open database as anything with a ``conn`` (``storage.database.Database``, or
a sqlite_utils Database as the review's reader and the benchmarks pass).
"""

from __future__ import annotations

import functools
import itertools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from core.model import Form, NarrativeSection, Report, ReviewFlag, Signoff
from core.schema import ROW_TYPES, STORAGE_TABLES, Column, Kind, Table, columns, declared
from core.storage.database import RowsDamaged, atomic

if TYPE_CHECKING:
    from core.storage.database import Connected

P = ParamSpec("P")
R = TypeVar("R")
TABLES: dict[str, str] = {t: STORAGE_TABLES[t] for t in ROW_TYPES}
FLAGS = STORAGE_TABLES[Table.REVIEW_FLAGS]  # 请核对 flags: a few per imported form, read with the forms


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def to_db(col: Column, value: Any) -> Any:
    """Return how one model value is stored in its SQLite column."""
    if col.kind == Kind.FLAG:
        return 1 if value else 0
    if col.kind == Kind.PATH:
        return json.dumps(value, ensure_ascii=False)
    return value


def from_db(col: Column, value: Any) -> Any:
    """Return the model value of one stored SQLite value (NULL = blank)."""
    if col.kind == Kind.FLAG:
        return bool(value)
    if col.kind == Kind.PATH:
        return list(json.loads(value or "[]"))
    if col.kind == Kind.INTEGER:
        return int(value)
    return _s(value)


def _record(obj: Any, cols: tuple[Column, ...]) -> dict[str, Any]:
    """Return the stored values of an object's declared columns (storage column → value)."""
    return {c.storage: to_db(c, getattr(obj, c.key)) for c in cols if c.storage}


def _values(rec: Any, cols: tuple[Column, ...]) -> dict[str, Any]:
    """Return the model values of declared columns read from one stored record."""
    return {c.key: from_db(c, rec[c.storage]) for c in cols if c.storage}


def row_to_db(table: str, form_id: int, position: int, row: Any) -> dict[str, Any]:
    """Return the database record of one model row."""
    data = {c.storage: to_db(c, getattr(row, c.key)) for c in columns(table) if c.storage}
    data["form_id"] = form_id
    data["position"] = position
    return data


def _row_from_db(table: str, rec: dict[str, Any]) -> Any:
    values = {c.key: from_db(c, rec.get(c.storage)) for c in columns(table) if c.storage}
    return ROW_TYPES[Table(table)](**values)


def signoff_from_db(text: str | None) -> Signoff | None:
    """Return a form's own sign-off from its stored JSON (None when it has none)."""
    if not text:
        return None
    data = json.loads(text)
    return Signoff(**{c.key: str(data.get(c.key, "")) for c in declared(Signoff)})


def form_record(form: Form, position: int) -> dict[str, Any]:
    return {
        "id": form.uid or None,
        "position": position,
        "kind": form.kind,
        **_record(form, columns(Table.HEADER)),
        "signoff": json.dumps(asdict(form.signoff), ensure_ascii=False) if form.signoff else None,
    }


def _converter(col: Column) -> Any:
    """Return from_db for one column as a plain function (decided once per table, not per value)."""
    if col.kind == Kind.FLAG:
        return bool
    if col.kind == Kind.PATH:
        return lambda v: list(json.loads(v or "[]"))
    if col.kind == Kind.INTEGER:
        return int
    return _s


def row_reader(
    table: str, present: set[str], wanted: frozenset[str] | None = None
) -> tuple[str, Callable[[tuple[Any, ...]], Any]]:
    """Return the SELECT list of a row table and a function making one model row of a record.

    Text columns arrive as text (NULL read as ""), so a row is made from its values by position,
    with only flags, paths and integers converted; a column an older file lacks reads as blank, and so
    does one not in ``wanted`` (column keys; None: every column), which SQLite is not asked for.
    """
    cols = [c for c in columns(table) if c.storage]
    make = ROW_TYPES[Table(table)]
    special = (Kind.FLAG, Kind.PATH, Kind.INTEGER)
    read = {c.storage for c in cols if c.storage in present and (wanted is None or c.key in wanted)}
    select = ", ".join(
        (c.storage if c.storage in read else "NULL")
        if c.kind in special
        else (f"COALESCE({c.storage}, '')" if c.storage in read else "''")
        for c in cols
    )
    converted = [(i, _converter(c)) for i, c in enumerate(cols) if c.kind in special]
    keys = [c.key for c in cols]
    positional = keys == [f.name for f in fields(make)]

    def build(values: tuple[Any, ...]) -> Any:
        if converted:
            out = list(values)
            for i, conv in converted:
                out[i] = conv(out[i])
            values = tuple(out)
        return make(*values) if positional else make(**dict(zip(keys, values, strict=True)))

    return select, build


def columns_builder(
    table: str, present: set[str], wanted: frozenset[str] | None = None
) -> tuple[str, Callable[[Sequence[Sequence[Any]]], list[Any]]]:
    """``row_reader`` for a whole table at once: the SELECT list, and a function making the model rows
    of its values given column by column (``list(zip(*records))``): one constructor call a row, the
    flags, paths and integers converted column by column (``map`` in C), no Python call of our own per
    row (the review list reads 900 rows a report, 1,000 reports)."""
    select, build = row_reader(table, present, wanted)
    cols = [c for c in columns(table) if c.storage]
    make = ROW_TYPES[Table(table)]
    if [c.key for c in cols] != [f.name for f in fields(make)]:  # not positional: one row at a time
        return select, lambda by_column: [build(values) for values in zip(*by_column, strict=True)]
    special = (Kind.FLAG, Kind.PATH, Kind.INTEGER)
    converts = [_converter(c) if c.kind in special else None for c in cols]

    def build_all(by_column: Sequence[Sequence[Any]]) -> list[Any]:
        args = [values if conv is None else map(conv, values) for values, conv in zip(by_column, converts)]
        return list(map(make, *args))

    return select, build_all


def _q(name: str) -> str:
    """A quoted SQL identifier (table or column name)."""
    return '"' + name.replace('"', '""') + '"'


def _dicts(db: Connected, sql: str, parameters: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
    """The rows of a query as dicts (column name → value)."""
    cursor = db.conn.execute(sql, parameters)
    names = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))


def _insert(db: Connected, table: str, records: list[dict[str, Any]]) -> None:
    """INSERT records that all have the same keys (one prepared statement for all)."""
    if not records:
        return
    keys = list(records[0])
    sql = f"INSERT INTO {_q(table)} ({', '.join(map(_q, keys))}) VALUES ({', '.join('?' * len(keys))})"
    db.conn.executemany(sql, [[r[k] for k in keys] for r in records])


def _upsert(db: Connected, table: str, record: dict[str, Any], pk: str) -> None:
    """Insert ``record``, or update the row of its primary key ``pk`` with it."""
    keys = list(record)
    sets = ", ".join(f"{_q(k)} = excluded.{_q(k)}" for k in keys if k != pk)
    sql = (
        f"INSERT INTO {_q(table)} ({', '.join(map(_q, keys))}) VALUES ({', '.join('?' * len(keys))}) "
        f"ON CONFLICT({_q(pk)}) DO " + (f"UPDATE SET {sets}" if sets else "NOTHING")
    )
    db.conn.execute(sql, [record[k] for k in keys])


def _update(db: Connected, table: str, pk: str, key: Any, values: dict[str, Any]) -> None:
    """Update one row found by its primary key; LookupError when there is none (nothing written)."""
    if not values:
        found = db.conn.execute(f"SELECT 1 FROM {_q(table)} WHERE {_q(pk)} = ?", [key]).fetchone()
    else:
        sets = ", ".join(f"{_q(k)} = ?" for k in values)
        sql = f"UPDATE {_q(table)} SET {sets} WHERE {_q(pk)} = ?"
        found = db.conn.execute(sql, [*values.values(), key]).rowcount
    if not found:
        raise LookupError(f"no row {pk} = {key!r} in {table}")


def _rows_by_form(
    db: Connected, tables: Iterable[str] = tuple(TABLES), uids: Sequence[int] | None = None
) -> dict[str, dict[int, list[Any]]]:
    """Read every row table in one query each (not one per form: 30× faster on big reports); with
    ``uids``, the rows of those forms only."""
    out: dict[str, dict[int, list[Any]]] = {}
    where = f"WHERE form_id IN ({', '.join('?' * len(uids))}) " if uids is not None else ""
    for table in tables:
        name = TABLES[table]
        present = {str(r[1]) for r in db.conn.execute(f"PRAGMA table_info({name})")}
        select, build = row_reader(table, present)
        by_form: dict[int, list[Any]] = {}
        sql = f"SELECT form_id, {select} FROM {name} {where}ORDER BY form_id, position"
        for values in db.conn.execute(sql, uids or ()):
            found = by_form.get(values[0])
            if found is None:
                found = by_form[values[0]] = []
            found.append(build(values[1:]))
        out[table] = {int(k): v for k, v in by_form.items()}
    return out


class _FormRows:
    """Reads the rows of forms read without them (``Form.defer_rows``) from the open file."""

    FEW = 200  # more forms than this at once: every row of the file in one query a table, kept by form
    AHEAD = 40  # one form asked for: the next unread ones of the report read with it (a check goes in order)

    def __init__(self, db: Connected) -> None:
        self.db = db
        self.forms: list[Form] = []  # the report's list of forms (the same list, as edits change it)

    def load(self, forms: list[Form]) -> None:
        if len(forms) == 1:
            forms = self._with_next(forms[0])
        uids = [f.uid for f in forms] if len(forms) <= self.FEW else None
        try:
            rows_of = _utf8_in_c(_rows_by_form)(self.db, tuple(TABLES), uids)
        except Exception as exc:  # noqa: BLE001 - any value that does not read: the file is damaged
            raise RowsDamaged(f"a form's rows do not read: {type(exc).__name__}: {exc}", self.db) from exc
        for form in forms:
            form.set_rows({Table(t): by_form.get(form.uid, []) for t, by_form in rows_of.items()})

    def _with_next(self, form: Form) -> list[Form]:
        """``form`` and the next few unread forms after it (by identity: ``==`` would read them)."""
        at = next((i for i, f in enumerate(self.forms) if f is form), None)
        if at is None:
            return [form]
        after = (f for f in self.forms[at + 1 :] if f.rows_pending and f.uid)
        return [form, *itertools.islice(after, self.AHEAD)]


def flags_by_form(db: Connected, present: Iterable[str] | None = None) -> dict[int, list[ReviewFlag]]:
    """Every 请核对 flag of the file by form id, in order (none in a file older than the table).
    ``present``: the table's columns when the caller has them (the review's reader: not asked again)."""
    if present is None:
        present = {str(r[1]) for r in db.conn.execute(f"PRAGMA table_info({FLAGS})")}
    else:
        present = set(present)
    if not present:
        return {}
    cols = columns(Table.REVIEW_FLAGS)
    out: dict[int, list[ReviewFlag]] = {}
    for rec in _dicts(db, f"SELECT * FROM {FLAGS} ORDER BY form_id, position"):
        out.setdefault(int(rec["form_id"]), []).append(
            ReviewFlag(**{c.key: from_db(c, rec.get(c.storage)) for c in cols if c.storage in present})
        )
    return out


def write_flags(db: Connected, form: Form) -> None:
    """Replace the 请核对 flags of one form (inside the caller's transaction)."""
    db.conn.execute(f"DELETE FROM {FLAGS} WHERE form_id = ?", [form.uid])
    records = []
    for i, flag in enumerate(form.review_flags):
        record = _record(flag, columns(Table.REVIEW_FLAGS))
        records.append({"form_id": form.uid, "position": i, **record})
    _insert(db, FLAGS, records)


def _forms(db: Connected, rows_of: dict[str, dict[int, list[Any]]] | None) -> list[Form]:
    """The forms of the file with the rows of ``rows_of``; None: with their rows left unread."""
    forms = []
    source = _FormRows(db) if rows_of is None else None
    flags = flags_by_form(db)
    for rec in _dicts(db, "SELECT * FROM forms ORDER BY position"):
        form = Form(
            kind=rec["kind"],
            **_values(rec, columns(Table.HEADER)),
            signoff=signoff_from_db(rec["signoff"]),
            uid=int(rec["id"]),
            review_flags=flags.get(int(rec["id"]), []),
        )
        if source is not None:
            form.defer_rows(source)
        else:
            for table, by_form in (rows_of or {}).items():
                form.rows(table).extend(by_form.get(form.uid, ()))
        forms.append(form)
    if source is not None:
        source.forms = forms
    return forms


def _head(db: Connected) -> dict[str, Any]:
    head = next(_dicts(db, "SELECT * FROM report WHERE id = 1"), None)
    if head is None:
        raise ValueError("报告文件中缺少报告信息")
    return head


def _utf8_in_c(read: Callable[Concatenate[Connected, P], R]) -> Callable[Concatenate[Connected, P], R]:
    """Read with sqlite3's own UTF-8 decoding (in C; the connection's ``text_factory`` is a Python
    call per text value, 380,000 of them in a report of 1,000 projects). A file holding bytes that are
    no UTF-8 (damaged or crafted) makes that raise: it is read again with the connection's factory,
    which shows such bytes as �."""

    @functools.wraps(read)
    def reader(db: Connected, /, *args: P.args, **kwargs: P.kwargs) -> R:
        conn = db.conn
        factory = conn.text_factory
        if factory is str:
            return read(db, *args, **kwargs)
        conn.text_factory = str
        try:
            return read(db, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            if "decode" not in str(exc).lower():
                raise
        finally:
            conn.text_factory = factory
        return read(db, *args, **kwargs)

    return reader


@_utf8_in_c
def load_report(db: Connected, lazy_rows: bool = False) -> Report:
    """Read the whole report from an open database; with ``lazy_rows`` each form's rows are read when
    first used (``Form.defer_rows``: the database must stay open until then, or ``Report.load_rows``)."""
    head = _head(db)
    report = Report(
        **_values(head, declared(Report)),
        signoff=Signoff(**_values(head, declared(Signoff))),
        basic_data=json.loads(head["basic_data"] or "{}"),
    )
    report.forms = _forms(db, None if lazy_rows else _rows_by_form(db))
    report.narrative = [
        NarrativeSection(**_values(r, columns(Table.NARRATIVE)))
        for r in _dicts(db, "SELECT * FROM narrative ORDER BY position")
    ]
    report.analysis = read_analysis(db)
    return report


ANALYSIS_KEY = "analysis"  # meta row holding the 汇总分析报告's own texts as JSON


def read_analysis(db: Connected) -> dict[str, str]:
    """Return the 汇总分析报告 section texts kept in the meta table (none in older files)."""
    if not db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
        return {}
    row = db.conn.execute("SELECT value FROM meta WHERE key = ?", [ANALYSIS_KEY]).fetchone()
    return analysis_of(row[0] if row else None)


def analysis_of(stored: str | None) -> dict[str, str]:
    """The 汇总分析报告 section texts of the meta table's stored value (None or "": none)."""
    data = json.loads(stored) if stored else {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_analysis(db: Connected, analysis: dict[str, str]) -> None:
    """Keep the 汇总分析报告 section texts in the meta table."""
    value = json.dumps(analysis, ensure_ascii=False, sort_keys=True)
    _upsert(db, "meta", {"key": ANALYSIS_KEY, "value": value}, pk="key")


def report_record(report: Report) -> dict[str, Any]:
    return {
        "id": 1,
        **_record(report, declared(Report)),
        **_record(report.signoff, declared(Signoff)),
        "basic_data": json.dumps(report.basic_data, ensure_ascii=False, sort_keys=True),
    }


def write_form_table(db: Connected, form: Form, table: str) -> None:
    """Replace every row of one table of one form (inside the caller's transaction)."""
    name = TABLES[table]
    db.conn.execute(f"DELETE FROM {name} WHERE form_id = ?", [form.uid])
    _insert(db, name, [row_to_db(table, form.uid, i, row) for i, row in enumerate(form.rows(table))])


def write_form(db: Connected, form: Form, position: int) -> None:
    """Insert or replace one form with all its tables (inside the caller's transaction)."""
    record = form_record(form, position)
    if form.uid:
        _upsert(db, "forms", record, pk="id")
    else:
        record.pop("id")
        keys = list(record)
        cursor = db.conn.execute(
            f"INSERT INTO forms ({', '.join(map(_q, keys))}) VALUES ({', '.join('?' * len(keys))})",
            [record[k] for k in keys],
        )
        form.uid = int(cursor.lastrowid or 0)
    for table in TABLES:
        write_form_table(db, form, table)
    write_flags(db, form)


def delete_form(db: Connected, uid: int) -> None:
    db.conn.execute(f"DELETE FROM {FLAGS} WHERE form_id = ?", [uid])
    for name in TABLES.values():
        db.conn.execute(f"DELETE FROM {name} WHERE form_id = ?", [uid])
    db.conn.execute("DELETE FROM forms WHERE id = ?", [uid])


def write_positions(db: Connected, report: Report) -> None:
    positions = [[i, form.uid] for i, form in enumerate(report.forms)]
    db.conn.executemany("UPDATE forms SET position = ? WHERE id = ?", positions)


def write_narrative(db: Connected, report: Report) -> None:
    db.conn.execute("DELETE FROM narrative")
    _insert(
        db,
        "narrative",
        [{"position": i, **_record(s, columns(Table.NARRATIVE))} for i, s in enumerate(report.narrative)],
    )


def write_report(db: Connected, report: Report) -> None:
    """Write a whole report into an empty database in one transaction."""
    with atomic(db.conn):
        _upsert(db, "report", report_record(report), pk="id")
        for i, form in enumerate(report.forms):
            write_form(db, form, i)
        write_narrative(db, report)
        if report.analysis:
            write_analysis(db, report.analysis)


def update_cells(db: Connected, cells: list[tuple[str, int, int, Any, Column, Any]]) -> None:
    """Store single cells: (table, form id, row position, the row, its column, the new value).

    Fund rows are found by their key (their position follows the template), others by position.
    A row's cells are stored by one UPDATE (a pasted row of four cells was four); a cell named
    twice keeps its last value.
    """
    rows: dict[tuple[str, int, str, Any], dict[str, Any]] = {}
    for table, form_id, position, row, col, value in cells:
        ident = _key_column(table)
        where, arg = (
            (f"{ident.storage} = ?", getattr(row, ident.key)) if ident else ("position = ?", position)
        )
        rows.setdefault((table, form_id, where, arg), {})[col.storage] = to_db(col, value)
    for (table, form_id, where, arg), values in rows.items():
        sets = ", ".join(f"{storage} = ?" for storage in values)
        db.conn.execute(
            f"UPDATE {TABLES[table]} SET {sets} WHERE form_id = ? AND {where}",
            [*values.values(), form_id, arg],
        )


@functools.cache
def _key_column(table: str) -> Column | None:
    """The column that identifies a row of ``table`` (a fund row's key), or None (by position)."""
    return next((c for c in columns(table) if c.kind == Kind.KEY), None)


def update_form(db: Connected, uid: int, values: dict[str, Any]) -> None:
    """Store header fields of one form (storage column → value)."""
    _update(db, "forms", "id", uid, values)


def write_form_signoff(db: Connected, form: Form) -> None:
    _update(db, "forms", "id", form.uid, {"signoff": form_record(form, 0)["signoff"]})


def update_report(db: Connected, values: dict[str, Any]) -> None:
    """Store report-level fields (template, year, department, sign-off fields)."""
    _update(db, "report", "id", 1, values)


def write_basic_data(db: Connected, report: Report) -> None:
    _update(db, "report", "id", 1, {"basic_data": report_record(report)["basic_data"]})


def update_section(db: Connected, index: int, section: NarrativeSection) -> None:
    _update(db, "narrative", "position", index, _record(section, columns(Table.NARRATIVE)))
