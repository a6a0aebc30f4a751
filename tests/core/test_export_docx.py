"""The Word export read back with python-docx: seed 004's tables, merges, fonts, page layout, narrative."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from core.cli import main as cli_main
from core.export import ExportCancelled
from core.export.docx import write_docx
from core.export.layout import plan
from core.interchange import read_json_file
from core.model import Report
from core.templates import get_template
from tests.conftest import FIXTURES
from tests.core.export_helpers import match_in_order, norm, seed_section


@pytest.fixture(scope="module")
def report004() -> Report:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    for uid, form in enumerate(report.forms, start=1):
        form.uid = uid
    report.narrative[6].text += "\n全年执行率为{执行率}，{未知}保持原样。"
    return report


@pytest.fixture(scope="module")
def doc004(report004: Report, tmp_path_factory: pytest.TempPathFactory) -> docx.document.Document:
    path = tmp_path_factory.mktemp("d") / "004.docx"
    write_docx(report004, path, template=get_template(report004.template))
    return docx.Document(str(path))


def body_rows(doc) -> list[list[str]]:
    """Return paragraphs (one token) and table rows (non-empty cells, merged continuations blank) in order."""
    rows = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text.strip():
                rows.append([norm(text)])
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                cells = []
                for tc in tr.findall(qn("w:tc")):
                    text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                    if text.strip():
                        cells.append(norm(text))
                if cells:
                    rows.append(cells)
    return rows


def table_merges(tbl) -> set[tuple[int, int, int, int]]:
    """Rebuild merged ranges (r1, c1, r2, c2) from gridSpan and vMerge."""
    open_: dict[int, list[int]] = {}
    out = set()
    for r, tr in enumerate(tbl.iter(qn("w:tr"))):
        c = 0
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span_el = pr.find(qn("w:gridSpan"))
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vm = pr.find(qn("w:vMerge"))
            if vm is not None and vm.get(qn("w:val")) == "restart":
                if c in open_:
                    out.add(tuple(open_.pop(c)))
                open_[c] = [r, c, r, c + span - 1]
            elif vm is not None:
                open_[c][2] = r
            else:
                if c in open_:
                    out.add(tuple(open_.pop(c)))
                if span > 1:
                    out.add((r, c, r, c + span - 1))
            c += span
    out.update(tuple(v) for v in open_.values())
    return out


def test_every_printed_cell_of_the_project_forms(doc004) -> None:
    rows = body_rows(doc004)
    for start, end in (("附件 3-1", "附件 3-2"), ("附件 3-2", "附件 3-3")):
        assert match_in_order(seed_section(start, end), rows) == []
    seed = seed_section("附件 2", "附件 3-1")
    split = {
        "其中：基本支出：1348.22": ["其中：基本支出：", "n:1348.22"],
        "项目支出：838.82": ["项目支出：", "n:838.82"],
    }
    expected = [[t for token in row for t in split.get(token, [token])] for row in seed]
    assert match_in_order(expected, rows) == []  # funds too: pairs on one line, groups side by side
    assert ["其中：一般公共预算：", "n:2186.81", "其中：基本支出：", "n:1348.22"] in rows


def test_same_merges_as_the_grid(doc004, report004) -> None:
    grid = plan(report004, get_template(report004.template))[2]
    tables = doc004.element.body.findall(qn("w:tbl"))
    upper, lower = tables[3], tables[4]  # after 基础数据表 and 附件2 (two): 附件3-1, split at its header
    cut = grid.repeat[0]
    shifted = {(a + cut, b, c + cut, d) for a, b, c, d in table_merges(lower)}
    got = table_merges(upper) | shifted
    assert got == set(grid.merges)
    assert lower.find(qn("w:tr")).find(qn("w:trPr")).find(qn("w:tblHeader")) is not None


def test_page_layout_gbt9704(doc004) -> None:
    first = doc004.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    margins = (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    wide = [s for s in doc004.sections if s.page_width > s.page_height]
    assert len(wide) == 4  # 附件2 and 附件3-1..3-3
    footer = first.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in footer and " —" in footer


def test_tables_fit_the_page_and_write_their_grid(doc004) -> None:
    body = doc004.element.body
    sections = iter(doc004.sections[1:])
    for tbl in body.findall(qn("w:tbl")):
        cols = [int(g.get(qn("w:w"))) for g in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
        assert cols and all(w > 300 for w in cols)
        assert sum(cols) <= Mm(297 - 20 - 20).twips  # landscape, the attachments' margins
    assert next(sections) is not None


def test_fonts_east_asian_and_language(doc004) -> None:
    styles = doc004.styles

    def east(name: str) -> str:
        return styles[name].element.rPr.rFonts.get(qn("w:eastAsia"))

    assert (east("Normal"), east("Heading 1"), east("Heading 2"), east("ZP Title")) == (
        "仿宋_GB2312",
        "黑体",
        "楷体_GB2312",
        "方正小标宋简体",
    )
    assert styles["Normal"].font.size.pt == 16 and styles["ZP Title"].font.size.pt == 22
    pf = styles["Normal"].paragraph_format
    assert pf.line_spacing.pt == pytest.approx(28.9)
    assert pf._element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    for name in ("Normal", "Heading 1", "Heading 2"):
        assert "Theme" not in styles[name].element.rPr.rFonts.xml
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    lang = defaults.find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN" and lang.get(qn("w:val")) != "zh-CN"
    title = doc004.paragraphs[0]
    assert title.style.name == "ZP Title" and title.text.startswith("2023年度中国共产党益阳市委员会组织部")


def test_narrative_figures_come_from_the_data(doc004) -> None:
    texts = [p.text for p in doc004.paragraphs]
    assert not any("自动生成" in t for t in texts)  # an official report carries no marker
    auto = next(t for t in texts if t.startswith("2023年度，部门全年预算数"))
    # as the seed's own report says it: "预算执行率 100%" (益阳 prints a whole percent without places)
    assert "全年预算数2187.04万元" in auto and "预算执行率100%" in auto
    # section 六 already states 自评结论为“优秀”: the paragraph does not add a second grade after it
    assert "自评得分" not in auto and "等级为" not in auto
    assert "三公经费决算16.13万元，比上年决算10.25万元增加5.88万元，增长57.37%" in auto
    assert "全年执行率为100%，{未知}保持原样。" in texts
    headings = [p.text for p in doc004.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、单位基本情况" and "（一）组织机构设置情况" in [
        p.text for p in doc004.paragraphs if p.style.name == "Heading 2"
    ]


def test_signoff_and_formula_text_stay_text(report004, tmp_path: Path) -> None:
    report = report004.clone()
    form = report.projects[1]
    form.indicators[0].level3 = "=1+1"
    write_docx(report, tmp_path / "one.docx", forms=[form.uid], template=get_template(report.template))
    doc = docx.Document(str(tmp_path / "one.docx"))
    assert len(doc.element.body.findall(qn("w:tbl"))) == 2  # one form, split at its indicator header
    assert not any(p.text.startswith("2023年度，部门全年预算数") for p in doc.paragraphs)
    rows = body_rows(doc)
    assert ["=1+1"] in [r[:1] for r in rows] or any("=1+1" in r for r in rows)
    assert any(p.text.startswith("填表人：张璐") for p in doc.paragraphs)


def test_attachment_text_is_escaped_in_the_streamed_xml(report004, tmp_path: Path) -> None:
    """The attachments are written as XML text: markup characters, tabs and characters XML cannot hold
    in a sign-off or a cell still give a file Word opens, with the text as typed."""
    report = report004.clone()
    form = report.projects[0]
    form.signoff = None
    report.signoff.preparer = "张<璐> & 李\x01四\t]]>"
    form.indicators[0].level3 = "<w:p>&amp; 指标"
    template = get_template(report.template)
    write_docx(report, tmp_path / "esc.docx", template=template)
    doc = docx.Document(str(tmp_path / "esc.docx"))
    assert any(p.text.startswith("填表人：张<璐> & 李四\t]]>") for p in doc.paragraphs)
    assert "<w:p>&amp; 指标" in [t.text for t in doc.element.body.iter(qn("w:t"))]
    sections = doc.sections
    assert len(sections) == 1 + len(plan(report, template))  # the narrative, then one section per attachment
    assert sections[0].footer.paragraphs[0].text.startswith("— ")  # page numbers in the first section


def test_cancel_leaves_no_file(report004, tmp_path: Path) -> None:
    calls: list[int] = []
    with pytest.raises(ExportCancelled):
        write_docx(
            report004,
            tmp_path / "c.docx",
            progress=lambda d, t, label: calls.append(d) or d < 2,
            template=get_template(report004.template),
        )
    assert list(tmp_path.iterdir()) == [] and calls == [0, 1, 2]


def test_seed001_exports(tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    write_docx(report, tmp_path / "001.docx", template=get_template(report.template))
    doc = docx.Document(str(tmp_path / "001.docx"))
    assert doc.paragraphs[0].text.replace("\n", "").startswith("中共广元市昭化区委组织部关于报送2023年")
    assert any("预算执行率91.20%" in p.text for p in doc.paragraphs)


def test_sign_off_keeps_with_the_last_table_rows(doc004) -> None:
    """Word moves the last table rows (a short merged run whole) to the sign-off's page, never it alone."""
    body = list(doc004.element.body.iterchildren())
    signoffs = [i for i, e in enumerate(body) if e.tag == qn("w:p") and "填表人" in "".join(e.itertext())]
    assert len(signoffs) == 6  # five attachments and the 汇总表
    for at in signoffs:
        table = next(i for i in range(at, 0, -1) if body[i].tag == qn("w:tbl"))
        for p in body[table + 1 : at]:
            assert p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None
        rows = body[table].findall(qn("w:tr"))
        kept = [
            all(p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None for p in tr.iter(qn("w:p")))
            for tr in rows
        ]
        assert kept[-2:] == [True, True] and not kept[0]
    basic = body[next(i for i in range(signoffs[0], 0, -1) if body[i].tag == qn("w:tbl"))]
    rows = basic.findall(qn("w:tr"))
    kept = [r for r in rows if r.find(".//" + qn("w:keepNext")) is not None]
    assert len(kept) == 3  # 楼堂馆所 titles and values (one merged label) and 厉行节约保障措施


