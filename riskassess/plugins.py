"""Building a plugin manager and collecting what the plugins contribute.

There is no module-level plugin manager: :func:`build_plugin_manager` returns a
fresh one, and :class:`Contributions` holds what its hooks registered. The
engine receives both as arguments.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from . import hookspecs
from .errors import PluginError
from .hookspecs import DerivedFact, Operator, OutputFormat, ScoringMethod

ENTRY_POINT_GROUP = "riskassess"
DISABLE_ENV = "RISKASSESS_DISABLE_PLUGINS"

#: Built-in plugins, registered with the same call as any external plugin.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "riskassess.builtin.operators",
    "riskassess.builtin.scoring",
    "riskassess.builtin.facts",
    "riskassess.builtin.formats",
    "riskassess.builtin.rulesets",
)


@functools.cache
def engine_version() -> str:
    try:
        return importlib.metadata.version("riskassess")
    except importlib.metadata.PackageNotFoundError:  # running from a bare checkout
        return "0+unknown"


def build_plugin_manager(
    *,
    entry_points: bool = True,
    blocked: Iterable[str] = (),
    extra: Iterable[object] = (),
) -> pluggy.PluginManager:
    """A fresh plugin manager with the built-ins, installed plugins and ``extra``.

    :param entry_points: load plugins installed under the ``riskassess`` entry-point group.
    :param blocked: plugin names to leave out (``RISKASSESS_DISABLE_PLUGINS`` adds to it).
    :param extra: plugin objects or modules to register as well (tests, embedding code).
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs.RiskAssessHooks)
    names = set(blocked)
    names.update(n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip())
    for name in names:
        pm.set_blocked(name)
    for module_name in BUILTIN_PLUGINS:
        if pm.is_blocked(module_name):
            continue
        module = importlib.import_module(module_name)
        pm.register(module, name=module_name)
    if entry_points:
        _load_entry_points(pm)
    for plugin in extra:
        _register(pm, plugin, None)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {exc.plugin!r} implements an unknown hook: {exc}",
                          hint="check the hook names in riskassess.hookspecs") from None
    return pm


def _register(pm: pluggy.PluginManager, plugin: object, name: str | None) -> None:
    if name is None:
        # pluggy's default name is id()-based; the record needs a stable one.
        name = getattr(plugin, "__name__", None) or f"{type(plugin).__module__}.{type(plugin).__qualname__}"
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {name or plugin!r} is invalid: {exc}") from None
    except ValueError as exc:
        raise PluginError(f"plugin {name or plugin!r} cannot be registered: {exc}") from None


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if pm.is_blocked(ep.name) or pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(
                f"plugin {ep.name!r} ({ep.value}) failed to import: {type(exc).__name__}: {exc}",
                hint=f"fix or uninstall it, or set {DISABLE_ENV}={ep.name}",
            ) from exc
        _register(pm, plugin, ep.name)
        dist = ep.dist
        if dist is not None:
            pm._plugin_distinfo.append((plugin, dist))  # type: ignore[arg-type]  # what load_setuptools_entrypoints does


@dataclass(frozen=True)
class PluginInfo:
    """A registered plugin as the record lists it."""

    name: str
    version: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


