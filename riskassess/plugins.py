"""Building a plugin manager and collecting what the plugins contribute, one plugin's failure disabling it alone.

There is no module-level plugin manager: :func:`build_plugin_manager` returns a fresh one, and
:class:`Contributions` holds what its hooks registered. The engine receives both as arguments.

A plugin that fails to load — its import fails, pluggy refuses it, it implements an unknown hook, a
registration hook raises, it registers something invalid, or it claims a name another plugin claims —
is *disabled*: none of its contributions is used and none of its hooks is called again. It is listed in
:attr:`Contributions.broken` with the reason, the engine warns about it, and everything else works; a
rule set that needs what it provides (or may) fails with a :class:`PluginError` naming it.

Clashes: a built-in keeps its names, and a plugin claiming one is disabled. When plugins claim one
name between them, every one of them is disabled: which implementation a rule author meant cannot be
known, and what runs must not depend on which was installed first or whose name sorts first.

A plugin is identified by its name (the entry-point name: what records list and
``RISKASSESS_DISABLE_PLUGINS`` takes) and by the distribution that installed it, with that
distribution's version as installed (``importlib.metadata``); a ``__version__`` attribute is not read.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs, plugin_guard
from .errors import PluginError, RiskAssessError
from .hookspecs import DerivedFact, Operator, OutputFormat, ScoringMethod
from .i18n import Text, tr
from .plain_data import number_problem
from .plugin_guard import BUILTIN_PREFIX, DISABLE_ENV, PluginCallError, guarded
from .questionnaire import parse_field

ENTRY_POINT_GROUP = "riskassess"

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
         "derived fact": tr("derived fact"), "rule set": tr("rule set"),
         "questionnaire fields": tr("questionnaire extension")}

#: Each registration hook and the kind of thing it registers, in the order they are called.
REGISTRATION_HOOKS = (("riskassess_register_operators", "operator"),
                      ("riskassess_register_scoring_methods", "scoring method"),
                      ("riskassess_register_output_formats", "output format"),
                      ("riskassess_register_derived_facts", "derived fact"),
                      ("riskassess_register_rule_sets", "rule set"),
                      ("riskassess_register_questionnaire_fields", "questionnaire fields"))


@functools.cache
def engine_version() -> str:
    try:
        return importlib.metadata.version("riskassess")
    except importlib.metadata.PackageNotFoundError:  # running from a bare checkout
        return "0+unknown"


@dataclass(frozen=True)
class PluginInfo:
    """A plugin as the record and ``riskassess plugins list`` show it.

    ``name`` is its entry-point name (a built-in's module name; for a plugin object registered by code,
    its module or class name); ``distribution`` and ``version`` are those of the distribution that
    installed it, from ``importlib.metadata`` — ``""`` and ``unversioned`` when none did.
    """

    name: str
    version: str
    distribution: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


@dataclass(frozen=True)
class BrokenPlugin:
    """A plugin that failed to load and is disabled: why, and what a rule set cannot have because of it."""

    info: PluginInfo
    reason: Text
    provides: frozenset[tuple[str, str]] = frozenset()
    """(kind, name) of everything it registered, valid or not."""
    unknown: frozenset[str] = frozenset(KINDS)
    """Kinds it may provide but did not get to register (it failed to import, or that hook raised)."""
    rule_set_paths: tuple[Path, ...] = ()

    @property
    def name(self) -> str:
        return self.info.name


class PluginManager(pluggy.PluginManager):
    """pluggy's plugin manager with the riskassess hooks, remembering the plugins that failed to load."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs.RiskAssessHooks)
        self.load_failures: dict[str, BrokenPlugin] = {}

    def fail(self, info: PluginInfo, reason: Text) -> None:
        self.load_failures.setdefault(info.name, BrokenPlugin(info, reason))


