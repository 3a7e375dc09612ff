"""``riskassess plugin new NAME`` (issue 8, item 7): a plugin package to start from, which works as generated.

The package is generated into a temporary directory and used without installing it: its directory on
``sys.path`` (registered with ``build_plugin_manager(extra=[module])``, as ``riskassess.testing`` does), or with a
``*.dist-info`` beside it as pip leaves one, so the ``riskassess`` command finds it through its entry point. Its own
tests run with pytest in a subprocess, unchanged. On CI a real ``pip install`` of it is checked too.
"""

from __future__ import annotations

import csv
import importlib
import inspect
import io
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from riskassess import Engine, ExitCode, build_plugin_manager, hookspecs
from riskassess.lint import lint
from riskassess.packtest import run_pack_tests
from riskassess.plugins import ENTRY_POINT_GROUP
from riskassess.scaffold import FILES, PluginNames, new_plugin, render

from .conftest import ROOT
from .conftest import run_cli as run
from .test_chinese_cli import assert_chinese

NAME = "city-noise"
NAMES = PluginNames.of(NAME)
HOOKS = sorted(name for name, _ in inspect.getmembers(hookspecs.RiskAssessHooks, inspect.isfunction)
               if name.startswith("riskassess_"))


def _import(package: Path, module: str) -> ModuleType:
    sys.path.insert(0, str(package))
    importlib.invalidate_caches()
    return importlib.import_module(module)


def _forget(package: Path, module: str) -> None:
    if str(package) in sys.path:
        sys.path.remove(str(package))
    for name in [m for m in sys.modules if m == module or m.startswith(f"{module}.")]:
        del sys.modules[name]
    importlib.invalidate_caches()


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """``riskassess-city-noise/``, as generated (tests must not change it)."""
    return new_plugin(NAME, tmp_path_factory.mktemp("generated")).path


@pytest.fixture(scope="module")
def plugin(package) -> Iterator[ModuleType]:
    """The generated module, importable from its source directory."""
    yield _import(package, NAMES.module)
    _forget(package, NAMES.module)


@pytest.fixture
def installed(package, plugin, tmp_path, monkeypatch) -> Path:
    """The generated package found by ``riskassess`` as if pip had installed it: a dist-info naming its entry point."""
    info = tmp_path / "site" / "riskassess_city_noise-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {NAMES.distribution}\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{NAMES.ns} = {NAMES.module}\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    importlib.invalidate_caches()
    return package


# --------------------------------------------------------------------------- what is written


def test_plugin_new_writes_the_package(tmp_path, capsys):
    code, out, err = run(capsys, "plugin", "new", NAME, "--dir", str(tmp_path), "--lang", "en")
    assert (code, err) == (ExitCode.OK, "")
    root = tmp_path / "riskassess-city-noise"
    written = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert written == sorted([
        "pyproject.toml", "README.md", "examples/project.yaml", "tests/test_city_noise_plugin.py",
        "riskassess_city_noise/__init__.py", "riskassess_city_noise/rules/city-noise-starter/ruleset.yaml",
        "riskassess_city_noise/rules/city-noise-starter/tests/base.yaml",
        "riskassess_city_noise/rules/city-noise-starter/tests/test_city_noise.yaml"])
    assert out.startswith(f"wrote {root}/ — plugin 'city_noise' with rule pack city-noise-starter:\n")
    assert all(f"  {file}\n" in out for file in written)
    assert f"`pip install -e {root}`" in out
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # the build directory is gone

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "riskassess-city-noise"
    assert project["entry-points"][ENTRY_POINT_GROUP] == {"city_noise": "riskassess_city_noise"}
    assert project["dependencies"][0].startswith("riskassess")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "## 中文" in readme and "## English" in readme and "pip install -e ./riskassess-city-noise" in readme


def test_the_module_implements_every_hook_and_registers_cleanly(plugin):
    missing = [hook for hook in HOOKS if not callable(getattr(plugin, hook, None))]
    assert not missing, f"the scaffold's module (scaffold_templates/module/__init__.py.tmpl) lacks {missing}"
    problems: list[str] = []
    engine = Engine(build_plugin_manager(entry_points=False, extra=[plugin]), warn=lambda m: problems.append(str(m)))
    c = engine.contributions
    assert not problems and not c.broken and not c.notes
    owned = {(kind, name) for (kind, name), owner in c.owners.items() if owner == NAMES.module}
    assert owned == {("operator", "city_noise_pct_below"), ("scoring method", "city_noise_points"),
                     ("output format", "city_noise_csv"), ("derived fact", "derived.city_noise_consulted_share")}
    assert c.questionnaire_fields["city_noise"][1] == NAMES.module
    assert [path.name for path, owner in c.rule_set_paths if owner == NAMES.module] == ["rules"]


def test_the_generated_tests_pass_unchanged(package):
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
                          cwd=package, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert " passed in " in last and "failed" not in last and "skipped" not in last, done.stdout


