"""Rules declare what they read; the checker caches and re-checks from those declarations only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.model import Indicator
from core.problems import Problem
from core.report import Document
from core.rules import Checker, check_report, engine
from core.rules.base import FormCtx, FormRule, RowRule, form_rule, row_rule
from core.schema import Table, keys


def _deduction_rule(columns: tuple[str, ...]) -> RowRule:
    @row_rule(Table.INDICATORS, columns=columns)
    def check(ctx: FormCtx, i: int, ind: Indicator) -> Iterator[Problem]:
        if ind.deduction.strip():
            yield ctx.problem("V04", f"扣减 {ind.deduction}", Table.INDICATORS, i, "deduction")

    return check


@pytest.fixture
def doc(seed_zpdb) -> Iterator[Document]:  # type: ignore[no-untyped-def]
    doc = Document.open(seed_zpdb("seed004_yiyang"))
    yield doc
    doc.close()


def _deductions(checker: Checker, uid: int) -> list[str]:
    found = checker.problems_at(uid, "indicators", 0, "deduction")
    return [p.message for p in found if p.rule == "V04"]  # the toy rule's (P06 reads deduction too)


def test_a_declared_row_rule_is_rechecked_when_its_column_changes(
    doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "ROW_RULES", (*engine.ROW_RULES, _deduction_rule(("deduction",))))
    checker = Checker(doc.report)
    doc.subscribe(checker.apply)
    uid = doc.report.projects[0].uid
    assert _deductions(checker, uid) == []
    doc.set_cell(uid, "indicators", 0, "deduction", "2")
    assert _deductions(checker, uid) == ["扣减 2"]
    doc.set_cell(uid, "indicators", 0, "deduction", "")
    assert _deductions(checker, uid) == []
    assert [p.to_json() for p in checker.problems] == [p.to_json() for p in check_report(doc.report)]


def test_a_rule_reading_an_undeclared_column_sees_it_blank(
    doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So it cannot go silently stale: it never sees the value at all (and its test fails)."""
    monkeypatch.setattr(engine, "ROW_RULES", (*engine.ROW_RULES, _deduction_rule(("level3",))))
    uid = doc.report.projects[0].uid
    doc.set_cell(uid, "indicators", 0, "deduction", "2")
    assert _deductions(Checker(doc.report), uid) == []


def test_form_rules_rerun_only_when_a_table_they_read_changes(
    doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[str] = []

    @form_rule(Table.GOALS)
    def goals_only(ctx: FormCtx) -> Iterator[Problem]:
        runs.append(ctx.form.name)
        return iter(())

    monkeypatch.setattr(engine, "FORM_RULES", (*engine.FORM_RULES, goals_only))
    checker = Checker(doc.report)
    doc.subscribe(checker.apply)
    uid = doc.report.projects[0].uid
    runs.clear()
    doc.set_cell(uid, "indicators", 0, "actual", "5")
    assert runs == []
    doc.set_cell(uid, "goals", 0, "achieved", "已完成")
    assert runs == [doc.report.projects[0].name]


def test_declarations_name_real_tables_and_columns() -> None:
    for rule in engine.ROW_RULES:
        assert set(rule.columns) <= set(keys(rule.table)), rule
        assert set(rule.header) <= set(keys(Table.HEADER)), rule
    for form_rule_ in engine.FORM_RULES:
        assert isinstance(form_rule_, FormRule) and form_rule_.tables
    for report_rule_ in engine.REPORT_RULES:
        assert report_rule_.tables