def build_plugin_manager(
    *,
    entry_points: bool = True,
    blocked: Iterable[str] = (),
    extra: Iterable[object] = (),
) -> PluginManager:
    """A fresh plugin manager with the built-ins, installed plugins and ``extra``.

    A plugin that cannot be loaded is left out and kept in ``load_failures``; the rest load.

    :param entry_points: load plugins installed under the ``riskassess`` entry-point group.
    :param blocked: plugin names to leave out (``RISKASSESS_DISABLE_PLUGINS`` adds to it).
    :param extra: plugin objects or modules to register as well (tests, embedding code).
    """
    plugin_guard.budget()  # a budget that is not a number of seconds is refused before any plugin runs
    pm = PluginManager()
    names = set(blocked)
    names.update(n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip())
    for name in names:
        pm.set_blocked(name)
    for module_name in BUILTIN_PLUGINS:
        if not pm.is_blocked(module_name):
            pm.register(importlib.import_module(module_name), name=module_name)
    if entry_points:
        _load_entry_points(pm)
    for plugin in extra:
        # pluggy's default name is id()-based; the record needs a stable one.
        qualname = f"{type(plugin).__module__}.{type(plugin).__qualname__}"
        _register(pm, plugin, getattr(plugin, "__name__", None) or qualname, getattr(plugin, "__file__", qualname))
    _disable_unknown_hooks(pm)
    pm.check_pending()  # nothing is left for it to refuse
    return pm


def _register(pm: PluginManager, plugin: object, name: str, where: str,
              dist: importlib.metadata.Distribution | None = None) -> None:
    try:
        pm.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as exc:
        if isinstance(exc, pluggy.PluginValidationError):  # registered in part: take it out again
            pm.unregister(name=name)
        elif pm.get_plugin(name) is not None:  # the name is another plugin's: tell them apart
            name = f"{name} ({where})"
        pm.fail(_identity(pm, name, plugin, dist), tr("cannot be registered: {error}", error=_one_line(exc)))
        return
    if dist is not None:
        pm._plugin_distinfo.append((plugin, dist))  # type: ignore[arg-type]  # what load_setuptools_entrypoints does


def _load_entry_points(pm: PluginManager) -> None:
    by_name: dict[str, list[importlib.metadata.EntryPoint]] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        by_name.setdefault(ep.name, []).append(ep)
    for name, eps in sorted(by_name.items()):
        if pm.is_blocked(name):
            continue
        ep = eps[0]
        if len(eps) > 1:
            pm.fail(PluginInfo(name, "?", ", ".join(sorted(e.dist.name for e in eps if e.dist))),
                    tr("the entry-point name is declared by several distributions: {values}",
                       values=sorted(e.value for e in eps)))
            continue
        try:
            plugin = plugin_guard.call(name, tr("the import of {module}", module=ep.value), ep.load)
        except PluginCallError as exc:  # it ran past its time budget, or tried to exit
            pm.fail(_identity(pm, name, None, ep.dist), exc.problem)
            continue
        except Exception as exc:
            pm.fail(_identity(pm, name, None, ep.dist),
                    tr("failed to import {value}: {error}", value=ep.value, error=_error(exc)))
            continue
        _register(pm, plugin, name, ep.value, ep.dist)


def _disable_unknown_hooks(pm: PluginManager) -> None:
    """Take out each plugin implementing a hook riskassess does not have (a misspelt name, say)."""
    unknown: dict[str, list[str]] = {}
    for hook_name, caller in vars(pm.hook).items():
        if hook_name.startswith("_") or caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if not impl.optionalhook:
                unknown.setdefault(impl.plugin_name, []).append(hook_name)
    for name, hooks in unknown.items():
        info = _identity(pm, name, pm.get_plugin(name))
        pm.unregister(name=name)
        pm.fail(info, tr("implements unknown hook(s) {hooks}: the hook names are in riskassess.hookspecs",
                         hooks=sorted(hooks)))


