"""An independent reference of the scoring rules, written from RULES.md / ECOSYSTEM.md alone (not from
core/scoring.py): exact rational arithmetic (fractions.Fraction), each score rounded ROUND_HALF_UP to
2 places once, at the end (R7.3, C1 ``round(…, 2)``).

Used by tests/core/test_scoring_reference.py to compare core's figures on random forms.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

CENT = Decimal("0.01")


def cents(x: Fraction) -> Decimal:
    """ROUND_HALF_UP of an exact value to 2 places (R7.3): done on the exact fraction, so a score
    that is exactly x.xx5 rounds up whatever the intermediate steps' precision."""
    sign = -1 if x < 0 else 1
    a = abs(x) * 100
    whole, rest = divmod(a.numerator, a.denominator)
    if 2 * rest >= a.denominator:
        whole += 1
    return (Decimal(sign * whole) / 100).quantize(CENT)


def clamp(x: Fraction, w: Fraction) -> Fraction:
    """R4.4 / V04: 0 ≤ score ≤ weight."""
    return max(Fraction(0), min(x, w))


def execution(annual: Fraction, executed: Fraction, w: Fraction) -> Decimal | None:
    """R3.1/R3.2/K2: 分值 × min(执行数 ÷ 全年预算数, 100 %); none for a 0 budget (R3.4); V04: never
    below 0 nor above the 分值."""
    if annual == 0:
        return None
    return cents(clamp(w * min(executed / annual, Fraction(1)), w))


def indicator(
    direction: str,
    target: Fraction,
    actual: Fraction,
    w: Fraction,
    reverse: str = "ratio",
    equal: str = "proportional",
) -> Decimal:
    """Score a quantitative indicator (R4.1–R4.4, R4.8; K6–K8, K10)."""
    if actual < 0:  # K10: a negative actual counts as 0
        actual = Fraction(0)
    if direction == "≥":  # R4.1 / K6
        if actual >= target:
            return cents(w)
        if target <= 0:  # R4.8: a 0 target is met by any actual ≥ 0
            return cents(Fraction(0))
        return cents(clamp(w * actual / target, w))
    if direction == "≤":  # R4.2 / K8
        if actual <= target:
            return cents(w)
        if reverse == "excess":  # (b): w × (1 − (a − t)/t), 0 at 2 × target
            if target <= 0:
                return cents(Fraction(0))
            return cents(clamp(w * (1 - (actual - target) / target), w))
        return cents(clamp(w * target / actual, w))  # (a): w × t/a
    # "=": R4.3 / K7
    if target == 0:
        return cents(w if actual <= 0 else Fraction(0))
    if actual == target:
        return cents(w)
    if equal == "binary":
        return cents(Fraction(0))
    return cents(clamp(w * actual / target, w))  # as 正向


def total(scores: list[Decimal], dropped: Fraction = Fraction(0), full: Fraction = Fraction(100)) -> Decimal:
    """R7.1/R7.3: the sum of the ROUNDED scores; R4.6: re-scaled to 100 when 不适用 indicators worth
    ``dropped`` were left out."""
    s = sum((Fraction(x) for x in scores), Fraction(0))
    if dropped and dropped < full:
        return cents(s * full / (full - dropped))
    return cents(s)


def grade(t: Decimal) -> str:
    """R7.2: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60 (half-open)."""
    if t >= 90:
        return "优"
    if t >= 80:
        return "良"
    if t >= 60:
        return "中"
    return "差"
