"""An unexpected error shows a Chinese message (no traceback) and is logged to a file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


def test_unexpected_error_is_logged_and_explained(
    qapp, monkeypatch: pytest.MonkeyPatch, _private_data_dir: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from gui.app import install_crash_handler

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_crash_handler()
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    assert len(shown) == 1
    assert "不会丢失" in shown[0] and "Traceback" not in shown[0]
    log = (_private_data_dir / "错误日志.txt").read_text(encoding="utf-8")
    assert "ZeroDivisionError: boom" in log
