"""What goes to the 一体化 system: one row per indicator in its import template's 12 columns.

The headers, the 计算符号 as the system prints them, the three 定性 words and the usual ways
people write them (已完成 → 达成) are the region template's (``outputs.yth``). Both the export
(``core.export.yth``) and the pre-submission rules (``core.rules.submission``) read rows from here,
so what the check predicts is what the file holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.model import Form, Indicator
from core.numbers import q
from core.scoring import (
    DEFAULT_BANDS,
    MET,
    NOT_MET,
    IndicatorScore,
    amount,
    effective_direction,
    parsed,
    score_indicator,
)
from core.templates import Template, TemplateError
from core.values import Kind

QUANTITATIVE_KINDS = (Kind.NUMBER, Kind.RANGE, Kind.DATE)
# As module names: Kind.X is looked up through EnumType.__getattr__'s slow path on Python 3.11 (~0.25
# µs), and plain_number asks it of every quantitative row the review list counts (Y03).
_NUMBER, _DATE = Kind.NUMBER, Kind.DATE
_TRIM = re.compile(r"[\s。．.，,；;！!]+")

Cell = str | Decimal | None


@dataclass(frozen=True)
class YthLabels:
    """The 一体化 import template of a region (from its template JSON)."""

    headers: tuple[str, ...]
    sheet: str
    project_file: str
    overall_file: str
    folder: str
    operators: dict[str, str]
    default_operator: str
    qualitative: str
    words: tuple[str, ...]
    word_map: dict[str, str]
    level2_weights: dict[str, str]
    bad_chars: str


def outputs_section(template: Template, key: str) -> dict[str, Any]:
    """Return one part of a template's ``outputs`` (yth, summary, analysis, public)."""
    section = template.outputs.get(key)
    if not isinstance(section, dict):
        raise TemplateError(f"模板文件 {template.source} 缺少 “outputs.{key}”")
    return section


def yth_labels(template: Template) -> YthLabels:
    """Return the 一体化 labels of a template (read once per template object), or raise
    TemplateError naming what is missing."""
    return template.memo(_yth_labels, 1)()