def _identity(pm: pluggy.PluginManager, name: str, plugin: object,
              dist: importlib.metadata.Distribution | None = None) -> PluginInfo:
    """The distribution that installed a plugin, and its version: never the plugin's own ``__version__``."""
    if name.startswith(BUILTIN_PREFIX):
        return PluginInfo(name, engine_version(), "riskassess")
    if dist is None:
        facade = next((d for p, d in pm.list_plugin_distinfo() if p is plugin), None)
        if facade is not None:
            return PluginInfo(name, str(facade.version), facade.project_name)
    if dist is None and plugin is not None:  # registered by code: the distribution holding its module
        module = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
        dist_names = _distributions_by_package().get(module.partition(".")[0], [])
        if len(dist_names) == 1:
            dist = importlib.metadata.distribution(dist_names[0])
    if dist is None:
        return PluginInfo(name, "unversioned")
    return PluginInfo(name, dist.version, dist.name)


@functools.cache
def _distributions_by_package() -> Mapping[str, list[str]]:
    return importlib.metadata.packages_distributions()


def _error(exc: BaseException) -> str:
    return _one_line(f"{type(exc).__name__}: {exc}")


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


# --------------------------------------------------------------------------- collecting contributions


@dataclass
class _Loading:
    """One plugin while its registration hooks run."""

    problem: Text | None = None
    unknown: set[str] = field(default_factory=set)
    notes: list[Text] = field(default_factory=list)

    def fail(self, problem: Text) -> None:
        if self.problem is None:
            self.problem = problem


#: Where :class:`Contributions` keeps each kind registered by name.
_STORES = {"operator": "operators", "scoring method": "scoring_methods", "output format": "output_formats",
           "derived fact": "derived_facts"}

#: What one registration gave: (plugin, kind, key, value); ``key`` is the name it claims, if any.
_Item = tuple[str, str, str | None, Any]


