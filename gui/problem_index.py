"""The window's copy of the checker's problems, kept per form and updated by difference.

An edit re-checks one form; the panels (grids, tree badges, problem list, status bar) then look
only at the forms whose problems changed (``ProblemDelta``) instead of re-reading and re-sorting
every problem of the report: at 1,000 projects that is 80,000 problems per keystroke.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.problems import SEVERITIES, Problem

if TYPE_CHECKING:
    from core.model import Form, Report
    from core.rules import Checker

Key = int | None  # a form's uid; None for the report's own problems (narrative, sign-off, basic data)
Found = tuple[Problem, ...]


def differing(old: Sequence[Problem], new: Sequence[Problem]) -> tuple[Sequence[Problem], Sequence[Problem]]:
    """``old`` and ``new`` without the problems they start and end with alike: a re-check lists a
    form's problems in the same order, an edit changing one or two of them (two Counters of every
    problem of the form hashed each of them, field by field, on every keystroke)."""
    first, most = 0, min(len(old), len(new))
    while first < most and (old[first] is new[first] or old[first] == new[first]):
        first += 1
    last = 0
    while last < most - first and (old[-1 - last] is new[-1 - last] or old[-1 - last] == new[-1 - last]):
        last += 1
    return old[first : len(old) - last], new[first : len(new) - last]


@dataclass
class ProblemDelta:
    """What the last re-check changed.

    ``everything``: a new set altogether (another report, a full check, forms added or removed);
    ``changed``: uid (None = the report) -> (old problems, new problems) for lists that differ;
    ``touched``: forms whose cells changed (their score may differ though their problems did not);
    None means all of them.
    """

    everything: bool = True
    changed: dict[Key, tuple[Found, Found]] = field(default_factory=dict)
    touched: set[int] | None = None
    _tables: dict[Key, set[str]] = field(default_factory=dict)  # of ``changed``: the tables they point into
    _middles: dict[Key, tuple[Sequence[Problem], Sequence[Problem]]] = field(default_factory=dict)

    def concerns(self, uid: Key, table: str | None = None) -> bool:
        """Return True when the problems of ``uid`` (pointing into its ``table``, when named) may
        have changed."""
        if self.everything:
            return True
        found = self.changed.get(uid)
        if found is None:
            return False
        if table is None:
            return True
        tables = self._tables.get(uid)
        if tables is None:
            # the lists' differing middles only: hashing each of a form's problems, field by field,
            # for every grid on every keystroke was most of this
            left, right = self.middles(uid)
            tables = self._tables[uid] = {p.table for p in set(left).symmetric_difference(right)}
        return table in tables

    def middles(self, uid: Key) -> tuple[Sequence[Problem], Sequence[Problem]]:
        """The problems of ``uid`` before and after that differ (``differing``; none when unchanged)."""
        found = self._middles.get(uid)
        if found is None:
            old, new = self.changed.get(uid, ((), ()))
            found = self._middles[uid] = differing(old, new)
        return found

    def cells(self, uid: Key, table: str) -> set[tuple[int, str]] | None:
        """The (row, column) cells of ``table`` of form ``uid`` whose problems may have changed: those
        the differing problems point at, before or after (None: any of them, a new set altogether)."""
        if self.everything:
            return None
        left, right = self.middles(uid)
        return {
            (p.row, p.column)
            for found in (left, right)
            for p in found
            if p.table == table and p.row is not None and p.column is not None
        }

    def touches(self, uid: int) -> bool:
        """Return True when the cells (so the score) of ``uid`` may have changed."""
        return self.everything or self.touched is None or uid in self.touched

    def then(self, later: ProblemDelta) -> ProblemDelta:
        """This delta followed by ``later``, as one: each list from what it was before the first to
        what it is after the last (a panel told once after several re-checks)."""
        if self.everything or later.everything:
            return ProblemDelta(everything=True)
        changed = dict(self.changed)
        for uid, (old, new) in later.changed.items():
            first = changed[uid][0] if uid in changed else old
            if first == new:
                changed.pop(uid, None)  # back as it was: nothing to show
            else:
                changed[uid] = (first, new)
        touched = None if self.touched is None or later.touched is None else self.touched | later.touched
        return ProblemDelta(everything=False, changed=changed, touched=touched)


class ProblemIndex:
    """Problems per form (report rules' problems that point into a form count as the form's)."""

    def __init__(self) -> None:
        self.by_uid: dict[Key, Found] = {}
        self.counts = dict.fromkeys(SEVERITIES, 0)
        self._pointing: dict[Key, Found] = {}  # what the report rules pointed into each form last time
        self._version = -1  # the checker's report_version when ``_pointing`` was read
        self._forms: dict[int, Form] = {}  # uid -> form, as of the last full read

    def of(self, uid: Key) -> Found:
        return self.by_uid.get(uid, ())

    def clear(self) -> ProblemDelta:
        self.by_uid = {}
        self.counts = dict.fromkeys(SEVERITIES, 0)
        self._pointing = {}
        self._version = -1
        self._forms = {}
        return ProblemDelta(everything=True)

    def rebuild(self, checker: Checker, report: Report) -> ProblemDelta:
        """Read every form again (a new report, a full check)."""
        self.clear()
        self._read(checker, report, [f.uid for f in report.forms], None)
        return ProblemDelta(everything=True)

    def update(
        self, checker: Checker, report: Report, uids: Iterable[int], touched: set[int]
    ) -> ProblemDelta:
        """Read again the forms ``uids`` (those edited) and whatever the report rules point into."""
        delta = ProblemDelta(everything=False, touched=touched)
        self._read(checker, report, uids, delta)
        return delta

    def _read(
        self, checker: Checker, report: Report, uids: Iterable[int], delta: ProblemDelta | None
    ) -> None:
        wanted: set[Key] = {None, *uids}
        if delta is None or checker.report_version != self._version:
            grouped: dict[Key, list[Problem]] = {}
            for p in checker.report_problems():
                grouped.setdefault(p.form_uid, []).append(p)
            pointing = {uid: tuple(found) for uid, found in grouped.items()}
            # the forms whose report-rule problems differ (the others' own did not change)
            wanted.update(
                k for k in pointing.keys() | self._pointing.keys() if pointing.get(k) != self._pointing.get(k)
            )
        else:
            pointing = self._pointing  # no report rule ran again since (an edit of a form's cells)
        if delta is None or not self._forms:
            self._forms = {f.uid: f for f in report.forms}
        forms = self._forms
        if report.overall is not None:
            wanted.add(report.overall.uid)  # its 评分表 reads the projects
        for uid in wanted:
            form = forms.get(uid) if uid is not None else None
            if form is not None and form.uid != uid:
                form = next((f for f in report.forms if f.uid == uid), None)
            if uid is None:
                new: Found = pointing.get(None, ())
            elif form is None:
                new = ()
            else:
                new = pointing.get(uid, ()) + tuple(checker.own_problems(form))
            old = self.by_uid.get(uid, ())
            if new == old:
                continue
            # Counted by what differs: a re-check lists a form's problems in the same order, an edit
            # changing one or two of them (the delta's panels ask for the same middles: kept there).
            left, right = differing(old, new)
            counts = self.counts
            for p in left:
                counts[p.severity] -= 1
            for p in right:
                counts[p.severity] += 1
            if new:
                self.by_uid[uid] = new
            else:
                self.by_uid.pop(uid, None)
            if delta is not None:
                delta.changed[uid] = (old, new)
                delta._middles[uid] = (left, right)
        self._pointing = pointing
        self._version = checker.report_version
