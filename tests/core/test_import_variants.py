"""Last year's forms as accountants really make them: the seed's own Excel export, changed the way
people change it (other header words, two-row headers, title rows, text numbers, 元/万元 mix-ups,
hidden columns, sheet names as project names …), read back.

Every variant is generated here from seed 004 (no binary fixtures); each test names what a user
would see in the preview or in the imported report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange

from core.export.xlsx import write_xlsx
from core.importers.api import Part, Preview, build_report, preview_files
from core.interchange import read_json_file
from core.model import Form
from core.templates import get_template

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = read_json_file(FIXTURES / "seed004_yiyang.json")
PROJECT = "业务工作经费"
SHEET = "附件3-1 业务工作经费"


def _original() -> Form:
    form = SEED.form_by_name(PROJECT)
    assert form is not None
    return form


def funds_of(form: Form) -> list[tuple[str, str, str, str]]:
    return [(r.key, r.initial, r.annual, r.executed) for r in form.funds]


def indicators_of(form: Form) -> list[tuple[str, ...]]:
    return [
        (i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.score, i.deviation_note)
        for i in form.indicators
    ]


def one_sheet(seed_xlsx: Path) -> tuple[Any, Any]:
    """The 附件3-1 sheet alone, as a workbook to change."""
    wb = openpyxl.load_workbook(seed_xlsx)
    for name in wb.sheetnames:
        if name != SHEET:
            del wb[name]
    return wb, wb[SHEET]


def cell_of(ws: Any, text: str) -> Any:
    for row in ws.iter_rows():
        for cell in row:
            if (
                isinstance(cell.value, str) and cell.value.replace("\n", "") == text
            ):  # a title may hold a chosen line break
                return cell
    raise KeyError(text)


def insert_rows(ws: Any, index: int, amount: int = 1) -> None:
    """openpyxl's insert_rows, moving the merged ranges too (as Excel does)."""
    _insert(ws, index, amount, rows=True)


def insert_cols(ws: Any, index: int, amount: int = 1) -> None:
    """openpyxl's insert_cols, moving the merged ranges too."""
    _insert(ws, index, amount, rows=False)


def _insert(ws: Any, index: int, amount: int, rows: bool) -> None:
    ranges = [r.coord for r in ws.merged_cells.ranges]
    for coord in ranges:
        ws.unmerge_cells(coord)
    (ws.insert_rows if rows else ws.insert_cols)(index, amount)
    for coord in ranges:
        cr = CellRange(coord)
        low, high = (cr.min_row, cr.max_row) if rows else (cr.min_col, cr.max_col)
        if low >= index:
            cr.shift(**{"row_shift" if rows else "col_shift": amount})
        elif high >= index:
            cr.expand(**{"down" if rows else "right": amount})
        ws.merge_cells(cr.coord)


def imported(path: Path, **kwargs: Any) -> tuple[Preview, Part, Form]:
    preview = preview_files([path], **kwargs)
    (part,) = preview.recognised
    report = build_report(preview, template=SEED.template, year=2023)
    (form,) = report.projects
    return preview, part, form


def part_text(part: Part) -> str:
    """Everything the preview's detail pane shows for a part."""
    lines = [part.reason, *(f"请核对：{c}" for c in part.checks), *(f"说明：{n}" for n in part.notes)]
    return "\n".join([*lines, *(f"{s.cell}：{s.reason}" for s in part.skipped)])


def test_unchanged_sheet_reads_as_the_seed(seed_xlsx: Path, tmp_path: Path) -> None:
    wb, _ws = one_sheet(seed_xlsx)
    wb.save(tmp_path / "a.xlsx")
    _preview, _part, form = imported(tmp_path / "a.xlsx")
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())


def test_indicator_header_over_two_rows(seed_xlsx: Path, tmp_path: Path) -> None:
    """绩效指标 over 一级|二级|三级 in the row above, the other titles merged down both rows (the
    lower row has no value of its own right of 三级指标)."""
    wb, ws = one_sheet(seed_xlsx)
    insert_rows(ws, 12)
    ws["B12"] = "绩效指标"
    ws.merge_cells("B12:D12")
    for col in "EFGHI":
        ws[f"{col}12"] = ws[f"{col}13"].value
        ws[f"{col}13"] = None
        ws.merge_cells(f"{col}12:{col}13")
    path = tmp_path / "two-row.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert indicators_of(form) == indicators_of(_original())
    assert [(g.goal, g.achieved) for g in form.goals] == [(g.goal, g.achieved) for g in _original().goals]


