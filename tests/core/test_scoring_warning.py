"""自评预警 (ECOSYSTEM K22), 扣减分数 and the final score (K13), and ``score --json`` carrying them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from core.interchange import read_json_file
from core.model import FundRow, Indicator, Report
from core.report import new_report
from core.scoring import score_form
from core.templates import get_template
from tests.conftest import FIXTURES
from tests.core.test_cli import run

D = Decimal


def _form(annual: str, executed: str, *indicators: Indicator):  # type: ignore[no-untyped-def]
    report = new_report("mof", 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.execution_weight = "10"
    form.funds[0] = FundRow(key=form.funds[0].key, initial=annual, annual=annual, executed=executed)
    form.indicators = list(indicators)
    return report, form


def ind(weight: str, score: str, deduction: str = "") -> Indicator:
    row = Indicator(
        level1="产出指标",
        level2="数量指标",
        level3="x",
        target="≥5名",
        actual="5名",
        weight=weight,
        score=score,
    )
    row.deduction = deduction  # type: ignore[attr-defined]  # the shared name; a model field once landed
    return row


@pytest.mark.parametrize(
    ("annual", "executed", "score", "warning"),
    [
        ("100", "100", "90", None),  # 100 % spent, 100 % scored
        ("100", "95", "90", None),  # 95 % spent, 100 % scored: exactly 5 % ahead is not more than 5 %
        ("100", "94", "90", "red"),  # 94 % spent, 100 % scored: 6 % ahead
        ("100", "94", "85.5", None),  # 94 % spent, 95 % scored: 1.05 % ahead
        ("100", "79", "70", "yellow"),  # 21 % unspent, scores behind spending
        ("100", "79", "90", "red"),  # red wins over yellow; both reasons are given
        ("0", "0", "90", "yellow"),  # zero budget
    ],
)
def test_k22_red_and_yellow(annual: str, executed: str, score: str, warning: str | None) -> None:
    report, form = _form(annual, executed, ind("90", score))
    s = score_form(report, form, get_template(report.template))
    assert s.warning == warning
    if warning is None:
        assert s.warning_why == ""
    else:
        assert s.warning_why.startswith("红色预警" if warning == "red" else "黄色预警")


def test_red_reason_names_both_rates() -> None:
    report, form = _form("100", "79", ind("90", "90"))
    why = score_form(report, form, get_template(report.template)).warning_why
    assert "指标得分率 100.00%（90 ÷ 90）" in why and "执行率得分率 79.00%" in why
    assert "黄色预警：执行率 79.00%，未执行 21.00%" in why


def test_seed004_project_scored_ahead_of_spending_is_red() -> None:
    report: Report = read_json_file(FIXTURES / "seed004_yiyang.json")
    warnings = [
        (s.name, s.warning)
        for s in map(lambda f: score_form(report, f, get_template(report.template)), report.forms)
    ]
    assert warnings == [
        ("中国共产党益阳市委员会组织部", None),
        ("业务工作经费", None),
        ("非公有制经济组织和社会组织党建工作经费", "red"),  # 89 of 90 with 86.61 % spent
        ("党员集中教育培训经费", None),
    ]


def test_deduction_gives_final_and_total() -> None:
    report, form = _form("100", "100", ind("50", "50", "3"), ind("40", "2", "5"))
    s = score_form(report, form, get_template(report.template))
    assert [(x.score, x.deduction, x.final) for x in s.indicators] == [
        (D("50"), D("3"), D("47")),
        (D("2"), D("5"), D("0")),  # never below 0
    ]
    assert s.total == D("57")  # 10 + 47 + 0


def test_no_deduction_final_is_score() -> None:
    report, form = _form("100", "100", ind("90", "88"))
    row = score_form(report, form, get_template(report.template)).indicators[0]
    assert row.deduction is None and row.final == D("88")


def test_score_json_carries_warning_deduction_and_final() -> None:
    out = run("score", str(FIXTURES / "seed004_yiyang.json"), "--json")
    assert out.returncode == 0, out.stderr
    forms = json.loads(out.stdout)["forms"]
    project = forms[2]
    assert project["warning"] == "red" and project["warning_why"].startswith("红色预警")
    assert forms[0]["warning"] is None and forms[0]["warning_why"] == ""
    first = project["indicators"][0]
    assert first["deduction"] == "" and first["final"] == first["score"] == "10"


def test_score_text_shows_warning() -> None:
    out = run("score", str(FIXTURES / "seed004_yiyang.json"))
    assert "非公有制经济组织和社会组织党建工作经费：执行率 86.61%" in out.stdout
    assert "等级 优，红色预警" in out.stdout
