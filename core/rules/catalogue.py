"""The rule catalogue: every rule's id, severity, Chinese title and an example message.

``docs/rules.md`` is generated from this list (``python -m core.rules.docs``), so the
documentation and the checks cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.problems import ERROR, INFO, WARNING

YTH = "yth"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    example: str
    source: str = ""
    group: str = ""  # YTH: a check the 一体化 importer applies (ECOSYSTEM §2)


_RULES = (
    Rule(
        "V01",
        ERROR,
        "表中执行率与计算结果不符",
        "执行率应为 100.00%（35 ÷ 35），表中为 0",
        "RULES.md R3.1、R3.3；种子 001 东西部协作人才交流项目",
    ),
    Rule(
        "V02",
        ERROR,
        "资金合计行不等于各分项之和",
        "年度资金总额的全年预算数应为 101.17（当年财政拨款 101.17 + 上年结转资金 0），表中为 100",
        "R3.5",
    ),
    Rule("V03", ERROR, "执行率得分与计算结果不符", "执行率得分应为 8.66（10 × 86.61%），表中为 10", "R3.2"),
    Rule("V04", ERROR, "得分超过分值或为负数", "得分 12 超过分值 10", "R4.4；K14", YTH),
    Rule(
        "V05",
        ERROR,
        "一级指标下三级指标分值合计与规定不符",
        "产出指标的分值合计为 30，应为 50",
        "R2.4；K15",
        YTH,
    ),
    Rule(
        "V06",
        ERROR,
        "分值合计（含执行率）不等于总分",
        "指标分值合计 100 + 执行率分值 10 = 110，应为 100",
        "R2.4；种子 003；K15",
        YTH,
    ),
    Rule(
        "V07",
        ERROR,
        "表中总分与计算结果不符",
        "总分应为 110（执行率得分 10 + 指标得分 100），表中为 100",
        "R7.1",
    ),
    Rule(
        "V08",
        WARNING,
        "得分低于建议分但未说明原因",
        "已完成目标（实际 10名 ≥ 目标 5名），得分 8 低于建议分 10，请填写扣分原因",
        "R5.5、R6.1",
    ),
    Rule(
        "V09",
        ERROR,
        "未完成目标或执行率偏低但未填写偏差原因",
        "未完成目标（实际 0户 < 目标 ≥1户），请填写偏差原因分析及改进措施",
        "R6.1；种子 001",
    ),
    Rule(
        "V10",
        ERROR,
        "实际完成值含有比较符号",
        "实际完成值“≥0%”含有比较符号“≥”，应填写实际达到的数值",
        "R4.10；种子 001",
    ),
    Rule(
        "V11", ERROR, "定性指标得分不在等级分数段内", "定性指标已达成，得分应在 8–10 之间，表中为 6", "R5.1"
    ),
    Rule("V12", ERROR, "单元格中留有模板填写说明", "“偏差原因分析及改进措施”中仍是填写说明“请填写…”", "R6.3"),
    Rule(
        "V13",
        WARNING,
        "报告正文数字与表格不一致",
        "正文写执行率 100%，表中为 91.20%（831.95 ÷ 912.26）",
        "种子 001",
    ),
    Rule(
        "V14",
        WARNING,
        "年中预算调整未说明原因",
        "年初预算 0 万元，全年预算 100 万元（调整 +100），请在绩效指标的偏差原因分析或年度目标的完成情况中"
        "写明预算调整（追加、调减）的原因",
        "R3.6（四川）",
    ),
    Rule(
        "V15",
        WARNING,
        "二级指标不属于所在一级指标",
        "二级指标“时效指标”不属于一级指标“效益指标”（应为产出指标）",
        "R1.1；种子 004 附件3-3",
    ),
    Rule(
        "V16",
        ERROR,
        "评分表目标完成率与数量指标完成情况不符",
        "目标完成率应为 4（数量指标完成 2 个 / 共 4 个 × 8），表中为 8",
        "R8；种子 001 暖心",
    ),
    Rule(
        "V17", WARNING, "执行率被预算执行率指标重复计分", "指标“项目支出预算执行率”与资金执行率重复计分", "R2"
    ),
    Rule(
        "V18",
        ERROR,
        "金额或分值不是数字或超出范围",
        "“1234567890123456789012345678”超出范围：金额或分值的整数部分最多 15 位，请检查是否多输了数字",
        "问题 #10（旧文件或其他程序写入的值）",
    ),
    Rule("S01", WARNING, "目标与实际的计量单位不一致", "目标单位为“户”，实际为“人”", "种子 001 暖心关爱"),
    Rule(
        "S02",
        ERROR,
        "年度指标值为空或写在指标名称中",
        "年度指标值为空；指标名称“全市干部教育培训 4000 人”中含有目标值，请填入年度指标值栏",
        "种子 003",
    ),
    Rule(
        "S03",
        INFO,
        "年度指标值未写比较方向，按二级指标的默认方向评分",
        "年度指标值“100%”未写比较方向，方向按默认 ≥ 处理；如不同请在方向栏改为 ≥、≤ 或 =",
        "R1.5；成本 ≤、时效期限 ≤、其余 ≥",
    ),
    Rule(
        "S04",
        WARNING,
        "评分表公式项与数据计算结果不符",
        "预算结余率应为 7.33（结余率低于 10% 的项目 22 个 / 共 24 个 × 8），表中为 6.67",
        "R8；种子 001",
    ),
    Rule("S05", ERROR, "必填的表头信息为空", "“主管部门”为空", "V12"),
    Rule("S06", WARNING, "签字栏信息不完整", "填表人已填写，“单位负责人签字”为空", "种子 004"),
    Rule("S07", ERROR, "预期目标没有实际完成情况", "第 1 条目标的实际完成情况为空", "种子 001 暖心关爱"),
    Rule("S08", WARNING, "一级指标为空", "三级指标“涉密组织信息外泄率”的一级指标为空", "种子 001"),
    Rule(
        "S09",
        INFO,
        "二级指标名称不规范",
        "二级指标“可持续发展指标”不是规范名称（一级“效益指标”下应为：…）",
        "R1.4",
    ),
    Rule(
        "S10",
        INFO,
        "实际值远超目标，目标可能偏低",
        "实际 10名 超出目标 5名 100%（偏离度 ≥ 30%），请说明",
        "R4.5",
    ),
    Rule(
        "S11",
        WARNING,
        "资金全部执行但活动未开展",
        "执行率 100%，但全部实际完成值为 0（未开展），请核实",
        "种子 001 选调生",
    ),
    Rule(
        "S12",
        WARNING,
        "资金行为空却报告了执行率",
        "“项目支出”资金为空，指标“项目支出预算执行率”却为 100%",
        "种子 003",
    ),
    Rule(
        "S13",
        INFO,
        "成本指标使用了“≥”方向",
        "成本指标“人员经费支出”的目标为“≥881 万元”，成本指标通常为“≤”",
        "种子 004",
    ),
    Rule(
        "S14", WARNING, "实际完成值是区间或目标", "实际完成值“90%-100%”是区间，应填写实际达到的值", "种子 003"
    ),
    Rule("S15", INFO, "无法自动判断是否完成", "目标为定性，实际为数值，无法自动比较，请人工评分", "R4.9"),
    Rule("S16", INFO, "偏差原因未写改进措施", "偏差原因只说明了原因，请补充改进措施", "R6.1；种子 004"),
    Rule(
        "S17",
        WARNING,
        "预期目标与其他项目相同",
        "预期目标与“人才工作专项经费”完全相同，可能是复制错误",
        "种子 001",
    ),
    Rule("S18", WARNING, "有指标内容但分值为空", "指标“培训班次数”的分值为空", "R2.2"),
    Rule("S19", ERROR, "实际完成值为空", "年度指标值为“≥5名”，实际完成值为空", "R4.10"),
    Rule(
        "S20",
        WARNING,
        "执行率偏低未说明原因",
        "执行率 7.85% 低于 90%，请在偏差原因分析中说明资金未执行的原因及改进措施",
        "R3.6、R6.1；种子 001 暖心关爱",
    ),
    Rule(
        "S21",
        WARNING,
        "偏差原因中的金额疑似笔误",
        "偏差原因中写 921.26 万元，与本表全年预算数 912.26 万元两位数字顺序颠倒，请核对是否笔误",
        "种子 001 部门整体（实际预算 921.26）",
    ),
    Rule(
        "S22", ERROR, "预算数或执行数为负数", "年度资金总额的年初预算数为 -5，预算数和执行数不能为负数", "R3"
    ),
    Rule(
        "S23",
        WARNING,
        "万元金额超过两位小数",
        "年度资金总额的年初预算数为 12.345，万元金额只保留两位小数，表中和合计按 12.35 计算",
        "R3",
    ),
)

_YTH_RULES = (
    Rule(
        "Y01",
        WARNING,
        "定性指标实际完成值不是“达成、部分达成、未达成”",
        "定性指标的实际完成值“已完成”不是达成、部分达成、未达成之一，一体化系统不接受；可改为“达成”",
        "ECOSYSTEM §2；一体化导入前检查",
        YTH,
    ),
    Rule(
        "Y02",
        WARNING,
        "定性指标缺少完成情况简要描述",
        "定性指标“群众满意度”的完成情况简要描述为空，一体化系统要求必填",
        "ECOSYSTEM §2；一体化导入前检查",
        YTH,
    ),
    Rule(
        "Y03",
        WARNING,
        "定量指标实际完成值不是数字",
        "定量指标的实际完成值“约十次”不是数字，一体化系统只接受数字",
        "K25；一体化导入前检查",
        YTH,
    ),
    Rule(
        "Y04",
        WARNING,
        "二级指标分值合计与一体化模板不符",
        "数量指标的三级指标分值合计为 15，一体化模板规定为 20",
        "K4、K15；一体化导入前检查",
        YTH,
    ),
    Rule(
        "Y05",
        WARNING,
        "三级指标名称为空或重复",
        "三级指标名称“培训班次数”在本表中出现 2 次，一体化系统按名称匹配，会错配或丢失",
        "ECOSYSTEM §1；一体化导入前检查",
        YTH,
    ),
    Rule(
        "Y06",
        WARNING,
        "定性指标的单元格含有 * _ -",
        "定性指标的实际完成值“-”含有“-”，一体化系统不接受",
        "K25；一体化导入前检查",
        YTH,
    ),
)

# Scoring rules (P…): inflated self-scores and figures the 一体化 system computes (ECOSYSTEM §3).
_SCORING_RULES = (
    Rule(
        "P01",
        WARNING,
        "得分高于按规则计算的分数",
        "得分 1.8 高于按规则计算的 1.25（实际 770 < 目标 1228，2 × 实际/目标 62.70% = 1.25）",
        "ECOSYSTEM K6–K11、§4“严禁刻意抬高分数”",
    ),
    Rule(
        "P02",
        ERROR,
        "未完成定量目标却得满分",
        "未完成目标（实际 8名 < 目标 ≥10名）却得满分 10，按规则应为 8，请改正得分或在偏差原因中说明",
        "ECOSYSTEM K6、K14；RULES.md R4.1",
    ),
    Rule(
        "P03",
        WARNING,
        "表中执行率为四舍五入后的值",
        "表中执行率 86% 为 86.20%（86.2 ÷ 100）四舍五入到整数，建议写 86.20%",
        "RULES.md R3.3",
    ),
    Rule(
        "P04",
        INFO,
        "实际值达到目标的 120% 以上（蓝色标记）",
        "实际 12名 为目标 ≥10名 的 120.00%（≥ 120%，蓝色标记），目标可能设定偏低",
        "ECOSYSTEM K17（部分地区）",
    ),
    Rule(
        "P05",
        ERROR,
        "执行率分值与模板规定不符",
        "执行率分值应为 10（模板规定），表中为 100；按 10 计分",
        "ECOSYSTEM K2；RULES.md R2.1",
    ),
)

RULES: dict[str, Rule] = {r.id: r for r in (*_RULES, *_YTH_RULES, *_SCORING_RULES)}


@dataclass(frozen=True)
class ScoringOption:
    key: str
    title: str
    values: str
    default: str
    source: str


# The scoring options a template's "scoring" object switches (core/templates.py Scoring).
SCORING_OPTIONS = (
    ScoringOption(
        "reverse",
        "反向指标（≤ ＜）未完成时的计分",
        "excess：分值 × (1 − 超出比例)，实际 ≥ 2 倍目标得 0；ratio：分值 × 目标 ÷ 实际",
        "excess（一体化）",
        "ECOSYSTEM K8；RULES.md R4.2（P2、P3 印制表用 ratio）",
    ),
    ScoringOption(
        "equal",
        "等于指标（＝）未完成时的计分",
        "proportional：目标 > 0 时按正向比例；binary：未达到得 0。目标为 0 时实际 ≤ 0 得满分，否则 0",
        "proportional（一体化）",
        "ECOSYSTEM K7；RULES.md R4.3（湖南 binary）",
    ),
    ScoringOption(
        "negative_as_zero",
        "实际完成值为负数时按 0 计",
        "true / false",
        "true（一体化）",
        "ECOSYSTEM K10",
    ),
    ScoringOption(
        "bands",
        "定性指标等级分数段（占分值比例）",
        "{达成: [下限, 上限], 部分达成: […], 未达成: […]}",
        "达成 80–100%、部分达成 60–80%、未达成 0–60%（一体化）；部分地区 50%",
        "ECOSYSTEM K11；RULES.md R5.1、R5.2",
    ),
    ScoringOption(
        "strict",
        "严格比较符（＞ ＜）未完成时的计分",
        "same：与 ≥ ≤ 相同；binary：未达到得 0（河北）",
        "same",
        "ECOSYSTEM K9（河北，规则细节未见原文）",
    ),
    ScoringOption(
        "over_penalty",
        "超额完成扣分",
        "[倍数, 扣分]，如 [1.3, 2]：实际 ≥ 目标 130% 扣 2 分",
        "不启用",
        "ECOSYSTEM K16（部分地区）",
    ),
    ScoringOption(
        "over_flag",
        "超额完成蓝色标记（提示目标偏低）",
        "倍数，如 1.2",
        "不启用",
        "ECOSYSTEM K17（部分地区）",
    ),
    ScoringOption(
        "execution_caps",
        "按执行率限制总分",
        "[[执行率低于, 总分最高], …]，如 [[0.8, 89], [0.7, 79], [0.6, 69], [0.5, 59]]",
        "不启用",
        "ECOSYSTEM K18（部分地区）",
    ),
    ScoringOption(
        "grades",
        "等级分数线",
        '[[等级, 下限], …]；下限后加 ">" 表示不含（优 > 90）',
        "优 ≥ 90、良 ≥ 80、中 ≥ 60、差",
        "ECOSYSTEM K20；RULES.md R7.2（另有 80/70/60、优 > 90）",
    ),
    ScoringOption(
        "execution_weight（资金表）",
        "执行率分值",
        "数字；表中填写的分值与之不同时报错并按模板计分（P05）",
        "10",
        "ECOSYSTEM K2；RULES.md R2.1、R2.3",
    ),
)


def severity(rule_id: str) -> str:
    return RULES[rule_id].severity


def group(rule_id: str) -> str:
    return RULES[rule_id].group
