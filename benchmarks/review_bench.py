"""Measure the review list on a generated set: ~1,000 reports × 30 projects × 25 indicators.

Run: python benchmarks/review_bench.py [--reports 1000] [--dir FOLDER] [--workers 2] [--rounds 3]
[--storage-version 3] [--varied] [--calls 20] (under ``flock /work/wt/bench.lock`` on a shared
machine; ``--calls N``: Python calls and SQL statements a report, which load does not move).
Generates the set once into FOLDER (kept for later runs; typed scores, some inflated, missed targets
without 偏差原因: problems to count; ``--storage-version``: files as an older format wrote them,
read without migrating), then each measurement in a fresh subprocess, alternating per round:
- a baseline that only walks the folder and stats every file;
- the first scan of the list with its problem counts in one pass (empty index; what the command
  line and the issue's "reading and listing ... ≤ 10 s" measure: the list the issue asks for has
  the counts);
- the first scan's list without counts (figures pass, empty index: what the window shows first)
  and its problem counts after it (check pass on that index: the window's background pass);
- re-scans of the unchanged set (index hit), figures only and with counts, repeated;
printing wall and CPU time (of the scan alone: this process and its workers, resource.getrusage
before and after) as median and worst, peak RSS of the scanning process and of its largest worker,
the load average around the runs, the command line's re-scan (``python -m core review FOLDER --json``,
a whole process), a re-scan after one file was touched, and the list against ``score --json`` and
``check --json`` of random reports.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

if TYPE_CHECKING:
    from core.model import Indicator, Report

GRADES_SPREAD = (0, 0, 1, 3, 4, 6, 9, 14)  # how many indicators miss their target: grades spread 优…差
UNITS = ("人次", "个", "户", "天", "项", "次", "场", "篇", "万元", "%")
TOPICS = ("培训", "走访", "宣传", "检查", "维修", "补贴", "服务", "采购", "巡查", "资助", "验收", "监测")
PHRASES = ("按计划完成", "较上年有所增加", "已全部验收", "群众反映良好", "部分工作顺延", "已形成台账")
NOTES = (
    "资金到位较晚，部分工作顺延",
    "受天气影响工期推迟，下一步将加强调度",
    "实际需求少于预期，今后将完善测算",
    "政策调整，部分任务取消",
)


def varied_indicator(rng: random.Random, level: int) -> Indicator:
    """One indicator row as departments write them, rarely the same twice: its own name, numbers
    from a wide range, most rows with their own 完成情况简要描述 (what a real set looks like, unlike
    ``check_bench.indicator``'s few target/actual pairs)."""
    from check_bench import LEVELS

    from core.model import Indicator

    level1, level2 = LEVELS[level % len(LEVELS)]
    if rng.random() < 0.03:
        level2 = level2.replace("指标", "")  # not the standard name: S09
    name = f"{rng.choice(TOPICS)}{rng.choice(('次数', '人数', '覆盖率', '完成率', '合格率', '及时率'))}"
    name += f"{rng.randint(1, 9999)}"
    kind = rng.random()
    if kind < 0.45:
        unit = rng.choice(UNITS)
        n = rng.choice((rng.randint(1, 99_999), round(rng.uniform(1, 999), 1)))
        op = rng.choice(("≥", "≥", "≤", "=", ""))  # "": no direction written (S03)
        got = n * rng.choice((1, 1, 1.02, 0.98, 1.3, 0.7)) if unit != "%" else min(100, n)
        target, actual = f"{op}{n}{unit}", f"{round(got, 1)}{unit}"
    elif kind < 0.7:
        x = round(rng.uniform(60, 100), rng.choice((0, 1)))
        target, actual = f"≥{x}%", f"{round(min(100, x + rng.uniform(-8, 5)), 1)}%"
    elif kind < 0.8:
        month = rng.randint(3, 12)
        target, actual = f"2023年{month}月底前", f"2023年{min(12, month + rng.choice((0, 0, 1)))}月"
    else:
        target = rng.choice(("有效保障", "明显提升", "群众满意", "规范运行", "逐步改善"))
        actual = rng.choice(("达成", "达成", "部分达成", target, f"{target}，效果较好"))
    brief = (
        f"{name}{rng.choice(PHRASES)}，{actual}，编号{rng.randint(1, 99_999)}" if rng.random() < 0.7 else ""
    )
    return Indicator(level1, level2, name, target, actual, "4", "", "", brief=brief)


def build_report(n: int, projects: int = 30, per: int = 25, seed: int = 7, varied: bool = False) -> Report:
    """One department's report, distinct per ``n``: figures and misses vary so grades spread; scores
    are typed (a few inflated), some missed targets lack their 偏差原因: the list has problems to count.
    ``varied``: rows rarely alike (``varied_indicator``; notes of their own)."""
    from check_bench import indicator

    from core.model import FundRow
    from core.numbers import fmt
    from core.report import new_report
    from core.scoring import evaluate_row
    from core.templates import get_template

    rng = random.Random(seed * 100_003 + n)
    names = [f"项目{n:04d}-{p:02d}" for p in range(projects)]
    report = new_report("mof", 2023, f"基准部门{n:04d}", names)
    template = get_template(report.template)
    for form in report.forms:
        total = rng.randint(10, 500)
        spent = total - rng.choice((0, 0, 1, 5, 20, total // 3, total // 2))
        form.funds[0] = FundRow(form.funds[0].key, str(total), str(total), str(spent))
        if form.kind == "project":
            form.indicators = [
                varied_indicator(rng, i) if varied else indicator(rng, n + p, i)
                for p, i in ((rng.randint(0, 9), i) for i in range(per))
            ]
            for ind in form.indicators:
                ind.weight = str(Decimal(90) / per)
            for ind in rng.sample(form.indicators, min(per, rng.choice(GRADES_SPREAD))):
                ind.actual = "0"
                if rng.random() < 0.5:
                    ind.deviation_note = (
                        f"{rng.choice(NOTES)}（{rng.randint(1, 999)}）"
                        if varied
                        else "资金未及时到位，部分工作顺延至下年度"
                    )
            for ind in form.indicators:  # scores typed as a department does: mostly as the rules give
                suggested = evaluate_row(ind, template)[0]
                inflated = rng.random() < 0.05  # "严禁刻意抬高分数": some typed above what the figures give
                ind.score = ind.weight if inflated or suggested is None else fmt(suggested)
    return report


def write_fast(report: Report, path: Path) -> None:
    """Write a report file without per-edit fsync (generation only; the app writes safely)."""
    from core.report import fill_fund_rows
    from core.storage import repository as repo
    from core.storage.db import APPLICATION_ID
    from core.storage.migrations import MIGRATIONS
    from core.templates import get_template

    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db)
    db.execute(f"PRAGMA user_version={len(MIGRATIONS.applied(db))}")
    fill_fund_rows(report, get_template(report.template))
    repo.write_report(db, report)
    conn.close()


def as_older(path: Path, version: int) -> None:
    """Make ``path`` what an older version (2, 3 or 4) wrote: without the columns and tables the later
    migrations added (m005: the review_flags table; m004: a form's code and office; m003: five
    indicator columns and a score item's note)."""
    from core.storage.migrations import NAME, STEP_NAMES

    dropped: dict[str, tuple[str, ...]] = {"forms": ("code", "office")} if version < 4 else {}
    if version < 3:
        dropped["indicators"] = ("deduction", "brief", "unit", "review_score", "review_note", "breakdown")
        dropped["score_items"] = ("review_note",)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for table, names in dropped.items():
            for name in names:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {name}")
        if version < 5:
            conn.execute("DROP TABLE IF EXISTS review_flags")
        for step in STEP_NAMES[version:]:
            conn.execute("DELETE FROM _sqlite_migrations WHERE migration_set = ? AND name = ?", [NAME, step])
        conn.execute(f"PRAGMA user_version={version}")
    finally:
        conn.close()


def generate(
    folder: Path,
    reports: int,
    projects: int = 30,
    per: int = 25,
    version: int | None = None,
    varied: bool = False,
) -> list[Path]:
    """Write the set into ``folder`` (files already there are kept); ``version``: as an older version
    of the storage format wrote them (``as_older``); ``varied``: rows rarely alike (``build_report``)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(reports):
        path = folder / f"dept{n:04d}.zpdb"
        if not path.exists():
            write_fast(build_report(n, projects, per, varied=varied), path)
            if version is not None:
                as_older(path, version)
        paths.append(path)
    return paths


def _rusage() -> tuple[float, float, float]:
    """CPU seconds of this process and of its waited-for children, and the largest child's peak RSS."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime, kids.ru_maxrss / 1024


def one_run(what: str, folder: Path, index_path: Path, workers: int) -> dict[str, float]:
    """One measured scan in this process (the parent runs it in a fresh subprocess): wall and CPU
    seconds of the scan alone (this process and its workers), files read, peak RSS of this process
    and of its largest worker."""
    from core.review.scan import Index, scan, walk

    own0, kids0, _ = _rusage()
    t0 = time.perf_counter()
    read = 0
    if what == "baseline":  # what any scan must do: walk the folder and stat every file
        files, _refused = walk([folder])
        for f in files:
            f.stat()
        listed = len(files)
    else:
        idx = Index(index_path)
        result = scan([folder], workers=workers, index=idx, checks=what == "checks")
        idx.close()
        read, listed = result.read, len(result.reports)
    seconds = time.perf_counter() - t0
    own1, kids1, worker_rss = _rusage()
    return {
        "seconds": seconds,
        "cpu": own1 - own0 + kids1 - kids0,
        "cpu_main": own1 - own0,  # the scanning process: walk, index, handing out and storing
        "cpu_workers": kids1 - kids0,  # its worker processes together (0 when read in-process)
        "read": read,
        "listed": listed,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss": worker_rss,
    }


def measure(what: str, folder: Path, index_path: Path, workers: int) -> dict[str, float]:
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--one", what, "--dir", str(folder), "--index", str(index_path)]
        + ["--workers", str(workers)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def cli_rescan(folder: Path, data_dir: Path) -> dict[str, float]:
    """``python -m core review FOLDER --json`` as a user runs it, on an index already made: the whole
    process (start, imports, scan, JSON out), wall and CPU (resource.getrusage of the child)."""
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "core", "review", str(folder), "--json"],
        stdout=subprocess.DEVNULL,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "ZIPING_DATA_DIR": str(data_dir)},
    )
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {"seconds": seconds, "cpu": cpu, "rss": after.ru_maxrss / 1024}


