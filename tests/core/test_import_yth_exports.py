"""Exports of the provinces' 预算管理一体化系统 as they arrive: last spring's 绩效目标申报表 and last
year's 自评表, each laid out a little differently by each system and each office — columns in
another order, a merged header over two rows, the unit in the header ("金额（万元）", "分值（分）"),
notes rows under the table, a hidden code column, a WPS-made package. Each is written here as a real
.xlsx and imported: it reads as the form it is, or the preview says clearly what was left out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from core.importers.api import Part, build_report, preview_files
from core.model import Form
from tests.core.test_import_files import _wps_package

NAME = "干部教育培训经费"
GOAL = "完成全市干部教育培训任务，培训干部4000人次，提升干部素质能力。"
INDICATORS = [
    ("产出指标", "数量指标", "培训人次", "≥4000人次"),
    ("产出指标", "质量指标", "培训合格率", "≥95%"),
    ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"),
]
FUNDS = [("total", "120"), ("current", "100"), ("carryover", ""), ("other", "20")]


def _declaration(path: Path, funds: Callable[[Any], None], indicators: Callable[[Any], None]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目支出绩效目标申报表"
    ws.append(["2024年度项目支出绩效目标申报表"])
    ws.append(["项目名称", NAME])
    ws.append(["主管部门及代码", "[101001]中共某市委组织部", "", "实施单位", "某市委组织部"])
    funds(ws)
    ws.append(["年度总体目标", GOAL])
    indicators(ws)
    wb.save(path)
    return path


def _funds_beside_label(ws: Any) -> None:
    ws.append(["项目资金（万元）", "年度资金总额", 120])
    ws.append(["", "其中：财政拨款", 100])
    ws.append(["", "其他资金", 20])


def _funds_with_a_unit_header(ws: Any) -> None:
    ws.append(["项目资金", "资金来源", "金额（万元）"])
    ws.append(["", "年度资金总额", 120])
    ws.append(["", "其中：财政拨款", 100])
    ws.append(["", "其他资金", 20])


def _plain(ws: Any) -> None:
    ws.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"])
    for row in INDICATORS:
        ws.append(["", *row])


def _reordered(ws: Any) -> None:
    """三级 first, the unit in a column of its own, a 指标值说明 column beside 指标值."""
    ws.append(["绩效指标", "三级指标", "一级指标", "二级指标", "指标值", "计量单位", "指标值说明"])
    for l1, l2, l3, target in INDICATORS:
        number, unit = target[1:].rstrip("人次%"), "人次" if "人次" in target else "%"
        ws.append(["", l3, l1, l2, f"≥{number}", unit, "按年度计划"])


def _two_header_rows(ws: Any) -> None:
    """ "指标名称" merged over 一级 | 二级 | 三级, "指标值" merged down over both rows."""
    ws.append(["绩效指标", "指标名称", "", "", "指标值"])
    ws.append(["", "一级指标", "二级指标", "三级指标", ""])
    top = ws.max_row - 1
    ws.merge_cells(start_row=top, start_column=2, end_row=top, end_column=4)
    ws.merge_cells(start_row=top, start_column=5, end_row=top + 1, end_column=5)
    for row in INDICATORS:
        ws.append(["", *row])


def _with_notes_below(ws: Any) -> None:
    _plain(ws)
    ws.append([])
    ws.append(["注：1.绩效指标须细化、量化，可衡量。"])
    ws.append(["2.本表由项目单位填报，主管部门审核。"])
    ws.append(["填报说明：指标值按“≥”“≤”“=”填写。"])


def _with_a_hidden_code_column(ws: Any) -> None:
    ws.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "指标代码"])
    for i, row in enumerate(INDICATORS):
        ws.append(["", *row, f"C00{i + 1}"])
    ws.column_dimensions["F"].hidden = True


def _imported(path: Path) -> tuple[Part, Form]:
    preview = preview_files([path])
    (part,) = preview.recognised
    report = build_report(preview, year=2024)
    (form,) = report.projects
    return part, form


def _as_declared(form: Form) -> None:
    assert form.name == NAME
    assert [(r.key, r.initial) for r in form.funds] == FUNDS
    assert [(g.goal, g.achieved) for g in form.goals] == [(GOAL, "")]
    assert [(i.level1, i.level2, i.level3, i.target) for i in form.indicators] == INDICATORS


@pytest.mark.parametrize(
    ("funds", "indicators"),
    [
        (_funds_beside_label, _plain),
        (_funds_with_a_unit_header, _plain),
        (_funds_beside_label, _reordered),
        (_funds_beside_label, _two_header_rows),
        (_funds_with_a_unit_header, _with_notes_below),
    ],
)
def test_declaration_exports_read_as_declared(
    tmp_path: Path, funds: Callable[[Any], None], indicators: Callable[[Any], None]
) -> None:
    part, form = _imported(_declaration(tmp_path / "申报表.xlsx", funds, indicators))
    assert part.recognised_as == "绩效目标申报表"
    _as_declared(form)
    assert not part.checks  # 指标值说明 is no second 指标值: named as left out, nothing to check
    left_out = {"“指标值说明”列不是指标表的列，未导入"} if indicators is _reordered else set()
    assert {s.reason for s in part.skipped} == left_out


def test_a_hidden_code_column_is_named_as_left_out(tmp_path: Path) -> None:
    part, form = _imported(
        _declaration(tmp_path / "申报表.xlsx", _funds_beside_label, _with_a_hidden_code_column)
    )
    _as_declared(form)
    assert [(s.cell, s.reason) for s in part.skipped] == [
        (
            "项目支出绩效目标申报表!F列",
            "隐藏列，未导入（如需导入，请勾选“包括隐藏内容”（命令行加 --include-hidden））",
        )
    ]
    assert not part.checks


def test_a_declaration_saved_by_wps(tmp_path: Path) -> None:
    source = _declaration(tmp_path / "申报表.xlsx", _funds_with_a_unit_header, _two_header_rows)
    part, form = _imported(_wps_package(source, tmp_path / "wps.xlsx", rich=True, backslash=False))
    _as_declared(form)
    assert not part.checks and not part.skipped


def test_self_evaluation_export_with_units_in_its_headers_and_notes_below(tmp_path: Path) -> None:
    """The 自评表 as a system prints it: units in every header (年初预算数（万元）, 分值（分）, 执行率（%）),
    the direction in 指标性质, the unit in 计量单位, numbers as numbers, two notes rows under the
    sign-off."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["项目支出绩效自评表"])
    ws.append(["（2023年度）"])
    ws.append(["项目名称", NAME])
    ws.append(["主管部门", "某市委组织部", "", "", "实施单位", "某市委组织部"])
    ws.append(
        ["项目资金（万元）", "", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）"]
        + ["分值（分）", "执行率（%）", "得分（分）"]
    )
    ws.append(["", "年度资金总额", 100, 120, 108, 10, 0.9, 9])
    ws.append(["", "其中：当年财政拨款", 100, 120, 108])
    ws.append(["", "上年结转资金"])
    ws.append(["", "其他资金"])
    ws.append(["年度总体目标", "预期目标", "", "", "实际完成情况"])
    ws.append(["", "完成培训4000人次", "", "", "完成培训4120人次"])
    ws.append(
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值"]
        + ["分值（分）", "得分（分）", "偏差原因分析及改进措施"]
    )
    ws.append(["", "产出指标", "数量指标", "培训人次", "≥", 4000, "人次", 4120, 20, 20])
    ws.append(["", "产出指标", "质量指标", "培训合格率", "≥", 95, "%", 97, 20, 20])
    ws.append(["", "效益指标", "社会效益指标", "干部能力提升", "定性", "明显提升", "", "达成", 30, 30])
    ws.append(["", "满意度指标", "服务对象满意度指标", "学员满意度", "≥", 90, "%", 93, 20, 20])
    ws.append(["总分", "", "", "", "", "", "", "", 100, 99])
    ws.append(["填表人：张三    联系电话：0731-1234567    填报日期：2024年3月1日"])
    ws.append(["注：1.本表由一体化系统导出。"])
    ws.append(["2.定性指标按达成、部分达成、未达成填写。"])
    path = tmp_path / "自评表.xlsx"
    wb.save(path)
    part, form = _imported(path)
    assert not part.checks and not part.skipped
    assert form.execution_weight == "10" and form.printed_total == "99"
    total = form.fund("total")
    assert total is not None and (total.initial, total.annual, total.executed) == ("100", "120", "108")
    assert (total.printed_rate, total.printed_score) == ("90%", "9")
    assert [(i.level3, i.target, i.actual, i.weight, i.score, i.direction) for i in form.indicators] == [
        ("培训人次", "4000人次", "4120人次", "20", "20", "≥"),
        ("培训合格率", "95%", "97%", "20", "20", "≥"),
        ("干部能力提升", "明显提升", "达成", "30", "30", ""),
        ("学员满意度", "90%", "93%", "20", "20", "≥"),
    ]
