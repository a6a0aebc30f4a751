"""Where the printed lines of a table cell end.

Renderers fill a cell's lines greedily; two things a reviewer sends back are fixed by choosing where
some lines end (line breaks, SOFT_BREAK, that the importers take out again; the printed words stay the
same): a bracket group broken with a short tail on the next line ("目标管理（22分" / "）", see
``keep_groups``), and — where the renderer has no East Asian line-breaking rules (LibreOffice Calc;
Word, WPS and LibreOffice Writer have them) — a closing punctuation mark at the start of a line or an
opening one at its end ("结余情况" / "。", see ``keep_punctuation``).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
from itertools import accumulate

from core.model import SOFT_BREAK

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2010-\u201f\u2026]")


def text_units(text: str) -> int:
    """Return the printed width of a text: a CJK character counts 2, anything else 1."""
    return len(text) + len(_CJK.findall(text))  # one regex pass, not one match per character


_OPENS = "（(【[〔"  # bracket groups: an opening bracket and its closing one
_CLOSES = "）)】]〕"
NO_START = _CLOSES + "》」』〉〗〙｝”’，。、；：！？,.;:!?%…·"  # never at the start of a line
NO_END = _OPENS + "《「『〈〖〘｛“‘"  # never at the end of a line
_LATIN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%]*")  # a number or word: never broken inside
LATIN_WIDE = 1.25  # digits and letters of a CJK font's own Latin (Noto Serif CJK: 0.6 em, not 0.5)
TAIL_CHARS = 6  # a line that closes a bracket opened on an earlier line has this many characters before it


@functools.lru_cache(maxsize=4096)  # process-wide: a pure function of its text and width
def keep_groups(text: str, usable: float) -> str:
    """Return ``text`` with line breaks so that no printed line is the short tail of a bracket group
    broken on the line before ("目标管理（22分" / "）", "优（党员干部向心力提" / "升）").

    A line ``usable`` units wide (a CJK character 2, anything else 1) is filled greedily as Excel, Word
    and LibreOffice do (no line starts with a closing bracket or punctuation, numbers are not broken).
    Renderers differ: lines one unit narrower and wider, an opening bracket that may end a line
    (LibreOffice Calc) and Latin characters a quarter wider (a CJK font's own digits) are tried too.
    A group split with at most five characters on its last line starts a new line when it fits one
    (the narrowest); a longer group is broken earlier, leaving at least six characters and half the
    group on its last line. The breaks are SOFT_BREAK (the importers take them out again); the printed
    words stay the same, only where lines end moves. Cached: every form prints the same labels.
    """
    least = int(usable) - 1
    if not _OPEN_RE.search(text) or units_of(text, LATIN_WIDE)[-1] <= least:
        return text
    parts: dict[str, _Part] = {}  # measured once: most texts need no break at any width
    widths = sorted({least, least + 1, least + 2, math.floor(usable + max(PLAIN_WIDER))})  # Calc: +1.7
    variants = itertools.product(widths, (True, False), (1.0, LATIN_WIDE))
    for width, glue, latin in variants:
        lines = []
        for text_part in text.split("\n"):
            while True:
                part = parts.get(text_part) or parts.setdefault(text_part, _Part(text_part))
                cut = _group_cut(part, width, least, glue, latin)
                if cut is None:
                    break
                prev = 0
                for end in _line_ends(part, cut, least):  # no short line before the break
                    lines.append(text_part[prev:end] + SOFT_BREAK[0])
                    prev = end
                text_part = text_part[prev:]
            lines.append(text_part)
        text = "\n".join(lines)
    return text


_OPEN_RE = re.compile(f"[{re.escape(_OPENS)}]")
_PUNCT_RE = re.compile(f"[{re.escape(NO_START + NO_END)}]")
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%]*|.", re.DOTALL)  # a number or word is never broken


def units_of(text: str, latin: float = 1) -> list[float]:
    """Return the width units of text[:i] for every i (a character not CJK ``latin`` units)."""
    widths = [latin] * len(text)
    for m in _CJK.finditer(text):
        widths[m.start()] = 2
    at = text.find("\u200b")
    while at >= 0:
        widths[at] = 0
        at = text.find("\u200b", at + 1)
    return list(accumulate(widths, initial=0.0))


def _break_points(text: str, glue: bool = True) -> list[int]:
    """Return where a line may end in a paragraph (0 and len(text) included); an opening bracket ends
    a line only when not ``glue`` (LibreOffice Calc breaks after “（”)."""
    points = [0]
    n = len(text)
    for m in _TOKEN.finditer(text):
        i = m.end()
        if i == n or (text[i] not in NO_START and not (glue and text[i - 1] in _OPENS)):
            points.append(i)
    return points


class _Part:
    """A paragraph measured for line filling: widths, break points and bracket pairs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.units = {1.0: units_of(text), LATIN_WIDE: units_of(text, LATIN_WIDE)}
        self.points = {True: _break_points(text, True), False: _break_points(text, False)}
        self.opened: dict[int, int] = {}  # closing bracket -> its opening one
        stack: list[int] = []
        for i, ch in enumerate(text):
            if ch in _OPENS:
                stack.append(i)
            elif ch in _CLOSES and stack:
                self.opened[i] = stack.pop()

    def closes_after(self, start: int, at: int) -> bool:
        """Return whether the bracket opened at ``start`` closes after ``at`` (``at`` is inside it)."""
        return any(o == start and close >= at for close, o in self.opened.items())


def _group_cut(part: _Part, width: int, least: int, glue: bool = True, latin: float = 1) -> int | None:
    """Return where to break a paragraph (lines ``width`` wide) so that no line is the short tail of
    a bracket group, or None when none is (or no break helps). Fixes fit lines ``least`` wide."""
    text, u, points = part.text, part.units[latin], part.points[glue]
    if u[-1] <= width or not part.opened:
        return None
    starts, prev = [0], 0
    for p in points[1:]:
        if u[p] - u[starts[-1]] > width and prev > starts[-1]:
            starts.append(prev)
        prev = p
    if len(starts) == 1:
        return None
    for close, start in sorted(part.opened.items()):
        line = bisect.bisect_right(starts, close) - 1
        o = start
        if o >= starts[line] or close - starts[line] >= TAIL_CHARS:
            continue
        while o > 0 and text[o - 1] in _OPENS:
            o -= 1
        end = close + 1
        while end < len(text) and text[end] in NO_START:
            end += 1
        own_line = o > starts[bisect.bisect_right(starts, o) - 1]
        if own_line and u[end] - u[o] <= least:
            return o  # the whole group on a line of its own
        want = min(least - 1, max((u[end] - u[o]) / 2, u[end] - u[max(o + 1, close - TAIL_CHARS)]))
        cuts = [p for p in points if o + 1 < p <= close and u[end] - u[p] >= want and u[end] - u[p] <= least]
        if cuts:
            return max(cuts)
        if own_line and u[end] - u[o] <= least + 1:
            return o  # a line of its own that fits all but the narrowest measure: still better
    return None


def _line_ends(part: _Part, cut: int, least: int) -> list[int]:
    """Return the line ends that carry out a chosen break at ``cut`` (inside a bracket group): the
    group's even lines (``_even_group``) where they hold, else those of ``_even_cuts`` and ``cut``."""
    even = _even_group(part, cut, least)
    return even if even is not None else [*_even_cuts(part, cut, least), cut]


def _stub_before(part: _Part, cut: int, least: int) -> bool:
    """Return whether, filled greedily at any of the renderers' widths, the line before a break at
    ``cut`` is shorter than half a line."""
    u, points = part.units[1.0], [p for p in part.points[True] if p <= cut]  # never after "（"
    stub = False
    for width in (least, least + 1, least + 2):  # as wide as the renderers may fill them
        starts, prev = [0], 0
        for p in points[1:]:
            if u[p] - u[starts[-1]] > width and prev > starts[-1]:
                starts.append(prev)
            prev = p
        stub = stub or (len(starts) > 1 and u[cut] - u[starts[-1]] < width / 2)
    return stub


def _even_group(part: _Part, cut: int, least: int) -> list[int] | None:
    """Return the line ends that start the bracket group a break at ``cut`` is inside on a line of its
    own and share its text evenly by the lines it needs at the narrowest width (``least`` units), the
    later lines the longer where two shares are alike: "部门整体支出" / "（中共平凉" / "市委组织部）", not
    "部门整体支出" / "（中共平" / "凉市委组织部）". Only when the line before ``cut`` would be short
    (``_stub_before``) and the paragraph's last line, from the group's last share on, fits; else None
    (a group in brackets of two widths, "(（计划完成时间-实际完成时间)/计划完成时间）", pairs its
    brackets in a way a reader does not)."""
    if not _stub_before(part, cut, least):
        return None
    text, u, points = part.text, part.units[1.0], part.points[True]
    o = _group_start(part, cut)
    if o < 0:
        return None
    close = min(c for c, start in part.opened.items() if start == o and c >= cut)
    end = close + 1
    while end < len(text) and text[end] in NO_START:
        end += 1
    while o > 0 and text[o - 1] in _OPENS:
        o -= 1
    fewest = max(2, math.ceil((u[end] - u[o]) / least))
    for count in range(fewest, fewest + 3):  # a line more where no place a line may end shares it
        out = _shares(u, points, o, close + 1, end, least, count, earlier=True)
        if out is not None:
            return out if u[-1] - u[out[-1]] <= least else None  # the group ends the paragraph's last line
    return None


def _group_start(part: _Part, cut: int) -> int:
    """Return where the bracket group a break at ``cut`` is inside opens, or -1 (none)."""
    text, o = part.text, cut - 1
    while o >= 0 and not (text[o] in _OPENS and part.closes_after(o, cut)):
        o -= 1
    return o


def _shares(
    u: list[float], points: list[int], o: int, stop: int, end: int, least: float, count: int, earlier: bool
) -> list[int] | None:
    """Return the line ends that share the text from ``o`` to ``end`` evenly in ``count`` lines of at
    most ``least`` units, each at a place a line may end before ``stop`` (``o`` itself first unless 0),
    the nearer to an even share the better and, where two are as near, the earlier (``earlier``) or the
    later one; None when some line finds no such place."""
    out = [o] if o > 0 else []
    at = o
    seg = u[end] - u[o]
    for j in range(1, count):
        goal = u[o] + j * seg / count
        fits = [
            p
            for p in points
            if at < p < stop and u[p] - u[at] <= least and u[end] - u[p] <= least * (count - j)
        ]
        if not fits:
            return None
        at = min(fits, key=lambda p: (abs(u[p] - goal), p if earlier else -p))
        out.append(at)
    return out


def _even_cuts(part: _Part, cut: int, least: int) -> list[int]:
    """Return the line ends to add before a chosen break at ``cut`` (inside a bracket group) when,
    filled greedily at any of the renderers' widths, the line before it is shorter than half a line
    ("部门整体支出" / "（中国共产党益" / "阳市" / "委员会组织部）"): the group then starts a line and its text
    before ``cut`` is shared evenly by the lines it needs at the narrowest width (``least`` units):
    "（中国共产" / "党益阳市" / "委员会组织部）", alike at every width. [] when no line is that short."""
    if not _stub_before(part, cut, least):
        return []
    u, points = part.units[1.0], [p for p in part.points[True] if p <= cut]  # never after "（"
    text, o = part.text, _group_start(part, cut)
    if o < 0:
        return []  # a group moved whole to a line of its own: the line before may be short
    while o > 0 and text[o - 1] in _OPENS:
        o -= 1
    count = max(1, math.ceil((u[cut] - u[o]) / least))
    return _shares(u, points, o, cut, cut, least, count, earlier=False) or []


def keep_lines(text: str, usable: float, punctuation: bool = False, label: bool = False) -> str:
    """Return ``text`` with the line breaks ``keep_groups`` chooses and, with ``punctuation`` (a
    renderer without East Asian line-breaking rules), those of ``keep_punctuation``; without it (Word,
    WPS, LibreOffice Writer), those of ``keep_last``. A ``label`` (a form's header or row label, the
    template's words) with no mark is kept from ending in one character too: Calc printed "财政复核得" /
    "分", Word "年度总体目" / "标". A user's text with no mark (a 三级指标, a department's name) is left
    to the renderer: a break chosen inside its words would go with it when it is copied from the sheet."""
    if _OPEN_RE.search(text):
        text = keep_groups(text, usable)
    if punctuation:
        return keep_punctuation(text, usable) if label or _PUNCT_RE.search(text) else text
    return keep_last(text, usable, label)


@functools.lru_cache(maxsize=4096)  # process-wide: a pure function of its text and width
def keep_last(text: str, usable: float, label: bool = False) -> str:
    """Return ``text`` with line breaks so that, filled by a renderer with East Asian line-breaking
    rules (a line never starts with closing punctuation: the character before it moves down with it),
    no paragraph ends in a line of one character and its full stop ("…所以未实" / "施。").

    Where that line is printed at any width a renderer may fill (``usable`` less one unit to one
    more), the paragraph's lines end where the narrowest fills them, its last break moved back so
    that the last line holds two characters or more: "…所以未" / "实施。" at every width.

    A ``label`` with no closing mark ("年度总体目" / "标"), or a label's line the export ended itself
    before a bracket group ("年度预算申" / "请" / "（万元）"), is looked at only as it wraps at ``usable``
    itself (nothing pulls a character down): a label that fits stays whole, one whose lines end well
    keeps them ("投资概算" / "控制率", never "投资概" / "算控" / "制率"); other such text is left alone."""
    least = int(usable) - 1
    if units_of(text, LATIN_WIDE)[-1] <= least:
        return text
    out: list[str] = []
    for whole in text.split("\n"):
        # a line ended by a chosen break may still wrap before it: "年度预算申" / "请" / "（万元）"
        chosen = whole.endswith(SOFT_BREAK[0])
        part = whole[:-1] if chosen else whole
        if len(part) < 2:
            out.append(whole)
            continue
        measured = _Part(part)
        u, points = measured.units[1.0], measured.points[True]
        fills = [_fill(u, points, width) for width in (least, least + 1, least + 2)]
        if not any(len(starts) > 1 and len(part[starts[-1] :].rstrip(NO_START)) <= 1 for starts in fills):
            out.append(whole)
            continue
        marked = chosen or not _PUNCT_RE.search(part)  # no mark to pull a character down
        nominal = fills[1]
        if marked and (not label or len(nominal) == 1 or len(part[nominal[-1] :].rstrip(NO_START)) > 1):
            out.append(whole)
            continue
        ends = (nominal if marked else fills[0])[1:]
        room = [p for p in points if (ends[-2] if len(ends) > 1 else 0) < p <= _last_break(part)]
        if not room:
            out.append(whole)
            continue
        ends[-1] = max(room)
        out.extend(part[a:b] + SOFT_BREAK[0] for a, b in zip([0, *ends], ends, strict=False))
        out.append(whole[ends[-1] :])
    return "\n".join(out)


def _fill(u: list[float], points: list[int], width: float) -> list[int]:
    """Return where the lines of a paragraph start, filled greedily ``width`` units wide and ended
    only at ``points``."""
    starts, prev = [0], 0
    for p in points[1:]:
        if u[p] - u[starts[-1]] > width and prev > starts[-1]:
            starts.append(prev)
        prev = p
    return starts


PLAIN_WIDER = (1, 2, 0)  # LibreOffice Calc fills a line 1.5 units wider than ``usable`` (its padding)
PLAIN_SCALE = 1.06  # and a long one up to 6 % wider (003's 目标 9: 88 units on 85, 004's 88 on 84)


def plain_widths(usable: float) -> list[float]:
    """Return the line widths a renderer without line-breaking rules may fill a cell ``usable`` wide
    to: PLAIN_WIDER's and, a unit apart, those up to PLAIN_SCALE of it."""
    out = [usable + d for d in PLAIN_WIDER]
    extra = max(PLAIN_WIDER) + 1
    while extra <= usable * (PLAIN_SCALE - 1):
        out.append(usable + extra)
        extra += 1
    return out


SHORT_LINE = 0.4  # a line ended by a chosen break at less than this share of the width reads as a stub


@functools.lru_cache(maxsize=4096)  # process-wide: a pure function of its text and width
def keep_punctuation(text: str, usable: float) -> str:
    """Return ``text`` with line breaks so that, filled by a renderer that may break a line before
    any character (LibreOffice Calc), no line starts with closing punctuation ("结余情况" / "。") and
    none ends with an opening bracket or quote, and none is the one-character end of its paragraph
    ("（单位）名" / "称").

    A line that would start with "。" ends one character earlier instead ("结余情" / "况。"), as Word
    itself does. Renderers differ (plain_widths): the lines are fixed for each of those widths in turn
    and a set of breaks kept only when it leaves fewer such lines over all of them, stubs (a line
    ended by a chosen break at less than SHORT_LINE of the width) counted too.
    """
    if units_of(text, LATIN_WIDE)[-1] <= usable:
        return text
    variants = plain_widths(usable)
    best, cost = text, _badness(text, variants)
    for width in [*variants, None]:  # each width's fixes, then those that keep the widths alike
        if not cost:
            break
        fixed = _fix_all(text, width) if width is not None else _fix_synced(text, variants)
        fixed_cost = _badness(fixed, variants)
        if fixed_cost < cost:
            best, cost = fixed, fixed_cost
    return best


def _fix_synced(text: str, widths: list[float]) -> str:
    """Break ``text`` so that its lines start alike at every width of ``widths``: before a line that
    would start with closing punctuation (or after one ending with an opening mark) at any of them,
    the lines up to it end where the narrowest width ends them (each at a place a line may end), so
    the wider renderers print those same lines and the next starts alike for all.

    Fixing one width's bad line can make another's (001: "…坚持德才兼" / "备、…做好教育" / "、引导…" at
    the widest, while ending its second line before "育" leaves "教" alone at the narrower ones)."""
    narrow = min(widths)
    out: list[str] = []
    for part in text.split("\n"):
        while True:
            first = _first_bad(part, widths)
            if first is None:
                break
            ends = _legal_ends(part, narrow, max(1, first - 1))  # then see whether the rest agrees
            if not ends:
                break
            out.extend(part[a:b] + SOFT_BREAK[0] for a, b in zip([0, *ends], ends, strict=False))
            part = part[ends[-1] :]
        out.append(part)
    return "\n".join(out)


def _first_bad(part: str, widths: list[float]) -> int | None:
    """Return the fewest lines before a line that starts with closing punctuation or follows one
    ending with an opening mark, or a last line of one character (``_orphan``), at any of ``widths``
    (None: no such line at any)."""
    found = None
    for width in widths:
        starts = _plain_starts(part, width)
        for k, s in enumerate(starts[1:], 1):
            if (
                part[s] in NO_START
                or part[s - 1] in NO_END
                or (k == len(starts) - 1 and _orphan(part, starts))
            ):
                found = k if found is None else min(found, k)
                break
    return found


def _legal_ends(part: str, width: float, lines: int) -> list[int]:
    """Return where the first ``lines`` lines of a paragraph end when each is filled up to ``width``
    units and ended only where a renderer with line-breaking rules may end a line (``_legal``)."""
    u = _plain_units(part)
    ends: list[int] = []
    start = 0
    for _ in range(lines):
        last = min(len(part) - 1, _last_break(part))
        fits = (q for q in range(last, start, -1) if u[q] - u[start] <= width and _legal(part, q))
        q = next(fits, None)
        if q is None:
            break
        ends.append(q)
        start = q
    return ends


def _fix_all(text: str, width: float) -> str:
    """Break ``text`` before every line (``width`` units wide) that would start with closing
    punctuation or end with an opening mark: at the nearest place before it a line may end."""
    out = []
    for part in text.split("\n"):
        while True:
            cut = _first_cut(part, width)
            if cut is None:
                break
            out.append(part[:cut] + SOFT_BREAK[0])
            part = part[cut:]
        out.append(part)
    return "\n".join(out)


_PLAIN_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.%/\-]*|.", re.DOTALL)  # "10%-20%" stays whole


