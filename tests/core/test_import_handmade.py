"""Files as people make them by hand in Excel, WPS and Word, beyond test_import_hardening's: accounting
negatives, number formats that print words, Word's own list numbers in cells, … Each file is written
here (openpyxl, python-docx, or its XML edited) and read back as a person reads it; where the reading
cannot be sure the preview asks (请核对), where it cannot read the cell it says why."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from core.importers.api import build_report, preview_files
from core.templates import get_template
from tests.core.test_import_variants import (
    PROJECT,
    SEED,
    _indicator_table,
    funds_of,
    imported,
    indicators_of,
    one_sheet,
    part_text,
)


# ---- accounting negatives --------------------------------------------------------------------------
def test_an_amount_in_brackets_reads_as_the_negative_it_means_and_is_asked_about(
    seed_xlsx: Path, tmp_path: Path
) -> None:
    """会计专用 prints a negative in brackets; copied as text ("(0.03)", "（0.03）") it reads as -0.03 with
    a 请核对 at its cell (a refund can make an amount negative; the accountant confirms). A score in
    brackets cannot be negative: it is left out, saying why."""
    wb, ws = one_sheet(seed_xlsx)
    ws["E9"], ws["F9"] = "（0.03）", "(0.03)"
    ws["G13"] = "(10)"
    path = tmp_path / "brackets.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form)[3] == ("other", "", "-0.03", "-0.03")
    text = part_text(part)
    sheet = "附件3-1 业务工作经费!"
    assert f"请核对：{sheet}F9：“(0.03)”是会计写法的负数（括号表示负数），已按 -0.03 导入" in text
    assert f"{sheet}G13：“(10)”是括号中的数（会计写法表示负数，分值和得分不能为负），未导入" in text
    flags = {(f.cell_table, f.cell_row, f.cell_column) for f in form.review_flags}
    assert {("funds", 3, "annual"), ("funds", 3, "executed")} <= flags
    assert form.indicators[0].weight == ""


def test_a_negative_number_under_an_accounting_format_is_the_number_saved(
    seed_xlsx: Path, tmp_path: Path
) -> None:
    """A number saved as -0.03 and shown as (0.03) by its format is the number: read as -0.03, no question."""
    wb, ws = one_sheet(seed_xlsx)
    ws["E9"] = ws["F9"] = -0.03
    ws["E9"].number_format = "#,##0.00_);(#,##0.00)"
    ws["F9"].number_format = '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)'
    path = tmp_path / "format.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form)[3] == ("other", "", "-0.03", "-0.03")
    assert "请核对" not in part_text(part)


# ---- number formats that print more than the number ------------------------------------------------
def test_targets_whose_format_prints_a_sign_or_words_read_as_shown(seed_xlsx: Path, tmp_path: Path) -> None:
    """Targets typed as numbers into cells formatted to print ≥ or words ("≥"0%, "不低于"0"%",
    0%"以上") read as the sheet shows them (≥100%, 不低于95%, 95%以上), not as the bare number, which
    would lose the target's direction; an amount in 元 shown as 万元 by 0!.0000 reads as shown."""
    wb, ws = one_sheet(seed_xlsx)
    for ref, value, fmt in [
        ("E16", 1, '"≥"0%'),
        ("E17", 95, '"不低于"0"%"'),
        ("E24", 0.95, '0%"以上"'),
        ("D6", 1530300, "0!.0000"),
    ]:
        ws[ref] = value
        ws[ref].number_format = fmt
    path = tmp_path / "signs.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    targets = [i.target for i in form.indicators]
    assert (targets[3], targets[4], targets[11]) == ("≥100%", "不低于95%", "95%以上")
    assert funds_of(form)[0] == ("total", "153.03", "709.5", "709.5")
    assert "请核对" not in part_text(part)


def test_chinese_numerals_and_formats_not_followed_are_asked_about(seed_xlsx: Path, tmp_path: Path) -> None:
    """776 under [DBNum1]G/通用格式"人" shows 七百七十六人: read as 776人 and asked about at its cell; 3
    under [>=10]0"次";[>=5]0"回" (no section for it: Excel shows ####) keeps the saved 3, asked."""
    wb, ws = one_sheet(seed_xlsx)
    ws["F13"], ws["F13"].number_format = 776, '[DBNum1][$-804]G/通用格式"人"'
    ws["F14"], ws["F14"].number_format = 3, '[>=10]0"次";[>=5]0"回"'
    path = tmp_path / "numerals.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert [i.actual for i in form.indicators][:2] == ["776人", "3"]
    text = part_text(part)
    assert (
        'F13：单元格以中文数字显示（数字格式“[DBNum1][$-804]G/通用格式"人"”），已按其数值读作“776人”' in text
    )
    assert (
        'F14：单元格的数字格式“[>=10]0"次";[>=5]0"回"”显示的内容与保存的数不同，已按保存的数 3 导入' in text
    )
    flags = {(f.cell_table, f.cell_row, f.cell_column) for f in form.review_flags}
    assert {("indicators", 0, "actual"), ("indicators", 1, "actual")} <= flags


