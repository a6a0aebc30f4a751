"""Rules on one indicator row, and on the weights of a form's indicators."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from core.model import INDICATORS, Indicator
from core.numbers import ZERO, fmt, fmt_percent, q
from core.problems import Problem
from core.rules.base import OPERATORS, QUOTED, FormCtx, form_rule, row_rule
from core.schema import HEAD, IND, Table
from core.scoring import (
    BREAKDOWN_MARKS,
    MET,
    NA,
    NOT_MET,
    QUANTITATIVE,
    Evaluator,
    IndicatorScore,
    amount,
    compared,
    compared_plain,
    default_of,
    effective_direction,
    execution_weight,
    final_points,
    in_band,
    is_breakdown,
    number_cell,
    number_facts,
    parsed,
    score_evaluator,
    score_indicator,
    suggested_points,
)
from core.templates import Template, split_level1
from core.values import Attainment, Kind, unit_family

TEXT_COLUMNS = (IND.level1, IND.level2, IND.level3, IND.target, IND.actual, IND.deviation_note)
_text_cells = attrgetter(*TEXT_COLUMNS)  # a row's TEXT_COLUMNS in one call
NAME_TARGET_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:人次|人|名|个|次|期|户|篇|册|万元|元|天|%|项|场)")
IMPROVE_WORDS = (
    "改进",
    "措施",
    "下一步",
    "今后",
    "以后",
    "将",
    "加强",
    "提高",
    "完善",
    "确保",
    "优化",
    "从严",
)
OPERATOR_RE = re.compile(
    r"[≥≤<>=＝﹦≧≦＞＜]|不低于|不少于|不高于|不超过|不大于|不小于|大于|小于|达到|以上|以下"
)
DOUBLE_COUNT_WORDS = ("预算执行率", "资金执行率", "预算完成率", "支出执行率")
DOUBLE_COUNT_RE = re.compile("|".join(DOUBLE_COUNT_WORDS))
# A character every double-count word holds ("率"; "" when none is common to them all, and "" is in
# every text): a name without it names none of them, and is not searched (most names, a row each).
_DOUBLE_MARK = min(set.intersection(*map(set, DOUBLE_COUNT_WORDS)), default="")
_IMPROVE_RE = re.compile("|".join(map(re.escape, IMPROVE_WORDS)))  # any(w in note for w in IMPROVE_WORDS)


# Pure-value caches (text in, text or pattern out) stay lru_caches; what a template decides is
# memoised on the Template object (``Template.memo``).
@lru_cache(maxsize=1 << 14)
def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=16)
def _guidance_re(guidance: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for "contains any guidance phrase" (never matches when there are none)."""
    return re.compile("|".join(map(re.escape, guidance)) if guidance else r"(?!)")


@lru_cache(maxsize=16)
def _guidance_marks(guidance: tuple[str, ...]) -> tuple[str, ...]:
    """Characters such that every guidance phrase holds one of them (填, 例, X, x, × for the shipped
    templates; ("",) when a phrase is blank: "" is in every text): a text holding none of them holds
    no phrase, found with a few ``in`` instead of the pattern's search (a form's cells, a form each)."""
    if not all(guidance):
        return ("",)
    marks: list[str] = []
    left = list(guidance)
    while left:  # the character in the most phrases not yet covered, until every one is
        counts = {ch: sum(ch in p for p in left) for p in left for ch in p}
        # in most phrases; of those a letter (例) before punctuation (：), which ordinary text holds more
        best = max(counts, key=lambda ch: (counts[ch], unicodedata.category(ch).startswith("L"), ch))
        marks.append(best)
        left = [p for p in left if best not in p]
    return tuple(marks)


def check_guidance(ctx: FormCtx, i: int, ind: Indicator) -> Iterator[Problem]:
    """V12: no template guidance text left in a cell."""
    guidance = ctx.template.guidance
    texts = (ind.level1, ind.level2, ind.level3, ind.target, ind.actual, ind.deviation_note)  # TEXT_COLUMNS
    if not _guidance_re(guidance).search("\n".join(texts)):  # the usual case: none anywhere
        return
    for column, text in zip(TEXT_COLUMNS, texts, strict=True):
        phrase = next((p for p in guidance if p in text), None) if text else None
        if phrase:
            yield ctx.problem(
                "V12", f"单元格中仍是填写说明（“{phrase}”），请填写实际内容", INDICATORS, i, column
            )


def _vocabulary(template: Template, kind: str) -> dict[str, frozenset[str]]:
    """The template's 一级 → normalised 二级 names."""
    vocab = template.form(kind).vocabulary
    return {level1: frozenset(_norm(n) for n in names) for level1, names in vocab.items()}


