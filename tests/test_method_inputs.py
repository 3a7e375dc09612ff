"""Scoring methods that grade from answers besides the factors, and what the engine holds them to
(issue 8: inputs for methods, a warnings channel, finite numbers, derivations covered by the record id)."""

from __future__ import annotations

import math

import pytest

from riskassess import (
    Bilingual,
    Derivation,
    Engine,
    InputError,
    Label,
    ParameterError,
    PluginError,
    RuleSetError,
    build_plugin_manager,
    hookimpl,
)

from .conftest import label, mini_rule_set, write_yaml


class Judged:
    """Grades from ``extensions.judge.score`` (one project's expert score), before and after measures."""

    name = "judged"
    title = Label("专家评分定级", "Grade from the experts' score")

    def __init__(self, nan: bool = False, uses_factors: bool = False, salt: str = "") -> None:
        self.nan, self.uses_factors, self.salt = nan, uses_factors, salt

    def prepare(self, params, context):
        if params.get("high") is None:
            raise ParameterError(Bilingual("需要 high", "needs high"), ("high",))
        method = self

        class Prepared:
            reads = ("extensions.judge.score",)
            reads_if_answered = ("extensions.judge.score_after",)
            uses_factors = method.uses_factors

            def score(self, inputs):
                after = inputs.answers["extensions.judge.score_after"]
                return after if inputs.stage == "post_measure" and after is not None else \
                    inputs.answers["extensions.judge.score"]

            def grade(self, factors, inputs):
                return 2 if self.score(inputs) >= params["high"] else 0

            def derive(self, factors, inputs):
                value = math.nan if method.nan else self.score(inputs)
                warnings = [Label("评分来自少于 5 位专家", "fewer than 5 experts scored")]
                return Derivation("judged", context.grades[self.grade(factors, inputs)],
                                  [{"step": "value", "label": {"zh": "专家评分", "en": "experts' score"},
                                    "value": value, "salt": method.salt}], warnings)
        return Prepared()

    @hookimpl
    def riskassess_register_scoring_methods(self, register):
        register(self)

    @hookimpl
    def riskassess_register_questionnaire_fields(self, register):
        field = {"type": "number", "minimum": 0, "maximum": 10, "title": label("Score"),
                 "description": label("Score")}
        register("judge", {"score": field, "score_after": field})


PROVENANCE = {"status": "pack_judgement", "source": label("test")}


def engine_with(method: Judged) -> Engine:
    problems: list[str] = []
    engine = Engine(build_plugin_manager(entry_points=False, extra=[method]), warn=lambda m: problems.append(str(m)))
    assert not problems
    return engine


def judged_pack(tmp_path, engine, factors=(), name="r.yaml", **params):
    data = mini_rule_set(factors=list(factors))
    data["scoring"]["methods"] = [{"method": "judged", "params": {"high": 7, **PROVENANCE, **params}}]
    data["questionnaire"] = {"standard": False, "fields": mini_rule_set()["questionnaire"]["fields"]}
    return engine.rule_set(write_yaml(tmp_path / name, data))


def assess(engine, rs, **judge):
    return engine.assess(engine.questionnaire({"format_version": 1, "extensions": {"judge": judge}}, rs), rs)


def test_a_method_grades_from_the_answers_it_declares_before_and_after_measures(tmp_path):
    engine = engine_with(Judged())
    rs = judged_pack(tmp_path, engine)
    a = assess(engine, rs, score=8, score_after=5)
    assert (a.initial_grade, a.post_measure_grade) == ("high", "low")
    assert a.range_dict()["post_measure"]["firm"]
    assert a.record()["result"]["scoring"]["initial"][0]["steps"][0]["value"] == 8


def test_a_missing_input_is_the_owners_to_give(tmp_path):
    engine = engine_with(Judged())
    rs = judged_pack(tmp_path, engine)
    with pytest.raises(InputError) as err:
        assess(engine, rs, score_after=5)
    assert str(err.value) == ("scoring method 'judged' grades from extensions.judge.score, which the questionnaire "
                              "does not answer (fill them in (see `riskassess init` for the fields), or use a rule "
                              "set without this method)")
    assert "计分方法“judged”需要依据 extensions.judge.score 评级，但问卷没有回答" in err.value.render("zh")


def test_a_method_that_grades_factors_needs_them(tmp_path):
    engine = engine_with(Judged(uses_factors=True))
    with pytest.raises(RuleSetError, match=r"the rule set has no factors, but scoring method\(s\) judged grade "
                                           r"factors"):
        judged_pack(tmp_path, engine)


def test_a_method_reading_what_no_field_holds_is_refused_at_load(tmp_path):
    class Misread(Judged):
        def prepare(self, params, context):
            prepared = super().prepare(params, context)
            prepared.reads = ("extensions.judge.nothing",)
            return prepared
    engine = engine_with(Misread())
    with pytest.raises(RuleSetError, match=r"scoring method 'judged' reads 'extensions.judge.nothing', which is not "
                                           "a questionnaire field"):
        judged_pack(tmp_path, engine)


def test_the_methods_warnings_reach_the_record(tmp_path):
    engine = engine_with(Judged())
    a = assess(engine, judged_pack(tmp_path, engine), score=3)
    assert {"code": "method", "method": "judged", "stage": "initial",
            "message": {"zh": "计分方法 judged：评分来自少于 5 位专家",
                        "en": "Scoring method judged: fewer than 5 experts scored"}} in a.record()["result"]["warnings"]


def test_a_plugin_parameter_error_names_the_exact_key_in_both_languages(tmp_path):
    engine = engine_with(Judged())
    data = mini_rule_set(factors=[])
    data["scoring"]["methods"] = [{"method": "judged", "params": {"low": 1, **PROVENANCE}}]
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(write_yaml(tmp_path / "r.yaml", data))
    assert err.value.field == "scoring.methods[0].params.high" and "judged: needs high" in str(err.value)
    assert "judged：需要 high" in err.value.render("zh")


def test_non_finite_numbers_from_a_plugin_are_refused_naming_it(tmp_path):
    engine = engine_with(Judged(nan=True))
    a = assess(engine, judged_pack(tmp_path, engine), score=3)
    with pytest.raises(PluginError, match=r"scoring method 'judged' \(plugin '.*Judged'\) wrote nan in its "
                                          r"derivation at steps\[0\]\.value"):
        a.record()


def test_the_record_id_covers_what_a_plugin_derived(tmp_path):
    ids = []
    for salt in ("a", "b"):
        engine = engine_with(Judged(salt=salt))
        ids.append(assess(engine, judged_pack(tmp_path, engine, name=f"{salt}.yaml"), score=3).record_id)
    assert ids[0] != ids[1]


def test_every_methods_numbers_say_where_they_come_from(tmp_path):
    engine = engine_with(Judged())
    data = mini_rule_set(factors=[])
    data["scoring"]["methods"] = [{"method": "judged", "params": {"high": 7}}]
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(write_yaml(tmp_path / "r.yaml", data))
    assert err.value.field == "scoring.methods[0].params.status"
    assert "judged: the parameters need status: one of verified_law" in str(err.value)
