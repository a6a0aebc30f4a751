"""Interchange JSON, version 1 (shared/INTERCHANGE.md): read and write whole reports."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from core import model as m
from core import schema
from core.model import Form, FundRow, Indicator, NarrativeSection, Report, ReviewFlag, ScoreItem, Signoff
from core.numbers import amount_problem, parse_rate
from core.schema import REP, Column, Kind, Table
from core.templates import Template, TemplateError, get_template

FORMAT = "ziping-report"
VERSION = 1

# The declared columns of each object of the format (core/schema.py) and the keys around them.
REPORT_FIELDS = schema.declared(Report)  # template, year, department
FORM_FIELDS = tuple(c for c in schema.columns(Table.HEADER) if not c.interchange_in)
FUNDS_FIELDS = tuple(c for c in schema.columns(Table.HEADER) if c.interchange_in == "funds")
# A funds row's values; the printed rate is checked first (as it always was).
FUND_ROW_FIELDS = tuple(
    sorted((c for c in schema.columns(Table.FUNDS) if c.interchange), key=lambda c: c.kind != Kind.RATE)
)
SECTION_FIELDS = schema.columns(Table.NARRATIVE)

REPORT_KEYS = {"format", "version", "signoff", "forms", "narrative", "basic_data", "analysis"} | {
    c.interchange for c in REPORT_FIELDS
}
SIGNOFF_KEYS = set(m.SIGNOFF_FIELDS)
FORM_KEYS = {"kind", "funds", "goals", "indicators", "score_sheet", "signoff", "review_flags"} | {
    c.interchange for c in FORM_FIELDS
}
FUNDS_KEYS = {"rows"} | {c.interchange for c in FUNDS_FIELDS}
FUND_ROW_KEYS = {"label"} | {c.interchange for c in FUND_ROW_FIELDS}
GOAL_KEYS = {c.interchange for c in schema.columns(Table.GOALS)}
INDICATOR_KEYS = {c.interchange for c in schema.columns(Table.INDICATORS)}
SCORE_KEYS = {c.interchange for c in schema.columns(Table.SCORE_SHEET)}
SECTION_KEYS = {c.interchange for c in SECTION_FIELDS}
FLAG_FIELDS = schema.columns(Table.REVIEW_FLAGS)
FLAG_KEYS = {c.interchange for c in FLAG_FIELDS}
FLAG = schema.FLAG
# Where a 请核对 flag may point: the form's tables, and the columns each has.
FLAG_PLACES = {
    Table.HEADER: set(schema.keys(Table.HEADER)),
    **{t: {c.key for c in schema.columns(t) + schema.COMPUTED.get(t, ())} for t in schema.ROW_TABLES},
}


class InterchangeError(ValueError):
    """The JSON cannot be imported; the message names where."""


def _check_keys(obj: Any, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise InterchangeError(f"{where}：应为对象")
    for key in obj:
        if key not in allowed:
            raise InterchangeError(f"{where}：未知的键 “{key}”")
    return obj


def _text(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InterchangeError(f"{where}.{key}：应为字符串")
    return str(value)


def _value(obj: dict[str, Any], column: Column, where: str) -> str:
    """Read a declared column's text under its interchange key; an amount must be a number."""
    text = _text(obj, column.interchange, where)
    problem = amount_problem(text) if column.kind == Kind.AMOUNT else None
    if problem:
        raise InterchangeError(f"{where}.{column.interchange}：{problem}")
    return text


