"""Last year's files as offices really make them, beyond the seed's own exports: Word tables kept in
content controls or drawn with rows that start further right, text boxes, and the other variants
below. Each file is written here (python-docx, openpyxl) from the seed's export and read back: it
reads as the seed, or the preview says clearly what was left out and why."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from core.importers.api import build_report, preview_files
from core.templates import get_template
from tests.core.test_import_variants import (
    PROJECT,
    SEED,
    SHEET,
    _indicator_table,
    _original,
    _word_form,
    funds_of,
    imported,
    indicators_of,
    insert_cols,
    insert_rows,
    one_sheet,
)


# ---- last year's ZiPing workbook, edited in Excel ----------------------------------------------
def test_an_edited_export_loses_only_the_line_breaks_it_chose(seed_xlsx: Path, tmp_path: Path) -> None:
    """The export ends long lines where it chose (listed in the workbook's properties by sheet and
    cell); after a 序号 column and a title row are inserted and the sheet renamed, the texts are found
    by their own content and read back on one line, as typed."""
    wb, ws = one_sheet(seed_xlsx)
    insert_cols(ws, 1)
    insert_rows(ws, 1)
    ws["A1"] = "益阳市2023年度项目绩效自评（上年）"
    ws["A13"] = "序号"
    ws.title = "Sheet1"
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    _preview, _part, form = imported(path)
    assert [(g.goal, g.achieved) for g in form.goals] == [(g.goal, g.achieved) for g in _original().goals]
    assert "\n" in wb["Sheet1"]["C12"].value  # (the goal's cell: the export did end a line in it)
    assert indicators_of(form) == indicators_of(_original())


# ---- Word: content controls, rows that start further right, text boxes ----------------------
def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(f"w:{tag}"))


def _control(*children: Any) -> Any:
    """A content control (w:sdt) holding ``children``, as Word's 开发工具 → 格式文本/重复节 makes one."""
    from docx.oxml import OxmlElement

    sdt, props, content = OxmlElement("w:sdt"), OxmlElement("w:sdtPr"), OxmlElement("w:sdtContent")
    sdt.append(props)
    sdt.append(content)
    for child in children:
        content.append(child)
    return sdt


def _header_table(document: Any) -> Any:
    tbl = _indicator_table(document)
    header = tbl.getprevious()
    while header.tag != _w("tbl"):
        header = header.getprevious()
    return header


def test_word_cells_and_rows_kept_in_content_controls(seed_docx: Path, tmp_path: Path) -> None:
    """A form template's fields are content controls: around a cell's paragraphs (the amounts), around
    a whole cell (a 三级指标), and a repeating section around rows. Each reads as plain cells."""
    import docx

    document = docx.Document(str(seed_docx))
    for tr in _header_table(document).findall(_w("tr"))[3:5]:  # 年度资金总额, 当年财政拨款
        for tc in tr.findall(_w("tc"))[2:5]:
            paragraphs = tc.findall(_w("p"))
            for p in paragraphs:
                tc.remove(p)
            tc.append(_control(*paragraphs))
    rows = _indicator_table(document).findall(_w("tr"))
    tc = rows[3].findall(_w("tc"))[3]  # 公务员招录差错率: the cell itself in a control
    holder = _control()
    tc.addprevious(holder)
    holder.find(_w("sdtContent")).append(tc)
    section = _control()  # a repeating section of two rows
    rows[4].addprevious(section)
    for tr in rows[4:6]:
        section.find(_w("sdtContent")).append(tr)
    path = tmp_path / "controls.docx"
    document.save(str(path))
    _preview, form = _word_form(path)
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())


def test_word_rows_that_start_further_right_keep_their_columns(seed_docx: Path, tmp_path: Path) -> None:
    """A row whose first cell was deleted (Word keeps the gap as w:gridBefore): its cells stay under
    their own headers, not one column to the left."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document(str(seed_docx))
    for tr in _indicator_table(document).findall(_w("tr"))[1:]:
        first = tr.find(_w("tc"))
        if "".join(first.itertext()).strip():
            continue
        tr.remove(first)
        props = tr.find(_w("trPr"))
        if props is None:
            props = OxmlElement("w:trPr")
            tr.insert(0, props)
        before = OxmlElement("w:gridBefore")
        before.set(_w("val"), "1")
        props.insert(0, before)
    path = tmp_path / "grid_before.docx"
    document.save(str(path))
    _preview, form = _word_form(path)
    assert indicators_of(form) == indicators_of(_original())


@pytest.mark.parametrize("dropped", [False, True])
def test_a_word_row_with_a_damaged_grid_before_is_read_not_dropped(
    seed_docx: Path, tmp_path: Path, dropped: bool
) -> None:
    """A row whose w:gridBefore is damaged (9999, more columns than the table has) was read off the
    table's right edge and left out, silently (reviewer's note). A row whose own cells fill the table
    can start nowhere but at its first column: read there. A row short of cells is read ending at
    the table's last column, and the preview asks, naming the table and the row."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document(str(seed_docx))
    tbl = _indicator_table(document)
    number = 1 + [t._tbl for t in document.tables].index(tbl)
    rows = tbl.findall(_w("tr"))
    at = next(i for i, tr in enumerate(rows) if i and not "".join(tr.find(_w("tc")).itertext()).strip())
    tr = rows[at]
    if dropped:
        tr.remove(tr.find(_w("tc")))
    props = tr.find(_w("trPr"))
    if props is None:
        props = OxmlElement("w:trPr")
        tr.insert(0, props)
    before = OxmlElement("w:gridBefore")
    before.set(_w("val"), "9999")
    props.insert(0, before)
    path = tmp_path / "grid_before_9999.docx"
    document.save(str(path))
    preview, form = _word_form(path)
    assert indicators_of(form) == indicators_of(_original())
    asked = [c for part in preview.sources for c in part.checks if "9999" in c]
    if dropped:
        assert asked == [
            f"表格{number} 第{at + 1}行：行首空出的列数（9999）超出表格的列数（文件可能已损坏），"
            "已按该行最后一格对齐表格最后一列读取，请核对"
        ]
    else:
        assert not asked


