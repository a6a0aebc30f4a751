"""A quicker constructor for the frozen dataclasses made by the hundred thousand.

A frozen dataclass's generated ``__init__`` sets each field through ``object.__setattr__`` (its own
``__setattr__`` refuses): for a 9-field class that is several times the cost of a plain one. The
review list's first scan makes ~1,000 parsed cell values, comparisons and problems a report, so
``quick_init`` gives such a class an ``__init__`` with the same parameters and defaults that fills
the instance's ``__dict__`` in one step. The class stays frozen (assigning a field still raises
FrozenInstanceError), equal, hashable and printable as before; ``dataclasses.replace`` and pickling
work as they did. Only for classes whose fields all have a plain default or none (no
``default_factory``, no ``__post_init__``, no ``slots``): anything else is refused at import.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """Give the frozen dataclass ``cls`` an ``__init__`` that fills ``__dict__`` at once."""
    if not dataclasses.is_dataclass(cls) or not getattr(cls, "__dataclass_params__").frozen:  # noqa: B009
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise TypeError(f"{cls.__name__}: __post_init__ or __slots__ needs the generated __init__")
    names: list[str] = []
    params: list[str] = []
    defaults: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if not f.init or f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields and defaults")
        names.append(f.name)
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            defaults[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    fields_dict = ", ".join(f"{n!r}: {n}" for n in names)
    source = f"def __init__(self, {', '.join(params)}):\n    self.__dict__.update({{{fields_dict}}})\n"
    namespace: dict[str, Any] = dict(defaults)
    exec(source, namespace)  # noqa: S102 - the source is made above from the class's own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    setattr(cls, "__init__", init)  # noqa: B010 - a class attribute set at run time, as dataclass does
    return cls
