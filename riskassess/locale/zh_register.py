"""Chinese messages: the assessment register (``riskassess register …``, ``evaluate --register``)."""

ZH: dict[str, str] = {
    # opening a register
    "no register here": "此处没有登记簿",
    "create one with `riskassess register add RECORD.json` or `riskassess evaluate FILE --register PATH`":
        "可用 `riskassess register add RECORD.json` 或 `riskassess evaluate FILE --register PATH` 新建",
    "not a register: {error}": "不是登记簿：{error}",
    "not a register: its chain head is missing": "不是登记簿：缺少链头",
    "the register has schema version {found}; this riskassess knows up to {known}":
        "该登记簿的结构版本为 {found}，本 riskassess 只支持到 {known}",
    "use a newer riskassess": "请使用更新版本的 riskassess",
    "a PostgreSQL register needs the psycopg package": "postgresql:// 登记簿需要安装 Python 包 psycopg",
    "install it with: pip install 'riskassess[postgres]'": "安装方法：pip install 'riskassess[postgres]'",
    "cannot connect to the register: {error}": "无法连接登记簿：{error}",
    # entries
    "{ref!r} names no entry: give its seq number or its record id": "{ref!r}不是登记条目：请给出序号或记录编号",
    "`riskassess register history` lists them": "`riskassess register history` 可列出全部条目",
    "no entry {ref} in the register": "登记簿中没有条目 {ref}",
    "{ref} is the beginning of several record ids: {ids}": "{ref} 是多个记录编号的开头：{ids}",
    "give more of the id": "请给出更长的编号",
    "registered as entry {seq} in {register}": "已登记为 {register} 的第 {seq} 条",
    "already in the register as entry {seq} ({register})": "已在登记簿中，为第 {seq} 条（{register}）",
    "{file}: {what}": "{file}：{what}",
    "the record was edited after it was written: its content no longer matches its id (its id: {id}; its content gives: {other})":
        "该记录在生成后被修改过：其内容与记录编号不再相符（记录编号：{id}；按内容计算为：{other}）",
    "`riskassess verify {file}` names what differs; nothing was stored":
        "`riskassess verify {file}` 可列出不同之处；本次未登记任何记录",
    # history, show
    "no entries for project {project} in {register}": "{register} 中没有项目 {project} 的条目",
    "the register {register} is empty": "登记簿 {register} 为空",
    "seq": "序号",
    "recorded (UTC)": "登记时间（协调世界时）",
    "project": "项目",
    "initial → post-measure grade": "初始 → 措施后风险等级",
    "firm": "确定",
    "provisional": "暂定",
    "record id": "记录编号",
    "entry {seq}: {id}": "第 {seq} 条：{id}",
    "project: {id} {name}": "项目：{id} {name}",
    "recorded {recorded} UTC; assessed {created}": "登记于 {recorded}（协调世界时）；评估于 {created}",
    "rule set {id} {version} (sha256 {sha}); riskassess {engine}": "规则集 {id} {version}（sha256 {sha}）；riskassess {engine}",
    "initial grade {initial}; post-measure grade {post}": "初始风险等级 {initial}；措施后风险等级 {post}",
    "post-measure range {lowest} to {highest}: {firmness}": "措施后风险等级范围 {lowest} 至 {highest}：{firmness}",
    "decision: {decision}": "结论：{decision}",
    "factors that apply ({count}): {ids}": "适用的风险因素（{count} 个）：{ids}",
    "chain: the first entry; entry hash {hash}": "链：第一条；本条哈希 {hash}",
    "chain: follows entry {prev_seq} ({prev}); entry hash {hash}": "链：接在第 {prev_seq} 条（{prev}）之后；本条哈希 {hash}",
    # diff
    "entry {seq}": "第 {seq} 条",
    "entry {a} ({a_id}) → entry {b} ({b_id}): {count} changes": "第 {a} 条（{a_id}）→ 第 {b} 条（{b_id}）：{count} 处变化",
    "rule set {id}: {old} → {new}": "规则集 {id}：{old} → {new}",
    "plugin {name}: {old} → {new}": "插件 {name}：{old} → {new}",
    "engine: riskassess {old} → {new}": "引擎：riskassess {old} → {new}",
    "not used": "未使用",
    "not answered": "未填写",
    "answer {field}: {old} → {new}": "答案 {field}：{old} → {new}",
    "{what}: {old} → {new}": "{what}：{old} → {new}",
    "{what}: in {entry} only": "{what}：仅见于{entry}",
    # verify
    "intact: {count} entries in {register}; chain head: entry {seq} {hash}":
        "完整：{register} 共 {count} 条；链头为第 {seq} 条 {hash}",
    "NOT intact: {count} problems in {register} ({entries} entries)": "不完整：{register}（共 {entries} 条）有 {count} 处问题",
    "  - entry {seq} ({id}): {problem}": "  - 第 {seq} 条（{id}）：{problem}",
    "record id unknown": "记录编号未知",
    "{kind}: {detail}": "{kind}：{detail}",
    "edited": "被修改",
    "deleted": "被删除",
    "moved": "被移动",
    "inserted": "被插入",
    "its stored record no longer matches the record SHA-256 the chain holds": "所存记录与链中保存的记录 SHA-256 不符",
    "its stored record is not a readable assessment record": "所存记录不是可读取的评估记录",
    "entry {seq}: its stored record is not a readable assessment record": "第 {seq} 条：所存记录不是可读取的评估记录",
    "its record states the id {stated}, the entry {held}": "其记录写明的编号为 {stated}，条目中为 {held}",
    "its record was edited: its content gives the id {found}": "其记录被修改过：按内容计算的编号为 {found}",
    "{column}: {held!r} in the register, {derived!r} in its record": "{column}：登记簿中为{held!r}，记录中为{derived!r}",
    "its seq, time, record id, kind, basis or a hash was changed: they no longer give its entry hash":
        "其序号、时间、记录编号、类型、所依据的评估或哈希被改动：已不能得出本条哈希",
    "it was written as entry {seq}": "登记时为第 {seq} 条",
    "entry {next} commits to another entry {seq}: this one was replaced or re-sealed":
        "第 {next} 条所链接的是另一个第 {seq} 条：本条被替换或重新计算了哈希",
    "the chain head commits to another entry {seq}: this one was replaced or re-sealed":
        "链头所链接的是另一个第 {seq} 条：本条被替换或重新计算了哈希",
    "together with entries {first} to {last}": "第 {first} 至 {last} 条也一并被删除",
    "it claims the place of entry {seq}": "冒占第 {seq} 条的位置",
    "after the chain head (entry {head} is the last the register wrote)": "位于链头之后（登记簿最后写入的是第 {head} 条）",
    # the register's kernels (register/kernel.py)
    "its answers no longer match the SHA-256 its record holds": "其答卷与记录中保存的 SHA-256 不再一致",
    "its answers are not readable JSON": "其答卷不是可读的 JSON",
    "record {id} cannot be regenerated: graded again it gives {found} (another rule file, engine or plugin version?)":
        "无法重新生成记录 {id}：重新评估得到的是 {found}（规则文件、引擎或插件版本不同？）",
    "record {id} cannot be regenerated: its answers no longer grade under {rules}: {error}":
        "无法重新生成记录 {id}：其答卷在规则集 {rules} 下已无法评估：{error}",
    "install the rule set, engine and plugin versions it names": "请安装记录所列的规则集、引擎和插件版本",
}

