"""Helpers for driving the real main window in pytest-qt tests (offscreen: no active window)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QTableView, QWidget

from gui.app import setup_app
from gui.main_window import MainWindow
from gui.navigation import PROJECT_NODE


def make_window(qtbot: Any, path: Path | None = None) -> MainWindow:
    """Return a shown MainWindow with ``path`` open."""
    setup_app(QApplication.instance())
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    if path is not None:
        assert window.files.open_path(path)
    return window


def commit_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as an input method does (QTest key clicks are ASCII-only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def grid(window: MainWindow, name: str) -> QTableView:
    view = window.findChild(QTableView, name)
    assert view is not None, name
    return view


def column_of(view: QTableView, code: str) -> int:
    model = view.model()
    return model.column_of(code) if hasattr(model, "column_of") else -1


def pick_project(window: MainWindow, name: str) -> int:
    """Click a project in the tree (by making its node current, as a click does); return its uid."""
    form = window.ctx.doc.report.form_by_name(name)
    assert form is not None, name
    item = window.tree.nav_model.find(PROJECT_NODE, form.uid)
    window.tree.setCurrentIndex(item.index())
    settle_switch(window)
    return form.uid


def settle_switch(window: MainWindow) -> None:
    """Let the window paint after a switch and run what it does then, as it does before a user's
    next click can reach it: the grids below the screen are sized after the paint."""
    for _ in range(50):
        QApplication.processEvents()
        if not any(g.unsized for g in window.form_editor._made.values()):
            return


def type_into_cell(qtbot: Any, view: QTableView, row: int, code: str, text: str) -> None:
    """Select a cell, type ``text`` through the input method and press Enter."""
    view.setCurrentIndex(view.model().index(row, column_of(view, code)))
    commit_text(view, text)
    editor = view.indexWidget(view.currentIndex())
    assert editor is not None, "typing should open the cell editor"
    from gui.grids.delegates import input_target

    qtbot.keyClick(input_target(editor), Qt.Key.Key_Return)


def cell_text(view: QTableView, row: int, code: str) -> str:
    return str(view.model().index(row, column_of(view, code)).data() or "")


def cell_background(view: QTableView, row: int, code: str) -> Any:
    brush = view.model().index(row, column_of(view, code)).data(Qt.ItemDataRole.BackgroundRole)
    return brush.color().name() if brush is not None else None


class Messages:
    """Records QMessageBox calls instead of showing modal boxes; answers questions with ``answer``."""

    def __init__(self, monkeypatch: Any, answer: Any = QMessageBox.StandardButton.Yes) -> None:
        self.seen: list[tuple[str, str, str]] = []
        for kind in ("warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind, None))
        monkeypatch.setattr(QMessageBox, "question", self._recorder("question", answer))

    def _recorder(self, kind: str, answer: Any) -> Any:
        def record(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            self.seen.append((kind, title, text))
            return answer if answer is not None else QMessageBox.StandardButton.Ok

        return staticmethod(record)

    def texts(self) -> str:
        return "\n".join(f"{title}: {text}" for _, title, text in self.seen)
