"""The 关于 dialog: version and the third-party licences."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from core.version import __version__

LICENCES = (
    ("Qt 6 / PySide6", "LGPLv3", "https://www.qt.io/licensing"),
    ("openpyxl", "MIT", "https://openpyxl.readthedocs.io"),
    ("python-docx", "MIT", "https://github.com/python-openxml/python-docx"),
    ("sqlite-utils", "Apache-2.0", "https://github.com/simonw/sqlite-utils"),
    ("platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
    ("defusedxml", "PSF-2.0", "https://github.com/tiran/defusedxml"),
)


def about_text() -> str:
    rows = "".join(
        f"<tr><td>{name}</td><td>&nbsp;{lic}&nbsp;</td><td>{url}</td></tr>" for name, lic, url in LICENCES
    )
    return (
        f"<h3>绩效自评助手 ZiPing</h3><p>版本 {__version__}</p>"
        "<p>预算绩效自评报告的离线填报、检查与导出工具。本程序不联网，报告只保存在您选择的文件中。</p>"
        f"<p>使用的第三方组件及其许可：</p><table>{rows}</table>"
        "<p>Qt 以 LGPLv3 许可动态链接使用；您可以替换程序目录中的 Qt 库。</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("关于 绩效自评助手")
        label = QLabel(about_text(), self)
        label.setObjectName("aboutText")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
