"""项目编码 and 业务处室 of a project form (issue 16), added the schema way (issue 9).

Both are two declarations in ``core/schema.py`` and one migration (m004). These tests follow them
through real files: an older .zpdb opens and gets the columns, an imported workbook's 项目编码 reaches
the report, the review list (--json and 汇总.xlsx), the 抽评 draw and the interchange round trip.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from core import schema
from core.importers.api import build_report, preview_files
from core.interchange import dumps, read_json_file
from core.report import Document
from core.review.readonly import load_readonly
from core.schema import HEAD, Table
from core.storage.migrations import NAME, SCHEMA_VERSION, STEP_NAMES

ROOT = Path(__file__).resolve().parents[2]
SeedFile = Callable[[str], Path]
CODE, OFFICE = "33090024Y000000012345", "行政政法处"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], capture_output=True, text=True, cwd=ROOT, timeout=180
    )


def test_the_two_columns_are_declared_once_with_their_header_words() -> None:
    code, office = schema.the(Table.HEADER, HEAD.code), schema.the(Table.HEADER, HEAD.office)
    assert (code.label, code.storage, code.interchange) == ("项目编码", "code", "code")
    assert (office.label, office.storage, office.interchange) == ("业务处室", "office", "office")
    assert code.headers == ("项目编码", "项目代码") and office.headers == ("业务处室", "主管处室")
    assert STEP_NAMES[3] == "m004_form_code_office" and SCHEMA_VERSION >= 4


def test_every_header_field_the_importer_finds_has_a_place_in_a_read_form() -> None:
    """The importer reads each header column with header words into the same-named RawForm field."""
    from dataclasses import fields

    from core.importers.recognise import RawForm
    from core.importers.words import HEADER_LABELS

    assert [key for key, _words in HEADER_LABELS] == ["supervisor", "implementer", "code", "office"]
    assert {key for key, _words in HEADER_LABELS} <= {f.name for f in fields(RawForm)}


def _as_version_3(path: Path) -> None:
    """Make ``path`` what the previous version wrote: forms without code/office, m004 not applied."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("ALTER TABLE forms DROP COLUMN code")
        conn.execute("ALTER TABLE forms DROP COLUMN office")
        conn.execute("DROP TABLE review_flags")  # m005, after m004
        for step in STEP_NAMES[3:]:
            conn.execute("DELETE FROM _sqlite_migrations WHERE migration_set = ? AND name = ?", [NAME, step])
        conn.execute("PRAGMA user_version=3")
    finally:
        conn.close()


def _form_columns(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[1] for row in conn.execute("PRAGMA table_info(forms)")}
    finally:
        conn.close()


def test_an_older_file_opens_gets_the_columns_and_keeps_an_edit(seed_zpdb: SeedFile, tmp_path: Path) -> None:
    path = seed_zpdb("seed004_yiyang")
    before = Document.open(path, backup=False, read_only=True)
    names = [f.name for f in before.report.forms]
    before.close()
    _as_version_3(path)
    assert {"code", "office"}.isdisjoint(_form_columns(path))

    # The review reads it without writing it (upgraded in memory only) …
    untouched = path.read_bytes()
    seen = load_readonly(path)
    assert [f.name for f in seen.forms] == names and all(f.code == f.office == "" for f in seen.forms)
    assert path.read_bytes() == untouched

    # … opening it for editing upgrades the file, and the new fields take an edit that is kept.
    doc = Document.open(path, backup=False)
    try:
        assert doc.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [f.name for f in doc.report.forms] == names
        uid = doc.report.projects[0].uid
        doc.set_form_field(uid, HEAD.code, CODE)
        doc.set_form_field(uid, HEAD.office, OFFICE)
    finally:
        doc.close()
    assert {"code", "office"} <= _form_columns(path)
    again = Document.open(path, backup=False, read_only=True)
    try:
        project = again.report.projects[0]
        assert (project.code, project.office) == (CODE, OFFICE)
    finally:
        again.close()


def _self_evaluation(path: Path, code_word: str, office_word: str) -> Path:
    """A 项目支出绩效自评表 as a unit fills it in, with 项目编码 and 业务处室 among its header fields."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    rows: list[list[Any]] = [
        ["项目支出绩效自评表"],
        ["（2023年度）"],
        ["项目名称", "干部培训项目", "", "", code_word, CODE],
        ["主管部门", "某某局", "", "", "实施单位", "某某中心"],
        [office_word, OFFICE],
        ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["", "年度资金总额", 100, 100, 95, 10, "95%", 9.5],
        ["", "其中：当年财政拨款", 100, 100, 95],
        ["", "上年结转资金"],
        ["", "其他资金"],
        ["年度总体目标", "预期目标", "", "", "", "实际完成情况"],
        ["", "完成培训任务", "", "", "", "已完成"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["", "产出指标", "数量指标", "培训人数", "≥100人", "120人", "50", "50"],
        ["", "效益指标", "社会效益指标", "干部能力提升", "明显提升", "明显提升", "30", "30"],
        ["", "满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "96%", "10", "10"],
        ["", "总分", "", "", "", "", "", "99.5"],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A6:A10")
    ws.merge_cells("A13:A16")
    wb.save(path)
    return path


@pytest.mark.parametrize(("code_word", "office_word"), [("项目编码", "业务处室"), ("项目代码", "主管处室")])
def test_the_importer_reads_the_code_and_office_of_a_self_evaluation(
    tmp_path: Path, code_word: str, office_word: str
) -> None:
    path = _self_evaluation(tmp_path / "自评表.xlsx", code_word, office_word)
    report = build_report(preview_files([path]), template="mof")
    form = report.form_by_name("干部培训项目")
    assert form is not None
    assert (form.code, form.office, form.supervisor, form.implementer) == (CODE, OFFICE, "某某局", "某某中心")


def test_the_importer_reads_the_code_and_office_of_a_declaration(tmp_path: Path) -> None:
    """The 一体化 绩效目标申报表 prints 项目代码 beside the name and the 主管处室 under the 主管部门."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [
        ["项目支出绩效目标申报表"],
        ["（2024年度）"],
        ["项目名称", "干部培训项目", "", "项目代码", CODE],
        ["主管部门及代码", "[101]某局", "", "实施单位", "某中心"],
        ["主管处室", OFFICE],
        ["项目资金（万元）", "年度资金申请总额", "100"],
        ["", "其中：当年财政拨款", "80"],
        ["年度总体目标", "完成全年干部培训任务 1000 人次"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "培训人次", "≥1000人次"],
    ]:
        ws.append(row)
    ws.merge_cells("A6:A7")
    wb.save(tmp_path / "申报表.xlsx")
    preview = preview_files([tmp_path / "申报表.xlsx"])
    (part,) = [p for p in preview.sources if p.raw]
    assert part.recognised_as == "绩效目标申报表"
    form = build_report(preview, template="mof").form_by_name("干部培训项目")
    assert form is not None
    assert (form.code, form.office, form.supervisor) == (CODE, OFFICE, "[101]某局")


