"""Export a report: the Excel attachments (xlsx.py) and the Word report (docx.py).

Both render the same grids built by ``layout.py`` from the region template, so the
Excel sheets and the Word tables have the same cells and the same merges.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

Progress = Callable[[int, int, str], bool]


class ExportCancelled(Exception):
    """The user cancelled an export; no file was written."""


class ExportTargetLocked(PermissionError):
    """The target file is open in another program (Excel, WPS) and cannot be replaced."""


def report_progress(progress: Progress | None, done: int, total: int, label: str) -> None:
    """Tell the caller how far the export is; raise ExportCancelled when it answers False."""
    if progress is not None and progress(done, total, label) is False:
        raise ExportCancelled("导出已取消")


def save_atomically(path: Path, save: Callable[[Path], None]) -> None:
    """Save through a temporary file beside ``path`` and rename it; never leave a half file."""
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp{path.suffix}")
    try:
        save(tmp)
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise ExportTargetLocked(
                f"无法写入“{path.name}”：文件可能正在 Excel 或 WPS 中打开，请关闭后重试。"
            ) from exc
    finally:
        tmp.unlink(missing_ok=True)
