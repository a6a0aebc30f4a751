"""Recognise forms in a grid by their header words, wherever the header block sits.

One parser covers the layouts that share the national form's words: the 财政部 附件1
项目/部门整体 自评表 (and every shipped template's own Excel and Word export), the
绩效目标申报表 (targets only), Word 自评报告 tables and the 安徽/合肥 offline templates; the
一体化 自评指标导入模板 is the same indicator table with no header block. The result is a
``RawForm``: what the file says, before it is fitted to a template (``core.importers.build``).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from core import schema
from core.importers.amounts import (
    accounting_negative,
    rate_doubt,
    rate_text,
    read_amount,
    read_score,
    unit_of,
)
from core.importers.grid import Grid, column_letter
from core.importers.readers import CHINESE_NUMERALS, number_text
from core.importers.words import (
    ACHIEVED_HEADERS,
    ADJUSTED,
    ALL_HEADER_LABELS,
    COEFFICIENT,
    GOAL_HEADERS,
    HEADER_LABELS,
    INITIAL_TARGET,
    NAME_LABELS,
    SIGNOFF_WORDS,
    STOP_WORDS,
    bare,
    fund_column,
    indicator_column,
    name_key,
    name_label,
    norm,
    starts,
)
from core.model import Goal, ScoreItem, Signoff
from core.schema import FUND, HEAD, IND, SCORE, Kind, Table

YTH = "一体化自评指标导入模板"
SELF_EVAL = "自评表"
DECLARATION = "绩效目标申报表"
SCORE_SHEET = "评分表"
KIND_NAMES = {"overall": "部门整体支出绩效自评表", "project": "项目支出绩效自评表"}
DECLARATION_FUNDS = (
    "年度资金申请总额",
    "年度资金总额",
    "当年财政拨款",
    "财政拨款",
    "上年结转资金",
    "上年结转",
    "其他资金",
    "财政资金",
    "项目资金总额",
)
LEVEL_KEYS = (IND.level1, IND.level2, IND.level3)
TEXT_KEYS = (IND.target, IND.actual, IND.deviation_note, IND.brief, "nature")
INDICATOR_AMOUNTS = schema.keys(Table.INDICATORS, Kind.AMOUNT)  # 分值, 得分, 扣减分数, 复核得分
SCORE_AMOUNTS = schema.keys(Table.SCORE_SHEET, Kind.AMOUNT)  # 分值, 自评得分, 复核得分


@dataclass
class Skip:
    cell: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"cell": self.cell, "reason": self.reason}


@dataclass
class RawFund:
    label: str
    values: dict[str, str]
    refs: dict[str, str]
    inline: bool = False
    unread: dict[str, str] = field(default_factory=dict)  # column → the cell whose value could not be read
    # a row the file names in a form's own words (the 2015 申报表's 金额合计 parts), not a template's: no
    # sign of which region's template the file is (its 财政拨款 is 广元's row, not the national form's)
    own_words: bool = False


NAME_CELL = "#name"  # a flag's cell: the form's 项目名称 (a name taken from a title or a sheet's name)


@dataclass
class RawForm:
    """A form as a file shows it (labels as printed, amounts already in 万元)."""

    file: str
    part: str
    recognised_as: str
    kind: str = "project"
    name: str = ""
    name_ref: str = ""
    supervisor: str = ""
    implementer: str = ""
    code: str = ""  # 项目编码
    office: str = ""  # 业务处室
    title: str = ""
    year: int | None = None
    funds: list[RawFund] = field(default_factory=list)
    fund_source_unit: str = ""
    unit_stated: str = ""  # the money unit the funds table prints ("" when it states none)
    execution_weight: str = ""
    goals: list[Goal] = field(default_factory=list)
    indicators: list[dict[str, str]] = field(default_factory=list)
    indicator_refs: list[dict[str, str]] = field(default_factory=list)
    score_sheet: list[ScoreItem] = field(default_factory=list)
    signoff: Signoff | None = None
    printed_total: str = ""
    skipped: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # what was read but may be wrong: the user checks
    # check → the cells it is about (the file's cell, what to check there): kept as 请核对 flags at the
    # cells their values went to (a check with none of its cells in the report: a flag on the form)
    check_cells: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    by_level3: bool = False
    declaration: bool = False
    medium_term: bool = False  # a 申报表 printing 中期 and 年度 side by side (财政部 2015 form): 年度 read
    headers: set[str] = field(default_factory=set)
    header_texts: set[str] = field(default_factory=set)
    score_target: str = ""  # a separate 评分表: the name of the form it belongs to
    indicator_cols: dict[str, int] = field(default_factory=dict)  # where its indicator columns are
    score_cols: dict[str, int] = field(default_factory=dict)  # a 评分表's value columns …
    score_levels: list[int] = field(default_factory=list)  # … and its level (指标) columns
    score_positions: list[dict[int, str]] = field(default_factory=list)  # each item's level names by column
    width: int = 0  # how many columns its grid has
    complete: bool = False  # its indicator table ended (a 总分 row or the sign-off), nothing continues it
    # a 部门整体 申报表's 年度主要任务 (财政部 2015 form: 任务名称 | 主要内容 | 预算金额), one line each, for
    # the report's section on them; and the rows they take (not read as funds)
    tasks: list[str] = field(default_factory=list)
    task_rows: set[int] = field(default_factory=set)

    def ask(self, text: str, cells: list[tuple[str, str]] | None = None, first: bool = False) -> None:
        """请核对 ``text`` (the preview lists it), about ``cells``: (the file's cell, what to check
        there; "" = ``text``). ``first``: listed before the others."""
        if text not in self.checks:
            self.checks.insert(0, text) if first else self.checks.append(text)
        if cells:
            self.check_cells.setdefault(text, []).extend(cells)


@dataclass
class Options:
    include_hidden: bool = False
    report_unit: str = "万元"


# ---- finding header rows -------------------------------------------------------------
def _memo(name: str, grid: Grid, r: int, compute: Any) -> Any:
    key = (name, r)
    found = grid.memo.get(key, _MISSING)
    if found is _MISSING:
        found = grid.memo[key] = compute(grid, r)
    return found


_MISSING = object()


def _anchors(grid: Grid, r: int) -> list[tuple[int, str]]:
    result: list[tuple[int, str]] = _memo("anchors", grid, r, _anchors_uncached)
    return result


def _indicator_header(grid: Grid, r: int) -> dict[str, int]:
    result: dict[str, int] = _memo("indicator", grid, r, _indicator_header_uncached)
    return result


def _fund_header(grid: Grid, r: int) -> dict[str, int]:
    result: dict[str, int] = _memo("fund", grid, r, _fund_header_uncached)
    return result


def _goal_header(grid: Grid, r: int) -> tuple[int, int] | None:
    result: tuple[int, int] | None = _memo("goal_header", grid, r, _goal_header_uncached)
    return result


def _score_sheet_header(grid: Grid, r: int) -> dict[str, int]:
    result: dict[str, int] = _memo("score_header", grid, r, _score_sheet_header_uncached)
    return result


def _anchors_uncached(grid: Grid, r: int) -> list[tuple[int, str]]:
    """The non-empty anchor cells of row r: (column, text)."""
    row = grid.cells[r] if r < grid.height else []
    unique: list[tuple[int, str]] = []
    seen: set[tuple[int, int]] = set()
    for c in range(len(row)):
        ar, ac = grid.anchor(r, c)
        if (ar, ac) in seen or (ar != r and ac != c):
            continue
        text = grid.raw(ar, ac).strip()
        if text:
            seen.add((ar, ac))
            unique.append((c, text))
    return unique


def _cells_right(grid: Grid, r: int, c: int) -> list[tuple[int, str]]:
    """Anchor cells right of (r, c) in row r, skipping the rest of (r, c)'s merged range."""
    start = grid.anchor(r, c)
    out: list[tuple[int, str]] = []
    for cc in range(c + 1, len(grid.cells[r]) if r < grid.height else 0):
        if grid.anchor(r, cc) == start:
            continue
        if out and grid.anchor(r, cc) == grid.anchor(r, out[-1][0]):
            continue
        out.append((cc, grid.text(r, cc)))
    return out


def _indicator_header_uncached(grid: Grid, r: int) -> dict[str, int]:
    cols: dict[str, int] = {}
    for c, text in _anchors(grid, r):
        key = indicator_column(text)
        if key and key not in cols:
            cols[key] = c
    if ADJUSTED in cols:  # 年初指标值 | 调整指标值: the adjusted target is the year's
        cols[IND.target] = cols.pop(ADJUSTED)
    levels = sum(1 for k in LEVEL_KEYS if k in cols)
    if levels >= 2 or (IND.level3 in cols and (IND.target in cols or IND.actual in cols)):
        return cols
    return {}


def _indicator_titles(grid: Grid, r: int) -> int:
    """How many cells of row r are indicator column titles (年度指标值, 实际完成值, 分值 …)."""
    return sum(1 for _, text in _anchors(grid, r) if indicator_column(text))


def _fund_header_uncached(grid: Grid, r: int) -> dict[str, int]:
    cols: dict[str, int] = {}
    for c, text in _anchors(grid, r):
        key = fund_column(text)
        if key and key not in cols:
            cols[key] = c
    if sum(1 for k in schema.FUND_AMOUNTS if k in cols) >= 2:
        return cols
    return {}


def _goal_header_uncached(grid: Grid, r: int) -> tuple[int, int] | None:
    goal_col = achieved_col = None
    for c, text in _anchors(grid, r):
        if len(bare(text)) > 12:
            continue
        if starts(text, ACHIEVED_HEADERS):
            if achieved_col is None and goal_col is not None:
                achieved_col = c
        elif starts(text, GOAL_HEADERS):
            goal_col = c
    if goal_col is not None and achieved_col is not None:
        return goal_col, achieved_col
    return None


_STOP_NORM = tuple(norm(w) for w in STOP_WORDS)
_SIGNOFF_NORM = tuple(norm(w) for w in SIGNOFF_WORDS)


# Pure: a cell's text in, yes/no out, from fixed words (no template involved).
@lru_cache(maxsize=1 << 14)
def _is_stop(text: str) -> bool:
    b = bare(text)
    return any(b == w or b.startswith(w + "(") for w in _STOP_NORM) or b in ("总分", "合计")


def is_signoff(text: str) -> bool:
    return _is_signoff(text)


def parse_signoff(text: str) -> Signoff | None:
    return _signoff(text)


_NUMBER_TEXT = re.compile(r"^\s*[+-]?[\d０-９][\d０-９.,，．]*\s*%?\s*$")


def _looks_like_data(grid: Grid, r: int) -> bool:
    """A row with two or more numbers is a table's body, never a header: skip the header checks."""
    found = 0
    for c, text in enumerate(grid.cells[r]):
        if text and ((r, c) in grid.numeric or _NUMBER_TEXT.match(text)):
            found += 1
            if found >= 2:
                return True
    return False


@lru_cache(maxsize=1 << 14)  # pure, as _is_stop
def _is_signoff(text: str) -> bool:
    head = norm(text[:40])[:12]
    return any(w in head for w in _SIGNOFF_NORM)


def _year_of(text: str) -> int | None:
    match = re.search(r"(20\d\d)\s*年", text)
    return int(match.group(1)) if match else None


# ---- one grid -------------------------------------------------------------------------
HIDDEN_HINT = "如需导入，请勾选“包括隐藏内容”（命令行加 --include-hidden）"


