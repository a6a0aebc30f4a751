"""Write the Word report: GB/T 9704 layout, narrative with figures from the data, attachment tables.

Page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 二号
centred; body 仿宋_GB2312 三号, fixed 28.9 pt lines, first line indented two characters; level-one
headings 黑体, level-two 楷体_GB2312; footer “— N —”. Wide tables get landscape sections.
"""

from __future__ import annotations

import io
import math
import re
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.shared import Mm, Pt, Twips

from core.export import Progress, fonts, pages, report_progress, save_atomically
from core.export.docx_tables import TWIPS_PER_MM, W_DECL, W_NS, column_twips, split_point, table_string
from core.export.grid import NOT_XML, Grid, break_title, signoff_line, text_units
from core.export.layout import iter_plan, plan_size
from core.export.text import figure_values, fill_placeholders, summary_paragraph, summary_section
from core.export.widths import Units, balance, fit_groups, fit_headers
from core.model import BREAK_STYLES, NarrativeSection, Report
from core.templates import Template

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
# Attachments: narrow margins as the seeds' annexed forms (a project form of 001 fits one landscape page)
ATTACHMENT_MARGINS_MM = {"top": 15, "bottom": 15, "left": 20, "right": 20}
ATTACHMENT_FOOTER_MM = 7
# GB/T 9704: 22 lines a page on the line grid, 28 characters a line by condensing the body text
# (see body_spacing). A character grid (linesAndChars, charSpace -842) does give 28 in Word, but
# LibreOffice puts a 16 pt character into two 15.8 pt grid cells there and prints about 15 a line.
DOC_GRID = '<w:docGrid xmlns:w="{ns}" w:type="lines" w:linePitch="579"/>'
CHARS_PER_LINE = 28
PAGE_PT = 14  # page numbers: 宋体 4号
PORTRAIT_UNITS = 90  # grid width units that still fit a portrait page
BODY_PT, LINE_PT = 16, 28.9
TITLE_PT, TABLE_TITLE_PT = 22, 18  # 二号 report title, 小二 attachment titles
TABLE_PT, TABLE_LINE_PT = 10.5, 13  # 五号 in table cells, exact lines: Word, WPS and LibreOffice agree
SMALL_PT, SMALL_LINE_PT = 9, 11  # 小五: a form a little too long for one page at 五号
CELL_PAD = 57  # cell padding left and right (twips), as table_xml writes it
FIT = 0.95  # share of the page an estimated table may fill (renderers differ a little)
BALANCE_REACH = 1.25  # a table up to this much too long at 小五 gets its columns balanced (widths.balance)
FIGURES_STYLE = "ZP Figures"  # looks like body text; lets the importer leave the figures paragraph out
TAIL_ROWS = 2  # table rows kept on the page of the notes and the sign-off
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def write_docx(
    report: Report,
    path: Path,
    charts: dict[str, bytes] | None = None,
    forms: list[int] | None = None,
    progress: Progress | None = None,
    *,
    template: Template,
) -> None:
    """Write the 自评报告 (or only the attachments of ``forms``) with ``charts`` (PNG) embedded, laid
    out by ``template`` (the report's, resolved once when it was opened or built).

    The narrative is built with python-docx; the attachments (hundreds of tables in a large report) are
    written as XML text straight into the saved file's word/document.xml, one attachment at a time: no
    element tree of the whole body (python-docx rescans the body for every paragraph it adds, and its
    tree of a 200-project report took about 250 MB).
    """
    total = plan_size(report, template, forms) + 2
    report_progress(progress, 0, total, "正在生成报告正文")
    doc = new_document(str(template.printing.get("page_number", "")))
    stream = AttachmentStream(doc, first_in_first_section=forms is not None)

    def save(tmp: Path) -> None:
        # Each attachment is laid out, written to a temporary file and dropped before the next is built:
        # an export holds one form's layout at a time. The narrative, which lists their titles, follows.
        with tempfile.TemporaryFile("w+", encoding="utf-8") as body:
            for i, grid in enumerate(iter_plan(report, template, forms)):
                report_progress(progress, i + 1, total, f"正在导出 {grid.name}")
                body.write(stream.attachment(grid))
            if forms is None:
                narrative(doc, report, template, charts or {}, stream.titles)
            stream.finish()
            report_progress(progress, total - 1, total, "正在保存")
            body.seek(0)
            save_streamed(doc, tmp, iter(lambda: body.read(1 << 20), ""))

    save_atomically(Path(path), save)
    if progress is not None:
        progress(total, total, "完成")


