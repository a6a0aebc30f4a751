"""Region templates: one JSON file per official layout, read at run time.

Adding a region is adding a file to ``resources/templates/``. A file with a
mistake is refused at load with a message naming the file and the key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from core.paths import templates_dir
from core.schema import FUND_AMOUNTS, HEAD, SCORE

FORMULAS = (
    "project_execution_progress",
    "project_balance_rate",
    "project_goal_completion",
    "project_deviation",
    "overall_goal_completion",
    "overall_deviation",
    "overall_execution_progress",
    "overall_balance_rate",
    "overall_project_scores",
    "execution_rate",
)


P = ParamSpec("P")
R = TypeVar("R")


class TemplateError(ValueError):
    """A template file that cannot be used."""


@dataclass(frozen=True)
class Column:
    """A printed column of a template's form: its code name, printed title and width hint."""

    key: str
    title: str
    width: int = 0


@dataclass(frozen=True)
class FundRowSpec:
    """A row of a form's 资金 table as the region prints it: key, labels and the columns it fills."""

    key: str
    label: str
    printed: str
    aliases: tuple[str, ...] = ()
    columns: tuple[str, ...] = FUND_AMOUNTS
    group: str = ""
    level: int = 0


@dataclass(frozen=True)
class SumSpec:
    """A 资金 row that is the sum of other rows, in the given columns."""

    total: str
    parts: tuple[str, ...]
    columns: tuple[str, ...] = FUND_AMOUNTS


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion of the region's 评分表: its path of names, weight, explanation, rule, formula."""

    path: tuple[str, ...]
    weight: str
    explanation: str = ""
    rule: str = ""
    formula: str = ""


@dataclass(frozen=True)
class FormSpec:
    """How a region prints one kind of form: titles, header fields, tables, vocabulary, 评分表."""

    kind: str
    title: str
    attachment: str
    header: tuple[Column, ...]
    fund_title: str
    fund_columns: tuple[Column, ...]
    fund_rows: tuple[FundRowSpec, ...]
    sums: tuple[SumSpec, ...]
    rate_row: str
    execution_weight: str
    goal_titles: tuple[str, str]
    goals_numbered: bool
    indicator_columns: tuple[Column, ...]
    scored: bool
    level1_weights: dict[str, str]
    vocabulary: dict[str, tuple[str, ...]]
    score_sheet: tuple[CriterionSpec, ...]
    score_sheet_title: str
    orientation: str = "landscape"
    fund_layout: str = "table"  # "inline": label–value pairs on one line, groups side by side (益阳 附件2)
    execution_in_total: bool = True  # False: the 执行率 row's 得分 is shown but not added to 总分 (平凉)
    printing: dict[str, Any] = field(default_factory=dict)  # the form's printed words ("print")
    sheet_printing: dict[str, Any] = field(default_factory=dict)  # its 评分表's printed words
    # the fund row whose 结余率 the 评分表's 预算结余率 rates ("" = the rate row): 广元's "结余金额/
    # 财政资金预算数" is the 财政拨款 subtotal's, not 年度资金总额's (RULES.md §8)
    balance_row: str = ""

    def row_spec(self, key: str) -> FundRowSpec | None:
        for spec in self.fund_rows:
            if spec.key == key:
                return spec
        return None

    @cached_property
    def sum_totals(self) -> frozenset[str]:
        """The fund rows that are the total of others (``sums``)."""
        return frozenset(s.total for s in self.sums)

    @cached_property
    def level1_names(self) -> frozenset[str]:
        return frozenset(self.vocabulary) | frozenset(self.level1_weights)

    @cached_property
    def _canonical(self) -> dict[str, str]:
        return {}

    def canonical_level1(self, text: str) -> str:
        """Return the template's 一级 name that a printed label means ("产出（50分）" → 产出指标)."""
        found = self._canonical.get(text)
        if found is None:
            name, _ = split_level1(text)
            if name and name not in self.level1_names and name + "指标" in self.level1_names:
                name += "指标"
            found = self._canonical[text] = name
        return found

    def has_column(self, key: str) -> bool:
        """True when the region prints indicator column ``key``."""
        return any(c.key == key for c in self.indicator_columns)


