"""The Excel export read back with openpyxl: seed 004's printed cells, merges, fonts, page set-up."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from core.export import ExportCancelled, ExportTargetLocked
from core.export.layout import plan
from core.export.pages import READABLE_PT
from core.export.xlsx import write_xlsx
from core.interchange import read_json_file
from core.model import OVERALL, SOFT_BREAK, Report
from core.report import Document
from core.templates import get_template
from tests.conftest import FIXTURES
from tests.core.export_helpers import cell_borders, joined_merges, match_in_order, seed_section, sheet_rows

SHEETS_004 = [
    "附件1 基础数据表",
    "附件2 部门整体",
    "附件3-1 业务工作经费",
    "附件3-2 非公有制经济组织和社会组织党建工作经费"[:31],
    "附件3-3 党员集中教育培训经费",
]


def col_widths(ws) -> list[float]:
    """Each column's width in the layout's 7 px units (the sheet stores 8 px digits of its 宋体 11);
    a <col> element may cover several equal columns (min..max)."""
    from core.export.xlsx import DIGIT_PX, UNIT_PX

    out = [0.0] * ws.max_column
    for dim in ws.column_dimensions.values():
        for c in range(dim.min or 1, min(dim.max or dim.min or 1, ws.max_column) + 1):
            out[c - 1] = dim.width * DIGIT_PX / UNIT_PX
    return out


def table_size(ws) -> float:
    """The font size of a sheet's table cells (the bordered ones)."""
    sizes = {c.font.sz for row in ws.iter_rows() for c in row if c.value and c.border.top.style == "thin"}
    assert len(sizes) == 1, sizes
    return float(sizes.pop())


def fit_height(ws) -> int:
    """Pages tall a sheet is fitted to; an absent fitToHeight is 1, the schema's default."""
    value = ws.page_setup.fitToHeight
    return 1 if value is None else int(value)


@pytest.fixture(scope="module")
def report004() -> Report:
    report = read_json_file(FIXTURES / "seed004_yiyang.json")
    for uid, form in enumerate(report.forms, start=1):  # as storage numbers them
        form.uid = uid
    return report


@pytest.fixture(scope="module")
def path004(report004: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("x") / "004.xlsx"
    write_xlsx(report004, path, template=get_template(report004.template))
    return path


@pytest.fixture(scope="module")
def book004(path004: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path004)


def test_sheets_in_template_order_from_a_real_zpdb(seed_zpdb, tmp_path: Path) -> None:
    doc = Document.open(seed_zpdb("seed004_yiyang"), backup=False)
    report = doc.report
    doc.close()
    write_xlsx(report, tmp_path / "out.xlsx", template=get_template(report.template))
    assert openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames == [
        *SHEETS_004,
        "自评汇总表",
    ]  # the 汇总表 (issue 13) last


@pytest.mark.parametrize(
    "index,start,end", [(2, "附件 3-1", "附件 3-2"), (3, "附件 3-2", "附件 3-3"), (4, "附件 3-3", None)]
)
def test_every_printed_cell_of_the_project_forms(book004, index: int, start: str, end: str | None) -> None:
    expected = seed_section(start, end)
    rows = sheet_rows(book004.worksheets[index])
    if start == "附件 3-3":  # the seed's text extraction mixed the last two rows' cells into one line
        expected = [r for r in expected if r[0] not in ("满意度指标（10分）", "培训人员满意度")]
        assert [
            "满意度指标（10分）",
            "可持续影响指标",
            "为全市经济社会发展提供坚强的组织保证",
            "不断增强",
            "不断增强",
            "n:15",
            "n:15",
        ] in rows
        assert ["服务对象满意度指标", "培训人员满意度", "≥99.5%", "n:0.997", "n:10", "n:10"] in rows
    assert match_in_order(expected, rows) == []


def test_every_printed_cell_of_the_overall_form(book004) -> None:
    """附件2 as the seed prints it, funds included: pairs on one line, then the two groups side by side."""
    seed = seed_section("附件 2", "附件 3-1")
    split = {
        "其中：基本支出：1348.22": ["其中：基本支出：", "n:1348.22"],
        "项目支出：838.82": ["项目支出：", "n:838.82"],
    }
    expected = [[t for token in row for t in split.get(token, [token])] for row in seed]
    rows = sheet_rows(book004["附件2 部门整体"])
    assert match_in_order(expected, rows) == []
    funds = rows[3:9]
    assert funds[0][:3] == ["年度预算申请（万元）", "年初预算数", "n:1301.13"]
    assert funds[1] == ["按收入性质分：", "按支出性质分："]
    assert funds[2] == ["其中：一般公共预算：", "n:2186.81", "其中：基本支出：", "n:1348.22"]


def test_overall_funds_share_columns_with_the_pairs_line(book004) -> None:
    """The group on the right starts under 全年执行数, as in the seed; every value is right of its label."""
    ws = book004["附件2 部门整体"]
    at = {c.value: c for row in ws.iter_rows(min_row=4, max_row=9) for c in row if c.value is not None}
    assert at["按支出性质分："].column == at["全年执行数"].column
    assert at["其中：基本支出："].column == at["全年执行数"].column
    assert at["按收入性质分："].column == at["其中：一般公共预算："].column == at["年初预算数"].column
    assert at["年初预算数"].row == at["得分"].row == at["执行率"].row
    assert at["得分"].offset(column=1).value == 10 or ws.cell(at["得分"].row, ws.max_column).value == 10


def test_computed_figures_are_values_with_number_formats(book004) -> None:
    ws = book004.worksheets[3]
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row if c.value is not None}
    rate = next(c for c in cells.values() if c.number_format == "0.00%")
    assert rate.value == pytest.approx(0.8661)
    assert rate.offset(column=1).value == pytest.approx(8.66)
    money = {c.value: c.number_format for c in cells.values() if c.number_format in ("General", "0.00")}
    assert (
        money[100] == "General" and money[101.17] == money[87.62] == "0.00"
    )  # 益阳 prints an amount as typed
    assert any(c.value == pytest.approx(97.66) for c in cells.values())
    assert not any(c.data_type == "f" for c in cells.values())


