"""The Excel-like grids, driven by keys and input-method commits over real .zpdb files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from core.report import Document
from gui.context import AppContext
from gui.grids import GridView
from gui.grids.base import COMPUTED_ROLE, SEVERITY_ROLE, table_problems

SEED = "seed004_yiyang"
EXCEL_3x4 = (
    '产出指标\t数量指标\t"培训\n班次数"\t≥4\r\n'
    "产出指标\t质量指标\t参训率\t≥95%\r\n"
    "效益指标\t社会效益指标\t覆盖面\t稳步提升\r\n"
)


@pytest.fixture
def open_ctx(seed_zpdb: Callable[[str], Path], qapp: QApplication) -> Iterator[Callable[[str], AppContext]]:
    """Return a function that opens a fresh copy of a seed in an AppContext."""
    opened: list[AppContext] = []

    def make(name: str = SEED) -> AppContext:
        ctx = AppContext(Document.open(seed_zpdb(name)))
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        if ctx.doc is not None:
            ctx.doc.close()


@pytest.fixture
def grid_of(open_ctx: Callable[[str], AppContext], qtbot) -> Iterator[Callable[..., GridView]]:  # noqa: ANN001
    """Return a function that shows a GridView over one table of one form.

    The fixture holds the grids until the test is over: qtbot only keeps weak references, and a
    shown grid held by nothing but its own signal connections could be collected while it paints."""
    made: list[GridView] = []

    def make(
        table: str = "indicators", form: int = 2, seed: str = SEED, ctx: AppContext | None = None
    ) -> GridView:
        ctx = ctx or open_ctx(seed)
        grid = GridView(ctx, table)
        qtbot.addWidget(grid)
        assert ctx.doc is not None
        grid.set_form(ctx.doc.report.forms[form].uid)
        grid.resize(1200, 600)
        grid.show()
        made.append(grid)
        return grid

    yield make
    for grid in made:
        grid.close()


def on_disk(grid: GridView) -> Document:
    """Close the grid's document and open its file again."""
    doc = grid.ctx.doc
    assert doc is not None
    grid.ctx.set_document(None)
    doc.close()
    return Document.open(doc.path)


