"""Answers written as a Chinese owner naturally writes them, read where the meaning is unambiguous.

``是``/``否`` for true/false, an enum's Chinese (or English) title for its code (``高压输电线路`` →
``power_line``), full-width digits (``４２０``) and ``不适用`` for a section's ``not_applicable``.
Each reading is kept (:class:`Reading`) and shown by ``validate`` and ``evaluate``, so nothing is
converted silently. Text that could mean more than one thing (``60%``, ``"0.6"``, ``约1000``) is not
guessed at: validation says exactly what to write instead.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .plain_data import MAX_DIGITS, MAX_SAFE_INTEGER
from .yamlfile import Path_, YamlDocument, dotted

if TYPE_CHECKING:
    from .questionnaire import FieldCatalogue, FieldSpec

_YES_NO = {"是": True, "否": False}
_NOT_APPLICABLE = ("不适用", "不涉及")


@dataclass(frozen=True)
class Reading:
    """One answer read from its natural form: where, as written, and as read."""

    field: str
    line: int | None
    written: str
    read_as: Any


def read_naturally(data: dict[str, Any], doc: YamlDocument, catalogue: FieldCatalogue
                   ) -> tuple[dict[str, Any], tuple[Reading, ...]]:
    """``data`` with every unambiguous natural answer replaced by its value, and the readings made."""
    readings: list[Reading] = []

    def read(value: Any, spec: FieldSpec | None, path: Path_) -> Any:
        if spec is None:
            return value
        if isinstance(value, dict) and spec.kind == "object":
            return {k: read(v, spec.fields.get(k), (*path, k)) for k, v in value.items()}
        if isinstance(value, list) and spec.kind == "array":
            return [read(v, spec.items, (*path, i)) for i, v in enumerate(value)]
        if not isinstance(value, str):
            return value
        meant = _meaning(value, spec)
        if meant is None:
            return value
        readings.append(Reading(dotted(path), doc.line_of(path), value, meant))
        return meant

    out = {}
    for name, value in data.items():
        spec = catalogue.sections.get(name)
        if isinstance(value, str) and value.strip() in _NOT_APPLICABLE and spec is not None \
                and spec.not_applicable is not None:
            readings.append(Reading(name, doc.line_of((name,)), value, "not_applicable"))
            out[name] = "not_applicable"
        else:
            out[name] = read(value, spec, (name,))
    if not readings:
        return data, ()
    return out, tuple(readings)


def _names(*titles: str) -> set[str]:
    """A title and its evident short forms: ``殡仪馆、火葬场`` also means ``火葬场``; ``（…）`` may be left out."""
    names: set[str] = set()
    for title in titles:
        short = title.split("（")[0].split(" (")[0].strip()
        names.update((title, short, *(part.strip() for part in short.split("、"))))
    return names


def _meaning(text: str, spec: FieldSpec) -> Any:
    """The value ``text`` unambiguously means for a field of this kind, or None."""
    stripped = text.strip()
    if spec.kind == "boolean":
        return _YES_NO.get(stripped)
    if spec.enum is not None:
        if stripped in spec.enum:
            return None
        codes = {code for code, title in spec.enum_titles.items() if stripped in _names(title.zh, title.en)}
        return codes.pop() if len(codes) == 1 else None
    if spec.kind in ("integer", "number"):
        folded = unicodedata.normalize("NFKC", stripped)
        digits = folded.removeprefix("-").replace(".", "", 1)
        if folded == stripped or not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_DIGITS:
            return None  # not full-width digits, or more of them than any answer has: left as text, and refused
        number = float(folded) if "." in folded else int(folded)
        if abs(number) > MAX_SAFE_INTEGER:
            return None
        return number if spec.kind == "number" or isinstance(number, int) else None
    return None
