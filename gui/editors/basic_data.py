"""The 基础数据表 editor (湖南): staff, expenses, buildings and thrift measures in the shared grids.

Each part is a ``GridView`` over a ``BasicDataModel`` (gui/grids/basic.py): the same keys,
cell checks, refused-input editor, problem colours and one undo step per committed cell as
every other table. Captions and titles are the region template's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from core import schema
from core.export.grid import fill_title
from core.report import Change
from core.schema import BasicPart, Table
from gui.context import AppContext
from gui.grids.basic import BasicDataModel
from gui.grids.view import GridView

# The template's print words captioning each part (the thrift measures' grid titles itself).
CAPTIONS = {BasicPart.STAFF: "staff", BasicPart.EXPENSES: "expenses", BasicPart.BUILDINGS: "buildings"}
GRID_NAMES = {
    BasicPart.STAFF: "basicStaffGrid",
    BasicPart.EXPENSES: "basicDataGrid",
    BasicPart.BUILDINGS: "basicBuildingsGrid",
    BasicPart.THRIFT: "basicThriftGrid",
}


class BasicDataEditor(QScrollArea):
    """The 基础数据表 of the open report, one grid per part, in a scrolling page."""

    # A message for the status bar (refused input, a key that does nothing here).
    message = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("basicDataEditor")
        # no Tab stop of its own (it shows no focus): Tab from the tree goes to the first field (#15), and
        # scrolls to it (main_window.tab_after); a click on the page's background takes the focus, as before
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setWidgetResizable(True)
        self.body = QWidget(self)
        self.layout_ = QVBoxLayout(self.body)
        self.setWidget(self.body)
        self.title = QLabel(self.body)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.layout_.addWidget(self.title)
        self.captions: dict[BasicPart, QLabel] = {}
        self.grids: dict[BasicPart, GridView] = {}
        for part in BasicPart:
            if part in CAPTIONS:
                caption = QLabel(self.body)
                caption.setStyleSheet("font-weight: bold;")
                self.layout_.addWidget(caption)
                self.captions[part] = caption
            grid = GridView(ctx, Table.BASIC_DATA, self.body, BasicDataModel(ctx, part))
            grid.view.setObjectName(GRID_NAMES[part])
            grid.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            grid.view.verticalHeader().setVisible(part == BasicPart.EXPENSES)
            grid.message.connect(self.message)
            grid.view.verticalHeader().sectionResized.connect(lambda *_, g=grid: self._schedule_fit(g))
            self.layout_.addWidget(grid)
            self.grids[part] = grid
        self.note = QLabel(self.body)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #666;")
        self.layout_.addWidget(self.note)
        self.layout_.addStretch(1)
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit_heights)
        ctx.listen(self, self._on_change)

    # ---- the interface the window uses ----------------------------------------------
    def focus_chain(self) -> list[QWidget]:
        """The page's grids, in the order Tab goes through them."""
        return [grid.view for grid in self.grids.values()]

    def refresh(self) -> None:
        """Show the open report's 基础数据表 with its template's titles."""
        doc = self.ctx.doc
        if doc is None:
            return
        spec, year = doc.template.basic_data, doc.report.year
        words = spec.get("print", {})
        self.title.setText(fill_title(str(spec.get("title", "")), year))
        for part, caption in self.captions.items():
            caption.setText(fill_title(str(words.get(CAPTIONS[part], "")), year))
        for grid in self.grids.values():
            grid.set_form(None)  # (re)loads the part: a report-level table has no form
        note = doc.report.basic_data.get("note") or spec.get("note", "")
        self.note.setText(str(note))
        self._fit_heights()

    def select_cell(self, row: int | None, column: str | None) -> None:
        """Scroll to and select a cell (a problem's, after a jump from the problem list)."""
        part = schema.basic_part(column or "") or BasicPart.STAFF
        grid = self.grids[part]
        grid.select_cell(row or 0, column or "")
        self.ensureWidgetVisible(grid)

    def commit_pending(self) -> str | None:
        """Write a cell being typed; return why it was refused (its editor stays open), or None."""
        for grid in self.grids.values():
            why = grid.commit_editor()
            if why is not None:
                return why
        return None

    # ---- layout -------------------------------------------------------------------------
    def _schedule_fit(self, grid: GridView) -> None:
        self._fit_timer.start()

    def _fit_heights(self) -> None:
        """Give every grid the height of all its rows: the page scrolls, not the grids."""
        for grid in self.grids.values():
            view = grid.view
            height = view.horizontalHeader().height() + 2 * view.frameWidth()
            height += sum(view.rowHeight(r) for r in range(grid.model.rowCount()))
            if view.horizontalScrollBar().isVisible():
                height += view.horizontalScrollBar().height()
            view.setFixedHeight(height)

    def _on_change(self, change: Change) -> None:
        if change.table in (Table.BASIC_DATA, Table.REPORT):  # not on every edit of a form's cells
            self._fit_timer.start()
