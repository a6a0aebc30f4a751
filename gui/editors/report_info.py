"""The 报告信息 editor: year, department, template (with 更换) and the sign-off fields."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core import schema
from core.model import REPORT, SIGNOFF_FIELDS
from core.report import Change
from core.schema import REP, Table
from core.templates import all_templates
from gui.context import AppContext
from gui.form_commands import SetReportFieldCommand, run

# The report's fields this page edits, titled by the schema (Column.heading).
FIELDS = tuple(
    (key, schema.the(Table.REPORT, key).heading)
    for key in (REP.year, REP.department, REP.preparer, REP.phone, REP.date, REP.head)
)


class ReportInfoEditor(QWidget):
    """Edits the report-level fields; every edit is one undo step."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # The page scrolls when the window is low (150 % scaling) instead of squeezing its rows: the
        # template's two-line description was cut at top and bottom.
        scroll = self.scroll_area = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # no Tab stop of its own (it shows no focus): Tab from the tree goes to the first field (#15), and
        # scrolls to it (main_window.tab_after); a click on the page's background takes the focus, as before
        scroll.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        body = QWidget(scroll)
        scroll.setWidget(body)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)
        outer = QVBoxLayout(body)
        title = QLabel("报告信息", self)
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        outer.addWidget(title)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for name, label in FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"report_{name}")
            edit.editingFinished.connect(lambda n=name: self._commit(n))
            self.fields[name] = edit
            form.addRow(label, edit)
            if name == REP.department:
                form.addRow("模板（地区）", self._template_row())
        self.fields[REP.date].setPlaceholderText("如 2024-05-16")
        outer.addLayout(form)
        outer.addStretch(1)
        ctx.listen(self, self._on_change)
        ctx.document_replaced.connect(self.refresh)
        self.refresh()

    def _template_row(self) -> QWidget:
        row = QWidget(self)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.template_label = QLabel(row)
        self.template_label.setObjectName("report_template")
        self.template_label.setWordWrap(True)
        change = self.change_button = QPushButton("更换…", row)
        change.clicked.connect(self.change_template)
        box.addWidget(self.template_label, 1)
        box.addWidget(change)
        return row

    def focus_chain(self) -> list[QWidget]:
        """The page's widgets that take the focus, in the order Tab goes through them."""
        chain: list[QWidget] = []
        for name, edit in self.fields.items():
            chain.append(edit)
            if name == REP.department:
                chain.append(self.change_button)  # 模板（地区） 更换…, the row after it
        return chain

    def _value(self, name: str) -> str:
        report = self.ctx.open_doc.report
        if name in SIGNOFF_FIELDS:
            return str(getattr(report.signoff, name))
        return str(getattr(report, name))

    def refresh(self) -> None:
        """Show the open report's values."""
        if self.ctx.doc is None:
            return
        for name, edit in self.fields.items():
            edit.setText(self._value(name))
        template = self.ctx.open_doc.template
        self.template_label.setText(f"{template.name}　{template.description}".strip())

    def _commit(self, name: str) -> None:
        if self.ctx.doc is None:
            return
        edit = self.fields[name]
        if edit.text() == self._value(name):
            return
        error = run(self.ctx.undo_stack, SetReportFieldCommand(self.ctx.open_doc, name, edit.text()))
        if error:
            edit.setText(self._value(name))
            QMessageBox.warning(self, "无法修改", error)

    def change_template(self) -> None:
        """Ask for another region template; the forms keep their contents."""
        templates = list(all_templates().values())
        names = [t.name for t in templates]
        current = (
            names.index(self.ctx.open_doc.template.name) if self.ctx.open_doc.template.name in names else 0
        )
        name, ok = QInputDialog.getItem(
            self, "更换模板", "地区模板（表格式样随之改变，已填内容保留）：", names, current, False
        )
        if ok and name != self.ctx.open_doc.template.name:
            self.set_template(templates[names.index(name)].id)

    def set_template(self, template_id: str) -> None:
        error = run(self.ctx.undo_stack, SetReportFieldCommand(self.ctx.open_doc, REP.template, template_id))
        if error:
            QMessageBox.warning(self, "无法更换模板", error)

    def _on_change(self, change: Change) -> None:
        if change.table == REPORT:
            self.refresh()
