"""The bureau's commands: package, verify, review, sample (registered by ``core.cli``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

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
    who = f"{manifest['department']} {manifest['year']} 年度"
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
        data: dict[str, Any] = {"file": str(path), "ok": verdict.ok, "changes": verdict.changes}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif verdict.ok:
        m = verdict.manifest
        print(f"报送包未被改动：{m.get('department')} {m.get('year')} 年度，封包于 {m.get('sealed_at')}")
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
    if args.json:
        data = {
            "reports": [
                {
                    "file": r["file"],
                    "department": r["department"],
                    "year": r["year"],
                    "template": r["template"],
                    "forms": r["forms"],
                    "problems": r["problems"],
                }
                for r in result.reports
            ],
            "refused": result.refused,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        forms = sum(len(r["forms"]) for r in result.reports)
        print(f"已列入 {len(result.reports)} 份报告（{forms} 张表），未列入 {len(result.refused)} 个文件")
        for item in result.refused:
            print(f"  未列入 {item['file']}：{item['reason']}")
        if args.xlsx:
            print(f"已导出 {args.xlsx}")
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
    p.set_defaults(func=cmd_review)
