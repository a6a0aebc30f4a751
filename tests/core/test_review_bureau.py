"""复核 (seed 001's 财政复核得分 layout, 自评质量), 抽评 workbooks and the 通报."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook

from core.model import INDICATORS, SCORE_SHEET
from core.review.bulletin import build_bulletin, write_bulletin_docx, write_bulletin_xlsx
from core.review.results import REVIEW_SHEETS, write_forms_with_review, write_review_result
from core.review.reviewfile import ReviewFile
from core.review.sample import FINDING_HEADERS, QUALITY_HEADERS, RESULT_HEADERS, SHEETS, draw
from core.review.scan import Index, scan
from core.storage.db import StorageError
from core.templates import get_template

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from review_bench import build_report, write_fast  # noqa: E402

WARM = "干部暖心关爱帮扶基金经费"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def _words(value: object) -> object:
    """A cell's printed words: the line breaks the export chose (a header "财政复核" / "得分") left out."""
    return value.replace("\n", "") if isinstance(value, str) else value


@pytest.fixture
def review(seed_zpdb, tmp_path: Path):  # type: ignore[no-untyped-def]
    source = seed_zpdb("seed001_guangyuan")
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    rf = ReviewFile.create(source, tmp_path / "复核.zpdb", reviewer="审核员")
    yield rf
    rf.close()
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before  # the department's file untouched


def warm_index(rf: ReviewFile) -> int:
    return [f.name for f in rf.report.forms].index(WARM)


def test_review_of_the_warm_care_sheet_prints_seed_001s_review_column(
    review: ReviewFile, tmp_path: Path
) -> None:
    i = warm_index(review)
    review_scores = ["20", "8", "10", "10", "4", "0", "8", "7", "22"]
    for row, score in enumerate(review_scores):
        review.set_mark(i, SCORE_SHEET, row, score, "依据不足" if score in ("8", "22") else "")
    out = tmp_path / "forms.xlsx"
    write_forms_with_review(review, out, forms=[i])
    wb = load_workbook(out)
    assert len(wb.sheetnames) == 2 and wb.sheetnames[1].endswith("评分表")
    ws = wb.worksheets[1]
    cells = [[_words(c.value) for c in row] for row in ws.iter_rows()]
    head = next(r for r, row in enumerate(cells) if "自评得分" in row)
    row = cells[head]
    col = row.index("自评得分")
    assert row[col + 1] == "财政复核得分"
    assert [str(x) for x in row[3 : col + 2] if x] == [
        "指标分值",
        "指标解释",
        "评价要点及说明",
        "自评得分",
        "财政复核得分",
    ]
    body = [r for r in cells[head + 2 :] if r[col] is not None][: len(review_scores)]
    assert [Decimal(str(r[col + 1])) for r in body] == [Decimal(s) for s in review_scores]
    assert [Decimal(str(r[col])) for r in body] == [
        Decimal(x) for x in ("20", "10", "10", "10", "4", "0", "8", "7", "25")
    ]
    assert cells[head + 1][:3] == ["一级指标", "二级指标", "三级指标"]


def test_self_quality_deducts_from_ten_percent(review: ReviewFile) -> None:
    i = warm_index(review)
    assert review.quality()[i].review_total is None and review.quality()[i].why() == "尚未复核"
    review.set_mark(i, SCORE_SHEET, 8, "18")  # 94 → 87: 8.05 % apart, no deduction
    q = review.quality()[i]
    assert (q.self_total, q.review_total, q.deduction, q.quality) == (Decimal("94"), Decimal("87"), 0, 6)
    review.set_mark(i, SCORE_SHEET, 8, "16")  # 94 vs 85: 10.59 % → 2
    assert review.quality()[i].deduction == 2
    review.set_mark(i, SCORE_SHEET, 8, "13")  # 94 vs 82: 14.63 % → 2
    assert review.quality()[i].deduction == 2
    review.set_mark(i, SCORE_SHEET, 8, "11")  # 94 vs 80: 17.5 % → 4
    assert review.quality()[i].deduction == 4
    review.set_mark(i, SCORE_SHEET, 8, "2")  # 94 vs 71: 32.39 % → 6
    q = review.quality()[i]
    assert (q.deduction, q.quality) == (6, 0) and "扣 6 分" in q.why()


