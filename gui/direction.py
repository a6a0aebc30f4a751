"""Change the direction a target without ≥/≤/= is scored by, in one step (issue #11).

A numeric target written without an operator ("100%", "25 人") is scored by its 二级's default
direction (core.scoring.default_direction) and marked at the cell with S03 "方向按默认 ≥ 处理".
The grid's context menu and the problem list offer the other directions as one undoable edit.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QMenu

from core.schema import IND, Table
from core.values import Kind
from gui.commands import SetCellsCommand, push

CHOICES = (("≥", "≥（不低于）"), ("≤", "≤（不高于）"), ("=", "=（等于）"))


def needs_direction(ctx: Any, uid: int, row: int) -> bool:
    """True when an indicator row's target is a number written without ≥/≤/=."""
    if ctx.doc is None:
        return False
    rows = ctx.doc.form(uid).indicators
    if not 0 <= row < len(rows):
        return False
    from core.scoring import parsed  # imported when first needed, not for the window's first paint

    ind = rows[row]
    target = parsed(ind.target)
    return target.kind is Kind.NUMBER and not target.direction


def set_direction(ctx: Any, uid: int, row: int, direction: str) -> None:
    """Set one indicator's direction ("" = back to its 二级's default) as one undo step."""
    text = f"比较方向改为 {direction}" if direction else "比较方向按默认"
    push(
        ctx.undo_stack,
        SetCellsCommand(ctx.doc, [(uid, Table.INDICATORS, row, IND.direction, direction)], text),
    )


def add_direction_actions(ctx: Any, uid: int | None, row: int | None, menu: QMenu) -> None:
    """Add "比较方向" choices to ``menu`` when the row's target has no operator of its own."""
    if uid is None or row is None or not needs_direction(ctx, uid, row):
        return
    from core.scoring import effective_direction

    ind = ctx.doc.form(uid).indicators[row]
    used, by_default = effective_direction(ind)
    sub = menu.addMenu(f"比较方向（当前 {used}{'，按默认' if by_default else ''}）")
    sub.setObjectName("directionMenu")
    for symbol, label in CHOICES:
        action = sub.addAction(label, partial(set_direction, ctx, uid, row, symbol))
        action.setCheckable(True)
        action.setChecked(symbol == used and not by_default)
    if not by_default:
        sub.addAction("恢复按二级指标默认", lambda: set_direction(ctx, uid, row, ""))
