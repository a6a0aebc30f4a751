"""The 公开版: what is published with the 决算 leaves out 填表人, 联系电话 and internal notes.

``public_report`` returns a copy without them; the writers, given that copy, also drop the sign-off
labels the template lists (``outputs.public.omit_signoff``) instead of printing them empty.
"""

from __future__ import annotations

import weakref
from typing import Any

from core.export.grid import Grid
from core.model import Report
from core.submission import outputs_section
from core.templates import Template

_PUBLIC: weakref.WeakValueDictionary[int, Report] = weakref.WeakValueDictionary()


def public_report(report: Report) -> Report:
    """Return a copy of ``report`` fit for publishing."""
    copy = report.clone()
    for signoff in [copy.signoff, *(f.signoff for f in copy.forms if f.signoff is not None)]:
        signoff.preparer = ""
        signoff.phone = ""
    for form in copy.forms:
        for ind in form.indicators:
            ind.review_note = ""
        for item in form.score_sheet:
            item.review_note = ""
    _PUBLIC[id(copy)] = copy
    return copy


def is_public(report: Report) -> bool:
    return _PUBLIC.get(id(report)) is report


def omitted(report: Report, template: Template) -> set[str]:
    """Return the sign-off labels the 公开版 leaves out (none for an ordinary export)."""
    if not is_public(report):
        return set()
    section: dict[str, Any] = outputs_section(template, "public")
    return {str(label) for label in section.get("omit_signoff", [])}


def strip_private(report: Report, template: Template, grids: list[Grid]) -> None:
    """Drop the omitted sign-off labels from every grid of a 公开版 export."""
    omit = omitted(report, template)
    if omit:
        for grid in grids:
            grid.signoff = [(k, v) for k, v in grid.signoff if k not in omit]
