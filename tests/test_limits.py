"""Bounded cost (issue 10, item 2): what a pack or a questionnaire may ask of the engine is bounded.

A condition of a thousand leaves or a factor of a thousand cases is refused by name (never a
RecursionError); at the limits they load and grade exactly; a report of 20,000 unknown factor ids describes
100 problems and counts the rest, with a suggestion only for those shown; a 1,000-factor pack built from the
national pack grades each copy of a factor as the national pack grades the original; a cached program
rebuilds its namespace from the rule set's own objects; the compiled schema check of packs agrees with
jsonschema.
"""

from __future__ import annotations

import copy
import marshal
import sys
from pathlib import Path
from typing import Any

import pytest

from riskassess import Engine, ExitCode, RuleSetError, build_plugin_manager, cache
from riskassess.engine import decide
from riskassess.pack_limits import MAX_CASES, MAX_CONDITION_LEAVES, MAX_FACTOR_LEAVES, MAX_FACTORS, MAX_LIST_ITEMS
from riskassess.questionnaire import QuestionnaireInvalid
from riskassess.ruleset import _ruleset_check, _ruleset_validator
from riskassess.suggestions import MAX_PROBLEMS, SHOWN_PROBLEMS
from riskassess.yamlfile import load_yaml

from .conftest import EXAMPLES, ROOT, base_questionnaire
from .conftest import run_cli as run

sys.path.insert(0, str(ROOT / "benchmarks"))
import big_pack

NATIONAL = big_pack.national()


def pack_with(tmp_path: Path, factor: dict[str, Any], name: str = "pack") -> Path:
    """The national pack with ``factor`` in place of its first factor, written to ``tmp_path/name``."""
    doc = copy.deepcopy(NATIONAL)
    doc["factors"][0] = factor
    folder = tmp_path / name
    folder.mkdir()
    (folder / "ruleset.yaml").write_text(big_pack.dump(doc), encoding="utf-8")
    return folder


def factor(cases: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "test.wide", "category": "land_expropriation", "title": {"zh": "宽", "en": "Wide"},
            "basis": [{"document": "ndrc-2492"}], "weight": 1, "cases": cases}


