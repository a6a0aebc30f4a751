"""Reading 年度指标值 (targets) and 实际完成值 (actuals) as people really write them.

``parse_value`` turns a cell into a :class:`Value`; ``compare`` decides whether an actual meets
its target.  Plain stdlib, ``Decimal`` only, and neither function raises on any input.

Decisions on ambiguous writing (see also the tests):

* ``年底`` is month 12.  A DATE target without a comparator is a deadline (read as ``≤``);
  ``前``/``以前``/``之前``/``以内`` after a date give ``≤`` ("by", not "strictly before").
* ``N月`` with an integer 1 ≤ N ≤ 12 is a DATE (``≤12月``); other ``N月`` are NUMBERs in 月.
  Durations are written ``N个月`` and keep the unit ``个月``.
* ``万``/``亿`` not followed by ``元`` multiply the number (``2万余人次`` → 20000 人次);
  ``万元``/``亿元`` stay units and are converted only when comparing.
* ``余``/``多``/``左右`` (approximate) are dropped: ``200余人`` is NUMBER 200 人, no direction.
* A value with a second number or a long lead-in (``126个党支部拨付党建经费55.88万元``) is TEXT.
* 期, 次, 场, 批次 … are all family "times"; 人 and 人次 are compatible; 户 and 人 are not;
  time units compare only with the same unit (天≈日), as they are not converted.
* An explicit ``direction`` argument to ``compare`` wins over the target's own comparator.
* Two different qualitative words ending in the same two-character head word
  (``中长期保障`` / ``有效保障``) count as MET; otherwise unrelated words are UNKNOWN.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache, lru_cache

from core.frozen import quick_init


class Kind(StrEnum):
    EMPTY = "empty"
    NUMBER = "number"
    RANGE = "range"
    DATE = "date"
    QUALITATIVE = "qualitative"
    TEXT = "text"


class Attainment(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


# Members as module names for the parse and compare paths: ``Kind.NUMBER`` is a look-up through the
# enum class (~0.15 µs on Python 3.11, a module name ~0.01), and comparing one row made a dozen.
_EMPTY, _NUMBER, _RANGE, _DATE, _QUALITATIVE, _TEXT = (
    Kind.EMPTY,
    Kind.NUMBER,
    Kind.RANGE,
    Kind.DATE,
    Kind.QUALITATIVE,
    Kind.TEXT,
)
_MET, _NOT_MET, _UNKNOWN = Attainment.MET, Attainment.NOT_MET, Attainment.UNKNOWN
_NUMBERS, _RANGE_NUMBER, _DATES, _WORDS = (
    (_NUMBER, _NUMBER),
    (_RANGE, _NUMBER),
    (_DATE, _DATE),
    (_QUALITATIVE,) * 2,
)


def _num_str(number: Decimal) -> str:
    return format(number, "f")


@quick_init
@dataclass(frozen=True)
class Value:
    """A target or actual as written, read: its kind, direction (≥/≤…), number(s) and unit."""

    text: str
    kind: Kind
    direction: str | None = None
    number: Decimal | None = None
    upper: Decimal | None = None
    unit: str = ""
    year: int | None = None
    qualifier: str = ""
    word: str = ""

    def display(self) -> str:
        """Canonical printed form; ``parse_value(v.display())`` reads the same as ``v``."""
        if self.kind is Kind.NUMBER and self.number is not None:
            return f"{self.qualifier}{self.direction or ''}{_num_str(self.number)}{self.unit}"
        if self.kind is Kind.RANGE and self.number is not None and self.upper is not None:
            if self.number < 0 and self.number == -self.upper:  # a band around 0: "±10%"
                return f"{self.qualifier}±{_num_str(self.upper)}{self.unit}"
            low = _num_str(self.number) + (self.unit if self.unit == "%" else "")
            return f"{self.qualifier}{low}-{_num_str(self.upper)}{self.unit}"
        if self.kind is Kind.DATE:
            year = f"{self.year}年" if self.year is not None else ""
            month = f"{self.number}月" if self.number is not None else ""
            return f"{self.direction or ''}{year}{month}"
        if self.kind is Kind.QUALITATIVE:
            return self.word
        return self.text.strip()


@quick_init
@dataclass(frozen=True)
class Comparison:
    """An actual compared with its target: attainment, ratio, deviation and why."""

    attainment: Attainment
    ratio: Decimal | None
    unit_mismatch: bool
    deviation: Decimal | None
    explanation: str


# --------------------------------------------------------------------------- vocabulary

_EMPTY_MARKS = frozenset({"", "—", "——", "-", "--", "–", "/", "\\", "无", "空", "N/A", "n/a"})
_SYMBOLS = (
    ("≥=", "≥"),
    ("≤=", "≤"),
    (">=", "≥"),
    ("=>", "≥"),
    ("<=", "≤"),
    ("=<", "≤"),
    ("==", "="),
    ("≧", "≥"),
    ("≦", "≤"),
    ("⩾", "≥"),
    ("⩽", "≤"),
    ("〜", "~"),
)
_PREFIX_WORDS = {
    "大于等于": "≥",
    "小于等于": "≤",
    "大于或等于": "≥",
    "小于或等于": "≤",
    "不低于": "≥",
    "不高于": "≤",
    "不少于": "≥",
    "不多于": "≤",
    "不超过": "≤",
    "不大于": "≤",
    "不小于": "≥",
    "达到": "≥",
    "至少": "≥",
    "控制在": "≤",
    "低于": "<",
    "小于": "<",
    "高于": ">",
    "大于": ">",
    "超过": ">",
    "等于": "=",
    "≥": "≥",
    "≤": "≤",
    "=": "=",
    ">": ">",
    "<": "<",
}
_TRAILING_WORDS = {
    "及以上": "≥",
    "以上": "≥",
    "及以下": "≤",
    "以下": "≤",
    "以内": "≤",
    "之内": "≤",
    "内": "≤",  # "3个工作日内"
    "左右": "",
    "完成": "",  # "100%完成"
}
_KNOWN_QUALIFIERS = frozenset(
    {
        "人均",
        "年均",
        "户均",
        "月均",
        "日均",
        "平均",
        "每人",
        "每年",
        "每月",
        "每次",
        "每期",
        "累计",
        "合计",
        "共",
        "共计",
        "约",
        "全年",
    }
)
_UNIT_ALIASES = {
    "百分比": "%",
    "百分点": "%",
    "平米": "平方米",
    "㎡": "平方米",
    "m2": "平方米",
    "km": "公里",
    "千米": "公里",
    "人(次)": "人次",
    "人/次": "人次",
    "元钱": "元",
}
_FAMILIES = {
    "person": ("人", "名", "位"),
    "person-times": ("人次",),
    "household": ("户",),
    "money": ("元", "千元", "万元", "亿元"),
    "percent": ("%",),
    "count": ("个", "项", "家", "所", "类", "部", "台", "套", "件", "处", "座", "支", "村"),
    "times": ("次", "期", "场", "批次", "批", "轮", "班", "班次", "届"),
    "time": ("天", "日", "月", "个月", "年", "小时", "周", "分钟"),
    "area": ("平方米", "亩", "公顷"),
    "length": ("公里", "米"),
    "book": ("册", "本", "篇"),
}
_FAMILY_OF = {unit: family for family, units in _FAMILIES.items() for unit in units}
_MULTIPLIERS = {
    "万": Decimal(10000),  # a bare "150万": 万 of whatever the other side counts
    "亿": Decimal(100000000),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "亿元": Decimal(100000000),
    "公里": Decimal(1000),
}
_BARE = frozenset({"万", "亿"})  # "150万" with no unit after it
_COMMON = {"千元": "元", "万元": "元", "亿元": "元", "公里": "米", "日": "天", "名": "人", "位": "人"}
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

QUALITATIVE_WORDS = frozenset(
    {
        "优",
        "良",
        "中",
        "差",
        "高",
        "较高",
        "好",
        "较好",
        "一般",
        "低",
        "及时",
        "达成",
        "部分达成",
        "未达成",
        "合格",
        "考核合格",
        "合理",
        "合规",
        "健全",
        "全面",
        "有效保障",
        "显著提升",
        "不断提升",
        "持续保障",
        "定性",
        "优秀单位",
        "平安单位",
        "进一步提升",
        "运行顺畅",
        "按时完成",
        "畅通",
        "进一步增强",
        "进一步发挥",
        "进一步满足",
        "进一步完善",
        "进一步优化",
        "全面发展",
        "纳入培训内容",
        "各项工作有序开展",
        "不高于一般标准",
        "中长期保障",
        "持续稳步提升",
        "稳步提升",
        "不断增强",
        "持续保证",
        "满意",
        "非常满意",
        "基本满意",
    }
)
_GRADE_PREFIXES = (
    ("未达成", "未达成"),
    ("未达到", "未达成"),
    ("部分达成", "部分达成"),
    ("基本达成", "部分达成"),
    ("达成", "达成"),
)
_SCALES = (
    ("优", "良", "中", "差"),
    ("高", "较高", "一般", "较低", "低"),
    ("好", "较好", "一般", "较差", "差"),
    ("非常满意", "满意", "基本满意", "不满意"),
)
_POSITIVE = frozenset(
    {"达成", "优", "合格", "达标", "完成", "已完成", "全部完成", "按时完成", "满意", "非常满意"}
)
_NEGATIVE = frozenset({"部分达成", "差", "较差", "不合格", "不达标", "不满意", "无效"})

# --------------------------------------------------------------------------- patterns

_NUM = r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+"
_CMP = "|".join(sorted((re.escape(w) for w in _PREFIX_WORDS), key=len, reverse=True))
_TRAIL = "|".join(sorted(_TRAILING_WORDS, key=len, reverse=True))
_NUMBER_RE = re.compile(
    rf"(?P<qual>[^\d]*?)(?P<cmp>{_CMP})?(?:(?P<num>{_NUM})|(?P<cn>[一二两三四五六七八九十]{{1,3}}))"
    rf"(?P<mult>[万亿](?!元))?(?P<approx>余|多)?(?P<unit>[^\d]*?)(?P<trail>{_TRAIL})?"
)
_RANGE_RE = re.compile(
    rf"(?P<qual>[^\d]*?)(?P<lo>{_NUM})(?P<u1>[^\d~至到—-]*)"
    rf"(?:-|~|—|至|到)(?P<hi>{_NUM})(?P<u2>[^\d]*)"
)
_DATE_RE = re.compile(
    r"(?P<cmp>[≥≤=<>])?(?:在|于)?(?:(?P<year>\d{4})年度?)?"
    r"(?:(?P<month>\d{1,2})月份?(?:(?P<day>\d{1,2})[日号])?|(?P<end>年?底|年?末))?"
    r"(?P<suf>底前|底|末|以前|之前|前|以内|内|上旬|中旬|下旬|初)?(?P<tail>.{0,8})"
)
_UNIT_RE = re.compile(
    r"(?:(?![余多]|[万亿](?!元))[A-Za-z%\u4e00-\u9fff]{1,6}(?:\([\u4e00-\u9fff]{1,2}\))?"
    r"(?:/[A-Za-z\u4e00-\u9fff]{1,4})?)?"
)
_GRADE_PAREN_RE = re.compile(r"(优秀|优|良好|良|中|差|较高|高|较好|好|一般|低)\(")
_MAX_LEN = 200
# The common shape "≥123人次" / "96.5%" / "≤5万元": already clean, one plain number, a simple unit
# that cannot start a date (no 年/月).  Such a cell reads exactly as the full parser reads it.
_FAST_UNITS = frozenset(u for u in (*_FAMILY_OF, "%", "") if "年" not in u and "月" not in u)
_FAST_RE = re.compile(r"([≥≤=<>]?)(\d+(?:\.\d+)?)([^\d.]*)")


# --------------------------------------------------------------------------- helpers


def _clean(text: str) -> str:
    """NFKC (full-width → ASCII), comparator glyphs unified, all whitespace removed; idempotent."""
    cleaned, previous = text, None
    while previous != cleaned:  # until stable: "<==" → "≤=" → "≤"; NFKC after removing spaces
        previous = cleaned
        cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cleaned))
        for old, new in _SYMBOLS:
            cleaned = cleaned.replace(old, new)
    return cleaned.rstrip("。.;；,，、")


def _decimal(written: str) -> Decimal | None:
    try:
        return Decimal(written.replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def _cn_int(word: str) -> int | None:
    """一…九十九 (also 两) as an int; None for anything else."""
    if word in _CN_DIGITS:
        return _CN_DIGITS[word]
    match = re.fullmatch(r"([一二两三四五六七八九])?十([一二三四五六七八九])?", word)
    if match is None:
        return None
    tens = _CN_DIGITS[match.group(1)] if match.group(1) else 1
    return tens * 10 + (_CN_DIGITS[match.group(2)] if match.group(2) else 0)


def _div(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    try:
        return numerator / denominator
    except ArithmeticError:
        return None


# The lru_caches below are of pure values (a unit or cell text in, its parsed value out): no template
# or report changes what they return, so they may be shared by the whole process.
@lru_cache(maxsize=1024)
def normalise_unit(unit: str) -> str:
    """Canonical unit: full-width folded, spaces dropped, aliases (百分比 → %) applied."""
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", unit or ""))
    if cleaned in _UNIT_ALIASES:
        return _UNIT_ALIASES[cleaned]
    if "/" in cleaned:
        head, _, tail = cleaned.partition("/")
        return f"{normalise_unit(head)}/{normalise_unit(tail)}"
    cleaned = cleaned.replace("(", "").replace(")", "")
    return _UNIT_ALIASES.get(cleaned, cleaned)


@lru_cache(maxsize=1024)
def unit_family(unit: str) -> str:
    """Family of a unit (person, money, times, …); compound units give ``fam/fam``."""
    cleaned = normalise_unit(unit)
    if "/" in cleaned:
        head, _, tail = cleaned.partition("/")
        return f"{unit_family(head)}/{unit_family(tail)}"
    return _FAMILY_OF.get(cleaned, cleaned)


def _simple_compatible(target: str, actual: str) -> bool:
    if not target or not actual or target == actual or target in _BARE or actual in _BARE:
        return True
    if _COMMON.get(target, target) == _COMMON.get(actual, actual):
        return True
    families = {unit_family(target), unit_family(actual)}
    if families <= {"person", "person-times"}:
        return True
    return len(families) == 1 and families.pop() not in ("time", "length", "area")


@lru_cache(maxsize=4096)
def units_compatible(target_unit: str, actual_unit: str) -> bool:
    """True when the two units can be compared (possibly after ``to_common_unit``)."""
    target, actual = normalise_unit(target_unit), normalise_unit(actual_unit)
    t_head, _, t_tail = target.partition("/")
    a_head, _, a_tail = actual.partition("/")
    if not _simple_compatible(t_head, a_head):
        return False
    return not (t_tail and a_tail) or _simple_compatible(t_tail, a_tail)


def to_common_unit(number: Decimal, unit: str) -> Decimal:
    """Scale to the family's base unit: 万元 → 元 ×10000, 亿元 ×1e8, 千元, 公里 → 米."""
    try:
        return number * _multiplier(unit)
    except ArithmeticError:
        return number


