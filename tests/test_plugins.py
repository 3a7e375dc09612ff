"""The plugin contract: registration, attribution, and plugins that misbehave."""

from __future__ import annotations

import inspect

import pytest

from riskassess import (
    Engine,
    FactType,
    Label,
    Operator,
    PluginError,
    RiskAssessError,
    build_plugin_manager,
    hookimpl,
    hookspecs,
)

from .conftest import mini_rule_set, write_yaml


def engine_with(*plugins) -> Engine:
    return Engine(build_plugin_manager(entry_points=False, extra=plugins))


class Percent:
    @hookimpl
    def riskassess_register_operators(self, register):
        register(Operator("pct_gt", Label("百分比大于", "percent above"), lambda share, pct: share * 100 > pct,
                          lambda ftype, operand: None if ftype.kind == "number" else "needs a share"))


class Raising:
    @hookimpl
    def riskassess_register_operators(self, register):
        register(Operator("boom", Label("爆", "boom"), lambda a, b: 1 / 0))


class Nonsense:
    @hookimpl
    def riskassess_register_operators(self, register):
        register(Operator("maybe", Label("也许", "maybe"), lambda a, b: "perhaps"))


def rules_using(tmp_path, engine, when):
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = when
    return engine.rule_set(write_yaml(tmp_path / "r.yaml", data))


def test_plugin_operator_is_used_like_a_builtin(tmp_path):
    engine = engine_with(Percent())
    rs = rules_using(tmp_path, engine, {"fact": "demo.share", "pct_gt": 30})
    a = engine.assess(engine.questionnaire({"format_version": 1, "demo": {"share": 0.31, "households": 0}}, rs), rs)
    assert a.factors[1].applies
    assert ("operator", "pct_gt") in engine.contributions.owners
    assert engine.contributions.plugin_of("operator", "pct_gt") == "tests.test_plugins.Percent"


def test_operator_that_raises_is_an_error_not_false(tmp_path):
    engine = engine_with(Raising())
    rs = rules_using(tmp_path, engine, {"fact": "demo.share", "boom": 1})
    q = engine.questionnaire({"format_version": 1, "demo": {"share": 0.5, "households": 0}}, rs)
    with pytest.raises(PluginError) as err:
        engine.assess(q, rs)
    assert err.value.message == ("operator 'boom' failed on demo.share = 0.5 (operand 1): "
                                 "ZeroDivisionError: division by zero")
    assert err.value.field == "t.share case 1"
    assert err.value.line is not None


def test_operator_returning_nonsense_is_refused(tmp_path):
    engine = engine_with(Nonsense())
    rs = rules_using(tmp_path, engine, {"fact": "demo.share", "maybe": 1})
    q = engine.questionnaire({"format_version": 1, "demo": {"share": 0.5, "households": 0}}, rs)
    with pytest.raises(PluginError, match=r"operator 'maybe' failed .*: returned 'perhaps', not true/false"):
        engine.decide(rs, q.answers)


class Clash:
    @hookimpl
    def riskassess_register_operators(self, register):
        register(Operator("gte", Label("x", "x"), lambda a, b: True))


class Broken:
    @hookimpl
    def riskassess_register_scoring_methods(self, register):
        raise RuntimeError("config file missing")


def reason(engine: Engine, plugin: str) -> str:
    """Why ``plugin`` is disabled, in English (a plugin that fails to load is disabled alone: issue 8)."""
    return str(engine.contributions.broken[plugin].reason)


def test_two_plugins_claiming_one_name():
    engine = engine_with(Clash())
    assert reason(engine, "tests.test_plugins.Clash") == \
        "operator 'gte' is also registered by riskassess.builtin.operators"
    assert engine.contributions.plugin_of("operator", "gte") == "riskassess.builtin.operators"


def test_plugin_raising_during_registration():
    engine = engine_with(Broken())
    assert reason(engine, "tests.test_plugins.Broken") == \
        "raised in riskassess_register_scoring_methods: RuntimeError: config file missing"


def test_plugin_registering_the_wrong_type():
    class Wrong:
        @hookimpl
        def riskassess_register_output_formats(self, register):
            register({"name": "pdf"})

    engine = engine_with(Wrong())
    assert reason(engine, "tests.test_plugins.test_plugin_registering_the_wrong_type.<locals>.Wrong") == \
        "registered an invalid output format: expected an OutputFormat, got dict"
    assert "pdf" not in engine.contributions.output_formats


def test_misspelled_hook_fails_at_startup():
    class Typo:
        @hookimpl
        def riskassess_register_operator(self, register):
            pass

    engine = engine_with(Typo())
    assert reason(engine, "tests.test_plugins.test_misspelled_hook_fails_at_startup.<locals>.Typo") == \
        "implements unknown hook(s) riskassess_register_operator: the hook names are in riskassess.hookspecs"


