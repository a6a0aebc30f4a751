"""The grid both exports render: cells, merges, column widths, titles and sign-off lines."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from core.export.lines import NO_END, NO_START, keep_lines, units_of
from core.export.lines import text_units as text_units  # re-exported: the writers measure with it
from core.model import Signoff
from core.numbers import fmt, fmt_money, fmt_percent
from core.schema import REP

# Characters an XML file (a workbook, a Word document) cannot hold, and DEL, which nobody sees: left out.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
TEXT, LABEL, HEAD, MONEY, RATE, SCORE = "text", "label", "head", "money", "rate", "score"

Value = str | Decimal | None


@dataclass
class Cell:
    value: Value
    kind: str = TEXT
    align: str = "center"


@dataclass
class Grid:
    name: str  # sheet name before cleaning, e.g. "附件3-1 业务工作经费"
    attachment: str
    title: str
    widths: list[int]
    subtitle: str = ""
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive
    rows: int = 0
    repeat: tuple[int, int] | None = None  # table rows repeated on every printed page
    landscape: bool = True
    signoff: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    uid: int | None = None
    rate_places: int = 2
    rate_whole: int | None = None  # places of a whole-percent rate (template's rate_whole_places)
    typed: bool = False  # amounts with the places they were typed with, at most 2 (print.amount_places)
    title_fields: tuple[str, ...] = ()  # the values filled into the title: it breaks best around them
    listed: str | None = None  # how the report's attachment list names it: None its title, "" not listed
    footer: str = ""  # the page footer: the template's print.page_footer ({page}, {pages}); "" none

    def put(
        self,
        row: int,
        col: int,
        value: Value,
        kind: str = TEXT,
        *,
        rows: int = 1,
        cols: int = 1,
        align: str = "center",
    ) -> None:
        """Write a cell; a span of several rows or columns becomes one merged range."""
        if isinstance(value, str):
            value = NOT_XML.sub("", value)
        self.cells[(row, col)] = Cell(value, kind, align)
        if rows > 1 or cols > 1:
            self.merges.append((row, col, row + rows - 1, col + cols - 1))
        self.rows = max(self.rows, row + rows)

    @property
    def ncols(self) -> int:
        return len(self.widths)

    def text(self, row: int, col: int) -> str:
        """Return a cell as printed (money with 2 places, rates as percentages)."""
        cell = self.cells.get((row, col))
        return "" if cell is None else printed(cell, self.rate_places, self.rate_whole, self.typed)

    def span_width(self, col: int, cols: int) -> int:
        return sum(self.widths[col : col + cols])

    def split_at(self, cuts: set[int]) -> None:
        """Split columns at ``cuts`` (width units from the left edge); every cell keeps its printed span."""
        old = list(accumulate(self.widths, initial=0))
        bounds = sorted(set(old) | {c for c in cuts if 0 < c < old[-1]})
        index = {b: i for i, b in enumerate(bounds)}
        start = [index[b] for b in old]
        spans = {(m[0], m[1]): (m[2], m[3]) for m in self.merges}
        cells: dict[tuple[int, int], Cell] = {}
        merges = []
        for (r, c), cell in self.cells.items():
            r2, c2 = spans.get((r, c), (r, c))
            first, last = start[c], start[c2 + 1] - 1
            cells[(r, first)] = cell
            if r2 > r or last > first:
                merges.append((r, first, r2, last))
        self.cells, self.merges = cells, merges
        self.widths = [b - a for a, b in zip(bounds, bounds[1:], strict=False)]

    def tail_start(self, rows: int = 2, longest: int = 4) -> int:
        """Return the first of the last ``rows`` table rows, moved up to the top of a short merged run."""
        start = max(0, self.rows - rows)
        for r1, _c1, r2, _c2 in self.merges:
            if r1 < start <= r2 and r2 - r1 < longest:
                start = min(start, r1)
        return start

    def keep_brackets(
        self, usable: Callable[[int, int], float], punctuation: bool = False
    ) -> list[tuple[int, int]]:
        """Keep every cell's bracket groups whole on its printed lines (see ``lines.keep_groups``) and,
        with ``punctuation``, closing marks off the start of its lines (``lines.keep_punctuation``);
        ``usable(col, cols)`` is how many width units (a CJK character 2) a line of a cell holds.
        Return the cells given line breaks."""
        spans = {(m[0], m[1]): m[3] - m[1] + 1 for m in self.merges}
        changed = []
        for (r, c), cell in self.cells.items():
            v = cell.value
            if isinstance(v, str) and len(v) > 1:
                label = cell.kind in (HEAD, LABEL)  # the template's words, not a user's text
                kept = keep_lines(v, usable(c, spans.get((r, c), 1)), punctuation, label)
                if kept != v:
                    cell.value = kept
                    changed.append((r, c))
        return changed

    def split_tall_rows(self, max_lines: int, pad: int = 0) -> None:
        """Continue a text that needs more than ``max_lines`` lines in its column on the rows below
        (Excel cuts a row at 409 pt, and its text in print): the row becomes as many rows as the text
        needs, the text is cut at sentence ends into one piece a row, and the row's other cells merge
        down over the new rows. ``pad`` is added to a column's width as the sheet does."""
        spans = {(m[0], m[1]): m for m in self.merges}
        for r in range(self.rows - 1, -1, -1):
            tall = {}
            for c in range(self.ncols):
                cell, m = self.cells.get((r, c)), spans.get((r, c), (r, c, r, c))
                if cell is None or not isinstance(cell.value, str) or m[2] > m[0]:
                    continue
                width = self.span_width(c, m[3] - m[1] + 1) + pad
                text = cell.value
                if 2 * len(text) <= max(width - 1, 2) * (max_lines - text.count("\n") - 1):
                    continue  # even all CJK, its lines fit: not measured
                if line_count(text, width) > max_lines:
                    tall[c] = pieces(cell.value, width, max_lines)
            if tall:
                self._insert_rows(r, max(len(p) for p in tall.values()) - 1, tall, spans)
                spans = {(m[0], m[1]): m for m in self.merges}

    def _insert_rows(
        self,
        r: int,
        extra: int,
        tall: dict[int, list[str]],
        spans: dict[tuple[int, int], tuple[int, int, int, int]],
    ) -> None:
        """Add ``extra`` rows under row r: the pieces of each tall cell go one a row, the rest merge down."""
        cells: dict[tuple[int, int], Cell] = {}
        for (rr, c), cell in self.cells.items():
            cells[(rr + extra if rr > r else rr, c)] = cell
        merges = []
        for m in self.merges:
            r1, c1, r2, c2 = m
            if r1 == r and c1 in tall:
                continue
            merges.append((r1 + extra if r1 > r else r1, c1, r2 + extra if r2 >= r else r2, c2))
        for c in range(self.ncols):
            if (r, c) in self.cells and (r, c) not in spans and c not in tall:
                merges.append((r, c, r + extra, c))  # a one-row cell of the split row spans all its rows
        for c, texts in tall.items():
            last = spans.get((r, c), (r, c, r, c))[3]
            cell = self.cells[(r, c)]
            for i in range(extra + 1):
                text = texts[i] if i < len(texts) else ""
                cells[(r + i, c)] = Cell(text, cell.kind, cell.align)
                if last > c:
                    merges.append((r + i, c, r + i, last))
        self.cells, self.merges = cells, merges
        self.rows += extra
        if self.repeat and self.repeat[0] > r:
            self.repeat = (self.repeat[0] + extra, self.repeat[1] + extra)

    def covered(self) -> dict[tuple[int, int], tuple[int, int, int, int]]:
        """Map every cell inside a merged range to that range."""
        out = {}
        for m in self.merges:
            for r in range(m[0], m[2] + 1):
                for c in range(m[1], m[3] + 1):
                    out[(r, c)] = m
        return out


