"""Rule sets: loading, checking and compiling a YAML rule set into a :class:`RuleSet`.

Everything that can be wrong with a rule set is found here, once, at load time:
schema violations, unknown facts and operators, wrong operand types, duplicate
ids, levels out of range, a non-monotone matrix, bad scoring parameters and
decision tables that miss a grade. Evaluation then never has to check again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from .compiler import Program, Rule, compile_program
from .conditions import ConditionParser, Node
from .errors import RiskAssessError, RuleSetError
from .hookspecs import (
    DerivedFact,
    Label,
    Operator,
    ParameterError,
    PreparedScoring,
    ScoredFactor,
    ScoringContext,
)
from .i18n import Text, tr
from .plugins import Contributions
from .questionnaire import MEASURE_STATUSES, FieldCatalogue, parse_field
from .schema_problems import schema_problem
from .yamlfile import YamlDocument, dotted, load_yaml, parse_yaml

CATEGORIES: dict[str, Label] = {
    "policy_approval": Label("政策规划和审批程序", "Policy, planning and approval procedure"),
    "land_expropriation": Label("土地房屋征收征用", "Land and housing expropriation"),
    "technical_economic": Label("技术经济", "Technical and economic"),
    "ecology_environment": Label("生态环境影响", "Ecology and environment"),
    "construction_management": Label("项目建设管理", "Construction management"),
    "economic_social": Label("经济社会影响", "Local economic and social impact"),
    "safety_order": Label("质量安全与社会治安", "Quality, safety and public order"),
    "media_opinion": Label("媒体舆情", "Media and public opinion"),
    "public_attitude": Label("公众态度", "Public attitude"),
    "controllability": Label("可控性", "Controllability"),
}
DEFAULT_COUNTED_STATUSES = ("committed", "in_progress", "completed")
# A rule set graded by points alone needs no probability × impact matrix: one level for all.
_NO_MATRIX: dict[str, Any] = {
    "levels": [{"id": "unrated", "title": {"zh": "未分级", "en": "Not rated"}}],
    "grid": {str(p): ["unrated"] * 5 for p in range(1, 6)},
    "status": "pack_judgement", "source": {"zh": "规则集未定义矩阵", "en": "The rule set defines no matrix"},
}
RULESET_FILE = "ruleset.yaml"


@cache
def ruleset_schema() -> dict[str, Any]:
    text = resources.files("riskassess").joinpath("schemas/ruleset.schema.yaml").read_text("utf-8")
    return dict(parse_yaml(text, "riskassess/schemas/ruleset.schema.yaml", error=RiskAssessError).data)


@cache
def _ruleset_validator() -> jsonschema.protocols.Validator:
    """The rule-set schema with its ``$ref``s inlined (much faster to validate with).

    Conditions are only required to be mappings here: the condition parser checks
    them against the registered operators with better messages.
    """
    schema = ruleset_schema()
    defs = dict(schema["$defs"])
    defs["condition"] = {"type": "object"}

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return {**inline(defs[node["$ref"].removeprefix("#/$defs/")]), **inline(rest)}
            return {k: inline(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return jsonschema.Draft202012Validator(inline(schema))


def _label(raw: Mapping[str, str] | None) -> Label | None:
    return Label(raw["zh"], raw["en"]) if raw else None


#: ``unknown_applicability`` → how the compiled program treats a factor whose precondition is unknown.
_GUARD_POLICY = {"assume_applies": "assume_match", "assume_not_applicable": "assume_no_match",
                 "if_a_case_holds": "if_case_holds"}


@dataclass(frozen=True)
class Case:
    id: str
    title: Label | None
    condition: Node
    probability: int
    impact: int
    line: int | None
    points: Fraction | None = None


@dataclass(frozen=True)
class Factor:
    index: int
    id: str
    category: str
    title: Label
    description: Label | None
    basis: tuple[Mapping[str, Any], ...]
    weight: float | None
    on_unknown: str
    cases: tuple[Case, ...]
    line: int | None
    guard: Node | None = None
    """``applies_when``: the factor's precondition (``None``: it always may apply)."""
    unknown_applicability: str = "assume_not_applicable"
    group: str | None = None
    assume_case: int | None = None
    """With ``on_unknown: {assume_case: ID}``: the index of the case an unknown answer is taken as."""


