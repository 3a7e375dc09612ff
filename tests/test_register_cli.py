"""``riskassess register …`` and ``evaluate --register``: round trip, exit codes, refusals, the sqlite3 shell's
edit named by ``register verify``, and every command in Chinese — against SQLite and PostgreSQL."""

# ruff: noqa: F811  (the fixtures imported from register_fixtures are test parameters here)

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from riskassess import ExitCode

from .conftest import EXAMPLES
from .conftest import run_cli as run
from .register_fixtures import location  # noqa: F401  (fixture)
from .test_chinese_cli import assert_chinese as _assert_chinese
from .test_chinese_cli import english_words

LOW, MEDIUM = EXAMPLES / "low-urban-road.yaml", EXAMPLES / "medium-substation.yaml"


def assert_chinese(code_out_err: tuple[int, str, str], *, code: int | None = None) -> str:
    """No English word but the command `add` (a command's name, as `history` or `verify`)."""
    got, out, err = code_out_err
    text = out + err
    if english_words(text) == ["add"]:
        text = text.replace("add", "")
    return _assert_chinese((got, text, ""), code=code)


def _written(capsys, tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run(capsys, "evaluate", str(LOW), "--out", str(a))[0] == 0
    assert run(capsys, "evaluate", str(MEDIUM), "--out", str(b))[0] == 0
    return a, b


def test_add_history_show_diff_export_verify(capsys, tmp_path, location):
    a, b = _written(capsys, tmp_path)
    reg = ("--register", location)
    code, out, _ = run(capsys, "register", "add", str(a), str(b), *reg)
    assert code == 0 and "a.json: registered as entry 1" in out and "b.json: registered as entry 2" in out
    assert "already in the register as entry 1" in run(capsys, "register", "add", str(a), *reg)[1]
    record = json.loads(a.read_text(encoding="utf-8"))
    code, out, _ = run(capsys, "register", "history", *reg)
    assert code == 0 and record["record_id"][:23] in out
    assert "Low risk → Low risk" in out and "High risk → Medium risk" in out
    project = record["questionnaire"]["answers"]["project"]["id"]
    code, out, _ = run(capsys, "register", "history", project, *reg)
    assert project in out and "GD-FSNH" not in out
    code, out, _ = run(capsys, "register", "show", "1", *reg)
    assert code == 0 and f"entry 1: {record['record_id']}" in out and "chain: the first entry" in out
    code, out, _ = run(capsys, "register", "show", record["record_id"][7:19], "--json", *reg)
    assert json.loads(out) == record
    code, out, _ = run(capsys, "register", "diff", "1", "2", *reg)
    assert code == 0 and "answer project.id: 'JS-" in out and "post-measure grade: 'low' → 'medium'" in out
    csv_file = tmp_path / "out.csv"
    assert run(capsys, "register", "export", "--format", "csv", "--out", str(csv_file), *reg)[0] == 0
    assert csv_file.read_text(encoding="utf-8").count("\n") == 3
    code, out, _ = run(capsys, "register", "export", *reg)
    assert [json.loads(line)["seq"] for line in out.splitlines()] == [1, 2]
    code, out, _ = run(capsys, "register", "verify", *reg)
    assert code == 0 and out.startswith("intact: 2 entries")


def test_evaluate_stores_as_it_evaluates(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "evaluate", str(LOW), "--register", ".")
    assert code == 0 and "registered as entry 1 in riskassess-register.sqlite" in out
    code, out, err = run(capsys, "evaluate", str(MEDIUM), "--format", "json", "--register", "reg.sqlite")
    assert code == 0 and json.loads(out)["record_id"] and "registered as entry 1 in reg.sqlite" in err
    monkeypatch.setenv("RISKASSESS_REGISTER", "reg.sqlite")  # the register commands' default
    assert "High risk → Medium risk" in run(capsys, "register", "history")[1]
    code, _, err = run(capsys, "evaluate", str(LOW), "--fail-on", "low", "--register", ".")
    assert code == ExitCode.GATE_TRIPPED and "already in the register as entry 1" in run(
        capsys, "evaluate", str(LOW), "--register", ".")[1]


def test_an_edited_record_is_refused_and_nothing_is_stored(capsys, tmp_path, location):
    a, b = _written(capsys, tmp_path)
    data = json.loads(a.read_text(encoding="utf-8"))
    data["result"]["post_measure_grade"] = "high"
    a.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "register", "add", str(b), str(a), "--register", location)
    assert code == ExitCode.INPUT_ERROR
    assert "the record was edited after it was written" in err and "nothing was stored" in err
    code, out, err = run(capsys, "register", "history", "--register", location)
    assert "is empty" in out or "no register here" in err  # PostgreSQL: the tables, empty; SQLite: not even a file


@pytest.mark.parametrize("args, says", [
    (["history"], "no register here"),
    (["show", "1"], "no register here"),
    (["verify"], "no register here"),
])
def test_a_missing_register_is_an_input_error_and_not_created(capsys, tmp_path, args, says):
    where = tmp_path / "none.sqlite"
    code, _, err = run(capsys, "register", *args, "--register", str(where))
    assert code == ExitCode.INPUT_ERROR and says in err and not where.exists()


