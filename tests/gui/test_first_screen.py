"""Issue 15, first paint: what the window does between its shell's paint and the report's is done once,
and what it leaves out or puts off is there when the user reaches it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QApplication

import main
from core.storage import db as storage
from gui.app import setup_app
from gui.main_window import MainWindow
from gui.navigation import NavModel


def _start(qtbot: Any, path: Any) -> MainWindow:
    """The window as ``main.start_window`` shows it: the shell, then the report on the next turn."""
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    main.start_window(window, str(path))
    qtbot.waitUntil(lambda: window.ctx.doc is not None, timeout=10000)
    return window


def _looks(model: NavModel) -> dict[str, tuple[int, str]]:
    """Every node's badge and tooltip, by its text."""
    return {item.text(): (item.icon().cacheKey(), item.toolTip()) for item in model.items()}


def test_opening_a_report_marks_each_tree_node_once_and_the_check_marks_them(
    qtbot: Any, seed_zpdb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tree is rebuilt on ``document_replaced`` and told the problems just after (a report opened
    sends both): the second, of the same empty problems, changes nothing and paints no node again."""
    painted: list[str] = []
    paint = NavModel._paint

    def counted(self: NavModel, item: QStandardItem) -> None:
        painted.append(item.text())
        paint(self, item)

    monkeypatch.setattr(NavModel, "_paint", counted)
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.files.open_path(seed_zpdb("seed004_yiyang"), check_later=True)  # as the start opens it
    nodes = [item.text() for item in window.tree.nav_model.items()]
    assert sorted(painted) == sorted(nodes), "a node was marked twice (or not at all) on opening"
    # … and once checked, each node shows what a full pass over the checked report shows
    qtbot.waitUntil(lambda: not window.ctx.checking, timeout=10000)
    model = window.tree.nav_model
    qtbot.waitUntil(lambda: not model._unscored, timeout=10000)  # every 自评预警 worked out
    shown = _looks(model)
    model.update_badges(everything=True)
    qtbot.waitUntil(lambda: not model._unscored, timeout=10000)
    assert shown == _looks(model)
    assert any(key for key, _tip in shown.values()), "the seed's errors show no badge"


def test_her_last_report_is_judged_without_comparing_its_schema_again(
    qtbot: Any, seed_zpdb: Any, _private_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window remembers the shapes of the files it found right (in its data folder's cache/): at
    the next start her report opens without its schema compared object by object."""
    path = seed_zpdb("seed004_yiyang")
    window = _start(qtbot, path)
    kept = _private_data_dir / "cache" / storage.SHAPES_SEEN
    assert len(kept.read_text(encoding="utf-8").splitlines()) == 1
    window.close()
    monkeypatch.setattr(storage, "_seen", None)  # as a new process reads it
    monkeypatch.setattr(storage, "read_schema", lambda conn: pytest.fail("compared again"))
    again = _start(qtbot, path)
    assert again.ctx.open_doc.report.forms


def test_the_trees_warnings_are_worked_out_after_the_reports_paint(qtbot: Any, seed_zpdb: Any) -> None:
    """The 自评预警 of a report the start opened are worked out with its check, from the turn after
    the report painted (not on that turn, between the paint and the window's next turn); then every
    form node shows its warning as a full pass over the report shows it."""
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    model = window.tree.nav_model
    seen: dict[str, tuple[int, int]] = {}

    class Spy(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and window.ctx.doc is not None and not seen:
                forms = len(window.ctx.open_doc.report.forms)
                seen["paint"] = (len(model._unscored), forms)
                QTimer.singleShot(0, lambda: seen.setdefault("turn after", (len(model._unscored), forms)))
            return False

    spy = Spy()
    window.installEventFilter(spy)
    main.start_window(window, str(seed_zpdb("seed004_yiyang")))
    qtbot.waitUntil(lambda: "turn after" in seen, timeout=10000)
    left, forms = seen["turn after"]
    assert left == forms, "自评预警 worked out on the report's paint's own turn"
    qtbot.waitUntil(lambda: not model._unscored and not window.ctx.checking, timeout=10000)
    shown = _looks(model)
    model.update_badges(everything=True)
    qtbot.waitUntil(lambda: not model._unscored, timeout=10000)
    assert shown == _looks(model)


START = """
import sys
import main
main.prepare_start()
from PySide6.QtCore import QEvent, QObject, QTimer
from gui.app import create_app
from gui.main_window import MainWindow
app = create_app(sys.argv[:1])
window = MainWindow()
seen = []
def grids_modules():
    return sorted(name for name in sys.modules if name.startswith("gui.grids."))
class Spy(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and window.ctx.doc is not None and not seen:
            seen.append(grids_modules())
            def later():
                from gui.grids.delegates import CELL_IMAGES
                if not CELL_IMAGES.on:
                    QTimer.singleShot(10, later)
                    return
                seen.append(grids_modules())
                app.quit()
            QTimer.singleShot(0, later)
        return False
spy = Spy()
window.installEventFilter(spy)
main.start_window(window, sys.argv[1])
QTimer.singleShot(20000, app.quit)
app.exec()
print("|".join(seen[0]) if seen else "NOT PAINTED")
print("|".join(seen[1]) if len(seen) > 1 else "NO CELL IMAGES")
"""


def test_the_grids_paint_from_python_and_copy_paste_modules_come_after_the_first_paint(
    seed_zpdb: Any,
) -> None:
    """The report's first paint is Qt's (the cell images start after it): gui/grids/paint.py and
    header.py are imported when they start, clipboard.py and rows.py when a copy, a paste, a row
    command or the context menu needs them (tests/gui/test_clipboard.py, test_commands.py use them)."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}  # the test's private ZIPING_DATA_DIR
    out = subprocess.run(
        [sys.executable, "-c", START, str(seed_zpdb("seed004_yiyang"))],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    *_, at_paint, with_images = out.stdout.strip().splitlines()
    first = set(at_paint.split("|"))
    assert "gui.grids.view" in first and "gui.grids.delegates" in first
    for later in ("gui.grids.paint", "gui.grids.header", "gui.grids.clipboard", "gui.grids.rows"):
        assert later not in first, later
    assert {"gui.grids.paint", "gui.grids.header"} <= set(with_images.split("|"))


def test_the_red_box_of_a_refused_cell_is_made_when_first_needed(qtbot: Any, seed_zpdb: Any) -> None:
    """No grid of the first screen makes its refused-input box (a label with its own style sheet)
    before the paint; a refused cell shows it as before."""
    from PySide6.QtWidgets import QLabel

    window = _start(qtbot, seed_zpdb("seed004_yiyang"))
    grids = window.form_editor.grids
    assert not window.findChildren(QLabel, "cellMessage")
    grid = grids["funds"]
    grid.model.edit_refused.emit("“abc”不是数字", 0, 1)
    message = window.findChild(QLabel, "cellMessage")
    assert message is not None and message.isVisible() and message.text() == "“abc”不是数字"
    grid.hide_cell_message()
    assert not message.isVisible()
