"""Read .xlsx, .xls, Excel 2003 XML (SpreadsheetML) and .docx into ``Grid`` objects.

Libraries (see README): python-calamine (Rust, reads .xlsx and .xls fast and gives merged
ranges and sheet visibility, does not trust the sheet's stored dimension, so WPS files
with a wrong size read whole); a small scan of the .xlsx sheet XML adds what calamine does
not give (hidden rows, formulas with no saved result); defusedxml for SpreadsheetML;
python-docx for Word. Macros are never run: no library here executes anything.
The file's real format is found from its first bytes, not its name.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from core.importers.formulas import compute_missing, formula_strings, r1c1_to_a1
from core.importers.numbering import Numbering

if TYPE_CHECKING:
    from core.importers.biff import Formats
from core.importers.grid import SHEET, TABLE, Grid, Source
from core.model import BREAK_STYLE_IDS, BREAKS_PROPERTY, SOFT_BREAK

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_CELLS = 5_000_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
WORD_MARK = "WordDocument".encode("utf-16-le")  # the main stream of a .doc and of a WPS 文字 .wps
EXCEL_MARKS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
SS_NS = "urn:schemas-microsoft-com:office:spreadsheet"
X_NS = "urn:schemas-microsoft-com:office:excel"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
KIND_NAMES = {"xlsx": ".xlsx", "xls": ".xls", "xml": "Excel 2003 XML", "docx": ".docx"}

Progress = Callable[[str], None]


class ReadError(Exception):
    """A file that cannot be read; the message is one Chinese sentence."""


def number_text(value: Any) -> str:
    """Print a number read from a file without float noise (709.47, 1, 0.8661). A float keeps the
    15 significant digits Excel and WPS show: a saved sum of 709.47 + 0.03 is 709.5000000000001 in
    the file and 709.5 on the screen."""
    if isinstance(value, bool):
        return "是" if value else "否"
    try:
        if isinstance(value, float):
            text = repr(value)  # (short for most numbers: only a long one needs rounding)
            number = Decimal(text if len(text) <= 15 else format(value, ".15g"))
        else:
            number = Decimal(value)
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return ""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# Characters nobody sees that come with text pasted from web pages and chat programs (zero-width
# space, byte order mark, soft hyphen …): "年初预算数\u200b" is 年初预算数 to the reader.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"))
_INVISIBLE_RE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")


def visible(text: str) -> str:
    """``text`` without the characters nobody sees."""
    return text.translate(INVISIBLE) if _INVISIBLE_RE.search(text) else text


# Control characters a cell can hold but no one typed: text pasted from Word brings its manual line
# break (Shift+Enter) as a vertical tab, shown as _x000B_ or a box; the others are debris of old
# programs. The vertical tab and the form feed are line breaks; the rest are dropped (Excel, WPS and
# XML cannot even store most of them, so no export or 一体化 file could be written with them).
UNSEEN = {
    **INVISIBLE,
    **dict.fromkeys(range(0x00, 0x09)),
    **dict.fromkeys(range(0x0E, 0x20)),
    0x7F: None,
    0x0B: "\n",
    0x0C: "\n",
}
_UNSEEN_RE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cell_text(value: Any) -> tuple[str, bool]:
    """Return (text, was a number) for one cell value as a library gives it (without the line breaks
    an export put in only to end its printed lines, and without characters nobody sees)."""
    if type(value) is str:
        text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
        text = text.replace(SOFT_BREAK, "") if SOFT_BREAK in text else text
        return (text.translate(UNSEEN) if _UNSEEN_RE.search(text) else text), False
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("是" if value else "否"), False
    if isinstance(value, int | float | Decimal):
        return number_text(value), True
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat(), False
        return value.isoformat(sep=" "), False
    if isinstance(value, date):
        return value.isoformat(), False
    return str(value).replace("\r\n", "\n").replace("\r", "\n"), False


def _cfb_names(fh: BinaryIO) -> set[str] | None:
    """The stream and storage names of a compound (OLE) file, read from its directory wherever it is
    (a writer may put it at the end, past any fixed look-ahead), or None when the header is damaged."""
    fh.seek(0)
    header = fh.read(512)
    if len(header) < 512:
        return None
    shift = int.from_bytes(header[0x1E:0x20], "little")
    if shift not in (9, 12):
        return None
    size = 1 << shift
    per = size // 4
    fh.seek(0, 2)
    sectors = max(0, fh.tell() // size - 1)

    def sector(n: int, at: int = 0, length: int = 0) -> bytes:
        if n >= sectors:
            raise ValueError(n)
        fh.seek((n + 1) * size + at)
        block = fh.read(length or size)
        if len(block) < (length or size):
            raise ValueError(n)
        return block

    difat = [int.from_bytes(header[0x4C + 4 * i : 0x50 + 4 * i], "little") for i in range(109)]
    more = int.from_bytes(header[0x44:0x48], "little")
    try:
        for _ in range(min(sectors, 100_000)):  # the FAT's further sectors: a chain of DIFAT sectors
            if more >= sectors:
                break
            block = sector(more)
            difat.extend(int.from_bytes(block[i : i + 4], "little") for i in range(0, size - 4, 4))
            more = int.from_bytes(block[size - 4 :], "little")
    except (ValueError, OSError):
        return None

    def fat_next(n: int) -> int:
        if n // per >= len(difat):
            raise ValueError(n)
        return int.from_bytes(sector(difat[n // per], (n % per) * 4, 4), "little")

    names: set[str] = set()
    current = int.from_bytes(header[0x30:0x34], "little")
    try:
        for _ in range(10_000):
            if current >= 0xFFFFFFFA:
                break
            block = sector(current)
            for at in range(0, size, 128):
                length = int.from_bytes(block[at + 64 : at + 66], "little")
                if 2 <= length <= 64 and block[at + 66] in (1, 2, 5):
                    names.add(block[at : at + length - 2].decode("utf-16-le", "replace"))
            current = fat_next(current)
    except (ValueError, OSError):
        return names or None
    return names


def _zip_names(path: Path) -> set[str] | None:
    try:
        with zipfile.ZipFile(path) as zf:
            return set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def sniff(path: Path) -> str:
    """Return the real format of a file from its first bytes: xlsx, docx, xls, xml, html, csv, doc,
    encrypted, ppt, badzip, zip, nul or ""."""
    with path.open("rb") as fh:
        head = fh.read(4096)
        if head.startswith(OLE_MAGIC):
            names = _cfb_names(fh)
            if names is None:  # a damaged header: look for the names near the start
                fh.seek(0)
                start = fh.read(1 << 20)
                marks = (ENCRYPTED_MARK, WORD_MARK, *EXCEL_MARKS)
                names = {m.decode("utf-16-le") for m in marks if m in start}
            if names & {"EncryptionInfo", "EncryptedPackage"}:
                return "encrypted"
            if "WordDocument" in names and not names & {"Workbook", "Book"}:
                return "doc"
            if "PowerPoint Document" in names:
                return "ppt"
            return "xls"
    if head.startswith(b"PK\x03\x04"):
        names = _zip_names(path)
        if names is None:
            return "badzip"
        names = {n.replace("\\", "/") for n in names}
        if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if "ppt/presentation.xml" in names:
            return "ppt"
        return "zip"
    if head and not head.strip(b"\0"):
        return "nul"
    if head.startswith(UTF16_BOMS):  # a UTF-16 XML or web page: its text looked at as the others'
        head = head[: len(head) // 2 * 2].decode("utf-16", "replace").encode("utf-8")
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if SS_NS.encode() in head or (text.startswith(b"<?xml") and b"workbook" in head.lower()):
        return "xml"
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        return "html"
    if text.startswith(b"{\\rtf"):  # RTF, as WordPad and many systems write a ".doc"
        return "rtf"
    if text.startswith(b"mime-version:") or b"\nmime-version:" in text[:2048]:  # 单个文件网页 (.mht)
        return "mht"
    if b"<w:worddocument" in text or b'progid="word.document"' in text:  # Word 2003 XML
        return "wordxml"
    if text.startswith(b"<?xml") and b"<html" in text:
        return "html"
    if b"\0" not in head and (b"," in head or b"\t" in head):
        chunk = head[:-4] if len(head) == 4096 else head  # (a character may be cut at the end)
        for encoding in ("utf-8", "gb18030"):
            try:
                chunk.decode(encoding)
            except UnicodeDecodeError:
                continue
            return "csv"
    return ""


def _suffix_note(path: Path, kind: str) -> str:
    suffix = path.suffix.lower()
    expected = {"xlsx": {".xlsx", ".xlsm", ".et"}, "xls": {".xls", ".et"}}
    expected["docx"] = {".docx", ".docm", ".dotx"}
    expected["xml"] = {".xml", ".xls"}
    if kind in expected and suffix and suffix not in expected[kind]:
        return f"文件扩展名为 {suffix}，实际是 {KIND_NAMES[kind]} 文件，已按实际格式读取"
    return ""


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(f"{path.name} 已损坏，无法解压（{type(exc).__name__}）") from exc
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNPACKED_BYTES or (total > 50 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise ReadError(f"{path.name} 解压后过大（{total // (1024 * 1024)} MB），疑似压缩炸弹，已拒绝读取")


def _unzipped_as_excel(path: Path) -> bytes | None:
    """A workbook or document whose zip names its parts with Windows separators (``xl\\workbook.xml``,
    as some programs write them) repacked in memory with "/" as Excel reads it; None for a usual one."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if not any("\\" in i.filename for i in infos):
            return None
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as repacked:
            for info in infos:
                repacked.writestr(info.filename.replace("\\", "/"), zf.read(info))
    return out.getvalue()


