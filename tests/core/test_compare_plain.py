"""A comparison without its text (``compare(..., text=False)``, ``scoring.compared_plain``: what the
review list's counts and scores read) decides exactly as the one the user reads: the same attainment,
ratio, deviation and unit mismatch on every pair of cells; its explanation is the same text, or blank
only for a met or missed number, range or date (never for a result the user must judge: an unknown
one keeps its words, which the S15 rule reads)."""

from __future__ import annotations

import random

from core.scoring import _evaluate, _evaluate_score, compared, compared_plain, parsed
from core.templates import get_template
from core.values import Attainment, compare
from tests.core.test_review_counts import MESSY, POOLS

DIRECTIONS = (None, "", "≥", "≤", "=", ">", "<", "正向", "反向", "不低于")
UNITS = ("", "人次", "个", "%", "万元", "元", "天", "个月", "公斤")


def _cells(rng: random.Random) -> list[str]:
    pool = [str(c) for c in (*POOLS["target"], *POOLS["actual"], *MESSY["target"], *MESSY["actual"])]
    for _ in range(150):
        n = rng.choice((rng.randint(0, 999), round(rng.uniform(-5, 200), rng.randint(0, 3))))
        op = rng.choice(("", "≥", "≤", "=", ">", "<", "约", "不少于"))
        pool.append(f"{op}{n}{rng.choice(UNITS)}")
        pool.append(f"{n}-{n + rng.randint(1, 50)}{rng.choice(UNITS)}")
        pool.append(f"{rng.randint(2019, 2025)}年{rng.randint(1, 12)}月{rng.choice(('', '底前', '前'))}")
    return pool


def test_a_comparison_without_text_decides_the_same() -> None:
    rng = random.Random(5)
    cells = _cells(rng)
    blanked = 0
    for _ in range(12_000):
        target, actual, direction = rng.choice(cells), rng.choice(cells), rng.choice(DIRECTIONS)
        full = compare(parsed(target), parsed(actual), direction)
        plain = compare(parsed(target), parsed(actual), direction, text=False)
        assert (plain.attainment, plain.ratio, plain.deviation, plain.unit_mismatch) == (
            full.attainment,
            full.ratio,
            full.deviation,
            full.unit_mismatch,
        ), (target, actual, direction)
        assert plain.explanation in (full.explanation, ""), (target, actual, direction)
        if not plain.explanation and full.explanation:
            blanked += 1
            assert plain.attainment in (Attainment.MET, Attainment.NOT_MET) and not plain.unit_mismatch
        cached = compared_plain(target, actual, direction or "")
        assert cached == compare(parsed(target), parsed(actual), direction or None, text=False)
        assert cached.attainment == compared(target, actual, direction or "").attainment
    assert blanked > 1000  # numbers, ranges and dates were compared without their text


def test_scores_without_reasons_are_the_scores_with_them() -> None:
    """``_evaluate_score`` (no reasons, comparisons without text) gives the suggested score and the
    attainment ``evaluate`` gives with its reasons, on every template (K10's negative-as-zero too)."""
    rng = random.Random(6)
    cells = _cells(rng)
    for template_id in ("mof", "sichuan-guangyuan", "gansu-pingliang", "hunan-yiyang", "sichuan"):
        template = get_template(template_id)
        for _ in range(2_500):
            target, actual = rng.choice(cells), rng.choice(cells)
            direction = rng.choice(("", "", "≥", "≤", "="))
            weight = rng.choice(("4", "10", "", "3.6"))
            default = rng.choice(("", "≥", "≤"))
            suggested, _why, attainment = _evaluate(template, target, actual, direction, weight, default)
            plain = _evaluate_score(template, target, actual, direction, weight, default)
            assert plain == (suggested, attainment), (template_id, target, actual, direction, weight)
