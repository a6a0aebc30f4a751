"""One table model per table kind: funds, goals, indicators, score sheet.

Columns come from the region template (core.templates.FormSpec); computed values
(执行率, subtotals, suggested scores) come from core.scoring through ``ctx.score``.
"""

from __future__ import annotations

from typing import Any

from core import schema
from core.model import FUNDS, GOALS, INDICATORS, SCORE_SHEET
from core.numbers import fmt, fmt_money, fmt_percent
from core.report import Change
from core.schema import FUND, HEAD, IND, SCORE, Kind, Table
from gui.commands import SetFormFieldCommand
from gui.context import AppContext
from gui.grids.base import LEVEL, LINE, Cell, Computed, GridColumn, GridModel, Index

SUGGESTED = "suggested"
EDITORS = {Kind.AMOUNT: "amount", Kind.LONG: "long", Kind.LEVEL: LEVEL}


def _editor(table: Table, key: str) -> str:
    """Return the cell editor of a declared column: amount, long, level (a pick list) or text."""
    col = schema.column(table, key)
    if col is None:
        return LINE
    return EDITORS.get(col.kind, LINE)


def _at_row(items: list[Any], row: int) -> Any:
    """The item of ``row`` in a FormScore list (indicators, score_sheet): the list holds one item per
    row, in row order, so it is looked up by place (each computed cell walked the list)."""
    if 0 <= row < len(items) and items[row].row == row:
        return items[row]
    return next((s for s in items if s.row == row), None)


def _printed(key: str) -> str:
    """The stored printed value behind a computed funds column (rate → printed_rate)."""
    return next(c.key for c in schema.columns(Table.FUNDS) if c.interchange == key)


