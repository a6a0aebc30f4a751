"""Every printed label of every form reads as the seed prints it, in the Excel and the Word export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from core.export.docx import write_docx
from core.export.xlsx import write_xlsx
from core.interchange import read_json_file
from core.templates import get_template

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LABELS = json.loads((FIXTURES / "labels" / "seed_labels.json").read_text(encoding="utf-8"))
SEEDS = [k for k in LABELS if not k.startswith("_")]
_WIDTH = str.maketrans("():", "（）：")


def norm(text: str) -> str:
    """Compare as a reader does: no whitespace, brackets and colons in one width."""
    return re.sub(r"[\s\u200b]+", "", text).translate(_WIDTH)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_excel_sheet_prints_the_seed_labels(seed: str, tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_xlsx(
        read_json_file(FIXTURES / f"{seed}.json"),
        path,
        template=get_template(read_json_file(FIXTURES / f"{seed}.json").template),
    )
    book = load_workbook(path)
    for start, labels in LABELS[seed].items():
        sheet = next((ws for ws in book.worksheets if ws.title.startswith(start)), None)
        assert sheet is not None, f"{seed}: no sheet {start!r} in {book.sheetnames}"
        texts = {norm(str(c.value)) for row in sheet.iter_rows() for c in row if c.value is not None}
        missing = [label for label in labels if norm(label) not in texts]
        assert not missing, f"{seed} {sheet.title}: {missing}"


@pytest.mark.parametrize("seed", SEEDS)
def test_the_word_attachments_print_the_seed_labels(seed: str, tmp_path: Path) -> None:
    path = tmp_path / "out.docx"
    write_docx(
        read_json_file(FIXTURES / f"{seed}.json"),
        path,
        template=get_template(read_json_file(FIXTURES / f"{seed}.json").template),
    )
    doc = docx.Document(str(path))
    texts = {norm(p.text) for p in doc.paragraphs}
    for table in doc.tables:
        for row in table.rows:
            texts.update(norm(c.text) for c in row.cells)
    wanted = {norm(label) for labels in LABELS[seed].values() for label in labels}
    missing = sorted(wanted - texts)
    assert not missing, f"{seed}: {missing}"


def test_no_form_prints_a_label_the_seed_does_not() -> None:
    """Labels the code used to add: a 填表人 line on 001 and 003, the “（自动生成）” marker."""
    from core.export.layout import plan

    for seed in ("seed001_guangyuan", "seed003_pingliang"):
        report = read_json_file(FIXTURES / f"{seed}.json")
        assert not any(
            g.signoff for g in plan(report, get_template(report.template)) if g.uid is not None
        )  # the forms and 评分表


SEED_LISTS = {  # the report's attachment list as the seed prints it (003's seed has no report)
    "seed001_guangyuan": [
        "附件：1. 中共广元市昭化区委组织部2023年部门整体支出绩效目标自评表",
        "2.中共广元市昭化区委组织部2023年部门整体支出绩效自评评分表",
    ],
    "seed004_yiyang": [
        "附件: 1、部门整体支出绩效评价基础数据表",
        "2、部门整体支出绩效自评表",
        "3、项目支出绩效自评表",
    ],
}


@pytest.mark.parametrize("seed", sorted(SEED_LISTS))
def test_the_word_report_lists_the_attachments_as_the_seed_does(seed: str, tmp_path: Path) -> None:
    """The list's words are the template's (print.attachment_titles), not the forms' titles: 004 lists
    部门整体支出绩效自评表 where the form's title is 2023年度部门整体支出绩效自评表, 001 lists its two 附件
    by department and year and not its 附表. The 自评汇总表 (ZiPing's own attachment) follows them."""
    report = read_json_file(FIXTURES / f"{seed}.json")
    path = tmp_path / "out.docx"
    write_docx(report, path, template=get_template(report.template))
    texts = [norm(p.text) for p in docx.Document(str(path)).paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith("附件："))
    wanted = [norm(t) for t in SEED_LISTS[seed]]
    assert texts[start : start + len(wanted)] == wanted
    assert texts[start + len(wanted)].endswith("绩效自评汇总表")
    assert texts[start + len(wanted) + 1] == ""
