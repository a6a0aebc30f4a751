"""#10: random cell text pushed through edit → check → score → export (Excel and Word) never raises.

Typing may be refused (InputError with a Chinese message); nothing after an accepted edit may fail.
The example count is kept modest so the suite stays fast; raise it locally with HYPOTHESIS_PROFILE.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.export.docx import write_docx
from core.export.xlsx import write_xlsx
from core.model import FUNDS, GOALS, INDICATORS, SCORE_SHEET, Indicator
from core.report import Document, InputError, new_report
from core.rules import check_report
from core.scoring import score_report

CELLS = [
    (INDICATORS, c)
    for c in (
        "level1",
        "level2",
        "level3",
        "target",
        "actual",
        "weight",
        "score",
        "deviation_note",
        "direction",
    )
] + [(FUNDS, c) for c in ("initial", "annual", "executed")]
CELLS += [(GOALS, "goal"), (GOALS, "achieved"), (SCORE_SHEET, "self_score"), (SCORE_SHEET, "weight")]

pieces = st.sampled_from(
    [
        "≥",
        "≤",
        "=",
        "%",
        "万元",
        "人次",
        "年底",
        "12月",
        "1" * 16,
        "9" * 15,
        "0.000001",
        "-",
        "—",
        "=SUM(A1)",
        "@cmd",
        "\x00",
        "\x0b",
        "\r\n",
        "\t",
        "１２３",
        "达到",
        "以上",
        "好",
        "e10",
        "NaN",
        "Infinity",
    ]
)
cell_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(pieces, st.text(alphabet="0123456789.", max_size=8)), max_size=6).map("".join),
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(edits=st.lists(st.tuples(st.sampled_from(CELLS), cell_text), min_size=1, max_size=6))
def test_random_cell_text_never_breaks_check_score_or_export(
    edits: list[tuple[tuple[str, str], str]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.zpdb"
        doc = Document.create(path, new_report("hunan-yiyang", 2023, "测试部", ["项目甲"]))
        try:
            for form in doc.report.forms:
                doc.insert_rows(
                    form.uid,
                    INDICATORS,
                    0,
                    [Indicator("产出指标", "数量指标", "人数", "≥5人", "6人", "10", "9")],
                )
            for i, ((table, column), text) in enumerate(edits):
                form = doc.report.forms[i % len(doc.report.forms)]
                rows = form.rows(table)
                if not rows:
                    continue
                try:
                    doc.set_cell(form.uid, table, i % len(rows), column, text)
                except InputError as exc:
                    assert str(exc) and "\n" not in str(exc)
            check_report(doc.report, doc.template)
            score_report(doc.report, doc.template)
            write_xlsx(doc.report, Path(folder) / "fuzz.xlsx", template=doc.template)
            write_docx(doc.report, Path(folder) / "fuzz.docx", template=doc.template)
        finally:
            doc.close()
