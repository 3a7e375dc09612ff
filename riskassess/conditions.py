"""The condition language: parsing, checking and interpreting ``when`` trees.

A condition is ``{all: [...]}``, ``{any: [...]}``, ``{not: ...}`` or a leaf
``{fact: PATH, OPERATOR: OPERAND}`` (optionally ``missing: unknown|false|true``).
Logic is three-valued (Kleene): a leaf whose answer is missing is *unknown*
(``None``) unless its ``missing`` policy says otherwise; an approximate answer is
unknown where its interval straddles the operand.

Conditions are compiled into Python functions by :mod:`riskassess.compiler`. Here
:func:`evaluate_leaf` re-runs single leaves to pinpoint a failing condition;
:meth:`Node.evaluate` (declared policies) and :func:`evaluate_open` (every missing
answer unknown) interpret whole trees with the same semantics and are the oracle
the compiled code is tested against.
"""

from __future__ import annotations

import ast
import types
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .approximate import Interval, compare
from .errors import EvaluationError, PluginError, RuleSetError
from .hookspecs import FactType, Operator
from .i18n import Text, tr
from .pack_limits import MAX_CONDITION_LEAVES, condition_too_big
from .suggestions import closest
from .yamlfile import Path_, YamlDocument, dotted

if TYPE_CHECKING:
    from .compiler import Rule

MISSING_POLICIES = ("unknown", "false", "true")
#: How a three-valued outcome is written in records and reports.
OUTCOME_TEXT: dict[bool | None, str] = {True: "true", False: "false", None: "unknown"}
MAX_CONDITION_PATH = 48  # path elements: about 20 levels of all/any/not
_INLINE = {
    "==": ast.Eq, "!=": ast.NotEq, "<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE,
    "in": ast.In, "not in": ast.NotIn,
}
_EMPTY: Mapping[str, Any] = types.MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Leaf:
    """One comparison: ``fact`` ``op`` ``operand``."""

    index: int
    fact: str
    op: str
    operand: Any
    missing: str
    threshold: str | None = None
    line: int | None = None
    label: str | None = None
    status: str | None = None
    """Provenance of a numeric operand: the named threshold's status, or the rule set's ``literal_status``."""

    def describe(self) -> str:
        operand = f"{self.threshold}={self.operand!r}" if self.threshold else repr(self.operand)
        return f"{self.fact} {self.op} {operand}"


@dataclass(frozen=True, slots=True)
class Node:
    """A condition tree node: ``kind`` is ``leaf``, ``all``, ``any`` or ``not``."""

    kind: str
    children: tuple[Node, ...] = ()
    leaf: Leaf | None = None
    line: int | None = None

    def leaves(self) -> list[Leaf]:
        if self.leaf is not None:
            return [self.leaf]
        return [leaf for child in self.children for leaf in child.leaves()]

    def evaluate(self, facts: Mapping[str, Any], operators: Mapping[str, Operator]) -> bool | None:
        """Interpret this node over ``facts`` (path → value, absent = missing)."""
        if self.leaf is not None:
            return evaluate_leaf(self.leaf, facts.get(self.leaf.fact), operators)
        values = [c.evaluate(facts, operators) for c in self.children]
        if self.kind == "not":
            return None if values[0] is None else not values[0]
        if self.kind == "all":
            return False if False in values else (None if None in values else True)
        return True if True in values else (None if None in values else False)


def evaluate_open(node: Node, facts: Mapping[str, Any], operators: Mapping[str, Operator]) -> bool | None:
    """Interpret ``node`` in the open world: a missing answer is unknown whatever the leaf's policy."""
    if node.leaf is not None:
        actual = facts.get(node.leaf.fact)
        if actual is None:
            return None
        op = operators[node.leaf.op]
        if type(actual) is Interval:
            return compare(op.python_op, actual, node.leaf.operand)
        return checked_test(op)(actual, node.leaf.operand)
    values = [evaluate_open(c, facts, operators) for c in node.children]
    if node.kind == "not":
        return None if values[0] is None else not values[0]
    if node.kind == "all":
        return False if False in values else (None if None in values else True)
    return True if True in values else (None if None in values else False)


def evaluate_leaf(leaf: Leaf, actual: Any, operators: Mapping[str, Operator]) -> bool | None:
    op = operators[leaf.op]
    if actual is None and not op.reads_missing:
        return {"unknown": None, "false": False, "true": True}[leaf.missing]
    if type(actual) is Interval:
        return compare(op.python_op, actual, leaf.operand)
    return checked_test(op)(actual, leaf.operand)


def checked_test(op: Operator) -> Callable[[Any, Any], bool]:
    """``op.test`` guarded so a plugin that raises or returns a non-bool is reported, not trusted."""
    test = op.test

    def run(actual: Any, operand: Any) -> bool:
        try:
            result = test(actual, operand)
        except PluginError:
            raise  # it ran past its time budget, or tried to exit: named already
        except Exception as exc:
            raise OperatorFailure(op.name, actual, operand, f"{type(exc).__name__}: {exc}") from exc
        if result is True or result is False:
            return result
        raise OperatorFailure(op.name, actual, operand, tr("returned {value!r}, not true/false", value=result))

    return run


