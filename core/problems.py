"""A problem found by a rule: what, how serious, and the cell it points at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.frozen import quick_init
from core.schema import Table

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
# A problem's record in ``check --json`` (INTERCHANGE.md): these fields of Problem, in printed order.
JSON_FIELDS = ("rule", "severity", "form", "table", "row", "column", "message")


@quick_init
@dataclass(frozen=True)
class Problem:
    """One finding. ``form_uid`` is None for report-level problems.

    ``table`` is the ``Table`` it points into (header, funds, goals, indicators,
    score_sheet, narrative, report, basic_data …); ``row`` is the 0-based row in that table (None for
    the header or the whole form); ``column`` the column's code name or None.
    """

    rule: str
    severity: str
    message: str
    form_uid: int | None = None
    form: str = ""
    table: Table = Table.REPORT
    row: int | None = None
    column: str | None = None
    group: str = ""  # "yth": what the 一体化 importer would reject or drop

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def cell(self) -> tuple[int | None, Table, int | None, str | None]:
        return (self.form_uid, self.table, self.row, self.column)

    def to_json(self) -> dict[str, Any]:
        """Return the shape of INTERCHANGE.md's ``check --json`` output (``group`` only when set)."""
        out: dict[str, Any] = {k: getattr(self, k) for k in JSON_FIELDS}
        out["table"] = str(self.table)
        if self.group:
            out["group"] = self.group
        return out

    def sort_key(self) -> tuple[int, str, str, int, str]:
        return (SEVERITIES.index(self.severity), self.form, self.table, self.row or 0, self.rule)
