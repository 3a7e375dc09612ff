"""How big a rule pack may be: factors, cases, condition leaves and the length of any list.

The 5 MB file limit alone would still let a pack ask for work far beyond what it says — a condition of a
thousand leaves compiles to a thousand nested expressions, a factor of a thousand cases to a thousand
nested statements, a list of a hundred thousand names is compared pair by pair by its schema check. Each
limit here is far above what a real pack needs (the national pack: 54 factors, at most 6 cases and 13
leaves a factor) and low enough that loading and compiling stay linear in the pack's size and never meet
Python's recursion limit. The limits are fixed: a pack beyond one is split, not admitted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import RuleSetError
from .i18n import Text, tr
from .yamlfile import Path_, YamlDocument, dotted

MAX_FACTORS = 10_000
"""Factors in one rule set, inherited ones included."""
MAX_CASES = 64
"""Cases of one factor."""
MAX_CONDITION_LEAVES = 256
"""Comparisons (``fact`` leaves) in one condition: a case's ``when``, an ``applies_when`` or an override's."""
MAX_FACTOR_LEAVES = 1_024
"""Comparisons in one factor: its ``applies_when`` and all its cases together."""
MAX_LIST_ITEMS = 10_000
"""Items of any other list, or keys of any mapping, in a rule file (documents, thresholds, fields, enum
values, ``remove:`` names…)."""


def check_lists(doc: YamlDocument) -> None:
    """Refuse a list or mapping longer than :data:`MAX_LIST_ITEMS` anywhere in ``doc`` (iteratively).

    Only containers are visited, each with a link to its parent: a path is made only for the one refused."""
    Entry = tuple[Any, Any, Any]  # (container, parent entry, key in the parent)
    stack: list[Entry] = [(doc.data, None, None)]
    while stack:
        entry = stack.pop()
        value = entry[0]
        items = value.items() if isinstance(value, Mapping) else enumerate(value)
        if len(value) > MAX_LIST_ITEMS and not (entry[2] == "factors" and entry[1][1] is None):
            path = _path_of(entry)  # factors: MAX_FACTORS, once merged
            raise _too_many(doc, path, tr("{count:,} entries in one list or mapping: the limit is {limit:,}",
                                          count=len(value), limit=MAX_LIST_ITEMS),
                            tr("no rule set needs this many; is the file what you meant to load?"))
        stack.extend((item, entry, key) for key, item in items if isinstance(item, (Mapping, list)))


def _path_of(entry: tuple[Any, Any, Any]) -> Path_:
    keys = []
    while entry[1] is not None:
        keys.append(entry[2])
        entry = entry[1]
    return tuple(reversed(keys))


def check_factor_count(doc: YamlDocument) -> None:
    factors = doc.data.get("factors") if isinstance(doc.data, Mapping) else None
    if isinstance(factors, list) and len(factors) > MAX_FACTORS:
        raise _too_many(doc, ("factors",), tr("{count:,} factors: the limit is {limit:,} factors in one rule set",
                                              count=len(factors), limit=MAX_FACTORS),
                        tr("split the pack, e.g. one for each kind of project"))


def check_case_count(doc: YamlDocument, path: Path_, cases: list[Any]) -> None:
    if len(cases) > MAX_CASES:
        raise _too_many(doc, (*path, "cases"), tr("{count:,} cases: the limit is {limit} cases in one factor",
                                                  count=len(cases), limit=MAX_CASES),
                        tr("split the factor into several, each with its own cases"))


def condition_too_big(doc: YamlDocument, path: Path_) -> RuleSetError:
    return _too_many(doc, path, tr("more than {limit} comparisons in one condition", limit=MAX_CONDITION_LEAVES),
                     tr("split it into cases, or into factors that each read part of it"))


def factor_too_big(doc: YamlDocument, path: Path_, count: int) -> RuleSetError:
    return _too_many(doc, path, tr("{count:,} comparisons in one factor (applies_when and all its cases): the "
                                   "limit is {limit:,}", count=count, limit=MAX_FACTOR_LEAVES),
                     tr("split the factor into several"))


def _too_many(doc: YamlDocument, path: Path_, message: Text, hint: Text) -> RuleSetError:
    return RuleSetError(message, source=doc.source_of(path), line=doc.line_of(path), field=dotted(path) or None,
                        hint=hint)