@dataclass(frozen=True)
class FactorGroup:
    """Factors that measure one underlying fact: only the strongest of them counts towards a grade."""

    id: str
    title: Label
    description: Label | None


@dataclass(frozen=True)
class Override:
    index: int
    id: str
    title: Label
    basis: tuple[Mapping[str, Any], ...]
    condition: Node
    floor: int
    on_unknown: str
    line: int | None


@dataclass(frozen=True)
class Grade:
    id: str
    title: Label
    definition: Label | None


@dataclass(frozen=True)
class Decision:
    code: str
    title: Label
    basis: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class ScoringStep:
    method: str
    plugin: str
    prepared: PreparedScoring
    title: Label | None = None

    @property
    def reads(self) -> tuple[str, ...]:
        """The answers the method grades from besides the factors (see :class:`PreparedScoring`)."""
        return tuple(getattr(self.prepared, "reads", None) or ())

    def call(self, name: str, factors: Any, source: str, inputs: Any = None) -> Any:
        """``prepared.grade`` or ``prepared.derive``; a plugin's exception becomes a PluginError naming it."""
        try:
            if inputs is not None:
                return getattr(self.prepared, name)(factors, inputs)
            return getattr(self.prepared, name)(factors)
        except Exception as exc:
            from .errors import PluginError
            raise PluginError(tr("scoring method {method!r} (plugin {plugin!r}) raised: {error} (in {function}())",
                                 method=self.method, plugin=self.plugin, error=f"{type(exc).__name__}: {exc}",
                                 function=name), source=source) from exc


@dataclass
class RuleSet:
    """A loaded, checked and compiled rule set. Immutable after loading."""

    id: str
    version: str
    title: Label
    description: Label | None
    jurisdiction: Label
    documents: tuple[Mapping[str, Any], ...]
    thresholds: Mapping[str, Mapping[str, Any]]
    factors: tuple[Factor, ...]
    groups: Mapping[str, FactorGroup]
    overrides: tuple[Override, ...]
    grades: tuple[Grade, ...]
    levels: tuple[tuple[str, Label], ...]
    grid: tuple[tuple[int, ...], ...]
    matrix_provenance: Mapping[str, Any]
    scoring: tuple[ScoringStep, ...]
    counted_statuses: frozenset[str]
    decisions: Mapping[str, Mapping[str, Decision]]
    catalogue: FieldCatalogue
    program: Program
    rules: tuple[Rule, ...]
    operators: Mapping[str, Operator]
    operator_owners: Mapping[str, str]
    derived_owners: Mapping[str, str]
    plugins_used: tuple[str, ...]
    """Plugins whose contributions this rule set uses (operators, scoring methods, derived facts, fields)."""
    derived_facts: Mapping[str, DerivedFact]
    source: str
    sha256: str
    doc: YamlDocument
    raw: Mapping[str, Any]
    parents: tuple[tuple[str, str, str, str], ...] = ()
    """The rule sets this one extends, nearest first: (id, version, sha256, source)."""

    def __post_init__(self) -> None:
        self.factor_index = {f.id: f.index for f in self.factors}
        self.derived_functions = {p: d.compute for p, d in self.derived_facts.items()}
        # Static shapes the trace is expanded with, computed once rather than per assessment.
        self.case_leaves = tuple(tuple(tuple(case.leaves()) for case in rule.cases) for rule in self.rules)
        self.guard_leaves = tuple(tuple(rule.guard.leaves()) if rule.guard is not None else () for rule in self.rules)
        self.leaf_order = tuple(leaf for guard, rule in zip(self.guard_leaves, self.case_leaves, strict=True)
                                for leaf in (*guard, *(leaf for case in rule for leaf in case)))
        assert all(leaf.index == k for k, leaf in enumerate(self.leaf_order)), "leaf indexes follow trace order"
        self.rule_facts = tuple(tuple(dict.fromkeys([*(leaf.fact for leaf in guard),
                                                     *(leaf.fact for case in rule for leaf in case)]))
                                for guard, rule in zip(self.guard_leaves, self.case_leaves, strict=True))
        readers: dict[str, list[int]] = {}
        for r, facts in enumerate(self.rule_facts):
            for fact in facts:
                readers.setdefault(fact, []).append(r)
        self.readers = {fact: tuple(rules) for fact, rules in readers.items()}
        """fact → the rules whose precondition or cases read it, in rule-set order."""
        self.case_rule = tuple(r for r, rule in enumerate(self.rules) for _ in rule.cases)
        """The rule of each entry in the flat tuple of case outcomes."""
        self.group_of = tuple(f.group for f in self.factors)
        self.factor_weights = tuple(f.weight or 0 for f in self.factors)
        # Point tables say which way their points run; the grade range needs to know which is worse.
        self.points_mean_risk = all(getattr(step.prepared, "direction", "risk_points") == "risk_points"
                                    for step in self.scoring)
        self.has_groups = any(g is not None for g in self.group_of)
        # The compiled program appends these precomputed objects: no allocation per factor.
        self.scored = tuple(r.payloads for r in self.rules[: len(self.factors)])

    @property
    def grade_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.grades)

    def facts_read(self) -> tuple[str, ...]:
        return self.program.facts

    def decision_for(self, channel: str | None, grade: int) -> Decision | None:
        table = self.decisions.get(channel or "") or self.decisions.get("default")
        if table is None:
            return None
        return table.get(self.grades[grade].id)