# What a file that sniff() recognises but no reader reads is, and what to do (after its name).
REFUSED_KINDS = {
    "doc": (
        " 是旧版 Word（.doc）或 WPS 文字（.wps）文件，无法直接读取；"
        "请在 Word/WPS 中打开，另存为 .docx 后再导入"
    ),
    "encrypted": " 设有打开密码（已加密），请在 Excel/WPS 中去掉密码后再导入",
    "badzip": (
        " 已损坏，无法解压（文件不完整，可能保存、复制或下载时中断）；"
        "请重新复制或下载，或在 Excel/WPS 中打开后另存再导入"
    ),
    "nul": " 已损坏：内容全是空字节（可能保存时中断）；请找到完整的文件后再导入",
    "csv": " 是文本（CSV）文件，不是 Excel 工作簿；请在 Excel/WPS 中打开，另存为 .xlsx 后再导入",
    "ppt": " 是 PowerPoint 演示文稿，不是自评表；请选择 Excel、WPS 表格或 Word 文件",
    "html": " 实际是网页（HTML）文件，请在 Excel/WPS 中打开后另存为 .xlsx 再导入",
    "rtf": " 是 RTF 格式的文档，无法直接读取；请在 Word/WPS 中打开，另存为 .docx 后再导入",
    "mht": (
        " 是“单个文件网页”（MHT）格式，无法直接读取；"
        "请在 Word/WPS 或 Excel 中打开，另存为 .docx 或 .xlsx 后再导入"
    ),
    "wordxml": " 是 Word 2003 XML 文档，无法直接读取；请在 Word/WPS 中打开，另存为 .docx 后再导入",
}
WORD_SUFFIXES = (".doc", ".docx", ".wps", ".rtf", ".dot", ".dotx")
HTML_AS_WORD = " 实际是网页（HTML）文件，请在 Word/WPS 中打开后另存为 .docx 再导入"


# WPS Office's own formats (compound files like Excel's .xls, but not readable as one), by their names.
WPS_NATIVE = dict.fromkeys(
    (".et", ".ett"), "是 WPS 表格专用格式（.et），无法直接读取；请在 WPS 中打开，另存为 .xlsx 后再导入"
)
WPS_NATIVE |= dict.fromkeys(
    (".dps", ".dpt"), "是 WPS 演示文稿，不是自评表；请选择 Excel、WPS 表格或 Word 文件"
)

# The owner files Office and WPS (~$…) and LibreOffice (.~lock.…#) keep beside a file while it is open.
LOCK_PREFIXES = ("~$", ".~lock.", ".~")


def read_file(path: Path | str, progress: Progress | None = None) -> Source:
    """Read one file; a file that cannot be read gives a Source with ``error`` set, never raises."""
    path = Path(path)
    source = Source(str(path))
    try:
        if not path.is_file():
            raise ReadError(f"文件不存在：{path.name}")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(f"{path.name} 超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，过大，未读取")
        if size == 0:
            raise ReadError(
                f"{path.name} 是空文件（0 字节），没有内容（可能保存、复制或下载时中断）；"
                "请找到完整的文件后再导入"
            )
        kind = sniff(path)
        source.kind = kind
        lock = next((p for p in LOCK_PREFIXES if path.name.startswith(p)), "")
        if kind in ("", "nul", "csv") and lock:
            raise ReadError(
                f"{path.name} 是 Excel、WPS 或 Word 打开文件时生成的临时文件（文件名以 {lock} 开头），"
                f"不是表格本身；请选择同一文件夹中文件名不带 {lock} 的原文件"
            )
        note = _suffix_note(path, kind)
        if note:
            source.notes.append(note)
        refused = REFUSED_KINDS.get(kind)
        if kind == "html" and path.suffix.lower() in WORD_SUFFIXES:  # a web page saved as a Word file
            refused = HTML_AS_WORD
        if refused:
            raise ReadError(path.name + refused)
        data = _unzipped_as_excel(path) if kind in ("xlsx", "docx") else None
        if kind == "xlsx":
            _check_zip(path)
            source.grids = read_xlsx(path, progress, data)
        elif kind == "xls":
            source.grids = read_xls(path, progress)
        elif kind == "xml":
            source.grids = read_spreadsheetml(path)
        elif kind == "docx":
            _check_zip(path)
            source.grids, source.paragraphs = read_docx(path, data)
            if source.paragraphs[:1] == [(REVISED, REVISED_NOTE)]:
                source.notes.append(source.paragraphs.pop(0)[1])
        else:
            raise ReadError(f"{path.name} 不是 Excel、WPS 或 Word 文件，无法识别")
        for grid in source.grids:
            formula_strings(grid)
    except ReadError as exc:
        source.error = str(exc)
        source.grids = []
    except MemoryError:
        source.error = f"{path.name} 过大，内存不足，未读取"
        source.grids = []
    except Exception as exc:  # a library's own error on a damaged file: say so, never a traceback
        source.error = (
            f"{path.name} 无法读取，文件可能已损坏（{type(exc).__name__}）；"
            "可在 Excel/WPS 中打开（如提示修复请确认），另存后再导入"
        )
        source.grids = []
    return source


# ---- .xlsx and .xls (calamine) ---------------------------------------------------
def _calamine_grids(
    path: Path, kind: str, progress: Progress | None, data: bytes | None = None
) -> list[Grid]:
    import python_calamine as pc

    handle: BinaryIO = io.BytesIO(data) if data is not None else path.open("rb")
    try:
        workbook = pc.CalamineWorkbook.from_filelike(handle)  # by content, not by the file's name
    except pc.PasswordError as exc:
        handle.close()
        raise ReadError(f"{path.name} 设有密码保护，请在 Excel/WPS 中去掉密码后再导入") from exc
    except Exception as exc:
        handle.close()
        message = str(exc).lower()
        if "password" in message or "encrypt" in message:
            raise ReadError(f"{path.name} 设有密码保护，请在 Excel/WPS 中去掉密码后再导入") from exc
        if kind == "xls" and _xls_password(path, pc):
            raise ReadError(f"{path.name} 设有密码保护，请在 Excel/WPS 中去掉密码后再导入") from exc
        wps = WPS_NATIVE.get(path.suffix.lower())
        if kind == "xls" and wps:  # WPS's own format, by its name (calamine reads only Excel's)
            raise ReadError(f"{path.name} {wps}") from exc
        if kind == "xls":  # an old or WPS-only binary workbook calamine cannot read
            raise ReadError(
                f"{path.name} 无法读取（可能是 WPS 表格专用格式、过旧的 Excel 格式或文件已损坏）；"
                "请在 WPS/Excel 中打开，另存为 .xlsx 后再导入"
            ) from exc
        raise ReadError(f"{path.name} 已损坏或不是有效的 {KIND_NAMES[kind]} 文件") from exc
    grids: list[Grid] = []
    budget = MAX_CELLS
    try:
        chosen = _chosen_breaks(path, data) if kind == "xlsx" else _xls_chosen_breaks(path)
        moved = _by_text(chosen)
        xls = _xls_formats(path, data) if kind == "xls" else None
        for index, meta in enumerate(workbook.sheets_metadata):
            if "WorkSheet" not in str(meta.typ):
                continue
            marked = chosen.get(meta.name, {})
            if progress:
                progress(f"读取 {path.name}：{meta.name}")
            sheet = workbook.get_sheet_by_index(index)
            rows = sheet.to_python(skip_empty_area=False)
            grid = Grid(str(path), meta.name, SHEET, index=index)
            # calamine gives no number formats of an .xls: those of its percentage cells are read from
            # the file's own records (core.importers.biff) when its structure can be followed
            grid.formats_known = kind != "xls" or xls is not None
            grid.hidden = meta.visible != pc.SheetVisibleEnum.Visible
            for r, row in enumerate(rows):
                if budget <= 0:
                    grid.note = f"工作表超过 {MAX_CELLS} 个单元格，第 {r + 1} 行起未读取"
                    break
                budget -= len(row)
                out = []
                for c, value in enumerate(row):
                    if moved and isinstance(value, str) and "\n" in value:
                        value = _unbreak_moved(value, marked.get((r, c)), moved)
                    text, is_number = cell_text(value)
                    if is_number:
                        if text:
                            grid.numeric.add((r, c))
                        else:  # NaN or infinity a program wrote as a number: not a blank
                            grid.errors[(r, c)] = "#NUM!"
                    out.append(text)
                while out and not out[-1]:
                    out.pop()
                grid.cells.append(out)
            while grid.cells and not grid.cells[-1]:
                grid.cells.pop()
            grid.merges = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            grid.index_merges()
            if xls is not None:
                grid.hidden_rows |= xls.hidden_rows.get(meta.name, set())
                grid.hidden_cols |= xls.hidden_cols.get(meta.name, set())
                _as_percentages(grid, xls.percent.get(meta.name, set()))
                for cell, code in xls.units.get(meta.name, {}).items():
                    if cell in grid.numeric:  # as shown: 776 → 776人
                        _show(grid, cell, code)
                for r, c in xls.unsaved.get(meta.name, set()):
                    if not grid.raw(r, c):  # saved for Excel to compute: no value to read
                        grid.missing_formulas.add((r, c))
            grids.append(grid)
    finally:
        workbook.close()
        handle.close()
    return grids


