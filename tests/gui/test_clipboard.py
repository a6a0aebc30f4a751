"""Clipboard text as Excel and WPS write it, and where a paste lands."""

from __future__ import annotations

from gui.grids.clipboard import parse_tsv, plan_paste, to_tsv

# What Excel (and WPS) put on the clipboard for a 3×4 block with a two-line cell.
EXCEL_3x4 = (
    '产出指标\t数量指标\t"培训\n班次数"\t≥4\r\n'
    "产出指标\t质量指标\t参训率\t≥95%\r\n"
    "效益指标\t社会效益指标\t覆盖面\t稳步提升\r\n"
)


def test_excel_block_with_quoted_multiline_cell_and_trailing_newline() -> None:
    block = parse_tsv(EXCEL_3x4)
    assert block == [
        ["产出指标", "数量指标", "培训\n班次数", "≥4"],
        ["产出指标", "质量指标", "参训率", "≥95%"],
        ["效益指标", "社会效益指标", "覆盖面", "稳步提升"],
    ]


def test_doubled_quotes_empty_cells_and_bare_quotes() -> None:
    assert parse_tsv('"说""优""即可"\t\tx\n') == [['说"优"即可', "", "x"]]
    assert parse_tsv('"优"良\tb') == [['"优"良', "b"]]  # not a quoted cell: kept as typed
    assert parse_tsv("a\n\nb\n") == [["a"], [""], ["b"]]
    assert parse_tsv("a\tb\nc\n\n") == [["a", "b"], ["c", ""]]


def test_one_value_and_old_mac_line_ends() -> None:
    assert parse_tsv("12.5\r\n") == [["12.5"]]
    assert parse_tsv("1\r2\r") == [["1"], ["2"]]


def test_copy_round_trips_through_parse() -> None:
    block = [["甲", "两行\n文字", 'say "hi"'], ["", "tab\there", "末"]]
    text = to_tsv(block)
    assert text.endswith("\r\n") and text.count("\r\n") == 2 + 0
    assert parse_tsv(text) == block


def test_one_value_fills_the_selection() -> None:
    plan = plan_paste(
        [["5"]], top=1, left=2, sel_rows=3, sel_cols=2, row_count=10, col_count=8, can_grow=True
    )
    assert sorted(plan.cells) == [(r, c, "5") for r in (1, 2, 3) for c in (2, 3)]
    assert plan.add_rows == 0


def test_block_grows_the_table_only_where_rows_can_be_added() -> None:
    block = parse_tsv(EXCEL_3x4)
    grow = plan_paste(block, top=8, left=6, sel_rows=1, sel_cols=1, row_count=10, col_count=9, can_grow=True)
    assert grow.add_rows == 1
    assert (10, 6, "效益指标") in grow.cells
    assert all(c < 9 for _, c, _ in grow.cells)  # the fourth column falls off the table
    fixed = plan_paste(
        block, top=8, left=0, sel_rows=1, sel_cols=1, row_count=10, col_count=9, can_grow=False
    )
    assert fixed.add_rows == 0 and max(r for r, _, _ in fixed.cells) == 9
