"""Region templates are data: four ship, each loads, and a mistake names the file and the key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core import paths
from core.templates import TemplateError, all_templates, default_template_id, get_template, load_template_file

SHIPPED = paths.templates_dir()


def test_four_layouts_ship_and_mof_is_default() -> None:
    assert {"mof", "sichuan-guangyuan", "gansu-pingliang", "hunan-yiyang"} <= set(all_templates())
    assert default_template_id() == "mof"


@pytest.mark.parametrize("template_id", ["mof", "sichuan-guangyuan", "gansu-pingliang", "hunan-yiyang"])
def test_every_template_describes_both_forms(template_id: str) -> None:
    t = all_templates()[template_id]
    for kind in ("overall", "project"):
        spec = t.form(kind)
        assert spec.fund_rows and spec.indicator_columns and spec.title
        assert spec.row_spec(spec.rate_row) is not None
        keys = {r.key for r in spec.fund_rows}
        for s in spec.sums:
            assert s.total in keys and set(s.parts) <= keys
    assert t.narrative, "a narrative outline"


def test_guangyuan_has_both_score_sheets_with_formulas() -> None:
    t = all_templates()["sichuan-guangyuan"]
    project = t.form("project").score_sheet
    assert sum(int(c.weight) for c in project) == 100
    assert {c.formula for c in project} >= {"project_balance_rate", "project_execution_progress"}
    assert any(c.formula == "overall_balance_rate" for c in t.form("overall").score_sheet)


def test_hunan_weights_and_basic_data() -> None:
    t = all_templates()["hunan-yiyang"]
    assert t.form("project").level1_weights == {"产出指标": "50", "效益指标": "30", "满意度指标": "10"}
    assert t.form("project").execution_weight == "10"
    assert t.basic_data["expense_rows"][0] == "三公经费"


def _broken(tmp_path: Path, mutate) -> Path:
    data = json.loads((SHIPPED / "mof.json").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "mof.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda d: d["forms"].pop("project"), "forms.project"),
        (
            lambda d: d["forms"]["project"]["funds"]["sums"][0]["parts"].append("nope"),
            "forms.project.funds.sums[0]",
        ),
        (
            lambda d: d["forms"]["overall"]["funds"].update(execution_weight="十"),
            "forms.overall.funds.execution_weight",
        ),
        (lambda d: d["scoring"].update(reverse="sideways"), "scoring.reverse"),
        (
            lambda d: d["forms"]["project"]["indicators"]["columns"][0].pop("title"),
            "forms.project.indicators.columns[0].title",
        ),
    ],
)
def test_a_mistake_is_refused_naming_file_and_key(tmp_path: Path, mutate, key: str) -> None:
    path = _broken(tmp_path, mutate)
    with pytest.raises(TemplateError) as info:
        load_template_file(path)
    assert "mof.json" in str(info.value) and key in str(info.value)


def test_adding_a_region_is_adding_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(SHIPPED, folder)
    data = json.loads((folder / "mof.json").read_text(encoding="utf-8"))
    data.update(id="yunnan-test", name="云南·测试", default=False)
    (folder / "yunnan-test.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr("core.templates.templates_dir", lambda: folder)
    assert all_templates()["yunnan-test"].name == "云南·测试"


def test_invalid_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(TemplateError, match="bad.json"):
        load_template_file(path)


def test_sichuan_integrated_layout_reads_its_own_fund_rows_and_direction_column() -> None:
    from core.interchange import report_from_dict
    from core.rules import check_report

    t = all_templates()["sichuan"]
    assert [c.key for c in t.form("project").indicator_columns][3] == "direction"
    doc = {
        "format": "ziping-report",
        "version": 1,
        "template": "sichuan",
        "year": 2024,
        "department": "某县教育局",
        "forms": [
            {
                "kind": "project",
                "name": "学生资助项目",
                "supervisor": "某县教育局",
                "implementer": "某县教育局",
                "funds": {
                    "execution_weight": "10",
                    "rows": [
                        {"label": "年度资金总额", "initial": "200", "annual": "230", "executed": "229"},
                        {"label": "其中：财政资金", "initial": "200", "annual": "230", "executed": "229"},
                        {"label": "单位资金"},
                    ],
                },
                "goals": [{"goal": "资助家庭经济困难学生", "achieved": "资助1650人次"}],
                "indicators": [
                    {
                        "level1": "产出指标",
                        "level2": "数量指标",
                        "level3": "资助学生人次",
                        "direction": "≥",
                        "target": "1600人次",
                        "actual": "1650人次",
                        "weight": "90",
                        "score": "90",
                    }
                ],
            }
        ],
    }
    report = report_from_dict(doc)
    problems = check_report(report, get_template(report.template))
    assert [p.rule for p in problems if p.severity == "error"] == []
    assert any(p.rule == "V14" for p in problems)  # 年中调整 200 → 230 needs a reason (四川)
