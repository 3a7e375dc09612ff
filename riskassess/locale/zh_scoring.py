"""Chinese messages: scoring methods and the answers they grade from."""

ZH: dict[str, str] = {
    "scoring method {method!r} grades from {paths}, which the questionnaire does not answer":
        "计分方法{method!r}需要依据 {paths} 评级，但问卷没有回答",
    "fill them in (see `riskassess init` for the fields), or use a rule set without this method":
        "请填写这些答案（字段见 `riskassess init` 生成的模板），或改用不含此计分方法的规则集",
}
