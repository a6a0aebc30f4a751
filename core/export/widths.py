"""Column widths that print a form on fewer lines, in the template's proportions where they can stay.

The template gives each column its width in the seed's proportions. Two things print a form longer
than it need be: a short header ("自评得分", "指标分值") a little wider than its column wraps to two
lines, and short-label columns (二级指标 "决策程序") keep the width the long texts beside them
(评价要点及说明) would fill. ``fit_headers`` widens such a header's column; ``balance`` moves width to
the columns whose text sets the rows' heights, for a form longer than its page. Both take
``units(width, cols)``: how many width units (a CJK character 2) a line of a cell ``width`` units
wide over ``cols`` columns holds, as the writer prints it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from itertools import accumulate

from core.export.grid import HEAD, Grid
from core.export.lines import LATIN_WIDE, TAIL_CHARS, text_units

Units = Callable[[int, int], float]
_GROUP = re.compile(r"[（(][^（()）]*[）)]")
Measure = tuple[int, int, int, int, list[int]]  # as pages.Measure: rows, columns, each line's units

HEADER_MAX = 8  # a header of up to four characters is printed on one line
LABEL_MAX = 12  # a label of up to six characters stays on one line when widths are balanced
GROUP_MAX = 16  # a bracket group of up to eight characters fits one line (lines.keep_groups breaks longer)
MIN_SHARE = 0.75  # a column keeps at least this share of the template's width
SLACK = 0.0  # units a one-line text keeps free beyond its own (the writers' measures hold it exactly)
MOVES = (2, 1)  # width units moved at a time while balancing
MAX_STEPS = 8
REFINED = 3  # the text columns holding the most text are refined
REACH_SLACK = 1.1  # refined when the shared widths leave the table at most this far beyond its reach


def _spans(grid: Grid) -> dict[tuple[int, int], int]:
    return {(m[0], m[1]): m[3] - m[1] + 1 for m in grid.merges}


def _width_for(units: Units, need: float, cols: int = 1) -> int:
    """Return the narrowest width whose lines hold ``need`` units (and SLACK)."""
    w = 1
    while units(w, cols) < need + SLACK and w < 400:
        w += 1
    return w


def header_needs(grid: Grid) -> list[float]:
    """Return, per column, the longest one-column header of at most HEADER_MAX units (0: none)."""
    spans = _spans(grid)
    need = [0.0] * grid.ncols
    for (r, c), cell in grid.cells.items():
        if cell.kind != HEAD or spans.get((r, c), 1) != 1 or not isinstance(cell.value, str):
            continue
        u = max(_line_units(cell.value))
        if u <= HEADER_MAX:
            need[c] = max(need[c], u)
    return need


def _line_units(text: str) -> list[float]:
    """Each line's width units, digits and letters as wide as a CJK font's own (LATIN_WIDE)."""
    out = []
    for part in text.split("\n"):
        u = text_units(part)  # CJK 2, others 1: the others are 2 * len - u of them
        out.append(u + (LATIN_WIDE - 1) * (2 * len(part) - u))
    return out


def floors(grid: Grid, units: Units, groups: bool = True) -> list[int]:
    """Return the narrowest width each column may take: its headers and one-column labels of up to
    LABEL_MAX units and (with ``groups``) its bracket groups of up to GROUP_MAX on one line, and
    MIN_SHARE of its width (never wider than it is)."""
    spans = _spans(grid)
    short = [0.0] * grid.ncols
    most = GROUP_MAX if groups else LABEL_MAX  # a column measured this wide needs no more looking
    for r, c in grid.cells:
        if spans.get((r, c), 1) != 1:
            continue
        text = grid.text(r, c)
        if not text or short[c] >= most:
            continue
        if len(text) >= LABEL_MAX and "\n" not in text:  # at least LABEL_MAX units, no need to measure
            short[c] = max(short[c], LABEL_MAX)
        else:
            short[c] = max(short[c], max(min(u, LABEL_MAX) for u in _line_units(text)))
        if groups and ("（" in text or "(" in text):
            kept = [_line_units(g)[0] for g in _GROUP.findall(text)]
            short[c] = max(short[c], min(max(kept, default=0), GROUP_MAX))
    out = []
    for c, w in enumerate(grid.widths):
        least = max(_width_for(units, short[c]) if short[c] else 1, math.ceil(MIN_SHARE * w))
        out.append(min(w, least))
    return out


def fit_headers(grid: Grid, units: Units) -> bool:
    """Widen each column whose short header (HEADER_MAX) would wrap, taking the width from the
    columns with the most to spare over their floors (the widest first); return whether any changed.
    """
    return _widen(grid, units, header_needs(grid))


def group_needs(grid: Grid, units: Units) -> list[float]:
    """Return, per column, the line a bracket group of its one-column cells needs when it does not fit
    the column's line: the whole group (up to GROUP_MAX) or, for a longer one, a last line of
    TAIL_CHARS characters and its closing bracket (lines.keep_groups); a unit more, as the narrowest
    renderer fills a line one unit short. 0: none needs more than the column holds."""
    spans = _spans(grid)
    need = [0.0] * grid.ncols
    tail = 2 * (TAIL_CHARS + 1)
    for (r, c), cell in grid.cells.items():
        if spans.get((r, c), 1) != 1 or not isinstance(cell.value, str):
            continue
        text = cell.value
        if "（" not in text and "(" not in text:
            continue
        line = units(grid.widths[c], 1)
        for g in _GROUP.findall(text):
            u = _line_units(g)[0]
            want = (u if u <= GROUP_MAX else tail) + 1
            if u > line - 1 and want > line:
                need[c] = max(need[c], want)
    return need


def fit_groups(grid: Grid, units: Units) -> bool:
    """Widen each column whose bracket groups break with a short tail ("（中国共产党益阳市委" / "员会组织部）"
    in a seven-character column) to what ``group_needs`` asks, from the columns with the most to
    spare (never below their floors or what their headers need); return whether any changed."""
    return _widen(grid, units, group_needs(grid, units), header_needs(grid))


def _widen(grid: Grid, units: Units, needs: list[float], keep: list[float] | None = None) -> bool:
    """Widen each column to hold a line of ``needs`` units, taking the width one unit at a time from
    the column with the most to spare over its floor and its own need (and ``keep``'s)."""
    if all(units(w, 1) >= need + SLACK for w, need in zip(grid.widths, needs, strict=True) if need):
        return False
    lows = floors(grid, units, groups=False)  # a header on one line before a bracket group's
    held = [max(a, b) for a, b in zip(needs, keep or needs, strict=True)]
    widths = list(grid.widths)
    changed = False
    for c, need in enumerate(needs):
        if not need:
            continue
        want = _width_for(units, need)
        while widths[c] < want:
            spare = [
                (widths[d] - max(lows[d], _width_for(units, held[d]) if held[d] else 0), widths[d], d)
                for d in range(len(widths))
                if d != c
            ]
            room, _w, donor = max(spare)
            if room <= 0:
                break
            widths[donor] -= 1
            widths[c] += 1
            changed = True
    grid.widths = widths
    return changed


def balance(
    grid: Grid,
    units: Units,
    cells: dict[tuple[int, int], Measure],
    floor_units: Units | None = None,
    reach: float | None = None,
) -> bool:
    """Share the table's width (its total kept) so that it takes fewer printed lines: the columns of
    short labels down to their ``floors``, the room they leave to the columns whose text wraps, in
    proportion to how much text each holds, then a few units moved between those while the lines
    (then their fractional sum) go down. Kept only when the table takes fewer lines; return whether
    it does. ``cells`` are the grid's ``pages.measures``; the floors are measured with ``floor_units``
    (the larger print size, when the table may print at either) or ``units``. With ``reach`` (the
    lines the table may take to fit its page) the refining is left out when the shared width leaves
    the table more than REACH_SLACK beyond it: a few units more cannot get it there."""
    widths = list(grid.widths)
    lows = floors(grid, floor_units or units)
    volume = [0] * len(widths)
    wraps: set[int] = set()
    for _r1, _r2, c1, c2, parts in cells.values():
        if c1 == c2:
            volume[c1] += sum(parts)
            if max(parts) > LABEL_MAX or max(parts) > units(widths[c1], 1) - SLACK:
                wraps.add(c1)
    text = sorted(wraps)
    if not text:
        return False
    shares = _shares(
        sum(widths) - sum(lows[c] for c in range(len(widths)) if c not in wraps), text, volume, lows
    )
    trial = [shares.get(c, lows[c]) for c in range(len(widths))]
    if sum(trial) != sum(widths):
        return False  # the text columns' floors take more than the room (never with real floors)
    model = _Lines(grid, units, cells)
    start = model.cost(widths)
    model.fix(trial, wraps)  # only the text columns move from here on
    best = model.cost(trial)
    most = sorted(text, key=lambda c: -volume[c])[:REFINED]
    steps = MAX_STEPS if reach is None or best[0] <= reach * REACH_SLACK else 0
    for _ in range(steps):  # then move a little between the fullest text columns while it helps
        move = None
        for d, r in ((d, r) for d in most for r in most if d != r):
            for k in MOVES:
                if trial[d] - k < lows[d]:
                    break
                trial[d] -= k
                trial[r] += k
                cost = model.cost(trial)
                trial[d] += k
                trial[r] -= k
                if cost < best:
                    best, move = cost, (d, r, k)
        if move is None:
            break
        d, r, k = move
        trial[d] -= k
        trial[r] += k
    if best[0] >= start[0]:
        return False  # no fewer lines: the template's proportions stay
    grid.widths = trial
    return True


def _shares(room: int, columns: list[int], volume: list[int], lows: list[int]) -> dict[int, int]:
    """Split ``room`` width units over ``columns`` in proportion to ``volume``, none below its low."""
    fixed: dict[int, int] = {}
    while True:
        free = [c for c in columns if c not in fixed]
        left = room - sum(fixed.values())
        total = sum(volume[c] for c in free) or 1
        exact = {c: left * volume[c] / total for c in free}
        under = [c for c in free if exact[c] < lows[c]]
        if not under:
            break
        for c in under:
            fixed[c] = lows[c]
    out = {c: int(x) for c, x in exact.items()}
    for c in sorted(exact, key=lambda c: out[c] - exact[c])[: left - sum(out.values())]:
        out[c] += 1
    return {**out, **fixed}


class _Lines:
    """A table's printed lines for column widths: each cell's lines per row, cached per span width."""

    def __init__(self, grid: Grid, units: Units, cells: dict[tuple[int, int], Measure]) -> None:
        self.rows = grid.rows
        self.units = units
        self.spans: dict[tuple[int, int], list[tuple[int, int, list[int]]]] = {}
        for r1, r2, c1, c2, parts in cells.values():
            self.spans.setdefault((c1, c2), []).append((r1, r2, parts))
        self.cache: dict[tuple[int, int, int], tuple[list[float], list[float]]] = {}
        self.live = list(self.spans)  # the spans whose widths may change
        self.base = ([1.0] * self.rows, [0.0] * self.rows)  # the other spans' row heights

    def _vectors(self, c1: int, c2: int, width: int) -> tuple[list[float], list[float]]:
        key = (c1, c2, width)
        got = self.cache.get(key)
        if got is None:
            u = max(self.units(width, c2 - c1 + 1), 2.0)
            lines, frac = [1.0] * self.rows, [0.0] * self.rows
            for r1, r2, parts in self.spans[(c1, c2)]:
                n = r2 - r1 + 1
                need = sum(max(1, math.ceil(p / u)) for p in parts) / n
                soft = sum(p / u for p in parts) / n
                for rr in range(r1, r2 + 1):
                    lines[rr] = max(lines[rr], need)
                    frac[rr] = max(frac[rr], soft)
            got = self.cache[key] = (lines, frac)
        return got

    def fix(self, widths: list[int], moving: set[int]) -> None:
        """Take the row heights of the spans that hold none of the ``moving`` columns as settled."""
        edge = list(accumulate(widths, initial=0))
        settled = [s for s in self.spans if not any(s[0] <= c <= s[1] for c in moving)]
        self.live = [s for s in self.spans if s not in settled]
        vectors = [self._vectors(c1, c2, edge[c2 + 1] - edge[c1]) for c1, c2 in settled]
        ones, zeros = [1.0] * self.rows, [0.0] * self.rows
        self.base = (
            list(map(max, zip(ones, *(v[0] for v in vectors), strict=True))),
            list(map(max, zip(zeros, *(v[1] for v in vectors), strict=True))),
        )

    def cost(self, widths: list[int]) -> tuple[int, float]:
        """Return the table's lines (each row's tallest cell, whole lines) and their fractional sum."""
        edge = list(accumulate(widths, initial=0))
        vectors = [self._vectors(c1, c2, edge[c2 + 1] - edge[c1]) for c1, c2 in self.live]
        lines = sum(map(math.ceil, map(max, zip(self.base[0], *(v[0] for v in vectors), strict=True))))
        frac = sum(map(max, zip(self.base[1], *(v[1] for v in vectors), strict=True)))
        return lines, frac
