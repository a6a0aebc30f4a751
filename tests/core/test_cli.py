"""python -m core: commands, exit statuses and one-line Chinese errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ},
    )


def test_help_explains_every_command_in_chinese_and_english() -> None:
    out = run("--help")
    assert out.returncode == 0
    for command in ("new", "import-json", "export-json", "check", "score", "export"):
        assert command in out.stdout
    assert "新建报告文件" in out.stdout and "create a new report file" in out.stdout


def test_new_then_export_json(tmp_path: Path) -> None:
    target = tmp_path / "r.zpdb"
    out = run(
        "new",
        "--template",
        "mof",
        "--year",
        "2024",
        "--department",
        "测试部",
        "--project",
        "项目甲",
        "-o",
        str(target),
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(run("export-json", str(target)).stdout)
    assert data["year"] == 2024 and data["template"] == "mof"
    assert [f["name"] for f in data["forms"]] == ["测试部", "项目甲"]


def test_import_then_export_json_is_the_same_document(tmp_path: Path) -> None:
    target = tmp_path / "r.zpdb"
    assert run("import-json", str(FIXTURES / "seed004_yiyang.json"), "-o", str(target)).returncode == 0
    first = tmp_path / "a.json"
    assert run("export-json", str(target), "-o", str(first)).returncode == 0
    again = tmp_path / "b.zpdb"
    assert run("import-json", str(first), "-o", str(again)).returncode == 0
    second = tmp_path / "b.json"
    assert run("export-json", str(again), "-o", str(second)).returncode == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


def test_bad_json_exits_2_with_one_line_and_no_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "ziping-report", "version": 1, "template": "mof", "year": 2023,'
        ' "forms": [{"kind": "project", "name": "甲", "funds": {"rows": '
        '[{"label": "年度资金总额", "annual": "abc"}]}}]}',
        encoding="utf-8",
    )
    target = tmp_path / "out.zpdb"
    out = run("import-json", str(bad), "-o", str(target))
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "forms[0].funds.rows[0].annual" in out.stderr
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_unreadable_json_and_unknown_template(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    out = run("import-json", str(broken), "-o", str(tmp_path / "x.zpdb"))
    assert out.returncode == 2 and "不是有效的 JSON" in out.stderr
    out = run(
        "new", "--template", "mars", "--year", "2023", "--department", "x", "-o", str(tmp_path / "y.zpdb")
    )
    assert out.returncode == 2 and "未知的模板" in out.stderr
    assert not (tmp_path / "y.zpdb").exists()


def test_foreign_file_exits_2(tmp_path: Path) -> None:
    foreign = tmp_path / "x.zpdb"
    foreign.write_bytes(b"PK\x03\x04 not a database")
    out = run("export-json", str(foreign))
    assert out.returncode == 2 and "不是 ZiPing 报告文件" in out.stderr


def test_usage_error_is_one_chinese_line() -> None:
    out = run("new", "--year", "2023")
    assert out.returncode == 2
    assert out.stderr.startswith("错误：命令参数有误") and out.stderr.strip().count("\n") == 0


def test_next_year_keeps_targets_and_clears_results(tmp_path: Path) -> None:
    target = tmp_path / "2024.zpdb"
    out = run("next-year", str(FIXTURES / "seed004_yiyang.json"), "-o", str(target))
    assert out.returncode == 0, out.stderr
    data = json.loads(run("export-json", str(target)).stdout)
    assert data["year"] == 2024
    project = data["forms"][2]
    assert project["name"] == "非公有制经济组织和社会组织党建工作经费"
    first = project["indicators"][0]
    assert first["target"] == "≥4" and "actual" not in first and "score" not in first
    assert all(set(r) == {"label"} for r in project["funds"]["rows"])
    assert "basic_data" not in data


def test_output_is_utf8_even_when_the_locale_is_not(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONUTF8": "0"}
    bad = tmp_path / "x.json"
    bad.write_text(
        '{"format": "ziping-report", "version": 1, "template": "mof", "year": 2023, "x✓": 1}',
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "core", "check", str(bad)], capture_output=True, cwd=ROOT, timeout=120, env=env
    )
    assert out.returncode == 2
    assert "未知的键 “x✓”" in out.stderr.decode("utf-8")


def test_export_refuses_a_report_with_errors_unless_forced(tmp_path: Path) -> None:
    seed = str(FIXTURES / "seed003_pingliang.json")
    target = tmp_path / "out.xlsx"
    refused = run("export", seed, "--xlsx", str(target))
    assert refused.returncode == 2 and not target.exists()
    assert "个错误，未导出" in refused.stderr and "--force" in refused.stderr
    forced = run("export", seed, "--xlsx", str(target), "--force")
    assert forced.returncode == 0 and target.exists()
    assert "个错误" in forced.stderr and "已导出" in forced.stdout


HOLDER = """
import sys
sys.path.insert(0, {root!r})
from core.report import Document
doc = Document.open({path!r}, backup=False)
doc.commit_in_background = True  # as the window: edits committed on the writer thread
uid = doc.report.projects[0].uid
doc.set_cell(uid, "goals", 0, "goal", "窗口中刚改的目标")
assert doc.settle() == ""  # committed: in the file, the journal beside it finished
print("ready", flush=True)
sys.stdin.readline()
doc.close()
"""


@contextmanager
def held(code: str) -> Iterator[None]:
    """A second process running ``code``, which holds a report open as a window does (it prints
    "ready" once it does), until the block ends; it then lets go and must end cleanly."""
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0


def test_read_only_commands_read_a_report_a_window_holds_open_and_writers_still_refuse(
    tmp_path: Path,
) -> None:
    """check/score/export/export-json/next-year only read: a report another ZiPing has open (its
    exclusive lock held by a second process, as the window holds it) is read from a copy — its
    committed edits are in the file — the file and its journal left byte-identical; a command that
    would write it is still refused."""
    from core.interchange import read_json_file
    from core.report import Document

    path = tmp_path / "益阳.zpdb"
    Document.create(path, read_json_file(FIXTURES / "seed004_yiyang.json")).close()
    with held(HOLDER.format(root=str(ROOT), path=str(path))):
        journal = path.with_name(path.name + "-journal")
        before = (path.read_bytes(), journal.read_bytes())
        assert run("check", str(path)).returncode in (0, 1)
        score = run("score", str(path), "--json")
        assert score.returncode == 0, score.stderr
        assert json.loads(score.stdout)["forms"]
        exported = run("export-json", str(path))
        assert exported.returncode == 0, exported.stderr
        assert "窗口中刚改的目标" in exported.stdout
        xlsx = tmp_path / "out.xlsx"
        out = run("export", str(path), "--xlsx", str(xlsx), "--force")
        assert out.returncode == 0, out.stderr
        assert xlsx.exists()
        assert run("next-year", str(path), "-o", str(tmp_path / "next.zpdb")).returncode == 0
        # Writing into it is refused as before.
        source = tmp_path / "in.json"
        source.write_text(exported.stdout, encoding="utf-8")
        refused = run("import-json", str(source), "-o", str(path), "--force")
        assert refused.returncode == 2
        assert "正由另一窗口打开" in refused.stderr
        assert (path.read_bytes(), journal.read_bytes()) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            ["益阳.zpdb", "益阳.zpdb-journal", "out.xlsx", "next.zpdb", "in.json"]
        )


SPILLING_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect({path!r}, isolation_level=None)
for pragma in ("journal_mode=DELETE", "synchronous=FULL", "locking_mode=EXCLUSIVE", "cache_size=2"):
    conn.execute("PRAGMA " + pragma)
conn.execute("BEGIN")
conn.execute("UPDATE goals SET goal = '未提交的修改'")
conn.execute("UPDATE indicators SET level3 = level3 || ?", ("长" * 2000,))  # more than the cache holds
print("ready", flush=True)
sys.stdin.readline()
"""


