"""`riskassess test` and `riskassess lint` on rule packs."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from riskassess import ExitCode, packtest
from riskassess.lint import lint

from .conftest import ROOT, label, mini_rule_set, write_yaml
from .conftest import run_cli as run


def pack(tmp_path, data=None, tests=None):
    directory = tmp_path / "pack"
    (directory / "tests").mkdir(parents=True)
    write_yaml(directory / "ruleset.yaml", data or mini_rule_set())
    write_yaml(directory / "tests" / "base.yaml", {"format_version": 1, "demo": {"households": 0, "share": 0.1}})
    if tests is not None:
        write_yaml(directory / "tests" / "test_cases.yaml", {"base": "base.yaml", "cases": tests})
    return directory


CASES = [
    {"name": "big relocation", "answers": {"demo": {"households": 150}},
     "expect": {"factors": {"t.scale": "big"}, "initial_grade": "high", "levels": {"t.scale": "top"}}},
    {"name": "small relocation", "answers": {"demo": {"households": 3}},
     "expect": {"factors": {"t.scale": "small", "t.share": False}, "initial_grade": "low"}},
    {"name": "share", "answers": {"demo": {"share": 0.4}}, "expect": {"factors": {"t.share": True},
                                                                      "initial_grade": "medium"}},
]


SHIPPED = sorted(p.parent for p in (ROOT / "rules").glob("*/ruleset.yaml"))


@pytest.mark.parametrize("pack_dir", SHIPPED, ids=lambda p: p.name)
def test_shipped_pack_tests_pass(capsys, pack_dir):
    minimum = "100"  # the shipped packs reach full coverage of factors, cases, grades and leaves
    code, out, _ = run(capsys, "test", str(pack_dir), "--min-coverage", minimum)
    assert code == ExitCode.OK, out
    assert " 0 failed" in out


@pytest.mark.parametrize("pack_dir", SHIPPED, ids=lambda p: p.name)
def test_shipped_packs_lint_clean(capsys, pack_dir):
    code, out, _ = run(capsys, "lint", str(pack_dir))
    assert code == ExitCode.OK
    assert out.strip().endswith(": 0 error(s), 0 warning(s)")


def test_jiangsu_worked_example(engine):
    """ssra-domain.md §5.2: 12 risk points before measures, 3 after (the template's stated 4 is mis-added)."""
    rs = engine.rule_set(ROOT / "rules/js-db32-4013")
    a = engine.evaluate(ROOT / "rules/js-db32-4013/tests/dongtinghu.yaml", ROOT / "rules/js-db32-4013")
    assert a.rule_set is rs
    totals = {stage: next(s for s in ds[0].steps if s["step"] == "total")["value"]
              for stage, ds in a.derivations.items()}
    assert totals == {"initial": "12", "post_measure": "3"}
    dims = next(s for s in a.derivations["initial"][0].steps if s["step"] == "dimensions")["value"]
    assert dims == {"legality": "0/10", "rationality": "5/25", "feasibility": "3/10", "controllability": "4/55"}
    assert (a.initial_grade, a.post_measure_grade) == ("low", "low")


def test_passing_pack_with_full_coverage(tmp_path, capsys):
    directory = pack(tmp_path, tests=CASES)
    junit = tmp_path / "junit.xml"
    code, out, _ = run(capsys, "test", str(directory), "--junit", str(junit), "--min-coverage", "100")
    assert code == ExitCode.OK, out
    assert "test-mini: 3 passed, 0 failed, 0 known gaps (todo)" in out
    assert "coverage 100.0%" in out
    suite = ET.parse(junit).getroot()
    assert (suite.get("tests"), suite.get("failures")) == ("3", "0")


def test_a_pack_that_extends_nothing_is_covered_whole_either_way(engine, tmp_path):
    directory = pack(tmp_path, tests=CASES)
    own, whole = packtest.run_pack_tests(engine, directory), packtest.run_pack_tests(engine, directory, lineage=True)
    assert own.coverage.parts() == whole.coverage.parts()
    assert own.coverage.total() == 1 and str(own.coverage_scope) == "the whole pack"


def test_failing_case_shows_expected_and_actual(tmp_path, capsys):
    cases = [{"name": "wrong expectation", "answers": {"demo": {"households": 3}},
              "expect": {"factors": {"t.scale": "big"}, "initial_grade": "high"}}]
    code, out, _ = run(capsys, "test", str(pack(tmp_path, tests=cases)))
    assert code == ExitCode.GATE_TRIPPED
    assert "FAIL wrong expectation" in out
    assert "    factor t.scale: expected case big, got small" in out
    assert "    initial_grade: expected 'high', got 'low'" in out


def test_known_gap_is_reported_but_does_not_fail(tmp_path, capsys):
    cases = [{"name": "gap", "answers": {}, "expect": {"initial_grade": "high"}, "todo": "issue 7"}]
    code, out, _ = run(capsys, "test", str(pack(tmp_path, tests=cases)))
    assert code == ExitCode.OK
    assert "TODO gap" in out and "1 known gaps (todo)" in out


def test_min_coverage_is_exact(tmp_path, capsys):
    code, out, err = run(capsys, "test", str(pack(tmp_path, tests=CASES[:1])), "--min-coverage", "99.99")
    assert code == ExitCode.GATE_TRIPPED
    assert "is below --min-coverage 99.99%" in err
    assert "not covered: factor t.share never applied" in out


def test_invalid_answers_in_a_case_are_an_error_of_that_case(tmp_path, capsys):
    cases = [{"name": "typo", "answers": {"demo": {"housholds": 3}}, "expect": {"initial_grade": "low"}}]
    code, out, _ = run(capsys, "test", str(pack(tmp_path, tests=cases)))
    assert code == ExitCode.GATE_TRIPPED
    assert "unknown field 'housholds' (did you mean 'households'?)" in out


def test_pack_without_tests(tmp_path, capsys):
    code, _, err = run(capsys, "test", str(pack(tmp_path)))
    assert code == ExitCode.INPUT_ERROR and "no test files found" in err


def test_merge_is_deep_for_mappings_and_replaces_lists():
    assert packtest.merge({"a": {"b": 1, "c": [1, 2]}}, {"a": {"c": [3]}}) == {"a": {"b": 1, "c": [3]}}


# ------------------------------------------------------------------------------ lint


def test_lint_finds_unreachable_case_and_tier_gap(engine, make_rules):
    data = mini_rule_set()
    data["factors"][0]["cases"] = [
        {"id": "large", "when": {"fact": "demo.households", "gte": 200}, "probability": 3, "impact": 4},
        {"id": "huge", "when": {"fact": "demo.households", "gte": 1000}, "probability": 4, "impact": 5},
        {"id": "few", "when": {"fact": "demo.households", "between": [1, 50]}, "probability": 2, "impact": 2},
    ]
    data["thresholds"] = {"unused": {"value": 3, "status": "pack_judgement", "source": label("x")}}
    data["factors"][1]["title"] = {"zh": "Share", "en": "Share"}
    rs = make_rules(data)
    found = {(f.level, f.code, f.where) for f in lint(rs)}
    assert ("error", "unreachable-case", "t.scale") in found
    assert ("warning", "tier-gap", "t.scale") in found
    assert ("warning", "unused-threshold", "thresholds") in found
    assert ("warning", "translation", "t.share") in found
    unreachable = next(f for f in lint(rs) if f.code == "unreachable-case")
    assert str(unreachable.message).startswith("case huge can never apply: case large (line ")


def test_lint_finds_cases_without_a_title(make_rules, tmp_path, capsys):
    data = mini_rule_set()
    data["factors"][0]["cases"][0]["title"] = label("Big")
    rs = make_rules(data)
    found = [f for f in lint(rs) if f.code == "untitled-case"]
    assert [(f.level, f.where) for f in found] == [("warning", "t.scale"), ("warning", "t.share")]
    small = found[0]
    assert str(small.message) == ("case small has no title: reports name it only as P2·I2 "
                                  "(in Chinese 概率2、影响2); add `title: {zh: …, en: …}`")
    assert small.format() == f"{rs.source}:{small.line}: warning: untitled-case: t.scale: {small.message}"
    # In Chinese: the level in Chinese, the code kept in brackets for whoever searches it.
    assert small.render("zh") == (f"{rs.source}:{small.line}: 警告: t.scale: "
                                  "情形 small 没有标题：报告中只能显示为“概率2、影响2”；"
                                  "请为该情形添加 `title: {zh: …, en: …}` [untitled-case]")
    data["factors"][0]["cases"][1]["title"] = label("Small")
    data["factors"][1]["cases"][0]["title"] = label("Many oppose")
    assert not [f for f in lint(make_rules(data)) if f.code == "untitled-case"]
    code, out, _ = run(capsys, "lint", str(write_yaml(tmp_path / "ruleset.yaml", mini_rule_set())), "--lang", "zh")
    assert code == ExitCode.OK  # a warning does not fail the run
    assert "情形 case1 没有标题" in out and "[untitled-case]" in out and "untitled-case:" not in out


def test_lint_findings_in_chinese_keep_their_code(make_rules):
    data = mini_rule_set()
    data["factors"][0]["cases"].append({"id": "dead", "title": label("Dead"), "when": {"fact": "demo.households",
                                        "gte": 500}, "probability": 1, "impact": 1})
    data["grades"][1]["definition"] = {"zh": "Medium", "en": "Medium"}
    findings = {f.code: f for f in lint(make_rules(data))}
    unreachable = findings["unreachable-case"].render("zh")
    assert ": 错误: t.scale: 情形 dead 永远不会命中：凡它成立时，前面的情形 big（第 " in unreachable
    assert unreachable.endswith(" 行）都已成立 [unreachable-case]")
    assert findings["translation"].render("zh").endswith(
        ": 警告: 等级 medium 的定义: zh 文字 “Medium” 不含汉字 [translation]")
    assert findings["translation"].format().endswith(
        ": warning: translation: grade medium definition: zh text 'Medium' has no Chinese characters")


def test_lint_finds_measures_for_unknown_factors_in_pack_tests(tmp_path, engine):
    cases = [{"name": "m", "answers": {"measures": [{"id": "M1", "addresses": ["t.scael"], "description": "x",
                                                      "status": "committed", "effect": {"impact": -1}}]},
              "expect": {"initial_grade": "low"}}]
    directory = pack(tmp_path, tests=cases)
    found = [f for f in lint(engine.rule_set(directory / "ruleset.yaml")) if f.code == "unknown-factor"]
    assert [(f.level, str(f.message)) for f in found] == [("error", "a measure addresses unknown factor 't.scael'")]
    assert found[0].format().startswith(f"{directory / 'tests' / 'test_cases.yaml'}:")


def test_lint_cli_exit_code(tmp_path, capsys):
    data = mini_rule_set()
    data["factors"][0]["cases"].append({"id": "dead", "when": {"fact": "demo.households", "gte": 500},
                                        "probability": 1, "impact": 1})
    path = write_yaml(tmp_path / "ruleset.yaml", data)
    code, out, _ = run(capsys, "lint", str(path))
    assert code == ExitCode.GATE_TRIPPED
    assert f"{path}:" in out and "error: unreachable-case: t.scale: case dead can never apply" in out


@pytest.mark.parametrize(("expect", "message"), [
    ({"factors": ["t.scale"]}, "expect.factors: expected a mapping (key: value lines), got a list"),
    ({"factors": {"t.scael": True}}, "unknown factor 't.scael'"),
    ({"factors": {"t.scale": "huge"}}, "factor t.scale has no case 'huge'; its cases: big, small"),
    ({"levels": {"t.scale": "hgh"}}, "unknown level 'hgh'; levels: low, mid, top"),
    ({"overrides": {"t.x": True}}, "unknown override 't.x'"),
    ({"overrides": {"t.x": "maybe"}}, "expected true or false"),
    ({"initial_grade": "severe"}, "unknown grade 'severe'; grades: low, medium, high"),
    ({"points": {"initial": "abc"}}, "expected a number"),
])
def test_malformed_expectations_are_authoring_errors(tmp_path, capsys, expect, message):
    directory = pack(tmp_path, tests=[{"name": "x", "answers": {}, "expect": expect}])
    code, _, err = run(capsys, "test", str(directory))
    assert code == ExitCode.INPUT_ERROR
    assert message in err
    assert f"{directory / 'tests' / 'test_cases.yaml'}:" in err and "Traceback" not in err


def test_answers_that_are_not_a_mapping(tmp_path, capsys):
    directory = pack(tmp_path, tests=[{"name": "x", "answers": [1, 2], "expect": {}}])
    code, _, err = run(capsys, "test", str(directory))
    assert code == ExitCode.INPUT_ERROR and "cases[0].answers: expected a mapping (key: value lines), got a list" in err


def test_missing_or_bad_base(tmp_path, capsys):
    directory = pack(tmp_path)
    write_yaml(directory / "tests" / "test_a.yaml", {"base": "nope.yaml", "cases": []})
    code, _, err = run(capsys, "test", str(directory))
    assert code == ExitCode.INPUT_ERROR and "test_a.yaml:1: base: base 'nope.yaml':" in err
    write_yaml(directory / "tests" / "listy.yaml", [1])
    write_yaml(directory / "tests" / "test_a.yaml", {"base": "listy.yaml", "cases": []})
    code, _, err = run(capsys, "test", str(directory))
    assert code == ExitCode.INPUT_ERROR and "base 'listy.yaml' is not a questionnaire mapping" in err


def test_min_coverage_out_of_range_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(capsys, "test", str(pack(tmp_path, tests=CASES)), "--min-coverage", "150")
    assert code == 2 and "--min-coverage" in err and "less than or equal to 100" in err


def test_todo_that_passes_now_is_reported_and_post_levels(tmp_path, capsys):
    cases = [{"name": "fixed", "answers": {"demo": {"households": 150},
                                            "measures": [{"id": "M", "addresses": ["t.scale"], "description": "x",
                                                          "status": "committed", "effect": {"probability": -2}}]},
              "expect": {"levels": {"t.scale": "top"}, "post_levels": {"t.scale": "mid"}}, "todo": "was broken"}]
    code, out, _ = run(capsys, "test", str(pack(tmp_path, tests=cases)))
    assert code == ExitCode.OK
    assert "FIXED fixed (" in out and "passes now: remove its todo" in out


def test_test_and_lint_accept_an_installed_pack_id(capsys):
    assert run(capsys, "test", "js-db32-4013")[0] == ExitCode.OK
    assert run(capsys, "lint", "js-db32-4013")[0] == ExitCode.OK


def test_lint_overlapping_tiers(make_rules):
    data = mini_rule_set()
    data["factors"][0]["cases"] = [
        {"id": "mid", "when": {"fact": "demo.households", "between": [10, 20]}, "probability": 3, "impact": 3},
        {"id": "wide", "when": {"fact": "demo.households", "between": [15, 30]}, "probability": 2, "impact": 2},
        {"id": "low", "when": {"fact": "demo.households", "between": [0, 9]}, "probability": 1, "impact": 1},
    ]
    found = {(f.code, str(f.message)) for f in lint(make_rules(data))}
    assert ("tier-overlap", "cases mid and wide overlap from 15 to 20: only their order decides which applies") in found
    assert not any(code == "tier-gap" for code, _ in found)  # [0, 9] then [10, …]: no integer left out
