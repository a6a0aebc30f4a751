"""Workbooks of the bureau: the 复核 result of one department and the 抽评 result of one project."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from core.export import save_atomically
from core.model import INDICATORS, SCORE_SHEET
from core.numbers import fmt, fmt_percent, try_amount
from core.review.reviewfile import ReviewFile, item_difference
from core.review.sheets import append, printable
from core.scoring import score_form

REVIEW_SHEETS = ("复核汇总", "指标复核", "评分表复核")
SUMMARY_HEADERS = ("序号", "名称", "自评得分", "复核得分", "差异率", "自评质量扣分", "自评质量得分", "说明")
INDICATOR_HEADERS = (
    "名称",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "自评得分",
    "复核得分",
    "差异（占分值）",
    "复核意见",
)
SHEET_HEADERS = (
    "名称",
    "一级指标",
    "二级指标",
    "三级指标",
    "分值",
    "自评得分",
    "复核得分",
    "差异（占分值）",
    "复核意见",
)


def _number(text: str) -> Any:
    value = try_amount(text)
    return value if value is not None else text


def _sheet(ws: Worksheet, title: str, headers: tuple[str, ...], widths: tuple[int, ...]) -> None:
    append(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(list(headers))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A3"


def _finish(ws: Worksheet) -> None:
    """Figures to two places, as the forms print them (12.80, not 12.8; the 序号 column apart), and
    the sheet printed as a list (``printable``: it printed four columns a page, 19 pages a department)."""
    for row in ws.iter_rows(min_row=3, min_col=2):
        for cell in row:
            if isinstance(cell.value, (int, float, Decimal)) and not isinstance(cell.value, bool):
                cell.number_format = "0.00"
    printable(ws, 2)


def write_review_result(review: ReviewFile, path: Path) -> None:
    """Write the department's 复核 result: per form 自评/复核/自评质量, then every reviewed row."""
    report = review.report
    wb = Workbook()
    ws = wb.active
    ws.title = REVIEW_SHEETS[0]
    who = f"{report.year}年度{report.department}"
    _sheet(ws, f"{who}绩效自评复核结果", SUMMARY_HEADERS, (6, 40, 10, 10, 10, 12, 12, 50))
    for q in review.quality():
        append(
            ws,
            [
                q.index + 1,
                q.name,
                q.self_total,
                q.review_total,
                fmt_percent(q.difference) if q.difference is not None else "",
                q.deduction if q.review_total is not None else "",
                q.quality if q.review_total is not None else "",
                q.why(),
            ],
        )
    ws = wb.create_sheet(REVIEW_SHEETS[1])
    _sheet(ws, f"{who}绩效指标复核", INDICATOR_HEADERS, (30, 12, 14, 30, 14, 14, 8, 10, 10, 12, 40))
    for i, form in enumerate(report.forms):
        scores = score_form(report, form, review.doc.template).indicators
        for r, ind in enumerate(form.indicators):
            review_score, note = review.mark(i, INDICATORS, r)
            own = fmt(scores[r].score)
            append(
                ws,
                [
                    form.name,
                    ind.level1,
                    ind.level2,
                    ind.level3,
                    ind.target,
                    ind.actual,
                    _number(ind.weight),
                    _number(own),
                    _number(review_score),
                    item_difference(own, review_score, ind.weight),
                    note,
                ],
            )
    ws = wb.create_sheet(REVIEW_SHEETS[2])
    _sheet(ws, f"{who}评分表复核", SHEET_HEADERS, (30, 14, 14, 16, 8, 10, 10, 12, 40))
    for i, form in enumerate(report.forms):
        items = score_form(report, form, review.doc.template).score_sheet
        for r, item in enumerate(form.score_sheet):
            review_score, note = review.mark(i, SCORE_SHEET, r)
            own = item.self_score or (fmt(items[r].suggested) if r < len(items) else "")
            levels = [*item.path, "", "", ""][:3]
            append(
                ws,
                [
                    form.name,
                    *levels,
                    _number(item.weight),
                    _number(own),
                    _number(review_score),
                    item_difference(own, review_score, item.weight),
                    note,
                ],
            )
    for sheet in wb:
        _finish(sheet)
    save_atomically(path, wb.save)


def write_forms_with_review(review: ReviewFile, path: Path, forms: list[int] | None = None) -> None:
    """Export the forms (or only those of ``forms``, by position) with 财政复核得分 beside 自评得分."""
    from core.export.xlsx import write_xlsx

    report = review.reviewed_report()
    uids = [report.forms[i].uid for i in forms] if forms is not None else None
    write_xlsx(report, path, uids, template=review.doc.template)
