"""Undo commands for the grids: thin wrappers that call core.report.Document and remember the old value.

Commands never touch widgets: the Document tells the AppContext what changed, and
the panels refresh themselves. Push them with ``push(stack, command)``: it runs the
command once first, so bad input (core.report.InputError) is raised to the caller
and nothing lands on the stack. Form-level commands (add, rename, delete forms; report
fields; sections) live in gui/form_commands.py.
"""

from __future__ import annotations

import copy
from contextlib import nullcontext
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from core.model import row_factory
from core.report import Document
from core.storage.db import FileGoneError, StorageError

Edit = tuple[int, str, int, str, Any]


class DocCommand(QUndoCommand):
    """A command whose first redo() may already have been run by ``push``."""

    def __init__(self, doc: Document, text: str) -> None:
        super().__init__(text)
        self.doc = doc
        self._applied = False  # the next redo() is done already (by ``push``, or taken back: below)
        self._unapplied = False  # the next undo() is done already (a redo whose commit failed)

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.do()

    def undo(self) -> None:
        if self._unapplied:
            self._unapplied = False
            return
        self.undo_it()

    def do(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def undo_it(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def push(stack: QUndoStack, command: DocCommand) -> None:
    """Run ``command`` now (InputError propagates, nothing is pushed) and put it on the stack."""
    batch = getattr(stack, "ctx", None)
    if batch is not None:
        problem = batch.settle()  # the last edit's commit failed: taken back, and this one not made
        if problem:
            raise StorageError(problem)
    try:
        with batch.batch() if batch is not None else nullcontext():
            command.do()
    except FileGoneError as exc:  # the report was deleted, moved or replaced: the window offers 另存为
        hook, message = getattr(stack, "on_file_gone", None), str(exc)
        if hook is not None:
            QTimer.singleShot(0, lambda: hook(message))
        raise
    command._applied = True
    stack.push(command)


class SetCellsCommand(DocCommand):
    """Set one or many cells in one transaction (typing, paste, delete, fill down)."""

    def __init__(self, doc: Document, edits: list[Edit], text: str = "编辑单元格") -> None:
        super().__init__(doc, text)
        self.edits = list(edits)
        self.old = [(u, t, r, c, _old_value(doc, u, t, r, c)) for u, t, r, c, _ in edits]

    def do(self) -> None:
        self.doc.set_cells(self.edits)

    def undo_it(self) -> None:
        self.doc.set_cells(list(reversed(self.old)))


class SetBasicCellsCommand(DocCommand):
    """Set cells (row, column, text) of the 基础数据表 in one transaction: one undo step."""

    def __init__(
        self, doc: Document, edits: list[tuple[int, str, str]], text: str = "编辑基础数据表"
    ) -> None:
        super().__init__(doc, text)
        self.edits = list(edits)
        self.old = [(r, c, doc.basic_cell(r, c)) for r, c, _ in edits]

    def do(self) -> None:
        self.doc.set_basic_cells(list(self.edits))

    def undo_it(self) -> None:
        self.doc.set_basic_cells(list(reversed(self.old)))


def _old_value(doc: Document, uid: int, table: str, row: int, column: str) -> Any:
    """Return a cell's value; for a row past the end, the blank value (a paste inserts it first)."""
    rows = doc.form(uid).rows(table)
    if row < len(rows):
        return copy.deepcopy(getattr(rows[row], column))
    return getattr(row_factory(table)(), column)


class InsertRowsCommand(DocCommand):
    """Insert rows (blank unless ``rows`` is given) before ``index``."""

    def __init__(
        self,
        doc: Document,
        uid: int,
        table: str,
        index: int,
        rows: list[Any] | None = None,
        count: int = 1,
        text: str = "插入行",
    ) -> None:
        super().__init__(doc, text)
        self.uid, self.table, self.index = uid, table, index
        self.rows = copy.deepcopy(rows) if rows else None
        self.count = len(rows) if rows else count

    def do(self) -> None:
        self.doc.insert_rows(self.uid, self.table, self.index, self.rows, self.count)

    def undo_it(self) -> None:
        self.doc.delete_rows(self.uid, self.table, list(range(self.index, self.index + self.count)))


class DeleteRowsCommand(DocCommand):
    """Delete rows; undo puts the very same rows back where they were."""

    def __init__(self, doc: Document, uid: int, table: str, indexes: list[int], text: str = "删除行") -> None:
        super().__init__(doc, text)
        self.uid, self.table = uid, table
        current = doc.form(uid).rows(table)
        self.indexes = sorted({i for i in indexes if 0 <= i < len(current)})
        self.removed = [(i, copy.deepcopy(current[i])) for i in self.indexes]
        self.flags: list[Any] = []  # the rows' 请核对 flags as the delete found them: its undo puts them back

    def do(self) -> None:
        self.flags = self.doc.flags_of_rows(self.uid, self.table, self.indexes)
        self.doc.delete_rows(self.uid, self.table, self.indexes)

    def undo_it(self) -> None:
        self.doc.restore_rows(self.uid, self.table, self.removed, self.flags)


class MoveRowCommand(DocCommand):
    """Move one row from ``src`` to ``dst``."""

    def __init__(self, doc: Document, uid: int, table: str, src: int, dst: int, text: str = "移动行") -> None:
        super().__init__(doc, text)
        self.uid, self.table, self.src, self.dst = uid, table, src, dst

    def do(self) -> None:
        self.doc.move_row(self.uid, self.table, self.src, self.dst)

    def undo_it(self) -> None:
        self.doc.move_row(self.uid, self.table, self.dst, self.src)


class MacroCommand(DocCommand):
    """Several commands as one undo step and one transaction (``Document.grouped``): if one fails,
    or the commit does, the file and the model are as they were before the first."""

    def __init__(self, doc: Document, parts: list[DocCommand], text: str) -> None:
        super().__init__(doc, text)
        self.parts = parts

    def do(self) -> None:
        with self.doc.grouped():
            for part in self.parts:
                part.do()

    def undo_it(self) -> None:
        with self.doc.grouped():
            for part in reversed(self.parts):
                part.undo_it()


class SetFormFieldCommand(DocCommand):
    """Set a form header field (名称, 主管部门, 执行率分值, …)."""

    def __init__(self, doc: Document, uid: int, name: str, value: str, text: str = "修改表头") -> None:
        super().__init__(doc, text)
        self.uid, self.name, self.value = uid, name, value
        self.old = getattr(doc.form(uid), name)

    def do(self) -> None:
        self.doc.set_form_field(self.uid, self.name, self.value)

    def undo_it(self) -> None:
        self.doc.set_form_field(self.uid, self.name, self.old)
