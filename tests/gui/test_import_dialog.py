"""文件 → 导入…: the preview dialog, one undo step, a new report from files, dropped files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QComboBox, QDialog

from core.export.xlsx import write_xlsx
from core.importers.api import SKIP
from core.interchange import dumps, read_json_file
from core.templates import get_template
from gui.dialogs import import_dialog
from gui.dialogs.import_dialog import ImportDialog, run_preview
from tests.gui.window_helpers import make_window

ROOT = Path(__file__).resolve().parents[2]
SeedFile = Callable[[str], Path]


def _indicator_workbook(path: Path, project: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "一级指标", "二级指标", "三级指标名称", "计算符号", "指标值", "*实际完成值", "单位"])
    ws.append([1, "产出指标", "数量指标", "新增的导入指标", "≥", "3", "4", "次"])
    wb.save(path)
    return path


def test_import_into_the_open_report_is_one_undo_step(
    qtbot, seed_zpdb: SeedFile, tmp_path: Path, monkeypatch
) -> None:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    doc = window.ctx.doc
    before = dumps(doc.report)
    source = _indicator_workbook(tmp_path / "导入模板_业务工作经费.xlsx", "业务工作经费")

    def accept(dialog: ImportDialog) -> int:
        assert dialog.into.isChecked()
        box = dialog.table.cellWidget(0, 3)
        assert isinstance(box, QComboBox) and "业务工作经费" in box.currentText()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", accept)
    assert import_dialog.import_files(window, [str(source)])
    form = doc.report.form_by_name("业务工作经费")
    assert form is not None and "新增的导入指标" in [i.level3 for i in form.indicators]
    window.ctx.undo_stack.undo()
    assert dumps(doc.report) == before
    window.ctx.undo_stack.redo()
    assert "新增的导入指标" in [i.level3 for i in doc.report.form_by_name("业务工作经费").indicators]


def test_preview_dialog_skips_a_table_and_shows_reasons(qtbot, tmp_path: Path) -> None:
    report = read_json_file(ROOT / "tests" / "fixtures" / "seed004_yiyang.json")
    path = tmp_path / "yiyang.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    preview = run_preview(None, [str(path)], None, False)  # type: ignore[arg-type]
    assert preview is not None
    dialog = ImportDialog(preview, None, [str(path)])
    qtbot.addWidget(dialog)
    assert dialog.new.isChecked() and not dialog.into.isEnabled()
    assert dialog.template_id() == "hunan-yiyang" and dialog.year.value() == 2023
    first = dialog.table.cellWidget(0, 3)
    assert isinstance(first, QComboBox) and not first.isEnabled()  # 基础数据表: not recognised
    dialog.table.selectRow(0)
    assert "基础数据表暂不能导入" in dialog.details.toPlainText()
    box = dialog.table.cellWidget(2, 3)
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.count() - 1)
    assert preview.sources[2].action == SKIP


def test_new_report_from_dropped_files(qtbot, tmp_path: Path, monkeypatch) -> None:
    window = make_window(qtbot)
    report = read_json_file(ROOT / "tests" / "fixtures" / "seed003_pingliang.json")
    path = tmp_path / "pingliang.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    target = tmp_path / "new.zpdb"
    monkeypatch.setattr(ImportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(window.files, "_ask_new_file", lambda *a: str(target))
    if window.ctx.doc is not None:
        monkeypatch.setattr(ImportDialog, "into_current", lambda self: False)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    no_keys, left = Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, left, no_keys)
    QApplication.sendEvent(window, enter)  # Qt delivers a drop only to where the drag entered
    assert enter.isAccepted()
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, left, no_keys)
    QApplication.sendEvent(window, event)
    assert target.exists()
    assert window.ctx.doc is not None and Path(window.ctx.doc.path) == target
    assert window.ctx.doc.report.template == "gansu-pingliang"
    assert window.ctx.doc.report.overall is not None


def test_unreadable_file_says_why(qtbot, tmp_path: Path, monkeypatch) -> None:
    window = make_window(qtbot)
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    said: list[str] = []
    monkeypatch.setattr(import_dialog.QMessageBox, "warning", lambda *a: said.append(a[2]))
    assert not import_dialog.import_files(window, [str(bad)])
    assert said and "损坏" in said[0]


def test_preview_shows_what_to_check(qtbot, tmp_path: Path) -> None:
    """A figure that looks typed in 元 inside a 万元 table is imported unchanged and the preview says,
    in its summary, its row and the row's details, that it needs checking."""
    report = read_json_file(ROOT / "tests" / "fixtures" / "seed004_yiyang.json")
    path = tmp_path / "yiyang.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    wb = openpyxl.load_workbook(path)
    ws = wb["附件3-1 业务工作经费"]
    ws["D7"] = 1530300
    wb.save(path)
    preview = run_preview(None, [str(path)], None, False)  # type: ignore[arg-type]
    assert preview is not None
    dialog = ImportDialog(preview, None, [str(path)])
    qtbot.addWidget(dialog)
    assert "2 处读入的内容需要核对" in dialog.summary.text()
    row = next(i for i, p in enumerate(preview.sources) if p.part == "附件3-1 业务工作经费")
    assert dialog.table.item(row, 5).text() == "请核对 2 处"
    dialog.table.selectRow(row)
    assert "请核对：附件3-1 业务工作经费!D7 的 1530300" in dialog.details.toPlainText()