def test_an_unknown_entry_is_an_input_error(capsys, tmp_path, location):
    a, _ = _written(capsys, tmp_path)
    run(capsys, "register", "add", str(a), "--register", location)
    code, _, err = run(capsys, "register", "show", "9", "--register", location)
    assert code == ExitCode.INPUT_ERROR and "no entry 9 in the register" in err


def test_verify_names_the_row_the_sqlite3_shell_edited(capsys, tmp_path):
    a, b = _written(capsys, tmp_path)
    where = str(tmp_path / "reg.sqlite")
    run(capsys, "register", "add", str(a), str(b), "--register", where)
    edit = "UPDATE entries SET initial_grade = 'low' WHERE seq = 2;"
    if shutil.which("sqlite3"):
        subprocess.run(["sqlite3", where, edit], check=True)
    else:  # the same statement through Python's sqlite3
        with sqlite3.connect(where) as conn:
            conn.execute(edit)
    code, out, _ = run(capsys, "register", "verify", "--register", where)
    record_id = json.loads(b.read_text(encoding="utf-8"))["record_id"]
    assert code == ExitCode.NOT_REPRODUCED
    assert out.startswith("NOT intact: 1 problems")
    assert f"entry 2 ({record_id}): edited: initial_grade: 'low' in the register, 'high' in its record" in out


def test_verify_names_a_deleted_entry(capsys, tmp_path, location):
    a, b = _written(capsys, tmp_path)
    run(capsys, "register", "add", str(a), str(b), "--register", location)
    from riskassess.register import open_register
    with open_register(location) as reg:
        reg.db.query("DELETE FROM entries WHERE seq = 1")
    code, out, _ = run(capsys, "register", "verify", "--register", location)
    record_id = json.loads(a.read_text(encoding="utf-8"))["record_id"]
    assert code == ExitCode.NOT_REPRODUCED and f"entry 1 ({record_id}): deleted" in out


def test_the_register_speaks_chinese(capsys, tmp_path):
    a, b = _written(capsys, tmp_path)
    reg = ("--register", str(tmp_path / "reg.sqlite"), "--lang", "zh")
    assert "已登记为" in assert_chinese(run(capsys, "register", "add", str(a), str(b), *reg), code=0)
    assert_chinese(run(capsys, "evaluate", str(LOW), *reg), code=0)
    listed = assert_chinese(run(capsys, "register", "history", *reg), code=0)
    assert "序号" in listed and "低风险 → 低风险" in listed  # grades as the rule set titles them
    assert "措施后风险等级" in assert_chinese(run(capsys, "register", "show", "2", *reg), code=0)
    v2 = tmp_path / "v2.yaml"  # a second version of the road project
    v2.write_text(LOW.read_text(encoding="utf-8").replace("households_relocated: 9", "households_relocated: 300"),
                  encoding="utf-8")
    assert_chinese(run(capsys, "evaluate", str(v2), *reg), code=0)
    text = assert_chinese(run(capsys, "register", "diff", "1", "3", *reg), code=0)
    assert "答案 land.households_relocated：9 → 300" in text and "措施前风险等级：“低风险” → “中风险”" in text
    assert "完整" in assert_chinese(run(capsys, "register", "verify", *reg), code=0)
    assert_chinese(run(capsys, "register", "show", "x", *reg), code=ExitCode.INPUT_ERROR)
    assert_chinese(run(capsys, "register", "history", "--register", str(tmp_path / "none"), "--lang", "zh"),
                   code=ExitCode.INPUT_ERROR)
    with sqlite3.connect(tmp_path / "reg.sqlite") as conn:
        conn.execute("UPDATE entries SET seq = 9 WHERE seq = 1")
        conn.execute("DELETE FROM entries WHERE seq = 3")
        conn.execute("UPDATE entries SET post_measure_grade = 'low' WHERE seq = 2")
    text = assert_chinese(run(capsys, "register", "verify", *reg), code=ExitCode.NOT_REPRODUCED)
    assert "被删除" in text and "被移动" in text and "被修改" in text
    data = json.loads(a.read_text(encoding="utf-8"))
    data["result"]["initial_grade"] = "high"
    a.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "被修改过" in assert_chinese(run(capsys, "register", "add", str(a), *reg), code=ExitCode.INPUT_ERROR)


@pytest.mark.parametrize("command", [[], ["add"], ["history"], ["show"], ["diff"], ["export"], ["verify"]],
                         ids=lambda c: " ".join(["register", *c]))
def test_register_help_in_chinese(capsys, command):
    text = assert_chinese(run(capsys, "register", *command, "--help", "--lang", "zh"), code=0)
    assert "用法：riskassess register" in text


def test_a_cold_evaluate_imports_no_register_and_no_database_driver():
    code = ("import sys, riskassess.cli; "
            "print(sorted(m for m in sys.modules if m.startswith(('riskassess.register', 'psycopg'))))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
