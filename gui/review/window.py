"""The review window (财政审核): folders of packages and reports, read-only, in one list."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.review.listing import COLUMNS, GRADES, count_cells, rows, select
from core.review.scan import ScanResult, scan
from core.schema import HEAD, REP
from gui.review.model import ReviewListModel

WARNING_CHOICES = (("", "全部预警"), ("any", "有预警"), ("red", "红色预警"), ("yellow", "黄色预警"))
COUNT_KEYS = frozenset(key for key, _title in COLUMNS if key in ("error", "warning_count", "info"))
FOLLOW_MS = 300  # counts arriving within this time are sorted and filtered in together
KIND_CHOICES = (("", "全部表"), ("project", "项目"), ("overall", "部门整体"))
FILE_COLUMN = next(i for i, (key, _title) in enumerate(COLUMNS) if key == "file")


class PathElide(QStyledItemDelegate):
    """A column of paths: too long for its width, the folders give way (in their middle), the file's
    name at the end stays whole (a township's folders of long Chinese names hid every name behind “…”)."""

    MARGIN = 8  # the text's margins inside its cell

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:  # noqa: N802 - Qt's name
        super().initStyleOption(option, index)
        text = str(option.text)
        metrics = option.fontMetrics
        width = option.rect.width() - self.MARGIN
        option.textElideMode = Qt.TextElideMode.ElideMiddle
        cut = max(text.rfind("/"), text.rfind("\\")) + 1
        if width <= 0 or not cut or metrics.horizontalAdvance(text) <= width:
            return
        name = text[cut:]
        room = width - metrics.horizontalAdvance(name)
        if room > metrics.horizontalAdvance("…/"):
            option.text = metrics.elidedText(text[:cut], Qt.TextElideMode.ElideMiddle, room) + name


class CheckThread(QThread):
    """The second pass of a scan (every rule, for the problem counts) off the window's thread."""

    advanced = Signal(int, int)
    counted = Signal(list)  # reports just checked, as the list holds them: their counts fill in at once

    def __init__(self, folders: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folders = list(folders)
        self.stop = False
        self.result: ScanResult | None = None

    def run(self) -> None:
        def progress(done: int, total: int, _label: str) -> bool:
            self.advanced.emit(done, total)
            return not self.stop

        self.result = scan(self.folders, progress=progress, checks=True, read=self.counted.emit)


class ReviewWindow(QMainWindow):
    """财政审核: list, filter, open read-only, 复核, 抽评, 通报."""

    def __init__(self, folders: list[Path] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.setWindowTitle("财政审核 — 绩效自评助手")
        self.resize(1280, 720)
        self.folders: list[Path] = list(folders or [])
        self.result = ScanResult()
        self.table_rows: list[dict[str, Any]] = []
        self.rows_of: dict[str, list[dict[str, Any]]] = {}
        self.sort_column = ""
        self.descending = False
        self.viewers: list[QMainWindow] = []
        self.checker: CheckThread | None = None
        # counts arrived while the list is sorted or filtered by them: shown again once, shortly
        self.follow = QTimer(self)
        self.follow.setSingleShot(True)
        self.follow.setInterval(FOLLOW_MS)
        self.follow.timeout.connect(self.apply_filters)
        self.picked: dict[str, Any] | None = None  # the form last selected: selected again when shown
        self._build()
        if self.folders:
            self.rescan()

    # ---- layout ----------------------------------------------------------------------
    def _build(self) -> None:
        bar = self.addToolBar("审核")
        bar.setObjectName("reviewToolbar")
        bar.setMovable(False)
        for name, text, slot in (
            ("open_folder", "打开文件夹…", self.choose_folder),
            ("rescan", "重新读取", self.rescan),
            ("open_report", "查看报告", self.open_selected),
            ("review", "复核…", self.review_selected),
            ("export_list", "导出汇总表…", self.export_list),
            ("sample", "抽评…", self.sample),
            ("bulletin", "通报…", self.bulletin),
        ):
            action = QAction(text, self)
            action.setObjectName(f"action_{name}")
            action.triggered.connect(slot)
            bar.addAction(action)
            setattr(self, f"action_{name}", action)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        filters = QHBoxLayout()
        self.grade_box = QComboBox(self)
        self.grade_box.addItem("全部等级", "")
        for g in GRADES:
            self.grade_box.addItem(g, g)
        self.warning_box = QComboBox(self)
        for key, text in WARNING_CHOICES:
            self.warning_box.addItem(text, key)
        self.kind_box = QComboBox(self)
        for key, text in KIND_CHOICES:
            self.kind_box.addItem(text, key)
        self.department_box = QComboBox(self)
        self.department_box.addItem("全部部门", "")
        self.errors_box = QCheckBox("只看有错误的", self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("搜索名称、单位、编码或文件")
        self.search.setClearButtonEnabled(True)
        for w in (self.grade_box, self.warning_box, self.kind_box, self.department_box, self.errors_box):
            filters.addWidget(w)
        filters.addWidget(self.search, 1)
        layout.addLayout(filters)
        self.tabs = QTabWidget(self)
        self.model = ReviewListModel()
        self.view = QTableView(self)
        self.view.setObjectName("reviewList")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)  # a list of rows: Tab goes on (Qt's went round its cells)
        self.view.verticalHeader().setDefaultSectionSize(22)
        header = self.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(self.sort_by)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, width in enumerate((60, 110, 260, 200, 70, 80, 80, 80, 80, 80, 60, 60, 80, 40, 40, 40, 260)):
            self.view.setColumnWidth(i, width)
        self.paths = PathElide(self)
        self.view.setItemDelegateForColumn(FILE_COLUMN, self.paths)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.view.selectionModel().selectionChanged.connect(self._picked)
        self.refused_view = QTableWidget(0, 2, self)
        self.refused_view.setObjectName("refusedList")
        self.refused_view.setHorizontalHeaderLabels(["文件", "原因"])
        self.refused_view.horizontalHeader().setStretchLastSection(True)
        self.refused_view.setColumnWidth(0, 420)
        self.refused_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.refused_view.setItemDelegateForColumn(0, self.paths)
        self.refused_view.setTabKeyNavigation(False)
        self.tabs.addTab(self.view, "审核清单")
        self.tabs.addTab(self.refused_view, "未列入的文件")
        layout.addWidget(self.tabs, 1)
        self.summary = QLabel(self)
        self.summary.setObjectName("reviewSummary")
        self.check_label = QLabel(self)
        self.check_label.setObjectName("checkProgress")
        self.check_stop = QPushButton("停止检查", self)
        self.check_stop.clicked.connect(lambda: setattr(self.checker, "stop", True) if self.checker else None)
        self.statusBar().addPermanentWidget(self.check_label)
        self.statusBar().addPermanentWidget(self.check_stop)
        self.check_label.hide()
        self.check_stop.hide()
        layout.addWidget(self.summary)
        self.setCentralWidget(central)
        for box in (self.grade_box, self.warning_box, self.kind_box, self.department_box):
            box.currentIndexChanged.connect(self.apply_filters)
        self.errors_box.toggled.connect(self._errors_only)
        self.search.textChanged.connect(self.apply_filters)
        self.summary.setText(
            "请用“打开文件夹…”选择部门报送的报告（报送包 .zip 或 .zpdb），文件只读，不会被改动。"
        )

    # ---- scanning --------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择部门报送的文件夹")
        if folder:
            if Path(folder) not in self.folders:
                self.folders.append(Path(folder))
            self.rescan()

    def rescan(self) -> None:
        """Read the figures of every report (fast: the list shows), then check them in the background."""
        if not self.folders:
            return
        self.stop_checking()
        result = self._scan_with_dialog(checks=False)
        self.show_result(result)
        if result.cancelled:
            self.statusBar().showMessage("已取消读取：只列出了已读取的报告。", 8000)
        elif not result.checked:
            self.start_checking()

    def _scan_with_dialog(self, checks: bool) -> ScanResult:
        dialog = QProgressDialog("正在读取报告…", "取消", 0, 100, self)
        dialog.setWindowTitle("财政审核")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)

        def progress(done: int, total: int, label: str) -> bool:
            if total:
                dialog.setMaximum(total)
                dialog.setValue(min(done, total))
            else:  # still finding the files: how many there are is not known yet
                dialog.setMaximum(0)
                dialog.setValue(0)
            dialog.setLabelText(label)
            QApplication.processEvents()
            return not dialog.wasCanceled()

        result = scan(self.folders, progress=progress, checks=checks)
        dialog.close()
        return result

    def show_result(self, result: ScanResult) -> None:
        # The list shown lets go of the old rows and result before the new rows are made: at 1,000
        # reports (31,000 rows) both at once were ~60 MB more at the peak of the background check's end.
        self.model.set_rows([])
        self.table_rows, self.rows_of = [], {}
        self.result = result
        self.table_rows = rows(self.result, reviewed_keys())
        self.rows_of = {}  # a report's rows by its file
        for row in self.table_rows:
            self.rows_of.setdefault(str(row["file"]), []).append(row)
        current = self.department_box.currentData()
        self.department_box.blockSignals(True)
        self.department_box.clear()
        self.department_box.addItem("全部部门", "")
        for dept in sorted({r[REP.department] for r in self.result.reports}):
            self.department_box.addItem(dept, dept)
        index = self.department_box.findData(current)
        self.department_box.setCurrentIndex(max(index, 0))
        self.department_box.blockSignals(False)
        self.refused_view.setRowCount(len(self.result.refused))
        for i, item in enumerate(self.result.refused):
            for column, text in enumerate((item["file"], item["reason"])):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)  # the whole path or reason, whatever the column's width
                self.refused_view.setItem(i, column, cell)
        self.tabs.setTabText(1, f"未列入的文件（{len(self.result.refused)}）")
        self.apply_filters()

    # ---- the background check ----------------------------------------------------------
    def start_checking(self) -> None:
        self.checker = CheckThread(self.folders, self)
        self.checker.advanced.connect(self._check_advanced)
        self.checker.counted.connect(self._counts_arrived)
        self.checker.finished.connect(self._check_finished)
        self.check_label.setText("正在检查各报告的问题…")
        self.check_label.show()
        self.check_stop.show()
        self.checker.start()

    def _check_advanced(self, done: int, total: int) -> None:
        self.check_label.setText(f"正在检查各报告的问题 {done}/{total}（错误、警告、提示列随后填入）")

    def _counts_arrived(self, reports: list[dict[str, Any]]) -> None:
        """Fill in the 错误, 警告 and 提示 of reports the background check has just counted, in the
        rows shown; a list sorted by one of them or showing only forms with errors is sorted and
        filtered again with them (the counts of a few batches together, the selection kept). A
        report whose forms are not the ones listed (the file changed since) waits for the whole list."""
        changed = False
        for rep in reports:
            shown = self.rows_of.get(str(rep["file"]), [])
            forms = rep.get("forms") or []
            if rep.get("problems") is None or [r[HEAD.name] for r in shown] != [f[HEAD.name] for f in forms]:
                continue
            for row, form in zip(shown, forms, strict=True):
                row.update(count_cells(form), problems=form.get("problems"))
            changed = True
        if not changed:
            return
        if self.sort_column in COUNT_KEYS or self.errors_box.isChecked():
            if not self.follow.isActive():
                self.follow.start()
        else:
            self.model.refresh()

    def _check_finished(self) -> None:
        checker, self.checker = self.checker, None
        self.check_label.hide()
        self.check_stop.hide()
        if checker is None or checker.result is None:
            return
        if checker.result.cancelled:
            self.statusBar().showMessage("已停止检查：错误、警告、提示列只填了已检查的报告。", 8000)
            return
        self.show_result(checker.result)
        self.statusBar().showMessage("检查完成：错误、警告、提示列已填入。", 8000)

    def stop_checking(self) -> None:
        """Stop the background check and wait for it (what it checked stays in the index)."""
        checker = self.checker
        if checker is not None:
            checker.stop = True
            checker.wait()
            self._check_finished()

    def ensure_checked(self) -> bool:
        """Finish the check in the foreground (with progress) before what needs the counts."""
        if self.result.checked:
            return True
        self.stop_checking()
        result = self._scan_with_dialog(checks=True)
        if result.cancelled:
            return False
        self.show_result(result)
        return True

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self.stop_checking()
        super().closeEvent(event)

    def _errors_only(self, on: bool) -> None:
        if on and not self.result.checked and self.checker is None:
            self.ensure_checked()  # the error counts are needed now (the background check follows)
        self.apply_filters()

    def apply_filters(self) -> None:
        self.follow.stop()
        shown = select(
            self.table_rows,
            grade=str(self.grade_box.currentData() or ""),
            warning=str(self.warning_box.currentData() or ""),
            errors_only=self.errors_box.isChecked(),
            department=str(self.department_box.currentData() or ""),
            kind=str(self.kind_box.currentData() or ""),
            text=self.search.text(),
            sort=self.sort_column,
            descending=self.descending,
        )
        self.model.set_rows(shown)
        if self.picked is not None:  # the same form stays selected where it now stands
            place = (self.picked["file"], self.picked["index"])
            at = next((i for i, row in enumerate(shown) if (row["file"], row["index"]) == place), None)
            if at is not None:
                self.view.selectRow(at)
        self.summary.setText(
            f"共 {len(self.result.reports)} 份报告、{len(self.table_rows)} 张表，当前显示 {len(shown)} 张；"
            f"未列入 {len(self.result.refused)} 个文件。双击一行以只读方式查看该报告。"
        )

    def sort_by(self, column: int) -> None:
        key = COLUMNS[column][0]
        self.descending = not self.descending if key == self.sort_column else False
        self.sort_column = key
        order = Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder
        self.view.horizontalHeader().setSortIndicator(column, order)
        self.apply_filters()

    def _picked(self) -> None:
        """Remember the form selected (a filter that hides it for a while does not forget it)."""
        indexes = self.view.selectionModel().selectedRows()
        if indexes:
            self.picked = self.model.rows[indexes[0].row()]

    def selected_row(self) -> dict[str, Any] | None:
        indexes = self.view.selectionModel().selectedRows()
        if not indexes:
            QMessageBox.information(self, "财政审核", "请先在清单中选择一张表。")
            return None
        return self.model.rows[indexes[0].row()]

    # ---- actions ---------------------------------------------------------------------
    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_row(row)

    def open_row(self, row: dict[str, Any]) -> QMainWindow | None:
        """Open the report of ``row`` read-only: a private copy in a normal window, with its flags."""
        from gui.review.readonly_view import open_readonly

        try:
            window = open_readonly(Path(row["file"]), row["index"])
        except Exception as exc:  # noqa: BLE001 - shown to the user as one sentence
            QMessageBox.warning(self, "财政审核", f"无法打开该报告：{exc}")
            return None
        self.viewers.append(window)
        return window

    def review_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        from gui.review.review_dialog import ReviewDialog

        try:
            dialog = ReviewDialog(Path(row["file"]), row["index"], self)
        except Exception as exc:  # noqa: BLE001
            QMessageBox.warning(self, "复核", f"无法开始复核：{exc}")
            return
        dialog.exec()
        self.table_rows = rows(self.result, reviewed_keys())
        self.apply_filters()

    def export_list(self) -> None:
        from core.review.listing import write_list_xlsx

        path, _ = QFileDialog.getSaveFileName(self, "导出汇总表", "汇总.xlsx", "Excel (*.xlsx)")
        if path and self.ensure_checked():
            with self.busy(f"正在导出汇总表（{len(self.table_rows)} 张表）…"):
                write_list_xlsx(self.result, Path(path), reviewed_keys())
            self.statusBar().showMessage(f"已导出 {path}", 8000)

    @contextmanager
    def busy(self, text: str) -> Iterator[None]:
        """A wait cursor and what is being done in the status bar, shown before a long step on this
        thread starts (the 汇总表 of 1,000 reports takes ~10 s: the window sat still without a sign)."""
        self.statusBar().showMessage(text)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QApplication.processEvents()
        try:
            yield
        finally:
            QApplication.restoreOverrideCursor()
            self.statusBar().clearMessage()

    def sample(self) -> None:
        from core.review.sample import SampleError, draw, new_seed, parse_per_grade, write_sample

        text, ok = QInputDialog.getText(self, "抽评", "每个等级抽取的项目数：", text="优=3,良=2,中=1,差=1")
        if not ok:
            return
        seed, ok = QInputDialog.getInt(
            self, "抽评", "随机种子（记下它即可重现本次抽取）：", new_seed(), 1, 10**9 - 1
        )
        if not ok:
            return
        try:
            drawn = draw(self.result.reports, parse_per_grade(text), seed)
        except SampleError as exc:
            QMessageBox.warning(self, "抽评", str(exc))
            return
        if not drawn:
            QMessageBox.information(self, "抽评", "没有可抽取的项目。")
            return
        folder = QFileDialog.getExistingDirectory(self, "选择保存抽评结果的文件夹")
        if folder:
            target = write_sample(drawn, Path(folder), seed)
            QMessageBox.information(
                self, "抽评", f"已抽取 {len(drawn)} 个项目（随机种子 {seed}），结果保存在 {target}"
            )

    def bulletin(self) -> None:
        from core.review.bulletin import build_bulletin, write_bulletin_docx, write_bulletin_xlsx

        path, _ = QFileDialog.getSaveFileName(self, "导出通报", "通报.xlsx", "Excel (*.xlsx)")
        if path:
            target = Path(path)
            if not self.ensure_checked():  # the 通报 counts problems by rule
                return
            with self.busy("正在导出通报…"):
                b = build_bulletin(self.result.reports)
                write_bulletin_xlsx(b, target)
                write_bulletin_docx(b, target.with_suffix(".docx"))
            self.statusBar().showMessage(f"已导出 {target} 和 {target.with_suffix('.docx').name}", 8000)


def reviewed_keys() -> set[tuple[str, int]]:
    """(department, year) of every review file in the bureau's folder."""
    from core.review.readonly import connect_readonly, read_meta
    from core.review.reviewfile import reviews_dir
    from core.storage.db import StorageError

    out: set[tuple[str, int]] = set()
    for path in reviews_dir().glob("*.zpdb"):
        try:
            conn = connect_readonly(path)
        except StorageError:
            continue
        try:
            meta = read_meta(conn)
        finally:
            conn.close()
        if meta.get("kind") == "review" and meta.get(REP.year, "").isdigit():
            out.add((meta.get(REP.department, ""), int(meta[REP.year])))
    return out