@lru_cache(maxsize=1024)
def _multiplier(unit: str) -> Decimal:
    return _MULTIPLIERS.get(normalise_unit(unit).partition("/")[0], Decimal(1))


# --------------------------------------------------------------------------- parsing


def _direction_of(word: str | None) -> str | None:
    if not word:
        return None
    return _PREFIX_WORDS.get(word) or _TRAILING_WORDS.get(word) or None


def _grade_word(word: str) -> str:
    for prefix, grade in _GRADE_PREFIXES:
        if word.startswith(prefix):
            return grade
    return {"优秀": "优", "良好": "良"}.get(word, word)


def _unit_ok(unit: str, chinese_number: bool) -> bool:
    if not _UNIT_RE.fullmatch(unit):
        return False
    return not chinese_number or unit_family(unit) in _FAMILIES


def _number_of(match: re.Match[str]) -> Decimal | None:
    if match.group("num") is not None:
        number = _decimal(match.group("num"))
    else:
        as_int = _cn_int(match.group("cn"))
        number = None if as_int is None else Decimal(as_int)
    if number is None or not match.group("mult"):
        return number
    return number * (Decimal(10000) if match.group("mult") == "万" else Decimal(100000000))


def _qualifier_ok(qualifier: str, has_comparator: bool) -> bool:
    if not qualifier:
        return True
    if not re.fullmatch(r"[\u4e00-\u9fff]{1,6}", qualifier):
        return False
    return has_comparator or qualifier in _KNOWN_QUALIFIERS