def _hide_columns(grid: Grid) -> list[Skip]:
    """Blank the cells of hidden columns (a helper column, last year's values kept out of sight) so
    that no header or value is read from them; one Skip per hidden column that held something. A
    merged range reaching a visible column keeps its text."""
    reach = {(r0, c0): c1 for r0, c0, _r1, c1 in grid.merges}
    skipped: list[Skip] = []
    for c in sorted(grid.hidden_cols):
        emptied = False
        for r, row in enumerate(grid.cells):
            if c >= len(row) or not row[c] or not grid.is_anchor(r, c):
                continue
            if any(cc not in grid.hidden_cols for cc in range(c, reach.get((r, c), c) + 1)):
                continue
            row[c] = ""
            emptied = True
        if emptied:
            skipped.append(Skip(f"{grid.name}!{column_letter(c)}列", f"隐藏列，未导入（{HIDDEN_HINT}）"))
    grid.memo.clear()
    return skipped


NO_RESULT = "公式没有保存计算结果，未读取（请在 Excel/WPS 中打开并保存后再导入）"
FORMULA_STRING = "单元格中是公式的文字“{formula}”，不是数值，未导入（导出时公式被存成了文字；请填入数值）"
ERROR_PREFIX = "单元格为错误值 "
ERROR_VALUE = ERROR_PREFIX + "{code}（公式出错），未导入；请在 Excel/WPS 中改正后再导入"


def _unread(grid: Grid, r: int, c: int) -> str:
    """Why the cell's value cannot be read ("" when it can): a formula with no saved result, or an
    error value (#REF!, #DIV/0! …) that readers give as blank."""
    if not grid.missing_formulas and not grid.errors:
        return ""
    at = grid.anchor(r, c)
    if at in grid.formula_strings:
        return FORMULA_STRING.format(formula=grid.formula_texts.get(at, ""))
    if at in grid.missing_formulas:
        return NO_RESULT
    code = grid.errors.get(at)
    return ERROR_VALUE.format(code=code) if code else ""


def _cell_named(cell: str, formulas: dict[str, str], then: str = "") -> str:
    """A cell as a message names it: "Sheet1!F6", with its formula when the file says it; ``then``,
    the words that follow, after a space unless a bracket ends it."""
    formula = formulas.get(cell, "")
    named = f"{cell}（{formula}）" if formula else cell
    return f"{named}{then}" if formula or not then else f"{named} {then}"


def _cells_named(cells: list[str], formulas: dict[str, str], most: int = 3) -> str:
    """The first few of ``cells`` with their formulas: "Sheet1!F6（=SUM(F3:F5)）、Sheet1!G6 等"."""
    named = "、".join(_cell_named(cell, formulas) for cell in cells[:most])
    return named + (" 等" if len(cells) > most else "")


def _computed_check(grid: Grid, form: RawForm) -> None:
    """Ask to check the values the reader worked out from formulas saved with no result."""
    used = {ref for fund in form.funds for ref in fund.refs.values()}
    used |= {ref for refs in form.indicator_refs for ref in refs.values()}
    found = [(grid.ref(r, c), f, grid.raw(r, c)) for (r, c), f in sorted(grid.computed.items())]
    found = [item for item in found if item[0] in used]
    if found:
        ref, formula, value = found[0]
        form.ask(
            f"有 {len(found)} 个公式单元格没有保存计算结果（文件可能由其他软件生成），已按公式算出"
            f"（如 {ref}：={formula.lstrip('=')} 得 {value}），请核对；"
            "也可在 Excel/WPS 中打开该文件、保存后再导入",
            [(at, f"{at} 的公式 ={f.lstrip('=')} 没有保存计算结果，已按公式算出 {v}") for at, f, v in found],
        )


def _side_by_side(grid: Grid) -> list[int]:
    """The columns where a second (third …) form starts beside the first on one sheet (two projects
    laid out next to each other to print on one page): a row near the top with a name label
    (项目名称 …) in two places, and no merged range reaching across the place where one ends."""
    for r in range(min(grid.height, 40)):
        found = []
        for c, text in _anchors(grid, r):
            if HEAD.name in inline_fields(text) or (
                name_label(text) and any(t for _, t in _cells_right(grid, r, c)[:1])
            ):
                found.append(c)
        if len(found) < 2:
            continue
        starts = found[1:]
        if any(c0 < s <= c1 for _r0, c0, _r1, c1 in grid.merges for s in starts):
            return []
        return starts
    return []


def _band(grid: Grid, low: int, high: int) -> Grid:
    """The part of a grid in columns low … high-1 (the rest blank), cells keeping their references."""

    def inside(cell: tuple[int, int]) -> bool:
        return low <= cell[1] < high

    band = Grid(grid.file, grid.name, grid.kind, index=grid.index, note=grid.note, trailer=grid.trailer)
    band.cells = [[v if low <= c else "" for c, v in enumerate(row[:high])] for row in grid.cells]
    band.merges = [m for m in grid.merges if low <= m[1] and m[3] < high]
    band.numeric = {cell for cell in grid.numeric if inside(cell)}
    band.missing_formulas = {cell for cell in grid.missing_formulas if inside(cell)}
    band.formula_texts = {cell: f for cell, f in grid.formula_texts.items() if inside(cell)}
    band.formula_strings = {cell for cell in grid.formula_strings if inside(cell)}
    band.errors = {cell: code for cell, code in grid.errors.items() if inside(cell)}
    band.computed = {cell: f for cell, f in grid.computed.items() if inside(cell)}
    band.cell_checks = {cell: text for cell, text in grid.cell_checks.items() if inside(cell)}
    band.pictures = {cell for cell in grid.pictures if inside(cell)}
    band.hidden, band.hidden_rows, band.filtered = grid.hidden, grid.hidden_rows, grid.filtered
    band.hidden_cols = {c for c in grid.hidden_cols if low <= c < high}
    band.index_merges()
    return band


def recognise_grid(grid: Grid, options: Options) -> tuple[list[RawForm], str]:
    """Return the forms found in a grid, or ([], reason) when it holds none."""
    hidden = _hide_columns(grid) if grid.hidden_cols and not options.include_hidden else []
    starts = _side_by_side(grid)
    forms: list[RawForm] = []
    if starts:
        edges = [0, *starts, grid.width]
        bands = [_recognise_grid(_band(grid, low, high), options)[0] for low, high in zip(edges, edges[1:])]
        # Each part a form with a table of its own; else one form whose name row names two things.
        if all(any(f.funds or f.goals or f.indicators for f in found) for found in bands):
            forms = [form for found in bands for form in found]
            for form in forms:
                form.notes.append(f"工作表“{grid.name}”中有 {len(starts) + 1} 张表左右并排，已分别导入")
            why = ""
    if not forms:
        forms, why = _recognise_grid(grid, options)
    for form in forms:
        form.skipped[:0] = hidden
        errors_at = [(s.cell, s.reason) for s in form.skipped if s.reason.startswith(ERROR_PREFIX)]
        codes = [reason[len(ERROR_PREFIX) :].split("（")[0] for _, reason in errors_at]
        if codes:
            count, errors = len(codes), sorted(set(codes))
            form.ask(
                f"有 {count} 个单元格是错误值（{'、'.join(errors)}），公式出错，这些单元格未导入，"
                "不按 0 计；请在 Excel/WPS 中改正公式后再导入，或导入后在报告中填写",
                [
                    (cell, f"{cell} 是错误值 {code}（公式出错），未导入，不按 0 计；请填写")
                    for (cell, _), code in zip(errors_at, codes, strict=True)
                ],
                first=True,
            )
        if grid.computed:
            _computed_check(grid, form)
        if grid.far_note:
            form.notes.append(grid.far_note)
        form.checks.extend(grid.checks)
        if grid.cell_checks:
            _cell_checks(grid, form)
        if grid.pictures:
            first = grid.ref(*min(grid.pictures))
            form.notes.append(f"表中有 {len(grid.pictures)} 处嵌入单元格的图片（如 {first}），图片未导入")
        formulas = {grid.ref(*at): f for at, f in grid.formula_texts.items()}
        unsaved = [s.cell for s in form.skipped if s.reason == NO_RESULT]
        if unsaved:  # a workbook written by a program, never opened and saved in Excel/WPS
            form.ask(
                f"有 {len(unsaved)} 个公式单元格没有保存计算结果（{_cells_named(unsaved, formulas)}；"
                "文件可能由其他软件生成、未在 Excel/WPS 中保存过），这些单元格未导入，不按 0 计；"
                "请在 Excel/WPS 中打开该文件、保存后再导入",
                [
                    (
                        cell,
                        _cell_named(
                            cell, formulas, "是公式，但文件中没有保存它的计算结果，未导入，不按 0 计；请填写"
                        ),
                    )
                    for cell in unsaved
                ],
                first=True,
            )
        as_text = [s.cell for s in form.skipped if s.reason.startswith(FORMULA_STRING[:8])]
        if as_text:  # an export that wrote its formulas' text instead of their values
            form.ask(
                f"有 {len(as_text)} 个单元格中是公式的文字而不是数值（{_cells_named(as_text, formulas)}），"
                "导出时公式被存成了文字，这些单元格未导入，不按 0 计；"
                "请在原系统中导出数值，或导入后在报告中填写",
                [
                    (cell, _cell_named(cell, formulas, "中是公式的文字，不是数值，未导入；请填写"))
                    for cell in as_text
                ],
                first=True,
            )
    return forms, why


def _cell_checks(grid: Grid, form: RawForm) -> None:
    """The reader's 请核对 about the cells ``form`` read, each at its cell."""
    read = {form.name_ref, *(ref for fund in form.funds for ref in fund.refs.values())}
    read |= {ref for refs in form.indicator_refs for ref in refs.values()}
    asked = [(grid.ref(*cell), text) for cell, text in sorted(grid.cell_checks.items())]
    asked = [(ref, text) for ref, text in asked if ref in read]
    numerals = [(ref, text) for ref, text in asked if text.startswith(CHINESE_NUMERALS)]
    if len(numerals) > 1:  # an exact reading: one line for the form, a flag at each cell (review R4)
        first = numerals[0][1].rpartition("读作")[2].split("”")[0].lstrip("“")
        form.ask(
            f"有 {len(numerals)} 个{CHINESE_NUMERALS}（如 {numerals[0][0]}“{first}”），"
            "已按其数值读入，请核对",
            [(ref, f"{ref}：{text}") for ref, text in numerals],
        )
    for ref, text in asked:
        if len(numerals) < 2 or not text.startswith(CHINESE_NUMERALS):
            form.ask(f"{ref}：{text}", [(ref, "")])


