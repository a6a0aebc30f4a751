"""Import of real-shaped Excel, WPS, SpreadsheetML and Word files (core/importers)."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange

from core.cli import main
from core.export.docx import write_docx
from core.export.xlsx import write_xlsx
from core.importers.api import build_report, merge_preview, preview_files
from core.interchange import read_json_file, report_to_dict
from core.report import Document, new_report
from core.templates import get_template

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = ["seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"]


def _num(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return Decimal(value.strip()).normalize()
        except (InvalidOperation, ValueError):
            return value
    return value


def _comparable(report: Any) -> dict[str, Any]:
    """The report as a person typed it: printed (computed) figures and number spelling left out."""
    data = report_to_dict(report)
    for form in data["forms"]:
        form.pop("printed_total", None)
        for row in form.get("funds", {}).get("rows", []):
            row.pop("rate", None)
            row.pop("score", None)
            for key in ("initial", "annual", "executed"):
                if key in row:
                    row[key] = _num(row[key])
    data.pop("narrative", None)
    data.pop("basic_data", None)
    return data


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_excel_export_round_trips(seed: str, tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / f"{seed}.json")
    path = tmp_path / "out.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    preview = preview_files([path])
    assert preview.template == report.template
    back = build_report(preview)
    assert _comparable(back) == _comparable(report)
    # importing the same export into the report it came from changes nothing
    assert merge_preview(back, preview_files([path], report=back), template=get_template(back.template)) == 0


def _save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


YTH_HEADERS = [
    "序号",
    "一级指标",
    "二级指标",
    "三级指标名称",
    "计算符号",
    "指标值",
    "*实际完成值（定量填数字，定性填达成、部分达成、未达成）",
    "计量单位",
    "*分值 数量(20)、质量(10)、时效(10)、成本(10)、效益(30)、满意度(10)",
    "*指标得分（定量系统自动计算，定性必填，所填值为原指标得分，不包含扣减分数。）",
    "扣减分数",
    "完成情况简要描述（定量选填，定性必填）",
    "偏差原因及改进措施（指标未完成时必填）",
]


def _yth_workbook(path: Path, wps: bool = True) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(YTH_HEADERS)
    ws.append([1, "产出指标", "数量指标", "培训班次数", "≥", "4", "５", "次", "20", "20", "", "", ""])
    ws.append(
        [
            2,
            "产出指标",
            "质量指标",
            "培训合格率",
            "＝",
            "100",
            " 99.5 ",
            "%",
            "10",
            "9",
            "",
            "",
            "个别学员未结业",
        ]
    )
    ws.append([None] * 13)
    ws.append(
        [
            3,
            "效益指标",
            "社会效益指标",
            "干部素质提升",
            "定性",
            "有效提升",
            "达成",
            "",
            "30",
            "30",
            "",
            "全年完成",
            "",
        ]
    )
    wb.save(path)
    if wps:  # WPS writes a wrong sheet size: the reader must not trust it
        _set_dimension(path, "A1:B2")
    return path


def _set_dimension(path: Path, ref: str) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), data)
            zout.writestr(info, data)
    tmp.replace(path)


def test_yth_indicator_template_with_wps_dimensions(tmp_path: Path) -> None:
    path = _yth_workbook(tmp_path / "项目支出绩效自评指标完成情况导入模板20240301_培训经费.xlsx")
    preview = preview_files([path])
    (part,) = preview.sources
    assert part.recognised_as == "一体化自评指标导入模板"
    assert part.form == "培训经费"
    assert part.rows == {"indicators": 3}
    report = build_report(preview, template="mof", year=2023, department="某部门")
    form = report.form_by_name("培训经费")
    assert form is not None
    rows = [(i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.score) for i in form.indicators]
    assert rows == [
        ("产出指标", "数量指标", "培训班次数", "≥4次", "5次", "20", "20"),
        ("产出指标", "质量指标", "培训合格率", "＝100%", "99.5%", "10", "9"),
        ("效益指标", "社会效益指标", "干部素质提升", "有效提升", "达成", "30", "30"),
    ]
    assert form.indicators[1].deviation_note == "个别学员未结业"
    assert form.indicators[2].brief == "全年完成"


def test_yth_template_fills_existing_project_by_level3_and_twice_is_nothing(tmp_path: Path) -> None:
    report = new_report("mof", 2023, "某部门", ["培训经费（2023年）"])
    form = report.projects[0]
    from core.model import Indicator

    form.indicators = [
        Indicator("产出指标", "数量指标", "培训班次数", target="≥4次", weight="20"),
        Indicator("产出指标", "质量指标", "培训合格率", target="＝100%", actual="99.9%", weight="10"),
    ]
    path = _yth_workbook(tmp_path / "培训经费 (2023年).xlsx", wps=False)
    preview = preview_files([path], report=report)
    assert preview.sources[0].action == "fill"
    assert merge_preview(report, preview, template=get_template(report.template)) > 0
    assert form.indicators[0].actual == "5次"
    assert form.indicators[1].actual == "99.9%"  # typed value kept
    assert [i.level3 for i in form.indicators] == ["培训班次数", "培训合格率", "干部素质提升"]
    again = preview_files([path], report=report)
    assert merge_preview(report, again, template=get_template(report.template)) == 0
    assert (
        merge_preview(
            report,
            preview_files([path], report=report),
            overwrite=True,
            template=get_template(report.template),
        )
        == 1
    )
    assert form.indicators[1].actual == "99.5%"


def _mof_sheet(ws: Any, top: int, left: int, name: str, unit: str, total: Any) -> None:
    """A 附件1 项目支出绩效自评表 whose block starts at (top, left), with merged labels."""

    def put(r: int, c: int, v: Any) -> None:
        ws.cell(top + r, left + c, v)

    def merge(r0: int, c0: int, r1: int, c1: int) -> None:
        ws.merge_cells(
            CellRange(min_row=top + r0, min_col=left + c0, max_row=top + r1, max_col=left + c1).coord
        )

    put(0, 0, "项目支出绩效自评表")
    merge(0, 0, 0, 7)
    put(1, 0, "（ 2023 年度）")
    put(2, 0, "项目名称")
    put(2, 1, name)
    merge(2, 1, 2, 7)
    put(3, 0, "主管部门")
    put(3, 1, "某某局")
    put(3, 4, "实施单位")
    put(3, 5, "某某中心")
    put(4, 0, f"项目资金（{unit}）")
    merge(4, 0, 8, 0)
    for i, t in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        put(4, 2 + i, t)
    put(5, 1, "年度资金总额")
    put(5, 2, total)
    put(5, 3, "1,500,000" if unit == "元" else "150万")
    put(5, 4, "=D8*1")  # a formula with no saved result
    put(6, 1, "其中：当年财政拨款")
    put(6, 2, "１２０")
    put(7, 1, "上年结转资金")
    put(8, 1, "其他资金")
    put(9, 0, "年度总体目标")
    put(9, 1, "预期目标")
    put(9, 5, "实际完成情况")
    put(10, 1, "完成培训任务")
    put(10, 5, "已完成")
    put(11, 0, "绩效指标")
    merge(11, 0, 15, 0)
    for i, t in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]):
        put(11, 1 + i, t)
    put(12, 1, "产出指标（50分）")
    merge(12, 1, 13, 1)
    put(12, 2, "数量指标")
    merge(12, 2, 13, 2)
    put(12, 3, "培训人数")
    put(12, 4, "≥100人")
    put(12, 5, "120人")
    put(12, 6, "25")
    put(12, 7, "25")
    put(11, 8, "备注")
    put(12, 8, "见附件")
    put(13, 3, "培训天数")
    put(13, 4, "≥5天")
    put(13, 5, "5天")
    put(13, 6, 25)
    put(13, 7, "２５ ")
    put(14, 1, "满意度指标")
    put(14, 2, "服务对象满意度指标")
    put(14, 3, "学员满意度")
    put(14, 4, "≥90%")
    put(14, 5, "96%")
    put(14, 6, "10")
    put(14, 7, "10")
    put(15, 1, "总分")
    put(16, 0, "填表人：张三  填报日期：2024年3月1日  联系电话：123")


def test_mof_forms_anywhere_on_a_sheet_units_and_formulas(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    _mof_sheet(ws, 4, 3, "培训项目", "元", "1200000")
    _mof_sheet(ws, 26, 3, "宣传项目", "万元", "80")
    path = _save(wb, tmp_path / "去年自评表.xlsx")
    preview = preview_files([path])
    parts = [p for p in preview.sources if p.raw is not None]
    assert [p.form for p in parts] == ["培训项目", "宣传项目"]
    assert all(p.recognised_as == "项目支出绩效自评表" for p in parts)
    assert parts[0].rows == {"funds": 2, "goals": 1, "indicators": 3}
    # the 元 table converts, says so, and the formula with no value is named, not read as 0
    assert any("已换算为 120 万元" in n for n in parts[0].notes)
    assert any("公式没有保存计算结果" in s.reason for s in parts[0].skipped)
    assert any(
        s.reason == "“备注”列不是指标表的列，未导入" and s.cell.endswith("!K16") for s in parts[0].skipped
    )
    report = build_report(preview, template="mof")
    assert report.year == 2023
    first = report.form_by_name("培训项目")
    assert first is not None and first.supervisor == "某某局" and first.implementer == "某某中心"
    total = first.fund("total")
    assert total is not None
    assert (total.initial, total.annual, total.executed) == ("120", "150", "")
    current = first.fund("current")
    assert current is not None and current.initial == "0.012"  # "１２０" 元 → 0.012 万元
    second = report.form_by_name("宣传项目")
    assert second is not None
    total2 = second.fund("total")
    assert total2 is not None and (total2.initial, total2.annual) == ("80", "150")
    assert [i.level1 for i in first.indicators] == ["产出指标", "产出指标", "满意度指标"]
    assert [i.level2 for i in first.indicators][:2] == ["数量指标", "数量指标"]
    assert first.indicators[1].score == "25"
    assert first.goals[0].goal == "完成培训任务" and first.goals[0].achieved == "已完成"
    assert report.signoff.preparer == "张三" and report.signoff.date == "2024-03-01"


def test_hidden_sheets_and_rows_only_when_ticked(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    _mof_sheet(ws, 1, 1, "可见项目", "万元", "10")
    ws.row_dimensions[15].hidden = True  # 培训天数 row
    hidden = wb.create_sheet("备用")
    _mof_sheet(hidden, 1, 1, "隐藏项目", "万元", "10")
    hidden.sheet_state = "hidden"
    path = _save(wb, tmp_path / "h.xlsx")
    preview = preview_files([path])
    assert [p.form for p in preview.sources if p.raw] == ["可见项目"]
    assert any(p.recognised_as == "隐藏工作表" and p.action == "skip" for p in preview.sources)
    visible = next(p for p in preview.sources if p.raw)
    assert visible.rows["indicators"] == 2
    assert any("隐藏行" in s.reason for s in visible.skipped)
    ticked = preview_files([path], include_hidden=True)
    assert [p.form for p in ticked.sources if p.raw] == ["可见项目", "隐藏项目"]


def test_xls_file_and_extension_lies(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    for c, title in enumerate(YTH_HEADERS[1:]):
        sheet.write(0, c, title)
    sheet.write(1, 0, "产出指标")
    sheet.write(1, 1, "数量指标")
    sheet.write(1, 2, "培训班次数")
    sheet.write(1, 3, "≥")
    sheet.write(1, 4, 4)
    sheet.write(1, 5, 6)
    sheet.write(1, 6, "次")
    sheet.write_merge(2, 3, 0, 0, "效益指标")
    sheet.write(2, 2, "满意度")
    sheet.write(3, 2, "影响")
    real_xls = tmp_path / "自评指标完成情况导入模板_宣传经费.xlsx"  # an .xls saved with the wrong name
    book.save(str(real_xls))
    preview = preview_files([real_xls])
    (part,) = preview.sources
    assert part.rows == {"indicators": 3}
    assert any("实际是 .xls" in n for n in part.notes)
    form = build_report(preview, template="mof", year=2023).form_by_name("宣传经费")
    assert form is not None and form.indicators[0].target == "≥4次" and form.indicators[0].actual == "6次"
    assert [i.level1 for i in form.indicators] == ["产出指标", "效益指标", "效益指标"]


def _c(value: object, attrs: str = "") -> str:
    kind = "Number" if isinstance(value, int) else "String"
    return f'<Cell{attrs}><Data ss:Type="{kind}">{value}</Data></Cell>'


def _row(*cells: str) -> str:
    return "<Row>" + "".join(cells) + "</Row>"


def _spreadsheetml(path: Path) -> Path:
    """An 安徽 offline template: Excel 2003 XML with merged cells, fixed rows."""
    fund_titles = ["资金名称", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    ind_titles = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    rows = [
        _row(_c("项目支出绩效自评表", ' ss:MergeAcross="6"')),
        _row(_c("项目名称"), _c("安徽试点项目", ' ss:MergeAcross="5"')),
        _row(*(_c(t) for t in fund_titles)),
        _row(_c("年度资金总额"), _c(50), _c(60), _c(54), _c(10), '<Cell ss:Formula="=D4/C4"/>'),
        _row(_c("预期目标"), _c("实际完成情况", ' ss:MergeAcross="2"')),
        _row(_c("改善试点条件"), _c("条件改善", ' ss:MergeAcross="2"')),
        _row(*(_c(t) for t in ind_titles)),
        _row(
            _c("产出指标", ' ss:MergeDown="1"'),
            *(_c(v) for v in ["数量指标", "试点个数", "≥3个", "3个", 45, 45]),
        ),
        _row(_c("时效指标", ' ss:Index="2"'), *(_c(v) for v in ["按时完成率", "100%", "100%", 45, 45])),
    ]
    text = (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="项目自评"><Table>' + "".join(rows) + "</Table></Worksheet></Workbook>"
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_spreadsheetml_offline_template(tmp_path: Path) -> None:
    path = _spreadsheetml(tmp_path / "安徽自评模板.xls")
    preview = preview_files([path])
    (part,) = [p for p in preview.sources if p.raw]
    assert part.form == "安徽试点项目"
    assert part.rows == {"funds": 1, "goals": 1, "indicators": 2}
    assert any("公式没有保存计算结果" in s.reason for s in part.skipped)
    form = build_report(preview, template="mof", year=2024).form_by_name("安徽试点项目")
    assert form is not None
    assert [(i.level1, i.level2, i.level3) for i in form.indicators] == [
        ("产出指标", "数量指标", "试点个数"),
        ("产出指标", "时效指标", "按时完成率"),
    ]
    total = form.fund("total")
    assert total is not None and (total.initial, total.annual, total.executed) == ("50", "60", "54")
    assert form.goals[0].achieved == "条件改善"


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600,
            "p.xlsx",
            "密码",
        ),
        (b"PK\x03\x04broken zip", "c.xlsx", "损坏"),
        (b"hello, world", "t.xlsx", "不是 Excel"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "web.xls", "网页"),
    ],
)
def test_bad_files_give_one_chinese_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, name: str, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "new.zpdb"
    assert main(["import", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err and "Traceback" not in err
    assert not out.exists()


def test_word_without_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("只有文字，没有表格。")
    path = tmp_path / "说明.docx"
    document.save(str(path))
    assert main(["import", str(path), "--dry-run", "--json"]) == 2
    assert "没有表格" in capsys.readouterr().err


def test_cli_new_into_dry_run_json_and_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    xlsx = tmp_path / "yiyang.xlsx"
    write_xlsx(report, xlsx, template=get_template(report.template))
    out = tmp_path / "new.zpdb"
    assert main(["import", str(xlsx), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["import", str(xlsx), "--into", str(out), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    parts = data["sources"]
    assert {p["action"] for p in parts} == {"fill", "skip"}
    assert set(parts[1]) >= {"file", "part", "recognised_as", "form", "action", "rows", "skipped"}
    assert parts[1]["rows"] == {"funds": 5, "goals": 1, "indicators": 18}
    before = out.read_bytes()
    assert main(["import", str(xlsx), "--into", str(out)]) == 0
    assert "没有需要修改的内容" in capsys.readouterr().out
    doc = Document.open(out, backup=False)
    try:
        assert _comparable(doc.report) == _comparable(report)
    finally:
        doc.close()
    assert len(before) > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_word_export_round_trips(seed: str, tmp_path: Path) -> None:
    """The Word report's tables are the forms (split tables joined) and its headings the sections."""
    report = read_json_file(FIXTURES / f"{seed}.json")
    path = tmp_path / "report.docx"
    write_docx(report, path, template=get_template(report.template))
    back = build_report(preview_files([path]))
    assert _comparable(back) == _comparable(report)
    if report.narrative:
        assert back.narrative == report.narrative


