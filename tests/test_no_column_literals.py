"""Issue #9: outside the schema and the migrations, no code spells a column key as a string.

A column is declared once in ``core/schema.py``. Code that is about one particular column names it
through the schema — ``IND.level1`` (``schema.Keys``), a ``Column`` from ``schema.columns(...)``, a
declared flag (``cleared_next_year``, ``headers``) — never as ``"level1"``: a string is neither
checked against the declarations nor found when the column changes.

The scan parses every module of ``core/`` and ``gui/`` and collects each string constant (dict keys,
subscripts, ``getattr`` names, tuples of keys …) equal to a column key, storage column or
interchange key of any table. Docstrings, regular-expression group names and subcommand names are
skipped, and so is each declaration listed in ``DECLARED``: a word of another vocabulary (a grid
cell's kind, a value's kind) that happens to equal a column key, declared once under a name in the
module that owns that vocabulary. Nothing else may spell a column key.
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

# Words of another vocabulary that are also a column key, each declared once under a name in the
# module that owns the vocabulary (code uses the name). The scan skips exactly the constant assigned
# to that name in that file; the same word spelled anywhere else, that file included, still fails.
DECLARED: dict[tuple[str, str], str] = {
    ("core/export/grid.py", "HEAD"): "a grid cell's kind: a header cell",
    ("core/export/grid.py", "RATE"): "a grid cell's kind: a printed percentage",
    ("core/export/grid.py", "SCORE"): "a grid cell's kind: a score",
    ("core/importers/readers.py", "PROPERTY_NAME"): "the attribute naming a custom document property",
    ("core/problems.py", "JSON_FIELDS"): "the fields of a problem in check --json (INTERCHANGE.md)",
    ("core/scoring.py", "BREAKDOWN"): "an indicator's scoring state: a 其中 row, not scored",
    ("core/templates.py", "REGION_NAME"): "the template file's key of the region's display name",
    ("core/values.py", "Kind.DATE"): "a kind of written value: a date (年底, 6月底 …)",
    ("gui/navigation.py", "SCORE_NODE"): "a navigation tree node: a form's 评分表",
}


def column_keys() -> set[str]:
    keys = set()
    for t in schema.Table:
        for c in schema.columns(t) + schema.COMPUTED.get(t, ()):
            keys |= {c.key, c.storage, c.interchange}
    return keys - {""} - set(OTHER_VOCABULARY)


def declared_constants(tree: ast.Module, rel: str) -> dict[str, list[ast.Constant]]:
    """Return the string constants ``DECLARED`` names in this module, by name.

    A name is a module-level target (``SCORE = "score"``, also ``A, SCORE = "a", "score"``) or a
    class-level one, qualified by its class (``Kind.DATE``); all constants of its value count.
    """
    wanted = {name for (file, name) in DECLARED if file == rel}
    found: dict[str, list[ast.Constant]] = {}

    def strings(node: ast.AST) -> list[ast.Constant]:
        return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for stmt in body:
            if isinstance(stmt, ast.ClassDef):
                visit(stmt.body, f"{prefix}{stmt.name}.")
            targets: list[ast.expr] = []
            if isinstance(stmt, ast.Assign):
                targets = stmt.targets
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets = [stmt.target]
            value = getattr(stmt, "value", None)
            for target in targets:
                pairs: list[tuple[ast.expr, ast.AST]] = []
                if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                    pairs = list(zip(target.elts, value.elts))
                elif value is not None:
                    pairs = [(target, value)]
                for t, v in pairs:
                    if isinstance(t, ast.Name) and prefix + t.id in wanted:
                        found[prefix + t.id] = strings(v)

    visit(tree.body, "")
    return found


def literals(source: str, keys: set[str], rel: str = "") -> list[tuple[int, str]]:
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
    # A regular expression's group name (``match.group("unit")``) names a part of a pattern, and a
    # subcommand's name (``sub.add_parser("score")``) is a word of the command line.
    other_words = {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        for i, arg in enumerate(node.args)
        if node.func.attr == "group" or node.func.attr == "add_parser" and i == 0
    }
    declared = {id(c) for consts in declared_constants(tree, rel).values() for c in consts}
    skip = docstrings | other_words | declared
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
        hits = literals((ROOT / rel).read_text(encoding="utf-8"), keys, rel)
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
    sub.add_parser("score", help="score")  # nor is a subcommand's name (its help text would be)
    if row.get("deviation_note"):
        return {"executed": 1}, ("level2", "weight"), row.actual, "不是键"
'''
    words = [w for _, w in literals(source, column_keys())]
    assert words == ["initial", "review_score", "score", "deviation_note", "executed", "level2", "weight"]


def test_a_declared_word_is_skipped_only_where_it_is_declared() -> None:
    """``DECLARED`` exempts one assignment in one file, not the word: the same word spelled in that
    file outside the declaration, a column key assigned to a name nobody declared, or the declared
    name in another file are all caught."""
    source = """
HEAD, MONEY, RATE = "head", "money", "rate"
NOTE = "deviation_note"
class Kind:
    DATE = "date"
def f(cell):
    return cell.kind == "rate" or cell.get("date")
"""
    keys = column_keys()
    # In grid.py HEAD and RATE are declared; the comparison on line 7 and Kind.DATE are not.
    assert literals(source, keys, "core/export/grid.py") == [
        (3, "deviation_note"),
        (5, "date"),
        (7, "date"),
        (7, "rate"),
    ]
    # In values.py Kind.DATE is declared; grid.py's names are not.
    assert literals(source, keys, "core/values.py") == [
        (2, "head"),
        (2, "rate"),
        (3, "deviation_note"),
        (7, "date"),
        (7, "rate"),
    ]
    # Anywhere else nothing is.
    assert literals(source, keys, "gui/editors/form_editor.py") == [
        (2, "head"),
        (2, "rate"),
        (3, "deviation_note"),
        (5, "date"),
        (7, "date"),
        (7, "rate"),
    ]


def test_no_column_key_literal_outside_the_schema() -> None:
    found = {rel: [f"{line}: {word}" for line, word in hits] for rel, hits in scan().items()}
    assert not found, (
        "name these columns through core.schema (schema.IND.level1, a Column, a declared flag) "
        f"instead of a string, or — a word of another vocabulary — declare it once (DECLARED): {found}"
    )


@pytest.mark.parametrize(("rel", "name"), sorted(DECLARED))
def test_each_declared_word_is_a_column_key_where_it_is_said_to_be(rel: str, name: str) -> None:
    """A declaration listed here exists and still holds a column key (no stale exemptions)."""
    tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
    consts = declared_constants(tree, rel).get(name)
    assert consts, f"{rel}: no assignment to {name}"
    assert {c.value for c in consts} & column_keys(), f"{rel}: {name} holds no column key"


@pytest.mark.parametrize("rel", sorted(DECLARING))
def test_the_declaring_files_exist(rel: str) -> None:
    assert (ROOT / rel).is_file()


if __name__ == "__main__":  # print what the scan finds: python3 -m tests.test_no_column_literals
    counts = Counter({rel: len(hits) for rel, hits in scan().items()})
    print(sum(counts.values()))
    for rel, n in sorted(counts.items()):
        print(f'    "{rel}": {n},')
