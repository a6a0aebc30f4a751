"""The 基础数据表 editor (湖南): staff, 三公经费 and other expenses, buildings, thrift measures."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.model import BASIC_DATA
from gui.form_commands import SetBasicDataCommand, run


def _title(text: str, year: int) -> str:
    return text.replace("{year}", str(year)).replace("{prev}", str(year - 1))


class BasicDataEditor(QScrollArea):
    """Shows template.basic_data's layout filled from report.basic_data; each edit is one undo step."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._loading = False
        self.setWidgetResizable(True)
        self.body = QWidget(self)
        self.layout_ = QVBoxLayout(self.body)
        self.setWidget(self.body)
        self.fields: dict[tuple[str, str], QLineEdit] = {}
        self.table: QTableWidget | None = None
        self.thrift: QPlainTextEdit | None = None
        self.built_for: str | None = None
        ctx.changed.connect(self._on_change)

    def refresh(self) -> None:
        """Rebuild for the open report's template if needed, then show its values."""
        if self.ctx.doc is None:
            return
        key = f"{self.ctx.doc.report.template}/{self.ctx.doc.report.year}"
        if key != self.built_for:
            self._build(self.ctx.doc.template.basic_data, self.ctx.doc.report.year)
            self.built_for = key
        self._load(self.ctx.doc.report.basic_data)

    def _build(self, layout: dict[str, Any], year: int) -> None:
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.fields.clear()
        title = QLabel(_title(layout.get("title", "基础数据表"), year), self.body)
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.layout_.addWidget(title)
        self._field_group("staff", "人员情况", layout.get("staff", []), year)
        self._expense_table(layout, year)
        self._field_group("buildings", "楼堂馆所", layout.get("buildings", []), year)
        self.layout_.addWidget(QLabel("厉行节约保障措施", self.body))
        self.thrift = QPlainTextEdit(self.body)
        self.thrift.setMaximumHeight(120)
        self.thrift.textChanged.connect(self._commit)
        self.layout_.addWidget(self.thrift)
        note = QLabel(layout.get("note", ""), self.body)
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        self.layout_.addWidget(note)
        self.layout_.addStretch(1)

    def _field_group(self, group: str, caption: str, columns: list[dict[str, str]], year: int) -> None:
        label = QLabel(caption, self.body)
        label.setStyleSheet("font-weight: bold;")
        self.layout_.addWidget(label)
        holder = QWidget(self.body)
        grid = QGridLayout(holder)
        for i, col in enumerate(columns):
            edit = QLineEdit(holder)
            edit.editingFinished.connect(self._commit)
            grid.addWidget(QLabel(_title(col["title"], year), holder), 0, i)
            grid.addWidget(edit, 1, i)
            self.fields[(group, col["key"])] = edit
        self.layout_.addWidget(holder)

    def _expense_table(self, layout: dict[str, Any], year: int) -> None:
        columns = layout.get("expense_columns", [])
        self.expense_keys = [c["key"] for c in columns]
        self.default_rows = list(layout.get("expense_rows", []))
        table = QTableWidget(0, 1 + len(columns), self.body)
        table.setObjectName("basicDataGrid")
        table.setHorizontalHeaderLabels(["项目", *(_title(c["title"], year) for c in columns)])
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        table.itemChanged.connect(lambda item: self._commit())
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        self.layout_.addWidget(QLabel("经费支出情况（万元）", self.body))
        self.layout_.addWidget(table)
        self.table = table

    def _load(self, data: dict[str, Any]) -> None:
        self._loading = True
        try:
            for (group, key), edit in self.fields.items():
                edit.setText(str((data.get(group) or {}).get(key, "")))
            rows = data.get("expenses") or [{"label": label} for label in self.default_rows]
            assert self.table is not None and self.thrift is not None
            self.table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                for c, key in enumerate(["label", *self.expense_keys]):
                    item = QTableWidgetItem(str(row.get(key, "")))
                    if c:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(r, c, item)
            height = self.table.horizontalHeader().height() + 4
            self.table.setFixedHeight(height + sum(self.table.rowHeight(r) for r in range(len(rows))))
            if self.thrift.toPlainText() != data.get("thrift_measures", ""):
                self.thrift.setPlainText(str(data.get("thrift_measures", "")))
        finally:
            self._loading = False

    def collect(self) -> dict[str, Any]:
        """Return the data as shown in the widgets."""
        data = copy.deepcopy(self.ctx.doc.report.basic_data)
        for (group, key), edit in self.fields.items():
            data.setdefault(group, {})[key] = edit.text().strip()
        assert self.table is not None and self.thrift is not None
        rows = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(self.table.columnCount())]
            texts = [cell.text().strip() if cell else "" for cell in cells]
            rows.append(dict(zip(["label", *self.expense_keys], texts, strict=True)))
        data["expenses"] = rows
        data["thrift_measures"] = self.thrift.toPlainText()
        return dict(data)

    def _commit(self) -> None:
        if self._loading or self.ctx.doc is None:
            return
        data = self.collect()
        if data == self.ctx.doc.report.basic_data:
            return
        error = run(self.ctx.undo_stack, SetBasicDataCommand(self.ctx.doc, data))
        if error:
            QMessageBox.warning(self, "无法修改", error)
            self._load(self.ctx.doc.report.basic_data)

    def _on_change(self, change: Any) -> None:
        if change.table == BASIC_DATA and self.built_for and self.collect() != self.ctx.doc.report.basic_data:
            self._load(self.ctx.doc.report.basic_data)
