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
from .i18n import Text, tr

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


#: The kinds of contribution, as messages name them.
KINDS = {"operator": tr("operator"), "scoring method": tr("scoring method"), "output format": tr("output format"),
         "derived fact": tr("derived fact")}


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
        raise PluginError(tr("plugin {plugin!r} implements an unknown hook: {error}", plugin=exc.plugin,
                             error=str(exc)),
                          hint=tr("check the hook names in riskassess.hookspecs")) from None
    return pm


def _register(pm: pluggy.PluginManager, plugin: object, name: str | None) -> None:
    if name is None:
        # pluggy's default name is id()-based; the record needs a stable one.
        name = getattr(plugin, "__name__", None) or f"{type(plugin).__module__}.{type(plugin).__qualname__}"
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(tr("plugin {plugin!r} is invalid: {error}", plugin=name or plugin, error=str(exc))) from None
    except ValueError as exc:
        raise PluginError(tr("plugin {plugin!r} cannot be registered: {error}", plugin=name or plugin,
                             error=str(exc))) from None


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if pm.is_blocked(ep.name) or pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(
                tr("plugin {plugin!r} ({value}) failed to import: {error}", plugin=ep.name, value=ep.value,
                   error=f"{type(exc).__name__}: {exc}"),
                hint=tr("fix or uninstall it, or set {setting}", setting=f"{DISABLE_ENV}={ep.name}"),
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
                    _checked(Operator, lambda got: tr("expected an Operator, got {got}", got=got)))
        found._call(pm, hook.riskassess_register_scoring_methods, "scoring method",
                    found.scoring_methods, _checked_method)
        found._call(pm, hook.riskassess_register_output_formats, "output format", found.output_formats,
                    _checked(OutputFormat, lambda got: tr("expected an OutputFormat, got {got}", got=got)))
        found._call(pm, hook.riskassess_register_derived_facts, "derived fact", found.derived_facts,
                    _checked(DerivedFact, lambda got: tr("expected a DerivedFact, got {got}", got=got)), key="path")

        for impl in hook.riskassess_register_rule_sets.get_hookimpls():
            def add_path(path: Path, _plugin: str = impl.plugin_name) -> None:
                if not isinstance(path, (str, Path)):
                    raise PluginError(tr("plugin {plugin!r} registered a rule set that is not a path: {path!r}",
                                         plugin=_plugin, path=path))
                found.rule_set_paths.append((Path(path), _plugin))
            _call_impl(impl, add_path, "riskassess_register_rule_sets")

        for impl in hook.riskassess_register_questionnaire_fields.get_hookimpls():
            def add_fields(namespace: str, fields: Any, _plugin: str = impl.plugin_name) -> None:
                if not isinstance(namespace, str) or not namespace.isidentifier() or not isinstance(fields, dict):
                    raise PluginError(tr("plugin {plugin!r} registered questionnaire fields with a bad "
                                         "namespace or field map: {namespace!r}", plugin=_plugin, namespace=namespace))
                if namespace in found.questionnaire_fields:
                    other = found.questionnaire_fields[namespace][1]
                    raise PluginError(tr("questionnaire extension namespace {namespace!r} is registered by both "
                                         "{other!r} and {plugin!r}", namespace=namespace, other=other,
                                         plugin=_plugin))
                found.questionnaire_fields[namespace] = (dict(fields), _plugin)
            _call_impl(impl, add_fields, "riskassess_register_questionnaire_fields")
        return found

    def _call(self, pm: pluggy.PluginManager, caller: Any, kind: str, into: dict[str, Any],
              check: Callable[[Any], Text | None], key: str = "name") -> None:
        for impl in caller.get_hookimpls():  # registration order: built-ins first
            def register(item: Any, _plugin: str = impl.plugin_name) -> None:
                problem = check(item)
                if problem is not None:
                    raise PluginError(tr("plugin {plugin!r} registered an invalid {kind}: {problem}", plugin=_plugin,
                                         kind=KINDS.get(kind, kind), problem=problem))
                name = getattr(item, key)
                if name in into:
                    other = self.owners[(kind, name)]
                    raise PluginError(tr("{kind} {name!r} is registered by both {other!r} and {plugin!r}",
                                         kind=KINDS.get(kind, kind), name=name, other=other, plugin=_plugin),
                                      hint=tr("uninstall one, or block it with {variable}", variable=DISABLE_ENV))
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
        raise PluginError(tr("plugin {plugin!r} raised in {hook}: {error}", plugin=impl.plugin_name, hook=hook_name,
                             error=f"{type(exc).__name__}: {exc}"),
                          hint=tr("fix or disable it ({setting})", setting=f"{DISABLE_ENV}={impl.plugin_name}")) \
            from exc


def _checked(cls: type, problem: Callable[[str], Text]) -> Callable[[Any], Text | None]:
    """A check that an item is a ``cls``: None if it is, else ``problem`` of its type name."""
    return lambda item: None if isinstance(item, cls) else problem(type(item).__name__)


def _checked_method(method: Any) -> Text | None:
    if not isinstance(getattr(method, "name", None), str) or not callable(getattr(method, "prepare", None)):
        return tr("expected a scoring method with .name and .prepare(), got {got}", got=type(method).__name__)
    if not isinstance(getattr(method, "title", None), hookspecs.Label):
        return tr("scoring method {name!r} needs a zh/en title (riskassess.Label)", name=method.name)
    return None


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
