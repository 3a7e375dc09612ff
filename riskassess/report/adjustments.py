"""The filed report's table of assessor adjustments, from the record alone (see :mod:`riskassess.adjustments`).

For each adjustment the assessment body gave: the factor, the stage, the levels before → after (or what
it would have set, when it was not applied), the justification, who approved it, when, until when, and
whether it was applied — with the as-of date it was judged on and a sentence for each one not applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..adjustment_record import STAGE_TITLES, STATUS_TITLES, justification_text

if TYPE_CHECKING:
    from .outline import _Builder

WORDS: dict[str, tuple[str, str]] = {
    "caption": ("评估主体对风险因素等级的调整（评估基准日 {as_of}）",
                "Assessor adjustments of factor levels (as of {as_of})"),
    "stage": ("阶段", "Stage"),
    "change": ("调整前 → 调整后", "From → to"),
    "justification": ("理由", "Justification"),
    "approver": ("批准人", "Approved by"),
    "approved": ("批准日期", "Approved"),
    "expires": ("到期日期", "Expires"),
    "status": ("结果", "Applied or not"),
    "would_set": ("拟设定：{levels}（未采用）", "would set {levels} (not applied)"),
    "probability": ("概率 {value}", "probability {value}"),
    "impact": ("影响 {value}", "impact {value}"),
    "rule": ("调整只在批准日至到期日（含）之间有效，按评估基准日判断；"
             "调整只设定适用因素的等级，不能使不适用的因素适用。",
             "An adjustment counts from its approval to its expiry, both days included, judged on the as-of date; "
             "it sets the level of a factor that applies and cannot make a factor apply."),
    "remark": ("{stage}等级经评估主体调整（见调整表）", "level {stage} set by an assessor adjustment (see the "
                                                      "adjustments table)"),
    "hash": ("评估主体调整（SHA-256，评估基准日）", "Assessor adjustments (SHA-256, as of)"),
}


def _w(b: _Builder, key: str, **params: Any) -> str:
    zh, en = WORDS[key]
    return (zh if b.lang == "zh" else en).format(**params)


def adjustments_section(b: _Builder) -> None:
    """The adjustments table and what became of each, when the record has adjustments."""
    block = b.r.get("adjustments")
    results = b.result.get("adjustments")
    if not isinstance(block, Mapping) or not results:
        return
    titles = {f["id"]: b.lab(f["title"], f["id"]) for f in b.result["factors"]}
    rows = [[str(n), titles.get(e["factor"], e["factor"]), b.lab(STAGE_TITLES[e["stage"]].as_dict(), e["stage"]),
             _change(b, e), justification_text(e["justification"], b.lang), str(e["approved_by"]),
             str(e["approved_on"]), str(e["expires"]), b.lab(STATUS_TITLES[e["status"]].as_dict(), e["status"])]
            for n, e in enumerate(results, 1)]
    header = [b.w("no"), b.w("factor"), _w(b, "stage"), _w(b, "change"), _w(b, "justification"), _w(b, "approver"),
              _w(b, "approved"), _w(b, "expires"), _w(b, "status")]
    b.table(_w(b, "caption", as_of=block.get("as_of", "")), header, rows)
    b.p(_w(b, "rule"))
    for warning in b.result.get("warnings") or []:
        if str(warning.get("code", "")).startswith("adjustment_"):
            b.p(b.lab(warning.get("message")))


def _change(b: _Builder, e: Mapping[str, Any]) -> str:
    """``措施后：3×4 较大 → 2×4 一般`` for each stage applied; what it would have set otherwise."""
    sep = "；" if b.lang == "zh" else "; "
    colon = "：" if b.lang == "zh" else ": "
    parts = []
    for stage in ("initial", "post_measure"):
        if stage in e:
            old, new = (b.level(e[stage][k]) for k in ("from", "to"))
            parts.append(f"{b.lab(STAGE_TITLES[stage].as_dict())}{colon}{old[0]}×{old[1]} {old[2]} → "
                         f"{new[0]}×{new[1]} {new[2]}")
    if parts:
        return sep.join(parts)
    levels = [_w(b, key, value=e[key]) for key in ("probability", "impact") if e.get(key) is not None]
    return _w(b, "would_set", levels=("、" if b.lang == "zh" else ", ").join(levels))


def adjusted_remark(b: _Builder, f: Mapping[str, Any]) -> list[str]:
    """A factor whose level an adjustment set says so where its levels are listed."""
    stages = f.get("adjusted") or []
    if not stages:
        return []
    stage = STAGE_TITLES["both" if len(stages) > 1 else stages[0]]
    return [_w(b, "remark", stage=stage.zh if b.lang == "zh" else stage.en)]


def provenance_rows(b: _Builder) -> list[list[str]]:
    """The adjustments' hash and as-of date, for the provenance table."""
    block = b.r.get("adjustments")
    if not isinstance(block, Mapping):
        return []
    return [[_w(b, "hash"), f"{block.get('sha256', '')}（{block.get('as_of', '')}）" if b.lang == "zh"
             else f"{block.get('sha256', '')} ({block.get('as_of', '')})"]]