WINDOW = """
import json, resource, sys, time
sys.path.insert(0, {root!r})

def main():  # imports here, as main.py's: the spawned workers import this module and not Qt
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from gui.app import setup_app
    from gui.review.window import ReviewWindow

    app = QApplication([])
    setup_app(app)
    t0 = time.perf_counter()
    window = ReviewWindow([Path({folder!r})])
    window.show()
    app.processEvents()
    listed = time.perf_counter() - t0
    while window.checker is not None:
        app.processEvents()
        time.sleep(0.02)
    window.grab()
    # No workers' peak here: RUSAGE_CHILDREN counts a worker from its fork, a copy of this ~200 MB
    # process until its exec, not the worker's own size (ps shows them as the command line's).
    print(json.dumps({{"list": listed, "checked": time.perf_counter() - t0, "rows": len(window.table_rows),
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))

if __name__ == "__main__":
    main()
"""


def window_run(folder: Path, data_dir: Path) -> dict[str, float]:
    """The review window over ``folder`` in a fresh process (offscreen), empty index: seconds to the
    list shown and to the counts filled in, its rows, peak RSS of the window's process."""
    import json
    import subprocess

    code = WINDOW.format(root=str(Path(__file__).resolve().parent.parent), folder=str(folder))
    script = data_dir / "window_run.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "ZIPING_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True, env=env)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def sizes(folder: Path, counts: list[int], workers: int, rounds: int) -> None:
    """Peak RSS and time of a first scan at each of ``counts`` reports (the first N files of the set,
    hard-linked into a folder of their own): the command line's list with counts, and the window (list,
    then its background check) — memory must not grow with the number of reports beyond the list."""
    import shutil

    files = sorted(folder.glob("*.zpdb"))
    tmp = Path(tempfile.mkdtemp())
    for n in counts:
        sub = tmp / f"set{n}"
        sub.mkdir()
        for f in files[:n]:
            os.link(f, sub / f.name)
        runs, shown = [], []
        for r in range(rounds):
            runs.append(measure("checks", sub, tmp / f"i{n}-{r}.sqlite", workers))
            data = tmp / f"data{n}-{r}"
            data.mkdir()
            shown.append(window_run(sub, data))
        print(
            f"{n:5d} reports ({runs[0]['listed']:.0f} listed): command line list with counts "
            f"wall median {statistics.median(r['seconds'] for r in runs):.1f} s; "
            f"peak RSS scanning process {max(r['rss'] for r in runs):.0f} MB, "
            f"largest worker {max(r['worker_rss'] for r in runs):.0f} MB | window: list shown "
            f"{statistics.median(w['list'] for w in shown):.1f} s, counts in "
            f"{statistics.median(w['checked'] for w in shown):.1f} s, {shown[0]['rows']:.0f} rows, "
            f"peak RSS window {max(w['rss'] for w in shown):.0f} MB",
            flush=True,
        )
        shutil.rmtree(sub)


