"""The words a report needs, written into the record so a report can be made from the record alone.

A record names grades, levels, categories, cases, documents and answers by their codes; people read
titles. :func:`record_labels` collects the zh/en titles of everything a record mentions — from the
rule set and the questionnaire's field catalogue — as the record's ``labels`` block. It is
presentation: outside the record id, and rebuilt identically from the same rule set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .hookspecs import Label
from .questionnaire import answer_at
from .ruleset import CATEGORIES

if TYPE_CHECKING:
    from .questionnaire import FieldCatalogue
    from .ruleset import RuleSet

MEASURE_STATUS_TITLES = {
    "planned": Label("计划中", "planned"),
    "committed": Label("已承诺", "committed"),
    "in_progress": Label("实施中", "in progress"),
    "completed": Label("已完成", "completed"),
    "cancelled": Label("已取消", "cancelled"),
}
THRESHOLD_STATUS_TITLES = {
    "verified_law": Label("法律法规明文", "in a primary legal text"),
    "secondary_source": Label("二手来源", "secondary source"),
    "practitioner_convention": Label("从业惯例（未见正式文本）", "practitioner convention (no official text)"),
    "pack_judgement": Label("本规则包判断", "this pack's judgement"),
}
EVIDENCE_METHOD_TITLES = {
    "measured": Label("实测", "measured"),
    "surveyed": Label("调查", "surveyed"),
    "expert_judged": Label("专家判断", "expert judgement"),
    "assumed": Label("假定", "assumed"),
}
DOCUMENT_CONFIDENCE_TITLES = {
    "verified": Label("已核实", "verified"),
    "secondary": Label("二手来源", "secondary"),
    "unverified": Label("未核实", "unverified"),
}


def _d(label: Label | None) -> dict[str, str] | None:
    return None if label is None else label.as_dict()


def record_labels(rs: RuleSet, answers: Mapping[str, Any]) -> dict[str, Any]:
    """zh/en titles for every code the record of ``answers`` under ``rs`` uses."""
    return {
        "rule_set": {"title": _d(rs.title), "description": _d(rs.description), "jurisdiction": _d(rs.jurisdiction)},
        "documents": [{"id": d["id"], "number": d.get("number"), "title": d["title"],
                       "confidence": d["confidence"]} for d in rs.documents],
        "grades": {g.id: {"title": _d(g.title), "definition": _d(g.definition)} for g in rs.grades},
        "levels": {lid: _d(title) for lid, title in rs.levels},
        "categories": {cid: _d(title) for cid, title in CATEGORIES.items()},
        "cases": {f.id: {c.id: _d(c.title) for c in f.cases if c.title is not None} for f in rs.factors
                  if any(c.title is not None for c in f.cases)},
        "overrides": {o.id: _d(o.title) for o in rs.overrides},
        "groups": {gid: _d(g.title) for gid, g in rs.groups.items()},
        "methods": {s.method: _d(s.title) for s in rs.scoring if s.title is not None},
        "thresholds": {name: {"value": t.get("value"), "status": t.get("status"), "source": t.get("source")}
                       for name, t in rs.thresholds.items()},
        "matrix": {"status": rs.matrix_provenance.get("status"), "source": rs.matrix_provenance.get("source")},
        "decisions": {channel: {g: {"code": d.code, "title": _d(d.title)} for g, d in table.items()}
                      for channel, table in rs.decisions.items()},
        "fields": {**_field_labels(rs.catalogue, answers, frozenset(rs.program.facts)),
                   **{path: {"title": _d(d.title)} for path, d in rs.derived_facts.items()
                      if path in rs.program.facts}},
        "statuses": {
            "measures": {k: _d(v) for k, v in MEASURE_STATUS_TITLES.items()},
            "thresholds": {k: _d(v) for k, v in THRESHOLD_STATUS_TITLES.items()},
            "documents": {k: _d(v) for k, v in DOCUMENT_CONFIDENCE_TITLES.items()},
        },
    }


def _field_labels(catalogue: FieldCatalogue, answers: Mapping[str, Any], read: frozenset[str]) -> dict[str, Any]:
    """Titles (and units, enum titles) of the sections and of every field the questionnaire answers or the
    rules read."""
    out: dict[str, Any] = {}
    for name, section in catalogue.sections.items():
        out[name] = {"title": _d(section.title)}
    for path in catalogue.leaf_paths():
        spec = catalogue.field_at(path)
        if spec is None or (path not in read and answer_at(answers, path) is None):
            continue
        entry: dict[str, Any] = {"title": _d(spec.title)}
        if spec.unit is not None:
            entry["unit"] = _d(spec.unit)
        titles = spec.items.enum_titles if spec.kind == "array" and spec.items else spec.enum_titles
        if titles:
            entry["enum"] = {k: _d(v) for k, v in titles.items()}
        out[path] = entry
        if spec.kind == "array" and spec.items is not None and spec.items.kind == "object":
            for name, item in spec.items.fields.items():  # e.g. public.opinions.adopted
                out[f"{path}.{name}"] = {"title": _d(item.title),
                                         **({"enum": {k: _d(v) for k, v in item.enum_titles.items()}}
                                            if item.enum_titles else {})}
    return out
