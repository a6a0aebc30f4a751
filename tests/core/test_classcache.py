"""The start's dataclasses get their methods' code from the last start (core.classcache)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import classcache


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    """The cache installed over ``tmp_path``; afterwards dataclasses compile as Python does."""
    yield tmp_path
    if hasattr(dataclasses, "exec"):
        delattr(dataclasses, "exec")
    _new_process()
    classcache._path.clear()


def _new_process() -> None:
    """What a new process has: only the file."""
    classcache._code.clear()
    classcache._used.clear()
    classcache._ages.clear()
    classcache._unsaved[0] = False


def _make() -> type:
    @dataclasses.dataclass(frozen=True)
    class Row:
        name: str
        amount: int = 0
        tags: tuple[str, ...] = ()

    return Row


def test_a_second_start_compiles_nothing_and_its_classes_are_the_same(cache: Path) -> None:
    classcache.install(cache)
    first = _make()
    assert classcache._unsaved[0]  # compiled, not yet written
    classcache.save()
    assert not classcache._unsaved[0]
    assert list(cache.iterdir()) and not list(cache.glob("*.part"))

    classcache._code.clear()  # a new process: only the file is left
    classcache.install(cache)
    assert classcache._code
    second = _make()
    assert not classcache._unsaved[0]  # every method came from the file
    for cls in (first, second):
        row = cls("培训", 3)
        assert row == cls("培训", 3) and row != cls("培训", 4)
        assert repr(row).endswith("Row(name='培训', amount=3, tags=())")
        assert hash(row) == hash(cls("培训", 3))
        with pytest.raises(dataclasses.FrozenInstanceError):
            row.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xe9\x00\x00"])
def test_a_damaged_or_foreign_file_means_compiling_as_before(cache: Path, content: bytes) -> None:
    import sys

    (cache / f"dataclasses-{sys.implementation.cache_tag}.bin").write_bytes(content)
    classcache.install(cache)
    row = _make()("a")
    assert row.amount == 0 and classcache._unsaved[0]
    classcache.save()  # written anew
    classcache._code.clear()
    classcache.install(cache)
    assert classcache._code


def test_nothing_is_written_when_nothing_was_compiled(cache: Path) -> None:
    classcache.install(cache)
    classcache.save()
    assert not list(cache.iterdir())


def test_a_file_damaged_inside_is_never_used(cache: Path) -> None:
    """One byte changed anywhere in the file (a bad sector, a write cut by a power loss): the start
    compiles as before. Unchecked, marshal raises SystemError on some such bytes (the start fails
    before the window exists) or loads code objects with the changed bytes in them."""
    import sys

    classcache.install(cache)
    _make()
    classcache.save()
    path = cache / f"dataclasses-{sys.implementation.cache_tag}.bin"
    good = path.read_bytes()
    for at in range(0, len(good), max(1, len(good) // 400)):
        for byte in (0x00, 0x29, 0x7F, 0xE3):
            damaged = bytearray(good)
            if damaged[at] == byte:
                continue
            damaged[at] = byte
            path.write_bytes(bytes(damaged))
            classcache._code.clear()
            classcache.install(cache)  # never raises
            assert not classcache._code, (at, byte)  # nothing of a changed file is used
    path.write_bytes(good)
    classcache._code.clear()
    classcache.install(cache)
    assert classcache._code


def _starts_without_it(cache: Path, starts: int, kept: set[str]) -> None:
    """``starts`` starts that make no class: each still finds ``kept`` in the file."""
    for _start in range(starts):
        _new_process()
        classcache.install(cache)
        assert set(classcache._code) == kept
        classcache.save()


def test_code_no_start_uses_is_dropped_after_stale_starts_in_a_row(cache: Path) -> None:
    """An older ZiPing's classes are not kept for ever: an entry unused ``STALE`` starts in a row goes;
    one used again in between starts counting afresh."""
    classcache.install(cache)
    _make()
    classcache.save()
    kept = set(classcache._code)
    _starts_without_it(cache, classcache.STALE - 1, kept)
    _new_process()
    classcache.install(cache)
    _make()  # used again: its age is reset
    assert not classcache._unsaved[0]
    classcache.save()
    _starts_without_it(cache, classcache.STALE - 1, kept)
    _new_process()
    classcache.install(cache)
    classcache.save()  # the STALE-th start in a row without it
    _new_process()
    classcache.install(cache)
    assert not classcache._code
    _make()
    assert classcache._unsaved[0]  # compiled again, as the first time


def test_a_start_saving_twice_ages_its_unused_code_once(cache: Path) -> None:
    """main saves after the first paint and again when the window closes: an entry that start did
    not use is one start older, not two (it stays for ``STALE`` - 1 such starts, as documented)."""
    classcache.install(cache)
    _make()
    classcache.save()
    kept = set(classcache._code)
    for _start in range(classcache.STALE - 1):
        _new_process()
        classcache.install(cache)
        assert set(classcache._code) == kept
        classcache.save()  # after the first paint
        classcache.save()  # when the window closes
    _new_process()
    classcache.install(cache)
    assert set(classcache._code) == kept