@dataclass
class Contributions:
    """Everything the plugins registered, by name, each with the plugin it came from."""

    operators: dict[str, Operator] = field(default_factory=dict)
    scoring_methods: dict[str, ScoringMethod] = field(default_factory=dict)
    output_formats: dict[str, OutputFormat] = field(default_factory=dict)
    derived_facts: dict[str, DerivedFact] = field(default_factory=dict)
    rule_set_paths: list[tuple[Path, str]] = field(default_factory=list)
    questionnaire_fields: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    owners: dict[tuple[str, str], str] = field(default_factory=dict)
    plugins: tuple[PluginInfo, ...] = ()

    @classmethod
    def collect(cls, pm: pluggy.PluginManager) -> Contributions:
        """Call every registration hook once, attributing each contribution to its plugin."""
        found = cls()
        found.plugins = _plugin_infos(pm)
        hook = pm.hook
        found._call(pm, hook.riskassess_register_operators, "operator", found.operators,
                    lambda op: _checked(op, Operator, "an Operator"))
        found._call(pm, hook.riskassess_register_scoring_methods, "scoring method",
                    found.scoring_methods, _checked_method)
        found._call(pm, hook.riskassess_register_output_formats, "output format",
                    found.output_formats, lambda f: _checked(f, OutputFormat, "an OutputFormat"))
        found._call(pm, hook.riskassess_register_derived_facts, "derived fact",
                    found.derived_facts, lambda f: _checked(f, DerivedFact, "a DerivedFact"), key="path")

        for impl in hook.riskassess_register_rule_sets.get_hookimpls():
            def add_path(path: Path, _plugin: str = impl.plugin_name) -> None:
                if not isinstance(path, (str, Path)):
                    raise PluginError(f"plugin {_plugin!r} registered a rule set that is not a path: {path!r}")
                found.rule_set_paths.append((Path(path), _plugin))
            _call_impl(impl, add_path, "riskassess_register_rule_sets")

        for impl in hook.riskassess_register_questionnaire_fields.get_hookimpls():
            def add_fields(namespace: str, fields: Any, _plugin: str = impl.plugin_name) -> None:
                if not isinstance(namespace, str) or not namespace.isidentifier() or not isinstance(fields, dict):
                    raise PluginError(f"plugin {_plugin!r} registered questionnaire fields with a bad "
                                      f"namespace or field map: {namespace!r}")
                if namespace in found.questionnaire_fields:
                    other = found.questionnaire_fields[namespace][1]
                    raise PluginError(f"questionnaire extension namespace {namespace!r} is registered by both "
                                      f"{other!r} and {_plugin!r}")
                found.questionnaire_fields[namespace] = (dict(fields), _plugin)
            _call_impl(impl, add_fields, "riskassess_register_questionnaire_fields")
        return found

    def _call(self, pm: pluggy.PluginManager, caller: Any, kind: str, into: dict[str, Any],
              check: Callable[[Any], Any], key: str = "name") -> None:
        for impl in caller.get_hookimpls():  # registration order: built-ins first
            def register(item: Any, _plugin: str = impl.plugin_name) -> None:
                try:
                    check(item)
                except TypeError as exc:
                    raise PluginError(f"plugin {_plugin!r} registered an invalid {kind}: {exc}") from None
                name = getattr(item, key)
                if name in into:
                    other = self.owners[(kind, name)]
                    raise PluginError(f"{kind} {name!r} is registered by both {other!r} and {_plugin!r}",
                                      hint=f"uninstall one, or block it with {DISABLE_ENV}")
                into[name] = item
                self.owners[(kind, name)] = _plugin
            _call_impl(impl, register, caller.name)

    def plugin_of(self, kind: str, name: str) -> str:
        return self.owners.get((kind, name), "?")


def _call_impl(impl: Any, register: Callable[..., None], hook_name: str) -> None:
    try:
        impl.function(register)
    except PluginError:
        raise
    except Exception as exc:
        raise PluginError(f"plugin {impl.plugin_name!r} raised in {hook_name}: {type(exc).__name__}: {exc}",
                          hint=f"fix or disable it ({DISABLE_ENV}={impl.plugin_name})") from exc


def _checked(item: Any, cls: type, what: str) -> None:
    if not isinstance(item, cls):
        raise TypeError(f"expected {what}, got {type(item).__name__}")


def _checked_method(method: Any) -> None:
    if not isinstance(getattr(method, "name", None), str) or not callable(getattr(method, "prepare", None)):
        raise TypeError(f"expected a scoring method with .name and .prepare(), got {type(method).__name__}")
    if not isinstance(getattr(method, "title", None), hookspecs.Label):
        raise TypeError(f"scoring method {method.name!r} needs a zh/en title (riskassess.Label)")


def _plugin_infos(pm: pluggy.PluginManager) -> tuple[PluginInfo, ...]:
    versions = {id(plugin): dist.version for plugin, dist in pm.list_plugin_distinfo()}
    own = engine_version()
    infos = []
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        if name.startswith("riskassess.builtin."):
            version = own
        else:
            version = versions.get(id(plugin)) or str(getattr(plugin, "__version__", "unversioned"))
        infos.append(PluginInfo(name, version))
    return tuple(sorted(infos, key=lambda p: p.name))