@pytest.mark.parametrize(
    "words",
    [
        # 部门整体 forms of several provinces: 年度预算数（A）| 实际支出数（B）
        {"全年预算数": "年度预算数（A）", "全年执行数": "实际支出数（B）", "年度指标值": "指标值"},
        {"年初预算数": "预算数", "全年预算数": "调整预算数", "全年执行数": "执行数", "分值": "权重"},
        {"全年预算数": "调整后预算", "实际完成值": "实际完成情况", "自评得分": "得分"},
        {"年度指标值": "目标值", "实际完成值": "完成值", "偏差原因分析及改进措施": "偏差原因及改进措施"},
        {"年度指标值": "年度\n指标值", "实际完成值": "实际\n完成值", "分值": "分 值"},
    ],
)
def test_header_words_of_other_regions(seed_xlsx: Path, tmp_path: Path, words: dict[str, str]) -> None:
    wb, ws = one_sheet(seed_xlsx)
    for old, new in words.items():
        cell_of(ws, old).value = new
    path = tmp_path / "words.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())
    assert "不是指标表的列" not in part_text(part)


def test_funds_header_over_two_rows(seed_xlsx: Path, tmp_path: Path) -> None:
    """A "预算数" title spanning "年初 | 全年" in the row below; the other titles merged down both rows."""
    wb, ws = one_sheet(seed_xlsx)
    insert_rows(ws, 5)
    for col in "DEFGHI":
        ws[f"{col}5"] = ws[f"{col}6"].value
        ws[f"{col}6"] = None
    ws["D5"], ws["E5"] = "预算数", None
    ws.merge_cells("D5:E5")
    ws["D6"], ws["E6"] = "年初", "全年"
    for col in "FGHI":
        ws.merge_cells(f"{col}5:{col}6")
    path = tmp_path / "two-row-funds.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form) == funds_of(_original())
    assert "只有一列" not in part_text(part)


def test_a_lone_budget_column_is_flagged(seed_xlsx: Path, tmp_path: Path) -> None:
    """Only "预算数 | 执行数": read as 年初预算数 (the schema's word), and the preview says to check."""
    wb, ws = one_sheet(seed_xlsx)
    cell_of(ws, "年初预算数").value = "预算数"
    cell_of(ws, "全年预算数").value = "备注"
    path = tmp_path / "lone.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    total = form.fund("total")
    assert total is not None and (total.initial, total.annual) == ("153.03", "")
    assert "请核对：附件3-1 业务工作经费!D5：表中只有一列“预算数”" in part_text(part)


def test_names_and_values_typed_over_several_lines_are_one_line(seed_xlsx: Path, tmp_path: Path) -> None:
    """Alt+Enter breaks that only fit a long name into its column; 偏差原因 keeps its lines."""
    wb, ws = one_sheet(seed_xlsx)
    ws["D14"] = "对区县（市）领导班子\n日常管理、调研等次数"
    ws["E14"] = "≥1\n次"
    ws["C15"] = "质量\r\n指标"
    ws["B3"] = "业务工作\n经费"
    ws["I14"] = "第一行\n第二行"
    path = tmp_path / "lines.xlsx"
    wb.save(path)
    _preview, _part, form = imported(path)
    assert form.name == PROJECT
    row = form.indicators[1]
    assert (row.level3, row.target, row.deviation_note) == (
        "对区县（市）领导班子日常管理、调研等次数",
        "≥1次",
        "第一行\n第二行",
    )
    assert form.indicators[2].level2 == "质量指标"


@pytest.mark.parametrize(
    ("sheet", "name"),
    [
        ("业务工作经费", PROJECT),
        ("附件3-1 业务工作经费", PROJECT),
        ("Sheet1", "未命名"),
        ("项目自评表", "未命名"),
    ],
)
def test_one_form_per_sheet_named_by_its_sheet(
    seed_xlsx: Path, tmp_path: Path, sheet: str, name: str
) -> None:
    """A workbook of one form per sheet whose 项目名称 cell was left blank: the sheet's name is the
    project's, and the preview says so; a default or form-like sheet name is not taken."""
    wb, ws = one_sheet(seed_xlsx)
    ws.title = sheet
    ws["B3"] = None
    path = tmp_path / "by-sheet.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert form.name == name
    assert ("请核对：表中项目名称为空，已用工作表名" in part_text(part)) == (name != "未命名")


