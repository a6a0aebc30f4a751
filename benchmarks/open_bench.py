"""Measure what opening a report costs and what judging it first adds (#10: header, quick_check,
schema compared object by object), on reports of 200 and 1,000 projects × 25 indicators (#15).

Run: python benchmarks/open_bench.py [--quick]. Prints the median and worst wall and CPU time of
- the parts of an open at 1,000 projects: the file judged (inspect_file), the rows read into the
  model (repository.load_report), and Document.open as a whole (issue 15: open 1,000 ≤ 0.3 s); and
  the window's open (lazy_rows: headers only, then the first form's rows with the next 40 read as
  the window shows it) beside it, and what reading the rest later costs (the check after the paint
  reads them a few forms a turn: the same rows, read in groups of 41);
- Document.open for editing (no backup) with the inspection, and the same with the inspection
  skipped (the baseline: what opening cost before), run alternately in the same process;
- Document.open(read_only=True) (in-memory copy, as check/score/export use it);
- one cell edit with the file identity check, and the same with the check skipped;
and the peak resident memory (resource.getrusage).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.model import Indicator  # noqa: E402
from core.report import Document, new_report  # noqa: E402
from core.storage import db as storage  # noqa: E402

RUNS = 3 if "--quick" in sys.argv else 15


def build(path: Path, projects: int = 200) -> None:
    report = new_report("hunan-yiyang", 2023, "测试部", [f"项目{p}" for p in range(projects)])
    for p, form in enumerate(report.projects):
        form.indicators = [
            Indicator("产出指标", "数量指标", f"指标{p}-{i}", f"≥{i}人", f"{i + 1}人", "4", "4")
            for i in range(25)
        ]
    Document.create(path, report).close()


def timed(fn: object) -> tuple[float, float]:
    """Wall and CPU seconds of one call (CPU: this process's, steadier on a shared machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start, time.process_time() - cpu


def show(name: str, times: list[tuple[float, float]]) -> None:
    wall, cpu = [t[0] for t in times], [t[1] for t in times]
    print(
        f"{name:<46} median {statistics.median(wall) * 1000:7.1f} ms, worst {max(wall) * 1000:7.1f} ms "
        f"(CPU median {statistics.median(cpu) * 1000:.1f}, worst {max(cpu) * 1000:.1f})"
    )


def lazy_open(path: Path) -> Document:
    """Open as the window does: headers, then the form it shows first (and the next 40 with it)."""
    doc = Document.open(path, backup=False, lazy_rows=True)
    doc.report.forms[0].load_rows()
    return doc


def read_rest(doc: Document) -> None:
    """Read the rows not read at open as the check after the paint does, form by form."""
    for form in doc.report.forms:
        form.load_rows()


def thousand(folder: Path) -> None:
    """The parts of an open at 1,000 projects × 25 indicators."""
    from core.storage import repository as repo

    path = folder / "big1000.zpdb"
    build(path, 1000)
    print(f"file: {path.stat().st_size / 1024 / 1024:.1f} MB, 1,000 projects × 25 indicators, {RUNS} runs")
    judge, rows, whole, lazy, rest = [], [], [], [], []
    for _ in range(RUNS):
        judge.append(timed(lambda: storage.inspect_file(path)))
        db = storage.open_database(path, backup=False)
        rows.append(timed(lambda db=db: repo.load_report(db)))
        storage.close_database(db)
        whole.append(timed(lambda: Document.open(path, backup=False).close()))
        opened: list[Document] = []
        lazy.append(timed(lambda opened=opened: opened.append(lazy_open(path))))
        rest.append(timed(lambda doc=opened[0]: read_rest(doc)))
        opened[0].close()
    show("1,000: the file judged (inspect_file)", judge)
    show("1,000: the rows read (load_report)", rows)
    show("1,000: Document.open, every row read", whole)
    show("1,000: Document.open as the window opens", lazy)
    show("1,000:   then the rest read, form by form", rest)


def main() -> None:
    print(f"load average (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        thousand(Path(folder))
        path = Path(folder) / "big.zpdb"
        build(path)
        print(
            f"file: {path.stat().st_size / 1024 / 1024:.1f} MB, 200 projects × 25 indicators, "
            f"{RUNS} runs each"
        )
        real_inspect = storage.inspect_file
        judged, baseline, read_only = [], [], []
        for _ in range(RUNS):
            judged.append(timed(lambda: Document.open(path, backup=False).close()))
            storage.inspect_file = lambda p: storage.SCHEMA_VERSION  # type: ignore[assignment]
            try:
                baseline.append(timed(lambda: Document.open(path, backup=False).close()))
            finally:
                storage.inspect_file = real_inspect
            read_only.append(timed(lambda: Document.open(path, read_only=True).close()))
        show("open for editing, judged first", judged)
        show("open for editing, not judged (baseline)", baseline)
        show("open read-only (check/score/export)", read_only)
        doc = Document.open(path, backup=False)
        uid = doc.report.projects[0].uid
        checked, unchecked = [], []
        real_verify = storage.FileIdentity.verify
        for i in range(RUNS * 4):
            checked.append(timed(lambda i=i: doc.set_cell(uid, "indicators", 0, "actual", f"{i}人")))
            storage.FileIdentity.verify = lambda self, p: None  # type: ignore[method-assign]
            try:
                unchecked.append(timed(lambda i=i: doc.set_cell(uid, "indicators", 0, "actual", f"{i}人次")))
            finally:
                storage.FileIdentity.verify = real_verify  # type: ignore[method-assign]
        doc.close()
        show("one cell edit, identity checked", checked)
        show("one cell edit, identity not checked (baseline)", unchecked)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"load average (1 min) {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
