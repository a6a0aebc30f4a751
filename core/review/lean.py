"""Read what a report's figures need straight from its SQLite file, with plain ``sqlite3``.

The review list's first pass scores hundreds of reports; building each whole (every column, through
sqlite_utils) cost more than scoring it. This reader asks SQLite for only the columns the scores read
(``FIGURE_COLUMNS``: the rate row's money, the indicators' cells that ``core.scoring`` reads, the
score sheet) and builds the same model objects from them, so ``figures.quick_figures`` gives exactly
what it gives on the whole report (tests compare the two on every seed and on generated reports).
Other columns keep their defaults. The file must be of the current format (an older one is
upgraded in memory first, see ``readonly.load_connection``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from core.schema import (
    FUND_AMOUNTS,
    IND,
    STORAGE_TABLES,
    Form,
    Kind,
    Report,
    Table,
    columns,
    declared,
)
from core.storage.repository import row_reader

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


_READERS: dict[Table, tuple[str, Callable[[tuple[Any, ...]], Any]]] = {}


def _rows(conn: sqlite3.Connection, table: Table, forms: dict[int, Form]) -> None:
    """Append every row of ``table`` to its form's list, in order (one query for the whole file;
    sorted here: SQLite's ORDER BY walks the primary-key index and costs a third more)."""
    found = _READERS.get(table)
    if found is None:
        present = {c.storage for c in columns(table)}  # the current format (an older file is upgraded first)
        found = _READERS[table] = row_reader(table, present, FIGURE_COLUMNS[table])
    select, build = found
    records = conn.execute(f"SELECT form_id, position, {select} FROM {STORAGE_TABLES[table]}").fetchall()
    records.sort(key=itemgetter(0, 1))
    current: int | None = None
    rows: list[Any] = []
    for values in records:
        if values[0] != current:
            current = values[0]
            form = forms.get(current)
            rows = form.rows(table) if form is not None else []
        rows.append(build(values[2:]))


def read_figures(conn: sqlite3.Connection) -> Report:
    """Read the report in ``conn`` (current format) with what its figures need: the report's
    template, year and department, each form's kind and header fields (all of them, so a header
    field the list shows is there), its funds, indicators and score sheet (the columns of
    ``FIGURE_COLUMNS``; a column core.scoring comes to read must be added there, and
    tests/core/test_review_fast.py holds the list to score --json)."""
    head_cols = declared(Report)
    head = conn.execute(
        f"SELECT {', '.join(c.storage for c in head_cols)} FROM {STORAGE_TABLES[Table.REPORT]} WHERE id = 1"
    ).fetchone()
    if head is None:
        raise ValueError("报告文件中缺少报告信息")
    values: dict[str, Any] = {
        c.key: int(v) if c.kind == Kind.INTEGER else ("" if v is None else str(v))
        for c, v in zip(head_cols, head, strict=True)
    }
    report = Report(**values)
    header = [c for c in columns(Table.HEADER) if c.storage]  # all of them: a form's row is short
    forms: dict[int, Form] = {}
    select = ", ".join(f"COALESCE({c.storage}, '')" for c in header)
    for uid, kind, *texts in conn.execute(
        f"SELECT id, kind, {select} FROM {STORAGE_TABLES[Table.HEADER]} ORDER BY position"
    ):
        fields_of: dict[str, Any] = {c.key: str(v) for c, v in zip(header, texts, strict=True)}
        form = Form(kind=kind, uid=int(uid), **fields_of)
        forms[form.uid] = form
        report.forms.append(form)
    for table in FIGURE_COLUMNS:
        _rows(conn, table, forms)
    return report
