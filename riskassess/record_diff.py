"""How two records differ, said by name: factor ids, fields, grade titles (``verify`` and ``register diff``).

:func:`changes_between` walks two records' results in step (list items matched by their id, fact or method),
:func:`explain` says what a faithful re-evaluation changed, :func:`describe` one change in words.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from .i18n import Text, quote, render, tr
from .questionnaire import canonical_json
from .record_fields import is_presentation

STAGES = ("initial", "post_measure")
"""The two stages a record grades: before the measures and after them."""


def digest_id(digest: Any) -> str:
    """The record id a digest gives (what the engine's ``record_id`` is)."""
    return "sha256:" + hashlib.sha256(canonical_json(digest).encode("utf-8")).hexdigest()


class Key(str):
    """A path segment naming a list item by its id (a factor id, a fact path, a scoring method)."""


class _Absent:
    """The value on the side of a comparison where an item or field does not exist."""

    def __repr__(self) -> str:
        return "absent"


ABSENT: Any = _Absent()
Where = tuple[str | int, ...]
_ITEM_KEYS = ("id", "fact", "method", "factor", "rule", "code", "step")


def explain(record: Mapping[str, Any], fresh: Mapping[str, Any]) -> list[Text]:
    """Every way the record's result and labels differ from ``fresh``, a faithful re-evaluation's record.

    Named by factor, override, group, scoring method and unknown fact rather than by list
    position; the grades, ranges and decision first, unnamed details last; each said once. Only
    the fields :data:`riskassess.record_fields.PRESENTATION` lists are not compared.
    """
    changes = list(changes_between(record["result"], fresh["result"], root=("result",)))
    if "labels" in record:
        changes += [(("labels", *p), a, b)
                    for p, a, b in changes_between(record["labels"], fresh.get("labels"), root=("labels",))]
    else:  # a record without labels was not written by this engine: one line, not one per label
        changes.append((("labels",), ABSENT, fresh.get("labels")))
    if not changes or digest_id(record["digest"]) != record["record_id"]:  # the compact form itself, as a last resort
        changes += [(("digest", *p), a, b)
                    for p, a, b in changes_between(record["digest"], fresh.get("digest"), root=("digest",))]
    out: list[Text] = []
    for text in described(changes, fresh.get("labels") or record.get("labels") or {}):
        if text not in out:
            out.append(text)
    return out


def described(changes: list[tuple[Where, Any, Any]], labels: Mapping[str, Any]) -> list[Text]:
    """Each change in words, headline first (a factor's probability and impact left out where it merely
    started or stopped applying: its level says enough)."""
    toggled = {where[1] for where, _, _ in changes if where[:1] == ("factors",) and where[2:] == ("applies",)}
    titles = code_titles(labels)
    ranked = sorted((describe(where, old, new, titles) for where, old, new in changes if not implied(where, toggled)),
                    key=lambda pair: pair[0])
    return [text for _, text in ranked]


def implied(where: Where, toggled: set[Any]) -> bool:
    """A factor that starts or stops applying gains or loses its probability, impact and points: its
    level says enough."""
    return (len(where) == 4 and where[0] == "factors" and where[1] in toggled and where[2] in STAGES
            and where[3] != "level")


def changes_between(old: Any, new: Any, where: Where = (), *, root: Where = ("result",)
                    ) -> Iterator[tuple[Where, Any, Any]]:
    """``(path, old, new)`` wherever two JSON values differ, lists of objects matched by their id.

    ``root`` is where the two values are in a record: the fields under it that
    :data:`~riskassess.record_fields.PRESENTATION` lists (line numbers, file paths) are not compared. An
    item or value present on one side only is one change (the other side :data:`ABSENT`), even when the
    side that has it holds ``null``; an object against ``null`` or nothing is compared field by field.
    """
    if isinstance(old, dict) or isinstance(new, dict):
        if not all(isinstance(x, dict) or _nothing(x) for x in (old, new)):
            yield where, old, new
            return
        a, b = (x if isinstance(x, dict) else {} for x in (old, new))
        if not a and not b and type(old) is not type(new):  # {} against null or nothing
            yield where, old, new
        for key in dict.fromkeys([*a, *b]):  # against null or nothing, field by field: each is named
            if not is_presentation((*root, *where, key)):
                yield from changes_between(a.get(key, ABSENT), b.get(key, ABSENT), (*where, key), root=root)
    elif isinstance(old, list) and isinstance(new, list):
        yield from _list_changes(old, new, where, root)
    elif old != new or type(old) is not type(new):
        yield where, old, new


def _nothing(value: Any) -> bool:
    return value is None or value is ABSENT


def _list_changes(old: list[Any], new: list[Any], where: Where, root: Where) -> Iterator[tuple[Where, Any, Any]]:
    key = _item_key(old, new)
    if key is None:
        if len(old) == len(new):
            for i, (a, b) in enumerate(zip(old, new, strict=True)):
                yield from changes_between(a, b, (*where, i), root=root)
        else:
            yield where, old, new
        return
    a, b = ({item if key == "" else item[key]: item for item in items} for items in (old, new))
    for item_id in dict.fromkeys([*a, *b]):
        if item_id in a and item_id in b:
            yield from changes_between(a[item_id], b[item_id], (*where, Key(item_id)), root=root)
        else:
            yield (*where, Key(item_id)), a.get(item_id, ABSENT), b.get(item_id, ABSENT)
    if a.keys() == b.keys() and list(a) != list(b):  # the same items in another order: the order is the engine's
        yield (*where, "order"), list(a), list(b)


def _item_key(old: list[Any], new: list[Any]) -> str | None:
    """How two lists' items are matched: by a key every object has, unique on each side; ``""`` for
    lists of distinct strings (each its own id); ``None``: by position."""
    items = [*old, *new]
    if not items:
        return None
    if all(isinstance(x, str) for x in items):
        return "" if len(set(old)) == len(old) and len(set(new)) == len(new) else None
    if not all(isinstance(x, dict) for x in items):
        return None
    for key in _ITEM_KEYS:
        if all(isinstance(x.get(key), str) for x in items) and all(
                len({x[key] for x in side}) == len(side) for side in (old, new)):
            return key
    return None


# ----------------------------------------------------------------------------- saying it


class Shown(Text):
    """A value from a record, shown in the reader's language: text quoted, nothing as "none"."""

    __slots__ = ("titles", "value")

    def __init__(self, value: Any, titles: Mapping[str, Any] | None = None) -> None:
        super().__init__("{value}", value=value)
        self.value = value
        self.titles = titles or {}

    def render(self, lang: str) -> str:
        value = self.value
        title = self.titles.get(value) if isinstance(value, str) else None
        if lang == "zh" and isinstance(title, Mapping) and title.get("zh"):
            return quote(title["zh"], lang)
        if _nothing(value):
            return tr("none").render(lang)
        if isinstance(value, bool):
            return (tr("yes") if value else tr("no")).render(lang)
        if isinstance(value, str):
            return quote(value, lang)
        if isinstance(value, list):
            return "[" + render([Shown(v) for v in value], lang) + "]"
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return str(value)


def code_titles(labels: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Level and grade codes → their zh/en titles, so a change reads 较大 → 重大 rather than codes."""
    grades = {g: v.get("title") for g, v in (labels.get("grades") or {}).items() if isinstance(v, Mapping)}
    return {"level": labels.get("levels") or {}, "grade": grades}


_GRADE_KEYS = frozenset({"grade", "lowest", "highest", "initial_grade", "post_measure_grade", "floor"})


def describe(where: Where, old: Any, new: Any, titles: Mapping[str, Mapping[str, Any]] | None = None
              ) -> tuple[int, Text]:
    """One change in words, and its rank: headline results 0, named fields 1, details by path 3."""
    head = str(where[0])
    named: Text | None = None
    if head in _HEADLINE:
        named = TOP.get(tuple(map(str, where)))
    elif head in _ITEMS:
        named = _item_name(head, where[1:])
    elif head == "scoring":
        named = _scoring_name(where[1:])
    what: Text | str = named if named is not None else _dotted(where if head in ("labels", "digest")
                                                               else ("result", *where))
    if named is None:
        rank = 3
    elif head in _HEADLINE:
        rank = 0
    else:  # a named field of a factor, override, group or method; its detail (named by its path) after
        rank = 2 if isinstance(named.params.get("field"), str) else 1
    if (isinstance(where[-1], Key) or len(where) == 1) and (old is ABSENT or new is ABSENT):
        return rank, (tr("{what}: in the record, not on re-evaluation", what=what) if new is ABSENT
                      else tr("{what}: on re-evaluation, not in the record", what=what))
    last = str(where[-1])
    table = (titles or {}).get("level" if last == "level" else "grade" if last in _GRADE_KEYS else "", {})
    return rank, tr("{what} {recorded} in the record, {current} on re-evaluation", what=what,
                    recorded=Shown(old, table), current=Shown(new, table))


def _dotted(where: Where) -> str:
    """A path for the generic fallback: ``result.factors[cn.env.x].cases[near].outcome``."""
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, (Key, int)) else (f".{part}" if out else str(part))
    return out


TOP = {
    ("initial_grade",): tr("initial grade"),
    ("post_measure_grade",): tr("post-measure grade"),
    ("provisional",): tr("grade provisional"),
    ("firm",): tr("grade firm"),
    ("range", "initial", "grade"): tr("initial grade"),
    ("range", "post_measure", "grade"): tr("post-measure grade"),
    ("range", "initial", "lowest"): tr("lowest possible initial grade"),
    ("range", "initial", "highest"): tr("highest possible initial grade"),
    ("range", "post_measure", "lowest"): tr("lowest possible post-measure grade"),
    ("range", "post_measure", "highest"): tr("highest possible post-measure grade"),
    ("range", "initial", "firm"): tr("initial grade firm"),
    ("range", "post_measure", "firm"): tr("post-measure grade firm"),
    ("decision", "code"): tr("decision"),
    ("decision", "grade"): tr("grade the decision rests on"),
    ("decision", "firm"): tr("decision firm"),
    ("decision", "channel"): tr("approval channel"),
}
_HEADLINE = frozenset(key[0] for key in TOP)
_ITEMS = {  # list → (the key its items are named by, the item, one field of the item)
    "factors": ("id", tr("factor {id}"), tr("factor {id}: {field}")),
    "overrides": ("id", tr("override {id}"), tr("override {id}: {field}")),
    "groups": ("id", tr("factor group {id}"), tr("factor group {id}: {field}")),
    "unknowns": ("fact", tr("unanswered {fact}"), tr("unanswered {fact}: {field}")),
    "decisive_questions": ("fact", tr("decisive question {fact}"), tr("decisive question {fact}: {field}")),
}
_FIELDS = {
    ("applies",): tr("whether it applies"),
    ("case",): tr("case taken"),
    ("decided_by_unknown",): tr("decided by a missing answer"),
    ("missing_facts",): tr("missing answers"),
    ("counted",): tr("counted in the grade"),
    ("counted_as",): tr("counted as"),
    ("members",): tr("members"),
    ("applicability", "outcome"): tr("precondition"),
    ("initial", "probability"): tr("initial probability"),
    ("initial", "impact"): tr("initial impact"),
    ("initial", "level"): tr("initial level"),
    ("initial", "points"): tr("initial points"),
    ("post_measure", "probability"): tr("post-measure probability"),
    ("post_measure", "impact"): tr("post-measure impact"),
    ("post_measure", "level"): tr("post-measure level"),
    ("post_measure", "points"): tr("post-measure points"),
    ("fired",): tr("whether it fired"),
    ("floor",): tr("grade floor"),
}


def _item_name(head: str, rest: Where) -> Text | None:
    if not rest or not isinstance(rest[0], Key):
        return None
    key, whole, part = _ITEMS[head]
    if len(rest) == 1:
        return Text(whole.template, **{key: str(rest[0])})
    return Text(part.template, **{key: str(rest[0]), "field": _field(rest[1:])})


def _field(sub: Where) -> Text | str:
    """A factor's, override's or group's field in words; deeper detail as its path."""
    if len(sub) == 2 and isinstance(sub[1], Key) and sub[0] in ("measures", "missing_facts"):
        return (tr("measure {measure}", measure=str(sub[1])) if sub[0] == "measures"
                else tr("missing answer {fact}", fact=str(sub[1])))
    if len(sub) == 3 and sub[0] == "cases" and isinstance(sub[1], Key) and sub[2] == "outcome":
        return tr("outcome of case {case}", case=str(sub[1]))
    return _FIELDS.get(tuple(map(str, sub))) or _dotted(sub)


def _scoring_name(rest: Where) -> Text | None:
    if len(rest) < 2 or not isinstance(rest[1], Key) or rest[0] not in STAGES:
        return None
    stage, method = tr("initial") if rest[0] == "initial" else tr("post-measure"), str(rest[1])
    if rest[2:] == ("grade",):
        return tr("{stage} grade by scoring method {method}", stage=stage, method=method)
    if len(rest) == 2:
        return tr("scoring method {method}, {stage}", stage=stage, method=method)
    return tr("scoring method {method}, {stage}: {field}", stage=stage, method=method, field=_dotted(rest[2:]))
