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
    ReviewFlag,
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
    "ReviewFlag",
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

# A line break an export puts into printed text only to choose where a line ends, as the export's grids
# carry it (a zero-width space marks it). No file gets the zero-width space (shown as a box or an empty
# line by some renderers, copied unseen with the text, not in GBK): an Excel cell gets a plain line
# break, listed in the workbook's custom properties BREAKS_PROPERTY 001, 002 … (per sheet, its cells'
# offsets and a CRC-32 of their text; 255 characters a property, Excel's limit); a Word cell starts the
# line after it as a paragraph of a BREAK_STYLES style. The importers take those breaks out again (and
# SOFT_BREAK, as exports before 2026-12 wrote it); a typed one stays.
SOFT_BREAK = "\u200b\n"
BREAKS_PROPERTY = "ZiPing换行"
BREAK_STYLES = {"ZP Table": "ZP Table Line", "ZP Table Small": "ZP Table Small Line"}  # name → its lines'
BREAK_STYLE_IDS = frozenset(name.replace(" ", "") for name in BREAK_STYLES.values())

FORM_FIELDS = keys(Table.HEADER)
SIGNOFF_FIELDS = tuple(c.key for c in declared(Signoff))


def row_factory(table: str) -> type:
    """Return the dataclass that makes up one row of ``table``."""
    return ROW_TYPES[Table(table)]
