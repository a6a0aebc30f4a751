"""Write the Excel workbook: one sheet per attachment, in the region's printed layout.

Each grid is first laid out as a ``Sheet`` (cells with their style, merges, row heights, page breaks).
Its rows are then written as XML text (``rows_xml``: one string a cell, one cell format a distinct
style) and xlsxwriter writes the rest of the workbook around them: styles, sheet set-up, defined
names, properties. Through xlsxwriter's cell calls a large export took half the time of a plain
openpyxl loop, its constant-memory temporary files (two a sheet) a third of the wall time; openpyxl,
which hashed the style of every cell, took twice as long. openpyxl stays for reading workbooks back.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from core.export import Progress, pages, report_progress, save_atomically
from core.export.grid import (
    HEAD,
    MONEY,
    RATE,
    Grid,
    Value,
    break_title,
    line_count,
    money_places,
    signoff_line,
    text_units,
)
from core.export.layout import iter_plan, plan_size
from core.export.widths import Units, balance, fit_groups, fit_headers, floors
from core.model import BREAKS_PROPERTY, SOFT_BREAK, Report
from core.numbers import percent_places, q
from core.templates import Template

CELL_FONT = "宋体"
TITLE_FONT = "方正小标宋简体"
LABEL_FONT = "黑体"
CELL_PT = 10.5  # 五号 in the table cells
SMALL_PT = 9.0  # 小五: a form a little too long for one page (as the Word export)
LINE_PT = 15.0  # a 五号 line (Noto Serif CJK, LibreOffice's 宋体: 1.44 em); 小五 in proportion
DEFAULT_ROW_PT = 15.0
DEFAULT_ROW_PX = 20  # 15 pt: a row of this height is written without one
MAX_ROW_PT = 409.0  # Excel's limit: a taller row is cut to this height (and its text in print)
ROW_PAD_PT = 3.0  # a row's room above and below its lines
MAX_LINES = int(
    (MAX_ROW_PT - ROW_PAD_PT) // LINE_PT
)  # lines of a cell that fit one row; longer text continues below
BREAK_ROOM = 2  # lines left free in a row split for Excel's cap: the line breaks chosen later may add some
FOOTER_IN = 0.25  # the page number sits inside the bottom margin, not on its edge
MARGINS_IN = (0.5, 0.5, 0.4, 0.5)  # left, right, top (no header), bottom (the page number inside)
WIDTH_SCALE = 0.96  # a sheet prints at least this share of its size across the page (as a 9-column form)
BALANCE_REACH = 1.4  # a form up to this many pages long at 小五 gets its columns balanced (widths.balance)
TAIL_ROWS = 2  # table rows printed on the same page as the sign-off
FORMULA_START = ("=", "+", "-", "@")
GB2312 = 134  # the charset Excel stores with a Chinese font's name


def excel_footer(words: str) -> str:
    """Return a template's page footer ("第 {page} 页，共 {pages} 页") as Excel's footer codes, centred."""
    text = words.replace("&", "&&").replace("{page}", "&P").replace("{pages}", "&N")
    return f'&C&"{CELL_FONT}"{text}'


# A sheet width unit is 7 px (as Calibri 11's digit, which the page breaks and row heights assume).
# With 宋体 11 as the default font Excel counts a stored width in 8 px digits (and 5 px padding,
# both inside the stored width): a column of w units is stored as 7w/8 characters, 7w px wide.
UNIT_PX, DIGIT_PX = 7, 8
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")
# The workbook's default font is 宋体 11, as a Chinese Excel's: a column width counts its digits (7 px
# in Excel, as Calibri's). With Calibri, a renderer that lacks it measures widths with its substitute
# (LibreOffice: DejaVu Sans, digits a third wider) and wraps every cell a third wider than Excel does.
_BOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "default_format_properties": {"font_name": CELL_FONT, "font_size": 11, "font_charset": GB2312},
    "default_column_width": 72,  # 宋体 11: 8 px digits + 5 px padding (xlsxwriter then stores px / 8)
    "in_memory": True,  # the workbook without its rows: a few KB a sheet (see write_grids)
}


class Style(NamedTuple):
    """A cell's look; one xlsxwriter format per distinct style in a workbook."""

    font: str = CELL_FONT
    size: float = 10.5
    bold: bool = False
    align: str = ""  # "", "center", "left"
    valign: str = ""  # "", "vcenter"
    wrap: bool = False
    border: bool = False
    num: str = ""
    quote: bool = False  # text starting with = + - @ shows as typed (never a formula)


