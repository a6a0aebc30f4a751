"""What every rule function gets: the report, its template and one form."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.model import Form, Report
from core.numbers import fmt
from core.problems import Problem
from core.rules.catalogue import group, severity
from core.templates import FormSpec, Template, get_template

OPERATORS = {"≥": "<", ">": "≤", "≤": ">", "<": "≥", "=": "≠"}


@dataclass(frozen=True)
class FormCtx:
    report: Report
    template: Template
    spec: FormSpec
    form: Form

    @classmethod
    def of(cls, report: Report, form: Form) -> FormCtx:
        template = get_template(report.template)
        return cls(report, template, template.form(form.kind), form)

    def problem(
        self, rule: str, message: str, table: str, row: int | None = None, column: str | None = None
    ) -> Problem:
        """Return a Problem of ``rule`` pointing at a cell of this form."""
        return Problem(
            rule, severity(rule), message, self.form.uid, self.form.name, table, row, column, group(rule)
        )


def report_problem(
    rule: str, message: str, table: str = "report", row: int | None = None, column: str | None = None
) -> Problem:
    """Return a report-level Problem."""
    return Problem(rule, severity(rule), message, None, "", table, row, column, group(rule))


def money(value: Decimal | None) -> str:
    """Print an amount for a message ("101.17", "0"; blank as 空)."""
    return "空" if value is None else fmt(value)
