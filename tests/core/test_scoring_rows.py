"""Row kinds and computed figures: breakdown rows, 扣减分数 reasons, the 执行率 分值, rounded printed
rates, subtotals computed from their parts, and score-sheet lines that rate computed figures."""

from __future__ import annotations

from decimal import Decimal

from core.model import FundRow, Indicator, Report, ScoreItem
from core.problems import Problem
from core.report import new_report
from core.rules.engine import Checker
from core.scoring import score_form
from core.templates import get_template

D = Decimal


def project(template: str = "mof", names: tuple[str, ...] = ("测试项目",)) -> tuple[Report, object]:
    report = new_report(template, 2023, "测试部门", list(names))
    return report, report.projects[0]


def fill(form, annual: str = "100", executed: str = "100", *rows: Indicator) -> None:  # type: ignore[no-untyped-def]
    form.funds[0] = FundRow(key=form.funds[0].key, initial=annual, annual=annual, executed=executed)
    form.indicators = list(rows)


def ind(level3: str, weight: str, score: str = "", **kw: object) -> Indicator:
    return Indicator(
        level1="产出指标",
        level2="数量指标",
        level3=level3,
        target="≥10名",
        actual="10名",
        weight=weight,
        score=score,
        **kw,  # type: ignore[arg-type]
    )


def problems(report: Report, form) -> list[Problem]:  # type: ignore[no-untyped-def]
    return Checker(report, get_template(report.template)).problems_for_form(form.uid)


def rules(found: list[Problem]) -> list[str]:
    return [p.rule for p in found]


# ---- breakdown rows ----------------------------------------------------------------------


def test_breakdown_rows_have_no_weight_are_not_summed_and_not_scored() -> None:
    report, form = project()
    fill(
        form,
        "100",
        "100",
        ind("培训人次", "90", "90"),
        ind("其中：科级干部", ""),
        ind("★核心指标：覆盖率", ""),
        ind("县级干部", "", breakdown=True),
    )
    s = score_form(report, form, get_template(report.template))
    assert [x.attainment for x in s.indicators[1:]] == ["breakdown"] * 3
    assert all(x.suggested is None and x.final is None for x in s.indicators[1:])
    assert s.total == D("100")
    found = problems(report, form)
    assert not [p for p in found if p.table == "indicators" and p.row in (1, 2, 3)]
    assert "V06" not in rules(found)  # 90 + 10: the breakdown rows add nothing


def test_a_qizhong_row_with_its_own_weight_is_an_indicator() -> None:
    report, form = project()
    fill(form, "100", "100", ind("培训人次", "45", "45"), ind("其中：科级干部", "45", "45"))
    assert score_form(report, form, get_template(report.template)).indicators[1].attainment == "met"


# ---- 扣减分数 ----------------------------------------------------------------------------


def test_deduction_needs_a_reason() -> None:
    report, form = project()
    fill(form, "100", "100", ind("培训人次", "90", "90", deduction="2"))
    [p] = [p for p in problems(report, form) if p.rule == "P06"]
    assert (
        p.column == "deduction"
        and p.message == "扣减分数 2，扣减后得 88，请在完成情况简要描述或偏差原因中说明扣分原因"
    )
    form.indicators[0].brief = "培训档案不完整，扣 2 分"
    assert "P06" not in rules(problems(report, form))
    form.indicators[0].deduction = "-1"
    assert any(p.rule == "P06" and "不小于 0" in p.message for p in problems(report, form))


# ---- 执行率 分值 ---------------------------------------------------------------------------