def _recognise_grid(grid: Grid, options: Options) -> tuple[list[RawForm], str]:
    if grid.height == 0 or grid.width == 0:
        return [], "空表"
    header_rows: list[tuple[int, dict[str, int]]] = []
    name_rows: list[tuple[int, int, str]] = []
    score_rows: list[int] = []
    for r in range(grid.height):
        if not grid.cells[r] or _looks_like_data(grid, r):
            continue
        cols = _indicator_header(grid, r)
        if cols:
            header_rows.append((r, cols))
            continue
        for c, text in _anchors(grid, r)[:3]:
            kind = name_label(text)
            inline = inline_fields(text)
            if HEAD.name in inline:  # "项目名称：业务工作经费" in one cell
                name_rows.append((r, c, inline["kind"]))
                break
            if not kind:
                continue
            right = [t for _, t in _cells_right(grid, r, c) if t][:1]
            if kind and right and (fund_column(right[0]) or indicator_column(right[0])):
                return [], "项目汇总表（每行一个项目），不是自评表，未导入"
            if kind and right:
                name_rows.append((r, c, kind))
                break
        if _score_sheet_header(grid, r):
            score_rows.append(r)
    if score_rows and (not header_rows or score_rows[0] <= header_rows[0][0] <= score_rows[0] + 1):
        return [_score_sheet(grid, score_rows[0], options)], ""
    # a 评分表 printed below the form on the same sheet: the form above it, then the 评分表
    limit = score_rows[0] if score_rows and header_rows and header_rows[0][0] < score_rows[0] else grid.height
    tail = [_score_sheet(grid, limit, options)] if limit < grid.height else []
    while tail and limit - 1 > header_rows[0][0] and len({t for _, t in _anchors(grid, limit - 1)}) <= 1:
        limit -= 1  # (its title rows: 某项目自评评分表, 预算单位：…)
    name_rows = [found for found in name_rows if found[0] < limit]
    other_blocks = any(_fund_header(grid, r) or _goal_header(grid, r) for r in range(min(grid.height, 60)))
    if not header_rows and not name_rows and not other_blocks:
        return [], "不是自评表、申报表或一体化指标模板（未找到“一级指标/二级指标/三级指标”表头或项目名称）"
    if not name_rows:
        # one form from the top (the 一体化 template, 广元's 部门整体 without a name row)
        return _by_project(_form(grid, 0, limit, options), grid) + tail, ""
    forms: list[RawForm] = []
    starts_at = [r for r, _, _ in name_rows]
    # several forms on one sheet: each starts at its title above the name row
    bounds = []
    previous_end = 0
    for r in starts_at:
        top = r
        while top - 1 >= previous_end and top - r > -4 and not _has_section(grid, top - 1):
            top -= 1
        bounds.append(top)
        previous_end = r + 1
    for i, top in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else limit
        form = _form(grid, top if i else 0, end, options)
        if forms and page_repeat(forms[-1], form):  # the header printed again on the next page
            if not form.indicators and forms[-1].indicator_cols:
                below = _after_header_fields(grid, starts_at[i], end)
                _indicators(grid, -1, forms[-1].indicator_cols, end, form, options, from_row=below)
            _join_page(forms[-1], form, grid, starts_at[i])
            continue
        forms.append(form)
    return forms + tail, ""


PROJECT_COLUMN, PROJECT_CODE = "project_name", "project_code"  # (words.INDICATOR_EXTRA)
_ROW_NUMBER = re.compile(r"(\d+)行?$")


def _by_project(form: RawForm, grid: Grid) -> list[RawForm]:
    """An indicator list with a 项目名称 column (an 一体化 batch export of a department's projects,
    one row per indicator): one form per project, in the order they come; ``form`` as it is when it
    has no such column."""
    names = [row.pop(PROJECT_COLUMN, "") for row in form.indicators]
    codes = [row.pop(PROJECT_CODE, "") for row in form.indicators]
    cells = [row.pop(PROJECT_COLUMN + "_ref", "") for row in form.indicators]
    for row in form.indicators:
        row.pop(PROJECT_CODE + "_ref", "")
    if not any(names):
        return [form]
    for i in range(1, len(names)):  # a name left blank under the one above: the same project
        names[i] = names[i] or names[i - 1]
    forms: dict[str, RawForm] = {}
    rows_of: dict[str, set[int]] = {}
    for name, code, cell, row, refs in zip(
        names, codes, cells, form.indicators, form.indicator_refs, strict=True
    ):
        if name not in forms:
            part = copy.copy(form)
            part.name, part.code, part.name_ref = one_line(name), code, cell
            part.indicators, part.indicator_refs, part.skipped, part.checks = [], [], [], []
            part.check_cells, part.notes = {}, list(form.notes)
            part.funds, part.goals, part.by_level3 = [], [], True
            forms[name], rows_of[name] = part, set()
        forms[name].indicators.append(row)
        forms[name].indicator_refs.append(refs)
        rows_of[name] |= {int(m.group(1)) for ref in refs.values() if (m := _ROW_NUMBER.search(ref))}
    every = list(forms)
    for skip in form.skipped:  # each left-out cell is told with the project of its row
        at = _ROW_NUMBER.search(skip.cell)
        owner = next((n for n in every if at and int(at.group(1)) in rows_of[n]), every[0])
        forms[owner].skipped.append(skip)
    for check in form.checks:
        about = form.check_cells.get(check, [])
        for name in every:
            mine = [
                (ref, what)
                for ref, what in about
                if (m := _ROW_NUMBER.search(ref)) and int(m.group(1)) in rows_of[name]
            ]
            if mine or not about:
                forms[name].ask(check, mine)
    note = f"工作表“{grid.name}”按“项目名称”列分为 {len(forms)} 个项目导入"
    for part in forms.values():
        part.notes.append(note)
    return list(forms.values())


def page_repeat(above: RawForm, form: RawForm) -> bool:
    """``form`` is the next printed page of ``above``: the 一体化 systems' exports repeat the header
    rows (title, 项目名称 …) on each page, and pages pasted into one sheet bring them along. Same
    name, no funds or goals of its own (or the same again), and ``above``'s indicator table did not
    end (no 合计/总分 row, no sign-off)."""
    if not form.name or name_key(form.name) != name_key(above.name) or above.complete:
        return False
    if form.kind != above.kind or form.recognised_as != above.recognised_as:
        return False
    same_funds = [(f.label, f.values) for f in form.funds] == [(f.label, f.values) for f in above.funds]
    same_goals = [(g.goal, g.achieved) for g in form.goals] == [(g.goal, g.achieved) for g in above.goals]
    return (not form.funds or same_funds) and (not form.goals or same_goals)


def _after_header_fields(grid: Grid, name_row: int, end: int) -> int:
    """The first row after a repeated page header: past its 项目名称 row and the header-field, title,
    funds and goals rows printed with it."""
    r = name_row + 1
    while r < end and r < grid.height and not _looks_like_data(grid, r):
        texts = [t for _, t in _anchors(grid, r)]
        if texts and not (
            any(starts(t, ALL_HEADER_LABELS) or name_label(t) or inline_fields(t) for t in texts[:2])
            or _indicator_titles(grid, r) >= 2
            or any(w in norm(texts[0]) for w in ("自评表", "申报表", "目标表"))
        ):
            break
        r += 1
    return r


def _join_page(above: RawForm, page: RawForm, grid: Grid, row: int) -> None:
    """Put the indicator rows of a repeated page header's page under ``above`` (the rows a page break
    cut from their 一级/二级 go on under the last ones above)."""
    if above.indicators:
        last = above.indicators[-1]
        for ind in page.indicators:
            if ind.get(IND.level1):
                break
            ind[IND.level1] = last.get(IND.level1, "")
            ind[IND.level2] = ind.get(IND.level2) or last.get(IND.level2, "")
    above.indicators.extend(page.indicators)
    above.indicator_refs.extend(page.indicator_refs)
    above.indicator_cols = above.indicator_cols or page.indicator_cols
    above.headers |= page.headers
    above.header_texts |= page.header_texts
    above.complete = page.complete
    above.signoff = page.signoff or above.signoff
    above.printed_total = page.printed_total or above.printed_total
    above.skipped.extend(page.skipped)
    page_funds = {ref for fund in page.funds for ref in fund.refs.values()}
    for check in page.checks:  # not those about the funds printed again (said of the first page)
        cells = page.check_cells.get(check, [])
        if not (cells and all(ref in page_funds for ref, _ in cells)):
            above.ask(check, cells)
    above.notes.extend(n for n in page.notes if n not in above.notes)
    above.notes.append(
        f"工作表“{grid.name}”第 {row + 1} 行重复了项目名称“{above.name}”（分页打印时每页重复的表头），"
        "已作为同一张表的下一页合并导入"
    )


def _has_section(grid: Grid, r: int) -> bool:
    """A row that belongs to the previous form's body (a table row, the sign-off)."""
    texts = [t for _, t in _anchors(grid, r)]
    if not texts:
        return False
    if any(_is_signoff(t) or _is_stop(t) for t in texts):
        return True
    return len(texts) > 1


_KIND_WORDS = re.compile("整体|项目")


def _is_declaration(title: str) -> bool:
    """A 申报表, or the 一体化 systems' 项目支出绩效目标表 (last spring's targets, no 自评), by its title."""
    return "申报" in title or ("目标表" in title and "自评" not in title and "评价" not in title)


def _is_title_line(n: str) -> bool:
    """A line naming a form ("…申报表", "…申报表(2024年度)"), not a sentence or a bracketed note that
    mentions one ("(表中年度指标值与批复的绩效目标申报表一致)" above a 自评表: review R13). n is norm()ed."""
    n = re.sub(r"\([^()]*\)$", "", n)
    return n.endswith("表") and not n.startswith("(") and not re.search("[,;。!?]", n)


def _title_info(grid: Grid, top: int, end: int, form: RawForm) -> None:
    for r in range(top, end):
        for _, text in _anchors(grid, r):
            n = norm(text)
            if form.year is None and len(n) < 60:
                form.year = _year_of(text)
            if not any(w in n for w in ("自评表", "申报表", "评价表", "目标表", "自评评分表")):
                continue
            # the form's own title, also below a title of the unit's own ("2023年自评表（修改稿）")
            if not form.title or (not _KIND_WORDS.search(norm(form.title)) and _KIND_WORDS.search(n)):
                form.title = text
                # 申报表, or the 一体化 systems' 项目支出绩效目标表 (last spring's targets, no 自评)
                form.declaration = _is_declaration(n)
                if "整体" in n:
                    form.kind = "overall"


def _form(grid: Grid, top: int, end: int, options: Options) -> RawForm:
    form = RawForm(grid.file, grid.name, SELF_EVAL)
    header = next(((r, cols) for r in range(top, end) if (cols := _indicator_header(grid, r))), None)
    first_body = header[0] if header else end
    _title_info(grid, top, first_body, form)
    if grid.kind == "table" and form.year is None:
        titles = [t for t in grid.note.split("\n") if len(t) < 60 and ("表" in t or "年度" in t)]
        form.year = next((y for t in titles if (y := _year_of(t))), None)
    if grid.kind == "table" and not form.title:
        form.title = grid.note
        if "整体" in norm(grid.note):
            form.kind = "overall"
        titles = [n for t in grid.note.split("\n") if len(t) < 60 and _is_title_line(n := norm(t))]
        form.declaration = any(_is_declaration(n) for n in titles)  # a Word 申报表 titled above its table
    used: set[tuple[int, int]] = set()
    # header fields: a label and the next cell to its right
    for r in range(top, first_body):
        for c, text in _anchors(grid, r):
            inline = inline_fields(text)
            for key, value in inline.items():  # "主管部门：某局　实施单位：某中心" in one cell
                if key == HEAD.name and not form.name:
                    form.name, form.name_ref, form.kind = value, grid.ref(r, c), inline["kind"]
                elif key not in (HEAD.name, "kind") and not getattr(form, key):
                    setattr(form, key, value)
            if inline:
                continue
            kind = name_label(text)
            target = HEAD.name if kind else ""
            if not target and len(bare(text)) <= 8:
                target = next((key for key, words in HEADER_LABELS if starts(text, words)), "")
            if not target:
                continue
            right = [(cc, t) for cc, t in _cells_right(grid, r, c) if t]
            if not right:
                continue
            cc, value = right[0]
            if name_label(value) or starts(value, ALL_HEADER_LABELS):
                continue
            if target == HEAD.name and not form.name:
                form.name = one_line(value)
                form.name_ref = grid.ref(r, cc)
                form.kind = kind or form.kind
            elif target != HEAD.name and not getattr(form, target):
                setattr(form, target, one_line(value))
            used.add((r, cc))
    if not form.name and form.kind == "overall":
        form.name = form.supervisor or form.implementer
    if form.declaration:
        _main_tasks(grid, top, first_body, form, options)
    _funds(grid, top, first_body, form, options)
    _check_units(form, options)
    _goals(grid, top, first_body, form, options)
    if header:
        _indicators(grid, header[0], header[1], end, form, options)
        _weights_as_shares(form)
    if form.signoff is None:
        for r in range(header[0] if header else top, end):
            texts = [t for _, t in _anchors(grid, r)]
            if any(_is_signoff(t) for t in texts):
                form.signoff = _signoff(" ".join(texts))
                break
    if header and not form.name and not form.funds and not form.goals:
        cols = header[1]
        if {IND.direction, IND.unit, IND.brief, IND.deduction} & set(cols) or "seq" in cols:
            form.recognised_as = YTH
            form.by_level3 = True
    if form.declaration:
        form.recognised_as = DECLARATION
    _code_off_name(form)
    return form


