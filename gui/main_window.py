"""The main window (``mainWindow``): composes the tree, the editors, the problem list and the actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFocusEvent, QFont, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.model import FUNDS, GOALS, INDICATORS, SCORE_SHEET
from core.schema import Table
from gui import submission
from gui.actions import Actions
from gui.app import APP_TITLE, complete_icon
from gui.context import AppContext
from gui.file_ops import FileOps
from gui.files import is_sample
from gui.navigation import (
    ANALYSIS_NODE,
    BASIC_NODE,
    NARRATIVE_NODE,
    OVERALL_NODE,
    PROJECT_NODE,
    REPORT_NODE,
    SCORE_NODE,
    SECTION_NODE,
    SUMMARY_NODE,
    WARNING_WORDS,
    NavTree,
    node_for_problem,
)
from gui.problems import ProblemDock

if TYPE_CHECKING:
    from gui.editors.basic_data import BasicDataEditor
    from gui.editors.form_editor import FormEditor
    from gui.editors.narrative import NarrativeEditor
    from gui.editors.report_info import ReportInfoEditor

SAMPLE_BANNER = (
    "这是示例报告（湖南益阳 2023 年的真实报告）：表中标出的错误和警告是原报告自身的问题，特意保留，"
    "以便看到检查的效果。开始自己的报告请点“新建”。"
)


# Status-bar label -> (text, font, style sheet, scaling) -> the label's size hint: see set_status_text.
_HINTS: dict[QLabel, dict[tuple[object, ...], QSize]] = {}
_font_key: Callable[[QFont], str] | None = None  # gui.grids.base.font_key, imported on first use


def set_status_text(label: QLabel, text: str) -> None:
    """Show ``text`` in a status-bar label of a fixed size that only grows: a label whose width
    followed its text (a score of 9.5, then 87.35) laid the status bar and the window out again on
    an edit; a label of fixed width and height asks for no layout when its text changes. Its size
    hint with a text it showed before (a project shown again) is kept: the score's rich text was
    laid out for it on every switch, besides its paint."""
    if label.text() == text:
        return
    label.setText(text)
    hints = _HINTS.get(label)
    if hints is None:
        if len(_HINTS) >= 16:
            _HINTS.clear()
        hints = _HINTS[label] = {}
    # (what the hint depends on besides the text: the font, the label's style sheet, the screen's
    # scaling and dots per inch — a window moved to another screen; not label.style(): making
    # QStyle's Python type is not on the way to the first paint, which sets these labels)
    global _font_key
    if _font_key is None:  # (no grid is imported for the shell's first paint: see MainWindow)
        from gui.grids.base import font_key

        _font_key = font_key
    key = (text, _font_key(label.font()), label.styleSheet(), label.devicePixelRatioF(), label.logicalDpiX())
    hint = hints.get(key)
    if hint is None:
        if len(hints) >= 256:
            hints.clear()
        hint = hints[key] = label.sizeHint()
    if hint.width() > label.maximumWidth() or hint.height() != label.maximumHeight():
        spare = label.fontMetrics().horizontalAdvance("0000")  # room for a few more digits
        label.setFixedSize(max(hint.width() + spare, label.minimumWidth()), hint.height())


def _start_cell_images() -> None:
    """The grids' cell images (``CELL_IMAGES``), made after the first paint."""
    from gui.grids.delegates import CELL_IMAGES

    CELL_IMAGES.start()


