"""A line break the export chose (to keep a bracket group whole, or closing punctuation off a line's
start) reaches no file as a character: no zero-width space (U+200B) in any cell, since renderers show
it as a box or an empty line, it is copied unseen with the text, and GBK has no such character.

An Excel cell gets a plain line break, listed in the workbook's custom properties BREAKS_PROPERTY;
a Word cell's line after it is a paragraph of a BREAK_STYLES style. Read back, the importer takes
those out and keeps a typed line break; a cell edited since its export keeps the breaks it has."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from core.export.docx import write_docx
from core.export.layout import iter_plan
from core.export.xlsx import write_xlsx
from core.importers.readers import read_file
from core.interchange import read_json_file
from core.model import BREAK_STYLE_IDS, BREAKS_PROPERTY, SOFT_BREAK
from core.templates import get_template
from tests.conftest import FIXTURES

SEEDS = ["seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"]
GOAL = "全面贯彻新时代中国特色社会主义思想，着力培养忠诚干净担当的高素质干部，坚持德才兼备"  # 001 附表6


def _typed(seed: str) -> set[str]:
    """Every text cell of the seed's forms as typed (the grids before the writers choose line ends)."""
    report = read_json_file(FIXTURES / f"{seed}.json")
    grids = iter_plan(report, get_template(report.template), None)
    return {c.value for g in grids for c in g.cells.values() if isinstance(c.value, str)}


@pytest.mark.parametrize("seed", SEEDS)
def test_no_zero_width_space_in_a_file_and_the_import_reads_the_typed_text(seed: str, tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / f"{seed}.json")
    template = get_template(report.template)
    one_line = {t for t in _typed(seed) if "\n" not in t}
    for suffix, write in ((".xlsx", write_xlsx), (".docx", write_docx)):
        path = tmp_path / f"{seed}{suffix}"
        write(report, path, template=template)
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                assert "\u200b" not in zf.read(name).decode("utf-8", "ignore"), (suffix, name)
        read = [c for g in read_file(path).grids for row in g.cells for c in row if c]
        # a text typed on one line comes back on one line, wherever the export ended its lines
        back = [c for c in read if "\n" in c and c.replace("\n", "") in one_line]
        assert not back, (suffix, back[:3])


def _listed(book: openpyxl.Workbook) -> list[tuple[str, str]]:
    """The cells the workbook's properties list as given chosen line breaks: (sheet, reference)."""
    text = "".join(p.value for p in sorted(book.custom_doc_props.props, key=lambda p: p.name))
    return [(s.split("?")[0], c.split(":")[0]) for s in text.split("/") for c in s.split("?")[1].split(",")]


def test_excel_cells_get_plain_line_breaks_listed_in_the_properties(tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "001.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    book = openpyxl.load_workbook(path)
    props = book.custom_doc_props.props
    assert props and all(p.name.startswith(BREAKS_PROPERTY) and len(p.value) <= 255 for p in props)
    assert book.sheetnames[-1] == "自评汇总表"  # no sheet added
    listed = _listed(book)
    assert len(listed) > 20 and all("\n" in book[name][ref].value for name, ref in listed)
    goal = next(book[n][r].value for n, r in listed if str(book[n][r].value).startswith(GOAL[:32]))
    assert goal.split("\n")[0].endswith("坚持德才") and SOFT_BREAK not in goal
    # read back: the chosen breaks are gone, a typed line break stays
    texts = {c for g in read_file(path).grids for row in g.cells for c in row}
    assert any(t.startswith(GOAL) and "\n" not in t for t in texts)
    assert any("说明：1.该指标体系仅作参考" in t and "\n" in t for t in texts)  # typed over two lines


def test_a_cell_edited_after_the_export_keeps_its_line_breaks(tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "001.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    book = openpyxl.load_workbook(path)
    name, ref = next((n, r) for n, r in _listed(book) if str(book[n][r].value).startswith(GOAL[:32]))
    edited = "改：" + book[name][ref].value
    book[name][ref].value = edited
    book.save(path)  # (openpyxl keeps the custom properties, as Excel and WPS do)
    texts = {c for g in read_file(path).grids for row in g.cells for c in row}
    assert edited in texts  # its text is not the one listed: nothing is taken out


def test_word_lines_after_a_chosen_break_are_paragraphs_of_the_line_style(tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    path = tmp_path / "004.docx"
    write_docx(report, path, template=get_template(report.template))
    document = docx.Document(str(path))
    cell = next(
        c
        for t in document.tables
        for row in t.rows
        for c in row.cells
        if c.text.replace("\n", "") == "部门整体支出（中国共产党益阳市委员会组织部）"
    )
    styles = [p.style.style_id for p in cell.paragraphs]
    assert styles[0] not in BREAK_STYLE_IDS and set(styles[1:]) <= BREAK_STYLE_IDS, styles
    texts = {c for g in read_file(path).grids for row in g.cells for c in row}
    assert "部门整体支出（中国共产党益阳市委员会组织部）" in texts
