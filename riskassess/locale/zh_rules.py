"""Chinese messages: rules."""

ZH: dict[str, str] = {
    # loading a rule set
    "extends needs an engine to find the parent rule set": "extends 需要通过引擎查找父规则集",
    "a rule set must be a mapping": "规则集必须是映射",
    "plugin {plugin!r} registered invalid questionnaire fields: {field}: {problem}":
        "插件 {plugin!r} 注册的问卷字段无效：{field}：{problem}",
    "duplicate {what} id {id!r}": "{what} 中的编号 {id!r} 重复",
    "basis cites unknown document {document!r}; declared: {names}":
        "basis 引用了未声明的文件 {document!r}；已声明的文件：{names}",
    "duplicate group id {id!r}": "因素组编号 {id!r} 重复",
    "duplicate factor id {id!r} (first defined as factor {number})":
        "风险因素编号 {id!r} 重复（第 {number} 个风险因素已使用）",
    "duplicate case id {id!r}": "情形编号 {id!r} 重复",
    "a case needs probability and impact (or, for point-table methods, points)":
        "情形需要给出 probability（概率）和 impact（影响）（计分表方法则给出 points）",
    "unknown group {group!r}; declare it under groups:": "未知的因素组 {group!r}；请在 groups: 下声明",
    "groups are {names}": "已声明的因素组：{names}",
    "groups are none": "尚未声明任何因素组",
    "assume_case {case!r} is not a case of {factor}; cases: {cases}":
        "assume_case {case!r} 不是 {factor} 的情形；其情形有：{cases}",
    "unknown level {level!r}; levels are {levels}": "未知的风险程度 {level!r}；可用的风险程度：{levels}",
    "the matrix is not monotone: probability {probability}, impact {impact} gives a lower level than a weaker combination":
        "矩阵不单调：概率 {probability}、影响 {impact} 得到的风险程度低于更弱的组合",
    "a higher probability or impact may never lower the level": "概率或影响提高时，风险程度不得降低",
    "duplicate id {id!r}": "编号 {id!r} 重复",
    "unknown grade {grade!r}; grades are {grades}": "未知等级 {grade!r}；可用等级：{grades}",
    "unknown scoring method {method!r}; available: {names}": "未知的计分方法 {method!r}；可用：{names}",
    "install the plugin that provides it, or run `riskassess plugins list`":
        "请安装提供该计分方法的插件，或运行 `riskassess plugins list` 查看",
    "{method}: {problem}": "{method}：{problem}",
    "scoring method {method!r} (plugin {plugin!r}) failed to prepare: {error}":
        "计分方法 {method!r}（插件 {plugin!r}）准备时出错：{error}",
    "scoring method {method!r} (plugin {plugin!r}) raised: {error} (in {function}())":
        "计分方法 {method!r}（插件 {plugin!r}）在 {function}() 中出错：{error}",
    "scoring method {method!r} (plugin {plugin!r}) returned {value!r}; a grade is an index from 0 to {last}":
        "计分方法 {method!r}（插件 {plugin!r}）返回了 {value!r}；等级应为 0 到 {last} 之间的序号",
    "unknown approval channel {channel!r}; channels are {channels} or default":
        "未知的审批渠道 {channel!r}；可用渠道：{channels} 或 default",
    "decisions must give exactly one entry per grade; missing {missing!r}, unknown {extra!r}":
        "decisions 必须为每个等级恰好给出一项；缺少 {missing!r}，未知 {extra!r}",
    # conditions
    "condition nested too deeply": "条件嵌套过深",
    "split it into cases or simplify it": "请拆分为多个情形，或加以简化",
    "a condition must be a mapping such as {{fact: land.households_relocated, gte: 200}}":
        "条件必须是映射，例如 {{fact: land.households_relocated, gte: 200}}",
    "{key!r} cannot be combined with other keys {others!r}": "{key!r} 不能与其他键（{others}）同时使用",
    "{key!r} needs a non-empty list of conditions": "{key!r} 需要一个非空的条件列表",
    "not a condition: expected all, any, not or fact, got keys {keys!r}":
        "不是有效的条件：应为 all、any、not 或 fact，实际的键为 {keys}",
    "fact must be a dotted answer path": "fact 必须是以点分隔的答案路径",
    "unknown fact {fact!r}: the questionnaire has no such field": "未知事实 {fact!r}：问卷中没有这个字段",
    "missing must be one of {policies}, got {missing!r}": "missing 应为 {policies} 之一，实际为 {missing!r}",
    "a leaf needs exactly one operator, got {operators!r}": "一个比较条件只能有一个运算符，实际有 {operators}",
    "a leaf needs exactly one operator, got none": "一个比较条件需要一个运算符，实际没有",
    "operators: {names}": "可用运算符：{names}",
    "unknown operator {name!r}": "未知运算符 {name!r}",
    "did you mean {name!r}? run `riskassess plugins list` to see the operators":
        "是否应为 {name!r}？可运行 `riskassess plugins list` 查看运算符",
    "run `riskassess plugins list` to see the operators": "可运行 `riskassess plugins list` 查看运算符",
    "unknown threshold {name!r}": "未知阈值 {name!r}",
    "declare it under thresholds:": "请在 thresholds: 下声明",
    "operator {name!r} failed to check its operand {operand!r}: {error}":
        "运算符 {name!r} 检查操作数 {operand!r} 时出错：{error}",
    "{operator} on {fact} ({type}): {problem}": "{fact}（{type}）上的 {operator}：{problem}",
    "{kind} of {values!r}": "{kind}，可取 {values}",
    # evaluating conditions
    "returned {value!r}, not true/false": "返回了 {value!r}，而不是 true/false",
    "derived fact {fact} (plugin {plugin!r}) gave {value!r} ({type}), which {operator} cannot compare: {problem}":
        "派生事实 {fact}（插件 {plugin!r}）给出 {value!r}（{type}），{operator} 无法比较：{problem}",
    "fix or disable the plugin that provides the derived fact": "请修复或停用提供该派生事实的插件",
    "cannot evaluate {condition}: {fact} = {value!r} ({type}): {problem}":
        "无法计算条件 {condition}：{fact} = {value!r}（{type}）：{problem}",
    "validate answers first (Engine.questionnaire) so types are checked":
        "请先校验答案（Engine.questionnaire），以检查类型",
    "operator {name!r} failed on {fact} = {value!r} (operand {operand!r}): {problem}":
        "运算符 {name!r} 在 {fact} = {value!r}（操作数 {operand!r}）上出错：{problem}",
    "the condition is an error, not false; fix or disable the plugin": "该条件出错，不按“不成立”处理；请修复或停用该插件",
    "cannot evaluate {condition} with {fact} = {value!r}: {error}":
        "{fact} = {value!r} 时无法计算条件 {condition}：{error}",
    "evaluation failed but no single condition could be blamed": "计算失败，但无法确定是哪个条件出错",
    # operand checks of the built-in operators
    "expected a number, got {value!r}": "应为数字，实际为 {value!r}",
    "expected true or false, got {value!r}": "应为 true 或 false，实际为 {value!r}",
    "expected a YYYY-MM-DD date, got {value!r}": "应为 YYYY-MM-DD 格式的日期，实际为 {value!r}",
    "expected a string, got {value!r}": "应为文字，实际为 {value!r}",
    "{value!r} is not one of the field's values: {values}": "{value!r} 不是该字段的可选值之一：{values}",
    "cannot compare a {kind} field this way": "{kind} 类型的字段不能这样比较",
    "ordering comparisons need a number or date field, not a {kind} field":
        "大小比较只适用于数字或日期字段，不适用于 {kind} 字段",
    "expected a non-empty list of values": "应为非空的值列表",
    "expected [low, high]": "应为 [下限, 上限]",
    "low {low!r} is above high {high!r}": "下限 {low!r} 大于上限 {high!r}",
    "expected true or false": "应为 true 或 false",
    "contains needs a list field, not a {kind} field": "contains 只适用于列表字段，不适用于 {kind} 字段",
    "{value!r} is not one of the list's values: {values}": "{value!r} 不是该列表的可选值之一：{values}",
    # parameters of the built-in scoring methods
    "unknown grade {grade!r}; the rule set's grades are {grades}": "未知等级 {grade!r}；规则集的等级为：{grades}",
    "unknown level {level!r}; the matrix levels are {levels}": "未知的风险程度 {level!r}；矩阵的风险程度为：{levels}",
    "status must be one of {statuses} (is this law, or convention?), got {status!r}":
        "status 应为 {statuses} 之一（说明依据是法律法规还是惯例），实际为 {status!r}",
    "source needs zh and en text naming where the numbers come from": "source 需要用 zh 和 en 两种文字写明数值的出处",
    "unknown parameter(s) {names!r}; allowed: {allowed!r}": "未知参数：{names}；可用参数：{allowed}",
    "grade_by_level must map every level ({levels}) to a grade":
        "grade_by_level 必须为每个风险程度（{levels}）指定一个等级",
    "a higher factor level may not map to a lower grade": "风险程度更高的因素不得对应更低的等级",
    "bands must list, lowest risk first, {{grade, {key}, inclusive}} for every grade above the lowest":
        "bands 必须按风险从低到高，为最低等级以上的每个等级列出 {{grade, {key}, inclusive}}",
    "expected {{grade, {key}, inclusive}}": "应为 {{grade, {key}, inclusive}}",
    "inclusive must be stated: true means {symbol} = {key} is already this grade":
        "必须写明 inclusive：true 表示 {symbol} = {key} 时已属于该等级",
    "bands must list grades from lower to higher risk, with their bounds in that order":
        "bands 必须按风险从低到高列出等级，界值也须按此顺序排列",
    "the {lower} band is empty: {higher} starts at the same point ({bound})":
        "{lower} 区间为空：{higher} 从同一点（{bound}）开始",
    "scale needs probability and impact: the value of levels 1 to 5":
        "scale 需要 probability 和 impact：即第 1 至 5 级各自对应的数值",
    "expected 5 values, for levels 1 to 5": "应为 5 个数值，依次对应第 1 至 5 级",
    "values must increase with the level": "数值必须随级别递增",
    "weights: factor needs a weight on every factor; missing on {factor}":
        "weights: factor 要求每个风险因素都有权重；{factor} 缺少权重",
    "weights: factor needs a weight on every factor; missing on {factor} and {count} more":
        "weights: factor 要求每个风险因素都有权重；{factor} 及另外 {count} 个风险因素缺少权重",
    "weights must be 'factor' or 'equal', got {mode!r}": "weights 应为 factor 或 equal，实际为 {mode!r}",
    "normalize must be 'none', 'all', 'matched' or 'reference', got {normalize!r}":
        "normalize 应为 none、all、matched 或 reference，实际为 {normalize!r}",
    "reference_weight must be a positive number: the summed weight of a typical project's main factors":
        "reference_weight 必须是正数：即典型项目主要风险因素的权重之和",
    "reference_weight only applies with normalize: reference": "reference_weight 仅在 normalize: reference 时适用",
    "factor weights sum to {total}; with normalize: none they must sum to 1 (±0.005)":
        "风险因素权重之和为 {total}；normalize: none 时权重之和必须为 1（±0.005）",
    "rules must be a non-empty list of {{grade, any_of}}": "rules 必须是非空的 {{grade, any_of}} 列表",
    "expected {{grade, any_of}}": "应为 {{grade, any_of}}",
    "any_of must list {{level_at_least, count_at_least}}": "any_of 必须列出 {{level_at_least, count_at_least}}",
    "expected {{level_at_least, count_at_least}}": "应为 {{level_at_least, count_at_least}}",
    "count_at_least must be a whole number ≥ 1": "count_at_least 必须是不小于 1 的整数",
    "direction must be declared: risk_points (higher = riskier) or achieved_points (higher = safer); got {direction!r}":
        "必须声明 direction：risk_points（分数越高风险越大）或 achieved_points（分数越高越安全）；实际为 {direction!r}",
    "items must map factor ids to {{max, dimension}}": "items 必须把风险因素编号映射到 {{max, dimension}}",
    "unknown factor {factor!r}": "未知的风险因素 {factor!r}",
    "expected {{max, dimension}}": "应为 {{max, dimension}}",
    "dimension must be one of {dimensions}": "dimension 应为 {dimensions} 之一",
    "case {case} of {factor} gives no points": "{factor} 的第 {case} 个情形没有给出 points（分值）",
    "case {case} of {factor} gives {points} points, above the item's max of {max}":
        "{factor} 的第 {case} 个情形为 {points} 分，超过该项的最高分 {max}",
    "items of dimension {dimension} add up to {total}, not {declared}":
        "维度 {dimension} 各项最高分之和为 {total}，而不是 {declared}",
    "item maxima add up to {total}, not the declared total {declared}":
        "各项最高分之和为 {total}，与声明的 total（{declared}）不符",
    # extends: what a pack adds to, replaces of and removes from its parent
    "document": "依据文件",
    "threshold": "阈值",
    "questionnaire field": "问卷字段",
    "factor group": "因素组",
    "factor": "风险因素",
    "override": "否决项",
    "decision table": "决策表",
    "grades": "等级",
    "risk matrix": "风险矩阵",
    "measure settings": "措施设置",
    "scoring": "计分",
    "default": "默认值",
    "{kind} {name!r} is already defined by {parent} ({where})": "{kind} {name!r} 已由 {parent} 定义（{where}）",
    "to change it, put yours under `replace: {section}:`; to drop it, list it under `remove: {section}:`":
        "如要修改，请写在 `replace: {section}:` 下；如要删除，请列在 `remove: {section}:` 下",
    "{parent} has no {kind} {name!r}": "{parent} 没有{kind} {name!r}",
    "to add it, list it under `{section}:`": "如要新增，请写在 `{section}:` 下",
    "{kind} {name!r} is both replaced and removed": "{kind} {name!r} 既被替换又被删除",
    "{parent} already has its {kind} ({where}); an extending pack adds to its parent":
        "{parent} 已有{kind}（{where}）；继承的规则集只能在父规则集之上增加",
    "to change it, write yours under `replace: {section}:`": "如要修改，请写在 `replace: {section}:` 下",
    "questionnaire.standard differs from {parent}'s: an extending pack builds on its parent's questionnaire":
        "questionnaire.standard 与 {parent} 不同：继承的规则集沿用父规则集的问卷",
    "defaults.{name} differs from {parent}'s ({value!r}): in an extending pack it would change every inherited factor that does not set its own":
        "defaults.{name} 与 {parent} 的设置（{value!r}）不同：在继承的规则集中，它会改变所有未自行设置该项的继承因素",
    "to change it for the whole lineage, write it under `replace: defaults:`; for your own factors, set it on each":
        "如要对整个继承链修改，请写在 `replace: defaults:` 下；只针对本规则集的因素，请在各因素上分别设置",
    "{key}: changes what a pack inherits, and this one extends none": "{key}: 用于修改继承的内容，而本规则集没有继承任何规则集",
    "add `extends: ID` naming the rule set it builds on, or edit it directly":
        "请添加 `extends: 编号` 指明所继承的规则集，或直接修改本规则集",
    "{first}; {second}": "{first}；{second}",
    "inherited unchanged from {parent}: check what {pack} replaces or removes (line {line})":
        "此处原样继承自 {parent}：请检查 {pack} 替换或删除的内容（第 {line} 行）",
    # {threshold} placeholders in titles
    "{placeholder} in a title names no threshold": "标题中的 {placeholder} 不是已声明的阈值",
    "thresholds are {names}": "已声明的阈值：{names}",
    "{placeholder}: {spec!r} is not a number format; use , (1,000), .0% (20%) or .1f":
        "{placeholder}：{spec!r} 不是数字格式；可用 ,（1,000）、.0%（20%）或 .1f",
}
