"""What each field of an assessment record is to ``verify``: the one place that says so.

Every field of a record is one of three things:

* **covered by the id** (:data:`COVERED_BY_ID`): the record id hashes the ``digest``, and ``verify`` takes
  every part of the digest the readable record also states from the readable record (see
  :func:`riskassess.verify.content_id`), so editing either side changes the id;
* **re-derived and compared** (:data:`RE_DERIVED`): a function of what the id covers (the answers and the
  rule set fixed by its SHA-256); ``verify`` re-evaluates and compares them field by field, so an edit
  is named as a difference;
* **presentation** (:data:`PRESENTATION`): where the inputs were and when the record was written. Nothing
  checks them; editing them leaves a record that verifies.

A path is dotted; ``[]`` stands for any item of a list. The README shows :data:`PRESENTATION` (a test keeps
the two equal).
"""

from __future__ import annotations

from collections.abc import Sequence

PRESENTATION: tuple[str, ...] = (
    "created_at",
    "rule_sets[].source",
    "questionnaire.source",
    "questionnaire.raw_sha256",
    "adjustments.source",
    "result.factors[].cases[].rule_line",
    "result.factors[].cases[].leaves[].answer_line",
    "result.factors[].cases[].leaves[].rule_line",
    "result.factors[].applicability.leaves[].answer_line",
    "result.factors[].applicability.leaves[].rule_line",
    "result.overrides[].leaves[].answer_line",
    "result.overrides[].leaves[].rule_line",
    "result.adjustments[].line",
    "signature",
)
"""Fields nothing checks: file paths, line numbers, the raw file's hash, the creation time, and the signature
(which signs the id and is checked by ``verify --key``, not by re-evaluation)."""

COVERED_BY_ID: tuple[str, ...] = (
    "record_format", "record_id", "engine", "rule_sets[].id", "rule_sets[].version", "rule_sets[].sha256",
    "rule_sets[].extended_by", "plugins", "questionnaire.sha256", "questionnaire.answers", "adjustments.as_of",
    "adjustments.sha256", "adjustments.given", "digest",
)
"""Fields the id covers (``rule_sets[].extended_by``: each parent names the rule set first in the list,
which the reader checks)."""

RE_DERIVED: tuple[str, ...] = ("result", "labels")
"""Fields ``verify`` re-derives and compares (their presentation fields excepted)."""

Where = Sequence[str | int]
_ANY_ITEM = "[]"


def _pattern(path: str) -> tuple[str, ...]:
    return tuple(part for piece in path.split(".")
                 for part in (piece.split("[")[0], *[_ANY_ITEM] * piece.count(_ANY_ITEM)))


def _under(pattern: tuple[str, ...], where: Where) -> bool:
    """Whether ``where`` is the field ``pattern`` names or lies within it."""
    return len(pattern) <= len(where) and all(s in (_ANY_ITEM, w) for s, w in zip(pattern, where, strict=False))


_PATTERNS = tuple(_pattern(p) for p in PRESENTATION)


def is_presentation(where: Where) -> bool:
    """Whether the field at ``where`` (keys, and list indexes or item ids) is, or lies within, one that
    :data:`PRESENTATION` lists."""
    return any(_under(p, where) for p in _PATTERNS)


def classify(where: Where) -> str | None:
    """``presentation``, ``id`` or ``re-derived`` for the field at ``where`` (its nearest listed ancestor wins
    for the last two); ``None`` if no list names it."""
    if is_presentation(where):
        return "presentation"
    for kind, paths in (("id", COVERED_BY_ID), ("re-derived", RE_DERIVED)):
        if any(_under(_pattern(path), where) for path in paths):
            return kind
    return None
