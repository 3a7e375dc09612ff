"""A finished assessment and its record.

:class:`Assessment` holds both grades, the decision, and the compiled program's
trace: every fact value, leaf outcome and case outcome. From the trace it expands,
on demand, every factor (applicable or not) with the case taken and each leaf's
actual value and outcome, the overrides, each scoring method's derivation, the
unknowns and how the grade treats them, and the warnings.

The record id is the SHA-256 of :attr:`Assessment.digest`: the inputs by hash
(rule files, canonical answers), plugins and engine version, and every result in
compact form. Presentation (creation time, file paths, line numbers, the raw
file's hash) is outside it.
"""

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import plugin_guard
from .adjustment_record import adjustment_warnings, digest_part, judged, mark_factors, record_part
from .approximate import Interval
from .conditions import OUTCOME_TEXT
from .counting import counted_factors, representative
from .errors import InputError, PluginError, RiskAssessError
from .grade_range import GradeRange, grade_range, possible_outcomes
from .grading import Effects, method_inputs, reads_answers
from .hookspecs import Derivation, ScoredFactor
from .i18n import tr
from .labels import record_labels
from .notices import list_unknowns, list_warnings, method_warnings
from .plugins import BUILTIN_PREFIX
from .questionnaire import Questionnaire, answer_at, canonical_json
from .questions import Question, all_answered, decisive_questions
from .ruleset import RuleSet
from .yamlfile import parse_yaml

if TYPE_CHECKING:
    from .adjustments import Governed
    from .engine import Engine, Outcome

RECORD_FORMAT = 1


@cache
def record_schema() -> dict[str, Any]:
    """The JSON Schema of :meth:`Assessment.record` (``riskassess schema record``)."""
    text = resources.files("riskassess").joinpath("schemas/record.schema.yaml").read_text("utf-8")
    return dict(parse_yaml(text, "riskassess/schemas/record.schema.yaml", error=RiskAssessError).data)
_OUTCOME = OUTCOME_TEXT