@dataclass
class Contributions:
    """Everything the working plugins registered, by name, each with the plugin it came from."""

    operators: dict[str, Operator] = field(default_factory=dict)
    scoring_methods: dict[str, ScoringMethod] = field(default_factory=dict)
    output_formats: dict[str, OutputFormat] = field(default_factory=dict)
    derived_facts: dict[str, DerivedFact] = field(default_factory=dict)
    rule_set_paths: list[tuple[Path, str]] = field(default_factory=list)
    questionnaire_fields: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    owners: dict[tuple[str, str], str] = field(default_factory=dict)
    plugins: tuple[PluginInfo, ...] = ()
    """The working plugins, by name."""
    broken: dict[str, BrokenPlugin] = field(default_factory=dict)
    """The disabled plugins, by name."""
    notes: dict[str, list[Text]] = field(default_factory=dict)
    """What working plugins did wrong without being disabled for it (a hook returned a value)."""

    @classmethod
    def collect(cls, pm: pluggy.PluginManager) -> Contributions:
        """Call every registration hook once, attributing each contribution to its plugin; disable the
        plugins that fail (see the module's docstring)."""
        loading: dict[str, _Loading] = {}
        items: list[_Item] = []
        for hook_name, kind in REGISTRATION_HOOKS:
            for impl in getattr(pm.hook, hook_name).get_hookimpls():  # registration order: built-ins first
                _run_registration(impl, hook_name, kind, loading.setdefault(impl.plugin_name, _Loading()), items)
        _disable_clashes(loading, items)
        found = cls()
        for name, kind, key, value in items:
            if loading[name].problem is None:
                found._add(name, kind, key, value)
        found._sort_plugins(pm, loading, items)
        return found

    def _sort_plugins(self, pm: pluggy.PluginManager, loading: Mapping[str, _Loading], items: list[_Item]) -> None:
        """Each plugin into ``plugins`` (working) or ``broken`` (disabled, with what it registered)."""
        working = []
        for name, plugin in pm.list_name_plugin():
            if plugin is None:  # blocked
                continue
            state = loading.get(name, _Loading())
            info = _identity(pm, name, plugin)
            if state.problem is None:
                working.append(info)
                if state.notes:
                    self.notes[name] = state.notes
                continue
            mine = [(kind, key, value) for owner, kind, key, value in items if owner == name]
            self.broken[name] = BrokenPlugin(
                info, state.problem, frozenset((kind, key) for kind, key, _ in mine if key is not None),
                frozenset(state.unknown), tuple(value for _, _, value in mine if isinstance(value, Path)))
        self.broken.update(getattr(pm, "load_failures", {}))
        self.plugins = tuple(sorted(working, key=lambda p: p.name))

    def _add(self, plugin: str, kind: str, key: str | None, value: Any) -> None:
        if kind == "rule set":
            self.rule_set_paths.append((value, plugin))
            return
        assert key is not None
        if kind == "questionnaire fields":
            self.questionnaire_fields[key] = (value, plugin)
            return
        into: dict[str, Any] = getattr(self, _STORES[kind])
        into[key] = value if plugin.startswith(BUILTIN_PREFIX) else _guard(plugin, kind, value)
        self.owners[(kind, key)] = plugin

    def plugin_of(self, kind: str, name: str) -> str:
        return self.owners.get((kind, name), "?")

    def warnings(self) -> list[Text]:
        """One line per disabled plugin, and per thing a working plugin did wrong."""
        out = [tr("warning: plugin {plugin!r} is disabled: {reason} (fix or uninstall it, or set {setting})",
                  plugin=name, reason=b.reason, setting=f"{DISABLE_ENV}={name}")
               for name, b in sorted(self.broken.items())]
        out += [tr("warning: plugin {plugin!r}: {problem}", plugin=name, problem=note)
                for name, notes in sorted(self.notes.items()) for note in notes]
        return out

    def status(self, name: str) -> Text:
        """``ok``, ``broken: why`` or ``warning: what``, for ``riskassess plugins list``."""
        if name in self.broken:
            return tr("broken: {reason}", reason=self.broken[name].reason)
        if name in self.notes:
            return tr("warning: {problem}", problem=self.notes[name])
        return tr("ok")

    def unavailable(self, kind: str, name: str, problem: str | Text, *, hint: str | Text | None = None,
                    **where: Any) -> PluginError | None:
        """The error for a rule set that needs ``kind name`` (or a fact path, kind ``fact``) which no working
        plugin provides, when a disabled plugin provides it — or may: it failed before registering that
        kind. ``None`` when no disabled plugin is to blame. ``where`` is the error's source, line and field."""
        maybe = True
        if kind == "fact":
            parts = name.split(".")
            if parts[0] == "extensions" and len(parts) > 2:
                kind, name = "questionnaire fields", parts[1]
            else:  # any path can be a derived fact; only derived.* ones are expected to be
                kind, maybe = "derived fact", parts[0] == "derived"
        for b in sorted(self.broken.values(), key=lambda b: b.name):
            if (kind, name) in b.provides:
                return self.disabled_error(b.name, kind, name, **where)
        suspects = [b for b in sorted(self.broken.values(), key=lambda b: b.name) if kind in b.unknown]
        if not (maybe and suspects):
            return None
        return PluginError(tr("{problem}; a disabled plugin may provide it: {plugins}", problem=problem,
                              plugins=[tr("{plugin!r} ({reason})", plugin=b.name, reason=b.reason)
                                       for b in suspects]),
                           hint=hint, **where)

    def disabled_error(self, plugin: str, kind: str, name: str, **where: Any) -> PluginError:
        """``kind name`` is not available because ``plugin``, which provides it, is disabled."""
        return PluginError(tr("{kind} {name!r} comes from plugin {plugin!r}, which is disabled: {reason}",
                              kind=KINDS.get(kind, kind), name=name, plugin=plugin,
                              reason=self.broken[plugin].reason),
                           hint=tr("fix or reinstall plugin {plugin!r}; `riskassess plugins list` shows its status",
                                   plugin=plugin), **where)


