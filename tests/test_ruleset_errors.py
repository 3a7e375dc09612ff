"""A broken rule set is refused at load time with a message naming file, line and field."""

from __future__ import annotations

import copy

import pytest

from riskassess import RuleSetError

from .conftest import label, mini_rule_set


def factor(**changes):
    f = copy.deepcopy(mini_rule_set()["factors"][0])
    f.update(changes)
    return f


def test_unknown_operator_suggests_nearest(make_rules):
    rs = mini_rule_set(factors=[factor(cases=[{"when": {"fact": "demo.households", "gtee": 5},
                                               "probability": 2, "impact": 2}])])
    with pytest.raises(RuleSetError) as err:
        make_rules(rs)
    assert err.value.field == "factors[0].cases[0].when.gtee"
    assert err.value.message == "unknown operator 'gtee'"
    assert err.value.hint == "did you mean 'gte'? run `riskassess plugins list` to see the operators"
    assert err.value.line is not None


def test_unknown_fact_is_a_load_error(make_rules):
    rs = mini_rule_set(factors=[factor(cases=[{"when": {"fact": "demo.houshold", "gte": 5},
                                               "probability": 2, "impact": 2}])])
    with pytest.raises(RuleSetError) as err:
        make_rules(rs)
    assert err.value.message == "unknown fact 'demo.houshold': the questionnaire has no such field"
    assert err.value.hint == "did you mean 'demo.households'?"


@pytest.mark.parametrize(("when", "message"), [
    ({"fact": "demo.households", "gte": "200"}, "gte on demo.households (integer): expected a number, got '200'"),
    ({"fact": "demo.flag", "gt": 1}, "gt on demo.flag (boolean): ordering comparisons need a number or date field, "
                                     "not a boolean field"),
    ({"fact": "demo.kind", "eq": "d"}, "eq on demo.kind (string): 'd' is not one of the field's values: a, b, c"),
    ({"fact": "demo.share", "between": [0.5, 0.2]}, "between on demo.share (number): low 0.5 is above high 0.2"),
    ({"fact": "demo.kind", "in": []}, "in on demo.kind (string): expected a non-empty list of values"),
    ({"fact": "demo.households", "contains": "air"}, "contains on demo.households (integer): contains needs a "
                                                     "list field, not a integer field"),
    ({"fact": "demo.households", "gte": 1, "lte": 5}, "a leaf needs exactly one operator, got ['gte', 'lte']"),
    ({"all": []}, "'all' needs a non-empty list of conditions"),
    ({"fact": "demo.households", "gte": 1, "missing": "maybe"},
     "missing must be one of unknown, false, true, got 'maybe'"),
])
def test_condition_errors(make_rules, when, message):
    rs = mini_rule_set(factors=[factor(cases=[{"when": when, "probability": 2, "impact": 2}])])
    with pytest.raises(RuleSetError) as err:
        make_rules(rs)
    assert err.value.message == message


def test_duplicate_factor_ids(make_rules):
    rs = mini_rule_set()
    rs["factors"][1]["id"] = rs["factors"][0]["id"]
    with pytest.raises(RuleSetError, match=r"factors\[1\].id: duplicate factor id 't.scale' \(first defined as "
                                           r"factor 1\)"):
        make_rules(rs)


def test_level_out_of_range(make_rules):
    rs = mini_rule_set(factors=[factor(cases=[{"when": {"fact": "demo.flag", "eq": True}, "probability": 6,
                                               "impact": 2}])])
    with pytest.raises(RuleSetError) as err:
        make_rules(rs)
    assert err.value.field == "factors[0].cases[0].probability"
    assert err.value.message == "must be ≤ 5, got 6"


def test_schema_unknown_key_in_factor(make_rules):
    rs = mini_rule_set(factors=[factor(wieght=2)])
    with pytest.raises(RuleSetError) as err:
        make_rules(rs)
    assert err.value.message == "unknown field 'wieght'"
    assert err.value.hint == "did you mean 'weight'?"


def test_non_monotone_matrix(make_rules):
    rs = mini_rule_set()
    rs["scoring"]["matrix"]["grid"]["5"] = ["low"] * 5
    with pytest.raises(RuleSetError, match="the matrix is not monotone: probability 5, impact 3 gives a lower level"):
        make_rules(rs)


def test_unknown_scoring_method(make_rules):
    rs = mini_rule_set()
    rs["scoring"]["methods"] = [{"method": "fuzzy"}]
    with pytest.raises(RuleSetError, match="unknown scoring method 'fuzzy'; available: count, index, matrix"):
        make_rules(rs)


def test_index_band_without_declared_inclusivity(make_rules):
    rs = mini_rule_set()
    rs["scoring"]["methods"] = [{"method": "index", "params": {
        "scale": {"probability": [0.2, 0.4, 0.6, 0.8, 1.0], "impact": [0.2, 0.4, 0.6, 0.8, 1.0]},
        "weights": "equal", "normalize": "matched", "bands": [{"grade": "medium", "from": 0.36}],
        "status": "practitioner_convention", "source": label("convention")}}]
    with pytest.raises(RuleSetError) as err:
        make_rules(rs)
    assert err.value.field == "scoring.methods[0].params.bands[0].inclusive"
    assert "inclusive must be stated" in err.value.message