def fact_values(rule_set: RuleSet, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The value of every fact the rule set reads (``None`` for missing), by plain lookup."""
    out: dict[str, Any] = {}
    derived = {}
    for path in rule_set.program.facts:
        fn = rule_set.derived_functions.get(path)
        if fn is not None:
            derived[path] = fn
            continue
        out[path] = answer_at(answers, path)
    for path, fn in derived.items():
        try:
            out[path] = fn(answers)
        except PluginError:
            raise  # named already
        except Exception as exc:
            raise _derivation_failed(rule_set, path, exc) from exc
    return out


def _derivation_failed(rule_set: RuleSet, path: str, exc: Exception) -> RiskAssessError:
    """A built-in derived fact that trips is tripped by the answers it reads (unchecked answers handed to
    :func:`riskassess.decide`, say ``10**400``): an input error naming them. A plugin's is the plugin's."""
    owner = rule_set.derived_owners.get(path, "?")
    error = f"{type(exc).__name__}: {exc}"
    if owner.startswith(BUILTIN_PREFIX):
        inputs = list(rule_set.derived_facts[path].inputs) if path in rule_set.derived_facts else []
        return InputError(tr("{path} cannot be computed from the answers {inputs}: {error}", path=path,
                             inputs=inputs, error=error),
                          hint=tr("check those answers; `Engine.questionnaire(answers, rule_set)` checks them all "
                                  "before grading"))
    return PluginError(tr("derived fact {path} (plugin {plugin!r}) failed: {error}", path=path, plugin=owner,
                          error=error), hint=tr("fix or disable the plugin that provides it"))


@dataclass(slots=True)
class LeafResult:
    fact: str
    op: str
    operand: Any
    threshold: str | None
    missing_policy: str
    actual: Any
    outcome: str
    answer_line: int | None
    rule_line: int | None
    status: str | None
    derived_from: dict[str, Any] | None = None
    """For a derived fact: the answers it was computed from."""
    evidence: dict[str, Any] | None = None
    """The questionnaire's evidence entry for this answer, if any."""

    def as_dict(self) -> dict[str, Any]:
        out = {"fact": self.fact, "op": self.op, "operand": _jsonable(self.operand), "actual": self.actual,
               "outcome": self.outcome, "answer_line": self.answer_line, "rule_line": self.rule_line}
        if self.threshold:
            out["threshold"] = self.threshold
        if self.missing_policy != "unknown":
            out["missing"] = self.missing_policy
        if self.status:
            out["threshold_status"] = self.status
        if self.derived_from is not None:
            out["derived_from"] = self.derived_from
        if self.evidence is not None:
            out["evidence"] = self.evidence
        return out


@dataclass(slots=True)
class CaseResult:
    id: str
    outcome: str
    probability: int
    impact: int
    leaves: tuple[LeafResult, ...]
    rule_line: int | None


@dataclass(slots=True)
class FactorResult:
    """One factor of the rule set, whether or not it applies."""

    id: str
    index: int
    applies: bool
    case: str | None
    decided_by_unknown: bool
    missing_facts: tuple[str, ...]
    initial: ScoredFactor | None
    post: ScoredFactor | None
    measures: tuple[str, ...]
    cases: tuple[CaseResult, ...]
    applicability: str = "true"
    """The precondition's outcome (``applies_when``): true, false or unknown; true where there is none."""
    guard_leaves: tuple[LeafResult, ...] = ()
    counted: bool = True
    """False for the members of a group other than the one it is counted under (see :mod:`riskassess.counting`)."""

    @property
    def not_applicable_because(self) -> tuple[LeafResult, ...]:
        """The precondition's leaves that are false: why the factor does not apply."""
        if self.applicability != "false":
            return ()
        return tuple(leaf for leaf in self.guard_leaves if leaf.outcome == "false")


@dataclass(slots=True)
class OverrideResult:
    id: str
    index: int
    fired: bool
    decided_by_unknown: bool
    floor: str
    leaves: tuple[LeafResult, ...]


_CODE = {True: "T", False: "F", None: "U"}


class Assessment:
    """The result of :meth:`riskassess.Engine.assess`.

    Grades, the decision and the record id are available at once; the per-factor
    and per-leaf detail, derivations, unknowns and warnings are expanded from the
    trace only when asked for (and then kept).
    """

    def __init__(self, rule_set: RuleSet, questionnaire: Questionnaire, outcome: Outcome,
                 trace: tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]],
                 engine_version: str, plugins: tuple[Mapping[str, str], ...], governed: Governed | None = None
                 ) -> None:
        self.rule_set = rule_set
        self.governed = governed
        """The assessment body's governed adjustments and the as-of date they were judged on, if any."""
        self.questionnaire = questionnaire
        self.outcome = outcome
        self.fact_values, self.leaf_values, self.case_values, self.guard_values = trace
        self.engine_version = engine_version
        self.plugins = plugins
        self.created_at = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()

    def observer_copy(self) -> Assessment:
        """A deep copy for code that only observes it (``riskassess_after_assessment``): whatever is done to the
        copy — answers, grades, trace — reaches neither this assessment nor its record. The rule set is
        shared, not copied: it is the engine's, read-only for every plugin."""
        rs = self.rule_set
        return copy.deepcopy(self, {id(rs): rs, id(rs.catalogue): rs.catalogue})

    # -- what people ask first -------------------------------------------------------
    @property
    def initial_grade(self) -> str:
        return self.outcome.initial_grade

    @property
    def post_measure_grade(self) -> str:
        return self.outcome.post_measure_grade

    @property
    def provisional(self) -> bool:
        """True unless the grades are firm: some answer still to be given could change a grade."""
        return not self.grade_range.firm

    @property
    def firm(self) -> bool:
        return self.grade_range.firm

    # -- how sure the grade is ------------------------------------------------------------
    @cached_property
    def _open_world(self) -> tuple[list[Any], list[Any]]:
        if not self.questionnaire.approximate and None not in self.fact_values:
            # Every fact the rules read is answered: the open world is the trace itself.
            return list(self.case_values), list(self.guard_values)
        return possible_outcomes(self.rule_set, self.questionnaire.evaluation_answers)

    @cached_property
    def _effects(self) -> Effects:
        return self.outcome.effects

    @cached_property
    def grade_range(self) -> GradeRange:
        """The grades the unknown answers could still lead to (see :mod:`riskassess.grade_range`)."""
        cases, guards = self._open_world
        o = self.outcome
        if None not in cases and None not in guards:  # nothing the missing answers could change
            return GradeRange((o.initial, o.initial), (o.post, o.post))
        found = grade_range(self.rule_set, cases, guards, self._effects, o, self.questionnaire.evaluation_answers,
                            o.adjust)
        # The bounds assume monotone scoring; a method that is not (a mean over the applicable factors)
        # can put the headline outside them. Never claim less than the headline itself: widen, and the
        # record warns that the range is an estimate (see _warnings).
        return GradeRange((min(found.initial[0], o.initial), max(found.initial[1], o.initial)),
                          (min(found.post[0], o.post), max(found.post[1], o.post)))

    @cached_property
    def best_if_all_answered(self) -> GradeRange:
        """The range if every decisive question were answered its most favourable way."""
        cases, guards = self._open_world
        return all_answered(self.rule_set, self.facts, cases, guards, self._effects, self.questions,
                            self.questionnaire.evaluation_answers, self.outcome.adjust)

    @cached_property
    def questions(self) -> list[Question]:
        """Unanswered facts that alone could narrow the range, most decisive first."""
        cases, guards = self._open_world
        return decisive_questions(self.rule_set, self.facts, cases, guards, self._effects, self.grade_range,
                                  self.questionnaire.evaluation_answers, self.outcome.adjust)

    @property
    def channel(self) -> str | None:
        return (self.questionnaire.answers.get("project") or {}).get("channel")

    @property
    def decision(self) -> dict[str, Any] | None:
        """The decision the post-measure grade implies; ``pending`` while unknown answers could change it."""
        rs = self.rule_set
        d = rs.decision_for(self.channel, self.outcome.post)
        if d is None:
            return None
        low, high = self.grade_range.post
        possible = list(dict.fromkeys(dd.code for g in range(low, high + 1)
                                      if (dd := rs.decision_for(self.channel, g)) is not None))
        out: dict[str, Any] = {"channel": self.channel, "grade": self.post_measure_grade, "code": d.code,
               "title": d.title.as_dict(), "basis": [dict(b) for b in d.basis], "firm": len(possible) == 1}
        if len(possible) > 1:
            out.update(code="pending", headline_code=d.code, possible_codes=possible,
                       title={"zh": f"待补充答案后确定（按现有答案暂定为：{d.title.zh}）",
                              "en": f"To be settled once the missing answers are given (provisionally: {d.title.en})"})
        return out

    def applicable(self) -> list[FactorResult]:
        return [f for f in self.factors if f.applies]

    # -- the detail, expanded from the trace on demand --------------------------------------
    @cached_property
    def facts(self) -> dict[str, Any]:
        return dict(zip(self.rule_set.program.facts, self.fact_values, strict=True))

    @cached_property
    def _details(self) -> tuple[tuple[FactorResult, ...], tuple[OverrideResult, ...]]:
        return _expand(self)

    @property
    def factors(self) -> tuple[FactorResult, ...]:
        return self._details[0]

    @property
    def overrides(self) -> tuple[OverrideResult, ...]:
        return self._details[1]

    @cached_property
    def derivations(self) -> dict[str, list[Derivation]]:
        return _derivations(self)

    @cached_property
    def unknowns(self) -> list[dict[str, Any]]:
        return list_unknowns(self.rule_set, self.facts, self.factors, self.overrides)

    @cached_property
    def warnings(self) -> list[dict[str, Any]]:
        out = list_warnings(self.rule_set, self.questionnaire.answers, self.outcome, self.factors, self.unknowns,
                            self.firm)
        if any(d.warnings for ds in self.derivations.values() for d in ds):
            out += method_warnings(self.derivations)
        if self.governed is not None:
            out += adjustment_warnings(self.governed, self.adjustment_results)
        return out

    @cached_property
    def adjustment_results(self) -> list[dict[str, Any]]:
        """What became of each governed adjustment (see :func:`riskassess.adjustment_record.judged`)."""
        return [] if self.governed is None else judged(self.governed, self.outcome, self.rule_set)

    # -- identity ----------------------------------------------------------------------
    @cached_property
    def digest(self) -> dict[str, Any]:
        """The decision content the record id hashes: inputs by hash, every result in compact form.

        The readable per-factor and per-leaf detail of the record is a pure function of
        these vectors and the rule set (fixed by its SHA-256), so hashing them covers it.
        """
        rs = self.rule_set
        o = self.outcome
        code = _CODE
        return {
            "record_format": RECORD_FORMAT,
            "engine": self.engine_version,
            "rule_sets": [[rs.id, rs.version, rs.sha256], *[[i, v, h] for i, v, h, _ in rs.parents]],
            "plugins": [[p["name"], p["version"]] for p in self.plugins],
            "answers_sha256": self.questionnaire.sha256,
            "grades": [self.initial_grade, self.post_measure_grade],
            "grades_by_method": [[rs.grades[g].id for g in o.initial_by_method],
                                 [rs.grades[g].id for g in o.post_by_method]],
            "decision": (self.decision or {}).get("code"),
            "provisional": self.provisional,
            "range": [[rs.grades[g].id for g in self.grade_range.initial],
                      [rs.grades[g].id for g in self.grade_range.post]],
            "facts": [_plain(v) for v in self.fact_values],
            "leaves": "".join([code[v] for v in self.leaf_values]),
            "cases": "".join([code[v] for v in self.case_values]),
            "guards": "".join([code[v] for v in self.guard_values]),
            "factors": [_scored(f) for f in o.initial_factors],
            "post_measure": [_scored(f) for f in o.post_factors],
            "overrides": list(o.fired_overrides),
            "unknown_rules": list(o.unknown_rules),
            **self._plugin_derivations(),
            **({} if self.governed is None else {"adjustments": digest_part(self.governed, self.adjustment_results)}),
        }

    def _plugin_derivations(self) -> dict[str, Any]:
        """A plugin's derivation is not a function of the rule set alone (a built-in's is, and costs more to
        write out than everything else): hash what the plugins' methods derived, naming them."""
        methods = [s.method for s in self.rule_set.scoring if not s.plugin.startswith(BUILTIN_PREFIX)]
        if not methods:
            return {}
        said = {stage: [d for d in ds if d["method"] in methods] for stage, ds in self.scoring_dict().items()}
        return {"derivations": {"methods": methods,
                                "sha256": hashlib.sha256(canonical_json(said).encode()).hexdigest()}}

    def scoring_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Each scoring method's derivation, before and after the measures, as the record keeps it."""
        return {stage: [d.as_dict() for d in ds] for stage, ds in self.derivations.items()}

    @cached_property
    def record_id(self) -> str:
        return "sha256:" + hashlib.sha256(canonical_json(self.digest).encode()).hexdigest()

    def groups_dict(self) -> list[dict[str, Any]]:
        """Each factor group with applicable members, and the one factor it counts as before and after measures."""
        rs, o = self.rule_set, self.outcome
        if not rs.has_groups:
            return []
        out = []
        for gid, group in rs.groups.items():
            members = [f for f in o.initial_factors if rs.group_of[f.index] == gid]
            if not members:
                continue
            post = [f for f in o.post_factors if rs.group_of[f.index] == gid]
            out.append({"id": gid, "title": group.title.as_dict(),
                        "members": [rs.factors[f.index].id for f in members],
                        "counted_as": rs.factors[representative(rs, members).index].id,
                        "initial": _level_dict(rs, representative(rs, members)),
                        "post_measure": _level_dict(rs, representative(rs, post))})
        return out

    def range_dict(self) -> dict[str, Any]:
        """Each grade with its lowest and highest value over the completions of the unknown answers."""
        r, o = self.grade_range, self.outcome
        return {"initial": _range_of(self.rule_set, r.initial, o.initial),
                "post_measure": _range_of(self.rule_set, r.post, o.post)}

    def question_dict(self, q: Question) -> dict[str, Any]:
        rs = self.rule_set
        spec = rs.catalogue.field_at(q.fact)
        derived = rs.derived_facts.get(q.fact)
        title = spec.title if spec else (derived.title if derived else None)
        return {**q.as_dict(rs), "title": title.as_dict() if title else {"zh": q.fact, "en": q.fact}}

    # -- the record ------------------------------------------------------------------
    def kernel(self) -> dict[str, Any]:
        """The record without its readable ``result`` and ``labels``: those are a pure function of the
        kernel and the rule set (fixed by its SHA-256), and this is what a register keeps of a record."""
        with plugin_guard.watching(self.rule_set.runs_plugin_code):  # derive() of plugins' methods for the id
            return self._kernel()

    def _kernel(self) -> dict[str, Any]:
        rs = self.rule_set
        q = self.questionnaire
        out: dict[str, Any] = {
            "record_format": RECORD_FORMAT,
            "record_id": self.record_id,
            "created_at": self.created_at,
            "engine": {"name": "riskassess", "version": self.engine_version},
            "rule_sets": [{"id": rs.id, "version": rs.version, "sha256": rs.sha256, "source": rs.source},
                          *[{"id": i, "version": v, "sha256": h, "source": s, "extended_by": rs.id}
                            for i, v, h, s in rs.parents]],
            "plugins": [dict(p) for p in self.plugins],
            "questionnaire": {"sha256": q.sha256, "raw_sha256": q.raw_sha256, "source": q.source,
                              "answers": q.answers},
            "digest": self.digest,
        }
        if self.governed is not None:
            out["adjustments"] = record_part(self.governed)
        return out

    def record(self) -> dict[str, Any]:
        """The assessment record (JSON-able, schema: ``riskassess schema record``)."""
        with plugin_guard.watching(self.rule_set.runs_plugin_code):  # derive(), grade() for the range…
            return self._record()

    def _record(self) -> dict[str, Any]:
        rs = self.rule_set
        kernel = self._kernel()
        out = {key: kernel[key] for key in _HEAD}
        out["result"] = {
            "initial_grade": self.initial_grade,
            "post_measure_grade": self.post_measure_grade,
            "provisional": self.provisional,
            "firm": self.firm,
            "range": self.range_dict(),
            "decisive_questions": [self.question_dict(q) for q in self.questions],
            "decision": self.decision,
            "overrides": [_override_dict(o) for o in self.overrides],
            "scoring": self.scoring_dict(),
            "unknowns": self.unknowns,
            "warnings": self.warnings,
            "groups": self.groups_dict(),
            "factors": [_factor_dict(rs, f) for f in self.factors],
        }
        out["digest"] = kernel["digest"]
        out["labels"] = record_labels(rs, self.questionnaire.answers)
        if self.governed is not None:
            out["adjustments"] = kernel["adjustments"]
            out["result"]["adjustments"] = self.adjustment_results
            mark_factors(out["result"]["factors"], self.adjustment_results)
        return out


