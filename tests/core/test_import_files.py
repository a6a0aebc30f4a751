"""Files as they arrive from other offices: saved by WPS or by other programs, pasted from web pages,
cut short in a download, or not workbooks at all. Each variant is generated here (openpyxl and
zipfile edits of the seed's own export, no binary fixtures) and read back; each either imports as
the seed or is refused with one Chinese sentence that says what to do, never a traceback and never
a number silently changed.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.cell_range import CellRange

from core.importers.api import build_report, preview_files
from core.importers.recognise import inline_fields
from core.schema import FUND
from core.templates import get_template
from tests.core.test_import_variants import (
    SEED,
    SHEET,
    _original,
    funds_of,
    imported,
    indicators_of,
    one_sheet,
)


def _one(seed_xlsx: Path, tmp_path: Path, name: str = "one.xlsx") -> Path:
    wb, _ws = one_sheet(seed_xlsx)
    path = tmp_path / name
    wb.save(path)
    return path


def _rezip(source: Path, target: Path, edit: Callable[[str, bytes], tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name, data = edit(info.filename, zin.read(info.filename))
            zout.writestr(name, data)
    return target


def _refused(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The one line the user reads when a file is refused (the preview's and the command line's)."""
    from core.cli import main

    preview = preview_files([path])
    assert not preview.recognised
    assert main(["import", str(path), "--dry-run"]) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and "\n" not in err
    assert preview.nothing_reason() in err
    return preview.nothing_reason()


# ---- what people paste and what programs save --------------------------------------------------
def test_characters_nobody_sees_are_not_part_of_labels_or_names(seed_xlsx: Path, tmp_path: Path) -> None:
    """Text pasted from a web page or a chat program brings zero-width spaces, byte order marks and
    no-break spaces: "年初预算数\u200b" is the column 年初预算数, "\u200b产出指标" is 产出指标."""
    wb, ws = one_sheet(seed_xlsx)
    ws["A3"] = "项目名称\u200b"
    ws["D5"], ws["E5"] = "\ufeff年初预算数 ", "全年预算数\xa0"
    ws["B7"] = "其中：当年财政拨款\u200b"
    ws["B12"], ws["D12"] = "一级指标\u200b", " 三级指标\u3000"
    ws["B13"] = "\u200b产出指标\u200b\n（50分）"
    ws["D15"] = "公务员招录\u00ad差错率"
    path = tmp_path / "pasted.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert form.name == "业务工作经费"
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())
    assert not part.checks and not part.skipped


def test_saved_sums_keep_the_digits_excel_shows(seed_xlsx: Path, tmp_path: Path) -> None:
    """A sum Excel or WPS saved is a binary float: 709.47 + 0.03 is stored as 709.5000000000001 and
    shown as 709.5; the import reads what the screen shows (15 significant digits)."""
    wb, ws = one_sheet(seed_xlsx)
    ws["E6"], ws["F6"], ws["D7"] = 709.47 + 0.03, 709.4999999999999, 153.03000000000003
    path = tmp_path / "sums.xlsx"
    wb.save(path)
    _preview, _part, form = imported(path)
    assert funds_of(form) == funds_of(_original())


def test_error_values_are_named_not_read_as_blank(seed_xlsx: Path, tmp_path: Path) -> None:
    """#REF! in 分值 (a column deleted after the formula was written) and #DIV/0! in 执行率: the
    reader gives such a cell as blank; the preview names each cell and asks to check."""
    wb, ws = one_sheet(seed_xlsx)
    ws["H6"], ws["G13"] = "#DIV/0!", "#REF!"
    ws["H6"].data_type = ws["G13"].data_type = "e"
    path = tmp_path / "errors.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert form.indicators[0].weight == ""
    assert [(s.cell, s.reason) for s in part.skipped] == [
        (f"{SHEET}!H6", "单元格为错误值 #DIV/0!（公式出错），未导入；请在 Excel/WPS 中改正后再导入"),
        (f"{SHEET}!G13", "单元格为错误值 #REF!（公式出错），未导入；请在 Excel/WPS 中改正后再导入"),
    ]
    assert part.checks[0].startswith("有 2 个单元格是错误值（#DIV/0!、#REF!），公式出错")


_SHARED = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*) t="inlineStr"><is><t>(.*?)</t></is></c>', re.S)


def _wps_package(source: Path, target: Path, *, rich: bool, backslash: bool) -> Path:
    """The seed sheet as WPS and some other programs save it: every text in xl/sharedStrings.xml
    (longer ones as formatted runs with a phonetic guide, as WPS writes them), the sheet's size
    given as A1, KSO's custom properties, and (some Windows programs) "\\" in the zip's part names."""
    strings: list[bytes] = []

    def shared(match: re.Match[bytes]) -> bytes:
        strings.append(match.group(3))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), len(strings) - 1)

    def item(text: bytes) -> bytes:
        if not rich or len(text) < 24:
            return b"<si><t>%s</t></si>" % text
        cut = text.rfind(b";", 0, len(text) // 2) + 1 or len(text)  # between two &#…; references
        font = '<rPr><sz val="11"/><rFont val="宋体"/><charset val="134"/></rPr>'.encode()
        return (
            b'<si><r>%s<t xml:space="preserve">%s</t></r><r><rPr><b/></rPr><t xml:space="preserve">%s</t></r>'
            b'<rPh sb="0" eb="1"><t>x</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>'
            % (font, text[:cut], text[cut:])
        )

    with zipfile.ZipFile(source) as zin:
        parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = _SHARED.sub(shared, parts[sheet])
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', parts[sheet])
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (len(strings), len(strings))
        + b"".join(item(s) for s in strings)
        + b"</sst>"
    )
    parts["docProps/custom.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
        b"<vt:lpwstr>2052-12.1.0.16729</vt:lpwstr></property></Properties>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name.replace("/", "\\") if backslash else name, data)
    return target


@pytest.mark.parametrize(("rich", "backslash"), [(True, False), (False, True)])
def test_workbooks_saved_by_wps_and_other_programs(
    seed_xlsx: Path, tmp_path: Path, rich: bool, backslash: bool
) -> None:
    path = _wps_package(_one(seed_xlsx, tmp_path), tmp_path / "wps.xlsx", rich=rich, backslash=backslash)
    _preview, part, form = imported(path)
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())
    assert not part.checks and not part.skipped


