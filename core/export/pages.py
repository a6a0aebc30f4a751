"""Where the printed pages of a sheet end: explicit row breaks so the sign-off never prints alone.

A sheet is printed fitted to one page wide; the scale follows from the column widths, and from the
scale and A4's usable height how many row points fit on a page. The sheet gets a manual break at
the end of every page it needs (with some slack, so Excel, WPS and LibreOffice never need a break
of their own), chosen where no merged 一级/二级 run is cut if one is near, never right after the
repeated header row, and so that the last table rows travel with the notes and the sign-off.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from core.export.grid import Grid, text_units

A4_PT = (595.3, 841.9)  # short and long side in points
FILL = 0.96  # use this share of the estimated page height (renderers differ a little)
LOOK_BACK = 6  # rows a break may move up to avoid cutting a merged run
NEVER = math.inf
MIN_FULL = 0.6  # a page ended early is still this full
WASTE = 4.0  # cost of leaving a whole page empty, against 1 for each merged run cut
READABLE_PT = 8.5  # a sheet fitted to one page prints its text no smaller (font size times the shrink)


def column_points(width_chars: float) -> float:
    """Return a column's printed width in points (Excel: 7 px per character plus 5 px padding)."""
    return (7 * width_chars + 5) * 0.75


@dataclass
class Page:
    landscape: bool
    margin_in: tuple[float, float, float, float]  # left, right, top, bottom (inches)

    def scale(self, widths_chars: list[float]) -> float:
        """Return the fit-to-width print scale (Excel rounds it down to a whole percent)."""
        paper_w = A4_PT[1] if self.landscape else A4_PT[0]
        usable = paper_w - 72 * (self.margin_in[0] + self.margin_in[1])
        total = sum(column_points(w) for w in widths_chars)
        return min(1.0, math.floor(100 * usable / total) / 100) if total else 1.0

    def capacity(self, widths_chars: list[float]) -> float:
        """Return how many row points fit on one printed page (with FILL's room for renderers)."""
        return FILL * self.room(widths_chars)

    def room(self, widths_chars: list[float]) -> float:
        """Return how many row points the printable height holds at the fit-to-width scale."""
        paper_h = A4_PT[0] if self.landscape else A4_PT[1]
        return (paper_h - 72 * (self.margin_in[2] + self.margin_in[3])) / self.scale(widths_chars)

    def printed_pt(self, height: float, widths_chars: list[float], size: float, fitted: bool = True) -> float:
        """Return the size text of ``size`` points prints at on a sheet fitted to the page's width and
        (``fitted``) to one page tall, its rows ``height`` points: the smaller of the two scales."""
        scale = self.scale(widths_chars)
        if fitted and height > self.room(widths_chars):
            scale *= self.room(widths_chars) / height
        return size * scale

    def fits_fitted(self, height: float, widths_chars: list[float], size: float) -> bool:
        """Return whether rows ``height`` points tall, their text ``size`` points, fit one page when
        shrunk to its width and height without printing the text below READABLE_PT."""
        return self.printed_pt(height, widths_chars, size) >= READABLE_PT


def breaks(heights: list[float], capacity: float, repeat: tuple[int, int], bad: list[float]) -> list[int]:
    """Return the rows (0-based) after which a page ends.

    ``heights[i]`` is row i's height; rows repeat[0]..repeat[1] print again on top of every later page;
    ``bad[i]`` is the cost of ending a page after row i (NEVER: not there unless no other row fits).
    """
    out: list[int] = []
    start, used, i = 0, 0.0, 0
    while i < len(heights):
        if used + heights[i] <= capacity or i == start:
            used += heights[i]
            i += 1
            continue
        end = _choose(heights, start, i, capacity, bad)
        out.append(end)
        start = end + 1
        used = sum(heights[repeat[0] : repeat[1] + 1]) if start > repeat[1] else 0.0
        i = start
    return out


def _choose(heights: list[float], start: int, overflow: int, capacity: float, bad: list[float]) -> int:
    """Return the row to end the page on: of the last few rows, the one whose cut costs least.

    A cut costs its ``bad`` plus WASTE for every page height left empty; a page stays at least MIN_FULL full.
    """
    best, best_cost = overflow - 1, bad[overflow - 1]
    for k in range(overflow - 2, max(start, overflow - 1 - LOOK_BACK) - 1, -1):
        used = sum(heights[start : k + 1])
        if used < capacity * MIN_FULL:
            break
        cost = bad[k] + WASTE * (1 - used / capacity)
        if cost < best_cost:
            best, best_cost = k, cost
    return best


Measure = tuple[int, int, int, int, list[int]]  # a cell's rows, columns and each line's width units


def measures(grid: Grid, only: Iterable[tuple[int, int]] | None = None) -> dict[tuple[int, int], Measure]:
    """Return every non-empty cell of a grid (or the cells ``only``): first and last row, first and
    last column (a merged cell's range) and the width units of each of its lines (a CJK character 2,
    anything else 1)."""
    spans = {(m[0], m[1]): m for m in grid.merges}
    out = {}
    for r, c in grid.cells if only is None else only:
        text = grid.text(r, c)
        if text:
            m = spans.get((r, c), (r, c, r, c))
            out[(r, c)] = (m[0], m[2], m[1], m[3], [text_units(part) for part in text.split("\n")])
    return out


def table_height(
    grid: Grid,
    widths_twips: list[int],
    font_pt: float,
    line_pt: float,
    pad_twips: int,
    cells: dict[tuple[int, int], Measure] | None = None,
) -> float:
    """Return the estimated printed height (points) of a grid's rows as a Word table."""
    return sum(row_points(grid, widths_twips, font_pt, line_pt, pad_twips, cells))


def row_points(
    grid: Grid,
    widths_twips: list[int],
    font_pt: float,
    line_pt: float,
    pad_twips: int,
    cells: dict[tuple[int, int], Measure] | None = None,
) -> list[float]:
    """Return the estimated printed height (points) of each of a grid's rows as a Word table.

    A cell's lines follow from its text width (a CJK character is ``font_pt`` wide, anything else half)
    and its width less the cell padding; a row is as tall as its tallest cell's lines (a merged cell's
    lines are shared by its rows), plus one point of rule. ``cells`` are the grid's ``measures``.
    """
    lines = [1.0] * grid.rows
    for r1, r2, c1, c2, parts in (measures(grid) if cells is None else cells).values():
        units = max(2 * (sum(widths_twips[c1 : c2 + 1]) - 2 * pad_twips) / (font_pt * 20), 2)
        per_row = sum(max(1, math.ceil(u / units)) for u in parts) / (r2 - r1 + 1)
        for rr in range(r1, r2 + 1):
            lines[rr] = max(lines[rr], per_row)
    return [math.ceil(n) * line_pt + 1 for n in lines]
