"""文件 → 从备份恢复…: the backups of one report (time, size, projects, 全年预算), a read-only look at
one, and restoring it (the old report is kept aside under a new name)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.storage import backups
from core.storage.db import StorageError

HEADERS = ("备份时间", "大小", "项目数", "全年预算")


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def summary_html(info: backups.BackupInfo) -> str:
    """What a backup holds, read without writing to it."""
    try:
        report = backups.load_backup(info.path)
    except StorageError as exc:
        return f"<p>{exc}</p>"
    rows = "".join(
        f"<li>{form.name}（全年预算 {(form.funds[0].annual if form.funds else '') or '空'}）</li>"
        for form in report.forms
    )
    return (
        f"<p><b>{report.department}</b> {report.year} 年度，备份于 {info.when:%Y-%m-%d %H:%M:%S}</p>"
        f"<p>共 {len(report.forms)} 张表（其中项目 {len(report.projects)} 个）：</p><ul>{rows}</ul>"
    )


class RestoreDialog(QDialog):
    """Lists the backups of ``report_path``; ``chosen`` is the one to restore after accept()."""

    def __init__(self, report_path: Path, parent: QWidget | None = None, reason: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("从备份恢复")
        self.report_path = Path(report_path)
        self.items = backups.list_backups(self.report_path)
        self.chosen: backups.BackupInfo | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            (reason + "\n\n" if reason else "")
            + f"“{self.report_path.name}”的备份（每次打开时自动保存，保留最近 10 份）。"
            "恢复时，现在的报告会改名保留在同一文件夹中，不会被删除。",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(self.items), len(HEADERS), self)
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # a list of rows: Tab goes on (Qt's went round its cells)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row, info in enumerate(self.items):
            cells = (
                f"{info.when:%Y-%m-%d %H:%M:%S}",
                _size(info.size),
                str(info.projects) if info.readable else "已损坏",
                info.total or "—",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        layout.addWidget(self.table)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("backupPreview")
        layout.addWidget(self.preview)
        if not self.items:
            self.preview.setHtml("<p>还没有这份报告的备份。</p>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.restore_button = QPushButton("恢复所选备份", self)
        self.restore_button.setObjectName("restoreButton")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._selected)
        self.restore_button.setEnabled(False)
        if self.items:
            self.table.selectRow(0)
        self.resize(640, 480)

    def current(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _selected(self) -> None:
        info = self.current()
        self.restore_button.setEnabled(info is not None and info.readable)
        if info is not None:
            self.preview.setHtml(summary_html(info))

    def _accept(self) -> None:
        info = self.current()
        if info is not None and info.readable:
            self.chosen = info
            self.accept()