def _parse_number(text: str, cleaned: str) -> Value | None:
    match = _NUMBER_RE.fullmatch(cleaned)
    if match is None or not _qualifier_ok(match.group("qual"), bool(match.group("cmp"))):
        return None
    unit = normalise_unit(match.group("unit"))
    number = _number_of(match)
    raw_ok = _UNIT_RE.fullmatch(match.group("unit")) is not None
    if number is None or not raw_ok or not _unit_ok(unit, match.group("cn") is not None):
        return None
    direction = _direction_of(match.group("cmp")) or _direction_of(match.group("trail"))
    if match.group("mult") and not unit:  # "150万": keep the 万 as written (150 万), not 1500000
        unit = match.group("mult")
        number = number / _MULTIPLIERS[unit]
    return Value(text, Kind.NUMBER, direction, number, None, unit, None, match.group("qual"))


def _parse_range(text: str, cleaned: str) -> Value | None:
    match = _RANGE_RE.fullmatch(cleaned)
    if match is None or not _qualifier_ok(match.group("qual"), False):
        return None
    first, second = normalise_unit(match.group("u1")), normalise_unit(match.group("u2"))
    if first and second and first != second:
        return None
    unit = second or first
    low, high = _decimal(match.group("lo")), _decimal(match.group("hi"))
    if low is None or high is None or not _UNIT_RE.fullmatch(unit) or low > high:
        return None
    return Value(text, Kind.RANGE, None, low, high, unit, None, match.group("qual"))


