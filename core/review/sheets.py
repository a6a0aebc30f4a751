"""Rows and pages of the bureau's workbooks (汇总表, 复核结果, 抽评): text stays text, lists print
as lists.

openpyxl stores any string that starts with "=" as a formula: a department named
``=HYPERLINK("…","点击")`` or a project ``=1+1项目`` would come back from the bureau's own workbook
as a live formula (a link, a figure the department chose). Nothing the bureau's workbooks hold is
a formula, so such a cell is written as the text it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def append(ws: Any, values: Sequence[Any]) -> int:
    """``ws.append(values)``, every text cell kept as text (never a formula); return the row's number.
    (Not ``ws.max_row``: openpyxl works it out over every cell of the sheet each time it is asked —
    asked once a row, the 汇总表 of 1,000 reports took 887 s to write instead of a few.)"""
    ws.append(values)
    row = int(ws._current_row)  # what append just wrote (openpyxl's own count of appended rows)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith("="):
            ws.cell(row, column).data_type = "s"
    return row


def printable(ws: Any, header_rows: int = 1) -> None:
    """Print a list sheet as a list: A4 landscape, every column on one page's width (as many pages down
    as it takes), the header (its first ``header_rows`` rows) repeated on each page, the cells' grid
    drawn. Without it 3,500 forms printed as 430 portrait pages of three columns each, the figures on
    pages of their own."""
    from openpyxl.utils import get_column_letter

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_rows}"
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"  # a long path's overflow is not
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
