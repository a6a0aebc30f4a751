"""Word tables from grids: grid columns written to w:tblGrid, merges as gridSpan/vMerge."""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.oxml import parse_xml

from core.export.grid import HEAD, Grid, printed
from core.model import SOFT_BREAK

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_DECL = f' xmlns:w="{W_NS}"'
TWIPS_PER_MM = 56.6929


def column_twips(grid: Grid, usable_twips: int) -> list[int]:
    """Scale the grid's column widths to fill exactly the usable width of the page."""
    total = sum(grid.widths)
    cols = [int(usable_twips * w / total) for w in grid.widths]
    cols[-1] += usable_twips - sum(cols)
    return cols


def split_point(grid: Grid) -> int:
    """Return the row where the repeated header rows start, if no merge crosses it (else 0)."""
    if not grid.repeat or grid.repeat[0] == 0:
        return 0
    start = grid.repeat[0]
    if any(r1 < start <= r2 for r1, _c1, r2, _c2 in grid.merges):
        return 0
    return start


def table_xml(
    grid: Grid, widths: list[int], first: int, last: int, style_id: str, keep_from: int | None = None
) -> object:
    """Return a w:tbl element for rows first..last-1 of the grid; rows from ``keep_from`` keep with next."""
    return parse_xml(table_string(grid, widths, first, last, style_id, keep_from, W_DECL))


def table_string(
    grid: Grid,
    widths: list[int],
    first: int,
    last: int,
    style_id: str,
    keep_from: int | None = None,
    declare: str = "",
    split: frozenset[int] = frozenset(),
    line_style_id: str = "",
) -> str:
    """Return the w:tbl XML text (the w prefix declared by the document unless ``declare`` is given);
    a row may break across pages only when it is in ``split`` (a row taller than a page). A cell's
    line after a break the export chose (SOFT_BREAK) is a paragraph of ``line_style_id`` (the
    importers join it to the line before); without one it is a paragraph like any other."""
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    parts = [
        f'<w:tbl{declare}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>"
    ]
    parts.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
    parts.append("</w:tblGrid>")
    covered = grid.covered()
    header = grid.repeat if grid.repeat else (-1, -1)
    for r in range(first, last):
        is_header = header[0] <= r <= header[1]
        whole = "" if r in split else "<w:cantSplit/>"
        parts.append(f"<w:tr><w:trPr>{whole}" + ("<w:tblHeader/>" if is_header else "") + "</w:trPr>")
        keep = keep_from is not None and r >= keep_from
        parts.extend(_row_cells(grid, r, covered, widths, (style_id, line_style_id or style_id), keep))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _row_cells(
    grid: Grid,
    r: int,
    covered: dict[tuple[int, int], tuple[int, int, int, int]],
    widths: list[int],
    style_id: tuple[str, str],
    keep: bool = False,
) -> list[str]:
    out = []
    c = 0
    while c < grid.ncols:
        m = covered.get((r, c), (r, c, r, c))
        span = m[3] - m[1] + 1
        vmerge = ""
        if m[2] > m[0]:
            vmerge = '<w:vMerge w:val="restart"/>' if r == m[0] else "<w:vMerge/>"
        grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        tc_pr = (
            f'<w:tcPr><w:tcW w:w="{sum(widths[c : c + span])}" w:type="dxa"/>{grid_span}{vmerge}'
            '<w:vAlign w:val="center"/></w:tcPr>'
        )
        cell = grid.cells.get((m[0], m[1])) if r == m[0] else None
        out.append(f"<w:tc>{tc_pr}{_paragraph(grid, cell, style_id, keep)}</w:tc>")
        c += span
    return out


def _paragraph(grid: Grid, cell: object, style_id: tuple[str, str], keep: bool = False) -> str:
    """Return a cell's paragraphs, one per line: a <w:br/> in a justified paragraph makes Word stretch
    the line before it. A line after a chosen break (its line before ends with SOFT_BREAK's U+200B,
    which no file gets) is of the second style."""
    text = printed(cell, grid.rate_places, grid.rate_whole, grid.typed) if cell is not None else ""  # type: ignore[arg-type]
    align = getattr(cell, "align", "center")
    jc = "center" if align == "center" else "both"
    bold = "<w:rPr><w:b/></w:rPr>" if getattr(cell, "kind", "") == HEAD else ""
    keep_next = "<w:keepNext/>" if keep else ""
    out = []
    chosen = False
    for line in text.split("\n"):
        ppr = f'<w:pPr><w:pStyle w:val="{style_id[chosen]}"/>{keep_next}<w:jc w:val="{jc}"/></w:pPr>'
        chosen = line.endswith(SOFT_BREAK[0])
        line = line.replace(SOFT_BREAK[0], "")
        run = f'<w:r>{bold}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>' if line else ""
        out.append(f"<w:p>{ppr}{run}</w:p>")
    return "".join(out)
