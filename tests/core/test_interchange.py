"""Interchange JSON: the seed fixtures round-trip through .zpdb; bad input is refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.interchange import InterchangeError, read_json_file, report_from_dict, report_to_dict
from core.report import Document
from core.templates import get_template, normalise_label

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDS = sorted(p.stem for p in FIXTURES.glob("seed*.json"))


def _normalised(doc: dict) -> dict:
    """The fixture as the exporter writes it: labels as the template prints them, blanks left out."""
    template = get_template(doc["template"])
    for form in doc["forms"]:
        spec = template.form(form["kind"])
        by_key = {}
        for row in form.get("funds", {}).get("rows", []):
            key = template.match_fund_row(form["kind"], row["label"])
            by_key[key] = {k: v for k, v in row.items() if v not in ("", None)}
        rows = []
        for rs in spec.fund_rows:
            row = dict(by_key.get(rs.key, {}))
            row["label"] = rs.printed
            rows.append(row)
        form.setdefault("funds", {})["rows"] = rows
        form["funds"].setdefault("unit", template.money_unit)
        for table in ("goals", "indicators", "score_sheet"):
            if table in form:
                form[table] = [
                    {k: v for k, v in r.items() if v not in ("", None, False, [])} for r in form[table]
                ]
        if not form.get("score_sheet"):
            form.pop("score_sheet", None)
        for key in [k for k, v in form.items() if v in ("", None)]:
            form.pop(key)
    return json.loads(json.dumps(doc, sort_keys=True))


@pytest.mark.parametrize("name", SEEDS)
def test_fixture_round_trips_through_zpdb(name: str, tmp_path: Path) -> None:
    source = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    doc = Document.create(tmp_path / "r.zpdb", report_from_dict(source))
    doc.close()
    reopened = Document.open(tmp_path / "r.zpdb")
    exported = report_to_dict(reopened.report)
    reopened.close()
    assert json.loads(json.dumps(exported, sort_keys=True)) == _normalised(source)
    # and once more: an export imported and exported again is the same document
    assert report_to_dict(report_from_dict(exported)) == exported


def test_seed_fixtures_are_present() -> None:
    assert {"seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"} <= set(SEEDS)
    seed004 = read_json_file(FIXTURES / "seed004_yiyang.json")
    assert len(seed004.projects) == 3 and seed004.overall is not None
    seed001 = read_json_file(FIXTURES / "seed001_guangyuan.json")
    names = {f.name for f in seed001.projects}
    for wanted in (
        "东西部协作人才交流项目",
        "干部暖心关爱帮扶基金经费",
        "老党员困难党员和特困离退休干部救助",
        "基层组织建设工作经费",
    ):
        assert any(wanted in n for n in names), wanted


def test_printed_label_variants_map_to_template_rows() -> None:
    template = get_template("sichuan-guangyuan")
    assert template.match_fund_row("project", "（一）财政拨款小计") == "fiscal"
    assert template.match_fund_row("project", "1.一般公共预算") == "gpb"
    assert template.match_fund_row("project", "（二）其他资金") == "other"
    assert get_template("mof").match_fund_row("project", "其中：当年财政拨款") == "current"
    assert normalise_label(" 其中： 基本支出 ") == "基本支出"


def _minimal(**extra: object) -> dict:
    doc = {
        "format": "ziping-report",
        "version": 1,
        "template": "mof",
        "year": 2023,
        "department": "测试部",
        "forms": [],
    }
    doc.update(extra)
    return doc


@pytest.mark.parametrize(
    ("doc", "fragment"),
    [
        (_minimal(colour="red"), "未知的键 “colour”"),
        (_minimal(template="beijing"), "未知的模板"),
        (_minimal(version=2), "版本"),
        ({"version": 1, "template": "mof", "year": 2023}, "format"),
        (
            _minimal(
                forms=[
                    {
                        "kind": "project",
                        "name": "甲",
                        "funds": {"rows": [{"label": "年度资金总额", "annual": "1O1.17"}]},
                    }
                ]
            ),
            "forms[0].funds.rows[0].annual",
        ),
        (
            _minimal(forms=[{"kind": "project", "name": "甲", "funds": {"rows": [{"label": "火星资金"}]}}]),
            "不是模板 mof 的资金行",
        ),
        (
            _minimal(forms=[{"kind": "project", "name": "甲", "indicators": [{"levle3": "x"}]}]),
            "forms[0].indicators[0]：未知的键 “levle3”",
        ),
        (_minimal(year="去年"), "year"),
    ],
)
def test_bad_input_names_where(doc: dict, fragment: str) -> None:
    with pytest.raises(InterchangeError) as info:
        report_from_dict(doc)
    assert fragment in str(info.value)
