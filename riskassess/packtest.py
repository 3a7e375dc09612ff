"""``riskassess test``: rule packs carry test cases; run them and report coverage.

A test file (``<pack>/tests/test_*.yaml``; other files there are data such as bases) holds::

    base: base.yaml              # optional questionnaire, relative to the test file
    cases:
      - name: 250 households is a large relocation
        answers: {land: {households_relocated: 250}}    # merged onto base (mappings deep, lists replaced)
        expect:
          factors: {cn.land.relocation_scale: large}     # factor → case id (or true = applies, false = not)
          levels: {cn.land.relocation_scale: significant}       # before measures
          post_levels: {cn.land.relocation_scale: general}      # after measures
          overrides: {cn.override.opposition_majority: false}
          initial_grade: medium
          post_measure_grade: low
          decision: approvable
          provisional: false
          points: {initial: 12, post_measure: 3}         # totals of a `points` method (exact)
          index: {initial: 0.388}                        # value of an `index` method (exact)
          scoring:                                       # any value of any method's derivation
            index:                                       # a scoring method of the pack, by name
              initial: {grade: high, index: 0.8133, band: {high: true}}   # or post_measure:
            fuzzy:
              initial:
                value: {"weighted-average grade (Σ k·μk)": {probability: 4.6683}}
                warnings: ["the probability weights of the groups add up to 1.010, not 1"]
        tolerance: 0.001                                 # optional, also file-wide: ± for scoring numbers
        todo: known gap, tracked in …                    # optional: reported, never fails the run
                                                         # (and reported when it starts to pass)

Under ``scoring.METHOD.STAGE`` (see :class:`DerivationCheck`): ``grade`` is the method's own grade,
``warnings`` exactly its warnings (any order, each in en or zh), ``band``/``rule`` map a grade to whether
its test held, and any other key is a step kind: a mapping below it names one step by label (en or zh),
dimension or group, then keys of the step's value; numbers match within ±0.00005 unless ``tolerance`` says.
Each value asserted counts once in ``CaseOutcome.assertions`` (JUnit ``assertions``).

Coverage counts, over all cases run: each factor seen applying and not applying,
each case of each factor taken, each grade reached (initial or post-measure),
each condition leaf seen true and false.

For a pack that ``extends:`` another, coverage is of what the pack itself adds or replaces —
its own factors and their cases, its own overrides' and factors' conditions, and the grades if it
replaces them — since its parent is tested in its own pack; ``lineage=True`` (``riskassess test
--lineage``) covers the whole lineage, inherited factors included.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import jsonschema

from .assessment import Assessment
from .conditions import OUTCOME_TEXT
from .engine import Engine
from .errors import ErrorText, RiskAssessError, RuleSetError
from .hookspecs import Derivation, Label
from .i18n import Bilingual, Text, tr
from .ruleset import RuleSet
from .schema_problems import schema_problem
from .yamlfile import YamlDocument, dotted, load_yaml


@dataclass
class CaseOutcome:
    name: str
    file: str
    line: int | None
    failures: list[Text] = field(default_factory=list)
    error: Text | None = None
    todo: str | None = None
    seconds: float = 0.0
    assertions: int = 0
    """How many values the case's expectation asserts (a list, such as a vector or the warnings, is one)."""

    @property
    def passed(self) -> bool:
        return not self.failures and self.error is None

    @property
    def counts_as_failure(self) -> bool:
        return not self.passed and self.todo is None

    @property
    def todo_now_passes(self) -> bool:
        return self.passed and self.todo is not None