MARKER = "ZP-ATTACHMENTS-GO-HERE"


def save_streamed(doc: DocxDocument, path: Path, chunks: Iterable[str]) -> None:
    """Save ``doc`` to ``path`` with ``chunks`` (body XML) in place of its marker paragraph."""
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                dst.writestr(info, data)
                continue
            xml = data.decode("utf-8")
            at = xml.index(MARKER)
            start, end = xml.rindex("<w:p>", 0, at), xml.index("</w:p>", at) + len("</w:p>")
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(entry, "w") as out:
                out.write(xml[:start].encode("utf-8"))
                for chunk in chunks:
                    out.write(chunk.encode("utf-8"))
                out.write(xml[end:].encode("utf-8"))


class AttachmentStream:
    """The attachments of a document as XML text, one at a time, each in its own section.

    ``attachment(grid)`` returns an attachment's XML, after the section break that ends the one before
    (a section's properties follow its content, Word's order); the first section keeps the
    page-number footers, later sections inherit them. ``finish()`` then sets up ``doc`` for them: a
    section break after the narrative (the narrative keeps the GB/T 9704 page), the body's last section
    laid out for the last attachment, and a marker paragraph where the attachments go.
    """

    def __init__(self, doc: DocxDocument, first_in_first_section: bool) -> None:
        self.doc = doc
        self.first_in_first_section = first_in_first_section
        self.styles = {name: doc.styles[name].style_id for name in _ATTACHMENT_STYLES}
        self.titles: list[str] = []  # every attachment's title, in order
        self.count = 0
        self.landscape = False  # the last attachment's page
        refs = doc.sections[0]._sectPr.xpath("w:footerReference")
        self.footers = "".join(_fragment(ref) for ref in refs) if first_in_first_section else ""

    def attachment(self, grid: Grid) -> str:
        """Return the next attachment's XML: the section break ending the one before, then its own."""
        xml = ""
        if self.count:
            footers = self.footers if self.count == 1 else ""
            xml = f"<w:p><w:pPr>{section_xml(self.landscape, footers)}</w:pPr></w:p>"
        self.count += 1
        self.landscape = _landscape(grid)
        self.titles.append(grid.title if grid.listed is None else grid.listed)
        return xml + attachment_xml(grid, self.styles)

    def finish(self) -> None:
        """Set up the document's last section for the last attachment and mark where they go."""
        doc = self.doc
        body = doc.element.body
        if self.count:
            if self.first_in_first_section:
                if self.count > 1:
                    sect_pr = doc.sections[0]._sectPr
                    for ref in sect_pr.xpath("w:footerReference"):
                        sect_pr.remove(ref)
            else:
                doc.add_section(WD_SECTION.NEW_PAGE)
            page_setup(doc.sections[-1], self.landscape, attachment=True)
        marker = doc.add_paragraph(MARKER)
        body.remove(marker._p)
        body.insert(len(body) - 1, marker._p)  # before the last sectPr, after any section break


_ATTACHMENT_STYLES = (
    "ZP Attachment",
    "ZP Table Title",
    "ZP Table",
    "ZP Table Small",
    *BREAK_STYLES.values(),
    "ZP Spacer",
    "ZP Signoff",
)


def _landscape(grid: Grid) -> bool:
    return grid.landscape or sum(grid.widths) > PORTRAIT_UNITS


def _fragment(element: Any) -> str:
    """Serialize an element of document.xml without the namespace declarations the root already has."""
    from lxml import etree

    return re.sub(r' xmlns:\w+="[^"]*"', "", etree.tostring(element, encoding="unicode"))


