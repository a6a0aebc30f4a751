"""Charts drawn offscreen are real PNGs with the data's bars, and the Word export embeds them."""

from __future__ import annotations

from pathlib import Path

import docx

from PySide6.QtGui import QColor, QImage

from core.export.docx import write_docx
from core.interchange import read_json_file
from core.templates import get_template
from gui.charts import BUDGET, EXECUTED, budget_vs_executed_png, report_charts, spending_structure_png
from tests.conftest import FIXTURES


def _image(png: bytes) -> QImage:
    image = QImage()
    assert image.loadFromData(png, "PNG")
    return image


def _has_colour(image: QImage, colour: QColor) -> bool:
    return any(
        image.pixelColor(x, y) == colour
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
    )


def test_budget_vs_executed_draws_both_bars(qapp) -> None:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    image = _image(budget_vs_executed_png(report, get_template(report.template), 800, 450))
    assert (image.width(), image.height()) == (800, 450)
    assert _has_colour(image, BUDGET) and _has_colour(image, EXECUTED)


def test_spending_structure_and_embedding(qapp, tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    assert _image(spending_structure_png(report, get_template(report.template))).width() == 1600
    charts = report_charts(report, get_template(report.template))
    assert set(charts) == {"budget_vs_executed", "spending_structure"}
    write_docx(report, tmp_path / "r.docx", charts=charts, template=get_template(report.template))
    doc = docx.Document(str(tmp_path / "r.docx"))
    assert len(doc.inline_shapes) == 2
    assert any(p.text.startswith("图1") for p in doc.paragraphs)


def test_every_slice_of_seed001s_pie_has_its_own_colour(qapp) -> None:
    """Seed 001 has 24 projects: the pie shows 8 slices, and no two legend swatches share a colour."""
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    image = _image(spending_structure_png(report, get_template(report.template)))
    swatches = {image.pixelColor(895, 155 + i * 70).name() for i in range(8)}
    assert len(swatches) == 8 and "#ffffff" not in swatches
