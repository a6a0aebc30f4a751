"""Chinese fonts in python-docx: East Asian names through w:eastAsia, no theme fonts, zh-CN."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles.style import ParagraphStyle

TITLE = "方正小标宋简体"
BODY = "仿宋_GB2312"
HEADING1 = "黑体"
HEADING2 = "楷体_GB2312"
TABLE = "宋体"
LATIN = "Times New Roman"
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_fonts(rpr: object, east_asia: str, latin: str = LATIN) -> None:
    """Set the Latin and East Asian font of an rPr element and drop theme fonts."""
    rfonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)


def east_asian_language(doc: DocxDocument) -> None:
    """Make the document's East Asian language zh-CN (and only that one) and its default fonts Chinese."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, BODY)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def paragraph_style(
    doc: DocxDocument,
    name: str,
    font: str,
    size: float,
    *,
    latin: str = LATIN,
    bold: bool = False,
    base: str | None = None,
) -> ParagraphStyle:
    """Return (creating or resetting) a paragraph style with a Chinese font and no theme colour."""
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base is not None:
        style.base_style = doc.styles[base]
    rpr = style.element.get_or_add_rPr()
    for child in list(rpr):
        rpr.remove(child)
    set_fonts(rpr, font, latin)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    return style  # type: ignore[no-any-return]
