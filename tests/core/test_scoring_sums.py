"""``computed_sums`` (the V02 rule's expected totals, the exports' 合计) looks each fund row up once by
key; it gives what the per-cell ``fund_value`` gives, on every template's forms (nested subtotals:
广元's 财政资金 of its parts), with cells typed, blank, zero, negative, unreadable, subtotals left to
their parts, rows missing, and a key repeated (the first row of a key counts, as ``Form.fund``)."""

from __future__ import annotations

import random
from decimal import Decimal

from core import schema
from core.model import FundRow
from core.report import fill_fund_rows, new_report
from core.scoring import amount, computed_sums, fund_value
from core.templates import get_template

TEMPLATES = ("mof", "sichuan-guangyuan", "gansu-pingliang", "hunan-yiyang", "sichuan")
CELLS = ("", "", "", "10", "0", "3.5", "-2", "abc", "100.125", " 7 ", "  ", "\u3000")


def _by_fund_value(form, spec) -> dict[tuple[str, str], Decimal]:  # type: ignore[no-untyped-def]
    """What computed_sums gave when it asked ``fund_value`` of each part (the reference)."""
    out: dict[tuple[str, str], Decimal] = {}
    for s in spec.sums:
        for col in s.columns:
            values = [amount(fund_value(form, spec, k, col)) for k in s.parts if form.fund(k) is not None]
            present = [v for v in values if v is not None]
            if present:
                out[(s.total, col)] = sum(present, Decimal(0))
    return out


def test_sums_are_what_fund_value_gives() -> None:
    rng = random.Random(3)
    amounts = schema.FUND_AMOUNTS
    nonzero = 0
    for template_id in TEMPLATES:
        template = get_template(template_id)
        for n in range(40):
            report = new_report(template_id, 2023, "部门", ["项目甲", "项目乙"])
            fill_fund_rows(report, template)
            for form in report.forms:
                spec = template.form(form.kind)
                form.funds = [
                    FundRow(r.key, *(rng.choice(CELLS) for _ in amounts))
                    for r in form.funds
                    if rng.random() > 0.1
                ]
                if form.funds and n % 5 == 0:
                    form.funds.append(FundRow(form.funds[0].key, "999", "999", "999"))  # a key again
                mine = computed_sums(form, spec)
                assert mine == _by_fund_value(form, spec), (template_id, n, form.funds)
                assert [str(v) for v in mine.values()] == [
                    str(v) for v in _by_fund_value(form, spec).values()
                ]
                nonzero += bool(mine)
    assert nonzero > 100
