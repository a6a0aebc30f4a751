"""Ordered, append-only schema migrations. Never edit one that has shipped: add another."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

NAME = "ziping"  # the migration set's name recorded in each file

_TEXT_ROW = {"form_id": int, "position": int}


def m001_initial(db: sqlite_utils.Database) -> None:
    db.table("report").create(
        {
            "id": int,
            "template": str,
            "year": int,
            "department": str,
            "preparer": str,
            "phone": str,
            "date": str,
            "head": str,
            "basic_data": str,
        },
        pk="id",
    )
    db.table("forms").create(
        {
            "id": int,
            "position": int,
            "kind": str,
            "name": str,
            "supervisor": str,
            "implementer": str,
            "fund_unit": str,
            "execution_weight": str,
            "printed_total": str,
            "signoff": str,
        },
        pk="id",
    )
    db.table("fund_rows").create(
        {
            **_TEXT_ROW,
            "key": str,
            "initial": str,
            "annual": str,
            "executed": str,
            "printed_rate": str,
            "printed_score": str,
        },
        pk=("form_id", "key"),
        foreign_keys=[("form_id", "forms", "id")],
    )
    db.table("goals").create(
        {**_TEXT_ROW, "goal": str, "achieved": str},
        pk=("form_id", "position"),
        foreign_keys=[("form_id", "forms", "id")],
    )
    db.table("indicators").create(
        {
            **_TEXT_ROW,
            "level1": str,
            "level2": str,
            "level3": str,
            "target": str,
            "actual": str,
            "weight": str,
            "score": str,
            "deviation_note": str,
            "direction": str,
            "not_applicable": int,
        },
        pk=("form_id", "position"),
        foreign_keys=[("form_id", "forms", "id")],
    )
    db.table("score_items").create(
        {
            **_TEXT_ROW,
            "path": str,
            "weight": str,
            "explanation": str,
            "rule": str,
            "self_score": str,
            "review_score": str,
            "formula": str,
        },
        pk=("form_id", "position"),
        foreign_keys=[("form_id", "forms", "id")],
    )
    db.table("narrative").create({"position": int, "title": str, "text": str}, pk="position")


def m002_meta(db: sqlite_utils.Database) -> None:
    """Record which program version wrote the file, for support and upgrades."""
    from core.version import __version__

    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("meta").insert_all(
        [{"key": "created_by", "value": f"ZiPing {__version__}"}],
        replace=True,
    )


def m003_indicator_columns(db: sqlite_utils.Database) -> None:
    """扣减分数, 完成情况简要描述, 计量单位, 其中 rows and the 财政复核 columns (blank in old files)."""
    indicators = db.table("indicators")
    for name in ("deduction", "brief", "unit", "review_score", "review_note"):
        indicators.add_column(name, str)
    indicators.add_column("breakdown", int)
    db.table("score_items").add_column("review_note", str)


def m004_form_code_office(db: sqlite_utils.Database) -> None:
    """项目编码 and 业务处室 of each form (blank in old files)."""
    forms = db.table("forms")
    for name in ("code", "office"):
        forms.add_column(name, str)


def m005_review_flags(db: sqlite_utils.Database) -> None:
    """请核对 flags an import leaves at a form's cells, until the user marks each 已核对 (none in old
    files: they gain the empty table)."""
    db.table("review_flags").create(
        {
            **_TEXT_ROW,
            "cell_table": str,
            "cell_row": int,
            "cell_column": str,
            "text": str,
            "origin": str,
        },
        pk=("form_id", "position"),
        foreign_keys=[("form_id", "forms", "id")],
    )


STEPS = (m001_initial, m002_meta, m003_indicator_columns, m004_form_code_office, m005_review_flags)
STEP_NAMES = [f.__name__ for f in STEPS]
SCHEMA_VERSION = len(STEPS)


@functools.cache
def migrations() -> Migrations:
    """sqlite_utils' Migrations over STEPS, made (and sqlite_utils imported, 55 ms) only when a file
    is created, migrated or judged: the window's first paint needs none of it."""
    from sqlite_utils.migrations import Migrations

    out = Migrations(NAME)
    for step in STEPS:
        out()(step)
    return out


def __getattr__(name: str) -> Migrations:
    """``MIGRATIONS`` (what tests and the review read) is made on first use."""
    if name == "MIGRATIONS":
        return migrations()
    raise AttributeError(name)
