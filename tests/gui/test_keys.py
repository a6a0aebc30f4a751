"""Issue #15, items 1–7: no lost keystroke and Excel's keys, driven by real key and mouse events."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QMessageBox, QTableView, QToolBar

from core.report import Document
from gui.grids.delegates import input_target
from gui.main_window import MainWindow
from gui.navigation import PROJECT_NODE
from gui.problems import PROBLEM_ROLE
from tests.gui.window_helpers import (
    Messages,
    cell_text,
    column_of,
    commit_text,
    grid,
    make_window,
    pick_project,
    type_into_cell,
)

SeedFile = Callable[[str], Path]
FIRST, SECOND = "业务工作经费", "非公有制经济组织和社会组织党建工作经费"


@pytest.fixture
def seed(seed_zpdb: SeedFile) -> Path:
    return seed_zpdb("seed004_yiyang")


def on_disk(path: Path, name: str, table: str, row: int, column: str) -> str:
    doc = Document.open(path, backup=False)
    try:
        form = doc.report.form_by_name(name)
        assert form is not None
        return str(getattr(form.rows(table)[row], column))
    finally:
        doc.close()


def open_editor(view: QTableView, row: int, code: str, text: str) -> QLineEdit:
    """Select a cell and start typing ``text`` into it (the editor stays open)."""
    view.setCurrentIndex(view.model().index(row, column_of(view, code)))
    commit_text(view, text)
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    return editor


def select(view: QTableView, top: int, left: int, bottom: int, right: int) -> None:
    model = view.model()
    view.setCurrentIndex(model.index(top, left))
    selection = QItemSelection(model.index(top, left), model.index(bottom, right))
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


@pytest.mark.parametrize("how", ["close", "ctrl_q"])
def test_closing_the_window_keeps_the_text_of_an_open_cell_editor(qtbot, seed: Path, how: str) -> None:
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "indicatorGrid")
    open_editor(view, 0, "actual", "17人")
    if how == "close":
        window.close()
    else:
        window.activateWindow()  # shortcuts reach only the active window
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(view.findChild(QLineEdit), Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    assert on_disk(seed, FIRST, "indicators", 0, "actual") == "17人"


def test_closing_with_refused_text_in_a_cell_asks_first(qtbot, seed: Path, monkeypatch) -> None:  # noqa: ANN001
    messages = Messages(monkeypatch, answer=QMessageBox.StandardButton.No)
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "fundGrid")
    open_editor(view, 0, "initial", "abc")
    window.close()
    assert window.isVisible(), "answering 否 keeps the window open"
    assert messages.seen[-1][0] == "question" and "abc" in messages.seen[-1][2]
    assert view.findChild(QLineEdit).text() == "abc"


def _step_to_other_project(qtbot, window: MainWindow) -> tuple[int, QTableView]:  # noqa: ANN001
    uid = pick_project(window, FIRST)
    view = grid(window, "indicatorGrid")
    type_into_cell(qtbot, view, 3, "actual", "99人")
    pick_project(window, SECOND)
    return uid, view


def test_undo_of_an_edit_in_another_project_shows_it_selects_it_and_says_so(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    uid, view = _step_to_other_project(qtbot, window)
    assert window.tree.current_node() != (PROJECT_NODE, uid)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.tree.current_node() == (PROJECT_NODE, uid)
    current = view.currentIndex()
    assert (current.row(), view.model().column_key(current.column())) == (3, "actual")
    assert view.selectionModel().isSelected(current)
    assert window.statusBar().currentMessage() == "已撤销：编辑单元格"
    assert cell_text(view, 3, "actual") != "99人"
    pick_project(window, SECOND)
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.tree.current_node() == (PROJECT_NODE, uid)
    assert cell_text(view, 3, "actual") == "99人"
    assert window.statusBar().currentMessage() == "已重做：编辑单元格"


def test_undo_of_a_paste_selects_every_cell_it_changes(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "indicatorGrid")
    select(view, 1, column_of(view, "target"), 1, column_of(view, "target"))
    QGuiApplication.clipboard().setText("1人\t2人\r\n3人\t4人\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    pick_project(window, SECOND)
    window.actions_.undo.trigger()
    selected = {
        (i.row(), view.model().column_key(i.column())) for i in view.selectionModel().selectedIndexes()
    }
    assert {(1, "target"), (2, "target"), (1, "actual"), (2, "actual")} <= selected
    assert window.statusBar().currentMessage() == "已撤销：粘贴"


@pytest.mark.parametrize("typed", ["abc", "1e309", "NaN"])
def test_refused_amount_keeps_the_editor_open_with_its_text_and_says_why_at_the_cell(
    qtbot, seed: Path, typed: str
) -> None:
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "fundGrid")
    before = cell_text(view, 2, "initial")
    editor = open_editor(view, 2, "initial", typed)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(10)
    assert view.findChild(QLineEdit) is editor and editor.isVisible() and editor.text() == typed
    assert view.currentIndex().row() == 2, "the cursor does not move on"
    message = view.parent().findChild(QLabel, "cellMessage")
    assert message is not None and message.isVisible() and "不是数字" in message.text()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.wait(10)
    assert not message.isVisible()
    assert cell_text(view, 2, "initial") == before
    window.close()
    assert on_disk(seed, FIRST, "funds", 2, "initial") == before


def test_a_refused_cell_s_message_does_not_stay_over_the_next_project(qtbot, seed: Path) -> None:
    """Text refused in one project's cell, then another project clicked in the tree: its grid shows
    no red box about the cell left behind (the editor closed with the switch)."""
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "indicatorGrid")
    editor = open_editor(view, 2, "score", "资金未到位")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(10)
    message = view.parent().findChild(QLabel, "cellMessage")
    assert message is not None and message.isVisible() and "不是数字" in message.text()
    pick_project(window, SECOND)
    qtbot.wait(10)
    assert not [e for e in grid(window, "indicatorGrid").findChildren(QLineEdit) if e.isVisible()]
    shown = [m.text() for m in window.findChildren(QLabel, "cellMessage") if m.isVisible()]
    assert shown == []
    assert window.ctx.doc.report.form_by_name(SECOND).indicators[2].score != "资金未到位"


def test_paste_writes_the_good_cells_of_a_row_and_flags_the_bad_one(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "fundGrid")
    select(view, 2, column_of(view, "initial"), 2, column_of(view, "initial"))
    QGuiApplication.clipboard().setText("3000\t¥2,000.00\t1500\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert cell_text(view, 2, "initial") == "3000"
    assert cell_text(view, 2, "executed") == "1500"
    bad = view.model().index(2, column_of(view, "annual"))
    assert bad.data() == "¥2,000.00"
    assert bad.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#ffc7ce"
    assert "不是数字" in bad.data(Qt.ItemDataRole.ToolTipRole)
    assert "未写入" in window.statusBar().currentMessage()
    window.close()
    assert on_disk(seed, FIRST, "funds", 2, "initial") == "3000"
    assert on_disk(seed, FIRST, "funds", 2, "annual") == ""


def test_a_pasted_block_that_adds_rows_writes_its_good_cells_in_one_commit(qtbot, seed: Path) -> None:
    """Six rows pasted from the last row on (five added), one amount refused: the good cells are
    written, the refused one shows its text in red; one undo step; one transaction; the file, read
    back with sqlite3, holds the rows and the good values (the refused cell blank)."""
    import sqlite3

    window = make_window(qtbot, seed)
    uid = pick_project(window, FIRST)
    view = grid(window, "indicatorGrid")
    model = view.model()
    count = model.rowCount()
    level3, weight = column_of(view, "level3"), column_of(view, "weight")
    select(view, count - 1, level3, count - 1, level3)
    rows = [f"新指标{r}\t≥{r}人\t{r}人\t{'abc' if r == 3 else r + 1}" for r in range(6)]
    QGuiApplication.clipboard().setText("\r\n".join(rows) + "\r\n")
    conn = window.ctx.open_doc.db.conn
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    # Through ``db.conn``, which waits for the COMMIT the writer thread runs: that thread calls the
    # trace callback holding SQLite's lock, and unsetting it here meanwhile (GIL held, waiting for
    # that lock) deadlocked the test now and then.
    window.ctx.open_doc.db.conn.set_trace_callback(None)
    assert [s for s in statements if s.split()[0] in ("BEGIN", "COMMIT")] == ["BEGIN", "COMMIT"]
    assert model.rowCount() == count + 5
    assert [cell_text(view, count - 1 + r, "level3") for r in range(6)] == [f"新指标{r}" for r in range(6)]
    bad = model.index(count + 2, weight)
    assert bad.data() == "abc"
    assert bad.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#ffc7ce"
    assert "未写入" in bad.data(Qt.ItemDataRole.ToolTipRole)
    assert "未写入" in window.statusBar().currentMessage()
    assert cell_text(view, count + 3, "weight") == "5"
    window.undo()
    assert model.rowCount() == count and cell_text(view, count - 1, "level3") != "新指标0"
    window.redo()
    assert model.rowCount() == count + 5 and cell_text(view, count + 4, "level3") == "新指标5"
    window.close()
    disk = sqlite3.connect(seed)
    try:
        found = disk.execute(
            "SELECT level3, target, actual, weight FROM indicators WHERE form_id = ? ORDER BY position",
            (uid,),
        ).fetchall()
    finally:
        disk.close()
    assert len(found) == count + 5
    assert [tuple(r) for r in found[count - 1 :]] == [
        (f"新指标{r}", f"≥{r}人", f"{r}人", "" if r == 3 else str(r + 1)) for r in range(6)
    ]


def test_f2_puts_the_caret_after_the_text_as_excel_does(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "indicatorGrid")
    view.setCurrentIndex(view.model().index(0, column_of(view, "actual")))
    old = cell_text(view, 0, "actual")
    assert old
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.selectedText() == "" and editor.cursorPosition() == len(old)
    qtbot.keyClicks(editor, "0")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert cell_text(view, 0, "actual") == old + "0"


def test_a_block_pasted_over_a_larger_selection_is_tiled_as_in_excel(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "indicatorGrid")
    target, actual = column_of(view, "target"), column_of(view, "actual")
    select(view, 0, target, 3, actual)
    QGuiApplication.clipboard().setText("5人\t6人\r\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    for row in range(4):
        assert (cell_text(view, row, "target"), cell_text(view, row, "actual")) == ("5人", "6人")
    assert len(view.selectionModel().selectedIndexes()) == 8


def test_enter_in_a_completion_list_commits_the_completion(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "indicatorGrid")
    view.setCurrentIndex(view.model().index(0, column_of(view, "level1")))
    commit_text(view, "满意")
    combo = view.findChild(QComboBox)
    assert combo is not None
    popup = combo.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert cell_text(view, 0, "level1") == "满意度指标"
    assert view.currentIndex().row() == 1, "Enter commits and moves down as on any cell"


def test_typing_right_after_enter_and_a_quick_click_lands_in_the_clicked_cell(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    pick_project(window, FIRST)
    view = grid(window, "indicatorGrid")
    editor = open_editor(view, 0, "actual", "11人")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    rect = view.visualRect(view.model().index(4, column_of(view, "target")))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    commit_text(view, "8次")
    editor = view.indexWidget(view.currentIndex())
    assert editor is not None and editor.isVisible()
    qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
    assert cell_text(view, 0, "actual") == "11人"
    assert cell_text(view, 4, "target") == "8次"
    assert cell_text(view, 1, "actual") != "8次"


def test_every_menu_and_menu_action_has_an_access_key(qtbot) -> None:  # noqa: ANN001
    window = make_window(qtbot)
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    assert len(menus) >= 4
    for top in window.menuBar().actions():
        assert "&" in top.text(), top.text()
    seen: list[str] = []
    while menus:
        menu = menus.pop()
        keys = []
        for action in menu.actions():
            if action.isSeparator() or menu.objectName() == "recentMenu":
                continue
            if action.menu() is not None:
                menus.append(action.menu())
            assert "(&" in action.text(), action.text()
            keys.append(action.text().split("(&")[1][0])
            seen.append(action.text())
        assert len(keys) == len(set(keys)), f"two actions share an access key in {menu.title()}: {keys}"
    assert any(t.startswith("新建(&N)") for t in seen)
    toolbar_texts = [a.iconText() for a in window.findChild(QToolBar, "mainToolbar").actions()]
    assert "新建" in toolbar_texts and not any("&" in t for t in toolbar_texts)


def test_the_keyboard_alone_reaches_a_problem_and_jumps_to_its_cell(qtbot, seed: Path) -> None:
    """F8 puts the cursor in the problem list, Down/Enter jump as a double click does; F6 the tree."""
    window = make_window(qtbot, seed)
    window.activateWindow()  # shortcuts reach only the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = window.problems.view
    assert not view.hasFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_F8)
    assert QApplication.focusWidget() is view
    qtbot.keyClick(view, Qt.Key.Key_Down)
    problem = view.currentIndex().data(PROBLEM_ROLE)
    assert problem is not None and view.currentIndex().row() == 1
    uid, table, row, column = problem.cell()
    assert window.tree.current_node() != (PROJECT_NODE, uid) and row is not None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.tree.current_node() == (PROJECT_NODE, uid)
    focused = QApplication.focusWidget()
    assert isinstance(focused, QTableView) and focused.model().table == table
    current = focused.currentIndex()
    assert current.row() == row and focused.model().column_key(current.column()) == column
    qtbot.keyClick(focused, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is window.tree
