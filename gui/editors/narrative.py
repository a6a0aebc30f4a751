"""The 自评报告 editor: one section's text in a plain-text editor, with a word count."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from core.model import NARRATIVE
from core.report import Change
from gui.context import AppContext
from gui.form_commands import SetSectionCommand, run

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*")
COMMIT_DELAY_MS = 400


def word_count(text: str) -> int:
    """Count words as Chinese offices do: each Chinese character, plus each Latin word or number."""
    return len(CJK.findall(text)) + len(LATIN_WORD.findall(text))


class NarrativeEditor(QWidget):
    """Edits one section; typing is written to the file shortly after it stops, merged into one undo step."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.index: int | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("color: #666;")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("narrativeText")
        self.text.setTabChangesFocus(True)  # Tab goes on (as the app's other text boxes), types no "\t"
        self.count = QLabel(self)
        self.count.setObjectName("wordCount")
        self.insert = QToolButton(self)
        self.insert.setObjectName("insertFigure")
        self.insert.setText("插入数据…")
        self.insert.setToolTip(
            "插入一个由表中数据自动填写的数字，如 {执行率}：导出时按表中数字填写，正文与表格不会不一致"
        )
        self.insert.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.insert.setMenu(QMenu(self.insert))
        self.insert.menu().aboutToShow.connect(self._fill_menu)
        self.problems = QLabel(self)
        self.problems.setObjectName("sectionProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #a40000;")
        self.preview = QLabel(self)
        self.preview.setObjectName("narrativePreview")
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("color: #245; background: #f3f6fa; padding: 4px;")
        bar = QHBoxLayout()
        bar.addWidget(self.count)
        bar.addStretch(1)
        bar.addWidget(self.insert)
        for widget in (self.title, self.prompt, self.text):
            layout.addWidget(widget)
        layout.addLayout(bar)
        layout.addWidget(self.problems)
        layout.addWidget(self.preview)
        ctx.listen_problems(self, self._show_problems)
        self.timer = QTimer(self, singleShot=True, interval=COMMIT_DELAY_MS)
        self.timer.timeout.connect(self.commit)
        self.text.textChanged.connect(self._on_typed)
        ctx.listen(self, self._on_change)

    def focus_chain(self) -> list[QWidget]:
        """The page's widgets that take the focus, in the order Tab goes through them."""
        return [self.text, self.insert]

    def set_section(self, index: int | None) -> None:
        """Show section ``index`` (writing any pending typing of the previous one first)."""
        self.commit()
        self.index = index
        self._load()

    def _load(self) -> None:
        sections = self.ctx.open_doc.report.narrative if self.ctx.doc else []
        if self.index is None or not 0 <= self.index < len(sections):
            self.index = None
            self.title.setText("自评报告（模板中没有章节）")
            self.text.setEnabled(False)
            return
        section = sections[self.index]
        outline = dict(self.ctx.open_doc.template.narrative)
        self.title.setText(section.title)
        self.prompt.setText(outline.get(section.title, ""))
        self.prompt.setVisible(bool(self.prompt.text()))
        self.text.setEnabled(True)
        if self.text.toPlainText() != section.text:
            self._loading = True
            self.text.setPlainText(section.text)
            self._loading = False
        self._count()
        self._show_problems()

    def _on_typed(self) -> None:
        self._count()
        if not self._loading:
            self.timer.start()

    def _count(self) -> None:
        text = self.text.toPlainText()
        self.count.setText(f"字数：{word_count(text)}")
        self._show_preview(text)

    def _show_preview(self, text: str) -> None:
        """Show the sentences with {数据} as the export will print them, filled from the tables."""
        lines = [line for line in text.split("\n") if "{" in line]
        if not lines or self.ctx.doc is None:
            self.preview.setVisible(False)
            return
        from core.export.text import figure_values, fill_placeholders

        values = figure_values(self.ctx.open_doc.report, self.ctx.open_doc.template)
        filled = "\n".join(fill_placeholders(line, values) for line in lines)
        self.preview.setText(f"导出时按表中数据填写为：\n{filled}")
        self.preview.setVisible(True)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._show_problems()
        self._show_preview(self.text.toPlainText())

    def _show_problems(self) -> None:
        if self.index is None or self.ctx.doc is None or not self.isVisible():
            self.problems.setVisible(False)
            return
        found = self.ctx.problems_at(None, NARRATIVE, self.index, None)
        self.problems.setText("\n".join(f"【{p.severity_label}】{p.message}" for p in found))
        self.problems.setVisible(bool(found))

    def _fill_menu(self) -> None:
        menu = self.insert.menu()
        menu.clear()
        from core.export.text import PLACEHOLDERS, figure_values

        doc = self.ctx.doc
        values = figure_values(doc.report, doc.template) if doc is not None else {}
        for name in PLACEHOLDERS:
            action = menu.addAction(f"{name}（现为 {values.get(name, '—')}）")
            action.triggered.connect(lambda _=False, n=name: self.text.insertPlainText(f"{{{n}}}"))

    def commit(self) -> None:
        """Write the typed text now (called by the timer, on switching and on closing)."""
        self.timer.stop()
        if self.index is None or self.ctx.doc is None:
            return
        text = self.text.toPlainText()
        if text != self.ctx.open_doc.report.narrative[self.index].text:
            run(self.ctx.undo_stack, SetSectionCommand(self.ctx.open_doc, self.index, text))

    def _on_change(self, change: Change) -> None:
        if change.table != NARRATIVE and self.index is not None and self.isVisible():
            self._show_preview(self.text.toPlainText())  # a figure in the tables may have changed
        if change.table == NARRATIVE and self.index is not None and not self.timer.isActive():
            cursor = self.text.textCursor().position()
            self._load()
            cursor = min(cursor, len(self.text.toPlainText()))
            c = self.text.textCursor()
            c.setPosition(cursor)
            self.text.setTextCursor(c)
