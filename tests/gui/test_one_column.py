"""Issue #9's "done when": a column declared once (core/schema.py, plus one migration line) and
given a title in a template shows up in storage, the interchange round trip, the grid, the problem
list and the export header; the places that used to restate columns now read the schema."""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from core import interchange, report, schema
from core.export.xlsx import write_xlsx
from core.interchange import report_from_dict, report_to_dict
from core.problems import Problem
from core.report import Document, new_report
from core.storage import repository
from gui import problems
from gui.context import AppContext
from gui.grids import models

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "templates"
TITLE = "完成情况简述（测试）"


@pytest.fixture
def template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A region template that shows the ``brief`` column (the "title in a template" half)."""
    folder = tmp_path / "templates"
    shutil.copytree(SHIPPED, folder)
    data = json.loads((folder / "hunan-yiyang.json").read_text(encoding="utf-8"))
    data.update(id="test-brief", name="测试·简述", default=False)
    data["forms"]["project"]["indicators"]["columns"].append({"key": "brief", "title": TITLE, "width": 20})
    (folder / "test-brief.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr("core.templates.templates_dir", lambda: folder)
    yield "test-brief"


def test_a_declared_column_reaches_every_layer(template: str, tmp_path: Path, qapp) -> None:  # noqa: ANN001
    assert schema.column("indicators", "brief") is not None  # declared once, in the schema
    path = tmp_path / "r.zpdb"
    doc = Document.create(path, new_report(template, 2023, "测试部", ["项目甲"]))
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "indicators", 0, count=1)
    doc.set_cells(
        [
            (uid, "indicators", 0, "level1", "产出指标"),
            (uid, "indicators", 0, "level3", "培训班次数"),
            (uid, "indicators", 0, "brief", "按期完成全部培训"),
        ]
    )
    doc.close()

    # storage: on disk and back
    doc = Document.open(path, backup=False)
    assert doc.report.projects[0].indicators[0].brief == "按期完成全部培训"

    # interchange: exported under its key and read back the same
    data = report_to_dict(doc.report)
    assert data["forms"][1]["indicators"][0]["brief"] == "按期完成全部培训"
    assert report_to_dict(report_from_dict(data)) == data

    # grid: a column with the template's title and the declared kind's editor
    ctx = AppContext(doc)
    model = models.make_model(ctx, "indicators")
    model.set_form(uid)
    (col,) = [c for c in model.columns if c.key == "brief"]
    assert (col.title, col.editor) == (TITLE, "long")
    assert model.cell_text(0, model.columns.index(col)) == "按期完成全部培训"

    # problem list: the declared label
    where = Problem("Y02", "warning", "…", uid, "项目甲", "indicators", 0, "brief")
    assert problems.cell_text(where) == "指标 第1行 完成情况简要描述"

    # export header: the template's title in the project sheet
    out = tmp_path / "r.xlsx"
    write_xlsx(doc.report, out, template=doc.template)
    # (a label too long for its column is printed broken before its bracket: compare without breaks)
    texts = {
        str(c.value).replace("\u200b\n", "").replace("\n", "")  # SOFT_BREAK, a layout break
        for ws in openpyxl.load_workbook(out)
        for r in ws.iter_rows()
        for c in r
        if c.value
    }
    assert TITLE in texts and "按期完成全部培训" in texts
    ctx.set_document(None)
    doc.close()


KEYS = sorted({c.key for t in schema.Table for c in schema.columns(t)}, key=len, reverse=True)
LITERAL = re.compile(r"""["'](""" + "|".join(KEYS) + r""")["']""")


@pytest.mark.parametrize(
    "code",
    [
        report._cell_value,
        repository.row_to_db,
        repository._row_from_db,
        repository.update_cells,
        interchange._row,
        interchange._row_dict,
        models._editor,
        problems.cell_text,
    ],
    ids=lambda f: f"{f.__module__}.{f.__name__}",
)
def test_the_places_that_restated_columns_read_the_schema(code: object) -> None:
    """These used to spell out column keys; now no column key is written in them."""
    found = LITERAL.findall(inspect.getsource(code))  # type: ignore[arg-type]
    assert not found, found


def test_model_and_problem_list_spell_no_column_key() -> None:
    for module in ("core/model.py", "gui/problems.py"):
        text = (Path(__file__).resolve().parents[2] / module).read_text(encoding="utf-8")
        assert not LITERAL.findall(text), module


