"""``register diff A B``: what changed between two assessments, named as ``verify`` names differences.

In this order: the rule sets (each of the lineage, by id, version and SHA-256), plugins and engine; the
answers, by field path (list items by their id); then the results: grades, ranges, decision, and each
factor, override and factor group by its id and field. Condition-by-condition detail and derivation
steps are left out: they follow from the answers and rules already named.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..i18n import Text, tr
from ..record_diff import ABSENT, TOP, Key, Shown, changes_between, described

_FACTOR_FIELDS = frozenset({"applies", "case", "initial", "post_measure", "measures", "counted",
                            "decided_by_unknown"})


def diff_records(a: Mapping[str, Any], b: Mapping[str, Any], first: Text, second: Text) -> list[Text]:
    """The changes from record ``a`` (called ``first``) to record ``b`` (``second``)."""
    return [*_lineage(a, b), *_answers(a, b), *_results(a, b, first, second)]


def _lineage(a: Mapping[str, Any], b: Mapping[str, Any]) -> Iterator[Text]:
    old, new = ({r.get("id"): r for r in rec.get("rule_sets") or []} for rec in (a, b))
    for rid in dict.fromkeys([*old, *new]):
        before, after = old.get(rid), new.get(rid)
        if before is None or after is None or _version(before) != _version(after):
            yield tr("rule set {id}: {old} → {new}", id=rid, old=_version(before), new=_version(after))
    plugins = [{p.get("name"): p.get("version") for p in rec.get("plugins") or []} for rec in (a, b)]
    for name in sorted(set(plugins[0]) | set(plugins[1]), key=str):
        if plugins[0].get(name) != plugins[1].get(name):
            yield tr("plugin {name}: {old} → {new}", name=name, old=plugins[0].get(name) or tr("not used"),
                     new=plugins[1].get(name) or tr("not used"))
    engines = [(rec.get("engine") or {}).get("version") for rec in (a, b)]
    if engines[0] != engines[1]:
        yield tr("engine: riskassess {old} → {new}", old=engines[0], new=engines[1])


def _version(rule_set: Mapping[str, Any] | None) -> Text | str:
    if rule_set is None:
        return tr("not used")
    return f"{rule_set.get('version')} (sha256 {str(rule_set.get('sha256'))[:16]})"


def _answers(a: Mapping[str, Any], b: Mapping[str, Any]) -> Iterator[Text]:
    old, new = (rec["questionnaire"]["answers"] for rec in (a, b))
    for where, before, after in changes_between(old, new):
        yield tr("answer {field}: {old} → {new}", field=_path(where), old=_value(before), new=_value(after))


def _value(value: Any) -> Text:
    return tr("not answered") if value is ABSENT else Shown(value)


def _path(where: tuple[Any, ...]) -> str:
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, (Key, int)) else (f".{part}" if out else str(part))
    return out


def _results(a: Mapping[str, Any], b: Mapping[str, Any], first: Text, second: Text) -> list[Text]:
    changes = [c for c in changes_between(a["result"], b["result"]) if _kept(c[0])]
    out: list[Text] = []
    for said in described(changes, b.get("labels") or a.get("labels") or {}):
        text = _reworded(said, first, second)
        if text not in out:
            out.append(text)
    return out


def _kept(where: tuple[Any, ...]) -> bool:
    head = str(where[0])
    if head in ("factors", "overrides"):
        return len(where) == 2 or str(where[2]) in (_FACTOR_FIELDS if head == "factors" else {"fired"})
    if head == "groups":
        return True
    return tuple(map(str, where)) in TOP or where == ("decision",)


def _reworded(said: Text, first: Text, second: Text) -> Text:
    """verify's words ("… in the record, … on re-evaluation") as a change from one entry to the other."""
    what = said.params.get("what")
    if "recorded" in said.params:
        return tr("{what}: {old} → {new}", what=what, old=said.params["recorded"], new=said.params["current"])
    if said.template.startswith("{what}: in the record"):
        return tr("{what}: in {entry} only", what=what, entry=first)
    return tr("{what}: in {entry} only", what=what, entry=second)
