"""Every printed label of every form reads as the seed prints it, in the Excel and the Word export."""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook

from core.export.docx import write_docx
from core.export.summary import write_summary_xlsx
from core.export.xlsx import write_xlsx
from core.interchange import read_json_file
from core.templates import Template, get_template, parse_template

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TEMPLATES = Path(__file__).resolve().parents[2] / "resources" / "templates"
LABELS = json.loads((FIXTURES / "labels" / "seed_labels.json").read_text(encoding="utf-8"))
SEEDS = [k for k in LABELS if not k.startswith("_")]
_WIDTH = str.maketrans("():", "（）：")


def norm(text: str) -> str:
    """Compare as a reader does: no whitespace, brackets and colons in one width."""
    return re.sub(r"[\s\u200b]+", "", text).translate(_WIDTH)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_excel_sheet_prints_the_seed_labels(seed: str, tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_xlsx(
        read_json_file(FIXTURES / f"{seed}.json"),
        path,
        template=get_template(read_json_file(FIXTURES / f"{seed}.json").template),
    )
    book = load_workbook(path)
    for start, labels in LABELS[seed].items():
        sheet = next((ws for ws in book.worksheets if ws.title.startswith(start)), None)
        assert sheet is not None, f"{seed}: no sheet {start!r} in {book.sheetnames}"
        texts = {norm(str(c.value)) for row in sheet.iter_rows() for c in row if c.value is not None}
        missing = [label for label in labels if norm(label) not in texts]
        assert not missing, f"{seed} {sheet.title}: {missing}"


@pytest.mark.parametrize("seed", SEEDS)
def test_the_word_attachments_print_the_seed_labels(seed: str, tmp_path: Path) -> None:
    path = tmp_path / "out.docx"
    write_docx(
        read_json_file(FIXTURES / f"{seed}.json"),
        path,
        template=get_template(read_json_file(FIXTURES / f"{seed}.json").template),
    )
    doc = docx.Document(str(path))
    texts = {norm(p.text) for p in doc.paragraphs}
    for table in doc.tables:
        for row in table.rows:
            texts.update(norm(c.text) for c in row.cells)
    wanted = {norm(label) for labels in LABELS[seed].values() for label in labels}
    missing = sorted(wanted - texts)
    assert not missing, f"{seed}: {missing}"


def test_no_form_prints_a_label_the_seed_does_not() -> None:
    """Labels the code used to add: a 填表人 line on 001 and 003, the “（自动生成）” marker."""
    from core.export.layout import plan

    for seed in ("seed001_guangyuan", "seed003_pingliang"):
        report = read_json_file(FIXTURES / f"{seed}.json")
        assert not any(
            g.signoff for g in plan(report, get_template(report.template)) if g.uid is not None
        )  # the forms and 评分表


SEED_LISTS = {  # the report's attachment list as the seed prints it (003's seed has no report)
    "seed001_guangyuan": [
        "附件：1. 中共广元市昭化区委组织部2023年部门整体支出绩效目标自评表",
        "2.中共广元市昭化区委组织部2023年部门整体支出绩效自评评分表",
    ],
    "seed004_yiyang": [
        "附件: 1、部门整体支出绩效评价基础数据表",
        "2、部门整体支出绩效自评表",
        "3、项目支出绩效自评表",
    ],
}


@pytest.mark.parametrize("seed", sorted(SEED_LISTS))
def test_the_word_report_lists_the_attachments_as_the_seed_does(seed: str, tmp_path: Path) -> None:
    """The list's words are the template's (print.attachment_titles), not the forms' titles: 004 lists
    部门整体支出绩效自评表 where the form's title is 2023年度部门整体支出绩效自评表, 001 lists its two 附件
    by department and year and not its 附表. The 自评汇总表 (ZiPing's own attachment) follows them."""
    report = read_json_file(FIXTURES / f"{seed}.json")
    path = tmp_path / "out.docx"
    write_docx(report, path, template=get_template(report.template))
    texts = [norm(p.text) for p in docx.Document(str(path)).paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith("附件："))
    wanted = [norm(t) for t in SEED_LISTS[seed]]
    assert texts[start : start + len(wanted)] == wanted
    assert texts[start + len(wanted)].endswith("绩效自评汇总表")
    assert texts[start + len(wanted) + 1] == ""


HEADING_001 = "附表：部门预算项目支出绩效自评表（2023年度）"  # seed 001 line 493, once above its 24 projects


def test_001_prints_one_heading_above_its_project_forms_and_no_project_label(tmp_path: Path) -> None:
    """Seed 001 prints one heading above all its project forms and no 附表N per project (issue 14):
    the Word report prints it once, right above the first project form's title; the Excel workbook on
    the first project sheet only; no 附表1 anywhere, and the project tabs are named by the projects."""
    from core.cli import main

    zpdb, out, book = tmp_path / "001.zpdb", tmp_path / "001.docx", tmp_path / "001.xlsx"
    assert main(["import-json", str(FIXTURES / "seed001_guangyuan.json"), "-o", str(zpdb)]) == 0
    assert main(["export", str(zpdb), "--docx", str(out), "--xlsx", str(book), "--force"]) == 0
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts.count(HEADING_001) == 1
    at = texts.index(HEADING_001)
    assert texts.index("广元市昭化区财政项目支出绩效自评表") == at + 1  # the first project form's title
    assert texts.count("广元市昭化区财政项目支出绩效自评表") == 24
    assert not [t for t in texts if re.match(r"附表\s*\d", t.strip())]

    wb = load_workbook(book)
    cells = {ws.title: [str(c.value) for r in ws.iter_rows() for c in r if c.value is not None] for ws in wb}
    assert [title for title, values in cells.items() if HEADING_001 in values] == ["东西部协作人才交流项目"]
    assert not [v for values in cells.values() for v in values if re.match(r"附表\s*\d", v.strip())]
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    projects = [f.name for f in report.forms[1:]]
    assert [t for t in wb.sheetnames if t in projects] == projects  # each project's tab is its name


@pytest.mark.parametrize("template", ["mof", "sichuan", "gansu-pingliang", "hunan-yiyang"])
def test_the_templates_that_number_their_projects_still_do(template: str) -> None:
    from core.export.layout import plan

    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    labels = [g.attachment for g in plan(report, get_template(template)) if g.name.endswith("经费")]
    first = {"hunan-yiyang": "附件3"}.get(template, "附件2")
    assert labels == [f"{first}-{n}" for n in (1, 2, 3)]


def _with_words(template_id: str, change: Any) -> Template:
    """Return ``template_id`` as a region's own file with ``change(data)`` made to its words."""
    data = json.loads((TEMPLATES / f"{template_id}.json").read_text(encoding="utf-8"))
    change(data)
    return parse_template(data, f"{template_id}.json")


def _footers(path: Path) -> list[str]:
    """Return every sheet's <oddFooter> text as the file holds it ("" for none)."""
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
        found = [re.search(r"<oddFooter>(.*?)</oddFooter>", z.read(n).decode()) for n in names]
    return [html.unescape(m[1]) if m else "" for m in found]


def test_the_page_footer_is_the_templates(tmp_path: Path) -> None:
    """The Excel sheets' page number line "第 N 页，共 M 页" was the code's own words: it is each
    template's ``print.page_footer`` ({page}, {pages}); a template without one prints none."""
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    path = tmp_path / "out.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    assert set(_footers(path)) == {'&C&"宋体"第 &P 页，共 &N 页'}

    def own(data: dict[str, Any]) -> None:
        data["print"]["page_footer"] = "{page}/{pages} & 页"

    write_xlsx(report, path, template=_with_words(report.template, own))
    assert set(_footers(path)) == {'&C&"宋体"&P/&N && 页'}
    write_summary_xlsx(report, path, template=_with_words(report.template, own))
    assert _footers(path) == ['&C&"宋体"&P/&N && 页']
    write_xlsx(report, path, template=_with_words(report.template, lambda d: d["print"].pop("page_footer")))
    assert set(_footers(path)) == {""}


def test_the_summary_signoff_is_the_templates(tmp_path: Path) -> None:
    """The 自评汇总表's 填表人 … line was the code's own four labels: it is the template's
    ``outputs.summary.signoff`` (else the 部门整体 form's)."""
    report = read_json_file(FIXTURES / "seed004_yiyang.json")

    def own(data: dict[str, Any]) -> None:
        data["outputs"]["summary"]["signoff"] = ["制表人", "审核日期"]

    path = tmp_path / "out.xlsx"
    write_summary_xlsx(report, path, template=_with_words(report.template, own))
    texts = [str(c.value) for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    line = next(t for t in texts if "制表人" in t)
    assert line.split() == ["制表人：朱琳", "审核日期：2024年5月16日"]
    assert not [t for t in texts if "填表人" in t]

    def none(data: dict[str, Any]) -> None:
        data["outputs"]["summary"].pop("signoff")
        data["forms"]["overall"]["print"]["signoff"] = ["编制人"]

    write_summary_xlsx(report, path, template=_with_words(report.template, none))
    texts = [str(c.value) for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    assert "编制人：朱琳" in texts


def _word_footers(path: Path) -> list[str]:
    """Return the text of every footer part of a .docx, its PAGE field as {page}."""
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if re.fullmatch(r"word/footer\d+\.xml", n))
        parts = [z.read(n).decode() for n in names]
    out = []
    for xml in parts:
        xml = re.sub(r"<w:fldSimple [^>]*PAGE.*?</w:fldSimple>", "<w:t>{page}</w:t>", xml)
        out.append(html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))))
    return out


