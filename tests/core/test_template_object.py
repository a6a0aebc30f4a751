"""The template is an object resolved once per report and handed along (issue 9 item 7).

Two templates with the same id but different content — a region's file edited between two opens,
or two objects read from different JSON — must score, check and export differently in one process:
nothing computed from one may be found again through the id by the other.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from core.export.xlsx import write_xlsx
from core.model import FundRow, Indicator, Report
from core.paths import templates_dir
from core.report import Document, new_report
from core.rules import Checker
from core.scoring import score_form
from core.templates import Template, get_template, parse_template

NAME = "社区走访指标"


def _mof(**changes: Any) -> Template:
    """Return mof.json read into a new Template object, with top-level ``changes`` applied (same id)."""
    data = json.loads((templates_dir() / "mof.json").read_text(encoding="utf-8"))
    data.update(changes)
    return parse_template(data, "mof.json")


def _report() -> Report:
    report = new_report("mof", 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.uid = 2
    form.funds[0] = FundRow(key=form.funds[0].key, initial="100", annual="100", executed="100")
    form.indicators = [Indicator("产出指标", "成本指标", NAME, "≤100元", "125元", "10")]
    return report


@pytest.fixture
def two() -> tuple[Template, Template]:
    shipped = _mof()
    data = json.loads((templates_dir() / "mof.json").read_text(encoding="utf-8"))
    edited = _mof(
        scoring={**data["scoring"], "reverse": "ratio"},  # w × target/actual instead of 1 − excess
        guidance=[*data["guidance"], NAME],  # the row's 三级 name is now a guidance phrase (V12)
        forms={
            **data["forms"],
            "project": {**data["forms"]["project"], "title": "{year}年度项目支出绩效自评表（修订）"},
        },
    )
    assert shipped.id == edited.id == "mof" and shipped is not edited
    return shipped, edited


def test_same_id_different_content_scores_differently(two: tuple[Template, Template]) -> None:
    shipped, edited = two
    report = _report()
    form = report.projects[0]
    first = score_form(report, form, shipped).indicators[0].suggested
    second = score_form(report, form, edited).indicators[0].suggested
    again = score_form(report, form, shipped).indicators[0].suggested
    assert (str(first), str(second), str(again)) == ("7.50", "8.00", "7.50")


def test_same_id_different_content_checks_differently(two: tuple[Template, Template]) -> None:
    shipped, edited = two
    report = _report()

    def v12(template: Template) -> list[str]:
        return [p.message for p in Checker(report, template).problems if p.rule == "V12"]

    assert v12(shipped) == []
    assert v12(edited) == [f"单元格中仍是填写说明（“{NAME}”），请填写实际内容"]
    assert v12(shipped) == []  # the edited template's row results stay on the edited template


def test_a_checker_switched_to_another_template_checks_by_it(two: tuple[Template, Template]) -> None:
    shipped, edited = two
    report = _report()
    checker = Checker(report, shipped)
    assert not [p for p in checker.problems if p.rule == "V12"]
    checker.template = edited
    checker.full()
    assert [p.rule for p in checker.problems if p.rule == "V12"] == ["V12"]


def test_same_id_different_content_exports_differently(
    two: tuple[Template, Template], tmp_path: Path
) -> None:
    shipped, edited = two
    report = _report()

    def titles(template: Template, name: str) -> list[str]:
        write_xlsx(report, tmp_path / name, template=template)
        wb = load_workbook(tmp_path / name)
        return [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]

    first, second = titles(shipped, "a.xlsx"), titles(edited, "b.xlsx")
    assert "2023年度项目支出绩效自评表" in first and "2023年度项目支出绩效自评表（修订）" not in first
    assert "2023年度项目支出绩效自评表（修订）" in second
    assert "2023年度项目支出绩效自评表（修订）" not in titles(shipped, "c.xlsx")


def test_a_region_file_edited_between_two_opens_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cache to clear by hand: the second open sees the edited file, the first keeps its object."""
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    monkeypatch.setattr("core.templates.templates_dir", lambda: folder)
    first = Document.create(tmp_path / "a.zpdb", _report())
    first.close()
    form = first.report.projects[0]
    assert str(score_form(first.report, form, first.template).indicators[0].suggested) == "7.50"
    data = json.loads((folder / "mof.json").read_text(encoding="utf-8"))
    data["scoring"]["reverse"] = "ratio"
    data["name"] += "（修订）"  # a different size, whatever the clock's resolution
    (folder / "mof.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    second = Document.open(tmp_path / "a.zpdb", backup=False, read_only=True)
    try:
        assert second.template is not first.template and second.template.name.endswith("（修订）")
        again = second.report.projects[0]
        assert str(score_form(second.report, again, second.template).indicators[0].suggested) == "8.00"
        assert str(score_form(first.report, form, first.template).indicators[0].suggested) == "7.50"
        assert get_template("mof") is second.template  # read once more, not per call
    finally:
        second.close()


def test_sealing_a_package_resolves_the_reports_template_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report read for a package is one report: its JSON, both exports and the manifest's
    figures are made with the template resolved when it was read, not looked up again by id."""
    import sys

    from core.review.package import make_package

    source = tmp_path / "r.zpdb"
    Document.create(source, _report()).close()
    calls: list[str] = []

    def counted(template_id: str) -> Template:
        calls.append(template_id)
        return get_template(template_id)

    for module in list(sys.modules.values()):
        if getattr(module, "get_template", None) is get_template and module.__name__.startswith("core"):
            monkeypatch.setattr(module, "get_template", counted)
    manifest = make_package(source, tmp_path / "sealed.zip")
    assert calls == ["mof"]
    assert manifest["forms"][1]["name"] == "测试项目"
