"""Files and safety: new, open, import, sample, recent, save-as, export, and clear messages on bad files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from PySide6.QtWidgets import QApplication

from core.paths import user_data_dir
from core.report import Document
from core.version import __version__
from gui import settings
from gui.dialogs.export import EXCEL, WORD
from gui.dialogs.new_report import NewReportChoice, NewReportDialog, parse_names
from gui.navigation import PROJECT_NODE
from tests.gui.window_helpers import Messages, make_window

ROOT = Path(__file__).resolve().parents[2]
SeedFile = Callable[[str], Path]


def tree_texts(window) -> list[str]:
    return [item.text() for item in window.tree.nav_model.items()]


def test_new_report_creates_the_file_with_the_template_layout(qtbot, tmp_path: Path) -> None:
    window = make_window(qtbot)
    names = parse_names('干部教育培训经费\t100\r\n"人才工作经费"\r\n\r\n')  # a column pasted from Excel
    department = "中共广元市昭化区委组织部"
    choice = NewReportChoice("sichuan-guangyuan", 2023, department, names, tmp_path / "2023组织部")
    assert window.files.create(choice)
    path = tmp_path / "2023组织部.zpdb"
    assert path.exists() and window.windowTitle().startswith("2023组织部.zpdb")
    texts = tree_texts(window)
    assert texts[:3] == ["报告信息", "部门整体支出", "项目支出"]
    assert {"干部教育培训经费", "人才工作经费", "评分表", "自评报告"} <= set(texts)
    assert "基础数据表" not in texts
    window.close()
    disk = Document.open(path, backup=False)
    try:
        assert [f.name for f in disk.report.projects] == ["干部教育培训经费", "人才工作经费"]
        assert disk.report.department == "中共广元市昭化区委组织部"
    finally:
        disk.close()


def test_new_report_dialog_refuses_an_existing_file_and_a_blank_department(qtbot, tmp_path: Path) -> None:
    dialog = NewReportDialog()
    qtbot.addWidget(dialog)
    assert dialog.problem() == "请填写部门（单位）名称。"
    dialog.department.setText("某部门")
    existing = tmp_path / "有了.zpdb"
    existing.write_bytes(b"x")
    dialog.path.setText(str(existing))
    assert "已存在" in dialog.problem()
    dialog.path.setText(str(tmp_path / "新的"))
    assert dialog.problem() is None
    assert dialog.choice().path.name == "新的.zpdb"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"just some text, not a report", "不是 ZiPing 报告"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "损坏"),
    ],
)
def test_foreign_and_damaged_files_get_a_message_and_are_not_touched(
    qtbot, tmp_path: Path, monkeypatch, content: bytes, expected: str
) -> None:
    messages = Messages(monkeypatch)
    bad = tmp_path / "bad.zpdb"
    bad.write_bytes(content)
    window = make_window(qtbot)
    assert not window.files.open_path(bad)
    assert expected in messages.texts()
    assert bad.read_bytes() == content
    assert window.ctx.doc is None


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_file_gets_a_message(qtbot, seed_zpdb: SeedFile, monkeypatch) -> None:
    messages = Messages(monkeypatch)
    path = seed_zpdb("seed004_yiyang")
    path.chmod(0o444)
    window = make_window(qtbot)
    assert window.files.open_path(path) and window.ctx.doc.read_only
    assert "只读" in messages.texts()


def test_read_only_medium_gets_a_message(qtbot, seed_zpdb: SeedFile, monkeypatch) -> None:
    """A file on a read-only medium: the storage layer's check fails and the user reads why."""
    messages = Messages(monkeypatch)
    path = seed_zpdb("seed004_yiyang")
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    window = make_window(qtbot)
    assert window.files.open_path(path)  # opened read-only (#10 item 9): look, check, export
    assert "只读" in messages.texts() and window.ctx.doc.read_only
    from core.storage.db import ReadOnlyError

    with pytest.raises(ReadOnlyError, match="另存为"):
        window.ctx.doc.set_report_field("department", "改")
    window.close()
    assert path.read_bytes() == before


