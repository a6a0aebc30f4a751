"""The review list's counts of the form rules with a ``count`` (rule ids without any Problem or its
message) are exactly the rule ids of the problems the rule itself yields, and a whole report's
``Checker.rule_counts`` is exactly its ``Checker.problems`` counted per form and rule.

Compared on the three seed reports as shipped, and on many randomly changed copies of them: cells of
every table a form rule reads (header, funds, indicators, goals, score sheet) set to values drawn from
pools that trip the rules (blank, negative, too many decimals, wrong sums, printed 一级 weights,
repeated or blank 三级 names, guidance text, words that explain a low 执行率 …) or to another cell's
text of the same column, rows repeated and removed. A rule the changes stop reaching fails the
coverage assertion, so the comparison never silently covers less.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from core import schema
from core.interchange import read_json_file
from core.model import Report
from core.rules import Checker
from core.rules.base import FormRule
from core.rules.engine import rules
from core.schema import Kind, Table
from core.templates import get_template

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("seed001_guangyuan", "seed003_pingliang", "seed004_yiyang")
TABLES = (Table.FUNDS, Table.INDICATORS, Table.GOALS, Table.SCORE_SHEET)
# Values by the kind of column (schema.Kind): what people type, and what trips a rule.
POOLS: dict[Kind, tuple[Any, ...]] = {
    Kind.AMOUNT: (
        "",
        "",
        "0",
        "4",
        "3.6",
        "10",
        "100",
        "-5",
        "12.345",
        "50.5",
        "abc",
        "1e3",
        "90",
        "20",
        " ",
    ),
    Kind.RATE: ("", "95%", "100%", "86%", "86.2%", "0", "abc", "50.00%"),
    Kind.TEXT: ("", "培训人次", "培训人次", "  培训 人次 ", "≥100人次", "90人次", "达成", "请填写")
    + (" ", "\t", "其中：本级", "★重点"),  # a "其中"/★ name: a breakdown row when its 分值 and 得分 are blank
    Kind.LONG: (
        "",
        "",
        "资金未到位",
        "资金未到位，下一步将加强管理",
        "预算调整，追加资金",
        "未开展",
        "偏差原因 158.44 万元",
        "已完成",
        "效果较好*",
        "请填写目标完成情况",
    ),
    Kind.LEVEL: ("产出指标", "效益指标", "产出指标（50分）", "成本指标", "数量指标", "质量指标", "", "满意"),
    Kind.DIRECTION: ("", "≥", "≤", "="),
    Kind.FLAG: (False, False, False, True),
}


def _seed(name: str) -> Report:
    return read_json_file(ROOT / f"tests/fixtures/{name}.json")


def _columns(table: Table) -> list[schema.Column]:
    """The columns changed: all but a score item's formula (the template's id of how it is worked
    out, not typed; another form's id there makes a project sheet score the projects: a recursion
    the checker and the scoring share, not a count's)."""
    return [c for c in schema.columns(table) if c.kind in POOLS and c.key != schema.SCORE.formula]


def _mutate(report: Report, rng: random.Random, changes: int) -> None:
    """Set ``changes`` random cells to a pool value or another row's text of the same column; repeat
    or drop a few rows; a few header fields too (execution weight, printed total, name)."""
    forms = [f for f in report.forms]
    header = _columns(Table.HEADER)
    for _ in range(changes):
        form = rng.choice(forms)
        if rng.random() < 0.1:
            column = rng.choice(header)
            setattr(form, column.key, rng.choice(POOLS[column.kind]))
            continue
        table = rng.choice(TABLES)
        rows = form.rows(table)
        if not rows:
            continue
        at = rng.randrange(len(rows))
        if rng.random() < 0.05 and table != Table.FUNDS:
            if rng.random() < 0.5:
                rows.insert(at, type(rows[at])(**rows[at].__dict__))  # a row repeated
            else:
                del rows[at]
            continue
        column = rng.choice(_columns(table))
        if table == Table.FUNDS and column.key == schema.FUND.key:
            continue
        if rng.random() < 0.3:  # another row's text of the same column, of any form
            other = rng.choice(forms).rows(table)
            if other:
                setattr(rows[at], column.key, getattr(rng.choice(other), column.key))
                continue
        setattr(rows[at], column.key, rng.choice(POOLS[column.kind]))