def _yth_labels(template: Template) -> YthLabels:
    y = outputs_section(template, "yth")
    try:
        words = tuple(str(w) for w in y["words"])
        variants = {_key(v): str(word) for word, vs in y.get("word_map", {}).items() for v in vs}
        labels = YthLabels(
            headers=tuple(str(h) for h in y["headers"]),
            sheet=str(y.get("sheet", "Sheet1")),
            project_file=str(y["project_file"]),
            overall_file=str(y["overall_file"]),
            folder=str(y["folder"]),
            operators={str(k): str(v) for k, v in y["operators"].items()},
            default_operator=str(y.get("default_operator", "≥")),
            qualitative=str(y["qualitative"]),
            words=words,
            word_map={**variants, **{w: w for w in words}},
            level2_weights={str(k): str(v) for k, v in y.get("level2_weights", {}).items()},
            bad_chars=str(y.get("bad_chars", "")),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise TemplateError(f"模板文件 {template.source} 的 “outputs.yth” 不完整：{exc}") from exc
    if len(labels.headers) != 12 or len(labels.words) != 3:
        raise TemplateError(f"模板文件 {template.source} 的 “outputs.yth” 应有 12 个表头和 3 个等级词")
    return labels


def _key(text: str) -> str:
    return _TRIM.sub("", text)


def mapped_word(text: str, labels: YthLabels) -> str | None:
    """Return the 定性 word a written actual means ("已完成。" → 达成), or None."""
    return labels.word_map.get(_key(text))


def is_quantitative(ind: Indicator) -> bool:
    """Return True for a 定量 row: its target is a number, a range or a date."""
    kind = parsed(ind.target).kind
    if kind is Kind.EMPTY:
        return parsed(ind.actual).kind is Kind.NUMBER
    return kind in QUANTITATIVE_KINDS


def is_exported(ind: Indicator) -> bool:
    """Return True for a row the import file holds (every indicator but a printed empty 二级 row)."""
    return not ind.is_blank_row()


def qualitative_word(
    ind: Indicator, score: IndicatorScore, labels: YthLabels, template: Template
) -> str | None:
    """Return 达成 / 部分达成 / 未达成 for a 定性 row: as written, else by its score's band, else by
    whether the target was met, else 达成 (部分达成 when a 偏差原因 is given); None when blank."""
    if not ind.actual.strip(labels.bad_chars + " \t\n"):
        return None
    word = mapped_word(ind.actual, labels)
    if word is not None:
        return word
    weight = amount(ind.weight)
    if score.score is not None and weight:
        bands = template.scoring.bands or DEFAULT_BANDS
        met_floor = bands.get(labels.words[0], DEFAULT_BANDS["达成"])[0]
        part_floor = bands.get(labels.words[1], DEFAULT_BANDS["部分达成"])[0]
        # the band limits the system checks the score against, rounded to 2 places (R5.1, C2)
        s = score.score
        return labels.words[0 if s >= q(weight * met_floor) else 1 if s >= q(weight * part_floor) else 2]
    if score.attainment == MET:
        return labels.words[0]
    if score.attainment == NOT_MET:
        return labels.words[2]
    return labels.words[1] if ind.deviation_note.strip() else labels.words[0]


def operator(ind: Indicator, labels: YthLabels) -> str:
    """Return the 计算符号 as the system prints it (≥ ＞ ＝ ＜ ≤, or 定性)."""
    if not is_quantitative(ind):
        return labels.qualitative
    # the direction the row is scored by: written, else its 二级's default (成本/时效 期限 ≤, S03) — the
    # system recomputes a 定量 score from this column, so it must be the one ZiPing scored with
    direction = effective_direction(ind)[0]
    return labels.operators.get(
        direction, labels.operators.get(labels.default_operator, labels.default_operator)
    )


def unit_of(ind: Indicator) -> str:
    """Return the 计量单位: the row's own, else the target's, else the actual's."""
    return ind.unit or parsed(ind.target).unit or parsed(ind.actual).unit


def plain_number(text: str) -> Decimal | None:
    """Return the number an actual states when it is just a number with a unit ("10名" → 10)."""
    v = parsed(text)
    if v.kind is _NUMBER and v.direction is None and not v.qualifier and v.number is not None:
        return v.number
    if v.kind is _DATE and v.number is not None:
        return v.number
    return None


@dataclass(frozen=True)
class YthRow:
    """One indicator as the import file holds it: ``row`` is its index in the form's indicators."""

    row: int
    level1: str
    level2: str
    level3: str
    operator: str
    target: Cell
    actual: Cell
    unit: str
    weight: Cell
    score: Cell
    deduction: Cell
    brief: str
    deviation_note: str
    quantitative: bool

    def values(self) -> tuple[Cell, ...]:
        """Return the 12 cells in the import template's column order."""
        return (
            self.level1,
            self.level2,
            self.level3,
            self.operator,
            self.target,
            self.actual,
            self.unit,
            self.weight,
            self.score,
            self.deduction,
            self.brief,
            self.deviation_note,
        )


def _number_or_text(text: str) -> Cell:
    value = amount(text)
    return value if value is not None else (text.strip() or None)


def yth_row(ind: Indicator, row: int, labels: YthLabels, template: Template) -> YthRow:
    """Return one indicator's row of the import file."""
    score = score_indicator(ind, row, template)
    brief = ind.brief
    quantitative = is_quantitative(ind)
    t = parsed(ind.target)
    target: Cell
    actual: Cell
    if quantitative:
        target = t.number if t.number is not None else (ind.target.strip() or None)
        number = plain_number(ind.actual)
        actual = number if number is not None else (ind.actual.strip() or None)
    else:
        target = ind.target.strip() or None
        word = qualitative_word(ind, score, labels, template)
        actual = word or ind.actual.strip() or None
        if not brief and word is not None and ind.actual.strip() and ind.actual.strip() != word:
            brief = ind.actual.strip()  # what was written stays, as the 简要描述
    return YthRow(
        row=row,
        level1=ind.level1,
        level2=ind.level2,
        level3=ind.level3,
        operator=operator(ind, labels),
        target=target,
        actual=actual,
        unit=unit_of(ind),
        weight=_number_or_text(ind.weight),
        score=None if score.score is None else q(score.score),  # to the cent, as the forms print it (R7.3)
        deduction=_number_or_text(ind.deduction),
        brief=brief,
        deviation_note=ind.deviation_note,
        quantitative=quantitative,
    )


def yth_rows(form: Form, template: Template) -> list[YthRow]:
    """Return the rows of one form's import file, in the form's order."""
    labels = yth_labels(template)
    return [yth_row(ind, i, labels, template) for i, ind in enumerate(form.indicators) if is_exported(ind)]