def test_self_quality_bands_are_the_templates_option(review: ReviewFile) -> None:
    """A region whose 自评质量 is 10 分 with other bands deducts by its own rule, read from its file."""
    from dataclasses import replace

    from core.templates import parse_template

    own = json.loads(
        (ROOT / "resources" / "templates" / "sichuan-guangyuan.json").read_text(encoding="utf-8")
    )
    own["review_quality"] = {"full_marks": 10, "bands": [[0.05, 3], [0.3, 10]]}
    template = parse_template(own, "sichuan-guangyuan.json")
    assert template.review_quality == (
        Decimal(10),
        ((Decimal("0.05"), Decimal(3)), (Decimal("0.3"), Decimal(10))),
    )
    i = warm_index(review)
    review.set_mark(i, SCORE_SHEET, 8, "18")  # 94 → 87: 8.05 % apart
    assert (review.quality()[i].deduction, review.quality()[i].quality) == (0, 6)  # seed 001's rule
    review.doc.template = replace(review.doc.template, review_quality=template.review_quality)
    assert (review.quality()[i].deduction, review.quality()[i].quality) == (3, 7)
    with pytest.raises(Exception, match="review_quality"):
        parse_template(
            {**own, "review_quality": {"full_marks": 6, "bands": [[0.1]]}}, "sichuan-guangyuan.json"
        )


def test_marks_are_kept_in_the_review_file_and_exported(review: ReviewFile, tmp_path: Path) -> None:
    project = next(n for n, f in enumerate(review.report.forms) if f.kind == "project" and f.indicators)
    review.set_mark(project, INDICATORS, 0, "3", "完成值无佐证")
    with pytest.raises(ValueError):
        review.set_mark(project, INDICATORS, 0, "三分")
    path = review.path
    review.close()
    again = ReviewFile.open(path)
    assert again.mark(project, INDICATORS, 0) == ("3", "完成值无佐证")
    ind = again.report.forms[project].indicators[0]  # also in the file's own 复核 columns
    assert (ind.review_score, ind.review_note) == ("3", "完成值无佐证")
    assert again.meta["kind"] == "review" and again.meta["reviewer"] == "审核员"
    write_review_result(again, tmp_path / "复核结果.xlsx")
    again.close()
    out = run("review-result", str(path), "--xlsx", str(tmp_path / "b.xlsx"))
    assert out.returncode == 0, out.stderr
    review.doc = ReviewFile.open(path).doc  # the fixture closes it
    wb = load_workbook(tmp_path / "复核结果.xlsx")
    assert wb.sheetnames == list(REVIEW_SHEETS)
    rows = [[c.value for c in r] for r in wb["指标复核"].iter_rows(min_row=3)]
    assert any(r[8] == 3 and r[10] == "完成值无佐证" for r in rows)


def test_a_review_file_is_not_a_department_report(review: ReviewFile, tmp_path: Path, seed_zpdb) -> None:  # type: ignore[no-untyped-def]
    result = scan([review.path], index=Index(tmp_path / "i.sqlite"))
    assert result.reports == [] and "复核文件" in result.refused[0]["reason"]
    with pytest.raises(StorageError):
        ReviewFile.open(seed_zpdb("seed004_yiyang"))


@pytest.fixture(scope="module")
def graded_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("graded")
    for n in range(8):
        write_fast(build_report(n, projects=6, per=5), folder / f"d{n}.zpdb")
    return folder


