"""Scores: 执行率 and its score, indicator scores, score-sheet formulas, totals and grades.

Everything is ``Decimal`` rounded half-up to 2 places (``core.numbers.q``); never float.
Each suggested score carries a one-line Chinese reason (``why``). Region differences
(reverse formula, "=" scoring, qualitative bands, grades) come from the template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from operator import attrgetter
from typing import Any

from core.frozen import quick_init
from core.model import Form, FundRow, Indicator, Report, ScoreItem
from core.numbers import ONE, ZERO, fmt, fmt_percent, q, try_amount
from core.schema import FUND, HEAD, IND, OVERALL
from core.templates import FormSpec, Scoring, Template
from core.values import (
    _NEGATED,
    Attainment,
    Comparison,
    Kind,
    Value,
    _multiplier,
    _normalise_direction,
    compare,
    number_parts,
    parse_value,
    units_compatible,
)

MET, NOT_MET, UNKNOWN, NA, BLANK = "met", "not_met", "unknown", "na", "blank"
BREAKDOWN = "breakdown"
QUANTITATIVE = (Kind.NUMBER, Kind.RANGE, Kind.DATE)
DEFAULT_BANDS = {
    "达成": (Decimal("0.8"), ONE),
    "部分达成": (Decimal("0.6"), Decimal("0.8")),
    "未达成": (ZERO, Decimal("0.6")),
}
_ATTAINMENT = {Attainment.MET: MET, Attainment.NOT_MET: NOT_MET}


def in_band(score: Decimal, weight: Decimal, low: Decimal, high: Decimal) -> bool:
    """True when a 定性 score lies in its grade's band of ``weight`` (RULES.md R5.1, C1/C2): limits
    rounded to 2 places, the top band closed (w×0.8 ≤ s ≤ w), the others open at the top
    (w×0.6 ≤ s < w×0.8; 0 ≤ s < w×0.6)."""
    lo, hi = q(weight * low), q(weight * high)
    return lo <= score <= hi if high >= ONE else lo <= score < hi


# Enum members as module names: ``Kind.DATE`` is a look-up through the enum class (~0.15 µs on Python
# 3.11, a module name ~0.01), and scoring a report's 750 rows made several a row.
_NUMBER, _RANGE, _DATE, _QUALITATIVE = Kind.NUMBER, Kind.RANGE, Kind.DATE, Kind.QUALITATIVE
_MET, _NOT_MET, _UNKNOWN = Attainment.MET, Attainment.NOT_MET, Attainment.UNKNOWN
_UP, _DOWN = ("≥", ">"), ("≤", "<")
PROGRESS_NOTE = "无 6、9、11 月执行数据，按年终条款（达到100%得满分，否则按实际进度量化）"


# The lru_caches of this module are of pure values (cell texts in, a value out) that no template
# changes; whatever depends on a template is memoised on the Template (``Template.memo``).


# parse_value(text), cached per cell text: the cache wraps parse_value itself (a Python frame of its
# own around it was a tenth of reading a cell met for the first time: most of a review's cells are)
parsed = lru_cache(maxsize=1 << 16)(parse_value)
# values.number_parts(text), cached per cell text: a plain number's direction, number and unit, what
# ``parsed`` gives of such a cell without making its Value (the review's counts of a row met for the
# first time: most such cells are plain numbers, and a Value was a third of reading one)
number_cell = lru_cache(maxsize=1 << 16)(number_parts)


@lru_cache(maxsize=1 << 16)
def compared(target: str, actual: str, direction: str) -> Comparison:
    """Return compare() of two cell texts, cached."""
    return compare(parsed(target), parsed(actual), direction or None)


@lru_cache(maxsize=1 << 16)
def compared_plain(target: str, actual: str, direction: str) -> Comparison:
    """``compared`` without the explanation of a met or missed number, range or date (values.compare's
    ``text=False``): what the review list's counts and scores read of a comparison, cached apart."""
    return compare(parsed(target), parsed(actual), direction or None, text=False)


@lru_cache(maxsize=1 << 16)
def amount(text: str) -> Decimal | None:
    """Read an amount cell (None when blank or not a number), cached."""
    return try_amount(text)


@quick_init
@dataclass(frozen=True)
class ExecutionScore:
    """A form's 预算执行率 and the score it earns (or why none)."""

    rate: Decimal | None
    score: Decimal | None
    weight: Decimal | None
    why: str


@quick_init
@dataclass(frozen=True)
class IndicatorScore:
    """The score suggested for one indicator row, and why."""

    row: int
    suggested: Decimal | None
    score: Decimal | None
    why: str
    attainment: str
    deduction: Decimal | None = None
    final: Decimal | None = None  # max(score − deduction, 0): what the 一体化 system counts (K13)


@dataclass(frozen=True)
class ItemScore:
    """The score suggested for one 评分表 criterion, and why."""

    row: int
    suggested: Decimal | None
    why: str


@dataclass(frozen=True)
class FormScore:
    """Everything scored for one form: execution, rates, sums, indicators, 评分表, total, grade, 预警."""

    uid: int
    name: str
    kind: str
    execution: ExecutionScore
    row_rates: dict[str, Decimal | None]
    computed_sums: dict[tuple[str, str], Decimal]
    indicators: list[IndicatorScore]
    score_sheet: list[ItemScore]
    level1_totals: dict[str, Decimal]
    total: Decimal | None
    grade: str
    rate_places: int = 2
    warning: str | None = None  # 自评预警 (K22): "red" | "yellow" | None
    warning_why: str = ""
    total_why: str = ""  # set when the total was capped (K18)

    def to_json(self) -> dict[str, Any]:
        """Return INTERCHANGE.md's ``score --json`` form object."""
        ex = self.execution
        return {
            HEAD.name: self.name,
            "kind": self.kind,
            "execution_rate": fmt_percent(ex.rate, self.rate_places),
            "execution_score": fmt(ex.score),
            "indicators": [
                {
                    "row": s.row,
                    "suggested": fmt(s.suggested),
                    IND.score: fmt(s.score),
                    IND.deduction: fmt(s.deduction),
                    "final": fmt(s.final),
                    "why": s.why,
                }
                for s in self.indicators
            ],
            "total": fmt(self.total),
            "grade": self.grade,
            "warning": self.warning,
            "warning_why": self.warning_why,
            **({"total_why": self.total_why} if self.total_why else {}),
            "score_sheet": [
                {"row": s.row, "suggested": fmt(s.suggested), "why": s.why}
                for s in self.score_sheet
                if s.suggested is not None or s.why
            ],
        }


# ---- execution ---------------------------------------------------------------------


def rate_of(annual: Decimal | None, executed: Decimal | None) -> Decimal | None:
    """Return executed / annual, None when the budget is 0 or blank."""
    if not annual or executed is None:
        return None
    return executed / annual


