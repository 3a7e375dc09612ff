"""Answers are untrusted text: before one reaches a terminal or a document, control characters and
terminal escape sequences are removed (a questionnaire cannot recolour, clear or retitle a screen)."""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f]")


def plain(text: Any) -> str:
    """``text`` as a string without control characters or ANSI/OSC escape sequences (newlines and tabs stay)."""
    return _CONTROL.sub("", str(text))
