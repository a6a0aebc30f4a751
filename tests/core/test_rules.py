"""Every seed mistake flagged at its cell; no error on corrected forms; incremental = full check."""

from __future__ import annotations

from pathlib import Path

from core.interchange import read_json_file
from core.model import Form, Goal, NarrativeSection, Report
from core.problems import ERROR, Problem
from core.report import Document
from core.rules import RULES, Checker, check_report
from core.rules.docs import render
from core.templates import get_template
from tests.conftest import FIXTURES, ROOT


def seed(name: str) -> Report:
    return read_json_file(FIXTURES / f"{name}.json")


def at(
    problems: list[Problem], form: str, table: str, row: int | None, column: str | None, rule: str
) -> Problem:
    """Return the one problem of ``rule`` at that cell, failing with what was found instead."""
    found = [
        p for p in problems if (p.form, p.table, p.row, p.column, p.rule) == (form, table, row, column, rule)
    ]
    assert found, f"{rule} not at {form}/{table}/{row}/{column}: " + str(
        [(p.rule, p.table, p.row, p.column) for p in problems if p.form == form][:30]
    )
    return found[0]


def rules_of(problems: list[Problem], form: str) -> set[str]:
    return {p.rule for p in problems if p.form == form}


# ---- seed 001 (广元) -------------------------------------------------------------------


def test_001_rate_printed_zero() -> None:
    problems = check_report(seed("seed001_guangyuan"), get_template(seed("seed001_guangyuan").template))
    for row in (0, 1, 2):
        p = at(problems, "东西部协作人才交流项目", "funds", row, "rate", "V01")
        assert p.message == "执行率应为 100.00%（35 ÷ 35），表中为 0" and p.severity == ERROR
    assert (
        "99.36%（24.84 ÷ 25），表中为 99.32%"
        in at(problems, "人才工作经费", "funds", 0, "rate", "V01").message
    )


def test_001_warm_care_mistakes() -> None:
    problems = check_report(seed("seed001_guangyuan"), get_template(seed("seed001_guangyuan").template))
    name = "干部暖心关爱帮扶基金经费"
    assert at(problems, name, "indicators", 3, "actual", "S01").message == "目标单位为“户”，实际为“人”"
    assert at(problems, name, "indicators", 2, "actual", "S01").message == "目标单位为“人”，实际为“户”"
    assert "表中为 8" in at(problems, name, "score_sheet", 6, "self_score", "V16").message
    assert "应为 0.31" in at(problems, name, "score_sheet", 4, "self_score", "S04").message
    assert "应为 0（" in at(problems, name, "score_sheet", 7, "self_score", "S04").message
    assert "7.85%" in at(problems, name, "funds", 0, "rate", "S20").message
    at(problems, name, "goals", 0, "achieved", "S07")
    assert not [p for p in problems if p.form == name and p.table == "score_sheet" and p.row == 5]


def test_001_missed_target_without_note() -> None:
    report = seed("seed001_guangyuan")
    form = report.form_by_name("干部暖心关爱帮扶基金经费")
    assert form is not None
    assert not [
        p
        for p in check_report(report, get_template(report.template))
        if p.form == form.name and p.rule == "V09"
    ]
    form.indicators[1].deviation_note = ""
    p = at(
        check_report(report, get_template(report.template)),
        form.name,
        "indicators",
        1,
        "deviation_note",
        "V09",
    )
    assert p.message == "未完成目标（实际 0户 < 目标 ≥1户），请填写偏差原因分析及改进措施"


def test_001_overall() -> None:
    report = seed("seed001_guangyuan")
    problems = check_report(report, get_template(report.template))
    name = report.forms[0].name
    p = at(problems, name, "score_sheet", 9, "self_score", "S04")
    assert "应为 7.33" in p.message and "表中为 6.67" in p.message
    assert "应为 3.75" in at(problems, name, "score_sheet", 3, "self_score", "S04").message
    assert "应为 3.33" in at(problems, name, "score_sheet", 4, "self_score", "S04").message
    assert not [p for p in problems if p.form == name and p.row == 6 and p.table == "score_sheet"]  # 5.47 ✓
    at(problems, name, "indicators", 7, "deviation_note", "S16")  # 成本指标 missed: budget note only
    report.narrative = [NarrativeSection("一、部门基本情况", "全年支出 912.26 万元，预算执行率为100%。")]
    p = at(check_report(report, get_template(report.template)), "", "narrative", 0, "text", "V13")
    assert "100%" in p.message and "91.20%（831.95 ÷ 912.26" in p.message


