"""Import files into a report: read, recognise, preview what goes where, then apply.

``preview_files`` reads and recognises without touching any report; the ``Preview`` lists
every sheet/table, what it was recognised as, its target form (new, or an existing one
matched by normalised project name) and every cell left out with its reason. The caller may
change a part's target or skip it, then ``build_report`` makes a new report or
``merge_preview`` fills an existing one (typed values kept unless ``overwrite``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.importers.build import _match_fund as match_fund
from core.importers.build import build_form, find_form, merge_form, recognised_label
from core.importers.grid import TABLE, Grid, Source
from core.importers.readers import read_file
from core.importers.recognise import (
    HIDDEN_HINT,
    KIND_NAMES,
    NAME_CELL,
    SCORE_SHEET,
    SELF_EVAL,
    YTH,
    Options,
    RawForm,
    Skip,
    continuation,
    file_stem_name,
    is_signoff,
    join_score_sheet,
    page_repeat,
    parse_signoff,
    recognise_grid,
    score_continuation,
)
from core.importers.words import name_key, norm
from core.model import OVERALL, PROJECT, Form, NarrativeSection, Report, Signoff
from core.report import blank_form
from core.schema import IND
from core.templates import Template, all_templates, get_template

NEW, FILL, SKIP = "new", "fill", "skip"


class Cancelled(Exception):
    """The user cancelled a long import."""


@dataclass
class Part:
    """One recognised form (or one sheet/table that holds none) of one file."""

    file: str
    part: str
    recognised_as: str
    form: str = ""
    kind: str = PROJECT
    action: str = NEW
    rows: dict[str, int] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # read, but to be checked by the user
    hidden: bool = False
    raw: RawForm | None = None
    grids: list[int] = field(default_factory=list)  # the index of each sheet/table it was read from
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": Path(self.file).name,
            "part": self.part,
            "recognised_as": self.recognised_as,
            "form": self.form,
            "action": self.action,
            "rows": self.rows,
            "skipped": [s.to_json() for s in self.skipped],
        }
        if self.notes:
            out["notes"] = self.notes
        if self.checks:
            out["checks"] = self.checks
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class Preview:
    sources: list[Part] = field(default_factory=list)
    template: str = ""
    year: int | None = None
    department: str = ""
    narrative: list[NarrativeSection] = field(default_factory=list)
    overwrite: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"sources": [p.to_json() for p in self.sources]}

    @property
    def recognised(self) -> list[Part]:
        return [p for p in self.sources if p.raw is not None]

    def nothing_reason(self) -> str:
        """One Chinese sentence: why nothing could be imported (naming the file when it is one)."""
        reasons = [p.reason for p in self.sources if p.reason]
        files = {Path(p.file).name for p in self.sources}
        if reasons and all(r == reasons[0] for r in reasons):
            name = next(iter(files)) if len(files) == 1 else ""
            return reasons[0] if not name or reasons[0].startswith(name) else f"{name}：{reasons[0]}"
        return "所选文件中没有可识别的自评表、申报表或一体化指标模板"


Progress = Callable[[str, int, int], None]


def _check_cancel(cancel: Callable[[], bool] | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


def _counts(raw: RawForm) -> dict[str, int]:
    rows: dict[str, int] = {}
    if raw.funds:
        rows["funds"] = sum(1 for f in raw.funds if f.values)
    if raw.goals:
        rows["goals"] = len(raw.goals)
    if raw.indicators:
        rows["indicators"] = len(raw.indicators)
    if raw.score_sheet:
        rows["score_sheet"] = len(raw.score_sheet)
    return rows


def _grid_context(source: Source) -> None:
    """Give each Word table the paragraphs printed just above it (its title: 附件3-1 …)."""
    recent: list[str] = []
    previous: Grid | None = None
    for level, text in source.paragraphs:
        if level == "table":
            index = int(text) - 1
            if previous is not None:
                previous.trailer = "\n".join(recent[:2])
            if 0 <= index < len(source.grids):
                previous = source.grids[index]
                previous.note = "\n".join(recent[-3:])
            recent = []
        else:
            recent.append(text)
    if previous is not None:
        previous.trailer = "\n".join(recent[:2])


def _template_words(template: Template, kind: str) -> set[str]:
    spec = template.form(kind)
    words = {norm(c.title) for c in spec.indicator_columns + spec.fund_columns + spec.header}
    words |= {norm(t) for t in spec.goal_titles}
    return words


def suggest_template(raws: list[RawForm]) -> str:
    """The template whose printed words best match the forms found (the default one on a tie)."""
    best, best_score = "", -1
    for template in all_templates().values():
        score = 0
        for raw in raws:
            if raw.recognised_as == SCORE_SHEET:
                score += 3 if template.form(raw.kind).score_sheet else 0
                continue
            spec = template.form(raw.kind)
            score += 2 * len(_template_words(template, raw.kind) & raw.header_texts)
            for fund in raw.funds:
                if fund.own_words:
                    continue
                key = match_fund(template, raw.kind, fund.label)
                row = spec.row_spec(key) if key else None
                if row is not None:
                    score += 1 + (
                        norm(row.printed) == norm(fund.label) or norm(row.label) == norm(fund.label)
                    )
            if raw.title:
                title = norm(spec.title.replace("{year}", "").replace("年度", ""))
                score += 2 * (title in norm(raw.title).replace("年度", ""))
            if raw.recognised_as == YTH and template.id == "sichuan":
                score += 3
        if score > best_score or (score == best_score and template.is_default):
            best, best_score = template.id, score
    return best or "mof"


def preview_files(
    paths: Sequence[str | Path],
    report: Report | None = None,
    template: str | None = None,
    include_hidden: bool = False,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Preview:
    """Read and recognise files; nothing is written anywhere."""
    preview = Preview()
    raws: list[RawForm] = []
    options = Options(include_hidden=include_hidden)
    for index, path in enumerate(paths):
        _check_cancel(cancel)
        if progress:
            progress(f"读取 {Path(path).name}", index, len(paths))
        source = read_file(path)
        _check_cancel(cancel)
        name = Path(path).name
        if source.error:
            preview.sources.append(Part(str(path), "", "无法读取", action=SKIP, reason=source.error))
            continue
        _grid_context(source)
        if source.kind == "docx":
            preview.narrative.extend(_narrative(source))
            if not source.grids:
                preview.sources.append(
                    Part(str(path), "", "无表格", action=SKIP, reason=f"{name} 中没有表格，只导入了报告正文")
                    if preview.narrative
                    else Part(
                        str(path), "", "无表格", action=SKIP, reason=f"{name} 中没有表格，无可导入的内容"
                    )
                )
        found_any = False
        last: Part | None = None
        for grid in source.grids:
            _check_cancel(cancel)
            part_name = grid.name
            if grid.hidden and not include_hidden:
                try:  # a form kept on a hidden sheet: said, so that nothing is left out unseen
                    held = {KIND_NAMES.get(f.kind, "") for f in recognise_grid(grid, options)[0]}
                except Exception:
                    held = set()
                what = f"（表中有{'、'.join(sorted(h for h in held if h))}）" if held - {""} else ""
                preview.sources.append(
                    Part(
                        str(path),
                        part_name,
                        "隐藏工作表",
                        action=SKIP,
                        hidden=True,
                        reason=f"隐藏的工作表{what}，未导入；{HIDDEN_HINT}",
                    )
                )
                continue
            try:
                forms, why = recognise_grid(grid, options)
                if not forms and grid.kind == TABLE and _next_table(last, grid) and last is not None:
                    assert last.raw is not None
                    if last.raw.recognised_as == SCORE_SHEET:
                        more = score_continuation(grid, last.raw, options)
                    else:
                        more = continuation(grid, last.raw, options)
                    if more is not None:
                        more.checks.append(
                            f"{grid.name} 没有表头，与{last.part.split('、')[-1]}列数相同，"
                            "已按上一表格的列作为续表导入，请核对"
                        )
                        more.checks.extend(grid.checks)
                        forms = [more]
            except Exception as exc:  # a recogniser bug must never reach the user as a traceback
                forms, why = [], f"无法识别（{type(exc).__name__}）"
            if not forms:
                if (
                    "基础数据" in grid.name
                    or "基础数据" in grid.note
                    or any("基础数据表" in t for t in (grid.text(r, 0) for r in range(min(grid.height, 3))))
                ):
                    why = "基础数据表暂不能导入，请在报告的“基础数据表”中填写"
                preview.sources.append(Part(str(path), part_name, "未识别", action=SKIP, reason=why))
                continue
            if grid.trailer and forms and forms[-1].signoff is None:
                sign = next((line for line in grid.trailer.split("\n") if is_signoff(line)), "")
                forms[-1].signoff = parse_signoff(sign) if sign else None
            for raw in forms:
                if grid.kind == TABLE and _score_continues(last, raw, grid):
                    assert last is not None and last.raw is not None
                    join_score_sheet(last.raw, raw)
                    _joined(last, raw, grid)
                    continue
                if grid.kind == TABLE and _continues(last, raw, grid):
                    assert last is not None and last.raw is not None
                    _append_table(last, raw)
                    last.grids.append(grid.index)
                    continue
                if grid.kind != TABLE and len(forms) == 1 and _next_page_sheet(last, raw, grid):
                    assert last is not None and last.raw is not None
                    raw.notes.append(
                        f"工作表“{grid.name}”重复了上一工作表“{last.part.split('、')[-1]}”的项目名称“{raw.name}”"
                        "（分页打印时每页重复的表头），已作为同一张表的下一页合并导入"
                    )
                    _append_table(last, raw)
                    last.grids.append(grid.index)
                    continue
                if grid.kind != TABLE and len(forms) == 1 and _continues_sheet(last, raw, grid):
                    assert last is not None and last.raw is not None
                    raw.checks.append(
                        f"工作表“{grid.name}”只有指标表、没有项目名称，已作为上一工作表“{last.part}”"
                        f"（{last.form}）的续表导入，请核对"
                    )
                    _append_table(last, raw)
                    last.grids.append(grid.index)
                    continue
                if raw.recognised_as == YTH and not raw.name:
                    raw.name = file_stem_name(str(path))
                    if "部门整体" in name:
                        raw.kind = OVERALL
                elif (
                    not raw.name
                    and raw.kind == PROJECT
                    and len(forms) == 1
                    and raw.recognised_as != SCORE_SHEET
                ):
                    raw.name = title_project_name(raw.title)
                    if raw.name:
                        said = f"表中项目名称为空，已用标题中的“{raw.name}”作为项目名称，请核对"
                        raw.ask(said, [(NAME_CELL, "")])
                    elif grid.kind != TABLE:
                        raw.name = sheet_project_name(grid.name)
                        if raw.name:
                            said = f"表中项目名称为空，已用工作表名“{raw.name}”作为项目名称，请核对"
                            raw.ask(said, [(NAME_CELL, "")])
                if grid.note and grid.kind != TABLE:
                    raw.notes.insert(0, grid.note)
                if not found_any:  # what is said of the file, once: on its first form (review R11)
                    raw.notes[:0] = source.notes
                found_any = True
                raws.append(raw)
                part = Part(
                    str(path),
                    part_name,
                    recognised_label(raw),
                    form=raw.name or raw.score_target,
                    kind=raw.kind,
                    rows=_counts(raw),
                    skipped=list(raw.skipped),
                    notes=list(raw.notes),
                    checks=list(raw.checks),
                    raw=raw,
                    grids=[grid.index],
                )
                if not part.rows and raw.recognised_as != SCORE_SHEET:
                    part.action, part.raw = SKIP, None
                    part.reason = "表中没有可导入的内容"
                preview.sources.append(part)
                last = part
        reported = any(p.file == str(path) and p.reason.startswith(name) for p in preview.sources)
        if not found_any and source.kind == "docx" and source.grids and not reported:
            preview.sources.append(
                Part(str(path), "", "未识别", action=SKIP, reason=f"{name} 的表格中没有可识别的自评表")
            )
    _attach_score_sheets(preview)
    preview.template = template or (report.template if report is not None else suggest_template(raws))
    years = Counter(r.year for r in raws if r.year)
    preview.year = years.most_common(1)[0][0] if years else None
    overall = next((r for r in raws if r.kind == OVERALL and r.name), None)
    supervisors = Counter(r.supervisor for r in raws if r.supervisor)
    preview.department = (
        overall.name if overall else (supervisors.most_common(1)[0][0] if supervisors else "")
    )
    plan_targets(preview, report)
    return preview


_GENERIC_SHEET = re.compile(r"(?i)^(sheet|工作表|表|页)?\d*$")
_NOT_A_PROJECT = ("自评", "申报", "模板", "汇总", "评分", "基础数据", "部门整体", "指标", "绩效")


def sheet_project_name(sheet: str) -> str:
    """The project a sheet's name gives ("附件3-1 业务工作经费" → 业务工作经费), or "" when the name is
    a default or a form's name (Sheet1, 自评表, 附件3) rather than a project's."""
    name = re.sub(r"^\s*附件\s*[\d一二三四五六七八九十]+(?:[-－—_.]\d+)*\s*[:：、.]?\s*", "", sheet).strip()
    if _GENERIC_SHEET.fullmatch(name) or any(w in name for w in _NOT_A_PROJECT):
        return ""
    return name


_TITLE_WORDS = re.compile(r"(项目支出|支出)?(绩效)?(目标)?(自评|申报)(表|评分表)$")


def title_project_name(title: str) -> str:
    """The project a form's title names ("2023年度业务工作经费项目支出绩效自评表" → 业务工作经费), or ""."""
    name = re.sub(r"[（(][^()（）]*[)）]|\d{4}\s*年度?|\s", "", title.split("\n")[0])
    if not _TITLE_WORDS.search(name):
        return ""
    name = _TITLE_WORDS.sub("", name).strip("：:-—_ ")
    name = re.sub(r"^附件[\d\-－—.]*", "", name)
    return "" if len(name) < 2 or name == "项目" or "部门整体" in name or "单位整体" in name else name