def test_the_pack_passes_its_tests_and_lint_with_the_plugin_registered(plugin, package):
    engine = Engine(build_plugin_manager(entry_points=False, extra=[plugin]))
    pack = package / NAMES.module / "rules" / NAMES.pack
    run_ = run_pack_tests(engine, pack)
    assert not run_.failed and run_.coverage.total() == 1
    assert lint(engine.rule_set(pack)) == []


# --------------------------------------------------------------------------- through the command line, as installed


def test_riskassess_lint_test_and_evaluate_find_the_installed_plugin(installed, capsys):
    code, out, err = run(capsys, "plugins", "list")
    row = next(line for line in out.splitlines() if "city_noise " in line)
    assert [cell.strip() for cell in row.split("│")[1:5]] == ["city_noise", NAMES.distribution, "0.1.0", "ok"]

    code, out, err = run(capsys, "lint", NAMES.pack)
    assert (code, out, err) == (ExitCode.OK, "city-noise-starter: 0 error(s), 0 warning(s)\n", "")

    pack = installed / NAMES.module / "rules" / NAMES.pack
    code, out, err = run(capsys, "test", str(pack), "--min-coverage", "100", "--lang", "en")
    assert code == ExitCode.OK, out + err
    assert re.match(r"city-noise-starter: 7 passed, 0 failed, 0 known gaps \(todo\).*\ncoverage 100\.0%: ", out), out

    example = str(installed / "examples" / "project.yaml")
    code, out, err = run(capsys, "evaluate", example, "--rules", NAMES.pack, "--format", "city_noise_csv")
    assert (code, err) == (ExitCode.OK, "")
    header, row = csv.reader(io.StringIO(out))
    assert dict(zip(header, row, strict=True)) | {"record_id": "…"} == {
        "record_id": "…", "project_id": "DEMO-2026-001", "project_name": "老旧小区加装电梯工程",
        "rule_set": "city-noise-starter", "initial_grade": "medium", "post_measure_grade": "low",
        "provisional": "false", "decision": "implement", "decision_title": "Implement"}

    code, out, err = run(capsys, "evaluate", example, "--rules", NAMES.pack, "--lang", "zh")
    assert code == ExitCode.OK and "风险分值 7 距 medium 档下限 9 不足 3 分" in out


def test_a_name_an_installed_plugin_has_is_warned_of(installed, tmp_path, capsys):
    code, _, err = run(capsys, "plugin", "new", "city_noise", "--dir", str(tmp_path), "--lang", "en")
    assert code == ExitCode.OK and (tmp_path / "riskassess-city-noise").is_dir()
    assert err == ("warning: an installed plugin is already named 'city_noise' (distribution riskassess-city-noise): "
                   "installed together, riskassess disables both\n")


# --------------------------------------------------------------------------- names and refusals


@pytest.mark.parametrize("name", ["a", "x9", "dept-roads_2"])
def test_every_valid_name_makes_a_working_plugin(name, tmp_path):
    names = PluginNames.of(name)
    made = new_plugin(name, tmp_path)
    try:
        module = _import(made.path, names.module)
        engine = Engine(build_plugin_manager(entry_points=False, extra=[module]))
        rules = engine.rule_set(names.pack)
        run_ = run_pack_tests(engine, made.path / names.module / "rules" / names.pack)
        assert not run_.failed and run_.coverage.total() == 1 and lint(rules) == []
        compile((made.path / "tests" / f"test_{names.ns}_plugin.py").read_text(encoding="utf-8"), "t", "exec")
        assert yaml.safe_load((made.path / "examples" / "project.yaml").read_text(encoding="utf-8"))["extensions"] \
            == {names.ns: {"households_affected": 120, "households_consulted": 90, "complaints_12m": 3}}
    finally:
        _forget(made.path, names.module)


@pytest.mark.parametrize("name", ["City", "1st", "-noise", "noise-", "noise--x", "noise.x", "noise x", "噪声",
                                  "a" * 41, ""])
def test_an_invalid_name_is_refused_and_nothing_is_written(name, tmp_path, capsys):
    code, out, err = run(capsys, "plugin", "new", "--dir", str(tmp_path), "--lang", "en", "--", name)
    assert code == ExitCode.INPUT_ERROR and out == ""
    assert err.startswith(f"error: invalid plugin name {name!r}: use lower-case letters and digits, words joined by - "
                          "or _, starting with a letter, at most 40 characters (e.g. `riskassess plugin new "
                          "city-noise`)")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, example", [("riskassess-noise", "noise"), ("riskassess", "city-noise")])
def test_the_riskassess_prefix_is_refused_with_the_name_to_give(name, example, tmp_path, capsys):
    code, _, err = run(capsys, "plugin", "new", name, "--dir", str(tmp_path), "--lang", "en")
    assert code == ExitCode.INPUT_ERROR and list(tmp_path.iterdir()) == []
    assert "starts with riskassess: give the name alone" in err and f"`riskassess plugin new {example}`" in err
    assert PluginNames.of("riskassessment-tools").distribution == "riskassess-riskassessment-tools"