_CODE = r"(?=(?:[A-Za-z]*\d){6})[0-9A-Za-z]{8,}"  # an 一体化 项目编码: 8 characters or more, 6 digits
_CODED_NAMES = (  # (the project's words, the code)
    re.compile(rf"^[\[【(（]\s*(?P<serial>{_CODE})\s*[\]】)）]\s*(?P<words>.+)$"),  # [4309…]业务工作经费
    re.compile(rf"^(?P<serial>{_CODE})\s*[-—_:：\s]\s*(?P<words>.+)$"),  # 4309… 业务工作经费
    re.compile(rf"^(?P<words>.+?)\s*[\[【(（]\s*(?P<serial>{_CODE})\s*[\]】)）]$"),  # 业务工作经费（4309…）
)


def _code_off_name(form: RawForm) -> None:
    """A 项目名称 printed with its 一体化 项目编码 ("[430900231000000012345]业务工作经费", as the
    systems' exports do): the name without it (so it matches the report's project), the code kept as
    the 项目编码 when the form gives none."""
    for pattern in _CODED_NAMES:
        match = pattern.match(form.name.strip())
        words = match.group("words").strip() if match else ""
        if match and len(words) >= 2:
            code = match.group("serial")
            form.notes.append(f"项目名称“{form.name}”中的项目编码 {code} 已分出，项目名称按“{words}”导入")
            form.name, form.code = words, form.code or code
            return


_INLINE_LABELS = tuple(
    sorted(
        [(w, HEAD.name) for w, _kind in NAME_LABELS]
        + [(w, key) for key, words in HEADER_LABELS for w in words],
        key=lambda pair: -len(pair[0]),
    )
)
_INLINE_RE = re.compile(
    "(" + "|".join(re.escape(w) for w, _ in _INLINE_LABELS) + r")(?:及代码)?(?:\s*[:：]\s*|\s+(?=[^\s(（]))"
)


@lru_cache(maxsize=1 << 12)  # pure: a cell's text in, its fields out
def inline_fields(text: str) -> dict[str, str]:
    """Header fields typed into one cell with their labels, "项目名称：业务工作经费" or
    "主管部门：某局　　实施单位：某中心": {key: value} (and "kind" with a name), {} for other text.
    Only a label at the cell's start followed by a colon (or spaces) counts."""
    text = one_line(text)
    if len(text) > 200 or not _INLINE_RE.match(text):
        return {}
    parts = _INLINE_RE.split(text)
    words = dict(_INLINE_LABELS)
    found: dict[str, str] = {}
    for i in range(1, len(parts) - 1, 2):
        key, value = words[parts[i]], parts[i + 1].strip()
        if value and key not in found:
            found[key] = value
            if key == HEAD.name:
                found["kind"] = name_label(parts[i]) or "project"
    return found


NEGATIVE_CHECK = "“{text}”是会计写法的负数（括号表示负数），已按 {value} 导入，请核对"


def _fund_amount(text: str, ref: str, form: RawForm, options: Options) -> tuple[str | None, str]:
    """``read_amount`` of a fund cell; an amount in brackets (会计专用's negative, "(0.03)") reads as
    the negative it means, and the preview asks (a refund or a correction can make one negative)."""
    value, note = read_amount(text, form.fund_source_unit, options.report_unit)
    if value is None and (negative := accounting_negative(text)):
        read, also = read_amount(negative, form.fund_source_unit, options.report_unit)
        if read:
            value, note = read, also
            form.ask(f"{ref}：" + NEGATIVE_CHECK.format(text=text.strip(), value=value), [(ref, "")])
    return value, note


def _fund_label(text: str) -> str:
    return re.sub(r"[:：]$", "", text.strip())


def _funds(grid: Grid, top: int, end: int, form: RawForm, options: Options) -> None:
    header = next(
        ((r, cols) for r in range(top, end) if r not in form.task_rows and (cols := _fund_header(grid, r))),
        None,
    )
    # the unit the funds table states: the nearest to it ("项目资金（元）" over a title row's 单位：万元)
    stated = [
        (grid.ref(r, c), text, found)
        for r in range(top, min(end, (header[0] + 1) if header else end))
        for c, text in _anchors(grid, r)
        if (found := unit_of(text))
    ]
    unit = (stated[-1] if header else stated[0])[2] if stated else ""
    if len({found for _, _, found in stated}) > 1:
        ref, text, _ = next(s for s in reversed(stated) if s[2] == unit)
        other = next(s for s in stated if s[2] != unit)
        form.ask(
            f"{other[0]}“{one_line(other[1])}”与{ref}“{one_line(text)}”写的金额单位不同，"
            f"资金表已按{unit}读取，请核对",
            [(ref, "")],
        )
    form.fund_source_unit = unit or options.report_unit
    form.unit_stated = unit
    if header is None:
        _declaration_funds(grid, top, end, form, options)
        return
    hr, cols = header
    first = hr + 1
    lower = _fund_header_below(grid, hr, end, cols)
    if lower:  # "预算数" over "年初 | 全年": the lower row names the columns
        cols, first = lower, hr + 2
        form.header_texts |= {norm(t) for _, t in _anchors(grid, hr + 1)}
        for _, text in _anchors(grid, hr + 1):
            form.fund_source_unit = unit_of(text) or form.fund_source_unit
    form.headers |= {f"fund:{k}" for k in cols}
    form.header_texts |= {norm(t) for _, t in _anchors(grid, hr)}
    for row in (hr, hr + 1) if lower else (hr,):
        for c, text in _anchors(grid, row):
            key = fund_column(text)
            if key in schema.FUND_AMOUNTS and cols.get(key, c) != c and grid.anchor(row, c)[0] == row:
                kept = grid.ref(hr, cols[key])
                form.checks.append(
                    f"资金表有两列都像“{grid.text(hr, cols[key]) or text}”：已按 {kept} 所在列导入，"
                    f"{grid.ref(row, c)}“{text}”所在列未导入，请核对"
                )
    lone = FUND.initial in cols and FUND.annual not in cols
    if lone and bare(grid.text(hr, cols[FUND.initial])) == "预算数":
        form.checks.append(
            f"{grid.ref(hr, cols[FUND.initial])}：表中只有一列“预算数”，已作为年初预算数导入；"
            "如为调整后的全年预算数，请在报告中改填到“全年预算数”"
        )
    value_cols = sorted(cols.values())
    # inline layout (益阳 附件2): "年初预算数 | 1301.13 | 全年预算数 | 2187.04 …" on one line
    first_key_col = min(cols.values())
    right = [t for _, t in _cells_right(grid, hr, first_key_col) if t][:1]
    if right and read_amount(right[0], "万元")[0] not in (None, ""):
        _inline_funds(grid, hr, end, cols, form, options)
        return
    # a column the funds header names but no fund column is ("执行进度"): its values are named as left out
    read_at = {grid.anchor(hr, c) for c in cols.values()}
    unread_titles = {
        c: title
        for row in range(hr, first)
        for c, title in _anchors(grid, row)
        if c > value_cols[0]
        and grid.anchor(hr, c) not in read_at
        and c not in cols.values()
        and not fund_column(title)
    }
    blank_run = 0
    for r in range(first, end):
        if _goal_header(grid, r) or _indicator_header(grid, r) or _fund_header(grid, r):
            break
        if grid.is_blank_row(r):
            blank_run += 1
            if blank_run > 1:
                break
            continue
        blank_run = 0
        label = ""
        for c in range(0, value_cols[0]):
            t = grid.text(r, c)
            if t and not unit_of(t) and t != label:
                label = t
        if not label:
            texts = [t for _, t in _anchors(grid, r)]
            if texts and any(starts(t, GOAL_HEADERS) for t in texts):
                break
            continue
        if starts(label, GOAL_HEADERS) or _is_signoff(label):
            break
        if _hidden(grid, r, options, form):
            continue
        values: dict[str, str] = {}
        refs: dict[str, str] = {}
        unread_at: dict[str, str] = {}
        for key, c in cols.items():
            text = grid.text(r, c)
            ref = grid.ref(r, c)
            unread = _unread(grid, r, c)
            if unread:
                form.skipped.append(Skip(ref, unread))
                unread_at[key] = ref
                continue
            if not text:
                continue
            if key in schema.FUND_AMOUNTS:
                value, note = _fund_amount(text, ref, form, options)
            elif key == FUND.rate:
                value, note = rate_text(text), ""
                if doubt := rate_doubt(text, value):
                    form.checks.append(f"{ref}：{doubt}")
            else:
                value, note = read_score(text)
            if value is None:
                form.skipped.append(Skip(ref, note))
                continue
            if note:
                form.notes.append(f"{ref}：{note}")
            values[key], refs[key] = value, ref
        for c, title in unread_titles.items():
            if grid.text(r, c) and grid.anchor(r, c) == (r, c):
                form.skipped.append(Skip(grid.ref(r, c), f"“{one_line(title)}”列不是资金表的列，未导入"))
        form.funds.append(RawFund(_fund_label(label), values, refs, unread=unread_at))
        if FUND.weight in values and not form.execution_weight:
            form.execution_weight = values[FUND.weight]


UNIT_RATIO = 1000  # a row's 年初/全年/执行 this far apart: one of them is likely in the other unit
PART_RATIO = 100  # a part (其中：当年财政拨款) this many times its total: likewise
TOO_BIG = Decimal(1_000_000)  # 万元: 100 亿元, more than a department's year
TOO_SMALL = Decimal("0.1")  # 万元: 1,000 元, less than any budget line worth a form


