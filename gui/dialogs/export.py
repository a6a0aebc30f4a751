"""Export with a progress dialog: the writer runs on a worker thread and can be cancelled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QProgressBar, QPushButton, QVBoxLayout, QWidget

from gui.context import AppContext

WORD, EXCEL = "word", "excel"
SUFFIXES = {WORD: ".docx", EXCEL: ".xlsx"}
FILTERS = {WORD: "Word 文档 (*.docx)", EXCEL: "Excel 工作簿 (*.xlsx)"}


def writer_for(kind: str) -> Callable[..., None]:
    """Return core.export's writer for ``kind`` (imported when needed)."""
    if kind == WORD:
        from core.export.docx import write_docx

        return write_docx
    from core.export.xlsx import write_xlsx

    return write_xlsx


def locked_message(path: Path) -> str:
    return f"无法写入“{path.name}”：这个文件可能正在 Excel 或 WPS 中打开。\n请先关闭它，再重新导出。"


class ExportWorker(QObject):
    """Runs one export; lives on a worker thread."""

    # Emitted as the writer goes: (done, total, label).
    progressed = Signal(int, int, str)
    # Emitted once at the end: (ok, message); message is empty on success.
    finished = Signal(bool, str)

    def __init__(self, write: Callable[..., None], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.write, self.args, self.kwargs = write, args, kwargs
        self.cancelled = False

    def progress(self, done: int, total: int, label: str) -> bool:
        self.progressed.emit(done, total, label)
        return not self.cancelled

    @Slot()
    def run(self) -> None:
        from core.errorlog import log_exception
        from core.export import ExportCancelled
        from core.storage.db import os_reason

        path = Path(self.args[1])
        try:
            self.write(*self.args, progress=self.progress, **self.kwargs)
        except ExportCancelled:
            self.finished.emit(False, "导出已取消，未写入文件。")
        except PermissionError:
            self.finished.emit(False, locked_message(path))
        except OSError as exc:
            self.finished.emit(
                False, f"无法写入“{path.name}”（{os_reason(exc)}），请换一个文件夹或检查磁盘空间后重试。"
            )
        except Exception as exc:  # noqa: BLE001 - the user gets a message, never a traceback
            log_exception(exc, f"exporting {path}")
            self.finished.emit(False, f"导出“{path.name}”失败，未写入文件，详情已记入错误日志。")
        else:
            self.finished.emit(True, "")


class ExportDialog(QDialog):
    """Shows the progress of one export and offers 取消."""

    def __init__(
        self,
        ctx: AppContext,
        kind: str,
        path: Path,
        forms: list[int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.path, self.forms = ctx, kind, Path(path), forms
        self.setWindowTitle("导出 Word" if kind == WORD else "导出 Excel")
        self.setMinimumWidth(420)
        self.label = QLabel("正在准备…", self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton("取消", self)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        for widget in (QLabel(str(self.path), self), self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.ok: bool | None = None
        self.message = ""
        self.thread_: QThread | None = None
        self.worker: ExportWorker | None = None

    def start(self) -> None:
        """Start the export on a worker thread (charts are drawn here first: they need the GUI thread)."""
        kwargs: dict[str, Any] = {"forms": self.forms}
        kwargs.update(template=self.ctx.open_doc.template)  # the writers' keyword (not a column's key)
        if self.kind == WORD:
            kwargs["charts"] = self._charts()
        self._run(ExportWorker(writer_for(self.kind), (self.ctx.open_doc.report, self.path), kwargs))

    def _run(self, worker: ExportWorker) -> None:
        """Run ``worker`` on its own thread, its progress and end reported to this dialog."""
        self.ctx.open_doc.report.load_rows()  # rows still unread are read here, not from the worker
        self.worker = worker
        self.thread_ = QThread(self)
        worker.moveToThread(self.thread_)
        self.thread_.started.connect(worker.run)
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        self.thread_.start()

    def _charts(self) -> dict[str, bytes] | None:
        try:
            from gui.charts import report_charts
        except ImportError:
            return None
        try:
            doc = self.ctx.open_doc
            return report_charts(doc.report, doc.template)
        except Exception:  # noqa: BLE001 - a report without charts is still a report
            return None

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.label.setText(label)

    def _on_finished(self, ok: bool, message: str) -> None:
        self.ok, self.message = ok, message
        if self.thread_ is not None:
            self.thread_.quit()
            self.thread_.wait()
        self.accept() if ok else self.reject()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancelled = True
            self.label.setText("正在取消…")
            self.cancel_button.setEnabled(False)

    def reject(self) -> None:
        if self.ok is None:
            self.cancel()
            return
        super().reject()

    def exec(self) -> int:
        self.start()
        return super().exec()


def open_folder(path: Path) -> None:
    """Show the folder that holds ``path`` in the file manager."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).resolve().parent)))


def error_count(ctx: AppContext, forms: list[int] | None) -> int:
    """Return how many errors remain in what is about to be exported."""
    from gui.navigation import all_problems

    return sum(
        1 for p in all_problems(ctx) if p.severity == "error" and (forms is None or p.form_uid in forms)
    )


def confirm_errors(parent: QWidget, count: int) -> bool:
    """Ask before exporting a report that still has errors."""
    if count == 0:
        return True
    answer = QMessageBox.question(
        parent, "仍有错误", f"报告中还有 {count} 个错误（见下方问题列表）。\n仍要导出吗？"
    )
    return answer == QMessageBox.StandardButton.Yes


class WriterDialog(ExportDialog):
    """The export progress dialog running any writer ``write(report, path, progress=…)`` (the 导出
    menu's 一体化, 汇总表, 汇总分析报告 and 公开版 files)."""

    def __init__(self, ctx: AppContext, write: Any, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(ctx, EXCEL, path, None, parent)
        self.write = write

    def start(self) -> None:
        doc = self.ctx.open_doc
        self._run(ExportWorker(self.write, (doc.report, self.path), dict(template=doc.template)))
