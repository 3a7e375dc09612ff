"""``riskassess verify``: re-evaluate a record and say whether the result is reproduced.

A record carries its canonical answers, the rule sets' hashes, the plugins and
the engine version. Verification checks, in this order:

1. the record against itself, before anything is re-evaluated: the id its own
   content gives (:func:`content_id`) must be the ``record_id`` it states, or the
   record was edited after it was written;
2. where its rule set is (:func:`find_rule_set`: ``--rules``, else the file it was
   loaded from, else the installed rule set of that id) and whether that rule
   set, its parents, the plugins and the engine are still the ones recorded;
3. the record against a faithful re-evaluation of its answers, difference by
   difference, named by factor id and field (:func:`explain`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .adjustment_record import edited_adjustments, recorded
from .engine import Engine
from .errors import ErrorText, RecordError, RiskAssessError
from .i18n import Text, quote, render, tr
from .plugins import engine_version
from .questionnaire import canonical_json
from .record_fields import is_presentation
from .record_reader import RECORD_MAX_BYTES as RECORD_MAX_BYTES  # re-exported: callers read records from here
from .record_reader import read_record as read_record
from .ruleset import RuleSet

SHOWN_DIFFERENCES = 20
"""How many differences ``riskassess verify`` lists before "… and N more"."""


@dataclass
class Verification:
    """What ``verify`` found. ``reproduced`` is true only if the record is intact and nothing differs."""

    record_id: str
    """The id the record states."""
    recomputed_id: str | None = None
    """The id a faithful re-evaluation gives (``None`` when it could not be made)."""
    content_id: str | None = None
    """The id the record's own stored content gives; differs from ``record_id`` when it was edited."""
    edited: bool = False
    """The record was edited after it was written: its content no longer matches its id."""
    rule_set_source: str | None = None
    """The rule file the record was re-evaluated with."""
    differences: list[Text] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def reproduced(self) -> bool:
        return not self.edited and not self.differences


def verify_record(record: dict[str, Any], engine: Engine, rules: str | Path | None = None, *,
                  record_path: Path | None = None) -> Verification:
    """Check ``record`` and re-evaluate it with ``engine`` (``rules``: another rule-set id or path).

    ``record_path`` (where the record was read from) is a second place to look for a rule file
    the record names by a relative path. Raises :class:`RecordError` when the record's rule set
    cannot be found (unless the record was edited: then that is the answer).
    """
    v = Verification(str(record["record_id"]))
    answers = _answers(record)
    v.content_id = content_id(record)
    v.edited = v.content_id != v.record_id
    if _answers_edited(record):
        v.differences.append(tr("answers: the answers in the record do not match their recorded SHA-256"))
    try:
        rule_set = find_rule_set(record, engine, rules, record_path=record_path)
    except RecordError as exc:
        if not v.edited:
            raise
        v.differences.append(ErrorText(exc))
        return v
    v.rule_set_source = rule_set.source
    v.differences += lineage_differences(record, engine, rule_set)
    adjusted = edited_adjustments(record)  # governed adjustments or their as-of date edited, named
    v.edited = v.edited or bool(adjusted)
    v.differences += adjusted
    try:  # with the adjustments and as-of date the record states, so expiry is judged as it was
        again = engine.assess(engine.questionnaire(answers, rule_set, source="record"), rule_set, **recorded(record))
        fresh = json.loads(json.dumps(again.record(), ensure_ascii=False))  # as written: lists, not tuples
    except RiskAssessError as exc:
        v.differences.append(tr("answers: the recorded answers no longer evaluate under this rule set: {error}",
                                error=ErrorText(exc)))
        return v
    v.recomputed_id = again.record_id
    v.differences += _edited_answers(record, again.digest, rule_set)
    found = explain(record, fresh)
    if found and again.record_id == v.record_id == _id_of(record["digest"]):
        # Same inputs, same rules, same result: the readable part is a function of them, so it was edited.
        v.edited = True
    v.differences += found
    if again.record_id != v.record_id and not found:
        v.differences.append(tr("result: the re-evaluated record id differs"))
    return v


def _edited_answers(record: Mapping[str, Any], digest: Mapping[str, Any], rule_set: RuleSet) -> list[Text]:
    """The answers edited after the record was written, where its digest still holds what they were.

    The digest keeps the value of every fact the rule set reads, in the rule set's order: under the
    very rule file the record names, the values now read from its answers can be compared one by one.
    """
    if not _answers_edited(record) or rule_set.sha256 != record["rule_sets"][0].get("sha256"):
        return []
    then, now = record["digest"].get("facts"), digest["facts"]
    if not isinstance(then, list) or len(then) != len(now):
        return []
    return [tr("answer {fact}: {recorded} when the record was written, {current} in its answers now", fact=fact,
               recorded=_Shown(a), current=_Shown(b))
            for fact, a, b in zip(rule_set.program.facts, then, now, strict=True)
            if a != b or type(a) is not type(b)]


