"""Chinese messages: the command line (its output, its errors, and the help of every command and option)."""

ZH: dict[str, str] = {
    # errors and how they are printed
    "error: {message}": "错误：{message}",
    "interrupted": "已中断",
    "internal error: {error} (this is a bug in riskassess; rerun with --debug and report the traceback)":
        "内部错误：{error}（这是 riskassess 的缺陷；请加 --debug 重新运行，并报告显示的调用栈）",
    # usage errors from the argument parser
    "Try '{command} --help' for help.": "可运行“{command} --help”查看帮助。",
    "no such option {option}": "没有选项 {option}",
    "no such option {option}; did you mean {names}?": "没有选项 {option}；是否应为 {names}？",
    "missing argument {name}": "缺少参数 {name}",
    "missing option {name}": "缺少选项 {name}",
    "option {option} needs a value": "选项 {option} 需要一个值",
    "invalid value for {name}: choose one of {choices}": "{name} 的值无效：请从 {choices} 中选择",
    "invalid value for {name}": "{name} 的值无效",
    "no such command {name!r}": "没有命令{name!r}",
    "unexpected extra argument(s): {arguments!r}": "多余的参数：{arguments!r}",
    "the command line is not valid: {detail}": "命令行用法有误",
    # output files and formats
    "output directory does not exist": "输出目录不存在",
    "is a directory": "这是一个目录",
    "give a file name, e.g. record.json": "请给出文件名，如 record.json",
    "give a file name, e.g. record.json or report.docx": "请给出文件名，如 record.json 或 report.docx",
    "cannot tell the format of {name!r} from its suffix; known: {suffixes}":
        "无法从文件名{name!r}的后缀判断格式；可用后缀：{suffixes}",
    "name the file with one of these suffixes, or give --format": "请使用其中一个后缀，或用 --format 指定格式",
    "unknown format {name!r}; available: {names}": "未知格式{name!r}；可用：{names}",
    "unknown report format {name!r}; available: {names}": "未知报告格式{name!r}；可用：{names}",
    "format {name!r} is binary: write it to a file with --out": "{name!r}格式是二进制文件：请用 --out 写入文件",
    "e.g. --out {file}": "例如 --out {file}",
    "output format {name!r} (plugin {plugin!r}) failed: {error}": "输出格式{name!r}（插件{plugin!r}）出错：{error}",
    "output format {name!r} returned {kind}, not text or bytes": "输出格式{name!r}返回了 {kind}，而不是文本或字节",
    "the record carries no labels and its rule set is not installed in the same version":
        "该记录不含标签，且所用规则集没有安装同一版本",
    "evaluate the questionnaire again to write a record with labels": "请重新评估问卷，生成含标签的记录",
    # --fail-on
    "--fail-on {spec!r}: expected a grade ({grades}), worst:GRADE or provisional":
        "--fail-on {spec!r}：应为等级（{grades}）、worst:等级 或 provisional",
    "e.g. --fail-on medium, --fail-on worst:high, --fail-on provisional":
        "例如 --fail-on medium、--fail-on worst:high、--fail-on provisional",
    "gate: {reason}": "未通过检查：{reason}",
    "the grade is provisional: missing answers could still change it": "等级为暂定：缺失的答案仍可能改变它",
    "the post-measure grade is {top} (firm), at or above {grade}": "措施后风险等级为{top}（确定），达到或高于{grade}",
    "the post-measure grade could be {top}, at or above {grade}": "措施后风险等级可能为{top}，达到或高于{grade}",
    "post-measure grade {actual} is at or above {grade}": "措施后风险等级{actual}达到或高于{grade}",
    # validate, init
    "{file}: valid for {rule_set} {version}": "{file}：符合规则集 {rule_set} {version} 的问卷格式",
    "read as written by the owner:": "按填写人的写法读取的答案：",
    "  line {line} {field}: {written!r} → {read_as}": "  第 {line} 行 {field}：{written!r} → {read_as}",
    "{missing} of the {total} facts the rule set reads are unanswered (unknown): {paths}":
        "规则集读取的 {total} 项事实中有 {missing} 项未回答（未知）：{paths}",
    "answered but not read by this rule set (recorded, no effect on the grade): {paths}":
        "以下答案本规则集不读取（只记录，不影响等级）：{paths}",
    "file exists": "文件已存在",
    "choose another path or pass --force": "请换一个路径，或加 --force 覆盖",
    "wrote {path} and {schema} (editors with a YAML language server complete and explain every field); fill it in, then run: riskassess validate {path}":
        "已写入 {path} 和 {schema}（装有 YAML 语言服务的编辑器可自动补全并解释每个字段）；填写后运行：riskassess validate {path}",
    # verify
    "reproduced: {id}": "已复现：{id}",
    "NOT reproduced: {id}": "未能复现：{id}",
    "NOT reproduced: {id} (re-evaluation gives {other})": "未能复现：{id}（重新评估得到 {other}）",
    "  - {difference}": "  - {difference}",
    # test, lint
    "FIXED {name} ({where}) passes now: remove its todo": "已修复 {name}（{where}）现在通过：请删除它的 todo",
    "TODO {name} ({where}) — {todo}": "待办 {name}（{where}）— {todo}",
    "FAIL {name} ({where})": "失败 {name}（{where}）",
    "    {problem}": "    {problem}",
    "{rule_set}: {passed} passed, {failed} failed, {todo} known gaps (todo); {assertions} assertions":
        "{rule_set}：{passed} 个通过，{failed} 个失败，{todo} 个已知缺口（todo）；共 {assertions} 项断言",
    "{part} {hit}/{of}": "{part} {hit}/{of}",
    "coverage {percent}%: {parts}": "覆盖率 {percent}%：{parts}",
    "    coverage of {scope}": "    覆盖范围：{scope}",
    "    not covered: {gap}": "    未覆盖：{gap}",
    "coverage {percent}% is below --min-coverage {minimum}%": "覆盖率 {percent}% 低于 --min-coverage {minimum}%",
    "factors applying and not applying": "风险因素适用与不适用",
    "cases taken": "情形命中",
    "grades reached": "等级达到",
    "conditions true and false": "条件真与假",
    "{rule_set}: {errors} error(s), {warnings} warning(s)": "{rule_set}：{errors} 个错误，{warnings} 个警告",
    # rules, plugins
    "id": "编号",
    "version": "版本",
    "provided by": "提供者",
    "path": "路径",
    "plugin": "插件",
    "provides": "提供",
    "extends {id} {version} ({source})": "继承 {id} {version}（{source}）",
    "{case} {probability}×{impact}": "{case} 概率{probability}×影响{impact}",
    "{case} {points} points": "{case} {points} 分",
    "{id} [{category}] {title}: {cases}; if unknown: {on_unknown}; basis: {basis}":
        "{id} [{category}] {title}：{cases}；答案未知时：{on_unknown}；依据：{basis}",
    "taken as matching": "按符合处理",
    "taken as not matching": "按不符合处理",
    "refuse to grade": "拒绝评级",
    "taken as case {case}": "按情形 {case} 处理",
    "override {id}: {title} → at least {grade}": "否决项 {id}：{title} → 至少{grade}",
    "scoring: {method} (plugin {plugin})": "计分：{method}（插件 {plugin}）",
    "threshold {name} = {value} [{status}] {source}": "阈值 {name} = {value} [{status}] {source}",
    "reads: {facts}": "读取：{facts}",
    "{kind} {name}": "{kind} {name}",
    "operator": "运算符",
    "scoring method": "计分方法",
    "output format": "输出格式",
    "derived fact": "派生事实",
    "rule sets in {path}": "规则集目录 {path}",
    "questionnaire fields extensions.{namespace}": "问卷字段 extensions.{namespace}",
}

