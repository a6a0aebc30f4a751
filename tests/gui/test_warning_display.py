"""自评预警 (K22) beside the form's score: the status bar's 本表得分 and the form's node in the tree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.navigation import PROJECT_NODE
from tests.gui.window_helpers import grid, make_window, pick_project, type_into_cell

RED_PROJECT = "非公有制经济组织和社会组织党建工作经费"  # 89 of 90 points with 86.61 % spent
CALM_PROJECT = "业务工作经费"


def _node(window, name: str):  # type: ignore[no-untyped-def]
    form = window.ctx.doc.report.form_by_name(name)
    return window.tree.nav_model.find(PROJECT_NODE, form.uid)


def test_red_warning_beside_the_score_and_in_the_tree(qtbot, seed_zpdb: Callable[[str], Path]) -> None:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    pick_project(window, RED_PROJECT)
    assert "本表得分 97.66（优）" in window.score_label.text()
    assert "红色预警" in window.score_label.text()
    assert window.score_label.toolTip().startswith("红色预警：指标得分率 98.89%")
    red = _node(window, RED_PROJECT)
    # the tree's warnings are computed a few forms per turn of the event loop after opening
    qtbot.waitUntil(lambda: not window.tree.nav_model._unscored)
    assert "红色预警" in red.toolTip() and not red.icon().isNull()
    calm = _node(window, CALM_PROJECT)
    assert "预警" not in calm.toolTip()
    pick_project(window, CALM_PROJECT)
    assert "预警" not in window.score_label.text() and window.score_label.toolTip() == ""


def test_warning_follows_an_edit_and_undo(qtbot, seed_zpdb: Callable[[str], Path]) -> None:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    pick_project(window, CALM_PROJECT)
    view = grid(window, "fundGrid")
    type_into_cell(qtbot, view, 0, "executed", "50")
    assert "黄色预警" in window.score_label.text() or "红色预警" in window.score_label.text()
    QApplication.processEvents()  # the tree follows on the next turn of the event loop
    assert "预警" in _node(window, CALM_PROJECT).toolTip()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "预警" not in window.score_label.text()
    QApplication.processEvents()
    assert "预警" not in _node(window, CALM_PROJECT).toolTip()
