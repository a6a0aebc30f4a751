"""The review list's problem counts from the row rules' ``count`` (rule ids straight from a row's
values, no Problem made, no reason worked out) are exactly the checker's problems counted.

Rows are drawn from pools of cells chosen to trip every indicator and pre-submission rule (and to
pass them), on every shipped template, in project and overall forms, with 不适用, 其中, blank and
guidance rows; the counts are compared per form and per rule with ``Checker(...).problems``, cold and
with the memo warm. A rule the pools stop reaching fails the coverage assertion, so the comparison
never silently covers less.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

from core.model import Indicator, Report
from core.rules import Checker
from core.rules.base import QUOTED
from core.templates import Template, get_template

TEMPLATES = ("mof", "sichuan-guangyuan", "gansu-pingliang", "hunan-yiyang", "sichuan")
POOLS: dict[str, tuple[object, ...]] = {
    "level1": ("产出指标", "产出指标", "效益指标", "满意度指标", "", "产出（50分）", "成本指标"),
    "level2": (
        "数量指标",
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
        "经济成本指标",
        "社会效益指标",
        "服务对象满意度指标",
        "产出数量",
        "",
    ),
    "level3": (
        "培训人次",
        "走访户数",
        "其中：本级",
        "★重点项目",
        "",
        "预算执行率",
        "请填写指标名称",
        "培训100人次",
        f"名{QUOTED}称",
    ),
    "target": (
        "≥100人次",
        "≥100人次",
        "≤50万元",
        "=100%",
        "100%",
        "100",
        "80-90%",
        "±10%",
        "2023年12月底前",
        "有效保障",
        "群众满意",
        "",
        "≥95%",
        "10万元",
        ">20个",
        "<30天",
        "≥1例（填写说明）",
        "30天",  # no direction: ≤ under a 时效 二级 (a time unit), ≥ elsewhere (S03 either way)
        "10万元",
        "10个工作日",
    ),
    "actual": (
        "120人次",
        "90人次",
        "40万元",
        "60万元",
        "99%",
        "100%",
        "≥100",
        "85-95%",
        "2023年11月",
        "2024年2月",
        "达成",
        "部分达成",
        "未达成",
        "",
        "0",
        "300人次",
        "100公斤",
        "已完成",
        "效果较好*",
        "-5",
        "20个",
        "约100人次",
        "25天",
        "35天",
        "12个工作日",
    ),
    "weight": ("4", "4", "10", "", "0", "3.6"),
    "score": ("4", "", "5", "2", "-1", "3.6", "0", "3", "2.5"),
    "deviation_note": ("", "", "资金未到位", "资金未到位，下一步将加强管理", "请填写偏差原因"),
    "direction": ("", "", "≥", "≤", "="),
    "not_applicable": (False, False, False, False, True),
    "deduction": ("", "", "", "0.5", "-1", "abc", "0"),
    "brief": ("", "", "已完成", "完成*情况", "效果较好*"),
    "unit": ("", "", "人次"),
    "breakdown": (False, False, False, False, True),
}
# The rules of the two counted row rules (indicator_row, submission_row) the pools must reach.
REACHED = {
    "V12",
    "S08",
    "V15",
    "S09",
    "S18",
    "V04",
    "P02",
    "P01",
    "V08",
    "V11",
    "V17",
    "P06",
    "S02",
    "S03",
    "S13",
    "S19",
    "V10",
    "S14",
    "S01",
    "V09",
    "S16",
    "S15",
    "P04",
    "S10",
    "Y01",
    "Y02",
    "Y03",
    "Y06",
}


def _row(rng: random.Random) -> Indicator:
    return Indicator(**{k: rng.choice(v) for k, v in POOLS.items()})  # type: ignore[arg-type]


def _report(template_id: str, seed: int) -> Report:
    from core.report import new_report

    rng = random.Random(seed)
    report = new_report(template_id, 2023, f"计数{template_id}{seed}", [f"项目{k}" for k in range(3)])
    for k, form in enumerate(report.forms):
        form.indicators = [_row(rng) for _ in range(120)]
        form.indicators.append(Indicator("满意度指标", "服务对象满意度指标"))  # a printed 二级 row, blank
        form.indicators += form.indicators[:5]  # rows repeated: their results come from the memo
        if k == 1:
            form.execution_weight = "10"  # V17 reads the form's own 执行率 分值 where a template sets none
    return report


def _expected(report: Report, template: Template) -> dict[int | None, Counter[str]]:
    found: dict[int | None, Counter[str]] = {}
    for p in Checker(report, template).problems:
        found.setdefault(p.form_uid, Counter())[p.rule] += 1
    return found


def _flagging(template: Template) -> Template:
    """``template`` with K16's penalty and K17's flag set (no shipped template sets the flag: P04)."""
    from dataclasses import replace

    from core.paths import templates_dir
    from core.templates import load_template_file

    fresh = load_template_file(templates_dir() / f"{template.id}.json")  # its own memos
    scoring = replace(fresh.scoring, over_flag=Decimal("1.2"), over_penalty=(Decimal("1.5"), Decimal("1")))
    return replace(fresh, scoring=scoring)


def test_counted_row_rules_are_the_checkers_problems() -> None:
    reached: set[str] = set()
    for template_id in TEMPLATES:
        for seed in range(3):
            report = _report(template_id, seed)
            template = get_template(template_id)
            for used in (template, _flagging(template)) if seed == 0 else (template,):
                expected = _expected(report, used)
                for _warm in range(2):  # cold, then every row's ids from the counts memo
                    counted = Checker(report, used, check=False).rule_counts()
                    assert {k: v for k, v in counted.items() if v} == expected, (template_id, seed)
                reached |= {rule for found in expected.values() for rule in found}
    assert reached >= REACHED, sorted(REACHED - reached)


def test_the_rules_have_counts() -> None:
    """The row rules (an indicator row's two, the goals') are counted without making problems (a new row
    rule without ``count`` is counted through its problems, which is also right, only slower)."""
    from core.rules.engine import rules

    counted = {r.check.__name__ for r in rules().rows if r.count is not None}
    assert counted == {"indicator_row", "submission_row", "check_goals"}


# Cells as people type them: text in number columns, units written apart or scaled, full-width
# digits, stray spaces, guidance left in one cell of a long form.
MESSY: dict[str, tuple[object, ...]] = {
    "target": ("≥１００人次", " ≥100 人次 ", "≥1.5万人次", "100元", "≥1万元", "不少于100人次", "≥百分之九十"),
    "actual": ("1.2万人次", "150 人次", "一百人次", "100.0%", "约", "99.5％", "达到100人次", "≤40万元"),
    "weight": ("4分", "abc", " 4 ", "四"),
    "score": ("满分", "3.6分", " 4", "4.00"),
    "deduction": ("0.5分", " 1 ", "一"),
    "deviation_note": ("资金未到位，今后将完善", "  "),
}


def _messy_report(template_id: str, seed: int) -> Report:
    """A report of pool rows where every fourth cell is a messy one (``MESSY``), with one guidance
    phrase in a single cell of the last form only."""
    rng = random.Random(seed)
    report = _report(template_id, seed)
    for form in report.forms:
        for row in form.indicators:
            for key, values in MESSY.items():
                if rng.random() < 0.25:
                    setattr(row, key, rng.choice(values))
    guidance = get_template(template_id).guidance
    if guidance:
        report.forms[-1].indicators[-3].deviation_note = f"见说明：{guidance[0]}"
    return report


def test_counts_of_cells_as_people_type_them() -> None:
    for template_id in TEMPLATES:
        for seed in range(2):
            report = _messy_report(template_id, 100 + seed)
            template = get_template(template_id)
            counted = Checker(report, template, check=False).rule_counts()
            assert {k: v for k, v in counted.items() if v} == _expected(report, template), (template_id, seed)


def test_counts_of_forms_without_rows() -> None:
    """Forms with no indicator rows at all, or only blank printed 二级 rows: counted as the checker."""
    report = _report("mof", 9)
    report.forms[0].indicators = []
    report.forms[1].indicators = [Indicator("满意度指标", "服务对象满意度指标"), Indicator()]
    template = get_template("mof")
    counted = Checker(report, template, check=False).rule_counts()
    assert {k: v for k, v in counted.items() if v} == _expected(report, template)


def test_the_lists_scores_are_effective_score_row_by_row() -> None:
    """The list's figures score a form's rows in one loop (scoring.effective_scores): each the same
    Decimal as effective_score of that row, on pool rows and messy ones, on every template."""
    from core.scoring import effective_score, effective_scores

    for template_id in TEMPLATES:
        template = get_template(template_id)
        for report in (_report(template_id, 3), _messy_report(template_id, 4)):
            for form in report.forms:
                expected = [effective_score(ind, template) for ind in form.indicators]
                assert effective_scores(form.indicators, template) == expected
                assert [str(s) for s in effective_scores(form.indicators, template)] == [
                    str(s) for s in expected
                ]


def test_every_guidance_phrase_in_any_cell_is_counted() -> None:
    """V12 is looked for in a form's cells only when they hold one of a few characters that every
    guidance phrase holds (``_guidance_marks``): each phrase of each template, alone in one cell of
    each text column (bare, and inside other text), is counted as the checker finds it."""
    from dataclasses import replace

    from core.rules.indicators import TEXT_COLUMNS, _guidance_marks

    for template_id in TEMPLATES:
        template = get_template(template_id)
        marks = _guidance_marks(template.guidance)
        assert all(any(m in p for m in marks) for p in template.guidance), (template_id, marks)
        for k, phrase in enumerate(template.guidance):
            report = _report(template_id, 200 + k)
            for form in report.forms:  # no guidance anywhere but where this test puts it
                form.indicators = [
                    replace(ind, **{c: "" for c in TEXT_COLUMNS if ind.__dict__[c] == "请填写指标名称"})
                    for ind in form.indicators
                    if not any(p in str(ind.__dict__[c]) for c in TEXT_COLUMNS for p in template.guidance)
                ]
            for n, column in enumerate(TEXT_COLUMNS):
                row = report.forms[n % len(report.forms)].indicators[n]
                setattr(row, column, phrase if n % 2 else f"见{phrase}后")
            expected = _expected(report, template)
            found = sum(rules["V12"] for rules in expected.values())
            assert found >= len(TEXT_COLUMNS), (template_id, phrase)
            counted = Checker(report, template, check=False).rule_counts()
            assert {key: v for key, v in counted.items() if v} == expected, (template_id, phrase)


def test_guidance_marks_cover_every_phrase() -> None:
    """Whatever phrases a template lists, each holds one of the marks (a blank phrase: no marks to
    look for, every form searched)."""
    from core.rules.indicators import _guidance_marks

    for guidance in (("请填写", "示例：", "XXX", "××"), ("a", "ab", "b"), ("填写",), ("x", ""), ()):
        marks = _guidance_marks(guidance)
        assert all(any(m in p for m in marks) for p in guidance), (guidance, marks)
    assert "：" not in _guidance_marks(("请填写", "示例：", "例："))  # a letter before punctuation


def test_a_forms_sums_in_one_pass_are_what_the_scoring_functions_add_up() -> None:
    """The list's figures add up a form's rows in one pass (scoring.indicator_sums): the same Decimals,
    to the digit, as effective_scores summed, _indicator_weight's 分值 and _rescale's 不适用 分值, on
    pool rows and messy ones of every template, row by row and grouped (a row given with how many
    times it comes, as lean.read_grouped gives them)."""
    from itertools import repeat

    from core.numbers import ZERO
    from core.scoring import amount, effective_scores, indicator_sums

    for template_id in TEMPLATES:
        template = get_template(template_id)
        rng = random.Random(template_id)
        for report in (_report(template_id, 5), _messy_report(template_id, 6)):
            for form in report.forms:
                for rows in (form.indicators, [r for r in form.indicators for _ in range(rng.randint(1, 3))]):
                    scores = effective_scores(rows, template)
                    present = [s for s in scores if s is not None]
                    weights = [amount(r.weight) for r, s in zip(rows, scores, strict=True) if s is not None]
                    expected = (
                        sum(present, ZERO),
                        sum((w for w in weights if w is not None), ZERO),
                        sum((amount(r.weight) or ZERO for r in rows if r.not_applicable), ZERO),
                        bool(present),
                    )
                    runs: list[tuple[Indicator, int]] = []
                    for r in rows:  # consecutive repeats as one row with its count
                        if runs and runs[-1][0] is r:
                            runs[-1] = (r, runs[-1][1] + 1)
                        else:
                            runs.append((r, 1))
                    for given in (zip(rows, repeat(1)), runs):
                        found = indicator_sums(given, template)
                        assert found == expected
                        assert [str(v) for v in found] == [str(v) for v in expected]


def _spend_and_trim(report: Report, rng: random.Random) -> None:
    """Give each form a budget that spends all, part or nothing of it (red and yellow 自评预警) and
    keep 10, 40 or 126 of its indicator rows."""
    from core.model import FundRow

    for form in report.forms:
        total = rng.choice((0, 10, 100, 480))
        spent = rng.choice((0, total, total // 2, total - 1))
        if form.funds:
            form.funds[0] = FundRow(form.funds[0].key, str(total), str(total), str(spent))
        form.indicators = form.indicators[: rng.choice((10, 40, 126))]


def test_the_lists_figures_are_the_whole_scores_figures() -> None:
    """quick_figures (the list's figures, rows summed in one pass) are form_figures of the whole
    score_report, on pool rows and messy ones of every template, with budgets that spend all, part
    or nothing (red and yellow 自评预警) and a 不适用 row that re-scales the total."""
    from core.review.figures import FORM_KEYS, form_figures, quick_figures
    from core.scoring import score_report

    seen: Counter[str | None] = Counter()
    for template_id in TEMPLATES:
        template = get_template(template_id)
        rng = random.Random(template_id)
        for report in (_report(template_id, 7), _messy_report(template_id, 8)):
            _spend_and_trim(report, rng)
            expected = form_figures(report, template, score_report(report, template))
            found = quick_figures(report, template)
            for row in expected:
                row[FORM_KEYS[-1]] = None
                seen[row["warning"]] += 1
            assert found == expected
    assert {"red", "yellow", None} <= set(seen)


def test_the_two_row_rules_counted_in_one_walk_are_each_ones_count() -> None:
    """The review's counts walk a form's indicator rows once for indicator_row and submission_row
    (base.count_together): per form, the same rule ids as the two counts one after the other, on pool
    rows and messy ones of every template (其中 rows by name or mark, 不适用, blank), cold and warm."""
    from core.rules.base import FormCtx
    from core.rules.engine import rules

    counters = rules().counters
    by_name = {r.check.__name__: r for r in rules().rows}
    indicator, submission = by_name["indicator_row"], by_name["submission_row"]
    joint = counters[indicator]
    assert joint is not None and joint is not indicator.count and counters[submission] is None
    for template_id in TEMPLATES:
        template = get_template(template_id)
        for report in (_report(template_id, 11), _messy_report(template_id, 12)):
            for form in report.forms:
                ctx = FormCtx(report, template, template.form(form.kind), form)
                for _warm in range(2):
                    assert indicator.count is not None and submission.count is not None
                    rows = form.indicators
                    apart = Counter(indicator.count(ctx, rows) + submission.count(ctx, rows))
                    assert Counter(joint(ctx, form.indicators)) == apart, (template_id, form.name)


def test_the_count_walks_sums_are_what_the_figures_add_up() -> None:
    """The review's count walk adds up a form's indicator rows as it counts them (what the list's
    figures read: ``FormCtx.kept_sums``): the same Decimals, to the digit, as scoring.indicator_sums,
    on pool rows and messy ones of every template (不适用, blank, 其中 by name or mark, rows without a
    得分, 扣减分数), for the two rules' joint walk and indicator_row's own, cold and warm."""
    from itertools import repeat

    from core.rules.base import FormCtx
    from core.rules.engine import rules
    from core.scoring import indicator_sums

    by_name = {r.check.__name__: r for r in rules().rows}
    indicator = by_name["indicator_row"]
    joint = rules().counters[indicator]
    assert joint is not None and indicator.count is not None
    for template_id in TEMPLATES:
        template = get_template(template_id)
        for report in (_report(template_id, 13), _messy_report(template_id, 14)):
            for form in report.forms:
                expected = indicator_sums(zip(form.indicators, repeat(1)), template)
                for count in (joint, indicator.count, joint):  # the last: every row met before
                    ctx = FormCtx(report, template, template.form(form.kind), form)
                    assert ctx.kept_sums is None
                    count(ctx, form.indicators)
                    assert ctx.kept_sums == expected, (template_id, form.name)
                    assert [str(v) for v in ctx.kept_sums] == [str(v) for v in expected]


def test_the_lists_figures_with_counts_are_the_whole_scores_figures() -> None:
    """The list with counts (report_summary) takes each form's execution figures and indicator sums
    from the count walk instead of working them out again: its figures are form_figures of the whole
    score_report all the same (every form's, as strings), on pool rows and messy ones of every
    template, with budgets that spend all, part or nothing."""
    from core.review.figures import FORM_KEYS, form_figures, report_summary
    from core.rules.engine import Counted
    from core.scoring import score_report

    for template_id in TEMPLATES:
        template = get_template(template_id)
        rng = random.Random(f"with counts {template_id}")
        for report in (_report(template_id, 15), _messy_report(template_id, 16)):
            _spend_and_trim(report, rng)
            counted: Counted = {}
            Checker(report, template, check=False).rule_counts(counted)
            assert len(counted) == sum(1 for f in report.forms if f.indicators)  # the walk gave them
            expected = form_figures(report, template, score_report(report, template))
            found = report_summary(report, template)["forms"]
            for row in (*expected, *found):
                row[FORM_KEYS[-1]] = None
            assert found == expected, template_id


def test_a_bad_amount_in_any_cell_of_any_form_is_counted() -> None:
    """The review's counts look for V18 (an amount cell storage would no longer accept) once over the
    whole report and skip the rule on every form when there is none: a text that is no amount in any
    one amount cell (every amount column of the funds, indicators and score sheet, and of the header)
    of any one form is still counted where the checker finds it, on every template."""
    import copy

    from core.model import ScoreItem
    from core.rules.amounts import AMOUNT_CELLS, HEADER_AMOUNTS, _no_bad_amount
    from core.schema import Table

    places = [(Table.HEADER, name) for name in HEADER_AMOUNTS]
    places += [(table, column) for table, cols in AMOUNT_CELLS.items() for column in cols]
    for template_id in TEMPLATES:
        template = get_template(template_id)
        clean = _report(template_id, 21)
        for form in clean.forms:
            for row in form.indicators:  # the pools' amount texts that are no amounts, made blank
                for column in AMOUNT_CELLS[Table.INDICATORS]:
                    if getattr(row, column) in ("abc", "-1"):
                        setattr(row, column, "")
            if not form.score_sheet:
                form.score_sheet = [ScoreItem(weight="10", self_score="8")]
        assert _no_bad_amount(clean, template)
        assert not any(found["V18"] for found in _expected(clean, template).values())
        for k, (table, column) in enumerate(places):
            report = copy.deepcopy(clean)
            form = report.forms[k % len(report.forms)]
            rows = form.rows(table) if table != Table.HEADER else [form]
            setattr(rows[k % len(rows)], column, "12元5角")
            assert not _no_bad_amount(report, template), (template_id, table, column)
            counted = Checker(report, template, check=False).rule_counts()
            expected = _expected(report, template)
            assert expected[form.uid]["V18"] == 1, (template_id, table, column)
            assert {key: v for key, v in counted.items() if v} == expected, (template_id, table, column)


def test_goal_rows_with_guidance_or_a_goal_not_done_are_counted() -> None:
    """The goals' count looks for guidance (V12) only when a form's goal texts joined hold one of the
    phrases' marks, and S11 reads "未开展" in the goals' 完成情况 joined: each guidance phrase of each
    template in one goal cell (bare or inside text), and a fully spent form whose goal says it did not
    take place, are counted as the checker finds them."""
    from core.model import FundRow, Goal

    for template_id in TEMPLATES:
        template = get_template(template_id)
        for k, phrase in enumerate((*template.guidance, "未开展")):
            report = _report(template_id, 300 + k)
            for n, form in enumerate(report.forms):
                form.goals = [Goal("完成培训任务", "已完成"), Goal("开展走访", "已走访 30 户")]
                form.goals.append(Goal("宣传", ""))
                if form.funds:
                    form.funds[0] = FundRow(form.funds[0].key, "100", "100", "100")  # all spent
                cell = form.goals[n % 3]
                if n % 2:
                    cell.achieved = phrase
                else:
                    cell.goal = f"见{phrase}后"
            expected = _expected(report, template)
            wanted = "S11" if phrase == "未开展" else "V12"
            assert sum(found[wanted] for found in expected.values()) >= 1, (template_id, phrase)
            counted = Checker(report, template, check=False).rule_counts()
            assert {key: v for key, v in counted.items() if v} == expected, (template_id, phrase)
