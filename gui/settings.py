"""User settings kept in a small JSON file in the user-data folder: the recent files list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.paths import user_data_dir

MAX_RECENT = 10


def settings_path() -> Path:
    return user_data_dir() / "settings.json"


def load() -> dict[str, Any]:
    """Return the saved settings, or empty ones when the file is missing or unreadable."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(data: dict[str, Any]) -> None:
    """Write the settings atomically (a half-written file would lose the list)."""
    path = settings_path()
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def recent_files() -> list[Path]:
    """Return the recently opened reports that still exist, newest first."""
    items = load().get("recent", [])
    return [Path(p) for p in items if isinstance(p, str) and Path(p).exists()]


def add_recent(path: Path | str) -> None:
    """Put ``path`` first in the recent files list."""
    data = load()
    text = str(Path(path).resolve())
    items = [p for p in data.get("recent", []) if isinstance(p, str) and p != text]
    data["recent"] = [text, *items][:MAX_RECENT]
    save(data)


def get(key: str, default: Any = None) -> Any:
    return load().get(key, default)


def put(key: str, value: Any) -> None:
    data = load()
    data[key] = value
    save(data)