def _run_registration(impl: Any, hook: str, kind: str, state: _Loading, items: list[_Item]) -> None:
    """Call one plugin's registration hook, noting each thing it registers and what goes wrong."""
    registered = 0

    def register(*args: Any) -> None:
        nonlocal registered
        registered += 1
        key, value, problem = _CHECKS[kind](*args)
        if problem is not None:
            state.fail(tr("registered an invalid {kind}: {problem}", kind=KINDS[kind], problem=problem))
        items.append((impl.plugin_name, kind, key, value))

    try:
        returned = plugin_guard.call(impl.plugin_name, hook, impl.function, *(register for _ in impl.argnames))
    except PluginCallError as exc:
        state.unknown.add(kind)
        state.fail(exc.problem)
        return
    except Exception as exc:
        state.unknown.add(kind)
        state.fail(tr("raised in {hook}: {error}", hook=hook, error=_error(exc)))
        return
    if returned is not None:
        state.notes.append(
            tr("{hook} returned a value instead of calling register(...): it contributed nothing through it",
               hook=hook) if not registered else
            tr("{hook} returned a value besides calling register(...): the value is ignored", hook=hook))


def call_hookimpl(impl: Any, hook: str, **kwargs: Any) -> Any:
    """Call one plugin's implementation of ``hook`` as pluggy would; its exception is a PluginError naming it."""
    try:
        return plugin_guard.call(impl.plugin_name, hook, impl.function, *(kwargs[name] for name in impl.argnames))
    except PluginError:
        raise
    except Exception as exc:
        raise PluginError(tr("plugin {plugin!r} raised in {hook}: {error}", plugin=impl.plugin_name, hook=hook,
                             error=_error(exc)),
                          hint=tr("fix or disable it ({setting})", setting=f"{DISABLE_ENV}={impl.plugin_name}")) \
            from exc


def plugin_call(kind: str, name: str, function: str) -> Text:
    """How an error names a call of what a plugin registered: ``operator 'share_above' (test)``."""
    return tr("{kind} {name!r} ({function})", kind=KINDS.get(kind, kind), name=name, function=function)


def _guard(plugin: str, kind: str, value: Any) -> Any:
    """What an external plugin registered, its code called through :func:`plugin_guard.call`; a derived fact's
    value is checked to be a number JSON holds."""
    if isinstance(value, Operator):
        return dataclasses.replace(value, test=guarded(plugin, plugin_call(kind, value.name, "test"), value.test),
                                   check=value.check and guarded(plugin, plugin_call(kind, value.name, "check"),
                                                                 value.check))
    if isinstance(value, DerivedFact):
        return dataclasses.replace(value, compute=_checked_fact(plugin, value))
    if isinstance(value, OutputFormat):
        return dataclasses.replace(value, render=guarded(plugin, plugin_call(kind, value.name, "render"),
                                                         value.render))
    return value  # a scoring method: guarded where it is called (ScoringStep)


def _checked_fact(plugin: str, fact: DerivedFact) -> Callable[[Mapping[str, Any]], Any]:
    what = plugin_call("derived fact", fact.path, "compute")
    compute = fact.compute

    def checked(answers: Mapping[str, Any]) -> Any:
        value = plugin_guard.call(plugin, what, compute, answers)
        problem = _number_problem(value)
        if problem is not None:
            raise PluginError(tr("derived fact {path} (plugin {plugin!r}) gave a number a record cannot hold: "
                                 "{problem}", path=fact.path, plugin=plugin, problem=problem),
                              hint=tr("fix or disable the plugin that provides it"))
        return value

    return checked


