"""Generate ``docs/rules.md`` from the catalogue: ``python -m core.rules.docs > docs/rules.md``."""

from __future__ import annotations

import sys

from core.problems import SEVERITY_LABELS
from core.rules.catalogue import RULES, SCORING_OPTIONS

HEADER = """# ZiPing 检查规则 / rules

本文件由 `python -m core.rules.docs > docs/rules.md` 从规则目录（`core/rules/catalogue.py`）生成，
请勿手工编辑；测试会比对两者。V01–V17 对应 RULES.md §10 的检查清单，S 开头的规则为补充规则。
严重程度：错误（必须改正，`check` 退出码 1）、警告（请核实）、提示（供参考）。

| 编号 | 严重程度 | 规则 | 示例信息 | 依据 |
|---|---|---|---|---|
"""

OPTIONS_HEADER = """## 评分口径（模板选项）

各地区的评分办法不同，由模板 JSON 的 `scoring` 对象选择；`mof`（财政部通用格式）使用预算管理一体化
系统的口径（ECOSYSTEM K6–K13）。定量指标未写比较方向时按二级指标的默认方向评分（成本 ≤、时效期限 ≤、
其余 ≥，见 S03）；扣减分数后的最终得分 = max(得分 − 扣减分数, 0)（K13）；自评预警（K22）：指标得分率
比执行率得分率高出 5% 以上为红色，全年预算数为 0 或未执行超过 20% 为黄色。

| 选项 | 含义 | 取值 | 默认 | 依据 |
|---|---|---|---|---|
"""


def render() -> str:
    """Return the Markdown text of docs/rules.md."""
    lines = [HEADER.rstrip("\n")]
    for rule in RULES.values():
        cells = (rule.id, SEVERITY_LABELS[rule.severity], rule.title, rule.example, rule.source)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", OPTIONS_HEADER.rstrip("\n")]
    for option in SCORING_OPTIONS:
        cells = (f"`{option.key}`", option.title, option.values, option.default, option.source)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.stdout.buffer.write(render().encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
