"""Check that riskassess grades the peer benchmark exactly like the peers' reference.

    python benchmarks/check_equivalence.py [--n 10000] [--seed 20240601] [--trace-sample 500]

For every generated questionnaire, ``riskassess.decide(rule_set, q)`` on the
translated rule set must give the same matched factors and grade as
``ref_python.build(spec).evaluate(q)``. On a sample, the full path
(``Engine.questionnaire`` validation + ``Engine.assess``) must agree too, its
index derivation must equal the spec's ``N / (25 W)`` exactly, and a variant of
the rule set with ``missing: "false"`` on every leaf (instead of in ``defaults``)
must agree. Exit status 1 on any mismatch; each one is printed (first 10 per check).

Afterwards report-only edge probes show what happens on inputs outside the
generator's contract (unvalidated hot path vs. validated path).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import spec_to_ruleset as s2r

s2r.ensure_riskassess_importable()

import riskassess  # noqa: E402
from riskassess.engine import decide  # noqa: E402

MAX_SHOWN = 10


def _got(outcome: riskassess.Outcome) -> tuple[tuple[str, ...], str]:
    return tuple(s2r.original_id(f) for f in outcome.matched), outcome.initial_grade


class Checker:
    """Collects mismatches per named check."""

    def __init__(self) -> None:
        self.failures: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def check(self, name: str, q: Mapping[str, Any], expected: Any, got: Any, detail: str = "") -> None:
        self.counts[name] = self.counts.get(name, 0) + 1
        if expected == got:
            return
        n = self.failures[name] = self.failures.get(name, 0) + 1
        if n <= MAX_SHOWN:
            print(f"  MISMATCH [{name}] {q.get('id', '?')}\n    expected {expected}\n    got      {got}"
                  + (f"\n    {detail}" if detail else "")
                  + f"\n    questionnaire {json.dumps(q, ensure_ascii=False, sort_keys=True)}")

    def summary(self) -> bool:
        ok = True
        for name, n in self.counts.items():
            bad = self.failures.get(name, 0)
            ok &= not bad
            print(f"  {name:44s} {'OK' if not bad else f'{bad} MISMATCHES':>14s} on {n}")
        return ok


def _index_value(assessment: riskassess.Assessment) -> Fraction | None:
    for d in assessment.derivations["initial"]:
        if d.method == "index":
            for step in d.steps:
                if step.get("step") == "index":
                    return Fraction(step["exact"])
    return None


def load(doc: Mapping[str, Any], directory: Path, name: str) -> tuple[riskassess.Engine, riskassess.RuleSet]:
    """Write ``doc`` and load it with a fresh Engine through the real loader."""
    engine = riskassess.Engine()
    return engine, engine.rule_set(s2r.write_rule_set(doc, directory, name))


def edge_probes(base: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(label, questionnaire) variants of ``base`` outside the generator's contract."""
    out = []

    def variant(label: str, change: Callable[[dict[str, Any]], Any]) -> None:
        q = copy.deepcopy(dict(base))
        change(q)
        out.append((label, q))

    variant("whole section missing (no 'public')", lambda q: q.pop("public"))
    variant("section null (public: null)", lambda q: q.update(public=None))
    variant("bool given as 0 (approvals_complete = 0)", lambda q: q["governance"].update(approvals_complete=0))
    variant("number as string (households_relocated = '250')",
            lambda q: q["land"].update(households_relocated="250"))
    variant("float in an int field (households_relocated = 250.0)",
            lambda q: q["land"].update(households_relocated=250.0))
    variant("int in a float field (area_mu = 1200)", lambda q: q["land"].update(area_mu=1200))
    variant("float artefact (opposition = 1 - 0.8)",
            lambda q: q["public"].update(survey_opposition_rate=1 - 0.8, survey_support_rate=0.8))
    variant("NaN (noise_db_day = nan)", lambda q: q["environment"].update(noise_db_day=float("nan")))
    variant("infinity (investment = inf)", lambda q: q["project"].update(investment_million_cny=float("inf")))
    variant("list where an enum is expected (nimby_type = ['landfill'])",
            lambda q: q["environment"].update(nimby_type=["landfill"]))
    variant("section is a list (labor = [1])", lambda q: q.update(labor=[1]))
    return out


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:160]}"


