"""Rule sets: loading, checking and compiling a YAML rule set into a :class:`RuleSet`.

Everything that can be wrong with a rule set is found here, once, at load time:
schema violations, unknown facts and operators, wrong operand types, duplicate
ids, levels out of range, a non-monotone matrix, bad scoring parameters and
decision tables that miss a grade. Evaluation then never has to check again.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import hashlib
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cache as disk_cache
from . import plugin_guard
from .compiler import Program, Rule, compile_program
from .conditions import ConditionParser, Node
from .errors import PluginError, RiskAssessError, RuleSetError
from .hookspecs import (
    PROVENANCE_STATUSES,
    DerivedFact,
    Label,
    Operator,
    ParameterError,
    PreparedScoring,
    ScoredFactor,
    ScoringContext,
)
from .i18n import Text, tr
from .pack_limits import MAX_FACTOR_LEAVES, check_case_count, check_factor_count, check_lists, factor_too_big
from .plugin_guard import guarded, is_builtin
from .plugins import Contributions, plugin_call
from .questionnaire import MEASURE_STATUSES, FieldCatalogue, parse_field
from .schema_check import compile_check
from .schema_problems import schema_problem
from .suggestions import closest
from .yamlfile import DEFAULT_MAX_BYTES, YAML_SCHEMA, YamlDocument, decode_text, dotted, parse_yaml, read_bytes

if TYPE_CHECKING:
    import jsonschema

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
def _inlined_schema() -> dict[str, Any]:
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

    return dict(inline(schema))


@cache
def _ruleset_validator() -> jsonschema.protocols.Validator:
    import jsonschema  # only to say what is wrong: a valid pack passes the compiled check alone
    return jsonschema.Draft202012Validator(_inlined_schema())


@cache
def _ruleset_check() -> Callable[[Any], bool] | None:
    """The schema compiled into a yes/no check (see :mod:`riskassess.schema_check`), or None to use jsonschema.

    The top-level ``if``/``else`` (a pack that extends none must say everything) is the one keyword the
    compiler leaves out; it is checked here: the ``if`` holds, or the ``else`` does.
    """
    schema = dict(_inlined_schema())
    condition, otherwise = schema.pop("if", True), schema.pop("else", True)
    checks = [compile_check(part, lambda value, format_name: True) for part in (schema, condition, otherwise)]
    body, if_check, else_check = checks
    if body is None or if_check is None or else_check is None:
        return None
    return lambda data: body(data) and (if_check(data) or else_check(data))


def _check_schema(doc: YamlDocument) -> None:
    """The rule-set schema; jsonschema is asked for the first problem (in document order) only when there is one."""
    check = _ruleset_check()
    if check is not None and check(doc.data):
        return
    errors = sorted(_ruleset_validator().iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        raise schema_problem(errors[0], doc, RuleSetError)


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
    external: bool = False
    """The method is an installed plugin's: its calls are kept on their time budget (a built-in's are not)."""

    @property
    def reads(self) -> tuple[str, ...]:
        """The answers the method grades from besides the factors (see :class:`PreparedScoring`)."""
        return tuple(getattr(self.prepared, "reads", None) or ()) + self.reads_if_answered

    @property
    def reads_if_answered(self) -> tuple[str, ...]:
        """Answers the method uses when given (e.g. judgements re-made after the measures)."""
        return tuple(getattr(self.prepared, "reads_if_answered", None) or ())

    def call(self, name: str, factors: Any, source: str, inputs: Any = None) -> Any:
        """``prepared.grade`` or ``prepared.derive``; a plugin's exception becomes a PluginError naming it."""
        try:
            if self.external:
                return plugin_guard.call(self.plugin, plugin_call("scoring method", self.method, name),
                                         getattr(self.prepared, name), *((factors,) if inputs is None else
                                                                         (factors, inputs)))
            if inputs is not None:
                return getattr(self.prepared, name)(factors, inputs)
            return getattr(self.prepared, name)(factors)
        except RiskAssessError:
            raise  # e.g. an InputError about the answers the method reads: the owner's to fix
        except Exception as exc:
            raise PluginError(tr("scoring method {method!r} (plugin {plugin!r}) raised: {error} (in {function}())",
                                 method=self.method, plugin=self.plugin, error=f"{type(exc).__name__}: {exc}",
                                 function=name), source=source) from exc