def test_gbt_9704_page_grid_page_numbers_and_fonts(doc004) -> None:
    """22 lines a page on a line grid, compressed punctuation, 宋体 4号 page numbers at the
    outer edge (odd right, even left), the Chinese fonts with fallbacks, theme language zh-CN."""
    first = doc004.sections[0]
    grid = first._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    settings = doc004.settings.element
    assert settings.find(qn("w:characterSpacingControl")).get(qn("w:val")) == "compressPunctuation"
    assert settings.find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"
    assert doc004.settings.odd_and_even_pages_header_footer
    odd, even = first.footer.paragraphs[0], first.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert odd.style.font.size == Pt(14) and odd.style.element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    table = doc004.part.part_related_by(RT.FONT_TABLE).blob.decode()
    for name in ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"):
        assert f'w:name="{name}"' in table
    assert "明朝" not in table
    assert doc004.core_properties.author == "ZiPing" and doc004.core_properties.created.year >= 2025


def test_body_text_prints_28_characters_a_line_and_titles_are_bold(doc004) -> None:
    """GB/T 9704: 28 三号 characters fill the text width (the body is condensed to 15.75 pt a
    character: 28 fit, 29 do not), headings inherit it, titles do not; titles are bold so that a
    missing 方正小标宋 falls back to a bold face, not a thin 宋体."""
    first = doc004.sections[0]
    width_twips = first.page_width.twips - first.left_margin.twips - first.right_margin.twips
    normal = doc004.styles["Normal"]
    spacing = normal.element.rPr.find(qn("w:spacing"))
    assert spacing is not None
    pitch = normal.font.size.twips + int(spacing.get(qn("w:val")))
    assert width_twips // pitch == 28
    for name in ("Heading 1", "Heading 2"):
        assert doc004.styles[name].element.rPr.find(qn("w:spacing")) is None  # inherited from Normal
    children = [c.tag.split("}")[1] for c in normal.element.rPr]
    assert children.index("spacing") < children.index("sz")  # schema order, or Word refuses the file
    for name in ("ZP Title", "ZP Table Title"):
        style = doc004.styles[name]
        assert style.font.bold and style.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "0"


