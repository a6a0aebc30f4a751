"""The table model shared by every grid: columns as data, problems and computed values as roles.

A model reads the cells of one table of one form from ``ctx.doc.report`` and writes
only through undo commands (gui/commands.py). Severity colours and computed values
come from core (the checker and core.scoring); the model only maps them to roles.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from core.model import OVERALL, Form
from core.report import Change, InputError, refusal
from core.storage.db import StorageError
from core.templates import FormSpec
from gui.commands import DocCommand, SetCellsCommand, push
from gui.context import AppContext

if TYPE_CHECKING:
    from core.scoring import FormScore, FormSummary

log = logging.getLogger(__name__)
_T = TypeVar("_T")

Index = QModelIndex | QPersistentModelIndex
Cell = tuple[int, int, str]  # (row, column index, text)

SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 1  # "error" / "warning" / "info" / None
COMPUTED_ROLE = Qt.ItemDataRole.UserRole + 2  # True for a value the program computed
KEY_ROLE = Qt.ItemDataRole.UserRole + 3  # the column's code name

COLOURS = {
    "error": QColor("#ffc7ce"),
    "warning": QColor("#ffeb9c"),
    "info": QColor("#ddebf7"),
    "computed": QColor("#ececec"),
}
COMPUTED_TEXT = QColor("#555555")
BRUSHES = {name: QBrush(colour) for name, colour in COLOURS.items()}
COMPUTED_BRUSH = QBrush(COMPUTED_TEXT)
SEVERITY_ORDER = ("error", "warning", "info")
_R = Qt.ItemDataRole
DISPLAY, BACKGROUND = int(_R.DisplayRole), int(_R.BackgroundRole)
FOREGROUND, ALIGNMENT = int(_R.ForegroundRole), int(_R.TextAlignmentRole)
# The roles a view asks every cell for each time it paints or measures it: answered from a cache
# until the cell's dataChanged (everything a cell shows changes through dataChanged or a reset).
PAINT_ROLES = {DISPLAY: 0, BACKGROUND: 1, FOREGROUND: 2, ALIGNMENT: 3}  # role -> place in a Style
# Every role ``data`` answers; the others (font, icon, check state, size hint…) are None at once.
ANSWERED = frozenset(
    {*PAINT_ROLES, int(_R.EditRole), int(_R.ToolTipRole), SEVERITY_ROLE, COMPUTED_ROLE, KEY_ROLE}
)
HEADER_ROLES = frozenset({int(_R.DisplayRole), int(_R.ToolTipRole)})
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE = READ_ONLY | Qt.ItemFlag.ItemIsEditable
# What a cell is painted with: display text, background, foreground (None: the palette's), alignment.
Style = tuple[str, QBrush | None, QBrush | None, int]
FEW_CELLS = 32  # at most this many changed cells are repainted one by one (``_emit_cells``)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


_FONT_KEYS: dict[QFont, str] = {}


def font_key(font: QFont) -> str:
    """``font.key()``, remembered by font: QFont.key() builds its string anew each time (11 µs),
    and a switch asked it of the grids' and headers' fonts some 25 times (size caches, header looks)."""
    key = _FONT_KEYS.get(font)
    if key is None:
        if len(_FONT_KEYS) >= 64:
            _FONT_KEYS.clear()
        key = _FONT_KEYS[QFont(font)] = font.key()
    return key


# (problem index, form uid) -> (the form's problems, them by table): see table_problems
_BY_TABLE: dict[tuple[int, int], tuple[object, dict[str, list[Any]]]] = {}


def table_problems(index: Any, uid: int, table: str) -> list[Any]:
    """The problems of form ``uid`` in ``table``, in the index's order: the form's problems (a tuple,
    replaced whenever they change) split by table once for the grids of the form, each of which
    walked all of them (a switch to a form not shown before: three walks)."""
    found = index.of(uid)
    key = (id(index), uid)
    kept = _BY_TABLE.get(key)
    if kept is None or kept[0] is not found:  # (the tuple itself is kept: its id is not reused)
        grouped: dict[str, list[Any]] = {}
        for p in found:
            grouped.setdefault(p.table, []).append(p)
        if len(_BY_TABLE) >= 64:
            _BY_TABLE.clear()
        kept = _BY_TABLE[key] = (found, grouped)
    return kept[1].get(table, [])


def value_text(value: object) -> str:
    """What a cell shows of a row's stored value: 是 for a true flag, nothing for a false one or none."""
    if isinstance(value, bool):
        return "是" if value else ""
    return "" if value is None else str(value)