def section_xml(landscape: bool, footers: str = "") -> str:
    """Return an attachment section's w:sectPr: A4, the attachment margins, page-number footers given."""
    w, h = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    m = {side: Mm(mm).twips for side, mm in ATTACHMENT_MARGINS_MM.items()}
    orient = ' w:orient="landscape"' if landscape else ""
    return (
        f'<w:sectPr>{footers}<w:pgSz w:w="{w.twips}" w:h="{h.twips}"{orient}/>'
        f'<w:pgMar w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}" w:left="{m["left"]}"'
        f' w:header="720" w:footer="{Mm(ATTACHMENT_FOOTER_MM).twips}" w:gutter="0"/><w:cols w:space="720"/>'
        '<w:docGrid w:linePitch="312"/></w:sectPr>'
    )


def new_document(page_number: str) -> DocxDocument:
    """Return an empty A4 document with the GB/T 9704 styles and the page-number footer: a template's
    ``print.page_number`` ("— {page} —"), none when it is empty."""
    doc = Document()
    fonts.east_asian_language(doc)
    fonts.font_table(doc)
    fonts.chinese_settings(doc)
    _styles(doc)
    _properties(doc)
    section = doc.sections[0]
    page_setup(section, landscape=False)
    if page_number:
        _footer(doc, section.footer, page_number, odd=True)
        _footer(doc, section.even_page_footer, page_number, odd=False)
    return doc


def _properties(doc: DocxDocument) -> None:
    import datetime as dt

    props = doc.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.author = props.last_modified_by = "ZiPing"
    props.created = props.modified = now
    props.revision = 1
    props.title = props.subject = props.comments = props.keywords = ""


