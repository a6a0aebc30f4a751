"""Editors shown in the centre of the window, one per kind of navigation node."""

from __future__ import annotations

from typing import Any


def grid_view_class() -> Any:
    """Return gui.grids.GridView, or the plain placeholder while gui/grids is not there yet."""
    try:
        from gui.grids import GridView
    except ImportError:
        from gui.editors.grid_fallback import GridView
    return GridView
