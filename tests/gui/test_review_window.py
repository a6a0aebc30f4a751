"""财政审核 window: the list, filters, read-only view, 复核 dialog, and 生成报送包 from the window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from PySide6.QtWidgets import QApplication

from core.model import SCORE_SHEET
from core.review.listing import COLUMNS
from core.review.package import verify_package
from core.review.reviewfile import default_review_path
from gui.app import setup_app

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from review_bench import build_report, write_fast  # noqa: E402


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for n in range(3):
        write_fast(build_report(n, projects=4, per=5), tmp_path / f"d{n}.zpdb")
    (tmp_path / "readme.txt").write_text("x", encoding="utf-8")
    return tmp_path


def make_review_window(qtbot: Any, folder: Path) -> Any:
    from gui.review.window import ReviewWindow

    setup_app(QApplication.instance())
    window = ReviewWindow([folder])
    qtbot.addWidget(window)
    window.show()
    return window


def test_list_filters_and_sorts(qtbot: Any, folder: Path) -> None:
    window = make_review_window(qtbot, folder)
    assert window.model.rowCount() == 15  # 3 departments × (1 + 4 projects)
    assert window.refused_view.rowCount() == 1 and "不是报送包" in window.refused_view.item(0, 1).text()
    window.kind_box.setCurrentIndex(window.kind_box.findData("project"))
    assert window.model.rowCount() == 12
    window.department_box.setCurrentIndex(window.department_box.findData("基准部门0001"))
    assert window.model.rowCount() == 4
    window.department_box.setCurrentIndex(0)
    window.search.setText("项目0002-03")
    assert window.model.rowCount() == 1 and window.model.rows[0]["name"] == "项目0002-03"
    window.search.clear()
    window.sort_by(10)  # 得分
    window.sort_by(10)
    totals = [float(r["total"]) for r in window.model.rows]
    assert totals == sorted(totals, reverse=True)
    assert "共 3 份报告" in window.summary.text()


def test_counts_fill_in_after_the_background_check(qtbot: Any, folder: Path) -> None:
    window = make_review_window(qtbot, folder)
    assert window.model.rowCount() == 15  # the list shows before the check
    qtbot.waitUntil(lambda: window.checker is None, timeout=120_000)
    assert window.result.checked
    assert all(isinstance(r["error"], int) for r in window.table_rows)
    assert any(r["error"] or r["warning_count"] for r in window.table_rows)
    window.errors_box.setChecked(True)
    assert window.model.rowCount() > 0 and all(r["error"] for r in window.model.rows)


def test_counts_fill_in_report_by_report_and_stay_when_the_check_is_stopped(
    qtbot: Any, folder: Path, tmp_path: Path
) -> None:
    """The background check fills in a report's 错误/警告/提示 as soon as it has counted that report,
    not only at the end; stopped after the first report, that report's counts stay shown (the
    figures the full check gives) and the others stay blank, as the status bar says."""
    from PySide6.QtCore import Qt

    from core.review.scan import Index, scan

    window = make_review_window(qtbot, folder)
    checker = window.checker
    assert checker is not None
    checker.wait()  # finished already? then it was too quick to stop: start again, stopping after one
    qtbot.waitUntil(lambda: window.checker is None, timeout=120_000)
    from core.paths import user_data_dir

    (user_data_dir() / "review-index.sqlite").unlink()  # forget the counts: check again from nothing
    window.show_result(scan([folder], index=Index(tmp_path / "figures.sqlite"), checks=False))
    assert all(r["error"] == "" for r in window.table_rows)
    window.start_checking()
    started = window.checker
    assert started is not None
    started.counted.connect(
        lambda _reports: setattr(started, "stop", True), Qt.ConnectionType.DirectConnection
    )
    qtbot.waitUntil(lambda: window.checker is None, timeout=120_000)
    assert "已停止检查" in window.statusBar().currentMessage()
    whole = scan([folder], index=Index(tmp_path / "whole.sqlite"), checks=True, workers=1).reports
    error, warning, info = (
        c for c, (key, _t) in enumerate(COLUMNS) if key in ("error", "warning_count", "info")
    )
    shown = {
        (window.model.rows[r]["file"], window.model.rows[r]["index"]): [
            window.model.data(window.model.index(r, c)) for c in (error, warning, info)
        ]
        for r in range(window.model.rowCount())
    }
    first = whole[0]  # the check reads the files in order: d0 first, then it was stopped
    for i, form in enumerate(first["forms"]):
        counts = form["problems"]
        assert shown[(first["file"], i)] == [str(counts[s]) for s in ("error", "warning", "info")]
    assert any(shown[(first["file"], i)] != ["0", "0", "0"] for i in range(len(first["forms"])))
    for rep in whole[1:]:
        assert all(shown[(rep["file"], i)] == ["", "", ""] for i in range(len(rep["forms"])))


def test_closing_stops_the_check(qtbot: Any, folder: Path) -> None:
    window = make_review_window(qtbot, folder)
    window.close()
    assert window.checker is None


def test_open_a_report_read_only(qtbot: Any, folder: Path) -> None:
    window = make_review_window(qtbot, folder)
    source = folder / "d1.zpdb"
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    row = next(r for r in window.table_rows if r["file"].endswith("d1.zpdb") and r["index"] == 2)
    viewer = window.open_row(row)
    assert viewer is not None  # deletes itself on close (not handed to qtbot, which would close it again)
    try:
        assert "只读" in viewer.windowTitle()
        assert viewer.ctx.doc.path != source and viewer.ctx.doc.report.forms[2].name == row["name"]
        assert viewer.current_form() == viewer.ctx.doc.report.forms[2].uid
        copy = viewer.ctx.doc.path
        assert copy.exists()
    finally:
        viewer.close()
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before
    # the department's data is not left behind in the reviewer's temporary folder
    qtbot.waitUntil(lambda: not copy.parent.exists(), timeout=5_000)


def test_review_dialog_keeps_marks_in_the_bureau_file(qtbot: Any, seed_zpdb: Any, monkeypatch: Any) -> None:
    from gui.review.review_dialog import SCORE_COL, ReviewDialog
    from tests.gui.window_helpers import Messages

    messages = Messages(monkeypatch)
    source = seed_zpdb("seed001_guangyuan")
    before = source.read_bytes()
    dialog = ReviewDialog(source, 2)
    qtbot.addWidget(dialog)
    assert dialog.forms.currentText() == "干部暖心关爱帮扶基金经费"
    last = dialog.keys.index((SCORE_SHEET, 8))
    dialog.table.item(last, SCORE_COL).setText("2")
    assert dialog.review.mark(2, SCORE_SHEET, 8) == ("2", "")
    assert "扣 6 分" in dialog.quality.text()
    dialog.table.item(last, SCORE_COL).setText("abc")
    assert "不是数字" in messages.texts() and dialog.table.item(last, SCORE_COL).text() == "2"
    dialog.accept()
    assert source.read_bytes() == before
    assert default_review_path("中共广元市昭化区委组织部", 2023).exists()


def test_package_from_the_window(qtbot: Any, seed_zpdb: Any, tmp_path: Path) -> None:
    from gui.review.package_action import package_document
    from tests.gui.window_helpers import make_window

    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    assert window.actions_.package.isEnabled()
    target = tmp_path / "包.zip"
    package_document(window.ctx.doc, target)
    assert verify_package(target).ok


def test_cancelling_the_list_stops_the_worker_processes_and_lists_what_was_read(
    qtbot: Any, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QProgressDialog

    import core.review.scan as scan_module
    import gui.review.window as window_module

    class CancelledAtOnce(QProgressDialog):
        def wasCanceled(self) -> bool:  # noqa: N802 - Qt's name
            return True

    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)  # the worker processes, as at 1,000 reports
    monkeypatch.setattr(scan_module, "CHUNK", 1)
    monkeypatch.setattr(window_module, "QProgressDialog", CancelledAtOnce)
    window = make_review_window(qtbot, folder)
    assert window.result.cancelled and window.checker is None  # no background check after a cancel
    assert window.model.rowCount() < 15
    assert "已取消读取" in window.statusBar().currentMessage()
    monkeypatch.setattr(window_module, "QProgressDialog", QProgressDialog)
    window.rescan()  # read again: the rest is read, the list is whole
    assert not window.result.cancelled and window.model.rowCount() == 15
    window.close()


def test_sorting_and_filtering_by_counts_follow_them_as_they_arrive(
    qtbot: Any, folder: Path, tmp_path: Path
) -> None:
    """Sorted by 错误 and showing only forms with errors while the background check runs, the list
    takes in each report's counts as they arrive, not only when the check is done: stopped after the
    first report, it shows that report's forms with errors, most errors first, and the selected form
    stays selected; without the filter the forms not counted yet come after the counted ones."""
    from PySide6.QtCore import Qt

    from core.paths import user_data_dir
    from core.review.scan import Index, scan

    window = make_review_window(qtbot, folder)
    qtbot.waitUntil(lambda: window.checker is None, timeout=120_000)
    (user_data_dir() / "review-index.sqlite").unlink()  # forget the counts: check again from nothing
    window.show_result(scan([folder], index=Index(tmp_path / "figures.sqlite"), checks=False))
    error = next(c for c, (key, _t) in enumerate(COLUMNS) if key == "error")
    window.sort_by(error)
    window.sort_by(error)  # most errors first
    whole = scan([folder], index=Index(tmp_path / "whole.sqlite"), checks=True, workers=1).reports
    first = whole[0]  # the check reads the files in order: d0 first, then it is stopped
    with_errors = [i for i, f in enumerate(first["forms"]) if f["problems"]["error"]]
    assert with_errors and any(f["problems"]["error"] for r in whole[1:] for f in r["forms"])
    window.view.selectRow(  # a form that stays shown: it has errors
        next(
            i
            for i, r in enumerate(window.model.rows)
            if (r["file"], r["index"]) == (first["file"], with_errors[-1])
        )
    )
    picked = window.model.rows[window.view.selectionModel().selectedRows()[0].row()]
    window.start_checking()
    started = window.checker
    assert started is not None
    started.counted.connect(
        lambda _reports: setattr(started, "stop", True), Qt.ConnectionType.DirectConnection
    )
    window.errors_box.setChecked(True)  # while checking: no wait for the whole check
    assert window.checker is started
    qtbot.waitUntil(lambda: window.checker is None and not window.follow.isActive(), timeout=120_000)
    assert "已停止检查" in window.statusBar().currentMessage()
    shown = [(r["file"], r["index"], r["error"]) for r in window.model.rows]
    expected = sorted(
        ((first["file"], i, first["forms"][i]["problems"]["error"]) for i in with_errors), key=lambda t: -t[2]
    )
    assert [s[2] for s in shown] == [e[2] for e in expected]
    assert sorted(shown) == sorted(expected)
    selected = window.view.selectionModel().selectedRows()
    assert selected and window.model.rows[selected[0].row()] is picked  # kept through the re-sorting
    window.errors_box.setChecked(False)
    errors = [window.model.data(window.model.index(r, error)) for r in range(window.model.rowCount())]
    counted = len(first["forms"])
    assert all(e != "" for e in errors[:counted]) and all(e == "" for e in errors[counted:])
    assert [int(e) for e in errors[:counted]] == sorted((int(e) for e in errors[:counted]), reverse=True)
    selected = window.view.selectionModel().selectedRows()
    assert selected and window.model.rows[selected[0].row()] is picked


def test_tab_goes_round_the_review_window(qtbot: Any, folder: Path) -> None:
    """#15 every action by keyboard: the list of reports is one stop for Tab (arrows move in it), so
    Tab goes on to the filters and comes back, both ways (Qt's table went round its cells for ever)."""
    from PySide6.QtCore import Qt

    window = make_review_window(qtbot, folder)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()
    for mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
        seen = []
        for _ in range(60):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, mods)
            seen.append(QApplication.focusWidget())
            if seen[-1] is window.view:
                break
        assert seen[-1] is window.view and len(seen) > 1, [type(w).__name__ for w in seen[-3:]]
        assert window.refused_view not in seen or seen.count(window.refused_view) == 1