def execution_weight_text(form: Form, spec: FormSpec) -> str:
    """Return the 执行率 分值 a form is scored with: the template's (10 unless it says otherwise);
    the form's own only when the template sets none. A different printed value is P05."""
    return spec.execution_weight if spec.execution_weight.strip() else form.execution_weight


def execution_weight(form: Form, spec: FormSpec) -> Decimal | None:
    """Return the 执行率 分值 of a form (the template's, else its own)."""
    return amount(execution_weight_text(form, spec))


def fund_value(form: Form, spec: FormSpec, key: str, column: str) -> str:
    """Return a fund cell as typed, or — when a total row's cell is blank — the sum of its parts.

    Subtotals and totals are computed, never required: a project whose 年度资金总额 was never
    typed counts from its parts (through blank subtotals too).
    """
    return _fund_text(form.fund, spec, key, column)


def execution_score(form: Form, spec: FormSpec) -> ExecutionScore:
    """Score 执行率 = 全年执行数 / 全年预算数 of the template's rate row (computed from its parts
    when blank) with the template's 执行率 分值."""
    annual = fund_value(form, spec, spec.rate_row, FUND.annual)
    executed = fund_value(form, spec, spec.rate_row, FUND.executed)
    return _execution(annual, executed, execution_weight_text(form, spec))


def execution_figures(form: Form, spec: FormSpec) -> ExecutionScore:
    """``execution_score`` without its reason (``why`` is ""): the rate, score and 分值 the rules and
    the review list's figures read. Its reason was four amounts and two rates printed for every form
    of a first scan (its amounts rarely repeat: the cache rarely held it), and never read there."""
    annual = fund_value(form, spec, spec.rate_row, FUND.annual)
    executed = fund_value(form, spec, spec.rate_row, FUND.executed)
    return _execution_plain(annual, executed, execution_weight_text(form, spec))


@lru_cache(maxsize=1 << 14)
def _execution_plain(annual_text: str, executed_text: str, weight_text: str) -> ExecutionScore:
    """``_execution``'s figures (its ``why`` "")."""
    annual, executed, weight = amount(annual_text), amount(executed_text), amount(weight_text)
    rate = rate_of(annual, executed)
    if rate is None:
        return ExecutionScore(None, None, weight, "")
    if weight is None:
        return ExecutionScore(rate, None, None, "")
    return ExecutionScore(rate, _clamp(weight * min(rate, ONE), weight), weight, "")


@lru_cache(maxsize=1 << 14)
def _execution(annual_text: str, executed_text: str, weight_text: str) -> ExecutionScore:
    plain = _execution_plain(annual_text, executed_text, weight_text)
    rate, score, weight = plain.rate, plain.score, plain.weight
    if rate is None:
        return ExecutionScore(None, None, weight, "全年预算数为空或为 0，无法计算执行率")
    executed, annual = amount(executed_text), amount(annual_text)
    base = f"{fmt(executed)} ÷ {fmt(annual)} = {fmt_percent(rate)}"
    if weight is None or score is None:
        return ExecutionScore(rate, None, None, base)
    why = f"{base}，{fmt(weight)} × {fmt_percent(min(max(rate, ZERO), ONE))} = {fmt(score)}"
    return ExecutionScore(rate, score, weight, why)


def row_rates(form: Form) -> dict[str, Decimal | None]:
    """Return the 执行率 of every fund row."""
    return {r.key: rate_of(amount(r.annual), amount(r.executed)) for r in form.funds}


def _fund_text(row_of: Callable[[str], FundRow | None], spec: FormSpec, key: str, column: str) -> str:
    """``fund_value`` of the form whose fund row of a key (the first of it) ``row_of`` gives."""
    row = row_of(key)
    typed = getattr(row, column, "") if row is not None else ""
    if typed.strip():
        return str(typed)
    for s in spec.sums:
        if s.total == key and column in s.columns:
            parts = [amount(_fund_text(row_of, spec, k, column)) for k in s.parts if k != key]
            present = [v for v in parts if v is not None]
            if present:
                return format(sum(present, ZERO), "f")
    return ""


def computed_sums(form: Form, spec: FormSpec) -> dict[tuple[str, str], Decimal]:
    """Return Σ parts per (total row, column) where at least one part has a value (a blank
    subtotal part counts as the sum of its own parts). The rows are looked up by key once (each part
    of each column was a walk of the form's fund rows, twice)."""
    rows: dict[str, FundRow] = {}
    for row in form.funds:
        rows.setdefault(row.key, row)  # form.fund gives the first of a key
    totals = spec.sum_totals
    out: dict[tuple[str, str], Decimal] = {}
    for s in spec.sums:
        parts = [k for k in s.parts if k in rows]
        if totals.isdisjoint(parts) and not any(getattr(rows[k], c) for k in parts for c in s.columns):
            continue  # no part is a subtotal and every part's cell is empty: no amount to add up
        for col in s.columns:
            # a part that is no total of its own is its typed cell (blank: no amount, as _fund_text
            # gives it); only a subtotal part is worked out from its parts when blank
            values = [
                amount(_fund_text(rows.get, spec, k, col)) if k in totals else amount(getattr(rows[k], col))
                for k in parts
            ]
            present = [v for v in values if v is not None]
            if present:
                out[(s.total, col)] = sum(present, ZERO)
    return out


# ---- indicators --------------------------------------------------------------------


def _clamp(value: Decimal, weight: Decimal) -> Decimal:
    return q(max(ZERO, min(value, weight)))


DEFAULT_NOTE = "方向按默认 {} 处理"
_TIME_UNITS = frozenset({"天", "日", "个月", "小时", "分钟", "周", "工作日", "个工作日"})


@lru_cache(maxsize=1 << 12)
def default_direction(level1: str, level2: str, target: str) -> str:
    """Return the direction a target without ≥/≤/= is scored by: the one its 二级 implies.

    成本 → ≤ (spend no more); a 时效 duration (天, 个月, 小时 …) or a date → ≤ (no later);
    everything else → ≥. "=" only when the user says so.
    """
    t = parsed(target)
    return default_of(t.kind, t.unit, "成本" in level1 or "成本" in level2, "时效" in level2)


def default_of(kind: Kind, unit: str, cost: bool, timely: bool) -> str:
    """``default_direction`` of a parsed target of this kind and unit, ``cost`` when its 一级 or 二级
    names 成本, ``timely`` when its 二级 names 时效 (the review's counts key a row's results by these,
    not by the names)."""
    if kind is _DATE:
        return "≤"
    if cost:
        return "≤"
    if timely and unit in _TIME_UNITS:
        return "≤"
    return "≥"


def effective_direction(ind: Indicator) -> tuple[str, bool]:
    """Return (direction the row is scored by, True when it is the 二级's default, not written)."""
    return direction_of(ind.direction, ind.target, ind.level1, ind.level2)


