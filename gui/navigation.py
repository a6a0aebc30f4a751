"""The navigation tree (``navTree``): report info, the forms, score sheet, basic data, report sections.

Projects can be added, renamed (F2 or double-click), duplicated, deleted and reordered (drag, or
Ctrl+↑/↓), each as one undoable command from gui/form_commands.py.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QDropEvent,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeView, QWidget

from core.model import NARRATIVE, OVERALL
from core.problems import Problem
from core.report import Change
from core.schema import HEAD, REP, SECTION, Table
from gui.context import AppContext, keep_survivors
from gui.form_commands import (
    AddFormCommand,
    DeleteFormCommand,
    DuplicateFormCommand,
    MoveFormCommand,
    RenameFormCommand,
    run,
)
from gui.viewport import own_viewport

if TYPE_CHECKING:
    from core.scoring import FormScore, FormSummary

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex

REPORT_NODE, OVERALL_NODE, PROJECTS_NODE, PROJECT_NODE = "report", "overall", "projects", "project"
SCORE_NODE, BASIC_NODE, NARRATIVE_NODE, SECTION_NODE = "score", "basic", "narrative", "section"
SUMMARY_NODE = "summary"  # the 自评汇总表 view (gui/submission.py)
ANALYSIS_NODE = "analysis"  # the 汇总分析报告 editor (gui/editors/analysis.py)


# 自评预警 (K22) as shown beside a form's score: the word and its colour.
WARNING_WORDS = {"red": ("红色预警", "#d93025"), "yellow": ("黄色预警", "#e0a800")}


def warning_icon(colour: str, with_error: bool) -> QIcon:
    """Return a small flag in the warning's colour, after the error dot when the form also has errors."""
    pixmap = QPixmap(26 if with_error else 12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    x = 0
    if with_error:
        painter.setBrush(QBrush(QColor("#d93025")))
        painter.drawEllipse(1, 1, 10, 10)
        x = 14
    painter.setBrush(QBrush(QColor(colour)))
    painter.drawRect(x + 2, 1, 2, 10)
    painter.drawRect(x + 4, 1, 7, 6)
    painter.end()
    return QIcon(pixmap)


def badge_icon(colour: str = "#d93025") -> QIcon:
    """Return a small filled circle, the mark of a node with errors."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QBrush(QColor(colour)))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


def _item(text: str, kind: str, key: Any = None) -> QStandardItem:
    item = QStandardItem(text)
    item.setToolTip(text)  # what _paint shows without errors: set before the item is in the model
    item.setData(kind, KIND_ROLE)
    item.setData(key, KEY_ROLE)
    item.setEditable(kind == PROJECT_NODE)
    flags = item.flags() | Qt.ItemFlag.ItemIsDragEnabled if kind == PROJECT_NODE else item.flags()
    item.setFlags(flags & ~Qt.ItemFlag.ItemIsDropEnabled if kind != PROJECT_NODE else flags)
    return item


class NavModel(QStandardItemModel):
    """The tree's items; rebuilt when forms or sections are added, removed, moved or renamed."""

    # Emitted when a rename typed in the tree was refused, with the reason.
    rename_refused = Signal(str)
    # Emitted when forms or sections were added, removed or moved: the tree must be rebuilt.
    structure_changed = Signal()

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.badge = badge_icon()
        self._flags: dict[tuple[str, bool], QIcon] = {}
        self._nodes: dict[tuple[str, Any], QStandardItem] = {}  # (kind, key) -> item, made by rebuild
        self._errors: dict[tuple[str, Any], int] = {}  # node -> its error count
        self._erring: set[Any] = set()  # uids whose project node has errors (the 项目 node's badge)
        self._project_uids: set[int] = set()
        self._edited: set[int] = set()  # the forms the last re-check's change touched
        self._found: dict[Any, dict[tuple[str, Any], int]] = {}  # uid (None: report) -> its errors per node
        self._warnings: dict[int, tuple[str | None, str]] = {}  # form -> its 自评预警 and reason
        self._unscored: dict[int, None] = {}  # forms whose 自评预警 is still to be computed, in order
        self._full_for: object = None  # the problem delta the last full pass of the badges showed
        self._score_timer = QTimer(self, singleShot=True, interval=0)
        self._score_timer.timeout.connect(self._score_turn)
        self.setHorizontalHeaderLabels(["报告"])
        ctx.listen(self, self._on_change)
        ctx.panel_problems_changed.connect(self.update_badges)
        ctx.check_started.connect(self._score_later)

    def rebuild(self) -> None:
        """Fill the tree from the open report."""
        self._nodes = {}
        self._unscored = {}
        self.removeRows(0, self.rowCount())
        doc = self.ctx.doc
        if doc is None:
            return
        root = self.invisibleRootItem()
        root.appendRow(_item("报告信息", REPORT_NODE))
        overall = doc.report.overall
        if overall is not None:
            root.appendRow(_item("部门整体支出", OVERALL_NODE, overall.uid))
        projects = _item("项目支出", PROJECTS_NODE)
        for form in doc.report.projects:
            projects.appendRow(_item(form.name, PROJECT_NODE, form.uid))
        root.appendRow(projects)
        root.appendRow(_item("自评汇总表", SUMMARY_NODE))
        root.appendRow(_item("汇总分析报告", ANALYSIS_NODE))
        if overall is not None and (doc.template.form(OVERALL).score_sheet or overall.score_sheet):
            root.appendRow(_item("评分表", SCORE_NODE, overall.uid))
        if doc.template.basic_data:
            root.appendRow(_item("基础数据表", BASIC_NODE))
        narrative = _item("自评报告", NARRATIVE_NODE)
        for i, section in enumerate(doc.report.narrative):
            narrative.appendRow(_item(section.title or f"第{i + 1}节", SECTION_NODE, i))
        root.appendRow(narrative)
        self._nodes = {(i.data(KIND_ROLE), i.data(KEY_ROLE)): i for i in reversed(self.items())}
        self.update_badges(everything=True)

    def _on_change(self, change: Change) -> None:
        if change.table == "forms" or (
            change.table == NARRATIVE and (change.structural or SECTION.title in change.columns)
        ):
            self.structure_changed.emit()
        elif change.table == Table.HEADER and HEAD.name in change.columns:
            item = self.find(PROJECT_NODE, change.form)
            if item is not None and change.form is not None:
                item.setText(self.ctx.open_doc.form(change.form).name)
        elif change.table == Table.REPORT and REP.template in change.columns:
            self.structure_changed.emit()

    def items(self) -> list[QStandardItem]:
        """Return every item, depth first."""
        out: list[QStandardItem] = []
        stack = [self.item(r) for r in range(self.rowCount())][::-1]
        while stack:
            item = stack.pop()
            out.append(item)
            stack.extend(item.child(r) for r in range(item.rowCount() - 1, -1, -1))
        return out

    def find(self, kind: str, key: Any = None) -> QStandardItem | None:
        item = self._nodes.get((kind, key))
        if item is not None:
            return item
        for item in self.items():
            if item.data(KIND_ROLE) == kind and (key is None or item.data(KEY_ROLE) == key):
                return item
        return None

    def update_badges(self, everything: bool = False) -> None:
        """Mark nodes whose form or part of the report has errors, and forms with a 自评预警.

        Only the forms the re-checks since it was last told changed are looked at (``ctx.panel_delta``);
        the warnings of a newly opened report are computed a few forms per turn of the event loop.
        """
        if self.ctx.doc is None or not self._nodes:
            return
        delta = self.ctx.panel_delta
        index = self.ctx.problem_index
        dirty: set[tuple[str, Any]] = set()
        if not everything and delta.everything and delta is self._full_for:
            return  # the rebuild just showed this very state (a report opened sends both signals)
        if everything or delta.everything:
            self._full_for = delta
            self._errors, self._found, self._warnings = {}, {}, {}
            self._erring = set()
            self._project_uids = {f.uid for f in self.ctx.open_doc.report.projects}
            uids: list[Any] = [None, *(f.uid for f in self.ctx.open_doc.report.forms)]
            dirty.update(self._nodes)
            self._unscored = dict.fromkeys(f.uid for f in self.ctx.open_doc.report.forms)
            self._score_later()
        else:
            uids = list(delta.changed)
            self._edited = set(delta.touched or ())
            for uid in delta.touched or ():
                self._warnings.pop(uid, None)
                if uid not in self._unscored:
                    self._unscored = {uid: None, **self._unscored}  # first in line
                dirty.update(((PROJECT_NODE, uid), (OVERALL_NODE, uid)))
            if delta.touched:
                self._score_some()
            self._edited = set()
        for uid in uids:
            found: dict[tuple[str, Any], int] = {}
            for problem in index.of(uid):
                if problem.severity == "error":
                    for target in node_targets(self.ctx, problem):
                        found[target] = found.get(target, 0) + 1
            old = self._found.get(uid, {})
            if found == old:
                continue
            for node, n in old.items():
                self._errors[node] = self._errors.get(node, 0) - n
            for node, n in found.items():
                self._errors[node] = self._errors.get(node, 0) + n
            self._found[uid] = found
            for node in set(old) | set(found):
                dirty.add(node)
                if node[0] == PROJECT_NODE:
                    dirty.add((OVERALL_NODE, node[1]))
                    if self._errors.get(node, 0):
                        self._erring.add(node[1])
                    else:
                        self._erring.discard(node[1])
        for node in dirty:
            item = self._nodes.get(node)
            if item is not None:
                self._paint(item)
        projects = self._nodes.get((PROJECTS_NODE, None))
        if projects is not None:
            # from the erring nodes, not by walking every project (1,000 of them on each keystroke)
            any_error = any(uid in self._project_uids for uid in self._erring)
            icon = self.badge if any_error else QIcon()
            if projects.icon().cacheKey() != icon.cacheKey():
                projects.setIcon(icon)

    def _score_later(self) -> None:
        """Start computing the 自评预警 still to be computed, a few forms per turn; a report the
        window's start opened waits until its check starts, on the turn after it painted (the first
        turn was up to 15 ms between the report's paint and the window's next turn)."""
        if self._unscored and not self.ctx.check_pending:
            self._score_timer.start()

    def _score_some(self) -> None:
        """Compute the 自评预警 of the next few forms (about 15 ms) and show it."""
        deadline = time.perf_counter() + 0.015
        while self._unscored and time.perf_counter() < deadline:
            uid = next(iter(self._unscored))
            del self._unscored[uid]
            for kind in (PROJECT_NODE, OVERALL_NODE):
                item = self._nodes.get((kind, uid))
                if item is not None:
                    self._paint(item)
        if self._unscored:
            self._score_timer.start()

    def _score_turn(self) -> None:
        """A turn of the 自评预警 after a report opened: the scores computed stay out of the garbage
        collector's walks (``gui.context.keep_survivors``)."""
        self._score_some()
        keep_survivors()

    def _paint(self, item: QStandardItem) -> None:
        """Set one node's icon and tooltip from its error count and 自评预警."""
        n = self._errors.get(self._node_target(item), 0)
        warning, why = self._warning(item)
        icon = self.badge if n else QIcon()
        if warning:
            key = (WARNING_WORDS[warning][1], bool(n))
            if key not in self._flags:
                self._flags[key] = warning_icon(*key)
            icon = self._flags[key]
        if item.icon().cacheKey() != icon.cacheKey():
            item.setIcon(icon)
        tip = f"{item.text()}\n{n} 个错误" if n else item.text()
        if why:
            tip += f"\n{why}"
        if item.toolTip() != tip:
            item.setToolTip(tip)

    def _warning(self, item: QStandardItem) -> tuple[str | None, str]:
        """Return a form node's 自评预警 and its reason (None for other nodes, not yet computed, or
        when not computable)."""
        if item.data(KIND_ROLE) not in (OVERALL_NODE, PROJECT_NODE) or self.ctx.doc is None:
            return None, ""
        uid = item.data(KEY_ROLE)
        if uid in self._warnings:
            return self._warnings[uid]
        if uid in self._unscored:
            return None, ""
        try:
            score: FormScore | FormSummary | None = self.ctx.cached_score(uid)
            if score is None and uid in self._edited:
                # the form just edited: its status bar and grids worked out this already
                score = self.ctx.summary(uid)
            if score is not None:
                warning, why = score.warning, score.warning_why
            else:
                from core.scoring import form_warning

                doc = self.ctx.open_doc
                warning, why = form_warning(doc.report, doc.form(uid), doc.template)
        except Exception:  # noqa: BLE001 - a form that cannot be scored shows no warning
            warning, why = None, ""
        found = (warning, why or "") if warning in WARNING_WORDS else (None, "")
        self._warnings[uid] = found
        return found

    def _node_target(self, item: QStandardItem) -> tuple[str, Any]:
        kind = item.data(KIND_ROLE)
        if kind in (OVERALL_NODE, PROJECT_NODE):
            return (PROJECT_NODE, item.data(KEY_ROLE))
        return (kind, item.data(KEY_ROLE))

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Renaming a project in place goes through an undoable command, not into the item."""
        if role == Qt.ItemDataRole.EditRole and index.data(KIND_ROLE) == PROJECT_NODE:
            uid, name = index.data(KEY_ROLE), str(value).strip()
            if self.ctx.doc is None or name == self.ctx.open_doc.form(uid).name:
                return False
            error = run(self.ctx.undo_stack, RenameFormCommand(self.ctx.open_doc, uid, name))
            if error:
                self.rename_refused.emit(error)
                return False
            return True
        return super().setData(index, value, role)


def all_problems(ctx: AppContext) -> list[Problem]:
    """Return the checker's problems (empty while there is no checker)."""
    checker = ctx.checker
    return [] if checker is None else list(checker.problems)


def node_targets(ctx: AppContext, problem: Any) -> list[tuple[str, Any]]:
    """Return the tree nodes (kind, key) a problem belongs to."""
    uid, table = problem.form_uid, problem.table
    if uid is None:
        if table == NARRATIVE:
            return [(NARRATIVE_NODE, None), (SECTION_NODE, problem.row)]
        if table == "basic_data":
            return [(BASIC_NODE, None)]
        return [(REPORT_NODE, None)]
    overall = ctx.open_doc.report.overall if ctx.doc else None
    if table == "score_sheet" and overall is not None and uid == overall.uid:
        return [(SCORE_NODE, uid)]
    return [(PROJECT_NODE, uid)]


def node_for_problem(ctx: AppContext, problem_cell: tuple[Any, str, Any, Any]) -> tuple[str, Any]:
    """Return the node (kind, key) that shows a problem's cell."""
    uid, table, row, _ = problem_cell
    fake = SimpleNamespace(form_uid=uid, table=table, row=row)  # a class made here was a garbage cycle
    kind, key = node_targets(ctx, fake)[-1]
    if kind == PROJECT_NODE and ctx.doc is not None and ctx.open_doc.form(uid).kind == OVERALL:
        return (OVERALL_NODE, uid)
    return (kind, key)


class NavTree(QTreeView):
    """The tree view; emits ``node_selected`` and offers the project commands."""

    # Emitted when the user picks a node: (kind, key).
    node_selected = Signal(str, object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        own_viewport(self)
        self.ctx = ctx
        self.setObjectName("navTree")
        self.nav_model = NavModel(ctx, self)
        self.setModel(self.nav_model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.nav_model.rename_refused.connect(self._rename_refused)
        self.nav_model.structure_changed.connect(self.rebuild_keeping_selection)
        ctx.document_replaced.connect(self.rebuild_keeping_selection)
        self.selectionModel().currentChanged.connect(self._on_current)
        self._restoring = False

    def _rename_refused(self, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, "无法重命名", text)

    def current_node(self) -> tuple[str | None, Any]:
        index = self.currentIndex()
        return (index.data(KIND_ROLE), index.data(KEY_ROLE)) if index.isValid() else (None, None)

    def select_node(self, kind: str, key: Any = None) -> bool:
        """Make a node current (emits node_selected when it changes)."""
        item = self.nav_model.find(kind, key)
        if item is None:
            return False
        self.setCurrentIndex(item.index())
        self.scrollTo(item.index())
        return True

    def _on_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid() and not self._restoring:
            self.node_selected.emit(current.data(KIND_ROLE), current.data(KEY_ROLE))

    def rebuild_keeping_selection(self) -> None:
        kind, key = self.current_node()
        self._restoring = True
        try:
            self.nav_model.rebuild()
            self.expandAll()
            if kind is None or not self.select_node(kind, key):
                self._restoring = False
                self.select_node(REPORT_NODE)
        finally:
            self._restoring = False

    # ---- project commands ---------------------------------------------------
    def _current_project(self) -> int | None:
        kind, key = self.current_node()
        return key if kind == PROJECT_NODE else None

    def _report_index(self, uid: int) -> int:
        assert self.ctx.doc is not None
        return self.ctx.open_doc.report.position(self.ctx.open_doc.form(uid))

    def _unique_name(self, base: str = "新项目") -> str:
        names = {f.name for f in self.ctx.open_doc.report.forms}
        n = 1
        while (name := base if n == 1 else f"{base}{n}") in names:
            n += 1
        return name

    def add_project(self, name: str | None = None, edit: bool = True) -> int | None:
        """Add a project after the current one and start renaming it in place."""
        if self.ctx.doc is None:
            return None
        current = self._current_project()
        index = self._report_index(current) + 1 if current is not None else None
        command = AddFormCommand(self.ctx.open_doc, name or self._unique_name(), index)
        if self._run(command, "无法新增项目"):
            return None
        self.select_node(PROJECT_NODE, command.uid)
        if edit:
            self.edit(self.currentIndex())
        return command.uid

    def rename_project(self, uid: int | None = None, name: str | None = None) -> None:
        """Rename in place (F2), or directly when ``name`` is given."""
        uid = uid if uid is not None else self._current_project()
        if uid is None:
            return
        item = self.nav_model.find(PROJECT_NODE, uid)
        if name is None and item is not None:
            self.edit(item.index())
        elif name is not None:
            self._run(RenameFormCommand(self.ctx.open_doc, uid, name), "无法重命名")

    def duplicate_project(self, uid: int | None = None) -> None:
        uid = uid if uid is not None else self._current_project()
        if uid is not None:
            command = DuplicateFormCommand(self.ctx.open_doc, uid)
            if not self._run(command, "无法复制项目"):
                self.select_node(PROJECT_NODE, command.uid)

    def delete_project(self, uid: int | None = None, confirm: bool = True) -> None:
        from PySide6.QtWidgets import QMessageBox

        uid = uid if uid is not None else self._current_project()
        if uid is None:
            return
        name = self.ctx.open_doc.form(uid).name
        question = f"删除项目“{name}”及其全部内容？\n（可用“撤销”恢复）"
        if not confirm or QMessageBox.question(self, "删除项目", question) == QMessageBox.StandardButton.Yes:
            projects = [f.uid for f in self.ctx.open_doc.report.projects]
            pos = projects.index(uid)
            others = projects[pos + 1 :] + projects[:pos][::-1]
            neighbour = others[0] if others else None
            if not self._run(DeleteFormCommand(self.ctx.open_doc, uid), "无法删除项目"):
                # the next project (or the previous one) takes its place, as in a list
                self.select_node(PROJECT_NODE, neighbour) or self.select_node(PROJECTS_NODE)

    def move_project(self, uid: int, steps: int) -> None:
        """Move a project up (negative) or down among the projects."""
        projects = [f.uid for f in self.ctx.open_doc.report.projects]
        pos = projects.index(uid) + steps
        if 0 <= pos < len(projects) and pos != projects.index(uid):
            self.move_project_to(uid, projects[pos])

    def move_project_to(self, uid: int, target_uid: int) -> None:
        """Put a project where ``target_uid`` is now."""
        if uid != target_uid:
            self._run(MoveFormCommand(self.ctx.open_doc, uid, self._report_index(target_uid)), "无法移动项目")
            self.select_node(PROJECT_NODE, uid)

    def _run(self, command: Any, title: str) -> str | None:
        from PySide6.QtWidgets import QMessageBox

        error = run(self.ctx.undo_stack, command)
        if error:
            QMessageBox.warning(self, title, error)
        return error

    # ---- keys, menu, drag ---------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        uid, ctrl = self._current_project(), event.modifiers() & Qt.KeyboardModifier.ControlModifier
        kind = self.current_node()[0]
        if event.key() == Qt.Key.Key_Insert and kind in (PROJECT_NODE, PROJECTS_NODE):
            self.add_project()
        elif uid is not None and event.key() == Qt.Key.Key_Delete:
            self.delete_project(uid)
        elif uid is not None and ctrl and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_project(uid, -1 if event.key() == Qt.Key.Key_Up else 1)
        else:
            super().keyPressEvent(event)

    def _context_menu(self, pos: Any) -> None:
        index = self.indexAt(pos)
        kind = index.data(KIND_ROLE) if index.isValid() else None
        if kind not in (PROJECT_NODE, PROJECTS_NODE):
            return
        self.setCurrentIndex(index)
        menu = QMenu(self)
        uid = index.data(KEY_ROLE) if kind == PROJECT_NODE else None
        entries: list[tuple[str, Any, Any]] = [("新增项目", QKeySequence("Ins"), self.add_project)]
        if uid is not None:
            entries += [
                ("重命名", QKeySequence("F2"), lambda: self.rename_project(uid)),
                ("复制", None, lambda: self.duplicate_project(uid)),
                ("删除", QKeySequence("Del"), lambda: self.delete_project(uid)),
                ("上移", QKeySequence("Ctrl+Up"), lambda: self.move_project(uid, -1)),
                ("下移", QKeySequence("Ctrl+Down"), lambda: self.move_project(uid, 1)),
            ]
        for text, keys, slot in entries:
            action = QAction(text, menu)
            if keys is not None:
                action.setShortcut(keys)
            action.triggered.connect(lambda checked=False, s=slot: s())
            menu.addAction(action)
        menu.exec(self.viewport().mapToGlobal(pos))

    def dropEvent(self, event: QDropEvent) -> None:
        """A dragged project lands where the target project is; the model itself is not touched."""
        source = self._current_project()
        target = self.indexAt(event.position().toPoint())
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if source is None or not target.isValid():
            return
        if target.data(KIND_ROLE) == PROJECT_NODE:
            self.move_project_to(source, target.data(KEY_ROLE))
        elif target.data(KIND_ROLE) == PROJECTS_NODE:
            self.move_project_to(source, self.ctx.open_doc.report.projects[0].uid)
