"""Chinese messages: hostile or odd input refused at the edge (issue 10) — YAML 1.2 scalars, bounded
numbers, special files, strict JSON records, extends paths, and output files."""

ZH: dict[str, str] = {
    "{path} cannot be computed from the answers {inputs}: {error}": "无法由答案 {inputs} 计算 {path}：{error}",
    "check those answers; `Engine.questionnaire(answers, rule_set)` checks them all before grading":
        "请检查这些答案；`Engine.questionnaire(answers, rule_set)` 会在评估前逐项检查答案",
    # numbers and text that no file may hold (plain_data.py)
    "{value} is beyond the {limit:,} limit for numbers": "{value} 超出数值上限 {limit:,}",
    "{start}… ({digits:,} characters)": "{start}…（共 {digits:,} 个字符）",
    "no answer, threshold or weight needs a number this large; write it in the unit the field asks for":
        "没有哪个答案、阈值或权重需要这么大的数，请按该字段要求的单位填写",
    "the text holds a lone surrogate ({code}), which is not a character":
        "文本中含有孤立的代理码位（{code}），它不是字符",
    "a {kind} is not a questionnaire value": "{kind} 类型的值不能用作问卷答案",
    "give text, an int or a finite float, true/false, None, a list or a dict with text keys, as JSON has":
        "请给出 JSON 所能表示的值：文本、整数或有限浮点数、true/false、None、列表，或键为文本的字典",
    "write the date as text: {text!r}": "请把日期写成文本：{text!r}",
    "a key is {kind} {key!r}, not text": "有一个键是 {kind} 类型的 {key!r}，不是文本",
    "keys are field names: write them as text": "键是字段名，请写成文本",
    # a pack's own field definitions (questionnaire.py)
    "{key} must be {kind}, got {value}": "{key} 应为{kind}，实际为 {value}",
    "{key} lists names, and {value!r} is not one": "{key} 列出的应是名称，{value!r} 不是",
    # a required answer left unknown (questionnaire.py)
    "{name!r} is required: it cannot be ~ (unknown) or empty": "{name!r} 为必填项，不能写 ~（未知）或留空",
    "answer it, or see `riskassess schema questionnaire`": "请填写，或参见 `riskassess schema questionnaire`",
    # extends (ruleset.py)
    "extends: {ref} leads outside the folders a rule set may extend from":
        "extends：{ref} 指向了规则集可继承范围以外的目录",
    "extend an installed pack by its id, put the parent beside this pack, or allow its folder: {setting}":
        "请按编号继承已安装的规则包，或把父规则集放在本规则包旁边，或明确允许其所在目录：{setting}",
    "extends: a chain of more than {limit} rule sets, each extending the next":
        "extends：逐级继承的规则集超过 {limit} 层",
    "a pack extends a jurisdiction's pack, which may extend the national one: flatten the chain":
        "规则包通常继承地方规则包，地方规则包再继承国家规则包：请减少继承层级",
    # numbers older YAML read differently (schema_problems.py)
    "a number does not start with 0 (older YAML read {value} as octal): write {fixed}":
        "数字不能以 0 开头（旧版 YAML 会把 {value} 当作八进制）：请写 {fixed}",
    "write the number without underscores: {fixed}": "数字中不要写下划线：请写 {fixed}",
    "{value} is text (older YAML read it as base 60): write one decimal number":
        "{value} 是文本（旧版 YAML 会把它当作六十进制数）：请写一个十进制数",
    "write the number in decimal: {fixed}": "请用十进制书写：{fixed}",
    "write the number in decimal digits": "请用十进制数字书写",
    "{value!r} is text, not true/false (YAML 1.2): write true (是) or false (否)":
        "{value!r} 是文本，不是 true/false（YAML 1.2）：请写 true（是）或 false（否）",
    # strict JSON records (strict_json.py)
    "holds a value a record cannot hold (NaN, Infinity, a number beyond ±2^53, a lone surrogate, a duplicate key "
    "or nesting deeper than {depth})":
        "含有评估记录不能包含的值（NaN、Infinity、超过 ±2^53 的数、孤立代理码位、重复的键，或嵌套超过 {depth} 层）",
    "JSON has no NaN or Infinity, and riskassess never writes them": "JSON 中没有 NaN 和 Infinity，riskassess 也从不写出它们",
    "a record written by riskassess nests far less: the file was made or edited by something else":
        "riskassess 写出的记录嵌套远没有这么深：此文件由其他程序生成或修改过",
    "remove one of them; JSON readers disagree on which one counts": "请删除其中一个：不同的 JSON 读取程序对以哪个为准各不相同",
    # files (yamlfile.py)
    "is {kind}, not a regular file": "是{kind}，不是普通文件",
    "a pipe (FIFO)": "管道（FIFO）",
    "a device": "设备文件",
    "a socket": "套接字",
    "a special file": "特殊文件",
    "save the content to a file and give that file": "请把内容保存为文件，再指定该文件",
    "file is more than the {limit:,}-byte limit": "文件超过 {limit:,} 字节的上限",
    "control character U+{code:04X} at column {column} is not allowed in YAML":
        "第 {column} 列有控制字符 U+{code:04X}，YAML 中不允许出现",
    "delete it, most editors do not show it; inside double quotes write it as an escape such as \\t":
        "请删除它（多数编辑器不显示这类字符）；如确需使用，请在双引号内写成转义形式，如 \\t",
    # output files (cli_options.py)
    "cannot write the file: {reason}": "无法写入文件：{reason}",
    "choose a folder you can write to, or free some space": "请选择有写入权限的目录，或腾出磁盘空间",
    "is a symbolic link that leads to no file": "是一个不指向任何文件的符号链接",
    # the strict record reader (record_reader.py)
    "the rule set the record was made with, {id}, names {named!r} as extending it":
        "记录所用的规则集 {id} 却写明由 {named!r} 继承",
    "rule set {id} names {named!r} as the rule set extending it, not {used!r}, the one the record was made with":
        "规则集 {id} 写明由 {named!r} 继承，而记录所用的规则集是 {used!r}",
    "{section} lists {name!r} twice": "{section} 中 {name!r} 出现了两次",
    "riskassess lists the rule set used first and each rule set it extends after it; the record was edited":
        "riskassess 先列所用的规则集，再列它继承的各规则集；记录被改动过",
    "riskassess lists each once; the record was edited": "riskassess 每项只列一次；记录被改动过",
    # standard input (yamlfile.py)
    "standard input is closed": "标准输入已关闭",
    "give the file's path instead of -": "请给出文件路径，而不是 -",
}
