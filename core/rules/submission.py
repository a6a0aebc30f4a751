"""Pre-submission rules (group "yth"): what the 一体化 importer rejects or silently drops.

They read the rows the import file would hold (``core.submission``), so a row the check passes
is a row the file writes as the system wants it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter

from core import schema
from core.model import INDICATORS, Indicator
from core.numbers import ZERO, fmt
from core.problems import Problem
from core.rules import indicators
from core.rules.base import FormCtx, count_together, form_rule, row_rule
from core.rules.indicators import YthCount
from core.schema import IND, Table
from core.scoring import amount, number_cell, parsed, score_indicator
from core.submission import (
    QUANTITATIVE_KINDS,
    YthLabels,
    is_exported,
    is_quantitative,
    plain_number,
    qualitative_word,
    yth_labels,
    yth_row,
)
from core.templates import Template, TemplateError
from core.values import Kind

Finding = tuple[str, str, str]  # rule, message, column
_SPACE = re.compile(r"\s+")


def _labels(template: Template) -> YthLabels | None:
    try:
        return yth_labels(template)
    except TemplateError:
        return None


READS = (
    IND.level3,
    IND.target,
    IND.actual,
    IND.weight,
    IND.score,
    IND.deviation_note,
    IND.direction,
    IND.not_applicable,
    IND.brief,
    IND.deduction,
    IND.unit,
    IND.breakdown,
)


def _plain_name(_template: Template, name: str) -> bool:
    return bool(name.strip())  # an empty name is printed as （无名称）, any other is only quoted


OTHER_KEPT = 1 << 14  # pre-submission ids of rows without a 简要描述 kept by their actual, per template

# As module names: Kind.X is a slow look-up (see core/rules/indicators.py).
_EMPTY, _NUMBER, _DATE = Kind.EMPTY, Kind.NUMBER, Kind.DATE


def _yth_count(ctx: FormCtx) -> YthCount | None:
    """How ``_form_counts`` counts a row of the context's form (None: the template has no 一体化 labels,
    no row has these rules' problems): made once per template (``_yth_counter``), not once a form."""
    return ctx.template.memo(_yth_counter, 1)()


def _yth_counter(template: Template) -> YthCount | None:
    """``_yth_count`` of any form laid out by ``template`` (what it reads is the template's)."""
    labels = _labels(template)
    if labels is None:
        return None
    words, bad_chars = labels.words, labels.bad_chars
    # The words qualitative_word can give (None aside): an actual that is none of them never is the
    # word, so yth_row would keep it as the 简要描述 and no Y02 follows (no score worked out for it).
    givable = frozenset((*words, *labels.word_map.values()))
    blank_chars = bad_chars + " \t\n"
    bad = frozenset(bad_chars)

    # The ids of a row without a 简要描述, by its 实际完成值 (all ``other`` reads of such a row but where
    # the actual is a word qualitative_word can give: that row is worked out apart): such rows repeat
    # a few actuals (达成, 部分达成 …); a row with a 简要描述 of its own rarely repeats and is worked out.
    known: dict[str, tuple[str, ...]] = {}

    def other(ind: Indicator) -> tuple[str, ...]:
        """Y01, Y02, Y06 of a row that is not quantitative (``_findings``)."""
        actual, brief = ind.actual, ind.brief
        if not brief:
            found = known.get(actual)
            if found is not None:
                return found
        out: list[str] = []
        stripped = actual.strip()
        if stripped and stripped not in words:
            out.append("Y01")
        by_row = False  # the ids read more of the row than its actual and 简要描述
        if not brief and stripped:  # yth_row: the actual as written may stand as the 简要描述
            if not actual.strip(blank_chars):
                brief = ""  # qualitative_word gives None: nothing stands as the 简要描述
            elif stripped not in givable:
                brief = stripped  # whatever word qualitative_word gives, it differs from the actual
            else:
                bare = Indicator(**{k: getattr(ind, k) for k in READS})  # what the rule reads, no more
                brief = yth_row(bare, 0, labels, template).brief
                by_row = True
        if not brief.strip():
            out.append("Y02")
        for text in (stripped, brief if brief != stripped else ""):
            if not bad.isdisjoint(text):  # any(ch in text for ch in bad_chars): one char each
                out.append("Y06")
        found = tuple(out)
        if not ind.brief and not by_row:
            if len(known) >= OTHER_KEPT:
                known.clear()
            known[actual] = found
        return found

    return YthCount(_quantitative_rules, other)