def test_sample_is_reproducible_and_its_workbooks_are_exact(graded_set: Path, tmp_path: Path) -> None:
    reports = scan([graded_set], index=Index(tmp_path / "i.sqlite")).reports
    per = {"优": 3, "良": 2, "中": 1, "差": 1}
    first, again, other = draw(reports, per, 7), draw(reports, per, 7), draw(reports, per, 8)
    assert first == again and first != other
    grades = [d["grade"] for d in first]
    assert grades.count("优") == 3 and grades.count("良") <= 2
    out = run(
        "sample", str(graded_set), "--seed", "7", "--per-grade", "优=3,良=2,中=1,差=1", "-o", str(tmp_path)
    )
    assert out.returncode == 0, out.stderr
    assert "随机种子：7" in out.stdout
    zips = list(tmp_path.glob("评价结果*.zip"))
    assert len(zips) == 1 and re.fullmatch(r"评价结果\d{14}\.zip", zips[0].name)
    with zipfile.ZipFile(zips[0]) as zf:
        names = zf.namelist()
        assert len(names) == len(first)
        for name in names:
            assert re.fullmatch(r"P[0-9A-F]{6}-\d{3}&项目\d{4}-\d{2}&\d{8}\.xlsx", name), name
            (tmp_path / "x.xlsx").write_bytes(zf.read(name))
            wb = load_workbook(tmp_path / "x.xlsx")
            assert wb.sheetnames == list(SHEETS)
            assert tuple(c.value for c in wb["自评质量"][1]) == QUALITY_HEADERS
            assert tuple(c.value for c in wb["实际绩效"][1]) == RESULT_HEADERS
            assert tuple(c.value for c in wb["抽评发现的问题"][1]) == FINDING_HEADERS
            assert wb["实际绩效"].max_row == 6  # header + 5 indicators
    drawn_names = sorted(n.split("&")[1] for n in names)
    assert drawn_names == sorted(d["name"] for d in first)


def test_bulletin_counts_every_project(graded_set: Path, tmp_path: Path) -> None:
    reports = scan([graded_set], index=Index(tmp_path / "i.sqlite")).reports
    b = build_bulletin(reports)
    assert b.departments == 8 and b.projects.count == 48 and b.overall.count == 8
    assert sum(b.projects.grades.values()) == 48 and sum(b.projects.rates.values()) + b.projects.no_rate == 48
    write_bulletin_xlsx(b, tmp_path / "通报.xlsx")
    write_bulletin_docx(b, tmp_path / "通报.docx")
    wb = load_workbook(tmp_path / "通报.xlsx")
    assert wb.sheetnames[:3] == ["通报", "项目等级", "项目执行率"]
    grade_rows = [[c.value for c in r] for r in wb["项目等级"].iter_rows(min_row=2, max_row=5)]
    assert [r[0] for r in grade_rows] == ["优", "良", "中", "差"]
    assert sum(r[1] for r in grade_rows) == sum(b.projects.grades[g] for g in ("优", "良", "中", "差"))
    text = "\n".join(p.text for p in DocxDocument(str(tmp_path / "通报.docx")).paragraphs)
    assert "本次共审核 8 个部门" in text and "涉及项目 48 个" in text
    # the warnings of projects and of departments' own forms apart, as the workbook's sheets count them
    # (the sentence gave only their sum: "触发红色预警 N 个" beside the 项目等级 sheet's other figure)
    p, o = b.projects, b.overall
    assert p.red + p.yellow and o.red + o.yellow
    assert (
        f"触发红色预警 {p.red + o.red} 个（项目 {p.red} 个、部门整体 {o.red} 个），"
        f"黄色预警 {p.yellow + o.yellow} 个（项目 {p.yellow} 个、部门整体 {o.yellow} 个）。"
    ) in text
    sheet = {r[0].value: r[1].value for r in wb["项目等级"].iter_rows(min_row=2)}
    assert (sheet["红色预警"], sheet["黄色预警"]) == (p.red, p.yellow)
    out = run("review", str(graded_set), "--bulletin-xlsx", str(tmp_path / "b.xlsx"), "--json")
    assert out.returncode == 0 and json.loads(out.stdout)["reports"]


