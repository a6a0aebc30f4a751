"""Out to the 一体化 system and the bureau: the 导出 menu, the 自评汇总表 view and the 定性 word fix.

- 导出 → 一体化导入文件… writes one import file per form into a folder and a .zip; before, it says
  how many pre-submission problems (group "yth") the check found.
- 导出 → 自评汇总表… / 汇总分析报告… / 公开版 Word… / 公开版 Excel… write those files.
- 导出 → 定性完成值改为“达成”等 sets every 定性 actual the check can map (已完成 → 达成) in one
  undoable step.
- The tree's 自评汇总表 node shows the summary as a sortable table; a double-click opens the form.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.numbers import fmt, fmt_money, fmt_percent
from core.schema import IND, Table

if TYPE_CHECKING:
    from gui.editors.analysis import AnalysisEditor

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
UID_ROLE = Qt.ItemDataRole.UserRole + 11
HEADERS = ("项目名称", "年初预算数", "全年预算数", "全年执行数", "执行率", "自评得分", "自评等级", "自评预警")
WARNING_TEXT = {"red": "红色预警", "yellow": "黄色预警"}
YTH = "yth"


def submission_problems(ctx: Any) -> list[Any]:
    """Return the pre-submission problems (group "yth") of the open report."""
    from gui.navigation import all_problems

    return [p for p in all_problems(ctx) if getattr(p, "group", "") == YTH]


def word_fixes(ctx: Any) -> list[tuple[int, str, int, str, Any]]:
    """Return the edits that turn every mappable 定性 actual into 达成 / 部分达成 / 未达成."""
    from core.scoring import score_indicator
    from core.submission import qualitative_word, yth_labels

    doc = ctx.doc
    labels = yth_labels(doc.template)
    edits: list[tuple[int, str, int, str, Any]] = []
    for p in submission_problems(ctx):
        if p.rule != "Y01" or p.form_uid is None or p.row is None:
            continue
        form = doc.form(p.form_uid)
        ind = form.indicators[p.row]
        word = qualitative_word(ind, score_indicator(ind, p.row, doc.template), labels, doc.template)
        if word is None or word == ind.actual.strip():
            continue
        edits.append((p.form_uid, Table.INDICATORS, p.row, IND.actual, word))
        if not ind.brief.strip():
            edits.append(
                (p.form_uid, Table.INDICATORS, p.row, IND.brief, ind.actual.strip())
            )  # keep what was written
    return edits


class SummaryView(QWidget):
    """The 自评汇总表 as a sortable table (``summaryView``)."""

    # Emitted on a double-click: the uid of the form to open.
    form_activated = Signal(int)

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("summaryView")
        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # a list of rows: Tab goes on (Qt's went round its cells)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)  # a double click, or Enter from the keyboard
        self.footer = QLabel(self)
        self.footer.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("自评汇总表（点击列标题排序，双击或回车打开该表）", self))
        layout.addWidget(self.table)
        layout.addWidget(self.footer)

    def focus_chain(self) -> list[QWidget]:
        """The view's widget that takes the focus (its table)."""
        return [self.table]

    def refresh(self) -> None:
        """Fill the table from the open report."""
        from core.export.summary import average_line, build_summary, grade_line, labels

        self.model.removeRows(0, self.model.rowCount())
        doc = self.ctx.doc
        if doc is None:
            return
        summary = build_summary(doc.report, doc.template)
        for row in summary.rows:
            name = f"部门整体支出（{row.name}）" if row.kind == "overall" else row.name
            cells = [
                (name, name),
                (fmt_money(row.initial), row.initial),
                (fmt_money(row.annual), row.annual),
                (fmt_money(row.executed), row.executed),
                (fmt_percent(row.rate) if row.rate is not None else "", row.rate),
                (fmt(row.score), row.score),
                (row.grade, row.grade),
                (WARNING_TEXT.get(row.warning or "", ""), row.warning or ""),
            ]
            items = []
            for text, key in cells:
                item = QStandardItem(text)
                item.setData(
                    float(key) if isinstance(key, Decimal) else (key if key is not None else -1), SORT_ROLE
                )
                item.setData(row.uid, UID_ROLE)
                if row.warning:
                    item.setToolTip(row.warning_why)
                items.append(item)
            self.model.appendRow(items)
        lab = labels(doc.template)
        total = (
            f"项目合计：年初 {fmt_money(summary.initial)}，全年预算 {fmt_money(summary.annual)}，"
            f"执行 {fmt_money(summary.executed)}，执行率 {fmt_percent(summary.rate)}"
        )
        self.footer.setText("\n".join((total, grade_line(summary, lab), average_line(summary, lab))))

    def _activated(self, index: Any) -> None:
        uid = index.data(UID_ROLE)
        if uid is not None:
            self.form_activated.emit(int(uid))


