"""A bracket group never ends alone on a printed line ("目标管理（22分" / "）"): the export chooses where
lines end, prints the same words, and the importer reads the text back as it was typed."""

from __future__ import annotations

import re

import pytest

from core.export.lines import _break_points, keep_groups
from core.export.lines import units_of as _units
from core.model import SOFT_BREAK

CASES = [  # seed 001's cells that printed a lone tail, and the line width (units) of their column
    ("目标管理（22分）", 13),
    ("项目资金（万元）", 11),
    ("年初预算数（万元）", 11),
    ("预算结余率（低效无效率）", 14.8),
    ("优（党员干部向心力提升）", 15),
    ("优（贯彻落实完成率100%）", 15),
    ("优（工作干劲100%）", 19.3),
    ("好（建立产业发展团队1个）", 15),
    ("部门整体支出（中共广元市昭化区委组织部）", 29),
    ("年度目标完成率（年度目标任务数/计划完成数）", 27),
]


def _lines(text: str, width: float) -> list[str]:
    """Fill lines ``width`` units wide as a renderer does (no line starts with a closing bracket)."""
    out = []
    for part in text.split("\n"):
        u, start, prev = _units(part), 0, 0
        for p in _break_points(part)[1:]:
            if u[p] - u[start] > width and prev > start:
                out.append(part[start:prev])
                start = prev
            prev = p
        out.append(part[start:])
    return out


@pytest.mark.parametrize(("text", "width"), CASES)
def test_no_line_is_the_short_tail_of_a_bracket(text: str, width: float) -> None:
    kept = keep_groups(text, width)
    assert kept.replace(SOFT_BREAK, "") == text  # the same words, only where lines end moves
    for w in (int(width), int(width) + 1):  # the column's measure and a renderer a unit wider
        lines = _lines(kept, w)
        tails = [ln for ln in lines if re.fullmatch(r"[^（(]{0,5}[）)].*", ln.rstrip("\u200b"))]
        assert not tails, (kept, w, lines)


def test_text_that_fits_or_has_no_bracket_is_left_alone() -> None:
    assert keep_groups("目标管理（22分）", 20) == "目标管理（22分）"
    assert keep_groups("根据相关情形补助困难党员和离退休干部", 10) == "根据相关情形补助困难党员和离退休干部"
    assert keep_groups("项目资金\n（万元）", 11) == "项目资金\n（万元）"  # already broken before it
