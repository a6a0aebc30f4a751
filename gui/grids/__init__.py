"""Excel-like grids over the tables of a form: funds, goals, indicators, score sheet."""

from __future__ import annotations

from gui.grids.view import GridView

__all__ = ["GridView"]
