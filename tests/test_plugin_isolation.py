"""A plugin that fails disables itself alone (issue 8, item 5): a one-line warning naming it and why, the rest
works, `plugins list` shows it broken, and only a rule set that needs what it provides fails (exit 3).

The plugins here are installed the way pip installs them — a module and a ``*.dist-info`` with
``entry_points.txt`` on ``sys.path`` — so they are found, named and versioned exactly as real ones are.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskassess import (
    DerivedFact,
    Engine,
    ExitCode,
    FactType,
    Label,
    Operator,
    PluginError,
    build_plugin_manager,
    hookimpl,
)

from .conftest import EXAMPLES, ROOT, mini_rule_set, write_yaml
from .conftest import run_cli as run

LOW = str(EXAMPLES / "low-urban-road.yaml")

IMPORT_FAILS = "import riskassess_dept_sdk_not_installed\n"
HOOK_RAISES = """
    from riskassess import hookimpl

    @hookimpl
    def riskassess_register_operators(register):
        raise RuntimeError("config file /etc/dept/ops.yaml missing")
"""
RETURNS = """
    from riskassess import Label, Operator, hookimpl

    @hookimpl
    def riskassess_register_operators(register):
        return [Operator("within_km", Label("距离内", "within km"), lambda a, b: a <= b)]
"""
CLASHES = """
    from pathlib import Path
    from riskassess import Label, Operator, hookimpl

    @hookimpl
    def riskassess_register_operators(register):
        register(Operator("share_above", Label("占比高于", "share above"), lambda a, b: a > b))
        register(Operator("gte", Label("不低于", "at least"), lambda a, b: a >= b))

    @hookimpl
    def riskassess_register_rule_sets(register):
        register(Path(__file__).with_name("clash_pack"))
"""
OBSERVER = """
    from riskassess import hookimpl

    @hookimpl
    def riskassess_after_assessment(assessment):
        raise OSError("export share //dept/ledger unavailable")
"""
LAZY_SCORING = """
    from riskassess import Label, hookimpl

    class Lazy:
        name = "lazy"
        title = Label("偷懒", "lazy")

        def prepare(self, params, context):
            return PREPARED

    PREPARED = None

    @hookimpl
    def riskassess_register_scoring_methods(register):
        register(Lazy())
"""
SHARE_OPERATOR = """
    from riskassess import Label, Operator, hookimpl

    __version__ = "9.9.9"  # not what identifies it: the distribution's version is

    @hookimpl
    def riskassess_register_operators(register):
        register(Operator("share_above", Label("占比高于", "share above"), lambda a, b: a > b))
