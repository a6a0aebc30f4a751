"""One start for gui_bench's first-paint figures: ``python benchmarks/paint_child.py app|bare``.

Prints ``PAINTED wall cpu`` when the window's first paint has ended, ``SAMPLE wall cpu`` when its
first paint with a report has ended (the bare window: the same paint), with ``KERNEL user system
minor-faults`` then (the process's user and system CPU seconds, its minor page faults), and at the
end ``RSS`` in MB. The window's
own Paint event comes first in a paint, before every widget inside it (the tree, the grids, the
toolbar …) paints: the stamp is taken on an event posted then, ahead of any other waiting (work
queued for after the paint is not timed), which Qt delivers once the paint has ended.

A script of its own, importing only what the start it times imports: gui_bench's own imports (json,
statistics, subprocess, tempfile …) would otherwise be in both starts, and ZiPing would find some of
its imports done already.

``app`` starts as ``main.run_window`` does, in its order: ``main.prepare_start`` (the plain-Python
modules) before PySide6, then the window, opening $BENCH_REPORT (her last report). ``bare`` is the
floor of any Chinese Qt window: a QMainWindow with one Chinese menu and one Chinese label, shown as
ZiPing's window is (maximised on a screen up to 1440 wide, as ``main.start_window`` does).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


# PAINT_CHILD_EXIT_AT=PAINTED or SAMPLE: end the process at once after that stamp and its KERNEL line
# (benchmarks/paint_instructions.py counts the instructions up to it under callgrind). The caches the
# start keeps for the next one are then not saved: warm them with ordinary starts first.
EXIT_AT = os.environ.get("PAINT_CHILD_EXIT_AT", "")


def stamp(word: str) -> None:
    print(f"{word} {time.time():.6f} {time.process_time():.6f}", flush=True)


def run(kind: str) -> None:
    if kind == "app":
        # this checkout's code, or PAINT_CHILD_TREE's (paint_instructions.py: another checkout's)
        tree = os.environ.get("PAINT_CHILD_TREE") or os.path.dirname(
            os.path.dirname(os.path.abspath(__file__))
        )
        sys.path.insert(0, tree)
        import main

        main.prepare_start()  # as main.run_window does, before PySide6 is imported
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    ended = QEvent.Type(QEvent.registerEventType())

    class Paints(QObject):
        def __init__(self, ready: Callable[[], bool]) -> None:
            super().__init__()
            self.ready, self.first, self.words = ready, True, list[str]()

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:  # a paint begins: the widgets inside it paint after this
                if self.first:
                    self.when_ended("PAINTED")
                    self.first = False
                if self.ready():
                    self.when_ended("SAMPLE")
                    obj.removeEventFilter(self)
            return False

        def when_ended(self, word: str) -> None:
            """Stamp ``word`` once the paint has ended: on an event posted ahead of any other waiting."""
            self.words.append(word)
            QApplication.postEvent(self, QEvent(ended), Qt.EventPriority.HighEventPriority.value)

        def event(self, event: QEvent) -> bool:
            if event.type() != ended:
                return super().event(event)
            word = self.words.pop(0)
            stamp(word)
            if word == "SAMPLE" or word == EXIT_AT:
                import resource  # after the stamp: not timed

                used = resource.getrusage(resource.RUSAGE_SELF)
                print(f"KERNEL {used.ru_utime:.6f} {used.ru_stime:.6f} {used.ru_minflt}", flush=True)
                if EXIT_AT:
                    os._exit(0)  # (paint_instructions.py: nothing after the stamp counted)
                QApplication.quit()
            return True

    if kind == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.menuBar().addMenu("文件(&F)").addAction("打开(&O)…")
        window.setCentralWidget(QLabel("请用“新建”或“打开”开始一份报告。", window))
        spy = Paints(lambda: True)
        window.installEventFilter(spy)
        window.resize(1366, 728)
        screen = app.primaryScreen()
        if screen is not None and screen.availableGeometry().width() <= 1440:  # as main.start_window
            window.setGeometry(screen.availableGeometry())
            window.showMaximized()
        else:
            window.show()
    else:
        from gui.app import create_app
        from gui.main_window import MainWindow

        app = create_app(sys.argv[:1])
        ziping = MainWindow()
        spy = Paints(lambda: ziping.ctx.doc is not None)
        ziping.installEventFilter(spy)
        ziping.resize(1366, 728)
        main.start_window(ziping, os.environ["BENCH_REPORT"])  # her last report: the sample's copy
    app.exec()
    if kind == "app":
        main.save_kept()  # as main.run_window does when the window closes
    import resource

    print(f"RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}", flush=True)


if __name__ == "__main__":
    run(sys.argv[1])