# ---- files that cannot be read: one sentence that says what to do ------------------------------
def _big_ole(path: Path, stream: str) -> Path:
    """A compound (OLE) file over 1 MB whose directory (written last, as xlwt and other writers do)
    names ``stream``: WordDocument for a .doc with pictures, EncryptionInfo for an .xlsx with a
    password (Excel keeps it as an encrypted package inside a compound file)."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    for r in range(30_000):
        sheet.write(r, 0, f"第{r}行的文字" * 2)
        sheet.write(r, 1, r)
    book.save(str(path))
    data = bytearray(path.read_bytes())
    at = data.find("Workbook".encode("utf-16-le"))
    assert at > 1 << 20  # past the first megabyte
    name = stream.encode("utf-16-le") + b"\0\0"
    data[at : at + 64] = name + b"\0" * (64 - len(name))
    data[at + 64 : at + 66] = len(name).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p, s: _big_ole(p / "去年报告.doc", "WordDocument"), "是旧版 Word（.doc）或 WPS 文字"),
        (lambda p, s: _big_ole(p / "自评表.xlsx", "EncryptionInfo"), "设有打开密码（已加密）"),
        (
            lambda p, s: _xls_with_password(p / "自评表.xls"),
            "设有密码保护，请在 Excel/WPS 中去掉密码后再导入",
        ),
        (lambda p, s: _write(p / "自评表.xlsx", b""), "是空文件（0 字节）"),
        (lambda p, s: _write(p / "自评表.xlsx", b"\0" * 8192), "内容全是空字节"),
        (
            lambda p, s: _write(p / "自评表.xlsx", s.read_bytes()[: s.stat().st_size // 2]),
            "已损坏，无法解压（文件不完整，可能保存、复制或下载时中断）",
        ),
        (
            lambda p, s: _write(p / "自评表.xlsx", "项目名称,业务工作经费\n一级指标\n".encode("gb18030")),
            "是文本（CSV）文件，不是 Excel 工作簿；请在 Excel/WPS 中打开，另存为 .xlsx 后再导入",
        ),
        (
            lambda p, s: _rezip(s, p / "自评表.xlsx", _number_cell("abc")),
            "文件可能已损坏（CalamineError）；可在 Excel/WPS 中打开（如提示修复请确认），另存后再导入",
        ),
    ],
    ids=["big-doc", "encrypted", "xls-password", "zero-bytes", "nul-bytes", "truncated", "csv", "bad-number"],
)
def test_files_that_cannot_be_read_say_why_in_one_sentence(
    seed_xlsx: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path, Path], Path],
    words: str,
) -> None:
    path = make(tmp_path, _one(seed_xlsx, tmp_path, "source.xlsx"))
    reason = _refused(path, capsys)
    assert reason.startswith(path.name) and words in reason


def _xls_with_password(path: Path) -> Path:
    """An .xls saved with 文件加密: its workbook stream starts with a FILEPASS record (here xlwt's
    WRITEACCESS record of the same length turned into one)."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    book.add_sheet("Sheet1").write(0, 0, "项目名称")
    book.save(str(path))
    data = bytearray(path.read_bytes())
    at = data.find(struct.pack("<HH", 0x5C, 112))
    data[at : at + 6] = struct.pack("<HHH", 0x2F, 112, 1)
    path.write_bytes(bytes(data))
    return path


