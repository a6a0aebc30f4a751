"""Tracebacks go to the log file in the data folder, never to the user (who gets one Chinese sentence)."""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

LOG_NAME = "错误日志.txt"


def log_path() -> Path | None:
    """The log file, or None when the data folder cannot be made (then nothing is logged)."""
    try:
        from core.paths import user_data_dir

        return user_data_dir() / LOG_NAME
    except OSError:
        return None


def log_exception(exc: BaseException, context: str = "") -> None:
    """Append ``exc`` with its traceback to the log; never raises."""
    path = log_path()
    if path is None:
        return
    try:
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"\n==== {datetime.now():%Y-%m-%d %H:%M:%S} pid {os.getpid()} {context} ====\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        pass
