"""Generate ``docs/rules.md`` from the catalogue: ``python -m core.rules.docs > docs/rules.md``."""

from __future__ import annotations

import sys

from core.problems import SEVERITY_LABELS
from core.rules.catalogue import RULES

HEADER = """# ZiPing 检查规则 / rules

本文件由 `python -m core.rules.docs > docs/rules.md` 从规则目录（`core/rules/catalogue.py`）生成，
请勿手工编辑；测试会比对两者。V01–V17 对应 RULES.md §10 的检查清单，S 开头的规则为补充规则。
严重程度：错误（必须改正，`check` 退出码 1）、警告（请核实）、提示（供参考）。

| 编号 | 严重程度 | 规则 | 示例信息 | 依据 |
|---|---|---|---|---|
"""


def render() -> str:
    """Return the Markdown text of docs/rules.md."""
    lines = [HEADER.rstrip("\n")]
    for rule in RULES.values():
        cells = (rule.id, SEVERITY_LABELS[rule.severity], rule.title, rule.example, rule.source)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.stdout.buffer.write(render().encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
