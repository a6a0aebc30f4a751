"""#10 items 10, 12: every refusal is one Chinese sentence naming the file and what to do, with no
English words carried over from an exception; tracebacks go to the log only."""

from __future__ import annotations

import errno
import json
import re
import sqlite3
from pathlib import Path

import pytest

from core import cli
from core.errorlog import LOG_NAME
from core.interchange import InterchangeError, read_json_file
from core.report import Document, new_report

ROOT = Path(__file__).resolve().parents[2]
SEED = json.loads((ROOT / "tests" / "fixtures" / "seed004_yiyang.json").read_text(encoding="utf-8"))
ALLOWED = {
    "JSON",
    "SQLite",
    "txt",
    "ZiPing",
    "zpdb",
    "json",
    "xlsx",
    "docx",
    "UTF",
    "force",
    "python",
    "core",
    "help",
}
# the interchange format's own keys, which its messages name as places in the file
ALLOWED |= {"ziping", "report", "format", "rows", "overall", "project"}
ALLOWED |= {
    key
    for value in vars(__import__("core.interchange", fromlist=["x"])).values()
    if isinstance(value, (set, frozenset))
    for key in value
    if isinstance(key, str)
}


def _leaks(message: str, *paths: Path) -> list[str]:
    for p in sorted(paths, key=lambda p: -len(str(p))):
        message = message.replace(str(p), "").replace(p.name, "")
    return [w for w in re.findall(r"[A-Za-z_]{3,}", message) if w not in ALLOWED]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = cli.main(list(args))
    err = capsys.readouterr().err
    return code, err


def _json(tmp_path: Path, name: str, data: object | str) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _bad_documents() -> list[tuple[str, object | str]]:
    deep_list = "[" * 100_000 + "]" * 100_000
    deep_basic = json.dumps(dict(SEED, basic_data="@@")).replace('"@@"', '{"x": ' * 990 + "1" + "}" * 990)
    forms_object = dict(SEED, forms={"a": 1})
    funds_list = json.loads(json.dumps(SEED))
    funds_list["forms"][0]["funds"] = [1, 2]
    rows_text = json.loads(json.dumps(SEED))
    rows_text["forms"][0]["funds"]["rows"] = "text"
    year_text = dict(SEED, year="二〇二三")
    surrogate = json.dumps(dict(SEED, department="\ud800部门"))
    return [
        ("deep list", deep_list),
        ("deep basic data", deep_basic),
        ("forms an object", forms_object),
        ("funds a list", funds_list),
        ("rows a string", rows_text),
        ("year in words", year_text),
        ("lone surrogate", surrogate),
        ("a list", [1, 2, 3]),
        ("truncated", json.dumps(SEED)[:500]),
        ("latin-1", '{"department": "\xe9"}'.encode("latin-1").decode("latin-1")),
    ]


@pytest.mark.parametrize(("name", "data"), _bad_documents(), ids=[n for n, _ in _bad_documents()])
def test_a_bad_interchange_file_is_one_chinese_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: object | str
) -> None:
    source = _json(tmp_path, "坏文件.json", data)
    with pytest.raises(InterchangeError):
        read_json_file(source)
    for command in (["check", str(source)], ["import-json", str(source), "-o", str(tmp_path / "o.zpdb")]):
        code, err = _run(capsys, *command)
        assert code == 2
        assert err.count("\n") == 1 and err.startswith("错误：") and "坏文件.json" in err, err
        assert _leaks(err, source, tmp_path) == [], err
        assert "Traceback" not in err
    assert not (tmp_path / "o.zpdb").exists()


def _os_error(code: int) -> OSError:
    return OSError(
        code, {errno.ENOSPC: "No space left on device", errno.EROFS: "Read-only file system"}.get(code, "x")
    )


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EISDIR])
def test_an_export_that_the_system_refuses_is_one_chinese_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    path = tmp_path / "r.zpdb"
    Document.create(path, new_report("mof", 2023, "测试部", ["甲"])).close()

    def refuse(report: object, target: Path, template: object) -> None:
        Path(target).write_bytes(b"PK half")
        raise _os_error(code)

    import core.export.xlsx

    monkeypatch.setattr(core.export.xlsx, "write_xlsx", refuse)
    rc, err = _run(capsys, "export", str(path), "--xlsx", str(tmp_path / "out.xlsx"))
    assert rc == 2 and err.count("\n") == 1, err
    assert _leaks(err, path, tmp_path) == [], err
    assert [p.name for p in tmp_path.iterdir() if p.name != "r.zpdb"] == []


def test_an_unexpected_failure_is_logged_not_shown(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    _private_data_dir: Path,
) -> None:
    path = tmp_path / "r.zpdb"
    Document.create(path, new_report("mof", 2023, "测试部", ["甲"])).close()

    def broken(report: object, template: object) -> list[object]:
        return [].get("x")  # type: ignore[attr-defined,no-any-return]

    import core.rules

    monkeypatch.setattr(core.rules, "check_report", broken)
    rc, err = _run(capsys, "check", str(path))
    assert rc == 2 and err.count("\n") == 1 and "r.zpdb" in err
    assert _leaks(err, path, tmp_path, _private_data_dir) == [], err
    assert "AttributeError" in (_private_data_dir / LOG_NAME).read_text(encoding="utf-8")


def _refusals(tmp_path: Path) -> list[tuple[str, Path]]:
    """Reports that Document.open refuses, each with the file it should name."""
    out = []
    base = tmp_path / "base.zpdb"
    Document.create(base, new_report("mof", 2023, "测试部", ["甲"])).close()
    for name, sql in (
        ("newer", "PRAGMA user_version=99"),
        ("foreign", "PRAGMA application_id=7"),
        ("missing", "DROP TABLE forms"),
        ("trigger", "CREATE TRIGGER t AFTER UPDATE ON report BEGIN SELECT 1; END"),
        ("kind", "UPDATE forms SET kind = NULL"),
        ("template", "UPDATE report SET template = 'nowhere'"),
        ("year", "UPDATE report SET year = 'abc'"),
    ):
        path = tmp_path / f"{name}.zpdb"
        path.write_bytes(base.read_bytes())
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute(sql)
        conn.close()
        out.append((name, path))
    damaged = tmp_path / "damaged.zpdb"
    damaged.write_bytes(base.read_bytes()[:5000])
    out.append(("truncated", damaged))
    folder = tmp_path / "folder.zpdb"
    folder.mkdir()
    out.append(("a folder", folder))
    out.append(("missing file", tmp_path / "nowhere.zpdb"))
    return out


def test_every_refused_open_is_one_chinese_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.storage.db import StorageError

    for name, path in _refusals(tmp_path):
        with pytest.raises(StorageError) as caught:
            Document.open(path)
        message = str(caught.value)
        assert "\n" not in message and path.name in message, (name, message)
        assert _leaks(message, path) == [], (name, message)
        code, err = _run(capsys, "check", str(path))
        assert code == 2 and err.count("\n") == 1 and path.name in err, (name, err)
        assert _leaks(err, path, tmp_path) == [], (name, err)
