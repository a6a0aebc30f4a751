"""An edit's COMMIT runs on a writer thread (core/storage/db.py): what the user sees and what the file
holds stay one, when the disk refuses a commit after the edit showed, and when the program is killed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtWidgets import QMessageBox

from core.report import Document
from core.schema import IND, Table, column
from core.storage import database
from core.storage import repository as repo
from tests.gui.test_incremental import assert_panels_match_checker
from tests.gui.window_helpers import cell_text, grid, make_window, pick_project, type_into_cell

ROOT = Path(__file__).resolve().parents[2]
ACTUAL = column(Table.INDICATORS, IND.actual).storage


def on_disk(path: Path, form_name: str, row: int) -> str:
    """The 实际完成值 of a row as the file holds it, read by a connection of its own."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = conn.execute(
            f"SELECT i.{ACTUAL} FROM {repo.TABLES[Table.INDICATORS]} i JOIN forms f ON f.id = i.form_id "
            "WHERE f.name = ? AND i.position = ?",
            [form_name, row],
        ).fetchone()
    finally:
        conn.close()
    return str(found[0] or "")


@pytest.fixture
def failing(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], None]]:
    """``failing(True)``: every COMMIT from now on fails as a full or pulled-out disk makes it fail."""
    real = database.commit
    state = {"on": False}

    def commit(conn: sqlite3.Connection) -> None:
        if state["on"]:
            raise sqlite3.OperationalError("disk I/O error")
        real(conn)

    monkeypatch.setattr(database, "commit", commit)
    yield lambda on: state.__setitem__("on", on)


def boxes(window: Any) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_a_commit_the_disk_refuses_takes_the_edit_back_in_cell_list_and_undo(
    qtbot: Any, seed_zpdb: Callable[[str], Path], failing: Callable[[bool], None]
) -> None:
    path = seed_zpdb("seed004_yiyang")
    window = make_window(qtbot, path)
    doc = window.ctx.open_doc
    name = doc.report.projects[0].name
    pick_project(window, name)
    view = grid(window, "indicatorGrid")
    before = cell_text(view, 1, IND.actual)
    type_into_cell(qtbot, view, 0, IND.actual, "11人")  # committed
    assert window.ctx.settle() == ""
    failing(True)
    type_into_cell(qtbot, view, 1, IND.actual, "22人")  # shown at once; its COMMIT then fails
    qtbot.waitUntil(lambda: bool(boxes(window)), timeout=5000)
    text = boxes(window)[0]
    assert "没有保存" in text and "已撤回：编辑单元格" in text and "Traceback" not in text
    assert "没有保存" in window.statusBar().currentMessage()
    # the cell, the model and the undo stack are back where the file is
    assert cell_text(view, 1, IND.actual) == before
    assert doc.form(doc.report.projects[0].uid).indicators[1].actual == before
    assert window.ctx.undo_stack.count() == 1 and window.ctx.undo_stack.index() == 1
    assert_panels_match_checker(window, qtbot)  # the problem list, the grids' flags, the tree, counts
    # the one undo step left undoes the edit that did reach the file
    failing(False)
    window.ctx.undo_stack.undo()
    assert window.ctx.settle() == ""
    assert cell_text(view, 0, IND.actual) != "11人"
    window.ctx.undo_stack.redo()
    window.close()
    assert window.ctx.doc is None
    assert on_disk(path, name, 0) == "11人"
    assert on_disk(path, name, 1) == before


def test_an_undo_whose_commit_fails_stays_undoable(
    qtbot: Any, seed_zpdb: Callable[[str], Path], failing: Callable[[bool], None]
) -> None:
    path = seed_zpdb("seed004_yiyang")
    window = make_window(qtbot, path)
    name = window.ctx.open_doc.report.projects[0].name
    pick_project(window, name)
    view = grid(window, "indicatorGrid")
    type_into_cell(qtbot, view, 0, IND.actual, "33人")
    assert window.ctx.settle() == ""
    failing(True)
    window.undo()  # shows the old value; the disk refuses it
    qtbot.waitUntil(lambda: bool(boxes(window)), timeout=5000)
    assert cell_text(view, 0, IND.actual) == "33人"
    stack = window.ctx.undo_stack
    assert (stack.count(), stack.index(), stack.undoText()) == (1, 1, "编辑单元格")
    failing(False)
    window.undo()
    assert window.ctx.settle() == ""
    assert cell_text(view, 0, IND.actual) != "33人"
    old = cell_text(view, 0, IND.actual)
    window.close()
    assert on_disk(path, name, 0) == old


def test_a_copy_and_a_closed_file_hold_the_last_edit(qtbot: Any, seed_zpdb: Callable[[str], Path]) -> None:
    """另存为 and closing wait for the COMMIT under way: the copy and the file are complete."""
    path = seed_zpdb("seed004_yiyang")
    window = make_window(qtbot, path)
    name = window.ctx.open_doc.report.projects[0].name
    pick_project(window, name)
    type_into_cell(qtbot, grid(window, "indicatorGrid"), 2, IND.actual, "44人")
    copy = path.with_name("copy.zpdb")
    assert window.files.save_as(copy)  # and continues in the copy, letting the first file go
    assert on_disk(path, name, 2) == "44人"
    pick_project(window, name)
    type_into_cell(qtbot, grid(window, "indicatorGrid"), 3, IND.actual, "55人")
    window.close()
    assert (on_disk(copy, name, 2), on_disk(copy, name, 3)) == ("44人", "55人")


KILLED = """
import os, signal, sys
sys.path.insert(0, {root!r})
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from core.report import Document
from gui.commands import SetCellsCommand, push
from gui.context import AppContext

app = QApplication([])
doc = Document.open({path!r})
ctx = AppContext(doc)
uid = doc.report.projects[0].uid
for k in range(8):
    push(ctx.undo_stack, SetCellsCommand(doc, [(uid, "indicators", k, {actual!r}, f"{{k}}号")]))
    print("EDITED", k, flush=True)
os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))  # right after the last edit returned
"""


@pytest.mark.parametrize("attempt", range(3))
def test_killed_right_after_an_edit_loses_at_most_that_edit(
    seed_zpdb: Callable[[str], Path], tmp_path: Path, attempt: int
) -> None:
    path = seed_zpdb("seed004_yiyang")
    first = Document.open(path, backup=False)
    try:
        last_before = first.report.projects[0].indicators[7].actual
    finally:
        first.close()
    script = tmp_path / "edit_and_die.py"
    script.write_text(textwrap.dedent(KILLED.format(root=str(ROOT), path=str(path), actual=IND.actual)))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode != 0 and done.stdout.count("EDITED") == 8, done.stderr
    doc = Document.open(path)  # opens cleanly: a hot journal left by the kill is rolled back
    try:
        values = [row.actual for row in doc.report.projects[0].indicators[:8]]
    finally:
        doc.close()
    assert values[:7] == [f"{k}号" for k in range(7)]  # every edit before the last is in the file
    assert values[7] in ("7号", last_before)  # the last: in the file, or not at all
