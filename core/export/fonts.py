"""Chinese fonts in python-docx: East Asian names through w:eastAsia, no theme fonts, zh-CN."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles.style import ParagraphStyle

from core.export.lines import NO_END, NO_START

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


# rPr children that come after w:spacing in the schema's sequence (Word rejects them out of order)
_AFTER_SPACING: tuple[str, ...] = (
    *("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr"),
    *("w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout"),
    *("w:specVanish", "w:oMath"),
)


def letter_spacing(style: ParagraphStyle, twentieths: int) -> None:
    """Set a style's character spacing (w:spacing, in twentieths of a point; negative condenses)."""
    rpr = style.element.get_or_add_rPr()
    old = rpr.find(qn("w:spacing"))
    if old is not None:
        rpr.remove(old)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twentieths))
    rpr.insert_element_before(spacing, *_AFTER_SPACING)


# Fonts Word needs to know by name, with the font it should use where one is not installed
# (w:altName) and the Chinese character set (GB2312, charset 86), so WPS and Word substitute sensibly.
FONT_TABLE = (
    (BODY, "仿宋", "02010609030101010101"),
    (TITLE, "华文中宋", "02000000000000000000"),
    (HEADING1, "SimHei", "02010609060101010101"),
    (HEADING2, "楷体", "02010609030101010101"),
    (TABLE, "SimSun", "02010600030101010101"),
    ("仿宋", "FangSong", "02010609060101010101"),
    ("楷体", "KaiTi", "02010609060101010101"),
    (LATIN, "", "02020603050405020304"),
)


def font_table(doc: DocxDocument) -> None:
    """Replace the font table: the report's Chinese fonts with fallbacks, no Japanese or theme fonts."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = doc.part.part_related_by(RT.FONT_TABLE)
    fonts = "".join(
        f'<w:font w:name="{name}">'
        + (f'<w:altName w:val="{alt}"/>' if alt else "")
        + f'<w:panose1 w:val="{panose}"/><w:charset w:val="{"00" if name == LATIN else "86"}"/>'
        '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for name, alt, panose in FONT_TABLE
    )
    part._blob = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"{fonts}</w:fonts>"
    ).encode()


def chinese_settings(doc: DocxDocument) -> None:
    """Theme font language zh-CN, compressed punctuation, odd and even page footers."""
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = settings.find(qn("w:characterSpacingControl"))
    if spacing is not None:
        spacing.set(qn("w:val"), "compressPunctuation")
        # 避头尾: Word applies its own lists by default; these say them for zh-CN (WPS reads them too)
        for tag, chars in (("w:noLineBreaksBefore", NO_START), ("w:noLineBreaksAfter", NO_END)):
            element = OxmlElement(tag)
            element.set(qn("w:lang"), "zh-CN")
            element.set(qn("w:val"), chars)
            spacing.addnext(element)
    doc.settings.odd_and_even_pages_header_footer = True