def _form_counts(ctx: FormCtx, rows: Sequence[Indicator]) -> list[str]:
    """The rules ``submission_row`` finds on every indicator row of the context's form, one id per
    problem, without making a Problem (the review list's counts; tests compare the two). Each step is
    ``submission_row``'s and ``_findings``'s, by the same helpers; a condition changed there is
    changed here (``_yth_count``). The review's counts count these with the indicator rules' in one
    walk of the rows (``_indicator_and_yth_counts``); tests compare the two."""
    yth = _yth_count(ctx)
    if yth is None:
        return []
    out: list[str] = []
    quantitative, other = yth
    for ind in rows:
        blank = not (ind.level3 or ind.target or ind.actual or ind.weight or ind.score)  # not is_exported
        if blank or ind.not_applicable or ind.breakdown:
            continue
        found = quantitative(ind.target, ind.actual)  # an lru_cache: a row's target and actual, one look-up
        out += other(ind) if found is None else found
    return out


@lru_cache(maxsize=1 << 16)  # pure: two cell texts in (no template), rule ids out
def _quantitative_rules(target: str, actual: str) -> tuple[str, ...] | None:
    """Y03 of a quantitative row (``_findings``: is_quantitative, then plain_number of the actual) as
    ``_form_counts`` counts it, from the row's 年度指标值 and 实际完成值: () when none, None when the row is
    not quantitative (its other rules read more of it). One look-up a row, not a parse of each."""
    # is_quantitative; a plain number (number_cell: what parsed reads of it, without a Value) is one
    kind = _NUMBER if number_cell(target) is not None else parsed(target).kind
    if kind in QUANTITATIVE_KINDS or (kind is _EMPTY and parsed(actual).kind is _NUMBER):
        if actual.strip():
            parts = number_cell(actual)
            if parts is not None:  # a NUMBER without a qualifier: plain unless it has a direction
                return () if parts[0] is None else ("Y03",)
            a = parsed(actual)  # plain_number(actual) is None, inlined
            if not (
                (a.kind is _NUMBER and a.direction is None and not a.qualifier and a.number is not None)
                or (a.kind is _DATE and a.number is not None)
            ):
                return ("Y03",)
        return ()
    return None


@row_rule(Table.INDICATORS, columns=READS, quoted=IND.level3, plain=_plain_name, count=_form_counts)
def submission_row(ctx: FormCtx, i: int, ind: Indicator) -> list[Problem]:
    """Return the pre-submission problems of indicator row ``i`` (results shared by rows that differ
    only in their 三级 name: the engine memoises them)."""
    labels = _labels(ctx.template)
    if labels is None or not is_exported(ind) or ind.not_applicable or ind.breakdown:
        return []
    return [ctx.problem(rule, text, INDICATORS, i, col) for rule, text, col in _findings(ind, labels, ctx)]


def _findings(ind: Indicator, labels: YthLabels, ctx: FormCtx) -> list[Finding]:
    actual = ind.actual.strip()
    if is_quantitative(ind):
        if actual and plain_number(ind.actual) is None:
            return [("Y03", f"定量指标的实际完成值“{actual}”不是数字，一体化系统只接受数字", IND.actual)]
        return []
    row = yth_row(ind, 0, labels, ctx.template)
    name = ind.level3 or "（无名称）"
    out: list[Finding] = []
    words = "、".join(labels.words)
    if actual and actual not in labels.words:
        word = qualitative_word(ind, score_indicator(ind, 0, ctx.template), labels, ctx.template)
        fix = f"可改为“{word}”" if word else f"请改为{words}之一"
        out.append(
            ("Y01", f"定性指标的实际完成值“{actual}”不是{words}之一，一体化系统不接受；{fix}", IND.actual)
        )
    if not row.brief.strip():
        out.append(("Y02", f"定性指标“{name}”的完成情况简要描述为空，一体化系统要求必填", IND.brief))
    for column, text in ((IND.actual, actual), (IND.brief, row.brief if row.brief != actual else "")):
        bad = [ch for ch in labels.bad_chars if ch in text]
        if bad:
            chars = "、".join(f"“{ch}”" for ch in bad)
            out.append(
                ("Y06", f"定性指标的{_COLUMN_NAMES[column]}“{text}”含有{chars}，一体化系统不接受", column)
            )
    return out


