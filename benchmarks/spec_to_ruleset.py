"""Translate the peer benchmark's ``spec.yaml`` into a riskassess rule set.

The peer benchmark (``/work/shared/bench/peers``, or ``$RISKASSESS_PEERS_DIR``)
is only *read* at run time: nothing from it is copied into this repository.

* :func:`translate` turns the loaded spec (a dict) into a rule-set document
  (a dict in the shape of ``rules/*/ruleset.yaml``).
* :func:`replicate` multiplies the factors of a translated document (for the
  scaling runs).
* :func:`write_rule_set` dumps a document as YAML so it can be loaded through the
  real loader (``riskassess.Engine().rule_set(path)``).
* :func:`peers_dir`, :func:`load_spec` and :func:`import_peers` locate the peer
  benchmark and import its modules (``ref_python``, ``gen_questionnaires``).

Run it directly to print the translated rule set::

    python benchmarks/spec_to_ruleset.py > /tmp/ruleset.yaml
"""

from __future__ import annotations

import copy
import importlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
PEERS_ENV = "RISKASSESS_PEERS_DIR"
ID_PREFIX = "bench."
RULESET_ID = "ssra-peer-bench"
SECTIONS = ("project", "land", "environment", "labor", "public", "governance")

#: spec category -> riskassess category
CATEGORIES = {
    "land": "land_expropriation",
    "environment": "ecology_environment",
    "labor": "construction_management",
    "public": "public_attitude",
    "governance": "policy_approval",
    "project": "technical_economic",
}
#: spec comparison -> riskassess operator
OPERATORS = {">=": "gte", ">": "gt", "<=": "lte", "<": "lt", "==": "eq", "in": "in"}
#: spec field type -> questionnaire field type
FIELD_TYPES = {"float": "number", "int": "integer", "bool": "boolean", "enum": "string"}
#: matrix levels, lowest first, with the lowest P x I product that reaches each
LEVELS = (
    ("negligible", 1, "微小", "Negligible"),
    ("minor", 3, "较小", "Minor"),
    ("general", 6, "一般", "General"),
    ("significant", 12, "较大", "Significant"),
    ("major", 20, "重大", "Major"),
)
_PROVENANCE = {"status": "pack_judgement",
               "source": {"zh": "同行基准规则说明（peer benchmark spec）", "en": "peer benchmark spec"}}


class PeersMissing(SystemExit):
    """Raised (as a clean exit) when the peer benchmark directory is not there."""


# ------------------------------------------------------------------------ the peers


def peers_dir() -> Path:
    """The peer benchmark directory: ``$RISKASSESS_PEERS_DIR`` or ``<repo>/../shared/bench/peers``."""
    env = os.environ.get(PEERS_ENV)
    path = Path(env) if env else REPO.parent / "shared" / "bench" / "peers"
    if not (path / "spec.yaml").is_file():
        raise PeersMissing(f"peer benchmark not found at {path} (no spec.yaml there).\n"
                           f"Set {PEERS_ENV} to the directory holding spec.yaml, ref_python.py and "
                           "gen_questionnaires.py.")
    return path


def load_spec(path: Path | None = None) -> dict[str, Any]:
    """Parse the peers' ``spec.yaml``."""
    path = path or peers_dir() / "spec.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


def import_peers(*names: str) -> tuple[ModuleType, ...]:
    """Import modules of the peer benchmark (e.g. ``ref_python``) without writing bytecode there."""
    where = str(peers_dir())
    if where not in sys.path:
        sys.path.insert(1, where)  # after this script's own directory
    old = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        return tuple(importlib.import_module(n) for n in names)
    finally:
        sys.dont_write_bytecode = old


def ensure_riskassess_importable() -> None:
    """Put the repository root on ``sys.path`` when riskassess is not installed."""
    try:
        importlib.import_module("riskassess")
    except ImportError:
        sys.path.insert(0, str(REPO))


# ---------------------------------------------------------------------- translation


