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


def test_edits_across_forms_read_one_at_a_time_end_as_an_eager_open_ends(
    seed_zpdb: Any, monkeypatch: Any
) -> None:
    """Mixed edits to forms not yet read (cells, row inserts/deletes/moves, a form deleted and put back
    as undo does, duplicated, moved, added, the template switched), each form read alone (no forms
    read ahead with it): the model and the file end as the same edits on an eager open end them."""
    import random
    import shutil

    from core.report import InputError
    from core.storage import repository

    monkeypatch.setattr(repository._FormRows, "AHEAD", 0)
    source = seed_zpdb("seed001_guangyuan")
    for seed in range(12):
        rnd = random.Random(seed)
        paths = [source.with_name(f"e{seed}.zpdb"), source.with_name(f"l{seed}.zpdb")]
        for path in paths:
            shutil.copyfile(source, path)
        docs = [Document.open(paths[0], backup=False), Document.open(paths[1], backup=False, lazy_rows=True)]
        kept: list[tuple[int, list[Any]]] = []  # a deleted form, as the undo stack keeps it
        for step in range(20):
            op = rnd.choice(
                ["cell", "insert", "delete", "move", "del_form", "undo", "dup", "move_form", "add"]
            )
            index, other = rnd.randrange(len(docs[0].report.forms)), rnd.randrange(len(docs[0].report.forms))
            table = rnd.choice(["goals", "indicators", "score_sheet"])
            column = {"goals": "goal", "indicators": "actual", "score_sheet": "explanation"}[table]
            if op in ("dup", "add"):
                kept.clear()  # undo goes in order: a form put back never meets a form added after it
            if op == "undo" and not kept:
                continue
            if op == "undo":
                at, forms = kept.pop()
                for doc, form in zip(docs, forms, strict=True):
                    doc.add_form(form.kind, form.name, at, form=form)
                continue
            deleting = op == "del_form" and len(docs[0].report.forms) > 2
            if deleting:
                kept.append((index, [doc.report.forms[index] for doc in docs]))
            for doc in docs:
                uid = doc.report.forms[index].uid
                form = doc.report.forms[index]
                rows = form.rows(table) if op in ("cell", "delete", "move") else []  # else left unread
                if op == "cell" and rows:
                    doc.set_cell(uid, table, len(rows) - 1, column, f"改{step}")
                elif op == "insert":
                    doc.insert_rows(uid, table, 1, count=2)
                elif op == "delete" and rows:
                    doc.delete_rows(uid, table, [0])
                elif op == "move" and len(rows) > 1:
                    doc.move_row(uid, table, 0, len(rows) - 1)
                elif deleting:
                    doc.delete_form(uid)
                elif op == "dup":
                    doc.duplicate_form(uid)
                elif op == "move_form":
                    doc.move_form(uid, other)
                elif op == "add":
                    doc.add_form("project", f"新项目{step}", index)
            if step == 15:  # every form's funds read; refused alike when a fund row would be lost
                outcome = set()
                for doc in docs:
                    try:
                        doc.set_report_field("template", "mof")
                        outcome.add("switched")
                    except InputError:
                        outcome.add("refused")
                assert len(outcome) == 1
        shown = [dumps(doc.report, doc.template) for doc in docs]
        for doc in docs:
            doc.close()
        saved = []
        for path in paths:
            again = Document.open(path, read_only=True)
            saved.append(dumps(again.report, again.template))
            again.close()
        assert shown[0] == shown[1] == saved[0] == saved[1], seed


def test_deleting_or_moving_the_last_form_reads_no_other_form(seed_zpdb: Any) -> None:
    """A form is found in the list by identity: ``forms.index`` compared it field by field with each
    form before it, rows too, reading all of them (130–250 ms at the end of 1,000 projects)."""
    path = seed_zpdb("seed001_guangyuan")
    doc = Document.open(path, backup=False, lazy_rows=True)
    last = doc.report.forms[-1]
    doc.move_form(last.uid, len(doc.report.forms) - 1)
    doc.delete_form(last.uid)
    assert len(doc.report.forms) > 2 and all(f.rows_pending for f in doc.report.forms)
    doc.close()
    again = Document.open(path, backup=False, read_only=True)
    assert [f.uid for f in again.report.forms] == [f.uid for f in doc.report.forms]
    assert last.uid not in {f.uid for f in again.report.forms}
