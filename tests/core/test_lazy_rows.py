"""Issue 15, open 1,000 projects: the window opens a report with each form's rows read when first used
(``Document.open(lazy_rows=True)``). What it reads, edits, copies and deletes is what an open that
reads everything at once gives; the file is the same afterwards."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from core.interchange import dumps
from core.report import Document


def _open_both(path: Path) -> tuple[Document, Document]:
    return Document.open(path, read_only=True), Document.open(path, backup=False, lazy_rows=True)


def test_rows_are_read_when_first_used_and_equal_an_eager_open(seed_zpdb: Any) -> None:
    path = seed_zpdb("seed004_yiyang")
    eager, lazy = _open_both(path)
    try:
        assert all(f.rows_pending for f in lazy.report.forms)  # nothing but the headers read at open
        first = lazy.report.projects[0]
        assert first.indicators == eager.report.projects[0].indicators  # read on first use
        assert not first.rows_pending
        assert first.funds and first.funds == eager.report.projects[0].funds
        # the forms after it came with it (the checker goes through them in order) …
        assert not lazy.report.projects[1].rows_pending
        # … and the whole report, once read, is the eagerly read one
        assert dumps(lazy.report, lazy.template) == dumps(eager.report, eager.template)
    finally:
        eager.close()
        lazy.close()


def test_an_edit_to_a_form_not_yet_read_is_saved(seed_zpdb: Any) -> None:
    path = seed_zpdb("seed004_yiyang")
    doc = Document.open(path, backup=False, lazy_rows=True)
    last = doc.report.projects[-1]
    assert last.rows_pending
    doc.set_cell(last.uid, "indicators", 0, "actual", "99人")
    doc.insert_rows(last.uid, "indicators", 1, count=1)
    doc.close()
    again = Document.open(path, read_only=True)
    try:
        rows = again.form(last.uid).indicators
        assert rows[0].actual == "99人" and rows[1].level3 == ""
    finally:
        again.close()


def test_a_deleted_form_keeps_its_rows_for_undo(seed_zpdb: Any) -> None:
    """Deleting removes the rows from the file: the form kept for undo must have them first."""
    path = seed_zpdb("seed004_yiyang")
    eager, doc = _open_both(path)
    try:
        victim = doc.report.forms[0]  # the first: finding it in the list compares no other form
        assert victim.rows_pending
        doc.delete_form(victim.uid)
        assert victim.indicators == eager.form(victim.uid).indicators  # kept, not read from the file
        doc.add_form(victim.kind, victim.name, form=victim)  # what undo does
        assert doc.form(victim.uid).indicators == eager.form(victim.uid).indicators
    finally:
        eager.close()
        doc.close()


def test_a_copy_of_a_form_not_yet_read_has_its_rows(seed_zpdb: Any) -> None:
    path = seed_zpdb("seed004_yiyang")
    eager, doc = _open_both(path)
    try:
        form = doc.report.projects[-1]
        assert form.rows_pending
        copied = copy.deepcopy(form)
        assert not copied.rows_pending and copied.indicators == eager.form(form.uid).indicators
        doc.duplicate_form(form.uid)
        duplicate = doc.report.forms[doc.report.forms.index(form) + 1]
        assert duplicate.indicators == eager.form(form.uid).indicators
    finally:
        eager.close()
        doc.close()


def test_closing_reads_the_rows_still_unread(seed_zpdb: Any) -> None:
    """The model outlives its file (undo, a report just replaced): closing leaves no form unread."""
    path = seed_zpdb("seed004_yiyang")
    eager, doc = _open_both(path)
    doc.close()
    try:
        assert not any(f.rows_pending for f in doc.report.forms)
        assert dumps(doc.report, doc.template) == dumps(eager.report, eager.template)
    finally:
        eager.close()


def test_closing_lets_the_file_go_when_a_row_left_unread_is_damaged(seed_zpdb: Any) -> None:
    """A value no open reads (a score path that is no JSON) is found only when its form is read: at
    close. Closing still lets the file go (its lock) so it can be opened again, where the eager read
    says it is damaged and offers a backup; before, close raised and the file stayed locked."""
    from core.storage import db as storage

    path = seed_zpdb("seed001_guangyuan")
    _damage_a_score_path(path)
    doc = Document.open(path, backup=False, lazy_rows=True)  # headers only: the damage not seen yet
    doc.close()
    try:
        Document.open(path, backup=False)
    except storage.DamagedFileError as exc:
        assert "从备份恢复" in str(exc)
    else:
        raise AssertionError("the damaged file opened")


def _damage_a_score_path(path: Path) -> None:
    """Make the last 评分表's first path no JSON: the file's pages stay whole (quick_check passes)."""
    import sqlite3

    conn = sqlite3.connect(path)
    damaged = conn.execute(
        "UPDATE score_items SET path = '[\"a\"' WHERE position = 0"
        " AND form_id = (SELECT MAX(form_id) FROM score_items)"
    ).rowcount
    conn.commit()
    conn.close()
    assert damaged == 1


def test_a_report_with_a_damaged_row_left_unread_is_not_backed_up(seed_zpdb: Any) -> None:
    """The window opens with the backup put off and the rows unread: the backup must not copy a file
    an eager open refuses (damaged), or opening it again and again (the last report opens at start)
    pushes every good backup out of the ten kept. The good backups stay; the window is told why."""
    from core.storage import db as storage

    path = seed_zpdb("seed001_guangyuan")
    good = Document.open(path, backup=True)  # a good backup of the file, as an earlier open took
    good.close()
    assert len(storage.backups_of(path)) == 1
    _damage_a_score_path(path)
    for _ in range(storage.KEEP_BACKUPS + 1):
        doc = Document.open(path, backup_later=True, lazy_rows=True)  # as the window opens
        warning = doc.back_up()  # after the paint
        doc.close()
        assert "已损坏" in warning and "从备份恢复" in warning
    [kept] = storage.backups_of(path)
    Document.open(kept, read_only=True).close()  # the good one: it reads whole
