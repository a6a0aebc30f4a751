"""A sealed submission (报送包): one .zip with the report, its JSON, the exports and a manifest.

``manifest.json`` names the department, year, template and ZiPing version, carries the
per-form figures and check counts the data gives, and the SHA-256 of every other file.
``verify_package`` says what changed after sealing: a file edited, added or removed,
manifest figures the data does not reproduce, a JSON that is not the report's.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import schema
from core.interchange import InterchangeError, dumps, report_from_dict
from core.model import Report
from core.review.figures import FORM_KEYS, quick_summary, report_summary
from core.review.readonly import load_bytes
from core.schema import HEAD, REP, Kind, Table
from core.storage.db import StorageError
from core.templates import Template
from core.version import __version__

if TYPE_CHECKING:
    from core.review.lean import Groups

FORMAT = "ziping-package"
VERSION = 1
MANIFEST = "manifest.json"
REPORT_FILE = "报告.zpdb"
JSON_FILE = "报告.json"
DOCX_FILE = "自评报告.docx"
XLSX_FILE = "附件.xlsx"
SUMMARY_KEYS = (REP.department, REP.year, REP.template, "forms", "problems")
# Figures the data must reproduce (the review list's per-form figures, less the reason text and the
# problem counts); check counts only under the same rule set (rules_version).
FIGURE_KEYS = tuple(k for k in FORM_KEYS if k not in ("warning_why", "problems"))
HEADER_TEXTS = set(schema.keys(Table.HEADER, Kind.TEXT))


def rules_version() -> str:
    """A fingerprint of the rule set (rule ids): check counts are compared only when it is the same."""
    from core.rules.catalogue import RULES

    return hashlib.sha256(",".join(sorted(RULES)).encode()).hexdigest()[:12]


class PackageError(Exception):
    """A package that cannot be made or read; the message is for the user."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _snapshot(source: Path, target: Path) -> Report:
    """Copy the report in ``source`` into ``target`` through the storage layer's read-only open
    (the file is judged and never written; a crash's journal is applied to a copy) and load it."""
    from core.storage.db import close_database, open_read_only
    from core.storage.repository import load_report

    db = open_read_only(source)
    try:
        report = load_report(db)
        dest = sqlite3.connect(str(target))
        try:
            db.conn.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        close_database(db)
    return report


def build_manifest(
    report: Report, files: dict[str, bytes], template: Template | None = None
) -> dict[str, Any]:
    summary = report_summary(report, template)
    return {
        "format": FORMAT,
        "version": VERSION,
        "ziping_version": __version__,
        "rules_version": rules_version(),
        "sealed_at": datetime.now().isoformat(timespec="seconds"),
        **{k: summary[k] for k in SUMMARY_KEYS},
        "files": {name: sha256(data) for name, data in sorted(files.items())},
    }


