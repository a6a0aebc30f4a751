"""Draw ZiPing's icons (the program and its .zpdb files) as multi-size Windows .ico files.

Run once when the design changes: ``python installer/make_icons.py``; the .ico files are committed.
Drawn with QPainter shapes only, so the result does not depend on installed fonts.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256)
RED = QColor("#B7282E")
PAPER = QColor("#FFFFFF")
INK = QColor("#2F5597")

Painter = Callable[[QPainter, float], None]


def _check_mark(p: QPainter, s: float, x: float, y: float, w: float, colour: QColor) -> None:
    pen = QPen(
        colour, max(1.5, w * 0.16), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )
    p.setPen(pen)
    path = QPainterPath(QPointF(x, y + w * 0.5))
    path.lineTo(x + w * 0.38, y + w * 0.85)
    path.lineTo(x + w, y)
    p.drawPath(path)


def draw_app(p: QPainter, s: float) -> None:
    """Red rounded square, a white form with ruled lines and a check mark."""
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    p.drawRoundedRect(QRectF(0, 0, s, s), s * 0.18, s * 0.18)
    p.setBrush(PAPER)
    p.drawRoundedRect(QRectF(s * 0.22, s * 0.14, s * 0.56, s * 0.72), s * 0.05, s * 0.05)
    if s >= 32:
        p.setPen(QPen(QColor("#BFBFBF"), max(1.0, s / 48)))
        for i in range(3):
            y = s * (0.28 + 0.1 * i)
            p.drawLine(QPointF(s * 0.30, y), QPointF(s * 0.70, y))
    _check_mark(p, s, s * 0.35, s * 0.54, s * 0.30, RED)


def draw_document(p: QPainter, s: float) -> None:
    """A white page with a folded corner and a small red ZiPing badge (.zpdb files)."""
    fold = s * 0.22
    page = QPainterPath(QPointF(s * 0.16, s * 0.04))
    page.lineTo(s * 0.84 - fold, s * 0.04)
    page.lineTo(s * 0.84, s * 0.04 + fold)
    page.lineTo(s * 0.84, s * 0.96)
    page.lineTo(s * 0.16, s * 0.96)
    page.closeSubpath()
    p.setPen(QPen(QColor("#7F7F7F"), max(1.0, s / 64)))
    p.setBrush(PAPER)
    p.drawPath(page)
    p.setBrush(QColor("#D9D9D9"))
    p.drawPolygon(
        [
            QPointF(s * 0.84 - fold, s * 0.04),
            QPointF(s * 0.84 - fold, s * 0.04 + fold),
            QPointF(s * 0.84, s * 0.04 + fold),
        ]
    )
    if s >= 32:
        p.setPen(QPen(INK, max(1.0, s / 40)))
        for i in range(3):
            y = s * (0.34 + 0.09 * i)
            p.drawLine(QPointF(s * 0.26, y), QPointF(s * 0.74, y))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    p.drawRoundedRect(QRectF(s * 0.40, s * 0.58, s * 0.40, s * 0.34), s * 0.06, s * 0.06)
    _check_mark(p, s, s * 0.49, s * 0.64, s * 0.22, PAPER)


def render_png(draw: Painter, size: int) -> bytes:
    """Return ``draw`` at ``size``×``size`` pixels as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw(painter, float(size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """Pack PNG images into one .ico (Windows Vista+ reads PNG entries of any size)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images:
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def write_ico(draw: Painter, target: Path) -> None:
    target.write_bytes(ico_bytes([(size, render_png(draw, size)) for size in SIZES]))


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    write_ico(draw_app, HERE / "ziping.ico")
    write_ico(draw_document, HERE / "zpdb.ico")
    (HERE / "ziping.png").write_bytes(render_png(draw_app, 256))
    del app
    print(f"已生成 wrote {HERE / 'ziping.ico'}, {HERE / 'zpdb.ico'}, {HERE / 'ziping.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
