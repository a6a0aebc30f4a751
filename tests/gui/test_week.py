"""The accountant's week (USER-STORY.md) walked in the real window: each test is a rough edge found there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog

from core.report import Document, new_report
from core.rules import Checker
from gui.file_ops import next_year_name
from tests.gui.window_helpers import cell_background, cell_text, grid, make_window, pick_project

SeedFile = Callable[[str], Path]
ERROR_BG = "#ffc7ce"


def fresh_report(tmp_path: Path, names: list[str]) -> Path:
    path = tmp_path / "2023组织部.zpdb"
    Document.create(path, new_report("sichuan-guangyuan", 2023, "中共广元市昭化区委组织部", names)).close()
    return path


def test_closing_the_window_with_a_cell_selected_raises_nothing(qtbot, seed_zpdb: SeedFile) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    pick_project(window, "干部暖心关爱帮扶基金经费")
    view = grid(window, "fundGrid")
    view.setCurrentIndex(view.model().index(0, 0))
    window.close()  # pytest-qt fails the test on an exception inside a slot
    assert window.ctx.doc is None


def test_targets_pasted_into_a_new_projects_empty_indicator_grid_land_in_new_rows(
    qtbot, tmp_path: Path
) -> None:
    window = make_window(qtbot, fresh_report(tmp_path, ["东西部协作人才交流项目"]))
    uid = pick_project(window, "东西部协作人才交流项目")
    view = grid(window, "indicatorGrid")
    assert view.model().rowCount() == 0
    QApplication.clipboard().setText(
        "产出指标\t数量指标\t引进专家教授\t≥5名\r\n成本指标\t经济成本指标\t成本\t≤35万元\r\n"
    )
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert view.model().rowCount() == 2
    assert cell_text(view, 1, "target") == "≤35万元"
    window.close()
    doc = Document.open(tmp_path / "2023组织部.zpdb", backup=False)
    assert doc.form(uid).indicators[0].level3 == "引进专家教授"
    doc.close()


def test_next_year_from_the_file_menu_keeps_targets_and_clears_actuals(
    qtbot, seed_zpdb: SeedFile, tmp_path: Path, monkeypatch
) -> None:
    source = seed_zpdb("seed001_guangyuan")
    window = make_window(qtbot, source)
    action = window.findChild(QAction, "action_next_year")
    assert action is not None and action.isEnabled()
    assert action in window.menuBar().actions()[0].menu().actions()
    target = tmp_path / "2024组织部.zpdb"
    asked: list[str] = []

    def ask(parent, title, suggestion, *args):  # noqa: ANN001, ANN202
        asked.append(suggestion)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    action.trigger()
    assert Path(asked[0]).name == "2024seed001_guangyuan.zpdb"
    assert window.ctx.doc.path == target
    assert "2024组织部.zpdb" in window.windowTitle()
    window.close()
    doc = Document.open(target, backup=False)
    row = doc.report.form_by_name("东西部协作人才交流项目").indicators[0]
    year = doc.report.year
    doc.close()
    assert (year, row.target, row.actual) == (2024, "≥5名", "")
    old = Document.open(source, backup=False)
    assert old.report.form_by_name("东西部协作人才交流项目").indicators[0].actual == "10名"
    old.close()


def test_next_year_file_name_moves_the_year_on() -> None:
    assert next_year_name("2023组织部", 2023) == "2024组织部.zpdb"
    assert next_year_name("组织部", 2023) == "2024组织部.zpdb"


def test_a_big_paste_and_its_undo_recheck_the_window_once_and_show_the_result(
    qtbot, seed_zpdb: SeedFile
) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    pick_project(window, "东西部协作人才交流项目")
    view = grid(window, "indicatorGrid")
    rows = ["产出指标\t数量指标\t救助户数\t≥1户\t0户"] + [
        f"产出指标\t数量指标\t第{i}项\t≥1个\t1个" for i in range(40)
    ]
    QApplication.clipboard().setText("\r\n".join(rows) + "\r\n")
    before = window.counts_label.text()
    rechecks: list[int] = []
    window.ctx.problems_changed.connect(lambda: rechecks.append(1))
    view.setCurrentIndex(view.model().index(4, 0))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert view.model().rowCount() == 45
    assert len(rechecks) == 1  # not once per pasted cell: 200 rows took minutes
    assert cell_background(view, 4, "deviation_note") == ERROR_BG
    assert window.counts_label.text() != before
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(rechecks) == 2 and view.model().rowCount() == 5
    assert window.counts_label.text() == before
    window.close()


def test_redo_deleting_the_project_whose_name_field_has_focus_raises_nothing(
    qtbot, seed_zpdb: SeedFile
) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    uid = pick_project(window, "研学活动经费")
    window.tree.delete_project(uid, confirm=False)
    window.undo()
    pick_project(window, "研学活动经费")
    field = window.form_editor.fields["name"]
    field.setFocus()
    window.redo()  # the project is gone again while its name field still has focus
    field.editingFinished.emit()  # what Qt sends when the hidden field loses focus
    assert window.ctx.doc.report.form_by_name("研学活动经费") is None
    window.close()


def test_after_a_big_paste_the_problem_list_is_what_a_full_check_finds(qtbot, seed_zpdb: SeedFile) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    pick_project(window, "东西部协作人才交流项目")
    view = grid(window, "indicatorGrid")
    rows = [f"产出指标\t数量指标\t第{i}项\t≥{i}户\t{i % 3}人" for i in range(60)]
    QApplication.clipboard().setText("\r\n".join(rows))
    view.setCurrentIndex(view.model().index(0, 0))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    fresh = Checker(window.ctx.doc.report, window.ctx.doc.template)
    fresh.full()
    expected = sorted(str(p.to_json()) for p in fresh.problems)
    assert sorted(str(p.to_json()) for p in window.ctx.checker.problems) == expected
    QApplication.processEvents()  # the list follows on the next turn of the event loop
    assert window.problems.model.rowCount() == len(expected)
    window.close()


def test_new_report_dialog_counts_the_pasted_names(qtbot) -> None:  # noqa: ANN001
    from gui.dialogs.new_report import NewReportDialog

    dialog = NewReportDialog()
    qtbot.addWidget(dialog)
    dialog.names.setPlainText(
        "东西部协作人才交流项目\r\n干部暖心关爱帮扶基金经费\r\n\r\n干部暖心关爱帮扶基金经费\r\n"
    )
    assert dialog.name_count.text().startswith("共 2 个项目")


def test_deleting_a_project_selects_the_next_one(qtbot, tmp_path) -> None:  # noqa: ANN001
    from core.report import Document, new_report
    from gui.context import AppContext
    from gui.navigation import PROJECT_NODE, NavTree

    doc = Document.create(tmp_path / "r.zpdb", new_report("mof", 2023, "部", ["甲", "乙", "丙"]))
    tree = NavTree(AppContext(doc))
    qtbot.addWidget(tree)
    uids = [f.uid for f in doc.report.projects]
    tree.select_node(PROJECT_NODE, uids[1])
    tree.delete_project(uids[1], confirm=False)
    assert tree.current_node() == (PROJECT_NODE, uids[2])
    tree.delete_project(uids[2], confirm=False)
    assert tree.current_node() == (PROJECT_NODE, uids[0])
    doc.close()
