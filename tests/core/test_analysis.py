"""The 自评结果汇总分析报告: its figures are the 汇总表's, read back from the written files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from docx import Document

from core.cli import main
from core.export.analysis import rate_bands, unmet_indicators, write_analysis
from core.export.summary import build_summary, write_summary_xlsx
from core.interchange import read_json_file
from core.model import Report
from core.submission import outputs_section
from core.templates import get_template

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="module")
def seed001() -> Report:
    return read_json_file(FIXTURES / "seed001_guangyuan.json")


def _text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_analysis_figures_equal_the_summary_table(seed001: Report, tmp_path: Path) -> None:
    write_analysis(seed001, tmp_path / "a.docx", template=get_template(seed001.template))
    write_summary_xlsx(seed001, tmp_path / "s.xlsx", template=get_template(seed001.template))
    text = _text(tmp_path / "a.docx")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    total_row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 2).value).startswith("项目合计"))
    annual, executed = (Decimal(str(ws.cell(total_row, c).value)) for c in (4, 5))
    assert f"项目全年预算数合计{annual:.2f}万元" in text
    assert f"全年执行数合计{executed:.2f}万元" in text
    assert f"执行率{(executed / annual * 100).quantize(Decimal('0.01'))}%" in text
    assert "对部门整体支出和24个项目支出开展了绩效自评" in text


def test_grade_and_rate_tables_count_every_project(seed001: Report, tmp_path: Path) -> None:
    write_analysis(seed001, tmp_path / "a.docx", template=get_template(seed001.template))
    doc = Document(str(tmp_path / "a.docx"))
    grades, rates = doc.tables[0], doc.tables[1]
    summary = build_summary(seed001, get_template(seed001.template))
    counted = {row.cells[0].text: int(row.cells[1].text) for row in grades.rows[1:]}
    assert {k: counted[k] for k in summary.grades} == summary.grades
    assert sum(counted.values()) == 24
    band_counts = [int(row.cells[1].text) for row in rates.rows[1:]]
    lab = outputs_section(get_template(seed001.template), "analysis")
    assert band_counts == [n for _, n in rate_bands(summary, lab)]
    assert sum(band_counts) == sum(1 for r in summary.projects if r.rate is not None)
    assert doc.tables[-1].rows[0].cells[1].text == "项目名称"  # the 汇总表 at the end


def test_warnings_and_unmet_indicators_with_their_reasons(seed001: Report, tmp_path: Path) -> None:
    write_analysis(seed001, tmp_path / "a.docx", template=get_template(seed001.template))
    text = _text(tmp_path / "a.docx")
    warned = [r for r in build_summary(seed001, get_template(seed001.template)).rows if r.warning]
    assert f"共有{len(warned)}张自评表触发自评预警" in text
    assert all(r.name in text for r in warned)
    unmet = unmet_indicators(seed001, get_template(seed001.template))
    assert f"共有{len(unmet)}个绩效指标未完成年度指标值" in text
    assert "当年无此类情形" in text  # 暖心关爱's reason is quoted


def test_own_text_replaces_a_draft_and_figures_are_filled(seed001: Report, tmp_path: Path) -> None:
    write_analysis(
        seed001,
        tmp_path / "a.docx",
        own={"problems": "主要问题是{项目个数}个项目中有结余。"},
        template=get_template(seed001.template),
    )
    assert "主要问题是24个项目中有结余。" in _text(tmp_path / "a.docx")


def test_cli_analysis(tmp_path: Path) -> None:
    assert (
        main(["export", str(FIXTURES / "seed004_yiyang.json"), "--analysis", str(tmp_path / "x.docx")]) == 0
    )
    assert "汇总分析报告" in _text(tmp_path / "x.docx")


def test_own_texts_are_kept_in_the_file_and_the_interchange(seed_zpdb: Any, tmp_path: Path) -> None:
    from core.interchange import report_from_dict, report_to_dict
    from core.report import Document

    path = seed_zpdb("seed001_guangyuan")
    doc = Document.open(path, backup=False)
    change = doc.set_analysis("problems", "一是{低执行率项目个数}个项目执行率偏低。")
    assert (change.table, change.columns) == ("analysis", ("problems",))
    doc.close()
    doc = Document.open(path, backup=False)
    report = doc.report
    assert report.analysis == {"problems": "一是{低执行率项目个数}个项目执行率偏低。"}
    assert report_from_dict(report_to_dict(report)).analysis == report.analysis
    write_analysis(report, tmp_path / "a.docx", template=get_template(report.template))
    assert "一是2个项目执行率偏低。" in _text(tmp_path / "a.docx")
    doc.set_analysis("problems", "")
    assert doc.report.analysis == {}
    doc.close()


def test_a_rate_prints_with_the_templates_places(tmp_path: Path) -> None:
    """平凉 prints a 执行率 without decimals (its forms and report: "100%"); the 汇总分析报告 printed
    "执行率100.00%" there, as every region's default of two places."""
    report = read_json_file(FIXTURES / "seed003_pingliang.json")
    template = get_template(report.template)
    assert template.scoring.rate_places == 0
    write_analysis(report, tmp_path / "a.docx", template=template)
    text = _text(tmp_path / "a.docx")
    assert "全年执行数2254.70万元，执行率100%。" in text and "100.00%" not in text