PERCENT_WIDE = 1.7  # "%" in a CJK font's own Latin is wider than a digit (Noto Serif CJK: 0.85 em)


def _plain_units(part: str) -> list[float]:
    """Return the width units of part[:i] for every i, "%" PERCENT_WIDE (as units_of otherwise)."""
    if "%" not in part:
        return units_of(part)
    widths = [PERCENT_WIDE if ch == "%" else 0.0 if ch == SOFT_BREAK[0] else 1.0 for ch in part]
    for m in _CJK.finditer(part):
        widths[m.start()] = 2
    return list(accumulate(widths, initial=0.0))


def _plain_starts(part: str, width: float) -> list[int]:
    """Return where the lines of a paragraph start when filled ``width`` units wide by a renderer
    without East Asian line-breaking rules (a line may start with any character, numbers and words
    stay whole)."""
    u = _plain_units(part)
    starts, prev = [0], 0
    for m in _PLAIN_TOKEN.finditer(part):
        p = m.end()
        if u[p] - u[starts[-1]] > width and prev > starts[-1]:
            starts.append(prev)
        prev = p
    return starts


def _bad_lines(part: str, starts: list[int], width: float) -> int:
    """Count the lines of a paragraph that start with closing punctuation or end with an opening mark,
    and a last line ended by a chosen break that is a stub."""
    bad = sum(1 for s in starts[1:] if part[s] in NO_START or part[s - 1] in NO_END)
    if part.endswith(SOFT_BREAK[0]):
        u = _plain_units(part)
        bad += u[-1] - u[starts[-1]] < SHORT_LINE * width
    elif _orphan(part, starts):
        bad += 1
    return bad


