"""The unanswered questions that decide a grade, ranked by what answering them could do.

For each fact the rule set reads and the questionnaire leaves unanswered, try the values that
matter to the rules (each operand and its neighbours, each enum value, true and false), re-judge
only the rules that read the fact, and recompute the grade range. A question is decisive when one
answer alone could lower the top of the range or raise its bottom; it ranks by how many grade
steps it could move, post-measure grade first. A derived fact (a survey share) stands for the
answers it is computed from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .approximate import Interval
from .conditions import Leaf, evaluate_open
from .consistency import PART_OF
from .grade_range import GradeRange, contribution, contributions, range_of
from .grading import Effects

if TYPE_CHECKING:
    from .adjustments import LevelPlan
    from .ruleset import RuleSet

@dataclass(frozen=True, slots=True)
class Question:
    """One unanswered fact and the grade ranges its answers could lead to."""

    fact: str
    inputs: tuple[str, ...]
    """The questionnaire answers it stands for (itself, or a derived fact's inputs)."""
    best: GradeRange
    """The range after the most favourable answer to this question alone."""
    worst: GradeRange
    """The range after the least favourable answer to this question alone."""
    best_value: Any
    worst_value: Any
    score: int

    def as_dict(self, rule_set: RuleSet) -> dict[str, Any]:
        g = rule_set.grades
        return {"fact": self.fact, "answers": list(self.inputs),
                "could_lower_to": {"initial": g[self.best.initial[1]].id, "post_measure": g[self.best.post[1]].id,
                                   "if": _jsonable(self.best_value)},
                "could_raise_to": {"initial": g[self.worst.initial[0]].id, "post_measure": g[self.worst.post[0]].id,
                                   "if": _jsonable(self.worst_value)},
                "score": self.score}


def decisive_questions(rule_set: RuleSet, facts: Mapping[str, Any], cases: Sequence[Any], guards: Sequence[Any],
                       effects: Effects, current: GradeRange, answers: Mapping[str, Any] | None = None,
                       adjust: LevelPlan | None = None) -> list[Question]:
    """Every unanswered fact that alone could narrow ``current``, most decisive first (``adjust``: the
    levels adjustments in force fix, so a question that only moves an adjusted level decides nothing)."""
    if current.firm:
        return []
    readers = rule_set.readers
    base = contributions(rule_set, cases, guards)
    # Many answers change the rules they reach the same way: grade each distinct change once.
    seen: dict[tuple[Any, ...], GradeRange] = {}
    out = []
    for order, (fact, rules) in enumerate(readers.items()):
        known = facts.get(fact)
        if known is not None and not isinstance(known, Interval):
            continue
        if all(guards[r] is False for r in rules):
            continue  # every rule reading it is ruled out by other answers
        results = []
        trial_cases, trial_guards = list(cases), list(guards)
        for value in candidates(rule_set, fact):
            if isinstance(known, Interval) and not known.contains(value):
                continue  # an approximate answer is narrowed, not contradicted
            if not _consistent(fact, value, facts):
                continue  # an answer the owner could not give alongside the others
            probe = {**facts, fact: value}
            for r in rules:
                _rejudge(rule_set, r, probe, trial_cases, trial_guards)
            changed = tuple((r, c) for r in rules
                            if (c := contribution(rule_set, r, trial_cases, trial_guards)) != base[r])
            found = current if not changed else seen.get(changed)
            if found is None:
                trial = list(base)
                for r, c in changed:
                    trial[r] = c
                found = seen[changed] = range_of(rule_set, trial, effects, answers, adjust)
            results.append((found, value))
        if not results:
            continue
        best, best_value = min(results, key=lambda rv: (rv[0].post[1], rv[0].initial[1], rv[0].post[0],
                                                         rv[0].initial[0], not _baseline(rv[1])))
        worst, worst_value = max(results, key=lambda rv: (rv[0].post[0], rv[0].initial[0], rv[0].post[1],
                                                          rv[0].initial[1]))
        post_moves = (current.post[1] - best.post[1]) + (worst.post[0] - current.post[0])
        initial_moves = (current.initial[1] - best.initial[1]) + (worst.initial[0] - current.initial[0])
        score = post_moves * 10 + initial_moves
        if score > 0:
            derived = rule_set.derived_facts.get(fact)
            inputs = tuple(derived.inputs) if derived else (fact,)
            out.append((score, -order, Question(fact, inputs, best, worst, best_value, worst_value, score)))
    out.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [q for _, _, q in out]


def _consistent(fact: str, value: Any, facts: Mapping[str, Any]) -> bool:
    """False for a suggested answer that contradicts a given one (a part larger than its whole)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return True
    whole = PART_OF.get(fact)
    if whole is not None:
        limit = facts.get(whole)
        high = limit.high if isinstance(limit, Interval) else limit
        if high is not None and value > high:
            return False
    for part, of in PART_OF.items():
        if of == fact:
            given = facts.get(part)
            low = given.low if isinstance(given, Interval) else given
            if low is not None and value < low:
                return False
    return True


def _baseline(value: Any) -> bool:
    """Zero, false, empty or none: among equally good answers, the plainest one is suggested."""
    return value in (0, False, [], "none") and not (value == 0 and value is True)


def _rejudge(rule_set: RuleSet, r: int, facts: Mapping[str, Any], cases: list[Any], guards: list[Any]) -> None:
    rule = rule_set.rules[r]
    offset = rule_set.program.case_offsets[r]
    ops = rule_set.operators
    for k, case in enumerate(rule.cases):
        cases[offset + k] = evaluate_open(case, facts, ops)
    if rule.guard is not None:
        guards[r] = evaluate_open(rule.guard, facts, ops)


def candidates(rule_set: RuleSet, fact: str) -> list[Any]:
    """Answers that could matter to the rules reading ``fact``: one per region the operands cut out."""
    ftype = rule_set.catalogue.fact_type(fact)
    leaves = [leaf for leaf in rule_set.leaf_order if leaf.fact == fact]
    if ftype is None:
        return []
    if ftype.kind == "boolean":
        return [True, False]
    if ftype.kind == "array":
        items = list(ftype.enum or _operands(leaves))
        return [[], *([item] for item in items), items]
    if ftype.enum:
        return list(ftype.enum)
    if ftype.kind in ("integer", "number"):
        return _numbers(leaves, ftype.kind == "integer", ftype.minimum, ftype.maximum)
    return list(dict.fromkeys(_operands(leaves)))


def _operands(leaves: Iterable[Leaf]) -> list[Any]:
    out: list[Any] = []
    for leaf in leaves:
        values = leaf.operand if isinstance(leaf.operand, tuple) else (leaf.operand,)
        out.extend(v for v in values if isinstance(v, (str, int, float)) and not isinstance(v, bool))
    return out


def _numbers(leaves: Iterable[Leaf], integer: bool, lo: float | None, hi: float | None) -> list[Any]:
    """Each operand and its neighbours, in the rules' order (so a suggested answer sits at a threshold,
    not at an extreme), then 0. Shares step by 0.001, other numbers by 0.01: answers an owner could write."""
    step = 1 if integer else (0.001 if hi is not None and hi <= 1 else 0.01)
    points: list[float] = []
    for v in _operands(leaves):
        if isinstance(v, (int, float)):
            points += [v, v - step, v + step]
    points.append(0)
    out: list[Any] = []
    for v in points:
        if integer:
            v = int(v) if float(v).is_integer() else None
        elif isinstance(v, float):
            v = round(v, 6)
        if v is None or (lo is not None and v < lo) or (hi is not None and v > hi) or v in out:
            continue
        out.append(v)
    return out


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def all_answered(rule_set: RuleSet, facts: Mapping[str, Any], cases: Sequence[Any], guards: Sequence[Any],
                 effects: Effects, questions: Sequence[Question], answers: Mapping[str, Any] | None = None,
                 adjust: LevelPlan | None = None) -> GradeRange:
    """The range once every question is answered its most favourable way: what answering them all can
    settle when no single answer can (several facts may each make the grade high)."""
    probe = {**facts, **{q.fact: q.best_value for q in questions}}
    trial_cases, trial_guards = list(cases), list(guards)
    rules = sorted({r for q in questions for r in rule_set.readers[q.fact]})
    for r in rules:
        _rejudge(rule_set, r, probe, trial_cases, trial_guards)
    return range_of(rule_set, contributions(rule_set, trial_cases, trial_guards), effects, answers, adjust)