def case(k: int, when: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"c{k}", "when": when, "probability": 1 + k % 5, "impact": 1 + (k // 5) % 5}


def at_least(n: int) -> dict[str, Any]:
    return {"fact": "land.households_relocated", "gte": n}


def graded(engine: Engine, rule_set: Any, households: int) -> Any:
    answers = base_questionnaire()
    answers["land"]["households_relocated"] = households
    return decide(rule_set, engine.questionnaire(answers, rule_set).answers)


def test_a_condition_of_a_thousand_leaves_is_refused_by_name_not_a_recursion_error(tmp_path, engine):
    folder = pack_with(tmp_path, factor([case(0, {"all": [at_least(i) for i in range(1000)]})]))
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(folder)
    assert err.value.text.render("en") == f"more than {MAX_CONDITION_LEAVES} comparisons in one condition"
    assert err.value.field == "factors[0].cases[0].when" and err.value.line is not None


def test_a_factor_of_a_thousand_cases_is_refused_by_name_with_exit_2(tmp_path, capsys):
    folder = pack_with(tmp_path, factor([case(k, at_least(k)) for k in range(1000)]))
    code, _, err = run(capsys, "rules", "show", str(folder))
    assert code == ExitCode.INPUT_ERROR
    assert f"factors[0].cases: 1,000 cases: the limit is {MAX_CASES} cases in one factor" in err
    assert "Traceback" not in err


def test_at_the_limits_a_condition_and_a_factor_load_and_grade_exactly(tmp_path, engine):
    # 64 cases, the first of 256 leaves: it holds only from 255 households; case k holds from 64 - k.
    wide = {"all": [at_least(i) for i in range(MAX_CONDITION_LEAVES)]}
    cases = [case(0, wide)] + [case(k, at_least(MAX_CASES - k)) for k in range(1, MAX_CASES)]
    rule_set = engine.rule_set(pack_with(tmp_path, factor(cases)))
    assert len(rule_set.factors[0].cases) == MAX_CASES
    for households, taken in ((300, 0), (200, 1), (10, MAX_CASES - 10), (1, MAX_CASES - 1), (0, None)):
        scored = [f for f in graded(engine, rule_set, households).initial_factors if f.index == 0]
        expected = cases[taken] if taken is not None else None
        assert [(f.probability, f.impact) for f in scored] == \
            ([(expected["probability"], expected["impact"])] if expected else []), households


def test_the_comparisons_of_one_factor_are_bounded_together(tmp_path, engine):
    per_case = MAX_CONDITION_LEAVES
    cases = [case(k, {"any": [at_least(i) for i in range(per_case)]}) for k in range(MAX_FACTOR_LEAVES // per_case + 1)]
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(pack_with(tmp_path, factor(cases)))
    assert err.value.text.render("en") == (f"{len(cases) * per_case:,} comparisons in one factor (applies_when and "
                                           f"all its cases): the limit is {MAX_FACTOR_LEAVES:,}")
    assert err.value.field == "factors[0]"


def test_a_list_longer_than_the_limit_is_refused_before_any_other_check(tmp_path, engine):
    doc = copy.deepcopy(NATIONAL)
    doc["documents"] = [f"d{i}" for i in range(MAX_LIST_ITEMS + 1)]  # not even documents: the length speaks first
    (tmp_path / "ruleset.yaml").write_text(big_pack.dump(doc), encoding="utf-8")
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(tmp_path)
    assert err.value.text.render("en") == f"{MAX_LIST_ITEMS + 1:,} entries in one list or mapping: the limit is " \
                                          f"{MAX_LIST_ITEMS:,}"
    assert err.value.field == "documents"


def test_more_factors_than_the_limit_are_refused(tmp_path, engine):
    doc = copy.deepcopy(NATIONAL)
    doc["factors"] = [{"id": f"f{i}"} for i in range(MAX_FACTORS + 1)]
    (tmp_path / "ruleset.yaml").write_text(big_pack.dump(doc), encoding="utf-8")
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(tmp_path)
    assert err.value.text.render("en") == f"{MAX_FACTORS + 1:,} factors: the limit is {MAX_FACTORS:,} factors in " \
                                          "one rule set"
    assert str(err.value.hint_text) == "split the pack, e.g. one for each kind of project"


def test_many_unknown_factor_ids_are_counted_and_only_the_shown_get_a_suggestion(tmp_path, capsys):
    text = (EXAMPLES / "low-urban-road.yaml").read_text(encoding="utf-8")
    ids = ", ".join(f"cn.env.predicted_exceedanc{i}" for i in range(20_000))
    path = tmp_path / "many.yaml"
    path.write_text(text.replace("addresses: [cn.env.predicted_exceedance]", f"addresses: [{ids}]", 1),
                    encoding="utf-8")
    engine = Engine(build_plugin_manager(entry_points=False))
    with pytest.raises(QuestionnaireInvalid) as err:
        engine.read_questionnaire(path, engine.rule_set("cn-ndrc-2012"))
    problems = err.value.problems
    assert (len(problems), err.value.more) == (MAX_PROBLEMS, 20_000 - MAX_PROBLEMS)
    hints = [str(p.hint_text) for p in problems]
    assert hints[:SHOWN_PROBLEMS] == ["did you mean 'cn.env.predicted_exceedance'?"] * SHOWN_PROBLEMS
    assert set(hints[SHOWN_PROBLEMS:]) == {"run `riskassess rules show` for factor ids"}
    code, _, err_text = run(capsys, "evaluate", str(path))
    assert code == ExitCode.INPUT_ERROR
    assert err_text.strip().splitlines()[-1] == f"... and {20_000 - SHOWN_PROBLEMS} more problems"


def test_a_thousand_factor_pack_grades_each_copy_as_the_national_pack_grades_the_original(tmp_path, engine,
                                                                                          national):
    big = engine.rule_set(big_pack.write(1000, tmp_path / "big"))
    assert len(big.factors) == 1000
    originals = [f.id for f in national.factors]
    for example in sorted(EXAMPLES.glob("*.yaml")):
        want = engine.read_questionnaire(example, national)
        got = engine.read_questionnaire(example, big)
        scored = {national.factors[s.index].id: (s.probability, s.impact)
                  for s in decide(national, want.answers).initial_factors}
        assert scored  # every example has factors that apply
        copies = -(-1000 // len(originals))
        wanted = [(big_pack.replica_id(fid, k), scored[fid]) for k in range(1, copies + 1) for fid in originals
                  if fid in scored and big_pack.replica_id(fid, k) in big.factor_index]
        outcome = decide(big, got.answers)
        assert [(big.factors[s.index].id, (s.probability, s.impact)) for s in outcome.initial_factors] == wanted, \
            example.name


def test_a_cached_program_rebuilds_its_namespace_from_the_rule_set_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKASSESS_CACHE", str(tmp_path / "cache"))
    cache.directory.cache_clear()
    try:
        examples = sorted(EXAMPLES.glob("*.yaml"))
        fresh = [Engine().evaluate(p).record_id for p in examples]
        entries = sorted((tmp_path / "cache").glob("code-*"))
        assert entries  # the programs were cached, with the recipe of their namespace
        assert [Engine().evaluate(p).record_id for p in examples] == fresh
        for entry in entries:  # a recipe naming what the rule set has not: compiled afresh, same grades
            code, _recipe = marshal.loads(entry.read_bytes())
            entry.write_bytes(marshal.dumps((code, (("_c9", ("operand", 10**9)),))))
        assert [Engine().evaluate(p).record_id for p in examples] == fresh
    finally:
        cache.directory.cache_clear()


def _mutants(data: dict[str, Any]) -> list[Any]:
    """Edits a pack author could make by mistake, each of a kind the schema refuses (or not)."""
    out = []
    for key in ("factors", "grades", "documents"):
        d = copy.deepcopy(data)
        del d[key]
        out.append(d)
    for change in ({"weight": "2"}, {"weight": True}, {"probability": 2.0}, {"extra": 1}, {"cases": []},
                   {"id": "Bad Id"}, {"on_unknown": "maybe"}):
        d = copy.deepcopy(data)
        d["factors"][0].update(change)
        out.append(d)
    for names in (["a", "a"], ["a", "b"], [], [1]):
        out.append({**copy.deepcopy(data), "extends": "x", "remove": {"factors": names}})
    return out


@pytest.mark.parametrize("pack", ["cn-ndrc-2012", "js-db32-4013"])
def test_the_compiled_schema_check_of_packs_agrees_with_jsonschema(pack):
    check = _ruleset_check()
    assert check is not None  # the pack schema compiles: jsonschema only explains
    data = load_yaml(ROOT / "rules" / pack / "ruleset.yaml").data
    for mutant in [data, *_mutants(data)]:
        assert check(mutant) == (not any(_ruleset_validator().iter_errors(mutant))), mutant.get("factors", [{}])[0]

    assert sum(not check(m) for m in _mutants(data)) >= 10  # the mutants do test refusals


def _record_mutants(record: dict[str, Any]) -> list[Any]:
    """Tamperings of a real record: a field removed, retyped, added, at the top and deep inside."""
    out: list[Any] = []
    for key in list(record)[:12]:
        d = copy.deepcopy(record)
        del d[key]
        out.append(d)
        d = copy.deepcopy(record)
        d[key] = [d[key]] if not isinstance(d[key], list) else {"x": 1}
        out.append(d)
    d = copy.deepcopy(record)
    d["extra"] = 1
    out.append(d)
    factors = record.get("factors") or []
    for change in ({"extra": 1}, {"id": 5}, {"applicable": "yes"}):
        d = copy.deepcopy(record)
        if factors:
            d["factors"][0].update(change)
        out.append(d)
    return out


def test_the_compiled_record_check_agrees_with_jsonschema(engine):
    from riskassess.record_reader import _record_check, _record_validator
    check = _record_check()
    assert check is not None  # the record schema, its $refs inlined, compiles: jsonschema only explains
    for example in sorted(EXAMPLES.glob("*.yaml"))[:4]:
        record = engine.evaluate(example).record()
        assert check(record) and not any(_record_validator().iter_errors(record))
        mutants = _record_mutants(record)
        verdicts = [check(m) for m in mutants]
        assert verdicts == [not any(_record_validator().iter_errors(m)) for m in mutants], example.name
        assert verdicts.count(False) >= 10


def test_a_reference_back_to_itself_is_left_to_jsonschema():
    from riskassess.schema_check import compile_check, inline_refs
    schema = {"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}},
              "$ref": "#/$defs/node"}
    assert compile_check(inline_refs(schema), lambda value, name: True) is None


def test_the_garbage_collector_is_back_on_after_a_load_that_fails(tmp_path, engine):
    import gc
    folder = pack_with(tmp_path, factor([case(k, at_least(k)) for k in range(MAX_CASES + 1)]))
    assert gc.isenabled()
    with pytest.raises(RuleSetError):
        engine.rule_set(folder)
    assert gc.isenabled()


def test_a_long_list_deep_in_a_pack_is_refused_at_its_own_path(tmp_path, engine):
    doc = copy.deepcopy(NATIONAL)
    doc["factors"][3]["cases"][0]["when"] = {"fact": "environment.nimby_type", "in": ["x"] * (MAX_LIST_ITEMS + 1)}
    (tmp_path / "ruleset.yaml").write_text(big_pack.dump(doc), encoding="utf-8")
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(tmp_path)
    assert err.value.field == "factors[3].cases[0].when.in"
    assert err.value.line == big_pack.dump(doc).splitlines().index("factors:") + 5
