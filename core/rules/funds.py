"""Rules on a form's funds table: 执行率, its score, subtotals, adjustments, low execution."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from itertools import chain
from operator import attrgetter

from core import schema
from core.model import FUNDS, FundRow
from core.numbers import ONE, ZERO, fmt, fmt_money, fmt_percent, parse_rate, q
from core.problems import Problem
from core.rules.base import FormCtx, form_rule, money
from core.schema import FUND, GOAL, HEAD, IND, Table
from core.scoring import (
    ExecutionScore,
    amount,
    computed_sums,
    fund_value,
    parsed,
    rate_of,
)
from core.values import Kind

COLUMN_NAMES = {k: schema.label(Table.FUNDS, k) for k in schema.FUND_AMOUNTS}  # 年初预算数 …
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
        if not row.printed_rate:  # a blank printed rate: nothing to compare
            continue
        annual = fund_value(ctx.form, ctx.spec, row.key, FUND.annual)
        executed = fund_value(ctx.form, ctx.spec, row.key, FUND.executed)
        found = _rate_mismatch(
            row.printed_rate, annual, executed, tolerance, ctx.template.scoring.rate_places
        )
        if found:
            yield ctx.problem(found[0], found[1], FUNDS, i, FUND.rate)


def _places(printed_text: str) -> int:
    """Return how many decimals a printed percentage shows ("86%" → 0, "86.2%" → 1)."""
    match = re.search(r"\d+(?:[.．](\d+))?", printed_text)
    return len(match.group(1) or "") if match else 2


@lru_cache(maxsize=1 << 14)  # pure: every template option it uses comes in as an argument
def _rate_mismatch(
    printed_text: str, annual_text: str, executed_text: str, tolerance: Decimal, form_places: int = 2
) -> tuple[str, str] | None:
    """Return (rule, message) for one fund row's printed 执行率, None when it is right.

    V01 (error) when it differs; P03 (warning) when it is the right rate rounded to fewer
    places than the form's (86% for 86.20%: within half a unit of its printed places).
    """
    printed = parse_rate(printed_text)
    if printed is None:
        return None
    annual, executed = amount(annual_text), amount(executed_text)
    rate = rate_of(annual, executed)
    if rate is None or abs(q(rate, 4) - printed) <= tolerance:
        return None
    how = f"{fmt_percent(rate)}（{fmt(executed)} ÷ {fmt(annual)}）"
    places = _places(printed_text)
    if places >= form_places and abs(rate - printed) <= Decimal(5) / Decimal(10) ** (places + 3):
        return None  # the form's own convention (甘肃 prints whole percentages)
    if abs(rate - printed) <= Decimal(5) / Decimal(10) ** (places + 3):
        unit = "整数" if places == 0 else f"{places} 位小数"
        return (
            "P03",
            f"表中执行率 {printed_text.strip()} 为 {how}四舍五入到{unit}，建议写 {fmt_percent(rate)}",
        )
    return "V01", f"执行率应为 {how}，表中为 {printed_text.strip()}"


def check_execution_weight(ctx: FormCtx) -> Iterator[Problem]:
    """P05: the printed 执行率 分值 is the template's (10 unless it says otherwise)."""
    want, have = amount(ctx.spec.execution_weight), amount(ctx.form.execution_weight)
    if want is None or have is None or have == want:
        return
    yield ctx.problem(
        "P05",
        f"执行率分值应为 {fmt(want)}（模板规定），表中为 {fmt(have)}；按 {fmt(want)} 计分",
        FUNDS,
        _row_index(ctx, ctx.spec.rate_row),
        FUND.weight,
    )


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
            if have is None or have == expected:  # a blank total is computed, never an error
                continue
            yield ctx.problem(
                "V02",
                f"{_label(ctx, spec.total)}的{COLUMN_NAMES[column]}应为 {fmt(expected)}"
                f"（{_parts_text(ctx, spec.parts, column)}），表中为 {money(have)}",
                FUNDS,
                _row_index(ctx, spec.total),
                column,
            )


def check_score(ctx: FormCtx, ex: ExecutionScore | None = None) -> Iterator[Problem]:
    """V03: the printed 执行率 score equals 分值 × min(执行率, 1) (``ex``: the form's, when known)."""
    row = ctx.form.fund(ctx.spec.rate_row)
    printed = amount(row.printed_score) if row else None
    ex = ex if ex is not None else ctx.execution
    if printed is None or ex.score is None or printed == ex.score or ex.weight is None:
        return
    yield ctx.problem(
        "V03",
        f"执行率得分应为 {fmt(ex.score)}（{fmt(ex.weight)} × "
        f"{fmt_percent(min(ex.rate or ZERO, ONE))}），表中为 {fmt(printed)}",
        FUNDS,
        _row_index(ctx, ctx.spec.rate_row),
        FUND.score,
    )


def _explained(ctx: FormCtx, words: tuple[str, ...]) -> bool:
    notes = [i.deviation_note for i in ctx.form.indicators] + [g.achieved for g in ctx.form.goals]
    text = "\n".join(notes)  # a word (no line break in it) is in a note when it is in them all joined
    return any(w in text for w in words)


def check_low_execution(ctx: FormCtx, ex: ExecutionScore | None = None) -> Iterator[Problem]:
    """S20: 执行率 below the template's threshold needs an explanation."""
    rate = (ex if ex is not None else ctx.execution).rate
    low = ctx.template.scoring.low_execution
    if rate is None or rate >= low or _explained(ctx, EXPLAIN_WORDS):
        return
    yield ctx.problem(
        "S20",
        f"执行率 {fmt_percent(rate)} 低于 {fmt_percent(low, 0)}，请在偏差原因分析中说明"
        "资金未执行的原因及改进措施",
        FUNDS,
        _row_index(ctx, ctx.spec.rate_row),
        FUND.rate,
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
        FUND.annual,
    )


