"""Chinese messages and help: ``riskassess plugin new`` (a plugin package to start from)."""

ZH: dict[str, str] = {
    "plugin name {name!r} starts with riskassess: give the name alone, the package is called riskassess-NAME":
        "插件名称{name!r}以 riskassess 开头：只需给出名称本身，插件包会命名为 riskassess-名称",
    "e.g. `riskassess plugin new {example}`": "例如 `riskassess plugin new {example}`",
    "invalid plugin name {name!r}: use lower-case letters and digits, words joined by - or _, starting with a letter, at most {length} characters":
        "插件名称{name!r}无效：只能使用小写字母和数字，单词之间用 - 或 _ 连接，以字母开头，最多 {length} 个字符",
    "directory does not exist": "目录不存在",
    "create it first, or give another --dir": "请先创建该目录，或用 --dir 指定其他目录",
    "{path} exists already: `riskassess plugin new` only writes a new directory":
        "{path} 已存在：`riskassess plugin new` 只会新建目录，不会改写已有目录",
    "choose another name or --dir, or move the existing directory away": "请换一个名称或 --dir，或先移走已有目录",
    "warning: an installed plugin is already named {name!r} (distribution {distribution}): installed together, riskassess disables both":
        "警告：已安装的插件中已有名为{name!r}的插件（安装包 {distribution}）：两者同时安装时，riskassess 会把两者都停用",
    "wrote {path}/ — plugin {plugin!r} with rule pack {pack}:": "已生成 {path}/ —— 插件{plugin!r}，含规则包 {pack}：",
    "next: `pip install -e {path}`, then run `pytest` in it, `riskassess lint {pack}` and `riskassess test {pack}`; the README says what each file is for":
        "下一步：用 `pip install -e` 安装上述目录，然后在该目录中运行 `pytest`，以及 `riskassess lint {pack}` 和 `riskassess test {pack}`；各文件的用途见其中的 README.md",
}

#: The help of the commands and options of ``riskassess plugin``, by their English text.
HELP: dict[str, str] = {
    "Create a plugin package of your own.": "创建自己的插件包。",
    "Write a plugin package riskassess-NAME: one hook of each kind, a rule pack, tests and a zh/en README.":
        "生成插件包 riskassess-名称：每种扩展接口各一个示例、一个规则包、测试，以及中英文说明文件。",
    "The plugin's name: lower-case letters and digits, words joined by - or _ (e.g. city-noise).":
        "插件名称：小写字母和数字，单词之间用 - 或 _ 连接（如 city-noise）。",
    "Where to write riskassess-NAME/ (default: the current directory).":
        "riskassess-名称/ 的写入位置（默认为当前目录）。",
}