def _continues(last: Part | None, raw: RawForm, grid: Grid) -> bool:
    """A Word table holding only indicators that goes on with the form before it: right after its
    header/funds/goals table, or right after its indicator table when that did not end (a table
    split across pages, the header repeated) and no title stands between them."""
    if last is None or last.raw is None or last.raw.recognised_as == SCORE_SHEET:
        return False
    if raw.name or raw.funds or raw.goals or not raw.indicators:
        return False
    if not last.raw.indicators:
        return True
    return (
        _next_table(last, grid)
        and not last.raw.complete
        and set(raw.indicator_cols) == set(last.raw.indicator_cols)
    )


def _score_continues(last: Part | None, raw: RawForm, grid: Grid) -> bool:
    """A Word 评分表 table that goes on with the one before it (split across pages, its header
    repeated or not): right after it, no title of its own, the table before did not end (总分)."""
    if last is None or last.raw is None or last.raw.recognised_as != SCORE_SHEET:
        return False
    return (
        raw.recognised_as == SCORE_SHEET
        and not raw.title
        and not last.raw.complete
        and _next_table(last, grid)
    )


def _joined(part: Part, raw: RawForm, grid: Grid) -> None:
    """The preview's account of a table joined to ``part``'s."""
    part.skipped.extend(raw.skipped)
    part.notes.extend(raw.notes)
    part.checks.extend(c for c in raw.checks if c not in part.checks)
    assert part.raw is not None
    part.rows = _counts(part.raw)
    part.part = f"{part.part}、{raw.part}"
    part.grids.append(grid.index)


