"""Which applicable factors count towards a grade: one per factor group.

Several factors can measure one underlying fact (one land taking seen as households moved,
collective land, persons affected, basic farmland). A rule set declares them as a group; only
the strongest of the group counts, so the fact is not counted four times. Taking the strongest
keeps grading monotone: a riskier answer can only raise what counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .hookspecs import ScoredFactor

if TYPE_CHECKING:
    from .ruleset import RuleSet


def strength(f: ScoredFactor) -> tuple[int, int, int, int]:
    """Order of factors within a group: level, then P×I, then probability (ties: the first listed)."""
    return f.level, f.probability * f.impact, f.probability, f.impact


def counted_factors(rule_set: RuleSet, factors: Sequence[ScoredFactor]) -> list[ScoredFactor]:
    """``factors`` less those outranked by another factor of their group, in rule-set order."""
    group_of = rule_set.group_of
    if not rule_set.has_groups:
        return list(factors)
    best: dict[str, ScoredFactor] = {}
    for f in factors:
        g = group_of[f.index]
        if g is not None and (g not in best or strength(f) > strength(best[g])):
            best[g] = f
    return [f for f in factors if (g := group_of[f.index]) is None or best[g] is f]
