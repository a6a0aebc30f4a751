"""Work out simple formulas a workbook saved without their results.

A program that writes .xlsx (openpyxl, a web system's export) may store ``=SUM(E7:E9)`` with no
value; Excel and WPS compute it on opening, a reader sees nothing. The sums and differences forms
use (``SUM`` of cells and ranges, ``+`` and ``-`` of cells and numbers) are computed here from the
cells' own values; anything else (another sheet, a function other than SUM, a text cell) is left
unread and named, as before.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from core.importers.grid import Grid, column_letter

_CELL = r"\$?[A-Z]{1,3}\$?\d+"
_TOKEN = re.compile(rf"\s*(?:(SUM)\(|({_CELL}(?::{_CELL})?)|(\d+(?:\.\d+)?)|([-+,)]))", re.I)
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
MAX_CELLS = 10_000


def _cell(ref: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref.upper())
    assert match is not None
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def _cells(ref: str) -> list[tuple[int, int]]:
    first, _, last = ref.partition(":")
    r0, c0 = _cell(first)
    r1, c1 = _cell(last) if last else (r0, c0)
    if (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1) > MAX_CELLS:
        raise ValueError(ref)
    return [(r, c) for r in range(min(r0, r1), max(r0, r1) + 1) for c in range(min(c0, c1), max(c0, c1) + 1)]


class _Sheet:
    def __init__(self, grid: Grid, formulas: dict[tuple[int, int], str]) -> None:
        self.grid, self.formulas = grid, formulas
        self.done: dict[tuple[int, int], Decimal] = {}
        self.busy: set[tuple[int, int]] = set()

    def value(self, at: tuple[int, int], in_sum: bool) -> Decimal:
        """A referenced cell's number: blank is 0; text is skipped by SUM, an error for + and -."""
        if at in self.done:
            return self.done[at]
        if at in self.formulas:
            return self.compute(at)
        if at in self.grid.missing_formulas or at in self.grid.errors:
            raise ValueError(at)
        text = self.grid.raw(*at).strip()
        if not text:
            return Decimal(0)
        if at not in self.grid.numeric:
            if in_sum:
                return Decimal(0)
            raise ValueError(at)
        return Decimal(text)

    def compute(self, at: tuple[int, int]) -> Decimal:
        if at in self.busy:
            raise ValueError(at)  # a circular reference
        self.busy.add(at)
        try:
            result = self.evaluate(self.formulas[at])
        finally:
            self.busy.discard(at)
        self.done[at] = result
        return result

    def evaluate(self, formula: str) -> Decimal:
        text = formula.strip().lstrip("=")
        tokens: list[tuple[str, str]] = []
        at = 0
        while at < len(text):
            match = _TOKEN.match(text, at)
            if match is None or match.end() == at:
                raise ValueError(formula)
            kinds = ("sum", "ref", "num", "op")
            kind = next(k for k, g in zip(kinds, match.groups(), strict=True) if g is not None)
            tokens.append((kind, match.group(kinds.index(kind) + 1)))
            at = match.end()
        total, position = self._terms(tokens, 0, in_sum=False)
        if position != len(tokens):
            raise ValueError(formula)
        return total

    def _terms(self, tokens: list[tuple[str, str]], i: int, in_sum: bool) -> tuple[Decimal, int]:
        """term (('+'|'-') term)*, a term: SUM(args) | ref | number, with a leading sign."""
        total = Decimal(0)
        sign = 1
        expect_term = True
        while i < len(tokens):
            kind, text = tokens[i]
            if expect_term:
                if kind == "op" and text in "+-":
                    sign = -sign if text == "-" else sign
                    i += 1
                    continue
                if kind == "sum":
                    value, i = self._sum(tokens, i + 1)
                elif kind == "ref":
                    cells = _cells(text)
                    if len(cells) > 1 and not in_sum:
                        raise ValueError(text)
                    value = sum((self.value(c, in_sum) for c in cells), Decimal(0))
                    i += 1
                elif kind == "num":
                    value = Decimal(text)
                    i += 1
                else:
                    raise ValueError(text)
                total += sign * value
                sign, expect_term = 1, False
            elif kind == "op" and text in "+-":
                sign = -1 if text == "-" else 1
                expect_term = True
                i += 1
            else:
                break
        if expect_term:
            raise ValueError("incomplete")
        return total, i

    def _sum(self, tokens: list[tuple[str, str]], i: int) -> tuple[Decimal, int]:
        total = Decimal(0)
        while True:
            value, i = self._terms(tokens, i, in_sum=True)
            total += value
            if i >= len(tokens):
                raise ValueError("SUM(")
            if tokens[i] == ("op", ","):
                i += 1
                continue
            if tokens[i] == ("op", ")"):
                return total, i + 1
            raise ValueError(tokens[i][1])