def _param_path(field: str | _Path | None) -> _Path:
    """Where in a method's params an error is: a path tuple as given (ids may hold dots), or a dotted string."""
    if field is None:
        return ()
    if isinstance(field, tuple):
        return field
    parts = field.replace("]", "").replace("[", ".").split(".")
    return tuple(int(p) if p.isdigit() else p for p in parts)


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
    inherited_changes: tuple[InheritedChange, ...] = ()
    """What this rule set replaces or removes of its parent's (``replace:`` and ``remove:``), in file order."""

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
        self.runs_plugin_code = not all(is_builtin(p) for p in self.plugins_used)
        """Grading calls an external plugin's code: evaluations keep it on its time budget (see plugin_guard)."""
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
    with _collector_paused():
        return _load_rule_set(path, contributions, parent_of)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a pack loads.

    Loading allocates hundreds of thousands of objects that live until it ends (the parsed document,
    syntax trees): each automatic collection would walk all of them again, which made a 5,000-factor pack
    load in twice the time. What loading leaves behind is collected as usual afterwards.
    """
    if not gc.isenabled():  # nested (an extends: chain), or the caller's own choice
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _load_rule_set(path: Path, contributions: Contributions,
                   parent_of: Callable[[str, Path], RuleSet] | None) -> RuleSet:
    if path.is_dir():
        path = path / RULESET_FILE
    doc, sha256 = _read_rule_file(path)
    if not isinstance(doc.data, dict) or "extends" not in doc.data:
        for key in ("replace", "remove"):
            if isinstance(doc.data, dict) and key in doc.data:
                raise RuleSetError(tr("{key}: changes what a pack inherits, and this one extends none", key=key),
                                   source=str(path), line=doc.line_of((key,)), field=key,
                                   hint=tr("add `extends: ID` naming the rule set it builds on, or edit it directly"))
        return build_rule_set(doc, contributions, sha256)
    check_lists(doc)  # the extending file on its own first, so its mistakes point at its own lines
    _check_schema(doc)
    if parent_of is None:
        raise RuleSetError(tr("extends needs an engine to find the parent rule set"), source=str(path),
                           line=doc.line_of(("extends",)), field="extends")
    _check_extends(doc, path, contributions)
    depth = _extends_depth.get()
    if depth >= MAX_EXTENDS_DEPTH:
        raise RuleSetError(tr("extends: a chain of more than {limit} rule sets, each extending the next",
                              limit=MAX_EXTENDS_DEPTH), source=str(path), line=doc.line_of(("extends",)),
                           field="extends", hint=tr("a pack extends a jurisdiction's pack, which may extend the "
                                                    "national one: flatten the chain"))
    token = _extends_depth.set(depth + 1)
    try:
        parent = parent_of(doc.data["extends"], path.parent)
    finally:
        _extends_depth.reset(token)
    merged, changes = extend_document(parent, doc)
    lineage = ((parent.id, parent.version, parent.sha256, parent.source), *parent.parents)
    try:
        return build_rule_set(merged, contributions, sha256, lineage, changes)
    except RuleSetError as exc:
        if changes and exc.source != str(path):
            # The error is in an inherited part, which loads in its own pack: what this one changed broke it.
            why = tr("inherited unchanged from {parent}: check what {pack} replaces or removes (line {line})",
                     parent=parent.id, pack=str(path), line=changes[0].line)
            exc.hint_text = why if exc.hint_text is None else tr("{first}; {second}", first=exc.hint_text, second=why)
            exc.hint = str(exc.hint_text)
        raise


def _read_rule_file(path: Path) -> tuple[YamlDocument, str]:
    """The parsed file and its SHA-256; parsed once per content (see :mod:`riskassess.cache`).

    The file is read once, at most :data:`DEFAULT_MAX_BYTES` of it, and only if it is a regular file
    (see :func:`riskassess.yamlfile.read_bytes`): what is hashed is what was parsed."""
    raw = read_bytes(path, error=RuleSetError, max_bytes=DEFAULT_MAX_BYTES)
    sha256 = hashlib.sha256(raw).hexdigest()
    name = disk_cache.key("doc", YAML_SCHEMA, sha256, str(path))
    doc = disk_cache.get_object("doc", name)
    if not isinstance(doc, YamlDocument):
        doc = parse_yaml(decode_text(raw, str(path), error=RuleSetError), str(path), error=RuleSetError)
        disk_cache.put_object("doc", name, doc)
    return doc, sha256


# ---- extends: where a parent may be read from, and how deep a chain may go

MAX_EXTENDS_DEPTH = 32
"""The longest chain of rule sets each extending the next (a city pack on a province's on the national
one is three)."""
EXTENDS_PATH_ENV = "RISKASSESS_EXTENDS_PATH"
"""Folders (separated by ``os.pathsep``) an ``extends:`` path may also lead into."""
_extends_depth: contextvars.ContextVar[int] = contextvars.ContextVar("riskassess_extends_depth", default=0)


def is_path_reference(ref: str) -> bool:
    """``extends: ./city`` or ``../national/ruleset.yaml`` is a path; ``extends: cn-ndrc-2012`` an id."""
    return "/" in ref or "\\" in ref or ref.startswith(".") or ref.endswith((".yaml", ".yml"))


def extends_roots(path: Path, contributions: Contributions) -> list[Path]:
    """The folders an ``extends:`` path in the rule file ``path`` may lead into.

    The file's own folder; for a pack folder (``…/my-pack/ruleset.yaml``) the folder holding it, so a pack
    may extend its sibling (``extends: ../national``); the folders of installed packs; and any folder
    listed in ``$RISKASSESS_EXTENDS_PATH``.
    """
    here = path.resolve().parent
    roots = [here.parent if path.name == RULESET_FILE else here]
    roots += [(base if base.is_dir() else base.parent).resolve() for base, _ in contributions.rule_set_paths]
    roots += [Path(p).resolve() for p in os.environ.get(EXTENDS_PATH_ENV, "").split(os.pathsep) if p.strip()]
    return roots


def _check_extends(doc: YamlDocument, path: Path, contributions: Contributions) -> None:
    """Refuse an ``extends:`` path that leads (after symbolic links) out of :func:`extends_roots`."""
    ref = doc.data["extends"]
    if not isinstance(ref, str) or not is_path_reference(ref):
        return
    try:
        target = (path.parent / ref).resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop
        target = None
    roots = extends_roots(path, contributions)
    if target is not None and any(target == root or target.is_relative_to(root) for root in roots):
        return
    folder = target.parent if target is not None else Path(ref).parent
    raise RuleSetError(tr("extends: {ref} leads outside the folders a rule set may extend from", ref=ref),
                       source=str(path), line=doc.line_of(("extends",)), field="extends",
                       hint=tr("extend an installed pack by its id, put the parent beside this pack, or allow its "
                               "folder: {setting}", setting=f"{EXTENDS_PATH_ENV}={folder}"))


# ---- extends: a pack built on another adds to it; it replaces or removes only what it says


@dataclass(frozen=True)
class InheritedChange:
    """Something an extending pack replaces or removes of what it inherits (``riskassess lint`` warns of each)."""

    action: str
    """``replaced`` or ``removed``."""
    kind: str
    """The section: ``factors``, ``thresholds``, ``scoring_methods``, ``fields``, ``grades``, ``defaults``, …"""
    name: str
    """The id, name or dotted field path; ``""`` for a whole section."""
    line: int | None
    """Where the extending file says so."""
    before: Any = None
    after: Any = None


#: A section of a rule set → how an error or a lint finding names one of its items.
KIND_WORDS: dict[str, Text] = {
    "documents": tr("document"), "thresholds": tr("threshold"), "fields": tr("questionnaire field"),
    "groups": tr("factor group"), "factors": tr("factor"), "overrides": tr("override"),
    "scoring_methods": tr("scoring method"), "decisions": tr("decision table"), "grades": tr("grades"),
    "matrix": tr("risk matrix"), "measures": tr("measure settings"), "scoring": tr("scoring"),
    "defaults": tr("default"),
}
_Path = tuple[str | int, ...]
_Fail = Callable[..., RuleSetError]
_EFFECTIVE_DEFAULTS = {"unknown_applicability": "assume_not_applicable", "missing": "unknown"}
_Item = tuple[str, YamlDocument, _Path]
"""A named item of a section: its name, the document it is in and its path there."""


def _at(data: Any, path: _Path) -> Any:
    for part in path:
        data = data[part]
    return data


class _Extension:
    """An extending pack laid over its parent: sections add, ``replace:`` and ``remove:`` change.

    Every path of the merged document remembers the file and line it came from, so later errors
    point at the right file: the child's for what it adds or replaces, the parent's for the rest.
    """

    def __init__(self, parent: RuleSet, child: YamlDocument) -> None:
        self.parent, self.child = parent, child
        self.base = YamlDocument(parent.raw, parent.source, parent.doc.lines, parent.doc.origins)
        self.doc = YamlDocument({}, child.source, {}, {(): child.source})
        self.data: dict[str, Any] = self.doc.data
        self.replace: Mapping[str, Any] = child.data.get("replace") or {}
        self.remove: Mapping[str, Any] = child.data.get("remove") or {}
        self.changes: list[InheritedChange] = []
        self._under: dict[tuple[str, int, int], dict[_Path, list[tuple[_Path, Any]]]] = {}
        """(lines or origins, document, n) → for each path prefix of length n, the entries under it: taking an
        item reads only its own entries (scanning all of them for each item made a chain of packs quadratic)."""

    def take(self, doc: YamlDocument, src: _Path, into: _Path | None = None,
             *, deep: bool = True) -> None:
        """Record that ``into`` of the merged document is ``src`` of ``doc``: its lines and files.

        ``deep=False``: only ``into`` itself (its items are taken one by one, from either file).
        """
        into = src if into is None else into
        n = len(src)
        if not deep:
            if src in doc.lines:
                self.doc.lines[into] = doc.lines[src]
            self.doc.origins[into] = doc.source_of(src)
            return
        for path, line in self._entries("lines", doc, src):
            self.doc.lines[(*into, *path[n:])] = line
        for path, origin in self._entries("origins", doc, src):
            if len(path) > n:
                self.doc.origins[(*into, *path[n:])] = origin
        self.doc.origins[into] = doc.source_of(src)

    def _entries(self, table: str, doc: YamlDocument, src: _Path) -> list[tuple[_Path, Any]]:
        """The entries of ``doc.lines`` or ``doc.origins`` at ``src`` or below it (indexed once per length)."""
        key = (table, id(doc), len(src))
        index = self._under.get(key)
        if index is None:
            index = self._under[key] = {}
            for path, value in getattr(doc, table).items():
                if len(path) >= len(src):
                    index.setdefault(path[: len(src)], []).append((path, value))
        return index.get(src, [])

    def merged(self) -> YamlDocument:
        for key, value in self.child.data.items():
            if key in ("ruleset_format", "id", "version", "title", "description", "jurisdiction", "extends", "tests"):
                self.data[key] = value
                self.take(self.child, (key,))
        for key in ("documents", "groups", "factors", "overrides"):
            self.keyed_list(key)
        self.thresholds()
        self.questionnaire()
        self.scoring()
        self.decisions()
        self.whole("grades")
        self.whole("measures", {"counted_statuses": list(DEFAULT_COUNTED_STATUSES)})
        self.defaults()
        return self.doc

    # -- named items: the parent's (less remove:, replace:'s in their place), then the child's

    def keyed(self, section: str, inherited: list[_Item], replacing: list[_Item], adding: list[_Item],
              into: _Path, as_list: bool = True,
              removing: list[tuple[str, _Path]] | None = None) -> list[tuple[str, Any]]:
        """Merge named items and record where each comes from under ``into`` (by position or by name).

        ``removing`` (name, path in the child) defaults to the section's list under ``remove:``.
        """
        have = {name: (doc, path) for name, doc, path in inherited}
        if removing is None:
            removing = [(name, ("remove", section, k)) for k, name in enumerate(self.remove.get(section) or [])]
        removed = self._removed(section, have, removing)
        swaps = {}
        for name, doc, path in replacing:
            if name not in have:
                raise self._missing(section, name, path, tr("to add it, list it under `{section}:`",
                                                            section=self._home(section)))
            if name in removed:
                raise self._fail(tr("{kind} {name!r} is both replaced and removed", kind=KIND_WORDS[section],
                                    name=name), path)
            swaps[name] = (doc, path)
            self._change("replaced", section, name, path, _at(have[name][0].data, have[name][1]), _at(doc.data, path))
        out: list[tuple[str, Any]] = []
        for name, doc, path in inherited:
            if name not in removed:
                doc, path = swaps.get(name, (doc, path))
                self.take(doc, path, (*into, len(out) if as_list else name))
                out.append((name, _at(doc.data, path)))
        for name, doc, path in adding:
            if name in have and name not in removed:
                raise self._clash(section, name, path, have[name])
            self.take(doc, path, (*into, len(out) if as_list else name))
            out.append((name, _at(doc.data, path)))
        return out

    def _removed(self, section: str, have: Mapping[str, Any],
                 removing: list[tuple[str, _Path]]) -> set[str]:
        for name, where in removing:
            if name not in have:
                raise self._missing(section, name, where, None)
            doc, path = have[name]
            self._change("removed", section, name, where, _at(doc.data, path))
        return {name for name, _ in removing}

    def _items(self, doc: YamlDocument, path: _Path, key: str = "id") -> list[_Item]:
        """The items of the list (named by their ``key``) or of the mapping at ``path`` of ``doc``, if any."""
        try:
            value = _at(doc.data, path)
        except (KeyError, IndexError, TypeError):
            return []
        if isinstance(value, Mapping):
            return [(name, doc, (*path, name)) for name in value]
        return [(item[key], doc, (*path, k)) for k, item in enumerate(value or [])]

    def keyed_list(self, key: str) -> None:
        merged = self.keyed(key, self._items(self.base, (key,)), self._items(self.child, ("replace", key)),
                            self._items(self.child, (key,)), (key,))
        self.data[key] = [value for _, value in merged]

    def thresholds(self) -> None:
        merged = self.keyed("thresholds", self._items(self.base, ("thresholds",)),
                            self._items(self.child, ("replace", "thresholds")),
                            self._items(self.child, ("thresholds",)), ("thresholds",), as_list=False)
        self.data["thresholds"] = dict(merged)

    def decisions(self) -> None:
        merged = self.keyed("decisions", self._items(self.base, ("decisions",)),
                            self._items(self.child, ("replace", "decisions")),
                            self._items(self.child, ("decisions",)), ("decisions",), as_list=False)
        self.data["decisions"] = dict(merged)

    # -- the questionnaire: fields add, section by section

    def questionnaire(self) -> None:
        inherited = self.parent.raw.get("questionnaire") or {}
        mine = self.child.data.get("questionnaire") or {}
        standard = inherited.get("standard", True)
        if mine.get("standard", standard) != standard:
            raise self._fail(tr("questionnaire.standard differs from {parent}'s: an extending pack builds on its "
                                "parent's questionnaire", parent=self.parent.id), ("questionnaire", "standard"))
        where = ("questionnaire", "fields")
        for path in (("questionnaire",), where):
            self.take(self.base, path, deep=False)
        parent_sections = inherited.get("fields") or {}
        removing = [(name, ("remove", "fields", k)) for k, name in enumerate(self.remove.get("fields") or [])]
        for name, where_k in removing + [(f"{n}.", ("replace", "fields", n)) for n in self.replace.get("fields") or {}]:
            if name.split(".", 1)[0] not in parent_sections:
                raise self._missing("fields", name.rstrip("."), where_k, None)
        sections: dict[str, Any] = {}
        for name, spec in parent_sections.items():
            for key in spec:
                self.take(self.base, (*where, name, key), deep=key != "fields")
            fields = self.keyed("fields", self._fields(self.base, (*where, name)),
                                self._fields(self.child, ("replace", "fields", name)),
                                self._fields(self.child, (*where, name)), (*where, name, "fields"), as_list=False,
                                removing=[r for r in removing if r[0].split(".", 1)[0] == name])
            if fields or "fields" not in spec:
                sections[name] = {**spec, "fields": {path.split(".", 1)[1]: value for path, value in fields}}
        for name, spec in (mine.get("fields") or {}).items():
            if name not in parent_sections:
                self.take(self.child, (*where, name))
                sections[name] = spec
        self.data["questionnaire"] = {"standard": standard, "fields": sections}

    def _fields(self, doc: YamlDocument, section: _Path) -> list[_Item]:
        return [(f"{section[-1]}.{name}", item_doc, path)
                for name, item_doc, path in self._items(doc, (*section, "fields"))]

    # -- scoring: methods add; the matrix and the whole section are replaced only when said

    def scoring(self) -> None:
        where: _Path
        doc, where = self.base, ("scoring",)  # the parent's, or replace: scoring: of the child
        if "scoring" in self.replace:
            doc, where = self.child, ("replace", "scoring")
            self._change("replaced", "scoring", "", where, self.parent.raw["scoring"], self.replace["scoring"])
        base, mine = _at(doc.data, where), self.child.data.get("scoring") or {}
        self.data["scoring"] = scoring = {}
        self.take(doc, where, ("scoring",), deep=False)
        self.take(doc, (*where, "methods"), ("scoring", "methods"), deep=False)
        if "matrix" in self.replace:
            self._change("replaced", "matrix", "", ("replace", "matrix"), base.get("matrix"), self.replace["matrix"])
            scoring["matrix"] = self.replace["matrix"]
            self.take(self.child, ("replace", "matrix"), ("scoring", "matrix"))
        elif "matrix" in mine and "matrix" in base:
            raise self._section_clash("matrix", ("scoring", "matrix"))
        elif "matrix" in mine or "matrix" in base:
            scoring["matrix"] = mine.get("matrix") or base["matrix"]
            self.take(self.child if "matrix" in mine else doc, ("scoring", "matrix") if "matrix" in mine
                      else (*where, "matrix"), ("scoring", "matrix"))
        methods = self.keyed("scoring_methods", self._items(doc, (*where, "methods"), "method"),
                             self._items(self.child, ("replace", "scoring_methods"), "method"),
                             self._items(self.child, ("scoring", "methods"), "method"), ("scoring", "methods"))
        scoring["methods"] = [value for _, value in methods]
        if "combine" in base or "combine" in mine:
            scoring["combine"] = mine.get("combine", base.get("combine"))
            if "combine" in mine:
                self.take(self.child, ("scoring", "combine"))
            else:
                self.take(doc, (*where, "combine"), ("scoring", "combine"))

    # -- sections changed only whole: grades, measures; defaults key by key

    def whole(self, key: str, implied: Any = None) -> None:
        inherited = self.parent.raw.get(key, implied)
        if key in self.replace:
            self._change("replaced", key, "", ("replace", key), inherited, self.replace[key])
            self.data[key] = self.replace[key]
            self.take(self.child, ("replace", key), (key,))
        elif key in self.child.data and self.child.data[key] != inherited:
            raise self._section_clash(key, (key,))
        elif key in self.parent.raw:
            self.data[key] = self.parent.raw[key]
            self.take(self.base, (key,))

    def defaults(self) -> None:
        inherited = {**_EFFECTIVE_DEFAULTS, **self.parent.raw["defaults"]}
        for name, value in (self.child.data.get("defaults") or {}).items():
            if value != inherited.get(name):
                raise self._fail(tr("defaults.{name} differs from {parent}'s ({value!r}): in an extending pack it "
                                    "would change every inherited factor that does not set its own", name=name,
                                    parent=self.parent.id, value=inherited.get(name)), ("defaults", name),
                                 tr("to change it for the whole lineage, write it under `replace: defaults:`; for "
                                    "your own factors, set it on each"))
        self.data["defaults"] = dict(self.parent.raw["defaults"])
        self.take(self.base, ("defaults",))
        for name, value in (self.replace.get("defaults") or {}).items():
            self._change("replaced", "defaults", name, ("replace", "defaults", name), inherited.get(name), value)
            self.data["defaults"][name] = value
            self.take(self.child, ("replace", "defaults", name), ("defaults", name))

    # -- errors and changes

    def _change(self, action: str, kind: str, name: str, path: _Path, before: Any,
                after: Any = None) -> None:
        self.changes.append(InheritedChange(action, kind, name, self.child.line_of(path), before,
                                            after if action == "replaced" else None))

    def _fail(self, message: Text, path: _Path, hint: Text | None = None) -> RuleSetError:
        return RuleSetError(message, source=self.child.source, line=self.child.line_of(path),
                            field=dotted(path) or None, hint=hint)

    def _home(self, section: str) -> str:
        return {"scoring_methods": "scoring: methods", "fields": "questionnaire: fields"}.get(section, section)

    def _clash(self, section: str, name: str, path: _Path,
               first: tuple[YamlDocument, _Path]) -> RuleSetError:
        doc, where = first
        return self._fail(tr("{kind} {name!r} is already defined by {parent} ({where})", kind=KIND_WORDS[section],
                             name=name, parent=self.parent.id, where=_place(doc, where)), path,
                          tr("to change it, put yours under `replace: {section}:`; to drop it, list it under "
                             "`remove: {section}:`", section=section))

    def _missing(self, section: str, name: str, path: _Path, hint: Text | None) -> RuleSetError:
        near = closest(name, (item[0] for item in self._parent_items(section)))
        return self._fail(tr("{parent} has no {kind} {name!r}", parent=self.parent.id, kind=KIND_WORDS[section],
                             name=name), path,
                          tr("did you mean {name!r}?", name=near) if near else hint)

    def _parent_items(self, section: str) -> list[_Item]:
        if section == "fields":
            return [item for name in (self.parent.raw.get("questionnaire") or {}).get("fields") or {}
                    for item in self._fields(self.base, ("questionnaire", "fields", name))]
        if section == "scoring_methods":
            return self._items(self.base, ("scoring", "methods"), "method")
        return self._items(self.base, (section,))

    def _section_clash(self, key: str, path: _Path) -> RuleSetError:
        inherited = ("scoring", "matrix") if key == "matrix" else (key,)
        return self._fail(tr("{parent} already has its {kind} ({where}); an extending pack adds to its parent",
                             parent=self.parent.id, kind=KIND_WORDS[key], where=_place(self.base, inherited)), path,
                          tr("to change it, write yours under `replace: {section}:`", section=key))


def _place(doc: YamlDocument, path: _Path) -> str:
    line = doc.line_of(path)
    source = doc.source_of(path)
    return f"{source}:{line}" if line else source


def extend_document(parent: RuleSet, child: YamlDocument) -> tuple[YamlDocument, tuple[InheritedChange, ...]]:
    """The child's data laid over its parent's, and what the child replaces or removes of it."""
    extension = _Extension(parent, child)
    return extension.merged(), tuple(extension.changes)


#: ``{name}`` or ``{name:spec}`` in a title: the value of threshold ``name``; spec ``,`` (1,000), ``.0%`` (20%), ….
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?::([^{}]*))?\}")
_NUMBER_FORMAT = re.compile(r"[,_]?(\.[0-9])?[%fgde]?")


class _Labeller:
    """Titles and descriptions with ``{threshold}`` placeholders filled in from the rule set's thresholds.

    A pack that changes a threshold then changes every title that shows it, inherited ones included.
    """

    def __init__(self, values: Mapping[str, Any], fail: _Fail) -> None:
        self.values, self.fail = values, fail

    def __call__(self, raw: Mapping[str, str] | None, path: _Path) -> Label | None:
        if not raw:
            return None
        return Label(self.fill(raw["zh"], (*path, "zh")), self.fill(raw["en"], (*path, "en")))

    def fill(self, text: str, path: _Path) -> str:
        return _PLACEHOLDER.sub(lambda m: self._value(m, path), text) if "{" in text else text

    def _value(self, match: re.Match[str], path: _Path) -> str:
        name, spec = match.group(1), match.group(2) or ""
        if name not in self.values:
            near = closest(name, self.values)
            raise self.fail(tr("{placeholder} in a title names no threshold", placeholder=match.group(0)), path,
                            tr("did you mean {name!r}?", name=near) if near else
                            tr("thresholds are {names}", names=sorted(self.values) or tr("none")))
        value = self.values[name]
        if not _NUMBER_FORMAT.fullmatch(spec):
            raise self.fail(tr("{placeholder}: {spec!r} is not a number format; use , (1,000), .0% (20%) or .1f",
                               placeholder=match.group(0), spec=spec), path)
        if not spec and isinstance(value, float) and value.is_integer():
            value = int(value)
        return format(value, spec)


def build_rule_set(doc: YamlDocument, contributions: Contributions, sha256: str,
                   parents: tuple[tuple[str, str, str, str], ...] = (),
                   changes: tuple[InheritedChange, ...] = ()) -> RuleSet:
    src = doc.source
    data = doc.data

    def fail(message: str | Text, path: _Path, hint: str | Text | None = None) -> RuleSetError:
        return RuleSetError(message, source=doc.source_of(path), line=doc.line_of(path), field=dotted(path) or None,
                            hint=hint)

    if not isinstance(data, dict):
        raise fail(tr("a rule set must be a mapping"), ())
    checked = disk_cache.key("valid", sha256, [p[2] for p in parents], [c.line for c in changes])
    if not disk_cache.has_flag("valid", checked):  # the size and schema checks depend on the content alone
        check_lists(doc)
        check_factor_count(doc)
        _check_schema(doc)
        disk_cache.set_flag("valid", checked)
    catalogue = _catalogue(data, contributions, src, fail)
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
    label = _Labeller({k: v["value"] for k, v in thresholds.items()}, fail)
    groups = _groups(data, label, fail)
    factors = _factors(data, parser, groups, doc, label, fail)
    grades = tuple(Grade(g["id"], Label(**g["title"]), _label(g.get("definition"))) for g in data["grades"])
    grade_ids = [g.id for g in grades]
    _check_unique(grade_ids, "grades", doc, lambda i: ("grades", i, "id"))
    matrix = data["scoring"].get("matrix") or _NO_MATRIX
    levels, grid = _matrix(matrix, doc, fail)
    overrides = _overrides(data, parser, {f.id for f in factors}, grade_ids, doc, label, fail)
    context = ScoringContext(data["id"], tuple(grade_ids), tuple(lv[0] for lv in levels), tuple(f.id for f in factors),
                             tuple(f.weight for f in factors), tuple(tuple(c.points for c in f.cases) for f in factors))
    steps = _scoring_steps(data["scoring"]["methods"], contributions, context, doc, fail)
    _check_method_inputs(steps, factors, catalogue, fail)
    decisions = _decisions(data["decisions"], catalogue, grade_ids, fail)

    counted = frozenset((data.get("measures") or {}).get("counted_statuses", DEFAULT_COUNTED_STATUSES))
    assert counted <= set(MEASURE_STATUSES)

    code_key = disk_cache.key("code", sha256, [p[2] for p in parents],
                              [[p.name, p.version] for p in contributions.plugins])
    rules, program = _compile(data["id"], factors, overrides, grid, parser, catalogue, contributions, code_key)
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
        sha256=sha256, doc=doc, raw=data, parents=parents, inherited_changes=changes,
    )


def _compile(rule_set_id: str, factors: list[Factor], overrides: list[Override], grid: tuple[tuple[int, ...], ...],
             parser: ConditionParser, catalogue: FieldCatalogue, contributions: Contributions,
             code_key: str | None = None) -> tuple[tuple[Rule, ...], Program]:
    """One rule per factor, then one per override, and the program that evaluates them."""
    scored = tuple(tuple(ScoredFactor(f.index, c.probability, c.impact, grid[c.probability - 1][c.impact - 1],
                                      c.points) for c in f.cases) for f in factors)
    rules = tuple(Rule(tuple(c.condition for c in f.cases), f.on_unknown, scored[f.index], guard=f.guard,
                       guard_policy=_GUARD_POLICY[f.unknown_applicability], assume_case=f.assume_case)
                  for f in factors) + \
        tuple(Rule((o.condition,), o.on_unknown, (o.index,), "o") for o in overrides)
    derived_fns = {path: fact.compute for path, fact in contributions.derived_facts.items()}
    approximable = frozenset(leaf.fact for leaf in parser.leaves
                             if (ft := catalogue.fact_type(leaf.fact)) is not None and ft.kind in ("integer", "number"))
    return rules, compile_program(rules, contributions.operators, derived_fns, rule_set_id, approximable,
                                  cache_key=code_key)


def _catalogue(data: Mapping[str, Any], contributions: Contributions, src: str, fail: _Fail) -> FieldCatalogue:
    """The questionnaire fields this rule set can read: standard, its own, plugins' and derived facts."""
    catalogue = FieldCatalogue.standard() if data.get("questionnaire", {}).get("standard", True) \
        else FieldCatalogue({})
    extra_fields = data.get("questionnaire", {}).get("fields")
    if extra_fields:
        try:
            catalogue = catalogue.extended(extra_fields, src, base=True)
        except RiskAssessError as exc:  # exc.field: section.field.subfield → its path in the rule set
            section, *names = (exc.field or "").split(".")
            raise fail(exc.text, ("questionnaire", "fields", section, *(x for n in names for x in ("fields", n))),
                       exc.hint_text) from None
    extensions = {}
    for ns, (fields, plugin) in contributions.questionnaire_fields.items():
        try:
            extensions[ns] = parse_field(ns, {"type": "object",
                                              "title": {"zh": f"扩展字段 {ns}", "en": f"Extension fields {ns}"},
                                              "description": {"zh": f"插件 {plugin} 增加的问卷字段",
                                                              "en": f"Questionnaire fields added by plugin {plugin}"},
                                              "fields": fields}, f"extensions.{ns}", plugin)
        except RiskAssessError as exc:
            raise PluginError(tr("plugin {plugin!r} registered invalid questionnaire fields: {field}: {problem}",
                                 plugin=plugin, field=exc.field or f"extensions.{ns}", problem=exc.text),
                              hint=exc.hint_text) from None
    derived = {path: fact.type for path, fact in contributions.derived_facts.items()}
    return catalogue.with_plugins(extensions, derived)