class SubmissionExports:
    """The 导出 menu of one MainWindow and the 汇总表 view."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.ctx = window.ctx
        self._view: SummaryView | None = None  # made when first shown (the first paint needs neither)
        self._analysis: AnalysisEditor | None = None
        self.ctx.listen_problems(window, self._refresh_if_shown)
        self.menu = QMenu("导出(&X)", window)
        self.menu.setObjectName("exportMenu")
        self.actions: dict[str, QAction] = {}
        for name, text, slot in (
            ("yth", "一体化导入文件(&Y)…", self.export_yth),
            ("summary", "自评汇总表(&S)…", self.export_summary),
            ("analysis", "自评结果汇总分析报告(&A)…", self.export_analysis),
            ("public_word", "公开版 Word(&W)…", lambda: self.export_public("word")),
            ("public_excel", "公开版 Excel(&E)…", lambda: self.export_public("excel")),
            ("fix_words", "定性完成值改为“达成/部分达成/未达成”(&F)", self.fix_words),
        ):
            action = QAction(text, window)
            action.setObjectName(f"action_{name}")
            action.triggered.connect(lambda _=False, s=slot: s())
            self.menu.addAction(action)
            self.actions[name] = action
        self.menu.insertSeparator(self.actions["public_word"])
        self.menu.insertSeparator(self.actions["fix_words"])
        bar = window.menuBar()
        menus = [a for a in bar.actions() if a.menu() is not None]
        bar.insertMenu(menus[1] if len(menus) > 1 else None, self.menu)

    # ---- the 汇总表 view -----------------------------------------------------------
    @property
    def view(self) -> SummaryView:
        if self._view is None:
            self._view = SummaryView(self.ctx, self.window)
            self.window.editors.addWidget(self._view)
            self.window.tab_after_tree(self._view.focus_chain())
            self._view.form_activated.connect(self._open_form)
        return self._view

    @property
    def analysis(self) -> AnalysisEditor:
        if self._analysis is None:
            from gui.editors.analysis import AnalysisEditor

            self._analysis = AnalysisEditor(self.ctx, self.window)
            self.window.editors.addWidget(self._analysis)
        return self._analysis

    def commit_analysis(self) -> None:
        """Write the 汇总分析报告 text being typed (nothing when its editor was never shown)."""
        if self._analysis is not None:
            self._analysis.commit()

    def show(self, kind: str) -> None:
        """Show the 汇总表 view ("summary") or the 汇总分析报告 editor ("analysis")."""
        if kind == "analysis":
            self.analysis.refresh()
            self.window.tab_after_tree(self.analysis.focus_chain())  # (its sections' texts made anew)
            self.window.editors.setCurrentWidget(self.analysis)
        else:
            self.commit_analysis()
            self.view.refresh()
            self.window.editors.setCurrentWidget(self.view)

    def _refresh_if_shown(self) -> None:
        if self._view is not None and self.window.editors.currentWidget() is self._view:
            self._view.refresh()

    def _open_form(self, uid: int) -> None:
        from gui.navigation import OVERALL_NODE, PROJECT_NODE

        doc = self.ctx.doc
        kind = OVERALL_NODE if doc is not None and doc.form(uid).kind == "overall" else PROJECT_NODE
        self.window.tree.select_node(kind, uid)

    # ---- exports -------------------------------------------------------------------
    def _folder(self) -> Path:
        return Path(self.ctx.doc.path).parent

    def _run(self, title: str, write: Any, target: Path) -> bool:
        from PySide6.QtWidgets import QMessageBox

        from gui.dialogs.export import WriterDialog

        dialog = WriterDialog(self.ctx, write, target, self.window)
        dialog.setWindowTitle(title)
        dialog.exec()
        if not dialog.ok:
            QMessageBox.warning(self.window, "导出未完成", dialog.message)
            return False
        return True

    def confirm_submission(self) -> bool:
        """Say how many pre-submission problems there are; go on only when the user agrees."""
        from PySide6.QtWidgets import QMessageBox

        count = len(submission_problems(self.ctx))
        if count == 0:
            return True
        answer = QMessageBox.question(
            self.window,
            "一体化导入前检查",
            f"一体化导入前检查发现 {count} 个问题（见问题列表）。\n"
            "这些行可能被一体化系统拒绝或丢弃。仍要导出吗？",
        )
        return answer == QMessageBox.StandardButton.Yes

    def export_yth(self, folder: Path | None = None, ask: bool = True) -> bool:
        """Write the 一体化 import files into a folder (and its .zip) chosen by the user."""
        from PySide6.QtWidgets import QFileDialog

        from core.export.yth import export_yth, folder_name

        if self.ctx.doc is None or (ask and not self.confirm_submission()):
            return False
        if folder is None:
            parent = QFileDialog.getExistingDirectory(
                self.window, "一体化导入文件保存到", str(self._folder())
            )
            if not parent:
                return False
            folder = Path(parent) / folder_name(self.ctx.open_doc.report, self.ctx.open_doc.template)

        def write(report: Any, path: Path, progress: Any = None, *, template: Any) -> None:
            export_yth(report, path, progress, template=template)

        if not self._run("导出一体化导入文件", write, Path(folder)):
            return False
        if ask:
            self._done(Path(folder), folder=True)
        return True

    def export_summary(self, target: Path | None = None, ask: bool = True) -> bool:
        from core.export.summary import write_summary_xlsx

        target = target or self._ask("自评汇总表", ".xlsx", "Excel 工作簿 (*.xlsx)")
        if target is None or not self._run("导出自评汇总表", write_summary_xlsx, target):
            return False
        if ask:
            self._done(target)
        return True

    def export_analysis(self, target: Path | None = None, ask: bool = True) -> bool:
        from core.export.analysis import write_analysis

        self.commit_analysis()
        target = target or self._ask("自评结果汇总分析报告", ".docx", "Word 文档 (*.docx)")
        if target is None or not self._run("导出汇总分析报告", write_analysis, target):
            return False
        if ask:
            self._done(target)
        return True

    def export_public(self, kind: str, target: Path | None = None, ask: bool = True) -> bool:
        """Export the 公开版 (no 填表人, 联系电话, internal notes) as Word or Excel."""
        from core.export.public import public_report

        suffix, filt = (
            (".docx", "Word 文档 (*.docx)") if kind == "word" else (".xlsx", "Excel 工作簿 (*.xlsx)")
        )
        target = target or self._ask(f"{Path(self.ctx.doc.path).stem}（公开版）", suffix, filt)
        if target is None:
            return False
        if kind == "word":
            from core.export.docx import write_docx as writer
        else:
            from core.export.xlsx import write_xlsx as writer  # type: ignore[assignment]

        def write(report: Any, path: Path, progress: Any = None, *, template: Any) -> None:
            writer(public_report(report), path, progress=progress, template=template)

        if not self._run("导出公开版", write, target):
            return False
        if ask:
            self._done(target)
        return True

    def _ask(self, stem: str, suffix: str, filt: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        if self.ctx.doc is None:
            return None
        suggestion = str(self._folder() / f"{stem}{suffix}")
        path, _ = QFileDialog.getSaveFileName(self.window, "导出到", suggestion, filt)
        if not path:
            return None
        p = Path(path)
        return p if p.suffix.lower() == suffix else p.with_name(p.name + suffix)

    def _done(self, target: Path, folder: bool = False) -> None:
        from PySide6.QtWidgets import QMessageBox

        from gui.dialogs.export import open_folder

        shown = f"{target}\n（另有压缩包 {target.name}.zip）" if folder else str(target)
        answer = QMessageBox.question(self.window, "导出完成", f"已导出到：\n{shown}\n\n打开所在文件夹？")
        if answer == QMessageBox.StandardButton.Yes:
            open_folder(target / "_" if folder else target)

    # ---- the one-click fix ------------------------------------------------------------
    def fix_words(self) -> int:
        """Set every mappable 定性 actual to its word in one undoable step; return how many rows."""
        from gui.commands import SetCellsCommand, push

        if self.ctx.doc is None:
            return 0
        edits = word_fixes(self.ctx)
        rows = sum(1 for e in edits if e[3] == IND.actual)
        if not edits:
            self.window.statusBar().showMessage("没有可自动改写的定性完成值", 5000)
            return 0
        push(self.ctx.undo_stack, SetCellsCommand(self.ctx.open_doc, edits, "定性完成值改为达成等"))
        self.window.statusBar().showMessage(
            f"已把 {rows} 个定性指标的实际完成值改为达成/部分达成/未达成，原文移入完成情况简要描述（可撤销）",
            8000,
        )
        return rows


def install(window: Any) -> SubmissionExports:
    """Add the 导出 menu and the 汇总表 view to a MainWindow."""
    return SubmissionExports(window)
