"""core's scores against an independent reference (tests/core/scoring_reference.py, written from
RULES.md / ECOSYSTEM.md with exact fractions) on random forms of every scored region."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.export.yth import write_yth
from core.model import FundRow, Indicator
from core.report import new_report
from core.scoring import form_summary, form_total, score_form
from core.templates import Template, get_template
from tests.core import scoring_reference as ref

D = Decimal
SCORED = ("mof", "sichuan", "hunan-yiyang")
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def dec(places: int, low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: D(n).scaleb(-places))


# amounts: 0, tiny, ordinary, huge (万元 with 2 places, up to 10^12)
AMOUNT = st.one_of(
    st.just(D(0)),
    dec(2, 1, 99),
    dec(2, 0, 10**7),
    dec(2, 10**12, 10**14),
)
NUMBER = st.one_of(dec(0, 0, 2000), dec(2, 0, 200000), dec(4, 1, 10**6))
WEIGHT = st.one_of(dec(0, 1, 30), dec(1, 1, 300), dec(2, 1, 3000))


def text(d: Decimal) -> str:
    return format(d, "f")


def one_form(template: Template, funds: tuple[Decimal, Decimal], rows: list[Indicator]):  # type: ignore[no-untyped-def]
    report = new_report(template.id, 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.funds[0] = FundRow(key=form.funds[0].key, initial="", annual=text(funds[0]), executed=text(funds[1]))
    form.indicators = rows
    return score_form(report, form, template)


@st.composite
def quantitative(draw: st.DrawFn) -> tuple[str, Decimal, Decimal, Decimal, str]:
    op = draw(st.sampled_from(["≥", "≤", "="]))
    unit = draw(st.sampled_from(["", "%", "天", "个", "万元"]))
    t = draw(NUMBER)
    if op == "=" and draw(st.booleans()):
        t = D(100) if unit == "%" else D(0)
    a = draw(st.one_of(NUMBER, st.just(t), dec(2, -500, -1)))
    w = draw(WEIGHT)
    return op, t, a, w, unit


@given(st.sampled_from(SCORED), quantitative())
@QUICK
def test_indicator_scores_match_the_reference(
    template_id: str, row: tuple[str, Decimal, Decimal, Decimal, str]
) -> None:
    op, t, a, w, unit = row
    template = get_template(template_id)
    ind = Indicator(
        level1="产出指标",
        level2="数量指标",
        level3="x",
        target=f"{op}{text(t)}{unit}",
        actual=f"{text(a)}{unit}",
        weight=text(w),
    )
    got = one_form(template, (D(100), D(100)), [ind]).indicators[0].suggested
    opts = template.scoring
    want = ref.indicator(op, Fraction(t), Fraction(a), Fraction(w), opts.reverse, opts.equal)
    assert got == want, (template_id, ind.target, ind.actual, ind.weight, got, want)


@given(
    st.sampled_from(SCORED), AMOUNT, st.one_of(AMOUNT, dec(2, -(10**6), -1)), st.sampled_from([D(10), D(20)])
)
@QUICK
def test_execution_score_matches_the_reference(
    template_id: str, annual: Decimal, executed: Decimal, w: Decimal
) -> None:
    template = get_template(template_id)
    s = one_form(template, (annual, executed), [])
    weight = s.execution.weight
    assert weight is not None
    want = ref.execution(Fraction(annual), Fraction(executed), Fraction(weight))
    assert s.execution.score == want, (annual, executed, s.execution.score, want)


@given(
    st.sampled_from(SCORED),
    AMOUNT.filter(bool),
    AMOUNT,
    st.lists(
        st.tuples(quantitative(), st.booleans(), st.one_of(st.none(), dec(3, 0, 30000))),
        min_size=1,
        max_size=12,
    ),
)
@QUICK
def test_total_is_the_sum_of_the_rounded_scores(
    template_id: str,
    annual: Decimal,
    executed: Decimal,
    rows: list[tuple[tuple[str, Decimal, Decimal, Decimal, str], bool, Decimal | None]],
) -> None:
    """R7.1/R7.3 (total = Σ rounded scores, typed scores of 3 places too), R4.6 (不适用 re-scaled to
    100), R7.2 grades."""
    template = get_template(template_id)
    opts = template.scoring
    inds = []
    scores: list[Decimal] = []
    dropped = Fraction(0)
    for (op, t, a, w, unit), na, typed in rows:
        inds.append(
            Indicator(
                level1="产出指标",
                level2="数量指标",
                level3="x",
                target=f"{op}{text(t)}{unit}",
                actual=f"{text(a)}{unit}",
                weight=text(w),
                score=text(typed) if typed is not None else "",
                not_applicable=na,
            )
        )
        if na:
            dropped += Fraction(w)
        elif typed is not None:
            scores.append(ref.cents(Fraction(typed)))
        else:
            scores.append(ref.indicator(op, Fraction(t), Fraction(a), Fraction(w), opts.reverse, opts.equal))
    s = one_form(template, (annual, executed), inds)
    assert s.execution.weight is not None
    ex = ref.execution(Fraction(annual), Fraction(executed), Fraction(s.execution.weight))
    want = ref.total([*scores, ex or D(0)], dropped)
    assert s.total == want
    assert s.grade == ref.grade(want)


def test_typed_scores_count_as_printed_to_the_cent() -> None:
    """R7.3: "each score ROUND_HALF_UP to 2 decimals; the total is the sum of the rounded scores". Three
    typed 8.335 print 8.34 each: the total is 10 + 3 × 8.34 = 35.02 (core summed 25.005 → 35.01, a
    printed 得分 column that did not add up to its 总分)."""
    rows = [
        Indicator(
            level1="产出指标",
            level2="数量指标",
            level3=f"x{i}",
            target="≥3",
            actual="3",
            weight="10",
            score="8.335",
        )
        for i in range(3)
    ]
    report = new_report("mof", 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.funds[0] = FundRow(key=form.funds[0].key, initial="", annual="100", executed="100")
    form.indicators = rows
    template = get_template("mof")
    assert score_form(report, form, template).total == D("35.02")
    assert form_total(report, form, template) == D("35.02")
    assert form_summary(report, form, template).total == D("35.02")


def test_a_negative_executed_amount_scores_no_execution_points() -> None:
    """V04 "each score ≤ its weight; ≥ 0" and R3.2 "执行率得分 = 分值 × min(执行率, 100%)": a project
    whose 全年执行数 is negative (money paid back: −2 of 35 万元) scores 0 of 10, not −0.57 (core gave
    −0.57, which took the form's total below the sum of its indicators)."""
    template = get_template("sichuan")
    s = one_form(template, (D(35), D(-2)), [])
    assert s.execution.score == D("0.00")
    assert s.execution.why == "-2 ÷ 35 = -5.71%，10 × 0.00% = 0"
    assert s.total == D("0.00")


# ---- what the 一体化 recomputes from the import file -------------------------------------------

_SYSTEM_OPERATOR = {"≥": "≥", "＞": "≥", ">": "≥", "≤": "≤", "＜": "≤", "<": "≤", "＝": "=", "=": "="}


def _recomputed(
    tmp: Path, template: Template, rows: list[Indicator]
) -> list[tuple[Decimal, Decimal, Decimal]]:
    """Write the form's 一体化 import file, read it back and return per 定量 row (the score the
    system recomputes from its 计算符号/指标值/实际完成值/分值 (ECOSYSTEM K6–K8, K10), the 得分 cell,
    core's score)."""
    report = new_report(template.id, 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.indicators = rows
    files = write_yth(report, tmp, template=template)
    path = next(f.path for f in files if f.name == "测试项目")
    ws = openpyxl.load_workbook(path).active
    core_scores = score_form(report, form, template).indicators
    out = []
    opts = template.scoring
    for i, cells in enumerate(ws.iter_rows(min_row=2, values_only=True)):
        op, target, actual, weight, score = cells[3], cells[4], cells[5], cells[7], cells[8]
        system = ref.indicator(
            _SYSTEM_OPERATOR[str(op)],
            Fraction(str(target)),
            Fraction(str(actual)),
            Fraction(str(weight)),
            opts.reverse,
            opts.equal,
        )
        assert core_scores[i].suggested is not None
        out.append((system, D(str(score)), core_scores[i].suggested))
    return out


def test_the_import_file_says_the_direction_a_cost_target_without_operator_was_scored_by(
    tmp_path: Path,
) -> None:
    """ECOSYSTEM §2: "the system re-computes 定量 scores itself, so ZiPing's figures must be the same"
    (K6–K8). A 成本指标 "50万元" with no operator is scored by its 二级's default ≤ (S03), 60 万元 spent:
    8.33 of 10 — but the file said 计算符号 ≥, so the system recomputed 10 (60 ≥ 50)."""
    rows = [
        Indicator(
            level1="产出指标",
            level2="成本指标",
            level3="人均成本",
            target="50万元",
            actual="60万元",
            weight="10",
        ),
        Indicator(
            level1="产出指标", level2="时效指标", level3="办结时限", target="5天", actual="6天", weight="10"
        ),
    ]
    got = _recomputed(tmp_path, get_template("sichuan"), rows)
    assert got == [(D("8"), D("8"), D("8"))] * 2  # 10 × (1 − (60 − 50)/50), K8 (sichuan: excess)


def test_sichuan_yitihua_scores_a_missed_reverse_target_as_the_system_does() -> None:
    """ECOSYSTEM K8, how the deployed 一体化 system scores 反向 (≤ ＜): "target < actual < 2×target →
    round((1 − (actual − target) ÷ target) × weight, 2); ≥ 2×target → 0" (RULES.md R4.2 (b), C1
    selfreverseindex); w × target ÷ actual is what some PRINTED forms use. 四川·预算一体化 is the system's
    own form (510000_0013zp), whose 定量 scores the system recomputes: ≤5天 done in 6 scores 8, not 8.33;
    ≤5天 done in 10 scores 0, not 5."""
    template = get_template("sichuan")
    for actual, want in (("6", "8.00"), ("10", "0.00"), ("5", "10")):
        ind = Indicator(
            level1="产出指标", level2="时效指标", level3="x", target="≤5天", actual=f"{actual}天", weight="10"
        )
        assert one_form(template, (D(100), D(100)), [ind]).indicators[0].suggested == D(want)


@st.composite
def import_rows(draw: st.DrawFn) -> list[Indicator]:
    out = []
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["≥", "≤", "=", ""]))
        level2, unit = draw(
            st.sampled_from([("数量指标", "个"), ("质量指标", "%"), ("时效指标", "天"), ("成本指标", "万元")])
        )
        t = draw(NUMBER.filter(bool))
        a = draw(st.one_of(NUMBER, st.just(t)))
        w = draw(WEIGHT)
        out.append(
            Indicator(
                level1="产出指标",
                level2=level2,
                level3=f"指标{len(out)}",
                target=f"{op}{text(t)}{unit}",
                actual=f"{text(a)}{unit}",
                weight=text(w),
            )
        )
    return out


