"""The window's actions, with their shortcuts, menus and toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

# The access key of each action in its menu (Alt, then the menu's key, then this one).
ACCESS_KEYS = {
    "new": "N",
    "open": "O",
    "save_as": "A",
    "next_year": "Y",
    "import_json": "I",
    "restore": "R",
    "package": "P",
    "review_mode": "V",
    "import_files": "M",
    "export_word": "W",
    "export_excel": "X",
    "export_form_word": "D",
    "export_form_excel": "L",
    "check": "C",
    "go_problems": "L",
    "go_tree": "T",
    "undo": "U",
    "redo": "R",
    "sample": "S",
    "about": "A",
    "quit": "Q",
}


class Actions:
    """Every QAction of the main window; the window connects them to its slots."""

    new: QAction
    open: QAction
    save_as: QAction
    next_year: QAction
    import_json: QAction
    restore: QAction
    package: QAction
    review_mode: QAction
    import_files: QAction
    export_word: QAction
    export_excel: QAction
    export_form_word: QAction
    export_form_excel: QAction
    check: QAction
    go_problems: QAction
    go_tree: QAction
    undo: QAction
    redo: QAction
    sample: QAction
    about: QAction
    quit: QAction

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        # The standard icons are set once the window has painted (``load_icons``): the first use of
        # QStyle from Python makes its 11 enums (570 members), 12 ms of a 400 ms start (issue 15).
        # Until then each action has a blank icon of the same size, so nothing moves when they come.
        blank = QPixmap(16, 16)
        blank.fill(Qt.GlobalColor.transparent)
        placeholder = QIcon(blank)
        self._icons: list[tuple[QAction, str]] = []
        # (attribute, text, shortcut, standard icon, status tip)
        specs = [
            ("new", "新建", QKeySequence.StandardKey.New, "SP_FileIcon", "新建一份自评报告"),
            ("open", "打开", QKeySequence.StandardKey.Open, "SP_DialogOpenButton", "打开 .zpdb 报告文件"),
            (
                "save_as",
                "另存为",
                QKeySequence.StandardKey.SaveAs,
                "SP_DialogSaveButton",
                "把报告另存一份（所有修改都已自动保存）",
            ),
            (
                "next_year",
                "由本报告开始下一年度…",
                None,
                None,
                "新建下一年度的报告：保留项目、指标和目标值，清空完成值与得分",
            ),
            ("import_json", "导入", "Ctrl+I", "SP_ArrowDown", "从交换格式 .json 导入报告"),
            ("restore", "从备份恢复…", None, None, "查看本报告的自动备份，并恢复其中一份"),
            ("package", "生成报送包…", None, None, "把报告、Word、Excel 和清单封成一个 .zip 报送财政"),
            ("review_mode", "财政审核…", None, None, "财政部门：汇总审核各部门报送的报告、复核、抽评"),
            (
                "import_files",
                "导入文件…",
                "Ctrl+Shift+I",
                None,
                "从 Excel、WPS、Word 文件导入（自评表、申报表、一体化模板、自评报告），先预览再导入",
            ),
            ("export_word", "导出 Word", "Ctrl+E", "SP_FileDialogDetailedView", "导出整份报告（Word）"),
            ("export_excel", "导出 Excel", "Ctrl+Shift+E", "SP_FileDialogListView", "导出全部表格（Excel）"),
            ("export_form_word", "导出本表 Word", None, None, "只导出当前表"),
            ("export_form_excel", "导出本表 Excel", None, None, "只导出当前表"),
            ("check", "全面检查", "F5", "SP_DialogApplyButton", "重新检查整份报告"),
            ("go_problems", "转到问题列表", "F8", None, "光标到问题列表：上下键选问题，回车跳到它的单元格"),
            ("go_tree", "转到目录", "F6", None, "光标到左侧目录：上下键选表"),
            ("undo", "撤销", QKeySequence.StandardKey.Undo, "SP_ArrowBack", "撤销上一步"),
            ("redo", "重做", QKeySequence.StandardKey.Redo, "SP_ArrowForward", "重做"),
            ("sample", "打开示例报告", None, None, "打开湖南益阳 2023 示例报告，看看完成的报告是什么样"),
            ("about", "关于", None, None, "版本与许可"),
            ("quit", "退出", "Ctrl+Q", None, "关闭窗口（正在输入的内容也会保存）"),
        ]
        for name, text, keys, icon, tip in specs:
            key = ACCESS_KEYS.get(name)
            action = QAction(
                f"{text.removesuffix('…')}(&{key}){'…' if text.endswith('…') else ''}" if key else text,
                window,
            )
            action.setIconText(text)
            action.setObjectName(f"action_{name}")
            if keys is not None:
                action.setShortcut(QKeySequence(keys))
            if icon is not None:
                action.setIcon(placeholder)
                self._icons.append((action, icon))
            action.setStatusTip(tip)
            action.setToolTip(
                f"{text}（{action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}）"
                if keys is not None
                else text
            )
            setattr(self, name, action)
        self.redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.recent_menu = QMenu("最近打开(&E)", window)
        self.recent_menu.setObjectName("recentMenu")

    def load_icons(self) -> None:
        """Give the actions their standard icons (the style's, as the platform draws them)."""
        from PySide6.QtWidgets import QStyle

        style = self.window.style()
        for action, name in self._icons:
            action.setIcon(style.standardIcon(getattr(QStyle.StandardPixmap, name)))
        self._icons.clear()

    @property
    def icons_pending(self) -> bool:
        """True until ``load_icons`` has run."""
        return bool(self._icons)

    def build_menus(self) -> None:
        """Fill the menu bar: 文件, 编辑, 检查, 帮助."""
        bar = self.window.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        for action in (self.new, self.open):
            file_menu.addAction(action)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        for action in (
            self.save_as,
            self.next_year,
            self.import_files,
            self.import_json,
            self.restore,
            self.package,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.export_word, self.export_excel, self.export_form_word, self.export_form_excel):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.review_mode)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)
        edit_menu = bar.addMenu("编辑(&E)")
        edit_menu.addAction(self.undo)
        edit_menu.addAction(self.redo)
        check_menu = bar.addMenu("检查(&C)")
        for action in (self.check, self.go_problems, self.go_tree):
            check_menu.addAction(action)
        help_menu = bar.addMenu("帮助(&H)")
        help_menu.addAction(self.sample)
        help_menu.addAction(self.about)

    def build_toolbar(self) -> QToolBar:
        """Return the main toolbar: the nine everyday actions with text under icons."""
        bar = QToolBar("工具栏", self.window)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (
            self.new,
            self.open,
            self.save_as,
            self.import_json,
            None,
            self.export_word,
            self.export_excel,
            None,
            self.check,
            None,
            self.undo,
            self.redo,
        ):
            if action is None:
                bar.addSeparator()
            else:
                bar.addAction(action)
        self.window.addToolBar(bar)
        return bar
