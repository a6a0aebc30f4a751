"""The review list: one row per form with the 一体化 columns (ECOSYSTEM §4) plus problem counts.

``rows`` flattens a scan; ``select`` sorts, filters and searches it (the window and the
command line share it); ``write_list_xlsx`` writes 汇总.xlsx.
"""

from __future__ import annotations

import hashlib
import os
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

from core.numbers import q, try_amount
from core.review.scan import PACKAGE, ScanResult
from core.schema import FUND, HEAD, REP

COLUMNS = (
    ("status", "状态"),
    (HEAD.code, "编码"),
    (HEAD.name, "名称"),
    (REP.department, "预算单位"),  # the report's department (部门（单位）)
    (HEAD.office, "业务处室"),
    (FUND.initial, "年初预算数"),
    ("budget", "当年预算数"),
    (FUND.executed, "全年执行数"),
    ("project_total", "项目总金额"),
    ("execution_rate", "预算执行率"),
    ("total", "得分"),
    ("grade", "自评结论"),
    ("warning_text", "自评预警"),
    ("error", "错误"),
    ("warning_count", "警告"),
    ("info", "提示"),
    ("file", "文件"),
)
NUMERIC = {FUND.initial, "budget", FUND.executed, "project_total", "total", "error", "warning_count", "info"}
MONEY = {FUND.initial, "budget", FUND.executed, "project_total", "total"}  # printed to two places
WARNING_TEXT = {"red": "红色预警", "yellow": "黄色预警", None: ""}
GRADES = ("优", "良", "中", "差")
EDITING = "报送单位的 ZiPing 仍打开着此报告，内容可能还会修改；复核宜在其关闭后进行"


def form_code(department: str, year: int, index: int) -> str:
    """A stable code for a form: the department's short hash and the form's place (P1A2B3C-007)."""
    digest = hashlib.sha1(f"{department}|{year}".encode()).hexdigest()[:6].upper()
    return f"P{digest}-{index:03d}"


def code_of(rep: dict[str, Any], index: int) -> str:
    """The list's 编码 of a report's form: its 项目编码, or a stable stand-in when it has none."""
    form = rep["forms"][index]
    return str(form.get(HEAD.code) or "") or form_code(rep[REP.department], rep[REP.year], index)


def count_cells(form: dict[str, Any]) -> dict[str, Any]:
    """The list's 错误, 警告 and 提示 cells of a listed form (blank while it is not checked)."""
    counts = form.get("problems") or {}  # None: not checked yet, the counts show blank
    return {
        "error": counts.get("error", ""),
        "warning_count": counts.get("warning", ""),
        "info": counts.get("info", ""),
    }


def rows(result: ScanResult, reviewed: set[tuple[str, int]] | None = None) -> list[dict[str, Any]]:
    """One row per form of every listed report, department first then its projects."""
    out = []
    for rep in result.reports:
        done = reviewed is not None and (rep[REP.department], rep[REP.year]) in reviewed
        status = "已复核" if done else ("已封包" if rep["kind"] == PACKAGE else "未封包")
        if rep.get("added"):  # a package the department added files to after sealing (they are not read)
            status += f"（另附 {len(rep['added'])} 个文件）"
        why = ""
        if rep["kind"] != PACKAGE and os.path.exists(f"{rep['file']}-journal"):  # looked at every listing
            status += "（仍在编辑）"  # a ZiPing has it open: it keeps its journal beside it until closed
            why = EDITING
        for i, form in enumerate(rep["forms"]):
            out.append(
                {
                    **form,
                    "status": status,
                    "status_why": why,
                    HEAD.code: code_of(rep, i),
                    HEAD.office: form.get(HEAD.office) or "",  # absent in what an older version listed
                    "project_total": form["budget"],
                    "warning_text": WARNING_TEXT.get(form.get("warning"), ""),
                    **count_cells(form),
                    "file": rep["file"],
                    REP.department: rep[REP.department],
                    REP.year: rep[REP.year],
                    "index": i,
                }
            )
    return out


def sort_key(column: str) -> Any:
    def key(row: dict[str, Any]) -> tuple[int, Any]:
        value = row.get(column)
        if column in NUMERIC or column == "execution_rate":
            number = try_amount(str(value or "").rstrip("%"))
            return (0, number) if number is not None else (1, Decimal(0))
        if column == "grade":
            return (0, GRADES.index(value)) if value in GRADES else (1, 0)
        return (0, str(value or ""))

    return key


