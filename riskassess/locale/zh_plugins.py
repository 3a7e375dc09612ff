"""Chinese messages: plugins, the engine, and verifying a record."""

ZH: dict[str, str] = {
    # loading and registering plugins: a plugin that fails is disabled alone
    "failed to import {value}: {error}": "导入 {value} 失败：{error}",
    "cannot be registered: {error}": "无法注册：{error}",
    "the entry-point name is declared by several distributions: {values}":
        "多个发行包声明了同一个入口点名称：{values}",
    "implements unknown hook(s) {hooks}: the hook names are in riskassess.hookspecs":
        "实现了未知的钩子 {hooks}：钩子名称见 riskassess.hookspecs",
    "raised in {hook}: {error}": "在 {hook} 中出错：{error}",
    "registered an invalid {kind}: {problem}": "注册的{kind}无效：{problem}",
    "{kind} {name!r} is also registered by {others}": "{kind} {name!r} 也由 {others} 注册",
    "registers {kind} {name!r} twice": "重复注册{kind} {name!r}",
    "{kind} {name!r} is registered by both {other!r} and {plugin!r}":
        "{kind} {name!r} 被 {other!r} 和 {plugin!r} 重复注册",
    "not a path: {path!r}": "不是路径：{path!r}",
    "{path} does not exist": "{path} 不存在",
    "bad namespace or field map: {namespace!r}": "命名空间或字段表无效：{namespace!r}",
    "{field}: {problem}": "{field}：{problem}",
    "{hook} returned a value instead of calling register(...): it contributed nothing through it":
        "{hook} 返回了值，而没有调用 register(...)：该钩子未提供任何内容",
    "{hook} returned a value besides calling register(...): the value is ignored":
        "{hook} 调用 register(...) 之外还返回了值：该返回值被忽略",
    "warning: plugin {plugin!r} is disabled: {reason} (fix or uninstall it, or set {setting})":
        "警告：插件 {plugin!r} 已停用：{reason}（请修复或卸载该插件，或设置 {setting} 停用它）",
    "warning: plugin {plugin!r}: {problem}": "警告：插件 {plugin!r}：{problem}",
    "warning: {problem}": "警告：{problem}",
    "ok": "正常",
    "broken: {reason}": "故障，已停用：{reason}",
    "distribution": "发行包",
    "status": "状态",
    "rule set": "规则集",
    "questionnaire extension": "问卷扩展",
    "{kind} {name!r} comes from plugin {plugin!r}, which is disabled: {reason}":
        "{kind} {name!r} 由插件 {plugin!r} 提供，而该插件已停用：{reason}",
    "fix or reinstall plugin {plugin!r}; `riskassess plugins list` shows its status":
        "请修复或重新安装插件 {plugin!r}；`riskassess plugins list` 可查看其状态",
    "{problem}; a disabled plugin may provide it: {plugins}": "{problem}；它可能由已停用的插件提供：{plugins}",
    "{plugin!r} ({reason})": "{plugin!r}（{reason}）",
    "warning: {problem}; the built-in one is used": "警告：{problem}；使用内置的规则集",
    "warning: {problem}; neither is used": "警告：{problem}；两者均不使用",
    "plugin {plugin!r} raised in {hook}: {error}": "插件 {plugin!r} 在 {hook} 中出错：{error}",
    "fix or disable it ({setting})": "请修复该插件，或设置 {setting} 停用它",
    "scoring method {method!r} (plugin {plugin!r}): prepare() returned {kind}, not an object with grade() and "
    "derive()": "计分方法 {method!r}（插件 {plugin!r}）的 prepare() 返回了 {kind}，而不是带有 grade() 和 derive() 的对象",
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
    # verify: the record against itself (the first four are printed by the verify command)
    "the record was edited after it was written: its content no longer matches its id":
        "记录写出后被修改过：其内容与记录编号不再相符",
    "  its id: {id}; its content gives: {other}": "  记录所载编号：{id}；按其内容计算：{other}",
    "re-evaluation gives the id the record states: the result it was written with is reproduced, and what differs "
    "below was edited in the record":
        "重新评估得到的正是记录所载编号：记录写出时的结果可以复现，以下不同之处是写出后在记录中改动的",
    "  … and {count} more": "  ……另有 {count} 处",
    "answers: the answers in the record do not match their recorded SHA-256":
        "答案：记录中的答案与记录的 SHA-256 不符",
    "answer {fact}: {recorded} when the record was written, {current} in its answers now":
        "答案 {fact}：记录写出时为 {recorded}，现在记录中的答案为 {current}",
    # verify: finding the rule set, and how it and the plugins changed
    "cannot find the rule set the record was made with: {id} version {version}, SHA-256 {sha256}":
        "找不到记录所用的规则集：{id}，版本 {version}，SHA-256 {sha256}",
    "it is not installed here and {source} no longer exists; pass it with --rules PATH":
        "本机未安装该规则集，原路径 {source} 也已不存在；请用 --rules 路径 指定",
    "it is not installed here; pass it with --rules PATH": "本机未安装该规则集；请用 --rules 路径 指定",
    "rule files: record used {recorded!r}, verifying with {current!r}":
        "规则文件：记录使用的是 {recorded!r}，本次用 {current!r} 核验",
    "rule set {id} {version} changed since the record was written: SHA-256 {old_sha}… → {new_sha}… ({source})":
        "规则集 {id} {version} 在记录写出后已变化：SHA-256 {old_sha}… → {new_sha}…（{source}）",
    "rule set {id} changed since the record was written: version {old_version} → {new_version}, SHA-256 {old_sha}… → {new_sha}… ({source})":
        "规则集 {id} 在记录写出后已变化：版本 {old_version} → {new_version}，SHA-256 {old_sha}… → {new_sha}…（{source}）",
    "rule set {id}: the record was made with {recorded}": "规则集 {id}：记录当时使用的是 {recorded}",
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
    "result: the re-evaluated record id differs": "结果：重新评估得到的记录编号不同",
    # verify: what differs from a faithful re-evaluation
    "{what} {recorded} in the record, {current} on re-evaluation": "{what}：记录中为 {recorded}，重新评估为 {current}",
    "{what}: in the record, not on re-evaluation": "{what}：记录中有，重新评估没有",
    "{what}: on re-evaluation, not in the record": "{what}：重新评估有，记录中没有",
    "yes": "是",
    "no": "否",
    "initial grade": "措施前风险等级",
    "post-measure grade": "措施后风险等级",
    "grade provisional": "等级是否待定",
    "grade firm": "等级是否确定",
    "lowest possible initial grade": "措施前可能的最低等级",
    "highest possible initial grade": "措施前可能的最高等级",
    "lowest possible post-measure grade": "措施后可能的最低等级",
    "highest possible post-measure grade": "措施后可能的最高等级",
    "initial grade firm": "措施前等级是否确定",
    "post-measure grade firm": "措施后等级是否确定",
    "decision": "审批结论",
    "grade the decision rests on": "审批结论所依据的等级",
    "decision firm": "审批结论是否确定",
    "approval channel": "审批渠道",
    "factor {id}": "风险因素 {id}",
    "factor {id}: {field}": "风险因素 {id} 的{field}",
    "override {id}": "否决项 {id}",
    "override {id}: {field}": "否决项 {id} 的{field}",
    "factor group {id}": "风险因素组 {id}",
    "factor group {id}: {field}": "风险因素组 {id} 的{field}",
    "unanswered {fact}": "未回答的问题 {fact}",
    "unanswered {fact}: {field}": "未回答的问题 {fact} 的{field}",
    "decisive question {fact}": "关键问题 {fact}",
    "decisive question {fact}: {field}": "关键问题 {fact} 的{field}",
    "whether it applies": "是否适用",
    "case taken": "所取情形",
    "decided by a missing answer": "是否由缺失答案决定",
    "missing answers": "缺失的答案",
    "missing answer {fact}": "缺失的答案 {fact}",
    "measure {measure}": "措施 {measure}",
    "outcome of case {case}": "情形 {case} 的判定结果",
    "counted in the grade": "是否计入评级",
    "counted as": "计作",
    "members": "成员",
    "precondition": "适用前提的判定结果",
    "initial probability": "措施前发生概率",
    "initial impact": "措施前影响程度",
    "initial level": "措施前风险程度",
    "initial points": "措施前分值",
    "post-measure probability": "措施后发生概率",
    "post-measure impact": "措施后影响程度",
    "post-measure level": "措施后风险程度",
    "post-measure points": "措施后分值",
    "whether it fired": "是否触发",
    "grade floor": "等级下限",
    "initial": "措施前",
    "post-measure": "措施后",
    "{stage} grade by scoring method {method}": "计分方法 {method} 得出的{stage}等级",
    "scoring method {method}, {stage}": "计分方法 {method}（{stage}）",
    "scoring method {method}, {stage}: {field}": "计分方法 {method}（{stage}）的 {field}",
    # plugin code on a time budget, never ending the program (riskassess.plugin_guard)
    "plugin {plugin!r}: {problem}": "插件 {plugin!r}：{problem}",
    "{call} did not finish within the time budget of {seconds} s (set {setting}=SECONDS to change it; 0: no limit)":
        "{call} 未在 {seconds} 秒的时限内完成（可设置 {setting}=秒数 调整；0 表示不限时）",
    "{call} tried to end the program (sys.exit({code!r})): a plugin must raise an exception, never exit":
        "{call} 试图结束程序（sys.exit({code!r})）：插件出错时应抛出异常，不得退出程序",
    "{setting} must be a number of seconds from 0 (no limit) to 86400, got {value!r}":
        "{setting} 应为 0（不限时）到 86400 之间的秒数，实际为 {value!r}",
    "unset it for the default of {seconds} s": "取消该设置即使用默认的 {seconds} 秒",
    "the import of {module}": "导入 {module}",
    "{kind} {name!r} ({function})": "{kind} {name!r}（{function}）",
    "derived fact {path} (plugin {plugin!r}) gave a number a record cannot hold: {problem}":
        "派生事实 {path}（插件 {plugin!r}）给出了记录无法保存的数值：{problem}",
}
