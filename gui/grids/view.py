"""The Excel-like view: keys, typing over a cell, clipboard, rows, undo.

``GridView`` wraps a ``GridTable`` (a QTableView) and a model from models.py;
every change goes through an undo command on ``ctx.undo_stack``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFocusEvent,
    QGuiApplication,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMenu,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from core.report import Change
from gui.context import AppContext
from gui.direction import add_direction_actions
from gui.grids.base import LINE, GridModel, font_key
from gui.grids.delegates import CELL_IMAGES, GridDelegate, editor_text, input_target, set_editor_text
from gui.grids.models import make_model
from gui.review_flags import add_checked_action
from gui.viewport import own_viewport

if TYPE_CHECKING:
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QStyleOptionHeader

    from gui.grids.header import Sections


# Imported where first used (issue 15: first paint): gui/grids/paint.py and header.py paint a grid's
# cells and titles from Python once the cell images are on (``CellImages.start`` imports them then,
# after the first paint, which Qt paints); clipboard.py and rows.py serve a copy, a paste, the row
# commands and the context menu. The two painters are kept here once imported: an import statement
# in a paintEvent cost some 5,000 instructions a paint (an edit repaints the row header).
_painters: dict[str, ModuleType] = {}


def _painter(name: str) -> ModuleType:
    """gui.grids.header or gui.grids.paint (``name``), imported the first time."""
    module = _painters.get(name)
    if module is None:
        module = _painters[name] = importlib.import_module(f"gui.grids.{name}")
    return module


def paint_cells(view: GridTable, event: QPaintEvent, delegate: GridDelegate) -> bool:
    """``gui.grids.paint.paint_cells`` (the grids paint through this name: the tests replace it)."""
    return bool(_painter("paint").paint_cells(view, event, delegate))


# A repaint of less than 1/FEW_CELLS_AREA of a grid's viewport is QTableView's (``GridTable.paintEvent``).
FEW_CELLS_AREA = 8
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
TAB_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
MAX_ROW_LINES = 12
ONE_LINE_SLACK = 14  # pixels a cell's text margins and focus frame take from its column's width
HEIGHTS_KEPT = 4096  # wrapped cells' heights remembered (by text and width) before starting afresh
TITLE_SLACK = 16  # pixels a header section's margins take from its title's width


def wrap_title(title: str, advance: Callable[[str], int], width: int) -> str:
    """``title`` in lines of at most ``width`` pixels (Chinese breaks between any two characters;
    a line keeps at least one character)."""
    lines: list[str] = []
    line = ""
    for char in title:
        if line and advance(line + char) > width:
            lines.append(line)
            line = char
        else:
            line += char
    lines.append(line)
    even = -(-len(title) // len(lines))  # as many lines, of even length (指标\n解释, not 指标解\n释)
    parts = [title[i : i + even] for i in range(0, len(title), even)]
    if len(parts) == len(lines) and all(advance(part) <= width for part in parts):
        lines = parts
    return "\n".join(lines)


# The events a grid shown with ``size_later`` is sized before (GridView.set_form): what the user
# does with it (keys, typing, the focus, a menu) sees its rows where they are.
SIZE_FIRST = frozenset(
    (
        QEvent.Type.KeyPress,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.InputMethod,
        QEvent.Type.FocusIn,
        QEvent.Type.ContextMenu,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.Wheel,
    )
)


def _mods(event: QKeyEvent) -> Qt.KeyboardModifier:
    return event.modifiers() & (CTRL | SHIFT | ALT)


def header_setup(header: QHeaderView) -> None:
    """Set a grid's header up as QTableView sets up its own, with a viewport made in Python
    (``gui.viewport``): a switch leaves the headers' viewports alone when they look the same
    (``GridView.set_form``), and Qt's own viewport handed to Python makes PySide make every
    widget class first (20–30 ms)."""
    header.setSectionsClickable(True)
    header.setHighlightSections(True)
    port = own_viewport(header)
    port.setMouseTracking(True)  # as QHeaderView sets up its own: hovered sections, resize cursors
    port.setBackgroundRole(QPalette.ColorRole.Button)


def _sections(selection: QItemSelection, horizontal: bool) -> set[int]:
    """The columns (``horizontal``) or rows a selection's ranges span."""
    out: set[int] = set()
    for i in range(selection.size()):
        part = selection.at(i)
        first, last = (part.left(), part.right()) if horizontal else (part.top(), part.bottom())
        out.update(range(first, last + 1))
    return out


