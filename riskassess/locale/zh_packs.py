"""Chinese messages: rule-pack tests (riskassess test) and lint."""

ZH: dict[str, str] = {
    # riskassess test: reading the test files
    "no test files found": "未找到测试文件",
    "add tests/test_*.yaml next to ruleset.yaml (see `riskassess test --help`)":
        "请在 ruleset.yaml 旁添加 tests/test_*.yaml（参见 `riskassess test --help`）",
    "base {base!r}: {error}": "基础问卷 {base!r}：{error}",
    "base {base!r} is not a questionnaire mapping": "基础问卷 {base!r} 不是问卷映射",
    "unknown factor {id!r}": "未知的风险因素 {id!r}",
    "factor {id} has no case {case!r}; its cases: {cases}": "风险因素 {id} 没有情形 {case!r}；它的情形有：{cases}",
    "unknown level {level!r}; levels: {levels}": "未知的风险程度 {level!r}；可用：{levels}",
    "unknown override {id!r}": "未知的否决项 {id!r}",
    "unknown grade {grade!r}; grades: {grades}": "未知的等级 {grade!r}；可用：{grades}",
    "unknown decision code {code!r}; codes: {codes}": "未知的决策代码 {code!r}；可用：{codes}",
    "unknown scoring method {method!r}; the pack's methods: {methods}":
        "未知的计分方法 {method!r}；本规则集的计分方法：{methods}",
    # riskassess test: a case that fails
    "factor {id}: expected {expected}, got {got}": "风险因素 {id}：应为{expected}，实际为{got}",
    "applies": "适用",
    "does not apply": "不适用",
    "applies (case {case})": "适用（情形 {case}）",
    "factor {id}: expected case {case}, got {got}": "风险因素 {id}：应命中情形 {case}，实际：{got}",
    "factor {id}: expected level {level}, got {got}": "风险因素 {id}：风险程度应为 {level}，实际：{got}",
    "factor {id}: expected post-measure level {level}, got {got}":
        "风险因素 {id}：措施后风险程度应为 {level}，实际：{got}",
    "override {id}: expected {expected}, got {got}": "否决项 {id}：应为{expected}，实际为{got}",
    "fired": "触发",
    "not fired": "未触发",
    "{method}.{stage}: no {method} derivation at stage {stage!r}":
        "{method}.{stage}：阶段 {stage!r} 没有 {method} 计算过程",
    "{method}.{stage}: expected {expected}, got {got}": "{method}.{stage}：应为 {expected}，实际为 {got}",
    "{key}: expected {expected!r}, got {got!r}": "{key}：应为 {expected!r}，实际为 {got!r}",
    # riskassess test: a value of a scoring method's derivation (expect.scoring) that differs
    "{where} (line {line}): {problem}": "{where}（第 {line} 行）：{problem}",
    "expected {expected}, got {got}": "应为 {expected}，实际为 {got}",
    "expected {expected} ± {tolerance}, got {got}": "应为 {expected} ± {tolerance}，实际为 {got}",
    "the {method} method gave no derivation at this stage": "计分方法 {method} 在此阶段没有计算过程",
    "no {kind!r} step; the {method} derivation has: {kinds}": "没有 {kind!r} 步骤；{method} 的计算过程中有：{kinds}",
    "no {kind!r} step named {name!r}; they are named: {names}":
        "没有名为 {name!r} 的 {kind!r} 步骤；这些步骤的名称为：{names}",
    "{count} {kind!r} steps here; name one by its label, dimension or group: {names}":
        "此处有 {count} 个 {kind!r} 步骤；请用标签、维度或分组指明其中一个：{names}",
    "no {kind!r} step for grade {grade!r}": "没有等级 {grade!r} 的 {kind!r} 步骤",
    "no {key!r} in {got}": "{got} 中没有 {key!r}",
    "missing warning {text!r}": "缺少警告 {text!r}",
    "unexpected warning {text!r}": "出现了未预期的警告 {text!r}",
    # riskassess test: coverage not reached
    "factor {id} never applied": "风险因素 {id} 从未适用",
    "factor {id} never failed to apply": "风险因素 {id} 从未不适用",
    "case {factor}/{case} never taken": "情形 {factor}/{case} 从未命中",
    "grade {grade} never reached": "等级 {grade} 从未达到",
    "leaf {leaf} (line {line}) never {outcomes}": "条件 {leaf}（第 {line} 行）从未为 {outcomes}",
    "… and {count} more": "……另有 {count} 项",
    # lint: where a finding is
    "{factor} description": "{factor} 的说明",
    "{factor} mitigation {number}": "{factor} 的第 {number} 条防范化解措施",
    "grade {grade}": "等级 {grade}",
    "grade {grade} definition": "等级 {grade} 的定义",
    "decision {channel}/{grade}": "决策 {channel}/{grade}",
    "threshold {name} source": "阈值 {name} 的来源",
    "document {id}": "依据文件 {id}",
    # lint: findings
    "case {case} can never apply: case {earlier} (line {line}) holds whenever it does":
        "情形 {case} 永远不会命中：凡它成立时，前面的情形 {earlier}（第 {line} 行）都已成立",
    "cases {first} and {second} overlap from {low} to {high}: only their order decides which applies":
        "情形 {first} 与 {second} 在 {low} 至 {high} 之间重叠：命中哪一个只取决于排列顺序",
    "values between {low} and {high} (between cases {first} and {second}) match no case":
        "介于 {low} 与 {high} 之间的值（情形 {first} 与 {second} 之间）不命中任何情形",
    "case {case} has no title: reports name it only as P{probability}·I{impact} (in Chinese 概率{probability}、影响{impact}); add `title: {{zh: …, en: …}}`":
        "情形 {case} 没有标题：报告中只能显示为“概率{probability}、影响{impact}”；"
        "请为该情形添加 `title: {{zh: …, en: …}}`",
    "zh text {text!r} has no Chinese characters": "zh 文字 {text!r} 不含汉字",
    "zh and en texts are identical": "zh 与 en 文字完全相同",
    "floor {grade} is the lowest grade: it never changes a grade": "下限 {grade} 已是最低等级：该否决项不会改变任何等级",
    "threshold {name!r} is declared but no condition uses it": "阈值 {name!r} 已声明，但没有条件使用它",
    "document {id!r} is never cited": "依据文件 {id!r} 从未被引用",
    "a measure addresses unknown factor {id!r}": "措施针对的风险因素 {id!r} 不存在",
    # lint: what an extending pack drops or changes of its parent
    "removes {kind} {name!r} inherited from {parent}": "删除了继承自 {parent} 的{kind} {name!r}",
    "changes threshold {name!r} inherited from {parent} from {before} to {after}":
        "把继承自 {parent} 的阈值 {name!r} 从 {before} 改为 {after}",
    "changes default {name} inherited from {parent} from {before!r} to {after!r}: every inherited factor that does not set its own follows it":
        "把继承自 {parent} 的默认值 {name} 从 {before!r} 改为 {after!r}：所有未自行设置该项的继承因素都随之改变",
    "replaces the {kind} inherited from {parent}: {before} → {after}": "替换了继承自 {parent} 的{kind}：{before} → {after}",
    "replaces {kind} {name!r} inherited from {parent}": "替换了继承自 {parent} 的{kind} {name!r}",
    "replaces the {kind} inherited from {parent}": "替换了继承自 {parent} 的{kind}",
    "inherited title {text!r} ({location}) still shows {shown}, from {threshold} = {before} in {parent}; this pack makes it {after}: replace {element} under `replace: {section}:` with a title that writes the number as {placeholder}":
        "继承的标题 {text!r}（{location}）仍显示 {shown}，即 {parent} 中 {threshold} = {before}，而本规则集已改为 {after}："
        "请在 `replace: {section}:` 下替换 {element}，标题中的数字写作 {placeholder}",
    # riskassess test: what coverage is of
    "the whole pack": "整个规则集",
    "{pack} and every pack it extends": "{pack} 及其继承的全部规则集",
    "what {pack} adds to {parent} (--lineage: the whole lineage)": "{pack} 在 {parent} 之上增加的内容（--lineage：整个继承链）",
}