def _hierarchy(
    template: Template, kind: str, level1_text: str, level2_text: str
) -> tuple[str, str, str, str]:
    """The hierarchy rule a row's 一级 and 二级 break ("" when none), with the 一级 and 二级 names
    and the 二级's home (memoised on the template: the rule and its count both decide here)."""
    spec = template.form(kind)
    vocab = spec.vocabulary
    level1, level2 = spec.canonical_level1(level1_text), _norm(level2_text)
    if not level1:
        return "S08", level1, level2, ""
    if not vocab or not level2 or level1 not in vocab:
        return "", level1, level2, ""
    if level2 in template.memo(_vocabulary, 4)(kind)[level1]:
        return "", level1, level2, ""
    home = next((one for one, names in template.memo(_vocabulary, 4)(kind).items() if level2 in names), "")
    return ("V15" if home else "S09"), level1, level2, home


def check_hierarchy(ctx: FormCtx, i: int, ind: Indicator) -> Iterator[Problem]:
    """V15/S08/S09: 一级 filled, 二级 under the right 一级, standard names."""
    vocab = ctx.spec.vocabulary
    rule, level1, level2, home = ctx.template.memo(_hierarchy, 1 << 12)(ctx.form.kind, ind.level1, ind.level2)
    if rule == "S08":
        yield ctx.problem(
            "S08", f"三级指标“{ind.level3 or ind.level2}”的一级指标为空", INDICATORS, i, IND.level1
        )
    elif rule == "V15":
        yield ctx.problem(
            "V15", f"二级指标“{level2}”不属于一级指标“{level1}”（应为{home}）", INDICATORS, i, IND.level1
        )
    elif rule == "S09":
        names = "、".join(vocab[level1])
        yield ctx.problem(
            "S09",
            f"二级指标“{level2}”不是规范名称（一级“{level1}”下应为：{names}）",
            INDICATORS,
            i,
            IND.level2,
        )


def check_target(ctx: FormCtx, i: int, ind: Indicator) -> Iterator[Problem]:
    """S02/S03/S13/V15: a target is present, has a direction, fits its 二级."""
    t = parsed(ind.target)
    if t.kind is Kind.EMPTY:
        found = NAME_TARGET_RE.search(ind.level3)
        where = f"；指标名称“{ind.level3}”中含有目标值 {found.group(0)}，请填入年度指标值栏" if found else ""
        yield ctx.problem("S02", f"年度指标值为空{where}", INDICATORS, i, IND.target)
        return
    used, by_default = effective_direction(ind)
    if t.kind is Kind.NUMBER and by_default:
        yield ctx.problem(
            "S03",
            f"年度指标值“{ind.target.strip()}”未写比较方向，方向按默认 {used} 处理；"
            "如不同请在方向栏改为 ≥、≤ 或 =",
            INDICATORS,
            i,
            IND.direction,
        )
    cost = "成本" in ind.level1 or "成本" in ind.level2
    if cost and (ind.direction or t.direction) in ("≥", ">"):
        yield ctx.problem(
            "S13",
            f"成本指标“{ind.level3}”的目标为“{ind.target.strip()}”，成本指标通常为“≤”",
            INDICATORS,
            i,
            IND.target,
        )
    if "数量" in ind.level2 and t.kind is Kind.NUMBER and unit_family(t.unit) == "money":
        yield ctx.problem(
            "V15",
            f"数量指标“{ind.level3}”的目标是金额（{t.unit}），应归入成本指标",
            INDICATORS,
            i,
            IND.level2,
        )


def check_actual(ctx: FormCtx, i: int, ind: Indicator) -> Iterator[Problem]:
    """S19/V10/S14: the actual is a measured value."""
    a = parsed(ind.actual)
    if a.kind is Kind.EMPTY:
        if ind.target.strip() and not ind.actual.strip():
            yield ctx.problem(
                "S19", f"年度指标值为“{ind.target.strip()}”，实际完成值为空", INDICATORS, i, IND.actual
            )
        return
    if a.direction and a.kind in (Kind.NUMBER, Kind.DATE) and OPERATOR_RE.search(ind.actual):
        yield ctx.problem(
            "V10",
            f"实际完成值“{ind.actual.strip()}”含有比较符号“{a.direction}”，应填写实际达到的数值",
            INDICATORS,
            i,
            IND.actual,
        )
    if a.kind is Kind.RANGE:
        yield ctx.problem(
            "S14", f"实际完成值“{ind.actual.strip()}”是区间，应填写实际达到的值", INDICATORS, i, IND.actual
        )


def _missed_text(ind: Indicator) -> str:
    symbol = OPERATORS.get(effective_direction(ind)[0], "未达到")
    return f"实际 {ind.actual.strip()} {symbol} 目标 {ind.target.strip()}"


