"""Tests for core.values: real targets/actuals from the seeds, compare() cases, properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.values import (
    QUALITATIVE_WORDS,
    Attainment,
    Kind,
    Value,
    compare,
    normalise_unit,
    parse_value,
    to_common_unit,
    unit_family,
    units_compatible,
)

N, R, D, Q, T, E = Kind.NUMBER, Kind.RANGE, Kind.DATE, Kind.QUALITATIVE, Kind.TEXT, Kind.EMPTY

# (text as printed, kind, direction, number, unit); for QUALITATIVE the number slot holds the word.
SEED_001 = [
    ("＝1个", N, "=", "1", "个"),
    ("1个", N, None, "1", "个"),
    ("≥30期", N, "≥", "30", "期"),
    ("39期", N, None, "39", "期"),
    ("≥99%", N, "≥", "99", "%"),
    ("100%", N, None, "100", "%"),
    ("≥0%", N, "≥", "0", "%"),
    ("0%", N, None, "0", "%"),
    ("定性", Q, None, "定性", ""),
    ("优", Q, None, "优", ""),
    ("≥95%", N, "≥", "95", "%"),
    ("≤663.13万元", N, "≤", "663.13", "万元"),
    ("831.95万元", N, None, "831.95", "万元"),
    ("≥5名", N, "≥", "5", "名"),
    ("10名", N, None, "10", "名"),
    ("≥2个", N, "≥", "2", "个"),
    ("高", Q, None, "高", ""),
    ("≤350000", N, "≤", "350000", ""),
    ("350000", N, None, "350000", ""),
    ("≥98%", N, "≥", "98", "%"),
    ("98", N, None, "98", ""),
    ("≥1人", N, "≥", "1", "人"),
    ("2人", N, None, "2", "人"),
    ("≥1户", N, "≥", "1", "户"),
    ("0户", N, None, "0", "户"),
    ("11人", N, None, "11", "人"),
    ("≥10000元", N, "≥", "10000", "元"),
    ("≤30000元", N, "≤", "30000", "元"),
    ("≤1000000元", N, "≤", "1000000", "元"),
    ("78500元", N, None, "78500", "元"),
    ("工作积极性高", Q, None, "工作积极性高", ""),
    ("≥12次", N, "≥", "12", "次"),
    ("16次", N, None, "16", "次"),
    ("优（青少年儿童幸福指数", Q, None, "优", ""),
    ("≤150000元", N, "≤", "150000", "元"),
    ("149974.4元", N, None, "149974.4", "元"),
    ("＝50元/月", N, "=", "50", "元/月"),
    ("＝1000元", N, "=", "1000", "元"),
    ("优（党员干部向心力提升）", Q, None, "优", ""),
    ("0元", N, None, "0", "元"),
    ("0", N, None, "0", ""),
    ("3000元/年", N, None, "3000", "元/年"),
    ("29个", N, None, "29", "个"),
    ("优（贯彻落实完成率100%）", Q, None, "优", ""),
    ("848000元", N, None, "848000", "元"),
    ("≥20次/年", N, "≥", "20", "次/年"),
    ("22次/年", N, None, "22", "次/年"),
    ("≥100%", N, "≥", "100", "%"),
    ("＝1批次", N, "=", "1", "批次"),
    ("优（工作干劲100%）", Q, None, "优", ""),
    ("≥2部", N, "≥", "2", "部"),
    ("优（评选先进党员1名以上）", Q, None, "优", ""),
    ("40人", N, None, "40", "人"),
    ("≥400篇", N, "≥", "400", "篇"),
    ("1850篇", N, None, "1850", "篇"),
    (" 优（组织工作信息化率提升）", Q, None, "优", ""),
    ("组织工作信息化率提升", Q, None, "组织工作信息化率提升", ""),
    ("≥14名", N, "≥", "14", "名"),
    ("53名", N, None, "53", "名"),
    ("好（建立产业发展团队1个）", Q, None, "好", ""),
    ("≤250000元", N, "≤", "250000", "元"),
    ("248352元", N, None, "248352", "元"),
    ("=6名", N, "=", "6", "名"),
    ("=500元/月", N, "=", "500", "元/月"),
    ("≤3.6万元", N, "≤", "3.6", "万元"),
    ("=1800元/人", N, "=", "1800", "元/人"),
    ("=100%", N, "=", "100", "%"),
    ("≥80人", N, "≥", "80", "人"),
    ("=14400元", N, "=", "14400", "元"),
    ("=5天", N, "=", "5", "天"),
    ("≤40人", N, "≤", "40", "人"),
    ("≤24.6万", N, "≤", "24.6", "万"),  # the 万 kept as written (issue #11); compares ×10000
    ("1次/年", N, None, "1", "次/年"),
    ("≥3类", N, "≥", "3", "类"),
    ("≥2期/年", N, "≥", "2", "期/年"),
    ("2期", N, None, "2", "期"),
    ("821人", N, None, "821", "人"),
    ("≤1.04万元", N, "≤", "1.04", "万元"),
    ("≥5次/年", N, "≥", "5", "次/年"),
]
SEED_001_DATES = [
    ("≤12月", "≤", 12),
    ("12月", None, 12),
    ("≤12月前", "≤", 12),
    ("12月前", "≤", 12),
    ("≤9月", "≤", 9),
]
SEED_003 = [
    ("合理", Q, None, "合理", ""),
    ("合规", Q, None, "合规", ""),
    ("健全", Q, None, "健全", ""),
    ("全面", Q, None, "全面", ""),
    ("4628 人", N, None, "4628", "人"),
    ("2 次", N, None, "2", "次"),
    ("200 余人", N, None, "200", "人"),
    ("运行顺畅", Q, None, "运行顺畅", ""),
    ("按时完成", Q, None, "按时完成", ""),
    ("不高于一般标准", Q, None, "不高于一般标准", ""),
    ("进一步满足", Q, None, "进一步满足", ""),
    ("进一步提升", Q, None, "进一步提升", ""),
    ("畅通", Q, None, "畅通", ""),
    ("纳入培训内容", Q, None, "纳入培训内容", ""),
    ("各项工作有序开展", Q, None, "各项工作有序开展", ""),
    ("90%-100%", R, None, "90", "%"),
    ("全市干部教育培训 4000 人", T, None, None, ""),
    ("4628 人（次）", N, None, "4628", "人次"),
]
SEED_004 = [
    ("≥500 册", N, "≥", "500", "册"),
    ("800 册", N, None, "800", "册"),
    ("≥400 人次", N, "≥", "400", "人次"),
    ("2700 人次", N, None, "2700", "人次"),
    ("≥1 次", N, "≥", "1", "次"),
    ("≥10 次", N, "≥", "10", "次"),
    ("99.74%", N, None, "99.74", "%"),
    ("考核合格", Q, None, "考核合格", ""),
    ("优秀单位", Q, None, "优秀单位", ""),
    ("平安单位", Q, None, "平安单位", ""),
    ("≥881 万元", N, "≥", "881", "万元"),
    ("1098.32 万元", N, None, "1098.32", "万元"),
    ("≤100%", N, "≤", "100", "%"),
    ("中长期保障", Q, None, "中长期保障", ""),
    ("有效保障", Q, None, "有效保障", ""),
    ("不断提升", Q, None, "不断提升", ""),
    ("96.81%", N, None, "96.81", "%"),
    ("776 人", N, None, "776", "人"),
    ("人均≤2000 元", N, "≤", "2000", "元"),
    ("1765 元", N, None, "1765", "元"),
    ("持续保障", Q, None, "持续保障", ""),
    ("≥4", N, "≥", "4", ""),
    ("5", N, None, "5", ""),
    ("3000 元/个", N, None, "3000", "元/个"),
    ("126 个党支部拨付党建经费 55.88 万元", T, None, None, ""),
    ("≤100 万元", N, "≤", "100", "万元"),
    ("55.88 万元", N, None, "55.88", "万元"),
    ("持续稳步提升", Q, None, "持续稳步提升", ""),
    ("稳步提升", Q, None, "稳步提升", ""),
    ("不断增强", Q, None, "不断增强", ""),
    ("≥ 5 次", N, "≥", "5", "次"),
    ("≥500 人", N, "≥", "500", "人"),
    ("≥99.0%", N, "≥", "99.0", "%"),
    ("≤41.7 万元", N, "≤", "41.7", "万元"),
    ("≥99.5%", N, "≥", "99.5", "%"),
]
TRICKY = [
    ("", E, None, None, ""),
    ("  ", E, None, None, ""),
    ("—", E, None, None, ""),
    ("/", E, None, None, ""),
    ("无", E, None, None, ""),
    ("-", E, None, None, ""),
    ("≥100百分比", N, "≥", "100", "%"),
    ("95%以上", N, "≥", "95", "%"),
    ("100人以内", N, "≤", "100", "人"),
    ("不低于90%", N, "≥", "90", "%"),
    ("不超过5万元", N, "≤", "5", "万元"),
    ("控制在100万元以内", N, "≤", "100", "万元"),
    ("至少3次", N, "≥", "3", "次"),
    ("达到95%", N, "≥", "95", "%"),
    ("低于5%", N, "<", "5", "%"),
    ("高于80%", N, ">", "80", "%"),
    ("大于等于10个", N, "≥", "10", "个"),
    ("小于等于10个", N, "≤", "10", "个"),
    ("≧90%", N, "≥", "90", "%"),
    ("≦90%", N, "≤", "90", "%"),
    (">=90%", N, "≥", "90", "%"),
    ("<=90%", N, "≤", "90", "%"),
    ("≥=90%", N, "≥", "90", "%"),
    ("﹦100%", N, "=", "100", "%"),
    ("＞＝９０％", N, "≥", "90", "%"),
    ("＜5", N, "<", "5", ""),
    ("１，０００元", N, None, "1000", "元"),
    ("1,000元", N, None, "1000", "元"),
    ("０．５万元", N, None, "0.5", "万元"),
    ("2 万余人次", N, None, "20000", "人次"),
    ("≥两次", N, "≥", "2", "次"),
    ("十二个", N, None, "12", "个"),
    ("3个月", N, None, "3", "个月"),
    ("5平米", N, None, "5", "平方米"),
    ("3000 元/个", N, None, "3000", "元/个"),
    ("90%～100%", R, None, "90", "%"),
    ("90%~100%", R, None, "90", "%"),
    ("90-100%", R, None, "90", "%"),
    ("5至10人", R, None, "5", "人"),
    ("达成年度指标", Q, None, "达成", ""),
    ("达成预期指标", Q, None, "达成", ""),
    ("部分达成年度指标并具有一定效果", Q, None, "部分达成", ""),
    ("未达成年度指标且效果较差", Q, None, "未达成", ""),
    ("优秀", Q, None, "优", ""),
    ("及时。", Q, None, "及时", ""),
    ("显 著 提 升", Q, None, "显著提升", ""),
    ("一般", Q, None, "一般", ""),
]
DATES = [
    ("2023 年年底", None, 12, 2023),
    ("2023年年底", None, 12, 2023),
    ("2023年底", None, 12, 2023),
    ("2023 年 12 月", None, 12, 2023),
    ("年底前", "≤", 12, None),
    ("12月底前", "≤", 12, None),
    ("2023 年底全 部支付", None, 12, 2023),
    ("2023 年 12 月前支付 100%", "≤", 12, 2023),
    ("2023年", None, None, 2023),
    ("≤2023年6月", "≤", 6, 2023),
]
ALL_VALUES = SEED_001 + SEED_003 + SEED_004 + TRICKY


def test_table_is_large_enough() -> None:
    assert len(SEED_001) + len(SEED_001_DATES) + len(SEED_003) + len(SEED_004) >= 80


@pytest.mark.parametrize(("text", "kind", "direction", "number", "unit"), ALL_VALUES)
def test_parse_table(text: str, kind: Kind, direction: str | None, number: str | None, unit: str) -> None:
    value = parse_value(text)
    assert value.text == text
    assert value.kind is kind
    assert value.direction == direction
    if kind is Q:
        assert value.word == number
    elif number is None:
        assert value.number is None
    else:
        assert value.number == Decimal(number)
    assert value.unit == unit


@pytest.mark.parametrize(
    ("text", "direction", "month", "year"), DATES + [(t, d, m, None) for t, d, m in SEED_001_DATES]
)
def test_parse_dates(text: str, direction: str | None, month: int | None, year: int | None) -> None:
    value = parse_value(text)
    assert (value.kind, value.direction, value.year) == (Kind.DATE, direction, year)
    assert value.number == (None if month is None else Decimal(month))


def test_parse_details() -> None:
    assert parse_value("人均≤2000元").qualifier == "人均"
    assert parse_value("人均≤2000元").display() == "人均≤2000元"
    assert parse_value("≥99.0%").display() == "≥99.0%"
    assert parse_value("90%～100%").upper == Decimal(100)
    assert parse_value("5至10人").upper == Decimal(10)
    assert parse_value("2023 年 12 月").display() == "2023年12月"
    assert parse_value("≤12月").display() == "≤12月"
    assert parse_value("＝1个").display() == "=1个"
    assert parse_value("  优 ").display() == "优"
    assert parse_value(None).kind is Kind.EMPTY
    assert parse_value("126 个党支部拨付党建经费 55.88 万元").display().startswith("126 个")


def test_units() -> None:
    assert normalise_unit("％") == "%" and normalise_unit("百分比") == "%"
    assert normalise_unit("人（次）") == "人次" and normalise_unit(" 元 / 个 ") == "元/个"
    assert unit_family("名") == unit_family("人") == "person"
    assert unit_family("次") == unit_family("期") == "times"
    assert unit_family("万元") == "money" and unit_family("元/个") == "money/count"
    assert unit_family("党支部") == "党支部"
    assert units_compatible("", "户") and units_compatible("%", "")
    assert units_compatible("名", "人") and units_compatible("人", "人次")
    assert units_compatible("元", "万元") and units_compatible("次/年", "次")
    assert not units_compatible("户", "人") and not units_compatible("天", "月")
    assert not units_compatible("元/个", "元/人")
    assert to_common_unit(Decimal("663.13"), "万元") == Decimal("6631300")
    assert to_common_unit(Decimal("2"), "亿元") == Decimal("200000000")
    assert to_common_unit(Decimal("5"), "个") == Decimal("5")


def _cmp(target: str, actual: str, direction: str | None = None) -> Attainment:
    return compare(parse_value(target), parse_value(actual), direction).attainment


MET, NOT_MET, UNKNOWN = Attainment.MET, Attainment.NOT_MET, Attainment.UNKNOWN
CASES = [
    ("≥5名", "10名", MET),
    ("≥1户", "0户", NOT_MET),
    ("≤663.13万元", "831.95万元", NOT_MET),
    ("人均≤2000元", "1765 元", MET),
    ("2023年年底", "2023 年 12 月", MET),
    ("≤12月", "11月", MET),
    ("≤12月", "12月前", MET),
    ("≤9月", "10月", NOT_MET),
    ("2023年年底", "2024年1月", NOT_MET),
    ("2023 年底全 部支付", "2023 年 12 月前支付 100%", MET),
    ("优", "优", MET),
    ("定性", "优", MET),
    ("定性", "工作积极性高", MET),
    ("≥95%", "100%", MET),
    ("≥ 5 次", "6 次", MET),
    ("中长期保障", "有效保障", MET),
    ("考核合格", "优秀单位", MET),
    ("考核合格", "平安单位", UNKNOWN),
    ("3000 元/个", "126 个党支部拨付党建经费 55.88 万元", UNKNOWN),
    ("≥98%", "98", MET),
    ("≥0%", "0%", MET),
    ("≥0%", "≥0%", MET),
    ("=100%", "100%", MET),
    ("100%", "100%", MET),
    ("29个", "30个", UNKNOWN),
    ("1次/年", "1次", MET),
    ("≥4次/年", "4次", MET),
    ("≥881 万元", "1098.32 万元", MET),
    ("≤100 万元", "55.88 万元", MET),
    ("≥10000元", "1万元", MET),
    ("≤41.7 万元", "41.7 万元", MET),
    ("=5天", "0", NOT_MET),
    ("90%-100%", "96.81%", MET),
    ("90%-100%", "85%", NOT_MET),
    ("优", "良", NOT_MET),
    ("高", "较高", NOT_MET),
    ("良", "优", MET),
    ("持续稳步提升", "稳步提升", MET),
    ("不断提升", "不断增强", UNKNOWN),
    ("定性", "未达成年度指标且效果较差", NOT_MET),
    ("达成年度指标", "部分达成年度指标并具有一定效果", NOT_MET),
    ("合规", "达成预期指标", MET),
    ("优（组织工作信息化率提升）", "组织工作信息化率提升", MET),
    ("好（建立产业发展团队1个）", "2个", UNKNOWN),
    ("≤9月", "0", UNKNOWN),
    ("", "5人", UNKNOWN),
    ("≥5人", "", UNKNOWN),
    ("≥5人", "—", UNKNOWN),
    ("=0", "0", MET),
    ("=0", "1", NOT_MET),
    (">5", "5", NOT_MET),
    ("<5", "4", MET),
    ("≥1人", "0户", UNKNOWN),
]


@pytest.mark.parametrize(("target", "actual", "expected"), CASES)
def test_compare_cases(target: str, actual: str, expected: Attainment) -> None:
    assert _cmp(target, actual) is expected


def test_compare_details() -> None:
    met = compare(parse_value("≥5名"), parse_value("10名"))
    assert met.ratio == 2 and met.deviation == 1
    assert met.explanation == "实际 10名 ≥ 目标 5名"
    miss = compare(parse_value("≥1户"), parse_value("0户"))
    assert miss.explanation == "实际 0户 < 目标 1户" and miss.ratio == 0
    bad = compare(parse_value("≥1户"), parse_value("11人"))
    assert bad.attainment is UNKNOWN and bad.unit_mismatch
    assert bad.explanation == "目标单位为“户”，实际为“人”"
    equal = compare(parse_value("=100%"), parse_value("99.74%"))
    assert equal.attainment is NOT_MET and equal.ratio == Decimal("0.9974")
    assert equal.deviation == Decimal("-0.0026")
    cost = compare(parse_value("人均≤2000元"), parse_value("1765 元"))
    assert cost.ratio == Decimal(2000) / Decimal(1765) and not cost.unit_mismatch
    money = compare(parse_value("≤663.13万元"), parse_value("831.95万元"))
    assert money.deviation == (Decimal("831.95") - Decimal("663.13")) / Decimal("663.13")
    assert compare(parse_value("优"), parse_value("优")).explanation == "实际值与目标一致（优）"


def test_compare_zero_and_direction() -> None:
    zero = compare(parse_value("≤200000元"), parse_value("0元"))
    assert zero.attainment is MET and zero.ratio is None and zero.deviation == -1
    assert compare(parse_value("≥0%"), parse_value("0%")).deviation is None
    assert _cmp("100", "90", "正向") is NOT_MET
    assert _cmp("100", "90", "≤") is MET and _cmp("≥100", "90", "反向") is MET
    assert _cmp("100", "110", ">=") is MET and _cmp("5", "5", "garbage") is MET
    assert _cmp("5", "6", "garbage") is UNKNOWN


# --------------------------------------------------------------------------- properties

FULL = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")
COMPARATORS = [
    ("≥", "≥"),
    ("＞＝", "≥"),
    ("≧", "≥"),
    (">=", "≥"),
    ("≥=", "≥"),
    ("不低于", "≥"),
    ("不少于", "≥"),
    ("至少", "≥"),
    ("达到", "≥"),
    ("大于等于", "≥"),
    ("≤", "≤"),
    ("≦", "≤"),
    ("<=", "≤"),
    ("不超过", "≤"),
    ("不高于", "≤"),
    ("小于等于", "≤"),
    ("＝", "="),
    ("﹦", "="),
    ("=", "="),
    (">", ">"),
    ("＞", ">"),
    ("高于", ">"),
    ("<", "<"),
    ("低于", "<"),
    ("", None),
]
UNITS = [
    ("", ""),
    ("%", "%"),
    ("％", "%"),
    ("元", "元"),
    ("万元", "万元"),
    ("个", "个"),
    ("人", "人"),
    ("人次", "人次"),
    ("名", "名"),
    ("户", "户"),
    ("次", "次"),
    ("期", "期"),
    ("篇", "篇"),
    ("册", "册"),
    ("天", "天"),
    ("小时", "小时"),
    ("平方米", "平方米"),
    ("公里", "公里"),
    ("元/个", "元/个"),
    ("次/年", "次/年"),
    ("万元/人", "万元/人"),
    ("个月", "个月"),
    ("百分比", "%"),
]
SPACE = st.sampled_from(["", " ", "  "])


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    whole = draw(st.integers(min_value=0, max_value=10**9))
    places = draw(st.integers(min_value=0, max_value=3))
    fraction = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=places, max_size=places)))
    body = f"{whole:,}" if draw(st.booleans()) else str(whole)
    written = body + (f".{fraction}" if fraction else "")
    value = Decimal(written.replace(",", ""))
    return (written.translate(FULL) if draw(st.booleans()) else written), value


@st.composite
def realistic_numbers(draw: st.DrawFn) -> tuple[str, str | None, Decimal, str, str]:
    cmp_text, direction = draw(st.sampled_from(COMPARATORS))
    written, number = draw(written_numbers())
    unit_text, unit = draw(st.sampled_from(UNITS))
    qualifier = draw(st.sampled_from(["", "人均"]))
    trailing = ""
    if direction is None:
        trailing, direction = draw(st.sampled_from([("", None), ("以上", "≥"), ("以内", "≤")]))
    parts = [qualifier, cmp_text, written, unit_text, trailing]
    text = "".join(part + draw(SPACE) for part in parts)
    return draw(SPACE) + text, direction, number, unit, qualifier


@st.composite
def realistic_dates(draw: st.DrawFn) -> str:
    year = draw(st.one_of(st.just(""), st.integers(2000, 2099).map(lambda y: f"{y} 年 ")))
    month = draw(st.one_of(st.integers(1, 12).map(lambda m: f"{m}月"), st.just("年底")))
    prefix = draw(st.sampled_from(["", "≤", "<", "="]))
    suffix = draw(st.sampled_from(["", "前", "底前", "以前"]))
    return prefix + year + month + suffix


@st.composite
def realistic_ranges(draw: st.DrawFn) -> str:
    low, high = sorted(draw(st.lists(st.integers(0, 10000), min_size=2, max_size=2)))
    unit = draw(st.sampled_from(["%", "人", "", "次"]))
    sep = draw(st.sampled_from(["-", "～", "~", "至"]))
    first = unit if unit == "%" and draw(st.booleans()) else ""
    return f"{low}{first}{sep}{high}{unit}"


GRADES = sorted(QUALITATIVE_WORDS) + [
    "达成年度指标",
    "部分达成年度指标并具有一定效果",
    "未达成年度指标且效果较差",
    "优（工作干劲100%）",
]
BUILT = st.one_of(
    realistic_numbers().map(lambda t: t[0]), realistic_dates(), realistic_ranges(), st.sampled_from(GRADES)
)
ODD = st.text(alphabet="0123456789.,%-~年月底前≥≤=<>万元余人次/优（）() 至十两")
ANY_TEXT = st.one_of(st.text(), BUILT, ODD)


def _fields(value: Value) -> tuple[object, ...]:
    return (
        value.kind,
        value.direction,
        value.number,
        value.upper,
        value.unit,
        value.year,
        value.qualifier,
        value.word,
    )


@settings(max_examples=400)
@given(realistic_numbers())
def test_realistic_numbers_parse(case: tuple[str, str | None, Decimal, str, str]) -> None:
    text, direction, number, unit, qualifier = case
    value = parse_value(text)
    assert (value.kind, value.direction, value.unit, value.qualifier) == (
        Kind.NUMBER,
        direction,
        unit,
        qualifier,
    )
    assert value.number == number


@settings(max_examples=400)
@given(BUILT)
def test_display_round_trip(text: str) -> None:
    value = parse_value(text)
    assert value.kind in (Kind.NUMBER, Kind.RANGE, Kind.DATE, Kind.QUALITATIVE)
    assert _fields(parse_value(value.display())) == _fields(value)


@settings(max_examples=400)
@given(ANY_TEXT)
def test_parse_never_raises_and_round_trips(text: str) -> None:
    value = parse_value(text)
    assert value.text == text
    if value.kind in (Kind.NUMBER, Kind.RANGE, Kind.DATE, Kind.QUALITATIVE):
        assert _fields(parse_value(value.display())) == _fields(value)


@settings(max_examples=400)
@given(ANY_TEXT, ANY_TEXT, st.sampled_from([None, "≥", "≤", "=", ">", "<", "正向", "x", ""]))
def test_compare_never_raises(target: str, actual: str, direction: str | None) -> None:
    result = compare(parse_value(target), parse_value(actual), direction)
    assert isinstance(result.attainment, Attainment)
    assert result.unit_mismatch is False or result.attainment is Attainment.UNKNOWN


@pytest.mark.parametrize(
    ("text", "kind", "direction", "number", "unit", "year"),
    [
        ("12月31日前", Kind.DATE, "≤", 12, "", None),
        ("2024年6月30日前", Kind.DATE, "≤", 6, "", 2024),
        ("2024年6月28日", Kind.DATE, None, 6, "", 2024),
        ("3个工作日内", Kind.NUMBER, "≤", 3, "个工作日", None),
        ("100%完成", Kind.NUMBER, None, 100, "%", None),
    ],
)
def test_deadlines_with_days_and_trailing_words(text, kind, direction, number, unit, year) -> None:
    v = parse_value(text)
    assert (v.kind, v.direction, v.number, v.unit, v.year) == (kind, direction, Decimal(number), unit, year)


def test_a_day_deadline_is_compared_by_month() -> None:
    target = parse_value("2024年6月30日前")
    assert compare(target, parse_value("2024年6月28日")).attainment is Attainment.MET
    assert compare(target, parse_value("2024年7月5日")).attainment is Attainment.NOT_MET
