"""Properties of the shipped national pack, checked on generated questionnaires."""

from __future__ import annotations

import copy
import json

import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from riskassess import RiskAssessError
from riskassess.questionnaire import QuestionnaireInvalid

from .conftest import base_questionnaire

GRADES = ("low", "medium", "high")

FIELDS = {
    ("land", "households_relocated"): st.integers(0, 3000),
    ("land", "compensation_ratio_to_standard"): st.floats(0.3, 1.5),
    ("land", "agreement_signed_rate"): st.floats(0, 1),
    ("land", "compensation_funds_in_escrow"): st.booleans(),
    ("land", "forced_demolition_planned"): st.booleans(),
    ("land", "open_disputes"): st.integers(0, 30),
    ("environment", "nimby_type"): st.sampled_from(["none", "waste_incineration", "substation", "landfill"]),
    ("environment", "nearest_sensitive_receptor_m"): st.floats(0, 5000),
    ("environment", "residents_within_3km"): st.integers(0, 50000),
    ("labor", "wage_guarantee_account"): st.booleans(),
    ("labor", "wage_arrears_cases_3y"): st.integers(0, 6),
    ("public", "awareness_rate"): st.floats(0, 1),
    ("order", "petitions_3y"): st.integers(0, 30),
    ("order", "largest_incident_size"): st.integers(0, 500),
    ("order", "activists_involved"): st.booleans(),
}


@st.composite
def questionnaires(draw, drop=True):
    q = base_questionnaire()
    for (section, key), strategy in FIELDS.items():
        if drop and draw(st.booleans()) and draw(st.integers(0, 4)) == 0:
            q[section].pop(key, None)  # a missing answer now and then
        else:
            q[section][key] = draw(strategy)
    valid = draw(st.integers(1, 1000))
    oppose = draw(st.integers(0, valid))
    support = draw(st.integers(0, valid - oppose))
    q["public"]["survey"] = {"issued": valid, "valid": valid, "support": support, "conditional": 0, "oppose": oppose}
    if (q["order"].get("largest_incident_size") or 0) > 0:
        q["order"]["mass_incidents_3y"] = 1  # an incident of that size happened
    return _consistent(q)


def grades(engine, rs, answers):
    q = engine.questionnaire(answers, rs)
    a = engine.assess(q, rs)
    return GRADES.index(a.initial_grade), GRADES.index(a.post_measure_grade), a


@given(questionnaires())
def test_same_answers_same_record_id_whatever_the_key_order(engine, national, answers):
    reordered = json.loads(json.dumps(answers, sort_keys=True))
    reordered = {k: reordered[k] for k in reversed(list(reordered))}
    first = grades(engine, national, answers)[2]
    second = grades(engine, national, yaml.safe_load(yaml.safe_dump(reordered)))[2]
    assert first.record_id == second.record_id
    assert first.record()["result"] == second.record()["result"]


@given(questionnaires(drop=False), st.integers(1, 2000))
def test_more_households_never_lower_a_grade(engine, national, answers, extra):
    before = grades(engine, national, answers)
    more = copy.deepcopy(answers)
    more["land"]["households_relocated"] += extra
    after = grades(engine, national, more)
    assert after[0] >= before[0] and after[1] >= before[1]


@given(questionnaires(), st.integers(1, 500))
def test_higher_opposition_never_lowers_a_grade(engine, national, answers, extra):
    survey = answers["public"]["survey"]
    assume(survey["support"] > 0)
    shift = min(extra, survey["support"])
    before = grades(engine, national, answers)
    more = copy.deepcopy(answers)
    more["public"]["survey"]["support"] -= shift
    more["public"]["survey"]["oppose"] += shift
    after = grades(engine, national, more)
    assert after[0] >= before[0] and after[1] >= before[1]


@given(questionnaires(), st.lists(st.tuples(st.sampled_from(["cn.land.relocation_scale", "cn.public.opposition",
                                                             "cn.env.nimby_proximity", "cn.order.petitions",
                                                             "cn.land.open_disputes"]),
                                            st.integers(-4, 0), st.integers(-4, 0),
                                            st.sampled_from(["planned", "committed", "completed"])), max_size=5))
