"""The review list as a Qt table model over ``core.review.listing`` rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core.review.listing import COLUMNS, NUMERIC

Index = QModelIndex | QPersistentModelIndex
RED, YELLOW = QColor("#fde2e1"), QColor("#fff6cc")


class ReviewListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def refresh(self) -> None:
        """The rows' values changed in place (counts filled in): repaint what shows them."""
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            value = row.get(key, "")
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and (key in NUMERIC or key == "execution_rate"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.get("warning") == "red":
                return QBrush(RED)
            if row.get("warning") == "yellow":
                return QBrush(YELLOW)
        if role == Qt.ItemDataRole.ToolTipRole and key == "warning_text":
            return row.get("warning_why") or None
        if role == Qt.ItemDataRole.ToolTipRole and key == "status":
            return row.get("status_why") or None
        if role == Qt.ItemDataRole.ToolTipRole and key == "file":
            return str(row.get("file") or "") or None  # the whole path, whatever the column's width
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return None
