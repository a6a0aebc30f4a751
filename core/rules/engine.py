"""The checker: every rule over a report, and re-checking only what a change touches.

Problems live in buckets: per form, one list per table row (indicators, goals) and one
for the form as a whole (funds, weights, totals, header, score sheet); plus one bucket
for the report. A change re-fills only the buckets that depend on it.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from core.model import OVERALL, PROJECT, Form, Report
from core.problems import Problem

# Importing a rule module declares its rules (core.rules.base.register): nothing here lists them.
from core.rules import amounts, figures, funds, indicators, report_rules, sheets, submission
from core.rules.base import (
    QUOTED,
    AnyRule,
    FormCtx,
    FormRule,
    JointCount,
    ReportRule,
    RowCount,
    RowRule,
    joint_counts,
    registered,
)
from core.schema import REP, Table
from core.scoring import ExecutionScore, IndicatorSums
from core.templates import Template

if TYPE_CHECKING:
    from core.report import Change

# The order the problems of these modules' rules are listed in (within a module: the order they
# are declared); a rule declared anywhere else — a new module, a test — comes after them.
MODULE_ORDER = tuple(
    m.__name__ for m in (funds, indicators, sheets, report_rules, figures, amounts, submission)
)


@dataclass(frozen=True)
class RuleSet:
    """Every declared rule by kind, in the order its problems are listed."""

    rows: tuple[RowRule, ...]
    forms: tuple[FormRule, ...]
    reports: tuple[ReportRule, ...]
    # What the review's counts call for each row rule with a ``count``: its own, the joint count of the
    # rules counted together (``count_together``) for the first of them, None for the others.
    counters: dict[RowRule, RowCount | None]

    @property
    def row_tables(self) -> tuple[Table, ...]:
        return tuple(dict.fromkeys(r.table for r in self.rows))


def _rank(rule: AnyRule) -> int:
    module = rule.check.__module__
    return MODULE_ORDER.index(module) if module in MODULE_ORDER else len(MODULE_ORDER)


_RULESETS: dict[tuple[tuple[AnyRule, ...], tuple[JointCount, ...]], RuleSet] = {}


def rules() -> RuleSet:
    """The rules the checker runs: every registered one (derived, not a hand-kept list)."""
    declared, joint = registered(), joint_counts()
    found = _RULESETS.get((declared, joint))
    if found is None:
        ordered = sorted(declared, key=_rank)  # stable: declaration order within a module
        rows = tuple(r for r in ordered if isinstance(r, RowRule))
        found = RuleSet(
            rows,
            tuple(r for r in ordered if isinstance(r, FormRule)),
            tuple(r for r in ordered if isinstance(r, ReportRule)),
            _counters(rows, joint),
        )
        _RULESETS.clear()
        _RULESETS[(declared, joint)] = found
    return found


def _counters(rows: tuple[RowRule, ...], joint: tuple[JointCount, ...]) -> dict[RowRule, RowCount | None]:
    """``RuleSet.counters``: a joint count stands for its rules when every one of them is registered
    and none is counted with others already."""
    out: dict[RowRule, RowCount | None] = {r: r.count for r in rows if r.count is not None}
    taken: set[RowRule] = set()
    for together, count in joint:
        if all(r in out for r in together) and taken.isdisjoint(together):
            first = min(together, key=rows.index)
            out.update(dict.fromkeys(together))
            out[first] = count
            taken.update(together)
    return out


# Per form (by ``id``), its execution figures and indicator sums as the count walk found them.
Counted = dict[int, tuple[ExecutionScore, IndicatorSums]]
RowKey = tuple[str, int]
Picked = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]  # places of form, 部门整体 and report rules
Finding = tuple[str, str, str | None]  # rule, message, column
MEMO_LIMIT = 1 << 17  # per rule, form kind and header: a first scan's worker sees ~200 new rows a report


def _kept(old: list[Problem] | None, new: list[Problem]) -> list[Problem]:
    """``new``, each problem ``old`` held already given as that very object. A re-check makes every
    finding afresh, and the window compares a form's problems after each edit (its copy of them, what
    changed, each grid's cells): problems found again then compare by identity, at once."""
    if not old or not new:
        return new
    if new == old:
        return old
    same = {p: p for p in old}
    return [same.get(p, p) for p in new]