def _reports() -> list[tuple[str, Report]]:
    out = [(name, _seed(name)) for name in SEEDS]
    for name in SEEDS:
        for n in range(6):
            report = _seed(name)
            _mutate(report, random.Random(f"{name}-{n}"), 40 + 60 * n)
            out.append((f"{name} changed {n}", report))
    return out


@pytest.fixture(scope="module")
def reports() -> list[tuple[str, Report]]:
    return _reports()


def _counted() -> list[FormRule]:
    return [r for r in rules().forms if r.count is not None]


def test_form_rules_with_a_count() -> None:
    """Which form rules are counted without their problems (a form rule without ``count`` is counted
    through its problems, which is right too, only slower)."""
    assert {r.check.__name__ for r in _counted()} == {"check_weights", "submission_form"}


def test_each_form_count_is_its_rules_problems(reports: list[tuple[str, Report]]) -> None:
    reached: Counter[str] = Counter()
    for name, report in reports:
        template = get_template(report.template)
        checker = Checker(report, template, check=False)
        for form in report.forms:
            ctx = checker._ctx(form)
            for rule in _counted():
                assert rule.count is not None
                expected = Counter(p.rule for p in rule(ctx))
                for _warm in range(2):  # cold, then from the template's memos
                    assert Counter(rule.count(ctx)) == expected, (name, form.name, rule.check.__name__)
                reached.update(expected)
    assert {"V05", "V06", "Y04", "Y05"} <= set(reached), reached


def test_whole_counts_are_the_checkers_problems(reports: list[tuple[str, Report]]) -> None:
    reached: set[str] = set()
    for name, report in reports:
        template = get_template(report.template)
        expected: dict[int | None, Counter[str]] = {}
        for p in Checker(report, template).problems:
            expected.setdefault(p.form_uid, Counter())[p.rule] += 1
        counted = Checker(report, template, check=False).rule_counts()
        assert {k: v for k, v in counted.items() if v} == expected, name
        reached |= {r for found in expected.values() for r in found}
    # the changes reach the form rules' findings, not only the row rules'
    wanted = {"V01", "V02", "V05", "V06", "V07", "V18", "S20", "S22", "S23", "Y04", "Y05", "S07", "V12"}
    assert wanted <= reached, sorted(wanted - reached)


def test_names_blank_but_for_whitespace_are_counted() -> None:
    """A 三级 name of whitespace only is blank to the 一体化 system (Y05), wherever it stands among
    names without any whitespace: first, last, the only one; and names equal once squeezed repeat."""
    report = _seed("seed001_guangyuan")
    template = get_template(report.template)
    rule = next(r for r in _counted() if r.check.__name__ == "submission_form")
    assert rule.count is not None
    cases = [(0, " "), (-1, "\u3000"), (0, "\t")]
    checker = Checker(report, template, check=False)
    forms = [f for f in report.forms if len(f.indicators) > 2]
    for form, (at, name) in zip(forms, cases, strict=False):
        for ind in form.indicators:
            ind.level3 = ind.level3.replace(" ", "").replace("\u3000", "") or "名称"
        form.indicators[at].level3 = name
        ctx = checker._ctx(form)
        assert Counter(rule.count(ctx)) == Counter(p.rule for p in rule(ctx)), (form.name, name)
        assert "Y05" in rule.count(ctx), name
    form = forms[3]
    for ind in form.indicators:
        ind.level3 = " "  # the only names there
    ctx = checker._ctx(form)
    assert Counter(rule.count(ctx)) == Counter(p.rule for p in rule(ctx)) == Counter(Y05=len(form.indicators))
    form = forms[4]
    form.indicators[0].level3, form.indicators[1].level3 = "培训 人次", "培训人次 "  # the same, squeezed
    ctx = checker._ctx(form)
    assert Counter(rule.count(ctx)) == Counter(p.rule for p in rule(ctx))
    assert "Y05" in rule.count(ctx)