def run_probes(engine: riskassess.Engine, rs: riskassess.RuleSet, ref: Any, base: Mapping[str, Any]) -> None:
    """Print, per probe, ref_python vs. decide (unvalidated) vs. questionnaire + assess + record_id."""
    print("\nEdge probes (report only; inputs outside the generator's contract):")
    for label, q in edge_probes(base):
        try:
            exp = ref.evaluate(q)
            ref_txt = f"{exp.grade}, {len(exp.matched)} matched"
        except Exception as exc:
            exp, ref_txt = None, f"error {type(exc).__name__}"
        try:
            matched, grade = _got(decide(rs, q))
            diff = ""
            if exp is not None and (matched, grade) != (exp.matched, exp.grade):
                plus = sorted(set(matched) - set(exp.matched))
                minus = sorted(set(exp.matched) - set(matched))
                diff = f"  DIFFERS from ref_python: +{plus} -{minus}"
            dec_txt = f"{grade}, {len(matched)} matched{diff}"
        except Exception as exc:
            dec_txt = f"error {_short(exc)}"
        try:
            a = engine.assess(engine.questionnaire(s2r.questionnaire_data(q), rs), rs)
            full_txt = f"{a.initial_grade}, record {a.record_id[:19]}…"
        except riskassess.RiskAssessError as exc:
            full_txt = f"refused ({type(exc).__name__}): {str(exc).splitlines()[0][:140]}"
        except Exception as exc:
            full_txt = f"UNEXPECTED {_short(exc)} (not a RiskAssessError)"
        print(f"- {label}\n    ref_python:            {ref_txt}\n    decide (unvalidated):  {dec_txt}"
              f"\n    questionnaire+assess:  {full_txt}")


def main(argv: list[str] | None = None) -> int:
    """Run the equivalence checks; 0 when riskassess agrees everywhere, 1 otherwise."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="generated questionnaires (decide path)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--trace-sample", type=int, default=500, help="questionnaires for the full assess path")
    ap.add_argument("--no-probes", action="store_true")
    a = ap.parse_args(argv)

    spec = s2r.load_spec()
    ref_python, gen = s2r.import_peers("ref_python", "gen_questionnaires")
    ref = ref_python.build(spec)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="riskassess-bench-") as tmp:
        engine, rs = load(s2r.translate(spec), Path(tmp), "ruleset.yaml")
        _, rs_leaf = load(s2r.translate(spec, leaf_missing=True), Path(tmp), "ruleset-leaf-missing.yaml")
    qs = gen.generate(a.n, a.seed, spec)
    expected = [ref.evaluate(q) for q in qs]
    grades: dict[str, int] = {}
    for r in expected:
        grades[r.grade] = grades.get(r.grade, 0) + 1
    print(f"peers: {s2r.peers_dir()}\n{a.n} questionnaires (seed {a.seed}); reference grades {grades}; "
          f"mean matched {sum(len(r.matched) for r in expected) / max(a.n, 1):.1f}; "
          f"rule set {rs.id} with {len(rs.factors)} factors")

    chk = Checker()
    for q, exp in zip(qs, expected, strict=True):
        try:
            out = decide(rs, q)
            got: Any = _got(out)
            if out.post_measure_grade != out.initial_grade or out.provisional:
                got = (*got, "post/provisional differ")
        except Exception as exc:
            got = f"error {_short(exc)}"
        chk.check("decide: matched + grade", q, (exp.matched, exp.grade), got)

    step = max(1, a.n // max(a.trace_sample, 1))
    sample = list(zip(qs, expected, strict=True))[::step][: a.trace_sample]
    for q, exp in sample:
        want = (exp.matched, exp.grade)
        try:
            qq = engine.questionnaire(s2r.questionnaire_data(q), rs)
            ass = engine.assess(qq, rs)
            got = (tuple(s2r.original_id(f.id) for f in ass.factors if f.applies), ass.initial_grade)
            chk.check("assess: matched + grade", q, want, got)
            chk.check("assess: index R == N/(25W) exactly", q,
                      Fraction(exp.n, 25 * exp.w) if exp.w else Fraction(0), _index_value(ass))
            rid = ass.record_id
            record = json.loads(json.dumps(ass.record(), ensure_ascii=False))
            chk.check("assess: record() carries record_id", q, rid, record.get("record_id"))
            chk.check("assess: decision is the default table's", q, True,
                      (ass.decision or {}).get("grade") == exp.grade)
        except Exception as exc:
            chk.check("assess: matched + grade", q, want, f"error {_short(exc)}")
        try:
            chk.check("leaf-level missing: matched + grade", q, want, _got(decide(rs_leaf, q)))
        except Exception as exc:
            chk.check("leaf-level missing: matched + grade", q, want, f"error {_short(exc)}")

    print(f"\nresults ({time.perf_counter() - t0:.1f}s):")
    ok = chk.summary()
    if not a.no_probes:
        base = next(q for q in qs if q["land"].get("households_relocated", 0) >= 50)
        run_probes(engine, rs, ref, base)
    print("\nriskassess is equivalent to ref_python on the generated set" if ok else "\nFAILED: see mismatches above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