def _number_cell(value: str) -> Callable[[str, bytes], tuple[str, bytes]]:
    """An edit giving G13 (分值 10) the saved number ``value`` as some programs write it."""

    def edit(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            data = re.sub(
                rb'<c r="G13"([^>]*)><v>10</v></c>', rb'<c r="G13"\1><v>%s</v></c>' % value.encode(), data
            )
        return name, data

    return edit


def test_not_a_number_saved_as_a_number_is_named(seed_xlsx: Path, tmp_path: Path) -> None:
    """A program that divided by zero wrote NaN as the cell's number: not read as a blank 分值."""
    path = _rezip(_one(seed_xlsx, tmp_path), tmp_path / "nan.xlsx", _number_cell("NaN"))
    _preview, part, form = imported(path)
    assert form.indicators[0].weight == ""
    assert [(s.cell, s.reason) for s in part.skipped] == [
        (f"{SHEET}!G13", "单元格为错误值 #NUM!（公式出错），未导入；请在 Excel/WPS 中改正后再导入")
    ]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---- layouts: two forms on one sheet, one form on two sheets -----------------------------------
def _copy_block(source: Any, target: Any, rows: range, row_shift: int = 0, col_shift: int = 0) -> None:
    """Copy the cells and merged ranges of ``rows`` (as a person copies a block of a sheet)."""
    for row in source.iter_rows(min_row=rows.start, max_row=rows.stop - 1):
        for cell in row:
            if not isinstance(cell, MergedCell):
                target.cell(cell.row + row_shift, cell.column + col_shift, cell.value)
    for merged in list(source.merged_cells.ranges):
        if rows.start <= merged.min_row and merged.max_row < rows.stop:
            moved = CellRange(merged.coord)
            moved.shift(row_shift=row_shift, col_shift=col_shift)
            target.merge_cells(moved.coord)


def test_two_forms_side_by_side_on_one_sheet(seed_xlsx: Path, tmp_path: Path) -> None:
    """Two projects laid out next to each other (to print on one page): each is its own form; the
    right one's cells keep their own references (N6, not D6)."""
    wb, ws = one_sheet(seed_xlsx)
    _copy_block(ws, ws, range(1, 28), col_shift=10)
    ws["L3"], ws["N6"], ws["N7"] = "另一项目经费", 99, 99
    path = tmp_path / "side.xlsx"
    wb.save(path)
    preview = preview_files([path])
    left, right = preview.recognised
    assert (left.form, right.form) == ("业务工作经费", "另一项目经费")
    assert not left.checks and not right.checks
    assert right.raw is not None and right.raw.funds[0].refs[FUND.initial] == f"{SHEET}!N6"
    report = build_report(preview, template=SEED.template, year=2023)
    first, second = report.projects
    assert funds_of(first) == funds_of(_original())
    assert indicators_of(first) == indicators_of(second) == indicators_of(_original())
    total = second.fund("total")
    assert total is not None and total.initial == "99"


def test_one_form_with_a_second_name_in_its_name_row_is_not_cut(seed_xlsx: Path, tmp_path: Path) -> None:
    """A form with no merged cells (a CSV or a web system's export) whose 项目名称 row also names its
    单位名称: one form, read whole; it is not two forms side by side (the part right of 单位名称 —
    执行数, 实际完成值, 分值, 得分 — was dropped, with a note saying two forms were imported)."""
    wb, ws = one_sheet(seed_xlsx)
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(merged.coord)
    flat = tmp_path / "flat.xlsx"
    wb.save(flat)
    ws["F3"], ws["G3"] = "单位名称", "某某中心"
    path = tmp_path / "unit-name.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    _flat_preview, _flat_part, whole = imported(flat)
    assert form.name == "业务工作经费"
    assert funds_of(form) == funds_of(whole) and indicators_of(form) == indicators_of(whole)
    assert not any("左右并排" in note for note in part.notes)


def test_one_form_over_two_sheets(seed_xlsx: Path, tmp_path: Path) -> None:
    """资金 and 目标 on one sheet, the indicator table on the next (with no 项目名称 of its own): one
    form, and the preview asks to check that the second sheet belongs to it."""
    wb, ws = one_sheet(seed_xlsx)
    more = wb.create_sheet("指标（续）")
    _copy_block(ws, more, range(12, 28), row_shift=-10)
    for merged in list(ws.merged_cells.ranges):
        if merged.min_row >= 12:
            ws.unmerge_cells(merged.coord)
    ws.delete_rows(12, 16)
    path = tmp_path / "two-sheets.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert form.name == "业务工作经费"
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())
    assert part.checks == [
        f"工作表“指标（续）”只有指标表、没有项目名称，已作为上一工作表“{SHEET}”（业务工作经费）的续表导入，请核对"
    ]


