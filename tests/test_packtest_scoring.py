"""`riskassess test`: expectations on any value of a scoring method's derivation (`expect.scoring`)."""

from __future__ import annotations

import shutil
import textwrap
import xml.etree.ElementTree as ET

import pytest
import yaml

from riskassess import ExitCode, packtest

from .conftest import EXAMPLES, ROOT
from .conftest import run_cli as run

NATIONAL = ROOT / "rules" / "cn-ndrc-2012" / "ruleset.yaml"


def national_pack(tmp_path, tests: str, base: str = "high-incinerator.yaml"):
    """The national pack with one test file of our own, on an example questionnaire (index 61/75 = 0.8133…
    before measures, 29/60 after; count: one major and four significant factors before, two after)."""
    directory = tmp_path / "pack"
    (directory / "tests").mkdir(parents=True)
    shutil.copy(NATIONAL, directory / "ruleset.yaml")
    text = f"base: {EXAMPLES / base}\n" + textwrap.dedent(tests)
    (directory / "tests" / "test_scoring.yaml").write_text(text, encoding="utf-8")
    return directory


BUILT_IN = """\
cases:
  - name: the incinerator's index and count, before and after measures
    expect:
      initial_grade: high
      scoring:
        index:
          initial: {grade: high, index: 0.8133, reference_weight: 12, band: {medium: true, high: true}}
          post_measure:
            grade: medium
            index: 0.4833
            band: {high: false}
            thresholds_provenance: {status: practitioner_convention}
        count:
          initial:
            counts: {general: 2, significant: 4, major: 1}
            rule: {high: true}
          post_measure: {grade: high, counts: {minor: 1, significant: 2, major: 0}, rule: {high: true}}
"""


def test_built_in_derivation_values_pass(tmp_path, capsys):
    junit = tmp_path / "junit.xml"
    code, out, _ = run(capsys, "test", str(national_pack(tmp_path, BUILT_IN)), "--junit", str(junit))
    assert code == ExitCode.OK, out
    assert "cn-ndrc-2012: 1 passed, 0 failed" in out
    suite = ET.parse(junit).getroot()
    case = suite.find("testcase")
    assert case is not None and case.get("assertions") == "19"  # initial_grade + 18 values under scoring
    assert suite.get("assertions") == "19"


def test_a_value_written_to_four_decimals_matches_an_exact_index_and_no_closer_than_that(tmp_path, engine):
    cases = """\
    cases:
      - name: rounded down
        expect: {scoring: {index: {initial: {index: 0.8133}}}}
      - name: off in the fourth decimal
        expect: {scoring: {index: {initial: {index: 0.8134}}}}
      - name: a looser tolerance of its own
        tolerance: 0.0001
        expect: {scoring: {index: {initial: {index: 0.8134}}}}
      - name: exact
        tolerance: 0
        expect: {scoring: {index: {initial: {index: 0.8133}, post_measure: {index: 0.48333333333}}}}
    """
    run_ = packtest.run_pack_tests(engine, national_pack(tmp_path, cases))
    failures = {o.name: [str(f) for f in o.failures] for o in run_.outcomes}
    assert failures["rounded down"] == [] and failures["a looser tolerance of its own"] == []
    assert failures["off in the fourth decimal"] == [
        "scoring.index.initial.index (line 6): expected 0.8134 ± 0.00005, got 0.813333…"]
    assert failures["exact"] == ["scoring.index.initial.index (line 12): expected 0.8133, got 0.813333…",
                                 "scoring.index.post_measure.index (line 12): expected 0.48333333333, got 0.483333…"]


def test_built_in_derivation_values_that_differ_say_where_and_what(tmp_path, capsys):
    cases = """\
    tolerance: 0.001
    cases:
      - name: wrong
        expect:
          scoring:
            index:
              initial:
                grade: medium
                index: 0.82
                band: {high: false}
                bands: {high: true}
            count:
              post_measure:
                counts: {significant: 3, severe: 1}
                rule: {medium: true}
                thresholds_provenance: {documents: []}
    """
    code, out, _ = run(capsys, "test", str(national_pack(tmp_path, cases)))
    assert code == ExitCode.GATE_TRIPPED
    assert out.splitlines()[1:8] == [
        "    scoring.index.initial.grade (line 9): expected 'medium', got 'high'",
        "    scoring.index.initial.index (line 10): expected 0.82 ± 0.001, got 0.813333…",
        "    scoring.index.initial.band.high (line 11): expected false, got true",
        "    scoring.index.initial.bands (line 12): no 'bands' step; the index derivation has: terms, "
        "reference_weight, index, band, thresholds_provenance",
        "    scoring.count.post_measure.counts.significant (line 15): expected 3 ± 0.001, got 2",
        "    scoring.count.post_measure.counts.severe (line 15): no 'severe' in "
        '{"negligible": 0, "minor": 1, "general": 4, "significant": 2, "major": 0}',
        "    scoring.count.post_measure.rule.medium (line 16): no 'rule' step for grade 'medium'",
    ]
    assert out.splitlines()[8].startswith(  # a list of another length is compared whole
        '    scoring.count.post_measure.thresholds_provenance.documents (line 17): expected [], got ["practice"')
    code, out, _ = run(capsys, "test", str(national_pack(tmp_path / "zh", cases)), "--lang", "zh")
    assert "    scoring.index.initial.index（第 10 行）：应为 0.82 ± 0.001，实际为 0.813333…" in out
    assert "    scoring.index.initial.grade（第 9 行）：应为 “medium”，实际为 “high”" in out