def _groups(data: Mapping[str, Any], label: _Labeller, fail: _Fail) -> dict[str, FactorGroup]:
    groups: dict[str, FactorGroup] = {}
    for i, raw in enumerate(data.get("groups") or []):
        if raw["id"] in groups:
            raise fail(tr("duplicate group id {id!r}", id=raw["id"]), ("groups", i, "id"))
        title = label(raw["title"], ("groups", i, "title"))
        assert title is not None
        groups[raw["id"]] = FactorGroup(raw["id"], title, label(raw.get("description"), ("groups", i, "description")))
    return groups


def _factors(data: Mapping[str, Any], parser: ConditionParser, groups: Mapping[str, FactorGroup],
             doc: YamlDocument, label: _Labeller, fail: _Fail) -> list[Factor]:
    defaults = data["defaults"]
    factors: list[Factor] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(data["factors"]):
        fid = raw["id"]
        if fid in seen:
            raise fail(tr("duplicate factor id {id!r} (first defined as factor {number})", id=fid,
                          number=seen[fid] + 1), ("factors", i, "id"))
        seen[fid] = i
        first_leaf = len(parser.leaves)
        guard = parser.parse(raw["applies_when"], ("factors", i, "applies_when")) if "applies_when" in raw else None
        cases = _cases(raw["cases"], ("factors", i), parser, doc, label, fail)
        if len(parser.leaves) - first_leaf > MAX_FACTOR_LEAVES:
            raise factor_too_big(doc, ("factors", i), len(parser.leaves) - first_leaf)
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
        title = label(raw["title"], ("factors", i, "title"))
        assert title is not None
        description = label(raw.get("description"), ("factors", i, "description"))
        factors.append(Factor(i, fid, raw["category"], title, description, tuple(raw["basis"]), raw.get("weight"),
                              on_unknown,
                              tuple(cases), doc.line_of(("factors", i)), guard,
                              raw.get("unknown_applicability",
                                      defaults.get("unknown_applicability", "assume_not_applicable")),
                              group, assume_case))
    return factors


