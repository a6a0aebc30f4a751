"""The report model: one department's self-evaluation for one year.

Cells hold text exactly as the user typed it; amounts are read as Decimal when
computed (see ``core.numbers``). Rows are addressed by their 0-based index in
their table, forms by their stable ``uid``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any

OVERALL = "overall"
PROJECT = "project"
FORM_KINDS = (OVERALL, PROJECT)

# Table names as used in problems, changes and the interchange format.
HEADER = "header"
FUNDS = "funds"
GOALS = "goals"
INDICATORS = "indicators"
SCORE_SHEET = "score_sheet"
NARRATIVE = "narrative"
REPORT = "report"
BASIC_DATA = "basic_data"

FUND_COLUMNS = ("initial", "annual", "executed")
GOAL_COLUMNS = ("goal", "achieved")
INDICATOR_COLUMNS = (
    "level1",
    "level2",
    "level3",
    "target",
    "actual",
    "weight",
    "score",
    "deviation_note",
    "direction",
    "not_applicable",
)
SCORE_COLUMNS = ("path", "weight", "explanation", "rule", "self_score", "review_score")
FORM_FIELDS = (
    "name",
    "supervisor",
    "implementer",
    "fund_unit",
    "execution_weight",
    "printed_total",
)
SIGNOFF_FIELDS = ("preparer", "phone", "date", "head")
REPORT_FIELDS = ("template", "year", "department")


@dataclass
class Signoff:
    preparer: str = ""
    phone: str = ""
    date: str = ""
    head: str = ""

    def is_blank(self) -> bool:
        return not any(getattr(self, f) for f in SIGNOFF_FIELDS)


@dataclass
class FundRow:
    key: str
    initial: str = ""
    annual: str = ""
    executed: str = ""
    printed_rate: str = ""
    printed_score: str = ""


@dataclass
class Goal:
    goal: str = ""
    achieved: str = ""


@dataclass
class Indicator:
    level1: str = ""
    level2: str = ""
    level3: str = ""
    target: str = ""
    actual: str = ""
    weight: str = ""
    score: str = ""
    deviation_note: str = ""
    direction: str = ""
    not_applicable: bool = False

    def is_blank_row(self) -> bool:
        """Return True for a printed 二级 row with no 三级 and nothing in it."""
        return not (self.level3 or self.target or self.actual or self.weight or self.score)


@dataclass
class ScoreItem:
    path: list[str] = field(default_factory=list)
    weight: str = ""
    explanation: str = ""
    rule: str = ""
    self_score: str = ""
    review_score: str = ""
    formula: str = ""

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass
class NarrativeSection:
    title: str = ""
    text: str = ""


@dataclass
class Form:
    kind: str
    name: str = ""
    supervisor: str = ""
    implementer: str = ""
    fund_unit: str = "万元"
    execution_weight: str = ""
    printed_total: str = ""
    funds: list[FundRow] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    score_sheet: list[ScoreItem] = field(default_factory=list)
    signoff: Signoff | None = None
    uid: int = 0

    def fund(self, key: str) -> FundRow | None:
        for row in self.funds:
            if row.key == key:
                return row
        return None

    def rows(self, table: str) -> list[Any]:
        """Return the list behind a table name."""
        if table == FUNDS:
            return self.funds
        if table == GOALS:
            return self.goals
        if table == INDICATORS:
            return self.indicators
        if table == SCORE_SHEET:
            return self.score_sheet
        raise KeyError(table)


@dataclass
class Report:
    template: str
    year: int
    department: str = ""
    signoff: Signoff = field(default_factory=Signoff)
    forms: list[Form] = field(default_factory=list)
    narrative: list[NarrativeSection] = field(default_factory=list)
    basic_data: dict[str, Any] = field(default_factory=dict)

    @property
    def overall(self) -> Form | None:
        for form in self.forms:
            if form.kind == OVERALL:
                return form
        return None

    @property
    def projects(self) -> list[Form]:
        return [f for f in self.forms if f.kind == PROJECT]

    def form_by_uid(self, uid: int) -> Form:
        for form in self.forms:
            if form.uid == uid:
                return form
        raise KeyError(f"no form {uid}")

    def form_by_name(self, name: str) -> Form | None:
        for form in self.forms:
            if form.name == name:
                return form
        return None

    def clone(self) -> Report:
        return copy.deepcopy(self)


def row_factory(table: str) -> type:
    """Return the dataclass that makes up one row of ``table``."""
    return {GOALS: Goal, INDICATORS: Indicator, SCORE_SHEET: ScoreItem, FUNDS: FundRow}[table]


def row_columns(table: str) -> tuple[str, ...]:
    """Return the editable column names of a table."""
    return tuple(f.name for f in fields(row_factory(table)) if f.name != "key")
