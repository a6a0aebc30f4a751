"""Issue #15 item 8 through the real start: ``main.main([])`` as ``python main.py`` runs it, in a
process of its own with a fresh user-data folder. The first start opens the sample with a banner
that says its flags are the original report's own mistakes; the next start opens the report used
last; with that report gone, the sample does not come back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SeedFile = Callable[[str], Path]

# Runs main.main([]) unchanged; FileOps.open_last (what the start calls once the shell has painted)
# is wrapped only to look at the window after it and then close it (as a user would: × ends the run).
DRIVER = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel
import main
from gui import settings
from gui.file_ops import FileOps

seen = {}
real_open_last = FileOps.open_last

def open_last(self, check_later=False):
    opened = real_open_last(self, check_later)
    window = self.window

    def look():
        doc = window.ctx.doc
        banner = window.findChild(QLabel, "sampleBanner")
        seen.update(
            opened=opened,
            path=str(doc.path) if doc is not None else None,
            banner=banner.isVisible(),
            banner_text=banner.text(),
            recent=[str(p) for p in settings.recent_files()],
        )
        if len(sys.argv) > 1:  # she opens her own report (打开 in the menu does this)
            window.files.open_path(Path(sys.argv[1]))
            seen["banner_after_own"] = banner.isVisible()
        window.close()

    QTimer.singleShot(0, look)
    return opened

FileOps.open_last = open_last
code = main.main([])
print("SEEN " + json.dumps(seen, ensure_ascii=False), flush=True)
sys.exit(code)
"""


def start(data_dir: Path, *args: Path) -> dict[str, Any]:
    env = {**os.environ, "ZIPING_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", DRIVER, *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    line = next(x for x in out.stdout.splitlines() if x.startswith("SEEN "))
    return dict(json.loads(line[5:]))


def test_the_real_start_opens_the_sample_once_then_her_last_report(
    tmp_path: Path, seed_zpdb: SeedFile
) -> None:
    data = tmp_path / "userdata"
    data.mkdir()
    own = seed_zpdb("seed001_guangyuan")

    first = start(data, own)
    assert first["opened"] and first["path"] is not None
    assert Path(first["path"]).parent == data, "the sample: the user's own copy in the data folder"
    assert first["banner"], "the sample says what its flags are"
    assert "示例报告" in first["banner_text"] and "原报告自身的问题" in first["banner_text"]
    assert first["recent"] == [], "the sample stays out of 最近打开"
    assert first["banner_after_own"] is False, "her own report shows no banner"

    second = start(data)
    assert second["opened"] and Path(second["path"]).resolve() == own.resolve()
    assert not second["banner"]
    assert [Path(p).resolve() for p in second["recent"]] == [own.resolve()]

    own.unlink()
    third = start(data)
    assert not third["opened"] and third["path"] is None, "no report left: blank, not the sample again"
    assert not third["banner"]