def _cases(raws: list[dict[str, Any]], at: _Path, parser: ConditionParser, doc: YamlDocument, label: _Labeller,
           fail: _Fail) -> list[Case]:
    check_case_count(doc, at, raws)
    cases = []
    case_ids: set[str] = set()
    for k, c in enumerate(raws):
        where = (*at, "cases", k)
        cid = c.get("id", f"case{k + 1}")
        if cid in case_ids:
            raise fail(tr("duplicate case id {id!r}", id=cid), (*where, "id"))
        case_ids.add(cid)
        node = parser.parse(c["when"], (*where, "when"))
        if ("probability" in c) != ("impact" in c) or ("probability" not in c and "points" not in c):
            raise fail(tr("a case needs probability and impact (or, for point-table methods, points)"), where)
        points = Fraction(str(c["points"])) if "points" in c else None
        for key in ("probability", "impact"):  # JSON Schema's integer admits 2.0
            if key in c:
                c[key] = int(c[key])
        # A points-only case sits at the lowest probability and impact.
        cases.append(Case(cid, label(c.get("title"), (*where, "title")), node, c.get("probability", 1),
                          c.get("impact", 1), doc.line_of(where), points))
    return cases


def _matrix(matrix: Mapping[str, Any], doc: YamlDocument,
            fail: _Fail) -> tuple[tuple[tuple[str, Label], ...], tuple[tuple[int, ...], ...]]:
    """The levels and the probability × impact grid of level indexes, checked to be monotone."""
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
    return levels, grid


