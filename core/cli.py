"""Command line: python -m core COMMAND … (中文 / English)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from core.model import Report
from core.schema import HEAD, TABLE_LABELS, Table
from core.templates import Template, get_template
from core.version import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2

DESCRIPTION = """ZiPing 绩效自评助手 — 命令行 / command line

命令 / commands:
  new          新建报告文件 / create a new report file (.zpdb)
  import       导入 Excel/WPS/Word 文件（自评表、申报表、一体化模板）/ import Excel, WPS and Word files
  import-json  从交换 JSON 导入为报告文件 / import interchange JSON into a .zpdb
  export-json  把报告文件导出为交换 JSON / export a .zpdb as interchange JSON
  check        检查报告中的问题 / check a report (.zpdb or .json) for problems
  score        计算执行率、得分和等级 / compute execution rates, scores and grades
  export       导出 Word 报告与 Excel 附件 / export the Word report and Excel attachments
  next-year    由本年报告开始下一年度 / start next year's report from this one
  package      生成报送包 / seal a report into a submission package (.zip)
  verify       核验报送包是否被改动 / verify a package was not changed after sealing
  review       财政审核：汇总一批报告 / list a folder of reports for review
  sample       抽评：按等级随机抽取项目 / seeded 抽评 draw per grade

退出码 / exit status: 0 成功或无错误 ok; 1 有错误级问题 errors found (check);
2 输入无法读取 input cannot be read (原因见标准错误 reason on stderr)."""


class CliError(Exception):
    """A one-line Chinese reason; exit status 2."""


def _load(path_text: str) -> Report:
    """Read a report from .zpdb (read-only use) or interchange .json."""
    from core.interchange import InterchangeError, read_json_file
    from core.report import Document
    from core.storage.db import FileInUseError, StorageError

    path = Path(path_text)
    if not path.exists():
        raise CliError(f"文件“{path}”不存在，请检查路径。")
    if path.is_dir():
        raise CliError(f"“{path}”是文件夹，请给出报告文件（.zpdb 或 .json）。")
    if path.suffix.lower() == ".json":
        try:
            return read_json_file(path)
        except InterchangeError as exc:
            text = str(exc)
            raise CliError(text if path.name in text else f"无法读取“{path.name}”：{text}") from exc
    try:
        try:
            doc = Document.open(path, backup=False, read_only=True)
        except FileInUseError:
            # Another ZiPing has it open (its exclusive lock refuses even a read-only connection):
            # read it as the review side does — its committed edits are in the file — from a copy.
            return _load_held(path)
    except StorageError as exc:
        raise CliError(str(exc).replace("\n", " ")) from exc
    report = doc.report
    doc.close()
    return report


def _file_state(path: Path) -> tuple[object, ...]:
    """What changes when a commit begins or ends: the file's and its journal's size, time and head
    (the file's header counts changes; a journal's head is zeroed when its commit is done)."""
    state: list[object] = []
    for each in (path, path.with_name(path.name + "-journal")):
        try:
            st = each.stat()
            with open(each, "rb") as fh:
                state += [st.st_size, st.st_mtime_ns, fh.read(100)]
        except OSError:
            state.append(None)
    return tuple(state)


def _load_held(path: Path) -> Report:
    """Read a report another ZiPing holds open without writing, locking or migrating the file: copy
    it (with its journal when that is hot — a commit under way — which the copy's open rolls back,
    as the review's read of such a file does) into a temporary folder, taken again when a commit began
    or ended while it was copied, and open the copy read-only (an older one upgraded in memory)."""
    import shutil
    import tempfile
    import time

    from core.report import Document
    from core.review.readonly import hot_journal
    from core.storage.db import FileInUseError, StorageError, os_reason

    journal = path.with_name(path.name + "-journal")
    for _ in range(50):
        with tempfile.TemporaryDirectory(prefix="ziping-") as folder:
            copy = Path(folder) / path.name
            before = _file_state(path)
            hot = hot_journal(path)
            try:
                shutil.copyfile(path, copy)
                if hot:
                    shutil.copyfile(journal, copy.with_name(copy.name + "-journal"))
            except OSError as exc:
                raise StorageError(
                    f"无法读取文件“{path.name}”（{os_reason(exc)}），请检查文件是否可访问。"
                ) from exc
            if hot_journal(path) == hot and _file_state(path) == before:
                doc = Document.open(copy, backup=False, read_only=True)
                report = doc.report
                doc.close()
                return report
        time.sleep(0.02)
    raise FileInUseError(f"该报告正由另一窗口打开：{path.name}，请先在那个窗口中关闭它。")


def _write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file beside the target (a name no other writer uses); no partial
    file on failure; parts left by killed writers are removed first."""
    from core.storage.db import clean_stale_parts, part_name

    if target.is_dir():
        raise CliError(f"“{target}”是文件夹，请给出要写入的文件名。")
    clean_stale_parts(target.parent)
    tmp = part_name(target)
    try:
        write(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _create_zpdb(report: Report, out: Path, force: bool) -> None:
    from core.report import Document
    from core.storage.db import StorageError

    if out.exists() and not force:
        raise CliError(f"目标文件“{out.name}”已存在，如要覆盖请加 --force。")

    def write(tmp: Path) -> None:
        tmp.unlink(missing_ok=True)
        try:
            Document.create(tmp, report).close()
        except StorageError as exc:
            raise CliError(str(exc)) from exc

    _refuse_if_open(out)
    _write_atomically(out, write)


def _refuse_if_open(target: Path) -> None:
    """An existing report open in a window is never replaced (its lock is taken and given back)."""
    from core.storage.db import StorageError, lock_existing

    try:
        held = lock_existing(target)
    except StorageError as exc:
        raise CliError(str(exc)) from exc
    if held is not None:
        held.close()


def cmd_new(args: argparse.Namespace) -> int:
    from core.report import new_report
    from core.templates import TemplateError

    names = [n for n in (args.project or [])]
    try:
        report = new_report(args.template, args.year, args.department, names)
    except TemplateError as exc:
        raise CliError(str(exc)) from exc
    _create_zpdb(report, Path(args.output), args.force)
    print(f"已创建 {args.output}")
    return EXIT_OK


def cmd_import_json(args: argparse.Namespace) -> int:
    report = _load(args.input) if args.input.lower().endswith(".json") else None
    if report is None:
        raise CliError(f"输入应为 .json 交换文件：{args.input}")
    _create_zpdb(report, Path(args.output), args.force)
    print(f"已导入 {args.input} → {args.output}")
    return EXIT_OK


def _print_preview(preview: Any) -> None:
    for part in preview.sources:
        where = f"{Path(part.file).name}" + (f" · {part.part}" if part.part else "")
        if part.raw is None:
            print(f"{where}：{part.recognised_as}，跳过（{part.reason}）")
            continue
        action = {"new": "新建", "fill": "填入", "skip": "跳过"}[part.action]
        rows = "，".join(f"{TABLE_LABELS.get(Table(k), k)} {v} 行" for k, v in part.rows.items())
        print(f"{where}：{part.recognised_as} → {action}“{part.form}”（{rows}）")
        for check in part.checks:
            print(f"    请核对：{check}")
        for note in part.notes:
            print(f"    说明：{note}")
        for skip in part.skipped:
            print(f"    未导入 {skip.cell}：{skip.reason}")


def cmd_import(args: argparse.Namespace) -> int:
    from core.importers.api import build_report, merge_preview, preview_files
    from core.templates import TemplateError

    if not args.dry_run and bool(args.output) == bool(args.into):
        raise CliError("请指定 -o 新报告文件 或 --into 已有报告（二选一），或加 --dry-run 只预览")
    if args.template:
        try:
            get_template(args.template)
        except TemplateError as exc:
            raise CliError(str(exc)) from exc
    target = _load(args.into) if args.into else None
    preview = preview_files(
        args.sources, report=target, template=args.template, include_hidden=args.include_hidden
    )
    if not preview.recognised:
        raise CliError(preview.nothing_reason())
    try:
        if target is not None:
            scratch = target.clone()
            merge_preview(scratch, preview, overwrite=args.overwrite, template=get_template(target.template))
        else:
            built = build_report(preview, args.template, args.year or preview.year or 2000, args.department)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    if args.dry_run:
        if args.json:
            print(json.dumps(preview.to_json(), ensure_ascii=False, indent=2))
        else:
            _print_preview(preview)
        return EXIT_OK
    if target is None:
        if not (args.year or preview.year):
            raise CliError("未能从文件中看出年度，请用 --year 指定")
        _create_zpdb(built, Path(args.output), args.force)
        _print_preview(preview)
        print(f"已导入 → {args.output}（模板 {built.template}，{built.year} 年度，{len(built.forms)} 张表）")
        return EXIT_OK
    from core.importers.apply import apply_to_document
    from core.report import Document
    from core.storage.db import StorageError

    try:
        doc = Document.open(args.into)
    except StorageError as exc:
        raise CliError(str(exc).replace("\n", " ")) from exc
    try:
        undo = apply_to_document(doc, preview, overwrite=args.overwrite)
    finally:
        doc.close()
    _print_preview(preview)
    print(
        f"已导入 → {args.into}（{undo.changed} 处修改）" if undo.changed else "没有需要修改的内容（已导入过）"
    )
    return EXIT_OK


def cmd_export_json(args: argparse.Namespace) -> int:
    from core.interchange import dumps

    report = _load(args.input)
    text = dumps(report)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:

        def write(p: Path) -> None:
            p.write_text(text, encoding="utf-8")

        _write_atomically(Path(args.output), write)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from core.problems import ERROR
    from core.rules import check_report

    report = _load(args.input)
    problems = check_report(report, get_template(report.template))
    if args.json:
        print(json.dumps({"problems": [p.to_json() for p in problems]}, ensure_ascii=False, indent=2))
    else:
        for p in problems:
            where = " ".join(
                str(x)
                for x in (p.form, p.table, "" if p.row is None else p.row + 1, p.column or "")
                if x != ""
            )
            print(f"[{p.severity_label}] {p.rule} {where}：{p.message}")
        counts = {s: sum(1 for p in problems if p.severity == s) for s in ("error", "warning", "info")}
        print(f"共 {counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 个提示")
    return EXIT_PROBLEMS if any(p.severity == ERROR for p in problems) else EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from core.scoring import score_report

    report = _load(args.input)
    scores = score_report(report, get_template(report.template))
    data: dict[str, Any] = {"forms": [s.to_json() for s in scores]}
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for s in data["forms"]:
            print(
                f"{s[HEAD.name]}：执行率 {s['execution_rate']}，执行得分 {s['execution_score'] or '—'}，"
                f"总分 {s['total'] or '—'}，等级 {s['grade'] or '—'}"
                + (f"，{s['warning_why']}" if s["warning"] else "")
            )
    return EXIT_OK


def cmd_next_year(args: argparse.Namespace) -> int:
    from core.report import next_year_report

    report = _load(args.input)
    next_year = next_year_report(report, args.year, template=get_template(report.template))
    _create_zpdb(next_year, Path(args.output), args.force)
    year = args.year or report.year + 1
    print(f"已创建 {args.output}（{year} 年度，保留项目、指标和目标值，清空完成值与得分）")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if not any((args.xlsx, args.docx, args.yth, args.summary, args.analysis)):
        raise CliError("请至少指定 --xlsx、--docx、--yth、--summary 或 --analysis")
    report = _load(args.input)
    template = get_template(report.template)  # resolved once, for the check and every export below
    if args.xlsx and not report.forms:
        raise CliError(
            f"“{Path(args.input).name}”中还没有任何表，无法导出 Excel，请先在报告中添加部门整体支出表或项目。"
        )
    if args.xlsx or args.docx:  # the printed report and attachments: not with errors unless --force
        _refuse_errors(report, template, args.force)
    if args.public:
        from core.export.public import public_report

        report = public_report(report)
    _export_submission(report, template, args)
    if args.xlsx:
        from core.export.xlsx import write_xlsx

        _write_atomically(Path(args.xlsx), lambda p: write_xlsx(report, p, template=template))
        print(f"已导出 {args.xlsx}")
    if args.docx:
        from core.export.docx import write_docx

        _write_atomically(Path(args.docx), lambda p: write_docx(report, p, template=template))
        print(f"已导出 {args.docx}")
    return EXIT_OK


def _export_submission(report: Report, template: Template, args: argparse.Namespace) -> None:
    """Write the 一体化 import files, the 汇总表 and the 汇总分析报告 (issue 13)."""
    if args.yth:
        from core.export.yth import export_yth

        files, archive = export_yth(report, Path(args.yth), template=template)
        rows = sum(f.rows for f in files)
        print(f"已导出 {len(files)} 个一体化导入文件（共 {rows} 行指标）到 {args.yth}，压缩包 {archive}")
    if args.summary:
        from core.export.summary import write_summary_xlsx

        write_summary_xlsx(report, Path(args.summary), template=template)
        print(f"已导出 {args.summary}")
    if args.analysis:
        from core.export.analysis import write_analysis

        write_analysis(report, Path(args.analysis), template=template)
        print(f"已导出 {args.analysis}")


def _refuse_errors(report: Report, template: Template, force: bool) -> None:
    """Refuse to export a report that still has errors, unless ``--force``; say how many either way."""
    from core.problems import ERROR
    from core.rules import check_report

    errors = sum(1 for p in check_report(report, template) if p.severity == ERROR)
    if not errors:
        return
    if not force:
        raise CliError(
            f"报告还有 {errors} 个错误，未导出；请先用 check 命令查看并改正，或加 --force 仍然导出。"
        )
    print(f"注意：报告还有 {errors} 个错误，按 --force 仍然导出。", file=sys.stderr)


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors said in Chinese on one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"错误：命令参数有误（{message}）。用法见 python -m core --help\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m core", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"ZiPing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("new", help="新建报告文件 / create a new report file")
    p.add_argument("--template", required=True, help="模板（地区）/ template id, e.g. mof, hunan-yiyang")
    p.add_argument("--year", required=True, type=int, help="年度 / year, e.g. 2023")
    p.add_argument("--department", required=True, help="部门名称 / department name")
    p.add_argument("--project", action="append", help="项目名称，可重复 / project name (repeatable)")
    p.add_argument("-o", "--output", required=True, help="输出文件 / output .zpdb")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="导入 Excel/WPS/Word 文件 / import Excel, WPS and Word files")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="要导入的文件 .xlsx .xls .xml .docx / files")
    p.add_argument("-o", "--output", help="新报告文件 .zpdb / new report file")
    p.add_argument("--into", help="导入到已有报告 .zpdb / fill an existing report")
    p.add_argument("--template", help="模板（地区），默认按文件格式推荐 / template id")
    p.add_argument("--year", type=int, help="年度，默认从文件读取 / year")
    p.add_argument("--department", help="部门名称，默认从文件读取 / department")
    p.add_argument("--overwrite", action="store_true", help="覆盖已填写的值 / overwrite typed values")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入 / preview only")
    p.add_argument("--json", action="store_true", help="预览输出 JSON / print the preview as JSON")
    p.add_argument(
        "--include-hidden",
        action="store_true",
        help="包括隐藏内容（隐藏的工作表、行和列）/ include hidden content",
    )
    p.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite the output file")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("import-json", help="导入交换 JSON / import interchange JSON")
    p.add_argument("input", help="输入 .json / input JSON")
    p.add_argument("-o", "--output", required=True, help="输出 .zpdb / output report file")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite")
    p.set_defaults(func=cmd_import_json)

    p = sub.add_parser("export-json", help="导出交换 JSON / export interchange JSON")
    p.add_argument("input", help="报告文件 .zpdb（或 .json）/ report file")
    p.add_argument("-o", "--output", help="输出 .json，省略则打印 / output JSON (stdout if omitted)")
    p.set_defaults(func=cmd_export_json)

    p = sub.add_parser("check", help="检查问题 / check for problems")
    p.add_argument("input", help="报告文件 .zpdb 或 .json / report file")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("score", help="计算得分 / compute scores")
    p.add_argument("input", help="报告文件 .zpdb 或 .json / report file")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("next-year", help="由本年报告开始下一年度 / start next year's report from this one")
    p.add_argument("input", help="本年报告 .zpdb 或 .json / this year's report")
    p.add_argument("-o", "--output", required=True, help="输出 .zpdb / output report file")
    p.add_argument("--year", type=int, help="新年度，默认加一 / new year (default: +1)")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite")
    p.set_defaults(func=cmd_next_year)

    p = sub.add_parser("export", help="导出 Word 与 Excel / export Word and Excel")
    p.add_argument("input", help="报告文件 .zpdb 或 .json / report file")
    p.add_argument("--xlsx", help="Excel 附件输出路径 / output .xlsx")
    p.add_argument("--docx", help="Word 报告输出路径 / output .docx")
    p.add_argument(
        "--yth", metavar="DIR", help="一体化导入文件夹（另生成同名 .zip）/ 一体化 import files folder"
    )
    p.add_argument("--summary", metavar="FILE", help="自评汇总表 .xlsx / the 自评汇总表 alone")
    p.add_argument("--analysis", metavar="FILE", help="自评结果汇总分析报告 .docx / summary analysis report")
    p.add_argument("--public", action="store_true", help="公开版：不含填表人、联系电话等 / public version")
    p.add_argument("--force", action="store_true", help="有错误也导出 / export despite errors")
    p.set_defaults(func=cmd_export)

    from core.review.cli import register

    register(sub)
    return parser


def _utf8_output() -> None:
    """Write UTF-8 also when output is redirected on a Chinese Windows (cp936 cannot hold ✓ or €)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if stream is not None and encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    from core.review.cli import ReviewCliError

    _utf8_output()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_OK
    try:
        return int(args.func(args))
    except (CliError, ReviewCliError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        print(f"错误：{_describe(exc, args)}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _describe(exc: Exception, args: argparse.Namespace) -> str:
    """One Chinese sentence for an unexpected failure; the traceback goes to the log."""
    from core.errorlog import log_exception, log_path
    from core.storage.db import StorageError, os_reason

    if isinstance(exc, StorageError):
        return str(exc)
    log_exception(exc, f"python -m core {getattr(args, 'command', '')}")
    where = getattr(args, "input", "") or ""
    name = Path(where).name if where else "命令"
    if isinstance(exc, OSError):
        target = exc.filename or where
        shown = Path(str(target)).name if target else name
        return f"无法读写“{shown}”（{os_reason(exc)}），请检查路径、权限和磁盘空间后重试。"
    log = log_path()
    return f"处理“{name}”时出现意外错误，未完成，详情已记入 {log or '错误日志'}。"
