"""Governed adjustments in the record, in the terminal and in ``verify``.

The record keeps the adjustments as given with their SHA-256 and the as-of date they were judged on
(``adjustments``, top level), and what became of each (``result.adjustments``: applied — with the
levels before and after — expired, not yet approved, or without effect on a factor that does not
apply). The digest, and so the record id, covers all of it. ``verify`` re-evaluates with the
adjustments and as-of date the record states, and names an adjustment edited after the record was
written by comparing them with what the digest kept (:func:`edited_adjustments`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .adjustments import FIELD_NAMES, Governed, given_sha256
from .grading import after_measures
from .hookspecs import Label, ScoredFactor
from .i18n import Bilingual, Text, tr
from .safe_text import plain

if TYPE_CHECKING:
    from .assessment import Assessment
    from .engine import Outcome
    from .ruleset import RuleSet

STATUS_TITLES = {
    "applied": Label("已采用", "applied"),
    "expired": Label("已到期，未采用", "expired, not applied"),
    "not_yet_approved": Label("评估基准日尚未批准，未采用", "not yet approved on the as-of date, not applied"),
    "not_applicable": Label("因素不适用，无效果", "factor does not apply, no effect"),
}
STAGE_TITLES = {
    "initial": Label("措施前", "before measures"),
    "post_measure": Label("措施后", "after measures"),
    "both": Label("措施前后", "before and after measures"),
}


def justification_text(value: Any, lang: str) -> str:
    """A justification in ``lang``: one of its two languages, or the one text given."""
    if isinstance(value, Mapping):
        return str(value.get(lang) or value.get("zh") or "")
    return str(value)


def _level(rule_set: RuleSet, f: ScoredFactor) -> dict[str, Any]:
    return {"probability": f.probability, "impact": f.impact, "level": rule_set.levels[f.level][0]}


def judged(governed: Governed, outcome: Outcome, rule_set: RuleSet) -> list[dict[str, Any]]:
    """What became of each adjustment, in the order given: its status and, where applied, each stage's
    level before (as the rules and measures give it) and after the adjustment."""
    applies = {f.index for f in outcome.initial_factors}
    scored = {f.index: f for f in (outcome.unadjusted or outcome.initial_factors)}
    now = {"initial": {f.index: f for f in outcome.initial_factors},
           "post_measure": {f.index: f for f in outcome.post_factors}}
    out = []
    for a in governed.adjustments.entries:
        standing = governed.standing(a)
        status = standing if standing != "in_force" else "applied" if a.index in applies else "not_applicable"
        entry: dict[str, Any] = {"id": f"{a.factor}/{a.stage}/{a.approved_on.isoformat()}", **a.given(),
                                 "status": status, "line": a.line}
        if status == "applied":
            before = {"initial": scored[a.index],
                      "post_measure": after_measures(rule_set, [scored[a.index]], outcome.effects)[0]}
            for stage in a.stages:
                entry[stage] = {"from": _level(rule_set, before[stage]), "to": _level(rule_set, now[stage][a.index])}
        out.append(entry)
    return out


def adjustment_warnings(governed: Governed, results: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """An adjustment that changed nothing, and why: never silent."""
    out = []
    as_of = governed.as_of.isoformat()
    for n, e in enumerate(results, 1):
        status, stage = e["status"], STAGE_TITLES[e["stage"]]
        who, on, until = e["approved_by"], e["approved_on"], e["expires"]
        head_zh, head_en = (f"评估主体对因素 {e['factor']}（{stage.zh}）的调整未采用",
                            f"The adjustment of factor {e['factor']} ({stage.en}) is not applied")
        if status == "expired":
            zh = f"{head_zh}：由 {who} 于 {on} 批准，已于 {until} 到期（评估基准日 {as_of}）。"
            en = f"{head_en}: approved by {who} on {on}, it expired on {until} (as of {as_of})."
        elif status == "not_yet_approved":
            zh = f"{head_zh}：由 {who} 于 {on} 批准，晚于评估基准日 {as_of}。"
            en = f"{head_en}: approved by {who} on {on}, after the as-of date {as_of}."
        elif status == "not_applicable":
            zh = f"评估主体对因素 {e['factor']}（{stage.zh}）的调整没有效果：该因素不适用于本项目，调整不能使因素适用。"
            en = (f"The adjustment of factor {e['factor']} ({stage.en}) has no effect: the factor does not apply to "
                  "this project, and an adjustment cannot make it apply.")
        else:
            continue
        out.append({"code": f"adjustment_{status}", "message": {"zh": zh, "en": en}, "factor": e["factor"],
                    "adjustment": n})
    return out


def digest_part(governed: Governed, results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the record id covers: the as-of date, the adjustments as given, and each one's status."""
    return {"as_of": governed.as_of.isoformat(), "given": governed.adjustments.given(),
            "status": [e["status"] for e in results]}


def record_part(governed: Governed) -> dict[str, Any]:
    """The record's ``adjustments`` block: as given, with their SHA-256, the as-of date and the file."""
    adjustments = governed.adjustments
    return {"as_of": governed.as_of.isoformat(), "sha256": adjustments.sha256, "source": adjustments.source,
            "given": adjustments.given()}


