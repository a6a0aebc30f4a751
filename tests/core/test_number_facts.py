"""A number scored against a number in one step (``scoring.number_facts``: what the review's counts and
the list's scores use for a row met for the first time) gives exactly what the general path gives: the
suggested score and attainment of ``_evaluate`` (with its reasons and without) and the attainment,
ratio, deviation and unit mismatch of ``compared_plain``, on large random pools of cells as people type
them (units of every family, 万/亿, full-width digits, thousands separators, Chinese numerals, zeros,
negatives, long decimals, numbers past Decimal's 28 digits), every direction cell, every 分值, on
every shipped template and with each scoring option switched (K9 binary, excess, "=" binary, K10 off,
K16's penalty)."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from core.paths import templates_dir
from core.scoring import _evaluate, _evaluate_score, amount, compared_plain, number_cell, number_facts, parsed
from core.templates import Template, load_template_file
from core.values import Attainment, Kind, Value

TEMPLATES = ("mof", "sichuan-guangyuan", "gansu-pingliang", "hunan-yiyang", "sichuan")
UNITS = ("", "", "人", "人次", "名", "户", "个", "项", "次", "场", "%", "元", "万元", "千元", "亿元")
UNITS += ("天", "日", "个月", "小时", "公里", "米", "平方米", "亩", "册", "篇", "万", "亿", "公斤", "人/次")
LEADS = ("", "", "", "≥", "≤", "=", ">", "<", "≥=", "＞", "不少于", "不低于", "不超过", "达到", "约", "人均")
TRAILS = ("", "", "", "", "以上", "以内", "左右", "余")
DIRECTIONS = ("", "", "", "≥", "≤", "=", ">", "<", "正向", "反向", "不低于", "大于", "≧", "左右", "abc")
WEIGHTS = ("4", "4", "10", "3.6", "", "0", "0.5", "100", "abc", "-2")
DEFAULTS = ("", "≥", "≤")


def _number(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.35:
        return str(rng.randint(0, 999))
    if shape < 0.6:
        return str(round(rng.uniform(0, 200), rng.randint(1, 3)))
    return rng.choice(
        (
            "0",
            "0.0",
            "0.00",
            "-0",
            "-5",
            "-0.5",
            "1,000",
            "12,345.6",
            "１００",
            "９５．５",
            "三十",
            "两",
            "0.000000001",
            "1" * 33,
            "9" * 29 + ".5",
            "3.14159265358979323846264338327950",
            "2万",
            "1.5亿",
            "100",
            "100",
            "120",
            "80",
        )
    )


def _cell(rng: random.Random) -> str:
    unit = rng.choice(UNITS)
    return f"{rng.choice(LEADS)}{_number(rng)}{unit}{rng.choice(TRAILS) if unit != '万' else ''}"


def _templates() -> list[Template]:
    """Every shipped template, and each with one scoring option switched (a fresh copy: its own memos)."""
    out = []
    for template_id in TEMPLATES:
        base = load_template_file(templates_dir() / f"{template_id}.json")
        out.append(base)
        s = base.scoring
        for changed in (
            replace(s, strict="binary", reverse="excess", equal="binary"),
            replace(s, negative_as_zero=not s.negative_as_zero, over_penalty=(Decimal("1.3"), Decimal("2"))),
            replace(s, over_penalty=(Decimal("1"), Decimal("0.5")), over_flag=Decimal("1.2")),
        ):
            out.append(replace(load_template_file(templates_dir() / f"{template_id}.json"), scoring=changed))
    return out


def _exact(value: Decimal | None) -> tuple[Decimal | None, str]:
    return value, repr(value)  # the same number written the same way (4 and 4.00 differ)


def test_numbers_scored_in_one_step_are_the_general_paths() -> None:
    rng = random.Random(16)
    cells = [_cell(rng) for _ in range(1500)]
    numbers = [c for c in cells if parsed(c).kind is Kind.NUMBER]
    assert len(numbers) > 900  # the pool is mostly numbers as the parser reads them
    fused = general = mismatched = undirected = 0
    for template in _templates():
        for _ in range(1500):
            target, actual = rng.choice(numbers), rng.choice(numbers)
            if rng.random() < 0.3:  # the same number or unit on both sides, often
                actual = rng.choice((target, target.lstrip("≥≤=><约人均不少低超过达到"), actual))
            direction, weight, default = rng.choice(DIRECTIONS), rng.choice(WEIGHTS), rng.choice(DEFAULTS)
            t, a = parsed(target), parsed(actual)
            if a.kind is not Kind.NUMBER:
                continue
            used = direction or t.direction or default
            facts = number_facts(
                t.direction, t.number, t.unit, a.number, a.unit, used, amount(weight), template.scoring
            )
            suggested, _why, attainment = _evaluate(template, target, actual, direction, weight, default)
            plain = _evaluate(template, target, actual, direction, weight, default, False)
            assert (plain[0], plain[2]) == (suggested, attainment)
            assert _evaluate_score(template, target, actual, direction, weight, default) == (
                suggested,
                attainment,
            )
            if facts is None:
                general += 1
                continue
            fused += 1
            case = (template.id, template.scoring, target, actual, direction, weight, default)
            assert _exact(facts[0]) == _exact(suggested) and facts[1] == attainment, case
            c = compared_plain(target, actual, used)
            assert facts[2] is c.attainment and facts[5] == c.unit_mismatch, case
            assert _exact(facts[3]) == _exact(c.ratio) and _exact(facts[4]) == _exact(c.deviation), case
            if c.attainment is Attainment.UNKNOWN and not c.unit_mismatch:
                undirected += 1  # the counts' S15 is never of two numbers: their words say so
                assert "比较方向" in c.explanation, case
            mismatched += c.unit_mismatch
    assert fused > 20_000 and mismatched > 8_000 and undirected > 200
    assert 50 < general < fused // 20  # K10's negative actuals go the general way, and little else


def test_a_plain_number_read_without_its_value_is_what_parsed_reads() -> None:
    """``number_cell`` (a cell's direction, number and unit, no Value made: the counts' first read of
    a cell) is the NUMBER ``parsed`` gives of the same text, every other field at its default; a text
    it leaves (None) is read by ``parsed`` alone, as any kind."""
    rng = random.Random(17)
    texts = [_cell(rng) for _ in range(3000)]
    texts += ["", "  ", "2023年12月", "达成", "≥1例", "100%完成", "10-20人"]
    ops = ("", "≥", "≤", "=", ">", "<")
    texts += [f"{rng.choice(ops)}{_number(rng)}{rng.choice(UNITS)}" for _ in range(1000)]
    texts += ["12月", "1月K", "٣٤人", "100人 ", " 100人", "100.人", ".5", "≥≥1", "1" * 201, "1" * 200]
    plain = 0
    for text in texts:
        parts = number_cell(text)
        if parts is None:
            continue
        plain += 1
        value = parsed(text)
        assert value == Value(text, Kind.NUMBER, parts[0], parts[1], None, parts[2]), text
        assert repr(value.number) == repr(parts[1]) and value.qualifier == "" and value.year is None
    assert 800 < plain < len(texts) - 1000  # many are plain numbers, many are not
