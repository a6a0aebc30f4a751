"""复核: the bureau's own review file, 复核得分 and 复核意见, and 自评质量 from the differences.

A review file is a .zpdb of kind ``review`` in the bureau's folder: a copy of the department's
report (so it opens, scores and exports like any report) whose ``meta`` table also holds the
marks, one row per (form, table, row) → [复核得分, 复核意见] (key ``mark:<form>:<table>:<row>``;
the schema stays the report schema, so the file opens and is checked like any report).
The department's file is read once, read-only, and never written. ``reviewed_report`` puts the
marks into the model (ScoreItem.review_score, Indicator.review_score/review_note) so the exports
print a 财政复核得分 column beside 自评得分.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from core.model import INDICATORS, SCORE_SHEET, Indicator, Report, ScoreItem
from core.numbers import HUNDRED, ZERO, fmt, fmt_percent, is_amount, q, try_amount
from core.paths import user_data_dir
from core.report import Document, InputError
from core.review.readonly import connect_readonly, hot_journal, load_connection, load_judged, read_meta
from core.schema import IND, REP
from core.scoring import form_total
from core.storage.db import StorageError
from core.templates import Template

KIND = "review"
MARK = "mark:"
# seed 001 (广元): 差异 10% 以内不扣分；10%–15% 扣 2 分，15%–20% 扣 4 分，20% 以上扣 6 分（自评质量 6 分）
DEFAULT_QUALITY = (
    Decimal(6),
    ((Decimal("0.1"), Decimal(2)), (Decimal("0.15"), Decimal(4)), (Decimal("0.2"), Decimal(6))),
)


def reviews_dir() -> Path:
    path = user_data_dir() / "reviews"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_review_path(department: str, year: int) -> Path:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", department).strip("_") or "部门"
    return reviews_dir() / f"{year}-{safe}-复核.zpdb"


def quality_rule(template: Template) -> tuple[Decimal, list[tuple[Decimal, Decimal]]]:
    """Return (自评质量 分值, [(差异率下限, 扣分)…]) from the template's ``review_quality`` option."""
    if template.review_quality is not None:
        weight, bands = template.review_quality
        return weight, list(bands)
    return DEFAULT_QUALITY[0], list(DEFAULT_QUALITY[1])


