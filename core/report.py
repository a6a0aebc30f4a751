"""The one mutation API: every change to a report goes through ``Document``.

Each call validates its input, writes it to the .zpdb file in its own
transaction (on disk when the call returns), updates the in-memory model and
returns a ``Change`` naming exactly what changed, so views refresh those cells
and the checker re-checks only what depends on them. Bad input raises
``InputError`` with a Chinese message and leaves file and model as they were.

With ``commit_in_background`` (the window sets it) a call returns once its statements ran, its
COMMIT going on on a writer thread (core/storage/db.py says why and what it costs): the next write,
``settle``, ``close`` and ``save_as`` wait for it, and if it failed ``settle`` takes that call back
(the file rolled back already; the model is put back and the listeners told) and says so.
"""

from __future__ import annotations

import copy
import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import model as m
from core import schema
from core.errorlog import log_exception
from core.model import FUNDS, Form, Report, Signoff
from core.numbers import amount_problem
from core.schema import HEAD, REP, ROW_TABLES, SECTION, Kind, Table, cleared_for_next_year
from core.storage import db as storage
from core.storage import repository as repo
from core.templates import Template, get_template

if TYPE_CHECKING:
    from core.storage.database import Database

TEXT_TABLES = ROW_TABLES
DIRECTIONS = {"", "≥", "≤", "="}
TRUE_WORDS = {"1", "true", "是", "√", "✓", "yes", "y", "不适用"}


class InputError(ValueError):
    """A value the user typed that cannot be stored; the message is for the user."""


@dataclass(frozen=True)
class Change:
    """What one mutation changed, for views to refresh and the checker to re-check.

    ``form`` is the form's uid (None for report-level data); ``table`` the table;
    ``rows``/``columns`` the cells touched (empty = the whole table); ``structural``
    when rows or forms were added, removed or moved.
    """

    form: int | None
    table: Table
    rows: tuple[int, ...] = ()
    columns: tuple[str, ...] = ()
    structural: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.table, Table):
            object.__setattr__(self, "table", Table(self.table))


Listener = Callable[[Change], None]


@dataclass
class _Pending:
    """A write whose COMMIT is under way on the writer thread: how to put the model back if it fails."""

    restores: list[Callable[[], None]]
    changes: list[Change]


@functools.cache
def _column(table: str, key: str) -> schema.Column | None:
    """``schema.column``, remembered: a 400-row paste looked each of its 1,600 cells' column up
    twice by walking the table's declarations."""
    return schema.column(table, key)


def _cell_value(table: str, column: str, value: Any) -> Any:
    """Check and normalise one typed value for a column; raise InputError."""
    return _normalise(col.kind if (col := _column(table, column)) is not None else Kind.TEXT, value)


def _normalise(kind: Kind, value: Any) -> Any:
    """Check and normalise one typed value for a column of ``kind``; raise InputError."""
    if kind == Kind.FLAG:
        return str(value).strip().lower() in TRUE_WORDS if not isinstance(value, bool) else value
    if kind == Kind.PATH:
        if isinstance(value, list):
            return [str(v) for v in value]
        return [p.strip() for p in str(value).split("/") if p.strip()]
    text = "" if value is None else str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if kind == Kind.AMOUNT:
        text = text.strip()
        problem = amount_problem(text)
        if problem:
            raise InputError(problem)
    if kind == Kind.DIRECTION:
        text = {">=": "≥", "<=": "≤", "＝": "=", "≧": "≥", "≦": "≤"}.get(text.strip(), text.strip())
        if text not in DIRECTIONS:
            raise InputError("指标方向只能是 ≥、≤、= 或留空")
    return text


def refusal(table: str, column: str, value: Any) -> str | None:
    """Return why ``value`` cannot go in a cell (the InputError message), or None when it can."""
    try:
        _cell_value(table, column, value)
    except InputError as exc:
        return str(exc)
    return None


