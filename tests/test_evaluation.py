"""Evaluation semantics: three-valued conditions, unknown policies, measures, overrides, scoring."""

from __future__ import annotations

import copy

import pytest

from riskassess import InputError, RuleSetError

from .conftest import base_questionnaire, index_method, label, mini_rule_set


def q(**demo):
    return {"format_version": 1, "demo": demo}


def grade_of(engine, rs, answers):
    return engine.assess(engine.questionnaire(answers, rs), rs)


# ------------------------------------------------------------------------ conditions


def test_first_matching_case_wins_and_evidence_is_recorded(engine, make_rules):
    rs = make_rules(mini_rule_set())
    a = grade_of(engine, rs, q(households=250, share=0.1))
    scale = a.factors[0]
    assert (scale.applies, scale.case) == (True, "big")
    assert (scale.initial.probability, scale.initial.impact) == (4, 5)
    leaf = scale.cases[0].leaves[0]
    assert (leaf.fact, leaf.op, leaf.operand, leaf.actual, leaf.outcome) == ("demo.households", "gte", 100, 250,
                                                                             "true")
    assert scale.cases[1].outcome == "true"  # later cases are still traced
    assert a.initial_grade == "high"


def test_missing_answer_is_unknown_not_false_and_assume_match_is_conservative(engine, make_rules):
    rs = make_rules(mini_rule_set())
    a = grade_of(engine, rs, q(share=0.1))
    scale = a.factors[0]
    assert scale.cases[0].outcome == "unknown"
    assert (scale.applies, scale.case, scale.decided_by_unknown) == (True, "big", True)
    assert a.provisional
    assert a.unknowns[0]["fact"] == "demo.households"
    assert a.unknowns[0]["affects"] == [{"factor": "t.scale", "policy": "assume_match", "treated_as": "applies",
                                         "case": "big"}]
    assert a.warnings[0]["code"] == "provisional"


def test_assume_no_match_skips_unknown_cases_but_says_so(engine, make_rules):
    data = mini_rule_set()
    data["factors"][0]["on_unknown"] = "assume_no_match"
    rs = make_rules(data)
    a = grade_of(engine, rs, q(share=0.1))
    assert (a.factors[0].applies, a.factors[0].decided_by_unknown) == (False, True)
    assert a.unknowns[0]["affects"][0]["treated_as"] == "does_not_apply"
    assert a.provisional


def test_refuse_policy_stops_the_assessment(engine, make_rules):
    data = mini_rule_set()
    data["factors"][0]["on_unknown"] = "refuse"
    rs = make_rules(data)
    with pytest.raises(InputError, match=r"cannot grade without answers the rule set requires: t.scale needs "
                                         "demo.households"):
        grade_of(engine, rs, q(share=0.1))


@pytest.mark.parametrize(("missing", "expected"), [("false", False), ("true", True)])
def test_leaf_level_missing_policy(engine, make_rules, missing, expected):
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = {"not": {"fact": "demo.share", "gt": 0.3, "missing": missing}}
    rs = make_rules(data)
    a = grade_of(engine, rs, q(households=0))
    # `not` applies after the leaf policy: a missing share with missing: false makes the leaf false, so not → true.
    assert a.factors[1].applies is (not expected)
    assert a.factors[1].decided_by_unknown is False


@pytest.mark.parametrize(("when", "answers", "outcome"), [
    ({"all": [{"fact": "demo.flag", "eq": True}, {"fact": "demo.households", "gt": 5}]}, {"flag": False}, "false"),
    ({"all": [{"fact": "demo.flag", "eq": True}, {"fact": "demo.households", "gt": 5}]}, {"flag": True}, "unknown"),
    ({"any": [{"fact": "demo.flag", "eq": True}, {"fact": "demo.households", "gt": 5}]}, {"flag": True}, "true"),
    ({"any": [{"fact": "demo.flag", "eq": True}, {"fact": "demo.households", "gt": 5}]}, {"flag": False}, "unknown"),
    ({"not": {"fact": "demo.households", "gt": 5}}, {}, "unknown"),
    ({"fact": "demo.households", "exists": False}, {}, "true"),
    ({"fact": "demo.kind", "in": ["a", "b"]}, {"kind": "b"}, "true"),
    ({"fact": "demo.kind", "not_in": ["a", "b"]}, {"kind": "b"}, "false"),
    ({"fact": "demo.share", "between": [0.2, 0.5]}, {"share": 0.5}, "true"),
    ({"fact": "demo.media", "contains": "noise"}, {"media": ["air"]}, "false"),
    ({"fact": "demo.media", "contains": "noise"}, {"media": ["air", "noise"]}, "true"),
    ({"fact": "demo.kind", "ne": "a"}, {"kind": "c"}, "true"),
])
def test_kleene_logic_and_operators(engine, make_rules, when, answers, outcome):
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = when
    data["factors"][1]["on_unknown"] = "assume_no_match"
    rs = make_rules(data)
    a = grade_of(engine, rs, q(**answers))
    assert a.factors[1].cases[0].outcome == outcome
    assert a.factors[1].applies is (outcome == "true")


