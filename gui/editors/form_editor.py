"""The editor of one form: header fields on top, then the funds, goals, indicators and score grids."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import schema
from core.model import FUNDS, GOALS, INDICATORS, PROJECT, SCORE_SHEET, Form
from core.report import Change
from core.schema import HEAD, Table
from gui.context import AppContext
from gui.form_commands import SetFormFieldCommand, run
from gui.grids import GridView
from gui.viewport import own_viewport

# The header fields a form page edits and where they sit: (row, column, span); 名称 on its own line,
# then 主管部门 | 实施单位 | 执行率分值 on one line (screens are 768 high), then a project's
# 项目编码 | 业务处室. Labels are the schema's.
HEADER_PLACES = {
    HEAD.name: (0, 0, 5),
    HEAD.supervisor: (1, 0, 1),
    HEAD.implementer: (1, 2, 1),
    HEAD.execution_weight: (1, 4, 1),
    HEAD.code: (2, 0, 1),
    HEAD.office: (2, 2, 1),
}
PROJECT_ONLY = (HEAD.code, HEAD.office)  # the 一体化 project's code and the bureau's office
HEADER_FIELDS = tuple((key, schema.the(Table.HEADER, key).heading) for key in HEADER_PLACES)
GRID_NAMES = {FUNDS: "fundGrid", GOALS: "goalGrid", INDICATORS: "indicatorGrid", SCORE_SHEET: "scoreGrid"}
GRID_TITLES = {FUNDS: "资金情况", GOALS: "年度目标", INDICATORS: "绩效指标", SCORE_SHEET: "评分表"}


def fill_title(text: str, year: int, name: str = "") -> str:
    """Fill a template title's {year}, {prev}, {next}, {name} and drop {n}."""
    for key, value in (
        ("{year}", year),
        ("{prev}", year - 1),
        ("{next}", year + 1),
        ("{name}", name),
        ("{n}", ""),
    ):
        text = text.replace(key, str(value))
    return text


