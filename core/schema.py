"""Every table and column of a report, declared once.

A column is a field of one of the dataclasses below, declared with one of the
helpers (``text``, ``amount``, ``flag`` …) that records what the column *is*:
its kind, its Chinese label, whether it is stored and under which SQLite column,
its interchange key, whether the user types it. Everything else — the input
normalisation in ``core.report``, the repository's row mapping, the interchange
keys, the grid's editors, the problem list's names — is read from here through
``columns(table)``; templates only choose titles, widths and which columns a
region shows.

Adding a column: add one field here (and, for an existing table, one ALTER in
``core/storage/migrations.py``); a template lists it to show it.
"""

from __future__ import annotations

import copy
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol


class Table(StrEnum):
    """The tables of a report, as named in problems, changes and the interchange format."""

    HEADER = "header"
    FUNDS = "funds"
    GOALS = "goals"
    INDICATORS = "indicators"
    SCORE_SHEET = "score_sheet"
    NARRATIVE = "narrative"
    REPORT = "report"
    BASIC_DATA = "basic_data"
    FORMS = "forms"
    ANALYSIS = "analysis"  # the 汇总分析报告's own section texts (issue 13)
    REVIEW_FLAGS = "review_flags"  # 请核对: readings an import asked the user to check, per form


TABLE_LABELS = {
    Table.HEADER: "表头",
    Table.FUNDS: "资金",
    Table.GOALS: "目标",
    Table.INDICATORS: "指标",
    Table.SCORE_SHEET: "评分表",
    Table.NARRATIVE: "自评报告",
    Table.REPORT: "报告信息",
    Table.BASIC_DATA: "基础数据表",
    Table.FORMS: "表",
    Table.ANALYSIS: "汇总分析报告",
    Table.REVIEW_FLAGS: "请核对",
}


class Kind(StrEnum):
    """What a column holds, which decides how input is checked and edited."""

    KEY = "key"  # a row's identity (fund row key): never typed
    TEXT = "text"  # one line of text
    LONG = "long"  # multi-line text
    LEVEL = "level"  # 一级/二级 label picked from the template's vocabulary
    AMOUNT = "amount"  # an amount or score, typed as text, checked to be a number
    RATE = "rate"  # a printed percentage
    DIRECTION = "direction"  # ≥ ≤ = or blank
    FLAG = "flag"  # yes / no
    PATH = "path"  # a list of labels (the score sheet's 一级/二级/三级)
    INTEGER = "integer"  # the year


@dataclass(frozen=True)
class Column:
    """One declared column.

    ``storage`` is the SQLite column ("" when not stored on its own),
    ``interchange`` the key in interchange JSON ("" when not exchanged),
    ``editable`` whether the user types it in a grid or field.
    ``headers`` are the words a printed header cell of this column starts with (the importer
    finds the column by them, brackets and spaces ignored), ``exact_headers`` words that name it
    only when they are the whole cell ("单位" is 计量单位, "单位名称" is not).
    ``cleared_next_year``: a result of the year, blank when next year's report starts from this one.
    ``interchange_in``: the object of its record the interchange key sits in ("" = the record).
    ``title``: the header a grid shows when it differs from the label (指标分值 for 分值).
    """

    key: str
    kind: Kind
    label: str
    storage: str
    interchange: str
    editable: bool = True
    headers: tuple[str, ...] = ()
    exact_headers: tuple[str, ...] = ()
    cleared_next_year: bool = False
    interchange_in: str = ""
    title: str = ""

    @property
    def heading(self) -> str:
        """The column's header where no template titles it: ``title``, else the label."""
        return self.title or self.label


_META = "ziping.column"


@dataclass(frozen=True)
class _Decl:
    """What a field declaration records; ``column_of`` turns it into the field's ``Column``."""

    kind: Kind
    label: str
    storage: str | None = None
    interchange: str | None = None
    editable: bool = True
    headers: tuple[str, ...] = ()
    exact_headers: tuple[str, ...] = ()
    cleared_next_year: bool = False
    interchange_in: str = ""
    title: str = ""


def _meta(kind: Kind, label: str, **more: Any) -> Any:
    return {_META: _Decl(kind, label, **more)}