def test_printed_execution_weight_other_than_the_templates_is_an_error_and_ignored() -> None:
    """Issue #11: 100 printed where the form's weight is 10 scored 151.5 and 优."""
    report, form = project()
    fill(form, "100", "51.5", ind("培训人次", "90", "90"))
    form.execution_weight = "100"
    s = score_form(report, form, get_template(report.template))
    assert s.execution.weight == D("10") and s.execution.score == D("5.15") and s.total == D("95.15")
    [p] = [p for p in problems(report, form) if p.rule == "P05"]
    assert p.severity == "error" and p.table == "funds" and p.row == 0 and p.column == "weight"
    assert p.message == "执行率分值应为 10（模板规定），表中为 100；按 10 计分"
    assert "V06" not in rules(problems(report, form))
    form.execution_weight = "10"
    assert "P05" not in rules(problems(report, form))


# ---- printed rates -----------------------------------------------------------------------


def test_rate_rounded_to_fewer_places_is_a_warning_not_an_error() -> None:
    report, form = project()
    fill(form, "100", "86.24", ind("培训人次", "90", "90"))
    form.funds[0].printed_rate = "86%"
    [p] = [p for p in problems(report, form) if p.rule in ("V01", "P03")]
    assert p.rule == "P03" and p.severity == "warning"
    assert p.message == "表中执行率 86% 为 86.24%（86.24 ÷ 100）四舍五入到整数，建议写 86.24%"
    form.funds[0].printed_rate = "86.2%"
    assert [p.rule for p in problems(report, form) if p.rule in ("V01", "P03")] == ["P03"]
    form.funds[0].printed_rate = "87%"  # more than half a unit away: wrong
    assert [p.rule for p in problems(report, form) if p.rule in ("V01", "P03")] == ["V01"]
    form.funds[0].printed_rate = "86.24%"
    assert not [p for p in problems(report, form) if p.rule in ("V01", "P03")]


def test_whole_percentages_are_the_gansu_forms_own_convention() -> None:
    report, form = project("gansu-pingliang")
    form.funds[0] = FundRow(
        key=form.funds[0].key, initial="100", annual="100", executed="86.2", printed_rate="86%"
    )
    assert not [p for p in problems(report, form) if p.rule in ("V01", "P03")]


# ---- subtotals and totals ----------------------------------------------------------------


def guangyuan_project(**cells: dict[str, str]) -> tuple[Report, object]:
    report, form = project("sichuan-guangyuan", ("甲项目", "乙项目"))
    for f in report.projects:
        for key, values in cells.items():
            row = f.fund(key)
            assert row is not None, key
            for column, value in values.items():
                setattr(row, column, value)
    return report, form


def test_blank_subtotal_and_total_are_computed_never_errors() -> None:
    """Issue #11: （一）财政拨款小计 showed its computed 35 and an error 「…应为 35…表中为 空」."""
    report, form = guangyuan_project(gpb={"initial": "35", "annual": "35", "executed": "35"})
    funds = [p for p in problems(report, form) if p.table == "funds"]
    assert not [p for p in funds if p.rule == "V02"]
    s = score_form(report, form, get_template(report.template))
    assert s.execution.rate == D("1")
    assert s.computed_sums[("fiscal", "annual")] == D("35") and s.computed_sums[("total", "annual")] == D(
        "35"
    )


def test_typing_the_subtotal_does_not_move_an_error_to_the_total() -> None:
    report, form = guangyuan_project(
        gpb={"initial": "35", "annual": "35", "executed": "35"}, fiscal={"annual": "35"}
    )
    assert not [p for p in problems(report, form) if p.rule == "V02"]
    form.fund("fiscal").annual = "36"  # a typed subtotal that disagrees with its parts is still wrong
    assert [p.row for p in problems(report, form) if p.rule == "V02"] == [1]


def test_project_without_typed_total_counts_in_the_overall_balance_rate() -> None:
    """Issue #11: a project whose 年度资金总额 was never typed was silently left out of the count."""
    report, _ = guangyuan_project(gpb={"initial": "35", "annual": "35", "executed": "35"})
    overall = report.overall
    overall.score_sheet = [
        ScoreItem(path=["完成结果", "预算结余率"], weight="8", formula="overall_balance_rate")
    ]
    items = score_form(report, overall, get_template(report.template)).score_sheet
    assert items[0].suggested == D("8") and "共 2 个" in items[0].why and "未计入" not in items[0].why


