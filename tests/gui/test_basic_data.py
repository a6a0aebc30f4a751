"""The 基础数据表 (湖南 附件1) goes through the shared grid, checks and undo (#9 item 5).

Driven by real key and input-method events on the real window; what counts is read back from
the .zpdb file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTableView

from core.interchange import read_json_file
from core.report import Document
from core.schema import Table
from gui.grids.base import GridModel
from gui.grids.delegates import input_target
from gui.navigation import BASIC_NODE
from gui.problems import PROBLEM_ROLE
from tests.conftest import FIXTURES
from tests.gui.window_helpers import cell_background, cell_text, column_of, commit_text, make_window

SeedFile = Callable[[str], Path]


@pytest.fixture
def seed(seed_zpdb: SeedFile) -> Path:
    return seed_zpdb("seed004_yiyang")


def on_disk(path: Path) -> dict[str, Any]:
    """The 基础数据表 as the .zpdb file holds it (after its window closed)."""
    doc = Document.open(path, backup=False)
    try:
        return dict(doc.report.basic_data)
    finally:
        doc.close()


def basic_grid(window: object, name: str) -> QTableView:
    view = window.basic_editor.findChild(QTableView, name)  # type: ignore[attr-defined]
    assert view is not None and view.isVisibleTo(window), name  # type: ignore[arg-type]
    assert isinstance(view.model(), GridModel), "the shared grid model"
    return view


def type_keys(qtbot: object, view: QTableView, row: int, code: str, text: str) -> QLineEdit | QPlainTextEdit:
    """Select a cell and type ``text`` key by key (the first key opens the editor), no Enter."""
    view.setCurrentIndex(view.model().index(row, column_of(view, code)))
    view.setFocus()
    qtbot.keyClick(view, text[0])  # type: ignore[attr-defined]
    editor = view.indexWidget(view.currentIndex())
    assert editor is not None, "typing opens the cell editor"
    qtbot.keyClicks(input_target(editor), text[1:])  # type: ignore[attr-defined]
    return editor  # type: ignore[return-value]


def test_an_amount_typed_in_the_expenses_grid_is_one_undo_step_and_reaches_the_file(
    qtbot, seed: Path
) -> None:
    window = make_window(qtbot, seed)
    assert window.tree.select_node(BASIC_NODE)
    view = basic_grid(window, "basicDataGrid")
    assert cell_text(view, 0, "label") == "三公经费" and cell_text(view, 0, "final") == "16.13"
    steps = window.ctx.undo_stack.count()
    editor = type_keys(qtbot, view, 0, "final", "16.50")
    qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
    assert cell_text(view, 0, "final") == "16.50"
    assert window.ctx.undo_stack.count() == steps + 1, "one committed cell, one undo step"
    assert view.currentIndex().row() == 1, "Enter moves down as in every grid"
    window.ctx.undo_stack.undo()
    assert cell_text(view, 0, "final") == "16.13"
    window.ctx.undo_stack.redo()
    assert cell_text(view, 0, "final") == "16.50"
    window.close()
    expenses = on_disk(seed)["expenses"]
    assert expenses[0]["final"] == "16.50"
    assert expenses[1:] == read_json_file(FIXTURES / "seed004_yiyang.json").basic_data["expenses"][1:]


def test_a_refused_amount_keeps_the_editor_open_and_says_why_at_the_cell(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    window.tree.select_node(BASIC_NODE)
    view = basic_grid(window, "basicStaffGrid")
    steps = window.ctx.undo_stack.count()
    editor = type_keys(qtbot, view, 0, "authorized", "74ren")
    qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
    qtbot.wait(10)
    assert view.findChild(QLineEdit) is editor and editor.isVisible() and editor.text() == "74ren"
    message = view.parent().findChild(QLabel, "cellMessage")
    assert message is not None and message.isVisible()
    assert "“74ren”不是数字" in message.text()
    assert window.ctx.undo_stack.count() == steps
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.wait(10)
    assert not message.isVisible() and cell_text(view, 0, "authorized") == "74"
    window.close()
    assert on_disk(seed)["staff"] == {"authorized": "74", "actual": "67", "rate": "90.54%"}


def test_typing_the_thrift_measures_is_one_step_not_one_per_key(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    window.tree.select_node(BASIC_NODE)
    view = basic_grid(window, "basicThriftGrid")
    steps = window.ctx.undo_stack.count()
    editor = type_keys(qtbot, view, 0, "thrift_measures", "Cut costs")
    commit_text(input_target(editor), "，压减会议费")
    assert window.ctx.undo_stack.count() == steps, "nothing is written while typing"
    qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
    assert window.ctx.undo_stack.count() == steps + 1
    assert cell_text(view, 0, "thrift_measures") == "Cut costs，压减会议费"
    window.close()
    assert on_disk(seed)["thrift_measures"] == "Cut costs，压减会议费"


def test_a_bad_stored_amount_shows_at_its_cell_and_in_the_problem_list_with_a_jump(
    qtbot, tmp_path: Path
) -> None:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    report.basic_data["staff"]["actual"] = "67人"  # an older file or another program wrote it
    report.basic_data["expenses"][5]["budget"] = "约3万"
    path = tmp_path / "bad.zpdb"
    Document.create(path, report).close()
    window = make_window(qtbot, path)
    model = window.problems.model
    found = [model.index(r, 0).data(PROBLEM_ROLE) for r in range(model.rowCount())]
    mine = [p for p in found if p.table == Table.BASIC_DATA]
    assert [(p.rule, p.row, p.column) for p in mine] == [("V18", 0, "actual"), ("V18", 5, "budget")]
    where = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert "基础数据表 第6行 预算数" in where
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(PROBLEM_ROLE) is mine[1])
    window.problems.jump(model.index(row, 0))
    assert window.editors.currentWidget() is window.basic_editor
    view = basic_grid(window, "basicDataGrid")
    assert (view.currentIndex().row(), view.currentIndex().column()) == (5, column_of(view, "budget"))
    assert cell_background(view, 5, "budget") == "#ffc7ce"
    tip = view.model().index(5, column_of(view, "budget")).data(Qt.ItemDataRole.ToolTipRole)
    assert "“约3万”不是数字" in tip
    editor = type_keys(qtbot, view, 5, "budget", "2.99")
    qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
    assert cell_background(view, 5, "budget") is None
    assert [p.column for p in window.ctx.checker.problems if p.table == Table.BASIC_DATA] == ["actual"]
    staff = basic_grid(window, "basicStaffGrid")
    assert cell_background(staff, 0, "actual") == "#ffc7ce"


def test_a_pasted_block_is_one_step_and_its_bad_cells_are_flagged(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    window.tree.select_node(BASIC_NODE)
    view = basic_grid(window, "basicDataGrid")
    view.setCurrentIndex(view.model().index(1, column_of(view, "last_final")))
    QGuiApplication.clipboard().setText("1\t2\t3\n4\tx\t6\n")
    steps = window.ctx.undo_stack.count()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.ctx.undo_stack.count() == steps + 1
    assert [cell_text(view, 1, k) for k in ("last_final", "budget", "final")] == ["1", "2", "3"]
    assert [cell_text(view, 2, k) for k in ("last_final", "budget", "final")] == ["4", "x", "6"]
    assert cell_background(view, 2, "budget") == "#ffc7ce", "the refused text shows in red at its cell"
    window.close()
    expenses = on_disk(seed)["expenses"]
    assert (expenses[2]["last_final"], expenses[2]["budget"], expenses[2]["final"]) == ("4", "0", "6")