_PLUS_MINUS = (
    rf"(?P<qual>[\u4e00-\u9fff]{{0,6}}?)(?:≤)?(?:(?P<mid>{_NUM})(?P<u1>%|[\u4e00-\u9fff]{{1,3}})?)?"
    rf"(?:±|\+/?-)(?P<num>{_NUM})(?P<unit>%|[\u4e00-\u9fff]{{1,3}}?)?(?:以内|之内|内)?"
)


@cache
def _plus_minus_re() -> re.Pattern[str]:
    """Compiled when a ± first appears, not at import: its three CJK ranges take 3 ms to compile, and
    the window's first paint rarely shows a ±."""
    return re.compile(_PLUS_MINUS)


def _parse_plus_minus(text: str, cleaned: str) -> Value | None:
    """``±10%`` (a band around 0: 偏差率), ``10%±2%`` (8 %–12 %), ``≤±5%``, ``偏差±5%以内``: a RANGE."""
    if "±" not in cleaned and "+/-" not in cleaned and "+-" not in cleaned:
        return None
    match = _plus_minus_re().fullmatch(cleaned)
    if match is None:
        return None
    width = _decimal(match.group("num"))
    unit = normalise_unit(match.group("unit") or match.group("u1") or "")
    first = normalise_unit(match.group("u1") or "")
    if width is None or width < 0 or (first and unit and first != unit) or not _UNIT_RE.fullmatch(unit):
        return None
    middle = _decimal(match.group("mid")) if match.group("mid") else Decimal(0)
    if middle is None:
        return None
    qualifier = match.group("qual")
    return Value(text, Kind.RANGE, None, middle - width, middle + width, unit, None, qualifier)