def _continues_sheet(last: Part | None, raw: RawForm, grid: Grid) -> bool:
    """A sheet holding only an indicator table, with no name of its own, right after the sheet of a
    form (people split a long form over two sheets: 资金 and 目标 on one, 指标 on the next): the
    indicators go on with that form, when its own indicator table is missing or did not end."""
    if last is None or last.raw is None or last.raw.recognised_as in (SCORE_SHEET, YTH):
        return False
    if raw.recognised_as != SELF_EVAL or raw.name or raw.funds or raw.goals or not raw.indicators:
        return False
    if not last.grids or grid.index != last.grids[-1] + 1 or title_project_name(raw.title):
        return False
    if not last.raw.indicators:
        return True
    return not last.raw.complete and set(raw.indicator_cols) == set(last.raw.indicator_cols)


def _next_page_sheet(last: Part | None, raw: RawForm, grid: Grid) -> bool:
    """A sheet that is the next printed page of the form on the sheet before (an 一体化 export's pages
    pasted one to a sheet, the header rows with the 项目名称 repeated on each): ``page_repeat``."""
    if last is None or last.raw is None or not last.grids or grid.index != last.grids[-1] + 1:
        return False
    return raw.recognised_as != SCORE_SHEET and bool(raw.indicators) and page_repeat(last.raw, raw)


