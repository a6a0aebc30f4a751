"""A batch (a paste, an undo of a paste) tells the panels once per row, after the batch."""

from __future__ import annotations

from pathlib import Path

from core.report import Change, Document, new_report
from gui.context import AppContext, coalesce


def test_cell_changes_of_one_row_are_merged_and_structure_kept_in_order() -> None:
    cells = [Change(1, "indicators", (r,), (c,)) for r in (0, 1) for c in ("target", "actual")]
    merged = coalesce([Change(1, "indicators", (0, 1), structural=True), *cells])
    assert [(c.rows, c.columns, c.structural) for c in merged] == [
        ((0, 1), (), True),
        ((0,), ("target", "actual"), False),
        ((1,), ("target", "actual"), False),
    ]


def test_a_batch_emits_after_it_ends_and_once_per_row(qapp, tmp_path: Path) -> None:
    doc = Document.create(tmp_path / "r.zpdb", new_report("mof", 2023, "部", ["甲"]))
    ctx = AppContext(doc)
    seen: list[Change] = []
    ctx.changed.connect(seen.append)
    uid = doc.report.projects[0].uid
    with ctx.batch():
        doc.insert_rows(uid, "indicators", 0, count=3)
        doc.set_cells([(uid, "indicators", r, c, "≥5名") for r in range(3) for c in ("target", "actual")])
        assert seen == []
    assert len(seen) == 4 and seen[0].structural
    assert [c.rows for c in seen[1:]] == [(0,), (1,), (2,)]
    doc.close()
