"""A department's pack that extends the national one instead of copying it.

Extending adds (issue 8 item 3): the child's sections add to what it inherits; changing or dropping
something of the parent is said under ``replace:`` / ``remove:``, and lint warns of each.
"""

from __future__ import annotations

import copy
import json

import pytest

from riskassess import ExitCode, RuleSetError, packtest
from riskassess.lint import lint

from .conftest import EXAMPLES, ROOT, base_questionnaire, label, mini_rule_set, run_cli, write_yaml

NATIONAL_FILE = ROOT / "rules/cn-ndrc-2012/ruleset.yaml"

CITY = {
    "ruleset_format": 1,
    "id": "city-demo",
    "version": "1.0.0",
    "extends": "cn-ndrc-2012",
    "title": label("City pack"),
    "jurisdiction": {"zh": "示例市", "en": "Demo city"},
    "documents": [{"id": "city-notice", "title": {"zh": "示例市稳评工作意见", "en": "Demo city SSRA notice"},
                   "confidence": "unverified"}],
    "factors": [{
        "id": "city.night_market", "category": "economic_social",
        "title": {"zh": "夜市摊贩受影响", "en": "Night-market vendors affected"},
        "basis": [{"document": "city-notice"}],
        "weight": 1,
        "cases": [{"id": "many", "title": {"zh": "迁出5家以上企业", "en": "5 or more enterprises relocated"},
                   "when": {"fact": "land.enterprises_relocated", "gte": 5}, "probability": 3, "impact": 3}],
    }],
}
STRICTER_RELOCATION = {"thresholds": {"relocation_households_large": {
    "value": 100, "status": "pack_judgement", "source": {"zh": "本市更严", "en": "Stricter in this city"}}}}
#: A pack that only adds: one questionnaire field, one factor reading it and one scoring method.
ADDS_ONLY = {
    **CITY,
    "questionnaire": {"fields": {"city": {
        "title": {"zh": "示例市字段", "en": "Demo city fields"},
        "description": {"zh": "示例市增加的问卷字段", "en": "Questionnaire fields the city adds"},
        "fields": {"night_market_stalls": {
            "type": "integer", "minimum": 0,
            "title": {"zh": "受影响的夜市摊位数", "en": "Night-market stalls affected"},
            "description": {"zh": "项目占用或迁移的夜市摊位数",
                            "en": "Night-market stalls the project takes or moves"}}},
    }}},
    "factors": [{
        "id": "city.night_market", "category": "economic_social",
        "title": {"zh": "夜市摊贩受影响", "en": "Night-market vendors affected"},
        "basis": [{"document": "city-notice"}],
        "weight": 1,
        "cases": [{"id": "many", "title": {"zh": "20个以上摊位", "en": "20 or more stalls"},
                   "when": {"fact": "city.night_market_stalls", "gte": 20}, "probability": 3, "impact": 3}],
    }],
    "scoring": {"methods": [{"method": "matrix", "params": {
        "grade_by_level": {"negligible": "low", "minor": "low", "general": "low", "significant": "medium",
                           "major": "high"},
        "status": "pack_judgement", "source": {"zh": "本市判断", "en": "This city's judgement"},
        "documents": ["city-notice"]}}]},
}


def city(tmp_path, **changes):
    return write_yaml(tmp_path / "ruleset.yaml", {**CITY, **changes})


