"""core/ stays plain Python: no Qt import anywhere in it, no network module either."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"
FORBIDDEN = ("PySide6", "shiboken6", "socket", "urllib.request", "http.client", "requests")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_core_imports_no_qt_and_no_network() -> None:
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 10
    bad = [
        (f.relative_to(CORE), n)
        for f in files
        for n in _imports(f)
        if any(n == x or n.startswith(x + ".") for x in FORBIDDEN)
    ]
    assert bad == []