def test_blocking_a_builtin_plugin_removes_its_contributions():
    engine = Engine(build_plugin_manager(entry_points=False, blocked=["riskassess.builtin.scoring"]))
    assert engine.contributions.scoring_methods == {}
    with pytest.raises(RiskAssessError, match="unknown scoring method 'index'"):
        engine.rule_set("cn-ndrc-2012")


def test_scoring_plugin_whose_derivation_disagrees(tmp_path):
    class Liar:
        name = "liar"
        title = Label("说谎", "liar")

        def prepare(self, params, context):
            class P:
                def grade(self, factors):
                    return 0

                def derive(self, factors):
                    from riskassess import Derivation
                    return Derivation("liar", "high", [])
            return P()

    class Provider:
        @hookimpl
        def riskassess_register_scoring_methods(self, register):
            register(Liar())

    engine = engine_with(Provider())
    data = mini_rule_set()
    data["scoring"]["methods"] = [{"method": "liar",
                                   "params": {"status": "pack_judgement", "source": {"zh": "测试", "en": "test"}}}]
    rs = engine.rule_set(write_yaml(tmp_path / "r.yaml", data))
    a = engine.assess(engine.questionnaire({"format_version": 1, "demo": {}}, rs), rs)
    with pytest.raises(PluginError, match="scoring method 'liar' derives 'high' but grades 'low'"):
        a.record()


def test_plugin_questionnaire_fields_and_derived_facts(tmp_path):
    class Fields:
        @hookimpl
        def riskassess_register_questionnaire_fields(self, register):
            register("dept", {"petition_hotline_calls": {
                "type": "integer", "minimum": 0, "title": {"zh": "热线来电", "en": "Hotline calls"},
                "description": {"zh": "近一年热线来电数。", "en": "Hotline calls in the last year."}}})

    engine = engine_with(Fields())
    data = mini_rule_set()
    data["questionnaire"]["standard"] = True
    data["decisions"] = {"default": data["decisions"]["default"]}
    data["factors"][1]["cases"][0]["when"] = {"fact": "extensions.dept.petition_hotline_calls", "gte": 10}
    rs = engine.rule_set(write_yaml(tmp_path / "r.yaml", data))
    answers = {"format_version": 1, "project": {"id": "p", "name": "n", "type": "other", "channel": "ndrc_2492"},
               "extensions": {"dept": {"petition_hotline_calls": 12}}, "demo": {"households": 0}}
    a = engine.assess(engine.questionnaire(answers, rs), rs)
    assert a.factors[1].applies
    schema = rs.catalogue.json_schema
    assert "petition_hotline_calls" in schema["properties"]["extensions"]["properties"]["dept"]["properties"]


def test_every_hook_is_documented_and_typed():
    for name, fn in inspect.getmembers(hookspecs.RiskAssessHooks, inspect.isfunction):
        assert name.startswith("riskassess_"), name
        assert (fn.__doc__ and ":param" in fn.__doc__) or "assessment" in inspect.signature(fn).parameters, name
        for param in list(inspect.signature(fn).parameters.values())[1:]:
            assert param.annotation is not inspect.Parameter.empty, (name, param.name)


def test_operators_check_hook_sees_fact_types():
    seen = []

    class Spy:
        @hookimpl
        def riskassess_register_operators(self, register):
            register(Operator("spy", Label("s", "s"), lambda a, b: True,
                              lambda ftype, operand: seen.append(ftype) or None))

    engine = engine_with(Spy())
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = {"fact": "demo.kind", "spy": "a"}
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as d:
        engine.rule_set(write_yaml(Path(d) / "r.yaml", data))
    assert seen == [FactType("string", ("a", "b", "c"), None, None)]


def test_example_plugin_package_works_through_the_same_hooks():
    example = pytest.importorskip("riskassess_example")
    engine = engine_with(example)
    rs = engine.rule_set("example-municipal")
    answers = {"format_version": 1, "project": {"id": "p", "name": "n", "type": "other", "channel": "provincial"},
               "public": {"survey": {"issued": 100, "valid": 100, "support": 70, "conditional": 10, "oppose": 20}},
               "extensions": {"example": {"street_committee_consulted": True}}}
    a = engine.assess(engine.questionnaire(answers, rs), rs)
    assert [f.id for f in a.applicable()] == ["example.opposition"]
    assert (a.initial_grade, a.decision["code"]) == ("medium", "defer")
    assert a.derivations["initial"][0].method == "worst_category"
