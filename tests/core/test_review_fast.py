"""The review list's fast paths give exactly what the slow ones give.

The list reads figures with plain sqlite3 (core.review.lean), totals without every reason
(figures.quick_figures), counts in worker processes and from the index on a re-scan. Here a varied
generated set — every shipped template, typed and blank scores, inflated scores, 不适用 rows,
扣减分数, 其中 rows, blank rows, empty forms, forms without a budget or with 0, totals left to their
parts, 评分表 score sheets with typed and computed items, the 部门整体 form — plus the seed reports
is scanned, and each listed report is compared with what ``python -m core score --json`` and
``check --json`` print for the same file, and with the money of the whole report read by the
storage layer.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.cli import main as cli
from core.model import FundRow, Indicator, Report
from core.review.scan import Index, scan
from core.schema import FUND, HEAD

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_bench import indicator  # noqa: E402
from review_bench import as_older, write_fast  # noqa: E402

TEMPLATES = ("mof", "sichuan-guangyuan", "gansu-pingliang", "hunan-yiyang", "sichuan")
SEEDS = ("seed001_guangyuan", "seed003_pingliang", "seed004_yiyang")
SCORE_KEYS = (
    HEAD.name,
    "kind",
    "execution_rate",
    "execution_score",
    "total",
    "grade",
    "warning",
    "warning_why",
)


def _funds(report: Report, rng: random.Random) -> None:
    """Vary the rate row: typed, blank (no budget), 0, left to its parts, over-spent."""
    from core.report import fill_fund_rows
    from core.templates import get_template

    template = get_template(report.template)
    fill_fund_rows(report, template)
    for i, form in enumerate(report.forms):
        spec = template.form(form.kind)
        total = rng.randint(10, 900)
        spent = total - rng.choice((0, 1, 7, total // 4, total // 2))
        rows = {r.key: n for n, r in enumerate(form.funds)}
        case = i % 6
        if case == 1:
            continue  # no budget at all: 执行率 blank, no 自评预警 by money
        at = rows[spec.rate_row]
        if case == 2:
            form.funds[at] = FundRow(spec.rate_row, "0", "0", "0")
        elif case == 3:  # the total row left blank: its parts count
            parts = next((s.parts for s in spec.sums if s.total == spec.rate_row), ())
            for k, key in enumerate(p for p in parts if p in rows):
                form.funds[rows[key]] = FundRow(key, str(total + k), str(total + k), str(spent + k))
        elif case == 4:
            form.funds[at] = FundRow(spec.rate_row, str(total), f"{total}.5", f"{total + 3}")  # over-spent
        else:
            form.funds[at] = FundRow(spec.rate_row, str(total), str(total), str(spent))


def _indicators(report: Report, n: int, rng: random.Random) -> None:
    from core.scoring import evaluate_row
    from core.templates import get_template

    template = get_template(report.template)
    for i, form in enumerate(report.forms):
        if i == 2:
            continue  # an empty form: no indicators
        per = rng.choice((5, 10, 25))
        rows = [indicator(rng, n * 10 + i, k) for k in range(per)]
        for row in rows:
            row.weight = str(Decimal(90) / per)
        for k, row in enumerate(rows):
            state = (k + i + n) % 9
            if state == 0:
                row.score = ""  # blank: the suggested score counts
            elif state == 1:
                row.score = row.weight  # typed at full marks (inflated when the target was missed)
            elif state == 2:
                row.not_applicable = True
            elif state == 3:
                row.deduction = "0.5"
                row.score = row.weight
            else:
                suggested = evaluate_row(row, template)[0]
                row.score = "" if suggested is None else format(suggested, "f")
        rows.insert(1, Indicator(rows[0].level1, rows[0].level2, "其中：本级", "≥1个", "1个"))  # a 其中 row
        marked = Indicator(rows[0].level1, rows[0].level2, "细项", "≥2个", "1个", "2", "2", breakdown=True)
        rows.insert(2, marked)  # marked 其中 with a weight and score of its own: not counted either
        rows.append(Indicator("满意度指标", "服务对象满意度指标"))  # a printed 二级 row, blank
        form.indicators = rows


def _sheets(report: Report, rng: random.Random) -> None:
    """Score sheets (广元): some items typed, the rest computed or left blank."""
    for form in report.forms:
        for k, item in enumerate(form.score_sheet):
            if k % 3 == 0 and item.weight:
                item.self_score = str(min(Decimal(item.weight), Decimal(rng.randint(0, 9))))
            elif k % 3 == 1 and item.path and item.path[0].startswith("扣分"):
                item.self_score = "1"


def varied_report(template_id: str, n: int) -> Report:
    from core.report import new_report

    rng = random.Random(n * 31 + len(template_id))
    report = new_report(template_id, 2023, f"测试部门{template_id}{n}", [f"项目{n}-{p}" for p in range(6)])
    _funds(report, rng)
    _indicators(report, n, rng)
    _sheets(report, rng)
    return report


@pytest.fixture(scope="module")
def varied_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from core.interchange import read_json_file
    from core.report import Document

    folder = tmp_path_factory.mktemp("varied")
    for template_id in TEMPLATES:
        for n in range(2):
            write_fast(varied_report(template_id, n), folder / f"{template_id}-{n}.zpdb")
    for seed in SEEDS:
        Document.create(folder / f"{seed}.zpdb", read_json_file(ROOT / f"tests/fixtures/{seed}.json")).close()
    return folder


def command(*args: str) -> dict[str, Any]:
    """What ``python -m core ARGS`` prints, as JSON (run in this process: the same code)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli(list(args))
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def whole_money(path: Path) -> list[dict[str, Any]]:
    """The rate row's money of every form, read by the storage layer (the whole report)."""
    from core.review.figures import form_figures
    from core.review.readonly import load_readonly
    from core.scoring import score_report
    from core.templates import get_template

    report = load_readonly(path)
    template = get_template(report.template)
    money = (FUND.initial, "budget", FUND.executed)
    return [{k: f[k] for k in money} for f in form_figures(report, template, score_report(report, template))]


