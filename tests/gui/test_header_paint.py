"""A grid's column titles and row numbers, their sections' options filled from Python
(gui/grids/header.py; issue 15: switch), look exactly as QHeaderView sets them up and paints them:
with no selection, a block of cells, whole rows, a whole column, everything, two ranges, a selection
being extended with Ctrl held (toggled, deselected), in an inactive and an active window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QHeaderView, QStyleOptionHeader, QTableView

from gui.grids import delegates, header
from gui.grids.view import GridHeader
from gui.main_window import MainWindow
from tests.gui.window_helpers import grid, make_window, pick_project

Flag = QItemSelectionModel.SelectionFlag


@pytest.fixture
def filled(monkeypatch: Any) -> Iterator[list[tuple[object, ...]]]:
    """Every section option a grid header sets up while painting, as it stands when set up
    (recorded before the grids are made: PySide looks an override up once per class). The cell
    images (and with them the filling from Python) are on, as after the window's first paint."""
    seen: list[tuple[object, ...]] = []
    own = GridHeader.initStyleOptionForIndex

    def record(self: GridHeader, option: QStyleOptionHeader, logical: int) -> None:
        own(self, option, logical)
        seen.append(
            (
                self.orientation(),
                logical,
                option.state,
                option.section,
                option.textAlignment,
                option.iconAlignment,
                option.text,
                option.position,
                option.selectedPosition,
                option.orientation,
                option.sortIndicator,
                option.icon.isNull(),
                option.rect.getRect(),
                option.direction,
                option.palette == self.palette(),
                option.fontMetrics.height(),
            )
        )

    monkeypatch.setattr(GridHeader, "initStyleOptionForIndex", record)
    kept = delegates.CELL_IMAGES
    kept.clear()
    kept.start()
    yield seen
    kept.clear()
    kept.on = True


def shown(qtbot: Any, seed_zpdb: Any) -> tuple[MainWindow, QTableView]:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    window.resize(1366, 900)
    pick_project(window, window.ctx.open_doc.report.projects[2].name)
    return window, grid(window, "indicatorGrid")


def painted(view: QTableView) -> tuple[QImage, QImage]:
    """Both headers as they are painted now (each grab paints them again)."""
    return tuple(  # type: ignore[return-value]
        h.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        for h in (view.horizontalHeader(), view.verticalHeader())
    )


def both_ways(view: QTableView, seen: list[tuple[object, ...]]) -> tuple[Any, Any]:
    """(options, images) as QHeaderView fills them, then as gui/grids/header.py fills them."""
    out = []
    for on in (False, True):
        delegates.CELL_IMAGES.on = on  # off: QHeaderView's own initStyleOptionForIndex
        seen.clear()
        images = painted(view)
        out.append((list(seen), images))
    delegates.CELL_IMAGES.on = True
    return out[0], out[1]


def selections(view: QTableView) -> Iterator[str]:
    """Select in turn what a user can select; yield its name each time."""
    model = view.model()
    rows, columns = model.rowCount(), model.columnCount()
    picker = view.selectionModel()

    def pick(top: int, left: int, bottom: int, right: int, flags: Any = Flag.ClearAndSelect) -> None:
        picker.select(QItemSelection(model.index(top, left), model.index(bottom, right)), flags)

    yield "nothing"
    picker.setCurrentIndex(model.index(3, 1), Flag.ClearAndSelect)
    yield "one cell"
    pick(3, 1, 5, 3)
    yield "a block"
    pick(2, 0, 4, columns - 1)
    yield "whole rows"
    pick(0, 2, rows - 1, 2)
    yield "a whole column"
    pick(0, 0, rows - 1, columns - 1)
    yield "everything"
    pick(2, 0, 4, 3)
    pick(3, 4, 6, columns - 1, Flag.Select)
    yield "two ranges, one row whole across them"
    pick(3, 2, 3, 5, Flag.Toggle | Flag.Current)
    yield "Ctrl-dragged over (toggled)"
    pick(2, 0, 4, columns - 1)
    pick(3, 2, 3, 2, Flag.Deselect | Flag.Current)
    yield "a cell of a whole row deselected"


def test_header_sections_are_set_up_and_painted_exactly_as_qheaderview_does(
    qtbot: Any, seed_zpdb: Any, filled: list[tuple[object, ...]], monkeypatch: Any
) -> None:
    window, view = shown(qtbot, seed_zpdb)
    fills: list[int] = []
    fill = header.Sections.fill

    def counted(self: header.Sections, option: QStyleOptionHeader, logical: int) -> None:
        fills.append(logical)
        fill(self, option, logical)

    monkeypatch.setattr(header.Sections, "fill", counted)
    for active in (False, True):
        if active:
            window.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        for name in selections(view):
            QApplication.processEvents()
            fills.clear()
            (qt_options, qt_images), (options, images) = both_ways(view, filled)
            assert fills, name  # the sections were filled from Python
            assert len(options) == len(qt_options) >= view.model().columnCount(), name
            assert options == qt_options, name
            assert images == qt_images, name


def test_a_section_filled_wrongly_shows(qtbot: Any, seed_zpdb: Any, filled: list[tuple[object, ...]]) -> None:
    """The comparison above sees a difference: a whole row's section not pressed, or the rows the
    selection reaches into not highlighted (their numbers not bold)."""
    _window, view = shown(qtbot, seed_zpdb)
    model = view.model()
    view.selectionModel().select(
        QItemSelection(model.index(2, 0), model.index(4, model.columnCount() - 1)), Flag.ClearAndSelect
    )
    QApplication.processEvents()
    (qt_options, qt_images), (options, images) = both_ways(view, filled)
    assert options == qt_options and images == qt_images

    def spoilt(change: Callable[[header.Sections], None]) -> tuple[Any, Any]:
        init = header.Sections.__init__

        def wrong(self: header.Sections, *args: Any) -> None:
            init(self, *args)
            change(self)

        header.Sections.__init__ = wrong  # type: ignore[method-assign]
        try:
            return both_ways(view, filled)[1]
        finally:
            header.Sections.__init__ = init  # type: ignore[method-assign]

    options, _images = spoilt(lambda s: s.whole.clear())
    assert options != qt_options  # (Fusion draws a pressed section as any other: the options show it)
    options, images = spoilt(lambda s: s.on.clear())
    assert options != qt_options
    assert images[1] != qt_images[1]  # the selected rows' numbers are no longer bold


def test_a_header_under_the_mouse_or_sorted_is_qheaderviews(
    qtbot: Any, seed_zpdb: Any, monkeypatch: Any
) -> None:
    """Which section is hovered or pressed is Qt's to know: a header under the mouse, or with a
    sort indicator, has QHeaderView fill its sections."""
    _window, view = shown(qtbot, seed_zpdb)
    rows = view.verticalHeader()
    model = view.model()
    assert not header.qt_fills(rows, model)
    monkeypatch.setattr(type(rows.viewport()), "underMouse", lambda self: True)
    assert header.qt_fills(rows, model)
    monkeypatch.undo()
    rows.setSortIndicatorShown(True)
    assert header.qt_fills(rows, model)
    rows.setSortIndicatorShown(False)
    assert isinstance(rows, QHeaderView) and not header.qt_fills(rows, model)
