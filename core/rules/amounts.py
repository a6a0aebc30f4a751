"""V18: an amount cell whose stored text is no number or out of range (older files, other programs).

Typing, paste and import refuse such text; a file that already holds it still opens, and the
value is flagged here at its cell, while every computation treats it as blank.
"""

from __future__ import annotations

from collections.abc import Iterator

from core import schema
from core.model import HEADER
from core.numbers import amount_problem
from core.problems import Problem
from core.rules.base import FormCtx, form_rule
from core.schema import Kind, Table

AMOUNT_CELLS = {t: schema.keys(t, Kind.AMOUNT) for t in (Table.FUNDS, Table.INDICATORS, Table.SCORE_SHEET)}
HEADER_AMOUNTS = schema.keys(Table.HEADER, Kind.AMOUNT)


@form_rule(Table.FUNDS, Table.INDICATORS, Table.SCORE_SHEET, Table.HEADER)
def check_amounts(ctx: FormCtx) -> Iterator[Problem]:
    """V18 for every amount cell of one form that storage would no longer accept."""
    form = ctx.form
    for name in HEADER_AMOUNTS:
        problem = amount_problem(getattr(form, name, ""))
        if problem:
            yield ctx.problem("V18", problem, HEADER, None, name)
    for table, columns in AMOUNT_CELLS.items():
        for row, item in enumerate(form.rows(table)):
            for column in columns:
                problem = amount_problem(getattr(item, column, ""))
                if problem:
                    yield ctx.problem("V18", problem, table, row, column)