def test_merges_follow_the_grid_and_every_merged_cell_has_a_border(book004, report004, path004) -> None:
    grid = plan(report004, get_template(report004.template))[2]
    ws = book004.worksheets[2]
    top = 3  # 附件 label, title
    expected = {(r1 + top, c1 + 1, r2 + top, c2 + 1) for r1, c1, r2, c2 in grid.merges}
    got = joined_merges(ws)  # as laid out: the cuts made at page breaks joined up again
    assert expected <= got
    level1 = {
        str(ws.cell(m[0], m[1]).value).replace(SOFT_BREAK, "").replace("\n", ""): m
        for m in got
        if m[1] == 2 and m[2] > m[0]
    }
    assert level1["产出指标（50分）"][2] - level1["产出指标（50分）"][0] == 5
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "绩效指标")
    assert not any(m[0] == head and m[1] == 1 for m in got)  # no vertical merge from the repeated header
    body = next(m for m in got if m[0] == head + 1 and m[1] == 1)
    assert body[2] - body[0] == 11  # the 12 indicator rows: one blank run
    borders = cell_borders(path004, 2)  # openpyxl's reader redraws merged borders, so read the XML
    for r1, c1, r2, c2 in expected:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                assert borders[f"{get_column_letter(c)}{r}"] == ("thin",) * 4


def test_fonts_widths_and_heights_show_wrapped_text(book004) -> None:
    ws = book004.worksheets[2]
    assert ws["A2"].font.name == "方正小标宋简体" and ws["A1"].font.name == "黑体"
    assert ws["D13"].font.name == "宋体"
    goal = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("坚持以习近平"))
    assert ws.row_dimensions[goal.row].height >= 3 * 15 * goal.font.sz / 10.5  # three lines at its size
    assert col_widths(ws)[3] >= 26 and col_widths(ws)[0] >= 10
    assert all(c.alignment.wrap_text for row in ws.iter_rows(min_row=3) for c in row if c.value)


def test_page_setup(book004) -> None:
    for ws in book004.worksheets:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # fitted to one page (no manual break) when a little too long for it, else paged by breaks
        # (an absent fitToWidth is 1, the schema's default)
        assert (ws.page_setup.fitToWidth or 1) == 1 and fit_height(ws) in (0, 1)
        assert (fit_height(ws) == 1) == (not ws.row_breaks.brk)
        # a one-page 基础数据表 repeats no title rows; every sheet prints exactly its used range
        assert bool(ws.print_title_rows) != ws.title.endswith("基础数据表")
        assert ws.print_area and ws.print_area.endswith(f"${ws.max_row}")
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.page_margins.footer < ws.page_margins.bottom - 0.2  # the page number is not cut
    assert book004.worksheets[0].page_setup.orientation == "portrait"
    assert book004.worksheets[2].page_setup.orientation == "landscape"
    assert book004.worksheets[2].print_title_rows == "$12:$12"  # the indicator header row
    assert book004.properties.creator == "ZiPing" and book004.properties.created.year >= 2025


