"""Show a department's report read-only in the normal window, with its flags.

The report is read without writing its file and put into a private copy in a temporary
folder; the window shows that copy with editing switched off, so nothing the reviewer does
can reach the department's file. The copy is removed when its window goes (or, for a window
still open when the program ends, at exit): a department's data is not left behind in the
reviewer's temporary folder.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QMainWindow, QPlainTextEdit, QTextEdit

from core.report import Document
from core.review.sample import load_any


def open_readonly(source: Path, form_index: int | None = None) -> QMainWindow:
    """Open ``source`` (.zpdb or package) read-only in a new main window and show one of its forms."""
    from gui.main_window import MainWindow
    from gui.navigation import OVERALL_NODE, PROJECT_NODE

    report = load_any(source)
    for form in report.forms:
        form.uid = 0
    folder = Path(tempfile.mkdtemp(prefix="ziping-view-"))
    try:
        doc = Document.create(folder / source.with_suffix(".zpdb").name, report)
    except BaseException:
        remove_copy(folder)
        raise
    _open_copies.add(folder)
    window = MainWindow()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.destroyed.connect(partial(remove_copy, folder))
    window.set_document(doc)
    window.setProperty("read_only", True)
    window.setWindowTitle(f"{source.name}（只读） — 财政审核")
    for view in window.findChildren(QAbstractItemView):
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for edit in window.findChildren(QTextEdit) + window.findChildren(QPlainTextEdit):
        edit.setReadOnly(True)
    for name in ("new", "open", "import_json", "next_year", "undo", "redo", "package"):
        action = getattr(window.actions_, name, None)
        if action is not None:
            action.setEnabled(False)
    if form_index is not None and 0 <= form_index < len(doc.report.forms):
        form = doc.report.forms[form_index]
        node = OVERALL_NODE if form.kind == "overall" else PROJECT_NODE
        window.tree.select_node(node, form.uid)
        window.show_node(node, form.uid)
    window.show()
    return window


_open_copies: set[Path] = set()


def remove_copy(folder: Path, *_: object) -> None:
    """Remove a read-only window's private copy (its window has closed the file by now)."""
    _open_copies.discard(folder)
    shutil.rmtree(folder, ignore_errors=True)


@atexit.register
def _remove_open_copies() -> None:
    for folder in list(_open_copies):
        remove_copy(folder)
