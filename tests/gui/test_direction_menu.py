"""A target without ≥/≤/= (S03 "方向按默认 ≥ 处理") gets another direction from the grid's context menu
or the problem list, as one undoable edit that re-scores the row."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QMenu

from gui.direction import add_direction_actions, needs_direction
from tests.gui.window_helpers import make_window, pick_project

PROJECT = "业务工作经费"  # row 2: target "0%" without an operator, scored as ≥ by default


def _menu_actions(window, uid: int, row: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    menu = QMenu(window)
    add_direction_actions(window.ctx, uid, row, menu)
    sub = menu.findChild(QMenu, "directionMenu")
    if sub is None:
        return {}
    return {a.text(): a for a in sub.actions()} | {"title": sub.title()}


def test_choosing_a_direction_rescores_the_row_and_undo_restores_the_default(
    qtbot, seed_zpdb: Callable[[str], Path]
) -> None:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    uid = pick_project(window, PROJECT)
    ind = window.ctx.doc.form(uid).indicators[2]
    assert ind.target == "0%" and not ind.direction and needs_direction(window.ctx, uid, 2)
    messages = [p.message for p in window.ctx.problems_at(uid, "indicators", 2, "direction")]
    assert any("方向按默认 ≥ 处理" in m for m in messages)
    actions = _menu_actions(window, uid, 2)
    assert actions["title"] == "比较方向（当前 ≥，按默认）"
    actions["≤（不高于）"].trigger()  # type: ignore[attr-defined]
    assert window.ctx.doc.form(uid).indicators[2].direction == "≤"
    assert not window.ctx.problems_at(uid, "indicators", 2, "direction")
    assert window.ctx.score(uid).indicators[2].attainment in ("met", "not_met")
    assert _menu_actions(window, uid, 2)["title"] == "比较方向（当前 ≤）"
    window.ctx.undo_stack.undo()
    assert window.ctx.doc.form(uid).indicators[2].direction == ""
    assert window.ctx.problems_at(uid, "indicators", 2, "direction")


def test_rows_with_an_operator_get_no_direction_menu(qtbot, seed_zpdb: Callable[[str], Path]) -> None:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    uid = pick_project(window, PROJECT)
    assert window.ctx.doc.form(uid).indicators[1].target.startswith(("≥", "≤", "=", "＝"))
    assert _menu_actions(window, uid, 1) == {}
    assert window.ctx.score(uid).total == Decimal("100")
