"""Rules on a form's totals and its 评分表 (score sheet)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from core.model import GOALS, HEADER, SCORE_SHEET, Goal, Report
from core.numbers import ZERO, fmt
from core.problems import Problem
from core.rules.base import FormCtx, form_rule, row_rule
from core.schema import GOAL, HEAD, SCORE, Table
from core.scoring import amount, form_total, is_deduction, score_sheet_items
from core.templates import Template

CENT = Decimal("0.01")


def _no_printed_total(report: Report, _template: Template) -> bool:
    """True when no form prints a total (an amount): ``check_total`` compares none."""
    return all(amount(form.printed_total) is None for form in report.forms)


@form_rule(
    Table.HEADER,
    Table.FUNDS,
    Table.INDICATORS,
    Table.SCORE_SHEET,
    projects=(Table.FUNDS, Table.HEADER, Table.INDICATORS),
    clean=_no_printed_total,
)
def check_total(ctx: FormCtx) -> Iterator[Problem]:
    """V07: the printed total equals the computed one."""
    printed = amount(ctx.form.printed_total)
    if printed is None:
        return
    total = form_total(ctx.report, ctx.form, ctx.template)
    if total is None or printed == total:
        return
    ex = ctx.execution.score
    how = (
        "评分表各项得分合计"
        if not ctx.spec.scored
        else (f"执行率得分 {fmt(ex or ZERO)} + 指标得分 {fmt(total - (ex or ZERO))}")
    )
    yield ctx.problem(
        "V07", f"总分应为 {fmt(total)}（{how}），表中为 {fmt(printed)}", HEADER, None, HEAD.printed_total
    )


def _no_sheet_rows(report: Report, _template: Template) -> bool:
    """True when no form has a score-sheet row: ``check_sheet`` looks at none."""
    return not any(form.score_sheet for form in report.forms)


@form_rule(
    Table.SCORE_SHEET,
    Table.FUNDS,
    Table.HEADER,
    Table.INDICATORS,
    Table.GOALS,
    projects=(Table.FUNDS, Table.HEADER, Table.INDICATORS),
    clean=_no_sheet_rows,
)
def check_sheet(ctx: FormCtx) -> Iterator[Problem]:
    """V04/V16/S04: score-sheet scores within weight and equal to their formulas."""
    items = score_sheet_items(ctx.report, ctx.form, ctx.template)
    for row, (item, s) in enumerate(zip(ctx.form.score_sheet, items, strict=True)):
        w, entered = amount(item.weight), amount(item.self_score)
        if entered is None:
            continue
        if w is not None and not is_deduction(item) and (entered > w or entered < ZERO):
            yield ctx.problem(
                "V04",
                f"“{item.name}”得分 {fmt(entered)} 超过分值 {fmt(w)}",
                SCORE_SHEET,
                row,
                SCORE.self_score,
            )
        if s.suggested is None or abs(entered - s.suggested) < CENT:
            continue
        rule = "V16" if "目标完成" in item.name or "completion" in item.formula else "S04"
        yield ctx.problem(
            rule,
            f"{item.name}应为 {fmt(s.suggested)}（{s.why}），表中为 {fmt(entered)}",
            SCORE_SHEET,
            row,
            SCORE.self_score,
        )


def _goals_count(ctx: FormCtx, goals: Sequence[Goal]) -> list[str]:
    """The rules ``check_goals`` finds on every goal row, one id per problem, without a Problem or its
    message (the review list's counts; tests compare): the same conditions, in the same order."""
    guidance = ctx.template.guidance
    out: list[str] = []
    for goal in goals:
        for text in (goal.goal, goal.achieved):
            if text and next((p for p in guidance if p in text), None):
                out.append("V12")
        if goal.goal.strip() and not goal.achieved.strip():
            out.append("S07")
    return out


@row_rule(Table.GOALS, columns=(GOAL.goal, GOAL.achieved), indexed=True, count=_goals_count)
def check_goals(ctx: FormCtx, row: int, goal: Goal) -> list[Problem]:
    """S07/V12: a goal has its 实际完成情况 and no guidance text."""
    out = []
    for column in (GOAL.goal, GOAL.achieved):
        text = getattr(goal, column)
        phrase = next((p for p in ctx.template.guidance if p in text), None) if text else None
        if phrase:
            out.append(
                ctx.problem("V12", f"单元格中仍是填写说明（“{phrase}”），请填写实际内容", GOALS, row, column)
            )
    if goal.goal.strip() and not goal.achieved.strip():
        out.append(ctx.problem("S07", f"第 {row + 1} 条目标的实际完成情况为空", GOALS, row, GOAL.achieved))
    return out


CHECKED_HINT = "核对无误后右键选“已核对”"


def _no_review_flags(report: Report, _template: Template) -> bool:
    """True when no form has a 请核对 flag: ``check_review_flags`` has none to list."""
    return not any(form.review_flags for form in report.forms)


@form_rule(Table.REVIEW_FLAGS, clean=_no_review_flags)
def check_review_flags(ctx: FormCtx) -> Iterator[Problem]:
    """S24: each 请核对 an import left at a cell, until the user marks it 已核对."""
    for flag in ctx.form.review_flags:
        where = f"读自 {flag.origin}；" if flag.origin else ""
        message = f"导入时请核对：{flag.text}（{where}{CHECKED_HINT}）"
        yield ctx.problem("S24", message, Table(flag.cell_table), flag.row, flag.column)