def _xls_formats(path: Path, data: bytes | None) -> Formats | None:
    """The percentage cells and the formulas saved without results of an .xls (None: unknown)."""
    from core.importers import biff

    try:
        return biff.formats(data if data is not None else path.read_bytes())
    except (OSError, MemoryError):
        return None


def _as_percentages(grid: Grid, cells: set[tuple[int, int]]) -> None:
    """A number in a cell formatted as a percentage reads as the percentage it shows (1 → 100%,
    0.9681 → 96.81%), as typed into the cell (as an .xlsx's, ``_shown_cells``)."""
    for cell in cells & grid.numeric:
        r, c = cell
        grid.cells[r][c] = number_text(Decimal(grid.cells[r][c]) * 100) + "%"
        grid.numeric.discard(cell)


def _xls_password(path: Path, pc: Any) -> bool:
    """True when an .xls calamine could not open from its bytes has a password: opened by content,
    calamine only says it "cannot detect the format"; opened as a file named .xls it says why."""
    try:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "book.xls"
            shutil.copyfile(path, copy)
            pc.CalamineWorkbook.from_path(str(copy)).close()
    except pc.PasswordError:
        return True
    except Exception:
        return False
    return False


Chosen = dict[str, dict[tuple[int, int], tuple[tuple[int, ...], int]]]
PROPERTY_NAME = "name"  # the attribute naming a custom document property (docProps/custom.xml)


def _chosen_breaks(path: Path, data: bytes | None = None) -> Chosen:
    """Return the line breaks a ZiPing export chose, as its custom properties BREAKS_PROPERTY 001, 002 …
    list them: per sheet, per cell (row, column), their places in the cell's text and the text's
    CRC-32. Empty for any other workbook, or one whose list cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as zf:
            if "docProps/custom.xml" not in zf.namelist():
                return {}
            root = SafeET.fromstring(zf.read("docProps/custom.xml"))
    except (KeyError, zipfile.BadZipFile, SafeET.ParseError, OSError):
        return {}
    listed = {  # (the properties in any namespace: also a workbook saved as Strict Open XML)
        prop.get(PROPERTY_NAME, ""): "".join(prop.itertext())
        for prop in root.iter()
        if isinstance(prop.tag, str) and prop.tag.endswith("}property")
    }
    return _chosen_listed(listed)


def _xls_chosen_breaks(path: Path) -> Chosen:
    """``_chosen_breaks`` of a ZiPing export saved as .xls by Excel, WPS or LibreOffice (which keep the
    workbook's custom properties in the file's DocumentSummaryInformation stream)."""
    from core.importers.biff import custom_properties

    try:
        return _chosen_listed(custom_properties(path.read_bytes()))
    except (OSError, MemoryError):
        return {}


def _chosen_listed(properties: dict[str, str]) -> Chosen:
    """The chosen breaks the custom properties BREAKS_PROPERTY 001, 002 … list (``_chosen_breaks``)."""
    pieces = sorted((name, text) for name, text in properties.items() if name.startswith(BREAKS_PROPERTY))
    out: Chosen = {}
    for sheet in "".join(text for _name, text in pieces).split("/"):
        name, _mark, cells = sheet.partition("?")
        for cell in cells.split(","):
            try:
                ref, offsets, crc = cell.split(":")
                match = _REF.fullmatch(ref)
                if match is None:
                    continue
                key = (int(match[2]) - 1, _col_index(match[1].encode()))
                out.setdefault(name, {})[key] = (tuple(int(o) for o in offsets.split(".")), int(crc, 16))
            except ValueError:
                continue  # a piece edited by hand: its breaks stay
    return out


_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
Breaks = tuple[tuple[int, ...], int]  # a cell's chosen line breaks: their places, the text's CRC-32


def _by_text(chosen: Chosen) -> dict[int, list[tuple[int, ...]]]:
    """The chosen line breaks of every listed cell by its text's CRC-32, for a text found at another
    place than the one listed (rows or a column inserted, the sheet renamed since the export)."""
    out: dict[int, list[tuple[int, ...]]] = {}
    for cells in chosen.values():
        for offsets, crc in cells.values():
            if offsets not in out.setdefault(crc, []):
                out[crc].append(offsets)
    return out


def _unbreak_moved(text: str, here: Breaks | None, moved: dict[int, list[tuple[int, ...]]]) -> str:
    """``_unbreak`` with the breaks listed for this cell, else with those listed for the same text
    at any other cell (a text is its own: a CRC-32 and every listed place a line break)."""
    if here is not None:
        done = _unbreak(text, *here)
        if done != text:
            return done
    crc = zlib.crc32(text.encode())
    for offsets in moved.get(crc, ()):
        done = _unbreak(text, offsets, crc)
        if done != text:
            return done
    return text


def _unbreak(text: str, offsets: tuple[int, ...], crc: int) -> str:
    """Return a cell's text without the line breaks an export chose at ``offsets``; as it is when the
    text is not the one written (edited since) or a listed place holds no line break."""
    if zlib.crc32(text.encode()) != crc or any(o >= len(text) or text[o] != "\n" for o in offsets):
        return text
    for o in sorted(offsets, reverse=True):
        text = text[:o] + text[o + 1 :]
    return text


def read_xls(path: Path, progress: Progress | None = None) -> list[Grid]:
    return _calamine_grids(path, "xls", progress)


_ROW_RE = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_R_ATTR = re.compile(rb'\br="(\d+)"')
_HIDDEN_ATTR = re.compile(rb'\bhidden="(?:1|true)"')
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[ >/]")
_VALUE_RE = re.compile(rb"<(?:\w+:)?v>[^<]")
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b([^>]*)>([^<]+)</(?:\w+:)?f>")
_VALUE_TEXT = re.compile(rb"<(?:\w+:)?v>([^<]*)<")
_AUTO_FILTER = re.compile(rb"<(?:\w+:)?autoFilter\b")
_COL_RE = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_MIN_ATTR = re.compile(rb'\bmin="(\d+)"')
_MAX_ATTR = re.compile(rb'\bmax="(\d+)"')


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _sheet_paths(zf: zipfile.ZipFile) -> list[str]:
    """Return each sheet's XML path in workbook order."""
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[rel.get("Id")] = target
    strict = f"{{{STRICT_RELATIONSHIPS}}}id"  # (Excel's "Strict Open XML" names it otherwise)
    return [targets.get(s.get(rel_ns, s.get(strict)), "") for s in book.iter() if s.tag.endswith("}sheet")]


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"  # a workbook saved as Strict Open XML
STRICT_RELATIONSHIPS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^]]*\]')  # quoted text, escaped characters, [colours]


