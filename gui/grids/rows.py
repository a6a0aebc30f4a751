"""Row operations and pastes that add rows: each is one undo command on ``ctx.undo_stack``."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from gui.commands import (
    DeleteRowsCommand,
    DocCommand,
    InsertRowsCommand,
    MacroCommand,
    MoveRowCommand,
    SetCellsCommand,
)
from gui.grids.base import GridModel
from gui.grids.clipboard import PastePlan


class GridView(Protocol):
    """What the row operations need of a grid (``gui.grids.view.GridView``, which imports this
    module: a protocol here instead of an import back keeps the two modules out of a cycle)."""

    @property
    def model(self) -> GridModel: ...

    @property
    def message(self) -> Any: ...

    def copy(self) -> None: ...

    def cut(self) -> None: ...

    def paste(self) -> None: ...

    def clear_selection(self) -> None: ...

    def fill_down(self) -> None: ...

    def insert_rows(self, below: bool = False) -> None: ...

    def delete_rows(self) -> None: ...

    def move_rows(self, delta: int) -> None: ...


FIXED_ROWS = "资金表的行由模板决定，不能插入、删除或移动"


def paste(model: GridModel, plan: PastePlan) -> bool:
    """Apply a planned paste as one undo step: added rows and cells together."""
    doc, uid = model.ctx.doc, model.uid
    if doc is None or not (plan.cells or plan.add_rows):
        return False
    if not plan.add_rows:
        return model.paste_cells(plan.cells)  # the model knows where its cells go (a form's, the report's)
    if uid is None:
        return False
    good, bad = model.split_cells(plan.cells)
    count = model.rowCount()
    parts: list[DocCommand] = [InsertRowsCommand(doc, uid, model.table, count, count=plan.add_rows)]
    edits = model.cell_edits(good)
    if edits:
        parts.append(SetCellsCommand(doc, edits, "粘贴"))
    first = plan.cells[0] if plan.cells else (count, 0, "")
    done = model.run(MacroCommand(doc, parts, "粘贴"), first[0], first[1])
    model.flag_rejected(bad)
    return done


def _allowed(grid: GridView) -> bool:
    model = grid.model
    if model.uid is None or model.ctx.doc is None:
        return False
    if not model.can_add_rows:
        grid.message.emit(FIXED_ROWS)
        return False
    return True


def insert(grid: GridView, at: int, count: int) -> bool:
    """Insert ``count`` blank rows before row ``at``."""
    if not _allowed(grid):
        return False
    model = grid.model
    assert model.ctx.doc is not None and model.uid is not None
    at = max(0, min(at, model.rowCount()))
    return model.run(InsertRowsCommand(model.ctx.doc, model.uid, model.table, at, count=max(1, count)))


def delete(grid: GridView, rows: list[int]) -> bool:
    """Delete the given rows."""
    if not _allowed(grid):
        return False
    model = grid.model
    assert model.ctx.doc is not None and model.uid is not None
    return model.run(DeleteRowsCommand(model.ctx.doc, model.uid, model.table, rows))


def move(grid: GridView, first: int, last: int, delta: int) -> bool:
    """Move rows first..last one place up (delta -1) or down (+1) by moving their neighbour."""
    if not _allowed(grid):
        return False
    model = grid.model
    assert model.ctx.doc is not None and model.uid is not None
    if delta < 0 and first > 0:
        src, dst = first - 1, last
    elif delta > 0 and last + 1 < model.rowCount():
        src, dst = last + 1, first
    else:
        return False
    return model.run(MoveRowCommand(model.ctx.doc, model.uid, model.table, src, dst))


def fill_menu(grid: GridView, menu: QMenu) -> None:
    """Add the grid's commands to a context menu."""
    menu.addAction("复制", QKeySequence(QKeySequence.StandardKey.Copy), grid.copy)
    menu.addAction("剪切", QKeySequence(QKeySequence.StandardKey.Cut), grid.cut)
    menu.addAction("粘贴", QKeySequence(QKeySequence.StandardKey.Paste), grid.paste)
    menu.addAction("清除内容", QKeySequence("Del"), grid.clear_selection)
    menu.addAction("向下填充", QKeySequence("Ctrl+D"), grid.fill_down)
    if not grid.model.can_add_rows:
        return
    menu.addSeparator()
    menu.addAction("在上方插入行", QKeySequence("Ctrl+Shift+="), grid.insert_rows)
    menu.addAction("在下方插入行", lambda: grid.insert_rows(below=True))
    menu.addAction("删除行", QKeySequence("Ctrl+-"), grid.delete_rows)
    menu.addSeparator()
    menu.addAction("上移", QKeySequence("Alt+Up"), lambda: grid.move_rows(-1))
    menu.addAction("下移", QKeySequence("Alt+Down"), lambda: grid.move_rows(1))
