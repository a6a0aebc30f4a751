"""Switching forms (issue 15: switch ≤ 16 ms): what is skipped or put off must never show stale."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from core.schema import IND
from gui.grids import GridView
from gui.main_window import MainWindow
from gui.navigation import PROJECT_NODE
from tests.gui.test_repaint import differing_pixels
from tests.gui.window_helpers import (
    cell_background,
    cell_text,
    column_of,
    commit_text,
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


def unsized_then(window: MainWindow, watch: list[bool]) -> None:
    """Record whether each grid sizing found a grid a switch had left unsized (the case tested)."""
    from gui.grids import view as grid_view

    size_now = grid_view.GridView.size_now

    def record(self: GridView) -> bool:
        done = size_now(self)
        watch.append(done)
        return done

    grid_view.GridView.size_now = record  # type: ignore[method-assign]


def rows_measured(view: Any) -> bool:
    """The grid's rows are as tall as measuring every cell makes them."""
    before = [view.rowHeight(r) for r in range(view.model().rowCount())]
    view.fit_rows()
    return [view.rowHeight(r) for r in range(view.model().rowCount())] == before


def on_screen(window: MainWindow, view: Any) -> bool:
    page = window.form_editor
    rect = view.visualRect(view.currentIndex())
    top = view.viewport().mapTo(page.viewport(), rect.topLeft())
    return top.y() >= 0 and top.y() + rect.height() <= page.viewport().height()


