"""文件 → 生成报送包…: seal the open report into a submission package."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox

from core.report import Document


def suggested_name(doc: Document) -> str:
    report = doc.report
    return f"{report.year}年度{report.department or '部门'}绩效自评报送包.zip"


def package_document(doc: Document, target: Path) -> dict[str, object]:
    """Seal ``doc`` into ``target``: a consistent copy (backup API) first, never the open file itself."""
    from core.review.package import make_package

    with tempfile.TemporaryDirectory(prefix="ziping-seal-") as tmp:
        copy = Path(tmp) / doc.path.name
        doc.save_as(copy)
        return make_package(copy, target)


def ask_and_package(window: QMainWindow, doc: Document | None) -> Path | None:
    if doc is None:
        return None
    start = str(doc.path.with_name(suggested_name(doc)))
    path, _ = QFileDialog.getSaveFileName(window, "生成报送包", start, "报送包 (*.zip)")
    if not path:
        return None
    target = Path(path if path.lower().endswith(".zip") else path + ".zip")
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        manifest = package_document(doc, target)
    except Exception as exc:  # noqa: BLE001 - shown as one sentence
        QMessageBox.warning(window, "生成报送包", f"无法生成报送包：{exc}")
        return None
    finally:
        QApplication.restoreOverrideCursor()
    problems = manifest.get("problems", {})
    errors = problems.get("error", 0) if isinstance(problems, dict) else 0
    tail = f"；报告中还有 {errors} 个错误，建议改正后重新生成" if errors else ""
    window.statusBar().showMessage(f"已生成报送包 {target.name}{tail}", 10000)
    return target
