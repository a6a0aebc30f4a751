"""Lay out the score sheet (评分表, 广元) and the basic data table (基础数据表, 益阳 附件1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.export.figures import form_figures
from core.export.grid import (
    HEAD,
    LABEL,
    MONEY,
    RATE,
    SCORE,
    TEXT,
    Grid,
    Value,
    fill_title,
    runs,
    signoff_items,
)
from core.model import OVERALL, Form, Report, ScoreItem
from core.numbers import ZERO, fmt, q, try_amount
from core.schema import BASIC, REP
from core.schema import HEAD as HEAD_KEYS  # grid.HEAD is the header cell kind
from core.templates import Template

SHEET_WIDTHS = [10, 12, 15, 7, 26, 45, 8]  # 15: “预算结余率（低效无效率）”'s bracket on one Word line


def _is_deduction(item: ScoreItem) -> bool:
    return bool(item.path) and item.path[0].startswith("扣分")


def _level(item: ScoreItem, i: int) -> str:
    return item.path[i] if len(item.path) > i else ""


def _weighted(words: dict[str, Any], name: str, items: list[ScoreItem]) -> str:
    weights = [w for it in items if (w := try_amount(it.weight)) is not None]
    if not name or not weights:
        return name
    pattern = str(words.get("weighted", "{name}"))
    return pattern.replace("{name}", name).replace("{weight}", fmt(sum(weights, ZERO)))


def _tab_name(name: str, suffix: str, units: int = 31) -> str:
    """Return ``name`` cut so that ``suffix`` still fits an Excel sheet name of ``units`` UTF-16 units
    (a character beyond the Basic Multilingual Plane counts two): a long project's 评分表 tab keeps its
    suffix rather than being cut to the form's own tab name."""
    room, used = units - len(suffix), 0
    for i, ch in enumerate(name):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > room:
            return name[:i] + suffix
    return name + suffix


def score_sheet_grid(report: Report, form: Form, label: str, template: Template) -> Grid:
    """Return the grid of a form's 评分表: 一级/二级/三级, 分值, 解释, 评价要点, 自评得分 (复核)."""
    spec = template.form(form.kind)
    words = spec.sheet_printing
    review = form.kind == OVERALL or any(i.review_score for i in form.score_sheet)
    widths = SHEET_WIDTHS + ([8] if review else [])
    attachment = template.attachments.get("score_sheet", "") if form.kind == OVERALL else ""
    fields = {HEAD_KEYS.name: form.name, REP.department: report.department}  # {name}, {department}
    g = Grid(
        _tab_name(attachment or label or form.name, " 评分表"),
        attachment,
        fill_title(spec.score_sheet_title, report.year, **fields),
        widths,
        subtitle=fill_title(str(words.get("subtitle", "")), report.year, **fields),
        uid=form.uid,
        rate_places=template.scoring.rate_places,
        rate_whole=template.scoring.rate_whole_places,
        typed=template.printing.get("amount_places") == "typed",
        title_fields=(report.department, form.name, str(report.year)),
    )
    heads = list(words.get("heads", [""] * 9))
    g.put(0, 0, heads[0], HEAD, cols=3)
    for c, text in enumerate(heads[4 : 4 + len(widths) - 3], start=3):
        g.put(0, c, text, HEAD, rows=2)
    for c, text in enumerate(heads[1:4]):
        g.put(1, c, text, HEAD)
    g.repeat = (0, 1)
    _sheet_rows(g, form, form_figures(report, form, template).sheet, review, words)
    _sheet_total(g, form, report, template, str(words.get("total", "")))
    g.notes = [fill_title(str(n), report.year, **fields) for n in words.get("notes", [])]
    return g


def _sheet_rows(
    g: Grid, form: Form, scores: list[Decimal | None], review: bool, words: dict[str, Any]
) -> None:
    """Write the items; equal names merge, and a label gets its weight where the template prints one
    (一级 always, a deeper level when it spans several items or has levels below it)."""

    items = form.score_sheet
    base = 2
    on = set(words.get("weights_on", []))
    for i, item in enumerate(items):
        r = base + i
        g.put(r, 3, _number(item.weight), SCORE if try_amount(item.weight) is not None else TEXT)
        g.put(r, 4, item.explanation, TEXT, align="left")
        g.put(r, 5, item.rule, TEXT, align="left")
        g.put(r, 6, scores[i] if i < len(scores) else _number(item.self_score), SCORE)
        if review:
            g.put(r, 7, _number(item.review_score), SCORE)
    depth = [max(1, len(i.path)) for i in items]
    for a, b in runs([_level(i, 0) for i in items]):
        _sheet_label(g, items, depth, a, b, 0, on, words)
        for c, d in runs([_level(i, 1) for i in items], a, b + 1):
            if depth[c] > 1:
                _sheet_label(g, items, depth, c, d, 1, on, words)
                for e, f in runs([_level(i, 2) for i in items], c, d + 1):
                    if depth[e] > 2:
                        _sheet_label(g, items, depth, e, f, 2, on, words)
    g.rows = max(g.rows, base + len(items))


