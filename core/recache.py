"""Regular expressions compiled at start without being parsed again (issue 15: first paint).

``re`` compiles a pattern by parsing it into the engine's code; a character class such as
``[^()[\\]{}<>,"']`` or ``[\\u4e00-\\u9fff]`` is made by setting each of up to 65,536 bits, a Python
step each. The window's start compiles some 40 patterns — PySide6's own as it is imported (its
signature parser's, 25–30 ms) and core's (the value parser's, 8–10 ms). ``install`` keeps each
pattern's engine code, by its text and flags, in a file of the user's data folder (a pattern no start
has compiled for ``classcache.STALE`` starts in a row is dropped from it), as
``core.classcache`` keeps the dataclasses' methods; a later start makes the pattern from that code
(``_sre.compile``, the call ``re`` itself ends with). Only the start's patterns are kept: from the
first ``save`` (once the window has painted) patterns are compiled as Python compiles them.

Nothing here changes what a pattern is: each one compiled for the file is compared with ``re``'s
own (patterns are equal when their text, flags and code are), and a Python whose ``re`` compiles
otherwise gets its own compiler back. A missing, damaged or foreign file only means compiling as
before. Only ``main`` installs it (the window's start).
"""

from __future__ import annotations

import _sre
import sys
from itertools import repeat
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any

from core.classcache import AGES, age, read_ages, read_kept, write_kept

Kept = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_kept: dict[tuple[str | bytes, int], Kept] = {}
_path: list[Path] = []  # the cache file, once installed
_state = {"unsaved": False, "recording": False}
_used: set[tuple[str | bytes, int]] = set()  # the patterns this start compiled or found
_ages: dict[tuple[str | bytes, int], int] = {}  # per kept pattern, the starts in a row not compiling it
_original = _compiler.compile
MOST = 512  # patterns kept at most (the start compiles about 40)


def _compile(p: Any, flags: int = 0) -> Any:
    """``re._compiler.compile`` with the engine's code of the start's patterns kept."""
    if not isinstance(p, (str, bytes)) or flags & _compiler.SRE_FLAG_DEBUG:
        return _original(p, flags)
    found = _kept.get((p, flags))
    if _state["recording"]:
        _used.add((p, flags))
    if found is not None:
        try:
            return _sre.compile(p, *found)
        except Exception:  # noqa: BLE001 - code the engine refuses: compiled as Python compiles it
            del _kept[(p, flags)]
            _state["unsaved"] = True  # the file is written again without it
    if not _state["recording"] or len(_kept) >= MOST:
        return _original(p, flags)
    try:
        parsed = _parser.parse(p, flags)
        code = [int(c) for c in _compiler._code(parsed, flags)]  # its opcodes are int subclasses
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        made: Kept = (
            flags | parsed.state.flags,
            code,
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        pattern = _sre.compile(p, *made)
    except Exception:  # noqa: BLE001 - a pattern re refuses (re raises it here), or re's insides
        pattern = None  # are not those this was written for (another Python): re's own from now on
    own = _original(p, flags)
    if pattern is None or pattern != own:  # this Python's re compiles otherwise: it compiles for itself
        _compiler.compile = _original
        _kept.clear()
        _state["recording"] = False
        return own
    _kept[(p, flags)] = made
    _state["unsaved"] = True
    return pattern


def install(folder: Path) -> None:
    """Compile regular expressions through the cache kept in ``folder`` (read now if present)."""
    path = folder / f"regex-{sys.implementation.cache_tag}.bin"
    found = read_kept(path)
    if isinstance(found, dict):
        for key, value in found.items():
            if _well_formed(key, value):
                _kept[key] = value
        read_ages(found, _kept, _ages)
    _path[:] = [path]
    _state["recording"] = True
    _compiler.compile = _compile


def _well_formed(key: Any, value: Any) -> bool:
    """A kept entry of the shape ``_compile`` makes (the file is checked; this is the types)."""
    return (
        isinstance(key, tuple)
        and len(key) == 2
        and isinstance(key[0], (str, bytes))
        and isinstance(key[1], int)
        and isinstance(value, tuple)
        and len(value) == 5
        and isinstance(value[0], int)
        and isinstance(value[1], list)
        and all(map(isinstance, value[1], repeat(int)))  # (in C: 15,000 opcodes a start)
        and isinstance(value[2], int)
        and isinstance(value[3], dict)
        and isinstance(value[4], tuple)
        # the group count and names agree (a match's groups() and lastgroup are made from them)
        and len(value[4]) == value[2] + 1
        and value[4][:1] == (None,)
        and all(name is None or isinstance(name, str) for name in value[4])
        and all(
            isinstance(n, str) and isinstance(i, int) and 0 < i < len(value[4]) and value[4][i] == n
            for n, i in value[3].items()
        )
        and sum(name is not None for name in value[4]) == len(value[3])
    )


def save() -> None:
    """Write the patterns compiled since the cache was read, and which kept ones this start did not
    compile (``classcache.age``: one unused for ``STALE`` starts in a row is dropped); patterns
    compiled from now on are not kept (the start's are)."""
    _state["recording"] = False
    ages = dict(_ages)  # from the ages as read: main saves twice a start (after the paint, at the close)
    changed = age(_kept, ages, _used) if _path else False
    if _path and (_state["unsaved"] or changed) and write_kept(_path[0], {**_kept, AGES: ages}):
        _state["unsaved"] = False