def _styles(doc: DocxDocument) -> None:
    normal = fonts.paragraph_style(doc, "Normal", fonts.BODY, BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    ind = pf._element.get_or_add_pPr().get_or_add_ind()
    ind.set(f"{{{W_NS}}}firstLineChars", "200")
    ind.set(f"{{{W_NS}}}firstLine", str(2 * BODY_PT * 20))
    fonts.letter_spacing(normal, body_spacing())
    fonts.paragraph_style(doc, "Heading 1", fonts.HEADING1, BODY_PT, base="Normal")
    fonts.paragraph_style(doc, "Heading 2", fonts.HEADING2, BODY_PT, base="Normal")
    for name in ("Heading 1", "Heading 2"):
        f = doc.styles[name].paragraph_format
        f.space_before = f.space_after = Pt(0)
        f.line_spacing_rule, f.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
        f.keep_with_next = True
    fonts.paragraph_style(doc, FIGURES_STYLE, fonts.BODY, BODY_PT, base="Normal")
    # Titles bold: 方正小标宋 is a heavy face, and where it is missing Word falls back to a thin 宋体.
    title = fonts.paragraph_style(doc, "ZP Title", fonts.TITLE, TITLE_PT, base="Normal", bold=True)
    fonts.letter_spacing(title, 0)
    _no_indent(title, WD_ALIGN_PARAGRAPH.CENTER, exact=36)
    table = fonts.paragraph_style(doc, "ZP Table", fonts.TABLE, TABLE_PT, latin=fonts.TABLE)
    _no_indent(table, None, exact=TABLE_LINE_PT)
    small = fonts.paragraph_style(doc, "ZP Table Small", fonts.TABLE, SMALL_PT, latin=fonts.TABLE)
    _no_indent(small, None, exact=SMALL_LINE_PT)
    for name, size in (("ZP Table", TABLE_PT), ("ZP Table Small", SMALL_PT)):  # a chosen break's next
        line = fonts.paragraph_style(doc, BREAK_STYLES[name], fonts.TABLE, size, latin=fonts.TABLE, base=name)
        line.hidden, line.quick_style = True, False  # line: looks as its base, kept out of the gallery
    sub = fonts.paragraph_style(doc, "ZP Table Title", fonts.TITLE, TABLE_TITLE_PT, base="Normal", bold=True)
    fonts.letter_spacing(sub, 0)
    _no_indent(sub, WD_ALIGN_PARAGRAPH.CENTER, exact=30)
    label = fonts.paragraph_style(doc, "ZP Attachment", fonts.HEADING1, BODY_PT, base="Normal")
    _no_indent(label, WD_ALIGN_PARAGRAPH.LEFT, exact=LINE_PT)
    sign = fonts.paragraph_style(doc, "ZP Signoff", fonts.BODY, 14, base="Normal")
    _no_indent(sign, WD_ALIGN_PARAGRAPH.LEFT, exact=24)
    page = fonts.paragraph_style(doc, "ZP Page", fonts.TABLE, PAGE_PT, latin=fonts.TABLE)
    _no_indent(page, None)
    addressee = fonts.paragraph_style(doc, "ZP Addressee", fonts.BODY, BODY_PT, base="Normal")
    _no_indent(addressee, WD_ALIGN_PARAGRAPH.LEFT, exact=LINE_PT)
    spacer = fonts.paragraph_style(doc, "ZP Spacer", fonts.TABLE, 1, latin=fonts.TABLE)
    _no_indent(spacer, None, exact=1)


def body_spacing() -> int:
    """Return the body text's character spacing (twentieths of a point) that puts CHARS_PER_LINE
    三号 characters on a line of the text width (156 mm): -5, i.e. 15.75 pt a character."""
    width_pt = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
    return math.floor((width_pt / CHARS_PER_LINE - BODY_PT) * 20)


def _no_indent(style: object, align: object, exact: float | None = None) -> None:
    pf = style.paragraph_format  # type: ignore[attr-defined]
    pf.first_line_indent = Pt(0)
    ind = pf._element.get_or_add_pPr().get_or_add_ind()
    ind.set(f"{{{W_NS}}}firstLineChars", "0")
    pf.alignment = align
    pf.space_before = pf.space_after = Pt(0)
    if exact is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(exact)


def page_setup(section: object, landscape: bool, attachment: bool = False) -> None:
    """Make a section A4 (portrait or landscape): GB/T 9704 margins and character grid for the text,
    narrower margins and no character grid for an attachment's table."""
    s = section
    s.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    s.page_width, s.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))  # type: ignore
    for side, mm in (ATTACHMENT_MARGINS_MM if attachment else MARGINS_MM).items():
        setattr(s, f"{side}_margin", Mm(mm))
    s.footer_distance = Mm(ATTACHMENT_FOOTER_MM if attachment else 20)  # type: ignore[attr-defined]
    sect_pr = s._sectPr  # type: ignore[attr-defined]
    for old in sect_pr.findall(f"{{{W_NS}}}docGrid"):
        sect_pr.remove(old)
    grid = DOC_GRID if not attachment else '<w:docGrid xmlns:w="{ns}" w:linePitch="312"/>'
    sect_pr.append(parse_xml(grid.format(ns=W_NS)))


def _footer(doc: DocxDocument, footer: object, pattern: str, odd: bool) -> None:
    """Page number as ``pattern`` words it (“— {page} —”), 宋体 4号: odd pages at the right, even pages
    at the left, one character in."""
    p = footer.paragraphs[0]  # type: ignore[attr-defined]
    p.style = doc.styles["ZP Page"]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        p.paragraph_format.right_indent = Pt(PAGE_PT)
    else:
        p.paragraph_format.left_indent = Pt(PAGE_PT)
    before, _, after = pattern.partition("{page}")
    if before:
        p.add_run(before)
    if _:
        p._p.append(
            parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        )
    if after:
        p._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:t xml:space="preserve">{escape(after)}</w:t></w:r>'))