def direction_of(direction: str, target: str, level1: str, level2: str) -> tuple[str, bool]:
    """``effective_direction`` of a row's cells (the review's counts read rows as values)."""
    if direction:
        return direction, False
    t = parsed(target)
    if t.direction:
        return t.direction, False
    if t.kind is not _NUMBER:
        return "", False
    return default_direction(level1, level2, target), True


def _missed_range(t: Value, a: Value, w: Decimal, reasons: bool = True) -> tuple[Decimal, str]:
    """Score an actual outside a target band: by how far it lies beyond the nearer edge."""
    low, high, done = t.number or ZERO, t.upper or ZERO, a.number
    if done is None:
        return ZERO, "实际不是数值，得 0"
    if low < 0 < high:  # "±10%": a band around 0
        edge, off = high, abs(done)
    elif done > high:
        edge, off = high, done
    else:
        edge, off = done, low
    ratio = edge / off if off > 0 and edge > 0 else ZERO
    s = _clamp(w * ratio, w)
    return s, f"{fmt(w)} × {fmt_percent(ratio)} = {fmt(s)}" if reasons else ""


def _missed_score(
    c: Comparison,
    t: Value,
    direction: str,
    w: Decimal,
    opts: Scoring,
    a: Value | None = None,
    reasons: bool = True,
) -> tuple[Decimal, str]:
    """Score a missed quantitative target per the template's options (``reasons``: False leaves the
    reason blank, the score is the same). ``number_facts`` decides a NUMBER target the same way in one
    step: a change here is made there too (tests/core/test_number_facts.py compares the two)."""
    if t.kind is _DATE:
        return ZERO, "未按期完成，得 0"
    if t.kind is _RANGE and a is not None:
        return _missed_range(t, a, w, reasons)
    if direction in ("<", ">") and opts.strict == "binary":
        return ZERO, f"“{direction}”指标未达到目标值，得 0"
    if direction in ("≤", "<"):
        if opts.reverse == "excess" and c.deviation is not None:
            s = _clamp(w * (ONE - c.deviation), w)
            if not reasons:
                return s, ""
            dev = fmt_percent(c.deviation)
            cut = "，超出 1 倍及以上得 0" if s == 0 else ""
            return s, f"超出 {dev}，{fmt(w)} × (1 − {dev}) = {fmt(s)}{cut}"
        ratio = c.ratio if c.ratio is not None else ZERO
        s = _clamp(w * ratio, w)
        return s, f"{fmt(w)} × 目标/实际 {fmt_percent(ratio)} = {fmt(s)}" if reasons else ""
    if direction == "=" and (opts.equal == "binary" or not t.number):
        return ZERO, "“=”指标未达到目标值，得 0"
    ratio = c.ratio if c.ratio is not None else ZERO
    s = _clamp(w * ratio, w)
    return s, f"{fmt(w)} × 实际/目标 {fmt_percent(ratio)} = {fmt(s)}" if reasons else ""


def _met_score(
    c: Comparison, direction: str, w: Decimal, opts: Scoring, reasons: bool = True
) -> tuple[Decimal, str]:
    """Full weight for a met target, less K16's points when the actual is far above it (as
    ``number_facts`` decides it for two numbers: a change here is made there too)."""
    penalty = opts.over_penalty
    if penalty and direction in ("≥", ">") and c.ratio is not None and c.ratio >= penalty[0]:
        s = q(max(w - penalty[1], ZERO))
        if not reasons:
            return s, ""
        return s, (
            f"实际为目标的 {fmt_percent(c.ratio)}（≥ {fmt_percent(penalty[0], 0)}），"
            f"目标设定偏低，扣 {fmt(penalty[1])} 分，得 {fmt(s)}"
        )
    return w, f"得满分 {fmt(w)}" if reasons else ""


def _qualitative(
    c: Comparison, a: Value, w: Decimal | None, opts: Scoring, reasons: bool = True
) -> tuple[Decimal | None, str]:
    bands = opts.bands or DEFAULT_BANDS
    if c.attainment is _MET and a.word not in ("部分达成", "未达成"):
        if w is None:
            return None, f"{c.explanation}，达成"
        return w, f"{c.explanation}，达成年度指标，得满分 {fmt(w)}" if reasons else ""
    if w is None or not reasons:
        return None, c.explanation
    lo, hi = bands.get("部分达成", DEFAULT_BANDS["部分达成"])
    return None, (
        f"{c.explanation}；请按分数段评分：部分达成 {fmt(w * lo)}–{fmt(w * hi)}，未达成低于 {fmt(w * lo)}"
    )


def _compare_texts(target: str, actual: str, direction: str, opts: Scoring, text: bool = True) -> Comparison:
    """Compare two cells; a negative actual counts as 0 when the template says so (K10). ``text``:
    False leaves a met or missed number's explanation blank (``compared_plain``)."""
    a, t = parsed(actual), parsed(target)
    signed = t.number is not None and t.number < 0  # "±10%": the target itself allows negatives
    if opts.negative_as_zero and not signed and a.kind is _NUMBER and a.number is not None and a.number < 0:
        return compare(t, replace(a, number=ZERO), direction or None, text)
    return compared(target, actual, direction) if text else compared_plain(target, actual, direction)


def evaluate(
    target: str, actual: str, direction: str, weight: str, template: Template, default: str = ""
) -> tuple[Decimal | None, str, str]:
    """Return (suggested, why, attainment) for one indicator's cells (cached on the template).

    ``default`` is the direction a target without ≥/≤/= is scored by (its 二级's, see
    ``default_direction``); the reason then says so.
    """
    return template.memo(_evaluate, 1 << 16)(target, actual, direction, weight, default)


def evaluate_score(
    target: str, actual: str, direction: str, weight: str, template: Template, default: str = ""
) -> tuple[Decimal | None, str]:
    """Return (suggested, attainment) of ``evaluate`` without working out its reason (the review's
    figures and counts of 750 rows a report; the same code decides, only the text is left out)."""
    return template.memo(_evaluate_score, 1 << 16)(target, actual, direction, weight, default)


# A template's scorer of a row's (target, actual, direction cell, 分值, default direction): its suggested
# score and attainment (``score_evaluator``).
Evaluator = Callable[[str, str, str, str, str], tuple[Decimal | None, str]]


def score_evaluator(template: Template) -> Evaluator:
    """``evaluate_score`` bound to ``template``, its memo looked up once (a loop over a form's rows):
    ``score_evaluator(t)(target, actual, direction, weight, default) == evaluate_score(..., t, default)``."""
    return template.memo(_evaluate_score, 1 << 16)


def _evaluate_score(
    template: Template, target: str, actual: str, direction: str, weight: str, default: str
) -> tuple[Decimal | None, str]:
    t, a = parsed(target), parsed(actual)
    if t.kind is _NUMBER and a.kind is _NUMBER:  # the common case, in one step (number_facts)
        used = direction or t.direction or default
        facts = number_facts(
            t.direction, t.number, t.unit, a.number, a.unit, used, amount(weight), template.scoring
        )
        if facts is not None:
            return facts[0], facts[1]
    suggested, _why, attainment = _evaluate(template, target, actual, direction, weight, default, False)
    return suggested, attainment


