"""What a value read from outside may be: text, a bounded finite number, true/false, null, a list or a
mapping with text keys — what JSON carries between tools, and nothing a reader could take two ways.

Shared by the YAML reader (questionnaires, rule sets), the record reader (JSON) and the Python API
(a dict handed to :meth:`riskassess.Engine.questionnaire`), so a value refused in one is refused in all.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from .i18n import Text, tr

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest magnitude a number may have (JSON's interoperable range, RFC 7493): beyond it whole
numbers lose exactness in most JSON readers, and no answer, threshold, weight or band means it."""
MAX_DIGITS = len(str(MAX_SAFE_INTEGER))

Where = tuple[str | int, ...]


def too_large(shown: str) -> Text:
    """The message for a number beyond :data:`MAX_SAFE_INTEGER`, showing at most 24 characters of it."""
    value: str | Text = shown
    if len(shown) > 24:
        value = tr("{start}… ({digits:,} characters)", start=shown[:16], digits=len(shown))
    return tr("{value} is beyond the {limit:,} limit for numbers", value=value, limit=MAX_SAFE_INTEGER)


def too_large_hint() -> Text:
    return tr("no answer, threshold or weight needs a number this large; write it in the unit the field asks for")


def integer_text_problem(text: str) -> Text | None:
    """Why the decimal integer ``text`` (``-12``, ``+7``) is refused, or None; never converts a long one."""
    digits = text.lstrip("+-")
    if len(digits) > MAX_DIGITS or abs(int(digits)) > MAX_SAFE_INTEGER:
        return too_large(text)
    return None


def number_problem(value: int | float, shown: str | None = None) -> tuple[Text, Text | None] | None:
    """Why the number ``value`` is refused (not finite, or beyond :data:`MAX_SAFE_INTEGER`), and what to do;
    None if it is fine."""
    if isinstance(value, float) and not math.isfinite(value):
        return tr("{value!r} is not a finite number", value=shown if shown is not None else value), None
    if abs(value) > MAX_SAFE_INTEGER:
        if isinstance(value, int) and shown is None:  # str() of a huge int is slow, and refused past 4,300 digits
            sign = "-" if value < 0 else ""
            shown = str(value) if value.bit_length() < 1_000 else f"{sign}2**{value.bit_length() - 1}…"
        return too_large(shown if shown is not None else repr(value)), too_large_hint()
    return None


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text`` (``U+D800``), which no file can hold, or None."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"U+{ord(text[exc.start]):04X}"
    return None


def printable(text: str) -> str:
    """``text`` with any lone surrogate written as its escape (``\\ud800``), so it can be printed."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8") if lone_surrogate(text) else text


def surrogate_problem(code: str) -> Text:
    return tr("the text holds a lone surrogate ({code}), which is not a character", code=code)


def data_problems(data: Any) -> Iterator[tuple[Where, Text, Text | None]]:
    """Every value in ``data`` that is not plain data, as (path, message, hint); depth first, iteratively."""
    stack: list[tuple[Where, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            items = []
            for key, child in value.items():
                if not isinstance(key, str):
                    yield path, tr("a key is {kind} {key!r}, not text", kind=type(key).__name__, key=key), \
                        tr("keys are field names: write them as text")
                    continue
                code = lone_surrogate(key)
                if code is not None:
                    yield (*path, printable(key)), surrogate_problem(code), None
                    continue
                items.append(((*path, key), child))
            stack.extend(reversed(items))
        elif isinstance(value, list):
            stack.extend(reversed([((*path, i), child) for i, child in enumerate(value)]))
        elif isinstance(value, str):
            code = lone_surrogate(value)
            if code is not None:
                yield path, surrogate_problem(code), None
        elif isinstance(value, (int, float)) and type(value) is not bool:
            problem = number_problem(value)
            if problem is not None:
                yield path, *problem
        elif value is not None and not isinstance(value, bool):
            yield path, *_foreign(value)


def _foreign(value: Any) -> tuple[Text, Text]:
    """A Python value that has no place in a questionnaire (Decimal, Fraction, complex, a date…)."""
    kind = type(value).__name__
    if hasattr(value, "isoformat"):
        return tr("a {kind} is not a questionnaire value", kind=kind), \
            tr("write the date as text: {text!r}", text=value.isoformat()[:10])
    return tr("a {kind} is not a questionnaire value", kind=kind), \
        tr("give text, an int or a finite float, true/false, None, a list or a dict with text keys, as JSON has")
