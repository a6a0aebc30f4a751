"""Narrative sentences that state figures, filled from the data so text and tables agree.

Two ways, both in the Word export:
- placeholders: a section's text may contain ``{执行率}``, ``{全年预算数}`` … (see PLACEHOLDERS);
  each is replaced by the figure computed from the forms. Unknown ``{…}`` stay as written.
- one paragraph of figures is added to the section that reports the department's spending (the first
  title containing one of the template's ``print.summary_section`` words, e.g. 预算执行情况; else the
  last section); it states 全年预算数, 全年执行数, 执行率, 年中调整, the projects' totals, 三公经费 增减
  and, unless the section already states a conclusion, the self-evaluation score and grade. It
  carries no marker: it prints as an ordinary paragraph of the report.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from core import schema
from core.export.figures import form_figures
from core.export.funds import money
from core.model import Report
from core.numbers import ZERO, fmt, fmt_money, fmt_percent, try_amount
from core.schema import FUND
from core.templates import Template

PLACEHOLDERS = (
    "年度",
    "部门",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "执行率",
    "调整数",
    "结余",
    "自评得分",
    "等级",
    "项目个数",
    "项目全年预算数",
    "项目全年执行数",
    "项目执行率",
)
_STATED = ("自评结论", "等级", "自评得分", "评价得分")  # a section that already states the conclusion


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def _amount(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def figure_values(report: Report, template: Template) -> dict[str, str]:
    """Return every placeholder's text (blank figures print as “—”)."""
    out = {"年度": str(report.year), "部门": report.department}
    overall = report.overall
    if overall is not None:
        spec = template.form(overall.kind)
        fig = form_figures(report, overall, template)
        cols = {c: _amount(money(overall, spec.rate_row, c, fig)[0]) for c in schema.FUND_AMOUNTS}
        out.update(_money_values(cols, fig.rate, template.scoring.rate_places))
        filled = any(i.weight.strip() or i.score.strip() for i in overall.indicators)
        out["自评得分"] = (fmt(fig.total) or "—") if filled else "—"  # an empty form has no score yet
        out["等级"] = (fig.grade or "—") if filled else "—"
    projects = report.projects
    rows = [(f.fund(template.form(f.kind).rate_row)) for f in projects]
    pa = _sum([try_amount(r.annual) if r else None for r in rows])
    pe = _sum([try_amount(r.executed) if r else None for r in rows])
    out["项目个数"] = str(len(projects))
    out["项目全年预算数"] = fmt_money(pa) or "—"
    out["项目全年执行数"] = fmt_money(pe) or "—"
    out["项目执行率"] = fmt_percent(pe / pa if pa and pe is not None else None, template.scoring.rate_places)
    return out


def _money_values(cols: dict[str, Decimal | None], rate: Decimal | None, places: int) -> dict[str, str]:
    initial, annual, executed = cols[FUND.initial], cols[FUND.annual], cols[FUND.executed]
    return {
        "年初预算数": fmt_money(initial) or "—",
        "全年预算数": fmt_money(annual) or "—",
        "全年执行数": fmt_money(executed) or "—",
        "执行率": fmt_percent(rate, places),
        "调整数": fmt_money(annual - initial) if annual is not None and initial is not None else "—",
        "结余": fmt_money(annual - executed) if annual is not None and executed is not None else "—",
    }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace {名称} for the known figures; anything else in braces stays as written."""
    return re.sub(r"\{([^{}]+)\}", lambda m: values.get(m[1], m[0]), text)


def _change(word_up: str, word_down: str, diff: Decimal) -> str:
    if diff == 0:
        return "持平"
    return f"{word_up if diff > 0 else word_down}{fmt_money(abs(diff))}万元"


def summary_paragraph(report: Report, template: Template, section_text: str = "") -> str:
    """Return the paragraph stating the report's main figures (``section_text``: what it follows)."""
    v = figure_values(report, template)
    parts = [
        f"{v['年度']}年度，部门全年预算数{v.get('全年预算数', '—')}万元，"
        f"全年执行数{v.get('全年执行数', '—')}万元，预算执行率{v.get('执行率', '—')}。"
    ]
    adjust = try_amount(v.get("调整数"))
    if adjust is not None:
        parts.append(f"全年预算数较年初预算数{v['年初预算数']}万元{_change('增加', '减少', adjust)}。")
    if report.projects:
        parts.append(
            f"纳入自评的项目{v['项目个数']}个，全年预算数合计{v['项目全年预算数']}万元，"
            f"执行数合计{v['项目全年执行数']}万元，执行率{v['项目执行率']}。"
        )
    parts.extend(_year_on_year(report.basic_data))
    stated = any(word in section_text for word in _STATED)
    if report.overall is not None and v.get("自评得分", "—") != "—" and not stated:
        parts.append(f"部门整体支出绩效自评得分{v['自评得分']}分，等级为“{v['等级']}”。")
    return "".join(parts)


def _year_on_year(data: dict[str, Any]) -> list[str]:
    """Return 增减 sentences for 三公经费, 项目支出 and 公用经费 from the basic data (this year vs last)."""
    out = []
    for row in data.get("expenses", []) or []:
        label = str(row.get("label", ""))
        if label not in ("三公经费", "项目支出", "公用经费"):
            continue
        now, last = try_amount(row.get(schema.BASIC.final)), try_amount(row.get(schema.BASIC.last_final))
        if now is None or last is None:
            continue
        diff = now - last
        pct = f"，{'增长' if diff > 0 else '下降'}{fmt_percent(abs(diff) / last)}" if last and diff else ""
        out.append(
            f"{label}决算{fmt_money(now)}万元，比上年决算{fmt_money(last)}万元"
            f"{_change('增加', '减少', diff)}{pct}。"
        )
    return out


def summary_section(titles: list[str], keys: list[str]) -> int:
    """Return the index of the section that gets the figures paragraph (the first title with a key)."""
    for key in keys:
        for i, title in enumerate(titles):
            if key in title:
                return i
    return len(titles) - 1