# ------------------------------------------------------------------------ grades


def test_measures_lower_the_post_measure_grade_only_when_counted(engine, make_rules):
    rs = make_rules(mini_rule_set())
    answers = q(households=250, share=0.1)
    answers["measures"] = [
        {"id": "M1", "addresses": ["t.scale"], "description": "安置房先建后拆", "status": "committed",
         "effect": {"probability": -2, "impact": -1}},
        {"id": "M2", "addresses": ["t.scale"], "description": "计划中", "status": "planned",
         "effect": {"probability": -2}},
    ]
    a = grade_of(engine, rs, answers)
    assert (a.initial_grade, a.post_measure_grade) == ("high", "low")  # 4×5 → 2×4 = 8 (< 9)
    assert a.factors[0].post.probability == 2 and a.factors[0].post.impact == 4
    assert a.factors[0].measures == ("M1",)
    assert any(w["code"] == "measure_not_counted" and w["measure"] == "M2" for w in a.warnings)


def test_overrides_floor_both_grades(engine, make_rules):
    data = mini_rule_set(overrides=[{"id": "t.opposition", "title": label("Opposition"),
                                     "basis": [{"document": "doc"}], "when": {"fact": "demo.share", "gt": 0.5},
                                     "floor": "high", "on_unknown": "assume_no_match"}])
    rs = make_rules(data)
    answers = q(households=0, share=0.6)
    answers["measures"] = [{"id": "M1", "addresses": ["t.share"], "description": "x", "status": "completed",
                            "effect": {"probability": -2, "impact": -3}}]
    a = grade_of(engine, rs, answers)
    assert a.factors[1].post.level == 0
    assert (a.initial_grade, a.post_measure_grade) == ("high", "high")
    assert a.overrides[0].fired and a.overrides[0].floor == "high"


def test_decision_follows_the_post_measure_grade(engine, national):
    answers = base_questionnaire()
    a = grade_of(engine, national, answers)
    assert a.post_measure_grade == "low"
    assert a.decision["code"] == "approvable"
    answers["project"]["channel"] = "major_decision"
    assert grade_of(engine, national, answers).decision["code"] == "implement"


def test_complete_low_questionnaire_is_not_provisional(engine, national):
    a = grade_of(engine, national, base_questionnaire())
    assert not a.provisional
    assert [f.id for f in a.applicable()] == []
    assert all(not u["affects"] for u in a.unknowns)


def test_national_opposition_override(engine, national):
    answers = base_questionnaire()
    answers["public"]["survey"] = {"issued": 200, "valid": 200, "support": 80, "conditional": 10, "oppose": 110}
    a = grade_of(engine, national, answers)
    fired = [o.id for o in a.overrides if o.fired]
    assert fired == ["cn.override.opposition_majority", "cn.override.opposition_significant"]
    assert (a.initial_grade, a.post_measure_grade) == ("high", "high")
    assert a.decision["code"] == "not_approvable"
    opp = next(f for f in a.factors if f.id == "cn.public.opposition")
    assert opp.cases[0].leaves[0].actual == pytest.approx(0.55)


# ------------------------------------------------------------------------ scoring


def composite_rule_set():
    """ssra-domain.md §5.4: the constructed composite-index illustration, weights 0.30/0.20/0.25/0.15/0.10."""
    names = ["land_dispute", "noise_dust", "nimby_fear", "wage_arrears", "media"]
    levels = [(3, 4), (4, 2), (3, 4), (2, 3), (2, 3)]
    weights = [0.30, 0.20, 0.25, 0.15, 0.10]
    data = mini_rule_set()
    data["questionnaire"]["fields"]["demo"]["fields"] = {
        n: {"type": "boolean", "title": label(n), "description": label(n)} for n in names}
    data["factors"] = [
        {"id": f"t.{n}", "category": "economic_social", "title": label(n), "basis": [{"document": "doc"}],
         "weight": w, "cases": [{"when": {"fact": f"demo.{n}", "eq": True}, "probability": p, "impact": i}]}
        for n, (p, i), w in zip(names, levels, weights, strict=True)]
    data["scoring"]["matrix"]["grid"] = {str(p): ["low"] * 5 for p in range(1, 6)}
    data["scoring"]["methods"] = [index_method("none", 0.36, 0.64, "practitioner_convention",
                                               "0.36/0.64 convention, unverified")]
    return data, names


