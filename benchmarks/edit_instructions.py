"""Instructions of one typed edit (issue 15), counted by valgrind's callgrind: steady whatever the load.

Run: ``python benchmarks/edit_instructions.py [--size N] [--edits N] [--last] [--function M:Q] [TREE ...]``

Each TREE (a checkout of ZiPing; default: this one) is measured in turn, in the same sitting, so that
a change is compared with main on the same valgrind and the same report: ``... /work/main .``.
The edit is gui_bench's (benchmarks/gui_bench.py): an input-method text typed into a 实际值 cell of
the first project (``--last``: the last) of a report of ``--size`` projects × 25 indicators, then
Enter; counted from Enter to the end of the repaint that shows the edited grid (QTest.keyClick,
then the posted events up to that repaint — the problem list and the tree follow on the next turn
and are not counted, as gui_bench's "to repaint" figure). Printed: millions of instructions per
edit, of the GUI thread (the COMMIT on the writer thread is not counted).

``--function module:Qualified.name`` counts only what runs inside that function (inclusive) during
the same edits, e.g. ``core.rules.engine:Checker.apply`` or ``gui.grids.base:GridModel._on_changed``.

The values typed cycle through 1–9 over three rows, as gui_bench's do: the checker's memo of row-rule
results misses on a (row, value) the first time and hits after, so the figure per edit depends on
``--edits`` (compare checkouts at the same count; a user typing new values always misses: ~0.1 M
more an edit at 200 projects).

Wall-clock figures stay gui_bench's; this says where a change moved the work when the machine's load
makes a few per cent invisible in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", help="checkouts to measure (default: this one)")
    parser.add_argument("--size", type=int, default=200, help="projects in the report (200)")
    parser.add_argument("--edits", type=int, default=20, help="edits counted (20)")
    parser.add_argument("--last", action="store_true", help="type in the last project of the tree")
    parser.add_argument("--function", default="", help="count only inside module:Qualified.name")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)  # the report (set by the parent)
    return parser.parse_args(argv)


# ---- the measured process ----------------------------------------------------------------------
def child(args: argparse.Namespace) -> None:
    """Open the report in a window, type as gui_bench does; count the timed edits' instructions."""
    import importlib
    import operator

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, os.getcwd())  # the tree measured (the parent runs this in it)
    import main

    main.block_numpy()
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from gui.app import create_app
    from gui.grids.delegates import input_target
    from gui.main_window import MainWindow
    from gui.navigation import PROJECT_NODE

    counting = [False]
    if args.function:  # count inside that function only: collection toggles on entering operator.call
        module_name, qualified = args.function.split(":")
        owner: Any = importlib.import_module(module_name)
        *path, name = qualified.split(".")
        for part in path:
            owner = getattr(owner, part)
        inner = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)

        def counted(*a: Any, **k: Any) -> Any:
            return operator.call(inner, *a, **k) if counting[0] else inner(*a, **k)

        setattr(owner, name, counted)

    app = create_app(sys.argv[:1])
    window = MainWindow()
    window.resize(1366, 728)
    window.show()
    app.processEvents()

    def settle() -> None:
        for _ in range(3):
            app.processEvents()

    window.files.open_path(Path(args.child))
    settle()
    deadline = time.perf_counter() + 120
    while (window.ctx.checking or window.tree.nav_model._unscored) and time.perf_counter() < deadline:
        app.processEvents()
    projects = window.ctx.open_doc.report.projects
    window.tree.select_node(PROJECT_NODE, (projects[-1] if args.last else projects[0]).uid)
    settle()
    grid = window.form_editor.grids["indicators"]
    view, model = grid.view, grid.model
    column = model.column_of("actual")
    window.activateWindow()
    settle()
    view.setFocus()
    settle()

    class Repaint(QObject):
        """Sees the window's repaint in which the edited grid painted (gui_bench's RepaintSpy)."""

        def __init__(self) -> None:
            super().__init__()
            self.done = False
            self.grid_painted = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and obj is view.viewport():
                self.grid_painted = True
            elif event.type() == QEvent.Type.UpdateRequest and obj is window and not self.done:
                window.removeEventFilter(self)
                window.event(event)
                if self.grid_painted:
                    self.done = True
                else:
                    window.installEventFilter(self)
                return True
            return False

    counter = [0]

    def edit(count: bool) -> None:
        counter[0] += 4  # as gui_bench's alternation moves its counter (app, base, core, unsynced)
        row = counter[0] % 12
        view.setCurrentIndex(model.index(row, column))
        rect = view.visualRect(model.index(row, column))
        centre = view.viewport().mapTo(window.form_editor.widget(), rect.center())
        window.form_editor.ensureVisible(centre.x(), centre.y(), 50, 250)
        typed = QInputMethodEvent()
        typed.setCommitString(str(counter[0] % 9 + 1))
        QApplication.sendEvent(view, typed)
        editor = view.indexWidget(view.currentIndex())
        target = input_target(editor) if editor is not None else view
        settle()
        window.ctx.open_doc.written()  # the last edit's COMMIT done, as at any typing pace
        spy = Repaint()
        window.installEventFilter(spy)
        view.viewport().installEventFilter(spy)

        def timed() -> None:
            QTest.keyClick(target, Qt.Key.Key_Return)
            for _ in range(5):
                if spy.done:
                    break
                QApplication.sendPostedEvents()

        if count and not args.function:
            operator.call(timed)  # counted: callgrind toggles collection on entering operator.call
        else:
            counting[0] = count
            timed()
            counting[0] = False
        window.removeEventFilter(spy)
        view.viewport().removeEventFilter(spy)
        settle()

    for _ in range(5):  # warm-up: caches filled, the writer thread started
        edit(False)
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True, check=False)
    for _ in range(args.edits):
        edit(True)
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True, check=False)
    window.close()


