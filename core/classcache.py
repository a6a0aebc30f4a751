"""Dataclasses made at start without compiling their methods again (issue 15: first paint).

``@dataclass`` writes the source of each class's ``__init__``, ``__repr__``, ``__eq__`` … and
compiles it: the modules the first paint needs make some 35 dataclasses, about 170 compiles,
three quarters of the 30–40 ms their classes cost at every start. ``install`` keeps that
compiled code in a file of the user's data folder, by its whole source text, as Python keeps a
module's code in ``__pycache__``; a later start compiles only source it has not seen. A stale
entry can never be used for other source (the key is the source), nor by another Python (the
file records the version), nor a damaged file (its CRC-32 is checked before marshal reads it).
Nothing here changes what a class is: a missing, unreadable, damaged or foreign file only means
compiling as before.

An entry no start has used for ``STALE`` starts in a row (code of an older ZiPing's classes, say)
is dropped, so the file does not grow over upgrades.

Only ``main`` installs it (the window's start); tests, the command line and the review workers
compile as Python always does.
"""

from __future__ import annotations

import builtins
import marshal
import os
import sys
import zlib
from pathlib import Path
from types import CodeType
from typing import Any

_code: dict[str, CodeType] = {}
_path: list[Path] = []  # the cache file, once installed
_unsaved: list[bool] = [False]
_used: set[str] = set()  # the sources this process compiled or found
_ages: dict[str, int] = {}  # per kept source, the starts in a row that have not used it
STALE = 8  # starts in a row without using an entry before it is dropped
AGES = "\x00unused starts"  # the key the ages are kept under in a file (no entry's key: no class source)


def _exec(source: Any, globals_: Any = None, locals_: Any = None) -> None:
    """``exec`` as ``dataclasses`` calls it (by its global name), with the compiled code kept."""
    if isinstance(source, str):
        code = _code.get(source)
        _used.add(source)
        if code is None:
            code = _code[source] = compile(source, "<string>", "exec")
            _unsaved[0] = True
        source = code
    builtins.exec(source, globals_, locals_)


def install(folder: Path) -> None:
    """Compile dataclasses' methods through the cache kept in ``folder`` (read now if present)."""
    import dataclasses

    path = folder / f"dataclasses-{sys.implementation.cache_tag}.bin"
    found = read_kept(path)
    if isinstance(found, dict):
        _code.update((k, v) for k, v in found.items() if isinstance(k, str) and isinstance(v, CodeType))
        read_ages(found, _code, _ages)
    _path[:] = [path]
    setattr(dataclasses, "exec", _exec)  # noqa: B010 - dataclasses looks ``exec`` up in its module first


def read_kept(path: Path) -> Any:
    """What ``write_kept`` wrote to ``path`` for this Python, or None (none yet, unreadable,
    changed anywhere, or written by another Python)."""
    try:
        data = path.read_bytes()
        payload = memoryview(data)[4:]  # (not a copy of the file's 100–250 kB, twice: fresh pages)
        # The payload's CRC-32 first: marshal trusts its input (a changed byte can raise SystemError
        # or load a code object holding that byte), so a file changed anywhere is never unmarshalled.
        if len(data) > 4 and int.from_bytes(data[:4], "big") == zlib.crc32(payload):
            version, found = marshal.loads(payload)
            if version == sys.version:
                return found
    except Exception:  # noqa: BLE001 - none yet, or unreadable: compiled as before, written anew
        pass
    return None


def write_kept(path: Path, kept: Any) -> bool:
    """Write ``kept`` (marshal's types only) to ``path`` for ``read_kept``; False when the disk refuses."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = marshal.dumps((sys.version, kept))
        part.write_bytes(zlib.crc32(payload).to_bytes(4, "big") + payload)
        os.replace(part, path)
        return True
    except (OSError, ValueError):  # a read-only or full disk: compiled again next time
        try:
            part.unlink(missing_ok=True)
        except OSError:
            pass
        return False


def read_ages(found: dict[Any, Any], kept: dict[Any, Any], ages: dict[Any, int]) -> None:
    """Put into ``ages`` the ages a file ``found`` keeps for the entries of ``kept`` (none in older files)."""
    stored = found.get(AGES)
    if isinstance(stored, dict):
        ages.update((k, v) for k, v in stored.items() if k in kept and isinstance(v, int) and v > 0)


def age(kept: dict[Any, Any], ages: dict[Any, int], used: set[Any]) -> bool:
    """One more start for every entry of ``kept`` not in ``used`` (none again for those in it); an entry
    unused ``STALE`` starts in a row is dropped. True when the file must be written again."""
    changed = False
    for key in list(kept):
        if key in used:
            changed |= ages.pop(key, 0) != 0
            continue
        changed = True
        ages[key] = ages.get(key, 0) + 1
        if ages[key] >= STALE:
            del kept[key], ages[key]
    return changed


def save() -> None:
    """Write the code compiled since the cache was read, and which kept code this start did not use
    (nothing when nothing is new and all of it was used)."""
    ages = dict(_ages)  # from the ages as read: main saves twice a start (after the paint, at the close)
    changed = age(_code, ages, _used)
    if _path and (_unsaved[0] or changed) and write_kept(_path[0], {**_code, AGES: ages}):
        _unsaved[0] = False
