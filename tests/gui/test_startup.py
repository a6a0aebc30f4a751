"""Issue 15, first paint: the window starts as main.py starts it, shows the report before checking
it, takes its backup once it shows, and needs none of the exports, dialogs or sqlite_utils for that."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtWidgets import QApplication, QStyle, QToolBar

import main
from core.storage import db as storage
from gui.app import setup_app
from gui.main_window import MainWindow
from gui.navigation import OVERALL_NODE

ROOT = Path(__file__).resolve().parents[2]


def _start(qtbot: Any, path: Path | None) -> MainWindow:
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    main.start_window(window, str(path) if path is not None else None)
    return window


def test_the_report_shows_first_then_is_checked_and_backed_up(qtbot: Any, seed_zpdb: Any) -> None:
    path = seed_zpdb("seed004_yiyang")
    window = _start(qtbot, path)
    qtbot.waitUntil(lambda: window.ctx.doc is not None, timeout=10000)
    assert window.tree.current_node()[0] == OVERALL_NODE
    assert window.editors.currentWidget() is window.form_editor
    qtbot.waitUntil(lambda: not window.ctx.checking, timeout=10000)
    assert window.ctx.checker is not None and window.ctx.checker.complete
    counts = window.ctx.problem_index.counts
    assert window.counts_label.text() == (
        f"错误 {counts['error']}　警告 {counts['warning']}　提示 {counts['info']}"
    )
    qtbot.waitUntil(lambda: len(storage.backups_of(path)) == 1, timeout=10000)


def test_the_toolbar_icons_come_after_the_first_paint_in_the_space_kept_for_them(
    qtbot: Any, seed_zpdb: Any
) -> None:
    """The standard icons are set on the turn after the report paints (QStyle is not needed for the
    first paint); the blank icons before them take the same room: no button moves when they come."""
    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert window.actions_.icons_pending
    before = {a.objectName(): toolbar.widgetForAction(a).sizeHint() for a in toolbar.actions() if a.text()}
    qtbot.waitUntil(lambda: not window.actions_.icons_pending, timeout=10000)
    assert window.ctx.doc is not None
    after = {a.objectName(): toolbar.widgetForAction(a).sizeHint() for a in toolbar.actions() if a.text()}
    assert after == before
    style_icon = window.style().standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton)
    assert window.actions_.open.icon().cacheKey() != 0
    assert window.actions_.open.icon().pixmap(16).toImage() == style_icon.pixmap(16).toImage()


def test_an_edit_before_the_check_is_checked(qtbot: Any, seed_zpdb: Any) -> None:
    """Typing in the moment before the first check: the check that follows sees the edit."""
    path = seed_zpdb("seed004_yiyang")
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.files.open_path(path, check_later=True)
    assert window.ctx.checking and window.ctx.checker is None
    doc = window.ctx.doc
    uid = doc.report.projects[0].uid
    doc.set_cell(uid, "indicators", 0, "target", "")  # an indicator without a target
    assert storage.backups_of(path)  # the write took the backup of the file as opened first
    qtbot.waitUntil(lambda: not window.ctx.checking, timeout=10000)
    from core.rules import Checker

    fresh = Checker(doc.report, doc.template)
    assert sorted(map(repr, window.ctx.checker.problems)) == sorted(map(repr, fresh.problems))
    assert any(p.form_uid == uid and p.row == 0 for p in fresh.problems)


def test_a_project_not_yet_read_shows_its_rows_and_keeps_an_edit(qtbot: Any, tmp_path: Path) -> None:
    """The window reads a form's rows when it is first shown or checked (issue 15: open 1,000 projects):
    a project clicked before the check reached it shows its own rows, and what is typed there is saved."""
    from core.model import Indicator
    from core.report import Document, new_report
    from tests.gui.window_helpers import cell_text, grid, pick_project, type_into_cell

    path = tmp_path / "六十个项目.zpdb"
    report = new_report("hunan-yiyang", 2023, "测试部", [f"项目{p}" for p in range(60)])
    report.projects[-1].indicators = [
        Indicator("产出指标", "数量指标", f"培训人数{i}", f"≥{i}人", "", "10", "") for i in range(3)
    ]
    Document.create(path, report).close()
    expected = Document.open(path, read_only=True)
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.files.open_path(path, check_later=True)
    doc = window.ctx.doc
    last = doc.report.projects[-1]
    assert last.rows_pending  # only the headers (and the forms shown first) were read
    pick_project(window, last.name)
    view = grid(window, "indicatorGrid")
    rows = expected.form(last.uid).indicators
    assert view.model().rowCount() >= len(rows)
    assert [cell_text(view, r, "level3") for r in range(len(rows))] == [i.level3 for i in rows]
    type_into_cell(qtbot, view, 0, "actual", "98%")
    assert cell_text(view, 0, "actual") == "98%"
    qtbot.waitUntil(lambda: not window.ctx.checking, timeout=10000)
    expected.close()
    window.set_document(None)
    again = Document.open(path, read_only=True)
    try:
        assert again.form(last.uid).indicators[0].actual == "98%"
    finally:
        again.close()


# A fresh process as main.py starts it (main.prepare_start, create_app, MainWindow); a test's script
# goes between START and RUN: its class Spy (an event filter) watches the window while it starts.
START = """
import os, sys
import main
main.prepare_start()
from PySide6.QtCore import QEvent, QObject, QTimer
from gui.app import create_app
from gui.main_window import MainWindow
app = create_app(sys.argv[:1])
window = MainWindow()
seen = []"""
RUN = """
spy = Spy()
window.installEventFilter(spy)
main.start_window(window, None)
QTimer.singleShot(20000, app.quit)
app.exec()"""


def run_start(script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh offscreen process with the test's private ZIPING_DATA_DIR."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


def test_first_paint_needs_no_export_dialog_or_sqlite_utils() -> None:
    """A fresh process as main.py starts it, with the sample: what is imported when the report paints.
    (The very first start also creates the sample's file, which needs sqlite_utils; made here first.)"""
    from gui.files import ensure_sample

    ensure_sample()
    script = (
        START
        + """
class Spy(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and window.ctx.doc is not None and not seen:
            import PySide6.QtWidgets
            names = ("QStyle", "QWizard", "QMessageBox", "QFileDialog")
            made = [f"QtWidgets.{name}" for name in names if name in vars(PySide6.QtWidgets)]
            seen.append(sorted(sys.modules) + made)
            QTimer.singleShot(1000, app.quit)
        return False
"""
        + RUN
        + """
import gc
print(gc.isenabled(), gc.get_freeze_count() > 0)
print("|".join(seen[0]) if seen else "NOT PAINTED")
"""
    )
    out = run_start(script)
    assert out.returncode == 0, out.stderr
    *_, collector, names = out.stdout.strip().splitlines()
    assert collector == "True True"  # back on once the report painted, the start's objects frozen
    modules = set(names.split("|"))
    assert "gui.main_window" in modules and "core.report" in modules
    for heavy in (
        "sqlite_utils",
        "openpyxl",
        "docx",
        "xlsxwriter",
        "core.export.docx",
        "core.export.xlsx",
        "core.importers",
        "core.rules",
        "gui.dialogs.export",
        "gui.dialogs.new_report",
        "gui.editors.narrative",
        "gui.editors.basic_data",
        "QtWidgets.QStyle",  # the toolbar's standard icons come on the next turn (12 ms of enums)
        # made when PySide sees a viewport Qt made (it looks for the most derived of every widget
        # class, making each with its enums: 20–30 ms); the views' viewports are made in Python
        "QtWidgets.QWizard",
        "QtWidgets.QMessageBox",  # its class and enums made where a message is shown (3–4 ms)
        "QtWidgets.QFileDialog",
        "hashlib",  # the backup's key, after the paint (loading OpenSSL: 4 ms)
        "secrets",
    ):
        assert heavy not in modules, heavy


def test_the_shell_paints_before_the_form_editor_is_made() -> None:
    """A fresh process as main.py starts it, with the sample: the shell (menus, toolbar, tree, the
    blank page, the problem list) paints with no form editor made and no grid imported; the report
    then shows on the form editor, made for it (issue 15: first paint)."""
    from gui.files import ensure_sample

    ensure_sample()
    script = (
        START
        + """
class Spy(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            if not seen:
                grids = [m for m in sys.modules if m.startswith(("gui.grids", "gui.editors"))]
                blank = window.editors.currentWidget() is window.blank
                pages = window.editors.count()  # the blank page only
                seen.append(f"{pages} {blank} {','.join(sorted(grids)) or '-'}")
            elif window.ctx.doc is not None and len(seen) == 1:
                editor = window.form_editor
                shown = window.editors.currentWidget() is editor and editor.isVisible()
                rows = editor._made["funds"].view.model().rowCount()
                seen.append(f"{shown} {rows > 0} {window.editors.indexOf(editor) > 0}")
                QTimer.singleShot(0, app.quit)
        return False
"""
        + RUN
        + """
print("|".join(seen))
"""
    )
    out = run_start(script)
    assert out.returncode == 0, out.stderr
    shell, report = out.stdout.strip().splitlines()[-1].split("|")
    assert shell == "1 True -"  # no form editor (the blank page only, shown), no grid or editor module
    assert report == "True True True"  # the form editor made, shown, filled


def test_the_form_editor_is_made_once_when_first_needed(qtbot: Any, seed_zpdb: Any) -> None:
    """The form editor is made the first time the window needs it (a form shown, a cell to show,
    what is typed to commit), once; a window that never showed a form commits and closes without it."""
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window._form_editor is None
    assert window.commit_pending() is None
    assert window._form_editor is None
    assert window.files.open_path(seed_zpdb("seed004_yiyang"))
    editor = window.form_editor
    assert window._form_editor is editor and window.form_editor is editor
    assert window.editors.currentWidget() is editor
    assert [window.editors.widget(i) for i in range(window.editors.count())].count(editor) == 1
    editor.message.emit("测试消息")
    assert window.statusBar().currentMessage() == "测试消息"


def test_tab_goes_from_the_tree_into_the_form_then_to_the_problem_list(qtbot: Any, seed_zpdb: Any) -> None:
    """The form editor is made once the shell has painted, after the problem list: Tab still goes
    from the tree into the form (its fields, its grids), then to the problem list's filters, as it
    did when the editor was made with the window."""
    from PySide6.QtCore import Qt

    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    qtbot.waitUntil(lambda: window.ctx.doc is not None, timeout=10000)
    order = []
    tab_keys = (Qt.FocusPolicy.TabFocus, Qt.FocusPolicy.StrongFocus, Qt.FocusPolicy.WheelFocus)
    widget = window.tree.nextInFocusChain()
    while widget is not window.tree:
        if widget.isVisible() and widget.focusPolicy() in tab_keys:
            order.append(widget.objectName() or type(widget).__name__)
        widget = widget.nextInFocusChain()
    fields = ["field_name", "field_supervisor", "field_implementer", "field_execution_weight"]
    assert order[:6] == [*fields, "fundGrid", "goalGrid"], order  # (the page itself: no Tab stop)
    assert order.index("severityFilter") > order.index("goalGrid")
    grids = list(window.form_editor.grids)  # the grids below the screen made too, after the others
    views = ["fundGrid", "goalGrid", "indicatorGrid", "scoreGrid"][: len(grids)]
    chain, widget = [], window.tree.nextInFocusChain()
    while widget is not window.tree:
        if widget.objectName() in (*views, "severityFilter"):
            chain.append(widget.objectName())
        widget = widget.nextInFocusChain()
    assert chain == [*views, "severityFilter"]  # Ctrl+Tab from a grid: the next grid, then the problems
    window.activateWindow()  # keys reach only the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.tree.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.form_editor.fields["name"]


@pytest.mark.parametrize("kind", ["report", "score", "basic", "narrative", "summary", "analysis"])
def test_tab_goes_from_the_tree_into_a_page_made_on_first_use(qtbot: Any, seed_zpdb: Any, kind: str) -> None:
    """The other pages are made the first time their node is shown, after the problem list too: Tab
    from the tree goes into the page shown (its fields, texts, grids) before the problem list, whose
    table keeps Tab (the page was out of the keyboard's reach)."""
    from PySide6.QtCore import Qt

    window = _start(qtbot, seed_zpdb("seed001_guangyuan" if kind == "score" else "seed004_yiyang"))
    qtbot.waitUntil(lambda: window.ctx.doc is not None, timeout=10000)
    scored = [f.uid for f in window.ctx.open_doc.report.forms if f.score_sheet]  # (guangyuan's have)
    assert window.tree.select_node(kind, scored[0] if kind == "score" else None)
    page = window.editors.currentWidget()
    assert page is not window.form_editor and page is not window.blank
    tab_keys = (Qt.FocusPolicy.TabFocus, Qt.FocusPolicy.StrongFocus, Qt.FocusPolicy.WheelFocus)
    order = []
    widget = window.tree.nextInFocusChain()
    while widget is not window.tree:
        if widget.isVisible() and widget.focusPolicy() in tab_keys:
            order.append(widget is page or page.isAncestorOf(widget))
        widget = widget.nextInFocusChain()
    assert order[0] and True in order
    assert order == sorted(order, reverse=True), order  # the page's widgets first, none after the others


@pytest.mark.parametrize("kind", ["narrative", "analysis"])
def test_tab_in_a_report_text_goes_on_and_types_nothing(qtbot: Any, seed_zpdb: Any, kind: str) -> None:
    """Tab from the tree into 自评报告's text (or 汇总分析's first section), then Tab again: the focus
    goes on to the next widget, as in the app's other text boxes; no "\\t" is typed into the report."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPlainTextEdit

    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    qtbot.waitUntil(lambda: window.ctx.doc is not None, timeout=10000)
    assert window.tree.select_node(kind, None)
    page = window.editors.currentWidget()
    window.activateWindow()  # keys reach only the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Tab)
    if not isinstance(QApplication.focusWidget(), QPlainTextEdit):  # 汇总分析: its page first
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    text = QApplication.focusWidget()
    assert isinstance(text, QPlainTextEdit) and page.isAncestorOf(text)
    before = text.toPlainText()
    qtbot.keyClick(text, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not text
    assert text.toPlainText() == before and "\t" not in before


def _sizes(window: MainWindow) -> dict[str, tuple[list[int], list[int], int]]:
    out = {}
    for table, grid in window.form_editor.grids.items():
        view, count = grid.view, grid.model.columnCount()
        rows = [view.rowHeight(r) for r in range(grid.model.rowCount())]
        out[table] = ([view.columnWidth(c) for c in range(count)], rows, grid.height())
    return out


def _sizes_at_first_paint(qtbot: Any, window: MainWindow) -> tuple[dict[str, Any], dict[str, Any]]:
    """The grids' sizes when the window first paints with the report, and one turn later."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    seen: list[dict[str, Any]] = []

    class Spy(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and window.ctx.doc is not None and not seen:
                seen.append(_sizes(window))
                QTimer.singleShot(0, lambda: QTimer.singleShot(0, lambda: seen.append(_sizes(window))))
            return False

    spy = Spy()
    window.installEventFilter(spy)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10000)
    window.removeEventFilter(spy)
    return seen[0], seen[1]


def test_the_first_paint_shows_the_columns_and_rows_as_they_stay(qtbot: Any, seed_zpdb: Any) -> None:
    """The page is laid out before its grids are filled: the columns and rows of the first paint with
    the report are those of the settled window (they were fitted to a hidden page's default size,
    then fitted again 50 ms after the paint, the columns visibly moving). A grid below the screen is
    filled on the turn after the paint, out of sight, once: with the columns and rows it keeps."""
    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    painted, next_turn = _sizes_at_first_paint(qtbot, window)
    qtbot.wait(300)
    settled = _sizes(window)
    assert next_turn == settled
    editor = window.form_editor
    bottom = editor.verticalScrollBar().value() + editor.viewport().height()
    on_screen = [t for t, g in editor.grids.items() if g.isVisible() and g.y() < bottom]
    assert "funds" in on_screen
    for table in on_screen:
        assert painted[table] == settled[table], table
    for table in set(settled) - set(on_screen):
        assert painted[table][:2] == ([], []), table  # below the screen: empty until the next turn
    rows = settled["indicators"][1]
    assert max(rows) > min(rows)  # sized to their text (one line each before)
    goals = window.form_editor.grids["goals"].view
    assert sum(goals.columnWidth(c) for c in range(2)) <= goals.viewport().width()  # no scrolling sideways


def test_a_project_shown_before_the_grids_below_the_screen_are_sized_keeps_its_own_rows(
    qtbot: Any, seed_zpdb: Any
) -> None:
    """Clicking a project in the moment between the first paint and the sizing of the grids below
    the screen: the project's rows are sized for it, and the late sizing of the other form's grids
    changes nothing."""
    from gui.navigation import PROJECT_NODE

    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    qtbot.waitUntil(lambda: window.ctx.doc is not None, timeout=10000)
    uid = window.ctx.open_doc.report.projects[-1].uid
    window.tree.select_node(PROJECT_NODE, uid)  # before the turn that sizes the overall form's rows
    shown = _sizes(window)
    qtbot.wait(300)
    assert window.form_editor.uid == uid
    assert _sizes(window) == shown
    grid = window.form_editor.grids["indicators"]
    grid.view.fit_rows()
    assert _sizes(window)["indicators"][1] == shown["indicators"][1]


def test_the_program_icon_has_its_drawn_sizes_first_and_its_svg_after_the_paint(
    qtbot: Any, seed_zpdb: Any
) -> None:
    """The SVG (QtSvg and its icon plugin, 3–5 ms) comes on the turn after the report paints; the
    drawn sizes are there from the start."""
    from gui.app import app_icon

    app = QApplication.instance()
    app.setProperty("ziping_icon", None)
    app.setWindowIcon(app_icon(scalable=False))
    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    assert sorted(s.width() for s in app.windowIcon().availableSizes()) == [16, 32, 48, 256]
    qtbot.waitUntil(lambda: app.property("ziping_icon") == "whole", timeout=10000)
    assert window.ctx.doc is not None
    whole = app_icon()
    assert app.windowIcon().pixmap(24).toImage() == whole.pixmap(24).toImage()


def test_a_window_tall_enough_paints_every_grid_of_the_form_filled(qtbot: Any, seed_zpdb: Any) -> None:
    """The grids below the first screen are made and filled after the first paint; in a window tall
    enough to show them (a portrait screen) they are made and filled before it."""
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1200, 2600)
    window.show()
    qtbot.waitExposed(window)
    window.files.open_path(seed_zpdb("seed004_yiyang"), check_later=True)  # as the start opens it
    painted, _ = _sizes_at_first_paint(qtbot, window)
    editor = window.form_editor
    shown = [t for t, g in editor.grids.items() if g.isVisible()]
    assert "indicators" in shown
    bottom = editor.verticalScrollBar().value() + editor.viewport().height()
    assert all(editor.grids[t].y() < bottom for t in shown)  # all on screen
    for table in shown:
        assert painted[table][1], table  # its rows were there at the first paint


def test_a_data_folder_that_cannot_be_made_does_not_stop_the_start(tmp_path: Path) -> None:
    """The caches of the start live in the data folder; when it cannot be made (a file where it
    should be, a profile that is not writable) the window still starts, compiling as Python does."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    script = """
import main
main.prepare_start()
import gui.main_window
main.save_kept()
print("started")
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ZIPING_DATA_DIR": str(blocker / "data")}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("started")