def test_signoff_at_the_end_form_level_overrides_report(book004) -> None:
    def last_text(ws) -> str:
        return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)][-1]

    assert last_text(book004.worksheets[2]).startswith("填表人：朱琳")
    line = last_text(book004.worksheets[3])
    assert "填表人：张璐" in line and "填报日期：2024年5月16日" in line
    assert "联系电话：15116783538" in line and "单位负责人签字：" in line


def test_user_text_never_becomes_a_formula(report004, tmp_path: Path) -> None:
    report = report004.clone()
    form = report.projects[0]
    form.goals[0].goal = '=HYPERLINK("http://x")'
    form.indicators[0].level3 = "+1+2"
    form.indicators[0].actual = "-3"
    form.indicators[0].deviation_note = "@SUM(A1)"
    write_xlsx(report, tmp_path / "f.xlsx", forms=[form.uid], template=get_template(report.template))
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").worksheets[0]
    values = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in ('=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)"):
        assert values[text].data_type == "s"
    with zipfile.ZipFile(tmp_path / "f.xlsx") as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_one_form_alone(report004, tmp_path: Path) -> None:
    uid = report004.projects[1].uid
    write_xlsx(report004, tmp_path / "one.xlsx", forms=[uid], template=get_template(report004.template))
    assert openpyxl.load_workbook(tmp_path / "one.xlsx").sheetnames == [SHEETS_004[3]]


def test_progress_and_cancel_leave_no_file(report004, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write_xlsx(
        report004,
        tmp_path / "ok.xlsx",
        progress=lambda d, t, label: seen.append((d, t)) or True,
        template=get_template(report004.template),
    )
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] == 7  # five sheets, the 汇总表, saving
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    out = tmp_path / "cancel"
    out.mkdir()
    with pytest.raises(ExportCancelled):
        write_xlsx(
            report004,
            out / "c.xlsx",
            progress=lambda d, t, label: d < 3,
            template=get_template(report004.template),
        )
    with pytest.raises(ExportCancelled):
        write_xlsx(
            report004,
            out / "c.xlsx",
            progress=lambda d, t, label: label != "正在保存",
            template=get_template(report004.template),
        )
    assert list(out.iterdir()) == []


def test_locked_target_gets_a_clear_message(report004, tmp_path: Path, monkeypatch) -> None:
    def locked(src, dst):  # what Windows does when Excel holds the file
        raise PermissionError(13, "denied")

    monkeypatch.setattr("core.export.os.replace", locked)
    with pytest.raises(ExportTargetLocked, match="正在 Excel 或 WPS 中打开"):
        write_xlsx(report004, tmp_path / "x.xlsx", template=get_template(report004.template))
    assert list(tmp_path.iterdir()) == []


def test_seed001_all_forms_and_score_sheets(tmp_path: Path) -> None:
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    write_xlsx(report, tmp_path / "001.xlsx", template=get_template(report.template))
    book = openpyxl.load_workbook(tmp_path / "001.xlsx")
    names = book.sheetnames
    assert names[:2] == ["附件1 部门整体", "附件2 评分表"]
    assert len(names) == 1 + 1 + 24 + 2 + 1 and len(set(names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    rows = sheet_rows(book["附件1 部门整体"])
    assert ["年度资金总额", "n:664.57", "n:912.26", "n:831.95", "n:0.912"] in rows
    sheet = sheet_rows(book["附件2 评分表"])
    assert sheet[2][:3] == ["绩效指标", "指标分值", "指标解释"] and Decimal("7")


def _printed_pages(ws, landscape: bool) -> list[tuple[int, int]]:
    """Return (first, last) sheet rows of every printed page, from the file's manual row breaks."""
    ends = sorted(b.id for b in ws.row_breaks.brk)
    starts = [1] + [e + 1 for e in ends]
    return list(zip(starts, ends + [ws.max_row], strict=True))


def test_sign_off_prints_with_the_last_table_rows_and_every_page_fits(book004) -> None:
    """No page holds only the repeated header and the sign-off; no page is taller than A4 at its scale."""
    from core.export.pages import Page
    from core.export.xlsx import MARGINS_IN

    for ws in book004.worksheets:
        landscape = ws.page_setup.orientation == "landscape"
        widths = col_widths(ws)
        page = Page(landscape, MARGINS_IN)
        titles = ws.print_title_rows
        head = [int(x) for x in titles.replace("$", "").split(":")] if titles else [1, 0]
        header_pt = sum(ws.row_dimensions[r].height or 15 for r in range(head[0], head[1] + 1))
        pages = _printed_pages(ws, landscape)
        room = (
            page.room(widths) * table_size(ws) / READABLE_PT if fit_height(ws) == 1 else page.capacity(widths)
        )
        for first, last in pages:
            height = sum(ws.row_dimensions[r].height or 15 for r in range(first, last + 1))
            assert height + (header_pt if first > head[1] else 0) <= room, (ws.title, first)
            assert last != head[1], f"{ws.title}: the header row ends a page"
        first, last = pages[-1]
        signoff = next(r for r in range(ws.max_row, 0, -1) if str(ws.cell(r, 1).value).startswith("填表人"))
        borders = [r for r in range(first, signoff) if ws.cell(r, 2).border.top.style == "thin"]
        assert len(borders) >= 2, f"{ws.title}: the sign-off page has no table rows"
    # 1.5 pages at 五号: one page only below 8.5 pt (its 15 columns printed at 89 %, 小五 at 7.6 pt
    # fitted), so it continues on a second page under its repeated header, at 五号 across the page
    overall = book004["附件2 部门整体"]
    assert len(_printed_pages(overall, True)) == 2 and fit_height(overall) == 0
    assert table_size(overall) == 10.5
    assert fit_height(book004["附件3-1 业务工作经费"]) == 1  # a little too long: fitted to one


@pytest.mark.parametrize("seed", ["seed001_guangyuan", "seed003_pingliang", "seed004_yiyang"])
def test_every_sheet_prints_its_text_at_8_5_pt_or_more(seed: str, tmp_path: Path) -> None:
    """A sheet is scaled to the page's width (and, fitted, to one page tall): its table text prints
    at the smaller scale. 004's 部门整体 form was wider than the page (89 %) and fitted to one page
    at 小五: 7.6 pt. Read back from the file: widths, heights, fitting and font of every sheet."""
    from core.export.pages import A4_PT, Page
    from core.export.xlsx import DEFAULT_ROW_PT, MARGINS_IN

    report = read_json_file(FIXTURES / f"{seed}.json")
    path = tmp_path / f"{seed}.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    for ws in openpyxl.load_workbook(path).worksheets:
        landscape = ws.page_setup.orientation == "landscape"
        page = Page(landscape, MARGINS_IN)
        widths = col_widths(ws)
        height = sum(ws.row_dimensions[r].height or DEFAULT_ROW_PT for r in range(1, ws.max_row + 1))
        fitted = fit_height(ws) == 1
        shown = page.printed_pt(height, widths, table_size(ws), fitted)
        assert shown >= READABLE_PT, (ws.title, shown)
        usable = (A4_PT[0] if landscape else A4_PT[1]) - 72 * (MARGINS_IN[2] + MARGINS_IN[3])
        if fitted:  # all on one page at that size
            assert height * shown / table_size(ws) <= usable + 0.5, ws.title


def test_goals_already_numbered_by_the_user_are_not_numbered_twice(tmp_path) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    from core.export.xlsx import write_xlsx
    from core.interchange import read_json_file

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    path = tmp_path / "r.xlsx"
    write_xlsx(
        read_json_file(fixtures / "seed003_pingliang.json"),
        path,
        template=get_template(read_json_file(fixtures / "seed003_pingliang.json").template),
    )
    texts = [str(c.value) for ws in load_workbook(path) for row in ws.iter_rows() for c in row if c.value]
    goals = [t for t in texts if "补助村和社区阵地建设" in t and "完成情况" not in t]
    assert goals and all(not t.startswith("目标1：目标") for t in goals), goals


def test_no_merged_label_is_cut_by_a_page_break(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from core.export.xlsx import write_xlsx
    from core.interchange import read_json_file

    path = tmp_path / "r.xlsx"
    write_xlsx(
        read_json_file(Path(__file__).resolve().parents[1] / "fixtures" / "seed003_pingliang.json"),
        path,
        template=get_template(
            read_json_file(
                Path(__file__).resolve().parents[1] / "fixtures" / "seed003_pingliang.json"
            ).template
        ),
    )
    ws = load_workbook(path).worksheets[0]
    ends = [b.id for b in ws.row_breaks.brk]
    assert ends, "seed 003's form needs more than one page"
    for end in ends:
        for mcr in ws.merged_cells.ranges:
            assert not mcr.min_row <= end < mcr.max_row, (str(mcr), end)
    # the 一级 label that continues on the next page is printed there again
    labels = [str(ws.cell(r, 1).value) for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value]
    assert labels.count("年度总体绩效目标完成情况") >= 2


def test_numbers_are_stored_as_numbers_with_the_template_places(tmp_path: Path) -> None:
    """控制率 and the buildings' zeros are numbers; a 0-place rate shows “100%”, not “100.%”."""
    from openpyxl import load_workbook

    from core.export.xlsx import write_xlsx
    from core.interchange import read_json_file

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    path = tmp_path / "r.xlsx"
    write_xlsx(
        read_json_file(fixtures / "seed004_yiyang.json"),
        path,
        template=get_template(read_json_file(fixtures / "seed004_yiyang.json").template),
    )
    ws = load_workbook(path).worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "90.54%" not in values and not any(v == "0" for v in values)
    rate = next(c for row in ws.iter_rows() for c in row if c.value == Decimal("0.9054") or c.value == 0.9054)
    assert rate.number_format == "0.00%"
    write_xlsx(
        read_json_file(fixtures / "seed003_pingliang.json"),
        path,
        template=get_template(read_json_file(fixtures / "seed003_pingliang.json").template),
    )
    formats = {c.number_format for ws in load_workbook(path) for row in ws.iter_rows() for c in row}
    assert "0%" in formats and "0.%" not in formats


def test_text_taller_than_excels_row_cap_continues_on_the_rows_below(report004, tmp_path: Path) -> None:
    """A 2,500-character goal needs ~900 pt, Excel cuts a row at 409 pt (and the text in print): it
    continues over rows of at most 409 pt, cut at sentence ends, every piece fully shown, nothing lost."""
    import copy

    from core.export.grid import line_count

    report = copy.deepcopy(report004)
    sentences = [
        f"第{i}句，推进党建工作高质量发展，落实各项制度要求，确保资金使用规范有效。" for i in range(70)
    ]
    long, note = "".join(sentences), "".join(sentences[:40])
    report.forms[1].goals[0].goal = long
    report.forms[1].indicators[0].deviation_note = note
    path = tmp_path / "long.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    ws = openpyxl.load_workbook(path)[SHEETS_004[2]]
    spans = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    pieces = []
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value.startswith("第"):
                continue
            pieces.append(cell.value)
            assert cell.value.endswith("。")  # cut at a sentence end
            m = spans.get((cell.row, cell.column))
            r2, c2 = (m.max_row, m.max_col) if m else (cell.row, cell.column)
            scale = 10.5 / table_size(ws)  # a long form may print at 小五: more on a line, lines less tall
            width = sum(col_widths(ws)[cell.column - 1 : c2]) * scale
            height = sum(ws.row_dimensions[r].height or 15 for r in range(cell.row, r2 + 1))
            assert line_count(cell.value, int(width)) * 15 / scale <= height, (cell.coordinate, height)
    assert all((ws.row_dimensions[r].height or 15) <= 409 for r in range(1, ws.max_row + 1))
    assert "".join(pieces).replace("\n", "") == long + note and len(pieces) >= 5  # (typed on one line)
    seen: set[tuple[int, int]] = set()
    for m in ws.merged_cells.ranges:  # no two merges overlap (Excel would repair the file)
        cells = {(r, c) for r in range(m.min_row, m.max_row + 1) for c in range(m.min_col, m.max_col + 1)}
        assert not cells & seen, str(m)
        seen |= cells


def test_a_long_title_breaks_at_a_field_edge_not_mid_word(tmp_path: Path) -> None:
    """A score-sheet title too long for its sheet breaks where the project name starts, not mid-word."""
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    form = next(f for f in report.forms if f.score_sheet and f.kind != "overall")
    form.name = "东西部协作人才交流暨乡村振兴重点帮扶县专家服务团队引进培养项目"
    path = tmp_path / "t.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    titles = [
        c.value
        for ws in openpyxl.load_workbook(path)
        for row in ws.iter_rows(max_row=3)
        for c in row
        if isinstance(c.value, str) and c.value.endswith("自评评分表") and form.name[:6] in c.value
    ]
    assert titles and all(t.split("\n")[1].startswith(form.name) for t in titles), titles


def test_a_001_project_form_a_little_too_long_prints_on_one_page(tmp_path: Path) -> None:
    """Seed 001 prints a project form on one page: a sheet that fits one page with its text shrunk to
    no less than 8.5 pt is fitted to it (no manual break), a longer one keeps its breaks; most of 001's
    24 project forms fit, and both project 评分表 (1.23 pages at 小五 with the template's widths: their
    columns are balanced)."""
    from core.export import pages
    from core.export.xlsx import DEFAULT_ROW_PT, MARGINS_IN

    path = tmp_path / "001.xlsx"
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    write_xlsx(report, path, template=get_template(report.template))
    one_page = 0
    projects = {f.name for f in report.forms if f.kind != OVERALL}
    for ws in openpyxl.load_workbook(path):
        if ws.title.removesuffix(" 评分表") not in projects:  # the project forms' tabs, by their names
            continue
        widths = col_widths(ws)
        page = pages.Page(ws.page_setup.orientation == "landscape", MARGINS_IN)
        height = sum(ws.row_dimensions[r].height or DEFAULT_ROW_PT for r in range(1, ws.max_row + 1))
        fits = page.fits_fitted(height, widths, table_size(ws))
        assert (fit_height(ws) == 1) == fits and (not ws.row_breaks.brk) == fits, ws.title
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        one_page += fits
        if "评分表" in ws.title:
            assert fits, ws.title
    assert one_page >= 20


def test_a_second_export_in_the_same_session_writes_the_same_workbook(report004, tmp_path: Path) -> None:
    """xlsxwriter adds a theme font to the options it is given: reused, they gave every later export of
    a session a default font of the theme's scheme (column widths in Calibri's digits, not 宋体's)."""
    paths = [tmp_path / "first.xlsx", tmp_path / "second.xlsx"]
    for path in paths:
        write_xlsx(report004, path, template=get_template(report004.template))
    first, second = (zipfile.ZipFile(p) for p in paths)
    for name in first.namelist():
        if name != "docProps/core.xml":  # its creation time
            assert first.read(name) == second.read(name), name
    assert b"<scheme" not in first.read("xl/styles.xml").split(b"</font>")[0]  # 宋体 itself


def test_user_text_with_markup_escapes_and_spaces_reads_back_as_typed(report004, tmp_path: Path) -> None:
    """The rows are written as XML text: what a user typed comes back as typed, whatever it holds; a
    carriage return and a literal _xHHHH_ are escaped as Excel escapes them (openpyxl leaves Excel's
    escapes of an inline string as they are, Excel and WPS read them back)."""
    report = report004.clone()
    form = report.projects[0]
    typed = ['<b>R&D</b> "引号" & <', "  前后有空格 ", "字面 _x0041_ 不是 A", "回车\r换行\n结束"]
    form.goals[0].goal = typed[0]
    form.indicators[0].level3 = typed[1]
    form.indicators[0].actual = typed[2]
    form.indicators[0].deviation_note = typed[3]
    write_xlsx(report, tmp_path / "t.xlsx", forms=[form.uid], template=get_template(report.template))
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]
    values = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert typed[0] in values and typed[1] in values
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<t xml:space="preserve">  前后有空格 </t>' in xml
    assert "字面 _x005F_x0041_ 不是 A" in xml and "回车_x000D_换行\n结束" in xml


def test_no_sheets_to_write_gives_a_workbook_with_one_blank_sheet(tmp_path: Path) -> None:
    """No grid at all (no form chosen, a template printing nothing else): Excel needs a sheet, and
    xlsxwriter adds its own blank one, which has no rows of ours to put in."""
    from core.export.xlsx import write_grids

    write_grids(tmp_path / "none.xlsx", [])
    assert openpyxl.load_workbook(tmp_path / "none.xlsx").sheetnames == ["Sheet1"]
    write_xlsx(
        read_json_file(FIXTURES / "seed004_yiyang.json"),
        tmp_path / "no-form.xlsx",
        forms=[-1],
        template=get_template("hunan-yiyang"),
    )
    assert openpyxl.load_workbook(tmp_path / "no-form.xlsx").sheetnames == ["Sheet1"]


def test_a_long_name_with_characters_beyond_the_bmp_still_names_a_sheet(report004, tmp_path: Path) -> None:
    """Excel counts a sheet name's 31 characters in UTF-16 units: a project name with CJK Extension B
    characters (𠀀, 𡌶 in place names) stopped the export (xlsxwriter refused the name)."""
    report = report004.clone()
    form = report.projects[0]
    form.name = "𡌶" * 20 + "村党建工作经费"
    write_xlsx(report, tmp_path / "b.xlsx", forms=[form.uid], template=get_template(report.template))
    (name,) = openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames
    assert len(name.encode("utf-16-le")) // 2 <= 31 and name.startswith("附件3-1 𡌶")


def test_a_figure_beyond_excels_largest_number_is_written_as_text(tmp_path: Path) -> None:
    """Excel holds numbers as doubles and calls a workbook with ``<v>1E+400</v>`` damaged: such a figure
    (and NaN) is written as the text it is, while the figures beside it stay numbers."""
    from core.export.grid import MONEY, Grid
    from core.export.xlsx import write_grids

    grid = Grid(name="大数", attachment="", title="大数", widths=[10, 10, 10, 10], rows=1)
    grid.put(0, 0, Decimal("1E+400"), MONEY)
    grid.put(0, 1, Decimal("-1E+400"), MONEY)
    grid.put(0, 2, Decimal("NaN"), MONEY)
    grid.put(0, 3, Decimal("1234.56"), MONEY)
    path = tmp_path / "big.xlsx"
    write_grids(path, [grid])
    with zipfile.ZipFile(path) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<v>1E+400</v>" not in xml and b"<v>-1E+400</v>" not in xml
    values = [c.value for row in openpyxl.load_workbook(path).worksheets[0].iter_rows() for c in row]
    assert "1E+400" in values and "-1E+400" in values and "NaN" in values
    assert 1234.56 in values


def test_a_lists_header_stays_in_view_and_a_forms_sheet_is_not_frozen(
    book004: openpyxl.Workbook, tmp_path: Path
) -> None:
    """The 自评汇总表 (a list under its header row) scrolled its header away on screen: its panes are
    frozen below the header, as the 评分表's below its two; a form, whose indicator header is far down
    the sheet, is not frozen (a dozen rows held at the top would leave little of a laptop's screen)."""
    assert book004["自评汇总表"].freeze_panes == "A3"  # row 1 the title, row 2 the header
    assert all(ws.freeze_panes is None for ws in book004 if ws.title != "自评汇总表")
    report = read_json_file(FIXTURES / "seed001_guangyuan.json")
    path = tmp_path / "001.xlsx"
    write_xlsx(report, path, template=get_template(report.template))
    sheet = openpyxl.load_workbook(path)["附件2 评分表"]
    assert sheet.freeze_panes == "A5" and sheet.print_title_rows == "$3:$4"


def test_chinese_fonts_are_stored_with_their_charset(
    path004: Path, report004: Report, tmp_path: Path
) -> None:
    """Excel stores a Chinese font's name with charset 134 (GB2312); without it a machine that lacks
    方正小标宋简体 replaces it by a font chosen for Western text. Every font of the export, the 汇总表
    and the 一体化 files named in Chinese carries it."""
    import re

    from core.export.summary import write_summary_xlsx
    from core.export.yth import export_yth

    template = get_template(report004.template)
    write_summary_xlsx(report004, tmp_path / "summary.xlsx", template=template)
    files, _ = export_yth(report004, tmp_path / "yth", template=template)
    for path in [path004, tmp_path / "summary.xlsx", files[0].path]:
        with zipfile.ZipFile(path) as z:
            styles = z.read("xl/styles.xml").decode()
        fonts = re.findall(r"<font>(.*?)</font>", styles)
        chinese = [f for f in fonts if re.search(r'<name val="[^"]*[\u4e00-\u9fff]', f)]
        assert chinese and all('<charset val="134"/>' in f for f in chinese), (path.name, fonts)