def _short_of(ind: Indicator, s: IndicatorScore) -> bool:
    w, entered = amount(ind.weight), amount(ind.score)
    return s.attainment == NOT_MET or (w is not None and entered is not None and entered < w)


def check_attainment(ctx: FormCtx, i: int, ind: Indicator, s: IndicatorScore) -> Iterator[Problem]:
    """S01/V09/S16/S10/S15/P04: compare actual with target."""
    direction = effective_direction(ind)[0]
    c = compared(ind.target, ind.actual, direction)
    note = ind.deviation_note.strip()
    if c.unit_mismatch:
        yield ctx.problem("S01", c.explanation, INDICATORS, i, IND.actual)
    elif s.attainment == NOT_MET and not note:
        yield ctx.problem(
            "V09",
            f"未完成目标（{_missed_text(ind)}），请填写偏差原因分析及改进措施",
            INDICATORS,
            i,
            IND.deviation_note,
        )
    elif note and _short_of(ind, s) and not any(w in note for w in IMPROVE_WORDS):
        yield ctx.problem("S16", "偏差原因只说明了原因，请补充改进措施", INDICATORS, i, IND.deviation_note)
    if (
        c.attainment is Attainment.UNKNOWN
        and not c.unit_mismatch
        and ind.actual.strip()
        and parsed(ind.target).kind is not Kind.EMPTY
        and "比较方向" not in c.explanation
    ):
        yield ctx.problem("S15", f"{c.explanation}，请人工评分", INDICATORS, i, IND.score)
    threshold = ctx.template.scoring.deviation_threshold
    over = c.deviation is not None and c.deviation >= threshold
    flag = ctx.template.scoring.over_flag
    if flag is not None and s.attainment == MET and direction in ("≥", ">") and (c.ratio or ZERO) >= flag:
        yield ctx.problem(
            "P04",
            f"实际 {ind.actual.strip()} 为目标 {ind.target.strip()} 的 {fmt_percent(c.ratio)}"
            f"（≥ {fmt_percent(flag, 0)}，蓝色标记），目标可能设定偏低",
            INDICATORS,
            i,
            IND.actual,
        )
    if s.attainment == MET and over and not note and direction in ("≥", ">"):
        yield ctx.problem(
            "S10",
            f"实际 {ind.actual.strip()} 超出目标 {ind.target.strip()} "
            f"{fmt_percent(c.deviation)}（偏离度 ≥ {fmt_percent(threshold, 0)}），目标可能偏低，请说明",
            INDICATORS,
            i,
            IND.deviation_note,
        )


def _band(ctx: FormCtx, ind: Indicator, s: IndicatorScore) -> tuple[str, Decimal, Decimal] | None:
    word = parsed(ind.actual).word
    bands = ctx.template.scoring.bands
    name = word if word in ("部分达成", "未达成") else "达成" if s.attainment == MET else ""
    return (name, *bands[name]) if name in bands else None


def check_scores(ctx: FormCtx, i: int, ind: Indicator, s: IndicatorScore) -> Iterator[Problem]:
    """S18/V04/V08/V11: weight present, score within weight, below suggestion explained, in band."""
    w, entered = amount(ind.weight), amount(ind.score)
    if w is None:
        if ctx.spec.scored and ind.level3.strip():
            yield ctx.problem("S18", f"指标“{ind.level3}”的分值为空", INDICATORS, i, IND.weight)
        return
    if entered is None:
        return
    if entered > w or entered < ZERO:
        yield ctx.problem(
            "V04",
            f"得分 {fmt(entered)} {'超过分值 ' + fmt(w) if entered > w else '为负数'}"
            + (
                f"，按规则应为 {fmt(s.suggested)}（{s.why}）"
                if entered > w and s.suggested is not None
                else ""
            ),
            INDICATORS,
            i,
            IND.score,
        )
    else:
        yield from _inflated(ctx, i, ind, s, w, entered)
    if s.suggested is not None and entered < s.suggested and not ind.deviation_note.strip():
        state = "已完成目标" if s.attainment == MET else "按完成情况"
        yield ctx.problem(
            "V08",
            f"{state}（{s.why}），得分 {fmt(entered)} 低于建议分 {fmt(s.suggested)}，请填写扣分原因",
            INDICATORS,
            i,
            IND.deviation_note,
        )
    band = _band(ctx, ind, s) if parsed(ind.target).kind is Kind.QUALITATIVE else None
    if band and not in_band(entered, w, band[1], band[2]):
        yield ctx.problem(
            "V11",
            f"定性指标{band[0]}，得分应在 {fmt(q(w * band[1]))}–{fmt(q(w * band[2]))} 之间，"
            f"表中为 {fmt(entered)}",
            INDICATORS,
            i,
            IND.score,
        )


