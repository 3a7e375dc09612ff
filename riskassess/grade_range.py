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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .grading import Effects, after_measures, overall
from .hookspecs import ScoredFactor

if TYPE_CHECKING:
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


def grade_range(rule_set: RuleSet, cases: Sequence[Any], guards: Sequence[Any], effects: Effects) -> GradeRange:
    """The range from open-world outcomes (see :func:`possible_outcomes`) and the counted measures."""
    low: list[ScoredFactor] = []
    high: list[ScoredFactor] = []
    floor_low = floor_high = 0
    nf = len(rule_set.factors)
    offsets = rule_set.program.case_offsets
    grid = rule_set.grid
    risk_points = rule_set.points_mean_risk
    for r, rule in enumerate(rule_set.rules):
        guard = guards[r]
        if guard is False:
            continue
        offset = offsets[r]
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
            continue
        if r >= nf:
            floor = rule_set.overrides[r - nf].floor
            floor_high = max(floor_high, floor)
            if not none_possible:
                floor_low = max(floor_low, floor)
            continue
        payloads = rule.payloads
        if len(possible) == 1:
            high.append(payloads[possible[0]])
            if not none_possible:
                low.append(payloads[possible[0]])
            continue
        options = [payloads[k] for k in possible]
        high.append(_bound(options, max, grid, risk_points))
        if not none_possible:
            low.append(_bound(options, min, grid, risk_points))
    initial = (overall(rule_set, low, floor_low), overall(rule_set, high, floor_high))
    if not effects:
        return GradeRange(initial, initial)
    post = (overall(rule_set, after_measures(rule_set, low, effects), floor_low),
            overall(rule_set, after_measures(rule_set, high, effects), floor_high))
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
