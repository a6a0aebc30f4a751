"""The 汇总分析报告 editor: each section's prose editable, its figures shown filled as they will print.

A section starts with the template's draft (``{项目个数}``, ``{预警明细}`` … filled from the 汇总表 on
export); what the user types replaces the draft for that section and is kept in the report file.
Typing in one section is one undo step; clearing a section goes back to the draft.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from core.report import Document
from gui.commands import DocCommand

ANALYSIS = "analysis"
ANALYSIS_TYPING_ID = 4131
COMMIT_DELAY_MS = 400


class SetAnalysisCommand(DocCommand):
    """Set one section of the 汇总分析报告; consecutive typing in one section merges into one step."""

    def __init__(self, doc: Document, key: str, text: str) -> None:
        super().__init__(doc, "编辑汇总分析报告")
        self.key, self.new_text = key, text
        self.old = doc.report.analysis.get(key, "")

    def id(self) -> int:
        return ANALYSIS_TYPING_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetAnalysisCommand) or other.key != self.key:
            return False
        self.new_text = other.new_text
        return True

    def do(self) -> None:
        if self.doc.report.analysis.get(self.key, "") != self.new_text:
            self.doc.set_analysis(self.key, self.new_text)

    def undo_it(self) -> None:
        self.doc.set_analysis(self.key, self.old)


class AnalysisEditor(QScrollArea):
    """All sections of the 汇总分析报告 on one page (``analysisEditor``)."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("analysisEditor")
        # no Tab stop of its own (it shows no focus): Tab from the tree goes to the first field (#15), and
        # scrolls to it (main_window.tab_after); a click on the page's background takes the focus, as before
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setWidgetResizable(True)
        self.inner = QWidget(self)
        self.layout_ = QVBoxLayout(self.inner)
        self.setWidget(self.inner)
        self.edits: dict[str, QPlainTextEdit] = {}
        self.previews: dict[str, QLabel] = {}
        self.drafts: dict[str, str] = {}
        self._loading = False
        self._pending: set[str] = set()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COMMIT_DELAY_MS)
        self.timer.timeout.connect(self.commit)
        ctx.listen(self, self._on_change)

    def focus_chain(self) -> list[QWidget]:
        """The page's sections' texts, in the order Tab goes through them (made anew by each
        ``refresh``)."""
        return list(self.edits.values())

    def refresh(self) -> None:
        """Build the sections of the open report's template and fill them."""
        from core.export.analysis import analysis_labels

        self.commit()
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.edits.clear()
        self.previews.clear()
        doc = self.ctx.doc
        if doc is None:
            return
        lab = analysis_labels(doc.template)
        head = QLabel("自评结果汇总分析报告（数字由各表自动填写；清空一节即恢复模板草稿）", self.inner)
        head.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.layout_.addWidget(head)
        for section in lab["sections"]:
            key = str(section["key"])
            self.drafts[key] = str(section.get("draft", ""))
            title = QLabel(str(section["title"]), self.inner)
            title.setStyleSheet("font-weight: bold;")
            edit = QPlainTextEdit(self.inner)
            edit.setObjectName(f"analysis_{key}")
            edit.setTabChangesFocus(True)  # Tab goes on to the next section, types no "\t"
            edit.setMinimumHeight(70)
            edit.textChanged.connect(lambda k=key: self._typed(k))
            preview = QLabel(self.inner)
            preview.setWordWrap(True)
            preview.setStyleSheet("color: #245; background: #f3f6fa; padding: 4px;")
            for widget in (title, edit, preview):
                self.layout_.addWidget(widget)
            self.edits[key], self.previews[key] = edit, preview
        self.layout_.addStretch(1)
        self._load()

    def _load(self) -> None:
        doc = self.ctx.doc
        if doc is None:
            return
        self._loading = True
        try:
            for key, edit in self.edits.items():
                text = doc.report.analysis.get(key) or self.drafts.get(key, "")
                if edit.toPlainText() != text:
                    edit.setPlainText(text)
        finally:
            self._loading = False
        self._previews()

    def _previews(self) -> None:
        from core.export.analysis import sections

        doc = self.ctx.doc
        if doc is None:
            return
        filled = {key: text for key, _title, text in sections(doc.report, doc.template)}
        for key, label in self.previews.items():
            label.setText(filled.get(key, "") or "（本节为空，导出时只打印标题）")

    def _typed(self, key: str) -> None:
        if not self._loading:
            self._pending.add(key)
            self.timer.start()

    def commit(self) -> None:
        """Write what was typed (a text equal to the draft is kept as “no own text”)."""
        from gui.commands import push

        doc = self.ctx.doc
        pending, self._pending = self._pending, set()
        if doc is None:
            return
        for key in pending:
            text = self.edits[key].toPlainText()
            own = "" if text.strip() == self.drafts.get(key, "").strip() else text
            if doc.report.analysis.get(key, "") != own:
                push(self.ctx.undo_stack, SetAnalysisCommand(doc, key, own))
        if pending:
            self._previews()

    def _on_change(self, change: Any) -> None:
        if change.table == ANALYSIS and not self._pending:
            self._load()
