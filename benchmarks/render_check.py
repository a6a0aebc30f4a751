"""Render the seed exports with LibreOffice and count what a reviewer would send back.

    python3 benchmarks/render_check.py [OUT_DIR]

Exports seeds 001, 003 and 004 to .xlsx and .docx, converts each to PDF with LibreOffice (headless,
fonts from /work/shared/tools/fonts.conf when present), then to PNG pages (pdftoppm -r 60) for a look,
and prints per file:
- pages;
- lone-bracket lines: a printed line that is only the short tail of a bracket ("）", "A）", "分）"),
  i.e. a label broken inside its bracket: up to three characters and the bracket, or up to five
  after a line two or more characters longer (a long group shared evenly by two lines, "（中共平凉" /
  "市委组织部）", is not a tail);
- single-row pages: a page that continues a table with one row or less under its repeated header (a
  lone 合计 row, a last indicator alone). Rows are measured, not guessed from text lines: the bands
  between the horizontal rules drawn on the page (pdftocairo -svg) hold the words placed in them
  (pdftotext -bbox); the repeated header is the page's first rows already printed on an earlier page;
- punctuation lines: a printed line that starts with closing punctuation ("。", "，", "）", "”" …) or
  ends with an opening bracket or quote (East Asian line-breaking rules, 避头尾);
- stub lines: a printed line of one character and its closing punctuation ("…项目总数×" / "8。",
  "…发" / "放。"), a paragraph's last line left nearly empty;
- pages per form: each form's first page is the page that begins with its attachment label and title
  (in plan order); the forms printed on more than one page are listed with their page counts;
- characters a full line (Word): the most common length of the report's full lines of Chinese text.
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
from core.export.layout import iter_plan  # noqa: E402
from core.export.xlsx import write_xlsx  # noqa: E402
from core.interchange import read_json_file  # noqa: E402
from core.templates import get_template  # noqa: E402

SEEDS = ("seed001_guangyuan", "seed003_pingliang", "seed004_yiyang")
FONTS_CONF = Path("/work/shared/tools/fonts.conf")
LONE_BRACKET = re.compile(r"^[^（(]{0,5}[）)]$")
STUB = re.compile(r"^[\u4e00-\u9fff0-9][。，、；：！？,.;:!?]+$")
NO_START = "）)】]〕》」』〉〗”’，。、；：！？,;:!?%…·"  # closing punctuation: never at a line's start
NO_END = "（(【[〔《「『〈〖“‘"  # opening marks: never at a line's end


def lone_brackets(pages: list[list[str]]) -> list[str]:
    """Return the printed lines that are the short tail of a bracket group (see the docstring)."""
    return [
        ln
        for page in pages
        for prev, ln in zip(["", *page], page, strict=False)
        if LONE_BRACKET.match(ln) and (len(ln) <= 4 or len(prev) > len(ln) + 1)
    ]


def stub_lines(pages: list[list[str]]) -> list[str]:
    """Return the printed lines that are one character (a CJK one or a digit) and closing punctuation."""
    return [ln for page in pages for ln in page if STUB.match(ln)]


def punctuation_lines(pages: list[list[str]]) -> list[str]:
    """Return the printed lines that start with closing punctuation or end with an opening mark."""
    return [ln for page in pages for ln in page if ln[0] in NO_START or (len(ln) > 1 and ln[-1] in NO_END)]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def form_pages(pages: list[list[str]], heads: list[str]) -> list[int]:
    """Return how many pages each form takes: form k starts on the first page after form k-1's start
    that begins with ``heads[k]`` (its attachment label and title, whitespace ignored); a form runs up
    to the next one's start (the last to the end). A form whose start is not found counts 0."""
    starts: list[int] = []
    at = 0
    for head in heads:
        key = _squeeze(head)[:14]
        heads_at = (n for n in range(at, len(pages)) if _squeeze("".join(pages[n][:4])).startswith(key))
        found = next(heads_at, -1)
        starts.append(found)
        if found >= 0:
            at = found + 1
    counts = []
    for k, start in enumerate(starts):
        later = [s for s in starts[k + 1 :] if s >= 0]
        counts.append(0 if start < 0 else (later[0] if later else len(pages)) - start)
    return counts


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


