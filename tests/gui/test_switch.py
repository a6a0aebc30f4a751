"""Switching forms (issue 15: switch ≤ 16 ms): what is skipped or put off must never show stale."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from gui.grids import GridView
from tests.gui.test_repaint import differing_pixels
from tests.gui.window_helpers import (
    cell_background,
    cell_text,
    grid,
    make_window,
    pick_project,
    type_into_cell,
)


def test_a_grid_left_in_place_shows_the_other_forms_titles(qtbot: Any, seed_zpdb: Any) -> None:
    """A grid's headers are repainted on a switch only when they look different: a grid that keeps
    its size (nothing around it moves, so Qt repaints nothing of it by itself) shows the other
    form's column titles (广元: 部门整体's 年度目标 | 完成情况, a project's 预期目标 | 实际完成情况) and
    its selection."""
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    report = window.ctx.open_doc.report
    assert report.overall is not None
    grid = GridView(window.ctx, "goals")
    qtbot.addWidget(grid)
    grid.resize(900, 200)
    grid.show()
    forms = [report.overall.uid, report.projects[0].uid, report.overall.uid, report.projects[1].uid]
    for step, uid in enumerate(forms):
        grid.set_form(uid)
        if step == 0:
            grid.select_range(0, 1, 0, 1)
        for _ in range(5):
            QApplication.processEvents()
        screen = QApplication.primaryScreen().grabWindow(grid.winId()).toImage()
        fresh = grid.grab().toImage()
        assert not differing_pixels(screen, fresh), f"step {step}: the grid on screen is not a fresh paint"


def test_a_project_shown_again_shows_what_changed_while_another_was_shown(qtbot: Any, seed_zpdb: Any) -> None:
    """A project shown again paints from what its cells showed last time (kept by the grid) only
    while nothing changed: an undo of its edit made while another project is shown, or a redo,
    shows the row as it now is — the text typed or not, the 建议得分 computed from it, colours."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    first, second = window.ctx.open_doc.report.projects[:2]
    pick_project(window, first.name)
    view = grid(window, "indicatorGrid")

    def row() -> list[tuple[str, Any]]:
        codes = [c.key for c in view.model().columns]
        return [(cell_text(view, 0, code), cell_background(view, 0, code)) for code in codes]

    before = row()
    type_into_cell(qtbot, view, 0, "target", "≥1000人")  # 776 人 done: not met
    edited = row()
    assert sum(a != b for a, b in zip(before, edited, strict=True)) >= 2  # 实际值 and 建议得分 at least
    for undo in (True, False):
        pick_project(window, second.name)
        QApplication.processEvents()
        assert row() != edited
        window.undo() if undo else window.redo()
        QApplication.processEvents()
        assert window.current_form() == first.uid  # the step shows its form
        assert row() == (before if undo else edited)
