"""The form page edits a project's 项目编码 and 业务处室 like its other header fields (issue 16)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.report import Document
from gui.navigation import OVERALL_NODE
from tests.gui.window_helpers import commit_text, make_window, pick_project

SeedFile = Callable[[str], Path]
PROJECT = "业务工作经费"


def test_code_and_office_are_edited_with_undo_and_kept_on_disk(qtbot, seed_zpdb: SeedFile) -> None:
    path = seed_zpdb("seed004_yiyang")
    window = make_window(qtbot, path)
    uid = pick_project(window, PROJECT)
    editor = window.form_editor
    assert editor.field_labels["code"].text() == "项目编码"
    assert editor.field_labels["office"].text() == "业务处室"
    assert not editor.fields["code"].isHidden() and editor.fields["code"].text() == ""
    steps = window.ctx.undo_stack.count()
    for name, text in (("code", "43090024Y0001"), ("office", "行政政法科")):
        field = editor.fields[name]
        field.setFocus()
        commit_text(field, text)
        field.editingFinished.emit()
    form = window.ctx.doc.form(uid)
    assert (form.code, form.office) == ("43090024Y0001", "行政政法科")
    assert window.ctx.undo_stack.count() == steps + 2  # one undo step per field
    window.ctx.undo_stack.undo()
    assert form.office == "" and editor.fields["office"].text() == ""
    window.ctx.undo_stack.redo()
    assert editor.fields["office"].text() == "行政政法科"
    # the 部门整体 form has no project code: its page does not show the two fields
    window.tree.select_node(OVERALL_NODE, window.ctx.doc.report.overall.uid)
    assert editor.fields["code"].isHidden() and editor.field_labels["office"].isHidden()
    window.close()
    disk = Document.open(path, backup=False, read_only=True)
    try:
        kept = disk.report.form_by_name(PROJECT)
        assert kept is not None and (kept.code, kept.office) == ("43090024Y0001", "行政政法科")
    finally:
        disk.close()