def _hidden_target_column(seed_xlsx: Path, tmp_path: Path) -> Path:
    """A hidden column E before the real one, titled as it is, holding last spring's old target."""
    from openpyxl.worksheet.dimensions import ColumnDimension

    wb, ws = one_sheet(seed_xlsx)
    insert_cols(ws, 5)
    ws["E12"], ws["E13"] = "年度指标值", "旧的指标值"
    for letter in "EFGHIJ":
        ws.column_dimensions[letter] = ColumnDimension(ws, index=letter, width=12, hidden=letter == "E")
    path = tmp_path / "hidden-col.xlsx"
    wb.save(path)
    return path


def test_hidden_column_is_not_read_unless_asked(seed_xlsx: Path, tmp_path: Path) -> None:
    path = _hidden_target_column(seed_xlsx, tmp_path)
    _preview, part, form = imported(path)
    assert indicators_of(form) == indicators_of(_original())
    assert funds_of(form) == funds_of(_original())
    assert any(s.cell.endswith("!E列") and "隐藏列" in s.reason for s in part.skipped)
    # asked for hidden content: the first column so titled is read, and the second is named as left out
    _preview, part, form = imported(path, include_hidden=True)
    assert form.indicators[0].target == "旧的指标值"
    assert "“年度指标值”列与E列“年度指标值”重复，已按E列导入，此列未导入，请核对" in part_text(part)


def test_numbers_stored_as_text_with_units_commas_and_full_width_digits(
    seed_xlsx: Path, tmp_path: Path
) -> None:
    wb, ws = one_sheet(seed_xlsx)
    ws["D6"], ws["E6"], ws["F6"] = "153.03万元", "7,095,000元", "７０９．５ "
    ws["D7"], ws["E7"], ws["F7"] = " 153.03", "709.47 ", "7,094,700 元"
    ws["G13"], ws["H13"] = "10分", "１０"
    path = tmp_path / "text-numbers.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())
    assert "已换算为 709.5 万元" in part_text(part) and not part.checks


def test_an_amount_in_yuan_inside_a_wan_yuan_table_is_flagged_not_changed(
    seed_xlsx: Path, tmp_path: Path
) -> None:
    wb, ws = one_sheet(seed_xlsx)
    ws["D7"] = 1530300  # 153.03 万元 typed in 元
    path = tmp_path / "yuan-in-wan.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    current = form.fund("current")
    assert current is not None and current.initial == "1530300"
    assert any(c.startswith(f"{SHEET}!D7 的 1530300 是 {SHEET}!E7 的 709.47 的") for c in part.checks)
    assert any("超过 100 亿元" in c for c in part.checks)


def test_a_table_said_in_yuan_but_filled_in_wan_yuan_is_flagged(seed_xlsx: Path, tmp_path: Path) -> None:
    wb, ws = one_sheet(seed_xlsx)
    ws["A5"] = "项目资金（元）"
    path = tmp_path / "wan-in-yuan.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    total = form.fund("total")
    assert total is not None and total.annual == "0.07095"  # the header's word, converted …
    assert part.checks == [
        "资金表注明单位为元，但最大的金额只有 709.5 元，可能实际按万元填写；已按元换算为万元，请核对"
    ]


def test_a_table_in_yuan_converts_without_a_check(seed_xlsx: Path, tmp_path: Path) -> None:
    wb, ws = one_sheet(seed_xlsx)
    ws["A5"] = "项目资金（元）"
    for ref in ("D6", "E6", "F6", "D7", "E7", "F7", "E9", "F9"):
        ws[ref] = round(ws[ref].value * 10000, 2)
    path = tmp_path / "yuan.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form) == funds_of(_original())
    assert not part.checks and "已换算为 153.03 万元" in part_text(part)


# ---- Word -----------------------------------------------------------------------------------
def _word_form(path: Path) -> tuple[Preview, Form]:
    preview = preview_files([path])
    report = build_report(preview, template=SEED.template, year=2023)
    assert [f.name for f in report.projects] == [f.name for f in SEED.projects]
    form = report.form_by_name(PROJECT)
    assert form is not None
    return preview, form


