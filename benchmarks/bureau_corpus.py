"""A season's submissions as a finance bureau receives them, generated into a folder.

Run: python benchmarks/bureau_corpus.py [--dir /tmp/bureau-corpus] [--departments 300] [--packages 0.2]

Departments of several regions (the seeds' templates 四川广元 / 甘肃平凉 / 湖南益阳 and the 财政部 and
四川一体化 layouts), each a real seed report (or a generated one) with its own department name and its
own amounts (2 to 4 decimal places, figures whose 执行率 falls on a half cent), written as this
version writes them or as an older storage version did; a share sealed into packages (报送包) as the
department's 生成报送包 makes them, a few of those re-zipped by Windows' own 压缩 (GBK names, no UTF-8
flag); Chinese folder and file names, some paths over 260 characters. Then what also arrives: a
zero-byte file, a truncated report, a Word file renamed .zpdb, a WAL left beside a report, a crashed
writer's journal, a 一体化 zip sent by mistake, two copies of one department, Word/Excel/PDF files
sent along. ``<dir>-expected.json`` (beside the folder) lists every department written with its
forms' 全年预算数/全年执行数 and 执行率 worked out here independently (Decimal, ROUND_HALF_UP to the
form's places), and every file that must be refused. The damaged and duplicate files are the
point: a scan must list the others and name each of these with its reason.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {
    "sichuan-guangyuan": ROOT / "tests/fixtures/seed001_guangyuan.json",
    "gansu-pingliang": ROOT / "tests/fixtures/seed003_pingliang.json",
    "hunan-yiyang": ROOT / "tests/fixtures/seed004_yiyang.json",
}
REGIONS = (
    ("四川省广元市昭化区财政局收件", "sichuan-guangyuan", "广元市昭化区"),
    ("甘肃省平凉市崆峒区", "gansu-pingliang", "平凉市崆峒区"),
    ("湖南省益阳市资阳区（2023年度部门整体及项目支出绩效自评）", "hunan-yiyang", "益阳市资阳区"),
    ("财政部模板", "mof", "某市"),
    ("四川一体化", "sichuan", "成都市青白江区"),
)
BUREAUS = (
    "农业农村局",
    "教育局",
    "卫生健康局",
    "民政局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "自然资源局",
    "生态环境局",
    "文化广播电视和旅游局",
    "市场监督管理局",
    "人力资源和社会保障局",
    "退役军人事务局",
    "应急管理局",
    "司法局",
    "审计局",
    "统计局",
    "林业局",
    "医疗保障局",
    "乡村振兴局",
    "委组织部",
    "委宣传部",
    "妇女联合会",
    "残疾人联合会",
    "科学技术协会",
    "档案馆",
    "机关事务服务中心",
    "公安局",
    "消防救援大队",
    "供销合作社",
)


def dept_name(region: str, n: int) -> str:
    base = BUREAUS[n % len(BUREAUS)]
    town = n // len(BUREAUS)
    return f"{region}{base}" if town == 0 else f"{region}第{town + 1}片区{base}"


def money(rng: random.Random, low: int, high: int) -> str:
    """An amount as accountants type them: 0 to 4 decimal places."""
    places = rng.choice((0, 2, 2, 2, 2, 3, 4))
    value = Decimal(rng.randint(low * 10**places, high * 10**places)) / Decimal(10**places)
    return f"{value:.{places}f}"


def half_cent(rng: random.Random) -> tuple[str, str]:
    """(annual, executed) whose 执行率 in % lies exactly on a half of the last printed place (x.xx5)."""
    annual = Decimal(rng.choice((200, 400, 800, 1000, 2000)))
    rate = Decimal(rng.randint(5000, 9999)) / 100 + Decimal("0.005")  # %
    executed = annual * rate / 100
    return f"{annual}", f"{executed.normalize():f}"


def vary(report: Any, template: Any, rng: random.Random) -> None:
    """Give every form its own amounts on its rate row (and the row the template sums into it)."""
    for form in report.forms:
        spec = template.form(form.kind)
        rate_key = spec.rate_row
        for row in form.funds:
            if row.key != rate_key:
                continue
            pick = rng.random()
            if pick < 0.1:
                annual, executed = half_cent(rng)
            else:
                annual = money(rng, 5, 3000)
                spent = Decimal(annual) * Decimal(rng.choice(("1", "1", "0.98", "0.9", "0.75", "0.5", "0.3")))
                executed = f"{spent.quantize(Decimal('0.01'), ROUND_HALF_UP)}"
            if pick > 0.97:
                annual, executed = "0", money(rng, 1, 50)  # 全年预算数 0: a yellow 预警
            row.initial, row.annual, row.executed = annual, annual, executed
            row.printed_rate = ""
            row.printed_score = ""


def rate_of(annual: str, executed: str, places: int) -> str:
    a, e = Decimal(annual or "0"), Decimal(executed or "0")
    if a == 0:
        return ""
    q = Decimal(1).scaleb(-places)
    return f"{(e / a * 100).quantize(q, ROUND_HALF_UP)}%"


def base_report(template_id: str, rng: random.Random, n: int) -> Any:
    from core.interchange import read_json_file

    if template_id in SEEDS:
        return read_json_file(SEEDS[template_id])
    from review_bench import build_report

    report = build_report(n, projects=rng.randint(3, 25), per=rng.randint(6, 12), seed=11)
    report.template = template_id
    from core.report import fill_fund_rows
    from core.templates import get_template

    template = get_template(template_id)
    for form in report.forms:
        form.funds = [r for r in form.funds if r.key in {s.key for s in template.form(form.kind).fund_rows}]
        rate = template.form(form.kind).rate_row
        if not any(r.key == rate for r in form.funds):
            from core.model import FundRow

            form.funds.insert(0, FundRow(key=rate))
    fill_fund_rows(report, template)
    return report


def wal_beside(path: Path) -> None:
    """Leave a -wal holding a committed edit beside ``path`` (a copy taken while a tool had it in WAL
    mode): what SQLite reads as the file's content includes it; a reader that ignores it reads stale."""
    tmp = path.with_name("wal-tmp.zpdb")
    shutil.copyfile(path, tmp)
    conn = sqlite3.connect(str(tmp))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE fund_rows SET executed = '1' WHERE rowid = (SELECT min(rowid) FROM fund_rows)")
    conn.commit()
    shutil.copyfile(tmp, path)
    shutil.copyfile(str(tmp) + "-wal", str(path) + "-wal")
    conn.close()
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)