def compute_missing(grid: Grid, formulas: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    """Put the result of each simple formula saved without one into the grid (as a number cell, no
    longer missing); return {cell: formula} of those computed. The others stay missing."""
    from core.importers.readers import number_text

    sheet = _Sheet(grid, formulas)
    computed: dict[tuple[int, int], str] = {}
    for at, formula in formulas.items():
        try:
            value = sheet.compute(at) if at not in sheet.done else sheet.done[at]
        except (ValueError, InvalidOperation, ArithmeticError):
            continue
        r, c = at
        while len(grid.cells) <= r:
            grid.cells.append([])
        row = grid.cells[r]
        while len(row) <= c:
            row.append("")
        row[c] = number_text(value)
        grid.numeric.add(at)
        grid.missing_formulas.discard(at)
        computed[at] = formula
    return computed


# An R1C1 reference (Excel 2003 XML keeps formulas so): R5C3, R[-1]C, RC[2], R, C[-3] … not inside a
# name (SEARCH, ROUND) or before a function's bracket.
_R1C1 = re.compile(r"(?<![A-Za-z_.])R(\[-?\d+\]|\d+)?C(\[-?\d+\]|\d+)?(?![A-Za-z_(\d])")


def r1c1_to_a1(formula: str, row: int, col: int) -> str:
    """An R1C1 formula of the cell at (row, col) (0-based) in A1 style: "=SUM(R[-3]C:R[-1]C)" in F6
    is "=SUM(F3:F5)". Text in quotes is left alone; a reference outside the sheet stays as written."""
    parts = re.split(r'("[^"]*")', formula)

    def one(match: re.Match[str]) -> str:
        def at(part: str | None, base: int) -> tuple[int, bool]:
            if not part:
                return base, False
            if part.startswith("["):
                return base + int(part[1:-1]), False
            return int(part) - 1, True

        (r, r_abs), (c, c_abs) = at(match.group(1), row), at(match.group(2), col)
        if r < 0 or c < 0:
            return match.group(0)
        return f"{'$' if c_abs else ''}{column_letter(c)}{'$' if r_abs else ''}{r + 1}"

    return "".join(part if part.startswith('"') else _R1C1.sub(one, part) for part in parts)


# A cell's text that is a formula, not a value: "=SUM(…)", "=F7+F8", "=R[-1]C*2" saved as text by
# an export (a target "=100%" or "＝5名" is a value: an operator and a number).
FORMULA_TEXT = re.compile(
    r"^\s*=\s*(?:[A-Za-z][A-Za-z0-9._]*\s*\(|\$?[A-Za-z]{1,3}\$?\d+(?![\d.%])|"
    r"R(?:\[-?\d+\]|\d+)?C(?:\[-?\d+\]|\d+)?(?![A-Za-z]))"
)


def formula_strings(grid: Grid) -> None:
    """Cells whose saved value is a formula's text are no values: blanked and named as formulas
    without a result (``missing_formulas``, ``formula_strings``), an R1C1 one shown in A1 style."""
    for r, row in enumerate(grid.cells):
        for c, text in enumerate(row):
            if text and "=" in text[:3] and (r, c) not in grid.numeric and FORMULA_TEXT.match(text):
                grid.formula_strings.add((r, c))
                grid.formula_texts[(r, c)] = r1c1_to_a1(text.strip(), r, c)
                grid.missing_formulas.add((r, c))
                row[c] = ""
