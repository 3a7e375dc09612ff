"""Grades on questionnaires as owners write them: applicability, the grade range, firmness,
the questions that decide it, approximate answers and sections that do not apply."""

from __future__ import annotations

import pytest

from riskassess.errors import ExitCode
from riskassess.questionnaire import QuestionnaireInvalid

from .conftest import base_questionnaire, run_cli, write_yaml


def sparse_road(**sections):
    """A road resurfacing as its owner writes it: about a dozen obvious answers."""
    answers = {
        "format_version": 1,
        "project": {"id": "R-1", "name": "县道路面大修", "type": "transport", "channel": "provincial",
                    "location": {"province": "江苏省"}, "investment_10k_cny": 3000, "funding_secured": True},
        "land": {"expropriated_area_mu": 0, "households_relocated": 0},
        "environment": {"nimby_type": "none"},
        "public": {"survey": {"issued": 210, "valid": 200, "support": 190, "conditional": 6, "oppose": 4}},
    }
    answers.update(sections)
    return answers


def assess(engine, national, answers):
    return engine.assess(engine.questionnaire(answers, national), national)


def test_sparse_road_resurfacing_is_low_with_its_range_and_the_questions_that_decide_it(engine, national):
    a = assess(engine, national, sparse_road())
    assert (a.initial_grade, a.post_measure_grade) == ("low", "low")
    r = a.range_dict()
    assert r["post_measure"] == {"grade": "low", "lowest": "low", "highest": "high", "firm": False}
    assert a.provisional and not a.firm
    # never "approvable" as if decided: the decision waits for the answers that could change it
    assert a.decision["code"] == "pending" and a.decision["headline_code"] == "approvable"
    assert a.decision["title"]["zh"].startswith("待补充答案后确定（按现有答案暂定为：可予审批")
    facts = [q.fact for q in a.questions]
    assert "order.largest_incident_size" in facts and "order.extreme_act_threat" in facts
    record = a.record()["result"]
    assert record["range"] == r and record["firm"] is False
    assert record["decisive_questions"][0]["could_raise_to"]["initial"] == "high"


def test_forced_demolition_does_not_apply_without_relocation_and_the_record_says_why(engine, national):
    a = assess(engine, national, sparse_road())
    f = next(f for f in a.factors if f.id == "cn.land.forced_demolition")
    assert not f.applies and f.applicability == "false"
    (why,) = f.not_applicable_because
    assert (why.fact, why.actual, why.op, why.operand) == ("land.households_relocated", 0, "gte", 1)
    entry = next(x for x in a.record()["result"]["factors"] if x["id"] == "cn.land.forced_demolition")
    assert entry["applicability"]["outcome"] == "false"
    assert entry["applicability"]["leaves"][0]["answer_line"] is None  # an in-memory questionnaire has no lines


def test_collective_land_does_not_apply_when_no_land_is_taken(engine, national):
    a = assess(engine, national, sparse_road())
    assert not any(f.applies for f in a.factors if f.id.startswith("cn.land."))


def test_section_not_applicable_in_one_line_implies_its_answers_and_points_at_its_line(tmp_path, engine, national):
    answers = sparse_road(land="not_applicable", labor="not_applicable")
    path = write_yaml(tmp_path / "q.yaml", answers)
    q = engine.read_questionnaire(path, national)
    assert q.answers["land"]["households_relocated"] == 0 and q.answers["labor"]["peak_workers"] == 0
    assert q.not_applicable == ("land", "labor")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("land:"))
    assert q.line_of("land.households_relocated") == line
    a = engine.assess(q, national)
    assert a.initial_grade == "low"
    assert not any(f.applies for f in a.factors if f.id.startswith(("cn.land.", "cn.labor.")))


def test_not_applicable_only_where_the_catalogue_allows_it(engine, national):
    answers = sparse_road(public="not_applicable")
    with pytest.raises(QuestionnaireInvalid, match=r"public: section 'public' cannot be not_applicable; only land, "
                                                   r"environment, labor can"):
        engine.questionnaire(answers, national)


