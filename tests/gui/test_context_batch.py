"""A batch (a paste, an undo of a paste) tells the panels once per run of rows changed in the same
columns, after the batch."""

from __future__ import annotations

from pathlib import Path

from core.report import Change, Document, new_report
from gui.context import AppContext, coalesce


def test_cell_changes_of_one_row_are_merged_and_structure_kept_in_order() -> None:
    cells = [Change(1, "indicators", (r,), (c,)) for r in (0, 1) for c in ("target", "actual")]
    merged = coalesce([Change(1, "indicators", (0, 1), structural=True), *cells])
    assert [(c.rows, c.columns, c.structural) for c in merged] == [
        ((0, 1), (), True),
        ((0, 1), ("target", "actual"), False),
    ]


def test_rows_are_merged_only_across_the_same_columns_form_and_table_without_structure_between() -> None:
    a = [Change(1, "indicators", (r,), ("target",)) for r in (0, 1)]
    other_columns = Change(1, "indicators", (2,), ("actual",))
    other_form = Change(2, "indicators", (3,), ("target",))
    other_table = Change(1, "goals", (4,), ("target",))
    moved = Change(1, "indicators", (0, 5), structural=True)
    after = Change(1, "indicators", (6,), ("target",))
    again = Change(1, "indicators", (1,), ("target",))  # a row already named: named once
    merged = coalesce([*a, again, other_columns, other_form, other_table, moved, after])
    assert [(c.form, c.table, c.rows, c.columns, c.structural) for c in merged] == [
        (1, "indicators", (0, 1), ("target",), False),
        (1, "indicators", (2,), ("actual",), False),
        (2, "indicators", (3,), ("target",), False),
        (1, "goals", (4,), ("target",), False),
        (1, "indicators", (0, 5), (), True),
        (1, "indicators", (6,), ("target",), False),
    ]


def test_a_batch_emits_after_it_ends_and_once_per_run_of_rows(qapp, tmp_path: Path) -> None:
    doc = Document.create(tmp_path / "r.zpdb", new_report("mof", 2023, "部", ["甲"]))
    ctx = AppContext(doc)
    seen: list[Change] = []
    ctx.changed.connect(seen.append)
    uid = doc.report.projects[0].uid
    with ctx.batch():
        doc.insert_rows(uid, "indicators", 0, count=3)
        doc.set_cells([(uid, "indicators", r, c, "≥5名") for r in range(3) for c in ("target", "actual")])
        assert seen == []
    assert len(seen) == 2 and seen[0].structural
    assert [(c.rows, c.columns) for c in seen[1:]] == [((0, 1, 2), ("target", "actual"))]
    doc.close()


def test_set_cells_tells_listeners_once_per_row(tmp_path: Path) -> None:
    """A pasted block of 3 rows × 2 columns is 3 changes (each row's columns together), not 6."""
    doc = Document.create(tmp_path / "r.zpdb", new_report("mof", 2023, "部", ["甲"]))
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "indicators", 0, count=3)
    seen: list[Change] = []
    doc.subscribe(seen.append)
    doc.set_cells([(uid, "indicators", r, c, "≥5名") for r in range(3) for c in ("target", "actual")])
    assert [(c.rows, c.columns) for c in seen] == [((r,), ("target", "actual")) for r in range(3)]
    doc.close()