LINE = "text"  # the one-line editor
LEVEL = "level"  # a pick list of the template's 一级/二级 words


@dataclass(frozen=True)
class GridColumn:
    """One column: its code name, printed title, width hint (characters) and editor kind.

    ``editor`` is text, long (multi-line), amount, level (a pick list) or none (computed).
    ``problem_keys`` are the column names the checker may use for this cell.
    """

    key: str
    title: str
    width: int = 0
    editor: str = LINE
    problem_keys: tuple[str, ...] = ()

    @property
    def computed(self) -> bool:
        return self.editor == "none"

    def lookup_keys(self) -> tuple[str, ...]:
        return self.problem_keys or (self.key,)


@dataclass(frozen=True)
class Computed:
    """A value shown in a cell that the program worked out, and how."""

    text: str
    why: str = ""


# Forms whose cells' paint roles a grid keeps for their next showing (see GridModel.set_form).
KEPT_FORMS = 16


class GridModel(QAbstractTableModel):
    """Base model over one table of one form; subclasses define columns and computed cells."""

    table = ""
    can_add_rows = True
    # The tables of its own form that this grid's computed cells read besides their own row (whose
    # change repaints them anyway); None: any. Other tables' edits then skip comparing them.
    computed_reads: frozenset[str] | None = None
    # Emitted when typed or pasted input was refused: (Chinese message, row, column).
    edit_refused = Signal(str, int, int)

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        # The class's table name as the instance's own: a class attribute of a Qt object is PySide's
        # to look up (~380 ns, six times an instance attribute), and rows() reads it for every
        # rowCount a view asks and every cell's text.
        self.table = type(self).table
        self.ctx = ctx
        self.uid: int | None = None
        self.form: Form | None = None
        self.columns: list[GridColumn] = []
        # Column -> its title broken into lines that fit the column (set by the view when a column is
        # narrower than its title: a low or 150 %-scaled window); the others show their title.
        self.title_lines: dict[int, str] = {}
        self._problems: dict[tuple[int, int], list[Any]] = {}
        self._places_of: list[GridColumn] | None = None  # the columns ``_places_map`` was made for
        self._places_map: dict[str, list[tuple[int, int]]] = {}
        self._values_of: list[GridColumn] | None = None  # the columns ``_values`` was made for
        self._values: list[int] = []
        self._showing_of: list[GridColumn] | None = None  # the columns ``_showing`` was made for
        self._showing: dict[tuple[str, ...], list[int]] = {}  # see _columns_showing
        self._stale = False
        self._computed_dirty = False
        # Cells an edit changed, repainted with those whose problems changed after the re-check that
        # follows every change (``refresh_problems``): a cell both typed into and flagged anew was
        # told to the view twice, each telling a round of slots and a setEditorData.
        self._due: set[tuple[int, int]] = set()
        # What each computed cell showed: (text, computed), to repaint only those that change.
        self._shown: dict[tuple[int, int], tuple[str, bool]] = {}
        # Pasted text a cell refused: (row, column) -> (text, why); shown in red until the cell is written.
        self.rejected: dict[tuple[int, int], tuple[str, str]] = {}
        # The message of the last refused write (None when it went through): the view keeps its editor open.
        self.last_refusal: str | None = None
        # Row -> column -> what a cell is painted with (``Style``), and its flags: a repaint asks
        # nine roles of each cell (2,500 Python calls when a project is shown), each of which walked
        # the form's rows; now worked out once until the cell changes.
        self._painted: dict[int, dict[int, Style]] = {}
        self._flags: dict[int, dict[int, Qt.ItemFlag]] = {}
        # Form uid -> its (_painted, _flags, _shown, _problems, overall?) when last shown
        # (``set_form``); forgotten form by form when something it shows may change (``_forget_kept``).
        self._kept: dict[int, tuple[Any, Any, Any, Any, bool]] = {}
        self._labels: tuple[str, ...] | None = None  # see row_labels
        self._columns_of: dict[int, tuple[FormSpec, list[GridColumn]]] = {}  # see _columns_for
        # Called with (top, left, bottom, right) for every block of cells told changed (``tell_cells``),
        # before the views hear of it: plain calls, where each Python slot of dataChanged cost a
        # round trip through Qt (two model indexes made into Python objects) per cell an edit repaints.
        self.cell_listeners: list[Callable[[int, int, int, int], None]] = []
        for signal in (
            self.modelAboutToBeReset,
            self.modelReset,
            self.rowsInserted,
            self.rowsRemoved,
            self.rowsMoved,
            self.columnsInserted,
            self.columnsRemoved,
            self.layoutChanged,
        ):
            signal.connect(self._forget_all)
        ctx.listen(self, self._on_changed)
        ctx.listen_problems(self, self.refresh_problems)
        ctx.document_replaced.connect(self._on_replaced)

    # ---- form ----------------------------------------------------------------
    def set_form(self, uid: int | None) -> None:
        """Show the table of form ``uid`` (None: an empty grid).

        What the cells of the form shown were painted with is kept for its next showing, while
        nothing it shows changes (``_forget_kept``): a project shown again paints from it instead
        of working out every cell's text, computed value, problems and flags."""
        kept = None
        if uid != self.uid:
            # (cells due to change)
            pending = self.rejected or self._stale or self._computed_dirty or self._due
            if self.uid is not None and self._painted and not pending:
                overall = self.form is not None and self.form.kind == OVERALL
                self._kept[self.uid] = (self._painted, self._flags, self._shown, self._problems, overall)
                while len(self._kept) > KEPT_FORMS:
                    del self._kept[next(iter(self._kept))]
            kept = self._kept.pop(uid, None) if uid is not None else None
        self.beginResetModel()
        self.uid, self.form, self.columns = None, None, []
        self.title_lines = {}
        self.rejected = {}
        self._shown = {}
        self._due = set()
        doc = self.ctx.doc
        if uid is not None and doc is not None:
            try:
                self.form = doc.form(uid)
                self.uid = uid
                self.columns = self._columns_for(self.spec())
            except KeyError:
                self.form = None
                kept = None
        self._problems = kept[3] if kept is not None else self._collect_problems()
        self.endResetModel()
        if kept is not None:  # (after the reset, which forgets what cells showed)
            self._painted, self._flags, self._shown = kept[0], kept[1], kept[2]

    def _columns_for(self, spec: FormSpec) -> list[GridColumn]:
        """The columns of forms of ``spec``: built once per template form (every switch built them
        again, and the problem columns' places with them: ``_places`` keeps them by the list)."""
        found = self._columns_of.get(id(spec))
        if found is None or found[0] is not spec:
            found = self._columns_of[id(spec)] = (spec, self.build_columns())
        return found[1]

    def _on_replaced(self) -> None:
        """Another report (or none): nothing kept is of it (uids are per file)."""
        self.set_form(None)
        self._kept = {}
        self._columns_of = {}

    def _forget_kept(self, uids: Iterable[int | None] | None) -> None:
        """Forget what the forms ``uids`` (all when None) showed when last shown, and what the 部门整体
        showed (its cells read the projects): a change or a re-check may have changed it. Only those:
        after typing in one project another shown before still paints from what it showed (forgetting
        every form on every change made the first switch after an edit work out every cell again)."""
        if uids is None:
            self._kept = {}
            return
        for uid in uids:
            if uid is not None:  # (None: the report's own problems, shown in no form's grid)
                self._kept.pop(uid, None)
        for uid in [uid for uid, found in self._kept.items() if found[4]]:
            del self._kept[uid]

    def build_columns(self) -> list[GridColumn]:  # pragma: no cover - overridden
        raise NotImplementedError

    def spec(self) -> FormSpec:
        assert self.ctx.doc is not None and self.form is not None
        return self.ctx.doc.template.form(self.form.kind)

    def rows(self) -> list[Any]:
        form = self.form
        # the table's list by its name (Form.rows without its chain of comparisons: a view asks
        # rowCount thousands of times while a 400-row paste lands)
        return getattr(form, self.table) if form is not None else []

    def column_key(self, column: int) -> str:
        return self.columns[column].key if 0 <= column < len(self.columns) else ""

    def column_of(self, key: str) -> int:
        for i, col in enumerate(self.columns):
            if col.key == key:
                return i
        return -1

    # ---- Qt model API ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role not in HEADER_ROLES:
            return None  # a header asks a dozen roles of each section while it sizes and paints
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self.title_lines.get(section, self.columns[section].title)
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].computed:
                return f"{self.columns[section].title}：由程序计算，不能修改"
            return None
        if role != Qt.ItemDataRole.DisplayRole or not 0 <= section < len(self.rows()):
            return None
        return self.row_label(section)

    def row_label(self, row: int) -> str:
        return str(row + 1)

    # (the columns, their broken titles, the titles the header shows): see column_titles
    _titles_kept: tuple[list[GridColumn], dict[int, str], tuple[str, ...]] | None = None

    def column_titles(self) -> tuple[str, ...]:
        """Every column's title as the column header shows it (``headerData``), kept while the
        columns and their broken titles are the same: a switch asked for them six times (the
        headers' looks before and after, their size hints and paints)."""
        kept, lines = self._titles_kept, self.title_lines
        if kept is None or kept[0] is not self.columns or kept[1] != lines:
            titles = tuple(lines.get(i, c.title) for i, c in enumerate(self.columns))
            kept = self._titles_kept = (self.columns, dict(lines), titles)
        return kept[2]

    def row_labels(self) -> tuple[str, ...]:
        """Every row's label (what the row header shows), kept until rows come, go or move."""
        if self._labels is None:
            self._labels = tuple(self.row_label(r) for r in range(self.rowCount()))
        return self._labels

    def tell_cells(self, top: int, left: int, bottom: int, right: int) -> None:
        """The cells from (top, left) to (bottom, right), all of this model, changed: what they showed
        is forgotten, the ``cell_listeners`` told, then the views (dataChanged). Every change of cells
        is told this way (the caches would otherwise keep what they showed)."""
        self._forget_cells(top, left, bottom, right)
        for listener in self.cell_listeners:
            listener(top, left, bottom, right)
        first = self.createIndex(top, left)
        last = first if top == bottom and left == right else self.createIndex(bottom, right)
        self.dataChanged.emit(first, last)

    def _forget_cells(self, top: int, left: int, bottom: int, right: int) -> None:
        """What those cells showed must be asked again."""
        whole = left == 0 and right >= len(self.columns) - 1
        for cache in (self._painted, self._flags):
            if not cache:
                continue
            for row in range(top, bottom + 1):
                if whole:
                    cache.pop(row, None)
                    continue
                cells = cache.get(row)
                if cells:
                    for col in [c for c in cells if left <= c <= right]:
                        del cells[col]

    def _forget_all(self, *args: Any) -> None:
        self._painted, self._flags = {}, {}
        self._labels = None

    def flags(self, index: Index) -> Qt.ItemFlag:
        row, col = index.row(), index.column()
        cells = self._flags.get(row)
        if cells is not None and col in cells and index.model() is self:
            return cells[col]
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        flags = EDITABLE if self.is_editable(row, col) else READ_ONLY
        self._flags.setdefault(row, {})[col] = flags
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in ANSWERED:
            return None
        at = PAINT_ROLES.get(role)
        if at is None:
            return self._data(index, role) if self._valid(index) else None
        style = self.paint_roles(index)
        return None if style is None else style[at]

    def paint_roles(self, index: Index) -> Style | None:
        """A cell's (display, background, foreground, alignment): what a view paints it with, from
        the cache (None for an index not of this model). The grid's delegate reads them in one call
        instead of the seven data() calls a QStyledItemDelegate makes per cell painted."""
        row = index.row()
        cells = self._painted.get(row)
        if cells is not None:
            found = cells.get(index.column())
            if found is not None and index.model() is self:
                return found
        if not self._valid(index):
            return None
        return self._paint_roles(row, index.column())

    def _paint_roles(self, row: int, col: int) -> Style:
        """Work out the paint roles of a cell at once (its computed value, text and problems are
        looked up once, not once per role) and remember them."""
        computed = self.computed(row, col)
        if self.rejected and (row, col) in self.rejected:
            text = self.rejected[(row, col)][0]
            background: QBrush | None = BRUSHES["error"]
        else:
            text = computed.text if computed is not None else self.cell_text(row, col)
            column = self.columns[col]
            if column.computed or column.editor == "amount":
                self._shown[(row, col)] = (text, computed is not None)
            severity = self.severity(row, col)
            if severity is not None:
                background = BRUSHES[severity]
            elif computed is not None or not self.is_editable(row, col):
                background = BRUSHES["computed"]
            else:
                background = None
        style = (
            text,
            background,
            COMPUTED_BRUSH if computed is not None else None,
            self._alignment(col),
        )
        self._painted.setdefault(row, {})[col] = style
        return style

    def paint_row(self, row: int) -> dict[int, Style]:
        """The paint roles of every cell of a row (``_paint_roles`` of each; column -> Style), worked
        out together when a grid first paints the row: a text cell's (the most of a row) from the
        row's item and the form's problems looked up once, without the six Python calls and dozen
        attribute look-ups on the model (a Qt object: PySide's to look up) each cell took. A text
        column shows no computed value (``computed``); other cells are worked out one by one, as are
        those of a model with its own texts or editability, or with refused pasted text shown."""
        cells = self._painted.setdefault(row, {})
        columns = self.columns
        kind = type(self)
        plain = kind.cell_text is GridModel.cell_text and kind.is_editable is GridModel.is_editable
        if self.rejected or not plain or kind.severity is not GridModel.severity:
            for col in range(len(columns)):
                if col not in cells:
                    self._paint_roles(row, col)
            return cells
        item = self.rows()[row]
        problems = self._problems
        for col, column in enumerate(columns):
            if col in cells:
                continue
            if column.computed or column.editor == "amount":  # (computed values: as they were)
                self._paint_roles(row, col)
                continue
            text = value_text(getattr(item, column.key, ""))
            severity = self.severity(row, col) if (row, col) in problems else None
            cells[col] = (text, None if severity is None else BRUSHES[severity], None, LEFT)
        return cells

    def _data(self, index: Index, role: int) -> Any:
        """``data`` of the roles other than the paint roles, for a valid index of this model."""
        row, col = index.row(), index.column()
        if (row, col) in self.rejected and role in (Qt.ItemDataRole.ToolTipRole, SEVERITY_ROLE):
            return self._rejected_role(row, col, role)
        if role == Qt.ItemDataRole.EditRole:
            return self.cell_text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col)
        if role == SEVERITY_ROLE:
            return self.severity(row, col)
        if role == COMPUTED_ROLE:
            return self.computed(row, col) is not None or self.columns[col].computed
        if role == KEY_ROLE:
            return self.columns[col].key
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self._valid(index) or role != Qt.ItemDataRole.EditRole:
            return False
        if not self.is_editable(index.row(), index.column()):
            return False
        return self.apply_cells([(index.row(), index.column(), "" if value is None else str(value))])

    def _rejected_role(self, row: int, col: int, role: int) -> Any:
        """The tooltip and severity of a cell showing refused pasted text (its paint roles:
        ``_paint_roles``)."""
        text, why = self.rejected[(row, col)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"粘贴的“{text}”未写入：{why}"
        return "error"

    def _valid(self, index: Index) -> bool:
        return (
            index.isValid()
            and index.model() is self
            and 0 <= index.row() < len(self.rows())
            and 0 <= index.column() < len(self.columns)
        )

    def display_text(self, row: int, col: int) -> str:
        """The text a cell shows (what ``data`` gives for DisplayRole), for measuring row heights."""
        if self.rejected and (row, col) in self.rejected:
            return self.rejected[(row, col)][0]
        computed = self.computed(row, col)
        return computed.text if computed is not None else self.cell_text(row, col)

    def shown_texts(self, cols: list[int]) -> Callable[[int], list[str]]:
        """A reader of what a row's cells of the text columns ``cols`` show (``display_text``), for
        measuring rows' heights, with what every row shares looked up once (the form's rows, the
        columns' keys): each cell's text took four Python calls and eight attribute look-ups on
        the model (a Qt object's attributes are PySide's to look up: ~300 instructions each), a
        third of sizing the rows of a project shown for the first time. A text column shows no
        computed value (``computed``)."""
        if self.rejected or type(self).cell_text is not GridModel.cell_text:
            display = self.display_text  # (refused pasted text shown; a model's own cell texts)
            return lambda row: [display(row, col) for col in cols]
        rows = self.rows()
        keys = [self.columns[col].key for col in cols]

        def read(row: int) -> list[str]:
            item = rows[row]
            return [value_text(getattr(item, key, "")) for key in keys]

        return read

    # ---- cells: subclasses refine these ----------------------------------------
    def cell_text(self, row: int, col: int) -> str:
        column = self.columns[col]
        if column.computed:
            return ""
        return value_text(getattr(self.rows()[row], column.key, ""))

    def current_text(self, row: int, col: int) -> str:
        """Return a cell's text; "" for a row a paste is about to add."""
        return self.cell_text(row, col) if row < self.rowCount() else ""

    def is_editable(self, row: int, col: int) -> bool:
        return not self.columns[col].computed

    def computed(self, row: int, col: int) -> Computed | None:
        """Return the computed value shown in a cell, or None for a plain cell. Computed values are
        shown in computed ("none") and amount columns only: a text column's cells show their text
        (``shown_texts``; tests/gui/test_grids.py holds every model to it)."""
        return None

    def choices(self, index: Index) -> list[str]:
        """Return the vocabulary a combo editor offers for this cell."""
        return []

    def cell_edits(self, cells: list[Cell]) -> list[tuple[int, str, int, str, Any]]:
        """Translate (row, column, text) into Document edits, dropping read-only and unchanged cells."""
        assert self.uid is not None
        edits = []
        for row, col, text in cells:
            if not self.is_editable(row, col) or self.current_text(row, col) == text:
                continue
            edits.append((self.uid, self.table, row, self.columns[col].key, text))
        return edits

    # ---- writing -----------------------------------------------------------------
    def apply_cells(self, cells: list[Cell], label: str = "编辑单元格") -> bool:
        """Write cells as one undo step; on bad input emit ``edit_refused`` and change nothing."""
        self.last_refusal = None
        if self.uid is None or self.ctx.doc is None:
            return False
        edits = self.cell_edits(cells)
        if not edits:
            return False
        return self.run(SetCellsCommand(self.ctx.doc, edits, label), cells[0][0], cells[0][1])

    def split_cells(self, cells: list[Cell]) -> tuple[list[Cell], list[tuple[int, int, str, str]]]:
        """Return the cells that can be written and those refused, with why: (row, column, text, why)."""
        good: list[Cell] = []
        bad: list[tuple[int, int, str, str]] = []
        for row, col, text in cells:
            why = refusal(self.table, self.columns[col].key, text) if self.is_editable_at(row, col) else None
            if why is None:
                good.append((row, col, text))
            else:
                bad.append((row, col, text, why))
        return good, bad

    def is_editable_at(self, row: int, col: int) -> bool:
        """Return is_editable for an existing row; a row a paste adds is editable where its column is."""
        return self.is_editable(row, col) if row < self.rowCount() else not self.columns[col].computed

    def flag_rejected(self, bad: list[tuple[int, int, str, str]]) -> None:
        """Show refused pasted text in red at its cells and say how many were refused."""
        for row, col, text, why in bad:
            if row < self.rowCount():
                self.rejected[(row, col)] = (text, why)
                self.tell_cells(row, col, row, col)
        if bad:
            row, col, text, why = bad[0]
            more = f"（另有 {len(bad) - 1} 个单元格同样未写入，已标红）" if len(bad) > 1 else "（已标红）"
            self.edit_refused.emit(f"“{text}”未写入：{why}{more}", row, col)

    def paste_cells(self, cells: list[Cell]) -> bool:
        """Write the good cells of a paste as one undo step and flag the refused ones."""
        good, bad = self.split_cells(cells)
        done = self.apply_cells(good, "粘贴") if good else False
        self.flag_rejected(bad)
        return done

    def run(self, command: DocCommand, row: int = 0, col: int = 0) -> bool:
        """Push a command; report refused input instead of raising."""
        self.last_refusal = None
        try:
            push(self.ctx.undo_stack, command)
        except (InputError, StorageError) as exc:
            self.last_refusal = str(exc)
            self.edit_refused.emit(str(exc), row, col)
            return False
        return True

    # ---- roles -------------------------------------------------------------------
    def score(self) -> FormScore | None:
        """Return core.scoring's FormScore for this form, or None when it cannot be computed."""
        return self._scored(self.ctx.score)

    def summary(self) -> FormSummary | None:
        """Return core.scoring's FormSummary for this form (its rows' scores, total, warning), or None
        when it cannot be computed (as ``score``)."""
        return self._scored(self.ctx.summary)

    def _scored(self, compute: Callable[[int], _T]) -> _T | None:
        """``compute`` of this form; None without a form, or when scoring fails (logged)."""
        if self.uid is None:
            return None
        try:
            return compute(self.uid)
        except ImportError:
            return None
        except Exception:  # a scoring bug must not break editing
            log.exception("scoring failed for form %s", self.uid)
            return None

    def problems(self, row: int, col: int) -> list[Any]:
        return self._problems.get((row, col), [])

    def severity(self, row: int, col: int) -> str | None:
        problems = self.problems(row, col)
        if not problems:
            return None  # (most cells: no set and search made)
        found = {p.severity for p in problems}
        return next((s for s in SEVERITY_ORDER if s in found), None)

    def _tooltip(self, row: int, col: int) -> str | None:
        lines = [p.message for p in self.problems(row, col)]
        computed = self.computed(row, col)
        if computed is not None and computed.why:
            lines.append(computed.why)
        elif self.columns[col].computed:
            lines.append("由程序计算，不能修改")
        return "\n".join(lines) or None

    def _alignment(self, col: int) -> int:
        return RIGHT if self.columns[col].editor in ("amount", "none") else LEFT

    # ---- refreshing -----------------------------------------------------------------
    def _collect_problems(self) -> dict[tuple[int, int], list[Any]]:
        """Map (row, column) to the problems pointing at that cell, from this form's problems only."""
        out: dict[tuple[int, int], list[Any]] = {}
        if self.uid is None:
            return out
        places = self._places()  # problem column -> (grid column, key's rank)
        ranked: dict[tuple[int, int], list[tuple[int, Any]]] = {}
        rows = len(self.rows())
        for p in table_problems(self.ctx.problem_index, self.uid, self.table):
            if p.row is None or p.column is None or not 0 <= p.row < rows:
                continue
            for col, rank in places.get(p.column, ()):
                ranked.setdefault((p.row, col), []).append((rank, p))
        for cell, found in ranked.items():
            found.sort(key=lambda x: x[0])  # stable: a cell lists its keys' problems in key order
            out[cell] = [p for _, p in found]
        return out

    def _value_columns(self) -> list[int]:
        """The columns whose painted cells ``_shown`` notes (computed and amount columns)."""
        if self._values_of is not self.columns:
            self._values_of = self.columns
            self._values = [i for i, c in enumerate(self.columns) if c.computed or c.editor == "amount"]
        return self._values

    def _places(self) -> dict[str, list[tuple[int, int]]]:
        """Problem column -> the grid columns showing it, with the key's rank there."""
        if self._places_of is not self.columns:
            places: dict[str, list[tuple[int, int]]] = {}
            for col, column in enumerate(self.columns):
                for rank, key in enumerate(column.lookup_keys()):
                    places.setdefault(key, []).append((col, rank))
            self._places_of, self._places_map = self.columns, places
        return self._places_map

    def _recollect(self, pairs: set[tuple[int, str]]) -> list[tuple[int, int]]:
        """Bring the cells that problems at ``pairs`` (row, problem column) point at up to date, as
        ``_collect_problems`` makes them; return the cells whose problems changed. A re-check after
        an edit changes a few of a form's problems: the others' cells are left as they are (every
        cell of the form was collected and compared again on each keystroke)."""
        places = self._places()
        targets = {(row, col) for row, key in pairs for col, _rank in places.get(key, ())}
        if not targets or self.uid is None:
            return []
        rows = len(self.rows())
        wanted = {row for row, _col in targets if 0 <= row < rows}  # most of a form's problems are elsewhere
        table = self.table
        ranked: dict[tuple[int, int], list[tuple[int, Any]]] = {}
        for p in self.ctx.problem_index.of(self.uid):
            if p.row not in wanted or p.table != table or p.column is None:
                continue
            for col, rank in places.get(p.column, ()):
                if (p.row, col) in targets:
                    ranked.setdefault((p.row, col), []).append((rank, p))
        changed = []
        for cell in targets:
            found = ranked.get(cell)
            if found:
                found.sort(key=lambda x: x[0])  # stable: as _collect_problems orders a cell's problems
            new = [p for _, p in found] if found else None
            if self._problems.get(cell) != new:
                if new:
                    self._problems[cell] = new
                else:
                    self._problems.pop(cell, None)
                changed.append(cell)
        return changed

    def refresh_problems(self) -> None:
        """After a re-check: repaint the cells the changes since the last one changed (``_due``),
        the computed cells whose value changed, and the cells whose problems changed — each once."""
        delta = self.ctx.problem_delta
        self._forget_kept(None if delta.everything else delta.changed)
        due, self._due = self._due, set()
        if self._computed_dirty:
            self._computed_dirty = False
            due.update(self._computed_changes(None))
        if self._stale or self.ctx.problem_delta.concerns(self.uid, self.table):
            # (not: uid None, a report-level table such as the 基础数据表, or no form shown; or only
            # problems of the form's other tables changed: this grid shows the same)
            # (a grid that collects its problems its own way — the 基础数据表's, of no form — is
            # collected again whole)
            partial = not self._stale and type(self)._collect_problems is GridModel._collect_problems
            cells = self.ctx.problem_delta.cells(self.uid, self.table) if partial else None
            self._stale = False
            if cells is None:
                new = self._collect_problems()
                old, self._problems = self._problems, new
                due.update(cell for cell in set(old) | set(new) if old.get(cell) != new.get(cell))
            else:
                due.update(self._recollect(cells))
        if due:
            count = self.rowCount()
            self._emit_cells([cell for cell in due if cell[0] < count])

    def _on_changed(self, change: Change) -> None:
        # (even one kept during this change's signal, before this slot ran); forms came or went, or
        # the report's own fields (its template): any form
        self._forget_kept(None if change.form is None or change.table == "forms" else (change.form,))
        if self.uid is None:
            return
        if change.table == "forms" and change.structural:
            self._on_forms_changed()
            return
        if change.form == self.uid and change.table == self.table and change.structural:
            self.beginResetModel()
            self._problems = {}
            self._stale = True  # rows moved: read the problems again after the re-check
            self.rejected = {}
            self._shown = {}
            self._due = set()
            self.endResetModel()
            return
        if change.form == self.uid and change.table == self.table and self.columns:
            rows = change.rows or range(self.rowCount())
            if self.rejected:
                keys = {self.column_of(k) for k in change.columns}
                self.rejected = {
                    (r, c): v for (r, c), v in self.rejected.items() if not (r in rows and c in keys)
                }
            count = self.rowCount()
            shown = [r for r in rows if r < count]
            columns = self._columns_showing(change.columns)
            self._due.update((r, c) for r in shown for c in columns)
            self._due.update(self._computed_changes(set(shown)))
        overall = self.form is not None and self.form.kind == OVERALL  # its 评分表 reads the projects
        reads = self.computed_reads
        if change.form == self.uid:
            if reads is None or change.structural or change.table in reads:
                self._computed_dirty = True  # compared once after the re-check, not after each of 400 rows
        elif change.form is None or overall:
            self._computed_dirty = True

    def _columns_showing(self, keys: tuple[str, ...]) -> list[int]:
        """The grid columns showing the changed ``keys`` (all when none are named), computed ones
        left out: those are compared after the change (``_computed_changes``) and repainted only
        when the value they show changed."""
        if self._showing_of is not self.columns:  # (worked out once per set of keys and columns)
            self._showing_of, self._showing = self.columns, {}
        found = self._showing.get(keys)
        if found is not None:
            return found
        if not keys:
            found = [i for i, c in enumerate(self.columns) if not c.computed]
        else:
            wanted = set(keys)
            found = [
                i
                for i, c in enumerate(self.columns)
                if not c.computed and (c.key in wanted or not wanted.isdisjoint(c.lookup_keys()))
            ]
        if len(self._showing) >= 64:
            self._showing.clear()
        self._showing[keys] = found
        return found

    def _emit_cells(self, cells: list[tuple[int, int]]) -> None:
        """dataChanged for these cells: one by one when they are few (the view repaints each cell's
        own rectangle; a range's rectangle reaches one pixel into the next row and column, and Qt
        then paints every cell of the bounding rectangle: an edit repainted ten cells for three),
        else one range per run of rows changed in the same columns (a pasted block: one)."""
        if len(cells) <= FEW_CELLS:
            for row, col in sorted(set(cells)):
                self.tell_cells(row, col, row, col)
            return
        spans: dict[int, tuple[int, int]] = {}
        for r, c in cells:
            lo, hi = spans.get(r, (c, c))
            spans[r] = (min(lo, c), max(hi, c))
        runs: list[tuple[int, int, tuple[int, int]]] = []  # (first row, last row, columns)
        for row in sorted(spans):
            if runs and runs[-1][1] == row - 1 and runs[-1][2] == spans[row]:
                runs[-1] = (runs[-1][0], row, spans[row])
            else:
                runs.append((row, row, spans[row]))
        for first, last, (left, right) in runs:
            self.tell_cells(first, left, last, right)

    def _on_forms_changed(self) -> None:
        """A form was added, removed or restored: follow ours (undo of a delete makes a new object)."""
        assert self.ctx.doc is not None
        try:
            form = self.ctx.doc.form(self.uid) if self.uid is not None else None
        except KeyError:
            form = None
        if form is None:
            self.set_form(None)
        elif form is not self.form:
            self.set_form(self.uid)
        else:
            self._refresh_computed()

    def _refresh_computed(self) -> None:
        """Repaint the computed cells (they depend on other cells, other tables, other forms) whose
        shown value changed; repainting whole columns redrew the whole grid on every keystroke.
        Only cells painted since the form was shown are compared: the others paint afresh."""
        self._emit_cells(self._computed_changes(None))

    def _computed_changes(self, rows: set[int] | None) -> list[tuple[int, int]]:
        """The painted computed (and amount) cells, of ``rows`` or all, whose shown value changed;
        forgotten as shown (they are repainted and noted again)."""
        count = self.rowCount()
        changed: list[tuple[int, int]] = []
        shown = self._shown
        if rows is None:
            cells: Iterable[tuple[tuple[int, int], tuple[str, bool]]] = shown.items()
        elif not shown:
            return changed
        else:  # (a few rows of a grid: their cells looked up, not every cell shown walked)
            cells = [
                (cell, shown[cell])
                for row in rows
                for c in self._value_columns()
                if (cell := (row, c)) in shown
            ]
        for (row, col), value in cells:
            if row >= count or col >= len(self.columns):
                continue
            computed = self.computed(row, col)
            text = computed.text if computed is not None else self.cell_text(row, col)
            if (text, computed is not None) != value:
                changed.append((row, col))
        for cell in changed:
            del self._shown[cell]
        return changed
