"""What every rule function gets: the report, its template and one form."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any, TypeVar

from core import schema
from core.model import Form, Report
from core.numbers import fmt
from core.problems import Problem
from core.rules.catalogue import group, severity
from core.schema import Table
from core.scoring import ExecutionScore, IndicatorSums, execution_figures
from core.templates import FormSpec, Template

_weight_cell = attrgetter(schema.IND.weight)
OPERATORS = {"≥": "<", ">": "≤", "≤": ">", "<": "≥", "=": "≠"}


@dataclass(frozen=True)
class FormCtx:
    report: Report
    template: Template
    spec: FormSpec
    form: Form

    @property
    def execution(self) -> ExecutionScore:
        """The form's 执行率, its score and 分值 (``scoring.execution_figures``: no reason), worked out
        once for the rules of one check of the form (three read it: it was worked out for each). Kept
        in the instance's dict by hand: functools.cached_property takes a lock on every first read."""
        found: ExecutionScore | None = self.__dict__.get("_execution")
        if found is None:
            found = self.__dict__["_execution"] = execution_figures(self.form, self.spec)
        return found

    def weights(self) -> tuple[str, ...]:
        """The 分值 of the form's indicator rows as typed, in order: made once a check of the form (two
        counted rules key their memos by them: check_weights and the 一体化 二级 weights)."""
        found: tuple[str, ...] | None = self.__dict__.get("_weights")
        if found is None:
            found = self.__dict__["_weights"] = tuple(map(_weight_cell, self.form.indicators))
        return found

    def keep_sums(self, sums: IndicatorSums) -> None:
        """Keep what ``scoring.indicator_sums`` gives of the form's indicator rows (the review list's
        count walk works it out as it goes: ``Checker.rule_counts`` hands it to the figures)."""
        self.__dict__["_sums"] = sums

    @property
    def kept_sums(self) -> IndicatorSums | None:
        """The sums ``keep_sums`` kept (None: none worked out)."""
        found: IndicatorSums | None = self.__dict__.get("_sums")
        return found

    def problem(
        self, rule: str, message: str, table: Table, row: int | None = None, column: str | None = None
    ) -> Problem:
        """Return a Problem of ``rule`` pointing at a cell of this form."""
        return Problem(
            rule, severity(rule), message, self.form.uid, self.form.name, table, row, column, group(rule)
        )


def report_problem(
    rule: str, message: str, table: Table = Table.REPORT, row: int | None = None, column: str | None = None
) -> Problem:
    """Return a report-level Problem."""
    return Problem(rule, severity(rule), message, None, "", table, row, column, group(rule))


def money(value: Decimal | None) -> str:
    """Print an amount for a message ("101.17", "0"; blank as 空)."""
    return "空" if value is None else fmt(value)


# ---- what rules read ------------------------------------------------------------
# Every rule is declared with what it reads; the checker (core.rules.engine) caches and
# re-runs rules from these declarations only. A row rule sees a copy of its row holding
# only the columns it declares and a form holding only the header fields it declares, so
# a rule that reads something undeclared finds it blank (and its tests fail) instead of
# going silently stale.

QUOTED = "\ue000"  # stands in for a quoted column's text in cached results (a private-use character)

RowCheck = Callable[[FormCtx, int, Any], Iterable[Problem]]
FormCheck = Callable[[FormCtx], Iterable[Problem]]
ReportCheck = Callable[[Report, Template], Iterable[Problem]]
RowCount = Callable[[FormCtx, Sequence[Any]], list[str]]
FormCount = Callable[[FormCtx], list[str]]
ReportClean = Callable[[Report, Template], bool]


@dataclass(frozen=True, eq=False)
class RowRule:
    """Rules over one row of ``table``, reading only ``columns`` of that row, the
    template, the form's kind and the ``header`` fields of its form.

    ``indexed``: the messages use the row number (else results are shared between rows).
    ``quoted``/``plain``: a column the rule only quotes in messages when
    ``plain(template, text)`` is true, so rows that differ only there share one result.
    ``count``: the rule ids ``check`` finds on every row of a form's ``table`` (given the context and
    the table's rows, it reads only what the rule declares), one id per problem, without making any
    Problem: the review list's counts (tests compare).
    """

    check: RowCheck
    table: Table
    columns: tuple[str, ...]
    header: tuple[str, ...] = ()
    indexed: bool = False
    quoted: str = ""
    plain: Callable[[Template, str], bool] | None = None
    count: RowCount | None = None

    def __call__(self, ctx: FormCtx, i: int, row: Any) -> Iterable[Problem]:
        return self.check(ctx, i, row)