def test_the_refusals_in_chinese(tmp_path, capsys):
    text = assert_chinese(run(capsys, "plugin", "new", "Noise", "--dir", str(tmp_path), "--lang", "zh"),
                          code=ExitCode.INPUT_ERROR)
    assert "插件名称“Noise”无效：只能使用小写字母和数字" in text
    (tmp_path / "riskassess-noise").mkdir()
    text = assert_chinese(run(capsys, "plugin", "new", "noise", "--dir", str(tmp_path), "--lang", "zh"),
                          code=ExitCode.INPUT_ERROR)
    assert "已存在：`riskassess plugin new` 只会新建目录" in text
    text = assert_chinese(run(capsys, "plugin", "new", "noise", "--dir", str(tmp_path / "nope"), "--lang", "zh"),
                          code=ExitCode.INPUT_ERROR)
    assert "目录不存在" in text
    assert_chinese(run(capsys, "plugin", "new", "road", "--dir", str(tmp_path), "--lang", "zh"), code=ExitCode.OK)


@pytest.mark.parametrize("existing", ["directory", "file", "symlink"])
def test_an_existing_path_is_left_alone(existing, tmp_path, capsys):
    target = tmp_path / "riskassess-noise"
    if existing == "directory":
        target.mkdir()
        (target / "mine.txt").write_text("keep me")
    elif existing == "file":
        target.write_text("keep me")
    else:
        target.symlink_to(tmp_path / "nowhere")
    code, _, err = run(capsys, "plugin", "new", "noise", "--dir", str(tmp_path), "--lang", "en")
    assert code == ExitCode.INPUT_ERROR
    assert err == (f"error: {target} exists already: `riskassess plugin new` only writes a new directory (choose "
                   "another name or --dir, or move the existing directory away)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["riskassess-noise"]
    if existing == "directory":
        assert [p.name for p in target.iterdir()] == ["mine.txt"]


def test_a_missing_dir_is_refused(tmp_path, capsys):
    code, _, err = run(capsys, "plugin", "new", "noise", "--dir", str(tmp_path / "nope"), "--lang", "en")
    assert code == ExitCode.INPUT_ERROR and not (tmp_path / "nope").exists()
    assert err == f"error: {tmp_path / 'nope'}: directory does not exist (create it first, or give another --dir)\n"


def test_a_failure_midway_leaves_nothing(tmp_path, monkeypatch):
    written = []
    real = Path.write_text

    def fail_on_the_third(self, *args, **kwargs):
        written.append(self)
        if len(written) == 3:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", fail_on_the_third)
    with pytest.raises(OSError, match="disk full"):
        new_plugin("noise", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_template_with_an_unknown_placeholder_is_a_bug_not_output():
    assert render("{{ns}}: {{\"x\": 1}}", {"ns": "a"}) == "a: {{\"x\": 1}}"
    with pytest.raises(KeyError, match=r"placeholder \{\{nss\}\} has no value"):
        render("{{nss}}", {"ns": "a"})
    assert len({target for _, target in FILES}) == len(FILES)


@pytest.mark.parametrize("command", [["plugin"], ["plugin", "new"]], ids=" ".join)
def test_help_in_chinese(capsys, command):
    text = assert_chinese(run(capsys, *command, "--help", "--lang", "zh"), code=0)
    assert "用法：riskassess plugin" in text


# --------------------------------------------------------------------------- real wheels (CI only: ~10 s)


@pytest.mark.skipif(not os.environ.get("CI"), reason="builds wheels: run on CI (CI=true)")
def test_the_riskassess_wheel_ships_the_templates(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
                           "--wheel-dir", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(next(tmp_path.glob("riskassess-*.whl"))) as wheel:
        names = set(wheel.namelist())
    assert {f"riskassess/scaffold_templates/{source}" for source, _ in FILES} <= names


@pytest.mark.skipif(not os.environ.get("CI"), reason="builds wheels: run on CI (CI=true)")
def test_a_real_pip_install_of_the_generated_package(package, tmp_path):
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--disable-pip-version-check", "--target", str(site), str(package)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / NAMES.module / "rules" / NAMES.pack / "tests" / f"test_{NAMES.ns}.yaml").is_file()  # in the wheel
    env = {**os.environ, "PYTHONPATH": str(site), "RISKASSESS_LANG": "en"}
    lint_ = subprocess.run([sys.executable, "-m", "riskassess", "lint", NAMES.pack], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert (lint_.returncode, lint_.stdout, lint_.stderr) == (0, "city-noise-starter: 0 error(s), 0 warning(s)\n", "")
    listed = subprocess.run([sys.executable, "-m", "riskassess", "plugins", "list"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    row = next(line for line in listed.stdout.splitlines() if "city_noise " in line)
    assert [cell.strip() for cell in row.split("│")[1:5]] == ["city_noise", NAMES.distribution, "0.1.0", "ok"]
