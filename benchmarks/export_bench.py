"""Time and peak memory of the Excel and Word exports against naive cell-by-cell writers.

    python3 benchmarks/export_bench.py [--projects 200 1000] [--rounds 5] [--no-naive-at 1000]

For each size, seed 004 is grown to that many projects with 25 indicators each. In one run the
exporter and a naive writer of the same grids (openpyxl / python-docx, one styled cell at a time,
merges with merge_cells / cell.merge) are run ALTERNATELY ``--rounds`` times each, and the median and
worst wall time of each is printed with their ratio, and below it the same of their CPU time (user
and system: what other processes' load leaves alone; the load average is printed). Peak memory is
the peak resident set size of a fresh process that builds the report and runs one export
(resource.getrusage ru_maxrss: tracemalloc misses lxml's and zlib's C memory); the process's RSS just
before the export is printed beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.export.layout import plan  # noqa: E402
from core.interchange import read_json_file  # noqa: E402
from core.model import Report  # noqa: E402
from core.templates import Template, get_template  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "seed004_yiyang.json"
INDICATORS = 25


def big_report(projects: int = 200, indicators: int = INDICATORS) -> Report:
    """Return seed 004 with ``projects`` project forms of ``indicators`` indicators each."""
    report = read_json_file(FIXTURE)
    seeds = report.projects
    overall = report.overall
    forms = [overall] if overall else []
    for i in range(projects):
        form = seeds[i % len(seeds)]
        copy = type(form)(**{**form.__dict__})
        copy.name, copy.uid = f"{form.name}{i + 1}", i + 2
        base = form.indicators
        copy.indicators = [
            type(base[k % len(base)])(**base[k % len(base)].__dict__) for k in range(indicators)
        ]
        forms.append(copy)
    if overall:
        overall.uid = 1
    report.forms = forms
    return report


# ---- naive writers: the same grids, one styled cell at a time -----------------------------------
# Without merges: openpyxl's merge_cells restyles every edge cell and python-docx's merge reshapes the
# table, each alone slower than the whole loop; the baseline is the plain cell loop, as in issue 14.


def naive_xlsx(report: Report, template: Template, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from core.export.grid import printed

    thin = Side(style="thin", color="000000")
    font = Font(name="宋体", size=10.5)  # the styles made once: openpyxl still hashes them per cell
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    wb.remove(wb.active)
    for i, grid in enumerate(plan(report, template)):
        ws = wb.create_sheet(f"S{i}")
        for r in range(grid.rows):
            for c in range(grid.ncols):
                cell = ws.cell(r + 1, c + 1)
                gc = grid.cells.get((r, c))
                if gc is not None:
                    cell.value = printed(gc, grid.rate_places)
                cell.font, cell.border, cell.alignment = font, border, center
    wb.save(path)


def naive_docx(report: Report, template: Template, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_SECTION

    from core.export.grid import printed

    doc = Document()
    for i, grid in enumerate(plan(report, template)):
        if i:
            doc.add_section(WD_SECTION.NEW_PAGE)
        doc.add_paragraph(grid.title)
        table = doc.add_table(rows=0, cols=grid.ncols)
        table.style = "Table Grid"
        for r in range(grid.rows):
            cells = table.add_row().cells
            for c in range(grid.ncols):
                gc = grid.cells.get((r, c))
                if gc is not None:
                    cells[c].text = printed(gc, grid.rate_places)
    doc.save(str(path))


def ours_xlsx(report: Report, template: Template, path: Path) -> None:
    from core.export.xlsx import write_xlsx

    write_xlsx(report, path, template=template)


def ours_docx(report: Report, template: Template, path: Path) -> None:
    from core.export.docx import write_docx

    write_docx(report, path, template=template)


WRITERS = {"xlsx": ours_xlsx, "docx": ours_docx, "naive_xlsx": naive_xlsx, "naive_docx": naive_docx}


# ---- measuring ---------------------------------------------------------------------------------


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(writer: str, projects: int) -> None:
    """Run in a fresh process: build the report, export once, print RSS figures as JSON."""
    report = big_report(projects)
    template = get_template(report.template)  # resolved once, as when a report is opened
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"out.{writer.rsplit('_', 1)[-1]}"
        before = rss_mb()
        start = time.perf_counter()
        WRITERS[writer](report, template, path)
        elapsed = time.perf_counter() - start
        size = path.stat().st_size / 1e6
    print(json.dumps({"before": before, "peak": rss_mb(), "seconds": elapsed, "size": size}))


# Linux carries a process's peak RSS across fork and exec into ru_maxrss: a child started from this
# (large) process would report at least this process's peak. A bare interpreter starts the children.
LAUNCHER = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"


def peak_rss(writer: str, projects: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, sys.executable, __file__, "--child", writer, str(projects)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def alternate(
    kind: str, report: Report, rounds: int, naive: bool
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Run our writer and the naive one alternately; return the wall and the CPU times of each (CPU
    time, user and system, is what other processes' load leaves alone)."""
    times: dict[str, list[float]] = {kind: [], f"naive_{kind}": []}
    cpu: dict[str, list[float]] = {kind: [], f"naive_{kind}": []}
    template = get_template(report.template)  # resolved once, as when a report is opened
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            for name in times if naive else [kind]:
                path = Path(tmp) / f"{name}.{kind}"
                start, start_cpu = time.perf_counter(), time.process_time()
                WRITERS[name](report, template, path)
                times[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
    return {k: v for k, v in times.items() if v}, {k: v for k, v in cpu.items() if v}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, nargs="+", default=[200, 1000])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--kinds", nargs="+", default=["xlsx", "docx"], choices=["xlsx", "docx"])
    ap.add_argument("--no-naive-at", type=int, default=1000, help="skip the naive timing from this size")
    ap.add_argument("--child", nargs=2, metavar=("WRITER", "PROJECTS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    for projects in args.projects:
        report = big_report(projects)
        rows = sum(len(f.indicators) for f in report.forms)
        naive = projects < args.no_naive_at
        print(
            f"== {projects} projects × {INDICATORS} indicators ({rows} indicator rows), {args.rounds} rounds"
            f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )
        for kind in args.kinds:
            times, cpu = alternate(kind, report, args.rounds, naive)
            ours, ours_cpu = times[kind], cpu[kind]
            line = f"{kind}: median {statistics.median(ours):.2f} s, worst {max(ours):.2f} s"
            cpu_line = (
                f"  CPU {kind}: median {statistics.median(ours_cpu):.2f} s, worst {max(ours_cpu):.2f} s"
            )
            if naive:
                base, base_cpu = times[f"naive_{kind}"], cpu[f"naive_{kind}"]
                line += (
                    f"; naive median {statistics.median(base):.2f} s, worst {max(base):.2f} s"
                    f"; ratio {statistics.median(ours) / statistics.median(base):.2f}×"
                )
                cpu_line += (
                    f"; naive median {statistics.median(base_cpu):.2f} s"
                    f"; ratio {statistics.median(ours_cpu) / statistics.median(base_cpu):.2f}×"
                )
            print(line)
            print(cpu_line)
            for name in [kind, *([f"naive_{kind}"] if naive else [])]:
                m = peak_rss(name, projects)
                print(
                    f"  peak RSS {name}: {m['peak']:.0f} MB (before export {m['before']:.0f} MB), "
                    f"{m['seconds']:.2f} s, file {m['size']:.1f} MB"
                )


if __name__ == "__main__":
    main()