def assert_matches_commands(reports: list[dict[str, Any]], checked: bool) -> None:
    for rep in reports:
        path = Path(rep["file"])
        score = command("score", str(path), "--json")["forms"]
        assert [{k: f[k] for k in SCORE_KEYS} for f in rep["forms"]] == [
            {k: f[k] for k in SCORE_KEYS} for f in score
        ], path.name
        assert [
            {k: f[k] for k in (FUND.initial, "budget", FUND.executed)} for f in rep["forms"]
        ] == whole_money(path), path.name
        if not checked:
            assert rep["problems"] is None
            continue
        problems = command("check", str(path), "--json")["problems"]
        assert rep["problems"] == {
            s: sum(p["severity"] == s for p in problems) for s in ("error", "warning", "info")
        }
        assert rep["rules"] == dict(Counter(p["rule"] for p in problems))  # the 通报's most frequent
        names = [f[HEAD.name] for f in rep["forms"]]
        if len(set(names)) == len(names):  # per form, by its name (check --json names the form)
            for form in rep["forms"]:
                mine = [p for p in problems if p["form"] == form[HEAD.name]]
                assert form["problems"] == {
                    s: sum(p["severity"] == s for p in mine) for s in ("error", "warning", "info")
                }, (path.name, form[HEAD.name])


def test_the_set_is_varied(varied_set: Path, tmp_path: Path) -> None:
    result = scan([varied_set], index=Index(tmp_path / "i.sqlite"), workers=1)
    assert len(result.reports) == len(TEMPLATES) * 2 + len(SEEDS) and not result.refused
    forms = [f for r in result.reports for f in r["forms"]]
    assert {"overall", "project"} <= {f["kind"] for f in forms}
    assert {"优", "良", "差", ""} <= {f["grade"] for f in forms}
    assert {"red", "yellow", None} <= {f["warning"] for f in forms}
    assert any(f["execution_rate"] == "—" for f in forms)  # no budget
    assert any(
        r["template"] == "sichuan-guangyuan" and any(f["total"] for f in r["forms"]) for r in result.reports
    )


def test_figures_pass_matches_score_json(varied_set: Path, tmp_path: Path) -> None:
    result = scan([varied_set], index=Index(tmp_path / "i.sqlite"), workers=1, checks=False)
    assert not result.refused
    assert_matches_commands(result.reports, checked=False)