def test_rows_left_out_of_the_sums_are_counted_as_the_rules_leave_them_out() -> None:
    """A 二级's 分值 add up to the 一体化 template's only without a 不适用 row (Y04), and a 一级's only
    without a row marked 其中 (V05): the counts, keyed by the form's columns, leave the same rows out
    as the rules, whichever of two otherwise equal forms is counted first."""
    from core.model import Indicator
    from core.report import new_report

    template = get_template("mof")
    report = new_report("mof", 2023, "计数部门", ["项目甲", "项目乙"])
    rows = [
        Indicator("产出指标", "数量指标", "培训人次", "≥100人次", "120人次", "20", "20"),
        Indicator("产出指标", "质量指标", "合格率", "≥95%", "99%", "10", "10"),
        Indicator("产出指标", "时效指标", "完成时间", "2023年12月底前", "2023年11月", "10", "10"),
        Indicator("产出指标", "成本指标", "成本", "≤50万元", "40万元", "10", "10"),
        Indicator("效益指标", "社会效益指标", "群众满意", "有效保障", "达成", "30", "30"),
        Indicator("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "95%", "10", "10"),
    ]
    rule_of = {r.check.__name__: r for r in _counted()}
    for marked in ("not_applicable", "breakdown"):
        first, second = (f for f in report.forms if f.kind == "project")
        for form, flag in ((first, True), (second, False)):
            extra = Indicator("产出指标", "数量指标", "其中：本级", "≥10人次", "12人次", "5", "5")
            setattr(extra, marked, flag)
            form.indicators = [Indicator(**r.__dict__) for r in rows] + [extra]
        checker = Checker(report, template, check=False)
        for form in (first, second, first):  # the second asks the memo with the same names and 分值
            ctx = checker._ctx(form)
            for name in ("check_weights", "submission_form"):
                rule = rule_of[name]
                assert rule.count is not None
                expected = Counter(p.rule for p in rule(ctx))
                assert Counter(rule.count(ctx)) == expected, (marked, form.name, name)
        flagged = Counter(rule_of["check_weights"].count(checker._ctx(first)))  # type: ignore[misc]
        flagged.update(rule_of["submission_form"].count(checker._ctx(first)))  # type: ignore[misc]
        plain = Counter(rule_of["check_weights"].count(checker._ctx(second)))  # type: ignore[misc]
        plain.update(rule_of["submission_form"].count(checker._ctx(second)))  # type: ignore[misc]
        left_out = "Y04" if marked == "not_applicable" else "V05"
        assert left_out not in flagged and left_out in plain, (marked, flagged, plain)


def test_all_zero_actuals_stop_at_the_first_that_is_not() -> None:
    """S11's "every 实际完成值 is 0" (funds._all_zero, which stops at the first actual that is not):
    the same as parsing them all, on random columns of actuals (blank, 0 as people type it, others)."""
    from core.model import Indicator
    from core.rules.base import FormCtx
    from core.rules.funds import _all_zero
    from core.scoring import parsed
    from core.values import Kind

    report = _seed("seed001_guangyuan")
    template = get_template(report.template)
    form = report.forms[1]
    rng = random.Random(11)
    pool = ("", " ", "0", "0.0", "0人次", "０", "0%", "1", "达成", "-0", "00", "0.5", "≥0")
    for _ in range(300):
        form.indicators = [Indicator(actual=rng.choice(pool)) for _ in range(rng.randint(0, 6))]
        actuals = [parsed(i.actual) for i in form.indicators if i.actual.strip()]
        expected = bool(actuals) and all(a.kind is Kind.NUMBER and a.number == 0 for a in actuals)
        ctx = FormCtx(report, template, template.form(form.kind), form)
        assert _all_zero(ctx) == expected, [i.actual for i in form.indicators]


def test_fund_amounts_searched_for_at_once_are_those_read_cell_by_cell() -> None:
    """S22/S23 (funds.check_amounts) read the cells one by one only when the form's amounts joined hold a
    minus sign or a "." with three more characters after it: on random fund rows of usual amounts with
    now and then an odd one (negative, full-width, with separators, a unit written in the cell, too
    many decimals, several dots), in 万元 and in 元, the problems are those of reading every cell."""
    from core.model import FundRow
    from core.rules.base import FormCtx
    from core.rules.funds import _amount_problems, check_amounts

    report = _seed("seed001_guangyuan")
    template = get_template(report.template)
    rng = random.Random(16)
    usual = ("", " ", "10", "0", "3.6", "12.34", "1.50", "1,234")
    odd = ("-0", "-5", "－5", " -5 ", "12.345", "1.5万元", "1..234", "1. 234", "1,234.567", "１２．３４５")
    odd += ("１２.３４５", "abc", "-1.2345", "5.", ".123", "1.2\n34")
    seen: Counter[str] = Counter()
    for form in report.forms:
        for unit in ("万元", "元", ""):
            for _ in range(400):
                form.fund_unit = unit
                form.funds = [
                    FundRow(row.key, *(rng.choice(odd if rng.random() < 0.04 else usual) for _ in range(3)))
                    for row in form.funds
                ]
                ctx = FormCtx(report, template, template.form(form.kind), form)
                found = list(check_amounts(ctx))
                assert found == list(_amount_problems(ctx, unit or template.money_unit))
                seen.update(p.rule for p in found)
    assert seen["S22"] and seen["S23"], seen


def _with_every_finding(report: Report) -> Report:
    """``report`` with what each form rule that has a ``clean`` looks for put in one form: a printed
    total, a score-sheet row, a 请核对 flag, a started sign-off, a 偏差原因 naming an amount in 万元,
    a text that is no amount."""
    from core.model import ReviewFlag, ScoreItem, Signoff

    form = report.forms[-1]
    form.printed_total = "87.5"
    form.score_sheet = form.score_sheet or [ScoreItem(weight="10", self_score="12")]
    form.review_flags = [ReviewFlag(Table.INDICATORS.value, 0, schema.IND.actual, "请核对", "")]
    form.signoff = Signoff(preparer="张三")
    if form.indicators:
        form.indicators[0].deviation_note = "资金 12.35 万元未到位"
        form.indicators[0].weight = "4分半"
    return report


def test_a_rule_clean_over_the_whole_report_finds_nothing_on_any_form(
    reports: list[tuple[str, Report]],
) -> None:
    """A form rule's ``clean`` (asked once a report by the review's counts, which then skip the rule on
    every form) is True only when the rule finds nothing on any form: on the seeds, their changed
    copies and copies with what each such rule looks for in one form, where it is False (each rule's
    clean is seen both ways)."""
    import copy

    seen: Counter[tuple[str, bool]] = Counter()
    cleaned = [r for r in rules().forms if r.clean is not None]
    assert {r.check.__name__ for r in cleaned} >= {"check_amounts", "check_notes", "check_review_flags"}
    more = [
        (f"{name} + findings", _with_every_finding(copy.deepcopy(report))) for name, report in reports[:6]
    ]
    for name, report in [*reports, *more]:
        template = get_template(report.template)
        checker = Checker(report, template, check=False)
        for rule in cleaned:
            assert rule.clean is not None
            clean = rule.clean(report, template)
            seen[(rule.check.__name__, clean)] += 1
            if clean:
                found = [p.rule for form in report.forms for p in rule(checker._ctx(form))]
                assert not found, (name, rule.check.__name__, found)
    for rule in cleaned:
        assert seen[(rule.check.__name__, True)] and seen[(rule.check.__name__, False)], rule.check.__name__