@dataclass
class Coverage:
    factor_applies: dict[str, set[bool]] = field(default_factory=dict)
    case_taken: dict[tuple[str, str], bool] = field(default_factory=dict)
    grades: dict[str, bool] = field(default_factory=dict)
    leaves: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def empty(cls, rs: RuleSet, lineage: bool = False) -> Coverage:
        """Nothing covered yet of what the pack adds (``lineage``: of the pack and all it extends)."""
        def own(*path: str | int) -> bool:
            return lineage or rs.doc.source_of(path) == rs.source

        cov = cls()
        rules = [(f.index, own("factors", f.index)) for f in rs.factors]
        rules += [(len(rs.factors) + o.index, own("overrides", o.index)) for o in rs.overrides]
        for f in rs.factors:
            if own("factors", f.index):
                cov.factor_applies[f.id] = set()
                cov.case_taken.update({(f.id, c.id): False for c in f.cases})
        if own("grades"):
            cov.grades = {g.id: False for g in rs.grades}
        for r, counted in rules:
            if counted:
                for leaf in (*rs.guard_leaves[r], *(leaf for case in rs.case_leaves[r] for leaf in case)):
                    cov.leaves[leaf.index] = set()
        return cov

    def add(self, a: Assessment) -> None:
        for f in a.factors:
            if f.id in self.factor_applies:
                self.factor_applies[f.id].add(f.applies)
                if f.case is not None:
                    self.case_taken[(f.id, f.case)] = True
        for grade in (a.initial_grade, a.post_measure_grade):
            if grade in self.grades:
                self.grades[grade] = True
        for leaf, value in zip(a.rule_set.leaf_order, a.leaf_values, strict=True):
            if leaf.index in self.leaves:
                self.leaves[leaf.index].add(OUTCOME_TEXT[value])

    def parts(self) -> dict[str, tuple[int, int]]:
        return {
            "factors applying and not applying": (
                sum(len(v & {True, False}) for v in self.factor_applies.values()), 2 * len(self.factor_applies)),
            "cases taken": (sum(self.case_taken.values()), len(self.case_taken)),
            "grades reached": (sum(self.grades.values()), len(self.grades)),
            "leaves true and false": (sum(len(v & {"true", "false"}) for v in self.leaves.values()),
                                      2 * len(self.leaves)),
        }

    def total(self) -> Fraction:
        hit = sum(h for h, _ in self.parts().values())
        of = sum(n for _, n in self.parts().values())
        return Fraction(hit, of) if of else Fraction(1)

    def gaps(self, rs: RuleSet, limit: int = 12) -> list[Text]:
        out = []
        for fid, seen in self.factor_applies.items():
            if True not in seen:
                out.append(tr("factor {id} never applied", id=fid))
            if False not in seen:
                out.append(tr("factor {id} never failed to apply", id=fid))
        out += [tr("case {factor}/{case} never taken", factor=fid, case=cid)
                for (fid, cid), hit in self.case_taken.items() if not hit]
        out += [tr("grade {grade} never reached", grade=g) for g, hit in self.grades.items() if not hit]
        for leaf in rs.leaf_order:
            if leaf.index not in self.leaves:
                continue
            missing = {"true", "false"} - self.leaves[leaf.index]
            if missing:
                out.append(tr("leaf {leaf} (line {line}) never {outcomes}", leaf=leaf.describe(), line=leaf.line,
                              outcomes="/".join(sorted(missing))))
        return out[:limit] + ([tr("… and {count} more", count=len(out) - limit)] if len(out) > limit else [])


@dataclass
class PackTestRun:
    rule_set: RuleSet
    outcomes: list[CaseOutcome]
    coverage: Coverage
    lineage: bool = False
    """Coverage is of the whole lineage, not only of what an extending pack adds."""

    @property
    def coverage_scope(self) -> Text:
        """What the coverage figure is of, for a pack that extends another."""
        if not self.rule_set.parents:
            return tr("the whole pack")
        if self.lineage:
            return tr("{pack} and every pack it extends", pack=self.rule_set.id)
        return tr("what {pack} adds to {parent} (--lineage: the whole lineage)", pack=self.rule_set.id,
                  parent=self.rule_set.parents[0][0])

    @property
    def failed(self) -> list[CaseOutcome]:
        return [o for o in self.outcomes if o.counts_as_failure]

    @property
    def assertions(self) -> int:
        return sum(o.assertions for o in self.outcomes)


