"""The accountant's week (USER-STORY.md) walked in the real window: each test is a rough edge found there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.gui.window_helpers import grid, make_window, pick_project

SeedFile = Callable[[str], Path]


def test_closing_the_window_with_a_cell_selected_raises_nothing(qtbot, seed_zpdb: SeedFile) -> None:
    window = make_window(qtbot, seed_zpdb("seed001_guangyuan"))
    pick_project(window, "干部暖心关爱帮扶基金经费")
    view = grid(window, "fundGrid")
    view.setCurrentIndex(view.model().index(0, 0))
    window.close()  # pytest-qt fails the test on an exception inside a slot
    assert window.ctx.doc is None
