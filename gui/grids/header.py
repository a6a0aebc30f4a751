"""A grid header's sections set up for painting as QHeaderView sets them up, without asking Python.

QHeaderView::paintSection has ``initStyleOptionForIndex`` fill each section's style option: it asks
the model for six roles of the section (alignment, text, icon, font, foreground, background) and the
selection model whether the selection reaches into the section's row (column) and whether it holds
the whole of it and of its two neighbours — each a round trip into Python (the model's headerData,
index, rowCount, columnCount and flags; the orientation made into a Python enum every time), some
ten a section, a third of a project switch's painting when the row heights change.

``Sections`` does the same from what the grid already holds: the titles (row labels) it shows, the
selection's ranges read once per paint, the header's alignment and state. It fills only what
QHeaderView fills, with the same values, and only where it knows them to be Qt's: a GridModel whose
headerData and flags are the grid's own (no icons, fonts or brushes in a header; every cell
selectable), no sort indicator, no hidden or moved sections, no mouse button down and not under the
mouse (the section hovered or pressed is Qt's to know) — any other case is left to QHeaderView.
tests/gui/test_header_paint.py compares the options and the painted headers with Qt's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from gui.grids.base import GridModel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QHeaderView, QStyleOptionHeader


class Look:
    """The enums a section's option is set with, made once (after the window's first paint: making
    QStyle's enums is not on its way)."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QStyle, QStyleOptionHeader

        state = QStyle.StateFlag
        self.active = state.State_Active.value
        self.sunken = state.State_Sunken.value
        self.on = state.State_On.value
        self.states: dict[int, Any] = {}  # int -> QStyle.State (making a flag from an int is slow)
        self.state_type: Any = None
        where = QStyleOptionHeader.SectionPosition
        self.only, self.beginning, self.end, self.middle = (
            where.OnlyOneSection,
            where.Beginning,
            where.End,
            where.Middle,
        )
        near = QStyleOptionHeader.SelectedPosition
        self.near = {
            (False, False): near.NotAdjacent,
            (True, False): near.PreviousIsSelected,
            (False, True): near.NextIsSelected,
            (True, True): near.NextAndPreviousAreSelected,
        }
        self.icon_alignment = Qt.AlignmentFlag.AlignVCenter
        self.no_buttons = Qt.MouseButton.NoButton

    def state(self, base: Any, added: int) -> Any:
        """A state (QStyle.State) of ``base`` with the ``added`` bits."""
        value = base._value_ | added
        found = self.states.get(value)
        if found is None:
            found = self.states[value] = type(base)(value)
        return found


_LOOK: list[Look] = []


def look() -> Look:
    if not _LOOK:
        _LOOK.append(Look())
    return _LOOK[0]


class Sections:
    """What every section of one paint of a header shares: its titles, which sections the selection
    reaches into (``on``) and holds whole (``whole``), the window's activity, the alignment."""

    def __init__(self, header: QHeaderView, model: GridModel, titles: tuple[str, ...], rows: bool) -> None:
        self.look = look()
        self.titles = titles
        self.count = count = header.count()
        # QHeaderView's first and last sections are the first and last with a size (a section of
        # no size starts where the next one does)
        size = header.sectionSize
        self.first = next((i for i in range(count) if size(i) > 0), -1)
        self.last = next((i for i in range(count - 1, -1, -1) if size(i) > 0), -1)
        self.alignment = header.defaultAlignment()
        self.states: dict[int, Any] | None = None  # the sections' states by what is added to the base
        self.active = self.look.active if header.window().isActiveWindow() else 0
        self.on: set[int] = set()
        self.whole: set[int] = set()
        if not (header.sectionsClickable() and header.highlightSections()):
            self.highlight = False
            return
        self.highlight = True
        selection = header.selectionModel()
        if selection is None:
            return
        picked = selection.selection()
        spans: dict[int, list[tuple[int, int]]] = {}  # section -> the spans across it selected
        for i in range(picked.size()):
            part = picked.at(i)
            if not part.isValid():
                continue
            top, left, bottom, right = part.top(), part.left(), part.bottom(), part.right()
            first, last, low, high = (top, bottom, left, right) if rows else (left, right, top, bottom)
            for section in range(first, last + 1):
                spans.setdefault(section, []).append((low, high))
        across = model.columnCount() if rows else model.rowCount()  # (every cell selectable)
        self.on = set(spans)
        for section, found in spans.items():
            reach = 0  # the first cell across not selected yet
            for low, high in sorted(found):
                if low > reach:
                    break
                reach = max(reach, high + 1)
            if across > 0 and reach >= across:
                self.whole.add(section)

    def fill(self, option: QStyleOptionHeader, logical: int) -> None:
        """Set up ``option`` (QHeaderView::initStyleOption's) for section ``logical``, as
        QHeaderView::initStyleOptionForIndex does."""
        look = self.look
        added = self.active
        if self.highlight:
            if logical in self.on:
                added |= look.on
            if logical in self.whole:
                added |= look.sunken
        states = self.states
        if states is None:  # (initStyleOption's state is the header's: the same for every section)
            states = self.states = {}
            self.base = option.state
        state = states.get(added)
        if state is None:
            state = states[added] = look.state(self.base, added)
        option.section = logical
        option.state = state
        option.textAlignment = self.alignment
        option.iconAlignment = look.icon_alignment
        option.text = self.titles[logical] if 0 <= logical < len(self.titles) else ""
        first, last = logical == self.first, logical == self.last
        if first and last:
            option.position = look.only
        elif first:
            option.position = look.beginning
        elif last:
            option.position = look.end
        else:
            option.position = look.middle
        whole = self.whole
        option.selectedPosition = look.near[(logical - 1 in whole, logical + 1 in whole)]


def qt_fills(header: QHeaderView, model: object) -> bool:
    """True when a section's option is one ``Sections`` does not fill (QHeaderView fills it)."""
    port = header.viewport()
    return (
        not isinstance(model, GridModel)
        or type(model).headerData is not GridModel.headerData  # (no icons, fonts, brushes)
        or type(model).flags is not GridModel.flags  # (every cell enabled and selectable)
        or header.isSortIndicatorShown()
        or header.sectionsHidden()
        or header.sectionsMoved()
        or header.sectionsMovable()
        or header.isRightToLeft()
        or port.underMouse()
        or QApplication.mouseButtons() != look().no_buttons
    )