def test_001_other_mistakes() -> None:
    problems = check_report(seed("seed001_guangyuan"), get_template(seed("seed001_guangyuan").template))
    assert "“≥0%”" in at(problems, "关工委工作经费", "indicators", 0, "actual", "V10").message
    at(problems, "干部工作经费", "indicators", 3, "actual", "V10")
    at(problems, "研学活动经费", "indicators", 3, "actual", "V10")
    at(problems, "党建工作标准化体系建设", "indicators", 5, "actual", "V10")
    at(problems, "选调生到村任职工作补助资金", "funds", 0, "executed", "S11")
    at(problems, "党建工作经费", "indicators", 3, "level2", "S09")  # 效果指标 under 产出
    for row in range(4):
        at(problems, "全省大组工王维护经费", "indicators", row, "level1", "S08")
    assert "人才工作专项经费" in at(problems, "学习教育制度化、常态化经费", "goals", 0, "goal", "S17").message
    at(problems, "干部健康体检经费", "goals", 0, "achieved", "S07")


# ---- seed 003 (平凉) and 004 (益阳) ----------------------------------------------------------


def test_003_targets_in_names_and_totals() -> None:
    problems = check_report(seed("seed003_pingliang"), get_template(seed("seed003_pingliang").template))
    name = "中共平凉市委组织部"
    assert "4000 人" in at(problems, name, "indicators", 11, "target", "S02").message
    assert "2 次" in at(problems, name, "indicators", 14, "target", "S02").message
    assert "150 人" in at(problems, name, "indicators", 15, "target", "S02").message
    # 平凉 shows the 执行率 row's 10 points apart from 合计: the seed's 100 is right (issue 14)
    assert not [p for p in problems if p.rule in ("V06", "V07")]
    at(problems, name, "indicators", 1, "actual", "S12")
    at(problems, name, "indicators", 31, "actual", "S14")


def test_004_shifted_rows_and_weights() -> None:
    problems = check_report(seed("seed004_yiyang"), get_template(seed("seed004_yiyang").template))
    name = "党员集中教育培训经费"
    assert (
        at(problems, name, "indicators", 3, "level1", "V15").message
        == "二级指标“时效指标”不属于一级指标“效益指标”（应为产出指标）"
    )
    at(problems, name, "indicators", 4, "level1", "V15")
    at(problems, name, "indicators", 7, "level1", "V15")
    assert "产出指标的三级指标分值合计为 30，应为 50" in {p.message for p in problems if p.rule == "V05"}
    assert {p.message for p in problems if p.rule == "V13"} == {
        "正文写人员编制数 70，基础数据表为 74",
        "正文写在职人数 63，基础数据表为 67",
    }
    at(problems, "中国共产党益阳市委员会组织部", "indicators", 9, "target", "S13")
    at(problems, "非公有制经济组织和社会组织党建工作经费", "indicators", 1, "deviation_note", "S16")


def test_004_positive_controls_have_no_arithmetic_problem() -> None:
    problems = check_report(seed("seed004_yiyang"), get_template(seed("seed004_yiyang").template))
    assert not [p for p in problems if p.rule in ("V01", "V02", "V03", "V06", "V07")]
    assert not [p for p in problems if p.form == "中国共产党益阳市委员会组织部" and p.severity == ERROR]


# ---- corrected forms: no error ------------------------------------------------------------


def _errors(report: Report, form: Form) -> list[Problem]:
    return [
        p
        for p in check_report(report, get_template(report.template))
        if p.form == form.name and p.severity == ERROR
    ]


def test_corrected_004_form_has_no_error() -> None:
    report = seed("seed004_yiyang")
    form = report.form_by_name("党员集中教育培训经费")
    assert form is not None and _errors(report, form)
    for row in (3, 4):
        form.indicators[row].level1 = "产出指标"
    form.indicators[7].level1 = "效益指标"
    form.indicators[3].actual = "2023年12月"
    assert _errors(report, form) == []


def test_corrected_001_form_has_no_error() -> None:
    report = seed("seed001_guangyuan")
    form = report.form_by_name("干部暖心关爱帮扶基金经费")
    assert form is not None and _errors(report, form)
    form.indicators[2].actual = "0人"
    form.indicators[3].actual = "11户"
    form.goals[0] = Goal("帮扶困难干部家庭", "帮扶干部13人")
    form.score_sheet[6].self_score = "4"
    form.printed_total = "90"
    assert _errors(report, form) == []


