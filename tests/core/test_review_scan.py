"""The review list: a folder of reports and packages, read-only, matching score --json; bad input refused."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.review.listing import COLUMNS, rows, select
from core.review.package import MANIFEST, make_package
from core.review.scan import Index, scan

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from review_bench import build_report, write_fast  # noqa: E402

FORM_FIGURES = ("name", "kind", "execution_rate", "execution_score", "total", "grade", "warning")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    return subprocess.run(
        [sys.executable, "-m", "core", *args], capture_output=True, text=True, cwd=ROOT, timeout=300, env=env
    )


@pytest.fixture(scope="module")
def review_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from core.interchange import read_json_file
    from core.report import Document

    folder = tmp_path_factory.mktemp("set")
    for n in range(4):
        write_fast(build_report(n, projects=3, per=6), folder / f"dept{n}.zpdb")
    src = tmp_path_factory.mktemp("src") / "yiyang.zpdb"
    Document.create(src, read_json_file(ROOT / "tests/fixtures/seed004_yiyang.json")).close()
    make_package(src, folder / "益阳.zip")
    # bad input
    shutil.copyfile(folder / "dept0.zpdb", folder / "dept0-copy.zpdb")  # duplicate department and year,
    received = (folder / "dept0.zpdb").stat().st_mtime
    os.utime(folder / "dept0-copy.zpdb", (received - 60, received - 60))  # received before dept0.zpdb
    (folder / "说明.txt").write_text("不是报告", encoding="utf-8")
    newer = folder / "newer.zpdb"
    write_fast(build_report(9, projects=1, per=2), newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    with zipfile.ZipFile(folder / "益阳.zip") as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    with zipfile.ZipFile(folder / "changed.zip", "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data + b"x" if name.endswith(".docx") else data)
    with zipfile.ZipFile(folder / "nomanifest.zip", "w") as zf:
        for name, data in files.items():
            if name != MANIFEST:
                zf.writestr(name, data)
    return folder


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_list_matches_score_json_and_refuses_bad_input_without_writing(
    review_set: Path, tmp_path: Path
) -> None:
    before = snapshot(review_set)
    os.chmod(review_set, 0o555)  # a folder on read-only media
    try:
        result = scan([review_set], index=Index(tmp_path / "i.sqlite"))
    finally:
        os.chmod(review_set, 0o755)
    assert snapshot(review_set) == before
    assert sorted(Path(r["file"]).name for r in result.reports) == [
        "dept0.zpdb",
        "dept1.zpdb",
        "dept2.zpdb",
        "dept3.zpdb",
        "益阳.zip",
    ]
    reasons = {Path(r["file"]).name: r["reason"] for r in result.refused}
    assert (
        "重复，两份文件内容相同" in reasons["dept0-copy.zpdb"]
    )  # a copy: which one is listed does not matter
    assert "更新版本" in reasons["newer.zpdb"]
    assert "不是报送包" in reasons["说明.txt"]
    assert "改动" in reasons["changed.zip"] and "自评报告.docx" in reasons["changed.zip"]
    assert "manifest" in reasons["nomanifest.zip"]
    for rep in result.reports:
        source = rep["file"] if rep["kind"] == "report" else str(ROOT / "tests/fixtures/seed004_yiyang.json")
        score = json.loads(run("score", source, "--json").stdout)["forms"]
        mine = [{k: f[k] for k in FORM_FIGURES} for f in rep["forms"]]
        theirs = [{k: f[k] for k in FORM_FIGURES} for f in score]
        assert mine == theirs
        check = json.loads(run("check", source, "--json").stdout)
        for sev in ("error", "warning", "info"):
            assert rep["problems"][sev] == sum(p["severity"] == sev for p in check["problems"])


def test_rescan_reads_nothing_unless_a_file_changed(review_set: Path, tmp_path: Path) -> None:
    idx = tmp_path / "i.sqlite"
    first = scan([review_set], index=Index(idx))
    assert first.read == len(list(review_set.iterdir()))
    again = scan([review_set], index=Index(idx))
    assert again.read == 0 and again.reports == first.reports and again.refused == first.refused
    victim = review_set / "dept2.zpdb"
    os.utime(victim, ns=(1, 1))  # touched, same content: its hash finds it in the index
    try:
        touched = scan([review_set], index=Index(idx))
    finally:
        os.utime(victim)
    assert touched.read == 0 and touched.reports == first.reports
    copy = tmp_path / "copy"
    copy.mkdir()
    original = victim.read_bytes()
    try:
        conn = sqlite3.connect(victim)  # a real change: the figures change, the file is read again
        conn.execute("UPDATE fund_rows SET executed = '1' WHERE executed <> ''")
        conn.commit()
        conn.close()
        changed = scan([review_set], index=Index(idx))
    finally:
        victim.write_bytes(original)
    assert changed.read == 1
    mine = next(r for r in changed.reports if r["file"] == str(victim))
    before = next(r for r in first.reports if r["file"] == str(victim))
    assert [f["executed"] for f in mine["forms"]] != [f["executed"] for f in before["forms"]]


def test_figures_pass_lists_without_counts_then_checks_fill_them(review_set: Path, tmp_path: Path) -> None:
    idx = tmp_path / "i.sqlite"
    quick = scan([review_set], index=Index(idx), checks=False)
    full = scan([review_set], index=Index(tmp_path / "other.sqlite"))
    assert not quick.checked and full.checked
    assert all(r["problems"] is None for r in quick.reports)
    strip = [[{k: v for k, v in f.items() if k != "problems"} for f in r["forms"]] for r in full.reports]
    assert [
        [{k: v for k, v in f.items() if k != "problems"} for f in r["forms"]] for r in quick.reports
    ] == strip
    assert quick.refused == full.refused
    table = rows(quick)
    assert {r["error"] for r in table} == {""}  # not checked yet: blank, not 0
    again = scan([review_set], index=Index(idx), checks=False)
    assert again.read == 0
    checked = scan([review_set], index=Index(idx))
    refused_for_what_they_are = 4  # 说明.txt, newer.zpdb, changed.zip, nomanifest.zip: not read again
    assert checked.read == len(list(review_set.iterdir())) - refused_for_what_they_are
    assert checked.reports == full.reports
    assert scan([review_set], index=Index(idx), checks=False).reports == full.reports  # checked is kept


def test_progress_can_cancel_the_scan(review_set: Path, tmp_path: Path) -> None:
    calls: list[int] = []

    def progress(done: int, total: int, label: str) -> bool:
        calls.append(done)
        return done < 2 or not label.startswith("正在检查")  # stopped after two reports read

    result = scan([review_set], progress=progress, index=Index(tmp_path / "i.sqlite"))
    assert result.cancelled and result.read == 2


def test_worker_pool_gives_the_same_list(
    review_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import core.review.scan as scan_module

    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)
    pooled = scan([review_set], workers=2, index=Index(tmp_path / "a.sqlite"))
    inline = scan([review_set], workers=1, index=Index(tmp_path / "b.sqlite"))
    assert pooled.reports == inline.reports and pooled.refused == inline.refused


def test_pooled_passes_list_as_one_pass_and_as_this_process(
    review_set: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list the window makes (figures, then counts, each by two worker processes handed chunks
    of shrinking size), the command line's (figures and counts in one pass by the workers) and a
    scan in this process are one list, packages and refused files included; every worker has left
    when a scan returns."""
    import multiprocessing

    import core.review.scan as scan_module

    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(scan_module, "CHUNK", 2)
    one = scan([review_set], workers=2, index=Index(tmp_path / "one.sqlite"))
    assert not multiprocessing.active_children()
    figures = scan([review_set], workers=2, index=Index(tmp_path / "two.sqlite"), checks=False)
    counted = scan([review_set], workers=2, index=Index(tmp_path / "two.sqlite"))
    inline = scan([review_set], workers=1, index=Index(tmp_path / "inline.sqlite"))
    assert not figures.checked and one.checked and counted.checked
    assert any(r["kind"] == "package" for r in one.reports)
    assert one.reports == counted.reports == inline.reports
    assert one.refused == counted.refused == inline.refused
    assert [{**f, "problems": None} for r in one.reports for f in r["forms"]] == [
        f for r in figures.reports for f in r["forms"]
    ]


