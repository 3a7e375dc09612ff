"""``riskassess verify``: re-evaluate a record and say whether the result is reproduced.

A record carries its canonical answers, the rule sets' hashes, the plugins and
the engine version. Verification checks the record against itself (was it edited
after it was written?), against what is installed now (same rule files, plugins,
engine?) and finally re-evaluates the answers and compares every result.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from .engine import Engine
from .errors import ErrorText, RecordError, RiskAssessError
from .i18n import Text, tr
from .plugins import engine_version
from .questionnaire import canonical_json
from .yamlfile import read_text


@dataclass
class Verification:
    """What ``verify`` found. ``reproduced`` is true only if nothing differs."""

    record_id: str
    recomputed_id: str | None = None
    differences: list[Text] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def reproduced(self) -> bool:
        return not self.differences


def read_record(path: Path) -> dict[str, Any]:
    text = read_text(path, error=RecordError, max_bytes=50 * 1024 * 1024)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(tr("not valid JSON: {problem}", problem=exc.msg), source=str(path), line=exc.lineno) \
            from None
    if not isinstance(record, dict) or record.get("record_format") != 1 or "record_id" not in record:
        raise RecordError(tr("not a riskassess assessment record (no record_format 1 / record_id)"), source=str(path),
                          hint=tr("pass the file written by `riskassess evaluate --out record.json`"))
    error = next(iter(sorted(_record_validator().iter_errors(record), key=lambda e: list(map(str, e.path)))), None)
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or None
        raise RecordError(tr("not a valid assessment record: {problem}", problem=error.message), source=str(path),
                          field=where, hint=tr("see `riskassess schema record`"))
    return record


@cache
def _record_validator() -> jsonschema.protocols.Validator:
    from .assessment import record_schema
    return jsonschema.Draft202012Validator(record_schema())


def verify_record(record: dict[str, Any], engine: Engine, rules: str | Path | None = None) -> Verification:
    """Check ``record`` and re-evaluate it with ``engine`` (optionally with another rule-set path)."""
    v = Verification(str(record["record_id"]))
    stored_id = record["record_id"]
    digest = record.get("digest")
    if not isinstance(digest, dict):
        raise RecordError(tr("record has no digest"), field="digest")
    own = "sha256:" + hashlib.sha256(canonical_json(digest).encode()).hexdigest()
    if own != stored_id:
        v.differences.append(tr("record content: the record was changed after it was written (its digest no "
                                "longer matches its record_id)"))
    answers = record["questionnaire"].get("answers")
    if not isinstance(answers, dict):
        raise RecordError(tr("record holds no answers"), field="questionnaire.answers")
    answers_sha = hashlib.sha256(canonical_json(answers).encode()).hexdigest()
    if answers_sha != digest.get("answers_sha256") or answers_sha != record["questionnaire"].get("sha256"):
        v.differences.append(tr("answers: the answers in the record do not match their recorded SHA-256"))

    recorded_rs = record["rule_sets"][0]
    try:
        rule_set = engine.rule_set(rules if rules is not None else recorded_rs["id"])
    except RiskAssessError as exc:
        v.differences.append(tr("rule files: rule set {id!r} cannot be loaded here: {error}", id=recorded_rs["id"],
                                error=ErrorText(exc)))
        return v
    if rule_set.id != recorded_rs["id"]:
        v.differences.append(tr("rule files: record used {recorded!r}, verifying with {current!r}",
                                recorded=recorded_rs["id"], current=rule_set.id))
    if rule_set.version != recorded_rs.get("version"):
        v.differences.append(tr("rule files: {id} version {recorded} in the record, {current} here", id=rule_set.id,
                                recorded=recorded_rs.get("version"), current=rule_set.version))
    if rule_set.sha256 != recorded_rs.get("sha256"):
        v.differences.append(tr("rule files: {id} file SHA-256 differs ({recorded}… in the record, {current}… here: "
                                "{source})", id=rule_set.id, recorded=str(recorded_rs.get("sha256"))[:12],
                                current=rule_set.sha256[:12], source=rule_set.source))
    current_parents = {i: (v, h) for i, v, h, _ in rule_set.parents}
    for parent in record["rule_sets"][1:]:
        now = current_parents.get(parent.get("id"))
        if now is None:
            v.differences.append(tr("rule files: {id} no longer extends {parent}", id=rule_set.id,
                                    parent=parent.get("id")))
        elif now != (parent.get("version"), parent.get("sha256")):
            v.differences.append(tr("rule files: {parent} (extended by {id}) changed: version {old_version} → "
                                    "{new_version}, SHA-256 {old_sha}… → {new_sha}…", parent=parent.get("id"),
                                    id=rule_set.id, old_version=parent.get("version"), new_version=now[0],
                                    old_sha=str(parent.get("sha256"))[:12], new_sha=now[1][:12]))
    recorded_plugins = {p["name"]: p["version"] for p in record["plugins"]}
    current_plugins = {p["name"]: p["version"] for p in engine.plugins_for(rule_set)}
    for name in sorted(set(recorded_plugins) | set(current_plugins)):
        a, b = recorded_plugins.get(name), current_plugins.get(name)
        if a != b:
            v.differences.append(tr("plugin versions: {name} {recorded} in the record, {current} here", name=name,
                                    recorded=a or tr("absent"), current=b or tr("absent")))
    recorded_engine = record["engine"].get("version")
    if recorded_engine != engine_version():
        v.differences.append(tr("engine: riskassess {recorded} in the record, {current} here",
                                recorded=recorded_engine, current=engine_version()))

    try:
        q = engine.questionnaire(answers, rule_set, source="record")
        again = engine.assess(q, rule_set)
    except RiskAssessError as exc:
        v.differences.append(tr("answers: the recorded answers no longer evaluate under this rule set: {error}",
                                error=ErrorText(exc)))
        return v
    v.recomputed_id = again.record_id
    fresh = again.record()["result"]
    result = _result_differences(record["result"], fresh)
    if not result:
        # Anything else edited in the readable part (titles, values, steps, warnings) is a difference too.
        result = [tr("result: {path} reads {recorded!r} in the record, {current!r} when re-evaluated", path=path,
                     recorded=a, current=b) for path, a, b in _deep_differences(record["result"], fresh)[:10]]
    v.differences.extend(result)
    if again.record_id != stored_id and not result:
        changed = sorted(k for k in again.digest if again.digest[k] != digest.get(k))
        v.differences.append(tr("result: the re-evaluated record id differs (in {parts})", parts=changed) if changed
                             else tr("result: the re-evaluated record id differs"))
    return v


_LOCATION_KEYS = frozenset({"answer_line", "rule_line", "source", "line"})


def _deep_differences(old: Any, new: Any, path: str = "result") -> list[tuple[str, Any, Any]]:
    """Every place where two JSON values differ, ignoring where-it-was keys (line numbers, paths)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new), key=str):
            if key in _LOCATION_KEYS:
                continue
            out += _deep_differences(old.get(key), new.get(key), f"{path}.{key}")
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (a, b) in enumerate(zip(old, new, strict=True))
                for d in _deep_differences(a, b, f"{path}[{i}]")]
    return [] if old == new else [(path, old, new)]


