"""PySide6's own Python code kept compiled between starts (issue 15: first paint).

PySide6 carries its signature support (``shibokensupport``: loader, parser, mapping, the .pyi
generator …) as Python source zipped inside its shiboken library, with no ``__pycache__``: every
import of PySide6 compiles those 14 files with ``compile(source, name, "exec")``, 20–25 ms of CPU on
a quiet machine, twice that under load, before the window exists. ``kept`` makes such a call, while
the block it guards runs (the window's start imports PySide6 in it), take the code from a file of the
user's data folder when the same source was compiled before: by file name, by the source's hash (the
one Python's hash-checked .pyc files are validated by) and by the ``from __future__`` flags it
inherits from its caller, as ``compile`` does. Source it has not seen is compiled as before and kept
(``save``); an entry no start has used for ``classcache.STALE`` starts in a row is dropped.

Only plain calls are kept (mode "exec", no flags, ``dont_inherit`` or ``optimize`` of their own: the
import system's own compiles pass one and go by untouched). A missing, damaged (CRC-checked) or
foreign file (another Python) only means compiling as before. Only ``main`` uses it (the window's
start); tests, the command line and the review workers compile as Python always does.
"""

from __future__ import annotations
import __future__

import builtins
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import source_hash
from pathlib import Path
from types import CodeType
from typing import Any

from core.classcache import AGES, age, read_ages, read_kept, write_kept

Key = tuple[str, bytes, int]  # (file name, the source's hash, inherited future flags)
_FUTURE = 0
for _feature in __future__.all_feature_names:
    _FUTURE |= getattr(__future__, _feature).compiler_flag
_FUTURE &= ~__future__.nested_scopes.compiler_flag  # obsolete: never a flag a compile inherits
_code: dict[Key, CodeType] = {}
_path: list[Path] = []  # the cache file, once read
_used: set[Key] = set()  # the entries this start compiled or found
_ages: dict[Key, int] = {}  # per kept entry, the starts in a row that have not used it
_state = {"unsaved": False, "aged": False}
made = {"compiled": 0, "kept": 0}  # this process's compiles: compiled here, taken from the file


@contextmanager
def kept(folder: Path | None) -> Iterator[None]:
    """While the block runs, plain ``compile(source, name, "exec")`` calls take their code from the
    file kept in ``folder`` (nothing changes when ``folder`` is None)."""
    if folder is None:
        yield
        return
    if not _path:
        _read(folder / f"compiled-{sys.implementation.cache_tag}.bin")
    original = builtins.compile

    def compile_(
        source: Any,
        filename: Any,
        mode: str,
        flags: int = 0,
        dont_inherit: bool = False,
        optimize: int = -1,
        **kw: Any,
    ) -> Any:
        if (
            kw
            or mode != "exec"
            or flags
            or dont_inherit
            or optimize != -1
            or not isinstance(filename, str)
            or not isinstance(source, (str, bytes))
        ):
            return original(source, filename, mode, flags, dont_inherit, optimize, **kw)
        # the future flags compile would inherit: its caller's (Python's, or the frame running when
        # C code calls it)
        inherited = sys._getframe(1).f_code.co_flags & _FUTURE
        return code_of(original, source, filename, inherited)

    builtins.compile = compile_
    try:
        yield
    finally:
        builtins.compile = original


def code_of(compile_: Any, source: str | bytes, filename: str, inherited: int) -> CodeType:
    """The code of ``source``: kept, or compiled with ``compile_`` (with the ``inherited`` flags only)."""
    text = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    key = (filename, source_hash(text), inherited)
    _used.add(key)
    found = _code.get(key)
    if found is not None:
        made["kept"] += 1
        return found
    code: CodeType = compile_(source, filename, "exec", inherited, True)
    _code[key] = code
    _state["unsaved"] = True
    made["compiled"] += 1
    return code


def _read(path: Path) -> None:
    found = read_kept(path)
    if isinstance(found, dict):
        _code.update((k, v) for k, v in found.items() if _well_formed(k) and isinstance(v, CodeType))
        read_ages(found, _code, _ages)
    _path[:] = [path]


def _well_formed(key: Any) -> bool:
    return (
        isinstance(key, tuple)
        and len(key) == 3
        and isinstance(key[0], str)
        and isinstance(key[1], bytes)
        and isinstance(key[2], int)
    )


def save() -> None:
    """Write the code compiled since the file was read, and which kept code this start did not use."""
    changed = False
    if _path and not _state["aged"]:  # once a start: what it did not use is one start older
        changed, _state["aged"] = age(_code, _ages, _used), True
    if _path and (_state["unsaved"] or changed) and write_kept(_path[0], {**_code, AGES: dict(_ages)}):
        _state["unsaved"] = False
