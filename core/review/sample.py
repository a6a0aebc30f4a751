"""抽评: a reproducible draw of N projects per grade and the 抽评 result workbook of each (ECOSYSTEM §4).

The draw is ``random.Random(seed).sample`` over the projects of each grade in a fixed order
(department, year, place in the report), so the same set and seed always draw the same
projects; the seed is printed with the result. Each drawn project gets
``项目编码&项目名称&yyyyMMdd.xlsx`` with the sheets 自评质量, 实际绩效 and 抽评发现的问题, all
zipped as ``评价结果<yyyyMMddHHmmss>.zip`` (only the workbooks: the 一体化 upload takes them as
they are); the draw list with its seed is written beside it as ``…-抽评清单.txt``.
"""

from __future__ import annotations

import random
import re
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.model import Form, Indicator, Report
from core.numbers import try_amount
from core.problems import ERROR, WARNING
from core.review.listing import GRADES, code_of
from core.review.reviewfile import quality_rule
from core.review.sheets import append
from core.schema import HEAD, REP
from core.scoring import parsed, score_form
from core.templates import Template, get_template
from core.values import Kind

SHEETS = ("自评质量", "实际绩效", "抽评发现的问题")
QUALITY_HEADERS = ("评价内容", "分值", "评分标准", "得分", "扣分原因")
RESULT_HEADERS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "计量单位",
    "指标权重",
    "抽评核实完成值",
    "抽评得分",
    "备注",
)
FINDING_HEADERS = ("序号", "问题类型", "问题描述", "所在位置", "规则")


class SampleError(ValueError):
    """A draw that cannot be made; the message is for the user."""


def parse_per_grade(text: str) -> dict[str, int]:
    """Read ``优=3,良=2,中=1,差=1``."""
    out: dict[str, int] = {}
    for part in re.split(r"[,，;；\s]+", text.strip()):
        if not part:
            continue
        name, _, count = part.partition("=")
        name = name.strip()
        if name not in GRADES or not count.strip().isdigit():
            raise SampleError(f"抽取数量“{part}”应写成 等级=数量，如 优=3,良=2,中=1,差=1")
        out[name] = int(count)
    if not out:
        raise SampleError("请给出每个等级的抽取数量，如 优=3,良=2,中=1,差=1")
    return out


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 10**9)


def draw(reports: list[dict[str, Any]], per_grade: dict[str, int], seed: int) -> list[dict[str, Any]]:
    """Return the drawn projects: {file, department, year, index, code, name, grade, total}; the code
    is the project's 项目编码 (a stand-in when it has none), as the 抽评 workbook's name spells it."""
    pool: dict[str, list[dict[str, Any]]] = {g: [] for g in GRADES}
    ordered = sorted(reports, key=lambda r: (r[REP.department], r[REP.year], r["file"]))
    for rep in ordered:
        for i, form in enumerate(rep["forms"]):
            if form["kind"] == "project" and form["grade"] in pool:
                pool[form["grade"]].append(
                    {
                        "file": rep["file"],
                        REP.department: rep[REP.department],
                        REP.year: rep[REP.year],
                        "index": i,
                        HEAD.code: code_of(rep, i),
                        HEAD.name: form[HEAD.name],
                        "grade": form["grade"],
                        "total": form["total"],
                    }
                )
    rng = random.Random(seed)
    out = []
    for grade in GRADES:
        n = per_grade.get(grade, 0)
        candidates = pool[grade]
        out += rng.sample(candidates, min(n, len(candidates)))
    return out


def load_any(path: Path | str) -> Report:
    """Read a package (.zip, as sealed) or a .zpdb, read-only."""
    from core.review.package import PackageError, verify_package
    from core.review.readonly import load_readonly
    from core.storage.db import StorageError

    path = Path(path)
    if path.suffix.lower() == ".zip":
        try:
            verdict = verify_package(path, deep=False)
        except PackageError as exc:
            raise StorageError(str(exc)) from exc
        if verdict.report is None or not verdict.sealed_ok:
            raise StorageError(f"报送包“{path.name}”在封包后被改动")
        return verdict.report
    return load_readonly(path)


def _nature(ind: Indicator) -> str:
    value = parsed(ind.target)
    if value.kind is Kind.QUALITATIVE:
        return "定性"
    direction = ind.direction or value.direction or ""
    return {"≤": "反向指标", "<": "反向指标", "=": "等于"}.get(direction, "正向指标")