def test_a_worker_hands_back_its_summaries_then_leaves_with_success(review_set: Path) -> None:
    """A worker process leaves at once after its last task (no tear-down of its caches): what it
    summarised arrives whole, as this process summarises it, and it ends with exit code 0."""
    import marshal
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from core.review.scan import _summarise_chunk, _worker_start, file_hash, summarise_file

    files = [str(review_set / "dept1.zpdb"), str(review_set / "益阳.zip")]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_worker_start) as pool:
        handed = pool.submit(_summarise_chunk, files, True).result()
        workers = list(pool._processes.values())  # noqa: SLF001 - to read their exit codes
    summaries = [marshal.loads(s) for _p, _h, s in handed]  # as the index keeps them
    assert summaries == [summarise_file(f) for f in files]
    assert all("reason" not in s for s in summaries)
    assert [h for _p, h, _s in handed] == [file_hash(f) for f in files]
    assert [w.exitcode for w in workers] == [0]


def test_the_workers_are_handed_smaller_chunks_towards_the_end() -> None:
    from core.review.scan import CHUNK, chunked

    files = [f"dept{i}.zpdb" for i in range(200)]
    chunks = chunked(files, 2)
    assert [f for chunk in chunks for f in chunk] == files  # each file once, in order
    sizes = [len(c) for c in chunks]
    assert sizes[0] == CHUNK and sizes == sorted(sizes, reverse=True)
    assert sizes[-4:] == [1, 1, 1, 1]  # the last files one at a time: neither worker waits long
    assert chunked(files[:3], 2) == [[f] for f in files[:3]] and chunked([], 2) == []