def _indicator_table(document: Any) -> Any:
    """业务工作经费's indicator table (the export prints each form as a header table and this one)."""
    tables = document.tables
    index = next(i for i, t in enumerate(tables) if t.rows[0].cells[1].text == PROJECT)
    return tables[index + 1]._tbl


def _split(document: Any, repeat_header: bool) -> None:
    """The indicator table broken in two after its 6th row, as when a page break was typed into it;
    with the header row repeated on top of the second part, or not."""
    import copy

    from docx.oxml.ns import qn

    tbl = _indicator_table(document)
    rows = tbl.findall(qn("w:tr"))
    second = copy.deepcopy(tbl)
    for tr in second.findall(qn("w:tr")):
        second.remove(tr)
    if repeat_header:
        second.append(copy.deepcopy(rows[0]))
    for tr in rows[7:]:
        second.append(tr)
    gap = document.add_paragraph()._p  # the empty paragraph Word leaves between the two parts
    tbl.addnext(gap)
    gap.addnext(second)


@pytest.mark.parametrize("repeat_header", [True, False])
def test_word_table_split_across_pages_is_one_form(
    seed_docx: Path, tmp_path: Path, repeat_header: bool
) -> None:
    import docx

    document = docx.Document(str(seed_docx))
    _split(document, repeat_header)
    path = tmp_path / "split.docx"
    document.save(str(path))
    preview, form = _word_form(path)
    assert indicators_of(form) == indicators_of(_original())
    part = next(p for p in preview.recognised if p.form == PROJECT)
    continued = [c for c in part.checks if "已按上一表格的列作为续表导入" in c]
    assert len(continued) == (0 if repeat_header else 1)


def test_word_tables_inside_a_layout_table_or_a_content_control(seed_docx: Path, tmp_path: Path) -> None:
    """Forms pasted into the one cell of a framing table, or kept in a content control (w:sdt)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document(str(seed_docx))
    tbl = _indicator_table(document)
    header = tbl.getprevious()
    while header.tag != qn("w:tbl"):
        header = header.getprevious()
    frame = document.add_table(rows=1, cols=1)._tbl
    header.addprevious(frame)
    cell = frame.find(qn("w:tr")).find(qn("w:tc"))
    cell.insert(len(cell) - 1, header)  # a cell ends with a paragraph
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    sdt.append(content)
    tbl.addprevious(sdt)
    content.append(tbl)
    path = tmp_path / "framed.docx"
    document.save(str(path))
    _preview, form = _word_form(path)
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())


# ---- formulas, other files ------------------------------------------------------------------
def test_formulas_without_saved_results_are_named_not_read_as_zero(
    seed_xlsx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openpyxl (like other programs writing .xlsx) saves formulas with no result: data_only would
    give None. Those the importer cannot work out (a function other than SUM, another sheet) are
    left out, never 0, and the preview says to open and save the file."""
    from core.cli import main

    wb, ws = one_sheet(seed_xlsx)
    ws["F6"] = "=ROUND(F7+F9,2)"
    ws["H13"] = "=Sheet2!G13"
    path = tmp_path / "formulas.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    total = form.fund("total")
    assert total is not None and total.executed == ""
    assert form.indicators[0].score == ""
    assert part.checks[0].startswith("有 2 个公式单元格没有保存计算结果")
    assert {s.cell for s in part.skipped if "公式" in s.reason} == {f"{SHEET}!F6", f"{SHEET}!H13"}
    assert main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert (
        "请核对：有 2 个公式单元格没有保存计算结果" in out
        and f"未导入 {SHEET}!F6：公式没有保存计算结果" in out
    )


def test_xlsm_reads_as_xlsx(seed_xlsx: Path, tmp_path: Path) -> None:
    wb, _ws = one_sheet(seed_xlsx)
    path = tmp_path / "宏.xlsm"
    wb.save(path)
    _preview, part, form = imported(path)
    assert indicators_of(form) == indicators_of(_original()) and not part.notes


