"""The window's file commands: 新建, 打开, 最近打开, 导入, 另存为, 导出; failures are Chinese messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from core.report import new_report, next_year_report
from core.storage.db import StorageError
from gui import files, settings
from gui.dialogs.about import AboutDialog
from gui.dialogs.export import (
    EXCEL,
    FILTERS,
    SUFFIXES,
    WORD,
    ExportDialog,
    confirm_errors,
    error_count,
    open_folder,
)
from gui.dialogs.new_report import NewReportDialog, default_folder

ZPDB_FILTER = "自评报告 (*.zpdb)"


class FileOps:
    """File commands of one MainWindow."""

    def __init__(self, window: Any) -> None:
        self.window = window

    def connect(self, actions: Any) -> None:
        actions.new.triggered.connect(self.new_report)
        actions.open.triggered.connect(lambda: self.open_file())
        actions.import_json.triggered.connect(lambda: self.import_json())
        actions.save_as.triggered.connect(lambda: self.save_as())
        actions.next_year.triggered.connect(lambda: self.next_year())
        actions.export_word.triggered.connect(lambda: self.export(WORD))
        actions.export_excel.triggered.connect(lambda: self.export(EXCEL))
        actions.export_form_word.triggered.connect(lambda: self.export(WORD, current_only=True))
        actions.export_form_excel.triggered.connect(lambda: self.export(EXCEL, current_only=True))
        actions.about.triggered.connect(lambda: AboutDialog(self.window).exec())
        actions.recent_menu.aboutToShow.connect(self._fill_recent)

    def _warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self.window, title, text)

    def _folder(self) -> str:
        doc = self.window.ctx.doc
        return str(doc.path.parent if doc is not None else settings.get("last_folder", str(default_folder())))

    # ---- opening ---------------------------------------------------------------
    def open_path(self, path: Path | str) -> bool:
        """Open a .zpdb in this window; on failure say why and keep what is open."""
        current = self.window.ctx.doc
        if current is not None and Path(current.path).resolve() == Path(path).resolve():
            return True
        try:
            doc = files.open_report(path)
        except files.FileProblem as exc:
            self._warn("无法打开报告", str(exc))
            return False
        self._opened(doc)
        return True

    def _opened(self, doc: Any) -> None:
        self.window.set_document(doc)
        settings.add_recent(doc.path)
        settings.put("last_folder", str(Path(doc.path).parent))

    def open_file(self) -> None:
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

    def open_sample(self) -> bool:
        """Open the user's copy of the sample report (making it first when missing)."""
        try:
            path = files.ensure_sample()
        except files.FileProblem as exc:
            self._warn("无法打开示例报告", str(exc))
            return False
        return self.open_path(path)

    # ---- creating --------------------------------------------------------------
    def new_report(self) -> None:
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
        try:
            doc.save_as(target)
        except (StorageError, OSError) as exc:
            self._warn("无法另存为", f"无法写入 {target.name}：{exc}")
            return False
        return self.open_path(target)

    def next_year(self, target: Path | str | None = None) -> bool:
        """Start next year's report from this one in a new file, and continue there."""
        doc = self.window.ctx.doc
        if doc is None:
            return False
        self.window.narrative_editor.commit()
        report = next_year_report(doc.report)
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
        ctx = self.window.ctx
        if ctx.doc is None:
            return False
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
        doc = self.window.ctx.doc
        stem = doc.form(forms[0]).name if forms else doc.path.stem
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
        answer = QMessageBox.question(self.window, "导出完成", f"已导出到：\n{target}\n\n打开所在文件夹？")
        if answer == QMessageBox.StandardButton.Yes:
            open_folder(target)


def next_year_name(stem: str, year: int) -> str:
    """Suggest next year's file name: the year in the name moves on ("2023组织部" → "2024组织部")."""
    name = stem.replace(str(year), str(year + 1)) if str(year) in stem else f"{year + 1}{stem}"
    return name + ".zpdb"
