"""Chinese messages: plugins, the engine, and verifying a record."""

ZH: dict[str, str] = {
    # loading and registering plugins
    "plugin {plugin!r} implements an unknown hook: {error}": "插件 {plugin!r} 实现了未知的钩子：{error}",
    "check the hook names in riskassess.hookspecs": "请对照 riskassess.hookspecs 检查钩子名称",
    "plugin {plugin!r} is invalid: {error}": "插件 {plugin!r} 无效：{error}",
    "plugin {plugin!r} cannot be registered: {error}": "插件 {plugin!r} 无法注册：{error}",
    "plugin {plugin!r} ({value}) failed to import: {error}": "插件 {plugin!r}（{value}）导入失败：{error}",
    "fix or uninstall it, or set {setting}": "请修复或卸载该插件，或设置 {setting} 停用它",
    "plugin {plugin!r} registered a rule set that is not a path: {path!r}":
        "插件 {plugin!r} 注册的规则集不是路径：{path!r}",
    "plugin {plugin!r} registered questionnaire fields with a bad namespace or field map: {namespace!r}":
        "插件 {plugin!r} 注册问卷字段时给出的命名空间或字段表无效：{namespace!r}",
    "questionnaire extension namespace {namespace!r} is registered by both {other!r} and {plugin!r}":
        "问卷扩展命名空间 {namespace!r} 被 {other!r} 和 {plugin!r} 重复注册",
    "plugin {plugin!r} registered an invalid {kind}: {problem}": "插件 {plugin!r} 注册的{kind}无效：{problem}",
    "{kind} {name!r} is registered by both {other!r} and {plugin!r}":
        "{kind} {name!r} 被 {other!r} 和 {plugin!r} 重复注册",
    "uninstall one, or block it with {variable}": "请卸载其中一个，或用 {variable} 停用它",
    "plugin {plugin!r} raised in {hook}: {error}": "插件 {plugin!r} 在 {hook} 中出错：{error}",
    "fix or disable it ({setting})": "请修复该插件，或设置 {setting} 停用它",
    "expected an Operator, got {got}": "应为 Operator 对象，实际为 {got}",
    "expected an OutputFormat, got {got}": "应为 OutputFormat 对象，实际为 {got}",
    "expected a DerivedFact, got {got}": "应为 DerivedFact 对象，实际为 {got}",
    "expected a scoring method with .name and .prepare(), got {got}":
        "应为带有 .name 和 .prepare() 的计分方法，实际为 {got}",
    "scoring method {name!r} needs a zh/en title (riskassess.Label)":
        "计分方法 {name!r} 需要中英文标题（riskassess.Label）",
    # the engine: rule sets by id, grading, plugins called while grading
    "plugin {plugin!r} registered an unreadable rule set: {error}": "插件 {plugin!r} 注册的规则集无法读取：{error}",
    "plugin {plugin!r} registered a rule set with no id": "插件 {plugin!r} 注册的规则集没有 id",
    "rule set id {id!r} is provided twice: {first} ({first_plugin}) and {second} ({second_plugin})":
        "规则集编号 {id!r} 重复：{first}（{first_plugin}）和 {second}（{second_plugin}）",
    "no rule set with id {id!r}; available: {ids}": "没有编号为 {id!r} 的规则集；可用：{ids}",
    "none": "无",
    "pass a path with --rules (e.g. ./my-pack), or run `riskassess rules list`":
        "可用 --rules 指定路径，如 ./my-pack；或运行 `riskassess rules list` 查看可用规则集",
    "rule sets extend each other in a cycle": "规则集之间的继承（extends）形成了循环",
    "cannot grade without answers the rule set requires: {rules}": "缺少规则集要求的答案，无法评级：{rules}",
    "{rule} needs {facts}": "{rule} 需要 {facts}",
    "{before}; {after}": "{before}；{after}",
    "answer these fields (the rule set declares on_unknown: refuse)":
        "请回答这些字段（规则集对其声明了 on_unknown: refuse）",
    "section {name!r} is {kind}, not a mapping of answers": "问卷部分 {name!r} 的值是 {kind}，不是由答案组成的映射",
    "validate answers first (Engine.questionnaire)": "请先校验答案（Engine.questionnaire）",
    "a plugin raised in {hook}: {error}": "有插件在 {hook} 中出错：{error}",
    "derived fact {path} (plugin {plugin!r}) failed: {error}": "派生事实 {path}（插件 {plugin!r}）计算出错：{error}",
    "fix or disable the plugin that provides it": "请修复或停用提供它的插件",
    "scoring method {method!r} (plugin {plugin!r}) derive() returned {kind}, not a riskassess.Derivation":
        "计分方法 {method!r}（插件 {plugin!r}）的 derive() 返回了 {kind}，而不是 riskassess.Derivation",
    "scoring method {method!r} derives {derived!r} but grades {graded!r} for the same factors":
        "计分方法 {method!r} 对同一组风险因素推导出 {derived!r}，评定的等级却是 {graded!r}",
    "the plugin is inconsistent": "该插件前后不一致",
    # verify: reading the record
    "not valid JSON: {problem}": "不是有效的 JSON：{problem}",
    "not a riskassess assessment record (no record_format 1 / record_id)":
        "不是 riskassess 评估记录（没有 record_format 1 / record_id）",
    "pass the file written by `riskassess evaluate --out record.json`":
        "请给出 `riskassess evaluate --out record.json` 写出的文件",
    "not a valid assessment record: {problem}": "不是有效的评估记录：{problem}",
    "see `riskassess schema record`": "参见 `riskassess schema record`",
    "record has no digest": "评估记录没有摘要（digest）",
    "record holds no answers": "评估记录中没有答案",
    # verify: what differs
    "record content: the record was changed after it was written (its digest no longer matches its record_id)":
        "记录内容：评估记录生成后被修改过（摘要与 record_id 不再一致）",
    "answers: the answers in the record do not match their recorded SHA-256":
        "答案：记录中的答案与记录的 SHA-256 不符",
    "rule files: rule set {id!r} cannot be loaded here: {error}": "规则文件：本机无法加载规则集 {id!r}：{error}",
    "rule files: record used {recorded!r}, verifying with {current!r}":
        "规则文件：记录使用的是 {recorded!r}，本次用 {current!r} 核验",
    "rule files: {id} version {recorded} in the record, {current} here":
        "规则文件：{id} 的版本在记录中为 {recorded}，本机为 {current}",
    "rule files: {id} file SHA-256 differs ({recorded}… in the record, {current}… here: {source})":
        "规则文件：{id} 的文件 SHA-256 不同（记录中为 {recorded}…，本机为 {current}…：{source}）",
    "rule files: {id} no longer extends {parent}": "规则文件：{id} 已不再继承 {parent}",
    "rule files: {parent} (extended by {id}) changed: version {old_version} → {new_version}, SHA-256 {old_sha}… → {new_sha}…":
        "规则文件：{parent}（被 {id} 继承）已变化：版本 {old_version} → {new_version}，SHA-256 {old_sha}… → {new_sha}…",
    "plugin versions: {name} {recorded} in the record, {current} here":
        "插件版本：{name}（记录中：{recorded}；本机：{current}）",
    "absent": "未安装",
    "engine: riskassess {recorded} in the record, {current} here":
        "引擎：记录中为 riskassess {recorded}，本机为 {current}",
    "answers: the recorded answers no longer evaluate under this rule set: {error}":
        "答案：记录中的答案在本规则集下已无法评估：{error}",
    "result: {key} was {old!r}, now {new!r}": "结果：{key} 原为 {old!r}，现为 {new!r}",
    "result: factor {id} added": "结果：新增风险因素 {id}",
    "result: factor {id} removed": "结果：风险因素 {id} 已被删除",
    "result: factor {id} {key} was {old!r}, now {new!r}": "结果：风险因素 {id} 的 {key} 原为 {old!r}，现为 {new!r}",
    "result: override {id} fired was {old!r}, now {new!r}": "结果：否决项 {id} 是否触发，原为 {old!r}，现为 {new!r}",
    "result: {path} reads {recorded!r} in the record, {current!r} when re-evaluated":
        "结果：{path} 在记录中为 {recorded!r}，重新评估为 {current!r}",
    "result: the re-evaluated record id differs": "结果：重新评估得到的记录编号不同",
    "result: the re-evaluated record id differs (in {parts})": "结果：重新评估得到的记录编号不同（差异在 {parts}）",
}