def test_checked_list_matches_score_and_check_json(varied_set: Path, tmp_path: Path) -> None:
    result = scan([varied_set], index=Index(tmp_path / "i.sqlite"), workers=1)
    assert result.checked and not result.refused
    assert_matches_commands(result.reports, checked=True)


def test_worker_processes_and_rescan_give_the_same_list(
    varied_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import core.review.scan as scan_module

    inline = scan([varied_set], index=Index(tmp_path / "a.sqlite"), workers=1)
    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)
    idx = tmp_path / "b.sqlite"
    quick = scan([varied_set], index=Index(idx), workers=2, checks=False)
    pooled = scan([varied_set], index=Index(idx), workers=2)
    again = scan([varied_set], index=Index(idx), workers=2)
    assert again.read == 0
    strip = [[{k: v for k, v in f.items() if k != "problems"} for f in r["forms"]] for r in inline.reports]
    assert [
        [{k: v for k, v in f.items() if k != "problems"} for f in r["forms"]] for r in quick.reports
    ] == strip
    assert pooled.reports == inline.reports == again.reports


def test_the_check_pass_counts_with_the_figures_the_list_already_has(
    varied_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window lists the figures first, then counts in the background: the counting pass takes
    each unchanged file's figures from the index instead of working them out again, and lists
    exactly what one pass lists (a file changed since is read whole again)."""
    import os

    import core.review.figures as figures_module
    import core.review.scan as scan_module

    one = scan([varied_set], index=Index(tmp_path / "a.sqlite"), workers=1)
    worked_out: list[str] = []
    quick = figures_module.quick_figures

    def counted(report: Any, template: Any = None, **kwargs: Any) -> list[dict[str, Any]]:
        worked_out.append(report.department)
        return quick(report, template, **kwargs)

    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)
    for workers, name in ((1, "b"), (2, "c")):
        idx = tmp_path / f"{name}.sqlite"
        scan([varied_set], index=Index(idx), workers=workers, checks=False)
        changed = sorted(varied_set.iterdir())[0]
        os.utime(changed, ns=(changed.stat().st_atime_ns, changed.stat().st_mtime_ns + 1_000_000_000))
        worked_out.clear()
        monkeypatch.setattr(figures_module, "quick_figures", counted)
        checked = scan([varied_set], index=Index(idx), workers=workers)
        monkeypatch.setattr(figures_module, "quick_figures", quick)
        assert checked.read == len(one.reports) and not checked.refused
        assert checked.reports == one.reports
        if workers == 1:  # in this process: only the touched file's figures were worked out again
            assert len(worked_out) == 1


def test_worker_processes_report_progress_and_cancel(
    varied_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import core.review.scan as scan_module

    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(scan_module, "CHUNK", 1)
    total = len(list(varied_set.iterdir()))
    seen: list[tuple[int, int]] = []

    def progress(done: int, all_files: int, label: str) -> bool:
        if not label.startswith("正在读取"):
            return True  # finding the files first (the walk: no total yet)
        seen.append((done, all_files))
        return done < 2

    idx = tmp_path / "i.sqlite"
    stopped = scan([varied_set], index=Index(idx), workers=2, checks=False, progress=progress)
    assert stopped.cancelled and 2 <= stopped.read < total
    assert seen and all(n == total for _d, n in seen)
    rest = scan([varied_set], index=Index(idx), workers=2, checks=False)  # what was read is kept
    assert not rest.cancelled and rest.read == total - stopped.read and len(rest.reports) == total


def test_the_lean_reader_reads_what_the_storage_layer_reads(varied_set: Path) -> None:
    """Every header field and every column of FIGURE_COLUMNS, row for row, value and type."""
    from core.review.lean import FIGURE_COLUMNS, read_figures
    from core.review.readonly import connect_readonly, load_readonly
    from core.schema import Table, columns

    for path in sorted(varied_set.iterdir()):
        conn = connect_readonly(path)
        try:
            lean = read_figures(conn)
        finally:
            conn.close()
        whole = load_readonly(path)
        assert (lean.template, lean.year, lean.department) == (whole.template, whole.year, whole.department)
        assert [(f.uid, f.kind) for f in lean.forms] == [(f.uid, f.kind) for f in whole.forms]
        for a, b in zip(lean.forms, whole.forms, strict=True):
            head = [c.key for c in columns(Table.HEADER)]
            assert [getattr(a, k) for k in head] == [getattr(b, k) for k in head]
            for table, wanted in FIGURE_COLUMNS.items():
                keys = sorted(wanted)
                mine = [[(getattr(r, k), type(getattr(r, k))) for k in keys] for r in a.rows(table)]
                assert mine == [[(getattr(r, k), type(getattr(r, k))) for k in keys] for r in b.rows(table)]


def test_rule_counts_are_the_checkers_problems_counted(varied_set: Path) -> None:
    """The list's counts come from Checker.rule_counts (no Problem made for a row rule's findings):
    per form and rule, exactly what the checker's problems are, also after the memo is warm, for
    rows repeated within a form, and for cells holding the character the memo stands in for names."""
    from collections import Counter

    from core.model import Indicator
    from core.review.readonly import load_readonly
    from core.rules import Checker
    from core.rules.base import QUOTED
    from core.templates import get_template

    reports = [load_readonly(path) for path in sorted(varied_set.iterdir())]
    odd = varied_report("mof", 7)
    form = odd.forms[1]
    form.indicators += [Indicator(*form.indicators[0].__dict__.values()) for _ in range(2)]  # repeated rows
    form.indicators.append(Indicator("产出指标", "数量指标", "名称", f"≥1{QUOTED}个", "0个", "5", "5"))
    form.indicators.append(Indicator("产出指标", "数量指标", f"名{QUOTED}称", "≥1个", "0个", "5", "5"))
    reports.append(odd)
    for report in reports * 2:  # the second time every row's findings come from the memo
        template = get_template(report.template)
        expected: dict[int | None, Counter[str]] = {}
        for p in Checker(report, template).problems:
            expected.setdefault(p.form_uid, Counter())[p.rule] += 1
        counted = Checker(report, template, check=False).rule_counts()
        assert {k: v for k, v in counted.items() if v} == expected, report.department


def test_the_whole_report_reader_reads_what_the_storage_layer_reads(varied_set: Path) -> None:
    """The check pass reads a report with core.review.lean.read_report: the same Report, field for
    field, as the storage layer's load_report (the window's reader)."""
    import sqlite3

    from core.review.lean import read_report
    from core.storage import repository as repo
    from core.storage.database import Database

    for path in sorted(varied_set.iterdir()):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            assert read_report(conn) == repo.load_report(Database(conn)), path.name
        finally:
            conn.close()


@pytest.mark.parametrize("version", [2, 3])
def test_an_older_file_is_listed_as_it_is_without_migrating(
    varied_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: int
) -> None:
    """A file of storage version 3 (before m004: no 项目编码/业务处室) or 2 (before m003 too) is read
    with the columns it has, the others blank — no copy migrated in memory — and lists, counts and
    reads exactly as the same file upgraded by the storage layer (code and office blank there too)."""
    import shutil

    import core.review.readonly as readonly
    from core.review.lean import read_report
    from core.review.readonly import connect_readonly, load_judged

    older = tmp_path / "older"
    older.mkdir()
    for path in sorted(varied_set.iterdir()):
        shutil.copyfile(path, older / path.name)
        as_older(older / path.name, version)
    upgraded = [load_judged(p) for p in sorted(older.iterdir())]  # the storage layer migrates a copy
    assert all(f.code == f.office == "" for r in upgraded for f in r.forms)

    def no_migration() -> None:
        raise AssertionError("an older file was migrated")

    monkeypatch.setattr(readonly, "migrations", no_migration)
    for path, whole in zip(sorted(older.iterdir()), upgraded, strict=True):
        conn = connect_readonly(path)
        try:
            assert read_report(conn) == whole, path.name
        finally:
            conn.close()
    listed = scan([older], index=Index(tmp_path / "i.sqlite"), workers=1)
    assert not listed.refused and len(listed.reports) == len(upgraded)
    if version == 3:  # blank code/office were the only difference: the same list and counts
        current = scan([varied_set], index=Index(tmp_path / "j.sqlite"), workers=1)
        strip = [{k: v for k, v in r.items() if k != "file"} for r in current.reports]
        assert [{k: v for k, v in r.items() if k != "file"} for r in listed.reports] == strip
    assert_matches_commands(listed.reports, checked=True)