class FormEditor(QScrollArea):
    """Shows one form; ``tables`` picks which grids (the 评分表 node shows only the score sheet)."""

    # Emitted with a status-bar message from a grid or a refused header edit.
    message = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        tables: tuple[Table, ...],
        header: bool = True,
        parent: QWidget | None = None,
        made_later: tuple[Table, ...] = (),
    ) -> None:
        """``made_later``: tables (the last of ``tables``) whose grids are made when first needed — at
        the start, those below the screen, on the turn after the first paint (issue 15)."""
        super().__init__(parent)
        own_viewport(self)
        # no Tab stop of its own (it shows no focus): Tab from the tree goes to the first field (#15), and
        # scrolls to it (main_window.tab_after); a click on the page's background takes the focus, as before
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.ctx = ctx
        self.uid: int | None = None
        self._unfitted: set[GridView] = set()
        # While ``set_form`` shows a form: a grid whose selection its reset restored is scrolled to
        # once the page is laid out (``_on_current``), not among the rows of the form shown before.
        self._switching = False
        self._restored: GridView | None = None
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit_pending)
        self.setWidgetResizable(True)
        body = QWidget(self)
        # A switch to a project whose grids are taller or shorter resizes the page: repaint only what
        # the resize uncovers (off screen, at the bottom), not the whole page. Its own paint is its
        # background; what moves or changes on it paints itself. Half of a switch was painting the
        # page's every label, frame and field again (issue 15: switch).
        body.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.layout_ = QVBoxLayout(body)
        self.title = QLabel(body)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.layout_.addWidget(self.title)
        self.fields: dict[str, QLineEdit] = {}
        self.field_labels: dict[str, QLabel] = {}
        if header:
            self._build_header(body)
        self._tables = tables
        self._made: dict[str, GridView] = {}
        self.grid_titles: dict[str, QLabel] = {}
        for table in tables:
            if table not in made_later:
                self._add_grid(table, body)
        self.layout_.addStretch(1)
        self.setWidget(body)
        ctx.listen(self, self._on_change)

    def _build_header(self, body: QWidget) -> None:
        """名称 on its own line, then 主管部门 | 实施单位 | 执行率分值, then 项目编码 | 业务处室."""
        box = QGridLayout()
        box.setHorizontalSpacing(8)
        places = HEADER_PLACES
        for name, label in HEADER_FIELDS:
            edit = QLineEdit(body)
            edit.setObjectName(f"field_{name}")
            edit.editingFinished.connect(lambda n=name: self._commit_field(n))
            text = QLabel(label, body)
            row, col, span = places[name]
            box.addWidget(text, row, col)
            box.addWidget(edit, row, col + 1, 1, span)
            self.fields[name], self.field_labels[name] = edit, text
        self.fields[HEAD.execution_weight].setMaximumWidth(70)
        box.setColumnStretch(1, 3)
        box.setColumnStretch(3, 3)
        self.layout_.addLayout(box)

    def focus_chain(self) -> list[QWidget]:
        """The page's widgets that take the focus, in the order Tab goes through them (the grids made
        so far)."""
        return [*self.fields.values(), *(grid.view for grid in self._made.values())]

    @property
    def grids(self) -> dict[str, GridView]:
        """The page's grids by table, from the top (those made later are made now, those a switch
        left to size after the paint are sized now)."""
        self._make_all()
        for grid in self._made.values():
            grid.size_now()
        return self._made

    def _make_all(self) -> None:
        """Make the grids left for later (below the others, before the page's stretch)."""
        if len(self._made) < len(self._tables):
            body = self.widget()
            assert body is not None
            for table in self._tables[len(self._made) :]:
                self._add_grid(table, body, at=self.layout_.count() - 1)  # before the stretch
                self._show_grid(table)
            # Tab's order (Ctrl+Tab out of a grid): each grid after the one above it, not last in the
            # window, after the problem list, where a widget made after the others comes
            views = [grid.view for grid in self._made.values()]
            for above, below in zip(views, views[1:]):
                QWidget.setTabOrder(above, below)

    def _add_grid(self, table: Table, body: QWidget, at: int | None = None) -> None:
        title = QLabel(GRID_TITLES[table], body)
        title.setStyleSheet("font-weight: bold; margin-top: 6px;")
        grid = GridView(self.ctx, table, body)
        grid.view.setObjectName(GRID_NAMES[table])
        grid.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        grid.message.connect(self.message)
        grid.sized.connect(lambda g=grid: self._on_sized(g))
        model = grid.view.model()
        for sig in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
            model.headerDataChanged,  # titles wrapped onto more lines: a taller header
        ):
            sig.connect(lambda *a, g=grid: self._schedule_fit(g))
        grid.view.verticalHeader().sectionResized.connect(lambda *a, g=grid: self._schedule_fit(g))
        grid.view.selectionModel().currentChanged.connect(lambda cur, prev, g=grid: self._on_current(g, cur))
        at = self.layout_.count() if at is None else at
        self.layout_.insertWidget(at, title)
        self.layout_.insertWidget(at + 1, grid)
        self._made[table], self.grid_titles[table] = grid, title

    def _show_grid(self, table: str) -> None:
        """Show a grid (and its title) when the form shown has that table."""
        visible = self._exists() and (table != SCORE_SHEET or bool(self._form().score_sheet))
        self._made[table].setVisible(visible)
        self.grid_titles[table].setVisible(visible)

    def set_form(
        self,
        uid: int | None,
        later: Callable[[Callable[[], object]], None] | None = None,
        size_later: Callable[[Callable[[], object]], None] | None = None,
    ) -> None:
        """Show the form ``uid`` (None shows nothing).

        ``later`` (the window's start: run a step after the next paint): the grids are filled from
        the top, each laid out before the next is placed; the grids below the part of the page on
        screen are filled by that step, not before the first paint (filling and measuring the
        指标 grid and the 评分表 was a fifth of the start's work after the imports). They are empty
        until then, out of sight.

        ``size_later`` (a switch: run a step after the next paint): every grid shows the form's
        cells at once, but a grid below the part of the page on screen (with no selection, which
        would scroll the page to it) has its columns and rows fitted by that step, or before it
        takes a key, the focus or a jump (``GridView.size_now``): measuring the rows of a project
        shown for the first time was most of a switch to it.
        """
        self._switching, self._restored = True, None
        try:
            self._show_form(uid, later, size_later)
        finally:
            self._switching = False
        restored, self._restored = self._restored, None
        if restored is not None and restored.view.currentIndex().isValid() and restored.isVisible():
            restored.size_now()  # (one left to size after the paint: its rows where they will stand)
            self._ensure_visible(restored.view, restored.view.currentIndex())

    def _show_form(
        self,
        uid: int | None,
        later: Callable[[Callable[[], object]], None] | None,
        size_later: Callable[[Callable[[], object]], None] | None,
    ) -> None:
        """``set_form``'s work, but for the scroll to a selection its grids restored."""
        self.uid = uid
        self._refresh_header()
        for table in self._made:
            self._show_grid(table)
        if later is None:
            self._make_all()
            unsized = False
            for grid in self._made.values():
                if grid.isHidden():  # a project's 评分表: empty until a form that has one is shown
                    if grid.model.uid is not None:
                        grid.set_form(None)
                    continue
                below = unsized or (grid.y() >= self._bottom() and grid.selected_rect() is None)
                if size_later is not None and below:
                    grid.set_form(uid, size_later=True)
                    unsized = True  # (the grids after it are further down)
                    continue
                grid.set_form(uid)
                if self._fit_height(grid) and size_later is not None:
                    self._lay_out()  # the grids below move: where is the next one?
            self._lay_out()
            if unsized and size_later is not None:
                size_later(lambda: self._size_unsized(uid))
            return
        pending: list[str] = []
        for table in self._tables:
            if not pending and table not in self._made and self._page_end() < self._bottom():
                self._make_all()  # a grid made later would be on screen: made now
            made = self._made.get(table)
            if pending or made is None or not made.isVisible() or made.y() >= self._bottom():
                pending.append(table)  # below the screen (the grids after it too), or hidden
                continue
            made.set_form(uid)  # on screen: filled and sized now (the grids below move down)
            self._fit_height(made)
            self._lay_out()
        if pending:
            later(lambda: self._fill(uid, pending))

    def _size_unsized(self, uid: int | None) -> None:
        """Fit the grids a switch left for after the paint (the form still shown; another switch
        has its own step)."""
        if uid == self.uid:
            for grid in self._made.values():
                grid.size_now()  # (``sized``: fitted, the page laid out)

    def _on_sized(self, grid: GridView) -> None:
        self._fit_height(grid)
        self._lay_out()

    def _bottom(self) -> int:
        """The body's y just below the part of the page on screen."""
        return self.verticalScrollBar().value() + self.viewport().height()

    def _page_end(self) -> int:
        """The body's y just below its last grid made (the grids made later go there)."""
        shown = [g for g in self._made.values() if g.isVisible()]
        return max((g.geometry().bottom() + 1 for g in shown), default=0)

    def _fill(self, uid: int | None, tables: list[str]) -> None:
        """Fill the grids ``set_form`` left for after the first paint (the form still shown); the
        grids not made yet are made here."""
        if uid != self.uid:
            return  # another form is shown: its set_form filled every grid
        grids = self.grids
        for table in tables:
            grids[table].set_form(uid)
            self._fit_height(grids[table])
        self._lay_out()

    def _lay_out(self) -> None:
        """Lay the page out now (grids' heights, then the page's, then the scroll bar), not in a
        chain of posted requests after the first paint: that painted the shown grid twice per switch."""
        self._unfitted.clear()  # the grids' resets asked for the fitting just done
        self._fit_timer.stop()
        for _ in range(4):
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _exists(self) -> bool:
        """The form shown is in the report (not deleted or undone away): looked up where it stood
        (``Report.form_by_uid``), not by walking every form (five times a switch: at 1,000 projects,
        a switch among the last ones took a third longer than among the first)."""
        doc, uid = self.ctx.doc, self.uid
        return doc is not None and uid is not None and doc.report.has_form(uid)

    def _form(self) -> Form:
        assert self.ctx.doc is not None and self.uid is not None
        return self.ctx.open_doc.form(self.uid)

    def _refresh_header(self) -> None:
        if self.uid is None or not self._exists():
            self.title.setText("")
            return
        form = self._form()
        spec = self.ctx.open_doc.template.form(form.kind)
        self.title.setText(fill_title(spec.title, self.ctx.open_doc.report.year, form.name))
        titles = {c.key: c.title for c in spec.header}
        for name, edit in self.fields.items():
            if name in titles:
                self.field_labels[name].setText(titles[name])
            if name in PROJECT_ONLY:
                edit.setVisible(form.kind == PROJECT)
                self.field_labels[name].setVisible(form.kind == PROJECT)
            if not edit.hasFocus() or not edit.isModified() or edit.text() == "":
                edit.setText(str(getattr(form, name)))
            edit.setCursorPosition(0)

    def _commit_field(self, name: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        if self.uid is None or self.ctx.doc is None or not self._exists():
            return  # the form was deleted (or undone away) while its field had focus
        edit = self.fields[name]
        edit.setModified(False)
        if edit.text() == str(getattr(self._form(), name)):
            return
        error = run(self.ctx.undo_stack, SetFormFieldCommand(self.ctx.open_doc, self.uid, name, edit.text()))
        if error:
            edit.setText(str(getattr(self._form(), name)))
            QMessageBox.warning(self, "无法修改", error)

    def _on_change(self, change: Change) -> None:
        if change.form == self.uid and change.table == Table.HEADER:
            self._refresh_header()

    def commit_pending(self) -> str | None:
        """Write an open cell editor or a header field being edited; return why a cell refused it."""
        for grid in self._made.values():  # a grid not made has no editor open
            why = grid.commit_editor()
            if why is not None:
                return str(why)
        for name, edit in self.fields.items():
            if edit.hasFocus() and edit.isModified():
                self._commit_field(name)
        return None

    def select_cells(self, table: str, rows: tuple[int, ...], columns: tuple[str, ...]) -> None:
        """Select the cells a change touched (their bounding rectangle) and show the first."""
        grid = self.grids.get(table)
        if grid is None or not grid.isVisible() or not rows:
            self.select_cell(table, rows[0] if rows else None, columns[0] if columns else None)
            return
        cols = [c for c in (grid.model.column_of(k) for k in columns) if c >= 0] or [0]
        if not columns:
            cols = [0, grid.model.columnCount() - 1]
        grid.select_range(min(rows), min(cols), max(rows), max(cols))
        grid.view.setFocus()
        self._ensure_visible(grid.view, grid.view.currentIndex())

    def select_cell(self, table: str, row: int | None, column: str | None) -> None:
        """Select a cell of one of the grids, or focus a header field."""
        if table == Table.HEADER or row is None:
            edit = self.fields.get(column or HEAD.name)
            if edit is not None:
                edit.setFocus()
                self.ensureWidgetVisible(edit)
            return
        grid = self.grids.get(table)
        if grid is not None and grid.isVisible():
            grid.select_cell(row, column or "")
            grid.view.setFocus()
            self._ensure_visible(grid.view, grid.view.currentIndex())

    def _schedule_fit(self, grid: GridView) -> None:
        """Fit a grid's height once the current burst of row changes is over (a 400-row paste resizes
        400 rows; fitting after each one summed every row each time)."""
        self._unfitted.add(grid)
        self._fit_timer.start()

    def _fit_pending(self) -> None:
        for grid in list(self._unfitted):
            self._fit_height(grid)
        self._unfitted.clear()

    def _fit_height(self, grid: GridView) -> bool:
        """Make a grid as tall as its rows so the page, not the grid, scrolls; True when its height
        changed."""
        view: QTableView = grid.view
        header = view.horizontalHeader()
        height = header.sizeHint().height() + 2 * view.frameWidth() + 2
        height += view.verticalHeader().length()  # the rows' heights (one call, not one per row)
        if view.horizontalScrollBar().isVisible():
            height += view.horizontalScrollBar().height()
        height = max(height, 60)
        if grid.minimumHeight() == height and grid.maximumHeight() == height:
            return False
        grid.setMinimumHeight(height)
        grid.setMaximumHeight(height)
        return True

    def _on_current(self, grid: GridView, index: QModelIndex) -> None:
        """Keep the current cell in view and only one grid showing a selection, as on one sheet."""
        if index.isValid():
            for other in self._made.values():
                if other is not grid and other.view.selectionModel().hasSelection():
                    other.view.clearSelection()
        if self._switching:
            # a selection the grid's reset restored: its rows are not sized for the form yet, nor
            # the page laid out (the cell would land where it stood in the form shown before)
            self._restored = grid if index.isValid() else self._restored
            return
        self._ensure_visible(grid.view, index)

    def _ensure_visible(self, view: QTableView, index: QModelIndex) -> None:
        if index.isValid():
            rect = view.visualRect(index)
            body, port = self.widget(), view.viewport()
            if body is None or port is None:
                return
            centre = port.mapTo(body, rect.center())
            self.ensureVisible(centre.x(), centre.y(), rect.width() // 2 + 10, rect.height() + 10)
