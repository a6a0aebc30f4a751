"""Judging a file compares its schema with resources/storage/schemas.json (no sqlite_utils at open):
that record must be what the migrations make, and opening, editing and refusing must not need
sqlite_utils at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.storage import db as storage
from core.storage.migrations import SCHEMA_VERSION, STEP_NAMES

ROOT = Path(__file__).resolve().parents[2]
REFRESH = "python -m core.storage.db --known-schemas"


def test_every_version_is_recorded_as_the_migrations_make_it() -> None:
    known = storage._known_schemas()
    for version in range(1, SCHEMA_VERSION + 1):
        assert version in known, f"schema version {version} is not recorded: run `{REFRESH}`"
        steps, _ = known[version]
        assert steps == STEP_NAMES[:version], f"the steps of version {version} changed: run `{REFRESH}`"
        expected = storage.expected_schema(version)  # what opening a file compares it with
        assert expected == storage.computed_schema(version), f"version {version} differs: run `{REFRESH}`"


def test_the_file_is_what_the_generator_writes() -> None:
    text = (ROOT / "resources" / storage.KNOWN_SCHEMAS).read_text(encoding="utf-8")
    assert text == storage.known_schemas_text(), f"run `{REFRESH}`"


def test_open_edit_and_refuse_without_sqlite_utils(tmp_path: Path) -> None:
    """A fresh process opens a report, edits a cell and a header field, and refuses a foreign file,
    never importing sqlite_utils (creating the file beforehand may)."""
    from core.report import Document, new_report

    path = tmp_path / "r.zpdb"
    doc = Document.create(path, new_report("hunan-yiyang", 2023, "测试部", ["项目甲"]))
    doc.insert_rows(doc.report.projects[0].uid, "indicators", 0, count=1)
    doc.close()
    foreign = tmp_path / "foreign.zpdb"
    foreign.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    script = f"""
import sys
from pathlib import Path
from core.report import Document
from core.storage.db import StorageError
doc = Document.open(Path({str(path)!r}))
uid = doc.report.projects[0].uid
doc.set_cell(uid, "indicators", 0, "actual", "5人")
doc.set_form_field(uid, "name", "项目乙")
doc.close()
try:
    Document.open(Path({str(foreign)!r}))
except StorageError:
    pass
else:
    raise SystemExit("foreign file opened")
again = Document.open(Path({str(path)!r}), backup=False)
assert again.report.projects[0].name == "项目乙"
assert again.report.projects[0].indicators[0].actual == "5人"
again.close()
print("sqlite_utils" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "ZIPING_DATA_DIR": str(tmp_path / "data")},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
