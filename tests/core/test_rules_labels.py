"""一级 labels as people print them: "产出指标（50分）", "效益" — same rules as the template's names."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from core.export.xlsx import write_xlsx
from core.interchange import report_from_dict
from core.model import SOFT_BREAK
from core.rules import check_report
from core.scoring import score_form
from core.templates import get_template

ROWS = [
    ("产出指标（50分）", "数量指标", "新建高标准农田面积", "≥1万亩", "1.02万亩", "30"),
    ("产出指标（50分）", "时效指标", "完工时间", "2024年12月底前", "2024年12月", "20"),
    ("效益 (30 分)", "社会效益指标", "受益农户", "≥2000户", "2100户", "30"),
    ("满意度", "服务对象满意度指标", "受益群众满意度", "≥90%", "92.5%", "10"),
]


def _report(rows=ROWS) -> dict:
    return {
        "format": "ziping-report",
        "version": 1,
        "template": "mof",
        "year": 2024,
        "department": "某县农业农村局",
        "forms": [
            {
                "kind": "project",
                "name": "高标准农田建设项目",
                "supervisor": "某县农业农村局",
                "implementer": "某县农业农村局",
                "funds": {
                    "execution_weight": "10",
                    "rows": [{"label": "年度资金总额", "initial": "500", "annual": "480", "executed": "480"}],
                },
                "indicators": [
                    {"level1": a, "level2": b, "level3": c, "target": d, "actual": e, "weight": w, "score": w}
                    for a, b, c, d, e, w in rows
                ],
            }
        ],
    }


def test_printed_weights_and_short_names_are_understood() -> None:
    report = report_from_dict(_report())
    assert [
        p.rule for p in check_report(report, get_template(report.template)) if p.severity == "error"
    ] == []
    totals = score_form(report, report.forms[0], get_template(report.template)).level1_totals
    assert set(totals) == {"产出指标", "效益指标", "满意度指标"}


def test_a_printed_weight_is_what_the_rows_must_add_up_to() -> None:
    rows = [("产出指标（60分）", *ROWS[0][1:5], "30"), ROWS[1], *ROWS[2:]]
    v05 = [
        p.message
        for p in check_report(
            report_from_dict(_report(rows)), get_template(report_from_dict(_report(rows)).template)
        )
        if p.rule == "V05"
    ]
    assert v05 == ["产出指标的三级指标分值合计为 50，应为 60"]


def test_hierarchy_is_checked_under_a_printed_label() -> None:
    rows = [*ROWS[:2], ("效益指标（30分）", "时效指标", "资金拨付及时率", "=100%", "100%", "30"), ROWS[3]]
    problems = check_report(
        report_from_dict(_report(rows)), get_template(report_from_dict(_report(rows)).template)
    )
    assert any(p.rule == "V15" and p.row == 2 and "时效指标" in p.message for p in problems)


def test_export_does_not_print_the_weight_twice(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    write_xlsx(report_from_dict(_report()), path, template=get_template(report_from_dict(_report()).template))
    texts = [
        str(c.value).replace(SOFT_BREAK, "").replace("\n", "")
        for ws in load_workbook(path)
        for row in ws.iter_rows()
        for c in row
        if c.value
    ]  # a narrow label column breaks before the bracket
    assert "产出指标（50分）" in texts
    assert not any("分）（" in t for t in texts), [t for t in texts if "分）（" in t]
    assert json.dumps(texts, ensure_ascii=False).count("效益指标（30分）") == 1
