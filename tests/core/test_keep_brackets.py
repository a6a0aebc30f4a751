"""A bracket group never ends alone on a printed line ("目标管理（22分" / "）"): the export chooses where
lines end, prints the same words, and the importer reads the text back as it was typed."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pytest

from core.export.docx import write_docx
from core.export.lines import _break_points, keep_groups
from core.export.lines import units_of as _units
from core.export.xlsx import write_xlsx
from core.interchange import read_json_file
from core.model import SOFT_BREAK
from core.templates import get_template

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

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


def test_a_long_group_in_a_narrow_column_leaves_no_stub_before_its_tail() -> None:
    """004's Word 汇总表 printed "部门整体支出" / "（中国共产党益" / "阳市委" / "员会组织部）": the break
    chosen before the tail left a three-character line before it. The lines before the tail now share
    their text, at every width a renderer may fill."""
    text = "部门整体支出（中国共产党益阳市委员会组织部）"
    for width in (14.2, 15.2):
        kept = keep_groups(text, width)
        assert kept.replace(SOFT_BREAK, "") == text
        for w in (int(width) - 1, int(width), int(width) + 1):
            lines = [ln.rstrip("\u200b") for ln in _lines(kept, w)]
            assert all(len(ln) * 2 >= w / 2 for ln in lines[:-1]), (kept, w, lines)


def test_the_word_summary_shares_a_long_group_evenly_over_its_lines(tmp_path: Path) -> None:
    """004's 汇总表 项目名称 column holds seven characters a line: its long bracket group starts a line
    and shares its text evenly by the lines it needs (it printed "（中国共产" / "党益阳市" /
    "委员会组织部）"), read back from the .docx."""
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    path = tmp_path / "004.docx"
    write_docx(report, path, template=get_template(report.template))
    document = docx.Document(str(path))
    summary = [
        c
        for t in document.tables
        for row in t.rows
        for c in row.cells
        if re.sub(r"[\u200b\n]", "", c.text) == "部门整体支出（中国共产党益阳市委员会组织部）"
    ]
    assert summary
    lines = [p.text.rstrip("\u200b") for p in summary[0].paragraphs]
    assert "".join(lines) == "部门整体支出（中国共产党益阳市委员会组织部）"
    group = lines[lines.index("部门整体支出") + 1 :]
    assert group[0].startswith("（") and group[-1].endswith("）"), lines
    assert max(map(len, group)) - min(map(len, group)) <= 1, lines


def test_the_excel_summary_shares_a_long_group_evenly_over_its_lines(tmp_path: Path) -> None:
    """003's 汇总表 printed "部门整体支出" / "（中共平" / "凉市委组织部）": the group now takes two even
    lines, the later one the longer, read back from the .xlsx."""
    report = read_json_file(FIXTURES / "seed003_pingliang.json")
    path = tmp_path / "003.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    ws = openpyxl.load_workbook(path)["自评汇总表"]
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    name = next(v for v in cells if v.replace("\n", "") == "部门整体支出（中共平凉市委组织部）")
    assert name.split("\n") == ["部门整体支出", "（中共平凉", "市委组织部）"]


def test_a_group_moved_to_its_own_line_leaves_no_empty_line() -> None:
    """A group moved whole to a new line ("…“两书一函”" / "（约谈通知书…）") was given a second break
    before it (the even split of the line before found the group's own bracket): an empty line."""
    text = (
        "年度内被各层级发现预算资金方面重大违规违纪问题或被区财政发送“两书一函”"
        "（约谈通知书、整改通知书和提醒敦促函）；是否存在未落实党政机关过紧日子相关要求等情况。"
    )
    for width in (53.67, 40.0, 30.0, 26.0):
        kept = keep_groups(text, width)
        assert kept.replace(SOFT_BREAK, "") == text
        assert SOFT_BREAK + SOFT_BREAK not in kept and "\n\n" not in kept, (width, kept)
