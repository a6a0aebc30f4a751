"""Grid cells drawn from images of themselves (gui/grids/delegates.py, ``CellImages``; issue 15:
switch) look exactly as Qt draws them: Chinese, numbers, wrapped and cut-off text, a selection,
the problem colours, computed cells."""

from __future__ import annotations

from typing import Any

import pytest

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QTableView

from core.schema import IND
from gui.grids import delegates
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