def _inflated(
    ctx: FormCtx, i: int, ind: Indicator, s: IndicatorScore, w: Decimal, entered: Decimal
) -> Iterator[Problem]:
    """P02/P01: a score above what the figures support ("严禁刻意抬高分数")."""
    quantitative = parsed(ind.target).kind in (Kind.NUMBER, Kind.RANGE, Kind.DATE)
    if quantitative and s.attainment == NOT_MET and entered >= w and not ind.deviation_note.strip():
        yield ctx.problem(
            "P02",
            f"未完成目标（{_missed_text(ind)}）却得满分 {fmt(entered)}，按规则应为 "
            f"{fmt(s.suggested) if s.suggested is not None else '低于满分'}，请改正得分或在偏差原因中说明",
            INDICATORS,
            i,
            IND.score,
        )
    elif s.suggested is not None and entered > s.suggested:
        yield ctx.problem(
            "P01",
            f"得分 {fmt(entered)} 高于按规则计算的 {fmt(s.suggested)}（{s.why}）",
            INDICATORS,
            i,
            IND.score,
        )


def check_deduction(ctx: FormCtx, i: int, ind: Indicator, s: IndicatorScore) -> Iterator[Problem]:
    """P06: a 扣减分数 needs its reason (完成情况简要描述 or 偏差原因), and is a number ≥ 0."""
    text = ind.deduction.strip()
    if not text:
        return
    value = amount(text)
    if value is None or value < ZERO:
        yield ctx.problem("P06", f"扣减分数“{text}”应为不小于 0 的数字", INDICATORS, i, IND.deduction)
    elif value > ZERO and not (ind.brief.strip() or ind.deviation_note.strip()):
        final = f"，扣减后得 {fmt(s.final)}" if s.final is not None else ""
        yield ctx.problem(
            "P06",
            f"扣减分数 {fmt(value)}{final}，请在完成情况简要描述或偏差原因中说明扣分原因",
            INDICATORS,
            i,
            IND.deduction,
        )


def check_double_count(ctx: FormCtx, i: int, ind: Indicator) -> Iterator[Problem]:
    """V17: an indicator re-scoring the 执行率 the funds already score."""
    named = DOUBLE_COUNT_RE.search(ind.level3) is not None
    if named and execution_weight(ctx.form, ctx.spec) and amount(ind.weight):
        yield ctx.problem("V17", f"指标“{ind.level3}”与资金执行率重复计分", INDICATORS, i, IND.level3)


def _row_checks(ctx: FormCtx, i: int, ind: Indicator) -> list[Problem]:
    out = list(check_guidance(ctx, i, ind))
    if ind.is_blank_row() or is_breakdown(ind):  # a "其中" row: no weight, not summed, not scored
        return out
    out += check_hierarchy(ctx, i, ind)
    s = score_indicator(ind, i, ctx.template)
    out += check_scores(ctx, i, ind, s)
    out += check_double_count(ctx, i, ind)
    out += check_deduction(ctx, i, ind, s)
    if ind.not_applicable:
        return out
    out += check_target(ctx, i, ind)
    out += check_actual(ctx, i, ind)
    out += check_attainment(ctx, i, ind, s)
    return out


# Enum members the counting loop compares with, as module names: ``Kind.EMPTY`` is a look-up through the
# enum's class that costs ~0.2 µs on Python 3.11, and the loop made ten a row (a fifth of its time).
_EMPTY, _NUMBER, _RANGE, _QUALITATIVE = Kind.EMPTY, Kind.NUMBER, Kind.RANGE, Kind.QUALITATIVE
_NUMBER_OR_DATE = (Kind.NUMBER, Kind.DATE)
_UNKNOWN = Attainment.UNKNOWN
_UPWARD = ("≥", ">")
_PARTIAL = ("部分达成", "未达成")

# What ``_row_rules`` gives: rule ids, whether S16 follows unless the 偏差原因 names an improvement,
# the 分值 (None: none; else whether it is other than 0), and of a 年度指标值 and 实际完成值 that are both
# plain numbers (``number_cell``) whether the actual has a direction (the pre-submission Y03 of such
# a row: ``submission._quantitative_rules``), None for any other row; and its 得分 and 分值 as amounts
# (what ``scoring.indicator_sums`` adds up: the count walk gives the review list's figures its sums).
RowRules = tuple[tuple[str, ...], bool, bool | None, bool | None, Decimal | None, Decimal | None]