def _parse_date(text: str, cleaned: str) -> Value | None:
    match = _DATE_RE.fullmatch(cleaned)
    if match is None or not (match.group("year") or match.group("month") or match.group("end")):
        return None
    if match.group("end") and not (match.group("year") or match.group("end")[0] == "年"):
        return None
    month = 12 if match.group("end") else None
    if match.group("month"):
        month = int(match.group("month"))
        if not 1 <= month <= 12:
            return None
    tail = match.group("tail")
    if tail and (re.match(r"[\d.%]", tail) or (month is None and not match.group("suf"))):
        return None
    direction = match.group("cmp")
    if direction is None and match.group("suf") in ("底前", "以前", "之前", "前", "以内", "内"):
        direction = "≤"
    if direction is None and re.match(r"(?:之|以)?前|以内|之内", tail or ""):  # "12月底之前完成"
        direction = "≤"
    year = int(match.group("year")) if match.group("year") else None
    number = Decimal(month) if month is not None else None
    return Value(text, Kind.DATE, direction, number, None, "", year)


def _parse_grade_paren(text: str, cleaned: str) -> Value | None:
    """``优（党员干部向心力提升）``: a grade followed by an explanation (numbers allowed)."""
    paren = _GRADE_PAREN_RE.match(cleaned)
    if paren is None:
        return None
    return Value(text, Kind.QUALITATIVE, word=_grade_word(paren.group(1)))


