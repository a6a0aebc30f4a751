"""The problem list dock (``problemList``): severity, form, cell and message; filters; jump to cell."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import schema
from core.problems import SEVERITIES, SEVERITY_LABELS, Problem
from core.schema import TABLE_LABELS
from gui.context import AppContext
from gui.direction import add_direction_actions
from gui.navigation import badge_icon
from gui.problem_index import differing as _differing
from gui.review_flags import add_checked_action
from gui.viewport import own_viewport

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()
HEADERS = ("级别", "表", "位置", "说明")
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1
# Up to this many changed problems (an edit) are replaced, removed and inserted one by one; more (a
# pasted block) are removed and inserted as runs of adjacent rows.
IN_PLACE_UP_TO = 64
SEVERITY_COLOURS = {"error": "#d93025", "warning": "#f2a600", "info": "#1a73e8"}


def cell_text(problem: Any) -> str:
    """Describe where a problem is: 指标 第3行 实际完成值."""
    parts = [TABLE_LABELS.get(problem.table, problem.table)]
    if problem.row is not None:
        parts.append(f"第{problem.row + 1}行")
    if problem.column:
        parts.append(schema.label(problem.table, problem.column))
    return " ".join(parts)


def order(problem: Problem) -> tuple[Any, ...]:
    """Where a problem stands in the list: errors first, then by form, table, row, rule (and column
    and text, so that the place of each problem is one place)."""
    return (*problem.sort_key(), problem.column or "", problem.message)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Group sorted row numbers into (first, last) runs of consecutive rows."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and out[-1][1] == row - 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out


class ProblemModel(QAbstractTableModel):
    """All problems of the open report, errors first; after an edit only the rows of the forms whose
    problems changed are removed and inserted (a reset would re-sort 80,000 at 1,000 projects)."""

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.problems: list[Problem] = []
        self._keys: list[tuple[Any, ...]] = []  # order(p) of each row, for bisecting
        self.icons = {s: badge_icon(c) for s, c in SEVERITY_COLOURS.items()}
        ctx.panel_problems_changed.connect(self.refresh)

    def refresh(self) -> None:
        delta = self.ctx.panel_delta
        if delta.everything:
            self.beginResetModel()
            every = [p for found in self.ctx.problem_index.by_uid.values() for p in found]
            self._keys, self.problems = [], []
            for key, p in sorted(((order(p), p) for p in every), key=lambda x: x[0]):
                self._keys.append(key)
                self.problems.append(p)
            self.endResetModel()
            return
        gone: list[Problem] = []
        came: list[Problem] = []
        for old, new in delta.changed.values():
            left, right = _differing(old, new)
            if left and right:
                before, after = Counter(left), Counter(right)
                gone += (before - after).elements()
                came += (after - before).elements()
            else:
                gone += left
                came += right
        if len(gone) + len(came) > IN_PLACE_UP_TO:
            self._move_in_runs(gone, came)  # a pasted block: hundreds of problems, a few runs of rows
            return
        came.sort(key=order)
        for problem in gone:
            row = self._row_of(problem)
            if row is None:
                continue
            # A problem whose message changed with the value typed (V03's 实际值 …) usually
            # takes the same place: replace it there (one row repainted, if shown at all)
            # instead of removing and inserting (the whole list laid out and repainted).
            at = next((i for i, p in enumerate(came) if self._fits_at(row, order(p))), None)
            if at is None:
                self.beginRemoveRows(NO_PARENT, row, row)
                del self.problems[row], self._keys[row]
                self.endRemoveRows()
            else:
                replacement = came.pop(at)
                self.problems[row], self._keys[row] = replacement, order(replacement)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))
        for problem in came:
            self._insert(problem)

    def _move_in_runs(self, gone: list[Problem], came: list[Problem]) -> None:
        """Remove ``gone`` and insert ``came`` as runs of adjacent rows: one form's problems stand
        together in each severity, so a pasted block is a few runs; the list is neither reset nor
        re-sorted (80,000 problems at 1,000 projects), and the filter looks at the new rows only."""
        rows: list[int] = []
        taken: set[int] = set()
        for problem in gone:
            key = order(problem)
            row = bisect_left(self._keys, key)
            while (
                row < len(self.problems)
                and self._keys[row] == key
                and (self.problems[row] != problem or row in taken)
            ):
                row += 1
            if row < len(self.problems) and self.problems[row] == problem:
                taken.add(row)
                rows.append(row)
        for first, last in reversed(_runs(sorted(rows))):
            self.beginRemoveRows(NO_PARENT, first, last)
            del self.problems[first : last + 1], self._keys[first : last + 1]
            self.endRemoveRows()
        new = sorted(((order(p), p) for p in came), key=lambda x: x[0])
        places = [bisect_right(self._keys, key) for key, _ in new]
        groups: list[tuple[int, int, int]] = []  # (row, first, last) of ``new`` going in before ``row``
        for i, place in enumerate(places):
            if groups and groups[-1][0] == place:
                groups[-1] = (place, groups[-1][1], i)
            else:
                groups.append((place, i, i))
        for place, first, last in reversed(groups):  # from the end: the places before stay valid
            self.beginInsertRows(NO_PARENT, place, place + last - first)
            self._keys[place:place] = [key for key, _ in new[first : last + 1]]
            self.problems[place:place] = [p for _, p in new[first : last + 1]]
            self.endInsertRows()

    def _row_of(self, problem: Problem) -> int | None:
        key = order(problem)
        row = bisect_left(self._keys, key)
        while row < len(self.problems) and self._keys[row] == key and self.problems[row] != problem:
            row += 1
        return row if row < len(self.problems) and self.problems[row] == problem else None

    def _fits_at(self, row: int, key: tuple[Any, ...]) -> bool:
        """Return True when a problem of ``key`` may stand at ``row`` in place of the one there."""
        keys = self._keys
        return (row == 0 or keys[row - 1] <= key) and (row + 1 >= len(keys) or key <= keys[row + 1])

    def _insert(self, problem: Problem) -> None:
        key = order(problem)
        row = bisect_right(self._keys, key)
        self.beginInsertRows(NO_PARENT, row, row)
        self.problems.insert(row, problem)
        self._keys.insert(row, key)
        self.endInsertRows()

    def rowCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: Index = NO_PARENT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        problem = self.problems[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                SEVERITY_LABELS[problem.severity],
                problem.form or "报告",
                cell_text(problem),
                problem.message,
            )[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self.icons.get(problem.severity, QIcon())
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{problem.message}（规则 {problem.rule}）"
        if role == PROBLEM_ROLE:
            return problem
        return None


class ProblemFilter(QSortFilterProxyModel):
    """Keeps the problems of one severity and/or one form."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.severity: str | None = None
        self.form_uid: Any = "all"

    def set_filter(self, severity: str | None, form_uid: Any) -> None:
        self.beginFilterChange()
        self.severity, self.form_uid = severity, form_uid
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        source = self.sourceModel()
        assert isinstance(source, ProblemModel)
        problem = source.problems[row]
        if self.severity is not None and problem.severity != self.severity:
            return False
        return bool(self.form_uid == "all" or problem.form_uid == self.form_uid)


