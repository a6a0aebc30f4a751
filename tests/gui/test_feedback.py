"""Issue #15, items 8–11: the window says what it means (last report, sample banner, where, names)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel

from core.report import Document, new_report
from gui import settings
from gui.dialogs.export import EXCEL
from gui.grids.models import SUGGESTED
from tests.gui.window_helpers import Messages, grid, make_window, pick_project, type_into_cell

SeedFile = Callable[[str], Path]


def banner(window) -> QLabel:  # noqa: ANN001
    label = window.findChild(QLabel, "sampleBanner")
    assert label is not None
    return label


def test_restart_opens_the_last_report_and_the_sample_only_the_first_time(qtbot, seed_zpdb: SeedFile) -> None:
    first = make_window(qtbot)
    assert first.files.open_last()
    assert first.ctx.doc is not None and first.ctx.doc.report.year == 2023
    assert banner(first).isVisible() and "原报告自身的问题" in banner(first).text()
    assert settings.recent_files() == [], "the sample stays out of 最近打开"
    own = seed_zpdb("seed001_guangyuan")
    assert first.files.open_path(own)
    assert not banner(first).isVisible()
    first.close()

    second = make_window(qtbot)
    assert second.files.open_last()
    assert second.ctx.doc is not None and second.ctx.doc.path.resolve() == own.resolve()
    second.close()

    own.unlink()
    third = make_window(qtbot)
    assert not third.files.open_last(), "no report left and the sample was shown once: start blank"
    assert third.ctx.doc is None


def test_the_budget_adjustment_warning_says_where_to_explain_it(qtbot, seed_zpdb: SeedFile) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    model = window.problems.model
    messages = [model.index(r, 3).data() for r in range(model.rowCount())]
    adjustments = [m for m in messages if "调整" in m and "万元" in m]
    assert adjustments
    assert all("偏差原因" in m for m in adjustments)


@pytest.mark.parametrize(
    ("typed", "colour", "words"), [("-5", "#ffc7ce", "不能为负数"), ("12.345", "#ffeb9c", "两位小数")]
)
def test_negative_and_over_precise_amounts_are_flagged_at_the_cell(
    qtbot, seed_zpdb: SeedFile, typed: str, colour: str, words: str
) -> None:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    pick_project(window, "业务工作经费")
    view = grid(window, "fundGrid")
    type_into_cell(qtbot, view, 2, "initial", typed)
    index = view.model().index(2, view.model().column_of("initial"))
    assert index.data() == typed
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name() == colour
    assert words in index.data(Qt.ItemDataRole.ToolTipRole)


def test_export_of_one_form_suggests_its_whole_name_safe_for_windows(
    qtbot, seed_zpdb: SeedFile, monkeypatch
) -> None:  # noqa: ANN001
    Messages(monkeypatch)
    asked: list[str] = []

    def ask(parent: object, title: str, suggestion: str, filters: str) -> tuple[str, str]:
        asked.append(suggestion)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    uid = pick_project(window, "业务工作经费")
    assert window.ctx.doc is not None
    window.ctx.doc.set_form_field(uid, "name", "关工委工作经费/2023:[一期]")
    assert not window.files.export(EXCEL, current_only=True)
    suggestion = Path(asked[-1])
    assert suggestion.parent == window.ctx.doc.path.parent
    assert suggestion.name == "关工委工作经费／2023：[一期].xlsx"


def test_an_empty_form_shows_no_score_and_no_grade(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "广元.zpdb"
    Document.create(path, new_report("sichuan-guangyuan", 2023, "某部门", ["某项目"])).close()
    window = make_window(qtbot, path)
    pick_project(window, "某项目")
    text = window.score_label.text()
    assert "0.00" not in text and "差" not in text
    assert "尚未填写" in text


def test_the_score_sheet_shows_suggested_scores_whole(qtbot, seed_zpdb: SeedFile) -> None:
    """预算结余率's suggestion (22 of 24 projects × 8) reads 7.33 beside 3.75, whole in its column."""
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    window.resize(1024, 700)
    assert window.tree.select_node("score", window.ctx.doc.report.overall.uid)
    view = window.score_editor.grids["score_sheet"].view
    model = view.model()
    column = model.column_of(SUGGESTED)
    shown = [(model.index(r, 2).data(), model.index(r, column).data()) for r in range(model.rowCount())]
    assert ("预算结余率（低效无效率）", "7.33") in shown
    assert ("目标实现", "3.75") in shown
    metrics = view.fontMetrics()
    assert all(metrics.horizontalAdvance(t) + 8 <= view.columnWidth(column) for _, t in shown)