def test_forms_of_a_review_print_the_review_column_beside_the_self_score(
    seed_zpdb,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from core.export.docx import write_docx
    from core.export.xlsx import write_xlsx
    from core.review.readonly import load_readonly

    source = seed_zpdb("seed004_yiyang")
    rf = ReviewFile.create(source, tmp_path / "复核.zpdb", reviewer="审核员")
    try:
        p = next(i for i, f in enumerate(rf.report.forms) if f.kind == "project" and len(f.indicators) > 3)
        form = rf.report.forms[p]
        rows = [r for r, ind in enumerate(form.indicators) if ind.weight.strip()][:3]
        for r in rows:
            rf.set_mark(p, INDICATORS, r, "1", "佐证不足")
        report = rf.reviewed_report()
        own = load_readonly(source)
        write_xlsx(
            own, tmp_path / "plain.xlsx", [own.forms[p].uid], template=get_template(own.template)
        )  # the department's own: no column
        write_xlsx(report, tmp_path / "review.xlsx", [form.uid], template=get_template(report.template))
        write_docx(report, tmp_path / "review.docx", template=get_template(report.template))
    finally:
        rf.close()
    words = get_template(report.template).form("project").printing["review"]
    review_title = words["columns"][0]["title"]

    def header(path: Path) -> tuple[list[list[object]], int]:
        cells = [[_words(c.value) for c in row] for row in load_workbook(path).worksheets[0].iter_rows()]
        return cells, next(r for r, row in enumerate(cells) if "三级指标" in row)

    plain, at = header(tmp_path / "plain.xlsx")
    assert review_title not in plain[at]
    cells, at = header(tmp_path / "review.xlsx")
    head = cells[at]
    col = head.index(words["titles"]["score"])
    assert head[col + 1] == review_title and head[col - 1] in ("分值", "权重")
    body = cells[at + 1 : at + 1 + len(form.indicators)]
    marked = [r for r, row in enumerate(body) if row[col + 1] is not None]
    assert marked == rows and all(Decimal(str(body[r][col + 1])) == 1 for r in rows)
    total = next(row for row in cells[at + 1 :] if row[col + 1] is not None and row not in body)
    assert Decimal(str(total[col + 1])) < Decimal(str(total[col]))  # the reviewed 总分 is lower
    doc = DocxDocument(str(tmp_path / "review.docx"))
    found = [t for t in doc.tables if any(review_title in c.text for c in t.rows[0].cells)] + [
        t for t in doc.tables for row in t.rows[:12] if any(c.text == review_title for c in row.cells)
    ]
    assert found, "the Word forms print the 复核 column too"


def test_a_report_with_foreign_data_in_a_cell_is_refused_in_chinese(seed_zpdb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Another program wrote a score-sheet path that is not JSON: the review lists the file as refused
    with a Chinese reason (not the parser's English), and leaves the file as it was."""
    import shutil
    import sqlite3

    folder = tmp_path / "送审"
    folder.mkdir()
    bad = folder / "改过.zpdb"
    shutil.copy(seed_zpdb("seed001_guangyuan"), bad)
    conn = sqlite3.connect(bad)
    with conn:
        assert conn.execute("UPDATE score_items SET path = '决策/项目立项'").rowcount > 0
    conn.close()
    before = bad.read_bytes()
    result = scan([folder], index=Index(tmp_path / "i.sqlite"))
    assert result.reports == [] and len(result.refused) == 1
    reason = result.refused[0]["reason"]
    assert reason.startswith("无法读取报告 改过.zpdb：") and "损坏" in reason, reason
    assert not re.search(r"[A-Za-z]{4,}", reason.replace(".zpdb", "").replace("ZiPing", "")), reason
    assert bad.read_bytes() == before


def test_a_review_knows_when_the_department_sent_its_report_again(tmp_path: Path) -> None:
    """The bureau started 复核 on a report, returned it; the department corrected it and sent it again.
    The review file holds the first report: it says the new one differs (the window then offers to
    start over), and not for the same report in another file (a copy, its package)."""
    from core.review.package import make_package

    first, again = tmp_path / "教育局.zpdb", tmp_path / "教育局（修改后）.zpdb"
    report = build_report(6, projects=2, per=3)
    write_fast(report, first)
    report.forms[1].funds[0].executed = "1"
    write_fast(report, again)
    review = ReviewFile.create(first, tmp_path / "复核.zpdb")
    review.set_mark(1, INDICATORS, 0, score="1", note="偏高")
    try:
        assert review.differs_from(again)
        copy = tmp_path / "copy" / "教育局.zpdb"
        copy.parent.mkdir()
        write_fast(build_report(6, projects=2, per=3), copy)  # the same report, written again
        assert not review.differs_from(first) and not review.differs_from(copy)
        make_package(first, tmp_path / "教育局.zip")
        assert not review.differs_from(tmp_path / "教育局.zip")
        aside = review.set_aside()
    finally:
        review.close()
    assert aside.exists() and not (tmp_path / "复核.zpdb").exists() and "旧版" in aside.name
    kept = ReviewFile.open(aside)
    assert kept.mark(1, INDICATORS, 0) == ("1", "偏高")
    kept.close()


def test_names_that_start_with_an_equals_sign_stay_text_in_the_bureaus_workbooks(tmp_path: Path) -> None:
    """A department named =HYPERLINK(…) and a project =1+1项目 (typed or pasted so): the 汇总表, the
    复核结果 and the 抽评 workbook hold them as the text they are — openpyxl wrote them as live formulas
    (a link, a figure) into the bureau's own files."""
    from core.review.listing import write_list_xlsx
    from core.review.sample import write_sample_workbook
    from core.templates import get_template

    link = '=HYPERLINK("http://example.com","点击查看")部门'
    report = build_report(3, projects=2, per=3)
    report.department = report.forms[0].name = link
    report.forms[1].name = "=1+1项目"
    report.forms[1].indicators[0].level3 = "=A1"
    folder = tmp_path / "报送"
    folder.mkdir()
    write_fast(report, folder / "d.zpdb")
    result = scan([folder], index=Index(tmp_path / "i.sqlite"))
    write_list_xlsx(result, tmp_path / "汇总.xlsx")
    review = ReviewFile.create(folder / "d.zpdb", tmp_path / "复核.zpdb")
    review.set_mark(1, INDICATORS, 0, score="1", note="=2*3")
    write_review_result(review, tmp_path / "复核结果.xlsx")
    review.close()
    write_sample_workbook(report, report.forms[1], tmp_path / "抽评.xlsx", get_template(report.template))
    texts = {link, "=1+1项目", "=A1", "=2*3"}
    seen: set[str] = set()
    for name in ("汇总.xlsx", "复核结果.xlsx", "抽评.xlsx"):
        wb = load_workbook(tmp_path / name)
        for ws in wb:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, ws.title, cell.coordinate, cell.value)
                    if cell.value in texts:
                        seen.add(str(cell.value))
    assert seen == texts


def test_the_review_result_prints_as_lists_with_figures_to_two_places(tmp_path: Path) -> None:
    """复核结果.xlsx: each sheet A4 landscape, every column on one page's width, its title and header
    repeated on each page; scores to two places (12.80, not 12.8) — it printed four columns a page."""
    source = tmp_path / "d.zpdb"
    write_fast(build_report(4, projects=3, per=5), source)
    review = ReviewFile.create(source, tmp_path / "复核.zpdb")
    review.set_mark(1, INDICATORS, 0, score="12.8", note="偏高")
    write_review_result(review, tmp_path / "复核结果.xlsx")
    review.close()
    wb = load_workbook(tmp_path / "复核结果.xlsx")
    assert wb.sheetnames == list(REVIEW_SHEETS)
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.print_title_rows == "$1:$2"
        numbers = [
            c for row in ws.iter_rows(min_row=3, min_col=2) for c in row if isinstance(c.value, float | int)
        ]
        assert all(c.number_format == "0.00" for c in numbers), ws.title
    marked = [row for row in wb[REVIEW_SHEETS[1]].iter_rows(min_row=3) if row[-1].value == "偏高"]
    assert len(marked) == 1 and marked[0][8].value == 12.8 and marked[0][8].number_format == "0.00"
