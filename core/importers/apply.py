"""Apply a preview to an open report through ``Document`` (so views refresh), and undo it as one step."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from core import schema
from core.importers.api import Preview, merge_preview
from core.model import FUNDS, GOALS, INDICATORS, SCORE_SHEET, Form, NarrativeSection
from core.report import Document
from core.schema import HEAD, Table

# Every header field an import fills: all but the name (the form is matched on it) and the money
# unit (the template's).
HEADER_FIELDS = tuple(k for k in schema.keys(Table.HEADER) if k not in (HEAD.name, HEAD.fund_unit))
FUND_ATTRS = schema.FUND_VALUES


@dataclass
class ImportUndo:
    """What an import changed: the forms it added and the old content of the forms it filled."""

    added: list[int] = field(default_factory=list)
    replaced: list[Form] = field(default_factory=list)
    narrative: list[NarrativeSection] | None = None
    changed: int = 0


def _write_form(doc: Document, new: Form) -> None:
    """Make the document's form ``new.uid`` hold exactly ``new``'s content."""
    uid = new.uid
    old = doc.form(uid)
    for name in HEADER_FIELDS:
        if getattr(old, name) != getattr(new, name):
            doc.set_form_field(uid, name, getattr(new, name))
    if old.signoff != new.signoff:
        doc.set_form_signoff(uid, copy.deepcopy(new.signoff))
    edits: list[tuple[int, str, int, str, Any]] = []
    for row in new.funds:
        mine = old.fund(row.key)
        if mine is None:
            continue
        index = old.funds.index(mine)
        for attr in FUND_ATTRS:
            if getattr(mine, attr) != getattr(row, attr):
                edits.append((uid, FUNDS, index, attr, getattr(row, attr)))
    if edits:
        doc.set_cells(edits)
    for table in (GOALS, INDICATORS, SCORE_SHEET):
        rows = new.rows(table)
        if old.rows(table) == rows:
            continue
        if old.rows(table):
            doc.delete_rows(uid, table, list(range(len(old.rows(table)))))
        if rows:
            doc.insert_rows(uid, table, 0, rows=copy.deepcopy(rows))
    if doc.form(uid).review_flags != new.review_flags:  # 请核对 left at the cells written
        doc.set_review_flags(uid, new.review_flags)


def apply_to_document(doc: Document, preview: Preview, overwrite: bool = False) -> ImportUndo:
    """Fill the open report from the preview; typed values are kept unless ``overwrite``."""
    merged = doc.report.clone()
    undo = ImportUndo()
    undo.changed = merge_preview(merged, preview, overwrite, template=doc.template)
    if not undo.changed:
        return undo
    for form in merged.forms:
        if form.uid == 0:
            change = doc.add_form(form.kind, form.name, form=form)
            undo.added.append(int(change.form or 0))
            continue
        current = doc.form(form.uid)
        if current != form:
            undo.replaced.append(copy.deepcopy(current))
            _write_form(doc, form)
    if merged.narrative != doc.report.narrative:
        undo.narrative = list(doc.report.narrative)
        doc.set_sections(merged.narrative)
    return undo


def undo_import(doc: Document, undo: ImportUndo) -> None:
    """Put the report back as it was before ``apply_to_document``."""
    for uid in reversed(undo.added):
        doc.delete_form(uid)
    for form in undo.replaced:
        _write_form(doc, form)
    if undo.narrative is not None:
        doc.set_sections(undo.narrative)


def redo_import(doc: Document, undo: ImportUndo, preview: Preview, overwrite: bool = False) -> ImportUndo:
    """Apply again after an undo (a fresh record of what changed)."""
    return apply_to_document(doc, preview, overwrite)