class _ShowOnTab(QObject):
    """Scrolls a page to the widget Tab (Shift+Tab) brings the focus into from outside it — from the
    tree to the first field, as Qt's QScrollArea does for Tab between its own children: the page
    itself takes no Tab stop (it shows no focus), so it never sees the Tab that enters it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
            tab = (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
            if event.reason() in tab and isinstance(watched, QWidget):
                area = watched.parentWidget()
                while area is not None and not isinstance(area, QScrollArea):
                    area = area.parentWidget()
                if area is not None:
                    area.ensureWidgetVisible(watched)
        return False


_show_on_tab: list[_ShowOnTab] = []


def tab_after(anchor: QWidget, widgets: list[QWidget]) -> None:
    """Put ``widgets`` right after ``anchor``, in their order, in the order Tab goes: a widget made
    after the window comes last in it otherwise (the form editor, made once the shell has painted,
    after the problem list), not where it stands. (Asked of the widgets named, not by walking Qt's
    focus chain: a widget Qt made that Python meets first makes PySide make every widget class.)
    Tab into one of them from outside its page scrolls the page to it."""
    if not _show_on_tab:
        _show_on_tab.append(_ShowOnTab(QCoreApplication.instance()))
    for widget in widgets:
        QWidget.setTabOrder(anchor, widget)
        widget.installEventFilter(_show_on_tab[0])
        anchor = widget


def next_turn(step: Callable[[], object]) -> None:
    """Run ``step`` on the next turn of the event loop: after the paint the current one asked for
    (Qt delivers the paint request posted before a zero timer first), without asking the whole
    window to paint as ``MainWindow.after_paint`` does."""
    QTimer.singleShot(0, step)


class MainWindow(QMainWindow):
    """The window an accountant works in; every edit is already on disk, so closing never asks."""

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._painted = False
        self._after_paint: list[Callable[[], object]] = []
        self._replacing = False  # set_document is switching reports: nodes are not shown meanwhile
        self._fill_later = False  # set_document at the start: see FormEditor.set_form's ``later``
        self._shown: tuple[str, Any] | None = None  # the node show_node last showed
        self._write_failures = 0  # edits taken back because their COMMIT failed (``_write_failed``)
        self.ctx = ctx or AppContext(parent=self)
        self.resize(1280, 720)
        self.actions_ = Actions(self)
        self.actions_.build_menus()
        self.actions_.build_toolbar()
        # the toolbar's icons on the turn after the first paint with a report (or of the shell alone):
        # their first use of QStyle is not on the way to the first paint
        self.after_first_paint(lambda: self.after_paint(self.actions_.load_icons))
        self.after_first_paint(lambda: self.after_paint(complete_icon))  # its SVG icon (QtSvg) too
        self.after_first_paint(lambda: self.after_paint(_start_cell_images))  # (QStyle's enums too)
        self.tree = NavTree(self.ctx, self)
        self.editors = QStackedWidget(self)
        # The editors are made the first time their node is shown, the form editor too (a report
        # opens on its 部门整体支出, after the shell has painted): the shell's first paint shows
        # none of them (issue 15: build only what the first paint needs).
        self._form_editor: FormEditor | None = None
        self._report_editor: ReportInfoEditor | None = None
        self._score_editor: FormEditor | None = None
        self._basic_editor: BasicDataEditor | None = None
        self._narrative_editor: NarrativeEditor | None = None
        self.blank = QLabel("请用“新建”或“打开”开始一份报告。", self)
        self.blank.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editors.addWidget(self.blank)
        splitter = self.splitter = QSplitter(self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.editors)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1030])
        self.sample_banner = QLabel(SAMPLE_BANNER, self)
        self.sample_banner.setObjectName("sampleBanner")
        self.sample_banner.setWordWrap(True)
        self.sample_banner.setStyleSheet("background: #fff8d6; border: 1px solid #e0c060; padding: 4px 8px;")
        self.sample_banner.hide()
        central = QWidget(self)
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.sample_banner)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.problems = ProblemDock(self.ctx, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems)
        self._build_status_bar()
        self.files = FileOps(self)
        self.submission = submission.install(self)  # 导出 menu, 自评汇总表 view (issue 13)
        self._connect()
        self.update_title()

    def _build_status_bar(self) -> None:
        self.counts_label = QLabel(self)
        self.counts_label.setObjectName("problemCounts")
        self.score_label = QLabel(self)
        self.score_label.setObjectName("formScore")
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.score_label)

    def _connect(self) -> None:
        a, ctx = self.actions_, self.ctx
        a.undo.triggered.connect(self.undo)
        a.redo.triggered.connect(self.redo)
        ctx.undo_stack.canUndoChanged.connect(a.undo.setEnabled)
        ctx.undo_stack.canRedoChanged.connect(a.redo.setEnabled)
        a.undo.setEnabled(False)
        a.redo.setEnabled(False)
        a.check.triggered.connect(self.check_all)
        a.go_problems.triggered.connect(self.focus_problems)
        a.go_tree.triggered.connect(lambda: self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason))
        a.quit.triggered.connect(self.close)
        a.package.triggered.connect(self.make_package)
        a.review_mode.triggered.connect(self.open_review_mode)
        self.files.connect(a)
        self.tree.node_selected.connect(self.show_node)
        ctx.show_cell_requested.connect(self.show_cell)
        ctx.listen_problems(self, self.update_status)  # also follows every change (after the check)
        ctx.stepped.connect(self._show_step)
        ctx.write_failed.connect(self._write_failed)

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

    def _write_failed(self, text: str) -> None:
        """An edit the disk refused after it showed was taken back: say so (a dialog that does not
        stop the event loop, and the status bar)."""
        from PySide6.QtWidgets import QMessageBox  # here: the first paint needs none (issue 15)

        self._write_failures += 1
        self.statusBar().showMessage(text.split("\n")[0], 30000)
        box = QMessageBox(QMessageBox.Icon.Warning, "修改未能保存", text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ---- the editors, made on first use -------------------------------------------
    @property
    def form_editor(self) -> FormEditor:
        """The editor of a form (部门整体支出, a project): its funds and goals grids made with it, the
        指标 grid and the 评分表 below the screen when first needed."""
        if self._form_editor is None:
            from gui.editors.form_editor import FormEditor

            tables, below = (FUNDS, GOALS, INDICATORS, SCORE_SHEET), (INDICATORS, SCORE_SHEET)
            self._form_editor = FormEditor(self.ctx, tables, parent=self, made_later=below)
            self._form_editor.message.connect(self._show_message)
            self.editors.addWidget(self._form_editor)
            self.tab_after_tree(self._form_editor.focus_chain())
        return self._form_editor

    def tab_after_tree(self, widgets: list[QWidget]) -> None:
        """Give a page made on first use its place in the order Tab goes: right after the tree (then
        the problem list), as a page made with the window has; made later, it came last, after the
        problem list, whose table keeps Tab."""
        tab_after(self.tree, widgets)

    @property
    def report_editor(self) -> ReportInfoEditor:
        if self._report_editor is None:
            from gui.editors.report_info import ReportInfoEditor

            self._report_editor = ReportInfoEditor(self.ctx, self)
            self.editors.addWidget(self._report_editor)
            self.tab_after_tree(self._report_editor.focus_chain())
        return self._report_editor

    @property
    def score_editor(self) -> FormEditor:
        if self._score_editor is None:
            from gui.editors.form_editor import FormEditor

            self._score_editor = FormEditor(self.ctx, (SCORE_SHEET,), header=False, parent=self)
            self._score_editor.message.connect(self._show_message)
            self.editors.addWidget(self._score_editor)
            self.tab_after_tree(self._score_editor.focus_chain())
        return self._score_editor

    @property
    def basic_editor(self) -> BasicDataEditor:
        if self._basic_editor is None:
            from gui.editors.basic_data import BasicDataEditor

            self._basic_editor = BasicDataEditor(self.ctx, self)
            self._basic_editor.message.connect(self._show_message)
            self.editors.addWidget(self._basic_editor)
            self.tab_after_tree(self._basic_editor.focus_chain())
        return self._basic_editor

    @property
    def narrative_editor(self) -> NarrativeEditor:
        if self._narrative_editor is None:
            from gui.editors.narrative import NarrativeEditor

            self._narrative_editor = NarrativeEditor(self.ctx, self)
            self.editors.addWidget(self._narrative_editor)
            self.tab_after_tree(self._narrative_editor.focus_chain())
        return self._narrative_editor

    def commit_narrative(self) -> None:
        """Write the report text being typed (nothing when its editor was never shown), and wait for
        the last edit's COMMIT: what runs next (另存为, 导出, 报送包, 从备份恢复, closing) sees the
        file complete, or the edit taken back and said."""
        if self._narrative_editor is not None:
            self._narrative_editor.commit()
        self.ctx.settle()

    # ---- documents -----------------------------------------------------------
    def damaged_rows(self, db: object) -> bool:
        """The crash handler's call when rows read after opening are damaged (see gui.app)."""
        return self.files.damaged_rows(db)

    def commit_pending(self) -> str | None:
        """Write whatever is being typed (a cell editor, a header field, the report text).

        Return why a cell refused its text (its editor then stays open), or None.
        """
        self.commit_narrative()
        for editor in (self._form_editor, self._score_editor, self._basic_editor):
            why = editor.commit_pending() if editor is not None else None
            if why is not None:
                return why
        return None

    def set_document(self, doc: Any, check_later: bool = False) -> None:
        """Show another report (closing the one shown before).

        ``check_later``: the report is checked once it has painted (the window's start: its grids
        show before the checker is even imported), a few forms a turn as a big report is.
        """
        self.commit_pending()
        old = self.ctx.doc
        self._replacing = True  # the tree rebuilds and picks a node: shown once, below
        try:
            self.ctx.set_document(doc, check_later=check_later)
        finally:
            self._replacing = False
        if check_later and doc is not None:
            self.after_paint(self.ctx.start_check)
        if old is not None:
            old.close()
        self.update_title()
        if doc is None:
            self.editors.setCurrentWidget(self.blank)
            return
        overall = doc.report.overall
        node = (OVERALL_NODE, overall.uid) if overall is not None else (REPORT_NODE, None)
        self._shown = None
        self._fill_later = check_later  # the start: grids below the screen sized after the paint
        try:
            self.tree.select_node(*node)  # shows it, unless it was the tree's current node already
            if self._shown != node:
                self.show_node(*node)
        finally:
            self._fill_later = False
        self.update_status()

    def update_title(self) -> None:
        doc = self.ctx.doc
        self.setWindowTitle(f"{doc.path.name} — {APP_TITLE}" if doc is not None else APP_TITLE)
        self.sample_banner.setVisible(doc is not None and is_sample(doc.path))
        for action in (
            self.actions_.save_as,
            self.actions_.next_year,
            self.actions_.export_word,
            self.actions_.export_excel,
            self.actions_.export_form_word,
            self.actions_.export_form_excel,
            self.actions_.check,
            self.actions_.package,
        ):
            action.setEnabled(doc is not None)

    def focus_problems(self) -> None:
        """检查 → 转到问题列表 (F8): the list gets the keyboard, its first problem current."""
        self.problems.show()
        view = self.problems.view
        if not view.currentIndex().isValid() and view.model().rowCount() > 0:
            view.setCurrentIndex(view.model().index(0, 0))
        view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def make_package(self) -> None:
        """文件 → 生成报送包…"""
        from gui.review.package_action import ask_and_package

        self.commit_narrative()
        ask_and_package(self, self.ctx.doc)

    def open_review_mode(self) -> None:
        """文件 → 财政审核…: the review window (the department's report stays open here)."""
        from gui.review.window import ReviewWindow

        self.review_window = ReviewWindow()
        self.review_window.show()

    # ---- nodes and cells -----------------------------------------------------
    def show_node(self, kind: str, key: Any) -> None:
        """Show the editor of a tree node."""
        if self.ctx.doc is None or self._replacing:
            return
        self._shown = (kind, key)
        self.ctx.postpone_collection()
        self.commit_pending()
        if kind in (OVERALL_NODE, PROJECT_NODE):
            self._lay_out(self.form_editor)
            if self._fill_later:
                self.form_editor.set_form(key, later=self.after_paint)
            else:  # the grids below the screen sized on the next turn, after the switch's paint
                self.form_editor.set_form(key, size_later=next_turn)
        elif kind == SCORE_NODE:
            self._lay_out(self.score_editor)
            self.score_editor.set_form(key)
        elif kind in (SUMMARY_NODE, ANALYSIS_NODE):
            self.submission.show(kind)
        elif kind == BASIC_NODE:
            self.basic_editor.refresh()
            self.editors.setCurrentWidget(self.basic_editor)
        elif kind in (NARRATIVE_NODE, SECTION_NODE):
            self.narrative_editor.set_section(key if kind == SECTION_NODE else 0)
            self.editors.setCurrentWidget(self.narrative_editor)
        else:
            self.report_editor.refresh()
            self.editors.setCurrentWidget(self.report_editor)
        self.update_status()

    def _lay_out(self, editor: QWidget) -> None:
        """Show ``editor`` and give it its size before it is filled: a page hidden until now still has
        a new widget's size, and its grids' columns and rows were fitted to that (then fitted again
        once laid out, the columns visibly changing after the first paint)."""
        if self.editors.currentWidget() is not editor:
            self.editors.setCurrentWidget(editor)
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def current_form(self) -> int | None:
        """Return the uid of the form being edited, or None."""
        kind, key = self.tree.current_node()
        return key if kind in (OVERALL_NODE, PROJECT_NODE, SCORE_NODE) else None

    def show_cell(self, uid: Any, table: str, row: Any, column: Any) -> None:
        """Switch to the node that holds a cell and select it."""
        if self.ctx.doc is None:
            return
        kind, key = node_for_problem(self.ctx, (uid, table, row, column))
        if self.tree.current_node() != (kind, key):
            self.tree.select_node(kind, key)
        if kind in (OVERALL_NODE, PROJECT_NODE):
            self.form_editor.select_cell(table, row, column)
        elif kind == SCORE_NODE:
            self.score_editor.select_cell(table, row, column)
        elif kind == BASIC_NODE:
            self.basic_editor.select_cell(row, column)

    # ---- status, undo --------------------------------------------------------
    def update_status(self) -> None:
        counts = self.ctx.problem_index.counts
        if self.ctx.checking:
            set_status_text(self.counts_label, "正在检查…")
        else:
            set_status_text(
                self.counts_label, f"错误 {counts['error']}　警告 {counts['warning']}　提示 {counts['info']}"
            )
        uid = self.current_form()
        score = None
        if uid is not None and self.ctx.doc is not None:
            try:
                score = self.ctx.summary(uid)
            except Exception:  # noqa: BLE001 - a score that cannot be computed is shown as blank
                score = None
        total = getattr(score, "total", None)
        grade = getattr(score, "grade", "")
        if uid is not None and self._form_is_blank(uid):
            total, grade, score = "—", "尚未填写完成值", None
        text = (
            f"本表得分 {total}（{grade}）"
            if total is not None and grade
            else f"本表得分 {total}"
            if total is not None
            else ""
        )
        warning = getattr(score, "warning", None)
        if warning in WARNING_WORDS:
            word, colour = WARNING_WORDS[warning]
            text = f'{text}　<span style="color:{colour}">●&nbsp;{word}</span>'
        set_status_text(self.score_label, text)
        self.score_label.setToolTip(getattr(score, "warning_why", "") or "")

    def undo(self) -> None:
        self.commit_pending()
        self.ctx.undo_stack.undo()

    def _show_step(self, message: str, changes: list[Any]) -> None:
        """After an undo or redo: say what it was and show the cells it changed."""
        self.statusBar().showMessage(message, 10000)
        target = next((c for c in changes if c.form is not None and self._form_exists(c.form)), None)
        basic = next((c for c in changes if c.table == Table.BASIC_DATA and c.rows and c.columns), None)
        if target is None and basic is not None and self.ctx.doc is not None:
            self.show_cell(None, basic.table, basic.rows[0], basic.columns[0])
        if target is None or self.ctx.doc is None:
            return
        rows = tuple(target.rows) if not target.structural else tuple(target.rows[:1])
        if target.table == "forms" or target.table not in (FUNDS, GOALS, INDICATORS, SCORE_SHEET):
            table = "header" if target.table == "header" else target.table
            self.show_cell(target.form, table, None, target.columns[0] if target.columns else None)
            return
        same = [c for c in changes if c.form == target.form and c.table == target.table and not c.structural]
        rows = tuple(sorted({r for c in same for r in c.rows})) or rows
        columns = tuple(dict.fromkeys(k for c in same for k in c.columns))
        self.show_cell(target.form, target.table, rows[0] if rows else 0, columns[0] if columns else None)
        kind, _ = self.tree.current_node()
        editor = self.score_editor if kind == SCORE_NODE else self.form_editor
        if rows:
            editor.select_cells(target.table, rows, columns)

    def _form_is_blank(self, uid: int) -> bool:
        """Return True for a form with no actual value and no spending yet: it has no score to show."""
        doc = self.ctx.doc
        if doc is None or not self._form_exists(uid):
            return False
        form = doc.form(uid)
        return not any(i.actual.strip() for i in form.indicators) and not any(
            f.executed.strip() for f in form.funds
        )

    def _form_exists(self, uid: int) -> bool:
        doc = self.ctx.doc
        return doc is not None and doc.report.has_form(uid)

    def redo(self) -> None:
        self.ctx.undo_stack.redo()

    def check_all(self) -> None:
        """Re-check the whole report and show the problem list."""
        self.ctx.recheck_all()
        self.problems.show()
        self.problems.raise_()
        self.statusBar().showMessage("检查完成：" + self.counts_label.text(), 5000)

    def after_first_paint(self, step: Callable[[], object]) -> None:
        """Run ``step`` on the turn of the event loop after the window first paints (at once when it
        already has): the shell shows before the report is read and the grids are filled."""
        if self._painted:
            step()
        else:
            self._after_paint.append(step)

    def after_paint(self, step: Callable[[], object]) -> None:
        """Run ``step`` on the turn of the event loop after the window next paints (what was just
        changed is on screen first); a paint is asked for."""
        if not self.isVisible():
            QTimer.singleShot(0, step)  # nothing will paint
            return
        self._after_paint.append(step)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self._painted = True
        if self._after_paint:
            steps, self._after_paint = self._after_paint, []
            for step in steps:
                QTimer.singleShot(0, step)

    def showEvent(self, event: QShowEvent) -> None:
        """Give the problem list a modest height the first time (a 768-pixel screen needs the room)."""
        super().showEvent(event)
        if not self.property("docks_sized"):
            self.setProperty("docks_sized", True)
            QTimer.singleShot(0, self._size_panes)

    def _size_panes(self) -> None:
        """Problem list: six rows at 1366×768, five in a lower window (1024×700, or 1366×768 at 150 %:
        one line a row, the filters in the title bar); a slimmer tree when narrow."""
        rows = 6 if self.height() >= 740 else 5
        line = self.problems.view.verticalHeader().defaultSectionSize()
        chrome = self.problems.height() - self.problems.view.viewport().height()  # title, filters
        height = max(chrome, 60) + rows * line + 6
        self.resizeDocks([self.problems], [height], Qt.Orientation.Vertical)
        tree = max(170, min(250, self.width() // 5))  # a narrow (or 150 %-scaled) screen: a slimmer tree
        self.splitter.setSizes([tree, max(self.width() - tree, 400)])

    def closeEvent(self, event: QCloseEvent) -> None:
        """Write what is being typed, then close: every other edit is already in the file.

        Asks only when a cell refuses the text being typed (it would be lost).
        """
        from PySide6.QtWidgets import QMessageBox

        failures = self._write_failures
        why = self.commit_pending()
        self.ctx.settle()  # the last edit's COMMIT done, or taken back and said
        if self._write_failures != failures:
            event.ignore()  # an edit was taken back: the window stays while its message shows
            return
        if why is not None:
            answer = QMessageBox.question(
                self,
                "关闭窗口",
                f"正在编辑的单元格内容无法保存：{why}\n\n仍要关闭吗？（该单元格的修改将丢失）",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if self.ctx.doc is not None:
            doc = self.ctx.doc
            self.ctx.set_document(None)
            doc.close()
        event.accept()
