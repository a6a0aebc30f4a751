"""Print the window's speed figures (issue 15), each beside its baseline measured alternately in one run.

Run: ``python benchmarks/gui_bench.py [--quick] [--paint-only | --open-only | --edit-only | --switch-only |
--sizes-only] [--size N]``
(offscreen unless QT_QPA_PLATFORM says otherwise; ``--edit-only``: the typed edits at 200 and 1,000
only, one untimed open each, no first paint, switch or paste; ``--switch-only``: the switches at 200
and 1,000 only, after one untimed open and a few untimed edits in the first and the last project, as
in the full run; ``--sizes-only``: no first paint; ``--size N``: that one size instead of 200 and 1,000).

Figures (median and worst of each, with peak RSS of each process):
- start to first paint: ZiPing with the sample vs a bare QMainWindow showing one Chinese menu and one
  Chinese label (the floor of any Chinese Qt window); fresh processes of paint_child.py, alternately,
  from compiled bytecode as an installed program starts; with the medians of each one's user and
  system CPU and minor page faults when the sample has painted (memory touched: a fault is a few µs);
- at 200 and at 1,000 projects × 25 indicators (each size in its own process):
  open the report (to the window painted: headers read, tree and first editor filled; the other
  forms' rows are read as the check reaches them, a few forms a turn after the paint, timed apart as
  "then checked") vs reading and checking it in core only;
  one typed edit (input-method text + Enter) to the end of the window's repaint that shows the edited
  grid, and apart to everything updated (the problem list and the tree follow on the next turn of
  the event loop), vs the same edit on a bare QTableView over a QStandardItemModel of the same size;
  the same typing in the last project of the tree;
  project switch (tree click to repainted window, then also to the work the window does on the
  next turns after that paint: the grids below the screen sized) vs switching a bare QTableView's
  model, between two projects shown before, and to projects not shown before (their rows measured:
  in real use most switches of a session; the worst of the old single figure was this first showing);
  paste of 400 rows × 4 columns into the 指标 grid vs setData of the same cells in a bare model;
  the same write in core alone, and once more on a copy that syncs nothing (the disk syncs' share);
  the garbage-collector pauses seen inside the timed edits and pastes.
"""

from __future__ import annotations

import copy
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
QUICK = "--quick" in sys.argv
PAINT_RUNS = 3 if QUICK else 7
EDITS = 15 if QUICK else 40
SWITCHES = 10 if QUICK else 30
PASTES = 2 if QUICK else 5
OPENS = 2 if QUICK else 4
PAINT_ONLY = "--paint-only" in sys.argv
OPEN_ONLY = "--open-only" in sys.argv  # the first paint and the opens at 200 and 1,000 only
EDIT_ONLY = "--edit-only" in sys.argv  # the typed edits at 200 and 1,000 only
SWITCH_ONLY = "--switch-only" in sys.argv  # the switches at 200 and 1,000 only (edits untimed before)
SIZES_ONLY = "--sizes-only" in sys.argv  # no first paint: the figures at 200 and 1,000 only
# Wall seconds, and CPU seconds (steadier on a busy machine): of the process for the first paint, of
# the GUI thread in the in-process figures (an edit's COMMIT runs on a writer thread meanwhile, on the
# other core: it does not hold up the repaint).
Timing = tuple[float, float]


# ---- first paint ---------------------------------------------------------------------------------
# Each start is a fresh process of benchmarks/paint_child.py (its docstring says what it starts).


# (wall, CPU) to the first paint, to the sample painted; peak RSS MB; (user s, system s, minor page faults)
# at the sample painted
Paint = tuple[Timing, Timing, float, tuple[float, float, int]]