_MATRIX = re.compile(r"matrix\(([^)]*)\)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_SVG = "{http://www.w3.org/2000/svg}"


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _times(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def rule_rows(svg: Path) -> list[float]:
    """Return the y (points from the top) of every horizontal rule drawn on a page (table row edges)."""
    import xml.etree.ElementTree as ET

    ys: list[float] = []

    def walk(node: ET.Element, m: tuple[float, ...]) -> None:
        t = _MATRIX.search(node.get("transform", ""))
        if t:
            m = _times(m, tuple(float(v) for v in t[1].replace(",", " ").split()))
        if node.tag == _SVG + "path" and "stroke:none" not in node.get("style", "stroke:none"):
            for part in node.get("d", "").split("M")[1:]:  # a polyline: M x y L x y L x y …
                nums = [float(v) for v in _NUMBER.findall(part)]
                points = [_apply(m, nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
                for (x1, y1), (x2, y2) in zip(points, points[1:]):
                    if abs(y1 - y2) < 0.5 and abs(x2 - x1) > 5:
                        ys.append(y1)
        if node.tag != _SVG + "defs":
            for child in node:
                walk(child, m)

    walk(ET.parse(svg).getroot(), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    rows: list[float] = []
    for y in sorted(ys):
        if not rows or y - rows[-1] > 1.5:
            rows.append(y)
    return rows


def table_rows(pdf: Path, out: Path) -> list[list[str]]:
    """Return, per page, the text of each table row: the band between two consecutive horizontal rules
    (any rule: a merged cell's neighbours still draw the row's edge), its words left to right."""
    count = len(page_texts(pdf))
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = bbox.stdout.split("<page ")[1:]
    result = []
    for n in range(count):
        svg = out / f"{pdf.stem}-rules.svg"
        subprocess.run(
            ["pdftocairo", "-svg", "-f", str(n + 1), "-l", str(n + 1), str(pdf), str(svg)], check=True
        )
        edges = rule_rows(svg)
        text = pages[n] if n < len(pages) else ""
        words = [((float(w[1]) + float(w[3])) / 2, float(w[0]), w[4]) for w in _WORD.findall(text)]
        rows = []
        for top, bottom in zip(edges, edges[1:]):
            inside = sorted((x, t) for yc, x, t in words if top < yc < bottom)
            rows.append(" ".join(t for _x, t in inside))
        result.append(rows)
        svg.unlink(missing_ok=True)
    return result


def single_row_pages(rows_per_page: list[list[str]]) -> list[int]:
    """Return the pages (1-based) that continue a table with at most one row under its repeated header.

    A page continues the table of the page before when its first rows (the repeated header, up to
    three) were printed there too, one after the other; the rows after them are the page's own.
    (Rows alike in different tables, such as the items of two projects' 评分表, do not count: only the
    page before is compared.)
    """
    single = []
    for n in range(1, len(rows_per_page)):
        rows, before = rows_per_page[n], rows_per_page[n - 1]
        header = 0
        for k in range(min(3, len(rows)), 0, -1):
            if all(rows[:k]) and any(before[j : j + k] == rows[:k] for j in range(len(before) - k + 1)):
                header = k
                break
        if header and len(rows) - header <= 1:
            single.append(n + 1)
    return single


def chars_per_line(pages: list[list[str]], rows_per_page: list[list[str]]) -> int:
    """Return the most common length of the report's full lines of Chinese text (no digits or Latin)
    on the pages without a table."""
    from collections import Counter

    lengths = Counter(
        len(ln)
        for page, rows in zip(pages, rows_per_page, strict=False)
        if not rows
        for ln in page
        if len(ln) >= 20 and all("\u3000" <= ch <= "\uffef" for ch in ln)
    )
    return lengths.most_common(1)[0][0] if lengths else 0


def check(path: Path, out: Path, forms: list[tuple[str, str]] | None = None) -> dict[str, object]:
    """Render one export and return its counts; ``forms`` are the (name, head) of its forms in order."""
    pdf = convert(path, out)
    pages = page_texts(pdf)
    lone = lone_brackets(pages)
    rows = table_rows(pdf, out)
    single = single_row_pages(rows)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / path.stem)], check=True)
    result: dict[str, object] = {
        "pages": len(pages),
        "lone_brackets": lone,
        "single_row_pages": single,
        "punctuation": punctuation_lines(pages),
        "stubs": stub_lines(pages),
    }
    if forms:
        counts = form_pages(pages, [head for _name, head in forms])
        result["form_pages"] = {name: n for (name, _head), n in zip(forms, counts, strict=True)}
    if path.suffix == ".docx":
        result["chars_per_line"] = chars_per_line(pages, rows)
    return result


def main() -> int:
    for tool in ("libreoffice", "pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            print(f"缺少 {tool}：请安装 libreoffice-writer、libreoffice-calc 与 poppler-utils")
            return 2
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="render-"))
    out.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS:
        report = read_json_file(ROOT / "tests" / "fixtures" / f"{seed}.json")
        template = get_template(report.template)
        forms = [(g.name, g.attachment + g.title) for g in iter_plan(report, template, None)]
        for suffix, write in ((".xlsx", write_xlsx), (".docx", write_docx)):
            path = out / f"{seed}-{suffix[1:]}{suffix}"  # one PDF and PNG set per export, not one per seed
            write(report, path, template=template)
            r = check(path, out, forms)
            lone: list[str] = r["lone_brackets"]  # type: ignore[assignment]
            punct: list[str] = r["punctuation"]  # type: ignore[assignment]
            stubs: list[str] = r["stubs"]  # type: ignore[assignment]
            chars = f", {r['chars_per_line']} characters a full line" if "chars_per_line" in r else ""
            per_form: dict[str, int] = r["form_pages"]  # type: ignore[assignment]
            longer = {name: n for name, n in per_form.items() if n != 1}
            one = sum(1 for n in per_form.values() if n == 1)
            print(
                f"{path.name}: {r['pages']} pages, {len(lone)} lone-bracket lines {lone[:5]}, "
                f"{len(punct)} punctuation lines {punct[:5]}, {len(stubs)} stub lines {stubs[:5]}, "
                f"single-row pages {r['single_row_pages']}{chars}; "
                f"forms on one page {one} of {len(per_form)}, the others {longer}"
            )
    print(f"PNG pages in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
