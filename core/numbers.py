"""Decimal helpers: read amounts as people type them, round 四舍五入, print."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache

_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋，％", "0123456789.-+,%")
_AMOUNT_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_BLANKS = {"", "-", "—", "——", "/", "／", "无"}
HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)
MAX_INTEGER_DIGITS = 15  # the places an amount column prints: 999,999,999,999,999.99 at most


class AmountError(ValueError):
    """A cell that should hold an amount holds something else."""


def clean_number_text(text: str) -> str:
    """Return ``text`` with full-width digits folded, separators and spaces removed."""
    t = text.translate(_FULLWIDTH).strip()
    t = t.replace(",", "").replace(" ", "").replace("\u3000", "")
    for suffix in ("万元", "元", "分"):
        if t.endswith(suffix):
            t = t[: -len(suffix)]
    return t


def parse_amount(text: str | None) -> Decimal | None:
    """Read an amount; blank (or a printed dash) is None; anything else raises AmountError."""
    if text is None:
        return None
    t = clean_number_text(str(text))
    if t in _BLANKS:
        return None
    if not _AMOUNT_RE.match(t):
        raise AmountError(f"“{_short(str(text))}”不是数字，请输入金额或分值（如 101.17）")
    whole = t.lstrip("+-").split(".")[0].lstrip("0")
    if len(whole) > MAX_INTEGER_DIGITS:
        raise AmountError(
            f"“{_short(str(text))}”超出范围：金额或分值的整数部分最多 {MAX_INTEGER_DIGITS} 位，"
            "请检查是否多输了数字"
        )
    try:
        return Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise AmountError(f"“{_short(str(text))}”不是数字") from exc


def _short(text: str, limit: int = 24) -> str:
    """The typed text as a message quotes it: one line, at most ``limit`` characters."""
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


@lru_cache(maxsize=1 << 16)
def amount_problem(text: str | None) -> str | None:
    """Why ``text`` cannot be an amount (a Chinese sentence), or None when it can (blank included).

    Cached per text: the check asks it of every amount cell (30 projects x 25 indicators x 4 cells a
    report, a fifth of checking one), and the same few texts ("4", "3.6", "") come back."""
    try:
        parse_amount(text)
    except AmountError as exc:
        return str(exc)
    return None


def try_amount(text: str | None) -> Decimal | None:
    """Read an amount, returning None when the cell is blank or not a number."""
    try:
        return parse_amount(text)
    except AmountError:
        return None


def is_amount(text: str | None) -> bool:
    """Return True when ``text`` is blank or a valid amount."""
    try:
        parse_amount(text)
    except AmountError:
        return False
    return True


def parse_rate(text: str | None) -> Decimal | None:
    """Read a printed rate ("86.61%", "0.8661", "100") as a fraction; None when unreadable."""
    if text is None:
        return None
    t = clean_number_text(str(text))
    if t in _BLANKS:
        return None
    percent = t.endswith("%")
    t = t.rstrip("%")
    if not _AMOUNT_RE.match(t):
        return None
    value = Decimal(t)
    if percent or value > ONE:
        return value / HUNDRED
    if value == ZERO:
        return ZERO
    return value


_STEPS = {places: Decimal(1).scaleb(-places) for places in range(0, 7)}


def q(value: Decimal, places: int = 2) -> Decimal:
    """Round half-up (四舍五入) to ``places`` decimals."""
    step = _STEPS.get(places) or Decimal(1).scaleb(-places)
    if not value.is_finite():
        return value
    digits = value.adjusted() + places + 2
    if digits <= 28:
        return value.quantize(step, rounding=ROUND_HALF_UP)
    with localcontext() as ctx:  # a product of two huge amounts: never InvalidOperation
        ctx.prec = digits
        return value.quantize(step, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None, places: int = 2, strip: bool = True) -> str:
    """Print a Decimal rounded half-up; ``strip`` drops trailing zeros ("10", "8.66")."""
    if value is None:
        return ""
    step = _STEPS.get(places)
    if step is not None and value.is_finite() and value.adjusted() + places + 2 <= 28:
        # q's usual case, without its call; str() of a Decimal quantized to 0–6 places is its "f" form
        # (scientific only for an exponent above 0 or an adjusted exponent below -6)
        text = str(value.quantize(step, rounding=ROUND_HALF_UP))
    else:
        text = f"{q(value, places):f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def percent_places(rate: Decimal | None, places: int, whole: int | None = None) -> int:
    """Return the places a rate prints with: ``whole`` when it rounds to a whole percent at ``places``
    (a template's rate_whole_places: 益阳 prints "100%" beside "86.61%"), else ``places``."""
    if whole is None or rate is None or not rate.is_finite():
        return places
    value = q(rate * HUNDRED, places)
    return whole if value == value.to_integral_value() else places


def fmt_percent(rate: Decimal | None, places: int = 2, whole: int | None = None) -> str:
    """Print a fraction as a percentage with ``places`` decimals ("86.61%"), or ``whole`` decimals when
    it rounds to a whole percent ("100%"); None is "—"."""
    if rate is None:
        return "—"
    places = percent_places(rate, places, whole)
    value = rate * HUNDRED
    step = _STEPS.get(places)
    if step is not None and value.is_finite() and value.adjusted() + places + 2 <= 28:
        return str(value.quantize(step, rounding=ROUND_HALF_UP)) + "%"  # as in fmt
    return f"{q(value, places):f}%"


def fmt_money(value: Decimal | None, places: int = 2) -> str:
    """Print an amount with fixed places ("101.17", "0.00")."""
    if value is None:
        return ""
    return f"{q(value, places):f}"
