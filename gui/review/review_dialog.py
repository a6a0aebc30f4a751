"""复核: 复核得分 and 复核意见 per indicator and score-sheet row, kept in the bureau's review file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.model import INDICATORS, SCORE_SHEET
from core.numbers import fmt
from core.report import InputError
from core.review.reviewfile import ReviewFile, default_review_path
from core.review.sample import load_any
from core.scoring import score_form

HEADERS = (
    "表",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "实际完成值",
    "分值",
    "自评得分",
    "复核得分",
    "复核意见",
)
SCORE_COL, NOTE_COL = 8, 9


def open_review(source: Path, parent: QWidget | None = None) -> ReviewFile:
    """Open the bureau's review file of ``source``'s department and year, creating it the first time.
    When the department has since sent its report again (corrected), the reviewer chooses: start over
    on the new report (the old review file kept aside, its marks in it) or go on with the old one."""
    report = load_any(source)
    target = default_review_path(report.department, report.year)
    if not target.exists():
        return ReviewFile.create(source, target)
    review = ReviewFile.open(target)
    try:
        changed = review.differs_from(source)
    except Exception:
        review.close()
        raise
    if not changed:
        return review
    started = review.meta.get("started", "").replace("T", " ")
    answer = QMessageBox.question(
        parent,
        "复核",
        f"{report.year}年度{report.department}的报告在开始复核（{started}）后又报送过，"
        f"“{source.name}”与复核中的报告不同。\n\n"
        "按新报告重新开始复核吗？原复核文件（含已填的复核得分和意见）另行保留。\n"
        "选“否”则继续复核原来的报告。",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return review
    review.set_aside()
    return ReviewFile.create(source, target)


class ReviewTable(QTableWidget):
    """The 复核 table: Tab goes along the rows, cell by cell, as Qt's; from the last cell (Shift+Tab:
    the first) on to the next (previous) widget — Qt's went round its cells for ever, and the
    buttons below were out of Tab's reach (#15: every action by keyboard)."""

    def finish_editing(self) -> None:
        """Commit the cell being typed in (as Enter would) and close its editor."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.indexWidget(self.currentIndex())  # the open editor of the current cell
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def focusNextPrevChild(self, next: bool) -> bool:
        current = self.currentIndex()
        at, last = (current.row(), current.column()), (self.rowCount() - 1, self.columnCount() - 1)
        if not current.isValid() or (at >= last if next else at <= (0, 0)):
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)


class ReviewDialog(QDialog):
    def __init__(self, source: Path, form_index: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDialog")
        self.review = open_review(source, parent)
        report = self.review.report
        self.setWindowTitle(f"复核 — {report.year}年度{report.department}")
        self.resize(1200, 640)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.forms = QComboBox(self)
        for form in report.forms:
            self.forms.addItem(form.name)
        top.addWidget(QLabel("表：", self))
        top.addWidget(self.forms, 1)
        layout.addLayout(top)
        self.table = ReviewTable(0, len(HEADERS), self)
        self.table.setObjectName("reviewTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        for col, width in enumerate((60, 90, 110, 200, 110, 110, 50, 70, 70, 260)):
            self.table.setColumnWidth(col, width)
        layout.addWidget(self.table, 1)
        self.quality = QLabel(self)
        self.quality.setObjectName("reviewQuality")
        layout.addWidget(self.quality)
        buttons = QHBoxLayout()
        for text, slot in (
            ("导出复核结果…", self.export_result),
            ("导出带复核列的表格…", self.export_forms),
            ("关闭", self.accept),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.keys: list[tuple[str, int]] = []
        self._loading = False
        self._closed = False
        self.forms.currentIndexChanged.connect(self.show_form)
        self.table.itemChanged.connect(self.item_changed)
        self.forms.setCurrentIndex(max(0, min(form_index, len(report.forms) - 1)))
        self.show_form(self.forms.currentIndex())

    def show_form(self, index: int) -> None:
        report = self.review.report
        form = report.forms[index]
        scores = score_form(report, form, self.review.doc.template)
        self._loading = True
        self.keys = []
        lines: list[tuple[str, list[str]]] = []
        for r, ind in enumerate(form.indicators):
            if ind.is_blank_row():
                continue
            self.keys.append((INDICATORS, r))
            own = fmt(scores.indicators[r].score)
            lines.append(
                ("指标", [ind.level1, ind.level2, ind.level3, ind.target, ind.actual, ind.weight, own])
            )
        for r, item in enumerate(form.score_sheet):
            self.keys.append((SCORE_SHEET, r))
            suggested = scores.score_sheet[r].suggested if r < len(scores.score_sheet) else None
            own = item.self_score or fmt(suggested)
            levels = [*item.path, "", "", ""][:3]
            lines.append(("评分表", [*levels, "", "", item.weight, own]))
        self.table.setRowCount(len(lines))
        for row, ((label, cells), (table, r)) in enumerate(zip(lines, self.keys, strict=True)):
            score, note = self.review.mark(index, table, r)
            for col, text in enumerate([label, *cells, score, note]):
                cell = QTableWidgetItem(text)
                if col not in (SCORE_COL, NOTE_COL):
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, cell)
        self._loading = False
        self.update_quality()

    def item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading or self._closed or item.column() not in (SCORE_COL, NOTE_COL):
            return
        table, r = self.keys[item.row()]
        form = self.forms.currentIndex()
        try:
            if item.column() == SCORE_COL:
                self.review.set_mark(form, table, r, score=item.text())
            else:
                self.review.set_mark(form, table, r, note=item.text())
        except InputError as exc:
            QMessageBox.warning(self, "复核", str(exc))
            self._loading = True
            item.setText(self.review.mark(form, table, r)[0])
            self._loading = False
            return
        self.update_quality()

    def update_quality(self) -> None:
        q = self.review.quality()[self.forms.currentIndex()]
        self.quality.setText(f"自评质量：{q.why()}；自评质量得分 {fmt(q.quality)}")

    def export_result(self) -> None:
        from core.review.results import write_review_result

        path, _ = QFileDialog.getSaveFileName(self, "导出复核结果", "复核结果.xlsx", "Excel (*.xlsx)")
        if path:
            write_review_result(self.review, Path(path))

    def export_forms(self) -> None:
        from core.review.results import write_forms_with_review

        path, _ = QFileDialog.getSaveFileName(self, "导出带复核列的表格", "复核表格.xlsx", "Excel (*.xlsx)")
        if path:
            write_forms_with_review(self.review, Path(path))

    def done(self, result: int) -> None:
        """Closed (关闭, Esc, the window's ×): a score still being typed is kept first, as Enter
        would keep it — it was committed after the review file had closed (a traceback, the score lost)."""
        if not self._closed:
            self.table.finish_editing()
            self._closed = True
            self.review.close()
        super().done(result)