def test_tab_goes_through_the_review_dialog_s_table_and_on(qtbot: Any, seed_zpdb: Any) -> None:
    """#15: Tab goes along the 复核 table's rows cell by cell, and from its last cell on to the
    buttons (Shift+Tab: from its first cell back to the 表 box) — Qt's table went round for ever."""
    from PySide6.QtCore import Qt

    from gui.review.review_dialog import ReviewDialog

    dialog = ReviewDialog(seed_zpdb("seed001_guangyuan"), 2)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    table = dialog.table
    cells = table.rowCount() * table.columnCount()
    for mods, start, out in (
        (Qt.KeyboardModifier.NoModifier, (0, 0), "导出复核结果…"),
        (Qt.KeyboardModifier.ShiftModifier, (table.rowCount() - 1, table.columnCount() - 1), None),
    ):
        table.setFocus()
        table.setCurrentCell(*start)
        presses = 0
        while QApplication.focusWidget() is table and presses <= cells:
            qtbot.keyClick(table, Qt.Key.Key_Tab, mods)
            presses += 1
        assert presses == cells  # every cell once, then out
        focused = QApplication.focusWidget()
        if out is None:
            assert focused is dialog.forms
        else:
            assert focused.text() == out


def _shown(view: Any, row: int, column: int) -> str:
    """The text a cell of ``view`` draws in its column's width (elided as its delegate elides it)."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    index = view.model().index(row, column)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    width = view.columnWidth(column) - 8  # the cell's margins
    return option.fontMetrics.elidedText(option.text, option.textElideMode, width)


def test_long_paths_show_their_file_names(qtbot: Any, tmp_path: Path) -> None:
    """A township's folders of long Chinese names (paths past 260 characters): the 文件 column of the
    list and of 未列入的文件 still shows each file's name; the whole path is its tooltip."""
    from PySide6.QtCore import Qt

    from core.review.listing import COLUMNS as LIST_COLUMNS

    deep = tmp_path / ("乡镇街道及所属事业单位报送材料（第二批，含补报和更正后重新报送的材料）" * 2) / "汇总"
    deep.mkdir(parents=True)
    write_fast(build_report(1, projects=1, per=3), deep / "农业农村局自评报告.zpdb")
    (deep / "空文件.zpdb").write_bytes(b"")
    assert len(str(deep / "农业农村局自评报告.zpdb")) > 150
    window = make_review_window(qtbot, tmp_path)
    assert window.refused_view.rowCount() == 1
    refused = _shown(window.refused_view, 0, 0)
    assert refused.endswith("空文件.zpdb") and "…" in refused
    assert window.refused_view.item(0, 0).toolTip() == str(deep / "空文件.zpdb")
    column = next(i for i, (key, _t) in enumerate(LIST_COLUMNS) if key == "file")
    listed = _shown(window.view, 0, column)
    assert listed.endswith("农业农村局自评报告.zpdb") and "…" in listed
    tip = window.model.data(window.model.index(0, column), Qt.ItemDataRole.ToolTipRole)
    assert tip == str(deep / "农业农村局自评报告.zpdb")