def merge(base: Any, patch: Any) -> Any:
    """Deep-merge ``patch`` onto ``base``: mappings merge, everything else is replaced."""
    if isinstance(base, Mapping) and isinstance(patch, Mapping):
        out = dict(base)
        for k, v in patch.items():
            out[k] = merge(base.get(k), v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(patch)


_NUMBER = {"type": "number"}
_STAGES = {"type": "object", "additionalProperties": False,
           "properties": {"initial": _NUMBER, "post_measure": _NUMBER}}
_TOLERANCE = {"type": "number", "minimum": 0}
_GRADE_RESULTS = {"type": "object", "additionalProperties": {"type": "boolean"}}
_DERIVATION = {"type": "object", "properties": {  # any other key is a step kind (checked when the case runs)
    "grade": {"type": "string"},
    "warnings": {"type": "array", "items": {"type": "string"}},
    "band": _GRADE_RESULTS, "rule": _GRADE_RESULTS,
}}
_SCORING = {"type": "object", "additionalProperties": {  # method name → stage → derivation expectations
    "type": "object", "additionalProperties": False,
    "properties": {"initial": _DERIVATION, "post_measure": _DERIVATION}}}
TEST_FILE_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["cases"],
    "properties": {
        "base": {"type": "string"},
        "tolerance": _TOLERANCE,
        "cases": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "expect"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "answers": {"type": "object"},
                "todo": {"type": "string"},
                "tolerance": _TOLERANCE,
                "expect": {"type": "object", "additionalProperties": False, "properties": {
                    "factors": {"type": "object", "additionalProperties": {"type": ["string", "boolean"]}},
                    "levels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "post_levels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "overrides": {"type": "object", "additionalProperties": {"type": "boolean"}},
                    "initial_grade": {"type": "string"},
                    "post_measure_grade": {"type": "string"},
                    "decision": {"type": "string"},
                    "provisional": {"type": "boolean"},
                    "points": _STAGES,
                    "index": _STAGES,
                    "scoring": _SCORING,
                }},
            }}},
    },
}


def pack_directory(pack: Path) -> Path:
    return pack.parent if pack.is_file() else pack


def pack_test_files(pack: Path) -> list[Path]:
    return sorted((pack_directory(pack) / "tests").glob("test_*.yaml"))


def run_pack_tests(engine: Engine, pack: Path, lineage: bool = False) -> PackTestRun:
    """Run every test file of the pack at ``pack`` (a directory or its ruleset.yaml).

    Coverage is of what the pack adds when it extends another, of the whole lineage with ``lineage``.
    """
    rs = engine.rule_set(pack)
    files = pack_test_files(pack)
    if not files:
        raise RuleSetError(tr("no test files found"), source=str(pack_directory(pack) / "tests"),
                           hint=tr("add tests/test_*.yaml next to ruleset.yaml (see `riskassess test --help`)"))
    coverage = Coverage.empty(rs, lineage)
    outcomes: list[CaseOutcome] = []
    for path in files:
        doc = load_yaml(path, error=RuleSetError)
        errors = sorted(jsonschema.Draft202012Validator(TEST_FILE_SCHEMA).iter_errors(doc.data),
                        key=lambda e: [str(p) for p in e.absolute_path])
        if errors:
            raise schema_problem(errors[0], doc, RuleSetError)
        _check_ids(rs, doc)
        base: dict[str, Any] = {}
        if "base" in doc.data:
            base_path = path.parent / doc.data["base"]
            try:
                base = load_yaml(base_path, error=RuleSetError).data
            except RuleSetError as exc:
                raise RuleSetError(tr("base {base!r}: {error}", base=doc.data["base"], error=ErrorText(exc)),
                                   source=str(path), line=doc.line_of(("base",)), field="base") from None
            if not isinstance(base, dict):
                raise RuleSetError(tr("base {base!r} is not a questionnaire mapping", base=doc.data["base"]),
                                   source=str(path), line=doc.line_of(("base",)), field="base")
        for i in range(len(doc.data["cases"])):
            outcomes.append(_run_case(engine, rs, doc, i, base, coverage))
    return PackTestRun(rs, outcomes, coverage, lineage)


