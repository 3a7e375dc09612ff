"""JSON read strictly, for files that must mean one thing to every reader (assessment records).

Python's :func:`json.loads` accepts ``NaN``, ``Infinity`` and ``1e400`` (as infinity), keeps the last of
two duplicate keys, reads integers beyond ±2^53 that other readers round (and fails with a ``ValueError``
past 4,300 digits), lone surrogates
(``"\\ud800"``) and nesting as deep as the stack allows. Here each of these is refused with the line and
the path of the value: the file is parsed with hooks that stop at the first, and only then is it scanned
token by token (:func:`_first_problem`) to say where — so a good file costs one ordinary parse.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import RiskAssessError
from .i18n import Text, tr
from .plain_data import (
    MAX_DIGITS,
    MAX_SAFE_INTEGER,
    Where,
    lone_surrogate,
    printable,
    surrogate_problem,
    too_large,
    too_large_hint,
)
from .yamlfile import dotted

MAX_JSON_DEPTH = 200
"""How deep arrays and objects may nest in a record (one the engine writes nests about a dozen levels, a
condition tree at most 64 more)."""


_SHOWN_DEPTH = 12  # a path deeper than this is cut short in messages


class _Refused(Exception):
    """Raised by a parse hook: something in the text is refused; :func:`_first_problem` says where."""


def loads(text: str, source: str, error: type[RiskAssessError], *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """``text`` as JSON, or ``error`` naming the line and path of the first value that is refused."""
    try:
        value = json.loads(text, object_pairs_hook=_unique, parse_constant=_constant, parse_int=_integer,
                           parse_float=_float)
    except json.JSONDecodeError as exc:
        raise error(tr("not valid JSON: {problem}", problem=exc.msg), source=source, line=exc.lineno) from None
    except (_Refused, RecursionError):
        raise _located(text, source, error, max_depth) from None
    if not _plain(value, max_depth):
        raise _located(text, source, error, max_depth)
    return value


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Refused
    return out


def _constant(name: str) -> Any:
    raise _Refused


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS or abs(int(text)) > MAX_SAFE_INTEGER:
        raise _Refused
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise _Refused
    return value


def _plain(value: Any, max_depth: int) -> bool:
    """No lone surrogate in a key or a text, nothing nested deeper than ``max_depth``."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            if depth > max_depth or any(lone_surrogate(k) for k in node):
                return False
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            if depth > max_depth:
                return False
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, str) and lone_surrogate(node):
            return False
    return True


# ---------------------------------------------------------------------------- where it is


@dataclass
class _Frame:
    """An object or array being read: its keys so far (with their lines) and the key or index now."""

    keys: dict[str, int] | None
    at: str | int = 0
    expect_key: bool = True


_TOKEN = re.compile(r'\s+|"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|-?[A-Za-z]+|.', re.DOTALL)


def _located(text: str, source: str, error: type[RiskAssessError], max_depth: int) -> RiskAssessError:
    found = _first_problem(text, max_depth)
    if found is None:  # the hooks refused what the scan cannot find: still say what kind of thing it was
        return error(tr("holds a value a record cannot hold (NaN, Infinity, a number beyond ±2^53, a lone "
                        "surrogate, a duplicate key or nesting deeper than {depth})", depth=max_depth), source=source)
    line, where, message, hint = found
    field = dotted(tuple(printable(p) if isinstance(p, str) else p for p in where[:_SHOWN_DEPTH]))
    if len(where) > _SHOWN_DEPTH:
        field += "…"
    return error(message, source=source, line=line, field=field or None, hint=hint)


def _first_problem(text: str, max_depth: int) -> tuple[int, Where, Text, Text | None] | None:
    """The line, path, message and hint of the first refused value in ``text``, scanning its tokens."""
    for line, where, _, problem in _scan(text, max_depth):
        if problem is not None:
            return line, where, *problem
    return None


def line_of(text: str, where: Where, max_depth: int = MAX_JSON_DEPTH) -> int | None:
    """The line in the JSON ``text`` where the value at path ``where`` (or its key) starts, if it is there."""
    for line, at, starts, problem in _scan(text, max_depth):
        if starts and at == where:
            return line
        if problem is not None:
            return None
    return None


def _scan(text: str, max_depth: int) -> Iterator[tuple[int, Where, bool, tuple[Text, Text | None] | None]]:
    """Each token of ``text`` as (line, path, whether a key or a value starts there, what is wrong with it)."""
    line = 1
    stack: list[_Frame] = []
    for token in _TOKEN.findall(text):
        top = stack[-1] if stack else None
        key = token[0] == '"' and top is not None and top.keys is not None and top.expect_key
        starts = key or token[0] in '{["-' or token[0].isalnum()
        before = tuple(f.at for f in stack)
        problem = _problem(token, stack, line, max_depth)
        yield line, tuple(f.at for f in stack) if key else before, starts, problem
        line += token.count("\n")


def _problem(token: str, stack: list[_Frame], line: int, max_depth: int) -> tuple[Text, Text | None] | None:
    """What is wrong with ``token``, read with ``stack`` as the containers it is in (updated as it goes)."""
    top = stack[-1] if stack else None
    head = token[0]
    if head in "{[":
        if len(stack) >= max_depth:
            return tr("nested more than {depth} levels deep", depth=max_depth), \
                tr("a record written by riskassess nests far less: the file was made or edited by something else")
        stack.append(_Frame({} if head == "{" else None))
    elif head in "}]" and stack:
        stack.pop()
    elif head == "," and top is not None:
        if top.keys is None:
            top.at = int(top.at) + 1
        else:
            top.expect_key = True
    elif head == ":" and top is not None:
        top.expect_key = False
    elif head == '"':
        try:
            value = json.loads(token) if "\\" in token else token[1:-1]
        except ValueError:
            value = token[1:-1]
        if top is not None and top.keys is not None and top.expect_key:
            if value in top.keys:
                top.at = value
                return tr("duplicate key {key!r} (first given on line {first})", key=value, first=top.keys[value]), \
                    tr("remove one of them; JSON readers disagree on which one counts")
            top.keys[value] = line
            top.at = value
        code = lone_surrogate(value)
        if code is not None:
            return surrogate_problem(code), None
    elif head == "-" or head.isdigit() or head.isalpha():
        return _number_token(token)
    return None


def _number_token(token: str) -> tuple[Text, Text | None] | None:
    if token.lstrip("-") in ("NaN", "Infinity"):
        return tr("{value!r} is not a finite number", value=token), \
            tr("JSON has no NaN or Infinity, and riskassess never writes them")
    if token.lstrip("-").isdigit():
        return (too_large(token), too_large_hint()) if _integer_refused(token) else None
    if token[0].isalpha():
        return None  # true, false, null
    try:
        finite = math.isfinite(float(token))
    except ValueError:
        return None
    return None if finite else (tr("{value!r} is not a finite number", value=token), None)


def _integer_refused(token: str) -> bool:
    try:
        _integer(token)
    except _Refused:
        return True
    return False