def _check_units(form: RawForm, options: Options) -> None:
    """Flag amounts that look typed in 元 where the table is in 万元 (or the reverse); never change them.

    A row's 年初/全年/执行 figures stay within a few times of each other (a figure 1,000 times another
    is flagged), and no part is bigger than the total above it (100 times is flagged); the message
    names the two cells compared. A tiny part of a big total (0.03 of 153.03) is normal."""
    amounts = [
        [(k, Decimal(v), fund.refs.get(k, "")) for k, v in fund.values.items() if k in _AMOUNT_KEYS and v]
        for fund in form.funds
    ]
    amounts = [[(k, v, ref) for k, v, ref in row if v > 0] for row in amounts]
    found: list[str] = []
    total = next((row for row in amounts if row), [])
    for row in amounts:
        pairs = [(big[1:], small[1:], UNIT_RATIO) for big in row for small in row]
        if row is not total:
            pairs += [
                (part[1:], whole[1:], PART_RATIO) for part in row for whole in total if part[0] == whole[0]
            ]
        for (big, big_ref), (small, small_ref), ratio in pairs:
            if big >= small * ratio and big_ref not in found and small_ref not in found:
                found += [big_ref, small_ref]
                text = (
                    f"{big_ref} 的 {number_text(big)} 是 {small_ref} 的 {number_text(small)} 的 "
                    f"{int(big / small)} 倍，可能有一格按元、另一格按万元填写；未改动，请核对"
                )
                form.ask(text, [(big_ref, ""), (small_ref, "")])
    values = [v for row in amounts for _, v, _ in row]
    if not values:
        return
    unit = options.report_unit
    largest_at = next(ref for row in amounts for _, v, ref in row if v == max(values))
    if form.unit_stated == "元" and unit == "万元" and max(values) <= TOO_SMALL:
        largest = number_text(max(values) * 10000)
        form.ask(
            f"资金表注明单位为元，但最大的金额只有 {largest} 元，可能实际按万元填写；"
            "已按元换算为万元，请核对",
            [(largest_at, "")],
        )
    elif form.unit_stated != "元" and unit == "万元" and max(values) >= TOO_BIG:
        stated = "资金表单位为万元" if form.unit_stated else "资金表未注明单位，已按万元读入"
        huge = [ref for row in amounts for _, v, ref in row if v >= TOO_BIG]
        form.ask(
            f"{stated}，但有金额达 {number_text(max(values))} 万元（超过 100 亿元），可能实际按元填写；"
            "未换算，请核对",
            [(ref, "") for ref in huge],
        )


_AMOUNT_KEYS = (*schema.FUND_AMOUNTS, "value")


def _fund_header_below(grid: Grid, hr: int, end: int, cols: dict[str, int]) -> dict[str, int]:
    """The columns named by a second header row under the funds header, or {} when the row below is
    not one (every cell right of the labels a fund title, at least one of them its own)."""
    r = hr + 1
    if r >= end or r >= grid.height:
        return {}
    left = min(cols.values())
    lower: dict[str, int] = {}
    own = False
    for c, text in _anchors(grid, r):
        if c < left:
            continue
        key = fund_column(text)
        if key is None:
            return {}
        lower[key] = c
        own = own or grid.anchor(r, c)[0] == r
    if not own:
        return {}
    merged = {k: c for k, c in cols.items() if c not in lower.values() and k not in lower}
    merged.update(lower)
    return merged


def _inline_funds(
    grid: Grid, hr: int, end: int, cols: dict[str, int], form: RawForm, options: Options
) -> None:
    total: dict[str, str] = {}
    refs: dict[str, str] = {}
    for key, c in cols.items():
        right = [(cc, t) for cc, t in _cells_right(grid, hr, c) if t][:1]
        if not right:
            continue
        cc, text = right[0]
        if key in schema.FUND_AMOUNTS:
            value, note = _fund_amount(text, grid.ref(hr, cc), form, options)
        elif key == FUND.rate:
            value, note = rate_text(text), ""
            if doubt := rate_doubt(text, value):
                form.checks.append(f"{grid.ref(hr, cc)}：{doubt}")
        else:
            value, note = read_score(text)
        if value is None:
            form.skipped.append(Skip(grid.ref(hr, cc), note))
        elif value:
            total[key], refs[key] = value, grid.ref(hr, cc)
    label = next((t for c, t in _anchors(grid, hr) if c < min(cols.values())), "年度资金总额")
    form.funds.append(RawFund(_fund_label(label), total, refs))
    form.execution_weight = total.get(FUND.weight, "")
    for r in range(hr + 1, end):
        if _goal_header(grid, r) or _indicator_header(grid, r):
            break
        anchors = _anchors(grid, r)
        if any(starts(t, GOAL_HEADERS) for _, t in anchors[:1]):
            break
        if _hidden(grid, r, options, form):
            continue
        i = 0
        while i < len(anchors):
            c, text = anchors[i]
            value, note = read_amount(text, form.fund_source_unit, options.report_unit)
            if value is None:
                nxt = anchors[i + 1] if i + 1 < len(anchors) else None
                nval = read_amount(nxt[1], form.fund_source_unit, options.report_unit) if nxt else (None, "")
                labelled = (
                    nxt is not None
                    and grid.anchor(r, nxt[0]) != grid.anchor(r, c)
                    and bool(_FUND_WORDS.search(text))
                )
                if labelled and nxt and nval[0] is None and accounting_negative(nxt[1]):  # 其他资金 | (0.03)
                    nval = _fund_amount(nxt[1], grid.ref(r, nxt[0]), form, options)
                if labelled and nxt and nval[0] is None and re.search(r"[\d０-９]", nxt[1]):
                    form.skipped.append(Skip(grid.ref(r, nxt[0]), nval[1]))  # a figure not read: said
                    form.funds.append(RawFund(_fund_label(text), {}, {}, True))
                    i += 2
                    continue
                if nxt and nval[0] not in (None, "") and grid.anchor(r, nxt[0]) != grid.anchor(r, c):
                    if nval[1]:
                        form.notes.append(f"{grid.ref(r, nxt[0])}：{nval[1]}")
                    form.funds.append(
                        RawFund(
                            _fund_label(text), {"value": str(nval[0])}, {"value": grid.ref(r, nxt[0])}, True
                        )
                    )
                    i += 2
                    continue
                if text.rstrip().endswith(("：", ":")) and not text.rstrip(":： ").endswith("分"):
                    form.funds.append(RawFund(_fund_label(text), {}, {}, True))
            i += 1


_FUND_WORDS = re.compile("资金|拨款|预算|结转|收入|支出")  # a label of the inline funds' 其中 rows


MEDIUM_FUND_WORDS, ANNUAL_FUND_WORDS = ("中期资金总额", "中期资金"), ("年度资金总额", "年度资金")
MEDIUM_GOAL_WORDS, ANNUAL_GOAL_WORDS = ("中期目标", "中期绩效目标"), ("年度目标", "年度绩效目标")
MEDIUM_FUNDS = "中期资金（整个项目期），未导入：自评只用年度资金"
MEDIUM_GOAL = "中期目标，未导入：自评只用年度目标"
MEDIUM_INDICATORS = "中期指标，未导入：自评只用年度指标"


def _annual_side(
    grid: Grid, r: int, medium_words: tuple[str, ...], annual_words: tuple[str, ...]
) -> tuple[int, int] | None:
    """(the 中期 column, the 年度 column) of a 申报表 row that prints the two side by side (财政部
    2015 form: 中期资金总额 | 年度资金总额, 中期目标 | 年度目标), or None."""
    anchors = [(c, t) for c, t in _anchors(grid, r) if len(bare(t)) <= 12]
    medium = next((c for c, t in anchors if starts(t, medium_words)), None)
    annual = next((c for c, t in anchors if c != medium and starts(t, annual_words)), None)
    return None if medium is None or annual is None else (medium, annual)


def _on_medium_side(c: int, side: tuple[int, int]) -> bool:
    medium, annual = side
    return c < annual if medium < annual else c >= medium


def _declaration_funds(grid: Grid, top: int, end: int, form: RawForm, options: Options) -> None:
    """Label–amount pairs with no column header (绩效目标申报表): the amounts are 年初预算数. A form
    that prints the 中期 funds beside the 年度 ones: the 年度 (the 中期 named as left out)."""
    side: tuple[int, int] | None = None
    for r in range(top, end):
        if _indicator_header(grid, r):
            break
        if r in form.task_rows:
            continue
        side = _annual_side(grid, r, MEDIUM_FUND_WORDS, ANNUAL_FUND_WORDS) or side
        if side is not None:
            form.medium_term = True
        for c, text in _anchors(grid, r):
            label = _fund_label(re.sub(r"^其中[:：]?", "", norm(text)))
            label = re.sub(r"\(万元\)$", "", label)
            if label not in DECLARATION_FUNDS and not (side and starts(text, MEDIUM_FUND_WORDS)):
                continue
            right = [(cc, t) for cc, t in _cells_right(grid, r, c) if t][:1]
            if side is not None and _on_medium_side(c, side):
                if right:
                    form.skipped.append(Skip(grid.ref(r, right[0][0]), MEDIUM_FUNDS))
                continue
            if not right:
                form.funds.append(RawFund(label, {}, {}))
                continue
            cc, value_text = right[0]
            value, note = _fund_amount(value_text, grid.ref(r, cc), form, options)
            if value is None:
                continue
            if note:
                form.notes.append(f"{grid.ref(r, cc)}：{note}")
            form.funds.append(RawFund(label, {FUND.initial: value}, {FUND.initial: grid.ref(r, cc)}))


TASK_WORDS = ("年度主要任务", "主要任务", "年度重点任务", "重点工作任务")
TASK_TOTAL_WORDS = ("金额合计", "合计", "总计")
_TASK_AMOUNTS = {"总额": "total", "合计": "total", "小计": "total", "财政拨款": "gov", "财政资金": "gov"}
_TASK_AMOUNTS["其他资金"] = "other"
_TASK_FUNDS = {"total": "年度资金总额", "gov": "财政拨款", "other": "其他资金"}  # 金额合计's, as funds
_PLACEHOLDER = re.compile(r"^(?:任务\d*|……|…|\.{3,}|\d+)$")


