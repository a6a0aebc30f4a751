"""The schema: every declared column is stored, exchanged and checked the same way.

Includes the 一体化/复核 columns (扣减分数, 完成情况简要描述, 计量单位, 其中, 复核得分/意见).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from core import schema
from core.interchange import InterchangeError, report_from_dict, report_to_dict
from core.report import Document, InputError, new_report
from core.schema import ROW_TYPES, STORAGE_TABLES, Kind, Table
from core.storage import db as storage
from core.storage import repository as repo
from core.storage.migrations import MIGRATIONS

NEW_INDICATOR = {
    "deduction": "1.5",
    "brief": "完成培训 5 期\n覆盖全市",
    "unit": "期",
    "breakdown": True,
    "review_score": "8",
    "review_note": "佐证材料不全",
}


def _doc(path: Path) -> Document:
    doc = Document.create(path, new_report("hunan-yiyang", 2023, "测试部", ["项目甲"]))
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "indicators", 0, count=1)
    doc.insert_rows(uid, "score_sheet", 0, count=1)
    return doc


def test_storage_columns_match_the_migrations(tmp_path: Path) -> None:
    """Every stored column of every table exists in a freshly migrated file, and nothing else."""
    db = sqlite_utils.Database(tmp_path / "m.zpdb")
    MIGRATIONS.apply(db)
    for table in (*ROW_TYPES, Table.HEADER, Table.NARRATIVE):
        have = set(db[STORAGE_TABLES[table]].columns_dict)
        declared = {c.storage for c in schema.columns(table) if c.storage}
        assert declared <= have, (table, declared - have)
        if table in ROW_TYPES:
            extra = have - declared - {"form_id", "position"}
            assert not extra, (table, extra)


def test_new_indicator_columns_are_on_disk_and_reload(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _doc(path)
    uid = doc.report.projects[0].uid
    doc.set_cells([(uid, "indicators", 0, k, v) for k, v in NEW_INDICATOR.items()])
    doc.set_cell(uid, "score_sheet", 0, "review_note", "复核意见一")
    doc.close()
    raw = sqlite_utils.Database(path)
    rec = next(iter(raw["indicators"].rows))
    assert rec["breakdown"] == 1 and rec["deduction"] == "1.5" and rec["unit"] == "期"
    raw.close()
    again = Document.open(path, backup=False)
    ind = again.report.projects[0].indicators[0]
    assert {k: getattr(ind, k) for k in NEW_INDICATOR} == NEW_INDICATOR
    assert again.report.projects[0].score_sheet[0].review_note == "复核意见一"
    again.close()


def test_new_amount_and_flag_columns_are_checked(tmp_path: Path) -> None:
    doc = _doc(tmp_path / "r.zpdb")
    uid = doc.report.projects[0].uid
    with pytest.raises(InputError, match="不是数字"):
        doc.set_cell(uid, "indicators", 0, "deduction", "两分")
    with pytest.raises(InputError, match="不是数字"):
        doc.set_cell(uid, "indicators", 0, "review_score", "八")
    doc.set_cell(uid, "indicators", 0, "breakdown", "是")
    assert doc.report.projects[0].indicators[0].breakdown is True
    doc.set_cell(uid, "indicators", 0, "breakdown", "")
    assert doc.report.projects[0].indicators[0].breakdown is False
    doc.close()


def test_file_of_the_previous_format_opens_with_blank_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.zpdb"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={storage.APPLICATION_ID}")
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before="m003_indicator_columns")
    conn.execute("PRAGMA user_version=2")
    db["report"].insert(
        {"id": 1, "template": "mof", "year": 2022, "department": "旧部门", "basic_data": "{}"}
    )
    db["forms"].insert({"id": 1, "position": 0, "kind": "project", "name": "旧项目", "fund_unit": "万元"})
    db["indicators"].insert(
        {"form_id": 1, "position": 0, "level1": "产出指标", "target": "≥4", "not_applicable": 0}
    )
    conn.close()
    doc = Document.open(path, backup=False)
    ind = doc.report.forms[0].indicators[0]
    assert ind.target == "≥4"
    assert (ind.deduction, ind.brief, ind.unit, ind.breakdown, ind.review_score, ind.review_note) == (
        "",
        "",
        "",
        False,
        "",
        "",
    )
    doc.set_cell(1, "indicators", 0, "unit", "个")
    doc.close()


def _interchange(indicator: dict) -> dict:
    return {
        "format": "ziping-report",
        "version": 1,
        "template": "hunan-yiyang",
        "year": 2023,
        "department": "测试部",
        "forms": [
            {
                "kind": "project",
                "name": "项目甲",
                "indicators": [{"level1": "产出指标", "level3": "培训", **indicator}],
                "score_sheet": [{"path": ["项目执行"], "weight": "6", "review_note": "意见"}],
            }
        ],
    }


def test_new_keys_round_trip_and_absent_means_blank(tmp_path: Path) -> None:
    report = report_from_dict(_interchange(NEW_INDICATOR))
    ind = report.forms[0].indicators[0]
    assert {k: getattr(ind, k) for k in NEW_INDICATOR} == NEW_INDICATOR
    out = report_to_dict(report)
    assert {k: out["forms"][0]["indicators"][0][k] for k in NEW_INDICATOR} == NEW_INDICATOR
    assert out["forms"][0]["score_sheet"][0]["review_note"] == "意见"
    doc = Document.create(tmp_path / "r.zpdb", report)
    doc.close()
    again = Document.open(tmp_path / "r.zpdb", backup=False)
    assert report_to_dict(again.report) == out
    again.close()
    blank = report_to_dict(report_from_dict(_interchange({})))["forms"][0]["indicators"][0]
    assert not set(blank) & set(NEW_INDICATOR)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("deduction", "两分", "不是数字"),
        ("breakdown", "是", "true 或 false"),
        ("review_score", "x", "不是数字"),
    ],
)
def test_bad_new_keys_are_refused_naming_the_path(key: str, value: object, message: str) -> None:
    with pytest.raises(InterchangeError, match=rf"forms\[0\]\.indicators\[0\]\.{key}：.*{message}"):
        report_from_dict(_interchange({key: value}))


def test_every_row_column_has_a_kind_and_label() -> None:
    for table in Table:
        for col in schema.columns(table):
            assert col.label and isinstance(col.kind, Kind)
    assert schema.label("indicators", "deduction") == "扣减分数"
    assert schema.label("funds", "rate") == "执行率"
    assert repo.TABLES[Table.INDICATORS] == "indicators"


def test_a_forms_rows_by_table_name() -> None:
    """Form.rows gives the very list behind each row table, by Table member or its plain name; any
    other table is a KeyError."""
    from core.schema import FORM_TABLES, Form, Table

    form = Form(kind="project", uid=1)
    for table in FORM_TABLES:
        assert form.rows(table) is getattr(form, table.value)
        assert form.rows(table.value) is getattr(form, table.value)
    for other in (Table.HEADER, Table.REVIEW_FLAGS, Table.NARRATIVE, "nonsense"):
        with pytest.raises(KeyError):
            form.rows(other)


def test_a_form_is_found_by_uid_after_forms_come_go_and_move(tmp_path: Path) -> None:
    """form_by_uid remembers where each form stood; the forms list changed in place (added, removed,
    moved, a deleted form put back as a new object) must still give the form of that uid, or
    KeyError for one no longer there — what walking the forms gives."""
    doc = Document.create(tmp_path / "r.zpdb", new_report("mof", 2023, "部", ["甲", "乙", "丙", "丁"]))
    report = doc.report

    def walked(uid: int) -> schema.Form | None:
        return next((f for f in report.forms if f.uid == uid), None)

    def all_found() -> None:
        for form in list(report.forms):
            assert report.form_by_uid(form.uid) is walked(form.uid)
        for uid in (first.uid, 999):
            assert report.has_form(uid) == (walked(uid) is not None)
            if walked(uid) is None:
                with pytest.raises(KeyError):
                    report.form_by_uid(uid)

    first, last = report.projects[0], report.projects[-1]
    all_found()
    report.forms.reverse()  # moved
    all_found()
    report.forms.remove(first)  # removed
    all_found()
    again = schema.Form(kind=first.kind, name=first.name, uid=first.uid)  # back, as another object
    report.forms.insert(1, again)
    all_found()
    assert report.form_by_uid(first.uid) is again
    report.forms[report.forms.index(last)] = schema.Form(kind=last.kind, name="戊", uid=last.uid)
    all_found()
    doc.close()
