"""The start's regular expressions are made from the engine code the last start kept (core.recache)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core import recache
from core.classcache import write_kept

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
    _new_process()
    recache._path.clear()
    re.purge()


def _new_process() -> None:
    """What a new process has: only the file."""
    recache._kept.clear()
    recache._used.clear()
    recache._ages.clear()
    recache._state.update(unsaved=False, recording=False)


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


@pytest.mark.parametrize(
    "made",
    [
        (0, [1, 2, 3], 0, {}, (None,)),  # the engine refuses it: RuntimeError
        (0, [10**20], 0, {}, (None,)),  # no C integer: OverflowError
        (0, [], 0, {}, (None,)),
        (0, [14, 4, 0, 1, 1, 17, 97, 1], 5, {"x": 1}, ("a",)),
    ],
)
def test_kept_code_the_engine_refuses_means_compiling_as_before(cache: Path, made: tuple[Any, ...]) -> None:
    """A file whose CRC is right but whose code is not this pattern's (written by hand, by another
    build of ZiPing): the start still compiles every pattern, as Python compiles it."""
    own = _compiled()
    kept = {(p, int(f)): made for p, f in PATTERNS}

    assert write_kept(cache / f"regex-{sys.implementation.cache_tag}.bin", kept)
    recache.install(cache)
    assert _compiled() == own
    assert _matches(_compiled()) == _matches(own)


def test_kept_group_names_that_do_not_fit_the_groups_are_not_used(cache: Path) -> None:
    """Group counts and names are the pattern's, or the entry is dropped (a match's groups() and
    lastgroup come from them, not from the code)."""
    p = r"(?P<x>a)(b)"
    re.purge()
    own = re.compile(p)
    good = recache._original(p, 0)

    code = [int(c) for c in re._compiler._code(re._parser.parse(p, 0), 0)]  # type: ignore[attr-defined]
    assert good == own
    for made in [
        (0, code, 5, {"x": 1}, (None, "x", None)),
        (0, code, 2, {"x": 7}, (None, "x", None)),
        (0, code, 2, {1: 1}, (None, "x", None)),
        (0, code, 2, {"x": 1}, (None, 5, None)),
    ]:
        assert write_kept(cache / f"regex-{sys.implementation.cache_tag}.bin", {(p, 0): made})
        recache._kept.clear()
        recache.install(cache)
        assert not recache._kept, made
        re.purge()
        compiled = re.compile(p)
        assert compiled.match("ab").groups() == ("a", "b")  # type: ignore[union-attr]
        assert compiled.groupindex == {"x": 1}


def test_a_python_whose_re_is_made_otherwise_compiles_as_it_does(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's ``compile`` taking other arguments in another Python (re's own compiler, which
    calls it its way, unchanged): patterns are compiled by that Python's ``re`` (no exception at the
    start), and a pattern re refuses still raises re.error."""
    import types

    own = _compiled()
    recache.install(cache)

    def other(*_args: object) -> None:
        raise TypeError("compile() takes other arguments")

    monkeypatch.setattr(recache, "_sre", types.SimpleNamespace(compile=other))
    assert _compiled() == own
    assert re._compiler.compile is recache._original  # type: ignore[attr-defined]
    with pytest.raises(re.error):
        re.compile(r"(unclosed")


def test_a_pattern_re_refuses_still_raises_re_error(cache: Path) -> None:
    recache.install(cache)
    re.purge()
    with pytest.raises(re.error):
        re.compile(r"[z-a]")
    assert _compiled()  # and the cache goes on
    assert re._compiler.compile is recache._compile  # type: ignore[attr-defined]


def test_a_pattern_no_start_compiles_is_dropped_after_stale_starts_in_a_row(cache: Path) -> None:
    """Patterns of an older ZiPing's start are not kept for ever (the file held at most 512, filled over
    upgrades): one not compiled ``STALE`` starts in a row goes; the others stay."""
    from core.classcache import STALE

    recache.install(cache)
    _compiled()
    recache.save()
    for _start in range(STALE - 1):  # starts that compile only the first pattern
        _new_process()
        recache.install(cache)
        assert len(recache._kept) == len(PATTERNS)
        re.purge()
        re.compile(*PATTERNS[0])
        recache.save()
    _new_process()
    recache.install(cache)
    re.purge()
    re.compile(*PATTERNS[0])
    recache.save()
    _new_process()
    recache.install(cache)
    assert list(recache._kept) == [PATTERNS[0]]
    assert _matches(_compiled()) == _matches([re.compile(p, f) for p, f in PATTERNS])


def test_a_start_saving_twice_ages_its_unused_patterns_once(cache: Path) -> None:
    """main saves after the first paint and again when the window closes: a pattern that start did
    not compile is one start older, not two (it stays for ``STALE`` - 1 such starts)."""
    from core.classcache import STALE

    recache.install(cache)
    _compiled()
    recache.save()
    for _start in range(STALE - 1):
        _new_process()
        recache.install(cache)
        assert len(recache._kept) == len(PATTERNS)
        re.purge()
        re.compile(*PATTERNS[0])
        recache.save()  # after the first paint
        recache.save()  # when the window closes
    _new_process()
    recache.install(cache)
    assert len(recache._kept) == len(PATTERNS)
