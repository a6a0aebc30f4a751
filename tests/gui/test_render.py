"""Render the main window with the sample report to PNG: not blank, Chinese in a font that has it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontInfo, QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.navigation import PROJECT_NODE
from tests.gui.window_helpers import make_window

SIZE = (1366, 728)  # a 1366×768 screen less the Windows taskbar


def distinct_colours(image: QImage, step: int = 7) -> int:
    colours = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
    return len(colours)


def test_main_window_renders_the_sample_report(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: None))
    window = make_window(qtbot)
    window.resize(*SIZE)
    assert window.files.open_sample()
    window.tree.select_node(PROJECT_NODE, window.ctx.doc.report.projects[1].uid)
    QApplication.processEvents()
    png = tmp_path / "window.png"
    assert window.grab().save(str(png))
    image = QImage(str(png))
    assert (image.width(), image.height()) == SIZE
    assert distinct_colours(image) > 20, "the window should not be blank"


def test_ui_font_has_every_chinese_character_the_window_shows(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: None))
    window = make_window(qtbot)
    assert window.files.open_sample()
    font = QApplication.font()
    assert "CJK" in QFontInfo(font).family() or "YaHei" in QFontInfo(font).family()
    metrics = QFontMetrics(font)
    texts = [item.text() for item in window.tree.nav_model.items()]
    texts += [window.problems.model.index(r, 3).data() for r in range(window.problems.model.rowCount())]
    missing = {ch for text in texts for ch in text if ord(ch) > 0x2E80 and not metrics.inFontUcs4(ord(ch))}
    assert not missing, f"characters drawn as boxes: {''.join(sorted(missing))}"


def test_headers_fit_their_columns(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: None))
    window = make_window(qtbot)
    window.resize(*SIZE)
    assert window.files.open_sample()
    window.tree.select_node(PROJECT_NODE, window.ctx.doc.report.projects[0].uid)
    QApplication.processEvents()
    clipped = []
    for name in ("fundGrid", "indicatorGrid"):
        from tests.gui.window_helpers import grid

        view = grid(window, name)
        header = view.horizontalHeader()
        metrics = QFontMetrics(header.font())
        for col in range(view.model().columnCount()):
            title = str(view.model().headerData(col, header.orientation()) or "")
            longest = max((metrics.horizontalAdvance(line) for line in title.split("\n")), default=0)
            if header.sectionSize(col) < longest + 8 and "\n" not in title and len(title) <= 6:
                clipped.append(title)
    assert not clipped, f"headers clipped: {clipped}"
