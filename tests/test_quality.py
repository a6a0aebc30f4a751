"""Lint and types are part of the tests: ruff (lint + format) everywhere, mypy --strict on core/ and gui/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["core", "gui", "main.py", "tests", "benchmarks", "installer"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed (pip install -e .[dev])")
def test_ruff_lint_is_clean() -> None:
    out = _run("ruff", "check", *TARGETS)
    assert out.returncode == 0, out.stdout[-3000:]


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed (pip install -e .[dev])")
def test_ruff_format_is_clean() -> None:
    out = _run("ruff", "format", "--check", *TARGETS)
    assert out.returncode == 0, out.stdout[-3000:]


def test_mypy_strict_on_core_is_clean() -> None:
    pytest.importorskip("mypy")
    out = _run(sys.executable, "-m", "mypy")
    assert out.returncode == 0, out.stdout[-3000:]


def test_mypy_strict_on_gui_is_clean() -> None:
    """The GUI's seams are typed (AppContext, Change, GridModel), not guessed with hasattr."""
    pytest.importorskip("mypy")
    out = _run(sys.executable, "-m", "mypy", "--strict", "gui")
    assert out.returncode == 0, out.stdout[-3000:]
