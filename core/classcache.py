"""Dataclasses made at start without compiling their methods again (issue 15: first paint).

``@dataclass`` writes the source of each class's ``__init__``, ``__repr__``, ``__eq__`` … and
compiles it: the modules the first paint needs make some 35 dataclasses, about 170 compiles,
three quarters of the 30–40 ms their classes cost at every start. ``install`` keeps that
compiled code in a file of the user's data folder, by its whole source text, as Python keeps a
module's code in ``__pycache__``; a later start compiles only source it has not seen. A stale
entry can never be used for other source (the key is the source), nor by another Python (the
file records the version). Nothing here changes what a class is: a missing, unreadable or
foreign file only means compiling as before.

Only ``main`` installs it (the window's start); tests, the command line and the review workers
compile as Python always does.
"""

from __future__ import annotations

import builtins
import dataclasses
import marshal
import os
import sys
from pathlib import Path
from types import CodeType
from typing import Any

_code: dict[str, CodeType] = {}
_path: list[Path] = []  # the cache file, once installed
_unsaved: list[bool] = [False]


def _exec(source: Any, globals_: Any = None, locals_: Any = None) -> None:
    """``exec`` as ``dataclasses`` calls it (by its global name), with the compiled code kept."""
    if isinstance(source, str):
        code = _code.get(source)
        if code is None:
            code = _code[source] = compile(source, "<string>", "exec")
            _unsaved[0] = True
        source = code
    builtins.exec(source, globals_, locals_)


def install(folder: Path) -> None:
    """Compile dataclasses' methods through the cache kept in ``folder`` (read now if present)."""
    path = folder / f"dataclasses-{sys.implementation.cache_tag}.bin"
    try:
        version, found = marshal.loads(path.read_bytes())
        if version == sys.version and isinstance(found, dict):
            _code.update((k, v) for k, v in found.items() if isinstance(k, str) and isinstance(v, CodeType))
    except (OSError, EOFError, ValueError, TypeError):
        pass  # none yet, or unreadable: compiled as before, written anew
    _path[:] = [path]
    setattr(dataclasses, "exec", _exec)  # noqa: B010 - dataclasses looks ``exec`` up in its module first


def save() -> None:
    """Write the code compiled since the cache was read (nothing when nothing is new)."""
    if not _path or not _unsaved[0]:
        return
    path = _path[0]
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(marshal.dumps((sys.version, _code)))
        os.replace(part, path)
        _unsaved[0] = False
    except OSError:  # a read-only or full disk: compiled again next time
        try:
            part.unlink(missing_ok=True)
        except OSError:
            pass
