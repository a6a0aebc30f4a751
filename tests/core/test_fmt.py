"""Printed amounts and rates (numbers.fmt, fmt_percent) round half-up through numbers.q: the same text,
character for character, as printing q's result, for values of every size and sign, zero and minus zero,
infinities, too many digits for the default context, and every number of places."""

from __future__ import annotations

import random
from decimal import Decimal

from core.numbers import HUNDRED, fmt, fmt_percent, q


def _reference(value: Decimal | None, places: int = 2, strip: bool = True) -> str:
    """fmt as it was written: q's result printed, trailing zeros dropped."""
    if value is None:
        return ""
    text = f"{q(value, places):f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def _values(rng: random.Random) -> list[Decimal]:
    fixed = ["0", "-0", "0.005", "-0.005", "0.015", "2.675", "1.005", "99.995", "-12.345", "1E+30", "-1E+30"]
    fixed += ["123456789012345678901234567.895", "1E-30", "Infinity", "-Infinity", "NaN", "3.6", "10"]
    fixed += ["100.00"]
    out = [Decimal(v) for v in fixed]
    for _ in range(3000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 34)))
        out.append(Decimal(f"{rng.choice(('', '-'))}{digits}").scaleb(rng.randint(-36, 12)))
    return out


def test_printed_amounts_and_rates_are_qs_result_printed() -> None:
    rng = random.Random(2026)
    for value in _values(rng):
        for places in range(9):
            for strip in (True, False):
                assert fmt(value, places, strip) == _reference(value, places, strip), (value, places, strip)
            if value.is_nan():
                continue  # a rate is never NaN (a quotient of two amounts, None when the budget is 0)
            assert fmt_percent(value, places) == f"{q(value * HUNDRED, places):f}%", (value, places)
    assert fmt(None) == "" and fmt_percent(None) == "—"
