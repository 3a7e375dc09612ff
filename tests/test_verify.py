"""`riskassess verify` explains (issue 8, item 6): a record edited after it was written is said to be so first,
differences are named by factor id and field, and the rule set is found from the record's own lineage."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskassess import ExitCode
from riskassess.verify import SHOWN_DIFFERENCES, content_id, explain

from .conftest import EXAMPLES, ROOT
from .conftest import run_cli as run
from .test_chinese_cli import assert_chinese, english_words
from .test_properties import questionnaires

LOW = EXAMPLES / "low-urban-road.yaml"
HIGH = EXAMPLES / "high-incinerator.yaml"
EXPRESSWAY = EXAMPLES / "expressway-farmland.yaml"
NATIONAL = ROOT / "rules" / "cn-ndrc-2012"
EDITED = "the record was edited after it was written: its content no longer matches its id"


def evaluate(capsys, questionnaire, out, *rules):
    code, _, err = run(capsys, "evaluate", str(questionnaire), *rules, "--out", str(out))
    assert code == ExitCode.OK, err
    return json.loads(out.read_text(encoding="utf-8"))


def verify(capsys, record, *args):
    return run(capsys, "verify", str(record), *args, "--lang", "en")


def edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def factor(data, fid):
    return next(f for f in data["result"]["factors"] if f["id"] == fid)


def pack(tmp_path, name="pack", rule_set_id=None, **thresholds):
    """A copy of the national pack (under its own id if given), with some threshold values changed."""
    target = tmp_path / name
    shutil.copytree(NATIONAL, target)
    text = (target / "ruleset.yaml").read_text(encoding="utf-8")
    if rule_set_id:
        text = text.replace("\nid: cn-ndrc-2012\n", f"\nid: {rule_set_id}\n", 1)
    for key, (old, new) in thresholds.items():
        marker = f"  {key}:\n    value: {old}\n"
        assert marker in text
        text = text.replace(marker, f"  {key}:\n    value: {new}\n")
    (target / "ruleset.yaml").write_text(text, encoding="utf-8")
    return target


# ----------------------------------------------------------------------------- intact records


def test_an_untouched_record_reproduces(tmp_path, capsys):
    rec = tmp_path / "record.json"
    data = evaluate(capsys, HIGH, rec)
    assert verify(capsys, rec) == (ExitCode.OK, f"reproduced: {data['record_id']}\n", "")


@settings(max_examples=40, deadline=None)
@given(questionnaires(), st.lists(st.tuples(st.sampled_from(["cn.land.relocation_scale", "cn.public.opposition",
                                                             "cn.env.nimby_proximity", "cn.order.petitions"]),
                                            st.integers(-4, 0), st.integers(-4, 0)), max_size=4))
def test_a_record_content_gives_its_own_id(engine, national, answers, measures):
    answers["measures"] = [{"id": f"M{i}", "addresses": [fid], "description": "措施", "status": "committed",
                            "effect": {"probability": dp, "impact": di}} for i, (fid, dp, di) in enumerate(measures)]
    record = json.loads(json.dumps(engine.assess(engine.questionnaire(answers, national), national).record()))
    assert content_id(record) == record["record_id"]
    assert explain(record, record) == []


# ----------------------------------------------------------------------------- records edited after writing


def test_a_factor_level_edited_after_writing_is_said_first_and_named(tmp_path, capsys):
    rec = tmp_path / "record.json"
    data = evaluate(capsys, HIGH, rec)
    assert factor(data, "cn.env.nimby_proximity")["initial"]["level"] == "major"
    edit(rec, lambda d: factor(d, "cn.env.nimby_proximity")["initial"].update(level="significant"))
    code, out, _ = verify(capsys, rec)
    assert code == ExitCode.NOT_REPRODUCED
    lines = out.splitlines()
    assert lines[0] == EDITED
    stated, content = lines[1].removeprefix("  its id: ").split("; its content gives: ")
    assert stated == data["record_id"] and content.startswith("sha256:") and content != stated
    # Re-evaluation gives the stated id back: printed once, not as "re-evaluation gives <the same id>".
    assert lines[2] == f"NOT reproduced: {data['record_id']}"
    assert lines[3].startswith("re-evaluation gives the id the record states")
    assert lines[4:] == ["  - factor cn.env.nimby_proximity: initial level 'significant' in the record, 'major' on "
                         "re-evaluation"]


def test_a_tampered_record_in_chinese_has_no_english(tmp_path, capsys):
    rec = tmp_path / "record.json"
    evaluate(capsys, HIGH, rec)
    edit(rec, lambda d: factor(d, "cn.env.nimby_proximity")["initial"].update(level="significant"))
    text = assert_chinese(run(capsys, "verify", str(rec), "--lang", "zh"), code=ExitCode.NOT_REPRODUCED)
    assert text.startswith("记录写出后被修改过：其内容与记录编号不再相符\n")
    assert "  - 风险因素 cn.env.nimby_proximity 的措施前风险程度：记录中为 “较大”，重新评估为 “重大”" in text


def test_an_edited_answer_is_named_with_what_it_was(tmp_path, capsys):
    rec = tmp_path / "record.json"
    evaluate(capsys, LOW, rec)
    edit(rec, lambda d: d["questionnaire"]["answers"]["land"].update(households_relocated=900))
    code, out, _ = verify(capsys, rec)
    assert code == ExitCode.NOT_REPRODUCED and out.startswith(EDITED + "\n")
    assert "  - answers: the answers in the record do not match their recorded SHA-256\n" in out
    assert "  - answer land.households_relocated: 9 when the record was written, 900 in its answers now\n" in out
    assert "  - initial grade 'low' in the record, 'medium' on re-evaluation\n" in out
    assert "  - factor cn.land.relocation_scale: case taken 'small' in the record, 'large' on re-evaluation\n" in out


def test_edits_outside_the_digest_are_edits_too(tmp_path, capsys):
    rec = tmp_path / "record.json"
    evaluate(capsys, EXAMPLES / "medium-substation.yaml", rec)
    edit(rec, lambda d: d["result"]["decision"]["title"].update(en="Approvable"))
    code, out, _ = verify(capsys, rec)
    assert code == ExitCode.NOT_REPRODUCED and out.startswith(EDITED + "\n")
    assert "  - result.decision.title.en 'Approvable' in the record, " in out


def test_an_edited_digest_is_named(tmp_path, capsys):
    rec = tmp_path / "record.json"
    evaluate(capsys, LOW, rec)
    edit(rec, lambda d: d["digest"].update(grades=["high", "high"]))
    code, out, _ = verify(capsys, rec)
    assert code == ExitCode.NOT_REPRODUCED and out.startswith(EDITED + "\n")
    assert "  - digest.grades[0] 'high' in the record, 'low' on re-evaluation\n" in out


def test_many_differences_are_cut_short(tmp_path, capsys):
    rec = tmp_path / "record.json"
    evaluate(capsys, LOW, rec)
    edit(rec, lambda d: d["questionnaire"]["answers"]["land"].update(households_relocated=900))
    _, out, _ = verify(capsys, rec)
    listed = [line for line in out.splitlines() if line.startswith("  - ")]
    assert len(listed) == SHOWN_DIFFERENCES
    more = out.splitlines()[-1]
    assert more.startswith("  … and ") and more.endswith(" more") and int(more.split()[2]) > 0


# ----------------------------------------------------------------------------- finding the rule set


def test_a_missing_rule_set_is_an_input_error_naming_it(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pack(tmp_path, rule_set_id="test-city")
    data = evaluate(capsys, LOW, tmp_path / "record.json", "--rules", "./pack")
    shutil.rmtree(tmp_path / "pack")
    code, out, err = verify(capsys, "record.json")
    assert code == ExitCode.INPUT_ERROR and out == ""
    sha = data["rule_sets"][0]["sha256"]
    assert err == (f"error: record.json: rule_sets: cannot find the rule set the record was made with: test-city "
                   f"version 0.3.0, SHA-256 {sha} (it is not installed here and pack/ruleset.yaml no longer exists; "
                   "pass it with --rules PATH)\n")
    code, _, err = run(capsys, "verify", "record.json", "--lang", "zh")
    assert code == ExitCode.INPUT_ERROR and not english_words(err)
    assert "找不到记录所用的规则集：test-city，版本 0.3.0" in err and "请用 --rules 路径 指定" in err


def test_a_moved_pack_is_an_input_error_until_given_with_rules(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pack(tmp_path, rule_set_id="test-city")
    data = evaluate(capsys, LOW, tmp_path / "record.json", "--rules", "./pack")
    assert data["rule_sets"][0]["source"] == "pack/ruleset.yaml"
    (tmp_path / "pack").rename(tmp_path / "moved")
    code, _, err = verify(capsys, "record.json")
    assert code == ExitCode.INPUT_ERROR and "cannot find the rule set the record was made with: test-city" in err
    assert verify(capsys, "record.json", "--rules", "./moved") == (ExitCode.OK, f"reproduced: {data['record_id']}\n",
                                                                   "")


def test_a_relative_pack_is_found_beside_the_record_from_anywhere(tmp_path, capsys, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    pack(work, rule_set_id="test-city")
    data = evaluate(capsys, LOW, work / "record.json", "--rules", "./pack")
    monkeypatch.chdir(tmp_path)
    assert verify(capsys, work / "record.json") == (ExitCode.OK, f"reproduced: {data['record_id']}\n", "")


def test_an_edited_record_whose_rule_set_is_missing_is_still_not_reproduced(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pack(tmp_path, rule_set_id="test-city")
    evaluate(capsys, LOW, tmp_path / "record.json", "--rules", "./pack")
    shutil.rmtree(tmp_path / "pack")
    edit(tmp_path / "record.json", lambda d: d["result"].update(initial_grade="high"))
    code, out, _ = verify(capsys, "record.json")
    assert code == ExitCode.NOT_REPRODUCED and out.startswith(EDITED + "\n")
    assert "cannot find the rule set the record was made with: test-city" in out


def test_a_changed_pack_names_the_change_and_the_factor_it_changed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pack(tmp_path)
    data = evaluate(capsys, EXPRESSWAY, tmp_path / "record.json", "--rules", "./pack")
    assert factor(data, "cn.land.relocation_scale")["initial"]["level"] == "significant"  # 386 households ≥ 200
    pack(tmp_path, name="changed", relocation_households_large=(200, 400))
    shutil.rmtree(tmp_path / "pack")
    (tmp_path / "changed").rename(tmp_path / "pack")
    code, out, _ = verify(capsys, "record.json")  # found where the record says, though the same id is installed
    assert code == ExitCode.NOT_REPRODUCED
    lines = out.splitlines()
    assert EDITED not in out
    assert lines[0].startswith(f"NOT reproduced: {data['record_id']} (re-evaluation gives sha256:")
    assert lines[0].split()[-1] != f"{data['record_id']})"
    old_sha = data["rule_sets"][0]["sha256"][:12]
    assert lines[1].startswith(f"  - rule set cn-ndrc-2012 0.3.0 changed since the record was written: SHA-256 "
                               f"{old_sha}… → ")
    assert lines[1].endswith("… (pack/ruleset.yaml)")
    assert ("  - factor cn.land.relocation_scale: initial level 'significant' in the record, 'general' on "
            "re-evaluation") in lines
    assert "  - labels.thresholds.relocation_households_large.value 200 in the record, 400 on re-evaluation" in lines


def test_a_rule_file_given_with_rules_is_compared_with_the_record(tmp_path, capsys):
    rec = tmp_path / "record.json"
    evaluate(capsys, HIGH, rec, "--rules", str(pack(tmp_path)))
    changed = pack(tmp_path, name="changed", opposition_majority=(0.5, 0.3))
    code, out, _ = verify(capsys, rec, "--rules", str(changed))
    assert code == ExitCode.NOT_REPRODUCED
    assert "  - rule set cn-ndrc-2012 0.3.0 changed since the record was written: SHA-256 " in out
    assert f"  - rule set cn-ndrc-2012: the record was made with {tmp_path / 'pack' / 'ruleset.yaml'}\n" in out
    assert "  - override cn.override.opposition_majority: whether it fired no in the record, yes on re-evaluation\n" \
        in out


# ----------------------------------------------------------------------------- not a record


def test_verify_rejects_a_non_record(tmp_path, capsys):
    p = tmp_path / "x.json"
    p.write_text("{\"a\": 1}")
    code, _, err = verify(capsys, p)
    assert code == ExitCode.INPUT_ERROR and "not a riskassess assessment record" in err


@pytest.mark.parametrize("broken", [{"rule_sets": []}, {"plugins": [1, 2]}, {"result": []}, {"digest": "x"}])
def test_verify_rejects_malformed_records(tmp_path, capsys, broken):
    rec = tmp_path / "r.json"
    evaluate(capsys, LOW, rec)
    rec.write_text(json.dumps({**json.loads(rec.read_text()), **broken}))
    code, _, err = verify(capsys, rec)
    assert code == ExitCode.INPUT_ERROR
    assert "not a valid assessment record" in err and "Traceback" not in err
