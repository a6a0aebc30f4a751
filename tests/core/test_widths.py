"""Column widths: a short header is printed on one line, and a form a little too long for its page
gives its wrapping text the width that short-label columns do not use (the total stays the same)."""

from __future__ import annotations

from core.export import pages
from core.export.grid import HEAD, TEXT, Grid
from core.export.widths import balance, fit_headers, floors


def _units(w: int, n: int) -> float:
    return w + 2 * n - 1  # as the Excel sheet's 五号 cells


def test_a_short_header_gets_the_width_of_one_line_from_the_widest_column() -> None:
    g = Grid("汇总表", "", "汇总表", [6, 20, 6])
    for c, title in enumerate(("序号", "项目名称", "自评得分")):
        g.put(0, c, title, HEAD)
    g.put(1, 1, "干部暖心关爱帮扶基金经费", TEXT)
    assert fit_headers(g, lambda w, n: w - 1)  # "自评得分" (8 units) needs 9
    assert g.widths == [6, 17, 9] and sum(g.widths) == 32
    assert not fit_headers(g, lambda w, n: w - 1)  # fits now: nothing moves


def test_short_labels_give_their_room_to_the_wrapping_text() -> None:
    g = Grid("评分表", "", "评分表", [10, 16, 24])
    long = "部门年初绩效目标和年度执行中增加预算绩效目标编制质量的会审结果"  # 31 characters: 3 lines, then 2
    for r in range(6):
        g.put(r, 0, "项目决策", TEXT)
        g.put(r, 1, "程序规范", TEXT)
        g.put(r, 2, long, TEXT)
    cells = pages.measures(g)
    before = sum(_lines(g, cells))
    assert balance(g, _units, cells)
    assert sum(g.widths) == 50 and sum(_lines(g, cells)) < before
    assert g.widths[0] >= floors(g, _units)[0] and _units(g.widths[1], 1) >= 8  # "程序规范" on one line
    assert g.widths[2] > 24


def _lines(g: Grid, cells: dict[tuple[int, int], pages.Measure]) -> list[int]:
    import math

    rows = [1] * g.rows
    for r1, _r2, c1, c2, parts in cells.values():
        u = _units(g.span_width(c1, c2 - c1 + 1), c2 - c1 + 1)
        rows[r1] = max(rows[r1], sum(max(1, math.ceil(p / u)) for p in parts))
    return rows