def window_at_the_top(qtbot: Any, seed_zpdb: Any) -> MainWindow:
    """The sample at 1366×768, the page at its top: the 指标 grid below the screen, no selection in
    it (the cursor in the 资金 grid), so a switch leaves it to be sized after the paint."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    window.resize(1366, 728)
    pick_project(window, window.ctx.open_doc.report.projects[0].name)
    window.form_editor.select_cell("funds", 0, "budget")
    QApplication.processEvents()
    window.form_editor.verticalScrollBar().setValue(0)
    QApplication.processEvents()
    assert grid(window, "indicatorGrid").selectionModel().hasSelection() is False
    return window


def test_a_jump_into_a_grid_not_sized_yet_lands_in_its_cell_and_typing_and_pasting_there(
    qtbot: Any, seed_zpdb: Any, monkeypatch: Any
) -> None:
    window = window_at_the_top(qtbot, seed_zpdb)
    watch: list[bool] = []
    monkeypatch.setattr("gui.grids.view.GridView.size_now", GridView.size_now)
    unsized_then(window, watch)
    target = window.ctx.open_doc.report.projects[1]
    view = grid(window, "indicatorGrid")
    window.ctx.request_show_cell(target.uid, "indicators", 7, "actual")  # what the problem list's jump does
    assert True in watch  # the switch left the 指标 grid below the screen to size; the jump sized it
    assert window.current_form() == target.uid
    assert (view.currentIndex().row(), view.currentIndex().column()) == (7, column_of(view, "actual"))
    assert rows_measured(view) and on_screen(window, view)
    assert view.hasFocus()
    commit_text(view, "12人")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.ctx.open_doc.form(target.uid).indicators[7].actual == "12人"
    view.setCurrentIndex(view.model().index(8, column_of(view, "actual")))
    QGuiApplication.clipboard().setText("3人\t5\n4人\t6")  # 实际值 | 分值, two rows
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    rows = window.ctx.open_doc.form(target.uid).indicators
    assert [(r.actual, r.weight) for r in rows[8:10]] == [("3人", "5"), ("4人", "6")]
    first = window.ctx.open_doc.form(window.ctx.open_doc.report.projects[0].uid).indicators
    assert "12人" not in [r.actual for r in first]  # nothing went to the project shown before


def test_an_undo_into_a_grid_not_sized_yet_shows_the_cell_it_undid(
    qtbot: Any, seed_zpdb: Any, monkeypatch: Any
) -> None:
    window = window_at_the_top(qtbot, seed_zpdb)
    first, second = window.ctx.open_doc.report.projects[:2]
    view = grid(window, "indicatorGrid")
    before = first.indicators[6].actual
    window.form_editor.select_cell("indicators", 6, "actual")
    commit_text(view, "99人")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.ctx.open_doc.form(first.uid).indicators[6].actual == "99人"
    window.form_editor.select_cell("funds", 0, "budget")  # the cursor up in the 资金 grid, page at the top
    view.selectionModel().clearCurrentIndex()  # and none left in the 指标 grid (as after an open)
    QApplication.processEvents()
    window.form_editor.verticalScrollBar().setValue(0)
    pick_project(window, second.name)
    watch: list[bool] = []
    monkeypatch.setattr("gui.grids.view.GridView.size_now", GridView.size_now)
    unsized_then(window, watch)
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # 撤销 from the tree
    assert True in watch  # back to the first project with its 指标 grid left to size, sized for the undo
    assert window.current_form() == first.uid
    assert window.ctx.open_doc.form(first.uid).indicators[6].actual == before
    assert (view.currentIndex().row(), view.currentIndex().column()) == (6, column_of(view, "actual"))
    assert cell_text(view, 6, "actual") == before
    assert rows_measured(view) and on_screen(window, view)


def test_keys_into_a_grid_not_sized_yet_size_it_first_and_land_in_the_new_projects_cells(
    qtbot: Any, seed_zpdb: Any
) -> None:
    window = window_at_the_top(qtbot, seed_zpdb)
    target = window.ctx.open_doc.report.projects[1]
    view = grid(window, "indicatorGrid")
    window.tree.select_node(PROJECT_NODE, target.uid)  # no paint yet: the 指标 grid is not sized
    assert window.form_editor._made["indicators"].unsized
    view.setFocus(Qt.FocusReason.TabFocusReason)  # Tab into it: sized before it takes the focus
    assert not window.form_editor._made["indicators"].unsized and rows_measured(view)
    view.setCurrentIndex(view.model().index(0, column_of(view, "actual")))
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down):
        qtbot.keyClick(view, key)
    commit_text(view, "8人")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.ctx.open_doc.form(target.uid).indicators[2].actual == "8人"


def test_a_selection_restored_on_a_switch_is_on_screen_at_its_cell(qtbot: Any, seed_zpdb: Any) -> None:
    """A grid keeps its selection across a switch (the same row and column of the other project) and
    the page scrolls to it: to where the cell is once the other project's rows are sized and the page
    laid out, not where it stood among the rows of the project shown before (here the other
    project's rows above it wrap onto several lines: the cell is much further down the page)."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    window.resize(1366, 728)
    doc = window.ctx.open_doc
    first, second = doc.report.projects[:2]
    rows = min(len(first.indicators), len(second.indicators))
    assert rows >= 8
    long = "按照年度工作计划完成各项任务，" * 8  # wraps onto several lines in the 三级指标 column
    doc.set_cells([(second.uid, "indicators", r, IND.level3, long) for r in range(rows - 1)])
    view = grid(window, "indicatorGrid")
    pick_project(window, first.name)
    window.form_editor.select_cell("indicators", rows - 1, "actual")
    QApplication.processEvents()
    assert on_screen(window, view)
    pick_project(window, second.name)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (rows - 1, column_of(view, "actual"))
    assert rows_measured(view)
    assert view.rowHeight(0) > 2 * view.rowHeight(rows - 1)  # (the case tested: taller rows above it)
    assert on_screen(window, view), "the restored cell is off the page's screen"


def test_a_project_shown_again_shows_problems_an_edit_of_another_project_gave_it(
    qtbot: Any, seed_zpdb: Any
) -> None:
    """What a project's cells showed is kept for its next showing only while nothing of it changed:
    typing into one project can flag another (S17: a goal word for word another project's — the
    later project is flagged), whose goal cell then shows the warning when it is shown again."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    first, second = window.ctx.open_doc.report.projects[:2]
    text = second.goals[0].goal
    assert len(text) >= 10 and first.goals[0].goal != text
    view = grid(window, "goalGrid")
    pick_project(window, second.name)
    plain = cell_background(view, 0, "goal")
    pick_project(window, first.name)
    type_into_cell(qtbot, view, 0, "goal", text)
    pick_project(window, second.name)
    assert cell_text(view, 0, "goal") == text
    assert cell_background(view, 0, "goal") != plain  # the S17 warning's colour
    window.undo()  # (it shows the first project again)
    pick_project(window, second.name)
    assert cell_background(view, 0, "goal") == plain


def test_the_row_numbers_are_as_wide_as_their_labels_after_switching(qtbot: Any, seed_zpdb: Any) -> None:
    """The row header's size hint is kept by its labels (GridHeader): a project of 12 indicators
    (two-digit row numbers) and one of 9 each get a row header as wide as Qt makes it for them."""
    from PySide6.QtWidgets import QHeaderView

    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    names = [p.name for p in window.ctx.open_doc.report.projects]
    widths = set()
    for name in names + names:
        pick_project(window, name)
        view = grid(window, "indicatorGrid")
        header = view.verticalHeader()
        fresh = QHeaderView.sizeHint(header)  # Qt's own, from the labels shown now
        assert header.sizeHint() == fresh
        assert header.width() == max(header.minimumWidth(), fresh.width())
        widths.add(header.width())
    assert len(widths) == 2  # (the case tested: "12" is wider than "9")
