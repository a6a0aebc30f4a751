"""PySide6's own Python code comes compiled from the last start (core.compilecache)."""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core import compilecache

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "limit: int = 3\ndef twice(x: 'int') -> int:\n    return 2 * x\nvalue = twice(limit)\n"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    _new_process()
    yield tmp_path
    _new_process()


def _new_process() -> None:
    """What a new process has: only the file."""
    compilecache._code.clear()
    compilecache._used.clear()
    compilecache._ages.clear()
    compilecache._path.clear()
    compilecache._state.update(unsaved=False, aged=False)


def _plain_caller() -> Any:
    """A function of a module without ``from __future__ import annotations`` that calls ``compile``."""
    namespace: dict[str, Any] = {}
    helper = "def call(source, name):\n    return compile(source, name, 'exec')\n"
    exec(builtins.compile(helper, "plain_module", "exec", dont_inherit=True), namespace)
    return namespace["call"]


def test_the_kept_code_is_the_code_compile_makes_for_the_same_caller(cache: Path) -> None:
    plain = _plain_caller()
    own = (compile(SOURCE, "mine.py", "exec"), plain(SOURCE, "mine.py"))  # this module's futures, and none
    assert own[0] != own[1]  # ``from __future__ import annotations`` makes other code
    for start in range(2):  # the first start compiles and keeps, the second takes from the file
        with compilecache.kept(cache):
            made = (compile(SOURCE, "mine.py", "exec"), plain(SOURCE, "mine.py"))
        assert made == own
        assert compilecache.made["kept" if start else "compiled"] >= 2
        namespace: dict[str, Any] = {}
        exec(made[0], namespace)
        assert namespace["value"] == 6 and namespace["__annotations__"] == {"limit": "int"}
        compilecache.save()
        _new_process()
    assert builtins.compile is compile  # given back after the block


def test_other_source_under_the_same_name_is_compiled_not_taken(cache: Path) -> None:
    with compilecache.kept(cache):
        compile(SOURCE, "mine.py", "exec")
    compilecache.save()
    _new_process()
    changed = SOURCE.replace("2 * x", "3 * x")
    with compilecache.kept(cache):
        code = compile(changed, "mine.py", "exec")
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    assert namespace["value"] == 9


def test_calls_of_their_own_kind_are_compiled_as_before(cache: Path) -> None:
    before = dict(compilecache.made)
    with compilecache.kept(cache):
        assert eval(compile("1 + 2", "e", "eval")) == 3
        compile(SOURCE, "mine.py", "exec", dont_inherit=True)  # the import system's own
        compile(SOURCE, "mine.py", "exec", optimize=2)
        compile("x = 1", "mine.py", "exec", flags=0x400)  # PyCF_ONLY_AST
    assert compilecache.made == before and not compilecache._code


@pytest.mark.parametrize("content", [b"", b"not marshal", b"\xe9\x00\x00\x00\x00"])
def test_a_damaged_or_foreign_file_means_compiling_as_before(cache: Path, content: bytes) -> None:
    with compilecache.kept(cache):
        compile(SOURCE, "mine.py", "exec")
    compilecache.save()
    for path in cache.iterdir():
        path.write_bytes(content)
    _new_process()
    with compilecache.kept(cache):
        code = compile(SOURCE, "mine.py", "exec")
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    assert namespace["value"] == 6 and compilecache._state["unsaved"]


def test_the_second_start_takes_pyside6s_own_code_from_the_file(tmp_path: Path) -> None:
    """As main.py starts: the first start compiles PySide6's zipped Python files and keeps them; the
    next takes every one from the file, and PySide6's signature support works (its message for
    wrong arguments lists the signatures)."""
    script = (
        "import sys, main\n"
        "from pathlib import Path\n"
        "main.prepare_qt(Path(sys.argv[1]))\n"
        "from core import compilecache\n"
        "from PySide6.QtWidgets import QApplication, QWidget\n"
        "app = QApplication([])\n"
        "try:\n"
        "    QWidget().setGeometry('x')\n"
        "except TypeError as error:\n"
        "    said = str(error)\n"
        "main.save_kept()\n"
        "print(compilecache.made['compiled'], compilecache.made['kept'], 'Supported signatures' in said)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    first, second = (run.stdout.split() for run in runs)
    assert int(first[0]) > 10 and first[1:] == ["0", "True"]
    assert second == ["0", first[0], "True"]