def narrative(
    doc: DocxDocument, report: Report, template: Template, charts: dict[str, bytes], titles: list[str]
) -> None:
    """Write the title, the sections (placeholders filled, one auto paragraph) and the attachment list."""
    title = template.report_title.format_map(_Safe(year=report.year, department=report.department))
    width_pt = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
    fields = (report.department, str(report.year))
    doc.add_paragraph(break_title(title, int(2 * width_pt / TITLE_PT), fields), style="ZP Title")
    doc.add_paragraph("", style="ZP Title")
    sections = report.narrative or [NarrativeSection(t, "") for t, _ in template.narrative]
    values = figure_values(report, template)
    words = template.printing
    keys = list(words.get("summary_section", []))
    target = summary_section([s.title for s in sections], keys) if sections else -1
    for i, section in enumerate(sections):
        if section.title and section.title != "引言":
            doc.add_paragraph(section.title, style="Heading 1")
        text = fill_placeholders(section.text, values)
        for n, line in enumerate(text.split("\n")):
            _body_line(doc, line, addressee=i == 0 and n == 0)
        if i == target:
            _figures(doc, summary_paragraph(report, template, text, section.text))
            _charts(doc, charts, words)
    if target < 0:
        _figures(doc, summary_paragraph(report, template))
        _charts(doc, charts, words)
    _attachment_list(doc, titles, words)


def _figures(doc: DocxDocument, text: str) -> None:
    if text:  # a template without sentences of figures adds no paragraph
        doc.add_paragraph(text, style=FIGURES_STYLE)


class _Safe(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _body_line(doc: DocxDocument, line: str, addressee: bool = False) -> None:
    text = line.strip()
    if not text:
        return
    if addressee and text.endswith(("：", ":")) and len(text) <= 30:
        doc.add_paragraph(text, style="ZP Addressee")  # 主送机关 (区财政局：) starts at the margin
    elif _LEVEL2.match(text) and len(text) <= 40 and not text.endswith("。"):
        doc.add_paragraph(text, style="Heading 2")
    else:
        doc.add_paragraph(text)


def _charts(doc: DocxDocument, charts: dict[str, bytes], words: dict[str, Any]) -> None:
    captions = words.get("charts", {})
    for n, (name, png) in enumerate(charts.items(), start=1):
        p = doc.add_paragraph(style="ZP Table")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # the table style's exact 13 pt clips
        p.add_run().add_picture(io.BytesIO(png), width=Mm(150))
        pattern = str(words.get("figure", "{caption}"))
        text = pattern.replace("{n}", str(n)).replace("{caption}", captions.get(name, name))
        caption = doc.add_paragraph(text, style="ZP Table")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _attachment_list(doc: DocxDocument, every: list[str], words: dict[str, Any]) -> None:
    """List the attachments (one line per title, none for an empty one), kept on one page;
    continuation lines align under the first item."""
    titles: list[str] = []
    for title in every:
        if title and title not in titles:
            titles.append(title)
    if not titles:
        return
    doc.add_paragraph("")
    head = str(words.get("attachment_list", ""))
    for i, title in enumerate(titles, start=1):
        item = str(words.get("attachment_item", "{title}")).replace("{i}", str(i)).replace("{title}", title)
        p = doc.add_paragraph(head + item if i == 1 else item)
        p.paragraph_format.keep_together = True  # the list is never split across pages: a page
        p.paragraph_format.keep_with_next = i < len(titles)  # holding "2、…" "3、…" alone
        if i > 1:  # hang under the first item: indent by the width of "附件：" (16 pt a character)
            p.paragraph_format.left_indent = Pt(BODY_PT * (2 + len(head)))
            ind = p._p.get_or_add_pPr().get_or_add_ind()
            ind.set(f"{{{W_NS}}}firstLineChars", "0")
            ind.set(f"{{{W_NS}}}firstLine", "0")


def attachment(doc: DocxDocument, grid: Grid, first: bool = False) -> None:
    """Add one attachment to ``doc`` in its own section (for small documents; write_docx streams)."""
    section = doc.sections[0] if first else doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, _landscape(grid), attachment=True)
    styles = {name: doc.styles[name].style_id for name in _ATTACHMENT_STYLES}
    body = doc.element.body
    wrapper = parse_xml(f"<w:body{W_DECL}>{attachment_xml(grid, styles)}</w:body>")
    for child in list(wrapper):
        body.insert(len(body) - 1, child)