class OperatorFailure(Exception):
    """Raised inside compiled code; the engine turns it into a located error."""

    def __init__(self, op: str, actual: Any, operand: Any, problem: str | Text) -> None:
        super().__init__(str(problem))
        self.op, self.actual, self.operand, self.problem = op, actual, operand, problem


# ----------------------------------------------------------------------------- parsing


@dataclass
class ConditionParser:
    """Checks raw ``when`` trees against operators, fact types and thresholds."""

    operators: Mapping[str, Operator]
    fact_type: Callable[[str], FactType | None]
    suggest_fact: Callable[[str], str | None]
    thresholds: Mapping[str, Any]
    doc: YamlDocument
    default_missing: str = "unknown"
    threshold_status: Mapping[str, str] = field(default_factory=dict)
    literal_status: str | None = None
    leaves: list[Leaf] = field(default_factory=list)
    _leaf_budget: int = 0
    _condition_path: Path_ = ()

    def fail(self, message: Text, path: Path_, hint: Text | None = None) -> RuleSetError:
        return RuleSetError(message, source=self.doc.source_of(path), line=self.doc.line_of(path),
                            field=dotted(path), hint=hint)

    def parse(self, raw: Any, path: Path_) -> Node:
        """One whole condition (a ``when`` or ``applies_when``), at most :data:`MAX_CONDITION_LEAVES` leaves."""
        self._leaf_budget = len(self.leaves) + MAX_CONDITION_LEAVES
        self._condition_path = path
        return self._parse(raw, path)

    def _parse(self, raw: Any, path: Path_) -> Node:
        line = self.doc.line_of(path)
        if len(path) > MAX_CONDITION_PATH:
            raise self.fail(tr("condition nested too deeply"), path, tr("split it into cases or simplify it"))
        if not isinstance(raw, dict) or not raw:
            raise self.fail(tr("a condition must be a mapping such as {{fact: land.households_relocated, gte: 200}}"),
                            path)
        for key in ("all", "any"):
            if key in raw:
                if len(raw) != 1:
                    raise self.fail(tr("{key!r} cannot be combined with other keys {others!r}", key=key,
                                       others=sorted(set(raw) - {key})), path)
                items = raw[key]
                if not isinstance(items, list) or not items:
                    raise self.fail(tr("{key!r} needs a non-empty list of conditions", key=key), (*path, key))
                kids = tuple(self._parse(item, (*path, key, i)) for i, item in enumerate(items))
                return Node(key, kids, line=line)
        if "not" in raw:
            if len(raw) != 1:
                raise self.fail(tr("{key!r} cannot be combined with other keys {others!r}", key="not",
                                   others=sorted(set(raw) - {"not"})), path)
            return Node("not", (self._parse(raw["not"], (*path, "not")),), line=line)
        if "fact" in raw:
            return Node("leaf", leaf=self._leaf(raw, path), line=line)
        raise self.fail(tr("not a condition: expected all, any, not or fact, got keys {keys!r}", keys=sorted(raw)),
                        path)

    def _leaf(self, raw: dict[str, Any], path: Path_) -> Leaf:
        if len(self.leaves) >= self._leaf_budget:
            raise condition_too_big(self.doc, self._condition_path)
        fact = raw["fact"]
        if not isinstance(fact, str):
            raise self.fail(tr("fact must be a dotted answer path"), (*path, "fact"))
        ftype = self.fact_type(fact)
        if ftype is None:
            close = self.suggest_fact(fact)
            raise self.fail(tr("unknown fact {fact!r}: the questionnaire has no such field", fact=fact),
                            (*path, "fact"),
                            tr("did you mean {name!r}?", name=close) if close else
                            tr("see `riskassess schema {which}`", which="questionnaire"))
        missing = raw.get("missing", self.default_missing)
        if missing is False or missing is True:  # YAML reads `missing: false` as a boolean
            missing = str(missing).lower()
        if missing not in MISSING_POLICIES:
            raise self.fail(tr("missing must be one of {policies}, got {missing!r}", policies=MISSING_POLICIES,
                               missing=missing), (*path, "missing"))
        label = raw.get("label")
        ops = [k for k in raw if k not in ("fact", "missing", "label")]
        if len(ops) != 1:
            raise self.fail(tr("a leaf needs exactly one operator, got {operators!r}", operators=ops) if ops else
                            tr("a leaf needs exactly one operator, got none"), path,
                            tr("operators: {names}", names=sorted(self.operators)))
        name = ops[0]
        op = self.operators.get(name)
        if op is None:
            near = closest(name, self.operators, cutoff=0.5)
            raise self.fail(tr("unknown operator {name!r}", name=name), (*path, name),
                            tr("did you mean {name!r}? run `riskassess plugins list` to see the operators",
                               name=near) if near else
                            tr("run `riskassess plugins list` to see the operators"))
        operand = raw[name]
        threshold = None
        if isinstance(operand, dict) and set(operand) == {"threshold"}:
            threshold = operand["threshold"]
            if not isinstance(threshold, str) or threshold not in self.thresholds:  # `{threshold: [a]}` too
                near = closest(str(threshold), self.thresholds, cutoff=0.5)
                raise self.fail(tr("unknown threshold {name!r}", name=threshold), (*path, name),
                                tr("did you mean {name!r}?", name=near) if near else
                                tr("declare it under thresholds:"))
            operand = self.thresholds[threshold]
        if op.check is not None:
            try:
                problem = op.check(ftype, operand)
            except PluginError as exc:  # it ran past its time budget, or tried to exit: named, to be located
                exc.source, exc.line = self.doc.source_of((*path, name)), self.doc.line_of((*path, name))
                raise
            except Exception as exc:
                raise PluginError(tr("operator {name!r} failed to check its operand {operand!r}: {error}", name=name,
                                     operand=operand, error=f"{type(exc).__name__}: {exc}"),
                                  source=self.doc.source_of((*path, name)), line=self.doc.line_of((*path, name)),
                                  field=dotted((*path, name))) from exc
            if problem:
                raise self.fail(tr("{operator} on {fact} ({type}): {problem}", operator=name, fact=fact,
                                   type=_type_name(ftype), problem=problem), (*path, name))
        if isinstance(operand, list):
            operand = tuple(operand)
        numeric = any(isinstance(v, (int, float)) and not isinstance(v, bool)
                      for v in (operand if isinstance(operand, tuple) else (operand,)))
        status = (self.threshold_status.get(threshold) if threshold else self.literal_status) if numeric else None
        leaf = Leaf(len(self.leaves), fact, name, operand, missing, threshold, self.doc.line_of((*path, name)),
                    label if isinstance(label, str) else None, status)
        self.leaves.append(leaf)
        return leaf


