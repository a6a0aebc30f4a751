"""The 自评汇总表: one row per form (部门整体 first, then every project) with totals and grades.

项目名称 | 年初预算数 | 全年预算数 | 全年执行数 | 执行率 | 自评得分 | 自评等级 | 自评预警; the 合计 row
sums the projects (the 部门整体 already contains them); below it the count per grade and the projects'
average score. Labels come from the template's ``outputs.summary``. The same rows feed the Excel
sheet, the Word table, the stand-alone file, the window's view and the 汇总分析报告.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from core import schema
from core.export import Progress, report_progress
from core.export.grid import HEAD, MONEY, RATE, SCORE, TEXT, Grid, fill_title, signoff_items
from core.model import OVERALL, Form, Report
from core.numbers import ZERO, fmt, q
from core.schema import FUND
from core.schema import HEAD as HEAD_KEYS
from core.scoring import amount, computed_sums, score_form
from core.submission import outputs_section
from core.templates import Template

COLUMNS = schema.FUND_AMOUNTS


@dataclass(frozen=True)
class SummaryRow:
    uid: int
    kind: str
    name: str
    initial: Decimal | None
    annual: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    grade: str
    warning: str | None
    warning_why: str


@dataclass(frozen=True)
class Summary:
    overall: SummaryRow | None
    projects: list[SummaryRow]
    initial: Decimal | None
    annual: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    grades: dict[str, int]  # every template grade, in order, with its count of projects
    average: Decimal | None
    scored: int

    @property
    def rows(self) -> list[SummaryRow]:
        """Return the 部门整体 row (when there is one) followed by the projects."""
        return ([self.overall] if self.overall else []) + self.projects


def _amounts(form: Form, template: Template) -> dict[str, Decimal | None]:
    spec = template.form(form.kind)
    row = form.fund(spec.rate_row)
    sums = computed_sums(form, spec)
    out: dict[str, Decimal | None] = {}
    for col in COLUMNS:
        value = amount(getattr(row, col)) if row is not None else None
        out[col] = value if value is not None else sums.get((spec.rate_row, col))
    return out


def summary_row(report: Report, form: Form, template: Template) -> SummaryRow:
    """Return one form's row of the 汇总表."""
    s = score_form(report, form, template)
    money = _amounts(form, template)
    return SummaryRow(
        form.uid,
        form.kind,
        form.name,
        money[FUND.initial],
        money[FUND.annual],
        money[FUND.executed],
        s.execution.rate,
        s.total,
        s.grade,
        s.warning,
        s.warning_why,
    )


