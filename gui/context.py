"""The application context passed to every panel: the open document, undo stack, checker.

Panels never touch storage: they call ``ctx.doc`` (core.report.Document) inside
QUndoCommands (gui/commands.py) and listen to the signals here.
"""

from __future__ import annotations

import functools
import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from core.report import Change, Document
from core.schema import REP
from core.storage.db import FileGoneError
from gui.problem_index import ProblemDelta, ProblemIndex

if TYPE_CHECKING:
    from core.model import Form, Report
    from core.rules import Checker
    from core.scoring import FormScore, FormSummary
    from core.templates import Template

# A report of more forms than this is checked a few forms per turn of the event loop after it shows.
CHECK_AT_ONCE = 60
# A batch touching more tables (of forms) than this is checked once in full at its end.
FULL_CHECK_AFTER = 30
# The cyclic garbage collector runs while the window is idle, not inside an edit: once a report is
# open and frozen (below), young objects are collected this long after the last change, and the
# automatic collection waits for this many new objects (Python's default, 700, came every few edits).
IDLE_COLLECT_MS = 250
YOUNG_OBJECTS = 20_000


@functools.cache
def _score_form() -> Callable[[Report, Form, Template], FormScore]:
    """core.scoring.score_form, imported when a form is first scored (not before the first paint):
    once, not by an import statement run on every edit (PySide's import hook is Python)."""
    from core.scoring import score_form

    return score_form


@functools.cache
def _form_summary() -> Callable[[Report, Form, Template], FormSummary]:
    """core.scoring.form_summary, imported as ``_score_form`` is."""
    from core.scoring import form_summary

    return form_summary


@functools.cache
def _summary_of() -> Callable[[FormScore], FormSummary]:
    """core.scoring.summary_of, imported as ``_score_form`` is."""
    from core.scoring import summary_of

    return summary_of


def keep_survivors() -> None:
    """What the collector has not freed so far stays out of its walks from now on (``gc.freeze``):
    the report's rows and problems a turn of its check made, the objects an edit left once it has
    been collected. A collection then walks only what was made since, a few thousand objects. Before,
    the survivors piled up in the second generation between its collections (up to ten times
    YOUNG_OBJECTS: 200,000 at 1,000 projects, the report read and checked after the open's freeze)
    and one collection of it took 250-470 ms, in a turn of the check or in the idle collection that
    fell on a project switch. Frozen objects are still freed when nothing refers to them (a closed
    report is: its document, forms and checker go without any collection); only garbage cycles among
    them stay, and an open or an edit makes almost none (a full collection after an open, or after
    100 edits, undos and switches at 200 projects, found 66 objects: a JSON encoder's closures)."""
    gc.freeze()


def _collect_idle() -> None:
    """The young objects collected while the window is idle; what survives is kept (above)."""
    gc.collect(1)
    keep_survivors()


