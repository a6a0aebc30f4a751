"""The 基础数据表's grids: one shared GridModel per part (staff, expenses, buildings, thrift).

The parts and their columns are declared in core/schema.py (``BASIC_PARTS``); the region's
template titles them. Cells are checked by their column's kind, refused input keeps the editor
open, problems show at their cells, and each committed cell is one undo step
(``SetBasicCellsCommand`` → ``Document.set_basic_cells``), as in every other grid.
"""

from __future__ import annotations

from typing import Any

from core import schema
from core.export.grid import fill_title
from core.report import Change
from core.schema import REP, BasicPart, Kind, Table
from gui.commands import SetBasicCellsCommand
from gui.context import AppContext
from gui.grids.base import Cell, GridColumn, GridModel

# The template key listing each part's columns (the thrift measures have one, untitled there).
TEMPLATE_KEYS = {
    BasicPart.STAFF: "staff",
    BasicPart.EXPENSES: "expense_columns",
    BasicPart.BUILDINGS: "buildings",
}
WIDTHS = {Kind.AMOUNT: 12, Kind.RATE: 10, Kind.TEXT: 30, Kind.LONG: 80}
TEXT_KINDS = (Kind.TEXT, Kind.LONG)
EDITORS = {Kind.AMOUNT: "amount", Kind.LONG: "long"}


class BasicDataModel(GridModel):
    """One part of the 基础数据表 (a report-level table: no form, ``uid`` stays None)."""

    table = Table.BASIC_DATA
    can_add_rows = False

    def __init__(self, ctx: AppContext, part: BasicPart, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.part = part
        ctx.document_replaced.connect(self.load)

    # ---- what is shown -------------------------------------------------------------
    def load(self) -> None:
        """Show the open report's part with its template's titles (again: after a change of year)."""
        self.beginResetModel()
        self.rejected = {}
        self.columns = self.build_columns() if self.ctx.doc is not None else []
        self._problems = self._collect_problems()
        self.endResetModel()

    def set_form(self, uid: int | None) -> None:
        self.load()

    def build_columns(self) -> list[GridColumn]:
        """The columns the region's template titles; text columns (the expense line's 项目, the
        thrift measures) are always shown, under their schema label."""
        doc = self.ctx.open_doc
        listed = doc.template.basic_data.get(TEMPLATE_KEYS.get(self.part, ""), [])
        titles = {str(c.get("key")): str(c.get("title", "")) for c in listed if isinstance(c, dict)}
        out = []
        for column in schema.declared(schema.BASIC_PARTS[self.part]):
            if column.key not in titles and column.kind not in TEXT_KINDS:
                continue  # a column this region does not show
            title = fill_title(titles[column.key], doc.report.year) if column.key in titles else column.label
            width = WIDTHS.get(column.kind, 10)
            out.append(GridColumn(column.key, title, width, EDITORS.get(column.kind, "text")))
        return out

    def rows(self) -> list[Any]:
        doc = self.ctx.doc
        return doc.basic_rows(self.part) if doc is not None and self.columns else []

    def cell_text(self, row: int, col: int) -> str:
        value = self.rows()[row].get(self.columns[col].key, "")
        return "" if value is None else str(value)

    def row_label(self, row: int) -> str:
        return str(row + 1) if self.part == BasicPart.EXPENSES else ""

    # ---- writing ---------------------------------------------------------------------
    def apply_cells(self, cells: list[Cell], label: str = "编辑基础数据表") -> bool:
        """Write cells as one undo step; on bad input emit ``edit_refused`` and change nothing."""
        self.last_refusal = None
        doc = self.ctx.doc
        if doc is None or not cells:
            return False
        edits = [
            (row, self.columns[col].key, text)
            for row, col, text in cells
            if row < self.rowCount() and self.is_editable(row, col) and self.cell_text(row, col) != text
        ]
        if not edits:
            return False
        return self.run(SetBasicCellsCommand(doc, edits, label), cells[0][0], cells[0][1])

    # ---- problems and changes --------------------------------------------------------
    def _collect_problems(self) -> dict[tuple[int, int], list[Any]]:
        out: dict[tuple[int, int], list[Any]] = {}
        if self.ctx.doc is None:
            return out
        for row in range(len(self.rows())):
            for col, column in enumerate(self.columns):
                found = self.ctx.problems_at(None, self.table, row, column.key)
                if found:
                    out[(row, col)] = found
        return out

    def _on_changed(self, change: Change) -> None:
        if self.ctx.doc is None:
            return
        if change.table == Table.REPORT and {REP.year, REP.template} & set(change.columns):
            self.load()  # titles carry the year; another region shows other columns
            return
        if change.table != Table.BASIC_DATA or not self.columns:
            return
        keys = set(change.columns)
        mine = {c.key for c in self.columns}
        if keys and not keys & mine:
            return
        rows = change.rows or range(self.rowCount())
        if self.rejected:
            cols = {self.column_of(k) for k in keys}
            self.rejected = {
                (r, c): v for (r, c), v in self.rejected.items() if not (r in rows and c in cols)
            }
        last = len(self.columns) - 1
        for row in rows:
            if row < self.rowCount():
                self.tell_cells(row, 0, row, last)
