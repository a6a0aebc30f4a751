"""A grid's cells painted as QTableView paints them, with the cells kept as images drawn from Python.

QTableView::paintEvent asks the model, for every cell it paints, for an index (``index`` → Python
``rowCount`` and ``columnCount``), for its flags twice (its own enabled check, and the selection
model's ``isSelected``), then calls the delegate's Python ``paint`` with a copy of the whole style
option: six Python round trips a cell, most of a switch's painting once the cells' images are kept
(``CellImages``). ``paint_cells`` does the same painting with one Python loop: the same cells in the
same order at the same places, the same state (selected, focus), the same grid lines with the same
pen, and each cell Qt's own drawing (``GridDelegate.paint`` as QTableView calls it) unless its image
is kept, when the image is drawn as the delegate would draw it.

It paints only what it knows to be the same as Qt's painting: left to right, no alternating rows,
no hidden or moved sections, no spanned cells (``GridTable.setSpan``), both headers shown, no drag
under way, and not while the mouse is over a grid whose style marks the cell under it (``WA_Hover``:
the hovered cell is Qt's to know). Any other case is left to QTableView (``paint_cells`` returns
False before painting anything).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyleOptionViewItem

from gui.grids.base import GridModel

if TYPE_CHECKING:
    from PySide6.QtGui import QPen
    from PySide6.QtWidgets import QTableView

    from gui.grids.delegates import GridDelegate


def qt_paints(view: QTableView, model: object) -> bool:
    """True when the grid's painting is one ``paint_cells`` does not do (QTableView paints it).
    (Qt's enums are read here, not when the module is imported: making them is not on the way to
    the window's first paint, which Qt paints.)"""
    port = view.viewport()
    horizontal, vertical = view.horizontalHeader(), view.verticalHeader()
    return (
        not isinstance(model, GridModel)
        or type(model).flags is not GridModel.flags  # (every cell enabled and selectable)
        or view.isRightToLeft()
        or view.alternatingRowColors()
        or horizontal.isHidden()
        or vertical.isHidden()
        or horizontal.sectionsHidden()
        or vertical.sectionsHidden()
        or horizontal.sectionsMoved()
        or vertical.sectionsMoved()
        or view.state() == QAbstractItemView.State.DraggingState
        or getattr(view, "spanned", False)  # (spanned cells: QTableView draws them, this does not)
        or (port.testAttribute(Qt.WidgetAttribute.WA_Hover) and port.underMouse())
    )


def paint_cells(view: QTableView, event: QPaintEvent, delegate: GridDelegate) -> bool:
    """Paint the cells of ``event``'s region as QTableView::paintEvent does (see the module's
    docstring); False, painting nothing, when QTableView must."""
    model = view.model()
    if qt_paints(view, model):
        return False
    assert isinstance(model, GridModel)
    try:
        dirty_rects = [rect.getRect() for rect in cast(Iterable[QRect], event.region())]
    except TypeError:  # (a PySide whose QRegion does not iterate its rectangles: Qt paints)
        return False
    images = delegate.images
    port = view.viewport()
    horizontal, vertical = view.horizontalHeader(), view.verticalHeader()
    painter = QPainter(port)
    try:
        columns_, rows_ = horizontal.count(), vertical.count()
        if columns_ == 0 or rows_ == 0:
            return True
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        base = option.state._value_
        if base & images.enabled:  # (every cell enabled: QTableView's drawCell sets this group)
            palette = option.palette
            palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)
            option.palette = palette
        grid = view.showGrid()
        size = 1 if grid else 0
        x_end = horizontal.length() - horizontal.offset() - 1
        y_end = vertical.length() - vertical.offset() - 1
        first_row = max(vertical.visualIndexAt(0), 0)
        last_row = vertical.visualIndexAt(vertical.height())
        if last_row == -1:
            last_row = model.rowCount() - 1
        first_col = horizontal.visualIndexAt(0)
        last_col = horizontal.visualIndexAt(horizontal.width())
        if first_col == -1:
            first_col = 0
        if last_col == -1:
            last_col = columns_ - 1
        across = last_col - first_col + 1
        bits = (last_row - first_row + 1) * across
        drawn: set[int] = set()

        # what the cells share: the selection, the current cell, the images
        selection = view.selectionModel()
        chosen = []
        if selection is not None:
            picked = selection.selection()
            for i in range(picked.size()):
                part = picked.at(i)
                if part.isValid():
                    chosen.append((part.top(), part.left(), part.bottom(), part.right()))
        current = view.currentIndex()
        focus_at = (
            (current.row(), current.column())
            if current.isValid() and (view.hasFocus() or port.hasFocus())
            else None
        )
        selected_bit, focus_bit = images.selected, images.focus
        kept, frame = images.kept, delegate._frame
        painted = model._painted
        work_out = model._paint_roles
        work_out_row = model.paint_row
        count_rows, count_cols = len(model.rows()), len(model.columns)
        opaque = delegate._fill.alpha() == 255  # (an image covers the row panel under it)
        pen: QPen | None = None
        tops: dict[int, tuple[int, int]] = {}
        lefts: dict[int, tuple[int, int]] = {}

        def row_at(row: int) -> tuple[int, int]:
            found = tops.get(row)
            if found is None:
                found = (vertical.sectionViewportPosition(row), vertical.sectionSize(row) - size)
                tops[row] = found
            return found

        def col_at(col: int) -> tuple[int, int]:
            found = lefts.get(col)
            if found is None:
                found = (horizontal.sectionViewportPosition(col), horizontal.sectionSize(col) - size)
                lefts[col] = found
            return found

        for left_x, top_y, width, height in cast(list[tuple[int, int, int, int]], dirty_rects):
            right_x = min(left_x + width - 1, x_end)
            bottom_y = min(top_y + height - 1, y_end)
            if right_x < left_x or bottom_y < top_y:
                continue
            left = horizontal.visualIndexAt(left_x)
            right = horizontal.visualIndexAt(right_x)
            if left == -1:
                left = 0
            if right == -1:
                right = columns_ - 1
            bottom = vertical.visualIndexAt(bottom_y)
            if bottom == -1:
                bottom = rows_ - 1
            top = vertical.visualIndexAt(top_y)
            if top == -1 or top > bottom:
                continue
            for row in range(top, bottom + 1):
                y, h = row_at(row)
                cells = painted.get(row)
                if cells is None and row < count_rows:
                    cells = work_out_row(row)  # (a row painted for the first time: all its cells)
                for col in range(left, right + 1):
                    bit = (row - first_row) * across + col - first_col
                    if bit < 0 or bit >= bits or bit in drawn:
                        continue
                    drawn.add(bit)
                    if not (row < count_rows and col < count_cols):
                        continue  # (no such index: QTableView paints nothing there)
                    x, w = col_at(col)
                    style = cells.get(col) if cells is not None else None
                    if style is None:
                        style = work_out(row, col)
                        cells = painted.get(row)
                    state = base
                    for t, l_, b, r in chosen:
                        if t <= row <= b and l_ <= col <= r:
                            state |= selected_bit
                            break
                    if focus_at is not None and focus_at == (row, col):
                        state |= focus_bit
                    else:
                        text, background, foreground, alignment = style
                        key = (text, id(background), id(foreground), alignment, w, h, state, frame)
                        found = kept.get(key)
                        if found is not None and found[1] is background and found[2] is foreground:
                            if not opaque:
                                _panel(view, painter, _cell(option, x, y, w, h, state), images)
                            painter.drawPixmap(x, y, found[0])
                            continue
                    # as QTableView's drawCell: the row panel, then the delegate (which keeps the image)
                    cell = _cell(option, x, y, w, h, state)
                    _panel(view, painter, cell, images)
                    delegate.paint(painter, cell, model.index(row, col))
            if grid:
                if pen is None:
                    pen = _grid_pen(view, option, images)
                if pen.style() == Qt.PenStyle.SolidLine:
                    # a solid one-pixel line across the dirty area is these pixels: filled as a span
                    # (the pen drew it pixel by pixel, a tenth of a switch: tests/gui/test_cell_images.py)
                    colour = pen.color()
                    across_x = right_x - left_x + 1
                    for row in range(top, bottom + 1):
                        y, h = row_at(row)
                        painter.fillRect(left_x, y + h, across_x, 1, colour)
                    down = bottom_y - top_y + 1
                    for col in range(left, right + 1):
                        x, w = col_at(col)
                        painter.fillRect(x + w, top_y, 1, down, colour)
                    continue
                from PySide6.QtCore import QLineF  # (a dashed grid: never the window's)

                old = painter.pen()
                painter.setPen(pen)
                for row in range(top, bottom + 1):
                    y, h = row_at(row)
                    painter.drawLine(QLineF(left_x + 0.5, y + h + 0.5, right_x + 0.5, y + h + 0.5))
                for col in range(left, right + 1):
                    x, w = col_at(col)
                    painter.drawLine(QLineF(x + w + 0.5, top_y + 0.5, x + w + 0.5, bottom_y + 0.5))
                painter.setPen(old)
        return True
    finally:
        painter.end()


def _cell(option: QStyleOptionViewItem, x: int, y: int, w: int, h: int, state: int) -> QStyleOptionViewItem:
    """A cell's style option, as QTableView's drawCell makes it from the view's."""
    cell = QStyleOptionViewItem(option)
    cell.rect = QRect(x, y, w, h)
    cell.state = type(option.state)(state)
    return cell


def _panel(view: QTableView, painter: QPainter, cell: QStyleOptionViewItem, images: Any) -> None:
    """The row panel QTableView draws under each cell."""
    view.style().drawPrimitive(images.row_panel, cell, painter, view)


def _grid_pen(view: QTableView, option: QStyleOptionViewItem, images: Any) -> QPen:
    """QTableView's grid pen: the style's grid colour, one pixel, the view's grid style."""
    from PySide6.QtGui import QPen  # (not on the way to the first paint, which Qt paints)

    hint = view.style().styleHint(images.grid_colour, option, view)
    return QPen(QColor.fromRgba(hint & 0xFFFFFFFF), 1, view.gridStyle())