@dataclass(frozen=True)
class Scoring:
    """A region's scoring rules (评分口径): how targets are scored, grades, warnings and caps."""

    reverse: str = "ratio"  # "ratio": w × target/actual; "excess": w × (1 − excess/target), 0 at 2×
    equal: str = "proportional"  # or "binary"
    bands: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    low_execution: Decimal = Decimal("0.9")
    adjustment_reason: bool = False
    deviation_threshold: Decimal = Decimal("0.3")
    rate_tolerance: Decimal = Decimal("0.0001")
    grades: tuple[tuple[str, Decimal], ...] = ()
    total: Decimal = Decimal(100)
    rate_places: int = 2
    rate_whole_places: int | None = (
        None  # places of a rate that rounds to a whole percent (None: rate_places)
    )
    # Options a template switches on (docs/rules.md, 评分口径; ECOSYSTEM K9–K18, K20):
    grade_above: frozenset[str] = frozenset()  # grades whose floor is exclusive ("优 > 90")
    negative_as_zero: bool = True  # K10: a negative actual counts as 0
    strict: str = "same"  # K9 河北: "binary" scores a missed ＞/＜ target 0 (≥/≤ stay proportional)
    over_penalty: tuple[Decimal, Decimal] | None = None  # K16: (ratio, points): actual ≥ 130 % → −2
    over_flag: Decimal | None = None  # K17: actual ≥ 120 % of target is flagged (target set too low?)
    execution_caps: tuple[tuple[Decimal, Decimal], ...] = ()  # K18: (执行率 below, total at most)


@dataclass(frozen=True)
class Template:
    """A region's template: its forms, scoring, narrative sections and printed words."""

    id: str
    name: str
    region: str
    description: str
    is_default: bool
    money_unit: str
    report_title: str
    forms: dict[str, FormSpec]
    scoring: Scoring
    narrative: tuple[tuple[str, str], ...]
    narrative_drafts: dict[str, str]
    basic_data: dict[str, Any]
    guidance: tuple[str, ...]
    attachments: dict[str, str]
    source: str
    outputs: dict[str, Any] = field(default_factory=dict)  # labels of the 一体化 files, 汇总表, 分析报告
    printing: dict[str, Any] = field(default_factory=dict)  # report-level printed words ("print")
    # 自评质量 in a 复核: (分值, ((差异率下限, 扣分), …)) from "review_quality"; empty = seed 001's rule
    review_quality: tuple[Decimal, tuple[tuple[Decimal, Decimal], ...]] | None = None

    def form(self, kind: str) -> FormSpec:
        return self.forms[kind]

    @cached_property
    def _memos(self) -> dict[Callable[..., Any], Callable[..., Any]]:
        return {}

    def memo(self, fn: Callable[Concatenate[Template, P], R], maxsize: int = 1 << 14) -> Callable[P, R]:
        """Return ``fn`` bound to this template and memoised on it (arguments must be hashable).

        Whatever is computed from a template is cached here, on the object it was computed
        from, never process-wide by the template's id: a template read again (another file, an
        edited one) is a new object with empty caches, so no report sees another's results.
        """
        found = self._memos.get(fn)
        if found is None:
            found = self._memos[fn] = lru_cache(maxsize)(partial(fn, self))
        return found  # type: ignore[return-value]  # not cast(): a call, and a row's count makes a few

    @cached_property
    def _dicts(self) -> dict[str, dict[Hashable, Any]]:
        return {}

    def memo_dict(self, name: str) -> dict[Hashable, Any]:
        """Return the dict ``name`` kept on this template (for a cache its user bounds by hand)."""
        return self._dicts.setdefault(name, {})

    def match_fund_row(self, kind: str, label: str) -> str | None:
        """Return the key of the fund row that a printed label names, or None."""
        wanted = normalise_label(label)
        for spec in self.forms[kind].fund_rows:
            names = (spec.key, spec.label, spec.printed, *spec.aliases)
            if any(normalise_label(n) == wanted for n in names):
                return spec.key
        return None


_PREFIX_RE = re.compile(
    r"^(其中[:：]?|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[一二三四五六七八九十]+、)+"
)


