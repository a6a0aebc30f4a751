"""A plain QTableView behind GridView's interface, used only until gui/grids is available."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QUndoCommand
from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget

from core.model import FUNDS, GOALS, INDICATORS

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()
EDITABLE_FUNDS = {"initial", "annual", "executed"}


def table_columns(ctx: Any, table: str, uid: int | None) -> list[tuple[str, str]]:
    """Return (code, title) of a table's columns for the open report's template."""
    if ctx.doc is None or uid is None:
        return []
    spec = ctx.doc.template.form(ctx.doc.form(uid).kind)
    if table == FUNDS:
        return [("label", "项目"), *((c.key, c.title) for c in spec.fund_columns)]
    if table == GOALS:
        return [("goal", spec.goal_titles[0]), ("achieved", spec.goal_titles[1])]
    if table == INDICATORS:
        return [(c.key, c.title) for c in spec.indicator_columns]
    return [("path", "指标"), ("weight", "分值"), ("explanation", "指标解释"), ("rule", "评分标准"),
            ("self_score", "自评得分"), ("review_score", "复核得分")]


class _SetCell(QUndoCommand):
    def __init__(self, doc: Any, cell: tuple[int, str, int, str], value: str) -> None:
        super().__init__("编辑单元格")
        self.doc, self.cell, self.value = doc, cell, value
        self.old = doc.get_cell(*cell)

    def redo(self) -> None:
        self.doc.set_cell(*self.cell, self.value)

    def undo(self) -> None:
        self.doc.set_cell(*self.cell, self.old)


class _Model(QAbstractTableModel):
    def __init__(self, ctx: Any, table: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.table, self.uid = ctx, table, None
        self.columns: list[tuple[str, str]] = []

    def set_form(self, uid: int | None) -> None:
        self.beginResetModel()
        self.uid = uid
        self.columns = table_columns(self.ctx, self.table, uid)
        self.endResetModel()

    def rows(self) -> list[Any]:
        if self.uid is None or self.ctx.doc is None:
            return []
        return self.ctx.doc.form(self.uid).rows(self.table)

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][1]
        return None

    def _code(self, index: Index) -> str:
        return self.columns[index.column()][0]

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row, code = self.rows()[index.row()], self._code(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = getattr(row, code, "")
            return "/".join(value) if isinstance(value, list) else str(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            found = self.ctx.problems_at(self.uid, self.table, index.row(), code)
            if any(p.severity == "error" for p in found):
                return QBrush(QColor("#f8c9c4"))
            if found:
                return QBrush(QColor("#fbeeb8"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(p.message for p in self.ctx.problems_at(self.uid, self.table, index.row(), code))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        code = self._code(index)
        if self.table == FUNDS and code not in EDITABLE_FUNDS:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.uid is None:
            return False
        cell = (self.uid, self.table, index.row(), self._code(index))
        self.ctx.undo_stack.push(_SetCell(self.ctx.doc, cell, str(value)))
        return True


class GridView(QWidget):
    """The placeholder grid: set_form, select_cell, .view, .model, message."""

    message = Signal(str)

    def __init__(self, ctx: Any, table: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = _Model(ctx, table, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        ctx.changed.connect(lambda change: self.model.set_form(self.model.uid))
        ctx.problems_changed.connect(lambda: self.model.layoutChanged.emit())

    def set_form(self, uid: int | None) -> None:
        self.model.set_form(uid)

    def select_cell(self, row: int, column_code: str | None) -> None:
        codes = [c for c, _ in self.model.columns]
        col = codes.index(column_code) if column_code in codes else 0
        index = self.model.index(row, col)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