def make_package(source: Path | str, out: Path | str) -> dict[str, Any]:
    """Seal the report ``source`` (.zpdb) into the package ``out`` (.zip); return its manifest."""
    from core.export.docx import write_docx
    from core.export.xlsx import write_xlsx
    from core.templates import get_template

    source, out = Path(source), Path(out)
    with tempfile.TemporaryDirectory(prefix="ziping-package-") as tmp_name:
        tmp = Path(tmp_name)
        report = _snapshot(source, tmp / REPORT_FILE)
        template = get_template(report.template)  # resolved once: the JSON, both files, the manifest
        (tmp / JSON_FILE).write_text(dumps(report, template), encoding="utf-8")
        write_docx(report, tmp / DOCX_FILE, template=template)
        write_xlsx(report, tmp / XLSX_FILE, template=template)
        files = {n: (tmp / n).read_bytes() for n in (REPORT_FILE, JSON_FILE, DOCX_FILE, XLSX_FILE)}
    manifest = build_manifest(report, files, template)
    part = out.with_name(f".{out.name}.part")
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
            for name, data in files.items():
                zf.writestr(name, data)
        part.replace(out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return manifest


@dataclass
class Verdict:
    """What ``verify_package`` found: ``changes`` empty means the package is as sealed."""

    manifest: dict[str, Any] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    report: Report | None = None
    summary: dict[str, Any] | None = None

    added: list[str] = field(default_factory=list)  # files beside the sealed ones (not in the manifest)

    @property
    def ok(self) -> bool:
        return not self.changes

    @property
    def sealed_ok(self) -> bool:
        """Every sealed file is as sealed and its figures are the data's: at most files were added
        beside them (a department's stamped scan) — the report can be listed and read as sealed."""
        return not [c for c in self.changes if not c.startswith(ADDED)]


UTF8_FLAG = 0x800  # a zip entry's general-purpose flag: its name is UTF-8


def _name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker meant it: a name without the UTF-8 flag is read by ``zipfile`` as
    CP437, but zips made on a Chinese system (Windows' own 压缩(zipped)文件夹, WinRAR, 360压缩) write
    GBK there, and others (Linux zip, macOS) UTF-8 without saying so."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def member_names(infos: list[zipfile.ZipInfo]) -> list[str]:
    """The names of a package's files as sealed: decoded as their maker wrote them (``_name``), and
    without the one folder they all sit in when the unpacked package was zipped again as a folder
    (发送到 → 压缩(zipped)文件夹 on the folder, not on its files)."""
    names = [_name(info).replace("\\", "/") for info in infos]
    top = {n.split("/", 1)[0] for n in names}
    if len(top) == 1 and all("/" in n for n in names) and f"{next(iter(top))}/{MANIFEST}" in names:
        names = [n.split("/", 1)[1] for n in names]
    return names


@dataclass
class Members:
    """What a package's zip holds besides its manifest: the SHA-256 of each file the manifest lists
    (read a block at a time), the bytes of the report and its JSON (read whole: they are read again),
    the names of the files it does not list (never read) and of those that cannot be unpacked."""

    digests: dict[str, str] = field(default_factory=dict)
    kept: dict[str, bytes] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)


KEPT = (REPORT_FILE, JSON_FILE)
ADDED = "增加了清单以外的文件"
UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError)


def _digest(zf: zipfile.ZipFile, info: zipfile.ZipInfo, keep: bool) -> tuple[str, bytes | None]:
    digest, blocks = hashlib.sha256(), []
    with zf.open(info) as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
            if keep:
                blocks.append(block)
    return digest.hexdigest(), b"".join(blocks) if keep else None


def read_package(path: Path | str) -> tuple[dict[str, Any], Members]:
    """Return (manifest, the other files) of a package; PackageError if unreadable. Nothing is unpacked
    before the manifest is found and read, and no file is held in memory but the report and its JSON: a
    zip that is no package (a department's 300 MB of scanned pages) took its whole size in memory."""
    path = Path(path)
    members = Members()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [info for info in zf.infolist() if not info.is_dir()]
            by_name = dict(zip(member_names(infos), infos, strict=True))
            if MANIFEST not in by_name:
                raise PackageError(f"“{path.name}”缺少 manifest.json，不是 ZiPing 报送包")
            try:
                text = zf.read(by_name.pop(MANIFEST))
            except UNPACK_ERRORS as exc:
                raise PackageError(f"“{path.name}”的 manifest.json 已损坏") from exc
            manifest = _manifest(path, text)
            listed: dict[str, Any] = manifest["files"]
            for name, info in by_name.items():
                if name not in listed and name not in KEPT:
                    members.extra.append(name)
                    continue
                try:
                    digest, data = _digest(zf, info, name in KEPT)
                except UNPACK_ERRORS:
                    members.damaged.append(name)
                    continue
                members.digests[name] = digest
                if data is not None:
                    members.kept[name] = data
                if name not in listed:
                    members.extra.append(name)
    except UNPACK_ERRORS as exc:
        raise PackageError(f"“{path.name}”不是有效的报送包（zip 文件无法读取）") from exc
    return manifest, members


