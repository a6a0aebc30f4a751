"""Fit recognised forms to a template and merge them into a report without overwriting typed values."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from pathlib import Path

from core import schema
from core.importers.recognise import DECLARATION, NAME_CELL, YTH, RawForm, Skip
from core.importers.words import HEADER_LABELS, name_key, norm
from core.model import OVERALL, Form, FundRow, Goal, Indicator, Report, ReviewFlag, ScoreItem
from core.report import blank_form
from core.schema import FUND, HEAD, IND, SCORE, Table
from core.templates import Template, normalise_label, split_level1

# A recognised funds column (its interchange key: initial … rate, score) → the FundRow field.
FUND_VALUE_COLUMNS = {c.interchange: c.key for c in schema.columns(Table.FUNDS) if c.interchange}
LEVELS = (IND.level1, IND.level2, IND.level3)
# The indicator columns an import copies as read (方向 and 计量单位 are folded into 指标值 on reading).
INDICATOR_TEXT = (*LEVELS, IND.target, IND.actual, IND.weight, IND.score, IND.deviation_note)
# … and those it copies only when given (the 一体化 and 复核 columns).
NEW_FIELDS = (IND.deduction, IND.brief, IND.review_score)
# The header fields an import fills: all but the name (forms are matched on it) and the money unit.
HEADER_FIELDS = tuple(k for k in schema.keys(Table.HEADER) if k not in (HEAD.name, HEAD.fund_unit))
# The score-sheet columns an import fills (the path is the item's identity; notes are the reviewer's).
SCORE_FIELDS = (SCORE.weight, SCORE.explanation, SCORE.rule, SCORE.self_score, SCORE.review_score)
_UNBRACKETED_WEIGHT = re.compile(r"^(\S.*?指标)\s*\d+(?:\.\d+)?\s*分$")
DECLARATION_MAP = {
    "年度资金申请总额": "年度资金总额",
    "财政拨款": "当年财政拨款",
    "上年结转": "上年结转资金",
}


def _match_fund(template: Template, kind: str, label: str) -> str | None:
    """Return the fund row a printed label names (memoised on the template it was matched against)."""
    return template.memo(_match_fund_uncached, 1 << 12)(kind, label)


def _match_fund_uncached(template: Template, kind: str, label: str) -> str | None:
    key = template.match_fund_row(kind, label)
    if key is None:
        key = template.match_fund_row(kind, re.sub(r"[(（][^()（）]*[)）]$", "", label))
    if key is None:
        key = template.match_fund_row(kind, DECLARATION_MAP.get(normalise_label(label), label))
    return key


def build_form(raw: RawForm, template: Template, department: str = "") -> tuple[Form, list[Skip]]:
    """Return the template's form filled from ``raw`` and the cells that had no place in it."""
    skipped: list[Skip] = []
    form = blank_form(template, raw.kind, raw.name or "未命名", department)
    form.funds = [FundRow(key=s.key) for s in template.form(raw.kind).fund_rows]
    for header, _words in HEADER_LABELS:  # 主管部门, 实施单位, 项目编码, 业务处室 as the file prints them
        setattr(form, header, getattr(raw, header) or getattr(form, header))
    form.execution_weight = raw.execution_weight
    form.printed_total = raw.printed_total
    form.signoff = raw.signoff
    seen: set[str] = set()
    for fund in raw.funds:
        if not fund.values:
            continue
        if raw.declaration and normalise_label(fund.label) in ("项目资金总额", "财政资金"):
            for ref in fund.refs.values():
                skipped.append(Skip(ref, f"“{fund.label}”是整个项目期的资金，不是年度资金，未导入"))
            continue
        key = _match_fund(template, raw.kind, fund.label)
        row = form.fund(key) if key else None
        if row is None or key in seen:
            why = "重复的资金行" if key in seen else f"“{fund.label}”不是模板“{template.name}”的资金行"
            for ref in fund.refs.values():
                skipped.append(Skip(ref, why))
            continue
        seen.add(key or "")
        spec = template.form(raw.kind).row_spec(key or "")
        for column, value in fund.values.items():
            if column == "value":
                column = spec.columns[0] if spec and len(spec.columns) == 1 else FUND.annual
            if column == FUND.weight:
                continue
            attr = FUND_VALUE_COLUMNS.get(column)
            if attr is None:
                continue
            if spec and column in schema.FUND_AMOUNTS and column not in spec.columns:
                skipped.append(Skip(fund.refs.get(column, ""), f"模板中“{spec.label}”没有这一列"))
                continue
            setattr(row, attr, value)
    if raw.goals:
        form.goals = [Goal(g.goal, g.achieved) for g in raw.goals]
    for row_data, refs in zip(raw.indicators, raw.indicator_refs):
        ind = Indicator()
        for key, value in row_data.items():
            if key in INDICATOR_TEXT:
                setattr(ind, key, value)
            elif key == "dir":
                ind.direction = value
            elif key in NEW_FIELDS and value:
                setattr(ind, key, value)
        if ind.level1:
            level1 = _UNBRACKETED_WEIGHT.sub(r"\1", ind.level1)  # 满意度指标10分: weight unbracketed
            ind.level1 = template.form(raw.kind).canonical_level1(level1)
        if ind.level2:  # "数量指标（20分）": the 二级's name, its printed weight is no part of it
            name, weight = split_level1(ind.level2)
            ind.level2 = name if weight and name else _UNBRACKETED_WEIGHT.sub(r"\1", ind.level2)
        if not template.form(raw.kind).scored:
            for key in (IND.weight, IND.score):
                if getattr(ind, key):
                    skipped.append(Skip(refs.get(key, ""), "该模板的指标表没有分值/得分列"))
                    setattr(ind, key, "")
        form.indicators.append(ind)
    form.score_sheet = [copy.deepcopy(s) for s in raw.score_sheet]
    form.review_flags = _flags(raw, form, template)
    return form, skipped


