"""Render the seed exports with LibreOffice and count what a reviewer would send back.

    python3 benchmarks/render_check.py [OUT_DIR]

Exports seeds 001, 003 and 004 to .xlsx and .docx, converts each to PDF with LibreOffice (headless,
fonts from /work/shared/tools/fonts.conf when present), then to PNG pages (pdftoppm -r 60) for a look,
and prints per file:
- pages;
- lone-bracket lines: a printed line that is only the tail of a bracket ("）", "A）", "分）"), i.e. a
  label broken inside its bracket;
- single-row pages: a page holding one table row or less besides the repeated header and the page
  number (a lone 合计 row, a last indicator alone).
Needs libreoffice and poppler-utils (pdftotext, pdftoppm); prints why and exits 2 when they are missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.export.docx import write_docx  # noqa: E402
from core.export.xlsx import write_xlsx  # noqa: E402
from core.interchange import read_json_file  # noqa: E402
from core.templates import get_template  # noqa: E402

SEEDS = ("seed001_guangyuan", "seed003_pingliang", "seed004_yiyang")
FONTS_CONF = Path("/work/shared/tools/fonts.conf")
LONE_BRACKET = re.compile(r"^[^（(]{0,5}[）)]$")
PAGE_NUMBER = re.compile(r"^(—\s*\d+\s*—|第\s*\d+\s*页，共\s*\d+\s*页|\d+)$")
HEADER_WORDS = ("一级指标", "二级指标", "三级指标", "指标分值", "年度指标值", "分值")


def convert(path: Path, out: Path) -> Path:
    """Convert an export to PDF with LibreOffice; return the PDF's path."""
    env = dict(os.environ)
    if FONTS_CONF.exists():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    profile = Path(tempfile.mkdtemp(prefix="lo-"))
    subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            str(path),
            "--outdir",
            str(out),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=600,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return out / (path.stem + ".pdf")


def page_texts(pdf: Path) -> list[list[str]]:
    """Return the non-empty lines of each page."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[ln.strip() for ln in page.splitlines() if ln.strip()] for page in text.split("\f")[:-1]]


def is_single_row(lines: list[str]) -> bool:
    """Return whether a page holds at most one row of content besides header and page number."""
    body = [ln for ln in lines if not PAGE_NUMBER.match(ln) and ln not in HEADER_WORDS]
    body = [ln for ln in body if ln not in ("绩效指标", "偏差原因分析及改进措施", "实际完成值", "得分")]
    return 0 < len(body) <= 3 and any(w in lines for w in HEADER_WORDS)


def check(path: Path, out: Path) -> dict[str, object]:
    """Render one export and return its counts."""
    pdf = convert(path, out)
    pages = page_texts(pdf)
    lone = [ln for page in pages for ln in page if LONE_BRACKET.match(ln)]
    single = [i + 1 for i, page in enumerate(pages) if is_single_row(page)]
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / path.stem)], check=True)
    return {"pages": len(pages), "lone_brackets": lone, "single_row_pages": single}


def main() -> int:
    for tool in ("libreoffice", "pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"缺少 {tool}：请安装 libreoffice-writer、libreoffice-calc 与 poppler-utils")
            return 2
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="render-"))
    out.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS:
        report = read_json_file(ROOT / "tests" / "fixtures" / f"{seed}.json")
        for suffix, write in ((".xlsx", write_xlsx), (".docx", write_docx)):
            path = out / f"{seed}{suffix}"
            write(report, path, template=get_template(report.template))
            r = check(path, out)
            lone = r["lone_brackets"]
            print(
                f"{path.name}: {r['pages']} pages, {len(lone)} lone-bracket lines {lone[:5]}, "  # type: ignore[arg-type]
                f"single-row pages {r['single_row_pages']}"
            )
    print(f"PNG pages in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