@pytest.mark.parametrize(
    ("seed", "first_line"),
    [
        ("seed001_guangyuan", "中共广元市昭化区委组织部关于报送"),
        ("seed003_pingliang", "中共平凉市委组织部2021年度"),
        ("seed004_yiyang", "2023年度中国共产党益阳市委员会组织部"),
    ],
)
def test_report_title_breaks_between_words(seed: str, first_line: str, tmp_path: Path) -> None:
    """The 二号 title needs two lines: it breaks at the edge of the department or of the year with its
    年度 (LibreOffice broke 004's inside 部门整体: “…组织部整” / “体支出…”), never mid-word."""
    path = tmp_path / "t.docx"
    report = read_json_file(FIXTURES / f"{seed}.json")
    write_docx(report, path, template=get_template(report.template))
    title = next(p for p in docx.Document(str(path)).paragraphs if p.style.name == "ZP Title")
    assert title.text.split("\n")[0] == first_line


def test_break_title_keeps_brackets_and_leaves_a_fitting_title_alone() -> None:
    from core.export.grid import break_title

    assert break_title("2023年度项目支出绩效自评表", 40, ["2023"]) == "2023年度项目支出绩效自评表"
    title = "中共广元市昭化区委组织部（中共广元市昭化区委机构编制委员会办公室）2023年度绩效自评报告"
    lines = break_title(title, 48, ["中共广元市昭化区委组织部", "2023"]).split("\n")
    assert lines == [
        "中共广元市昭化区委组织部",
        "（中共广元市昭化区委机构编制委员会办公室）",
        "2023年度绩效自评报告",
    ]
    # no good place fits: as few other places as can be, lines as even as can be (not the renderer's)
    plain = "无处可断的很长很长很长很长很长很长很长很长很长很长很长标题"
    assert break_title(plain, 20).split("\n") == [
        "无处可断的很长很长",
        "很长很长很长很长很长",
        "很长很长很长很长标题",
    ]
    long = "2023年度中共广元市昭化区委组织部（中共广元市昭化区委机构编制委员会办公室）绩效自评汇总表"
    lines = break_title(
        long, 40, ["中共广元市昭化区委组织部（中共广元市昭化区委机构编制委员会办公室）", "2023"]
    )
    assert lines.split("\n")[0] == "2023年度中共广元市昭化区委组织部"  # only the bracket is cut inside


