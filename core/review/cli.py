"""The bureau's commands: package, verify, review, sample (registered by ``core.cli``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from core.schema import REP

EXIT_OK, EXIT_CHANGED, EXIT_BAD_INPUT = 0, 1, 2


class ReviewCliError(Exception):
    """A one-line Chinese reason; exit status 2."""


def cmd_package(args: argparse.Namespace) -> int:
    from core.review.package import make_package
    from core.storage.db import StorageError

    source, out = Path(args.input), Path(args.output)
    if not source.exists():
        raise ReviewCliError(f"文件不存在：{source}")
    if out.exists() and not args.force:
        raise ReviewCliError(f"目标文件已存在：{out}（加 --force 覆盖）")
    try:
        manifest = make_package(source, out)
    except StorageError as exc:
        raise ReviewCliError(str(exc).replace("\n", " ")) from exc
    who = f"{manifest[REP.department]} {manifest[REP.year]} 年度"
    print(f"已生成报送包 {out}（{who}，{len(manifest['files'])} 个文件）")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from core.review.package import PackageError, verify_package

    path = Path(args.input)
    if not path.exists():
        raise ReviewCliError(f"文件不存在：{path}")
    try:
        verdict = verify_package(path)
    except PackageError as exc:
        if args.json:
            print(json.dumps({"file": str(path), "ok": False, "changes": [str(exc)]}, ensure_ascii=False))
            return EXIT_CHANGED
        raise ReviewCliError(str(exc)) from exc
    if args.json:
        data: dict[str, Any] = {
            "file": str(path),
            "ok": verdict.ok,
            "changes": verdict.changes,
            "notes": verdict.notes,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif verdict.ok:
        m = verdict.manifest
        print(f"报送包未被改动：{m.get(REP.department)} {m.get(REP.year)} 年度，封包于 {m.get('sealed_at')}")
        for note in verdict.notes:
            print(f"  注：{note}")
    else:
        print(f"报送包在封包后被改动（{len(verdict.changes)} 处）：")
        for change in verdict.changes:
            print(f"  - {change}")
    return EXIT_OK if verdict.ok else EXIT_CHANGED


def _progress_printer(enabled: bool) -> Any:
    import sys

    state = {"last": -1}

    def progress(done: int, total: int, label: str) -> bool:
        step = done * 10 // max(total, 1)
        if enabled and total and step != state["last"]:
            state["last"] = step
            print(f"读取 {done}/{total}", file=sys.stderr)
        return True

    return progress


def cmd_review(args: argparse.Namespace) -> int:
    from core.review.listing import write_list_xlsx
    from core.review.scan import scan

    result = scan(args.folders, progress=_progress_printer(not args.json))
    if args.xlsx:
        write_list_xlsx(result, Path(args.xlsx))
    if args.bulletin_xlsx or args.bulletin_docx:
        from core.review.bulletin import build_bulletin, write_bulletin_docx, write_bulletin_xlsx

        bulletin = build_bulletin(result.reports)
        if args.bulletin_xlsx:
            write_bulletin_xlsx(bulletin, Path(args.bulletin_xlsx))
        if args.bulletin_docx:
            write_bulletin_docx(bulletin, Path(args.bulletin_docx))
    if args.json:
        print(_list_json(result), end="")
    else:
        forms = sum(len(r["forms"]) for r in result.reports)
        print(f"已列入 {len(result.reports)} 份报告（{forms} 张表），未列入 {len(result.refused)} 个文件")
        for item in result.refused:
            print(f"  未列入 {item['file']}：{item['reason']}")
        for out in (args.xlsx, args.bulletin_xlsx, args.bulletin_docx):
            if out:
                print(f"已导出 {out}")
    return EXIT_OK


def _list_json(result: Any) -> str:
    """The list as JSON, one report a line: ``json`` encodes in C only without ``indent``, and the
    pretty-printed list of 1,000 reports took a second, five times the re-scan itself."""
    reports = [
        json.dumps(
            {
                "file": r["file"],
                REP.department: r[REP.department],
                REP.year: r[REP.year],
                REP.template: r[REP.template],
                "forms": r["forms"],
                "problems": r["problems"],
            },
            ensure_ascii=False,
        )
        for r in result.reports
    ]
    refused = [json.dumps(item, ensure_ascii=False) for item in result.refused]
    return '{"reports": [\n' + ",\n".join(reports) + '\n],\n"refused": [\n' + ",\n".join(refused) + "\n]}\n"


def cmd_sample(args: argparse.Namespace) -> int:
    from core.review.sample import SampleError, draw, draw_text, new_seed, parse_per_grade, write_sample
    from core.review.scan import scan
    from core.storage.db import StorageError

    try:
        per_grade = parse_per_grade(args.per_grade)
    except SampleError as exc:
        raise ReviewCliError(str(exc)) from exc
    seed = args.seed if args.seed is not None else new_seed()
    result = scan(args.folders, progress=_progress_printer(True))
    drawn = draw(result.reports, per_grade, seed)
    if not drawn:
        raise ReviewCliError("没有可抽取的项目（文件夹中没有已评级的项目）")
    try:
        target = write_sample(drawn, Path(args.output), seed)
    except StorageError as exc:
        raise ReviewCliError(str(exc)) from exc
    print(draw_text(drawn, seed), end="")
    short = {g: n for g, n in per_grade.items() if sum(d["grade"] == g for d in drawn) < n}
    for grade, n in short.items():
        print(f"注意：等级“{grade}”的项目不足 {n} 个，已全部抽取")
    print(f"已生成 {target}")
    return EXIT_OK


def cmd_review_result(args: argparse.Namespace) -> int:
    from core.review.results import write_forms_with_review, write_review_result
    from core.review.reviewfile import ReviewFile
    from core.storage.db import StorageError

    if not args.xlsx and not args.forms_xlsx:
        raise ReviewCliError("请至少指定 --xlsx 或 --forms-xlsx")
    try:
        review = ReviewFile.open(args.input)
    except StorageError as exc:
        raise ReviewCliError(str(exc).replace("\n", " ")) from exc
    try:
        if args.xlsx:
            write_review_result(review, Path(args.xlsx))
            print(f"已导出 {args.xlsx}")
        if args.forms_xlsx:
            write_forms_with_review(review, Path(args.forms_xlsx))
            print(f"已导出 {args.forms_xlsx}")
    finally:
        review.close()
    return EXIT_OK


def register(sub: Any) -> None:
    """Add the bureau's sub-commands to ``python -m core``."""
    p = sub.add_parser("package", help="生成报送包 / seal a report into a submission package")
    p.add_argument("input", help="报告文件 .zpdb / report file")
    p.add_argument("-o", "--output", required=True, help="输出 .zip / output package")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 / overwrite")
    p.set_defaults(func=cmd_package)

    p = sub.add_parser("verify", help="核验报送包 / verify a submission package")
    p.add_argument("input", help="报送包 .zip / package")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("review", help="财政审核：汇总报告 / list folders of reports for review")
    p.add_argument("folders", nargs="+", help="文件夹或文件 / folders of packages and .zpdb")
    p.add_argument("--xlsx", help="汇总表输出 .xlsx / write the list as .xlsx")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    p.add_argument("--bulletin-xlsx", help="通报 .xlsx / write the 通报 summary as .xlsx")
    p.add_argument("--bulletin-docx", help="通报 .docx / write the 通报 page as .docx")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("sample", help="抽评：按等级随机抽取 / seeded 抽评 draw per grade")
    p.add_argument("folders", nargs="+", help="文件夹或文件 / folders of packages and .zpdb")
    p.add_argument("--seed", type=int, help="随机种子，省略则随机生成并打印 / seed (printed)")
    p.add_argument(
        "--per-grade", required=True, help="每个等级抽取数量 / count per grade, e.g. 优=3,良=2,中=1,差=1"
    )
    p.add_argument("-o", "--output", required=True, help="输出文件夹 / output folder")
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("review-result", help="导出复核结果 / export a review file's 复核 result")
    p.add_argument("input", help="复核文件 .zpdb / review file")
    p.add_argument("--xlsx", help="复核结果 .xlsx / the 复核 result workbook")
    p.add_argument("--forms-xlsx", help="带财政复核得分列的表格 .xlsx / forms with the 复核 column")
    p.set_defaults(func=cmd_review_result)
