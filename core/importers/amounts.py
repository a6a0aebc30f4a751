"""Read amounts as people write them: text numbers, full-width digits, 1,234.5, "150万", 元 → 万元."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from core.importers.readers import number_text
from core.numbers import amount_problem

TEN_THOUSAND = Decimal(10000)
_CURRENCY = re.compile(r"^([+-]?)¥")
_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(万元|万|元|分)?$")
_BLANKS = {"", "-", "—", "——", "/", "无", "--", "*", "－"}


def clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s,，]", "", t).replace("\u3000", "")


def read_amount(text: str, sheet_unit: str, report_unit: str = "万元") -> tuple[str | None, str]:
    """Return (amount text in the report's unit, note) or (None, reason) when not a number.

    ``sheet_unit`` is the unit the table's header states ("元" or "万元"). A value written
    with its own unit ("150万", "1500000元") uses that unit. Blank gives ("", "").
    """
    t = clean(text)
    if t in _BLANKS:
        return "", ""
    # ￥153.03 (as 会计专用 shows it), ￥-709.50, and -￥709.50 (货币's negative: the sign first)
    match = _NUMBER.match(_CURRENCY.sub(r"\1", t))
    if not match:
        return None, f"“{text.strip()}”不是数字"
    try:
        number = Decimal(match.group(1))
    except InvalidOperation:
        return None, f"“{text.strip()}”不是数字"
    unit = match.group(2) or sheet_unit
    unit = "万元" if unit == "万" else unit
    note = ""
    if unit == "元" and report_unit == "万元":
        number = number / TEN_THOUSAND
        note = f"“{text.strip()}”为元，已换算为 {number_text(number)} 万元"
    elif unit == "万元" and report_unit == "元":
        number = number * TEN_THOUSAND
        note = f"“{text.strip()}”为万元，已换算为 {number_text(number)} 元"
    return _in_range(number_text(number), note)


# An accounting negative: the number in brackets, as 会计专用 formats print a negative ("(0.03)",
# "（1,234.50）", "￥(0.03)", "(￥0.03)"); full-width brackets are ASCII after clean().
_BRACKETED = re.compile(r"^(¥?)\((¥?)([^()¥+-]+)\)(万元|万|元)?$")


def accounting_negative(text: str) -> str:
    """The amount ``text`` writes in brackets, as a negative to read ("(0.03)" → "-0.03", "（150万）" →
    "-150万"), or "" when ``text`` is not a number in brackets."""
    match = _BRACKETED.match(clean(text))
    if match is None or (match.group(1) and match.group(2)):
        return ""
    inner = match.group(3) + (match.group(4) or "")
    return "-" + inner if _NUMBER.match(inner) else ""


def _in_range(value: str, note: str) -> tuple[str | None, str]:
    """The amount range storage accepts (≤ 15 integer digits): beyond it the cell is refused."""
    problem = amount_problem(value)
    return (None, problem) if problem else (value, note)


def read_score(text: str) -> tuple[str | None, str]:
    """A weight or score: a plain number ("10", "９.5 分")."""
    t = clean(text)
    if t in _BLANKS:
        return "", ""
    match = _NUMBER.match(t)
    if not match or (match.group(2) and match.group(2) != "分"):
        if accounting_negative(text):
            return None, f"“{text.strip()}”是括号中的数（会计写法表示负数，分值和得分不能为负），未导入"
        return None, f"“{text.strip()}”不是分值"
    return _in_range(number_text(Decimal(match.group(1))), "")


PERCENT_ALREADY = Decimal(2)  # a 执行率 number above this is in percent (no rate is 200 %)


def rate_text(text: str) -> str:
    """A printed 执行率: a bare fraction (0.8661) prints as 86.61%; a number in percent already (86.61
    or 100 typed into the cell, any above 2) as 86.61%. A number stored as text ("0.98" in a 文本
    cell, a Word table's cell) reads as the same number would. (A title 执行率(%) says nothing:
    systems print 0.9 under it as often as 90.)"""
    t = clean(text)
    if not t:
        return ""
    try:
        number = Decimal(t)
    except InvalidOperation:
        return t
    if not number.is_finite():
        return t
    if number > PERCENT_ALREADY:
        return number_text(number) + "%"
    return number_text(number * 100) + "%"


RATE_UNSURE = (Decimal(1), Decimal(10))  # a bare 执行率 between these could be a ratio or a percent


def rate_doubt(text: str, value: str) -> str:
    """The 请核对 a bare 执行率 number needs when it could be read either way (reviewer's note on the
    > 2 rule: 1.9 reads 190 %, 2.5 reads 2.5 %): a number strictly between 1 and 10 with no % beside
    it. "" when the reading is sure."""
    try:
        number = Decimal(clean(text))
    except InvalidOperation:
        return ""
    if not number.is_finite() or not RATE_UNSURE[0] < number < RATE_UNSURE[1]:
        return ""
    readings = [number_text(number) + "%", number_text(number * 100) + "%"]  # as a percent, as a ratio
    if value not in readings:
        return ""
    other = readings[1 - readings.index(value)]
    return f"执行率“{text.strip()}”没有写 %，已按 {value} 导入（也可能是 {other}），请核对"


def unit_of(text: str) -> str:
    """The money unit a header states: "项目资金（万元）" → 万元, "金额(元)" → 元, else ""."""
    t = unicodedata.normalize("NFKC", text)
    if re.search(r"\(\s*万元\s*\)|单位[:：]?\s*万元", t):
        return "万元"
    if re.search(r"\(\s*元\s*\)|单位[:：]?\s*元", t):
        return "元"
    return ""