def figures(runs: list[dict[str, float]]) -> str:
    wall = [r["seconds"] for r in runs]
    cpu = [r["cpu"] for r in runs]
    return (
        f"wall median {statistics.median(wall):.2f} s, worst {max(wall):.2f} s; "
        f"CPU (scan and its workers) median {statistics.median(cpu):.2f} s, worst {max(cpu):.2f} s"
    )


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def compare(reports: list[dict[str, object]], n: int) -> None:
    """Compare the list's figures and counts of ``n`` random reports with ``python -m core score
    --json`` and ``check --json`` (each a process of its own, as a department runs them)."""
    import json
    import subprocess

    keys = ("name", "kind", "execution_rate", "execution_score", "total", "grade", "warning", "warning_why")
    picked = random.Random(1).sample(reports, min(n, len(reports)))
    same = 0
    for rep in picked:

        def run(command: str, file: object = rep["file"]) -> dict[str, list[dict[str, object]]]:
            out = subprocess.run(
                [sys.executable, "-m", "core", command, str(file), "--json"],
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parent.parent,
            )
            return dict(json.loads(out.stdout))

        theirs = [{k: f.get(k) for k in keys} for f in run("score")["forms"]]
        mine = [{k: f.get(k) for k in keys} for f in rep["forms"]]  # type: ignore[attr-defined]
        problems = run("check")["problems"]
        counts = {s: sum(p["severity"] == s for p in problems) for s in ("error", "warning", "info")}
        same += mine == theirs and rep["problems"] == counts
    print(f"list vs score --json and check --json: {same}/{len(picked)} random reports identical")