_HEAD = ("record_format", "record_id", "created_at", "engine", "rule_sets", "plugins", "questionnaire")
"""The record's first keys, in order, as its kernel holds them."""


def _range_of(rs: RuleSet, bounds: tuple[int, int], headline: int) -> dict[str, Any]:
    return {"grade": rs.grades[headline].id, "lowest": rs.grades[bounds[0]].id, "highest": rs.grades[bounds[1]].id,
            "firm": bounds[0] == bounds[1]}


def _plain(value: Any) -> Any:
    """A fact value as JSON: an interval as the approximate answer it stands for."""
    return value.as_answer() if isinstance(value, Interval) else value


def _scored(f: ScoredFactor) -> list[Any]:
    return [f.index, f.probability, f.impact, f.level, None if f.points is None else str(f.points)]


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, (tuple, frozenset)) else value


def _level_dict(rs: RuleSet, f: ScoredFactor | None) -> dict[str, Any] | None:
    if f is None:
        return None
    out: dict[str, Any] = {"probability": f.probability, "impact": f.impact, "level": rs.levels[f.level][0]}
    if f.points is not None:
        out["points"] = str(f.points)
    return out


def _factor_dict(rs: RuleSet, f: FactorResult) -> dict[str, Any]:
    factor = rs.factors[f.index]
    extra: dict[str, Any] = {}
    if factor.guard is not None:
        extra["applicability"] = {"outcome": f.applicability, "policy": factor.unknown_applicability,
                                  "leaves": [leaf.as_dict() for leaf in f.guard_leaves]}
    if factor.group is not None:
        extra["group"] = factor.group
        extra["counted"] = f.counted
    return {
        **extra,
        "id": f.id, "category": factor.category, "title": factor.title.as_dict(), "applies": f.applies,
        "case": f.case, "decided_by_unknown": f.decided_by_unknown, "missing_facts": list(f.missing_facts),
        "initial": _level_dict(rs, f.initial), "post_measure": _level_dict(rs, f.post),
        "measures": list(f.measures), "basis": [dict(b) for b in factor.basis],
        "cases": [{"id": c.id, "outcome": c.outcome, "probability": c.probability, "impact": c.impact,
                   "rule_line": c.rule_line, "leaves": [leaf.as_dict() for leaf in c.leaves]} for c in f.cases],
    }


