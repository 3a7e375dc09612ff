"""The published fuzzy evaluation (Complexity 2019, 2452895, Tables 6–7) reproduced end to end.

Expected numbers are the recomputation in the research notes, not the paper's printed ones where
the paper is wrong: the impact index is 4.689 (printed 4.63, which only its own mis-rounded vector
gives) and group c1's third probability membership 0.1545 (printed 0.13). The paper's weights add
up to 1.01 — the method says so rather than silently renormalising.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

riskassess_expert = pytest.importorskip("riskassess_expert", reason="install ./plugins/riskassess-expert")

pytest_plugins = ["riskassess.testing"]
riskassess_plugins = [riskassess_expert]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def answers(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def steps(assessment, stage="initial"):
    (derivation,) = assessment.derivations[stage]
    return derivation.steps


def value(assessment, step, dimension=None, group=None, label_en=None):
    for s in steps(assessment):
        if s["step"] == step and s.get("dimension") == dimension and s.get("group") == group and \
                (label_en is None or s.get("label", {}).get("en") == label_en):
            return s["value"]
    raise AssertionError(f"no {step} step for {dimension} {group}")


def test_table_7_recomputed(riskassess_assess):
    a = riskassess_assess(answers("fce-2019-groups.yaml"), "expert-fce-2019")
    assert value(a, "vector", "probability") == pytest.approx([0.0172, 0.0566, 0.1031, 0.2543, 0.317, 0.1894, 0.07])
    assert value(a, "value", "probability", label_en="weighted-average grade (Σ k·μk)") == pytest.approx(4.6683)
    assert value(a, "vector", "impact") == pytest.approx([0.0057, 0.0737, 0.1094, 0.2375, 0.3301, 0.2024, 0.0561])
    assert value(a, "value", "impact", label_en="weighted-average grade (Σ k·μk)") == pytest.approx(4.6889)
    for dim in ("probability", "impact"):
        assert value(a, "value", dim, label_en="maximum-membership grade") == 5
    assert value(a, "index") == pytest.approx(4.6786)  # the mean of the two: medium (≥ 4, < 5)
    assert a.initial_grade == "medium" and a.post_measure_grade == "medium"


def test_the_papers_own_inconsistencies_are_warned_of(riskassess_assess):
    a = riskassess_assess(answers("fce-2019-groups.yaml"), "expert-fce-2019")
    messages = [w["message"]["en"] for w in a.warnings if w["code"] == "method"]
    assert "Scoring method fuzzy: the probability weights of the groups add up to 1.010, not 1" in messages
    assert "Scoring method fuzzy: the impact weights of the groups add up to 1.010, not 1" in messages
    assert "Scoring method fuzzy: the impact memberships of c4 add up to 1.020, not 1" in messages
    zh = [w["message"]["zh"] for w in a.warnings if w["code"] == "method"]
    assert "计分方法 fuzzy：各组发生概率权重之和为 1.010，不是 1" in zh


def test_table_6_factor_level(riskassess_assess):
    a = riskassess_assess(answers("fce-2019-factors.yaml"), "expert-fce-2019")
    assert value(a, "vector", "probability", "c1") == pytest.approx([0.0228, 0.0354, 0.1545, 0.173, 0.3581, 0.1639,
                                                                     0.1045])


def test_after_measures_the_experts_judge_again(riskassess_assess):
    data = answers("fce-2019-groups.yaml")
    calmer = [0.2, 0.3, 0.3, 0.1, 0.1, 0, 0]
    data["extensions"]["expert"]["memberships_after_measures"] = [
        {"id": g, "probability": calmer, "impact": calmer} for g in ("c1", "c2", "c6")]
    a = riskassess_assess(data, "expert-fce-2019")
    assert a.initial_grade == "medium" and a.post_measure_grade == "low"


def test_missing_memberships_are_the_owners_to_give(riskassess_engine):
    data = answers("fce-2019-groups.yaml")
    data["extensions"]["expert"]["memberships"] = data["extensions"]["expert"]["memberships"][1:]
    rs = riskassess_engine.rule_set("expert-fce-2019")
    with pytest.raises(riskassess_expert.methods.InputError, match="expert memberships missing for d11"):
        riskassess_engine.assess(riskassess_engine.questionnaire(data, rs, "test"), rs)
