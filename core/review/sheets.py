"""Rows of the bureau's workbooks (汇总表, 复核结果, 抽评): text stays text.

openpyxl stores any string that starts with "=" as a formula: a department named
``=HYPERLINK("…","点击")`` or a project ``=1+1项目`` would come back from the bureau's own workbook
as a live formula (a link, a figure the department chose). Nothing the bureau's workbooks hold is
a formula, so such a cell is written as the text it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def append(ws: Any, values: Sequence[Any]) -> None:
    """``ws.append(values)``, every text cell kept as text (never a formula)."""
    ws.append(values)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith("="):
            ws.cell(ws.max_row, column).data_type = "s"