def _total(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def build_summary(report: Report, template: Template) -> Summary:
    """Return the 汇总表 of a report."""
    rows = [summary_row(report, f, template) for f in report.forms]
    overall = next((r for r in rows if r.kind == OVERALL), None)
    projects = [r for r in rows if r.kind != OVERALL]
    annual = _total([r.annual for r in projects])
    executed = _total([r.executed for r in projects])
    grades = {name: 0 for name, _ in template.scoring.grades}
    for r in projects:
        if r.grade:
            grades[r.grade] = grades.get(r.grade, 0) + 1
    scores = [r.score for r in projects if r.score is not None]
    return Summary(
        overall,
        projects,
        _total([r.initial for r in projects]),
        annual,
        executed,
        executed / annual if annual and executed is not None else None,
        grades,
        q(sum(scores, ZERO) / len(scores)) if scores else None,
        len(scores),
    )


def labels(template: Template) -> dict[str, Any]:
    """Return the template's 汇总表 labels."""
    return outputs_section(template, "summary")


def warning_text(row: SummaryRow, words: dict[str, str]) -> str:
    """Return 红色预警 / 黄色预警 / 无 for a row."""
    return words.get(row.warning or "none", "")


def grade_line(summary: Summary, lab: dict[str, Any]) -> str:
    """Return “等级分布：优 3 个、良 1 个 …”."""
    items = "、".join(lab["grade_item"].format(grade=g, count=n) for g, n in summary.grades.items())
    unscored = len(summary.projects) - summary.scored
    if unscored:
        items += "、" + lab["grade_item"].format(grade=lab["unscored"], count=unscored)
    return str(lab["grade_count"].format(grades=items))


def average_line(summary: Summary, lab: dict[str, Any]) -> str:
    return str(lab["average"].format(average=fmt(summary.average) or "—", count=summary.scored))


def summary_grid(report: Report, template: Template) -> Grid:
    """Return the 汇总表 as a grid that the Excel and Word writers draw like any attachment."""
    lab = labels(template)
    cols = lab["columns"]
    summary = build_summary(report, template)
    title = fill_title(lab["title"], report.year, department=report.department)
    widths = [int(c.get("width", 10)) for c in cols]
    fields = (report.department, str(report.year))  # the title breaks around them, never inside a word
    g = Grid(lab["sheet"], lab.get("attachment", ""), title, widths, title_fields=fields)
    g.rate_places = template.scoring.rate_places
    g.rate_whole = template.scoring.rate_whole_places
    for c, col in enumerate(cols):
        g.put(0, c, col["title"], HEAD)
    g.repeat = (0, 0)
    words = lab["warnings"]
    overall_name = fill_title(lab["overall_name"], report.year, department=report.department)
    for n, row in enumerate(summary.rows):
        number = "" if row.kind == OVERALL else str(n if summary.overall else n + 1)
        name = overall_name if row.kind == OVERALL else row.name
        values: dict[str, tuple[Any, str]] = {
            "no": (number, TEXT),
            HEAD_KEYS.name: (name, TEXT),
            FUND.initial: (row.initial, MONEY),
            FUND.annual: (row.annual, MONEY),
            FUND.executed: (row.executed, MONEY),
            FUND.rate: (row.rate, RATE),
            FUND.score: (row.score, SCORE),
            "grade": (row.grade, TEXT),
            "warning": (warning_text(row, words), TEXT),
        }
        _put_row(g, cols, values, left={HEAD_KEYS.name})
    total = fill_title(lab["total"], report.year, count=str(len(summary.projects)))
    totals: dict[str, tuple[Any, str]] = {
        HEAD_KEYS.name: (total, HEAD),
        FUND.initial: (summary.initial, MONEY),
        FUND.annual: (summary.annual, MONEY),
        FUND.executed: (summary.executed, MONEY),
        FUND.rate: (summary.rate, RATE),
    }
    _put_row(g, cols, totals, left=set())
    g.notes = [grade_line(summary, lab), average_line(summary, lab)]
    g.landscape = False
    g.signoff = signoff_items(report.signoff, summary_signoff(template, lab))
    g.footer = str(template.printing.get("page_footer", ""))
    return g


def summary_signoff(template: Template, lab: dict[str, Any]) -> list[str]:
    """Return the 汇总表's sign-off labels: its own (``outputs.summary.signoff``), else the 部门整体
    form's (填表人 …), as the template words them."""
    own = lab.get("signoff")
    if own is None:
        own = template.form(OVERALL).printing.get("signoff", [])
    return [str(label) for label in own]


def _put_row(g: Grid, cols: list[dict[str, Any]], values: dict[str, tuple[Any, str]], left: set[str]) -> None:
    r = g.rows
    for c, col in enumerate(cols):
        value, kind = values.get(col["key"], (None, TEXT))
        g.put(r, c, value, kind, align="left" if col["key"] in left else "center")
    g.rows = r + 1


def write_summary_xlsx(
    report: Report, path: Path, progress: Progress | None = None, *, template: Template
) -> None:
    """Write the 汇总表 alone as a one-sheet workbook."""
    from core.export.xlsx import write_grids

    report_progress(progress, 0, 1, "正在导出自评汇总表")
    write_grids(Path(path), [summary_grid(report, template)])
    if progress is not None:
        progress(1, 1, "完成")
