"""Write the 一体化 import files: one .xlsx per form in the system's 12 columns, a folder and its .zip.

Each file has one sheet: the template's 12 headers on row 1 and one indicator per row from row 2,
matched by the system on 三级指标名称. Numbers are written as numbers; user text stays text (a
leading = never becomes a formula). File names are the form names cleaned for Windows.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.export import Progress, report_progress, save_atomically
from core.export.fonts import TABLE as FONT_NAME
from core.export.grid import NOT_XML, fill_title
from core.export.lines import text_units
from core.model import OVERALL, Form, Report
from core.submission import YthLabels, YthRow, yth_labels, yth_rows
from core.templates import Template

_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?$", re.IGNORECASE)
MAX_STEM = 80  # characters; the whole path stays well under Windows' 260
WIDTHS = (12, 14, 30, 8, 10, 14, 8, 10, 13, 8, 34, 34)  # I, K, L: no header line in Calc starts "，" "）"
FONT_PT = 11
GB2312 = 134  # the charset Excel stores with a Chinese font's name
LINE_PT = 16.0  # an 11 pt 宋体 line (LibreOffice's Noto Serif CJK: 1.44 em)
ROW_PAD_PT = 4.0
FORMULA_START = ("=", "+", "-", "@")


def safe_name(text: str, fallback: str = "未命名") -> str:
    """Return ``text`` as a file name Windows and the 一体化 system accept (no \\ / : * ? " < > |)."""
    name = _BAD.sub("", text)
    name = re.sub(r"\s+", " ", name).strip().rstrip(". ")[:MAX_STEM].rstrip(". ")
    if not name:
        name = fallback
    if _RESERVED.match(name):
        name = "_" + name
    return name


def _unique(stem: str, taken: set[str]) -> str:
    candidate, n = stem, 2
    while candidate.lower() in taken:
        candidate, n = f"{stem}({n})", n + 1
    taken.add(candidate.lower())
    return candidate


@dataclass(frozen=True)
class YthFile:
    form_uid: int
    name: str
    path: Path
    rows: int


def file_stem(report: Report, form: Form, labels: YthLabels) -> str:
    """Return the file name (without .xlsx) of one form's import file."""
    pattern = labels.overall_file if form.kind == OVERALL else labels.project_file
    name = form.name or report.department
    return safe_name(fill_title(pattern, report.year, name=name, department=report.department))


def folder_name(report: Report, template: Template) -> str:
    """Return the default folder name of a report's import files."""
    labels = yth_labels(template)
    return safe_name(fill_title(labels.folder, report.year, department=report.department))


def _set(cell: object, value: str | Decimal | None) -> None:
    if value is None or value == "":
        return
    if isinstance(value, Decimal):
        cell.value = value  # type: ignore[attr-defined]
        return
    value = NOT_XML.sub("", value)  # control characters no workbook holds (a pasted vertical tab)
    cell.value = value  # type: ignore[attr-defined]
    cell.data_type = "s"  # type: ignore[attr-defined]
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True  # type: ignore[attr-defined]


def line_count(text: str, width: float) -> int:
    """Return the lines an 11 pt text takes in a column ``width`` wide (a width unit is 7 px, a CJK
    character 11 pt, i.e. two units of 11 pt / 2), each paragraph on its own lines."""
    units = max(1.0, (7 * width - 1) / (FONT_PT * 4 / 3 / 2))
    return sum(max(1, math.ceil(text_units(part) / units)) for part in text.split("\n"))


def write_form_file(path: Path, labels: YthLabels, rows: Iterable[YthRow]) -> int:
    """Write one import file; return how many indicator rows it holds. Text is in 宋体 and wraps in
    its column, each row as tall as its longest text (Excel and LibreOffice do not fit a row's
    height to wrapped text on opening: the long headers printed two of their four lines)."""
    wb = Workbook()
    ws = wb.active
    ws.title = labels.sheet
    bold = Font(name=FONT_NAME, sz=FONT_PT, bold=True, charset=GB2312)
    plain = Font(name=FONT_NAME, sz=FONT_PT, charset=GB2312)
    wrap = Alignment(vertical="center", wrap_text=True)
    widths = [WIDTHS[c] if c < len(WIDTHS) else 12 for c in range(len(labels.headers))]
    for c, header in enumerate(labels.headers, start=1):
        cell = ws.cell(1, c)
        _set(cell, header)
        cell.font, cell.alignment = bold, wrap
        ws.column_dimensions[cell.column_letter].width = widths[c - 1]
    _fit_height(ws, 1, [line_count(h, w) for h, w in zip(labels.headers, widths, strict=False)])
    n = 0
    for n, row in enumerate(rows, start=1):
        lines = [1]
        for c, value in enumerate(row.values(), start=1):
            cell = ws.cell(n + 1, c)
            _set(cell, value)
            if value is not None and value != "":
                cell.font, cell.alignment = plain, wrap
                if isinstance(value, str):
                    lines.append(line_count(value, widths[c - 1] if c <= len(widths) else 12))
        _fit_height(ws, n + 1, lines)
    ws.freeze_panes = "A2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4  # printed to be checked: the 12 columns on a page's width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    save_atomically(path, wb.save)
    return n


def _fit_height(ws: object, row: int, lines: list[int]) -> None:
    """Give a row of more than one line the height its longest text needs."""
    most = max(lines, default=1)
    if most > 1:
        ws.row_dimensions[row].height = most * LINE_PT + ROW_PAD_PT  # type: ignore[attr-defined]


def write_yth(
    report: Report, folder: Path, progress: Progress | None = None, *, template: Template
) -> list[YthFile]:
    """Write every form's import file into ``folder`` (created) and return what was written."""
    labels = yth_labels(template)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    out: list[YthFile] = []
    forms = sorted(report.forms, key=lambda f: f.kind != OVERALL)
    for i, form in enumerate(forms):
        report_progress(progress, i, len(forms) + 1, f"正在导出 {form.name}")
        path = folder / f"{_unique(file_stem(report, form, labels), taken)}.xlsx"
        count = write_form_file(path, labels, yth_rows(form, template))
        out.append(YthFile(form.uid, form.name, path, count))
    return out


def zip_folder(folder: Path, files: list[YthFile], target: Path | None = None) -> Path:
    """Pack the written files into ``folder``.zip beside the folder (names inside: folder/file)."""
    folder = Path(folder)
    target = Path(target) if target is not None else folder.with_name(folder.name + ".zip")

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for f in files:
                z.write(f.path, f"{folder.name}/{f.path.name}")

    save_atomically(target, write)
    return target


def export_yth(
    report: Report, folder: Path, progress: Progress | None = None, *, template: Template
) -> tuple[list[YthFile], Path]:
    """Write the import files into ``folder`` and their .zip beside it."""
    files = write_yth(report, folder, progress, template=template)
    report_progress(progress, len(files), len(files) + 1, "正在压缩")
    archive = zip_folder(folder, files)
    if progress is not None:
        progress(len(files) + 1, len(files) + 1, "完成")
    return files, archive


__all__ = ["export_yth", "folder_name", "safe_name", "write_yth", "zip_folder"]