def _result_differences(old: dict[str, Any], new: dict[str, Any]) -> list[Text]:
    out = []
    for key in ("initial_grade", "post_measure_grade", "provisional"):
        if old.get(key) != new.get(key):
            out.append(tr("result: {key} was {old!r}, now {new!r}", key=key, old=old.get(key), new=new.get(key)))
    if (old.get("decision") or {}).get("code") != (new.get("decision") or {}).get("code"):
        out.append(tr("result: {key} was {old!r}, now {new!r}", key="decision",
                      old=(old.get("decision") or {}).get("code"), new=(new.get("decision") or {}).get("code")))
    old_f = {f["id"]: f for f in old.get("factors", [])}
    new_f = {f["id"]: f for f in new.get("factors", [])}
    for fid in sorted(set(old_f) | set(new_f)):
        a, b = old_f.get(fid), new_f.get(fid)
        if a is None or b is None:
            out.append(tr("result: factor {id} added", id=fid) if a is None else
                       tr("result: factor {id} removed", id=fid))
            continue
        for key in ("applies", "case", "initial", "post_measure"):
            if a.get(key) != b.get(key):
                out.append(tr("result: factor {id} {key} was {old!r}, now {new!r}", id=fid, key=key, old=a.get(key),
                              new=b.get(key)))
    old_o = {o["id"]: o.get("fired") for o in old.get("overrides", [])}
    new_o = {o["id"]: o.get("fired") for o in new.get("overrides", [])}
    for oid in sorted(set(old_o) | set(new_o)):
        if old_o.get(oid) != new_o.get(oid):
            out.append(tr("result: override {id} fired was {old!r}, now {new!r}", id=oid, old=old_o.get(oid),
                          new=new_o.get(oid)))
    return out
