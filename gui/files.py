"""Opening, creating and importing report files, and the first-run sample report.

Every function either returns an open Document or raises ``FileProblem`` whose message is Chinese
and for the user; nothing is written when it fails.
"""

from __future__ import annotations

from pathlib import Path

from core.interchange import InterchangeError, read_json_file
from core.model import Report
from core.paths import sample_report_path, user_data_dir
from core.report import Document, InputError
from core.storage import db as storage
from core.storage.database import RowsDamaged
from core.storage.db import DamagedFileError, StorageError, damaged_message, os_reason
from core.templates import TemplateError

# Files 文件 → 导入… reads (and that may be dropped onto the window).
# .doc and .wps are taken only to say how to save them as .docx (the importer cannot read them)
IMPORT_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".xml", ".docx", ".doc", ".wps"}

SAMPLE_NAME = "示例报告.zpdb"
SUFFIX = ".zpdb"


class FileProblem(Exception):
    """A file that cannot be opened, created or imported; the message is for the user."""


def open_report(path: Path | str, read_only: bool = False, backup_later: bool = False) -> Document:
    """Open a .zpdb for editing (or only to look at, check and export: ``read_only``); with
    ``backup_later`` the caller takes the backup (``Document.back_up``) once the report shows. A form's
    rows are read when first shown or checked (``lazy_rows``): a big report shows without waiting for
    all of them. A file of a shape found right before is not compared object by object again
    (``remember_shapes``)."""
    remember_shapes()
    try:
        doc = Document.open(Path(path), read_only=read_only, backup_later=backup_later, lazy_rows=True)
    except (StorageError, TemplateError) as exc:
        raise FileProblem(str(exc)) from exc
    except OSError as exc:
        raise FileProblem(
            f"无法打开文件“{Path(path).name}”（{os_reason(exc)}），请检查文件是否可访问。"
        ) from exc
    try:  # the first form's rows and the next ones' (all of most reports): a damaged one refuses the
        if doc.report.forms:  # open as an eager read does (a later one: the window's damaged_rows)
            doc.report.forms[0].load_rows()
    except RowsDamaged as exc:
        doc.close()
        damaged = DamagedFileError(damaged_message(Path(path)))
        damaged.__cause__ = exc
        raise FileProblem(str(damaged)) from damaged
    return doc


def remember_shapes() -> None:
    """Let the window's opens remember the report shapes they found right, in the data folder's
    cache/ (core/storage/db.py, ``shapes_folder``): her last report, opened at every start, is then
    judged without comparing its schema object by object."""
    try:
        storage.shapes_folder = user_data_dir() / "cache"
    except OSError:  # no data folder to be had: every file compared, as before
        storage.shapes_folder = None


def create_report(path: Path | str, report: Report) -> Document:
    """Write a new report to ``path`` and open it (refuses to overwrite)."""
    path = with_suffix(path)
    try:
        return Document.create(path, report)
    except (StorageError, TemplateError, InputError) as exc:
        raise FileProblem(str(exc)) from exc
    except OSError as exc:
        raise FileProblem(f"无法创建文件“{path.name}”（{os_reason(exc)}），请选择一个可写的文件夹。") from exc


def read_interchange(source: Path | str) -> Report:
    """Read an interchange .json file into a Report."""
    try:
        return read_json_file(Path(source))
    except (InterchangeError, TemplateError) as exc:
        text = str(exc)
        name = Path(source).name
        raise FileProblem(text if name in text else f"无法导入“{name}”：{text}") from exc
    except OSError as exc:
        raise FileProblem(
            f"无法读取“{Path(source).name}”（{os_reason(exc)}），请检查文件是否可访问。"
        ) from exc


def import_json(source: Path | str, target: Path | str) -> Document:
    """Import an interchange .json file into a new .zpdb at ``target``."""
    return create_report(target, read_interchange(source))


def with_suffix(path: Path | str) -> Path:
    path = Path(path)
    return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)


def sample_target() -> Path:
    return user_data_dir() / SAMPLE_NAME


def is_sample(path: Path | str) -> bool:
    """Return True for the user's copy of the sample report."""
    return Path(path).resolve() == sample_target().resolve()


def ensure_sample() -> Path:
    """Return the user's copy of the sample report, importing it first when it is missing."""
    target = sample_target()
    if not target.exists():
        import_json(sample_report_path(), target).close()
    return target