def commit_text(widget: QWidget, text: str) -> None:
    """Type Chinese the way an input method does (QTest key clicks are ASCII-only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def cell(grid: GridView, row: int, key: str) -> str:
    return str(grid.model.index(row, grid.model.column_of(key)).data(Qt.ItemDataRole.EditRole))


def editor(grid: GridView) -> QWidget | None:
    return grid.view.indexWidget(grid.view.currentIndex())


def select(grid: GridView, top: int, left_key: str, bottom: int, right_key: str) -> None:
    grid.select_range(top, grid.model.column_of(left_key), bottom, grid.model.column_of(right_key))


# ---- models -----------------------------------------------------------------------------------


GRIDS = [
    (SEED, "funds", 0),
    (SEED, "funds", 2),
    (SEED, "goals", 2),
    (SEED, "indicators", 0),
    (SEED, "indicators", 2),
    (SEED, "score_sheet", 2),
    ("seed001_guangyuan", "funds", 1),
    ("seed001_guangyuan", "goals", 0),
    ("seed001_guangyuan", "indicators", 0),
    ("seed001_guangyuan", "score_sheet", 0),
    ("seed001_guangyuan", "score_sheet", 2),
]


@pytest.mark.parametrize(("seed", "table", "form"), GRIDS)
def test_models_pass_the_model_tester(grid_of, qtmodeltester, seed: str, table: str, form: int) -> None:  # noqa: ANN001
    grid = grid_of(table, form, seed)
    qtmodeltester.check(grid.model)


@pytest.mark.parametrize(("seed", "table", "form"), GRIDS)
def test_text_columns_show_their_text_as_rows_are_measured(grid_of, seed: str, table: str, form: int) -> None:  # noqa: ANN001
    """The texts a row is measured by (``shown_texts``, read in bulk) are what its text cells show;
    no text column shows a computed value (those are in computed and amount columns)."""
    grid = grid_of(table, form, seed)
    model = grid.model
    texts = [i for i, c in enumerate(model.columns) if not (c.computed or c.editor in ("amount", "none"))]
    read = model.shown_texts(texts)
    for row in range(model.rowCount()):
        assert all(model.computed(row, col) is None for col in texts)
        shown = [str(model.index(row, col).data(Qt.ItemDataRole.DisplayRole) or "") for col in texts]
        assert read(row) == shown


@pytest.mark.parametrize(("seed", "table", "form"), GRIDS)
def test_a_row_worked_out_at_once_is_as_its_cells_each(grid_of, seed: str, table: str, form: int) -> None:  # noqa: ANN001
    """A row painted for the first time has its cells' paint roles (text, background, foreground,
    alignment) worked out together (``paint_row``): the same as each cell's own, problem colours
    and computed cells included."""
    grid = grid_of(table, form, seed)
    model = grid.model
    one_by_one = []
    for row in range(model.rowCount()):
        model._painted = {}
        one_by_one.append([model._paint_roles(row, col) for col in range(model.columnCount())])
    together = []
    for row in range(model.rowCount()):
        model._painted = {}
        cells = model.paint_row(row)
        together.append([cells[col] for col in range(model.columnCount())])
    assert together == one_by_one
    backgrounds = {style[1] is not None for row in together for style in row}
    if table == "indicators" and form == 2:
        assert model.rowCount() > 5 and backgrounds == {True, False}  # (problem colours and plain cells met)


def test_columns_come_from_the_template(grid_of) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    titles = [grid.model.headerData(i, Qt.Orientation.Horizontal) for i in range(grid.model.columnCount())]
    assert titles == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "自评得分",
        "建议得分",
        "偏差原因分析及改进措施",
    ]
    funds = grid_of("funds", ctx=grid.ctx)
    assert funds.model.headerData(1, Qt.Orientation.Vertical) == "\u3000其中：当年财政拨款"


# ---- typing and moving ----------------------------------------------------------------------


def test_chinese_typed_in_a_cell_lands_in_the_file(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    grid.select_cell(1, "actual")
    commit_text(grid.view, "一百二十六个")
    line = grid.view.findChild(QLineEdit)
    assert isinstance(line, QLineEdit) and line.text() == "一百二十六个"  # typing replaced the content
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert cell(grid, 1, "actual") == "一百二十六个"
    assert grid.view.currentIndex().row() == 2  # Enter moved down
    uid = grid.model.uid
    disk = on_disk(grid)
    try:
        assert disk.get_cell(uid, "indicators", 1, "actual") == "一百二十六个"
    finally:
        disk.close()


def test_enter_tab_and_their_shifted_forms_move_like_excel(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    view = grid.view
    grid.select_cell(0, "target")
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, 3)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert view.currentIndex().column() == 4
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, 3)
    qtbot.keyClick(view, Qt.Key.Key_7)  # typing a digit opens the editor with just that digit
    qtbot.keyClick(editor(grid), Qt.Key.Key_Tab)
    assert cell(grid, 0, "target") == "7" and view.currentIndex().column() == 4
    qtbot.keyClick(view, Qt.Key.Key_8)
    qtbot.keyClick(editor(grid), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert cell(grid, 0, "actual") == "8" and view.currentIndex().column() == 3
    qtbot.keyClick(view, Qt.Key.Key_9)
    qtbot.keyClick(editor(grid), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert cell(grid, 0, "target") == "9" and view.currentIndex().row() == 0


def test_f2_edits_in_place(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    grid.select_cell(0, "target")
    qtbot.keyClick(grid.view, Qt.Key.Key_F2)
    line = editor(grid)
    assert isinstance(line, QLineEdit) and line.text() == "≥4"
    line.end(False)
    qtbot.keyClicks(line, "0")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert cell(grid, 0, "target") == "≥40"


def test_delete_clears_the_selection_in_one_undo_step(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    before = [(cell(grid, r, "target"), cell(grid, r, "actual")) for r in (0, 1)]
    select(grid, 0, "target", 1, "actual")
    steps = grid.ctx.undo_stack.count()
    qtbot.keyClick(grid.view, Qt.Key.Key_Delete)
    assert [(cell(grid, r, "target"), cell(grid, r, "actual")) for r in (0, 1)] == [("", "")] * 2
    assert grid.ctx.undo_stack.count() == steps + 1
    qtbot.keyClick(grid.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [(cell(grid, r, "target"), cell(grid, r, "actual")) for r in (0, 1)] == before
    qtbot.keyClick(grid.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert cell(grid, 1, "actual") == ""


# ---- clipboard --------------------------------------------------------------------------------


def test_paste_a_block_from_a_spreadsheet_grows_the_table(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    rows = grid.model.rowCount()
    QGuiApplication.clipboard().setText(EXCEL_3x4)
    grid.select_cell(rows - 2, "level1")
    qtbot.keyClick(grid.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert grid.model.rowCount() == rows + 1
    assert [cell(grid, rows - 2, k) for k in ("level1", "level2", "level3", "target")] == [
        "产出指标",
        "数量指标",
        "培训\n班次数",
        "≥4",
    ]
    assert [cell(grid, rows, k) for k in ("level1", "level2", "level3", "target")] == [
        "效益指标",
        "社会效益指标",
        "覆盖面",
        "稳步提升",
    ]
    grid.ctx.undo_stack.undo()  # one step takes back the rows and the cells
    assert grid.model.rowCount() == rows and cell(grid, rows - 2, "level3") == "两新党组织党建工作水平"
    grid.ctx.undo_stack.redo()
    uid = grid.model.uid
    disk = on_disk(grid)
    try:
        ind = disk.form(uid).indicators
        assert len(ind) == rows + 1 and ind[rows - 2].level3 == "培训\n班次数"
        assert ind[rows - 1].target == "≥95%"
    finally:
        disk.close()


def test_one_value_pasted_over_a_selection_fills_it(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    QGuiApplication.clipboard().setText("10\r\n")
    select(grid, 0, "weight", 3, "score")
    grid.paste()
    assert all(cell(grid, r, k) == "10" for r in range(4) for k in ("weight", "score"))
    assert cell(grid, 4, "weight") == "10" and cell(grid, 1, "score") == "10"
    grid.ctx.undo_stack.undo()
    assert cell(grid, 1, "score") == "9"


def test_copy_puts_tab_separated_text_on_the_clipboard(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    select(grid, 0, "level3", 1, "actual")
    qtbot.keyClick(grid.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == (
        "培训班次数\t≥4\t5\r\n"
        "两新组织党组织 335 个支部活动经费\t3000 元/个\t126 个党支部拨付党建经费 55.88 万元\r\n"
    )


def test_ctrl_d_fills_down(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    select(grid, 0, "actual", 2, "actual")
    qtbot.keyClick(grid.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [cell(grid, r, "actual") for r in range(3)] == ["5", "5", "5"]
    grid.ctx.undo_stack.undo()
    assert cell(grid, 2, "actual") == "100%"


# ---- rows --------------------------------------------------------------------------------------


def test_insert_delete_and_move_rows_with_keys_and_undo(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    view, stack, ctrl = grid.view, grid.ctx.undo_stack, Qt.KeyboardModifier.ControlModifier
    names = [cell(grid, r, "level3") for r in range(grid.model.rowCount())]
    grid.select_cell(1, "level3")
    qtbot.keyClick(view, Qt.Key.Key_Equal, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert [cell(grid, r, "level3") for r in range(3)] == [names[0], "", names[1]]
    assert view.currentIndex().row() == 1
    stack.undo()
    assert [cell(grid, r, "level3") for r in range(grid.model.rowCount())] == names
    stack.redo()
    qtbot.keyClick(view, Qt.Key.Key_Minus, ctrl)
    assert [cell(grid, r, "level3") for r in range(grid.model.rowCount())] == names
    stack.undo()
    assert cell(grid, 1, "level3") == ""
    stack.redo()
    grid.select_cell(2, "level3")
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [cell(grid, r, "level3") for r in range(3)] == [names[0], names[2], names[1]]
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [cell(grid, r, "level3") for r in range(3)] == names[:3]
    stack.undo()
    assert cell(grid, 1, "level3") == names[2]
    uid = grid.model.uid
    disk = on_disk(grid)
    try:
        assert [i.level3 for i in disk.form(uid).indicators][:3] == [names[0], names[2], names[1]]
    finally:
        disk.close()


def test_fund_rows_are_fixed(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("funds")
    grid.select_cell(1, "initial")
    with qtbot.waitSignal(grid.message) as blocker:
        qtbot.keyClick(grid.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert "模板" in blocker.args[0] and grid.model.rowCount() == 4


# ---- computed cells, bad input, flags -------------------------------------------------------------


def test_computed_cells_are_read_only_with_the_computation_as_tooltip(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("funds")
    model = grid.model
    rate = model.index(0, model.column_of("rate"))
    assert rate.data() == "86.61%" and rate.data(COMPUTED_ROLE)
    assert not model.flags(rate) & Qt.ItemFlag.ItemIsEditable
    assert "87.62 ÷ 101.17" in rate.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, model.column_of("score")).data() == "8.66"
    grid.select_cell(0, "rate")
    with qtbot.waitSignal(grid.message):
        qtbot.keyClick(grid.view, Qt.Key.Key_5)
    assert editor(grid) is None and rate.data() == "86.61%"
    grid.select_cell(0, "executed")
    qtbot.keyClick(grid.view, Qt.Key.Key_9)
    qtbot.keyClicks(editor(grid), "0")
    qtbot.keyClick(editor(grid), Qt.Key.Key_Return)
    assert rate.data() == "88.96%"  # 90 ÷ 101.17, refreshed the moment the edit is committed
    indicators = grid_of("indicators", ctx=grid.ctx)
    suggested = indicators.model.index(0, indicators.model.column_of("suggested"))
    assert suggested.data() == "10" and not indicators.model.flags(suggested) & Qt.ItemFlag.ItemIsEditable


def test_blank_total_shows_the_computed_subtotal(grid_of) -> None:  # noqa: ANN001
    grid = grid_of("funds", form=0)
    executed = grid.model.index(0, grid.model.column_of("executed"))
    grid.model.setData(executed, "")
    assert executed.data() == "2187.04" and executed.data(COMPUTED_ROLE)
    assert "基本支出 + 项目支出" in executed.data(Qt.ItemDataRole.ToolTipRole)


def test_a_bad_amount_is_refused_with_a_message(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    steps = grid.ctx.undo_stack.count()
    grid.select_cell(0, "weight")
    qtbot.keyClick(grid.view, Qt.Key.Key_A)
    qtbot.keyClicks(editor(grid), "bc")
    with qtbot.waitSignal(grid.message) as blocker:
        qtbot.keyClick(editor(grid), Qt.Key.Key_Return)
    assert "不是数字" in blocker.args[0]
    assert cell(grid, 0, "weight") == "10" and grid.ctx.undo_stack.count() == steps


def test_a_cell_turns_red_when_an_edit_breaks_a_rule(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    actual = grid.model.index(0, grid.model.column_of("actual"))
    note = grid.model.index(0, grid.model.column_of("deviation_note"))
    assert actual.data(SEVERITY_ROLE) is None and note.data(SEVERITY_ROLE) is None
    grid.select_cell(0, "actual")
    commit_text(grid.view, "≥5")
    qtbot.keyClick(editor(grid), Qt.Key.Key_Return)
    assert actual.data(SEVERITY_ROLE) == "error"
    assert actual.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#ffc7ce"
    assert "比较符号" in actual.data(Qt.ItemDataRole.ToolTipRole)
    grid.model.setData(actual, "3")  # a missed target now needs a 偏差原因
    assert actual.data(SEVERITY_ROLE) is None and note.data(SEVERITY_ROLE) == "error"
    grid.ctx.undo_stack.undo()
    grid.ctx.undo_stack.undo()
    assert actual.data(SEVERITY_ROLE) is None and note.data(SEVERITY_ROLE) is None


def test_a_form_shown_again_after_an_edit_shows_its_new_problems(grid_of, qtbot) -> None:  # noqa: ANN001
    """A grid showing a form again collects the form's problems of its table as they are now (the
    form's problems are split by table once for its grids: table_problems), not as they were."""
    grid = grid_of("indicators")
    model, index = grid.model, grid.ctx.problem_index
    uid = model.uid
    for table in ("funds", "goals", "indicators", "header"):
        assert table_problems(index, uid, table) == [p for p in index.of(uid) if p.table == table]
    before = list(table_problems(index, uid, "indicators"))
    model.setData(model.index(0, model.column_of("actual")), "≥5")  # breaks a rule in row 0
    after = table_problems(index, uid, "indicators")
    assert after == [p for p in index.of(uid) if p.table == "indicators"] and after != before
    other = grid.ctx.doc.report.forms[1].uid
    grid.set_form(other)
    grid.set_form(uid)  # collected afresh (nothing kept: the form changed)
    assert model.index(0, model.column_of("actual")).data(SEVERITY_ROLE) == "error"


