"""Emit Qt signals from Python safely on PySide6 6.12.0.

PySide6-Essentials 6.12.0 (measured here on Python 3.11) returns ``True`` from
``SignalInstance.emit()`` without taking a reference, so every emit made from Python
lowers the reference count of ``True`` by one; after a few thousand emits the
interpreter aborts with "bool_dealloc: deallocating True or False". ``emit`` gives
the reference back when the running PySide6 has the bug (checked once at import).
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    fired = Signal()


def _emit_drops_a_reference() -> bool:
    """Return True when emit() from Python loses a reference to its bool result."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()
    dropped = before - sys.getrefcount(True)
    for _ in range(max(dropped, 0)):
        _incref(True)  # undo the probe's own damage
    return dropped >= 8


EMIT_DROPS_REFERENCE = _emit_drops_a_reference()


def emit(signal: Any, *args: Any) -> None:
    """Emit ``signal`` with ``args`` (use instead of ``signal.emit(...)``)."""
    result = signal.emit(*args)
    if EMIT_DROPS_REFERENCE and isinstance(result, bool):
        _incref(result)
