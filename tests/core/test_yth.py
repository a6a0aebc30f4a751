"""一体化 import files, pre-submission checks and the 自评汇总表, read back from real files."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.cli import main
from core.export.summary import build_summary, write_summary_xlsx
from core.export.xlsx import write_xlsx
from core.export.yth import export_yth, safe_name
from core.interchange import read_json_file
from core.model import Report
from core.rules import check_report
from core.scoring import score_form
from core.submission import yth_labels
from core.templates import get_template

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HEADERS = [
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
WORDS = {"达成", "部分达成", "未达成"}


@pytest.fixture(scope="module")
def seed001() -> Report:
    return read_json_file(FIXTURES / "seed001_guangyuan.json")


@pytest.fixture(scope="module")
def seed004() -> Report:
    return read_json_file(FIXTURES / "seed004_yiyang.json")


def _sheet_rows(path: Path) -> list[tuple[object, ...]]:
    ws = openpyxl.load_workbook(path).active
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_every_template_has_the_twelve_headers() -> None:
    for template_id in ("mof", "sichuan", "sichuan-guangyuan", "hunan-yiyang", "gansu-pingliang"):
        assert list(yth_labels(get_template(template_id)).headers) == HEADERS


def test_seed001_every_project_file_reads_back_with_one_row_per_indicator(
    seed001: Report, tmp_path: Path
) -> None:
    files, archive = export_yth(seed001, tmp_path / "一体化", template=get_template(seed001.template))
    assert len(files) == 25 == len(seed001.forms)  # 24 projects and the 部门整体
    by_uid = {id(f): f for f in seed001.forms}
    assert len({f.path.name for f in files}) == 25
    for form, written in zip(sorted(seed001.forms, key=lambda f: f.kind != "overall"), files, strict=True):
        assert written.name == form.name and id(form) in by_uid
        rows = _sheet_rows(written.path)
        assert list(rows[0]) == HEADERS
        indicators = [i for i in form.indicators if not i.is_blank_row()]
        assert len(rows) - 1 == len(indicators) == written.rows
        for ind, row in zip(indicators, rows[1:], strict=True):
            assert row[2] == ind.level3
            if row[3] == "定性":
                assert row[5] in WORDS, (form.name, ind.level3, row[5])
            else:
                assert row[3] in {"≥", "＞", "＝", "＜", "≤"}
                assert isinstance(row[4], int | float)
    with zipfile.ZipFile(archive) as z:
        assert sorted(Path(n).name for n in z.namelist()) == sorted(f.path.name for f in files)


def test_cells_hold_numbers_units_words_and_the_original_text(seed001: Report, tmp_path: Path) -> None:
    files, _ = export_yth(seed001, tmp_path / "out", template=get_template(seed001.template))
    rows = _sheet_rows(next(f.path for f in files if f.name == "干部暖心关爱帮扶基金经费"))
    first = rows[1]
    assert first[3:7] == ("≥", 1, 2, "人")
    qualitative = next(r for r in rows if r[2] == "激励全区广大干部安心安身有作为")
    # 定性: the word in 实际完成值, what was written kept as the 简要描述
    assert qualitative[3:6] == ("定性", "定性", "达成") and qualitative[10] == "工作积极性高"
    missed = next(r for r in rows if r[2] == "帮扶因工作积劳成疾直接导致死亡的干部家庭数")
    assert missed[5] == 0 and missed[11] == "当年无此类情形"
    cost = next(r for r in rows if r[2] == "其他对个人和家庭的补助")
    assert cost[3:7] == ("≤", 1000000, 78500, "元")


def test_scores_weights_and_deduction_columns(seed004: Report, tmp_path: Path) -> None:
    form = seed004.forms[2]
    files, _ = export_yth(seed004, tmp_path / "y", template=get_template(seed004.template))
    rows = _sheet_rows(next(f.path for f in files if f.name == form.name))
    scores = score_form(seed004, form, get_template(seed004.template)).indicators
    exported = [(i, s) for i, s in zip(form.indicators, scores, strict=True) if not i.is_blank_row()]
    for (ind, s), row in zip(exported, rows[1:], strict=True):
        assert Decimal(str(row[7])) == Decimal(ind.weight)
        assert Decimal(str(row[8])) == s.score  # before any deduction


def test_file_names_are_windows_safe() -> None:
    assert safe_name('a\\b/c:d*e?f"g<h>i|j') == "abcdefghij"
    assert safe_name("CON") == "_CON" and safe_name("  ...  ") == "未命名"
    assert len(safe_name("长" * 300)) <= 80


def test_user_text_never_becomes_a_formula(seed004: Report, tmp_path: Path) -> None:
    report = seed004.clone()
    report.forms[1].indicators[0].deviation_note = "=HYPERLINK(1)"
    files, _ = export_yth(report, tmp_path / "f", template=get_template(report.template))
    ws = openpyxl.load_workbook(next(f.path for f in files if f.name == report.forms[1].name)).active
    assert ws.cell(2, 12).value == "=HYPERLINK(1)" and ws.cell(2, 12).data_type == "s"


# ---- pre-submission checks -----------------------------------------------------------


def _problems_at(report: Report, form: int, row: int) -> dict[str, tuple[str | None, str]]:
    name = report.forms[form].name
    found = [
        p
        for p in check_report(report, get_template(report.template))
        if p.form == name and p.row == row and p.group == "yth"
    ]
    return {p.rule: (p.column, p.message) for p in found}


def test_each_pre_submission_problem_is_named_at_its_cell(seed004: Report) -> None:
    report = seed004.clone()
    inds = report.forms[1].indicators  # 业务工作经费
    inds[7].actual = "已完成"  # target 持续保障: 定性
    inds[1].actual = "约十次"  # target ≥1 次
    inds[3].level3 = inds[2].level3
    inds[4].score = "15"  # weight 10
    inds[5].weight = "11"  # 成本指标 now 11 of the template's 10
    found = check_report(report, get_template(report.template))
    name = report.forms[1].name
    at = {(p.rule, p.row, p.column) for p in found if p.form == name and p.group == "yth"}
    assert {("Y01", 7, "actual"), ("Y03", 1, "actual"), ("Y05", 3, "level3")} <= at
    assert {("V04", 4, "score"), ("Y04", 5, "weight")} <= at
    y01 = next(p for p in found if p.rule == "Y01" and p.row == 7 and p.form == name)
    assert "已完成" in y01.message and "可改为“达成”" in y01.message
    y04 = next(p for p in found if p.rule == "Y04" and p.form == name)
    assert y04.message == "成本指标的三级指标分值合计为 11，一体化模板规定为 10"
    untouched = {
        (p.rule, p.row)
        for p in check_report(seed004, get_template(seed004.template))
        if p.form == name and p.group == "yth"
    }
    assert not {("Y03", 1), ("Y05", 3), ("V04", 4), ("Y04", 5)} & untouched


def test_qualitative_word_without_brief_and_bad_characters(seed004: Report) -> None:
    report = seed004.clone()
    ind = report.forms[1].indicators[0]
    ind.target, ind.actual = "定性", "达成"
    if hasattr(ind, "brief"):
        ind.brief = ""
    assert "Y02" in _problems_at(report, 1, 0)
    ind.actual = "-"
    found = _problems_at(report, 1, 0)
    assert found["Y06"][0] == "actual" and "“-”" in found["Y06"][1]


def test_check_json_marks_the_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(FIXTURES / "seed001_guangyuan.json"), "--json"]) in (0, 1)
    problems = json.loads(capsys.readouterr().out)["problems"]
    yth = [p for p in problems if p.get("group") == "yth"]
    assert yth and all(p["rule"][0] in "YV" for p in yth)
    assert all("group" not in p for p in problems if p["rule"].startswith("S"))


def test_empty_and_blank_three_level_name(seed004: Report) -> None:
    report = seed004.clone()
    report.forms[1].indicators[0].level3 = ""
    assert _problems_at(report, 1, 0)["Y05"][0] == "level3"


# ---- 汇总表 -----------------------------------------------------------------------------


def test_summary_totals_equal_the_sums_of_the_forms_to_the_cent(seed001: Report, tmp_path: Path) -> None:
    summary = build_summary(seed001, get_template(seed001.template))
    assert len(summary.projects) == 24 and summary.overall is not None
    path = tmp_path / "汇总表.xlsx"
    write_summary_xlsx(seed001, path, template=get_template(seed001.template))
    ws = openpyxl.load_workbook(path).active
    header = next(r for r in range(1, 10) if ws.cell(r, 2).value == "项目名称")
    first = header + 1
    assert ws.cell(first, 2).value.startswith("部门整体支出")
    project_rows = range(first + 1, first + 1 + 24)
    names = [ws.cell(r, 2).value.replace("\n", "") for r in project_rows]  # where a line ends: not a word
    assert names == [f.name for f in seed001.projects]
    total_row = first + 25
    assert ws.cell(total_row, 2).value == "项目合计（24个）"
    for col in (3, 4, 5):
        cents = sum(Decimal(str(ws.cell(r, col).value or 0)) for r in project_rows)
        assert Decimal(str(ws.cell(total_row, col).value)).quantize(Decimal("0.01")) == cents.quantize(
            Decimal("0.01")
        )
    annual = sum(Decimal(f.funds[0].annual or 0) for f in seed001.projects)
    assert summary.annual == annual


def test_summary_counts_grades_and_average(seed004: Report) -> None:
    summary = build_summary(seed004, get_template(seed004.template))
    scores = [score_form(seed004, f, get_template(seed004.template)).total for f in seed004.projects]
    assert sum(summary.grades.values()) == 3 == summary.scored
    assert summary.average == (sum(s for s in scores if s is not None) / 3).quantize(Decimal("0.01"))


def test_summary_is_the_last_sheet_of_the_excel_export(seed004: Report, tmp_path: Path) -> None:
    write_xlsx(seed004, tmp_path / "a.xlsx", template=get_template(seed004.template))
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx")["自评汇总表"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "自评预警" in texts and any(t.startswith("等级分布：优") for t in texts)


def test_cli_writes_folder_zip_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "导入"
    code = main(
        [
            "export",
            str(FIXTURES / "seed001_guangyuan.json"),
            "--yth",
            str(out),
            "--summary",
            str(tmp_path / "s.xlsx"),
        ]
    )
    assert code == 0
    assert len(list(out.glob("*.xlsx"))) == 25 and (tmp_path / "导入.zip").exists()
    assert (tmp_path / "s.xlsx").exists() and "25 个一体化导入文件" in capsys.readouterr().out


def test_the_import_file_shows_every_header_and_text_in_full(seed001: Report, tmp_path: Path) -> None:
    """Rendered through LibreOffice, the import files printed two lines of the long headers (*实际完成值
    （定量填数字…）, *分值 数量(20)…, *指标得分…) and cut 指标值 texts off at the next column: the rows
    had no height, which neither Excel nor LibreOffice fits to wrapped text on opening. Every header
    and text now wraps in 宋体 and its row is as tall as its longest text needs (an 11 pt line a CJK
    character 15 px of the column's 7 px units), and the file prints its 12 columns on a page's width."""
    from core.export.lines import text_units

    files, _ = export_yth(seed001, tmp_path / "out", template=get_template(seed001.template))
    for f in files:
        ws = openpyxl.load_workbook(f.path).active
        widths = {d.min: d.width for d in ws.column_dimensions.values()}
        for row in ws.iter_rows():
            need = 1
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.font.name == "宋体" and cell.alignment.wrap_text, (f.name, cell.coordinate)
                if isinstance(cell.value, str):
                    per_line = (7 * widths[cell.column] - 1) / (11 * 4 / 3 / 2)
                    need = max(need, -(-text_units(cell.value) // int(per_line)))
            height = ws.row_dimensions[row[0].row].height
            assert need == 1 or (height or 0) >= need * 15, (f.name, row[0].row, need, height)
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
            "landscape",
            9,
            1,
            0,
        )
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"


def test_the_long_text_columns_hold_their_headers_without_a_lone_bracket(
    seed004: Report, tmp_path: Path
) -> None:
    """Reviewer's R6: at 30 wide, LibreOffice printed "完成情况简要描述（定量选填，定性必填" / "）" and
    "偏差原因及改进措施（指标未完成时必填" / "）" (the headers are the system's words: no break of ours);
    at 34 Calc prints each on one line and Excel's 11 pt lines of 16 characters leave four."""
    files, _ = export_yth(seed004, tmp_path / "out", template=get_template(seed004.template))
    ws = openpyxl.load_workbook(files[0].path).active
    widths = {d.min: d.width for d in ws.column_dimensions.values()}
    for col in (11, 12):
        assert ws.cell(1, col).value.endswith("必填）") and widths[col] >= 34