def test_the_column_titles_kept_are_those_the_header_shows(grid_of) -> None:  # noqa: ANN001
    """column_titles (kept for the headers' looks, size hints and paints) follows a title broken into
    lines and another form's columns."""
    grid = grid_of("indicators")
    model = grid.model

    def shown() -> tuple[str, ...]:
        horizontal = Qt.Orientation.Horizontal
        return tuple(str(model.headerData(i, horizontal)) for i in range(model.columnCount()))

    assert model.column_titles() == shown()
    model.title_lines = {1: "一级\n指标"}
    assert model.column_titles() == shown() and model.column_titles()[1] == "一级\n指标"
    model.title_lines = {}
    assert model.column_titles() == shown()
    assert grid.ctx.doc is not None
    grid.set_form(grid.ctx.doc.report.forms[0].uid)  # (the 部门整体: other columns)
    assert model.column_titles() == shown()


def test_warnings_are_yellow(grid_of, qtbot) -> None:  # noqa: ANN001
    funds = grid_of("funds")
    rate = funds.model.index(0, funds.model.column_of("rate"))
    assert rate.data(SEVERITY_ROLE) == "warning"  # 执行率 86.61% < 90%
    assert rate.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#ffeb9c"
    assert "低于 90%" in rate.data(Qt.ItemDataRole.ToolTipRole)
    grid = grid_of("indicators", ctx=funds.ctx)
    level1 = grid.model.index(6, grid.model.column_of("level1"))
    assert level1.data(SEVERITY_ROLE) is None
    grid.select_cell(6, "level2")
    commit_text(grid.view, "数量指标")
    qtbot.keyClick(editor(grid), Qt.Key.Key_Return)
    assert level1.data(SEVERITY_ROLE) == "warning"
    assert "不属于一级指标" in level1.data(Qt.ItemDataRole.ToolTipRole)


