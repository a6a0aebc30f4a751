"""The report model: one department's self-evaluation for one year.

Cells hold text exactly as the user typed it; amounts are read as Decimal when
computed (see ``core.numbers``). Rows are addressed by their 0-based index in
their table, forms by their stable ``uid``. The dataclasses and their columns
are declared in ``core.schema``; this module names them for the rest of core.
"""

from __future__ import annotations

from core.schema import (
    FORM_KINDS,
    OVERALL,
    PROJECT,
    ROW_TYPES,
    Form,
    FundRow,
    Goal,
    Indicator,
    NarrativeSection,
    Report,
    ScoreItem,
    Signoff,
    Table,
    declared,
    keys,
)

__all__ = [
    "BASIC_DATA",
    "FORM_FIELDS",
    "FORM_KINDS",
    "FUNDS",
    "GOALS",
    "HEADER",
    "INDICATORS",
    "NARRATIVE",
    "OVERALL",
    "PROJECT",
    "REPORT",
    "SCORE_SHEET",
    "SIGNOFF_FIELDS",
    "Form",
    "FundRow",
    "Goal",
    "Indicator",
    "NarrativeSection",
    "Report",
    "ScoreItem",
    "Signoff",
    "Table",
    "row_factory",
]

# Table names as used in problems, changes and the interchange format.
HEADER = Table.HEADER
FUNDS = Table.FUNDS
GOALS = Table.GOALS
INDICATORS = Table.INDICATORS
SCORE_SHEET = Table.SCORE_SHEET
NARRATIVE = Table.NARRATIVE
REPORT = Table.REPORT
BASIC_DATA = Table.BASIC_DATA

# A line break an export puts into printed text only to choose where a line ends (a zero-width space,
# invisible in print, marks it): the importers take it out again, a typed line break stays.
SOFT_BREAK = "\u200b\n"

FORM_FIELDS = keys(Table.HEADER)
SIGNOFF_FIELDS = tuple(c.key for c in declared(Signoff))


def row_factory(table: str) -> type:
    """Return the dataclass that makes up one row of ``table``."""
    return ROW_TYPES[Table(table)]