@pytest.mark.parametrize("start_over", [True, False])
def test_review_of_a_report_sent_again_asks_before_going_on_with_the_old_one(
    qtbot: Any, tmp_path: Path, monkeypatch: Any, start_over: bool
) -> None:
    """复核 of a department's corrected report, sent again after 复核 had started on the first: the
    dialog showed the first report's figures and marks without a word. Now it asks; 是 starts over on
    the new report (the old review file kept aside with its marks), 否 goes on with the old one."""
    from PySide6.QtWidgets import QMessageBox

    from core.model import INDICATORS
    from gui.review.review_dialog import ReviewDialog
    from tests.gui.window_helpers import Messages

    answer = QMessageBox.StandardButton.Yes if start_over else QMessageBox.StandardButton.No
    messages = Messages(monkeypatch, answer)
    first, again = tmp_path / "教育局.zpdb", tmp_path / "教育局（修改后）.zpdb"
    report = build_report(8, projects=2, per=3)
    write_fast(report, first)
    report.forms[1].indicators[0].actual = "12345"
    write_fast(report, again)
    dialog = ReviewDialog(first, 1)
    qtbot.addWidget(dialog)
    dialog.review.set_mark(1, INDICATORS, 0, score="1")
    dialog.accept()
    assert messages.seen == []
    dialog = ReviewDialog(again, 1)
    qtbot.addWidget(dialog)
    assert [kind for kind, _t, _x in messages.seen] == ["question"]
    assert "又报送过" in messages.seen[0][2] and "教育局（修改后）.zpdb" in messages.seen[0][2]
    shown = dialog.table.item(0, 5).text()  # 实际完成值 of the first indicator
    if start_over:
        assert shown == "12345" and dialog.review.mark(1, INDICATORS, 0) == ("", "")
        assert len(list(default_review_path("基准部门0008", 2023).parent.glob("*基准部门0008*旧版*"))) == 1
    else:
        assert shown != "12345" and dialog.review.mark(1, INDICATORS, 0) == ("1", "")
    dialog.accept()
    dialog = ReviewDialog(again if start_over else first, 1)  # asked once: the same report again is not
    qtbot.addWidget(dialog)
    assert len(messages.seen) == 1
    dialog.accept()


