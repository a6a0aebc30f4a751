"""Print GUI figures: start-up to first paint (vs a bare QMainWindow), 200 projects, switching, memory.

Run: ``python benchmarks/gui_bench.py`` (offscreen unless QT_QPA_PLATFORM says otherwise).
"""

from __future__ import annotations

import copy
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
RUNS = 5


def child(kind: str) -> None:
    """Start ZiPing with the sample (or a bare QMainWindow); print the wall time of the first paint."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print(f"PAINTED {time.time():.6f}", flush=True)
                QTimer.singleShot(0, QApplication.quit)
                obj.removeEventFilter(self)
            return False

    if kind == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
    else:
        import main

        main.block_numpy()
        from gui.app import create_app
        from gui.main_window import MainWindow

        app = create_app(sys.argv[:1])
        window = MainWindow()
        window.files.open_sample()
    spy = FirstPaint()
    window.installEventFilter(spy)
    window.resize(1366, 728)
    window.show()
    app.exec()


def time_to_paint(kind: str, data_dir: str) -> float:
    """Return seconds from process start to the window's first paint (bytecode cached, as when frozen)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["ZIPING_DATA_DIR"] = data_dir
    start = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    line = next(x for x in out.stdout.splitlines() if x.startswith("PAINTED"))
    return float(line.split()[1]) - start


def big_report(path: Path, projects: int = 200) -> None:
    """Write a report with ``projects`` copies of the sample's projects."""
    from core.interchange import read_json_file
    from core.paths import sample_report_path
    from core.report import Document

    report = read_json_file(sample_report_path())
    models = report.projects
    report.forms = [report.overall] + [copy.deepcopy(models[i % len(models)]) for i in range(projects)]
    for i, form in enumerate(report.forms[1:]):
        form.name, form.uid = f"{form.name}{i + 1:03d}", 0
    Document.create(path, report).close()


def in_process() -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    import main

    main.block_numpy()
    from gui.app import create_app
    from gui.main_window import MainWindow
    from gui.navigation import PROJECT_NODE

    app = create_app(sys.argv[:1])
    path = Path(tempfile.mkdtemp()) / "200.zpdb"
    big_report(path)
    window = MainWindow()
    window.resize(1366, 728)
    window.show()
    app.processEvents()
    start = time.perf_counter()
    window.files.open_path(path)
    app.processEvents()
    opened = time.perf_counter() - start
    projects = window.ctx.doc.report.projects
    a, b = projects[0].uid, projects[1].uid
    switches = []
    for _ in range(20):
        for uid in (a, b):
            start = time.perf_counter()
            window.tree.select_node(PROJECT_NODE, uid)
            QApplication.processEvents()
            window.repaint()
            switches.append(time.perf_counter() - start)
    window.close()
    return {"open": opened, "switch": statistics.median(switches), "switch_max": max(switches)}


def main() -> None:
    first_run = time_to_paint("app", tempfile.mkdtemp())  # also imports the sample into the data folder
    data_dir = tempfile.mkdtemp()
    time_to_paint("app", data_dir)  # warm-up: sample copied, bytecode written
    app_times = [time_to_paint("app", data_dir) for _ in range(RUNS)]
    bare_times = [time_to_paint("bare", data_dir) for _ in range(RUNS)]
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = in_process()
    app_t, bare_t = statistics.median(app_times), statistics.median(bare_times)
    print(f"platform: {os.environ['QT_QPA_PLATFORM']}, {RUNS} runs each, medians")
    print(f"start to first paint, ZiPing with the sample report: {app_t * 1000:.0f} ms")
    print(f"start to first paint, bare PySide6 QMainWindow:      {bare_t * 1000:.0f} ms")
    print(f"ratio: {app_t / bare_t:.2f}")
    print(f"very first start (imports the sample report first): {first_run * 1000:.0f} ms")
    print(f"open a 200-project report (open, check, tree, first editor): {figures['open'] * 1000:.0f} ms")
    print(
        f"switch between two projects: median {figures['switch'] * 1000:.1f} ms, "
        f"max {figures['switch_max'] * 1000:.1f} ms"
    )
    print(
        f"peak memory: start-up process {child_peak:.0f} MB; with the 200-project report "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