def test_a_held_report_with_a_hot_journal_is_read_as_rolled_back(tmp_path: Path) -> None:
    """A writer in the middle of a transaction whose pages spilled into the file (its journal hot):
    the read-only commands read what the file holds once that journal is rolled back (in a copy), as
    the review does — not the half-written file — and leave file and journal byte-identical (the
    storage's read-only open did so already; the copy of a held report must too)."""
    from core.interchange import read_json_file
    from core.report import Document

    path = tmp_path / "益阳.zpdb"
    Document.create(path, read_json_file(FIXTURES / "seed004_yiyang.json")).close()
    committed, committed_bytes = run("export-json", str(path)).stdout, path.read_bytes()
    with held(SPILLING_HOLDER.format(path=str(path))):
        journal = path.with_name(path.name + "-journal")
        before = (path.read_bytes(), journal.read_bytes())
        assert before[1][:8] == bytes.fromhex("d9d505f920a163d7")  # hot
        assert before[0] != committed_bytes  # uncommitted pages are in the file
        exported = run("export-json", str(path))
        assert exported.returncode == 0, exported.stderr
        assert exported.stdout == committed
        assert run("score", str(path), "--json").returncode == 0
        # The copy a held report is read from (taken when its journal turns hot after the open's
        # look at it, the read-only open having already copied and rolled it back itself):
        from core.cli import _load_held
        from core.interchange import dumps

        assert dumps(_load_held(path)) == committed
        assert (path.read_bytes(), journal.read_bytes()) == before


OLD_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect({path!r}, isolation_level=None)  # an older ZiPing's window: the lock it keeps
for pragma in ("journal_mode=DELETE", "synchronous=FULL", "locking_mode=EXCLUSIVE"):
    conn.execute("PRAGMA " + pragma)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE report SET preparer = '张三'")
conn.execute("COMMIT")
print("ready", flush=True)
sys.stdin.readline()
"""


def test_an_older_report_held_open_is_upgraded_in_memory_only(tmp_path: Path) -> None:
    import sqlite3

    import sqlite_utils

    from core.storage import db as storage
    from core.storage.migrations import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "旧.zpdb"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id={storage.APPLICATION_ID}")
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before="m002_meta")
    conn.execute("PRAGMA user_version=1")
    row = {"id": 1, "template": "mof", "year": 2022, "department": "旧部门", "preparer": ""}
    db["report"].insert({**row, "phone": "", "date": "", "head": "", "basic_data": "{}"})
    conn.close()
    assert SCHEMA_VERSION > 1
    with held(OLD_HOLDER.format(path=str(path))):
        before = path.read_bytes()
        exported = run("export-json", str(path))
        assert exported.returncode == 0, exported.stderr
        assert "旧部门" in exported.stdout and "张三" in exported.stdout
        assert path.read_bytes() == before  # still format 1: upgraded in memory only
        assert int.from_bytes(before[60:64], "big") == 1
