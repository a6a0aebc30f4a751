"""Sealed submissions: package a report, verify catches every kind of tampering."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from core.review.package import (
    DOCX_FILE,
    JSON_FILE,
    MANIFEST,
    REPORT_FILE,
    XLSX_FILE,
    PackageError,
    make_package,
    sha256,
    verify_package,
)

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], capture_output=True, text=True, cwd=ROOT, timeout=180
    )


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from core.interchange import read_json_file
    from core.report import Document

    folder = tmp_path_factory.mktemp("pkg")
    source = folder / "yiyang.zpdb"
    Document.create(source, read_json_file(ROOT / "tests" / "fixtures" / "seed004_yiyang.json")).close()
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    make_package(source, folder / "sealed.zip")
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before  # the report is never written
    return folder / "sealed.zip"


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rewrite(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def test_package_holds_report_json_exports_and_manifest(sealed: Path) -> None:
    files = members(sealed)
    assert set(files) == {MANIFEST, REPORT_FILE, JSON_FILE, DOCX_FILE, XLSX_FILE}
    manifest = json.loads(files[MANIFEST])
    assert manifest["department"] == "中国共产党益阳市委员会组织部" and manifest["year"] == 2023
    assert manifest["template"] == "hunan-yiyang" and manifest["ziping_version"]
    for name in (REPORT_FILE, JSON_FILE, DOCX_FILE, XLSX_FILE):
        assert manifest["files"][name] == sha256(files[name])
    form = next(f for f in manifest["forms"] if f["name"] == "非公有制经济组织和社会组织党建工作经费")
    assert (form["budget"], form["executed"], form["execution_rate"]) == ("101.17", "87.62", "86.61%")
    assert form["total"] and form["grade"] and "warning" in form
    assert set(manifest["problems"]) == {"error", "warning", "info"}
    score = json.loads(run("score", str(ROOT / "tests/fixtures/seed004_yiyang.json"), "--json").stdout)
    for mine, theirs in zip(manifest["forms"], score["forms"], strict=True):
        assert (mine["total"], mine["grade"], mine["execution_rate"]) == (
            theirs["total"],
            theirs["grade"],
            theirs["execution_rate"],
        )


def test_an_untouched_package_verifies(sealed: Path) -> None:
    verdict = verify_package(sealed)
    assert verdict.ok, verdict.changes
    out = run("verify", str(sealed))
    assert out.returncode == 0 and "未被改动" in out.stdout


@pytest.mark.parametrize("name", [REPORT_FILE, JSON_FILE, DOCX_FILE, XLSX_FILE])
def test_one_byte_of_any_file_is_caught(sealed: Path, tmp_path: Path, name: str) -> None:
    files = members(sealed)
    data = bytearray(files[name])
    data[len(data) // 2] ^= 0x01
    files[name] = bytes(data)
    changed = rewrite(tmp_path / "x.zip", files)
    verdict = verify_package(changed)
    assert not verdict.ok
    assert any(name in c and "修改" in c for c in verdict.changes), verdict.changes
    out = run("verify", str(changed))
    assert out.returncode == 1 and name in out.stdout


def test_a_byte_of_the_zip_itself_is_caught(sealed: Path, tmp_path: Path) -> None:
    data = bytearray(sealed.read_bytes())
    with zipfile.ZipFile(sealed) as zf:
        info = zf.getinfo(REPORT_FILE)
    data[info.header_offset + 200] ^= 0xFF
    changed = tmp_path / "x.zip"
    changed.write_bytes(bytes(data))
    try:
        verdict = verify_package(changed)
    except PackageError:
        return
    assert not verdict.ok


def test_an_added_and_a_removed_file_are_named(sealed: Path, tmp_path: Path) -> None:
    files = members(sealed)
    files["说明.txt"] = "补充".encode()
    verdict = verify_package(rewrite(tmp_path / "a.zip", files))
    assert verdict.changes == ["增加了清单以外的文件“说明.txt”"]
    files = members(sealed)
    del files[DOCX_FILE]
    verdict = verify_package(rewrite(tmp_path / "r.zip", files))
    assert verdict.changes == [f"文件“{DOCX_FILE}”已被删除"]
    assert run("verify", str(tmp_path / "r.zip")).returncode == 1


def test_edited_manifest_figures_are_named(sealed: Path, tmp_path: Path) -> None:
    files = members(sealed)
    manifest = json.loads(files[MANIFEST])
    manifest["forms"][1]["total"] = "99"
    manifest["problems"]["error"] += 1
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    verdict = verify_package(rewrite(tmp_path / "m.zip", files))
    assert any("total" in c and "“99”" in c for c in verdict.changes), verdict.changes
    assert any("检查结果" in c for c in verdict.changes)
    out = run("verify", str(tmp_path / "m.zip"), "--json")
    assert out.returncode == 1 and json.loads(out.stdout)["ok"] is False


def test_report_data_changed_with_its_hash_updated_is_caught(sealed: Path, tmp_path: Path) -> None:
    files = members(sealed)
    db = tmp_path / "r.zpdb"
    db.write_bytes(files[REPORT_FILE])
    conn = sqlite3.connect(db)
    conn.execute("UPDATE fund_rows SET executed = '101.17' WHERE executed = '87.62'")
    conn.commit()
    conn.close()
    files[REPORT_FILE] = db.read_bytes()
    manifest = json.loads(files[MANIFEST])
    manifest["files"][REPORT_FILE] = sha256(files[REPORT_FILE])
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    verdict = verify_package(rewrite(tmp_path / "d.zip", files))
    assert any("execution_rate" in c for c in verdict.changes), verdict.changes
    assert any(JSON_FILE in c and "不一致" in c for c in verdict.changes)


def test_missing_manifest_and_foreign_zip_are_refused(sealed: Path, tmp_path: Path) -> None:
    files = members(sealed)
    del files[MANIFEST]
    with pytest.raises(PackageError, match="缺少 manifest.json"):
        verify_package(rewrite(tmp_path / "n.zip", files))
    (tmp_path / "t.zip").write_bytes(b"not a zip")
    out = run("verify", str(tmp_path / "t.zip"))
    assert out.returncode == 2 and "报送包" in out.stderr and "Traceback" not in out.stderr


def test_package_cli_refuses_to_overwrite(sealed: Path, tmp_path: Path) -> None:
    target = tmp_path / "p.zip"
    target.write_bytes(b"x")
    out = run("package", str(ROOT / "tests/fixtures/seed004_yiyang.json"), "-o", str(target))
    assert out.returncode == 2 and "已存在" in out.stderr
    assert os.path.getsize(target) == 1


def test_check_counts_of_another_rule_set_are_noted_not_failed(sealed: Path, tmp_path: Path) -> None:
    files = members(sealed)
    manifest = json.loads(files[MANIFEST])
    manifest["rules_version"] = "older"
    manifest["problems"]["warning"] += 3
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    verdict = verify_package(rewrite(tmp_path / "o.zip", files))
    assert verdict.ok and "检查规则" in verdict.notes[0]
    manifest["forms"][0]["total"] = "1"
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    assert not verify_package(rewrite(tmp_path / "p.zip", files)).ok


class RawName(zipfile.ZipInfo):
    """A member whose name is written as the bytes given (CP437 text standing for them), with no UTF-8
    flag, as zip tools that know no UTF-8 flag write it."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's name
        return self.filename.encode("cp437"), self.flag_bits