@given(st.sampled_from(SCORED), import_rows())
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_the_system_recomputes_from_the_import_file_what_core_scored(
    tmp_path: Path, template_id: str, rows: list[Indicator]
) -> None:
    for system, cell, core_score in _recomputed(tmp_path, get_template(template_id), rows):
        assert system == cell == core_score


def test_guangyuan_balance_rate_is_of_the_fiscal_budget() -> None:
    """RULES.md §8 (seed 001's 评分表): "预算结余率=结余金额/财政资金预算数×100%",
    "指标得分=（1-预算结余率/0.1）×6分". 财政拨款 100 万元, 95 spent (结余率 5 %: 6 × (1 − 0.05/0.1) = 3);
    其他资金 50 unspent is no 财政资金 — core rated 年度资金总额 (150, 55 unspent: 36.67 % → 0)."""
    template = get_template("sichuan-guangyuan")
    report = new_report(template.id, 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    amounts = {"gpb": ("100", "95"), "other": ("50", "0")}
    form.funds = [
        FundRow(key=r.key, annual=amounts.get(r.key, ("", ""))[0], executed=amounts.get(r.key, ("", ""))[1])
        for r in form.funds
    ]
    s = score_form(report, form, template)
    row = next(i for i, item in enumerate(form.score_sheet) if "结余率" in item.name)
    assert s.score_sheet[row].suggested == D("3.00")
    assert s.execution.rate is not None and f"{s.execution.rate:.4f}" == "0.6333"  # 执行率 stays 95 ÷ 150


def _band_rules(actual: str, weight: str, score: str) -> tuple[list[str], list[str]]:
    """The indicator rules of one 定性 row (the checker's, the review's fast counts) and the word the
    一体化 import file gives it."""
    from core.rules.engine import Checker
    from core.submission import yth_rows

    template = get_template("sichuan")
    report = new_report(template.id, 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.indicators = [
        Indicator(
            level1="效益指标",
            level2="社会效益指标",
            level3="x",
            target="有效提升",
            actual=actual,
            weight=weight,
            score=score,
            deviation_note="部分活动未开展，下一步加强调度",
        )
    ]
    rules = [p.rule for p in Checker(report, template).problems_for_form(form.uid) if p.table == "indicators"]
    return rules, [str(r.actual) for r in yth_rows(form, template)]


def test_qualitative_bands_are_half_open_with_limits_to_the_cent() -> None:
    """RULES.md R5.1: 部分达成 → [60 %, 80 %) of the weight; C1/C2 (the system's save-time check):
    "w×0.8 ≤ s ≤ w; w×0.6 ≤ s < w×0.8; 0 ≤ s < w×0.6, rounded to 2 dp". core accepted 部分达成 with 8 of
    10 (its top edge closed) and refused 达成 with 2.66 of 3.33 (2.66 < 2.664, the limit unrounded)."""
    assert "V11" in _band_rules("部分达成", "10", "8")[0]
    assert "V11" not in _band_rules("部分达成", "10", "7.99")[0]
    assert "V11" in _band_rules("未达成", "10", "6")[0]
    assert "V11" not in _band_rules("达成", "3.33", "2.66")[0]
    assert "V11" not in _band_rules("达成", "10", "10")[0]
    # a score the file must name a grade for: 2.66 of 3.33 is 达成 (the system's band), not 部分达成
    assert _band_rules("活动效果较好", "3.33", "2.66")[1] == ["达成"]
