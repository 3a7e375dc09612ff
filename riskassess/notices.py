"""What an assessment tells its reader besides the grades: the unknown answers and how each was treated,
and the warnings (provisional grades, measures not counted, a floor the measures cannot lower, a range
that is only an estimate, dilution)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assessment import FactorResult, OverrideResult
    from .engine import Outcome
    from .hookspecs import Derivation
    from .ruleset import RuleSet


def list_unknowns(rs: RuleSet, facts: Mapping[str, Any], factors: Sequence[FactorResult],
              overrides: Sequence[OverrideResult]) -> list[dict[str, Any]]:
    """Every fact the rule set reads that has no answer, and what that did to the grade."""
    out = []
    for path, value in facts.items():
        if value is not None:
            continue
        spec = rs.catalogue.field_at(path)
        derived = rs.derived_facts.get(path)
        title = spec.title.as_dict() if spec else (derived.title.as_dict() if derived else {"zh": path, "en": path})
        affected = []
        for f in factors:
            if path in f.missing_facts and f.decided_by_unknown:
                policy = rs.factors[f.index].on_unknown
                affected.append({"factor": f.id, "policy": policy,
                                 "treated_as": "applies" if f.applies else "does_not_apply", "case": f.case})
        for o in overrides:
            if o.decided_by_unknown and any(leaf.fact == path for leaf in o.leaves):
                policy = rs.overrides[o.index].on_unknown
                affected.append({"override": o.id, "policy": policy,
                                 "treated_as": "fired" if o.fired else "not_fired"})
        declared = sorted({(f.id, leaf.missing_policy) for f in factors for c in f.cases for leaf in c.leaves
                           if leaf.fact == path and leaf.missing_policy != "unknown"}
                          | {(o.id, leaf.missing_policy) for o in overrides for leaf in o.leaves
                             if leaf.fact == path and leaf.missing_policy != "unknown"})
        entry: dict[str, Any] = {"fact": path, "title": title, "affects": affected}
        if declared:
            # The rule set said what a missing answer means for these leaves; say that it happened.
            entry["declared"] = [{"rule": rid, "leaf_treated_as": policy} for rid, policy in declared]
        if derived:
            entry["derived_from"] = list(derived.inputs)
            entry["formula"] = derived.formula
        out.append(entry)
    return out


def list_warnings(rs: RuleSet, answers: Mapping[str, Any], outcome: Outcome, factors: Sequence[FactorResult],
              unknowns: Sequence[dict[str, Any]], firm: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def warn(code: str, zh: str, en: str, **extra: Any) -> None:
        out.append({"code": code, "message": {"zh": zh, "en": en}, **extra})

    deciding = [u for u in unknowns if u["affects"]]
    if deciding and not firm:
        names = ", ".join(u["fact"] for u in deciding)
        warn("provisional", f"等级为暂定：{len(deciding)} 项缺失答案影响了结果（{names}）。补充后重新评估。",
             f"The grade is provisional: {len(deciding)} missing answer(s) decided factors ({names}). "
             "Answer them and evaluate again.", facts=[u["fact"] for u in deciding])
    applicable = {f.id for f in factors if f.applies}
    for m in answers.get("measures") or ():
        if m["status"] not in rs.counted_statuses:
            warn("measure_not_counted", f"措施 {m['id']} 状态为 {m['status']}，不计入措施后等级。",
                 f"Measure {m['id']} is {m['status']}; only {', '.join(sorted(rs.counted_statuses))} measures "
                 "count towards the post-measure grade.", measure=m["id"])
        for fid in m["addresses"]:
            if fid in rs.factor_index and fid not in applicable:
                warn("measure_for_inapplicable_factor", f"措施 {m['id']} 针对的因素 {fid} 不适用于本项目。",
                     f"Measure {m['id']} addresses {fid}, which does not apply to this project.",
                     measure=m["id"], factor=fid)
    unsure = [step.method for step in rs.scoring if getattr(step.prepared, "monotone", True) is False]
    if unsure:
        warn("range_estimate", f"评分方法 {'、'.join(unsure)} 不是单调的（如按适用因素求平均的指数："
             "增加一个较轻因素会使其下降），等级区间只是估计。",
             f"Scoring method(s) {', '.join(unsure)} are not monotone (e.g. an index averaged over the applicable "
             "factors falls when a minor factor is added): the grade range is an estimate.", methods=unsure)
    if outcome.effects and outcome.post == outcome.floor and max(outcome.post_by_method) < outcome.floor:
        fired = [rs.overrides[o].id for o in outcome.fired_overrides if rs.overrides[o].floor == outcome.floor]
        floor = rs.grades[outcome.floor]
        warn("floor_holds", f"措施降低了因素等级，但直接定性指标（{'、'.join(fired)}）使措施后等级仍不低于"
             f"{floor.title.zh}：该指标读取的是调查或事件本身，措施不改变它。",
             f"The measures lower factor levels, but a direct indicator ({', '.join(fired)}) keeps the post-measure "
             f"grade at {floor.title.en} or above: it reads the survey or incident itself, which measures do not "
             "change.", overrides=fired)
    top = len(rs.levels) - 1
    for stage, factor_list, grade in (("initial", outcome.initial_factors, outcome.initial),
                                      ("post_measure", outcome.post_factors, outcome.post)):
        if grade == 0 and top > 0 and any(f.level == top for f in factor_list) and len(rs.grades) > 1:
            stage_zh = "措施前" if stage == "initial" else "措施后"
            warn("dilution", f"{stage_zh}：总体等级为最低，但有因素处于最高风险程度（{rs.levels[top][1].zh}），"
                 "请检查评分方法（综合指数可能稀释单一重大风险）。",
                 f"{stage}: the overall grade is the lowest although a factor is at the top level "
                 f"({rs.levels[top][1].en}); check the method (an index can dilute a single major risk).",
                 stage=stage)
    if rs.decision_for((answers.get("project") or {}).get("channel"), outcome.post) is None:
        warn("no_decision", "规则集未给出该审批渠道的决策对应关系。",
             "The rule set maps no decision for this approval channel.")
    return out


def method_warnings(derivations: Mapping[str, Sequence[Derivation]]) -> list[dict[str, Any]]:
    """What the scoring methods themselves warned of, once each, naming the method and the stage."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for stage, ds in derivations.items():
        for d in ds:
            for w in d.warnings:
                if (d.method, w.en) in seen:
                    continue
                seen.add((d.method, w.en))
                message = {"zh": f"计分方法 {d.method}：{w.zh}", "en": f"Scoring method {d.method}: {w.en}"}
                out.append({"code": "method", "method": d.method, "stage": stage, "message": message})
    return out
