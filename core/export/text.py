"""Narrative sentences that state figures, filled from the data so text and tables agree.

Two ways, both in the Word export:
- placeholders: a section's text may contain ``{执行率}``, ``{全年预算数}`` … (see PLACEHOLDERS);
  each is replaced by the figure computed from the forms. Unknown ``{…}`` stay as written.
- one paragraph of figures is added to the section that reports the department's spending (the first
  title containing one of the template's ``print.summary_section`` words, e.g. 预算执行情况; else the
  last section); it states 全年预算数, 全年执行数, 执行率, 年中调整, the projects' totals, 三公经费 增减
  and, unless the section already states a conclusion, the self-evaluation score and grade, in the
  template's sentences (``print.figures``). It carries no marker: it prints as an ordinary paragraph.
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
        out.update(
            _money_values(cols, fig.rate, template.scoring.rate_places, template.scoring.rate_whole_places)
        )
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
    rate = pe / pa if pa and pe is not None else None
    out["项目执行率"] = fmt_percent(rate, template.scoring.rate_places, template.scoring.rate_whole_places)
    return out


def _money_values(
    cols: dict[str, Decimal | None], rate: Decimal | None, places: int, whole: int | None
) -> dict[str, str]:
    initial, annual, executed = cols[FUND.initial], cols[FUND.annual], cols[FUND.executed]
    return {
        "年初预算数": fmt_money(initial) or "—",
        "全年预算数": fmt_money(annual) or "—",
        "全年执行数": fmt_money(executed) or "—",
        "执行率": fmt_percent(rate, places, whole),
        "调整数": fmt_money(annual - initial) if annual is not None and initial is not None else "—",
        "结余": fmt_money(annual - executed) if annual is not None and executed is not None else "—",
    }


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace {名称} for the known figures; anything else in braces stays as written."""
    return re.sub(r"\{([^{}]+)\}", lambda m: values.get(m[1], m[0]), text)


def _change(words: dict[str, Any], diff: Decimal) -> str:
    """Return the template's words for a change: 持平, 增加{金额}万元 or 减少{金额}万元."""
    key = "same" if diff == 0 else "increase" if diff > 0 else "decrease"
    return str(words.get(key, "")).replace("{金额}", fmt_money(abs(diff)))


def summary_paragraph(report: Report, template: Template, section_text: str = "", written: str = "") -> str:
    """Return the paragraph stating the report's main figures (``section_text``: what it follows), in
    the template's sentences (``print.figures``): none when the template has none. A figure the
    section's own text already places (``written``, its text before the placeholders are filled: a
    template's draft "{年度}年度全年预算数{全年预算数}万元…") is not stated a second time."""
    words: dict[str, Any] = dict(template.printing.get("figures", {}))
    values = {key: "—" for key in PLACEHOLDERS} | figure_values(report, template)

    def say(key: str, **more: str) -> str:
        return fill_placeholders(str(words.get(key, "")), values | more)

    parts = []
    if not all("{" + key + "}" in written for key in ("全年预算数", "全年执行数")):
        parts.append(say("budget"))
        adjust = try_amount(values.get("调整数"))
        if adjust is not None:
            parts.append(say("adjust", 变动=_change(words, adjust)))
    if report.projects and not all(
        "{" + key + "}" in written for key in ("项目全年预算数", "项目全年执行数")
    ):
        parts.append(say("projects"))
    parts.extend(_year_on_year(report.basic_data, words))
    stated = any(str(word) in section_text for word in words.get("stated", []))
    if report.overall is not None and values["自评得分"] != "—" and not stated:
        parts.append(say("conclusion"))
    return "".join(parts)


def _year_on_year(data: dict[str, Any], words: dict[str, Any]) -> list[str]:
    """Return 增减 sentences for the basic data's rows the template names (三公经费, 项目支出 …): this
    year's 决算 against last year's."""
    rows = [str(label) for label in words.get("year_on_year_rows", [])]
    out = []
    for row in data.get("expenses", []) or []:
        label = str(row.get("label", ""))
        if label not in rows:
            continue
        now, last = try_amount(row.get(schema.BASIC.final)), try_amount(row.get(schema.BASIC.last_final))
        if now is None or last is None:
            continue
        diff = now - last
        share = str(words.get("growth" if diff > 0 else "decline", "")) if last and diff else ""
        sentence = str(words.get("year_on_year", ""))
        for key, text in (
            ("项目", label),
            ("本年决算", fmt_money(now)),
            ("上年决算", fmt_money(last)),
            ("变动", _change(words, diff)),
            ("幅度", share.replace("{比例}", fmt_percent(abs(diff) / last)) if share else ""),
        ):
            sentence = sentence.replace("{" + key + "}", text)
        out.append(sentence)
    return out


def summary_section(titles: list[str], keys: list[str]) -> int:
    """Return the index of the section that gets the figures paragraph (the first title with a key)."""
    for key in keys:
        for i, title in enumerate(titles):
            if key in title:
                return i
    return len(titles) - 1