CELL = Style(align="center", valign="vcenter", wrap=True, border=True)
LEFT_CELL = CELL._replace(align="left")


@dataclass
class Sheet:
    """A grid laid out on a sheet (rows and columns 1-based, as Excel counts them)."""

    name: str
    grid: Grid
    cells: dict[tuple[int, int], tuple[Value, Style]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive
    heights: dict[int, float] = field(default_factory=dict)
    breaks: list[int] = field(default_factory=list)  # a page ends after each of these rows
    top: int = 1  # first table row
    fit_height: int = 0  # pages tall the sheet is fitted to (0: as many as its breaks make)
    size: float = CELL_PT  # the table cells' font size
    last: int = 1  # last printed row

    @property
    def widths(self) -> list[float]:
        return [w + 2.0 for w in self.grid.widths]


def write_xlsx(
    report: Report,
    path: Path,
    forms: list[int] | None = None,
    progress: Progress | None = None,
    *,
    template: Template,
) -> None:
    """Write every attachment (or only the forms whose uid is in ``forms``) to ``path``, laid out by
    ``template`` (the report's, resolved once when it was opened or built)."""
    grids = iter_plan(report, template, forms)
    write_grids(Path(path), grids, progress, total=plan_size(report, template, forms))


def write_grids(
    path: Path, grids: Iterable[Grid], progress: Progress | None = None, total: int | None = None
) -> None:
    """Write one sheet per grid to ``path`` (through a temporary file: never a half workbook).

    A grid is laid out and its rows written as XML text to a temporary file before the next is asked
    for: an export holds one sheet's cells at a time, whatever its size. xlsxwriter writes the rest of
    the workbook (styles, sheet set-up, names, properties) in memory, each sheet with its rows left
    out; saving puts every sheet's rows back in place (``splice``). ``total`` is the number of grids,
    for the progress (a list's length when not given).
    """
    if total is None:
        grids = list(grids)
        total = len(grids)

    def save(tmp: Path) -> None:
        shell = io.BytesIO()
        book = xlsxwriter.Workbook(shell, copy.deepcopy(_BOOK_OPTIONS))  # xlsxwriter adds to them
        formats: dict[Style, Any] = {}
        names: set[str] = set()
        chosen: list[Chosen] = []
        spans: list[tuple[int, int]] = []
        with tempfile.TemporaryFile() as rows:
            for i, grid in enumerate(grids):
                report_progress(progress, i, total + 1, f"正在导出 {grid.name}")
                at = rows.tell()
                rows.write(write_sheet(book, formats, layout(grid, sheet_name(grid.name, names)), chosen))
                spans.append((at, rows.tell() - at))
            write_breaks(book, chosen)
            report_progress(progress, total, total + 1, "正在保存")
            now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
            book.set_properties({"author": "ZiPing", "created": now})
            book.close()
            splice(shell, tmp, rows, spans)

    save_atomically(path, save)
    if progress is not None:
        progress(total + 1, total + 1, "完成")


SHEET_PART = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
ROWS_AT = "<sheetData>"


def splice(shell: io.BytesIO, path: Path, rows: IO[bytes], spans: list[tuple[int, int]]) -> None:
    """Save the workbook xlsxwriter wrote to ``shell`` as ``path``, each sheet with its rows: sheet n's
    are ``spans[n - 1]`` (offset, length) of ``rows``, after its ``<sheetData>``."""
    with zipfile.ZipFile(shell) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            part = SHEET_PART.fullmatch(info.filename)
            if part is None or int(part[1]) > len(spans):  # xlsxwriter's own blank sheet of no grids
                dst.writestr(info, data)
                continue
            at = data.index(ROWS_AT.encode()) + len(ROWS_AT)
            start, length = spans[int(part[1]) - 1]
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            rows.seek(start)
            with dst.open(entry, "w") as out:
                out.write(data[:at])
                while length > 0:
                    chunk = rows.read(min(length, 1 << 20))
                    out.write(chunk)
                    length -= len(chunk)
                out.write(data[at:])


def rate_format(places: int) -> str:
    """Return the number format of a rate shown with ``places`` decimals: 0% or 0.00%."""
    return "0." + "0" * places + "%" if places else "0%"


def sheet_name(name: str, taken: set[str]) -> str:
    """Return a valid, unused sheet name (≤31 UTF-16 units as Excel counts them, none of []:*?/\\,
    no apostrophe at either end)."""
    base = _utf16_start(_BAD_NAME.sub("", name).strip("' "), 31).strip("' ") or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"({n})"
        candidate, n = _utf16_start(base, 31 - len(suffix)) + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _utf16_start(text: str, units: int) -> str:
    """Return the longest start of ``text`` of at most ``units`` UTF-16 units (a character beyond the
    Basic Multilingual Plane, as 𠀀 of CJK Extension B, counts two)."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return text[:i]
    return text


# ---- layout: the grid as Excel cells ----------------------------------------------------------


def layout(grid: Grid, name: str) -> Sheet:
    """Lay out one grid: titles, table with merges and borders, notes, sign-off, page breaks."""
    grid.split_tall_rows(MAX_LINES - BREAK_ROOM, pad=2)  # as row_heights measures a cell
    cells = pages.measures(grid)  # each cell's lines, measured once
    fit_headers(grid, lambda w, n: w + 2 * n - 1)  # as cell_units at 五号
    fit_groups(grid, lambda w, n: w + 2 * n - 1)
    size = cell_size(grid, cells)
    before = {k: c.value for k, c in grid.cells.items()}
    changed = grid.keep_brackets(lambda c, n: cell_units(grid, c, n, size), punctuation=True)
    cells.update(pages.measures(grid, changed))
    for key in changed:  # a row's text never outgrows Excel's row cap for a line break it was given
        r1, r2, _c1, _c2, parts = cells[key]
        lines = sum(math.ceil(u / max(cell_units(grid, _c1, _c2 - _c1 + 1, size), 2)) or 1 for u in parts)
        if lines > MAX_LINES * (r2 - r1 + 1):
            grid.cells[key].value = before[key]
            cells.update(pages.measures(grid, [key]))
    sheet = Sheet(name, grid, size=size)
    top = sheet.top = _titles(sheet)
    _table(sheet, cells)
    after = top + grid.rows - 1
    for text in grid.notes:
        after += 1
        _line(sheet, after, text)
    if grid.signoff:
        after += 2
        _line(sheet, after, signoff_line(grid.signoff))
    sheet.last = after
    _page_breaks(sheet)
    return sheet


def _text(sheet: Sheet, row: int, col: int, text: str, style: Style) -> None:
    sheet.cells[row, col] = (text, style)


def _titles(sheet: Sheet) -> int:
    """Lay out the attachment label, title and subtitle; return the first table row."""
    grid = sheet.grid
    n = grid.ncols
    row = 1
    if grid.attachment:
        _text(sheet, row, 1, grid.attachment, Style(LABEL_FONT, 12))
        row += 1
    sheet.merges.append((row, 1, row, n))
    # units of the title's width: half an 18 pt character (12 px) of the columns' pixels (7 a width unit + 5)
    units = int(sum(7 * (w + 2) + 5 for w in grid.widths) / 12)
    text = break_title(grid.title, units, grid.title_fields)
    title = Style(TITLE_FONT, 18, bold=True, align="center", valign="vcenter", wrap=True)
    _text(sheet, row, 1, text, title)  # bold where 方正小标宋 is missing
    sheet.heights[row] = 32 * sum(max(1, math.ceil(text_units(t) / units)) for t in text.split("\n"))
    row += 1
    if grid.subtitle:
        sheet.merges.append((row, 1, row, n))
        _text(sheet, row, 1, grid.subtitle, Style(CELL_FONT, 12, align="center"))
        row += 1
    return row


def _line(sheet: Sheet, row: int, text: str) -> None:
    grid = sheet.grid
    sheet.merges.append((row, 1, row, grid.ncols))
    _text(sheet, row, 1, text, Style(align="left", valign="vcenter", wrap=True))
    sheet.heights[row] = min(MAX_ROW_PT, LINE_PT * line_count(text, sum(grid.widths)) + ROW_PAD_PT)


def _table(sheet: Sheet, cells: dict[tuple[int, int], pages.Measure] | None = None) -> None:
    grid, top = sheet.grid, sheet.top
    cell, left = CELL._replace(size=sheet.size), LEFT_CELL._replace(size=sheet.size)
    for r in range(grid.rows):
        for c in range(grid.ncols):
            sheet.cells[top + r, c + 1] = (None, cell)
    places = grid.rate_places
    for (r, c), gc in grid.cells.items():
        style = cell if gc.align == "center" else left
        if gc.kind == HEAD:
            style = style._replace(bold=True)
        value = gc.value
        if isinstance(value, Decimal) and gc.kind not in (MONEY, RATE):  # a score, General
            value = score_printed(value)
        if isinstance(value, str):
            if value.startswith(FORMULA_START):
                style = style._replace(quote=True)
        elif gc.kind == RATE and isinstance(value, Decimal):
            shown = percent_places(value, places, grid.rate_whole)  # 益阳 "100%" beside "86.61%"
            value, style = q(value, places + 2), style._replace(num=rate_format(shown))
        elif gc.kind == MONEY and value is not None:
            shown = money_places(value, grid.typed) if isinstance(value, Decimal) else 2
            # as typed with fewer than 2 places: General shows 709.5 and 100 as typed, and a figure corrected
            # in the workbook later (709.58) with every digit — 0.0 would show it as 709.6 (reviewer's R14)
            style = style._replace(num="0.00" if shown == 2 else "General")
        sheet.cells[top + r, c + 1] = (value, style)
    sheet.merges.extend((top + r1, c1 + 1, top + r2, c2 + 1) for r1, c1, r2, c2 in grid.merges)
    for r, height in enumerate(row_heights(grid, sheet.size, cells)):
        sheet.heights[top + r] = height


def score_printed(value: Decimal) -> Decimal:
    """Return a score as Word prints it (grid.printed's fmt): to the cent half-up (R7.3), without
    trailing zeros — 10, 8.34, 8.5 under General, as the seeds print them (a typed 8.335 was 8.335)."""
    value = q(value)
    if not value.is_finite():
        return value
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def cell_units(grid: Grid, col: int, cols: int, size: float = CELL_PT) -> float:
    """Return the width units (a 五号 CJK character 2) a line of a cell spanning ``cols`` columns holds:
    each column is 2 units wider on the sheet, less 1 for the cell's padding; more at a smaller size."""
    return (grid.span_width(col, cols) + 2 * cols - 1) * CELL_PT / size


def row_heights(
    grid: Grid, size: float = CELL_PT, cells: dict[tuple[int, int], pages.Measure] | None = None
) -> list[float]:
    """Return each table row's height in points so that wrapped text (at ``size``) is fully visible;
    ``cells`` are the grid's ``pages.measures``."""
    lines = [1.0] * grid.rows
    usable: dict[tuple[int, int], float] = {}  # a line's units by first and last column
    for r1, r2, c1, c2, parts in (pages.measures(grid) if cells is None else cells).values():
        width = usable.get((c1, c2))
        if width is None:
            width = usable[(c1, c2)] = max(cell_units(grid, c1, c2 - c1 + 1, size), 2)
        need = sum(max(1, math.ceil(units / width)) for units in parts) if len(parts) > 1 else 0
        need = need or max(1, math.ceil(parts[0] / width))
        if r1 == r2:
            lines[r1] = max(lines[r1], need)
            continue
        for rr in range(r1, r2 + 1):
            lines[rr] = max(lines[rr], need / (r2 - r1 + 1))
    line = LINE_PT * size / CELL_PT
    return [min(MAX_ROW_PT, math.ceil(n) * line + ROW_PAD_PT) for n in lines]


def fit_width(grid: Grid, page: pages.Page) -> bool:
    """Narrow a grid's columns so that it prints at WIDTH_SCALE or more on the page's width, the width
    taken from the columns with the most to spare over their floors (``widths.floors``); return
    whether any changed. For a sheet printed on several pages (one fitted to a page may gain more
    from its scale than it loses): 004's 部门整体 form split into 15 columns, each printed 2 units
    wider than its template width, and printed at 89 % (小五 at 8 pt, 7.6 pt fitted to one page)."""
    paper = pages.A4_PT[1] if page.landscape else pages.A4_PT[0]
    usable_px = (paper - 72 * (page.margin_in[0] + page.margin_in[1])) / 0.75 / WIDTH_SCALE
    over = math.ceil((sum(UNIT_PX * (w + 2) + 5 for w in grid.widths) - usable_px) / UNIT_PX)
    if over <= 0:
        return False
    lows = floors(grid, lambda w, n: w + 2 * n - 1)
    widths = list(grid.widths)
    for _ in range(over):
        room, _w, c = max((widths[c] - lows[c], widths[c], c) for c in range(len(widths)))
        if room <= 0:
            break
        widths[c] -= 1
    grid.widths = widths
    return True


def fill_width(grid: Grid, page: pages.Page) -> None:
    """Widen a grid's columns in proportion to fill the page's printable width at 100 %."""
    paper = pages.A4_PT[1] if page.landscape else pages.A4_PT[0]
    usable_px = (paper - 72 * (page.margin_in[0] + page.margin_in[1])) / 0.75
    used_px = sum(UNIT_PX * (w + 2) + 5 for w in grid.widths)  # as pages.column_points counts
    spare = int((usable_px - used_px) // UNIT_PX) - 1
    if spare <= 0:
        return
    total = sum(grid.widths)
    shares = [spare * w / total for w in grid.widths]
    extra = [int(x) for x in shares]
    for i in sorted(range(len(shares)), key=lambda i: extra[i] - shares[i])[: spare - sum(extra)]:
        extra[i] += 1
    grid.widths = [w + e for w, e in zip(grid.widths, extra, strict=True)]


def cell_size(grid: Grid, cells: dict[tuple[int, int], pages.Measure] | None = None) -> float:
    """Return the table's font size: 五号, or 小五 where that prints a form too long for one page
    larger than 五号 fitted to one page would (fewer lines, and no scaling or less of it).

    A form too long for a page at 五号 first gets the page's whole width (its columns widened in
    proportion, as the Word table fills its page): its text then takes fewer lines."""
    page = pages.Page(grid.landscape, MARGINS_IN)
    scratch = Sheet("", grid)
    top = _titles(scratch)
    fixed = sum(stored_height(scratch.heights.get(r, DEFAULT_ROW_PT)) for r in range(1, top))
    width = sum(grid.widths)
    for text in grid.notes:
        fixed += stored_height(min(MAX_ROW_PT, LINE_PT * line_count(text, width) + ROW_PAD_PT))
    if grid.signoff:
        fixed += DEFAULT_ROW_PT + stored_height(
            LINE_PT * line_count(signoff_line(grid.signoff), width) + ROW_PAD_PT
        )
    measures = pages.measures(grid) if cells is None else cells

    seen: dict[tuple[float, tuple[int, ...]], float] = {}

    def pages_at(size: float) -> float:
        key = (size, tuple(grid.widths))
        if key not in seen:
            capacity = page.capacity([w + 2.0 for w in grid.widths])
            heights = row_heights(grid, size, measures)
            seen[key] = (fixed + sum(stored_height(h) for h in heights)) / capacity
        return seen[key]

    big = pages_at(CELL_PT)
    if big <= 1:
        return CELL_PT
    fill_width(grid, page)
    big = pages_at(CELL_PT)
    if big <= 1:
        return CELL_PT
    small_units: Units = lambda w, n: (w + 2 * n - 1) * CELL_PT / SMALL_PT  # noqa: E731
    if pages_at(SMALL_PT) <= BALANCE_REACH:  # within reach of one page: fewer lines may get it there
        fitted = page.room([w + 2.0 for w in grid.widths]) * SMALL_PT / pages.READABLE_PT
        reach = (fitted - fixed - ROW_PAD_PT * grid.rows) / (LINE_PT * SMALL_PT / CELL_PT)
        balance(grid, small_units, measures, lambda w, n: w + 2 * n - 1, reach)
        big = pages_at(CELL_PT)
        if big <= 1:
            return CELL_PT
    small = pages_at(SMALL_PT)

    def printed(size: float, at: float) -> float:  # the size its text prints at, fitted to one page
        shown = size * page.scale([w + 2.0 for w in grid.widths]) / max(1.0, at * pages.FILL)
        return shown if shown >= pages.READABLE_PT else 0.0

    if printed(SMALL_PT, small) > printed(CELL_PT, big):
        return SMALL_PT
    if printed(CELL_PT, big):
        return CELL_PT
    # It continues on more pages: printed at WIDTH_SCALE or more, at 小五 where that takes fewer
    # pages, as the seeds print a long table.
    fit_width(grid, page)

    def count(size: float) -> int:  # the pages it takes, each under the repeated header
        widths = [w + 2.0 for w in grid.widths]
        rows = [fixed, *(stored_height(h) for h in row_heights(grid, size, measures))]
        repeat = (grid.repeat[0] + 1, grid.repeat[1] + 1) if grid.repeat else (0, -1)
        return len(pages.breaks(rows, page.capacity(widths), repeat, [0.0] * len(rows))) + 1

    if SMALL_PT * page.scale([w + 2.0 for w in grid.widths]) < pages.READABLE_PT:
        return CELL_PT
    return SMALL_PT if count(SMALL_PT) < count(CELL_PT) else CELL_PT


def _page_breaks(sheet: Sheet) -> None:
    """End every printed page with a manual break: no lone sign-off, no header row at a page's foot.
    A sheet a little too long for one page is fitted to one page instead (as the seeds print a form)."""
    grid, top, last = sheet.grid, sheet.top, sheet.last
    page = pages.Page(grid.landscape, MARGINS_IN)
    heights = [stored_height(sheet.heights.get(r, DEFAULT_ROW_PT)) for r in range(1, last + 1)]
    if page.fits_fitted(sum(heights), sheet.widths, sheet.size):  # a little too long: print it smaller
        sheet.fit_height = 1
        return
    repeat = (top + grid.repeat[0] - 1, top + grid.repeat[1] - 1) if grid.repeat else (0, top - 2)
    for row in pages.breaks(heights, page.capacity(sheet.widths), repeat, _break_costs(grid, top, last)):
        sheet.breaks.append(row + 1)
        _split_merges(sheet, row + 1)


def stored_height(points: float) -> float:
    """Return a row height as the sheet stores it: whole pixels (xlsxwriter rounds 32 pt to 32.25)."""
    return int(points * 4 / 3 + 0.5) * 0.75


def _split_merges(sheet: Sheet, end: int) -> None:
    """Cut every merged run that crosses the page ending after sheet row ``end`` in two, and print its
    label again at the top of the next page (a merged cell shows its text on the first page only)."""
    kept: list[tuple[int, int, int, int]] = []
    for m in sheet.merges:
        r1, c1, r2, c2 = m
        if not r1 <= end < r2:
            kept.append(m)
            continue
        sheet.cells[end + 1, c1] = sheet.cells.get((r1, c1), (None, CELL))
        for a, b in ((r1, end), (end + 1, r2)):
            if a < b or c1 < c2:
                kept.append((a, c1, b, c2))
    sheet.merges = kept


def _break_costs(grid: Grid, top: int, last: int) -> list[float]:
    """Return the cost of ending a page after each sheet row (0-based): merged runs cut, header, tail."""
    costs = [0.0] * last
    for i in range(top - 1):
        costs[i] = pages.NEVER  # the titles stay with the table
    for r1, c1, r2, _c2 in grid.merges:
        for r in range(r1, r2):
            costs[top - 1 + r] += 1.0 if c1 else 0.1
    if grid.repeat:
        costs[top - 1 + grid.repeat[1]] = pages.NEVER
    tail = top - 1 + grid.tail_start(TAIL_ROWS)
    for i in range(tail, last):
        costs[i] = pages.NEVER  # the last table rows travel with the notes and the sign-off
    return costs


# ---- writing: the sheet with xlsxwriter -------------------------------------------------------


def _format(book: Any, formats: dict[Style, Any], style: Style) -> Any:
    fmt = formats.get(style)
    if fmt is None:
        # scheme "none": the font itself, not the theme's (a 宋体 cell would print Calibri digits)
        props: dict[str, Any] = {"font_name": style.font, "font_size": style.size, "font_scheme": "none"}
        if not style.font.isascii():  # 宋体, 黑体 …: a GB2312 font, as Excel itself stores it (a
            props["font_charset"] = GB2312  # missing 方正小标宋简体 is then replaced by a Chinese font)
        if style.bold:
            props["bold"] = True
        if style.align:
            props["align"] = style.align
        if style.valign:
            props["valign"] = style.valign
        if style.wrap:
            props["text_wrap"] = True
        if style.border:
            props["border"] = 1
        if style.num:
            props["num_format"] = style.num
        if style.quote:
            props["quote_prefix"] = True
        fmt = formats[style] = book.add_format(props)
    return fmt


class Chosen(NamedTuple):
    """A cell given line breaks to choose where its lines end: where they are in its text as written."""

    sheet: str
    row: int  # 0-based, as xlsxwriter counts
    col: int
    offsets: tuple[int, ...]  # the chosen line breaks' places in the written text
    crc: int  # CRC-32 of the written text (UTF-8): a cell edited since is left as it is


def unmark(text: str) -> tuple[str, tuple[int, ...]]:
    """Return a cell's text as written (without SOFT_BREAK's zero-width spaces) and where in it its
    chosen line breaks are."""
    out: list[str] = []
    offsets: list[int] = []
    at = 0
    for k, part in enumerate(text.split(SOFT_BREAK[0])):
        if k and part.startswith("\n"):
            offsets.append(at)
        out.append(part)
        at += len(part)
    return "".join(out), tuple(offsets)


PROPERTY_CHARS = 255  # Excel shows and keeps a custom property's text up to this length


def breaks_text(chosen: list[Chosen]) -> str:
    """Return the chosen line breaks as one text: per sheet (by "/") its name, "?", then per cell (by
    ",") its reference, the offsets (by ".") and the CRC-32 of its text (hex), by ":". No whitespace,
    and "?" and "/" are never in a sheet's name."""
    by_sheet: dict[str, list[str]] = {}
    for name, row, col, offsets, crc in chosen:
        ref = xl_rowcol_to_cell(row, col)
        by_sheet.setdefault(name, []).append(f"{ref}:{'.'.join(map(str, offsets))}:{crc:08x}")
    return "/".join(f"{name}?{','.join(cells)}" for name, cells in by_sheet.items())


def write_breaks(book: Any, chosen: list[Chosen]) -> None:
    """List the chosen line breaks in the workbook's custom properties BREAKS_PROPERTY 001, 002 … (the
    text of ``breaks_text`` cut into PROPERTY_CHARS pieces): the importers take them out again. No
    character in a cell marks them, no sheet is added; Excel and WPS keep the properties when saving."""
    text = breaks_text(chosen)
    for n, at in enumerate(range(0, len(text), PROPERTY_CHARS), 1):
        book.set_custom_property(f"{BREAKS_PROPERTY}{n:03d}", text[at : at + PROPERTY_CHARS])


class RowsLater(Worksheet):  # type: ignore[misc]  # xlsxwriter has no type hints
    """A worksheet whose rows xlsxwriter leaves out: ``write_sheet`` writes them as XML text (splice
    puts them in), xlsxwriter the rest of the sheet (columns, merges, page set-up) around them."""

    def _write_sheet_data(self) -> None:
        self._xml_start_tag("sheetData")
        self._xml_end_tag("sheetData")


def write_sheet(
    book: Any, formats: dict[Style, Any], sheet: Sheet, chosen: list[Chosen] | None = None
) -> bytes:
    """Add a laid-out sheet to ``book``: widths, merges, page set-up; return its rows as the XML of its
    ``<sheetData>`` (UTF-8): heights, cells (text as text). A chosen line break is written as a plain
    one and listed in ``chosen`` (see ``write_breaks``)."""
    ws = book.add_worksheet(sheet.name, worksheet_class=RowsLater)
    for c, width in enumerate(sheet.widths):
        ws.set_column_pixels(c, c, UNIT_PX * width)
    ws.merge.extend([r1 - 1, c1 - 1, r2 - 1, c2 - 1] for r1, c1, r2, c2 in sheet.merges)
    xf: dict[Style, int] = {}
    rows, dims = rows_xml(sheet, xf, formats, book, chosen)
    ws.dim_rowmin, ws.dim_rowmax, ws.dim_colmin, ws.dim_colmax = dims  # the <dimension> of the sheet
    _page_setup(ws, sheet)
    if sheet.breaks:
        ws.set_h_pagebreaks(sheet.breaks)
    return rows


_COLUMNS = [xl_col_to_name(c) for c in range(702)]  # A … ZZ
_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)")
MAX_CHARS = 32767  # Excel's limit on a cell's text, in UTF-16 units
# The largest number a cell holds (a double's); Excel calls a file with <v>1E+400</v> damaged, so a larger
# figure (or NaN) is written as the text it is.
EXCEL_LARGEST = Decimal("1.7976931348623157E+308")


def text_xml(text: str) -> str:
    """Return a cell's text as the content of its <t>, as Excel writes it: & < > escaped, control
    characters as _xHHHH_ (and a literal _xHHHH_ kept by escaping its underscore)."""
    if len(text) > MAX_CHARS // 2 and len(text.encode("utf-16-le")) > 2 * MAX_CHARS:
        text = text.encode("utf-16-le")[: 2 * MAX_CHARS].decode("utf-16-le", "ignore")
    if not _ESCAPE.search(text):
        return text
    text = _ESCAPED.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m[0]):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rows_xml(
    sheet: Sheet,
    xf: dict[Style, int],
    formats: dict[Style, Any],
    book: Any,
    chosen: list[Chosen] | None,
) -> tuple[bytes, tuple[int, int, int, int]]:
    """Return the rows of a sheet as <row> elements (UTF-8) and its used range (first and last row,
    first and last column, 0-based): every row that has cells, with its height where not the default
    15 pt; blank cells with their style (the borders), text inline (never a formula), numbers as
    numbers. Rows with a height but no cells count in the range, not in the rows (as xlsxwriter)."""
    out: list[str] = []
    row = 0
    cols = _COLUMNS
    heights = sheet.heights
    for (r, c), (value, style) in sorted(sheet.cells.items()):
        s = xf.get(style)
        if s is None:
            s = xf[style] = _format(book, formats, style)._get_xf_index()
        if r != row:
            if row:
                out.append("</row>")
            row = r
            px = int(heights[r] * 4 / 3 + 0.5) if r in heights else DEFAULT_ROW_PX
            if px == DEFAULT_ROW_PX:
                out.append(f'<row r="{r}">')
            else:
                out.append(f'<row r="{r}" ht="{px * 0.75:.16g}" customHeight="1">')
        ref = f"{cols[c - 1]}{r}"
        if value is None or value == "":
            out.append(f'<c r="{ref}" s="{s}"/>')
        elif isinstance(value, str):
            if SOFT_BREAK[0] in value:
                value, offsets = unmark(value)
                if offsets and chosen is not None:
                    chosen.append(Chosen(sheet.name, r - 1, c - 1, offsets, zlib.crc32(value.encode())))
            space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
            out.append(f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{space}>{text_xml(value)}</t></is></c>')
        elif value.is_finite() and abs(value) <= EXCEL_LARGEST:
            out.append(f'<c r="{ref}" s="{s}"><v>{value:.16G}</v></c>')
        else:
            out.append(f'<c r="{ref}" s="{s}" t="inlineStr"><is><t>{value}</t></is></c>')
    if row:
        out.append("</row>")
    used = [r for r, _c in sheet.cells]
    first = [min(used + list(heights)) - 1, max(used + list(heights)) - 1]
    columns = [c - 1 for _r, c in sheet.cells] + ([0] if heights else [])
    return "".join(out).encode(), (first[0], first[1], min(columns), max(columns))


def _page_setup(ws: Any, sheet: Sheet) -> None:
    grid, top = sheet.grid, sheet.top
    ws.set_paper(9)  # A4
    if grid.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, sheet.fit_height)
    ws.center_horizontally()
    left, right, top_in, bottom = MARGINS_IN
    ws.set_margins(left=left, right=right, top=top_in, bottom=bottom)
    ws.set_header("", {"margin": FOOTER_IN})
    if grid.footer:
        ws.set_footer(excel_footer(grid.footer), {"margin": FOOTER_IN})
    if grid.repeat:  # a one-page table (基础数据表) repeats nothing
        ws.repeat_rows(top + grid.repeat[0] - 1, top + grid.repeat[1] - 1)
        if grid.repeat[0] == 0:  # a list under its header (汇总表, 评分表): the header stays in view
            ws.freeze_panes(top + grid.repeat[1], 0)
    ws.print_area(0, 0, sheet.last - 1, grid.ncols - 1)
    ws.hide_gridlines(2)
