"""Measure the issue-13 outputs on 200 projects × 25 indicators.

Run: python benchmarks/yth_bench.py. Prints median and worst of 5 runs for: the 一体化 import files
(201 .xlsx and the .zip), the 自评汇总表 alone, the 汇总分析报告; and the full check with the
pre-submission rules against the same check with them switched off (alternately, in the same
run, caches cleared before each); then the peak RSS of the process.
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_bench import build, clear_caches  # noqa: E402

from core.export.analysis import write_analysis  # noqa: E402
from core.export.summary import write_summary_xlsx  # noqa: E402
from core.export.yth import export_yth  # noqa: E402
from core.rules import Checker, submission  # noqa: E402
from core.rules.base import register, unregister  # noqa: E402
from core.templates import get_template  # noqa: E402

RUNS = 5


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def line(label: str, times: list[float]) -> str:
    return f"{label}: median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms"


def main() -> None:
    report = build()
    rows = sum(len(f.indicators) for f in report.forms)
    print(f"report: {len(report.forms)} forms, {rows} indicator rows")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t = get_template(report.template)
        yth = [timed(lambda i=i: export_yth(report, base / f"y{i}", template=t)) for i in range(RUNS)]
        summ = [
            timed(lambda i=i: write_summary_xlsx(report, base / f"s{i}.xlsx", template=t))
            for i in range(RUNS)
        ]
        ana = [
            timed(lambda i=i: write_analysis(report, base / f"a{i}.docx", template=t)) for i in range(RUNS)
        ]
    print(line("一体化导入文件 (201 files + zip)", yth))
    print(line("自评汇总表 .xlsx", summ))
    print(line("汇总分析报告 .docx", ana))
    with_rules, without = [], []
    pre_submission = (submission.submission_row, submission.submission_form)
    for _ in range(RUNS):
        template = clear_caches()
        with_rules.append(timed(lambda t=template: Checker(report, t)))
        for rule in pre_submission:
            unregister(rule)
        template = clear_caches()
        without.append(timed(lambda t=template: Checker(report, t)))
        for rule in pre_submission:
            register(rule)  # engine orders rules by module, so they go back in their place
    print(line("full check with the pre-submission rules", with_rules))
    print(line("full check without them (baseline)", without))
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
