"""Slips of the pen in prose: 158.24 vs 158.44, 921.26 vs 912.26, and the 100% that is 91.20%."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.interchange import read_json_file
from core.rules import check_report
from core.rules.figures import amounts_in, slip
from core.templates import get_template

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("said", "figure", "kind"),
    [
        ("158.24", "158.44", "digit"),
        ("921.26", "912.26", "swap"),
        ("912.26", "912.26", ""),
        ("2187.01", "2187.04", ""),  # last digit only: different figures, not a slip
        ("0.03", "0.23", ""),  # under 10 万元
        ("158.24", "1158.24", ""),
        ("831.95", "663.13", ""),
    ],
)
def test_slip(said: str, figure: str, kind: str) -> None:
    assert slip(said, figure) == kind


def test_amounts_in_text() -> None:
    text = "全年预算收入为912.26万元，增加158.24万元；人员1,098.32 万元；增长21%。"
    assert amounts_in(text) == ["912.26", "158.24", "1098.32"]


def _at(problems, rule, table, row, column):
    return [p for p in problems if (p.rule, p.table, p.row, p.column) == (rule, table, row, column)]


def test_seed001_prose_mistakes_are_flagged_at_their_cells() -> None:
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    problems = check_report(report, get_template(report.template))
    titles = [s.title for s in report.narrative]
    income = titles.index("二、预算单位财政收支管理情况")
    excerpt = next(i for i, t in enumerate(titles) if t.startswith("附："))
    assert any(
        "158.24" in p.message and "158.44" in p.message
        for p in _at(problems, "V13", "narrative", income, "text")
    )
    assert any(
        "100%" in p.message and "91.20%" in p.message
        for p in _at(problems, "V13", "narrative", excerpt, "text")
    )
    note = [p for p in problems if p.rule == "S21"]
    assert len(note) == 1 and note[0].form == "中共广元市昭化区委组织部"
    assert report.overall is not None
    assert "921.26" in report.overall.indicators[note[0].row or 0].deviation_note
    assert "912.26" in note[0].message


def test_seed004_prose_has_no_false_slips() -> None:
    problems = check_report(
        read_json_file(FIXTURES / "seed004_yiyang.json"),
        get_template(read_json_file(FIXTURES / "seed004_yiyang.json").template),
    )
    assert [p.message for p in problems if p.rule == "S21" or "笔误" in p.message] == []