def _check_ids(rs: RuleSet, doc: Any) -> None:
    """Every id an expectation names must exist in the pack: a typo is an authoring error, not a failure."""
    levels = {lv for lv, _ in rs.levels}
    grades = set(rs.grade_ids)
    codes = {d.code for table in rs.decisions.values() for d in table.values()}
    overrides = {o.id for o in rs.overrides}

    def fail(message: Text, where: tuple[Any, ...]) -> RuleSetError:
        return RuleSetError(message, source=doc.source, line=doc.line_of(where), field=dotted(where))

    for i, case in enumerate(doc.data["cases"]):
        expect = case["expect"]
        at = ("cases", i, "expect")
        for fid, want in (expect.get("factors") or {}).items():
            if fid not in rs.factor_index:
                raise fail(tr("unknown factor {id!r}", id=fid), (*at, "factors", fid))
            cases = {c.id for c in rs.factors[rs.factor_index[fid]].cases}
            if isinstance(want, str) and want not in cases:
                raise fail(tr("factor {id} has no case {case!r}; its cases: {cases}", id=fid, case=want,
                              cases=sorted(cases)), (*at, "factors", fid))
        for key in ("levels", "post_levels"):
            for fid, want in (expect.get(key) or {}).items():
                if fid not in rs.factor_index:
                    raise fail(tr("unknown factor {id!r}", id=fid), (*at, key, fid))
                if want not in levels:
                    raise fail(tr("unknown level {level!r}; levels: {levels}", level=want,
                                  levels=[lv for lv, _ in rs.levels]), (*at, key, fid))
        for oid in expect.get("overrides") or {}:
            if oid not in overrides:
                raise fail(tr("unknown override {id!r}", id=oid), (*at, "overrides", oid))
        for key in ("initial_grade", "post_measure_grade"):
            if key in expect and expect[key] not in grades:
                raise fail(tr("unknown grade {grade!r}; grades: {grades}", grade=expect[key],
                              grades=list(rs.grade_ids)), (*at, key))
        if "decision" in expect and expect["decision"] not in codes:
            raise fail(tr("unknown decision code {code!r}; codes: {codes}", code=expect["decision"],
                          codes=sorted(codes)), (*at, "decision"))
        _check_scoring_ids(rs, expect.get("scoring") or {}, (*at, "scoring"), fail)


def _check_scoring_ids(rs: RuleSet, scoring: Mapping[str, Any], at: tuple[Any, ...],
                       fail: Callable[[Text, tuple[Any, ...]], RuleSetError]) -> None:
    """The methods an expectation names are the pack's, and the grades it names are the pack's grades."""
    methods = [step.method for step in rs.scoring]
    grades = list(rs.grade_ids)
    for method, stages in scoring.items():
        if method not in methods:
            raise fail(tr("unknown scoring method {method!r}; the pack's methods: {methods}", method=method,
                          methods=methods), (*at, method))
        for stage, want in stages.items():
            where = (*at, method, stage)
            named = [("grade", want["grade"])] if "grade" in want else []
            named += [(kind, grade) for kind in ("band", "rule") for grade in want.get(kind) or {}]
            for key, grade in named:
                if grade not in grades:
                    raise fail(tr("unknown grade {grade!r}; grades: {grades}", grade=grade, grades=grades),
                               (*where, key) if key == "grade" else (*where, key, grade))


def _run_case(engine: Engine, rs: RuleSet, doc: YamlDocument, i: int, base: dict[str, Any],
              coverage: Coverage) -> CaseOutcome:
    case = doc.data["cases"][i]
    line = doc.line_of(("cases", i))
    outcome = CaseOutcome(case["name"], doc.source, line, todo=case.get("todo"),
                          assertions=count_assertions(case["expect"]))
    start = time.perf_counter()
    try:
        answers = merge(base, case.get("answers") or {})
        source = f"{doc.source}:{line} (case {case['name']!r})"
        a = engine.assess(engine.questionnaire(answers, rs, source=source), rs)
    except RiskAssessError as exc:
        outcome.error = ErrorText(exc)
        return outcome
    coverage.add(a)
    outcome.failures = _compare(rs, a, case["expect"])
    check = DerivationCheck(a, case.get("tolerance", doc.data.get("tolerance")),
                            lambda path: doc.line_of(("cases", i, "expect", *path)))
    outcome.failures += check.run(case["expect"].get("scoring") or {})
    outcome.seconds = time.perf_counter() - start
    return outcome