def test_declaration_form_gives_targets_and_initial_budget(tmp_path: Path) -> None:
    """A 绩效目标申报表 as the 一体化 system exports it: targets only, amounts are the year's request."""
    wb = openpyxl.Workbook()
    ws = wb.active
    rows: list[list[Any]] = [
        ["项目支出绩效目标申报表"],
        ["（2024年度）"],
        ["项目名称", "干部培训项目"],
        ["主管部门及代码", "[101]某局", "", "实施单位", "某中心"],
        ["项目资金（万元）", "项目资金总额", 300],
        ["", "其中：财政资金", 280],
        ["", "年度资金申请总额", "100"],
        ["", "其中：当年财政拨款", "８０"],
        ["", "上年结转资金", 10],
        ["", "其他资金", 10],
        ["年度总体目标", "完成全年干部培训任务 1000 人次"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "培训人次", "≥1000人次"],
        ["", "", "时效指标", "完成时间", "≤12月"],
        ["", "满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A5:A10")
    ws.merge_cells("B13:B14")
    path = _save(wb, tmp_path / "申报表.xlsx")
    preview = preview_files([path])
    (part,) = [p for p in preview.sources if p.raw]
    assert part.recognised_as == "绩效目标申报表"
    report = build_report(preview, template="mof")
    assert report.year == 2024
    form = report.form_by_name("干部培训项目")
    assert form is not None and form.supervisor == "[101]某局" and form.implementer == "某中心"
    total, current = form.fund("total"), form.fund("current")
    assert total is not None and current is not None
    assert (total.initial, total.annual, total.executed) == ("100", "", "")
    assert current.initial == "80"
    assert any("整个项目期" in s.reason for s in part.skipped)
    assert form.goals[0].goal == "完成全年干部培训任务 1000 人次" and form.goals[0].achieved == ""
    assert [(i.level1, i.level3, i.target, i.actual) for i in form.indicators] == [
        ("产出指标", "培训人次", "≥1000人次", ""),
        ("产出指标", "完成时间", "≤12月", ""),
        ("满意度指标", "学员满意度", "≥90%", ""),
    ]


def test_decompression_bomb_and_cell_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.importers import readers

    path = _yth_workbook(tmp_path / "bomb.xlsx", wps=False)
    monkeypatch.setattr(readers, "MAX_UNPACKED_BYTES", 1000)
    (part,) = preview_files([path]).sources
    assert part.action == "skip" and "压缩炸弹" in part.reason
    monkeypatch.setattr(readers, "MAX_UNPACKED_BYTES", 400 * 1024 * 1024)
    monkeypatch.setattr(readers, "MAX_CELLS", 20)
    (part,) = preview_files([path]).sources
    assert part.rows == {"indicators": 1}  # reading stopped at the limit, and the preview says so
    assert any("未读取" in n for n in part.notes)


@pytest.mark.parametrize("template_id", ["mof", "sichuan"])
@pytest.mark.parametrize("writer", [write_xlsx, write_docx])
def test_other_templates_own_exports_round_trip(template_id: str, writer: Any, tmp_path: Path) -> None:
    """The templates no seed uses: their own Excel and Word exports read back to the same forms."""
    import copy

    from core.templates import get_template

    seed = read_json_file(FIXTURES / "seed004_yiyang.json")
    report = new_report(template_id, 2023, "某部门", ["业务工作经费", "培训经费"])
    printed_direction = get_template(template_id).form("project").has_column("direction")
    for form in report.forms:
        form.goals = copy.deepcopy(seed.forms[1].goals)
        form.indicators = copy.deepcopy(seed.forms[1].indicators)
        form.indicators[0].direction = "≥" if printed_direction else ""
        for row in form.funds:
            row.initial, row.annual, row.executed = "100", "120.5", "99"
    path = tmp_path / ("out.xlsx" if writer is write_xlsx else "out.docx")
    writer(report, path, template=get_template(template_id))
    preview = preview_files([path])
    assert preview.template == template_id
    back = build_report(preview)
    assert _comparable(back) == _comparable(report)