# ---- editors ----------------------------------------------------------------------------------------


def test_level_columns_offer_the_vocabulary_and_accept_free_text(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    grid.select_cell(0, "level2")
    qtbot.keyClick(grid.view, Qt.Key.Key_F2)
    combo = editor(grid)
    assert isinstance(combo, QComboBox)
    offered = [combo.itemText(i) for i in range(combo.count())]
    assert offered == ["数量指标", "质量指标", "时效指标", "成本指标"]
    combo.setEditText("")
    commit_text(combo.lineEdit(), "自定二级")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert cell(grid, 0, "level2") == "自定二级" and grid.view.currentIndex().row() == 1


def test_long_cells_take_line_breaks_with_alt_enter(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("goals")
    grid.select_cell(0, "achieved")
    commit_text(grid.view, "第一行")
    box = editor(grid)
    assert isinstance(box, QPlainTextEdit)
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    commit_text(box, "第二行")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert cell(grid, 0, "achieved") == "第一行\n第二行"


def test_score_sheet_levels_edit_the_item_path(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("score_sheet", form=0, seed="seed001_guangyuan")
    uid = grid.model.uid
    path = [cell(grid, 0, k) for k in ("path0", "path1", "path2")]
    assert path == ["部门预算总体绩效", "目标管理", "目标制定"]
    grid.select_cell(0, "path2")
    commit_text(grid.view, "目标编制")
    qtbot.keyClick(editor(grid), Qt.Key.Key_Return)
    assert grid.ctx.doc.form(uid).score_sheet[0].path == ["部门预算总体绩效", "目标管理", "目标编制"]


def test_rows_grow_to_fit_wrapped_text(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    one_line = grid.view.rowHeight(0)
    grid.select_cell(0, "deviation_note")
    commit_text(grid.view, "因培训计划调整，部分班次合并举办，下一年度将提前统筹安排培训计划并加强进度管理")
    qtbot.keyClick(editor(grid), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.view.rowHeight(0) > one_line)  # fitted on the next turn of the loop


def test_no_form_is_an_empty_grid(grid_of) -> None:  # noqa: ANN001
    grid = grid_of("goals")
    assert grid.model.rowCount() == 1
    grid.set_form(None)
    assert grid.model.rowCount() == 0 and grid.model.columnCount() == 0
    grid.select_cell(0, "goal")  # nothing to select: no error
    assert not grid.view.currentIndex().isValid()


def test_input_method_composition_starts_editing(grid_of, qtbot) -> None:  # noqa: ANN001
    grid = grid_of("indicators")
    grid.select_cell(0, "level3")
    composing = QInputMethodEvent("pei", [])
    QApplication.sendEvent(grid.view, composing)  # pinyin being composed: the editor opens, emptied
    line = editor(grid)
    assert isinstance(line, QLineEdit) and line.text() == ""
    commit_text(line, "培训")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert cell(grid, 0, "level3") == "培训"