def test_old_word_file_says_save_as_docx(qtbot, tmp_path: Path, monkeypatch) -> None:
    """A WPS 文字 .wps (an OLE file with a WordDocument stream) is taken by the window, then refused
    with what to do; the open report is not touched."""
    from gui.file_ops import DropFilter
    from tests.core.test_import_variants import _ole

    window = make_window(qtbot)
    old = _ole(tmp_path / "去年报告.wps", "WordDocument")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(old))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert DropFilter._paths(enter) == [str(old)]
    before = dumps(window.ctx.doc.report) if window.ctx.doc is not None else ""
    said: list[str] = []
    monkeypatch.setattr(import_dialog.QMessageBox, "warning", lambda *a: said.append(a[2]))
    assert not import_dialog.import_files(window, [str(old)])
    assert said and "另存为 .docx" in said[0] and "去年报告.wps" in said[0]
    assert (dumps(window.ctx.doc.report) if window.ctx.doc is not None else "") == before


def test_tab_goes_round_the_preview_dialog(qtbot, tmp_path: Path) -> None:
    """#15 every action by keyboard: from the list of tables Tab goes to each row's 导入到 box, then
    on down the dialog to 导入 and back (Qt's table went round its cells for ever, and the boxes,
    made last, came after the buttons); Shift+Tab the same way back."""
    report = read_json_file(ROOT / "tests" / "fixtures" / "seed004_yiyang.json")
    path = tmp_path / "yiyang.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    preview = run_preview(None, [str(path)], None, False)  # type: ignore[arg-type]
    assert preview is not None
    dialog = ImportDialog(preview, None, [str(path)])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    table = dialog.table
    boxes = [table.cellWidget(r, 3) for r in range(table.rowCount()) if table.cellWidget(r, 3).isEnabled()]
    assert len(boxes) >= 2
    rounds = []
    for mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
        table.setFocus()
        seen = []
        for _ in range(40):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, mods)
            seen.append(QApplication.focusWidget())
            if seen[-1] is table:
                break
        assert seen[-1] is table and len(seen) > 1, [type(w).__name__ for w in seen[-3:]]
        rounds.append(seen[:-1])
    forward, backward = rounds
    assert forward[: len(boxes)] == boxes  # the list's boxes first, in its order
    assert backward == forward[::-1]
    assert "导入" in [w.text() for w in forward if hasattr(w, "text") and not hasattr(w, "currentText")]