_COLUMN_NAMES = {k: schema.label(Table.INDICATORS, k) for k in (IND.actual, IND.brief)}


def _form_count(ctx: FormCtx) -> list[str]:
    """The rules ``submission_form`` finds, one id per problem, without a Problem or its message and
    without its memo (a first scan's forms never repeat: their 三级 names differ): the same decisions
    by the same helpers (``_name_keys``, ``_level2_sums``); tests compare the two."""
    labels = _labels(ctx.template)
    if labels is None:
        return []
    inds = ctx.form.indicators
    names = list(map(_level3_of, inds))  # every row has a name, or none is blank (the usual form): all
    if not all(names) and not all(map(any, map(_exported_cells, inds))):
        names = [ind.level3 for ind in inds if any(_exported_cells(ind))]  # the exported rows' names
    keys = _name_keys(names)
    # _names: a blank name, and every repeat of a name after its first, is one Y05 each
    distinct = set(keys)
    distinct.discard("")
    out = ["Y05"] * (len(keys) - len(distinct))
    if ctx.form.kind == "project" and labels.level2_weights:
        out += ctx.template.memo(_level2_count, 1 << 12)(
            tuple(map(_level2_of, inds)), ctx.weights(), tuple(map(_not_applicable_of, inds))
        )
    return out


_level2_of = attrgetter(IND.level2)
_level3_of = attrgetter(IND.level3)
# The cells is_exported reads (a row is exported when any of them is not empty).
_exported_cells = attrgetter(IND.level3, IND.target, IND.actual, IND.weight, IND.score)
_not_applicable_of = attrgetter(IND.not_applicable)


def _level2_count(
    template: Template, level2s: tuple[str, ...], weights: tuple[str, ...], not_applicable: tuple[bool, ...]
) -> tuple[str, ...]:
    """Y04 once for each 二级 whose rows' 分值 do not add up to the 一体化 template's (``_level2_weights``'s
    decision), of a project's rows given as columns: memoised on the template, keyed by three tuples
    made in C (a form's 二级 and 分值 repeat across projects; working the sums out was a tuple, a
    squeezed name and an amount a row)."""
    labels = _labels(template)
    if labels is None:
        return ()
    sums = _level2_sums(list(zip(level2s, weights, not_applicable, strict=True)), labels)
    return tuple(
        "Y04" for level2, (have, _first) in sums.items() if have != Decimal(labels.level2_weights[level2])
    )


@form_rule(
    Table.INDICATORS,
    columns={  # is_exported (is_blank_row), the names, the 二级 weights
        Table.INDICATORS: (IND.level2, IND.level3, IND.target, IND.actual, IND.weight, IND.score)
        + (IND.not_applicable,)
    },
    count=_form_count,
)
def submission_form(ctx: FormCtx) -> Iterator[Problem]:
    """Return the form-wide pre-submission problems: 三级 names, 二级 weights (found once per distinct
    set of rows, kept on the template: an edit of a 实际完成值 asks again with the same rows)."""
    if _labels(ctx.template) is None:
        return
    rows = tuple(  # is_exported inlined: a call a row was most of this rule's time
        (bool(ind.level3 or ind.target or ind.actual or ind.weight or ind.score), ind.level3, ind.level2)
        + (ind.weight, ind.not_applicable)
        for ind in ctx.form.indicators
    )
    found = ctx.template.memo(_form_findings, 1 << 12)(ctx.form.kind, rows)
    # The Problems too are kept, by the findings and the form they are of: an edit of a 实际完成值 finds
    # the very same findings again, and made a form's dozen Problems afresh, each then compared with
    # the one it replaced (gui: every keystroke). Problems are frozen: shared, they are the same.
    memo = ctx.template.memo_dict("submission_form.problems")
    key = (found, ctx.form.uid, ctx.form.name)
    problems = memo.get(key)
    if problems is None:
        if len(memo) >= 1 << 12:
            memo.clear()
        problems = memo[key] = tuple(
            ctx.problem(rule, message, INDICATORS, row, column) for rule, message, row, column in found
        )
    yield from problems


