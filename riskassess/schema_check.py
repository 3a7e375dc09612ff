"""A JSON Schema compiled once into a yes/no check, so valid answers do not pay for jsonschema.

jsonschema stays the authority: it explains every problem (field, line, message) and is asked
whenever this check says no. The check only needs to be exact in one direction — it must never say
yes to what jsonschema refuses — and tests/test_schema_check.py holds it to exact agreement on
hostile mutations of every example. A schema using any keyword outside the subset below compiles to
``None``, and then jsonschema validates alone: slower, never wrong.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

# Keywords that say nothing about validity.
_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "$schema", "$id", "$comment",
                          "deprecated", "readOnly", "writeOnly", "enumDescriptions", "markdownDescription"})


class _Unsupported(Exception):
    """The schema uses something this compiler does not know: leave it to jsonschema."""


def compile_check(schema: Mapping[str, Any], conforms: Callable[[Any, str], bool]) -> Check | None:
    """A predicate equivalent to ``not any(validator.iter_errors(x))``, or ``None`` if the schema is
    outside the supported subset. ``conforms(value, format)`` is the validator's format checker."""
    try:
        return _compile(schema, conforms)
    except _Unsupported:
        return None


def inline_refs(schema: Mapping[str, Any]) -> Any:
    """``schema`` with each local ``{"$ref": "#/$defs/NAME"}`` replaced by ``{"allOf": [the definition]}`` (what
    the reference means in JSON Schema 2020-12), so that :func:`compile_check` can compile it. A reference
    that is not local, or that refers back to itself, is left as it is (and the schema then stays jsonschema's).
    """
    defs = schema.get("$defs") or {}

    def inline(node: Any, active: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(v, active) for v in node]
        if not isinstance(node, Mapping):
            return node
        out = {k: inline(v, active) for k, v in node.items() if k not in ("$ref", "$defs")}
        ref = node.get("$ref")
        if ref is None:
            return out
        name = ref.removeprefix("#/$defs/") if isinstance(ref, str) else None
        if name is None or name == ref or name not in defs or name in active:
            return dict(node)  # kept: compile_check leaves such a schema to jsonschema
        out["allOf"] = [*out.get("allOf", []), inline(defs[name], (*active, name))]
        return out

    return inline(schema, ())


def _compile(schema: Any, conforms: Callable[[Any, str], bool]) -> Check:
    if schema is True or schema == {}:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, Mapping):
        raise _Unsupported
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS or keyword.startswith("x-"):
            continue
        make = _KEYWORDS.get(keyword)
        if make is None:
            raise _Unsupported
        checks.append(make(value, schema, conforms))
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    return lambda x: all(check(x) for check in checks)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # as jsonschema's FORMAT_CHECKER reads "date"


def standard_format(value: Any, name: str) -> bool:
    """``value`` conforms to format ``name`` as jsonschema's ``FORMAT_CHECKER`` judges it: ``date`` here (it is
    the one format our schemas use, and this spares importing jsonschema), any other by jsonschema itself."""
    if name == "date":
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            return not isinstance(value, str)
        try:
            return bool(_dt.date.fromisoformat(value))
        except ValueError:
            return False
    import jsonschema
    return bool(jsonschema.Draft202012Validator.FORMAT_CHECKER.conforms(value, name))


def _always(_: Any) -> bool:
    return True


def _never(_: Any) -> bool:
    return False


# ------------------------------------------------------------------------------------ types


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _is_integer(x: Any) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "number": _is_number,
    "integer": _is_integer,
}


def _type(value: Any, *_: Any) -> Check:
    names = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(n, str) and n in _TYPES for n in names):
        raise _Unsupported
    tests = [_TYPES[n] for n in names]
    if len(tests) == 1:
        return tests[0]
    return lambda x: any(test(x) for test in tests)


