"""Measure the review list on a generated set: ~1,000 reports × 30 projects × 25 indicators.

Run: python benchmarks/review_bench.py [--reports 1000] [--dir FOLDER] [--workers 2]. Generates the
set once into FOLDER (kept for later runs), then prints:
- the first scan (empty index: every report read, scored and checked) with its peak memory
  (this process and the largest worker, resource.getrusage);
- median and worst of 5 re-scans of the unchanged set (index hit), alternating with a baseline
  that only walks the folder and stats every file;
- a re-scan after one report changed.
"""

from __future__ import annotations

import argparse
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_bench import indicator  # noqa: E402

from core.model import FundRow, Report  # noqa: E402
from core.report import fill_fund_rows, new_report  # noqa: E402
from core.storage import repository as repo  # noqa: E402
from core.storage.db import APPLICATION_ID  # noqa: E402
from core.storage.migrations import MIGRATIONS  # noqa: E402

GRADES_SPREAD = (0, 0, 0, 1, 1, 2, 3)  # how many indicators miss their target: 优 mostly, some 良/中/差


def build_report(n: int, projects: int = 30, per: int = 25, seed: int = 7) -> Report:
    """One department's report, distinct per ``n``: figures and misses vary so grades spread."""
    rng = random.Random(seed * 100_003 + n)
    names = [f"项目{n:04d}-{p:02d}" for p in range(projects)]
    report = new_report("mof", 2023, f"基准部门{n:04d}", names)
    for form in report.forms:
        total = rng.randint(10, 500)
        spent = total - rng.choice((0, 0, 1, 5, 20, total // 3, total // 2))
        form.funds[0] = FundRow(form.funds[0].key, str(total), str(total), str(spent))
        if form.kind == "project":
            form.indicators = [
                indicator(rng, n + p, i) for p, i in ((rng.randint(0, 9), i) for i in range(per))
            ]
            for ind in form.indicators:
                ind.weight = str(Decimal(90) / per)
            for ind in rng.sample(form.indicators, rng.choice(GRADES_SPREAD)):
                ind.actual = "0"
                ind.score = "0"
    return report


def write_fast(report: Report, path: Path) -> None:
    """Write a report file without per-edit fsync (generation only; the app writes safely)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db)
    db.execute(f"PRAGMA user_version={len(MIGRATIONS.applied(db))}")
    fill_fund_rows(report)
    repo.write_report(db, report)
    conn.close()


def generate(folder: Path, reports: int, projects: int = 30, per: int = 25) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(reports):
        path = folder / f"dept{n:04d}.zpdb"
        if not path.exists():
            write_fast(build_report(n, projects, per), path)
        paths.append(path)
    return paths


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def compare(reports: list[dict[str, object]], n: int) -> None:
    """Compare the list's figures of ``n`` random reports with ``python -m core score --json``."""
    import json
    import subprocess

    keys = ("name", "kind", "execution_rate", "execution_score", "total", "grade", "warning")
    picked = random.Random(1).sample(reports, min(n, len(reports)))
    same = 0
    for rep in picked:
        out = subprocess.run(
            [sys.executable, "-m", "core", "score", str(rep["file"]), "--json"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        theirs = [{k: f.get(k) for k in keys} for f in json.loads(out.stdout)["forms"]]
        mine = [{k: f.get(k) for k in keys} for f in rep["forms"]]  # type: ignore[attr-defined]
        same += mine == theirs
    print(f"list vs score --json: {same}/{len(picked)} random reports identical")


def main() -> None:
    from core.review.scan import Index, scan, walk

    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "ziping-review-bench"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--compare", type=int, default=20, help="reports compared with score --json")
    args = ap.parse_args()
    folder = Path(args.dir) / f"set{args.reports}"
    t0 = time.perf_counter()
    generate(folder, args.reports)
    made = time.perf_counter() - t0
    print(f"set: {args.reports} reports × 30 projects × 25 indicators in {folder} ({made:.1f} s)")

    index_path = Path(tempfile.mkdtemp()) / "index.sqlite"
    ticks: list[int] = []
    t0 = time.perf_counter()
    idx = Index(index_path)
    first = scan([folder], progress=lambda d, t, s: ticks.append(d) is None, workers=args.workers, index=idx)
    idx.close()
    cold = time.perf_counter() - t0
    own, kids = peak_mb()
    print(
        f"first scan: {cold:.2f} s, {len(first.reports)} listed, {len(first.refused)} refused, "
        f"{len(ticks)} progress calls; peak RSS main {own:.0f} MB, largest worker {kids:.0f} MB"
    )
    compare(first.reports, args.compare)
    rescans, baselines = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        files, _refused = walk([folder])
        for f in files:
            f.stat()
        baselines.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        idx = Index(index_path)
        again = scan([folder], workers=args.workers, index=idx)
        idx.close()
        rescans.append(time.perf_counter() - t0)
        assert again.read == 0 and len(again.reports) == len(first.reports)
    print(
        f"re-scan unchanged: median {statistics.median(rescans):.3f} s, worst {max(rescans):.3f} s "
        f"(baseline walk+stat: median {statistics.median(baselines):.3f} s, worst {max(baselines):.3f} s)"
    )
    victim = folder / "dept0000.zpdb"
    victim.touch()
    t0 = time.perf_counter()
    idx = Index(index_path)
    one = scan([folder], workers=args.workers, index=idx)
    idx.close()
    print(f"re-scan after one file changed: {time.perf_counter() - t0:.3f} s ({one.read} read)")
    own, kids = peak_mb()
    print(f"peak RSS overall: main {own:.0f} MB, largest worker {kids:.0f} MB")


if __name__ == "__main__":
    main()