@dataclass(frozen=True)
class FormQuality:
    """One form's self score against the review: the difference and the 自评质量 deduction."""

    index: int
    name: str
    self_total: Decimal | None
    review_total: Decimal | None
    difference: Decimal | None  # |自评 − 复核| / 复核
    deduction: Decimal
    quality: Decimal
    reviewed: int  # how many rows carry a 复核得分

    def why(self) -> str:
        if self.difference is None:
            return "尚未复核" if not self.reviewed else "复核得分为 0 或缺失，无法计算差异"
        diff = fmt_percent(self.difference)
        head = f"自评 {fmt(self.self_total)} 与复核 {fmt(self.review_total)} 差异 {diff}"
        if not self.deduction:
            return f"{head}，不扣分"
        return f"{head}，扣 {fmt(self.deduction)} 分"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class ReviewFile:
    """An open review file: the department's report copy and the bureau's marks."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.report: Report = doc.report
        self.path = doc.path
        self.marks: dict[tuple[int, str, int], tuple[str, str]] = {}
        self.meta: dict[str, str] = {}
        for key, value in doc.db.execute("SELECT key, value FROM meta").fetchall():
            key, value = str(key), str(value or "")
            if key.startswith(MARK):
                _m, place, table, line = key.split(":")
                score, note = json.loads(value)
                self.marks[(int(place), table, int(line))] = (str(score), str(note))
            else:
                self.meta[key] = value
        if self.meta.get("kind") != KIND:
            doc.close()
            raise StorageError(f"“{self.path.name}”不是财政复核文件")
        for i, form in enumerate(self.report.forms):  # 复核 typed in the normal window's columns counts too
            for table in (INDICATORS, SCORE_SHEET):
                for r, row in enumerate(form.rows(table)):
                    score, note = str(row.review_score), str(row.review_note)
                    if score or note:
                        self.marks[(i, table, r)] = (score, note)

    # ---- making and opening ---------------------------------------------------------
    @classmethod
    def create(cls, source: Path | str, target: Path | str | None = None, reviewer: str = "") -> ReviewFile:
        """Start a review of the department's report ``source`` (.zpdb or a package .zip)."""
        source = Path(source)
        report = _read_source(source)
        target = Path(target) if target else default_review_path(report.department, report.year)
        if target.resolve() == source.resolve():
            raise StorageError("复核文件不能写在部门报告本身上")
        for form in report.forms:
            form.uid = 0
            rows: list[Indicator | ScoreItem] = [*form.indicators, *form.score_sheet]
            for row in rows:  # the bureau's 复核 starts blank
                row.review_score = row.review_note = ""
        doc = Document.create(target, report)
        with doc.db.atomic():
            meta = {
                "kind": KIND,
                "source_file": str(source),
                "source_sha256": _digest(source),
                REP.department: report.department,
                REP.year: str(report.year),
                "reviewer": reviewer,
                "started": datetime.now().isoformat(timespec="seconds"),
            }
            doc.db.table("meta").insert_all([{"key": k, "value": v} for k, v in meta.items()], replace=True)
        return cls(doc)

    @classmethod
    def open(cls, path: Path | str) -> ReviewFile:
        return cls(Document.open(Path(path), backup=False))

    def close(self) -> None:
        self.doc.close()

    def differs_from(self, source: Path | str) -> bool:
        """True when ``source`` (the department's file now in the list) is not the report this review
        was started from: the department sent its report again, corrected. The same file, or another
        file with the same report (its package, a copy), is not."""
        source = Path(source)
        try:
            if _digest(source) == self.meta.get("source_sha256"):
                return False
        except OSError:
            return False  # gone: nothing to compare with; the review goes on as it is
        from core.interchange import dumps

        theirs = _read_source(source)
        mine = self.report.clone()
        for report in (theirs, mine):
            for form in report.forms:
                form.uid = 0
                rows: list[Indicator | ScoreItem] = [*form.indicators, *form.score_sheet]
                for row in rows:
                    row.review_score = row.review_note = ""
        return dumps(theirs, self.doc.template) != dumps(mine, self.doc.template)

    def set_aside(self) -> Path:
        """Close this review file and move it aside as “…（旧版 <time>）.zpdb” in the same folder (its
        marks kept there, still listed as reviewed); return where it went."""
        self.close()
        stamp = datetime.now().strftime("%Y%m%d%H%M%S")
        target = self.path.with_name(f"{self.path.stem}（旧版 {stamp}）{self.path.suffix}")
        self.path.replace(target)
        return target

    # ---- marks ----------------------------------------------------------------------
    def set_mark(
        self, form: int, table: str, row: int, score: str | None = None, note: str | None = None
    ) -> None:
        """Set the 复核得分 and/or 复核意见 of one indicator or score-sheet row (form = position)."""
        if table not in (INDICATORS, SCORE_SHEET):
            raise InputError("只能复核指标和评分表")
        rows = self.report.forms[form].rows(table)
        if not 0 <= row < len(rows):
            raise InputError("没有这一行")
        old_score, old_note = self.marks.get((form, table, row), ("", ""))
        score = old_score if score is None else score.strip()
        note = old_note if note is None else note
        if score and not is_amount(score):
            raise InputError(f"“{score}”不是数字，请输入复核得分（如 8.5）")
        target = rows[row]
        uid = self.report.forms[form].uid
        # indicators and score-sheet rows both declare 复核得分 / 复核意见 under these keys
        edits = [(uid, table, row, c, v) for c, v in ((IND.review_score, score), (IND.review_note, note))]
        self.doc.set_cells([e for e in edits if hasattr(target, e[3])])
        with self.doc.db.atomic():
            self.doc.db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [f"{MARK}{form}:{table}:{row}", json.dumps([score, note], ensure_ascii=False)],
            )
        self.marks[(form, table, row)] = (score, note)

    def mark(self, form: int, table: str, row: int) -> tuple[str, str]:
        return self.marks.get((form, table, row), ("", ""))

    # ---- results --------------------------------------------------------------------
    def reviewed_report(self) -> Report:
        """The report with 复核得分/复核意见 filled in (for the exports' 财政复核得分 column)."""
        out = self.report.clone()
        for (form, table, row), (score, note) in self.marks.items():
            item = out.forms[form].rows(table)[row]
            item.review_score, item.review_note = score, note
        return out

    def review_scores_report(self) -> Report:
        """The report as the reviewer scored it: each 复核得分 replaces the self score."""
        out = self.report.clone()
        for (form, table, row), (score, _note) in self.marks.items():
            if not score:
                continue
            item = out.forms[form].rows(table)[row]
            if table == INDICATORS:
                item.score = score
            else:
                item.self_score = score
        return out

    def quality(self) -> list[FormQuality]:
        """自评质量 per form: |自评 − 复核| / 复核 against the template's bands."""
        weight, bands = quality_rule(self.doc.template)
        reviewed = self.review_scores_report()
        out = []
        for i, (form, rform) in enumerate(zip(self.report.forms, reviewed.forms, strict=True)):
            count = sum(1 for (f, _t, _r), (s, _n) in self.marks.items() if f == i and s)
            mine = form_total(self.report, form, self.doc.template)
            theirs = form_total(reviewed, rform, self.doc.template) if count else None
            diff: Decimal | None = None
            deduction = ZERO
            if mine is not None and theirs:
                diff = abs(mine - theirs) / theirs
                for floor, points in bands:
                    if q(diff * HUNDRED) >= q(floor * HUNDRED):
                        deduction = points
            out.append(
                FormQuality(i, form.name, mine, theirs, diff, deduction, max(ZERO, weight - deduction), count)
            )
        return out


def _read_source(source: Path) -> Report:
    if source.suffix.lower() == ".zip":
        from core.review.package import PackageError, verify_package

        try:
            verdict = verify_package(source, deep=False)
        except PackageError as exc:
            raise StorageError(str(exc)) from exc
        if not verdict.sealed_ok or verdict.report is None:
            raise StorageError("报送包在封包后被改动：" + "；".join(verdict.changes[:3]))
        return verdict.report
    if hot_journal(source):  # a crash left a journal: read as SQLite would after rolling it back
        return load_judged(source)
    conn = connect_readonly(source)
    try:
        if read_meta(conn).get("kind") == KIND:
            raise StorageError(f"“{source.name}”是财政复核文件，不是部门报告")
        return load_connection(conn, source.name)
    finally:
        conn.close()


def item_difference(self_score: str, review_score: str, weight: str) -> str:
    """Return the difference of one row as a percentage of its 分值 ("" when not reviewed)."""
    a, b, w = try_amount(self_score), try_amount(review_score), try_amount(weight)
    if a is None or b is None:
        return ""
    if not w:
        return fmt(b - a)
    return fmt_percent((b - a) / w)