class ProblemDock(QDockWidget):
    """The dock at the bottom of the window."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("问题列表", parent)
        self.ctx = ctx
        self.setObjectName("problemList")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.model = ProblemModel(ctx, self)
        self.proxy = ProblemFilter(self)
        self.proxy.setSourceModel(self.model)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 0, 4, 2)
        # The filters stand in the dock's title bar, beside its name: a 768-pixel screen at 150 %
        # (512 logical) has room for a few rows of problems, not for a title line of its own too.
        bar = QWidget(self)
        bar.setObjectName("problemTitleBar")
        bar.setLayout(self._filters(bar))
        self.setTitleBarWidget(bar)
        self.view = QTableView(body)
        own_viewport(self.view)
        self.view.setObjectName("problemView")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setTabKeyNavigation(False)  # a list of rows: Tab goes on (Qt's went round its cells)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        # one line of text a row (the style's default row is a third taller): more problems in view
        line = self.view.fontMetrics().height() + 6
        self.view.verticalHeader().setMinimumSectionSize(line)
        self.view.verticalHeader().setDefaultSectionSize(line)
        header = self.view.horizontalHeader()
        for col, width in enumerate((64, 200, 170)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.activated.connect(self.jump)  # a double click, or Enter from the keyboard
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        layout.addWidget(self.view)
        self.setWidget(body)
        self._forms_stale = True  # the 表 filter's list of forms must be filled again
        ctx.document_replaced.connect(self._forms_changed)
        ctx.listen(self, self._on_change)
        ctx.panel_problems_changed.connect(self._refresh_forms)

    def _on_change(self, change: Any) -> None:
        if change.table in ("forms", "header"):  # forms come and go, or one is renamed
            self._forms_changed()

    def _forms_changed(self) -> None:
        self._forms_stale = True
        self._refresh_forms()

    def _filters(self, body: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(6, 2, 4, 2)
        title = QLabel(self.windowTitle(), body)  # 问题列表: the title bar's own text
        title.setStyleSheet("font-weight: bold;")
        row.addWidget(title)
        row.addSpacing(12)
        self.severity_box = QComboBox(body)
        self.severity_box.setObjectName("severityFilter")
        self.severity_box.addItem("全部级别", None)
        for severity in SEVERITIES:
            self.severity_box.addItem(SEVERITY_LABELS[severity], severity)
        self.form_box = QComboBox(body)
        self.form_box.setObjectName("formFilter")
        self.form_box.setMinimumContentsLength(16)
        self.form_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.form_box.addItem("全部表", "all")
        self.severity_box.currentIndexChanged.connect(self._apply)
        self.form_box.currentIndexChanged.connect(self._apply)
        self.summary = QLabel(body)
        row.addWidget(QLabel("级别", body))
        row.addWidget(self.severity_box)
        row.addWidget(QLabel("表", body))
        row.addWidget(self.form_box)
        row.addWidget(self.summary, 1)
        return row

    def _refresh_forms(self) -> None:
        if not self._forms_stale:
            self.summary.setText(f"共 {self.model.rowCount()} 条，显示 {self.proxy.rowCount()} 条")
            return
        self._forms_stale = False
        wanted: list[tuple[str, object]] = [("全部表", "all"), ("报告", None)]
        if self.ctx.doc is not None:
            wanted += [(f.name, f.uid) for f in self.ctx.doc.report.forms]
        have = [(self.form_box.itemText(i), self.form_box.itemData(i)) for i in range(self.form_box.count())]
        if have != wanted:
            current = self.form_box.currentData()
            self.form_box.blockSignals(True)
            self.form_box.clear()
            for text, data in wanted:
                self.form_box.addItem(text, data)
            found = self.form_box.findData(current)
            self.form_box.setCurrentIndex(max(found, 0))
            self.form_box.blockSignals(False)
            self._apply()
        self.summary.setText(f"共 {self.model.rowCount()} 条，显示 {self.proxy.rowCount()} 条")

    def _apply(self) -> None:
        self.proxy.set_filter(self.severity_box.currentData(), self.form_box.currentData())
        self.summary.setText(f"共 {self.model.rowCount()} 条，显示 {self.proxy.rowCount()} 条")

    def _context_menu(self, pos: Any) -> None:
        """A target scored by its 二级's default direction (S03) can be given another one here; a
        请核对 an import left (S24) can be marked 已核对."""
        problem = self.view.indexAt(pos).data(PROBLEM_ROLE)
        if problem is None:
            return
        menu = QMenu(self)
        if problem.rule == "S03" and problem.table == "indicators":
            add_direction_actions(self.ctx, problem.form_uid, problem.row, menu)
        if problem.rule == "S24":
            add_checked_action(self.ctx, problem.form_uid, problem.table, problem.row, problem.column, menu)
        if not menu.isEmpty():
            menu.popup(self.view.viewport().mapToGlobal(pos))

    def jump(self, index: QModelIndex) -> None:
        """Ask the window to show the problem's cell."""
        problem = index.data(PROBLEM_ROLE)
        if problem is not None:
            self.ctx.request_show_cell(*problem.cell())