def test_composite_index_worked_example(engine, make_rules):
    data, names = composite_rule_set()
    rs = make_rules(data)
    answers = q(**{n: True for n in names})
    effects = [(-1, -1), (-2, 0), (-1, -1), (-1, 0), (-1, -1)]
    answers["measures"] = [{"id": f"M{k}", "addresses": [f"t.{n}"], "description": "x", "status": "committed",
                            "effect": {"probability": dp, "impact": di}}
                           for k, (n, (dp, di)) in enumerate(zip(names, effects, strict=True))]
    a = grade_of(engine, rs, answers)
    initial = a.derivations["initial"][0]
    post = a.derivations["post_measure"][0]
    index_step = next(s for s in initial.steps if s["step"] == "index")
    assert (index_step["value"], index_step["exact"]) == ("0.388", "97/250")
    assert next(s for s in post.steps if s["step"] == "index")["value"] == "0.19"
    assert (a.initial_grade, a.post_measure_grade) == ("medium", "low")


@pytest.mark.parametrize(("inclusive", "grade"), [(True, "medium"), (False, "low")])
def test_index_boundary_is_exact_and_declared(engine, make_rules, inclusive, grade):
    data, _names = composite_rule_set()
    data["factors"] = data["factors"][:1]
    data["factors"][0]["weight"] = 1.0
    data["factors"][0]["cases"][0]["probability"] = 3
    data["factors"][0]["cases"][0]["impact"] = 3  # r = 0.6 × 0.6 = 0.36 exactly
    data["scoring"]["methods"][0]["params"]["bands"][0]["inclusive"] = inclusive
    rs = make_rules(data)
    a = grade_of(engine, rs, q(land_dispute=True))
    assert a.initial_grade == grade
    band = next(s for s in a.derivations["initial"][0].steps if s["step"] == "band")
    assert band["test"] == ("R ≥ 0.36" if inclusive else "R > 0.36")


def test_count_rule(engine, make_rules):
    data = mini_rule_set()
    data["scoring"]["methods"] = [{"method": "count", "params": {
        "rules": [{"grade": "high", "any_of": [{"level_at_least": "top", "count_at_least": 1}]},
                  {"grade": "medium", "any_of": [{"level_at_least": "mid", "count_at_least": 2}]}],
        "status": "practitioner_convention", "source": label("unverified counting rule")}}]
    rs = make_rules(data)
    assert grade_of(engine, rs, q(households=5, share=0.1)).initial_grade == "low"
    assert grade_of(engine, rs, q(households=500, share=0.1)).initial_grade == "high"
    data2 = copy.deepcopy(data)
    data2["factors"][0]["cases"][0]["impact"] = 3  # 4×3 = 12 → mid
    rs2 = make_rules(data2)
    a = grade_of(engine, rs2, q(households=500, share=0.4))
    assert a.initial_grade == "medium"
    steps = a.derivations["initial"][0].steps
    assert steps[0]["value"] == {"low": 0, "mid": 2, "top": 0}


# ------------------------------------------------------------------------ unvalidated input on the hot path


def test_decide_on_unvalidated_wrong_types_names_the_condition(engine, national):
    from riskassess import EvaluationError
    with pytest.raises(EvaluationError) as err:
        engine.decide(national, {"land": {"households_relocated": "250"}})
    assert err.value.field == "cn.land.relocation_scale case 1"
    assert "land.households_relocated = '250' (str)" in err.value.message
    with pytest.raises(EvaluationError, match="section 'labor' is list, not a mapping of answers"):
        engine.decide(national, {"labor": [1]})


def test_boolean_answers_are_exact(engine, make_rules):
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = {"fact": "demo.flag", "eq": False}
    rs = make_rules(data)
    assert engine.decide(rs, {"demo": {"flag": 0, "households": 0}}).matched == ()
    assert engine.decide(rs, {"demo": {"flag": False, "households": 0}}).matched == ("t.share",)


def test_non_finite_numbers_in_memory_are_refused(engine, national):
    from riskassess.questionnaire import QuestionnaireInvalid
    answers = base_questionnaire()
    answers["environment"]["nearest_sensitive_receptor_m"] = float("inf")
    with pytest.raises(QuestionnaireInvalid, match=r"environment.nearest_sensitive_receptor_m: inf is not a finite"):
        engine.questionnaire(answers, national)


# ------------------------------------------------------------------------ points


