"""Which applicable factors count towards a grade: a factor group counts once.

Several factors can measure one underlying fact (one land taking seen as households moved,
collective land, persons affected, basic farmland). A rule set declares them as a group, and the
group counts as one factor: at the highest probability and the highest impact any applicable
member reaches, with the weight of its heaviest member (whose id it carries). Taking each maximum
on its own keeps every built-in method monotone — a riskier answer can only raise what counts, and
a measure that lowers one member can only lower it — which choosing one member could not guarantee
once members differ in weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .hookspecs import ScoredFactor

if TYPE_CHECKING:
    from .ruleset import RuleSet


def counted_factors(rule_set: RuleSet, factors: Sequence[ScoredFactor]) -> list[ScoredFactor]:
    """``factors`` with each group's members replaced by the group's one counted factor, in rule-set order."""
    if not rule_set.has_groups:
        return list(factors)
    group_of = rule_set.group_of
    members: dict[str, list[ScoredFactor]] = {}
    for f in factors:
        g = group_of[f.index]
        if g is not None:
            members.setdefault(g, []).append(f)
    out = []
    for f in factors:
        g = group_of[f.index]
        if g is None:
            out.append(f)
        elif members[g][0] is f:
            out.append(f if len(members[g]) == 1 else representative(rule_set, members[g]))
    return out


def representative(rule_set: RuleSet, members: Sequence[ScoredFactor]) -> ScoredFactor:
    """The one factor a group counts as: highest probability, highest impact, heaviest member's id."""
    weights = rule_set.factor_weights
    heaviest = max(members, key=lambda f: weights[f.index])  # the first of equals
    p = max(f.probability for f in members)
    i = max(f.impact for f in members)
    points = [f.points for f in members if f.points is not None]
    best = (max(points) if rule_set.points_mean_risk else min(points)) if points else None
    return ScoredFactor(heaviest.index, p, i, rule_set.grid[p - 1][i - 1], best)
