"""Grid cells drawn from images of themselves (gui/grids/delegates.py, ``CellImages``; issue 15:
switch) look exactly as Qt draws them: Chinese, numbers, wrapped and cut-off text, a selection,
the problem colours, computed cells."""

from __future__ import annotations

from typing import Any

import pytest

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QRegion
from PySide6.QtWidgets import QApplication, QTableView

from core.schema import IND
from gui.grids import GridView, delegates
from gui.grids import view as view_module
from gui.grids.base import SEVERITY_ROLE
from gui.main_window import MainWindow
from tests.gui.window_helpers import column_of, grid, make_window, pick_project, type_into_cell

LONG = "同时通过全额返还两新组织党员党费作为支部党建活动经费，" * 30  # more lines than a row shows


@pytest.fixture
def images() -> Any:
    """The shared cell images, empty at the start and the end of a test (on)."""
    kept = delegates.CELL_IMAGES
    kept.clear()
    kept.start()  # (as the window does once it has painted)
    yield kept
    kept.clear()
    kept.on = True


def shown_window(qtbot: Any, seed_zpdb: Any) -> tuple[MainWindow, QTableView]:
    """The sample's third project (errors, warnings and notes in its 指标 grid), a cell of 偏差原因
    holding more text than its row shows, three rows × three columns selected."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    window.resize(1366, 900)
    pick_project(window, window.ctx.open_doc.report.projects[2].name)
    view = grid(window, "indicatorGrid")
    type_into_cell(qtbot, view, 2, IND.deviation_note, LONG)
    model = view.model()
    flag = QItemSelectionModel.SelectionFlag
    view.selectionModel().setCurrentIndex(model.index(3, 1), flag.ClearAndSelect)
    view.selectionModel().select(QItemSelection(model.index(3, 1), model.index(5, 3)), flag.ClearAndSelect)
    for _ in range(5):
        QApplication.processEvents()
    return window, view


def painted(view: QTableView) -> QImage:
    """The grid's cells as they are painted now (each grab paints them again)."""
    return view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_cells_drawn_from_their_images_look_exactly_as_qt_draws_them(
    qtbot: Any, seed_zpdb: Any, images: Any
) -> None:
    window, view = shown_window(qtbot, seed_zpdb)
    model = view.model()
    cells = [(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())]
    flags = {model.index(r, c).data(SEVERITY_ROLE) for r, c in cells}
    assert {"error", "warning", "info"} <= flags  # every problem colour is on the grid
    assert view.rowHeight(2) < view.fontMetrics().lineSpacing() * 14  # the long text is cut off
    for _ in range(3):  # seen, kept, drawn from the images
        painted(view)
    kept = len(images.kept)
    assert kept >= 40  # (9 rows × 9 columns shown: all but the current cell, alike ones shared)
    cached = painted(view)
    assert len(images.kept) == kept  # nothing new: every cell came from an image

    images.on = False  # Qt's own drawing, every cell
    images.clear()
    plain = painted(view)
    assert cached == plain  # exactly, pixel for pixel

    # and the images are what was drawn: spoilt, they show
    images.on = True
    for _ in range(3):
        painted(view)
    for image, _background, _foreground in images.kept.values():
        image.fill(QColor("#ff00ff"))
    assert painted(view) != plain


def test_the_window_looks_the_same_after_switching_back_and_forth(
    qtbot: Any, seed_zpdb: Any, images: Any
) -> None:
    """Projects shown again (most cells from images: selection, colours, the long text) and the
    window around them, as Qt alone paints them."""
    window, view = shown_window(qtbot, seed_zpdb)
    names = [p.name for p in window.ctx.open_doc.report.projects]
    for name in names + names + [names[2]]:
        pick_project(window, name)
    assert view.currentIndex().row() == 3 and view.currentIndex().column() == 1
    assert len(images.kept) >= 40
    cached = window.grab().toImage()
    images.on = False
    images.clear()
    plain = window.grab().toImage()
    assert cached == plain


def test_a_cell_that_changes_is_not_drawn_from_its_old_image(qtbot: Any, seed_zpdb: Any, images: Any) -> None:
    """A cell typed into (text, 建议得分, colours), selected or unselected shows as it now is."""
    window, view = shown_window(qtbot, seed_zpdb)
    for _ in range(3):
        painted(view)
    before = painted(view)
    type_into_cell(qtbot, view, 4, IND.actual, "12345")
    view.selectionModel().clearSelection()
    for _ in range(5):
        QApplication.processEvents()
    for _ in range(2):
        painted(view)
    after = painted(view)
    assert after != before
    images.on = False
    images.clear()
    assert painted(view) == after
    assert column_of(view, IND.actual) >= 0


