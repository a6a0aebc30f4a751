"""Issue #15, item 12: the window at 1024×700, 1366×768 and Windows scaling, looked at as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from PySide6.QtWidgets import QLabel, QTableView

from tests.gui.window_helpers import grid, make_window, pick_project

SeedFile = Callable[[str], Path]
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("size", [(1024, 700), (1366, 768)])
def test_every_indicator_column_fits_the_window_without_a_sideways_scrollbar(
    qtbot, seed_zpdb: SeedFile, size: tuple[int, int]
) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    window.resize(*size)
    pick_project(window, window.ctx.open_doc.report.projects[0].name)
    view = grid(window, "indicatorGrid")
    qtbot.waitUntil(lambda: view.viewport().width() < size[0])
    qtbot.wait(120)  # the grid fits its columns again after a resize
    last = view.model().columnCount() - 1
    right = view.columnViewportPosition(last) + view.columnWidth(last)
    assert right <= view.viewport().width() + 2, "偏差原因 is cut off"
    assert not view.horizontalScrollBar().isVisible()
    assert view.columnWidth(view.model().column_of("deviation_note")) >= 60


def test_the_problem_list_shows_five_rows_at_1366x768(qtbot, seed_zpdb: SeedFile) -> None:
    window = make_window(qtbot)
    window.resize(1366, 768)
    window.hide()
    window.setProperty("docks_sized", False)
    window.show()
    assert window.files.open_path(seed_zpdb("seed001_guangyuan"))
    view = window.problems.view
    qtbot.waitUntil(lambda: view.model().rowCount() > 5)
    shown = view.rowAt(view.viewport().height() - 1)
    assert shown == -1 or shown >= 4, f"only {shown + 1} rows of problems visible"


def test_after_a_jump_only_one_grid_shows_a_selection(qtbot, seed_zpdb: SeedFile) -> None:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    pick_project(window, "业务工作经费")
    funds = grid(window, "fundGrid")
    funds.setCurrentIndex(funds.model().index(0, 0))
    assert funds.selectionModel().hasSelection()
    window.show_cell(window.tree.current_node()[1], "indicators", 2, "actual")
    selected = [v for v in window.form_editor.findChildren(QTableView) if v.selectionModel().hasSelection()]
    assert [v.objectName() for v in selected] == ["indicatorGrid"]


SHOT = """
import sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from gui.app import create_app
from gui.main_window import MainWindow
app = create_app([])
w = MainWindow()
w.resize(int(sys.argv[2]), int(sys.argv[3]))
w.show()
w.files.open_path(Path(sys.argv[1]))
w.tree.select_node("project", w.ctx.open_doc.report.projects[0].uid)
from PySide6.QtTest import QTest
QTest.qWait(300)
cut = []
for view in w.form_editor.findChildren(__import__("PySide6.QtWidgets").QtWidgets.QTableView):
    if view.isVisible():  # every grid of the form (funds, goals, indicators, its 评分表)
        last = view.model().columnCount() - 1
        right = view.columnViewportPosition(last) + view.columnWidth(last)
        if right > view.viewport().width() + 2 or view.horizontalScrollBar().isVisible():
            cut.append(view.objectName())
        header = view.horizontalHeader()
        metrics = header.fontMetrics()
        for column in range(last + 1):  # every title whole: in lines that fit, in a header tall enough
            title = view.model().headerData(column, Qt.Orientation.Horizontal)
            lines = title.split(chr(10))
            if any(metrics.horizontalAdvance(line) + 8 > view.columnWidth(column) for line in lines):
                cut.append("title " + title)
            if header.height() < len(lines) * metrics.lineSpacing():
                cut.append("header " + title)
problems = w.problems.view
QTest.qWait(100)
shown = problems.rowAt(problems.viewport().height() - 1)
if problems.model().rowCount() > 5 and 0 <= shown < 4:
    cut.append(f"problem list shows {shown + 1} rows")
w.grab().save(sys.argv[4])
if len(sys.argv) > 5:
    w.grab().save(sys.argv[5])
print(not cut, w.width(), w.height(), ",".join(cut))
"""


@pytest.mark.parametrize("scale", ["1.25", "1.5"])
def test_windows_scaling_keeps_every_column_in_view(seed_zpdb: SeedFile, tmp_path: Path, scale: str) -> None:
    """At 125 %/150 % a 1366×768 screen is 1093×614 or 911×512 logical pixels: no grid of the project's form
    (its 评分表 included) loses a column or shows a sideways scrollbar, every column's title shows whole
    (broken into lines where the column is narrower), and the problem list shows five rows."""
    width, height = (1093, 614) if scale == "1.25" else (911, 512)
    png = tmp_path / f"scale{scale}.png"
    env = {**os.environ, "QT_SCALE_FACTOR": scale, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", SHOT, str(seed_zpdb("seed001_guangyuan")), str(width), str(height), str(png)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[0] == "True", out.stdout
    assert png.stat().st_size > 10_000


def test_the_report_page_shows_the_whole_template_description_in_a_low_window(
    qtbot, seed_zpdb: SeedFile
) -> None:
    """911×512 is a 1366×768 screen at 150 %: the page scrolls rather than cut the two-line description."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    window.resize(911, 512)
    assert window.tree.select_node("report")
    label = window.findChild(QLabel, "report_template")
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 100)
    qtbot.wait(50)
    assert label.height() >= label.heightForWidth(label.width()), "the template's description is cut"
    assert label.fontMetrics().lineSpacing() * 2 <= label.heightForWidth(label.width())