def line_of(path, text, after=0):
    """The first line of ``path`` (after line ``after``) that contains ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if i > after and text in line)


# ---------------------------------------------------------------------------------- adding


def test_a_pack_that_only_adds_keeps_everything_it_inherits(engine, national, tmp_path, capsys):
    pack = tmp_path / "city"
    (pack / "tests").mkdir(parents=True)
    write_yaml(pack / "ruleset.yaml", ADDS_ONLY)
    write_yaml(pack / "tests" / "base.yaml", base_questionnaire())
    write_yaml(pack / "tests" / "test_city.yaml", {"base": "base.yaml", "cases": [
        {"name": "a night market of 30 stalls", "answers": {"city": {"night_market_stalls": 30}},
         "expect": {"factors": {"city.night_market": "many"}, "levels": {"city.night_market": "general"}}},
        {"name": "three stalls", "answers": {"city": {"night_market_stalls": 3}},
         "expect": {"factors": {"city.night_market": False}}},
    ]})
    rs = engine.rule_set(pack)
    # Every inherited method and field stays; the pack's own are added.
    assert [s.method for s in rs.scoring] == [s.method for s in national.scoring] + ["matrix"]
    assert rs.catalogue.fact_type("project.funding_secured") is not None
    assert rs.catalogue.fact_type("city.night_market_stalls") is not None
    assert len(rs.factors) == len(national.factors) + 1 and rs.matrix_provenance == national.matrix_provenance
    a = engine.evaluate(EXAMPLES / "high-incinerator.yaml", pack)
    assert (a.initial_grade, a.post_measure_grade) == ("high", "high")
    assert sorted(d.method for d in a.derivations["initial"]) == ["count", "index", "matrix"]

    code, out, _ = run_cli(capsys, "lint", str(pack))
    assert code == ExitCode.OK and out.strip() == "city-demo: 0 error(s), 0 warning(s)"
    code, out, err = run_cli(capsys, "test", str(pack), "--min-coverage", "100")
    assert code == ExitCode.OK, out + err
    assert "city-demo: 2 passed, 0 failed" in out
    assert ("coverage 100.0%: factors applying and not applying 2/2, cases taken 1/1, grades reached 0/0, "
            "conditions true and false 2/2") in out
    # The whole lineage is another matter: the parent's 54 factors are tested in the parent's pack.
    own = packtest.run_pack_tests(engine, pack)
    assert str(own.coverage_scope) == "what city-demo adds to cn-ndrc-2012 (--lineage: the whole lineage)"
    whole = packtest.run_pack_tests(engine, pack, lineage=True)
    assert str(whole.coverage_scope) == "city-demo and every pack it extends"
    assert len(whole.coverage.factor_applies) == len(national.factors) + 1 and whole.coverage.total() < 1
    assert "factor cn.policy.eia_not_approved never applied" in map(str, whole.coverage.gaps(whole.rule_set))


def test_a_pack_that_extends_adds_to_a_questionnaire_section_of_its_parent(engine, tmp_path):
    project = {"title": label("Project"), "description": label("Project"), "fields": {"night_market": {
        "type": "boolean", "title": label("Night market"), "description": label("Night market")}}}
    rs = engine.rule_set(city(tmp_path, questionnaire={"fields": {"project": project}}))
    assert rs.catalogue.fact_type("project.night_market") is not None
    assert rs.catalogue.fact_type("project.funding_secured") is not None  # the parent's field in that section


def test_inherits_factors_and_scoring_and_replaces_a_threshold(engine, national, tmp_path):
    rs = engine.rule_set(city(tmp_path, replace=STRICTER_RELOCATION))
    assert len(rs.factors) == len(national.factors) + 1
    assert [s.method for s in rs.scoring] == [s.method for s in national.scoring]
    assert rs.grade_ids == national.grade_ids
    answers = base_questionnaire()
    answers["land"]["households_relocated"] = 150
    national_case = next(f.case for f in engine.assess(engine.questionnaire(answers, national), national).factors
                         if f.id == "cn.land.relocation_scale")
    a = engine.assess(engine.questionnaire(answers, rs), rs)
    scale = next(f for f in a.factors if f.id == "cn.land.relocation_scale")
    assert (national_case, scale.case) == ("moderate", "large")  # 150 ≥ the city's 100, not the national 200
    record = a.record()
    assert [r["id"] for r in record["rule_sets"]] == ["city-demo", "cn-ndrc-2012"]
    assert record["rule_sets"][1]["sha256"] == national.sha256


# ---------------------------------------------------------------------------------- replacing and removing


def test_replace_puts_a_factor_in_the_parent_place_and_lint_says_so(engine, national, tmp_path, capsys):
    factor = {"id": "cn.land.forced_demolition", "category": "land_expropriation",
              "title": {"zh": "强制拆除（本市从严）", "en": "Forced demolition (stricter)"},
              "basis": [{"document": "city-notice"}], "weight": 3,
              "cases": [{"id": "planned", "title": {"zh": "计划强制拆除", "en": "Forced demolition planned"},
                         "when": {"fact": "land.forced_demolition_planned", "eq": True},
                         "probability": 5, "impact": 5}]}
    path = write_yaml(tmp_path / "ruleset.yaml", {**{k: v for k, v in CITY.items() if k != "factors"},
                                                  "replace": {"factors": [factor]}})
    rs = engine.rule_set(path)
    where = national.factor_index["cn.land.forced_demolition"]
    assert len(rs.factors) == len(national.factors) and rs.factor_index["cn.land.forced_demolition"] == where
    assert rs.factors[where].title.en == "Forced demolition (stricter)"
    code, out, _ = run_cli(capsys, "lint", str(path))
    assert code == ExitCode.OK
    assert (f"{path}:{line_of(path, 'replace:') + 2}: warning: replaces-inherited: replace.factors: replaces factor "
            "'cn.land.forced_demolition' inherited from cn-ndrc-2012") in out


def test_redefining_an_inherited_id_names_both_files_and_lines(engine, tmp_path):
    factor = {**copy.deepcopy(CITY["factors"][0]), "id": "cn.land.forced_demolition"}
    path = city(tmp_path, factors=[CITY["factors"][0], factor])
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    parent_line = line_of(NATIONAL_FILE, "id: cn.land.forced_demolition")
    assert (err.value.source, err.value.line) == (str(path), line_of(path, "id: cn.land.forced_demolition"))
    assert err.value.message == (f"factor 'cn.land.forced_demolition' is already defined by cn-ndrc-2012 "
                                 f"({NATIONAL_FILE}:{parent_line})")
    assert err.value.hint == ("to change it, put yours under `replace: factors:`; to drop it, list it under "
                              "`remove: factors:`")
    assert err.value.render("zh").startswith(f"{path}:{err.value.line}: factors[1]: 风险因素 "
                                             f"“cn.land.forced_demolition” 已由 cn-ndrc-2012 定义"
                                             f"（{NATIONAL_FILE}:{parent_line}）")


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"thresholds": STRICTER_RELOCATION["thresholds"]}, "thresholds.relocation_households_large",
     "threshold 'relocation_households_large' is already defined by cn-ndrc-2012"),
    ({"scoring": {"methods": [{"method": "count", "params": {}}]}}, "scoring.methods[0]",
     "scoring method 'count' is already defined by cn-ndrc-2012"),
    ({"questionnaire": {"fields": {"project": {"title": label("P"), "description": label("P"), "fields": {
        "funding_secured": {"type": "boolean", "title": label("F"), "description": label("F")}}}}}},
     "questionnaire.fields.project.fields.funding_secured",
     "questionnaire field 'project.funding_secured' is already defined by cn-ndrc-2012"),
    ({"grades": [{"id": "low", "title": label("low")}, {"id": "high", "title": label("high")}]}, "grades",
     "cn-ndrc-2012 already has its grades"),
    ({"defaults": {"on_unknown": "assume_match", "literal_status": "pack_judgement"}}, "defaults.on_unknown",
     "defaults.on_unknown differs from cn-ndrc-2012's ('assume_no_match')"),
    ({"remove": {"factors": ["cn.land.relocation_scal"]}}, "remove.factors[0]",
     "cn-ndrc-2012 has no factor 'cn.land.relocation_scal'"),
])
def test_changing_the_parent_without_saying_so_is_refused(engine, tmp_path, changes, field, message):
    path = city(tmp_path, **changes)
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert (err.value.source, err.value.field) == (str(path), field)
    assert err.value.message.startswith(message)


def test_remove_is_reported_by_lint(engine, national, tmp_path, capsys):
    path = city(tmp_path, remove={"factors": ["cn.public.opposition"], "scoring_methods": ["count"]})
    rs = engine.rule_set(path)
    assert "cn.public.opposition" not in rs.factor_index and [s.method for s in rs.scoring] == ["index"]
    code, out, _ = run_cli(capsys, "lint", str(path))
    assert code == ExitCode.OK  # warnings: a pack may drop what it must, but never silently
    first = line_of(path, "remove:")
    assert out.splitlines() == [
        f"{path}:{first + 2}: warning: removes-inherited: remove.factors: removes factor 'cn.public.opposition' "
        "inherited from cn-ndrc-2012",
        f"{path}:{first + 4}: warning: removes-inherited: remove.scoring_methods: removes scoring method 'count' "
        "inherited from cn-ndrc-2012",
        "city-demo: 0 error(s), 2 warning(s)",
    ]
    code, out, _ = run_cli(capsys, "lint", str(path), "--lang", "zh")
    assert "删除了继承自 cn-ndrc-2012 的风险因素 “cn.public.opposition” [removes-inherited]" in out


def test_lint_reports_changed_thresholds_grades_and_decisions(engine, tmp_path):
    grades = [{"id": "low", "title": label("low")}, {"id": "medium", "title": label("medium")},
              {"id": "high", "title": label("high")}]
    table = {g: {"code": "approvable" if g == "low" else "not_approvable", "title": label(g)}
             for g in ("low", "medium", "high")}
    table["medium"]["code"] = "approvable"
    findings = lint(engine.rule_set(city(tmp_path, replace={**STRICTER_RELOCATION, "grades": grades,
                                                            "decisions": {"ndrc_2492": table}})))
    messages = [(f.code, str(f.message)) for f in findings if f.code != "stale-label"]
    assert messages == [
        ("changes-threshold", "changes threshold 'relocation_households_large' inherited from cn-ndrc-2012 from 200 "
                              "to 100"),
        ("replaces-inherited", "replaces the grades inherited from cn-ndrc-2012: low/medium/high → low/medium/high"),
        ("replaces-inherited", "replaces the decision table inherited from cn-ndrc-2012: low: approvable, medium: "
                               "not_approvable, high: not_approvable → low: approvable, medium: approvable, high: "
                               "not_approvable"),
    ]


def test_an_inherited_part_broken_by_a_removal_points_at_the_parent_and_names_the_child(engine, tmp_path):
    path = city(tmp_path, remove={"fields": ["project.funding_secured"]})
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert err.value.source == str(NATIONAL_FILE)
    assert err.value.line == line_of(NATIONAL_FILE, "fact: project.funding_secured")
    assert err.value.message.startswith("unknown fact 'project.funding_secured'")
    assert err.value.hint.endswith(f"inherited unchanged from cn-ndrc-2012: check what {path} replaces or removes "
                                   f"(line {line_of(path, 'remove:') + 2})")


def test_a_grandchild_names_the_file_each_piece_comes_from(engine, tmp_path):
    (tmp_path / "city").mkdir()
    city(tmp_path / "city")
    path = write_yaml(tmp_path / "district.yaml", {
        **{k: CITY[k] for k in ("ruleset_format", "version", "title", "jurisdiction")},
        "id": "district-demo", "extends": "./city/ruleset.yaml",
        "factors": [{**copy.deepcopy(CITY["factors"][0]), "id": "cn.land.forced_demolition"}],
    })
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert (err.value.source, err.value.line) == (str(path), line_of(path, "id: cn.land.forced_demolition"))
    assert f"already defined by city-demo ({NATIONAL_FILE}:" in err.value.message
    path.write_text(path.read_text().replace("cn.land.forced_demolition", "city.night_market"), encoding="utf-8")
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert f"already defined by city-demo ({tmp_path / 'city' / 'ruleset.yaml'}:" in err.value.message


# ---------------------------------------------------------------------------------- labels that show a threshold


def test_a_changed_threshold_changes_the_labels_that_show_it(engine, tmp_path, capsys):
    """A parent that writes the number as a placeholder shows the child's value, in the record and the summary."""
    national = tmp_path / "national"
    national.mkdir()
    text = NATIONAL_FILE.read_text(encoding="utf-8")
    old = "title: {zh: 20%以上群众反对, en: 20% or more of respondents oppose}"
    assert old in text
    (national / "ruleset.yaml").write_text(text.replace(old, (
        'title: {zh: "{opposition_significant:.0%}以上群众反对", '
        'en: "{opposition_significant:.0%} or more of respondents oppose"}')), encoding="utf-8")
    parent = engine.rule_set(national)
    significant = next(o for o in parent.overrides if o.id == "cn.override.opposition_significant")
    assert significant.title.zh == "20%以上群众反对"
    child = city(tmp_path, extends="./national", replace={"thresholds": {"opposition_significant": {
        "value": 0.3, "status": "pack_judgement", "source": {"zh": "本市判断", "en": "This city's judgement"}}}})
    a = engine.evaluate(EXAMPLES / "high-incinerator.yaml", child)  # 35 % oppose
    labels = a.record()["labels"]["overrides"]["cn.override.opposition_significant"]
    assert labels == {"zh": "30%以上群众反对", "en": "30% or more of respondents oppose"}
    code, out, _ = run_cli(capsys, "evaluate", str(EXAMPLES / "high-incinerator.yaml"), "--rules", str(child),
                           "--lang", "zh")
    assert code == ExitCode.OK and "30%以上群众反对" in out and "20%以上群众反对" not in out
    # Nothing stale to report: the title follows the value. The change itself is still reported.
    assert [f.code for f in lint(engine.rule_set(child))] == ["changes-threshold", "stale-label"]
    stale = next(f for f in lint(engine.rule_set(child)) if f.code == "stale-label")
    assert stale.where == "cn.public.opposition/significant"  # the factor's case still says 反对率20%以上