_FORM_TITLE = re.compile(r"附件|自评表|申报表|评分表|目标表")


def _next_table(last: Part | None, grid: Grid) -> bool:
    """``grid`` is the Word table just after ``last``'s, with no form title printed between them."""
    if last is None or last.raw is None or not last.grids:
        return False
    return grid.index == last.grids[-1] + 1 and not _FORM_TITLE.search(grid.note)


def _append_table(part: Part, raw: RawForm) -> None:
    assert part.raw is not None
    mine = part.raw
    if mine.indicators:  # split across pages: the first rows go on under the last 一级/二级 above
        above = mine.indicators[-1]
        for row in raw.indicators:
            if row.get(IND.level1):
                break
            row[IND.level1] = above.get(IND.level1, "")
            if not row.get(IND.level2):
                row[IND.level2] = above.get(IND.level2, "")
    mine.complete = raw.complete
    mine.indicator_cols, mine.width = raw.indicator_cols, raw.width
    mine.indicators.extend(raw.indicators)
    mine.indicator_refs.extend(raw.indicator_refs)
    mine.headers |= raw.headers
    mine.header_texts |= raw.header_texts
    mine.skipped.extend(raw.skipped)
    mine.notes.extend(raw.notes)
    mine.checks.extend(raw.checks)
    for text, cells in raw.check_cells.items():
        mine.check_cells.setdefault(text, []).extend(cells)
    mine.signoff = mine.signoff or raw.signoff
    mine.printed_total = mine.printed_total or raw.printed_total
    part.skipped.extend(raw.skipped)
    part.notes.extend(raw.notes)
    part.checks.extend(raw.checks)
    part.rows = _counts(mine)
    part.part = f"{part.part}、{raw.part}"


