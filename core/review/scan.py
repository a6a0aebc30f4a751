"""Scan folders of packages and .zpdb files into one review list, read-only.

Each file is summarised once (department, year, template, per-form figures, problem
counts) and remembered in an index in the user's data folder keyed by path, size and
mtime (and by the file's SHA-256 when those changed: a copied or touched file is not read
again), so a re-scan of an unchanged set reads no report at all. A scan has two passes:
``checks=False`` reads only what the figures need (the list, fast), ``checks=True`` also runs
every rule for the problem counts (the window runs it in the background after the list shows;
the command line always does). Files that cannot be listed (a changed package, a missing
manifest, a newer format, a duplicate department and year, a foreign file, an unreadable
folder) are refused with their reason; the scan goes on. Nothing in the scanned folders is
ever written.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import marshal
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.paths import user_data_dir
from core.schema import REP
from core.version import __version__

Progress = Callable[[int, int, str], bool]
Listed = Callable[[list[dict[str, Any]]], None]
PACKAGE, REPORT = "package", "report"
SUFFIXES = {".zip": PACKAGE, ".zpdb": REPORT}
INDEX_VERSION = f"9-{__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"  # marshal is per Python
POOL_THRESHOLD = 40  # fewer uncached files than this are read in this process
CHUNK = 8  # files a worker is handed at once, at most (fewer towards the end: see ``chunked``)
HASH_BLOCK = 1 << 20


@dataclass
class ScanResult:
    reports: list[dict[str, Any]] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    cancelled: bool = False
    read: int = 0  # files actually read (not taken from the index)
    checked: bool = True  # every listed report carries its problem counts (False: figures only)


def file_hash(path: str) -> str:
    """Return the SHA-256 of a file ("" when it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(HASH_BLOCK):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def summarise_file(
    path_text: str, checks: bool = True, figures: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Read one file and return its summary, or ``{"reason": …}`` when it cannot be listed.

    ``checks=False`` gives the figures without the problem counts (``problems`` None), reading
    only what the scores need. ``figures``: the forms' figures a figures pass already listed for
    this very file (same path, size and mtime in the index): the check pass then only counts."""
    from core.review.figures import quick_summary, report_summary
    from core.review.lean import Groups
    from core.review.readonly import (
        connect_readonly,
        damaged,
        hot_journal,
        load_judged,
        read_connection,
        read_meta,
    )
    from core.storage.db import StorageError, os_reason
    from core.templates import Template

    path = Path(path_text)
    kind = SUFFIXES.get(path.suffix.lower())
    try:
        if kind == PACKAGE:  # imported here: a worker reading .zpdb files alone does without it
            from core.review.package import PackageError, verify_package

            try:
                verdict = verify_package(path, deep=False, checks=checks)
            except PackageError as exc:
                return {"reason": str(exc).replace("\n", " ")}
            if not verdict.sealed_ok:
                return {"reason": "报送包在封包后被改动：" + "；".join(verdict.changes[:3])}
            summary = verdict.summary or {}
            if verdict.added:  # sealed files intact; files added beside them (a stamped scan) are named
                summary = {**summary, "added": verdict.added}
        elif kind == REPORT:
            conn = connect_readonly(path)
            try:
                meta = read_meta(conn)
                if meta.get("kind") == "review":
                    return {"reason": "这是财政复核文件，不是部门报告"}
                journal = hot_journal(path)  # not the finished one a report open in ZiPing keeps
                groups: Groups | None = None if checks else {}  # the figures alone: rows grouped
                read = None if journal else read_connection(conn, path.name, not checks, meta, groups)
            finally:
                conn.close()
            template: Template | None = None  # resolved by the reader: not looked up again
            if read is None:
                report, groups = load_judged(path), None  # a crash left a journal: as after a rollback
            else:
                report, template = read
            if checks:
                summary = report_summary(report, template, figures=figures)
            else:
                summary = quick_summary(report, template, groups)
        else:
            return {"reason": "不是报送包（.zip）或报告文件（.zpdb）"}
    except StorageError as exc:
        return {"reason": str(exc).replace("\n", " ")}
    except OSError as exc:
        return {"reason": f"无法读取文件 {path.name}：{os_reason(exc)}"}
    except sqlite3.DatabaseError:
        return {"reason": damaged(path.name)}
    except (ValueError, KeyError, TypeError):  # what the file holds is not what ZiPing writes
        return {"reason": f"无法读取 {path.name}：文件中的数据已损坏或被其他程序改过，不是 ZiPing 写入的内容"}
    except Exception as exc:  # noqa: BLE001 - whatever one file does to its reader refuses that file only
        error = f"{type(exc).__name__}：{exc}"
        return {"reason": f"无法读取 {path.name}：程序读取时出错（{error}），请告知软件维护人员"}
    return {**summary, "kind": kind}


# The summaries (figures, not yet counts) already listed of files to count, by absolute path, as the
# index holds them (marshalled: a few KB a report, unpacked only by the process that counts it).
Figures = dict[str, bytes]


def _forms_of(listed: bytes | None) -> list[dict[str, Any]] | None:
    """The forms' figures of a summary the index holds (None: none, or a file refused)."""
    summary = marshal.loads(listed) if listed else None
    return summary.get("forms") if isinstance(summary, dict) and "reason" not in summary else None


# A file read: its absolute path, SHA-256 and summary as the index keeps it (marshalled).
Read = tuple[str, str, bytes]


def _summarise_chunk(paths: list[str], checks: bool, figures: Figures | None = None) -> list[Read]:
    """Summarise ``paths`` (a worker's task): each summary handed back marshalled, as the index keeps
    it, so the scanning process stores it as it comes and only unpacks it (marshal, a third of
    unpickling the dicts, and no marshalling of its own: ~0.3 ms a report less of CPU, pool and
    scanning process together)."""
    known = figures or {}
    return [
        (p, file_hash(p), marshal.dumps(summarise_file(p, checks, _forms_of(known.get(p))))) for p in paths
    ]


COMPANIONS = ("-journal", "-wal", "-shm")  # SQLite's own files beside a database


def _companion(name: str, present: set[str]) -> bool:
    """True for SQLite's journal, WAL or shared-memory file of a report in the same folder: part of
    that report (a ZiPing that has it open keeps its journal there), not a file of its own to list."""
    return name.endswith(COMPANIONS) and name.rsplit("-", 1)[0] in present


def walk(
    paths: Iterable[Path | str], going: Callable[[int], bool] | None = None
) -> tuple[list[Path], list[dict[str, str]]]:
    """Return every file under ``paths`` (sorted) and the folders that could not be read.
    ``going(files found so far)`` is asked after each folder; False stops the walk there."""
    files: list[Path] = []
    refused: list[dict[str, str]] = []

    def onerror(exc: OSError) -> None:
        from core.storage.db import os_reason

        refused.append({"file": str(exc.filename or ""), "reason": f"无法读取文件夹：{os_reason(exc)}"})

    for item in paths:
        root = Path(item)
        if root.is_file():
            files.append(root)
            continue
        if not root.is_dir():
            refused.append({"file": str(root), "reason": "文件夹不存在"})
            continue
        for folder, dirs, names in os.walk(root, onerror=onerror):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            present = set(names)
            files.extend(
                Path(folder) / n
                for n in sorted(names)
                if not n.startswith((".", "~$")) and not _companion(n, present)
            )
            if going is not None and not going(len(files)):
                return files, refused
    return files, refused


class Index:
    """Summaries already read, keyed by absolute path, size and mtime, and by content (SHA-256),
    in SQLite in the data folder. ``checked`` says whether a summary carries its problem counts."""

    LAYOUT = 2  # the index file's own format (PRAGMA user_version); 1 had no checked/sha columns

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or user_data_dir() / "review-index.sqlite"
        self.conn = sqlite3.connect(str(self.path))
        self.conn.execute("PRAGMA synchronous=OFF")  # a cache: a lost write is only read again
        if self.conn.execute("PRAGMA user_version").fetchone()[0] != self.LAYOUT:
            self.conn.execute("DROP TABLE IF EXISTS files")  # an older index: it is only a cache
            self.conn.execute(f"PRAGMA user_version={self.LAYOUT}")
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, "
            "version TEXT, data BLOB, checked INTEGER, sha TEXT)"
        )
        self.conn.execute("CREATE INDEX IF NOT EXISTS files_sha ON files (sha)")

    def lookup(self) -> dict[str, tuple[int, int, str, bytes, bool]]:
        rows = self.conn.execute("SELECT path, size, mtime, version, data, checked FROM files")
        return {p: (s, m, v, d, bool(c)) for p, s, m, v, d, c in rows}

    def by_hash(self, sha: str) -> tuple[bytes, bool] | None:
        """Return the best summary of a file with this content (checked first), or None."""
        row = self.conn.execute(
            "SELECT data, checked FROM files WHERE sha = ? AND version = ? ORDER BY checked DESC LIMIT 1",
            (sha, INDEX_VERSION),
        ).fetchone()
        return (row[0], bool(row[1])) if row else None

    def store(self, rows: list[tuple[str, int, int, bytes, bool, str]]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(p, s, m, INDEX_VERSION, d, int(c), h) for p, s, m, d, c, h in rows],
            )

    def close(self) -> None:
        self.conn.close()


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _worker_start() -> None:
    """A worker process's start: the cyclic garbage collector off for its life. What summarising a
    report makes is freed by reference counting as soon as the report is done (the rules, figures and
    reader make no cycles: a few dozen cyclic objects over hundreds of reports); what survives is the
    caches of parsed cells and comparisons, which grow over the ~500 reports a worker reads and which
    every collection walked again: a seventh of a worker's CPU on a set of unlike rows (--varied),
    the full collections alone ~0.2 s each. The worker ends with the scan, and anything it left with it:
    once its last task is handed back it leaves at once (``_leave``), not through the interpreter's
    tear-down, which walked and freed those caches object by object — ~1 s of CPU a worker after
    500 reports, while the scan waited for its workers to end."""
    gc.disable()
    atexit.register(_leave)


