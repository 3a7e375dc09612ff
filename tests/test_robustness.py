"""Regression tests for inputs and plugins that once slipped through: each ends in a clear answer."""

from __future__ import annotations

import os
import stat

import pytest

from riskassess import (
    DerivedFact,
    Engine,
    ExitCode,
    FactType,
    Label,
    Operator,
    PluginError,
    RuleSetError,
    build_plugin_manager,
    hookimpl,
)
from riskassess.cli import main
from riskassess.questionnaire import QuestionnaireInvalid

from .conftest import EXAMPLES, base_questionnaire, mini_rule_set, write_yaml
from .conftest import run_cli as run

LOW = EXAMPLES / "low-urban-road.yaml"




class BadScore:
    name = "bad"
    title = Label("坏", "bad")

    def __init__(self, grade):
        self.value = grade

    def prepare(self, params, context):
        value = self.value

        class P:
            def grade(self, factors):
                if isinstance(value, Exception):
                    raise value
                return value

            def derive(self, factors):
                return {"not": "a derivation"}
        return P()


@pytest.mark.parametrize(("grade", "message"), [(-1, "returned -1; a grade is an index from 0 to 2"),
                                                ("high", "returned 'high'"),
                                                (RuntimeError("boom"), "raised: RuntimeError: boom")])
def test_scoring_plugin_nonsense_is_a_plugin_error(tmp_path, grade, message):
    class Provider:
        @hookimpl
        def riskassess_register_scoring_methods(self, register):
            register(BadScore(grade))

    engine = Engine(build_plugin_manager(entry_points=False, extra=[Provider()]))
    data = mini_rule_set()
    data["scoring"]["methods"] = [{"method": "bad",
                                   "params": {"status": "pack_judgement", "source": {"zh": "测试", "en": "test"}}}]
    rs = engine.rule_set(write_yaml(tmp_path / "r.yaml", data))
    with pytest.raises(PluginError, match=message):
        engine.decide(rs, {"demo": {}})


def test_derive_returning_nonsense_is_a_plugin_error(tmp_path):
    class Provider:
        @hookimpl
        def riskassess_register_scoring_methods(self, register):
            register(BadScore(0))

    engine = Engine(build_plugin_manager(entry_points=False, extra=[Provider()]))
    data = mini_rule_set()
    data["scoring"]["methods"] = [{"method": "bad",
                                   "params": {"status": "pack_judgement", "source": {"zh": "测试", "en": "test"}}}]
    rs = engine.rule_set(write_yaml(tmp_path / "r.yaml", data))
    a = engine.assess(engine.questionnaire({"format_version": 1, "demo": {}}, rs), rs)
    with pytest.raises(PluginError, match=r"derive\(\) returned dict, not a riskassess.Derivation"):
        a.record()


def test_operator_check_that_raises_is_a_plugin_error(tmp_path):
    class Provider:
        @hookimpl
        def riskassess_register_operators(self, register):
            register(Operator("odd", Label("奇", "odd"), lambda a, b: True, lambda t, o: 1 / 0))

    engine = Engine(build_plugin_manager(entry_points=False, extra=[Provider()]))
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = {"fact": "demo.share", "odd": 1}
    with pytest.raises(PluginError, match="operator 'odd' failed to check its operand 1: ZeroDivisionError"):
        engine.rule_set(write_yaml(tmp_path / "r.yaml", data))


def test_derived_fact_plugin_failures_name_the_fact(tmp_path):
    class Provider:
        @hookimpl
        def riskassess_register_derived_facts(self, register):
            register(DerivedFact("derived.bad_share", FactType("number"), Label("坏", "bad"), ("demo.share",),
                                 lambda q: "lots", "?"))

    engine = Engine(build_plugin_manager(entry_points=False, extra=[Provider()]))
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = {"fact": "derived.bad_share", "gt": 0.5}
    rs = engine.rule_set(write_yaml(tmp_path / "r.yaml", data))
    with pytest.raises(PluginError, match=r"derived fact derived.bad_share \(plugin '.*Provider'\)"
                                          r" gave 'lots' \(str\)"):
        engine.decide(rs, {"demo": {"share": 0.4}})


def test_measure_naming_a_factor_twice_is_refused(engine, national):
    answers = base_questionnaire()
    answers["measures"] = [{"id": "M1", "addresses": ["cn.land.relocation_scale"] * 3, "description": "x",
                            "status": "committed", "effect": {"probability": -1}}]
    with pytest.raises(QuestionnaireInvalid, match=r"measures\[0\].addresses: .* has non-unique elements"):
        engine.questionnaire(answers, national)


def test_partial_survey_counts_are_checked(engine, national):
    answers = base_questionnaire()
    answers["public"]["survey"] = {"valid": 10, "oppose": 50}
    with pytest.raises(QuestionnaireInvalid, match="oppose = 50 exceeds the 10 valid questionnaires"):
        engine.questionnaire(answers, national)


