"""通报: one summary across every department of the review set, as .xlsx and a .docx page.

Count and share per grade, mean score, 执行率 bands, red/yellow 自评预警 and the most frequent
problems by rule; projects and department-wide forms are counted apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.numbers import HUNDRED, ZERO, fmt, fmt_percent, try_amount
from core.review.listing import GRADES

RATE_BANDS = (
    ("90% 及以上", Decimal("0.9"), None),
    ("80%（含）—90%", Decimal("0.8"), Decimal("0.9")),
    ("60%（含）—80%", Decimal("0.6"), Decimal("0.8")),
    ("60% 以下", None, Decimal("0.6")),
)
TOP_RULES = 10


@dataclass
class Tally:
    """Figures of one group of forms (projects, or department-wide forms)."""

    count: int = 0
    grades: Counter[str] = field(default_factory=Counter)
    scores: list[Decimal] = field(default_factory=list)
    rates: Counter[str] = field(default_factory=Counter)
    no_rate: int = 0
    red: int = 0
    yellow: int = 0

    def add(self, form: dict[str, Any]) -> None:
        self.count += 1
        self.grades[form["grade"] or "未评级"] += 1
        total = try_amount(form["total"])
        if total is not None:
            self.scores.append(total)
        rate = try_amount(str(form["execution_rate"]).rstrip("%"))
        if rate is None:
            self.no_rate += 1
        else:
            rate = rate / HUNDRED
            for name, lo, hi in RATE_BANDS:
                if (lo is None or rate >= lo) and (hi is None or rate < hi):
                    self.rates[name] += 1
                    break
        if form.get("warning") == "red":
            self.red += 1
        elif form.get("warning") == "yellow":
            self.yellow += 1

    def share(self, n: int) -> str:
        return fmt_percent(Decimal(n) / self.count) if self.count else "—"

    @property
    def mean(self) -> str:
        return fmt(sum(self.scores, ZERO) / len(self.scores)) if self.scores else "—"


@dataclass
class Bulletin:
    departments: int
    projects: Tally
    overall: Tally
    rules: list[tuple[str, str, int, int]]  # id, title, times, departments


def build_bulletin(reports: list[dict[str, Any]]) -> Bulletin:
    from core.rules.catalogue import RULES

    projects, overall = Tally(), Tally()
    times: Counter[str] = Counter()
    where: Counter[str] = Counter()
    for rep in reports:
        for form in rep["forms"]:
            (projects if form["kind"] == "project" else overall).add(form)
        for rule, n in (rep.get("rules") or {}).items():
            times[rule] += n
            where[rule] += 1
    top = [(r, RULES[r].title if r in RULES else r, n, where[r]) for r, n in _most_common(times)]
    return Bulletin(len(reports), projects, overall, top)


def _most_common(times: Counter[str]) -> list[tuple[str, int]]:
    """The TOP_RULES rules found most often, by rule id where as often (not by which report came first)."""
    return sorted(times.items(), key=lambda item: (-item[1], item[0]))[:TOP_RULES]


def _grade_rows(t: Tally) -> list[list[Any]]:
    names = [*GRADES, *(g for g in t.grades if g not in GRADES)]
    return [[g, t.grades.get(g, 0), t.share(t.grades.get(g, 0))] for g in names]


def _rate_rows(t: Tally) -> list[list[Any]]:
    rows = [[name, t.rates.get(name, 0), t.share(t.rates.get(name, 0))] for name, _lo, _hi in RATE_BANDS]
    if t.no_rate:
        rows.append(["无法计算", t.no_rate, t.share(t.no_rate)])
    return rows


def _sentences(b: Bulletin) -> list[str]:
    p = b.projects
    good = p.grades.get("优", 0) + p.grades.get("良", 0)
    high = p.rates.get(RATE_BANDS[0][0], 0)
    return [
        f"本次共审核 {b.departments} 个部门的绩效自评报告，涉及项目 {p.count} 个。",
        f"项目自评平均得分 {p.mean} 分；评为“优”“良”的 {good} 个，占 {p.share(good)}。",
        f"预算执行率达到 90% 及以上的项目 {high} 个，占 {p.share(high)}。",
        f"触发红色预警 {p.red + b.overall.red} 个（项目 {p.red} 个、部门整体 {b.overall.red} 个），"
        f"黄色预警 {p.yellow + b.overall.yellow} 个（项目 {p.yellow} 个、部门整体 {b.overall.yellow} 个）。",
    ] + (
        [f"最常见的问题是“{b.rules[0][1]}”，共 {b.rules[0][2]} 处，涉及 {b.rules[0][3]} 个部门。"]
        if b.rules
        else []
    )


def write_bulletin_xlsx(b: Bulletin, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from core.export import save_atomically

    wb = Workbook()
    ws = wb.active
    ws.title = "通报"
    ws.append(["绩效自评情况通报"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in _sentences(b):
        ws.append([line])
    ws.column_dimensions["A"].width = 100
    for title, tally in (("项目", b.projects), ("部门整体", b.overall)):
        sheet = wb.create_sheet(f"{title}等级")
        sheet.append(["等级", "个数", "占比"])
        for row in _grade_rows(tally):
            sheet.append(row)
        sheet.append(["合计", tally.count, "100%" if tally.count else "—"])
        sheet.append(["平均得分", tally.mean, ""])
        sheet.append(["红色预警", tally.red, tally.share(tally.red)])
        sheet.append(["黄色预警", tally.yellow, tally.share(tally.yellow)])
        rates = wb.create_sheet(f"{title}执行率")
        rates.append(["预算执行率", "个数", "占比"])
        for row in _rate_rows(tally):
            rates.append(row)
    ws = wb.create_sheet("常见问题")
    ws.append(["规则", "问题", "出现次数", "涉及部门数"])
    for rule in b.rules:
        ws.append(list(rule))
    ws.column_dimensions["B"].width = 50
    save_atomically(path, wb.save)


def write_bulletin_docx(b: Bulletin, path: Path) -> None:
    from docx import Document as DocxDocument

    from core.export import save_atomically

    doc = DocxDocument()
    doc.add_heading("绩效自评情况通报", level=1)
    for line in _sentences(b):
        doc.add_paragraph(line)
    for caption, header, rows in (
        ("表1 项目自评等级分布", ["等级", "个数", "占比"], _grade_rows(b.projects)),
        ("表2 项目预算执行率分布", ["预算执行率", "个数", "占比"], _rate_rows(b.projects)),
        ("表3 常见问题", ["规则", "问题", "出现次数", "涉及部门数"], [list(r) for r in b.rules]),
    ):
        doc.add_paragraph(caption)
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
    save_atomically(path, lambda p: doc.save(str(p)))