# ------------------------------------------------------------------------------ the expert plugin's fuzzy method

EXPERT_PACK = ROOT / "plugins" / "riskassess-expert" / "riskassess_expert" / "rules" / "expert-fce-2019"


@pytest.fixture
def expert_pack(tmp_path):
    pytest.importorskip("riskassess_expert")
    directory = tmp_path / "expert"
    shutil.copytree(EXPERT_PACK, directory)
    for test in (directory / "tests").glob("test_*.yaml"):
        test.unlink()
    return directory


def test_the_expert_pack_tests_the_published_numbers(capsys):
    pytest.importorskip("riskassess_expert")
    published = yaml.safe_load((EXPERT_PACK / "tests" / "test_published.yaml").read_text(encoding="utf-8"))
    initial = published["cases"][0]["expect"]["scoring"]["fuzzy"]["initial"]
    assert initial["value"]["weighted-average grade (Σ k·μk)"] == {"probability": 4.6683, "impact": 4.6889}
    assert initial["index"] == 4.6786
    assert "the probability weights of the groups add up to 1.010, not 1" in initial["warnings"]
    code, out, _ = run(capsys, "test", "expert-fce-2019", "--min-coverage", "100")
    assert code == ExitCode.OK, out
    assert "expert-fce-2019: 4 passed, 0 failed" in out


def test_the_expert_packs_test_data_is_the_published_example():
    for base, example in (("table7.yaml", "fce-2019-groups.yaml"), ("table6.yaml", "fce-2019-factors.yaml")):
        ours = yaml.safe_load((EXPERT_PACK / "tests" / base).read_text(encoding="utf-8"))
        published = yaml.safe_load((EXAMPLES.parent / "plugins" / "riskassess-expert" / "examples" / example)
                                   .read_text(encoding="utf-8"))
        assert ours == published


FUZZY = """\
base: table7.yaml
cases:
  - name: Table 7
    expect:
      scoring:
        fuzzy:
          initial:
            value:
              "weighted-average grade (Σ k·μk)": {probability: 4.668, impact: 4.6889}
              加权平均等级（Σk·μk）: {impact: 4.6889}
              probability: {maximum-membership grade: 5}
            vector: {overall membership vector: {impact: [0.0057, 0.0737, 0.1, 0.2375, 0.3301, 0.2024, 0.0561]}}
            index: 4.6786
            band: {medium: true}
            thresholds_provenance:
              source: 本规则包的示例分档（7 级评语加权平均等级 4 以上为中风险、5 以上为高风险）；论文未给出等级映射
            warnings:
              - the probability weights of the groups add up to 1.010, not 1
              - 各组影响程度权重之和为 1.010，不是 1
              - the probability weights in group c1 add up to 1.010, not 1
"""


def test_fuzzy_derivation_values_by_label_dimension_and_language(expert_pack, capsys):
    (expert_pack / "tests" / "test_fuzzy.yaml").write_text(FUZZY, encoding="utf-8")
    code, out, _ = run(capsys, "test", str(expert_pack))
    assert code == ExitCode.GATE_TRIPPED
    problems = [line.strip() for line in out.splitlines() if line.startswith("    scoring.")]
    label = 'scoring.fuzzy.initial.value."weighted-average grade (Σ k·μk)"'
    assert problems[0] == f"{label}.probability (line 9): expected 4.668 ± 0.00005, got 4.6683"
    assert problems[1] == ('scoring.fuzzy.initial.vector."overall membership vector".impact[2] (line 12): '
                           "expected 0.1 ± 0.00005, got 0.1094")
    assert problems[2] == ("scoring.fuzzy.initial.warnings[2] (line 20): "
                           "missing warning 'the probability weights in group c1 add up to 1.010, not 1'")
    assert problems[3] == ("scoring.fuzzy.initial.warnings (line 17): unexpected warning "
                           "'the probability memberships of c1 add up to 0.980, not 1'")
    assert len(problems) == 3 + 8  # the eight row-sum warnings not listed