def text(
    label: str,
    kind: Kind = Kind.TEXT,
    *,
    default: str = "",
    storage: str | None = None,
    interchange: str | None = None,
    interchange_in: str = "",
    title: str = "",
    editable: bool = True,
    headers: tuple[str, ...] = (),
    exact_headers: tuple[str, ...] = (),
    cleared_next_year: bool = False,
) -> str:
    """Declare a text-valued column (TEXT, LONG, LEVEL, AMOUNT, RATE, DIRECTION, KEY)."""
    meta = _meta(
        kind,
        label,
        storage=storage,
        interchange=interchange,
        interchange_in=interchange_in,
        title=title,
        editable=editable,
        headers=headers,
        exact_headers=exact_headers,
        cleared_next_year=cleared_next_year,
    )
    return field(default=default, metadata=meta)


def key(label: str) -> Any:
    """Declare a row's identity column (required, never typed)."""
    return field(metadata=_meta(Kind.KEY, label, interchange="", editable=False))


def required(label: str, kind: Kind = Kind.TEXT) -> Any:
    """Declare a column every record must have (no default)."""
    return field(metadata=_meta(kind, label))


def flag(label: str, *, storage: str | None = None, interchange: str | None = None) -> bool:
    """Declare a yes/no column (stored as 0/1, exchanged as true/false, absent = false)."""
    return field(default=False, metadata=_meta(Kind.FLAG, label, storage=storage, interchange=interchange))


def path(label: str, *, storage: str | None = None, interchange: str | None = None) -> list[str]:
    """Declare a list-of-labels column (stored as JSON, exchanged as an array)."""
    meta = _meta(Kind.PATH, label, storage=storage, interchange=interchange)
    return field(default_factory=list, metadata=meta)


def column_of(f: Field[Any]) -> Column | None:
    """Return the declared column of a dataclass field, or None for a plain field."""
    meta = f.metadata.get(_META)
    if meta is None:
        return None
    d: _Decl = meta
    return Column(
        key=f.name,
        kind=d.kind,
        label=d.label,
        storage=f.name if d.storage is None else d.storage,
        interchange=f.name if d.interchange is None else d.interchange,
        editable=d.editable,
        headers=d.headers,
        exact_headers=d.exact_headers,
        cleared_next_year=d.cleared_next_year,
        interchange_in=d.interchange_in,
        title=d.title,
    )


@cache  # pure: the declarations are code (no template, no report)
def declared(cls: type) -> tuple[Column, ...]:
    """Return the declared columns of a dataclass, in field order."""
    return tuple(c for f in fields(cls) if (c := column_of(f)) is not None)


def has_default(f: Field[Any]) -> bool:
    return f.default is not MISSING or f.default_factory is not MISSING


# ---- the tables ---------------------------------------------------------------
# Labels are the names the problem list shows; a template's titles override them
# where a form prints the column.


@dataclass
class Signoff:
    """填表人 / 联系电话 / 填报日期 / 单位负责人 (the report's, or a form's own)."""

    preparer: str = text("填表人")
    phone: str = text("联系电话")
    date: str = text("填报日期", cleared_next_year=True)
    head: str = text("单位负责人")

    def is_blank(self) -> bool:
        return not any(getattr(self, c.key) for c in declared(Signoff))


@dataclass
class FundRow:
    """One row of a form's funds table; which rows exist is the template's."""

    key: str = key("资金行")
    initial: str = text(
        "年初预算数",
        Kind.AMOUNT,
        headers=("年初预算数", "年初预算", "年初数", "预算数", "年初批复数", "年初预算批复数"),
        exact_headers=("年初",),  # under a "预算数" title spanning 年初 | 全年
        cleared_next_year=True,
    )
    annual: str = text(
        "全年预算数",
        Kind.AMOUNT,
        headers=("全年预算数", "全年预算", "调整后预算", "调整预算数", "年度预算数", "全年数", "全年批复数"),
        exact_headers=("全年", "调整后", "调整数"),
        cleared_next_year=True,
    )
    executed: str = text(
        "全年执行数",
        Kind.AMOUNT,
        headers=(
            "全年执行数",
            "实际支出数",
            "执行数",
            "实际执行数",
            "全年实际支出",
            "实际支出",
            "全年实际执行数",
            "全年支出数",
            "支出数",
            "决算数",
            "全年决算数",
        ),
        cleared_next_year=True,
    )
    printed_rate: str = text("执行率", Kind.RATE, interchange="rate", editable=False, cleared_next_year=True)
    printed_score: str = text(
        "得分", Kind.AMOUNT, interchange="score", editable=False, cleared_next_year=True
    )