class Document:
    """An open report: the model in memory and its .zpdb file, kept in step."""

    def __init__(self, db: Database, report: Report, path: Path, template: Template) -> None:
        self.db = db
        self.report = report
        self.path = Path(path)
        # The report's template, resolved once when the file was opened or created (and replaced when
        # the user switches region): the checker, the scores and the exports are handed this object.
        self.template = template
        self._listeners: list[Listener] = []
        self.read_only = False
        self.warning = ""  # one sentence to show once after opening (a backup that could not be made)
        self.backup_pending = False  # opened with ``backup_later``: ``back_up`` not yet run
        self.identity = storage.FileIdentity.of(self.path, db)
        # While ``grouped``: the model's way back for each write done inside, and what they told.
        self._group: tuple[list[Callable[[], None]], list[Change]] | None = None
        # Each write's COMMIT on a writer thread (``settle``); the window sets this, and the hook
        # ``on_write_failed`` (called from ``settle`` with the user's sentence) to say so.
        self.commit_in_background = False
        self.on_write_failed: Callable[[str], None] | None = None
        self._pending: _Pending | None = None
        self.background_commits = 0  # COMMITs handed to the writer thread (the last is ``settle``'s)
        self._depth = 0  # transactions open (a write inside a group is one inside another)
        # The 请核对 flags of the rows a delete_rows took away, by (form, table): its undo restores them.
        self._dropped_flags: dict[tuple[int, str], list[tuple[int, Any, m.ReviewFlag]]] = {}

    # ---- opening and closing -------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path | str,
        backup: bool = True,
        read_only: bool = False,
        backup_later: bool = False,
        lazy_rows: bool = False,
    ) -> Document:
        """Open a .zpdb for editing (StorageError with a Chinese message if it cannot be).

        ``read_only`` never writes the file (an older one is upgraded in memory only); the
        Document then refuses every edit. ``backup_later``: the backup of the file as opened is
        taken by ``back_up`` (the window calls it once the report shows: a copy with fsync is
        20–40 ms), at the latest before the first write or at ``close``. ``lazy_rows``: each form's
        rows are read from the file when first used (the window: a big report shows without reading
        all of them first); ``close`` reads those still unread, so the model stays whole.
        """
        path = Path(path)
        backup = backup and not read_only
        now = backup and not backup_later
        db = storage.open_database(path, backup=now, read_only=read_only)
        try:
            report = repo.load_report(db, lazy_rows=lazy_rows)
            template = get_template(report.template)
            bad = [f for f in report.forms if f.kind not in m.FORM_KINDS]
            if bad:
                raise ValueError(f"unknown form kind {bad[0].kind!r}")
        except Exception as exc:
            storage.close_database(db)
            log_exception(exc, f"opening {path}")
            raise storage.DamagedFileError(
                f"报告文件“{path.name}”的内容不完整或已损坏，未做任何改动，"
                "请用“文件 → 从备份恢复…”取回最近的备份。"
            ) from exc
        doc = cls(db, report, path, template)
        doc.read_only = read_only
        doc.backup_pending = backup and backup_later
        doc.warning = storage.last_backup_problem(path) if now else ""
        return doc

    def back_up(self) -> str:
        """Take the backup put off at open (once); return the sentence to show when it could not be
        made ("" otherwise: also when there was none to take)."""
        if not self.backup_pending:
            return ""
        self.backup_pending = False
        try:  # a report opened with its rows unread: a backup only of a file that reads whole
            self.report.load_rows()
        except Exception as exc:  # noqa: BLE001 - a damaged row (which an eager open refuses): no
            # copy of it, or opening it ten times would push every good backup out (the last 10 kept)
            log_exception(exc, f"reading {self.path} before its backup")
            self.warning = storage.damaged_message(self.path)
            return self.warning
        storage.make_backup(self.db, self.path)
        self.warning = storage.last_backup_problem(self.path)
        return self.warning

    @classmethod
    def create(cls, path: Path | str, report: Report) -> Document:
        """Write ``report`` to a new .zpdb file and open it; no partial file on failure."""
        path = Path(path)
        template = get_template(report.template)
        try:
            db = storage.create_database(path)
        except sqlite3.Error as exc:
            path.unlink(missing_ok=True)
            log_exception(exc, f"creating {path}")
            raise storage.StorageError(storage.create_failure(path, exc)) from exc
        try:
            fill_fund_rows(report, template)
            repo.write_report(db, report)
        except BaseException as exc:
            storage.close_database(db)
            path.unlink(missing_ok=True)
            path.with_name(path.name + "-journal").unlink(missing_ok=True)
            if isinstance(exc, (sqlite3.Error, UnicodeEncodeError)):
                log_exception(exc, f"creating {path}")
                raise storage.StorageError(storage.create_failure(path, exc)) from exc
            raise
        return cls(db, report, path, template)

    def settle(self) -> str:
        """Wait for the COMMIT under way on the writer thread; return "" when it (or none) was made.

        When it failed (a full disk, a stick pulled out) the file was rolled back to before that write:
        the model is put back too (each of its writes' restores, last first), the listeners are told
        that each table it touched changed (read it again), ``on_write_failed`` gets the user's
        sentence, and that sentence is returned."""
        pending, self._pending = self._pending, None
        failure = self.db.wait()
        if failure is None:
            if pending is not None:
                self.identity.committed(self.path)
            return ""
        log_exception(failure, f"committing to {self.path}")
        if pending is not None:
            for restore in reversed(pending.restores):
                restore()
            for form, table in dict.fromkeys((c.form, c.table) for c in pending.changes):
                self._emit(Change(form, table, structural=True))
        self.identity.committed(self.path)  # rolled back: the file as it was before that write
        message = storage.write_failure(self.path, failure)
        if self.on_write_failed is not None:
            self.on_write_failed(message)
        return message

    def written(self) -> bool:
        """Wait for the COMMIT under way; True unless it failed (nothing taken back: see ``settle``)."""
        return self._pending is None or self.db.wait(take=False) is None

    def close(self) -> None:
        self.settle()  # the last write on disk (or taken back and said) before the file is let go
        try:
            self.report.load_rows()  # the model outlives the file: rows left unread are read now
        except Exception as exc:  # noqa: BLE001 - the file went away, or a row is damaged (a value
            # no open would have read: opening it eagerly says so and offers a backup): what was read
            # stays, and the file is let go all the same (its lock held, 从备份恢复 could not replace it)
            log_exception(exc, f"reading the rest of {self.path}")
        self.back_up()  # still pending: the file as opened is kept (what a backup at open kept)
        storage.close_database(self.db)

    def save_as(self, target: Path | str) -> None:
        """Write a copy of the report to ``target`` (the SQLite backup API)."""
        self.settle()
        storage.save_copy(self.db, Path(target))

    # ---- listeners -----------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, change: Change) -> Change:
        if self._group is not None:
            self._group[1].append(change)
        elif self._pending is not None:
            self._pending.changes.append(change)
        for listener in list(self._listeners):
            listener(change)
        return change

    @contextmanager
    def grouped(self) -> Iterator[None]:
        """Several writes as one transaction: a paste that adds rows and fills them commits once (four
        disk syncs, not eight). Each write inside keeps its own way back (a savepoint, and its model
        restore when it fails); if anything inside fails, or the final commit does, the file rolls
        back to before the group, every model change made inside is put back (last first) and the
        listeners are told each table touched changed structurally (read it again). Nested: one
        transaction, the outermost's."""
        if self._group is not None:
            yield
            return
        problem = self.settle() if not self._depth else ""  # before the group: its take-back is not ours
        if problem:
            raise storage.StorageError(problem)
        group: tuple[list[Callable[[], None]], list[Change]] = ([], [])
        self._group = group
        try:
            with self._transaction():
                yield
            if self._pending is not None:  # committing on the writer thread: how to take it back
                self._pending.restores += group[0]
                self._pending.changes += group[1]
        except BaseException:
            self._group = None
            for restore in reversed(group[0]):
                restore()
            for form, table in dict.fromkeys((c.form, c.table) for c in group[1]):
                self._emit(Change(form, table, structural=True))
            raise
        finally:
            self._group = None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self.read_only:
            raise storage.ReadOnlyError(
                f"“{self.path.name}”以只读方式打开，不能修改，请另存为新文件后再编辑。"
            )
        outermost = not self._depth
        if outermost:
            problem = self.settle()  # the last write's COMMIT done, or taken back: then not this one
            if problem:
                raise storage.StorageError(problem)
        self.identity.verify(self.path)
        self.back_up()  # still pending: the file as it was before this first write
        later = outermost and self.commit_in_background
        self._depth += 1
        try:
            with self.db.atomic(commit_later=later):
                yield
        except storage.StorageError:
            raise
        except Exception as exc:
            if isinstance(exc, InputError):
                raise
            log_exception(exc, f"writing {self.path}")
            raise storage.StorageError(storage.write_failure(self.path, exc)) from exc
        finally:
            self._depth -= 1
            if not later:
                self.identity.committed(self.path)
        if later:
            self._pending = _Pending([], [])  # its COMMIT is under way: ``settle`` learns how it went
            self.background_commits += 1

    # ---- cells ---------------------------------------------------------------
    def form(self, uid: int) -> Form:
        return self.report.form_by_uid(uid)

    def get_cell(self, uid: int, table: str, row: int, column: str) -> Any:
        return getattr(self.form(uid).rows(table)[row], column)

    def set_cell(self, uid: int, table: str, row: int, column: str, value: Any) -> Change:
        """Set one cell of a form's table."""
        return self.set_cells([(uid, table, row, column, value)])[0]

    def set_cells(self, edits: list[tuple[int, str, int, str, Any]]) -> list[Change]:
        """Set many cells in one transaction (a paste); all or nothing. Listeners are told once per
        run of cells in one row (the columns together)."""
        prepared = []
        forms: dict[int, Form] = {}
        for uid, table, row, column, value in edits:
            if table not in TEXT_TABLES:
                raise InputError(f"未知的表：{table}")
            form = forms.get(uid)
            if form is None:
                form = forms[uid] = self.form(uid)
            target = form.rows(table)
            if not 0 <= row < len(target):
                raise InputError(f"第 {row + 1} 行不存在")
            col = _column(table, column)
            if col is None or col.kind == Kind.KEY or not col.storage:
                raise InputError(f"未知的列：{column}")
            prepared.append((uid, Table(table), row, target[row], col, _normalise(col.kind, value)))
        saved = [(item, c.key, getattr(item, c.key)) for _, _, _, item, c, _ in prepared]
        for _, _, _, item, col, value in prepared:
            setattr(item, col.key, value)

        def restore() -> None:
            for item, key, old in reversed(saved):
                setattr(item, key, old)

        self._commit(
            lambda db: repo.update_cells(db, [(t, u, r, item, c, v) for u, t, r, item, c, v in prepared]),
            restore,
        )
        changes: list[Change] = []  # one per row: a pasted row of four cells is one change, not four
        for uid, table, row, _, col, _ in prepared:
            last = changes[-1] if changes else None
            if last is not None and (last.form, last.table, last.rows) == (uid, table, (row,)):
                if col.key not in last.columns:
                    changes[-1] = Change(uid, table, (row,), (*last.columns, col.key))
            else:
                changes.append(Change(uid, table, (row,), (col.key,)))
        for ch in changes:
            self._emit(ch)
        return changes

    def _commit(self, write: Callable[[Database], object], restore: Callable[[], None]) -> None:
        """The one write path: ``write`` runs in one transaction; if it fails, the file rolls back
        and ``restore`` puts the model back as it was. Callers change the model first (writes read
        it), so file and model change together or not at all."""
        try:
            with self._transaction():
                write(self.db)
        except BaseException:
            restore()
            raise
        if self._group is not None:
            self._group[0].append(restore)  # the group's commit is still to come
        elif self._pending is not None:
            self._pending.restores.append(restore)  # its commit is under way on the writer thread

    # ---- rows ----------------------------------------------------------------
    def _rewrite(self, form: Form, table: str, rows: list[Any]) -> None:
        saved = list(form.rows(table))
        flags = form.review_flags
        moved = _follow_rows(flags, table, saved, rows)
        form.rows(table)[:] = rows
        form.review_flags = moved

        def restore() -> None:
            form.rows(table)[:] = saved
            form.review_flags = flags

        def write(db: Database) -> None:
            repo.write_form_table(db, form, table)
            if moved != flags:
                repo.write_flags(db, form)

        self._commit(write, restore)

    def insert_rows(
        self, uid: int, table: str, index: int, rows: list[Any] | None = None, count: int = 1
    ) -> Change:
        """Insert rows (blank ones by default) before ``index``."""
        if table == FUNDS:
            raise InputError("资金表的行由模板决定，不能增删")
        form = self.form(uid)
        current = list(form.rows(table))
        index = max(0, min(index, len(current)))
        new = [copy.deepcopy(r) for r in rows] if rows else [m.row_factory(table)() for _ in range(count)]
        self._rewrite(form, table, current[:index] + new + current[index:])
        span = tuple(range(index, index + len(new)))
        return self._emit(Change(uid, Table(table), span, structural=True))

    def delete_rows(self, uid: int, table: str, indexes: list[int]) -> Change:
        """Delete rows (the caller keeps copies for undo: see ``restore_rows``)."""
        if table == FUNDS:
            raise InputError("资金表的行由模板决定，不能增删")
        form = self.form(uid)
        current = list(form.rows(table))
        chosen = sorted({i for i in indexes if 0 <= i < len(current)})
        gone = [
            (f.cell_row, copy.deepcopy(current[f.cell_row]), f)
            for f in form.review_flags
            if f.cell_table == table and f.row in chosen
        ]
        self._rewrite(form, table, [r for i, r in enumerate(current) if i not in set(chosen)])
        if gone:  # kept for restore_rows: an undone delete brings the rows back with their flags
            self._dropped_flags[(uid, table)] = gone
        return self._emit(Change(uid, Table(table), tuple(chosen), structural=True))

    def restore_rows(
        self, uid: int, table: str, removed: list[tuple[int, Any]], flags: list[m.ReviewFlag] | None = None
    ) -> Change:
        """Put back rows removed by delete_rows (undo), with ``flags``: the 请核对 flags the rows had
        (``flags_of_rows`` before the delete). Without them, the flags the last delete of this table
        took away come back if they were these rows' (an undo stack holding several deletes passes
        each its own)."""
        form = self.form(uid)
        current = list(form.rows(table))
        for index, row in sorted(removed, key=lambda p: p[0]):
            current.insert(index, copy.deepcopy(row))
        dropped = self._dropped_flags.pop((uid, table), [])
        if flags is not None:
            back = [replace(f) for f in flags]
        else:
            back = [f for at, row, f in dropped if (at, row) in ((i, r) for i, r in removed)]
        with self.grouped():
            self._rewrite(form, table, current)
            if back:
                self.set_review_flags(uid, [*form.review_flags, *back])
        return self._emit(Change(uid, Table(table), tuple(i for i, _ in removed), structural=True))

    def flags_of_rows(self, uid: int, table: str, indexes: list[int]) -> list[m.ReviewFlag]:
        """The 请核对 flags at these rows of ``table`` (kept by a delete's undo for ``restore_rows``)."""
        chosen = set(indexes)
        return [replace(f) for f in self.form(uid).review_flags if f.cell_table == table and f.row in chosen]

    def move_row(self, uid: int, table: str, src: int, dst: int) -> Change:
        """Move one row from ``src`` to position ``dst``."""
        form = self.form(uid)
        current = list(form.rows(table))
        if table == FUNDS or not (0 <= src < len(current) and 0 <= dst < len(current)):
            raise InputError("无法移动该行")
        row = current.pop(src)
        current.insert(dst, row)
        self._rewrite(form, table, current)
        lo, hi = min(src, dst), max(src, dst)
        return self._emit(Change(uid, Table(table), tuple(range(lo, hi + 1)), structural=True))

    # ---- 请核对 flags ------------------------------------------------------------
    def set_review_flags(self, uid: int, flags: list[m.ReviewFlag]) -> Change:
        """Give a form exactly these 请核对 flags (已核对 drops one; its undo puts the list back)."""
        form = self.form(uid)
        old = form.review_flags
        form.review_flags = [replace(f) for f in flags]
        self._commit(lambda db: repo.write_flags(db, form), lambda: setattr(form, "review_flags", old))
        return self._emit(Change(uid, Table.REVIEW_FLAGS))

    def mark_checked(self, uid: int, table: str, row: int | None, column: str | None) -> list[m.ReviewFlag]:
        """已核对: drop the 请核对 flags at one cell (row/column None: the header or whole table's);
        return the form's flags as they were (for undo: ``set_review_flags``). Nothing is written
        when the cell has none."""
        form = self.form(uid)
        old = list(form.review_flags)
        keep = [f for f in old if not _flag_at(f, table, row, column)]
        if len(keep) != len(old):
            self.set_review_flags(uid, keep)
        return old

    # ---- form header fields --------------------------------------------------
    def set_form_field(self, uid: int, name: str, value: str) -> Change:
        """Set a header field of a form (名称, 主管部门, 实施单位, 执行率分值, …)."""
        col = schema.column(Table.HEADER, name)
        if col is None:
            raise InputError(f"未知的字段：{name}")
        value = str(value)
        problem = amount_problem(value) if col.kind == Kind.AMOUNT else None
        if problem:
            raise InputError(problem)
        if name == HEAD.name and not value.strip():
            raise InputError("名称不能为空")
        form = self.form(uid)
        old = getattr(form, name)
        setattr(form, name, value)
        self._commit(
            lambda db: repo.update_form(db, uid, {col.storage: value}), lambda: setattr(form, name, old)
        )
        return self._emit(Change(uid, Table.HEADER, columns=(name,)))

    def set_form_signoff(self, uid: int, signoff: Signoff | None) -> Change:
        """Set (or, with None, remove) a form's own sign-off."""
        form = self.form(uid)
        old = form.signoff
        form.signoff = signoff
        self._commit(lambda db: repo.write_form_signoff(db, form), lambda: setattr(form, "signoff", old))
        return self._emit(Change(uid, Table.HEADER, columns=("signoff",)))

    # ---- report fields ---------------------------------------------------------
    def set_report_field(self, name: str, value: Any) -> Change:
        """Set year, department, template or a sign-off field (preparer/phone/date/head)."""
        rep = self.report
        if name in m.SIGNOFF_FIELDS:
            old_signoff = rep.signoff
            rep.signoff = replace(rep.signoff, **{name: str(value)})
            self._commit(
                lambda db: repo.update_report(db, {name: str(value)}),
                lambda: setattr(rep, "signoff", old_signoff),
            )
            return self._emit(Change(None, Table.REPORT, columns=(name,)))
        if name == REP.year:
            try:
                value = int(str(value).strip())
            except ValueError as exc:
                raise InputError("年度应为四位数字，如 2023") from exc
            if not 2000 <= value <= 2100:
                raise InputError("年度应在 2000 至 2100 之间")
        elif name == REP.template:
            return self._change_template(str(value))
        elif name != REP.department:
            raise InputError(f"未知的字段：{name}")
        old = getattr(rep, name)
        setattr(rep, name, value)
        self._commit(lambda db: repo.update_report(db, {name: value}), lambda: setattr(rep, name, old))
        return self._emit(Change(None, Table.REPORT, columns=(name,)))

    def _change_template(self, template_id: str) -> Change:
        """Switch region layout: every form gets the new template's fund rows, keeping matching ones."""
        template = get_template(template_id)
        for form in self.report.forms:
            keep = {spec.key for spec in template.form(form.kind).fund_rows}
            lost = [r for r in form.funds if r.key not in keep and (r.initial or r.annual or r.executed)]
            if lost:
                label = self.template.form(form.kind).row_spec(lost[0].key)
                name = label.label if label else lost[0].key
                raise InputError(f"更换模板会丢失“{form.name}”资金行“{name}”中的数据，请先清空该行")
        saved = [list(f.funds) for f in self.report.forms]
        for form in self.report.forms:
            fill_form_funds(template, form)

        def write(db: Database) -> None:
            repo.update_report(db, {REP.template: template_id})
            for form in self.report.forms:
                repo.write_form_table(db, form, FUNDS)

        def restore() -> None:
            for form, funds in zip(self.report.forms, saved, strict=True):
                form.funds = funds

        self._commit(write, restore)
        self.report.template, self.template = template_id, template
        return self._emit(Change(None, Table.REPORT, columns=(REP.template,), structural=True))

    # ---- the 基础数据表 ------------------------------------------------------------
    def basic_rows(self, part: schema.BasicPart) -> list[dict[str, Any]]:
        """Return the rows of one part of the 基础数据表 as shown (see ``schema.basic_rows``)."""
        defaults = [str(label) for label in self.template.basic_data.get("expense_rows", [])]
        return schema.basic_rows(self.report.basic_data, part, defaults)

    def basic_cell(self, row: int, column: str) -> str:
        """Return one cell of the 基础数据表 as text ("" when not filled in)."""
        part = schema.basic_part(column)
        rows = self.basic_rows(part) if part is not None else []
        value = rows[row].get(column, "") if 0 <= row < len(rows) else ""
        return "" if value is None else str(value)

    def set_basic_cells(self, edits: list[tuple[int, str, Any]]) -> list[Change]:
        """Set cells (row, column, value) of the 基础数据表 in one transaction, each checked by its
        column's kind like every other table's cells; all or nothing."""
        data = dict(self.report.basic_data)
        copied: set[schema.BasicPart] = set()
        for row, column, value in edits:
            col, part = schema.column(Table.BASIC_DATA, column), schema.basic_part(column)
            if col is None or part is None or not col.editable:
                raise InputError(f"未知的列：{column}")
            rows = self.basic_rows(part)
            if not 0 <= row < len(rows):
                raise InputError(f"第 {row + 1} 行不存在")
            text, key = _cell_value(Table.BASIC_DATA, column, value), part.value
            if part == schema.BasicPart.THRIFT:
                data[key] = text
                continue
            if part not in copied:  # the model's own rows stay as they were until the write is done
                copied.add(part)
                data[key] = [dict(r) for r in rows] if part == schema.BasicPart.EXPENSES else dict(rows[0])
            target = data[key][row] if part == schema.BasicPart.EXPENSES else data[key]
            target[column] = text
        old = self.report.basic_data
        self.report.basic_data = data
        self._commit(
            lambda db: repo.write_basic_data(db, self.report), lambda: setattr(self.report, "basic_data", old)
        )
        changes = [Change(None, Table.BASIC_DATA, (row,), (column,)) for row, column, _ in edits]
        for ch in changes:
            self._emit(ch)
        return changes

    def set_analysis(self, key: str, text: str) -> Change:
        """Set one section of the 汇总分析报告 (blank: back to the template's draft)."""
        old = self.report.analysis
        analysis = {**old, key: text}
        if not text:
            analysis.pop(key)
        self.report.analysis = analysis
        self._commit(
            lambda db: repo.write_analysis(db, analysis), lambda: setattr(self.report, "analysis", old)
        )
        return self._emit(Change(None, Table.ANALYSIS, columns=(key,)))

    # ---- forms ---------------------------------------------------------------
    def add_form(self, kind: str, name: str, index: int | None = None, form: Form | None = None) -> Change:
        """Add a form (a blank one from the template unless ``form`` is given)."""
        if kind not in m.FORM_KINDS:
            raise InputError(f"未知的表类型：{kind}")
        if kind == m.OVERALL and self.report.overall is not None and form is None:
            raise InputError("每份报告只有一张部门整体支出表")
        new = (
            copy.deepcopy(form)
            if form is not None
            else blank_form(self.template, kind, name, self.report.department)
        )
        new.uid = form.uid if form is not None else 0
        fill_form_funds(self.template, new)
        forms = self.report.forms
        index = len(forms) if index is None else max(0, min(index, len(forms)))
        forms.insert(index, new)

        def write(db: Database) -> None:
            repo.write_form(db, new, index)
            repo.write_positions(db, self.report)

        self._commit(write, lambda: forms.__delitem__(self.report.position(new)))
        return self._emit(Change(new.uid, Table.FORMS, (index,), structural=True))

    def delete_form(self, uid: int) -> Change:
        """Delete a form (the caller keeps a copy for undo)."""
        form = self.form(uid)
        form.load_rows()  # its rows leave the file now: the form kept for undo must hold them
        forms = self.report.forms
        index, saved = self.report.position(form), list(forms)
        del forms[index]

        def write(db: Database) -> None:
            repo.delete_form(db, uid)
            repo.write_positions(db, self.report)

        self._commit(write, lambda: forms.__setitem__(slice(None), saved))
        return self._emit(Change(uid, Table.FORMS, (index,), structural=True))

    def move_form(self, uid: int, index: int) -> Change:
        form = self.form(uid)
        forms = self.report.forms
        old, saved = self.report.position(form), list(forms)
        del forms[old]
        forms.insert(max(0, min(index, len(forms))), form)
        self._commit(
            lambda db: repo.write_positions(db, self.report), lambda: forms.__setitem__(slice(None), saved)
        )
        return self._emit(Change(uid, Table.FORMS, (old, self.report.position(form)), structural=True))

    def duplicate_form(self, uid: int) -> Change:
        source = self.form(uid)
        copy_form = copy.deepcopy(source)
        copy_form.uid = 0
        copy_form.name = f"{source.name}（副本）"
        return self.add_form(source.kind, copy_form.name, self.report.position(source) + 1, copy_form)

    # ---- narrative -----------------------------------------------------------
    def set_section(self, index: int, title: str | None = None, text: str | None = None) -> Change:
        """Change a 自评报告 section's title or text."""
        sections = self.report.narrative
        if not 0 <= index < len(sections):
            raise InputError("该章节不存在")
        old = sections[index]
        given = {k: v for k, v in ((SECTION.title, title), (SECTION.text, text)) if v is not None}
        new = replace(old, **given)
        sections[index] = new
        self._commit(lambda db: repo.update_section(db, index, new), lambda: sections.__setitem__(index, old))
        cols = tuple(given)
        return self._emit(Change(None, Table.NARRATIVE, (index,), cols))

    def set_sections(self, sections: list[m.NarrativeSection]) -> Change:
        """Replace the whole outline (add, remove or reorder sections)."""
        old = self.report.narrative
        self.report.narrative = [replace(s) for s in sections]
        self._commit(
            lambda db: repo.write_narrative(db, self.report), lambda: setattr(self.report, "narrative", old)
        )
        return self._emit(Change(None, Table.NARRATIVE, structural=True))


