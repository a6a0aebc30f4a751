"""The panels are updated by difference after an edit (issue 15's speed work): after every kind of
change they must show exactly what a full re-read of the checker shows.

Checked after each step: the problem list (same problems, in order), each grid's flagged cells
and what its painted cells were painted with, the tree's error badges and 自评预警 flags, and the
status bar's counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from core.scoring import score_form
from gui.main_window import MainWindow
from gui.navigation import KEY_ROLE, KIND_ROLE, OVERALL_NODE, PROJECT_NODE, node_targets
from gui.problems import order
from tests.gui.window_helpers import grid, make_window, pick_project, type_into_cell

SeedFile = Callable[[str], Path]
PROJECT = "业务工作经费"


@pytest.fixture
def seed(seed_zpdb: SeedFile) -> Path:
    return seed_zpdb("seed004_yiyang")


def assert_panels_match_checker(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    checker, doc = window.ctx.checker, window.ctx.doc
    assert checker is not None and doc is not None
    everything = checker.problems
    # the status bar and the grids: in the repaint of the edit itself (no turn of the event loop yet)
    counts = checker.counts()
    assert (
        window.counts_label.text()
        == f"错误 {counts['error']}　警告 {counts['warning']}　提示 {counts['info']}"
    )
    # every visible grid's flagged cells
    for editor in (window.form_editor, window.score_editor):
        for g in editor.grids.values():
            model = g.model
            if model.uid is None:
                continue
            expected = {}
            for row in range(model.rowCount()):
                for col, column in enumerate(model.columns):
                    found = [
                        p
                        for key in column.lookup_keys()
                        for p in checker.problems_at(model.uid, model.table, row, key)
                    ]
                    if found:
                        expected[(row, col)] = found
            # in order: a cell's tooltip lists its problems so (its columns' keys, then the checker's)
            assert model._problems == expected, model.table
            # what each painted cell was painted with (text, colours) is what it shows now: an edit
            # repaints only the cells it may change, so a cell left out would show a stale value
            g.view.viewport().repaint()
            for row, cells in list(model._painted.items()):
                for col, style in list(cells.items()):
                    assert model._paint_roles(row, col) == style, (model.table, row, model.columns[col].key)
    # the problem list and the tree: on the next turn of the event loop, after that repaint
    QApplication.processEvents()
    # the problem list: the same problems, in order
    shown = window.problems.model.problems
    assert Counter(shown) == Counter(everything)
    assert [order(p) for p in shown] == sorted(order(p) for p in everything)
    # the tree: error badges and, once computed, the 自评预警 flags
    nav = window.tree.nav_model
    qtbot.waitUntil(lambda: not nav._unscored, timeout=10000)
    errors: Counter[tuple[str, object]] = Counter()
    for p in everything:
        if p.severity == "error":
            for target in node_targets(window.ctx, p):
                errors[target] += 1
    for item in nav.items():
        kind, key = item.data(KIND_ROLE), item.data(KEY_ROLE)
        target = (PROJECT_NODE, key) if kind in (OVERALL_NODE, PROJECT_NODE) else (kind, key)
        n = errors.get(target, 0)
        assert (f"{n} 个错误" in item.toolTip()) == bool(n), (kind, key, item.toolTip())
        if kind in (OVERALL_NODE, PROJECT_NODE):
            warning = score_form(doc.report, doc.form(key), doc.template).warning
            assert nav._warnings.get(key, (None, ""))[0] == (
                warning if warning in ("red", "yellow") else None
            )
            assert item.icon().isNull() == (not n and warning not in ("red", "yellow")), (kind, key)


def test_panels_follow_every_kind_of_change(qtbot, seed: Path) -> None:  # noqa: ANN001
    window = make_window(qtbot, seed)
    assert_panels_match_checker(window, qtbot)
    uid = pick_project(window, PROJECT)
    view = grid(window, "indicatorGrid")
    # a missed target: new problems in one form; then a reason: some go again
    type_into_cell(qtbot, view, 0, "target", "≥5名")
    type_into_cell(qtbot, view, 0, "actual", "3名")
    assert_panels_match_checker(window, qtbot)
    type_into_cell(qtbot, view, 0, "deviation_note", "培训班次合并")
    assert_panels_match_checker(window, qtbot)
    # spending that changes the 自评预警
    funds = grid(window, "fundGrid")
    type_into_cell(qtbot, funds, 0, "executed", "1")
    assert_panels_match_checker(window, qtbot)
    # a paste of many rows (a batch checked in full at its end)
    indicators = window.form_editor.grids["indicators"]
    QGuiApplication.clipboard().setText("\n".join(f"指标{r}\t≥{r}人\t{r + 1}人\t4" for r in range(40)))
    first = indicators.model.column_of("level3")
    indicators.select_range(0, first, 0, first)
    indicators.paste()
    assert_panels_match_checker(window, qtbot)
    # rows deleted, then undo and redo
    indicators.select_range(2, 0, 4, 0)
    indicators.delete_rows()
    assert_panels_match_checker(window, qtbot)
    window.undo()
    assert_panels_match_checker(window, qtbot)
    window.redo()
    assert_panels_match_checker(window, qtbot)
    # a rename (every problem of the form carries its name), a new project, a deleted one
    window.tree.rename_project(uid, "业务工作经费（改）")
    assert_panels_match_checker(window, qtbot)
    window.tree.add_project("新项目甲", edit=False)
    assert_panels_match_checker(window, qtbot)
    window.tree.delete_project(uid, confirm=False)
    assert_panels_match_checker(window, qtbot)
    window.undo()
    assert_panels_match_checker(window, qtbot)
    # the report's own text (report rules only)
    window.ctx.doc.set_section(0, text="本部门全年预算执行率 12.5%，项目支出 3 个。")
    assert_panels_match_checker(window, qtbot)
    window.check_all()
    assert_panels_match_checker(window, qtbot)


def test_a_big_report_shows_first_and_is_checked_in_steps(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from core.model import Indicator
    from core.report import Document, new_report

    report = new_report("hunan-yiyang", 2023, "测试部", [f"项目{p}" for p in range(70)])
    for p, form in enumerate(report.projects):
        form.indicators = [
            Indicator("产出指标", "数量指标", f"指标{p}-{i}", f"≥{i + 2}人", f"{i + 1}人", "4", "4")
            for i in range(5)
        ]
    path = tmp_path / "big.zpdb"
    Document.create(path, report).close()
    window = make_window(qtbot, path)
    assert window.ctx.checking and window.counts_label.text() == "正在检查…"
    # an edit while the check runs: it counts once the check is done
    uid = pick_project(window, "项目3")
    type_into_cell(qtbot, grid(window, "indicatorGrid"), 0, "deviation_note", "培训班次合并")
    qtbot.waitUntil(lambda: not window.ctx.checking, timeout=30000)
    assert window.ctx.doc.get_cell(uid, "indicators", 0, "deviation_note") == "培训班次合并"
    assert window.counts_label.text().startswith("错误 ")
    assert_panels_match_checker(window, qtbot)
    type_into_cell(qtbot, grid(window, "indicatorGrid"), 1, "deviation_note", "原因")
    assert_panels_match_checker(window, qtbot)


def test_a_typed_weight_brings_the_total_finding_into_the_list_and_takes_it_away(qtbot, seed: Path) -> None:  # noqa: ANN001
    """The 分值 rule (V06) declares the columns it reads: typing a 分值 re-runs it, typing a
    实际完成值 (not read) does not — and the list shows the finding exactly while it holds."""
    window = make_window(qtbot, seed)
    uid = pick_project(window, PROJECT)
    view = grid(window, "indicatorGrid")
    weight = view.model().index(0, view.model().column_of("weight")).data()

    def totals() -> list[str]:
        QApplication.processEvents()  # the list follows an edit on the next turn of the event loop
        return [p.message for p in window.problems.model.problems if p.rule == "V06" and p.form_uid == uid]

    assert totals() == []
    type_into_cell(qtbot, view, 0, "weight", str(int(float(weight)) + 5))
    assert len(totals()) == 1 and "指标分值合计" in totals()[0]
    type_into_cell(qtbot, view, 1, "actual", "12人")
    assert len(totals()) == 1
    assert_panels_match_checker(window, qtbot)
    type_into_cell(qtbot, view, 0, "weight", weight)
    assert totals() == []
    assert_panels_match_checker(window, qtbot)


def test_edits_made_before_the_list_follows_all_show_in_it(qtbot, seed: Path) -> None:  # noqa: ANN001
    """The problem list and the tree follow an edit on the next turn of the event loop (the edit's
    own repaint first). Edits made before that turn — typed one after the other, in two forms — are
    all shown then, none lost: each cell's problems as the checker has them."""
    window = make_window(qtbot, seed)
    uid = pick_project(window, PROJECT)
    other = next(f for f in window.ctx.open_doc.report.projects if f.uid != uid)
    QApplication.processEvents()
    before = Counter(window.problems.model.problems)
    view = grid(window, "indicatorGrid")
    type_into_cell(qtbot, view, 0, "target", "≥5名")  # a missed target: new problems in the form
    type_into_cell(qtbot, view, 0, "actual", "3名")
    type_into_cell(qtbot, view, 1, "actual", "0")
    window.ctx.open_doc.set_cell(other.uid, "indicators", 0, "actual", "")  # and in another form
    assert window.ctx.checker is not None
    now = Counter(window.ctx.checker.problems)
    came = now - before
    assert {p.form_uid for p in came} == {uid, other.uid}, came  # each edit changed the list
    assert_panels_match_checker(window, qtbot)