def test_approximate_answers_are_judged_over_their_interval(engine, national):
    land = {"expropriated_area_mu": {"at_least": 50}, "households_relocated": {"at_least": 1000}}
    a = assess(engine, national, sparse_road(land=land))
    scale = next(f for f in a.factors if f.id == "cn.land.relocation_scale")
    assert scale.applies and scale.case == "very_large"  # "thousands" settles the top case
    assert a.record()["questionnaire"]["answers"]["land"]["households_relocated"] == {"at_least": 1000}
    assert a.initial_grade == "high"

    land = {"expropriated_area_mu": 20, "households_relocated": {"between": [100, 300]}}
    b = assess(engine, national, sparse_road(land=land))
    scale = next(f for f in b.factors if f.id == "cn.land.relocation_scale")
    assert [c.outcome for c in scale.cases][:3] == ["false", "unknown", "true"]  # ≥1000 no; ≥200 maybe; ≥50 yes
    assert "land.households_relocated" in [q.fact for q in b.questions]  # narrowing it could move the grade


@pytest.mark.parametrize(("value", "message"), [
    ({"between": [300, 100]}, r"between \[300, 100\]: the first bound is larger than the second"),
    ({"at_least": -5}, r"at_least: -5 is outside 0–∞"),
    ({"at_least": 1.5}, r"at_least: expected a whole number, got 1.5"),
    ({"about": 10}, r"expected a number or an approximate answer, got keys about \(write \{at_least: N\}"),
])
def test_bad_approximate_answers_are_refused_with_the_field(tmp_path, engine, national, value, message):
    answers = sparse_road(land={"expropriated_area_mu": 5, "households_relocated": value})
    path = write_yaml(tmp_path / "q.yaml", answers)
    with pytest.raises(QuestionnaireInvalid, match=message) as err:
        engine.read_questionnaire(path, national)
    assert "land.households_relocated" in str(err.value)


def test_majority_opposition_incinerator_is_high_and_firm_even_when_sparse(engine, national):
    answers = {"format_version": 1,
               "project": {"id": "I-1", "name": "焚烧厂", "type": "waste_nimby", "channel": "ndrc_2492",
                           "location": {"province": "广东省"}},
               "environment": {"nimby_type": "waste_incineration"},
               "public": {"survey": {"valid": 1550, "oppose": 1505}}}
    a = assess(engine, national, answers)
    assert a.initial_grade == a.post_measure_grade == "high" and a.firm
    assert a.decision["code"] == "not_approvable" and a.decision["firm"]
    assert a.questions == []


def test_a_published_share_stands_for_unpublished_counts(engine, national):
    answers = sparse_road(public={"survey": {"conducted": True, "oppose_share": 0.62}})
    a = assess(engine, national, answers)
    assert a.initial_grade == "high" and a.firm


def test_a_past_mass_incident_keeps_a_project_high_and_firm(engine, national):
    a = assess(engine, national, sparse_road(order={"mass_incidents_3y": 1, "largest_incident_size": 1000}))
    assert a.initial_grade == "high" and a.grade_range.initial == (2, 2)


def test_a_survey_done_without_published_counts_is_not_a_missing_survey(engine, national):
    done = assess(engine, national, sparse_road(public={"survey": {"conducted": True}}))
    assert not next(f for f in done.factors if f.id == "cn.public.no_survey").applies
    none = assess(engine, national, sparse_road(public={"survey": {"conducted": False}}))
    assert next(f for f in none.factors if f.id == "cn.public.no_survey").applies
    unknown = assess(engine, national, sparse_road(public={}))
    f = next(f for f in unknown.factors if f.id == "cn.public.no_survey")
    assert not f.applies and f.decided_by_unknown  # unknown, not "no survey": shown in the range instead


def test_one_land_taking_counts_once(engine, national):
    answers = base_questionnaire()
    answers["land"].update(households_relocated=400, collective_land_mu=1500, persons_affected=1600,
                           expropriated_area_mu=1500)
    a = assess(engine, national, answers)
    grouped = [f for f in a.applicable() if national.factors[f.index].group == "land_take"]
    assert len(grouped) >= 3 and sum(f.counted for f in grouped) == 1
    (group,) = [g for g in a.record()["result"]["groups"] if g["id"] == "land_take"]
    assert set(group["members"]) == {f.id for f in grouped}
    counted = next(f for f in grouped if f.counted)
    assert group["counted_as"] == counted.id  # the heaviest member's id …
    assert national.factors[counted.index].weight == max(national.factors[f.index].weight for f in grouped)
    # … at the highest probability and the highest impact any member reaches
    assert group["initial"]["probability"] == max(f.initial.probability for f in grouped)
    assert group["initial"]["impact"] == max(f.initial.impact for f in grouped)