def points_rule_set(direction="risk_points", bands=None):
    data = mini_rule_set()
    data["questionnaire"]["fields"]["demo"]["fields"]["attitude"] = {
        "type": "string", "enum": ["support", "indifferent", "oppose"],
        "enum_titles": {k: label(k) for k in ("support", "indifferent", "oppose")},
        "title": label("Attitude"), "description": label("Attitude")}
    data["factors"] = [
        {"id": "js.grassroots", "category": "public_attitude", "title": label("Grassroots"),
         "basis": [{"document": "doc"}],
         "cases": [{"id": "oppose", "when": {"fact": "demo.attitude", "eq": "oppose"}, "points": 4},
                   {"id": "indifferent", "when": {"fact": "demo.attitude", "eq": "indifferent"}, "points": 2},
                   {"id": "support", "when": {"fact": "demo.attitude", "eq": "support"}, "points": 0}]},
        {"id": "js.opinion", "category": "public_attitude", "title": label("Opinion"),
         "basis": [{"document": "doc"}],
         "cases": [{"id": "strong", "when": {"fact": "demo.share", "gt": 0.5}, "points": 35},
                   {"id": "fair", "when": {"fact": "demo.share", "gte": 0.2}, "points": 24.5},
                   {"id": "mild", "when": {"fact": "demo.share", "gt": 0}, "points": 10.5}]},
    ]
    del data["scoring"]["matrix"]
    data["scoring"]["methods"] = [{"method": "points", "params": {
        "direction": direction,
        "items": {"js.grassroots": {"max": 4, "dimension": "rationality"},
                  "js.opinion": {"max": 35, "dimension": "controllability"}},
        "dimensions": {"rationality": 4, "controllability": 35}, "total": 39,
        "bands": bands or [{"grade": "medium", "from": 10, "inclusive": False},
                           {"grade": "high", "from": 30, "inclusive": True}],
        "status": "secondary_source", "source": label("Jiangsu template reading")}}]
    return data


def test_points_method_sums_items_and_measures_lower_points(engine, make_rules):
    rs = make_rules(points_rule_set())
    answers = q(attitude="indifferent", share=0.25)
    answers["measures"] = [{"id": "M1", "addresses": ["js.grassroots"], "description": "走访", "status": "committed",
                            "effect": {"points": -2}},
                           {"id": "M2", "addresses": ["js.opinion"], "description": "说明会", "status": "committed",
                            "effect": {"points": -20}}]
    a = grade_of(engine, rs, answers)
    total = next(s for s in a.derivations["initial"][0].steps if s["step"] == "total")
    assert (total["value"], total["of"]) == ("26.5", "39")
    dims = next(s for s in a.derivations["initial"][0].steps if s["step"] == "dimensions")
    assert dims["value"] == {"rationality": "2/4", "controllability": "24.5/35"}
    post_total = next(s for s in a.derivations["post_measure"][0].steps if s["step"] == "total")
    assert post_total["value"] == "4.5"
    assert (a.initial_grade, a.post_measure_grade) == ("medium", "low")


def test_points_direction_must_be_declared(engine, make_rules):
    data = points_rule_set()
    del data["scoring"]["methods"][0]["params"]["direction"]
    with pytest.raises(RuleSetError, match="direction must be declared: risk_points"):
        make_rules(data)


def test_points_case_above_item_maximum(engine, make_rules):
    data = points_rule_set()
    data["scoring"]["methods"][0]["params"]["items"]["js.grassroots"]["max"] = 3
    data["scoring"]["methods"][0]["params"]["dimensions"]["rationality"] = 3
    data["scoring"]["methods"][0]["params"]["total"] = 38
    with pytest.raises(RuleSetError, match=r"case 1 of js.grassroots gives 4 points, above the item's max of 3"):
        make_rules(data)


def test_points_total_must_match_items(engine, make_rules):
    data = points_rule_set()
    data["scoring"]["methods"][0]["params"]["total"] = 100
    with pytest.raises(RuleSetError, match="item maxima add up to 39, not the declared total 100"):
        make_rules(data)


def test_achieved_points_bands_run_downwards(engine, make_rules):
    data = points_rule_set("achieved_points", [{"grade": "medium", "at_most": 20, "inclusive": True},
                                               {"grade": "high", "at_most": 5, "inclusive": False}])
    rs = make_rules(data)
    assert grade_of(engine, rs, q(attitude="oppose", share=0.6)).initial_grade == "low"       # 39 achieved
    assert grade_of(engine, rs, q(attitude="support", share=0.01)).initial_grade == "medium"  # 10.5
    assert grade_of(engine, rs, q(attitude="indifferent", share=0)).initial_grade == "high"   # 2


def test_points_bands_may_not_be_empty(engine, make_rules):
    data = points_rule_set(bands=[{"grade": "medium", "from": 40, "inclusive": False},
                                  {"grade": "high", "from": 40, "inclusive": True}])
    with pytest.raises(RuleSetError, match="points: the medium band is empty: high starts at the same point"):
        make_rules(data)
