"""Inflated self-scores (P01/P02), targets without ≥/≤/= scored by their 二级's direction (S03)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.model import FundRow, Indicator
from core.problems import Problem
from core.report import new_report
from core.rules.engine import Checker
from core.scoring import default_direction, score_form
from core.templates import get_template

D = Decimal


def check(*rows: Indicator, template: str = "mof") -> tuple[list[Problem], object]:
    report = new_report(template, 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.execution_weight = "10"
    form.funds[0] = FundRow(key=form.funds[0].key, initial="100", annual="100", executed="100")
    form.indicators = list(rows)
    problems = [
        p
        for p in Checker(report, get_template(report.template)).problems_for_form(form.uid)
        if p.table == "indicators"
    ]
    return problems, score_form(report, form, get_template(report.template))


def row(
    target: str, actual: str, weight: str = "2", score: str = "", note: str = "", level2: str = "数量指标"
):
    level1 = "成本指标" if "成本" in level2 else "产出指标"
    return Indicator(
        level1=level1,
        level2=level2,
        level3="培训人次",
        target=target,
        actual=actual,
        weight=weight,
        score=score,
        deviation_note=note,
    )


def by_rule(problems: list[Problem], rule: str) -> list[Problem]:
    return [p for p in problems if p.rule == rule]


def test_score_above_the_rule_is_a_warning_with_both_figures() -> None:
    """Issue #11: 770 of 1,228 scored 1.8 of 2 where the rule gives 1.25."""
    problems, _ = check(row("≥1228人次", "770人次", score="1.8", note="部分培训因故推迟，下一步将加强调度"))
    [p] = by_rule(problems, "P01")
    assert p.severity == "warning" and p.column == "score" and p.row == 0
    assert p.message.startswith("得分 1.8 高于按规则计算的 1.25（实际 770人次 < 目标 1228人次")
    assert "2 × 实际/目标 62.70% = 1.25" in p.message


def test_full_score_on_an_unmet_target_is_an_error_unless_explained() -> None:
    """Issue #11: 37,442 of 38,508 scored full."""
    problems, _ = check(row("≥38508人", "37442人", weight="10", score="10"))
    [p] = by_rule(problems, "P02")
    assert p.severity == "error" and p.column == "score"
    assert "却得满分 10，按规则应为 9.72" in p.message
    explained, _ = check(
        row("≥38508人", "37442人", weight="10", score="10", note="统计口径调整，下一步将核实")
    )
    assert not by_rule(explained, "P02")
    assert by_rule(explained, "P01")  # still above the rule: a warning stays


def test_above_the_weight_is_an_error_with_the_rule_figure() -> None:
    problems, _ = check(row("≥10名", "8名", weight="10", score="12"))
    [p] = by_rule(problems, "V04")
    assert p.severity == "error" and "超过分值 10" in p.message and "按规则应为 8" in p.message
    assert not by_rule(problems, "P01") and not by_rule(problems, "P02")


@pytest.mark.parametrize("score", ["", "8", "7"])
def test_correct_or_lower_scores_are_not_flagged_as_inflated(score: str) -> None:
    problems, _ = check(row("≥10名", "8名", weight="10", score=score, note="因故未完成，下一步将加强"))
    assert not by_rule(problems, "P01") and not by_rule(problems, "P02")
    assert all(p.severity != "error" for p in problems if p.rule not in ("V05", "V06"))  # weights: one row


def test_target_without_operator_is_scored_by_default_direction() -> None:
    """Issue #11: "25 人" with 14 unmet targets passed; now scored as ≥ with an info at the cell."""
    problems, s = check(row("25人", "20人", weight="10"))
    [info] = by_rule(problems, "S03")
    assert info.severity == "info" and info.column == "direction" and "方向按默认 ≥ 处理" in info.message
    assert s.indicators[0].suggested == D("8")  # 10 × 20/25
    assert "方向按默认 ≥ 处理" in s.indicators[0].why
    assert by_rule(problems, "V09")  # missed: the reason is asked for like any other row


def test_default_direction_runs_the_suggestion_checks() -> None:
    problems, _ = check(row("100%", "90%", weight="10", score="10"))
    assert by_rule(problems, "P02")


def test_user_direction_wins_and_silences_the_info() -> None:
    r = row("100%", "100%", weight="10")
    r.direction = "="
    problems, s = check(r)
    assert not by_rule(problems, "S03") and s.indicators[0].suggested == D("10")


@pytest.mark.parametrize(
    ("level1", "level2", "target", "expected"),
    [
        ("产出指标", "成本指标", "3000元/人", "≤"),
        ("成本指标", "经济成本指标", "50万元", "≤"),
        ("产出指标", "时效指标", "15个工作日", "≤"),
        ("产出指标", "时效指标", "3天", "≤"),
        ("产出指标", "时效指标", "100%", "≥"),
        ("产出指标", "时效指标", "2023年12月", "≤"),
        ("产出指标", "数量指标", "25人", "≥"),
        ("满意度指标", "服务对象满意度指标", "95%", "≥"),
    ],
)
def test_default_direction_by_level2(level1: str, level2: str, target: str, expected: str) -> None:
    assert default_direction(level1, level2, target) == expected


def test_cost_without_operator_over_budget_is_missed() -> None:
    problems, s = check(row("848000元", "900000元", weight="10", level2="成本指标"))
    assert s.indicators[0].attainment == "not_met" and by_rule(problems, "V09")
    assert "方向按默认 ≤ 处理" in by_rule(problems, "S03")[0].message
