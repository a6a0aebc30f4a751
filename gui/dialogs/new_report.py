"""The 新建 dialog: region template, year, department, first project names, where to save."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.templates import all_templates, default_template_id
from gui.files import with_suffix


@dataclass
class NewReportChoice:
    template_id: str
    year: int
    department: str
    project_names: list[str] = field(default_factory=list)
    path: Path = Path()


def parse_names(text: str) -> list[str]:
    """Return one project name per line; a column pasted from Excel keeps its first cell per row."""
    names = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        name = line.split("\t")[0].strip().strip('"').strip()
        if name and name not in names:
            names.append(name)
    return names


def default_folder() -> Path:
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / "绩效自评"


class NewReportDialog(QDialog):
    """Asks for what a new report needs; ``choice()`` returns it once accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建报告")
        self.setMinimumWidth(520)
        form = QFormLayout()
        self.template_box = QComboBox(self)
        for template in all_templates().values():
            self.template_box.addItem(template.name, template.id)
            self.template_box.setItemData(self.template_box.count() - 1, template.description, 3)
        self.template_box.setCurrentIndex(max(self.template_box.findData(default_template_id()), 0))
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(datetime.date.today().year - 1)
        self.department = QLineEdit(self)
        self.department.setPlaceholderText("如 中共广元市昭化区委组织部")
        self.names = QPlainTextEdit(self)
        self.names.setPlaceholderText("每行一个项目名称；可直接粘贴从 Excel 复制的一列")
        self.names.setTabChangesFocus(True)
        self.path = QLineEdit(self)
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self.browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form.addRow("地区模板", self.template_box)
        form.addRow("年度", self.year)
        form.addRow("部门（单位）", self.department)
        form.addRow("项目名称", self.names)
        self.name_count = QLabel("共 0 个项目（以后也可在左侧“项目支出”中添加）", self)
        self.name_count.setObjectName("projectCount")
        form.addRow("", self.name_count)
        self.names.textChanged.connect(self._count_names)
        form.addRow("保存位置", where)
        self.department.textChanged.connect(self._suggest_path)
        self.year.valueChanged.connect(self._suggest_path)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("以后的每一处修改都会立即保存到这个文件。", self))
        layout.addWidget(buttons)
        self._path_edited = False
        self.path.textEdited.connect(lambda: setattr(self, "_path_edited", True))
        self._suggest_path()

    def _suggest_path(self) -> None:
        if not self._path_edited:
            name = f"{self.year.value()}{self.department.text().strip() or '自评报告'}.zpdb"
            self.path.setText(str(default_folder() / name))

    def _count_names(self) -> None:
        count = len(parse_names(self.names.toPlainText()))
        self.name_count.setText(f"共 {count} 个项目（重复的名称只算一次）")

    def browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存新报告", self.path.text(), "自评报告 (*.zpdb)")
        if path:
            self.path.setText(str(with_suffix(path)))
            self._path_edited = True

    def choice(self) -> NewReportChoice:
        department = self.department.text().strip()
        return NewReportChoice(
            self.template_box.currentData(),
            self.year.value(),
            department,
            parse_names(self.names.toPlainText()),
            with_suffix(self.path.text().strip()),
        )

    def problem(self) -> str | None:
        """Return why the dialog cannot be accepted yet, or None."""
        choice = self.choice()
        if not choice.department:
            return "请填写部门（单位）名称。"
        if not self.path.text().strip():
            return "请选择保存位置。"
        if choice.path.exists():
            return f"文件已存在：{choice.path}\n请换一个文件名。"
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            QMessageBox.warning(self, "新建报告", problem)
            return
        try:
            self.choice().path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            QMessageBox.warning(self, "新建报告", f"无法创建文件夹：{exc.strerror or exc}")
            return
        super().accept()