def _style_metrics(doc, style_id: str) -> tuple[float, float]:
    """Return (font size, exact line pitch) in points of a paragraph style (its own or its base's)."""
    style = next(s for s in doc.styles if s.style_id == style_id)
    size = line = None
    while style is not None and (size is None or line is None):
        size = size or (style.font.size.pt if style.font.size else None)
        pf = style.paragraph_format
        if line is None and pf.line_spacing_rule is not None:
            assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY, f"{style.name}: not exact line spacing"
            line = pf.line_spacing.pt
        style = style.base_style
    return size, line


def test_every_001_project_form_fits_one_landscape_page(tmp_path: Path) -> None:
    """Seed 001 prints each project form on one page: read back, each 自评表's and project 评分表's
    section (label, title, subtitle, table rows at their style's exact line pitch, a row as tall as its
    most wrapped cell) is estimated to fit inside the section's margins. (The two 评分表 took 1.2 pages
    with the template's widths: their short-label columns give the long texts room.)"""
    import math

    from core.export.grid import text_units

    path = tmp_path / "001.docx"
    write_docx(
        read_json_file(FIXTURES / "seed001_guangyuan.json"),
        path,
        template=get_template(read_json_file(FIXTURES / "seed001_guangyuan.json").template),
    )
    doc = docx.Document(str(path))
    body = doc.element.body
    sections, current = [], []
    for child in body.iterchildren():
        current.append(child)
        sect = child.find(qn("w:pPr") + "/" + qn("w:sectPr")) if child.tag == qn("w:p") else None
        if child.tag == qn("w:sectPr") or sect is not None:
            sections.append((current, sect if sect is not None else child))
            current = []
    forms = 0
    for children, sect in sections:
        tables = [c for c in children if c.tag == qn("w:tbl")]
        texts = ["".join(t.text or "" for t in c.iter(qn("w:t"))) for c in children if c.tag == qn("w:p")]
        project_sheet = any(t.endswith("自评评分表") for t in texts)
        if not tables or (
            "".join(tables[0].iter(qn("w:t")).__next__().itertext()) != "项目名称" and not project_sheet
        ):
            continue
        forms += 1
        pg, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
        usable = (int(pg.get(qn("w:h"))) - int(mar.get(qn("w:top"))) - int(mar.get(qn("w:bottom")))) / 20
        used = 0.0
        for child in children:
            if child.tag == qn("w:p") and "".join(t.text or "" for t in child.iter(qn("w:t"))):
                used += _style_metrics(doc, child.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")))[1]
            if child.tag != qn("w:tbl"):
                continue
            for tr in child.iter(qn("w:tr")):
                lines = 1
                for tc in tr.findall(qn("w:tc")):
                    width = int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))) / 20 - 2 * 57 / 20
                    n = 0
                    for p in tc.findall(qn("w:p")):
                        size, pitch = _style_metrics(
                            doc, p.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val"))
                        )
                        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
                        n += max(1, math.ceil(text_units(text) * size / 2 / width))
                    lines = max(lines, n)
                used += lines * pitch + 1
        assert used <= usable, f"project form {forms}: about {used:.0f} pt of {usable:.0f} pt"
    assert forms == 26