def _override_dict(o: OverrideResult) -> dict[str, Any]:
    return {"id": o.id, "fired": o.fired, "decided_by_unknown": o.decided_by_unknown, "floor": o.floor,
            "leaves": [leaf.as_dict() for leaf in o.leaves]}


# ----------------------------------------------------------------------------- building


def build_assessment(engine: Engine, rs: RuleSet, q: Questionnaire, outcome: Outcome,
                     governed: Governed | None = None) -> Assessment:
    from .plugins import engine_version
    program = rs.program.approximate() if q.approximate else rs.program
    return Assessment(rs, q, outcome, program.trace(q.evaluation_answers), engine_version(), engine.plugins_for(rs),
                      governed)


def _expand(a: Assessment) -> tuple[tuple[FactorResult, ...], tuple[OverrideResult, ...]]:
    rs, q, outcome = a.rule_set, a.questionnaire, a.outcome
    facts = a.facts
    evidence = q.answers.get("evidence") or {}
    derived_inputs = {path: {inp: answer_at(q.answers, inp) for inp in rs.derived_facts[path].inputs}
                      for path in facts if path in rs.derived_facts}
    leaf_results = [LeafResult(leaf.fact, leaf.op, leaf.operand, leaf.threshold, leaf.missing,
                               _plain(facts[leaf.fact]),
                               _OUTCOME[value], q.line_of(leaf.fact), leaf.line, leaf.status,
                               derived_inputs.get(leaf.fact), evidence.get(leaf.fact))
                    for leaf, value in zip(rs.leaf_order, a.leaf_values, strict=True)]
    post_by_index = {f.index: f for f in outcome.post_factors}
    initial_by_index = {f.index: f for f in outcome.initial_factors}
    scored_by_index = {f.index: f for f in outcome.unadjusted} if outcome.unadjusted else initial_by_index
    effects = _measure_ids(outcome)
    counted_initial = {f.index for f in counted_factors(rs, outcome.initial_factors)}
    nf = len(rs.factors)
    factors = []
    overrides = []
    for r, rule in enumerate(rs.rules):
        offset = rs.program.case_offsets[r]
        outcomes = a.case_values[offset: offset + len(rule.cases)]
        guard = a.guard_values[r]
        taken, hinged = _select(outcomes, rule.on_unknown, guard, rule.guard_policy, rule.assume_case)
        missing = tuple(sorted({path for path in rs.rule_facts[r] if facts[path] is None}))
        case_leaves = rs.case_leaves[r]
        if r < nf:
            factor = rs.factors[r]
            cases = tuple(CaseResult(c.id, _OUTCOME[o], c.probability, c.impact,
                                     tuple(leaf_results[leaf.index] for leaf in leaves), c.line)
                          for c, o, leaves in zip(factor.cases, outcomes, case_leaves, strict=True))
            applies = taken is not None
            if applies != (r in scored_by_index) or (taken is not None and rs.scored[r][taken] != scored_by_index[r]):
                raise AssertionError(f"trace and decide disagree on factor {factor.id}")  # a bug, never input
            factors.append(FactorResult(factor.id, r, applies, factor.cases[taken].id if taken is not None else None,
                                        hinged, missing, initial_by_index.get(r), post_by_index.get(r),
                                        effects.get(r, ()) if applies else (), cases, _OUTCOME[guard],
                                        tuple(leaf_results[leaf.index] for leaf in rs.guard_leaves[r]),
                                        not applies or r in counted_initial))
        else:
            o = rs.overrides[r - nf]
            overrides.append(OverrideResult(o.id, o.index, taken is not None, hinged, rs.grades[o.floor].id,
                                            tuple(leaf_results[leaf.index] for leaf in case_leaves[0])))
    return tuple(factors), tuple(overrides)