def _is_letter(char: str) -> bool:
    """A Latin letter or a CJK ideograph (``[A-Za-z\u4e00-\u9fff]``, a class that takes 2 ms to compile)."""
    return "\u4e00" <= char <= "\u9fff" or ("a" <= char <= "z") or ("A" <= char <= "Z")


def _parse_words(text: str, cleaned: str) -> Value | None:
    if re.search(r"\d", cleaned) or not any(_is_letter(c) for c in cleaned):
        return None
    word = _grade_word(cleaned)
    if len(cleaned) <= 12 or word != cleaned or cleaned in QUALITATIVE_WORDS:
        return Value(text, Kind.QUALITATIVE, word=word)
    return None


def number_parts(text: str) -> tuple[str | None, Decimal, str] | None:
    """(direction, number, unit) of a cell in the common shapes ("≥123人次", "96.5%", "≤5万元"): the
    NUMBER ``parse_value`` reads of it, whose other fields are their defaults; None for any other
    text (which may still be a NUMBER, read by the general readers)."""
    match = _FAST_RE.fullmatch(text) if len(text) <= _MAX_LEN else None
    if match is None:
        return None
    comparator, number, unit = match.groups()
    if unit not in _FAST_UNITS:
        return None
    return comparator or None, Decimal(number), unit


def _parse_fast(text: str) -> Value | None:
    """The common shapes without the general machinery; None when the text is anything else."""
    parts = number_parts(text)
    if parts is None:
        return None
    return Value(text, _NUMBER, parts[0], parts[1], None, parts[2])


def _parse_full(text: str) -> Value:
    cleaned = _clean(text)
    if cleaned in _EMPTY_MARKS:
        return Value(text, _EMPTY)
    if len(cleaned) > _MAX_LEN:
        return Value(text, _TEXT)
    for reader in (
        _parse_grade_paren,
        _parse_plus_minus,
        _parse_date,
        _parse_range,
        _parse_number,
        _parse_words,
    ):
        value = reader(text, cleaned)
        if value is not None and not _reads_as_date(value):
            return value
    return Value(text, _TEXT)


def _reads_as_date(value: Value) -> bool:
    """A NUMBER/RANGE whose canonical form would read as a date ("1月K") is not trusted."""
    if value.kind not in (_NUMBER, _RANGE):
        return False
    shown = value.display()
    return _parse_date(shown, shown) is not None


def parse_value(text: str | None) -> Value:
    """Read one 年度指标值 / 实际完成值 cell.  Never raises."""
    raw = text if isinstance(text, str) else ""
    try:
        return _parse_fast(raw) or _parse_full(raw)
    except (ArithmeticError, ValueError, RecursionError):  # defensive: must never raise
        return Value(raw, _TEXT)


