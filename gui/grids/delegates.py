"""Cell editors: a line for short text and amounts, a box for long text, combos for 一级/二级.

Keys inside an editor behave as in Excel and WPS: Enter commits and moves down,
Shift+Enter up, Tab right, Shift+Tab left, Alt+Enter (or Ctrl+Enter) starts a new
line in a long cell, Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QCompleter,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from gui.grids.base import LEFT, LEVEL, LINE, RIGHT, GridColumn, GridModel, font_key

Index = QModelIndex | QPersistentModelIndex
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
LONG_EDITOR_LINES = 5
ALIGNMENTS = {a: Qt.AlignmentFlag(a) for a in (LEFT, RIGHT)}
HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
NO_BRUSH = QBrush()
CELL_IMAGE_BYTES = 16 * 1024 * 1024  # the cells' images kept (a screen of cells is ~3 MB)
SEEN_KEPT = 8192  # cells painted once remembered before starting afresh


class CellImages:
    """Images of grid cells as Qt painted them, by everything that decides their pixels (the
    delegate's ``paint``): a project shown again, or cells that look alike in another project
    (一级/二级 names, scores, empty cells), are drawn from them. A cell's image is made the second
    time it is painted: a text painted once (the old value of a cell being typed in) costs
    nothing more. At most CELL_IMAGE_BYTES are kept; then they start afresh.

    Off until ``start`` (the window's turn after its first paint): a cell's state is a QStyle
    flag, and making QStyle's enums (12 ms) is not on the way to the first paint."""

    def __init__(self) -> None:
        self.on = False
        self.focus = 0  # QStyle's State_HasFocus
        self.selected = 0  # QStyle's State_Selected
        self.enabled = 0  # QStyle's State_Enabled
        self.row_panel: Any = None  # QStyle's PE_PanelItemViewRow
        self.grid_colour: Any = None  # QStyle's SH_Table_GridLineColor
        self.kept: dict[tuple[object, ...], tuple[QPixmap, object, object]] = {}
        self.bytes = 0
        self._seen: set[tuple[object, ...]] = set()

    def second_sight(self, key: tuple[object, ...]) -> bool:
        """True when ``key`` was painted before (else it is noted)."""
        if key in self._seen:
            return True
        if len(self._seen) >= SEEN_KEPT:
            self._seen.clear()
        self._seen.add(key)
        return False

    def keep(self, key: tuple[object, ...], image: QPixmap, background: object, foreground: object) -> None:
        """Keep an image with the brushes it was painted with (the key holds their ids)."""
        size = image.width() * image.height() * 4
        if self.bytes + size > CELL_IMAGE_BYTES:
            self.clear()
        self.kept[key] = (image, background, foreground)
        self.bytes += size

    def clear(self) -> None:
        self.kept, self.bytes = {}, 0
        self._seen.clear()

    def start(self) -> None:
        from PySide6.QtWidgets import QStyle

        import gui.grids.header  # noqa: F401 - the grids paint from Python from now on: their titles
        import gui.grids.paint  # noqa: F401 - and their cells (GridHeader, GridTable.paintEvent)

        self.focus = QStyle.StateFlag.State_HasFocus.value
        self.selected = QStyle.StateFlag.State_Selected.value
        self.enabled = QStyle.StateFlag.State_Enabled.value
        self.row_panel = QStyle.PrimitiveElement.PE_PanelItemViewRow
        self.grid_colour = QStyle.StyleHint.SH_Table_GridLineColor
        self.on = True


CELL_IMAGES = CellImages()


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
        self.images = CELL_IMAGES  # (shared by every grid; tests turn it off for Qt's own drawing)
        self._frame: tuple[object, ...] | None = None  # what the cells of the paint under way share
        self._fill = QColor()
        self._view: QTableView | None = None
        self._model: GridModel | None = None  # the view's, while it paints with images

    def begin_paint(self, view: QTableView, port: QWidget) -> None:
        """The view is about to paint its cells (``GridTable.paintEvent``): note what they all share
        (palette, font, style, the viewport's colour under them), or that Qt draws them directly —
        no images kept, or a device pixel ratio other than 1 (a cell's image would be placed at
        fractions of a pixel at 125 %/150 % Windows scaling)."""
        model = view.model()
        if not self.images.on or port.devicePixelRatioF() != 1.0 or not isinstance(model, GridModel):
            self._frame = self._model = None
            return
        self._view, self._model = view, model
        self._frame = (
            view.palette().cacheKey(),
            font_key(view.font()),
            id(view.style()),
            view.layoutDirection(),
            view.wordWrap(),  # (a cell's option features: the view's, and HasDisplay)
            view.alternatingRowColors(),
            view.textElideMode(),
        )
        self._fill = port.palette().color(port.backgroundRole())

    def painting_images(self) -> bool:
        """True between ``begin_paint`` and ``end_paint`` when the cells may come from images."""
        return self._frame is not None

    def end_paint(self) -> None:
        self._frame = self._model = None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Paint a cell as Qt does, or the image of it Qt painted the last time the same cell
        (text, colours, alignment, size, state, palette, font) was painted twice (``CellImages``):
        laying out and shaping each cell's text, twice per cell, was most of a switch's painting.
        The current cell (its focus frame is drawn with anti-aliased corners) is always painted."""
        model = self._model  # (the view's: every index it paints is of it)
        style = model.paint_roles(index) if model is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        images = self.images
        state = option.state._value_  # (an int: a Qt flag's & and hash are Python calls, µs each)
        if state & images.focus:
            super().paint(painter, option, index)
            return
        x, y, width, height = cast(tuple[int, int, int, int], option.rect.getRect())
        text, background, foreground, alignment = style
        key = (text, id(background), id(foreground), alignment, width, height, state, self._frame)
        found = images.kept.get(key)
        if found is not None and found[1] is background and found[2] is foreground:
            painter.drawPixmap(x, y, found[0])
            return
        if not images.second_sight(key):  # painted once only (an edited cell's old text): not kept
            super().paint(painter, option, index)
            return
        image = QPixmap(width, height)
        image.fill(self._fill)  # the viewport's own background, under the row and the cell
        local = QStyleOptionViewItem(option)
        local.rect = QRect(0, 0, width, height)
        on = QPainter(image)
        view = self._view
        assert view is not None
        view.style().drawPrimitive(images.row_panel, local, on, view)
        super().paint(on, local, index)
        on.end()
        images.keep(key, image, background, foreground)
        painter.drawPixmap(x, y, image)

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
