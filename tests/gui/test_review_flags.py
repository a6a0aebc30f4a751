"""已核对 in the window: a 请核对 an import left at a cell (S24) is marked checked from the grid's
context menu or the problem list's, as one undo step, and the problem goes (and comes back on undo)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtWidgets import QMenu

from core.schema import FUND, Table
from gui.problems import PROBLEM_ROLE
from gui.review_flags import CHECKED
from tests.core.test_review_flags import _doubtful, _new_report
from tests.gui.window_helpers import make_window, pick_project

PROJECT = "业务工作经费"


def _menus(monkeypatch: pytest.MonkeyPatch) -> list[QMenu]:
    """The context menus the window pops up (kept, not shown)."""
    shown: list[QMenu] = []
    monkeypatch.setattr(QMenu, "popup", lambda self, *_: shown.append(self))
    return shown


def test_marking_a_flagged_cell_checked_from_the_grid_and_undo(
    qtbot: Any,
    seed_xlsx: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zpdb = _new_report(_doubtful(seed_xlsx, tmp_path), tmp_path / "导入.zpdb")
    window = make_window(qtbot, zpdb)
    uid = pick_project(window, PROJECT)
    ctx = window.ctx
    assert {p.rule for p in ctx.problems_at(uid, Table.FUNDS, 1, FUND.executed)} >= {"S24"}
    grid = window.form_editor.grids[Table.FUNDS]
    column = grid.view.model().column_of(FUND.executed)
    index = grid.view.model().index(1, column)
    shown = _menus(monkeypatch)
    grid._context_menu(grid.view.visualRect(index).center())
    checked = [a for a in shown[-1].actions() if a.text() == CHECKED]
    assert len(checked) == 1
    checked[0].trigger()
    assert not [p for p in ctx.problems_at(uid, Table.FUNDS, 1, FUND.executed) if p.rule == "S24"]
    assert ctx.undo_stack.undoText() == "已核对"
    window.undo()
    assert [p for p in ctx.problems_at(uid, Table.FUNDS, 1, FUND.executed) if p.rule == "S24"]
    ctx.undo_stack.redo()
    assert not [p for p in ctx.problems_at(uid, Table.FUNDS, 1, FUND.executed) if p.rule == "S24"]

    # a cell without a flag offers no 已核对; the problem list offers it on an S24 problem
    shown.clear()
    grid._context_menu(grid.view.visualRect(grid.view.model().index(0, column)).center())
    assert CHECKED not in [a.text() for a in shown[-1].actions()]
    dock = window.problems
    dock.model.refresh()
    view, proxy = dock.view, dock.proxy
    rows = [
        r
        for r in range(proxy.rowCount())
        if (p := proxy.index(r, 0).data(PROBLEM_ROLE)) is not None
        and p.rule == "S24"
        and p.cell() == (uid, Table.FUNDS, 1, FUND.initial)
    ]
    assert len(rows) == 1
    view.scrollTo(proxy.index(rows[0], 0))
    shown.clear()
    dock._context_menu(view.visualRect(proxy.index(rows[0], 0)).center())
    assert [a.text() for a in shown[-1].actions()] == [CHECKED]
    shown[-1].actions()[0].trigger()
    assert not [p for p in ctx.problems_at(uid, Table.FUNDS, 1, FUND.initial) if p.rule == "S24"]


def test_undoing_two_deletes_brings_back_each_row_s_flags(
    qtbot: Any,
    seed_xlsx: Path,
    tmp_path: Path,
) -> None:
    """Two flagged rows deleted one after the other, with an inserted row taken back between: undoing
    all of it brings each row back with its own 请核对 (the earlier delete's were lost before), and the
    file keeps them."""
    from core.report import Document

    zpdb = _new_report(_doubtful(seed_xlsx, tmp_path), tmp_path / "两次删除.zpdb")
    window = make_window(qtbot, zpdb)
    uid = pick_project(window, PROJECT)
    ctx = window.ctx
    form = ctx.doc.form(uid)
    before = sorted((f.cell_table, f.row, f.column) for f in form.review_flags)
    rows = sorted(
        {f.row for f in form.review_flags if f.cell_table == Table.INDICATORS and f.row is not None}
    )
    assert len(rows) >= 2
    grid = window.form_editor.grids[Table.INDICATORS]
    for row in (rows[1], rows[0]):  # the later row first: the earlier one keeps its index
        grid.view.setCurrentIndex(grid.view.model().index(row, 0))
        grid.delete_rows()
    assert not [f for f in form.review_flags if f.cell_table == Table.INDICATORS]
    grid.view.setCurrentIndex(grid.view.model().index(0, 0))
    grid.insert_rows()
    window.undo()  # the insert taken back: a delete of a row without flags
    while ctx.undo_stack.canUndo():
        window.undo()
    assert sorted((f.cell_table, f.row, f.column) for f in form.review_flags) == before
    window.close()
    doc = Document.open(zpdb, backup=False, read_only=True)
    try:
        assert sorted((f.cell_table, f.row, f.column) for f in doc.form(uid).review_flags) == before
    finally:
        doc.close()