def _label(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def translate_condition(node: Any, *, leaf_missing: bool = False) -> dict[str, Any]:
    """One spec condition node as a riskassess ``when`` tree.

    With ``leaf_missing`` every comparison carries ``missing: "false"`` itself;
    otherwise the rule set's ``defaults.missing`` supplies it.
    """
    if isinstance(node, dict):
        if len(node) != 1:
            raise ValueError(f"condition mapping must have one key: {node!r}")
        ((key, value),) = node.items()
        if key in ("all", "any"):
            return {key: [translate_condition(c, leaf_missing=leaf_missing) for c in value]}
        if key == "not":
            return {"not": translate_condition(value, leaf_missing=leaf_missing)}
        raise ValueError(f"unknown condition key {key!r}")
    if isinstance(node, list) and len(node) == 2 and node[1] == "exists":
        return {"fact": node[0], "exists": True}
    if isinstance(node, list) and len(node) == 3 and node[1] in OPERATORS:
        path, op, value = node
        leaf: dict[str, Any] = {"fact": path, OPERATORS[op]: list(value) if isinstance(value, list) else value}
        if leaf_missing:
            leaf["missing"] = "false"
        return leaf
    raise ValueError(f"bad condition node {node!r}")


def _fields(spec: Mapping[str, Any]) -> dict[str, Any]:
    sections: dict[str, dict[str, Any]] = {
        s: {"title": _label(f"基准问卷部分 {s}", f"Benchmark section {s}"),
            "description": _label(f"同行基准问卷的 {s} 部分", f"The {s} section of the peer benchmark questionnaire"),
            "fields": {}, "required": []}
        for s in SECTIONS}
    for path, raw in spec["fields"].items():
        section, name = path.split(".", 1)
        if section not in sections:
            raise ValueError(f"field {path!r} is outside the sections {SECTIONS}")
        kind = raw["type"]
        if kind not in FIELD_TYPES:
            raise ValueError(f"field {path!r}: unknown type {kind!r}")
        out: dict[str, Any] = {
            "type": FIELD_TYPES[kind],
            "title": _label(f"基准字段 {path}", f"Benchmark field {path}"),
            "description": _label(f"同行基准字段 {path}（{kind}）", f"Peer benchmark field {path} ({kind})"),
        }
        if kind == "enum":
            out["enum"] = list(raw["values"])
            out["enum_titles"] = {v: _label(f"基准取值 {v}", f"Benchmark value {v}") for v in raw["values"]}
        sections[section]["fields"][name] = out
        if not raw.get("optional"):
            sections[section]["required"].append(name)
    for sec in sections.values():
        if not sec["required"]:
            del sec["required"]
    return sections


def level_for(product: int) -> str:
    """The matrix level of a probability x impact product."""
    return next(name for name, lowest, _zh, _en in reversed(LEVELS) if product >= lowest)


def translate(spec: Mapping[str, Any], *, leaf_missing: bool = False) -> dict[str, Any]:
    """The peers' spec (a loaded ``spec.yaml``) as a riskassess rule-set document."""
    if spec.get("spec_version") != 1:
        raise ValueError(f"unsupported spec_version {spec.get('spec_version')!r}")
    factors = []
    for f in spec["factors"]:
        if f["category"] not in CATEGORIES:
            raise ValueError(f"factor {f['id']}: unmapped category {f['category']!r}")
        tier = f" (tier of {f['tier_of']})" if f.get("tier_of") else ""
        factors.append({
            "id": ID_PREFIX + f["id"],
            "category": CATEGORIES[f["category"]],
            "title": _label(f"基准因素 {f['id']}", f["name"]),
            "description": _label(f"同行基准因素 {f['id']}", f"Peer benchmark factor {f['id']}{tier}"),
            "basis": [{"document": "peer-spec", "article": f["id"]}],
            "weight": f.get("weight", 1),
            "cases": [{"when": translate_condition(f["when"], leaf_missing=leaf_missing),
                       "probability": int(f["probability"]), "impact": int(f["impact"])}],
        })
    grid = {str(p): [level_for(p * i) for i in range(1, 6)] for p in range(1, 6)}
    return {
        "ruleset_format": 1,
        "id": RULESET_ID,
        "version": f"{spec['spec_version']}.0.0",
        "title": _label("同行引擎基准规则集", f"Peer engine benchmark ({spec.get('name', 'spec')})"),
        "description": _label("由同行基准 spec.yaml 自动转换，仅用于性能与等价性测试。",
                              "Translated mechanically from the peer benchmark's spec.yaml; for speed and "
                              "equivalence tests only."),
        "jurisdiction": _label("基准（非法规）", "Benchmark (not law)"),
        "documents": [{"id": "peer-spec", "title": _label("同行基准规则说明 spec.yaml", "Peer benchmark spec.yaml"),
                       "confidence": "unverified"}],
        "questionnaire": {"standard": False, "fields": _fields(spec)},
        "defaults": {"on_unknown": "assume_no_match", "missing": "false", "literal_status": "pack_judgement"},
        "factors": factors,
        "scoring": {
            "matrix": {
                "levels": [{"id": name, "title": _label(zh, en)} for name, _lo, zh, en in LEVELS],
                "grid": grid,
                **copy.deepcopy(_PROVENANCE),
            },
            "methods": [
                {"method": "index", "params": {
                    "scale": {"probability": [0.2, 0.4, 0.6, 0.8, 1.0], "impact": [0.2, 0.4, 0.6, 0.8, 1.0]},
                    "weights": "factor", "normalize": "matched",
                    "bands": [{"grade": "medium", "from": 0.36, "inclusive": True},
                              {"grade": "high", "from": 0.64, "inclusive": True}],
                    **copy.deepcopy(_PROVENANCE)}},
                {"method": "count", "params": {
                    "rules": [{"grade": "high", "any_of": [{"level_at_least": "major", "count_at_least": 1}]},
                              {"grade": "medium",
                               "any_of": [{"level_at_least": "significant", "count_at_least": 2}]}],
                    **copy.deepcopy(_PROVENANCE)}},
            ],
            "combine": "highest",
        },
        "grades": [{"id": "low", "title": _label("低风险", "Low risk")},
                   {"id": "medium", "title": _label("中风险", "Medium risk")},
                   {"id": "high", "title": _label("高风险", "High risk")}],
        "decisions": {"default": {
            "low": {"code": "proceed", "title": _label("可实施", "Proceed")},
            "medium": {"code": "proceed_with_measures", "title": _label("落实措施后实施", "Proceed with measures")},
            "high": {"code": "do_not_proceed", "title": _label("暂不实施", "Do not proceed")},
        }},
    }


def replicate(doc: Mapping[str, Any], copies: int) -> dict[str, Any]:
    """``doc`` with its factors repeated ``copies`` times (copy k >= 2 gets ids ``<id>.r<k>``)."""
    out = copy.deepcopy(dict(doc))
    base = out["factors"]
    factors = list(base)
    for k in range(2, copies + 1):
        for f in base:
            g = copy.deepcopy(f)
            g["id"] = f"{f['id']}.r{k}"
            factors.append(g)
    out["factors"] = factors
    out["id"] = f"{doc['id']}-x{copies}" if copies > 1 else doc["id"]
    return out


def questionnaire_data(q: Mapping[str, Any]) -> dict[str, Any]:
    """A generated peer questionnaire as a riskassess questionnaire document.

    The peers' generator adds a top-level ``id`` that the riskassess schema does
    not know, and riskassess requires ``format_version``; the answers are unchanged.
    """
    out: dict[str, Any] = {"format_version": 1}
    out.update((k, v) for k, v in q.items() if k in SECTIONS)
    return out


def original_id(fid: str) -> str:
    """A translated factor id back to the spec's id (``bench.LAND-01a`` -> ``LAND-01a``)."""
    return fid[len(ID_PREFIX):] if fid.startswith(ID_PREFIX) else fid


class _NoAliasDumper(yaml.SafeDumper):
    """riskassess refuses YAML anchors/aliases, so never emit them for shared objects."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(doc: Mapping[str, Any]) -> str:
    """``doc`` as YAML text (no aliases, Unicode kept, key order kept)."""
    return yaml.dump(dict(doc), Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=120)


def write_rule_set(doc: Mapping[str, Any], directory: Path, name: str = "ruleset.yaml") -> Path:
    """Write ``doc`` to ``directory/name`` and return the path."""
    path = Path(directory) / name
    path.write_text(dump(doc), encoding="utf-8")
    return path


def main() -> int:
    """Print the translated rule set as YAML."""
    sys.stdout.write(dump(translate(load_spec())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
