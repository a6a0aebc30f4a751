"""V18: an amount cell (a form's or the 基础数据表's) whose stored text is no number or out of
range (older files, other programs).

Typing, paste and import refuse such text; a file that already holds it still opens, and the
value is flagged here at its cell, while every computation treats it as blank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import chain
from operator import attrgetter
from typing import Any

from core import schema
from core.model import HEADER, Report
from core.numbers import amount_problem
from core.problems import Problem
from core.rules.base import FormCtx, form_rule, report_problem, report_rule
from core.schema import BASIC_PARTS, Kind, Table
from core.templates import Template

AMOUNT_CELLS = {t: schema.keys(t, Kind.AMOUNT) for t in (Table.FUNDS, Table.INDICATORS, Table.SCORE_SHEET)}


def _cells_of(columns: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A row's ``columns`` in one call (the check reads 4 amount cells of each of a report's 750
    indicator rows)."""
    get = attrgetter(*columns)
    return (lambda row: (get(row),)) if len(columns) == 1 else get


_CELLS = {t: _cells_of(c) for t, c in AMOUNT_CELLS.items()}
# Each amount column's getter: a table's distinct amount texts are gathered column by column, in C
# (a tuple a row made and unpacked again cost a third more).
_COLUMN_CELLS = {t: tuple(map(attrgetter, c)) for t, c in AMOUNT_CELLS.items()}
HEADER_AMOUNTS = schema.keys(Table.HEADER, Kind.AMOUNT)
BASIC_AMOUNTS = {
    part: tuple(c.key for c in schema.declared(t) if c.kind == Kind.AMOUNT) for part, t in BASIC_PARTS.items()
}


def _no_bad_amount(report: Report, _template: Template) -> bool:
    """True when no amount cell of any form of ``report`` is one ``check_amounts`` flags: the distinct
    texts of every form's amount cells, gathered column by column over the whole report (what
    ``check_amounts`` asks of each form's, once a report instead of once a form)."""
    forms = report.forms
    texts = {getattr(form, name, "") for form in forms for name in HEADER_AMOUNTS}
    for table, getters in _COLUMN_CELLS.items():
        rows = list(chain.from_iterable(form.rows(table) for form in forms))
        for get in getters:
            texts.update(map(get, rows))
    return not any(map(amount_problem, texts))


@form_rule(
    Table.FUNDS,
    Table.INDICATORS,
    Table.SCORE_SHEET,
    Table.HEADER,
    columns=AMOUNT_CELLS,
    clean=_no_bad_amount,
)
def check_amounts(ctx: FormCtx) -> Iterator[Problem]:
    """V18 for every amount cell of one form that storage would no longer accept."""
    form = ctx.form
    for name in HEADER_AMOUNTS:
        problem = amount_problem(getattr(form, name, ""))
        if problem:
            yield ctx.problem("V18", problem, HEADER, None, name)
    for table, columns in AMOUNT_CELLS.items():
        cells = _CELLS[table]
        rows = form.rows(table)
        if not rows:
            continue
        first, *others = _COLUMN_CELLS[table]
        if not any(map(amount_problem, set(map(first, rows)).union(*[map(get, rows) for get in others]))):
            continue  # the usual form: none of its distinct texts is a problem (each asked once; "" is none)
        for row, item in enumerate(rows):
            for column, text in zip(columns, cells(item), strict=True):
                problem = amount_problem(text) if text else None  # blank is no problem
                if problem:
                    yield ctx.problem("V18", problem, table, row, column)


@report_rule(Table.BASIC_DATA)
def check_basic_amounts(report: Report, _template: Template) -> Iterator[Problem]:
    """V18 for every amount cell of the 基础数据表 that storage would no longer accept."""
    for part, amounts in BASIC_AMOUNTS.items():
        if not amounts:
            continue
        for row, values in enumerate(schema.basic_rows(report.basic_data, part, [])):
            for column in amounts:
                value = values.get(column)
                problem = amount_problem(None if value is None else str(value))
                if problem:
                    yield report_problem("V18", problem, Table.BASIC_DATA, row, column)
