"""The fast path of parse_value reads every common cell exactly as the general readers do."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core import values
from core.values import Kind, parse_value

UNITS = sorted(values._FAST_UNITS)
COMPARATORS = ["", "≥", "≤", "=", "<", ">"]


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(COMPARATORS),
    st.integers(min_value=0, max_value=10**9),
    st.one_of(st.just(""), st.integers(min_value=0, max_value=999).map(lambda n: f".{n}")),
    st.sampled_from(UNITS),
)
def test_fast_shape_reads_as_the_full_parser(cmp: str, whole: int, frac: str, unit: str) -> None:
    text = f"{cmp}{whole}{frac}{unit}"
    assert values._parse_fast(text) is not None
    assert parse_value(text) == values._parse_full(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="≥≤=<>0123456789.,%-~ 年月底前余万亿元人次个名户天小时/（）()", max_size=12))
def test_any_near_miss_reads_as_the_full_parser(text: str) -> None:
    assert parse_value(text) == values._parse_full(text)


def test_fast_path_keeps_units_and_directions() -> None:
    value = parse_value("≤663.13万元")
    shown = (value.kind, value.direction, str(value.number), value.unit)
    assert shown == (Kind.NUMBER, "≤", "663.13", "万元")
    assert parse_value("96.5%").direction is None
    assert parse_value("≤12月").kind is Kind.DATE  # 月 is not a fast unit: still a deadline
    assert parse_value("2023年").kind is Kind.DATE
    long = "≥" + "1" * (values._MAX_LEN + 5) + "人"
    assert parse_value(long) == values._parse_full(long) and parse_value(long).kind is Kind.TEXT
