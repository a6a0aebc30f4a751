"""A uniform view of one sheet or one Word table: text cells, merged ranges, what is hidden.

Every reader turns its file into ``Grid`` objects so that the recognisers never
care whether a form came from .xlsx, .xls, SpreadsheetML or a .docx table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SHEET = "sheet"
TABLE = "table"


def column_letter(col: int) -> str:
    """Return the Excel column name of a 0-based column (0 → A, 26 → AA)."""
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


@dataclass
class Grid:
    """One sheet (or table): ``cells[r][c]`` is the cell's text, "" when empty.

    ``merges`` are inclusive (row0, col0, row1, col1) ranges; ``numeric`` the cells
    that held a number (not text) in the file; ``missing_formulas`` the cells with a
    formula but no saved result (never read as 0); ``errors`` the cells holding an error value
    (#REF!, #DIV/0! …), which readers give as blank; ``computed`` the simple formulas saved with no
    result whose value the reader worked out (``core.importers.formulas``).
    """

    file: str
    name: str
    kind: str = SHEET
    cells: list[list[str]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    numeric: set[tuple[int, int]] = field(default_factory=set)
    hidden: bool = False
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    filtered: bool = False  # the sheet has a filter (自动筛选): its hidden rows are those filtered out
    missing_formulas: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    computed: dict[tuple[int, int], str] = field(default_factory=dict)  # formulas worked out on reading
    # The formula of a cell whose value is missing (A1 style, as a user reads it), when the file says
    # it: for the message naming the cell. ``formula_strings``: cells whose saved value is a formula's
    # text ("=SUM(R[-3]C:R[-1]C)" stored as text by an export): never read as a value.
    formula_texts: dict[tuple[int, int], str] = field(default_factory=dict)
    formula_strings: set[tuple[int, int]] = field(default_factory=set)
    pictures: set[tuple[int, int]] = field(default_factory=set)  # WPS pictures in cells (=DISPIMG)
    far_note: str = ""  # cells far outside the sheet's forms, left out on reading (readers)
    checks: list[str] = field(default_factory=list)  # 请核对 lines from reading (a damaged Word row)
    # 请核对 about one cell's reading (a number format not followed: the saved number kept), asked by
    # the form that reads the cell
    cell_checks: dict[tuple[int, int], str] = field(default_factory=dict)
    formats_known: bool = True  # False: a 96.81% cell may read as 0.9681 (.xls: formats not read)
    index: int = 0
    note: str = ""  # a Word table: the paragraphs printed just above it (its title)
    trailer: str = ""  # a Word table: the paragraphs just below it (the sign-off)
    _anchors: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict, repr=False)
    memo: dict[tuple[str, int], Any] = field(default_factory=dict, repr=False)  # per-row results

    def __post_init__(self) -> None:
        self.index_merges()

    def index_merges(self) -> None:
        self._anchors = {}
        for r0, c0, r1, c1 in self.merges:
            if (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
                continue
            for r in range(r0, r1 + 1):
                # a row whose last cells are covered by a range from above (a two-row header) ends
                # where the range ends, not at its last own value
                if r < len(self.cells) and len(self.cells[r]) <= c1:
                    self.cells[r].extend([""] * (c1 + 1 - len(self.cells[r])))
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        self._anchors[(r, c)] = (r0, c0)

    @property
    def height(self) -> int:
        return len(self.cells)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.cells), default=0)

    def raw(self, r: int, c: int) -> str:
        if 0 <= r < len(self.cells) and 0 <= c < len(self.cells[r]):
            return self.cells[r][c]
        return ""

    def anchor(self, r: int, c: int) -> tuple[int, int]:
        """Return the top-left cell of the merged range holding (r, c), or (r, c)."""
        return self._anchors.get((r, c), (r, c))

    def is_anchor(self, r: int, c: int) -> bool:
        return (r, c) not in self._anchors

    def text(self, r: int, c: int) -> str:
        """The cell's text, the merged range's text for a covered cell."""
        ar, ac = self.anchor(r, c)
        return self.raw(ar, ac).strip()

    def row_texts(self, r: int) -> list[str]:
        return [self.text(r, c) for c in range(len(self.cells[r]))] if 0 <= r < self.height else []

    def ref(self, r: int, c: int) -> str:
        """Where a cell is, as a user finds it: ``Sheet1!C12`` or ``表格 2 第 3 行第 4 列``."""
        ar, ac = self.anchor(r, c)
        if self.kind == TABLE:
            return f"{self.name} 第{ar + 1}行第{ac + 1}列"
        return f"{self.name}!{column_letter(ac)}{ar + 1}"

    def is_number(self, r: int, c: int) -> bool:
        return self.anchor(r, c) in self.numeric

    def is_blank_row(self, r: int) -> bool:
        return not any(self.text(r, c) for c in range(len(self.cells[r])))


@dataclass
class Source:
    """One file as read: its grids, the Word headings and paragraphs, and any reading problem."""

    path: str
    kind: str = ""  # xlsx | xls | xml | docx | html
    grids: list[Grid] = field(default_factory=list)
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (style level "h1".."h3" or "", text)
    error: str = ""
    notes: list[str] = field(default_factory=list)
