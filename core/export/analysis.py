"""The 自评结果汇总分析报告 (.docx): coverage, scores and grades, 执行率 bands, warnings, indicators not
met, main problems and measures, and the 自评汇总表 at the end.

Every figure comes from ``build_summary`` (so the report and the 汇总表 cannot disagree); the prose
is the template's draft per section (``outputs.analysis.sections``) with ``{名称}`` figures filled, or
the user's own text for a section when given. Page set-up and fonts are the 自评报告's (GB/T 9704).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.export import Progress, report_progress, save_atomically
from core.export.docx import MARGINS_MM, attachment, new_document
from core.export.docx_tables import TWIPS_PER_MM, column_twips, table_xml
from core.export.grid import HEAD, TEXT, Grid, fill_title
from core.export.summary import Summary, build_summary, grade_line
from core.export.summary import labels as summary_labels
from core.export.text import fill_placeholders
from core.model import Report
from core.numbers import HUNDRED, fmt, fmt_money, fmt_percent
from core.scoring import NOT_MET, score_form
from core.submission import outputs_section
from core.templates import Template


@dataclass(frozen=True)
class Unmet:
    form: str
    indicator: str
    target: str
    actual: str
    reason: str


def analysis_labels(template: Template) -> dict[str, Any]:
    """Return the template's 汇总分析报告 labels."""
    return outputs_section(template, "analysis")


def rate_bands(summary: Summary, lab: dict[str, Any]) -> list[tuple[str, int]]:
    """Return (band label, number of projects) from the highest band down; projects without a rate
    are not counted."""
    bands = [(Decimal(str(floor)) / HUNDRED, str(name)) for floor, name in lab["rate_bands"]]
    counts = {name: 0 for _, name in bands}
    for row in summary.projects:
        if row.rate is None:
            continue
        for floor, name in bands:
            if row.rate >= floor:
                counts[name] += 1
                break
    return [(name, counts[name]) for _, name in bands]


def unmet_indicators(report: Report, template: Template) -> list[Unmet]:
    """Return every indicator whose target was not met, with its 偏差原因 (blank when none)."""
    out = []
    for form in report.forms:
        s = score_form(report, form, template)
        for ind, score in zip(form.indicators, s.indicators, strict=True):
            if score.attainment == NOT_MET:
                out.append(Unmet(form.name, ind.level3, ind.target, ind.actual, ind.deviation_note.strip()))
    return out


def figures(report: Report, template: Template, summary: Summary | None = None) -> dict[str, str]:
    """Return every ``{名称}`` of the analysis drafts, filled from the 汇总表."""
    summary = summary or build_summary(report, template)
    lab = analysis_labels(template)
    slab = summary_labels(template)
    none = str(lab["none"])
    overall = summary.overall
    warned = [r for r in summary.rows if r.warning]
    words = slab["warnings"]
    warning_items = [
        lab["warning_item"].format(name=r.name, level=words.get(r.warning or "", ""), why=r.warning_why)
        for r in warned
    ]
    unmet = unmet_indicators(report, template)
    unmet_items = [
        lab["unmet_item"].format(
            name=u.form,
            indicator=u.indicator,
            target=u.target,
            actual=u.actual,
            reason=u.reason.rstrip("。；;，, ") or lab["no_reason"],
        )
        for u in unmet
    ]
    bands = rate_bands(summary, lab)
    grades = grade_line(summary, slab).split("：", 1)[-1]
    low_floor = Decimal(str(lab["rate_bands"][0][0]))
    places = template.scoring.rate_places  # as the forms and the report print a 执行率
    whole = template.scoring.rate_whole_places
    return {
        "年度": str(report.year),
        "部门": report.department,
        "项目个数": str(len(summary.projects)),
        "项目年初预算数": fmt_money(summary.initial) or "—",
        "项目全年预算数": fmt_money(summary.annual) or "—",
        "项目全年执行数": fmt_money(summary.executed) or "—",
        "项目执行率": fmt_percent(summary.rate, places, whole),
        "全年预算数": fmt_money(overall.annual) if overall else "—",
        "全年执行数": fmt_money(overall.executed) if overall else "—",
        "执行率": fmt_percent(overall.rate, places, whole) if overall else "—",
        "自评得分": (fmt(overall.score) if overall else "") or "—",
        "等级": (overall.grade if overall else "") or "—",
        "已评分项目个数": str(summary.scored),
        "项目平均得分": fmt(summary.average) or "—",
        "等级分布": grades,
        "执行率分布": "、".join(lab["band_item"].format(band=b, count=n) for b, n in bands),
        "低执行率项目个数": str(sum(n for _, n in bands[1:])),
        "低执行率线": f"{fmt(low_floor)}%",
        "预警个数": str(len(warned)),
        "预警明细": "；".join(warning_items) + "。" if warning_items else none + "。",
        "未完成指标个数": str(len(unmet)),
        "未完成指标明细": "；".join(unmet_items) + "。" if unmet_items else none + "。",
        "未说明原因个数": str(sum(1 for u in unmet if not u.reason)),
    }


