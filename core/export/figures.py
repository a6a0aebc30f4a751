"""Computed figures for the exports: 执行率, scores, sums, totals and grades.

They come from ``core.scoring`` (the one place that computes them); a small
fallback computes the execution figures and totals when scoring cannot be used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.model import Form, Report
from core.numbers import ONE, ZERO, q, try_amount
from core.templates import FormSpec, Template, get_template


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


def form_figures(report: Report, form: Form) -> Figures:
    """Return the computed figures of one form (from core.scoring when it is there)."""
    try:
        from core.scoring import score_form
    except ImportError:
        return fallback_figures(report, form)
    s = score_form(report, form)
    return Figures(
        rate=s.execution.rate,
        score=s.execution.score,
        weight=s.execution.weight,
        row_rates=dict(s.row_rates),
        sums=dict(s.computed_sums),
        indicators=[i.score for i in s.indicators],
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


def _rate(annual: Decimal | None, executed: Decimal | None) -> Decimal | None:
    if not annual or executed is None:
        return None
    return executed / annual


def _sums(form: Form, spec: FormSpec) -> dict[tuple[str, str], Decimal]:
    out: dict[tuple[str, str], Decimal] = {}
    for s in spec.sums:
        for col in s.columns:
            values = [try_amount(getattr(r, col)) for k in s.parts if (r := form.fund(k)) is not None]
            present = [v for v in values if v is not None]
            if present:
                out[(s.total, col)] = sum(present, ZERO)
    return out


def grade_of(total: Decimal | None, template: Template) -> str:
    """Return the grade name whose floor ``total`` reaches."""
    if total is None:
        return ""
    for name, floor in sorted(template.scoring.grades, key=lambda g: g[1], reverse=True):
        if total >= floor:
            return name
    return ""


def fallback_figures(report: Report, form: Form) -> Figures:
    """Compute 执行率 = executed / annual, score = weight × min(rate, 1), totals from entered scores."""
    template = get_template(report.template)
    spec = template.form(form.kind)
    row = form.fund(spec.rate_row)
    rate = _rate(try_amount(row.annual), try_amount(row.executed)) if row else None
    weight = (
        try_amount(form.execution_weight)
        if form.execution_weight.strip()
        else try_amount(spec.execution_weight)
    )
    score = q(weight * min(rate, ONE)) if rate is not None and weight is not None else None
    inds = [try_amount(i.score) for i in form.indicators]
    sheet = [try_amount(i.self_score) for i in form.score_sheet]
    if spec.scored:
        total: Decimal | None = q((score or ZERO) + sum((v for v in inds if v is not None), ZERO))
    else:
        total = q(sum((v for v in sheet if v is not None), ZERO)) if form.score_sheet else None
    rates = {r.key: _rate(try_amount(r.annual), try_amount(r.executed)) for r in form.funds}
    return Figures(
        rate, score, weight, rates, _sums(form, spec), inds, sheet, total, grade_of(total, template)
    )