def _main_tasks(grid: Grid, top: int, end: int, form: RawForm, options: Options) -> None:
    """A 部门整体 申报表's 年度主要任务 (财政部 2015 form): "年度主要任务 | 任务名称 | 主要内容 | 预算金额
    （万元）" over 总额 | 财政拨款 | 其他资金, a row a task, then 金额合计. Each task becomes a line of
    ``form.tasks`` (for the report's section on the year's tasks); 金额合计 is the year's funds
    (年初预算数: the amounts declared); the rows are not read again as funds."""
    start = next(
        (
            r
            for r in range(top, end)
            if any(starts(t, TASK_WORDS) and len(bare(t)) <= 8 for _, t in _anchors(grid, r))
        ),
        None,
    )
    if start is None:
        return
    label_col = next(c for c, t in _anchors(grid, start) if starts(t, TASK_WORDS))
    name_col = content_col = None
    amounts: dict[str, int] = {}
    unit = ""
    last_header = start
    for r in (start, start + 1):
        for c, text in _anchors(grid, r):
            word = bare(text)
            unit = unit or unit_of(text)
            if c == label_col:
                continue
            if word.startswith("任务名称") or word in ("任务", "名称"):
                name_col, last_header = c, r
            elif word.startswith(("主要内容", "任务内容", "工作内容")):
                content_col, last_header = c, r
            elif word in _TASK_AMOUNTS and _TASK_AMOUNTS[word] not in amounts:
                amounts[_TASK_AMOUNTS[word]], last_header = c, r
            elif word.startswith(("预算金额", "预算数", "金额")) and r == start:
                amounts.setdefault("total", c)
    if name_col is None and content_col is None:
        return
    source_unit = unit or form.fund_source_unit or options.report_unit
    form.task_rows.update(range(start, last_header + 1))
    for r in range(last_header + 1, end):
        anchors = _anchors(grid, r)
        first = next((t for c, t in anchors if c <= label_col), "")
        if (
            _indicator_header(grid, r)
            or _goal_header(grid, r)
            or any(starts(t, GOAL_HEADERS) and len(bare(t)) <= 8 for _, t in anchors)
        ):
            break
        form.task_rows.add(r)
        total_row = any(starts(t, TASK_TOTAL_WORDS) and len(bare(t)) <= 6 for _, t in anchors[:2])
        figures: dict[str, tuple[str, str]] = {}
        for key, c in amounts.items():
            text = grid.text(r, c)
            if not text or grid.anchor(r, c)[0] != r:
                continue
            value, note = read_amount(text, source_unit, options.report_unit)
            if value is None:
                form.skipped.append(Skip(grid.ref(r, c), note))
            elif value and (total_row or Decimal(value) != 0):  # (a task's 0: nothing to say)
                figures[key] = (value, grid.ref(r, c))
        if total_row:
            for key, (value, ref) in figures.items():
                form.funds.append(
                    RawFund(_TASK_FUNDS[key], {FUND.initial: value}, {FUND.initial: ref}, own_words=True)
                )
            break
        if first and not starts(first, TASK_WORDS) and grid.anchor(r, label_col)[0] == r:
            break  # a row of its own below the tasks (the block's label no longer covers it)
        name = one_line(grid.text(r, name_col)) if name_col is not None else ""
        content = one_line(grid.text(r, content_col)) if content_col is not None else ""  # a task a line
        if content_col is not None and grid.anchor(r, content_col) == grid.anchor(r, name_col or content_col):
            content = "" if name_col is not None else content
        if not content and not figures and (not name or _PLACEHOLDER.match(name)):
            continue  # "任务1 | | " or "……": the form's empty lines
        money = ""
        if "total" in figures:
            parts = [f"{_TASK_FUNDS[k]} {figures[k][0]} 万元" for k in ("gov", "other") if k in figures]
            money = (
                f"（预算金额 {figures['total'][0]} 万元"
                + (f"，其中{'，'.join(parts)}" if parts else "")
                + "）"
            )
        line = "：".join(t for t in (name, content) if t) + money
        form.tasks.append(f"{len(form.tasks) + 1}. {line}")
    if form.tasks:
        form.notes.append(
            f"年度主要任务 {len(form.tasks)} 项：导入自评报告中写年度主要工作任务的一节"
            "（该节已有内容时不覆盖）"
        )


def _goals(grid: Grid, top: int, end: int, form: RawForm, options: Options) -> None:
    header = next(((r, gh) for r in range(top, end) if (gh := _goal_header(grid, r))), None)
    if header is None:
        # 申报表: "年度总体目标 | text" with no 完成情况 column
        for r in range(top, end):
            side = _annual_side(grid, r, MEDIUM_GOAL_WORDS, ANNUAL_GOAL_WORDS)
            if side is not None and _medium_goals(grid, r, end, side, form):
                return
            for c, text in _anchors(grid, r):
                if starts(text, GOAL_HEADERS) and len(bare(text)) <= 8:
                    right = [t for _, t in _cells_right(grid, r, c) if t][:1]
                    if right and len(right[0]) > 8 and not starts(right[0], GOAL_HEADERS):
                        form.goals.append(Goal(right[0].strip(), ""))
                        return
        return
    hr, (gc, ac) = header
    form.header_texts |= {norm(grid.text(hr, gc)), norm(grid.text(hr, ac))}
    for r in range(hr + 1, end):
        if _indicator_header(grid, r) or _fund_header(grid, r) or _indicator_titles(grid, r) >= 3:
            break  # the indicator table's header (its upper row, when it takes two)
        if _hidden(grid, r, options, form):
            continue
        goal, achieved = grid.text(r, gc), grid.text(r, ac)
        if grid.anchor(r, gc) == grid.anchor(r, ac):
            achieved = ""
        if not goal and not achieved:
            if any(t for _, t in _anchors(grid, r)) and not grid.is_blank_row(r):
                texts = [t for _, t in _anchors(grid, r)]
                if any(_is_signoff(t) for t in texts):
                    break
            continue
        if starts(goal, GOAL_HEADERS) and len(bare(goal)) <= 8:
            continue
        form.goals.append(Goal(goal, achieved))


def _medium_goals(grid: Grid, r: int, end: int, side: tuple[int, int], form: RawForm) -> bool:
    """The goals under the 年度目标 title of a 申报表 whose 中期目标 stand beside them (the 中期
    named as left out); False when the rows below hold none."""
    medium, annual = side
    for below in range(r + 1, end):
        if _indicator_header(grid, below) or _indicator_titles(grid, below) >= 3:
            break
        if grid.anchor(below, annual)[0] == below and grid.text(below, annual):
            form.goals.append(Goal(grid.text(below, annual), ""))
        if grid.anchor(below, medium)[0] == below and grid.text(below, medium):
            form.skipped.append(Skip(grid.ref(below, medium), MEDIUM_GOAL))
    if form.goals:
        form.medium_term = True
    return bool(form.goals)


FILTERED_ROW = "筛选中未显示的行（工作表设置了筛选），未导入（可在 Excel/WPS 中取消筛选后再导入；{hint}）"


def _hidden(grid: Grid, r: int, options: Options, form: RawForm) -> bool:
    if r in grid.hidden_rows and not options.include_hidden:
        why = f"隐藏行，未导入（{HIDDEN_HINT}）"
        if grid.filtered:
            why = FILTERED_ROW.format(hint=HIDDEN_HINT)
        form.skipped.append(Skip(f"{grid.ref(r, 0).rsplit('!', 1)[0]}!{r + 1}行", why))
        return True
    return False


def _indicators(
    grid: Grid,
    hr: int,
    cols: dict[str, int],
    end: int,
    form: RawForm,
    options: Options,
    from_row: int | None = None,
) -> None:
    """Read the indicator rows below the header row ``hr`` (-1: none, the rows from ``from_row`` on,
    read with the columns ``cols`` of a table before)."""
    cols = dict(cols)
    start = hr + 1 if from_row is None else from_row
    # a second header row (e.g. "绩效指标" over "一级 | 二级 | 三级", or 指标值 split)
    if start < end:
        extra = {}
        for c, text in _anchors(grid, start):
            key = indicator_column(text)
            # the lower row names its columns, also one the upper row gave a range over them
            # ("指标名称" over 一级 | 二级 | 三级: 三级 is the lower row's, not the range's first column)
            over = key in cols and cols[key] != c and grid.anchor(hr, cols[key]) == grid.anchor(hr, c)
            if key and (key not in cols or over):
                extra[key] = c
        if extra and not any(
            grid.text(start, c) and not indicator_column(grid.text(start, c)) for c in range(grid.width)
        ):
            cols.update(extra)
            if ADJUSTED in cols:
                cols[IND.target] = cols.pop(ADJUSTED)
            start += 1
    form.headers |= set(cols)
    form.indicator_cols, form.width = cols, grid.width
    if hr >= 0:  # (a table continued from the one before has no header: hr is -1)
        form.header_texts |= {norm(grid.text(hr, c)) for c in cols.values()}
        form.header_texts |= {norm(grid.text(start - 1, c)) for c in cols.values()}
    last = {IND.level1: "", IND.level2: ""}
    seen_rows: set[tuple[int, int]] = set()
    first_level = min((cols[k] for k in LEVEL_KEYS if k in cols), default=0)
    level_limit = min(cols.get(k, 99) for k in LEVEL_KEYS)
    level_last = max(cols.get(k, -1) for k in LEVEL_KEYS)
    mapped = set(cols.values())
    unmapped: list[tuple[int, str]] = []
    titles = _anchors(grid, hr) if hr >= 0 else []
    coefficient = next((c for c, t in titles if starts(t, COEFFICIENT)), None)  # 重庆's 得分系数(%)
    in_percent = coefficient is not None and "%" in unicodedata.normalize("NFKC", grid.text(hr, coefficient))
    if in_percent and coefficient is not None and not grid.formats_known:
        in_percent = not _shares_in_percent_column(grid, start, end, coefficient, form)
    medium = _annual_columns(grid, hr, cols) if form.medium_term and hr >= 0 else set()
    if medium:
        mapped = set(cols.values())
        annual = min(c for k, c in cols.items() if k != IND.level1 and c not in medium)
        form.notes.append(
            f"申报表中期指标与年度指标并列，已导入年度指标（{_column_name(grid, annual)}起），中期指标未导入"
        )
    for c, title in _anchors(grid, hr) if hr >= 0 else []:
        if c <= first_level or c in mapped or c == coefficient:
            continue
        same = indicator_column(title)
        if c in medium:
            why = MEDIUM_INDICATORS
        elif same == IND.target and starts(title, INITIAL_TARGET):
            adjusted = f"{_column_name(grid, cols[same])}“{grid.text(hr, cols[same])}”"
            why = f"“{title}”未导入：已按{adjusted}导入年度指标值"
        elif same in cols:  # two columns titled alike: the first is read, the user is asked to check
            first_title = grid.text(hr, cols[same])
            why = (
                f"“{title}”列与{_column_name(grid, cols[same])}“{first_title}”重复，"
                f"已按{_column_name(grid, cols[same])}导入，此列未导入，请核对"
            )
            form.checks.append(f"指标表有两列都像“{first_title}”：{why}")
        else:
            why = f"“{title}”列不是指标表的列，未导入"
        unmapped.append((c, why))
    computed: list[str] = []
    fractions: list[str] = []
    for r in range(start, end):
        if r >= grid.height or not grid.cells[r]:
            continue
        anchors = _anchors(grid, r)
        if not anchors:
            continue
        texts = [t for _, t in anchors]
        if any(_is_signoff(t) for t in texts[:3]):
            form.signoff = _signoff(" ".join(texts))
            form.complete = True
            break
        first = [t for c, t in anchors if c <= level_limit]
        if any(_is_stop(t) for t in texts[:2]) or any(_is_stop(t) for t in first):
            form.complete = True
            if IND.score in cols:
                form.printed_total = read_score(grid.text(r, cols[IND.score]))[0] or ""
            break
        subtotal = next(
            (
                t
                for c, t in anchors
                if c <= level_last and grid.anchor(r, c)[0] == r and _SUBTOTAL.match(bare(t))
            ),
            "",
        )
        if subtotal:  # "产出指标小计 | 50 | 50": a group's sum, no indicator (its weight counted twice)
            form.skipped.append(
                Skip(grid.ref(r, anchors[0][0]), SUBTOTAL_ROW.format(text=one_line(subtotal)))
            )
            continue
        data_row = _looks_like_data(grid, r)
        if not data_row and _indicator_header(grid, r):
            continue  # the header printed again after a page break
        if not data_row and (
            _fund_header(grid, r) or _goal_header(grid, r) or any(name_label(t) for t in texts[:2])
        ):
            break
        if _hidden(grid, r, options, form):
            continue
        row: dict[str, str] = {}
        refs: dict[str, str] = {}
        for key, c in cols.items():
            if key == "seq":
                continue
            if key in (PROJECT_COLUMN, PROJECT_CODE):
                row[key], row[key + "_ref"] = grid.text(r, c), grid.ref(r, c)
                continue
            refs[key] = grid.ref(r, c)  # also a cell not read: a flag about it finds its place
            unread = _unread(grid, r, c)
            if unread:
                form.skipped.append(Skip(grid.ref(r, c), unread))
                continue
            text = grid.text(r, c)
            if key in LEVEL_KEYS and (r, c) != grid.anchor(r, c) and grid.anchor(r, c)[0] < hr:
                text = ""
            if key in INDICATOR_AMOUNTS:
                value, reason = read_score(text)
                percent = _PERCENT.fullmatch(unicodedata.normalize("NFKC", text).strip())
                if value is None and key == IND.weight and percent:
                    value = read_score(percent.group(1))[0]  # 权重 "10%": 10 of the form's 100 points
                    if value is not None:
                        said = next((w for w in form.checks if w.startswith(PERCENT_WEIGHTS)), "")
                        cell = (
                            grid.ref(r, c),
                            f"指标权重“{text.strip()}”按百分数填写，已按分值 {value} 导入",
                        )
                        form.ask(
                            said
                            or f"{PERCENT_WEIGHTS}（如{grid.ref(r, c)}的“{text.strip()}”），"
                            f"已按分值 {value} 导入，请核对",
                            [cell],
                        )
                if value is None:
                    form.skipped.append(Skip(grid.ref(r, c), reason))
                    continue
                text = value
            elif key in (IND.target, IND.actual, IND.direction):
                text = _plain_number(text)
            row[key] = one_line(text) if key in ONE_LINE_KEYS else text
            if (
                key in LEVEL_KEYS
                and (unnumbered := _LIST_NUMBER.sub("", row[key])) != row[key]
                and unnumbered
            ):
                if not any(n.startswith(UNNUMBERED) for n in form.notes):
                    form.notes.append(f"{UNNUMBERED}（如 {grid.ref(r, c)}“{row[key]}”），已去掉")
                row[key] = unnumbered
        l1, l2, l3 = row.get(IND.level1, ""), row.get(IND.level2, ""), row.get(IND.level3, "")
        content = any(row.get(k) for k in (IND.level3, IND.target, IND.actual, IND.weight, IND.score))
        if not content:
            c2 = cols.get(IND.level2)
            anchor_row = c2 is not None and grid.anchor(r, c2)[0] == r and l2
            if not anchor_row:
                continue
            anchor = grid.anchor(r, c2) if c2 is not None else (r, 0)
            if anchor in seen_rows:
                continue
        if IND.level2 in cols:
            seen_rows.add(grid.anchor(r, cols[IND.level2]))
        if not l1 and IND.level1 in cols:
            l1 = last[IND.level1]
        if not l2 and IND.level2 in cols and l3:
            l2 = last[IND.level2] if last[IND.level1] == l1 else ""
        last = {IND.level1: l1, IND.level2: l2}
        row[IND.level1], row[IND.level2] = l1, l2
        _compose_target(row)
        if _contradicts(row):
            form.ask(
                f"{refs.get(IND.target, '')}：指标值“{row[IND.target]}”的符号与指标方向（{row['dir']}）相反，"
                "已按表中内容导入，请核对",
                [(refs.get(IND.target, ""), "")],
            )
        if coefficient is not None:
            _coefficient(grid, r, coefficient, in_percent, IND.score in cols, row, refs, form, computed)
        if not grid.formats_known and IND.actual in cols and grid.is_number(r, cols[IND.actual]):
            _fraction_for_percent(grid, r, cols[IND.actual], row, form, fractions)
        form.indicators.append(row)
        form.indicator_refs.append(refs)
        for c, why in unmapped:
            if grid.text(r, c) and grid.anchor(r, c) == (r, c):
                form.skipped.append(Skip(grid.ref(r, c), why))


