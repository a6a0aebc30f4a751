"""Undo commands write through core.report.Document: each step lands in the .zpdb and undoes cleanly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from PySide6.QtGui import QUndoStack

from core.report import Document, InputError
from gui.commands import (
    DeleteRowsCommand,
    InsertRowsCommand,
    MacroCommand,
    MoveRowCommand,
    SetCellsCommand,
    SetFormFieldCommand,
    push,
)


@pytest.fixture
def doc(seed_zpdb: Callable[[str], Path]) -> Document:
    document = Document.open(seed_zpdb("seed004_yiyang"))
    yield document
    document.close()


def reopened(doc: Document) -> Document:
    """Close the document and open its file again: what is on disk."""
    doc.close()
    return Document.open(doc.path)


def project(doc: Document, n: int = 2) -> int:
    return doc.report.forms[n].uid


def test_set_cells_is_one_step_and_undo_restores_the_file(qapp: object, doc: Document) -> None:
    stack, uid = QUndoStack(), project(doc)
    before = [doc.get_cell(uid, "indicators", r, "target") for r in (0, 1)]
    push(
        stack,
        SetCellsCommand(
            doc, [(uid, "indicators", 0, "target", "≥6"), (uid, "indicators", 1, "target", "≥300个")]
        ),
    )
    assert stack.count() == 1
    assert [doc.get_cell(uid, "indicators", r, "target") for r in (0, 1)] == ["≥6", "≥300个"]
    stack.undo()
    assert [doc.get_cell(uid, "indicators", r, "target") for r in (0, 1)] == before
    stack.redo()
    disk = reopened(doc)
    try:
        assert disk.get_cell(uid, "indicators", 1, "target") == "≥300个"
    finally:
        disk.close()


def test_bad_amount_raises_and_leaves_nothing(qapp: object, doc: Document) -> None:
    stack, uid = QUndoStack(), project(doc)
    with pytest.raises(InputError, match="不是数字"):
        push(
            stack,
            SetCellsCommand(
                doc, [(uid, "indicators", 0, "target", "≥9"), (uid, "indicators", 0, "weight", "十分")]
            ),
        )
    assert stack.count() == 0
    assert doc.get_cell(uid, "indicators", 0, "target") == "≥4"
    assert doc.get_cell(uid, "indicators", 0, "weight") == "10"


def test_insert_delete_move_rows_undo_and_redo(qapp: object, doc: Document) -> None:
    stack, uid = QUndoStack(), project(doc)
    names = [i.level3 for i in doc.form(uid).indicators]
    push(stack, InsertRowsCommand(doc, uid, "indicators", 1, count=2))
    assert [i.level3 for i in doc.form(uid).indicators] == [names[0], "", "", *names[1:]]
    push(stack, DeleteRowsCommand(doc, uid, "indicators", [0, 3]))
    assert [i.level3 for i in doc.form(uid).indicators] == ["", "", *names[2:]]
    push(stack, MoveRowCommand(doc, uid, "indicators", 2, 0))
    assert [i.level3 for i in doc.form(uid).indicators] == [names[2], "", "", *names[3:]]
    for _ in range(3):
        stack.undo()
    assert [i.level3 for i in doc.form(uid).indicators] == names
    for _ in range(3):
        stack.redo()
    disk = reopened(doc)
    try:
        assert [i.level3 for i in disk.form(uid).indicators] == [names[2], "", "", *names[3:]]
    finally:
        disk.close()


def test_macro_undoes_its_first_part_when_a_later_one_fails(qapp: object, doc: Document) -> None:
    stack, uid = QUndoStack(), project(doc)
    count = len(doc.form(uid).indicators)
    parts = [
        InsertRowsCommand(doc, uid, "indicators", count, count=1),
        SetCellsCommand(doc, [(uid, "indicators", count, "weight", "abc")]),
    ]
    with pytest.raises(InputError):
        push(stack, MacroCommand(doc, parts, "粘贴"))
    assert len(doc.form(uid).indicators) == count and stack.count() == 0
    disk = reopened(doc)
    try:
        assert len(disk.form(uid).indicators) == count
    finally:
        disk.close()


def test_macro_of_insert_and_cells_is_one_undo_step(qapp: object, doc: Document) -> None:
    stack, uid = QUndoStack(), project(doc)
    count = len(doc.form(uid).indicators)
    parts = [
        InsertRowsCommand(doc, uid, "indicators", count, count=1),
        SetCellsCommand(doc, [(uid, "indicators", count, "level3", "新增指标")]),
    ]
    push(stack, MacroCommand(doc, parts, "粘贴"))
    assert doc.form(uid).indicators[-1].level3 == "新增指标"
    stack.undo()
    assert len(doc.form(uid).indicators) == count
    stack.redo()
    assert doc.form(uid).indicators[-1].level3 == "新增指标"


def test_form_field_command(qapp: object, doc: Document) -> None:
    stack, uid = QUndoStack(), project(doc)
    old = doc.form(uid).execution_weight
    push(stack, SetFormFieldCommand(doc, uid, "execution_weight", "20"))
    assert doc.form(uid).execution_weight == "20"
    stack.undo()
    assert doc.form(uid).execution_weight == old
