"""Computed figures for the exports: 执行率, scores, sums, totals and grades, from core.scoring."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.model import Form, Report
from core.numbers import try_amount
from core.scoring import score_form
from core.templates import Template


@dataclass
class Figures:
    rate: Decimal | None = None
    score: Decimal | None = None
    weight: Decimal | None = None
    row_rates: dict[str, Decimal | None] = field(default_factory=dict)
    sums: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    indicators: list[Decimal | None] = field(default_factory=list)
    sheet: list[Decimal | None] = field(default_factory=list)
    total: Decimal | None = None
    grade: str = ""


def form_figures(report: Report, form: Form, template: Template) -> Figures:
    """Return the computed figures of one form."""
    s = score_form(report, form, template)
    return Figures(
        rate=s.execution.rate,
        score=s.execution.score,
        weight=s.execution.weight,
        row_rates=dict(s.row_rates),
        sums=dict(s.computed_sums),
        indicators=[i.final for i in s.indicators],  # after 扣减分数, as 总分 counts it (K13)
        sheet=[
            _entered_or(item.self_score, i.suggested)
            for item, i in zip(form.score_sheet, s.score_sheet, strict=False)
        ],
        total=s.total,
        grade=s.grade,
    )


def _entered_or(text: str, suggested: Decimal | None) -> Decimal | None:
    value = try_amount(text)
    return suggested if value is None else value