def test_xls_and_spreadsheetml_cells_in_chinese_numerals_are_asked_about(tmp_path: Path) -> None:
    """The .xls and Excel 2003 XML readers pass the same 请核对 as the .xlsx's (they had no way to)."""
    import pytest

    from core.importers.readers import read_file

    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    sheet.write(0, 0, 120, xlwt.easyxf(num_format_str='[DBNum1]G/通用格式"人"'))
    sheet.write(0, 1, 0.9, xlwt.easyxf(num_format_str='"≥"0%'))
    path = tmp_path / "去年自评表.xls"
    book.save(str(path))
    (grid,) = read_file(path).grids
    assert grid.cells == [["120人", "≥90%"]]
    assert list(grid.cell_checks) == [(0, 0)]
    xml = tmp_path / "安徽自评模板.xml"
    xml.write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Styles><Style ss:ID="u">'
        '<NumberFormat ss:Format="[DBNum1]0&quot;人&quot;"/></Style><Style ss:ID="p">'
        '<NumberFormat ss:Format="&quot;≥&quot;0%"/></Style></Styles><Worksheet ss:Name="Sheet1"><Table><Row>'
        '<Cell ss:StyleID="u"><Data ss:Type="Number">120</Data></Cell>'
        '<Cell ss:StyleID="p"><Data ss:Type="Number">0.9</Data></Cell></Row></Table></Worksheet></Workbook>',
        encoding="utf-8",
    )
    (grid,) = read_file(xml).grids
    assert grid.cells == [["120人", "≥90%"]]
    assert list(grid.cell_checks) == [(0, 0)]


def test_what_a_format_shows() -> None:
    from decimal import Decimal

    from core.importers.readers import shown_format, shown_with_unit

    cases = {
        ('0"人"', "776.4"): ("776人", False),
        ('"≥"0.0%', "0.955"): ("≥95.5%", False),
        ('0.00"万元";-0.00"万元"', "-3"): ("-3万元", False),
        ('0"人";0"人"', "-3"): (None, True),  # (Excel prints -3 as 3人 there)
        ('#,##0.0,"千元"', "1234567"): (None, True),  # (thousands: the saved number, asked)
        ("#,##0,", "1530300"): (None, False),  # (the saved number, exact: review R8)
        ("0!.0000", "1530300.4"): ("153.03004", False),
        ('0.00%;-0.00%;"无"', "0"): (None, True),
        ('[>=0.9]"≥"0%;0%', "0.5"): ("50%", False),
    }
    for (code, number), (shown, asked) in cases.items():
        text, doubt = shown_with_unit(code, Decimal(number))
        assert (text, bool(doubt)) == (shown, asked), code
    assert not shown_format("0.00%;[Red]-0.00%")
    assert not shown_format('_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ')
    assert not shown_format('"￥"#,##0.00;"￥"-#,##0.00')
    assert not shown_format('yyyy"年"m"月"d"日"')
    assert shown_with_unit('0"人";(0"人")', Decimal(-3)) == ("-3人", "")


# ---- Word's own list numbers ------------------------------------------------------------------------
W_DECLS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
# Lists as Word's 编号 button makes them: 1. with 1.1 below it; （一）; 一、; ①. Instance 92 restarts
# list 90 at 1 (设置编号值 → 开始新列表); 91 and a later paragraph of 91 continue it.
LISTS = f"""<w:numbering {W_DECLS}>
<w:abstractNum w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="91"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
<w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="92"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="93"><w:lvl w:ilvl="0"><w:start w:val="1"/>
<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
<mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="①, ②, ③, ..."/></mc:Choice>
<mc:Fallback><w:numFmt w:val="decimalEnclosedCircle"/></mc:Fallback></mc:AlternateContent>
<w:lvlText w:val="%1"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="94"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
<w:lvlText w:val="第%1部分"/><w:suff w:val="space"/></w:lvl></w:abstractNum>
<w:num w:numId="91"><w:abstractNumId w:val="90"/></w:num>
<w:num w:numId="92"><w:abstractNumId w:val="90"/>
<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="93"><w:abstractNumId w:val="91"/></w:num>
<w:num w:numId="94"><w:abstractNumId w:val="92"/></w:num>
<w:num w:numId="95"><w:abstractNumId w:val="93"/></w:num>
<w:num w:numId="96"><w:abstractNumId w:val="94"/></w:num>
</w:numbering>"""


def _add_lists(document: Any) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for node in list(parse_xml(LISTS)):
        if node.tag == qn("w:abstractNum") and first_num is not None:
            first_num.addprevious(node)  # (abstract lists before the instances, as Word keeps them)
        else:
            numbering.append(node)


def _numbered(num: int, level: int, text: str) -> Any:
    from docx.oxml import parse_xml

    return parse_xml(
        f'<w:p {W_DECLS}><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'
        f"</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def _fill(tc: Any, items: list[tuple[int, int, str]]) -> None:
    from docx.oxml.ns import qn

    for p in tc.findall(qn("w:p")):
        tc.remove(p)
    for item in items:
        tc.append(_numbered(*item))


def test_word_list_numbers_in_cells_read_as_word_shows_them(seed_docx: Path, tmp_path: Path) -> None:
    """偏差原因 cells typed as Word lists: the numbers Word prints (not in the text) are read with their
    items, as LibreOffice shows them too: 1. 1.1 2.; a list continued in the next cell (3.); restarted
    (1. 2.); （一）（二）, 一、, ① ② (a newer format with its plain fallback)."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(seed_docx))
    _add_lists(document)
    rows = _indicator_table(document).findall(qn("w:tr"))
    cells = [tr.findall(qn("w:tc"))[-1] for tr in rows[1:4]]  # 偏差原因分析及改进措施
    _fill(cells[0], [(91, 0, "招录计划"), (91, 1, "按计划完成"), (91, 0, "资格审查")])
    _fill(cells[1], [(91, 0, "调研"), (92, 0, "重新编号"), (92, 0, "第二项")])
    _fill(cells[2], [(93, 0, "甲"), (93, 0, "乙"), (94, 0, "丙"), (95, 0, "丁"), (95, 0, "戊")])
    for tr in rows[4:6]:  # 三级指标 numbered by the list (3. 4.): the number is no part of the name
        tc = tr.findall(qn("w:tc"))[3]
        _fill(tc, [(92, 0, "".join(t.text or "" for t in tc.iter(qn("w:t"))))])
    path = tmp_path / "lists.docx"
    document.save(str(path))
    report = build_report(preview_files([path]), template=SEED.template, year=2023)
    form = report.form_by_name(PROJECT)
    assert form is not None
    assert [i.deviation_note for i in form.indicators][:3] == [
        "1.招录计划\n1.1 按计划完成\n2.资格审查",
        "3.调研\n1.重新编号\n2.第二项",
        "（一）甲\n（二）乙\n一、丙\n①丁\n②戊",
    ]
    original = SEED.form_by_name(PROJECT)
    assert original is not None
    assert [row[:7] for row in indicators_of(form)] == [row[:7] for row in indicators_of(original)]


@pytest.mark.parametrize(("num", "style"), [(94, "Normal"), (96, "Heading 1")])
def test_report_sections_numbered_by_a_word_list(
    seed_docx: Path, tmp_path: Path, num: int, style: str
) -> None:
    """The report's 一、二、… section titles typed as a Word list (编号 一、) in body text, not a heading
    style: the numbers Word prints make them the sections they are. Headings numbered 第一部分 (a space
    after it) are the template's sections (一、…) as before."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document(str(seed_docx))
    _add_lists(document)
    number = re.compile(r"^[一二三四五六七八九十]+、")
    for paragraph in document.paragraphs:
        if number.match(paragraph.text) and len(paragraph.text) <= 40:
            paragraph.style = document.styles[style]
            text = number.sub("", paragraph.text)
            for run in paragraph.runs[1:]:
                run._r.getparent().remove(run._r)
            paragraph.runs[0].text = text
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {W_DECLS}><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>')
            )
    path = tmp_path / "报告.docx"
    document.save(str(path))
    report = build_report(preview_files([path]), template=SEED.template, year=2023)
    expected = [(s.title, len(s.text)) for s in SEED.narrative]
    assert [(s.title, len(s.text)) for s in report.narrative] == expected