def _compare(rs: RuleSet, a: Assessment, expect: Mapping[str, Any]) -> list[Text]:
    fails: list[Text] = []
    by_id = {f.id: f for f in a.factors}
    not_applying = tr("does not apply")
    for fid, want in (expect.get("factors") or {}).items():
        f = by_id[fid]
        if want is True or want is False:
            if f.applies is not want:
                fails.append(tr("factor {id}: expected {expected}, got {got}", id=fid,
                                expected=tr("applies") if want else not_applying,
                                got=tr("applies (case {case})", case=str(f.case)) if f.applies else not_applying))
        elif f.case != want:
            fails.append(tr("factor {id}: expected case {case}, got {got}", id=fid, case=want,
                            got=f.case or not_applying))
    for key, stage in (("levels", "initial"), ("post_levels", "post")):
        for fid, want in (expect.get(key) or {}).items():
            scored = getattr(by_id[fid], stage)
            got = rs.levels[scored.level][0] if scored is not None else None
            if got != want:
                fails.append(tr("factor {id}: expected post-measure level {level}, got {got}", id=fid, level=want,
                                got=got or not_applying) if stage == "post" else
                             tr("factor {id}: expected level {level}, got {got}", id=fid, level=want,
                                got=got or not_applying))
    fired = {o.id: o.fired for o in a.overrides}
    fired_text = {True: tr("fired"), False: tr("not fired")}
    for oid, want in (expect.get("overrides") or {}).items():
        if fired[oid] is not want:
            fails.append(tr("override {id}: expected {expected}, got {got}", id=oid, expected=fired_text[want],
                            got=fired_text[fired[oid]]))
    for method, step_name in (("points", "total"), ("index", "index")):
        for stage, want in (expect.get(method) or {}).items():
            derivation = next((d for d in a.derivations.get(stage, []) if d.method == method), None)
            step = next((s for s in derivation.steps if s.get("step") == step_name), None) if derivation else None
            if step is None:
                fails.append(tr("{method}.{stage}: no {method} derivation at stage {stage!r}", method=method,
                                stage=stage))
            elif Fraction(step["exact"]) != Fraction(str(want)):
                fails.append(tr("{method}.{stage}: expected {expected}, got {got}", method=method, stage=stage,
                                expected=want, got=step["value"]))
    for key, got in (("initial_grade", a.initial_grade), ("post_measure_grade", a.post_measure_grade),
                     ("decision", (a.decision or {}).get("code")), ("provisional", a.provisional)):
        if key in expect and expect[key] != got:
            fails.append(tr("{key}: expected {expected!r}, got {got!r}", key=key, expected=expect[key], got=got))
    return fails


# --------------------------------------------------------------------------- expect.scoring

DEFAULT_TOLERANCE = "0.00005"
"""Numbers under ``expect.scoring`` match within ±0.00005 unless the file or case sets ``tolerance``: a value
written to 4 decimals matches the method's own, rounded or exact."""

_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?…?")


def count_assertions(expect: Mapping[str, Any]) -> int:
    """How many values an expectation asserts: each entry, each leaf under ``scoring`` (a list is one)."""
    def leaves(want: Any) -> int:
        return sum(leaves(v) for v in want.values()) if isinstance(want, Mapping) else 1

    return sum(sum(leaves(stage) for stages in want.values() for stage in stages.values()) if key == "scoring"
               else len(want) if isinstance(want, Mapping) else 1 for key, want in expect.items())


