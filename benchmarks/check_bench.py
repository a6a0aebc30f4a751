"""Measure the checker: full check and single-cell re-check on 200 projects × 25 indicators.

Run: python benchmarks/check_bench.py. Prints full-check time (cold caches and warm), median and
worst re-check time after one cell edit (through Checker.apply with a core.report.Change), and
peak memory (tracemalloc).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import scoring  # noqa: E402
from core.model import FundRow, Indicator, Report  # noqa: E402
from core.report import Change, new_report  # noqa: E402
from core.rules import Checker  # noqa: E402

LEVELS = (
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "社会效益指标"),
    ("满意度指标", "服务对象满意度指标"),
)


def indicator(rng: random.Random, p: int, i: int) -> Indicator:
    """One realistic indicator row; numbers vary per project so most cells are distinct."""
    level1, level2 = LEVELS[i % len(LEVELS)]
    n = rng.randint(1, 500)
    pairs = [
        (f"≥{n}人次", f"{n + rng.randint(-5, 50)}人次"),
        (f"≤{n}万元", f"{n - rng.randint(0, 9)}万元"),
        ("=100%", rng.choice(["100%", "99.5%"])),
        ("优", "优"),
        (f"≥{rng.randint(80, 99)}%", "96.5%"),
        ("2023年12月底前", "2023年12月"),
        ("有效保障", "有效保障"),
        (f"≥{n}个", f"{n}个"),
    ]
    target, actual = pairs[(p + i) % len(pairs)]
    return Indicator(level1, level2, f"指标{p}-{i}", target, actual, "4", "", "")


def build(projects: int = 200, per: int = 25, seed: int = 7) -> Report:
    rng = random.Random(seed)
    report = new_report("mof", 2023, "基准测试部门", [f"项目{p}" for p in range(projects)])
    for uid, form in enumerate(report.forms, start=1):
        form.uid = uid
        total = rng.randint(10, 500)
        form.funds[0] = FundRow(
            key=form.funds[0].key,
            initial=str(total),
            annual=str(total),
            executed=str(total - rng.randint(0, 20)),
            printed_rate="95%",
        )
        if form.kind == "project":
            form.indicators = [indicator(rng, uid, i) for i in range(per)]
            form.printed_total = "100"
    return report


def clear_caches() -> None:
    for fn in (scoring.parsed, scoring.compared, scoring.evaluate):
        fn.cache_clear()


def main() -> None:
    report = build()
    clear_caches()
    t0 = time.perf_counter()
    checker = Checker(report)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    checker.full()
    warm = time.perf_counter() - t0
    rng = random.Random(3)
    times = []
    for k in range(500):
        form = report.projects[rng.randrange(len(report.projects))]
        row = rng.randrange(len(form.indicators))
        form.indicators[row].actual = f"{rng.randint(0, 900)}人次"  # a new, never-parsed value
        change = Change(form.uid, "indicators", (row,), ("actual",))
        t0 = time.perf_counter()
        checker.apply(change)
        times.append(time.perf_counter() - t0)
        if k % 100 == 0:  # the funds table too
            form.funds[0].executed = str(rng.randint(1, 500))
            t0 = time.perf_counter()
            checker.apply(Change(form.uid, "funds", (0,), ("executed",)))
            times.append(time.perf_counter() - t0)
    tracemalloc.start()
    clear_caches()
    Checker(report)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ms = [t * 1000 for t in times]
    print(
        f"报告：{len(report.projects)} 个项目 × {len(report.projects[0].indicators)} 个指标，"
        f"{len(checker.problems)} 个问题"
    )
    print(f"全量检查（冷缓存）：{cold * 1000:.1f} ms；再次全量检查（热缓存）：{warm * 1000:.1f} ms")
    print(
        f"单元格修改后重新检查：中位数 {statistics.median(ms):.3f} ms，最慢 {max(ms):.3f} ms（{len(ms)} 次）"
    )
    print(f"峰值内存（tracemalloc，冷缓存全量检查）：{peak / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main()
