"""#10 items 4, 8 in the window: 文件 → 从备份恢复…, the damaged-file message offering it, and 另存为
offered when the open report was deleted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