def _row_rules(
    template: Template,
    hierarchy: Callable[[str, str, str], tuple[str, str, str, str]],
    kind: str,
    level1: str,
    level2: str,
    target: str,
    actual: str,
    direction: str,
    weight: str,
    score: str,
    not_applicable: bool,
    noted: bool,
) -> RowRules:
    """The rule ids ``_row_checks`` finds on a row (neither blank nor 其中) that its form's kind, its 一级,
    二级, 年度指标值, 实际完成值, 方向, 分值, 得分 and 不适用 decide, and whether it has a 偏差原因:
    all but those its 三级 name (S18, V17), 扣减分数 (P06) and the 偏差原因's words (S16, V12) decide.
    ``hierarchy``: ``_hierarchy`` memoised on the template (looked up once a form, not once a row).
    Memoised on the template (``_form_counts``, by all of its arguments but these two): a row's
    count is one look-up of these, not one of
    each parsed cell, its comparison, its score and its hierarchy (a look-up in a big cache is ~1 µs on
    a busy machine: most of a row's count was those look-ups). A row met for the first time is worked
    out here in one frame by the same helpers (two numbers by ``number_facts``, scored and compared at
    once): the calls of a first-seen row were most of the count of a set whose rows rarely repeat."""
    out: list[str] = []
    rule = hierarchy(kind, level1, level2)[0]  # check_hierarchy (``_hierarchy`` memoised on the template)
    if rule:
        out.append(rule)
    # the two cells as parsed gives them: two plain numbers read without making their Values
    t_parts, a_parts = number_cell(target), number_cell(actual)
    goal: Decimal | None
    done: Decimal | None
    pair: bool | None = None
    if t_parts is not None and a_parts is not None:
        t_kind = a_kind = _NUMBER
        (t_direction, goal, t_unit), (a_direction, done, a_unit) = t_parts, a_parts
        a_word = ""
        pair = a_direction is not None
    else:
        t, a = parsed(target), parsed(actual)
        t_kind, t_direction, goal, t_unit = t.kind, t.direction, t.number, t.unit
        a_kind, a_direction, done, a_unit, a_word = a.kind, a.direction, a.number, a.unit, a.word
    w = amount(weight)
    cost = "成本" in level1 or "成本" in level2
    if direction:  # effective_direction (direction_of, with the target parsed once)
        used, by_default = direction, False
    elif t_direction:
        used, by_default = t_direction, False
    elif t_kind is not _NUMBER:
        used, by_default = "", False
    else:
        used, by_default = default_of(t_kind, t_unit, cost, "时效" in level2), True
    opts = template.scoring
    fused = None
    if not_applicable:
        suggested, attainment = None, NA
    elif (
        t_kind is _NUMBER
        and a_kind is _NUMBER
        and (fused := number_facts(t_direction, goal, t_unit, done, a_unit, used, w, opts)) is not None
    ):
        suggested, attainment = fused[0], fused[1]  # evaluate_row and compared_plain at once
    else:  # evaluate_row
        suggested, attainment = score_evaluator(template)(
            target, actual, direction, weight, used if by_default else ""
        )
    entered = amount(score)  # score_indicator
    if w is not None and entered is not None:  # check_scores
        if entered > w or entered < ZERO:
            out.append("V04")
        elif t_kind in QUANTITATIVE and attainment == NOT_MET and entered >= w and not noted:  # _inflated
            out.append("P02")
        elif suggested is not None and entered > suggested:
            out.append("P01")
        if suggested is not None and entered < suggested and not noted:
            out.append("V08")
        if t_kind is _QUALITATIVE:  # _band
            band = opts.bands.get(a_word if a_word in _PARTIAL else "达成" if attainment == MET else "")
            if band is not None:
                low, high = band
                if not in_band(entered, w, low, high):
                    out.append("V11")
    weighted = None if w is None else bool(w)
    if not_applicable:  # the target and actual are not checked
        return tuple(out), False, weighted, pair, entered, w
    if t_kind is _EMPTY:  # check_target
        out.append("S02")
    else:
        if t_kind is _NUMBER and by_default:
            out.append("S03")
        if cost and (direction or t_direction) in _UPWARD:
            out.append("S13")
        if t_kind is _NUMBER and "数量" in level2 and unit_family(t_unit) == "money":
            out.append("V15")
    if a_kind is _EMPTY:  # check_actual
        if target.strip() and not actual.strip():
            out.append("S19")
    else:
        if a_direction and a_kind in _NUMBER_OR_DATE and OPERATOR_RE.search(actual):
            out.append("V10")
        if a_kind is _RANGE:
            out.append("S14")
    if fused is not None:  # check_attainment of two numbers: an unknown result is S01 or no direction
        ratio, deviation, mismatch = fused[3], fused[4], fused[5]
        if mismatch:
            out.append("S01")
    else:
        c = compared_plain(target, actual, used)  # check_attainment (S15 reads no number's text)
        ratio, deviation, mismatch = c.ratio, c.deviation, c.unit_mismatch
        if mismatch:
            out.append("S01")
        elif (
            c.attainment is _UNKNOWN
            and actual.strip()
            and t_kind is not _EMPTY
            and "比较方向" not in c.explanation
        ):
            out.append("S15")
    short = False
    if mismatch:
        pass
    elif attainment == NOT_MET and not noted:
        out.append("V09")
    elif noted and (attainment == NOT_MET or (w is not None and entered is not None and entered < w)):
        short = True  # S16 unless the 偏差原因 names an improvement
    if attainment == MET and used in _UPWARD:  # P04 and S10 are of met upward targets only
        over_flag = opts.over_flag
        if over_flag is not None and (ratio or ZERO) >= over_flag:
            out.append("P04")
        if not noted and deviation is not None and deviation >= opts.deviation_threshold:
            out.append("S10")
    return tuple(out), short, weighted, pair, entered, w