def select(
    table: list[dict[str, Any]],
    grade: str = "",
    warning: str = "",
    errors_only: bool = False,
    department: str = "",
    text: str = "",
    kind: str = "",
    sort: str = "",
    descending: bool = False,
) -> list[dict[str, Any]]:
    """Filter by grade, 自评预警 (red/yellow/any), errors, department, kind and a search text; sort."""
    out = []
    needle = text.strip().lower()
    for row in table:
        if grade and row["grade"] != grade:
            continue
        if (
            warning == "any"
            and not row.get("warning")
            or warning in ("red", "yellow")
            and row.get("warning") != warning
        ):
            continue
        if errors_only and not row["error"]:
            continue
        if department and row[REP.department] != department:
            continue
        if kind and row["kind"] != kind:
            continue
        if needle and not any(
            needle in str(row.get(k, "")).lower()
            for k in (HEAD.name, REP.department, HEAD.code, HEAD.office, "file")
        ):
            continue
        out.append(row)
    if sort:  # what has no value there (not counted yet, no budget) comes last either way
        key = sort_key(sort)
        keyed = sorted(((key(row), row) for row in out), key=itemgetter(0), reverse=descending)
        out = [row for k, row in keyed if not k[0]] + [row for k, row in keyed if k[0]]
    return out


def write_list_xlsx(result: ScanResult, path: Path, reviewed: set[tuple[str, int]] | None = None) -> None:
    """Write 汇总.xlsx: the review list and, on a second sheet, the files not listed with their reasons.

    Written with XlsxWriter row by row (constant memory), as the exports are: openpyxl kept a Cell
    object and its style for each of 31,000 × 17 cells (1,000 reports: ~25 s and ~30 MB). Every text
    is written as text (never a formula: a name starting with "="), numbers as numbers; printed as a
    list (A4 landscape, one page wide, the header on every page)."""
    import xlsxwriter

    from core.export import save_atomically

    widths = (8, 14, 36, 28, 10, 11, 11, 11, 11, 10, 8, 8, 10, 6, 6, 6, 40)
    table = rows(result, reviewed)

    def save(target: Path) -> None:
        wb = xlsxwriter.Workbook(str(target), {"constant_memory": True})
        bold = wb.add_format({"bold": True})
        money = wb.add_format({"num_format": "0.00"})  # amounts and scores as the forms print them
        rates: dict[int, Any] = {}
        ws = wb.add_worksheet("审核清单")
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        for c, (_key, title) in enumerate(COLUMNS):
            ws.write_string(0, c, title, bold)
        for r, row in enumerate(table, start=1):
            for c, (key, _title) in enumerate(COLUMNS):
                value = row.get(key, "")
                text = "" if value is None else str(value)
                number = try_amount(text) if key in NUMERIC else None
                if key == "execution_rate" and text.endswith("%"):
                    share = try_amount(text[:-1])
                    if share is not None:  # a number Excel sorts and sums ("100.00%" as text sorts first)
                        places = len(text[:-1].partition(".")[2])
                        if places not in rates:
                            rates[places] = wb.add_format(
                                {"num_format": "0." + "0" * places + "%" if places else "0%"}
                            )
                        ws.write_number(r, c, float(share / 100), rates[places])
                        continue
                if number is not None and not isinstance(value, bool):
                    if (
                        key in MONEY
                    ):  # the cent the forms print (四舍五入), not Excel's rounding of a binary 2.675
                        number = q(number)
                    ws.write_number(r, c, float(number), money if key in MONEY else None)
                elif text:
                    ws.write_string(r, c, text)
        _print_as_list(ws, len(table), len(COLUMNS))
        bad = wb.add_worksheet("未列入")
        bad.set_column(0, 0, 50)
        bad.set_column(1, 1, 80)
        bad.write_string(0, 0, "文件", bold)
        bad.write_string(0, 1, "原因", bold)
        for r, item in enumerate(result.refused, start=1):
            bad.write_string(r, 0, item["file"])
            bad.write_string(r, 1, item["reason"])
        _print_as_list(bad, len(result.refused), 2)
        wb.close()

    save_atomically(path, save)


def _print_as_list(ws: Any, rows_written: int, columns: int) -> None:
    """``sheets.printable``'s set-up for an XlsxWriter sheet."""
    ws.freeze_panes(1, 0)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.hide_gridlines(0)  # shown on screen and printed
    ws.print_area(0, 0, rows_written, columns - 1)
    ws.set_margins(left=0.4, right=0.4)
    ws.set_footer("&C第 &P 页，共 &N 页")