def _list(obj: dict[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise InterchangeError(f"{where}.{key}：应为数组")
    return value


def _signoff(obj: Any, where: str) -> Signoff:
    _check_keys(obj, SIGNOFF_KEYS, where)
    return Signoff(*(_text(obj, k, where) for k in m.SIGNOFF_FIELDS))


def _funds(form: Form, obj: Any, where: str, template: Template) -> None:
    _check_keys(obj, FUNDS_KEYS, where)
    for c in FUNDS_FIELDS:
        setattr(form, c.key, _value(obj, c, where))
    form.fund_unit = form.fund_unit or template.money_unit
    seen: set[str] = set()
    for i, row in enumerate(_list(obj, "rows", where)):
        w = f"{where}.rows[{i}]"
        _check_keys(row, FUND_ROW_KEYS, w)
        label = _text(row, "label", w)
        key = template.match_fund_row(form.kind, label)
        if key is None:
            names = "、".join(s.label for s in template.form(form.kind).fund_rows)
            raise InterchangeError(f"{w}.label：“{label}”不是模板 {template.id} 的资金行（可用：{names}）")
        if key in seen:
            raise InterchangeError(f"{w}.label：资金行 “{label}” 重复")
        seen.add(key)
        values: dict[str, Any] = {}
        for c in FUND_ROW_FIELDS:
            value = values[c.key] = _value(row, c, w)
            if (
                c.kind == Kind.RATE
                and value
                and value.strip() not in ("—", "-", "/")
                and parse_rate(value) is None
            ):
                raise InterchangeError(f"{w}.{c.interchange}：“{value}”不是百分比")
        form.funds.append(FundRow(key=key, **values))
    order = [s.key for s in template.form(form.kind).fund_rows]
    have = {r.key: r for r in form.funds}
    form.funds = [have.get(k) or FundRow(key=k) for k in order]


def _row(table: Table, obj: Any, where: str) -> Any:
    """Read one row of a row table (goals, indicators, score sheet) by its declared columns."""
    cols = [c for c in schema.columns(table) if c.interchange]
    _check_keys(obj, {c.interchange for c in cols}, where)
    values: dict[str, Any] = {}
    for c in cols:
        k = c.interchange
        if c.kind == Kind.FLAG:
            flag = obj.get(k, False)
            if not isinstance(flag, bool):
                raise InterchangeError(f"{where}.{k}：应为 true 或 false")
            values[c.key] = flag
        elif c.kind == Kind.PATH:
            labels = obj.get(k, [])
            if not isinstance(labels, list) or not all(isinstance(p, str) for p in labels):
                raise InterchangeError(f"{where}.{k}：应为字符串数组")
            values[c.key] = list(labels)
        else:
            value = _value(obj, c, where)
            if c.kind == Kind.DIRECTION and value not in ("", "≥", "≤", "="):
                raise InterchangeError(f"{where}.{k}：应为 “≥”、“≤” 或 “=”")
            values[c.key] = value
    return m.row_factory(table)(**values)


def _indicator(obj: Any, where: str) -> Indicator:
    row: Indicator = _row(Table.INDICATORS, obj, where)
    return row


def _score_item(obj: Any, where: str) -> ScoreItem:
    row: ScoreItem = _row(Table.SCORE_SHEET, obj, where)
    return row


def _form(obj: Any, where: str, template: Template) -> Form:
    _check_keys(obj, FORM_KEYS, where)
    kind = obj.get("kind")
    if kind not in m.FORM_KINDS:
        raise InterchangeError(f"{where}.kind：应为 “overall” 或 “project”")
    header: dict[str, Any] = {c.key: _value(obj, c, where) for c in FORM_FIELDS}
    form = Form(kind=kind, **header)
    if not form.name.strip():
        raise InterchangeError(f"{where}.name：名称不能为空")
    if "signoff" in obj and obj["signoff"] is not None:
        form.signoff = _signoff(obj["signoff"], f"{where}.signoff")
    _funds(form, obj.get("funds", {}), f"{where}.funds", template)
    form.goals = [
        _row(Table.GOALS, g, f"{where}.goals[{i}]") for i, g in enumerate(_list(obj, "goals", where))
    ]
    form.indicators = [
        _indicator(x, f"{where}.indicators[{i}]") for i, x in enumerate(_list(obj, "indicators", where))
    ]
    form.score_sheet = [
        _score_item(x, f"{where}.score_sheet[{i}]") for i, x in enumerate(_list(obj, "score_sheet", where))
    ]
    form.review_flags = [
        _flag(form, x, f"{where}.review_flags[{i}]") for i, x in enumerate(_list(obj, "review_flags", where))
    ]
    return form


def _flag(form: Form, obj: Any, where: str) -> ReviewFlag:
    """One 请核对 flag: its text, and a cell of this form (table, row within it, column) or none."""
    _check_keys(obj, FLAG_KEYS, where)
    values = {c.key: _text(obj, c.interchange, where) for c in FLAG_FIELDS if c.kind != Kind.INTEGER}
    table = values[FLAG.cell_table] or Table.HEADER
    if table not in FLAG_PLACES:
        names = "、".join(FLAG_PLACES)
        raise InterchangeError(f"{where}.{FLAG.cell_table}：“{table}”不是表中的一处（可用：{names}）")
    row = obj.get(FLAG.cell_row)
    if row is None:
        row = -1
    if isinstance(row, bool) or not isinstance(row, int) or row < -1:
        raise InterchangeError(f"{where}.{FLAG.cell_row}：应为从 0 起的行号（无行时省略）")
    rows = len(form.rows(table)) if table != Table.HEADER else 0
    if row >= rows:
        raise InterchangeError(f"{where}.{FLAG.cell_row}：第 {row} 行不存在（该表有 {rows} 行）")
    column = values[FLAG.cell_column]
    if column and column not in FLAG_PLACES[Table(table)]:
        raise InterchangeError(f"{where}.{FLAG.cell_column}：“{column}”不是该表的列")
    if not values[FLAG.text].strip():
        raise InterchangeError(f"{where}.{FLAG.text}：请核对的内容不能为空")
    return ReviewFlag(
        cell_table=str(table),
        cell_row=row,
        cell_column=column,
        text=values[FLAG.text],
        origin=values[FLAG.origin],
    )


def report_from_dict(data: Any) -> Report:
    """Build a Report from parsed interchange JSON, or raise InterchangeError naming where."""
    _check_keys(data, REPORT_KEYS, "(根)")
    if data.get("format") != FORMAT:
        raise InterchangeError("(根).format：应为 “ziping-report”，这不是 ZiPing 交换文件")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InterchangeError("(根).version：缺失或不是整数")
    if version > VERSION:
        raise InterchangeError(f"(根).version：文件版本 {version} 比本程序支持的 {VERSION} 新，请升级")
    try:
        template = get_template(str(data.get(REP.template, "")))
    except TemplateError as exc:
        raise InterchangeError(f"(根).template：{exc}") from exc
    year = data.get(REP.year)
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise InterchangeError("(根).year：应为年度数字，如 2023")
    report = Report(template=template.id, year=year, department=_text(data, REP.department, "(根)"))
    if data.get("signoff") is not None:
        report.signoff = _signoff(data["signoff"], "(根).signoff")
    report.forms = [_form(f, f"forms[{i}]", template) for i, f in enumerate(_list(data, "forms", "(根)"))]
    if sum(1 for f in report.forms if f.kind == m.OVERALL) > 1:
        raise InterchangeError("forms：只能有一张部门整体支出表（kind “overall”）")
    for i, s in enumerate(_list(data, "narrative", "(根)")):
        _check_keys(s, SECTION_KEYS, f"narrative[{i}]")
        section: dict[str, Any] = {c.key: _value(s, c, f"narrative[{i}]") for c in SECTION_FIELDS}
        report.narrative.append(NarrativeSection(**section))
    basic = data.get("basic_data")
    if basic is not None and not isinstance(basic, dict):
        raise InterchangeError("(根).basic_data：应为对象")
    report.basic_data = basic or {}
    analysis = data.get("analysis")
    if analysis is not None and not (
        isinstance(analysis, dict) and all(isinstance(v, str) for v in analysis.values())
    ):
        raise InterchangeError("(根).analysis：应为对象，值为文字")
    report.analysis = dict(analysis or {})
    return report


def read_json_file(path: Path | str) -> Report:
    """Read an interchange file; InterchangeError with a one-line Chinese reason on failure."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InterchangeError(f"文件不存在：{path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InterchangeError(f"无法读取 {path.name}：不是 UTF-8 文本") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError(f"{path.name} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列") from exc
    except RecursionError as exc:
        raise InterchangeError(f"{path.name} 的嵌套层数过深，不是 ZiPing 交换文件，请检查文件来源") from exc
    if _depth(data) > MAX_DEPTH:
        raise InterchangeError(f"{path.name} 的嵌套层数过深，不是 ZiPing 交换文件，请检查文件来源")
    if _has_lone_surrogate(data):
        raise InterchangeError(f"{path.name} 含有无效的字符（不成对的 \\u 代理码），请在原程序中重新导出")
    try:
        return report_from_dict(data)
    except InterchangeError:
        raise
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as exc:
        from core.errorlog import log_exception

        log_exception(exc, f"importing {path}")
        raise InterchangeError(f"{path.name} 的内容不符合 ZiPing 交换格式，请在原程序中重新导出") from exc


def _has_lone_surrogate(data: Any) -> bool:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


MAX_DEPTH = 32  # the interchange format nests 6 levels; 基础数据表 a few more


def _depth(data: Any) -> int:
    """How deeply lists and objects nest (iteratively: no RecursionError on any input)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v not in ("", None, False, [], {})}


def _row_dict(table: Table, row: Any) -> dict[str, Any]:
    return _clean({c.interchange: getattr(row, c.key) for c in schema.columns(table) if c.interchange})


def _fund_row_dict(row: FundRow, template: Template, kind: str) -> dict[str, Any]:
    spec = template.form(kind).row_spec(row.key)
    label = spec.printed if spec else row.key
    values = {c.interchange: getattr(row, c.key) for c in schema.columns(Table.FUNDS) if c.interchange}
    return {"label": label, **_clean(values)}


def form_to_dict(form: Form, template: Template) -> dict[str, Any]:
    out = _clean({"kind": form.kind, **{c.interchange: getattr(form, c.key) for c in FORM_FIELDS}})
    out["funds"] = _clean(
        {
            **{c.interchange: getattr(form, c.key) for c in FUNDS_FIELDS},
            "rows": [_fund_row_dict(r, template, form.kind) for r in form.funds],
        }
    )
    out["goals"] = [_row_dict(Table.GOALS, g) for g in form.goals]
    out["indicators"] = [_row_dict(Table.INDICATORS, i) for i in form.indicators]
    if form.score_sheet:
        out["score_sheet"] = [_row_dict(Table.SCORE_SHEET, s) for s in form.score_sheet]
    if form.signoff is not None:
        out["signoff"] = asdict(form.signoff)
    if form.review_flags:
        out["review_flags"] = [_flag_dict(f) for f in form.review_flags]
    return out


def _flag_dict(flag: ReviewFlag) -> dict[str, Any]:
    out = _clean({c.interchange: getattr(flag, c.key) for c in FLAG_FIELDS if c.kind != Kind.INTEGER})
    if flag.row is not None:  # row 0 is a row (``_clean`` would take 0 for blank)
        out[FLAG.cell_row] = flag.row
    return out


def report_to_dict(report: Report, template: Template | None = None) -> dict[str, Any]:
    """Return the interchange document of a report (values as strings, blanks left out).

    ``template`` is the report's, when the caller has resolved it (else it is resolved here: a
    report just read from a file).
    """
    template = template or get_template(report.template)
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        **{c.interchange: getattr(report, c.key) for c in REPORT_FIELDS},
        "signoff": asdict(report.signoff),
        "forms": [form_to_dict(f, template) for f in report.forms],
    }
    if report.narrative:
        out["narrative"] = [
            {c.interchange: getattr(s, c.key) for c in SECTION_FIELDS} for s in report.narrative
        ]
    if report.basic_data:
        out["basic_data"] = report.basic_data
    if report.analysis:
        out["analysis"] = dict(report.analysis)
    return out


def dumps(report: Report, template: Template | None = None) -> str:
    return json.dumps(report_to_dict(report, template), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