# What ``number_facts`` gives: ``_evaluate_score``'s suggested score and attainment, and of
# ``compared_plain`` the attainment, ratio, deviation and unit mismatch.
NumberFacts = tuple[Decimal | None, str, Attainment, Decimal | None, Decimal | None, bool]
_MISMATCH: NumberFacts = (None, UNKNOWN, _UNKNOWN, None, None, True)
_CENT = Decimal("0.01")
_ZERO_CENTS = q(ZERO)  # what _clamp gives of anything not above 0


def number_facts(
    t_direction: str | None,
    goal_n: Decimal | None,
    unit: str,
    done_n: Decimal | None,
    a_unit: str,
    used: str,
    w: Decimal | None,
    opts: Scoring,
) -> NumberFacts | None:
    """``_evaluate`` without reasons and ``compared_plain`` of a NUMBER target (its direction, number
    and unit as parsed) and a NUMBER actual (its number and unit) in one step: the same decisions as
    ``_compare_texts`` → ``values._compare_numbers`` → ``_met_score`` / ``_missed_score`` (a row first
    met by the review's counts went through some twenty calls, a Comparison and two memos for them;
    tests compare the two paths on large random pools). ``used``: the direction the row is scored by
    (``_evaluate``'s, the direction cell's text as written); ``w``: its 分值. The comparison's
    explanation is not given: of a NUMBER pair an unknown result is a unit mismatch or a missing
    direction (whose words S15 reads as "no S15"). None: the general path decides (a negative actual
    counted as 0 under K10, or arithmetic that raises: the general path then does exactly what it
    always did)."""
    if goal_n is None or done_n is None or (opts.negative_as_zero and done_n < ZERO and not goal_n < ZERO):
        return None
    same = unit == a_unit  # units_compatible(u, u) holds for every unit
    if not same and not units_compatible(unit, a_unit):
        return _MISMATCH
    rule = _normalise_direction(used) or t_direction  # compare: the direction cell wins
    try:
        scale = _multiplier(unit)  # to_common_unit
        goal = (goal_n or ZERO) * scale
        done = (done_n or ZERO) * (scale if same else _multiplier(a_unit))
        deviation = (done - goal) / goal if goal else None  # _div
        ratio: Decimal | None
        if rule is None:  # no direction: met when equal, else a judgement
            if done != goal:
                return None, UNKNOWN, _UNKNOWN, None, deviation, False
            met, ratio = True, ONE
        else:
            if rule not in _NEGATED:
                return None
            if rule == "≥":  # values._holds
                met = done >= goal
            elif rule == ">":
                met = done > goal
            elif rule == "≤":
                met = done <= goal
            elif rule == "<":
                met = done < goal
            else:
                met = done == goal or (goal == ZERO and done <= ZERO)
            ratio = (goal / done if done else None) if rule in _DOWN else (done / goal if goal else None)
        if w is None:
            s = None
        elif met:  # _met_score
            penalty = opts.over_penalty
            if penalty and (used or "=") in _UP and ratio is not None and ratio >= penalty[0]:
                s = q(max(w - penalty[1], ZERO))
            else:
                s = w
        else:  # _missed_score of a NUMBER target
            d = used or "≥"
            if (d in ("<", ">") and opts.strict == "binary") or (
                d == "=" and (opts.equal == "binary" or not goal_n)
            ):  # K9's missed ＞/＜, or a missed "=" scored all or nothing
                s = ZERO
            else:
                if d in _DOWN and opts.reverse == "excess" and deviation is not None:
                    v = w * (ONE - deviation)
                else:
                    v = w * (ratio if ratio is not None else ZERO)
                v = w if w < v else v  # _clamp: q(max(ZERO, min(v, w))), q's quantize inlined
                if not v > ZERO:
                    s = _ZERO_CENTS
                elif v.adjusted() < 25:  # q: at most 28 digits once rounded to cents
                    s = v.quantize(_CENT, ROUND_HALF_UP)
                else:
                    s = q(v)
    except ArithmeticError:
        return None
    if met:
        return s, MET, _MET, ratio, deviation, False
    return s, NOT_MET, _NOT_MET, ratio, deviation, False


def _evaluate(
    template: Template,
    target: str,
    actual: str,
    direction: str,
    weight: str,
    default: str,
    reasons: bool = True,
) -> tuple[Decimal | None, str, str]:
    opts = template.scoring
    t, a = parsed(target), parsed(actual)
    w = amount(weight)
    used = direction or t.direction or default
    c = _compare_texts(target, actual, used, opts, reasons)  # no reasons: no explanation either
    att = _ATTAINMENT.get(c.attainment, UNKNOWN)
    if t.kind is _QUALITATIVE:
        s, why = _qualitative(c, a, w, opts, reasons)
        return s, why, NOT_MET if a.word in ("部分达成", "未达成") else att
    note = f"（{DEFAULT_NOTE.format(default)}）" if default and not (direction or t.direction) else ""
    if t.kind not in QUANTITATIVE or c.attainment is _UNKNOWN:
        tail = "，请人工评分" if w is not None else ""
        return None, f"{c.explanation}{tail}", UNKNOWN
    if w is None:
        return None, f"{c.explanation}{note}", att
    if c.attainment is _MET:
        s, why = _met_score(c, used or "=", w, opts, reasons)
        return s, f"{c.explanation}{note}，{why}", att
    s, why = _missed_score(c, t, used or "≥", w, opts, a, reasons)
    return s, f"{c.explanation}{note}，{why}", att


def evaluate_row(ind: Indicator, template: Template) -> tuple[Decimal | None, str, str]:
    """Return evaluate() of one indicator row, with its 二级's default direction when it has none."""
    used, by_default = effective_direction(ind)
    default = used if by_default else ""
    return evaluate(ind.target, ind.actual, ind.direction, ind.weight, template, default)


def deduction_text(ind: Indicator) -> str:
    """Return the 扣减分数 cell."""
    return ind.deduction


BREAKDOWN_MARKS = ("其中", "★", "☆")


def is_breakdown(ind: Indicator) -> bool:
    """True for a breakdown row: marked as one, or a "其中：…" / ★ row without a weight of its own.

    Breakdown rows detail the indicator above them: no weight, not summed, not scored.
    """
    if ind.breakdown:
        return True
    name = ind.level3.strip()
    return name.startswith(BREAKDOWN_MARKS) and not ind.weight.strip() and not ind.score.strip()


def final_score(score: Decimal | None, deduction: Decimal | None) -> Decimal | None:
    """Return max(score − 扣减分数, 0) (K13) of the score rounded to cents (R7.3: the total is the sum
    of the ROUNDED scores: a typed 8.335 counts 8.34, as the form prints it); the rounded score when
    nothing is deducted."""
    if score is None:
        return None
    score = q(score)
    if not deduction:
        return score
    return q(max(score - deduction, ZERO))


