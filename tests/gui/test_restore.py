"""#10 items 4, 8 in the window: 文件 → 从备份恢复…, the damaged-file message offering it, and 另存为
offered when the open report was deleted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.report import Document
from core.storage import backups
from core.storage import db as storage
from gui.dialogs.restore import RestoreDialog
from tests.gui.window_helpers import Messages, make_window

SeedFile = Callable[[str], Path]


def test_restore_dialog_lists_backups_with_projects_and_total(qtbot, seed_zpdb: SeedFile) -> None:
    path = seed_zpdb("seed004_yiyang")
    Document.open(path).close()
    Document.open(path).close()
    dialog = RestoreDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 2).text() == str(len(Document.open(path, read_only=True).report.projects))
    assert dialog.table.item(0, 3).text() not in ("", "—")
    assert "年度" in dialog.preview.toPlainText()
    assert dialog.restore_button.isEnabled()


def test_file_menu_restores_a_backup_and_keeps_the_old_report(
    qtbot, seed_zpdb: SeedFile, monkeypatch
) -> None:
    messages = Messages(monkeypatch)
    path = seed_zpdb("seed004_yiyang")
    window = make_window(qtbot)
    assert window.files.open_path(path)  # takes a backup
    window.ctx.doc.set_report_field("department", "备份之后的改动")
    [info] = backups.list_backups(path)
    monkeypatch.setattr(window.files, "choose_backup", lambda p, reason="": info.path)
    window.actions_.restore.trigger()
    assert window.ctx.doc is not None and window.ctx.doc.report.department != "备份之后的改动"
    kept = [p for p in path.parent.iterdir() if "恢复前" in p.name]
    assert len(kept) == 1
    assert Document.open(kept[0], read_only=True).report.department == "备份之后的改动"
    assert "已从备份恢复" in window.statusBar().currentMessage()
    assert messages.seen == []


def test_a_damaged_report_offers_its_backups(qtbot, seed_zpdb: SeedFile, monkeypatch) -> None:
    messages = Messages(monkeypatch)
    path = seed_zpdb("seed004_yiyang")
    Document.open(path).close()
    path.write_bytes(path.read_bytes()[:6000])
    window = make_window(qtbot)
    offered: list[str] = []

    def choose(p: Path, reason: str = "") -> Path:
        offered.append(reason)
        return backups.list_backups(p)[0].path

    monkeypatch.setattr(window.files, "choose_backup", choose)
    assert window.files.open_path(path)
    assert "从备份恢复" in messages.texts() and offered and "已损坏" in offered[0]
    assert window.ctx.doc is not None and window.ctx.doc.report.projects


def test_an_edit_after_the_report_was_deleted_offers_save_as(
    qtbot, seed_zpdb: SeedFile, tmp_path: Path, monkeypatch
) -> None:
    messages = Messages(monkeypatch)
    path = seed_zpdb("seed004_yiyang")
    window = make_window(qtbot)
    assert window.files.open_path(path)
    saved: list[bool] = []
    monkeypatch.setattr(window.files, "save_as", lambda target=None: saved.append(True) or True)
    path.unlink()
    from gui.form_commands import SetReportFieldCommand, run

    error = run(window.ctx.undo_stack, SetReportFieldCommand(window.ctx.doc, "department", "丢失的改动"))
    assert error is not None and "另存为" in error
    qtbot.waitUntil(lambda: bool(saved), timeout=3000)
    assert "另存为" in messages.texts()
    assert storage.FileGoneError


def test_a_file_holding_a_27_digit_amount_opens_in_the_window_and_flags_the_cell(
    qtbot, seed_zpdb: SeedFile, monkeypatch
) -> None:
    import sqlite3

    messages = Messages(monkeypatch)
    path = seed_zpdb("seed004_yiyang")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE indicators SET weight = ? WHERE position = 0", ["1" * 27])
    conn.commit()
    conn.close()
    window = make_window(qtbot)
    assert window.files.open_path(path)
    flagged = [p for p in window.ctx.checker.problems if p.rule == "V18"]
    assert flagged and all(p.table == "indicators" and p.column == "weight" and p.row == 0 for p in flagged)
    assert messages.seen == []


def test_undo_after_the_report_was_moved_is_refused_and_offers_save_as(
    qtbot, seed_zpdb: SeedFile, tmp_path: Path, monkeypatch
) -> None:
    messages = Messages(monkeypatch, answer=None)
    path = seed_zpdb("seed004_yiyang")
    window = make_window(qtbot)
    assert window.files.open_path(path)
    from gui.form_commands import SetReportFieldCommand, run

    assert run(window.ctx.undo_stack, SetReportFieldCommand(window.ctx.doc, "department", "改过")) is None
    path.rename(tmp_path / "moved.zpdb")
    window.ctx.undo_stack.undo()
    assert window.ctx.undo_stack.canUndo()  # nothing was undone in memory either
    assert window.ctx.doc.report.department == "改过"
    assert "另存为" in messages.texts()


@pytest.mark.qt_no_exception_capture
def test_a_form_found_damaged_after_opening_closes_the_report_and_offers_its_backups(
    qtbot, seed_zpdb: SeedFile, monkeypatch
) -> None:
    """The window reads a form's rows after the report shows: a value there that does not read (a
    score path that is no JSON; the file's pages are whole) used to bring the message of an
    unexpected error and leave the check running for ever. Now the report is closed and its backups
    are offered, as when opening a damaged file."""
    import sys

    from gui.app import install_crash_handler
    from tests.core.test_lazy_rows import _damage_a_score_path

    messages = Messages(monkeypatch)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_crash_handler()
    import copy

    from core.interchange import read_json_file
    from core.model import PROJECT
    from tests.conftest import FIXTURES

    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    projects = [f for f in report.forms if f.kind == PROJECT]
    for n in range(60):  # more forms than the window reads with the first one (then on the check)
        extra = copy.deepcopy(projects[n % len(projects)])
        extra.uid, extra.name = 0, f"{extra.name}{n}"
        report.forms.append(extra)
    path = seed_zpdb("seed001_guangyuan").with_name("大报告.zpdb")
    Document.create(path, report).close()
    Document.open(path).close()  # a good backup
    _damage_a_score_path(path)  # the last form that has a 评分表
    window = make_window(qtbot)
    offered: list[str] = []

    def choose(p: Path, reason: str = "") -> Path:
        offered.append(reason)
        return backups.list_backups(p)[-1].path

    monkeypatch.setattr(window.files, "choose_backup", choose)
    assert window.files.open_path(path, check_later=True)  # opens: the damaged rows are not read yet
    qtbot.waitUntil(lambda: bool(offered), timeout=20000)
    assert "意外错误" not in messages.texts()
    assert "已损坏" in messages.texts() and "从备份恢复" in offered[0]
    qtbot.waitUntil(lambda: window.ctx.doc is not None and not window.ctx.checking, timeout=20000)
    assert window.ctx.doc.report.projects  # the restored backup, read whole
    window.ctx.doc.report.load_rows()


def test_a_report_whose_first_forms_do_not_read_is_refused_at_open_with_its_backups(
    qtbot, seed_zpdb: SeedFile, monkeypatch
) -> None:
    """Seed 001's forms are all read with the first one, at open: a damaged value among them is the
    damaged-file message and its backups (the window read it before the check, into a half-reset
    grid, and showed the message of an unexpected error)."""
    from tests.core.test_lazy_rows import _damage_a_score_path

    messages = Messages(monkeypatch)
    path = seed_zpdb("seed001_guangyuan")
    Document.open(path).close()  # a good backup
    _damage_a_score_path(path)
    window = make_window(qtbot)
    offered: list[str] = []
    monkeypatch.setattr(window.files, "choose_backup", lambda p, reason="": offered.append(reason))
    assert not window.files.open_path(path)
    assert offered and "已损坏" in offered[0] and "从备份恢复" in messages.texts()
    assert window.ctx.doc is None
    assert storage.backups_of(path)  # the good backup, not pushed out by a copy of the damaged file


def test_tab_goes_round_the_restore_dialog(qtbot, seed_zpdb: SeedFile) -> None:
    """#15 every action by keyboard: the list of backups is one stop for Tab (arrows move in it),
    so Tab reaches the preview and the buttons and comes back (Qt's table went round its cells)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    path = seed_zpdb("seed004_yiyang")
    for _ in range(3):
        Document.open(path).close()
    dialog = RestoreDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.table.setFocus()
    for mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
        seen = []
        for _ in range(20):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, mods)
            seen.append(QApplication.focusWidget())
            if seen[-1] is dialog.table:
                break
        assert seen[-1] is dialog.table and len(seen) > 1, [w.objectName() for w in seen]
        assert dialog.restore_button in seen
