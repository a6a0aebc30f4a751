"""Start ZiPing: ``python main.py [FILE]``, ``--version``, ``--selftest``."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def _parse(argv: list[str]) -> tuple[str | None, str | None]:
    """Return (option, file) from the command line."""
    options = ("--version", "--selftest", "--benchmark-startup", "--review", "-h", "--help")
    option = next((a for a in argv if a in options), None)
    files = [a for a in argv if not a.startswith("-")]
    return option, files[0] if files else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    option, path = _parse(argv)
    if option == "--version":
        from core.version import __version__

        print(f"ZiPing 绩效自评助手 {__version__}")
        return 0
    if option in ("-h", "--help"):
        print("用法：main.py [报告文件.zpdb] | --review [文件夹…] | --version | --selftest")
        return 0
    if option == "--selftest":
        from gui import selftest

        return int(selftest.run())
    if option == "--benchmark-startup":  # benchmarks/package_bench.py: time to the first painted window
        from gui import selftest

        return int(selftest.benchmark_startup())
    if option == "--review":
        return run_review([a for a in argv if not a.startswith("-")])
    return run_window(path)


def run_review(folders: list[str]) -> int:
    """财政审核: the review window over ``folders`` (packages and .zpdb, all read-only)."""
    block_numpy()
    prepare_qt()
    from gui.app import complete_icon, create_app, install_crash_handler
    from gui.review.window import ReviewWindow

    app = create_app(sys.argv[:1])
    complete_icon()
    install_crash_handler()
    window = ReviewWindow([Path(f) for f in folders])
    window.show()
    return app.exec()


def prepare_start() -> None:
    """Before the window's imports: numpy kept out, and the cyclic garbage collector off until the
    report has painted (``start_window`` turns it back on). Starting made some 60 collections,
    20–30 ms, over objects that all stay alive.

    The plain-Python modules the first paint needs are imported here, before PySide6: once it is
    imported, PySide6 reads the source of every module imported after it (to see whether it uses
    its ``__feature__`` switches), 20 ms for these. Their dataclasses' methods come compiled from
    the last start (``core.classcache``), and the regular expressions the start compiles (PySide6's
    among them) come from the last start's (``core.recache``). PySide6 is imported by ``prepare_qt``.
    """
    block_numpy()
    gc.disable()
    from core import classcache, recache
    from core.paths import user_data_dir

    try:
        cache = user_data_dir() / "cache"
    except OSError:  # no data folder to be had (a file in its place, a profile not writable): no cache
        cache = None
    if cache is not None:
        recache.install(cache)  # first: PySide6's and dataclasses' patterns too
        classcache.install(cache)
    import core.interchange  # noqa: F401
    import core.report  # noqa: F401
    import core.scoring  # noqa: F401

    prepare_qt(cache)


def prepare_qt(cache: Path | None = None) -> None:
    """Import PySide6 with its enums made the quick way (``gui.qt_enums``), its own Python code from
    the last start's (``core.compilecache``, when there is a ``cache`` folder), and its look at each
    module imported after it quicker (``quick_feature_scan``)."""
    from core import compilecache
    from gui import qt_enums

    qt_enums.install()
    with compilecache.kept(cache):
        quick_feature_scan()


def quick_feature_scan() -> None:
    """Import PySide6, and let it see faster whether a module imported from now on uses it.

    PySide6 looks at every module imported after it, once, for its ``__feature__`` switches: a
    module whose source text says "PySide6" may switch them (``shibokensupport.feature``). It reads
    that text with ``inspect.getsource``, which was 13–20 ms for the ~60 modules the window's start
    imports (pathlib's and typing's long sources among them). The same question is answered here
    from the file's bytes; a module without a .py file is asked as PySide6 asks it. Nothing changes
    if a later PySide6 has no such function.
    """
    import PySide6.QtCore  # noqa: F401 - its import puts shibokensupport.feature in place

    feature = sys.modules.get("shibokensupport.feature")
    asks = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(asks):
        return

    def uses_pyside(module: object) -> bool:
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(origin, str) or not origin.endswith(".py"):
            return bool(asks(module))
        try:  # the bytes by the system's calls alone (no file object: half the time, 60 modules)
            handle = os.open(origin, os.O_RDONLY | getattr(os, "O_BINARY", 0))
            try:
                chunks = []
                while chunk := os.read(handle, 1 << 20):
                    chunks.append(chunk)
            finally:
                os.close(handle)
        except OSError:
            return False  # as PySide6 answers for a module whose source cannot be read
        return b"PySide6" in b"".join(chunks)

    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010


def collector_on() -> None:
    """The garbage collector back on after the start (``prepare_start``). What the start made stays
    for the session (modules, classes, Qt's wrappers, the report): frozen, so the collector never
    walks it; otherwise its first collection would walk all of it at once, just after the paint.
    The dataclasses' code compiled for this start is kept for the next one."""
    gc.freeze()
    gc.enable()
    save_kept()


def save_kept() -> None:
    """Keep what this start compiled for the next one: the dataclasses' methods (``core.classcache``),
    the regular expressions (``core.recache``; the start's only) and PySide6's own Python code
    (``core.compilecache``)."""
    from core import classcache, compilecache, recache

    classcache.save()
    recache.save()
    compilecache.save()


def block_numpy() -> None:
    """Keep numpy out: sqlite-utils and openpyxl import it if present (0.3 s at start); ZiPing needs none."""
    if "numpy" not in sys.modules:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # makes ``import numpy`` raise ImportError


def run_window(path: str | None) -> int:
    """Show the main window with ``path`` (or the last report, the sample the first time); run it."""
    prepare_start()
    from gui.app import create_app, install_crash_handler
    from gui.main_window import MainWindow

    app = create_app(sys.argv[:1])
    install_crash_handler()
    window = MainWindow()
    start_window(window, path)
    code = app.exec()
    save_kept()  # the classes of what was opened since (exports, the checker …)
    return code


def start_window(window: MainWindow, path: str | None) -> None:
    """Show the window's shell, then open ``path`` (or the last report) once it has painted.

    The shell (menus, tree, empty editor) paints first; reading and checking the report and
    filling the grids follow on the next turn of the event loop (issue 15: first paint).
    """
    from gui.app import create_app

    screen = create_app().primaryScreen()
    if screen is not None and screen.availableGeometry().width() <= 1440:
        window.setGeometry(screen.availableGeometry())
        window.showMaximized()  # 1366×768: every pixel counts
    else:
        window.show()

    def open_report() -> None:
        window.after_paint(collector_on)  # once the report (or, failing that, the shell) has painted
        if path is not None:
            window.files.open_path(Path(path), check_later=True)
        else:
            window.files.open_last(check_later=True)

    window.after_first_paint(open_report)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the review scan's worker processes in the frozen build
    sys.exit(main())