def test_a_measure_on_one_member_of_a_group_never_raises_what_the_group_counts(engine, national):
    answers = base_questionnaire()
    answers["order"].update(mass_incidents_3y=2, largest_incident_size=150)
    answers["measures"] = [{"id": "M1", "addresses": ["cn.order.incident_size"], "description": "化解",
                            "status": "completed", "effect": {"probability": -2, "impact": -1}}]
    a = assess(engine, national, answers)
    (group,) = [g for g in a.record()["result"]["groups"] if g["id"] == "past_incidents"]
    before, after = group["initial"], group["post_measure"]
    assert after["probability"] <= before["probability"] and after["impact"] <= before["impact"]
    index = {d.method: d for d in a.derivations["post_measure"]}["index"]
    index_before = {d.method: d for d in a.derivations["initial"]}["index"]
    value = next(s["exact"] for s in index.steps if s.get("step") == "index")
    value_before = next(s["exact"] for s in index_before.steps if s.get("step") == "index")
    from fractions import Fraction
    assert Fraction(value) <= Fraction(value_before)


def test_answering_the_first_question_narrows_the_range(engine, national):
    answers = sparse_road()
    a = assess(engine, national, answers)
    q = a.questions[0]
    lo, hi = a.grade_range.post
    section, field = q.inputs[0].split(".", 1)
    answers.setdefault(section, {})[field] = q.best_value
    b = assess(engine, national, answers)
    assert lo <= b.grade_range.post[0] <= b.grade_range.post[1] <= hi


def test_decision_is_firm_when_every_grade_in_the_range_decides_alike(engine, national):
    answers = sparse_road(order={"mass_incidents_3y": 1, "largest_incident_size": 150})
    a = assess(engine, national, answers)
    low, high = a.range_dict()["post_measure"]["lowest"], a.range_dict()["post_measure"]["highest"]
    assert (low, high) == ("medium", "high")
    assert a.decision["code"] == "not_approvable" and a.decision["firm"]


def test_fail_on_can_gate_on_the_headline_the_worst_case_or_firmness(tmp_path, capsys):
    path = write_yaml(tmp_path / "q.yaml", sparse_road())
    assert run_cli(capsys, "evaluate", str(path), "--fail-on", "medium")[0] == 0
    code, _, err = run_cli(capsys, "evaluate", str(path), "--fail-on", "worst:medium")
    assert code == ExitCode.GATE_TRIPPED and "the post-measure grade could be high, at or above medium" in err
    code, _, err = run_cli(capsys, "evaluate", str(path), "--fail-on", "provisional")
    assert code == ExitCode.GATE_TRIPPED and "provisional" in err
    code, _, err = run_cli(capsys, "evaluate", str(path), "--fail-on", "worst:severe")
    assert code == ExitCode.INPUT_ERROR and "worst:GRADE or provisional" in err


def test_validate_lists_the_questions_to_answer_first_in_chinese(tmp_path, capsys):
    path = write_yaml(tmp_path / "q.yaml", sparse_road())
    code, out, _ = run_cli(capsys, "validate", str(path), "--lang", "zh")
    assert code == 0
    assert "措施后风险等级: 暂定 低风险，补充缺失答案后可能为 中风险、高风险" in out
    assert "先回答这些问题（可能改变等级）:" in out
    assert "最大群体性事件参与人数（order.largest_incident_size）：如答" in out