_LEVEL1_WEIGHT_RE = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]$")


@lru_cache(maxsize=1 << 12)  # pure: a printed label in, its parts out (no template involved)
def split_level1(text: str) -> tuple[str, str]:
    """Split a printed 一级 label into its name and the weight printed with it ("产出指标（50分）")."""
    compact = re.sub(r"\s+", "", text)
    match = _LEVEL1_WEIGHT_RE.search(compact)
    if match:
        return compact[: match.start()], match.group(1)
    return compact, ""


def normalise_label(label: str) -> str:
    """Strip numbering, 其中 and punctuation from a printed row label."""
    text = re.sub(r"\s+", "", label)
    text = _PREFIX_RE.sub("", text)
    return text.rstrip(":：")


class _Reader:
    """Read typed values out of a template's JSON, naming the file and key on error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, what: str) -> TemplateError:
        return TemplateError(f"模板文件 {self.source} 的 “{path}” {what}")

    def get(self, obj: dict[str, Any], key: str, path: str, kind: type, default: Any = ...) -> Any:
        full = f"{path}.{key}" if path else key
        if key not in obj:
            if default is ...:
                raise self.fail(full, "缺失")
            return default
        value = obj[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(full, f"类型应为 {kind.__name__}")
        return value

    def decimal(self, obj: dict[str, Any], key: str, path: str, default: str | None = None) -> str:
        value = self.get(obj, key, path, str, default)
        if value is None or value == "":
            return ""
        try:
            Decimal(value)
        except InvalidOperation as exc:
            raise self.fail(f"{path}.{key}", f"不是数字：{value}") from exc
        return str(value)

    def columns(self, items: list[Any], path: str) -> tuple[Column, ...]:
        out = []
        for i, item in enumerate(items):
            p = f"{path}[{i}]"
            if not isinstance(item, dict):
                raise self.fail(p, "应为对象")
            out.append(
                Column(
                    self.get(item, "key", p, str),
                    self.get(item, "title", p, str),
                    self.get(item, "width", p, int, 0),
                )
            )
        return tuple(out)


def _fund_rows(r: _Reader, funds: dict[str, Any], path: str) -> tuple[FundRowSpec, ...]:
    rows = []
    for i, item in enumerate(r.get(funds, "rows", path, list)):
        p = f"{path}.rows[{i}]"
        label = r.get(item, "label", p, str)
        rows.append(
            FundRowSpec(
                key=r.get(item, "key", p, str),
                label=label,
                printed=r.get(item, "printed", p, str, label),
                aliases=tuple(r.get(item, "aliases", p, list, [])),
                columns=tuple(r.get(item, "columns", p, list, list(FUND_AMOUNTS))),
                group=r.get(item, "group", p, str, ""),
                level=r.get(item, "level", p, int, 0),
            )
        )
    keys = [row.key for row in rows]
    if len(set(keys)) != len(keys):
        raise r.fail(f"{path}.rows", "有重复的 key")
    return tuple(rows)


def _sums(r: _Reader, funds: dict[str, Any], path: str, keys: set[str]) -> tuple[SumSpec, ...]:
    sums = []
    for i, item in enumerate(r.get(funds, "sums", path, list, [])):
        p = f"{path}.sums[{i}]"
        spec = SumSpec(
            total=r.get(item, "total", p, str),
            parts=tuple(r.get(item, "parts", p, list)),
            columns=tuple(r.get(item, "columns", p, list, list(FUND_AMOUNTS))),
        )
        for key in (spec.total, *spec.parts):
            if key not in keys:
                raise r.fail(p, f"引用了不存在的资金行：{key}")
        sums.append(spec)
    return tuple(sums)


def _criteria(r: _Reader, items: list[Any], path: str) -> tuple[CriterionSpec, ...]:
    out = []
    for i, item in enumerate(items):
        p = f"{path}[{i}]"
        formula = r.get(item, SCORE.formula, p, str, "")
        if formula and formula not in FORMULAS:
            raise r.fail(f"{p}.formula", f"未知的公式：{formula}")
        out.append(
            CriterionSpec(
                path=tuple(r.get(item, SCORE.path, p, list)),
                weight=r.decimal(item, SCORE.weight, p),
                explanation=r.get(item, SCORE.explanation, p, str, ""),
                rule=r.get(item, SCORE.rule, p, str, ""),
                formula=formula,
            )
        )
    return tuple(out)


def _form(r: _Reader, kind: str, spec: dict[str, Any], sheets: dict[str, Any]) -> FormSpec:
    path = f"forms.{kind}"
    funds = r.get(spec, "funds", path, dict)
    rows = _fund_rows(r, funds, f"{path}.funds")
    keys = {row.key for row in rows}
    rate_row = r.get(funds, "rate_row", f"{path}.funds", str, rows[0].key if rows else "")
    if rate_row not in keys:
        raise r.fail(f"{path}.funds.rate_row", f"引用了不存在的资金行：{rate_row}")
    balance_row = r.get(funds, "balance_row", f"{path}.funds", str, "")
    if balance_row and balance_row not in keys:
        raise r.fail(f"{path}.funds.balance_row", f"引用了不存在的资金行：{balance_row}")
    indicators = r.get(spec, "indicators", path, dict)
    goals = r.get(spec, "goals", path, dict, {})
    titles = r.get(goals, "titles", f"{path}.goals", list, ["预期目标", "实际完成情况"])
    sheet_key = r.get(spec, "score_sheet", path, str, "")
    if sheet_key and sheet_key not in sheets:
        raise r.fail(f"{path}.score_sheet", f"引用了不存在的评分表：{sheet_key}")
    sheet = sheets.get(sheet_key, {}) if sheet_key else {}
    vocab = r.get(spec, "vocabulary", path, dict, {})
    return FormSpec(
        kind=kind,
        title=r.get(spec, "title", path, str),
        attachment=r.get(spec, "attachment", path, str, ""),
        header=r.columns(r.get(spec, "header", path, list), f"{path}.header"),
        fund_title=r.get(funds, "title", f"{path}.funds", str, "资金（万元）"),
        fund_columns=r.columns(r.get(funds, "columns", f"{path}.funds", list), f"{path}.funds.columns"),
        fund_rows=rows,
        sums=_sums(r, funds, f"{path}.funds", keys),
        rate_row=rate_row,
        execution_weight=r.decimal(funds, HEAD.execution_weight, f"{path}.funds", ""),
        goal_titles=(str(titles[0]), str(titles[1])),
        goals_numbered=r.get(goals, "numbered", f"{path}.goals", bool, False),
        indicator_columns=r.columns(
            r.get(indicators, "columns", f"{path}.indicators", list), f"{path}.indicators.columns"
        ),
        scored=r.get(indicators, "scored", f"{path}.indicators", bool, True),
        level1_weights={
            k: r.decimal(
                r.get(indicators, "level1_weights", f"{path}.indicators", dict, {}),
                k,
                f"{path}.indicators.level1_weights",
            )
            for k in r.get(indicators, "level1_weights", f"{path}.indicators", dict, {})
        },
        vocabulary={k: tuple(v) for k, v in vocab.items()},
        score_sheet=_criteria(r, sheet.get("criteria", []), f"score_sheets.{sheet_key}.criteria"),
        score_sheet_title=str(sheet.get("title", "")),
        orientation=r.get(spec, "orientation", path, str, "landscape"),
        fund_layout=_fund_layout(r, funds, f"{path}.funds"),
        execution_in_total=r.get(funds, "in_total", f"{path}.funds", bool, True),
        printing=r.get(spec, "print", path, dict, {}),
        sheet_printing=r.get(sheet, "print", f"score_sheets.{sheet_key}", dict, {}),
        balance_row=balance_row,
    )


def _fund_layout(r: _Reader, funds: dict[str, Any], path: str) -> str:
    layout = r.get(funds, "layout", path, str, "table")
    if layout not in ("table", "inline"):
        raise r.fail(f"{path}.layout", "应为 table 或 inline")
    return str(layout)


def _scoring(r: _Reader, obj: dict[str, Any]) -> Scoring:
    path = "scoring"
    bands = {}
    for name, pair in r.get(obj, "bands", path, dict, {}).items():
        if not (isinstance(pair, list) and len(pair) == 2):
            raise r.fail(f"{path}.bands.{name}", "应为 [下限, 上限]")
        bands[name] = (Decimal(str(pair[0])), Decimal(str(pair[1])))
    grade_rows = r.get(obj, "grades", path, list, [])
    for i, g in enumerate(grade_rows):
        if not (isinstance(g, list) and len(g) in (2, 3) and (len(g) == 2 or g[2] in (">", "≥"))):
            raise r.fail(f"{path}.grades[{i}]", '应为 [等级, 下限] 或 [等级, 下限, ">"]')
    grades = tuple((str(g[0]), _dec(r, g[1], f"{path}.grades")) for g in grade_rows)
    grade_above = frozenset(str(g[0]) for g in grade_rows if len(g) == 3 and g[2] == ">")
    strict = r.get(obj, "strict", path, str, "same")
    if strict not in ("same", "binary"):
        raise r.fail(f"{path}.strict", "应为 same 或 binary")
    penalty = r.get(obj, "over_penalty", path, list, [])
    if penalty and len(penalty) != 2:
        raise r.fail(f"{path}.over_penalty", "应为 [倍数, 扣分]")
    caps = r.get(obj, "execution_caps", path, list, [])
    for i, cap in enumerate(caps):
        if not (isinstance(cap, list) and len(cap) == 2):
            raise r.fail(f"{path}.execution_caps[{i}]", "应为 [执行率低于, 总分最高]")
    flag = r.decimal(obj, "over_flag", path, "")
    reverse = r.get(obj, "reverse", path, str, "ratio")
    if reverse not in ("ratio", "excess"):
        raise r.fail(f"{path}.reverse", "应为 ratio 或 excess")
    equal = r.get(obj, "equal", path, str, "proportional")
    if equal not in ("proportional", "binary"):
        raise r.fail(f"{path}.equal", "应为 proportional 或 binary")
    return Scoring(
        reverse=reverse,
        equal=equal,
        bands=bands,
        low_execution=Decimal(r.decimal(obj, "low_execution", path, "0.9")),
        adjustment_reason=r.get(obj, "adjustment_reason", path, bool, False),
        deviation_threshold=Decimal(r.decimal(obj, "deviation_threshold", path, "0.3")),
        rate_tolerance=Decimal(r.decimal(obj, "rate_tolerance", path, "0.0001")),
        grades=grades,
        total=Decimal(r.decimal(obj, "total", path, "100")),
        rate_places=r.get(obj, "rate_places", path, int, 2),
        rate_whole_places=r.get(obj, "rate_whole_places", path, int, None),
        grade_above=grade_above,
        negative_as_zero=r.get(obj, "negative_as_zero", path, bool, True),
        strict=strict,
        over_penalty=(
            (_dec(r, penalty[0], f"{path}.over_penalty"), _dec(r, penalty[1], f"{path}.over_penalty"))
            if penalty
            else None
        ),
        over_flag=Decimal(flag) if flag else None,
        execution_caps=tuple(
            (_dec(r, c[0], f"{path}.execution_caps"), _dec(r, c[1], f"{path}.execution_caps")) for c in caps
        ),
    )


def _dec(r: _Reader, value: Any, path: str) -> Decimal:
    """Read a number written as a JSON string or number, naming the key when it is not one."""
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise r.fail(path, f"不是数字：{value}") from exc


# The template file's key of the region's display name (湖南益阳, 四川广元 …), read into Template.name.
REGION_NAME = "name"


def parse_template(data: Any, source: str) -> Template:
    """Build a Template from parsed JSON, or raise TemplateError naming ``source`` and the key."""
    r = _Reader(source)
    if not isinstance(data, dict):
        raise r.fail("(根)", "应为对象")
    forms_obj = r.get(data, "forms", "", dict)
    sheets = r.get(data, "score_sheets", "", dict, {})
    forms = {}
    for kind in ("overall", "project"):
        forms[kind] = _form(r, kind, r.get(forms_obj, kind, "forms", dict), sheets)
    outline = r.get(data, "narrative", "", list, [])
    narrative = tuple(
        (r.get(s, "title", f"narrative[{i}]", str), r.get(s, "prompt", f"narrative[{i}]", str, ""))
        for i, s in enumerate(outline)
    )
    drafts = {
        r.get(s, "title", f"narrative[{i}]", str): r.get(s, "draft", f"narrative[{i}]", str, "")
        for i, s in enumerate(outline)
    }
    return Template(
        id=r.get(data, "id", "", str),
        name=r.get(data, REGION_NAME, "", str),
        region=r.get(data, "region", "", str, ""),
        description=r.get(data, "description", "", str, ""),
        is_default=r.get(data, "default", "", bool, False),
        money_unit=r.get(data, "money_unit", "", str, "万元"),
        report_title=r.get(data, "report_title", "", str, "{year}年度{department}绩效自评报告"),
        forms=forms,
        scoring=_scoring(r, r.get(data, "scoring", "", dict, {})),
        narrative=narrative,
        narrative_drafts={k: v for k, v in drafts.items() if v},
        basic_data=r.get(data, "basic_data", "", dict, {}),
        guidance=tuple(r.get(data, "guidance", "", list, [])),
        attachments=r.get(data, "attachments", "", dict, {}),
        source=source,
        outputs=r.get(data, "outputs", "", dict, {}),
        printing=r.get(data, "print", "", dict, {}),
        review_quality=_review_quality(r, data),
    )


def _review_quality(
    r: _Reader, data: dict[str, Any]
) -> tuple[Decimal, tuple[tuple[Decimal, Decimal], ...]] | None:
    """Read the optional "review_quality": {"full_marks": 6, "bands": [[0.1, 2], …]} (差异率下限, 扣分)."""
    block = r.get(data, "review_quality", "", dict, {})
    if not block:
        return None
    weight = _dec(r, block.get("full_marks"), "review_quality.full_marks")
    bands = []
    for i, band in enumerate(r.get(block, "bands", "review_quality", list)):
        where = f"review_quality.bands[{i}]"
        if not isinstance(band, list) or len(band) != 2:
            raise r.fail(where, "应为 [差异率下限, 扣分]")
        bands.append((_dec(r, band[0], where), _dec(r, band[1], where)))
    return weight, tuple(sorted(bands))


def load_template_file(path: Path) -> Template:
    """Read and check one template file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"模板文件 {path.name} 无法读取：{exc}") from exc
    except json.JSONDecodeError as exc:
        raise TemplateError(f"模板文件 {path.name} 不是有效的 JSON（第 {exc.lineno} 行）") from exc
    template = parse_template(data, path.name)
    if template.id != path.stem:
        raise TemplateError(f"模板文件 {path.name} 的 “id” 应与文件名一致：{template.id}")
    return template


