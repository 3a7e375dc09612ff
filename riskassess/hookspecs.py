"""The plugin contract: every hook riskassess calls, and the types plugins hand back.

Plugins are plain modules or objects with functions marked ``@hookimpl``; they
are found through the entry-point group ``riskassess`` (see
:func:`riskassess.plugins.build_plugin_manager`). Built-in features are plugins
too (``riskassess.builtin.*``) and go through exactly this door.

Contributions use a *register callback*: the engine passes ``register`` and the
plugin calls it once per thing it contributes. The engine owns storage, detects
duplicate names and attributes every error to the plugin that caused it.
Hooks are called once, when an :class:`~riskassess.engine.Engine` is built —
never per questionnaire or per condition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import pluggy

from .i18n import Text

if TYPE_CHECKING:
    from .assessment import Assessment

PROJECT = "riskassess"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: Version of this contract. Bumped on any incompatible change; a plugin may
#: check ``riskassess.hookspecs.CONTRACT_VERSION`` at import time.
CONTRACT_VERSION = 1


# --------------------------------------------------------------------------- types


@dataclass(frozen=True, slots=True)
class Label:
    """A user-facing text in Chinese and English."""

    zh: str
    en: str

    def __getitem__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True, slots=True)
class FactType:
    """What the questionnaire schema says about one fact (answer path).

    ``kind`` is one of ``integer``, ``number``, ``string``, ``boolean``, ``date``,
    ``array``; ``enum`` lists allowed strings (for arrays: allowed items).
    """

    kind: str
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True, slots=True)
class Operator:
    """A condition operator, used in rule sets as ``{fact: PATH, NAME: OPERAND}``.

    :param name: the key rule authors write (``gte``, ``in`` …).
    :param title: what it means, zh and en.
    :param test: ``test(actual, operand) -> bool``. ``actual`` is never ``None``
        unless ``reads_missing`` is set. Raising is an evaluation error, never false.
    :param check: ``check(fact_type, operand) -> message | None`` (a ``str``, or a
        :class:`~riskassess.i18n.Text` to be shown in the reader's language), run once at load
        time to refuse operands of the wrong type or shape. ``None`` accepts all.
    :param python_op: for operators that are exactly a Python comparison
        (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``not in``), the
        compiler inlines it instead of calling ``test``. ``test`` must agree.
    :param reads_missing: the operator asks about presence itself (``exists``):
        it is called with ``None`` for a missing answer and is never unknown.
    """

    name: str
    title: Label
    test: Callable[[Any, Any], bool]
    check: Callable[[FactType, Any], str | Text | None] | None = None
    python_op: str | None = None
    reads_missing: bool = False


class ScoredFactor(NamedTuple):
    """A factor that applies, as scoring methods see it.

    ``index`` is the factor's position in the rule set, ``probability`` and
    ``impact`` its levels (1–5), ``level`` the 0-based index of its risk level in
    :attr:`ScoringContext.levels` (from the rule set's matrix), ``points`` the
    points of the case taken (for point-table methods; ``None`` when the case
    gives none), after measures where this is the post-measure state.
    """

    index: int  # type: ignore[assignment]  # shadows tuple.index on purpose: it is the factor's index
    probability: int
    impact: int
    level: int
    points: Fraction | None = None


@dataclass(frozen=True)
class ScoringContext:
    """What a scoring method may know about the rule set it grades for."""

    rule_set_id: str
    grades: tuple[str, ...]
    """Grade ids, lowest risk first."""
    levels: tuple[str, ...]
    """Factor level ids from the matrix, lowest first."""
    factor_ids: tuple[str, ...]
    factor_weights: tuple[float | None, ...]
    """Each factor's declared ``weight`` (``None`` where not given)."""
    case_points: tuple[tuple[Fraction | None, ...], ...] = ()
    """Per factor, per case: the ``points`` the case declares (``None`` where not given)."""


@dataclass
class Derivation:
    """How a scoring method reached its grade, step by step (JSON-able values).

    ``warnings`` is the method's channel to the reader: each a ``Label`` (zh and en), shown in the
    terminal summary and the report and kept in the record (e.g. "weights add up to 1.01").

    Step kinds every output renders (``{"step": KIND, …}``):

    - ``index`` — the method's key number: ``value`` (and ``formula``); shown as ``R = value``;
    - ``total`` — points: ``value`` of ``of``;
    - ``band`` / ``rule`` — one test towards a grade: ``grade``, ``test`` (text), ``result`` (bool);
    - ``value`` — anything else worth reading: ``label`` ({zh, en}) and ``value`` (number, text, list or
      mapping), optionally ``dimension`` / ``group``; the report prints ``label: value``;
    - ``terms`` (per-factor contributions, shown as the factor tables) and ``thresholds_provenance``
      (``value``: status, source, documents) are kept in the record and not repeated in the appendix.

    Any other kind with a ``label`` and a ``value`` is rendered like ``value``. Numbers must be finite.
    """

    method: str
    grade: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Label] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "grade": self.grade, "steps": self.steps}
        if self.warnings:
            out["warnings"] = [w.as_dict() for w in self.warnings]
        return out


class MethodInputs(NamedTuple):
    """What a scoring method that declares ``reads`` is given besides the factors."""

    stage: str
    """``initial`` (before measures) or ``post_measure``: expert judgements may differ between them."""
    answers: Mapping[str, Any]
    """Each path the method reads → its answer (the engine refuses to grade when one is missing)."""


