"""#10 item 1: amounts have a range; nothing computed raises on a value storage accepts."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.interchange import InterchangeError, read_json_file
from core.model import FUNDS, INDICATORS, SCORE_SHEET, Indicator
from core.numbers import MAX_INTEGER_DIGITS, is_amount, q
from core.report import Document, InputError, new_report
from core.rules import check_report
from core.scoring import score_report
from core.templates import get_template

ROOT = Path(__file__).resolve().parents[2]
HUGE = "1" * 27


def _doc(path: Path) -> Document:
    doc = Document.create(path, new_report("hunan-yiyang", 2023, "测试部", ["项目甲"]))
    uid = doc.report.projects[0].uid
    doc.insert_rows(
        uid, INDICATORS, 0, [Indicator("产出指标", "数量指标", "培训人数", "≥5人", "6人", "10", "")]
    )
    return doc


def test_a_27_digit_amount_is_refused_when_typed_or_pasted(tmp_path: Path) -> None:
    doc = _doc(tmp_path / "r.zpdb")
    uid = doc.report.projects[0].uid
    with pytest.raises(InputError, match="超出范围") as typed:
        doc.set_cell(uid, INDICATORS, 0, "weight", HUGE)
    assert "15 位" in str(typed.value)
    with pytest.raises(InputError, match="超出范围"):
        doc.set_cells([(uid, INDICATORS, 0, "score", "5"), (uid, FUNDS, 0, "annual", HUGE)])
    with pytest.raises(InputError, match="超出范围"):
        doc.set_form_field(uid, "execution_weight", HUGE)
    assert doc.get_cell(uid, INDICATORS, 0, "weight") == "10"
    assert doc.get_cell(uid, INDICATORS, 0, "score") == ""  # the paste was all or nothing
    doc.set_cell(uid, FUNDS, 0, "annual", "9" * MAX_INTEGER_DIGITS + ".99")  # 15 digits fit
    doc.close()


def test_a_27_digit_amount_is_refused_on_import(tmp_path: Path) -> None:
    data = json.loads((ROOT / "tests" / "fixtures" / "seed004_yiyang.json").read_text(encoding="utf-8"))
    data["forms"][0]["funds"]["rows"][0]["annual"] = HUGE
    source = tmp_path / "big.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InterchangeError, match="超出范围"):
        read_json_file(source)


def test_a_file_already_holding_a_huge_amount_opens_and_flags_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    doc = _doc(path)
    uid = doc.report.projects[0].uid
    doc.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE indicators SET weight = ?, score = ?", [HUGE, "8" * 40])
    conn.execute("UPDATE fund_rows SET annual = ?, executed = ?", [HUGE, "x1"])
    conn.execute("UPDATE forms SET execution_weight = ?", [HUGE])
    conn.commit()
    conn.close()
    doc = Document.open(path)
    problems = [p for p in check_report(doc.report, doc.template) if p.rule == "V18"]
    cells = {(p.form_uid if hasattr(p, "form_uid") else p.form, p.table, p.row, p.column) for p in problems}
    assert any(c[1] == INDICATORS and c[2] == 0 and c[3] == "weight" for c in cells)
    assert any(c[1] == FUNDS and c[3] == "executed" for c in cells)
    assert any(c[1] == "header" and c[3] == "execution_weight" for c in cells)
    assert all("超出范围" in p.message or "不是数字" in p.message for p in problems)
    score_report(doc.report, doc.template)
    from core.export.docx import write_docx
    from core.export.xlsx import write_xlsx

    write_xlsx(doc.report, tmp_path / "r.xlsx", template=doc.template)
    write_docx(doc.report, tmp_path / "r.docx", template=doc.template)
    doc.set_cell(uid, INDICATORS, 0, "weight", "10")  # and it can be corrected
    assert not any(
        p.table == INDICATORS and p.column == "weight"
        for p in check_report(doc.report, doc.template)
        if p.rule == "V18"
    )
    doc.close()


_digits = st.text(alphabet="0123456789", min_size=1, max_size=MAX_INTEGER_DIGITS)
_places = st.text(alphabet="0123456789", max_size=12)
amounts = st.one_of(
    st.just(""),
    st.builds(
        lambda s, w, p: f"{s}{w}.{p}" if p else f"{s}{w}", st.sampled_from(["", "-", "+"]), _digits, _places
    ),
    st.builds(lambda w: "9" * MAX_INTEGER_DIGITS + "." + w, _places),
    st.builds(lambda p: "0." + "0" * 12 + p, st.text(alphabet="123456789", min_size=1, max_size=3)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    weight=amounts,
    score=amounts,
    annual=amounts,
    executed=amounts,
    sheet=amounts,
    exw=amounts,
    target=st.sampled_from(["≥5人", "≥" + "9" * 15 + "人", "0.0000001%", "100%", "≤1天"]),
    actual=st.sampled_from(["6人", "9" * 15 + "人", "0.0000000000001%", "0", "好"]),
)
def test_nothing_computed_raises_on_any_amount_storage_accepts(
    weight: str, score: str, annual: str, executed: str, sheet: str, exw: str, target: str, actual: str
) -> None:
    for text in (weight, score, annual, executed, sheet, exw):
        assert is_amount(text)
    report = new_report("hunan-yiyang", 2023, "测试部", ["项目甲"])
    for form in report.forms:
        form.execution_weight = exw
        form.indicators.append(Indicator("产出指标", "数量指标", "人数", target, actual, weight, score))
        form.indicators.append(Indicator("效益指标", "社会效益指标", "满意度", "≥90%", actual, sheet, ""))
        for row in form.funds:
            row.annual, row.executed, row.initial = annual, executed, annual
        for item in form.score_sheet:
            item.weight, item.self_score = sheet, score
    assert report.forms[0].rows(SCORE_SHEET) is not None
    score_report(report, get_template(report.template))
    check_report(report, get_template(report.template))


def test_rounding_a_product_of_two_huge_amounts_does_not_raise() -> None:
    from decimal import Decimal

    big = Decimal("9" * 15) * Decimal("9" * 15)
    assert q(big, 2) == big


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(
                ["1" * 27, "9" * 40 + ".5", "1e400", "NaN", "-0", "１２３４５６７８９０１２３４５６７", "."]
            ),
        ),
        min_size=6,
        max_size=6,
    )
)
def test_any_text_already_in_an_amount_cell_is_flagged_never_raises(texts: list[str]) -> None:
    """A file written by an older version or another program may hold anything in an amount cell."""
    report = new_report("hunan-yiyang", 2023, "测试部", ["项目甲"])
    for form in report.forms:
        form.execution_weight, form.printed_total = texts[0], texts[1]
        form.indicators.append(Indicator("产出指标", "数量指标", "人数", "≥5人", "6人", texts[2], texts[3]))
        for row in form.funds:
            row.annual, row.executed = texts[4], texts[5]
        for item in form.score_sheet:
            item.weight, item.self_score = texts[2], texts[3]
    problems = check_report(report, get_template(report.template))
    score_report(report, get_template(report.template))
    flagged = {(p.table, p.column) for p in problems if p.rule == "V18"}
    for (table, column), text in (((INDICATORS, "weight"), texts[2]), ((FUNDS, "annual"), texts[4])):
        if not is_amount(text):
            assert (table, column) in flagged, text


def test_a_27_digit_amount_is_refused_by_the_spreadsheet_import_too() -> None:
    from core.importers.amounts import read_amount, read_score

    value, why = read_amount(HUGE, "万元")
    assert value is None and "15 位" in why
    value, why = read_amount("1" * 20 + "元", "万元")  # 元 → 万元 still leaves 16 integer digits
    assert value is None and "超出范围" in why
    assert read_score(HUGE)[0] is None
    assert read_amount("9" * 15 + ".99", "万元") == ("9" * 15 + ".99", "")
