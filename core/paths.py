"""Where things live: shipped resources (frozen or from source) and the user's data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "ZiPing"
APP_AUTHOR = "ZiPing"
# Resolved once: get_template asks for the templates folder per report opened (the review list opens
# a thousand); resolving the path each time cost half a millisecond a report.
_SOURCE_RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resources_dir() -> Path:
    """Return the folder of shipped resources, from source or inside a PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return _SOURCE_RESOURCES


def templates_dir() -> Path:
    return resources_dir() / "templates"


def sample_report_path() -> Path:
    return resources_dir() / "sample" / "sample.json"


def user_data_dir() -> Path:
    """Return (and create) the per-user data folder; ZIPING_DATA_DIR overrides it (tests)."""
    override = os.environ.get("ZIPING_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir as _udd

        path = Path(_udd(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def backups_dir() -> Path:
    path = user_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
