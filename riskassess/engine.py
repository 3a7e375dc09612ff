"""The engine: plugins in, rule sets loaded once, questionnaires graded many times.

:class:`Engine` is the public entry point for code (the CLI is a thin layer over
it). :func:`decide` is the hot path — grades without a trace;
:meth:`Engine.assess` adds the condition-level trace and the assessment record.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy

from . import plugin_guard
from .adjustments import Adjustments, Governed, LevelPlan, as_of_date, load_adjustments
from .assessment import Assessment, build_assessment
from .conditions import locate_failure
from .errors import ErrorText, EvaluationError, InputError, PluginError, RiskAssessError, RuleSetError
from .grading import Effects, after_measures, grades_by_method, measure_effects, reads_answers
from .hookspecs import ScoredFactor
from .i18n import Text, tr
from .plugin_guard import is_builtin
from .plugins import BUILTIN_PREFIX, Contributions, build_plugin_manager, call_hookimpl
from .questionnaire import Questionnaire, questionnaire_from_data, read_questionnaire
from .ruleset import RULESET_FILE, RuleSet, load_rule_set
from .yamlfile import load_yaml, read_head

DEFAULT_RULE_SET = "cn-ndrc-2012"
#: Governed adjustments as :meth:`Engine.assess` takes them: a file, a list of mappings, or validated.
AdjustmentsInput = Adjustments | str | Path | Sequence[Mapping[str, Any]] | None


@dataclass(slots=True)
class Outcome:
    """Grades and the applicable factors, without a trace (see :func:`decide`)."""

    rule_set: RuleSet
    initial_factors: list[ScoredFactor]
    post_factors: list[ScoredFactor]
    fired_overrides: list[int]
    unknown_rules: list[int]
    initial: int
    post: int
    initial_by_method: tuple[int, ...]
    post_by_method: tuple[int, ...]
    floor: int
    effects: Effects
    unadjusted: list[ScoredFactor] | None = None
    """The applicable factors as the rules scored them, when adjustments in force changed some (see
    :mod:`riskassess.adjustments`); ``initial_factors`` are then the adjusted ones."""
    adjust: LevelPlan | None = None
    """The levels the adjustments in force set (``None``: no adjustment is in force)."""

    @property
    def matched(self) -> tuple[str, ...]:
        """Ids of the factors that apply, in rule-set order."""
        ids = [self.rule_set.factors[f.index].id for f in self.initial_factors]
        return tuple(ids)

    @property
    def initial_grade(self) -> str:
        return self.rule_set.grades[self.initial].id

    @property
    def post_measure_grade(self) -> str:
        return self.rule_set.grades[self.post].id

    @property
    def provisional(self) -> bool:
        """True when a missing answer decided a factor or override (see ``unknown_rules``)."""
        return bool(self.unknown_rules)


def decide(rule_set: RuleSet, answers: Mapping[str, Any], source: str = "questionnaire", *,
           approximate: bool = False, adjust: LevelPlan | None = None) -> Outcome:
    """Grade ``answers`` (a canonical questionnaire mapping) without building a trace.

    This is the hot path: one call of the compiled conditions, the scoring
    methods' ``grade()`` and the overrides; no hook calls, no schema validation.
    Raises :class:`InputError` when a factor declared ``on_unknown: refuse`` met
    a missing answer, and a located error when a condition fails. ``adjust``: the
    levels governed adjustments in force set (:class:`riskassess.adjustments.Governed`),
    before the measures and after them. External plugins' code called on the way runs on its time
    budget (:mod:`riskassess.plugin_guard`), the alarm armed once for the whole call.
    """
    if rule_set.runs_plugin_code:
        with plugin_guard.watch():
            return _decide(rule_set, answers, source, approximate, adjust)
    return _decide(rule_set, answers, source, approximate, adjust)  # the hot path: not even a nullcontext


def _decide(rule_set: RuleSet, answers: Mapping[str, Any], source: str, approximate: bool,
            adjust: LevelPlan | None) -> Outcome:
    program = rule_set.program.approximate() if approximate else rule_set.program
    try:
        matched, fired, unknown = program.decide(answers)
    except PluginError:
        raise  # a plugin's operator or derived fact ran past its time budget, tried to exit, or gave NaN
    except Exception as exc:
        raise _located(rule_set, answers, exc) from exc
    if unknown:
        unknown = sorted(set(unknown))  # a rule with several unknown cases is noted once per case
        _refuse_if_declared(rule_set, answers, unknown, source)
    scored = matched
    if adjust is not None:
        matched = adjust.apply(rule_set, matched, "initial")
    initial_by = grades_by_method(rule_set, matched, answers, "initial")
    floor = 0
    overrides = rule_set.overrides
    for o in fired:
        f = overrides[o].floor
        if f > floor:
            floor = f
    initial = max(max(initial_by), floor)
    post_factors = matched
    post_by = initial_by
    post = initial
    effects: Effects = {}
    if answers.get("measures"):
        effects = measure_effects(rule_set, answers)
        if effects:
            post_factors = after_measures(rule_set, matched, effects)
    if adjust is not None:
        post_factors = adjust.apply(rule_set, post_factors, "post_measure")
    if post_factors is not matched or reads_answers(rule_set):  # inputs may differ after the measures
        post_by = grades_by_method(rule_set, post_factors, answers, "post_measure")
        post = max(max(post_by), floor)
    return Outcome(rule_set, matched, post_factors, fired, unknown, initial, post, initial_by, post_by, floor, effects,
                   None if scored is matched else scored, adjust)


def _refuse_if_declared(rule_set: RuleSet, answers: Mapping[str, Any], unknown: Sequence[int], source: str) -> None:
    from .assessment import fact_values
    refused = [r for r in unknown if rule_set.rules[r].on_unknown == "refuse"]
    if not refused:
        return
    values = fact_values(rule_set, answers)
    needs: Text | None = None
    for r in refused:
        facts = sorted({leaf.fact for case in rule_set.rules[r].cases for leaf in case.leaves()
                        if values.get(leaf.fact) is None})
        part = tr("{rule} needs {facts}", rule=_rule_id(rule_set, r), facts=facts)
        needs = part if needs is None else tr("{before}; {after}", before=needs, after=part)
    raise InputError(tr("cannot grade without answers the rule set requires: {rules}", rules=needs),
                     source=source, hint=tr("answer these fields (the rule set declares on_unknown: refuse)"))


def _rule_id(rule_set: RuleSet, r: int) -> str:
    nf = len(rule_set.factors)
    return rule_set.factors[r].id if r < nf else rule_set.overrides[r - nf].id


def _located(rule_set: RuleSet, answers: Mapping[str, Any], exc: Exception) -> RiskAssessError:
    from .assessment import fact_values
    ids = [_rule_id(rule_set, r) for r in range(len(rule_set.rules))]
    try:
        values = fact_values(rule_set, answers)
    except PluginError as inner:  # a derived-fact plugin itself failed
        return inner
    read = {fact.split(".")[0] for fact in rule_set.program.facts}
    for name, section in answers.items():
        if name not in read or isinstance(section, Mapping) or section is None:
            continue
        return EvaluationError(tr("section {name!r} is {kind}, not a mapping of answers", name=name,
                                  kind=type(section).__name__), source="questionnaire", field=name,
                               hint=tr("validate answers first (Engine.questionnaire)"))
    builtin = frozenset(name for name, op in rule_set.operators.items()
                        if rule_set.operator_owners.get(name, "").startswith("riskassess.builtin."))
    return locate_failure(rule_set.rules, values, rule_set.operators, ids, rule_set.source, builtin,
                          rule_set.derived_owners)


_TOP_KEY = re.compile(r"^(id|version|ruleset_format):[ \t]*([A-Za-z0-9][A-Za-z0-9._-]*)[ \t]*(?:#.*)?$")


_HEAD_BYTES = 8192


def _header(path: Path) -> tuple[str, str] | None:
    """A rule-set file's ``id`` and ``version`` when its first lines state them plainly (a top-level
    ``id: cn-ndrc-2012`` line); ``None`` otherwise, and the file is parsed in full. Listing the installed
    packs must not cost a YAML parse of each (the pack itself is read, checked and reported when loaded)."""
    raw = read_head(path, _HEAD_BYTES)  # a FIFO or a device is not waited on, and no more is read
    if raw is None:
        return None
    if len(raw) == _HEAD_BYTES:
        raw = raw[: raw.rfind(b"\n") + 1]  # the last line may be cut short
    try:
        head = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    found: dict[str, str] = {}
    for line in head.splitlines():
        match = _TOP_KEY.match(line)
        if match and match[1] not in found:
            found[match[1]] = match[2]
        if "id" in found and "version" in found:
            return found["id"], found["version"]
    return None


def warn_on_stderr(message: Text) -> None:
    """Print a warning on one line of stderr, in the language errors are shown in: ``--lang`` on the command
    line, else the environment's (see :func:`riskassess.cli_language.language_of`)."""
    from .cli_language import language_of
    print(" ".join(message.render(language_of(sys.argv[1:])).split()), file=sys.stderr)


