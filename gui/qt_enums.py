"""Qt's enums made in a third of the time Python 3.11's enum module takes (issue 15: first paint).

PySide6 makes each Qt enum with the enum module's functional API, ``IntEnum(name, [(member, value),
…], boundary=KEEP)``, when the class or namespace holding it is first used. The window's start makes
some 200 of them (the ``Qt`` namespace alone 93, with 1,195 members): 45–50 ms of its CPU, most of it
the enum module's general class building, member by member (``_proto_member.__set_name__``: it
deletes and sets each class attribute again through the metaclass, and looks for descriptors).

``install`` makes such a class as the enum module's ``_simple_enum`` does, from the class dict the
enum module itself made once for a class of the same base without members (copied, with member lists
and maps of its own), and adds the members as ``_proto_member.__set_name__`` adds them: the same
member objects with the same attributes, the same class dict, member maps and flag masks.
tests/gui/test_qt_enums.py makes every enum of QtCore, QtGui and QtWidgets both ways and compares
them. Any other call goes the enum module's own way: a value lookup, names not given as a list of
(name, int) pairs, a name the enum module treats specially (``_sunder_``, ``mro``, one its base
classes define, a repeated one), a ``qualname``/``type``/``start``, or a Python other than the 3.11
whose enum module this follows.
"""

from __future__ import annotations

import builtins
import enum
import sys
from typing import Any

_BASES = (enum.Enum, enum.IntEnum, enum.Flag, enum.IntFlag)
_ORIGINAL: Any = enum.EnumType.__call__
_CLASS: Any = enum.EnumType.__new__
made = 0  # classes made here (the others went the enum module's way)
_TAKEN: dict[type, frozenset[str]] = {}  # the names in a base class's and its bases' dicts
_TEMPLATES: dict[tuple[type, Any], dict[str, Any]] = {}  # (base, boundary): a class dict without members


def install() -> None:
    """Make the functional API's plain classes here from now on (once; Python 3.11 only, and only when
    this Python's enum module makes a few probe classes as ``_call`` does: a 3.11 release whose enum
    module works otherwise keeps its own way)."""
    if sys.version_info[:2] == (3, 11) and enum.EnumType.__call__ is _ORIGINAL and agrees():
        setattr(enum.EnumType, "__call__", _call)  # noqa: B010


# Probe classes as Qt's look: an alias, a zero flag, a multi-bit flag, members not in value order.
_PROBES: tuple[tuple[type, list[tuple[str, int]], Any], ...] = (
    (enum.IntEnum, [("First", 1), ("Second", 2), ("Same", 1), ("Zero", 0), ("Big", 0x7FFFFFFF)], None),
    (enum.IntFlag, [("NoFlag", 0), ("A", 1), ("B", 2), ("AB", 3), ("High", 16), ("C", 4)], enum.KEEP),
    (enum.Enum, [("Left", 1), ("Right", 2), ("Back", 1)], None),
    (enum.Flag, [("X", 1), ("Y", 2), ("XY", 3)], None),
)


def _looks(enum_class: Any) -> tuple[Any, ...]:
    """What of a class the probes compare: its dict's names, members (their own attributes in order),
    maps, masks and their text."""
    members = [
        (name, m._sort_order_, [(k, v) for k, v in vars(m).items() if k != "__objclass__"])
        for name, m in enum_class.__members__.items()
    ]
    combined = []
    if issubclass(enum_class, enum.Flag):
        everything = enum_class(0)
        for m in enum_class:
            everything |= m
        combined = [repr(everything), str(everything), [m.name for m in enum_class]]
    return (
        sorted(vars(enum_class)),
        members,
        list(enum_class._member_names_),
        sorted((v, m._name_) for v, m in enum_class._value2member_map_.items()),
        [repr(m) for m in enum_class],
        [getattr(enum_class, a, None) for a in ("_flag_mask_", "_singles_mask_", "_all_bits_")],
        getattr(getattr(enum_class, "_iter_member_", None), "__name__", None),
        combined,
    )


def agrees() -> bool:
    """True when the probe classes made here look as the enum module makes them."""
    try:
        for base, names, boundary in _PROBES:
            own = _ORIGINAL(base, "Probe", list(names), module=__name__, boundary=boundary)
            quick = _empty_class(base, "Probe", __name__, boundary)
            _add_members(quick, list(names))
            if _looks(own) != _looks(quick):
                return False
    except Exception:  # noqa: BLE001 - an enum module this was not written for: its own way
        return False
    return True