def _overrides(data: Mapping[str, Any], parser: ConditionParser, factor_ids: set[str], grade_ids: list[str],
               doc: YamlDocument, label: _Labeller, fail: _Fail) -> list[Override]:
    overrides = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("overrides") or []):
        if raw["id"] in seen or raw["id"] in factor_ids:
            raise fail(tr("duplicate id {id!r}", id=raw["id"]), ("overrides", i, "id"))
        seen.add(raw["id"])
        if raw["floor"] not in grade_ids:
            raise fail(tr("unknown grade {grade!r}; grades are {grades}", grade=raw["floor"], grades=grade_ids),
                       ("overrides", i, "floor"))
        node = parser.parse(raw["when"], ("overrides", i, "when"))
        title = label(raw["title"], ("overrides", i, "title"))
        assert title is not None
        overrides.append(Override(i, raw["id"], title, tuple(raw["basis"]), node,
                                  grade_ids.index(raw["floor"]), raw.get("on_unknown", data["defaults"]["on_unknown"]),
                                  doc.line_of(("overrides", i))))
    return overrides


def _scoring_steps(methods: list[Mapping[str, Any]], contributions: Contributions, context: ScoringContext,
                   doc: YamlDocument, fail: _Fail) -> list[ScoringStep]:
    steps = []
    for i, m in enumerate(methods):
        where = ("scoring", "methods", i)
        method = contributions.scoring_methods.get(m["method"])
        if method is None:
            raise fail(tr("unknown scoring method {method!r}; available: {names}", method=m["method"],
                          names=sorted(contributions.scoring_methods)), (*where, "method"),
                       tr("install the plugin that provides it, or run `riskassess plugins list`"))
        _check_provenance(m.get("params") or {}, m["method"], where, fail)
        plugin = contributions.plugin_of("scoring method", m["method"])
        try:
            prepared = guarded(plugin, plugin_call("scoring method", m["method"], "prepare"), method.prepare)(
                dict(m.get("params") or {}), context)
        except ParameterError as exc:
            raise fail(tr("{method}: {problem}", method=m["method"], problem=exc.text),
                       (*where, "params", *_param_path(exc.field))) from None
        except PluginError as exc:  # it ran past its time budget, or tried to exit: named, to be located
            exc.source, exc.line = doc.source_of(where), doc.line_of(where)
            raise
        except Exception as exc:
            raise PluginError(tr("scoring method {method!r} (plugin {plugin!r}) failed to prepare: {error}",
                                 method=m["method"], plugin=plugin, error=f"{type(exc).__name__}: {exc}"),
                              source=doc.source_of(where), line=doc.line_of(where)) from exc
        steps.append(ScoringStep(m["method"], plugin, prepared, getattr(method, "title", None), not is_builtin(plugin)))
    return steps


