"""Issue #9: outside the schema and the migrations, no code spells a column key as a string.

A column is declared once in ``core/schema.py``. Code that is about one particular column names it
through the schema — ``IND.level1`` (``schema.Keys``), a ``Column`` from ``schema.columns(...)``, a
declared flag (``cleared_next_year``, ``headers``) — never as ``"level1"``: a string is neither
checked against the declarations nor found when the column changes.

The scan parses every module of ``core/`` and ``gui/`` and collects each string constant (dict keys,
subscripts, ``getattr`` names, tuples of keys …) equal to a column key, storage column or
interchange key of any table. Docstrings are skipped. What remains is listed in ``LEFT``, per file:
a file may go below its number, never above it, so no new literal comes in while the old ones go.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from core import schema

ROOT = Path(__file__).resolve().parents[1]
# The two places that spell column keys by design: the declarations and the SQL history.
DECLARING = {"core/schema.py", "core/storage/migrations.py"}

# Words that are column keys of some table but, in code, are mostly another vocabulary's word:
# a template's column spec is {"key", "title", "width"}, and "text" is an editor / value kind.
# (NarrativeSection.title/text and FundRow.key are the columns that share them.)
OTHER_VOCABULARY = {
    "key": "template column spec / meta table key",
    "title": "template column spec / section title",
    "text": "editor and value kind",
    "label": "a template row's / fund row's printed label, a grid cell style",
    "budget": "a report figure (review listing, package manifest)",
    "final": "a score's final value",
}

# Column-key literals still spelled out, per file (they may only go down). Issue #9.
# What each is, and why it is still a string:
LEFT: dict[str, int] = {
    "core/cli.py": 1,  # the ``score`` subcommand's name
    "core/export/grid.py": 4,  # cell kinds ("rate", "score", "head") and the {year} title placeholder
    "core/export/tables.py": 2,  # the {name}/{department} placeholders of a score sheet's title
    "core/problems.py": 1,  # the "rule" key of ``check --json``
    "core/review/listing.py": 3,  # the review list's own 预算单位 column, keyed "unit"
    "core/scoring.py": 1,  # BREAKDOWN, an indicator's attainment state
    "core/templates.py": 1,  # the template file's own "name" (the region's name, not a column)
    "core/values.py": 1,  # DATE, a value kind
    "gui/navigation.py": 1,  # SCORE_NODE, a navigation node kind
}


def column_keys() -> set[str]:
    keys = set()
    for t in schema.Table:
        for c in schema.columns(t) + schema.COMPUTED.get(t, ()):
            keys |= {c.key, c.storage, c.interchange}
    return keys - {""} - set(OTHER_VOCABULARY)


def literals(source: str, keys: set[str]) -> list[tuple[int, str]]:
    """Return (line, word) of every string constant of ``source`` that is a column key."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # A regular expression's group name (``match.group("unit")``) names a part of a pattern.
    group_names = {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "group"
        for arg in node.args
    }
    skip = docstrings | group_names
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in keys
        and id(node) not in skip
    )


def modules() -> list[str]:
    files = sorted(ROOT.glob("core/**/*.py")) + sorted(ROOT.glob("gui/**/*.py"))
    return [rel for p in files if (rel := p.relative_to(ROOT).as_posix()) not in DECLARING]


def scan() -> dict[str, list[tuple[int, str]]]:
    keys = column_keys()
    found = {}
    for rel in modules():
        hits = literals((ROOT / rel).read_text(encoding="utf-8"), keys)
        if hits:
            found[rel] = hits
    return found


def test_the_scan_finds_a_column_key_spelled_as_a_string() -> None:
    """The check itself can fail: a dict key, a subscript, a getattr name and a tuple are caught."""
    source = '''
"""level1 in a docstring is prose."""
def f(row, d):
    """deviation_note here too."""
    d["initial"] = getattr(row, "review_score")
    unit = re.match(r"(?P<unit>元)", "元").group("unit")  # a pattern's group name is not a column
    return {"executed": 1}, ("level2", "weight"), row.actual, "不是键"
'''
    words = [w for _, w in literals(source, column_keys())]
    assert words == ["initial", "review_score", "executed", "level2", "weight"]


def test_no_new_column_key_literal_outside_the_schema() -> None:
    found = scan()
    over = {
        rel: [f"{line}: {word}" for line, word in hits]
        for rel, hits in found.items()
        if len(hits) > LEFT.get(rel, 0)
    }
    assert not over, (
        "name these columns through core.schema (schema.IND.level1, a Column, a declared flag) "
        f"instead of a string: {over}"
    )


def test_the_list_of_what_is_left_names_real_files() -> None:
    for rel in LEFT:
        assert (ROOT / rel).is_file(), rel


@pytest.mark.parametrize("rel", sorted(DECLARING))
def test_the_declaring_files_exist(rel: str) -> None:
    assert (ROOT / rel).is_file()


if __name__ == "__main__":  # print the current figures: python3 -m tests.test_no_column_literals
    counts = Counter({rel: len(hits) for rel, hits in scan().items()})
    print(sum(counts.values()))
    for rel, n in sorted(counts.items()):
        print(f'    "{rel}": {n},')
