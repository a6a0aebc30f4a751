"""已核对: the user takes away the 请核对 an import left at a cell (rule S24), as one undo step.

An import keeps what it was not sure of (a figure that looks typed in 元, a percentage read as a
number, a formula with no saved result …) as flags at the cells in the report (core/importers,
``Form.review_flags``); the problem list lists each until the user, having looked, marks the cell
已核对 from the grid's or the problem list's context menu. Undo puts the flags back.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QMenu

from core.model import ReviewFlag
from core.report import Document
from gui.commands import DocCommand, push

CHECKED = "已核对（导入时请核对）"


class MarkCheckedCommand(DocCommand):
    """Drop the 请核对 flags at one cell of a form; undo gives the form its flags back."""

    def __init__(self, doc: Document, uid: int, table: str, row: int | None, column: str | None) -> None:
        super().__init__(doc, "已核对")
        self.uid, self.table, self.row, self.column = uid, table, row, column
        self.old: list[ReviewFlag] = []

    def do(self) -> None:
        self.old = self.doc.mark_checked(self.uid, self.table, self.row, self.column)

    def undo_it(self) -> None:
        self.doc.set_review_flags(self.uid, self.old)


def flags_at(ctx: Any, uid: int | None, table: str, row: int | None, column: str | None) -> list[ReviewFlag]:
    """The 请核对 flags at one cell of the open report's form ``uid``."""
    if ctx.doc is None or uid is None or not any(f.uid == uid for f in ctx.doc.report.forms):
        return []
    flags: list[ReviewFlag] = ctx.doc.form(uid).review_flags
    return [f for f in flags if f.cell_table == table and f.row == row and f.column == column]


def mark_checked(ctx: Any, uid: int, table: str, row: int | None, column: str | None) -> None:
    push(ctx.undo_stack, MarkCheckedCommand(ctx.doc, uid, table, row, column))


def add_checked_action(
    ctx: Any, uid: int | None, table: str, row: int | None, column: str | None, menu: QMenu
) -> None:
    """Add 已核对 to ``menu`` when the cell holds a 请核对 flag."""
    if uid is None or not flags_at(ctx, uid, table, row, column):
        return
    action = menu.addAction(CHECKED, partial(mark_checked, ctx, uid, table, row, column))
    action.setObjectName("markChecked")
