"""The numbers Word prints before the paragraphs of its lists (项目符号和编号: 1. 2. 3., （一）, 一、, ①):
not in the paragraph's text but worked out from word/numbering.xml, as Word shows them.

A paragraph is in a list by its w:numPr (or its style's): a list instance (w:num → w:abstractNum, with
overrides) and a level (w:ilvl). Each level has a start, a number format (w:numFmt: decimal,
chineseCounting 一二三, decimalEnclosedCircle ①②③ …) and a text (w:lvlText "%1." or "（%1）", "%1.%2"
naming the levels' numbers). Word counts by the abstract list: instances of one list continue each
other's numbers unless one restarts a level (w:lvlOverride/w:startOverride); a level restarts after a
higher level's next number (unless its w:lvlRestart says otherwise). Bullets are left out (a mark, not
a number a reader needs)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
LEVELS = 9
MAX_START = 32767  # Word's largest start value (a damaged file's larger one would print a huge number)


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def _val(node: Any, default: str = "") -> str:
    return node.get(_w("val"), default) if node is not None else default


def _int(node: Any, default: int) -> int:
    try:
        return int(_val(node, str(default)))
    except ValueError:
        return default


_DIGITS = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def chinese(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    """一 … 九, 十, 十一, 二十, 一百零一 (Word's chineseCounting), up to 9999; 壹拾 in the legal
    numerals (``digits`` _LEGAL, ``units`` 拾佰仟)."""
    if not 0 < n < 10000:
        return str(n)
    out = ""
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = n // power % 10
        if digit:
            if zero and out:
                out += digits[0]
            out += digits[digit] + unit
            zero = False
        else:
            zero = True
    if digits is _DIGITS and out.startswith("一十"):
        out = out[1:]  # 十一, not 一十一
    return out


def _letters(n: int) -> str:
    """A, B … Z, AA, BB … (Word repeats the letter); a number past 780 (ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ)
    in digits, as a damaged list's start should not print a thousand letters."""
    return chr(65 + (n - 1) % 26) * ((n - 1) // 26 + 1) if 0 < n <= 780 else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def number_in(fmt: str, n: int) -> str:
    """``n`` printed in the Word number format ``fmt`` (an unknown one: decimal, as Word falls back)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return chinese(n, _LEGAL, "拾佰仟")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and 0 < n <= 12:
        return _BRANCHES[n - 1]
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # w:lvlText ("%1."); None: the level prints nothing
    restart: int | None = None  # w:lvlRestart: restarts after this (1-based) level only; 0: never
    legal: bool = False  # w:isLgl: every level's number in decimal
    suffix: str = "tab"


def _number_format(lvl: Any) -> str:
    """A level's w:numFmt: its own, or the plain one Word keeps for older readers beside a newer
    format (mc:AlternateContent: Choice "custom" 001, 002 …; Fallback decimalZero)."""
    node = lvl.find(_w("numFmt"))
    if node is None:
        node = lvl.find(f".//{{{MC_NS}}}Fallback/{_w('numFmt')}")
    return _val(node, "decimal")


def _level(lvl: Any) -> Level:
    text = lvl.find(_w("lvlText"))
    restart = lvl.find(_w("lvlRestart"))
    return Level(
        start=max(0, min(_int(lvl.find(_w("start")), 1), MAX_START)),
        fmt=_number_format(lvl),
        text=text.get(_w("val")) if text is not None else None,
        restart=_int(restart, 1) if restart is not None else None,
        legal=lvl.find(_w("isLgl")) is not None and _val(lvl.find(_w("isLgl")), "1") not in ("0", "false"),
        suffix=_val(lvl.find(_w("suff")), "tab"),
    )


class Numbering:
    """A document's lists, counting its numbered paragraphs in reading order (``label``)."""

    def __init__(self, numbering: Any | None, styles: Any | None = None) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.links: dict[str, str] = {}  # abstractNum → the list style it takes its levels from
        self.nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.restarted: set[tuple[str, int]] = set()
        self.style_numbers: dict[str, tuple[str, int | None]] = {}  # paragraph style → (numId, ilvl)
        self.style_base: dict[str, str] = {}
        if numbering is not None:
            for node in numbering.iterchildren(_w("abstractNum")):
                key = node.get(_w("abstractNumId"), "")
                self.abstract[key] = {_int_attr(lvl): _level(lvl) for lvl in node.iterchildren(_w("lvl"))}
                link = node.find(_w("numStyleLink"))
                if link is not None:
                    self.links[key] = _val(link)
            for node in numbering.iterchildren(_w("num")):
                starts: dict[int, int] = {}
                levels: dict[int, Level] = {}
                for override in node.iterchildren(_w("lvlOverride")):
                    level = _int_attr(override)
                    start = override.find(_w("startOverride"))
                    if start is not None:
                        starts[level] = max(0, min(_int(start, 1), MAX_START))
                    lvl = override.find(_w("lvl"))
                    if lvl is not None:
                        levels[level] = _level(lvl)
                        if start is None and lvl.find(_w("start")) is not None:
                            starts[level] = levels[level].start
                self.nums[node.get(_w("numId"), "")] = (_val(node.find(_w("abstractNumId"))), starts, levels)
        if styles is not None:
            for style in styles.iterchildren(_w("style")):
                style_id = style.get(_w("styleId"), "")
                num = style.find(f"{_w('pPr')}/{_w('numPr')}")
                if num is not None:
                    ilvl = num.find(_w("ilvl"))
                    self.style_numbers[style_id] = (
                        _val(num.find(_w("numId"))),
                        _int(ilvl, 0) if ilvl is not None else None,
                    )
                base = style.find(_w("basedOn"))
                if base is not None:
                    self.style_base[style_id] = _val(base)

    def __bool__(self) -> bool:
        return bool(self.nums)

    def _style_number(self, style_id: str) -> tuple[str, int | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self.style_numbers:
                return self.style_numbers[style_id]
            style_id = self.style_base.get(style_id, "")
        return "", None

    def _levels(self, abstract: str) -> dict[int, Level]:
        levels = self.abstract.get(abstract, {})
        link = self.links.get(abstract)
        if not levels and link:  # a list style's list: the levels of the list its style numbers with
            num_id, _ = self._style_number(link)
            linked = self.nums.get(num_id)
            if linked is not None and linked[0] != abstract:
                return self.abstract.get(linked[0], {})
        return levels

    def label(self, p: Any) -> str:
        """The number Word prints before paragraph ``p`` (counted: call once a paragraph, in order),
        with the space after it when the number does not end in a mark; "" when it has none (or a
        damaged list's cannot be worked out: the paragraph's text is read without it)."""
        try:
            return self._label(p)
        except (ValueError, TypeError, KeyError, IndexError, OverflowError):
            return ""

    def _label(self, p: Any) -> str:
        ppr = p.find(_w("pPr"))
        num_pr = ppr.find(_w("numPr")) if ppr is not None else None
        style_id = _val(ppr.find(_w("pStyle"))) if ppr is not None else ""
        num_id, ilvl = self._style_number(style_id) if self.style_numbers else ("", None)
        if num_pr is not None:
            own = num_pr.find(_w("numId"))
            if own is not None:
                num_id = _val(own)
            own_level = num_pr.find(_w("ilvl"))
            if own_level is not None:
                ilvl = _int(own_level, 0)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        level = max(0, min(ilvl or 0, LEVELS - 1))
        abstract, starts, overridden = self.nums[num_id]
        levels = {**self._levels(abstract), **overridden}
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract, [None] * LEVELS)
        if level in starts and (num_id, level) not in self.restarted:
            self.restarted.add((num_id, level))
            counters[level] = None
            levels[level] = replace(levels[level], start=starts[level])
        current = counters[level]
        counters[level] = levels[level].start if current is None else current + 1
        for deeper in range(level + 1, LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or level + 1 <= restart:  # (0: never)
                counters[deeper] = None
        this = levels[level]
        if this.text is None or this.fmt == "bullet":
            return ""
        text = this.text
        for n in range(LEVELS, 0, -1):  # %10 does not exist; %1 … %9
            mark = f"%{n}"
            if mark not in text:
                continue
            at = levels.get(n - 1, Level())
            value = counters[n - 1] if counters[n - 1] is not None else at.start
            fmt = "decimal" if this.legal and n - 1 != level else at.fmt
            text = text.replace(mark, number_in(fmt, value or 0))
        if not text.strip() or this.suffix == "nothing":
            return text
        return text if text[-1] in "、.．:：)）]】>》" or "\u2460" <= text[-1] <= "\u2473" else text + " "


def _int_attr(node: Any) -> int:
    try:
        return max(0, min(int(node.get(_w("ilvl"), "0")), LEVELS - 1))
    except ValueError:
        return 0