class FundModel(GridModel):
    """The funds table: rows fixed by the template, 执行率/分值/得分 computed."""

    table = FUNDS
    can_add_rows = False
    # rates, subtotals, the 执行率 分值 and score read the funds and the header's weight only
    computed_reads: frozenset[str] | None = frozenset({Table.FUNDS, Table.HEADER})

    def build_columns(self) -> list[GridColumn]:
        out = []
        for c in self.spec().fund_columns:
            if c.key in (FUND.rate, FUND.score):
                out.append(GridColumn(c.key, c.title, c.width, "none", (c.key, _printed(c.key))))
            elif c.key == FUND.weight:
                out.append(GridColumn(c.key, c.title, c.width, "amount", (c.key, HEAD.execution_weight)))
            else:
                out.append(GridColumn(c.key, c.title, c.width, "amount"))
        return out

    def row_label(self, row: int) -> str:
        key = str(self.rows()[row].key)
        spec = self.spec().row_spec(key)
        if spec is None:
            return key
        return "\u3000" * int(spec.level) + str(spec.printed)

    def _is_rate_row(self, row: int) -> bool:
        return bool(self.rows()[row].key == self.spec().rate_row)

    def _applies(self, row: int, key: str) -> bool:
        spec = self.spec().row_spec(self.rows()[row].key)
        return spec is None or key in spec.columns

    def is_editable(self, row: int, col: int) -> bool:
        key = self.columns[col].key
        if key == FUND.weight:
            return self._is_rate_row(row)
        return not self.columns[col].computed and self._applies(row, key)

    def cell_text(self, row: int, col: int) -> str:
        key = self.columns[col].key
        if key == FUND.weight:
            return self.form.execution_weight if self.form is not None and self._is_rate_row(row) else ""
        return super().cell_text(row, col)

    def computed(self, row: int, col: int) -> Computed | None:
        key = self.columns[col].key
        if key == FUND.rate:
            return self._rate(row)
        if key == FUND.score:
            return self._execution_score() if self._is_rate_row(row) else Computed("")
        if key == FUND.weight and self._is_rate_row(row) and not self.cell_text(row, col).strip():
            score = self.score()
            weight = score.execution.weight if score is not None else None
            return Computed(fmt(weight), "执行率分值取模板的默认值") if weight is not None else None
        if key in schema.FUND_AMOUNTS and not self.cell_text(row, col).strip():
            return self._subtotal(row, key)
        return None

    def _rate(self, row: int) -> Computed:
        score = self.score()
        fund = self.rows()[row]
        if score is None or not (fund.annual.strip() or fund.executed.strip()):
            return Computed("")
        rate = score.row_rates.get(fund.key)
        if self._is_rate_row(row):
            why = "执行率 = 全年执行数 ÷ 全年预算数：" + score.execution.why
            return Computed(fmt_percent(rate, score.rate_places), why)
        why = f"执行率 = 全年执行数 ÷ 全年预算数 = {fund.executed or '空'} ÷ {fund.annual or '空'}"
        return Computed(fmt_percent(rate, score.rate_places), why)

    def _execution_score(self) -> Computed:
        score = self.score()
        if score is None or score.execution.score is None:
            return Computed("", score.execution.why if score is not None else "")
        why = "得分 = 分值 × 执行率（不超过分值）：" + score.execution.why
        return Computed(fmt(score.execution.score), why)

    def _subtotal(self, row: int, key: str) -> Computed | None:
        score = self.score()
        fund = self.rows()[row]
        if score is None or (fund.key, key) not in score.computed_sums:
            return None
        parts = next((s.parts for s in self.spec().sums if s.total == fund.key and key in s.columns), ())
        labels = [spec.label for k in parts if (spec := self.spec().row_spec(k)) is not None]
        value = fmt_money(score.computed_sums[(fund.key, key)])
        return Computed(value, f"未填写，按 {' + '.join(labels)} 计算 = {value}")

    def setData(self, index: Index, value: Any, role: int = 2) -> bool:
        if self._valid(index) and self.column_key(index.column()) == FUND.weight and role == 2:
            if not self.is_editable(index.row(), index.column()) or self.form is None:
                return False
            text = "" if value is None else str(value).strip()
            if text == self.form.execution_weight:
                return False
            assert self.ctx.doc is not None and self.uid is not None
            cmd = SetFormFieldCommand(self.ctx.doc, self.uid, HEAD.execution_weight, text, "修改执行率分值")
            return self.run(cmd, index.row(), index.column())
        return super().setData(index, value, role)

    def cell_edits(self, cells: list[Cell]) -> list[tuple[int, str, int, str, Any]]:
        return super().cell_edits([c for c in cells if self.column_key(c[1]) != FUND.weight])

    def _on_changed(self, change: Change) -> None:
        super()._on_changed(change)
        if change.form == self.uid and change.table == Table.HEADER and self.rowCount():
            self._computed_dirty = True


class GoalModel(GridModel):
    """The goals table: 预期目标 | 实际完成情况 (titles from the template)."""

    table = GOALS
    computed_reads: frozenset[str] | None = frozenset()  # no computed cells

    def build_columns(self) -> list[GridColumn]:
        titles = self.spec().goal_titles
        cols = schema.columns(Table.GOALS)
        return [
            GridColumn(c.key, t, 40, _editor(Table.GOALS, c.key)) for c, t in zip(cols, titles, strict=True)
        ]

    def row_label(self, row: int) -> str:
        return f"目标{row + 1}" if self.spec().goals_numbered else str(row + 1)


class IndicatorModel(GridModel):
    """The indicators table, plus a read-only 建议得分 column where the template scores them."""

    table = INDICATORS
    computed_reads: frozenset[str] | None = frozenset()  # 建议得分 reads its own row and the template only

    def build_columns(self) -> list[GridColumn]:
        out = []
        for c in self.spec().indicator_columns:
            out.append(GridColumn(c.key, c.title, c.width, _editor(Table.INDICATORS, c.key)))
            if c.key == IND.score:
                out.append(GridColumn(SUGGESTED, "建议得分", 7, "none", (IND.score,)))
        if self.spec().scored and not any(c.key == SUGGESTED for c in out):
            out.append(GridColumn(SUGGESTED, "建议得分", 7, "none", (IND.score,)))
        return out

    def computed(self, row: int, col: int) -> Computed | None:
        if self.columns[col].key != SUGGESTED:
            return None
        score = self.summary()  # (not the whole score: an edit repaints this cell)
        found = _at_row(score.indicators, row) if score is not None else None
        if found is None:
            return Computed("")
        return Computed(fmt(found.suggested), found.why)

    def choices(self, index: Index) -> list[str]:
        key = self.column_key(index.column())
        vocabulary = self.spec().vocabulary
        if key == IND.level1:
            return list(vocabulary)
        if key == IND.level2:
            level1 = self.spec().canonical_level1(self.rows()[index.row()].level1)
            if level1 in vocabulary:
                return list(vocabulary[level1])
            return [w for words in vocabulary.values() for w in words]
        return []


