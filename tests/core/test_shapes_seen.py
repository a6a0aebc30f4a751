"""Issue 15, first paint: a file whose objects are, SQL for SQL, those of a file found right before is
judged without comparing its schema object by object (core/storage/db.py, ``shapes_folder``); every
damaged, foreign or changed file is refused as it is without that memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.report import Document
from core.storage import db as storage
from tests.core.test_open_safely import _base, _make_variants, open_each


@pytest.fixture
def remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shapes kept in ``tmp_path``/cache, with the sample shape of ``_base`` found right."""
    monkeypatch.setattr(storage, "shapes_folder", tmp_path / "cache")
    (tmp_path / "first").mkdir()
    base = _base(tmp_path / "first")
    Document.open(base, read_only=True).close()
    kept = (tmp_path / "cache" / storage.SHAPES_SEEN).read_text(encoding="utf-8").splitlines()
    assert len(kept) == 1
    return base


def _compares(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the schemas compared object by object."""
    read = storage.read_schema
    compared: list[Path] = []

    def counted(conn: object) -> storage.Schema:
        compared.append(Path())
        return read(conn)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "read_schema", counted)
    return compared


def test_a_file_of_a_shape_found_before_is_not_compared_again(
    remembered: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared = _compares(monkeypatch)
    Document.open(remembered).close()
    Document.open(remembered, read_only=True).close()
    assert compared == []
    # what this program expects changed (a migration, the known schemas): compared again
    monkeypatch.setattr(storage, "_expectation", lambda: "another program")
    Document.open(remembered).close()
    assert len(compared) == 1


def test_every_damaged_foreign_or_changed_file_is_still_refused(remembered: Path, tmp_path: Path) -> None:
    """The variants of test_open_safely, judged with the sample shape remembered: the same refusals."""
    (tmp_path / "variants").mkdir()
    found = _make_variants(tmp_path / "variants")
    opened, _ = open_each(found)
    assert all(n.startswith("page ") for n, _ in opened), opened
    # nothing of another shape was remembered: none of them was found right
    kept = (tmp_path / "cache" / storage.SHAPES_SEEN).read_text(encoding="utf-8").splitlines()
    assert len(kept) == 1


def test_a_shapes_file_that_does_not_read_means_comparing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / storage.SHAPES_SEEN).write_bytes(b"\xff\xfe not text \x80")
    monkeypatch.setattr(storage, "shapes_folder", folder)
    monkeypatch.setattr(storage, "_seen", None)
    compared = _compares(monkeypatch)
    base = _base(tmp_path)
    Document.open(base).close()
    assert len(compared) >= 1
    # … and a folder that cannot be written (a file in its place) only means comparing again
    blocked = tmp_path / "blocked"
    blocked.write_text("a file", encoding="utf-8")
    monkeypatch.setattr(storage, "shapes_folder", blocked / "cache")
    before = len(compared)
    Document.open(base).close()
    Document.open(base).close()
    assert len(compared) == before + 2


def test_without_a_folder_every_file_is_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "shapes_folder", None)
    compared = _compares(monkeypatch)
    base = _base(tmp_path)
    Document.open(base).close()
    Document.open(base).close()
    assert len(compared) >= 2