def test_word_text_box_in_a_cell_is_read_once(seed_docx: Path, tmp_path: Path) -> None:
    """Word saves a text box twice (mc:Choice for itself, mc:Fallback for older programs)."""
    import docx
    from lxml import etree

    document = docx.Document(str(seed_docx))
    row = _indicator_table(document).findall(_w("tr"))[1]
    cell = row.findall(_w("tc"))[-1]  # 偏差原因分析及改进措施, blank in the seed
    box = "<w:txbxContent><w:p><w:r><w:t>已整改</w:t></w:r></w:p></w:txbxContent>"
    run = etree.fromstring(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing>{box}</w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    cell.find(_w("p")).append(run)
    path = tmp_path / "textbox.docx"
    document.save(str(path))
    _preview, form = _word_form(path)
    expected = copy.deepcopy(indicators_of(_original()))
    expected[0] = (*expected[0][:7], "已整改")
    assert indicators_of(form) == expected


# ---- 一体化 import template ------------------------------------------------------------------
def test_a_qualitative_row_with_a_unit_keeps_its_words(tmp_path: Path) -> None:
    """An 一体化 file (here ZiPing's own, as the system gives it back) may fill 计量单位 on a 定性 row
    ("人" for 公务员招录人数): the unit goes with a number, never after the target's words."""
    import openpyxl

    from core.export.yth import export_yth
    from core.importers.api import build_report, preview_files

    files, _ = export_yth(SEED, tmp_path / "一体化", template=get_template(SEED.template))
    path = next(f.path for f in files if f.name == "业务工作经费")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.append(["效益指标", "社会效益指标", "干部队伍结构", "定性", None, "达成", "人", 5, 5])
    ws.append(["效益指标", "社会效益指标", "选调生留任人数", "≥", "20", 22, "人", 5, 5])
    wb.save(path)
    report = build_report(preview_files([path]), template=SEED.template, year=2023)
    form = report.form_by_name("业务工作经费")
    assert form is not None
    targets = {i.level3: (i.target, i.actual) for i in form.indicators}
    assert targets["公务员招录人数"] == ("根据实际工作需要录用", "达成")  # the seed's, in the file with 人
    assert targets["干部队伍结构"] == ("定性", "达成")
    assert targets["选调生留任人数"] == ("≥20人", "22人")
    assert targets["招录公务员成本"] == ("≤2000元", "1765元")


# ---- last spring's 绩效目标申报表 ------------------------------------------------------------
def _declaration_form(path: Path, rows: list[list[Any]], merges: tuple[str, ...] = ()) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    for merge in merges:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def _declared(path: Path) -> tuple[Any, Any]:
    from core.importers.api import build_report, preview_files

    preview = preview_files([path])
    (part,) = preview.recognised
    report = build_report(preview, template="hunan-yiyang", year=2024)
    (form,) = report.projects
    return part, form


def test_a_yth_targets_table_with_its_whole_period_funds_and_direction_words(tmp_path: Path) -> None:
    """An 一体化 system's 项目支出绩效目标表 (no 申报 in its title): the whole period's 项目资金总额 and
    财政资金 beside the year's, 指标性质 定量/定性 and a 指标方向性 column of 正向/反向 words."""
    path = _declaration_form(
        tmp_path / "目标表.xlsx",
        [
            ["2024年度项目支出绩效目标表"],
            ["", "", "", "", "", "单位：万元"],
            ["项目名称", "干部教育培训经费", "", "项目编码", "51000024R000000012345"],
            ["主管部门", "中共某市委组织部", "", "实施单位", "某市委党校"],
            ["项目资金", "项目资金总额", 360, "", "财政资金", 300],
            ["", "年度资金申请总额", 120, "", "其中：当年财政拨款", 100],
            ["", "", "", "", "上年结转资金", 0],
            ["", "", "", "", "其他资金", 20],
            ["年度总体目标", "全年培训干部4000人次，干部素质能力有效提升。"],
            ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重（%）", "指标方向性"],
            ["产出指标", "数量指标", "培训人次", "定量", "4000", "人次", "20", "正向指标"],
            ["产出指标", "成本指标", "人均培训成本", "定量", "300", "元", "10", "反向指标"],
            ["效益指标", "社会效益指标", "干部素质", "定性", "有所提升", "", "30", ""],
        ],
    )
    part, form = _declared(path)
    assert part.recognised_as == "绩效目标申报表"
    assert [(r.key, r.initial) for r in form.funds] == [
        ("total", "120"),
        ("current", "100"),
        ("carryover", "0"),
        ("other", "20"),
    ]
    assert [(i.level3, i.target, i.direction) for i in form.indicators] == [
        ("培训人次", "4000人次", "≥"),
        ("人均培训成本", "300元", "≤"),
        ("干部素质", "有所提升", ""),
    ]


def test_the_national_declaration_form_with_medium_term_and_annual_side_by_side(tmp_path: Path) -> None:
    """财政部's 项目支出绩效目标申报表 prints 中期 (the whole project period) and 年度 side by side: funds,
    goals and indicators. A self-evaluation takes the 年度 ones; the 中期 are named as left out."""
    path = _declaration_form(
        tmp_path / "申报表.xlsx",
        [
            ["项目支出绩效目标申报表"],
            ["（2024年度）"],
            ["项目名称", "干部教育培训经费"],
            ["主管部门及代码", "[101]中共某市委组织部", "", "实施单位", "某市委党校"],
            ["项目属性", "延续项目", "", "项目期", "3年"],
            ["项目资金（万元）", "", "中期资金总额：", 500, "", "年度资金总额：", 120],
            ["", "", "其中：财政拨款", 400, "", "其中：财政拨款", 100],
            ["", "", "其他资金", 100, "", "其他资金", 20],
            ["总体目标", "中期目标（2024年－2026年）", "", "", "年度目标"],
            ["", "目标1：三年培训干部12000人次", "", "", "目标1：全年培训干部4000人次"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
            ["", "产出指标", "数量指标", "培训人次", "≥12000人次", "数量指标", "培训人次", "≥4000人次"],
            ["", "", "质量指标", "合格率", "≥95%", "质量指标", "合格率", "≥96%"],
            ["", "满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "服务对象满意度指标"]
            + ["学员满意度", "≥92%"],
        ],
        ("A6:B8", "A9:A10", "B9:D9", "E9:H9", "B10:D10", "E10:H10", "A11:A14"),
    )
    part, form = _declared(path)
    assert [(r.key, r.initial) for r in form.funds] == [
        ("total", "120"),
        ("current", "100"),
        ("carryover", ""),
        ("other", "20"),
    ]
    assert [(g.goal, g.achieved) for g in form.goals] == [("目标1：全年培训干部4000人次", "")]
    assert [(i.level1, i.level2, i.level3, i.target) for i in form.indicators] == [
        ("产出指标", "数量指标", "培训人次", "≥4000人次"),
        ("产出指标", "质量指标", "合格率", "≥96%"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥92%"),
    ]
    assert not part.checks
    left_out = {s.cell: s.reason for s in part.skipped}
    assert left_out["Sheet1!D7"].startswith("中期资金") and left_out["Sheet1!B10"].startswith("中期目标")
    assert left_out["Sheet1!E12"].startswith("中期指标")


# ---- control characters ------------------------------------------------------------------------
def test_line_breaks_pasted_from_word_into_excel(tmp_path: Path) -> None:
    """Text pasted from Word brings its manual line breaks (Shift+Enter) into Excel as vertical tabs,
    saved as _x000B_: read as line breaks (a name on one line), and the 一体化 file is written."""
    import zipfile

    import openpyxl

    from core.export.yth import export_yth
    from core.importers.api import build_report, preview_files

    files, _ = export_yth(SEED, tmp_path / "一体化", template=get_template(SEED.template))
    path = next(f.path for f in files if f.name == "业务工作经费")
    wb = openpyxl.load_workbook(path)
    wb.active["C2"] = "公务员VT招录人数"
    wb.active["K3"] = "按计划VT完成"
    wb.save(path)
    with zipfile.ZipFile(path) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data.replace(b"VT", b"_x000B_"))
    report = build_report(preview_files([path]), template=SEED.template, year=2023)
    form = report.form_by_name("业务工作经费")
    assert form is not None
    assert form.indicators[0].level3 == "公务员招录人数"
    assert form.indicators[1].brief == "按计划\n完成"
    written, _ = export_yth(report, tmp_path / "again", template=get_template(SEED.template))
    again = next(f.path for f in written if f.name == "业务工作经费")
    assert openpyxl.load_workbook(again).active["C2"].value == "公务员招录人数"


def test_the_yth_file_is_written_when_a_text_holds_a_control_character(tmp_path: Path) -> None:
    """A report whose texts hold a control character (from an older import or another tool's JSON):
    the 一体化 file is written without it instead of stopping the export."""
    import openpyxl

    from core.export.yth import export_yth
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    form = report.form_by_name("业务工作经费")
    assert form is not None
    form.indicators[0].brief = "按计划\x0b完成\x07"
    files, _ = export_yth(report, tmp_path / "一体化", template=get_template(report.template))
    path = next(f.path for f in files if f.name == "业务工作经费")
    assert openpyxl.load_workbook(path).active["K2"].value == "按计划完成"


# ---- typed by hand ------------------------------------------------------------------------------
def test_currency_signs_unbracketed_weights_and_a_date_that_lost_its_format(
    seed_xlsx: Path, tmp_path: Path
) -> None:
    """Amounts typed with the currency sign a 会计专用 cell shows (￥153.03), a 一级 label with its
    weight after it without brackets (满意度指标10分), and the 填报日期 of a date cell whose format was
    lost (45428, the serial Excel keeps): the amounts, the 一级 name and the date as meant."""
    wb, ws = one_sheet(seed_xlsx)
    ws["D6"], ws["E6"], ws["F7"] = "￥153.03", "¥709.50", "￥ 709.47"
    ws["B13"], ws["B24"] = "产出指标 50分", "满意度指标10分"
    ws.unmerge_cells("A27:I27")
    ws["A27"], ws["C27"], ws["D27"], ws["F27"] = "填表人：朱琳", "填报日期：", 45428, "联系电话：4225031"
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())
    assert not part.skipped and not part.checks
    assert part.raw is not None and part.raw.signoff is not None
    assert part.raw.signoff.date == "2024-05-16"


# ---- Excel 2003 XML (安徽/合肥 offline templates) in the encodings Chinese systems write ----------
@pytest.mark.parametrize(
    ("encoding", "declared"), [("gbk", "GBK"), ("gb18030", "gb2312"), ("utf-16", "UTF-16")]
)
def test_spreadsheetml_written_in_a_chinese_encoding_or_utf16(
    tmp_path: Path, encoding: str, declared: str
) -> None:
    """An offline template exported as Excel 2003 XML by a system that writes GBK (declared GBK or
    GB2312, which many GBK files are declared as) or UTF-16: read as the UTF-8 one, not refused as
    unsafe XML or as not a workbook."""
    from core.importers.api import build_report, preview_files
    from tests.core.test_importers import _spreadsheetml

    plain = _spreadsheetml(tmp_path / "utf8.xls")
    text = plain.read_text("utf-8").replace(
        '<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{declared}"?>'
    )
    path = tmp_path / f"安徽自评模板_{encoding}.xls"
    path.write_bytes(text.encode(encoding))
    read = [build_report(preview_files([p]), template="mof", year=2024).projects[0] for p in (plain, path)]
    assert read[1].name == "安徽试点项目"
    assert indicators_of(read[1]) == indicators_of(read[0]) and len(read[1].indicators) == 2
    assert funds_of(read[1]) == funds_of(read[0])


def test_spreadsheetml_in_an_unknown_encoding_says_so(tmp_path: Path) -> None:
    from core.importers.api import preview_files

    path = tmp_path / "模板.xls"
    path.write_bytes(
        b'<?xml version="1.0" encoding="x-unknown"?>'
        b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>'
    )
    assert preview_files([path]).nothing_reason() == (
        "模板.xls 的文字编码无法识别，请在 Excel/WPS 中打开，另存为 .xlsx 后再导入"
    )


# ---- an old .xls (BIFF8) ------------------------------------------------------------------------
def test_xls_hidden_rows_and_columns_are_left_out_as_in_an_xlsx(tmp_path: Path) -> None:
    """An .xls whose helper row (last year's row kept out of sight) and column are hidden: left out
    and named, as an .xlsx's are (calamine gives no hidden rows or columns of an .xls)."""
    xlwt = pytest.importorskip("xlwt")
    from core.importers.api import build_report, preview_files

    rows = [
        ["项目名称", "业务工作经费"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "上年得分"],
        ["产出指标", "数量指标", "培训人次", "≥100人次", "120人次", 50, 50, 45],
        ["产出指标", "数量指标", "（上年）培训人次", "≥80人次", "90人次", 50, 50, 50],
        ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "96%", 50, 50, 48],
    ]
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.row(3).hidden = True
    sheet.col(7).hidden = True
    path = tmp_path / "去年自评表.xls"
    book.save(str(path))
    preview = preview_files([path])
    (part,) = preview.recognised
    assert [(s.cell, s.reason[:6]) for s in part.skipped] == [
        ("Sheet1!H列", "隐藏列，未导"),
        ("Sheet1!4行", "隐藏行，未导"),
    ]
    (form,) = build_report(preview, template="mof", year=2023).projects
    assert [i.level3 for i in form.indicators] == ["培训人次", "学员满意度"]
    every = build_report(preview_files([path], include_hidden=True), template="mof", year=2023).projects[0]
    assert [i.level3 for i in every.indicators] == ["培训人次", "（上年）培训人次", "学员满意度"]


def test_a_yth_file_named_only_by_the_system_fills_the_project_its_indicators_name(tmp_path: Path) -> None:
    """The system names its file 项目支出绩效自评指标完成情况导入模板<date>.xls, with no project in it:
    imported into the report, it fills the project holding its 三级指标 names (as the system matches
    rows), and says so; not a new project named after the template."""
    import openpyxl

    from core.export.yth import export_yth
    from core.importers.api import FILL, merge_preview, preview_files
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    files, _ = export_yth(report, tmp_path / "一体化", template=get_template(report.template))
    path = tmp_path / "项目支出绩效自评指标完成情况导入模板20240301.xlsx"
    next(f.path for f in files if f.name == "业务工作经费").rename(path)
    wb = openpyxl.load_workbook(path)
    wb.active["J2"] = 1  # a 扣减分数 the bureau gave
    wb.save(path)
    preview = preview_files([path], report=report)
    (part,) = preview.recognised
    assert (part.action, part.form) == (FILL, "业务工作经费")
    assert part.checks == [
        "报告中没有名为“项目支出绩效自评指标完成情况导入模板20240301”的项目，"
        "已按三级指标名称（10/10 个相同）填入项目“业务工作经费”，请核对"
    ]
    count = len(report.forms)
    merge_preview(report, preview, template=get_template(report.template))
    assert len(report.forms) == count
    form = report.form_by_name("业务工作经费")
    assert form is not None and form.indicators[0].deduction == "1"


def test_a_yth_file_named_after_a_project_not_in_the_report_is_a_new_project(tmp_path: Path) -> None:
    """A file whose name says its project (our export's …导入模板_<项目>.xlsx) is that project, even
    when another project has the same 三级指标 (广元's 科技拔尖人才岗位激励资金2022 and 2023): a new
    project, as before, not the other one filled with its figures."""
    from core.export.yth import export_yth
    from core.importers.api import NEW, preview_files
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    files, _ = export_yth(report, tmp_path / "一体化", template=get_template(report.template))
    path = next(f.path for f in files if f.name == "科技拔尖人才岗位激励资金2023")
    report.forms = [f for f in report.forms if f.name != "科技拔尖人才岗位激励资金2023"]
    preview = preview_files([path], report=report)
    (part,) = preview.recognised
    assert (part.action, part.form, part.checks) == (NEW, "科技拔尖人才岗位激励资金2023", [])


# ---- the 自评报告's sections ------------------------------------------------------------------
def _sections_restyled(seed_docx: Path, tmp_path: Path, custom: bool) -> list[tuple[str, int]]:
    """The seed's report with its 一、二、… headings in a unit's own style whose 大纲级别 is 1级
    (``custom``), or in 标题 1 numbered by Word (the 一、 not in the text); read back into a new report."""
    import re

    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement

    from core.importers.api import build_report, preview_files

    document = docx.Document(str(seed_docx))
    number = re.compile(r"^[一二三四五六七八九十]+、")
    if custom:
        style = document.styles.add_style("报告一级标题", WD_STYLE_TYPE.PARAGRAPH)
        outline = OxmlElement("w:outlineLvl")
        outline.set(_w("val"), "0")
        style.element.get_or_add_pPr().append(outline)
    else:
        style = document.styles["Heading 1"]
    for paragraph in document.paragraphs:
        if number.match(paragraph.text) and len(paragraph.text) <= 40:
            paragraph.style = style
            text = number.sub("", paragraph.text)
            for run in paragraph.runs[1:]:
                run._r.getparent().remove(run._r)
            paragraph.runs[0].text = text
    path = tmp_path / "报告.docx"
    document.save(str(path))
    report = build_report(preview_files([path]), template=SEED.template, year=2023)
    return [(s.title, len(s.text)) for s in report.narrative]


@pytest.mark.parametrize("custom", [True, False])
def test_report_sections_in_a_units_own_heading_style_or_numbered_by_word(
    seed_docx: Path, tmp_path: Path, custom: bool
) -> None:
    """Each section is found and keeps its title as the template numbers it, its text whole."""
    assert _sections_restyled(seed_docx, tmp_path, custom) == [(s.title, len(s.text)) for s in SEED.narrative]


@pytest.mark.parametrize(("title", "typed"), [("执行率(%)", 100), ("执行率（％）", "100"), ("执行率", 100)])
# (a fraction under 执行率（%）, as systems print it, stays a fraction: test_import_yth_exports)
def test_an_execution_rate_typed_in_percent(seed_xlsx: Path, tmp_path: Path, title: str, typed: Any) -> None:
    """执行率 typed as 100 (a number no rate can be as a fraction, under whatever title): the printed
    rate is 100%, not 10000% reported as differing from the 100.00% the figures give."""
    from core.rules import check_report

    wb, ws = one_sheet(seed_xlsx)
    ws["H5"], ws["H6"] = title, typed
    ws["H6"].number_format = "General"
    path = tmp_path / "rate.xlsx"
    wb.save(path)
    preview, _part, form = imported(path)
    total = form.fund("total")
    assert total is not None and total.printed_rate == "100%"
    report = build_report(preview, template=SEED.template, year=2023)
    rates = [p for p in check_report(report, get_template(SEED.template)) if p.column == "rate"]
    assert not [p for p in rates if p.form == form.name]


def test_a_title_of_the_units_own_above_the_forms_title(tmp_path: Path) -> None:
    """A row typed above the form ("2023年度自评表（修改稿）"): the form's own title below it still says
    what the form is (广元's 部门整体支出绩效目标自评表, which has no name row), not a nameless project."""
    import openpyxl

    from core.export.xlsx import write_xlsx
    from core.importers.api import preview_files
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    seed = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "guangyuan.xlsx"
    write_xlsx(seed, path, template=get_template(seed.template))
    wb = openpyxl.load_workbook(path)
    for name in wb.sheetnames[1:]:
        del wb[name]
    insert_rows(wb.worksheets[0], 1)
    wb.worksheets[0]["A1"] = "2023年度自评表（修改稿）"
    wb.save(path)
    preview = preview_files([path])
    (part,) = preview.recognised
    assert (part.kind, part.form) == ("overall", seed.forms[0].name)
    report = build_report(preview, template=seed.template, year=2023)
    assert report.overall is not None
    assert [i.level3 for i in report.overall.indicators] == [i.level3 for i in seed.forms[0].indicators]


# ---- files that are not the form -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "prefix"),
    [("~$自评表.xlsx", "~$"), ("~$上年自评报告.docx", "~$"), (".~lock.自评表.xlsx#", ".~lock.")],
)
def test_the_lock_file_beside_an_open_workbook_is_named_as_such(
    tmp_path: Path, name: str, prefix: str
) -> None:
    """While a file is open, Excel, Word and WPS keep a small owner file beside it (~$自评表.xlsx), and
    it is picked with the others: the reason says what it is and which file to choose instead."""
    from core.importers.api import preview_files

    path = tmp_path / name
    path.write_bytes(b"\x08zhangsan" + b" " * 45 + "zhangsan".encode("utf-16-le") + b"\x00" * 40)
    assert preview_files([path]).nothing_reason() == (
        f"{name} 是 Excel、WPS 或 Word 打开文件时生成的临时文件（文件名以 {prefix} 开头），"
        f"不是表格本身；请选择同一文件夹中文件名不带 {prefix} 的原文件"
    )


