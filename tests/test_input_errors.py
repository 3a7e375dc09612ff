"""Every kind of bad questionnaire ends in one clear message naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from riskassess import Engine, InputError
from riskassess.questionnaire import QuestionnaireInvalid

from .conftest import base_questionnaire, write_yaml


def read(engine: Engine, national, path: Path):
    return engine.read_questionnaire(path, national)


def test_malformed_yaml_names_file_and_line(tmp_path, engine, national):
    p = tmp_path / "q.yaml"
    p.write_text("format_version: 1\nproject: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read(engine, national, p)
    assert str(err.value).startswith(f"{p}:3: invalid YAML:")


def test_duplicate_key_is_rejected_not_silently_overwritten(tmp_path, engine, national):
    p = tmp_path / "q.yaml"
    p.write_text("format_version: 1\nland:\n  households_relocated: 10\n  households_relocated: 900\n")
    with pytest.raises(InputError) as err:
        read(engine, national, p)
    assert str(err.value) == (f"{p}:4: land.households_relocated: duplicate key 'households_relocated' "
                              "(first given on line 3) (remove one of them; YAML would silently keep the last)")


def test_python_object_tag_is_refused(tmp_path, engine, national):
    p = tmp_path / "q.yaml"
    p.write_text("format_version: 1\nproject: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(InputError, match=r":2: project: tag '!!python/object/apply:os.system' is "
                                         r"not allowed"):
        read(engine, national, p)


def test_alias_bomb_is_refused_quickly(tmp_path, engine, national):
    lines = ["format_version: 1", "a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [*{'a' if i == 1 else 'a' + str(i - 1)}, *{'a' if i == 1 else 'a' + str(i - 1)}]")
    p = tmp_path / "bomb.yaml"
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"bomb.yaml:3: a1\[0\]: anchors and aliases \(&name / \*name\) are not "
                                         r"allowed"):
        read(engine, national, p)


def test_oversized_file_is_refused_before_parsing(tmp_path, engine, national):
    p = tmp_path / "big.yaml"
    p.write_text("format_version: 1\n" + "# padding\n" * 700_000)
    with pytest.raises(InputError, match=r"big.yaml: file is 7,000,018 bytes, more than the 5,242,880-byte limit"):
        read(engine, national, p)


def test_empty_file(tmp_path, engine, national):
    p = tmp_path / "empty.yaml"
    p.write_text("  \n")
    with pytest.raises(InputError) as err:
        read(engine, national, p)
    assert str(err.value) == f"{p}: file is empty (run `riskassess init` for a template)"


def test_non_utf8_file_names_the_line(tmp_path, engine, national):
    p = tmp_path / "gbk.yaml"
    p.write_bytes("format_version: 1\nproject:\n  name: 垃圾焚烧\n".encode("gbk"))
    with pytest.raises(InputError) as err:
        read(engine, national, p)
    assert str(err.value) == f"{p}:3: not valid UTF-8 (byte 35) (save the file as UTF-8)"


def test_top_level_list(tmp_path, engine, national):
    p = tmp_path / "list.yaml"
    p.write_text("- format_version: 1\n")
    with pytest.raises(InputError) as err:
        read(engine, national, p)
    assert str(err.value) == (f"{p}:1: the questionnaire must be a mapping of sections, not a list "
                              "(start from `riskassess init`)")


def test_unknown_field_suggests_nearest_name(tmp_path, engine, national):
    q = base_questionnaire()
    q["land"]["housholds_relocated"] = 3
    p = write_yaml(tmp_path / "q.yaml", q)
    with pytest.raises(QuestionnaireInvalid) as err:
        read(engine, national, p)
    line = p.read_text().splitlines().index("  housholds_relocated: 3") + 1
    assert str(err.value) == (f"{p}:{line}: land.housholds_relocated: unknown field 'housholds_relocated' "
                              "(did you mean 'households_relocated'?)")


def test_wrong_type_and_out_of_range_are_all_listed(tmp_path, engine, national):
    q = base_questionnaire()
    q["land"]["households_relocated"] = "many"
    q["public"]["awareness_rate"] = 85
    p = write_yaml(tmp_path / "q.yaml", q)
    with pytest.raises(QuestionnaireInvalid) as err:
        read(engine, national, p)
    messages = [e.message for e in err.value.problems]
    assert "expected a whole number (or ~ for unknown), got 'many'" in messages
    assert "must be ≤ 1, got 85" in messages
    rate = next(e for e in err.value.problems if e.field == "public.awareness_rate")
    assert rate.hint == "rates and shares are fractions from 0 to 1"


def test_enum_typo_suggests_value(tmp_path, engine, national):
    q = base_questionnaire()
    q["environment"]["nimby_type"] = "incinerator"
    p = write_yaml(tmp_path / "q.yaml", q)
    with pytest.raises(QuestionnaireInvalid) as err:
        read(engine, national, p)
    assert err.value.problems[0].hint == "did you mean 'waste_incineration'?"


def test_missing_required_project_field(tmp_path, engine, national):
    q = base_questionnaire()
    del q["project"]["channel"]
    p = write_yaml(tmp_path / "q.yaml", q)
    with pytest.raises(QuestionnaireInvalid, match=r"project: missing required field 'channel'"):
        read(engine, national, p)


def test_survey_counts_must_add_up(tmp_path, engine, national):
    q = base_questionnaire()
    q["public"]["survey"] = {"issued": 100, "valid": 90, "support": 60, "conditional": 20, "oppose": 20}
    p = write_yaml(tmp_path / "q.yaml", q)
    with pytest.raises(QuestionnaireInvalid, match="support \\+ conditional \\+ oppose = 100 exceeds the 90 valid"):
        read(engine, national, p)


def test_measure_for_unknown_factor(tmp_path, engine, national):
    q = base_questionnaire()
    q["measures"] = [{"id": "M1", "addresses": ["cn.land.relocation_scal"], "description": "x",
                      "status": "committed", "effect": {"probability": -1}}]
    p = write_yaml(tmp_path / "q.yaml", q)
    with pytest.raises(QuestionnaireInvalid) as err:
        read(engine, national, p)
    problem = err.value.problems[0]
    assert problem.field == "measures[0].addresses[0]"
    assert problem.message == "addresses unknown factor 'cn.land.relocation_scal'"
    assert problem.hint == "did you mean 'cn.land.relocation_scale'?"


def test_measure_effect_cannot_raise_risk(tmp_path, engine, national):
    q = base_questionnaire()
    q["measures"] = [{"id": "M1", "addresses": ["cn.land.relocation_scale"], "description": "x",
                      "status": "committed", "effect": {"impact": 1}}]
    p = write_yaml(tmp_path / "q.yaml", q)
    with pytest.raises(QuestionnaireInvalid, match=r"measures\[0\].effect.impact: must be ≤ 0, got 1"):
        read(engine, national, p)


def test_evidence_for_a_field_that_does_not_exist(tmp_path, engine, national):
    q = base_questionnaire()
    q["evidence"] = {"land.households": {"document": "入户调查表", "method": "surveyed"}}
    p = write_yaml(tmp_path / "q.yaml", q)
    with pytest.raises(QuestionnaireInvalid, match=r"evidence for 'land.households', which is not a questionnaire "
                                                   "field"):
        read(engine, national, p)


def test_non_finite_number(tmp_path, engine, national):
    p = tmp_path / "q.yaml"
    p.write_text(yaml.safe_dump(base_questionnaire()).replace("awareness_rate: 0.9", "awareness_rate: .nan"))
    with pytest.raises(InputError, match=r"public.awareness_rate: '.nan' is not a finite number"):
        read(engine, national, p)


def test_bad_date(tmp_path, engine, national):
    q = base_questionnaire()
    q["measures"] = [{"id": "M1", "addresses": ["cn.land.relocation_scale"], "description": "x",
                      "deadline": "2026-13-45", "status": "committed", "effect": {"impact": -1}}]
    p = write_yaml(tmp_path / "q.yaml", q)
    with pytest.raises(QuestionnaireInvalid, match=r"measures\[0\].deadline: '2026-13-45' is not a date"):
        read(engine, national, p)
