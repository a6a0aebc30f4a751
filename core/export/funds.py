"""Fund cells and the inline funds block: label–value pairs on one line, groups side by side.

The inline block is how 益阳 附件2 prints its funds (template key ``funds.layout: "inline"``):

    年度预算申请（万元） | 年初预算数 | 1301.13 | 全年预算数 | 2187.04 | … | 得分 | 10
                         | 按收入性质分：              | 按支出性质分：
                         | 其中：一般公共预算： | 2186.81 | 其中：基本支出： | 1348.22

The pairs need more columns than the indicator table has, so the grid's columns are split where the
pairs need a boundary (an existing boundary close enough is reused); every other cell keeps its span.
"""

from __future__ import annotations

from itertools import accumulate

from core.export.figures import Figures
from core.export.grid import LABEL, MONEY, RATE, SCORE, TEXT, Cell, Grid, Value, printed, text_units
from core.model import Form
from core.numbers import try_amount
from core.schema import FUND
from core.templates import FormSpec, FundRowSpec

SNAP = 3  # reuse an existing column boundary this close (width units) to where a pair wants one
MIN_VALUE = 7  # width units of the narrowest value slot


def fund_value(form: Form, spec: FormSpec, rs: FundRowSpec, key: str, fig: Figures) -> tuple[Value, str]:
    """Return one fund cell: an amount, or 分值 / 执行率 / 得分 on the rate row."""
    on_rate_row = rs.key == spec.rate_row
    blank = spec.printing.get("fund_blank") or None  # "—" where a row has no 分值 / 得分 (平凉)
    if key == FUND.weight:
        return (fig.weight, SCORE) if on_rate_row else (blank, TEXT)
    if key == FUND.score:
        return (fig.score, SCORE) if on_rate_row else (blank, TEXT)
    if key == FUND.rate:
        if on_rate_row:
            return fig.rate, RATE
        per_row = spec.printing.get("row_rates") or not any(c.key == FUND.score for c in spec.fund_columns)
        return (fig.row_rates.get(rs.key), RATE) if per_row else (None, TEXT)
    return money(form, rs.key, key, fig)


def money(form: Form, row_key: str, column: str, fig: Figures) -> tuple[Value, str]:
    """Return a fund amount as a Decimal (the sum of its parts when left blank), or the typed text."""
    row = form.fund(row_key)
    text = getattr(row, column, "") if row else ""
    value = try_amount(text)
    if value is not None:
        return value, MONEY
    if text.strip():
        return text, TEXT
    return fig.sums.get((row_key, column)), MONEY


def split_rows(spec: FormSpec) -> tuple[list[FundRowSpec], list[FundRowSpec]]:
    """Return the plain fund rows and the grouped ones (one amount each, printed under a group title)."""
    grouped = [r for r in spec.fund_rows if r.group and len(r.columns) == 1]
    return [r for r in spec.fund_rows if r not in grouped], grouped


def inline_height(spec: FormSpec) -> int:
    """Return how many grid rows the inline funds block takes."""
    plain, grouped = split_rows(spec)
    groups: dict[str, int] = {}
    for rs in grouped:
        groups[rs.group] = groups.get(rs.group, 0) + 1
    return len(plain) + (1 + max(groups.values()) if groups else 0)


def inline_funds(g: Grid, form: Form, spec: FormSpec, fig: Figures, top: int) -> None:
    """Write the inline funds block into rows top.. (reserved), splitting columns where pairs need it."""
    plain, grouped = split_rows(spec)
    lines = [
        [(col.title, *fund_value(form, spec, rs, col.key, fig)) for col in spec.fund_columns] for rs in plain
    ]
    needs = _slot_needs(lines, g.rate_places, g.rate_whole, g.typed)
    cuts = _cuts(g, needs)
    g.split_at(set(cuts))
    slots = _slot_columns(g, cuts)
    for i, line in enumerate(lines):
        for j, (title, value, kind) in enumerate(line):
            _put(g, top + i, slots, 2 * j, 1, title, LABEL)
            _put(g, top + i, slots, 2 * j + 1, 1, value, kind)
    if grouped:
        _groups(g, form, grouped, fig, top + len(lines), slots)
    g.put(top, 0, spec.fund_title, LABEL, rows=inline_height(spec))


def _slot_needs(
    lines: list[list[tuple[str, Value, str]]], places: int, whole: int | None, typed: bool
) -> list[int]:
    """Return the width each slot (label, value, label, value …) needs to print on one line."""
    needs: list[int] = []
    for j in range(len(lines[0]) if lines else 0):
        label = max(text_units(line[j][0]) for line in lines) + 2
        value = (
            max(text_units(printed(Cell(line[j][1], line[j][2]), places, whole, typed)) for line in lines) + 2
        )
        needs += [label, max(value, MIN_VALUE)]
    return needs


def _cuts(g: Grid, needs: list[int]) -> list[int]:
    """Return where the slots' boundaries go: scaled to the table width, snapped to existing ones."""
    left, right = g.widths[0], sum(g.widths)
    existing = list(accumulate(g.widths, initial=0))
    span, total = right - left, max(1, sum(needs))
    cuts, prev = [], left
    for k, ideal in enumerate(accumulate(needs[:-1])):
        nearest = (2 * ideal * span + total) // (2 * total)  # ideal × span / total, to the nearest unit
        want = min(left + nearest, right - (len(needs) - 1 - k))
        near = [b for b in existing if abs(b - want) <= SNAP and b - prev >= needs[k] - 1 and b < right]
        fits = min(prev + needs[k], right - (len(needs) - 1 - k))  # the slot's value never wraps
        cut = min(near, key=lambda b: abs(b - want)) if near else max(want, fits, prev + 1)
        cuts.append(cut)
        prev = cut
    return cuts


def _slot_columns(g: Grid, cuts: list[int]) -> list[int]:
    """Return the first grid column of every slot, then the end column (after the split)."""
    index = {b: i for i, b in enumerate(accumulate(g.widths, initial=0))}
    return [1, *(index[c] for c in cuts), g.ncols]


def _put(g: Grid, row: int, slots: list[int], first: int, count: int, value: Value, kind: str) -> None:
    c, end = slots[first], slots[first + count]
    align = "left" if kind == LABEL else "center"
    g.put(row, c, value, kind, cols=max(1, end - c), align=align)


def _groups(g: Grid, form: Form, rows: list[FundRowSpec], fig: Figures, top: int, slots: list[int]) -> None:
    """Write each group's title and its rows (label, amount) side by side, the last group widest."""
    groups: dict[str, list[FundRowSpec]] = {}
    for rs in rows:
        groups.setdefault(rs.group, []).append(rs)
    n, total = len(groups), len(slots) - 1
    per = 4 if 4 * (n - 1) + 2 < total else max(2, total // n)
    depth = max(len(m) for m in groups.values())
    for gi, (name, members) in enumerate(groups.items()):
        first = gi * per
        count = per if gi < n - 1 else total - first
        label = min(2, count - 1)
        _put(g, top, slots, first, count, f"{name}：", LABEL)
        for i in range(depth):
            if i >= len(members):
                _put(g, top + 1 + i, slots, first, count, "", TEXT)
                continue
            value, kind = money(form, members[i].key, members[i].columns[0], fig)
            _put(g, top + 1 + i, slots, first, label, f"{members[i].printed}：", LABEL)
            _put(g, top + 1 + i, slots, first + label, count - label, value, kind)
