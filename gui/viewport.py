"""Scroll areas get their viewport from Python, so asking for it costs nothing.

A viewport made by Qt is a plain ``QWidget`` that Python has never seen: the first
``viewport()`` (or any call handing it to Python) makes PySide look for the most derived type
of that pointer, and with its types made on first use that meant making every QtWidgets
class and its enums, 20–30 ms of the start (issue 15: first paint). A viewport made here
already has its Python wrapper, so it is returned as it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QWidget


def own_viewport(area: QAbstractScrollArea) -> QWidget:
    """Give ``area`` a viewport made from Python, set up as Qt sets up its own; return it."""
    port = QWidget()
    port.setObjectName("qt_scrollarea_viewport")
    port.setAutoFillBackground(True)
    port.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
    if isinstance(area, QAbstractItemView):
        port.setBackgroundRole(QPalette.ColorRole.Base)
        port.setForegroundRole(QPalette.ColorRole.Text)
    area.setViewport(port)
    return port
