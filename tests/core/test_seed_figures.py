"""Issue #11's "done when", on every seed fixture: each printed 执行率, 执行率得分, indicator score and
total that the rules determine is reproduced; every inflated score is flagged; the only errors are the
seeds' own mistakes (DOMAIN.md "Mistakes in the seeds"), so no correct row gets an error."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from core.interchange import read_json_file
from core.model import Report
from core.numbers import parse_rate, q, try_amount
from core.rules import check_report
from core.scoring import fund_value, score_form
from core.templates import get_template
from tests.conftest import FIXTURES

SEEDS = ("seed001_guangyuan", "seed003_pingliang", "seed004_yiyang")

# The seeds' own mistakes: (form, rule) → how many cells. Everything else must be error-free.
KNOWN_ERRORS = {
    "seed001_guangyuan": {
        ("东西部协作人才交流项目", "V01"): 3,  # 执行率 printed 0 for 35 / 35
        ("人才工作经费", "V01"): 3,  # 99.32% printed for 24.84 / 25 = 99.36%
        ("干部暖心关爱帮扶基金经费", "V16"): 1,  # 目标完成率 8 with two of four 数量指标 missed
        ("干部暖心关爱帮扶基金经费", "S07"): 1,  # a goal without its 实际完成情况
        ("干部健康体检经费", "S07"): 1,
        # actuals that still carry an operator (≥90%, ＝1个, ≤12月前): copied targets
        ("党建工作标准化体系建设", "V10"): 1,
        ("关工委工作经费", "V10"): 1,
        ("基层组织建设工作经费", "V10"): 1,
        ("干部工作经费", "V10"): 1,
        ("研学活动经费", "V10"): 3,
        ("科技拔尖人才岗位激励资金2022", "V10"): 2,
        ("科技拔尖人才岗位激励资金2023", "V10"): 2,
        ("网络文化市场“五老”社会监督员工作经费", "V10"): 2,
        ("老党员困难党员和特困离退休干部救助", "V10"): 5,
    },
    "seed003_pingliang": {("中共平凉市委组织部", "S02"): 22},  # targets inside names, empty 指标值
    "seed004_yiyang": {("党员集中教育培训经费", "V05"): 3},  # rows shifted under the wrong 一级
}


def seed(name: str) -> Report:
    return read_json_file(FIXTURES / f"{name}.json")


@pytest.mark.parametrize("name", SEEDS)
def test_only_the_seeds_own_mistakes_are_errors(name: str) -> None:
    errors = Counter(
        (p.form, p.rule)
        for p in check_report(seed(name), get_template(seed(name).template))
        if p.severity == "error"
    )
    assert dict(errors) == KNOWN_ERRORS[name]


@pytest.mark.parametrize("name", SEEDS)
def test_printed_rates_and_execution_scores_are_reproduced(name: str) -> None:
    report = seed(name)
    template = get_template(report.template)
    wrong = {(form, "V01") for (form, rule) in KNOWN_ERRORS[name] if rule == "V01"}
    checked = 0
    for form in report.forms:
        spec = template.form(form.kind)
        s = score_form(report, form, get_template(report.template))
        for row in form.funds:
            printed = parse_rate(row.printed_rate)
            annual = try_amount(fund_value(form, spec, row.key, "annual"))
            executed = try_amount(fund_value(form, spec, row.key, "executed"))
            if printed is None or not annual or executed is None or (form.name, "V01") in wrong:
                continue
            places = template.scoring.rate_places + 2
            assert q(executed / annual, places) == q(printed, places), (form.name, row.key)
            checked += 1
        rate_row = form.fund(spec.rate_row)
        printed_score = try_amount(rate_row.printed_score) if rate_row else None
        if printed_score is not None:
            assert s.execution.score == printed_score, form.name
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("name", SEEDS)
def test_printed_indicator_scores_and_totals_are_reproduced(name: str) -> None:
    report = seed(name)
    scored = totals = 0
    for form in report.forms:
        s = score_form(report, form, get_template(report.template))
        for ind, x in zip(form.indicators, s.indicators, strict=True):
            printed = try_amount(ind.score)
            if printed is not None and x.suggested is not None:
                assert x.suggested == printed, (form.name, x.row, x.why)
                scored += 1
        printed_total = try_amount(form.printed_total)
        if printed_total is not None:
            assert s.total == printed_total, form.name
            totals += 1
    if name == "seed004_yiyang":
        assert scored >= 30 and totals == 4


@pytest.mark.parametrize("name", SEEDS)
def test_every_inflated_score_is_flagged(name: str) -> None:
    report = seed(name)
    problems = check_report(report, get_template(report.template))
    at = {(p.form, p.table, p.row) for p in problems if p.column in ("score", "self_score")}
    inflated = 0
    for form in report.forms:
        s = score_form(report, form, get_template(report.template))
        for ind, x in zip(form.indicators, s.indicators, strict=True):
            printed = try_amount(ind.score)
            if printed is not None and x.suggested is not None and printed > x.suggested:
                assert (form.name, "indicators", x.row) in at
                inflated += 1
        for item, x in zip(form.score_sheet, s.score_sheet, strict=True):
            printed = try_amount(item.self_score)
            if printed is not None and x.suggested is not None and printed > x.suggested + Decimal("0.01"):
                assert (form.name, "score_sheet", x.row) in at, (form.name, item.name)
                inflated += 1
    if name == "seed001_guangyuan":  # 暖心关爱: 执行进度 4 at 7.85 % spent, 目标完成率 8, 偏离程度 7
        assert inflated >= 3