_NUMBER = Kind.NUMBER  # a module name: Kind.X is a slow look-up on Python 3.11 (see indicators.py)


def _all_zero(ctx: FormCtx) -> bool:
    """True when the form has an 实际完成值 and every one is the number 0 (the first that is not ends
    the search: a form spending its whole budget was every row's actual parsed)."""
    found = False
    for ind in ctx.form.indicators:
        if ind.actual.strip():
            a = parsed(ind.actual)
            if not (a.kind is _NUMBER and a.number == ZERO):
                return False
            found = True
    return found


def check_not_done(ctx: FormCtx, ex: ExecutionScore | None = None) -> Iterator[Problem]:
    """S11: money fully spent while the goals say the activity did not take place."""
    rate = (ex if ex is not None else ctx.execution).rate
    if rate is None or rate < ONE:
        return
    said = any(w in g.achieved for g in ctx.form.goals for w in NOT_DONE_WORDS)
    if not (said or _all_zero(ctx)):
        return
    why = "目标完成情况写明未开展" if said else "全部实际完成值为 0"
    yield ctx.problem(
        "S11",
        f"执行率 {fmt_percent(rate)}，但{why}，请核实资金用途",
        FUNDS,
        _row_index(ctx, ctx.spec.rate_row),
        FUND.executed,
    )


def _blank(row: FundRow | None) -> bool:
    return row is None or not any(amount(getattr(row, c)) for c in (FUND.initial, FUND.annual, FUND.executed))


def check_empty_line_rate(ctx: FormCtx) -> Iterator[Problem]:
    """S12: an indicator reports the 执行率 of a fund line that is empty."""
    for key in ("project", "basic"):
        spec = ctx.spec.row_spec(key)
        if spec is None or not _blank(ctx.form.fund(key)):
            continue
        label = spec.label  # _label: the row's label (worked out only for a line that is empty)
        for i, ind in enumerate(ctx.form.indicators):
            if ind.level3.startswith(label) and "执行率" in ind.level3 and ind.actual.strip():
                yield ctx.problem(
                    "S12",
                    f"“{label}”资金为空，指标“{ind.level3}”却为 {ind.actual.strip()}",
                    Table.INDICATORS,
                    i,
                    IND.actual,
                )


_AMOUNT_COLUMNS = (FUND.initial, FUND.annual, FUND.executed)
_amount_cells = attrgetter(*_AMOUNT_COLUMNS)  # a fund row's three amounts in one call


# What a cell's text holds when S22 or S23 can follow (``_amount_problems``): a minus sign (an amount
# below zero is read from "-" or "－" only), or a "." with three characters after it that are neither
# "." nor a line break (S23: the part after the first "." longer than two; a cell's number holds no
# line break). Searched in a form's cells joined by line breaks: a form without one has neither rule.
_NEGATIVE = re.compile(r"[-－]")
_NEGATIVE_OR_LONG = re.compile(r"[-－]|\.[^\n.]{3}")


def check_amounts(ctx: FormCtx) -> Iterator[Problem]:
    """S22: a budget or spending amount below zero; S23: more decimals than the form prints."""
    unit = getattr(ctx.form, HEAD.fund_unit, "") or ctx.template.money_unit
    texts = "\n".join(chain.from_iterable(map(_amount_cells, ctx.form.funds)))
    if (_NEGATIVE_OR_LONG if unit == "万元" else _NEGATIVE).search(texts):  # else the usual form: none
        yield from _amount_problems(ctx, unit)


def _amount_problems(ctx: FormCtx, unit: str) -> Iterator[Problem]:
    """``check_amounts`` cell by cell (its money unit given)."""
    for i, row in enumerate(ctx.form.funds):
        for column, cell in zip(_AMOUNT_COLUMNS, _amount_cells(row), strict=True):
            text = cell.strip()
            value = amount(text) if text else None
            if value is None or (value >= ZERO and (unit != "万元" or "." not in text)):
                continue  # the usual cell: its row's name is not worked out for a message never made
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


def _funds_alone(ctx: FormCtx, sums: dict[tuple[str, str], Decimal]) -> Iterator[Problem]:
    yield from check_amounts(ctx)
    yield from check_rates(ctx)
    yield from check_execution_weight(ctx)
    yield from check_sums(ctx, sums)
    yield from check_score(ctx)


def _funds_explained(ctx: FormCtx, ex: ExecutionScore) -> Iterator[Problem]:
    yield from check_low_execution(ctx, ex)
    yield from check_adjustment(ctx)
    yield from check_not_done(ctx, ex)
    yield from check_empty_line_rate(ctx)


@form_rule(Table.FUNDS, Table.HEADER)
def check_funds(ctx: FormCtx) -> Iterator[Problem]:
    """V01–V03: the funds table alone (an indicator or goal edited does not run these again)."""
    yield from _funds_alone(ctx, computed_sums(ctx.form, ctx.spec))


@form_rule(
    Table.FUNDS,
    Table.HEADER,
    Table.INDICATORS,
    Table.GOALS,
    columns={
        Table.INDICATORS: (IND.deviation_note, IND.actual, IND.level3),  # _explained, S11, S12
        Table.GOALS: (GOAL.achieved,),
    },
)
def check_funds_explained(ctx: FormCtx) -> Iterator[Problem]:
    """V14, S11, S12, S20: the funds table and what explains it (listed right after
    ``check_funds``: a form's problems come in the order they always did)."""
    yield from _funds_explained(ctx, ctx.execution)