def _check_provenance(params: Mapping[str, Any], method: str, where: _Path, fail: _Fail) -> None:
    """Every method's numbers say where they come from — law, a secondary source, convention or the pack's
    own judgement — whoever wrote the method: the engine asks, not each plugin."""
    status, source = params.get("status"), params.get("source")
    if status not in PROVENANCE_STATUSES:
        raise fail(tr("{method}: the parameters need status: one of {statuses} (is this law, or convention?)",
                      method=method, statuses=PROVENANCE_STATUSES), (*where, "params", "status"))
    if not isinstance(source, Mapping) or not source.get("zh") or not source.get("en"):
        raise fail(tr("{method}: the parameters need source: {{zh: …, en: …}} naming where the numbers come from",
                      method=method), (*where, "params", "source"))


def _check_method_inputs(steps: list[ScoringStep], factors: list[Factor], catalogue: FieldCatalogue,
                         fail: _Fail) -> None:
    """What methods read must be questionnaire fields; a pack without factors needs methods that grade without."""
    for i, step in enumerate(steps):
        for path in step.reads:
            if not isinstance(path, str) or catalogue.field_at(path) is None:
                raise fail(tr("scoring method {method!r} reads {path!r}, which is not a questionnaire field",
                              method=step.method, path=path), ("scoring", "methods", i),
                           tr("install the plugin that adds the field, or run `riskassess schema questionnaire`"))
    if not factors:
        needing = [s.method for s in steps if getattr(s.prepared, "uses_factors", True)]
        if needing:
            raise fail(tr("the rule set has no factors, but scoring method(s) {methods} grade factors",
                          methods=needing), ("factors",),
                       tr("add factors, or use only methods that grade from their own inputs"))


def _decisions(tables: Mapping[str, Any], catalogue: FieldCatalogue, grade_ids: list[str],
               fail: _Fail) -> dict[str, dict[str, Decision]]:
    decisions: dict[str, dict[str, Decision]] = {}
    channel_spec = catalogue.field_at("project.channel")
    channels = set(channel_spec.enum or ()) if channel_spec else set()
    for channel, table in tables.items():
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
    return decisions


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
