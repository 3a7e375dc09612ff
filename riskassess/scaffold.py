"""``riskassess plugin new NAME``: a plugin package to start from, with one contribution of each kind.

The package ``riskassess-NAME/`` is made from the templates in ``riskassess/scaffold_templates/`` (package
data, shipped in the wheel): a pyproject declaring the ``riskassess`` entry point, a module implementing
every hook (questionnaire fields, a derived fact, an operator, a scoring method whose parameters carry their
provenance, an output format, a rule-set directory, ``after_assessment``), a rule pack using them with its
own ``tests/test_*.yaml``, plugin tests written with :mod:`riskassess.testing`, an example questionnaire and
a README in Chinese and English. It installs with ``pip install ./riskassess-NAME`` and passes its own tests
and ``riskassess lint`` as generated.

Templates name their placeholders ``{{name}}``; :func:`render` refuses one it does not know, so a template
and this module cannot drift apart silently. Everything a plugin registers is prefixed with its namespace:
two plugins claiming one name are both disabled.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import InputError
from .i18n import Text, tr
from .plugins import ENTRY_POINT_GROUP, engine_version

#: A plugin name: lower-case words of letters and digits joined by ``-`` or ``_``, starting with a letter.
NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
MAX_NAME_LENGTH = 40
TEMPLATES = "scaffold_templates"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")

#: Each template (under ``riskassess/scaffold_templates/``) and where it goes in the new package.
FILES: tuple[tuple[str, str], ...] = (
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("module/__init__.py.tmpl", "{{module}}/__init__.py"),
    ("pack/ruleset.yaml.tmpl", "{{module}}/rules/{{pack}}/ruleset.yaml"),
    ("pack/tests/base.yaml.tmpl", "{{module}}/rules/{{pack}}/tests/base.yaml"),
    ("pack/tests/test_pack.yaml.tmpl", "{{module}}/rules/{{pack}}/tests/test_{{ns}}.yaml"),
    ("tests/test_plugin.py.tmpl", "tests/test_{{ns}}_plugin.py"),
    ("examples/project.yaml.tmpl", "examples/project.yaml"),
)


@dataclass(frozen=True)
class PluginNames:
    """Every name a new plugin is known by, from the one its author gives."""

    name: str
    """As given: ``city-noise``."""
    ns: str
    """``city_noise``: the entry-point name, the questionnaire namespace and the prefix of all it registers."""
    module: str
    """``riskassess_city_noise``."""
    distribution: str
    """``riskassess-city-noise``: the package directory and the distribution."""
    pack: str
    """``city-noise-starter``: the id of its rule pack."""
    env: str
    """``RISKASSESS_CITY_NOISE_LEDGER``: where ``after_assessment`` writes, when set."""

    @classmethod
    def of(cls, name: str) -> PluginNames:
        """The names for ``name``; an :class:`InputError` (exit 2) saying what a name may be when it is not one."""
        if re.match(r"riskassess(?:[-_]|$)", name, re.IGNORECASE):
            raise InputError(tr("plugin name {name!r} starts with riskassess: give the name alone, the package is "
                                "called riskassess-NAME", name=name),
                             hint=tr("e.g. `riskassess plugin new {example}`",
                                     example=name[10:].lstrip("-_") or "city-noise"))
        if not NAME_PATTERN.fullmatch(name) or len(name) > MAX_NAME_LENGTH:
            raise InputError(tr("invalid plugin name {name!r}: use lower-case letters and digits, words joined by - "
                                "or _, starting with a letter, at most {length} characters", name=name,
                                length=MAX_NAME_LENGTH),
                             hint=tr("e.g. `riskassess plugin new {example}`", example="city-noise"))
        ns, slug = name.replace("-", "_"), name.replace("_", "-")
        return cls(name, ns, f"riskassess_{ns}", f"riskassess-{slug}", f"{slug}-starter",
                   f"RISKASSESS_{ns.upper()}_LEDGER")

    def placeholders(self) -> dict[str, str]:
        return {"name": self.name, "ns": self.ns, "module": self.module, "distribution": self.distribution,
                "pack": self.pack, "env": self.env, "requirement": requirement()}


def requirement() -> str:
    """What the new package depends on: this release of riskassess or later (any, from a bare checkout)."""
    version = engine_version()
    return f"riskassess>={version}" if re.fullmatch(r"\d+(\.\d+)*", version) else "riskassess"


def render(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{{key}}`` replaced by ``values[key]``; an unknown key is a bug in a template."""
    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"scaffold template placeholder {{{{{key}}}}} has no value")
        return values[key]
    return _PLACEHOLDER.sub(fill, template)


def template_text(path: str) -> str:
    return resources.files("riskassess").joinpath(TEMPLATES, *path.split("/")).read_text(encoding="utf-8")


def package_files(names: PluginNames) -> dict[str, str]:
    """Each file of the new package (a relative POSIX path) and its content."""
    values = names.placeholders()
    return {render(target, values): render(template_text(source), values) for source, target in FILES}


@dataclass(frozen=True)
class NewPlugin:
    names: PluginNames
    path: Path
    files: tuple[str, ...]
    warnings: tuple[Text, ...] = ()


def new_plugin(name: str, directory: Path = Path(".")) -> NewPlugin:
    """Write ``directory/riskassess-NAME/`` whole, or nothing: it is built beside and moved into place."""
    names = PluginNames.of(name)
    if not directory.is_dir():
        raise InputError(tr("directory does not exist"), source=str(directory),
                         hint=tr("create it first, or give another --dir"))
    target = directory / names.distribution
    if target.exists() or target.is_symlink():
        raise InputError(tr("{path} exists already: `riskassess plugin new` only writes a new directory",
                            path=str(target)),
                         hint=tr("choose another name or --dir, or move the existing directory away"))
    files = package_files(names)
    building = Path(tempfile.mkdtemp(prefix=f".{names.distribution}.", dir=directory))
    try:
        for relative, content in files.items():
            path = building.joinpath(*relative.split("/"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        umask = os.umask(0)
        os.umask(umask)
        for folder in (building, *(p for p in building.rglob("*") if p.is_dir())):
            folder.chmod(0o777 & ~umask)  # mkdtemp makes 0700: give the package the user's usual mode
        os.rename(building, target)  # fails, leaving nothing, if the target appeared meanwhile
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return NewPlugin(names, target, tuple(sorted(files)), tuple(_name_taken(names)))


def _name_taken(names: PluginNames) -> list[Text]:
    """A warning when an installed plugin already has the name: installed together, both are disabled."""
    out = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == names.ns:
            out.append(tr("warning: an installed plugin is already named {name!r} (distribution {distribution}): "
                          "installed together, riskassess disables both", name=names.ns,
                          distribution=ep.dist.name if ep.dist else "?"))
    return out

