"""Measure the checker: full check and single-cell re-check on 200 projects × 25 indicators.

Run: python benchmarks/check_bench.py. Prints:
- full-check time on a freshly built report with every cache of core.values, core.scoring and
  core.rules cleared and its template read again (a new Template object: its caches start empty)
  (the first run, then 5 more fresh reports), and a warm re-run;
- median and worst re-check time after one cell edit (through Checker.apply with a
  core.report.Change), with the garbage collector on, and how many full (generation 2) collections
  fell inside an edit; for reference the same edits with gc off and after gc.freeze();
- peak memory of a cold full check (tracemalloc).
"""

from __future__ import annotations

import functools
import gc
import importlib
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from pkgutil import iter_modules

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import paths, scoring, templates, values  # noqa: E402
from core.model import FundRow, Indicator, Report  # noqa: E402
from core.report import Change, new_report  # noqa: E402
from core.rules import Checker  # noqa: E402
from core.rules import __path__ as rules_path  # noqa: E402

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


def clear_caches() -> templates.Template:
    """Forget every cached parse and comparison and return the template read again: a new object,
    so no score or rule result computed before is reused (a truly cold check)."""
    rule_modules = [importlib.import_module(f"core.rules.{m.name}") for m in iter_modules(rules_path)]
    modules = [values, scoring, *rule_modules]
    for module in modules:
        for item in vars(module).values():
            if isinstance(item, functools._lru_cache_wrapper):
                item.cache_clear()
    templates.split_level1.cache_clear()
    return templates.load_template_file(paths.templates_dir() / "mof.json")


def cold_check(seed: int) -> tuple[float, Checker, Report]:
    """Build a fresh report, forget all caches, and time the first full check (seconds)."""
    report = build(seed=seed)
    template = clear_caches()
    t0 = time.perf_counter()
    checker = Checker(report, template)
    return time.perf_counter() - t0, checker, report


def edits(checker: Checker, report: Report, seed: int = 3) -> tuple[list[float], list[float]]:
    """Time single-cell edits through Checker.apply; return (edit times, gen-2 collection pauses)."""
    pauses: list[float] = []
    started: list[float] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                started.append(time.perf_counter())
            else:
                pauses.append(time.perf_counter() - started.pop())

    gc.callbacks.append(watch)
    rng = random.Random(seed)
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
    gc.callbacks.remove(watch)
    return times, pauses


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def edit_line(label: str, times: list[float], pauses: list[float] | None = None) -> str:
    line = (
        f"{label}：中位数 {statistics.median(times) * 1000:.3f} ms，最慢 {max(times) * 1000:.3f} ms"
        f"（{len(times)} 次）"
    )
    if pauses is not None:
        line += f"；其间完整垃圾回收 {len(pauses)} 次" + (f"，最长 {ms(max(pauses))}" if pauses else "")
    return line


def main() -> None:
    cold, checker, report = cold_check(7)
    t0 = time.perf_counter()
    checker.full()
    warm = time.perf_counter() - t0
    times, pauses = edits(checker, report)  # right after loading, as in the app
    again = sorted(cold_check(seed)[0] for seed in range(8, 13))
    shape = f"{len(report.projects)} 个项目 × {len(report.projects[0].indicators)} 个指标"
    print(f"报告：{shape}，{len(checker.problems)} 个问题")
    rest = f"另建 5 份再测 中位数 {ms(again[2])}，最快 {ms(again[0])}"
    print(f"全量检查（冷缓存，新建报告）：首次 {ms(cold)}；{rest}")
    print(f"再次全量检查（热缓存）：{ms(warm)}")
    print(edit_line("单元格修改后重新检查（垃圾回收开启）", times, pauses))
    gc.disable()
    try:
        _, checker, report = cold_check(7)
        print(edit_line("  参考：关闭垃圾回收", edits(checker, report)[0]))
    finally:
        gc.enable()
    _, checker, report = cold_check(7)
    gc.freeze()  # what the GUI could do after opening a file: later collections skip the loaded report
    print(edit_line("  参考：载入后 gc.freeze()", *edits(checker, report)))
    gc.unfreeze()
    report = build()
    template = clear_caches()
    tracemalloc.start()
    Checker(report, template)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"峰值内存（tracemalloc，冷缓存全量检查）：{peak / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main()
