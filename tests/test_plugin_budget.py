"""Plugin code is held to account (issue 10, item 3): it runs on a time budget, it cannot end the program
(``sys.exit`` is a plugin error, Ctrl-C an interruption, neither ever a success), ``after_assessment`` sees a
copy it cannot change the record through, and a derived fact gives numbers a record can hold.

Each misbehaviour is tried in every place plugin code runs: registration, an operator's ``test`` and
``check``, a derived fact, a scoring method's ``prepare``, ``grade`` and ``derive``, an output format and
``after_assessment``; the import of an installed plugin too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from riskassess import (
    Derivation,
    DerivedFact,
    Engine,
    ExitCode,
    FactType,
    Label,
    Operator,
    OutputFormat,
    PluginError,
    build_plugin_manager,
    hookimpl,
)

from .conftest import ROOT, mini_rule_set, write_yaml
from .conftest import run_cli as run
from .test_plugin_isolation import LOW, disabled

BUDGET = "0.3"
ANSWERS = {"format_version": 1, "demo": {"households": 0, "share": 0.5}}

#: Where plugin code runs → how an error names that call.
CALLS = {
    "operator test": "operator 'dept_above' (test)",
    "operator check": "operator 'dept_above' (check)",
    "derived fact": "derived fact 'derived.dept_share' (compute)",
    "prepare": "scoring method 'dept_score' (prepare)",
    "grade": "scoring method 'dept_score' (grade)",
    "derive": "scoring method 'dept_score' (derive)",
    "output format": "output format 'dept_csv' (render)",
    "after_assessment": "riskassess_after_assessment",
}


class Prepared:
    def __init__(self, act: Callable[[str], None]) -> None:
        self.act = act

    def grade(self, factors):
        self.act("grade")
        return 1 if factors else 0

    def derive(self, factors):
        self.act("derive")
        return Derivation("dept_score", "medium" if factors else "low")


class DeptScore:
    name = "dept_score"
    title = Label("部门计分", "department score")

    def __init__(self, act: Callable[[str], None]) -> None:
        self.act = act

    def prepare(self, params, context):
        self.act("prepare")
        return Prepared(self.act)


class Dept:
    """An operator, a derived fact, a scoring method, an output format and an observer; ``misbehave()`` runs
    in the one named ``where``."""

    def __init__(self, where: str, misbehave: Callable[[], Any]) -> None:
        self.__name__ = "dept"  # the plugin's name, as an entry point's would be
        self.where, self.misbehave = where, misbehave

    def act(self, where: str) -> Any:
        return self.misbehave() if where == self.where else None

    @hookimpl
    def riskassess_register_operators(self, register):
        self.act("riskassess_register_operators")
        register(Operator("dept_above", Label("高于", "above"), lambda a, b: self.act("operator test") or a > b,
                          check=lambda ftype, operand: self.act("operator check")))

    @hookimpl
    def riskassess_register_derived_facts(self, register):
        register(DerivedFact("derived.dept_share", FactType("number"), Label("比例", "share"), ("demo.share",),
                             lambda q: self.act("derived fact") or q["demo"]["share"], "demo.share"))

    @hookimpl
    def riskassess_register_scoring_methods(self, register):
        register(DeptScore(self.act))

    @hookimpl
    def riskassess_register_output_formats(self, register):
        register(OutputFormat("dept_csv", Label("表格", "table"), ".csv",
                              lambda record, lang: self.act("output format") or record["result"]["initial_grade"]))

    @hookimpl
    def riskassess_after_assessment(self, assessment):
        self.act("after_assessment")


def dept_rules(tmp_path: Path, fact: str = "derived.dept_share") -> Path:
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = {"fact": fact, "dept_above": 0.3}
    data["scoring"]["methods"].append({"method": "dept_score", "params": {
        "status": "pack_judgement", "source": {"zh": "测试", "en": "test"}}})
    return write_yaml(tmp_path / "rules.yaml", data)


def run_everything(plugin: Dept, rules: Path) -> tuple[Engine, str]:
    """Build an engine, load the rules, evaluate, write the record and render it: (engine, the rendering)."""
    engine = Engine(build_plugin_manager(entry_points=False, extra=[plugin]), warn=lambda message: None)
    record = engine.evaluate(ANSWERS, rules).record()
    return engine, str(engine.contributions.output_formats["dept_csv"].render(record, "en"))


def slow() -> None:
    time.sleep(30)


def swallowing() -> None:
    try:
        time.sleep(30)
    except Exception:  # the budget is not an Exception: this does not stop it
        time.sleep(30)


@pytest.fixture
def budget(monkeypatch):
    monkeypatch.setenv("RISKASSESS_PLUGIN_TIMEOUT", BUDGET)


def over_budget(call: str) -> str:
    return (f"plugin 'dept': {call} did not finish within the time budget of {BUDGET} s (set "
            "RISKASSESS_PLUGIN_TIMEOUT=SECONDS to change it; 0: no limit)")


# --------------------------------------------------------------------------- the time budget


@pytest.mark.parametrize("where", list(CALLS))
def test_plugin_code_that_runs_past_its_budget_is_a_plugin_error_naming_it(where, budget, tmp_path):
    with pytest.raises(PluginError) as err:
        run_everything(Dept(where, slow), dept_rules(tmp_path))
    assert err.value.exit_code == ExitCode.PLUGIN_ERROR
    assert (err.value.message, err.value.hint) == (over_budget(CALLS[where]),
                                                   "fix or disable it (RISKASSESS_DISABLE_PLUGINS=dept)")
    assert (err.value.line is not None) == (where in ("prepare", "operator check"))  # at its place in the pack


def test_catching_exception_does_not_stop_the_budget(budget, tmp_path):
    with pytest.raises(PluginError) as err:
        run_everything(Dept("operator test", swallowing), dept_rules(tmp_path))
    assert err.value.message == over_budget(CALLS["operator test"])


def test_a_registration_hook_past_its_budget_disables_its_plugin(budget):
    messages: list = []
    engine = Engine(build_plugin_manager(entry_points=False, extra=[Dept("riskassess_register_operators", slow)]),
                    warn=messages.append)
    reason = over_budget("riskassess_register_operators").removeprefix("plugin 'dept': ")
    assert [m.render("en") for m in messages] == [disabled("dept", reason)]
    assert engine.rule_set("cn-ndrc-2012").id == "cn-ndrc-2012"  # the rest works


def test_the_budget_is_per_call_and_0_lifts_it(monkeypatch, tmp_path):
    def pause() -> None:
        time.sleep(0.2)

    monkeypatch.setenv("RISKASSESS_PLUGIN_TIMEOUT", "0.15")
    with pytest.raises(PluginError):
        run_everything(Dept("prepare", pause), dept_rules(tmp_path))
    monkeypatch.setenv("RISKASSESS_PLUGIN_TIMEOUT", "0")
    _, rendered = run_everything(Dept("prepare", pause), dept_rules(tmp_path))
    assert rendered == "medium"


def test_outside_the_main_thread_the_budget_is_not_kept(budget, tmp_path):
    def pause() -> None:
        time.sleep(0.5)

    done: list[str] = []
    worker = threading.Thread(target=lambda: done.append(run_everything(Dept("grade", pause), dept_rules(tmp_path))[1]))
    worker.start()
    worker.join()
    assert done == ["medium"]


@pytest.mark.parametrize("value", ["ten", "-1", "nan", "1e9"])
def test_a_budget_that_is_not_a_number_of_seconds_is_an_input_error(value, monkeypatch, capsys):
    monkeypatch.setenv("RISKASSESS_PLUGIN_TIMEOUT", value)
    code, out, err = run(capsys, "evaluate", LOW)
    assert (code, out) == (ExitCode.INPUT_ERROR, "")
    assert err == (f"error: RISKASSESS_PLUGIN_TIMEOUT must be a number of seconds from 0 (no limit) to 86400, got "
                   f"'{value}' (unset it for the default of 10 s)\n")


# --------------------------------------------------------------------------- sys.exit, Ctrl-C and the like


def exits() -> None:
    sys.exit(0)


def generator_exit() -> None:
    raise GeneratorExit("closed")


@pytest.mark.parametrize("where", list(CALLS))
def test_sys_exit_in_plugin_code_is_a_plugin_error_naming_it(where, tmp_path):
    with pytest.raises(PluginError) as err:
        run_everything(Dept(where, exits), dept_rules(tmp_path))
    assert err.value.message == (f"plugin 'dept': {CALLS[where]} tried to end the program (sys.exit(0)): a plugin "
                                 "must raise an exception, never exit")


@pytest.mark.parametrize("where", ["operator test", "derive", "after_assessment"])
def test_other_base_exceptions_are_plugin_errors(where, tmp_path):
    with pytest.raises(PluginError) as err:
        run_everything(Dept(where, generator_exit), dept_rules(tmp_path))
    assert err.value.message == f"plugin 'dept': raised in {CALLS[where]}: GeneratorExit: closed"


def test_sys_exit_in_a_registration_hook_disables_its_plugin():
    messages: list = []
    Engine(build_plugin_manager(entry_points=False, extra=[Dept("riskassess_register_operators", exits)]),
           warn=messages.append)
    assert [m.render("en") for m in messages] == [disabled(
        "dept", "riskassess_register_operators tried to end the program (sys.exit(0)): a plugin must raise an "
                "exception, never exit")]


def test_keyboard_interrupt_in_plugin_code_stays_an_interruption(tmp_path):
    def interrupt() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_everything(Dept("grade", interrupt), dept_rules(tmp_path))


# --------------------------------------------------------------------------- as a user runs it

EXITS_AFTER = """
    import sys
    from riskassess import hookimpl

    @hookimpl
    def riskassess_after_assessment(assessment):
        sys.exit(0)
