"""The terminal summary of an assessment, and the grade and question lines the CLI shares with it.

Both read only what the :class:`~riskassess.assessment.Assessment` already holds;
every label comes in zh and en and ``lang`` picks one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from .adjustment_record import factor_lines, factor_mark, overview_line
from .approximate import describe
from .assessment import Assessment
from .labels import EVIDENCE_METHOD_TITLES
from .safe_text import plain

_T = {
    "title": ("社会稳定风险评估结果", "Social stability risk assessment"),
    "project": ("项目", "Project"),
    "rules": ("规则集", "Rule set"),
    "initial": ("初始风险等级（措施前）", "Initial grade (before measures)"),
    "post": ("措施后风险等级", "Post-measure grade"),
    "decision": ("决策建议", "Decision"),
    "channel": ("审批渠道", "Approval channel"),
    "provisional": ("暂定：部分缺失答案影响了结果", "Provisional: missing answers decided some factors"),
    "factors": ("适用的风险因素", "Applicable risk factors"),
    "factor": ("风险因素", "Risk factor"),
    "category": ("类别", "Category"),
    "case": ("情形", "Case"),
    "before": ("措施前 P×I → 程度", "Before: P×I → level"),
    "after": ("措施后 P×I → 程度", "After: P×I → level"),
    "evidence": ("依据的答案", "Answers behind it"),
    "measures": ("防范化解措施", "Mitigation measures"),
    "overrides": ("直接定性指标（等级下限）", "Direct indicators (grade floors)"),
    "unknowns": ("未知（缺失答案）", "Unknown (missing answers)"),
    "warnings": ("警告", "Warnings"),
    "scoring": ("计分推导", "Scoring derivation"),
    "record": ("评估记录编号", "Assessment record id"),
    "none": ("无", "None"),
    "treated": ("处理方式", "Treated as"),
    "responsible": ("责任主体", "Responsible"),
    "deadline": ("时限", "Deadline"),
    "status": ("状态", "Status"),
    "addresses": ("针对因素", "Addresses"),
    "counted": ("计入", "Counts"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "not_assessed": ("不适用的因素", "Factors that do not apply"),
    "firm": ("确定", "firm"),
    "range": ("区间", "range"),
    "questions": ("先回答这些问题（可能改变等级）", "Answer these first (they could change the grade)"),
    "could_lower": ("如答", "if"),
    "at_most": ("至多", "at most"),
    "at_least": ("至少", "at least"),
    "not_applicable_n": ("因前提不成立而不适用的因素", "Factors whose preconditions are absent"),
}
_TREATED = {
    "applies": ("按适用处理（保守）", "treated as applying (conservative)"),
    "does_not_apply": ("按不适用处理", "treated as not applying"),
    "fired": ("按触发处理", "treated as fired"),
    "not_fired": ("按未触发处理", "treated as not fired"),
}


def _declared(policy: str, lang: str) -> str:
    if lang == "zh":
        said = {"true": "成立", "false": "不成立"}.get(policy, policy)
        return f"规则集声明缺失时该条件按{said}处理"
    return f"the rule set declares the condition {policy} when missing"


def _treated(key: str, lang: str) -> str:
    zh, en = _TREATED[key]
    return zh if lang == "zh" else en


def t(key: str, lang: str) -> str:
    zh, en = _T[key]
    return zh if lang == "zh" else en


def _lab(label: Any, lang: str) -> str:
    """A Label, or a raw ``{zh, en}`` mapping from a record, in ``lang``; empty for none."""
    return "" if label is None else label[lang]


def _grade(a: Assessment, grade_id: str, lang: str) -> str:
    for g in a.rule_set.grades:
        if g.id == grade_id:
            return _lab(g.title, lang)
    return grade_id


def _level_lang(a: Assessment, f: Any, lang: str) -> str:
    if f is None:
        return "—"
    points = "" if f.points is None else f"{float(f.points):g} {'分' if lang == 'zh' else 'pts'}"
    if len(a.rule_set.levels) == 1 and points:  # a points-only pack has no P × I
        return points
    level = f"{f.probability}×{f.impact} → {_lab(a.rule_set.levels[f.level][1], lang)}"
    return f"{level}; {points}" if points else level


def _fmt(value: Any) -> str:
    return plain(_fmt_raw(value))


def _fmt_raw(value: Any) -> str:
    approximate = describe(value)
    if approximate is not None:
        return approximate
    if isinstance(value, bool):
        return "true" if value else "false"  # as the owner writes it in YAML
    if isinstance(value, (list, tuple, frozenset)):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def grade_with_range(a: Assessment, stage: str, lang: str) -> str:
    """``确定`` or ``暂定 低风险，补充缺失答案后可能为 中风险`` — never readable as final when it is not."""
    r = a.range_dict()["initial" if stage == "initial" else "post_measure"]
    grade = _grade(a, r["grade"], lang)
    if r["firm"]:
        if a.unknowns:
            return f"{grade}（确定：缺失的答案无论如何补充都不会改变此等级）" if lang == "zh" else \
                f"{grade} (firm: no answer still missing could change it)"
        return f"{grade}（确定）" if lang == "zh" else f"{grade} (firm)"
    others = [g for g in a.rule_set.grade_ids[a.rule_set.grade_ids.index(r["lowest"]):
                                             a.rule_set.grade_ids.index(r["highest"]) + 1] if g != r["grade"]]
    could = "、".join(_grade(a, g, lang) for g in others) if lang == "zh" else \
        " or ".join(_grade(a, g, lang) for g in others)
    if lang == "zh":
        return f"暂定 {grade}，补充缺失答案后可能为 {could}"
    return f"provisionally {grade}; once the missing answers are given it could be {could}"


def _answer_text(a: Assessment, fact: str, value: Any, lang: str) -> str:
    """An example answer as the owner would read it: enum values by their title, yes/no in Chinese."""
    titles = _enum_titles(a, fact)

    def one(v: Any) -> str:
        if isinstance(v, bool) and lang == "zh":
            return f"{'是' if v else '否'}（{_fmt(v)}）"
        if isinstance(v, str) and v in titles:
            return f"{titles[v][lang]}（{v}）" if lang == "zh" else f"{titles[v][lang]} ({v})"
        if isinstance(v, float):
            return f"{v:.4g}"
        return _fmt(v)

    if isinstance(value, (list, tuple)):
        empty = "空（[]）" if lang == "zh" else "none ([])"
        return ("、" if lang == "zh" else ", ").join(one(v) for v in value) or empty
    return one(value)


def _enum_titles(a: Assessment, fact: str) -> Mapping[str, Any]:
    spec = a.rule_set.catalogue.field_at(fact)
    if spec is None:
        return {}
    return spec.items.enum_titles if spec.kind == "array" and spec.items else spec.enum_titles


def _value_text(a: Assessment, fact: str, value: Any, lang: str) -> str:
    """A value in a trace line: enum codes by their title in Chinese (the code stays findable in brackets)."""
    titles = _enum_titles(a, fact)
    if lang != "zh" or not (titles or isinstance(value, bool)):
        return _fmt(value)

    def one(v: Any) -> str:
        if isinstance(v, bool):
            return "是" if v else "否"
        return f"{_lab(titles[v], lang)}（{plain(v)}）" if isinstance(v, str) and v in titles else _fmt(v)

    if isinstance(value, (list, tuple, frozenset)):
        return "[" + "、".join(one(v) for v in value) + "]"
    return one(value)


def question_lines(a: Assessment, lang: str, limit: int = 5) -> list[str]:
    """The decisive unanswered questions, one line each: what answering could do to the grade."""
    rs = a.rule_set
    out = []
    for q in a.questions[:limit]:
        d = a.question_dict(q)
        title = _lab(d["title"], lang)
        answers = "" if d["answers"] == [d["fact"]] else f" [{', '.join(d['answers'])}]"
        if d["fact"] in rs.derived_facts:
            answers = f" ← {', '.join(d['answers'])}"
        low, high = d["could_lower_to"], d["could_raise_to"]
        bits = []
        cur = a.range_dict()
        if rs.grade_ids.index(low["post_measure"]) < rs.grade_ids.index(cur["post_measure"]["highest"]) or \
                rs.grade_ids.index(low["initial"]) < rs.grade_ids.index(cur["initial"]["highest"]):
            answer = _answer_text(a, d["fact"], low["if"], lang)
            grade = _grade(a, low["post_measure"], lang)
            bits.append(f"{t('could_lower', lang)} {answer} → {t('at_most', lang)} {grade}")
        if rs.grade_ids.index(high["post_measure"]) > rs.grade_ids.index(cur["post_measure"]["lowest"]) or \
                rs.grade_ids.index(high["initial"]) > rs.grade_ids.index(cur["initial"]["lowest"]):
            answer = _answer_text(a, d["fact"], high["if"], lang)
            grade = _grade(a, high["initial"], lang)
            bits.append(f"{t('could_lower', lang)} {answer} → {t('at_least', lang)} {grade}")
        sep = "；" if lang == "zh" else "; "
        if lang == "zh":  # the question first; the field to fill in brackets
            out.append(f"{title}（{d['fact']}）{answers}：{sep.join(bits)}")
        else:
            out.append(f"{d['fact']} ({title}){answers}: {sep.join(bits)}")
    return out


def settle_line(a: Assessment, lang: str) -> str | None:
    """When no single answer can lower the top of the range but answering them all could, say so."""
    rs = a.rule_set
    top = a.grade_range.post[1]
    if len(a.questions) < 2 or any(q.best.post[1] < top for q in a.questions):
        return None
    settled = a.best_if_all_answered.post[1]
    if settled >= top:
        return None
    worst, grade, n = _grade(a, rs.grades[top].id, lang), _grade(a, rs.grades[settled].id, lang), len(a.questions)
    if lang == "zh":
        return (f"没有哪一项能单独排除{worst}：需回答全部 {n} 项决定性问题（riskassess validate 列出全部），"
                f"都按有利方向回答时至多为{grade}。")
    return (f"No single answer rules out {worst}: all {n} decisive questions must be answered (riskassess validate "
            f"lists them); answered favourably, the grade is at most {grade}.")


def _channel(a: Assessment, channel: str, lang: str) -> str:
    spec = a.rule_set.catalogue.field_at("project.channel")
    titles = spec.enum_titles if spec is not None else {}
    return _lab(titles[channel], lang) if channel in titles else plain(channel)


def _method(a: Assessment, method: str, lang: str) -> str:
    title = next((s.title for s in a.rule_set.scoring if s.method == method and s.title is not None), None)
    return _lab(title, lang) if title is not None else method


def _project(a: Assessment) -> dict[str, Any]:
    return a.questionnaire.answers.get("project") or {}


# -------------------------------------------------------------------------- terminal


_GRADE_STYLE = {0: "bold green", 1: "bold yellow", 2: "bold red"}


def _key_value(der: Any) -> str:
    """`` (R = 0.388)`` for an index, `` (W = 12/100)`` for a point table, else nothing."""
    for step in der.steps:
        if step.get("step") == "index":
            return f" (R = {step['value']})"
        if step.get("step") == "total":
            return f" (W = {step['value']}/{step['of']})"
    return ""
_OP_SYMBOL = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "in": "∈", "not_in": "∉",
              "between": "∈", "exists": "exists", "contains": "∋"}
_MARK = {"true": "✓", "false": "✗", "unknown": "?"}


def _leaf_line(a: Assessment, leaf: Any, lang: str) -> str:
    """``✓ land.households_relocated = 250 [L12]  ≥ 200 (relocation_large) — 入户调查表, surveyed``."""
    actual = "∅" if leaf.actual is None else _value_text(a, leaf.fact, leaf.actual, lang)
    if leaf.derived_from is not None and isinstance(leaf.actual, float):
        inputs = ", ".join(f"{k.rsplit('.', 1)[-1]} {'∅' if v is None else v}" for k, v in leaf.derived_from.items())
        actual = f"{leaf.actual:.4g} ({a.rule_set.derived_facts[leaf.fact].formula}; {inputs})"
    where = f" [L{leaf.answer_line}]" if leaf.answer_line else ""
    operand = _value_text(a, leaf.fact, leaf.operand, lang) + (f" ({leaf.threshold})" if leaf.threshold else "")
    op = ("已回答" if lang == "zh" else "answered") if leaf.op == "exists" else _OP_SYMBOL.get(leaf.op, leaf.op)
    text = f"{_MARK[leaf.outcome]} {leaf.fact} = {actual}{where}  {op} {operand}"
    if leaf.evidence:
        method = leaf.evidence.get("method")
        method_text = EVIDENCE_METHOD_TITLES[method][lang] if method in EVIDENCE_METHOD_TITLES else plain(method)
        text += f" — {plain(leaf.evidence.get('document'))}, {method_text}"
        if leaf.evidence.get("date"):
            text += f", {leaf.evidence['date']}"
    return text


def terminal_summary(a: Assessment, lang: str, console: Console) -> None:
    """The default ``riskassess evaluate`` output: readable at any terminal width."""
    rs = a.rule_set
    p = _project(a)

    def styled(grade_id: str) -> Text:
        idx = rs.grade_ids.index(grade_id)
        style = _GRADE_STYLE.get(round(idx * 2 / max(1, len(rs.grades) - 1)), "bold")
        return Text(_grade(a, grade_id, lang), style=style)

    note_style = "yellow" if a.provisional else "dim"
    head = Text.assemble(f"{t('project', lang)}: {plain(p.get('name', ''))} ({plain(p.get('id', ''))})\n",
                         f"{t('rules', lang)}: {rs.id} {rs.version}\n",
                         f"{t('initial', lang)}: ", styled(a.initial_grade), "\n",
                         Text(f"  {grade_with_range(a, 'initial', lang)}\n", style=note_style),
                         f"{t('post', lang)}: ", styled(a.post_measure_grade), "\n",
                         Text(f"  {grade_with_range(a, 'post', lang)}", style=note_style))
    d = a.decision
    if d:
        head.append(f"\n{t('decision', lang)} [{_channel(a, d['channel'], lang)}]: ")
        head.append(_lab(d["title"], lang), style="bold yellow" if d["code"] == "pending" else "bold")
    console.print(Panel(head, title=t("title", lang), expand=False), soft_wrap=False)  # wrap inside the box
    questions = question_lines(a, lang)
    if questions:
        console.print(Text(t("questions", lang), style="bold yellow"))
        for i, question in enumerate(questions, 1):
            console.print(f"  {i}. {question}", markup=False, style="yellow")
        settle = settle_line(a, lang)
        if settle:
            console.print(f"  {settle}", markup=False, style="yellow")

    applicable = a.applicable()
    adjusted = overview_line(a, lang)
    if adjusted:
        console.print(adjusted, markup=False, style="bold cyan")
    console.print(Text(f"{t('factors', lang)} ({len(applicable)}/{len(a.factors)})", style="bold"))
    for f in applicable:
        factor = rs.factors[f.index]
        line = Text("• ")
        line.append(_lab(factor.title, lang), style="bold")
        line.append(f"  {f.id}", style="dim")
        if f.decided_by_unknown:
            line.append("  ⚠ ?", style="yellow")
        line.append(factor_mark(a, f.id, lang), style="bold cyan")
        console.print(line)
        after = _level_lang(a, f.post, lang)
        measures = f" ({', '.join(f.measures)})" if f.measures else ""
        case_def = next((c for c in factor.cases if c.id == f.case), None)
        case_name = _lab(case_def.title, lang) if case_def is not None and case_def.title is not None else f.case
        console.print(f"    {t('case', lang)} {case_name}: {_level_lang(a, f.initial, lang)}  →  {after}{measures}",
                      markup=False)
        for adjustment in factor_lines(a, f.id, lang):  # who set the level, and why
            console.print(f"    {adjustment}", markup=False, style="cyan")
        case = next(c for c in f.cases if c.id == f.case)
        for leaf in case.leaves:
            console.print(f"      {_leaf_line(a, leaf, lang)}", markup=False, style="dim")
    if any(f.decided_by_unknown for f in applicable):
        console.print("  " + ("⚠ ? = 该因素由缺失答案按规则包的判断计入" if lang == "zh" else
                              "⚠ ? = counted by the pack's judgement of a missing answer"), markup=False, style="dim")
    absent = [f for f in a.factors if f.applicability == "false"]
    if absent:
        console.print(Text(f"{t('not_applicable_n', lang)} ({len(absent)})", style="dim"))
    fired = [o for o in a.overrides if o.fired]
    if fired:
        console.print(Text(t("overrides", lang), style="bold"))
        for o in fired:
            console.print(f"• {_lab(rs.overrides[o.index].title, lang)} → ≥ {_grade(a, o.floor, lang)}", markup=False)
            for leaf in o.leaves:
                console.print(f"      {_leaf_line(a, leaf, lang)}", markup=False, style="dim")
    deciding = [u for u in a.unknowns if u["affects"] or u.get("declared")]
    if deciding:
        console.print(Text(t("unknowns", lang), style="bold yellow"))
        for u in deciding:
            how = [f"{x.get('factor') or x.get('override')}: {_treated(x['treated_as'], lang)}" for x in u["affects"]]
            how += [f"{x['rule']}: {_declared(x['leaf_treated_as'], lang)}" for x in u.get("declared", [])]
            console.print(f"• {u['fact']} ({_lab(u['title'], lang)}) — {'; '.join(how)}", markup=False,
                          style="yellow")
    console.print(Text(t("scoring", lang), style="bold"))
    for stage, ds in a.derivations.items():
        bits = []
        for der in ds:
            bits.append(f"{_method(a, der.method, lang)} → {_grade(a, der.grade, lang)}{_key_value(der)}")
        console.print(f"  {t('initial' if stage == 'initial' else 'post', lang)}: " + "; ".join(bits), markup=False)
    for w in a.warnings:
        if w["code"] != "provisional":
            console.print(f"⚠ {_lab(w['message'], lang)}", markup=False, style="yellow")
    console.print(f"{t('record', lang)}: {a.record_id}", markup=False, style="dim")