def attachment_xml(grid: Grid, styles: dict[str, str]) -> str:
    """Return one attachment's body XML: label, title, the table, notes and sign-off."""
    out = []
    if grid.attachment:
        out.append(paragraph_xml(grid.attachment, styles["ZP Attachment"]))
    side = ATTACHMENT_MARGINS_MM["left"] + ATTACHMENT_MARGINS_MM["right"]
    width, height = (Mm(297), Mm(210)) if _landscape(grid) else (Mm(210), Mm(297))
    page_width = Twips(width.twips).mm  # the page width as the section stores it
    units = int(2 * (page_width - side) / 25.4 * 72 / TABLE_TITLE_PT)
    title = break_title(grid.title, units, grid.title_fields)
    out.append(paragraph_xml(title, styles["ZP Table Title"]))
    if grid.subtitle:
        out.append(paragraph_xml(grid.subtitle, styles["ZP Table"], jc="center"))
    usable = int((page_width - side) * TWIPS_PER_MM)
    page_mm, title_lines = Twips(height.twips).mm, title.count("\n") + 1
    widths, cells = table_widths(grid, usable, page_mm, title_lines)
    style = table_style(grid, widths, page_mm, title_lines, cells)
    font = SMALL_PT if style == "ZP Table Small" else TABLE_PT
    grid.keep_brackets(lambda c, n: 2 * (sum(widths[c : c + n]) - 2 * CELL_PAD) / (font * 20))
    table, lines = styles[style], styles[BREAK_STYLES[style]]
    cut = split_point(grid)
    bounds = [(0, cut), (cut, grid.rows)] if cut else [(0, grid.rows)]
    keep_from = grid.tail_start(TAIL_ROWS)  # never a lone 合计 row under a repeated header
    split = tall_rows(grid, widths, font, Twips(height.twips).mm, cells)
    for n, (a, b) in enumerate(bounds):
        if n:
            out.append(paragraph_xml("", styles["ZP Spacer"]))
        out.append(table_string(grid, widths, a, b, table, keep_from, split=split, line_style_id=lines))
    tail = [*grid.notes, *(["", signoff_line(grid.signoff)] if grid.signoff else [])]
    for i, text in enumerate(tail):  # the sign-off prints with the table's end
        out.append(paragraph_xml(text, styles["ZP Signoff"], keep=i < len(tail) - 1))
    return "".join(out)


def paragraph_xml(text: str, style_id: str, *, jc: str = "", keep: bool | None = None) -> str:
    """Return a w:p as python-docx writes ``add_paragraph(text, style)``: tabs and line breaks as
    w:tab and w:br, spaces at either end preserved, characters XML cannot hold left out."""
    ppr = f'<w:pStyle w:val="{style_id}"/>'
    if keep is not None:
        ppr += "<w:keepNext/>" if keep else '<w:keepNext w:val="0"/>'
    if jc:
        ppr += f'<w:jc w:val="{jc}"/>'
    text = NOT_XML.sub("", text)
    if not text:
        return f"<w:p><w:pPr>{ppr}</w:pPr></w:p>"
    run = []
    for part in re.split(r"(\t|\r\n|\n|\r)", text):
        if part == "\t":
            run.append("<w:tab/>")
        elif part in ("\n", "\r", "\r\n"):
            run.append("<w:br/>")
        elif part:
            space = ' xml:space="preserve"' if part != part.strip() else ""
            run.append(f"<w:t{space}>{escape(part)}</w:t>")
    return f"<w:p><w:pPr>{ppr}</w:pPr><w:r>{''.join(run)}</w:r></w:p>"


def tall_rows(
    grid: Grid,
    widths: list[int],
    font: float,
    page_height_mm: float,
    cells: dict[tuple[int, int], pages.Measure] | None = None,
) -> frozenset[int]:
    """Return the rows taller than a page under the repeated header: they may break across pages
    (a row that must stay whole and cannot fit a page is cut off at the page's foot)."""
    line = SMALL_LINE_PT if font == SMALL_PT else TABLE_LINE_PT
    heights = pages.row_points(grid, widths, font, line, CELL_PAD, cells)
    usable = (page_height_mm - ATTACHMENT_MARGINS_MM["top"] - ATTACHMENT_MARGINS_MM["bottom"]) * 72 / 25.4
    header = sum(heights[grid.repeat[0] : grid.repeat[1] + 1]) if grid.repeat else 0.0
    return frozenset(r for r, h in enumerate(heights) if h > FIT * usable - header)