def _call(
    cls: Any,
    value: Any,
    names: Any = None,
    *,
    module: str | None = None,
    qualname: str | None = None,
    type: Any = None,  # noqa: A002 - the enum module's own name for it
    start: int = 1,
    boundary: Any = None,
) -> Any:
    """``EnumType.__call__``: a member by value, or a new class (see the module's docstring)."""
    if names is None:  # a value lookup, as the enum module does it
        return cls.__new__(cls, value)
    if module is None:  # the caller's module, as the enum module finds it (two frames up from _create_)
        try:
            module = sys._getframe(1).f_globals["__name__"]
        except (AttributeError, ValueError, KeyError):
            pass
    if (
        names.__class__ is not list
        or cls not in _BASES
        or value.__class__ is not str
        or module.__class__ is not str
        or qualname is not None
        or type is not None
        or start != 1
        or not _plain(cls, names)
    ):
        return _ORIGINAL(
            cls, value, names, module=module, qualname=qualname, type=type, start=start, boundary=boundary
        )
    enum_class = _empty_class(cls, value, module, boundary)
    _add_members(enum_class, names)
    global made
    made += 1
    return enum_class


def _empty_class(base: type, name: str, module: str, boundary: Any) -> Any:
    """The class the enum module makes for ``base`` and ``boundary`` without members: its class dict
    made by the enum module once, then copied (with empty member lists and maps of its own), the class
    made from it as the enum module's ``_simple_enum`` makes one, ``__new__`` set as it sets it."""
    template = _TEMPLATES.get((base, boundary))
    if template is None:
        made_once = _ORIGINAL(base, "Template", [], module=__name__, boundary=boundary)
        template = _TEMPLATES[(base, boundary)] = dict(vars(made_once))
    namespace = dict(template)
    new = namespace.pop("__new__")
    namespace.update(
        __module__=module, _member_names_=[], _member_map_={}, _value2member_map_={}, _unhashable_values_=[]
    )
    enum_class = _CLASS(enum.EnumType, name, (base,), namespace, _simple=True)
    builtins.type.__setattr__(enum_class, "__new__", new)
    return enum_class


def _plain(base: type, names: list[Any]) -> bool:
    """True when every item is a (name, int) pair whose name the enum module sets on the class as it
    is: not special to it, not repeated, not an attribute of the base classes (a descriptor there
    makes the member a redirecting property), not a subclass of int (bool) as value."""
    taken = _TAKEN.get(base)
    if taken is None:
        taken = _TAKEN[base] = frozenset(name for klass in base.__mro__ for name in klass.__dict__)
    seen: set[str] = set()
    add = seen.add
    for item in names:
        if item.__class__ is not tuple or len(item) != 2:
            return False
        name, value = item
        if name.__class__ is not str or value.__class__ is not int or name[:1] == "_":
            return False
        add(name)
    # the rest asked of all the names at once (in C), not of each in turn
    return (
        len(seen) == len(names)  # none repeated
        and "mro" not in seen
        and seen.isdisjoint(taken)
        and all(map(str.isidentifier, seen))
    )


_OWN_INIT: Any = enum.Enum.__init__  # what a member's __init__ is unless its class defines one: nothing


def _add_members(enum_class: Any, names: list[tuple[str, int]]) -> None:
    """Add the members as the enum module's ``_proto_member.__set_name__`` does, one by one in order
    (an equal value makes an alias of the first), then the flag masks and order as its
    ``EnumType.__new__`` leaves them.

    A member's attributes go into its ``__dict__`` in one call, in the enum module's order (set one
    by one, each looked for on the class's bases first: most of the cost of a member), and the
    enum module's own ``__init__``, which does nothing, is not called. The values are ints
    (``_plain``): the member type's ``int(value)`` is the value itself."""
    flag = issubclass(enum_class, enum.Flag)
    new_member, use_args = enum_class._new_member_, enum_class._use_args_
    has_init = enum_class.__init__ is not _OWN_INIT
    member_names = enum_class._member_names_
    member_map = enum_class._member_map_
    by_value = enum_class._value2member_map_
    flag_mask = singles_mask = 0
    set_attribute = builtins.type.__setattr__  # EnumType.__setattr__ only refuses to reassign a member
    for name, value in names:
        member = new_member(enum_class, value) if use_args else new_member(enum_class)
        attributes = member.__dict__  # fresh: no _value_ yet (the probes compare the members' attributes)
        attributes.update(_value_=value, _name_=name, __objclass__=enum_class)
        if has_init:
            member.__init__(value)
        attributes["_sort_order_"] = len(member_names)
        canonical = by_value.get(value)
        if flag:
            flag_mask |= value
            single = value != 0 and value & (value - 1) == 0  # enum._is_single_bit
            if single:
                singles_mask |= value
            if canonical is None and single:
                member_names.append(name)
        elif canonical is None:
            member_names.append(name)
        if canonical is None:
            by_value[value] = member
        else:
            member = canonical  # an alias
        set_attribute(enum_class, name, member)
        member_map[name] = member
    if flag:
        enum_class._flag_mask_ = flag_mask
        enum_class._singles_mask_ = singles_mask
        enum_class._all_bits_ = 2 ** (flag_mask.bit_length()) - 1
        values = [m._value_ for m in enum_class]
        if values != sorted(values):
            enum_class._iter_member_ = enum_class._iter_member_by_def_
