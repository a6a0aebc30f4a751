"""Guard against a PySide6 build that leaks a reference to True on every Python signal emit.

PySide6 6.12.0 on Python 3.11 does: after a few thousand edits the process aborts with
"bool_dealloc: deallocating True or False". pyproject pins below 6.12; this test fails
loudly if an affected build is installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_python_emits_keep_the_reference_count_of_true() -> None:
    emitter = _Emitter()
    seen: list[object] = []
    emitter.fired.connect(seen.append)
    before = sys.getrefcount(True)
    for i in range(200):
        emitter.fired.emit(i)
    assert len(seen) == 200
    assert sys.getrefcount(True) >= before - 5


def test_void_qt_calls_keep_the_reference_count_of_none(qapp) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("绩效")
        label.update()
    assert sys.getrefcount(None) >= before - 5