class BatchingUndoStack(QUndoStack):
    """An undo stack whose undo and redo re-check the window once, however many cells they touch.

    It remembers its last step (push, undo or redo) and the number of the COMMIT that step handed to
    the writer thread, so a COMMIT found failed afterwards takes exactly that step back
    (``take_back``)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self._last: tuple[str, QUndoCommand, int] | None = None

    def push(self, command: QUndoCommand) -> None:
        super().push(command)
        self._note("push", self.command(self.index() - 1))

    def undo(self) -> None:
        if self.canUndo() and not self.ctx.settle() and self._file_still_there():
            command = self.command(self.index() - 1)
            self._step("已撤销", self.undoText(), super().undo)
            self._note("undo", command)

    def redo(self) -> None:
        if self.canRedo() and not self.ctx.settle() and self._file_still_there():
            command = self.command(self.index())
            self._step("已重做", self.redoText(), super().redo)
            self._note("redo", command)

    def clear(self) -> None:
        super().clear()
        self._last = None

    def _note(self, kind: str, command: QUndoCommand) -> None:
        doc = self.ctx.doc
        self._last = (kind, command, doc.background_commits) if doc is not None else None

    def take_back(self, commit: int) -> str:
        """The step whose COMMIT (number ``commit``) failed is undone in the stack only (the document
        has put the model back already): a pushed command is dropped, an undo is redone and a redo
        undone without running them. Return the step's text ("" when the failed COMMIT was no step's)."""
        last, self._last = self._last, None
        if last is None or last[2] != commit:
            return ""
        kind, command, _ = last
        at = self.index() - 1 if kind in ("push", "redo") else self.index()
        if not 0 <= at < self.count() or self.command(at) is not command:
            return ""
        text = command.text()
        if kind == "push":
            command.setObsolete(True)  # QUndoStack.undo deletes an obsolete command without undoing it
            QUndoStack.undo(self)
        elif kind == "redo":
            command._unapplied = True  # type: ignore[attr-defined]
            QUndoStack.undo(self)
        else:
            command._applied = True  # type: ignore[attr-defined]
            QUndoStack.redo(self)
        return text

    def _file_still_there(self) -> bool:
        """Undo and redo write too: refused (and 另存为 offered) when the report file is gone."""
        doc = self.ctx.doc
        if doc is None:
            return True
        try:
            doc.identity.verify(doc.path)
        except FileGoneError as exc:
            hook = getattr(self, "on_file_gone", None)
            if hook is not None:
                hook(str(exc))
            return False
        return True

    def _step(self, verb: str, text: str, step: Callable[[], None]) -> None:
        """Run an undo or redo as one batch, then say what it changed (``ctx.stepped``)."""
        self.ctx.recording = []
        try:
            with self.ctx.batch():
                step()
        finally:
            changes, self.ctx.recording = self.ctx.recording, None
        self.ctx.stepped.emit(f"{verb}：{text}", changes)


def coalesce(changes: list[Change]) -> list[Change]:
    """Merge a run of single-cell changes into one change per row, then a run of rows changed in
    the same columns into one change of those rows: a 400×4 paste is one change, not 1,600 (each
    panel's handler ran once per row, and each grid emitted a dataChanged per row)."""
    per_row: list[Change] = []
    for change in changes:
        last = per_row[-1] if per_row else None
        same_row = (
            last is not None
            and not change.structural
            and not last.structural
            and (last.form, last.table, last.rows) == (change.form, change.table, change.rows)
            and len(change.rows) == 1
        )
        if same_row and last is not None:
            columns = tuple(dict.fromkeys((*last.columns, *change.columns)))
            per_row[-1] = Change(last.form, last.table, last.rows, columns)
        else:
            per_row.append(change)
    out: list[Change] = []
    for change in per_row:
        last = out[-1] if out else None
        if (
            last is not None
            and not change.structural
            and not last.structural
            and change.rows
            and last.rows
            and (last.form, last.table, last.columns) == (change.form, change.table, change.columns)
        ):
            rows = tuple(dict.fromkeys((*last.rows, *change.rows)))
            out[-1] = Change(last.form, last.table, rows, last.columns)
        else:
            out.append(change)
    return out


def merge(changes: list[Change]) -> list[Change]:
    """One change per (form, table) a batch touched, in order: what the checker must look at again."""
    first: dict[tuple[int | None, str], Change] = {}
    rows: dict[tuple[int | None, str], set[int] | None] = {}  # None: the whole table
    columns: dict[tuple[int | None, str], dict[str, None]] = {}
    structural: set[tuple[int | None, str]] = set()
    for change in changes:
        key = (change.form, change.table)
        first.setdefault(key, change)
        found = rows.setdefault(key, set())
        if found is not None:
            if change.rows:
                found.update(change.rows)
            else:
                rows[key] = None
        columns.setdefault(key, {}).update(dict.fromkeys(change.columns))
        if change.structural:
            structural.add(key)
    return [
        Change(c.form, c.table, tuple(sorted(rows[k] or ())), tuple(columns[k]), k in structural)
        for k, c in first.items()
    ]


def _keep(listeners: list[Any], owner: QObject, listener: Any) -> None:
    """Add ``listener`` to ``listeners`` until ``owner`` is destroyed (``AppContext.listen``)."""
    listeners.append(listener)
    owner.destroyed.connect(lambda *_: listeners.remove(listener))


class AppContext(QObject):
    """Holds the open report and tells panels what changed."""

    # Emitted after every mutation of the document, with the core.report.Change.
    changed = Signal(object)
    # Emitted after the checker has re-checked (after `changed`); ``problem_delta`` says what changed.
    # For what must show in the same repaint as the edit (the grids' cells, the status bar): the
    # window's own panels are told first, by plain calls (``listen_problems``).
    problems_changed = Signal()
    # Emitted for the panels listing the whole report's problems (the problem list, the tree's
    # badges): at once after a full check (a report opened, 检查), and after an edit's re-check on
    # the next turn of the event loop, once the window has repainted the edit; ``panel_delta`` says
    # what changed since they were last told (every re-check in between, merged: none is lost).
    panel_problems_changed = Signal()
    # Emitted when another report file was opened (or the current one closed).
    document_replaced = Signal()
    # Emitted when the check of a report opened with ``check_later`` starts (``start_check``: the
    # window's start, on the turn after the report painted); what waits for it follows.
    check_started = Signal()
    # Emitted to ask the window to show a cell: (form uid or None, table, row, column).
    show_cell_requested = Signal(object, str, object, object)
    # Emitted after an undo or redo: (status-bar message "已撤销：…", the list of Changes it made).
    stepped = Signal(str, object)
    # Emitted when an edit's COMMIT failed after it showed and was taken back (model, panels, undo
    # stack): the user's sentence, and what was taken back.
    write_failed = Signal(str)
    # Emitted on the writer thread when its COMMIT failed: queued to this thread (``settle``).
    _commit_failed = Signal()

    def __init__(self, doc: Document | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Bumped first (connected before any panel) on every change, re-check and report replaced:
        # what a panel kept from before is good only while it is the same (gui/grids/base.py).
        self.generation = 0
        self.document_replaced.connect(self._bump)  # (a re-check bumps it itself: ``_tell_problems``)
        # Told of every change before ``changed``'s Qt slots, by plain calls (``listen``).
        self._listeners: list[Callable[[Change], None]] = []
        # Told of every re-check before ``problems_changed``'s Qt slots, by plain calls
        # (``listen_problems``).
        self._problem_listeners: list[Callable[[], None]] = []
        self.undo_stack = BatchingUndoStack(self)
        self._batch_depth = 0
        self._recheck_pending = False
        self._pending: list[Change] = []
        self.recording: list[Change] | None = None
        self.doc: Document | None = None
        self.checker: Checker | None = None
        self._check_later = False  # opened with check_later: start_check makes the checker
        self._scores: dict[int, FormScore] = {}
        self._summaries: dict[int, FormSummary] = {}  # of forms not scored in full (``summary``)
        # The checker's problems per form, and what the last re-check changed (read by the panels).
        self.problem_index = ProblemIndex()
        self._check_timer = QTimer(self, singleShot=True, interval=0)
        self._check_timer.timeout.connect(self._check_some)
        self._gc_timer = QTimer(self, singleShot=True, interval=IDLE_COLLECT_MS)
        self._gc_timer.timeout.connect(_collect_idle)
        self.problem_delta = ProblemDelta()
        self.panel_delta = ProblemDelta()
        self._panel_pending: ProblemDelta | None = None  # re-checks the panels are still to be told of
        self._panel_timer = QTimer(self, singleShot=True, interval=0)
        self._panel_timer.timeout.connect(self.flush_panels)
        self._touched: set[int] | None = set()  # forms changed since the last re-check (None = all)
        self._commit_failed.connect(self.settle, Qt.ConnectionType.QueuedConnection)
        if doc is not None:
            self.set_document(doc)

    def _bump(self, *args: object) -> None:
        self.generation += 1

    def listen(self, owner: QObject, listener: Callable[[Change], None]) -> None:
        """Tell ``listener`` of every change, as ``changed`` does (after the generation is bumped,
        before ``changed``'s Qt slots), by a plain call until ``owner`` is destroyed. The window's
        panels and grids listen so: each Qt slot of ``changed`` cost a round trip through Qt (about
        6,000 instructions) on every keystroke, and there are some twenty, most with nothing to do
        for a cell. A listener that raises is reported as a Qt slot's error is (``sys.excepthook``),
        and the others are still told."""
        _keep(self._listeners, owner, listener)

    def listen_problems(self, owner: QObject, listener: Callable[[], None]) -> None:
        """Tell ``listener`` of every re-check, as ``problems_changed`` does (after the generation is
        bumped, before ``problems_changed``'s Qt slots), by a plain call until ``owner`` is destroyed,
        as ``listen`` does for changes: the grids, the status bar and the editors that show problems
        listen so — each Qt slot of ``problems_changed`` was a round trip through Qt on every
        keystroke (nine of them, before the window repaints the edit)."""
        _keep(self._problem_listeners, owner, listener)

    def _tell(self, change: Change) -> None:
        """Tell the listeners, then ``changed``'s slots, of a change."""
        self.generation += 1
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - as PySide does for a slot: reported, the others told
                sys.excepthook(*sys.exc_info())
        self.changed.emit(change)

    def set_document(self, doc: Document | None, check_later: bool = False) -> None:
        """Switch to another open document (closing none: the caller closes the old one).

        ``check_later``: no checker yet (core.rules is not even imported); ``start_check`` makes it
        once the report shows (the window's start), and it checks as a big report is checked.
        """
        if self.doc is not None:
            self.settle()  # the last edit on disk, or taken back and said, while its report shows
            self.doc.unsubscribe(self._on_change)
            self.doc.on_write_failed = None
            self.doc.db.on_commit_failed = None
        self.undo_stack.clear()
        self.doc = doc
        self._scores.clear()
        self._summaries.clear()
        self.checker = None
        self._check_later = False
        self._check_timer.stop()
        self._touched = set()
        # The panels read the new report's (empty) problems from here on: the tree, rebuilt on
        # ``document_replaced``, shows this very delta, and ``_tell_problems`` below tells it again —
        # the same object, which it then skips (it made a second full pass over every node).
        self.problem_delta = self.panel_delta = self.problem_index.clear()
        if doc is not None:
            doc.subscribe(self._on_change)
            if not doc.read_only:  # each edit's COMMIT on the writer thread (core/storage/db.py)
                doc.commit_in_background = True
                doc.on_write_failed = self._write_failed
                doc.db.on_commit_failed = self._commit_failed.emit
            if check_later:
                self._check_later = True
            else:
                self._make_checker(stepwise=len(doc.report.forms) > CHECK_AT_ONCE)
        self.document_replaced.emit()
        self._tell_problems()

    def _make_checker(self, stepwise: bool) -> None:
        """Check the open report now, or (``stepwise``) a few forms per turn of the event loop."""
        from core.rules import Checker

        doc = self.open_doc
        self.checker = Checker(doc.report, doc.template, check=not stepwise)
        if stepwise:
            self._check_timer.start()  # the window shows first; problems follow in a moment
        else:
            self.problem_delta = self.problem_index.rebuild(self.checker, doc.report)
            self._freeze()

    def start_check(self) -> None:
        """Check a report opened with ``check_later`` (nothing when it is checked or was replaced)."""
        if not self._check_later or self.doc is None:
            return
        self._check_later = False
        self._make_checker(stepwise=True)
        self.check_started.emit()

    @property
    def check_pending(self) -> bool:
        """True while a report opened with ``check_later`` waits for its check to start (it has not
        painted yet): the tree's 自评预警 wait with it (``NavModel``)."""
        return self._check_later

    @property
    def checking(self) -> bool:
        """True while a report just opened is still being checked (a few forms per turn)."""
        return self._check_later or (self.checker is not None and not self.checker.complete)

    def _check_some(self) -> None:
        """Check forms for about 15 ms; when all are checked, show every problem at once."""
        checker, doc = self.checker, self.doc
        if checker is None or doc is None:
            return
        deadline = time.perf_counter() + 0.015
        while not checker.check_some(4):
            if time.perf_counter() > deadline:
                keep_survivors()  # the rows read and the problems found stay (see keep_survivors)
                self._check_timer.start()
                return
        self._touched = set()
        self.problem_delta = self.problem_index.rebuild(checker, doc.report)
        self._tell_problems()
        self._freeze()

    def _tell_problems(self) -> None:
        """Tell the panels the checker's problems changed (``problem_delta``): the grids and the
        status bar now; the problem list and the tree a turn later after an edit (``flush_panels``)."""
        self.generation += 1
        for listener in list(self._problem_listeners):
            try:
                listener()
            except Exception:  # noqa: BLE001 - as PySide does for a slot: reported, the others told
                sys.excepthook(*sys.exc_info())
        self.problems_changed.emit()
        delta = self.problem_delta
        if delta.everything:
            self._panel_timer.stop()
            self._panel_pending = None
            self.panel_delta = delta
            self.panel_problems_changed.emit()
            return
        pending = self._panel_pending
        self._panel_pending = delta if pending is None else pending.then(delta)
        self._panel_timer.start()

    def flush_panels(self) -> None:
        """Tell the problem list and the tree what the re-checks since they were last told changed
        (run on the turn of the event loop after an edit; at once by whoever needs them current)."""
        self._panel_timer.stop()
        pending, self._panel_pending = self._panel_pending, None
        if pending is not None:
            self.panel_delta = pending
            self.panel_problems_changed.emit()

    @staticmethod
    def _freeze() -> None:
        """The report, its parsed cells, its problems and Qt's wrappers live as long as the file is
        open: keep the collector from walking them on every full collection (a pause during typing);
        the young ones are collected when the window is idle (``_gc_timer``)."""
        keep_survivors()
        threshold = gc.get_threshold()
        if threshold[0] < YOUNG_OBJECTS:
            gc.set_threshold(YOUNG_OBJECTS, *threshold[1:])

    def postpone_collection(self) -> None:
        """A project switch (or another step the user waits for) is under way: the idle collection
        due after the last edit waits another IDLE_COLLECT_MS, not to fall inside it."""
        if self._gc_timer.isActive():
            self._gc_timer.start()

    def recheck_all(self) -> None:
        """Check the whole report again (检查 in the menu) and tell the panels."""
        if self._check_later and self.doc is not None:
            self._check_later = False
            self._make_checker(stepwise=False)
        elif self.checker is not None and self.doc is not None:
            self._check_timer.stop()
            self.checker.full()
            self._touched = set()
            self.problem_delta = self.problem_index.rebuild(self.checker, self.doc.report)
        self._tell_problems()

    def _note_touched(self, change: Change) -> None:
        """Remember which forms a change touched; forget their scores (all of them when unsure)."""
        overall = self.doc.report.overall if self.doc is not None else None
        if change.table == "forms" or (change.form is None and REP.template in change.columns):
            self._touched = None  # forms come or go, or another template: everything again
        if self._touched is None:
            self._scores.clear()
            self._summaries.clear()
            return
        if change.form is None:
            return  # the narrative, the report's fields, basic data: no form's score or own rules read it
        self._touched.add(change.form)
        self._scores.pop(change.form, None)
        self._summaries.pop(change.form, None)
        if overall is not None:
            self._scores.pop(overall.uid, None)  # its 评分表 reads the projects
            self._summaries.pop(overall.uid, None)

    def _emit_problems(self) -> None:
        """Bring the problem index up to date with the checker, then tell the panels."""
        touched, self._touched = self._touched, set()
        if self.checker is not None and self.doc is not None:
            if touched is None:
                self.problem_delta = self.problem_index.rebuild(self.checker, self.doc.report)
            else:
                self.problem_delta = self.problem_index.update(
                    self.checker, self.doc.report, touched, touched
                )
        self._tell_problems()
        self._gc_timer.start()  # (again): collect once typing pauses

    def _on_change(self, change: Change) -> None:
        self._note_touched(change)
        if self.recording is not None:
            self.recording.append(change)
        if self.checker is not None and self.doc is not None:
            self.checker.template = self.doc.template  # the template the report was switched to, if it was
        if self._batch_depth:
            self._pending.append(change)  # checked and told to the panels once, when the batch ends
            self._recheck_pending = True
            return
        if self.checker is not None:
            self.checker.apply(change)
        self._tell(change)
        self._emit_problems()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Emit ``problems_changed`` once after many changes (a pasted block is hundreds of cells).

        The writes inside are one transaction (``Document.grouped``): one COMMIT a step, so the undo
        stack knows which step a COMMIT that failed on the writer thread was (``take_back``)."""
        doc = self.doc
        group = doc.grouped() if doc is not None and not doc.read_only and not self._batch_depth else None
        self._batch_depth += 1
        try:
            with group if group is not None else nullcontext():
                yield
        finally:
            self._batch_depth -= 1
            if not self._batch_depth:
                pending, self._pending = self._pending, []
                if self.checker is not None and pending:
                    groups = merge(pending)
                    if len(groups) > FULL_CHECK_AFTER:
                        self.checker.full()  # one full check beats hundreds of form re-checks
                    else:
                        for change in groups:  # a 400-row paste: one re-check of one table
                            self.checker.apply(change)
                for change in coalesce(pending):
                    self._tell(change)
                if self._recheck_pending:
                    self._recheck_pending = False
                    self._emit_problems()

    def settle(self) -> str:
        """Wait for the last edit's COMMIT (on the writer thread); when it failed, the edit is taken
        back in the model, the panels and the undo stack, and ``write_failed`` says so. Return that
        sentence ("" when every edit is in the file)."""
        return self.doc.settle() if self.doc is not None else ""

    def written(self) -> bool:
        """Wait for the last edit's COMMIT; True unless it failed (for a crash handler: takes nothing
        back)."""
        return self.doc is None or self.doc.written()

    def _write_failed(self, message: str) -> None:
        """The document took back an edit whose COMMIT failed: so does the undo stack; say so."""
        doc = self.doc
        taken = self.undo_stack.take_back(doc.background_commits) if doc is not None else ""
        self.write_failed.emit(f"{message}\n\n已撤回：{taken}" if taken else message)

    @property
    def open_doc(self) -> Document:
        """Return the open document; for code that runs only while a report is open."""
        if self.doc is None:
            raise RuntimeError("no report is open")
        return self.doc

    def score(self, uid: int) -> FormScore | None:
        """Return core.scoring.FormScore for a form, cached until the next change."""
        if uid not in self._scores and self.doc is not None:
            self._scores[uid] = _score_form()(self.doc.report, self.doc.form(uid), self.doc.template)
        return self._scores.get(uid)

    def summary(self, uid: int) -> FormSummary | None:
        """Return a form's indicators' scores, total, grade and 自评预警 (core.scoring.form_summary),
        cached until the next change: what an edit repaints (建议得分, the status bar) and the tree
        shows, without the rest of ``score`` (worked out when a grid or an export needs it)."""
        score = self._scores.get(uid)
        if score is not None and uid not in self._summaries:
            self._summaries[uid] = _summary_of()(score)
        if uid not in self._summaries and self.doc is not None:
            self._summaries[uid] = _form_summary()(self.doc.report, self.doc.form(uid), self.doc.template)
        return self._summaries.get(uid)

    def cached_score(self, uid: int) -> FormScore | None:
        """Return a form's score when it is already computed (None otherwise)."""
        return self._scores.get(uid)

    def problems_at(self, uid: int | None, table: str, row: int | None, column: str | None) -> list[Any]:
        if self.checker is None:
            return []
        return list(self.checker.problems_at(uid, table, row, column))

    def request_show_cell(self, uid: int | None, table: str, row: int | None, column: str | None) -> None:
        self.show_cell_requested.emit(uid, table, row, column)