def mark_factors(factors: Sequence[dict[str, Any]], results: Sequence[Mapping[str, Any]]) -> None:
    """Give each factor an adjustment set the stages it set (``adjusted``), for reports read from the record."""
    stages: dict[str, list[str]] = {}
    for e in results:
        if e["status"] == "applied":
            stages.setdefault(e["factor"], []).extend(s for s in ("initial", "post_measure") if s in e)
    for f in factors:
        if f["id"] in stages:
            f["adjusted"] = sorted(set(stages[f["id"]]), key=("initial", "post_measure").index)


# ----------------------------------------------------------------------------- verify


def recorded(record: Mapping[str, Any]) -> dict[str, Any]:
    """The adjustments and as-of date a record states, as :meth:`riskassess.Engine.assess` takes them."""
    block = record.get("adjustments")
    if not isinstance(block, Mapping):
        return {}
    return {"adjustments": block.get("given"), "as_of": block.get("as_of")}


def edited_adjustments(record: Mapping[str, Any]) -> list[Text]:
    """Each way the record's adjustments or as-of date differ from what its digest kept when it was written."""
    then, block = record["digest"].get("adjustments"), record.get("adjustments")
    if then is None and block is None:
        return []
    if not isinstance(then, Mapping):
        return [tr("adjustments: in the record now, not when it was written")]
    if not isinstance(block, Mapping):
        return [tr("adjustments: removed from the record after it was written")]
    out: list[Text] = []
    if block.get("as_of") != then.get("as_of"):
        out.append(tr("adjustments: as-of date {recorded!r} when the record was written, {current!r} in the record "
                      "now", recorded=then.get("as_of"), current=block.get("as_of")))
    old, new = _items(then.get("given")), _items(block.get("given"))
    for n in range(1, max(len(old), len(new)) + 1):
        out += _entry_edits(n, old[n - 1] if n <= len(old) else None, new[n - 1] if n <= len(new) else None)
    if not out and block.get("sha256") != given_sha256(block.get("given")):
        out.append(tr("adjustments: they no longer match their recorded SHA-256"))
    return out


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [x if isinstance(x, Mapping) else {} for x in value] if isinstance(value, list) else []


def _entry_edits(n: int, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[Text]:
    if old is None:
        return [tr("{adjustment}: in the record now, not when it was written", adjustment=_name(n, new or {}))]
    if new is None:
        return [tr("{adjustment}: removed from the record after it was written", adjustment=_name(n, old))]
    return [tr("{adjustment}: {field} {recorded!r} when the record was written, {current!r} in the record now",
               adjustment=_name(n, old), field=FIELD_NAMES.get(str(key), str(key)), recorded=_shown(old.get(key)),
               current=_shown(new.get(key)))
            for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]


def _name(n: int, item: Mapping[str, Any]) -> Text:
    stage = STAGE_TITLES.get(str(item.get("stage")))
    return tr("adjustment {n} ({factor}, {stage})", n=n, factor=item.get("factor"),
              stage=Bilingual(stage.zh, stage.en) if stage else str(item.get("stage")))


def _shown(value: Any) -> Any:
    if isinstance(value, Mapping):
        return " / ".join(str(v) for v in value.values())
    return value


# ----------------------------------------------------------------------------- the terminal

_WORDS = {
    "mark": Label("✎ 调整", "✎ adjusted"),
    "overview": Label("评估主体调整（评估基准日 {as_of}）：共 {total} 项，采用 {applied} 项",
                      "Assessor adjustments (as of {as_of}): {total}, {applied} applied"),
    "line": Label("✎ 调整（{stage}）：{change}；批准人 {who}，{on} 批准，{until} 到期；理由：{why}",
                  "✎ adjusted ({stage}): {change}; approved by {who} on {on}, expires {until}; because: {why}"),
}


def _word(key: str, lang: str, **params: Any) -> str:
    return _WORDS[key][lang].format(**params)


def factor_mark(a: Assessment, factor_id: str, lang: str) -> str:
    """``  ✎ 调整`` after the title of a factor an adjustment set, else nothing."""
    if any(e["factor"] == factor_id and e["status"] == "applied" for e in a.adjustment_results):
        return "  " + _word("mark", lang)
    return ""


def factor_lines(a: Assessment, factor_id: str, lang: str) -> list[str]:
    """For each adjustment applied to a factor: its stage, the levels from → to, who approved it and why."""
    titles = dict(a.rule_set.levels)
    out = []
    for e in a.adjustment_results:
        if e["factor"] != factor_id or e["status"] != "applied":
            continue
        for stage in ("initial", "post_measure"):
            if stage not in e:
                continue
            old, new = e[stage]["from"], e[stage]["to"]
            change = (f"{old['probability']}×{old['impact']} {titles[old['level']][lang]} → "
                      f"{new['probability']}×{new['impact']} {titles[new['level']][lang]}")
            out.append(_word("line", lang, stage=STAGE_TITLES[stage][lang], change=change, who=plain(e["approved_by"]),
                             on=e["approved_on"], until=e["expires"],
                             why=plain(justification_text(e["justification"], lang))))
    return out


def overview_line(a: Assessment, lang: str) -> str | None:
    """How many adjustments there are and how many apply, on which as-of date (``None`` without any)."""
    if a.governed is None:
        return None
    applied = sum(1 for e in a.adjustment_results if e["status"] == "applied")
    return _word("overview", lang, as_of=a.governed.as_of.isoformat(), total=len(a.adjustment_results),
                 applied=applied)
