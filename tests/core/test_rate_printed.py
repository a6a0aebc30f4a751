"""Every amount and 执行率 / 控制率 a region prints, word by word as its seed prints it, read back.

Seed 004 (益阳) prints a whole percentage without places ("100%", 附件2 and 附件3-1/3-3, and its report's
"预算执行率 100%") and any other with two ("86.61%", "90.54%"): the template says so
(scoring.rate_whole_places 0 beside rate_places 2); the export only reads it. 益阳 and 广元 print an
amount as it was typed ("709.5", "41.7", "100", "0" in the forms, "41.70" and "249.90" in 004's 基础数据表;
001 "84.8", "15", "3.6"): their templates' print.amount_places "typed"; 平凉 prints "2254.70" (2 places).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl

from core.export.docx import write_docx
from core.export.grid import MONEY, RATE, SCORE, printed, text_units
from core.export.layout import plan
from core.export.xlsx import write_xlsx
from core.interchange import read_json_file
from core.templates import get_template
from tests.conftest import FIXTURES
from tests.core.export_helpers import SEED004

PERCENT = re.compile(r"\d+(?:\.\d+)?%")
NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
SEED001 = Path("/work/shared/seeds/001_127aded49d8bfbe3.txt")


def _seed_tokens(seed: Path, start: str, pattern: re.Pattern[str] = PERCENT) -> Counter[str]:
    """The numbers a seed's attachments print (from the line ``start`` on), each token as printed."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines) if line.strip() == start)
    tokens = (t.strip() for line in lines[first:] for t in line.split("\t"))
    return Counter(t for t in tokens if pattern.fullmatch(t))


def _seed_percents() -> Counter[str]:
    return _seed_tokens(SEED004, "附件 1")


def _shown(value: object, number_format: str) -> str:
    """A cell as Excel shows it: a number under 0% / 0.00% as that percentage, under 0 / 0.0 / 0.00
    with those places."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and number_format != "General":
        percent = number_format.endswith("%")
        places = len(number_format.rstrip("%").split(".")[1]) if "." in number_format else 0
        step = Decimal(1).scaleb(-places)
        number = Decimal(str(value)) * (100 if percent else 1)
        return f"{number.quantize(step, rounding=ROUND_HALF_UP)}" + ("%" if percent else "")
    if isinstance(value, float) and not isinstance(
        value, bool
    ):  # General: Excel shows 10.0 as 10, 709.5 as 709.5
        return format(Decimal(repr(value)).normalize(), "f")
    return "" if value is None else str(value).strip()


def _excel_tokens(path: Path) -> Counter[str]:
    book = openpyxl.load_workbook(path)
    return Counter(
        _shown(c.value, c.number_format)
        for ws in book.worksheets
        if ws.title != "自评汇总表"
        for row in ws.iter_rows()
        for c in row
    )


def test_yiyang_prints_every_number_of_its_seed_as_the_seed_does(tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    path = tmp_path / "s.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    seed = _seed_tokens(SEED004, "附件 1", NUMBER)
    assert not seed - _excel_tokens(path), seed - _excel_tokens(path)
    docx_path = tmp_path / "s.docx"
    write_docx(report, docx_path, template=get_template(report.template))
    doc = docx.Document(str(docx_path))
    cells = Counter(p.text.strip() for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs)
    assert not seed - cells, seed - cells


def test_guangyuan_prints_its_amounts_as_typed(tmp_path: Path) -> None:
    """001's amounts (its 执行率 are not all alike: "100%" in 5 forms, "100.00%" in 14 — see below)."""
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "s.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    seed = _seed_tokens(SEED001, "附表：部门预算项目支出绩效自评表（2023年度）", re.compile(r"\d+\.\d+"))
    shown = _excel_tokens(path)
    assert seed and set(seed) <= set(shown), set(seed) - set(shown)  # (the seed prints two forms twice)
    assert {"84.8", "3.6"} <= set(shown) and "84.80" not in shown


def test_an_amount_typed_short_keeps_every_digit_a_correction_adds(tmp_path: Path) -> None:
    """An amount typed as 84.8 or 15 prints so under General, not 0.0 / 0: a figure the accountant corrects in
    the exported workbook (84.85) then shows every digit, where 0.0 showed it as 84.9 (reviewer's R14)."""
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "s.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    book = openpyxl.load_workbook(path)
    numbers = [
        c
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
    ]
    assert not [
        c.coordinate for c in numbers if c.number_format in ("0", "0.0")
    ]  # no format that drops a digit
    assert {c.number_format for c in numbers if c.value == 84.8 and c.parent.title != "自评汇总表"} == {
        "General"
    }


