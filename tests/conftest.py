"""Test set-up shared by core and GUI tests: offscreen Qt, a private data folder."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from gui import qt_enums  # noqa: E402

qt_enums.install()  # the suite runs on Qt's enums made as the window's start makes them


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give every test its own user-data folder (backups, settings)."""
    path = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("ZIPING_DATA_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def _no_mouse_button_left_held() -> Iterator[None]:
    """No test may end with a mouse button held: QApplication.mouseButtons() is the application's,
    and stays so for every later test (QTest's mouseDClick sends the double click alone, never the
    release: after test_window, the grids' headers left their painting to Qt — a button held — and
    test_header_paint failed when run after it)."""
    yield
    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets is not None else None
    if app is None:
        return
    held = app.mouseButtons()
    if held != sys.modules["PySide6.QtCore"].Qt.MouseButton.NoButton:
        from PySide6.QtTest import QTest

        spare = widgets.QWidget()
        QTest.mouseRelease(spare, held)  # (let go, so that only the test that held it fails)
        spare.deleteLater()
        pytest.fail(f"the test ended with a mouse button held ({held}): release it (QTest.mouseRelease)")


@pytest.fixture(autouse=True)
def _no_modifier_key_left_held() -> Iterator[None]:
    """Each test starts with no modifier key held. QApplication.keyboardModifiers() is the last key
    event's, and QTest's keyClick(key, Shift) ends with the release of Shift sent WITH Shift, so
    after any test whose last key was Shift+something the application thinks Shift is held: a
    later test's selectRow then extends a selection instead of making one (test_import_dialog's
    two preview tests failed after test_tab_round's Shift+Tab). Not a test's fault, so let go of
    it here rather than fail."""
    yield
    widgets = sys.modules.get("PySide6.QtWidgets")
    app = widgets.QApplication.instance() if widgets is not None else None
    if app is None:
        return
    qt = sys.modules["PySide6.QtCore"].Qt
    if app.keyboardModifiers() != qt.KeyboardModifier.NoModifier:
        from PySide6.QtTest import QTest

        spare = widgets.QWidget()
        QTest.keyRelease(spare, qt.Key.Key_Shift)  # (a key event with no modifier held)
        spare.deleteLater()
        assert app.keyboardModifiers() == qt.KeyboardModifier.NoModifier


@pytest.fixture(scope="session")
def _seed_cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {}


@pytest.fixture
def seed_zpdb(tmp_path: Path, _seed_cache: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    """Return a function that gives a fresh .zpdb copy of a seed fixture (imported once per session)."""
    from core.interchange import read_json_file
    from core.report import Document

    def make(name: str) -> Path:
        if name not in _seed_cache:
            src = tmp_path_factory.mktemp("seeds") / f"{name}.zpdb"
            Document.create(src, read_json_file(FIXTURES / f"{name}.json")).close()
            _seed_cache[name] = src
        dst = tmp_path / f"{name}.zpdb"
        shutil.copyfile(_seed_cache[name], dst)
        return dst

    return make


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same seed exported by ZiPing as its Word report: the file the Word import tests change."""
    from core.export.docx import write_docx
    from core.templates import get_template
    from tests.core.test_import_variants import SEED

    path = tmp_path_factory.mktemp("seed") / "seed004.docx"
    write_docx(SEED, path, template=get_template(SEED.template))
    return path


@pytest.fixture(scope="module")
def seed_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 益阳 seed (tests/fixtures/seed004_yiyang.json) exported by ZiPing as its 附件 workbook: the
    file the import tests change as offices do and read back."""
    from core.export.xlsx import write_xlsx
    from core.templates import get_template
    from tests.core.test_import_variants import SEED

    path = tmp_path_factory.mktemp("seed") / "seed004.xlsx"
    write_xlsx(SEED, path, template=get_template(SEED.template))
    return path
