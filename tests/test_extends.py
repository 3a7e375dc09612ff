"""A department's pack that extends the national one instead of copying it."""

from __future__ import annotations

import json

import pytest

from riskassess import ExitCode, RuleSetError

from .conftest import EXAMPLES, ROOT, base_questionnaire, label, run_cli, write_yaml

CITY = {
    "ruleset_format": 1,
    "id": "city-demo",
    "version": "1.0.0",
    "extends": "cn-ndrc-2012",
    "title": label("City pack"),
    "jurisdiction": {"zh": "示例市", "en": "Demo city"},
    "documents": [{"id": "city-notice", "title": {"zh": "示例市稳评工作意见", "en": "Demo city SSRA notice"},
                   "confidence": "unverified"}],
    "thresholds": {"relocation_households_large": {"value": 100, "status": "pack_judgement",
                                                   "source": {"zh": "本市更严", "en": "Stricter in this city"}}},
    "factors": [{
        "id": "city.night_market", "category": "economic_social",
        "title": {"zh": "夜市摊贩受影响", "en": "Night-market vendors affected"},
        "basis": [{"document": "city-notice"}],
        "weight": 1,
        "cases": [{"when": {"fact": "land.enterprises_relocated", "gte": 5}, "probability": 3, "impact": 3}],
    }],
}


def city(tmp_path, **changes):
    return write_yaml(tmp_path / "ruleset.yaml", {**CITY, **changes})


def test_inherits_factors_and_scoring_and_overrides_thresholds(engine, national, tmp_path):
    rs = engine.rule_set(city(tmp_path))
    assert len(rs.factors) == len(national.factors) + 1
    assert rs.scoring[0].method == national.scoring[0].method and rs.grade_ids == national.grade_ids
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


def test_same_id_replaces_the_parent_factor(engine, national, tmp_path):
    factor = {"id": "cn.land.forced_demolition", "category": "land_expropriation",
              "title": {"zh": "强制拆除（本市从严）", "en": "Forced demolition (stricter)"},
              "basis": [{"document": "city-notice"}], "weight": 3,
              "cases": [{"when": {"fact": "land.forced_demolition_planned", "eq": True},
                         "probability": 5, "impact": 5}]}
    rs = engine.rule_set(city(tmp_path, factors=[factor]))
    assert len(rs.factors) == len(national.factors)
    assert rs.factors[-1].title.en == "Forced demolition (stricter)"


def test_errors_in_the_extending_file_point_at_it(engine, tmp_path):
    bad = dict(CITY["factors"][0], cases=[{"when": {"fact": "land.enterprise_relocated", "gte": 5},
                                            "probability": 3, "impact": 3}])
    path = city(tmp_path, factors=[bad])
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert err.value.source == str(path)
    assert err.value.message == "unknown fact 'land.enterprise_relocated': the questionnaire has no such field"
    lines = path.read_text().splitlines()
    assert err.value.line == next(i for i, text in enumerate(lines, 1) if "fact: land.enterprise_relocated" in text)


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


def test_verify_names_a_changed_parent(tmp_path, capsys):
    parent_dir = tmp_path / "national"
    parent_dir.mkdir()
    original = (ROOT / "rules/cn-ndrc-2012/ruleset.yaml").read_text(encoding="utf-8")
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
    from riskassess.lint import lint
    factor = dict(CITY["factors"][0], title={"zh": "Night market", "en": "Night market"})
    findings = lint(engine.rule_set(city(tmp_path, factors=[factor])))
    # Its own untitled case is found too; the parent's cases are not its findings.
    assert [(f.code, f.where) for f in findings] == [("translation", "city.night_market"),
                                                     ("untitled-case", "city.night_market")]
    assert findings[0].source.endswith("ruleset.yaml") and str(tmp_path) in findings[0].source
