"""The start's regular expressions are made from the engine code the last start kept (core.recache)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import recache

# a value parser's pattern (a CJK class: 21,000 bits set one by one when parsed) and a verbose one
# with a negated class, as PySide6's signature parser compiles
PATTERNS = [
    (r"(?:(?![余多])[A-Za-z%\u4e00-\u9fff]{1,6}(?:\([\u4e00-\u9fff]{1,2}\))?)?", 0),
    (r"""(?P<word> [^\(\)\[\]\{\}\<\>\,\"\\\']+ ) \s* (?P<eq> = )?""", re.VERBOSE),
    (rb"[^\x00-\x1f]+(?P<tail>\d+)$", 0),
]
TEXTS = ["万元", "人次(个)", "优", "abc=", "x 12", "≥95%"]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    """The cache installed over ``tmp_path``; afterwards ``re`` compiles as Python does."""
    yield tmp_path
    re._compiler.compile = recache._original  # type: ignore[attr-defined]
    recache._kept.clear()
    recache._path.clear()
    recache._state.update(unsaved=False, recording=False)
    re.purge()


def _compiled() -> list[re.Pattern[str] | re.Pattern[bytes]]:
    re.purge()  # re's own memo would hand back the patterns of the last call
    return [re.compile(p, f) for p, f in PATTERNS]


def _matches(patterns: list[re.Pattern[str] | re.Pattern[bytes]]) -> list[object]:
    found: list[object] = []
    for pattern in patterns:
        for text in TEXTS:
            subject = text.encode() if isinstance(pattern.pattern, bytes) else text
            match = pattern.search(subject)  # type: ignore[arg-type]
            found.append(match and (match.span(), match.groupdict()))
    return found


def test_a_second_start_parses_no_pattern_and_its_patterns_are_the_same(cache: Path) -> None:
    own = _compiled()  # as Python compiles them
    recache.install(cache)
    first = _compiled()
    assert recache._state["unsaved"]
    recache.save()
    assert not recache._state["unsaved"] and not list(cache.glob("*.part"))

    recache._kept.clear()  # a new process: only the file is left
    recache.install(cache)
    assert len(recache._kept) == len(PATTERNS)
    second = _compiled()
    assert not recache._state["unsaved"]
    for patterns in (first, second):
        assert patterns == own  # equal text, flags and engine code
        assert [p.groupindex for p in patterns] == [p.groupindex for p in own]
        assert _matches(patterns) == _matches(own)


def test_only_the_start_s_patterns_are_kept(cache: Path) -> None:
    recache.install(cache)
    _compiled()
    recache.save()  # the window has painted
    re.purge()
    re.compile(r"[\u4e00-\u9fff]+年")
    assert len(recache._kept) == len(PATTERNS) and not recache._state["unsaved"]


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xe9\x00\x00"])
def test_a_damaged_or_foreign_file_means_compiling_as_before(cache: Path, content: bytes) -> None:
    (cache / f"regex-{sys.implementation.cache_tag}.bin").write_bytes(content)
    own = _compiled()
    recache.install(cache)
    assert _compiled() == own and recache._state["unsaved"]


def test_a_file_changed_anywhere_is_never_used(cache: Path) -> None:
    recache.install(cache)
    _compiled()
    recache.save()
    path = cache / f"regex-{sys.implementation.cache_tag}.bin"
    good = path.read_bytes()
    for at in range(0, len(good), max(1, len(good) // 300)):
        damaged = bytearray(good)
        damaged[at] ^= 0x5A
        path.write_bytes(bytes(damaged))
        recache._kept.clear()
        recache.install(cache)  # never raises
        assert not recache._kept, at
    path.write_bytes(good)
    recache._kept.clear()
    recache.install(cache)
    assert len(recache._kept) == len(PATTERNS)
