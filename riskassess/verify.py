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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .adjustment_record import edited_adjustments, recorded
from .engine import Engine
from .errors import ErrorText, RecordError, RiskAssessError
from .i18n import Text, tr
from .plugins import engine_version
from .questionnaire import canonical_json
from .record_diff import STAGES, Shown, digest_id, explain
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
    if found and again.record_id == v.record_id == digest_id(record["digest"]):
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
               recorded=Shown(a), current=Shown(b))
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
    stored = digest_id(digest)
    if stored != record["record_id"]:
        return stored
    return digest_id({**digest, **_stated(record)})


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
        "grades_by_method": [[d.get("grade") for d in scoring.get(stage) or []] for stage in STAGES],
        "decision": (result.get("decision") or {}).get("code"),
        "provisional": result.get("provisional"),
        "range": [[(ranges.get(stage) or {}).get(k) for k in ("lowest", "highest")] for stage in STAGES],
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