def _derive(rs: RuleSet, factors: Sequence[ScoredFactor], answers: Mapping[str, Any], stage: str
            ) -> list[Derivation]:
    factors = counted_factors(rs, factors)
    out = []
    for step in rs.scoring:
        d = step.call("derive", factors, rs.source, method_inputs(rs, step, answers, stage))
        if not isinstance(d, Derivation):
            raise PluginError(tr("scoring method {method!r} (plugin {plugin!r}) derive() returned {kind}, not a "
                                 "riskassess.Derivation", method=step.method, plugin=step.plugin,
                                 kind=type(d).__name__), source=rs.source)
        bad = None if step.plugin.startswith(BUILTIN_PREFIX) else _not_finite(d.steps)
        if bad is not None:
            raise PluginError(tr("scoring method {method!r} (plugin {plugin!r}) wrote {value} in its derivation at "
                                 "{where}; a record holds finite numbers only", method=step.method,
                                 plugin=step.plugin, value=bad[1], where=bad[0]), source=rs.source)
        out.append(d)
    return out


def _not_finite(value: Any, where: str = "steps") -> tuple[str, float] | None:
    """The first NaN or infinity in a derivation (where, value), which JSON cannot hold."""
    if isinstance(value, float) and not math.isfinite(value):
        return where, value
    if isinstance(value, Mapping):
        items: Any = ((f"{where}.{k}", v) for k, v in value.items())
    elif isinstance(value, (list, tuple)):
        items = ((f"{where}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for path, item in items:
        found = _not_finite(item, path)
        if found is not None:
            return found
    return None


def _derivations(a: Assessment) -> dict[str, list[Derivation]]:
    rs, outcome = a.rule_set, a.outcome
    answers = a.questionnaire.evaluation_answers
    initial = _derive(rs, outcome.initial_factors, answers, "initial")
    post = initial if outcome.post_factors is outcome.initial_factors and not reads_answers(rs) else \
        _derive(rs, outcome.post_factors, answers, "post_measure")
    derivations = {"initial": initial, "post_measure": post}
    for stage, grades in (("initial", outcome.initial_by_method), ("post_measure", outcome.post_by_method)):
        for d, g in zip(derivations[stage], grades, strict=True):
            if d.grade != rs.grades[g].id:
                raise PluginError(tr("scoring method {method!r} derives {derived!r} but grades {graded!r} for the "
                                     "same factors", method=d.method, derived=d.grade, graded=rs.grades[g].id),
                                  hint=tr("the plugin is inconsistent"))
    return derivations


def _select(outcomes: Sequence[bool | None], policy: str, guard: bool | None = True,
            guard_policy: str = "assume_no_match", assume_case: int | None = None) -> tuple[int | None, bool]:
    """The case taken under ``policy``, and whether an unknown decided it (mirrors the compiler)."""
    if guard is False:
        return None, False
    if guard is None:
        hinged = False
        for k, value in enumerate(outcomes):
            if value is False:
                continue
            hinged = True
            if guard_policy == "assume_match" or (guard_policy == "if_case_holds" and value is True):
                return k, True
            if guard_policy == "assume_no_match":
                return None, True
        return None, hinged
    hinged = False
    for k, value in enumerate(outcomes):
        if value is True:
            return k, hinged
        if value is None:
            hinged = True
            if policy != "assume_no_match" and (assume_case is None or k == assume_case):
                return k, True
    return None, hinged


def _measure_ids(outcome: Outcome) -> dict[int, tuple[str, ...]]:
    return {fi: ids for fi, (_, _, _, ids) in outcome.effects.items()}