def test_word_number_formats() -> None:
    from core.importers.numbering import number_in

    shown = {
        "chineseCounting": [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (101, "一百零一")],
        "chineseLegalSimplified": [(10, "壹拾"), (12, "壹拾贰")],
        "ideographTraditional": [(1, "甲"), (10, "癸"), (11, "11")],
        "decimalEnclosedCircle": [(1, "①"), (20, "⑳"), (21, "21")],
        "upperLetter": [(1, "A"), (27, "AA")],
        "lowerRoman": [(4, "iv")],
        "decimalZero": [(3, "03")],
        "decimalFullWidth": [(12, "１２")],
        "cardinalText": [(3, "3")],  # (English words: printed as digits)
    }
    for fmt, pairs in shown.items():
        assert [number_in(fmt, n) for n, _ in pairs] == [text for _, text in pairs], fmt


def test_numbers_typed_before_indicator_names_are_no_part_of_them(seed_xlsx: Path, tmp_path: Path) -> None:
    """一、产出指标, （一）数量指标, 1.公务员招录人数, 2．… (the list's order typed into the names, as
    many offices do): the names without them, said once; a name that begins with a number keeps it."""
    wb, ws = one_sheet(seed_xlsx)
    ws["B13"], ws["C13"] = "一、产出指标（50分）", "（一）数量指标"
    ws["D13"], ws["D14"] = "1.公务员招录人数", "2．对区县（市）领导班子日常管理、调研等\n次数"
    ws["C15"], ws["D16"] = "（二）质量指标", "1.5万个基层党建示范点覆盖率"
    ws["D17"] = "一、二级专项业务经费及时足额拨付率"
    path = tmp_path / "numbered.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    original = SEED.form_by_name(PROJECT)
    assert original is not None
    expected = indicators_of(original)
    expected[3] = (*expected[3][:2], "1.5万个基层党建示范点覆盖率", *expected[3][3:])
    expected[4] = (*expected[4][:2], "一、二级专项业务经费及时足额拨付率", *expected[4][3:])  # 一级 and 二级
    assert indicators_of(form) == expected
    said = "说明：指标名称前的序号（如 附件3-1 业务工作经费!B13“一、产出指标（50分）”），已去掉"
    assert said in part_text(part)


# ---- the 2015 部门整体 申报表's 年度主要任务 -------------------------------------------------------------
def _overall_declaration(path: Path) -> Path:
    """财政部's 2015 部门（单位）整体支出绩效目标申报表, filled in Excel: 年度主要任务 (任务名称 | 主要内容 |
    预算金额 over 总额 | 财政拨款 | 其他资金), the form's empty line left as ……, 金额合计."""
    import openpyxl

    rows: list[list[Any]] = [
        ["部门（单位）整体支出绩效目标申报表"],
        ["（2024年度）"],
        ["部门（单位）名称", "中共某市委组织部"],
        ["年度主要任务", "任务名称", "", "主要内容", "", "预算金额（万元）"],
        ["", "", "", "", "", "总额", "财政拨款", "其他资金"],
        ["", "干部教育培训", "", "全年培训干部4000人次", "", 120, 100, 20],
        ["", "基层党建", "", "建设示范点50个", "", 300, 300, ""],
        ["", "……"],
        ["金额合计", "", "", "", "", 420, 400, 20],
        ["年度总体目标", "全年培训干部4000人次，基层党组织建设全面进步。"],
        ["年度绩效指标", "一级指标", "二级指标", "三级指标", "", "指标值"],
        ["", "产出指标", "数量指标", "培训人次", "", "≥4000人次"],
        ["", "满意度指标", "服务对象满意度指标", "学员满意度", "", "≥90%"],
    ]
    merges = ["A1:H1", "A2:H2", "B3:H3", "A4:A8", "B4:C5", "D4:E5", "F4:H4", "A9:E9", "B10:H10", "A11:A13"]
    merges += [f"B{r}:C{r}" for r in (6, 7)] + [f"D{r}:E{r}" for r in range(6, 14) if r not in (8, 9, 10)]
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    wb.save(path)
    return path