def time_to_paint(kind: str, data_dir: str) -> Paint:
    """Return (wall, CPU) seconds from process start to the first paint and to the sample painted,
    the peak RSS in MB, and the user and system CPU seconds and minor page faults at the sample
    painted. CPU is the child's own process time (interpreter start included)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # see main()
    env["ZIPING_DATA_DIR"] = data_dir
    start = time.time()
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "paint_child.py"), kind],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    lines = out.stdout.splitlines()

    def stamp(word: str) -> Timing:
        fields = next(x for x in lines if x.startswith(word)).split()
        return float(fields[1]) - start, float(fields[2])

    rss = float(next(x for x in lines if x.startswith("RSS")).split()[1])
    user, system, faults = next(x for x in lines if x.startswith("KERNEL")).split()[1:]
    return stamp("PAINTED"), stamp("SAMPLE"), rss, (float(user), float(system), int(faults))


# ---- a big report --------------------------------------------------------------------------------
def big_report(path: Path, projects: int) -> None:
    """Write a report of ``projects`` projects of 25 indicators (copies of the sample's projects)."""
    from core.interchange import read_json_file
    from core.paths import sample_report_path
    from core.report import Document

    report = read_json_file(sample_report_path())
    models = report.projects
    forms = []
    for i in range(projects):
        form = copy.deepcopy(models[i % len(models)])
        form.name, form.uid = f"{form.name}{i + 1:04d}", 0
        base = list(form.indicators) or [copy.deepcopy(models[0].indicators[0])]
        form.indicators = [copy.deepcopy(base[k % len(base)]) for k in range(25)]
        forms.append(form)
    report.forms = [report.overall] + forms
    Document.create(path, report).close()


class GcWatch:
    """Records the length of every garbage collection while ``on`` (inside a timed step), and of
    every other one after it is made (``outside``: the idle collections, the check's turns)."""

    def __init__(self) -> None:
        self.on = False
        self.pauses: list[tuple[int, float]] = []
        self.outside: list[tuple[int, float]] = []
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            found = (info["generation"], time.perf_counter() - self._start)
            (self.pauses if self.on else self.outside).append(found)


def clock() -> Timing:
    return time.perf_counter(), time.thread_time()


def since(start: Timing) -> Timing:
    return time.perf_counter() - start[0], time.thread_time() - start[1]


def alternate(runs: int, app: Callable[[], Timing], *bases: Callable[[], Timing]) -> tuple[list[Timing], ...]:
    """Run app and its baselines alternately; return the lists of timings, app's first."""
    out: list[list[Timing]] = [[] for _ in range(1 + len(bases))]
    for _ in range(runs):
        for found, run in zip(out, (app, *bases), strict=True):
            found.append(run())
    return tuple(out)


def bare_table(rows: int, columns: int) -> tuple[Any, Any]:
    """A QTableView over a QStandardItemModel of rows × columns short texts, shown."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    model = QStandardItemModel(rows, columns)
    for r in range(rows):
        for c in range(columns):
            model.setItem(r, c, QStandardItem(f"指标{r}-{c}"))
    view = QTableView()
    view.setModel(model)
    view.resize(1100, 600)
    view.show()
    return view, model


def size_child(projects: int) -> None:
    """All in-process figures at one size; prints one JSON line."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    import main

    main.block_numpy()
    from PySide6.QtGui import QGuiApplication, QInputMethodEvent
    from PySide6.QtTest import QTest

    from gui.app import create_app
    from gui.grids.delegates import input_target
    from gui.main_window import MainWindow
    from gui.navigation import PROJECT_NODE

    app = create_app(sys.argv[:1])
    folder = Path(tempfile.mkdtemp())
    path = folder / f"{projects}.zpdb"
    big_report(path, projects)
    window = MainWindow()
    window.resize(1366, 728)
    window.show()
    app.processEvents()
    out: dict[str, Any] = {"projects": projects, "load_before": os.getloadavg()[0]}

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    def pause() -> None:
        """The user stops for a moment (after typing, after looking through projects): the window's
        idle work runs (the idle garbage collection, gui/context.py)."""
        deadline = time.perf_counter() + 0.5
        while time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.005)

    def idle() -> None:
        """Let the work a newly opened report does in the background finish (checking a few forms per
        turn, the tree's 自评预警): the timed edits, switches and pastes then measure themselves only."""
        deadline = time.perf_counter() + 60
        while (window.ctx.checking or window.tree.nav_model._unscored) and time.perf_counter() < deadline:
            app.processEvents()

    # -- open: the window vs core alone (Document.open + Checker) --------------------------------
    from PySide6.QtCore import QEvent, QObject

    ended = QEvent.Type(QEvent.registerEventType())

    class PaintSpy(QObject):
        """Notes the time when the window's first paint after ``start`` has ended (the report on
        screen): the window's own Paint event begins a paint, before the widgets inside it paint; an
        event posted then, ahead of any other waiting, is delivered once the paint has ended (as
        paint_child stamps the first paint)."""

        def __init__(self) -> None:
            super().__init__()
            self.at: Timing | None = None
            self.start: Timing = clock()
            self.painting = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.at is None and not self.painting:
                self.painting = True
                QApplication.postEvent(self, QEvent(ended), Qt.EventPriority.HighEventPriority.value)
            return False

        def event(self, event: QEvent) -> bool:
            if event.type() != ended:
                return super().event(event)
            self.at = since(self.start)
            return True

    checked: list[Timing] = []

    def open_app() -> Timing:
        """From 打开 to the window painting the report; the check and the tree's 自评预警 go on a few
        forms a turn after it (timed apart: to all of it done)."""
        window.set_document(None)
        idle()
        settle()
        spy = PaintSpy()
        window.installEventFilter(spy)
        spy.start = start = clock()
        window.files.open_path(path)
        deadline = time.perf_counter() + 60
        while spy.at is None and time.perf_counter() < deadline:
            app.processEvents()
        window.removeEventFilter(spy)
        idle()
        checked.append(since(start))
        return spy.at or since(start)

    def open_core() -> Timing:
        from core.report import Document
        from core.rules import Checker

        window.set_document(None)
        settle()
        start = clock()
        doc = Document.open(path, read_only=True)
        Checker(doc.report, doc.template)
        elapsed = since(start)
        doc.close()
        return elapsed

    if EDIT_ONLY or SWITCH_ONLY:
        open_app()
        out["open"], out["open_base"] = [], []
    else:
        out["open"], out["open_base"] = alternate(OPENS, open_app, open_core)
    out["open_checked"] = checked
    if OPEN_ONLY:
        out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["load"] = os.getloadavg()[0]
        print("JSON " + json.dumps(out), flush=True)
        return
    if window.ctx.doc is None:
        window.files.open_path(path)
        settle()

    projects_ = window.ctx.open_doc.report.projects
    a, b = projects_[0].uid, projects_[1].uid
    window.tree.select_node(PROJECT_NODE, a)
    settle()
    idle()
    grid = window.form_editor.grids["indicators"]
    view, model = grid.view, grid.model
    column = model.column_of("actual")

    bview, bmodel = bare_table(25, 10)
    settle()

    # -- one typed edit ------------------------------------------------------------------------------
    watch = GcWatch()
    counter = [0]
    commit_waits: list[Timing] = []

    class RepaintSpy(QObject):
        """Notes when the window's repaint that shows the edited grid ends: the first repaint after
        ``start`` in which the grid's viewport painted (panels that follow on the next turn of the
        event loop repaint after it: timed to ``settle``'s end, as before)."""

        def __init__(self) -> None:
            super().__init__()
            self.at: Timing | None = None
            self.start: Timing = clock()
            self.grid_painted = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and obj is view.viewport():
                self.grid_painted = True
            elif event.type() == QEvent.Type.UpdateRequest and obj is window and self.at is None:
                window.removeEventFilter(self)
                window.event(event)  # the repaint itself (as Qt would deliver it), timed to its end
                if self.grid_painted:
                    self.at = since(self.start)
                else:
                    window.installEventFilter(self)
                return True
            return False

    repaints: list[Timing] = []

    def edit_app() -> Timing:
        counter[0] += 1
        row = counter[0] % 12
        view.setCurrentIndex(model.index(row, column))
        rect = view.visualRect(model.index(row, column))  # typing mid-screen: the page does not scroll
        centre = view.viewport().mapTo(window.form_editor.widget(), rect.center())
        window.form_editor.ensureVisible(centre.x(), centre.y(), 50, 250)
        event = QInputMethodEvent()
        event.setCommitString(str(counter[0] % 9 + 1))
        QApplication.sendEvent(view, event)
        editor = view.indexWidget(view.currentIndex())
        target = input_target(editor) if editor is not None else view
        settle()
        # the previous edit's COMMIT (on the writer thread) done first, as at any typing pace: the
        # wait is timed apart (the alternation types the next cell a few ms after the last)
        waited = clock()
        window.ctx.open_doc.written()
        commit_waits.append(since(waited))
        spy = RepaintSpy()
        window.installEventFilter(spy)
        view.viewport().installEventFilter(spy)
        watch.on = True
        spy.start = start = clock()
        QTest.keyClick(target, Qt.Key.Key_Return)
        settle()
        elapsed = since(start)
        watch.on = False
        window.removeEventFilter(spy)
        view.viewport().removeEventFilter(spy)
        repaints.append(spy.at or elapsed)
        return elapsed

    def edit_base() -> Timing:
        counter[0] += 1
        start = clock()
        bmodel.setData(bmodel.index(counter[0] % 12, 3), str(counter[0] % 9 + 1))
        settle()
        return since(start)

    # the floor under the window: the same write in core alone (SQLite commit with fsync + re-check)
    import shutil

    from core.report import Document
    from core.rules import Checker

    core_path = folder / "core-copy.zpdb"
    window.set_document(None)
    shutil.copy(path, core_path)
    window.files.open_path(path)
    settle()
    window.tree.select_node(PROJECT_NODE, a)
    settle()
    idle()
    core_doc = Document.open(core_path, backup=False)
    core_checker = Checker(core_doc.report, core_doc.template)
    core_doc.subscribe(core_checker.apply)
    core_uid = core_doc.report.projects[0].uid
    # the same write on a copy that syncs nothing (PRAGMA synchronous=OFF, never used by ZiPing): the
    # difference is what the four disk syncs of a rollback-journal commit cost (core/storage/db.py)
    unsynced_path = folder / "core-unsynced.zpdb"
    shutil.copy(path, unsynced_path)
    unsynced = Document.open(unsynced_path, backup=False)
    unsynced.db.conn.execute("PRAGMA synchronous=OFF")
    unsynced.subscribe(Checker(unsynced.report, unsynced.template).apply)
    # The two copies above are this benchmark's (a window never holds another report): frozen as the
    # window freezes the report it opens, or the window's first idle collection walks their 300,000
    # objects at 1,000 projects (0.4 s, in whatever switch it fell on).
    gc.freeze()

    def edit_core() -> Timing:
        counter[0] += 1
        start = clock()
        core_doc.set_cell(core_uid, "indicators", counter[0] % 12, "actual", str(counter[0] % 9 + 1))
        return since(start)

    def edit_unsynced() -> Timing:
        counter[0] += 1
        start = clock()
        unsynced.set_cell(core_uid, "indicators", counter[0] % 12, "actual", str(counter[0] % 9 + 1))
        return since(start)

    # typing as a user does: in the active window, the grid holding the focus (the focus goes into
    # the cell's editor and back, which an inactive window never sees)
    window.activateWindow()
    deadline = time.perf_counter() + 5
    while QApplication.activeWindow() is not window and time.perf_counter() < deadline:
        app.processEvents()
    view.setFocus()
    settle()
    out["active"] = QApplication.activeWindow() is window and view.hasFocus()
    for _ in range(3):  # warm-up
        edit_app()
    watch.pauses.clear()
    watch.outside.clear()
    out["edit"], out["edit_base"], out["edit_core"], out["edit_unsynced"] = alternate(
        3 if SWITCH_ONLY else EDITS, edit_app, edit_base, edit_core, edit_unsynced
    )
    core_doc.close()
    unsynced.close()
    out["gc_pauses"] = [p for _, p in watch.pauses]
    out["gc_generations"] = [g for g, _ in watch.pauses]
    out["commit_waits"] = commit_waits[-EDITS:]
    out["edit_repaint"] = repaints[-EDITS:]
    # the same typing in the last project of the tree (what was looked up form by form took longer there)
    window.tree.select_node(PROJECT_NODE, projects_[-1].uid)
    settle()
    view.setFocus()
    settle()
    for _ in range(3):  # warm-up
        edit_app()
    out["edit_last"] = alternate(3 if SWITCH_ONLY else EDITS, edit_app, edit_base)[0]
    out["edit_last_repaint"] = repaints[-EDITS:]
    window.tree.select_node(PROJECT_NODE, a)
    settle()
    if EDIT_ONLY:
        out["switch"] = out["switch_base"] = out["paste"] = out["paste_base"] = []
        out["paste_gc_pauses"], out["paste_gc_generations"] = [], []
        out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["load"] = os.getloadavg()[0]
        window.close()
        print("JSON " + json.dumps(out), flush=True)
        return

    # -- project switch ----------------------------------------------------------------------------
    other_model = bare_table(25, 10)[1]  # (the baseline's second model; its view's window shown)
    pause()  # the user stops typing: the idle collection runs (timed: "between"); that window painted
    models_ = [bmodel, other_model]
    flip = [0]

    painted: dict[str, list[Timing]] = {}

    def switch_to(uid: int, figure: str) -> Timing:
        """Click in the tree to the window repainted (the posted paint requests delivered, before
        any timer: timed into ``painted[figure]``), then to what the window does on the next turns
        after the paint (the grids below the screen sized) also done: returned."""
        watch.on = True
        start = clock()
        window.tree.select_node(PROJECT_NODE, uid)
        for _ in range(2):
            QApplication.sendPostedEvents()
        painted.setdefault(figure, []).append(since(start))
        settle()
        elapsed = since(start)
        watch.on = False
        return elapsed

    def switch_app() -> Timing:
        flip[0] += 1
        return switch_to((a, b)[flip[0] % 2], "switch")

    def switch_base(figure: str = "switch_base") -> Timing:
        start = clock()
        bview.setModel(models_[flip[0] % 2])
        for _ in range(2):
            QApplication.sendPostedEvents()
        painted.setdefault(figure, []).append(since(start))
        settle()
        return since(start)

    # b shown once first (timed apart: the first switch after the edits, once a process, was the old
    # figure's worst): the switches timed show projects shown before (their rows' heights kept); a
    # project shown for the first time (its rows measured) is timed apart, below
    out["switch_once"] = [switch_to(b, "switch_once")]
    window.tree.select_node(PROJECT_NODE, a)
    settle()
    watch.pauses.clear()
    out["switch"], out["switch_base"] = alternate(SWITCHES, switch_app, switch_base)
    # the same between the last two projects of the tree (shown before: the last one was typed in
    # above): what a switch looks up form by form costs most there
    y, z = projects_[-2].uid, projects_[-1].uid
    switch_to(y, "switch_last_once")
    switch_to(z, "switch_last_once")

    def last_app() -> Timing:
        flip[0] += 1
        return switch_to((y, z)[flip[0] % 2], "switch_last")

    out["switch_last"] = alternate(SWITCHES, last_app, switch_base)[0]
    window.tree.select_node(PROJECT_NODE, a)
    settle()
    fresh = iter(p.uid for p in projects_[2:])  # not shown yet

    def first_app() -> Timing:
        return switch_to(next(fresh), "switch_first")

    def first_base() -> Timing:
        flip[0] += 1
        return switch_base("switch_first_base")

    out["switch_first"], out["switch_first_base"] = alternate(SWITCHES, first_app, first_base)
    out["switch_painted"] = painted
    out["switch_gc_pauses"] = [p for _, p in watch.pauses]
    out["switch_gc_generations"] = [g for g, _ in watch.pauses]

    pause()
    out["idle_gc_pauses"] = [p for _, p in watch.outside]
    out["idle_gc_generations"] = [g for g, _ in watch.outside]
    if SWITCH_ONLY:
        out["paste"] = out["paste_base"] = out["paste_gc_pauses"] = out["paste_gc_generations"] = []
        out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["load"] = os.getloadavg()[0]
        window.close()
        print("JSON " + json.dumps(out), flush=True)
        return

    # -- paste of 400 rows ---------------------------------------------------------------------------
    window.tree.select_node(PROJECT_NODE, a)
    settle()
    first = model.column_of("level3")
    cols = list(range(first, first + 4))
    block = "\n".join(f"指标{r}\t≥{r}人\t{r}人\t4" for r in range(400))
    bpaste_model = bare_table(400, len(cols))[1]

    def paste_app() -> Timing:
        QGuiApplication.clipboard().setText(block)
        grid.select_range(0, cols[0], 0, cols[0])
        watch.on = True
        start = clock()
        grid.paste()
        settle()
        elapsed = since(start)
        watch.on = False
        window.undo()
        settle()
        return elapsed

    def paste_base() -> Timing:
        start = clock()
        for r in range(400):
            for c in range(len(cols)):
                bpaste_model.setData(bpaste_model.index(r, c), f"{r}号{c}")
        settle()
        return since(start)

    watch.pauses.clear()
    out["paste"], out["paste_base"] = alternate(PASTES, paste_app, paste_base)
    out["paste_gc_pauses"] = [p for _, p in watch.pauses]
    out["paste_gc_generations"] = [g for g, _ in watch.pauses]
    out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["load"] = os.getloadavg()[0]
    window.close()
    print("JSON " + json.dumps(out), flush=True)


