"""Form-level undo commands: add, rename, duplicate, delete and move forms; header, report and text fields.

Each command captures what undo needs in ``__init__`` or from the Change its first redo returns,
calls core.report.Document and never touches widgets.
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from core.model import PROJECT, SIGNOFF_FIELDS, Form
from core.report import Document, InputError
from core.schema import HEAD
from core.storage.db import StorageError
from gui.commands import DocCommand, SetFormFieldCommand, push

__all__ = ["DocCommand", "SetFormFieldCommand", "run"]

NARRATIVE_TYPING_ID = 4101


def run(stack: QUndoStack, command: DocCommand) -> str | None:
    """Do ``command`` and push it on ``stack``; return the Chinese error message instead if it failed."""
    try:
        push(stack, command)
    except (InputError, StorageError) as exc:
        return str(exc)
    except KeyError:
        return "该表已不存在"
    return None


class AddFormCommand(DocCommand):
    """Add a form (a blank project by default) at ``index``."""

    def __init__(self, doc: Document, name: str, index: int | None = None, kind: str = PROJECT) -> None:
        super().__init__(doc, f"新增项目“{name}”")
        self.doc, self.name, self.index, self.kind = doc, name, index, kind
        self.form: Form | None = None
        self.uid: int | None = None

    def do(self) -> None:
        if self.form is None:
            change = self.doc.add_form(self.kind, self.name, self.index)
            self.uid = change.form
            self.form = copy.deepcopy(self.doc.form(change.form))  # type: ignore[arg-type]
            self.index = change.rows[0]
        else:
            self.doc.add_form(self.kind, self.name, self.index, form=self.form)

    def undo_it(self) -> None:
        if self.uid is not None:
            self.doc.delete_form(self.uid)


class DuplicateFormCommand(DocCommand):
    """Copy a form, placed right after it."""

    def __init__(self, doc: Document, uid: int) -> None:
        super().__init__(doc, f"复制“{doc.form(uid).name}”")
        self.doc, self.source = doc, uid
        self.form: Form | None = None
        self.uid: int | None = None
        self.index = 0

    def do(self) -> None:
        if self.form is None:
            change = self.doc.duplicate_form(self.source)
            self.uid, self.index = change.form, change.rows[0]
            self.form = copy.deepcopy(self.doc.form(change.form))  # type: ignore[arg-type]
        else:
            self.doc.add_form(self.form.kind, self.form.name, self.index, form=self.form)

    def undo_it(self) -> None:
        if self.uid is not None:
            self.doc.delete_form(self.uid)


class DeleteFormCommand(DocCommand):
    """Delete a form; undo puts it back where it was, with the same uid."""

    def __init__(self, doc: Document, uid: int) -> None:
        form = doc.form(uid)
        super().__init__(doc, f"删除“{form.name}”")
        self.doc, self.uid = doc, uid
        self.form = copy.deepcopy(form)
        self.index = doc.report.position(form)

    def do(self) -> None:
        self.doc.delete_form(self.uid)

    def undo_it(self) -> None:
        self.doc.add_form(self.form.kind, self.form.name, self.index, form=self.form)


class MoveFormCommand(DocCommand):
    """Move a form to another position in the report's list of forms."""

    def __init__(self, doc: Document, uid: int, index: int) -> None:
        super().__init__(doc, f"移动“{doc.form(uid).name}”")
        self.doc, self.uid, self.index = doc, uid, index
        self.old = doc.report.position(doc.form(uid))

    def do(self) -> None:
        self.doc.move_form(self.uid, self.index)

    def undo_it(self) -> None:
        self.doc.move_form(self.uid, self.old)


class RenameFormCommand(SetFormFieldCommand):
    """Rename a form."""

    def __init__(self, doc: Document, uid: int, name: str) -> None:
        super().__init__(doc, uid, HEAD.name, name, f"重命名为“{name}”")


class SetReportFieldCommand(DocCommand):
    """Set year, department, template or a sign-off field of the report."""

    def __init__(self, doc: Document, name: str, value: Any) -> None:
        super().__init__(doc, "修改报告信息")
        self.doc, self.name, self.value = doc, name, value
        report = doc.report
        self.old = getattr(report.signoff, name) if name in SIGNOFF_FIELDS else getattr(report, name)

    def do(self) -> None:
        self.doc.set_report_field(self.name, self.value)

    def undo_it(self) -> None:
        self.doc.set_report_field(self.name, self.old)


class SetSectionCommand(DocCommand):
    """Set the text of a 自评报告 section; consecutive typing in one section merges into one step."""

    def __init__(self, doc: Document, index: int, text: str) -> None:
        super().__init__(doc, "编辑自评报告")
        self.doc, self.index, self.new_text = doc, index, text
        self.old = doc.report.narrative[index].text

    def id(self) -> int:
        return NARRATIVE_TYPING_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetSectionCommand) or other.index != self.index:
            return False
        self.new_text = other.new_text
        return True

    def do(self) -> None:
        if self.doc.report.narrative[self.index].text != self.new_text:
            self.doc.set_section(self.index, text=self.new_text)

    def undo_it(self) -> None:
        self.doc.set_section(self.index, text=self.old)
