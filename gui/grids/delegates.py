"""Cell editors: a line for short text and amounts, a box for long text, combos for 一级/二级.

Keys inside an editor behave as in Excel and WPS: Enter commits and moves down,
Shift+Enter up, Tab right, Shift+Tab left, Alt+Enter (or Ctrl+Enter) starts a new
line in a long cell, Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QCompleter,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from gui.grids.base import LEFT, LEVEL, LINE, RIGHT, GridColumn, GridModel

Index = QModelIndex | QPersistentModelIndex
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
LONG_EDITOR_LINES = 5
ALIGNMENTS = {a: Qt.AlignmentFlag(a) for a in (LEFT, RIGHT)}
HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
NO_BRUSH = QBrush()


def _column(index: Index) -> GridColumn | None:
    model = index.model()
    return model.columns[index.column()] if isinstance(model, GridModel) else None


def editor_text(editor: QWidget) -> str:
    """Return the text an editor holds."""
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, QLineEdit):
        return editor.text()
    return ""


def set_editor_text(editor: QWidget, text: str) -> None:
    """Put ``text`` in an editor with the cursor at the end (nothing selected)."""
    if isinstance(editor, QComboBox):
        editor.setEditText(text)
        line = editor.lineEdit()
        if line is not None:
            line.deselect()
            line.end(False)
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(text)
        editor.moveCursor(editor.textCursor().MoveOperation.End)
    elif isinstance(editor, QLineEdit):
        editor.setText(text)
        editor.deselect()
        editor.end(False)


def input_target(editor: QWidget) -> QWidget:
    """Return the widget inside an editor that takes typed text."""
    line = editor.lineEdit() if isinstance(editor, QComboBox) else None
    return line if line is not None else editor


class GridDelegate(QStyledItemDelegate):
    """Creates the editor a column asks for and turns Enter/Tab into commit-and-move."""

    # Emitted after an editor was committed and closed by a navigation key: (rows, columns) to move.
    navigated = Signal(int, int)

    def __init__(self, parent: QObject, refused: Callable[[QWidget], bool] = lambda editor: False) -> None:
        super().__init__(parent)
        self._refused = refused
        # The features of a cell with text: the view's (its rows wrap), HasDisplay added once (a
        # Qt flag's | costs 4 µs in PySide, per cell painted or measured).
        self._features: dict[object, object] = {}
        self.editing_index: QPersistentModelIndex | None = None
        self._popups: dict[QObject, QComboBox] = {}
        self._committing: QWidget | None = None  # the editor whose text is being written (``finish``)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        self.editing_index = QPersistentModelIndex(index)
        column = _column(index)
        kind = column.editor if column is not None else LINE
        if kind == LEVEL:
            return self._combo(parent, index)
        if kind == "long":
            editor = QPlainTextEdit(parent)
            editor.setTabChangesFocus(True)
            editor.setFrameShape(QPlainTextEdit.Shape.Box)
            return editor
        line = QLineEdit(parent)
        line.setFrame(False)
        if kind == "amount":
            line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return line

    def _combo(self, parent: QWidget, index: Index) -> QComboBox:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        model = index.model()
        combo.addItems(model.choices(index) if isinstance(model, GridModel) else [])
        completer = combo.completer()
        if completer is not None:
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            popup = completer.popup()
            if popup is not None:
                popup.installEventFilter(self)
                self._popups[popup] = combo
                combo.destroyed.connect(lambda *_: self._popups.pop(popup, None))
        line = combo.lineEdit()
        if line is not None:
            line.installEventFilter(self)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Fill an editor with its cell's text. Qt calls this again when the cell changes while the
        editor is open — which is every commit, just before the editor closes: an editor already
        holding the text is left as it is (caret and all), and the editor Enter or Tab is writing
        and closing is not asked again (``finish``)."""
        if editor is self._committing:
            return
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if editor_text(editor) != text or not text:
            set_editor_text(editor, text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        model.setData(index, editor_text(editor), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        rect = option.rect
        if isinstance(editor, QPlainTextEdit):
            lines = editor.fontMetrics().lineSpacing() * LONG_EDITOR_LINES + 8
            rect = rect.adjusted(0, 0, 0, max(0, lines - rect.height()))
        editor.setGeometry(rect)

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        """Fill a cell's style from its model's cached paint roles in one call, as
        QStyledItemDelegate does from seven data() calls (font, alignment, foreground, check
        state, icon, display, background; the grids give no font, check state or icon). Painting
        a newly shown project spent more time in those calls than in drawing the text."""
        model = index.model()
        style = model.paint_roles(index) if isinstance(model, GridModel) else None
        if style is None:
            super().initStyleOption(option, index)
            return
        text, background, foreground, alignment = style
        option.index = index  # type: ignore[assignment]  # (a QModelIndex when Qt paints or measures)
        option.displayAlignment = ALIGNMENTS[alignment]
        if foreground is not None:
            palette = option.palette
            palette.setBrush(QPalette.ColorRole.Text, foreground)
            option.palette = palette
        if text is not None:
            given = option.features
            features = self._features.get(given)
            if features is None:
                features = self._features[given] = given | HAS_DISPLAY
            option.features = features  # type: ignore[assignment]
            option.text = text.replace("\n", "\u2028")  # as displayText(): lines break there
        option.backgroundBrush = NO_BRUSH if background is None else background
        option.styleObject = None  # type: ignore[assignment]  # as Qt's: no style animations in a cell

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 6)

    # ---- keys ----------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if obj in self._popups:
                return self._popup_key(self._popups[obj], event)
            editor = self._editor_of(obj)
            if editor is not None and self._handle_key(editor, event):
                return True
        return super().eventFilter(obj, event)

    @staticmethod
    def _editor_of(obj: QObject) -> QWidget | None:
        if isinstance(obj, QLineEdit) and isinstance(obj.parent(), QComboBox):
            return obj.parent()  # type: ignore[return-value]
        return obj if isinstance(obj, QWidget) else None

    def _popup_key(self, combo: QComboBox, event: QKeyEvent) -> bool:
        """Enter (or Tab) in a completion list takes the highlighted entry, or the first, and commits."""
        completer = combo.completer()
        if event.key() not in (*ENTER_KEYS, Qt.Key.Key_Tab) or completer is None:
            return False
        popup = completer.popup()
        if popup is None:
            return False
        index = popup.currentIndex()
        if not index.isValid():
            index = completer.completionModel().index(0, 0)
        if index.isValid():
            combo.setEditText(str(index.data()))
        popup.hide()
        down = event.key() in ENTER_KEYS
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.finish(combo, (-1 if shift else 1) if down else 0, 0 if down else 1)
        return True

    def _handle_key(self, editor: QWidget, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        if (
            key in ENTER_KEYS
            and isinstance(editor, QPlainTextEdit)
            and mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier)
        ):
            editor.insertPlainText("\n")
            return True
        if isinstance(editor, QComboBox) and editor.view().isVisible():
            return False
        moves = {Qt.Key.Key_Tab: (0, 1), Qt.Key.Key_Backtab: (0, -1)}
        if key in ENTER_KEYS:
            move = (-1, 0) if mods & Qt.KeyboardModifier.ShiftModifier else (1, 0)
        elif key in moves:
            backward = key == Qt.Key.Key_Backtab or mods & Qt.KeyboardModifier.ShiftModifier
            move = (0, -1) if backward else (0, 1)
        else:
            return False
        self.finish(editor, *move)
        return True

    def finish(self, editor: QWidget, rows: int, columns: int) -> None:
        """Commit the editor, close it, and ask the view to move the current cell."""
        self._committing = editor
        try:
            self.commitData.emit(editor)
        finally:
            self._committing = None
        if self._refused(editor):
            return  # the view keeps the editor open with its text and says why
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        self.navigated.emit(rows, columns)
