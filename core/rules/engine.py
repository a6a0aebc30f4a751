"""The checker: every rule over a report, and re-checking only what a change touches.

Problems live in buckets: per form, one list per table row (indicators, goals) and one
for the form as a whole (funds, weights, totals, header, score sheet); plus one bucket
for the report. A change re-fills only the buckets that depend on it.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from core.model import FUNDS, GOALS, HEADER, INDICATORS, OVERALL, PROJECT, Form, Report
from core.problems import Problem
from core.rules.amounts import check_amounts
from core.rules.base import FormCtx
from core.rules.figures import check_notes
from core.rules.funds import fund_rules
from core.rules.indicators import check_weights, indicator_row
from core.rules.report_rules import check_form_signoff, check_header, report_rules
from core.rules.sheets import check_goals, check_sheet, check_total
from core.rules.submission import submission_form, submission_row
from core.scoring import computed_sums

if TYPE_CHECKING:
    from core.report import Change

RowKey = tuple[str, int]


def form_problems(ctx: FormCtx) -> list[Problem]:
    """Return the form-wide problems: funds, weights, totals, header, score sheet."""
    out = list(fund_rules(ctx, computed_sums(ctx.form, ctx.spec)))
    out += check_weights(ctx)
    out += check_total(ctx)
    out += check_header(ctx)
    out += check_form_signoff(ctx)
    out += check_sheet(ctx)
    out += check_notes(ctx)
    out += check_amounts(ctx)
    out += submission_form(ctx)
    return out


def indicator_problems(ctx: FormCtx, row: int) -> list[Problem]:
    """Return the problems of one indicator row, the pre-submission ones included."""
    return indicator_row(ctx, row) + submission_row(ctx, row)


def row_problems(ctx: FormCtx, table: str, row: int) -> list[Problem]:
    """Return the problems of one indicator or goal row."""
    if table == INDICATORS:
        return indicator_problems(ctx, row)
    return check_goals(ctx, row)


class Checker:
    """Keeps the problems of a report up to date as it changes."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._rows: dict[int, dict[RowKey, list[Problem]]] = {}
        self._forms: dict[int, list[Problem]] = {}
        self._report: list[Problem] = []
        self._sorted: list[Problem] | None = None
        self.full()

    # ---- checking ------------------------------------------------------------
    def full(self) -> None:
        """Check everything again (with the cyclic garbage collector paused: it only creates garbage-free
        result objects, and a collection in the middle of 10,000 of them costs more than the check)."""
        paused = gc.isenabled()
        gc.disable()
        try:
            self._rows.clear()
            self._forms.clear()
            for form in self.report.forms:
                self._check_form(form)
            self._report = report_rules(self.report)
            self._sorted = None
        finally:
            if paused:
                gc.enable()

    def _ctx(self, form: Form) -> FormCtx:
        return FormCtx.of(self.report, form)

    def _check_form(self, form: Form) -> None:
        ctx = self._ctx(form)
        rows: dict[RowKey, list[Problem]] = {}
        for i in range(len(form.indicators)):
            found = indicator_problems(ctx, i)
            if found:
                rows[(INDICATORS, i)] = found
        for i in range(len(form.goals)):
            found = check_goals(ctx, i)
            if found:
                rows[(GOALS, i)] = found
        self._rows[id(form)] = rows
        self._forms[id(form)] = form_problems(ctx)

    def _check_rows(self, form: Form, table: str, rows: tuple[int, ...]) -> None:
        ctx = self._ctx(form)
        bucket = self._rows.setdefault(id(form), {})
        for i in rows:
            if 0 <= i < len(form.rows(table)):
                bucket[(table, i)] = row_problems(ctx, table, i)
        self._forms[id(form)] = form_problems(ctx)

    def _check_overall_of(self, form: Form) -> None:
        """Re-check the overall form when its score sheet depends on this project."""
        overall = self.report.overall
        if form.kind == PROJECT and overall is not None and overall.score_sheet:
            self._forms[id(overall)] = form_problems(self._ctx(overall))

    def apply(self, change: Change) -> None:
        """Re-check only what depends on ``change``."""
        self._sorted = None
        if change.table == "forms":
            self._apply_forms(change)
            return
        if change.form is None:
            if "template" in change.columns:
                self.full()
            else:
                self._report = report_rules(self.report)
            return
        form = self.report.form_by_uid(change.form)
        if change.structural or change.table == HEADER:
            self._check_form(form)
        elif change.table in (INDICATORS, GOALS):
            self._check_rows(form, change.table, change.rows)
        else:  # funds, score sheet
            self._forms[id(form)] = form_problems(self._ctx(form))
        if change.table in (FUNDS, HEADER) or change.structural:
            self._check_overall_of(form)
        if change.table in (GOALS, HEADER) or form.kind == OVERALL:
            self._report = report_rules(self.report)

    def _apply_forms(self, change: Change) -> None:
        keys = {id(f) for f in self.report.forms}
        for gone in set(self._forms) - keys:
            self._forms.pop(gone, None)
            self._rows.pop(gone, None)
        for form in self.report.forms:
            if id(form) not in self._forms:
                self._check_form(form)
        overall = self.report.overall
        if overall is not None:
            self._forms[id(overall)] = form_problems(self._ctx(overall))
        self._report = report_rules(self.report)

    # ---- reading -------------------------------------------------------------
    def _form_list(self, form: Form) -> list[Problem]:
        out = list(self._forms.get(id(form), []))
        for found in self._rows.get(id(form), {}).values():
            out += found
        return out

    def _uid_list(self, uid: int) -> list[Problem]:
        out = [p for p in self._report if p.form_uid == uid]
        for form in self.report.forms:
            if form.uid == uid:
                out += self._form_list(form)
        return out

    @property
    def problems(self) -> list[Problem]:
        """Every problem, errors first."""
        if self._sorted is None:
            out = list(self._report)
            for form in self.report.forms:
                out += self._form_list(form)
            self._sorted = sorted(out, key=lambda p: p.sort_key())
        return self._sorted

    def problems_for_form(self, uid: int) -> list[Problem]:
        """Problems of one form (including report rules that point into it), errors first."""
        return sorted(self._uid_list(uid), key=lambda p: p.sort_key())

    def problems_at(self, uid: int | None, table: str, row: int | None, column: str | None) -> list[Problem]:
        """Problems pointing at one cell (row/column None = the whole row/table)."""
        pool = self._report if uid is None else self._uid_list(uid)
        return [
            p
            for p in pool
            if p.table == table and (row is None or p.row == row) and (column is None or p.column == column)
        ]

    def counts(self) -> dict[str, int]:
        """Return {"error": n, "warning": n, "info": n}."""
        out = {"error": 0, "warning": 0, "info": 0}
        for p in self.problems:
            out[p.severity] += 1
        return out
