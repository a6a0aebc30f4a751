"""Issue 15 item 7: Enter, then a click on another cell at once: the next typing lands in the clicked cell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from gui.grids.delegates import input_target
from tests.gui.window_helpers import cell_text, column_of, commit_text, grid, make_window, pick_project

SeedFile = Callable[[str], Path]


def test_typing_after_enter_and_a_quick_click_lands_in_the_clicked_cell(qtbot, seed_zpdb: SeedFile) -> None:  # noqa: ANN001
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    pick_project(window, "业务工作经费")
    view = grid(window, "indicatorGrid")
    model = view.model()
    actual, note = column_of(view, "actual"), column_of(view, "deviation_note")
    view.setCurrentIndex(model.index(0, actual))
    commit_text(view, "3名")
    editor = view.indexWidget(view.currentIndex())
    target = model.index(2, note)
    point = view.visualRect(target).center()
    QTest.keyClick(input_target(editor), Qt.Key.Key_Return)  # no event processing between the two
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert view.currentIndex() == target
    commit_text(view, "原因")
    typing = view.indexWidget(view.currentIndex())
    assert typing is not None
    QTest.keyClick(input_target(typing), Qt.Key.Key_Return)
    qtbot.wait(100)
    assert cell_text(view, 2, "deviation_note") == "原因"
    assert cell_text(view, 1, "actual") != "原因"


def test_a_quick_click_into_another_grid_takes_the_typing_there(qtbot, seed_zpdb: SeedFile) -> None:  # noqa: ANN001
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    pick_project(window, "业务工作经费")
    view, funds = grid(window, "indicatorGrid"), grid(window, "fundGrid")
    model = view.model()
    view.setCurrentIndex(model.index(0, column_of(view, "actual")))
    commit_text(view, "3名")
    editor = view.indexWidget(view.currentIndex())
    target = funds.model().index(0, column_of(funds, "executed"))
    window.form_editor.ensureWidgetVisible(funds)
    point = funds.visualRect(target).center()
    QTest.keyClick(input_target(editor), Qt.Key.Key_Return)
    QTest.mouseClick(funds.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    for key in "12":  # each key to whatever has the focus then (the editor after the first)
        QTest.keyClick(window.focusWidget() or funds, key)
    typing = funds.indexWidget(funds.currentIndex())
    assert typing is not None, f"typing went to {window.focusWidget()}"
    QTest.keyClick(input_target(typing), Qt.Key.Key_Return)
    qtbot.wait(100)
    assert cell_text(funds, 0, "executed") == "12"