def _ole(path: Path, stream: str) -> Path:
    """A compound (OLE) file whose one stream is named ``stream``: xlwt's .xls with the stream renamed
    (WordDocument is what a .doc or WPS 文字 .wps holds; another name stands for a binary workbook
    calamine cannot read, as a WPS-only .et)."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    book.add_sheet("Sheet1").write(0, 0, "项目名称")
    book.save(str(path))
    data = bytearray(path.read_bytes())
    at = data.find("Workbook".encode("utf-16-le"))
    name = stream.encode("utf-16-le") + b"\0\0"
    data[at : at + 64] = name + b"\0" * (64 - len(name))
    data[at + 64 : at + 66] = len(name).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


def _salary_table(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "部门", "基本工资", "绩效工资", "合计"])
    wb.active.append(["张三", "办公室", 5000, 1200, 6200])
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: _salary_table(p / "工资表.xlsx"), "工资表.xlsx：不是自评表、申报表或一体化指标模板"),
        (lambda p: _ole(p / "去年报告.wps", "WordDocument"), "请在 Word/WPS 中打开，另存为 .docx 后再导入"),
        (lambda p: _ole(p / "去年报告.doc", "WordDocument"), "是旧版 Word（.doc）或 WPS 文字（.wps）文件"),
        (lambda p: _ole(p / "自评表.et", "ETWorkbook"), "是 WPS 表格专用格式（.et），无法直接读取"),
    ],
)
def test_files_that_are_not_forms_say_so_and_leave_the_report_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, words: str
) -> None:
    from core.cli import main
    from core.report import Document

    source = make(tmp_path)
    into = tmp_path / "mine.zpdb"
    Document.create(into, SEED).close()
    before = into.read_bytes()
    assert main(["import", str(source), "--into", str(into)]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err and "Traceback" not in err
    assert into.read_bytes() == before


def test_declaration_export_with_separate_operator_and_unit_columns(tmp_path: Path) -> None:
    """The 一体化 绩效目标申报表 as exported: amounts in 元 (said in a "单位：元" line), 计算符号 |
    指标值 | 计量单位 | 指标性质 in columns, "*" where an indicator has no unit."""
    wb = openpyxl.Workbook()
    ws = wb.active
    rows: list[list[Any]] = [
        ["项目支出绩效目标申报表"],
        ["（2024年度）"],
        ["", "", "", "", "单位：元"],
        ["项目名称", "干部培训项目"],
        ["主管部门及代码", "[101]某局", "", "实施单位", "某中心"],
        ["项目资金", "年度资金申请总额", "1,000,000.00"],
        ["", "其中：财政拨款", "800000"],
        ["", "上年结转", "200000"],
        ["", "其他资金", "0"],
        ["年度总体目标", "完成全年干部培训任务"],
        ["一级指标", "二级指标", "三级指标", "计算符号", "指标值", "计量单位", "指标性质"],
        ["产出指标", "数量指标", "培训人次", "≥", "1000", "人次", "正向指标"],
        ["", "时效指标", "完成时间", "≤", "12", "月", "反向指标"],
        ["效益指标", "社会效益指标", "干部能力提升", "定性", "有效提升", "*", ""],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A6:A9")
    ws.merge_cells("A12:A13")
    path = tmp_path / "申报表.xlsx"
    wb.save(path)
    preview = preview_files([path])
    (part,) = preview.recognised
    assert part.recognised_as == "绩效目标申报表" and not part.checks
    form = build_report(preview, template="mof").projects[0]
    assert [(r.key, r.initial) for r in form.funds if r.initial] == [
        ("total", "100"),
        ("current", "80"),
        ("carryover", "20"),
        ("other", "0"),
    ]
    assert [(i.level1, i.level3, i.target) for i in form.indicators] == [
        ("产出指标", "培训人次", "≥1000人次"),
        ("产出指标", "完成时间", "≤12月"),
        ("效益指标", "干部能力提升", "有效提升"),
    ]


def test_weights_written_as_percentages(seed_xlsx: Path, tmp_path: Path) -> None:
    """A 权重 column of "10%": the points of a 100-point form, read as such and flagged once."""
    wb, ws = one_sheet(seed_xlsx)
    cell_of(ws, "分值").value = "权重"
    for r in range(13, 25):
        if isinstance(ws.cell(r, 7).value, int):
            ws.cell(r, 7).value = f"{ws.cell(r, 7).value}％"
    path = tmp_path / "percent.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert indicators_of(form) == indicators_of(_original())
    assert part.checks == [f"指标权重按百分数填写（如{SHEET}!G13的“10％”），已按分值 10 导入，请核对"]
    assert not part.skipped


def test_labels_and_values_typed_in_one_cell(seed_xlsx: Path, tmp_path: Path) -> None:
    """ "项目名称：业务工作经费" and "主管部门：…　实施单位：…" each in one merged cell."""
    wb, ws = one_sheet(seed_xlsx)
    ws.title = "Sheet1"
    for rng in [r for r in ws.merged_cells.ranges if r.min_row in (3, 4)]:
        ws.unmerge_cells(rng.coord)
    for col in "ABCDEFGHI":
        ws[f"{col}3"] = ws[f"{col}4"] = None
    ws["A3"] = "项目名称：业务工作经费"
    ws["A4"] = "主管部门：中国共产党益阳市委员会组织部　　实施单位：益阳市委组织部干部科"
    ws.merge_cells("A3:I3")
    ws.merge_cells("A4:I4")
    path = tmp_path / "inline.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert (form.name, form.supervisor, form.implementer) == (
        PROJECT,
        "中国共产党益阳市委员会组织部",
        "益阳市委组织部干部科",
    )
    assert indicators_of(form) == indicators_of(_original()) and not part.checks


def test_a_project_named_only_in_the_title(seed_xlsx: Path, tmp_path: Path) -> None:
    wb, ws = one_sheet(seed_xlsx)
    ws.title = "Sheet1"
    ws["A2"] = "2023年度业务工作经费项目支出绩效自评表"
    ws["A3"] = ws["B3"] = None
    path = tmp_path / "title.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert form.name == PROJECT
    assert part.checks == ["表中项目名称为空，已用标题中的“业务工作经费”作为项目名称，请核对"]


def test_flat_indicator_lists_of_hubei_and_chongqing(tmp_path: Path) -> None:
    """湖北's flat list scores in 实际得分; 重庆's 得分系数(%) is a share of the weight: never read as
    the score, only checked against it (100 % of 20 is the printed 20: nothing to ask)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "业务工作经费"])
    ws.append(["指标名称", "计算符号", "指标值", "实际完成值", "计量单位", "权重", "实际得分", "得分系数(%)"])
    ws.append(["培训人次", "≥", "100", "120", "人次", "20", "20", "100"])
    ws.append(["学员满意度", "≥", "90", "96", "%", "10", "10", "100"])
    path = tmp_path / "flat.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert [(i.level3, i.target, i.actual, i.weight, i.score) for i in form.indicators] == [
        ("培训人次", "≥100人次", "120人次", "20", "20"),
        ("学员满意度", "≥90%", "96%", "10", "10"),
    ]
    assert not part.skipped and not part.checks


