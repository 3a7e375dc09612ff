"""The grades a questionnaire could still get once its unknown answers are given.

The headline grade (:func:`riskassess.engine.decide`) reads each missing answer as the rule
set declares. This module asks what the missing answers could do instead. In the open world
(:attr:`Program.possible`) every case and precondition is true, false or unknown; a factor can
then take any case not known false up to the first known true one, or none if no case is known
true. The most favourable completion takes, for every factor, the weakest of its possible cases
(none where none is possible) and fires only the overrides known to fire; the least favourable
takes the strongest and fires every override that may fire.

The bounds are sound because grading is monotone — stronger factors and more of them never lower
a grade (built-in methods are; the matrix is checked monotone at load) — and they narrow as
answers are given, since an answer only turns unknowns into true or false. They can be wider
than the truth when two conditions read one answer in opposite directions: then the range says
"could be", never less than what answering could give.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .grading import Effects, after_measures, overall, reads_answers
from .hookspecs import ScoredFactor

if TYPE_CHECKING:
    from .adjustments import LevelPlan
    from .engine import Outcome
    from .ruleset import RuleSet


@dataclass(frozen=True, slots=True)
class GradeRange:
    """Lowest and highest grade index, before (``initial``) and after measures (``post``)."""

    initial: tuple[int, int]
    post: tuple[int, int]

    @property
    def firm(self) -> bool:
        """True when no completion of the unknown answers could change either grade."""
        return self.initial[0] == self.initial[1] and self.post[0] == self.post[1]


def possible_outcomes(rule_set: RuleSet, answers: Any) -> tuple[list[Any], list[Any]]:
    """The open-world case and guard outcomes, as lists a caller may change in place."""
    program = rule_set.program
    assert program.possible is not None
    cases, guards = program.possible(answers)
    return list(cases), list(guards)


#: What one rule contributes to the range: (weakest factor or None, strongest or None, floor if it must fire,
#: floor if it may fire); for a factor the floors are 0, for an override the factors are None.
Contribution = tuple[ScoredFactor | None, ScoredFactor | None, int, int]
_NOTHING: Contribution = (None, None, 0, 0)


def grade_range(rule_set: RuleSet, cases: Sequence[Any], guards: Sequence[Any], effects: Effects,
                outcome: Outcome | None = None, answers: Mapping[str, Any] | None = None,
                adjust: LevelPlan | None = None) -> GradeRange:
    """The range from open-world outcomes (see :func:`possible_outcomes`) and the counted measures.

    With the headline ``outcome``, only the rules an unknown touches are worked out: every other
    rule is settled, and the headline already holds what it contributes. ``adjust``: the levels
    adjustments in force set, which every completion shares (an adjusted level is fixed).
    """
    if outcome is None:
        return range_of(rule_set, contributions(rule_set, cases, guards), effects, answers, adjust)
    case_rule = rule_set.case_rule
    uncertain = {case_rule[k] for k, v in enumerate(cases) if v is None}
    uncertain.update(r for r, g in enumerate(guards) if g is None)
    nf = len(rule_set.factors)
    parts: list[Contribution] = [contribution(rule_set, r, cases, guards) for r in sorted(uncertain)]
    parts += [(f, f, 0, 0) for f in outcome.initial_factors if f.index not in uncertain]
    overrides = rule_set.overrides
    parts += [(None, None, overrides[o].floor, overrides[o].floor) for o in outcome.fired_overrides
              if nf + o not in uncertain]
    return range_of(rule_set, parts or [_NOTHING], effects, answers, adjust)


def contributions(rule_set: RuleSet, cases: Sequence[Any], guards: Sequence[Any]) -> list[Contribution]:
    return [contribution(rule_set, r, cases, guards) for r in range(len(rule_set.rules))]


def contribution(rule_set: RuleSet, r: int, cases: Sequence[Any], guards: Sequence[Any]) -> Contribution:
    """What rule ``r`` can add to the most and the least favourable completion."""
    guard = guards[r]
    if guard is False:
        return _NOTHING
    rule = rule_set.rules[r]
    offset = rule_set.program.case_offsets[r]
    possible = []
    none_possible = True
    for k in range(len(rule.cases)):
        value = cases[offset + k]
        if value is False:
            continue
        possible.append(k)
        if value is True and guard is True:
            none_possible = False
            break
    if not possible:
        return _NOTHING
    nf = len(rule_set.factors)
    if r >= nf:
        floor = rule_set.overrides[r - nf].floor
        return None, None, 0 if none_possible else floor, floor
    payloads = rule.payloads
    if len(possible) == 1:
        only = payloads[possible[0]]
        return None if none_possible else only, only, 0, 0
    options = [payloads[k] for k in possible]
    high = _bound(options, max, rule_set.grid, rule_set.points_mean_risk)
    return None if none_possible else _bound(options, min, rule_set.grid, rule_set.points_mean_risk), high, 0, 0


def range_of(rule_set: RuleSet, parts: Sequence[Contribution], effects: Effects,
             answers: Mapping[str, Any] | None = None, adjust: LevelPlan | None = None) -> GradeRange:
    """Grade the weakest and the strongest completion, before and after measures (``answers`` for the
    scoring methods that grade from answers besides the factors).

    An adjusted factor is at its adjusted level in both, wherever it applies: setting a level keeps
    grading monotone, so the bounds stay sound.
    """
    low = [c[0] for c in parts if c[0] is not None]
    high = [c[1] for c in parts if c[1] is not None]
    if adjust is not None:
        low, high = adjust.apply(rule_set, low, "initial"), adjust.apply(rule_set, high, "initial")
    floor_low = max(c[2] for c in parts)
    floor_high = max(c[3] for c in parts)
    same = floor_low == floor_high and low == high
    lowest = overall(rule_set, low, floor_low, answers, "initial")
    initial = (lowest, lowest if same else overall(rule_set, high, floor_high, answers, "initial"))
    if not effects and not reads_answers(rule_set) and (adjust is None or not adjust.post):
        return GradeRange(initial, initial)
    low, high = after_measures(rule_set, low, effects), after_measures(rule_set, high, effects)
    if adjust is not None:
        low, high = adjust.apply(rule_set, low, "post_measure"), adjust.apply(rule_set, high, "post_measure")
    lowest = overall(rule_set, low, floor_low, answers, "post_measure")
    post = (lowest, lowest if same else overall(rule_set, high, floor_high, answers, "post_measure"))
    return GradeRange(initial, post)


def _bound(options: list[ScoredFactor], pick: Any, grid: Any, risk_points: bool) -> ScoredFactor:
    """A factor at least as strong (``max``) or as weak (``min``) as every option, level by level."""
    p = pick(o.probability for o in options)
    i = pick(o.impact for o in options)
    points = [o.points for o in options if o.points is not None]
    chosen = None
    if points:
        # More risk points are riskier; more achieved points are safer.
        chosen = pick(points) if risk_points else (min(points) if pick is max else max(points))
    return ScoredFactor(options[0].index, p, i, grid[p - 1][i - 1], chosen)