#: The arguments of the register's commands, as help and usage errors name them.
ARGUMENTS: dict[str, str] = {"records": "评估记录", "project": "项目", "entry": "条目", "first": "条目1",
                             "second": "条目2"}

#: The help of the register's commands and options, by their English text.
HELP: dict[str, str] = {
    "The assessment register: every assessment stored with its record, in a tamper-evident chain; history, diff, export.":
        "评估登记簿：每次评估连同其记录一起保存在防篡改的哈希链中；可查历史、比较和导出。",
    "The register: a SQLite file (a directory: riskassess-register.sqlite in it) or a postgresql:// URL (default: $RISKASSESS_REGISTER, then ./riskassess-register.sqlite).":
        "登记簿：数据库文件（给出目录时为其中的 riskassess-register.sqlite）或 postgresql:// 地址（默认取 $RISKASSESS_REGISTER，其次 ./riskassess-register.sqlite）。",
    "Also store the assessment in this register: a SQLite file (a directory, e.g. `.`: riskassess-register.sqlite in it) or a postgresql:// URL.":
        "同时将本次评估登记到此登记簿：数据库文件（给出目录如 `.` 时为其中的 riskassess-register.sqlite）或 postgresql:// 地址。",
    "Store records in the register, in one transaction; a record whose content does not match its id is refused.":
        "将评估记录登记到登记簿（在一个事务中完成）；内容与记录编号不符的记录将被拒绝。",
    "Assessment records (JSON) written by `evaluate --out`.": "由 `evaluate --out` 写出的评估记录（JSON）。",
    "The assessments in the register, oldest first: time, project, rule set, grades, record id.":
        "登记簿中的评估，按登记先后列出：时间、项目、规则集、风险等级、记录编号。",
    "A project id (or name): its versions only.": "项目编号（或名称）：只列出该项目的各个版本。",
    "One entry: the assessment's summary and its place in the chain; --json prints the stored record.":
        "查看一条登记：评估摘要及其在链中的位置；--json 输出所存的评估记录。",
    "An entry: its seq number or its record id (or its beginning).": "登记条目：序号或记录编号（或其开头部分）。",
    "Print the stored record (JSON) instead.": "改为输出所存的评估记录（JSON）。",
    "What changed from one entry to another: rule sets, answers, factors, grades and ranges, by name.":
        "比较两条登记：规则集、答案、风险因素、风险等级和等级范围的变化，逐项指名。",
    "Another entry, compared with the first.": "另一条登记，与第一条比较。",
    "Every entry, oldest first, as JSON Lines or CSV.": "按登记先后导出全部条目：jsonl（每行一条 JSON）或 csv。",
    "jsonl (every entry with its record) or csv (a summary row an entry).":
        "jsonl（每条登记连同评估记录）或 csv（每条登记一行摘要）。",
    "Write to this file (default: standard output).": "写入此文件（默认输出到标准输出）。",
    "Re-walk the hash chains: name every edited, deleted, moved or inserted entry or event (exit 5 if any).":
        "重新核验登记簿的哈希链：指出每一条被修改、删除、移动或插入的登记或回头看事件（有则以 5 退出）。",
}
