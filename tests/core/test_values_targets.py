"""Targets as real forms write them (issue #11 item 6): "±N%" bands, "N万" with its unit,
deadline phrases read as ≤ — and how each is scored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.model import FundRow, Indicator
from core.report import new_report
from core.scoring import score_form
from core.templates import get_template
from core.values import Attainment, Kind, compare, parse_value

D = Decimal


@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "shown"),
    [
        ("±10%", "-10", "10", "%", "±10%"),
        ("≤±5%", "-5", "5", "%", "±5%"),
        ("偏差±5%以内", "-5", "5", "%", "偏差±5%"),
        ("10%±2%", "8", "12", "%", "8%-12%"),
        ("±2天", "-2", "2", "天", "±2天"),
        ("+/-3%", "-3", "3", "%", "±3%"),
    ],
)
def test_plus_minus_is_a_band(text: str, low: str, high: str, unit: str, shown: str) -> None:
    v = parse_value(text)
    assert (v.kind, v.number, v.upper, v.unit) == (Kind.RANGE, D(low), D(high), unit)
    assert v.display() == shown
    again = parse_value(v.display())
    assert (again.kind, again.number, again.upper, again.unit) == (v.kind, v.number, v.upper, v.unit)


@pytest.mark.parametrize(
    ("actual", "met"), [("8%", True), ("-10%", True), ("-12%", False), ("10.5%", False), ("0%", True)]
)
def test_plus_minus_band_compares_both_sides(actual: str, met: bool) -> None:
    c = compare(parse_value("±10%"), parse_value(actual))
    assert (c.attainment is Attainment.MET) == met


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("150万", "150", "万"),
        ("≥150万", "150", "万"),
        ("150万元", "150", "万元"),
        ("2万余人次", "20000", "人次"),
    ],
)
def test_wan_keeps_its_unit(text: str, number: str, unit: str) -> None:
    v = parse_value(text)
    assert (v.kind, v.number, v.unit) == (Kind.NUMBER, D(number), unit)


def test_bare_wan_compares_as_ten_thousands() -> None:
    assert compare(parse_value("≤150万"), parse_value("148万元")).explanation == "实际 148万元 ≤ 目标 150万"
    assert compare(parse_value("≤150万"), parse_value("160万元")).attainment is Attainment.NOT_MET
    assert compare(parse_value("≥150万"), parse_value("1600000人")).attainment is Attainment.MET


@pytest.mark.parametrize(
    "text",
    [
        "12月底之前完成",
        "2023年12月底之前完成",
        "12月底前完成",
        "年底前完成",
        "6月30日前完成",
        "2023年12月31日前",
    ],
)
def test_deadline_phrases_read_as_at_most(text: str) -> None:
    v = parse_value(text)
    assert v.kind is Kind.DATE and v.direction == "≤"


def _score(target: str, actual: str, level2: str = "质量指标") -> tuple[Decimal | None, str]:
    report = new_report("mof", 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.funds[0] = FundRow(key=form.funds[0].key, initial="100", annual="100", executed="100")
    form.indicators = [
        Indicator(level1="产出指标", level2=level2, level3="x", target=target, actual=actual, weight="10")
    ]
    s = score_form(report, form, get_template(report.template)).indicators[0]
    return s.suggested, s.attainment


@pytest.mark.parametrize(
    ("target", "actual", "score", "attainment"),
    [
        ("±10%", "8%", "10", "met"),
        ("±10%", "-12.5%", "8", "not_met"),  # 10 × 10/12.5
        ("±10%", "20%", "5", "not_met"),
        ("8%-12%", "15%", "8", "not_met"),  # 10 × 12/15
        ("8%-12%", "6%", "7.5", "not_met"),  # 10 × 6/8
        ("12月底之前完成", "11月", "10", "met"),
        ("12月底之前完成", "2024年1月", "10", "met"),  # no year on the target: months only
    ],
)
def test_bands_and_deadlines_are_scored(target: str, actual: str, score: str, attainment: str) -> None:
    assert _score(target, actual) == (D(score), attainment)