def test_listeners_are_told_each_change_in_order_and_one_failing_stops_none(  # noqa: ANN001
    qapp, tmp_path: Path, monkeypatch
) -> None:
    """The panels and grids listen to changes by plain calls (``AppContext.listen``), as they were
    Qt slots of ``changed``: in the order they listened, after the generation moved on and before
    ``changed``'s own slots; one that raises is reported as a slot's error is (sys.excepthook) and
    the others are still told; one whose owner is gone is told no more."""
    import shiboken6
    from PySide6.QtCore import QObject

    doc = Document.create(tmp_path / "r.zpdb", new_report("mof", 2023, "部", ["甲"]))
    ctx = AppContext(doc)
    heard: list[tuple[str, int]] = []
    reported: list[type[BaseException]] = []
    monkeypatch.setattr("sys.excepthook", lambda kind, value, trace: reported.append(kind))
    owners = [QObject(), QObject(), QObject()]

    def first(change: Change) -> None:
        heard.append(("first", ctx.generation))

    def failing(change: Change) -> None:
        heard.append(("failing", ctx.generation))
        raise ValueError("a panel's bug")

    def last(change: Change) -> None:
        heard.append(("last", ctx.generation))

    for owner, listener in zip(owners, (first, failing, last), strict=True):
        ctx.listen(owner, listener)
    ctx.changed.connect(lambda change: heard.append(("slot", ctx.generation)))
    uid = doc.report.projects[0].uid
    doc.insert_rows(uid, "indicators", 0, count=1)
    before = ctx.generation
    doc.set_cell(uid, "indicators", 0, "target", "≥5名")
    told = [(name, g) for name, g in heard if g > before - 1][-4:]
    assert [name for name, _ in told] == ["first", "failing", "last", "slot"]
    assert len({g for _, g in told}) == 1  # one generation, bumped before any of them
    assert reported == [ValueError, ValueError]  # (the insert's change and the cell's)
    shiboken6.delete(owners[1])  # the panel is gone (its C++ object deleted)
    heard.clear()
    doc.set_cell(uid, "indicators", 0, "target", "≥6名")
    assert [name for name, _ in heard] == ["first", "last", "slot"]
    doc.close()


def test_problem_listeners_are_told_each_recheck_in_order_and_one_failing_stops_none(  # noqa: ANN001
    qapp, tmp_path: Path, monkeypatch
) -> None:
    """The grids, the status bar and the editors showing problems hear of a re-check by plain calls
    (``AppContext.listen_problems``), as they did as Qt slots of ``problems_changed``: in the order
    they listened, after the generation moved on (a grid's kept paint roles are good only while it
    is the same) and before ``problems_changed``'s own slots, with the re-check's delta in place;
    one that raises is reported as a slot's error is and the others are still told; one whose
    owner is gone is told no more."""
    import shiboken6
    from PySide6.QtCore import QObject

    doc = Document.create(tmp_path / "r.zpdb", new_report("mof", 2023, "部", ["甲"]))
    ctx = AppContext(doc)
    heard: list[tuple[str, int, bool]] = []
    reported: list[type[BaseException]] = []
    monkeypatch.setattr("sys.excepthook", lambda kind, value, trace: reported.append(kind))
    owners = [QObject(), QObject(), QObject()]
    uid = doc.report.projects[0].uid

    def note(name: str) -> None:
        heard.append((name, ctx.generation, uid in ctx.problem_delta.changed))

    def failing() -> None:
        note("failing")
        raise ValueError("a panel's bug")

    for owner, listener in zip(owners, (lambda: note("first"), failing, lambda: note("last")), strict=True):
        ctx.listen_problems(owner, listener)
    ctx.problems_changed.connect(lambda: note("slot"))
    doc.insert_rows(uid, "indicators", 0, count=1)
    heard.clear()
    reported.clear()
    before = ctx.generation
    doc.set_cell(uid, "indicators", 0, "target", "≥5名")
    assert [name for name, _, _ in heard] == ["first", "failing", "last", "slot"]
    assert len({g for _, g, _ in heard}) == 1  # one generation: the change's, then the re-check's
    assert heard[0][1] == before + 2
    assert all(changed for _, _, changed in heard)  # the edited form's problems changed: the delta says so
    assert reported == [ValueError]
    shiboken6.delete(owners[1])  # the panel is gone (its C++ object deleted)
    heard.clear()
    doc.set_cell(uid, "indicators", 0, "target", "≥6名")
    assert [name for name, _, _ in heard] == ["first", "last", "slot"]
    doc.close()
