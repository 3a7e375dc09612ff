"""Chinese messages: batch grading and what-if comparisons of a portfolio."""

ZH: dict[str, str] = {
    "no such file or directory": "文件或目录不存在",
    "give questionnaire files, directories of them, or a glob such as 'q/**/*.yaml'":
        "请给出问卷文件、问卷所在目录，或通配模式（如 'q/**/*.yaml'）",
    "no questionnaires (*.yaml) found in {sources}": "在 {sources} 中没有找到问卷（*.yaml）",
    "the summary is written as .jsonl or .csv, not {name!r}": "汇总只能写成 .jsonl 或 .csv 文件，不能是{name!r}",
    "grading": "评估中",
    "{graded} graded ({resumed} of them resumed from their records), {failed} refused; post-measure grades: {grades}":
        "已评估 {graded} 份（其中 {resumed} 份沿用已写出的记录），{failed} 份被拒绝；措施后风险等级：{grades}",
    "refused: {error}": "拒绝：{error}",
    "{path} ({project}): before measures {old_initial} → {new_initial}, after measures {old_post} → {new_post}; post-measure range {old_range} → {new_range}":
        "{path}（{project}）：措施前 {old_initial} → {new_initial}，措施后 {old_post} → {new_post}；措施后等级区间 {old_range} → {new_range}",
    "  - {reason}": "  - {reason}",
    "{changed} of {total} questionnaires grade differently under {rules}": "{total} 份问卷中有 {changed} 份在 {rules} 下等级不同",
    "factor {id} is new and applies ({level})": "风险因素 {id} 为新增且适用（{level}）",
    "factor {id} now applies ({level})": "风险因素 {id} 现在适用（{level}）",
    "factor {id} no longer applies": "风险因素 {id} 不再适用",
    "factor {id}: {old_initial} → {old_post} becomes {new_initial} → {new_post} (before → after measures)":
        "风险因素 {id}：由 {old_initial} → {old_post} 变为 {new_initial} → {new_post}（措施前 → 措施后）",
    "factor {id} is gone": "风险因素 {id} 已被删除",
    "override {id} now sets a floor of {grade}": "否决项 {id} 现在触发，等级至少为{grade}",
    "override {id} no longer fires": "否决项 {id} 不再触发",
    "scoring method {method} is new: {initial} → {post}": "新增计分方法 {method}：{initial} → {post}",
    "scoring method {method}: {old_initial} → {old_post} becomes {new_initial} → {new_post} (before → after measures)":
        "计分方法 {method}：由 {old_initial} → {old_post} 变为 {new_initial} → {new_post}（措施前 → 措施后）",
    "scoring method {method} is gone": "计分方法 {method} 已被删除",
    "registered {new} new entries ({held} already held) in {register}": "已在 {register} 中登记 {new} 条新记录（{held} 条已登记过）",
}
