"""Built-in condition operators: eq, ne, gt, gte, lt, lte, in, not_in, between, exists, contains."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from ..hookspecs import FactType, Label, Operator, hookimpl
from ..i18n import Text, tr

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scalar_problem(ftype: FactType, value: Any) -> Text | None:
    """Why ``value`` cannot be compared for equality with a fact of ``ftype``, or None."""
    kind = ftype.kind
    if kind in ("integer", "number"):
        return None if _is_number(value) else tr("expected a number, got {value!r}", value=value)
    if kind == "boolean":
        return None if isinstance(value, bool) else tr("expected true or false, got {value!r}", value=value)
    if kind == "date":
        if isinstance(value, str) and _DATE.match(value):
            return None
        return tr("expected a YYYY-MM-DD date, got {value!r}", value=value)
    if kind == "string":
        if not isinstance(value, str):
            return tr("expected a string, got {value!r}", value=value)
        if ftype.enum is not None and value not in ftype.enum:
            return tr("{value!r} is not one of the field's values: {values}", value=value,
                              values=list(ftype.enum))
        return None
    return tr("cannot compare a {kind} field this way", kind=kind)


def _check_equal(ftype: FactType, operand: Any) -> Text | None:
    return _scalar_problem(ftype, operand)


def _check_order(ftype: FactType, operand: Any) -> Text | None:
    if ftype.kind in ("integer", "number"):
        return None if _is_number(operand) else tr("expected a number, got {value!r}", value=operand)
    if ftype.kind == "date":
        return _scalar_problem(ftype, operand)
    return tr("ordering comparisons need a number or date field, not a {kind} field", kind=ftype.kind)


def _check_list(ftype: FactType, operand: Any) -> Text | None:
    if not isinstance(operand, list) or not operand:
        return tr("expected a non-empty list of values")
    for item in operand:
        problem = _scalar_problem(ftype, item)
        if problem:
            return problem
    return None


def _check_between(ftype: FactType, operand: Any) -> Text | None:
    if not isinstance(operand, list) or len(operand) != 2:
        return tr("expected [low, high]")
    for item in operand:
        problem = _check_order(ftype, item)
        if problem:
            return problem
    if operand[0] > operand[1]:
        return tr("low {low!r} is above high {high!r}", low=operand[0], high=operand[1])
    return None


def _check_exists(ftype: FactType, operand: Any) -> Text | None:
    return None if isinstance(operand, bool) else tr("expected true or false")


def _check_contains(ftype: FactType, operand: Any) -> Text | None:
    if ftype.kind != "array":
        return tr("contains needs a list field, not a {kind} field", kind=ftype.kind)
    if ftype.enum is not None and operand not in ftype.enum:
        return tr("{value!r} is not one of the list's values: {values}", value=operand,
                          values=list(ftype.enum))
    return None


def _op(name: str, zh: str, en: str, test: Callable[[Any, Any], bool],
        check: Callable[[FactType, Any], Text | None], python_op: str | None = None,
        reads_missing: bool = False) -> Operator:
    return Operator(name, Label(zh, en), test, check, python_op, reads_missing)


OPERATORS = (
    _op("eq", "等于", "equals", lambda a, b: a is b if isinstance(b, bool) else a == b, _check_equal, "=="),
    _op("ne", "不等于", "does not equal", lambda a, b: a is not b if isinstance(b, bool) else a != b, _check_equal,
        "!="),
    _op("gt", "大于", "is greater than", operator.gt, _check_order, ">"),
    _op("gte", "大于或等于", "is at least", operator.ge, _check_order, ">="),
    _op("lt", "小于", "is less than", operator.lt, _check_order, "<"),
    _op("lte", "小于或等于", "is at most", operator.le, _check_order, "<="),
    _op("in", "属于", "is one of", lambda a, b: a in b, _check_list, "in"),
    _op("not_in", "不属于", "is none of", lambda a, b: a not in b, _check_list, "not in"),
    _op("between", "介于（含两端）", "is between (inclusive)", lambda a, b: b[0] <= a <= b[1], _check_between,
        "between"),
    _op("exists", "已填写", "is answered", lambda a, b: (a is not None) == b, _check_exists, None, True),
    _op("contains", "包含", "includes", lambda a, b: b in a, _check_contains),
)


@hookimpl
def riskassess_register_operators(register: Callable[[Operator], None]) -> None:
    for op in OPERATORS:
        register(op)
