"""The window opens a report with ``backup_later`` (the copy with fsync waits until the report shows):
the backup still holds the file as opened, taken at the latest before the first write or at close."""

from __future__ import annotations

from pathlib import Path

from core.report import Document, new_report
from core.storage import backups
from core.storage import db as storage


def _new(path: Path) -> None:
    Document.create(path, new_report("mof", 2023, "测试部", ["甲", "乙"])).close()


def test_the_backup_waits_for_back_up(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    doc = Document.open(path, backup_later=True)
    assert storage.backups_of(path) == [] and doc.backup_pending
    assert doc.back_up() == ""
    assert len(storage.backups_of(path)) == 1
    doc.back_up()  # once only
    doc.close()
    assert len(storage.backups_of(path)) == 1


def test_the_first_write_backs_up_the_file_as_opened(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    doc = Document.open(path, backup_later=True)
    doc.set_report_field("department", "改动之后")
    [info] = backups.list_backups(path)
    assert backups.load_backup(info.path).department == "测试部"
    doc.close()
    assert len(storage.backups_of(path)) == 1


def test_closing_takes_a_backup_still_pending(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    Document.open(path, backup_later=True).close()
    [info] = backups.list_backups(path)
    assert backups.load_backup(info.path).department == "测试部"


def test_read_only_never_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "r.zpdb"
    _new(path)
    doc = Document.open(path, read_only=True, backup_later=True)
    assert not doc.backup_pending
    doc.close()
    assert storage.backups_of(path) == []


def test_backup_names_keep_the_key_of_every_earlier_release(tmp_path: Path) -> None:
    """The key in a backup's name is the SHA-256 of the report's full path, as hashlib gave it: the
    backups made by earlier releases are still this report's (the key is now Python's own _sha256)."""
    import hashlib

    for name in ("r.zpdb", "关工委工作经费 2023.zpdb", "a b/c.zpdb"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        full = str(path.resolve()).encode("utf-8", "surrogatepass")
        assert storage.backup_key(path) == hashlib.sha256(full).hexdigest()[:12]
    # the key the releases before this one gave a report at this path
    assert storage.sha256_hex("/home/张三/报告.zpdb".encode())[:12] == "53e9402764c1"


BACKUP_ALONE = """
import sys
sys.path.insert(0, {root!r})
from core.report import Document
doc = Document.open({path!r}, backup_later=True)
doc.back_up()
doc.close()
print(sorted(m for m in ("_hashlib", "hashlib", "hmac", "secrets") if m in sys.modules))
"""


def test_a_backup_loads_no_openssl(tmp_path: Path) -> None:
    """The window takes the backup on the turn after the first paint with a report: hashlib (which
    loads OpenSSL's libcrypto: ~6 ms, 220 page faults) and secrets are not imported for it."""
    import os
    import subprocess
    import sys

    path = tmp_path / "r.zpdb"
    _new(path)
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "ZIPING_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run(
        [sys.executable, "-c", BACKUP_ALONE.format(root=root, path=str(path))],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert out.stdout.split("\n")[0] == "[]", out.stdout + out.stderr
    assert len(storage.backups_of(path)) == 0  # (its backups went to that data folder)