#: The arguments of the commands, as help and usage errors name them.
ARGUMENTS: dict[str, str] = {"questionnaire": "问卷", "record": "评估记录", "packs": "规则包", "ref": "规则集",
                             "name": "名称", "path": "路径", "sources": "问卷来源"}

#: The help of every command and option, by its English text on the command.
HELP: dict[str, str] = {
    "Social stability risk assessment (社会稳定风险评估): grade a project questionnaire against a rule set, with a traceable record.":
        "社会稳定风险评估：按规则集评定项目问卷的风险等级，并生成可追溯的评估记录。",
    "Print the version and exit.": "显示版本号并退出。",
    "Show Python tracebacks for errors.": "出错时显示 Python 调用栈。",
    "Language of messages, labels and reports: zh or en (default: $RISKASSESS_LANG, then $LANG).":
        "提示、标签和报告的语言：zh 或 en（默认取 $RISKASSESS_LANG，其次 $LANG）。",
    "Grade a questionnaire: initial and post-measure grade, factors, evidence, decision, record.":
        "评估问卷：初始和措施后风险等级、风险因素、证据、结论和评估记录。",
    "The questionnaire YAML file (- reads standard input).": "问卷 YAML 文件（- 表示从标准输入读取）。",
    "Rule-set id or path (default: cn-ndrc-2012).": "规则集编号或路径（默认 cn-ndrc-2012）。",
    "text (summary), json (record), markdown (report), or a plugin's format.":
        "text（摘要）、json（评估记录）、markdown（报告），或插件提供的格式。",
    "Write the record (or --format output) to this file; the format follows the suffix.":
        "将评估记录（或 --format 指定的输出）写入此文件；格式由文件后缀决定。",
    "Exit 1 if the post-measure grade is this grade or worse (e.g. medium); worst:GRADE gates on the worst case the missing answers could give; provisional on a grade not yet firm.":
        "措施后风险等级达到或高于此等级（如 medium）时以 1 退出；worst:等级 按缺失答案可能导致的最坏情形判断；provisional 表示等级尚未确定即不通过。",
    "Write the filed report (428 outline) from a record alone: Word, HTML or Markdown.":
        "仅凭评估记录生成报送的评估报告（428号文提纲）：Word、HTML 或 Markdown。",
    "An assessment record (JSON), as written by evaluate --out.": "评估记录（JSON），即 evaluate --out 写出的文件。",
    "The report file; the format follows the suffix.": "报告文件；格式由文件后缀决定。",
    "docx, html or markdown (default: from the suffix of --out).": "docx、html 或 markdown（默认由 --out 的后缀决定）。",
    "Check a questionnaire against the schema of the rule set's fields; list every problem.":
        "按规则集的字段格式检查问卷，列出全部问题。",
    "Write a commented questionnaire template (every field, zh or en comments).":
        "生成带注释的问卷模板（包含全部字段，中文或英文注释）。",
    "Where to write the template.": "模板的写入位置。",
    "Overwrite an existing file.": "覆盖已存在的文件。",
    "Print a JSON Schema (the questionnaire's includes the rule set's own fields).":
        "输出 JSON Schema（问卷的 Schema 包含规则集自带的字段）。",
    "questionnaire, ruleset or record": "questionnaire（问卷）、ruleset（规则集）或 record（评估记录）",
    "Re-evaluate a record and report whether it is reproduced, naming what differs.":
        "重新评估一份记录，报告能否复现，并指出不同之处。",
    "An assessment record written by `evaluate --out`.": "由 `evaluate --out` 写出的评估记录。",
    "Run a rule pack's own test cases (tests/test_*.yaml) and report coverage.":
        "运行规则包自带的测试用例（tests/test_*.yaml），并报告覆盖率。",
    "Rule-pack directories (or their ruleset.yaml).": "规则包目录（或其 ruleset.yaml）。",
    "Write a JUnit XML report here.": "在此写入 JUnit XML 报告。",
    "Fail below this coverage, in percent (0–100).": "覆盖率低于此百分比（0–100）时判为失败。",
    "For a pack that extends another: cover the whole lineage (inherited factors, cases and conditions too), not only what the pack adds.":
        "对继承其他规则集的规则包：覆盖整个继承链（含继承的风险因素、情形和条件），而不只是本规则包增加的内容。",
    "Static checks on rule packs: unreachable cases, tier gaps, translations, unused declarations.":
        "规则包静态检查：不可达的情形、分档缺口、翻译缺失、未使用的声明。",
    "Rule-pack directories, ruleset.yaml files or ids.": "规则包目录、ruleset.yaml 文件或规则集编号。",
    "List and inspect rule sets.": "列出和查看规则集。",
    "Rule sets available by id (shipped packs and plugins).": "可按编号使用的规则集（随附规则包和插件提供的）。",
    "Factors, overrides, scoring and the facts a rule set reads.": "规则集的风险因素、否决项、计分方法和读取的事实。",
    "Rule-set id or path.": "规则集编号或路径。",
    "List installed plugins and what they provide.": "列出已安装的插件及其提供的功能。",
    "Plugins and the operators, scoring methods, formats and rule sets each provides.":
        "各插件及其提供的运算符、计分方法、输出格式和规则集。",
    "Grade many questionnaires: progress, worker processes, bad files collected, resumable.":
        "批量评估问卷：显示进度、多进程并行、收集出错的文件、可断点续评。",
    "Questionnaire files, directories of them, or globs.": "问卷文件、问卷所在目录或通配模式。",
    "Worker processes (0, the default: one per CPU).": "并行进程数（默认 0：每个 CPU 一个）。",
    "Directory for the records; a record already there for the same file and rule set is kept (resume).":
        "评估记录的写入目录；同一文件、同一规则集已写出的记录将沿用（断点续评）。",
    "Write one row per file: .jsonl or .csv.": "每个文件一行写入汇总：.jsonl 或 .csv。",
    "List the projects a rule change would re-grade, and why, factor by factor.":
        "列出规则变更后等级会改变的项目，并逐项说明原因（风险因素、否决项、计分方法）。",
    "The new rule set (id or path).": "新规则集（编号或路径）。",
    "The rule set to compare with (default: cn-ndrc-2012; for a register, the rule set each assessment was graded "
    "under).": "用于对比的规则集（默认 cn-ndrc-2012；对登记簿，为每项评估当时所用的规则集）。",
    "Questionnaire files, directories of them, or globs; or a register (a SQLite file or postgresql:// URL): each "
    "project's latest assessment in it.": "问卷文件、问卷所在目录或通配模式；或登记簿（SQLite 文件或 postgresql:// 地址）："
                                         "取其中每个项目最近一次评估。",
}