def test_lint_flags_an_inherited_title_that_shows_the_old_value(engine, tmp_path):
    path = city(tmp_path, replace={"thresholds": {"opposition_significant": {
        "value": 0.3, "status": "pack_judgement", "source": {"zh": "本市判断", "en": "This city's judgement"}}}})
    stale = [f for f in lint(engine.rule_set(path)) if f.code == "stale-label"]
    override_line = line_of(NATIONAL_FILE, "title: {zh: 20%以上群众反对")
    assert {f.where for f in stale} == {"cn.override.opposition_significant", "cn.public.opposition/significant"}
    message = next(str(f.message) for f in stale if f.where == "cn.override.opposition_significant")
    assert message == (f"inherited title '20%以上群众反对' ({NATIONAL_FILE}:{override_line}) still shows 20%, from "
                       "opposition_significant = 0.2 in cn-ndrc-2012; this pack makes it 0.3: replace "
                       "cn.override.opposition_significant under `replace: overrides:` with a title that writes the "
                       "number as {opposition_significant:.0%}")
    assert all(f.source == str(path) and f.line == line_of(path, "opposition_significant:") for f in stale)


def test_placeholders_in_titles(engine, tmp_path):
    rules = mini_rule_set(thresholds={"big": {"value": 1000, "status": "pack_judgement", "source": label("t")},
                                      "share": {"value": 0.125, "status": "pack_judgement", "source": label("t")}})
    rules["factors"][0]["cases"][0].update(when={"fact": "demo.households", "gte": {"threshold": "big"}},
                                           title={"zh": "{big}户以上", "en": "{big:,} or more ({share:.1%})"})
    rs = engine.rule_set(write_yaml(tmp_path / "a.yaml", rules))
    assert rs.factors[0].cases[0].title.as_dict() == {"zh": "1000户以上", "en": "1,000 or more (12.5%)"}
    rules["factors"][0]["cases"][0]["title"] = {"zh": "{bigg}户以上", "en": "{big:>9} or more"}
    path = write_yaml(tmp_path / "b.yaml", rules)
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert (err.value.line, err.value.field) == (line_of(path, "{bigg}"), "factors[0].cases[0].title.zh")
    assert (err.value.message, err.value.hint) == ("{bigg} in a title names no threshold", "did you mean 'big'?")
    rules["factors"][0]["cases"][0]["title"]["zh"] = "{big}户以上"
    with pytest.raises(RuleSetError, match=r"\{big:>9\}: '>9' is not a number format"):
        engine.rule_set(write_yaml(tmp_path / "c.yaml", rules))