def score_indicator(ind: Indicator, row: int, template: Template) -> IndicatorScore:
    """Return the suggested, entered and final score of one indicator row."""
    entered = amount(ind.score)
    if ind.is_blank_row():
        return IndicatorScore(row, None, None, "", BLANK)
    if ind.not_applicable:
        return IndicatorScore(row, None, None, "不适用：不计分，其余得分按百分制折算", NA)
    if is_breakdown(ind):
        return IndicatorScore(row, None, None, "其中项：说明上一指标的构成，不计分", BREAKDOWN)
    suggested, why, att = evaluate_row(ind, template)
    score = entered if entered is not None else suggested
    deduction = amount(deduction_text(ind))
    return IndicatorScore(row, suggested, score, why, att, deduction, final_score(score, deduction))


def effective_score(ind: Indicator, template: Template) -> Decimal | None:
    """Return score_indicator(ind, …).final (entered, else suggested, less 扣减分数) without the reasons."""
    if ind.is_blank_row() or ind.not_applicable or is_breakdown(ind):
        return None
    entered = amount(ind.score)
    if entered is None:
        used, by_default = effective_direction(ind)
        default = used if by_default else ""
        entered = evaluate_score(ind.target, ind.actual, ind.direction, ind.weight, template, default)[0]
    return final_score(entered, amount(deduction_text(ind)))


def effective_scores(rows: Iterable[Indicator], template: Template) -> list[Decimal | None]:
    """``[effective_score(ind, template) for ind in rows]``, each step inlined (the review list scores
    a report's 750 rows: a call per helper per row was a third of its figures)."""
    evaluate = score_evaluator(template)
    out: list[Decimal | None] = []
    for ind in rows:
        level3, weight, score = ind.level3, ind.weight, ind.score
        if not (level3 or ind.target or ind.actual or weight or score) or ind.not_applicable:  # is_blank_row
            out.append(None)
            continue
        if ind.breakdown or (
            level3.strip().startswith(BREAKDOWN_MARKS) and not weight.strip() and not score.strip()
        ):  # is_breakdown
            out.append(None)
            continue
        entered = amount(score)
        if entered is None:
            used, by_default = direction_of(ind.direction, ind.target, ind.level1, ind.level2)
            entered = evaluate(ind.target, ind.actual, ind.direction, weight, used if by_default else "")[0]
        out.append(final_score(entered, amount(ind.deduction)))  # deduction_text
    return out


IndicatorSums = tuple[Decimal, Decimal, Decimal, bool]


def indicator_sums(rows: Iterable[tuple[Indicator, int]], template: Template) -> IndicatorSums:
    """What a form's total and 自评预警 read of its indicator rows, in one pass over them (each row
    given with how many times it comes, in the form's order): Σ ``effective_scores`` (the points),
    Σ 分值 of the rows that have a score (``_indicator_weight``'s sum), Σ 分值 of the 不适用 rows
    (``_rescale``'s dropped) and whether any row has a score. Each step is theirs, each sum added up
    in the same order as they add it (the review list's figures walked a form's rows four times,
    with an IndicatorScore a row; tests compare the two on random rows)."""
    evaluate = score_evaluator(template)
    points = weighted = dropped = ZERO
    scored = False
    for ind, n in rows:
        level3, weight, score = ind.level3, ind.weight, ind.score
        if ind.not_applicable:  # no score; its 分值 is dropped (_rescale: blank rows and 其中 too)
            left_out = amount(weight) or ZERO
            for _ in range(n):
                dropped += left_out
            continue
        if not (level3 or ind.target or ind.actual or weight or score):  # is_blank_row
            continue
        if ind.breakdown or (
            not score.strip() and not weight.strip() and level3.strip().startswith(BREAKDOWN_MARKS)
        ):  # is_breakdown (its name asked last: most rows have a 得分)
            continue
        entered = amount(score)  # effective_scores
        if entered is None:
            entered = suggested_points(ind, evaluate)
            if entered is None:
                continue
        final = final_points(entered, ind.deduction)
        scored = True
        w = amount(weight)  # _indicator_weight
        if n == 1:
            points += final
            if w is not None:
                weighted += w
        else:
            for _ in range(n):
                points += final
                if w is not None:
                    weighted += w
    return points, weighted, dropped, scored


def suggested_points(ind: Indicator, evaluate: Evaluator) -> Decimal | None:
    """The points a row without a 得分 counts with in ``indicator_sums`` (``effective_scores``): the score
    ``evaluate`` (``score_evaluator`` of the template) suggests, None when none."""
    used, by_default = direction_of(ind.direction, ind.target, ind.level1, ind.level2)
    return evaluate(ind.target, ind.actual, ind.direction, ind.weight, used if by_default else "")[0]


def final_points(entered: Decimal, cut: str) -> Decimal:
    """A row's points in ``indicator_sums`` (``effective_scores``): its 得分 (or suggested score) less its
    扣减分数 ``cut`` as typed, never below 0."""
    deduction = amount(cut) if cut else None  # amount("") is None
    entered = q(entered)  # R7.3: each score rounded to cents before it is summed (final_score)
    return entered if not deduction else q(max(entered - deduction, ZERO))


# Every cell ``score_indicator`` reads of a row (tests/core/test_scoring_rows.py records its reads).
SCORE_READS: tuple[str, ...] = (IND.level1, IND.level2, IND.level3, IND.target, IND.actual, IND.direction)
SCORE_READS += (IND.weight, IND.score, IND.not_applicable, IND.breakdown, IND.deduction)
_score_reads = attrgetter(*SCORE_READS)
SCORES_KEPT = 1 << 15  # rows' scores kept per template (all emptied when full)


def indicator_scores(form: Form, template: Template) -> list[IndicatorScore]:
    """``score_indicator`` of every row, remembered on the template by the row's number and the cells
    it reads: after an edit only the edited row is scored again (a form was scored afresh three or
    four times per keystroke: its grid, the status bar, the tree's 自评预警, the 总分 rule)."""
    memo: dict[Any, IndicatorScore] = template.memo_dict("scoring.indicators")
    out = []
    for i, ind in enumerate(form.indicators):
        key = (i, _score_reads(ind))
        found = memo.get(key)
        if found is None:
            if len(memo) >= SCORES_KEPT:
                memo.clear()
            found = memo[key] = score_indicator(ind, i, template)
        out.append(found)
    return out


def level1_totals(form: Form, scores: list[IndicatorScore], spec: FormSpec) -> dict[str, Decimal]:
    """Return Σ scores per 一级指标 (by the template's name: "产出（50分）" counts as 产出指标)."""
    out: dict[str, Decimal] = {}
    for ind, s in zip(form.indicators, scores, strict=True):
        if s.final is not None:
            level1 = spec.canonical_level1(ind.level1)
            out[level1] = out.get(level1, ZERO) + s.final
    return out