PERCENT = "\0percent"  # (a style's mark: shown × 100 with %; a quoted "%" is a plain suffix)
_SECTIONS = re.compile(r'(?:"[^"]*"|\\.|[^;"\\])*')  # a format's ;-separated sections
_CONDITION = re.compile(r"\[(<=|>=|<>|<|>|=)\s*(-?\d+(?:\.\d+)?)\]")
_SHOWN_BRACKETS = re.compile(  # a colour, a locale, a condition (not [DBNum1]: Chinese numerals)
    r"\[(?:(?i:black|blue|cyan|green|magenta|red|white|yellow|colou?r\s*\d+)|[黑蓝青绿洋红白黄]色|颜色\d+"
    r"|\$[^\]]*|(?:<=|>=|<>|<|>|=)\s*-?[\d.]+)\]"
)
_DBNUM = re.compile(r"\[(?i:dbnum)[1-4]\]")  # Chinese numerals: 七百七十六, 柒佰柒拾陆
_COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "=": lambda a, b: a == b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "<>": lambda a, b: a != b,
}
_GENERAL = ("General", "G/通用格式", "通用格式")
DIGITS = ("0", "#", "?")  # a format's digit placeholders
_PLAIN_MARKS = frozenset(" -+()$¥￥€£:")  # printed as they are, and nothing a reader needs beside a number
_LITERAL_MARKS = frozenset(" -+()$:^&'~{}<>=")  # characters a format prints as typed, unquoted


@dataclass
class _Section:
    """One section of a number format as the number shows in it: the text printed before and after,
    the number's placeholders (0.00, #,##0, General), how many % (each × 100), the places the number
    is shifted by an escaped point (0!.0000 prints 1530300 as 153.0300: 元 shown as 万元), and whether
    it prints Chinese numerals ([DBNum1])."""

    before: str = ""
    after: str = ""
    digits: str = ""
    percent: int = 0
    shift: int = 0
    chinese: bool = False

    @property
    def words(self) -> bool:
        """Whether it prints more than a plain number would (a word, a sign like ≥, a shifted point)."""
        return bool(set(self.before + self.after) - _PLAIN_MARKS or self.shift or self.chinese)

    @property
    def scaled(self) -> bool:  # (#,##0, : shown in thousands)
        return self.digits.endswith(",") and self.digits not in _GENERAL


def _section(text: str) -> _Section | None:
    """``text`` (one section of a format) read as a number's section, or None for any other (a date,
    a text section @, a fraction, a scientific number, an elapsed time)."""
    out = _Section(chinese=bool(_DBNUM.search(text)))
    text = _SHOWN_BRACKETS.sub("", _DBNUM.sub("", text))
    state = 0  # 0: before the number, 1: in it, 2: after it
    i = 0
    while i < len(text):
        ch, literal = text[i], ""
        general = next((g for g in _GENERAL if text.startswith(g, i)), "")
        if general and state == 0:
            out.digits, state, i = general, 1, i + len(general)
            continue
        if ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                return None
            literal, i = text[i + 1 : end], end + 1
        elif ch in "\\!":
            if i + 1 >= len(text):
                return None
            literal, i = text[i + 1], i + 2
            if literal == "." and state == 1 and text[i : i + 1] in DIGITS and not out.shift:
                out.shift = len(re.match(r"[0#?]*", text[i:]).group(0))  # type: ignore[union-attr]
                out.digits += "!"
                continue
        elif ch in "_*":  # a space as wide as the next character; the next character repeated to fill
            i += 2
            continue
        elif (
            ch in "0#?"
            or (ch in ".," and state == 1)
            or (ch == "." and text[i + 1 : i + 2] in ("0", "#", "?"))
        ):
            if state == 2 or "!" in out.digits and ch == ".":
                return None
            out.digits, state, i = out.digits + ch, 1, i + 1
            continue
        elif ch == "%":
            out.percent, i = out.percent + 1, i + 1
            if state == 1:
                state = 2
            continue
        elif ch in _LITERAL_MARKS or ch == "/" and state != 1:
            literal, i = ch, i + 1
        else:
            return None  # a date or time code, @, E+, a fraction's /, a bracket not known
        if state == 0:
            out.before += literal
        else:
            out.after, state = out.after + literal, 2
    return out if out.digits else None


def _format_sections(code: str) -> list[str]:
    return [m.group(0) for m in _SECTIONS.finditer(code) if m.start() == 0 or code[m.start() - 1] == ";"]


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^]]*\]')
_DATE_CODES = re.compile("[yYmMdDhHsS]|上午|下午|AM/PM")


def _wordy(section: str) -> bool:
    """Whether a section the reader cannot follow prints words or Chinese numerals ("无"; not "-", not
    a date's 年月日, which is read as a date)."""
    if _DATE_CODES.search(_QUOTED.sub("", section)):
        return False
    quoted = "".join(m.group(0) for m in re.finditer(r'"[^"]*"|\\.', section))
    return bool(_DBNUM.search(section) or set(quoted) - _PLAIN_MARKS - {'"', "\\"})


def shown_format(code: str) -> bool:
    """Whether a number format prints a number otherwise than as saved in one of its sections: a word
    or a sign with it (0"人", "≥"0%, [>=100]0"人";0"个"), Chinese numerals ([DBNum1]), a shifted point
    (0!.0000); also a section of words the reader cannot follow, to be asked about. (Thousands, #,##0,
    alone: the saved number is read, exact — a display in 千 must not cost an amount its digits.)"""
    sections = [(s, _section(s)) for s in _format_sections(code)]
    return any(section.words if section else _wordy(s) for s, section in sections[:3])


CHINESE_NUMERALS = "单元格以中文数字显示"  # (the 请核对 of a [DBNum1] cell begins so)


def unsure_shown(code: str, number: Decimal) -> str:
    """The 请核对 for a cell whose format shows its number in a way not read (its saved number kept)."""
    return (
        f"单元格的数字格式“{code}”显示的内容与保存的数不同，已按保存的数 {number_text(number)} 导入，请核对"
    )


