"""The window's file commands: 新建, 打开, 最近打开, 导入, 另存为, 导出; failures are Chinese messages."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QDialog

from core.report import new_report, next_year_report
from core.storage import db as storage
from core.storage.db import DamagedFileError, ReadOnlyError, StorageError
from gui import files, settings
from gui.files import IMPORT_SUFFIXES

BACKUP_RETRY_MS = 200  # the backup put off at open waits for the check this long a turn

# The dialogs (and core.storage.backups) are imported where they are opened: the window's first
# paint needs none of them (issue 15).
WORD, EXCEL = "word", "excel"  # gui.dialogs.export's kinds

ZPDB_FILTER = "自评报告 (*.zpdb)"


class FileOps:
    """File commands of one MainWindow."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self._damaged: Any = None  # the report found damaged, until it is closed (one message)

    def connect(self, actions: Any) -> None:
        actions.new.triggered.connect(self.new_report)
        actions.open.triggered.connect(lambda: self.open_file())
        actions.import_json.triggered.connect(lambda: self.import_json())
        actions.import_files.triggered.connect(self.import_files)
        self.window.setAcceptDrops(True)  # files dropped onto the window are imported too
        self._drops = DropFilter(self.window)
        self.window.installEventFilter(self._drops)
        actions.save_as.triggered.connect(lambda: self.save_as())
        actions.next_year.triggered.connect(lambda: self.next_year())
        actions.export_word.triggered.connect(lambda: self.export(WORD))
        actions.export_excel.triggered.connect(lambda: self.export(EXCEL))
        actions.export_form_word.triggered.connect(lambda: self.export(WORD, current_only=True))
        actions.export_form_excel.triggered.connect(lambda: self.export(EXCEL, current_only=True))
        actions.restore.triggered.connect(lambda: self.restore_from_backup())
        actions.about.triggered.connect(self.about)
        self.window.ctx.undo_stack.on_file_gone = self.offer_save_as
        actions.sample.triggered.connect(lambda: self.open_sample())
        actions.recent_menu.aboutToShow.connect(self._fill_recent)

    def about(self) -> None:
        from gui.dialogs.about import AboutDialog

        AboutDialog(self.window).exec()

    def import_files(self) -> None:
        from gui.dialogs import import_dialog

        import_dialog.import_files(self.window)

    def _warn(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self.window, title, text)

    def _folder(self) -> str:
        from gui.dialogs.new_report import default_folder

        doc = self.window.ctx.doc
        return str(doc.path.parent if doc is not None else settings.get("last_folder", str(default_folder())))

    # ---- opening ---------------------------------------------------------------
    def open_path(self, path: Path | str, check_later: bool = False) -> bool:
        """Open a .zpdb in this window; on failure say why and keep what is open.

        ``check_later``: check it once it has painted (the window's start, see set_document)."""
        current = self.window.ctx.doc
        if current is not None and Path(current.path).resolve() == Path(path).resolve():
            return True
        try:
            doc = files.open_report(path, backup_later=True)
        except files.FileProblem as exc:
            if isinstance(exc.__cause__, DamagedFileError) and storage.backups_of(Path(path)):
                return self._offer_restore(Path(path), str(exc))
            if isinstance(exc.__cause__, ReadOnlyError):
                return self._open_read_only(Path(path))
            self._warn("无法打开报告", str(exc))
            return False
        self._opened(doc, check_later)
        return True

    def damaged_rows(self, db: object) -> bool:
        """A form's rows of the report shown, read after it opened, are damaged (``RowsDamaged``):
        close it on the next turn and say so, offering its backups, as opening a damaged file does.
        False when ``db`` is not this window's report."""
        doc = self.window.ctx.doc
        if doc is None or doc.db is not db:
            return False
        if self._damaged is not doc:
            self._damaged = doc
            QTimer.singleShot(0, lambda: self._close_damaged(doc))
        return True

    def _close_damaged(self, doc: Any) -> None:
        if doc is not self.window.ctx.doc:
            return
        path = Path(doc.path)
        message = storage.damaged_message(path)
        self.window.set_document(None)  # closing lets the file go although a form does not read
        self._damaged = None
        if storage.backups_of(path):
            self._offer_restore(path, message)
        else:
            self._warn("报告文件已损坏", message)

    def _open_read_only(self, path: Path) -> bool:
        """A read-only file (a CD, a write-protected stick, a file received): open it to look at,
        check and export, never writing to it; edits are refused with a message."""
        from PySide6.QtWidgets import QMessageBox

        try:
            doc = files.open_report(path, read_only=True)
        except files.FileProblem as exc:
            self._warn("无法打开报告", str(exc))
            return False
        self._opened(doc)
        QMessageBox.information(
            self.window,
            "以只读方式打开",
            f"“{path.name}”是只读的，已以只读方式打开：可以查看、检查和导出，"
            "要修改请用“文件 → 另存为”保存到可写的位置。",
        )
        return True

    def _opened(self, doc: Any, check_later: bool = False) -> None:
        self.window.set_document(doc, check_later=check_later)
        self.window.after_paint(lambda: self._back_up(doc))  # once it shows (20–40 ms with fsync)
        if files.is_sample(doc.path):
            return  # the sample is never "her last report" and stays out of 最近打开
        settings.add_recent(doc.path)
        settings.put("last_folder", str(Path(doc.path).parent))

    def _back_up(self, doc: Any) -> None:
        """Take the backup of the report as opened (unless an edit or closing took it already); say
        so when it could not be made."""
        if doc is not self.window.ctx.doc:
            return  # closed since: closing took the backup
        if self.window.ctx.checking:
            # The backup reads every row first (a damaged file is not copied over the good backups):
            # it waits for the check, which reads them a few forms a turn, rather than stall the window
            # (the rest of 1,000 projects read at once: 250 ms CPU).
            QTimer.singleShot(BACKUP_RETRY_MS, lambda: self._back_up(doc))
            return
        doc.back_up()
        if doc.warning:
            self.window.statusBar().showMessage(doc.warning, 20000)

    # ---- backups and a report that is gone -------------------------------------------
    def _offer_restore(self, path: Path, message: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self.window,
            "无法打开报告",
            f"{message}\n\n现在从备份恢复吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self.restore_from_backup(path, reason=message)

    def choose_backup(self, path: Path, reason: str = "") -> Path | None:
        """Show the backups of ``path``; return the one chosen (None when cancelled)."""
        from gui.dialogs.restore import RestoreDialog

        dialog = RestoreDialog(path, self.window, reason)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            return None
        return dialog.chosen.path

    def restore_from_backup(self, path: Path | str | None = None, reason: str = "") -> bool:
        """文件 → 从备份恢复…: restore a backup of the report (the current one unless ``path``)."""
        from core.storage import backups

        doc = self.window.ctx.doc
        if path is None:
            if doc is None:
                self._warn("从备份恢复", "请先打开要恢复的报告，再选择“文件 → 从备份恢复…”。")
                return False
            path = doc.path
        path = Path(path)
        chosen = self.choose_backup(path, reason)
        if chosen is None:
            return False
        if doc is not None and Path(doc.path).resolve() == path.resolve():
            self.window.commit_narrative()
            self.window.set_document(None)
        try:
            aside = backups.restore_backup(chosen, path)
        except StorageError as exc:
            self._warn("无法恢复备份", str(exc))
            return False
        if not self.open_path(path):
            return False
        kept = f"，原报告已保留为“{aside.name}”" if aside is not None else ""
        self.window.statusBar().showMessage(f"已从备份恢复“{path.name}”{kept}", 20000)
        return True

    def offer_save_as(self, message: str) -> None:
        """An edit was refused because the report file is gone: offer 另存为 (once at a time)."""
        from PySide6.QtWidgets import QMessageBox

        if getattr(self, "_asking_save_as", False):
            return
        self._asking_save_as = True
        try:
            answer = QMessageBox.question(
                self.window,
                "报告文件已不在原处",
                f"{message}\n\n现在另存为新文件吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.save_as()
        finally:
            self._asking_save_as = False

    def open_last(self, check_later: bool = False) -> bool:
        """Open the report used last; the sample the very first time; otherwise nothing."""
        for path in settings.recent_files():
            if self.open_path(path, check_later):
                return True
        if settings.get("sample_shown"):
            return False
        settings.put("sample_shown", True)
        return self.open_sample(check_later)

    def open_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self.window, "打开报告", self._folder(), ZPDB_FILTER)
        if path:
            self.open_path(path)

    def _fill_recent(self) -> None:
        menu = self.window.actions_.recent_menu
        menu.clear()
        recent = settings.recent_files()
        for path in recent:
            menu.addAction(path.name, lambda p=path: self.open_path(p)).setToolTip(str(path))
        if not recent:
            menu.addAction("（无）").setEnabled(False)

    def open_sample(self, check_later: bool = False) -> bool:
        """Open the user's copy of the sample report (making it first when missing)."""
        try:
            path = files.ensure_sample()
        except files.FileProblem as exc:
            self._warn("无法打开示例报告", str(exc))
            return False
        return self.open_path(path, check_later)

    # ---- creating --------------------------------------------------------------
    def new_report(self) -> None:
        from gui.dialogs.new_report import NewReportDialog

        dialog = NewReportDialog(self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.create(dialog.choice())

    def create(self, choice: Any) -> bool:
        """Create and open the report a NewReportDialog described."""
        report = new_report(choice.template_id, choice.year, choice.department, choice.project_names)
        try:
            doc = files.create_report(choice.path, report)
        except files.FileProblem as exc:
            self._warn("无法新建报告", str(exc))
            return False
        self._opened(doc)
        return True

    def import_json(self, source: Path | str | None = None, target: Path | str | None = None) -> bool:
        """Import an interchange .json into a new .zpdb (asking for both files when not given)."""
        from PySide6.QtWidgets import QFileDialog

        if source is None:
            source, _ = QFileDialog.getOpenFileName(self.window, "导入报告", self._folder(), "*.json")
            if not source:
                return False
        try:
            report = files.read_interchange(source)
        except files.FileProblem as exc:
            self._warn("无法导入", str(exc))
            return False
        target = target or self._ask_new_file("导入后保存为", str(Path(source).with_suffix(".zpdb")))
        return bool(target) and self._create_and_open(target, report, "无法导入")

    def _ask_new_file(self, title: str, suggestion: str) -> str:
        """Ask where to save a new .zpdb ("" when the user cancels)."""
        from PySide6.QtWidgets import QFileDialog

        target, _ = QFileDialog.getSaveFileName(self.window, title, suggestion, ZPDB_FILTER)
        return target

    def _create_and_open(self, target: Path | str, report: Any, failure: str) -> bool:
        """Write ``report`` to a new file and continue in it; say why in a dialog if that fails."""
        try:
            doc = files.create_report(target, report)
        except files.FileProblem as exc:
            self._warn(failure, str(exc))
            return False
        self._opened(doc)
        return True

    def save_as(self, target: Path | str | None = None) -> bool:
        """Write a copy of the report and continue in the copy."""
        from PySide6.QtWidgets import QFileDialog

        doc = self.window.ctx.doc
        if doc is None:
            return False
        if target is None:
            suggestion = str(doc.path.with_name(doc.path.stem + "（副本）.zpdb"))
            target, _ = QFileDialog.getSaveFileName(self.window, "另存为", suggestion, ZPDB_FILTER)
            if not target:
                return False
        target = files.with_suffix(target)
        if target.resolve() == doc.path.resolve():
            return True
        self.window.commit_narrative()  # and the last edit's COMMIT done (or taken back) first
        try:
            doc.save_as(target)
        except StorageError as exc:
            self._warn("无法另存为", str(exc))
            return False
        except (OSError, sqlite3.Error) as exc:
            reason = storage.os_reason(exc) if isinstance(exc, OSError) else "写入出错"
            self._warn("无法另存为", f"无法写入“{target.name}”（{reason}），请换一个文件夹或检查磁盘空间。")
            return False
        return self.open_path(target)

    def next_year(self, target: Path | str | None = None) -> bool:
        """Start next year's report from this one in a new file, and continue there."""
        doc = self.window.ctx.doc
        if doc is None:
            return False
        self.window.commit_narrative()
        report = next_year_report(doc.report, template=doc.template)
        suggestion = str(doc.path.parent / next_year_name(doc.path.stem, doc.report.year))
        target = target or self._ask_new_file("下一年度报告保存为", suggestion)
        if not target or not self._create_and_open(target, report, "无法开始下一年度"):
            return False
        self.window.statusBar().showMessage(
            f"已开始 {report.year} 年度报告：保留了项目、指标和目标值，完成值与得分已清空", 8000
        )
        return True

    # ---- exporting -------------------------------------------------------------
    def export(
        self, kind: str, current_only: bool = False, target: Path | str | None = None, ask: bool = True
    ) -> bool:
        """Export the report (or the current form) to Word or Excel with a progress dialog."""
        from gui.dialogs.export import ExportDialog, confirm_errors, error_count

        ctx = self.window.ctx
        if ctx.doc is None:
            return False
        self.window.commit_narrative()  # and the last edit's COMMIT done (or taken back) first
        forms = None
        if current_only:
            uid = self.window.current_form()
            if uid is None:
                self._warn("导出本表", "请先在左侧选择一张表。")
                return False
            forms = [uid]
        if ask and not confirm_errors(self.window, error_count(ctx, forms)):
            return False
        if target is None:
            target = self._ask_target(kind, forms)
            if target is None:
                return False
        dialog = ExportDialog(ctx, kind, Path(target), forms, self.window)
        dialog.exec()
        if not dialog.ok:
            self._warn("导出未完成", dialog.message)
            return False
        if ask:
            self._offer_folder(Path(target))
        return True

    def _ask_target(self, kind: str, forms: list[int] | None) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        from gui.dialogs.export import FILTERS, SUFFIXES

        doc = self.window.ctx.doc
        stem = safe_file_name(doc.form(forms[0]).name) if forms else doc.path.stem
        suggestion = str(doc.path.parent / f"{stem}{SUFFIXES[kind]}")
        path, _ = QFileDialog.getSaveFileName(self.window, "导出到", suggestion, FILTERS[kind])
        if not path:
            return None
        path_obj = Path(path)
        return (
            path_obj
            if path_obj.suffix.lower() == SUFFIXES[kind]
            else path_obj.with_name(path_obj.name + SUFFIXES[kind])
        )

    def _offer_folder(self, target: Path) -> None:
        from PySide6.QtWidgets import QMessageBox

        from gui.dialogs.export import open_folder

        answer = QMessageBox.question(self.window, "导出完成", f"已导出到：\n{target}\n\n打开所在文件夹？")
        if answer == QMessageBox.StandardButton.Yes:
            open_folder(target)


WINDOWS_UNSAFE = str.maketrans(
    {"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞", "|": "｜"}
)


class DropFilter(QObject):
    """Files dropped onto the window are imported (the importers are loaded on the first drop)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window

    @staticmethod
    def _paths(event: QEvent) -> list[str]:
        mime = event.mimeData()  # type: ignore[attr-defined]
        if not mime.hasUrls():
            return []
        paths = [u.toLocalFile() for u in mime.urls()]
        return [p for p in paths if Path(p).suffix.lower() in IMPORT_SUFFIXES]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop) and self._paths(event):
            event.acceptProposedAction()  # type: ignore[attr-defined]
            if kind == QEvent.Type.Drop:
                from gui.dialogs import import_dialog

                import_dialog.import_files(self.window, self._paths(event))
            return True
        return False


def safe_file_name(name: str) -> str:
    """Return ``name`` as a file name Windows accepts: its characters kept, forbidden ones full-width."""
    text = "".join(ch for ch in name.translate(WINDOWS_UNSAFE) if ch >= " ").strip().rstrip(".")
    return text[:120] or "导出"


def next_year_name(stem: str, year: int) -> str:
    """Suggest next year's file name: the year in the name moves on ("2023组织部" → "2024组织部")."""
    name = stem.replace(str(year), str(year + 1)) if str(year) in stem else f"{year + 1}{stem}"
    return name + ".zpdb"