class RawName(zipfile.ZipInfo):
    """A zip member whose name is written as given (CP437 text standing for its bytes), no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's name
        return self.filename.encode("cp437"), self.flag_bits


def windows_rezip(package: Path, out: Path, folder: str = "") -> None:
    """The package unpacked and zipped again by Windows' 发送到 → 压缩(zipped)文件夹 on a Chinese
    system: the same bytes, names in GBK without the UTF-8 flag (under ``folder`` when the unpacked
    folder itself was zipped)."""
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            new = RawName((folder + info.filename).encode("gbk").decode("cp437"), info.date_time)
            new.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(new, src.read(info))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/bureau-corpus")
    ap.add_argument("--departments", type=int, default=300)
    ap.add_argument("--packages", type=float, default=0.15, help="share sealed into packages")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--no-damaged", action="store_true", help="only good reports (a benchmark set)")
    args = ap.parse_args()
    generate(Path(args.dir), args.departments, args.packages, args.seed, not args.no_damaged)


def generate(out: Path, departments: int, packages: float, seed: int, damaged: bool = True) -> dict[str, Any]:
    from review_bench import as_older, write_fast

    from core.review.package import make_package
    from core.templates import get_template

    rng = random.Random(seed)
    if out.exists():
        for folder, dirs, _files in os.walk(out):
            for d in dirs:
                os.chmod(Path(folder) / d, 0o755)
        shutil.rmtree(out)
    out.mkdir(parents=True)
    expected: dict[str, Any] = {"reports": {}, "refused": {}, "duplicates": {}}
    written: list[tuple[Path, Any]] = []
    for n in range(departments):
        folder_name, template_id, region = REGIONS[n % len(REGIONS)]
        template = get_template(template_id)
        report = base_report(template_id, rng, n)
        report.department = dept_name(region, n // len(REGIONS))
        report.year = 2023
        report.forms[0].name = report.department
        vary(report, template, rng)
        folder = out / folder_name
        if n % 7 == 3:  # a township's own sub-folder, long Chinese names: paths past 260 characters
            folder = (
                folder
                / ("乡镇街道及所属事业单位报送材料（第二批，含补报和更正后重新报送的材料）" * 2)
                / ("二〇二四年五月三十日前报送的部门整体支出和项目支出绩效自评材料汇总")
            )
        folder.mkdir(parents=True, exist_ok=True)
        name = f"2023年度{report.department}绩效自评报告.zpdb"
        path = folder / name
        write_fast(report, path)
        older = rng.random()
        if older < 0.15:
            as_older(path, 2)
        elif older < 0.3:
            as_older(path, 4)
        places = template.scoring.rate_places
        forms = []
        for form in report.forms:
            row = form.fund(template.form(form.kind).rate_row)
            forms.append(
                {
                    "name": form.name,
                    "annual": row.annual if row else "",
                    "executed": row.executed if row else "",
                    "rate": rate_of(row.annual, row.executed, places) if row else "",
                }
            )
        listed_path = path
        if rng.random() < packages:
            pkg = folder / f"{report.year}年度{report.department}绩效自评报送包.zip"
            make_package(path, pkg)
            if rng.random() < 0.3:
                rezipped = folder / f"{report.department}（重新压缩）.zip"
                windows_rezip(pkg, rezipped, rng.choice(("", f"{pkg.stem}/")))
                pkg.unlink()
                pkg = rezipped
            path.unlink()
            listed_path = pkg
        expected["reports"][report.department] = {"file": str(listed_path), "forms": forms}
        written.append((listed_path, report))
    if damaged:
        bad = out / "有问题的文件"
        bad.mkdir()
        (bad / "空文件.zpdb").write_bytes(b"")
        expected["refused"][str(bad / "空文件.zpdb")] = "empty"
        good = next(p for p, _r in written if p.suffix == ".zpdb")
        data = good.read_bytes()
        (bad / "截断的报告.zpdb").write_bytes(data[: len(data) // 2])
        expected["refused"][str(bad / "截断的报告.zpdb")] = "truncated"
        pkg = next((p for p, _r in written if p.suffix == ".zip"), None)
        if pkg is not None:
            with zipfile.ZipFile(pkg) as zf:
                docx = next(n for n in zf.namelist() if n.endswith(".docx"))
                (bad / "自评报告（改了扩展名）.zpdb").write_bytes(zf.read(docx))
            expected["refused"][str(bad / "自评报告（改了扩展名）.zpdb")] = "word renamed"
            (bad / "截断的报送包.zip").write_bytes(pkg.read_bytes()[: pkg.stat().st_size * 2 // 3])
            expected["refused"][str(bad / "截断的报送包.zip")] = "truncated package"
        # a report with a -wal beside it: SQLite's content includes the WAL's committed edit
        wal_path, wal_report = next((p, r) for p, r in written[5:] if p.suffix == ".zpdb")
        wal_beside(wal_path)
        expected["wal"] = str(wal_path)
        # two copies of one department: the same file sent twice, under another name
        dup_path, dup_report = next((p, r) for p, r in written[10:] if p.suffix == ".zpdb")
        copy = dup_path.with_name(dup_path.stem + "(1).zpdb")
        shutil.copy2(dup_path, copy)
        expected["duplicates"][str(copy)] = dup_report.department
        # Word / Excel / PDF sent along with the report
        for suffix in (".docx", ".xlsx", ".pdf"):
            (dup_path.parent / f"{dup_report.department}自评报告{suffix}").write_bytes(b"x")
        # a 一体化 import zip sent by mistake
        with zipfile.ZipFile(bad / "一体化导入文件.zip", "w") as zf:
            zf.writestr("项目支出绩效自评指标完成情况导入模板_某项目.xlsx", b"PK")
        expected["refused"][str(bad / "一体化导入文件.zip")] = "yth zip"
    (out.parent / f"{out.name}-expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return expected


if __name__ == "__main__":
    main()