# ---- 重庆: 得分系数 and the adjusted target -------------------------------------------------------
def _chongqing(path: Path, rows: list[list[Any]], header: list[str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "业务工作经费"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


CHONGQING = ["一级指标", "二级指标", "指标名称", "指标性质", "年初指标值", "调整指标值", "实际完成值"]


def test_chongqing_score_coefficient_gives_the_score(tmp_path: Path) -> None:
    """重庆's flat list has no 得分 column: 指标得分 = 指标权重 × 得分系数(%) (80 of a 20-point
    indicator is 16); the adjusted target is the year's target, the spring one is named as left out;
    是否核心指标 has no place in the form and is named too."""
    path = _chongqing(
        tmp_path / "重庆.xlsx",
        [
            ["产出", "数量指标", "培训人次", "正向", "100", "120", "110", "人次", "20", "80", "是"],
            ["产出", "质量指标", "培训合格率", "正向", "95", "95", "96", "%", "10", "100", "否"],
            ["满意度", "满意度指标", "学员满意度", "正向", "90", "90", "92", "%", "10", "１００%", "否"],
            [
                "效益",
                "社会效益指标",
                "培训覆盖面",
                "正向",
                "全覆盖",
                "全覆盖",
                "基本覆盖",
                "",
                "15",
                "66.7",
                "",
            ],
        ],
        [*CHONGQING, "计量单位", "指标权重", "得分系数(%)", "是否核心指标"],
    )
    _preview, part, form = imported(path)
    assert [(i.level3, i.target, i.actual, i.weight, i.score) for i in form.indicators] == [
        ("培训人次", "120人次", "110人次", "20", "16"),
        ("培训合格率", "95%", "96%", "10", "10"),
        ("学员满意度", "90%", "92%", "10", "10"),
        ("培训覆盖面", "全覆盖", "基本覆盖", "15", "10.01"),
    ]
    assert part.notes == ["指标得分按“指标权重 × 得分系数”算出（如 Sheet!J3：20 × 80% = 16）"]
    assert not part.checks
    assert {s.reason for s in part.skipped} == {
        "“年初指标值”未导入：已按F列“调整指标值”导入年度指标值",
        "“是否核心指标”列不是指标表的列，未导入",
    }


def test_chongqing_printed_score_that_disagrees_with_its_coefficient_is_flagged(tmp_path: Path) -> None:
    """Beside a printed 指标得分 the coefficient is a check: the printed score is kept, a difference
    asked about, a coefficient that is no share of the weight named as left out."""
    path = _chongqing(
        tmp_path / "重庆.xlsx",
        [
            ["产出", "数量指标", "培训人次", "正向", "100", "120", "110", "人次", "20", "80", "16"],
            ["产出", "质量指标", "培训合格率", "正向", "95", "95", "96", "%", "10", "100", "9"],
            ["满意度", "满意度指标", "学员满意度", "正向", "90", "90", "92", "%", "10", "150", "10"],
        ],
        [*CHONGQING, "计量单位", "指标权重", "得分系数(%)", "指标得分"],
    )
    _preview, part, form = imported(path)
    assert [i.score for i in form.indicators] == ["16", "9", "10"]
    assert part.checks == [
        "Sheet!K4：指标得分为 9，按得分系数算应为 10（10 × 100%），已按表中得分导入，请核对"
    ]
    assert [(s.cell, s.reason) for s in part.skipped if "系数" in s.reason] == [
        ("Sheet!J5", "“150”不是得分系数（应为 0–100%），未导入")
    ]


def test_simple_formulas_saved_without_results_are_worked_out(seed_xlsx: Path, tmp_path: Path) -> None:
    """A workbook written by a program (here openpyxl) holds =SUM(…) and =A+B with no saved result:
    the sums are worked out from the cells (a blank one counts 0, a sum of sums too) and the preview
    asks to check; a formula the importer cannot work out (=ROUND(…)) is still left out."""
    wb, ws = one_sheet(seed_xlsx)
    ws["D6"], ws["E6"], ws["F6"] = "=SUM(D7:D9)", "=SUM(E7:E9)", "=$F$7+F8+F9"
    ws["G6"] = "=SUM(G13:G24)-G25+20"  # 90 - 100 + 20
    ws["H14"], ws["I6"] = "=SUM(H13)", "=ROUND(G6*H6,2)"
    path = tmp_path / "program.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())
    assert part.checks == [
        f"有 1 个公式单元格没有保存计算结果（{SHEET}!I6（=ROUND(G6*H6,2)）；文件可能由其他软件生成、"
        "未在 Excel/WPS 中保存过），这些单元格未导入，不按 0 计；请在 Excel/WPS 中打开该文件、保存后再导入",
        "有 5 个公式单元格没有保存计算结果（文件可能由其他软件生成），已按公式算出"
        f"（如 {SHEET}!D6：=SUM(D7:D9) 得 153.03），请核对；也可在 Excel/WPS 中打开该文件、保存后再导入",
    ]
    assert [s.cell for s in part.skipped] == [f"{SHEET}!I6"]


def test_a_sum_of_percent_cells_saved_without_its_result_reads_as_excel_shows_it(tmp_path: Path) -> None:
    """=SUM of cells showing 30% and 50% (saved 0.3 and 0.5), written by a program with no result:
    80%, as Excel and WPS show it. The percent cells were read as text first and the sum skipped
    them: 0."""
    from core.importers.readers import read_file

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 0.3, 0.5, "=SUM(A1:A2)"
    ws["B1"], ws["B2"], ws["B3"] = 1.5, 2.5, "=B1+B2"
    for cell in ("A1", "A2", "A3"):
        ws[cell].number_format = "0%"
    path = tmp_path / "percent-sum.xlsx"
    wb.save(path)
    (grid,) = read_file(path).grids
    assert [row[:2] for row in grid.cells] == [["30%", "1.5"], ["50%", "2.5"], ["80%", "4"]]
    assert not grid.missing_formulas


def test_numbers_formatted_as_percentages_read_as_shown(seed_xlsx: Path, tmp_path: Path) -> None:
    """96.81% typed into a cell is saved as 0.9681 with a percent format: it reads as 96.81%, not as
    0.9681 (which would score against a ≥90% target as a miss); 0 shown as 0% reads 0%."""
    wb, ws = one_sheet(seed_xlsx)
    ws["F24"], ws["F15"], ws["F16"] = 0.9681, 0, 1
    ws["F24"].number_format = "0.00%"
    ws["F15"].number_format = "0%"
    ws["F16"].number_format = '[Blue]0%;"-"0%'
    path = tmp_path / "percent.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert indicators_of(form) == indicators_of(_original())
    assert not part.checks and not part.skipped


def test_name_and_label_typed_into_one_merged_cell_with_spaces(seed_xlsx: Path, tmp_path: Path) -> None:
    """ "项目名称  业务工作经费" in one cell across the sheet (spaces, no colon): the name is read, not
    the sheet's name used instead."""
    wb, ws = one_sheet(seed_xlsx)
    ws.unmerge_cells("B3:I3")
    ws["A3"], ws["B3"] = "项目名称\u3000 业务工作经费", None
    ws.merge_cells("A3:I3")
    path = tmp_path / "one-cell.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert form.name == "业务工作经费" and not part.checks
    # a space before a bracketed note is no value: "实施单位 （盖章）" at a sign-off line
    assert inline_fields("实施单位 （盖章）") == {} and inline_fields("主管部门 某局") == {
        "supervisor": "某局"
    }


def test_wps_pictures_in_cells_are_not_read_as_text(seed_xlsx: Path, tmp_path: Path) -> None:
    """WPS's 嵌入单元格 picture is the formula =DISPIMG("ID_…",1) saved with that text as its value:
    never read into 偏差原因 (or a sign-off), and the preview says a picture was left out."""
    source = _one(seed_xlsx, tmp_path)

    def picture(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            cell = b'<c r="I13" t="str"><f>_xlfn.DISPIMG("ID_5BA4F81A0D674C7A",1)</f>'
            cell += b'<v>=DISPIMG("ID_5BA4F81A0D674C7A",1)</v></c>'
            data = re.sub(rb'<c r="I13"[^>]*/>|<c r="I13".*?</c>', cell, data, count=1)
        return name, data

    path = _rezip(source, tmp_path / "picture.xlsx", picture)
    _preview, part, form = imported(path)
    assert indicators_of(form) == indicators_of(_original())
    assert part.notes == [f"表中有 1 处嵌入单元格的图片（如 {SHEET}!I13），图片未导入"]


def _xls(path: Path, rows: list[list[Any]], percent_cols: set[int], number_format: str = "0.00%") -> Path:
    """A real .xls (xlwt, BIFF8): the numbers of ``percent_cols`` (below the header rows) formatted
    as percentages, as Excel keeps 96.81% typed into a cell: the number 0.9681 and a format."""
    xlwt = pytest.importorskip("xlwt")
    percent = xlwt.easyxf(num_format_str=number_format)
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            numeric = isinstance(value, (int, float)) and c in percent_cols and r > 1
            sheet.write(r, c, value, percent if numeric else xlwt.Style.default_style)
    book.save(str(path))
    return path


XLS_ROWS = [
    ["项目名称", "业务工作经费"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", 0.9681, 10, 10],
    ["产出指标", "质量指标", "合格率", "≥95%", 0.97, 10, 10],
    ["产出指标", "数量指标", "培训人次", "≥100人次", 100, 10, 10],
    ["产出指标", "质量指标", "完成率", "=100%", 1, 10, 10],
]


def test_xls_percent_cells_read_as_they_show(tmp_path: Path) -> None:
    """An .xls keeps 96.81% as 0.9681 and 100% as 1, and calamine gives values only: the formats are
    read from the file's own records, so the cells read as Excel shows them (no question asked)."""
    path = _xls(tmp_path / "去年自评表.xls", XLS_ROWS, {4})
    _preview, part, form = imported(path)
    assert [i.actual for i in form.indicators] == ["96.81%", "97%", "10000%", "100%"]
    assert not part.checks


def test_xls_whose_formats_cannot_be_read_asks_about_fractions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When an .xls's records cannot be followed (an older BIFF, a damaged stream), a number ≤ 1
    against a ≥90% target is kept as read and the preview asks once (0.9681 scored as 0.9681 % would
    be a miss), at each such cell."""
    import core.importers.biff as biff

    monkeypatch.setattr(biff, "formats", lambda data: None)
    path = _xls(tmp_path / "去年自评表.xls", XLS_ROWS[:5], {4})
    _preview, part, form = imported(path)
    assert [i.actual for i in form.indicators] == ["0.9681", "0.97", "100"]
    assert part.checks == [
        "实际完成值是小于 1 的数字而指标值是百分数（如 Sheet1!E3 的 0.9681），可能是单元格显示为百分比"
        "（96.81%）的数字（.xls 文件的显示格式无法读取），已按 0.9681 导入，请核对"
    ]
    assert [(f.cell_row, f.cell_column) for f in form.review_flags] == [(0, "actual"), (1, "actual")]


CHONGQING_XLS = [
    ["项目名称", "业务工作经费"],
    [*CHONGQING, "计量单位", "指标权重", "得分系数(%)"],
    ["产出", "数量指标", "培训人次", "正向", "100", "120", "110", "人次", 20, 1],
    ["产出", "质量指标", "培训合格率", "正向", "95", "95", "96", "%", 10, 0.8],
    ["满意度", "满意度指标", "学员满意度", "正向", "90", "90", "92", "%", 10, 0.667],
]


def test_xls_score_coefficient_of_100_percent_is_the_whole_weight(tmp_path: Path) -> None:
    """重庆's 得分系数(%) typed as 100% in an .xls is the number 1 with a percent format: it is the
    whole weight (20 × 100% = 20), not 1% of it (0.2)."""
    path = _xls(tmp_path / "重庆.xls", CHONGQING_XLS, {9}, "0%")
    _preview, part, form = imported(path)
    assert [(i.weight, i.score) for i in form.indicators] == [("20", "20"), ("10", "8"), ("10", "6.67")]
    assert not part.checks


def test_xls_score_coefficients_without_formats_read_by_their_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Formats unknown: a 得分系数(%) column whose numbers are all at most 1 (1, 0.8, 0.667) holds
    shares, not 1% and 0.8%: read as such and asked about at each score; a column with 80 and 100
    is in percent, as its title says."""
    import core.importers.biff as biff

    monkeypatch.setattr(biff, "formats", lambda data: None)
    path = _xls(tmp_path / "重庆.xls", CHONGQING_XLS, set())
    _preview, part, form = imported(path)
    assert [(i.weight, i.score) for i in form.indicators] == [("20", "20"), ("10", "8"), ("10", "6.67")]
    assert part.checks == [
        "得分系数列标明“%”，但其中的数字都不大于 1（如 Sheet1!J3 的 1）：.xls 文件的显示格式无法读取，"
        "已按比例读入（1 即 100%），请核对"
    ]
    assert [(f.cell_row, f.cell_column, f.text) for f in form.review_flags] == [
        (0, "score", "得分系数 1 已按比例读入（即 100%）"),
        (1, "score", "得分系数 0.8 已按比例读入（即 80%）"),
        (2, "score", "得分系数 0.667 已按比例读入（即 66.7%）"),
    ]
    percent = [row[:9] + [row[9] * 100] if i > 1 else row for i, row in enumerate(CHONGQING_XLS)]
    _preview, part, form = imported(_xls(tmp_path / "重庆2.xls", percent, set()))
    assert [i.score for i in form.indicators] == ["20", "8", "6.67"] and not part.checks


def test_word_symbols_inserted_from_the_symbol_font(tmp_path: Path) -> None:
    """≥ and ≤ put in with Word's 插入 → 符号 (Symbol font) are w:sym elements, not text: "≥1 次" must
    not read as "1 次" (a target that lost its direction)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from core.export.docx import write_docx
    from tests.core.test_import_variants import _word_form

    path = tmp_path / "seed.docx"
    write_docx(SEED, path, template=get_template(SEED.template))
    document = docx.Document(str(path))
    changed = 0
    for table in document.tables:
        for cell in table._cells:
            for paragraph in cell.paragraphs:
                if "≥" not in paragraph.text and "≤" not in paragraph.text:
                    continue
                text = paragraph.text
                for run in paragraph.runs:
                    run._r.getparent().remove(run._r)
                for part in re.split("([≥≤])", text):
                    char = {"≥": "F0B3", "≤": "F0A3"}.get(part)
                    inner = f'<w:sym w:font="Symbol" w:char="{char}"/>' if char else f"<w:t>{part}</w:t>"
                    paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{inner}</w:r>"))
                changed += 1
    assert changed >= 3
    document.save(str(path))
    _preview, form = _word_form(path)
    assert indicators_of(form) == indicators_of(_original())


def test_spreadsheetml_percent_cells_read_as_shown(tmp_path: Path) -> None:
    """The 安徽 offline template (Excel 2003 XML) keeps 96.81% as the number 0.9681 with a percent
    style: it reads as 96.81%."""

    def cell(value: object, style: str = "") -> str:
        kind = "Number" if isinstance(value, int | float) else "String"
        styled = f' ss:StyleID="{style}"' if style else ""
        return f'<Cell{styled}><Data ss:Type="{kind}">{value}</Data></Cell>'

    rows = [
        [cell("项目名称"), cell("安徽试点项目")],
        [cell(t) for t in ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")],
        [cell("满意度指标"), cell("服务对象满意度指标"), cell("群众满意度"), cell("≥90%"), cell(0.9681, "p2")]
        + [cell(10), cell(10)],
        [cell("产出指标"), cell("质量指标"), cell("合格率"), cell("100%"), cell(1, "p0"), cell(10), cell(10)],
    ]
    path = tmp_path / "安徽自评模板.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Styles>'
        '<Style ss:ID="p2"><NumberFormat ss:Format="0.00%"/></Style>'
        '<Style ss:ID="p0"><NumberFormat ss:Format="Percent"/></Style></Styles>'
        '<Worksheet ss:Name="项目自评"><Table>'
        + "".join(f"<Row>{''.join(r)}</Row>" for r in rows)
        + "</Table></Worksheet></Workbook>",
        encoding="utf-8",
    )
    _preview, part, form = imported(path)
    assert [(i.target, i.actual) for i in form.indicators] == [("≥90%", "96.81%"), ("100%", "100%")]
    assert not part.checks


def test_macro_enabled_word_reads_as_docx(tmp_path: Path) -> None:
    """Last year's report saved as .docm (a unit's template with macros): the same tables and text;
    python-docx alone refuses the file for its content type. Macros are never run."""
    from core.export.docx import write_docx
    from tests.core.test_import_variants import _word_form

    docx_path = tmp_path / "seed.docx"
    write_docx(SEED, docx_path, template=get_template(SEED.template))

    def macro(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "[Content_Types].xml":
            data = data.replace(
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                b"application/vnd.ms-word.document.macroEnabled.main+xml",
            )
        return name, data

    path = _rezip(docx_path, tmp_path / "去年报告.docm", macro)
    preview, form = _word_form(path)
    assert indicators_of(form) == indicators_of(_original())
    assert preview.narrative
    assert not any(p.notes for p in preview.sources if "扩展名" in " ".join(p.notes))


_PREVIEW_IN_A_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a failed huge allocation fails fast
from core.importers.api import preview_files
preview = preview_files([sys.argv[1]])
print(json.dumps([[p.form, p.reason, p.notes] for p in preview.sources], ensure_ascii=False))
"""


@pytest.mark.parametrize("cell", ["XFD1048576", "ZZ999999"])
def test_a_stray_cell_at_the_sheet_edge_does_not_end_the_program(
    seed_xlsx: Path, tmp_path: Path, cell: str
) -> None:
    """A space typed after Ctrl+→/Ctrl+↓ lands at the sheet's edge; the reader keeps a sheet as one block
    from A1 to its last cell, and 17 billion cells end the program (an abort, not an exception). Run in
    a child process so that a regression fails this test instead of ending the test run."""
    import json
    import subprocess
    import sys

    row = re.sub(r"[A-Z]", "", cell)

    def stray(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet1.xml":
            far = f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t> </t></is></c></row></sheetData>'
            data = data.replace(b"</sheetData>", far.encode())
        return name, data

    path = _rezip(_one(seed_xlsx, tmp_path), tmp_path / "stray.xlsx", stray)
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _PREVIEW_IN_A_CHILD, str(path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-500:]
    ((form, reason, notes),) = json.loads(done.stdout)
    if cell == "XFD1048576":  # one stray cell at the very edge: left out, the form read
        assert form == "业务工作经费" and not reason
        assert notes == [f"工作表“{SHEET}”在表格范围之外很远处有 1 个单元格（{cell}，可能是误输入），已忽略"]
    else:  # a block too big to hold: refused with what to do
        assert reason == (
            "stray.xlsx 的第 1 个工作表范围过大（999999 行 × 702 列），无法读取；"
            "请在 Excel/WPS 中删除表格下方和右侧多余的行列，保存后再导入"
        )


# ---- formulas with no value saved (R1C1 in Excel 2003 XML; formula text; .xls written by programs)
def _spreadsheetml(path: Path, rows: list[list[str]]) -> Path:
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="项目自评"><Table>'
        + "".join(f"<Row>{''.join(r)}</Row>" for r in rows)
        + "</Table></Worksheet></Workbook>",
        encoding="utf-8",
    )
    return path


def _ss_cell(value: object = None, formula: str = "") -> str:
    attr = f' ss:Formula="{formula}"' if formula else ""
    if value is None:
        return f"<Cell{attr}/>"
    kind = "Number" if isinstance(value, int | float) else "String"
    return f'<Cell{attr}><Data ss:Type="{kind}">{value}</Data></Cell>'


INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


def test_r1c1_formulas_saved_without_results_are_named_in_a1(tmp_path: Path) -> None:
    """Excel 2003 XML keeps formulas in R1C1 (=SUM(R[-2]C:R[-1]C)); saved by a program they have no
    Data: a simple sum is worked out (as an .xlsx's) and asked about; another (=ROUND(…)) is not
    read, never as 0 and never as its text, and the preview names the cell and its formula in the A1
    style a user sees in Excel."""
    rows = [
        [_ss_cell("项目名称"), _ss_cell("安徽试点项目")],
        [_ss_cell(t) for t in INDICATOR_HEADER],
        [_ss_cell(t) for t in ("产出指标", "数量指标", "培训人次", "≥100人次", "120人次")]
        + [_ss_cell(10), _ss_cell(10)],
        [_ss_cell(t) for t in ("产出指标", "数量指标", "培训班次", "≥4次", "5次")]
        + [_ss_cell(10), _ss_cell(10)],
        [_ss_cell(t) for t in ("产出指标", "质量指标", "合格率", "≥95%", "96%")]
        + [_ss_cell(formula="=SUM(R[-2]C:R[-1]C)"), _ss_cell(formula="=ROUND(R[-2]C*0.5,0)")],
    ]
    path = _spreadsheetml(tmp_path / "安徽自评模板.xls", rows)
    _preview, part, form = imported(path)
    assert [(i.weight, i.score) for i in form.indicators] == [("10", "10"), ("10", "10"), ("20", "")]
    assert part.checks == [
        "有 1 个公式单元格没有保存计算结果（项目自评!G5（=ROUND(G3*0.5,0)）；文件可能由其他软件生成、"
        "未在 Excel/WPS 中保存过），这些单元格未导入，不按 0 计；请在 Excel/WPS 中打开该文件、保存后再导入",
        "有 1 个公式单元格没有保存计算结果（文件可能由其他软件生成），已按公式算出"
        "（如 项目自评!F5：=SUM(F3:F4) 得 20），请核对；也可在 Excel/WPS 中打开该文件、保存后再导入",
    ]
    assert [(f.cell_row, f.cell_column, f.text) for f in form.review_flags] == [
        (
            2,
            "score",
            "项目自评!G5（=ROUND(G3*0.5,0)）是公式，但文件中没有保存它的计算结果，未导入，不按 0 计；请填写",
        ),
        (2, "weight", "项目自评!F5 的公式 =SUM(F3:F4) 没有保存计算结果，已按公式算出 20"),
    ]


def test_formula_text_saved_as_a_value_is_never_imported(seed_xlsx: Path, tmp_path: Path) -> None:
    """An export that writes a formula's text as the cell's value ("=SUM(R[-3]C:R[-1]C)", "=F7+F8"
    as text): not a number, not imported as text either; named with the formula in A1 style. A
    target written "=100%" is a value (an operator and a number) and stays."""
    wb, ws = one_sheet(seed_xlsx)
    ws["F6"] = "=SUM(R[-3]C:R[-1]C)"
    ws["F6"].data_type = "s"
    ws["G14"] = "=G13"
    ws["G14"].data_type = "s"
    ws["E16"] = "=100%"
    ws["E16"].data_type = "s"
    path = tmp_path / "导出.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert form.funds[0].executed == "" and form.indicators[1].weight == ""
    assert form.indicators[3].target == "=100%"
    assert part.checks[0] == (
        f"有 2 个单元格中是公式的文字而不是数值（{SHEET}!F6（=SUM(F3:F5)）、{SHEET}!G14（=G13）），"
        "导出时公式被存成了文字，这些单元格未导入，不按 0 计；请在原系统中导出数值，或导入后在报告中填写"
    )
    assert {s.cell: s.reason for s in part.skipped}[f"{SHEET}!G14"] == (
        "单元格中是公式的文字“=G13”，不是数值，未导入（导出时公式被存成了文字；请填入数值）"
    )
    assert [(f.cell_table, f.cell_row, f.cell_column) for f in form.review_flags][:2] == [
        ("funds", 0, "executed"),
        ("indicators", 1, "weight"),
    ]


def test_xls_formulas_written_by_a_program_are_named_not_read_as_blank(tmp_path: Path) -> None:
    """A program that writes .xls (here xlwt) saves each formula with an empty result for Excel to
    compute: calamine reads a blank. With no formula result anywhere in the workbook, each such cell
    in the form is named as a formula without a result (not 0, not blank without a word)."""
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    rows: list[list[Any]] = [
        ["项目名称", "业务工作经费"],
        INDICATOR_HEADER,
        ["产出指标", "数量指标", "培训人次", "≥100人次", "120人次", 10, 10],
        ["产出指标", "数量指标", "培训班次", "≥4次", "5次", 10, xlwt.Formula("F4")],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "系统导出.xls"
    book.save(str(path))
    _preview, part, form = imported(path)
    assert [i.score for i in form.indicators] == ["10", ""]
    assert part.checks[0].startswith("有 1 个公式单元格没有保存计算结果（Sheet1!G4；")
    assert [(f.cell_row, f.cell_column) for f in form.review_flags] == [(1, "score")]


def _paged(seed_xlsx: Path, path: Path, repeated: list[int]) -> Path:
    """The seed's 附件3-1 as an 一体化 system prints it over two pages, pasted into one sheet: page 1
    is rows 1–18 (the 产出指标 rows), then the rows ``repeated`` on every page (title, 项目名称,
    主管部门 and perhaps the indicator header), then the rest of the indicator table from row 19."""
    _wb, ws = one_sheet(seed_xlsx)
    wb = openpyxl.Workbook()
    out = wb.active
    out.title = SHEET
    _copy_block(ws, out, range(1, 19))
    out.merge_cells("A13:A18")  # the 绩效指标 column's merged cell, cut by the page break
    at = 19
    for row in repeated:
        _copy_block(ws, out, range(row, row + 1), row_shift=at - row)
        at += 1
    _copy_block(ws, out, range(19, 28), row_shift=at - 19)
    out.merge_cells(f"A{at}:A{at + 5}")
    wb.save(path)
    return path


@pytest.mark.parametrize("repeated", [[2, 3, 4, 12], [3, 4, 12], [2, 3, 4], [3]])
def test_a_project_name_repeated_at_a_page_break_is_one_form(
    seed_xlsx: Path, tmp_path: Path, repeated: list[int]
) -> None:
    """Exports of the 一体化 systems repeat the header rows on each printed page; pasted into one
    sheet, the 项目名称 (with the title, 主管部门, the indicator header or not) comes again in the
    middle of the indicator table. It is the same form: one part, every indicator under its 一级,
    said in the notes — not two parts of the same name."""
    path = _paged(seed_xlsx, tmp_path / "分页.xlsx", repeated)
    preview = preview_files([path])
    (part,) = preview.recognised
    assert part.form == "业务工作经费"
    at = 19 + repeated.index(3)
    assert f"工作表“{SHEET}”第 {at} 行重复了项目名称“业务工作经费”（分页打印时每页重复的表头），" in "".join(
        part.notes
    )
    assert not part.checks
    report = build_report(preview, template=SEED.template, year=2023)
    (form,) = report.projects
    assert funds_of(form) == funds_of(_original())
    assert indicators_of(form) == indicators_of(_original())
    assert form.printed_total == "100"


def test_the_same_name_after_a_finished_form_is_a_second_form(seed_xlsx: Path, tmp_path: Path) -> None:
    """A second copy of a finished form (its 总分 and sign-off printed) below it on the sheet is not
    a page of the first: two parts, as before (the preview names both)."""
    wb, ws = one_sheet(seed_xlsx)
    _copy_block(ws, ws, range(1, 28), row_shift=30)
    path = tmp_path / "两份.xlsx"
    wb.save(path)
    assert len(preview_files([path]).recognised) == 2


def test_pages_pasted_one_to_a_sheet_are_one_form(seed_xlsx: Path, tmp_path: Path) -> None:
    """The same two printed pages, each pasted into a sheet of its own: the second sheet (the header
    rows with the 项目名称 again, then the rest of the indicators) goes on with the first."""
    _wb, ws = one_sheet(seed_xlsx)
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "第1页"
    _copy_block(ws, first, range(1, 19))
    second = wb.create_sheet("第2页")
    for at, row in enumerate([2, 3, 4, 12], start=1):
        _copy_block(ws, second, range(row, row + 1), row_shift=at - row)
    _copy_block(ws, second, range(19, 28), row_shift=5 - 19)
    path = tmp_path / "两页.xlsx"
    wb.save(path)
    preview = preview_files([path])
    (part,) = preview.recognised
    assert part.part == "第1页、第2页"
    assert any("工作表“第2页”重复了上一工作表“第1页”的项目名称“业务工作经费”" in n for n in part.notes)
    report = build_report(preview, template=SEED.template, year=2023)
    (form,) = report.projects
    assert indicators_of(form) == indicators_of(_original())
    assert funds_of(form) == funds_of(_original())