# ---- incremental checking -----------------------------------------------------------------


def _same(checker: Checker, report: Report) -> None:
    assert [p.to_json() for p in checker.problems] == [
        p.to_json() for p in check_report(report, get_template(report.template))
    ]


def test_incremental_equals_full(seed_zpdb) -> None:  # type: ignore[no-untyped-def]
    doc = Document.open(seed_zpdb("seed001_guangyuan"))
    try:
        checker = Checker(doc.report, doc.template)
        doc.subscribe(checker.apply)
        east = doc.report.form_by_name("东西部协作人才交流项目")
        warm = doc.report.form_by_name("干部暖心关爱帮扶基金经费")
        assert east is not None and warm is not None
        assert checker.problems_at(east.uid, "funds", 0, "rate")[0].rule == "V01"
        doc.set_cell(east.uid, "funds", 0, "printed_rate", "100%")
        assert checker.problems_at(east.uid, "funds", 0, "rate") == []
        doc.set_cell(warm.uid, "indicators", 3, "actual", "11户")
        assert not [p for p in checker.problems_at(warm.uid, "indicators", 3, None) if p.rule == "S01"]
        doc.set_cell(warm.uid, "funds", 0, "executed", "99")  # changes the overall 预算结余率 count too
        doc.set_cell(warm.uid, "indicators", 1, "deviation_note", "")
        assert checker.problems_at(warm.uid, "indicators", 1, "deviation_note")[0].rule == "V09"
        doc.delete_rows(warm.uid, "indicators", [0])
        doc.set_form_field(warm.uid, "name", "暖心关爱")
        doc.set_report_field("head", "张三")
        doc.delete_form(east.uid)
        _same(checker, doc.report)
        counts = checker.counts()
        assert counts["error"] == sum(p.severity == ERROR for p in checker.problems)
    finally:
        doc.close()


def test_each_cell_edit_rechecks_as_a_full_check_whatever_was_edited_before(seed_zpdb) -> None:  # type: ignore[no-untyped-def]
    """The checker works out once per kind of change which rules an edit re-runs: edits of one table's
    different columns (a 偏差原因 no total reads, then a 分值 the total and the 二级 weights read), of
    another table and of the 部门整体 each re-check as the whole report is checked, one after another."""
    doc = Document.open(seed_zpdb("seed001_guangyuan"))
    try:
        checker = Checker(doc.report, doc.template)
        doc.subscribe(checker.apply)
        warm = doc.report.form_by_name("干部暖心关爱帮扶基金经费")
        overall = doc.report.overall
        assert warm is not None and overall is not None
        edits = [
            (warm.uid, "indicators", 1, "deviation_note", "原因"),
            (warm.uid, "indicators", 1, "weight", "55"),  # the total (V07) and the 二级 weights read it
            (warm.uid, "indicators", 2, "deviation_note", ""),
            (warm.uid, "indicators", 2, "weight", ""),
            (warm.uid, "funds", 0, "executed", "99"),
            (warm.uid, "indicators", 3, "actual", "11户"),
            (overall.uid, "funds", 0, "executed", "1"),
            (warm.uid, "indicators", 1, "weight", "5"),
        ]
        for uid, table, row, column, value in edits:
            doc.set_cell(uid, table, row, column, value)
            _same(checker, doc.report)
    finally:
        doc.close()


def test_problems_for_form_and_counts() -> None:
    checker = Checker(seed("seed003_pingliang"), get_template(seed("seed003_pingliang").template))
    assert checker.counts()["error"] >= 20
    assert [p.rule for p in checker.problems][:1] == ["S02"] or checker.problems[0].severity == ERROR


# ---- catalogue and docs ---------------------------------------------------------------------


def test_catalogue_covers_v01_to_v17() -> None:
    assert {f"V{n:02d}" for n in range(1, 18)} <= set(RULES)
    assert all(r.title and r.example and r.severity in ("error", "warning", "info") for r in RULES.values())


def test_docs_file_is_generated_from_catalogue() -> None:
    committed = Path(ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render(), "运行 python -m core.rules.docs > docs/rules.md"
    for rule in RULES.values():
        assert f"| {rule.id} |" in committed
