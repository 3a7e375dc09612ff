"""Chinese messages: the assessment body's governed adjustments (``evaluate --adjustments``, ``--as-of``)."""

ZH: dict[str, str] = {
    # the fields, in words, with their keys
    "the factor (factor)": "风险因素（factor）",
    "the stage (stage)": "阶段（stage）",
    "the probability (probability)": "发生概率等级（probability）",
    "the impact (impact)": "影响程度等级（impact）",
    "the justification (justification)": "调整理由（justification）",
    "the approver (approved_by)": "批准人（approved_by）",
    "the approval date (approved_on)": "批准日期（approved_on）",
    "the expiry date (expires)": "到期日期（expires）",
    # what to write
    "name the factor by its id (`riskassess rules show` lists them)":
        "写风险因素的编号（`riskassess rules show` 列出全部编号）",
    "`initial` (before measures), `post_measure` (after measures) or `both`":
        "`initial`（措施前）、`post_measure`（措施后）或 `both`（措施前后）",
    "say why the assessment body departs from the rule set's level: text, or {{zh: …, en: …}}":
        "说明评估主体为何不采用规则集给出的等级：一段文字，或 {{zh: …, en: …}}",
    "name who approved the adjustment": "写明批准该调整的人",
    "the date it was approved, YYYY-MM-DD": "批准的日期，格式 YYYY-MM-DD",
    "the last day it may be relied on, YYYY-MM-DD": "可依据该调整的最后一天，格式 YYYY-MM-DD",
    # reading the file
    "as-of date {value!r}: expected a date YYYY-MM-DD": "评估基准日{value!r}：应为 YYYY-MM-DD 格式的日期",
    "e.g. --as-of 2026-05-01": "例如 --as-of 2026-05-01",
    "rule set {id} grades by points alone: probability and impact do not count, so they cannot be adjusted":
        "规则集 {id} 只按分值评级，不使用发生概率和影响程度，因此无法调整",
    "expected a list of adjustments (- factor: …)": "应为调整的列表（每项以 `- factor:` 开头）",
    "each item: factor, stage, probability and/or impact, justification, approved_by, approved_on, expires":
        "每项包括 `factor`、`stage`、`probability` 和/或 `impact`、`justification`、`approved_by`、`approved_on`、"
        "`expires`",
    "the file lists no adjustments": "文件中没有任何调整",
    "add one, or leave out --adjustments": "请添加调整，或不使用 --adjustments",
    "adjustment {n} is not a mapping of {names}": "第 {n} 项调整应为由 {names} 组成的映射",
    "adjustment {n}: unknown field {key!r}": "第 {n} 项调整：未知字段{key!r}",
    "allowed: {names}": "可用字段：{names}",
    "adjustment {n}: {field} is missing": "第 {n} 项调整缺少{field}",
    "adjustment {n} sets no level: give the probability, the impact or both (1 to 5)":
        "第 {n} 项调整没有设定等级：请给出发生概率等级、影响程度等级或两者（1 至 5）",
    "adjustment {n}: rule set {id} has no factor {factor!r}": "第 {n} 项调整：规则集 {id} 中没有风险因素{factor!r}",
    "`riskassess rules show {id}` lists the factor ids": "`riskassess rules show {id}` 列出全部风险因素编号",
    "adjustment {n}: stage {stage!r} is not one of `initial`, `post_measure`, `both`":
        "第 {n} 项调整：阶段{stage!r}不是 `initial`、`post_measure`、`both` 之一",
    "adjustment {n}: {field} {value!r} is not a level from 1 to 5": "第 {n} 项调整：{field}{value!r}不是 1 至 5 的等级",
    "a whole number: 1, 2, 3, 4 or 5": "应为整数 1、2、3、4 或 5",
    "adjustment {n}: {field} must be text, or {{zh: …, en: …}} with both languages filled in":
        "第 {n} 项调整：{field}应为一段文字，或中英文都已填写的 {{zh: …, en: …}}",
    "adjustment {n}: {field} must be text that is not empty": "第 {n} 项调整：{field}应为非空文字",
    "adjustment {n}: {field} {value!r} is not a date YYYY-MM-DD": "第 {n} 项调整：{field}{value!r}不是 YYYY-MM-DD 格式的日期",
    "e.g. 2026-12-31": "例如 2026-12-31",
    "adjustment {n}: it expires on {expires}, before it was approved on {approved}":
        "第 {n} 项调整：到期日 {expires} 早于批准日 {approved}",
    "an adjustment cannot lapse before it is approved": "调整不能在批准之前到期",
    "adjustment {n} sets {factor} at a stage adjustment {other} also sets, on days both are in force":
        "第 {n} 项调整与第 {other} 项调整在同一阶段设定 {factor}，且两者有效期重叠",
    "let one expire before the next is approved, or remove one": "请让前一项到期后再批准后一项，或删除其中一项",
    "an as-of date judges when adjustments expire: give the adjustments too":
        "评估基准日用于判断调整是否到期：请同时给出调整文件",
    "--adjustments FILE": "--adjustments 文件",
    # verify
    "adjustment {n} ({factor}, {stage})": "第 {n} 项调整（{factor}，{stage}）",
    "{adjustment}: {field} {recorded!r} when the record was written, {current!r} in the record now":
        "{adjustment}：{field}在写入记录时为{recorded!r}，记录中现为{current!r}",
    "{adjustment}: in the record now, not when it was written": "{adjustment}：记录中现有，写入记录时没有",
    "{adjustment}: removed from the record after it was written": "{adjustment}：写入记录后被删除",
    "adjustments: in the record now, not when it was written": "评估主体调整：记录中现有，写入记录时没有",
    "adjustments: removed from the record after it was written": "评估主体调整：写入记录后被删除",
    "adjustments: as-of date {recorded!r} when the record was written, {current!r} in the record now":
        "评估主体调整：评估基准日在写入记录时为{recorded!r}，记录中现为{current!r}",
    "adjustments: they no longer match their recorded SHA-256": "评估主体调整：与记录的 SHA-256 不再相符",
}

#: The help of the options, by their English text.
HELP: dict[str, str] = {
    "The assessment body's governed adjustments (YAML): a factor's probability or impact set with a justification, "
    "an approver and an expiry.":
        "评估主体的受控调整（YAML）：设定某个风险因素的发生概率或影响程度等级，须附理由、批准人和到期日期。",
    "The date (YYYY-MM-DD) adjustments' expiry is judged on, kept in the record (default: today).":
        "判断调整是否到期所依据的评估基准日（YYYY-MM-DD），保存在评估记录中（默认：今天）。",
}
