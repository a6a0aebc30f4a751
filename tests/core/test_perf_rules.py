"""Behaviour the checker's speed-ups must keep: guidance, double counting, vocabulary, incremental = full."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.model import Report
from core.report import Document
from core.rules import Checker, check_report, indicators
from core.templates import get_template


def _same(checker: Checker, report: Report) -> None:
    assert [p.to_json() for p in checker.problems] == [
        p.to_json() for p in check_report(report, get_template(report.template))
    ]


def _rules_at(checker: Checker, uid: int, row: int, column: str) -> list[str]:
    return [p.rule for p in checker.problems_at(uid, "indicators", row, column)]


def test_guidance_double_count_and_vocabulary_after_edits(seed_zpdb) -> None:  # type: ignore[no-untyped-def]
    doc = Document.open(seed_zpdb("seed004_yiyang"))
    try:
        checker = Checker(doc.report, doc.template)
        doc.subscribe(checker.apply)
        uid = doc.report.projects[0].uid
        doc.set_cell(uid, "indicators", 0, "level3", "请填写三级指标名称")
        doc.set_cell(uid, "indicators", 1, "target", "（填写年度指标值）")
        assert "V12" in _rules_at(checker, uid, 0, "level3")
        assert "V12" in _rules_at(checker, uid, 1, "target")
        assert "V12" not in _rules_at(checker, uid, 0, "target")
        doc.set_cell(uid, "indicators", 0, "level3", "公务员招录人数")
        assert "V12" not in _rules_at(checker, uid, 0, "level3")
        doc.set_cell(uid, "indicators", 2, "level3", "项目预算执行率")
        doc.set_cell(uid, "indicators", 2, "weight", "5")
        assert "V17" in _rules_at(checker, uid, 2, "level3")
        doc.set_cell(uid, "indicators", 3, "level2", "社会效益指标")  # under 产出指标: wrong 一级
        assert "V15" in _rules_at(checker, uid, 3, "level1")
        _same(checker, doc.report)
    finally:
        doc.close()


def test_many_single_cell_edits_match_a_full_check(seed_zpdb) -> None:  # type: ignore[no-untyped-def]
    doc = Document.open(seed_zpdb("seed001_guangyuan"))
    try:
        checker = Checker(doc.report, doc.template)
        doc.subscribe(checker.apply)
        values = ["≥12人次", "11人次", "≤5万元", "6万元", "=100%", "99.5%", "优", "良", "", "≥1户", "2人"]
        for k, form in enumerate(doc.report.projects):
            for row in range(len(form.indicators)):
                column = "target" if (k + row) % 2 else "actual"
                doc.set_cell(form.uid, "indicators", row, column, values[(k * 7 + row) % len(values)])
            doc.set_cell(form.uid, "funds", 0, "executed", str(10 + k))
        _same(checker, doc.report)
    finally:
        doc.close()


def test_rows_alike_but_for_the_name_keep_their_own_names(seed_zpdb) -> None:  # type: ignore[no-untyped-def]
    doc = Document.open(seed_zpdb("seed004_yiyang"))
    try:
        checker = Checker(doc.report, doc.template)
        doc.subscribe(checker.apply)
        uid = doc.report.projects[0].uid
        names = ["办公设备购置成本", "培训场地租赁成本", "培训人数100人", "请填写指标名称"]
        for row, name in enumerate(names):
            for column, value in (("level1", "成本指标"), ("level2", "经济成本指标"), ("level3", name)):
                doc.set_cell(uid, "indicators", row, column, value)
            doc.set_cell(uid, "indicators", row, "target", "≥5万元" if row < 2 else "")
        for row in (0, 1):
            (s13,) = [p for p in checker.problems_at(uid, "indicators", row, "target") if p.rule == "S13"]
            assert s13.message.startswith(f"成本指标“{names[row]}”的目标为“≥5万元”")
        (s02,) = [p for p in checker.problems_at(uid, "indicators", 2, "target") if p.rule == "S02"]
        assert "指标名称“培训人数100人”中含有目标值 100人" in s02.message
        (s02,) = [p for p in checker.problems_at(uid, "indicators", 3, "target") if p.rule == "S02"]
        assert s02.message == "年度指标值为空"
        assert "V12" in _rules_at(checker, uid, 3, "level3")
        _same(checker, doc.report)
    finally:
        doc.close()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789. 　人次名个期户元万%项场天指标-", max_size=14))
def test_quick_name_target_test_finds_what_the_s02_pattern_finds(name: str) -> None:
    found = indicators.NAME_TARGET_RE.search(name) is not None
    assert (indicators._NAME_TARGET_ANYWHERE.search(name) is not None) == found


def test_form_findings_found_again_are_the_problems_found_before(seed_zpdb) -> None:  # type: ignore[no-untyped-def]
    """The 一体化 form rule's problems (Y05: a 三级 name repeated) found again after an edit elsewhere
    in the form are the very objects found before (the window compares a form's problems after each
    keystroke: same objects compare at once); a renamed form's problems carry its new name; and
    everything equals a full check."""
    doc = Document.open(seed_zpdb("seed004_yiyang"))
    try:
        checker = Checker(doc.report, doc.template)
        doc.subscribe(checker.apply)
        form = doc.report.projects[0]

        def repeated() -> list[object]:
            return [p for p in checker.own_problems(form) if p.rule == "Y05"]

        assert not repeated()
        doc.set_cell(form.uid, "indicators", 1, "level3", form.indicators[0].level3)
        before = repeated()
        assert before and all(p.form == form.name for p in before)  # type: ignore[attr-defined]
        doc.set_cell(form.uid, "indicators", 2, "actual", "99%")
        after = repeated()
        assert after == before and all(a is b for a, b in zip(after, before, strict=True))
        rule = next(r for r in checker.rules.forms if r.check.__name__ == "submission_form")
        again = list(rule(checker._ctx(form)))  # the rule itself, run again: no new Problem made
        assert again and all(any(p is q for q in before) for p in again if p.rule == "Y05")
        _same(checker, doc.report)
        doc.set_form_field(form.uid, "name", "改名后的项目")
        renamed = repeated()
        assert len(renamed) == len(before) and all(p.form == "改名后的项目" for p in renamed)  # type: ignore[attr-defined]
        _same(checker, doc.report)
    finally:
        doc.close()