def _manifest(path: Path, text: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"“{path.name}”的 manifest.json 无法读取") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageError(f"“{path.name}”的 manifest.json 不是 ZiPing 报送包清单")
    if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
        raise PackageError(f"“{path.name}”由更新版本的 ZiPing 生成，请升级本程序")
    if not isinstance(manifest.get("files"), dict):
        raise PackageError(f"“{path.name}”的 manifest.json 缺少文件清单")
    return manifest


def _file_changes(manifest: dict[str, Any], members: Members) -> list[str]:
    listed: dict[str, Any] = manifest["files"]
    out = [f"文件“{n}”已损坏（压缩校验失败）" for n in members.damaged]
    for name, digest in sorted(listed.items()):
        if name in members.damaged:
            continue
        if name not in members.digests:
            out.append(f"文件“{name}”已被删除")
        elif members.digests[name] != digest:
            out.append(f"文件“{name}”在封包后被修改（SHA-256 不符）")
    out += [f"{ADDED}“{n}”" for n in sorted(members.extra)]
    return out


def _figure_changes(manifest: dict[str, Any], summary: dict[str, Any], same_rules: bool) -> list[str]:
    out = []
    names = {REP.department: "部门", REP.year: "年度", REP.template: "模板"}
    for key, label in names.items():
        if manifest.get(key) != summary[key]:
            out.append(f"清单中的{label}“{manifest.get(key)}”与报告数据“{summary[key]}”不符")
    if same_rules and manifest.get("problems") != summary["problems"]:
        out.append(f"清单中的检查结果 {manifest.get('problems')} 与报告数据 {summary['problems']} 不符")
    sealed = manifest.get("forms")
    if not isinstance(sealed, list) or len(sealed) != len(summary["forms"]):
        out.append("清单中的表数与报告数据不符")
        return out
    keys = FIGURE_KEYS + (("problems",) if same_rules else ())
    for i, (a, b) in enumerate(zip(sealed, summary["forms"], strict=True)):
        if not isinstance(a, dict):
            out.append(f"清单中第 {i + 1} 张表的数据无法读取")
            continue
        for key in keys:
            # A header text a version before it was declared did not seal reads as blank.
            if a.get(key, "" if key in HEADER_TEXTS else None) != b.get(key):
                out.append(
                    f"清单中“{b.get(HEAD.name) or i + 1}”的 {key} 为“{a.get(key)}”，报告数据为“{b.get(key)}”"
                )
    return out


def verify_package(path: Path | str, deep: bool = True, checks: bool = True) -> Verdict:
    """Check a package against its manifest and its own data; PackageError when it is unreadable.

    ``deep`` also re-reads the JSON and compares it with the report (the review scan skips it:
    the JSON's hash is still checked). ``checks=False`` compares the figures but not the check
    counts (the review list's first pass: the summary's problem counts are None).
    """
    manifest, members = read_package(path)
    verdict = Verdict(
        manifest=manifest, changes=_file_changes(manifest, members), added=sorted(members.extra)
    )
    data = members.kept.get(REPORT_FILE)
    if data is None:
        return verdict
    groups: Groups | None = None if checks else {}  # the figures alone: indicator rows grouped
    try:
        report = load_bytes(data, REPORT_FILE, figures_only=not checks, groups=groups)
    except StorageError as exc:
        verdict.changes.append(str(exc))
        return verdict
    verdict.summary = report_summary(report) if checks else quick_summary(report, None, groups)
    if not checks:  # a report read for its figures alone is not handed out
        verdict.changes += _figure_changes(manifest, verdict.summary, False)
        return verdict
    verdict.report = report
    same_rules = manifest.get("rules_version") == rules_version()
    if not same_rules:
        verdict.notes.append("封包时的检查规则与本程序不同，检查结果（错误、警告、提示个数）未比对")
    verdict.changes += _figure_changes(manifest, verdict.summary, same_rules)
    text = members.kept.get(JSON_FILE)
    if deep and text is not None:
        try:
            same = dumps(report_from_dict(json.loads(text.decode("utf-8")))) == dumps(report)
        except (UnicodeDecodeError, json.JSONDecodeError, InterchangeError):
            same = False
        if not same:
            verdict.changes.append(f"文件“{JSON_FILE}”与报告数据不一致")
    return verdict
