"""The filed report as a list of blocks, built from an assessment record alone.

The structure is annex 2 of 发改办投资〔2013〕428号 (一、基本情况; 二、评估内容 with 样表1–4;
三、评估结论; an appendix with the scoring derivation and provenance). Every word comes from the
record's ``labels`` block or from :mod:`riskassess.report.words`, in one language; renderers
(Markdown, HTML, DOCX) only lay the blocks out. Answers are untrusted text: blocks carry them as
plain strings and each renderer escapes them for its own format.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..approximate import describe, is_approximate
from ..questionnaire import answer_at
from .adjustments import adjusted_remark, adjustments_section, provenance_rows
from .words import w

#: 428's four properties, and the factor categories whose risks speak to each.
FOUR_PROPERTIES = (
    ("four_legality", ("policy_approval",)),
    ("four_rationality", ("land_expropriation", "economic_social")),
    ("four_feasibility", ("technical_economic", "ecology_environment", "construction_management", "public_attitude")),
    ("four_controllability", ("safety_order", "media_opinion", "controllability")),
)
_COUNT_TEST = re.compile(r"count\(level ≥ (?P<level>[\w-]+)\) = (?P<n>\d+) ≥ (?P<need>\d+)")
_FACT_SECTIONS = ("land", "environment", "labor", "public", "order", "controllability")


@dataclass
class Heading:
    text: str
    level: int


@dataclass
class Paragraph:
    text: str
    strong: bool = False


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    number: int
    caption: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Figure:
    kind: str  # "matrix" | "grades" | "index"
    number: int
    caption: str


Block = Heading | Paragraph | Bullets | Table | Figure


@dataclass
class Report:
    lang: str
    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)
    record: Mapping[str, Any] = field(default_factory=dict)


class _Builder:
    def __init__(self, record: Mapping[str, Any], lang: str) -> None:
        self.r = record
        self.lang = lang
        self.labels: Mapping[str, Any] = record.get("labels") or {}
        self.result: Mapping[str, Any] = record["result"]
        self.answers: Mapping[str, Any] = record["questionnaire"]["answers"]
        self.blocks: list[Block] = []
        self.tables = 0
        self.figures = 0

    # -- words ------------------------------------------------------------------------
    def w(self, key: str) -> str:
        return w(key, self.lang)

    def lab(self, label: Any, fallback: str = "") -> str:
        if isinstance(label, Mapping):
            return str(label.get(self.lang) or label.get("zh") or fallback)
        return fallback

    def grade(self, gid: str | None) -> str:
        if gid is None:
            return "—"
        return self.lab((self.labels.get("grades", {}).get(gid) or {}).get("title"), gid)

    def level(self, entry: Mapping[str, Any] | None) -> tuple[str, str, str]:
        if not entry:
            return "—", "—", "—"
        title = self.lab(self.labels.get("levels", {}).get(entry.get("level")), str(entry.get("level")))
        return str(entry.get("probability")), str(entry.get("impact")), title

    def field_title(self, path: str) -> str:
        return self.lab((self.labels.get("fields", {}).get(path) or {}).get("title"), path)

    def value(self, path: str, value: Any) -> str:
        """An answer as a reader reads it: enum titles, 是/否, units, approximate answers in words."""
        meta = self.labels.get("fields", {}).get(path) or {}
        enum = meta.get("enum") or {}
        if isinstance(value, bool):
            return self.w("yes") if value else self.w("no_")
        if isinstance(value, list):
            sep = "、" if self.lang == "zh" else ", "
            return sep.join(self.value(path, v) for v in value) or self.w("none")
        approximate = describe(value)
        if approximate is not None:
            text = approximate
        elif isinstance(value, str) and value in enum:
            text = self.lab(enum[value], value)
        else:
            text = str(value)
        unit = self.lab(meta.get("unit")) if meta.get("unit") else ""
        if not unit or isinstance(value, str) or unit in self.lab(meta.get("title")):
            return text  # a title such as 总投资（万元） already names its unit
        return f"{text} {unit}"

    def answer(self, path: str) -> Any:
        return answer_at(self.answers, path)

    # -- blocks -------------------------------------------------------------------------
    def h(self, key: str, level: int) -> None:
        self.blocks.append(Heading(self.w(key), level))

    def p(self, text: str, strong: bool = False) -> None:
        self.blocks.append(Paragraph(text, strong))

    def table(self, caption: str, header: list[str], rows: list[list[str]]) -> None:
        self.tables += 1
        self.blocks.append(Table(self.tables, caption, header, rows))

    def figure(self, kind: str, caption_key: str) -> None:
        self.figures += 1
        self.blocks.append(Figure(kind, self.figures, self.w(caption_key)))


def build_report(record: Mapping[str, Any], lang: str) -> Report:
    """The report of ``record`` in ``lang`` (``zh`` or ``en``)."""
    b = _Builder(record, lang)
    project = b.answers.get("project") or {}
    _basic_information(b, project)
    _assessment_content(b)
    _conclusion(b)
    _appendix(b)
    name = str(project.get("name") or "")
    return Report(lang, b.w("title"), name, b.blocks, record)


# ------------------------------------------------------------------------------ part one


def _basic_information(b: _Builder, project: Mapping[str, Any]) -> None:
    b.h("s1", 1)
    b.h("s1_1", 2)
    if project.get("description"):
        b.p(str(project["description"]))
    loc = project.get("location") or {}
    where = "".join(str(loc[k]) for k in ("province", "city", "county") if loc.get(k)) if b.lang == "zh" else \
        ", ".join(str(loc[k]) for k in ("county", "city", "province") if loc.get(k))
    rows = [[b.field_title("project.name"), str(project.get("name", ""))],
            [b.field_title("project.id"), str(project.get("id", ""))]]
    for key in ("type", "owner", "investment_10k_cny", "channel", "stage"):
        if project.get(key) is not None:
            rows.append([b.field_title(f"project.{key}"), b.value(f"project.{key}", project[key])])
    if where:
        rows.insert(2, [b.w("location"), where])
    b.table(b.w("s1_1")[3:] if b.lang == "zh" else b.w("s1_1")[4:], [b.w("field"), b.w("value")], rows)
    facts = []
    for section in _FACT_SECTIONS:
        for path, value in _leaves(b.answers.get(section), section):
            if path.startswith(("public.survey", "public.opinions")):
                continue  # in the survey section
            facts.append([b.lab((b.labels.get("fields", {}).get(section) or {}).get("title"), section),
                          b.field_title(path), b.value(path, value)])
    if facts:
        b.table(b.w("facts_table"), [b.w("section"), b.w("field"), b.w("value")], facts)

    b.h("s1_2", 2)
    docs = [[d.get("number") or "—", b.lab(d.get("title")),
             b.lab(b.labels.get("statuses", {}).get("documents", {}).get(d.get("confidence")), d.get("confidence"))]
            for d in b.labels.get("documents", [])]
    rs = (b.r.get("rule_sets") or [{}])[0]
    b.p(f"{b.w('rule_set')}: {b.lab((b.labels.get('rule_set') or {}).get('title'), rs.get('id', ''))} "
        f"({rs.get('id', '')} {rs.get('version', '')})")
    if docs:
        b.table(b.w("documents_table"), [b.w("number"), b.w("document"), b.w("confidence")], docs)
    statuses = b.labels.get("statuses", {}).get("thresholds", {})
    # The source text says what each number is; the threshold's code name is for rule authors (English only).
    criteria = [[*([name] if b.lang == "en" else []), str(t.get("value")),
                 b.lab(statuses.get(t.get("status")), str(t.get("status"))), b.lab(t.get("source"))]
                for name, t in (b.labels.get("thresholds") or {}).items()]
    matrix = b.labels.get("matrix") or {}
    if matrix.get("status"):
        criteria.insert(0, [*([b.w("degree")] if b.lang == "en" else []), b.w("degree") + " 5×5" if b.lang == "zh"
                            else "5×5", b.lab(statuses.get(matrix["status"]), matrix["status"]),
                            b.lab(matrix.get("source"))])
    if criteria:
        header = [*([b.w("threshold")] if b.lang == "en" else []), b.w("value"), b.w("source_status"), b.w("source")]
        b.table(b.w("criteria_table"), header, criteria)

    assessment = b.answers.get("assessment") or {}
    b.h("s1_3", 2)
    rows = [[b.field_title(f"assessment.{k}"), str(assessment[k])] for k in ("body", "designated_by", "participants")
            if assessment.get(k)]
    if rows:
        b.table(b.w("body"), [b.w("field"), b.w("value")], rows)
    else:
        b.p(b.w("not_entered"))
    b.h("s1_4", 2)
    bits = []
    if assessment.get("date"):
        bits.append(f"{b.w('date')}: {assessment['date']}")
    if assessment.get("methods"):
        bits.append(f"{b.w('methods_used')}: {b.value('assessment.methods', assessment['methods'])}")
    b.p("；".join(bits) if b.lang == "zh" else "; ".join(bits)) if bits else b.p(b.w("not_entered"))


def _leaves(node: Any, prefix: str) -> list[tuple[str, Any]]:
    if not isinstance(node, Mapping):
        return []
    out: list[tuple[str, Any]] = []
    for key, value in node.items():
        path = f"{prefix}.{key}"
        if isinstance(value, Mapping) and not is_approximate(value):
            out += _leaves(value, path)
        else:
            out.append((path, value))
    return out


# ------------------------------------------------------------------------------ part two


def _assessment_content(b: _Builder) -> None:
    b.h("s2", 1)
    b.h("s2_1", 2)
    _survey(b)
    b.h("s2_2", 2)
    factors = b.result["factors"]
    applicable = [f for f in factors if f["applies"]]
    rows = []
    for i, f in enumerate(applicable, 1):
        p, imp, degree = b.level(f["initial"])
        rows.append([str(i), b.lab(b.labels.get("categories", {}).get(f["category"]), f["category"]),
                     b.lab(f["title"], f["id"]), _case_title(b, f), p, imp, degree, _remarks(b, f)])
    header = [b.w("no"), b.w("category"), b.w("factor"), b.w("case"), b.w("probability"), b.w("impact"),
              b.w("degree"), b.w("remarks")]
    b.table(b.w("applicable_list"), header, rows or [["—", "", b.w("no_factor"), "", "", "", "", ""]])
    b.figure("matrix", "matrix_caption")
    absent = [[str(i), b.lab(f["title"], f["id"]), _why_not(b, f)]
              for i, f in enumerate((f for f in factors if not f["applies"]), 1)]
    if absent:
        b.table(b.w("not_applicable_list"), [b.w("no"), b.w("factor"), b.w("reason")], absent)

    b.h("s2_3", 2)
    measures = b.answers.get("measures") or []
    b.table(b.w("measures_table"), _measure_header(b), [_measure_row(b, i, m) for i, m in enumerate(measures, 1)]
            or [["—", b.w("none"), "", "", "", "", "", ""]])

    b.h("s2_4", 2)
    rows = []
    for i, f in enumerate(applicable, 1):
        p0, i0, d0 = b.level(f["initial"])
        p1, i1, d1 = b.level(f["post_measure"])
        rows.append([str(i), b.lab(f["title"], f["id"]), f"{p0}×{i0} {d0}", f"{p1}×{i1} {d1}",
                     ", ".join(f["measures"]) or "—"])
    b.table(b.w("after_table"), [b.w("no"), b.w("factor"), b.w("before"), b.w("after"), b.w("measure")],
            rows or [["—", b.w("no_factor"), "", "", ""]])
    adjustments_section(b)  # the assessor's governed adjustments, when there are any
    counted = [m for m in measures if m.get("status") in ("committed", "in_progress", "completed")]
    b.table(b.w("assessed_measures"), _measure_header(b), [_measure_row(b, i, m) for i, m in enumerate(counted, 1)]
            or [["—", b.w("none"), "", "", "", "", "", ""]])
    _grades_table(b)
    b.figure("grades", "range_caption")
    if any(d.get("method") == "index" for d in b.result["scoring"].get("initial", [])):
        b.figure("index", "index_caption")


def _survey(b: _Builder) -> None:
    public = b.answers.get("public") or {}
    _survey_counts(b, public.get("survey") or {})
    opinions = [o for o in public.get("opinions") or [] if isinstance(o, Mapping)]
    if opinions:
        enum = (b.labels.get("fields", {}).get("public.opinions.adopted") or {}).get("enum") or {}
        rows = [[str(i), str(o.get("opinion", "")), b.lab(enum.get(o.get("adopted")), "—") if o.get("adopted")
                 else "—", str(o.get("response") or "—")] for i, o in enumerate(opinions, 1)]
        b.table(b.w("opinions_table"), [b.w("no"), b.w("opinion"), b.w("adopted"), b.w("response")], rows)


def _survey_counts(b: _Builder, survey: Mapping[str, Any]) -> None:
    if not survey:
        b.p(b.w("not_surveyed"))
        return
    valid = survey.get("valid")
    rows = []
    for key, word in (("issued", "survey_issued"), ("valid", "survey_valid")):
        if survey.get(key) is not None:
            rows.append([b.w(word), b.value(f"public.survey.{key}", survey[key]), ""])
    for key in ("support", "conditional", "oppose"):
        count, share = survey.get(key), survey.get(f"{key}_share")
        if count is not None:
            ratio = f"{count / valid:.1%}" if isinstance(count, int) and isinstance(valid, int) and valid else ""
            rows.append([b.w(key), str(count), ratio])
        elif share is not None:
            rows.append([b.w(key), "—", b.value(f"public.survey.{key}_share", share)])
    if rows:
        b.table(b.w("survey_table"), [b.w("field"), b.w("count"), b.w("share")], rows)
    else:
        b.p(b.field_title("public.survey.conducted") + ": " + b.value("public.survey.conducted",
                                                                         survey.get("conducted")))


def _case_title(b: _Builder, f: Mapping[str, Any]) -> str:
    title = (b.labels.get("cases", {}).get(f["id"]) or {}).get(f["case"])
    text = b.lab(title) if title else ""
    if not text:  # a case without a title of its own: its probability and impact say what it is
        p, imp, _ = b.level(f["initial"])
        text = f"概率{p}、影响{imp}" if b.lang == "zh" else f"P{p}·I{imp}"
    return text + (b.w("unknown_treated") if f["decided_by_unknown"] else "")


def _remarks(b: _Builder, f: Mapping[str, Any]) -> str:
    case = next((c for c in f["cases"] if c["id"] == f["case"]), None)
    if case is None:
        return ""
    bits = [f"{b.field_title(leaf['fact'])} = {b.value(leaf['fact'], leaf['actual'])}" if leaf["actual"] is not None
            else f"{b.field_title(leaf['fact'])}: {b.w('unknown')}" for leaf in case["leaves"]]
    if f.get("counted") is False:
        bits.append(b.w("counted_as_group"))
    bits += adjusted_remark(b, f)
    return "；".join(bits) if b.lang == "zh" else "; ".join(bits)


def _why_not(b: _Builder, f: Mapping[str, Any]) -> str:
    appl = f.get("applicability") or {}
    if appl.get("outcome") == "false":
        leaves = [x for x in appl.get("leaves", []) if x["outcome"] == "false"]
        return "；".join(f"{b.field_title(x['fact'])} = {b.value(x['fact'], x['actual'])}" for x in leaves)
    missing = [b.field_title(x) for x in f.get("missing_facts", [])]
    if missing:
        return (("答案缺失：" if b.lang == "zh" else "answers missing: ") + "、".join(missing))
    return "情形均不成立" if b.lang == "zh" else "no case holds"


def _measure_header(b: _Builder) -> list[str]:
    return [b.w("no"), b.w("measure"), b.w("addresses"), b.w("responsible"), b.w("assisting"), b.w("deadline"),
            b.w("status"), b.w("counted")]


def _measure_row(b: _Builder, i: int, m: Mapping[str, Any]) -> list[str]:
    titles = {f["id"]: b.lab(f["title"], f["id"]) for f in b.result["factors"]}
    status = b.lab(b.labels.get("statuses", {}).get("measures", {}).get(m.get("status")), str(m.get("status")))
    counted = m.get("status") in ("committed", "in_progress", "completed")
    sep = "、" if b.lang == "zh" else ", "
    return [str(i), str(m.get("description", "")), sep.join(titles.get(x, x) for x in m.get("addresses", [])),
            str(m.get("responsible") or "—"), sep.join(map(str, m.get("assisting") or [])) or "—",
            str(m.get("deadline") or "—"), status, b.w("yes") if counted else b.w("no_")]


def _grades_table(b: _Builder) -> None:
    rng = b.result.get("range") or {}
    rows = []
    for key, stage in (("initial_grade", "initial"), ("post_grade", "post_measure")):
        r = rng.get(stage) or {}
        span = b.grade(r.get("lowest")) if r.get("firm") else f"{b.grade(r.get('lowest'))}–{b.grade(r.get('highest'))}"
        rows.append([b.w(key), b.grade(r.get("grade")), span, b.w("firm") if r.get("firm") else b.w("provisional")])
    b.table(b.w("grades_table"), [b.w("field"), b.w("grade"), b.w("range"), b.w("firmness")], rows)


# ---------------------------------------------------------------------------- part three


def _conclusion(b: _Builder) -> None:
    b.h("s3", 1)
    applicable = [f for f in b.result["factors"] if f["applies"]]
    levels = list(b.labels.get("levels", {}))
    b.h("s3_1", 2)
    rank = {lv: i for i, lv in enumerate(levels)}
    main = sorted(applicable, key=lambda f: -rank.get((f["initial"] or {}).get("level"), 0))
    top = [f for f in main if rank.get((f["initial"] or {}).get("level"), 0) >= max(len(levels) - 2, 1)] or main[:3]
    if top:
        b.blocks.append(Bullets([f"{b.lab(f['title'], f['id'])}（{b.level(f['initial'])[2]}）" if b.lang == "zh"
                                 else f"{b.lab(f['title'], f['id'])} ({b.level(f['initial'])[2]})" for f in top]))
    else:
        b.p(b.w("no_factor"))
    b.h("s3_2", 2)
    for key, categories in FOUR_PROPERTIES:
        b.p(_property_judgement(b, key, [f for f in b.result["factors"] if f["category"] in categories], rank))
    b.h("s3_3", 2)
    for key, stage in (("initial_grade", "initial"), ("post_grade", "post_measure")):
        b.p(f"{b.w(key)}: {_grade_sentence(b, stage)}", strong=True)
    decision = b.result.get("decision")
    if decision:
        b.p(f"{b.w('decision')}: {b.lab(decision.get('title'), decision.get('code', ''))}", strong=True)
    b.h("s3_4", 2)
    counted = [m for m in b.answers.get("measures") or [] if m.get("status") in ("committed", "in_progress",
                                                                               "completed")]
    if counted:
        b.blocks.append(Bullets([str(m.get("description", "")) for m in counted]))
    else:
        b.p(b.w("none"))
    b.h("s3_5", 2)
    plan = b.answer("controllability.emergency_plan")
    b.p(f"{b.w('emergency_plan')}: " + (b.value("controllability.emergency_plan", plan) if plan is not None
                                        else b.w("unknown")))
    questions = b.result.get("decisive_questions") or []
    if questions:
        b.p(b.w("questions"))
        b.blocks.append(Bullets([_question(b, q) for q in questions[:10]]))


def _property_judgement(b: _Builder, key: str, factors: list[dict[str, Any]], rank: dict[str, int]) -> str:
    """One of 428's four properties judged from its factors: how many were considered, which apply at
    which level before and after the measures, which were counted for want of an answer, and a verdict
    from the highest level left after the measures."""
    zh = b.lang == "zh"
    applicable = [f for f in factors if f["applies"]]
    absent = sum(1 for f in factors if (f.get("applicability") or {}).get("outcome") == "false")
    name = b.w(key)
    parts = [b.w("four_considered").format(n=len(factors), absent=absent)]
    if applicable:
        def one(f: dict[str, Any]) -> str:
            before, after = b.level(f["initial"])[2], b.level(f["post_measure"])[2]
            moved = before if before == after else f"{before} → {after}"
            unknown = b.w("four_by_unknown") if f.get("decided_by_unknown") else ""
            return f"{b.lab(f['title'], f['id'])}（{moved}）{unknown}" if zh else \
                f"{b.lab(f['title'], f['id'])} ({moved}){unknown}"
        items = ("、" if zh else "; ").join(one(f) for f in applicable)
        parts.append(b.w("four_applicable").format(n=len(applicable), items=items))
        top = max(rank.get(str((f["post_measure"] or {}).get("level")), 0) for f in applicable)
        verdict = "four_high" if top >= len(rank) - 2 else "four_medium" if top >= len(rank) // 2 else "four_low"
        parts.append(b.w(verdict).format(level=b.level({"level": list(rank)[top]})[2]))
    else:
        parts.append(b.w("four_none"))
    return (f"{name}：" if zh else f"{name}: ") + ("；" if zh else "; ").join(parts) + ("。" if zh else ".")


def _grade_sentence(b: _Builder, stage: str) -> str:
    r = (b.result.get("range") or {}).get(stage) or {}
    grade = b.grade(r.get("grade"))
    if r.get("firm"):
        return f"{grade}（{b.w('firm')}）" if b.lang == "zh" else f"{grade} ({b.w('firm')})"
    grades = list(b.labels.get("grades", {}))
    lo, hi = grades.index(r["lowest"]), grades.index(r["highest"])
    others = [b.grade(g) for g in grades[lo:hi + 1] if g != r.get("grade")]
    if b.lang == "zh":
        return f"暂定 {grade}，补充缺失答案后可能为 {'、'.join(others)}"
    return f"provisionally {grade}; once the missing answers are given it could be {' or '.join(others)}"


def _question(b: _Builder, q: Mapping[str, Any]) -> str:
    title = b.lab(q.get("title"), q.get("fact", ""))
    raise_to = q.get("could_raise_to") or {}
    worst = b.grade(raise_to.get("initial"))
    if b.lang == "zh":
        return f"{title}：如答 {b.value(q['fact'], raise_to.get('if'))}，至少为{worst}"
    return f"{title}: if {b.value(q['fact'], raise_to.get('if'))}, at least {worst}"


# ------------------------------------------------------------------------------ appendix


def _appendix(b: _Builder) -> None:
    b.h("appendix", 1)
    b.h("a_1", 2)
    methods = b.labels.get("methods", {})
    for stage, key in (("initial", "initial_grade"), ("post_measure", "post_grade")):
        b.p(b.w(key), strong=True)
        items = []
        for d in b.result["scoring"].get(stage, []):
            line = f"{b.lab(methods.get(d['method']), d['method'])} → {b.grade(d['grade'])}"
            details = [_step(b, s) for s in d.get("steps", [])]
            items.append(line + ("：" if b.lang == "zh" else ": ") + "；".join(x for x in details if x)
                         if any(details) else line)
        b.blocks.append(Bullets(items))
    b.h("a_2", 2)
    rows = [[b.w("record_id"), str(b.r.get("record_id", ""))],
            [b.w("engine"), f"riskassess {(b.r.get('engine') or {}).get('version', '')}"]]
    for rs in b.r.get("rule_sets", []):
        rows.append([b.w("rule_set"), f"{rs['id']} {rs['version']} sha256:{rs['sha256']}"])
    for p in b.r.get("plugins", []):
        rows.append([b.w("plugins"), f"{p['name']} {p['version']}"])
    rows.append([b.w("answers_hash"), str((b.r.get("questionnaire") or {}).get("sha256", ""))])
    rows += provenance_rows(b)
    rows.append([b.w("verify"), b.w("verify_text")])
    b.table(b.w("a_2").split(" ", 1)[-1] if b.lang == "en" else "可追溯信息", [b.w("field"), b.w("value")], rows)


def _step(b: _Builder, step: Mapping[str, Any]) -> str:
    kind = step.get("step")
    if kind == "index":
        return f"R = {step.get('value')}"
    if kind == "total":
        return f"W = {step.get('value')}/{step.get('of')}"
    if kind in ("band", "rule"):
        result = b.w("true") if step.get("result") else b.w("false")
        test = str(step.get("test", ""))
        count = _COUNT_TEST.match(test)
        if count:
            level = b.lab(b.labels.get("levels", {}).get(count["level"]), count["level"])
            test = b.w("count_rule").format(level=level, n=count["n"], need=count["need"])
        return f"{b.grade(step.get('grade'))}：{test} → {result}" if b.lang == "zh" else \
            f"{b.grade(step.get('grade'))}: {test} → {result}"
    if kind in _NOT_SHOWN or not isinstance(step.get("label"), Mapping) or "value" not in step:
        return ""
    # Any other step a method documents with a label and a value (a plugin's fuzzy vector, AHP weights…)
    where = " ".join(_DIMENSIONS.get(str(step[k]), {}).get(b.lang, str(step[k])) for k in ("dimension", "group")
                     if step.get(k) is not None)
    name = b.lab(step["label"], str(kind)) + (f"（{where}）" if where and b.lang == "zh" else f" ({where})" if where
                                              else "")
    return f"{name}：{_shown(step['value'], b)}" if b.lang == "zh" else f"{name}: {_shown(step['value'], b)}"


_DIMENSIONS = {"probability": {"zh": "发生概率", "en": "probability"}, "impact": {"zh": "影响程度", "en": "impact"}}
#: Steps the appendix leaves out: the factor terms are the tables above, provenance is in 评估依据.
_NOT_SHOWN = frozenset({"terms", "thresholds_provenance"})


def _shown(value: Any, b: _Builder) -> str:
    """A step's value, compactly: lists in brackets, mappings as key = value (levels and grades by title)."""
    sep = "、" if b.lang == "zh" else ", "
    if isinstance(value, list):
        return "[" + sep.join(_shown(v, b) for v in value) + "]"
    if isinstance(value, Mapping):
        levels, grades = b.labels.get("levels") or {}, b.labels.get("grades") or {}

        def key(k: Any) -> str:
            return b.lab(levels[k], str(k)) if k in levels else b.grade(k) if k in grades else str(k)
        return sep.join(f"{key(k)} = {_shown(v, b)}" for k, v in value.items())
    return str(value)