def test_an_imported_code_reaches_the_review_list_and_the_interchange_round_trip(tmp_path: Path) -> None:
    source = _self_evaluation(tmp_path / "自评表.xlsx", "项目编码", "业务处室")
    folder = tmp_path / "收件"
    folder.mkdir()
    report_file = folder / "某某局.zpdb"
    done = run("import", str(source), "-o", str(report_file), "--template", "mof", "--department", "某某局")
    assert done.returncode == 0, done.stderr

    # the review list: --json per form, and 汇总.xlsx's 编码 and 业务处室 columns
    listed = run("review", str(folder), "--json", "--xlsx", str(tmp_path / "汇总.xlsx"))
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)["reports"]
    project = next(f for f in entry["forms"] if f["name"] == "干部培训项目")
    assert (project["code"], project["office"]) == (CODE, OFFICE)
    ws = openpyxl.load_workbook(tmp_path / "汇总.xlsx").active
    head = [c.value for c in ws[1]]
    assert head[:5] == ["状态", "编码", "名称", "预算单位", "业务处室"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[2] == "干部培训项目")
    assert (row[1], row[3], row[4]) == (CODE, "某某局", OFFICE)
    overall = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[2] != "干部培训项目")
    assert overall[1] and overall[1].startswith("P")  # no 项目编码: the list's stable stand-in

    # the list's first pass (figures only, the lean reader) and a sealed package checked without
    # counts carry the same code and office
    from core.review.package import make_package, verify_package
    from core.review.scan import summarise_file

    quick = summarise_file(str(report_file), checks=False)
    assert quick["problems"] is None
    first = next(f for f in quick["forms"] if f["name"] == "干部培训项目")
    assert (first["code"], first["office"]) == (CODE, OFFICE)
    make_package(report_file, tmp_path / "sealed.zip")
    verdict = verify_package(tmp_path / "sealed.zip", deep=False, checks=False)
    assert verdict.ok, verdict.changes
    assert (verdict.summary or {})["forms"][1]["code"] == CODE

    # the interchange round trip: exported, imported into a new file, exported again — the same
    exported = tmp_path / "r.json"
    assert run("export-json", str(report_file), "-o", str(exported)).returncode == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    form = next(f for f in data["forms"] if f["name"] == "干部培训项目")
    assert (form["code"], form["office"]) == (CODE, OFFICE)
    again = tmp_path / "again.zpdb"
    assert run("import-json", str(exported), "-o", str(again)).returncode == 0
    back = Document.open(again, backup=False, read_only=True)
    try:
        assert dumps(back.report, back.template) == exported.read_text(encoding="utf-8")
    finally:
        back.close()
    assert read_json_file(exported).form_by_name("干部培训项目").code == CODE  # type: ignore[union-attr]


def test_the_sample_names_a_drawn_workbook_by_its_project_code(tmp_path: Path) -> None:
    from core.review.sample import draw

    forms = [
        {"name": "甲项目", "code": CODE, "kind": "project", "grade": "优", "total": "95"},
        {"name": "乙项目", "code": "", "kind": "project", "grade": "优", "total": "92"},
    ]
    reports = [{"file": "a.zpdb", "department": "某某局", "year": 2023, "forms": forms}]
    drawn = {d["name"]: d["code"] for d in draw(reports, {"优": 2}, seed=1)}
    assert drawn["甲项目"] == CODE and drawn["乙项目"].startswith("P")


def test_a_package_sealed_before_the_two_columns_still_verifies(seed_zpdb: SeedFile, tmp_path: Path) -> None:
    """An older version sealed per-form figures without code/office: blank now, not a change."""
    import zipfile

    from core.review.package import MANIFEST, make_package, verify_package

    sealed = tmp_path / "sealed.zip"
    make_package(seed_zpdb("seed004_yiyang"), sealed)
    with zipfile.ZipFile(sealed) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(files[MANIFEST])
    assert all(f["code"] == "" and f["office"] == "" for f in manifest["forms"])
    for form in manifest["forms"]:
        del form["code"], form["office"]
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    older = tmp_path / "older.zip"
    with zipfile.ZipFile(older, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    assert verify_package(older).ok, verify_package(older).changes
    # … while a code edited in the manifest is named
    manifest["forms"][1]["code"] = "X001"
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    with zipfile.ZipFile(older, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    verdict = verify_package(older)
    assert not verdict.ok and any("code" in c and "X001" in c for c in verdict.changes)
