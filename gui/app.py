"""QApplication set-up: name, UI font, icon and Chinese translations of Qt's own dialogs."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from core.paths import resources_dir

APP_TITLE = "绩效自评助手"
UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC"]


def ui_font() -> QFont:
    """Return the UI font: the same on every machine instead of whatever fallback is installed."""
    return QFont(UI_FONTS, 10)


def app_icon(scalable: bool = True) -> QIcon:
    """The program's icon: its drawn sizes, and (``scalable``) the SVG for the others.

    The SVG needs the QtSvg library and its icon plugin (3–5 ms): the window's start sets the drawn
    sizes for its first paint and the whole icon on the next turn (``complete_icon``)."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    names = ("ziping.svg",) if scalable else ()
    for name in (*names, "ziping-256.png", "ziping-48.png", "ziping-32.png", "ziping-16.png"):
        if (folder / name).exists():
            icon.addFile(str(folder / name))
    return icon


def complete_icon() -> None:
    """Give the application its whole icon (SVG included) when it has only the drawn sizes."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.property("ziping_icon") != "whole":
        app.setWindowIcon(app_icon())
        app.setProperty("ziping_icon", "whole")


def install_translators(app: QApplication) -> list[QTranslator]:
    """Load qtbase_zh_CN.qm so standard buttons read 确定/取消; return the installed translators."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folders = [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        resources_dir() / "translations",
    ]
    installed = []
    for folder in folders:
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", str(folder)):
            app.installTranslator(translator)
            installed.append(translator)
            break
    return installed


def create_app(argv: list[str] | None = None) -> QApplication:
    """Return the QApplication (creating it once) set up for ZiPing.

    Qt's painting is kept on the GUI thread (``QT_NO_GUI_THREADPOOL``): by default Qt splits a fill of
    more than ~100 lines (a toolbar's, a translucent one) among threads of a pool of its own, started
    by the first paint that needs them — the paint with the report, two threads here. For the small
    fills of a form window that costs more than it saves: waking the threads and waiting for them,
    5–7 % of the start's CPU on a busy 2-core machine (issue 15: first paint). The pixels are the same."""
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")  # read by Qt when its first paint asks for the pool
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else [])
    setup_app(app)
    return app


def setup_app(app: QApplication) -> None:
    """Apply name, font, icon and translations to an existing QApplication (tests use pytest-qt's)."""
    if app.property("ziping_ready"):
        return
    app.setApplicationName("ZiPing")
    app.setOrganizationName("ZiPing")
    app.setFont(ui_font())
    app.setWindowIcon(app_icon(scalable=False))  # the SVG on the turn after the first paint
    app._ziping_translators = install_translators(app)  # type: ignore[attr-defined]
    app.setProperty("ziping_ready", True)


def _damaged_rows_handled(error: BaseException) -> bool:
    """A form's rows read after the report opened turned out damaged (``RowsDamaged``): the window
    showing that file says so and offers its backups, as opening a damaged file does, instead of the
    message of an unexpected error. True when a window took it."""
    from core.storage.database import RowsDamaged

    found: BaseException | None = error
    while found is not None and not isinstance(found, RowsDamaged):
        found = found.__cause__ or found.__context__
    if found is None:
        return False
    for widget in QApplication.topLevelWidgets():
        handle = getattr(widget, "damaged_rows", None)
        if handle is not None and handle(found.db):
            return True
    return False


def _all_written() -> bool:
    """Wait for every window's last COMMIT (on its writer thread); False when one failed."""
    written = True
    for widget in QApplication.topLevelWidgets():
        ctx = getattr(widget, "ctx", None)
        try:
            written = (ctx is None or bool(ctx.written())) and written
        except Exception:  # noqa: BLE001 - the crash handler itself must not fail
            written = False
    return written


def install_crash_handler() -> None:
    """Show a Chinese message instead of a traceback for an unexpected error, and log the details.

    Every edit is already committed to the .zpdb, so the message can say that nothing is lost.
    """
    import traceback
    from datetime import datetime

    from PySide6.QtWidgets import QMessageBox

    from core.paths import user_data_dir

    def hook(kind: type[BaseException], value: BaseException, tb: object) -> None:
        log = user_data_dir() / "错误日志.txt"
        try:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"\n==== {datetime.now():%Y-%m-%d %H:%M:%S} ====\n")
                trace = tb if isinstance(tb, TracebackType) else None
                fh.write("".join(traceback.format_exception(kind, value, trace)))
        except OSError:
            pass
        app = QApplication.instance()
        if app is not None and _damaged_rows_handled(value):
            return
        if app is not None:
            written = (
                "此前的每一次修改都已写入报告文件，不会丢失。"
                if _all_written()
                else "最后一次修改未能写入报告文件（将被撤回并说明原因），此前的修改都已写入。"
            )
            QMessageBox.critical(
                None,
                APP_TITLE,
                f"程序遇到意外错误，刚才的操作可能没有完成。\n{written}\n\n错误详情已记录在：{log}",
            )

    sys.excepthook = hook
