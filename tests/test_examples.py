"""The shipped examples grade as their comments say, and nothing in them is left unknown."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLES

EXPECTED = {
    "low-urban-road.yaml": ("low", "low", "approvable"),
    "medium-substation.yaml": ("high", "medium", "not_approvable"),
    "high-incinerator.yaml": ("high", "high", "not_approvable"),
    "expressway-farmland.yaml": ("high", "low", "approvable"),
    "crosssea-bridge.yaml": ("medium", "low", "approvable"),
    "shantytown-redevelopment.yaml": ("high", "low", "controllable"),
    "chemical-park-expansion.yaml": ("high", "high", "not_approvable"),
    "reservoir-resettlement.yaml": ("high", "medium", "not_approvable"),
    "soe-restructuring.yaml": ("high", "medium", "defer"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_grades(engine, name):
    a = engine.evaluate(EXAMPLES / name)
    initial, post, decision = EXPECTED[name]
    assert (a.initial_grade, a.post_measure_grade, a.decision["code"]) == (initial, post, decision)
    assert not a.provisional
    assert all(not u["affects"] for u in a.unknowns)
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    assert f"initial grade:          {initial}" in text
    assert f"post-measure grade:   {post}" in text


def test_every_example_is_listed_in_the_tests():
    assert sorted(p.name for p in EXAMPLES.glob("*.yaml")) == sorted(EXPECTED)


def test_substation_override_and_measures(engine):
    a = engine.evaluate(EXAMPLES / "medium-substation.yaml")
    assert [o.id for o in a.overrides if o.fired] == ["cn.override.opposition_significant"]
    opposition = next(f for f in a.factors if f.id == "cn.public.opposition")
    assert opposition.cases[0].leaves[0].actual == pytest.approx(95 / 431)
    assert any(w["code"] == "measure_not_counted" for w in a.warnings)


def test_incinerator_major_factors(engine):
    a = engine.evaluate(EXAMPLES / "high-incinerator.yaml")
    proximity = next(f for f in a.factors if f.id == "cn.env.nimby_proximity")
    assert proximity.case == "heavy_near"
    assert proximity.cases[0].leaves[1].actual == 800
    assert a.rule_set.levels[proximity.initial.level][0] == "major"
    assert a.rule_set.levels[proximity.post.level][0] == "significant"


def test_record_traces_numbers_to_answers_and_evidence(engine):
    a = engine.evaluate(EXAMPLES / "high-incinerator.yaml")
    record = a.record()
    factors = {f["id"]: f for f in record["result"]["factors"]}
    proximity = factors["cn.env.nimby_proximity"]
    leaf = proximity["cases"][0]["leaves"][1]
    assert (leaf["fact"], leaf["actual"], leaf["outcome"], leaf["threshold"]) == (
        "environment.nearest_sensitive_receptor_m", 800, "true", "nimby_near_m")
    assert leaf["evidence"]["method"] == "measured"
    assert leaf["answer_line"] == (EXAMPLES / "high-incinerator.yaml").read_text(encoding="utf-8").splitlines().index(
        "  nearest_sensitive_receptor_m: 800") + 1
    opposition = factors["cn.public.opposition"]["cases"][0]["leaves"][0]
    assert opposition["derived_from"] == {"public.survey.oppose": 518, "public.survey.valid": 1480,
                                         "public.survey.oppose_share": None}
    assert opposition["actual"] == pytest.approx(0.35)


def test_editor_schema_beside_the_examples_is_current(engine):
    import json
    shipped = json.loads((EXAMPLES / "questionnaire.schema.json").read_text(encoding="utf-8"))
    assert shipped == engine.rule_set().catalogue.json_schema, "regenerate (built-in plugins only): " \
        "RISKASSESS_DISABLE_PLUGINS=example riskassess schema questionnaire > examples/questionnaire.schema.json"
    for path in EXAMPLES.glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=questionnaire.schema.json")