def test_measures_never_raise_a_grade(engine, national, answers, measures):
    answers["measures"] = [{"id": f"M{i}", "addresses": [fid], "description": "措施", "status": status,
                            "effect": {"probability": dp, "impact": di}}
                           for i, (fid, dp, di, status) in enumerate(measures)]
    initial, post, a = grades(engine, national, answers)
    assert post <= initial
    for f in a.applicable():
        assert f.post.probability <= f.initial.probability and f.post.impact <= f.initial.impact


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False,
                                                                                              allow_infinity=False)
                           | st.text(max_size=8), lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


@given(st.dictionaries(st.sampled_from(["project", "land", "environment", "public", "order", "labor", "measures",
                                        "format_version", "extra"]), JSON_VALUES, max_size=6))
def test_arbitrary_documents_either_assess_or_fail_cleanly(engine, national, data):
    try:
        a = engine.assess(engine.questionnaire(data, national), national)
    except RiskAssessError as exc:
        assert str(exc)
    else:
        assert a.initial_grade in GRADES


@given(questionnaires())
def test_compiled_decision_matches_the_interpreter(engine, national, answers):
    from riskassess.assessment import _select, fact_values
    facts = fact_values(national, answers)
    outcome = engine.decide(national, answers)
    expected = []
    for r, rule in enumerate(national.rules[: len(national.factors)]):
        values = [case.evaluate(facts, national.operators) for case in rule.cases]
        guard = rule.guard.evaluate(facts, national.operators) if rule.guard is not None else True
        taken, _ = _select(values, rule.on_unknown, guard, rule.guard_policy, rule.assume_case)
        if taken is not None:
            expected.append(national.factors[r].id)
    assert list(outcome.matched) == expected


def _strategy_for(spec):
    """Values that satisfy one catalogue field (the catalogue is what the JSON Schema is built from)."""
    lo = spec.minimum if spec.minimum is not None else -1e6
    hi = spec.maximum if spec.maximum is not None else 1e6
    if spec.kind == "object":
        required = set(spec.required)
        return st.fixed_dictionaries({k: _strategy_for(v) for k, v in spec.fields.items() if k in required},
                                     optional={k: _strategy_for(v) for k, v in spec.fields.items()
                                               if k not in required})
    if spec.kind == "array":
        return st.lists(_strategy_for(spec.items), max_size=3)
    if spec.enum is not None:
        return st.sampled_from(spec.enum)
    if spec.kind == "integer":
        return st.integers(int(lo), int(min(hi, 10**7)))
    if spec.kind == "number":
        return st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if spec.kind == "boolean":
        return st.booleans()
    if spec.kind == "date":
        return st.dates().map(lambda d: d.isoformat())
    return st.text(max_size=12)


@st.composite
def schema_valid_questionnaires(draw, catalogue):
    doc = {"format_version": 1}
    for name, section in catalogue.sections.items():
        if name == "project" or draw(st.booleans()):
            doc[name] = draw(_strategy_for(section))
    project = doc.setdefault("project", {})
    project.update(id="P", name="N", type=draw(st.sampled_from(catalogue.sections["project"].fields["type"].enum)),
                   channel=draw(st.sampled_from(catalogue.sections["project"].fields["channel"].enum)))
    project.setdefault("location", {})
    if project["location"] is not None:
        project["location"]["province"] = "广东省"
    public = doc.get("public")
    if public and public.get("survey"):
        survey = public["survey"]
        valid = survey.get("valid", 0)
        survey["issued"] = max(survey.get("issued", valid), valid)
        parts = ("support", "conditional", "oppose")
        if sum(survey.get(p, 0) for p in parts) > valid:
            for p in parts:
                survey.pop(p, None)
        for p in parts:  # a published share stands in for counts that were not published
            if p in survey:
                survey.pop(f"{p}_share", None)
        while sum(survey.get(f"{p}_share", 0) for p in parts) > 1:
            survey.pop(next(f"{p}_share" for p in parts if f"{p}_share" in survey))
        if survey.get("conducted") is False and len(survey) > 1:
            survey["conducted"] = True
    return _consistent(doc)


