"""The cyclic garbage collector and the open report (issue 15: no GC pause inside an edit or switch).

A collection walks every object it tracks; the report's forms, rows and problems live as long as the
file is open and are kept out of its walks (frozen, ``gui.context.keep_survivors``), as is what an
edit leaves once the idle collection after it has run. Frozen objects are freed only by their
reference counts, so a report closed must not be held by a cycle: the last test opens another one.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

import gui.context
from tests.gui.window_helpers import grid, make_window, pick_project, type_into_cell


def walked(objects: list[Any]) -> list[Any]:
    """Those of ``objects`` a collection would walk (not frozen)."""
    ids = {id(o) for o in objects}
    return [o for o in gc.get_objects() if id(o) in ids]


def test_the_open_report_and_what_an_edit_leaves_are_not_walked(
    qtbot: Any, seed_zpdb: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(gui.context, "CHECK_AT_ONCE", 2)  # checked a few forms a turn, as 1,000 projects are
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    qtbot.waitUntil(lambda: not window.ctx.checking, timeout=20000)
    report = window.ctx.open_doc.report
    assert window.ctx.checker is not None
    problems = list(window.ctx.checker.problems)
    assert problems  # the sample keeps its original report's mistakes
    rows = [row for form in report.forms for row in (*form.indicators, *form.funds, *form.goals)]
    assert len(rows) > 50
    assert walked([*report.forms, *rows, *problems]) == []

    name = report.projects[0].name
    pick_project(window, name)
    view = grid(window, "indicatorGrid")
    type_into_cell(qtbot, view, 0, "actual", "abc字")  # a text in a number column: a new problem
    after = [p for p in window.ctx.checker.problems if all(p is not q for q in problems)]
    assert after, "the edit should have found a problem"
    qtbot.waitUntil(lambda: not window.ctx._gc_timer.isActive(), timeout=5000)  # idle: collected
    assert walked([*after, *window.ctx.open_doc.report.projects[0].indicators]) == []


def test_opening_another_report_frees_the_one_before(qtbot: Any, seed_zpdb: Any) -> None:
    window = make_window(qtbot, seed_zpdb("seed004_yiyang"))
    qtbot.waitUntil(lambda: not window.ctx.checking, timeout=20000)
    doc = window.ctx.open_doc
    before = [weakref.ref(x) for x in (doc, doc.report, doc.report.forms[1], window.ctx.checker)]
    del doc
    assert window.files.open_path(seed_zpdb("seed001_guangyuan"))
    qtbot.waitUntil(lambda: not window.ctx.checking, timeout=20000)

    def freed() -> bool:
        gc.collect()  # frees nothing frozen: the report before must go by its reference counts
        return [ref() for ref in before] == [None] * 4

    # the steps waiting for a paint (the backup of the report as opened) hold it until they have run:
    # on a loaded machine that is later than any fixed wait (a fixed 300 ms failed at load 7)
    qtbot.waitUntil(freed, timeout=10000)
