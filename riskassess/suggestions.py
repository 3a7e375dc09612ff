"""“Did you mean …?”, bounded: a suggestion costs a comparison with every candidate, so it is made only
for names short enough to be typos and, in a report of many problems, only for those that are shown.

A questionnaire naming 100,000 unknown factors once took two minutes computing 100,000 suggestions, of
which twenty were printed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

SHOWN_PROBLEMS = 20
"""A report of many problems shows this many, then says how many more there are."""
MAX_PROBLEMS = 100
"""Problems described in one report (``QuestionnaireInvalid.problems``); those past it are only counted
(``.more``): describing 100,000 problems took seconds, to print twenty."""
MAX_SUGGESTED_LENGTH = 200
"""A name longer than this is no typo of a field or factor id: no suggestion is looked for (difflib's cost
grows with the product of the two lengths)."""


def closest(name: object, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most like ``name``, if one is like it enough; None for a name too long to be a typo."""
    if not isinstance(name, str) or len(name) > MAX_SUGGESTED_LENGTH:
        return None
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


class SuggestionBudget:
    """At most ``limit`` suggestions in one report: problems past those shown get none (it would not be read)."""

    def __init__(self, limit: int = SHOWN_PROBLEMS) -> None:
        self.left = limit

    def spend(self) -> bool:
        """True while a suggestion may still be computed (and counts it)."""
        if self.left <= 0:
            return False
        self.left -= 1
        return True

    def closest(self, name: object, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
        return closest(name, candidates, cutoff) if self.spend() else None
