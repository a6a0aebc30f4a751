"""Read what a report's figures need straight from its SQLite file, with plain ``sqlite3``.

The review list's first pass scores hundreds of reports; building each whole (every column, through
sqlite_utils) cost more than scoring it. This reader asks SQLite for only the columns the scores read
(``FIGURE_COLUMNS``: the rate row's money, the indicators' cells that ``core.scoring`` reads, the
score sheet) and builds the same model objects from them, so ``figures.quick_figures`` gives exactly
what it gives on the whole report (tests compare the two on every seed and on generated reports).
Other columns keep their defaults. ``read_report`` reads the whole report the same way (the review
list's check pass), and reads an older file as it is (see ``readonly.load_connection``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import fields
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any

from core.schema import (
    FUND_AMOUNTS,
    IND,
    ROW_TABLES,
    STORAGE_TABLES,
    Column,
    Form,
    Indicator,
    Kind,
    NarrativeSection,
    Report,
    Signoff,
    Table,
    columns,
    declared,
)
from core.storage.database import Database
from core.storage.repository import (
    ANALYSIS_KEY,
    analysis_of,
    columns_builder,
    flags_by_form,
    read_analysis,
    signoff_from_db,
)
from core.templates import get_template

# The columns ``core.scoring`` reads of each row table to give a form's figures (fund_value,
# execution_score, effective_score, is_breakdown, _rescale, early_warning, the score-sheet formulas).
FIGURE_COLUMNS: dict[Table, frozenset[str]] = {
    Table.FUNDS: frozenset(FUND_AMOUNTS) | {c.key for c in columns(Table.FUNDS) if c.kind == Kind.KEY},
    Table.INDICATORS: frozenset(
        (
            IND.level1,
            IND.level2,
            IND.level3,
            IND.target,
            IND.actual,
            IND.weight,
            IND.score,
            IND.direction,
            IND.not_applicable,
            IND.deduction,
            IND.breakdown,
        )
    ),
    Table.SCORE_SHEET: frozenset(c.key for c in columns(Table.SCORE_SHEET)),  # small: all of it
}

# What core.scoring reads of an indicator row whose 得分 is a number (the list's first pass): its
# 得分 less its 扣减分数 (effective_scores), its 分值 (the points the indicators are worth, what a
# 不适用 row drops: _indicator_weight, _rescale) and the two flags that leave a row out. A 其中 row
# known by its name has no 得分, and a row with a 得分 is not blank: its names, target and actual are
# not read. Such rows are read grouped, each distinct row once with how many there are.
GROUPED = (IND.score, IND.deduction, IND.weight, IND.not_applicable, IND.breakdown)
# Grouped rows are summed in another order than the form's: exact while every partial sum fits
# Decimal's 28 digits (15 integer places, at most this many decimals, millions of rows). A form with
# a longer number, or a 得分 that is not a number (the row is scored from its target and actual), is
# read row by row.
GROUPED_PLACES = 6
# Per form uid, its distinct indicator rows with how many times each comes (see ``read_grouped``).
Groups = dict[int, list[tuple[Indicator, int]]]


_READERS: dict[
    tuple[Table, frozenset[str], frozenset[str] | None],
    tuple[str, Callable[[Sequence[Sequence[Any]]], list[Any]]],
] = {}
# The columns of each table by the file's schema (its tables' CREATE statements, as sqlite_master keeps
# them: the columns are what that text declares): files of one version share one entry, so asking
# SQLite for every table's columns (a pragma_table_info a table) is done once, not once a file.
_PRESENT: dict[str, dict[str, frozenset[str]]] = {}
PRESENT_KEPT = 64


def present_columns(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """The columns each table of the file has: an older file lacks later columns."""
    (schema,) = conn.execute(
        "SELECT group_concat(name || char(31) || sql, char(30)) FROM sqlite_master WHERE type = 'table'"
    ).fetchone()
    key = str(schema or "")
    known = _PRESENT.get(key)
    if known is not None:
        return known
    found: dict[str, set[str]] = {}
    for table, column in conn.execute(
        "SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p WHERE m.type = 'table'"
    ):
        found.setdefault(str(table), set()).add(str(column))
    if len(_PRESENT) >= PRESENT_KEPT:
        _PRESENT.clear()
    known = _PRESENT[key] = {t: frozenset(c) for t, c in found.items()}
    return known


def _select(cols: list[Column], present: frozenset[str]) -> str:
    """The SELECT list of text columns: a NULL and a column the file lacks read as blank."""
    return ", ".join(f"COALESCE({c.storage}, '')" if c.storage in present else "''" for c in cols)


def _records(conn: sqlite3.Connection, select: str, table: str, where: str = "") -> list[Any]:
    """Every row of ``table`` as the values of ``select``, handed over as one JSON array: sqlite3
    hands a row over value by value, each with the connection's mutex taken three times, and lets
    go of the GIL around every row (a quarter of the instructions of reading 750 indicators: callgrind
    counts 20.3 M a report that way, 15.7 M as JSON). Text reads back as the same text, integers as
    integers (the flags and numbers: a REAL there prints shorter, and is only ever made a bool or an
    int). A SQLite without JSON functions, or a value JSON cannot hold (a BLOB; an infinite REAL,
    which SQLite 3.40 writes as Inf), reads row by row."""
    try:
        found = conn.execute(f"SELECT json_group_array(json_array({select})) FROM {table}{where}")
        (text,) = found.fetchone()
    except sqlite3.OperationalError as exc:
        if "decode" in str(exc).lower():  # not UTF-8: reading it row by row fails alike
            raise
        return conn.execute(f"SELECT {select} FROM {table}{where}").fetchall()
    try:
        return list(json.loads(text)) if text else []
    except ValueError:  # an infinite REAL: SQLite 3.40 writes it as Inf, which is not JSON
        return conn.execute(f"SELECT {select} FROM {table}{where}").fetchall()


def _rows(
    conn: sqlite3.Connection,
    table: Table,
    forms: dict[int, Form],
    present: frozenset[str],
    wanted: frozenset[str] | None,
    where: str = "",
) -> None:
    """Append every row of ``table`` to its form's list, in order (one query for the whole file;
    sorted here: SQLite's ORDER BY walks the primary-key index and costs a third more). Only the
    ``wanted`` columns (None: all) are asked for; the others, and those the file lacks, read blank.
    The rows are made column by column (``columns_builder``), then handed to their forms a form's
    run at a time. A table with ``SPARSE`` columns, read whole, has them read apart
    (``_sparse_rows``)."""
    key = (table, present, wanted)
    found = _READERS.get(key)
    if found is None:
        found = _READERS[key] = columns_builder(table, set(present), wanted)
    select, build = found
    uids: Sequence[Any]
    read = _sparse_rows(conn, table, present, build) if wanted is None and not where else None
    if read is None:
        records = _records(conn, f"form_id, position, {select}", STORAGE_TABLES[table], where)
        if not records:
            return
        records.sort(key=itemgetter(0, 1))
        by_column = list(zip(*records, strict=True))
        uids, made = by_column[0], build(by_column[2:])
    else:
        uids, made = read
    start = 0
    for uid, run in groupby(uids):
        end = start + len(list(run))
        form = forms.get(uid)
        if form is not None:
            form.rows(table).extend(made[start:end])
        start = end


# Columns of a row table blank in most rows: a 偏差原因 is written where a target was missed, 方向,
# 扣减分数 and 计量单位 seldom, the bureau's 复核得分/复核意见 never in a department's file, the 不适用 and
# 其中 flags seldom set. Read whole, such a table has its other columns read as JSON a row each, as
# ``_records`` reads them, and these only from the rows where one of them is not blank: of the
# 1,000 × 30 × 25 set's 750 indicators a report, ~50 rows (SQLite wrote and Python parsed 6,000 blank
# values a report: a fifth of reading the indicators).
SPARSE: dict[Table, tuple[str, ...]] = {
    Table.INDICATORS: (
        IND.deviation_note,
        IND.direction,
        IND.not_applicable,
        IND.deduction,
        IND.unit,
        IND.review_score,
        IND.review_note,
        IND.breakdown,
    ),
}
# Per (table, the table's columns in the file): the query, the places of the columns read apart among
# the table's columns, their blank values, the places of the others; None: none of them is there.
_SPARSE_PLANS: dict[tuple[Table, frozenset[str]], tuple[str, list[int], list[Any], list[int]] | None] = {}


def _sparse_plan(table: Table, present: frozenset[str]) -> tuple[str, list[int], list[Any], list[int]] | None:
    """The query of ``_sparse_rows``: the JSON rows of the other columns, as ``row_reader`` asks for
    them, and the ``SPARSE`` columns of the rows where one is not blank. Blank is what the whole read
    makes of the value: a text "" or NULL (COALESCE), a flag NULL or the integer 0 (bool); any other
    value of a flag (a REAL, a text, a BLOB) is read as it is and made a bool as the whole read does."""
    cols = [c for c in columns(table) if c.storage]
    apart = [i for i, c in enumerate(cols) if c.key in SPARSE.get(table, ()) and c.storage in present]
    if not apart:
        return None
    special = (Kind.FLAG, Kind.PATH, Kind.INTEGER)
    assert all(cols[i].kind not in (Kind.PATH, Kind.INTEGER) for i in apart)  # a text or a flag
    rest = [i for i in range(len(cols)) if i not in apart]

    def value(c: Column) -> str:
        if c.storage not in present:
            return "NULL" if c.kind in special else "''"
        return c.storage if c.kind in special else f"COALESCE({c.storage}, '')"

    def set_(c: Column) -> str:
        return f"COALESCE({c.storage}, 0) IS NOT 0" if c.kind == Kind.FLAG else f"{c.storage} != ''"

    dense = ", ".join(value(cols[i]) for i in rest)
    sparse = ", ".join(value(cols[i]) for i in apart)
    where = " OR ".join(set_(cols[i]) for i in apart)
    sql = (
        f"SELECT json_group_array(json_array(form_id, position, {dense})), "
        f"group_concat(CASE WHEN {where} THEN json_array(form_id, position, {sparse}) END) "
        f"FROM {STORAGE_TABLES[table]}"
    )
    blanks: list[Any] = [0 if cols[i].kind == Kind.FLAG else "" for i in apart]
    return sql, apart, blanks, rest


def _sparse_rows(
    conn: sqlite3.Connection,
    table: Table,
    present: frozenset[str],
    build: Callable[[Sequence[Sequence[Any]]], list[Any]],
) -> tuple[Sequence[Any], list[Any]] | None:
    """Every row of ``table`` in order, with the form id of each, its ``SPARSE`` columns read apart
    (``_sparse_plan``): blank, but in the rows SQLite hands over with one of them set. None when the
    table has none of them, or when ``_records``'s way is to read it (a value JSON cannot hold, a
    SQLite without JSON, two rows under one form and position)."""
    key = (table, present)
    plan = _SPARSE_PLANS.get(key, _UNPLANNED)
    if plan is _UNPLANNED:
        plan = _SPARSE_PLANS[key] = _sparse_plan(table, present)
    if plan is None:
        return None
    sql, apart, blanks, rest = plan
    try:
        text, set_rows = conn.execute(sql).fetchone()
        records = json.loads(text) if text else []
        found = json.loads(f"[{set_rows}]") if set_rows else []
    except (sqlite3.OperationalError, ValueError):
        return None
    if not records:
        return [], []
    records.sort(key=itemgetter(0, 1))
    by_column = list(zip(*records, strict=True))
    n = len(records)
    values: list[Sequence[Any]] = [()] * (len(rest) + len(apart))
    for i, read in zip(rest, by_column[2:], strict=True):
        values[i] = read
    blank_columns = [[blank] * n for blank in blanks]
    for i, made in zip(apart, blank_columns, strict=True):
        values[i] = made
    if found:
        at = dict(zip(zip(by_column[0], by_column[1]), range(n)))
        if len(at) != n:
            return None
        for form_id, position, *set_values in found:
            row = at[form_id, position]
            for column, value in zip(blank_columns, set_values, strict=True):
                column[row] = value
    return by_column[0], build(values)


_UNPLANNED: Any = object()


# Form's fields begin with kind, then the header's stored columns in their declared order.
_make_form: Callable[..., Form] = Form
_FORM_POSITIONAL = [f.name for f in fields(Form)][
    1 : 1 + len([c for c in columns(Table.HEADER) if c.storage])
] == [c.key for c in columns(Table.HEADER) if c.storage]


def read_report(
    conn: sqlite3.Connection,
    figures_only: bool = False,
    meta: dict[str, str] | None = None,
    groups: Groups | None = None,
) -> Report:
    """Read the report in ``conn``: the whole of it (what ``repository.load_report`` reads, tests
    compare the two), or with ``figures_only`` what its figures need: the report's template, year
    and department, each form's kind and header fields (all of them, so a header field the list
    shows is there), its funds, indicators and score sheet (the columns of ``FIGURE_COLUMNS``; a
    column core.scoring comes to read must be added there, and tests/core/test_review_fast.py holds
    the list to score --json).

    A file of an older format is read as it is: the columns it lacks (added by a later migration
    that only adds columns) read as blank, as the migration would have left them. ``meta``: the
    file's meta table as ``readonly.read_meta`` read it (the 汇总分析报告's texts are taken from it,
    not asked for again). ``groups`` (with ``figures_only``): an empty dict the indicators are read
    into grouped where they can be (``read_grouped``): only ``figures.quick_figures`` with these
    groups scores such a report."""
    present = present_columns(conn)
    head_table = STORAGE_TABLES[Table.REPORT]
    head_cols = declared(Report)
    rest = [] if figures_only else declared(Signoff)
    has = present.get(head_table, frozenset())
    extra = "" if figures_only else (", basic_data" if "basic_data" in has else ", NULL")
    head = conn.execute(
        f"SELECT {_select([*head_cols, *rest], has)}{extra} FROM {head_table} WHERE id = 1"
    ).fetchone()
    if head is None:
        raise ValueError("报告文件中缺少报告信息")
    values: dict[str, Any] = {
        c.key: int(v) if c.kind == Kind.INTEGER else str(v) for c, v in zip(head_cols, head, strict=False)
    }
    report = Report(**values)
    if not figures_only:
        report.signoff = Signoff(
            **{c.key: str(v) for c, v in zip(rest, head[len(head_cols) :], strict=False)}
        )
        report.basic_data = json.loads(head[-1] or "{}")
    header = [c for c in columns(Table.HEADER) if c.storage]  # all of them: a form's row is short
    forms_table = STORAGE_TABLES[Table.HEADER]
    has = present.get(forms_table, frozenset())
    signoff = "" if figures_only else (", signoff" if "signoff" in has else ", NULL")
    forms: dict[int, Form] = {}
    width = len(header)
    for uid, kind, *texts in conn.execute(
        f"SELECT id, kind, {_select(header, has)}{signoff} FROM {forms_table} ORDER BY position"
    ):
        if _FORM_POSITIONAL:  # the header fields follow kind in Form's own order: no dict a form
            form = _make_form(kind, *map(str, texts[:width]), uid=int(uid))
        else:
            fields_of = {c.key: str(v) for c, v in zip(header, texts, strict=False)}
            form = _make_form(kind=kind, uid=int(uid), **fields_of)
        if not figures_only:
            form.signoff = signoff_from_db(texts[-1])
        forms[form.uid] = form
        report.forms.append(form)
    for table in FIGURE_COLUMNS if figures_only else ROW_TABLES:
        has = present.get(STORAGE_TABLES[table], frozenset())
        wanted = FIGURE_COLUMNS[table] if figures_only else None
        if table == Table.INDICATORS and figures_only and groups is not None:
            spec = get_template(report.template).form  # a 评分表 reads its rows' names and targets
            whole = read_grouped(conn, {u: f for u, f in forms.items() if spec(f.kind).scored}, has, groups)
            whole += [u for u, f in forms.items() if not spec(f.kind).scored]
            if whole:  # the forms some row of which is scored from its target and actual: row by row
                _rows(conn, table, forms, has, wanted, f" WHERE form_id IN ({', '.join(map(str, whole))})")
            continue
        _rows(conn, table, forms, has, wanted)
    if not figures_only:
        narrative = [c for c in columns(Table.NARRATIVE) if c.storage]
        has = present.get(STORAGE_TABLES[Table.NARRATIVE], frozenset())
        report.narrative = [
            NarrativeSection(**{c.key: str(v) for c, v in zip(narrative, texts, strict=True)})
            for texts in conn.execute(
                f"SELECT {_select(narrative, has)} FROM {STORAGE_TABLES[Table.NARRATIVE]} ORDER BY position"
            )
        ]
        if "meta" not in present:
            report.analysis = {}
        elif meta is not None:
            report.analysis = analysis_of(meta.get(ANALYSIS_KEY))
        else:
            report.analysis = read_analysis(Database(conn))
        # the 请核对 flags an import left (S24 counts them; a file older than the table has none)
        flags_table = present.get(STORAGE_TABLES[Table.REVIEW_FLAGS])
        if flags_table is not None:  # its columns known: not asked for again (PRAGMA table_info)
            for uid, flags in flags_by_form(Database(conn), flags_table).items():
                if uid in forms:
                    forms[uid].review_flags = flags
    return report


def read_grouped(
    conn: sqlite3.Connection, forms: dict[int, Form], present: frozenset[str], groups: Groups
) -> list[int]:
    """Read the indicators of ``forms`` grouped: each distinct row of a form (its ``GROUPED``
    columns, the others blank) once, counted by SQLite, into ``groups``, and the form's indicators
    as that many references to it (in another order than the form's: sums only). Return the uids of
    the forms with a row of another kind (a 得分 that is not a number, or a number beyond
    ``GROUPED_PLACES``), which are to be read row by row (not in ``groups``, no indicators yet).
    Only forms scored from their indicators' scores are to be given (not a 评分表's: its formulas
    read the rows' names, targets and actuals).

    The list's figures of 750 rows a report come from ~100 distinct ones: typed scores repeat (most
    are the 分值), as do the 分值 and blank 扣减分数; reading, building and scoring each row cost
    more than half of the figures pass."""
    query = _GROUPED_SQL.get(present)
    if query is None:
        cols = {c.key: c for c in columns(Table.INDICATORS)}
        values = [
            (c.storage if c.storage in present else "NULL")
            if c.kind == Kind.FLAG
            else (f"COALESCE({c.storage}, '')" if c.storage in present else "''")
            for c in (cols[k] for k in GROUPED)
        ]
        names = ", ".join(f"g{i}" for i in range(len(values) + 1))
        inner = ", ".join(f"{v} AS g{i}" for i, v in enumerate(["form_id", *values]))
        table = f"(SELECT {inner}, count(*) AS n FROM {STORAGE_TABLES[Table.INDICATORS]} GROUP BY {names})"
        query = _GROUPED_SQL[present] = (f"{names}, n", table)
    whole: set[int] = set()
    for uid, *values, n in _records(conn, *query):
        if uid in whole or uid not in forms:
            continue
        key = tuple(values)
        row = _GROUPED_ROWS.get(key, _UNSEEN)
        if row is _UNSEEN:
            row = _grouped_row(key)
        if row is None:
            whole.add(uid)
            groups.pop(uid, None)
        else:
            groups.setdefault(uid, []).append((row, n))
    for uid, found in groups.items():
        rows = forms[uid].indicators
        rows.clear()
        for row, n in found:
            rows.extend(repeat(row, n))
    return sorted(whole)


# The grouped query by the columns a file has; each distinct grouped row as its Indicator, shared by
# every form and report that has it (nothing changes them: only quick_figures reads them), or None
# when it is not of a kind read grouped. Emptied when full.
_GROUPED_SQL: dict[frozenset[str], tuple[str, str]] = {}
_GROUPED_ROWS: dict[tuple[Any, ...], Indicator | None] = {}
GROUPED_KEPT = 1 << 14
_UNSEEN = Indicator()


def _grouped_row(key: tuple[Any, ...]) -> Indicator | None:
    """The Indicator of a grouped row's values (``GROUPED`` order), None when its 得分 is not a
    number or a number is longer than ``GROUPED_PLACES`` decimals; remembered."""
    from core.scoring import amount

    def exact(text: Any) -> bool:
        value = amount(text)
        return value is None or int(value.as_tuple().exponent) >= -GROUPED_PLACES

    score, deduction, weight, not_applicable, breakdown = key
    row: Indicator | None = None
    if amount(score) is not None and exact(score) and exact(deduction) and exact(weight):
        row = Indicator(
            **{
                IND.score: score,
                IND.deduction: deduction,
                IND.weight: weight,
                IND.not_applicable: bool(not_applicable),
                IND.breakdown: bool(breakdown),
            }
        )
    if len(_GROUPED_ROWS) >= GROUPED_KEPT:
        _GROUPED_ROWS.clear()
    _GROUPED_ROWS[key] = row
    return row


def read_figures(conn: sqlite3.Connection) -> Report:
    """``read_report`` with only what the figures need."""
    return read_report(conn, figures_only=True)
