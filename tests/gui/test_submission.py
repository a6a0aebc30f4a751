"""The window's 导出 menu, 自评汇总表 view and the one-click 定性 word fix, on real .zpdb files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document as DocxDocument

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gui.navigation import ANALYSIS_NODE, PROJECT_NODE, SUMMARY_NODE
from gui.submission import HEADERS, submission_problems
from tests.gui.window_helpers import make_window


@pytest.fixture
def no_questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def answer(parent: Any, title: str, text: str, *a: Any, **k: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: asked.append(str(a[2])))
    return asked


def test_summary_node_sorts_and_opens_a_project(qtbot: Any, seed_zpdb: Any) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    assert window.tree.select_node(SUMMARY_NODE)
    view = window.submission.view
    assert window.editors.currentWidget() is view
    assert view.proxy.rowCount() == 25 and view.model.columnCount() == len(HEADERS)
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # 全年预算数, largest first
    first = view.proxy.index(0, 0).data()
    assert first.startswith("部门整体支出")  # 912.26 is more than any project
    view.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # 执行率, lowest first
    lowest = view.proxy.index(0, 0).data()
    assert lowest == "老党员困难党员和特困离退休干部救助"  # 0.00%
    view.table.setCurrentIndex(view.proxy.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)  # Enter opens the form, as a double click does
    form = window.ctx.doc.report.form_by_name(lowest)
    assert window.tree.current_node() == (PROJECT_NODE, form.uid)
    assert "项目合计" in view.footer.text() and "等级分布" in view.footer.text()
    window.grab().save(str(Path(window.ctx.doc.path).with_suffix(".png")))


def test_export_menu_writes_the_files_and_counts_the_problems(
    qtbot: Any, seed_zpdb: Any, tmp_path: Path, no_questions: list[str]
) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    menus = {a.text(): a.menu() for a in window.menuBar().actions() if a.menu() is not None}
    assert "一体化导入文件(&Y)…" in [a.text() for a in menus["导出(&X)"].actions()]
    count = len(submission_problems(window.ctx))
    assert count > 0
    assert window.submission.export_yth(tmp_path / "yth")
    assert f"一体化导入前检查发现 {count} 个问题" in no_questions[0]
    assert len(list((tmp_path / "yth").glob("*.xlsx"))) == 25 and (tmp_path / "yth.zip").exists()
    assert window.submission.export_summary(tmp_path / "s.xlsx", ask=False)
    assert openpyxl.load_workbook(tmp_path / "s.xlsx").active.max_row > 25
    assert window.submission.export_analysis(tmp_path / "a.docx", ask=False)
    assert window.submission.export_public("word", tmp_path / "p.docx", ask=False)
    text = "\n".join(p.text for p in DocxDocument(str(tmp_path / "p.docx")).paragraphs)
    assert "填表人" not in text and "联系电话" not in text and "单位负责人签字" in text


def test_one_click_word_fix_is_one_undo_step(qtbot: Any, seed_zpdb: Any, no_questions: list[str]) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    report = window.ctx.doc.report
    form = report.form_by_name("干部暖心关爱帮扶基金经费")
    before = [p for p in submission_problems(window.ctx) if p.rule == "Y01"]
    assert before
    fixed = window.submission.fix_words()
    assert fixed == len({(p.form_uid, p.row) for p in before})
    ind = form.indicators[9]
    assert (ind.actual, ind.brief) == ("达成", "工作积极性高")
    assert not [p for p in submission_problems(window.ctx) if p.rule == "Y01"]
    window.undo()
    assert (ind.actual, ind.brief) == ("工作积极性高", "")
    assert len([p for p in submission_problems(window.ctx) if p.rule == "Y01"]) == len(before)


def test_analysis_sections_are_edited_like_report_sections(
    qtbot: Any, seed_zpdb: Any, tmp_path: Path
) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    assert window.tree.select_node(ANALYSIS_NODE)
    editor = window.submission.analysis
    assert window.editors.currentWidget() is editor
    assert "24个项目支出" in editor.previews["coverage"].text()  # the draft, filled
    editor.edits["problems"].setPlainText("一是{预警个数}张表触发预警。")
    editor.commit()
    assert window.ctx.doc.report.analysis == {"problems": "一是{预警个数}张表触发预警。"}
    assert editor.previews["problems"].text() == "一是2张表触发预警。"
    window.undo()
    assert window.ctx.doc.report.analysis == {}
    assert (
        editor.edits["problems"].toPlainText().startswith("一是{低执行率项目个数}个项目")
    )  # the draft again
    window.ctx.undo_stack.redo()
    assert window.submission.export_analysis(tmp_path / "a.docx", ask=False)
    text = "\n".join(p.text for p in DocxDocument(str(tmp_path / "a.docx")).paragraphs)
    assert "一是2张表触发预警。" in text
