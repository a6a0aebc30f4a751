"""Measure what judging a file before opening it costs (#10: header, quick_check, schema compared
object by object), on a report of 200 projects × 25 indicators.

Run: python benchmarks/open_bench.py. Prints the median and worst time of
- Document.open for editing (no backup) with the inspection, and the same with the inspection
  skipped (the baseline: what opening cost before), run alternately in the same process;
- Document.open(read_only=True) (in-memory copy, as check/score/export use it);
- one cell edit with the file identity check, and the same with the check skipped;
and the peak resident memory (resource.getrusage).
"""

from __future__ import annotations

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

RUNS = 15


def build(path: Path) -> None:
    report = new_report("hunan-yiyang", 2023, "测试部", [f"项目{p}" for p in range(200)])
    for p, form in enumerate(report.projects):
        form.indicators = [
            Indicator("产出指标", "数量指标", f"指标{p}-{i}", f"≥{i}人", f"{i + 1}人", "4", "4")
            for i in range(25)
        ]
    Document.create(path, report).close()


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def show(name: str, times: list[float]) -> None:
    print(f"{name:<44} median {statistics.median(times) * 1000:8.1f} ms   worst {max(times) * 1000:8.1f} ms")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
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


if __name__ == "__main__":
    main()