def load_rule_set(path: Path, contributions: Contributions,
                  parent_of: Callable[[str, Path], RuleSet] | None = None) -> RuleSet:
    """Load the rule set at ``path`` (a ``ruleset.yaml`` or a directory holding one).

    ``parent_of(ref, directory)`` resolves an ``extends:`` reference (an id, or a path
    relative to ``directory``) to a loaded rule set; without it, ``extends`` is refused.
    """
    if path.is_dir():
        path = path / RULESET_FILE
    doc = load_yaml(path, error=RuleSetError)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    if not isinstance(doc.data, dict) or "extends" not in doc.data:
        return build_rule_set(doc, contributions, sha256)
    errors = sorted(_ruleset_validator().iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:  # the extending file on its own first, so its mistakes point at its own lines
        raise schema_problem(errors[0], doc, RuleSetError)
    if parent_of is None:
        raise RuleSetError(tr("extends needs an engine to find the parent rule set"), source=str(path),
                           line=doc.line_of(("extends",)), field="extends")
    parent = parent_of(doc.data["extends"], path.parent)
    merged = extend_document(parent, doc)
    lineage = ((parent.id, parent.version, parent.sha256, parent.source), *parent.parents)
    return build_rule_set(merged, contributions, sha256, lineage)


_INHERITED_WHOLE = ("questionnaire", "scoring", "grades", "decisions", "measures")


def extend_document(parent: RuleSet, child: YamlDocument) -> YamlDocument:
    """The child's data laid over its parent's: lists of ids merged, other sections inherited or replaced.

    Every path remembers the file and line it came from, so later errors point at the right file.
    """
    base = YamlDocument(parent.raw, parent.source, parent.doc.lines, parent.doc.origins)
    data: dict[str, Any] = {}
    lines: dict[tuple[str | int, ...], int] = {}
    origins: dict[tuple[str | int, ...], str] = {(): child.source}

    def take(key: str, doc: YamlDocument, into: tuple[str | int, ...] | None = None,
             src: tuple[str | int, ...] | None = None) -> None:
        src = src or (key,)
        into = into or src
        prefix = len(src)
        for path, line in doc.lines.items():
            if path[:prefix] == src:
                lines[(*into, *path[prefix:])] = line
        origins[into] = doc.source_of(src)

    for key, value in child.data.items():
        if key not in ("documents", "thresholds", "factors", "overrides", "defaults", "groups"):
            data[key] = value
            take(key, child)
    for key in _INHERITED_WHOLE:
        if key not in child.data and key in parent.raw:
            data[key] = parent.raw[key]
            take(key, base)
    data["defaults"] = {**parent.raw["defaults"], **(child.data.get("defaults") or {})}
    take("defaults", base)
    take("defaults", child)
    data["thresholds"] = {**(parent.raw.get("thresholds") or {}), **(child.data.get("thresholds") or {})}
    for name in data["thresholds"]:
        owner = child if name in (child.data.get("thresholds") or {}) else base
        take("thresholds", owner, ("thresholds", name), ("thresholds", name))
    for key in ("documents", "groups", "factors", "overrides"):
        if key == "groups" and not (child.data.get(key) or parent.raw.get(key)):
            continue
        mine = child.data.get(key) or []
        replaced = {item["id"]: k for k, item in enumerate(mine) if isinstance(item, dict) and "id" in item}
        merged: list[Any] = []
        for j, item in enumerate(parent.raw.get(key) or []):
            if item["id"] in replaced:
                continue  # the child's version takes its place, in the child's order below
            take(key, base, (key, len(merged)), (key, j))
            merged.append(item)
        for k, item in enumerate(mine):
            take(key, child, (key, len(merged)), (key, k))
            merged.append(item)
        data[key] = merged
    return YamlDocument(data, child.source, lines, origins)


def build_rule_set(doc: YamlDocument, contributions: Contributions, sha256: str,
                   parents: tuple[tuple[str, str, str, str], ...] = ()) -> RuleSet:
    src = doc.source
    data = doc.data

    def fail(message: str | Text, path: tuple[str | int, ...], hint: str | Text | None = None) -> RuleSetError:
        return RuleSetError(message, source=doc.source_of(path), line=doc.line_of(path), field=dotted(path) or None,
                            hint=hint)

    if not isinstance(data, dict):
        raise fail(tr("a rule set must be a mapping"), ())
    errors = sorted(_ruleset_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise schema_problem(errors[0], doc, RuleSetError)

    # ---- questionnaire fields this rule set can read
    catalogue = FieldCatalogue.standard() if data.get("questionnaire", {}).get("standard", True) \
        else FieldCatalogue({})
    extra_fields = data.get("questionnaire", {}).get("fields")
    if extra_fields:
        try:
            catalogue = catalogue.extended(extra_fields, src, base=True)
        except RiskAssessError as exc:
            raise fail(exc.text, ("questionnaire", "fields", *(exc.field or "").split(".")), exc.hint_text) from None
    extensions = {}
    for ns, (fields, plugin) in contributions.questionnaire_fields.items():
        try:
            extensions[ns] = parse_field(ns, {"type": "object",
                                              "title": {"zh": f"扩展字段 {ns}", "en": f"Extension fields {ns}"},
                                              "description": {"zh": f"插件 {plugin} 增加的问卷字段",
                                                              "en": f"Questionnaire fields added by plugin {plugin}"},
                                              "fields": fields}, f"extensions.{ns}", plugin)
        except RiskAssessError as exc:
            from .errors import PluginError
            raise PluginError(tr("plugin {plugin!r} registered invalid questionnaire fields: {field}: {problem}",
                                 plugin=plugin, field=exc.field or f"extensions.{ns}", problem=exc.text),
                              hint=exc.hint_text) from None
    derived = {path: fact.type for path, fact in contributions.derived_facts.items()}
    catalogue = catalogue.with_plugins(extensions, derived)

    thresholds = {name: dict(t) for name, t in (data.get("thresholds") or {}).items()}
    doc_ids = [d["id"] for d in data["documents"]]
    _check_unique(doc_ids, "documents", doc, lambda i: ("documents", i, "id"))
    _check_basis_refs(data, set(doc_ids), fail)

    defaults = data["defaults"]
    parser = ConditionParser(contributions.operators, catalogue.fact_type, catalogue.suggest,
                             {k: v["value"] for k, v in thresholds.items()}, doc,
                             default_missing=_missing(defaults.get("missing", "unknown")),
                             threshold_status={k: v["status"] for k, v in thresholds.items()},
                             literal_status=defaults["literal_status"])

    # ---- factor groups
    groups: dict[str, FactorGroup] = {}
    for i, raw in enumerate(data.get("groups") or []):
        if raw["id"] in groups:
            raise fail(tr("duplicate group id {id!r}", id=raw["id"]), ("groups", i, "id"))
        groups[raw["id"]] = FactorGroup(raw["id"], Label(**raw["title"]), _label(raw.get("description")))

    # ---- factors
    factors = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data["factors"]):
        fid = raw["id"]
        if fid in seen:
            raise fail(tr("duplicate factor id {id!r} (first defined as factor {number})", id=fid,
                          number=seen[fid] + 1), ("factors", i, "id"))
        seen[fid] = i
        guard = parser.parse(raw["applies_when"], ("factors", i, "applies_when")) if "applies_when" in raw else None
        cases = []
        case_ids: set[str] = set()
        for k, c in enumerate(raw["cases"]):
            cid = c.get("id", f"case{k + 1}")
            if cid in case_ids:
                raise fail(tr("duplicate case id {id!r}", id=cid), ("factors", i, "cases", k, "id"))
            case_ids.add(cid)
            node = parser.parse(c["when"], ("factors", i, "cases", k, "when"))
            if ("probability" in c) != ("impact" in c) or ("probability" not in c and "points" not in c):
                raise fail(tr("a case needs probability and impact (or, for point-table methods, points)"),
                           ("factors", i, "cases", k))
            points = Fraction(str(c["points"])) if "points" in c else None
            for key in ("probability", "impact"):  # JSON Schema's integer admits 2.0
                if key in c:
                    c[key] = int(c[key])
            # A points-only case sits at the lowest probability and impact.
            cases.append(Case(cid, _label(c.get("title")), node, c.get("probability", 1), c.get("impact", 1),
                              doc.line_of(("factors", i, "cases", k)), points))
        group = raw.get("group")
        if group is not None and group not in groups:
            raise fail(tr("unknown group {group!r}; declare it under groups:", group=group), ("factors", i, "group"),
                       tr("groups are {names}", names=list(groups)) if groups else tr("groups are none"))
        on_unknown = raw.get("on_unknown", defaults["on_unknown"])
        assume_case = None
        if isinstance(on_unknown, dict):  # {assume_case: ID}: the pack's judgement of the likely case
            ids = [c.id for c in cases]
            if on_unknown["assume_case"] not in ids:
                raise fail(tr("assume_case {case!r} is not a case of {factor}; cases: {cases}",
                              case=on_unknown["assume_case"], factor=fid, cases=ids),
                           ("factors", i, "on_unknown", "assume_case"))
            assume_case = ids.index(on_unknown["assume_case"])
            on_unknown = "assume_case"
        factors.append(Factor(i, fid, raw["category"], Label(**raw["title"]), _label(raw.get("description")),
                              tuple(raw["basis"]), raw.get("weight"), on_unknown,
                              tuple(cases), doc.line_of(("factors", i)), guard,
                              raw.get("unknown_applicability",
                                      defaults.get("unknown_applicability", "assume_not_applicable")),
                              group, assume_case))

    # ---- grades, levels, matrix
    grades = tuple(Grade(g["id"], Label(**g["title"]), _label(g.get("definition"))) for g in data["grades"])
    grade_ids = [g.id for g in grades]
    _check_unique(grade_ids, "grades", doc, lambda i: ("grades", i, "id"))
    matrix = data["scoring"].get("matrix") or _NO_MATRIX
    levels = tuple((lv["id"], Label(**lv["title"])) for lv in matrix["levels"])
    level_ids = [lv[0] for lv in levels]
    _check_unique(level_ids, "levels", doc, lambda i: ("scoring", "matrix", "levels", i, "id"))
    grid_rows = []
    for p in range(1, 6):
        row = matrix["grid"].get(str(p)) if str(p) in matrix["grid"] else matrix["grid"].get(p)
        out = []
        for i, lv in enumerate(row):
            if lv not in level_ids:
                raise fail(tr("unknown level {level!r}; levels are {levels}", level=lv, levels=level_ids),
                           ("scoring", "matrix", "grid", str(p), i))
            out.append(level_ids.index(lv))
        grid_rows.append(tuple(out))
    grid = tuple(grid_rows)
    for p in range(5):
        for i in range(5):
            if (i and grid[p][i] < grid[p][i - 1]) or (p and grid[p][i] < grid[p - 1][i]):
                raise fail(tr("the matrix is not monotone: probability {probability}, impact {impact} gives a lower "
                              "level than a weaker combination", probability=p + 1, impact=i + 1),
                           ("scoring", "matrix", "grid", str(p + 1)),
                           tr("a higher probability or impact may never lower the level"))

    # ---- overrides
    overrides = []
    seen_o: set[str] = set()
    for i, raw in enumerate(data.get("overrides") or []):
        if raw["id"] in seen_o or raw["id"] in seen:
            raise fail(tr("duplicate id {id!r}", id=raw["id"]), ("overrides", i, "id"))
        seen_o.add(raw["id"])
        if raw["floor"] not in grade_ids:
            raise fail(tr("unknown grade {grade!r}; grades are {grades}", grade=raw["floor"], grades=grade_ids),
                       ("overrides", i, "floor"))
        node = parser.parse(raw["when"], ("overrides", i, "when"))
        overrides.append(Override(i, raw["id"], Label(**raw["title"]), tuple(raw["basis"]), node,
                                  grade_ids.index(raw["floor"]), raw.get("on_unknown", defaults["on_unknown"]),
                                  doc.line_of(("overrides", i))))

    # ---- scoring methods
    context = ScoringContext(data["id"], tuple(grade_ids), tuple(level_ids), tuple(f.id for f in factors),
                             tuple(f.weight for f in factors), tuple(tuple(c.points for c in f.cases) for f in factors))
    steps = []
    for i, m in enumerate(data["scoring"]["methods"]):
        where = ("scoring", "methods", i)
        method = contributions.scoring_methods.get(m["method"])
        if method is None:
            raise fail(tr("unknown scoring method {method!r}; available: {names}", method=m["method"],
                          names=sorted(contributions.scoring_methods)), (*where, "method"),
                       tr("install the plugin that provides it, or run `riskassess plugins list`"))
        try:
            prepared = method.prepare(dict(m.get("params") or {}), context)
        except ParameterError as exc:
            path = (*where, "params", *(exc.field.replace("]", "").replace("[", ".").split(".") if exc.field else ()))
            path = tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in path)
            # The built-in methods keep their message as Text (``exc.text``), to be shown in Chinese too.
            raise fail(tr("{method}: {problem}", method=m["method"], problem=getattr(exc, "text", str(exc))),
                       path) from None
        except Exception as exc:
            from .errors import PluginError
            plugin = contributions.plugin_of("scoring method", m["method"])
            raise PluginError(tr("scoring method {method!r} (plugin {plugin!r}) failed to prepare: {error}",
                                 method=m["method"], plugin=plugin, error=f"{type(exc).__name__}: {exc}"),
                              source=src, line=doc.line_of(where)) from exc
        steps.append(ScoringStep(m["method"], contributions.plugin_of("scoring method", m["method"]), prepared,
                                 getattr(method, "title", None)))

    # ---- decisions
    decisions: dict[str, dict[str, Decision]] = {}
    channel_spec = catalogue.field_at("project.channel")
    channels = set(channel_spec.enum or ()) if channel_spec else set()
    for channel, table in data["decisions"].items():
        if channel != "default" and channels and channel not in channels:
            raise fail(tr("unknown approval channel {channel!r}; channels are {channels} or default",
                          channel=channel, channels=sorted(channels)), ("decisions", channel))
        missing = [g for g in grade_ids if g not in table]
        extra = [g for g in table if g not in grade_ids]
        if missing or extra:
            raise fail(tr("decisions must give exactly one entry per grade; missing {missing!r}, unknown {extra!r}",
                          missing=missing, extra=extra), ("decisions", channel))
        decisions[channel] = {g: Decision(d["code"], Label(**d["title"]), tuple(d.get("basis", ())))
                              for g, d in table.items()}

    counted = frozenset((data.get("measures") or {}).get("counted_statuses", DEFAULT_COUNTED_STATUSES))
    assert counted <= set(MEASURE_STATUSES)

    scored = tuple(tuple(ScoredFactor(f.index, c.probability, c.impact, grid[c.probability - 1][c.impact - 1],
                                      c.points) for c in f.cases) for f in factors)
    rules = tuple(Rule(tuple(c.condition for c in f.cases), f.on_unknown, scored[f.index], guard=f.guard,
                       guard_policy=_GUARD_POLICY[f.unknown_applicability], assume_case=f.assume_case)
                  for f in factors) + \
        tuple(Rule((o.condition,), o.on_unknown, (o.index,), "o") for o in overrides)
    derived_fns = {path: fact.compute for path, fact in contributions.derived_facts.items()}
    approximable = frozenset(leaf.fact for leaf in parser.leaves
                             if (ft := catalogue.fact_type(leaf.fact)) is not None and ft.kind in ("integer", "number"))
    program = compile_program(rules, contributions.operators, derived_fns, data["id"], approximable)

    return RuleSet(
        id=data["id"], version=data["version"], title=Label(**data["title"]),
        description=_label(data.get("description")),
        jurisdiction=Label(**data["jurisdiction"]), documents=tuple(data["documents"]), thresholds=thresholds,
        factors=tuple(factors), groups=groups, overrides=tuple(overrides), grades=grades, levels=levels, grid=grid,
        matrix_provenance={"status": matrix["status"], "source": matrix["source"]}, scoring=tuple(steps),
        counted_statuses=counted, decisions=decisions, catalogue=catalogue, program=program, rules=rules,
        operators=dict(contributions.operators),
        operator_owners={n: contributions.plugin_of("operator", n) for n in contributions.operators},
        derived_owners={p: contributions.plugin_of("derived fact", p) for p in contributions.derived_facts},
        plugins_used=_plugins_used(contributions, program.facts, [leaf.op for leaf in parser.leaves],
                                   [s.plugin for s in steps]),
        derived_facts=dict(contributions.derived_facts), source=src,
        sha256=sha256, doc=doc, raw=data, parents=parents,
    )