def test_filters_sort_and_search(review_set: Path, tmp_path: Path) -> None:
    table = rows(scan([review_set], index=Index(tmp_path / "i.sqlite")))
    assert all(r["grade"] == "优" for r in select(table, grade="优"))
    assert all(r["error"] for r in select(table, errors_only=True))
    only = select(table, department="基准部门0001")
    assert only and {r["department"] for r in only} == {"基准部门0001"}
    found = select(table, text="党建工作经费")
    assert found and all("党建工作经费" in r["name"] for r in found)
    ordered = select(table, sort="total", descending=True)
    totals = [float(r["total"]) for r in ordered if r["total"]]
    assert totals == sorted(totals, reverse=True)


def test_review_cli_json_and_xlsx(review_set: Path, tmp_path: Path) -> None:
    out = run("review", str(review_set), "--xlsx", str(tmp_path / "汇总.xlsx"), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"reports", "refused"}
    rep = data["reports"][0]
    assert set(rep) == {"file", "department", "year", "template", "forms", "problems"}
    assert set(rep["problems"]) == {"error", "warning", "info"}
    assert {"name", "total", "grade", "warning", "execution_rate"} <= set(rep["forms"][0])
    assert len(data["refused"]) == 5
    wb = load_workbook(tmp_path / "汇总.xlsx")
    ws = wb["审核清单"]
    assert [c.value for c in ws[1]] == [title for _k, title in COLUMNS]
    assert ws.max_row == 1 + sum(len(r["forms"]) for r in data["reports"])
    assert wb["未列入"].max_row == 6


def test_a_report_with_a_finished_journal_beside_it_is_read_and_left_as_it_was(tmp_path: Path) -> None:
    from core.review.readonly import load_readonly

    path = tmp_path / "j.zpdb"
    write_fast(build_report(5, projects=1, per=3), path)
    journal = tmp_path / "j.zpdb-journal"
    journal.write_bytes(b"")  # an empty journal is not hot: nothing to roll back
    before = (path.read_bytes(), journal.read_bytes())
    assert load_readonly(path).department == "基准部门0005"
    assert (path.read_bytes(), journal.read_bytes()) == before