@dataclass
class Goal:
    """One row of a form's 绩效目标 table: the year's goal and how far it was achieved."""

    goal: str = text(
        "年度目标",
        Kind.LONG,
        headers=("预期目标", "年度目标", "年度总体目标", "总体目标", "绩效目标", "年度绩效目标"),
    )
    achieved: str = text(
        "完成情况",
        Kind.LONG,
        headers=("实际完成情况", "目标实际完成情况", "完成情况", "实际完成", "全年实际完成情况"),
        cleared_next_year=True,
    )


@dataclass
class Indicator:
    """One row of a form's 绩效指标 table: 一级/二级/三级 names, target, actual, weight and score."""

    level1: str = text("一级指标", Kind.LEVEL, headers=("一级指标", "一级"))
    level2: str = text("二级指标", Kind.LEVEL, headers=("二级指标", "二级"))
    level3: str = text("三级指标", headers=("三级指标", "三级", "指标名称", "绩效指标名称"))
    target: str = text(
        "年度指标值",
        headers=(
            "年度指标值",
            "指标值",
            "年度目标值",
            "目标值",
            "预期指标值",
            "预期目标值",
            "年度绩效指标值",
            "预期值",
            "指标目标值",
            "全年指标值",
        ),
    )
    actual: str = text(
        "实际完成值",
        headers=(
            "实际完成值",
            "实际完成",
            "全年实际完成值",
            "完成值",
            "实际值",
            "实际完成情况",
            "全年实际值",
            "全年完成值",
        ),
        cleared_next_year=True,
    )
    weight: str = text(
        "分值", Kind.AMOUNT, headers=("分值", "权重", "指标分值", "标准分值", "指标权重", "满分", "满分值")
    )
    score: str = text(
        "得分",
        Kind.AMOUNT,
        headers=("得分", "自评得分", "指标得分", "实际得分", "自评分"),
        cleared_next_year=True,
    )
    deviation_note: str = text(
        "偏差原因",
        Kind.LONG,
        headers=("偏差原因", "未完成原因", "偏差原因分析", "原因分析", "改进措施"),
        cleared_next_year=True,
    )
    direction: str = text("方向", Kind.DIRECTION, headers=("计算符号", "运算符号", "比较符号", "指标方向"))
    not_applicable: bool = flag("不适用")
    deduction: str = text(
        "扣减分数",
        Kind.AMOUNT,
        headers=("扣减分数",),
        exact_headers=("扣分", "扣分值"),
        cleared_next_year=True,
    )
    brief: str = text(
        "完成情况简要描述",
        Kind.LONG,
        headers=("完成情况简要描述", "完成情况描述", "简要描述"),
        cleared_next_year=True,
    )
    unit: str = text("计量单位", headers=("计量单位", "度量单位"), exact_headers=("单位",))
    breakdown: bool = flag("其中")
    review_score: str = text(
        "复核得分", Kind.AMOUNT, headers=("财政复核得分", "复核得分"), cleared_next_year=True
    )
    review_note: str = text("复核意见", Kind.LONG, cleared_next_year=True)

    def is_blank_row(self) -> bool:
        """Return True for a printed 二级 row with no 三级 and nothing in it."""
        return not (self.level3 or self.target or self.actual or self.weight or self.score)


@dataclass
class ScoreItem:
    """One criterion of a form's 评分表: its path of names, weight, rule and the scores given."""

    path: list[str] = path("指标")
    weight: str = text("分值", Kind.AMOUNT, title="指标分值", headers=("指标分值", "分值"))
    explanation: str = text("指标解释", Kind.LONG, headers=("指标解释",))
    rule: str = text("评价要点及说明", Kind.LONG, headers=("评价要点", "评分标准", "评分要点", "评分规则"))
    self_score: str = text("自评得分", Kind.AMOUNT, headers=("自评得分", "得分"), cleared_next_year=True)
    review_score: str = text(
        "复核得分",
        Kind.AMOUNT,
        title="财政复核得分",
        headers=("财政复核得分", "复核得分"),
        cleared_next_year=True,
    )
    formula: str = text("计算方法", editable=False)
    review_note: str = text("复核意见", Kind.LONG, cleared_next_year=True)

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""