def _plugins_used(contributions: Contributions, facts: tuple[str, ...], ops: list[str],
                  scoring_plugins: list[str]) -> tuple[str, ...]:
    used = set(scoring_plugins)
    used |= {contributions.plugin_of("operator", op) for op in ops}
    used |= {contributions.plugin_of("derived fact", f) for f in facts if f in contributions.derived_facts}
    for f in facts:
        parts = f.split(".")
        if parts[0] == "extensions" and len(parts) > 2 and parts[1] in contributions.questionnaire_fields:
            used.add(contributions.questionnaire_fields[parts[1]][1])
    return tuple(sorted(used))


def _missing(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _check_unique(ids: list[str], what: str, doc: YamlDocument, path_of: Any) -> None:
    seen: dict[str, int] = {}
    for i, v in enumerate(ids):
        if v in seen:
            raise RuleSetError(tr("duplicate {what} id {id!r}", what=what, id=v), source=doc.source_of(path_of(i)),
                               line=doc.line_of(path_of(i)),
                               field=dotted(path_of(i)))
        seen[v] = i


def _check_basis_refs(data: Mapping[str, Any], doc_ids: set[str], fail: Any) -> None:
    for kind in ("factors", "overrides"):
        for i, item in enumerate(data.get(kind) or []):
            for j, b in enumerate(item.get("basis", [])):
                if b["document"] not in doc_ids:
                    raise fail(tr("basis cites unknown document {document!r}; declared: {names}",
                                  document=b["document"], names=sorted(doc_ids)), (kind, i, "basis", j, "document"))
