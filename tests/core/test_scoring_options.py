"""Scoring profiles are template data: each regional option, switched on and off by a small template.

The 一体化 defaults (ECOSYSTEM K6–K13) are what ``mof`` ships; every variant (K8 ratio, K9 河北,
K11 50 %, K16, K17, K18, K20 bands) is a key in a template's ``scoring`` object.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from core.model import FundRow, Indicator
from core.paths import templates_dir
from core.report import new_report
from core.rules.engine import Checker
from core.scoring import grade_of, score_form
from core.templates import Template, TemplateError, get_template, parse_template

D = Decimal


def template_with(**scoring: Any) -> Template:
    """Return mof read again with ``scoring`` merged into its scoring object (the same id: what is
    cached belongs to each template object, so the variants never see each other's scores)."""
    data = json.loads((templates_dir() / "mof.json").read_text(encoding="utf-8"))
    data["scoring"] = {**data["scoring"], **scoring}
    return parse_template(data, "mof.json")


def score_of(template: Template, target: str, actual: str, weight: str = "10", **kw: Any) -> Decimal | None:
    report = new_report(template.id, 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.funds[0] = FundRow(key=form.funds[0].key, initial="100", annual="100", executed="100")
    form.indicators = [
        Indicator(
            level1="产出指标",
            level2="数量指标",
            level3="x",
            target=target,
            actual=actual,
            weight=weight,
            **kw,
        )
    ]
    return score_form(report, form, template).indicators[0].suggested


def test_mof_is_the_yitihua_profile() -> None:
    opts = get_template("mof").scoring
    assert opts.reverse == "excess" and opts.equal == "proportional" and opts.negative_as_zero
    assert opts.strict == "same" and opts.over_penalty is None and opts.over_flag is None
    assert not opts.execution_caps and not opts.grade_above
    assert opts.bands["达成"] == (D("0.8"), D("1")) and opts.bands["部分达成"] == (D("0.6"), D("0.8"))


@pytest.mark.parametrize(
    ("reverse", "actual", "expected"),
    [
        ("excess", "125元", "7.5"),  # K8: 10 × (1 − 25 %)
        ("excess", "200元", "0"),  # K8: 2 × target and above → 0
        ("excess", "190元", "1"),
        ("ratio", "125元", "8"),  # printed forms: 10 × 100 ÷ 125
        ("ratio", "200元", "5"),
    ],
)
def test_reverse_option(reverse: str, actual: str, expected: str) -> None:
    tid = template_with(reverse=reverse)
    assert score_of(tid, "≤100元", actual) == D(expected)


def test_equal_option_and_zero_target() -> None:
    proportional = template_with(equal="proportional")
    binary = template_with(equal="binary")
    assert score_of(proportional, "=100%", "99.74%") == D("9.97")  # K7: target > 0 → as 正向
    assert score_of(binary, "=100%", "99.74%") == D("0")  # 湖南 pass/fail
    for tid in (proportional, binary):  # K7: target 0 → full when actual ≤ 0, else 0
        assert score_of(tid, "=0起", "0起") == D("10")
        assert score_of(tid, "=0起", "2起") == D("0")


def test_negative_actual_counts_as_zero() -> None:
    on = template_with(negative_as_zero=True)
    off = template_with(negative_as_zero=False)
    assert score_of(on, "≥10%", "-5%") == D("0")
    assert score_of(on, "≤10%", "-5%") == D("10")  # 0 ≤ 10 %
    assert score_of(off, "≤10%", "-5%") == D("10")
    assert score_of(on, "≥0%", "-3%") == D("10")  # counts as 0, which meets ≥ 0
    assert score_of(off, "≥0%", "-3%") == D("0")


def test_qualitative_band_option() -> None:
    """K11: 部分达成 is 60–80 % of the weight by default; one printed form uses 50 %."""
    fifty = template_with(bands={"达成": ["0.8", "1"], "部分达成": ["0.5", "0.8"], "未达成": ["0", "0.5"]})
    sixty = template_with()

    def problems(tid: Template, score: str) -> list[str]:
        report = new_report(tid.id, 2023, "测试部门", ["测试项目"])
        form = report.projects[0]
        form.indicators = [
            Indicator(
                level1="效益指标",
                level2="社会效益指标",
                level3="x",
                target="有效提升",
                actual="部分达成",
                weight="10",
                score=score,
                deviation_note="受疫情影响部分活动未开展，下一步将加强调度",
            )
        ]
        return [p.rule for p in Checker(report, tid).problems_for_form(form.uid) if p.table == "indicators"]

    assert "V11" in problems(sixty, "5.5") and "V11" not in problems(fifty, "5.5")
    assert "V11" not in problems(sixty, "7") and "V11" not in problems(fifty, "7")


def test_hebei_strict_operators() -> None:
    """K9: 河北 scores ＜ and ≤ differently: a missed strict target earns nothing."""
    same = template_with(strict="same", reverse="ratio")
    binary = template_with(strict="binary", reverse="ratio")
    assert score_of(same, "＜100元", "125元") == D("8")
    assert score_of(binary, "＜100元", "125元") == D("0")
    assert score_of(binary, "≤100元", "125元") == D("8")
    assert score_of(binary, "＞10名", "8名") == D("0") and score_of(binary, "≥10名", "8名") == D("8")
    assert score_of(binary, "＜100元", "100元") == D("0")  # equal is not strictly below


def test_over_achievement_penalty() -> None:
    """K16: actual ≥ 130 % of target costs 2 points (only where the template says so)."""
    on = template_with(over_penalty=["1.3", "2"])
    off = template_with()
    assert score_of(on, "≥10名", "13名") == D("8") and score_of(off, "≥10名", "13名") == D("10")
    assert score_of(on, "≥10名", "12名") == D("10")
    assert score_of(on, "≥10名", "13名", weight="1") == D("0")  # never below 0


def test_over_achievement_flag() -> None:
    """K17: actual ≥ 120 % of target is flagged (info), only where the template says so."""

    def rules(tid: Template, actual: str) -> list[str]:
        report = new_report(tid.id, 2023, "测试部门", ["测试项目"])
        form = report.projects[0]
        form.indicators = [
            Indicator(
                level1="产出指标", level2="数量指标", level3="x", target="≥10名", actual=actual, weight="10"
            )
        ]
        return [p.rule for p in Checker(report, tid).problems_for_form(form.uid)]

    on = template_with(over_flag="1.2")
    off = template_with()
    assert "P04" in rules(on, "12名") and "P04" not in rules(on, "11名")
    assert "P04" not in rules(off, "12名")


def test_execution_caps() -> None:
    """K18: the total is capped by the 执行率 (70–80 % → 89, 60–70 % → 79, < 60 % → 69, < 50 % → 59)."""
    caps = [["0.8", "89"], ["0.7", "79"], ["0.6", "69"], ["0.5", "59"]]
    on = template_with(execution_caps=caps)
    off = template_with()

    def total(tid: Template, executed: str) -> tuple[Decimal | None, str]:
        report = new_report(tid.id, 2023, "测试部门", ["测试项目"])
        form = report.projects[0]
        form.execution_weight = "10"
        form.funds[0] = FundRow(key=form.funds[0].key, initial="100", annual="100", executed=executed)
        form.indicators = [
            Indicator(
                level1="产出指标", level2="数量指标", level3="x", target="≥5名", actual="5名", weight="90"
            )
        ]
        s = score_form(report, form, tid)
        return s.total, s.total_why

    assert total(on, "75") == (D("89"), "执行率 75.00% 低于 80%，总分最高 89 分")
    assert total(off, "75")[0] == D("97.5")
    assert total(on, "65")[0] == D("79") and total(on, "55")[0] == D("69") and total(on, "45")[0] == D("59")
    assert total(on, "85") == (D("98.5"), "")


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        ([["优", "90"], ["良", "80"], ["中", "60"], ["差", "0"]], ["优", "良", "良", "中", "差"]),
        ([["优", "80"], ["良", "70"], ["中", "60"], ["差", "0"]], ["优", "优", "优", "良", "差"]),
        ([["优", "90", ">"], ["良", "80"], ["中", "60"], ["差", "0"]], ["优", "良", "良", "中", "差"]),
    ],
)
def test_grade_bands(grades: list[list[str]], expected: list[str]) -> None:
    opts = template_with(grades=grades).scoring
    totals = ["90.01", "89.99", "80", "70", "59.99"]
    assert [grade_of(D(t), opts) for t in totals] == expected
    at_ninety = grade_of(D("90"), opts)
    assert at_ninety == ("良" if len(grades[0]) == 3 else "优")


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("strict", "sometimes", "应为 same 或 binary"),
        ("over_penalty", ["1.3"], "应为 [倍数, 扣分]"),
        ("execution_caps", [["0.8"]], "应为 [执行率低于, 总分最高]"),
        ("grades", [["优", "90", "≠"]], "scoring.grades[0]"),
        ("over_flag", "很多", "不是数字"),
    ],
)
def test_bad_option_is_refused_naming_the_key(key: str, value: Any, words: str) -> None:
    data = json.loads((templates_dir() / "mof.json").read_text(encoding="utf-8"))
    data["scoring"][key] = value
    with pytest.raises(TemplateError, match=words.replace("[", r"\[").replace("]", r"\]")):
        parse_template(data, "x.json")
