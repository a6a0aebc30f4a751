"""Self-test of an installed ZiPing (``ZiPing --selftest``): sample → check → score → export → read back.

Runs offscreen, writes only into a temporary folder, prints one line per step (中文 / English) and
returns 0 only if every step worked. The frozen bundle runs it in CI; an accountant's IT support can
run it on the target workstation.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

# The sample (湖南益阳 2023) printed total of 附件3-2 and what the export must contain.
SAMPLE_TOTAL = "97.66"
SAMPLE_DEPARTMENT = "中国共产党益阳市委员会组织部"


class StepFailed(Exception):
    """A self-test step found something wrong (the message says what)."""


@dataclass
class State:
    """What the steps hand to each other."""

    folder: Path
    report: Any = None
    template: Any = None  # the report's Template, resolved when the file was opened
    zpdb: Path | None = None
    problems: list[Any] = field(default_factory=list)
    docx: Path | None = None
    xlsx: Path | None = None


Step = Callable[[State], str]


def _step_sample(state: State) -> str:
    """Import the sample report (interchange JSON) into a fresh .zpdb."""
    from core.interchange import read_json_file
    from core.paths import sample_report_path
    from core.report import Document

    source = sample_report_path()
    if not source.is_file():
        raise StepFailed(f"样例报告不存在 sample missing: {source}")
    state.zpdb = state.folder / "样例.zpdb"
    Document.create(state.zpdb, read_json_file(source)).close()
    return f"{state.zpdb.name} {state.zpdb.stat().st_size // 1024} KB"


def _step_open(state: State) -> str:
    """Open the .zpdb with core.report.Document (integrity check included)."""
    from core.report import Document

    if state.zpdb is None:
        raise StepFailed("没有报告文件 no report file (previous step failed)")
    doc = Document.open(state.zpdb, backup=False)
    try:
        state.report, state.template = doc.report, doc.template
    finally:
        doc.close()
    return f"{state.report.department} {state.report.year}，{len(state.report.forms)} 张表 forms"


def _need_report(state: State) -> Any:
    if state.report is None:
        raise StepFailed("没有打开的报告 no report (previous step failed)")
    return state.report


def _step_check(state: State) -> str:
    """Run every rule over the report."""
    from core.rules import check_report

    state.problems = list(check_report(_need_report(state), state.template))
    counts = {s: sum(1 for p in state.problems if p.severity == s) for s in ("error", "warning", "info")}
    return f"{counts['error']} 错误 errors，{counts['warning']} 警告 warnings，{counts['info']} 提示 info"


def _step_score(state: State) -> str:
    """Score every form; the sample's 附件3-2 must total 97.66."""
    from core.scoring import score_report

    report = _need_report(state)
    totals = [str(s.to_json().get("total") or "") for s in score_report(report, state.template)]
    if SAMPLE_TOTAL not in totals:
        raise StepFailed(f"总分中没有 {SAMPLE_TOTAL} (totals: {', '.join(totals)})")
    return "总分 totals " + " / ".join(t or "—" for t in totals)


def _step_export_docx(state: State) -> str:
    """Export the Word report."""
    from core.export.docx import write_docx

    state.docx = state.folder / "自评报告.docx"
    write_docx(_need_report(state), state.docx, template=state.template)
    return f"{state.docx.name} {state.docx.stat().st_size // 1024} KB"


def _step_export_xlsx(state: State) -> str:
    """Export the Excel attachments."""
    from core.export.xlsx import write_xlsx

    state.xlsx = state.folder / "附件.xlsx"
    write_xlsx(_need_report(state), state.xlsx, template=state.template)
    return f"{state.xlsx.name} {state.xlsx.stat().st_size // 1024} KB"