def _figures_both_ways(path: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The list's figures (lean read, quick totals) and the reference: the whole report read by the
    storage layer, every form scored with its reasons (score_report)."""
    from core.review.figures import form_figures, quick_summary, report_summary
    from core.review.readonly import connect_readonly, load_connection
    from core.scoring import score_report
    from core.templates import get_template

    conn = connect_readonly(path)
    try:
        quick = quick_summary(load_connection(conn, path.name, figures_only=True))
        report = load_connection(conn, path.name)
    finally:
        conn.close()
    template = get_template(report.template)
    full = form_figures(report, template, score_report(report, template))
    checked = report_summary(report, template)["forms"]
    assert quick["problems"] is None and all(f["problems"] is None for f in quick["forms"])
    strip = [{k: v for k, v in f.items() if k != "problems"} for f in full]
    assert [{k: v for k, v in f.items() if k != "problems"} for f in checked] == strip
    return [{k: v for k, v in f.items() if k != "problems"} for f in quick["forms"]], strip


@pytest.mark.parametrize("seed", ["seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"])
def test_figures_pass_gives_the_full_figures_on_every_seed(seed: str, tmp_path: Path) -> None:
    from core.interchange import read_json_file
    from core.report import Document

    path = tmp_path / f"{seed}.zpdb"
    Document.create(path, read_json_file(ROOT / f"tests/fixtures/{seed}.json")).close()
    quick, full = _figures_both_ways(path)
    assert quick == full and any(f["total"] for f in full)


def test_figures_pass_gives_the_full_figures_on_generated_reports(tmp_path: Path) -> None:
    grades: set[object] = set()
    for n in range(8):
        report = build_report(n, projects=6, per=25)
        if n % 2:  # scores left blank (the suggested score counts), a not-applicable and a deduction
            for form in report.projects:
                for i, ind in enumerate(form.indicators):
                    ind.score = ""
                    ind.not_applicable = i == 3
                    ind.deduction = "1" if i == 5 else ""
        path = tmp_path / f"g{n}.zpdb"
        write_fast(report, path)
        quick, full = _figures_both_ways(path)
        assert quick == full
        grades |= {f["grade"] for f in full} | {f["warning"] for f in full}
    assert {"优", "良", "red"} <= grades  # the set is varied, not one grade


def test_damaged_files_read_by_workers_are_refused_with_their_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that breaks its reader in a worker process becomes a refused row with the reason (as
    when read in this process); the scan goes on and lists the rest."""
    import random

    import core.review.scan as scan_module

    folder = tmp_path / "set"
    folder.mkdir()
    for n in range(3):
        write_fast(build_report(n, projects=2, per=4), folder / f"dept{n}.zpdb")
    good = (folder / "dept0.zpdb").read_bytes()
    (folder / "truncated.zpdb").write_bytes(good[: len(good) // 3])
    (folder / "garbage.zpdb").write_bytes(b"SQLite format 3\0" + random.Random(1).randbytes(4000))
    (folder / "empty.zpdb").write_bytes(b"")
    flipped = bytearray(good)
    for i in random.Random(2).sample(range(200, len(good)), 60):
        flipped[i] ^= 0x5A
    (folder / "flipped.zpdb").write_bytes(bytes(flipped))
    (folder / "notazip.zip").write_bytes(random.Random(3).randbytes(3000))
    conn = sqlite3.connect(folder / "foreign.zpdb")  # SQLite, but no ZiPing report
    conn.execute("CREATE TABLE x (a)")
    conn.close()
    damaged = {"truncated.zpdb", "garbage.zpdb", "empty.zpdb", "flipped.zpdb", "notazip.zip", "foreign.zpdb"}
    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(scan_module, "CHUNK", 1)
    pooled = scan([folder], workers=2, index=Index(tmp_path / "a.sqlite"))
    inline = scan([folder], workers=1, index=Index(tmp_path / "b.sqlite"))
    assert not pooled.cancelled and pooled.read == len(damaged) + 3
    assert [Path(r["file"]).name for r in pooled.reports] == ["dept0.zpdb", "dept1.zpdb", "dept2.zpdb"]
    reasons = {Path(r["file"]).name: r["reason"] for r in pooled.refused}
    assert damaged <= set(reasons) and all(reasons[name] for name in damaged)
    assert pooled.reports == inline.reports and pooled.refused == inline.refused


def test_an_unexpected_error_reading_a_file_refuses_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a reader raises for one file (here an error no reader expects) refuses that file with
    the reason; the scan lists the others."""
    import core.review.figures as figures

    folder = tmp_path / "set"
    folder.mkdir()
    for n in range(2):
        write_fast(build_report(n, projects=2, per=4), folder / f"dept{n}.zpdb")
    real = figures.report_summary

    def flaky(report: object, *args: object, **kwargs: object) -> dict[str, object]:
        if getattr(report, "department", "").endswith("0001"):
            raise AttributeError("意外的错误")
        return real(report, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(figures, "report_summary", flaky)
    result = scan([folder], workers=1, index=Index(tmp_path / "i.sqlite"))
    assert [Path(r["file"]).name for r in result.reports] == ["dept0.zpdb"]
    assert [Path(r["file"]).name for r in result.refused] == ["dept1.zpdb"]
    assert "意外的错误" in result.refused[0]["reason"]


@pytest.mark.parametrize("seed", ["seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"])
def test_a_report_of_each_region_is_listed_by_its_own_template_in_one_pass(seed: str, tmp_path: Path) -> None:
    """The one pass with counts (a .zpdb read by the scan: the template the reader resolved is handed
    on to the figures and counts, not looked up again) gives the figures of ``score_report`` and the
    counts of ``check_report`` with the report's own region's template."""
    from collections import Counter

    from core.interchange import read_json_file
    from core.report import Document
    from core.review.figures import form_figures
    from core.review.readonly import load_readonly
    from core.rules import check_report
    from core.scoring import score_report
    from core.templates import get_template

    folder = tmp_path / "set"
    folder.mkdir()
    path = folder / f"{seed}.zpdb"
    Document.create(path, read_json_file(ROOT / f"tests/fixtures/{seed}.json")).close()
    listed = scan([folder], index=Index(tmp_path / "i.sqlite"), workers=1)
    assert not listed.refused and len(listed.reports) == 1
    report = load_readonly(path)
    template = get_template(report.template)
    assert template.id != "mof"
    problems = check_report(report, template)
    full = form_figures(report, template, score_report(report, template), problems)
    assert listed.reports[0]["forms"] == full
    severities = Counter(p.severity for p in problems)
    assert listed.reports[0]["problems"] == {s: severities.get(s, 0) for s in ("error", "warning", "info")}


def test_a_report_named_through_a_link_and_dotdot_is_the_file_the_system_opens(tmp_path: Path) -> None:
    """``link/../x.zpdb`` where ``link`` points into another folder names the x.zpdb beside what the
    link points at (as the system opens it), not the one the path's text would give if its ``..``
    were taken away by text: the scan lists that report."""
    from core.review.scan import summarise_file

    (tmp_path / "real" / "deep").mkdir(parents=True)
    write_fast(build_report(1, projects=1, per=2), tmp_path / "real" / "x.zpdb")  # what the system opens
    write_fast(build_report(2, projects=1, per=2), tmp_path / "x.zpdb")  # what the text would give
    try:
        (tmp_path / "link").symlink_to(tmp_path / "real" / "deep", target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links here")
    named = tmp_path / "link" / ".." / "x.zpdb"
    with open(named, "rb") as fh, open(tmp_path / "real" / "x.zpdb", "rb") as real:
        assert fh.read() == real.read()
    assert summarise_file(str(named))["department"] == "基准部门0001"
    relative = os.path.join(os.path.relpath(tmp_path / "link"), "..", "x.zpdb")  # from the working folder
    assert summarise_file(relative)["department"] == "基准部门0001"


HOLD = """
import sys
from pathlib import Path
from core.report import Document
doc = Document.open(Path(sys.argv[1]))
form = doc.report.forms[1]
doc.set_cell(form.uid, "funds", 0, "executed", "12.5")
print("held", flush=True)
sys.stdin.read()
"""


def test_a_report_still_open_in_ziping_is_listed_with_what_it_holds(tmp_path: Path) -> None:
    """A department's ZiPing has the report open on the shared folder and has just saved an edit: it
    holds the file locked and keeps its finished journal beside it (header zeroed). The bureau reads the
    file as it is (every committed edit is in it) — not refused as "正由另一窗口打开"."""
    from core.review.readonly import load_readonly
    from core.review.reviewfile import ReviewFile

    folder = tmp_path / "报送"
    folder.mkdir()
    path = folder / "开着的报告.zpdb"
    write_fast(build_report(3, projects=2, per=3), path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        journal = folder / "开着的报告.zpdb-journal"
        assert journal.exists() and not journal.read_bytes()[:8].strip(b"\0")  # finished, not hot
        before = path.read_bytes()
        result = scan([folder], index=Index(tmp_path / "index.sqlite"))
        assert result.refused == []
        assert [r["department"] for r in result.reports] == ["基准部门0003"]
        assert result.reports[0]["forms"][1]["executed"] == "12.5"  # the edit just saved
        assert load_readonly(path).forms[1].funds[0].executed == "12.5"  # 查看报告
        shown = rows(result)  # the list says the department still has it open (reviewer's R10)
        assert {r["status"] for r in shown} == {"未封包（仍在编辑）"}
        assert all("仍打开着" in r["status_why"] for r in shown)
        review = ReviewFile.create(path, tmp_path / "复核.zpdb")  # 复核
        review.close()
        assert path.read_bytes() == before
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    closed = rows(scan([folder], index=Index(tmp_path / "index.sqlite")))  # closed there: no note
    assert {(r["status"], r["status_why"]) for r in closed} == {("未封包", "")}


def test_a_report_with_edits_left_in_a_wal_beside_it_is_refused_not_listed_stale(tmp_path: Path) -> None:
    """A copy taken while another program (a database browser) had the report open in WAL mode: its
    last edit lives in the -wal beside it, which SQLite reads as part of the file and the review's
    immutable read leaves out. Listing the file would show what it held before that edit: it is
    refused with its reason instead; once the -wal is merged into the file the report lists."""
    folder = tmp_path / "报送"
    folder.mkdir()
    work = tmp_path / "work.zpdb"
    write_fast(build_report(4, projects=2, per=3), work)
    conn = sqlite3.connect(work)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE fund_rows SET executed = '1' WHERE rowid = (SELECT min(rowid) FROM fund_rows)")
    conn.commit()
    path = folder / "带wal的报告.zpdb"
    shutil.copyfile(work, path)  # the file and its -wal as copied to the shared folder
    shutil.copyfile(tmp_path / "work.zpdb-wal", folder / "带wal的报告.zpdb-wal")
    conn.close()
    before = path.read_bytes()
    result = scan([folder], index=Index(tmp_path / "index.sqlite"))
    assert result.reports == []
    assert [r["file"] for r in result.refused] == [str(path)]  # the -wal is named in the reason, not listed
    assert "带wal的报告.zpdb-wal" in result.refused[0]["reason"]
    assert path.read_bytes() == before
    merged = sqlite3.connect(path)  # what the department's own program does on closing: checkpoint
    merged.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    merged.close()
    (folder / "带wal的报告.zpdb-wal").unlink(missing_ok=True)
    again = scan([folder], index=Index(tmp_path / "index.sqlite"))
    assert again.refused == []
    assert again.reports[0]["forms"][0]["executed"] == "1"


def test_the_list_workbook_prints_as_a_list(tmp_path: Path) -> None:
    """汇总.xlsx printed: A4 landscape, all 17 columns on one page's width, the header on every page,
    the grid drawn, amounts and scores to two places (2000.00, not 2000) — it printed as hundreds of
    portrait pages of three columns each, the figures on pages of their own."""
    from core.review.listing import write_list_xlsx

    folder = tmp_path / "set"
    folder.mkdir()
    for n in range(3):
        write_fast(build_report(n, projects=30, per=4), folder / f"d{n}.zpdb")
    (folder / "空文件.zpdb").write_bytes(b"")
    result = scan([folder], index=Index(tmp_path / "index.sqlite"))
    write_list_xlsx(result, tmp_path / "汇总.xlsx")
    wb = load_workbook(tmp_path / "汇总.xlsx")
    for ws in (wb["审核清单"], wb["未列入"]):
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)  # absent: 1 (OOXML)
        assert ws.print_title_rows == "$1:$1" and ws.print_options.gridLines
        assert ws.print_area == f"'{ws.title}'!$A$1:${chr(64 + ws.max_column)}${ws.max_row}"
    ws = wb["审核清单"]
    titles = [c.value for c in ws[1]]
    for title in ("年初预算数", "当年预算数", "全年执行数", "项目总金额", "得分"):
        cells = [row[titles.index(title)] for row in ws.iter_rows(min_row=2)]
        assert all(c.number_format == "0.00" for c in cells), title
        assert all(isinstance(c.value, (int, float)) for c in cells if c.value not in (None, ""))
    rates = [row[titles.index("预算执行率")] for row in ws.iter_rows(min_row=2)]
    shown = [r["execution_rate"] for r in rows(result)]
    assert len(rates) == len(shown) and any(s.endswith("%") for s in shown)
    for cell, text in zip(rates, shown, strict=True):  # a number shown as the list shows it, or "—"
        if text.endswith("%"):
            assert cell.number_format == "0.00%" and f"{cell.value * 100:.2f}%" == text
        else:
            assert cell.value == text


def test_a_corrected_report_sent_again_is_listed_instead_of_the_first(tmp_path: Path) -> None:
    """A department corrects its report after the bureau returned it and sends it again beside the
    first: the list shows the corrected one (received last), the first is named as its duplicate — the
    first received was kept and the correction refused. A sealed package still goes before a bare .zpdb."""
    folder = tmp_path / "报送"
    folder.mkdir()
    first, again = folder / "教育局.zpdb", folder / "教育局（修改后）.zpdb"
    report = build_report(2, projects=2, per=3)
    write_fast(report, first)
    report.forms[1].funds[0].executed = "1"
    write_fast(report, again)
    os.utime(first, (1_716_000_000, 1_716_000_000))  # 2024-05-18
    os.utime(again, (1_717_000_000, 1_717_000_000))  # 2024-05-29
    result = scan([folder], index=Index(tmp_path / "index.sqlite"))
    assert [r["file"] for r in result.reports] == [str(again)]
    assert result.reports[0]["forms"][1]["executed"] == "1"
    from datetime import datetime

    late, early = (
        datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M") for t in (1_717_000_000, 1_716_000_000)
    )
    why = (
        "与“教育局（修改后）.zpdb”是同一部门同一年度的报告"
        f"（重复，已列入修改时间较晚的一份：{late}，本文件 {early}），未列入"
    )
    assert result.refused == [{"file": str(first), "reason": why}]
    make_package(first, folder / "教育局报送包.zip")  # the first, sealed: the package is listed
    os.utime(folder / "教育局报送包.zip", (1_715_000_000, 1_715_000_000))
    result = scan([folder], index=Index(tmp_path / "index.sqlite"))
    assert [Path(r["file"]).name for r in result.reports] == ["教育局报送包.zip"]
    assert {Path(r["file"]).name for r in result.refused} == {"教育局.zpdb", "教育局（修改后）.zpdb"}
    assert all("已列入报送包" in r["reason"] for r in result.refused)


@pytest.mark.parametrize("stop_at", ["正在查找文件", "正在查找读过的文件"])
def test_a_scan_shows_progress_and_stops_before_reading_while_it_finds_and_hashes_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop_at: str
) -> None:
    """Before any report is read, a scan walks the folders and hashes every file new to the index (to
    find a copy read before): on a network share the first long wait, which showed no progress and
    could not be stopped (the window's progress dialog sat blank). Both now report and stop."""
    import core.review.scan as scan_module

    monkeypatch.setattr(scan_module, "HASH_TICK", 0, raising=False)
    old, new = tmp_path / "去年", tmp_path / "今年"
    for folder, base in ((old, 0), (new, 10)):
        for n in range(3):
            (folder / f"乡镇{n}").mkdir(parents=True)
            write_fast(build_report(base + n, projects=1, per=2), folder / f"乡镇{n}" / "r.zpdb")
    index = Index(tmp_path / "index.sqlite")
    scan([old], index=index)  # the index knows last season's files: this season's are hashed
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, label: str) -> bool:
        seen.append((done, total, label))
        return not label.startswith(stop_at)

    result = scan([new], progress=progress, index=index)
    assert result.cancelled and result.read == 0 and result.reports == []
    assert seen[-1][2].startswith(stop_at)
    if stop_at == "正在查找文件":
        assert seen == [(0, 0, "正在查找文件，已找到 0 个")]  # the top folder: its own files (none)
    else:
        assert seen[:4] == [(n, 0, f"正在查找文件，已找到 {n} 个") for n in range(4)]  # folder by folder
        assert seen[4] == (0, 3, "正在查找读过的文件 0/3")
    again = scan([new], progress=lambda *_a: True, index=index)  # not stopped: every report listed
    assert not again.cancelled and len(again.reports) == 3


def test_damaged_reports_are_refused_in_chinese_not_sqlites_english(tmp_path: Path) -> None:
    """A report cut short, one with its pages overwritten, one with its first page zeroed past the
    header: each refused with a reason a reviewer can read — it was SQLite's own
    “database disk image is malformed” or “file is not a database”."""
    import re

    folder = tmp_path / "报送"
    folder.mkdir()
    good = tmp_path / "good.zpdb"
    write_fast(build_report(7, projects=3, per=4), good)
    data = good.read_bytes()
    (folder / "截断.zpdb").write_bytes(data[: len(data) // 2])
    garbage = bytearray(data)
    garbage[4096:] = (bytes(range(256)) * (len(data) // 256 + 1))[: len(data) - 4096]
    (folder / "后面都坏了.zpdb").write_bytes(bytes(garbage))
    zeroed = bytearray(data)
    zeroed[100:4096] = bytes(4096 - 100)
    (folder / "首页清零.zpdb").write_bytes(bytes(zeroed))
    result = scan([folder], index=Index(tmp_path / "index.sqlite"))
    assert result.reports == [] and len(result.refused) == 3
    for item in result.refused:
        words = re.findall(r"[A-Za-z]{3,}", item["reason"].replace(Path(item["file"]).name, ""))
        assert set(words) <= {"ZiPing"}, item
        assert "已损坏" in item["reason"] or "无法读取" in item["reason"]


def test_the_list_workbook_is_written_without_asking_the_sheet_its_size_a_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl works out ``max_row`` over every cell of the sheet each time it is asked: asked once a
    row, writing the 汇总表 of 1,000 reports (31,000 rows) took 887 s. It is asked a fixed number of
    times, whatever the number of rows."""
    from openpyxl.worksheet.worksheet import Worksheet

    from core.review.listing import write_list_xlsx

    folder = tmp_path / "set"
    folder.mkdir()
    for n in range(3):
        write_fast(build_report(n, projects=40, per=2), folder / f"d{n}.zpdb")
    result = scan([folder], index=Index(tmp_path / "index.sqlite"))
    asked = []
    size = Worksheet.max_row

    def counted(ws: Worksheet) -> int:
        asked.append(1)
        return int(size.fget(ws))  # type: ignore[attr-defined]

    monkeypatch.setattr(Worksheet, "max_row", property(counted))
    write_list_xlsx(result, tmp_path / "汇总.xlsx")
    assert sum(len(r["forms"]) for r in result.reports) == 123
    assert len(asked) < 20


def test_the_list_workbook_holds_amounts_rounded_half_up_to_the_cent(tmp_path: Path) -> None:
    """An amount typed with three places (2.675) is held as the 2.68 the forms print (四舍五入): written as
    the double 2.675 (2.67499…), Excel's 0.00 could show 2.67, and a sum of the column differs."""
    from core.review.listing import write_list_xlsx

    folder = tmp_path / "set"
    folder.mkdir()
    write_fast(build_report(0, projects=1, per=1), folder / "d0.zpdb")
    result = scan([folder], index=Index(tmp_path / "index.sqlite"))
    result.reports[0]["forms"][0]["budget"] = "2.675"
    write_list_xlsx(result, tmp_path / "汇总.xlsx")
    ws = load_workbook(tmp_path / "汇总.xlsx")["审核清单"]
    titles = [c.value for c in ws[1]]
    cells = [row[titles.index(title)] for row in ws.iter_rows(min_row=2, max_row=2) for title in titles]
    assert 2.68 in [c.value for c in cells] and 2.675 not in [c.value for c in cells]