@pytest.mark.parametrize("close", ["window", "escape_then_close"])
def test_a_review_score_being_typed_is_kept_when_the_dialog_closes(
    qtbot: Any, tmp_path: Path, close: str
) -> None:
    """F2 on a 复核得分, 3.5 typed, then the dialog closed with its × (no Enter): the score is kept, as
    Enter would keep it — it was committed after the review file had closed (a traceback from
    item_changed, the score lost). Esc first still throws the typing away."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from core.model import INDICATORS
    from core.review.reviewfile import ReviewFile
    from gui.review.review_dialog import SCORE_COL, ReviewDialog

    source = tmp_path / "d.zpdb"
    write_fast(build_report(5, projects=1, per=3), source)
    dialog = ReviewDialog(source, 1)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.table.setFocus()
    dialog.table.setCurrentCell(0, SCORE_COL)
    QTest.keyClick(dialog.table, Qt.Key.Key_F2)
    editor = dialog.table.indexWidget(dialog.table.currentIndex())
    assert isinstance(editor, QLineEdit)
    QTest.keyClicks(editor, "3.5")
    if close == "escape_then_close":
        QTest.keyClick(editor, Qt.Key.Key_Escape)
    dialog.close()
    assert not dialog.isVisible()
    review = ReviewFile.open(default_review_path("基准部门0005", 2023))
    try:
        assert review.mark(1, INDICATORS, 0) == (("3.5", "") if close == "window" else ("", ""))
    finally:
        review.close()


def test_the_list_holds_one_generation_of_rows_when_the_check_hands_over(
    qtbot: Any, folder: Path, monkeypatch: Any
) -> None:
    """When the background check ends (or 重新读取), the new list's rows are made after the old rows and
    result are let go: at 1,000 reports (31,000 rows) both at once were ~22 MB more at the window's
    peak (239 → 217 MB, benchmarks/review_bench.py --sizes)."""
    import gui.review.window as window_module

    window = make_review_window(qtbot, folder)
    qtbot.waitUntil(lambda: window.checker is None, timeout=60_000)
    made = window_module.rows
    held: list[tuple[int, int, bool]] = []

    def watched(result: Any, reviewed: Any = None) -> list[dict[str, Any]]:
        held.append((len(window.table_rows), window.model.rowCount(), window.result is result))
        return made(result, reviewed)

    monkeypatch.setattr(window_module, "rows", watched)
    window.rescan()
    qtbot.waitUntil(lambda: window.checker is None, timeout=60_000)
    assert held and all(h == (0, 0, True) for h in held)
    assert window.model.rowCount() == 15


def test_exporting_the_list_shows_it_is_busy(
    qtbot: Any, folder: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """导出汇总表… writes on the window's thread (~10 s at 1,000 reports): a wait cursor and a status
    line say so while it writes, and go when it is done (the window sat still without a sign)."""
    from PySide6.QtWidgets import QFileDialog

    import core.review.listing as listing

    window = make_review_window(qtbot, folder)
    qtbot.waitUntil(lambda: window.checker is None, timeout=60_000)
    target = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    real = listing.write_list_xlsx
    seen: list[tuple[bool, str]] = []

    def writing(*args: Any, **kwargs: Any) -> None:
        seen.append((QApplication.overrideCursor() is not None, window.statusBar().currentMessage()))
        real(*args, **kwargs)

    monkeypatch.setattr(listing, "write_list_xlsx", writing)
    window.export_list()
    assert seen == [(True, "正在导出汇总表（15 张表）…")]
    assert QApplication.overrideCursor() is None and target.exists()
    assert window.statusBar().currentMessage() == f"已导出 {target}"
