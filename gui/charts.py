"""Charts for the Word export, drawn with QPainter on an offscreen QImage and returned as PNG bytes."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

from core.model import Report
from core.numbers import ZERO, fmt_money, fmt_percent, try_amount
from core.templates import Template

BUDGET, EXECUTED = QColor("#5b8bd0"), QColor("#e08a3c")
# one colour per slice: the pie shows at most 8 (7 largest and 其他项目), none may share a colour
COLOURS = ("#5b8bd0", "#e08a3c", "#6aaa5f", "#c85a5a", "#8c72b8", "#b8a04a", "#4bb3b3", "#9a9a9a")
PALETTE = [QColor(c) for c in COLOURS]
FONT_FAMILIES = ["Microsoft YaHei", "SimSun", "Noto Sans CJK SC", "Noto Sans SC"]


def _app() -> None:
    if QGuiApplication.instance() is None:
        _app.keep = QGuiApplication([])  # type: ignore[attr-defined]


def _font(px: int, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILIES)
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def _png(image: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; PySide6 takes str only
    buf.close()
    return bytes(data.data())


def _canvas(width: int, height: int) -> tuple[QImage, QPainter]:
    _app()
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    return image, p


def project_amounts(report: Report, template: Template) -> list[tuple[str, Decimal, Decimal]]:
    """Return (project name, 全年预算数, 全年执行数) for every project (blank amounts as 0)."""
    out = []
    for form in report.projects:
        row = form.fund(template.form(form.kind).rate_row)
        annual = (try_amount(row.annual) if row else None) or ZERO
        executed = (try_amount(row.executed) if row else None) or ZERO
        out.append((form.name, annual, executed))
    return out


def budget_vs_executed_png(report: Report, template: Template, width: int = 1600, height: int = 900) -> bytes:
    """Draw 全年预算数 and 全年执行数 side by side for each project, with the 执行率 above."""
    data = project_amounts(report, template)
    image, p = _canvas(width, height)
    left, top, right, bottom = 110, 90, 30, 200
    plot = QRectF(left, top, width - left - right, height - top - bottom)
    peak = max([max(a, e) for _, a, e in data] + [Decimal(1)])
    p.setFont(_font(34, True))
    p.drawText(QRectF(0, 10, width, 60), Qt.AlignmentFlag.AlignCenter, "各项目全年预算数与全年执行数（万元）")
    _axes(p, plot, peak)
    slot = plot.width() / max(1, len(data))
    bar = slot * 0.36
    for i, (name, annual, executed) in enumerate(data):
        x = plot.left() + i * slot + slot * 0.14
        for j, (value, colour) in enumerate(((annual, BUDGET), (executed, EXECUTED))):
            h = float(value / peak) * plot.height()
            p.fillRect(QRectF(x + j * bar, plot.bottom() - h, bar, h), colour)
        _bar_label(p, QRectF(plot.left() + i * slot, plot.bottom() + 6, slot, bottom - 60), name, len(data))
        rate = fmt_percent(executed / annual) if annual else "—"
        p.setFont(_font(18 if len(data) <= 12 else 12))
        h = float(max(annual, executed) / peak) * plot.height()
        p.drawText(
            QRectF(plot.left() + i * slot, plot.bottom() - h - 28, slot, 26),
            Qt.AlignmentFlag.AlignCenter,
            rate,
        )
    _legend(p, width, height - 40, [("全年预算数", BUDGET), ("全年执行数", EXECUTED)])
    p.end()
    return _png(image)


def _axes(p: QPainter, plot: QRectF, peak: Decimal) -> None:
    p.setPen(QPen(QColor("#999999"), 1))
    p.setFont(_font(18))
    for k in range(6):
        y = plot.bottom() - plot.height() * k / 5
        p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        p.drawText(QRectF(0, y - 12, plot.left() - 10, 24), right, fmt_money(peak * k / 5))
    p.setPen(QPen(QColor("black"), 2))
    p.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()), int(plot.bottom()))


def _bar_label(p: QPainter, rect: QRectF, name: str, count: int) -> None:
    p.setPen(QColor("black"))
    p.setFont(_font(18 if count <= 8 else 13))
    text = name if len(name) <= 24 else name[:23] + "…"
    flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    p.drawText(rect, flags, text)


def _legend(p: QPainter, width: int, y: int, items: list[tuple[str, QColor]]) -> None:
    p.setFont(_font(20))
    x = width / 2 - 130 * len(items) / 2
    for text, colour in items:
        p.fillRect(QRectF(x, y, 24, 24), colour)
        p.setPen(QColor("black"))
        p.drawText(QRectF(x + 30, y - 4, 200, 32), Qt.AlignmentFlag.AlignVCenter, text)
        x += 160


def spending_parts(report: Report, template: Template) -> list[tuple[str, Decimal]]:
    """Return the 全年执行数 by kind (基本支出, 项目支出) when the overall form has them, else by project."""
    overall = report.overall
    parts = []
    if overall is not None:
        for key, name in (("basic", "基本支出"), ("project", "项目支出")):
            row = overall.fund(key)
            value = try_amount(row.executed) if row else None
            if value:
                parts.append((name, value))
    if len(parts) < 2:
        parts = [(name, executed) for name, _a, executed in project_amounts(report, template) if executed > 0]
    return parts


def spending_structure_png(report: Report, template: Template, width: int = 1600, height: int = 900) -> bytes:
    """Draw the spending structure as a pie with shares and amounts."""
    parts = sorted(spending_parts(report, template), key=lambda kv: kv[1], reverse=True)
    if len(parts) > 8:
        rest = sum((v for _, v in parts[7:]), ZERO)
        parts = parts[:7] + [("其他项目", rest)]
    image, p = _canvas(width, height)
    p.setFont(_font(34, True))
    p.drawText(QRectF(0, 10, width, 60), Qt.AlignmentFlag.AlignCenter, "支出结构（全年执行数，万元）")
    total = sum((v for _, v in parts), ZERO)
    pie = QRectF(80, 110, height - 180, height - 180)
    angle = 90 * 16
    for i, (name, value) in enumerate(parts):
        span = -round(float(value / total) * 360 * 16) if total else 0
        p.setBrush(PALETTE[i % len(PALETTE)])
        p.setPen(QPen(QColor("white"), 2))
        p.drawPie(pie, angle, span)
        angle += span
        y = 140 + i * 70
        p.fillRect(QRectF(pie.right() + 80, y, 30, 30), PALETTE[i % len(PALETTE)])
        p.setPen(QColor("black"))
        p.setFont(_font(24))
        share = fmt_percent(value / total) if total else "—"
        label = name if len(name) <= 22 else name[:21] + "…"
        p.drawText(
            QRectF(pie.right() + 125, y - 6, width - pie.right() - 140, 44),
            Qt.AlignmentFlag.AlignVCenter,
            f"{label}  {fmt_money(value)}（{share}）",
        )
    p.end()
    return _png(image)


def report_charts(report: Report, template: Template) -> dict[str, bytes]:
    """Return the charts the Word export embeds, by name; none when there is nothing to draw."""
    charts = {}
    if report.projects:
        charts["budget_vs_executed"] = budget_vs_executed_png(report, template)
    if spending_parts(report, template):
        charts["spending_structure"] = spending_structure_png(report, template)
    return charts