def _flag_at(flag: m.ReviewFlag, table: str, row: int | None, column: str | None) -> bool:
    return flag.cell_table == table and flag.row == row and flag.column == column


def _follow_rows(flags: list[m.ReviewFlag], table: str, old: list[Any], new: list[Any]) -> list[m.ReviewFlag]:
    """The flags after ``table``'s rows went from ``old`` to ``new``: a row's flags follow the row
    (the same object) to its new place; those of a row no longer there go with it."""
    if not any(f.cell_table == table and f.row is not None for f in flags):
        return flags
    where = {id(row): i for i, row in enumerate(new)}
    out = []
    for flag in flags:
        if flag.cell_table != table or flag.row is None:
            out.append(flag)
            continue
        at = where.get(id(old[flag.cell_row])) if flag.cell_row < len(old) else None
        if at is not None:
            out.append(replace(flag, cell_row=at))
    return out


def blank_form(template: Template, kind: str, name: str, department: str = "") -> Form:
    """Return a new form laid out by the template: fund rows, one goal, the score sheet."""
    spec = template.form(kind)
    form = Form(
        kind=kind,
        name=name,
        supervisor=department,
        implementer=department,
        execution_weight=spec.execution_weight,
    )
    form.goals.append(m.Goal())
    form.score_sheet = [
        m.ScoreItem(
            path=list(c.path), weight=c.weight, explanation=c.explanation, rule=c.rule, formula=c.formula
        )
        for c in spec.score_sheet
    ]
    fill_form_funds(template, form)
    return form