def test_overall_balance_rate_names_the_projects_it_left_out() -> None:
    report, _ = guangyuan_project()
    report.projects[0].fund("gpb").annual = "10"
    report.projects[0].fund("gpb").executed = "10"
    overall = report.overall
    overall.score_sheet = [
        ScoreItem(path=["完成结果", "预算结余率"], weight="8", formula="overall_balance_rate")
    ]
    why = score_form(report, overall, get_template(report.template)).score_sheet[0].why
    assert why.endswith("；未计入 1 个（全年预算数为空或为 0）：乙项目")


# ---- score-sheet lines that rate computed figures ----------------------------------------


def test_score_sheet_execution_rate_line_gets_a_suggestion_and_checks() -> None:
    """Issue #11: a 评分表 line 预算执行率 scored 9 of 10 at 100 % execution."""
    report, form = project()
    fill(form, "100", "100", ind("培训人次", "90", "90"))
    form.score_sheet = [ScoreItem(path=["项目执行", "预算执行率"], weight="10", self_score="9")]
    s = score_form(report, form, get_template(report.template)).score_sheet[0]
    assert s.suggested == D("10") and s.why == "执行率 100.00%，10 × 100.00% = 10"
    [p] = [p for p in problems(report, form) if p.table == "score_sheet"]
    assert p.rule == "S04" and "预算执行率应为 10" in p.message and "表中为 9" in p.message
    form.funds[0].executed = "80"
    form.score_sheet[0].self_score = "10"  # inflated: 80 % execution scored full
    [p] = [p for p in problems(report, form) if p.table == "score_sheet"]
    assert "预算执行率应为 8" in p.message and "表中为 10" in p.message


def test_any_sheets_goal_completion_line_rates_the_quantity_indicators() -> None:
    """Issue #11: "目标完成" scored below full with every target met."""
    report, form = project()
    fill(form, "100", "100", ind("培训人次", "45", "45"), ind("培训班次", "45", "45"))
    form.score_sheet = [ScoreItem(path=["目标实现", "目标完成率"], weight="8", self_score="6")]
    s = score_form(report, form, get_template(report.template)).score_sheet[0]
    assert s.suggested == D("8") and s.why == "数量指标完成 2 个 / 共 2 个 × 8 = 8"
    [p] = [p for p in problems(report, form) if p.table == "score_sheet"]
    assert "目标完成率应为 8" in p.message and "表中为 6" in p.message


def test_an_indicators_score_reads_only_the_cells_it_is_remembered_by(seed_zpdb) -> None:  # type: ignore[no-untyped-def]
    """``indicator_scores`` keeps each row's score by SCORE_READS: scoring every row of the seeds with
    rows that record which cells are read, only those are; and the kept scores equal fresh ones."""
    import copy

    from core.report import Document
    from core.schema import Table, keys
    from core.scoring import SCORE_READS, indicator_scores, score_indicator

    names = set(keys(Table.INDICATORS))
    for seed in ("seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"):
        doc = Document.open(seed_zpdb(seed))
        try:
            for form in doc.report.forms:
                seen: set[str] = set()
                for i, ind in enumerate(form.indicators):

                    class Recording(type(ind)):  # type: ignore[misc]
                        def __getattribute__(self, name: str) -> object:
                            if name in names:
                                seen.add(name)  # noqa: B023 - read before the loop moves on
                            return object.__getattribute__(self, name)

                    row = copy.copy(ind)
                    row.__class__ = Recording
                    score_indicator(row, i, doc.template)
                assert seen <= set(SCORE_READS), (seed, form.name, sorted(seen - set(SCORE_READS)))
                kept = indicator_scores(form, doc.template)
                fresh = [score_indicator(ind, i, doc.template) for i, ind in enumerate(form.indicators)]
                assert kept == fresh
                assert indicator_scores(form, doc.template) == kept
        finally:
            doc.close()
