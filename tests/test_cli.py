"""The command line: outputs, documented exit codes, and no half-written files on error."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from riskassess import ExitCode
from riskassess.cli import main

from .conftest import EXAMPLES, base_questionnaire, write_yaml
from .conftest import run_cli as run

LOW = EXAMPLES / "low-urban-road.yaml"
HIGH = EXAMPLES / "high-incinerator.yaml"




def test_evaluate_summary_shows_grades_decision_and_record_id(capsys):
    code, out, _ = run(capsys, "evaluate", str(HIGH), "--lang", "en")
    assert code == ExitCode.OK
    assert "Initial grade (before measures): High risk" in out
    assert "Post-measure grade: High risk" in out
    flat = " ".join(line.strip("│ ") for line in out.splitlines())  # the decision wraps inside the box
    assert "Decision [NDRC approval (Fagai Touzi [2012] No. 2492)]: Not approved, authorised or forwarded" in flat
    assert "sha256:" in out


def test_evaluate_in_chinese(capsys):
    code, out, _ = run(capsys, "evaluate", str(LOW), "--lang", "zh")
    assert code == 0
    assert "初始风险等级（措施前）: 低风险" in out
    assert "可予审批" in out


def test_evaluate_json_is_the_record(capsys):
    code, out, _ = run(capsys, "evaluate", str(LOW), "--format", "json")
    assert code == 0
    record = json.loads(out)
    assert record["result"]["initial_grade"] == "low"
    assert record["questionnaire"]["source"] == str(LOW)


def test_out_writes_record_and_markdown(tmp_path, capsys):
    rec, md = tmp_path / "record.json", tmp_path / "report.md"
    assert run(capsys, "evaluate", str(HIGH), "--out", str(rec))[0] == 0
    assert run(capsys, "evaluate", str(HIGH), "--out", str(md), "--lang", "zh")[0] == 0
    assert json.loads(rec.read_text())["result"]["post_measure_grade"] == "high"
    report = md.read_text(encoding="utf-8")
    assert "# 社会稳定风险评估报告" in report
    assert "| 邻避设施靠近居民 |" in report and "`cn.env" not in report  # titles, not codes


@pytest.mark.parametrize(("fail_on", "code"), [("high", ExitCode.GATE_TRIPPED), ("medium", ExitCode.GATE_TRIPPED)])
def test_fail_on_gate(capsys, fail_on, code):
    exit_code, _, err = run(capsys, "evaluate", str(HIGH), "--fail-on", fail_on)
    assert exit_code == code
    assert f"gate: post-measure grade high is at or above {fail_on}" in err


def test_fail_on_passes_for_low(capsys):
    assert run(capsys, "evaluate", str(LOW), "--fail-on", "medium")[0] == ExitCode.OK


def test_fail_on_unknown_grade(capsys):
    code, _, err = run(capsys, "evaluate", str(LOW), "--fail-on", "severe")
    assert code == ExitCode.INPUT_ERROR
    assert "--fail-on 'severe': expected a grade (low, medium, high), worst:GRADE or provisional" in err


def test_input_error_exit_code_message_and_no_output_file(tmp_path, capsys):
    q = base_questionnaire()
    q["land"]["households_relocated"] = -3
    path = write_yaml(tmp_path / "q.yaml", q)
    out = tmp_path / "record.json"
    code, stdout, err = run(capsys, "evaluate", str(path), "--out", str(out))
    assert code == ExitCode.INPUT_ERROR
    assert err.startswith(f"error: {path}:")
    assert "land.households_relocated: must be ≥ 0, got -3" in err
    assert "Traceback" not in err + stdout
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_broken_rule_set_via_rules_option(tmp_path, capsys):
    rules = tmp_path / "ruleset.yaml"
    rules.write_text("ruleset_format: 1\nid: x\n", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(LOW), "--rules", str(rules))
    assert code == ExitCode.INPUT_ERROR
    assert err.startswith(f"error: {rules}:1: missing required field")


def test_usage_error_exit_code(capsys):
    code, _, err = run(capsys, "evaluate")
    assert code == 2
    assert "Missing argument" in err


def test_unknown_format(capsys):
    code, _, err = run(capsys, "evaluate", str(LOW), "--format", "pdf")
    assert code == ExitCode.INPUT_ERROR
    assert "unknown format 'pdf'; available: text, docx, html, json, markdown" in err


def test_validate(capsys):
    code, out, _ = run(capsys, "validate", str(LOW))
    assert code == 0
    assert out.startswith(f"{LOW}: valid for cn-ndrc-2012")


def test_init_template_validates_and_is_not_overwritten(tmp_path, capsys):
    path = tmp_path / "q.yaml"
    assert run(capsys, "init", str(path), "--lang", "zh")[0] == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=questionnaire.schema.json\n")
    schema = json.loads((tmp_path / "questionnaire.schema.json").read_text(encoding="utf-8"))
    land = schema["properties"]["land"]
    households = land["anyOf"][0]["properties"]["households_relocated"]
    assert households["title"] == "搬迁户数 · Households relocated"
    assert land["anyOf"][1]["const"] == "not_applicable"  # the one-line "this section does not apply"
    assert {"at_least", "between"} <= set(households["anyOf"][1]["properties"])  # approximate answers
    assert "# 搬迁户数" in text
    assert "households_relocated: ~" in text
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and "unanswered (unknown)" in out
    assert "provisionally Low risk; once the missing answers are given it could be Medium risk or High risk" in out
    assert "Answer these first" in out
    code, _, err = run(capsys, "init", str(path))
    assert code == ExitCode.INPUT_ERROR and "file exists" in err
    # evaluating the empty template is allowed and provisional, never silently low
    code, out, _ = run(capsys, "evaluate", str(path), "--lang", "en")
    assert code == 0 and "provisionally Low risk" in out and "Answer these first" in out


def test_schema_commands(capsys):
    for name, marker in (("questionnaire", "urn:riskassess:questionnaire:1"), ("ruleset", "urn:riskassess:ruleset:1"),
                         ("record", "urn:riskassess:record:1")):
        code, out, _ = run(capsys, "schema", name)
        assert code == 0 and json.loads(out)["$id"] == marker


def test_rules_list_and_show(capsys):
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0 and "cn-ndrc-2012" in out
    code, out, _ = run(capsys, "rules", "show", "cn-ndrc-2012", "--lang", "en")
    assert code == 0 and "cn.land.relocation_scale" in out
    assert "threshold scheme_notice_days = 30 [in a primary legal text]" in out


def test_plugins_list(capsys):
    code, out, _ = run(capsys, "plugins", "list")
    assert code == 0 and "riskassess.builtin.scoring" in out and "scoring method index" in out


def test_internal_errors_show_no_traceback_unless_debug(monkeypatch, capsys):
    from riskassess.engine import Engine

    def explode(*args, **kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(Engine, "evaluate", explode)
    code, _, err = run(capsys, "evaluate", str(LOW))
    assert code == ExitCode.INTERNAL_ERROR
    assert "internal error: KeyError: 'bug'" in err and "Traceback" not in err
    with pytest.raises(KeyError):
        main(["--debug", "evaluate", str(LOW)])


def test_console_script_and_module_entry_points():
    out = subprocess.run([sys.executable, "-m", "riskassess", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("riskassess ")


def test_yaml_key_order_and_comments_do_not_change_the_record_id(tmp_path, capsys):
    data = yaml.safe_load(LOW.read_text(encoding="utf-8"))
    reordered = {k: data[k] for k in reversed(list(data))}
    other = tmp_path / "reordered.yaml"
    other.write_text("# a different comment\n" + yaml.safe_dump(reordered, allow_unicode=True, sort_keys=True),
                     encoding="utf-8")
    ids = []
    for path in (LOW, other):
        rec = tmp_path / f"{path.stem}.json"
        run(capsys, "evaluate", str(path), "--out", str(rec))
        ids.append(json.loads(rec.read_text())["record_id"])
    assert ids[0] == ids[1]
