"""Write the 一体化 import files: one .xlsx per form in the system's 12 columns, a folder and its .zip.

Each file has one sheet: the template's 12 headers on row 1 and one indicator per row from row 2,
matched by the system on 三级指标名称. Numbers are written as numbers; user text stays text (a
leading = never becomes a formula). File names are the form names cleaned for Windows.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.export import Progress, report_progress, save_atomically
from core.export.grid import NOT_XML, fill_title
from core.model import OVERALL, Form, Report
from core.submission import YthLabels, YthRow, yth_labels, yth_rows
from core.templates import Template

_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?$", re.IGNORECASE)
MAX_STEM = 80  # characters; the whole path stays well under Windows' 260
WIDTHS = (12, 14, 30, 8, 10, 14, 8, 10, 12, 8, 30, 30)
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


def write_form_file(path: Path, labels: YthLabels, rows: Iterable[YthRow]) -> int:
    """Write one import file; return how many indicator rows it holds."""
    wb = Workbook()
    ws = wb.active
    ws.title = labels.sheet
    bold = Font(bold=True)
    wrap = Alignment(vertical="center", wrap_text=True)
    for c, header in enumerate(labels.headers, start=1):
        cell = ws.cell(1, c)
        _set(cell, header)
        cell.font, cell.alignment = bold, wrap
        ws.column_dimensions[cell.column_letter].width = WIDTHS[c - 1]
    n = 0
    for n, row in enumerate(rows, start=1):
        for c, value in enumerate(row.values(), start=1):
            _set(ws.cell(n + 1, c), value)
    ws.freeze_panes = "A2"
    save_atomically(path, wb.save)
    return n


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