# --------------------------------------------------------------------------- comparing

_KIND_NAMES = {
    Kind.EMPTY: "空",
    Kind.NUMBER: "数值",
    Kind.RANGE: "区间",
    Kind.DATE: "日期",
    Kind.QUALITATIVE: "定性",
    Kind.TEXT: "文字",
}
_NEGATED = {"≥": "<", ">": "≤", "≤": ">", "<": "≥", "=": "≠"}
_DIRECTION_WORDS = {"正向": "≥", "反向": "≤", "≥": "≥", "≤": "≤", "=": "=", ">": ">", "<": "<"}


def _result(
    attainment: Attainment,
    explanation: str,
    ratio: Decimal | None = None,
    deviation: Decimal | None = None,
    mismatch: bool = False,
) -> Comparison:
    return Comparison(attainment, ratio, mismatch, deviation, explanation)


@lru_cache(maxsize=256)  # pure: a direction cell's text in (a handful of them), its symbol out
def _normalise_direction(direction: str | None) -> str | None:
    if not direction:
        return None
    cleaned = _clean(direction)
    return _DIRECTION_WORDS.get(cleaned) or _direction_of(cleaned)


def _holds(direction: str, actual: Decimal, target: Decimal) -> bool:
    if direction == "≥":
        return actual >= target
    if direction == ">":
        return actual > target
    if direction == "≤":
        return actual <= target
    if direction == "<":
        return actual < target
    return actual == target or (target == 0 and actual <= 0)


def _ratio(direction: str, actual: Decimal, target: Decimal) -> Decimal | None:
    if direction in ("≤", "<"):
        return _div(target, actual)
    return _div(actual, target)


def _amount(value: Value) -> str:
    return f"{value.qualifier}{_num_str(value.number or Decimal(0))}{value.unit}"


def _compare_numbers(target: Value, actual: Value, direction: str | None, text: bool = True) -> Comparison:
    # scoring.number_facts decides two numbers as this does (in one step with the score): change both
    if not units_compatible(target.unit, actual.unit):
        return _result(_UNKNOWN, f"目标单位为“{target.unit}”，实际为“{actual.unit}”", mismatch=True)
    goal = to_common_unit(target.number or Decimal(0), target.unit)
    done = to_common_unit(actual.number or Decimal(0), actual.unit)
    deviation = _div(done - goal, goal)
    if direction is None:
        if done == goal:
            said = f"实际 {_amount(actual)} = 目标 {_amount(target)}" if text else ""
            return _result(_MET, said, Decimal(1), deviation)
        return _result(_UNKNOWN, "目标未写比较方向（≥、≤ 或 =），需人工确认", None, deviation)
    met = _holds(direction, done, goal)
    symbol = direction if met else _NEGATED[direction]
    return _result(
        _MET if met else _NOT_MET,
        f"实际 {_amount(actual)} {symbol} 目标 {_amount(target)}" if text else "",
        _ratio(direction, done, goal),
        deviation,
    )


def _compare_range(target: Value, actual: Value, text: bool = True) -> Comparison:
    if not units_compatible(target.unit, actual.unit):
        return _result(_UNKNOWN, f"目标单位为“{target.unit}”，实际为“{actual.unit}”", mismatch=True)
    low, high = target.number or Decimal(0), target.upper or Decimal(0)
    done = actual.number or Decimal(0)
    met = low <= done <= high
    where = "在" if met else "不在"
    return _result(
        _MET if met else _NOT_MET,
        f"实际 {_amount(actual)} {where}目标区间 {target.display()} 内" if text else "",
        _div(done, low),
        _div(done - low, low),
    )


def _date_keys(target: Value, actual: Value) -> tuple[Decimal, Decimal] | None:
    """(actual, target) as comparable numbers: months since year 0, or months, or years."""
    if target.year is not None and actual.year is not None:
        if actual.number is None:
            if actual.year == target.year:
                return None
            return Decimal(actual.year), Decimal(target.year)
        goal_month = target.number if target.number is not None else Decimal(12)
        return Decimal(actual.year) * 12 + actual.number, Decimal(target.year) * 12 + goal_month
    if target.number is None or actual.number is None:
        return None
    return actual.number, target.number


