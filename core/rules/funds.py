"""Rules on a form's funds table: 执行率, its score, subtotals, adjustments, low execution."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache

from core.model import FUNDS, FundRow
from core.numbers import ONE, ZERO, fmt, fmt_money, fmt_percent, parse_rate, q
from core.problems import Problem
from core.rules.base import FormCtx, form_rule, money
from core.schema import Table
from core.scoring import amount, computed_sums, execution_score, parsed, rate_of
from core.values import Kind

COLUMN_NAMES = {"initial": "年初预算数", "annual": "全年预算数", "executed": "全年执行数"}
EXPLAIN_WORDS = ("资金", "执行", "预算", "支出", "拨付", "结余", "下达", "调整")
NOT_DONE_WORDS = ("未开展", "未实施", "未执行")


def _label(ctx: FormCtx, key: str) -> str:
    spec = ctx.spec.row_spec(key)
    return spec.label if spec else key


def _row_index(ctx: FormCtx, key: str) -> int | None:
    for i, row in enumerate(ctx.form.funds):
        if row.key == key:
            return i
    return None


def check_rates(ctx: FormCtx) -> Iterator[Problem]:
    """V01: a printed 执行率 must equal 执行数 ÷ 全年预算数 (within the template's tolerance)."""
    tolerance = ctx.template.scoring.rate_tolerance
    for i, row in enumerate(ctx.form.funds):
        message = row.printed_rate and _rate_mismatch(row.printed_rate, row.annual, row.executed, tolerance)
        if message:  # a blank printed rate ("") reads as None: nothing to compare
            yield ctx.problem("V01", message, FUNDS, i, "rate")


@lru_cache(maxsize=1 << 14)
def _rate_mismatch(printed_text: str, annual_text: str, executed_text: str, tolerance: Decimal) -> str:
    """Return the V01 message for one fund row's cells, "" when the printed rate is right."""
    printed = parse_rate(printed_text)
    if printed is None:
        return ""
    annual, executed = amount(annual_text), amount(executed_text)
    rate = rate_of(annual, executed)
    if rate is None or abs(q(rate, 4) - printed) <= tolerance:
        return ""
    return f"执行率应为 {fmt_percent(rate)}（{fmt(executed)} ÷ {fmt(annual)}），表中为 {printed_text.strip()}"


def _parts_text(ctx: FormCtx, parts: tuple[str, ...], column: str) -> str:
    bits = []
    for key in parts:
        row = ctx.form.fund(key)
        value = amount(getattr(row, column)) if row else None
        if value is not None:
            bits.append(f"{_label(ctx, key)} {fmt(value)}")
    return " + ".join(bits)


def check_sums(ctx: FormCtx, sums: dict[tuple[str, str], Decimal]) -> Iterator[Problem]:
    """V02: every total row equals the sum of its parts, per column."""
    for spec in ctx.spec.sums:
        total = ctx.form.fund(spec.total)
        for column in spec.columns:
            expected = sums.get((spec.total, column))
            if expected is None or total is None:
                continue
            have = amount(getattr(total, column))
            if have == expected or (have is None and expected == ZERO):
                continue
            yield ctx.problem(
                "V02",
                f"{_label(ctx, spec.total)}的{COLUMN_NAMES[column]}应为 {fmt(expected)}"
                f"（{_parts_text(ctx, spec.parts, column)}），表中为 {money(have)}",
                FUNDS,
                _row_index(ctx, spec.total),
                column,
            )


def check_score(ctx: FormCtx) -> Iterator[Problem]:
    """V03: the printed 执行率 score equals 分值 × min(执行率, 1)."""
    row = ctx.form.fund(ctx.spec.rate_row)
    printed = amount(row.printed_score) if row else None
    ex = execution_score(ctx.form, ctx.spec)
    if printed is None or ex.score is None or printed == ex.score or ex.weight is None:
        return
    yield ctx.problem(
        "V03",
        f"执行率得分应为 {fmt(ex.score)}（{fmt(ex.weight)} × "
        f"{fmt_percent(min(ex.rate or ZERO, ONE))}），表中为 {fmt(printed)}",
        FUNDS,
        _row_index(ctx, ctx.spec.rate_row),
        "score",
    )


def _explained(ctx: FormCtx, words: tuple[str, ...]) -> bool:
    notes = [i.deviation_note for i in ctx.form.indicators] + [g.achieved for g in ctx.form.goals]
    return any(w in note for note in notes for w in words)


def check_low_execution(ctx: FormCtx) -> Iterator[Problem]:
    """S20: 执行率 below the template's threshold needs an explanation."""
    rate = execution_score(ctx.form, ctx.spec).rate
    low = ctx.template.scoring.low_execution
    if rate is None or rate >= low or _explained(ctx, EXPLAIN_WORDS):
        return
    yield ctx.problem(
        "S20",
        f"执行率 {fmt_percent(rate)} 低于 {fmt_percent(low, 0)}，请在偏差原因分析中说明"
        "资金未执行的原因及改进措施",
        FUNDS,
        _row_index(ctx, ctx.spec.rate_row),
        "rate",
    )


def check_adjustment(ctx: FormCtx) -> Iterator[Problem]:
    """V14: 年初预算数 ≠ 全年预算数 needs a reason (templates that ask for it)."""
    if not ctx.template.scoring.adjustment_reason:
        return
    row = ctx.form.fund(ctx.spec.rate_row)
    if row is None:
        return
    initial, annual = amount(row.initial), amount(row.annual)
    if initial is None or annual is None or initial == annual or _explained(ctx, ("调整", "追加", "调减")):
        return
    change = annual - initial
    yield ctx.problem(
        "V14",
        f"年初预算 {fmt(initial)} 万元，全年预算 {fmt(annual)} 万元（调整 "
        f"{'+' if change > 0 else ''}{fmt(change)}），请在绩效指标的偏差原因分析或年度目标的完成情况中"
        "写明预算调整（追加、调减）的原因",
        FUNDS,
        _row_index(ctx, ctx.spec.rate_row),
        "annual",
    )


def _all_zero(ctx: FormCtx) -> bool:
    actuals = [parsed(i.actual) for i in ctx.form.indicators if i.actual.strip()]
    return bool(actuals) and all(a.kind is Kind.NUMBER and a.number == ZERO for a in actuals)


def check_not_done(ctx: FormCtx) -> Iterator[Problem]:
    """S11: money fully spent while the goals say the activity did not take place."""
    rate = execution_score(ctx.form, ctx.spec).rate
    said = any(w in g.achieved for g in ctx.form.goals for w in NOT_DONE_WORDS)
    if rate is None or rate < ONE or not (said or _all_zero(ctx)):
        return
    why = "目标完成情况写明未开展" if said else "全部实际完成值为 0"
    yield ctx.problem(
        "S11",
        f"执行率 {fmt_percent(rate)}，但{why}，请核实资金用途",
        FUNDS,
        _row_index(ctx, ctx.spec.rate_row),
        "executed",
    )


def _blank(row: FundRow | None) -> bool:
    return row is None or not any(amount(getattr(row, c)) for c in ("initial", "annual", "executed"))


def check_empty_line_rate(ctx: FormCtx) -> Iterator[Problem]:
    """S12: an indicator reports the 执行率 of a fund line that is empty."""
    for key in ("project", "basic"):
        label = _label(ctx, key)
        if ctx.spec.row_spec(key) is None or not _blank(ctx.form.fund(key)):
            continue
        for i, ind in enumerate(ctx.form.indicators):
            if ind.level3.startswith(label) and "执行率" in ind.level3 and ind.actual.strip():
                yield ctx.problem(
                    "S12",
                    f"“{label}”资金为空，指标“{ind.level3}”却为 {ind.actual.strip()}",
                    "indicators",
                    i,
                    "actual",
                )


def check_amounts(ctx: FormCtx) -> Iterator[Problem]:
    """S22: a budget or spending amount below zero; S23: more decimals than the form prints."""
    unit = getattr(ctx.form, "fund_unit", "") or ctx.template.money_unit
    for i, row in enumerate(ctx.form.funds):
        for column in ("initial", "annual", "executed"):
            text = getattr(row, column).strip()
            value = amount(text)
            if value is None:
                continue
            name = f"{_label(ctx, row.key)}的{COLUMN_NAMES[column]}"
            if value < ZERO:
                yield ctx.problem("S22", f"{name}为 {text}，预算数和执行数不能为负数", FUNDS, i, column)
            elif unit == "万元" and "." in text and len(text.split(".")[1]) > 2:
                yield ctx.problem(
                    "S23",
                    f"{name}为 {text}，万元金额只保留两位小数，表中和合计按 {fmt_money(value)} 计算，"
                    "请核对单位或改为两位小数",
                    FUNDS,
                    i,
                    column,
                )


def fund_rules(ctx: FormCtx, sums: dict[tuple[str, str], Decimal]) -> Iterator[Problem]:
    """Run every funds rule of one form."""
    yield from check_amounts(ctx)
    yield from check_rates(ctx)
    yield from check_sums(ctx, sums)
    yield from check_score(ctx)
    yield from check_low_execution(ctx)
    yield from check_adjustment(ctx)
    yield from check_not_done(ctx)
    yield from check_empty_line_rate(ctx)


@form_rule(Table.FUNDS, Table.HEADER, Table.INDICATORS, Table.GOALS)
def check_funds(ctx: FormCtx) -> Iterator[Problem]:
    """V01–V03, V14, S11, S12, S20: the funds table and what explains it."""
    yield from fund_rules(ctx, computed_sums(ctx.form, ctx.spec))