def test_the_word_page_number_is_the_templates(tmp_path: Path) -> None:
    """The Word report's page number "— N —" (GB/T 9704) was the code's own: it is each template's
    ``print.page_number``; a template without one numbers no page."""
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    path = tmp_path / "out.docx"
    write_docx(report, path, template=get_template(report.template))
    assert set(_word_footers(path)) == {"— {page} —"}

    def own(data: dict[str, Any]) -> None:
        data["print"]["page_number"] = "第{page}页 <&>"

    write_docx(report, path, template=_with_words(report.template, own))
    assert set(_word_footers(path)) == {"第{page}页 <&>"}
    write_docx(report, path, template=_with_words(report.template, lambda d: d["print"].pop("page_number")))
    assert set(_word_footers(path)) <= {""}


def test_the_reports_sentences_of_figures_are_the_templates(tmp_path: Path) -> None:
    """The Word report's paragraph of figures ("2023年度，部门全年预算数…万元…", "三公经费决算…比上年决算…
    增加…，增长…", "…自评得分…分，等级为…") was written in the code's words: they are each template's
    ``print.figures`` sentences; a template without them adds no such paragraph."""
    report = read_json_file(FIXTURES / "seed004_yiyang.json")

    def own(data: dict[str, Any]) -> None:
        words = data["print"]["figures"]
        words["budget"] = "{年度}年全年预算{全年预算数}万元，执行{全年执行数}万元（{执行率}）。"
        words["year_on_year"] = "{项目}：{上年决算}→{本年决算}万元，{变动}{幅度}。"
        words["increase"], words["growth"] = "多{金额}万元", "（+{比例}）"

    path = tmp_path / "out.docx"
    write_docx(report, path, template=_with_words(report.template, own))
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    auto = next(t for t in texts if t.startswith("2023年全年预算"))
    assert auto.startswith("2023年全年预算2187.04万元，执行2187.04万元（100%）。")
    assert "三公经费：10.25→16.13万元，多5.88万元（+57.37%）。" in auto
    assert not any("部门全年预算数" in t for t in texts)
    write_docx(report, path, template=_with_words(report.template, lambda d: d["print"].pop("figures")))
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert not any("比上年决算" in t or "全年预算2187.04" in t for t in texts)