# Every template file read so far: its (modification time, size) when read and the Template. A file
# changed since is read again into a new Template object, whose caches start empty — so a report
# opened after a region's file was edited is laid out, checked and scored by the edited file.
_READ: dict[Path, tuple[tuple[int, int], Template]] = {}
_ID_RE = re.compile(r"[\w.-]+")


def _read(path: Path) -> Template:
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    found = _READ.get(path)
    if found is None or found[0] != stamp:
        found = _READ[path] = (stamp, load_template_file(path))
    return found[1]


def all_templates() -> dict[str, Template]:
    """Return every template of the templates folder by id (each file read once, again when changed)."""
    out = {}
    for path in sorted(templates_dir().glob("*.json")):
        template = _read(path)
        out[template.id] = template
    return out


def get_template(template_id: str) -> Template:
    """Resolve a report's template id to its Template, or raise TemplateError listing the known ones.

    Called where a report is opened, built, imported or switched to another region; everything
    after that is handed the object, never the id.
    """
    path = templates_dir() / f"{template_id}.json"
    try:
        if _ID_RE.fullmatch(template_id) and path.is_file():
            return _read(path)
    except OSError:
        pass
    known = "、".join(sorted(all_templates()))
    raise TemplateError(f"未知的模板：{template_id}（可用：{known}）")


def default_template_id() -> str:
    for template in all_templates().values():
        if template.is_default:
            return template.id
    return "mof"