class DerivationCheck:
    """``expect.scoring`` against an assessment's derivations: one failure per value that differs.

    ``scoring: {METHOD: {initial | post_measure: {…}}}`` holds the method's ``grade``, its ``warnings``
    (exactly these, in any order, each in English or Chinese) and, under any other key, its steps of that
    kind. ``band`` and ``rule`` map a grade to whether its test held (any of them, for a grade with several).
    For any other kind, a mapping key names one of the steps — by its label (en or zh), dimension or group,
    at any depth and in any order — before it names a key of a step's value; the value of the one step left
    is compared: a number within the tolerance (an index or total by its exact value), a string, boolean
    or ``~`` exactly, a list item by item, a mapping by the keys it names.
    """

    def __init__(self, a: Assessment, tolerance: float | None,
                 line_of: Callable[[tuple[Any, ...]], int | None]) -> None:
        self.a = a
        written = DEFAULT_TOLERANCE if tolerance is None else str(tolerance)
        self.tolerance = Fraction(written)
        self.tolerance_text = format(Decimal(written), "f")
        self.line_of = line_of
        self.failures: list[Text] = []

    def run(self, scoring: Mapping[str, Mapping[str, Any]]) -> list[Text]:
        for method, stages in scoring.items():
            for stage, want in stages.items():
                path = ("scoring", method, stage)
                found = next((d for d in self.a.derivations.get(stage, []) if d.method == method), None)
                if found is None:
                    self.fail(path, tr("the {method} method gave no derivation at this stage", method=method))
                else:
                    self.derivation(found, want, path)
        return self.failures

    def fail(self, path: tuple[Any, ...], problem: Text) -> None:
        self.failures.append(tr("{where} (line {line}): {problem}", where=_where(path), line=self.line_of(path),
                                problem=problem))

    def derivation(self, d: Derivation, want: Mapping[str, Any], path: tuple[Any, ...]) -> None:
        for kind, expected in want.items():  # in the order written
            steps = [s for s in d.steps if s.get("step") == kind]
            if kind == "grade":
                if d.grade != expected:
                    self.fail((*path, kind), tr("expected {expected}, got {got}", expected=_show(expected),
                                                got=_show(d.grade)))
            elif kind == "warnings":
                self.warnings(d.warnings, expected, (*path, kind))
            elif not steps:
                self.fail((*path, kind), tr("no {kind!r} step; the {method} derivation has: {kinds}", kind=kind,
                                            method=d.method, kinds=list(dict.fromkeys(str(s.get("step"))
                                                                                      for s in d.steps))))
            elif kind in ("band", "rule"):
                self.tests(steps, expected, (*path, kind))
            else:
                self.select(steps, expected, (*path, kind))

    def warnings(self, got: Sequence[Label], want: Sequence[str], path: tuple[Any, ...]) -> None:
        left = list(got)
        for i, text in enumerate(want):
            match = next((w for w in left if text in (w.en, w.zh)), None)
            if match is None:
                self.fail((*path, i), tr("missing warning {text!r}", text=text))
            else:
                left.remove(match)
        for w in left:
            self.fail(path, tr("unexpected warning {text!r}", text=Bilingual(w.zh, w.en)))

    def tests(self, steps: list[dict[str, Any]], want: Mapping[str, bool], path: tuple[Any, ...]) -> None:
        """``band`` / ``rule``: grade → whether its test held."""
        for grade, held in want.items():
            mine = [s for s in steps if s.get("grade") == grade]
            got = any(s.get("result") is True for s in mine)
            if not mine:
                self.fail((*path, grade), tr("no {kind!r} step for grade {grade!r}", kind=path[-1], grade=grade))
            elif got is not held:
                self.fail((*path, grade), tr("expected {expected}, got {got}", expected=_show(held), got=_show(got)))

    def select(self, steps: list[dict[str, Any]], want: Any, path: tuple[Any, ...]) -> None:
        """Narrow ``steps`` (all of one kind) by the names ``want`` gives, then compare the one left."""
        kind = steps[0].get("step")
        if isinstance(want, Mapping):
            named = {k: [s for s in steps if str(k) in _names(s)] for k in want}
            if len(steps) > 1 or any(named.values()):
                for k, v in want.items():
                    if named[k]:
                        self.select(named[k], v, (*path, k))
                    elif len(steps) == 1:
                        self.key(_step_value(steps[0]), k, v, (*path, k))
                    else:
                        self.fail((*path, k), tr("no {kind!r} step named {name!r}; they are named: {names}",
                                                 kind=kind, name=str(k), names=_describe(steps)))
                return
        if len(steps) > 1:
            self.fail(path, tr("{count} {kind!r} steps here; name one by its label, dimension or group: {names}",
                               count=len(steps), kind=kind, names=_describe(steps)))
        else:
            self.compare(_step_value(steps[0]), want, path)

    def key(self, got: Any, key: Any, want: Any, path: tuple[Any, ...]) -> None:
        for k in (key, str(key)):
            if isinstance(got, Mapping) and k in got:
                self.compare(got[k], want, path)
                return
        self.fail(path, tr("no {key!r} in {got}", key=str(key), got=_show(got)))

    def compare(self, got: Any, want: Any, path: tuple[Any, ...]) -> None:
        if isinstance(want, Mapping) and isinstance(got, Mapping):
            for k, v in want.items():
                self.key(got, k, v, (*path, k))
        elif isinstance(want, list) and isinstance(got, (list, tuple)) and len(got) == len(want):
            for i, (g, w) in enumerate(zip(got, want, strict=True)):
                self.compare(g, w, (*path, i))
        elif isinstance(want, (int, float)) and not isinstance(want, bool):
            number = _number(got)
            if number is None or abs(number - Fraction(str(want))) > self.tolerance:
                self.fail(path, tr("expected {expected} ± {tolerance}, got {got}", expected=want,
                                   tolerance=self.tolerance_text, got=_show(got)) if self.tolerance else
                          tr("expected {expected}, got {got}", expected=want, got=_show(got)))
        elif not _same(got, want):
            self.fail(path, tr("expected {expected}, got {got}", expected=_show(want), got=_show(got)))


