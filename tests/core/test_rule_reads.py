"""Rules declare what they read; the checker caches and re-checks from those declarations only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.model import Indicator
from core.problems import WARNING, Problem
from core.report import Document
from core.rules import Checker, catalogue, check_report, engine
from core.rules.base import FormCtx, FormRule, RowRule, form_rule, registered, row_rule, unregister
from core.rules.catalogue import Rule
from core.schema import Table, keys


def _deduction_rule(columns: tuple[str, ...]) -> RowRule:
    @row_rule(Table.INDICATORS, columns=columns)
    def check(ctx: FormCtx, i: int, ind: Indicator) -> Iterator[Problem]:
        if ind.deduction.strip():
            yield ctx.problem("V04", f"扣减 {ind.deduction}", Table.INDICATORS, i, "deduction")

    return check


@pytest.fixture(autouse=True)
def _scratch_rules() -> Iterator[None]:
    """A rule a test declares is registered for that test only."""
    before = set(registered())
    yield
    for rule in registered():
        if rule not in before:
            unregister(rule)


@pytest.fixture
def doc(seed_zpdb) -> Iterator[Document]:  # type: ignore[no-untyped-def]
    doc = Document.open(seed_zpdb("seed004_yiyang"))
    yield doc
    doc.close()


def _deductions(checker: Checker, uid: int) -> list[str]:
    found = checker.problems_at(uid, "indicators", 0, "deduction")
    return [p.message for p in found if p.rule == "V04"]  # the toy rule's (P06 reads deduction too)


def test_a_declared_row_rule_is_rechecked_when_its_column_changes(doc: Document) -> None:
    _deduction_rule(("deduction",))
    checker = Checker(doc.report, doc.template)
    doc.subscribe(checker.apply)
    uid = doc.report.projects[0].uid
    assert _deductions(checker, uid) == []
    doc.set_cell(uid, "indicators", 0, "deduction", "2")
    assert _deductions(checker, uid) == ["扣减 2"]
    doc.set_cell(uid, "indicators", 0, "deduction", "")
    assert _deductions(checker, uid) == []
    assert [p.to_json() for p in checker.problems] == [
        p.to_json() for p in check_report(doc.report, doc.template)
    ]


def test_a_rule_reading_an_undeclared_column_sees_it_blank(doc: Document) -> None:
    """So it cannot go silently stale: it never sees the value at all (and its test fails)."""
    _deduction_rule(("level3",))
    uid = doc.report.projects[0].uid
    doc.set_cell(uid, "indicators", 0, "deduction", "2")
    assert _deductions(Checker(doc.report, doc.template), uid) == []


def test_form_rules_rerun_only_when_a_table_they_read_changes(doc: Document) -> None:
    runs: list[str] = []

    @form_rule(Table.GOALS)
    def goals_only(ctx: FormCtx) -> Iterator[Problem]:
        runs.append(ctx.form.name)
        return iter(())

    checker = Checker(doc.report, doc.template)
    doc.subscribe(checker.apply)
    uid = doc.report.projects[0].uid
    runs.clear()
    doc.set_cell(uid, "indicators", 0, "actual", "5")
    assert runs == []
    doc.set_cell(uid, "goals", 0, "achieved", "已完成")
    assert runs == [doc.report.projects[0].name]


def test_declarations_name_real_tables_and_columns() -> None:
    rules = engine.rules()
    assert len(rules.rows) >= 3 and len(rules.forms) >= 9 and len(rules.reports) >= 6
    for rule in rules.rows:
        assert set(rule.columns) <= set(keys(rule.table)), rule
        assert set(rule.header) <= set(keys(Table.HEADER)), rule
    for form_rule_ in rules.forms:
        assert isinstance(form_rule_, FormRule) and form_rule_.tables
    for report_rule_ in rules.reports:
        assert report_rule_.tables


def test_a_new_rule_is_one_function_and_one_catalogue_entry(
    doc: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Declared here (engine.py untouched): it is checked, cached by the one column it declares it
    reads, re-checked when that column changes and not when another one does."""
    monkeypatch.setitem(catalogue.RULES, "T01", Rule("T01", WARNING, "扣减分数已填写", "扣减 2"))
    seen: list[str] = []

    @row_rule(Table.INDICATORS, columns=("deduction",))
    def deducted(ctx: FormCtx, i: int, ind: Indicator) -> Iterator[Problem]:
        seen.append(ind.deduction)
        if ind.deduction.strip():
            yield ctx.problem("T01", f"扣减 {ind.deduction}", Table.INDICATORS, i, "deduction")

    assert deducted in engine.rules().rows
    checker = Checker(doc.report, doc.template)
    doc.subscribe(checker.apply)
    kinds = {form.kind for form in doc.report.forms if form.indicators}
    rows = sum(len(form.indicators) for form in doc.report.forms)
    assert seen == [""] * len(kinds) and rows > len(kinds)  # one run per distinct thing it reads
    uid = doc.report.projects[0].uid

    def t01() -> list[tuple[int | None, str | None, str, str]]:
        return [(p.row, p.column, p.severity, p.message) for p in checker.problems if p.rule == "T01"]

    doc.set_cell(uid, "indicators", 0, "actual", "5")  # not what it reads: nothing re-run
    doc.set_cell(uid, "indicators", 0, "target", "≥1")
    assert len(seen) == len(kinds) and t01() == []
    doc.set_cell(uid, "indicators", 0, "deduction", "2")  # what it reads: re-checked
    assert seen[len(kinds) :] == ["2"]
    assert t01() == [(0, "deduction", WARNING, "扣减 2")]
    doc.set_cell(uid, "indicators", 1, "deduction", "2")  # the same values: the cached result
    assert seen[len(kinds) :] == ["2"]
    assert t01() == [(0, "deduction", WARNING, "扣减 2"), (1, "deduction", WARNING, "扣减 2")]
    doc.set_cell(uid, "indicators", 0, "deduction", "")
    assert t01() == [(1, "deduction", WARNING, "扣减 2")]
    assert [p.to_json() for p in checker.problems] == [
        p.to_json() for p in check_report(doc.report, doc.template)
    ]


