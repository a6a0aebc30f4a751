"""benchmarks/render_check.py's counters on rendered rows (no LibreOffice needed): a page continuing a
table with one row under its repeated header is counted; alike rows of another table are not a header."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import render_check  # noqa: E402

HEAD = "绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值"
SHEET = ["一级指标 二级指标 三级指标 分值", "项目决策 决策程序 程序规范 20", "预算执行 执行进度 4"]


def test_a_lone_total_under_the_repeated_header_is_a_single_row_page() -> None:
    pages = [
        [],  # the report's text
        ["项目名称 甲", HEAD, "产出指标 数量指标 培训 ≥5次 6次", "满意度指标 满意度 ≥95% 98%"],
        [HEAD, "总分 100 95"],  # the 合计 alone on a continuation page
        ["项目名称 乙", HEAD, "产出指标 数量指标 培训 ≥5次 6次"],
        [HEAD, "产出指标 质量指标 合格率 100% 100%", "总分 100 100"],  # two rows: fine
        [HEAD],  # the header alone: nothing of the page's own
    ]
    assert render_check.single_row_pages(pages) == [3, 6]


def test_rows_alike_in_another_table_are_not_taken_for_a_header() -> None:
    """Two projects' 评分表 list the same items: the second sheet's first page is not a continuation."""
    pages = [
        [*SHEET],
        ["项目名称 乙", HEAD, "产出指标 数量指标 培训 ≥5次 6次"],
        [*SHEET],
        [SHEET[0], "合计 100 94"],
    ]
    assert render_check.single_row_pages(pages) == [4]


def test_characters_a_line_counts_the_text_pages_only() -> None:
    line = "贯彻新时代党的建设总要求和新时代党的组织路线，落实区委相关决策部署。"[:28]
    pages = [[line, line, "短行。"], ["表格里的一行很长很长很长很长很长很长很长很长很长很长"]]
    assert render_check.chars_per_line(pages, [[], ["row"]]) == 28


def test_a_short_bracket_tail_is_counted_an_even_share_of_a_long_group_is_not() -> None:
    pages = [
        ["目标管理（22分", "）", "优（党员干部向心力提", "升）", "年初预算数", "（万元）"],
        ["部门整体支出", "（中共平凉", "市委组织部）", "（中国共产", "党益阳市委员", "会组织部）"],
        ["部门整体支出（中共广元市昭化区委", "组织部）"],
    ]
    assert render_check.lone_brackets(pages) == ["）", "升）", "组织部）"]


def test_a_last_line_of_one_character_and_its_full_stop_is_a_stub_line() -> None:
    pages = [["部门预算项目总数×", "8。", "完成2人科技拔尖人才岗位激励资金的发", "放。", "0%", "情况。"]]
    assert render_check.stub_lines(pages) == ["8。", "放。"]
