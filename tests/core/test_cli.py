"""python -m core: commands, exit statuses and one-line Chinese errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