@pytest.mark.parametrize(("section", "answers", "message"), [
    ("land", {"expropriated_area_mu": 50, "collective_land_mu": 80},
     r"land.collective_land_mu: collective_land_mu \(80\) is more than the land expropriated \(50\)"),
    ("land", {"expropriated_area_mu": {"at_most": 50}, "basic_farmland_mu": {"at_least": 60}},
     r"basic_farmland_mu \(≥ 60\) is more than the land expropriated \(≤ 50\)"),
    ("land", {"households_relocated": 0, "forced_demolition_planned": True},
     r"forced_demolition_planned is true, but no household is relocated"),
    ("order", {"mass_incidents_3y": 0, "largest_incident_size": 300},
     r"largest_incident_size is given, but mass_incidents_3y is 0"),
    ("labor", {"layoffs": 300, "staff_before_layoffs": 100}, r"layoffs \(300\) exceed the staff before layoffs"),
    ("public", {"survey": {"conducted": False, "valid": 90, "oppose": 5}}, r"conducted: false, but the survey has"),
    ("public", {"survey": {"valid": 90, "oppose": 5, "oppose_share": 0.3}},
     r"oppose_share 0.3 does not match oppose/valid = 5/90 = 0.056"),
    ("public", {"survey": {"oppose_share": 0.6, "support_share": 0.6}}, r"add up to more than 1"),
])
def test_answers_that_cannot_all_be_true_are_refused(engine, national, section, answers, message):
    with pytest.raises(QuestionnaireInvalid, match=message):
        engine.questionnaire(sparse_road(**{section: answers}), national)


def test_an_approximate_count_is_checked_only_where_it_surely_contradicts(engine, national):
    survey = {"valid": {"at_least": 100}, "support": 150, "oppose": 10}  # valid could be 200: not refused
    a = assess(engine, national, sparse_road(public={"survey": survey}))
    assert a.initial_grade in ("low", "medium", "high")


def test_answers_that_imply_a_precondition_count_even_when_it_is_unanswered(engine, national):
    a = assess(engine, national, sparse_road(land={"compensation_ratio_to_standard": {"at_most": 0.75}}))
    f = next(f for f in a.factors if f.id == "cn.land.compensation_below_standard")
    assert f.applicability == "unknown" and f.applies and f.case == "far_below" and f.decided_by_unknown
    assert a.initial_grade != "low"


def test_near_misses_of_the_new_syntax_get_the_right_one_as_a_hint(tmp_path, engine, national):
    path = tmp_path / "q.yaml"
    path.write_text("format_version: 1\nproject: {id: X, name: x, type: transport, channel: provincial, "
                    "location: {province: 江苏省}}\nland: 不适用\nlabor: {layoffs: '约1000'}\n", encoding="utf-8")
    with pytest.raises(QuestionnaireInvalid) as err:
        engine.read_questionnaire(path, national)
    text = str(err.value)
    assert "land" not in text  # 不适用 is read as not_applicable: see test_natural_input
    assert "q.yaml:4: labor.layoffs: expected a whole number (or ~ for unknown), got '约1000' (a rough figure is " \
           "written {at_least: 1000}" in text


def test_a_floor_that_measures_cannot_lower_is_explained(engine, national):
    answers = base_questionnaire()
    answers["order"].update(mass_incidents_3y=1, largest_incident_size=300)
    answers["measures"] = [{"id": "M1", "addresses": ["cn.order.incident_size", "cn.order.mass_incidents"],
                            "description": "化解", "status": "completed", "effect": {"probability": -3, "impact": -3}}]
    a = assess(engine, national, answers)
    assert a.post_measure_grade == "high"
    (w,) = [w for w in a.warnings if w["code"] == "floor_holds"]
    assert w["overrides"] == ["cn.override.incident_200"] and "措施不改变它" in w["message"]["zh"]


def test_a_method_that_is_not_monotone_never_crashes_the_range_and_says_it_is_an_estimate(engine, make_rules):
    from .conftest import index_method, mini_rule_set
    data = mini_rule_set()
    data["scoring"]["methods"] = [index_method("matched", 0.3, 0.6)]
    rs = make_rules(data)
    # The big case alone averages 0.8 (high); adding the share factor (0.48) would lower the mean to 0.64.
    a = engine.assess(engine.questionnaire({"format_version": 1, "demo": {"households": 150}}, rs), rs)
    lo, hi = a.grade_range.initial
    assert lo <= a.outcome.initial <= hi
    assert any(w["code"] == "range_estimate" for w in a.warnings)


def test_the_terminal_never_receives_escape_sequences_from_answers(tmp_path, capsys):
    answers = sparse_road()
    answers["project"]["name"] = "evil \x1b[31mRED\x1b[0m \x07bell \x1b]0;title\x07"
    path = write_yaml(tmp_path / "q.yaml", answers)
    code, out, _ = run_cli(capsys, "evaluate", str(path))
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "evil RED bell" in out
