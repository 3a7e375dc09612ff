"""Approximate answers: a number known only roughly (``{at_least: 1000}``, ``{between: [2000, 3000]}``).

The questionnaire keeps them as written (so they are hashed and shown as given); evaluation
reads them as :class:`Interval`. A comparison on an interval is three-valued: true when it holds
for every value in the interval, false when for none, unknown otherwise — the same unknown the
rest of the engine already treats, so the grade range covers every value the owner allowed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import InputError, RiskAssessError
from .i18n import Text, tr
from .schema_problems import TYPE_WORDS, describe_value
from .yamlfile import YamlDocument, dotted

if TYPE_CHECKING:
    from .questionnaire import FieldCatalogue, FieldSpec

#: Keys of an approximate numeric answer: ``{at_least: 1000}``, ``{at_most: 50}``, ``{between: [a, b]}``.
APPROXIMATE_KEYS = ("at_least", "at_most", "between")


@dataclass(frozen=True, slots=True)
class Interval:
    """Closed interval; ``None`` is an open end."""

    low: float | None
    high: float | None

    @classmethod
    def of(cls, answer: Mapping[str, Any]) -> Interval:
        if "between" in answer:
            low, high = answer["between"]
            return cls(low, high)
        return cls(answer.get("at_least"), answer.get("at_most"))

    def contains(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def exact(self) -> float | None:
        return self.low if self.low is not None and self.low == self.high else None

    def as_answer(self) -> dict[str, Any]:
        if self.low is not None and self.high is not None:
            return {"between": [self.low, self.high]}
        return {"at_least": self.low} if self.low is not None else {"at_most": self.high}

    def __truediv__(self, other: Any) -> Interval:
        return divide(self, other)

    def __rtruediv__(self, other: Any) -> Interval:
        return divide(other, self)


def _bounds(value: Any) -> tuple[float | None, float | None]:
    return (value.low, value.high) if isinstance(value, Interval) else (value, value)


def divide(top: Any, bottom: Any) -> Any:
    """``top / bottom`` for non-negative numbers or intervals (a questionnaire's counts and populations)."""
    if not isinstance(top, Interval) and not isinstance(bottom, Interval):
        return top / bottom
    t_low, t_high = _bounds(top)
    b_low, b_high = _bounds(bottom)
    low = (t_low or 0) / b_high if b_high else 0
    high = None if t_high is None or not b_low else t_high / b_low
    return Interval(low, high)


def clip(value: Any, high: float) -> Any:
    """``min(value, high)`` for a number or an interval."""
    if not isinstance(value, Interval):
        return min(value, high)
    return Interval(None if value.low is None else min(value.low, high),
                    high if value.high is None else min(value.high, high))


def add(a: Any, b: Any) -> Any:
    if not isinstance(a, Interval) and not isinstance(b, Interval):
        return a + b
    (a_low, a_high), (b_low, b_high) = _bounds(a), _bounds(b)
    return Interval(None if a_low is None or b_low is None else a_low + b_low,
                    None if a_high is None or b_high is None else a_high + b_high)


def compare(python_op: str | None, value: Interval, operand: Any) -> bool | None:
    """A built-in comparison over every value of ``value``: true, false, or unknown."""
    low, high = value.low, value.high
    if python_op == "between":
        a, b = operand
        return _both(_ge(low, a) and _le(high, b), _lt(high, a) or _gt(low, b))
    if python_op in ("in", "not in"):
        exact = value.exact()
        hit: bool | None
        if exact is not None:
            hit = exact in operand
        else:
            hit = None if any(isinstance(v, (int, float)) and value.contains(v) for v in operand) else False
        return hit if python_op == "in" or hit is None else not hit
    if python_op in ("==", "!="):
        if low is not None and low == high:
            same: bool | None = low == operand
        else:
            same = None if value.contains(operand) else False
        return same if python_op == "==" or same is None else not same
    tests = {"<": (_lt(high, operand), _ge(low, operand)), "<=": (_le(high, operand), _gt(low, operand)),
             ">": (_gt(low, operand), _le(high, operand)), ">=": (_ge(low, operand), _lt(high, operand))}
    if python_op in tests:
        return _both(*tests[python_op])
    return None  # an operator that knows nothing of intervals: unknown, never a guess


def _both(true: bool, false: bool) -> bool | None:
    return True if true else (False if false else None)


def _lt(bound: float | None, x: float) -> bool:
    return bound is not None and bound < x


def _le(bound: float | None, x: float) -> bool:
    return bound is not None and bound <= x


def _gt(bound: float | None, x: float) -> bool:
    return bound is not None and bound > x


def _ge(bound: float | None, x: float) -> bool:
    return bound is not None and bound >= x


def describe(value: Any) -> str | None:
    """An approximate answer as people write it (``≥ 1000``, ``≤ 50``, ``2000–3000``); None if it is not one."""
    if not is_approximate(value):
        return None
    key, bound = next(iter(value.items()))
    if key == "between":
        return f"{bound[0]}–{bound[1]}" if isinstance(bound, list) and len(bound) == 2 else str(bound)
    return f"≥ {bound}" if key == "at_least" else f"≤ {bound}"


def is_approximate(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in APPROXIMATE_KEYS


def for_evaluation(answers: dict[str, Any]) -> dict[str, Any]:
    """``answers`` with every approximate answer as an :class:`Interval` (the same object if there is none)."""
    changed = False

    def walk(node: Any) -> Any:
        nonlocal changed
        if is_approximate(node):
            changed = True
            return Interval.of(node)
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        return node

    out = {k: walk(v) if k not in ("measures", "evidence") else v for k, v in answers.items()}
    return out if changed else answers


# ---------------------------------------------------------------------------- validation


def take_apart(data: dict[str, Any], doc: YamlDocument, catalogue: FieldCatalogue
                            ) -> tuple[dict[str, Any], list[RiskAssessError]]:
    """``data`` with each approximate number replaced by its lower bound (so the schema checks the field
    as a number), and the problems of the approximate answers themselves."""
    problems: list[RiskAssessError] = []

    def fail(message: Text, path: tuple[str | int, ...], hint: Text | None = None) -> None:
        problems.append(InputError(message, source=doc.source, line=doc.line_of(path), field=dotted(path), hint=hint))

    def walk_(node: Any, path: tuple[str | int, ...]) -> Any:
        if isinstance(node, dict):
            spec = catalogue.field_at(dotted(path)) if path and path[0] not in ("measures", "evidence") else None
            if spec is not None and spec.kind in ("integer", "number"):
                if not node or not set(node) <= set(APPROXIMATE_KEYS):
                    fail(tr("expected a number or an approximate answer, got keys {keys}", keys=[str(k) for k in node]),
                         path, tr("write {{at_least: N}}, {{at_most: N}} or {{between: [LOW, HIGH]}}, or ~ for "
                                  "unknown"))
                    return None
                return _approximate_value(node, path, spec, fail)
            return {k: walk_(v, (*path, k)) for k, v in node.items()}
        return node

    return walk_(data, ()), problems


def _approximate_value(node: dict[str, Any], path: tuple[str | int, ...], spec: FieldSpec, fail: Any) -> Any:
    """Check ``{at_least|at_most|between}`` on a numeric field; the value the schema sees in its place."""
    hint = tr("write {{at_least: N}}, {{at_most: N}} or {{between: [LOW, HIGH]}}")
    if len(node) != 1:
        fail(tr("an approximate answer takes one of {keys}, got {given}", keys=APPROXIMATE_KEYS,
                given=[str(k) for k in node]), path, hint)
        return None
    key, value = next(iter(node.items()))
    bounds = value if key == "between" else [value]
    if key == "between" and (not isinstance(value, list) or len(value) != 2):
        fail(tr("between needs two numbers: [LOW, HIGH]"), (*path, key), hint)
        return None
    ok = int if spec.kind == "integer" else (int, float)
    for b in bounds:
        if isinstance(b, bool) or not isinstance(b, ok) or (isinstance(b, float) and not math.isfinite(b)):
            fail(tr("expected {want}, got {got}", want=TYPE_WORDS[spec.kind], got=describe_value(b)), (*path, key),
                 hint)
            return None
        if (spec.minimum is not None and b < spec.minimum) or (spec.maximum is not None and b > spec.maximum):
            limits = f"{spec.minimum if spec.minimum is not None else '−∞'}–" \
                     f"{spec.maximum if spec.maximum is not None else '∞'}"
            fail(tr("{value} is outside {limits}", value=b, limits=limits), (*path, key))
            return None
    if key == "between" and bounds[0] > bounds[1]:
        fail(tr("between [{low}, {high}]: the first bound is larger than the second", low=bounds[0], high=bounds[1]),
             (*path, key), tr("write the smaller number first"))
        return None
    return bounds[0]