_text = text  # NarrativeSection has a column named ``text``


@dataclass
class NarrativeSection:
    """One section of the report's 自评报告 text: its title and body."""

    title: str = _text("标题")
    text: str = _text("正文", Kind.LONG)


@dataclass
class ReviewFlag:
    """A reading an import was not sure of (请核对), kept at its cell until the user marks it 已核对.

    ``cell_table``/``cell_row``/``cell_column`` name the cell of the form it points at as a problem
    does (the table; the 0-based row, -1 for none: the header or the whole table; the column's key,
    "" for the whole row or form); ``text`` is what to check, ``origin`` where it was read (the file
    and its cell). A row's flags move with the row when rows are added, removed or moved.
    """

    cell_table: str = _text("所在表", default="header", editable=False)
    cell_row: int = field(default=-1, metadata=_meta(Kind.INTEGER, "所在行", editable=False))
    cell_column: str = _text("所在列", editable=False)
    text: str = _text("请核对", Kind.LONG, editable=False)
    origin: str = _text("来源", editable=False)

    @property
    def row(self) -> int | None:
        return None if self.cell_row < 0 else self.cell_row

    @property
    def column(self) -> str | None:
        return self.cell_column or None


# ---- the 基础数据表 (湖南 附件1) ---------------------------------------------------
# A report-level table in parts: one row of staff counts, the expense rows, one row of
# building control, the thrift measures. It is kept (stored, exchanged, exported) as one
# JSON object {part: row | [rows] | text} under these keys; a template titles the columns
# it shows and lists the default expense rows. Column keys are unique across the parts,
# so a problem's (row, column) names its cell.


@dataclass
class StaffCounts:
    """财政供养人员情况 (one row)."""

    authorized: str = text("编制数", Kind.AMOUNT, storage="")
    actual: str = text("实际在职人数", Kind.AMOUNT, storage="")
    rate: str = text("控制率", Kind.RATE, storage="")


@dataclass
class ExpenseRow:
    """经费控制情况: one line of expenses (万元)."""

    label: str = text("项目", storage="")
    last_final: str = text("上年决算数", Kind.AMOUNT, storage="")
    budget: str = text("预算数", Kind.AMOUNT, storage="")
    final: str = text("决算数", Kind.AMOUNT, storage="")


@dataclass
class BuildingControl:
    """楼堂馆所控制情况 (one row)."""

    approved_area: str = text("批复规模", Kind.AMOUNT, storage="")
    actual_area: str = text("实际规模", Kind.AMOUNT, storage="")
    area_rate: str = text("规模控制率", Kind.RATE, storage="")
    budget_investment: str = text("预算投资", Kind.AMOUNT, storage="")
    actual_investment: str = text("实际投资", Kind.AMOUNT, storage="")
    investment_rate: str = text("投资概算控制率", Kind.RATE, storage="")


@dataclass
class ThriftMeasures:
    """厉行节约保障措施 (one text)."""

    thrift_measures: str = text("厉行节约保障措施", Kind.LONG, storage="")


class BasicPart(StrEnum):
    """The parts of the 基础数据表, named by their key in ``Report.basic_data``."""

    STAFF = "staff"
    EXPENSES = "expenses"  # the only part with many rows
    BUILDINGS = "buildings"
    THRIFT = "thrift_measures"  # a text, not a row


BASIC_PARTS: dict[BasicPart, type] = {
    BasicPart.STAFF: StaffCounts,
    BasicPart.EXPENSES: ExpenseRow,
    BasicPart.BUILDINGS: BuildingControl,
    BasicPart.THRIFT: ThriftMeasures,
}


def basic_part(key: str) -> BasicPart | None:
    """Return the part of the 基础数据表 a column belongs to (None for no such column)."""
    for part, row_type in BASIC_PARTS.items():
        if any(c.key == key for c in declared(row_type)):
            return part
    return None