# ---- a column that does not exist yet, added in one place ------------------------------------
NEW_KEY = "extra_note"
NEW_LABEL = "补充说明（新列）"
NEW_TITLE = "补充说明"
NEW_FIELD = f'    {NEW_KEY}: str = text("{NEW_LABEL}", Kind.LONG)\n'
NEW_STEP = f"m900_test_{NEW_KEY}"
NEW_MIGRATION = f'''

def {NEW_STEP}(db: sqlite_utils.Database) -> None:
    db.table("indicators").add_column("{NEW_KEY}", str)
'''
# Runs inside the patched copy: every layer must carry the new column with no other edit.
PROBE = f"""
import json, sys
from pathlib import Path
import openpyxl
from PySide6.QtWidgets import QApplication
from core import schema
from core.export.xlsx import write_xlsx
from core.interchange import report_from_dict, report_to_dict
from core.problems import Problem
from core.report import Document, new_report
from gui import problems
from gui.context import AppContext
from gui.grids import models

app = QApplication([])
out = {{}}
column = schema.column("indicators", "{NEW_KEY}")
out["declared"] = column is not None and column.label
path = Path(sys.argv[1]) / "r.zpdb"
doc = Document.create(path, new_report("hunan-yiyang", 2023, "测试部", ["项目甲"]))
uid = doc.report.projects[0].uid
doc.insert_rows(uid, "indicators", 0, count=1)
doc.set_cells([(uid, "indicators", 0, "level3", "培训班次数")])
doc.set_cells([(uid, "indicators", 0, "{NEW_KEY}", "新列的值")])
doc.close()
doc = Document.open(path, backup=False)
out["storage"] = doc.report.projects[0].indicators[0].{NEW_KEY}
data = report_to_dict(doc.report)
out["interchange"] = data["forms"][1]["indicators"][0].get("{NEW_KEY}")
out["round_trip"] = report_to_dict(report_from_dict(data)) == data
ctx = AppContext(doc)
model = models.make_model(ctx, "indicators")
model.set_form(uid)
cols = [c for c in model.columns if c.key == "{NEW_KEY}"]
out["grid"] = [(c.title, c.editor, model.cell_text(0, model.columns.index(c))) for c in cols]
where = Problem("Y02", "warning", "…", uid, "项目甲", schema.Table.INDICATORS, 0, "{NEW_KEY}")
out["problem_list"] = problems.cell_text(where)
xlsx = Path(sys.argv[1]) / "r.xlsx"
write_xlsx(doc.report, xlsx, template=doc.template)
cells = [c for ws in openpyxl.load_workbook(xlsx) for r in ws.iter_rows() for c in r if c.value]
texts = {{str(c.value).replace("\\n", "") for c in cells}}
out["export_header"] = "{NEW_TITLE}" in texts
out["export_value"] = "新列的值" in texts
ctx.set_document(None)
doc.close()
print(json.dumps(out, ensure_ascii=False))
"""


def _patched_copy(tmp_path: Path, migrate: bool = True) -> Path:
    """A copy of the program with one new indicator column: one schema field, one migration, one title."""
    root = Path(__file__).resolve().parents[2]
    copy = tmp_path / "tree"
    for part in ("core", "gui", "resources"):
        shutil.copytree(root / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    schema_py = copy / "core" / "schema.py"
    text = schema_py.read_text(encoding="utf-8")
    anchor = "class Indicator:\n"
    start = text.index(anchor)
    end = text.index("\n\n", start)  # the end of the field block
    schema_py.write_text(text[:end] + "\n" + NEW_FIELD.rstrip("\n") + text[end:], encoding="utf-8")
    if migrate:  # one new step at the end of the migrations
        migrations = copy / "core" / "storage" / "migrations.py"
        text = migrations.read_text(encoding="utf-8")
        steps = text.index("\nSTEPS = (")
        end = text.index(")", steps)
        text = text[:steps] + NEW_MIGRATION + text[steps:end] + f", {NEW_STEP}" + text[end:]
        migrations.write_text(text, encoding="utf-8")
    template = copy / "resources" / "templates" / "hunan-yiyang.json"
    data = json.loads(template.read_text(encoding="utf-8"))
    data["forms"]["project"]["indicators"]["columns"].append(
        {"key": NEW_KEY, "title": NEW_TITLE, "width": 20}
    )
    template.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return copy


def test_a_new_column_added_in_one_place_reaches_every_layer(tmp_path: Path) -> None:
    """Add a column nobody has seen (schema field + its migration + a template title) to a copy of
    the program: storage, interchange round trip, grid, problem list and export header carry it."""
    copy = _patched_copy(tmp_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(copy)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out == {
        "declared": NEW_LABEL,
        "storage": "新列的值",
        "interchange": "新列的值",
        "round_trip": True,
        "grid": [[NEW_TITLE, "long", "新列的值"]],
        "problem_list": f"指标 第1行 {NEW_LABEL}",
        "export_header": True,
        "export_value": True,
    }


def test_without_the_migration_the_new_column_is_not_stored(tmp_path: Path) -> None:
    """The storage check is real: drop the migration line and the copy cannot write the column."""
    copy = _patched_copy(tmp_path, migrate=False)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(copy)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0 or '"storage": "新列的值"' not in done.stdout