def _type_name(ftype: FactType) -> str | Text:
    return tr("{kind} of {values!r}", kind=ftype.kind, values=list(ftype.enum)) \
        if ftype.enum and ftype.kind != "string" else ftype.kind


def locate_failure(rules: Sequence[Rule], facts: Mapping[str, Any], operators: Mapping[str, Operator],
                   rule_ids: Sequence[str], source: str, builtin: frozenset[str] = frozenset(),
                   derived: Mapping[str, str] | None = None) -> EvaluationError | PluginError:
    """Re-run the interpreter leaf by leaf to name the condition that failed.

    A built-in operator only fails on answers of the wrong type (input that skipped
    validation); a plugin operator failing is the plugin's fault.
    """
    for rule, rid in zip(rules, rule_ids, strict=True):
        for k, case in enumerate(rule.cases):
            for leaf in case.leaves():
                try:
                    evaluate_leaf(leaf, facts.get(leaf.fact), operators)
                except OperatorFailure as exc:
                    if derived and leaf.fact in derived:
                        return PluginError(
                            tr("derived fact {fact} (plugin {plugin!r}) gave {value!r} ({type}), which {operator} "
                               "cannot compare: {problem}", fact=leaf.fact, plugin=derived[leaf.fact],
                               value=exc.actual, type=type(exc.actual).__name__, operator=leaf.op,
                               problem=exc.problem),
                            source=source, line=leaf.line, field=f"{rid} case {k + 1}",
                            hint=tr("fix or disable the plugin that provides the derived fact"))
                    if leaf.op in builtin:
                        return EvaluationError(
                            tr("cannot evaluate {condition}: {fact} = {value!r} ({type}): {problem}",
                               condition=leaf.describe(), fact=leaf.fact, value=exc.actual,
                               type=type(exc.actual).__name__, problem=exc.problem),
                            source=source, line=leaf.line, field=f"{rid} case {k + 1}",
                            hint=tr("validate answers first (Engine.questionnaire) so types are checked"))
                    return PluginError(tr("operator {name!r} failed on {fact} = {value!r} (operand {operand!r}): "
                                          "{problem}", name=exc.op, fact=leaf.fact, value=exc.actual,
                                          operand=exc.operand, problem=exc.problem),
                                       source=source, line=leaf.line, field=f"{rid} case {k + 1}",
                                       hint=tr("the condition is an error, not false; fix or disable the plugin"))
                except Exception as exc:  # a type the checks did not foresee
                    return EvaluationError(tr("cannot evaluate {condition} with {fact} = {value!r}: {error}",
                                              condition=leaf.describe(), fact=leaf.fact, value=facts.get(leaf.fact),
                                              error=exc), source=source, line=leaf.line,
                                           field=f"{rid} case {k + 1}")
    return EvaluationError(tr("evaluation failed but no single condition could be blamed"), source=source)
