"""Qt's enums made the quick way (gui.qt_enums) are the enums Python's enum module makes: every enum
of QtCore, QtGui and QtWidgets is made both ways from its members and the two compared, class and
members, and in use (iteration, lookups, flags combined, text)."""

from __future__ import annotations

import enum
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from PySide6 import QtCore, QtGui, QtWidgets

from gui import qt_enums

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    sys.version_info[:2] != (3, 11), reason="the quick way follows Python 3.11's enum"
)


def _qt_enums() -> list[Any]:
    """Every enum of QtCore, QtGui and QtWidgets: at module level, in classes and in the Qt namespace."""
    found: dict[int, Any] = {}

    def look(holder: Any, classes: bool) -> None:
        for name in dir(holder):
            try:
                value = getattr(holder, name)
            except Exception:  # noqa: BLE001, S112 - an attribute PySide cannot make here
                continue
            if isinstance(value, enum.EnumType) and value.__module__.startswith("PySide6"):
                found[id(value)] = value
            elif classes and isinstance(value, type) and value.__module__.startswith("PySide6"):
                look(value, False)

    for module in (QtCore, QtGui, QtWidgets):
        look(module, True)
    return list(found.values())


def _both(qt_enum: Any) -> tuple[Any, Any]:
    """The enum made from ``qt_enum``'s members as PySide asks for it: by the enum module, and quickly."""
    base = qt_enum.__bases__[0]
    items = [(name, member._value_) for name, member in qt_enum._member_map_.items()]
    checked = qt_enums._ORIGINAL(base, qt_enum.__name__, list(items), boundary=enum.KEEP)
    made = qt_enums.made
    quick = qt_enums._call(base, qt_enum.__name__, list(items), boundary=enum.KEEP)
    assert qt_enums.made == made + 1, qt_enum  # made the quick way, not handed to the enum module
    return checked, quick


def _same_attribute(name: str, checked: Any, quick: Any, a: Any, b: Any) -> None:
    if isinstance(a, checked):  # a member (or an alias: the member it names)
        assert type(b) is quick and b._name_ == a._name_ and b._value_ == a._value_, name
        assert {k: v for k, v in vars(b).items() if k != "__objclass__"} == {
            k: v for k, v in vars(a).items() if k != "__objclass__"
        }, name
        assert b.__objclass__ is quick
    elif isinstance(a, list):
        assert [getattr(x, "_name_", x) for x in b] == [getattr(x, "_name_", x) for x in a], name
    elif isinstance(a, dict):
        assert {k: getattr(v, "_name_", v) for k, v in b.items()} == {
            k: getattr(v, "_name_", v) for k, v in a.items()
        }, name
    elif hasattr(a, "__func__"):  # bound to its class: the same function
        assert b.__func__ is a.__func__, name
    elif name not in ("__module__", "__qualname__", "__doc__"):
        assert b is a or b == a, name


def test_every_qt_enum_made_quickly_is_the_enum_the_enum_module_makes() -> None:
    qt = _qt_enums()
    assert len(qt) > 500 and any(e.__name__ == "AlignmentFlag" for e in qt)
    for qt_enum in qt:
        checked, quick = _both(qt_enum)
        enum._test_simple_enum(checked, quick)  # the standard library's own comparison
        assert type(quick) is type(checked) and quick.__bases__ == checked.__bases__
        assert set(vars(quick)) == set(vars(checked)), qt_enum
        for name, a in vars(checked).items():
            _same_attribute(name, checked, quick, a, vars(quick)[name])
        # in use
        assert [m.name for m in quick] == [m.name for m in checked]
        assert list(quick.__members__) == list(checked.__members__)
        assert len(quick) == len(checked)
        for name, member in checked.__members__.items():
            mine = quick[name]
            assert getattr(quick, name) is mine and quick(member.value) is quick[member.name]
            assert (mine.name, mine.value, str(mine), format(mine), repr(mine)) == (
                member.name,
                member.value,
                str(member),
                format(member),
                repr(member),
            )
        values = [m.value for m in checked.__members__.values()]
        unknown = (max(values, default=0) << 1) or 1 << 40
        assert _outcome(quick, unknown) == _outcome(checked, unknown)  # a flag kept (KEEP), or refused
        if issubclass(checked, enum.Flag) and len(checked) >= 2:
            first, second = list(checked)[:2]
            both = quick[first.name] | quick[second.name]
            assert both.value == (first | second).value and (~both).value == (~(first | second)).value