def same(a: Any, b: Any) -> bool:
    """JSON equality as JSON Schema means it: ``true`` is not ``1``, ``1`` is ``1.0``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    return a is None and b is None


# ------------------------------------------------------------------------------------ keywords


def _enum(value: Any, *_: Any) -> Check:
    options = list(value)
    if all(isinstance(o, str) for o in options):
        strings = frozenset(options)
        return lambda x: isinstance(x, str) and x in strings
    return lambda x: any(same(x, o) for o in options)


def _const(value: Any, *_: Any) -> Check:
    return lambda x: same(x, value)


def _bound(test: Callable[[Any, Any], bool]) -> Callable[..., Check]:
    def make(limit: Any, *_: Any) -> Check:
        if not _is_number(limit):
            raise _Unsupported
        return lambda x: not _is_number(x) or test(x, limit)
    return make


Sized = type[str] | type[list[Any]] | type[dict[str, Any]]


def _length(kind: Sized, test: Callable[[int, int], bool]) -> Callable[..., Check]:
    def make(limit: Any, *_: Any) -> Check:
        if not isinstance(limit, int) or isinstance(limit, bool):
            raise _Unsupported
        return lambda x: not isinstance(x, kind) or test(len(x), limit)
    return make


def _pattern(value: Any, *_: Any) -> Check:
    found = re.compile(value).search
    return lambda x: not isinstance(x, str) or found(x) is not None


def _format(value: Any, _schema: Any, conforms: Callable[[Any, str], bool]) -> Check:
    return lambda x: conforms(x, value)


def _required(value: Any, *_: Any) -> Check:
    names = tuple(value)
    return lambda x: not isinstance(x, dict) or all(n in x for n in names)


def _properties(value: Any, _schema: Any, conforms: Callable[[Any, str], bool]) -> Check:
    checks = {name: _compile(sub, conforms) for name, sub in value.items()}

    def check(x: Any) -> bool:
        if not isinstance(x, dict):
            return True
        for name, item in x.items():
            sub = checks.get(name)
            if sub is not None and not sub(item):
                return False
        return True
    return check


def _additional(value: Any, schema: Mapping[str, Any], conforms: Callable[[Any, str], bool]) -> Check:
    if "patternProperties" in schema:
        raise _Unsupported
    known = frozenset(schema.get("properties", {}))
    if value is False:
        return lambda x: not isinstance(x, dict) or known.issuperset(x)
    sub = _compile(value, conforms)
    return lambda x: not isinstance(x, dict) or all(sub(v) for k, v in x.items() if k not in known)


def _property_names(value: Any, _schema: Any, conforms: Callable[[Any, str], bool]) -> Check:
    sub = _compile(value, conforms)
    return lambda x: not isinstance(x, dict) or all(sub(k) for k in x)


def _items(value: Any, schema: Mapping[str, Any], conforms: Callable[[Any, str], bool]) -> Check:
    if "prefixItems" in schema or not isinstance(value, (Mapping, bool)):
        raise _Unsupported
    sub = _compile(value, conforms)
    return lambda x: not isinstance(x, list) or all(sub(v) for v in x)


def _unique(value: Any, *_: Any) -> Check:
    if value is not True:
        return _always

    def check(x: Any) -> bool:
        if not isinstance(x, list):
            return True
        if all(type(v) is str for v in x):  # a text equals only the same text: linear, not pair by pair
            return len(set(x)) == len(x)
        return not any(same(x[i], x[j]) for i in range(len(x)) for j in range(i + 1, len(x)))
    return check


def _all_of(value: Any, _schema: Any, conforms: Callable[[Any, str], bool]) -> Check:
    subs = [_compile(s, conforms) for s in value]
    return lambda x: all(sub(x) for sub in subs)


def _any_of(value: Any, _schema: Any, conforms: Callable[[Any, str], bool]) -> Check:
    subs = [_compile(s, conforms) for s in value]
    return lambda x: any(sub(x) for sub in subs)


def _one_of(value: Any, _schema: Any, conforms: Callable[[Any, str], bool]) -> Check:
    subs = [_compile(s, conforms) for s in value]
    return lambda x: sum(1 for sub in subs if sub(x)) == 1


def _not(value: Any, _schema: Any, conforms: Callable[[Any, str], bool]) -> Check:
    sub = _compile(value, conforms)
    return lambda x: not sub(x)


_KEYWORDS: dict[str, Callable[[Any, Mapping[str, Any], Callable[[Any, str], bool]], Check]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "minimum": _bound(lambda x, m: x >= m),
    "maximum": _bound(lambda x, m: x <= m),
    "exclusiveMinimum": _bound(lambda x, m: x > m),
    "exclusiveMaximum": _bound(lambda x, m: x < m),
    "minLength": _length(str, lambda n, m: n >= m),
    "maxLength": _length(str, lambda n, m: n <= m),
    "minItems": _length(list, lambda n, m: n >= m),
    "maxItems": _length(list, lambda n, m: n <= m),
    "minProperties": _length(dict, lambda n, m: n >= m),
    "maxProperties": _length(dict, lambda n, m: n <= m),
    "pattern": _pattern,
    "format": _format,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "propertyNames": _property_names,
    "items": _items,
    "uniqueItems": _unique,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
}