def _consistent(doc):
    """Drop answers that contradict each other (the questionnaire refuses them with a located error)."""
    land, order, labor = (doc.get(k) if isinstance(doc.get(k), dict) else {} for k in ("land", "order", "labor"))
    for part in ("collective_land_mu", "basic_farmland_mu"):
        if land.get(part) is not None and land.get("expropriated_area_mu") is not None \
                and land[part] > land["expropriated_area_mu"]:
            land.pop(part)
    if land.get("households_relocated") == 0 and land.get("forced_demolition_planned") is True:
        land.pop("forced_demolition_planned")
    if order.get("mass_incidents_3y") == 0 and (order.get("largest_incident_size") or 0) > 0:
        order.pop("largest_incident_size")
    if None not in (labor.get("layoffs"), labor.get("staff_before_layoffs")) and \
            labor["layoffs"] > labor["staff_before_layoffs"]:
        labor.pop("layoffs")
    return doc


@given(st.data())
def test_random_schema_valid_questionnaires_never_crash(engine, national, data):
    answers = data.draw(schema_valid_questionnaires(national.catalogue))
    q = engine.questionnaire(answers, national)  # must validate: the strategy follows the schema
    a = engine.assess(q, national)
    record = a.record()
    assert record["result"]["initial_grade"] in GRADES
    assert GRADES.index(a.post_measure_grade) <= GRADES.index(a.initial_grade)
    assert a.provisional == (not a.firm)
    if not a.unknowns:
        assert a.firm


def _missing_paths(rule_set, answers):
    """Questionnaire fields the rule set reads that ``answers`` leaves out (derived facts excluded)."""
    out = []
    for path in rule_set.program.facts:
        if path in rule_set.derived_facts:
            continue
        node = answers
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            out.append(path)
    return out


def _answer(rule_set, answers, path, data):
    """Give one missing answer (a random valid value); False when the survey arithmetic forbids any."""
    spec = rule_set.catalogue.field_at(path)
    parts = path.split(".")
    node = answers
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    value = data.draw(_strategy_for(spec))
    if parts[:2] == ["public", "survey"]:
        counts = ("support", "conditional", "oppose")
        if parts[-1] in (*counts, "valid", "issued") and any(f"{c}_share" in node for c in counts):
            return False  # published shares stand for counts that were never published
        if parts[-1] in counts:
            room = node.get("valid", node.get("issued", 10**7)) - sum(node.get(c, 0) for c in counts)
            if room < 0:
                return False
            value = data.draw(st.integers(0, room))
        elif parts[-1] == "valid":
            low = sum(node.get(c, 0) for c in counts)
            value = data.draw(st.integers(low, max(low, node.get("issued", low + 1000))))
        elif parts[-1] == "issued":
            value = data.draw(st.integers(node.get("valid", 0), node.get("valid", 0) + 1000))
    node[parts[-1]] = value
    return True


@given(st.data())
@settings(max_examples=60, deadline=None)
def test_every_completion_grades_inside_the_range_and_answers_only_narrow_it(engine, national, data):
    answers = data.draw(schema_valid_questionnaires(national.catalogue))
    a = engine.assess(engine.questionnaire(answers, national), national)
    ranges = [a.grade_range]
    current = copy.deepcopy(answers)
    missing = _missing_paths(national, current)
    order = data.draw(st.permutations(missing))
    for path in order:
        before_answer = copy.deepcopy(current)
        if not _answer(national, current, path, data):
            continue
        try:
            q = engine.questionnaire(copy.deepcopy(current), national)
        except QuestionnaireInvalid:  # this answer contradicts an earlier one: an owner could not give it
            current = before_answer
            continue
        b = engine.assess(q, national)
        before, after = ranges[-1], b.grade_range
        for stage in ("initial", "post"):
            (lo, hi), (lo2, hi2) = getattr(before, stage), getattr(after, stage)
            assert lo <= lo2 <= hi2 <= hi, f"answering {path} widened the {stage} range"
        assert a.grade_range.initial[0] <= b.outcome.initial <= a.grade_range.initial[1]
        assert a.grade_range.post[0] <= b.outcome.post <= a.grade_range.post[1]
        ranges.append(after)