def table_widths(
    grid: Grid, usable: int, page_mm: float, title_lines: int
) -> tuple[list[int], dict[tuple[int, int], pages.Measure]]:
    """Return an attachment's column widths (twips, filling ``usable``) and its cells' measures:
    short headers on one line and, for a table a little too long for its page, the columns balanced
    (``widths.balance``) so that it takes fewer lines."""
    total = sum(grid.widths)

    def line_units(size: float) -> Units:  # a line's width units in a cell at ``size`` (column_twips' scale)
        return lambda w, n: 2 * (usable * w / total - 2 * CELL_PAD) / (size * 20)

    fit_headers(grid, line_units(TABLE_PT))
    fit_groups(grid, line_units(TABLE_PT))
    widths = column_twips(grid, usable)
    cells = pages.measures(grid)  # each cell's lines, measured once for the style and the tall rows
    room = table_room(grid, widths, page_mm, title_lines)
    if (
        pages.table_height(grid, widths, TABLE_PT, TABLE_LINE_PT, CELL_PAD, cells) > room
        and pages.table_height(grid, widths, SMALL_PT, SMALL_LINE_PT, CELL_PAD, cells) <= room * BALANCE_REACH
        and balance(
            grid, line_units(SMALL_PT), cells, line_units(TABLE_PT), (room - grid.rows) / SMALL_LINE_PT
        )
    ):
        widths = column_twips(grid, usable)
    return widths, cells


def table_room(grid: Grid, widths: list[int], page_height_mm: float, title_lines: int = 1) -> float:
    """Return the points an attachment's table may take on its page: the page (FIT of it) less the
    label, title and subtitle above and the notes and sign-off below."""
    usable = (page_height_mm - ATTACHMENT_MARGINS_MM["top"] - ATTACHMENT_MARGINS_MM["bottom"]) * 72 / 25.4
    head = (
        (LINE_PT if grid.attachment else 0) + 30 * title_lines + (TABLE_LINE_PT if grid.subtitle else 0) + 1
    )
    tail_lines = [*grid.notes, *(["", signoff_line(grid.signoff)] if grid.signoff else [])]
    line_units = sum(widths) / 20 / 14 * 2  # ZP Signoff: 14 pt characters, 24 pt lines
    tail = sum(24 * max(1, math.ceil(text_units(t) / line_units)) for t in tail_lines)
    return FIT * usable - head - tail


def table_style(
    grid: Grid,
    widths: list[int],
    page_height_mm: float,
    title_lines: int = 1,
    cells: dict[tuple[int, int], pages.Measure] | None = None,
) -> str:
    """Return the table style of an attachment: 五号, or 小五 where that keeps on one page a form
    that would run a few rows onto a second page at 五号 (the seeds print such a form on one page)."""
    room = table_room(grid, widths, page_height_mm, title_lines)
    cells = pages.measures(grid) if cells is None else cells
    big = pages.row_points(grid, widths, TABLE_PT, TABLE_LINE_PT, CELL_PAD, cells)
    if sum(big) <= room:
        return "ZP Table"
    small = pages.row_points(grid, widths, SMALL_PT, SMALL_LINE_PT, CELL_PAD, cells)
    if sum(small) <= room:
        return "ZP Table Small"
    usable = (page_height_mm - ATTACHMENT_MARGINS_MM["top"] - ATTACHMENT_MARGINS_MM["bottom"]) * 72 / 25.4

    def count(rows: list[float]) -> int:  # pages it takes, each later one under the header
        header = sum(rows[grid.repeat[0] : grid.repeat[1] + 1]) if grid.repeat else 0.0
        n, used, cap = 1, 0.0, room
        for h in rows:
            if used + h > cap and used > header:
                n, used, cap = n + 1, header, FIT * usable
            used += h
        return n

    if count(small) < count(big):
        return "ZP Table Small"  # a long table on fewer pages at 小五, as the seeds print one
    return "ZP Table"


__all__ = ["write_docx"]
