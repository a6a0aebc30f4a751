"""Tab-separated text as Excel and WPS put it on the clipboard, and where a paste lands.

Pure Python (no Qt), so the rules are easy to test: a cell with a line break, a tab
or a quote is wrapped in double quotes with inner quotes doubled; rows end with a
line break, and the last one usually does too.
"""

from __future__ import annotations

from dataclasses import dataclass

Block = list[list[str]]


def to_tsv(block: Block) -> str:
    """Return ``block`` as Excel's clipboard text (quoting cells that need it)."""
    return "".join("\t".join(_quote(cell) for cell in row) + "\r\n" for row in block)


def _quote(cell: str) -> str:
    if any(ch in cell for ch in '\t\n\r"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def parse_tsv(text: str) -> Block:
    """Read clipboard text from a spreadsheet into rows of cells (rectangular, padded with "")."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows: Block = []
    row: list[str] = []
    i, n = 0, len(text)
    while True:
        cell, i = _read_cell(text, i)
        row.append(cell)
        if i >= n:
            rows.append(row)
            break
        i += 1
        if text[i - 1] == "\n":
            rows.append(row)
            row = []
            if i == n:
                break
    while len(rows) > 1 and all(c == "" for c in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _read_cell(text: str, i: int) -> tuple[str, int]:
    """Read one cell starting at ``i``; return it and the index of the separator after it."""
    if i < len(text) and text[i] == '"':
        quoted = _read_quoted(text, i)
        if quoted is not None:
            return quoted
    end = i
    while end < len(text) and text[end] not in "\t\n":
        end += 1
    return text[i:end], end


def _read_quoted(text: str, i: int) -> tuple[str, int] | None:
    """Read a quoted cell, or None when the quotes do not close right before a separator."""
    out = []
    j = i + 1
    while j < len(text):
        ch = text[j]
        if ch == '"':
            if j + 1 < len(text) and text[j + 1] == '"':
                out.append('"')
                j += 2
                continue
            if j + 1 == len(text) or text[j + 1] in "\t\n":
                return "".join(out), j + 1
            return None
        out.append(ch)
        j += 1
    return None


@dataclass(frozen=True)
class PastePlan:
    """Where a pasted block goes: cells (row, column, text) and rows to add at the end."""

    cells: list[tuple[int, int, str]]
    add_rows: int


def plan_paste(
    block: Block,
    top: int,
    left: int,
    sel_rows: int,
    sel_cols: int,
    row_count: int,
    col_count: int,
    can_grow: bool,
) -> PastePlan:
    """Decide which cells a paste fills.

    As in Excel, a block over a selection whose height and width are whole multiples of the
    block's is repeated to fill it (one value fills any selection); otherwise the block fills its
    own size from the selection's top-left. Rows beyond the table are added when ``can_grow``,
    otherwise dropped; columns beyond the table are always dropped.
    """
    if not block or not block[0]:
        return PastePlan([], 0)
    height, width = len(block), len(block[0])
    sel_rows, sel_cols = max(sel_rows, 1), max(sel_cols, 1)
    if (sel_rows, sel_cols) != (height, width) and sel_rows % height == 0 and sel_cols % width == 0:
        cells = [
            (top + r, left + c, block[r % height][c % width])
            for r in range(sel_rows)
            for c in range(sel_cols)
        ]
        return PastePlan([x for x in cells if x[0] < row_count and x[1] < col_count], 0)
    add = max(0, top + height - row_count) if can_grow else 0
    cells = []
    for r, line in enumerate(block):
        for c, value in enumerate(line):
            row, col = top + r, left + c
            if row < row_count + add and col < col_count:
                cells.append((row, col, value))
    return PastePlan(cells, add)
