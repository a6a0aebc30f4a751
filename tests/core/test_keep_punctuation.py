"""No printed line of an Excel cell starts with closing punctuation ("结余情况" / "。") or ends with an
opening mark, where the renderer has no East Asian line-breaking rules (LibreOffice Calc): the export
ends such a line one character earlier, prints the same words, and the importer reads them back."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from core.export.lines import NO_END, NO_START, _plain_starts, keep_lines, plain_widths, text_units
from core.export.xlsx import write_xlsx
from core.interchange import read_json_file
from core.model import SOFT_BREAK
from core.templates import get_template

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CASES = [  # seed 001 and 003 cells that printed a line starting with "。" "，" "、" "”", and their width
    ("部门预算项目年终预算结余情况。", 28),
    ("部门根据绩效管理结果整改问题、完善政策、改进管理的情况。", 27),
    ("1.绩效目标是否符合有关中长期工作规划、部门“三定”方案确定的职责；", 47),
    (  # "%" is wider than a digit: the line ends before "（", not after it
        "部门整体支出自评得分与评价组抽查得分差异在10%以内的，不扣分；在10%-15%之间的，扣2分，"
        "在10%-20%之间的，扣4分，在20%以上的，扣6分。（此为财政重点绩效评价计分标准）。",
        46.0,
    ),
    (
        "预算调整247.69万元，实际预算921.26万元，部分项目因资金指标下达较晚，未能完成，部分项目属于据实补助申请，所以未能完成。",
        33.83,
    ),
    (  # 001 附表6: ending the widest renderer's second line before "育" left "教" alone at the others
        "全面贯彻新时代中国特色社会主义思想，着力培养忠诚干净担当的高素质干部，坚持德才兼备、以德为先、"
        "任人唯贤。贯彻落实中央省市区委关于老干部服务的方针、政策，做好教育、引导和服务工作。",
        78.0,
    ),
    (  # 003: Calc filled 88 units of a line of 85 and printed "。" alone
        "目标 9：了解掌握市管领导班子和领导干部运行情况，对全市市管领导班子和领导干部进行年度考核。",
        85.0,
    ),
    (  # 004 附件2 (its columns narrowed to the page): Calc filled 88 units of a line of 84
        "以学习宣传贯彻党的二十大精神为主线, 全面深化党的创新理论武装。以完善科学严密的工作体系为依托, "
        "建设高素质专业化队伍。以增强政治功能和组织功能为重点, 全面强化党的组织体系建设。以围绕产业链建强"
        "人才链为突破, 全面激活人才发展动能活力。",
        84.0,
    ),
]


def _bad(text: str, width: float) -> list[str]:
    out = []
    for part in text.split("\n"):
        starts = _plain_starts(part, width)
        for s in starts[1:]:
            if part[s] in NO_START or part[s - 1] in NO_END:
                out.append(part[s:])
    return out


@pytest.mark.parametrize(("text", "usable"), CASES)
def test_no_line_starts_with_closing_punctuation(text: str, usable: float) -> None:
    assert any(_bad(text, w) for w in plain_widths(usable))  # the case as the seed printed it
    kept = keep_lines(text, usable, punctuation=True)
    assert kept.replace(SOFT_BREAK, "") == text  # the same words, only where lines end moves
    for w in plain_widths(usable):
        assert not _bad(kept, w), (kept, w)


def test_text_that_fits_is_left_alone_and_word_keeps_its_own_rules() -> None:
    text = "部门预算项目年终预算结余情况。"
    assert keep_lines(text, 30, punctuation=True) == text  # fits on one line
    assert keep_lines(text, 40) == text
    # Word and Writer keep "。" off a line's start themselves, by moving "况" down with it: only that
    # last line of one character is avoided
    assert keep_lines(text, 28) == "部门预算项目年终预算结余" + SOFT_BREAK + "情况。"
    assert (
        keep_lines("部门预算项目年终预算结余情况，预算执行", 28) == "部门预算项目年终预算结余情况，预算执行"
    )


def test_the_excel_export_ends_the_line_before_the_full_stop(tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "001.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    ws = openpyxl.load_workbook(path)["干部工作经费"]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    lines = [  # Calc filled its second line up to "教育" and printed "、引导和服务工作。" (the seed's goal)
        "全面贯彻新时代中国特色社会主义思想，着力培养忠诚干净担当的高素质干部，坚持德才",
        "兼备、以德为先、任人唯贤。贯彻落实中央省市区委关于老干部服务的方针、政策，做好",
        "教育、引导和服务工作。",
    ]
    assert "\n".join(lines) in values  # plain line breaks, listed in its properties (test_chosen_breaks)


def test_no_excel_cell_holds_a_zero_width_space(tmp_path: Path) -> None:
    """U+200B marked a break the export chose: written into the cells, Calc printed it on a line of
    its own after a full line (001's 扣分项 rule). The cells now get plain line breaks, and many."""
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "001.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    book = openpyxl.load_workbook(path)
    values = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in values if "\u200b" in v]
    assert sum(p.value.count(":") for p in book.custom_doc_props.props) > 40  # 20 cells and more