def test_yiyang_rates_print_as_the_seed_in_excel(tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    path = tmp_path / "s.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    book = openpyxl.load_workbook(path)
    shown = Counter(
        text
        for ws in book.worksheets
        if ws.title != "自评汇总表"
        for row in ws.iter_rows()
        for c in row
        if PERCENT.fullmatch(text := _shown(c.value, c.number_format))
    )
    assert not _seed_percents() - shown, _seed_percents() - shown
    assert shown["100%"] >= 3 and "100.00%" not in shown
    summary = [_shown(c.value, c.number_format) for row in book["自评汇总表"].iter_rows() for c in row]
    assert "86.61%" in summary and "100%" in summary and "100.00%" not in summary


def test_yiyang_rates_print_as_the_seed_in_word(tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    path = tmp_path / "s.docx"
    write_docx(report, path, template=get_template(report.template))
    doc = docx.Document(str(path))
    cells = Counter(
        p.text.strip()
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        if PERCENT.fullmatch(p.text.strip())
    )
    assert not _seed_percents() - cells, _seed_percents() - cells
    assert "100.00%" not in cells
    body = "".join(p.text for p in doc.paragraphs)
    assert "预算执行率 100%" in body.replace("\u00a0", " ") or "预算执行率100%" in body
    assert "100.00%" not in body


def test_other_regions_keep_their_places() -> None:
    """广元 prints "91.20%" (two places, a trailing 0 kept) and 平凉 "100%" (rate_places 0)."""
    assert get_template("sichuan-guangyuan").scoring.rate_whole_places is None
    assert get_template("hunan-yiyang").scoring.rate_whole_places == 0
    from core.numbers import fmt_percent

    assert fmt_percent(Decimal("0.912"), 2, None) == "91.20%"
    assert fmt_percent(Decimal(1), 2, None) == "100.00%"
    assert fmt_percent(Decimal(1), 2, 0) == "100%"
    assert fmt_percent(Decimal("0.99999"), 2, 0) == "100%"  # rounds to a whole percent
    assert fmt_percent(Decimal("0.8661"), 2, 0) == "86.61%"
    assert fmt_percent(Decimal("0.905"), 2, 0) == "90.50%"


def test_inline_funds_values_fit_their_slots() -> None:
    """益阳 附件2's funds line: with "100%" narrower than "100.00%" the slots were re-cut and Word
    printed 全年执行数 "2187" / ".04"; every amount, 分值, 执行率 and 得分 gets the width it prints in."""
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    template = get_template(report.template)
    grid = next(g for g in plan(report, template) if g.uid == report.forms[0].uid)
    spans = {(m[0], m[1]): m[3] - m[1] + 1 for m in grid.merges}
    checked = 0
    for (r, c), cell in grid.cells.items():
        if cell.kind in (MONEY, RATE, SCORE) and cell.value is not None and r < 4:
            text = printed(cell, grid.rate_places, grid.rate_whole)
            assert grid.span_width(c, spans.get((r, c), 1)) >= text_units(text) + 2, (r, c, text)
            checked += 1
    assert checked >= 6


def test_printed_scores_add_up_to_the_total(tmp_path: Path) -> None:
    """A typed 得分 prints as 总分 counts it (2 places, after its 扣减分数; scoring's note 15:21): 004's
    附件3-2 with "8.335" typed on one row and 扣减分数 "2" on another printed 8.335 and 10 under a total
    that counted 8.34 and 8."""
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    form = report.forms[2]  # 附件3-2: 分值 10 rows scored 10
    rows = [i for i in form.indicators if i.weight.strip() == "10" and i.score.strip() == "10"]
    rows[0].score = "8.335"
    rows[1].deduction = "2"
    path = tmp_path / "s.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    ws = openpyxl.load_workbook(path).worksheets[3]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
    assert 8.335 not in values and 8.34 in values and 8 in values
    docx_path = tmp_path / "s.docx"
    write_docx(report, docx_path, template=get_template(report.template))
    table = [
        p.text.strip()
        for t in docx.Document(str(docx_path)).tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
    ]
    assert "8.34" in table and "8.335" not in table
