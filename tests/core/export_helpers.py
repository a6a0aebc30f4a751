"""Read exports back and compare them with the seed's printed text."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

SEED004 = Path("/work/shared/seeds/004_6a647227ac14b8a7.txt")
SIGNOFF = ("填表人", "填报日期", "联系电话", "单位负责人签字")
_PARENS = str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，"})


def norm(token: Any, percent: bool = False) -> str:
    """Normalise a printed token: no spaces, full-width brackets, numbers compared by value."""
    if isinstance(token, (int, float, Decimal)):
        value = Decimal(str(token))
        return f"n:{value.normalize():f}"
    text = re.sub(r"[\s\u200b]+", "", str(token)).translate(_PARENS)
    number = re.fullmatch(r"(\d+(?:\.\d+)?)(%|分)?", text)
    if number:
        try:
            value = Decimal(number[1])
        except InvalidOperation:
            return text
        if number[2] == "%":
            value = value / 100
        return f"n:{value.normalize():f}"
    return text


def seed_section(start: str, end: str | None) -> list[list[str]]:
    """Return the tab-separated lines of the seed between two attachment labels, as tokens."""
    lines = SEED004.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip() == start)
    j = next((n for n, line in enumerate(lines) if n > i and end and line.strip() == end), len(lines))
    out = []
    for line in lines[i:j]:
        tokens = [t.strip() for t in line.split("\t") if t.strip()]
        if tokens and not tokens[0].startswith(SIGNOFF):
            out.append([norm(t) for t in tokens])
    return out


def match_in_order(expected: list[list[str]], actual: list[list[str]]) -> list[list[str]]:
    """Return the expected rows not found, in order, among the actual rows."""
    missing = []
    pos = 0
    for row in expected:
        for k in range(pos, len(actual)):
            if actual[k] == row:
                pos = k + 1
                break
        else:
            missing.append(row)
    return missing


def joined_merges(ws: Any) -> set[tuple[int, int, int, int]]:
    """Return the sheet's merged ranges with the cuts made at page breaks joined up again."""
    ends = {b.id for b in ws.row_breaks.brk}
    ranges = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges}
    for end in sorted(ends, reverse=True):
        for c1 in {r[1] for r in ranges}:
            lower = next((r for r in ranges if r[0] == end + 1 and r[1] == c1), None)
            upper = next((r for r in ranges if r[2] == end and r[1] == c1), None)
            if lower is None and upper is None:
                continue
            top = upper or (end, c1, end, (lower or (0, 0, 0, c1))[3])
            bottom = lower or (end + 1, c1, end + 1, top[3])
            if ws.cell(bottom[0], c1).value != ws.cell(top[0], c1).value or top[3] != bottom[3]:
                continue
            ranges -= {upper, lower}
            ranges.add((top[0], c1, bottom[2], top[3]))
    return ranges


def repeated_labels(ws: Any) -> set[tuple[int, int]]:
    """Return the cells that print a merged label again at the top of a new page."""
    out = set()
    for top, c1, bottom, _c2 in joined_merges(ws):
        for end in (b.id for b in ws.row_breaks.brk):
            if top <= end < bottom:
                out.add((end + 1, c1))
    return out


def sheet_rows(ws: Any) -> list[list[str]]:
    """Return each sheet row's non-empty cells as normalised tokens (rates read as fractions); a label
    printed again after a page break is read once, as on the screen."""
    again = repeated_labels(ws)
    rows = []
    for row in ws.iter_rows():
        tokens = [norm(c.value) for c in row if c.value not in (None, "") and (c.row, c.column) not in again]
        if tokens:
            rows.append(tokens)
    return rows


def cell_borders(xlsx: Path, sheet_index: int) -> dict[str, tuple[str | None, ...]]:
    """Return each written cell's (left, right, top, bottom) border style straight from the file's XML."""
    import xml.etree.ElementTree as ET
    import zipfile

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(xlsx) as z:
        styles = ET.fromstring(z.read("xl/styles.xml"))
        sheet = ET.fromstring(z.read(f"xl/worksheets/sheet{sheet_index + 1}.xml"))
    borders = []
    for b in styles.find("m:borders", ns):
        borders.append(
            tuple(
                (e.get("style") if (e := b.find(f"m:{side}", ns)) is not None else None)
                for side in ("left", "right", "top", "bottom")
            )
        )
    xfs = [int(x.get("borderId", 0)) for x in styles.find("m:cellXfs", ns)]
    return {c.get("r"): borders[xfs[int(c.get("s", 0))]] for c in sheet.iter(f"{{{ns['m']}}}c")}