def test_a_label_does_not_end_in_one_character() -> None:
    """Seed 003's 部门（单位）名称 printed "部门" / "（单位）名" / "称": the last line takes two."""
    kept = keep_lines("部门（单位）名称", 11.0, punctuation=True)
    assert kept.split(SOFT_BREAK) == ["部门", "（单位）", "名称"]


def test_a_paragraph_does_not_end_in_one_character_and_its_full_stop() -> None:
    """001's 评分表 rule "…部门预算项目总数×8。" printed "8。" alone on its last line where a renderer
    fills its lines a little wider: at every width a renderer may fill, the last line holds more."""
    text = "指标得分=部门预算项目预算结余率小于10%的项目数/部门预算项目总数×8。"
    for usable in (60.0, 62.0, 63.0, 64.0):
        kept = keep_lines(text, usable, punctuation=True)
        assert kept.replace(SOFT_BREAK, "") == text
        for width in plain_widths(usable):
            for part in kept.split("\n"):
                starts = _plain_starts(part, width)
                last = part[starts[-1] :].replace("\u200b", "").rstrip(NO_START)
                assert len(last) > 1 or len(starts) == 1, (usable, width, kept)


def test_a_word_cell_does_not_end_in_one_character_and_its_full_stop(tmp_path: Path) -> None:
    """Word, WPS and Writer move the character before a full stop down with it: 001's 偏差原因 cells
    printed "因资金下达在12月末，所以未实" / "施。". The Word export ends the first line earlier, read back
    from the .docx: the cell's lines are "…所以未" and "实施。"."""
    import docx

    from core.export.docx import write_docx

    report = read_json_file(Path(__file__).resolve().parents[1] / "fixtures" / "seed001_guangyuan.json")
    path = tmp_path / "001.docx"
    write_docx(report, path, template=get_template(report.template))
    cells = [
        [p.text.rstrip("\u200b") for p in c.paragraphs]
        for t in docx.Document(str(path)).tables
        for row in t.rows
        for c in row.cells
        if c.text.replace("\n", "") == "因资金下达在12月末，所以未实施。"
    ]
    assert cells and all(lines == ["因资金下达在12月末，所以未", "实施。"] for lines in cells), cells


def test_keep_last_leaves_two_characters_on_a_paragraphs_last_line() -> None:
    from core.export.lines import keep_last

    text = "预算调整247.69万元，实际预算921.26万元，部分项目因资金指标下达较晚，未能完成，所以未能完成。"
    for usable in (20.0, 24.0, 28.0, 31.0, 40.0):
        kept = keep_last(text, usable)
        assert kept.replace(SOFT_BREAK, "") == text
        last = kept.split("\n")[-1]
        assert len(last.rstrip(NO_START)) >= 2, (usable, kept)


def _workbook(tmp_path: Path, seed: str) -> openpyxl.Workbook:
    report = read_json_file(FIXTURES / f"{seed}.json")
    path = tmp_path / f"{seed}.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    return openpyxl.load_workbook(path)


_IN_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%/\-]*\n[0-9A-Za-z.%/\-]")


@pytest.mark.parametrize("seed", ["seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"])
def test_no_excel_cell_is_broken_inside_a_number(tmp_path: Path, seed: str) -> None:
    """001's 评分表 rule "…分别达到40%、67.5%、82.5%。" printed "67." at a line's end and "5%" on the
    next (rendered through LibreOffice): a break the export chose fell between "." and "5", which
    looked at alone are no number. A number or word is never broken by the export."""
    book = _workbook(tmp_path, seed)
    broken = [
        (ws.title, c.coordinate, c.value[max(0, m.start() - 8) : m.end() + 4])
        for ws in book
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
        for m in _IN_NUMBER.finditer(c.value)
    ]
    assert not broken