def shown_with_unit(code: str, number: Decimal) -> tuple[str | None, str]:
    """What a cell holding ``number`` shows under the format ``code`` (``shown_format``): the section
    that applies (a condition's, or a positive/negative/zero one), the number rounded to its places as
    Excel does (776.4 under 0"人" is 776人) with the words around it ("≥"0% shows 0.95 as ≥95%), and
    a 请核对 line when the reading needs one: Chinese numerals read in digits (七百七十六人 as 776人),
    or a shown text not worked out (None: the caller keeps the number as saved, and asks)."""
    sections = _format_sections(code)
    conditions = [_CONDITION.search(s) for s in sections]
    text: str | None = None
    index = 0
    if any(conditions):
        index = next(
            (
                i
                for i, condition in enumerate(conditions[:2])
                if condition is None or _COMPARE[condition.group(1)](number, Decimal(condition.group(2)))
            ),
            2,
        )
        text = sections[index] if index < len(sections) else None
    elif number > 0 or len(sections) == 1:
        text = sections[0]
    elif number < 0:
        index, text = 1, sections[1]
    else:
        index, text = 2, sections[2] if len(sections) > 2 else sections[0]
    if text is None:
        return None, unsure_shown(code, number)
    section = _section(text)
    if section is None:
        return None, unsure_shown(code, number) if _wordy(text) else ""
    if section.scaled:  # shown in thousands (0,"千元"): the saved number is exact, and read
        return None, unsure_shown(code, number) if section.words else ""
    if not (section.words or section.percent):
        return None, ""  # this section prints the plain number
    if index == 1 and not any(_CONDITION.search(s) for s in sections):
        if "(" in section.before and ")" in section.after:  # (3人): 会计专用's negative
            section.before, section.after = section.before.replace("(", ""), section.after.replace(")", "")
        elif "-" in section.before:
            number = -number
        else:  # Excel prints a negative section without its minus
            return None, unsure_shown(code, number)
    value = number * 100**section.percent
    if section.digits in _GENERAL:
        shown = number_text(value)
    elif section.shift:  # 0!.0000: 元 shown as 万元; the saved number's every digit kept (not rounded)
        shown = number_text(value.scaleb(-section.shift))
    else:
        places = len(section.digits.partition(".")[2].rstrip(","))
        shown = number_text(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    shown = section.before.strip() + shown + "%" * section.percent + section.after.strip()
    if section.chinese:
        return shown, f"{CHINESE_NUMERALS}（数字格式“{code}”），已按其数值读作“{shown}”，请核对"
    return shown, ""


def _shown_styles(zf: zipfile.ZipFile) -> dict[int, str]:
    """The cell styles (``s="…"``) whose number format prints more than the number: PERCENT for a
    percentage (0%, 0.00%, or a custom format with an unquoted %: a cell saved as 0.9681 is printed,
    and meant, as 96.81%), or the word a custom format prints after it (0"人": 776 is 776人)."""
    root = SafeET.fromstring(zf.read("xl/styles.xml").replace(STRICT_MAIN.encode(), _MAIN_NS[1:-1].encode()))
    formats = {9: PERCENT, 10: PERCENT}
    for fmt in root.iter(f"{_MAIN_NS}numFmt"):
        code = fmt.get("formatCode", "")
        number = int(fmt.get("numFmtId", "0") or 0)
        if shown_format(code):
            formats[number] = code
        elif "%" in _LITERALS.sub("", code):
            formats[number] = PERCENT
    styles = root.find(f"{_MAIN_NS}cellXfs")
    if styles is None:
        return {}
    return {
        index: shown
        for index, xf in enumerate(styles.findall(f"{_MAIN_NS}xf"))
        if (shown := formats.get(int(xf.get("numFmtId", "0") or 0), ""))
    }


def _shown_cells(data: bytes, grid: Grid, styles: dict[int, str]) -> None:
    """A number in a cell formatted as a percentage reads as the percentage it shows (0.9681 →
    96.81%), one whose format prints a word after it as it shows (776 → 776人), as typed."""
    for style, shown in styles.items():
        mark = b' s="%d"' % style
        at = data.find(mark)
        while at >= 0:
            start = data.rfind(b"<", 0, at)
            tag = data[start + 1 : data.find(b" ", start)]
            if tag == b"c" or tag.endswith(b":c"):
                ref = _CELL_REF.search(data, start, data.find(b">", at))
                if ref:
                    cell = (int(ref.group(2)) - 1, _col_index(ref.group(1)))
                    if cell in grid.numeric:
                        r, c = cell
                        if shown == PERCENT:
                            grid.cells[r][c] = number_text(Decimal(grid.cells[r][c]) * 100) + "%"
                            grid.numeric.discard(cell)
                        else:
                            _show(grid, cell, shown)
            at = data.find(mark, at + len(mark))


def _show(grid: Grid, cell: tuple[int, int], code: str) -> None:
    """A number cell read as its format ``code`` shows it (``shown_with_unit``), and asked about
    where that reading needs it."""
    number = Decimal(grid.cells[cell[0]][cell[1]])
    text, doubt = shown_with_unit(code, number)
    if text is not None:
        grid.cells[cell[0]][cell[1]] = text
        grid.numeric.discard(cell)
    if doubt:
        grid.cell_checks[cell] = doubt


def _pictures(data: bytes, grid: Grid) -> None:
    """WPS's pictures placed in a cell (嵌入单元格) are a formula =DISPIMG("ID_…",1) whose saved value
    is that formula's text: the cell is blank to the reader (the picture is not imported)."""
    at = data.find(b"DISPIMG(")
    while at >= 0:
        start = max(data.rfind(b"<c ", 0, at), data.rfind(b":c ", 0, at))
        ref = _CELL_REF.search(data, start, data.find(b">", start)) if start >= 0 else None
        if ref:
            r, c = int(ref.group(2)) - 1, _col_index(ref.group(1))
            if "DISPIMG(" in grid.raw(r, c):
                grid.cells[r][c] = ""
                grid.numeric.discard((r, c))
                grid.pictures.add((r, c))
        at = data.find(b"DISPIMG(", at + 8)


def _scan_sheet_xml(data: bytes, grid: Grid, percent: dict[int, str] | None = None) -> None:
    """Add hidden rows and columns, formulas with no saved value (the simple sums among them
    computed) and cells holding an error value (which calamine gives as blank), read from the raw
    sheet XML."""
    formulas: dict[tuple[int, int], str] = {}
    cols_end = data.find(b"<sheetData")
    for match in _COL_RE.finditer(data, 0, cols_end if cols_end > 0 else len(data)):
        attrs = match.group(1)
        low, high = _MIN_ATTR.search(attrs), _MAX_ATTR.search(attrs)
        if _HIDDEN_ATTR.search(attrs) and low and high:
            first, last = int(low.group(1)) - 1, min(int(high.group(1)), 16384) - 1
            if last - first < 1000:  # a hidden range to the sheet's edge hides only empty columns
                grid.hidden_cols.update(range(first, last + 1))
    grid.filtered = _AUTO_FILTER.search(data) is not None
    for match in _ROW_RE.finditer(data):
        attrs = match.group(1)
        if _HIDDEN_ATTR.search(attrs):
            number = _R_ATTR.search(attrs)
            if number:
                grid.hidden_rows.add(int(number.group(1)) - 1)
    for match in _FORMULA_RE.finditer(data):
        start = max(data.rfind(b"<c ", 0, match.start()), data.rfind(b":c ", 0, match.start()))
        end = data.find(b"c>", match.end())
        if start < 0 or end < 0:
            continue
        cell = data[start : end + 2]
        if not _VALUE_RE.search(cell):
            ref = _CELL_REF.search(cell)
            if ref:
                at = (int(ref.group(2)) - 1, _col_index(ref.group(1)))
                grid.missing_formulas.add(at)
                formula = _FORMULA_TEXT.search(cell)
                if formula and b't="array"' not in formula.group(1):
                    formulas[at] = html.unescape(formula.group(2).decode("utf-8", "replace"))
    if formulas:
        grid.computed = compute_missing(grid, formulas)
        grid.formula_texts.update(
            {at: "=" + f.lstrip("=") for at, f in formulas.items() if at not in grid.computed}
        )
    if percent:  # after the sums: they add the numbers saved (0.3 + 0.5), and show as their cell does
        _shown_cells(data, grid, percent)
    if b"DISPIMG(" in data:
        _pictures(data, grid)
    for match in _ERROR_TYPE.finditer(data):
        start = max(data.rfind(b"<c ", 0, match.start()), data.rfind(b":c ", 0, match.start()))
        end = data.find(b"c>", match.end())
        if start < 0 or end < 0 or data.find(b">", start) < match.start():
            continue  # t="e" outside a cell's own tag
        cell = data[start : end + 2]
        ref, value = _CELL_REF.search(cell), _VALUE_TEXT.search(cell)
        if ref:
            code = value.group(1).decode("utf-8", "replace").strip() if value else ""
            grid.errors[(int(ref.group(2)) - 1, _col_index(ref.group(1)))] = code or "#VALUE!"


# A cell far outside any form: column AAA (703) or beyond, or row 1,000,000 or beyond. calamine keeps a
# sheet as one dense block from A1 to its last cell: one stray space typed at XFD1048576 asks for 17
# billion cells, and the allocation failure aborts the whole program (it is not an exception).
_FAR_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]{3}\d+|[A-Z]{1,2}\d{7,})"[^>]*?(?:/>|>.*?</(?:\w+:)?c>)', re.S)


MAX_EXTENT = 20_000_000  # rows × columns of a sheet's block (calamine holds it whole)
FAR_COLUMN, FAR_ROW = 703, 1_000_000  # column AAA, and a row no form reaches
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})\d')
_LAST_CELL = re.compile(rb'c r="[A-Z]+(\d+)"')


def _extent(xml: bytes) -> tuple[int, int]:
    """(last row, widest column) of a sheet's cells, found without reading every cell: cells come
    row by row, and only a column of two or three letters can be wider than Z."""
    at = xml.rfind(b'c r="')
    last = _LAST_CELL.match(xml, at) if at >= 0 else None
    widest = max((_col_index(m.group(1)) + 1 for m in _WIDE_REF.finditer(xml)), default=26)
    return (int(last.group(1)) if last else 0), widest


def _without_far_cells(
    path: Path, data: bytes | None
) -> tuple[bytes | None, dict[int, list[str]], dict[str, bytes]]:
    """The package with the far cells of its sheets taken out (None when it has none); by sheet
    position, the cells taken out; each sheet's XML as read (and trimmed), for the scan after."""
    far: dict[int, list[str]] = {}
    sheets: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as zf:
        members = _sheet_paths(zf)
        names = set(zf.namelist())
        for index, member in enumerate(members):
            if member not in names:
                continue
            xml = zf.read(member)
            rows, cols = _extent(xml)
            if cols >= FAR_COLUMN or rows >= FAR_ROW:  # (a plain sheet skips the slower search)
                found = [m.group(1).decode() for m in _FAR_CELL.finditer(xml)]
                if found:
                    far[index] = found
                    xml = _FAR_CELL.sub(b"", xml)
                    rows, cols = _extent(xml)
            if rows * cols > MAX_EXTENT:
                raise ReadError(
                    f"{path.name} 的第 {index + 1} 个工作表范围过大（{rows} 行 × {cols} 列），无法读取；"
                    "请在 Excel/WPS 中删除表格下方和右侧多余的行列，保存后再导入"
                )
            sheets[member] = xml
        if not far:
            return None, far, sheets
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as repacked:
            for info in zf.infolist():
                repacked.writestr(info.filename, sheets.get(info.filename) or zf.read(info))
    return out.getvalue(), far, sheets