def test_fuzzy_derivation_values_that_match_pass(expert_pack, capsys):
    passing = FUZZY.replace("probability: 4.668,", "probability: 4.6683,").replace("0.1, 0.2375", "0.1094, 0.2375")
    passing = passing.replace("""\
              - the probability weights in group c1 add up to 1.010, not 1
""", "".join(f"              - the {w} add up to {s}, not 1\n" for w, s in (
        ("probability memberships of c1", "0.980"), ("probability memberships of c2", "0.990"),
        ("impact memberships of c2", "1.010"), ("impact memberships of c3", "1.010"),
        ("probability memberships of c4", "1.060"), ("impact memberships of c4", "1.020"),
        ("impact memberships of c5", "1.010"), ("probability memberships of c6", "1.010"))))
    (expert_pack / "tests" / "test_fuzzy.yaml").write_text(passing, encoding="utf-8")
    code, out, _ = run(capsys, "test", str(expert_pack))
    assert code == ExitCode.OK, out


def test_steps_that_an_expectation_does_not_tell_apart(expert_pack, capsys):
    (expert_pack / "tests" / "test_fuzzy.yaml").write_text("""\
base: table7.yaml
cases:
  - name: ambiguous
    expect:
      scoring:
        fuzzy:
          initial:
            value: {"weighted-average grade (Σ k·μk)": 4.6683, speed: 1}
            vector: {c1: {probability: [1]}}
""", encoding="utf-8")
    code, out, _ = run(capsys, "test", str(expert_pack))
    assert code == ExitCode.GATE_TRIPPED
    assert ("scoring.fuzzy.initial.value.\"weighted-average grade (Σ k·μk)\" (line 8): 2 'value' steps here; "
            "name one by its label, dimension or group: weighted-average grade (Σ k·μk) (probability), "
            "weighted-average grade (Σ k·μk) (impact)") in out
    assert ("scoring.fuzzy.initial.value.speed (line 8): no 'value' step named 'speed'; they are named: "
            "weighted-average grade (Σ k·μk) (probability), maximum-membership grade (probability), ") in out
    assert ("scoring.fuzzy.initial.vector.c1 (line 9): no 'vector' step named 'c1'; they are named: "
            "overall membership vector (probability), overall membership vector (impact)") in out


# ------------------------------------------------------------------------------ authoring errors


@pytest.mark.parametrize(("expect", "line", "message"), [
    ("{scoring: {indx: {initial: {index: 0.8}}}}", 4,
     "scoring.indx: unknown scoring method 'indx'; the pack's methods: index, count"),
    ("{scoring: {index: {before: {index: 0.8}}}}", 4, "scoring.index.before: unknown field 'before'"),
    ("{scoring: {index: {initial: {band: {high: yes please}}}}}", 4,
     "scoring.index.initial.band.high: expected true or false"),
    ("{scoring: {index: {initial: {band: {severe: true}}}}}", 4,
     "scoring.index.initial.band.severe: unknown grade 'severe'; grades: low, medium, high"),
    ("{scoring: {count: {post_measure: {grade: severe}}}}", 4,
     "scoring.count.post_measure.grade: unknown grade 'severe'"),
    ("{scoring: {index: {initial: {warnings: none}}}}", 4, "scoring.index.initial.warnings: expected a list"),
    ("{scoring: [index]}", 4, "expect.scoring: expected a mapping"),
])
def test_malformed_scoring_expectations_are_authoring_errors(tmp_path, capsys, expect, line, message):
    directory = national_pack(tmp_path, f"cases:\n  - name: x\n    expect: {expect}\n")
    code, _, err = run(capsys, "test", str(directory))
    assert code == ExitCode.INPUT_ERROR
    assert f"{directory / 'tests' / 'test_scoring.yaml'}:{line}:" in err and message in err, err
    assert "Traceback" not in err


def test_a_negative_tolerance_is_refused_in_both_languages(tmp_path, capsys):
    directory = national_pack(tmp_path, "cases:\n  - name: x\n    tolerance: -0.1\n    expect: {}\n")
    code, _, err = run(capsys, "test", str(directory))
    assert code == ExitCode.INPUT_ERROR and "test_scoring.yaml:4: cases[0].tolerance: must be ≥ 0, got -0.1" in err
    code, _, err = run(capsys, "test", str(directory), "--lang", "zh")
    assert code == ExitCode.INPUT_ERROR and "test_scoring.yaml:4" in err and "≥ 0" in err
    directory = national_pack(tmp_path / "zh", "cases:\n  - name: x\n    expect: {scoring: {indx: {}}}\n")
    code, _, err = run(capsys, "test", str(directory), "--lang", "zh")
    assert "未知的计分方法 “indx”；本规则集的计分方法：index、count" in err


def test_assertions_are_counted():
    assert packtest.count_assertions({"factors": {"a": True, "b": "c"}, "initial_grade": "low"}) == 3
    assert packtest.count_assertions({"scoring": {"fuzzy": {
        "initial": {"value": {"x": {"probability": 1, "impact": 2}}, "warnings": ["a", "b"], "band": {"high": True}},
        "post_measure": {"index": 4.6}}}}) == 5