def test_keep_lines_never_breaks_inside_a_number() -> None:
    text = (
        "1.部门预算项目预算执行进度在6、9、11月应达到序时进度的80%、90%、90%，"
        "即实际支出进度分别达到40%、67.5%、82.5%。"
    )
    for usable in range(30, 100):
        kept = keep_lines(text, usable, punctuation=True)
        assert kept.replace(SOFT_BREAK, "") == text
        assert not _IN_NUMBER.search(kept.replace(SOFT_BREAK, "\n")), (usable, kept)


@pytest.mark.parametrize(
    ("seed", "sheet", "header"),
    [
        ("seed004_yiyang", "附件3-1 业务工作经费", "偏差原因分析及改进措施"),
        ("seed001_guangyuan", "附件2 评分表", "财政复核得分"),
    ],
)
def test_a_header_without_punctuation_does_not_end_in_one_character(
    tmp_path: Path, seed: str, sheet: str, header: str
) -> None:
    """Rendered through LibreOffice, 004's 偏差原因分析及改进措施 printed "…改进措" / "施" and 001's
    评分表 "财政复核得" / "分": a header too wide for its column, with no punctuation, was left to the
    renderer, which fills the first line and leaves one character for the last."""
    ws = _workbook(tmp_path, seed)[sheet]
    cells = [
        c
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.replace("\n", "") == header
    ]
    assert cells
    for cell in cells:
        width = next(d.width for d in ws.column_dimensions.values() if d.min <= cell.column <= d.max)
        assert text_units(header) > width + 2  # wider than its column: it is printed on two lines
        lines = cell.value.split("\n")
        assert len(lines) == 2 and min(len(line) for line in lines) >= 2, cell.value


def test_a_word_label_with_no_full_stop_does_not_end_in_one_character(tmp_path: Path) -> None:
    """Rendered through LibreOffice, 004's Word 部门整体 form printed its labels "年度总体目" / "标" and
    "年度预算申" / "请" / "（万元）": keep_last looked only at text with a closing mark in it, and not at
    all at a line the export had ended itself (before "（万元）"). Read back from the .docx: each label's
    lines (one paragraph a line the export chose) hold two characters or more."""
    import docx

    from core.export.docx import write_docx

    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    path = tmp_path / "004.docx"
    write_docx(report, path, template=get_template(report.template))
    cells = [  # in the document's order: the 部门整体 form (附件2) first
        [p.text.rstrip("\u200b") for p in c.paragraphs]
        for t in docx.Document(str(path)).tables
        for row in t.rows
        for c in row.cells
    ]

    def first(label: str) -> list[str]:
        return next(lines for lines in cells if "".join(lines) == label)

    assert first("年度总体目标") == ["年度总体", "目标"]  # 12 units in a cell of 10: wrapped
    assert first("年度预算申请（万元）") == ["年度预算", "申请", "（万元）"]
    assert first("全年执行数") == ["全年执行数"]  # 10 units in 10: whole, as Word and Writer print it
    assert first("投资概算控制率") == ["投资概算控制率"]  # wraps "投资概算" / "控制率" itself: left alone


def test_a_narrow_label_does_not_end_in_one_character_in_excel(tmp_path: Path) -> None:
    """ "年度总体目标" (12 units in a cell measured 11) printed "年度总体目" / "标" in LibreOffice Calc —
    which fills a short line less than a unit wider than its measure, a long one more (001's
    "按照年初预算严控各项费用支出", 28 units on 27, printed whole): where a label is wider than its
    measure, the export breaks it, never leaving one character alone."""
    book = _workbook(tmp_path, "seed001_guangyuan")
    texts = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    labels = [t for t in texts if t.replace("\n", "") == "年度总体目标"]
    assert labels and all(min(len(line) for line in t.split("\n")) >= 2 for t in labels), labels
    assert "年度总体\n目标" in labels


@pytest.mark.parametrize(
    ("seed", "text"),
    [("seed004_yiyang", "各项工作经费及时足额拨付率"), ("seed001_guangyuan", "中共广元市昭化区委组织部")],
)
def test_a_users_text_with_no_mark_gets_no_break_inside_its_words(
    tmp_path: Path, seed: str, text: str
) -> None:
    """Reviewer's R5: 96a86a8 broke a 三级指标 "…足额拨" / "付率" and a 部门 "…区委组" / "织部" in the
    Excel cells (a real line break, copied with the name into the 一体化 system or a Word report). A
    user's text with no mark is left to the renderer; only a form's own labels are kept whole."""
    book = _workbook(tmp_path, seed)
    found = [
        c.value
        for ws in book
        for row in ws.iter_rows()
        for c in row
        if c.value and str(c.value).replace("\n", "") == text
    ]
    assert found and all(value == text for value in found)
