"""Fuzzy comprehensive evaluation (模糊综合评价): membership vectors weighted up a hierarchy.

Each expert-judged item has a membership vector over ``m`` grades (the share of experts who put it in
each grade, 1 = lowest). A group's vector is the weighted sum of its items' vectors (the ``M(·, ⊕)``
operator of the Chinese literature: ``B = W · R``), the overall vector the weighted sum of the
groups'. Two readings of a vector: the weighted average ``Σ k·μ_k`` (a scalar index on 1 … m) and the
maximum-membership grade ``argmax μ_k``.
"""

from __future__ import annotations

from collections.abc import Sequence


def weighted_sum(weights: Sequence[float], vectors: Sequence[Sequence[float]]) -> tuple[float, ...]:
    """``Σ w_i · r_i``, element by element."""
    m = len(vectors[0])
    return tuple(sum(w * v[k] for w, v in zip(weights, vectors, strict=True)) for k in range(m))


def weighted_average(vector: Sequence[float]) -> float:
    """The index ``Σ k · μ_k`` with grades numbered from 1."""
    return sum((k + 1) * mu for k, mu in enumerate(vector))


def maximum_membership(vector: Sequence[float]) -> int:
    """The grade (from 1) with the largest membership; the lower grade on a tie."""
    best = max(vector)
    return next(k + 1 for k, mu in enumerate(vector) if mu == best)


def off_by(values: Sequence[float]) -> float:
    """How far ``values`` sum from 1."""
    return sum(values) - 1.0