def run_size(projects: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--size", str(projects)]
        + (["--quick"] if QUICK else [])
        + (["--open-only"] if OPEN_ONLY else [])
        + (["--edit-only"] if EDIT_ONLY else [])
        + (["--switch-only"] if SWITCH_ONLY else []),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    line = next(x for x in out.stdout.splitlines() if x.startswith("JSON "))
    return dict(json.loads(line[5:]))


def gc_summary(f: dict[str, Any], key: str) -> str:
    """How many collections ``f[key + "_pauses"]`` holds and the longest, with its generations."""
    pauses = f.get(f"{key}_pauses", [])
    if not pauses:
        return "0, longest none"
    generations = sorted(set(f[f"{key}_generations"]))
    return f"{len(pauses)}, longest {max(pauses) * 1000:.2f} ms (generations {generations})"


def ms(times: list[float] | list[Timing]) -> str:
    """Median and worst of wall times (and of CPU times when measured)."""
    if not times:
        return "—"
    wall = [t[0] if isinstance(t, (tuple, list)) else t for t in times]
    text = f"median {statistics.median(wall) * 1000:7.1f} ms, worst {max(wall) * 1000:7.1f} ms"
    if isinstance(times[0], (tuple, list)):
        cpu = [t[1] for t in times]  # type: ignore[index]
        text += f" (CPU median {statistics.median(cpu) * 1000:.1f}, worst {max(cpu) * 1000:.1f})"
    return text


def main() -> None:
    if EDIT_ONLY or SWITCH_ONLY or SIZES_ONLY:
        print(f"no first paint; 1-min load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        sizes()
        return
    data_dir = tempfile.mkdtemp()
    os.environ["ZIPING_DATA_DIR"] = data_dir
    from gui.files import ensure_sample

    os.environ["BENCH_REPORT"] = str(ensure_sample())  # the sample imported into the data folder
    # An installed ZiPing starts from compiled bytecode: compile it here (whatever this shell's
    # PYTHONDONTWRITEBYTECODE says; the starts run without it), then one warm-up start of each
    # (the dataclasses' cache written, the files in the OS cache).
    import compileall

    for name in ("core", "gui", "main.py"):
        compile_ = compileall.compile_dir if (ROOT / name).is_dir() else compileall.compile_file
        compile_(str(ROOT / name), quiet=1)
    time_to_paint("app", data_dir)
    time_to_paint("bare", data_dir)
    load_before = os.getloadavg()
    app_runs, bare_runs = [], []
    for _ in range(PAINT_RUNS):
        app_runs.append(time_to_paint("app", data_dir))
        bare_runs.append(time_to_paint("bare", data_dir))
    load_after = os.getloadavg()
    app_t = [t for t, *_ in app_runs]
    sample_t = [s for _, s, *_ in app_runs]
    bare_t = [t for t, *_ in bare_runs]
    import timeit

    loop = min(timeit.repeat("sum(range(1000))", number=1000, repeat=5))
    print(f"platform: {os.environ['QT_QPA_PLATFORM']}; app and baseline alternately, {PAINT_RUNS} runs each")
    print(
        f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after the paint runs "
        f"on {os.cpu_count()} cores"
    )
    print(
        f"machine speed: sum(range(1000)) takes {loop * 1000:.1f} µs here "
        "(about 10 µs on an unloaded 2020s desktop: scale absolute figures accordingly)"
    )
    print(
        f"first paint, ZiPing (the shell):              {ms(app_t)}, "
        f"peak RSS {max(r for _, _, r, _ in app_runs):.0f} MB"
    )
    print(f"first paint with the sample report's grids:  {ms(sample_t)}")
    print(
        f"first paint, bare QMainWindow, 中文 menu+label: {ms(bare_t)}, "
        f"peak RSS {max(r for _, _, r, _ in bare_runs):.0f} MB"
    )
    for name, runs in (("ZiPing", app_runs), ("bare", bare_runs)):
        user, system, faults = (statistics.median(k[i] for *_, k in runs) for i in range(3))
        print(
            f"  at the sample painted, {name:6} (medians): user {user * 1000:.1f} ms, "
            f"system {system * 1000:.1f} ms, minor page faults {faults:.0f}"
        )
    print(
        "  (Linux splits user/system by timer ticks — 4 ms each at HZ=250, a whole tick to one side — so a "
        "start's split\n   is ±10–15 ms; the faults are exact: each one a few µs of system time)"
    )
    for name, times in (("shell", app_t), ("with the sample", sample_t)):
        for what, i in (("wall", 0), ("CPU", 1)):
            mine, base = [t[i] for t in times], [t[i] for t in bare_t]
            ratios = [x / y for x, y in zip(mine, base, strict=True)]
            of_medians = statistics.median(mine) / statistics.median(base)
            print(
                f"ratio {name} ({what}): median of medians {of_medians:.2f}, "
                f"pairwise median {statistics.median(ratios):.2f}, worst pair {max(ratios):.2f}  (goal ≤ 1.3)"
            )
    if PAINT_ONLY:
        return
    sizes()


def sizes() -> None:
    chosen = sys.argv[sys.argv.index("--size") + 1 :][:1] if "--size" in sys.argv else []
    for size in [int(x) for x in chosen] or (200, 1000):
        f = run_size(size)
        print(
            f"\n{size} projects × 25 indicators (peak RSS {f['rss']:.0f} MB; "
            f"1-min load average {f['load_before']:.2f} before, {f['load']:.2f} after)"
        )
        print(f"  open the report (window painted):      {ms(f['open'])}   (goal ≤ 300 ms at 1,000)")
        print(f"    then checked, 自评预警 shown:         {ms(f['open_checked'])}  (a few forms a turn)")
        print(f"    baseline core open + check:          {ms(f['open_base'])}")
        if OPEN_ONLY:
            continue
        if SWITCH_ONLY:
            switch_lines(f)
            continue
        goal = "≤ 5 ms median, ≤ 16 ms worst" if size == 200 else "≤ 8 ms median"
        active = "" if f.get("active") else "  (window NOT active: no focus changes)"
        print(f"  one typed edit to repaint:             {ms(f['edit_repaint'])}   (goal {goal}){active}")
        print(
            f"    and the problem list, tree updated:  {ms(f['edit'])}  "
            "(they follow on the next turn of the event loop, after that repaint)"
        )
        print(f"    baseline bare QTableView edit:       {ms(f['edit_base'])}")
        print(f"  the same in the last project:          {ms(f['edit_last_repaint'])}")
        print(f"    and the problem list, tree updated:  {ms(f['edit_last'])}")
        print(
            f"    last edit's commit still under way:  {ms(f.get('commit_waits', []))}  "
            "(waited for before the next edit, untimed)"
        )
        print(f"    floor: the write in core alone:      {ms(f['edit_core'])}  (SQLite commit + re-check)")
        print(
            f"    the same, nothing synced to disk:    {ms(f['edit_unsynced'])}  "
            "(synchronous=OFF on a copy: the rest is the commit's four disk syncs)"
        )
        if EDIT_ONLY:
            print(f"  GC collections inside {len(f['edit'])} timed edits: {gc_summary(f, 'gc')}")
            continue
        switch_lines(f)
        print(f"  paste of 400 rows:                     {ms(f['paste'])}   (goal ≤ 300 ms)")
        print(f"    baseline bare model setData:         {ms(f['paste_base'])}")
        print(f"  GC collections inside {len(f['edit'])} timed edits: {gc_summary(f, 'gc')}")
        print(f"  GC collections inside {len(f['paste'])} timed pastes: {gc_summary(f, 'paste_gc')}")


def switch_lines(f: dict[str, Any]) -> None:
    """The switch figures of one size."""
    shown = f.get("switch_painted", {})
    print(f"  project switch:                        {ms(f['switch'])}   (goal ≤ 16 ms)")
    print(f"    to the paint:                        {ms(shown.get('switch', []))}")
    print(f"    baseline bare QTableView setModel:   {ms(f['switch_base'])}")
    print(f"      to the paint:                      {ms(shown.get('switch_base', []))}")
    print(f"    between the last two projects:       {ms(f.get('switch_last', []))}")
    print(f"    the first switch after the edits:    {ms(f['switch_once'])}  (once a process)")
    print(f"      to the paint:                      {ms(shown.get('switch_once', []))}")
    print(f"  switch to a project not shown before:  {ms(f['switch_first'])}  (its rows measured)")
    print(f"    to the paint:                        {ms(shown.get('switch_first', []))}")
    print(f"    baseline bare QTableView setModel:   {ms(f['switch_first_base'])}")
    print(f"      to the paint:                      {ms(shown.get('switch_first_base', []))}")
    print(f"  GC collections inside the {2 * len(f['switch'])} timed switches: {gc_summary(f, 'switch_gc')}")
    print(f"  GC collections outside them (idle, after the edits, the switches): {gc_summary(f, 'idle_gc')}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--size":
        size_child(int(sys.argv[2]))
    else:
        main()
