"""The plugin guide, docs/plugins.md, is right and complete (issue 8, item 7).

* Its examples run: every ```python block is marked ``test`` (run in order, in one namespace, like a notebook)
  or ``pytest`` (a whole test module, run by pytest); ```toml blocks are parsed.
* It keeps up with the contract: a hook added to ``hookspecs.RiskAssessHooks`` fails here until the guide has a
  section naming it, with an example implementing it, and a test in ``tests/`` implements it too; a type, field
  or step kind added to the contract fails until the guide explains it.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import subprocess
import sys
import tempfile
import tomllib
import traceback
import types
from pathlib import Path
from typing import NamedTuple

import pytest

from riskassess import hookspecs

from .conftest import ROOT

GUIDE = ROOT / "docs" / "plugins.md"
TESTS = ROOT / "tests"
_FENCE = re.compile(r"^```(\w*)[ \t]*([\w-]*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
_HEADING = re.compile(r"^(#{1,6}) (.*)$", re.M)

#: Every hook riskassess calls.
HOOKS = sorted(name for name, _ in inspect.getmembers(hookspecs.RiskAssessHooks, inspect.isfunction)
               if name.startswith("riskassess_"))
#: Every type of the contract: what plugins register, receive and return.
CONTRACT = sorted((obj for obj in vars(hookspecs).values()
                   if isinstance(obj, type) and obj.__module__ == hookspecs.__name__ and obj is not
                   hookspecs.RiskAssessHooks), key=lambda cls: cls.__name__)


class Block(NamedTuple):
    lang: str
    marker: str
    code: str
    line: int
    """The line of the block's first code line in the guide."""


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def blocks(text: str | None = None, offset: int = 0) -> list[Block]:
    text = guide() if text is None else text
    return [Block(m.group(1), m.group(2), m.group(3), offset + text.count("\n", 0, m.start(3)) + 1)
            for m in _FENCE.finditer(text)]


def sections() -> list[tuple[str, str, int]]:
    """(heading, body up to the next heading of the same or a higher level, line of the body)."""
    text = guide()
    fences = [(f.start(), f.end()) for f in _FENCE.finditer(text)]
    headings = [h for h in _HEADING.finditer(text)
                if not any(start < h.start() < end for start, end in fences)]  # not a comment in a code block
    out = []
    for i, h in enumerate(headings):
        level = len(h.group(1))
        end = next((n.start() for n in headings[i + 1:] if len(n.group(1)) <= level), len(text))
        out.append((h.group(2), text[h.end():end], text.count("\n", 0, h.end())))
    return out


# --------------------------------------------------------------------------- the examples run


def test_every_python_example_is_run():
    unmarked = [f"docs/plugins.md:{b.line}" for b in blocks()
                if b.lang == "python" and b.marker not in ("test", "pytest", "conftest")]
    assert not unmarked, f"mark each python block `test`, `pytest` or `conftest`, so it runs: {unmarked}"
    assert sum(b.marker == "test" for b in blocks()) >= len(HOOKS)


def test_the_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the examples' tempfile.mkdtemp() lands here
    module = types.ModuleType("plugin_guide")  # a real module, as a plugin's is (dataclasses look it up)
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for block in blocks():
        if block.lang != "python" or block.marker != "test":
            continue
        # Padded so tracebacks name the guide's lines; no __future__ flags inherited from this file.
        code = compile("\n" * (block.line - 1) + block.code, str(GUIDE), "exec", dont_inherit=True)
        try:
            exec(code, module.__dict__)
        except Exception:
            pytest.fail(f"the example at docs/plugins.md:{block.line} fails:\n{traceback.format_exc()}", pytrace=False)


def test_the_test_module_example_passes_under_pytest(tmp_path):
    modules = [b for b in blocks() if b.marker == "pytest"]
    assert modules
    for n, block in enumerate(modules):
        (tmp_path / f"test_guide_example_{n}.py").write_text(block.code, encoding="utf-8")
    (tmp_path / "conftest.py").write_text("".join(b.code for b in blocks() if b.marker == "conftest"),
                                          encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--strict-markers",
                           "-W", "error", str(tmp_path)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^\d+ passed, 1 xfailed in ", done.stdout, re.M), done.stdout  # and no warning


def test_the_pyproject_example_declares_the_entry_point_group():
    tomls = [b for b in blocks() if b.lang == "toml"]
    assert tomls
    for block in tomls:
        data = tomllib.loads(block.code)
        assert hookspecs.PROJECT in data["project"]["entry-points"], f"docs/plugins.md:{block.line}"


# --------------------------------------------------------------------------- the guide keeps up with the contract


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_section_with_an_example(hook):
    found = [(heading, body, line) for heading, body, line in sections() if f"`{hook}`" in heading]
    assert found, (f"docs/plugins.md has no section whose heading names `{hook}`: explain the new hook there, with "
                   "an example implementing it (a ```python test block)")
    _, body, line = found[0]
    examples = [b for b in blocks(body, line) if b.marker == "test" and f"def {hook}(" in b.code]
    assert examples, f"the section on `{hook}` (docs/plugins.md:{line}) has no ```python test block implementing it"


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_implemented_by_a_test(hook):
    tests = [p.name for p in sorted(TESTS.glob("test_*.py"))
             if p.name != Path(__file__).name and f"def {hook}(" in p.read_text(encoding="utf-8")]
    assert tests, f"no test in tests/ implements {hook}: add one that registers a plugin implementing it"


def _members(cls: type) -> list[str]:
    """What a plugin author must know of a contract type: its fields, methods and documented attributes."""
    if dataclasses.is_dataclass(cls):
        names = [f.name for f in dataclasses.fields(cls)]
    elif hasattr(cls, "_fields"):  # a NamedTuple
        names = list(cls._fields)
    else:
        names = [n for n in vars(cls) if not n.startswith("_")]
    return names + re.findall(r"``(\w+)", inspect.getdoc(cls) or "")


@pytest.mark.parametrize("cls", CONTRACT, ids=lambda cls: cls.__name__)
def test_every_contract_type_and_what_it_holds_is_explained(cls):
    text = guide()
    assert f"`{cls.__name__}`" in text, f"docs/plugins.md does not explain {cls.__name__}"
    missing = sorted({n for n in _members(cls) if not re.search(rf"\b{re.escape(n)}\b", text)})
    assert not missing, f"docs/plugins.md does not explain {cls.__name__}: {missing}"


def test_the_contract_version_is_the_one_the_guide_checks():
    assert f"CONTRACT_VERSION != {hookspecs.CONTRACT_VERSION}" in guide()


def test_the_guide_is_linked_from_the_readme():
    assert "docs/plugins.md" in (ROOT / "README.md").read_text(encoding="utf-8")