def _answers(record: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(record.get("digest"), dict):
        raise RecordError(tr("record has no digest"), field="digest")
    answers = (record.get("questionnaire") or {}).get("answers")
    if not isinstance(answers, dict):
        raise RecordError(tr("record holds no answers"), field="questionnaire.answers")
    return answers


def _answers_edited(record: Mapping[str, Any]) -> bool:
    sha = _sha256(record["questionnaire"]["answers"])
    return sha != record["questionnaire"].get("sha256") or sha != record["digest"].get("answers_sha256")


def _sha256(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def _id_of(digest: Any) -> str:
    return "sha256:" + _sha256(digest)


# ----------------------------------------------------------------------------- 1. the record against itself


def content_id(record: Mapping[str, Any]) -> str:
    """The id the record's own stored content gives, without re-evaluating anything.

    The id hashes the record's ``digest``. Every part of the digest that the readable record also
    states (rule sets, plugins, engine, the answers' hash, grades, ranges, decision, each factor's
    probability, impact and level, the overrides that fired) is taken from the readable record, so
    an edit to either side changes the id; the rest (fact values, leaf and case outcomes, named by
    position in the rule set) is taken from the digest and checked by re-evaluation.
    """
    digest = record["digest"]
    stored = _id_of(digest)
    if stored != record["record_id"]:
        return stored
    return _id_of({**digest, **_stated(record)})


def _stated(record: Mapping[str, Any]) -> dict[str, Any]:
    """The digest's parts as the readable record states them (see :func:`content_id`)."""
    result = record["result"]
    scoring = result.get("scoring") or {}
    ranges = result.get("range") or {}
    stated: dict[str, Any] = {
        "record_format": record.get("record_format"),
        "engine": (record.get("engine") or {}).get("version"),
        "rule_sets": [[r.get("id"), r.get("version"), r.get("sha256")] for r in record.get("rule_sets") or []],
        "plugins": [[p.get("name"), p.get("version")] for p in record.get("plugins") or []],
        "answers_sha256": _sha256(record["questionnaire"].get("answers")),
        "grades": [result.get("initial_grade"), result.get("post_measure_grade")],
        "grades_by_method": [[d.get("grade") for d in scoring.get(stage) or []] for stage in _STAGES],
        "decision": (result.get("decision") or {}).get("code"),
        "provisional": result.get("provisional"),
        "range": [[(ranges.get(stage) or {}).get(k) for k in ("lowest", "highest")] for stage in _STAGES],
        "overrides": [k for k, o in enumerate(result.get("overrides") or []) if o.get("fired")],
    }
    covered = record["digest"].get("derivations")
    if isinstance(covered, Mapping):  # what plugins' methods derived, by method name
        methods = covered.get("methods") or []
        said = {stage: [d for d in ds if d.get("method") in methods] for stage, ds in scoring.items()}
        stated["derivations"] = {"methods": methods, "sha256": _sha256(said)}
    levels = list(((record.get("labels") or {}).get("levels")) or {})
    if levels:  # a record written before records carried labels cannot number its levels
        for key, stage in (("factors", "initial"), ("post_measure", "post_measure")):
            stated[key] = [[k, lv.get("probability"), lv.get("impact"),
                            levels.index(lv["level"]) if lv.get("level") in levels else lv.get("level"),
                            lv.get("points")]
                           for k, f in enumerate(result.get("factors") or []) if (lv := f.get(stage))]
    return stated


_STAGES = ("initial", "post_measure")


# ----------------------------------------------------------------------------- 2. the rule set and its lineage


def find_rule_set(record: Mapping[str, Any], engine: Engine, rules: str | Path | None = None, *,
                  record_path: Path | None = None) -> RuleSet:
    """The rule set to re-evaluate ``record`` with: ``rules`` if given, else the one its lineage names.

    That is the file the record says its rule set was loaded from, if it still holds a rule set of
    the recorded id (a relative path is tried from the working directory, then from the record's
    folder; one with the recorded SHA-256 first), else the installed rule set of that id. Either
    may have changed since (:func:`lineage_differences` says how). Neither: :class:`RecordError`.
    """
    if rules is not None:
        return engine.rule_set(rules)
    recorded = record["rule_sets"][0]
    broken: list[RiskAssessError] = []
    found: list[RuleSet] = []
    for path in _recorded_paths(recorded.get("source"), record_path):
        try:
            rule_set = engine.rule_set(path)
        except RiskAssessError as exc:
            broken.append(exc)
            continue
        if rule_set.id == recorded.get("id"):
            found.append(rule_set)
    if found:
        return next((rs for rs in found if rs.sha256 == recorded.get("sha256")), found[0])
    if recorded.get("id") in {info.id for info in engine.available_rule_sets()}:
        return engine.rule_set(str(recorded["id"]))
    if broken:
        raise broken[0]
    source = recorded.get("source")
    raise RecordError(
        tr("cannot find the rule set the record was made with: {id} version {version}, SHA-256 {sha256}",
           id=recorded.get("id"), version=recorded.get("version"), sha256=recorded.get("sha256")),
        source=None if record_path is None else str(record_path), field="rule_sets",
        hint=tr("it is not installed here and {source} no longer exists; pass it with --rules PATH", source=source)
        if source else tr("it is not installed here; pass it with --rules PATH"))


def _recorded_paths(source: Any, record_path: Path | None) -> list[Path]:
    if not isinstance(source, str) or not source:
        return []
    path = Path(source)
    places = [path] if path.is_absolute() else [path, *([record_path.parent / path] if record_path else [])]
    return list(dict.fromkeys(p for p in places if p.is_file()))


def lineage_differences(record: Mapping[str, Any], engine: Engine, rule_set: RuleSet) -> list[Text]:
    """How the rule set, the rule sets it extends, the plugins and the engine differ from the record's."""
    recorded = record["rule_sets"][0]
    out: list[Text] = []
    if rule_set.id != recorded.get("id"):
        out.append(tr("rule files: record used {recorded!r}, verifying with {current!r}", recorded=recorded.get("id"),
                      current=rule_set.id))
    elif rule_set.sha256 != recorded.get("sha256"):
        shas = {"old_sha": str(recorded.get("sha256"))[:12], "new_sha": rule_set.sha256[:12]}
        out.append(tr("rule set {id} {version} changed since the record was written: SHA-256 {old_sha}… → {new_sha}… "
                      "({source})", id=rule_set.id, version=rule_set.version, source=rule_set.source, **shas)
                   if rule_set.version == recorded.get("version") else
                   tr("rule set {id} changed since the record was written: version {old_version} → {new_version}, "
                      "SHA-256 {old_sha}… → {new_sha}… ({source})", id=rule_set.id, source=rule_set.source,
                      old_version=recorded.get("version"), new_version=rule_set.version, **shas))
        if recorded.get("source") and not _same_file(recorded["source"], rule_set.source):
            out.append(tr("rule set {id}: the record was made with {recorded}", id=rule_set.id,
                          recorded=recorded["source"]))
    out += _parent_differences(record["rule_sets"][1:], rule_set)
    recorded_plugins = {p["name"]: p["version"] for p in record["plugins"]}
    current_plugins = {p["name"]: p["version"] for p in engine.plugins_for(rule_set)}
    for name in sorted(set(recorded_plugins) | set(current_plugins)):
        a, b = recorded_plugins.get(name), current_plugins.get(name)
        if a != b:
            out.append(tr("plugin versions: {name} {recorded} in the record, {current} here", name=name,
                          recorded=a or tr("absent"), current=b or tr("absent")))
    recorded_engine = record["engine"].get("version")
    if recorded_engine != engine_version():
        out.append(tr("engine: riskassess {recorded} in the record, {current} here", recorded=recorded_engine,
                      current=engine_version()))
    return out


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b


def _parent_differences(recorded: Sequence[Mapping[str, Any]], rule_set: RuleSet) -> list[Text]:
    current = {i: (version, sha) for i, version, sha, _ in rule_set.parents}
    out = []
    for parent in recorded:
        now = current.get(str(parent.get("id")))
        if now is None:
            out.append(tr("rule files: {id} no longer extends {parent}", id=rule_set.id, parent=parent.get("id")))
        elif now != (parent.get("version"), parent.get("sha256")):
            out.append(tr("rule files: {parent} (extended by {id}) changed: version {old_version} → {new_version}, "
                          "SHA-256 {old_sha}… → {new_sha}…", parent=parent.get("id"), id=rule_set.id,
                          old_version=parent.get("version"), new_version=now[0],
                          old_sha=str(parent.get("sha256"))[:12], new_sha=now[1][:12]))
    return out


# ----------------------------------------------------------------------------- 3. the record against re-evaluation


class _Key(str):
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
    if not changes or _id_of(record["digest"]) != record["record_id"]:  # the compact form itself, as a last resort
        changes += [(("digest", *p), a, b)
                    for p, a, b in changes_between(record["digest"], fresh.get("digest"), root=("digest",))]
    toggled = {where[1] for where, _, _ in changes if where[:1] == ("factors",) and where[2:] == ("applies",)}
    changes = [c for c in changes if not _implied(c[0], toggled)]
    titles = _code_titles(fresh.get("labels") or record.get("labels") or {})
    ranked = sorted((_describe(path, old, new, titles) for path, old, new in changes), key=lambda pair: pair[0])
    out: list[Text] = []
    for _, text in ranked:
        if text not in out:
            out.append(text)
    return out


def _implied(where: Where, toggled: set[Any]) -> bool:
    """A factor that starts or stops applying gains or loses its probability, impact and points: its
    level says enough."""
    return (len(where) == 4 and where[0] == "factors" and where[1] in toggled and where[2] in _STAGES
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
            yield from changes_between(a[item_id], b[item_id], (*where, _Key(item_id)), root=root)
        else:
            yield (*where, _Key(item_id)), a.get(item_id, ABSENT), b.get(item_id, ABSENT)
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


class _Shown(Text):
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
            return "[" + render([_Shown(v) for v in value], lang) + "]"
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return str(value)


def _code_titles(labels: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Level and grade codes → their zh/en titles, so a change reads 较大 → 重大 rather than codes."""
    grades = {g: v.get("title") for g, v in (labels.get("grades") or {}).items() if isinstance(v, Mapping)}
    return {"level": labels.get("levels") or {}, "grade": grades}


_GRADE_KEYS = frozenset({"grade", "lowest", "highest", "initial_grade", "post_measure_grade", "floor"})


def _describe(where: Where, old: Any, new: Any, titles: Mapping[str, Mapping[str, Any]] | None = None
              ) -> tuple[int, Text]:
    """One change in words, and its rank: headline results 0, named fields 1, details by path 3."""
    head = str(where[0])
    named: Text | None = None
    if head in _HEADLINE:
        named = _TOP.get(tuple(map(str, where)))
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
    if (isinstance(where[-1], _Key) or len(where) == 1) and (old is ABSENT or new is ABSENT):
        return rank, (tr("{what}: in the record, not on re-evaluation", what=what) if new is ABSENT
                      else tr("{what}: on re-evaluation, not in the record", what=what))
    last = str(where[-1])
    table = (titles or {}).get("level" if last == "level" else "grade" if last in _GRADE_KEYS else "", {})
    return rank, tr("{what} {recorded} in the record, {current} on re-evaluation", what=what,
                    recorded=_Shown(old, table), current=_Shown(new, table))


def _dotted(where: Where) -> str:
    """A path for the generic fallback: ``result.factors[cn.env.x].cases[near].outcome``."""
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, (_Key, int)) else (f".{part}" if out else str(part))
    return out


_TOP = {
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
_HEADLINE = frozenset(key[0] for key in _TOP)
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
    if not rest or not isinstance(rest[0], _Key):
        return None
    key, whole, part = _ITEMS[head]
    if len(rest) == 1:
        return Text(whole.template, **{key: str(rest[0])})
    return Text(part.template, **{key: str(rest[0]), "field": _field(rest[1:])})


def _field(sub: Where) -> Text | str:
    """A factor's, override's or group's field in words; deeper detail as its path."""
    if len(sub) == 2 and isinstance(sub[1], _Key) and sub[0] in ("measures", "missing_facts"):
        return (tr("measure {measure}", measure=str(sub[1])) if sub[0] == "measures"
                else tr("missing answer {fact}", fact=str(sub[1])))
    if len(sub) == 3 and sub[0] == "cases" and isinstance(sub[1], _Key) and sub[2] == "outcome":
        return tr("outcome of case {case}", case=str(sub[1]))
    return _FIELDS.get(tuple(map(str, sub))) or _dotted(sub)


def _scoring_name(rest: Where) -> Text | None:
    if len(rest) < 2 or not isinstance(rest[1], _Key) or rest[0] not in _STAGES:
        return None
    stage, method = tr("initial") if rest[0] == "initial" else tr("post-measure"), str(rest[1])
    if rest[2:] == ("grade",):
        return tr("{stage} grade by scoring method {method}", stage=stage, method=method)
    if len(rest) == 2:
        return tr("scoring method {method}, {stage}", stage=stage, method=method)
    return tr("scoring method {method}, {stage}: {field}", stage=stage, method=method, field=_dotted(rest[2:]))
