"""An edit repaints what it changes, not the whole grid (issue 15: one edit to repaint ≤ 5 ms).

QAbstractItemView repaints its whole viewport on every focus change; the focus going into a cell's
editor and back when Enter commits it is such a change, and painting every visible cell was most
of an edit's time. Driven with real key events in an active window (focus events need one)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QImage, QPaintEvent
from PySide6.QtWidgets import QApplication, QHeaderView

from gui.grids import view as grid_view
from gui.grids.delegates import input_target
from gui.navigation import OVERALL_NODE, PROJECT_NODE
from tests.gui.window_helpers import column_of, commit_text, grid, make_window, pick_project


class Paints(QObject):
    """Records the rectangles the viewport is asked to paint."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(event, QPaintEvent):
            self.rects.append(event.rect())
        return False


def _indicator_grid_in_view(qtbot, seed_zpdb):  # noqa: ANN001, ANN202
    """Seed 004's window at 1366×728 on 业务工作经费, active, its 指标 grid focused and scrolled
    into view: where a user types in the tests below."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    window.resize(1366, 728)
    pick_project(window, "业务工作经费")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = grid(window, "indicatorGrid")
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    QApplication.processEvents()
    page = window.form_editor
    page.verticalScrollBar().setValue(view.mapTo(page.widget(), view.rect().topLeft()).y())
    return window, view


def test_enter_repaints_the_edited_cells_not_the_grid(qtbot, seed_zpdb) -> None:  # noqa: ANN001
    window, view = _indicator_grid_in_view(qtbot, seed_zpdb)
    col = column_of(view, "actual")
    for row in range(3):
        view.setCurrentIndex(view.model().index(row, col))
        commit_text(view, f"{row + 3}人")
        editor = view.indexWidget(view.currentIndex())
        assert editor is not None and editor.hasFocus()
        QApplication.processEvents()
        shown = view.viewport().visibleRegion().boundingRect()  # the page scrolls, not the grid
        spy = Paints()
        view.viewport().installEventFilter(spy)
        qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
        QApplication.processEvents()
        view.viewport().removeEventFilter(spy)
        assert view.hasFocus() and view.currentIndex().row() == row + 1  # focus back, Enter moved down
        assert view.model().index(row, col).data() == f"{row + 3}人"
        assert spy.rects, "the edited cell is repainted"
        assert all(r.height() < shown.height() // 2 for r in spy.rects), (
            [(r.y(), r.height()) for r in spy.rects],
            shown.height(),
        )


class Layouts(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_a_new_score_in_the_status_bar_lays_nothing_out(qtbot, seed_zpdb) -> None:  # noqa: ANN001
    """The score label keeps its width when its text changes (9.5, then 87.35): no layout of the
    status bar and the window on an edit."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    pick_project(window, "业务工作经费")
    view = grid(window, "fundGrid")
    spy = Layouts()
    window.statusBar().installEventFilter(spy)
    texts = []
    for i, value in enumerate(("50", "60", "7", "80")):
        view.setCurrentIndex(view.model().index(0, column_of(view, "executed")))
        commit_text(view, value)
        editor = view.indexWidget(view.currentIndex())
        assert editor is not None
        QApplication.processEvents()
        spy.count = 0
        qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
        QApplication.processEvents()
        texts.append(window.score_label.text())
        if i:  # the first text sets the label's size
            assert spy.count == 0, texts
    assert len(set(texts)) > 1, texts  # the score did change


def test_a_status_text_shown_again_sizes_its_label_as_measuring_it_does(qtbot, seed_zpdb) -> None:  # noqa: ANN001
    """A status-bar text shown before (a project shown again) sizes its label with the size hint kept
    for it: the label takes the sizes measuring each text afresh gives it (it grows only)."""
    from gui import main_window

    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    label = window.score_label
    texts = ["本表得分 9.5（差）", '本表得分 87.35（良）　<span style="color:#c00000">●&nbsp;预警</span>']
    texts = [texts[0], texts[1], texts[0], texts[1], "本表得分 87.35（良）"]
    start = (label.text(), label.minimumSize(), label.maximumSize())

    def sizes(fresh: bool) -> list[tuple[int, int]]:
        label.setText(start[0])
        label.setMinimumSize(start[1])
        label.setMaximumSize(start[2])
        main_window._HINTS.clear()
        out = []
        for text in texts:
            if fresh:
                main_window._HINTS.clear()  # measured afresh
            main_window.set_status_text(label, text)
            out.append(label.maximumSize().toTuple())
        return out

    measured, kept = sizes(fresh=True), sizes(fresh=False)
    assert kept == measured
    assert measured[0][0] < measured[1][0] == measured[4][0]  # (it grew once, and kept its size)
    assert len(main_window._HINTS[label]) == 3  # (each text measured once)
    # a style sheet (another style, the same font) makes the label wider: its texts measured again
    label.setStyleSheet("padding: 0 40px;")
    main_window.set_status_text(label, texts[0])
    main_window.set_status_text(label, texts[1])
    assert label.maximumWidth() >= label.sizeHint().width() > measured[1][0]


