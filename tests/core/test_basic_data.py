"""The 基础数据表 is declared in the schema and edited cell by cell through Document (#9 item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import schema
from core.interchange import read_json_file
from core.report import Change, Document, InputError, new_report
from core.rules import Checker
from core.schema import BASIC_PARTS, BasicPart, Kind, Table
from core.templates import all_templates
from tests.conftest import FIXTURES

TEMPLATE_KEYS = {
    BasicPart.STAFF: "staff",
    BasicPart.EXPENSES: "expense_columns",
    BasicPart.BUILDINGS: "buildings",
}


def test_every_column_a_template_titles_is_declared_and_keys_name_one_part() -> None:
    keys = [c.key for c in schema.columns(Table.BASIC_DATA)]
    assert len(keys) == len(set(keys)), "a problem's column names its part"
    shown = 0
    for template in all_templates().values():
        for part, key in TEMPLATE_KEYS.items():
            declared = {c.key for c in schema.declared(BASIC_PARTS[part])}
            for column in template.basic_data.get(key, []):
                assert column["key"] in declared, (template.id, part, column["key"])
                shown += 1
    assert shown == 12  # 湖南: 3 staff, 3 expense and 6 building columns
    assert schema.label(Table.BASIC_DATA, "final") == "决算数"
    assert schema.column(Table.BASIC_DATA, "budget").kind == Kind.AMOUNT  # type: ignore[union-attr]


@pytest.fixture
def doc(tmp_path: Path) -> Document:
    doc = Document.create(tmp_path / "b.zpdb", read_json_file(FIXTURES / "seed004_yiyang.json"))
    yield doc  # type: ignore[misc]
    doc.close()


def test_cells_are_checked_by_kind_and_refused_input_changes_nothing(doc: Document) -> None:
    before = doc.report.basic_data
    for row, column, text in (
        (0, "budget", "约5万"),
        (0, "authorized", "74人"),
        (0, "nope", "1"),
        (99, "final", "1"),
    ):
        with pytest.raises(InputError):
            doc.set_basic_cells([(0, "final", "16.50"), (row, column, text)])
    assert doc.report.basic_data is before and doc.basic_cell(0, "final") == "16.13"
    changes = doc.set_basic_cells(
        [(0, "final", " 16.50 "), (0, "rate", "91%"), (0, "thrift_measures", "a\r\nb")]
    )
    assert changes == [
        Change(None, Table.BASIC_DATA, (0,), ("final",)),
        Change(None, Table.BASIC_DATA, (0,), ("rate",)),
        Change(None, Table.BASIC_DATA, (0,), ("thrift_measures",)),
    ]
    assert before["expenses"][0]["final"] == "16.13", "the old data is not changed in place (undo, rollback)"
    doc.close()
    again = Document.open(doc.path, backup=False)
    try:
        data = again.report.basic_data
        assert data["expenses"][0]["final"] == "16.50" and data["staff"]["rate"] == "91%"
        assert data["thrift_measures"] == "a\nb" and data["expenses"][1] == before["expenses"][1]
    finally:
        again.close()


def test_a_blank_report_gets_the_templates_expense_rows_on_its_first_edit(tmp_path: Path) -> None:
    doc = Document.create(tmp_path / "n.zpdb", new_report("hunan-yiyang", 2023, "测试部", ["项目甲"]))
    try:
        rows = doc.basic_rows(BasicPart.EXPENSES)
        assert [r["label"] for r in rows] == doc.template.basic_data["expense_rows"]
        doc.set_basic_cells([(3, "budget", "2")])
        expenses = doc.report.basic_data["expenses"]
        assert len(expenses) == len(rows) and expenses[3] == {"label": rows[3]["label"], "budget": "2"}
        assert doc.basic_cell(3, "budget") == "2" and doc.basic_cell(0, "authorized") == ""
    finally:
        doc.close()


def test_a_stored_non_number_is_v18_at_its_cell_and_rechecked_on_an_edit(doc: Document) -> None:
    doc.report.basic_data["buildings"]["actual_investment"] = "三百万"  # written by another program
    checker = Checker(doc.report, doc.template)
    doc.subscribe(checker.apply)
    found = checker.problems_at(None, Table.BASIC_DATA, 0, "actual_investment")
    assert [(p.rule, p.severity, p.message) for p in found] == [
        ("V18", "error", "“三百万”不是数字，请输入金额或分值（如 101.17）")
    ]
    doc.set_basic_cells([(0, "actual_investment", "300")])
    assert checker.problems_at(None, Table.BASIC_DATA, None, None) == []
