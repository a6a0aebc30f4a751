"""Write the Excel workbook: one sheet per attachment, in the region's printed layout."""

from __future__ import annotations

import math
import re
from copy import copy
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from core.export import Progress, pages, report_progress, save_atomically
from core.export.grid import HEAD, MONEY, RATE, Grid, break_title, line_count, signoff_line, text_units
from core.export.layout import plan
from core.model import Report
from core.numbers import q
from core.templates import Template

CELL_FONT = "宋体"
TITLE_FONT = "方正小标宋简体"
LABEL_FONT = "黑体"
LINE_PT = 15.0
DEFAULT_ROW_PT = 15.0
MAX_ROW_PT = 409.0  # Excel's limit: a taller row is cut to this height (and its text in print)
ROW_PAD_PT = 3.0  # a row's room above and below its lines
MAX_LINES = int(
    (MAX_ROW_PT - ROW_PAD_PT) // LINE_PT
)  # lines of a cell that fit one row; longer text continues below
FOOTER_IN = 0.25  # the page number sits inside the bottom margin, not on its edge
MARGINS_IN = (0.5, 0.5, 0.6, 0.6)  # left, right, top, bottom
TAIL_ROWS = 2  # table rows printed on the same page as the sign-off
_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
FONT = Font(name=CELL_FONT, size=10.5)
BOLD = Font(name=CELL_FONT, size=10.5, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
FORMULA_START = ("=", "+", "-", "@")
_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


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
    grids = plan(report, template, forms)
    total = len(grids) + 1
    wb = Workbook()
    wb.remove(wb.active)
    names: set[str] = set()
    for i, grid in enumerate(grids):
        report_progress(progress, i, total, f"正在导出 {grid.name}")
        ws = wb.create_sheet(sheet_name(grid.name, names))
        render(ws, grid)
    report_progress(progress, len(grids), total, "正在保存")
    _properties(wb)
    save_atomically(Path(path), wb.save)
    if progress is not None:
        progress(total, total, "完成")


def rate_format(places: int) -> str:
    """Return the number format of a rate shown with ``places`` decimals: 0% or 0.00%."""
    return "0." + "0" * places + "%" if places else "0%"


def sheet_name(name: str, taken: set[str]) -> str:
    """Return a valid, unused sheet name (≤31 characters, none of []:*?/\\)."""
    base = _BAD_NAME.sub("", name).strip("' ")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def set_text(cell: XlCell, text: str) -> None:
    """Write user text as text: a leading = + - @ never becomes a formula."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True


def _write_value(cell: XlCell, value: object, kind: str, places: int) -> None:
    if value is None:
        return
    if isinstance(value, str):
        set_text(cell, value)
    elif kind == RATE and isinstance(value, Decimal):
        cell.value = q(value, places + 2)
        cell.number_format = rate_format(places)
    elif kind == MONEY:
        cell.value = value
        cell.number_format = "0.00"
    else:
        cell.value = value


def _properties(wb: Workbook) -> None:
    import datetime as dt

    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    wb.properties.creator = wb.properties.lastModifiedBy = "ZiPing"
    wb.properties.created = wb.properties.modified = now


def _titles(ws: Worksheet, grid: Grid) -> int:
    """Write the attachment label, title and subtitle; return the first table row (1-based)."""
    n = grid.ncols
    row = 1
    if grid.attachment:
        set_text(ws.cell(row, 1), grid.attachment)
        ws.cell(row, 1).font = Font(name=LABEL_FONT, size=12)
        row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
    # units of the title's width: half an 18 pt character (12 px) of the columns' pixels (7 a width unit + 5)
    units = int(sum(7 * (w + 2) + 5 for w in grid.widths) / 12)
    title = break_title(grid.title, units, grid.title_fields)
    set_text(ws.cell(row, 1), title)
    ws.cell(row, 1).font = Font(name=TITLE_FONT, size=18, bold=True)  # bold where 方正小标宋 is missing
    ws.cell(row, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = 32 * sum(
        max(1, math.ceil(text_units(t) / units)) for t in title.split("\n")
    )
    row += 1
    if grid.subtitle:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        set_text(ws.cell(row, 1), grid.subtitle)
        ws.cell(row, 1).font = Font(name=CELL_FONT, size=12)
        ws.cell(row, 1).alignment = Alignment(horizontal="center")
        row += 1
    return row


def render(ws: Worksheet, grid: Grid) -> None:
    """Draw one grid on a sheet: titles, table with merges and borders, notes, sign-off, page set-up."""
    grid.split_tall_rows(MAX_LINES, pad=2)  # as row_heights measures a cell
    for c, width in enumerate(grid.widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width + 2
    top = _titles(ws, grid)
    _table(ws, grid, top)
    after = top + grid.rows - 1
    for text in grid.notes:
        after += 1
        _line(ws, grid, after, text)
    if grid.signoff:
        after += 2
        _line(ws, grid, after, signoff_line(grid.signoff))
    _page_setup(ws, grid, top)
    _page_breaks(ws, grid, top, after)


def _line(ws: Worksheet, grid: Grid, row: int, text: str) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=grid.ncols)
    set_text(ws.cell(row, 1), text)
    ws.cell(row, 1).font = FONT
    ws.cell(row, 1).alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = min(MAX_ROW_PT, LINE_PT * line_count(text, sum(grid.widths)) + ROW_PAD_PT)


def _table(ws: Worksheet, grid: Grid, top: int) -> None:
    covered = grid.covered()
    for r in range(grid.rows):
        for c in range(grid.ncols):
            cell = ws.cell(top + r, c + 1)
            cell.border = BORDER
            cell.font = FONT
            cell.alignment = CENTER
    for (r, c), gc in grid.cells.items():
        cell = ws.cell(top + r, c + 1)
        _write_value(cell, gc.value, gc.kind, grid.rate_places)
        if gc.kind == HEAD:
            cell.font = BOLD
        if gc.align != "center":
            cell.alignment = LEFT
    for r1, c1, r2, c2 in grid.merges:
        # Registered directly: openpyxl's merge_cells would redraw only the outer borders (and slowly);
        # every cell of the range keeps its own thin border and is empty but for the top-left one.
        ref = f"{get_column_letter(c1 + 1)}{top + r1}:{get_column_letter(c2 + 1)}{top + r2}"
        mcr = MergedCellRange(ws, ref)
        ws.merged_cells.add(mcr)
        for r, c in list(mcr.cells)[1:]:
            merged = ws._cells[r, c] = MergedCell(ws, r, c)
            merged.border = BORDER
    for r, height in enumerate(row_heights(grid, covered)):
        ws.row_dimensions[top + r].height = height


def row_heights(grid: Grid, covered: dict[tuple[int, int], tuple[int, int, int, int]]) -> list[float]:
    """Return each table row's height in points so that wrapped text is fully visible."""
    lines = [1.0] * grid.rows
    for (r, c), _cell in grid.cells.items():
        m = covered.get((r, c), (r, c, r, c))
        text = grid.text(r, c)
        if not text:
            continue
        need = line_count(text, grid.span_width(c, m[3] - m[1] + 1) + 2)
        per_row = need / (m[2] - m[0] + 1)
        for rr in range(m[0], m[2] + 1):
            lines[rr] = max(lines[rr], per_row)
    return [min(MAX_ROW_PT, math.ceil(n) * LINE_PT + ROW_PAD_PT) for n in lines]


def _page_breaks(ws: Worksheet, grid: Grid, top: int, last: int) -> None:
    """End every printed page with a manual break: no lone sign-off, no header row at a page's foot.
    A sheet a little too long for one page is fitted to one page instead (as the seeds print a form)."""
    page = pages.Page(grid.landscape, MARGINS_IN)
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, grid.ncols + 1)]
    heights = [ws.row_dimensions[r].height or DEFAULT_ROW_PT for r in range(1, last + 1)]
    if sum(heights) <= page.capacity(widths) * pages.ONE_PAGE:  # a form a little too long: print it smaller
        ws.page_setup.fitToHeight = 1
        return
    repeat = (top + grid.repeat[0] - 1, top + grid.repeat[1] - 1) if grid.repeat else (0, top - 2)
    for row in pages.breaks(heights, page.capacity(widths), repeat, _break_costs(grid, top, last)):
        ws.row_breaks.append(Break(id=row + 1))
        _split_merges(ws, row + 1)


