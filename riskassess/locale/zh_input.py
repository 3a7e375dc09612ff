"""Chinese messages: reading questionnaires and YAML files (what an owner meets first)."""

ZH: dict[str, str] = {
    # files
    "file not found": "文件不存在",
    "check the path": "请检查路径",
    "cannot read file: {reason}": "无法读取文件：{reason}",
    "permission denied": "没有读取权限",
    "is a directory, expected a YAML file": "这是一个目录，应为 YAML 文件",
    "file is {size:,} bytes, more than the {limit:,}-byte limit":
        "文件有 {size:,} 字节，超过 {limit:,} 字节的上限",
    "is this the right file? questionnaires and rule sets are far smaller":
        "请确认文件是否选对：问卷和规则集远小于此",
    "not valid UTF-8 (byte {byte})": "不是有效的 UTF-8 编码（第 {byte} 字节）",
    "save the file as UTF-8": "请将文件另存为 UTF-8 编码",
    "document is more than the {limit:,}-byte limit": "文档超过 {limit:,} 字节的上限",
    "file is empty": "文件为空",
    "run `riskassess init` for a template": "可运行 `riskassess init` 生成问卷模板",
    "file holds no YAML document": "文件中没有 YAML 内容",
    # YAML syntax
    "invalid YAML: {problem}": "YAML 格式错误：{problem}",
    "invalid YAML (the parser says: {detail})": "YAML 格式错误",
    "check the indentation, colons and quotes on this line and the one before":
        "请检查本行及上一行的缩进、冒号和引号",
    "a colon where YAML does not expect one: the line before may lack its 'key: ', a value that contains "
    "': ' must be quoted, or the indentation is wrong":
        "此处不应出现冒号：可能是上一行缺少“键: ”的冒号，或含“: ”的值需加引号，或缩进有误",
    "a line without 'key: value' inside a mapping: add the colon and a space, or fix the indentation":
        "映射中有一行不是“键: 值”的形式：请补上冒号和空格，或调整缩进",
    "a tab character: YAML indents with spaces only": "出现制表符（Tab）：YAML 只能用空格缩进",
    "a character that cannot start a value here (often a tab: YAML indents with spaces only)":
        "此处的字符不能作为值的开头（常见原因是制表符：YAML 只能用空格缩进）",
    "the indentation does not line up with the keys around it": "缩进与上下文的键没有对齐",
    "the indentation does not line up with the list items around it": "缩进与上下文的列表项没有对齐",
    "a value is missing or a bracket is misplaced": "缺少值，或括号位置有误",
    "a list in brackets is not closed with ']' (or items are not separated by ASCII commas)":
        "方括号列表没有用“]”闭合（或列表项之间不是半角逗号）",
    "a mapping in braces is not closed with '}}' (or entries are not separated by ASCII commas)":
        "花括号映射没有用“}}”闭合（或各项之间不是半角逗号）",
    "the file ends inside a quoted text or a bracket: close it": "文件在引号或括号内结束：请补上闭合的引号或括号",
    "an unknown backslash escape inside double quotes: write \\\\ for a backslash, or use single quotes":
        "双引号内有无法识别的反斜杠转义：反斜杠请写成 \\\\，或改用单引号",
    "a list item ('- ') where a value was expected on the same line: put the list on the next lines, indented":
        "此处应在同一行写值，却出现了列表项（“- ”）：请把列表写在下面几行并缩进",
    "anchors and aliases (&name / *name) are not allowed": "不允许使用锚点和别名（&名称 / *名称）",
    "more than one YAML document ('---'): a file holds one": "文件中有多个 YAML 文档（“---”）：一个文件只能有一个",
    "a colon where YAML does not expect one: quote the value": "此处不应出现冒号：请给值加引号",
    "nested more than {depth} levels deep": "嵌套超过 {depth} 层",
    "no questionnaire or rule set needs this; check the brackets": "问卷和规则集都不需要这么深的嵌套，请检查括号",
    "write the value out in full": "请把值完整写出",
    "tag {tag!r} is not allowed": "不允许使用标签{tag!r}",
    "remove the tag; only plain YAML values are read": "请删除标签：只读取普通的 YAML 值",
    "merge keys (<<) are not allowed": "不允许使用合并键（<<）",
    "a mapping key must be a plain scalar": "映射的键必须是普通的单个值",
    "duplicate key {key!r} (first given on line {first})": "键{key!r}重复（第 {first} 行已出现）",
    "remove one of them; YAML would silently keep the last": "请删除其中一个：否则 YAML 会悄悄只保留后一个",
    "{value!r} is not a finite number": "{value!r}不是有限的数",
    # full-width punctuation typed for YAML's own
    "the indentation holds a full-width space (U+3000)": "缩进中有全角空格（U+3000）",
    "indent with ASCII spaces only": "请只用半角空格缩进",
    "the key {key!r} is followed by a full-width colon '：'": "键{key!r}后面是全角冒号“：”",
    "write an ASCII colon and a space: {fixed}": "请改为半角冒号加一个空格：{fixed}",
    "a list item starts with a full-width dash '－'": "列表项以全角减号“－”开头",
    "write '- ' (ASCII)": "请改为半角“- ”",
    "full-width {char!r} inside brackets": "括号内有全角字符{char!r}",
    "inside [ ] and {{ }} write the ASCII {ascii!r}": "在 [ ] 和 {{ }} 内请写半角的{ascii!r}",
    "{char!r} is full-width; YAML reads it as part of the text. Write the ASCII {ascii!r}":
        "{char!r}是全角字符，YAML 会把它当作文字的一部分；请写半角的{ascii!r}",
    # schema
    "a whole number": "整数",
    "a number": "数字",
    "a text": "文字",
    "true or false": "true 或 false",
    "a mapping (key: value lines)": "映射（若干“键: 值”行）",
    "~ (unknown)": "~（未知）",
    "{first} or {second}": "{first}或{second}",
    "expected {want}, got {got}": "应为{want}，实际为{got}",
    "expected {want} (or ~ for unknown), got {got}": "应为{want}（未知请写 ~），实际为{got}",
    "boolean {value}": "是非值 {value}",
    "a mapping": "映射",
    "a list": "列表",
    "a single value": "单个值",
    "{value!r}": "{value!r}",
    "unknown field {key!r}": "未知字段{key!r}",
    "did you mean {name!r}?": "是否应为{name!r}？",
    "allowed here: {names}": "此处可用：{names}",
    "missing required field {name!r}": "缺少必填字段{name!r}",
    "see `riskassess schema {which}`": "参见 `riskassess schema {which}`",
    "{value!r} is not one of: {options}": "{value!r}不是可选值之一：{options}",
    "rates and shares are fractions from 0 to 1": "比率和比例写作 0 到 1 之间的小数",
    "must be {sign} {limit}, got {value!r}": "应 {sign} {limit}，实际为{value!r}",
    "{value!r} is not a date": "{value!r}不是日期",
    "write YYYY-MM-DD": "请写成 YYYY-MM-DD（如 2026-03-01）",
    "must be {expected!r}, got {value!r}": "应为{expected!r}，实际为{value!r}",
    "{value!r} is not an answer path": "{value!r}不是答案路径",
    "write a dotted path such as land.households_relocated": "请写成以点分隔的路径，如 land.households_relocated",
    "does not match the schema: {detail}": "不符合格式要求",
    "needs at least {count} item(s)": "至少需要 {count} 项",
    "takes at most {count} item(s)": "至多 {count} 项",
    "to say the whole section does not apply, write {section}: not_applicable":
        "如整部分不适用，请写 {section}: not_applicable",
    "write true (是) or false (否)": "请写 true（是）或 false（否）",
    "write the share as a fraction without %: {value}": "比例请写成不带 % 的小数：{value}",
    "write the number without quotes: {value}": "数字不要加引号：{value}",
    "a rough figure is written {{at_least: 1000}}, {{at_most: 50}} or {{between: [2000, 3000]}}":
        "约数请写成 {{at_least: 1000}}（至少）、{{at_most: 50}}（至多）或 {{between: [2000, 3000]}}（介于）",
    # approximate answers
    "expected a number or an approximate answer, got keys {keys}": "应为数字或约数，实际为以下键：{keys}",
    "write {{at_least: N}}, {{at_most: N}} or {{between: [LOW, HIGH]}}, or ~ for unknown":
        "请写 {{at_least: N}}、{{at_most: N}} 或 {{between: [下限, 上限]}}，未知请写 ~",
    "write {{at_least: N}}, {{at_most: N}} or {{between: [LOW, HIGH]}}":
        "请写 {{at_least: N}}、{{at_most: N}} 或 {{between: [下限, 上限]}}",
    "an approximate answer takes one of {keys}, got {given}": "约数只能用 {keys} 之一，实际为 {given}",
    "between needs two numbers: [LOW, HIGH]": "between 需要两个数：[下限, 上限]",
    "{value} is outside {limits}": "{value} 超出范围 {limits}",
    "between [{low}, {high}]: the first bound is larger than the second": "between [{low}, {high}]：下限大于上限",
    "write the smaller number first": "请把较小的数写在前面",
    # the questionnaire as a whole
    "the questionnaire must be a mapping of sections, not {kind}": "问卷应由各部分组成（映射），而不是{kind}",
    "start from `riskassess init`": "可从 `riskassess init` 生成的模板开始填写",
    "section {name!r} cannot be not_applicable; only {allowed} can": "{name!r}部分不能写 not_applicable；只有 {allowed} 可以",
    "answer the fields of {name}, or leave the section out while they are unknown":
        "请填写 {name} 的各项，未知时可整部分不写",
    "... and {count} more problems": "……另有 {count} 个问题",
    "evidence for {key!r}, which is not a questionnaire field": "证据{key!r}对应的不是问卷字段",
    "duplicate measure id {id!r} (also measure {other})": "措施编号{id!r}重复（第 {other} 项措施也用了）",
    "addresses unknown factor {id!r}": "针对的风险因素{id!r}不存在",
    "run `riskassess rules show` for factor ids": "可运行 `riskassess rules show` 查看风险因素编号",
    # answers that contradict each other
    "valid questionnaires ({valid}) exceed those issued ({issued})": "有效问卷数（{valid}）多于发放数（{issued}）",
    "{parts} = {total} exceeds the {valid} valid questionnaires": "{parts} = {total}，超过有效问卷数 {valid}",
    "{parts} = {total} exceeds the {issued} questionnaires issued": "{parts} = {total}，超过发放问卷数 {issued}",
    "the counts split the valid questionnaires": "各项人数之和不应超过有效问卷数",
    "{parts} add up to more than 1": "{parts} 之和大于 1",
    "shares are fractions of the valid questionnaires: 97.1 % → 0.971": "比例是占有效问卷的小数：97.1% 写作 0.971",
    "conducted: false, but the survey has results": "conducted: false（未开展调查），却填写了调查结果",
    "a survey with counts or shares was conducted: write conducted: true, or remove the results":
        "有人数或比例说明调查已开展：请写 conducted: true，或删除调查结果",
    "{name}_share {share} does not match {name}/valid = {count}/{valid} = {ratio}":
        "{name}_share {share} 与 {name}/valid = {count}/{valid} = {ratio} 不符",
    "give the published share only when the counts are not known": "只有在不知道人数时才填写公布的比例",
    "{part} ({value}) is more than the land expropriated ({whole})": "{part}（{value}）大于征收土地总面积（{whole}）",
    "it is part of the land taken": "它是征收土地的一部分",
    "forced_demolition_planned is true, but no household is relocated":
        "forced_demolition_planned 为 true（计划强制拆除），但没有搬迁户",
    "largest_incident_size is given, but mass_incidents_3y is 0":
        "填写了 largest_incident_size（最大事件规模），但 mass_incidents_3y（近三年群体性事件）为 0",
    "with no incident, the largest incident size is 0": "没有事件时，最大事件规模为 0",
    "layoffs ({layoffs}) exceed the staff before layoffs ({staff})": "裁员人数（{layoffs}）多于裁员前职工人数（{staff}）",
    # rule-pack field definitions
    "needs zh and en text, got {value!r}": "需要 zh 和 en 两种文字，实际为{value!r}",
    "a field definition must be a mapping": "字段定义必须是映射",
    "unknown key(s) in field definition: {keys}": "字段定义中有未知的键：{keys}",
    "type must be one of {kinds}, got {kind!r}": "type 应为 {kinds} 之一，实际为{kind!r}",
    "every enum value needs zh/en enum_titles": "每个枚举值都需要 zh/en 的 enum_titles",
    "required field {name!r} is not defined": "必填字段{name!r}没有定义",
    "not_applicable needs a title and implies: answers of this section's own fields":
        "not_applicable 需要 title 和 implies（本部分字段的答案）",
    "redefines existing field(s) {names} of section {section!r}": "重复定义了{section!r}部分已有的字段：{names}",
    "use a new field name": "请使用新的字段名",
}