# ---- the parent ----------------------------------------------------------------------------------
def measure(tree: Path, report: Path, args: argparse.Namespace, folder: Path) -> float:
    """Millions of instructions per edit in ``tree``."""
    out = folder / f"callgrind.{tree.name or 'tree'}.{os.getpid()}.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        "--collect-atstart=no",
        "--toggle-collect=_operator_call",
        f"--callgrind-out-file={out}",
        sys.executable,
        str(HERE),
        "--child",
        str(report),
        "--edits",
        str(args.edits),
    ]
    command += ["--last"] if args.last else []
    command += ["--function", args.function] if args.function else []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["ZIPING_DATA_DIR"] = str(folder / "data")
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    total = next((int(line.split()[1]) for line in out.open() if line.startswith("totals:")), None)
    if done.returncode or total is None:
        raise SystemExit(f"{tree}: valgrind failed\n{done.stderr[-2000:]}")
    return total / args.edits / 1e6


def run(args: argparse.Namespace) -> None:
    trees = [Path(t).resolve() for t in args.trees] or [HERE.parent.parent]
    folder = Path(tempfile.mkdtemp(prefix="edit-instructions-"))
    report = folder / f"{args.size}.zpdb"
    sys.path.insert(0, str(trees[0]))
    sys.path.insert(0, str(trees[0] / "benchmarks"))
    import gui_bench

    gui_bench.big_report(report, args.size)  # one report for every tree (each opens a copy)
    where = "the last project" if args.last else "the first project"
    what = f"inside {args.function}" if args.function else "Enter to the repaint that shows it"
    print(f"{args.size} projects, {args.edits} edits in {where}: instructions per edit, {what}")
    for tree in trees:
        copy = folder / f"copy-{len(list(folder.glob('copy-*')))}.zpdb"
        copy.write_bytes(report.read_bytes())
        started = time.perf_counter()
        figure = measure(tree, copy, args, folder)
        took = time.perf_counter() - started
        print(f"  {figure:7.3f} M  {tree}  ({took:.0f} s under valgrind)", flush=True)


if __name__ == "__main__":
    arguments = parse(sys.argv[1:])
    if arguments.child:
        child(arguments)
    else:
        run(arguments)