def _attach_score_sheets(preview: Preview) -> None:
    """A separate 评分表 sheet belongs to the form its title names, else the form just before it."""
    previous: Part | None = None
    for part in preview.sources:
        raw = part.raw
        if raw is None:
            continue
        if raw.recognised_as != SCORE_SHEET:
            previous = part
            continue
        if raw.kind == OVERALL:
            part.form = ""
            continue
        target = raw.score_target
        if target:
            match = next(
                (
                    p
                    for p in preview.sources
                    if p.raw is not None
                    and p.raw.recognised_as != SCORE_SHEET
                    and name_key(p.raw.name) in (name_key(target), name_key(target + "项目"))
                ),
                None,
            )
            if match is not None:
                part.form = match.form
                continue
        if previous is not None and previous.file == part.file:
            part.form = previous.form


def plan_targets(preview: Preview, report: Report | None) -> None:
    """Set each part's action: fill an existing form (matched by name) or make a new one."""
    for part in preview.sources:
        if part.raw is None or part.action == SKIP:
            continue
        existing = find_form(report, part.kind, part.form) if report is not None else None
        if part.raw.recognised_as == SCORE_SHEET and part.kind == OVERALL and report is not None:
            existing = report.overall
        if existing is None and report is not None and part.raw.recognised_as == YTH:
            existing = _by_level3(report, part) if _named_by_system(part) else None
        if existing is not None:
            part.action = FILL
            part.form = existing.name
        else:
            part.action = NEW
        if part.raw.recognised_as == SCORE_SHEET and not part.form and part.kind != OVERALL:
            part.action, part.reason = SKIP, "评分表找不到所属的项目"


def _named_by_system(part: Part) -> bool:
    """True when an 一体化 file's name holds no project: the system's own 项目支出绩效自评指标完成情况
    导入模板<date>.xls (its form is then named after the template). A file named after a project
    (…导入模板_<项目>.xlsx, as ZiPing exports it) is that project, even when another project of the
    report has the same 三级指标 (广元's 科技拔尖人才岗位激励资金2022 and 2023)."""
    return not part.form or "模板" in part.form


