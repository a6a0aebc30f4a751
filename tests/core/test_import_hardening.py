"""Last year's files as offices really make them, beyond the seed's own exports: Word tables kept in
content controls or drawn with rows that start further right, text boxes, and the other variants
below. Each file is written here (python-docx, openpyxl) from the seed's export and read back: it
reads as the seed, or the preview says clearly what was left out and why."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from core.templates import get_template
from tests.core.test_import_variants import (
    SEED,
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


@pytest.fixture(scope="module")
def seed_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from core.export.xlsx import write_xlsx

    path = tmp_path_factory.mktemp("seed") / "seed004.xlsx"
    write_xlsx(SEED, path, template=get_template(SEED.template))
    return path


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from core.export.docx import write_docx

    path = tmp_path_factory.mktemp("seed") / "seed004.docx"
    write_docx(SEED, path, template=get_template(SEED.template))
    return path


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