#: Rule-set errors that mean "needs what no working plugin provides": message → (kind, the parameter naming it).
_NEEDS = {"unknown operator {name!r}": ("operator", "name"),
          "unknown scoring method {method!r}; available: {names}": ("scoring method", "method"),
          "unknown fact {fact!r}: the questionnaire has no such field": ("fact", "fact")}


def _check_scoring(rule_set: RuleSet) -> None:
    """A scoring method's ``prepare`` must give something that grades and derives: refused at load time,
    naming the method and its plugin, not found out mid-grading."""
    for i, step in enumerate(rule_set.scoring):
        if not all(callable(getattr(step.prepared, name, None)) for name in ("grade", "derive")):
            where = ("scoring", "methods", i)
            raise PluginError(tr("scoring method {method!r} (plugin {plugin!r}): prepare() returned {kind}, not an "
                                 "object with grade() and derive()", method=step.method, plugin=step.plugin,
                                 kind="None" if step.prepared is None else type(step.prepared).__name__),
                              source=rule_set.doc.source_of(where), line=rule_set.doc.line_of(where))


@dataclass(frozen=True)
class RuleSetInfo:
    """A rule set that can be loaded by id, and where it comes from."""

    id: str
    version: str
    path: Path
    plugin: str


class Engine:
    """Plugins, rule sets and evaluation, for one configuration.

    :param plugin_manager: from :func:`riskassess.build_plugin_manager`; a default
        one (built-ins plus installed plugins) when omitted.
    :param warn: takes each warning about the plugins (one disabled, a hook that returned a value, a rule-set
        id provided twice), one line each; they are printed on stderr when omitted.

    A plugin that failed to load is disabled alone (see :mod:`riskassess.plugins`): a rule set that needs
    what it would have provided fails with a :class:`PluginError` naming it; everything else works.
    """

    def __init__(self, plugin_manager: pluggy.PluginManager | None = None, *,
                 warn: Callable[[Text], None] | None = None) -> None:
        self.plugin_manager = plugin_manager or build_plugin_manager()
        self.contributions = Contributions.collect(self.plugin_manager)
        self.warn = warn or warn_on_stderr
        for message in self.contributions.warnings():
            self.warn(message)
        self._taken_ids: dict[str, PluginError] = {}
        self._plugins_for: dict[int, tuple[dict[str, str], ...]] = {}
        self._loaded: dict[Path, RuleSet] = {}
        self._index: dict[str, RuleSetInfo] | None = None
        self.broken_rule_sets: list[PluginError] = []
        self._loading: set[Path] = set()

    # -- rule sets ------------------------------------------------------------------
    def available_rule_sets(self) -> list[RuleSetInfo]:
        """Rule sets registered by plugins (the shipped packs among them), sorted by id.

        An id two plugins provide is neither's — looking it up is an error naming both — unless a built-in
        pack has it, which then keeps it. Either way a warning says so.
        """
        if self._index is None:
            claims: dict[str, list[RuleSetInfo]] = {}
            for info in self._rule_set_ids(self.contributions.rule_set_paths, self.broken_rule_sets):
                claims.setdefault(info.id, []).append(info)
            index: dict[str, RuleSetInfo] = {}
            for rid, infos in claims.items():
                builtin = [info for info in infos if info.plugin.startswith(BUILTIN_PREFIX)]
                if len(infos) == 1 or len(builtin) == 1:
                    index[rid] = builtin[0] if builtin else infos[0]
                if len(infos) == 1:
                    continue
                first, second = infos[0], infos[1]
                error = PluginError(tr("rule set id {id!r} is provided twice: {first} ({first_plugin}) and {second} "
                                       "({second_plugin})", id=rid, first=first.path, first_plugin=first.plugin,
                                       second=second.path, second_plugin=second.plugin))
                if rid in index:
                    self.warn(tr("warning: {problem}; the built-in one is used", problem=ErrorText(error)))
                else:
                    self._taken_ids[rid] = error
                    self.warn(tr("warning: {problem}; neither is used", problem=ErrorText(error)))
            self._index = dict(sorted(index.items()))
        return list(self._index.values())

    @staticmethod
    def _rule_set_ids(registered: Iterable[tuple[Path, str]], problems: list[PluginError]) -> Iterator[RuleSetInfo]:
        """The id of each rule-set file registered; one that cannot be read, or has no id, goes to ``problems``.

        One plugin's unreadable file must not block every other rule set: it is reported whenever a
        rule set is looked up by an id no readable file has.
        """
        for base, plugin in registered:
            files = [base] if base.is_file() else sorted(
                [*base.glob(f"*/{RULESET_FILE}"), *([base / RULESET_FILE] if (base / RULESET_FILE).is_file() else [])])
            for path in files:
                header = _header(path)
                if header is not None:  # id and version from the first lines: no need to parse every pack
                    yield RuleSetInfo(header[0], header[1], path, plugin)
                    continue
                try:
                    data = load_yaml(path, error=RuleSetError).data
                except RuleSetError as exc:
                    problems.append(PluginError(tr("plugin {plugin!r} registered an unreadable rule set: {error}",
                                                   plugin=plugin, error=ErrorText(exc))))
                    continue
                rid = data.get("id") if isinstance(data, dict) else None
                if not isinstance(rid, str):
                    problems.append(PluginError(tr("plugin {plugin!r} registered a rule set with no id", plugin=plugin),
                                                source=str(path), line=1))
                    continue
                yield RuleSetInfo(rid, str(data.get("version", "?")), path, plugin)

    def _no_rule_set(self, ref: str, known: list[str]) -> RiskAssessError:
        """Why no rule set has the id ``ref``: two plugins provide it, the plugin that does is disabled, a
        file cannot be read — or none has it."""
        if ref in self._taken_ids:
            return self._taken_ids[ref]
        disabled = [(path, b.name) for b in self.contributions.broken.values() for path in b.rule_set_paths]
        for info in self._rule_set_ids(disabled, []):
            if info.id == ref:
                return self.contributions.disabled_error(info.plugin, "rule set", ref)
        if self.broken_rule_sets:
            return self.broken_rule_sets[0]
        problem = tr("no rule set with id {id!r}; available: {ids}", id=ref, ids=known or tr("none"))
        hint = tr("pass a path with --rules (e.g. ./my-pack), or run `riskassess rules list`")
        return self.contributions.unavailable("rule set", ref, problem, hint=hint) or RuleSetError(problem, hint=hint)

    def _blame_disabled(self, exc: RuleSetError) -> PluginError | None:
        """The rule set needs an operator, scoring method or fact no working plugin provides: is it a disabled
        plugin's (or may it be)?"""
        text = exc.text
        if not isinstance(text, Text) or text.template not in _NEEDS or not self.contributions.broken:
            return None
        kind, param = _NEEDS[text.template]
        return self.contributions.unavailable(kind, str(text.params[param]), text, hint=exc.hint_text,
                                              source=exc.source, line=exc.line, field=exc.field)

    def rule_set(self, ref: str | Path | None = None) -> RuleSet:
        """Load (once) a rule set by id, or from a file or directory path.

        A string without a path separator or YAML suffix is an id, even if a folder of
        that name happens to exist in the working directory (write ``./name`` for the folder).
        """
        ref = ref if ref is not None else DEFAULT_RULE_SET
        path = Path(ref)
        if isinstance(ref, str) and not ("/" in ref or "\\" in ref or ref.endswith((".yaml", ".yml"))):
            known = {info.id: info for info in self.available_rule_sets()}
            if ref not in known:
                raise self._no_rule_set(ref, list(known))
            path = known[ref].path
        key = (path / RULESET_FILE if path.is_dir() else path).resolve()
        if key not in self._loaded:
            if key in self._loading:
                raise RuleSetError(tr("rule sets extend each other in a cycle"), source=str(path), field="extends")
            self._loading.add(key)
            try:
                rule_set = load_rule_set(path, self.contributions, self._parent)
                _check_scoring(rule_set)
                self._loaded[key] = rule_set
            except RuleSetError as exc:
                blamed = self._blame_disabled(exc)
                if blamed is None:
                    raise
                raise blamed from exc
            finally:
                self._loading.discard(key)
        return self._loaded[key]

    def _parent(self, ref: str, directory: Path) -> RuleSet:
        """Resolve ``extends: ref`` — an installed id, or a path relative to the extending file."""
        if "/" in ref or ref.endswith((".yaml", ".yml")) or ref.startswith("."):
            return self.rule_set(directory / ref)
        return self.rule_set(ref)

    def plugins_for(self, rule_set: RuleSet) -> tuple[dict[str, str], ...]:
        """The plugins an assessment under ``rule_set`` depends on (name and version), for its record.

        Only plugins that contribute to the result count — the one that provides the rule set and
        those whose operators, scoring methods, derived facts or fields it uses — so a record
        made where an unrelated plugin is installed verifies where it is not.
        """
        key = id(rule_set)
        if key not in self._plugins_for:
            names = set(rule_set.plugins_used)
            source = Path(rule_set.source).resolve()
            names |= {info.plugin for info in self.available_rule_sets() if info.path.resolve() == source}
            versions = {p.name: p.version for p in self.contributions.plugins}
            self._plugins_for[key] = tuple({"name": n, "version": versions.get(n, "?")} for n in sorted(names))
        return self._plugins_for[key]

    # -- questionnaires -----------------------------------------------------------------
    def read_questionnaire(self, path: Path, rule_set: RuleSet, *, max_bytes: int | None = None) -> Questionnaire:
        """Read and validate a questionnaire file against ``rule_set``'s fields."""
        kwargs = {"max_bytes": max_bytes} if max_bytes else {}
        return read_questionnaire(Path(path), rule_set.catalogue, factor_ids=frozenset(rule_set.factor_index),
                                  **kwargs)

    def questionnaire(self, data: Mapping[str, Any], rule_set: RuleSet, source: str = "<data>") -> Questionnaire:
        """Validate an in-memory questionnaire mapping against ``rule_set``'s fields."""
        return questionnaire_from_data(dict(data), rule_set.catalogue, source,
                                       factor_ids=frozenset(rule_set.factor_index))

    # -- evaluation -----------------------------------------------------------------
    def decide(self, rule_set: RuleSet, answers: Mapping[str, Any], source: str = "questionnaire") -> Outcome:
        """See :func:`decide`."""
        return decide(rule_set, answers, source)

    def assess(self, questionnaire: Questionnaire, rule_set: RuleSet, *, adjustments: AdjustmentsInput = None,
               as_of: _dt.date | str | None = None) -> Assessment:
        """Evaluate fully: grades, every factor with its condition-level trace, and the record.

        ``adjustments``: the assessment body's governed adjustments (a file path, a list of mappings or
        :class:`~riskassess.adjustments.Adjustments`), judged on ``as_of`` (a date or ``YYYY-MM-DD``;
        default today), which the record keeps.
        """
        governed = None
        if adjustments is not None:
            governed = Governed(load_adjustments(adjustments, rule_set), as_of_date(as_of))
        elif as_of is not None:
            raise InputError(tr("an as-of date judges when adjustments expire: give the adjustments too"),
                             hint=tr("--adjustments FILE"))
        hook = "riskassess_after_assessment"
        observers = [impl for impl in reversed(getattr(self.plugin_manager.hook, hook).get_hookimpls())  # pluggy's
                     if impl.plugin_name not in self.contributions.broken]  # order
        external = rule_set.runs_plugin_code or not all(is_builtin(impl.plugin_name) for impl in observers)
        with plugin_guard.watching(external):  # one alarm for every plugin call
            outcome = decide(rule_set, questionnaire.evaluation_answers, questionnaire.source,
                             approximate=questionnaire.approximate, adjust=governed.plan if governed else None)
            assessment = build_assessment(self, rule_set, questionnaire, outcome, governed)
            for impl in observers:  # each its own copy: what one changes, neither the record nor the next sees
                call_hookimpl(impl, hook, assessment=assessment.observer_copy())
        return assessment

    def evaluate(self, questionnaire: str | Path | Mapping[str, Any], rules: str | Path | None = None, *,
                 adjustments: AdjustmentsInput = None, as_of: _dt.date | str | None = None) -> Assessment:
        """Read (or take) a questionnaire, load the rule set and assess it (with governed ``adjustments``
        judged on ``as_of``: see :meth:`assess`)."""
        rule_set = self.rule_set(rules)
        if isinstance(questionnaire, Mapping):
            q = self.questionnaire(questionnaire, rule_set)
        else:
            q = self.read_questionnaire(Path(questionnaire), rule_set)
        return self.assess(q, rule_set, adjustments=adjustments, as_of=as_of)


def evaluate(questionnaire: str | Path | Mapping[str, Any], rules: str | Path | None = None, *,
             plugin_manager: pluggy.PluginManager | None = None, adjustments: AdjustmentsInput = None,
             as_of: _dt.date | str | None = None) -> Assessment:
    """Assess one questionnaire with a fresh :class:`Engine` (see :meth:`Engine.evaluate`)."""
    return Engine(plugin_manager).evaluate(questionnaire, rules, adjustments=adjustments, as_of=as_of)