@pytest.mark.parametrize("seed", ["seed001_guangyuan", "seed004_yiyang"])
def test_short_headers_print_on_one_line(seed: str, tmp_path: Path) -> None:
    """A header of up to four characters ("自评得分", "指标分值", "自评等级") fits its cell's width:
    the 汇总表 printed "自评得/分"."""
    from core.export.grid import text_units

    report = read_json_file(FIXTURES / f"{seed}.json")
    path = tmp_path / "out.docx"
    write_docx(report, path, template=get_template(report.template))
    doc = docx.Document(str(path))
    headers = 0
    for tc in doc.element.body.iter(qn("w:tc")):
        paragraphs = tc.findall(qn("w:p"))
        if len(paragraphs) != 1 or paragraphs[0].find(".//" + qn("w:b")) is None:
            continue
        text = "".join(t.text or "" for t in paragraphs[0].iter(qn("w:t")))
        if not text or text_units(text) > 8:
            continue
        size, _pitch = _style_metrics(
            doc, paragraphs[0].find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val"))
        )
        width = int(tc.find(qn("w:tcPr")).find(qn("w:tcW")).get(qn("w:w"))) - 2 * 57
        assert text_units(text) * size / 2 * 20 <= width, (text, width)
        headers += 1
    assert headers > 20


def test_cell_lines_are_paragraphs_and_addressee_starts_at_the_margin(tmp_path: Path) -> None:
    from core.interchange import read_json_file

    path = tmp_path / "001.docx"
    write_docx(
        read_json_file(Path(__file__).resolve().parents[1] / "fixtures" / "seed001_guangyuan.json"),
        path,
        template=get_template(
            read_json_file(
                Path(__file__).resolve().parents[1] / "fixtures" / "seed001_guangyuan.json"
            ).template
        ),
    )
    doc = docx.Document(str(path))
    assert not doc.element.body.findall(".//" + qn("w:tbl") + "//" + qn("w:br"))
    addressee = next(p for p in doc.paragraphs if p.text == "区财政局：")
    assert addressee.style.paragraph_format.first_line_indent == Pt(0)
    rule = next(c for t in doc.tables for c in t._cells if c.text.startswith("1.项目申报未经过部门集体决策"))
    assert len(rule.paragraphs) > 1  # one paragraph per line of the rule


