"""Tab and Shift+Tab go round the whole window from the tree and back, on every page (#15: every
action reachable by keyboard): no widget keeps the keyboard. Real key clicks, as a user presses them.

Inside a grid Tab goes cell by cell along the rows as in Excel; from its last cell Tab goes on to the
next widget, and Shift+Tab from its first cell to the previous one (they used to stay put: Shift+Tab
from the tree stuck in the indicator grid's first cell until F6). The problem list and the 自评汇总表
are lists of rows: Tab goes on from them (Qt's tables went round their cells for ever).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

import main
from gui.app import setup_app
from gui.main_window import MainWindow
from gui.navigation import PROJECT_NODE
from tests.gui.window_helpers import commit_text, settle_switch

TAIL = ["severityFilter", "formFilter", "problemView"]  # the problem list's, after every page
# What a Tab may land on: a widget that shows it has the focus (a caret, a focus frame, a current
# cell) — not a page's container (a QWidget, a QScrollArea, the QStackedWidget), where the focus is
# invisible and the next Tab only goes on to the first field
SHOWS_FOCUS = (QLineEdit, QPlainTextEdit, QAbstractButton, QComboBox, QAbstractItemView)


def _start(qtbot: Any, path: Path) -> MainWindow:
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    main.start_window(window, str(path))
    qtbot.waitUntil(lambda: window.ctx.doc is not None, timeout=10000)
    assert window.form_editor.grids  # (those below the screen are made after the paint: made now)
    settle_switch(window)  # (and filled on the next turn)
    window.activateWindow()  # keys reach only the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def _name(widget: QWidget | None) -> str:
    assert widget is not None
    return widget.objectName() or type(widget).__name__


def _go_round(qtbot: Any, window: MainWindow, backward: bool, limit: int = 1000) -> list[tuple[QWidget, int]]:
    """Press Tab (Shift+Tab) from the tree until the focus is back in it; the widgets the focus was
    in, in order, each with how many presses it kept the focus (a grid: one a cell)."""
    window.tree.setFocus()
    assert QApplication.focusWidget() is window.tree
    mods = Qt.KeyboardModifier.ShiftModifier if backward else Qt.KeyboardModifier.NoModifier
    stops: list[tuple[QWidget, int]] = []
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, mods)
        focused = QApplication.focusWidget()
        assert focused is not None
        if focused is window.tree:
            return stops
        assert isinstance(focused, SHOWS_FOCUS), f"Tab landed on {_name(focused)}, which shows no focus"
        if stops and stops[-1][0] is focused:
            stops[-1] = (focused, stops[-1][1] + 1)
        else:
            stops.append((focused, 1))
    raise AssertionError(f"the keyboard never got back to the tree: {[(_name(w), n) for w, n in stops[-3:]]}")


def _names(stops: list[tuple[QWidget, int]]) -> list[str]:
    return [_name(widget) for widget, _ in stops]


def _cells(view: QWidget) -> int:
    assert isinstance(view, QAbstractItemView)
    return view.model().rowCount() * view.model().columnCount()


def test_tab_goes_round_the_form_page_both_ways(qtbot: Any, seed_zpdb: Any) -> None:
    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    fields = ["field_name", "field_supervisor", "field_implementer", "field_execution_weight"]
    grids = ["fundGrid", "goalGrid", "indicatorGrid"]
    forward = _go_round(qtbot, window, backward=False)
    assert _names(forward) == [*fields, *grids, *TAIL]
    for widget, presses in forward:
        if _name(widget) in grids:
            assert presses == _cells(widget) > 1, _name(widget)  # every cell, along the rows, then on
    # Shift+Tab from the tree: the problem list, then into the indicator grid at its last cell, back
    # along its rows and out of its first cell to the grid above — it used to stay in the first cell
    # for ever; and each way again, as the first time (each grid entered at its first cell by Tab, its
    # last by Shift+Tab, wherever the walk before left it)
    backward = _go_round(qtbot, window, backward=True)
    assert backward == forward[::-1]
    assert _go_round(qtbot, window, backward=True) == backward
    assert _go_round(qtbot, window, backward=False) == forward


def test_tab_from_the_tree_goes_to_the_first_field_and_scrolls_to_it(qtbot: Any, seed_zpdb: Any) -> None:
    """The page itself takes no Tab stop (it showed no focus): the first Tab from the tree is in the
    first field, the page scrolled back up to it from wherever it was; Shift+Tab from there is back
    in the tree. (A click on the page's background still takes the focus, as before.)"""
    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    page = window.form_editor
    bar = page.verticalScrollBar()
    assert bar.maximum() > 0  # (a long page)
    bar.setValue(bar.maximum())
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.fields["name"]
    assert bar.value() == 0
    qtbot.keyClick(page.fields["name"], Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.tree
    assert page.focusPolicy() == Qt.FocusPolicy.ClickFocus  # (not by Tab)


def test_shift_tab_from_the_tree_leaves_a_grid_from_its_first_cell(qtbot: Any, seed_zpdb: Any) -> None:
    """The reviewer's trap: Shift+Tab from the tree into the indicator grid, back along its cells
    to its first, then Shift+Tab again goes on to the grid above, not (0, 0) again."""
    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    indicators = window.form_editor.grids["indicators"].view
    last = (indicators.model().rowCount() - 1, indicators.model().columnCount() - 1)
    window.tree.setFocus()
    stops = []
    for _ in range(3 + _cells(indicators) + 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        focused = QApplication.focusWidget()
        cell = focused.currentIndex() if isinstance(focused, QAbstractItemView) else None
        stops.append((_name(focused), (cell.row(), cell.column()) if cell is not None else None))
    assert stops[3] == ("indicatorGrid", last)
    assert stops[-2] == ("indicatorGrid", (0, 0))
    assert stops[-1] == ("goalGrid", (0, 1))  # (the goal grid's last cell)


@pytest.mark.parametrize("kind", ["project", "report", "score", "basic", "narrative", "summary", "analysis"])
def test_tab_goes_round_every_page_both_ways(qtbot: Any, seed_zpdb: Any, kind: str) -> None:
    """Each page: Tab from the tree goes through the page, the problem list and back to the tree,
    and Shift+Tab the same widgets the other way round (a grid's cells, a text's lines do not keep it)."""
    scored_kinds = ("score", PROJECT_NODE)
    window = _start(qtbot, seed_zpdb("seed001_guangyuan" if kind in scored_kinds else "seed004_yiyang"))
    report = window.ctx.open_doc.report
    scored = [f for f in report.forms if f.score_sheet]  # (guangyuan's have)
    key = None
    if kind in scored_kinds:
        key = scored[0].uid if kind == "score" else next(f.uid for f in scored if f in report.projects)
    assert window.tree.select_node(kind, key)
    settle_switch(window)
    page = window.editors.currentWidget()
    assert page is not window.blank

    def texts() -> list[str]:
        return [w.toPlainText() for w in page.findChildren(QPlainTextEdit)]

    before = texts()
    forward = _go_round(qtbot, window, backward=False)
    backward = _go_round(qtbot, window, backward=True)
    assert [w for w, _ in backward] == [w for w, _ in forward][::-1]  # the same widgets, the other way
    widgets = [w for w, _ in forward]
    assert len(set(widgets)) == len(widgets), _names(forward)  # each once: nothing went round twice
    assert _names(forward)[-len(TAIL) :] == TAIL
    page_part = widgets[: -len(TAIL)]
    assert page_part and all(w is page or page.isAncestorOf(w) for w in page_part), _names(forward)
    assert texts() == before  # Tab moved the focus, typed nothing


def test_tab_in_an_open_editor_of_a_grid_s_last_cell_commits_and_goes_on(qtbot: Any, seed_zpdb: Any) -> None:
    """Tab typed in a cell's editor commits it and moves as Tab does without one: from the grid's last
    cell to the next widget (Shift+Tab from its first cell, to the previous one)."""
    from gui.grids.delegates import input_target

    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    fund = window.form_editor.grids["funds"].view
    goals = window.form_editor.grids["goals"].view
    model = goals.model()
    goals.setFocus()
    goals.setCurrentIndex(model.index(model.rowCount() - 1, model.columnCount() - 1))
    commit_text(goals, "新的目标")
    editor = goals.indexWidget(goals.currentIndex())
    assert editor is not None
    qtbot.keyClick(input_target(editor), Qt.Key.Key_Tab)
    assert _name(QApplication.focusWidget()) == "indicatorGrid"
    assert "新的目标" in str(model.index(model.rowCount() - 1, model.columnCount() - 1).data())
    goals.setFocus()
    goals.setCurrentIndex(model.index(0, 0))
    commit_text(goals, "第一格")
    editor = goals.indexWidget(goals.currentIndex())
    assert editor is not None
    qtbot.keyClick(input_target(editor), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is fund
    assert "第一格" in str(model.index(0, 0).data())
