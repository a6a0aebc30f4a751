"""文件 → 导入…: pick (or drop) Excel, WPS and Word files, see what goes where, then import.

The preview runs in a worker thread with a progress dialog that can be cancelled; nothing
touches the report until the user presses 导入. Importing into the open report is one undo
step (``ImportCommand``); a new report asks for its template (suggested from the files'
layout), year and where to save. The window's file commands open it, as do files dropped onto
the window (gui/file_ops.py).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.importers.api import FILL, NEW, SKIP, Cancelled, Part, Preview, build_report, preview_files
from core.importers.apply import ImportUndo, apply_to_document, undo_import
from core.model import OVERALL, Report
from core.report import Document
from core.templates import all_templates
from gui.commands import DocCommand, push
from gui.files import IMPORT_SUFFIXES

FILE_FILTER = "Excel、WPS、Word 文件 (*.xlsx *.xlsm *.xls *.et *.xml *.docx *.doc *.wps);;所有文件 (*)"
SUFFIXES = IMPORT_SUFFIXES
ACTION_TEXT = {NEW: "新建", FILL: "填入", SKIP: "跳过"}


class ImportCommand(DocCommand):
    """One undo step for a whole import into the open report."""

    def __init__(self, doc: Document, preview: Preview, overwrite: bool = False) -> None:
        super().__init__(doc, "导入文件")
        self.preview, self.overwrite = preview, overwrite
        self.record: ImportUndo | None = None

    def do(self) -> None:
        self.record = apply_to_document(self.doc, self.preview, self.overwrite)

    def undo_it(self) -> None:
        if self.record is not None:
            undo_import(self.doc, self.record)


class _PreviewWorker(QThread):
    """Reads and recognises the files off the GUI thread."""

    progress = Signal(str, int, int)
    done = Signal(object, str)

    def __init__(self, paths: list[str], report: Report | None, include_hidden: bool) -> None:
        super().__init__()
        self.paths, self.report, self.include_hidden = paths, report, include_hidden
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            preview = preview_files(
                self.paths,
                report=self.report,
                include_hidden=self.include_hidden,
                progress=lambda text, i, n: self.progress.emit(text, i, n),
                cancel=self.cancel.is_set,
            )
        except Cancelled:
            self.done.emit(None, "已取消导入")
            return
        except Exception as exc:  # never a traceback in the window
            self.done.emit(None, f"读取文件时出错（{type(exc).__name__}），请检查文件后重试")
            return
        self.done.emit(preview, "")


def run_preview(
    parent: QWidget, paths: list[str], report: Report | None, include_hidden: bool
) -> Preview | None:
    """Run the preview with a cancellable progress dialog; None when cancelled or failed (said why)."""
    if report is not None:
        report.load_rows()  # rows still unread are read here, not from the worker thread
    worker = _PreviewWorker(paths, report, include_hidden)
    dialog = QProgressDialog("正在读取文件…", "取消", 0, max(1, len(paths)), parent)
    dialog.setWindowTitle("导入")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    result: dict[str, Any] = {}

    def on_progress(text: str, index: int, total: int) -> None:
        dialog.setLabelText(text)
        dialog.setMaximum(max(1, total))
        dialog.setValue(index)

    def on_done(preview: Preview | None, message: str) -> None:
        result["preview"], result["message"] = preview, message
        dialog.reset()

    worker.progress.connect(on_progress)
    worker.done.connect(on_done)
    dialog.canceled.connect(worker.cancel.set)
    worker.start()
    while worker.isRunning():
        worker.wait(30)
        QApplication.processEvents()
    QApplication.processEvents()  # deliver the worker's last signals
    dialog.close()
    preview = result.get("preview")
    message = str(result.get("message", ""))
    if preview is None and message and message != "已取消导入":
        QMessageBox.warning(parent, "无法导入", message)
    return preview if isinstance(preview, Preview) else None


class ImportDialog(QDialog):
    """The preview: each sheet/table, what it was recognised as, its target form; skip or retarget."""

    def __init__(
        self, preview: Preview, report: Report | None, paths: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入文件 — 预览")
        self.resize(980, 560)
        self.preview, self.report, self.paths = preview, report, paths
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(
            ["文件", "工作表/表格", "识别为", "导入到", "行数", "未导入的单元格"]
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        # a list of rows: Tab goes on, to each row's 导入到 box and the buttons (Qt's went round its cells)
        self.table.setTabKeyNavigation(False)
        self.table.itemSelectionChanged.connect(self._show_details)
        layout.addWidget(self.table, 3)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText("选中一行，可查看未导入的单元格及原因")
        layout.addWidget(self.details, 1)
        self.hidden = QCheckBox("包括隐藏内容（隐藏的工作表、行和列）")
        self.hidden.toggled.connect(self._reread)
        layout.addWidget(self.hidden)
        options = QHBoxLayout()
        self.into = QRadioButton("导入到当前报告")
        self.new = QRadioButton("新建报告")
        self.overwrite = QCheckBox("覆盖已填写的内容")
        self.overwrite.setToolTip("不勾选时，只填入空白单元格，已填写的内容保持不变")
        self.into.setEnabled(report is not None)
        (self.into if report is not None else self.new).setChecked(True)
        options.addWidget(self.into)
        options.addWidget(self.overwrite)
        options.addWidget(self.new)
        form = QFormLayout()
        self.template = QComboBox()
        for template in all_templates().values():
            self.template.addItem(f"{template.name}（{template.region}）", template.id)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        form.addRow("模板", self.template)
        form.addRow("年度", self.year)
        options.addLayout(form)
        layout.addLayout(options)
        self.new.toggled.connect(self._mode_changed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("导入")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill()

    # ---- filling ----------------------------------------------------------------------
    def _fill(self) -> None:
        preview = self.preview
        index = self.template.findData(preview.template)
        self.template.setCurrentIndex(max(0, index))
        self.year.setValue(preview.year or (self.report.year if self.report else 2024))
        self.table.setRowCount(len(preview.sources))
        for row, part in enumerate(preview.sources):
            cells = [
                Path(part.file).name,
                part.part,
                part.recognised_as,
                "",
                "，".join(f"{_TABLE_NAMES.get(k, k)} {v}" for k, v in part.rows.items()),
                _left_out(part),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
            self.table.setCellWidget(row, 3, self._target_box(part))
        # Tab: the list, each row's 导入到 box, then on down the dialog (made last, they came last)
        anchor: QWidget = self.table
        for row in range(self.table.rowCount()):
            box = self.table.cellWidget(row, 3)
            QWidget.setTabOrder(anchor, box)
            anchor = box
        QWidget.setTabOrder(anchor, self.details)
        self.table.resizeColumnsToContents()
        self._update_summary()
        self._mode_changed()

    def _target_box(self, part: Part) -> QComboBox:
        box = QComboBox()
        if part.raw is None:
            box.addItem("跳过", (SKIP, ""))
            box.setEnabled(False)
            return box
        box.addItem(f"新建“{part.form or '未命名'}”", (NEW, part.form))
        if self.report is not None:
            for form in self.report.forms:
                if form.kind == part.kind or part.recognised_as.startswith("一体化"):
                    label = "部门整体支出" if form.kind == OVERALL else form.name
                    box.addItem(f"填入“{label}”", (FILL, form.name))
        box.addItem("跳过此表", (SKIP, part.form))
        wanted = (part.action, part.form)
        for i in range(box.count()):
            if tuple(box.itemData(i)) == wanted:
                box.setCurrentIndex(i)
        box.currentIndexChanged.connect(lambda _i, p=part, b=box: self._retarget(p, b))
        return box

    def _retarget(self, part: Part, box: QComboBox) -> None:
        action, name = box.currentData()
        part.action = action
        if name:
            part.form = name
        self._update_summary()

    def _update_summary(self) -> None:
        parts = [p for p in self.preview.sources if p.raw is not None and p.action != SKIP]
        skipped_cells = sum(len(p.skipped) for p in self.preview.sources)
        unread = sum(1 for p in self.preview.sources if p.raw is None)
        checks = sum(len(p.checks) for p in parts)
        self.summary.setText(
            f"共识别 {len(parts)} 张表；{unread} 个工作表/表格未识别或跳过；{skipped_cells} 个单元格未导入"
            + (
                f"；{checks} 处读入的内容需要核对（导入后留在问题列表中，核对后右键选“已核对”）"
                if checks
                else ""
            )
            + "（选中一行查看原因）。确认后才会写入报告。"
        )
        self.ok.setEnabled(bool(parts))

    def _show_details(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        lines: list[str] = []
        for row in sorted(rows):
            part = self.preview.sources[row]
            if part.reason:
                lines.append(part.reason)
            lines.extend(f"请核对：{c}" for c in part.checks)
            lines.extend(f"说明：{n}" for n in part.notes)
            lines.extend(f"{s.cell}：{s.reason}" for s in part.skipped)
        self.details.setPlainText("\n".join(lines) or "本表所有内容都会导入。")

    def _mode_changed(self) -> None:
        new = self.new.isChecked()
        self.template.setEnabled(new)
        self.year.setEnabled(new)
        self.overwrite.setEnabled(not new)

    def _reread(self) -> None:
        preview = run_preview(self, self.paths, self.report, self.hidden.isChecked())
        if preview is not None:
            self.preview = preview
            self._fill()

    # ---- results ----------------------------------------------------------------------
    def into_current(self) -> bool:
        return self.into.isChecked() and self.report is not None

    def template_id(self) -> str:
        return str(self.template.currentData())


_TABLE_NAMES = {"funds": "资金", "goals": "目标", "indicators": "指标", "score_sheet": "评分"}


def _left_out(part: Part) -> str:
    """The last column: what to check, what was left out (or why the table was skipped)."""
    words = [f"请核对 {len(part.checks)} 处"] if part.checks else []
    if part.skipped:
        words.append(f"{len(part.skipped)} 个未导入")
    return "，".join(words) or part.reason


def ask_paths(parent: QWidget, folder: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, "导入文件", folder, FILE_FILTER)
    return list(paths)


def import_files(window: Any, paths: list[str] | None = None) -> bool:
    """The whole 导入… flow for a main window; True when something was imported."""
    ctx = window.ctx
    doc: Document | None = ctx.doc
    if paths is None:
        folder = str(Path(doc.path).parent) if doc is not None else str(Path.home())
        paths = ask_paths(window, folder)
    if not paths:
        return False
    report = doc.report if doc is not None else None
    preview = run_preview(window, paths, report, False)
    if preview is None:
        return False
    if not preview.recognised:
        QMessageBox.warning(window, "无法导入", preview.nothing_reason())
        return False
    dialog = ImportDialog(preview, report, paths, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    preview = dialog.preview
    if dialog.into_current() and doc is not None:
        command = ImportCommand(doc, preview, dialog.overwrite.isChecked())
        push(ctx.undo_stack, command)
        if command.record is not None and not command.record.changed:
            QMessageBox.information(window, "导入", "没有需要修改的内容（这些文件已经导入过）")
        return True
    for part in preview.sources:  # a new report: what was to fill an open form becomes a new one
        if part.action == FILL:
            part.action = NEW
    try:
        new_report = build_report(preview, dialog.template_id(), dialog.year.value())
    except ValueError as exc:
        QMessageBox.warning(window, "无法导入", str(exc))
        return False
    file_ops = getattr(window, "files", None)
    suggestion = str(Path(paths[0]).with_suffix(".zpdb"))
    if file_ops is None:
        return False
    target = file_ops._ask_new_file("导入后保存为", suggestion)
    return bool(target) and bool(file_ops._create_and_open(target, new_report, "无法导入"))
