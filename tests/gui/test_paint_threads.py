"""Issue 15, first paint: ZiPing's Qt paints on the GUI thread alone (``gui.app.create_app``), without the
pool of threads Qt would start for a large fill (waking and waiting for them cost more than they save)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import os, sys
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter
from gui.app import create_app
create_app([])
if sys.argv[-1] == "control":  # what Qt does untold: the pool, on a machine that gives it threads
    os.environ.pop("QT_NO_GUI_THREADPOOL")
image = QImage(800, 800, QImage.Format.Format_ARGB32_Premultiplied)
painter = QPainter(image)
painter.fillRect(QRect(0, 0, 800, 800), QColor(0, 0, 0, 100))  # 800 lines: Qt would split it
painter.end()
print(sum("pooled" in open(f"/proc/self/task/{t}/comm").read() for t in os.listdir("/proc/self/task")))
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads are listed by Linux's /proc")
def test_a_large_fill_starts_no_paint_threads() -> None:
    env = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    env["QT_QPA_PLATFORM"] = "offscreen"

    def pooled(*args: str) -> int:
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT, *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=60,
        )
        assert out.returncode == 0, out.stderr
        return int(out.stdout.split()[-1])

    if pooled("control") == 0:  # (one core: Qt starts no pool anyway, so this test could not fail)
        pytest.skip("Qt starts no paint threads on this machine even when not told otherwise")
    assert pooled() == 0  # Qt's own pool, unless told otherwise, started 2 here
