"""Chinese messages: post-decision monitoring (回头看) — ``register event``, ``watch`` and the event chain."""

ZH: dict[str, str] = {
    # the kinds of event
    "petition": "信访",
    "gathering": "聚集",
    "mass incident": "群体性事件",
    "negative media report": "负面媒体报道",
    "measure completed": "措施完成",
    "measure cancelled": "措施取消",
    # an event as given
    "{kind!r} is not a kind of event": "{kind!r}不是事件类型",
    "the kind of event is missing": "缺少事件类型",
    "one of: {kinds}": "可用：{kinds}",
    "{option} does not apply to a {kind} event": "{option} 不适用于{kind}事件",
    "a {kind} event takes: {options}": "{kind}事件可用：{options}",
    "a {kind} event needs {option}": "{kind}事件须给出 {option}",
    "must be a text, not empty": "须为非空文字",
    "{value!r} is not a whole number": "{value!r}不是整数",
    "{value} is not between 1 and {most}": "{value} 不在 1 到 {most} 之间",
    "an event that did not happen is not recorded": "未发生的事件无需登记",
    "the date of the event is missing": "缺少事件日期",
    "{value!r} is not a date": "{value!r}不是日期",
    "give it as YYYY-MM-DD": "日期格式为 年-月-日，如 2026-06-01",
    "{date} has not come yet": "{date} 尚未到来",
    "record an event once it has happened": "事件发生后再登记",
    "expected a list of events, each with kind and date": "应为事件列表，每项含 `kind` 和 `date`",
    "- {{kind: petition, count: 2, date: 2026-06-01}}": "例如 `- {{kind: petition, count: 2, date: 2026-06-01}}`",
    "expected an event: a mapping with kind and date": "应为一个事件：含 `kind` 和 `date` 的映射",
    "an event has kind, date, count, size, measure and note":
        "事件可含 `kind`、`date`、`count`、`size`、`measure`、`note`",
    "--from gives the events: leave out {options}": "--from 已给出事件：请去掉 {options}",
    "no event given": "未给出事件",
    "give --kind and --date, or --from FILE": "请给出 --kind 和 --date，或用 --from 给出事件文件",
    # against the decision
    "no project {project!r} in the register": "登记簿中没有项目{project!r}",
    "the project's latest assessment (entry {seq}) was edited in the register: it is not re-graded":
        "该项目最近一次评估（第 {seq} 条）在登记簿中被修改过：不予重新评估",
    "`riskassess register verify` names what was changed": "`riskassess register verify` 可指出被改动之处",
    "give a project id `riskassess register history` lists": "请给出 `riskassess register history` 列出的项目编号",
    "{date} is before the project's latest assessment (entry {seq}, assessed {assessed})":
        "{date} 早于该项目最近一次评估（第 {seq} 条，评估于 {assessed}）",
    "monitoring records what happened after the decision; what was known before it belongs in a new assessment":
        "回头看只登记决策之后发生的事；决策前已知的情况应纳入新的评估",
    "the decision was graded under rule set {id} {version} (SHA-256 {sha}…); the one found is {found_id} "
    "{found_version} (SHA-256 {found_sha}…) — re-grading uses the same rules only":
        "决策时的评估使用规则集 {id} {version}（SHA-256 {sha}…）；此处找到的是 {found_id} {found_version}"
        "（SHA-256 {found_sha}…）——回头看只按相同的规则重新评估",
    "give the rule file the decision used with --rules PATH, or assess the project anew (`riskassess evaluate FILE "
    "--register R`)":
        "请用 --rules 路径 给出决策时所用的规则文件，或重新评估该项目（`riskassess evaluate FILE --register R`）",
    "rule set {id} names no threshold {name}, so a gathering cannot be counted as an incident or a petition":
        "规则集 {id} 未定义阈值 {name}，无法判断聚集应计为群体性事件还是信访",
    "record it as --kind incident or --kind petition": "请改用 `--kind incident` 或 `--kind petition` 登记",
    "the assessment (entry {seq}) has no measure {measure!r}": "该评估（第 {seq} 条）没有措施{measure!r}",
    "its measures: {ids}": "其措施：{ids}",
    "measure {measure!r} is already completed": "措施{measure!r}已是已完成状态",
    "measure {measure!r} is already cancelled": "措施{measure!r}已是已取消状态",
    # register event
    "event {seq} recorded: {event}": "已登记事件 {seq}：{event}",
    "already recorded as event {seq}: {event}": "此前已登记，为事件 {seq}：{event}",
    "nothing new: no re-grade of {project}": "没有新事件：{project} 未重新评估",
    "{project} re-graded as entry {seq} (monitoring of entry {decision}): post-measure grade {old} → {new}, range "
    "{old_range} → {new_range}":
        "{project} 已重新评估，登记为第 {seq} 条（第 {decision} 条的回头看）：措施后风险等级 {old} → {new}，"
        "等级范围 {old_range} → {new_range}",
    "  answer {field}: {old} → {new}": "  答案 {field}：{old} → {new}",
    "  higher than at the decision: `riskassess watch` lists it": "  高于决策时：`riskassess watch` 会列出该项目",
    "{date} {kind}": "{date} {kind}",
    "{date} {kind}: {details}": "{date} {kind}：{details}",
    "count {count}": "数量 {count}",
    "{size} people": "{size} 人",
    "counted as a {kind} (the rule set's incident size is {threshold})": "计为{kind}（规则集的群体性事件规模为 {threshold} 人）",
    "{note!r}": "{note!r}",
    "{lowest} to {highest}": "{lowest}至{highest}",
    "at least {value}": "至少 {value}",
    "at most {value}": "至多 {value}",
    "{low} to {high}": "{low} 至 {high}",
    # watch
    "top of the post-measure range": "措施后风险等级范围上限",
    "{what} {old} → {new}": "{what} {old} → {new}",
    "{project}: {rose}": "{project}：{rose}",
    "  decision: entry {seq}, assessed {assessed}; latest re-grade: entry {regrade}":
        "  决策依据：第 {seq} 条，评估于 {assessed}；最近一次重新评估：第 {regrade} 条",
    "  events ({count}):": "  事件（{count} 件）：",
    "    - event {seq}: {event}": "    - 事件 {seq}：{event}",
    "  why:": "  原因：",
    "    - {reason}": "    - {reason}",
    "the reasons cannot be given here: {error}": "此处无法给出原因：{error}",
    "{rose} of {watched} monitored projects rose since their decision":
        "回头看的 {watched} 个项目中有 {rose} 个风险等级高于决策时",
    "nothing rose: {watched} monitored projects, none higher than at their decision":
        "无上升：回头看的 {watched} 个项目均未高于决策时",
    "no project in {register} has events after its decision": "{register} 中没有项目在决策后登记过事件",
    "no project in {register} has events since {since}": "{register} 中没有项目在 {since} 以来登记过事件",
    # the register: history, show, verify
    "{project} (monitoring of {basis})": "{project}（{basis} 的回头看）",
    "monitoring: a re-grade of {basis} with {count} events after it": "回头看：对 {basis} 的重新评估，计入其后 {count} 件事件",
    "and {count} monitoring events; event chain head: event {seq} {hash}":
        "另有回头看事件 {count} 件；事件链头为事件 {seq} {hash}",
    "  - event {seq} ({id}): {problem}": "  - 事件 {seq}（{id}）：{problem}",
    "event id unknown": "事件编号未知",
    "its stored event no longer matches the event SHA-256 the chain holds": "所存事件与链中保存的事件 SHA-256 不符",
    "its stored event is not a readable monitoring event": "所存事件不是可读取的回头看事件",
    "its event was edited: its content gives the id {found}": "该事件被修改过：按内容计算的编号为 {found}",
    "{column}: {held!r} in the register, {derived!r} in its event": "{column}：登记簿中为{held!r}，事件中为{derived!r}",
    "{column}: {held!r} in the register, not in its event": "{column}：登记簿中为{held!r}，事件中没有",
    "{column}: not in the register, {derived!r} in its event": "{column}：登记簿中没有，事件中为{derived!r}",
    "its seq, time, event id or a hash was changed: they no longer give its event hash":
        "其序号、时间、事件编号或哈希被改动：已不能得出其事件哈希",
    "it was written as event {seq}": "登记时为事件 {seq}",
    "event {next} commits to another event {seq}: this one was replaced or re-sealed":
        "事件 {next} 所链接的是另一个事件 {seq}：本事件被替换或重新计算了哈希",
    "the event chain head commits to another event {seq}: this one was replaced or re-sealed":
        "事件链头所链接的是另一个事件 {seq}：本事件被替换或重新计算了哈希",
    "together with events {first} to {last}": "事件 {first} 至 {last} 也一并被删除",
    "it claims the place of event {seq}": "冒占事件 {seq} 的位置",
    "after the event chain head (event {head} is the last the register wrote)":
        "位于事件链头之后（登记簿最后写入的是事件 {head}）",
}

