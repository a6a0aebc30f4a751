"""Report-wide rules: header and sign-off fields, copied goals, narrative vs tables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from core import schema
from core.model import GOALS, HEADER, NARRATIVE, Report, Signoff
from core.numbers import fmt, fmt_percent, try_amount
from core.problems import Problem
from core.rules.base import FormCtx, form_rule, report_problem, report_rule
from core.rules.figures import check_narrative
from core.schema import BASIC, GOAL, HEAD, REP, Table
from core.scoring import execution_score
from core.templates import Template

SIGNOFF_NAMES = {
    REP.preparer: "填表人",
    REP.phone: "联系电话",
    REP.date: "填报日期",
    REP.head: "单位负责人签字",
}
HEADER_NAMES = {k: schema.label(Table.HEADER, k) for k in (HEAD.name, HEAD.supervisor, HEAD.implementer)}
RATE_RE = re.compile(r"(?:执行率(?:为|是|达到|达)?|完成全年预算数?的)\s*(\d+(?:\.\d+)?)\s*%")
_SPACES = re.compile(r"\s+")
STAFF_RES = (
    (BASIC.authorized, re.compile(r"人员编制数?\s*(\d+)\s*[名人]"), "人员编制数"),
    (BASIC.actual, re.compile(r"在职人员(?:实有人数)?\s*(\d+)\s*[名人]"), "在职人数"),
)


@form_rule(Table.HEADER)
def check_header(ctx: FormCtx) -> Iterator[Problem]:
    """S05: the header fields the template prints are filled."""
    for column in ctx.spec.header:
        if column.key in HEADER_NAMES and not str(getattr(ctx.form, column.key, "")).strip():
            yield ctx.problem("S05", f"“{column.title}”为空", HEADER, None, column.key)


def _signoff_gaps(signoff: Signoff | None) -> list[str]:
    if signoff is None or signoff.is_blank():
        return []
    return [k for k in SIGNOFF_NAMES if not getattr(signoff, k).strip()]


def _no_signoff_gaps(report: Report, _template: Template) -> bool:
    """True when no form's own sign-off is started and incomplete: ``check_form_signoff`` finds none."""
    return not any(_signoff_gaps(form.signoff) for form in report.forms)


@form_rule(Table.HEADER, clean=_no_signoff_gaps)
def check_form_signoff(ctx: FormCtx) -> Iterator[Problem]:
    """S06: a form's own sign-off, once started, is complete."""
    for key in _signoff_gaps(ctx.form.signoff):
        yield ctx.problem("S06", f"签字栏已部分填写，“{SIGNOFF_NAMES[key]}”为空", HEADER, None, key)


@report_rule(Table.REPORT)
def check_signoff(report: Report, _template: Template) -> Iterator[Problem]:
    """S06: the report's sign-off, once started, is complete."""
    for key in _signoff_gaps(report.signoff):
        yield report_problem("S06", f"签字栏已部分填写，“{SIGNOFF_NAMES[key]}”为空", Table.REPORT, None, key)


@report_rule(Table.GOALS, Table.HEADER)
def check_copied_goals(report: Report, _template: Template) -> Iterator[Problem]:
    """S17: a project's goal text identical to another project's."""
    seen: dict[str, str] = {}
    for form in report.projects:
        for row, goal in enumerate(form.goals):
            if len(goal.goal) < 10:  # shorter still without its whitespace (most: blank)
                continue
            text = _SPACES.sub("", goal.goal)
            if len(text) < 10:
                continue
            if text in seen and seen[text] != form.name:
                yield Problem(
                    "S17",
                    "warning",
                    f"预期目标与“{seen[text]}”完全相同，可能是复制错误",
                    form.uid,
                    form.name,
                    GOALS,
                    row,
                    GOAL.goal,
                )
            seen.setdefault(text, form.name)


@report_rule(Table.NARRATIVE)
def check_narrative_guidance(report: Report, template: Template) -> Iterator[Problem]:
    """V12: no template guidance left in the 自评报告."""
    guidance = template.guidance
    for row, section in enumerate(report.narrative):
        phrase = next((p for p in guidance if p in section.text), None)
        if phrase:
            yield report_problem(
                "V12", f"“{section.title}”中仍是填写说明（“{phrase}”）", NARRATIVE, row, "text"
            )


@report_rule(Table.NARRATIVE, overall=(Table.FUNDS, Table.HEADER))
def rate_claims(report: Report, template: Template) -> Iterator[Problem]:
    overall = report.overall
    if overall is None:
        return
    claims = [
        (row, m) for row, section in enumerate(report.narrative) for m in RATE_RE.finditer(section.text)
    ]
    if not claims:  # the text states no 执行率: the table's is not worked out
        return
    ex = execution_score(overall, template.form(overall.kind))
    if ex.rate is None:
        return
    for row, match in claims:
        said = Decimal(match.group(1)) / 100
        if abs(said - ex.rate) >= Decimal("0.0001"):
            yield report_problem(
                "V13",
                f"正文写执行率 {match.group(1)}%，部门整体支出表为 "
                f"{fmt_percent(ex.rate)}（{ex.why.split('，')[0]}）",
                NARRATIVE,
                row,
                "text",
            )


@report_rule(Table.NARRATIVE, Table.BASIC_DATA)
def staff_claims(report: Report, _template: Template) -> Iterator[Problem]:
    staff = report.basic_data.get("staff") if isinstance(report.basic_data, dict) else None
    if not isinstance(staff, dict):
        return
    for row, section in enumerate(report.narrative):
        for key, pattern, name in STAFF_RES:
            table = try_amount(str(staff.get(key, "")))
            for match in pattern.finditer(section.text):
                if table is not None and Decimal(match.group(1)) != table:
                    yield report_problem(
                        "V13",
                        f"正文写{name} {match.group(1)}，基础数据表为 {fmt(table)}",
                        NARRATIVE,
                        row,
                        "text",
                    )


# V13 over the narrative against the overall form's fund figures (the check lives with them).
narrative_figures = report_rule(Table.NARRATIVE, overall=(Table.FUNDS,))(check_narrative)