def test_import_json_creates_a_report_and_bad_json_is_refused(qtbot, tmp_path: Path, monkeypatch) -> None:
    messages = Messages(monkeypatch)
    window = make_window(qtbot)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "ziping-report", "version": 1, "oops": 1}', encoding="utf-8")
    assert not window.files.import_json(bad, tmp_path / "bad.zpdb")
    assert "无法导入" in messages.texts()
    assert not (tmp_path / "bad.zpdb").exists()
    target = tmp_path / "导入的.zpdb"
    assert window.files.import_json(ROOT / "tests" / "fixtures" / "seed003_pingliang.json", target)
    assert target.exists() and window.ctx.doc.path == target
    assert window.ctx.doc.report.template == "gansu-pingliang"


def test_sample_is_copied_to_the_data_folder_and_recreated_when_missing(qtbot, monkeypatch) -> None:
    Messages(monkeypatch)
    window = make_window(qtbot)
    assert window.files.open_sample()
    sample = user_data_dir() / "示例报告.zpdb"
    assert window.ctx.doc.path == sample and sample.exists()
    assert window.ctx.doc.report.department == "中国共产党益阳市委员会组织部"
    window.close()
    sample.unlink()
    again = make_window(qtbot)
    assert again.files.open_sample() and sample.exists()


def test_recent_files_and_save_as_continue_in_the_copy(qtbot, seed_zpdb: SeedFile, tmp_path: Path) -> None:
    path = seed_zpdb("seed004_yiyang")
    window = make_window(qtbot, path)
    assert settings.recent_files()[0] == path.resolve()
    copy = tmp_path / "副本"
    assert window.files.save_as(copy)
    assert window.ctx.doc.path == tmp_path / "副本.zpdb"
    assert [p.name for p in settings.recent_files()][:2] == ["副本.zpdb", path.name]
    window.actions_.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.actions_.recent_menu.actions()][:2] == ["副本.zpdb", path.name]


def test_export_excel_of_the_report_and_word_of_one_form(qtbot, seed_zpdb: SeedFile, tmp_path: Path) -> None:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    xlsx = tmp_path / "全部.xlsx"
    assert window.files.export(EXCEL, target=xlsx, ask=False)
    book = openpyxl.load_workbook(xlsx)
    assert len(book.sheetnames) >= 4
    uid = window.ctx.doc.report.form_by_name("业务工作经费").uid
    window.tree.select_node(PROJECT_NODE, uid)
    docx_path = tmp_path / "本表.docx"
    assert window.files.export(WORD, current_only=True, target=docx_path, ask=False)
    import docx

    text = "\n".join(c.text for t in docx.Document(str(docx_path)).tables for r in t.rows for c in r.cells)
    assert "业务工作经费" in text


def test_export_to_a_locked_file_says_to_close_excel(
    qtbot, seed_zpdb: SeedFile, tmp_path: Path, monkeypatch
) -> None:
    messages = Messages(monkeypatch)
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("core.export.os.replace", locked)
    target = tmp_path / "locked.xlsx"
    assert not window.files.export(EXCEL, target=target, ask=False)
    assert "Excel 或 WPS" in messages.texts()
    assert not target.exists()


def test_export_asks_when_errors_remain(qtbot, seed_zpdb: SeedFile, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    messages = Messages(monkeypatch, answer=QMessageBox.StandardButton.No)
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    assert not window.files.export(EXCEL, target=tmp_path / "x.xlsx")
    assert "还有 3 个错误" in messages.texts()
    assert not (tmp_path / "x.xlsx").exists()


def test_cancelling_an_export_writes_nothing(qtbot, seed_zpdb: SeedFile, tmp_path: Path) -> None:
    from gui.dialogs.export import ExportDialog

    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    dialog = ExportDialog(window.ctx, EXCEL, tmp_path / "cancel.xlsx")
    qtbot.addWidget(dialog)
    dialog.cancel_button.click()
    dialog.start()
    dialog.worker.cancelled = True
    qtbot.waitUntil(lambda: dialog.ok is not None)
    assert dialog.ok is False and "取消" in dialog.message
    assert not (tmp_path / "cancel.xlsx").exists()


def test_main_version_and_opening_a_file(seed_zpdb: SeedFile, monkeypatch, qapp, qtbot) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert __version__ in out.stdout
    import main

    path = seed_zpdb("seed004_yiyang")
    monkeypatch.setattr(type(qapp), "exec", lambda self: 0)
    assert main.main([str(path)]) == 0
    windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow" and w.isVisible()]
    assert windows and windows[-1].ctx.doc is None, "the shell paints first, the report follows"
    qtbot.waitUntil(lambda: windows[-1].ctx.doc is not None, timeout=10000)
    assert windows[-1].ctx.doc.path == path
    windows[-1].close()
