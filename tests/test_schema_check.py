"""The compiled schema check (issue 9: validation no longer the dominant cost) must agree with jsonschema.

It may never say yes where jsonschema says no — a questionnaire would then pass with a wrong type —
so it is held to exact agreement: on random schemas of every keyword it compiles against random values
(booleans against integers, 1 against 1.0, duplicates, formats…), and on every shipped catalogue
(national, Jiangsu, the expert plugin's) against hostile edits of real answers.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskassess.schema_check import compile_check

from .conftest import EXAMPLES

VALIDATOR = jsonschema.Draft202012Validator
CONFORMS = VALIDATOR.FORMAT_CHECKER.conforms


def jsonschema_says_valid(schema: dict[str, Any], value: Any) -> bool:
    return not any(VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER).iter_errors(value))


# ------------------------------------------------------------------------------------------ values

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, 1.0, 1.5, -2.5, 2**60]),
                    st.sampled_from(["", "a", "ab", "2024-05-01", "2024-13-45", "低", "x1"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), inner, max_size=3)),
    max_leaves=8)

# ------------------------------------------------------------------------------------------ schemas

TYPES = st.sampled_from(["object", "array", "string", "boolean", "null", "number", "integer"])
LEAF_SCHEMAS = st.one_of(
    st.builds(lambda t: {"type": t}, TYPES),
    st.builds(lambda ts: {"type": ts}, st.lists(TYPES, min_size=1, max_size=3, unique=True)),
    st.builds(lambda e: {"enum": e}, st.lists(SCALARS, min_size=1, max_size=4)),
    st.builds(lambda c: {"const": c}, SCALARS),
    st.builds(lambda k, n: {k: n}, st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
              st.sampled_from([0, 1, 1.5, -1])),
    st.builds(lambda k, n: {k: n}, st.sampled_from(["minLength", "maxLength", "minItems", "maxItems",
                                                    "minProperties", "maxProperties"]), st.integers(0, 3)),
    st.builds(lambda p: {"pattern": p}, st.sampled_from(["^a", "b$", "[0-9]", "^x[0-9]+$"])),
    st.builds(lambda f: {"format": f}, st.sampled_from(["date", "email", "unknown-format"])),
    st.builds(lambda r: {"required": r}, st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True)),
    st.builds(lambda u: {"uniqueItems": u}, st.booleans()),
    st.sampled_from([True, False, {}, {"title": "t", "x-title": {"zh": "题"}, "description": "d"}]),
)


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    names = st.sampled_from(["a", "b", "c"])
    return st.one_of(
        st.builds(lambda p, extra: {"type": "object", "properties": p, "additionalProperties": extra},
                  st.dictionaries(names, inner, max_size=3), st.one_of(st.booleans(), inner)),
        st.builds(lambda p: {"properties": p}, st.dictionaries(names, inner, max_size=2)),
        st.builds(lambda i: {"items": i}, inner),
        st.builds(lambda i: {"propertyNames": i}, inner),
        st.builds(lambda k, subs: {k: subs}, st.sampled_from(["allOf", "anyOf", "oneOf"]),
                  st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda i: {"not": i}, inner),
        st.builds(lambda a, b: {**a, **b} if isinstance(a, dict) and isinstance(b, dict) else a, inner, inner),
    )


SCHEMAS = st.recursive(LEAF_SCHEMAS, _nested, max_leaves=6)
MANY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@MANY
@given(schema=SCHEMAS, value=VALUES)
def test_the_compiled_check_agrees_with_jsonschema_on_any_schema_it_compiles(schema, value):
    check = compile_check(schema, CONFORMS)
    assert check is not None
    assert check(value) == jsonschema_says_valid(schema, value)


@pytest.mark.parametrize("schema", [
    {"$ref": "#/$defs/x", "$defs": {"x": {}}},
    {"if": {"type": "string"}, "then": {"minLength": 1}},
    {"properties": {"a": {"dependentRequired": {"b": ["c"]}}}},
    {"patternProperties": {"^x": {}}, "additionalProperties": False},
    {"prefixItems": [{}], "items": False},
    {"type": "decimal"},
])
def test_a_schema_outside_the_subset_is_left_to_jsonschema(schema):
    assert compile_check(schema, CONFORMS) is None


def test_booleans_are_not_numbers_and_one_is_one_point_zero():
    assert compile_check({"type": "integer"}, CONFORMS)(1.0) is True
    assert compile_check({"type": "integer"}, CONFORMS)(True) is False
    assert compile_check({"enum": [1]}, CONFORMS)(True) is False
    assert compile_check({"uniqueItems": True}, CONFORMS)([1, True]) is True
    assert compile_check({"uniqueItems": True}, CONFORMS)([1, 1.0]) is False


# ------------------------------------------------------------------------------------------ catalogues

def _catalogues() -> list[Any]:
    from riskassess import Engine
    engine = Engine()
    names = ["cn-ndrc-2012", "js-db32-4013"]
    try:
        engine.rule_set("expert-fce-2019")
        names.append("expert-fce-2019")
    except Exception:  # the expert plugin is not installed here: the other two still run
        pass
    return [engine.rule_set(name).catalogue for name in names]


CATALOGUES = _catalogues()


def _answers() -> list[dict[str, Any]]:
    from riskassess.yamlfile import load_yaml
    return [load_yaml(path).data for path in sorted(EXAMPLES.glob("*.yaml"))]


ANSWERS = _answers()
HOSTILE = st.one_of(VALUES, st.sampled_from(["low", "high", "yes", "crematorium", -1, 10**6, 0.5, 1.5, [], {}]))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, (*prefix, i))
    return out


@MANY
@given(data=st.data(), catalogue=st.sampled_from(CATALOGUES), base=st.sampled_from(ANSWERS))
def test_every_shipped_catalogue_is_checked_exactly_as_jsonschema_checks_it(data, catalogue, base):
    answers = copy.deepcopy(base)
    for path in data.draw(st.lists(st.sampled_from(_paths(answers)), min_size=1, max_size=3)):
        parent: Any = answers
        for key in path[:-1]:
            parent = parent[key] if isinstance(parent, (dict, list)) and _has(parent, key) else None
        if parent is None or not _has(parent, path[-1]):
            continue
        action = data.draw(st.sampled_from(["replace", "delete", "extra"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "extra" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["unknown", "a", "id"]))] = data.draw(HOSTILE)
        else:
            parent[path[-1]] = data.draw(HOSTILE)
    expected = not any(catalogue.validator.iter_errors(answers))
    assert catalogue.quick_check(answers) == expected


def _has(parent: Any, key: Any) -> bool:
    if isinstance(parent, dict):
        return key in parent
    return isinstance(key, int) and 0 <= key < len(parent)


def test_the_shipped_catalogues_compile_rather_than_fall_back():
    from riskassess.schema_check import compile_check as compiled
    for catalogue in CATALOGUES:
        assert compiled(catalogue.validation_schema, CONFORMS) is not None


DATE_LIKE = st.one_of(
    st.dates().map(str), st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"), st.text(max_size=12),
    st.sampled_from(["2024-02-29", "2023-02-29", "2024-13-01", "2024-1-01", "２０２４-01-01", "2024-01-01\n",
                     "20240101", "2024-01-01T00:00"]), VALUES)


@MANY
@given(value=DATE_LIKE, name=st.sampled_from(["date", "email", "unknown-format"]))
def test_our_format_check_is_jsonschemas(value, name):
    from riskassess.schema_check import standard_format
    assert standard_format(value, name) == CONFORMS(value, name)


def test_valid_answers_are_checked_without_importing_jsonschema(tmp_path):
    import subprocess
    import sys
    road = str(EXAMPLES / "low-urban-road.yaml")
    code = ("import sys, pathlib, riskassess; e = riskassess.Engine(); rs = e.rule_set('cn-ndrc-2012'); "
            f"e.assess(e.read_questionnaire(pathlib.Path({road!r}), rs), rs).record(); "
            "print('jsonschema' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