# ---------------------------------------------------------------------------------- as before


def test_errors_in_the_extending_file_point_at_it(engine, tmp_path):
    bad = dict(CITY["factors"][0], cases=[{"when": {"fact": "land.enterprise_relocated", "gte": 5},
                                            "probability": 3, "impact": 3}])
    path = city(tmp_path, factors=[bad])
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert err.value.source == str(path)
    assert err.value.message == "unknown fact 'land.enterprise_relocated': the questionnaire has no such field"
    assert err.value.line == line_of(path, "fact: land.enterprise_relocated")


def test_unknown_parent_and_cycles(engine, tmp_path):
    with pytest.raises(RuleSetError, match="no rule set with id 'cn-nope'"):
        engine.rule_set(city(tmp_path, extends="cn-nope"))
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    write_yaml(a / "ruleset.yaml", {**CITY, "id": "a-pack", "extends": "../b"})
    write_yaml(b / "ruleset.yaml", {**CITY, "id": "b-pack", "extends": "../a"})
    with pytest.raises(RuleSetError, match="rule sets extend each other in a cycle"):
        engine.rule_set(a)


def test_without_extends_everything_is_required(engine, tmp_path):
    data = {k: v for k, v in CITY.items() if k != "extends"}
    with pytest.raises(RuleSetError, match="missing required field 'defaults'"):
        engine.rule_set(write_yaml(tmp_path / "ruleset.yaml", data))
    path = write_yaml(tmp_path / "whole.yaml", mini_rule_set(remove={"factors": ["t.share"]}))
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert (err.value.line, err.value.message) == (line_of(path, "remove:"), "remove: changes what a pack inherits, "
                                                                             "and this one extends none")