# The number before an indicator's name in a list (typed, or Word's own: 一、产出指标, （一）数量指标,
# 1.公务员招录人数, 1.1, ①): its place, no part of its name (the 一体化 system matches 三级 by name).
# Not a number that begins the name (1.5万亩…, 2023年…, 一、二级公路…: 一级 and 二级, 1、2号机组).
_LIST_NUMBER = re.compile(
    r"^\s*(?:[（(](?:[一二三四五六七八九十]+|\d+)[)）]|(?:\d+[.．])+(?!\d)|\d+(?:[.．]\d+)+\s+|\d+、(?!\d)"
    r"|[一二三四五六七八九十]+[、.．](?![一二三四五六七八九十])|[\u2460-\u2473])\s*"
)
UNNUMBERED = "指标名称前的序号"


_SUBTOTAL = re.compile(r"^(?:\S{0,12}指标)?(?:小计|分项合计|分值小计|得分小计)$")
SUBTOTAL_ROW = "“{text}”行是分项小计，不是指标，未导入"


def _annual_columns(grid: Grid, hr: int, cols: dict[str, int]) -> set[int]:
    """A 中期 | 年度 申报表's indicator header names 二级 | 三级 | 指标值 twice, 中期 first (as its
    goals): ``cols`` moved to the 年度 ones; the 中期 columns returned (empty when none repeat)."""
    seen: dict[str, list[int]] = {}
    for c, title in _anchors(grid, hr):
        key = indicator_column(title)
        if key and key != IND.level1:
            seen.setdefault(key, []).append(c)
    later = {key: found[-1] for key, found in seen.items() if len(found) > 1 and key in cols}
    medium = {cols[key] for key in later}
    cols.update(later)
    return medium


SHARE_WEIGHTS = "指标分值都不大于 1"


def _weights_as_shares(form: RawForm) -> None:
    """Weights typed as shares of the form's 100 points (0.1 for 10, as a 权重 column of proportions
    is filled): every weight at most 1 and together 0.9 or 1 (the indicators' 90, or all 100). Read
    as points (× 100), the user asked to check at each cell; any other weights stay as typed."""
    cells = [
        (row, refs)
        for row, refs in zip(form.indicators, form.indicator_refs, strict=True)
        if row.get(IND.weight)
    ]
    try:
        weights = [Decimal(row[IND.weight]) for row, _ in cells]
    except InvalidOperation:
        return
    if len(weights) < 3 or any(not 0 < w <= 1 for w in weights) or sum(weights) not in (Decimal("0.9"), 1):
        return
    first = cells[0][0][IND.weight]
    said = (
        f"{SHARE_WEIGHTS}、合计为 {number_text(sum(weights))}（按占总分的比例填写），已按分值导入"
        f"（{first} 即 {number_text(Decimal(first) * 100)} 分），请核对"
    )
    for row, refs in cells:
        typed = row[IND.weight]
        row[IND.weight] = number_text(Decimal(typed) * 100)
        form.ask(
            said, [(refs.get(IND.weight, ""), f"指标分值“{typed}”按比例填写，已按 {row[IND.weight]} 分导入")]
        )


def _fraction_for_percent(
    grid: Grid, r: int, c: int, row: dict[str, str], form: RawForm, found: list[str]
) -> None:
    """An .xls gives a cell's number without its format: 96.81% typed into a percent cell reads as
    0.9681. A number of at most 1 against a target in % is asked about (once per form), not changed."""
    actual = row.get(IND.actual, "")
    try:
        value = Decimal(actual)
    except InvalidOperation:
        return
    if not (0 < value <= 1) or "%" not in unicodedata.normalize("NFKC", row.get(IND.target, "")):
        return
    found.append(grid.ref(r, c))
    shown = number_text(value * 100) + "%"
    message = (
        f"实际完成值是小于 1 的数字而指标值是百分数（如 {found[0]} 的 {actual}），可能是单元格显示为"
        f"百分比（{shown}）的数字（.xls 文件的显示格式无法读取），已按 {actual} 导入，请核对"
    )
    said = next((w for w in form.checks if w.startswith(FRACTION_CHECK)), "")
    cell = f"实际完成值 {actual} 可能是显示为百分比（{shown}）的数字，已按 {actual} 导入"
    form.ask(said or message, [(found[-1], cell)])


FRACTION_CHECK = "实际完成值是小于 1 的数字而指标值是百分数"
SHARES_CHECK = "得分系数列标明“%”，但其中的数字都不大于 1"


def _shares_in_percent_column(grid: Grid, start: int, end: int, c: int, form: RawForm) -> bool:
    """A 得分系数(%) column of an .xls whose formats are unknown where every number is at most 1
    (1, 0.8, 0.667): cells showing 100%, 80% … saved as the shares they are, not 1% and 0.8%. Read
    as shares (asked about, at each cell); a column with any number above 1 is in percent."""
    cells = [(r, grid.text(r, c)) for r in range(start, min(end, grid.height)) if grid.is_number(r, c)]
    try:
        numbers = [Decimal(text) for _, text in cells if text]
    except InvalidOperation:
        return False
    if not numbers or any(n > 1 or n < 0 for n in numbers):
        return False
    example = next(((r, t) for r, t in cells if Decimal(t) != 0), cells[0])
    shown = number_text(Decimal(example[1]) * 100) + "%"
    form.ask(
        f"{SHARES_CHECK}（如 {grid.ref(example[0], c)} 的 {example[1]}）：.xls 文件的显示格式无法读取，"
        f"已按比例读入（{example[1]} 即 {shown}），请核对",
        [
            (grid.ref(r, c), f"得分系数 {t} 已按比例读入（即 {number_text(Decimal(t) * 100)}%）")
            for r, t in cells
            if t
        ],
    )
    return True


def _share(text: str, percent: bool) -> Decimal | None:
    """A 得分系数 as a share of the weight: "80" under a (%) title, "80%", or "0.8" → 0.8."""
    t = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    percent = percent or t.endswith("%")
    try:
        number = Decimal(t.rstrip("%"))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    share = number / 100 if percent or number > 1 else number
    return share if 0 <= share <= 1 else None


def _coefficient(
    grid: Grid,
    r: int,
    c: int,
    percent: bool,
    has_score: bool,
    row: dict[str, str],
    refs: dict[str, str],
    form: RawForm,
    computed: list[str],
) -> None:
    """重庆's 得分系数: 指标得分 = 指标权重 × 得分系数. With no 得分 column the score is computed from it
    (said once in the notes); beside a printed 得分 that differs, the printed one is kept and the user
    asked to check."""
    text = grid.text(r, c)
    if not text or _none_mark(text) == "":
        return
    ref = grid.ref(r, c)
    share = _share(text, percent)
    if share is None:
        form.skipped.append(Skip(ref, f"“{text}”不是得分系数（应为 0–100%），未导入"))
        return
    weight = row.get(IND.weight, "")
    if not weight:
        if not has_score:
            form.skipped.append(Skip(ref, "本行没有指标权重，无法按得分系数算出得分，未导入"))
        return
    score = (Decimal(weight) * share).quantize(Decimal("0.01"), ROUND_HALF_UP)
    value = number_text(score)
    shown = f"{number_text(share * 100)}%"
    printed = row.get(IND.score, "")
    if not has_score or not printed:
        row[IND.score], refs[IND.score] = value, ref
        if not computed:
            example = f"{ref}：{weight} × {shown} = {value}"
            form.notes.append(f"指标得分按“指标权重 × 得分系数”算出（如 {example}）")
        computed.append(ref)
    elif Decimal(printed) != score:
        at = refs.get(IND.score, ref)
        form.ask(
            f"{at}：指标得分为 {printed}，按得分系数算应为 {value}（{weight} × {shown}），"
            "已按表中得分导入，请核对",
            [(at, "")],
        )