def _orphan(part: str, starts: list[int]) -> bool:
    """Return whether a wrapped paragraph's last line is one character ("（单位）名" / "称"), closing
    punctuation after it aside ("…项目总数×" / "8。")."""
    if len(starts) < 2 or part.endswith(SOFT_BREAK[0]):
        return False
    return len(part[starts[-1] :].rstrip(NO_START)) <= 1


def _badness(text: str, widths: list[float]) -> int:
    total = 0
    chosen = False  # the paragraph before ended by a chosen break
    for part in text.split("\n"):
        for width in widths:
            starts = _plain_starts(part, width)
            total += _bad_lines(part, starts, width)
            total += chosen and len(starts) == 1 and len(part.rstrip(NO_START)) <= 1  # "…完成时" / "间）"
        chosen = part.endswith(SOFT_BREAK[0])
    return total


def _last_break(part: str) -> int:
    """Return the last place a chosen break may end a line: two characters, closing punctuation after
    them aside, left for the last ("…计划完成" / "时间）", never "…计划完成时" / "间）")."""
    return len(part.rstrip(NO_START)) - 2


_TOKEN_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.%/-")
_WORD_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _inside_token(part: str, q: int) -> bool:
    """Return whether part[q] continues a number or word of ``_PLAIN_TOKEN`` begun before it: "67.5%"
    is one token, so no line ends before its "5" (two characters looked at alone, ".5" is not one)."""
    if part[q] not in _TOKEN_CHARS:
        return False
    i = q - 1
    while i >= 0 and part[i] in _TOKEN_CHARS:
        if part[i] in _WORD_CHARS:
            return True  # the token began at or before part[i] and runs on through part[q]
        i -= 1
    return False


def _legal(part: str, q: int) -> bool:
    """Return whether a renderer with line-breaking rules may end a line before part[q]."""
    return part[q] not in NO_START and part[q - 1] not in NO_END and not _inside_token(part, q)


def _first_cut(part: str, width: float) -> int | None:
    """Return where to break a paragraph so that its first bad line (``width`` units wide) is not —
    one starting with closing punctuation, one after a line ending with an opening mark, a last line
    of one character: the nearest place before that line's start a line may end; None when no line
    is bad or no such place is on the line before."""
    starts = _plain_starts(part, width)
    for i, (prev, s) in enumerate(zip(starts, starts[1:], strict=False)):
        if part[s] in NO_START or part[s - 1] in NO_END or (i == len(starts) - 2 and _orphan(part, starts)):
            q = next((q for q in range(min(s - 1, _last_break(part)), prev, -1) if _legal(part, q)), None)
            if q is not None:
                return q
    return None