Place = tuple[Table, int, str]  # a cell of a form: its table, row (-1: none) and column ("" : none)
INDICATOR_KEYS = frozenset(schema.keys(Table.INDICATORS))


def _places(raw: RawForm, form: Form, template: Template) -> dict[str, Place]:
    """Where each cell of the file that a value was read from (or could not be) went in ``form``."""
    places: dict[str, Place] = {NAME_CELL: (Table.HEADER, -1, HEAD.name)}
    if raw.name_ref:
        places[raw.name_ref] = (Table.HEADER, -1, HEAD.name)
    rows = {row.key: i for i, row in enumerate(form.funds)}
    for fund in raw.funds:
        key = _match_fund(template, raw.kind, fund.label)
        if key not in rows:
            continue
        spec = template.form(raw.kind).row_spec(key or "")
        for column, ref in {**fund.refs, **fund.unread}.items():
            if column == "value":
                column = spec.columns[0] if spec and len(spec.columns) == 1 else FUND.annual
            attr = FUND_VALUE_COLUMNS.get(column)
            if attr is not None:
                places.setdefault(ref, (Table.FUNDS, rows[key or ""], attr))
    for i, refs in enumerate(raw.indicator_refs[: len(form.indicators)]):
        for key, ref in refs.items():
            column = key if key in INDICATOR_KEYS else IND.direction if key == "dir" else IND.target
            places.setdefault(ref, (Table.INDICATORS, i, column))
    return places


def _flags(raw: RawForm, form: Form, template: Template) -> list[ReviewFlag]:
    """The 请核对 flags ``raw``'s checks leave on ``form``: one at each cell a check is about whose
    value has a place in the form; a check with none, one on the form as a whole."""
    if not raw.checks:
        return []
    places = _places(raw, form, template)
    name = Path(raw.file).name
    out: list[ReviewFlag] = []
    for check in raw.checks:
        found = False
        for ref, text in raw.check_cells.get(check, []):
            place = places.get(ref)
            if place is None:
                continue
            found = True
            origin = name if ref == NAME_CELL else f"{name} {ref}"
            flag = ReviewFlag(str(place[0]), place[1], place[2], text or check, origin)
            if flag not in out:
                out.append(flag)
        if not found:
            out.append(ReviewFlag(text=check, origin=f"{name} {raw.part}".strip()))
    return out


# ---- merging -----------------------------------------------------------------------------
def _fill(obj: object, attr: str, value: str, overwrite: bool) -> bool:
    old = getattr(obj, attr)
    if not value or old == value:
        return False
    if old and not overwrite:
        return False
    setattr(obj, attr, value)
    return True


def _indicator_key(ind: Indicator) -> tuple[str, ...]:
    if ind.level3:
        return ("3", name_key(ind.level3))
    return ("2", norm(ind.level1), norm(ind.level2))