# The score sheet's grid: which columns it shows and their widths. Titles and editors are the
# schema's (``Column.heading``); the item's path shows as three columns, titled like the
# indicators' 一级/二级/三级指标.
SHEET_LEVELS = ((IND.level1, 8), (IND.level2, 10), (IND.level3, 12))
SHEET_WIDTHS = (
    (SCORE.weight, 6),
    (SCORE.explanation, 24),
    (SCORE.rule, 36),
    (SCORE.self_score, 7),
    (SUGGESTED, 7),
    (SCORE.review_score, 8),
)


def _sheet_columns() -> list[GridColumn]:
    out = [
        GridColumn(
            f"{SCORE.path}{i}", schema.the(Table.INDICATORS, level).heading, width, LINE, (SCORE.path,)
        )
        for i, (level, width) in enumerate(SHEET_LEVELS)
    ]
    for key, width in SHEET_WIDTHS:
        if key == SUGGESTED:
            out.append(GridColumn(key, "建议得分", width, "none", (SCORE.self_score,)))
        else:
            title = schema.the(Table.SCORE_SHEET, key).heading
            out.append(GridColumn(key, title, width, _editor(Table.SCORE_SHEET, key)))
    return out


class ScoreSheetModel(GridModel):
    """The 评分表: 一级/二级/三级 (the item's path), weights, rules, scores."""

    table = SCORE_SHEET

    def build_columns(self) -> list[GridColumn]:
        return _sheet_columns()

    def cell_text(self, row: int, col: int) -> str:
        key = self.columns[col].key
        if key.startswith(SCORE.path):
            path = self.rows()[row].path
            level = int(key[-1])
            return path[level] if level < len(path) else ""
        return super().cell_text(row, col)

    def _path(self, row: int) -> list[str]:
        return list(self.rows()[row].path) if row < self.rowCount() else []

    def computed(self, row: int, col: int) -> Computed | None:
        if self.columns[col].key != SUGGESTED:
            return None
        score = self.score()
        found = _at_row(score.score_sheet, row) if score is not None else None
        if found is None or found.suggested is None:
            return Computed("", "此项按评分要点人工评分")
        return Computed(fmt(found.suggested), found.why)

    def cell_edits(self, cells: list[Cell]) -> list[tuple[int, str, int, str, Any]]:
        """Merge edits of the three path columns of a row into one edit of its path."""
        assert self.uid is not None
        plain = [c for c in cells if not self.column_key(c[1]).startswith(SCORE.path)]
        edits = super().cell_edits(plain)
        paths: dict[int, list[str]] = {}
        for row, col, text in cells:
            if self.column_key(col).startswith(SCORE.path):
                path = paths.setdefault(row, list(self._path(row)))
                level = int(self.column_key(col)[-1])
                path.extend([""] * (level + 1 - len(path)))
                path[level] = text.strip()
        for row, path in paths.items():
            while path and not path[-1]:
                path.pop()
            if path != self._path(row):
                edits.append((self.uid, self.table, row, SCORE.path, path))
        return edits


MODELS: dict[str, type[GridModel]] = {
    FUNDS: FundModel,
    GOALS: GoalModel,
    INDICATORS: IndicatorModel,
    SCORE_SHEET: ScoreSheetModel,
}


def make_model(ctx: AppContext, table: str, parent: Any = None) -> GridModel:
    """Return the model for a table name (funds, goals, indicators, score_sheet)."""
    return MODELS[table](ctx, parent)