def grade_of(total: Decimal | None, opts: Scoring) -> str:
    """Return 优/良/中/差 by half-open bands (89.99 → 良)."""
    if total is None:
        return ""
    for name, floor in _highest_first(opts.grades):
        if total > floor or (total == floor and name not in opts.grade_above):
            return name
    return ""


@lru_cache(maxsize=64)
def _highest_first(grades: tuple[tuple[str, Decimal], ...]) -> tuple[tuple[str, Decimal], ...]:
    """A template's grades from the highest floor down (sorted once, not once a form)."""
    return tuple(sorted(grades, key=lambda g: g[1], reverse=True))


def _rescale(total: Decimal, form: Form, opts: Scoring) -> Decimal:
    """Re-scale to 100 when not-applicable indicators were dropped."""
    dropped = sum((amount(i.weight) or ZERO for i in form.indicators if i.not_applicable), ZERO)
    return _rescaled(total, dropped, opts)


def _rescaled(total: Decimal, dropped: Decimal, opts: Scoring) -> Decimal:
    """``_rescale`` of a form whose 不适用 rows' 分值 add up to ``dropped``."""
    if not dropped or dropped >= opts.total:
        return total
    return q(total * opts.total / (opts.total - dropped))


def is_deduction(item: ScoreItem) -> bool:
    return bool(item.path) and item.path[0].startswith("扣分")


def sheet_total(form: Form, items: list[ItemScore]) -> Decimal | None:
    """Return Σ score-sheet scores (entered, else suggested); deductions subtract."""
    if not form.score_sheet:
        return None
    total = ZERO
    for item, s in zip(form.score_sheet, items, strict=True):
        value = amount(item.self_score)
        value = s.suggested if value is None else value
        if value is not None:  # each to the cent, as printed (R7.3)
            total += -abs(q(value)) if is_deduction(item) else q(value)
    return q(total)


# ---- score-sheet formulas (广元 评分表) ------------------------------------------------

_FORMULA_WORDS = (
    ("project", "执行进度", "project_execution_progress"),
    ("project", "结余", "project_balance_rate"),
    ("project", "目标完成", "project_goal_completion"),
    ("project", "偏离", "project_deviation"),
    ("overall", "执行进度", "overall_execution_progress"),
    ("overall", "结余", "overall_balance_rate"),
    ("overall", "偏离", "overall_deviation"),
    ("overall", "目标实现", "overall_goal_completion"),
)
TEN_PERCENT = Decimal("0.1")
EXECUTION_RATE_WORDS = ("预算执行率", "资金执行率", "支出执行率", "执行率")


def formula_of(item: ScoreItem, kind: str, available: frozenset[str]) -> str:
    """Return the item's formula id: its own, else read from its name and explanation."""
    if item.formula:
        return item.formula
    text = item.name + item.explanation
    for k, word, formula in _FORMULA_WORDS:
        if k == kind and formula in available and word in text:
            return formula
    name = re.sub(r"\s+", "", item.name)
    if any(w in name for w in EXECUTION_RATE_WORDS) and "进度" not in name:
        return "execution_rate"  # any sheet's 预算执行率 line rates what the funds table computes
    if "目标完成" in name:  # any sheet's 目标完成(率) line rates the 数量 indicators met
        return f"{kind}_goal_completion"
    return ""


def _counted(form: Form, with_cost: bool) -> list[Indicator]:
    """Return the 数量 (and 成本) indicators a completion formula counts."""

    def wanted(i: Indicator) -> bool:
        return "数量" in i.level2 or (with_cost and ("成本" in i.level1 or "成本" in i.level2))

    return [
        i
        for i in form.indicators
        if wanted(i) and not i.is_blank_row() and not i.not_applicable and not is_breakdown(i)
    ]


def _completion(form: Form, w: Decimal, with_cost: bool) -> ItemScore:
    rows = _counted(form, with_cost)
    what = "数量、成本指标" if with_cost else "数量指标"
    if not rows:
        return ItemScore(0, None, f"没有{what}，无法计算")
    met = sum(
        ignore_unit(i.target, i.actual, effective_direction(i)[0]).attainment is Attainment.MET for i in rows
    )
    s = q(w * met / len(rows))
    return ItemScore(0, s, f"{what}完成 {met} 个 / 共 {len(rows)} 个 × {fmt(w)} = {fmt(s)}")


def _deviation(form: Form, w: Decimal, with_cost: bool, threshold: Decimal) -> ItemScore:
    rows = _counted(form, with_cost)
    checked = [ignore_unit(i.target, i.actual, effective_direction(i)[0]) for i in rows]
    done = [c for c in checked if c.attainment is Attainment.MET]
    if not done:
        return ItemScore(0, None, "没有已完成的指标，无法计算偏离度")
    near = sum(c.deviation is None or abs(c.deviation) < threshold for c in done)
    s = q(w * near / len(done))
    limit = fmt_percent(threshold, 0)
    return ItemScore(
        0,
        s,
        f"已完成的 {len(done)} 个指标中偏离度低于 {limit} 的 {near} 个，"
        f"{fmt(w)} × {near}/{len(done)} = {fmt(s)}",
    )


def _progress(form: Form, spec: FormSpec, w: Decimal) -> ItemScore:
    ex = execution_score(form, spec)
    if ex.rate is None:
        return ItemScore(0, None, "全年预算数为空或为 0，无法计算执行进度")
    s = _clamp(w * min(ex.rate, ONE), w)
    return ItemScore(0, s, f"{PROGRESS_NOTE}：{fmt(w)} × {fmt_percent(min(ex.rate, ONE))} = {fmt(s)}")


def balance_rate(form: Form, spec: FormSpec) -> Decimal | None:
    """Return 结余率 = (全年预算数 − 全年执行数) / 全年预算数 of the template's balance row (广元: 结余金额 ÷
    财政资金预算数, the 财政拨款 subtotal), else of the rate row."""
    row = spec.balance_row or spec.rate_row
    annual = amount(fund_value(form, spec, row, FUND.annual))
    rate = rate_of(annual, amount(fund_value(form, spec, row, FUND.executed)))
    return None if rate is None else ONE - rate


def _balance(form: Form, spec: FormSpec, w: Decimal) -> ItemScore:
    r = balance_rate(form, spec)
    if r is None:
        return ItemScore(0, None, "全年预算数为空或为 0，无法计算结余率")
    s = _clamp(w * (ONE - r / TEN_PERCENT), w) if r < TEN_PERCENT else ZERO
    rule = f"< 10%，{fmt(w)} × (1 − {fmt_percent(r)} ÷ 10%) = {fmt(s)}" if r < TEN_PERCENT else "≥ 10%，得 0"
    return ItemScore(0, s, f"结余率 {fmt_percent(r)} {rule}")