# ---- a 评分表 table split across pages ----------------------------------------------------------
@pytest.mark.parametrize("repeat_header", [True, False])
def test_a_score_sheet_table_split_across_pages_is_one_score_sheet(
    tmp_path: Path, repeat_header: bool
) -> None:
    """广元's 部门整体 评分表 broken in two in Word (its two header rows repeated on the second part, or
    not): its items are the seed's, those after the break under the 一级/二级 merged over them above;
    not a second 评分表 of a project (dropped) nor a table left out."""
    import docx

    from core.export.docx import write_docx
    from core.importers.api import preview_files
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    seed = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "guangyuan.docx"
    write_docx(seed, path, template=get_template(seed.template))
    document = docx.Document(str(path))
    tbl = next(t._tbl for t in document.tables if "评价要点" in "".join(t._tbl.itertext()))
    rows = tbl.findall(_w("tr"))
    header = next(i for i, tr in enumerate(rows) if "".join(tr.itertext()).startswith("一级指标"))
    cut = header + 1 + (len(rows) - header - 1) // 2
    second = copy.deepcopy(tbl)
    for tr in second.findall(_w("tr")):
        second.remove(tr)
    for tr in rows[header - 1 : header + 1] if repeat_header else []:
        second.append(copy.deepcopy(tr))
    for tr in rows[cut:]:
        second.append(tr)
    gap = document.add_paragraph("（续表）")._p
    tbl.addnext(gap)
    gap.addnext(second)
    document.save(str(path))
    report = build_report(preview_files([path]), template=seed.template, year=2023)
    assert report.overall is not None and seed.overall is not None
    got = [(tuple(s.path), s.weight, s.self_score) for s in report.overall.score_sheet]
    assert got == [(tuple(s.path), s.weight, s.self_score) for s in seed.overall.score_sheet]


