"""#10 items 7, 8, 11: nothing is acknowledged that is not on disk in the open file; temp names and
data-folder failures never hurt another writer or leak the lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core.report import Document, new_report
from core.storage import db as storage

ROOT = Path(__file__).resolve().parents[2]


def _new(path: Path) -> Document:
    return Document.create(path, new_report("mof", 2023, "测试部", ["项目甲"]))


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize("how", ["deleted", "moved", "replaced", "replaced by save-as"])
def test_an_edit_to_a_file_that_is_gone_is_refused(tmp_path: Path, how: str) -> None:
    path = tmp_path / "r.zpdb"
    doc = _new(path)
    doc.set_report_field("department", "第一次")
    if how == "deleted":
        path.unlink()
    elif how == "moved":
        path.rename(tmp_path / "elsewhere.zpdb")
    elif how == "replaced":
        other = tmp_path / "other.zpdb"
        _new(other).close()
        os.replace(other, path)
    else:
        copy = tmp_path / "copy.zpdb"
        doc.save_as(copy)
        shutil.copyfile(copy, tmp_path / "tmp")
        os.replace(tmp_path / "tmp", path)
    with pytest.raises(storage.FileGoneError, match="另存为"):
        doc.set_report_field("department", "第二次")
    assert doc.report.department == "第一次"  # the model says what the file says
    rescue = tmp_path / "rescue.zpdb"
    doc.save_as(rescue)  # and 另存为 still has every acknowledged edit
    doc.close()
    again = Document.open(rescue)
    assert again.report.department == "第一次"
    again.close()


def test_import_force_does_not_replace_a_report_open_in_a_window(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path).close()
    source = tmp_path / "r.json"
    assert _cli("export-json", str(path), "-o", str(source)).returncode == 0
    doc = Document.open(path)
    # (no plain open()/close() of the file here: in this process that would drop SQLite's lock)
    out = _cli("import-json", str(source), "-o", str(path), "--force")
    assert out.returncode == 2 and "另一窗口" in out.stderr
    doc.set_report_field("department", "仍在此文件中")
    doc.close()
    assert Document.open(path, read_only=True).report.department == "仍在此文件中"
    assert _cli("import-json", str(source), "-o", str(path), "--force").returncode == 0


def test_concurrent_writers_to_one_target_never_share_a_temporary_name(tmp_path: Path) -> None:
    from core.cli import _write_atomically

    target = tmp_path / "out.txt"
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        def write(tmp: Path) -> None:
            barrier.wait(timeout=10)
            tmp.write_text(f"writer {n}\n" * 1000, encoding="utf-8")

        try:
            _write_atomically(target, write)
        except BaseException as exc:  # pragma: no cover - the failure being tested
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    text = target.read_text(encoding="utf-8")
    assert len(set(text.splitlines())) == 1 and len(text.splitlines()) == 1000
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_parts_left_by_a_killed_writer_are_cleaned_on_the_next_write(tmp_path: Path) -> None:
    from core.cli import _write_atomically

    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = int(proc.stdout)
    stale = tmp_path / f".out.xlsx.{dead}-0123abcd.part"
    stale.write_bytes(b"half an export")
    live = tmp_path / f".out.xlsx.{os.getpid()}-89abcdef.part"
    live.write_bytes(b"another writer, still running")
    _write_atomically(tmp_path / "out.xlsx", lambda p: p.write_bytes(b"done"))
    assert not stale.exists() and live.exists()


def test_an_unwritable_data_folder_is_reported_once_and_does_not_leak_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.zpdb"
    _new(path).close()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("ZIPING_DATA_DIR", str(blocker / "data"))
    doc = Document.open(path)
    assert "备份" in doc.warning and path.name in doc.warning
    doc.close()
    again = Document.open(path)  # not 「正由另一窗口打开」, and said only once
    assert again.warning == ""
    again.close()