def _split_merges(ws: Worksheet, end: int) -> None:
    """Cut every merged run that crosses the page ending after sheet row ``end`` in two, and print its
    label again at the top of the next page (a merged cell shows its text on the first page only)."""
    for mcr in list(ws.merged_cells.ranges):
        if not mcr.min_row <= end < mcr.max_row:
            continue
        first = ws.cell(mcr.min_row, mcr.min_col)
        ws.merged_cells.remove(mcr)
        top_left = XlCell(ws, row=end + 1, column=mcr.min_col)
        ws._cells[end + 1, mcr.min_col] = top_left
        top_left.value = first.value
        top_left.data_type = first.data_type
        top_left.font, top_left.alignment = copy(first.font), copy(first.alignment)
        top_left.border, top_left.number_format = BORDER, first.number_format
        for r1, r2 in ((mcr.min_row, end), (end + 1, mcr.max_row)):
            if r1 < r2 or mcr.min_col < mcr.max_col:
                cols = f"{get_column_letter(mcr.min_col)}{{}}:{get_column_letter(mcr.max_col)}{{}}"
                ws.merged_cells.add(MergedCellRange(ws, cols.format(r1, r2)))


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


def _page_setup(ws: Worksheet, grid: Grid, top: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if grid.landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom = MARGINS_IN
    ws.page_margins.footer = ws.page_margins.header = FOOTER_IN
    if grid.repeat:  # a one-page table (基础数据表) repeats nothing
        ws.print_title_rows = f"{top + grid.repeat[0]}:{top + grid.repeat[1]}"
    ws.print_area = f"A1:{get_column_letter(grid.ncols)}{ws.max_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = CELL_FONT
    ws.sheet_view.showGridLines = False