class Checker:
    """Keeps the problems of a report up to date as it changes, by the report's template (the
    object resolved when the report was opened or built; a template switch sets ``template``)."""

    def __init__(self, report: Report, template: Template, check: bool = True) -> None:
        """``check=False`` starts with nothing checked: the caller then runs ``check_some`` until it
        returns True (the window checks a big report a few forms per turn of its event loop)."""
        self.report = report
        self._use(template)
        self._rows: dict[int, dict[RowKey, list[Problem]]] = {}
        self._forms: dict[int, list[list[Problem]]] = {}
        self._sorted: list[Problem] | None = None
        self.rules = rules()
        self._report: list[list[Problem]] = [[] for _ in self.rules.reports]
        # Counts re-runs of report rules: a reader of ``report_problems`` whose copy was taken at
        # the same count needs not read them again (an edit of one form's cells re-runs none).
        self.report_version = 0
        self._row_tables = self.rules.row_tables
        self._getters = {
            r: (attrgetter(*r.columns), r.columns.index(r.quoted) if r.quoted else -1)
            for r in self.rules.rows
        }
        # Which form and report rules a change re-runs, by what it changed (``_picked``): each edit
        # asked every rule's declaration again.
        self._picks: dict[tuple[object, ...], Picked] = {}
        self.complete = False
        if check:
            self.full()

    def check_some(self, limit: int) -> bool:
        """Check up to ``limit`` forms not yet checked; after the last, the report rules. Return True
        when the whole report is checked."""
        paused = gc.isenabled()
        gc.disable()
        try:
            for form in [f for f in self.report.forms if id(f) not in self._forms][:limit]:
                self._check_form(form)
            if len(self._forms) < len(self.report.forms):
                return False
            self._report = [list(rule(self.report, self.template)) for rule in self.rules.reports]
            self.report_version += 1
            self._sorted = None
            self.complete = True
            return True
        finally:
            if paused:
                gc.enable()

    # ---- checking ------------------------------------------------------------
    def full(self) -> None:
        """Check everything again (with the cyclic garbage collector paused: it only creates garbage-free
        result objects, and a collection in the middle of 10,000 of them costs more than the check)."""
        paused = gc.isenabled()
        gc.disable()
        try:
            self._rows.clear()
            self._forms.clear()
            for form in self.report.forms:
                self._check_form(form)
            self._report = [list(rule(self.report, self.template)) for rule in self.rules.reports]
            self.report_version += 1
            self._sorted = None
            self.complete = True
        finally:
            if paused:
                gc.enable()

    @property
    def template(self) -> Template:
        return self._template

    @template.setter
    def template(self, template: Template) -> None:
        """Check by ``template`` from now on (the report was switched to it: a Change of its
        ``template`` column then re-checks everything)."""
        if template is not self._template:
            self._use(template)

    def _use(self, template: Template) -> None:
        self._template = template
        self._row_ctxs: dict[tuple[str, tuple[str, ...]], FormCtx] = {}
        # Results of row rules by everything else they declare they read (form kind, header fields,
        # the row's columns), kept on the template: rows repeat across forms, edits and reports.
        self._memo: dict[Hashable, dict[Hashable, tuple[Finding, ...]]] = template.memo_dict("rules.rows")
        # Whether a quoted column's text is plain, per rule (plain() is of the template and the text).
        self._plains: dict[RowRule, dict[str, bool]] = template.memo_dict("rules.plain")  # type: ignore[assignment]

    def _ctx(self, form: Form) -> FormCtx:
        return FormCtx(self.report, self._template, self._template.form(form.kind), form)

    def _row_ctx(self, form: Form, header: tuple[str, ...], values: tuple[str, ...]) -> FormCtx:
        """The context a row rule sees: template, form kind and the header fields it declares."""
        key = (form.kind, values)
        found = self._row_ctxs.get(key)
        if found is None:
            bare = Form(kind=form.kind, uid=0)
            for name, value in zip(header, values, strict=True):
                setattr(bare, name, value)
            report = Report(template=self.template.id, year=0, forms=[bare])
            found = FormCtx(report, self.template, self.template.form(bare.kind), bare)
            self._row_ctxs[key] = found
        return found

    def _row_keys(
        self, form: Form, rule: RowRule, rows: Iterable[int]
    ) -> Iterator[tuple[int, tuple[object, ...], str, dict[Hashable, tuple[Finding, ...]], Hashable]]:
        """For each of ``rows`` of ``form``: (row, the values ``rule`` reads, the quoted text ("" when
        not stood in for), the memo its results are kept in and their key there).

        A row rule's results are memoised by exactly what it declares it reads: per rule, form kind
        and declared header fields one dict, keyed by the row's declared values (and its number when
        the rule is ``indexed``); a quoted column whose text is ``plain`` is stood in for by QUOTED,
        so rows differing only there share a result (their rule ids and cells are the same; a message
        gets its text back where QUOTED stands, see ``_row_problems``)."""
        getter, quoted_at = self._getters[rule]
        head = tuple(str(getattr(form, h)) for h in rule.header)
        memo_key = (rule, form.kind, head)
        memo = self._memo.get(memo_key)
        if memo is None:
            memo = self._memo[memo_key] = {}
        table = form.rows(rule.table)
        single, indexed = len(rule.columns) == 1, rule.indexed
        stand_in = quoted_at >= 0 and rule.plain is not None
        for i in rows:
            got = getter(table[i])
            values: tuple[object, ...] = (got,) if single else got
            quoted = ""
            if stand_in:
                quoted, values = self._stand_in(rule, values, quoted_at)
            yield i, values, quoted, memo, ((values, i) if indexed else values)

    def _stand_in(
        self, rule: RowRule, values: tuple[object, ...], quoted_at: int
    ) -> tuple[str, tuple[object, ...]]:
        """``values`` with the quoted column's text stood in for by QUOTED when it is ``plain`` (the
        text, and the values the memo keys by)."""
        text = str(values[quoted_at])
        plains = self._plains.setdefault(rule, {})
        is_plain = plains.get(text)
        if is_plain is None:
            if len(plains) >= MEMO_LIMIT:
                plains.clear()
            is_plain = plains[text] = rule.plain(self._template, text)  # type: ignore[misc]
        if is_plain:
            return text, (*values[:quoted_at], QUOTED, *values[quoted_at + 1 :])
        return "", values

    def _run(self, form: Form, rule: RowRule, i: int, values: tuple[object, ...]) -> tuple[Finding, ...]:
        """Run ``rule`` on row ``i`` of ``form`` as a copy holding only ``values`` of what it reads."""
        head = tuple(str(getattr(form, h)) for h in rule.header)
        bare = type(form.rows(rule.table)[i])(**dict(zip(rule.columns, values, strict=True)))
        row_ctx = self._row_ctx(form, rule.header, head)
        return tuple((p.rule, p.message, p.column) for p in rule(row_ctx, i if rule.indexed else 0, bare))

    def _findings(
        self,
        form: Form,
        rule: RowRule,
        i: int,
        values: tuple[object, ...],
        memo: dict[Hashable, Any],
        key: Hashable,
    ) -> tuple[Finding, ...]:
        """Run ``rule`` on row ``i`` (not in ``memo``) and remember its findings."""
        found = self._run(form, rule, i, values)
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = found
        return found

    def _row_problems(
        self, ctx: FormCtx, rule: RowRule, rows: Iterable[int]
    ) -> Iterator[tuple[int, list[Problem]]]:
        """Run one row rule on ``rows`` of the context's form: (row, its problems) of each."""
        form = ctx.form
        for i, values, quoted, memo, key in self._row_keys(form, rule, rows):
            if quoted and "".join(map(str, values)).count(QUOTED) > 1:
                # Another cell holds the stand-in character itself: its messages could not tell the two
                # apart, so this row is run as it is (its counts are those of the shared result).
                at = self._getters[rule][1]
                found, quoted = self._run(form, rule, i, (*values[:at], quoted, *values[at + 1 :])), ""
            else:
                hit = memo.get(key)
                found = self._findings(form, rule, i, values, memo, key) if hit is None else hit
            if quoted:
                yield i, [ctx.problem(r, m.replace(QUOTED, quoted), rule.table, i, c) for r, m, c in found]
            else:
                yield i, [ctx.problem(r, m, rule.table, i, c) for r, m, c in found]

    def _check_row(self, ctx: FormCtx, table: str, i: int) -> list[Problem]:
        out: list[Problem] = []
        for rule in self.rules.rows:
            if rule.table == table:
                for _i, found in self._row_problems(ctx, rule, (i,)):
                    out += found
        return out

    def _check_form(self, form: Form) -> None:
        ctx = self._ctx(form)
        per_row: dict[Table, list[list[Problem]]] = {t: [[] for _ in form.rows(t)] for t in self._row_tables}
        for rule in self.rules.rows:
            found_in = per_row[rule.table]
            for i, found in self._row_problems(ctx, rule, range(len(found_in))):
                if found:
                    found_in[i] += found
        self._rows[id(form)] = {
            (table, i): found for table, lists in per_row.items() for i, found in enumerate(lists) if found
        }
        self._forms[id(form)] = [list(rule(ctx)) for rule in self.rules.forms]

    def _check_rows(self, form: Form, table: str, rows: tuple[int, ...] | range) -> None:
        ctx = self._ctx(form)
        bucket = self._rows.setdefault(id(form), {})
        for i in rows:
            if 0 <= i < len(form.rows(table)):
                bucket[(table, i)] = _kept(bucket.get((table, i)), self._check_row(ctx, table, i))

    def _rerun_form(self, form: Form, wanted: Callable[[FormRule], bool]) -> None:
        """Re-run the form rules of ``form`` that ``wanted`` picks."""
        self._rerun_picked(form, [k for k, rule in enumerate(self.rules.forms) if wanted(rule)])

    def _rerun_picked(self, form: Form, picked: Iterable[int]) -> None:
        """Re-run the form rules of ``form`` at the places ``picked`` (all of them when the form was
        never checked)."""
        ctx = self._ctx(form)
        results = self._forms.get(id(form))
        if results is None:
            self._check_form(form)
            return
        rules = self.rules.forms
        for k in picked:
            results[k] = _kept(results[k], list(rules[k](ctx)))

    def _rerun_report(self, wanted: Callable[[ReportRule], bool]) -> None:
        self._rerun_report_picked([k for k, rule in enumerate(self.rules.reports) if wanted(rule)])

    def _rerun_report_picked(self, picked: Iterable[int]) -> None:
        rules = self.rules.reports
        for k in picked:
            self._report[k] = list(rules[k](self.report, self.template))
            self.report_version += 1

    def _picked(self, change: Change, is_overall: bool) -> Picked:
        """The places of the rules a cell change of a form re-runs, as ``apply`` picks them: the form's
        own rules that read the changed columns, the 部门整体's that read the projects' changed table,
        the report's that read it. Worked out once per kind of change (they depend only on the table,
        the columns, whether rows came or went and whether the form is the 部门整体)."""
        key = (change.table, change.columns, change.structural, is_overall)
        found = self._picks.get(key)
        if found is not None:
            return found
        table, structural = Table(change.table), change.structural
        own = tuple(k for k, r in enumerate(self.rules.forms) if r.reads(table, change.columns))
        overall = tuple(
            k
            for k, r in enumerate(self.rules.forms)
            if bool(r.projects) and (structural or table in r.projects)
        )
        report = tuple(
            k
            for k, r in enumerate(self.rules.reports)
            if table in r.tables or (is_overall and (structural or table in r.overall))
        )
        if len(self._picks) >= 256:
            self._picks.clear()
        found = self._picks[key] = (own, overall, report)
        return found

    def apply(self, change: Change) -> None:
        """Re-check only the rules that read what ``change`` touched (their declarations say)."""
        self._sorted = None
        table = Table(change.table)
        if table == Table.FORMS:
            self._apply_forms()
            return
        if change.form is None:
            if REP.template in change.columns:
                self.full()
            else:
                self._rerun_report(lambda r: table in r.tables)
            return
        form = self.report.form_by_uid(change.form)
        own, of_projects, of_report = self._picked(change, form.kind == OVERALL)
        if change.structural or table == Table.HEADER:
            self._check_form(form)  # every problem carries the form's name: a header edit redoes them all
        else:
            if table in self._row_tables:
                self._check_rows(form, table, change.rows or range(len(form.rows(table))))
            self._rerun_picked(form, own)  # the rules that read the changed columns
        overall = self.report.overall
        if form.kind == PROJECT and overall is not None and overall.score_sheet:
            self._rerun_picked(overall, of_projects)  # those of the 部门整体 that read the projects' table
        self._rerun_report_picked(of_report)

    def _apply_forms(self) -> None:
        keys = {id(f) for f in self.report.forms}
        for gone in set(self._forms) - keys:
            self._forms.pop(gone, None)
            self._rows.pop(gone, None)
        for form in self.report.forms:
            if id(form) not in self._forms:
                self._check_form(form)
        overall = self.report.overall
        if overall is not None:
            self._rerun_form(overall, lambda r: True)
        self._rerun_report(lambda r: True)

    def rule_counts(self, figures: Counted | None = None) -> dict[int | None, Counter[str]]:
        """How many problems each rule finds, per form uid (None: the report's own problems): exactly
        what ``full`` and ``problems`` give, counted, without keeping any problem: the review list's
        counts of 1,000 reports need only the numbers. A row rule with a ``count`` gives the rule ids
        of a whole table of the form at once, straight from its rows (no memo: the rows of a real set
        of reports rarely repeat, so keying each row costs more than it saves; rules declared to be
        counted together, ``base.count_together``, by one walk of the rows for them all); one without is
        counted through its findings, from the same memo ``full`` uses. A form rule with a ``count``
        gives its rule ids without making its problems or their messages, and one that no form of the
        report breaks (its ``clean``, asked once) is not run on any form.

        ``figures``: a dict given the execution figures and indicator sums of each form whose rows the
        count walked (by ``id`` of the form: what ``figures.quick_figures`` works out of it again
        otherwise, ``FormCtx.kept_sums``)."""
        paused = gc.isenabled()
        gc.disable()
        try:
            out: dict[int | None, Counter[str]] = {}
            counters = self.rules.counters
            # form rules that no form of this report breaks, found once for the whole report
            clean = {
                r for r in self.rules.forms if r.clean is not None and r.clean(self.report, self.template)
            }
            for form in self.report.forms:
                ctx = self._ctx(form)
                rules: list[str] = []
                for rule in self.rules.rows:
                    if rule.count is not None:  # rule ids straight from the form's rows, no memo
                        count = counters[rule]  # None: counted together with an earlier rule
                        if count is not None:
                            table_rows = form.rows(rule.table)
                            if table_rows:
                                rules += count(ctx, table_rows)
                        continue
                    for i, values, _quoted, memo, key in self._row_keys(
                        form, rule, range(len(form.rows(rule.table)))
                    ):
                        found = memo.get(key)
                        if found is None:
                            found = self._findings(form, rule, i, values, memo, key)
                        if found:
                            rules += [r for r, _m, _c in found]
                for form_rule in self.rules.forms:
                    if form_rule in clean:
                        continue
                    if form_rule.count is not None:  # rule ids without a Problem or its message
                        rules += form_rule.count(ctx)
                    else:  # its check called as FormRule.__call__ calls it (a frame a rule and form less)
                        rules += [p.rule for p in form_rule.check(ctx)]
                if figures is not None:
                    sums = ctx.kept_sums
                    if sums is not None:
                        figures[id(form)] = (ctx.execution, sums)
                found_in = out.get(form.uid)
                if found_in is None:
                    out[form.uid] = Counter(rules)
                else:  # forms of one uid (never in a stored report) add up
                    found_in.update(rules)
            for report_rule in self.rules.reports:
                for p in report_rule.check(self.report, self.template):
                    out.setdefault(p.form_uid, Counter())[p.rule] += 1
            return out
        finally:
            if paused:
                gc.enable()

    # ---- reading -------------------------------------------------------------
    def _form_list(self, form: Form) -> list[Problem]:
        out = [p for found in self._forms.get(id(form), []) for p in found]
        for found in self._rows.get(id(form), {}).values():
            out += found
        return out

    def _uid_list(self, uid: int) -> list[Problem]:
        out = [p for found in self._report for p in found if p.form_uid == uid]
        for form in self.report.forms:
            if form.uid == uid:
                out += self._form_list(form)
        return out

    def report_problems(self) -> list[Problem]:
        """The report rules' problems (some point into a form), in rule order, unsorted."""
        return [p for found in self._report for p in found]

    def own_problems(self, form: Form) -> list[Problem]:
        """The problems of one form's own rules and rows, unsorted (the window keeps these per form
        so that an edit re-reads one form, not the whole report)."""
        return self._form_list(form)

    @property
    def problems(self) -> list[Problem]:
        """Every problem, errors first."""
        if self._sorted is None:
            out = [p for found in self._report for p in found]
            for form in self.report.forms:
                out += self._form_list(form)
            self._sorted = sorted(out, key=lambda p: p.sort_key())
        return self._sorted

    def problems_for_form(self, uid: int) -> list[Problem]:
        """Problems of one form (including report rules that point into it), errors first."""
        return sorted(self._uid_list(uid), key=lambda p: p.sort_key())

    def problems_at(self, uid: int | None, table: str, row: int | None, column: str | None) -> list[Problem]:
        """Problems pointing at one cell (row/column None = the whole row/table)."""
        pool = [p for found in self._report for p in found] if uid is None else self._uid_list(uid)
        return [
            p
            for p in pool
            if p.table == table and (row is None or p.row == row) and (column is None or p.column == column)
        ]

    def counts(self) -> dict[str, int]:
        """Return {"error": n, "warning": n, "info": n}."""
        out = {"error": 0, "warning": 0, "info": 0}
        for p in self.problems:
            out[p.severity] += 1
        return out