def test_a_row_taller_than_a_page_may_break_across_pages(report004, tmp_path: Path) -> None:
    """A 2,500-character goal is taller than an A4 page: its row may split (a row kept whole would be
    cut off at the page's foot); every other row stays whole on its page."""
    import copy
    import zipfile

    report = copy.deepcopy(report004)
    long = "".join(
        f"第{i}句，推进党建工作高质量发展，落实各项制度要求，确保资金使用规范有效。" for i in range(70)
    )
    report.forms[1].goals[0].goal = long
    path = tmp_path / "long.docx"
    write_docx(report, path, template=get_template(report.template))
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    rows = xml.split("<w:tr>")[1:]
    tall = [row for row in rows if "第69句" in row]
    assert len(tall) == 1 and "<w:cantSplit/>" not in tall[0]
    assert all("<w:cantSplit/>" in row for row in rows if "第69句" not in row)
    back = docx.Document(str(path))
    texts = "".join(c.text for t in back.tables for row in t.rows for c in row.cells)
    assert long in texts.replace("\n", "")


def test_word_keeps_closing_punctuation_off_a_line_start(doc004) -> None:
    """避头尾 in Word and WPS: the zh-CN lists of characters a line may not start or end with are in
    settings.xml, after the compressed punctuation setting (the schema's order)."""
    settings = doc004.settings.element
    before = settings.find(qn("w:noLineBreaksBefore"))
    after = settings.find(qn("w:noLineBreaksAfter"))
    assert before is not None and after is not None
    assert before.get(qn("w:lang")) == after.get(qn("w:lang")) == "zh-CN"
    assert set("。，、；：？！）》」”") <= set(before.get(qn("w:val")))
    assert set("（《「“") <= set(after.get(qn("w:val")))
    names = [child.tag.split("}")[1] for child in settings]
    spacing = names.index("characterSpacingControl")
    assert names[spacing + 1 : spacing + 3] == ["noLineBreaksAfter", "noLineBreaksBefore"]


def test_the_attachment_list_is_kept_on_one_page(tmp_path: Path) -> None:
    """Rendered through LibreOffice, a new mof report printed "附件：1、…部门整体支出绩效自评表" at the
    foot of page 1 and its items 2 and 3 alone on page 2: every item keeps with the next and its own
    lines together."""
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    path = tmp_path / "004.docx"
    write_docx(report, path, template=get_template(report.template))
    paragraphs = docx.Document(str(path)).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text.startswith("附件："))
    items = paragraphs[start : start + 4]
    assert [p.text[-4:] for p in items][-1].endswith("汇总表")
    assert [bool(p.paragraph_format.keep_with_next) for p in items] == [True, True, True, False]
    assert all(p.paragraph_format.keep_together for p in items)


def test_a_sections_draft_that_states_the_figures_is_not_followed_by_them_again(tmp_path: Path) -> None:
    """A new report's 三、预算执行情况 holds the template's draft "{年度}年度全年预算数{全年预算数}万元…，
    纳入自评的项目{项目个数}个…": the Word report printed it and then the paragraph of figures saying the
    same again ("2024年度，部门全年预算数…纳入自评的项目1个…")."""
    from core.report import Document

    path = tmp_path / "new.zpdb"
    assert cli_main(["new", "--template", "mof", "--year", "2024", "--department", "某县教育局",
                     "--project", "学生资助项目", "-o", str(path)]) == 0  # fmt: skip
    opened = Document.open(path, backup=False)
    try:
        write_docx(opened.report, tmp_path / "new.docx", template=opened.template)
    finally:
        opened.close()
    texts = [p.text for p in docx.Document(str(tmp_path / "new.docx")).paragraphs]
    assert sum("全年预算数" in t and "全年执行数" in t for t in texts) == 1
    assert sum("纳入自评的项目1个" in t for t in texts) == 1
