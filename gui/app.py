"""QApplication set-up: name, UI font, icon and Chinese translations of Qt's own dialogs."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from core.paths import resources_dir

APP_TITLE = "绩效自评助手"
UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC"]


NONE_RESERVE = 1 << 40


def protect_none() -> None:
    """Give None, True and False huge reference counts on Python < 3.12 (where they are not immortal).

    PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a void Qt method and one
    to True on every Python emit (measured: 1000 ``QLabel.setText`` calls lose 1000 references to None;
    the process dies with "none_dealloc" after a few thousand). pyproject pins PySide6 below 6.12;
    this keeps a machine that has 6.12 anyway from crashing. Python 3.12 made them immortal (PEP 683).
    """
    if sys.version_info >= (3, 12) or getattr(sys, "_ziping_none_protected", False):
        return
    for constant in (None, True, False):
        ctypes.c_ssize_t.from_address(id(constant)).value += NONE_RESERVE
    sys._ziping_none_protected = True  # type: ignore[attr-defined]


def ui_font() -> QFont:
    """Return the UI font: the same on every machine instead of whatever fallback is installed."""
    return QFont(UI_FONTS, 10)


def app_icon() -> QIcon:
    icon = QIcon()
    folder = resources_dir() / "icons"
    for name in ("ziping.svg", "ziping-256.png", "ziping-48.png", "ziping-32.png", "ziping-16.png"):
        if (folder / name).exists():
            icon.addFile(str(folder / name))
    return icon


def install_translators(app: QApplication) -> list[QTranslator]:
    """Load qtbase_zh_CN.qm so standard buttons read 确定/取消; return the installed translators."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
               resources_dir() / "translations"]
    installed = []
    for folder in folders:
        translator = QTranslator(app)
        if translator.load("qtbase_zh_CN", str(folder)):
            app.installTranslator(translator)
            installed.append(translator)
            break
    return installed


def create_app(argv: list[str] | None = None) -> QApplication:
    """Return the QApplication (creating it once) set up for ZiPing."""
    protect_none()
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else [])
    setup_app(app)
    return app


def setup_app(app: QApplication) -> None:
    """Apply name, font, icon and translations to an existing QApplication (tests use pytest-qt's)."""
    protect_none()
    if app.property("ziping_ready"):
        return
    app.setApplicationName("ZiPing")
    app.setOrganizationName("ZiPing")
    app.setFont(ui_font())
    app.setWindowIcon(app_icon())
    app._ziping_translators = install_translators(app)  # type: ignore[attr-defined]
    app.setProperty("ziping_ready", True)