def compare_all(reports: list[dict[str, object]]) -> None:
    """Compare every listed report with ``score --json`` and ``check --json`` run in this process
    (core.cli.main, the code ``python -m core`` runs): figures per form, counts per report, per form
    and per rule."""
    import contextlib
    import io
    import json
    from collections import Counter

    from core.cli import main as cli

    def command(*args: str) -> dict[str, list[dict[str, object]]]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            cli(list(args))
        return dict(json.loads(out.getvalue()))

    keys = ("name", "kind", "execution_rate", "execution_score", "total", "grade", "warning", "warning_why")
    severities = ("error", "warning", "info")
    figures_same = counts_same = 0
    t0 = time.perf_counter()
    for rep in reports:
        forms: list[dict[str, object]] = rep["forms"]  # type: ignore[assignment]
        theirs = [{k: f.get(k) for k in keys} for f in command("score", str(rep["file"]), "--json")["forms"]]
        figures_same += [{k: f.get(k) for k in keys} for f in forms] == theirs
        problems = command("check", str(rep["file"]), "--json")["problems"]
        whole = rep["problems"] == {s: sum(p["severity"] == s for p in problems) for s in severities}
        per_form = all(
            f["problems"]
            == {s: sum(p["severity"] == s and p["form"] == f["name"] for p in problems) for s in severities}
            for f in forms
        )
        by_rule = rep["rules"] == dict(Counter(str(p["rule"]) for p in problems))  # the 通报's tally
        counts_same += whole and per_form and by_rule
    took = time.perf_counter() - t0
    print(
        f"all {len(reports)} listed reports vs score --json / check --json (in-process): figures identical "
        f"{figures_same}, counts identical (report, per form and per rule) {counts_same} ({took:.0f} s)"
    )