@dataclass(frozen=True, eq=False)
class FormRule:
    """Rules over one form, reading the ``tables`` of that form (HEADER = its header fields
    and sign-off) and, for the overall form, the ``projects`` tables of every project form.

    ``columns``: of a table named there, the only columns the rule reads (a table not named: all of
    them); an edit of other columns of that table does not re-run it (tests/core/test_rule_reads.py
    changes every column not declared and expects the same findings).

    ``count``: the rule ids ``check`` finds on the form, one per problem, without making any Problem
    or its message (the review list's counts of 1,000 reports; tests compare the two on seeds,
    randomly changed seeds and generated forms).

    ``clean``: given the report and its template, True only when no form of the report has a problem
    of this rule (asked once a report by the review list's counts, which then count none for every
    form: one look over the whole report's cells instead of one over each form's)."""

    check: FormCheck
    tables: frozenset[Table]
    projects: frozenset[Table] = field(default_factory=frozenset)
    columns: Mapping[Table, frozenset[str]] = field(default_factory=dict)
    count: FormCount | None = None
    clean: ReportClean | None = None

    def __call__(self, ctx: FormCtx) -> Iterable[Problem]:
        return self.check(ctx)

    def reads(self, table: Table, columns: Iterable[str] = ()) -> bool:
        """True when a change of ``columns`` of the form's ``table`` (none named: any of them) can
        change what this rule finds."""
        if table not in self.tables:
            return False
        only = self.columns.get(table)
        return only is None or not columns or not only.isdisjoint(columns)


@dataclass(frozen=True, eq=False)
class ReportRule:
    """Rules over the whole report, reading ``tables`` (report-level ones, or a form table
    of any form) and the ``overall`` tables of the overall form."""

    check: ReportCheck
    tables: frozenset[Table]
    overall: frozenset[Table] = field(default_factory=frozenset)

    def __call__(self, report: Report, template: Template) -> Iterable[Problem]:
        return self.check(report, template)


def row_rule(
    table: Table,
    columns: Iterable[str],
    header: Iterable[str] = (),
    indexed: bool = False,
    quoted: str = "",
    plain: Callable[[Template, str], bool] | None = None,
    count: RowCount | None = None,
) -> Callable[[RowCheck], RowRule]:
    """Declare a row rule: ``@row_rule(Table.GOALS, (GOAL.goal, GOAL.achieved))``."""
    cols, head = tuple(columns), tuple(header)
    return lambda check: register(RowRule(check, table, cols, head, indexed, quoted, plain, count))


def form_rule(
    *tables: Table,
    projects: Iterable[Table] = (),
    columns: Mapping[Table, Iterable[str]] | None = None,
    count: FormCount | None = None,
    clean: ReportClean | None = None,
) -> Callable[[FormCheck], FormRule]:
    """Declare a form rule: ``@form_rule(Table.FUNDS, Table.HEADER)``; with
    ``columns={Table.INDICATORS: (IND.level1, IND.weight)}`` it reads only those of that table;
    ``count``: its rule ids without its problems (``FormRule.count``); ``clean``: whether a whole
    report has none of its problems (``FormRule.clean``)."""
    only = {Table(t): frozenset(c) for t, c in (columns or {}).items()}
    for table, keys in only.items():
        unknown = keys - set(schema.keys(table))
        if table not in tables or unknown:
            raise ValueError(f"form rule declares columns of {table} it cannot read: {sorted(unknown)}")
    return lambda check: register(FormRule(check, frozenset(tables), frozenset(projects), only, count, clean))


def report_rule(*tables: Table, overall: Iterable[Table] = ()) -> Callable[[ReportCheck], ReportRule]:
    """Declare a report rule: ``@report_rule(Table.NARRATIVE, overall=(Table.FUNDS,))``."""
    return lambda check: register(ReportRule(check, frozenset(tables), frozenset(overall)))


# ---- the rules there are ----------------------------------------------------------
# Declaring a rule registers it: the checker runs every registered rule (core.rules.engine
# orders them), so adding a rule is its decorated function plus its catalogue entry.

AnyRule = RowRule | FormRule | ReportRule
R = TypeVar("R", RowRule, FormRule, ReportRule)
_REGISTERED: list[AnyRule] = []


def register(rule: R) -> R:
    """Add ``rule`` to the rules the checker runs (the decorators above call this)."""
    _REGISTERED.append(rule)
    return rule


def unregister(rule: AnyRule) -> None:
    """Drop a rule again (a test's temporary rule)."""
    _REGISTERED.remove(rule)


def registered() -> tuple[AnyRule, ...]:
    """Every declared rule, in the order they were declared."""
    return tuple(_REGISTERED)


JointCount = tuple[tuple[RowRule, ...], RowCount]
_JOINT: list[JointCount] = []


def count_together(rules: tuple[RowRule, ...], count: RowCount) -> None:
    """Declare that ``count`` gives at once what the ``count`` of each of ``rules`` (row rules of one
    table) gives, all their rule ids together: the review list's counts then walk a form's rows once
    for them all, not once a rule (where every one of them is registered; tests compare the two)."""
    if len({r.table for r in rules}) != 1 or any(r.count is None for r in rules):
        raise ValueError("rules counted together are counted row rules of one table")
    _JOINT.append((rules, count))


def joint_counts() -> tuple[JointCount, ...]:
    """Every ``count_together`` declaration, in the order they were made."""
    return tuple(_JOINT)