def test_two_fund_columns_with_alike_titles_are_flagged(seed_xlsx: Path, tmp_path: Path) -> None:
    """ "年初预算数 | 调整预算数 | 全年预算数": two columns read as 全年预算数; the first is taken and the
    preview asks to check."""
    wb, ws = one_sheet(seed_xlsx)
    cell_of(ws, "全年预算数").value = "调整预算数"
    cell_of(ws, "全年执行数").value = "全年预算数"
    path = tmp_path / "alike.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    total = form.fund("total")
    assert total is not None and (total.annual, total.executed) == ("709.5", "")
    assert part.checks == [
        f"资金表有两列都像“调整预算数”：已按 {SHEET}!E5 所在列导入，"
        f"{SHEET}!F5“全年预算数”所在列未导入，请核对"
    ]


@pytest.mark.parametrize("seed", ["seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"])
def test_the_seeds_own_exports_ask_nothing(seed: str, tmp_path: Path) -> None:
    """No 请核对 on a clean file: the checks stay rare enough to be read (评分表 sheets, whose title
    names their project, are not 'forms without a name')."""
    from core.export.docx import write_docx

    report = read_json_file(FIXTURES / f"{seed}.json")
    for path, writer in ((tmp_path / "a.xlsx", write_xlsx), (tmp_path / "a.docx", write_docx)):
        writer(report, path, template=get_template(report.template))
        assert [(p.part, p.checks) for p in preview_files([path]).sources if p.checks] == []