class PreparedScoring(Protocol):
    """A scoring method bound to its parameters; built once per rule set.

    The grade range (what the missing answers could still change) assumes the method is
    *monotone*: more factors, or higher levels, never give a lower grade. A method that is not
    says so with an attribute ``monotone = False``; its ranges are then marked as estimates.

    Optional attributes:

    - ``reads``: questionnaire paths (e.g. ``extensions.expert.memberships``) the method grades
      from besides the factors — one project's expert judgements, say. ``grade`` and ``derive``
      then take a second argument, :class:`MethodInputs`; the answers are validated by the
      questionnaire schema (a plugin adds its fields with ``riskassess_register_questionnaire_fields``),
      hashed into the record like every answer, and may differ before and after measures.
    - ``reads_if_answered``: paths used when answered (``None`` in ``MethodInputs`` otherwise), e.g.
      judgements re-made after the measures.
    - ``uses_factors = False``: the method grades from its inputs alone; a rule set whose methods
      all say so needs no factors.
    """

    def grade(self, factors: Sequence[ScoredFactor]) -> int:
        """The grade index (into ``ScoringContext.grades``) for these factors. Hot path."""
        ...

    def derive(self, factors: Sequence[ScoredFactor]) -> Derivation:
        """The same grade with every intermediate value, for the record."""
        ...


class ScoringMethod(Protocol):
    """A way to turn the applicable factors into an overall grade."""

    name: str
    title: Label

    def prepare(self, params: Mapping[str, Any], context: ScoringContext) -> PreparedScoring:
        """Check ``params`` and precompute. Raise :class:`ParameterError` on bad params."""
        ...


#: What a number in a rule pack may be: law, a secondary source, practitioner convention or the pack's own
#: judgement. Every scoring method's parameters carry one (``status``) and a zh/en ``source``.
PROVENANCE_STATUSES = ("verified_law", "secondary_source", "practitioner_convention", "pack_judgement")


class ParameterError(ValueError):
    """Raised by :meth:`ScoringMethod.prepare`; ``field`` is where inside params: a path tuple
    (``("membership", "fz.c4", "po")`` — keys may hold dots) or a dotted string (``bands[1].from``)."""

    def __init__(self, message: str | Text, field: str | tuple[str | int, ...] | None = None) -> None:
        super().__init__(str(message))
        self.text = message
        """The message as written: a :class:`~riskassess.i18n.Text` is shown in the reader's language."""
        self.field = field


@dataclass(frozen=True)
class DerivedFact:
    """A fact computed from answers (e.g. the survey opposition share).

    ``compute(questionnaire)`` returns the value or ``None`` when it cannot be
    computed (an input is missing); it must be pure and fast.
    """

    path: str
    type: FactType
    title: Label
    inputs: tuple[str, ...]
    compute: Callable[[Mapping[str, Any]], Any]
    formula: str


@dataclass(frozen=True)
class OutputFormat:
    """A way to write an assessment: ``--format NAME`` and ``--out FILE``."""

    name: str
    title: Label
    suffix: str
    render: Callable[[Mapping[str, Any], str], str | bytes]
    """``render(record, lang)`` → the document, text or bytes, made from the assessment record alone
    (so it can be made again from a stored record). ``lang`` is ``zh`` or ``en``."""


# --------------------------------------------------------------------------- hooks


class RiskAssessHooks:
    """Hook specifications. Every hook is called once per engine build."""

    @hookspec
    def riskassess_register_operators(self, register: Callable[[Operator], None]) -> None:
        """Contribute condition operators.

        :param register: call ``register(Operator(...))`` once per operator. A name
            already taken by another plugin is a :class:`~riskassess.errors.PluginError`.
        """

    @hookspec
    def riskassess_register_scoring_methods(self, register: Callable[[ScoringMethod], None]) -> None:
        """Contribute scoring methods, selected in a rule set by ``scoring.methods[].method``.

        :param register: call ``register(method)`` with an object following :class:`ScoringMethod`.
        """

    @hookspec
    def riskassess_register_output_formats(self, register: Callable[[OutputFormat], None]) -> None:
        """Contribute output formats for ``riskassess evaluate --format NAME``.

        :param register: call ``register(OutputFormat(...))`` once per format.
        """

    @hookspec
    def riskassess_register_rule_sets(self, register: Callable[[Path], None]) -> None:
        """Make rule sets available by id (``--rules ID``).

        :param register: call ``register(path)`` with a rule-set file, or a directory
            searched for ``*/ruleset.yaml`` and ``ruleset.yaml``.
        """

    @hookspec
    def riskassess_register_derived_facts(self, register: Callable[[DerivedFact], None]) -> None:
        """Contribute facts computed from answers, readable by conditions like any answer.

        :param register: call ``register(DerivedFact(...))``; its ``path`` must not
            clash with a questionnaire field.
        """

    @hookspec
    def riskassess_register_questionnaire_fields(
        self, register: Callable[[str, Mapping[str, Any]], None]
    ) -> None:
        """Add questionnaire fields of a plugin's own, under ``extensions.NAMESPACE``.

        :param register: call ``register(namespace, fields)`` where ``fields`` uses the
            field format of ``riskassess/schemas/questionnaire.fields.yaml``.
        """

    @hookspec
    def riskassess_after_assessment(self, assessment: Assessment) -> None:
        """Observe a finished assessment (export, metrics). The return value is ignored.

        Called by :meth:`riskassess.engine.Engine.assess` only, not by the bare
        hot-path ``decide``. ``assessment`` is a deep copy (its rule set excepted): changing it
        changes neither the assessment returned nor its record.
        """
