"""The printed 得分 is what the 总分 counts, in every export (R7.3, K13): typed 8.335 scores and a row
with 扣减分数 2, exported to .xlsx, .docx and the 一体化 file and read back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from core.export.docx import write_docx
from core.export.xlsx import write_xlsx
from core.export.yth import write_yth
from core.model import FundRow, Indicator, Report, ScoreItem
from core.report import new_report
from core.scoring import ItemScore, sheet_total
from core.templates import get_template

NAMES = ["指标0", "指标1", "指标2", "指标扣"]


def _report(template: str) -> Report:
    report = new_report(template, 2023, "测试部门", ["测试项目"])
    form = report.projects[0]
    form.funds[0] = FundRow(key=form.funds[0].key, initial="100", annual="100", executed="100")
    rows = [
        Indicator(
            level1="产出指标",
            level2="数量指标",
            level3=n,
            target="≥3",
            actual="3",
            weight="10",
            score="8.335",
        )
        for n in NAMES[:3]
    ]
    rows.append(
        Indicator(
            level1="产出指标",
            level2="数量指标",
            level3=NAMES[3],
            target="≥3",
            actual="3",
            weight="10",
            deduction="2",
        )
    )
    rows[0].weight = "10.004"  # a 分值 typed with more places than the form prints
    form.indicators = rows
    return report


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except ArithmeticError:
        return None


def _score_column(rows: list[list[str]]) -> tuple[list[str], str, list[str]]:
    """The printed 得分 of the named rows, the 总分 (the total row's last number) and the 分值."""
    total = next(r for r in rows if r and r[0] == "总分")
    numbers = [i for i, t in enumerate(total) if _number(t) is not None]
    named = {r[i]: r for r in rows for i in range(len(r)) if r[i] in NAMES}
    return [named[n][numbers[-1]] for n in NAMES], total[numbers[-1]], [named[n][numbers[0]] for n in NAMES]


def _excel(v: object) -> str:
    assert isinstance(v, int | float) and not isinstance(v, bool), v
    return f"{Decimal(str(v)).normalize():f}"


@pytest.mark.parametrize("template", ["mof", "hunan-yiyang", "sichuan"])
def test_printed_scores_add_up_to_the_printed_total_in_word_and_excel(template: str, tmp_path: Path) -> None:
    report, t = _report(template), get_template(template)
    write_xlsx(report, tmp_path / "r.xlsx", template=t)
    write_docx(report, tmp_path / "r.docx", template=t)
    ws = next(w for w in openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets if "测试项目" in w.title)
    sheet = [
        ["" if v is None else (v if isinstance(v, str) else _excel(v)) for v in r]
        for r in ws.iter_rows(values_only=True)
    ]
    table = next(
        tb
        for tb in docx.Document(str(tmp_path / "r.docx")).tables
        if any("指标0" in c.text for c in tb._cells)
    )
    word = [[c.text for c in r.cells] for r in table.rows]
    excel_scores, excel_total, excel_weights = _score_column(sheet)
    word_scores, word_total, word_weights = _score_column(word)
    assert excel_weights == word_weights == ["10", "10", "10", "10"]  # a typed 10.004 too
    assert excel_scores == word_scores == ["8.34", "8.34", "8.34", "8"]  # 8 = 10 less its 扣减分数 2
    assert excel_total == word_total == "43.02"  # 10 (执行率) + 3 × 8.34 + 8
    assert Decimal(10) + sum(Decimal(s) for s in word_scores) == Decimal(word_total)


def test_the_import_file_prints_the_score_to_the_cent_before_its_deduction(tmp_path: Path) -> None:
    report = _report("mof")
    files = write_yth(report, tmp_path, template=get_template("mof"))
    rows = [
        r for f in files for r in openpyxl.load_workbook(f.path).active.iter_rows(min_row=2, values_only=True)
    ]
    got = {r[2]: (r[8], r[9]) for r in rows if r[2] in NAMES}
    assert got == {
        "指标0": (8.34, None),
        "指标1": (8.34, None),
        "指标2": (8.34, None),
        "指标扣": (10, 2),
    }  # K13


def test_a_score_sheet_totals_its_items_as_printed() -> None:
    """Three typed 8.335 print 8.34: the 评分表's total is 25.02, not 25.005 → 25.01."""
    report = new_report("sichuan-guangyuan", 2023, "测试部门")
    form = report.forms[0]
    form.score_sheet = [ScoreItem(path=(f"x{i}",), weight="10", self_score="8.335") for i in range(3)]
    assert sheet_total(form, [ItemScore(i, None, "") for i in range(3)]) == Decimal("25.02")
