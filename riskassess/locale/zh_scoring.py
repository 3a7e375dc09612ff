"""Chinese messages: scoring methods and the answers they grade from."""

ZH: dict[str, str] = {
    "scoring method {method!r} grades from {paths}, which the questionnaire does not answer":
        "计分方法{method!r}需要依据 {paths} 评级，但问卷没有回答",
    "fill them in (see `riskassess init` for the fields), or use a rule set without this method":
        "请填写这些答案（字段见 `riskassess init` 生成的模板），或改用不含此计分方法的规则集",
    "scoring method {method!r} reads {path!r}, which is not a questionnaire field":
        "计分方法{method!r}读取的{path!r}不是问卷字段",
    "install the plugin that adds the field, or run `riskassess schema questionnaire`":
        "请安装提供该字段的插件，或运行 `riskassess schema questionnaire` 查看字段",
    "the rule set has no factors, but scoring method(s) {methods} grade factors":
        "规则集没有风险因素，但计分方法 {methods} 需要依据风险因素评级",
    "add factors, or use only methods that grade from their own inputs": "请添加风险因素，或只使用依据自身输入评级的计分方法",
    "scoring method {method!r} (plugin {plugin!r}) wrote {value} in its derivation at {where}; a record holds finite numbers only":
        "计分方法{method!r}（插件{plugin!r}）在推导的 {where} 处写入了 {value}；评估记录只能保存有限的数",
    "{method}: the parameters need status: one of {statuses} (is this law, or convention?)":
        "{method}：参数需要 status，取值为 {statuses} 之一（这些数字是法规、惯例还是判断？）",
    "{method}: the parameters need source: {{zh: …, en: …}} naming where the numbers come from":
        "{method}：参数需要 source：{{zh: …, en: …}}，说明数字的出处",
}