def _leave() -> None:
    """The worker's exit after its work: a spawned worker ends through ``sys.exit`` once the pool
    lets it go (its results handed back, multiprocessing's own finalizers run, output flushed); the
    exit handlers registered after this one (they run first) have run too. What is left to do is the
    tear-down of the interpreter: nothing it holds outlives it (read-only files closed report by
    report, no file written), so it exits here."""
    for stream in (sys.stdout, sys.stderr):  # None in a windowed (frozen) start
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0)


def chunked(todo: list[str], workers: int) -> list[list[str]]:
    """``todo`` in the order given, cut into the chunks handed to the workers: ``CHUNK`` files each
    while there are many left, then smaller ones down to one file each, so that both workers are
    busy to the end of the scan (with chunks of 8 reports, ~0.25 s of counting, one worker sat idle
    ~0.13 s at the end while the other finished its last chunk)."""
    out: list[list[str]] = []
    start = 0
    while start < len(todo):
        size = max(1, min(CHUNK, (len(todo) - start) // (4 * max(workers, 1))))
        out.append(todo[start : start + size])
        start += size
    return out


def _pool_results(
    todo: list[str], workers: int, checks: bool, cancelled: Callable[[], bool], figures: Figures
) -> Iterator[list[Read]]:
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    chunks = chunked(todo, workers)

    def submit(chunk: list[str]) -> Future[list[Read]]:
        known = {p: figures[p] for p in chunk if p in figures}
        return pool.submit(_summarise_chunk, chunk, checks, known)

    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start) as pool:
        pending: set[Future[list[Read]]] = set()
        queue = iter(chunks)
        for chunk in queue:
            pending.add(submit(chunk))
            if len(pending) >= workers * 3:
                break
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            if cancelled():
                pool.shutdown(wait=True, cancel_futures=True)
                return
            for fut in done:
                yield fut.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.add(submit(nxt))


HASH_TICK = 0.1  # seconds between progress reports while files are hashed


def _from_index(
    idx: Index,
    files: list[Path],
    refused: list[dict[str, str]],
    checks: bool,
    going: Callable[[int, int], bool] | None = None,
) -> tuple[
    dict[str, dict[str, Any]],
    dict[str, tuple[int, int]],
    list[str],
    list[tuple[str, int, int, bytes, bool, str]],
    Figures,
]:
    """Split ``files`` into summaries the index already holds and files to read (``todo``), with the
    forms' figures the index holds of a file to read only for its counts (unchanged since a figures
    pass listed it: the check pass does not work them out again). A file new to the index is hashed
    (read whole) to find it under another name: on a network share that is the first scan's first long
    wait, so ``going(files looked at, of all)`` is asked every ``HASH_TICK`` seconds meanwhile; False
    stops there (the files not looked at are left out)."""
    import time

    known = idx.lookup()
    last = time.monotonic()
    summaries: dict[str, dict[str, Any]] = {}
    stats: dict[str, tuple[int, int]] = {}
    todo: list[str] = []
    moved: list[tuple[str, int, int, bytes, bool, str]] = []  # same content under a new stat
    figures: Figures = {}
    for done, path in enumerate(files):
        if going is not None and time.monotonic() - last >= HASH_TICK:
            last = time.monotonic()
            if not going(done, len(files)):
                break
        key = os.path.abspath(path)
        st = _stat(path)
        if st is None:
            refused.append({"file": str(path), "reason": "无法读取文件"})
            continue
        stats[key] = st
        hit = known.get(key)
        if hit is not None and hit[:3] == (*st, INDEX_VERSION):
            if hit[4] or not checks:
                summaries[key] = marshal.loads(hit[3])
                continue
            figures[key] = hit[3]
        if known and (hit is None or hit[:2] != st):  # new or changed on disk: content may be known
            sha = file_hash(key)
            same = idx.by_hash(sha) if sha else None
            if same is not None and (same[1] or not checks):
                summaries[key] = marshal.loads(same[0])
                moved.append((key, *st, same[0], same[1], sha))
                continue
        todo.append(key)
    return summaries, stats, todo, moved, figures


def scan(
    paths: Iterable[Path | str],
    progress: Progress | None = None,
    workers: int | None = None,
    index: Index | None = None,
    checks: bool = True,
    read: Listed | None = None,
) -> ScanResult:
    """List every report under ``paths``; ``progress(done, total, label)`` returning False cancels.

    ``checks=False`` lists the figures without problem counts (a summary already checked is used
    as it is); ``checks=True`` gives every report its counts. ``read``: called (on the scanning
    thread) with each batch of reports just read, as the list will hold them (``file`` as found
    under ``paths``), as soon as they are in the index: the window fills in counts as they come."""
    state = {"cancel": False}

    def finding(found: int) -> bool:
        """The walk's progress (how many files so far; no total yet)."""
        if progress is not None and progress(found, 0, f"正在查找文件，已找到 {found} 个") is False:
            state["cancel"] = True
        return not state["cancel"]

    def looking(done: int, of: int) -> bool:
        if progress is not None and progress(done, of, f"正在查找读过的文件 {done}/{of}") is False:
            state["cancel"] = True
        return not state["cancel"]

    files, refused = walk(paths, finding)
    by_path = {os.path.abspath(p): p for p in files}
    result = ScanResult(refused=refused)
    own_index = index is None
    idx = index or Index()
    try:
        # Pause the cyclic collector while ~30 objects a form come out of the index: they hold no
        # cycles, and collections amid 1,000 reports' worth of them cost a quarter of a re-scan.
        paused = gc.isenabled()
        gc.disable()
        try:
            summaries, stats, todo, moved, figures = _from_index(
                idx, [] if state["cancel"] else files, refused, checks, looking
            )
        finally:
            if paused:
                gc.enable()
        if moved:
            idx.store(moved)
        if state["cancel"]:
            todo = []  # stopped before reading: what the index held is listed
        total = len(todo)
        verb = "检查" if checks else "读取"

        def tick(done: int) -> bool:
            if progress is not None and progress(done, total, f"正在{verb} {done}/{total}") is False:
                state["cancel"] = True
            return state["cancel"]

        fresh: list[tuple[str, str, dict[str, Any]]] = []

        def keep(batch: list[Read]) -> None:
            """Remember a batch at once: a cancelled or interrupted scan keeps what it read.
            A file refused for what it is (foreign, newer, changed) is refused by either pass."""
            unpacked = [(k, h, marshal.loads(data)) for k, h, data in batch]
            fresh.extend(unpacked)
            idx.store(
                [
                    (k, *stats[k], data, checks or "reason" in s, h)
                    for (k, h, data), (_k, _h, s) in zip(batch, unpacked, strict=True)
                ]
            )
            if read is not None:
                ready = [{"file": str(by_path.get(k, k)), **s} for k, _h, s in unpacked if "reason" not in s]
                if ready:
                    read(ready)

        n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        if total >= POOL_THRESHOLD and n_workers > 1:
            try:
                for batch in _pool_results(todo, n_workers, checks, lambda: tick(len(fresh)), figures):
                    keep(batch)
                    if len(fresh) < total:
                        tick(len(fresh))
            except (BrokenProcessPool, OSError, RuntimeError):
                pass  # no worker processes here (a frozen or embedded start): read the rest in this one
        done = {k for k, _h, _s in fresh}
        for key in todo:
            if state["cancel"] or key in done:
                continue
            if tick(len(fresh)):
                break
            keep(_summarise_chunk([key], checks, figures))
        result.cancelled = state["cancel"]
        result.read = len(fresh)
        summaries.update((k, s) for k, _h, s in fresh)
        if progress is not None and not result.cancelled:
            progress(total, total, "完成")
    finally:
        if own_index:
            idx.close()
    listed = []
    for key, data in sorted(summaries.items()):
        shown = str(by_path.get(key, key))
        if "reason" in data:
            refused.append({"file": shown, "reason": str(data["reason"])})
        else:
            listed.append({"file": shown, **data})
    received = {str(by_path.get(k, k)): st[1] for k, st in stats.items()}
    result.reports = _drop_duplicates(listed, refused, received)
    result.checked = all(r.get("problems") is not None for r in result.reports)
    return result


def _when(ns: int) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(ns / 1e9).strftime("%Y-%m-%d %H:%M")


def _drop_duplicates(
    listed: list[dict[str, Any]], refused: list[dict[str, str]], received: dict[str, int]
) -> list[dict[str, Any]]:
    """Keep one report per department and year (a package before a bare .zpdb, then the one last
    modified: a department that corrects its report and sends it again is listed with the corrected
    one, not the one it replaces); refuse the others with the reason, which says what was compared —
    the files' modification times (a file saved or opened again later changes it), or that the two
    files are the same."""
    ordered = sorted(listed, key=lambda r: (r["kind"] != PACKAGE, -received.get(r["file"], 0), r["file"]))
    kept: dict[tuple[str, int], dict[str, Any]] = {}
    for rep in ordered:
        key = (rep[REP.department], rep[REP.year])
        if key in kept:
            other = kept[key]
            if other["kind"] != rep["kind"]:
                why = "重复，已列入报送包"
            elif file_hash(other["file"]) == file_hash(rep["file"]):
                why = "重复，两份文件内容相同"
            else:
                theirs, mine = received.get(other["file"], 0), received.get(rep["file"], 0)
                why = f"重复，已列入修改时间较晚的一份：{_when(theirs)}，本文件 {_when(mine)}"
            name = Path(other["file"]).name
            refused.append(
                {"file": rep["file"], "reason": f"与“{name}”是同一部门同一年度的报告（{why}），未列入"}
            )
        else:
            kept[key] = rep
    return sorted(kept.values(), key=lambda r: r["file"])
