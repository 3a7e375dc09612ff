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
        todo: known gap, tracked in …                    # optional: reported, never fails the run
                                                         # (and reported when it starts to pass)

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
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import jsonschema

from .assessment import Assessment
from .conditions import OUTCOME_TEXT
from .engine import Engine
from .errors import ErrorText, RiskAssessError, RuleSetError
from .i18n import Text, tr
from .ruleset import RuleSet
from .schema_problems import schema_problem
from .yamlfile import dotted, load_yaml


@dataclass
class CaseOutcome:
    name: str
    file: str
    line: int | None
    failures: list[Text] = field(default_factory=list)
    error: Text | None = None
    todo: str | None = None
    seconds: float = 0.0

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
TEST_FILE_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["cases"],
    "properties": {
        "base": {"type": "string"},
        "cases": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "expect"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "answers": {"type": "object"},
                "todo": {"type": "string"},
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
        for i, case in enumerate(doc.data["cases"]):
            outcomes.append(_run_case(engine, rs, path, doc.line_of(("cases", i)), case, base, coverage))
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


def _run_case(engine: Engine, rs: RuleSet, path: Path, line: int | None, case: dict[str, Any],
              base: dict[str, Any], coverage: Coverage) -> CaseOutcome:
    outcome = CaseOutcome(case["name"], str(path), line, todo=case.get("todo"))
    start = time.perf_counter()
    try:
        answers = merge(base, case.get("answers") or {})
        source = f"{path}:{line} (case {case['name']!r})"
        a = engine.assess(engine.questionnaire(answers, rs, source=source), rs)
    except RiskAssessError as exc:
        outcome.error = ErrorText(exc)
        return outcome
    coverage.add(a)
    outcome.failures = _compare(rs, a, case["expect"])
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


def junit_xml(run: PackTestRun) -> str:
    cases = []
    for o in run.outcomes:
        attrs = f"classname={quoteattr(run.rule_set.id)} name={quoteattr(o.name)} time=\"{o.seconds:.4f}\""
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
            f"failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">")
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + head + "\n" + "\n".join(cases) + "\n</testsuite>\n"