def calls_per_report(folder: Path, n: int) -> None:
    """Python calls (cProfile's count, builtins included) and SQL statements a report of the first scan's
    one pass (``summarise_file`` with counts) over ``n`` reports after 3 others: figures that do not
    move with the machine's load, to tell a change's effect on a shared machine."""
    import cProfile
    import pstats

    from core.review import readonly
    from core.review.scan import summarise_file

    statements = [0]
    connect = sqlite3.connect

    def counting(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.set_trace_callback(lambda _sql: statements.__setitem__(0, statements[0] + 1))
        return conn

    files = sorted(folder.glob("*.zpdb"))
    for path in files[-3:]:
        summarise_file(str(path), True)
    readonly.sqlite3.connect = counting  # type: ignore[assignment]
    try:
        profile = cProfile.Profile()
        profile.enable()
        for path in files[:n]:
            summarise_file(str(path), True)
        profile.disable()
    finally:
        readonly.sqlite3.connect = connect
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    per = statements[0] / n
    print(f"first scan, one pass: {calls / n:,.0f} Python calls and {per:.1f} SQL statements a report")


def main() -> None:
    import json
    import shutil

    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "ziping-review-bench"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="first scans (fresh index each), alternating; 0: make the set only",
    )
    ap.add_argument("--repeats", type=int, default=5, help="re-scans per round")
    ap.add_argument("--compare", type=int, default=20, help="reports compared with score/check --json")
    ap.add_argument("--compare-all", action="store_true", help="every report, in-process (slow)")
    ap.add_argument(
        "--storage-version", type=int, default=99, help="write the set as this older format wrote it (2, 3)"
    )
    ap.add_argument(
        "--varied", action="store_true", help="rows rarely alike, as real sets are (not check_bench's few)"
    )
    ap.add_argument(
        "--calls",
        type=int,
        default=0,
        help="also count Python calls and SQL statements a report over this many reports (load-independent)",
    )
    ap.add_argument(
        "--sizes",
        help="peak RSS and time of a first scan (command line and window) at these counts, e.g. 100,300,1000",
    )
    ap.add_argument("--one", choices=("baseline", "figures", "checks"), help=argparse.SUPPRESS)
    ap.add_argument("--index", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one_run(args.one, Path(args.dir), Path(args.index), args.workers)))
        return
    from core.storage.migrations import SCHEMA_VERSION

    older = args.storage_version if args.storage_version < SCHEMA_VERSION else None
    name = f"v{SCHEMA_VERSION}-set{args.reports}{'-varied' if args.varied else ''}"  # newer format: fresh set
    folder = Path(args.dir) / (name if older is None else f"v{older}-of-{name}")
    t0 = time.perf_counter()
    generate(folder, args.reports, version=older, varied=args.varied)
    made = time.perf_counter() - t0
    print(
        f"set: {args.reports} reports × 30 projects × 25 indicators in {folder} ({made:.1f} s), "
        f"storage version {older or SCHEMA_VERSION}{', rows rarely alike (--varied)' if args.varied else ''}"
    )
    print(f"load average at start: {load()} (2 cores here)", flush=True)
    if args.calls:
        calls_per_report(folder, args.calls)
    if args.sizes:
        sizes(folder, [int(n) for n in args.sizes.split(",")], args.workers, max(args.rounds, 1))
        return
    if not args.rounds:
        return  # --rounds 0: only make the set
    tmp = Path(tempfile.mkdtemp())
    base, one, first, check, again, again_checked = [], [], [], [], [], []
    loads = []
    for n in range(args.rounds):
        index_path = tmp / f"index{n}.sqlite"
        base.append(measure("baseline", folder, index_path, args.workers))
        one.append(measure("checks", folder, tmp / f"one{n}.sqlite", args.workers))  # list with counts
        loads.append(os.getloadavg()[0])
        first.append(measure("figures", folder, index_path, args.workers))  # the list shows
        loads.append(os.getloadavg()[0])
        check.append(measure("checks", folder, index_path, args.workers))  # counts filled in
        loads.append(os.getloadavg()[0])
        for _ in range(args.repeats):
            again.append(measure("figures", folder, index_path, args.workers))
            again_checked.append(measure("checks", folder, index_path, args.workers))
            assert again[-1]["read"] == 0 and again_checked[-1]["read"] == 0
        print(
            f"round {n + 1}: list with counts {one[-1]['seconds']:.1f} s ({one[-1]['cpu']:.1f} s CPU), "
            f"list {first[-1]['seconds']:.1f} s ({first[-1]['cpu']:.1f} s CPU), "
            f"counts {check[-1]['seconds']:.1f} s ({check[-1]['cpu']:.1f} s CPU), "
            f"re-scan {again[-1]['seconds']:.2f} s; load {load()}",
            flush=True,
        )
    print(f"baseline walk+stat: {figures(base)}")
    per_file = statistics.median(r["cpu"] for r in one) / max(one[0]["read"], 1) * 1000
    print(
        f"first scan, the list with problem counts in one pass (the issue's ≤ 10 s): {figures(one)}; "
        f"{one[0]['read']:.0f} files read, CPU {per_file:.1f} ms a file"
    )
    main_cpu = statistics.median(r["cpu_main"] for r in one)
    workers_cpu = statistics.median(r["cpu_workers"] for r in one)
    print(
        f"  its CPU by process (median): scanning process {main_cpu:.2f} s, its {args.workers} workers "
        f"{workers_cpu:.2f} s together ({workers_cpu / max(one[0]['read'], 1) * 1000:.1f} ms a file)"
    )
    print(
        f"first scan, the list without counts (figures pass): {figures(first)}; {first[0]['read']:.0f} read"
    )
    print(f"first scan, problem counts after it (the window's background check pass): {figures(check)}")
    total = [
        {"seconds": a["seconds"] + b["seconds"], "cpu": a["cpu"] + b["cpu"]}
        for a, b in zip(first, check, strict=True)
    ]
    print(f"first scan, list then counts (two passes, as the window does): {figures(total)}")
    print(f"re-scan unchanged, figures: {figures(again)}")
    print(f"re-scan unchanged, with counts: {figures(again_checked)}")
    peak = max(r["rss"] for r in one + first + check + again + again_checked)
    worker = max(r["worker_rss"] for r in one + first + check)
    print(
        f"peak RSS: scanning process {peak:.0f} MB, largest worker {worker:.0f} MB; "
        f"the scan with its {args.workers} workers at most {peak + args.workers * worker:.0f} MB together"
    )
    data = tmp / "data"
    data.mkdir()
    shutil.copyfile(tmp / "index0.sqlite", data / "review-index.sqlite")
    cli = [cli_rescan(folder, data) for _ in range(args.repeats)]
    print(f"command line re-scan (python -m core review --json, whole process): {figures(cli)}")
    during = " ".join(f"{x:.1f}" for x in loads)
    print(f"load average (1 min) after each first-scan pass (one pass, list, counts): {during}; now {load()}")
    index_path = tmp / "index0.sqlite"
    victim = folder / "dept0000.zpdb"
    os.utime(victim)  # touched: same content, found by its hash
    touched = measure("checks", folder, index_path, args.workers)
    print(f"re-scan after one file touched: {touched['seconds']:.3f} s ({touched['read']:.0f} read)")
    from core.review.scan import Index, scan

    idx = Index(index_path)
    listed = scan([folder], index=idx).reports
    idx.close()
    compare(listed, args.compare)
    if args.compare_all:
        compare_all(listed)


if __name__ == "__main__":
    main()