TASKS = (
    "年度主要任务：\n"
    "1. 干部教育培训：全年培训干部4000人次（预算金额 120 万元，其中财政拨款 100 万元，其他资金 20 万元）\n"
    "2. 基层党建：建设示范点50个（预算金额 300 万元，其中财政拨款 300 万元）"
)


def test_the_main_tasks_of_a_2015_overall_declaration_go_to_its_section(tmp_path: Path) -> None:
    """The tasks are read into the report's section whose template prompt asks for the year's tasks
    (基本情况), 金额合计 is the year's declared funds (年初预算数), the goal and indicators as before."""
    from core.importers.api import merge_preview
    from core.report import new_report

    path = _overall_declaration(tmp_path / "部门整体申报表.xlsx")
    preview = preview_files([path])
    (part,) = preview.recognised
    assert part.kind == "overall"
    assert "说明：年度主要任务 2 项：导入自评报告中写年度主要工作任务的一节" in part_text(part)
    report = build_report(preview, template="mof", year=2024)
    overall = report.overall
    assert overall is not None
    assert {r.key: r.initial for r in overall.funds if r.initial} == {"total": "420", "other": "20"}
    assert [(i.level3, i.target) for i in overall.indicators] == [
        ("培训人次", "≥4000人次"),
        ("学员满意度", "≥90%"),
    ]
    assert [(s.title, s.text) for s in report.narrative][0] == ("一、基本情况", TASKS)
    assert len(report.narrative) == len(get_template("mof").narrative)
    # into a report whose section is written already: kept as it is
    mine = new_report("mof", 2024, "中共某市委组织部")
    mine.narrative[0].text = "本部门主要职能……"
    merge_preview(mine, preview_files([path]), template=get_template("mof"))
    assert mine.narrative[0].text == "本部门主要职能……"


# ---- a ZiPing export saved as .xls ------------------------------------------------------------------
def _property_set(properties: dict[str, str], codepage: int = 936) -> bytes:
    """A DocumentSummaryInformation stream as Excel writes one: its (empty) first section, then the
    custom properties (文件 → 属性 → 自定义) as text in the system's code page (GBK on a Chinese
    Windows)."""
    import struct

    codec = {936: "gbk", 65001: "utf-8"}[codepage]
    entries = [(1, struct.pack("<HHH2x", 2, 0, codepage)[:8])]  # VT_I2 code page
    names = b"".join(
        struct.pack("<II", 2 + i, len(name.encode(codec)) + 1) + name.encode(codec) + b"\0"
        for i, name in enumerate(properties)
    )
    entries.insert(0, (0, struct.pack("<I", len(properties)) + names + b"\0" * (-len(names) % 4)))
    for i, text in enumerate(properties.values()):
        raw = text.encode(codec) + b"\0"
        entries.append((2 + i, struct.pack("<II", 0x1E, len(raw)) + raw + b"\0" * (-len(raw) % 4)))
    offsets, body, at = [], b"", 8 + 8 * len(entries)
    for pid, value in entries:
        offsets.append(struct.pack("<II", pid, at + len(body)))
        body += value
    section = struct.pack("<II", at + len(body), len(entries)) + b"".join(offsets) + body
    first = struct.pack("<II", 8, 0)
    summary = bytes.fromhex("02d5cdd59c2e1b10939708002b2cf9ae")
    user = bytes.fromhex("05d5cdd59c2e1b10939708002b2cf9ae")
    head = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, b"\0" * 16, 2)
    head += summary + struct.pack("<I", 68) + user + struct.pack("<I", 76)
    return head + first + section


def _with_stream(xls: bytes, name: str, stream: bytes) -> bytes:
    """An xlwt workbook (a compound file of one stream, two directory slots free) with ``stream``
    added under ``name``, as a program that writes properties would have written it."""
    import struct

    size = 512
    stream = stream + b"\0" * (4096 - len(stream))  # (a regular stream: no mini stream needed)
    data = bytearray(xls)
    first = (len(data) - 512) // size
    count = len(stream) // size
    sat = [struct.unpack_from("<i", data, 0x4C + 4 * i)[0] for i in range(109)]
    sat_sector = sat[0]  # (one SAT sector: 128 sectors, enough for a small workbook)
    assert sat[1] == -1 and first + count <= 128
    for i in range(count):
        struct.pack_into(
            "<i", data, 512 + sat_sector * size + 4 * (first + i), first + i + 1 if i < count - 1 else -2
        )
    directory = 512 + struct.unpack_from("<i", data, 0x30)[0] * size
    slot = directory + 2 * 128
    encoded = (name + "\0").encode("utf-16-le")
    data[slot : slot + 128] = struct.pack(
        "<64sHBBiii36xiIi", encoded, len(encoded), 2, 1, -1, -1, -1, first, len(stream), 0
    )
    struct.pack_into("<i", data, directory + 128 + 0x48, 2)  # the Workbook entry's right sibling
    return bytes(data) + stream


