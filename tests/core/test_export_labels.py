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
