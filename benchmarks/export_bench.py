"""Print the time and peak memory to export a 200-project report to Excel and to Word."""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.export.docx import write_docx  # noqa: E402
from core.export.xlsx import write_xlsx  # noqa: E402
from core.interchange import read_json_file  # noqa: E402
from core.model import Report  # noqa: E402
from core.templates import Template, get_template  # noqa: E402

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seed004_yiyang.json"


def big_report(projects: int = 200) -> Report:
    """Return seed 004 with its projects repeated up to ``projects`` forms."""
    report = read_json_file(FIXTURE)
    seeds = report.projects
    overall = report.overall
    forms = [overall] if overall else []
    for i in range(projects):
        form = seeds[i % len(seeds)]
        copy = type(form)(**{**form.__dict__})
        copy.name, copy.uid = f"{form.name}{i + 1}", i + 2
        forms.append(copy)
    report.forms = forms
    return report


def measure(label: str, write, report: Report, template: Template, path: Path) -> None:
    start = time.perf_counter()
    write(report, path, template=template)
    elapsed = time.perf_counter() - start
    tracemalloc.start()  # a second run for memory: tracing slows Python down several times
    write(report, path, template=template)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = path.stat().st_size / 1e6
    print(f"{label}: {elapsed:.2f} s, peak {peak / 1e6:.1f} MB (Python allocations), file {size:.1f} MB")


def main() -> None:
    report = big_report()
    print(
        f"report: {len(report.projects)} projects, "
        f"{sum(len(f.indicators) for f in report.forms)} indicator rows"
    )
    with tempfile.TemporaryDirectory() as tmp:
        template = get_template(report.template)  # resolved once, as when a report is opened
        measure("xlsx", write_xlsx, report, template, Path(tmp) / "bench.xlsx")
        measure("docx", write_docx, report, template, Path(tmp) / "bench.docx")


if __name__ == "__main__":
    main()