class YthCount(NamedTuple):
    """The pre-submission rules' count of a row (``core.rules.submission``), for ``_form_counts`` to
    count them in the same walk of a form's rows: the rule ids of a quantitative row from its target
    and actual (None: not quantitative), and those of any other row."""

    quantitative: Callable[[str, str], tuple[str, ...] | None]
    other: Callable[[Indicator], Sequence[str]]


_Y03 = ("Y03",)
ROW_RULES_KEPT = 1 << 16  # rows' results kept per template (all emptied when full)


def _form_counts(ctx: FormCtx, rows: Sequence[Indicator], yth: YthCount | None = None) -> list[str]:
    """The rules ``_row_checks`` finds on every indicator row of the context's form, one id per
    problem, without making a Problem or its message (the review list's counts of 1,000 reports:
    tests compare the two on generated rows of every kind). Each step is ``_row_checks``'s, deciding
    by the same helpers; a condition changed there is changed here (or in ``_row_rules``, what all
    but the 三级 name, 扣减分数 and the 偏差原因's words decide). What is the same for every row (the
    template's memos, options, the form's 执行率 分值, whether any cell of the form holds guidance
    text at all) is looked up once per form, not once per row.

    ``yth``: the pre-submission rules' ids too, in the same walk (``submission._form_counts``'s, which
    skips the blank, 不适用 and marked 其中 rows; a row of two plain numbers is decided from what
    ``_row_rules`` kept of it: one look-up a row less, none for a row met before).

    The walk also adds up what ``scoring.indicator_sums`` gives of the rows (each step and sum in its
    order, the 得分 and 分值 as ``_row_rules`` kept them) and keeps it on the context
    (``FormCtx.keep_sums``): the review list's figures of the form are then not walked again."""
    template = ctx.template
    out: list[str] = []
    guidance = template.guidance
    # check_guidance: a row's cells joined are a part of the form's cells joined the same way, so
    # when the whole form holds no guidance phrase no row does (the usual case: one search a form).
    found_guidance = False
    if guidance:
        joined = "\n".join(map("\n".join, map(_text_cells, rows)))  # each row's cells, all rows: in C
        found_guidance = any(mark in joined for mark in _guidance_marks(guidance)) and bool(
            _guidance_re(guidance).search(joined)
        )
    memo: dict[Hashable, RowRules] = template.memo_dict("indicators._row_rules")
    memo_get = memo.get
    kind, scored = ctx.form.kind, ctx.spec.scored
    double_count: bool | None = None  # execution_weight of the form, worked out when a name asks
    points = weights = dropped = ZERO  # indicator_sums
    any_scored = False
    evaluate: Evaluator | None = None
    hierarchy: Callable[[str, str, str], tuple[str, str, str, str]] | None = None  # for a row not met before
    for ind in rows:
        level1, level2, level3, target, actual = ind.level1, ind.level2, ind.level3, ind.target, ind.actual
        note = ind.deviation_note
        if found_guidance:
            texts = (level1, level2, level3, target, actual, note)  # TEXT_COLUMNS
            if _guidance_re(guidance).search("\n".join(texts)):
                out += ["V12" for text in texts if text and next((p for p in guidance if p in text), None)]
        weight, score = ind.weight, ind.score
        not_applicable = ind.not_applicable
        if not_applicable:  # indicator_sums: its 分值 is dropped (a blank or 其中 row's too)
            dropped += amount(weight) or ZERO
        if not (level3 or target or actual or weight or score):  # is_blank_row
            continue
        if ind.breakdown:  # is_breakdown (both rules leave a marked 其中 row out)
            continue
        if not score.strip() and not weight.strip() and level3.strip().startswith(BREAKDOWN_MARKS):
            # is_breakdown by its name (asked last: most rows have a 得分): not this rule's, but the
            # pre-submission rules' row
            if yth is not None and not not_applicable:
                counted = yth.quantitative(target, actual)
                out += yth.other(ind) if counted is None else counted
            continue
        noted = bool(note and note.strip())  # an empty 偏差原因 (most rows) is not stripped
        key = (kind, level1, level2, target, actual, ind.direction, weight, score, not_applicable, noted)
        known = memo_get(key)
        if known is None:  # a plain dict: an lru_cache's hit was a tenth of a form's count (its links)
            if len(memo) >= ROW_RULES_KEPT:
                memo.clear()
            if hierarchy is None:
                hierarchy = template.memo(_hierarchy, 1 << 12)
            known = memo[key] = _row_rules(template, hierarchy, *key)
        found, short, weighted, pair, entered, w = known
        if yth is not None and not not_applicable:  # submission._form_counts
            if pair is not None:  # two plain numbers: Y03 when the actual has a direction
                if pair:
                    out += _Y03
            else:
                counted = yth.quantitative(target, actual)
                out += yth.other(ind) if counted is None else counted
        if found:
            out += found
        if short and not _IMPROVE_RE.search(note):  # any(word in note for word in IMPROVE_WORDS)
            out.append("S16")
        if weighted is None:  # check_scores: no 分值
            if scored and level3.strip():
                out.append("S18")
        elif weighted and _DOUBLE_MARK in level3 and DOUBLE_COUNT_RE.search(level3) is not None:
            if double_count is None:  # check_double_count
                double_count = bool(execution_weight(ctx.form, ctx.spec))
            if double_count:
                out.append("V17")
        typed_cut = ind.deduction
        if typed_cut and (cut := typed_cut.strip()):  # check_deduction (most rows have none typed)
            value = amount(cut)
            if value is None or value < ZERO or (value > ZERO and not (ind.brief.strip() or noted)):
                out.append("P06")
        if not_applicable:
            continue
        if entered is None:  # indicator_sums of a row without a 得分 (rare): the score it suggests
            if evaluate is None:
                evaluate = score_evaluator(template)
            entered = suggested_points(ind, evaluate)
            if entered is None:
                continue
        points += final_points(entered, typed_cut) if typed_cut else entered  # none to take off: no call
        any_scored = True
        if w is not None:
            weights += w
    ctx.keep_sums((points, weights, dropped, any_scored))
    return out