def test_declared_missing_policy_on_a_missing_answer_is_reported(engine, national):
    answers = base_questionnaire()
    answers["labor"]["layoffs"] = 5  # staff_before_layoffs left out: the share is unknown
    a = engine.assess(engine.questionnaire(answers, national), national)
    entry = next(u for u in a.unknowns if u["fact"] == "derived.layoff_share")
    assert {"rule": "cn.labor.layoffs", "leaf_treated_as": "false"} in entry["declared"]


def test_integral_float_levels_are_read_as_levels(make_rules):
    data = mini_rule_set()
    data["factors"][0]["cases"][0]["impact"] = 5.0
    assert make_rules(data).factors[0].cases[0].impact == 5


def test_deep_nesting_is_refused_cleanly(tmp_path, engine, national, make_rules):
    p = tmp_path / "deep.yaml"
    p.write_text("format_version: 1\nland: " + "[" * 2000 + "]" * 2000 + "\n")
    with pytest.raises(QuestionnaireInvalid.__mro__[1], match="nested more than 64 levels deep"):
        engine.read_questionnaire(p, national)
    node: dict = {"fact": "demo.flag", "eq": True}
    for _ in range(25):
        node = {"all": [node]}
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = node
    with pytest.raises(RuleSetError, match="condition nested too deeply"):
        make_rules(data)
    rules = tmp_path / "deep-rules.yaml"
    rules.write_text("id: x\nfactors: " + "{all: [" * 300 + "1" + "]}" * 300 + "\n")
    with pytest.raises(RuleSetError, match="nested more than 64 levels deep"):
        engine.rule_set(rules)


def test_out_to_a_directory_and_file_modes(tmp_path, capsys):
    code, _, err = run(capsys, "evaluate", str(LOW), "--out", str(tmp_path))
    assert code == ExitCode.INPUT_ERROR and "is a directory" in err
    rec = tmp_path / "r.json"
    old = os.umask(0o022)
    try:
        run(capsys, "evaluate", str(LOW), "--out", str(rec))
    finally:
        os.umask(old)
    assert stat.S_IMODE(rec.stat().st_mode) == 0o644


def test_a_folder_named_like_a_rule_set_does_not_hide_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cn-ndrc-2012").mkdir()
    assert run(capsys, "evaluate", str(LOW))[0] == ExitCode.OK


def test_one_plugins_unreadable_rule_set_does_not_block_others(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "ruleset.yaml").write_text("id: [\n")

    class Provider:
        @hookimpl
        def riskassess_register_rule_sets(self, register):
            register(bad)

    engine = Engine(build_plugin_manager(entry_points=False, extra=[Provider()]))
    assert engine.rule_set("cn-ndrc-2012").id == "cn-ndrc-2012"
    with pytest.raises(PluginError, match=r"plugin '.*Provider' registered an unreadable rule set: "
                                          r".*bad/ruleset.yaml:2: invalid YAML"):
        engine.rule_set("somebody-elses-pack")


def test_empty_sections_do_not_change_the_record_id(engine, national):
    answers = base_questionnaire()
    plain = engine.assess(engine.questionnaire(answers, national), national).record_id
    padded = {**answers, "measures": [], "evidence": {}, "land": {**answers["land"], "unknown_yet": None}}
    del padded["land"]["unknown_yet"]
    padded["public"] = {**answers["public"], "survey": {**answers["public"]["survey"]}}
    padded["order"] = {**answers["order"], "largest_incident_size": None}
    del answers["order"]["largest_incident_size"]
    again = engine.assess(engine.questionnaire(answers, national), national).record_id
    assert engine.assess(engine.questionnaire(padded, national), national).record_id == again
    assert plain != again  # a real difference in the answers still changes it


def test_validate_reports_a_refusal_with_the_file(tmp_path, capsys):
    data = mini_rule_set()
    data["factors"][0]["on_unknown"] = "refuse"
    rules = write_yaml(tmp_path / "rules.yaml", data)
    q = write_yaml(tmp_path / "q.yaml", {"format_version": 1, "demo": {"share": 0.1}})
    code, _, err = run(capsys, "validate", str(q), "--rules", str(rules))
    assert code == ExitCode.INPUT_ERROR
    assert err.startswith(f"error: {q}: cannot grade without answers the rule set requires: t.scale needs "
                          "demo.households")


def test_debug_flag_anywhere(capsys, tmp_path):
    p = tmp_path / "q.yaml"
    p.write_text("a: 1\na: 2\n")
    with pytest.raises(Exception, match="duplicate key"):
        main(["evaluate", str(p), "--debug"])


def test_record_lists_only_plugins_that_contribute(engine, national):
    a = engine.assess(engine.questionnaire(base_questionnaire(), national), national)
    names = [p["name"] for p in a.record()["plugins"]]
    assert names == ["riskassess.builtin.facts", "riskassess.builtin.operators", "riskassess.builtin.rulesets",
                     "riskassess.builtin.scoring"]