#: The arguments of the monitoring commands, as help and usage errors name them.
ARGUMENTS: dict[str, str] = {"project": "项目"}

#: The help of the monitoring commands and options, by their English text.
HELP: dict[str, str] = {
    "Record what happened after a project's decision and re-grade it under the same rules (回头看).":
        "登记项目决策后发生的事件，并按相同规则重新评估（回头看）。",
    "A project id (or name) in the register.": "登记簿中的项目编号（或名称）。",
    "petition, gathering, incident, negative_report, measure_completed or measure_cancelled.":
        "事件类型：`petition` 信访、`gathering` 聚集、`incident` 群体性事件、`negative_report` 负面报道、"
        "`measure_completed` 措施完成或 `measure_cancelled` 措施取消。",
    "When it happened, YYYY-MM-DD: not before the project's latest assessment.":
        "发生日期，格式 年-月-日：不得早于该项目最近一次评估。",
    "How many: petitions or negative reports (default 1).": "数量：信访件次或负面报道篇数（默认 1）。",
    "How many people: a gathering or an incident.": "人数：聚集或群体性事件的参与人数。",
    "The measure's id: measure_completed or measure_cancelled.": "措施编号：用于 measure_completed 或 measure_cancelled。",
    "What happened, in a few words.": "简要说明发生了什么。",
    "Several events from a YAML file: a list of {kind, date, count, size, measure, note}.":
        "从 YAML 文件登记多个事件：由 `{kind, date, count, size, measure, note}` 组成的列表。",
    "The rule file the decision was graded under, when it is not where its record says (the same id, version and "
    "SHA-256: another is refused).":
        "决策时所用的规则文件，当它不在记录所写的位置时给出（编号、版本和 SHA-256 须相同，否则拒绝）。",
    "Projects whose post-measure grade or top of its range rose since the decision: events and why (exit 1 if any).":
        "列出措施后风险等级或其范围上限高于决策时的项目，并给出事件和原因（有则以 1 退出）。",
    "Only projects with an event on or after this date (YYYY-MM-DD).": "只看在此日期（含）之后有事件的项目（年-月-日）。",
}
