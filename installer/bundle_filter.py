"""What goes into the PyInstaller bundle and what stays out (used by installer/ziping.spec).

Pure functions over PyInstaller's TOC entries (dest, src, typecode), so tests can check them with
Windows and Linux paths alike.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

# Python modules that must never be bundled: test tools, unused Qt bindings, numeric stacks that
# openpyxl only imports optionally, and anything that talks to a network.
EXCLUDES = [
    "tkinter",
    "_tkinter",
    "numpy",
    "pandas",
    "pytest",
    "_pytest",
    "hypothesis",
    "pytestqt",
    "IPython",
    "setuptools",
    "pip",
    "PyInstaller",
    "mypy",
    "ruff",
    "PySide6.QtNetwork",
    "PySide6.QtNetworkAuth",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest",
    "PySide6.QtQuick3D",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtHttpServer",
    "PySide6.QtWebView",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation",
    "PySide6.Qt3DExtras",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSpatialAudio",
    "PySide6.QtTextToSpeech",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtBluetooth",
    "PySide6.QtNfc",
    "PySide6.QtPositioning",
    "PySide6.QtLocation",
    "PySide6.QtSensors",
    "PySide6.QtSerialPort",
    "PySide6.QtSerialBus",
    "PySide6.QtRemoteObjects",
    "PySide6.QtScxml",
    "PySide6.QtStateMachine",
    "PySide6.QtSql",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtTest",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDBus",
    "PySide6.QtConcurrent",
    "PySide6.QtXml",
    "PySide6.QtQmlFeatures",
    "PySide6.QtLabsStyleKit",
    "ssl",
    "_ssl",
    "lxml.objectify",
    "lxml.html",
    "lxml.isoschematron",
    "lxml.sax",
]

# Qt libraries (by name stem) that must not ride along with what is kept.
UNUSED_QT_LIBS = re.compile(
    r"Qt6(Network|Qml|Quick|Pdf|WebEngine|WebChannel|WebSockets|3D|Multimedia|SpatialAudio|"
    r"VirtualKeyboard|Lottie|Labs|Designer|Help|Sql|Test|Wayland|Wl|EglFS|Charts|Graphs|"
    r"DataVisualization|Positioning|Location|Sensors|TextToSpeech|Bluetooth|Nfc|Serial|Concurrent|"
    r"UiTools|Scxml|StateMachine|RemoteObjects|ShaderTools|QuickControls)"
    r"|^opengl32sw\.dll$",  # Windows software OpenGL (20 MB): widgets paint with the raster engine
)
# Plugin groups and, where a group is kept only in part, the plugins kept (stem without lib/q/.so).
KEEP_PLUGINS = {
    "platforms": {"windows", "offscreen", "minimal", "xcb"},
    "styles": None,  # all (qmodernwindowsstyle on Windows)
    "imageformats": {"ico", "svg", "jpeg"},
    "iconengines": None,
    "xcbglintegrations": None,  # Linux only, needed by xcb
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
    "printsupport": None,
}
KEEP_TRANSLATIONS = re.compile(r"qt(base)?_zh_CN\.qm$")


def _plugin_kept(group: str, name: str) -> bool:
    if group not in KEEP_PLUGINS:
        return False
    wanted = KEEP_PLUGINS[group]
    stem = re.sub(r"^(lib)?q?", "", re.sub(r"\.(so|dll|dylib)$", "", name))
    return wanted is None or stem in wanted or stem.removeprefix("q") in wanted


def keep(dest: str) -> bool:
    """Return False for bundle entries ZiPing never uses (dest is the path inside the bundle)."""
    path = dest.replace("\\", "/")
    plugin = re.search(r"/plugins/([^/]+)/([^/]+)$", path)
    if plugin and "PySide6/" in path:
        return _plugin_kept(plugin.group(1), plugin.group(2))
    if "PySide6/" in path and "/translations/" in path:
        return bool(KEEP_TRANSLATIONS.search(path))
    if "PySide6/" in path and ("/qml/" in path or "/resources/qtwebengine" in path):
        return False
    return not UNUSED_QT_LIBS.search(PurePosixPath(path).name)


def _needed(src: str) -> set[str] | None:
    """Return the shared libraries an ELF file links against (objdump -p NEEDED)."""
    try:
        dump = subprocess.run(["objdump", "-p", src], capture_output=True, text=True, check=False).stdout
    except OSError:
        return None
    return set(re.findall(r"^\s*NEEDED\s+(\S+)", dump, re.M))


def drop_orphan_system_libs(binaries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Linux: drop system libraries that only the removed Qt plugins needed (gtk, cairo, wayland…)."""
    system = {
        Path(dest).name: (dest, src, kind)
        for dest, src, kind in binaries
        if "/" not in dest.replace("\\", "/")
        and Path(dest).name.startswith("lib")
        and not Path(dest).name.startswith("libpython")
    }
    todo = [src for dest, src, kind in binaries if Path(dest).name not in system]
    todo += [entry[1] for name, entry in system.items() if name.startswith("libpython")]
    reached = set()
    while todo:
        needed = _needed(todo.pop())
        if needed is None:
            return binaries  # no objdump: keep everything
        for name in needed & set(system) - reached:
            reached.add(name)
            todo.append(system[name][1])
    return [e for e in binaries if Path(e[0]).name not in system or Path(e[0]).name in reached]


def docx_parts_dir() -> list[tuple[str, str]]:
    """python-docx opens docx/parts/../templates/*.xml: on Linux docx/parts must exist as a folder."""
    import docx

    return [(str(Path(docx.__file__).parent / "parts" / "__init__.py"), "docx/parts")]