def merge_form(target: Form, incoming: Form, overwrite: bool = False) -> int:
    """Fill ``target`` from ``incoming``: blanks are filled, typed values kept unless ``overwrite``.

    Indicators are matched by 三级指标 name (the 一体化 rule); unmatched ones are added
    under their 二级. Returns how many cells changed (0 when importing the same file again).
    ``incoming``'s 请核对 flags go with the values: a flag lands at the cell its value was written
    to (a value not written, a typed one kept, leaves its flag behind).
    """
    written: set[tuple[int, str]] = set()  # (the row or form, its column; "" = the whole row)
    went: dict[int, object] = {}  # an incoming row → the target row it was written into

    def fill(obj: object, attr: str, value: str) -> int:
        if _fill(obj, attr, value, overwrite):
            written.add((id(obj), attr))
            return 1
        return 0

    changed = 0
    for attr in HEADER_FIELDS:
        changed += fill(target, attr, getattr(incoming, attr))
    has_signoff = incoming.signoff is not None and not incoming.signoff.is_blank()
    if has_signoff and (target.signoff is None or target.signoff.is_blank()):
        target.signoff = copy.deepcopy(incoming.signoff)
        changed += 1
    for row in incoming.funds:
        mine = target.fund(row.key)
        if mine is None:
            continue
        went[id(row)] = mine
        for attr in schema.FUND_VALUES:
            changed += fill(mine, attr, getattr(row, attr))
    goals = [g for g in incoming.goals if g.goal or g.achieved]
    if goals:
        if not any(g.goal or g.achieved for g in target.goals):
            target.goals = [Goal(g.goal, g.achieved) for g in goals]
            for g, new in zip(goals, target.goals, strict=True):
                went[id(g)] = new
                written.add((id(new), ""))
            changed += len(goals)
        else:
            for i, g in enumerate(goals):
                if i < len(target.goals):
                    went[id(g)] = target.goals[i]
                    for attr in schema.keys(Table.GOALS):
                        changed += fill(target.goals[i], attr, getattr(g, attr))
                elif not any(norm(t.goal) == norm(g.goal) for t in target.goals):
                    target.goals.append(Goal(g.goal, g.achieved))
                    went[id(g)] = target.goals[-1]
                    written.add((id(target.goals[-1]), ""))
                    changed += 1
    used: set[int] = set()
    for ind in incoming.indicators:
        key = _indicator_key(ind)
        match = next(
            (i for i, t in enumerate(target.indicators) if i not in used and _indicator_key(t) == key), None
        )
        if match is not None:
            used.add(match)
            mine_ind = target.indicators[match]
            went[id(ind)] = mine_ind
            for attr in (*INDICATOR_TEXT, IND.direction, *NEW_FIELDS):
                if attr in LEVELS and getattr(mine_ind, attr):
                    continue
                changed += fill(mine_ind, attr, getattr(ind, attr))
            continue
        if not ind.level3 and not ind.level2:
            continue
        at = _insert_at(target.indicators, ind)
        target.indicators.insert(at, copy.deepcopy(ind))
        went[id(ind)] = target.indicators[at]
        written.add((id(target.indicators[at]), ""))
        used = {i + 1 if i >= at else i for i in used} | {at}
        changed += 1
    taken: set[int] = set()
    for item in incoming.score_sheet:
        index = next(
            (i for i, s in enumerate(target.score_sheet) if i not in taken and s.path == item.path), None
        )
        mine_item = None if index is None else target.score_sheet[index]
        if index is not None:
            taken.add(index)
        if mine_item is None:
            target.score_sheet.append(copy.deepcopy(item))
            taken.add(len(target.score_sheet) - 1)
            changed += 1
            continue
        for attr in SCORE_FIELDS:
            changed += _fill(mine_item, attr, getattr(item, attr), overwrite)
    if incoming.review_flags and changed:
        _carry_flags(target, incoming, written, went)
    return changed


def _carry_flags(
    target: Form, incoming: Form, written: set[tuple[int, str]], went: dict[int, object]
) -> None:
    """Give ``target`` the flags of ``incoming`` whose cells this merge wrote, at the rows they went to
    (a flag on the form as a whole: kept, the merge wrote something)."""
    for flag in incoming.review_flags:
        place: ReviewFlag | None = flag
        if flag.row is not None:
            rows = incoming.rows(flag.cell_table)
            mine = went.get(id(rows[flag.cell_row])) if flag.cell_row < len(rows) else None
            theirs = target.rows(flag.cell_table)
            at = next((i for i, row in enumerate(theirs) if row is mine), None)
            wrote = mine is not None and (
                (id(mine), "") in written or (id(mine), flag.cell_column) in written
            )
            place = replace(flag, cell_row=at) if at is not None and wrote else None
        elif flag.column is not None and (id(target), flag.cell_column) not in written:
            place = None
        if place is not None and place not in target.review_flags:
            target.review_flags.append(place)


def _insert_at(rows: list[Indicator], ind: Indicator) -> int:
    """After the last row of the same 二级 (else the same 一级, else at the end)."""
    for keys in ((ind.level1, ind.level2), (ind.level1,)):
        hits = [i for i, r in enumerate(rows) if (r.level1, r.level2)[: len(keys)] == keys]
        if hits:
            index = hits[-1] + 1
            if len(keys) == 2 and not rows[hits[-1]].level3 and len(hits) == 1:
                return hits[-1] + 1
            return index
    return len(rows)


def find_form(report: Report, kind: str, name: str) -> Form | None:
    """The report's form this name means: the one overall, or a project by normalised name."""
    if kind == OVERALL:
        return report.overall
    key = name_key(name)
    return next((f for f in report.projects if name_key(f.name) == key), None)


def merge_score_sheet(target: Form, items: list[ScoreItem], overwrite: bool) -> int:
    probe = Form(kind=target.kind, score_sheet=items)
    return merge_form(target, probe, overwrite)


def recognised_label(raw: RawForm) -> str:
    if raw.recognised_as in (YTH, DECLARATION):
        return raw.recognised_as
    if raw.recognised_as == "评分表":
        return "评分表（部门整体）" if raw.kind == OVERALL else "评分表（项目）"
    return "部门整体支出绩效自评表" if raw.kind == OVERALL else "项目支出绩效自评表"