"""


def disabled(name: str, reason: str) -> str:
    return (f"warning: plugin '{name}' is disabled: {reason} (fix or uninstall it, or set "
            f"RISKASSESS_DISABLE_PLUGINS={name})")


IMPORT_WARNING = disabled("dept_import", "failed to import ra_dept_import: ModuleNotFoundError: No module named "
                                         "'riskassess_dept_sdk_not_installed'")
RAISE_REASON = "raised in riskassess_register_operators: RuntimeError: config file /etc/dept/ops.yaml missing"
CLASH_REASON = "operator 'gte' is also registered by riskassess.builtin.operators"


def rules_file(tmp_path: Path, *, operator: str = "share_above", method: str | None = None) -> Path:
    """The mini rule set, reading ``demo.share`` with ``operator`` and graded by ``method`` (else the matrix)."""
    data = mini_rule_set()
    data["factors"][1]["cases"][0]["when"] = {"fact": "demo.share", operator: 0.3}
    if method is not None:
        data["scoring"]["methods"] = [{"method": method,
                                   "params": {"status": "pack_judgement", "source": {"zh": "测试", "en": "test"}}}]
    return write_yaml(tmp_path / "rules.yaml", data)


def answers_file(tmp_path: Path) -> Path:
    return write_yaml(tmp_path / "q.yaml", {"format_version": 1, "demo": {"households": 0, "share": 0.5}})


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# --------------------------------------------------------------------------- loading fails: the rest works


def test_a_plugin_that_fails_to_import_is_disabled_alone(install, tmp_path, capsys):
    install("ra_dept_import", IMPORT_FAILS, dist="dept-import", version="2.0.1")
    code, out, err = run(capsys, "evaluate", LOW)
    assert code == ExitCode.OK and "Low risk" in out
    assert err == IMPORT_WARNING + "\n"

    code, out, err = run(capsys, "plugins", "list")
    assert code == ExitCode.OK and err == IMPORT_WARNING + "\n"
    row = next(line for line in out.splitlines() if "dept_import" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == [
        "dept_import", "dept-import", "2.0.1", "broken: failed to import ra_dept_import: ModuleNotFoundError: No "
        "module named 'riskassess_dept_sdk_not_installed'", ""]
    row = next(line for line in out.splitlines() if "riskassess.builtin.operators" in line)
    cells = [cell.strip() for cell in row.split("│")[1:-1]]
    assert (cells[:2], cells[3:]) == (["riskassess.builtin.operators", "riskassess"], ["ok", "operator between"])


def test_a_rule_set_that_needs_what_it_may_provide_names_it(install, tmp_path, capsys):
    install("ra_dept_import", IMPORT_FAILS)
    rules = rules_file(tmp_path)
    code, _, err = run(capsys, "evaluate", str(answers_file(tmp_path)), "--rules", str(rules))
    assert code == ExitCode.PLUGIN_ERROR
    assert err.splitlines()[1] == (
        f"error: {rules}:{line_of(rules, 'share_above')}: factors[1].cases[0].when.share_above: unknown operator "
        "'share_above'; a disabled plugin may provide it: 'dept_import' (failed to import ra_dept_import: "
        "ModuleNotFoundError: No module named 'riskassess_dept_sdk_not_installed') (run `riskassess plugins list` "
        "to see the operators)")
    code, _, err = run(capsys, "evaluate", LOW, "--rules", "dept-pack")
    assert code == ExitCode.PLUGIN_ERROR
    assert err.splitlines()[1].startswith("error: no rule set with id 'dept-pack'; available: ")
    assert "; a disabled plugin may provide it: 'dept_import' (failed to import ra_dept_import:" in err
    assert "Traceback" not in err


def test_a_hook_that_raises_disables_its_plugin(install, tmp_path, capsys):
    install("ra_dept_raises", HOOK_RAISES)
    code, out, err = run(capsys, "evaluate", LOW)
    assert code == ExitCode.OK and "Low risk" in out
    assert err == disabled("dept_raises", RAISE_REASON) + "\n"
    code, _, err = run(capsys, "evaluate", str(answers_file(tmp_path)), "--rules", str(rules_file(tmp_path)))
    assert code == ExitCode.PLUGIN_ERROR
    assert f"a disabled plugin may provide it: 'dept_raises' ({RAISE_REASON})" in err


def test_a_name_clash_with_a_builtin_disables_the_plugin_and_what_it_provides(install, tmp_path, capsys):
    pack = install("ra_dept_clash", CLASHES) / "clash_pack" / "dept"
    pack.mkdir(parents=True)
    write_yaml(pack / "ruleset.yaml", mini_rule_set(id="dept-pack"))
    code, out, err = run(capsys, "evaluate", LOW)
    assert code == ExitCode.OK and "Low risk" in out  # the built-in gte still grades the national pack
    assert err == disabled("dept_clash", CLASH_REASON) + "\n"

    rules = rules_file(tmp_path)
    code, _, err = run(capsys, "evaluate", str(answers_file(tmp_path)), "--rules", str(rules))
    assert code == ExitCode.PLUGIN_ERROR
    assert err.splitlines()[1] == (
        f"error: {rules}:{line_of(rules, 'share_above')}: factors[1].cases[0].when.share_above: operator "
        f"'share_above' comes from plugin 'dept_clash', which is disabled: {CLASH_REASON} (fix or reinstall plugin "
        "'dept_clash'; `riskassess plugins list` shows its status)")
    code, _, err = run(capsys, "evaluate", LOW, "--rules", "dept-pack")
    assert code == ExitCode.PLUGIN_ERROR
    assert err.splitlines()[1] == (
        f"error: rule set 'dept-pack' comes from plugin 'dept_clash', which is disabled: {CLASH_REASON} (fix or "
        "reinstall plugin 'dept_clash'; `riskassess plugins list` shows its status)")


def test_two_plugins_claiming_one_name_are_both_disabled_whatever_their_order(install, tmp_path, capsys):
    install("ra_dept_a", SHARE_OPERATOR)
    install("ra_dept_b", SHARE_OPERATOR)
    code, _, err = run(capsys, "evaluate", str(answers_file(tmp_path)), "--rules", str(rules_file(tmp_path)))
    assert code == ExitCode.PLUGIN_ERROR
    assert err.splitlines()[:2] == [disabled("dept_a", "operator 'share_above' is also registered by dept_b"),
                                    disabled("dept_b", "operator 'share_above' is also registered by dept_a")]
    assert "operator 'share_above' comes from plugin 'dept_a', which is disabled" in err.splitlines()[2]


def test_invalid_questionnaire_fields_disable_only_their_plugin(capsys):
    class Fields:
        @hookimpl
        def riskassess_register_questionnaire_fields(self, register):
            register("dept", {"hotline_calls": {"type": "count", "title": {"zh": "来电", "en": "Calls"}}})

    messages: list = []
    engine = Engine(build_plugin_manager(entry_points=False, extra=[Fields()]), warn=messages.append)
    assert engine.rule_set("cn-ndrc-2012").id == "cn-ndrc-2012"
    assert [m.render("en") for m in messages] == [disabled(
        "tests.test_plugin_isolation.test_invalid_questionnaire_fields_disable_only_their_plugin.<locals>.Fields",
        "registered an invalid questionnaire extension: extensions.dept.hotline_calls: type must be one of "
        "array, boolean, date, integer, number, object, string, got 'count'")]
    assert capsys.readouterr().err == ""  # given a warn callback, the engine prints nothing itself


def test_blocking_a_broken_plugin_silences_it(install, monkeypatch, capsys):
    install("ra_dept_import", IMPORT_FAILS)
    monkeypatch.setenv("RISKASSESS_DISABLE_PLUGINS", "dept_import")
    code, _, err = run(capsys, "evaluate", LOW)
    assert (code, err) == (ExitCode.OK, "")


# --------------------------------------------------------------------------- hooks that misbehave later


def test_a_hook_returning_instead_of_registering_is_warned_about(install, capsys):
    install("ra_dept_returns", RETURNS)
    code, out, err = run(capsys, "plugins", "list")
    warning = ("riskassess_register_operators returned a value instead of calling register(...): it contributed "
               "nothing through it")
    assert code == ExitCode.OK
    assert err == f"warning: plugin 'dept_returns': {warning}\n"
    row = next(line for line in out.splitlines() if "dept_returns" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["dept_returns", "dept-returns", "1.0.0",
                                                                f"warning: {warning}", ""]


def test_after_assessment_that_raises_names_its_plugin(install, capsys):
    install("ra_dept_observer", OBSERVER)
    code, out, err = run(capsys, "evaluate", LOW)
    assert code == ExitCode.PLUGIN_ERROR and out == ""
    assert err == ("error: plugin 'dept_observer' raised in riskassess_after_assessment: OSError: export share "
                   "//dept/ledger unavailable (fix or disable it (RISKASSESS_DISABLE_PLUGINS=dept_observer))\n")


@pytest.mark.parametrize(("prepared", "kind"), [("None", "None"), ("object()", "object")])
def test_prepare_must_return_something_that_grades(install, tmp_path, capsys, prepared, kind):
    install("ra_dept_lazy", LAZY_SCORING.replace("PREPARED = None", f"PREPARED = {prepared}"))
    rules = rules_file(tmp_path, operator="gt", method="lazy")
    code, _, err = run(capsys, "evaluate", str(answers_file(tmp_path)), "--rules", str(rules))
    assert code == ExitCode.PLUGIN_ERROR
    assert err == (f"error: {rules}:{line_of(rules, '- method: lazy')}: scoring method 'lazy' (plugin "
                   f"'dept_lazy'): prepare() returned {kind}, not an object with grade() and derive()\n")


# --------------------------------------------------------------------------- identity


def test_a_plugin_is_identified_by_its_distribution_not_its_dunder_version(install, capsys):
    install("ra_dept_share", SHARE_OPERATOR, name="share", dist="dept-share-ops", version="1.2.3")
    engine = Engine(build_plugin_manager())
    info = next(p for p in engine.contributions.plugins if p.name == "share")
    assert (info.distribution, info.version) == ("dept-share-ops", "1.2.3")

    class Unpackaged:
        __version__ = "4.5.6"

        @hookimpl
        def riskassess_register_scoring_methods(self, register):
            pass

    engine = Engine(build_plugin_manager(entry_points=False, extra=[Unpackaged()]))
    info = next(p for p in engine.contributions.plugins if p.name.endswith("Unpackaged"))
    assert (info.distribution, info.version) == ("", "unversioned")
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- as a user runs it


def test_the_command_warns_in_chinese_and_never_shows_a_traceback(install, tmp_path):
    site = install("ra_dept_import", IMPORT_FAILS)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "riskassess", "--lang", "zh", "evaluate", LOW], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == ExitCode.OK
    assert done.stderr == ("警告：插件 “dept_import” 已停用：导入 ra_dept_import 失败：ModuleNotFoundError: No module "
                           "named 'riskassess_dept_sdk_not_installed'（请修复或卸载该插件，或设置 "
                           "RISKASSESS_DISABLE_PLUGINS=dept_import 停用它）\n")


def test_a_broken_plugin_does_not_change_the_grade_of_what_it_does_not_touch(install, engine, capsys):
    expected = engine.evaluate(LOW, "cn-ndrc-2012").record()["result"]
    install("ra_dept_import", IMPORT_FAILS)
    install("ra_dept_clash", CLASHES.replace('register(Path(__file__).with_name("clash_pack"))', "pass"))
    beside = Engine(build_plugin_manager(), warn=lambda message: None)
    assert set(beside.contributions.broken) >= {"dept_import", "dept_clash"}
    assert beside.evaluate(LOW, "cn-ndrc-2012").record()["result"] == expected
    error = beside.contributions.unavailable("operator", "share_above", "unknown operator 'share_above'")
    assert isinstance(error, PluginError) and error.exit_code == ExitCode.PLUGIN_ERROR
    assert str(error).startswith("operator 'share_above' comes from plugin 'dept_clash', which is disabled: ")


# --------------------------------------------------------------------------- what a disabled plugin provided


class DeptPlugin:
    """Registers one of each kind of thing a rule set can need — and the built-in operator ``gte``."""

    @hookimpl
    def riskassess_register_operators(self, register):
        register(Operator("gte", Label("不低于", "at least"), lambda a, b: a >= b))

    @hookimpl
    def riskassess_register_scoring_methods(self, register):
        register(DeptScore())

    @hookimpl
    def riskassess_register_derived_facts(self, register):
        register(DerivedFact("derived.dept_share", FactType("number"), Label("比例", "share"), ("demo.share",),
                             lambda q: 0.5, "demo.share"))

    @hookimpl
    def riskassess_register_questionnaire_fields(self, register):
        register("dept", {"calls": {"type": "integer", "title": {"zh": "来电", "en": "Calls"},
                                    "description": {"zh": "来电数", "en": "Calls"}}})


class DeptScore:
    name = "dept_score"
    title = Label("部门计分", "department score")

    def prepare(self, params, context):
        raise AssertionError("a disabled plugin is never called")


DEPT = "tests.test_plugin_isolation.DeptPlugin"


@pytest.mark.parametrize(("change", "error"), [
    ({"when": {"fact": "derived.dept_share", "gt": 0.3}}, "derived fact 'derived.dept_share' comes from plugin"),
    ({"when": {"fact": "extensions.dept.calls", "gt": 3}}, "questionnaire extension 'dept' comes from plugin"),
    ({"method": "dept_score"}, "scoring method 'dept_score' comes from plugin"),
])
def test_every_kind_of_need_names_the_disabled_plugin(tmp_path, change, error):
    messages: list = []
    engine = Engine(build_plugin_manager(entry_points=False, extra=[DeptPlugin()]), warn=messages.append)
    assert [m.render("en") for m in messages] == [disabled(DEPT, CLASH_REASON)]
    data = mini_rule_set()
    if "method" in change:
        data["scoring"]["methods"] = [change]
    else:
        data["factors"][1]["cases"][0]["when"] = change["when"]
    with pytest.raises(PluginError) as err:
        engine.rule_set(write_yaml(tmp_path / "rules.yaml", data))
    assert err.value.message == f"{error} '{DEPT}', which is disabled: {CLASH_REASON}"
    assert err.value.line is not None


def test_a_rule_set_id_two_plugins_provide_is_neithers(tmp_path):
    def provider(folder: str, rule_set_id: str) -> object:
        (tmp_path / folder).mkdir()
        write_yaml(tmp_path / folder / "ruleset.yaml", mini_rule_set(id=rule_set_id))

        class Provider:
            @hookimpl
            def riskassess_register_rule_sets(self, register):
                register(tmp_path / folder)
        Provider.__qualname__ = f"Provider_{folder}"
        return Provider()

    messages: list = []
    engine = Engine(build_plugin_manager(entry_points=False, extra=[
        provider("a", "dept-pack"), provider("b", "dept-pack"), provider("c", "cn-ndrc-2012")]), warn=messages.append)
    assert engine.rule_set("cn-ndrc-2012").source.endswith("rules/cn-ndrc-2012/ruleset.yaml")
    with pytest.raises(PluginError) as err:
        engine.rule_set("dept-pack")
    module = "tests.test_plugin_isolation"
    assert err.value.message == (f"rule set id 'dept-pack' is provided twice: {tmp_path}/a/ruleset.yaml "
                                 f"({module}.Provider_a) and {tmp_path}/b/ruleset.yaml ({module}.Provider_b)")
    national = engine.rule_set("cn-ndrc-2012").source
    assert [m.render("en") for m in messages] == [
        f"warning: rule set id 'cn-ndrc-2012' is provided twice: {national} (riskassess.builtin.rulesets) and "
        f"{tmp_path}/c/ruleset.yaml ({module}.Provider_c); the built-in one is used",
        f"warning: {err.value.message}; neither is used"]
