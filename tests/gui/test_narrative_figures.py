"""自评报告 sentences that state figures come filled from the data, and say where a number disagrees."""

from __future__ import annotations

from pathlib import Path

from core.report import Document, new_report
from gui.context import AppContext
from gui.editors.narrative import NarrativeEditor


def _doc(tmp_path: Path) -> Document:
    report = new_report("sichuan-guangyuan", 2023, "中共广元市昭化区委组织部", ["干部暖心关爱帮扶基金经费"])
    doc = Document.create(tmp_path / "r.zpdb", report)
    uid = doc.report.overall.uid  # type: ignore[union-attr]
    doc.set_cells(
        [
            (uid, "funds", 0, "initial", "664.57"),
            (uid, "funds", 0, "annual", "912.26"),
            (uid, "funds", 0, "executed", "831.95"),
        ]
    )
    return doc


def test_a_new_report_starts_with_data_sentences_and_shows_them_filled(qtbot, tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    titles = [s.title for s in doc.report.narrative]
    index = titles.index("二、预算单位财政收支管理情况")
    assert "{全年预算数}" in doc.report.narrative[index].text
    ctx = AppContext(doc)
    editor = NarrativeEditor(ctx)
    qtbot.addWidget(editor)
    editor.show()
    editor.set_section(index)
    assert editor.preview.isVisible()
    text = editor.preview.text()
    assert "全年预算收入为912.26万元" in text and "预算调整收入247.69万元" in text
    assert "预算执行率91.20%" in text
    # a figure changed in the tables shows in the preview at once
    uid = doc.report.overall.uid  # type: ignore[union-attr]
    doc.set_cell(uid, "funds", 0, "executed", "912.26")
    assert "预算执行率100.00%" in editor.preview.text()
    doc.close()


def test_the_section_shows_its_own_problems(qtbot, tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    ctx = AppContext(doc)
    editor = NarrativeEditor(ctx)
    qtbot.addWidget(editor)
    editor.show()
    doc.set_section(0, text="全年预算执行率100%。")
    editor.set_section(0)
    assert editor.problems.isVisible()
    assert "91.20%" in editor.problems.text()
    doc.close()


def test_insert_menu_offers_every_figure_with_its_value(qtbot, tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    editor = NarrativeEditor(AppContext(doc))
    qtbot.addWidget(editor)
    editor.show()
    editor.set_section(0)
    editor._fill_menu()
    actions = editor.insert.menu().actions()
    rate = next(a for a in actions if a.text().startswith("执行率"))
    assert "91.20%" in rate.text()
    rate.trigger()
    assert "{执行率}" in editor.text.toPlainText()
    doc.close()
