"""Numbers in prose that look like slips of the pen: one digit off, or two digits swapped.

The seeds print 158.24 in one place and 158.44 in another, and a note says 实际预算 921.26
where the table says 912.26. An amount in 万元 written in text is compared with the form's
figures and with the other amounts in the same text; a near miss is reported, an exact
match or a clearly different number is not.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from itertools import chain
from operator import attrgetter

from core import schema
from core.model import INDICATORS, NARRATIVE, Form, Report
from core.numbers import try_amount
from core.problems import Problem
from core.rules.base import FormCtx, form_rule, report_problem
from core.schema import IND, Table
from core.templates import Template

MONEY_RE = re.compile(r"(\d[\d,，]*\.\d{1,2})\s*万元")
FUND_NAMES = {k: schema.label(Table.FUNDS, k) for k in schema.FUND_AMOUNTS}  # 年初预算数 …


def _digits(value: Decimal) -> str:
    return f"{value:.2f}"


def slip(said: str, figure: str) -> str:
    """Return "swap" or "digit" when two printed amounts differ by a slip of the pen, else "".

    Both are printed with two decimals. Amounts under 10 万元 are left alone, and so is a
    difference in the last digit only (2187.01 收入 vs 2187.04 支出 are different figures).
    """
    if len(said) != len(figure) or said == figure or len(said) < len("10.00"):
        return ""
    diffs = [i for i, (a, b) in enumerate(zip(said, figure)) if a != b]
    if len(diffs) == 1 and said[diffs[0]].isdigit() and diffs[0] != len(said) - 1:
        return "digit"
    if (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and said[diffs[0]] == figure[diffs[1]]
        and said[diffs[1]] == figure[diffs[0]]
    ):
        return "swap"
    return ""


def amounts_in(text: str) -> list[str]:
    """Return the 万元 amounts written in ``text``, printed with two decimals."""
    out = []
    for match in MONEY_RE.finditer(text):
        try:
            out.append(_digits(Decimal(match.group(1).replace(",", "").replace("，", ""))))
        except InvalidOperation:
            continue
    return out


def form_figures(form: Form) -> dict[str, str]:
    """Return the form's fund amounts (and 调整 = 全年 − 年初) as printed text → what they are."""
    out: dict[str, str] = {}
    for row in form.funds:
        for column, name in FUND_NAMES.items():
            value = try_amount(getattr(row, column))
            if value is not None and value != 0:
                out.setdefault(_digits(value), name)
        initial, annual = try_amount(row.initial), try_amount(row.annual)
        if initial is not None and annual is not None and annual != initial:
            out.setdefault(_digits(abs(annual - initial)), "预算调整数")
    return out


def _describe(kind: str) -> str:
    return "仅一位数字不同" if kind == "digit" else "两位数字顺序颠倒"


def _no_notes_in_wan(report: Report, _template: Template) -> bool:
    """True when no 偏差原因 of any form holds 万元 (``check_notes`` reads no other): all of them joined
    by line breaks, searched once (万元 holds no line break: it is in them all iff in one of them)."""
    notes = chain.from_iterable(form.indicators for form in report.forms)
    return "万元" not in "\n".join(map(_note_of, notes))


_note_of = attrgetter(IND.deviation_note)


@form_rule(
    Table.INDICATORS, Table.FUNDS, columns={Table.INDICATORS: (IND.deviation_note,)}, clean=_no_notes_in_wan
)
def check_notes(ctx: FormCtx) -> Iterator[Problem]:
    """S21: an amount in a 偏差原因 that is a near miss of one of the form's fund figures."""
    figures: dict[str, str] | None = None
    for i, ind in enumerate(ctx.form.indicators):
        if "万元" not in ind.deviation_note:
            continue
        if figures is None:
            figures = form_figures(ctx.form)
        for said in amounts_in(ind.deviation_note):
            if said in figures:
                continue
            for figure, name in figures.items():
                kind = slip(said, figure)
                if kind:
                    text = f"偏差原因中写 {said} 万元，与本表{name} {figure} 万元{_describe(kind)}"
                    yield ctx.problem(
                        "S21",
                        text + "，请核对是否笔误",
                        INDICATORS,
                        i,
                        IND.deviation_note,
                    )
                    break


def check_narrative(report: Report, _template: Template) -> Iterator[Problem]:
    """V13: an amount in the 自评报告 that is a near miss of a table figure or of another amount."""
    mentions = [(row, said) for row, s in enumerate(report.narrative) for said in amounts_in(s.text)]
    if not mentions:  # no amount in the text: nothing to compare (the figures are not worked out)
        return
    figures = form_figures(report.overall) if report.overall is not None else {}
    seen = Counter(said for _, said in mentions)
    reported: set[str] = set()
    for row, said in mentions:
        if said in figures or said in reported:
            continue
        found = next(((f, n) for f, n in figures.items() if slip(said, f)), None)
        if found is not None:
            figure, name = found
            message = (
                f"正文写 {said} 万元，与部门整体支出表{name} {figure} 万元{_describe(slip(said, figure))}"
            )
        else:
            other = next((o for o in seen if slip(said, o) and seen[o] >= seen[said] and o != said), None)
            if other is None or (seen[other] == seen[said] and other < said):
                continue
            message = f"正文一处写 {said} 万元，另一处写 {other} 万元，{_describe(slip(said, other))}"
        reported.add(said)
        yield report_problem("V13", message + "，请核对是否笔误", NARRATIVE, row, "text")
