"""`python -m core check` / `score` print what the checker and scorer compute, on real files."""

from __future__ import annotations

import json

import pytest

from core.cli import main
from tests.conftest import FIXTURES


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_check_json_on_zpdb_and_json_agree(capsys: pytest.CaptureFixture[str], seed_zpdb) -> None:  # type: ignore[no-untyped-def]
    code, out = run(capsys, "check", str(FIXTURES / "seed001_guangyuan.json"), "--json")
    assert code == 1
    problems = json.loads(out)["problems"]
    assert {
        "rule": "V01",
        "severity": "error",
        "form": "东西部协作人才交流项目",
        "table": "funds",
        "row": 0,
        "column": "rate",
        "message": "执行率应为 100.00%（35 ÷ 35），表中为 0",
    } in problems
    assert [p["severity"] for p in problems] == sorted(
        (p["severity"] for p in problems), key=["error", "warning", "info"].index
    )
    code2, out2 = run(capsys, "check", str(seed_zpdb("seed001_guangyuan")), "--json")
    assert code2 == 1 and json.loads(out2) == json.loads(out)


def test_check_text_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", str(FIXTURES / "seed003_pingliang.json"))
    assert code == 1
    assert "S02" in out and out.strip().splitlines()[-1].startswith("共 ")


def test_score_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "score", str(FIXTURES / "seed004_yiyang.json"), "--json")
    forms = json.loads(out)["forms"]
    assert code == 0
    assert [(f["execution_rate"], f["execution_score"], f["total"], f["grade"]) for f in forms] == [
        ("100.00%", "10", "95", "优"),
        ("100.00%", "10", "100", "优"),
        ("86.61%", "8.66", "97.66", "优"),
        ("100.00%", "10", "100", "优"),
    ]


def test_check_unreadable_file(capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    assert "错误" in capsys.readouterr().err