def basic_rows(data: dict[str, Any], part: BasicPart, default_labels: list[str]) -> list[dict[str, Any]]:
    """Return a part's rows as stored ({column: value}); expenses not yet filled in are the
    template's ``default_labels``, the thrift measures one row of one column."""
    if part == BasicPart.THRIFT:
        return [{BasicPart.THRIFT.value: data.get(part, "")}]
    if part == BasicPart.EXPENSES:
        rows = data.get(part)
        if isinstance(rows, list) and rows:
            return [r if isinstance(r, dict) else {} for r in rows]
        return [{"label": label} for label in default_labels]
    record = data.get(part)
    return [record if isinstance(record, dict) else {}]


OVERALL = "overall"
PROJECT = "project"
FORM_KINDS = (OVERALL, PROJECT)


# The row tables of a form, each a list field of ``Form`` named as its table.
FORM_TABLES = (Table.FUNDS, Table.GOALS, Table.INDICATORS, Table.SCORE_SHEET)
_ROWS_FROM = "_rows_from"  # the instance attribute of a form whose rows are not read yet
# The attribute holding each row table's rows (named as the table): Form.rows looks it up here, where
# comparing with Table's members went through EnumType.__getattr__'s slow path (~1 µs a call; the
# review's counts ask ~280 times a report, the window's grids on every edit).
_ROW_LISTS: dict[str, str] = {t.value: t.value for t in FORM_TABLES}


class RowSource(Protocol):
    """Where the rows of forms read without them come from (the open file: ``repository``)."""

    def load(self, forms: list[Form]) -> None:
        """Give each of ``forms`` its rows (``Form.set_rows``)."""