def read_xlsx(path: Path, progress: Progress | None = None, data: bytes | None = None) -> list[Grid]:
    try:
        trimmed, far, sheets = _without_far_cells(path, data)
    except (KeyError, zipfile.BadZipFile, SafeET.ParseError, OSError):
        trimmed, far, sheets = None, {}, {}
    data = trimmed if trimmed is not None else data
    grids = _calamine_grids(path, "xlsx", progress, data)
    for grid in grids:
        cells = far.get(grid.index)
        if cells:
            shown = "、".join(cells[:3]) + ("等" if len(cells) > 3 else "")
            grid.far_note = (
                f"工作表“{grid.name}”在表格范围之外很远处有 {len(cells)} 个单元格"
                f"（{shown}，可能是误输入），已忽略"
            )
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as zf:
            paths = _sheet_paths(zf)
            names = set(zf.namelist())
            try:
                percent = _shown_styles(zf) if "xl/styles.xml" in names else {}
            except (SafeET.ParseError, ValueError):
                percent = {}  # a damaged styles part: numbers read as saved
            for grid in grids:
                member = paths[grid.index] if grid.index < len(paths) else ""
                if member in names:
                    xml = sheets.pop(member, None)
                    _scan_sheet_xml(xml if xml is not None else zf.read(member), grid, percent)
    except (KeyError, zipfile.BadZipFile, SafeET.ParseError, OSError):
        pass  # values are read; only the hidden-row and formula notes are lost
    return grids


