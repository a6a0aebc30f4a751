"""Which cells of an .xls (BIFF8) workbook show their number as a percentage, which formulas
were saved without a result, and which rows and columns are hidden.

calamine gives an .xls cell's value without its number format: 100% typed into a 得分系数 or 完成率
cell is the number 1, 96.81% is 0.9681, and read as such they are 1% and 0.9681. This reads the
formats itself, from the workbook stream of the compound file: the FORMAT and XF records of the
workbook globals, and the cell records (NUMBER, RK, MULRK, FORMULA) of each worksheet, each naming
its XF. Only that; values still come from calamine. Anything it cannot follow (a damaged or
encrypted file, BIFF5 and older, a stream cut short) gives None, and the reader goes on without
formats as before (the recogniser then asks about numbers ≤ 1 beside percentage targets).

A program that writes .xls (xlwt and the like) saves each formula with an empty result for Excel to
compute on opening; calamine reads such a cell as blank. When no formula of the workbook has a
result saved (Excel saves every one), those cells are named as formulas without a result.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from core.importers.readers import shown_format  # a format printing a word with the number (0"人")

BIFF8 = 0x0600
FREE = 0xFFFFFFFA  # a sector number at or above this ends a chain (end of chain, free, FAT, DIFAT)
PERCENT_BUILTIN = frozenset({9, 10})  # 0%, 0.00%
LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, an escaped character, [colour]/[locale]

BOF, EOF, FORMAT, XF, BOUNDSHEET, FILEPASS = 0x0809, 0x000A, 0x041E, 0x00E0, 0x0085, 0x002F
NUMBER, RK, MULRK, FORMULA = 0x0203, 0x027E, 0x00BD, 0x0006
ROW, COLINFO = 0x0208, 0x007D
ROW_HIDDEN, COLUMN_HIDDEN = 0x0020, 0x0001  # a ROW record's fDyZero, a COLINFO record's fHidden

Cells = dict[str, set[tuple[int, int]]]


@dataclass
class Formats:
    """Per worksheet name: the number cells formatted as a percentage, the formula cells saved
    with no result (only when the workbook has no formula result at all), and the hidden rows and
    columns (which calamine does not give for an .xls)."""

    percent: Cells = field(default_factory=dict)
    unsaved: Cells = field(default_factory=dict)
    hidden_rows: dict[str, set[int]] = field(default_factory=dict)
    hidden_cols: dict[str, set[int]] = field(default_factory=dict)
    units: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # 0"人": the word shown


class _Bad(Exception):
    """A structure that does not read: no formats from this file."""


def _stream(data: bytes, wanted: tuple[str, ...]) -> bytes:
    """The first of the ``wanted`` streams of a compound (OLE) file."""
    if len(data) < 512 or data[:8] != bytes.fromhex("d0cf11e0a1b11ae1"):
        raise _Bad("not a compound file")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise _Bad("sector size")
    size = 1 << shift
    sectors = (len(data) - 512) // size
    first_dir, cutoff, first_mini, _mini_count, first_difat, difat_count = struct.unpack_from(
        "<I4xIIIII", data, 0x30
    )

    def sector(n: int) -> bytes:
        if n >= sectors:
            raise _Bad(f"sector {n}")
        return data[512 + n * size : 512 + (n + 1) * size]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    at = first_difat
    for _ in range(min(difat_count, sectors)):
        if at >= FREE:
            break
        block = sector(at)
        difat.extend(struct.unpack_from(f"<{size // 4 - 1}I", block))
        at = struct.unpack_from("<I", block, size - 4)[0]
    fat: list[int] = []
    for n in difat:
        if n < FREE:
            fat.extend(struct.unpack(f"<{size // 4}I", sector(n)))

    def chain(start: int, table: list[int]) -> list[int]:
        out: list[int] = []
        while start < FREE:
            if start >= len(table) or len(out) > len(table):
                raise _Bad("chain")
            out.append(start)
            start = table[start]
        return out

    directory = b"".join(sector(n) for n in chain(first_dir, fat))
    entries = {}
    root_start = FREE
    for at in range(0, len(directory) - 127, 128):
        length, kind = struct.unpack_from("<HB", directory, at + 64)
        start, stream_size = struct.unpack_from("<II", directory, at + 116)
        if kind == 5:
            root_start = start
        elif kind == 2 and 2 <= length <= 64:
            entries[directory[at : at + length - 2].decode("utf-16-le", "replace")] = (start, stream_size)
    name = next((n for n in wanted if n in entries), None)
    if name is None:
        raise _Bad("no workbook stream")
    start, stream_size = entries[name]
    if stream_size >= cutoff:
        return b"".join(sector(n) for n in chain(start, fat))[:stream_size]
    minifat = [v for n in chain(first_mini, fat) for v in struct.unpack(f"<{size // 4}I", sector(n))]
    mini = b"".join(sector(n) for n in chain(root_start, fat))
    return b"".join(mini[n * 64 : (n + 1) * 64] for n in chain(start, minifat))[:stream_size]


def _records(stream: bytes, at: int) -> list[tuple[int, bytes]]:
    """The records of one substream (BOF … EOF) starting at ``at``."""
    out: list[tuple[int, bytes]] = []
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4 : at + 4 + length]
        if len(body) < length:
            raise _Bad("record cut short")
        out.append((kind, body))
        at += 4 + length
        if kind == EOF:
            return out
    raise _Bad("no EOF")


def _text(body: bytes, at: int, count_size: int) -> str:
    """An XLUnicodeString (or its short form) at ``at``."""
    count = body[at] if count_size == 1 else struct.unpack_from("<H", body, at)[0]
    flags = body[at + count_size]
    at += count_size + 1
    if flags & 0x08:
        at += 2  # rich text runs count
    if flags & 0x04:
        at += 4  # phonetic block size
    if flags & 0x01:
        return body[at : at + 2 * count].decode("utf-16-le", "replace")
    return body[at : at + count].decode("latin-1")


def formats(data: bytes) -> Formats | None:
    """The percentage cells and the formulas without results of an .xls (``Formats``); None when the
    file's structure cannot be followed."""
    try:
        stream = _stream(data, ("Workbook", "Book"))
        globals_ = _records(stream, 0)
        if not globals_ or globals_[0][0] != BOF or struct.unpack_from("<H", globals_[0][1])[0] != BIFF8:
            return None
        percent_formats = set(PERCENT_BUILTIN)
        unit_formats: dict[int, str] = {}
        xf_formats: list[int] = []
        sheets: list[tuple[str, int]] = []
        for kind, body in globals_:
            if kind == FILEPASS:
                return None
            if kind == FORMAT:
                index = struct.unpack_from("<H", body)[0]
                code = _text(body, 2, 2)
                if shown_format(code):
                    unit_formats[index] = code
                elif "%" in LITERALS.sub("", code):
                    percent_formats.add(index)
            elif kind == XF:
                xf_formats.append(struct.unpack_from("<H", body, 2)[0])
            elif kind == BOUNDSHEET:
                offset, _state, sheet_type = struct.unpack_from("<IBB", body)
                if sheet_type == 0:
                    sheets.append((_text(body, 6, 1), offset))
        percent_xf = {i for i, f in enumerate(xf_formats) if f in percent_formats}
        unit_xf = {i: unit_formats[f] for i, f in enumerate(xf_formats) if f in unit_formats}
        out = Formats()
        any_result = False
        for name, offset in sheets:
            found: set[tuple[int, int]] = set()
            empty: set[tuple[int, int]] = set()
            rows, cols = out.hidden_rows.setdefault(name, set()), out.hidden_cols.setdefault(name, set())
            units = out.units.setdefault(name, {})
            for kind, body in _records(stream, offset):
                if kind == ROW and len(body) >= 14:
                    if struct.unpack_from("<H", body, 12)[0] & ROW_HIDDEN:
                        rows.add(struct.unpack_from("<H", body)[0])
                elif kind == COLINFO and len(body) >= 10:
                    first, last, _width, _xf, flags = struct.unpack_from("<HHHHH", body)
                    if flags & COLUMN_HIDDEN:
                        cols.update(range(first, min(last, 255) + 1))
                elif kind in (NUMBER, RK, FORMULA) and len(body) >= 6:
                    row, col, xf = struct.unpack_from("<HHH", body)
                    if xf in percent_xf:
                        found.add((row, col))
                    elif xf in unit_xf:
                        units[(row, col)] = unit_xf[xf]
                    if kind == FORMULA and len(body) >= 14:
                        if body[12:14] == b"\xff\xff" and body[6] == 3:  # a blank result
                            empty.add((row, col))
                        else:
                            any_result = True
                elif kind == MULRK and len(body) >= 6:
                    row, first = struct.unpack_from("<HH", body)
                    for i in range((len(body) - 6) // 6):
                        xf = struct.unpack_from("<H", body, 4 + 6 * i)[0]
                        if xf in percent_xf:
                            found.add((row, first + i))
                        elif xf in unit_xf:
                            units[(row, first + i)] = unit_xf[xf]
            out.percent[name], out.unsaved[name] = found, empty
        if any_result:  # Excel saved them: a blank result is a formula giving "" (=IF(…,"",…))
            out.unsaved = {}
        return out
    except (_Bad, struct.error, IndexError, ValueError):
        return None


USER_DEFINED = bytes.fromhex("05d5cdd59c2e1b10939708002b2cf9ae")  # DocumentSummaryInformation's 2nd section
VT_I2, VT_LPSTR, VT_LPWSTR = 0x02, 0x1E, 0x1F
PROPERTY_STREAM = "\x05DocumentSummaryInformation"


def _codec(codepage: int) -> str:
    return {1200: "utf-16-le", 65001: "utf-8", 936: "gb18030", 0: "gb18030"}.get(codepage, f"cp{codepage}")


def custom_properties(data: bytes) -> dict[str, str]:
    """The text custom properties (文件 → 属性 → 自定义) of a compound file (.xls): Excel, WPS and
    LibreOffice keep a workbook's custom properties there when they save it as .xls. Empty when it
    has none or they cannot be read."""
    try:
        stream = _stream(data, (PROPERTY_STREAM,))
        sections = struct.unpack_from("<I", stream, 24)[0]
        start = next(
            struct.unpack_from("<I", stream, 28 + 20 * i + 16)[0]
            for i in range(min(sections, 4))
            if stream[28 + 20 * i : 28 + 20 * i + 16] == USER_DEFINED
        )
        count = struct.unpack_from("<I", stream, start + 4)[0]
        places = dict(struct.unpack_from("<II", stream, start + 8 + 8 * i) for i in range(min(count, 10_000)))
        codepage = 1252
        if 1 in places and struct.unpack_from("<H", stream, start + places[1])[0] == VT_I2:
            codepage = struct.unpack_from("<H", stream, start + places[1] + 4)[0]
        codec = _codec(codepage)
        names: dict[int, str] = {}
        if 0 in places:  # the dictionary: property id → name
            at = start + places[0]
            for _ in range(struct.unpack_from("<I", stream, at)[0]):
                pid, length = struct.unpack_from("<II", stream, at + 4)
                size = length * 2 if codepage == 1200 else length
                names[pid] = stream[at + 12 : at + 12 + size].decode(codec, "replace").rstrip("\0")
                at += 8 + (size + 3) // 4 * 4 if codepage == 1200 else 8 + size
        out: dict[str, str] = {}
        for pid, offset in places.items():
            if pid < 2 or pid not in names:
                continue
            kind, length = struct.unpack_from("<II", stream, start + offset)
            body = stream[start + offset + 8 :]
            if kind == VT_LPSTR:
                out[names[pid]] = body[:length].decode(codec, "replace").rstrip("\0")
            elif kind == VT_LPWSTR:
                out[names[pid]] = body[: length * 2].decode("utf-16-le", "replace").rstrip("\0")
        return out
    except (_Bad, StopIteration, struct.error, IndexError, ValueError, LookupError):
        return {}