"""
SLOW_IMPORT = "import time\ntime.sleep(30)\n"
EXIT_IMPORT = "import sys\nsys.exit(0)\n"
INTERRUPTS = EXITS_AFTER.replace("sys.exit(0)", "raise KeyboardInterrupt")


def cli(site: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "riskassess", *args], cwd=ROOT, env=environ, capture_output=True,
                          text=True, check=False)


def test_sys_exit_0_in_a_plugin_never_passes_the_gate(install, tmp_path):
    site = install("ra_dept_exits", EXITS_AFTER)
    (tmp_path / "out").mkdir()
    done = cli(site, "evaluate", LOW, "--fail-on", "high", "--out", str(tmp_path / "out" / "record.json"))
    assert (done.returncode, done.stdout) == (ExitCode.PLUGIN_ERROR, "")
    assert done.stderr == ("error: plugin 'dept_exits': riskassess_after_assessment tried to end the program "
                           "(sys.exit(0)): a plugin must raise an exception, never exit (fix or disable it "
                           "(RISKASSESS_DISABLE_PLUGINS=dept_exits))\n")
    assert list((tmp_path / "out").iterdir()) == []
    done = cli(site, "--lang", "zh", "evaluate", LOW)
    assert done.returncode == ExitCode.PLUGIN_ERROR
    assert done.stderr == ("错误：插件 “dept_exits”：riskassess_after_assessment 试图结束程序（sys.exit(0)）："
                           "插件出错时应抛出异常，不得退出程序（请修复该插件，或设置 "
                           "RISKASSESS_DISABLE_PLUGINS=dept_exits 停用它）\n")


def test_ctrl_c_in_a_plugin_is_exit_130(install):
    done = cli(install("ra_dept_interrupts", INTERRUPTS), "evaluate", LOW)
    assert (done.returncode, done.stdout) == (130, "")
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("source", "reason"), [
    (SLOW_IMPORT, "the import of ra_dept_import did not finish within the time budget of 0.3 s (set "
                  "RISKASSESS_PLUGIN_TIMEOUT=SECONDS to change it; 0: no limit)"),
    (EXIT_IMPORT, "the import of ra_dept_import tried to end the program (sys.exit(0)): a plugin must raise an "
                  "exception, never exit"),
])
def test_a_plugin_whose_import_hangs_or_exits_is_disabled_and_the_rest_works(install, source, reason):
    done = cli(install("ra_dept_import", source), "evaluate", LOW, RISKASSESS_PLUGIN_TIMEOUT=BUDGET)
    assert done.returncode == ExitCode.OK and "Low risk" in done.stdout
    assert done.stderr == disabled("dept_import", reason) + "\n"


def test_a_hook_past_its_budget_ends_the_command_with_exit_3(install):
    site = install("ra_dept_slow", EXITS_AFTER.replace("import sys", "import time").replace("sys.exit(0)",
                                                                                           "time.sleep(30)"))
    done = cli(site, "--lang", "zh", "evaluate", LOW, RISKASSESS_PLUGIN_TIMEOUT=BUDGET)
    assert (done.returncode, done.stdout) == (ExitCode.PLUGIN_ERROR, "")
    assert done.stderr == ("错误：插件 “dept_slow”：riskassess_after_assessment 未在 0.3 秒的时限内完成（可设置 "
                           "RISKASSESS_PLUGIN_TIMEOUT=秒数 调整；0 表示不限时）（请修复该插件，或设置 "
                           "RISKASSESS_DISABLE_PLUGINS=dept_slow 停用它）\n")


# --------------------------------------------------------------------------- after_assessment only observes


class Tamper:
    """Changes everything it can reach of the assessment it is shown."""

    @hookimpl
    def riskassess_after_assessment(self, assessment):
        record = assessment.record()
        record["questionnaire"]["answers"]["labor"]["layoffs"] = 999
        record["result"]["factors"].clear()
        record["digest"]["grades"][0] = "high"
        assessment.questionnaire.answers["project"]["name"] = "篡改"
        assessment.questionnaire.answers["land"]["households_relocated"] = 10_000
        assessment.outcome.initial_factors.clear()
        assessment.outcome.initial = 2
        assessment.fact_values = ()


def test_after_assessment_cannot_change_the_record(engine, tmp_path, capsys):
    expected = engine.evaluate(LOW, "cn-ndrc-2012").record()
    tampered = Engine(build_plugin_manager(entry_points=False, extra=[Tamper()])).evaluate(LOW, "cn-ndrc-2012")
    record = tampered.record()
    assert record["record_id"] == expected["record_id"]
    assert record["questionnaire"] == expected["questionnaire"] and record["result"] == expected["result"]
    out = tmp_path / "record.json"
    out.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    code, _, _ = run(capsys, "verify", str(out))
    assert code == ExitCode.OK


# --------------------------------------------------------------------------- numbers a record can hold


@pytest.mark.parametrize(("value", "shown"), [(float("nan"), "nan is not a finite number"),
                                               (float("inf"), "inf is not a finite number"),
                                               ([0.5, float("-inf")], "-inf is not a finite number")])
def test_a_derived_fact_that_gives_a_non_finite_number_is_refused(value, shown, tmp_path):
    with pytest.raises(PluginError) as err:
        run_everything(Dept("derived fact", lambda: value), dept_rules(tmp_path))
    assert err.value.message == (f"derived fact derived.dept_share (plugin 'dept') gave a number a record cannot "
                                 f"hold: {shown}")


def test_a_derived_fact_beyond_json_range_is_refused_by_the_command(install, tmp_path):
    site = install("ra_dept_huge", """
        from riskassess import DerivedFact, FactType, Label, hookimpl

        @hookimpl
        def riskassess_register_derived_facts(register):
            register(DerivedFact("derived.dept_share", FactType("number"), Label("比例", "share"), ("demo.share",),
                                 lambda q: 10**400, "demo.share"))
    """)
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = {"fact": "derived.dept_share", "gt": 0.3}
    rules = write_yaml(tmp_path / "rules.yaml", data)
    answers = write_yaml(tmp_path / "q.yaml", ANSWERS)
    done = cli(site, "evaluate", str(answers), "--rules", str(rules), "--out", str(tmp_path / "record.json"))
    assert (done.returncode, done.stdout) == (ExitCode.PLUGIN_ERROR, "")
    assert done.stderr.startswith("error: derived fact derived.dept_share (plugin 'dept_huge') gave a number a "
                                  "record cannot hold: ")
    assert not (tmp_path / "record.json").exists()


def test_an_operator_that_returns_nan_is_an_error_not_a_match(tmp_path):
    with pytest.raises(PluginError) as err:
        run_everything(Dept("operator test", lambda: float("nan")), dept_rules(tmp_path, "demo.share"))
    assert err.value.message == ("operator 'dept_above' failed on demo.share = 0.5 (operand 0.3): returned nan, not "
                                 "true/false")
