"""``form_summary`` (what the window shows after each edit: 建议得分, 本表得分 and its grade, the
自评预警) is ``score_form``'s — on every form of the seeds and the sample, as they are and changed
the ways typing changes them."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from pathlib import Path

from core.interchange import read_json_file
from core.model import Report
from core.paths import sample_report_path
from core.report import Document
from core.scoring import form_summary, score_form, summary_of
from core.templates import get_template

TEXTS = ["", "0", "3", "12人", "≥5名", "95%", "100%", "完成", "未完成", "2.5", "-1", "abc", "1e309"]


def reports(seed_zpdb: Callable[[str], Path]) -> list[Report]:
    found = [read_json_file(sample_report_path())]
    for name in ("seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"):
        doc = Document.open(seed_zpdb(name), backup=False)
        try:
            found.append(copy.deepcopy(doc.report))
        finally:
            doc.close()
    return found


def changed(report: Report, rng: random.Random) -> Report:
    """``report`` with cells typed over as a user types them: actuals, targets, weights, scores,
    deductions, 不适用, funds (spent, budgets), some forms left blank."""
    out = copy.deepcopy(report)
    for form in out.forms:
        if rng.random() < 0.15:
            for ind in form.indicators:
                ind.actual = ""
            for fund in form.funds:
                fund.executed = ""
            continue
        for ind in form.indicators:
            for column in ("actual", "target", "weight", "score", "deduction"):
                if rng.random() < 0.3:
                    setattr(ind, column, rng.choice(TEXTS))
            if rng.random() < 0.1:  # 不适用 ticked or unticked: its 分值 leaves or joins the total
                ind.not_applicable = not ind.not_applicable
        for fund in form.funds:
            for column in ("annual", "executed", "initial"):
                if rng.random() < 0.3:
                    setattr(fund, column, rng.choice(TEXTS))
    return out


def test_the_summary_is_what_score_form_gives(seed_zpdb: Callable[[str], Path]) -> None:
    rng = random.Random(15)
    compared = 0
    for base in reports(seed_zpdb):
        template = get_template(base.template)
        for report in [base] + [changed(base, rng) for _ in range(4)]:
            for form in report.forms:
                full = score_form(report, form, template)
                summary = form_summary(report, form, template)
                assert summary == summary_of(full), (report.template, form.name)
                shown = (summary.total, summary.grade, summary.warning)
                assert shown == (full.total, full.grade, full.warning)
                compared += 1
    assert compared > 100


def test_the_red_warning_reads_the_scored_rows_weights_not_the_default() -> None:
    """The 自评预警's 指标得分率 divides by the 分值 of the rows that have a score (24 here, not the
    template's 90): the summary says so as score_form does, and leaves a 不适用 row's 分值 out."""
    report = read_json_file(sample_report_path())
    template = get_template(report.template)
    form = report.projects[0]
    spec = template.form(form.kind)
    for ind in form.indicators:
        ind.weight, ind.score, ind.deduction, ind.not_applicable = "2", "2", "", False
    form.indicators[0].not_applicable = True  # its 分值 is dropped: 22 of the 11 others' scores
    for fund in form.funds:
        if fund.key == spec.rate_row:
            fund.executed = str(float(fund.annual) / 2)  # 执行率 50 %
    summary = form_summary(report, form, template)
    assert summary == summary_of(score_form(report, form, template))
    assert summary.warning == "red"
    assert "（22 ÷ 22）" in summary.warning_why, summary.warning_why