def _sheet_label(
    g: Grid,
    items: list[ScoreItem],
    depth: list[int],
    a: int,
    b: int,
    level: int,
    on: set[int],
    words: dict[str, Any],
) -> None:
    """Write the level-``level`` label of items a..b; a leaf label spans the deeper level columns."""
    name = _level(items[a], level)
    leaf = depth[a] == level + 1
    weighted = level in on and (level == 0 or b > a or not leaf)
    text = _weighted(words, name, items[a : b + 1]) if weighted else name
    cols = 3 - level if leaf else 1
    g.put(2 + a, level, text, LABEL, rows=b - a + 1, cols=cols)


def _number(text: str) -> Value:
    value = try_amount(text)
    return value if value is not None else text


def _sheet_total(g: Grid, form: Form, report: Report, template: Template, label: str) -> None:
    weights = [
        w for i in form.score_sheet if not _is_deduction(i) and (w := try_amount(i.weight)) is not None
    ]
    scores = form_figures(report, form, template)
    if template.form(form.kind).scored:
        total: Decimal | None = q(sum((q(s) for s in scores.sheet if s is not None), ZERO))
    else:
        total = scores.total
    r = g.rows
    g.put(r, 0, label, LABEL, cols=3)
    g.put(r, 3, sum(weights, ZERO), SCORE)
    g.put(r, 4, "", TEXT, cols=2)
    g.put(r, 6, total, SCORE)
    for c in range(7, g.ncols):
        g.put(r, c, "", TEXT)


def basic_data_grid(report: Report, template: Template) -> Grid:
    """Return 附件1 基础数据表: staff, expense control, buildings, thrift measures, note."""
    spec = template.basic_data
    data = report.basic_data
    label = template.attachments.get("basic_data", "附件1")
    g = Grid(
        f"{label} 基础数据表",
        label,
        fill_title(spec.get("title", "基础数据表"), report.year),
        [30, 9, 9, 9, 9, 9, 9],
        landscape=False,
        rate_places=template.scoring.rate_places,
        rate_whole=template.scoring.rate_whole_places,
        typed=template.printing.get("amount_places") == "typed",
        title_fields=(str(report.year), str(report.year - 1), str(report.year + 1)),
    )
    words = spec.get("print", {})
    staff = [data.get("staff", {})]
    _triple(g, words.get("staff", ""), spec.get("staff", []), staff, report.year, head=True)
    _expenses(g, spec, data, report.year)
    _buildings(g, spec, data, report.year)
    g.put(g.rows, 0, words.get("thrift", ""), LABEL)
    g.put(g.rows - 1, 1, str(data.get(BASIC.thrift_measures, "")), TEXT, cols=6, align="left")
    note = data.get("note") or spec.get("note", "")
    if note:
        prefix = words.get("note", "")
        g.notes.append(note if note.startswith(prefix) else prefix + note)
    g.signoff = signoff_items(report.signoff, list(words.get("signoff", [])))
    return g


def _triple(
    g: Grid, title: str, columns: list[dict[str, str]], rows: list[dict[str, Any]], year: int, head: bool
) -> None:
    """Write a header of three titles (two columns each) and value rows under a merged label."""
    start = g.rows
    for i, col in enumerate(columns[:3]):
        g.put(start, 1 + 2 * i, fill_title(col["title"], year), HEAD, cols=2)
    for row in rows:
        r = g.rows
        if not head:
            g.put(r, 0, str(row.get("label", "")), LABEL, align="left")
        for i, col in enumerate(columns[:3]):
            value, kind = _data_value(row.get(col["key"], ""))
            g.put(r, 1 + 2 * i, value, SCORE if head and kind == MONEY else kind, cols=2)
    if head:
        g.put(start, 0, title, LABEL, rows=g.rows - start)
    else:
        g.put(start, 0, title, HEAD)


def _data_value(text: Any) -> tuple[Value, str]:
    """Return a basic-data value as a number where it is one (90.54% as a rate), else the text."""
    text = "" if text is None else str(text).strip()
    if text.endswith("%") and (rate := try_amount(text[:-1])) is not None:
        return rate / 100, RATE
    value = try_amount(text)
    return (value, MONEY) if value is not None else (text, TEXT)


def _expenses(g: Grid, spec: dict[str, Any], data: dict[str, Any], year: int) -> None:
    rows = data.get("expenses") or [{"label": label} for label in spec.get("expense_rows", [])]
    title = spec.get("print", {}).get("expenses", "")
    _triple(g, title, spec.get("expense_columns", []), rows, year, head=False)


def _buildings(g: Grid, spec: dict[str, Any], data: dict[str, Any], year: int) -> None:
    cols = spec.get("buildings", [])[:6]
    values = data.get("buildings", {})
    start = g.rows
    for i, col in enumerate(cols):
        g.put(start, 1 + i, col["title"], HEAD)
        value, kind = _data_value(values.get(col["key"], ""))
        g.put(start + 1, 1 + i, value, SCORE if kind == MONEY else kind)
    g.put(start, 0, fill_title(spec.get("print", {}).get("buildings", ""), year), LABEL, rows=2)