def test_a_project_shown_again_has_its_rows_as_measured(qtbot, seed_zpdb) -> None:  # noqa: ANN001
    """Switching back sets the rows' heights kept from the last showing instead of measuring every
    cell again; an edit (or an undo from another project) makes the form's rows measured afresh."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    window.resize(1366, 728)
    view = grid(window, "indicatorGrid")

    def heights() -> list[int]:
        return [view.rowHeight(r) for r in range(view.model().rowCount())]

    def measured() -> list[int]:
        before = heights()
        view.fit_rows()  # what measuring every cell gives
        after = heights()
        for row, height in enumerate(before):
            view.verticalHeader().resizeSection(row, height)
        return after

    pick_project(window, "业务工作经费")
    first = heights()
    assert first == measured()
    col = column_of(view, "deviation_note")
    view.setCurrentIndex(view.model().index(0, col))
    commit_text(view, "培训班次合并，" * 12)  # a long reason wraps: the row grows
    editor = view.indexWidget(view.currentIndex())
    assert editor is not None
    qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.rowHeight(0) > first[0])
    grown = heights()
    assert grown == measured()

    pick_project(window, "非公有制经济组织和社会组织党建工作经费")
    QApplication.processEvents()
    assert heights() == measured()
    pick_project(window, "业务工作经费")  # back: the kept heights, with the long reason's row
    QApplication.processEvents()
    assert heights() == grown == measured()

    pick_project(window, "非公有制经济组织和社会组织党建工作经费")
    QApplication.processEvents()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo: back to that project
    uid = window.ctx.doc.report.form_by_name("业务工作经费").uid
    qtbot.waitUntil(lambda: window.tree.current_node()[1] == uid)
    qtbot.waitUntil(lambda: view.rowHeight(0) == first[0])
    assert heights() == first == measured()


def test_an_edit_paints_only_the_cells_whose_look_changed(qtbot, seed_zpdb, monkeypatch) -> None:  # noqa: ANN001
    """Enter in 实际值 paints the edited cell, the cell the cursor moves to and the cells whose text
    or colour changed (the 建议得分 beside it, a cell newly flagged) — not the cells between them, nor
    a row of neighbours (a range's rectangle reached into the next row and column, and Qt painted
    the bounding rectangle of all: ten cells for three)."""
    from gui.grids.delegates import GridDelegate

    painted: list[tuple[int, int]] = []
    paint = GridDelegate.paint

    def record(self, painter, option, index) -> None:  # noqa: ANN001
        painted.append((index.row(), index.column()))
        paint(self, painter, option, index)

    monkeypatch.setattr(GridDelegate, "paint", record)
    # every cell painted through the delegate: QTableView's painting (the grid's own, gui/grids/paint.py,
    # paints the same cells — tests/gui/test_cell_images.py — but draws a kept image without it)
    monkeypatch.setattr(grid_view, "paint_cells", lambda *args: False)
    window, view = _indicator_grid_in_view(qtbot, seed_zpdb)
    model = view.model()
    col = column_of(view, "actual")
    suggested = column_of(view, "suggested")
    seen_suggested = False
    told: list[tuple[int, int]] = []  # the cells dataChanged told the view of

    def tell(top, bottom, roles=None) -> None:  # noqa: ANN001
        told.extend(
            (r, c)
            for r in range(top.row(), bottom.row() + 1)
            for c in range(top.column(), bottom.column() + 1)
        )

    for row, text in enumerate(("0人", "99人", "1人")):
        view.setCurrentIndex(model.index(row, col))
        commit_text(view, text)
        editor = view.indexWidget(view.currentIndex())
        assert editor is not None
        QApplication.processEvents()
        cells = [(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())]
        before = {cell: model._paint_roles(*cell) for cell in cells}
        painted.clear()
        told.clear()
        model.dataChanged.connect(tell)
        qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
        QApplication.processEvents()
        model.dataChanged.disconnect(tell)
        # each changed cell told to the view once (a cell typed into and flagged anew was told twice)
        assert len(told) == len(set(told)), sorted(told)
        after = {cell: model._paint_roles(*cell) for cell in cells}
        changed = {cell for cell in cells if before[cell] != after[cell]}
        assert (row, col) in changed and (row, col) in painted
        assert (row + 1, col) in painted  # the cursor's frame moved there
        visible = view.viewport().rect()
        shown = {cell for cell in changed if view.visualRect(model.index(*cell)).intersects(visible)}
        assert shown <= set(painted), "a cell that changed was not repainted (it would show stale)"
        assert set(painted) <= changed | {(row + 1, col)}, sorted(set(painted) - changed)
        seen_suggested = seen_suggested or (row, suggested) in changed
    assert seen_suggested  # the computed 建议得分 did change with 实际值, and was repainted


def test_after_switches_the_screen_shows_what_a_fresh_paint_of_the_page_shows(qtbot, seed_zpdb) -> None:  # noqa: ANN001
    """A switch repaints only what changed on the form page (issue 15: switch ≤ 16 ms): what is on
    screen (the window's backing store) is then, pixel for pixel, what painting the whole page anew
    shows — projects of other heights, the 部门整体 form with its 评分表 and fewer header fields,
    the page scrolled, the window resized."""
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    window.resize(1366, 728)
    report = window.ctx.open_doc.report
    assert report.overall is not None
    nodes = [(PROJECT_NODE, form.uid) for form in report.projects[:4]] + [(OVERALL_NODE, report.overall.uid)]
    page = window.form_editor
    steps = [*nodes, *nodes[::-1]]
    for step, node in enumerate(steps):
        if step == 3:
            page.verticalScrollBar().setValue(150)
        if step == 6:
            window.resize(1024, 700)
        assert window.tree.select_node(*node)
        for _ in range(5):
            QApplication.processEvents()
        area = QRect(page.mapTo(window, QPoint(0, 0)), page.size())
        screen = QApplication.primaryScreen().grabWindow(window.winId()).toImage().copy(area)
        fresh = window.grab(area).toImage()
        assert not differing_pixels(screen, fresh), f"step {step}: the page on screen is not a fresh paint"


def differing_pixels(one: QImage, other: QImage) -> list[tuple[int, int]]:
    """The pixels of two images of one size that differ by more than a shade of grey (a scrolled
    page's blitted grid lines may differ by one level from a fresh paint's: no one sees that)."""
    one, other = (i.convertToFormat(QImage.Format.Format_RGB32) for i in (one, other))
    assert one.size() == other.size()
    line = one.bytesPerLine()
    a, b = bytes(one.constBits()), bytes(other.constBits())
    found = []
    for y in range(one.height()):
        row_a, row_b = a[y * line : (y + 1) * line], b[y * line : (y + 1) * line]
        if row_a != row_b:
            found += [(x // 4, y) for x in range(one.width() * 4) if abs(row_a[x] - row_b[x]) > 8]
    return found


def test_the_headers_show_the_selection_as_a_fresh_paint_does(qtbot, seed_zpdb) -> None:  # noqa: ANN001
    """The row numbers and column titles highlight the sections the selection reaches into (a whole
    selected column or row drawn pressed) and repaint only the sections whose look changes: Enter,
    moving down a column, repaints the two row numbers and not the column's title. After every step
    — typing and Enter, Tab, Shift+arrows, a click on a column title and on a row number, arrows —
    the grid on screen (the window's backing store) is, pixel for pixel, a fresh paint of it."""
    window, view = _indicator_grid_in_view(qtbot, seed_zpdb)
    model = view.model()
    titles, numbers = view.horizontalHeader(), view.verticalHeader()
    col = column_of(view, "actual")

    def on_screen_as_painted(step: str) -> None:
        for _ in range(3):
            QApplication.processEvents()
        shown = view.visibleRegion().boundingRect()
        area = QRect(view.mapTo(window, shown.topLeft()), shown.size())
        screen = QApplication.primaryScreen().grabWindow(window.winId()).toImage().copy(area)
        fresh = window.grab(area).toImage()
        assert not differing_pixels(screen, fresh), f"{step}: the grid on screen is not a fresh paint"

    def key(code: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        qtbot.keyClick(view, code, modifiers)

    def click(header: QHeaderView, section: int) -> None:
        at = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        point = QPoint(at, header.height() // 2) if header is titles else QPoint(header.width() // 2, at)
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)

    on_screen_as_painted("shown")
    for row in range(3):
        view.setCurrentIndex(model.index(row, col))
        commit_text(view, f"{row + 5}人")
        editor = view.indexWidget(view.currentIndex())
        assert editor is not None
        on_screen_as_painted(f"typing in row {row}")
        spies = {header: Paints() for header in (titles, numbers)}
        for header, spy in spies.items():
            header.viewport().installEventFilter(spy)
        qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)
        QApplication.processEvents()
        for header, spy in spies.items():
            header.viewport().removeEventFilter(spy)
        assert view.currentIndex().row() == row + 1 and model.index(row, col).data() == f"{row + 5}人"
        assert spies[numbers].rects, "the highlighted row number moved: repainted"
        assert not spies[titles].rects, "the column's title looks the same: not repainted"
        on_screen_as_painted(f"Enter in row {row}")
    steps: list[tuple[str, Callable[[], None]]] = [
        ("Tab", lambda: key(Qt.Key.Key_Tab)),
        ("Shift+Down", lambda: key(Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)),
        ("Shift+Right", lambda: key(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)),
        ("Up", lambda: key(Qt.Key.Key_Up)),
        ("a column title", lambda: click(titles, col)),
        ("Down", lambda: key(Qt.Key.Key_Down)),
        ("a row number", lambda: click(numbers, 2)),
        ("Shift+Down after it", lambda: key(Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)),
        ("Left", lambda: key(Qt.Key.Key_Left)),
        ("Enter", lambda: key(Qt.Key.Key_Return)),
    ]
    for name, step in steps:
        step()
        on_screen_as_painted(name)
    assert view.selectionModel().selectedIndexes(), "the steps did select cells"