def _by_level3(report: Report, part: Part) -> Form | None:
    """The project an 一体化 file without a project's name in its file name (the system names it
    项目支出绩效自评指标完成情况导入模板<date>.xls) is about: the one holding most of its 三级指标
    names (at least 60 % of them, and more than any other project), as the system matches them."""
    assert part.raw is not None
    names = {name_key(row.get(IND.level3, "")) for row in part.raw.indicators} - {""}
    if not names or part.kind == OVERALL:
        return None
    found = sorted(
        (
            (len(names & {name_key(i.level3) for i in form.indicators}), i, form)
            for i, form in enumerate(report.projects)
        ),
        key=lambda hit: (-hit[0], hit[1]),
    )
    if not found or found[0][0] * 5 < len(names) * 3 or (len(found) > 1 and found[1][0] == found[0][0]):
        return None
    hits, _, form = found[0]
    said = (
        f"报告中没有名为“{part.form}”的项目，已按三级指标名称（{hits}/{len(names)} 个相同）填入项目"
        f"“{form.name}”，请核对"
    )
    if said not in part.checks:
        part.checks.append(said)
    return form


# ---- narrative from Word headings ------------------------------------------------------------
AUTO_MARK = "（自动生成）"  # how older exports marked their figures paragraph (now its style says so)
_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


def _narrative(source: Source) -> list[NarrativeSection]:
    sections: list[NarrativeSection] = []
    current: NarrativeSection | None = None
    started = False
    for level, text in source.paragraphs:
        if level == "table":
            current = None
            continue
        if text.startswith("附件") and len(text) < 40 and started:
            current = None
            continue
        heading = level == "h1" or (not level and _NUMBERED.match(text) and len(text) <= 40)
        if heading:
            current = NarrativeSection(title=text, text="")
            sections.append(current)
            started = True
            continue
        if level == "title" or (not started and not sections and ("报告" in text and len(text) < 60)):
            started = True
            current = NarrativeSection(title="引言", text="")
            sections.append(current)
            continue
        if current is not None and level != "generated" and not text.startswith(AUTO_MARK):
            current.text = f"{current.text}\n{text}" if current.text else text
    return [s for s in sections if s.text]


_SECTION_NUMBER = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])"
)


# A number Word's list prints before a heading with a space after it (一 基本情况, 1.2 基本情况, 第一部分)
_LIST_LABEL = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+|\d+(?:\.\d+)*|第[一二三四五六七八九十\d]+(?:部分|章|节))\s+"
)


def section_key(title: str) -> str:
    """How a report section's title is matched: without its number ("一、基本情况", "一 基本情况" as
    a Word list may print it, and a heading "基本情况" numbered by Word are the same section)."""
    return _SECTION_NUMBER.sub("", norm(_LIST_LABEL.sub("", title)))


# ---- applying ---------------------------------------------------------------------------------
def _forms_of(preview: Preview, template: Template, department: str) -> list[tuple[Part, Form]]:
    out = []
    for part in preview.sources:
        if part.raw is None or part.action == SKIP:
            continue
        if part.raw.recognised_as == SCORE_SHEET:
            form = Form(kind=part.kind, name=part.form, score_sheet=list(part.raw.score_sheet))
            out.append((part, form))
            continue
        part.raw.name = part.form or part.raw.name
        form, skipped = build_form(part.raw, template, department)
        known = {(s.cell, s.reason) for s in part.skipped}
        part.skipped.extend(s for s in skipped if (s.cell, s.reason) not in known)
        out.append((part, form))
    return out


def build_report(
    preview: Preview, template: str | None = None, year: int | None = None, department: str | None = None
) -> Report:
    """A new report from the preview's forms (and the Word report's sections)."""
    template_id = template or preview.template or "mof"
    tpl = get_template(template_id)  # a report is being built: its template is resolved here, once
    year = year or preview.year
    if year is None:
        raise ValueError("未能从文件中看出年度，请指定年度（--year）")
    department = department if department is not None else preview.department
    report = Report(template=template_id, year=year, department=department)
    merge_preview(report, preview, overwrite=False, template=tpl)
    _lift_signoff(report)
    if not any(p.raw is not None and p.raw.recognised_as == SCORE_SHEET for p in preview.sources):
        for form in report.forms:  # no 评分表 in the files: the template's criteria, to be scored
            if not form.score_sheet:
                form.score_sheet = blank_form(tpl, form.kind, form.name).score_sheet
    if report.overall is None:
        report.forms.insert(0, blank_form(tpl, OVERALL, department or "部门整体", department))
    overall = report.overall
    if overall is not None and report.forms[0] is not overall:
        report.forms.remove(overall)
        report.forms.insert(0, overall)
    if not report.narrative:
        report.narrative = [
            NarrativeSection(title=t, text=tpl.narrative_drafts.get(t, "")) for t, _ in tpl.narrative
        ]
    return report