def test_index_threshold_needs_provenance(make_rules):
    rs = mini_rule_set()
    rs["scoring"]["methods"] = [{"method": "index", "params": {
        "scale": {"probability": [0.2, 0.4, 0.6, 0.8, 1.0], "impact": [0.2, 0.4, 0.6, 0.8, 1.0]},
        "weights": "equal", "normalize": "matched", "bands": [{"grade": "medium", "from": 0.36, "inclusive": True}]}}]
    with pytest.raises(RuleSetError, match=r"index: the parameters need status: one of verified_law, "
                                           r"secondary_source, practitioner_convention, pack_judgement \(is this law, "
                                           r"or convention\?\)"):
        make_rules(rs)


def test_weights_must_sum_to_one_without_normalisation(make_rules):
    rs = mini_rule_set()
    rs["scoring"]["methods"] = [{"method": "index", "params": {
        "scale": {"probability": [0.2, 0.4, 0.6, 0.8, 1.0], "impact": [0.2, 0.4, 0.6, 0.8, 1.0]},
        "weights": "factor", "normalize": "none", "bands": [{"grade": "medium", "from": 0.36, "inclusive": True}],
        "status": "pack_judgement", "source": label("x")}}]
    with pytest.raises(RuleSetError, match="factor weights sum to 2; with normalize: none they must sum to 1"):
        make_rules(rs)


def test_decisions_must_cover_every_grade(make_rules):
    rs = mini_rule_set()
    del rs["decisions"]["default"]["medium"]
    with pytest.raises(RuleSetError, match=r"decisions must give exactly one entry per grade; missing \['medium'\]"):
        make_rules(rs)


def test_basis_must_cite_a_declared_document(make_rules):
    rs = mini_rule_set(factors=[factor(basis=[{"document": "nowhere"}])])
    with pytest.raises(RuleSetError, match="basis cites unknown document 'nowhere'; declared: doc"):
        make_rules(rs)


def test_override_floor_must_be_a_grade(make_rules):
    rs = mini_rule_set(overrides=[{"id": "t.o", "title": label("o"), "basis": [{"document": "doc"}],
                                   "when": {"fact": "demo.flag", "eq": True}, "floor": "severe"}])
    with pytest.raises(RuleSetError, match="unknown grade 'severe'; grades are low, medium, high"):
        make_rules(rs)


def test_unknown_threshold_reference(make_rules):
    rs = mini_rule_set(factors=[factor(cases=[{"when": {"fact": "demo.households", "gte": {"threshold": "big"}},
                                               "probability": 2, "impact": 2}])])
    with pytest.raises(RuleSetError, match="unknown threshold 'big'"):
        make_rules(rs)


def test_rule_set_redefining_a_standard_field(make_rules):
    rs = mini_rule_set(questionnaire={"fields": {"land": {"title": label("l"), "description": label("l"), "fields": {
        "households_relocated": {"type": "string", "title": label("x"), "description": label("x")}}}}})
    with pytest.raises(RuleSetError, match=r"redefines existing field\(s\) households_relocated of section "
                                           r"'land'"):
        make_rules(rs)


def test_unknown_rule_set_id(engine):
    with pytest.raises(RuleSetError, match="no rule set with id 'cn-nope'; available: cn-ndrc-2012"):
        engine.rule_set("cn-nope")


def test_rule_set_with_bad_yaml(tmp_path, engine):
    p = tmp_path / "ruleset.yaml"
    p.write_text("id: x\nid: y\n")
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(p)
    assert str(err.value).startswith(f"{p}:2: id: duplicate key 'id'")


def test_index_bands_that_overlap(make_rules):
    rs = mini_rule_set()
    rs["scoring"]["methods"] = [{"method": "index", "params": {
        "scale": {"probability": [0.2, 0.4, 0.6, 0.8, 1.0], "impact": [0.2, 0.4, 0.6, 0.8, 1.0]},
        "weights": "equal", "normalize": "matched",
        "bands": [{"grade": "medium", "from": 0.36, "inclusive": True},
                  {"grade": "high", "from": 0.36, "inclusive": True}],
        "status": "practitioner_convention", "source": label("convention")}}]
    with pytest.raises(RuleSetError) as err:
        make_rules(rs)
    assert err.value.field == "scoring.methods[0].params.bands[1]"
    assert err.value.message == "index: the medium band is empty: high starts at the same point (0.36)"


def test_rule_set_must_declare_what_its_bare_numbers_are(make_rules):
    rs = mini_rule_set()
    del rs["defaults"]["literal_status"]
    with pytest.raises(RuleSetError, match="defaults: missing required field 'literal_status'"):
        make_rules(rs)


def test_numeric_operands_carry_their_provenance(engine, national):
    from .conftest import base_questionnaire
    a = engine.assess(engine.questionnaire(base_questionnaire(), national), national)
    record = a.record()
    leaves = {(leaf["fact"], leaf["op"]): leaf for f in record["result"]["factors"] for c in f["cases"]
              for leaf in c["leaves"]}
    notice = leaves[("land.compensation_scheme_published_days", "lt")]
    assert (notice["threshold"], notice["operand"], notice["threshold_status"]) == ("scheme_notice_days", 30,
                                                                                 "verified_law")
    assert leaves[("land.open_disputes", "gte")]["threshold_status"] == "pack_judgement"
    assert "threshold_status" not in leaves[("environment.nimby_type", "in")]