def _number_problem(value: Any) -> Text | None:
    """The first number in ``value`` (a list or mapping, maybe) that a record cannot hold: NaN, infinity, or
    beyond ±(2^53 − 1)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            problem = number_problem(item)
            if problem is not None:
                return problem[0]
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, Mapping):
            stack.extend(item.values())
    return None


def _disable_clashes(loading: Mapping[str, _Loading], items: list[_Item]) -> None:
    """Disable every plugin claiming a name a built-in or another plugin claims (and one claiming it twice)."""
    claims: dict[tuple[str, str], list[str]] = {}
    for plugin, kind, key, _ in items:
        if key is not None and loading[plugin].problem is None:
            claims.setdefault((kind, key), []).append(plugin)
    for (kind, key), plugins in claims.items():
        if len(plugins) < 2:
            continue
        builtins = [p for p in plugins if p.startswith(BUILTIN_PREFIX)]
        if len(builtins) > 1:
            raise PluginError(tr("{kind} {name!r} is registered by both {other!r} and {plugin!r}",
                                 kind=KINDS[kind], name=key, other=builtins[0], plugin=builtins[1]))
        for plugin in dict.fromkeys(plugins):
            if plugin in builtins:
                continue
            others = sorted(set(plugins) - {plugin})
            loading[plugin].fail(tr("{kind} {name!r} is also registered by {others}", kind=KINDS[kind], name=key,
                                    others=others) if others else
                                 tr("registers {kind} {name!r} twice", kind=KINDS[kind], name=key))


# --------------------------------------------------------------------------- what a registration must be


def _typed(cls: type, key: str, problem: Callable[[str], Text]) -> Callable[..., tuple[str | None, Any, Text | None]]:
    """A check that an item is a ``cls`` named by its attribute ``key``; else ``problem`` of its type name."""
    def check(item: Any) -> tuple[str | None, Any, Text | None]:
        if isinstance(item, cls):
            return getattr(item, key), item, None
        return None, item, problem(type(item).__name__)
    return check


def _check_method(method: Any) -> tuple[str | None, Any, Text | None]:
    name = getattr(method, "name", None)
    key = name if isinstance(name, str) else None
    if key is None or not callable(getattr(method, "prepare", None)):
        return key, method, tr("expected a scoring method with .name and .prepare(), got {got}",
                               got=type(method).__name__)
    if not isinstance(getattr(method, "title", None), hookspecs.Label):
        return key, method, tr("scoring method {name!r} needs a zh/en title (riskassess.Label)", name=name)
    return key, method, None


def _check_rule_set(path: Any) -> tuple[str | None, Any, Text | None]:
    if not isinstance(path, (str, Path)):
        return None, path, tr("not a path: {path!r}", path=path)
    return None, Path(path), None if Path(path).exists() else tr("{path} does not exist", path=str(path))


def _check_fields(namespace: Any, fields: Any) -> tuple[str | None, Any, Text | None]:
    if not isinstance(namespace, str) or not namespace.isidentifier() or not isinstance(fields, Mapping):
        return None, fields, tr("bad namespace or field map: {namespace!r}", namespace=namespace)
    for name, raw in fields.items():
        where = f"extensions.{namespace}.{name}"
        try:
            parse_field(str(name), raw, where, namespace)
        except RiskAssessError as exc:
            return namespace, fields, tr("{field}: {problem}", field=exc.field or where, problem=exc.text)
        except Exception as exc:
            return namespace, fields, tr("{field}: {problem}", field=where, problem=_error(exc))
    return namespace, dict(fields), None


_CHECKS: dict[str, Callable[..., tuple[str | None, Any, Text | None]]] = {
    "operator": _typed(Operator, "name", lambda got: tr("expected an Operator, got {got}", got=got)),
    "scoring method": _check_method,
    "output format": _typed(OutputFormat, "name", lambda got: tr("expected an OutputFormat, got {got}", got=got)),
    "derived fact": _typed(DerivedFact, "path", lambda got: tr("expected a DerivedFact, got {got}", got=got)),
    "rule set": _check_rule_set,
    "questionnaire fields": _check_fields,
}
