"""Files as people make them by hand in Excel, WPS and Word, beyond test_import_hardening's: accounting
negatives, number formats that print words, Word's own list numbers in cells, … Each file is written
here (openpyxl, python-docx, or its XML edited) and read back as a person reads it; where the reading
cannot be sure the preview asks (请核对), where it cannot read the cell it says why."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_import_variants import funds_of, imported, one_sheet, part_text


# ---- accounting negatives --------------------------------------------------------------------------
def test_an_amount_in_brackets_reads_as_the_negative_it_means_and_is_asked_about(
    seed_xlsx: Path, tmp_path: Path
) -> None:
    """会计专用 prints a negative in brackets; copied as text ("(0.03)", "（0.03）") it reads as -0.03 with
    a 请核对 at its cell (a refund can make an amount negative; the accountant confirms). A score in
    brackets cannot be negative: it is left out, saying why."""
    wb, ws = one_sheet(seed_xlsx)
    ws["E9"], ws["F9"] = "（0.03）", "(0.03)"
    ws["G13"] = "(10)"
    path = tmp_path / "brackets.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form)[3] == ("other", "", "-0.03", "-0.03")
    text = part_text(part)
    sheet = "附件3-1 业务工作经费!"
    assert f"请核对：{sheet}F9：“(0.03)”是会计写法的负数（括号表示负数），已按 -0.03 导入" in text
    assert f"{sheet}G13：“(10)”是括号中的数（会计写法表示负数，分值和得分不能为负），未导入" in text
    flags = {(f.cell_table, f.cell_row, f.cell_column) for f in form.review_flags}
    assert {("funds", 3, "annual"), ("funds", 3, "executed")} <= flags
    assert form.indicators[0].weight == ""


def test_a_negative_number_under_an_accounting_format_is_the_number_saved(
    seed_xlsx: Path, tmp_path: Path
) -> None:
    """A number saved as -0.03 and shown as (0.03) by its format is the number: read as -0.03, no question."""
    wb, ws = one_sheet(seed_xlsx)
    ws["E9"] = ws["F9"] = -0.03
    ws["E9"].number_format = "#,##0.00_);(#,##0.00)"
    ws["F9"].number_format = '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)'
    path = tmp_path / "format.xlsx"
    wb.save(path)
    _preview, part, form = imported(path)
    assert funds_of(form)[3] == ("other", "", "-0.03", "-0.03")
    assert "请核对" not in part_text(part)