def test_a_form_rule_declaring_columns_reruns_only_when_one_of_them_changes(doc: Document) -> None:
    runs: list[str] = []

    @form_rule(Table.INDICATORS, columns={Table.INDICATORS: ("weight",)})
    def weights_only(ctx: FormCtx) -> Iterator[Problem]:
        runs.append(ctx.form.indicators[0].weight)
        return iter(())

    checker = Checker(doc.report, doc.template)
    doc.subscribe(checker.apply)
    uid = doc.report.projects[0].uid
    runs.clear()
    doc.set_cell(uid, "indicators", 0, "actual", "5")
    doc.set_cell(uid, "indicators", 0, "deviation_note", "原因")
    assert runs == []
    doc.set_cell(uid, "indicators", 0, "weight", "7")
    assert runs == ["7"]
    doc.insert_rows(uid, "indicators", 1)  # rows added: every rule of the form again
    assert len(runs) == 2


def test_an_edit_of_a_column_a_form_rule_reads_still_changes_its_finding(doc: Document) -> None:
    """check_weights reads 分值: the 指标分值合计 finding (V06) comes and goes with it; an edit of
    实际完成值, which it does not read, leaves it as it was."""
    checker = Checker(doc.report, doc.template)
    doc.subscribe(checker.apply)
    form = next(f for f in doc.report.projects if f.indicators and f.indicators[0].weight.strip())
    weight = form.indicators[0].weight

    def v06() -> list[str]:
        return [p.message for p in checker.problems_for_form(form.uid) if p.rule == "V06"]

    assert v06() == []
    doc.set_cell(form.uid, "indicators", 0, "weight", str(int(float(weight)) + 5))
    assert len(v06()) == 1 and "应为" in v06()[0]
    doc.set_cell(form.uid, "indicators", 0, "actual", "12")
    assert len(v06()) == 1
    doc.set_cell(form.uid, "indicators", 0, "weight", weight)
    assert v06() == []
    assert [p.to_json() for p in checker.problems] == [
        p.to_json() for p in check_report(doc.report, doc.template)
    ]


@pytest.mark.parametrize("seed", ["seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"])
def test_form_rules_read_no_column_they_do_not_declare(seed_zpdb, seed: str) -> None:  # type: ignore[no-untyped-def]
    """Each form rule declaring the columns it reads of a table is run on every form of the seeds with
    that table's rows recording which of their columns are read: only declared ones are (so the checker
    may skip the rule when another column changes)."""
    import copy

    from core.rules.base import FormCtx as Ctx

    doc = Document.open(seed_zpdb(seed))
    try:
        doc.report.load_rows()
        template = doc.template
        runs = 0
        for rule in engine.rules().forms:
            for table, only in rule.columns.items():
                names = set(keys(table))
                for form in doc.report.forms:
                    rows = form.rows(table)
                    if not rows:
                        continue
                    seen: set[str] = set()

                    class Recording(type(rows[0])):  # type: ignore[misc]
                        def __getattribute__(self, name: str) -> object:
                            if name in names:  # noqa: B023 - run before the loop moves on
                                seen.add(name)  # noqa: B023 - run before the loop moves on
                            return object.__getattribute__(self, name)

                    saved = list(rows)
                    recording = [copy.copy(r) for r in rows]
                    for r in recording:
                        r.__class__ = Recording
                    rows[:] = recording
                    try:
                        list(rule(Ctx(doc.report, template, template.form(form.kind), form)))
                    finally:
                        rows[:] = saved
                    assert seen <= only, (rule.check.__name__, form.name, sorted(seen - only))
                    runs += 1
        assert runs >= 5
    finally:
        doc.close()