def fill_form_funds(template: Template, form: Form) -> None:
    """Give a form exactly the template's fund rows, in order, keeping what is there."""
    have = {row.key: row for row in form.funds}
    form.funds = [
        have.get(spec.key) or m.FundRow(key=spec.key) for spec in template.form(form.kind).fund_rows
    ]


def fill_fund_rows(report: Report, template: Template) -> None:
    for form in report.forms:
        fill_form_funds(template, form)


def new_report(
    template_id: str, year: int, department: str, project_names: list[str] | None = None
) -> Report:
    """Return a fresh report: the overall form, the named projects, the template's outline."""
    template = get_template(template_id)
    report = Report(template=template_id, year=year, department=department)
    report.forms.append(blank_form(template, m.OVERALL, department, department))
    for name in project_names or []:
        if name.strip():
            report.forms.append(blank_form(template, m.PROJECT, name.strip(), department))
    report.narrative = [
        m.NarrativeSection(title=t, text=template.narrative_drafts.get(t, "")) for t, _ in template.narrative
    ]
    return report


def next_year_report(report: Report, year: int | None = None, *, template: Template) -> Report:
    """Start next year's report from this one: keep forms, indicators and targets; clear results."""
    new = report.clone()
    new.year = year if year is not None else report.year + 1
    # What is cleared is the schema's: the columns declared ``cleared_next_year`` (the year's results).
    new.signoff = cleared_for_next_year(report.signoff)
    new.forms = [cleared_for_next_year(form) for form in new.forms]
    for form in new.forms:
        form.uid = 0
        if form.signoff is not None:
            form.signoff = cleared_for_next_year(form.signoff)
        form.funds = [cleared_for_next_year(r) for r in form.funds]
        form.goals = [cleared_for_next_year(g) for g in form.goals]
        form.indicators = [cleared_for_next_year(row) for row in form.indicators]
        form.score_sheet = [cleared_for_next_year(s) for s in form.score_sheet]
        form.review_flags = []  # last year's import readings were checked (or not) last year
    drafts = template.narrative_drafts
    new.narrative = [
        m.NarrativeSection(title=s.title, text=drafts.get(s.title, "")) for s in report.narrative
    ]
    new.basic_data = {}
    new.analysis = {}
    return new