def test_verify_names_a_changed_parent(tmp_path, capsys):
    parent_dir = tmp_path / "national"
    parent_dir.mkdir()
    original = NATIONAL_FILE.read_text(encoding="utf-8")
    (parent_dir / "ruleset.yaml").write_text(original, encoding="utf-8")
    child = city(tmp_path, extends="./national")
    rec = tmp_path / "r.json"
    assert run_cli(capsys, "evaluate", str(EXAMPLES / "low-urban-road.yaml"), "--rules", str(child),
                   "--out", str(rec))[0] == ExitCode.OK
    assert json.loads(rec.read_text())["rule_sets"][1]["id"] == "cn-ndrc-2012"
    (parent_dir / "ruleset.yaml").write_text(original.replace("version: 0.3.0", "version: 0.3.1"), encoding="utf-8")
    code, out, _ = run_cli(capsys, "verify", str(rec), "--rules", str(child))
    assert code == ExitCode.NOT_REPRODUCED
    assert "rule files: cn-ndrc-2012 (extended by city-demo) changed: version 0.3.0 → 0.3.1" in out


def test_lint_an_extending_pack_checks_what_it_adds(engine, tmp_path):
    factor = dict(CITY["factors"][0], title={"zh": "Night market", "en": "Night market"},
                  cases=[{"when": {"fact": "land.enterprises_relocated", "gte": 5}, "probability": 3, "impact": 3}])
    findings = lint(engine.rule_set(city(tmp_path, factors=[factor])))
    # Its own untitled case is found too; the parent's cases are not its findings.
    assert [(f.code, f.where) for f in findings] == [("translation", "city.night_market"),
                                                     ("untitled-case", "city.night_market")]
    assert findings[0].source.endswith("ruleset.yaml") and str(tmp_path) in findings[0].source
