"""Lay out each form as the region prints it: header, funds, goals, indicators, total.

``plan(report, template, forms)`` returns the grids in template order (附件1 基础数据表, 附件2
部门整体, its 评分表, 附件3-n per project with its 评分表); xlsx.py and docx.py render them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from core import schema
from core.export.figures import Figures, form_figures
from core.export.funds import fund_value, inline_funds, inline_height, money, split_rows
from core.export.grid import HEAD, LABEL, SCORE, TEXT, Grid, Value, fill_title, runs, signoff_items
from core.model import OVERALL, Form, Indicator, Report
from core.numbers import ZERO, fmt, q, try_amount
from core.schema import FUND, GOAL, IND, Kind, Table
from core.scoring import final_score, form_total
from core.templates import Column, FormSpec, FundRowSpec, Template, split_level1

LABEL_WIDTH = 10
RATE_WIDTH = 10


def attachment_label(template: Template, form: Form, n: int) -> str:
    """Return 附件2 / 附件3-1 … for a form (n = its number among the projects)."""
    spec = template.form(form.kind)
    pattern = template.attachments.get(form.kind, spec.attachment)
    return pattern.replace("{n}", str(n))


def form_grid(report: Report, form: Form, label: str, template: Template) -> Grid:
    """Return the grid of one 自评表."""
    spec = template.form(form.kind)
    fig = form_figures(report, form, template)
    cols = indicator_columns(form, spec)
    widths = [LABEL_WIDTH] + [c.width or 12 for c in cols]
    title = fill_title(spec.title, report.year, name=form.name, department=report.department)
    short = "部门整体" if form.kind == OVERALL else form.name
    g = Grid(
        f"{label} {short}" if label else short,  # the tab's name, not printed: the form's when unlabelled
        label,
        title,
        widths,
        uid=form.uid,
        landscape=spec.orientation != "portrait",
        rate_places=template.scoring.rate_places,
        rate_whole=template.scoring.rate_whole_places,
        typed=template.printing.get("amount_places") == "typed",
        title_fields=(report.department, form.name, str(report.year)),
    )
    words = spec.printing
    g.subtitle = fill_title(words.get("subtitle", ""), report.year, department=report.department)
    _header(g, form, spec)
    fund_top = g.rows
    if spec.fund_layout == "inline":
        g.rows += inline_height(spec)  # written last: the pairs split the finished table's columns
    else:
        _funds(g, form, spec, fig)
    _goals(g, form, spec)
    _indicators(g, form, spec, fig, cols)
    if spec.scored:
        _total(g, form, spec, fig, cols, _review_total(report, form, template, cols))
    if spec.fund_layout == "inline":
        inline_funds(g, form, spec, fig, fund_top)
    own = form.signoff if form.signoff and not form.signoff.is_blank() else None
    g.signoff = signoff_items(own or report.signoff, list(words.get("signoff", [])))
    g.notes = [fill_title(n, report.year, department=report.department) for n in words.get("notes", [])]
    return g


def _header(g: Grid, form: Form, spec: FormSpec) -> None:
    fields = list(spec.header)
    n = g.ncols
    if fields and fields[0].key == schema.HEAD.name:
        g.put(g.rows, 0, fields[0].title, LABEL)
        g.put(g.rows - 1, 1, form.name, TEXT, cols=n - 1, align="left")
        fields = fields[1:]
    mid = max(2, n // 2)
    for i in range(0, len(fields), 2):
        r = g.rows
        pair = fields[i : i + 2]
        g.put(r, 0, pair[0].title, LABEL)
        if len(pair) == 1:
            g.put(r, 1, getattr(form, pair[0].key, ""), TEXT, cols=n - 1, align="left")
            continue
        g.put(r, 1, getattr(form, pair[0].key, ""), TEXT, cols=mid - 1, align="left")
        g.put(r, mid, pair[1].title, LABEL)
        g.put(r, mid + 1, getattr(form, pair[1].key, ""), TEXT, cols=n - mid - 1, align="left")


def _fund_slots(g: Grid, count: int) -> tuple[int, list[tuple[int, int]]]:
    """Return the label span and (first column, span) of each fund column."""
    avail = g.ncols - 1
    label = 2 if avail - 2 >= count else 1
    slots = [(1 + label + i, 1) for i in range(count)]
    first, _ = slots[-1]
    slots[-1] = (first, g.ncols - first)
    return label, slots


def _funds(g: Grid, form: Form, spec: FormSpec, fig: Figures) -> None:
    start = g.rows
    label, slots = _fund_slots(g, len(spec.fund_columns))
    for (c, _span), col in zip(slots, spec.fund_columns, strict=True):
        need = max(col.width, RATE_WIDTH if col.key == FUND.rate else 0)
        g.widths[c] = max(g.widths[c], need)
    g.put(start, 1, "", HEAD, cols=label)
    for (c, span), col in zip(slots, spec.fund_columns, strict=True):
        g.put(start, c, col.title, HEAD, cols=span)
    plain, grouped = split_rows(spec)
    for rs in plain:
        r = g.rows
        g.put(r, 1, rs.printed, LABEL, cols=label, align="left" if rs.level else "center")
        for (c, span), col in zip(slots, spec.fund_columns, strict=True):
            value, kind = fund_value(form, spec, rs, col.key, fig)
            g.put(r, c, value, kind, cols=span)
    if grouped:
        _grouped_funds(g, form, grouped, fig)
    g.put(start, 0, spec.fund_title, LABEL, rows=g.rows - start)


def _grouped_funds(g: Grid, form: Form, rows: list[FundRowSpec], fig: Figures) -> None:
    groups: dict[str, list[FundRowSpec]] = {}
    for rs in rows:
        groups.setdefault(rs.group, []).append(rs)
    avail = g.ncols - 1
    half = avail // max(1, len(groups))
    top = g.rows
    for gi, (name, members) in enumerate(groups.items()):
        c0 = 1 + gi * half
        span = half if gi < len(groups) - 1 else avail - gi * half
        lab = (span + 1) // 2
        g.put(top, c0, f"{name}：", LABEL, cols=span, align="left")
        for i, rs in enumerate(members, start=1):
            value, kind = money(form, rs.key, rs.columns[0], fig)
            g.put(top + i, c0, f"{rs.printed}：", LABEL, cols=lab, align="left")
            g.put(top + i, c0 + lab, value, kind, cols=span - lab)
    depth = max(len(m) for m in groups.values())
    for gi, members in enumerate(groups.values()):
        c0 = 1 + gi * half
        span = half if gi < len(groups) - 1 else avail - gi * half
        for r in range(top + len(members) + 1, top + depth + 1):
            g.put(r, c0, "", TEXT, cols=span)


def _goal_split(g: Grid) -> int:
    total = sum(g.widths[1:])
    acc = 0
    for c in range(1, g.ncols - 1):
        acc += g.widths[c]
        if acc >= total * 0.55:
            return c + 1
    return g.ncols - 1


_NUMBERED_GOAL = re.compile(r"\s*目标\s*\d+")  # the user already wrote "目标 1：…"


def _goals(g: Grid, form: Form, spec: FormSpec) -> None:
    start = g.rows
    mid = _goal_split(g)
    g.put(start, 1, spec.goal_titles[0], HEAD, cols=mid - 1)
    g.put(start, mid, spec.goal_titles[1], HEAD, cols=g.ncols - mid)
    for i, goal in enumerate(form.goals or [], start=1):
        numbered = spec.goals_numbered and not _NUMBERED_GOAL.match(goal.goal)
        text = spec.printing.get(GOAL.goal, "").replace("{i}", str(i)) + goal.goal if numbered else goal.goal
        g.put(g.rows, 1, text, TEXT, cols=mid - 1, align="left")
        g.put(g.rows - 1, mid, goal.achieved, TEXT, cols=g.ncols - mid, align="left")
    if not form.goals:
        g.put(g.rows, 1, "", TEXT, cols=mid - 1)
        g.put(g.rows - 1, mid, "", TEXT, cols=g.ncols - mid)
    g.put(start, 0, spec.printing.get("goals", ""), LABEL, rows=g.rows - start)


def _level1_text(label: str, members: list[Indicator], spec: FormSpec) -> str:
    name, printed = split_level1(label)
    if not spec.scored or not name:
        return name
    name = spec.canonical_level1(name)
    total = try_amount(printed or spec.level1_weights.get(name, ""))
    if total is None:
        weights = [w for i in members if (w := try_amount(i.weight)) is not None]
        total = sum(weights, ZERO) if weights else None
    if total is None:
        return name
    return (
        str(spec.printing.get(IND.level1, "{name}")).replace("{name}", name).replace("{weight}", fmt(total))
    )


def indicator_columns(form: Form, spec: FormSpec) -> tuple[Column, ...]:
    """Return the indicator table's columns: the template's, and when the form carries 复核得分 (a
    review file's export) the template's ``print.review`` columns beside the one it names, that
    column retitled as it says (seed 001: 自评得分 | 财政复核得分)."""
    cols = spec.indicator_columns
    words = spec.printing.get("review")
    if not isinstance(words, dict):
        return cols
    extra = [Column(str(c["key"]), str(c["title"]), int(c.get("width", 0))) for c in words.get("columns", [])]
    keys = [c.key for c in cols]
    after = str(words.get("after", ""))
    if after not in keys or not any(
        str(getattr(i, c.key, "")).strip() for i in form.indicators for c in extra
    ):
        return cols
    titles = words.get("titles", {})
    out = [replace(c, title=str(titles.get(c.key, c.title))) for c in cols]
    at = keys.index(after) + 1
    return tuple(out[:at] + extra + out[at:])


def _review_keys(spec: FormSpec, cols: tuple[Column, ...]) -> set[str]:
    return {c.key for c in cols} - {c.key for c in spec.indicator_columns}


def _review_scores(spec: FormSpec, cols: tuple[Column, ...]) -> list[str]:
    """The 复核 columns that hold scores (an amount column of the indicators; a 复核意见 is text)."""
    review = _review_keys(spec, cols)
    out = []
    for c in cols:
        declared = schema.column(Table.INDICATORS, c.key) if c.key in review else None
        if declared is not None and declared.kind == Kind.AMOUNT:
            out.append(c.key)
    return out


def _review_total(report: Report, form: Form, template: Template, cols: tuple[Column, ...]) -> Decimal | None:
    """Return the 总分 as reviewed: each 复核得分 in place of its 得分 (rows without one keep theirs)."""
    review = _review_scores(template.form(form.kind), cols)
    if not review:
        return None
    key = review[0]
    rows = [replace(i, score=getattr(i, key)) if getattr(i, key).strip() else i for i in form.indicators]
    return form_total(report, replace(form, indicators=rows), template)


def _indicators(g: Grid, form: Form, spec: FormSpec, fig: Figures, cols: tuple[Column, ...]) -> None:
    start = g.rows
    for c, col in enumerate(cols, start=1):
        g.put(start, c, col.title, HEAD)
    g.repeat = (start, start)
    inds = form.indicators
    base = start + 1
    review = _review_keys(spec, cols)
    for i, ind in enumerate(inds):
        for c, col in enumerate(cols, start=1):
            if col.key in (IND.level1, IND.level2):
                continue
            computed = fig.indicators[i] if i < len(fig.indicators) else None
            value, kind, align = _indicator_cell(ind, col.key, computed, col.key in review)
            g.put(base + i, c, value, kind, align=align)
    keys = [c.key for c in cols]
    l1 = [i.level1 for i in inds]
    for a, b in runs(l1):
        if IND.level1 in keys:
            g.put(
                base + a,
                1 + keys.index(IND.level1),
                _level1_text(l1[a], inds[a : b + 1], spec),
                LABEL,
                rows=b - a + 1,
            )
        if IND.level2 in keys:
            for c, d in runs([i.level2 for i in inds], a, b + 1):
                g.put(base + c, 1 + keys.index(IND.level2), inds[c].level2, LABEL, rows=d - c + 1)
    g.rows = max(g.rows, base + len(inds))
    # The label sits in the (repeated) header row only: a merge from there into the body would print a
    # stray label and rule on every continuation page. The body's first column is one blank run.
    g.put(start, 0, spec.printing.get("indicators", ""), LABEL)
    if g.rows > base:
        g.put(base, 0, "", LABEL, rows=g.rows - base)


def _indicator_cell(
    ind: Indicator, key: str, computed: Decimal | None, review: bool = False
) -> tuple[Value, str, str]:
    """Return value, kind and alignment of one indicator cell (scores as numbers when they are)."""
    text = getattr(ind, key)
    if isinstance(text, bool):
        text = "是" if text else ""
    align = "left" if key in (IND.level3, IND.deviation_note) else "center"
    if review:  # a 复核 column: a score as a number, a remark as text
        value = try_amount(text) if text.strip() else None
        return (value, SCORE, align) if value is not None else (text, TEXT, "left" if text else align)
    if key in (IND.weight, IND.score):
        value = try_amount(text)
        if value is not None and key == IND.score:  # printed as 总分 counts it: 2 places, after 扣减分数
            places = value.as_tuple().exponent
            value = final_score(
                q(value) if isinstance(places, int) and places < -2 else value, try_amount(ind.deduction)
            )
        if value is None and key == IND.score and not text.strip() and not ind.is_blank_row():
            value = computed
        if value is not None:
            return value, SCORE, align
    return text, TEXT, align


def _total(
    g: Grid, form: Form, spec: FormSpec, fig: Figures, cols: tuple[Column, ...], review: Decimal | None
) -> None:
    keys = [c.key for c in cols]
    if IND.weight not in keys or IND.score not in keys:
        return
    r = g.rows
    wc, sc = 1 + keys.index(IND.weight), 1 + keys.index(IND.score)
    weights = [w for i in form.indicators if (w := try_amount(i.weight)) is not None]
    execution = fig.weight if spec.execution_in_total else None
    entered = weights or any(i.score.strip() for i in form.indicators)
    g.put(r, 0, spec.printing.get("total", ""), LABEL, cols=wc)
    # An empty form prints an empty 总分 (not the execution weight alone and a score of 0).
    g.put(r, wc, sum(weights, execution or ZERO) if entered else None, SCORE)
    g.put(r, sc, fig.total if entered else None, SCORE)
    extra = _review_keys(spec, cols)
    for key in extra:  # the reviewed 总分 under the 复核得分 column
        g.put(r, 1 + keys.index(key), review if key in _review_scores(spec, cols) else "", SCORE)
    rest = max([sc] + [1 + keys.index(k) for k in extra]) + 1
    if rest < g.ncols:
        g.put(r, rest, "", TEXT, cols=g.ncols - rest)


def plan(report: Report, template: Template, forms: list[int] | None = None) -> list[Grid]:
    """Return every attachment grid in ``template``'s order (only the forms in ``forms`` when given)."""
    return list(iter_plan(report, template, forms))


def iter_plan(report: Report, template: Template, forms: list[int] | None = None) -> Iterator[Grid]:
    """Yield the grids of ``plan`` one at a time, each built when asked for (a writer that writes
    each before asking for the next holds one form's layout, not all of them)."""
    from core.export.public import strip_private  # the 公开版 (issue 13)
    from core.export.tables import basic_data_grid, score_sheet_grid

    listed = template.printing.get("attachment_titles", {})

    footer = str(template.printing.get("page_footer", ""))

    def ready(grid: Grid, kind: str) -> Grid:
        strip_private(report, template, [grid])
        grid.footer = footer
        if isinstance(listed, dict) and kind in listed:  # the report's attachment list names it so
            grid.listed = fill_title(str(listed[kind]), report.year, department=report.department)
        return grid

    if forms is None and template.basic_data:  # printed blank when not filled in: it keeps 附件1
        yield ready(basic_data_grid(report, template), "basic")
    n = 0
    headed: set[str] = set()
    for form in sorted(report.forms, key=lambda f: f.kind != OVERALL):
        n += form.kind != OVERALL
        if forms is not None and form.uid not in forms:
            continue
        label = attachment_label(template, form, n)
        grid = form_grid(report, form, label, template)
        heading = template.attachments.get(f"{form.kind}_heading", "")
        if heading and form.kind not in headed:  # one heading above all the forms of a kind (001's 附表：…)
            headed.add(form.kind)
            grid.attachment = fill_title(heading, report.year, department=report.department)
        yield ready(grid, form.kind)
        if form.score_sheet:
            yield ready(score_sheet_grid(report, form, label, template), f"{form.kind}_score")
    if forms is None and "summary" in template.outputs:
        from core.export.summary import summary_grid  # the 自评汇总表 (issue 13)

        yield ready(summary_grid(report, template), "summary")


def plan_size(report: Report, template: Template, forms: list[int] | None = None) -> int:
    """Return how many grids ``iter_plan`` yields (without building them)."""
    chosen = [f for f in report.forms if forms is None or f.uid in forms]
    whole = forms is None
    return (
        (whole and bool(template.basic_data))
        + sum(1 + bool(f.score_sheet) for f in chosen)
        + (whole and "summary" in template.outputs)
    )
