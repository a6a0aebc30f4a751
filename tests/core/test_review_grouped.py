"""The list's first pass reads a form's indicators grouped when every 得分 is a number.

Each distinct row (得分, 扣减分数, 分值, 不适用, 其中项) is read and scored once and counted as
often as it comes (``core.review.lean.read_grouped``); a form with a 得分 that is not a number, a
number with more decimals than can be summed in any order, or a 评分表 that reads the rows' names
and targets, is read row by row. Either way the list shows what ``python -m core score --json``
prints for the same file: here on reports whose rows are all typed — deductions, 不适用 rows with a
分值, marked and named 其中 rows, full-width and suffixed numbers, 分值 that are not numbers — in
every shipped template, beside forms of the same reports that need the rows.
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from core.model import FundRow, Indicator, Report
from core.review.scan import Index, scan

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_bench import indicator  # noqa: E402
from review_bench import write_fast  # noqa: E402

from tests.core.test_review_fast import TEMPLATES, assert_matches_commands  # noqa: E402

# A 得分 a department types, each a number (grouped) or not (the form is read row by row).
NUMBERS = ("4", "3.6", "3.60", "0", "３.６", "4分", " 3.5 ", "2.123456", "1.")
NOT_NUMBERS = ("", "满分", "2.1234567", "-")


def typed_rows(rng: random.Random, n: int, per: int) -> list[Indicator]:
    """Rows whose every 得分 is a number, with what else a figure reads of them varied."""
    rows = [indicator(rng, n, k) for k in range(per)]
    weight = str(Decimal(90) / per)
    for k, row in enumerate(rows):
        row.weight = weight
        row.score = rng.choice((weight, weight, weight, *NUMBERS))
        state = k % 7
        if state == 1:
            row.deduction = rng.choice(("0.5", "1", "无", "9", "０.５"))  # "9": more than the score
        elif state == 2:
            row.not_applicable = True  # its 分值 is dropped and the rest re-scaled
        elif state == 3:
            row.weight = rng.choice(("约5", "", "4.5"))  # a 分值 that is not a number counts no points
    rows.insert(1, Indicator(rows[0].level1, rows[0].level2, "其中：本级", "≥1个", "1个", "", "1"))
    rows.insert(2, Indicator(rows[0].level1, rows[0].level2, "细项", "≥2个", "1个", "2", "2", breakdown=True))
    rows.insert(3, Indicator(rows[0].level1, rows[0].level2, "  ★重点", "≥2个", "2个", "", "2"))
    return rows


def typed_report(template_id: str, n: int) -> Report:
    """Most forms typed throughout; one with a 得分 that is not a number; money that warns red
    (spent little, scored high) and yellow."""
    from core.report import fill_fund_rows, new_report
    from core.templates import get_template

    rng = random.Random(n * 7 + len(template_id))
    report = new_report(template_id, 2023, f"分组部门{template_id}{n}", [f"项目{n}-{p}" for p in range(5)])
    template = get_template(report.template)
    fill_fund_rows(report, template)
    for i, form in enumerate(report.forms):
        spec = template.form(form.kind)
        at = next(k for k, r in enumerate(form.funds) if r.key == spec.rate_row)
        total = rng.randint(50, 900)
        spent = total - rng.choice((0, 3, total // 3, total // 2))
        form.funds[at] = FundRow(spec.rate_row, str(total), str(total), str(spent))
        form.indicators = typed_rows(rng, n * 10 + i, rng.choice((6, 12, 25)))
        if i == 1:
            form.indicators[-1].score = rng.choice(NOT_NUMBERS)  # this form is read row by row
        for k, item in enumerate(form.score_sheet):
            if k % 2 == 0 and item.weight:
                item.self_score = str(min(Decimal(item.weight), Decimal(rng.randint(0, 9))))
    return report


@pytest.fixture(scope="module")
def typed_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("typed")
    for template_id in TEMPLATES:
        for n in range(2):
            write_fast(typed_report(template_id, n), folder / f"{template_id}-{n}.zpdb")
    return folder


def test_typed_forms_list_as_score_json_prints_them(typed_set: Path, tmp_path: Path) -> None:
    result = scan([typed_set], index=Index(tmp_path / "i.sqlite"), workers=1, checks=False)
    assert not result.refused and len(result.reports) == len(TEMPLATES) * 2
    forms = [f for r in result.reports for f in r["forms"]]
    assert {"red", "yellow"} <= {f["warning"] for f in forms}
    assert len({f["total"] for f in forms}) > len(forms) // 2  # the totals differ: scores are read
    assert_matches_commands(result.reports, checked=False)


def test_only_forms_scored_from_their_rows_alone_are_grouped(typed_set: Path) -> None:
    """What the comparison above covers: grouped forms in every template, and the forms that need
    their rows (a 得分 that is not a number, a 评分表) read row by row."""
    from core.review.lean import Groups
    from core.review.readonly import connect_readonly, load_connection
    from core.templates import get_template

    grouped = whole = distinct = rows = 0
    for path in sorted(typed_set.iterdir()):
        groups: Groups = {}
        conn = connect_readonly(path)
        try:
            report = load_connection(conn, path.name, True, None, groups)
        finally:
            conn.close()
        template = get_template(report.template)
        for i, form in enumerate(report.forms):
            expected = i != 1 and template.form(form.kind).scored
            assert (form.uid in groups) == expected, (path.name, i)
            grouped += expected
            whole += not expected
            if expected:
                assert sum(n for _row, n in groups[form.uid]) == len(form.indicators) > 0
                distinct += len(groups[form.uid])
                rows += len(form.indicators)
    assert grouped >= len(TEMPLATES) and whole >= len(TEMPLATES) * 2
    assert distinct < rows  # alike rows come once
