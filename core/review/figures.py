"""Per-form figures of a report as the review list and the package manifest carry them.

Every figure is a string as ``score --json`` prints it; the list, the manifest and the
JSON output all come from ``report_summary`` so they cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from core.model import Report
from core.numbers import fmt, fmt_percent
from core.problems import SEVERITIES, Problem
from core.scoring import (
    FormScore,
    IndicatorScore,
    _execution_part,
    _scored_total,
    amount,
    early_warning,
    effective_score,
    execution_score,
    grade_of,
    score_report,
    score_sheet_items,
    sheet_total,
)
from core.templates import get_template

FORM_KEYS = (
    "name",
    "kind",
    "initial",
    "budget",
    "executed",
    "execution_rate",
    "execution_score",
    "total",
    "grade",
    "warning",
    "warning_why",
    "problems",
)


def form_figures(
    report: Report, scores: list[FormScore], problems: list[Problem] | None = None
) -> list[dict[str, Any]]:
    """Return one dict per form: names, money of the rate row, 执行率, score, grade, 自评预警, problems."""
    template = get_template(report.template)
    per_form: dict[int | None, list[Problem]] = {}
    for p in problems or []:
        per_form.setdefault(p.form_uid, []).append(p)
    out = []
    for form, s in zip(report.forms, scores, strict=True):
        row = form.fund(template.form(form.kind).rate_row)
        ex = s.execution
        out.append(
            {
                "name": form.name,
                "kind": form.kind,
                "initial": fmt(amount(row.initial)) if row else "",
                "budget": fmt(amount(row.annual)) if row else "",
                "executed": fmt(amount(row.executed)) if row else "",
                "execution_rate": fmt_percent(ex.rate, s.rate_places),
                "execution_score": fmt(ex.score),
                "total": fmt(s.total),
                "grade": s.grade,
                "warning": s.warning,
                "warning_why": s.warning_why,
                "problems": problem_counts(per_form.get(form.uid, [])),
            }
        )
    return out


def problem_counts(problems: list[Problem]) -> dict[str, int]:
    counts = Counter(p.severity for p in problems)
    return {s: counts.get(s, 0) for s in SEVERITIES}


def problem_rules(problems: list[Problem]) -> dict[str, int]:
    """Return how often each rule fired (for the 通报's most frequent problems)."""
    return dict(Counter(p.rule for p in problems))


def report_summary(report: Report) -> dict[str, Any]:
    """Return department, year, template, per-form figures and problem counts of a report."""
    from core.rules import check_report

    problems = check_report(report)
    return {
        "department": report.department,
        "year": report.year,
        "template": report.template,
        "forms": form_figures(report, score_report(report), problems),
        "problems": problem_counts(problems),
        "rules": problem_rules(problems),
    }


def quick_figures(report: Report) -> list[dict[str, Any]]:
    """Return ``form_figures`` without the check (``problems`` None) and without working out every
    indicator's reason: only the totals, 执行率 and 自评预警 (the review list's first pass).

    The same scoring functions give the same figures; tests compare the two on every seed and on
    generated reports.
    """
    template = get_template(report.template)
    opts = template.scoring
    out = []
    for form in report.forms:
        spec = template.form(form.kind)
        row = form.fund(spec.rate_row)
        ex = execution_score(form, spec)
        scores = [effective_score(ind, report.template) for ind in form.indicators]
        total = (  # as scoring.form_total, from the scores worked out once
            _scored_total(_execution_part(ex, spec), scores, form, opts)
            if spec.scored
            else sheet_total(form, score_sheet_items(report, form, template))
        )
        finals = [IndicatorScore(i, None, s, "", "", None, s) for i, s in enumerate(scores)]
        warning, why = early_warning(form, spec, ex, finals, opts)
        out.append(
            {
                "name": form.name,
                "kind": form.kind,
                "initial": fmt(amount(row.initial)) if row else "",
                "budget": fmt(amount(row.annual)) if row else "",
                "executed": fmt(amount(row.executed)) if row else "",
                "execution_rate": fmt_percent(ex.rate, opts.rate_places),
                "execution_score": fmt(ex.score),
                "total": fmt(total),
                "grade": grade_of(total, opts),
                "warning": warning,
                "warning_why": why,
                "problems": None,
            }
        )
    return out


def quick_summary(report: Report) -> dict[str, Any]:
    """Return ``report_summary`` without the check: problem counts and rules are None."""
    return {
        "department": report.department,
        "year": report.year,
        "template": report.template,
        "forms": quick_figures(report),
        "problems": None,
        "rules": None,
    }
