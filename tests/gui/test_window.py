"""The real main window, driven as a user would: tree, grids, live flags, undo, paste, reopen, projects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from core.report import Document
from gui.navigation import PROJECT_NODE, SECTION_NODE
from tests.gui.window_helpers import (
    Messages,
    cell_background,
    cell_text,
    commit_text,
    grid,
    make_window,
    pick_project,
    type_into_cell,
)

SeedFile = Callable[[str], Path]
PROJECT = "业务工作经费"


@pytest.fixture
def seed(seed_zpdb: SeedFile) -> Path:
    return seed_zpdb("seed004_yiyang")


def problem_messages(window) -> list[str]:
    QApplication.processEvents()  # the list follows an edit on the next turn of the event loop
    model = window.problems.model
    return [model.index(r, 3).data() for r in range(model.rowCount())]


def reopen(path: Path) -> Document:
    return Document.open(path, backup=False)


def test_typing_a_missed_target_flags_the_cell_and_the_list_and_undo_clears_it(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    uid = pick_project(window, PROJECT)
    view = grid(window, "indicatorGrid")
    assert window.form_editor.fields["name"].text() == PROJECT
    before_bg = cell_background(view, 0, "deviation_note")
    before_count = len(problem_messages(window))
    type_into_cell(qtbot, view, 0, "target", "≥5名")
    type_into_cell(qtbot, view, 0, "actual", "3名")
    assert window.ctx.doc.get_cell(uid, "indicators", 0, "target") == "≥5名"
    assert cell_text(view, 0, "actual") == "3名"
    assert cell_background(view, 0, "deviation_note") not in (None, before_bg)
    tip = view.model().index(0, view.model().column_of("deviation_note")).data(Qt.ItemDataRole.ToolTipRole)
    assert "偏差原因" in tip
    assert any("实际 3名 < 目标 ≥5名" in m for m in problem_messages(window))
    assert "错误 5" in window.counts_label.text()  # V09 missing reason, P02 full score 10 on a missed target
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cell_text(view, 0, "target") == "根据实际工作需要录用"
    assert cell_background(view, 0, "deviation_note") == before_bg
    assert len(problem_messages(window)) == before_count
    assert not any("实际 3名" in m for m in problem_messages(window))


def test_pasted_block_and_typed_cells_are_in_the_file_after_reopening(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    uid = pick_project(window, PROJECT)
    view = grid(window, "indicatorGrid")
    tsv = '培训人数\t≥100人\t120人\t10\n调研次数\t≥4次\t5次\t5\n"多行\n名称"\t＝100%\t100%\t5\r\n'
    QApplication.clipboard().setText(tsv)
    view.setCurrentIndex(view.model().index(1, view.model().column_of("level3")))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert cell_text(view, 3, "level3") == "多行\n名称"
    type_into_cell(qtbot, view, 0, "actual", "780 人")
    window.close()
    disk = reopen(seed)
    try:
        rows = disk.form(uid).indicators
        assert [(r.level3, r.target, r.actual, r.weight) for r in rows[1:4]] == [
            ("培训人数", "≥100人", "120人", "10"),
            ("调研次数", "≥4次", "5次", "5"),
            ("多行\n名称", "＝100%", "100%", "5"),
        ]
        assert rows[0].actual == "780 人"
    finally:
        disk.close()


def test_double_clicking_a_problem_shows_its_cell_in_its_project(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    window.tree.select_node("report")
    view = window.problems.view
    proxy = view.model()
    row = next(
        r
        for r in range(proxy.rowCount())
        if proxy.index(r, 2).data().startswith("指标 第") and proxy.index(r, 1).data() != "报告"
    )
    problem = proxy.index(row, 0).data(Qt.ItemDataRole.UserRole + 1)
    rect = view.visualRect(proxy.index(row, 3))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # QTest's double click is the double-click event alone: the button let go, as a user's ends
    # (else QApplication.mouseButtons() says it is held in every later test)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tree.current_node() == (PROJECT_NODE, problem.form_uid)
    indicators = grid(window, "indicatorGrid")
    current = indicators.currentIndex()
    assert (current.row(), indicators.model().column_key(current.column())) == (problem.row, problem.column)


def test_project_add_rename_move_copy_delete_undo_and_disk(qtbot, seed: Path, monkeypatch) -> None:
    messages = Messages(monkeypatch)
    window = make_window(qtbot, seed)
    doc = window.ctx.doc
    original = [f.name for f in doc.report.forms]
    pick_project(window, PROJECT)
    qtbot.keyClick(window.tree, Qt.Key.Key_Insert)
    editor = window.tree.findChild(QLineEdit)
    assert editor is not None, "a new project opens its name for editing"
    editor.selectAll()
    commit_text(editor, "干部培训经费")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: doc.report.forms[2].name == "干部培训经费")  # the delegate commits queued
    assert [f.name for f in doc.report.forms][2] == "干部培训经费"
    assert window.tree.current_node()[0] == PROJECT_NODE
    new_uid = window.tree.current_node()[1]
    assert window.tree.nav_model.find(PROJECT_NODE, new_uid).text() == "干部培训经费"
    qtbot.keyClick(window.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [f.name for f in doc.report.forms][3] == "干部培训经费"
    window.tree.duplicate_project(new_uid)
    assert "干部培训经费（副本）" in [f.name for f in doc.report.forms]
    window.tree.select_node(PROJECT_NODE, doc.report.form_by_name(PROJECT).uid)
    qtbot.keyClick(window.tree, Qt.Key.Key_Delete)
    assert PROJECT not in [f.name for f in doc.report.forms]
    assert messages.seen and messages.seen[-1][0] == "question"
    tree_names = [
        window.tree.nav_model.find("projects").child(r).text()
        for r in range(window.tree.nav_model.find("projects").rowCount())
    ]
    assert tree_names == [f.name for f in doc.report.projects]
    while window.ctx.undo_stack.canUndo():
        window.actions_.undo.trigger()
    assert [f.name for f in doc.report.forms] == original
    window.close()
    disk = reopen(seed)
    try:
        assert [f.name for f in disk.report.forms] == original
    finally:
        disk.close()


def test_drag_drop_reorders_projects(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    doc = window.ctx.doc
    first, last = doc.report.projects[0], doc.report.projects[-1]
    window.tree.select_node(PROJECT_NODE, last.uid)
    window.tree.move_project_to(last.uid, first.uid)
    assert doc.report.projects[0].uid == last.uid
    window.ctx.undo_stack.undo()
    assert doc.report.projects[-1].uid == last.uid


def test_renaming_in_the_tree_and_in_the_header_is_one_undo_step_each(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    uid = pick_project(window, PROJECT)
    index = window.tree.nav_model.find(PROJECT_NODE, uid).index()
    assert window.tree.nav_model.setData(index, "业务经费（改）")
    assert window.ctx.doc.form(uid).name == "业务经费（改）"
    assert window.form_editor.fields["name"].text() == "业务经费（改）"
    field = window.form_editor.fields["supervisor"]
    field.selectAll()
    commit_text(field, "益阳市委组织部")
    field.editingFinished.emit()
    assert window.ctx.doc.form(uid).supervisor == "益阳市委组织部"
    window.ctx.undo_stack.undo()
    window.ctx.undo_stack.undo()
    assert window.ctx.doc.form(uid).name == PROJECT
    assert window.tree.nav_model.find(PROJECT_NODE, uid).text() == PROJECT


def test_second_window_on_the_same_file_gets_a_clear_message(qtbot, seed: Path, monkeypatch) -> None:
    messages = Messages(monkeypatch)
    make_window(qtbot, seed)
    second = make_window(qtbot)
    assert not second.files.open_path(seed)
    assert "另一窗口" in messages.texts()
    assert second.ctx.doc is None


def test_narrative_typing_counts_words_and_merges_into_one_undo_step(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    window.tree.select_node(SECTION_NODE, 1)
    editor = window.narrative_editor.text
    before = editor.toPlainText()
    steps = window.ctx.undo_stack.count()
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    commit_text(editor, "新增一句。")
    window.narrative_editor.commit()
    commit_text(editor, "再加 2 句")
    window.narrative_editor.commit()
    assert window.ctx.undo_stack.count() == steps + 1
    assert window.ctx.doc.report.narrative[1].text == before + "新增一句。再加 2 句"
    count = window.findChild(QLabel, "wordCount").text()
    assert count.startswith("字数：") and int(count[3:]) > 7
    window.ctx.undo_stack.undo()
    assert editor.toPlainText() == before


def test_status_bar_shows_counts_and_the_forms_score(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    pick_project(window, "非公有制经济组织和社会组织党建工作经费")
    assert window.counts_label.text().startswith("错误 ")
    assert "本表得分" in window.score_label.text()
    assert window.windowTitle().startswith(seed.name)


def test_every_model_passes_the_model_tester(qtbot, qtmodeltester, seed: Path) -> None:
    window = make_window(qtbot, seed)
    qtmodeltester.check(window.tree.nav_model)
    qtmodeltester.check(window.problems.model)
    qtmodeltester.check(window.problems.proxy)


def test_problem_filters_by_severity_and_form(qtbot, seed: Path) -> None:
    window = make_window(qtbot, seed)
    dock = window.problems
    total = dock.proxy.rowCount()
    dock.severity_box.setCurrentIndex(dock.severity_box.findData("error"))
    assert 0 < dock.proxy.rowCount() < total
    assert {dock.proxy.index(r, 0).data() for r in range(dock.proxy.rowCount())} == {"错误"}
    uid = window.ctx.doc.report.form_by_name(PROJECT).uid
    dock.severity_box.setCurrentIndex(0)
    dock.form_box.setCurrentIndex(dock.form_box.findData(uid))
    assert {dock.proxy.index(r, 1).data() for r in range(dock.proxy.rowCount())} <= {PROJECT}


def test_report_info_edits_are_undoable_and_qt_buttons_are_chinese(qtbot, seed: Path) -> None:
    from PySide6.QtCore import QCoreApplication

    window = make_window(qtbot, seed)
    window.tree.select_node("report")
    original = window.ctx.doc.report.signoff.preparer
    year = window.report_editor.fields["year"]
    year.setText("2024")
    year.editingFinished.emit()
    preparer = window.report_editor.fields["preparer"]
    preparer.setText("")
    commit_text(preparer, "李会计")
    preparer.editingFinished.emit()
    assert (window.ctx.doc.report.year, window.ctx.doc.report.signoff.preparer) == (2024, "李会计")
    assert "湖南" in window.report_editor.template_label.text()
    window.ctx.undo_stack.undo()
    window.ctx.undo_stack.undo()
    assert year.text() == "2023" and preparer.text() == original
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_score_sheet_node_shows_the_departments_sheet(qtbot, seed_zpdb: SeedFile) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    assert window.tree.select_node("score", window.ctx.doc.report.overall.uid)
    view = window.score_editor.grids["score_sheet"].view
    assert view.objectName() == "scoreGrid" and view.isVisibleTo(window)
    assert view.model().rowCount() == len(window.ctx.doc.report.overall.score_sheet) > 5
    assert "基础数据表" not in [i.text() for i in window.tree.nav_model.items()]


def test_about_names_the_version_and_licences(qtbot) -> None:
    from core.version import __version__
    from gui.dialogs.about import AboutDialog

    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.findChild(QLabel, "aboutText").text()
    assert __version__ in text
    assert all(name in text for name in ("LGPLv3", "openpyxl", "python-docx", "sqlite-utils", "Apache-2.0"))


def test_dropping_a_dragged_project_on_another_moves_it(qtbot, seed: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF
    from PySide6.QtGui import QDropEvent

    window = make_window(qtbot, seed)
    doc, tree = window.ctx.doc, window.tree
    last, first = doc.report.projects[-1], doc.report.projects[0]
    tree.select_node(PROJECT_NODE, last.uid)
    target = tree.visualRect(tree.nav_model.find(PROJECT_NODE, first.uid).index()).center()
    event = QDropEvent(
        QPointF(target),
        Qt.DropAction.MoveAction,
        QMimeData(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    tree.dropEvent(event)
    assert doc.report.projects[0].uid == last.uid
    assert tree.nav_model.find("projects").child(0).text() == last.name
    assert tree.current_node() == (PROJECT_NODE, last.uid)