def test_an_export_saved_as_xls_loses_none_of_its_chosen_line_breaks(seed_xlsx: Path, tmp_path: Path) -> None:
    """Last year's ZiPing workbook saved as .xls (另存为 Excel 97-2003): Excel, WPS and LibreOffice keep
    its custom properties — the list of line breaks the export chose — in the file's property stream,
    in the system's code page. Its texts read on one line as from the .xlsx (and after .xls → .xlsx,
    where they come back as custom.xml: read as before)."""
    import re as _re
    import zipfile

    xlwt = pytest.importorskip("xlwt")
    listing = zipfile.ZipFile(seed_xlsx).read("docProps/custom.xml").decode()
    properties = dict(_re.findall(r'name="(ZiPing换行\d+)"><vt:lpwstr>([^<]*)<', listing))
    assert properties
    wb, ws = one_sheet(seed_xlsx)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(ws.title)
    merged = {}
    for cr in ws.merged_cells.ranges:
        merged[(cr.min_row, cr.min_col)] = cr
    covered = {(r, c) for cr in ws.merged_cells.ranges for r, c in cr.cells}
    for row in ws.iter_rows():
        for cell in row:
            at = (cell.row, cell.column)
            value = "" if cell.value is None else cell.value
            if at in merged:
                cr = merged[at]
                sheet.write_merge(cr.min_row - 1, cr.max_row - 1, cr.min_col - 1, cr.max_col - 1, value)
            elif at not in covered and value != "":
                sheet.write(cell.row - 1, cell.column - 1, value)
    plain = tmp_path / "plain.xls"
    book.save(str(plain))
    path = tmp_path / "去年自评表.xls"
    path.write_bytes(
        _with_stream(plain.read_bytes(), "\x05DocumentSummaryInformation", _property_set(properties))
    )
    _preview, _part, form = imported(path)
    expected = SEED.form_by_name(PROJECT)
    assert expected is not None
    assert "\n" in wb[ws.title]["B11"].value  # (the goal: the export did end a line in it)
    assert [(g.goal, g.achieved) for g in form.goals] == [(g.goal, g.achieved) for g in expected.goals]
    assert indicators_of(form) == indicators_of(expected)


# ---- units, hidden sheets ---------------------------------------------------------------------------
def test_the_funds_tables_own_unit_over_a_title_rows(seed_xlsx: Path, tmp_path: Path) -> None:
    """单位：万元 printed in a title row above the form, the funds block titled 项目资金（元） and filled in
    元: the funds table's own unit is the one its figures are in (converted), and the preview asks."""
    from tests.core.test_import_variants import insert_rows

    wb, ws = one_sheet(seed_xlsx)
    insert_rows(ws, 3)
    ws["H3"], ws["A6"] = "单位：万元", "项目资金（元）"
    for ref in ("D7", "E7", "F7", "D8", "E8", "F8", "E10", "F10"):
        ws[ref] = round(ws[ref].value * 10000, 2)
    path = tmp_path / "units.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    original = SEED.form_by_name(PROJECT)
    assert original is not None
    assert funds_of(form) == funds_of(original)
    said = "H3“单位：万元”与附件3-1 业务工作经费!A6“项目资金（元）”写的金额单位不同，资金表已按元读取，请核对"
    assert said in part_text(part)


def test_a_form_on_a_hidden_sheet_is_named_with_how_to_import_it(seed_xlsx: Path, tmp_path: Path) -> None:
    """The only form of a workbook on a hidden sheet: the preview says the sheet holds a form and how
    to import it, rather than only "hidden"."""
    wb, ws = one_sheet(seed_xlsx)
    ws.sheet_state = "hidden"
    wb.create_sheet("说明")["A1"] = "见隐藏表"
    path = tmp_path / "hidden.xlsx"
    wb.save(path)
    preview = preview_files([path])
    assert preview.sources[0].reason == (
        "隐藏的工作表（表中有项目支出绩效自评表），未导入；"
        "如需导入，请勾选“包括隐藏内容”（命令行加 --include-hidden）"
    )
    assert [p.part for p in preview_files([path], include_hidden=True).recognised] == [ws.title]


def test_wps_own_spreadsheet_format_is_refused_by_name(tmp_path: Path) -> None:
    """A WPS 表格 .et in its own format (a compound file whose workbook is not Excel's): refused saying
    what it is and what to do; the same bytes named .xls keep the general message."""
    from core.importers.readers import read_file

    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    book.add_sheet("Sheet1").write(0, 0, "项目名称")
    book.save(str(tmp_path / "plain.xls"))
    data = (tmp_path / "plain.xls").read_bytes()
    wps = data.replace("Workbook".encode("utf-16-le"), "ETSheets".encode("utf-16-le"), 1)
    (tmp_path / "自评表.et").write_bytes(wps)
    (tmp_path / "自评表.xls").write_bytes(wps)
    assert read_file(tmp_path / "自评表.et").error == (
        "自评表.et 是 WPS 表格专用格式（.et），无法直接读取；请在 WPS 中打开，另存为 .xlsx 后再导入"
    )
    assert read_file(tmp_path / "自评表.xls").error.startswith("自评表.xls 无法读取（可能是 WPS 表格专用格式")


def test_subtotal_rows_between_indicator_groups_are_no_indicators(seed_xlsx: Path, tmp_path: Path) -> None:
    """A 小计 row under each 一级 group (its weights' sum, 50): not an indicator (its 50 would count the
    group's points twice); named as left out."""
    from tests.core.test_import_variants import insert_rows

    wb, ws = one_sheet(seed_xlsx)
    insert_rows(ws, 19)
    ws["C19"], ws["G19"], ws["H19"] = "小计", 50, 50
    insert_rows(ws, 25)
    ws["B25"], ws["G25"], ws["H25"] = "效益指标小计", 30, 30
    path = tmp_path / "subtotals.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    original = SEED.form_by_name(PROJECT)
    assert original is not None
    assert indicators_of(form) == indicators_of(original)
    assert "附件3-1 业务工作经费!C19：“小计”行是分项小计，不是指标，未导入" in part_text(part)
    assert "B25：“效益指标小计”行是分项小计" in part_text(part)