def test_a_yth_target_typed_with_its_operator_as_well(tmp_path: Path) -> None:
    """指标值 typed as "≥1" (or "≤2000元") beside 计算符号 ≥: one operator, not ≥≥1次."""
    import openpyxl

    from core.export.yth import export_yth
    from core.importers.api import preview_files

    files, _ = export_yth(SEED, tmp_path / "一体化", template=get_template(SEED.template))
    path = next(f.path for f in files if f.name == "业务工作经费")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert (ws["D3"].value, ws["E3"].value, ws["D7"].value, ws["E7"].value) == ("≥", 1, "≤", 2000)
    ws["E3"], ws["E7"] = "≥1", "≤ 2000元"
    wb.save(path)
    report = build_report(preview_files([path]), template=SEED.template, year=2023)
    form = report.form_by_name("业务工作经费")
    assert form is not None
    assert [form.indicators[i].target for i in (1, 5)] == ["≥1次", "≤ 2000元"]


def test_word_indicator_table_pasted_into_a_cell_of_the_form(seed_docx: Path, tmp_path: Path) -> None:
    """The indicator table pasted into the cell beside 绩效指标 of the form's table (a nested table, as
    WPS makes when a table is pasted into a cell): read as the form's indicator table, not flattened
    into one cell's text (and then read as a goal)."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document(str(seed_docx))
    header, tbl = _header_table(document), _indicator_table(document)
    row, label, holder = OxmlElement("w:tr"), OxmlElement("w:tc"), OxmlElement("w:tc")
    label.append(OxmlElement("w:p"))
    label.find(_w("p")).append(OxmlElement("w:r"))
    label.find(f"{_w('p')}/{_w('r')}").append(OxmlElement("w:t"))
    label.find(f"{_w('p')}/{_w('r')}/{_w('t')}").text = "绩效指标"
    props, span = OxmlElement("w:tcPr"), OxmlElement("w:gridSpan")
    span.set(_w("val"), "8")
    props.append(span)
    holder.append(props)
    tbl.getparent().remove(tbl)
    holder.append(tbl)
    holder.append(OxmlElement("w:p"))  # a cell ends with a paragraph
    row.append(label)
    row.append(holder)
    header.append(row)
    path = tmp_path / "nested.docx"
    document.save(str(path))
    _preview, form = _word_form(path)
    assert [(g.goal, g.achieved) for g in form.goals] == [(g.goal, g.achieved) for g in _original().goals]
    assert indicators_of(form) == indicators_of(_original())


def test_a_batch_export_of_every_projects_indicators_on_one_sheet(tmp_path: Path) -> None:
    """A department's batch export: one indicator per row with 项目编码 and 项目名称 columns. Each
    project's rows fill that project (not one form holding every project's indicators)."""
    import openpyxl

    from core.importers.api import FILL, merge_preview, preview_files
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        ["序号", "项目编码", "项目名称", "一级指标", "二级指标", "三级指标名称", "指标值", "实际完成值"]
    )
    ws.append([None] * 8)
    ws.append(["", "", "", "", "", "", "", ""])
    for n, form in enumerate(report.projects):
        for ind in form.indicators:
            if ind.level3:
                actual = f"{form.name[:2]}-{ind.actual}"
                ws.append(
                    [
                        ws.max_row,
                        f"43090{n}",
                        form.name,
                        ind.level1,
                        ind.level2,
                        ind.level3,
                        ind.target,
                        actual,
                    ]
                )
    path = tmp_path / "项目绩效指标完成情况.xlsx"
    wb.save(path)
    preview = preview_files([path], report=report)
    assert [(p.form, p.action, p.rows) for p in preview.recognised] == [
        (f.name, FILL, {"indicators": sum(1 for i in f.indicators if i.level3)}) for f in report.projects
    ]
    merge_preview(report, preview, overwrite=True, template=get_template(report.template))
    assert len(report.projects) == 3
    for form in report.projects:
        assert all(i.actual.startswith(form.name[:2] + "-") for i in form.indicators if i.level3), form.name


def test_second_level_names_printed_with_their_weights(seed_xlsx: Path, tmp_path: Path) -> None:
    """二级 cells printed with their weight (数量指标（20分）, as the 一级 are): the 二级 name, as the
    rules and the 一体化 system know it; a name typed with a space keeps it."""
    wb, ws = one_sheet(seed_xlsx)
    ws["C13"], ws["C15"], ws["C24"] = "数量指标（20分）", "质量指标(10)", "服务对象满意度指标10分"
    ws["C20"] = "社会 效益指标"
    path = tmp_path / "level2.xlsx"
    wb.save(path)
    _preview, _part, form = imported(path)
    expected = [
        (i[0], "社会 效益指标" if i[1] == "社会效益指标" else i[1], *i[2:])
        for i in indicators_of(_original())
    ]
    assert indicators_of(form) == expected


def test_numbers_whose_format_prints_a_unit_read_as_shown(seed_xlsx: Path, tmp_path: Path) -> None:
    """Numbers typed into cells formatted to print a unit (0"人", 0\\次, #,##0.00"万元", 0.0"%"): read
    with the unit the sheet shows (776人, a quoted % not multiplied by 100; a sign before it, ≥90%),
    the amounts as before."""
    wb, ws = one_sheet(seed_xlsx)
    for ref, value, fmt in [
        ("F13", 776, '0"人"'),
        ("F14", 2, "0\\次"),
        ("E6", 709.5, '#,##0.00"万元"'),
        ("F24", 96.81, '0.00"%"'),
        ("E24", 90, '[Red]"≥"0"%"'),  # (a prefix as well: the sign is shown, and read)
    ]:
        ws[ref] = value
        ws[ref].number_format = fmt
    path = tmp_path / "formats.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form) == funds_of(_original())
    assert [(i.target, i.actual) for i in form.indicators][:2] == [
        ("根据实际工作需要录用", "776人"),
        ("≥1 次", "2次"),
    ]
    assert (form.indicators[11].target, form.indicators[11].actual) == ("≥90%", "96.81%")
    assert not part.checks


def test_spreadsheetml_numbers_whose_format_prints_a_unit(tmp_path: Path) -> None:
    """An 安徽 offline template (Excel 2003 XML) whose 实际完成值 cell prints 120 as 120人."""
    from core.importers.readers import read_file

    path = tmp_path / "安徽自评模板.xml"
    path.write_text(
        '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Styles><Style ss:ID="u">'
        '<NumberFormat ss:Format="0&quot;人&quot;"/></Style></Styles><Worksheet ss:Name="Sheet1"><Table><Row>'
        '<Cell ss:StyleID="u"><Data ss:Type="Number">120</Data></Cell>'
        '<Cell><Data ss:Type="Number">120</Data></Cell></Row></Table></Worksheet></Workbook>',
        encoding="utf-8",
    )
    (grid,) = read_file(path).grids
    assert grid.cells == [["120人", "120"]]


def test_xls_numbers_whose_format_prints_a_unit(tmp_path: Path) -> None:
    """An .xls whose 实际完成值 cells print 120 as 120人 (calamine gives the number only: the format
    is read from the file's records, as its percentages are)."""
    xlwt = pytest.importorskip("xlwt")
    from core.importers.readers import read_file

    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    sheet.write(0, 0, 120, xlwt.easyxf(num_format_str='0"人"'))
    sheet.write(0, 1, 96, xlwt.easyxf(num_format_str="0\\次"))
    sheet.write(0, 2, 120)
    path = tmp_path / "去年自评表.xls"
    book.save(str(path))
    (grid,) = read_file(path).grids
    assert grid.cells == [["120人", "96次", "120"]]


def test_weights_typed_as_shares_of_the_total(seed_xlsx: Path, tmp_path: Path) -> None:
    """A 权重 column filled with proportions (0.1 for 10 points; together 0.9, the indicators' share):
    read as points and asked about at each cell, not 0.1 points each (every score above its weight)."""
    wb, ws = one_sheet(seed_xlsx)
    ws["G12"] = "权重"
    for row in range(13, 25):
        if isinstance(ws.cell(row, 7).value, int | float):
            ws.cell(row, 7).value /= 100
    path = tmp_path / "shares.xlsx"
    wb.save(path)
    preview, part, form = imported(path)
    assert indicators_of(form) == indicators_of(_original())
    assert part.checks == [
        "指标分值都不大于 1、合计为 0.9（按占总分的比例填写），已按分值导入（0.1 即 10 分），请核对"
    ]
    assert len([f for f in form.review_flags if f.cell_column == "weight"]) == 10


def test_rows_a_filter_hides_are_named_as_filtered_out(seed_xlsx: Path, tmp_path: Path) -> None:
    """A sheet saved with a filter on (自动筛选, one 二级 shown): the rows it hides are left out, as
    hidden rows are, and the preview says they are the filter's, and how to bring them back."""
    wb, ws = one_sheet(seed_xlsx)
    ws.auto_filter.ref = "A12:I24"
    for row in (15, 16):
        ws.row_dimensions[row].hidden = True
    path = tmp_path / "filtered.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert len(form.indicators) == 10
    assert [(s.cell, s.reason) for s in part.skipped] == [
        (
            f"{SHEET}!{row}行",
            "筛选中未显示的行（工作表设置了筛选），未导入（可在 Excel/WPS 中取消筛选后再导入；"
            "如需导入，请勾选“包括隐藏内容”（命令行加 --include-hidden））",
        )
        for row in (15, 16)
    ]


def test_the_command_line_preview_names_the_tables_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.cli import main
    from tests.core.test_importers import _spreadsheetml

    path = _spreadsheetml(tmp_path / "安徽自评模板.xls")
    assert main(["import", str(path), "--dry-run", "--year", "2024"]) == 0
    out = capsys.readouterr().out
    assert "（资金 1 行，目标 1 行，指标 2 行）" in out
    assert "funds" not in out and "indicators" not in out


@pytest.mark.parametrize(
    "titles",
    [
        ("年初预算", "调整后预算数", "决算数", "分值", "预算执行率", "得分"),
        ("年初批复数", "全年预算数", "全年支出数", "权重", "资金执行率", "自评得分"),
    ],
)
def test_funds_columns_under_other_offices_titles(
    seed_xlsx: Path, tmp_path: Path, titles: tuple[str, ...]
) -> None:
    """The funds table's titles as other offices print them (决算数 for 全年执行数, 年初批复数, 权重 …):
    every amount read, not the 执行数 or the whole header row silently lost."""
    wb, ws = one_sheet(seed_xlsx)
    for column, title in zip("DEFGHI", titles, strict=True):
        ws[f"{column}5"] = title
    path = tmp_path / "titles.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form) == funds_of(_original())
    total = form.fund("total")
    assert total is not None and (total.printed_rate, total.printed_score, form.execution_weight) == (
        "100%",
        "10",
        "10",
    )
    assert not part.skipped


def test_a_funds_column_that_is_no_fund_column_is_named(seed_xlsx: Path, tmp_path: Path) -> None:
    wb, ws = one_sheet(seed_xlsx)
    ws["H5"] = "执行进度"
    path = tmp_path / "progress.xlsx"
    wb.save(path)
    _preview, part, _form = imported(path)
    assert [(s.cell, s.reason) for s in part.skipped] == [
        (f"{SHEET}!H6", "“执行进度”列不是资金表的列，未导入")
    ]


def test_indicator_columns_under_other_offices_titles(seed_xlsx: Path, tmp_path: Path) -> None:
    """全年指标值 | 全年实际值 | 满分 | 自评分: read as 年度指标值 | 实际完成值 | 分值 | 得分."""
    wb, ws = one_sheet(seed_xlsx)
    ws["E12"], ws["F12"], ws["G12"], ws["H12"] = "全年指标值", "全年实际值", "满分", "自评分"
    path = tmp_path / "titles.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert indicators_of(form) == indicators_of(_original())
    assert not part.skipped


def test_a_score_sheet_whose_level_cells_are_not_merged_but_left_blank(tmp_path: Path) -> None:
    """广元's 评分表 with its 一级/二级 cells unmerged (the name on the first row, the rows below
    blank, as after 取消合并): each item keeps its whole path, as the merged sheet gives it."""
    import openpyxl

    from core.export.xlsx import write_xlsx
    from core.importers.api import preview_files
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    seed = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "guangyuan.xlsx"
    write_xlsx(seed, path, template=get_template(seed.template))
    wb = openpyxl.load_workbook(path)
    for name in wb.sheetnames[2:]:
        del wb[name]
    for ws in wb.worksheets:
        for merged in list(ws.merged_cells.ranges):
            if merged.max_row > merged.min_row:
                ws.unmerge_cells(merged.coord)
    wb.save(path)
    report = build_report(preview_files([path]), template=seed.template, year=2023)
    assert report.overall is not None and seed.overall is not None
    got = [(tuple(s.path), s.weight, s.self_score) for s in report.overall.score_sheet]
    assert got == [(tuple(s.path), s.weight, s.self_score) for s in seed.overall.score_sheet]


def test_a_score_sheet_printed_below_its_form_on_the_same_sheet(tmp_path: Path) -> None:
    """广元's 项目 form with its 评分表 pasted below it on one sheet: the form (funds, goals,
    indicators) and its 评分表, not the 评分表 alone attached to a project named by its title."""
    import openpyxl

    from core.export.xlsx import write_xlsx
    from core.importers.api import preview_files
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    seed = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "guangyuan.xlsx"
    write_xlsx(seed, path, template=get_template(seed.template))
    wb = openpyxl.load_workbook(path)
    form_sheet, score_sheet = wb.worksheets[2], wb.worksheets[3]
    below = form_sheet.max_row + 2
    for row in score_sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                form_sheet.cell(cell.row + below, cell.column, cell.value)
    for merged in score_sheet.merged_cells.ranges:
        form_sheet.merge_cells(
            start_row=merged.min_row + below,
            start_column=merged.min_col,
            end_row=merged.max_row + below,
            end_column=merged.max_col,
        )
    for name in wb.sheetnames:
        if name != form_sheet.title:
            del wb[name]
    wb.save(path)
    report = build_report(preview_files([path]), template=seed.template, year=2023)
    form, expected = report.form_by_name(form_sheet.title), seed.form_by_name(form_sheet.title)
    assert form is not None and expected is not None
    assert [f.name for f in report.projects] == [expected.name]
    assert indicators_of(form) == indicators_of(expected)
    assert [(r.key, r.initial, r.annual, r.executed) for r in form.funds] == funds_of(expected)
    scored = [(tuple(s.path), s.weight, s.self_score) for s in form.score_sheet]
    assert scored == [(tuple(s.path), s.weight, s.self_score) for s in expected.score_sheet]


@pytest.mark.parametrize(
    "printed",
    [
        "[430900231000000012345]业务工作经费",
        "430900231000000012345-业务工作经费",
        "业务工作经费（430900231000000012345）",
    ],
)
def test_a_project_name_printed_with_its_code_fills_that_project(
    seed_xlsx: Path, tmp_path: Path, printed: str
) -> None:
    """An 一体化 export prints the 项目名称 with the system's 项目编码 attached: imported into the report,
    it fills 业务工作经费 (the code kept as its 项目编码), not a second project named with the code."""
    from core.importers.api import FILL, merge_preview, preview_files
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    wb, ws = one_sheet(seed_xlsx)
    ws["B3"] = printed
    path = tmp_path / "coded.xlsx"
    wb.save(path)
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    preview = preview_files([path], report=report)
    assert [(p.form, p.action) for p in preview.recognised] == [(PROJECT, FILL)]
    merge_preview(report, preview, template=get_template(report.template))
    form = report.form_by_name(PROJECT)
    assert len(report.projects) == 3 and form is not None and form.code == "430900231000000012345"


def test_a_target_whose_operator_contradicts_its_direction_is_asked_about(tmp_path: Path) -> None:
    """指标值 "≤4000" beside 指标方向性 正向指标: read as written, and the preview asks (review note)."""
    path = _declaration_form(
        tmp_path / "目标表.xlsx",
        [
            ["2024年度项目支出绩效目标表"],
            ["项目名称", "干部教育培训经费"],
            ["年度总体目标", "全年培训干部4000人次，干部素质能力有效提升。"],
            ["一级指标", "二级指标", "三级指标", "指标值", "度量单位", "指标方向性"],
            ["产出指标", "数量指标", "培训人次", "≤4000", "人次", "正向指标"],
            ["产出指标", "质量指标", "合格率", "≥95", "%", "正向指标"],
            ["产出指标", "成本指标", "人均培训成本", "300", "元", "反向指标"],
        ],
    )
    part, form = _declared(path)
    assert [(i.target, i.direction) for i in form.indicators] == [
        ("≤4000人次", "≥"),
        ("≥95%", "≥"),
        ("300元", "≤"),
    ]
    assert part.checks == ["Sheet1!D5：指标值“≤4000人次”的符号与指标方向（≥）相反，已按表中内容导入，请核对"]


def test_word_small_table_pasted_into_a_cell_is_the_cells_text(seed_docx: Path, tmp_path: Path) -> None:
    """A table of two rows and two columns pasted into a 三级指标 cell that is not an indicator table
    (no 一级/二级/三级指标 header) is read as that cell's text, as before the indicator-table case
    (reviewer's note on bba2397): the cell does not read blank, no extra 表格 part appears, and the
    parts keep the numbers of the tables the user sees in Word."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document(str(seed_docx))
    before = [p.part for p in preview_files([seed_docx]).sources]
    tc = _indicator_table(document).findall(_w("tr"))[3].findall(_w("tc"))[3]
    assert "".join(t.text or "" for t in tc.iter(_w("t"))) == "公务员招录差错率"
    for p in tc.findall(_w("p")):
        tc.remove(p)
    small = document.add_table(rows=2, cols=2)
    for (r, c), text in zip([(0, 0), (0, 1), (1, 0), (1, 1)], ["公务员招", "甲", "录差错率", "乙"]):
        small.cell(r, c).text = text
    tbl = small._tbl
    tbl.getparent().remove(tbl)
    tc.append(tbl)
    tc.append(OxmlElement("w:p"))
    path = tmp_path / "small-nested.docx"
    document.save(str(path))
    preview, form = _word_form(path)
    assert [p.part for p in preview.sources] == before
    assert [i.level3 for i in form.indicators][2] == "公务员招 甲 录差错率 乙"


def test_unit_formats_read_the_number_the_sheet_shows(seed_xlsx: Path, tmp_path: Path) -> None:
    """A unit format's word goes with the number the cell SHOWS (reviewer's note on 71b90b4): 776.4
    under 0"人" shows 776人; a conditional format [>=100]0"人";0"个" shows 50 as 50个 and 150 as 150人;
    G/通用格式"人" (Chinese Excel's General with a word) shows the number as saved."""
    wb, ws = one_sheet(seed_xlsx)
    for ref, value, fmt in [
        ("F13", 776.4, '0"人"'),
        ("F14", 50, '[>=100]0"人";0"个"'),
        ("F15", 150, '[>=100]0"人";0"个"'),
        ("F16", 12.5, 'G/通用格式"人"'),
    ]:
        ws[ref] = value
        ws[ref].number_format = fmt
    path = tmp_path / "shown.xlsx"
    wb.save(path)
    _preview, _part, form = imported(path)
    assert [i.actual for i in form.indicators][:4] == ["776人", "50个", "150人", "12.5人"]


def test_a_negative_amount_with_the_currency_sign_before_or_after_the_minus(
    seed_xlsx: Path, tmp_path: Path
) -> None:
    """-￥709.50 (how Excel's 货币 format prints a negative) reads as ￥-709.50 and -709.50 do
    (reviewer's note on da4591c: it was refused as not a number)."""
    read = []
    for typed in ("-709.50", "￥-709.50", "-￥709.50"):
        wb, ws = one_sheet(seed_xlsx)
        ws["E6"] = typed
        path = tmp_path / "negative.xlsx"
        wb.save(path)
        _preview, part, form = imported(path)
        read.append((funds_of(form), part.checks))
    assert read[1] == read[0] and read[2] == read[0]
    assert "-709.5" in str(read[0][0])


def test_a_delete_character_is_left_out_of_the_word_export(tmp_path: Path) -> None:
    """A DEL character (\\x7f) in a 三级指标 name is left out of the 自评报告 .docx as the other control
    characters are, so the name reads back without it (reviewer's note on d218ab5: the .docx kept it
    and re-import brought it back)."""
    import docx

    from core.export.docx import write_docx
    from core.interchange import read_json_file
    from tests.core.test_import_variants import FIXTURES

    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    form = report.form_by_name("业务工作经费")
    assert form is not None
    name = form.indicators[0].level3
    form.indicators[0].level3 = name + "\x7f"
    path = tmp_path / "del.docx"
    write_docx(report, path, template=get_template(report.template))
    texts = [c.text for t in docx.Document(str(path)).tables for row in t.rows for c in row.cells]
    assert name in texts and not any("\x7f" in t for t in texts)


@pytest.mark.parametrize(
    ("typed", "read", "doubt"),
    [
        (1.9, "190%", "1.9%"),
        (2.5, "2.5%", "250%"),
        (2.0001, "2.0001%", "200.01%"),
        (0.98, "98%", ""),
        (50, "50%", ""),
    ],
)
def test_an_execution_rate_that_reads_either_way_is_asked_about(
    seed_xlsx: Path, tmp_path: Path, typed: float, read: str, doubt: str
) -> None:
    """A bare 执行率 number between 1 and 10 under a plain 执行率 title could be a ratio or a percent
    (reviewer's note on the > 2 rule: 1.9 → 190 %, 2.0001 → 2.0001 % read silently): it is read by
    the rule and the preview asks, naming the cell, the value and the other reading."""
    wb, ws = one_sheet(seed_xlsx)
    ws["H5"], ws["H6"] = "执行率", typed
    ws["H6"].number_format = "General"
    path = tmp_path / "rate.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    total = form.fund("total")
    assert total is not None and total.printed_rate == read
    asked = [c for c in part.checks if "执行率“" in c]
    if doubt:
        assert asked == [f"{SHEET}!H6：执行率“{typed}”没有写 %，已按 {read} 导入（也可能是 {doubt}），请核对"]
    else:
        assert not asked


@pytest.mark.parametrize(
    ("typed", "read", "asked"), [("1.9", "190%", True), ("0.98", "98%", False), ("2", "200%", True)]
)
def test_an_execution_rate_stored_as_text_reads_as_the_same_number(
    seed_xlsx: Path, tmp_path: Path, typed: str, read: str, asked: bool
) -> None:
    """A bare 执行率 typed as text ("1.9" in a 文本 cell) reads as the same number would, with the same
    question when it could be read either way (reviewer's note: text "0.98" stayed "0.98", "1.9"
    was read bare with no question while the number 1.9 is asked about)."""
    wb, ws = one_sheet(seed_xlsx)
    ws["H5"], ws["H6"] = "执行率", typed
    ws["H6"].number_format = "@"
    assert ws["H6"].data_type == "s"
    path = tmp_path / "rate.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    total = form.fund("total")
    assert total is not None and total.printed_rate == read
    other = {"1.9": "1.9%", "2": "2%"}.get(typed)
    checks = [c for c in part.checks if "执行率“" in c]
    assert checks == (
        [f"{SHEET}!H6：执行率“{typed}”没有写 %，已按 {read} 导入（也可能是 {other}），请核对"]
        if asked
        else []
    )