FormRow = tuple[bool, str, str, str, bool]  # exported, 三级, 二级, 分值, 不适用
FormFinding = tuple[str, str, int, str]  # rule, message, row, column


def _form_findings(template: Template, kind: str, rows: tuple[FormRow, ...]) -> tuple[FormFinding, ...]:
    labels = _labels(template)
    if labels is None:
        return ()
    out = list(_names(rows))
    if kind == "project" and labels.level2_weights:
        out += _level2_weights(rows, labels)
    return tuple(out)


@lru_cache(maxsize=1 << 14)  # pure: a name in, the name without any whitespace out
def _squeezed(text: str) -> str:
    return _SPACE.sub("", text)


def _name_keys(names: list[str]) -> list[str]:
    """The exported rows' 三级 names as the 一体化 system matches them (without any whitespace). When
    no name holds whitespace (one split of them all joined: str.split and the pattern's \\s are the same
    Unicode whitespace) they are the names: a first scan's 750 names a report, each new, are not each
    squeezed and cached."""
    joined = "".join(names)
    if joined.split() == [joined]:
        return names
    return [_squeezed(level3) for level3 in names]


def _names(rows: tuple[FormRow, ...]) -> Iterator[FormFinding]:
    exported = [(i, row[1]) for i, row in enumerate(rows) if row[0]]
    keys = _name_keys([level3 for _i, level3 in exported])
    if all(keys) and len(set(keys)) == len(keys):
        return  # the usual form: every name there and different
    counts = Counter(keys)
    seen: dict[str, int] = {}
    for (i, level3), key in zip(exported, keys, strict=True):
        if not key:
            yield ("Y05", "三级指标名称为空，一体化系统按名称匹配，这一行会被丢弃", i, IND.level3)
        elif key in seen:
            yield (
                "Y05",
                f"三级指标名称“{level3}”在本表中出现 {counts[key]} 次，一体化系统按名称匹配，会错配或丢失",
                i,
                IND.level3,
            )
        else:
            seen[key] = i


def _level2_sums(rows: list[tuple[str, str, bool]], labels: YthLabels) -> dict[str, tuple[Decimal, int]]:
    """Of (二级, 分值, 不适用) rows: each 二级 the 一体化 template gives a weight, with the sum of its
    rows' 分值 and its first such row (rows without a 分值, or 不适用, left out)."""
    sums: dict[str, tuple[Decimal, int]] = {}
    wanted = labels.level2_weights
    for i, (level2_text, weight, not_applicable) in enumerate(rows):
        if not_applicable:
            continue
        level2 = _squeezed(level2_text)  # a few 二级 names, each squeezed once (the 分值 are many)
        if level2 not in wanted:
            continue
        w = amount(weight)
        if w is None:
            continue
        found = sums.get(level2)
        sums[level2] = (ZERO + w, i) if found is None else (found[0] + w, found[1])
    return sums


def _level2_weights(rows: tuple[FormRow, ...], labels: YthLabels) -> Iterator[FormFinding]:
    sums = _level2_sums([(level2, weight, na) for _e, _l3, level2, weight, na in rows], labels)
    for level2, (have, first) in sums.items():
        want = Decimal(labels.level2_weights[level2])
        if have != want:
            yield (
                "Y04",
                f"{level2}的三级指标分值合计为 {fmt(have)}，一体化模板规定为 {fmt(want)}",
                first,
                IND.weight,
            )


def _indicator_and_yth_counts(ctx: FormCtx, rows: Sequence[Indicator]) -> list[str]:
    """The ids of ``indicator_row``'s and ``submission_row``'s counts together, in one walk of the rows
    (``indicators._form_counts`` with this module's ``_yth_count``)."""
    return indicators._form_counts(ctx, rows, _yth_count(ctx))


count_together((indicators.indicator_row, submission_row), _indicator_and_yth_counts)