def _docx_texts(path: Path) -> Iterator[str]:
    import docx

    document = docx.Document(str(path))
    yield from (p.text for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            yield from (cell.text for cell in row.cells)


def _step_read_docx(state: State) -> str:
    """Read the .docx back: the department's name must be in it."""
    if state.docx is None or not state.docx.is_file():
        raise StepFailed("没有 .docx 文件 no .docx (previous step failed)")
    texts = list(_docx_texts(state.docx))
    if not any(SAMPLE_DEPARTMENT in t for t in texts):
        raise StepFailed(f".docx 中找不到部门名称 department name not found: {SAMPLE_DEPARTMENT}")
    return f"{len(texts)} 段/格 paragraphs+cells，含部门名称 has department"


def _xlsx_cells(path: Path) -> Iterator[tuple[str, str]]:
    import openpyxl

    book = openpyxl.load_workbook(str(path), read_only=True)
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                yield from ((sheet.title, str(v)) for v in row if v is not None)
    finally:
        book.close()


def _step_read_xlsx(state: State) -> str:
    """Read the .xlsx back: the department's name and the total 97.66 must be in it."""
    if state.xlsx is None or not state.xlsx.is_file():
        raise StepFailed("没有 .xlsx 文件 no .xlsx (previous step failed)")
    cells = list(_xlsx_cells(state.xlsx))
    if not any(SAMPLE_DEPARTMENT in v for _, v in cells):
        raise StepFailed(f".xlsx 中找不到部门名称 department name not found: {SAMPLE_DEPARTMENT}")
    sheets = sorted({s for s, v in cells if v.strip().rstrip("分").strip() == SAMPLE_TOTAL})
    if not sheets:
        raise StepFailed(f".xlsx 中找不到总分 total not found: {SAMPLE_TOTAL}")
    return f"{len(cells)} 格 cells，总分 {SAMPLE_TOTAL} 在 in {'、'.join(sheets)}"


def _step_window(state: State) -> str:
    """Build the main window offscreen on the sample and wait for its first paint."""
    if state.zpdb is None:
        raise StepFailed("没有报告文件 no report file (previous step failed)")
    from gui.app import create_app

    app = create_app([sys.argv[0] if sys.argv else "ZiPing"])
    window = _make_window(state.zpdb)
    try:
        seconds = wait_for_first_paint(window)
        size = f"{window.width()}×{window.height()}"
        return f"{type(window).__name__} {size}，首次绘制 first paint {seconds:.2f} s"
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()


def _make_window(zpdb: Path) -> Any:
    """Return the main window showing ``zpdb`` (not added to the recent files: this is a test)."""
    from gui import files
    from gui.main_window import MainWindow

    window = MainWindow()
    window.set_document(files.open_report(zpdb))
    return window


class _PaintSpy:
    """Watch a widget for its first paint event."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        class Filter(QObject):
            painted = False

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
                if event.type() == QEvent.Type.Paint:
                    self.painted = True
                return False

        self.widget, self.filter = widget, Filter()
        widget.installEventFilter(self.filter)

    def wait(self, timeout: float = 30.0) -> None:
        """Process events until the widget painted (StepFailed after ``timeout`` seconds)."""
        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + timeout
        while not self.filter.painted and time.monotonic() < deadline:
            QCoreApplication.processEvents()
        self.widget.removeEventFilter(self.filter)
        if not self.filter.painted:
            raise StepFailed(f"窗口 {timeout:.0f} 秒内未绘制 window never painted")


def wait_for_first_paint(window: Any, timeout: float = 30.0) -> float:
    """Show ``window`` and return the seconds until Qt delivered its first paint event."""
    spy = _PaintSpy(window)
    start = time.perf_counter()
    window.show()
    spy.wait(timeout)
    return time.perf_counter() - start


STEPS: list[tuple[str, Step]] = [
    ("样例报告 sample → .zpdb", _step_sample),
    ("打开报告 open .zpdb", _step_open),
    ("检查 check_report", _step_check),
    ("评分 score_report", _step_score),
    ("导出 Word export .docx", _step_export_docx),
    ("导出 Excel export .xlsx", _step_export_xlsx),
    ("读回 Word read .docx back", _step_read_docx),
    ("读回 Excel read .xlsx back", _step_read_xlsx),
    ("主窗口 main window", _step_window),
]


def _output() -> TextIO:
    """Return where to print: stdout, or a log file when a windowed .exe has no console."""
    if sys.stdout is not None:
        return sys.stdout
    from core.paths import user_data_dir

    return open(user_data_dir() / "selftest.log", "w", encoding="utf-8")  # noqa: SIM115


def _run_step(name: str, step: Step, state: State, out: TextIO) -> bool:
    start = time.perf_counter()
    try:
        detail = step(state)
        ok = True
    except Exception as exc:  # every failure becomes one readable line, never a traceback
        detail, ok = f"{type(exc).__name__}: {exc}", False
    ms = (time.perf_counter() - start) * 1000
    print(f"[{'通过 OK' if ok else '失败 FAIL'}] {name}（{ms:.0f} ms）：{detail}", file=out, flush=True)
    return ok


def run() -> int:
    """Run every step offscreen in a temporary folder; return 0 only if all of them worked."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from core.version import __version__

    out = _output()
    frozen = "frozen" if getattr(sys, "frozen", False) else "source"
    print(f"ZiPing {__version__} 自检 self-test ({frozen}, Python {sys.version.split()[0]})", file=out)
    with tempfile.TemporaryDirectory(prefix="ziping-selftest-") as folder:
        state = State(folder=Path(folder))
        failed = [name for name, step in STEPS if not _run_step(name, step, state, out)]
    if failed:
        print(f"自检失败 SELFTEST FAILED: {len(failed)} 步 steps — {'；'.join(failed)}", file=out)
    else:
        print(f"自检通过 SELFTEST PASSED: {len(STEPS)} 步 steps", file=out)
    out.flush()
    return 1 if failed else 0


def benchmark_startup() -> int:
    """Start as ``main.py`` does without a file (window, then the sample), print the first paint's time.

    Prints ``FIRST_PAINT <unix time>``; benchmarks/package_bench.py subtracts its launch time.
    """
    from gui.app import create_app
    from gui.main_window import MainWindow

    app = create_app([sys.argv[0] if sys.argv else "ZiPing"])
    window = MainWindow()
    spy = _PaintSpy(window)
    window.show()
    window.files.open_sample()
    spy.wait()
    print(f"FIRST_PAINT {time.time():.3f}", flush=True)
    window.close()
    app.processEvents()
    return 0