def rezip(sealed: Path, out: Path, encoding: str, folder: str = "") -> Path:
    """The package unpacked and zipped again as a department's machine does: names in ``encoding``
    without the UTF-8 flag (Windows' 压缩(zipped)文件夹 on a Chinese system: GBK; Linux zip: UTF-8),
    under ``folder`` when the unpacked folder itself was zipped. The files' bytes are the same."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members(sealed).items():
            info = RawName((folder + name).encode(encoding).decode("cp437"), (2024, 5, 20, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    with zipfile.ZipFile(out) as zf:  # as written: no UTF-8 flag, the names unreadable as zipfile reads them
        assert all(not info.flag_bits & 0x800 for info in zf.infolist())
        assert REPORT_FILE not in zf.namelist() and f"{folder}{REPORT_FILE}" not in zf.namelist()
    return out


@pytest.mark.parametrize(
    ("encoding", "folder"),
    [("gbk", ""), ("gbk", "2023年度益阳市委组织部绩效自评报送包/"), ("utf-8", ""), ("utf-8", "报送包/")],
)
def test_a_package_zipped_again_on_the_departments_machine_verifies(
    sealed: Path, tmp_path: Path, encoding: str, folder: str
) -> None:
    """Unpacked and zipped again unchanged (names without the UTF-8 flag, or the folder zipped): the
    package is as sealed, not refused as one whose 报告.zpdb, JSON and Word file were deleted."""
    from core.review.scan import Index, scan

    path = rezip(sealed, tmp_path / "益阳（重新压缩）.zip", encoding, folder)
    verdict = verify_package(path)
    assert verdict.ok, verdict.changes
    assert verdict.report is not None and verdict.report.department == "中国共产党益阳市委员会组织部"
    result = scan([path], index=Index(tmp_path / "index.sqlite"))
    assert result.refused == [] and len(result.reports) == 1


def test_a_package_zipped_again_with_a_file_changed_is_still_caught(sealed: Path, tmp_path: Path) -> None:
    path = rezip(sealed, tmp_path / "again.zip", "gbk")
    files = members(path)
    changed = next(n for n in files if n.endswith(".docx"))
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(RawName(name), data + b"x" if name == changed else data)
    verdict = verify_package(path)
    assert verdict.changes == [f"文件“{DOCX_FILE}”在封包后被修改（SHA-256 不符）"]


def _peak(call: Any) -> tuple[Any, int]:
    import tracemalloc

    tracemalloc.start()
    try:
        try:
            out = call()
        except PackageError as exc:
            out = exc
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_zip_of_scanned_pages_is_refused_without_being_unpacked(sealed: Path, tmp_path: Path) -> None:
    """A department's zip of scanned pages (no package), and a package with a scan added: refused for
    what they are, without unpacking the scans into memory (the whole zip was read first: a 300 MB zip
    took 300 MB)."""
    scans = os.urandom(20 << 20)
    plain = tmp_path / "某局绩效自评材料（含扫描件）.zip"
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("扫描件/自评表盖章页.pdf", scans)
    refused, peak = _peak(lambda: verify_package(plain))
    assert isinstance(refused, PackageError) and "缺少 manifest.json" in str(refused)
    assert peak < 2 << 20
    added = tmp_path / "加了扫描件的报送包.zip"
    rewrite(added, {**members(sealed), "自评表盖章页.pdf": scans})
    verdict, peak = _peak(lambda: verify_package(added, deep=False))
    assert verdict.changes == ["增加了清单以外的文件“自评表盖章页.pdf”"]
    assert peak < 12 << 20  # the report read and scored; not the 20 MB scan


def test_a_file_packed_by_a_method_python_cannot_unpack_is_named_not_a_traceback(
    sealed: Path, tmp_path: Path
) -> None:
    """Windows' own 压缩 packs large files with Deflate64 (method 9), which zipfile cannot unpack: the
    package names that file as damaged; an unlisted one is named as added, never an English error."""
    path = rewrite(tmp_path / "deflate64.zip", {**members(sealed), "大附件.pdf": b"x" * 1000})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    for name in (DOCX_FILE, "大附件.pdf"):
        info = infos[name]
        data[info.header_offset + 8 : info.header_offset + 10] = (9).to_bytes(2, "little")  # local header
    central = data.find(b"PK\x01\x02")
    while central != -1:
        size = int.from_bytes(data[central + 28 : central + 30], "little")
        name = bytes(data[central + 46 : central + 46 + size]).decode()
        if name in (DOCX_FILE, "大附件.pdf"):
            data[central + 10 : central + 12] = (9).to_bytes(2, "little")
        central = data.find(b"PK\x01\x02", central + 46)
    path.write_bytes(bytes(data))
    verdict = verify_package(path, deep=False)
    assert verdict.changes == [f"文件“{DOCX_FILE}”已损坏（压缩校验失败）", "增加了清单以外的文件“大附件.pdf”"]


def test_a_package_with_a_stamped_scan_added_is_listed_and_read_as_sealed(
    sealed: Path, tmp_path: Path
) -> None:
    """A department unpacks its 报送包, adds 盖章扫描件.pdf and zips it again (reviewer's R12): the sealed
    files are as sealed, so the report is listed (状态 已封包（另附 1 个文件）), read and 复核ed as sealed;
    verify still names the added file. A sealed file changed as well is still refused."""
    from core.review.listing import rows
    from core.review.reviewfile import ReviewFile
    from core.review.sample import load_any
    from core.review.scan import Index, scan

    folder = tmp_path / "报送"
    folder.mkdir()
    rewrite(folder / "益阳（加盖章页）.zip", {**members(sealed), "盖章扫描件.pdf": b"%PDF-1.4 scan"})
    result = scan([folder], index=Index(tmp_path / "index.sqlite"))
    assert result.refused == [] and len(result.reports) == 1
    assert {r["status"] for r in rows(result)} == {"已封包（另附 1 个文件）"}
    verdict = verify_package(folder / "益阳（加盖章页）.zip")
    assert (
        not verdict.ok and verdict.sealed_ok and verdict.changes == ["增加了清单以外的文件“盖章扫描件.pdf”"]
    )
    assert load_any(folder / "益阳（加盖章页）.zip").department == "中国共产党益阳市委员会组织部"
    ReviewFile.create(folder / "益阳（加盖章页）.zip", tmp_path / "复核.zpdb").close()
    files = {**members(sealed), "盖章扫描件.pdf": b"%PDF"}
    files[DOCX_FILE] += b"x"
    rewrite(folder / "益阳（加盖章页）.zip", files)
    again = scan([folder], index=Index(tmp_path / "index.sqlite"))
    assert again.reports == [] and "自评报告.docx" in again.refused[0]["reason"]