def _lift_signoff(report: Report) -> None:
    """The sign-off most forms print is the report's; a form keeps only one that differs."""
    for form in report.forms:
        if form.signoff is not None and form.signoff.is_blank():
            form.signoff = None
    counts = Counter(
        (f.signoff.preparer, f.signoff.phone, f.signoff.date, f.signoff.head)
        for f in report.forms
        if f.signoff is not None
    )
    if not counts or not report.signoff.is_blank():
        return
    common = counts.most_common(1)[0][0]
    report.signoff = Signoff(*common)
    for form in report.forms:
        if (
            form.signoff is not None
            and (
                form.signoff.preparer,
                form.signoff.phone,
                form.signoff.date,
                form.signoff.head,
            )
            == common
        ):
            form.signoff = None


TASK_PROMPT = re.compile(r"主要工作任务|重点工作任务|主要任务|工作任务")


def _tasks_into_narrative(report: Report, preview: Preview, tpl: Template, overwrite: bool) -> int:
    """A 部门整体 申报表's 年度主要任务 (``RawForm.tasks``) written into the report's section on the
    year's tasks: the template's section whose prompt asks for them (基本情况: "…年度主要工作任务"),
    when that section is blank (or ``overwrite``)."""
    tasks = [
        line
        for part in preview.sources
        if part.raw is not None and part.action != SKIP and part.raw.kind == OVERALL
        for line in part.raw.tasks
    ]
    title = next((t for t, prompt in tpl.narrative if TASK_PROMPT.search(prompt + t)), "")
    if not tasks or not title:
        return 0
    if not report.narrative:
        report.narrative = [
            NarrativeSection(title=t, text=tpl.narrative_drafts.get(t, "")) for t, _ in tpl.narrative
        ]
    section = next((s for s in report.narrative if section_key(s.title) == section_key(title)), None)
    if section is None:
        section = NarrativeSection(title=title, text="")
        report.narrative.append(section)
    text = "年度主要任务：\n" + "\n".join(tasks)
    if (section.text.strip() and not overwrite) or section.text == text:
        return 0
    section.text = text
    return 1


def merge_preview(report: Report, preview: Preview, overwrite: bool = False, *, template: Template) -> int:
    """Apply the preview to ``report`` (laid out by ``template``) in memory; return how many cells/rows
    changed."""
    tpl = template
    changed = 0
    for part, form in _forms_of(preview, tpl, report.department):
        target = find_form(report, form.kind, form.name)
        if part.raw is not None and part.raw.recognised_as == SCORE_SHEET:
            if target is not None:
                probe = Form(kind=target.kind, score_sheet=form.score_sheet)
                probe.printed_total = part.raw.printed_total if not target.printed_total else ""
                changed += merge_form(target, probe, overwrite)
            continue
        if form.signoff is not None and (form.signoff == report.signoff or form.signoff.is_blank()):
            form.signoff = None  # the report's own sign-off, printed on every form
        if target is None:
            report.forms.append(form)
            changed += 1
        else:
            changed += merge_form(target, form, overwrite)
    if preview.narrative:
        have = {section_key(s.title): s for s in report.narrative}
        printed = {section_key(t): t for t, _ in tpl.narrative}
        for section in preview.narrative:
            key = section_key(section.title)
            mine = have.get(key)
            if mine is None:
                # a heading numbered by Word (一、 not in its text) takes the template's title
                title = (
                    section.title
                    if _SECTION_NUMBER.match(norm(section.title))
                    else printed.get(key, section.title)
                )  # (one numbered "一 基本情况" by its list takes the template's, 一、基本情况)
                report.narrative.append(NarrativeSection(title, section.text))
                changed += 1
            elif section.text and (not mine.text.strip() or overwrite) and mine.text != section.text:
                mine.text = section.text
                changed += 1
    # (after a Word report's own sections: its text on the year's tasks is kept over the list)
    return changed + _tasks_into_narrative(report, preview, tpl, overwrite and not preview.narrative)
