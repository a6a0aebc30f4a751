"""Header words and how cells are compared: by their leading words, not by position.

A printed header varies by province and by hand ("年度指标值" / "指标值", "分值" / "权重",
hints in brackets, a leading "*"), so each column is found by the words it starts with.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from core import schema
from core.schema import GOAL, Column, Table

# Column → words a header cell starts with: the schema's ``headers`` of each column (in declaration
# order; first hit wins), plus two the importer reads that no table stores.
INDICATOR_EXTRA: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nature", ("指标性质",)),
    ("seq", ("序号",)),
    # a batch export's indicator list of several projects: the project each row belongs to
    ("project_name", ("项目名称",)),
    ("project_code", ("项目编码", "项目代码")),
)
NAME_LABELS: tuple[tuple[str, str], ...] = (
    ("项目名称", "project"),
    ("部门(单位)名称", "overall"),
    ("部门名称", "overall"),
    ("单位名称", "overall"),
    ("预算部门、单位名称", "overall"),
    ("预算部门名称", "overall"),
    ("预算单位名称", "overall"),
    ("预算部门", "overall"),
)
# A form's header fields a label cell names, the value in the next cell to its right: 主管部门,
# 实施单位, 项目编码, 业务处室 … (the schema's header columns with header words; the name has its own).
HEADER_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (c.key, c.headers) for c in schema.headed(Table.HEADER)
)
ALL_HEADER_LABELS = tuple(w for _key, words in HEADER_LABELS for w in words)
GOAL_HEADERS = schema.the(Table.GOALS, GOAL.goal).headers
ACHIEVED_HEADERS = schema.the(Table.GOALS, GOAL.achieved).headers
STOP_WORDS = ("总分", "合计", "总计", "自评总分", "得分合计")
SIGNOFF_WORDS = ("填表人", "填报人", "联系电话", "填报日期", "单位负责人")
SCORE_SHEET_HEADERS = ("指标分值", "指标解释", "评价要点", "评分标准", "评分要点")


# Pure-value caches: a header or label text in, its folded form or meaning out, from the schema's fixed
# words (no template, no report), so they may be shared by the whole process.
@lru_cache(maxsize=1 << 14)
def norm(text: str) -> str:
    """Fold full-width forms, drop spaces, stars and colons: the text as compared."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"[\s*:：]", "", t)
    return t


@lru_cache(maxsize=1 << 14)
def bare(text: str) -> str:
    """``norm`` without bracketed hints: "*实际完成值(定量填数字…)" → "实际完成值"."""
    t = norm(text)
    t = re.sub(r"\([^()]*\)", "", t)
    t = re.sub(r"\([^()]*\)", "", t)
    return t


def name_key(text: str) -> str:
    """How project names are matched: spaces, brackets, quotes and 全角/半角 ignored."""
    t = norm(text)
    return re.sub(r"[()\[\]【】〔〕\"'“”‘’《》<>、,.，。;；·\-—_]", "", t)


@lru_cache(maxsize=1 << 16)
def starts(text: str, words: tuple[str, ...]) -> bool:
    b = bare(text)
    return any(b.startswith(norm(w)) for w in words)


def _names(column: Column, b: str) -> bool:
    return any(b.startswith(norm(w)) for w in column.headers) or any(
        b == norm(w) for w in column.exact_headers
    )


# Titles that start like a column's words but are something else: 重庆's 得分系数(%) is a share of the
# weight (read on its own: ``COEFFICIENT``), not the score; a 得分率 likewise. Never read as 得分.
ADJUSTED = "adjusted_target"  # (the importer's own key: becomes 年度指标值, see recognise)
NOT_INDICATOR_COLUMNS = ("得分系数", "得分率", "分值说明", "得分说明")
# A column about a value's column (一体化 申报表 exports print 指标值说明 beside 指标值): not that column.
ABOUT_A_VALUE = (
    schema.IND.level1,
    schema.IND.level2,
    schema.IND.level3,
    schema.IND.target,
    schema.IND.weight,
    schema.IND.score,
)
ABOUT_WORDS = ("说明", "解释", "依据", "来源", "口径")
COEFFICIENT = ("得分系数",)
# 重庆 and 山西 print the target as set in spring and as adjusted during the year side by side: the
# adjusted one is the year's target (read as 年度指标值); the first is read only when it stands alone.
ADJUSTED_TARGET = ("调整后指标值", "调整指标值", "调整后年度指标值", "调整后目标值", "调整目标值")
INITIAL_TARGET = ("年初指标值", "原指标值", "年初目标值", "原年度指标值")


@lru_cache(maxsize=1 << 14)
def indicator_column(text: str) -> str | None:
    """Return the indicator column key a header cell names, or None."""
    if not text:
        return None
    b = bare(text)
    if len(b) > 40 or b.startswith(NOT_INDICATOR_COLUMNS):
        return None
    if b.startswith(ADJUSTED_TARGET):
        return ADJUSTED
    if b.startswith(INITIAL_TARGET):
        return schema.IND.target
    for column in schema.headed(Table.INDICATORS):
        if _names(column, b):
            if column.key in ABOUT_A_VALUE and b.endswith(ABOUT_WORDS):
                return None  # 指标值说明, 目标值设定依据: a note on the column, not the column
            return column.key
    for key, words in INDICATOR_EXTRA:
        if any(b.startswith(norm(w)) for w in words):
            return key
    return None


@lru_cache(maxsize=1 << 14)
def fund_column(text: str) -> str | None:
    """Return the funds column a header cell names (年初预算数 … and the printed 分值/执行率/得分)."""
    if not text:
        return None
    b = bare(text)
    if len(b) > 20:
        return None
    for column in schema.headed(Table.FUNDS, computed=True):
        if _names(column, b):
            return column.key
    return None


@lru_cache(maxsize=1 << 14)
def name_label(text: str) -> str | None:
    """Return the form kind a name label implies ("项目名称" → project), or None."""
    b = bare(text)
    if not b or len(b) > 14:
        return None
    for word, kind in NAME_LABELS:
        if b == norm(word) or (b.startswith(norm(word)) and len(b) <= len(norm(word)) + 3):
            return kind
    return None