def _overall_balance(report: Report, template: Template, w: Decimal) -> ItemScore:
    spec = template.form("project")
    rates: list[Decimal] = []
    left_out: list[str] = []
    for p in report.projects:
        r = balance_rate(p, spec)
        if r is None:
            left_out.append(p.name or "（未命名项目）")
        else:
            rates.append(r)
    skipped = (
        f"；未计入 {len(left_out)} 个（全年预算数为空或为 0）：{'、'.join(left_out)}" if left_out else ""
    )
    if not rates:
        return ItemScore(0, None, f"没有可计算结余率的项目{skipped}")
    under = sum(r < TEN_PERCENT for r in rates)
    s = q(w * under / len(rates))
    return ItemScore(
        0, s, f"结余率低于 10% 的项目 {under} 个 / 共 {len(rates)} 个 × {fmt(w)} = {fmt(s)}{skipped}"
    )


def _project_scores(report: Report, template: Template, w: Decimal) -> ItemScore:
    totals = [t for p in report.projects if (t := form_total(report, p, template)) is not None]
    if not totals:
        return ItemScore(0, None, "没有已评分的项目")
    mean = sum(totals, ZERO) / len(totals)
    s = _clamp(mean * Decimal("0.25") + 5, w)
    return ItemScore(
        0, s, f"{len(totals)} 个项目平均 {fmt(mean)} 分 × 25% + 事前评估 5 分（请核实）= {fmt(s)}"
    )


def _item_score(report: Report, form: Form, template: Template, formula: str, w: Decimal) -> ItemScore:
    spec = template.form(form.kind)
    threshold = template.scoring.deviation_threshold
    if formula.endswith("execution_progress"):
        return _progress(form, spec, w)
    if formula == "execution_rate":
        ex = execution_score(form, spec)
        if ex.rate is None:
            return ItemScore(0, None, "全年预算数为空或为 0，无法计算执行率")
        s = _clamp(w * min(ex.rate, ONE), w)
        return ItemScore(
            0, s, f"执行率 {fmt_percent(ex.rate)}，{fmt(w)} × {fmt_percent(min(ex.rate, ONE))} = {fmt(s)}"
        )
    if formula == "project_balance_rate":
        return _balance(form, spec, w)
    if formula == "overall_balance_rate":
        return _overall_balance(report, template, w)
    if formula.endswith("goal_completion"):
        return _completion(form, w, formula.startswith("overall"))
    if formula.endswith("deviation"):
        return _deviation(form, w, formula.startswith("overall"), threshold)
    if form.kind != OVERALL:  # the projects' mean is the 部门整体 form's: a project's own would need itself
        return ItemScore(0, None, "该项的计算方法只用于部门整体支出绩效自评表，请人工评分")
    return _project_scores(report, template, w)


def score_sheet_items(report: Report, form: Form, template: Template) -> list[ItemScore]:
    """Compute the score-sheet items that have a formula; judgement items get None."""
    available = frozenset(c.formula for c in template.form(form.kind).score_sheet if c.formula)
    out = []
    for row, item in enumerate(form.score_sheet):
        formula = formula_of(item, form.kind, available)
        w = amount(item.weight)
        if not formula or w is None:
            out.append(ItemScore(row, None, ""))
            continue
        out.append(replace(_item_score(report, form, template, formula, w), row=row))
    return out


def execution_cap(rate: Decimal | None, opts: Scoring) -> tuple[Decimal | None, str]:
    """Return the highest total a 执行率 allows (K18, when the template sets caps) and why."""
    if rate is None or not opts.execution_caps:
        return None, ""
    caps = [(below, cap) for below, cap in opts.execution_caps if rate < below]
    if not caps:
        return None, ""
    below, cap = min(caps, key=lambda c: c[1])
    return cap, f"执行率 {fmt_percent(rate)} 低于 {fmt_percent(below, 0)}，总分最高 {fmt(cap)} 分"


def _cap_why(ex: ExecutionScore, inds: list[IndicatorScore], form: Form, opts: Scoring) -> str:
    """Return why the total was capped by the 执行率 (K18), "" when the cap did not lower it."""
    cap, why = execution_cap(ex.rate, opts)
    if cap is None:
        return ""
    uncapped = _rescale(
        q((ex.score or ZERO) + sum((s.final for s in inds if s.final is not None), ZERO)), form, opts
    )
    return why if uncapped > cap else ""


def _scored_total(ex: ExecutionScore, scores: Iterable[Decimal | None], form: Form, opts: Scoring) -> Decimal:
    """Return execution score + Σ indicator scores, re-scaled when indicators were dropped,
    capped by the 执行率 when the template says so (K18)."""
    raw = (ex.score or ZERO) + sum((s for s in scores if s is not None), ZERO)
    total = _rescale(q(raw), form, opts)
    cap, _ = execution_cap(ex.rate, opts)
    return min(total, cap) if cap is not None else total


def _total_of(ex: ExecutionScore, points: Decimal, dropped: Decimal, opts: Scoring) -> Decimal:
    """``_scored_total`` of a form whose indicator scores add up to ``points`` and whose 不适用 rows'
    分值 to ``dropped`` (``indicator_sums``)."""
    total = _rescaled(q((ex.score or ZERO) + points), dropped, opts)
    cap, _ = execution_cap(ex.rate, opts)
    return min(total, cap) if cap is not None else total


def _execution_part(ex: ExecutionScore, spec: FormSpec) -> ExecutionScore:
    """Return the execution score as it counts in 总分 (none where the template shows it apart)."""
    return ex if spec.execution_in_total else replace(ex, score=None)


def form_total(report: Report, form: Form, template: Template) -> Decimal | None:
    """Return score_form(report, form, template).total, computing only what the total needs."""
    spec = template.form(form.kind)
    if spec.scored:
        scores = effective_scores(form.indicators, template)  # (each row's helpers inlined)
        ex = _execution_part(execution_score(form, spec), spec)
        return _scored_total(ex, scores, form, template.scoring)
    return sheet_total(form, score_sheet_items(report, form, template))


RED_GAP = Decimal("0.05")
YELLOW_UNSPENT = Decimal("0.2")


def _indicator_weight(form: Form, inds: list[IndicatorScore], ex: ExecutionScore, opts: Scoring) -> Decimal:
    """Return the points the indicators are worth: Σ their weights, else total − 执行率 分值 (90)."""
    weights = [
        w
        for ind, s in zip(form.indicators, inds, strict=True)
        if s.final is not None and (w := amount(ind.weight)) is not None
    ]
    return _weight_or_default(sum(weights, ZERO), ex, opts)


def _weight_or_default(total: Decimal, ex: ExecutionScore, opts: Scoring) -> Decimal:
    """``_indicator_weight`` of indicators whose 分值 add up to ``total``."""
    return total if total > 0 else opts.total - (ex.weight if ex.weight is not None else Decimal(10))


