"""Per-form figures of a report as the review list and the package manifest carry them.

Every figure is a string as ``score --json`` prints it; the list, the manifest and the
JSON output all come from ``report_summary`` so they cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from itertools import repeat
from typing import TYPE_CHECKING, Any

from core.model import Form, Report
from core.numbers import ZERO, fmt, fmt_percent
from core.problems import SEVERITIES, Problem
from core.schema import FUND, FUND_AMOUNTS, HEAD, declared
from core.scoring import (
    ExecutionScore,
    FormScore,
    _execution_part,
    _total_of,
    _warning_of,
    _weight_or_default,
    amount,
    execution_figures,
    grade_of,
    indicator_sums,
    score_sheet_items,
    sheet_total,
)
from core.templates import Template, get_template

if TYPE_CHECKING:
    from core.review.lean import Groups
    from core.rules.engine import Counted

# A form's figures; those that are a column's value are keyed by the column (the form's 名称, the
# rate row's 年初预算数 and 全年执行数; "budget" is its 全年预算数).
FORM_KEYS = (
    HEAD.name,
    HEAD.code,
    HEAD.office,
    "kind",
    FUND.initial,
    "budget",
    FUND.executed,
    "execution_rate",
    "execution_score",
    "total",
    "grade",
    "warning",
    "warning_why",
    "problems",
)
SUMMARY_HEAD = tuple(c.key for c in declared(Report))  # template, year, department


def _form_row(
    form: Form, template: Template, ex: ExecutionScore, total: Decimal | None, warning: tuple[str | None, str]
) -> dict[str, Any]:
    """One form's figures as the list and the manifest carry them (``problems`` filled by the caller)."""
    row = form.fund(template.form(form.kind).rate_row)
    money = [fmt(amount(getattr(row, k))) if row else "" for k in FUND_AMOUNTS]
    values = [
        form.name,
        form.code,
        form.office,
        form.kind,
        *money,
        fmt_percent(ex.rate, template.scoring.rate_places),
        fmt(ex.score),
        fmt(total),
        grade_of(total, template.scoring),
        *warning,
        None,
    ]
    return dict(zip(FORM_KEYS, values, strict=True))


def form_figures(
    report: Report, template: Template, scores: list[FormScore], problems: list[Problem] | None = None
) -> list[dict[str, Any]]:
    """Return one dict per form: names, money of the rate row, 执行率, score, grade, 自评预警, problems,
    from the whole score of every form (``scoring.score_report``): the reference the list's quick
    figures are tested against (the list itself uses ``quick_figures``)."""
    per_form: dict[int | None, list[Problem]] = {}
    for p in problems or []:
        per_form.setdefault(p.form_uid, []).append(p)
    out = []
    for form, s in zip(report.forms, scores, strict=True):
        row = _form_row(form, template, s.execution, s.total, (s.warning, s.warning_why))
        row[FORM_KEYS[-1]] = problem_counts(per_form.get(form.uid, []))
        out.append(row)
    return out


def problem_counts(problems: list[Problem]) -> dict[str, int]:
    counts = Counter(p.severity for p in problems)
    return {s: counts.get(s, 0) for s in SEVERITIES}


def _summary(
    report: Report, forms: list[dict[str, Any]], rules: dict[int | None, Counter[str]] | None
) -> dict[str, Any]:
    """department, year, template of a report with its forms' figures; the problem counts by
    severity and by rule of the whole report from ``rules`` (per form uid; None: unchecked)."""
    head = {k: getattr(report, k) for k in SUMMARY_HEAD}
    if rules is None:
        return {**head, "forms": forms, "problems": None, "rules": None}
    from core.rules.catalogue import severity  # not imported by the figures pass's workers

    whole: dict[str, int] = {}
    for found in rules.values():  # added up by hand: Counter.update of a Counter is a Python loop too
        for rule, n in found.items():
            whole[rule] = whole.get(rule, 0) + n
    ordered = sorted(whole.items(), key=lambda item: (SEVERITIES.index(severity(item[0])), item[0]))
    return {**head, "forms": forms, "problems": _by_severity(whole), "rules": dict(ordered)}


def _by_severity(rules: Mapping[str, int]) -> dict[str, int]:
    from core.rules.catalogue import RULES  # severity(rule) is RULES[rule].severity

    counts = dict.fromkeys(SEVERITIES, 0)
    for rule, n in rules.items():
        counts[RULES[rule].severity] += n
    return counts


def report_summary(
    report: Report, template: Template | None = None, figures: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Return department, year, template, per-form figures and problem counts of a report.

    The figures are ``quick_figures`` (the totals without every indicator's reason: what
    ``form_figures`` of ``score_report`` gives, at a quarter of the cost; tests compare the two).
    The counts are the checker's ``rule_counts``: what ``check_report`` finds, counted without
    making each problem (tests compare them with ``check --json``).
    ``template``: the report's, when the caller has it (else resolved here, once: a report just
    read from a file for the list). ``figures``: the forms' figures a figures pass already listed for
    this report (``quick_figures``'s, unchanged file): only the counts are worked out then."""
    from core.rules import Checker

    template = template or get_template(report.template)
    counted: Counted = {}  # the figures the count walk works out on its way
    rules = Checker(report, template, check=False).rule_counts(counted)
    known = figures is not None and len(figures) == len(report.forms)
    forms = figures if figures is not None and known else quick_figures(report, template, counted=counted)
    for form, row in zip(report.forms, forms, strict=True):
        row[FORM_KEYS[-1]] = _by_severity(rules.get(form.uid, Counter()))
    return _summary(report, forms, rules)


def quick_figures(
    report: Report,
    template: Template | None = None,
    groups: Groups | None = None,
    counted: Counted | None = None,
) -> list[dict[str, Any]]:
    """Return ``form_figures`` without the check (``problems`` None) and without working out every
    indicator's reason: only the totals, 执行率 and 自评预警 (the review list's first pass).

    The same scoring functions give the same figures (a form's rows summed in one pass,
    ``indicator_sums``); tests compare the two on every seed and on generated reports. ``groups``: the
    forms whose indicators were read grouped (``lean.read_grouped``: each distinct row is scored once
    and counted as often as it comes). ``counted``: the execution figures and indicator sums of forms
    the checker's count walk already worked out (``Checker.rule_counts``), not worked out again.
    """
    template = template or get_template(report.template)
    opts = template.scoring
    out = []
    for form in report.forms:
        spec = template.form(form.kind)
        known = counted.get(id(form)) if counted else None
        if known is not None:
            ex, (points, weighted, dropped, scored) = known
        else:
            ex = execution_figures(form, spec)  # its reason is not listed
            found = groups.get(form.uid) if groups else None
            rows = zip(form.indicators, repeat(1)) if found is None else found
            points, weighted, dropped, scored = indicator_sums(rows, template)
        total = (  # as scoring.form_total
            _total_of(_execution_part(ex, spec), points, dropped, opts)
            if spec.scored
            else sheet_total(form, score_sheet_items(report, form, template))
        )
        if spec.scored and scored and ex.rate is not None:  # as early_warning
            warning = _warning_of(form, spec, ex, points, _weight_or_default(weighted, ex, opts))
        else:
            warning = _warning_of(form, spec, ex, None, ZERO)
        out.append(_form_row(form, template, ex, total, warning))
    return out


def quick_summary(
    report: Report, template: Template | None = None, groups: Groups | None = None
) -> dict[str, Any]:
    """Return ``report_summary`` without the check: problem counts and rules are None (``groups``:
    see ``quick_figures``)."""
    return _summary(report, quick_figures(report, template, groups), None)
