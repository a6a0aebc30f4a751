"""Import speed: a 200-project workbook (ZiPing's own Excel export) and a 100,000-row 一体化 sheet.

Prints median and worst of several runs (wall clock, and CPU time as the machine may be
shared), peak RSS, and for comparison the time openpyxl alone needs just to open the same
workbook (the library this importer does not use for reading).
Goal: the 200-project workbook previews and builds in ≤ 2 s. Run: python benchmarks/import_bench.py
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from export_bench import big_report  # noqa: E402

from core.export.xlsx import write_xlsx  # noqa: E402
from core.importers.api import build_report, preview_files  # noqa: E402
from core.templates import get_template  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, run: object, rounds: int = 5) -> None:
    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(
        f"{label}: median {statistics.median(times):.2f} s (CPU {statistics.median(cpu):.2f} s), "
        f"worst {max(times):.2f} s, peak RSS {peak_mb():.0f} MB"
    )


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    workbook = folder / "200项目.xlsx"
    report = big_report(200)
    write_xlsx(report, workbook, template=get_template(report.template))
    print(f"workbook: {workbook.stat().st_size // 1024} KB")

    def import_all() -> None:
        preview = preview_files([workbook])
        build_report(preview)

    def openpyxl_open() -> None:
        import openpyxl

        openpyxl.load_workbook(workbook, data_only=True).close()

    # alternate runs so both see the same machine load
    for _ in range(2):
        timed("import 200 projects (read, recognise, build)", import_all, 3)
        timed("baseline: openpyxl opening the same file only", openpyxl_open, 1)

    import openpyxl

    big = folder / "一体化10万行.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(
        ["序号", "一级指标", "二级指标", "三级指标名称", "计算符号", "指标值", "*实际完成值", "计量单位"]
    )
    for i in range(100_000):
        ws.append([i + 1, "产出指标", "数量指标", f"指标{i}", "≥", "5", "6", "次"])
    wb.save(big)
    timed("100,000-row 一体化 sheet", lambda: preview_files([big]), 1)


if __name__ == "__main__":
    main()