def early_warning(
    form: Form, spec: FormSpec, ex: ExecutionScore, inds: list[IndicatorScore], opts: Scoring
) -> tuple[str | None, str]:
    """Return the 自评预警 (K22) of a form: ("red" | "yellow" | None, the reason in Chinese).

    Red: the indicator score rate runs more than 5 % ahead of the 执行率 score rate,
    (S/ΣS权重 − E/E分值) ÷ (S/ΣS权重) > 5 %. Yellow: 全年预算数 is 0, or more than 20 % is unspent.
    """
    finals = [s.final for s in inds if s.final is not None]
    if spec.scored and finals and ex.rate is not None:
        return _warning_of(form, spec, ex, sum(finals, ZERO), _indicator_weight(form, inds, ex, opts))
    return _warning_of(form, spec, ex, None, ZERO)


def _warning_of(
    form: Form, spec: FormSpec, ex: ExecutionScore, points: Decimal | None, weight: Decimal
) -> tuple[str | None, str]:
    """``early_warning`` of a form whose indicator scores add up to ``points`` and are worth ``weight``
    (``_indicator_weight``); ``points`` None when the red warning is not asked (a form not scored
    from its indicators, none with a score, or no 执行率)."""
    reasons: list[str] = []
    colour: str | None = None
    if points is not None and ex.rate is not None:
        indicator_rate = points / weight
        execution_rate = min(max(ex.rate, ZERO), ONE)
        if indicator_rate > 0 and (indicator_rate - execution_rate) / indicator_rate > RED_GAP:
            colour = "red"
            gap = (indicator_rate - execution_rate) / indicator_rate
            reasons.append(
                f"红色预警：指标得分率 {fmt_percent(indicator_rate)}（{fmt(points)} ÷ {fmt(weight)}）"
                f"高于执行率得分率 {fmt_percent(execution_rate)}，相差 {fmt_percent(gap)}，超过 5%"
            )
    annual = amount(fund_value(form, spec, spec.rate_row, FUND.annual))
    if annual is not None and annual == 0:
        colour = colour or "yellow"
        reasons.append("黄色预警：全年预算数为 0")
    elif ex.rate is not None and ONE - ex.rate > YELLOW_UNSPENT:
        colour = colour or "yellow"
        reasons.append(
            f"黄色预警：执行率 {fmt_percent(ex.rate)}，未执行 {fmt_percent(ONE - ex.rate)}，超过 20%"
        )
    return colour, "；".join(reasons)


def score_form(report: Report, form: Form, template: Template) -> FormScore:
    """Compute every figure of one form of a report laid out by ``template`` (the report's, resolved
    once when it was opened or built)."""
    spec = template.form(form.kind)
    ex = execution_score(form, spec)
    inds = indicator_scores(form, template)
    items = score_sheet_items(report, form, template)
    total: Decimal | None
    if spec.scored:
        total = _scored_total(_execution_part(ex, spec), (s.final for s in inds), form, template.scoring)
    else:
        total = sheet_total(form, items)
    warning, warning_why = early_warning(form, spec, ex, inds, template.scoring)
    return FormScore(
        form.uid,
        form.name,
        form.kind,
        ex,
        row_rates(form),
        computed_sums(form, spec),
        inds,
        items,
        level1_totals(form, inds, spec),
        total,
        grade_of(total, template.scoring),
        template.scoring.rate_places,
        warning,
        warning_why,
        _cap_why(_execution_part(ex, spec), inds, form, template.scoring) if spec.scored else "",
    )


@dataclass(frozen=True)
class FormSummary:
    """Of ``score_form``'s figures, those the window shows after every edit: the indicator rows'
    scores (建议得分), the total, its grade and the 自评预警 (status bar, tree)."""

    indicators: list[IndicatorScore]
    total: Decimal | None
    grade: str
    warning: str | None
    warning_why: str


def form_summary(report: Report, form: Form, template: Template) -> FormSummary:
    """``score_form``'s indicators, total, grade and 自评预警, as it computes them, without the figures
    only the funds and 评分表 grids and the exports read (row rates, computed sums, 一级 totals, a
    scored form's 评分表 items, why the total was capped): a third of its work, on every keystroke."""
    spec = template.form(form.kind)
    ex = execution_score(form, spec)
    inds = indicator_scores(form, template)
    opts = template.scoring
    total: Decimal | None
    if spec.scored:
        # the total's and the 自评预警's sums in one walk of the rows (``_scored_total``, ``_rescale``,
        # ``early_warning``'s and ``_indicator_weight``'s walked them four times), each added up in
        # their order
        points, weighted, dropped, scored = _summary_sums(form, inds)
        total = _total_of(_execution_part(ex, spec), points, dropped, opts)
        if scored and ex.rate is not None:
            warning, warning_why = _warning_of(form, spec, ex, points, _weight_or_default(weighted, ex, opts))
        else:
            warning, warning_why = _warning_of(form, spec, ex, None, ZERO)
    else:
        total = sheet_total(form, score_sheet_items(report, form, template))
        warning, warning_why = early_warning(form, spec, ex, inds, opts)
    return FormSummary(inds, total, grade_of(total, opts), warning, warning_why)


def _summary_sums(form: Form, inds: list[IndicatorScore]) -> IndicatorSums:
    """Of a form's rows and their ``indicator_scores``: Σ the scores (``_scored_total``'s and
    ``early_warning``'s), Σ 分值 of the rows with a score (``_indicator_weight``'s), Σ 分值 of the 不适用
    rows (``_rescale``'s dropped) and whether any row has a score — each summed in the rows' order."""
    points = weighted = dropped = ZERO
    scored = False
    for ind, s in zip(form.indicators, inds, strict=True):
        final = s.final
        if final is not None:
            points += final
            scored = True
            w = amount(ind.weight)
            if w is not None:
                weighted += w
        if ind.not_applicable:
            dropped += amount(ind.weight) or ZERO
    return points, weighted, dropped, scored


def summary_of(score: FormScore) -> FormSummary:
    """The ``form_summary`` of a form already scored in full."""
    return FormSummary(score.indicators, score.total, score.grade, score.warning, score.warning_why)


def form_warning(report: Report, form: Form, template: Template) -> tuple[str | None, str]:
    """Return the 自评预警 of a form alone, as ``score_form`` gives it, without the 评分表 and totals
    (the 部门整体's 评分表 scores every project: the tree shows a thousand warnings)."""
    spec = template.form(form.kind)
    ex = execution_score(form, spec)
    inds = indicator_scores(form, template)
    return early_warning(form, spec, ex, inds, template.scoring)


def score_report(report: Report, template: Template) -> list[FormScore]:
    """Score every form of a report, in order."""
    return [score_form(report, f, template) for f in report.forms]


def ignore_unit(target: str, actual: str, direction: str) -> Comparison:
    """Compare numbers only, as if the actual had the target's unit (for counting formulas)."""
    t, a = parsed(target), parsed(actual)
    c = compared(target, actual, direction)
    if not c.unit_mismatch or t.kind is not Kind.NUMBER or a.kind is not Kind.NUMBER:
        return c
    return compare(t, replace(a, unit=t.unit), direction or None)