def _outcome(kind: Any, value: int) -> tuple[str, Any]:
    """What ``kind(value)`` gives for a value no member has: a kept flag's value, or the error."""
    try:
        return "kept", kind(value).value
    except Exception as error:  # noqa: BLE001
        return "refused", type(error)


def test_the_qt_enums_in_use_here_were_made_quickly_and_still_pickle() -> None:
    """The suite runs on Qt's enums as the window's start makes them (tests/conftest.py installs it)."""
    assert enum.EnumType.__call__ is qt_enums._call
    align = QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter
    assert pickle.loads(pickle.dumps(align)) == align
    assert QtGui.QKeySequence.StandardKey(QtGui.QKeySequence.StandardKey.Copy.value).name == "Copy"


def test_other_calls_are_the_enum_modules_own() -> None:
    """Names given otherwise, names the enum module treats specially, a lookup by value: its own way."""
    made = qt_enums.made
    colours = enum.Enum("Colours", "RED GREEN")
    assert colours.__module__ == __name__ and colours.GREEN.value == 2  # the caller's module, as before
    named = enum.IntEnum("Named", [("name", 1), ("value", 2), ("other", 3)], boundary=enum.KEEP)
    assert isinstance(vars(named)["name"], enum.property) and named["name"].value == 1
    assert enum.IntFlag("Sunder", [("_x", 1)], boundary=enum.KEEP)._x == 1  # type: ignore[attr-defined]
    assert enum.Enum("Truth", [("YES", True)]).YES.value is True
    assert enum.IntEnum("Start", [("A", 1)], start=0).A.value == 1
    assert qt_enums.made == made
    quick = enum.IntEnum("Quick", [("A", 1), ("B", 1)], boundary=enum.KEEP)
    assert qt_enums.made == made + 1 and quick.__module__ == __name__ and quick.B is quick.A
    assert enum.IntEnum("Placed", [("A", 1)], module="elsewhere").__module__ == "elsewhere"
    assert qt_enums.made == made + 2


def test_the_start_makes_the_qt_enums_quickly() -> None:
    """As main.py starts the window: QtCore's enums made at its import, the Qt namespace's when used."""
    script = (
        "import main; main.prepare_qt()\n"
        "from gui import qt_enums\n"
        "import PySide6.QtCore as core\n"
        "at_import = qt_enums.made\n"
        "core.Qt.AlignmentFlag\n"
        "print(at_import, qt_enums.made - at_import)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    at_import, for_qt = (int(x) for x in out.stdout.split())
    assert at_import > 20  # QtCore's own (QLocale's languages and countries…)
    assert for_qt > 80  # the Qt namespace's 93


@pytest.mark.parametrize("change", ["order", "alias", "mask"])
def test_a_python_whose_enum_module_makes_the_probes_otherwise_keeps_its_own_way(
    monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The start checks a few probe classes before making Qt's enums here (another 3.11 release may
    make them otherwise): one that differs leaves the enum module's own ``__call__`` in place."""
    assert qt_enums.agrees()
    add = qt_enums._add_members

    def otherwise(enum_class: Any, names: list[tuple[str, int]]) -> None:
        if change == "order":
            names = names[::-1]
        elif change == "alias":
            names = [n for n in names if n[0] not in {"Same", "Back", "AB", "XY"}]
        add(enum_class, names)
        if change == "mask" and issubclass(enum_class, enum.Flag):
            enum_class._all_bits_ = 0

    monkeypatch.setattr(qt_enums, "_add_members", otherwise)
    assert not qt_enums.agrees()
    monkeypatch.setattr(enum.EnumType, "__call__", qt_enums._ORIGINAL)
    qt_enums.install()
    assert enum.EnumType.__call__ is qt_enums._ORIGINAL