@dataclass
class Form:
    """One 绩效自评表: its header fields and its tables.

    A window opening a big report reads the forms' headers only; a form's rows are read from the
    file the first time one of its tables is used (``defer_rows``): reading 1,000 projects' 30,000
    rows before the window shows took most of the open (issue 15). Model and file are kept in step by
    every edit, so rows read later are the rows that would have been read at open.
    """

    kind: str
    name: str = text("名称")
    supervisor: str = text("主管部门", headers=("主管部门", "主管单位"))
    implementer: str = text("实施单位", headers=("实施单位", "项目实施单位"))
    # The 一体化 system's project code and the finance bureau's office in charge (issue 16): the
    # review list's 编码 and 业务处室, the 抽评 workbook's file name.
    code: str = text("项目编码", headers=("项目编码", "项目代码"))
    office: str = text("业务处室", headers=("业务处室", "主管处室"))
    # The interchange format keeps these two inside the form's "funds" object.
    fund_unit: str = text("金额单位", default="万元", interchange="unit", interchange_in="funds")
    execution_weight: str = text("执行率分值", Kind.AMOUNT, interchange_in="funds")
    printed_total: str = text("总分", Kind.AMOUNT, editable=False, cleared_next_year=True)
    funds: list[FundRow] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    score_sheet: list[ScoreItem] = field(default_factory=list)
    signoff: Signoff | None = None
    uid: int = 0
    review_flags: list[ReviewFlag] = field(default_factory=list)  # 请核对 left by an import

    def fund(self, key: str) -> FundRow | None:
        for row in self.funds:
            if row.key == key:
                return row
        return None

    def defer_rows(self, source: RowSource) -> None:
        """Leave the row tables unread until first used; ``source`` reads them then."""
        for table in FORM_TABLES:
            self.__dict__.pop(table, None)
        self.__dict__[_ROWS_FROM] = source

    @property
    def rows_pending(self) -> bool:
        """True while the form's rows are not read yet (``defer_rows``)."""
        return _ROWS_FROM in self.__dict__

    def set_rows(self, rows: dict[Table, list[Any]]) -> None:
        """Give a form read without its rows its rows (a table missing from ``rows`` has none)."""
        for table in FORM_TABLES:
            self.__dict__[table] = rows.get(table, [])
        self.__dict__.pop(_ROWS_FROM, None)

    def load_rows(self) -> None:
        """Read the rows now if they were left unread (nothing otherwise)."""
        source = self.__dict__.get(_ROWS_FROM)
        if source is not None:
            source.load([self])

    if not TYPE_CHECKING:  # mypy keeps checking attribute names as if the rows were always there

        def __getattr__(self, name: str) -> Any:
            """Only for an attribute not found: a row table left unread is read now."""
            if name in FORM_TABLES and _ROWS_FROM in self.__dict__:
                self.load_rows()
                return self.__dict__[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        """A copy (``copy.deepcopy``, pickle) has the rows, read first if they were not yet."""
        self.load_rows()
        return self.__dict__

    def rows(self, table: str) -> list[Any]:
        """Return the list behind a table name (KeyError for a table that is not a form's rows)."""
        rows: list[Any] = getattr(self, _ROW_LISTS[table])
        return rows


_PLACES = "_uid_places"  # Report.__dict__ key (no dataclass field: not compared, copied or stored)


@dataclass
class Report:
    """One department's self-evaluation for one year."""

    template: str = required("模板")
    year: int = required("年度", Kind.INTEGER)
    department: str = text("部门", title="部门（单位）")
    signoff: Signoff = field(default_factory=Signoff)
    forms: list[Form] = field(default_factory=list)
    narrative: list[NarrativeSection] = field(default_factory=list)
    basic_data: dict[str, Any] = field(default_factory=dict)
    analysis: dict[str, str] = field(default_factory=dict)  # 汇总分析报告 section key → the user's text

    def load_rows(self) -> None:
        """Read the rows of every form still without them (``Form.defer_rows``), each source once."""
        pending: dict[int, tuple[RowSource, list[Form]]] = {}
        for form in self.forms:
            source = form.__dict__.get(_ROWS_FROM)
            if source is not None:
                pending.setdefault(id(source), (source, []))[1].append(form)
        for source, forms in pending.values():
            source.load(forms)

    @property
    def overall(self) -> Form | None:
        for form in self.forms:
            if form.kind == OVERALL:
                return form
        return None

    @property
    def projects(self) -> list[Form]:
        return [f for f in self.forms if f.kind == PROJECT]

    def form_by_uid(self, uid: int) -> Form:
        """The form ``uid`` (uids are the file's keys: one form each). Looked up where it stood the
        last time (checked: the form there still has that uid); the forms are walked only when forms
        came, went or moved since. An edit asks for its form several times: at 1,000 projects, walking
        them each time was 2 ms of a keystroke in the last project."""
        forms = self.forms
        places: dict[int, int] | None = self.__dict__.get(_PLACES)
        at = places.get(uid) if places is not None else None
        if at is not None and at < len(forms) and forms[at].uid == uid:
            return forms[at]
        places = {}
        for i, form in enumerate(forms):
            places.setdefault(form.uid, i)
        self.__dict__[_PLACES] = places
        at = places.get(uid)
        if at is None:
            raise KeyError(f"no form {uid}")
        return forms[at]

    def has_form(self, uid: int) -> bool:
        """The report holds form ``uid`` (not deleted or undone away); found as ``form_by_uid``."""
        try:
            self.form_by_uid(uid)
        except KeyError:
            return False
        return True

    def position(self, form: Form) -> int:
        """Where ``form`` (this very object) stands in ``forms``. Not ``forms.index``: that compares
        forms field by field, their rows too, which reads every form before it left unread."""
        for i, found in enumerate(self.forms):
            if found is form:
                return i
        raise ValueError(f"form {form.uid} is not in the report")

    def form_by_name(self, name: str) -> Form | None:
        for form in self.forms:
            if form.name == name:
                return form
        return None

    def clone(self) -> Report:
        return copy.deepcopy(self)


# The row tables of a form: their row type and their SQLite table.
ROW_TYPES: dict[Table, type] = {
    Table.FUNDS: FundRow,
    Table.GOALS: Goal,
    Table.INDICATORS: Indicator,
    Table.SCORE_SHEET: ScoreItem,
}
STORAGE_TABLES: dict[Table, str] = {
    Table.FUNDS: "fund_rows",
    Table.GOALS: "goals",
    Table.INDICATORS: "indicators",
    Table.SCORE_SHEET: "score_items",
    Table.NARRATIVE: "narrative",
    Table.HEADER: "forms",
    Table.REPORT: "report",
    Table.REVIEW_FLAGS: "review_flags",
}
ROW_TABLES = tuple(ROW_TYPES)
# The amounts a user types in a funds row (年初预算数, 全年预算数, 全年执行数), in their printed order.
FUND_AMOUNTS = tuple(c.key for c in declared(FundRow) if c.kind == Kind.AMOUNT and c.editable)
# Every stored value of a funds row but its identity (the amounts and the printed rate and score).
FUND_VALUES = tuple(c.key for c in declared(FundRow) if c.kind != Kind.KEY)

# Values a form shows that the program works out; problems may point at them.
# A funds table's printed 分值/执行率/得分 columns are these (the importer reads them by ``headers``).
COMPUTED: dict[Table, tuple[Column, ...]] = {
    Table.FUNDS: (
        Column("rate", Kind.RATE, "执行率", "", "", False, headers=("执行率", "预算执行率", "资金执行率")),
        Column("score", Kind.AMOUNT, "得分", "", "", False, headers=("得分", "自评得分")),
        Column("weight", Kind.AMOUNT, "分值", "", "", False, headers=("分值", "权重")),
    ),
}


@cache  # pure, as declared()
def columns(table: Table | str) -> tuple[Column, ...]:
    """Return the stored columns of a table, in declaration order."""
    t = Table(table)
    if t in ROW_TYPES:
        return declared(ROW_TYPES[t])
    if t == Table.HEADER:
        return declared(Form)
    if t == Table.NARRATIVE:
        return declared(NarrativeSection)
    if t == Table.REPORT:
        return declared(Report) + declared(Signoff)
    if t == Table.BASIC_DATA:
        return tuple(c for row_type in BASIC_PARTS.values() for c in declared(row_type))
    if t == Table.REVIEW_FLAGS:
        return declared(ReviewFlag)
    return ()


def column(table: Table | str, key: str) -> Column | None:
    """Return one column of a table (stored or computed), or None."""
    for c in columns(table) + COMPUTED.get(Table(table), ()):
        if c.key == key:
            return c
    return None


def the(table: Table, key: str) -> Column:
    """Return one column of a table (stored or computed); KeyError when the table has none."""
    found = column(table, key)
    if found is None:
        raise KeyError(f"{table}.{key}")
    return found


def label(table: str, key: str) -> str:
    """Return the Chinese name of a column for messages ("实际完成值"); the key when undeclared."""
    if table not in Table.__members__.values():
        return key
    found = column(table, key)
    if found is None:
        found = next((c for t in Table for c in columns(t) + COMPUTED.get(t, ()) if c.key == key), None)
    return found.label if found is not None else key


def keys(table: Table | str, kind: Kind | None = None) -> tuple[str, ...]:
    """Return the column keys of a table, optionally only those of one kind."""
    return tuple(c.key for c in columns(table) if kind is None or c.kind == kind)


class Keys:
    """The column keys of a table as attributes, checked against the declarations.

    ``IND.level1 == "level1"``; ``IND.levle1`` raises AttributeError. Code that is about one
    particular column names it this way instead of spelling the key as a string, so a renamed or
    removed column fails where it is used, and a search for the column finds its uses.
    """

    def __init__(self, *tables: Table) -> None:
        for t in tables:
            for c in columns(t) + COMPUTED.get(t, ()):
                object.__setattr__(self, c.key, c.key)
        object.__setattr__(self, "_tables", tables)

    def __getattr__(self, name: str) -> str:
        raise AttributeError(f"no column {name!r} in {self.__dict__.get('_tables')}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("column keys are read-only")


FUND = Keys(Table.FUNDS)  # includes the computed rate / score / weight
GOAL = Keys(Table.GOALS)
IND = Keys(Table.INDICATORS)
SCORE = Keys(Table.SCORE_SHEET)
HEAD = Keys(Table.HEADER)
REP = Keys(Table.REPORT)
SECTION = Keys(Table.NARRATIVE)
BASIC = Keys(Table.BASIC_DATA)  # the 基础数据表's columns (their keys are unique across its parts)
FLAG = Keys(Table.REVIEW_FLAGS)  # a 请核对 flag's cell and text


def headed(table: Table, computed: bool = False) -> tuple[Column, ...]:
    """Return the columns of a table a printed header can name (those with header words)."""
    cols = columns(table) + (COMPUTED.get(table, ()) if computed else ())
    return tuple(c for c in cols if c.headers or c.exact_headers)


def cleared_for_next_year(record: Any) -> Any:
    """Return a copy of a record with its ``cleared_next_year`` columns back at their defaults."""
    blank = {
        f.name: (f.default_factory() if f.default_factory is not MISSING else f.default)
        for f in fields(record)
        if (c := column_of(f)) is not None and c.cleared_next_year
    }
    return replace(record, **blank)