# Finds the same names as NAME_TARGET_RE, faster: one digit before the unit is enough to know.
_NAME_TARGET_ANYWHERE = re.compile(NAME_TARGET_RE.pattern.replace(r"\d+", r"\d", 1))


def _special_words_re(template: Template) -> re.Pattern[str]:
    """Words that make a 三级 name matter to the row rules: guidance, a double-count word."""
    words = [*template.guidance, *DOUBLE_COUNT_WORDS, QUOTED]
    return re.compile("|".join(map(re.escape, words)))


def _plain_name(template: Template, name: str) -> bool:
    """True when the row rules use this 三级 name only as text in messages (no guidance, no
    double-count word, no target written inside it, not a "其中"/★ breakdown row)."""
    return (
        bool(name.strip())
        and not name.strip().startswith(BREAKDOWN_MARKS)
        and not template.memo(_special_words_re, 1)().search(name)
        and not _NAME_TARGET_ANYWHERE.search(name)
    )


@row_rule(
    Table.INDICATORS,
    columns=(
        IND.level1,
        IND.level2,
        IND.level3,
        IND.target,
        IND.actual,
        IND.weight,
        IND.score,
        IND.deviation_note,
    )
    + (IND.direction, IND.not_applicable, IND.deduction, IND.brief, IND.breakdown),
    header=(HEAD.execution_weight,),
    quoted=IND.level3,
    plain=_plain_name,
    count=_form_counts,
)
def indicator_row(ctx: FormCtx, i: int, ind: Indicator) -> list[Problem]:
    """Every problem of one indicator row (a plain 三级 name is only quoted: see ``_plain_name``)."""
    return _row_checks(ctx, i, ind)


def _weight_rows(ctx: FormCtx) -> tuple[tuple[str, str], ...]:
    """(一级, 分值) of every indicator row, a breakdown row's 分值 blank (what the weight rules read)."""
    return tuple(
        [
            (
                ind.level1,
                ""
                if ind.breakdown  # is_breakdown, inlined (a call a row was a third of this rule's time)
                or (  # a 得分 first: most rows have one, and then no name is looked at
                    not ind.score.strip()
                    and not ind.weight.strip()
                    and ind.level3.strip().startswith(BREAKDOWN_MARKS)
                )
                else ind.weight,
            )
            for ind in ctx.form.indicators
        ]
    )


_level1_of, _weight_cell, _marked = attrgetter(IND.level1), attrgetter(IND.weight), attrgetter(IND.breakdown)