def printed(cell: Cell, rate_places: int = 2, rate_whole: int | None = None, typed: bool = False) -> str:
    """Return a cell's text as the Word table and the reader of the sheet see it."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if cell.kind == MONEY:
        return fmt_money(v, money_places(v, typed))
    if cell.kind == RATE:
        return fmt_percent(v, rate_places, rate_whole)
    return fmt(v)


def money_places(value: Decimal, typed: bool) -> int:
    """Return the places an amount prints with: 2, or as typed (at most 2: 广元/益阳 print "84.8",
    "15", "0" and "41.70" as the accountant typed them) when the template says ``amount_places: "typed"``."""
    exponent = value.as_tuple().exponent
    if not typed or not isinstance(exponent, int):
        return 2
    return min(2, max(0, -exponent))


def line_count(text: str, width: float) -> int:
    """Return how many lines ``text`` needs in a column ``width`` units wide (wrapping)."""
    usable = max(width - 1, 2)
    return sum(max(1, math.ceil(text_units(part) / usable)) for part in text.split("\n"))


_UNIT_AFTER_NUMBER = "年度"  # a year keeps its 年 / 年度: "2023年度" never ends or starts a line alone


def break_title(title: str, units: int, fields: Sequence[str] = ()) -> str:
    """Return a title with line breaks where it reads well when it needs more than one line of ``units``.

    A title that fits, or that the good places cannot split into fitting lines, is returned as it is
    (the renderer wraps it). Good places are the edges of the filled-in fields (the department, the
    project, the year with its 年度) and around brackets; never inside them. The fewest
    lines win, then the most even ones (GB/T 9704: 词意完整，排列对称).
    """
    if "\n" in title or text_units(title) <= units:
        return title
    edges: set[int] = set()
    for value in fields:
        if not value:
            continue
        at = title.find(value)
        while at >= 0:
            end = at + len(value)
            if value.isdigit():
                while end < len(title) and title[end] in _UNIT_AFTER_NUMBER:
                    end += 1
            edges |= {at, end}
            at = title.find(value, end)
    edges |= {i for i, ch in enumerate(title) if ch in "（("} | {
        i + 1 for i, ch in enumerate(title) if ch in "）)"
    }
    depth, inside = 0, set()
    for i, ch in enumerate(title):
        depth += ch in "（(" and 1 or 0
        depth -= ch in "）)" and 1 or 0
        if depth > 0 and ch not in "（(":
            inside.add(i)
    good = [0, *sorted(i for i in edges - inside if 0 < i < len(title)), len(title)]
    lines = _title_lines(title, units, good, set(good))
    if lines is None:  # the good places cannot make fitting lines: any place a line may end, fewest
        legal = {i for i in range(1, len(title)) if title[i] not in NO_START and title[i - 1] not in NO_END}
        lines = _title_lines(title, units, sorted(set(good) | legal), set(good))
    return title if lines is None else "\n".join(lines)


def _title_lines(title: str, units: int, cuts: list[int], good: set[int]) -> list[str] | None:
    """Return the lines of ``title`` cut at some of ``cuts`` (first and last included) that fit
    ``units``: fewest cuts not in ``good``, then fewest lines, then the most even; None if none fit."""
    u = units_of(title)
    inf = (math.inf, math.inf, math.inf)
    best: list[tuple[float, float, float, int]] = [(0, 0, 0, -1)] + [(*inf, -1)] * (len(cuts) - 1)
    for j in range(1, len(cuts)):
        bad = cuts[j] not in good
        for i in range(j):
            width = u[cuts[j]] - u[cuts[i]]
            if width <= units and best[i][0] < math.inf:
                b = best[i]
                best[j] = min(best[j], (b[0] + bad, b[1] + 1, b[2] + (units - width) ** 2, i))
    if best[-1][0] == math.inf:
        return None
    lines, j = [], len(cuts) - 1
    while j > 0:
        i = best[j][3]
        lines.append(title[cuts[i] : cuts[j]])
        j = i
    return lines[::-1]


_SENTENCE_END = "。；;！!？?\n"


def pieces(text: str, width: int, max_lines: int) -> list[str]:
    """Cut a text into pieces of at most ``max_lines`` lines in a column ``width`` units wide, each
    ending at the last sentence end (。；！？ or a line break) that fits, else where the lines are full."""
    out: list[str] = []
    rest = text
    while rest and line_count(rest, width) > max_lines:
        lo, hi = 1, len(rest)  # the longest head that fits
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_count(rest[:mid], width) <= max_lines:
                lo = mid
            else:
                hi = mid - 1
        cut = max(rest.rfind(ch, 0, lo) for ch in _SENTENCE_END) + 1
        cut = cut if cut > lo // 2 else lo
        out.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:].lstrip("\n")
    if rest:
        out.append(rest)
    return out


SIGNOFF_FIELDS = (REP.preparer, REP.date, REP.phone, REP.head)  # in the order the templates list their labels


def signoff_items(signoff: Signoff, labels: Sequence[str]) -> list[tuple[str, str]]:
    """Return the template's sign-off labels (填表人 …) with their values, dates as 2024年5月16日."""
    values = [signoff.preparer, printed_date(signoff.date), signoff.phone, signoff.head]
    return list(zip(labels, values, strict=False))


def printed_date(text: str) -> str:
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", text or "")
    return f"{m[1]}年{int(m[2])}月{int(m[3])}日" if m else (text or "")


def signoff_line(items: list[tuple[str, str]]) -> str:
    return "        ".join(f"{k}：{v}" for k, v in items)


def fill_title(text: str, year: int, **more: str) -> str:
    """Fill {year}, {prev}, {next} and the other named fields of a template title.

    A title's placeholders are named after the columns whose values fill them ({year} the report's
    year, {department} its department, {name} a form's name), plus {prev} and {next} (year ∓ 1).
    """
    values = {REP.year: str(year), "prev": str(year - 1), "next": str(year + 1), **more}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], m[0]), text)


def runs(values: list[str], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (first, last) index pairs of runs of equal values."""
    end = len(values) if end is None else end
    out: list[tuple[int, int]] = []
    i = start
    while i < end:
        j = i
        while j + 1 < end and values[j + 1] == values[i] and values[i]:
            j += 1
        out.append((i, j))
        i = j + 1
    return out