def _same(got: Any, want: Any) -> bool:
    """Strings, booleans and ``~`` exactly (a string also matches either text of a {zh, en} label)."""
    if isinstance(want, str) and isinstance(got, Mapping) and set(got) == {"zh", "en"}:
        return want in (got["zh"], got["en"])
    if isinstance(want, bool) or want is None:
        return got is want
    return isinstance(want, str) and got == want


def _step_value(step: Mapping[str, Any]) -> Any:
    """What a step is compared by: a test's result, an index's or total's exact value, else its ``value``."""
    if step.get("step") in ("band", "rule"):
        return step.get("result")
    if isinstance(step.get("exact"), str):
        try:
            return Fraction(step["exact"])
        except ValueError:
            pass
    return step.get("value")


def _number(value: Any) -> Fraction | None:
    """A number, or a decimal the built-in methods write as text (``"0.8"``, ``"0.813333…"``); else ``None``."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Fraction(str(value))
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return Fraction(value.rstrip("…"))
    return None


def _names(step: Mapping[str, Any]) -> set[str]:
    """What a step may be named by: its label (en and zh), dimension and group."""
    label = step.get("label")
    names = {label.get("en"), label.get("zh")} if isinstance(label, Mapping) else {label}
    return {str(n) for n in (*names, step.get("dimension"), step.get("group")) if n is not None}


def _describe(steps: Sequence[Mapping[str, Any]]) -> list[Text]:
    """Each step by its names, for a message: ``label (dimension, group)``."""
    out: dict[str, Text] = {}
    for s in steps:
        label = s.get("label")
        zh, en = (label.get("zh"), label.get("en")) if isinstance(label, Mapping) else (label, label)
        extra = ", ".join(str(s[q]) for q in ("dimension", "group") if s.get(q) is not None)
        texts = [(f"{t}{open_}{extra}{close}" if t and extra else str(t or extra or "?"))
                 for t, open_, close in ((zh, "（", "）"), (en, " (", ")"))]
        out.setdefault(texts[1], Bilingual(texts[0], texts[1]))
    return list(out.values())


def _show(value: Any) -> Any:
    """A value for a message: text quoted, a fraction as a decimal, anything else as flow YAML-like JSON."""
    if isinstance(value, str):
        return tr("{value!r}", value=value)
    if isinstance(value, Fraction):
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
        return text if Fraction(text) == value else f"{text}…"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 160 else text[:159] + "…"


def _where(path: tuple[Any, ...]) -> str:
    """``scoring.fuzzy.initial.value."weighted-average grade (Σ k·μk)".probability``: keys quoted where needed."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
            continue
        name = str(part) if re.fullmatch(r"[\w.\-]+", str(part)) else json.dumps(str(part), ensure_ascii=False)
        text += f".{name}" if text else name
    return text


def junit_xml(run: PackTestRun) -> str:
    cases = []
    for o in run.outcomes:
        attrs = (f"classname={quoteattr(run.rule_set.id)} name={quoteattr(o.name)} time=\"{o.seconds:.4f}\" "
                 f"assertions=\"{o.assertions}\"")
        body = ""
        if o.todo is not None and not o.passed:
            body = f"<skipped message={quoteattr('todo: ' + o.todo)}/>"
        elif o.error is not None:
            body = f"<error message={quoteattr(str(o.error))}/>"
        elif o.failures:
            lines = [str(f) for f in o.failures]  # for CI tools: in English
            body = f"<failure message={quoteattr(lines[0])}>{escape(chr(10).join(lines))}</failure>"
        cases.append(f"  <testcase {attrs}>{body}</testcase>")
    failures = sum(1 for o in run.outcomes if o.failures and o.todo is None)
    errors = sum(1 for o in run.outcomes if o.error and o.todo is None)
    skipped = sum(1 for o in run.outcomes if o.todo is not None and not o.passed)
    head = (f"<testsuite name={quoteattr('riskassess ' + run.rule_set.id)} tests=\"{len(run.outcomes)}\" "
            f"failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" assertions=\"{run.assertions}\">")
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + head + "\n" + "\n".join(cases) + "\n</testsuite>\n"