def sections(
    report: Report, template: Template, own: dict[str, str] | None = None
) -> list[tuple[str, str, str]]:
    """Return (key, title, text with figures filled) per section; ``own`` holds edited texts by key."""
    lab = analysis_labels(template)
    values = figures(report, template)
    own = report.analysis if own is None else own
    out = []
    for s in lab["sections"]:
        text = own.get(s["key"]) or s.get("draft", "")
        out.append((str(s["key"]), str(s["title"]), fill_placeholders(text, values)))
    return out


def _table_grid(lab: dict[str, Any], columns: list[str], rows: list[tuple[str, int]], total: int) -> Grid:
    g = Grid("", "", "", [20, 10, 10], landscape=False)
    for c, title in enumerate(columns):
        g.put(0, c, title, HEAD)
    for name, n in rows:
        r = g.rows
        share = fmt_percent(Decimal(n) / total) if total else "—"
        g.put(r, 0, name, TEXT)
        g.put(r, 1, str(n), TEXT)
        g.put(r, 2, share, TEXT)
    return g


def _insert_table(doc: Any, grid: Grid, caption: str) -> None:
    p = doc.add_paragraph(caption, style="ZP Table")
    p.alignment = 1  # centre
    page_width = doc.sections[-1].page_width
    usable = int((page_width.mm - MARGINS_MM["left"] - MARGINS_MM["right"]) * TWIPS_PER_MM * 0.7)
    tbl = table_xml(grid, column_twips(grid, usable), 0, grid.rows, doc.styles["ZP Table"].style_id)
    body = doc.element.body
    body.insert(len(body) - 1, tbl)
    doc.add_paragraph("")


def write_analysis(
    report: Report,
    path: Path,
    own: dict[str, str] | None = None,
    progress: Progress | None = None,
    *,
    template: Template,
) -> None:
    """Write the 自评结果汇总分析报告 to ``path``."""
    report_progress(progress, 0, 3, "正在生成汇总分析报告")
    lab = analysis_labels(template)
    summary = build_summary(report, template)
    doc = new_document(str(template.printing.get("page_number", "")))
    doc.add_paragraph(fill_title(lab["title"], report.year, department=report.department), style="ZP Title")
    doc.add_paragraph("", style="ZP Title")
    tables = lab["tables"]
    n = 0
    for key, title, text in sections(report, template, own):
        doc.add_paragraph(title, style="Heading 1")
        for line in text.split("\n"):
            if line.strip():
                doc.add_paragraph(line.strip())
        if key == "scores":
            n += 1
            rows = list(summary.grades.items())
            unscored = len(summary.projects) - summary.scored
            if unscored:
                rows.append((summary_labels(template)["unscored"], unscored))
            grid = _table_grid(lab, lab["grade_columns"], rows, len(summary.projects))
            _insert_table(doc, grid, lab["table_title"].format(n=n, title=tables["grades"]))
        if key == "rates":
            n += 1
            bands = rate_bands(summary, lab)
            grid = _table_grid(lab, lab["rate_columns"], bands, len(summary.projects))
            _insert_table(doc, grid, lab["table_title"].format(n=n, title=tables["rates"]))
    report_progress(progress, 1, 3, "正在导出自评汇总表")
    from core.export.summary import summary_grid

    attachment(doc, summary_grid(report, template))
    report_progress(progress, 2, 3, "正在保存")
    save_atomically(Path(path), lambda p: doc.save(str(p)))
    if progress is not None:
        progress(3, 3, "完成")