def test_word_tracked_changes_and_hidden_text_read_as_word_shows_them(
    seed_docx: Path, tmp_path: Path
) -> None:
    """A 自评表 edited with 修订 on and sent before the changes were accepted: read as accepted (the
    inserted 2, not the deleted 1; moved text where it went, not also where it was), and said; text
    formatted as hidden (字体 → 隐藏: Word neither shows nor prints it) is not read."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document(str(seed_docx))
    tcs = _indicator_table(document).findall(qn("w:tr"))[2].findall(qn("w:tc"))

    def put(tc: Any, runs: str) -> None:
        for p in tc.findall(qn("w:p")):
            tc.remove(p)
        tc.append(parse_xml(f"<w:p {W_DECLS}>{runs}</w:p>"))

    put(
        tcs[4],
        '<w:del w:id="1" w:author="a"><w:r><w:delText>≥1 次</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>≥2 次</w:t></w:r></w:ins>',
    )
    put(
        tcs[5],
        '<w:moveFrom w:id="3" w:author="a"><w:r><w:t>3 次</w:t></w:r></w:moveFrom><w:r><w:t>2 次</w:t></w:r>',
    )
    put(
        tcs[8],
        "<w:r><w:t>已完成</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>（内部备注：待核实）</w:t></w:r>",
    )
    path = tmp_path / "修订.docx"
    document.save(str(path))
    preview = preview_files([path])
    report = build_report(preview, template=SEED.template, year=2023)
    form = report.form_by_name(PROJECT)
    assert form is not None
    row = form.indicators[1]
    assert (row.target, row.actual, row.deviation_note) == ("≥2 次", "2 次", "已完成")
    said = (
        "文档中有未接受的修订（修订模式），已按接受全部修订后的内容读取；如需核对，请在 Word/WPS 中查看修订"
    )
    said_on = [any(n.startswith(said) for n in part.notes) for part in preview.recognised]
    assert said_on == [True] + [False] * (len(said_on) - 1)  # once, on the file's first form (review R11)


def test_a_workbook_saved_as_strict_open_xml_reads_its_formats(seed_xlsx: Path, tmp_path: Path) -> None:
    """Excel's 另存为 "Strict Open XML 电子表格" names its parts' XML otherwise: the values were read but
    not the number formats (96.81% read as 0.9681), the hidden rows or the formulas."""
    import zipfile

    wb, ws = one_sheet(seed_xlsx)
    ws["F24"], ws["F24"].number_format = 0.9681, "0.00%"  # (typed as a number, shown as 96.81%)
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    path = tmp_path / "strict.xlsx"
    names = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
    }
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            for old, new in names.items():
                data = data.replace(old, new)
            out.writestr(info, data)
    _preview, _part, form = imported(path)
    original = SEED.form_by_name(PROJECT)
    assert original is not None
    assert indicators_of(form) == indicators_of(original)


RTF = b"{\\rtf1\\ansi\\deff0 {\\fonttbl{\\f0 SimSun;}} a, b\\par}"
MHT = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n<html>a, b</html>'
WORD_XML = (
    b'<?xml version="1.0"?>\n<?mso-application progid="Word.Document"?>\n<w:wordDocument xmlns:w='
    b'"http://schemas.microsoft.com/office/word/2003/wordml"><w:t>a, b</w:t></w:wordDocument>'
)
PAGE = b"<html><body><table><tr><td>a</td></tr></table></body></html>"


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("自评报告.doc", RTF, "是 RTF 格式的文档，无法直接读取；请在 Word/WPS 中打开"),
        ("自评报告.doc", MHT, "是“单个文件网页”（MHT）格式，无法直接读取"),
        ("自评报告.xml", WORD_XML, "是 Word 2003 XML 文档，无法直接读取；请在 Word/WPS 中打开，另存为 .docx"),
        ("自评报告.doc", PAGE, "请在 Word/WPS 中打开后另存为 .docx"),
    ],
)
def test_word_files_in_other_formats_are_refused_saying_what_they_are(
    tmp_path: Path, name: str, content: bytes, said: str
) -> None:
    """Reports saved as RTF, 单个文件网页 (MHT) or Word 2003 XML, or a web page named .doc (as systems
    export them): each refused saying what it is and to save it as .docx (they were called text (CSV)
    files, or files not recognised; a web page named .doc was told to be saved as .xlsx)."""
    from core.importers.readers import read_file

    path = tmp_path / name
    path.write_bytes(content)
    assert said in read_file(path).error


def test_amounts_shown_in_thousands_read_as_saved(seed_xlsx: Path, tmp_path: Path) -> None:
    """A funds table 项目资金（元） whose amounts are shown in thousands by #,##0, (1,530 for 1530300): the
    saved amounts are read, exact (a display in 千 must not cost them their digits; review R8)."""
    wb, ws = one_sheet(seed_xlsx)
    ws["A5"] = "项目资金（元）"
    for ref in ("D6", "E6", "F6", "D7", "E7", "F7", "E9", "F9"):
        ws[ref] = round(ws[ref].value * 10000, 2)
        ws[ref].number_format = "#,##0,"
    path = tmp_path / "thousands.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    original = SEED.form_by_name(PROJECT)
    assert original is not None
    assert funds_of(form) == funds_of(original)
    assert "请核对" not in part_text(part)


def test_the_2015_overall_declaration_keeps_the_national_template_and_one_line_tasks(tmp_path: Path) -> None:
    """Review R1/R2: the 2015 form's 金额合计 (总额, 财政拨款, 其他资金) is no sign of a region's
    template (its 财政拨款 is 广元's row name): the national one is suggested, as before the tasks were
    read; a 主要内容 typed over two lines is one task line, and a task's 0 amounts are not printed."""
    import openpyxl

    path = _overall_declaration(tmp_path / "部门整体申报表.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws["D6"] = "全年培训干部4000人次，\n其中处级干部200人次"
    ws["H7"] = 0
    wb.save(path)
    preview = preview_files([path])
    assert preview.template == "mof"
    report = build_report(preview, year=2024)
    assert report.narrative[0].text == TASKS.replace("4000人次（", "4000人次，其中处级干部200人次（")


def test_an_amount_in_brackets_in_the_overall_forms_inline_rows(seed_xlsx: Path, tmp_path: Path) -> None:
    """Review R3: the 部门整体 form's 其中 rows (a label, then its amount in the next cell): "(0.23)" reads
    as -0.23 with its 请核对, as in a funds table; an amount that does not read is named, not dropped."""
    import openpyxl

    wb = openpyxl.load_workbook(seed_xlsx)
    for name in wb.sheetnames:
        if name != "附件2 部门整体":
            del wb[name]
    ws = wb["附件2 部门整体"]
    ws["E9"], ws["E7"] = "(0.23)", "12a万"
    path = tmp_path / "overall.xlsx"
    wb.save(path)
    preview = preview_files([path])
    (part,) = preview.recognised
    text = part_text(part)
    assert "请核对：附件2 部门整体!E9：“(0.23)”是会计写法的负数（括号表示负数），已按 -0.23 导入" in text
    assert "附件2 部门整体!E7：“12a万”不是数字" in text
    report = build_report(preview, template=SEED.template, year=2023)
    overall = report.overall
    assert overall is not None
    assert {r.key: r.annual for r in overall.funds if r.annual} == {
        "total": "2187.04",
        "gpb": "2186.81",
        "other": "-0.23",
    }


def test_many_cells_in_chinese_numerals_are_one_question(seed_xlsx: Path, tmp_path: Path) -> None:
    """Review R4: counts shown in Chinese numerals on many cells: one 请核对 line for the form (the
    reading is exact), a flag at each cell."""
    wb, ws = one_sheet(seed_xlsx)
    for ref, value in (("F13", 776), ("F14", 2)):
        ws[ref], ws[ref].number_format = value, '[DBNum1]G/通用格式"人"'
    path = tmp_path / "numerals.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert part.checks == [
        "有 2 个单元格以中文数字显示（如 附件3-1 业务工作经费!F13“776人”），已按其数值读入，请核对"
    ]
    assert [(f.cell_row, f.cell_column) for f in form.review_flags] == [(0, "actual"), (1, "actual")]


def test_damaged_word_lists_never_stop_the_reading(seed_docx: Path, tmp_path: Path) -> None:
    """Lists a damaged or hand-edited numbering.xml describes badly — a start of 999999999 in letters, a
    level past the ninth, a list instance naming no list, a list style linking to itself, an ilvl that
    is no number — read the cells' text (with what number can be worked out), never refuse the file."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document(str(seed_docx))
    numbering = document.part.numbering_part.element
    damaged = f"""<w:numbering {W_DECLS}>
<w:abstractNum w:abstractNumId="80"><w:lvl w:ilvl="0"><w:start w:val="999999999"/>
<w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="81"><w:numStyleLink w:val="Loop"/></w:abstractNum>
<w:abstractNum w:abstractNumId="82"><w:lvl w:ilvl="x"><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%9%1"/></w:lvl>
</w:abstractNum>
<w:num w:numId="81"><w:abstractNumId w:val="80"/></w:num>
<w:num w:numId="82"><w:abstractNumId w:val="81"/></w:num>
<w:num w:numId="83"><w:abstractNumId w:val="99"/></w:num>
<w:num w:numId="84"><w:abstractNumId w:val="82"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="-4"/>
</w:lvlOverride></w:num>
</w:numbering>"""
    for node in list(parse_xml(damaged)):
        numbering.append(node)
    cell = _indicator_table(document).findall(qn("w:tr"))[1].findall(qn("w:tc"))[-1]
    items = [(81, 0, "甲"), (82, 0, "乙"), (83, 0, "丙"), (84, 12, "丁"), (84, 0, "戊")]
    _fill(cell, items)
    path = tmp_path / "damaged-lists.docx"
    document.save(str(path))
    report = build_report(preview_files([path]), template=SEED.template, year=2023)
    form = report.form_by_name(PROJECT)
    assert form is not None
    lines = form.indicators[0].deviation_note.split("\n")
    assert [line[-1] for line in lines] == ["甲", "乙", "丙", "丁", "戊"]
    assert all(len(line) < 40 for line in lines), lines


def test_the_2015_overall_declaration_made_in_word(tmp_path: Path) -> None:
    """The same 申报表 as a Word table under its title paragraphs: recognised as a 申报表 (its title is
    above the table, not in it: it was read as a 自评表, its tasks and 金额合计 passed over)."""
    import docx

    rows = [
        ["部门（单位）名称", "中共某市委组织部", "", "", "", "", "", ""],
        ["年度主要任务", "任务名称", "", "主要内容", "", "预算金额（万元）", "", ""],
        ["", "", "", "", "", "总额", "财政拨款", "其他资金"],
        ["", "干部教育培训", "", "全年培训干部4000人次", "", "120", "100", "20"],
        ["", "基层党建", "", "建设示范点50个", "", "300", "300", ""],
        ["金额合计", "", "", "", "", "420", "400", "20"],
        ["年度总体目标", "全年培训干部4000人次，基层党组织建设全面进步。", "", "", "", "", "", ""],
        ["年度绩效指标", "一级指标", "二级指标", "三级指标", "", "指标值", "", ""],
        ["", "产出指标", "数量指标", "培训人次", "", "≥4000人次", "", ""],
    ]
    document = docx.Document()
    document.add_paragraph("部门（单位）整体支出绩效目标申报表")
    document.add_paragraph("（2024年度）")
    table = document.add_table(rows=len(rows), cols=8)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    merges = [((0, 1), (0, 7)), ((1, 0), (4, 0)), ((1, 1), (2, 2)), ((1, 3), (2, 4)), ((1, 5), (1, 7))]
    merges += [((r, 1), (r, 2)) for r in (3, 4)] + [((r, 3), (r, 4)) for r in (3, 4, 7, 8)]
    merges += [((5, 0), (5, 4)), ((6, 1), (6, 7)), ((7, 0), (8, 0)), ((7, 5), (7, 7)), ((8, 5), (8, 7))]
    for first, last in merges:
        table.cell(*first).merge(table.cell(*last))
    path = tmp_path / "部门整体申报表.docx"
    document.save(str(path))
    preview = preview_files([path])
    (part,) = preview.recognised
    assert (part.recognised_as, part.kind, preview.template) == ("绩效目标申报表", "overall", "mof")
    report = build_report(preview, year=2024)
    overall = report.overall
    assert overall is not None
    assert {r.key: r.initial for r in overall.funds if r.initial} == {"total": "420", "other": "20"}
    assert report.narrative[0].text == TASKS


def test_a_note_above_a_word_self_evaluation_that_mentions_the_declaration_keeps_it_a_self_evaluation(
    seed_docx: Path, tmp_path: Path
) -> None:
    """A 填报说明 line above a Word 自评表 that mentions the 申报表 ("（表中年度指标值与批复的绩效目标申报表
    一致）") is a note, not the form's title: the form stays a 自评表 (review R13: it was read as last
    spring's 申报表 and its whole-period fund rows skipped)."""
    import copy

    import docx

    document = docx.Document(str(seed_docx))
    project_table = document.tables[3]  # the 业务工作经费 自评表 (表格4)
    note = copy.deepcopy(document.paragraphs[0]._p)
    for run in note.findall(docx.oxml.ns.qn("w:r"))[1:]:
        note.remove(run)
    project_table._tbl.addprevious(note)
    paragraph = docx.text.paragraph.Paragraph(note, project_table._parent)
    paragraph.text = "（表中年度指标值与批复的绩效目标申报表一致）"
    path = tmp_path / "note_above.docx"
    document.save(str(path))
    preview = preview_files([path])
    assert [p.recognised_as for p in preview.recognised if p.kind == "project"] == ["项目支出绩效自评表"] * 3


def test_a_word_file_saved_as_strict_open_xml_reads_as_the_ordinary_one(
    seed_docx: Path, tmp_path: Path
) -> None:
    """Word's "Strict Open XML 文档" holds the same parts under the purl.oclc.org/ooxml namespaces: it
    reads as the .docx it was saved from (it was refused as "已损坏或不是有效的 Word 文件")."""
    import zipfile

    strict = {
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main": b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
        b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
    }
    path = tmp_path / "strict.docx"
    with zipfile.ZipFile(seed_docx) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info)
            for transitional, name in strict.items():
                part = part.replace(transitional, name)
            zout.writestr(info.filename, part)
    assert b"purl.oclc.org" in zipfile.ZipFile(path).read("_rels/.rels")
    ordinary, saved_strict = preview_files([seed_docx]), preview_files([path])
    assert [(p.recognised_as, p.kind) for p in saved_strict.recognised] == [
        (p.recognised_as, p.kind) for p in ordinary.recognised
    ]
    from core.interchange import report_to_dict

    as_read = [report_to_dict(build_report(p, year=2024)) for p in (ordinary, saved_strict)]
    assert as_read[0] == as_read[1]


_BOX_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
_VML_BOX = (
    '<w:pict><v:shape style="width:425pt;height:551pt">'
    "<v:textbox><w:txbxContent/></v:textbox></v:shape></w:pict>"
)
_DRAWING_BOX = (
    '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0"'
    ' relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
    '</wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset>'
    '</wp:positionV><wp:extent cx="5400000" cy="7000000"/><wp:wrapTopAndBottom/>'
    '<wp:docPr id="90" name="文本框 90"/><a:graphic><a:graphicData'
    ' uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
    '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="5400000" cy="7000000"/>'
    '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx><w:txbxContent/>'
    "</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
)


@pytest.mark.parametrize("shape", ["word", "vml"])
def test_a_form_in_a_word_text_box_is_read_once_as_a_table(
    seed_docx: Path, tmp_path: Path, shape: str
) -> None:
    """A 自评表 table placed in a 文本框 (w:txbxContent; Word keeps a second copy for older readers in
    mc:Fallback, WPS/older Word a VML box only) reads as the same table where it stood, once: it was
    flattened into the anchoring paragraph's text, the project's fund table lost (a project "" made
    of its indicators alone)."""
    import copy

    import docx
    from docx.oxml import parse_xml

    from core.interchange import report_to_dict

    document = docx.Document(str(seed_docx))
    table = document.tables[3]._tbl  # 业务工作经费's header and funds (表格4)
    run = (
        f"<mc:AlternateContent><mc:Choice Requires='wps'>{_DRAWING_BOX}</mc:Choice>"
        f"<mc:Fallback>{_VML_BOX}</mc:Fallback></mc:AlternateContent>"
        if shape == "word"
        else _VML_BOX
    )
    anchor = parse_xml(f"<w:p {_BOX_NS}><w:r><w:t>见下框：</w:t></w:r><w:r>{run}</w:r></w:p>")
    for box in anchor.iter(docx.oxml.ns.qn("w:txbxContent")):
        box.append(copy.deepcopy(table))
        box.append(parse_xml(f"<w:p {_BOX_NS}/>"))
    table.addprevious(anchor)
    table.getparent().remove(table)
    path = tmp_path / "text_box.docx"
    document.save(str(path))
    boxed, ordinary = preview_files([path]), preview_files([seed_docx])
    assert [(p.part, p.form, p.rows) for p in boxed.recognised] == [
        (p.part, p.form, p.rows) for p in ordinary.recognised
    ]
    as_read = [report_to_dict(build_report(p, year=2024)) for p in (ordinary, boxed)]
    assert as_read[0] == as_read[1]
