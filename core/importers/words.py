"""Header words and how cells are compared: by their leading words, not by position.

A printed header varies by province and by hand ("年度指标值" / "指标值", "分值" / "权重",
hints in brackets, a leading "*"), so each column is found by the words it starts with.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# column key → words a header cell starts with (checked in this order; first hit wins)
INDICATOR_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标", "一级")),
    ("level2", ("二级指标", "二级")),
    ("level3", ("三级指标", "三级", "指标名称", "绩效指标名称")),
    ("direction", ("计算符号", "运算符号", "比较符号", "指标方向")),
    ("actual", ("实际完成值", "实际完成", "全年实际完成值", "完成值", "实际值", "实际完成情况")),
    (
        "target",
        (
            "年度指标值",
            "指标值",
            "年度目标值",
            "目标值",
            "预期指标值",
            "预期目标值",
            "年度绩效指标值",
            "预期值",
            "指标目标值",
        ),
    ),
    ("unit", ("计量单位", "度量单位", "单位")),
    ("weight", ("分值", "权重", "指标分值", "标准分值")),
    ("review_score", ("财政复核得分", "复核得分")),
    ("deduction", ("扣减分数", "扣分")),
    ("score", ("得分", "自评得分", "指标得分")),
    ("brief", ("完成情况简要描述", "完成情况描述", "简要描述")),
    ("deviation_note", ("偏差原因", "未完成原因", "偏差原因分析", "原因分析", "改进措施")),
    ("nature", ("指标性质",)),
    ("seq", ("序号",)),
)
FUND_HEADERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("initial", ("年初预算数", "年初预算", "年初数", "预算数")),
    ("annual", ("全年预算数", "全年预算", "调整后预算数", "全年数")),
    ("executed", ("全年执行数", "实际支出数", "执行数", "实际执行数", "全年实际支出", "实际支出")),
    ("weight", ("分值",)),
    ("rate", ("执行率",)),
    ("score", ("得分",)),
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
SUPERVISOR_LABELS = ("主管部门", "主管单位")
IMPLEMENTER_LABELS = ("实施单位", "项目实施单位")
GOAL_HEADERS = ("预期目标", "年度目标", "年度总体目标", "总体目标", "绩效目标", "年度绩效目标")
ACHIEVED_HEADERS = ("实际完成情况", "目标实际完成情况", "完成情况", "实际完成", "全年实际完成情况")
STOP_WORDS = ("总分", "合计", "总计", "自评总分", "得分合计")
SIGNOFF_WORDS = ("填表人", "填报人", "联系电话", "填报日期", "单位负责人")
SCORE_SHEET_HEADERS = ("指标分值", "指标解释", "评价要点", "评分标准", "评分要点")


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


@lru_cache(maxsize=1 << 14)
def indicator_column(text: str) -> str | None:
    """Return the indicator column key a header cell names, or None."""
    if not text:
        return None
    b = bare(text)
    if len(b) > 40:
        return None
    for key, words in INDICATOR_HEADERS:
        for w in words:
            if b.startswith(norm(w)):
                if key == "unit" and w == "单位" and b != "单位":
                    continue
                if key == "deduction" and w == "扣分" and b not in ("扣分", "扣分值"):
                    continue
                return key
    return None


@lru_cache(maxsize=1 << 14)
def fund_column(text: str) -> str | None:
    if not text:
        return None
    b = bare(text)
    if len(b) > 20:
        return None
    for key, words in FUND_HEADERS:
        if any(b.startswith(norm(w)) for w in words):
            return key
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