# ---- Excel 2003 XML (SpreadsheetML) ----------------------------------------------
def _ss(name: str) -> str:
    return f"{{{SS_NS}}}{name}"


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_GB = ("gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "hz-gb-2312")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def xml_as_utf8(data: bytes) -> bytes:
    """An XML document as UTF-8: one a Chinese system wrote in GBK, GB2312 or GB18030 (which the XML
    parser cannot read: it takes multi-byte encodings only as UTF-8 and UTF-16) or in UTF-16 is
    decoded by its declaration (GB2312 and GBK as GB18030, which holds both) and its declaration
    no longer names an encoding; any other document as it is."""
    if data.startswith(UTF16_BOMS):
        text = data.decode("utf-16")
    else:
        declared = _DECLARED.match(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
        encoding = declared.group(1).decode().lower() if declared else "utf-8"
        if encoding.replace("_", "-") in ("utf-8", "utf8", "us-ascii", "ascii"):
            return data
        try:
            text = data.decode("gb18030" if encoding in _GB else encoding)
        except (LookupError, UnicodeDecodeError):
            return data  # (the parser says what is wrong)
    return re.sub(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""", r"\1", text).encode("utf-8")


def read_spreadsheetml(path: Path) -> list[Grid]:
    try:
        root = SafeET.fromstring(xml_as_utf8(path.read_bytes()))
    except SafeET.ParseError as exc:
        raise ReadError(f"{path.name} 不是有效的 Excel 2003 XML 文件（XML 有误）") from exc
    except DefusedXmlException as exc:  # entity bombs and external entities are refused
        raise ReadError(f"{path.name} 含有不安全的 XML 内容，已拒绝读取") from exc
    except (ValueError, LookupError) as exc:  # an encoding the parser does not know
        raise ReadError(
            f"{path.name} 的文字编码无法识别，请在 Excel/WPS 中打开，另存为 .xlsx 后再导入"
        ) from exc
    grids: list[Grid] = []
    budget = MAX_CELLS
    percent = {  # styles that show a number as a percentage ("Percent", "0.00%")
        style.get(_ss("ID"), "")
        for style in root.iter(_ss("Style"))
        for fmt in style.iter(_ss("NumberFormat"))
        if (code := fmt.get(_ss("Format"), "")) in ("Percent", "Percentage") or "%" in _LITERALS.sub("", code)
    }
    units = {  # styles that print a word with the number (0"人"), as an .xlsx's (_shown_styles)
        style.get(_ss("ID"), ""): code
        for style in root.iter(_ss("Style"))
        for fmt in style.iter(_ss("NumberFormat"))
        if shown_format(code := fmt.get(_ss("Format"), ""))
    }
    for index, sheet in enumerate(root.iter(_ss("Worksheet"))):
        grid = Grid(str(path), sheet.get(_ss("Name"), f"Sheet{index + 1}"), SHEET, index=index)
        options = sheet.find(f"{{{X_NS}}}WorksheetOptions")
        if options is not None:
            visible = options.find(f"{{{X_NS}}}Visible")
            grid.hidden = visible is not None and (visible.text or "").strip() in (
                "SheetHidden",
                "SheetVeryHidden",
            )
        table = sheet.find(_ss("Table"))
        col = -1
        for column in table.findall(_ss("Column")) if table is not None else ():
            col = int(column.get(_ss("Index"), col + 2)) - 1
            span = int(column.get(_ss("Span"), "0") or 0)
            if column.get(_ss("Hidden")) in ("1", "true"):
                grid.hidden_cols.update(range(col, col + span + 1))
            col += span
        occupied: set[tuple[int, int]] = set()
        formulas: dict[tuple[int, int], str] = {}
        r = -1
        for row in table.iter(_ss("Row")) if table is not None else ():
            r = int(row.get(_ss("Index"), r + 2)) - 1
            if r > 1_048_576:
                break
            if row.get(_ss("Hidden")) in ("1", "true"):
                grid.hidden_rows.add(r)
            while len(grid.cells) <= r:
                grid.cells.append([])
            c = -1
            for cell in row.findall(_ss("Cell")):
                if cell.get(_ss("Index")):
                    c = int(cell.get(_ss("Index"), "1")) - 1
                else:
                    c += 1
                    while (r, c) in occupied:
                        c += 1
                budget -= 1
                if budget < 0:
                    raise ReadError(f"{path.name} 单元格过多（超过 {MAX_CELLS} 个），已拒绝读取")
                across = int(cell.get(_ss("MergeAcross"), "0") or 0)
                down = int(cell.get(_ss("MergeDown"), "0") or 0)
                if across or down:
                    grid.merges.append((r, c, r + down, c + across))
                    for rr in range(r, r + down + 1):
                        for cc in range(c, c + across + 1):
                            occupied.add((rr, cc))
                data = cell.find(_ss("Data"))
                if data is None:
                    data = next((d for d in cell.iter() if d.tag.endswith("}Data")), None)
                row_cells = grid.cells[r]
                while len(row_cells) <= c:
                    row_cells.append("")
                if data is None:
                    if cell.get(_ss("Formula")):  # R1C1, as Excel 2003 XML keeps formulas
                        grid.missing_formulas.add((r, c))
                        formulas[(r, c)] = r1c1_to_a1(cell.get(_ss("Formula"), ""), r, c)
                else:
                    text = cell_text("".join(data.itertext()))[0]
                    if data.get(_ss("Type")) == "Error":
                        grid.errors[(r, c)] = text.strip() or "#VALUE!"
                        text = ""
                    if data.get(_ss("Type")) == "Number" and text.strip():
                        try:
                            number = Decimal(text.strip())
                        except InvalidOperation:
                            pass
                        else:
                            style = cell.get(_ss("StyleID"), row.get(_ss("StyleID")))
                            shown, doubt = (
                                shown_with_unit(units[style], number) if style in units else (None, "")
                            )
                            if doubt:
                                grid.cell_checks[(r, c)] = doubt
                            if shown is not None:
                                text = shown  # as shown: 120 → 120人
                            elif percent and style in percent:
                                text = number_text(number * 100) + "%"  # as shown: 0.9681 → 96.81%
                            else:
                                text = number_text(number)
                                grid.numeric.add((r, c))
                    row_cells[c] = text
                c += across
        while grid.cells and not any(grid.cells[-1]):
            grid.cells.pop()
        grid.index_merges()
        if formulas:  # saved without results: the simple sums worked out, the others named
            grid.computed = compute_missing(grid, formulas)
            grid.formula_texts.update({at: f for at, f in formulas.items() if at not in grid.computed})
        grids.append(grid)
    if not grids:
        raise ReadError(f"{path.name} 中没有工作表")
    return grids


# ---- Word ----------------------------------------------------------------------------
def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


# Word's 插入 → 符号 from the Symbol font is a w:sym (font, private-use code), not text: "≥5名" typed
# that way would read "5名" and lose its direction. Symbol font codes → the characters they show.
SYMBOL_FONT = {
    0x3C: "<", 0x3D: "=", 0x3E: ">", 0xA3: "≤", 0xB3: "≥", 0xB9: "≠", 0xB1: "±", 0xB4: "×", 0xB8: "÷",
    0xA5: "∞", 0xB0: "°", 0xAE: "→", 0xD6: "√", 0xB7: "•",
}  # fmt: skip


def _symbol(node: Any) -> str:
    font = (node.get(_w("font")) or "").lower()
    try:
        code = int(node.get(_w("char")) or "", 16)
    except ValueError:
        return ""
    if font.startswith("symbol"):
        return SYMBOL_FONT.get(code & 0xFF, "")
    return chr(code) if 0x20 <= code < 0xE000 else ""  # a real character in another font


MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _hidden_run(node: Any) -> bool:
    """A run formatted as hidden text (字体 → 隐藏, w:vanish): Word does not show or print it."""
    if node.tag != _w("r"):
        return False
    vanish = node.find(f"{_w('rPr')}/{_w('vanish')}")
    return vanish is not None and vanish.get(_w("val"), "true") not in ("0", "false", "off")


def _nodes(p: Any, skip: Sequence[Any] = ()) -> Iterator[Any]:
    """A paragraph's nodes in document order, as Word shows them with its tracked changes accepted:
    without the second copy of a text box or shape that Word keeps for older readers (mc:Fallback
    beside mc:Choice: its text is read once), text moved away from here (w:moveFrom: it is read
    where it was moved to), hidden text (w:vanish) and the text boxes in ``skip`` (read apart)."""
    if not skip and next(p.iter(MC_FALLBACK, _w("moveFrom"), _w("vanish")), None) is None:
        yield from p.iter()
        return
    yield p
    for child in p.iterchildren():
        if child.tag in (MC_FALLBACK, _w("moveFrom")) or _hidden_run(child) or any(child is b for b in skip):
            continue
        yield from _nodes(child, skip)


TEXT_BOX = _w("txbxContent")


def _table_boxes(p: Any) -> list[Any]:
    """The text boxes anchored in a body paragraph that hold a table (a 自评表 placed in a 文本框),
    each once: not Word's second copy for older readers (mc:Fallback), nor a box within a box."""
    out: list[Any] = []
    for box in p.iter(TEXT_BOX):
        up = box.getparent()
        while up is not None and up is not p and up.tag not in (MC_FALLBACK, TEXT_BOX):
            up = up.getparent()
        if up is p and any(block.tag == _w("tbl") for block in _blocks(box)):
            out.append(box)
    return out


def _within(node: Any, tag: str) -> Iterator[Any]:
    """The ``tag`` children of ``node``, also those a content control (w:sdt: a repeating section,
    a text field of a form template) or a custom XML element wraps."""
    for child in node.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _within(content, tag)
        elif child.tag == _w("customXml"):
            yield from _within(child, tag)


def _para_text(p: Any, strip: bool = True, skip: Sequence[Any] = ()) -> str:
    out = []
    for node in _nodes(p, skip):
        if node.tag == _w("t"):
            out.append(node.text or "")
        elif node.tag == _w("tab"):
            out.append("\t")
        elif node.tag in (_w("br"), _w("cr")):
            out.append("\n")
        elif node.tag == _w("sym"):
            out.append(_symbol(node))
    return "".join(out).strip() if strip else "".join(out)


def _cell_paragraphs(tc: Any, numbers: Numbering | None = None) -> str:
    """Return a Word cell's text, its paragraphs one a line, each with the number Word prints before
    it in a list (1. 2.); a paragraph of a BREAK_STYLE_IDS style (the line after a break a ZiPing
    export chose) continues the line before it."""
    lines: list[str] = []
    for p in _within(tc, _w("p")):
        style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        if style is not None and style.get(_w("val")) in BREAK_STYLE_IDS and lines:
            lines[-1] += _para_text(p, strip=False)
        else:
            label = numbers.label(p) if numbers else ""
            text = _para_text(p, strip=False)
            lines.append(label + text.lstrip() if label and text.strip() else text)
    return "\n".join(t for t in (line.strip() for line in lines) if t)


GENERATED_STYLE = "ZP Figures"  # the figures paragraph ZiPing's Word export writes (core/export/docx.py)


MAX_GRID_COLUMNS = 64  # Word's tables have at most 63 columns


def _int_val(node: Any, default: int) -> int:
    """The whole number a w:val attribute holds (a span, a row's skipped grid columns), within what a
    Word table can have; ``default`` when the node or its value is missing or not a number."""
    if node is None:
        return default
    try:
        return max(0, min(int(node.get(_w("val"), "")), MAX_GRID_COLUMNS))
    except ValueError:
        return default


_INDICATOR_HEADS = ("一级指标", "二级指标", "三级指标")
HEAD_ROWS = 3  # the rows of a pasted table looked at for the indicator table's header


def _is_form_table(tbl: Any) -> bool:
    """A table pasted into a cell of another that is a table of its own: the indicator table put in
    the cell beside 绩效指标 (two rows or more, two columns or more, with the 一级/二级/三级指标
    header). Any other pasted table (a box of figures, a table of grades) is its cell's text."""
    rows = list(_within(tbl, _w("tr")))
    if len(rows) < 2 or max(len(list(_within(tr, _w("tc")))) for tr in rows) < 2:
        return False
    head = "".join(_para_text(p) for tr in rows[:HEAD_ROWS] for p in tr.iter(_w("p")))
    return any(word in head for word in _INDICATOR_HEADS)


def _row_span(tr: Any) -> int:
    """The grid columns a Word row's own cells take (their spans, without w:gridBefore)."""
    own = 0
    for tc in _within(tr, _w("tc")):
        props = tc.find(_w("tcPr"))
        own += max(1, _int_val(props.find(_w("gridSpan")) if props is not None else None, 1))
    return own


def _grid_before_within(grid: Grid, r: int, tr: Any, before: int, columns: int) -> int:
    """A row's skipped grid columns, kept within the table: a damaged w:gridBefore (9999) would put
    the row's cells past the table's last column, where no header reads them (left out silently).
    A row whose cells fill the table starts at its first column; one short of cells ends at the
    table's last column, and the preview asks."""
    own = _row_span(tr)
    if before + own <= columns:
        return before
    within = max(0, columns - own)
    if within:
        shown = tr.find(f"{_w('trPr')}/{_w('gridBefore')}").get(_w("val"), "")
        grid.checks.append(
            f"{grid.name} 第{r + 1}行：行首空出的列数（{shown}）超出表格的列数（文件可能已损坏），"
            "已按该行最后一格对齐表格最后一列读取，请核对"
        )
    return within


def _table_grid(
    tbl: Any,
    path: Path,
    number: int,
    inner: list[Any] | None = None,
    name: str = "",
    numbers: Numbering | None = None,
) -> Grid:
    """One Word table as a grid; the indicator tables pasted into its cells are added to ``inner``
    (read as the next tables), any other pasted table is read as its cell's text. ``name`` is the
    part's name (表格N counts the tables the user sees in Word, not the pasted ones)."""
    grid = Grid(str(path), name or f"表格{number}", TABLE, index=number - 1)
    open_down: dict[int, tuple[int, int]] = {}  # column → (start row, span) of a vertical merge
    spans: dict[tuple[int, int], tuple[int, int, int]] = {}
    # the table's grid columns (0: not said), or its widest row's cells when the grid says fewer
    columns = len(tbl.findall(f"{_w('tblGrid')}/{_w('gridCol')}"))
    if columns:
        columns = max(columns, max((_row_span(tr) for tr in _within(tbl, _w("tr"))), default=0))
    for r, tr in enumerate(_within(tbl, _w("tr"))):
        row: list[str] = []
        before = tr.find(f"{_w('trPr')}/{_w('gridBefore')}")
        c = _int_val(before, 0)  # a row that starts further right (its first grid columns left out)
        if columns and c:
            c = _grid_before_within(grid, r, tr, c, columns)
        for tc in _within(tr, _w("tc")):
            props = tc.find(_w("tcPr"))
            span, vmerge = 1, None
            if props is not None:
                gs = props.find(_w("gridSpan"))
                if gs is not None:
                    span = max(1, _int_val(gs, 1))
                vm = props.find(_w("vMerge"))
                if vm is not None:
                    vmerge = vm.get(_w("val"), "continue")
            text = _cell_paragraphs(tc, numbers)
            text = visible(text.replace(SOFT_BREAK, ""))  # without an export's line ends
            nested = list(_within(tc, _w("tbl")))
            if inner is not None and any(_is_form_table(t) for t in nested):
                inner.extend(nested)
            elif nested and not text:
                text = " ".join(_para_text(p) for p in tc.iter(_w("p")))
            while len(row) < c:
                row.append("")
            row.extend([text] + [""] * (span - 1))
            if vmerge == "continue" and c in open_down:
                start, _ = open_down[c]
                spans[(start, c)] = (start, c + span - 1, r)
                row[c] = ""
            else:
                open_down.pop(c, None)
                if vmerge == "restart":
                    open_down[c] = (r, span)
                    spans[(r, c)] = (r, c + span - 1, r)
                elif span > 1:
                    grid.merges.append((r, c, r, c + span - 1))
            c += span
        for col in list(open_down):
            if col >= c:
                open_down.pop(col)
        grid.cells.append(row)
    for (r0, c0), (_, c1, r1) in spans.items():
        grid.merges.append((r0, c0, r1, c1))
    grid.index_merges()
    return grid


def _wrapped(tbl: Any) -> Any | None:
    """The cell of a layout table that only frames content (one cell, or one cell holding tables and
    the others empty): the tables inside it are the document's. None for a real table."""
    cells = [tc for tr in _within(tbl, _w("tr")) for tc in _within(tr, _w("tc"))]
    framing = [tc for tc in cells if tc.find(_w("tbl")) is not None]
    if len(framing) != 1:
        return None
    others = [tc for tc in cells if tc is not framing[0]]
    if any(_para_text(p) for tc in others for p in tc.iter(_w("p"))):
        return None
    return framing[0]


def _blocks(container: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body in reading order, looking inside content controls
    (w:sdt) and layout tables that only frame the real ones."""
    for child in container.iterchildren():
        if child.tag == _w("sdt"):
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif child.tag == _w("tbl"):
            cell = _wrapped(child)
            if cell is None:
                yield child
            else:
                yield from _blocks(cell)
        elif child.tag == _w("customXml"):
            yield from _blocks(child)
        elif child.tag == _w("p"):
            yield child
            if next(child.iter(TEXT_BOX), None) is not None:  # a table in a text box: read as a table
                for box in _table_boxes(child):
                    yield from _blocks(box)


_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_WORD_VARIANTS = (
    b"application/vnd.ms-word.document.macroEnabled.main+xml",  # .docm (macros are never run)
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",  # .dotx
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",  # .dotm
)


_STRICT = b"http://purl.oclc.org/ooxml/"
_STRICT_NAMESPACES = (  # Word's "Strict Open XML 文档": the same parts under other names
    (b"wordprocessingml/main", b"wordprocessingml/2006/main"),
    (b"officeDocument/relationships", b"officeDocument/2006/relationships"),
    (b"drawingml/main", b"drawingml/2006/main"),
    (b"drawingml/wordprocessingDrawing", b"drawingml/2006/wordprocessingDrawing"),
    (b"drawingml/picture", b"drawingml/2006/picture"),
    (b"drawingml/chart", b"drawingml/2006/chart"),
    (b"officeDocument/math", b"officeDocument/2006/math"),
    (b"officeDocument/sharedTypes", b"officeDocument/2006/sharedTypes"),
    (b"officeDocument/customXml", b"officeDocument/2006/customXml"),
    (b"officeDocument/extendedProperties", b"officeDocument/2006/extended-properties"),
    (b"officeDocument/customProperties", b"officeDocument/2006/custom-properties"),
    (b"officeDocument/docPropsVTypes", b"officeDocument/2006/docPropsVTypes"),
)


def _as_plain_docx(data: bytes) -> bytes:
    """The package with its main part typed as a .docx's (a .docm/.dotx/.dotm holds the same XML),
    and a Strict Open XML document's namespaces named as a .docx's (python-docx finds no document
    in it otherwise: it was refused as damaged)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info)
            if info.filename == "[Content_Types].xml":
                for variant in _WORD_VARIANTS:
                    part = part.replace(variant, _WORD_MAIN)
            if _STRICT in part and info.filename.endswith((".xml", ".rels")):
                for strict, transitional in _STRICT_NAMESPACES:
                    part = part.replace(
                        _STRICT + strict, b"http://schemas.openxmlformats.org/" + transitional
                    )
            zout.writestr(info.filename, part)
    return out.getvalue()


def read_docx(path: Path, data: bytes | None = None) -> tuple[list[Grid], list[tuple[str, str]]]:
    """Return the tables of a .docx as grids and its paragraphs as (heading level, text)."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data) if data is not None else str(path))
    except (ValueError, KeyError) as exc:  # python-docx opens .docx only: a .docm, .dotx or Strict one as one
        try:
            document = docx.Document(io.BytesIO(_as_plain_docx(data or path.read_bytes())))
        except Exception:
            raise ReadError(f"{path.name} 已损坏或不是有效的 Word 文件") from exc
    except Exception as exc:
        raise ReadError(f"{path.name} 已损坏或不是有效的 Word 文件") from exc
    styles = {s.style_id: (s.name or "") for s in document.styles}
    outlined = _outline_levels(document)
    revised = next(document.element.body.iter(_w("ins"), _w("del"), _w("moveFrom"), _w("moveTo")), None)
    numbers = _numbering(document)
    grids: list[Grid] = []
    paragraphs: list[tuple[str, str]] = []
    top = 0  # the tables the user sees in Word (part names), not counting those pasted into cells
    for child in _blocks(document.element.body):
        if child.tag == _w("tbl"):
            top += 1
            first = len(grids)
            pending = [child]
            while pending:  # a table, then the indicator tables pasted into its cells, in order
                inner: list[Any] = []
                name = f"表格{top}" if len(grids) == first else f"表格{top}-{len(grids) - first}"
                grids.append(_table_grid(pending.pop(0), path, len(grids) + 1, inner, name, numbers))
                paragraphs.append(("table", str(len(grids))))
                pending[:0] = inner
        elif child.tag == _w("p"):
            label = numbers.label(child) if numbers else ""
            boxes = _table_boxes(child) if next(child.iter(TEXT_BOX), None) is not None else []
            text = visible(_para_text(child, skip=boxes)).strip()
            if not text:
                continue
            text = label + text
            level = ""
            ppr = child.find(_w("pPr"))
            if ppr is not None:
                style = ppr.find(_w("pStyle"))
                style_id = style.get(_w("val"), "") if style is not None else ""
                level = _named_level(styles.get(style_id, ""))
                outline = ppr.find(_w("outlineLvl"))
                if not level and outline is not None:
                    level = _outline_level(outline)
                elif not level:
                    level = outlined.get(style_id, "")
            paragraphs.append((level, text))
    if revised is not None:
        paragraphs.insert(0, (REVISED, REVISED_NOTE))
    return grids, paragraphs


def _numbering(document: Any) -> Numbering | None:
    """The document's lists (word/numbering.xml), None when it has none or they cannot be read (its
    paragraphs are then read without their numbers)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = next((r.target_part for r in document.part.rels.values() if r.reltype == RT.NUMBERING), None)
        if part is None:
            return None
        numbering = Numbering(part.element, document.styles.element)
    except Exception:  # a damaged numbering part: the text is still read
        return None
    return numbering or None


REVISED = "revised"  # (a paragraphs entry: the document has tracked changes not yet accepted)
REVISED_NOTE = (
    "文档中有未接受的修订（修订模式），已按接受全部修订后的内容读取；如需核对，请在 Word/WPS 中查看修订"
)


def _named_level(name: str) -> str:
    """A paragraph style's level by its name: "h1" … (Heading 1, 标题 1), "title", "generated" or ""."""
    match = re.search(r"(?:heading|标题)\s*(\d)", name.lower())
    if match:
        return f"h{match.group(1)}"
    if name.lower() == "title":
        return "title"
    return "generated" if name == GENERATED_STYLE else ""


def _outline_level(node: Any) -> str:
    """ "h1" … of a w:outlineLvl (0 is 1级); "" for 9, body text."""
    value = _int_val(node, 9)
    return f"h{value + 1}" if value < 9 else ""


def _outline_levels(document: Any) -> dict[str, str]:
    """Each paragraph style's level by the outline level it sets or inherits from the style it is
    based on (a unit's 报告一级标题 style with 大纲级别 1级, or based on 标题 1), as Word shows it
    in the navigation pane; "" for body text."""
    by_id = {s.style_id: s for s in document.styles}
    out: dict[str, str] = {}
    for style_id in by_id:
        seen: set[str] = set()
        current: str | None = style_id
        level = ""
        while current is not None and current in by_id and current not in seen:
            seen.add(current)
            element = by_id[current].element
            level = _named_level(by_id[current].name or "")
            outline = element.find(f"{_w('pPr')}/{_w('outlineLvl')}")
            if not level and outline is not None:
                level = _outline_level(outline)
            if level or outline is not None:
                break
            base = element.find(_w("basedOn"))
            current = base.get(_w("val")) if base is not None else None
        out[style_id] = level
    return out