def _target_and_unit(ind: Indicator) -> tuple[str, str]:
    value = parsed(ind.target)
    unit = str(ind.unit or value.unit or "")
    if value.number is not None and value.kind is Kind.NUMBER:
        return f"{value.number:f}", unit
    return ind.target, unit


def _headers(ws: Any, headers: tuple[str, ...], widths: tuple[int, ...]) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"


def workbook_name(code: str, name: str, day: datetime) -> str:
    safe = re.sub(r'[\\/:*?"<>|&\r\n]+', "_", name).strip() or "项目"
    return f"{code}&{safe}&{day:%Y%m%d}.xlsx"


def write_sample_workbook(report: Report, form: Form, path: Path, template: Template) -> None:
    """Write one drawn project's 抽评 workbook: 自评质量, 实际绩效 and 抽评发现的问题."""
    from core.rules import check_report

    weight, bands = quality_rule(template)
    score = score_form(report, form, template)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS[0]
    _headers(ws, QUALITY_HEADERS, (24, 8, 60, 8, 40))
    steps = "；".join(f"差异达 {lo * 100:.0f}% 扣 {pts:f} 分" for lo, pts in bands)
    ws.append(
        [
            "自评得分准确性",
            weight,
            f"自评得分与抽评得分差异在 {bands[0][0] * 100:.0f}% 以内不扣分；{steps}",
            None,
            "",
        ]
    )
    ws.append(["自评依据充分性", None, "完成值、偏差原因有据可查；严禁刻意抬高分数", None, ""])
    ws.append(
        [
            "自评得分（参考）",
            None,
            f"自评总分 {score.total if score.total is not None else '—'}，等级 {score.grade or '—'}",
            None,
            "",
        ]
    )
    ws = wb.create_sheet(SHEETS[1])
    _headers(ws, RESULT_HEADERS, (14, 16, 30, 10, 14, 10, 10, 16, 10, 30))
    for ind in form.indicators:
        if ind.is_blank_row():
            continue
        target, unit = _target_and_unit(ind)
        weight_value = try_amount(ind.weight)
        append(
            ws,
            [
                ind.level1,
                ind.level2,
                ind.level3,
                _nature(ind),
                target,
                unit,
                weight_value if weight_value is not None else ind.weight,
                None,
                None,
                "",
            ],
        )
    ws = wb.create_sheet(SHEETS[2])
    _headers(ws, FINDING_HEADERS, (6, 10, 70, 24, 8))
    problems = [
        p for p in check_report(report, template) if p.form_uid == form.uid and p.severity in (ERROR, WARNING)
    ]
    for n, p in enumerate(problems, start=1):
        where = {"funds": "资金", "indicators": "绩效指标", "goals": "绩效目标", "score_sheet": "评分表"}.get(
            p.table, ""
        )
        row = f"第 {p.row + 1} 行" if p.row is not None else ""
        append(ws, [n, p.severity_label, p.message, f"{where}{row}", p.rule])
    wb.save(str(path))


def write_sample(drawn: list[dict[str, Any]], out_dir: Path, seed: int, now: datetime | None = None) -> Path:
    """Write every drawn project's workbook into ``out_dir/评价结果<timestamp>.zip``; return its path."""
    now = now or datetime.now()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"评价结果{now:%Y%m%d%H%M%S}.zip"
    cache: dict[str, tuple[Report, Template]] = {}  # a file's report and its template, read once
    with tempfile.TemporaryDirectory(prefix="ziping-sample-") as tmp_name:
        tmp = Path(tmp_name)
        names = []
        for item in drawn:
            if item["file"] not in cache:
                read = load_any(item["file"])
                cache[item["file"]] = (read, get_template(read.template))
            report, template = cache[item["file"]]
            name = workbook_name(item[HEAD.code], item[HEAD.name], now)
            write_sample_workbook(report, report.forms[item["index"]], tmp / name, template)
            names.append(name)
        part = target.with_name(f".{target.name}.part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in names:
                zf.write(tmp / name, name)
        part.replace(target)
    (out_dir / f"{target.stem}-抽评清单.txt").write_text(draw_text(drawn, seed), encoding="utf-8")
    return target


def draw_text(drawn: list[dict[str, Any]], seed: int) -> str:
    lines = [f"抽评随机种子：{seed}（同一批报告、同一种子可重现同样的抽取结果）"]
    for item in drawn:
        lines.append(
            f"{item['grade']}\t{item[HEAD.code]}\t{item[HEAD.name]}\t{item[REP.department]}\t{item['total']}"
        )
    return "\n".join(lines) + "\n"
