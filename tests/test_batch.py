"""A portfolio at once: ``riskassess batch`` (workers, bad files collected, resumable, summaries) and
``riskassess what-if`` (what a rule change would re-grade, and why)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from riskassess import ExitCode
from riskassess.batch import questionnaire_files, run_batch

from .conftest import EXAMPLES
from .conftest import run_cli as run
from .test_chinese_cli import assert_chinese

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def portfolio(tmp_path):
    """The shipped examples in two folders, and one broken file among them."""
    folder = tmp_path / "q"
    (folder / "north").mkdir(parents=True)
    for i, path in enumerate(sorted(EXAMPLES.glob("*.yaml"))):
        shutil.copy(path, folder / ("north" if i % 2 else "") / path.name)
    (folder / "broken.yaml").write_text("format_version: 1\nproject: [\n", encoding="utf-8")
    return folder


def test_every_file_is_graded_and_a_bad_one_is_collected(portfolio, tmp_path, capsys):
    out, summary = tmp_path / "records", tmp_path / "summary.jsonl"
    code, stdout, stderr = run(capsys, "batch", str(portfolio), "--out", str(out), "--summary", str(summary),
                               "--jobs", "2")
    assert code == ExitCode.INPUT_ERROR  # one refused file: the batch reports it, after grading the rest
    assert "9 graded (0 of them resumed from their records), 1 refused" in stdout
    assert "refused: " + str(portfolio / "broken.yaml") + ":3: invalid YAML: a value is missing" in stderr
    rows = [json.loads(line) for line in summary.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 10 and sum(r["status"] == "graded" for r in rows) == 9
    road = next(r for r in rows if r["path"].endswith("low-urban-road.yaml"))
    assert (road["initial_grade"], road["post_measure_grade"], road["firm"]) == ("low", "low", True)
    record = json.loads(Path(road["record"]).read_text(encoding="utf-8"))
    assert record["record_id"] == road["record_id"]
    assert run(capsys, "verify", road["record"])[0] == 0  # a batch record verifies like any other


def test_a_batch_resumes_from_the_records_it_wrote(portfolio, tmp_path, capsys):
    out = tmp_path / "records"
    run(capsys, "batch", str(portfolio), "--out", str(out), "--jobs", "1")
    changed = portfolio / "low-urban-road.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("households_relocated: 9",
                                                                   "households_relocated: 900"), encoding="utf-8")
    outcomes = {Path(o.path).name: o for o in run_batch(questionnaire_files([str(portfolio)]), out_dir=out)}
    assert outcomes["low-urban-road.yaml"].status == "graded"  # its file changed: graded again
    assert sum(o.status == "resumed" for o in outcomes.values()) == 8
    assert outcomes["broken.yaml"].status == "failed"


def test_the_summary_as_csv_and_in_chinese(portfolio, tmp_path, capsys):
    summary = tmp_path / "summary.csv"
    text = assert_chinese(run(capsys, "batch", str(portfolio), "--summary", str(summary), "--lang", "zh"),
                          code=ExitCode.INPUT_ERROR)
    assert "已评估 9 份（其中 0 份沿用已写出的记录），1 份被拒绝；措施后风险等级：" in text
    assert "YAML 格式错误" in text
    rows = list(csv.DictReader(io.StringIO(summary.read_text(encoding="utf-8"))))
    assert {r["status"] for r in rows} == {"graded", "failed"} and len(rows) == 10


def test_nothing_to_grade_is_an_input_error(tmp_path, capsys):
    code, _, err = run(capsys, "batch", str(tmp_path))
    assert code == ExitCode.INPUT_ERROR and "no questionnaires (*.yaml) found" in err
    code, _, err = run(capsys, "batch", str(tmp_path / "nowhere"))
    assert code == ExitCode.INPUT_ERROR and "no such file or directory" in err


def test_what_if_names_the_projects_and_the_methods_a_band_change_moves(tmp_path, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "cn-ndrc-2012", pack)
    rules = pack / "ruleset.yaml"
    text = rules.read_text(encoding="utf-8")
    assert "{grade: medium, from: 0.36, inclusive: true}" in text
    rules.write_text(text.replace("{grade: medium, from: 0.36, inclusive: true}",
                                  "{grade: medium, from: 0.1, inclusive: true}"), encoding="utf-8")
    code, out, _ = run(capsys, "what-if", str(EXAMPLES), "--rules", str(rules))
    assert code == 0
    assert ("low-urban-road.yaml (JS-CZTN-2026-0418): before measures Low risk → Medium risk, after "
            "measures Low risk → Medium risk") in out
    assert "  - scoring method index: Low risk → Low risk becomes Medium risk → Medium risk" in out
    assert "4 of 9 questionnaires grade differently" in out


def test_what_if_names_the_factor_a_threshold_change_moves(tmp_path, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "cn-ndrc-2012", pack)
    rules = pack / "ruleset.yaml"
    text = rules.read_text(encoding="utf-8")
    old = "  relocation_households_large:\n    value: 200\n"
    assert old in text
    rules.write_text(text.replace(old, "  relocation_households_large:\n    value: 5\n"), encoding="utf-8")
    q = tmp_path / "road.yaml"
    q.write_text((EXAMPLES / "low-urban-road.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = assert_chinese(run(capsys, "what-if", str(q), "--rules", str(rules), "--lang", "zh"), code=0)
    assert "风险因素 cn.land.relocation_scale：由 较小 → 较小 变为" in text


def test_what_if_over_a_register_regrades_each_projects_latest_assessment(tmp_path, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "cn-ndrc-2012", pack)
    rules = pack / "ruleset.yaml"
    text = rules.read_text(encoding="utf-8")
    register = tmp_path / "reg.sqlite"
    code, _, _ = run(capsys, "batch", str(EXAMPLES), "--register", str(register), "--jobs", "1")
    assert code == 0
    rules.write_text(text.replace("{grade: medium, from: 0.36, inclusive: true}",
                                  "{grade: medium, from: 0.1, inclusive: true}"), encoding="utf-8")
    code, out, err = run(capsys, "what-if", str(register), "--rules", str(rules))
    assert (code, err) == (0, "")
    # the answers the register keeps, graded under the rule set each was graded under and under the new one
    assert (f"{register}#" in out and "(JS-CZTN-2026-0418): before measures Low risk → Medium risk, after measures "
            "Low risk → Medium risk") in out
    assert "4 of 9 questionnaires grade differently" in out


def test_a_batch_goes_into_the_register_once(portfolio, tmp_path, capsys):
    register = tmp_path / "reg.sqlite"
    code, out, _ = run(capsys, "batch", str(portfolio), "--register", str(register), "--jobs", "2")
    assert code == ExitCode.INPUT_ERROR  # the broken file, reported; the rest is graded and registered
    assert f"registered 9 new entries (0 already held) in {register}" in out
    code, out, _ = run(capsys, "batch", str(portfolio), "--register", str(register), "--jobs", "1")
    assert "registered 0 new entries (9 already held)" in out
    code, out, _ = run(capsys, "register", "verify", "--register", str(register))
    assert code == 0 and out.startswith("intact: 9 entries")
    code, out, _ = run(capsys, "register", "history", "JS-CZTN-2026-0418", "--register", str(register))
    assert code == 0 and "Low risk → Low risk" in out


def test_kill_9_at_random_points_loses_nothing_and_the_batch_resumes(portfolio, tmp_path, capsys):
    import os
    import random
    import signal
    import subprocess
    import sys
    import time
    out, register = tmp_path / "records", tmp_path / "reg.sqlite"
    command = [sys.executable, "-m", "riskassess", "batch", str(portfolio), "--out", str(out), "--register",
               str(register), "--jobs", "2"]
    rng = random.Random(20261202)
    for _ in range(6):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(rng.uniform(0.3, 1.5))
        os.killpg(process.pid, signal.SIGKILL)  # the batch and its workers, mid-flight
        process.wait()
        for record in out.glob("*.json"):  # whatever is there is whole
            assert json.loads(record.read_text(encoding="utf-8"))["record_id"].startswith("sha256:")
        if register.exists():
            assert run(capsys, "register", "verify", "--register", str(register))[0] == 0
    code, stdout, _ = run(capsys, "batch", str(portfolio), "--out", str(out), "--register", str(register))
    assert code == ExitCode.INPUT_ERROR and "9 graded" in stdout  # the broken file, as ever
    assert not list(out.glob(".*tmp*"))
    code, stdout, _ = run(capsys, "register", "verify", "--register", str(register))
    assert code == 0 and stdout.startswith("intact: 9 entries")


def test_what_if_says_its_refusals_in_chinese(tmp_path, capsys):
    q = tmp_path / "q"
    q.mkdir()
    text = (EXAMPLES / "low-urban-road.yaml").read_text(encoding="utf-8")
    (q / "bad.yaml").write_text(text.replace("households_relocated: 9", "households_relocated: many"),
                                encoding="utf-8")
    code, out, err = run(capsys, "what-if", str(q), "--rules", "cn-ndrc-2012", "--lang", "zh")
    assert code == ExitCode.INPUT_ERROR
    assert "拒绝：" in err and "land.households_relocated" in err
    assert_chinese((code, out, err))
