"""Chinese messages: how big a rule pack may be (riskassess/pack_limits.py)."""

ZH: dict[str, str] = {
    "{count:,} entries in one list or mapping: the limit is {limit:,}": "一个列表或映射有 {count:,} 项，上限为 {limit:,} 项",
    "no rule set needs this many; is the file what you meant to load?": "没有哪个规则集需要这么多项；请确认加载的是正确的文件",
    "{count:,} factors: the limit is {limit:,} factors in one rule set":
        "共 {count:,} 个风险因素，一个规则集最多 {limit:,} 个",
    "split the pack, e.g. one for each kind of project": "请拆分规则包，例如每类项目一个",
    "{count:,} cases: the limit is {limit} cases in one factor": "共 {count:,} 个情形，一个风险因素最多 {limit} 个情形",
    "split the factor into several, each with its own cases": "请把该风险因素拆成几个，各自带自己的情形",
    "more than {limit} comparisons in one condition": "一个条件中的比较超过 {limit} 个",
    "split it into cases, or into factors that each read part of it": "请把它拆成几个情形，或拆成各读取其中一部分的几个风险因素",
    "{count:,} comparisons in one factor (applies_when and all its cases): the limit is {limit:,}":
        "一个风险因素（applies_when 及其全部情形）共有 {count:,} 个比较，上限为 {limit:,} 个",
    "split the factor into several": "请把该风险因素拆成几个",
}