def _compare_dates(target: Value, actual: Value, direction: str | None, text: bool = True) -> Comparison:
    keys = _date_keys(target, actual)
    if keys is None:
        return _result(_UNKNOWN, "日期缺少年份或月份，需人工确认")
    met = _holds(direction or "≤", keys[0], keys[1])
    word = "符合" if met else "不符合"
    return _result(
        _MET if met else _NOT_MET,
        f"实际 {actual.display()} {word}目标时间 {target.display()}" if text else "",
    )


def _scale_rank(target: str, actual: str) -> tuple[int, int] | None:
    for scale in _SCALES:
        if target in scale and actual in scale:
            return scale.index(target), scale.index(actual)
    return None


def _is_positive(word: str) -> bool:
    return word in _POSITIVE or "优秀" in word or (("合格" in word or "达标" in word) and "不" not in word)


def _is_negative(word: str) -> bool:
    return word in _NEGATIVE or word.startswith("未")


def _compare_words(target: Value, actual: Value) -> Comparison:
    goal, done = target.word, actual.word
    if goal == done:
        return _result(_MET, f"实际值与目标一致（{done}）")
    if _is_negative(done):
        return _result(_NOT_MET, f"实际“{done}”未达到目标“{goal}”")
    ranks = _scale_rank(goal, done)
    if ranks is not None:
        met = ranks[1] <= ranks[0]
        return _result(
            _MET if met else _NOT_MET,
            f"实际“{done}”{'不低于' if met else '低于'}目标“{goal}”",
        )
    if goal == "定性" or _is_positive(done):
        return _result(_MET, f"实际“{done}”为肯定评价")
    if goal in done or done in goal or done in _clean(target.text):
        return _result(_MET, f"实际“{done}”与目标“{goal}”相符")
    if len(goal) >= 3 and len(done) >= 3 and goal[-2:] == done[-2:]:
        return _result(_MET, f"实际“{done}”与目标“{goal}”同为“{goal[-2:]}”")
    return _result(_UNKNOWN, f"实际“{done}”与目标“{goal}”不同，需人工确认")


def _compare(target: Value, actual: Value, direction: str | None, text: bool = True) -> Comparison:
    if target.kind is _EMPTY:
        return _result(_UNKNOWN, "年度指标值为空")
    if actual.kind is _EMPTY:
        return _result(_UNKNOWN, "实际完成值为空")
    rule = _normalise_direction(direction) or target.direction
    pair = (target.kind, actual.kind)
    if pair == _NUMBERS:
        return _compare_numbers(target, actual, rule, text)
    if pair == _RANGE_NUMBER:
        return _compare_range(target, actual, text)
    if pair == _DATES:
        return _compare_dates(target, actual, rule, text)
    if pair == _WORDS:
        return _compare_words(target, actual)
    if _TEXT in pair:
        return _result(_UNKNOWN, "文字描述无法自动比较，需人工确认")
    return _result(
        _UNKNOWN,
        f"目标为{_KIND_NAMES[target.kind]}，实际为{_KIND_NAMES[actual.kind]}，无法自动比较",
    )


def compare(target: Value, actual: Value, direction: str | None = None, text: bool = True) -> Comparison:
    """Decide whether ``actual`` meets ``target``.

    ``direction`` (a symbol, a comparator word, 正向/反向) comes from the indicator's direction
    column and wins over the target's own comparator.  Never raises.
    ``text=False``: a met or missed number, range or date has no explanation ("": printing both
    values was a third of comparing them; the review list's counts and scores never show it); every
    other result, and attainment, ratio, deviation and unit mismatch, are the same.
    """
    try:
        return _compare(target, actual, direction, text)
    except (ArithmeticError, ValueError, TypeError, AttributeError, KeyError):  # never raise
        return _result(_UNKNOWN, "无法自动比较，需人工确认")