class GridHeader(QHeaderView):
    """A grid's column titles or row labels, whose size hint is kept by the titles (labels) shown and
    the font: Qt worked it out again after every reset and resized column (asking the model a dozen
    roles of each title or label), for every grid of every project shown (the row labels' third of
    them: a twentieth of a switch).

    Its sections repaint on a selection change only when their highlight may change. A section is
    highlighted when the selection reaches into it, and drawn pressed when its whole column (row) is
    selected; Qt repainted every section the selected or deselected cells lie in — so Enter, moving
    the cursor down a column, repainted that column's title, which looks the same before and after
    (a third of an edit's header painting, each section asking the model a dozen Python calls). When
    the cells selected and those deselected span the same sections, none of them changes: each held
    a selected cell before (one deselected now) and holds one after (one just selected), and none
    was or is selected whole (one of its cells was not selected before, another is not now)."""

    def __init__(self, parent: QTableView, orientation: Qt.Orientation = Qt.Orientation.Horizontal) -> None:
        super().__init__(orientation, parent)
        header_setup(self)
        self._rows = orientation == Qt.Orientation.Vertical
        self._hints: dict[tuple[object, ...], QSize] = {}
        self._paint: Sections | None = None  # while painting: what the sections' options share

    def _titles(self, model: GridModel) -> tuple[str, ...]:
        """The sections' titles (row labels), as the model's headerData gives them."""
        return model.row_labels() if self._rows else model.column_titles()

    def sizeHint(self) -> QSize:
        model = self.model()
        if not isinstance(model, GridModel) or not model.columns or self.isSortIndicatorShown():
            return super().sizeHint()
        titles = self._titles(model)
        key = (titles, font_key(self.font()), self.hiddenSectionCount())
        hint = self._hints.get(key)
        if hint is None:
            if len(self._hints) >= 64:
                self._hints.clear()
            hint = self._hints[key] = super().sizeHint()
        return QSize(hint)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the sections as QHeaderView does, each section's option filled from ``Sections``
        (gui/grids/header.py) when it can be: some ten Python round trips a section fewer."""
        model = self.model()
        if CELL_IMAGES.on and isinstance(model, GridModel):
            header = _painter("header")
            if not header.qt_fills(self, model):
                self._paint = header.Sections(self, model, self._titles(model), self._rows)
        try:
            super().paintEvent(event)
        finally:
            self._paint = None

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logicalIndex: int) -> None:
        paint = self._paint
        if paint is None:
            super().initStyleOptionForIndex(option, logicalIndex)
        else:
            paint.fill(option, logicalIndex)

    def selectionChanged(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        if selected.size() == 1 == deselected.size():  # a move of the cursor: one cell for another
            now, before = selected.at(0), deselected.at(0)
            if self._rows:
                same = now.top() == before.top() and now.bottom() == before.bottom()
            else:
                same = now.left() == before.left() and now.right() == before.right()
        else:
            same = _sections(selected, not self._rows) == _sections(deselected, not self._rows)
        if not same:
            super().selectionChanged(selected, deselected)
        # (else every section looks as it did: above)


class GridTable(QTableView):
    """A QTableView that routes Excel's keys to its GridView."""

    def __init__(self, grid: GridView) -> None:
        super().__init__(grid)
        own_viewport(self)
        # A switch to a project of more or fewer (or taller) rows resizes the grid: repaint only what
        # the resize uncovers, not the column titles and corner above rows that stay where they are
        # (what changed repaints itself: the cells, the row numbers when their heights moved).
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setHorizontalHeader(GridHeader(self))
        self.setVerticalHeader(GridHeader(self, Qt.Orientation.Vertical))
        self.grid = grid
        self.refused_editor: QWidget | None = None
        self._one_line: dict[str, int] = {}  # font key -> the height of a one-line row
        self._heights: dict[tuple[str, int, str], int] = {}  # (text, column width, font) -> cell height
        self._fits: dict[tuple[str, int, str], bool] = {}  # (text, column width, font) -> on one line
        self._header_hints: dict[tuple[str, str], int] = {}  # (row label, font) -> its header's height
        self._font, self._key = self.font(), self.font().key()
        self._closing_editor = False
        self.spanned = False  # (setSpan: cells spanning others, which only QTableView paints)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)

    def setSpan(self, row: int, column: int, rowSpanCount: int, columnSpanCount: int) -> None:
        self.spanned = True  # a grid with spanned cells is QTableView's to paint (gui/grids/paint.py)
        super().setSpan(row, column, rowSpanCount, columnSpanCount)

    def clearSpans(self) -> None:
        self.spanned = False
        super().clearSpans()

    def paintEvent(self, event: QPaintEvent) -> None:
        delegate = self.grid._delegate
        port = self.viewport()
        delegate.begin_paint(self, port)
        try:
            # A few cells (an edit's: the cell typed in, its computed cells, the next one) are
            # QTableView's to paint: the Python painter's set-up for a paint (some forty calls into
            # Qt) cost more than the round trips it saves on so few cells — an edit's repaint was
            # 0.26 M instructions dearer with it. A grid's worth (a switch, a scroll) is painted
            # from Python (gui/grids/paint.py). Both paint the same pixels (tests/gui/test_cell_images.py).
            bound = event.rect()
            many = bound.width() * bound.height() * FEW_CELLS_AREA > port.width() * port.height()
            if many and delegate.painting_images() and paint_cells(self, event, delegate):
                return  # (the cells painted from Python, as QTableView paints them: gui/grids/paint.py)
            super().paintEvent(event)
        finally:
            delegate.end_paint()

    def is_editing(self) -> bool:
        return self.state() == QAbstractItemView.State.EditingState

    def commitData(self, editor: QWidget) -> None:
        """Write an editor's text; remember the editor when the model refused it."""
        self.grid.model.last_refusal = None
        super().commitData(editor)
        self.refused_editor = editor if self.grid.model.last_refusal else None

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Close an editor, except one whose text was just refused: it stays open with its text."""
        if editor is self.refused_editor and hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            self.grid.keep_editor(editor, self.grid.model.last_refusal or "")
            return
        self.refused_editor = None
        self.grid.hide_cell_message()
        self._closing_editor = True  # the focus comes back from the editor (focusInEvent)
        try:
            super().closeEditor(editor, hint)
        finally:
            self._closing_editor = False

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Focus back from the grid's own cell editor (Enter, Tab, Esc): repaint the current cell
        (its focus frame), not the whole grid as QAbstractItemView does on every focus change — the
        selection looks the same with the focus in the editor or in the grid, the window being active
        either way, and repainting every visible cell was most of an edit's time."""
        current = self.currentIndex()
        if self._closing_editor and current.isValid():
            self.viewport().update(self.visualRect(current))
            event.accept()
            return
        reason = event.reason()
        if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.grid.enter(backward=reason == Qt.FocusReason.BacktabFocusReason)
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Focus going into the grid's own cell editor: repaint the current cell only (as above)."""
        focused = QApplication.focusWidget()
        current = self.currentIndex()
        if focused is not None and focused is not self and self.isAncestorOf(focused) and current.isValid():
            self.viewport().update(self.visualRect(current))
            event.accept()
            return
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() in SIZE_FIRST and self.grid.unsized:
            self.grid.size_now()  # a grid below the screen, sized after the paint: sized before use
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and not self.is_editing()
            and self.grid.handles(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.is_editing():
            if event.key() in TAB_KEYS and not _mods(event) & (CTRL | ALT):
                forward = event.key() == Qt.Key.Key_Tab and not _mods(event) & SHIFT
                if self.grid.tab_leaves(forward):
                    event.ignore()  # (QAbstractItemView.focusNextPrevChild: the focus goes on, out)
                    return
            if self.grid.key_pressed(event):
                event.accept()
                return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        if not self.is_editing() and (event.commitString() or event.preeditString()):
            editor = self.grid.start_typing("")
            if editor is not None:
                QApplication.sendEvent(input_target(editor), event)
                event.accept()
                return
        super().inputMethodEvent(event)

    def sizeHintForRow(self, row: int) -> int:
        """A row's height: one line when every cell's text fits its column (measured here from the
        text, the font and the column widths; asking the delegate costs nine model calls a cell and
        a 400-row paste spent most of its time there), else the tallest of the cells that wrap, as
        the delegate measures them (as QTableView does, per cell), at most MAX_ROW_LINES."""
        return self._row_measure()(row)

    def _row_measure(self) -> Callable[[int], int]:
        """``sizeHintForRow`` with what every row shares (font, metrics, widths, which columns hold
        text) looked up once: ``fit_rows`` measures 400 pasted rows with one."""
        fm = self.fontMetrics()
        cap = fm.lineSpacing() * MAX_ROW_LINES + 8
        key = self._font_key()
        grid = 1 if self.showGrid() else 0  # QTableView adds the grid line to a row's hint
        model = self.grid.model
        widths = [self.columnWidth(col) for col in range(len(model.columns))]
        texts = [
            (col, widths[col])
            for col, column in enumerate(model.columns)
            if not (column.computed or column.editor in ("amount", "none"))  # numbers: one line
        ]
        fits = self._fits
        one_line = self._one_line
        cell_height = self._cell_height
        read = model.shown_texts([col for col, _width in texts])

        def wrapped(row: int) -> list[tuple[int, str]]:
            """The (column, text) of a row's cells whose text does not fit on one line."""
            out = []
            for (col, width), text in zip(texts, read(row), strict=True):
                if not text:
                    continue
                if "\n" in text:
                    out.append((col, text))
                    continue
                found = fits.get((text, width, key))
                if found is None:  # measuring the text is most of the cost of sizing a row: remembered
                    found = fm.horizontalAdvance(text) <= width - ONE_LINE_SLACK
                    if len(fits) >= HEIGHTS_KEPT:
                        fits.clear()
                    fits[(text, width, key)] = found
                if not found:
                    out.append((col, text))
            return out

        def measure(row: int) -> int:
            cells = wrapped(row)
            one = one_line.get(key)
            if one is None:
                height = min(QTableView.sizeHintForRow(self, row), cap)
                if not cells:
                    one_line[key] = height
                return height
            for col, text in cells:
                one = max(one, cell_height(row, col, text, key, widths[col]) + grid)
            return min(one, cap)

        return measure

    def _font_key(self) -> str:
        """The view's font as a key of the size caches (QFont.key() builds a string each time)."""
        font = self.font()
        if font != self._font:
            self._font, self._key = font, font.key()
        return self._key

    def fit_rows(self, rows: Iterable[int] | None = None) -> None:
        """Size rows to their contents (all when None), as resizeRowsToContents does (the taller of
        the row's hint and its header's, within the header's bounds), but asking the row header
        for its hint once per label: Qt asked it of every row (a dozen model calls each)."""
        header = self.verticalHeader()
        count = self.model().rowCount() if self.model() is not None else 0
        low, high = header.minimumSectionSize(), header.maximumSectionSize()
        measure = self._row_measure()
        labels, hints, font = self.grid.model.row_labels(), self._header_hints, self._font_key()
        size, resize = header.sectionSize, header.resizeSection
        for row in range(count) if rows is None else rows:
            if not 0 <= row < count:
                continue
            hint = hints.get((labels[row], font))
            if hint is None:
                hint = self._header_hint(row)
            height = max(low, min(max(measure(row), hint), high))
            if size(row) != height:
                resize(row, height)

    def _header_hint(self, row: int) -> int:
        label = self.model().headerData(row, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole)
        key = (str(label), self._font_key())
        found = self._header_hints.get(key)
        if found is None:
            found = self._header_hints[key] = self.verticalHeader().sectionSizeHint(row)
        return found

    def _cell_height(self, row: int, col: int, text: str, font: str, width: int) -> int:
        """The delegate's height for one cell's text in its column of ``width`` (what QTableView's
        row sizing asks each cell), remembered by text, width and font: texts repeat across rows
        and forms."""
        key = (text, width, font)
        found = self._heights.get(key)
        if found is None:
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            grid = 1 if self.showGrid() else 0
            option.rect = QRect(0, 0, width - grid, max(self.rowHeight(row), 1))  # height 0: no wrapping
            index = self.model().index(row, col)
            found = self.itemDelegateForIndex(index).sizeHint(option, index).height()
            if len(self._heights) >= HEIGHTS_KEPT:
                self._heights.clear()
            self._heights[key] = found
        return found


class GridView(QWidget):
    """An Excel-like grid over one table of one form."""

    # Emitted with a message for the status bar (refused input, a key that does nothing here).
    message = Signal(str)
    # Emitted when a grid shown with ``size_later`` has had its columns and rows fitted.
    sized = Signal()

    def __init__(
        self, ctx: AppContext, table: str, parent: QWidget | None = None, model: GridModel | None = None
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)  # as its GridTable's (above)
        self.ctx = ctx
        self.table = table
        self._unsized = False  # shown with size_later, not sized yet
        self._model = make_model(ctx, table, self) if model is None else model
        self._model.setParent(self)
        self._view = GridTable(self)
        self._view.setModel(self._model)
        self._delegate = GridDelegate(self._view, lambda editor: editor is self._view.refused_editor)
        self._view.setItemDelegate(self._delegate)
        self._setup_view()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._view)
        self._cell_message: QLabel | None = None  # made when a cell's input is first refused
        self._resize_timer = QTimer(self, singleShot=True, interval=0)
        self._resize_timer.timeout.connect(self._resize_all)  # rows came or went: size them all
        self._unfitted_rows: set[int] = set()
        self._row_fit_timer = QTimer(self, singleShot=True, interval=0)
        self._row_fit_timer.timeout.connect(self._fit_rows)
        self._fitted_width = 0
        self._widths: dict[tuple[object, ...], list[int]] = {}  # see _column_widths
        self._title_lines: dict[tuple[object, ...], dict[int, str]] = {}  # see _wrap_titles
        self._title_px: dict[tuple[str, str], int] = {}  # see _title_advance
        # Form uid -> (what its rows were sized for: font, column widths, row count; each row's
        # height): showing a project again sets its rows' heights instead of measuring every cell.
        # A change to the form forgets its heights (its text may wrap differently).
        self._heights: dict[int, tuple[tuple[object, ...], list[int]]] = {}
        ctx.listen(self, self._forget_heights)
        ctx.document_replaced.connect(self._heights.clear)
        self._refit_timer = QTimer(self, singleShot=True, interval=50)
        self._refit_timer.timeout.connect(self._refit)
        self._delegate.navigated.connect(self._navigated)
        self._model.edit_refused.connect(self._on_refused)
        self._place: tuple[int, int, int, int] | None = None
        self._model.modelAboutToBeReset.connect(self._remember_place)
        self._model.modelReset.connect(self._on_reset)
        self._model.cell_listeners.append(self._on_cells_changed)

    def _setup_view(self) -> None:
        view = self._view
        view.setWordWrap(True)
        view.setTabKeyNavigation(True)
        view.setAlternatingRowColors(False)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        view.horizontalHeader().setHighlightSections(True)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)

    # ---- the interface the window uses ------------------------------------------------
    @property
    def view(self) -> QTableView:
        return self._view

    @property
    def model(self) -> GridModel:
        return self._model

    def set_form(self, uid: int | None, size_later: bool = False) -> None:
        """Show that form's table (None = empty).

        ``size_later`` (a grid below the part of the page on screen): its cells are the form's at
        once — a key, a paste, an undo or a jump lands in them — but its columns and rows are fitted
        by ``size_now``: after the paint, or before the grid takes a key, the focus or a jump.

        The headers are repainted only when they look different after it: the reset repainted both
        whole on every switch (each section asking the model for its title and roles), a sixth of
        a switch's painting, though another project of the same kind shows the same column titles
        and, as often, the same row numbers at the same heights.

        An editor whose text was refused closes with the reset: its red box goes with it (it stayed
        over the next form's cells, about a cell no longer shown)."""
        self._view.refused_editor = None
        self.hide_cell_message()
        self._unsized = size_later
        if size_later:
            self._model.set_form(uid)
            self._resize_timer.stop()  # (the reset's own sizing: size_now does it)
            self._unfitted_rows.clear()
            return
        headers = (self._view.horizontalHeader(), self._view.verticalHeader())
        before = self._header_looks() if self.isVisible() else None
        for header in headers:
            header.viewport().setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, before is not None)
        try:
            self._model.set_form(uid)
            self._quietly(self.fit_columns)  # the reset's own sizing is not needed again
        finally:
            if before is not None:
                for header in headers:  # the attribute, not setUpdatesEnabled(True): that repaints
                    header.viewport().setAttribute(Qt.WidgetAttribute.WA_UpdatesDisabled, False)
                for header, look, now in zip(headers, before, self._header_looks(), strict=True):
                    if now != look:
                        header.viewport().update()
        self._resize_timer.stop()
        self._unfitted_rows.clear()
        self._view.executeDelayedItemsLayout()  # the scroll ranges and a repaint, now

    @property
    def unsized(self) -> bool:
        """True while a grid shown with ``size_later`` waits for its sizing."""
        return self._unsized

    def size_now(self) -> bool:
        """Fit the columns and rows of a grid shown with ``size_later`` (``sized`` then tells the
        page); return False when there was nothing to do."""
        if not self._unsized:
            return False
        self._unsized = False
        self._quietly(self.fit_columns)
        self._resize_timer.stop()
        self._view.executeDelayedItemsLayout()
        self.sized.emit()
        return True

    def _header_looks(self) -> tuple[tuple[object, ...], tuple[object, ...]]:
        """What the column header and the row header paint: their titles and sections (sizes, order,
        sort indicator: a header's saved state, read in one call instead of one per section), the
        selection (which highlights sections), where they are scrolled, their size and font. A
        header under the mouse (its hovered section) always counts as changed."""
        view, model = self._view, self._model
        selection = view.selectionModel()
        selected = selection.selection().toList() if selection is not None else []
        # (the selection's ranges as numbers: its persistent indexes do not outlive a reset; the
        # current cell, the header's state, size and font as Qt's values, compared by Qt)
        ranges = tuple((r.top(), r.left(), r.bottom(), r.right()) for r in selected)
        shared = (ranges, view.currentIndex(), view.hasFocus())
        titles = (model.column_titles(), model.row_labels())
        looks = [
            (
                names,
                header.saveState(),
                header.offset(),
                header.size(),
                header.font(),
                header.underMouse() or None,
                shared,
            )
            for header, names in zip((view.horizontalHeader(), view.verticalHeader()), titles, strict=True)
        ]
        return looks[0], looks[1]

    def _quietly(self, step: Callable[[], object]) -> None:
        """Size the columns or rows with the headers quiet: each resized section otherwise starts
        the view's own timer, which repainted the whole grid a second time after the first paint
        (for every project shown). The reset repaints everything once, when laid out."""
        headers = (self._view.horizontalHeader(), self._view.verticalHeader())
        for header in headers:
            header.blockSignals(True)
        try:
            step()
        finally:
            for header in headers:
                header.blockSignals(False)

    def select_cell(self, row: int, column: str) -> None:
        """Scroll to and select a cell (column = code name), and give the grid focus."""
        col = self._model.column_of(column or "")
        if self._model.rowCount() == 0:
            return
        index = self._model.index(max(0, min(row or 0, self._model.rowCount() - 1)), max(col, 0))
        self._set_current(index.row(), index.column())
        self._view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._view.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- layout --------------------------------------------------------------------------
    def fit_columns(self) -> None:
        """Give each column the template's width hint (in characters), at least its title's width,
        then size the rows for them.

        When that is wider than the grid, the long-text columns give up width (their text wraps) so
        that every column, 偏差原因 included, fits without a horizontal scrollbar at 1024 pixels.
        """
        widths = self._column_widths()
        for i, width in enumerate(widths):
            self._view.setColumnWidth(i, width)
        self._fitted_width = self._view.viewport().width()
        self._wrap_titles(widths)
        self._fit_all_rows()

    def _sized_for(self) -> tuple[object, ...]:
        view, count = self._view, self._model.columnCount()
        return (view._font_key(), tuple(view.columnWidth(i) for i in range(count)), self._model.rowCount())

    def _fit_all_rows(self) -> None:
        """Size every row: as they were when this form was last shown and nothing has changed since
        (a project switch), else measured."""
        uid = self._model.uid
        kept = self._heights.get(uid) if uid is not None else None
        if kept is not None and kept[0] == self._sized_for():
            header = self._view.verticalHeader()
            for row, height in enumerate(kept[1]):
                if header.sectionSize(row) != height:
                    header.resizeSection(row, height)
            return
        self._view.fit_rows()
        self._keep_heights()

    def _keep_heights(self) -> None:
        """Keep the rows' heights for the form's next showing."""
        uid = self._model.uid
        if uid is not None:
            header = self._view.verticalHeader()
            heights = [header.sectionSize(r) for r in range(self._model.rowCount())]
            self._heights[uid] = (self._sized_for(), heights)

    def _forget_heights(self, change: Change) -> None:
        if change.form is None:
            self._heights.clear()  # forms came or went, another template, the report's own fields
        else:
            self._heights.pop(change.form, None)

    def _wrap_titles(self, widths: list[int]) -> None:
        """Break the titles of columns narrower than their title into lines (the header grows a
        line): at 150 % scaling the 评分表's 评分要点及评分标准 showed the middle of its title. Kept by
        titles, widths and font (each switch measured every title again)."""
        header = self._view.horizontalHeader()
        titles = tuple(column.title for column in self._model.columns)
        key = (titles, tuple(widths), font_key(header.font()))
        lines = self._title_lines.get(key)
        if lines is None:
            metrics = header.fontMetrics()
            lines = {}
            for i, (title, width) in enumerate(zip(titles, widths, strict=False)):
                if "\n" not in title and self._title_advance(metrics, key[2], title) + TITLE_SLACK > width:
                    lines[i] = wrap_title(title, metrics.horizontalAdvance, width - TITLE_SLACK)
            if len(self._title_lines) >= 64:
                self._title_lines.clear()
            self._title_lines[key] = lines
        if lines != self._model.title_lines:
            self._model.title_lines = dict(lines)  # (the kept one stays as it is)
            count = self._model.columnCount()
            if count:
                self._model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, count - 1)
            self._view.updateGeometries()  # the header's new height, now

    def _column_widths(self) -> list[int]:
        """The columns' widths for the grid's width (kept by columns, width and fonts: a project shown
        again, or another of the same kind, gets them without measuring every title again)."""
        view, columns = self._view, self._model.columns
        key = (
            tuple((c.width, c.title, c.editor) for c in columns),
            view.viewport().width(),
            view._font_key(),
            font_key(view.horizontalHeader().font()),
        )
        found = self._widths.get(key)
        if found is None:
            if len(self._widths) >= 64:
                self._widths.clear()
            found = self._widths[key] = self._measure_widths()
        return list(found)

    def _title_advance(self, metrics: QFontMetrics, font: str, title: str) -> int:
        """A column title's width in the header's font (``font``: its key), measured once: the
        columns' widths and the titles' wrapping both ask it of every title when a grid is first
        sized (each time shaping the title's text again)."""
        key = (title, font)
        found = self._title_px.get(key)
        if found is None:
            if len(self._title_px) >= 256:
                self._title_px.clear()
            found = self._title_px[key] = metrics.horizontalAdvance(title)
        return found

    def _measure_widths(self) -> list[int]:
        unit = self._view.fontMetrics().horizontalAdvance("0")
        header = self._view.horizontalHeader()
        metrics, font = header.fontMetrics(), font_key(header.font())
        columns = self._model.columns
        titles = [self._title_advance(metrics, font, c.title) for c in columns]
        widths = [max((c.width or 10) * unit + 12, t + 24) for c, t in zip(columns, titles, strict=True)]
        room = self._view.viewport().width() - 2
        if room < 200:
            return widths
        # Long-text columns give first, then the one-line text columns (their text wraps), each down
        # to its title's width; only when that is still too wide do they go down to seven characters
        # and their titles are cut (the 评分表 and 偏差原因 at 150 % scaling).
        titled = [max(7 * unit + 12, title + 24) for title in titles]
        for editor, bare in (("long", False), (LINE, False), ("long", True), (LINE, True)):
            excess = sum(widths) - room
            if excess <= 0:
                break
            floor = [7 * unit + 12 if bare else t for t in titled]
            pool = [i for i, c in enumerate(columns) if c.editor == editor]
            spare = sum(max(0, widths[i] - floor[i]) for i in pool)
            for i in pool:
                give = max(0, widths[i] - floor[i])
                widths[i] -= min(give, -(-excess * give // spare)) if spare else 0
        return widths

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fit the columns again when the grid's width changes (a window made narrower)."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width() and self._model.columns:
            self._refit_timer.start()

    def _refit(self) -> None:
        if self._view.viewport().width() != self._fitted_width:
            self.fit_columns()

    def _remember_place(self) -> None:
        # When the report is closed or replaced the old form is gone: nothing to remember. (The form
        # looked up by its uid where it stood, not by walking every form: three resets a switch.)
        doc, form = self.ctx.doc, self._model.form
        alive = False
        if doc is not None and form is not None:
            try:
                alive = doc.report.form_by_uid(form.uid) is form
            except KeyError:
                alive = False
        self._place = self.selected_rect() if alive else None

    def _on_reset(self) -> None:
        """Keep the selection where it was when rows come and go (undo, redo, row commands)."""
        if self._place is not None and self._model.rowCount():
            self.select_range(*self._place)
        self._place = None
        self._resize_timer.start()

    def _on_cells_changed(self, top: int, left: int, bottom: int, right: int) -> None:
        """Fit the height of rows whose text cells changed (not for computed cells or amounts: numbers
        stay on one line), once each on the next turn of the event loop: a pasted row changes
        several times in one paste."""
        if self._resize_timer.isActive():
            return  # every row is sized on this turn anyway (rows came or went: a paste that adds rows)
        columns = self._model.columns[left : right + 1]
        if any(not (c.computed or c.editor in ("amount", "none")) for c in columns):  # text may wrap
            self._unfitted_rows.update(range(top, bottom + 1))
            self._row_fit_timer.start()

    def _resize_all(self) -> None:
        """Size every row (after rows came or went); rows waiting to be fitted are sized with them."""
        self._unfitted_rows.clear()
        self._row_fit_timer.stop()
        self._view.fit_rows()
        self._keep_heights()

    def _fit_rows(self) -> None:
        rows, self._unfitted_rows = self._unfitted_rows, set()
        self._view.fit_rows(sorted(rows))
        self._keep_heights()

    def _on_refused(self, text: str, row: int, col: int) -> None:
        self.message.emit(text)
        self.show_cell_message(text, row, col)

    def show_cell_message(self, text: str, row: int, col: int) -> None:
        """Show a message in a red box right under a cell (and as a tooltip there)."""
        rect = self._view.visualRect(self._model.index(row, col))
        label = self.cell_message
        label.setText(text)
        width = max(rect.width(), min(360, self._view.viewport().width()))
        label.setFixedWidth(width)
        label.adjustSize()
        x = max(0, min(rect.left(), self._view.viewport().width() - width))
        below = rect.bottom() + 2
        y = (
            below
            if below + label.height() <= self._view.viewport().height()
            else rect.top() - label.height() - 2
        )
        label.move(x, max(0, y))
        label.show()
        label.raise_()
        QToolTip.showText(self._view.viewport().mapToGlobal(rect.bottomLeft()), text, self._view)

    @property
    def cell_message(self) -> QLabel:
        """The red box under a cell whose input was refused, made the first time one shows: a
        label with its own style sheet, two of them on the way to the first paint for nothing."""
        label = self._cell_message
        if label is None:
            label = self._cell_message = QLabel(self._view.viewport())
            label.setObjectName("cellMessage")
            label.setWordWrap(True)
            label.setStyleSheet(
                "background: #fff2f2; color: #9c0006; border: 1px solid #c00000; padding: 2px 4px;"
            )
            label.hide()
        return label

    def hide_cell_message(self) -> None:
        if self._cell_message is not None:
            self._cell_message.hide()

    def keep_editor(self, editor: QWidget, text: str) -> None:
        """Leave a refused editor open over its cell, with its text and the reason under it."""
        index = self._delegate.editing_index
        if index is None or not index.isValid():
            return
        row, col = index.row(), index.column()
        self.show_cell_message(text + "（按 Esc 放弃修改）", row, col)

        def back() -> None:
            if self._view.refused_editor is not editor:
                return
            if self._view.currentIndex() != self._model.index(row, col):
                self._set_current(row, col)
            editor.setFocus(Qt.FocusReason.OtherFocusReason)

        QTimer.singleShot(0, back)

    def commit_editor(self) -> str | None:
        """Write the open editor's text, if any; return why it was refused (None when written)."""
        if not self._view.is_editing():
            return None
        index = self._delegate.editing_index
        editor = self._view.indexWidget(index) if index is not None and index.isValid() else None
        if editor is None:
            return None
        self._view.commitData(editor)
        if self._view.refused_editor is editor:
            return self._model.last_refusal or "输入的内容无法写入"
        self._view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return None

    # ---- moving and typing -------------------------------------------------------------
    def move_by(self, rows: int, columns: int) -> None:
        """Move the current cell (Tab past the last column wraps to the next row)."""
        current = self._view.currentIndex()
        if not current.isValid():
            return
        row, col = current.row() + rows, current.column() + columns
        last_col = self._model.columnCount() - 1
        if col > last_col and row + 1 < self._model.rowCount():
            row, col = row + 1, 0
        elif col < 0 and row > 0:
            row, col = row - 1, last_col
        row = max(0, min(row, self._model.rowCount() - 1))
        col = max(0, min(col, last_col))
        self._set_current(row, col)

    def tab_leaves(self, forward: bool) -> bool:
        """True when Tab (``forward``; else Shift+Tab) leaves the grid for the next (previous) widget
        in Tab's order rather than moving the current cell: from the grid's last cell (first cell), or
        with no cell. Tab goes along the rows as in Excel (move_by); at the grid's ends it used to stay
        put, so Tab into a grid kept the keyboard there until F6."""
        current = self._view.currentIndex()
        if not current.isValid():
            return True
        if forward:
            last = (self._model.rowCount() - 1, self._model.columnCount() - 1)
            return (current.row(), current.column()) >= last
        return (current.row(), current.column()) <= (0, 0)

    def enter(self, backward: bool) -> None:
        """Tab came into the grid: its first cell current (Shift+Tab: its last), so that Tab walks
        every cell before going on, whichever way it comes and wherever the last walk left the cell
        (it kept that cell: after a walk forward, the next Tab into the grid went straight out)."""
        rows, columns = self._model.rowCount(), self._model.columnCount()
        if rows and columns:
            self._set_current(rows - 1 if backward else 0, columns - 1 if backward else 0)

    def _navigated(self, rows: int, columns: int) -> None:
        """An open cell editor committed by Enter or Tab: move the current cell; Tab from the grid's
        last (Shift+Tab from its first) cell goes on to the next (previous) widget, as without an editor."""
        if rows == 0 and columns and self.tab_leaves(columns > 0):
            self._view.focusNextPrevChild(columns > 0)
            return
        self.move_by(rows, columns)

    def _set_current(self, row: int, col: int) -> None:
        """Make one cell current and the only one selected."""
        flag = QItemSelectionModel.SelectionFlag
        self._view.selectionModel().setCurrentIndex(self._model.index(row, col), flag.ClearAndSelect)

    def edit_current(self) -> None:
        """F2: open the current cell's editor with the caret after its text, as Excel does."""
        editor = self.start_typing(None)
        if editor is not None:
            set_editor_text(editor, editor_text(editor))

    def start_typing(self, text: str | None) -> QWidget | None:
        """Open the editor of the current cell with ``text`` replacing what it held."""
        index = self._view.currentIndex()
        if not index.isValid():
            return None
        if not self._model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self._on_refused("此单元格由程序计算或不需填写，不能修改", index.row(), index.column())
            return None
        self._view.edit(index)
        editor = self._view.indexWidget(index)
        if editor is not None and text is not None:
            set_editor_text(editor, text)
        return editor

    def handles(self, event: QKeyEvent) -> bool:
        """Return True for a shortcut the grid handles itself."""
        return self._command_for(event) is not None

    def key_pressed(self, event: QKeyEvent) -> bool:
        """Handle a key while no editor is open; return True when it was used."""
        command = self._command_for(event)
        if command is not None:
            command()
            return True
        text = event.text()
        if text and text.isprintable() and not _mods(event) & (CTRL | ALT):
            self.start_typing(text)
            return True
        return False

    def _command_for(self, event: QKeyEvent) -> Callable[[], object] | None:
        key, mods = Qt.Key(event.key()), _mods(event)
        table: dict[tuple[Qt.Key, Qt.KeyboardModifier], Callable[[], object]] = {
            (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier): lambda: self.move_by(1, 0),
            (Qt.Key.Key_Enter, Qt.KeyboardModifier.NoModifier): lambda: self.move_by(1, 0),
            (Qt.Key.Key_Return, SHIFT): lambda: self.move_by(-1, 0),
            (Qt.Key.Key_Enter, SHIFT): lambda: self.move_by(-1, 0),
            (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier): lambda: self.move_by(0, 1),
            (Qt.Key.Key_Tab, SHIFT): lambda: self.move_by(0, -1),
            (Qt.Key.Key_Backtab, SHIFT): lambda: self.move_by(0, -1),
            (Qt.Key.Key_Backtab, Qt.KeyboardModifier.NoModifier): lambda: self.move_by(0, -1),
            (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier): self.clear_selection,
            (Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier): lambda: self.start_typing(""),
            (Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier): self.edit_current,
            (Qt.Key.Key_D, CTRL): self.fill_down,
            (Qt.Key.Key_Y, CTRL): self.redo,
            (Qt.Key.Key_Z, CTRL | SHIFT): self.redo,
            (Qt.Key.Key_Minus, CTRL): self.delete_rows,
            (Qt.Key.Key_Equal, CTRL | SHIFT): self.insert_rows,
            (Qt.Key.Key_Plus, CTRL | SHIFT): self.insert_rows,
            (Qt.Key.Key_Plus, CTRL): self.insert_rows,
            (Qt.Key.Key_Up, ALT): lambda: self.move_rows(-1),
            (Qt.Key.Key_Down, ALT): lambda: self.move_rows(1),
        }
        if (key, mods) in table:
            return table[(key, mods)]
        for sequence, command in (
            (QKeySequence.StandardKey.Copy, self.copy),
            (QKeySequence.StandardKey.Paste, self.paste),
            (QKeySequence.StandardKey.Cut, self.cut),
            (QKeySequence.StandardKey.Undo, self.undo),
            (QKeySequence.StandardKey.Redo, self.redo),
        ):
            if event.matches(sequence):
                return command
        return None

    # ---- selection -----------------------------------------------------------------
    def selected_rect(self) -> tuple[int, int, int, int] | None:
        """Return (top, left, bottom, right) around the selection (or the current cell)."""
        indexes = self._view.selectionModel().selectedIndexes() if self._view.selectionModel() else []
        if not indexes:
            current = self._view.currentIndex()
            if not current.isValid():
                return None
            indexes = [current]
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return min(rows), min(cols), max(rows), max(cols)

    def selected_cells(self) -> list[tuple[int, int]]:
        indexes = self._view.selectionModel().selectedIndexes()
        if not indexes and self._view.currentIndex().isValid():
            indexes = [self._view.currentIndex()]
        return sorted((i.row(), i.column()) for i in indexes)

    def select_range(self, top: int, left: int, bottom: int, right: int) -> None:
        """Select a rectangle and make its top-left cell current."""
        model = self._model
        if model.rowCount() == 0 or model.columnCount() == 0:
            return
        bottom = min(bottom, model.rowCount() - 1)
        right = min(right, model.columnCount() - 1)
        top, left = min(top, bottom), min(left, right)
        flag = QItemSelectionModel.SelectionFlag
        self._set_current(top, left)
        selection = QItemSelection(model.index(top, left), model.index(bottom, right))
        self._view.selectionModel().select(selection, flag.ClearAndSelect)

    # ---- clipboard ------------------------------------------------------------------
    def copy(self) -> None:
        """Put the selected rectangle on the clipboard as tab-separated text."""
        rect = self.selected_rect()
        if rect is None:
            return
        top, left, bottom, right = rect
        block = [
            [str(self._model.index(r, c).data() or "") for c in range(left, right + 1)]
            for r in range(top, bottom + 1)
        ]
        from gui.grids.clipboard import to_tsv

        QGuiApplication.clipboard().setText(to_tsv(block))

    def cut(self) -> None:
        self.copy()
        self.clear_selection()

    def paste(self) -> None:
        """Paste tab-separated text from Excel or WPS at the selection (one undo step)."""
        rect = self.selected_rect()
        if rect is None and self._model.rowCount() == 0 and self._model.uid is not None:
            rect = (0, 0, 0, 0)  # a new project's empty table: the pasted rows become its rows
        text = QGuiApplication.clipboard().text()
        if rect is None or not text:
            return
        top, left, bottom, right = rect
        from gui.grids import rows as row_ops
        from gui.grids.clipboard import parse_tsv, plan_paste

        block = parse_tsv(text)
        plan = plan_paste(
            block,
            top,
            left,
            bottom - top + 1,
            right - left + 1,
            self._model.rowCount(),
            self._model.columnCount(),
            self._model.can_add_rows,
        )
        if row_ops.paste(self._model, plan):
            sel_h, sel_w, block_h, block_w = bottom - top + 1, right - left + 1, len(block), len(block[0])
            tiled = sel_h % block_h == 0 and sel_w % block_w == 0
            height, width = (sel_h, sel_w) if tiled else (block_h, block_w)
            self.select_range(top, left, top + height - 1, left + width - 1)

    def clear_selection(self) -> None:
        """Empty the selected cells (one undo step)."""
        cells = [(r, c, "") for r, c in self.selected_cells()]
        self._model.apply_cells(cells, "清除内容")

    def fill_down(self) -> None:
        """Copy the top cell of each selected column down the selection (Ctrl+D)."""
        rect = self.selected_rect()
        if rect is None:
            return
        top, left, bottom, right = rect
        source = top - 1 if top == bottom else top
        if source < 0:
            return
        cells = [(r, c, self._model.cell_text(source, c)) for r, c in self.selected_cells() if r != source]
        self._model.apply_cells(cells, "向下填充")

    # ---- rows and undo -----------------------------------------------------------------
    def _selected_rows(self) -> list[int]:
        return sorted({r for r, _ in self.selected_cells()})

    def insert_rows(self, below: bool = False) -> None:
        """Insert as many blank rows as are selected, above the selection (or below)."""
        rows = self._selected_rows() or [self._model.rowCount() - 1 if below else 0]
        at = rows[-1] + 1 if below else rows[0]
        from gui.grids import rows as row_ops

        if row_ops.insert(self, at, len(rows)):
            col = max(self._view.currentIndex().column(), 0)
            self.select_range(at, col, at + len(rows) - 1, col)

    def delete_rows(self) -> None:
        from gui.grids import rows as row_ops

        rows = self._selected_rows()
        if rows and row_ops.delete(self, rows):
            col = max(self._view.currentIndex().column(), 0)
            self.select_range(rows[0], col, rows[0], col)

    def move_rows(self, delta: int) -> None:
        """Move the selected block of rows up (-1) or down (+1)."""
        from gui.grids import rows as row_ops

        rows = self._selected_rows()
        if rows and row_ops.move(self, rows[0], rows[-1], delta):
            rect = self.selected_rect() or (rows[0], 0, rows[-1], 0)
            self.select_range(rows[0] + delta, rect[1], rows[-1] + delta, rect[3])

    def undo(self) -> None:
        self.ctx.undo_stack.undo()

    def redo(self) -> None:
        self.ctx.undo_stack.redo()

    def _context_menu(self, pos: QPoint) -> None:
        from gui.grids import rows as row_ops

        menu = QMenu(self)
        at = self._view.indexAt(pos)
        if self.table == "indicators":
            add_direction_actions(self.ctx, self._model.uid, at.row(), menu)
        if at.isValid():  # a 请核对 an import left at this cell
            column = self._model.column_key(at.column())
            add_checked_action(self.ctx, self._model.uid, self.table, at.row(), column, menu)
        row_ops.fill_menu(self, menu)
        menu.popup(self._view.viewport().mapToGlobal(pos))