def rendered(view: QTableView, region: QRegion) -> QImage:
    """The grid's cells painted for ``region`` only (a paint event of that region, as a partial
    repaint has), on white."""
    port = view.viewport()
    image = QImage(port.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    port.render(image, QPoint(), region)
    return image


def test_cells_painted_from_python_look_exactly_as_qtableview_paints_them(
    qtbot: Any, seed_zpdb: Any, images: Any, monkeypatch: Any
) -> None:
    """gui/grids/paint.py paints the cells QTableView::paintEvent would (images or not): a selection,
    the current cell's focus frame, problem colours, grid lines, scrolled sideways, whole and for
    regions of several rectangles cutting through cells."""
    window, view = shown_window(qtbot, seed_zpdb)
    view.setFocus()
    header = view.horizontalHeader()
    header.resizeSection(4, header.sectionSize(4) + 700)  # wider than the grid: scrolled sideways
    # (the view lays out on its own zero timer: waited for, not a fixed number of event-loop turns,
    # which a loaded machine once left short)
    qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() > 60, timeout=5000)
    assert view.hasFocus()
    view.horizontalScrollBar().setValue(57)
    port = view.viewport()
    width, height = port.width(), port.height()
    regions = [
        QRegion(port.rect()),
        QRegion(QRect(5, 3, width // 3, height // 2)) | QRegion(QRect(width // 2, height // 3, 97, 61)),
        QRegion(QRect(0, height // 4, width, 9)) | QRegion(QRect(width // 5, 0, 13, height)),
    ]
    calls: list[bool] = []
    real = view_module.paint_cells

    def counted(*args: Any) -> bool:
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(view_module, "paint_cells", counted)
    for _ in range(3):  # seen, kept, drawn from the images
        for region in regions:
            rendered(view, region)
    ours = [rendered(view, region) for region in regions]
    assert calls and all(calls)  # painted from Python
    monkeypatch.setattr(view_module, "paint_cells", lambda *args: False)
    assert [rendered(view, region) for region in regions] == ours  # QTableView, the same images
    images.on = False
    images.clear()
    assert [rendered(view, region) for region in regions] == ours  # QTableView, Qt's own drawing
    assert ours[0] != ours[1] != ours[2]


def test_a_grid_under_the_mouse_is_painted_by_qtableview_when_its_style_marks_hovered_cells(
    qtbot: Any, seed_zpdb: Any, images: Any, monkeypatch: Any
) -> None:
    """Which cell the mouse is over is QTableView's to know: with hovering on (as Windows' styles
    set it), a grid under the mouse is painted by Qt."""
    window, view = shown_window(qtbot, seed_zpdb)
    port = view.viewport()
    calls: list[bool] = []
    real = view_module.paint_cells
    monkeypatch.setattr(view_module, "paint_cells", lambda *args: calls.append(real(*args)) or calls[-1])
    painted(view)
    assert calls[-1] is True
    port.setAttribute(Qt.WidgetAttribute.WA_Hover, True)
    port.setAttribute(Qt.WidgetAttribute.WA_UnderMouse, True)
    painted(view)
    assert calls[-1] is False


def test_a_grid_with_spanned_cells_is_painted_by_qtableview(
    qtbot: Any, seed_zpdb: Any, images: Any, monkeypatch: Any
) -> None:
    """The Python painter draws every cell on its own: once a grid spans cells (setSpan), Qt paints
    it, and the spanned cell shows as one; without spans the Python painter paints again."""
    window, view = shown_window(qtbot, seed_zpdb)
    calls: list[bool] = []
    real = view_module.paint_cells
    monkeypatch.setattr(view_module, "paint_cells", lambda *args: calls.append(real(*args)) or calls[-1])
    before = painted(view)
    assert calls[-1] is True
    view.setSpan(6, 1, 2, 2)
    spanned = painted(view)
    assert calls[-1] is False
    assert spanned != before  # (the span drawn: the grid lines inside it gone)
    view.clearSpans()
    assert painted(view) == before
    assert calls[-1] is True


def test_a_grid_scrolled_down_is_painted_as_qtableview_paints_it(
    qtbot: Any, seed_zpdb: Any, images: Any, monkeypatch: Any
) -> None:
    """A grid shorter than its rows (as the 基础数据表's), scrolled down by part of a row: the cells
    painted from Python are QTableView's, whole and for a region cutting through rows."""
    window, _view = shown_window(qtbot, seed_zpdb)
    grid_view = GridView(window.ctx, "indicators")
    qtbot.addWidget(grid_view)
    grid_view.resize(700, 230)
    grid_view.show()
    grid_view.set_form(window.ctx.open_doc.report.projects[2].uid)
    view = grid_view.view
    for _ in range(5):
        QApplication.processEvents()
    assert view.verticalScrollBar().maximum() > 40
    view.verticalScrollBar().setValue(37)
    view.selectionModel().select(
        QItemSelection(view.model().index(2, 1), view.model().index(4, 2)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    port = view.viewport()
    regions = [QRegion(port.rect()), QRegion(QRect(11, port.height() // 3, port.width() // 2, 23))]
    for _ in range(3):
        for region in regions:
            rendered(view, region)
    ours = [rendered(view, region) for region in regions]
    monkeypatch.setattr(view_module, "paint_cells", lambda *args: False)
    assert [rendered(view, region) for region in regions] == ours


def test_a_repaint_of_a_few_cells_is_qtableviews_and_of_the_grid_pythons(
    qtbot: Any, seed_zpdb: Any, images: Any, monkeypatch: Any
) -> None:
    """An edit repaints a few cells (the cell typed in, its computed cells, the next one): QTableView
    paints them (the Python painter's set-up costs more than it saves on so few); a switch or a
    scroll repaints a grid's worth: the Python painter does. The same pixels either way."""
    window, view = shown_window(qtbot, seed_zpdb)
    port = view.viewport()
    calls: list[bool] = []
    real = view_module.paint_cells
    monkeypatch.setattr(view_module, "paint_cells", lambda *args: calls.append(real(*args)) or calls[-1])
    cell = view.visualRect(view.model().index(4, 3))
    few = QRegion(cell) | QRegion(view.visualRect(view.model().index(5, 3)))
    whole = QRegion(port.rect())
    for _ in range(3):  # seen, kept, drawn from the images
        rendered(view, few)
        rendered(view, whole)
    calls.clear()
    mine = rendered(view, few)
    assert calls == []  # QTableView's
    rendered(view, whole)
    assert calls == [True]  # the Python painter's
    monkeypatch.setattr(view_module, "FEW_CELLS_AREA", 10**9)  # every repaint the Python painter's
    assert rendered(view, few) == mine
    assert calls == [True, True]
