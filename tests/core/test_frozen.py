"""quick_init keeps what a frozen dataclass promises: the classes it speeds up behave as before."""

from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal

import pytest

from core.frozen import quick_init
from core.problems import Problem
from core.schema import Table
from core.scoring import ExecutionScore, IndicatorScore
from core.values import Attainment, Comparison, Kind, Value, parse_value


def test_values_read_as_before_and_stay_frozen() -> None:
    value = parse_value("≥100人次")
    assert value == Value("≥100人次", Kind.NUMBER, "≥", Decimal(100), None, "人次")
    assert hash(value) == hash(Value("≥100人次", Kind.NUMBER, "≥", Decimal(100), None, "人次"))
    assert repr(value).startswith("Value(text='≥100人次', kind=")
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.number = Decimal(1)  # type: ignore[misc]
    assert dataclasses.replace(value, number=Decimal(0)).number == Decimal(0)
    assert value.number == Decimal(100)
    assert pickle.loads(pickle.dumps(value)) == value


@pytest.mark.parametrize(
    "made",
    [
        Problem("V09", "error", "未完成目标", 3, "项目", Table.INDICATORS, 2, "actual"),
        Problem("S20", "warning", "执行率低"),
        IndicatorScore(1, Decimal(2), Decimal(2), "得满分", "met"),
        ExecutionScore(None, None, Decimal(10), "全年预算数为空"),
        Comparison(Attainment.MET, Decimal("1.2"), False, Decimal("0.2"), "实际 12个 ≥ 目标 10个"),
    ],
)
def test_made_objects_are_equal_hashable_and_frozen(made: object) -> None:
    fields = {f.name: getattr(made, f.name) for f in dataclasses.fields(made)}  # type: ignore[arg-type]
    again = type(made)(**fields)
    assert again == made and hash(again) == hash(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.__setattr__(next(iter(fields)), None)
    assert pickle.loads(pickle.dumps(made)) == made


def test_defaults_are_the_declared_ones() -> None:
    problem = Problem("S20", "warning", "执行率低")
    assert (problem.form_uid, problem.form, problem.table, problem.row, problem.column, problem.group) == (
        None,
        "",
        Table.REPORT,
        None,
        None,
        "",
    )
    with pytest.raises(TypeError):
        Problem("S20", "warning")  # type: ignore[call-arg]


def test_only_plain_frozen_dataclasses_are_taken() -> None:
    @dataclasses.dataclass
    class Mutable:
        a: int

    @dataclasses.dataclass(frozen=True)
    class WithFactory:
        a: list[int] = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True)
    class WithPostInit:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (Mutable, WithFactory, WithPostInit):
        with pytest.raises(TypeError):
            quick_init(cls)