def _weights_count(ctx: FormCtx) -> list[str]:
    """The rules ``check_weights`` finds, one id per problem, without a Problem or its message (the
    same decisions, ``_weight_gaps``, memoised on the template apart from the messages). A form with
    no row marked 其中 is looked up by its two columns as typed, each made in C: ``_weight_rows``
    blanks a 其中 row's 分值, and a row that is one by its name has a blank 分值 already (which reads as
    none either way: ``amount``)."""
    form = ctx.form
    rows = form.indicators
    if any(map(_marked, rows)):
        found = ctx.template.memo(_weight_rules, 1 << 12)(form.kind, form.execution_weight, _weight_rows(ctx))
    else:
        found = ctx.template.memo(_weight_column_rules, 1 << 12)(
            form.kind, form.execution_weight, tuple(map(_level1_of, rows)), ctx.weights()
        )
    return list(found)


def _weight_column_rules(
    template: Template,
    kind: str,
    execution_weight_text: str,
    level1s: tuple[str, ...],
    weights: tuple[str, ...],
) -> tuple[str, ...]:
    """``_weight_rules`` of rows given as their 一级 and 分值 columns (memoised on the template)."""
    return _weight_rules(template, kind, execution_weight_text, tuple(zip(level1s, weights, strict=True)))


@form_rule(
    Table.INDICATORS,
    Table.HEADER,
    # the weights by 一级, and what is_breakdown reads
    columns={Table.INDICATORS: (IND.level1, IND.weight, IND.breakdown, IND.level3, IND.score)},
    count=_weights_count,
)
def check_weights(ctx: FormCtx) -> Iterator[Problem]:
    """V05/V06: Σ weights per 一级 and in total."""
    rows = _weight_rows(ctx)
    found = ctx.template.memo(_weight_findings, 1 << 12)(ctx.form.kind, ctx.form.execution_weight, rows)
    for rule, message, row in found:
        yield ctx.problem(rule, message, INDICATORS, row, IND.weight)


WeightGap = tuple[str, Decimal, str, int]  # 一级, its rows' 分值 summed, the weight it should have, first row


def _weight_gaps(
    template: Template, kind: str, execution_weight_text: str, rows: tuple[tuple[str, str], ...]
) -> tuple[list[WeightGap], tuple[Decimal, Decimal] | None]:
    """The 一级 whose 三级 weights do not add up to the 一级's (V05), and (Σ 分值, 执行率 分值) when
    the whole does not add up to the template's total (V06; None when it does)."""
    spec = template.form(kind)
    sums: dict[str, Decimal] = {}
    first: dict[str, int] = {}
    printed: dict[str, str] = {}  # "产出指标（50分）" prints the 一级's own weight
    for i, (label, weight) in enumerate(rows):
        level1 = spec.canonical_level1(label)
        printed_weight = split_level1(label)[1]
        if printed_weight:
            printed.setdefault(level1, printed_weight)
        w = amount(weight)
        if w is not None:
            sums[level1] = sums.get(level1, ZERO) + w
            first.setdefault(level1, i)
    if not sums:
        return [], None
    gaps: list[WeightGap] = []
    for level1 in dict.fromkeys([*spec.level1_weights, *printed]):
        want = printed.get(level1) or spec.level1_weights.get(level1, "")
        have = sums.get(level1, ZERO)
        if want and have != Decimal(want) and level1 in first:
            gaps.append((level1, have, want, first[level1]))
    ew_text = spec.execution_weight if spec.execution_weight.strip() else execution_weight_text
    ew = (amount(ew_text) or ZERO) if spec.execution_in_total else ZERO  # 平凉: shown apart, not in 总分
    total = sum(sums.values(), ZERO) + ew
    return gaps, (None if total == template.scoring.total else (total, ew))


def _weight_rules(
    template: Template, kind: str, execution_weight_text: str, rows: tuple[tuple[str, str], ...]
) -> tuple[str, ...]:
    """The rule ids of ``_weight_findings`` (memoised on the template)."""
    gaps, whole = _weight_gaps(template, kind, execution_weight_text, rows)
    return ("V05",) * len(gaps) + (("V06",) if whole is not None else ())


def _weight_findings(
    template: Template, kind: str, execution_weight_text: str, rows: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str, int | None], ...]:
    """Return (rule, message, row) of the weights of (一级, 分值) rows (memoised on the template)."""
    gaps, whole = _weight_gaps(template, kind, execution_weight_text, rows)
    out: list[tuple[str, str, int | None]] = [
        ("V05", f"{level1}的三级指标分值合计为 {fmt(have)}，应为 {want}", first)
        for level1, have, want, first in gaps
    ]
    if whole is not None:
        total, ew = whole
        out.append(
            (
                "V06",
                f"指标分值合计 {fmt(total - ew)} + 执行率分值 {fmt(ew)} = {fmt(total)}，"
                f"应为 {fmt(template.scoring.total)}",
                None,
            )
        )
    return tuple(out)
