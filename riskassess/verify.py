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
from .errors import RecordError, RiskAssessError
from .plugins import engine_version
from .questionnaire import canonical_json
from .yamlfile import read_text


@dataclass
class Verification:
    """What ``verify`` found. ``reproduced`` is true only if nothing differs."""

    record_id: str
    recomputed_id: str | None = None
    differences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def reproduced(self) -> bool:
        return not self.differences


def read_record(path: Path) -> dict[str, Any]:
    text = read_text(path, error=RecordError, max_bytes=50 * 1024 * 1024)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"not valid JSON: {exc.msg}", source=str(path), line=exc.lineno) from None
    if not isinstance(record, dict) or record.get("record_format") != 1 or "record_id" not in record:
        raise RecordError("not a riskassess assessment record (no record_format 1 / record_id)", source=str(path),
                          hint="pass the file written by `riskassess evaluate --out record.json`")
    error = next(iter(sorted(_record_validator().iter_errors(record), key=lambda e: list(map(str, e.path)))), None)
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or None
        raise RecordError(f"not a valid assessment record: {error.message}", source=str(path), field=where,
                          hint="see `riskassess schema record`")
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
        raise RecordError("record has no digest", field="digest")
    own = "sha256:" + hashlib.sha256(canonical_json(digest).encode()).hexdigest()
    if own != stored_id:
        v.differences.append("record content: the record was changed after it was written (its digest no "
                             "longer matches its record_id)")
    answers = record["questionnaire"].get("answers")
    if not isinstance(answers, dict):
        raise RecordError("record holds no answers", field="questionnaire.answers")
    answers_sha = hashlib.sha256(canonical_json(answers).encode()).hexdigest()
    if answers_sha != digest.get("answers_sha256") or answers_sha != record["questionnaire"].get("sha256"):
        v.differences.append("answers: the answers in the record do not match their recorded SHA-256")

    recorded_rs = record["rule_sets"][0]
    try:
        rule_set = engine.rule_set(rules if rules is not None else recorded_rs["id"])
    except RiskAssessError as exc:
        v.differences.append(f"rule files: rule set {recorded_rs['id']!r} cannot be loaded here: {exc}")
        return v
    if rule_set.id != recorded_rs["id"]:
        v.differences.append(f"rule files: record used {recorded_rs['id']!r}, verifying with {rule_set.id!r}")
    if rule_set.version != recorded_rs.get("version"):
        v.differences.append(f"rule files: {rule_set.id} version {recorded_rs.get('version')} in the record, "
                             f"{rule_set.version} here")
    if rule_set.sha256 != recorded_rs.get("sha256"):
        v.differences.append(f"rule files: {rule_set.id} file SHA-256 differs "
                             f"({str(recorded_rs.get('sha256'))[:12]}… in the record, {rule_set.sha256[:12]}… "
                             f"here: {rule_set.source})")
    current_parents = {i: (v, h) for i, v, h, _ in rule_set.parents}
    for parent in record["rule_sets"][1:]:
        now = current_parents.get(parent.get("id"))
        if now is None:
            v.differences.append(f"rule files: {rule_set.id} no longer extends {parent.get('id')}")
        elif now != (parent.get("version"), parent.get("sha256")):
            v.differences.append(f"rule files: {parent.get('id')} (extended by {rule_set.id}) changed: version "
                                 f"{parent.get('version')} → {now[0]}, SHA-256 {str(parent.get('sha256'))[:12]}… → "
                                 f"{now[1][:12]}…")
    recorded_plugins = {p["name"]: p["version"] for p in record["plugins"]}
    current_plugins = {p["name"]: p["version"] for p in engine.plugins_for(rule_set)}
    for name in sorted(set(recorded_plugins) | set(current_plugins)):
        a, b = recorded_plugins.get(name), current_plugins.get(name)
        if a != b:
            v.differences.append(f"plugin versions: {name} {a or 'absent'} in the record, {b or 'absent'} here")
    recorded_engine = record["engine"].get("version")
    if recorded_engine != engine_version():
        v.differences.append(f"engine: riskassess {recorded_engine} in the record, {engine_version()} here")

    try:
        q = engine.questionnaire(answers, rule_set, source="record")
        again = engine.assess(q, rule_set)
    except RiskAssessError as exc:
        v.differences.append(f"answers: the recorded answers no longer evaluate under this rule set: {exc}")
        return v
    v.recomputed_id = again.record_id
    fresh = again.record()["result"]
    v.differences.extend(_result_differences(record["result"], fresh))
    if not any(d.startswith("result") for d in v.differences):
        # Anything else edited in the readable part (titles, values, steps, warnings) is a difference too.
        v.differences.extend(f"result: {path} reads {a!r} in the record, {b!r} when re-evaluated"
                             for path, a, b in _deep_differences(record["result"], fresh)[:10])
    if again.record_id != stored_id and not any(d.startswith("result") for d in v.differences):
        changed = sorted(k for k in again.digest if again.digest[k] != digest.get(k))
        v.differences.append("result: the re-evaluated record id differs"
                             + (f" (in {', '.join(changed)})" if changed else ""))
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


def _result_differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out = []
    for key in ("initial_grade", "post_measure_grade", "provisional"):
        if old.get(key) != new.get(key):
            out.append(f"result: {key} was {old.get(key)!r}, now {new.get(key)!r}")
    if (old.get("decision") or {}).get("code") != (new.get("decision") or {}).get("code"):
        out.append(f"result: decision was {(old.get('decision') or {}).get('code')!r}, "
                   f"now {(new.get('decision') or {}).get('code')!r}")
    old_f = {f["id"]: f for f in old.get("factors", [])}
    new_f = {f["id"]: f for f in new.get("factors", [])}
    for fid in sorted(set(old_f) | set(new_f)):
        a, b = old_f.get(fid), new_f.get(fid)
        if a is None or b is None:
            out.append(f"result: factor {fid} {'added' if a is None else 'removed'}")
            continue
        for key in ("applies", "case", "initial", "post_measure"):
            if a.get(key) != b.get(key):
                out.append(f"result: factor {fid} {key} was {a.get(key)!r}, now {b.get(key)!r}")
    old_o = {o["id"]: o.get("fired") for o in old.get("overrides", [])}
    new_o = {o["id"]: o.get("fired") for o in new.get("overrides", [])}
    for oid in sorted(set(old_o) | set(new_o)):
        if old_o.get(oid) != new_o.get(oid):
            out.append(f"result: override {oid} fired was {old_o.get(oid)!r}, now {new_o.get(oid)!r}")
    return out