def _column_name(grid: Grid, c: int) -> str:
    return f"第{c + 1}列" if grid.kind == "table" else f"{column_letter(c)}列"


def continuation(grid: Grid, previous: RawForm, options: Options) -> RawForm | None:
    """A Word table with no header that goes on with the indicator table before it (split across
    pages without the header repeated): read with the previous table's columns, when it has as many
    columns and the previous table did not end."""
    if previous.complete or not previous.indicator_cols or grid.width != previous.width:
        return None
    form = RawForm(grid.file, grid.name, previous.recognised_as, kind=previous.kind)
    _indicators(grid, -1, previous.indicator_cols, grid.height, form, options)
    return form if form.indicators else None


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
PERCENT_WEIGHTS = "指标权重按百分数填写"

ONE_LINE_KEYS = (*LEVEL_KEYS, IND.target, IND.actual, IND.direction, IND.unit)


def one_line(text: str) -> str:
    """A name or value typed over several lines of its cell (Alt+Enter to fit the column) is one line:
    "领导班子\n日常管理" → "领导班子日常管理", "≥1\n次" → "≥1次"; words of Latin letters or digits on
    both sides of a break keep a space between them."""
    if "\n" not in text:
        return text.strip()
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        latin = out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum()
        out += (" " if latin else "") + part
    return out


def _plain_number(text: str) -> str:
    """A cell that is only a number ("５", " 1,200 ") reads as that number; other text stays."""
    folded = unicodedata.normalize("NFKC", text).strip()
    compact = folded.replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?%?", compact):
        return compact
    if folded in ("=", ">", "<", ">=", "<=") or text.strip() in ("＝", "＞", "＜"):
        return text.strip()
    return text


def _none_mark(text: str) -> str:
    """The 一体化 export prints "*" (or "-", "/", "无") where an indicator has no operator or unit."""
    text = text.strip()
    return "" if unicodedata.normalize("NFKC", text) in ("*", "-", "/", "无", "--") else text


_SENSE = {"正向": "≥", "正向指标": "≥", "反向": "≤", "反向指标": "≤"}
_OPERATOR_FIRST = re.compile(r"\s*[≥≤＞＜＝><=≧≦]")
_ENDS_IN_NUMBER = re.compile(r"[\d０-９]\s*$")


_SENSE_OF = {"≥": "≥", "＞": "≥", ">": "≥", "≧": "≥", "≤": "≤", "＜": "≤", "<": "≤", "≦": "≤"}


def _contradicts(row: dict[str, str]) -> bool:
    """A target typed with an operator (≤4000) against the direction its row names (正向指标: ≥)."""
    typed = _OPERATOR_FIRST.match(row.get(IND.target, ""))
    sense = _SENSE_OF.get(typed.group(0).strip()) if typed else None
    return sense is not None and _SENSE_OF.get(row.get("dir", ""), sense) != sense


def _compose_target(row: dict[str, str]) -> None:
    """一体化 columns 计算符号 | 指标值 | 计量单位 → one target like "≥5名"."""
    op = _none_mark(row.pop(IND.direction, ""))
    unit = _none_mark(row.pop(IND.unit, ""))
    nature = unicodedata.normalize("NFKC", row.pop("nature", "")).strip()
    if op in _SENSE:  # a 指标方向(性) column of 正向/反向 words: the direction, not an operator
        nature, op = op, ""
    symbol = {">=": "≥", "≥": "≥", "<=": "≤", "≤": "≤", "=": "=", **_SENSE}.get(nature)
    if symbol:
        row["dir"] = symbol  # 指标性质 (四川 一体化 layout): the indicator's direction
    target = row.get(IND.target, "").strip()
    if op in ("定性", "") and not unit:
        if op == "定性" and not target:
            row[IND.target] = "定性"
        return
    op = {">": "＞", "<": "＜", ">=": "≥", "<=": "≤", "=": "＝", "≧": "≥", "≦": "≤"}.get(op, op)
    if op == "定性":
        op = ""
        if not target:
            row[IND.target] = "定性"
    if target:
        # the unit goes with a number ("≥5" 名 → ≥5名), never after words ("根据实际需要录用" 人)
        measured = unit and not target.endswith(unit) and _ENDS_IN_NUMBER.search(target)
        if _OPERATOR_FIRST.match(target):  # "≥90" typed into 指标值 as well: one operator
            op = ""
        row[IND.target] = f"{op}{target}{unit if measured else ''}"
    actual = row.get(IND.actual, "").strip()
    if actual and unit and re.fullmatch(r"[\d.,]+", actual):
        row[IND.actual] = f"{actual}{unit}"


_SIGN_RE = re.compile(r"(填表人|填报人|填报日期|联系电话|单位负责人签字|单位负责人)[:：]?\s*")


def _signoff(text: str) -> Signoff | None:
    parts = _SIGN_RE.split(text)
    found: dict[str, str] = {}
    for i in range(1, len(parts) - 1, 2):
        found[parts[i]] = parts[i + 1].strip()
    sign = Signoff(
        preparer=found.get("填表人", found.get("填报人", "")),
        date=found.get("填报日期", ""),
        phone=found.get("联系电话", ""),
        head=found.get("单位负责人签字", found.get("单位负责人", "")),
    )
    written = re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", sign.date)
    if written:
        sign.date = f"{written.group(1)}-{int(written.group(2)):02d}-{int(written.group(3)):02d}"
    elif re.fullmatch(r"[34567]\d{4}", sign.date):  # a date cell that lost its format: Excel's serial
        sign.date = (EXCEL_EPOCH + timedelta(days=int(sign.date))).isoformat()  # 45428 → 2024-05-16
    return sign


EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel counts a 29 February 1900 too)


# ---- 评分表 -----------------------------------------------------------------------------
# The score sheet's columns are found by the schema's header words of each column.
SCORE_COLUMNS = tuple((c.key, c.headers) for c in schema.headed(Table.SCORE_SHEET))


def _score_sheet_header_uncached(grid: Grid, r: int) -> dict[str, int]:
    cols: dict[str, int] = {}
    for c, text in _anchors(grid, r):
        for key, words in SCORE_COLUMNS:
            if key not in cols and starts(text, words) and len(bare(text)) <= 10:
                cols[key] = c
                break
    if (
        SCORE.weight in cols
        and (SCORE.explanation in cols or SCORE.rule in cols)
        and SCORE.self_score in cols
    ):
        return cols
    return {}


def _score_sheet(grid: Grid, hr: int, options: Options) -> RawForm:
    form = RawForm(grid.file, grid.name, SCORE_SHEET)
    cols = _score_sheet_header(grid, hr)
    for r in range(0, hr):
        for _, text in _anchors(grid, r):
            n = norm(text)
            if form.year is None:
                form.year = _year_of(text)
            if not form.title and ("评分表" in n or "指标体系" in n):
                form.title = text
    if not form.title and grid.note:
        form.title = next((t for t in grid.note.split("\n") if "评分表" in t or "指标体系" in t), "")
        form.year = form.year or _year_of(form.title)
    level_cols = [c for c in range(0, min(cols.values())) if grid.text(hr, c) or grid.text(hr + 1, c)]
    start = hr + 1
    if start < grid.height and any(starts(grid.text(start, c), ("一级", "二级", "三级")) for c in level_cols):
        start += 1
    title = norm(form.title)
    if "整体" in title or "指标体系" in title or "部门预算" in title:
        form.kind = "overall"
    else:
        match = re.match(r"(.+?)(项目)?自评评分表", title)
        form.score_target = match.group(1) if match else ""
    form.score_cols, form.score_levels, form.width = cols, level_cols, grid.width
    _score_rows(grid, start, form, options)
    return form


def _score_rows(grid: Grid, start: int, form: RawForm, options: Options) -> None:
    """Read a 评分表's items from row ``start`` on, with the columns ``form`` names."""
    from core.templates import split_level1

    cols, level_cols = form.score_cols, form.score_levels
    for r in range(start, grid.height):
        texts = [t for _, t in _anchors(grid, r)]
        if not texts:
            continue
        if _is_stop(texts[0]):
            form.printed_total = grid.text(r, cols[SCORE.self_score])
            form.complete = True
            break
        if _hidden(grid, r, options, form):
            continue
        positions: dict[int, str] = {}
        for i, c in enumerate(level_cols):
            if i and grid.anchor(r, c) == grid.anchor(r, level_cols[i - 1]):
                continue
            name, _ = split_level1(grid.text(r, c))
            if name:
                positions[i] = name
        if form.score_positions:  # level cells left blank under the one above (not merged): the same
            _fill_levels(positions, form.score_positions[-1])
        form.score_positions.append(positions)
        item = ScoreItem(path=[positions[i] for i in sorted(positions)])
        for key, c in cols.items():
            text = grid.text(r, c)
            if key in SCORE_AMOUNTS:
                value, reason = read_score(text)
                if value is None:
                    form.skipped.append(Skip(grid.ref(r, c), reason))
                    continue
                text = value
            setattr(item, key, text)
        form.score_sheet.append(item)


def _fill_levels(positions: dict[int, str], above: dict[int, str]) -> bool:
    """Give an item whose first level cells are blank (or all of them) the names ``above`` has
    there; False when it has its 一级 of its own."""
    if 0 in positions:
        return False
    first = min(positions, default=max(above, default=-1) + 1)
    positions.update({i: name for i, name in above.items() if i < first})
    return True


def score_continuation(grid: Grid, previous: RawForm, options: Options) -> RawForm | None:
    """A Word table with no header that goes on with the 评分表 table before it (split across pages
    without the header repeated): read with that table's columns, when it has as many and did not
    end (no 总分 row)."""
    if previous.complete or not previous.score_cols or grid.width != previous.width:
        return None
    form = RawForm(grid.file, grid.name, SCORE_SHEET, kind=previous.kind)
    form.score_cols, form.score_levels, form.width = previous.score_cols, previous.score_levels, grid.width
    _score_rows(grid, 0, form, options)
    return form if form.score_sheet else None


def join_score_sheet(above: RawForm, more: RawForm) -> None:
    """Put the items of a 评分表 table's continuation under ``above``: its first items, cut by the page
    break from the 一级 (and 二级) cells merged over them, go on under the last ones above."""
    last = above.score_positions[-1] if above.score_positions else {}
    for item, positions in zip(more.score_sheet, more.score_positions, strict=True):
        if not last or 0 in positions or not _fill_levels(positions, last):
            break
        item.path = [positions[i] for i in sorted(positions)]
        last = positions
    above.score_sheet.extend(more.score_sheet)
    above.score_positions.extend(more.score_positions)
    above.complete = more.complete
    above.printed_total = more.printed_total or above.printed_total
    above.skipped.extend(more.skipped)
    above.notes.extend(n for n in more.notes if n not in above.notes)
    for check in more.checks:
        above.ask(check, more.check_cells.get(check))


def file_stem_name(path: str) -> str:
    """A form name from an 一体化 template's file name: the words left after the template's own."""
    stem = Path(path).stem
    stem = re.sub(r"(项目支出|部门整体)?(支出)?(绩效)?(自评)?(指标)?(完成情况)?(导入)?模板", "", stem)
    stem = re.sub(r"[_\-\s]*\d{6,14}[_\-\s]*", "", stem).strip("_- ()（）")
    return stem or Path(path).stem
