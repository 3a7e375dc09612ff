"""The register's monitoring events (回头看): what happened to a project after its decision, each one chained.

An event is stored as its content (compact JSON, key order kept) — the project, the assessment it follows
(``basis_record_id``), its kind, date and numbers — with the SHA-256 of that text, and is identified by the
SHA-256 of its canonical JSON (``event_id``): the same event reported twice is one event. Events form a
chain of their own, sealed as entries are (:mod:`.chain`, format ``riskassess-register-event/1``), with its
own head; beside each, the columns it is listed and queried by, which ``register verify`` checks against it.
What an event does to the answers is :mod:`riskassess.monitor`'s.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..i18n import Text, tr
from ..questionnaire import canonical_json

EVENT_FORMAT = 1
EVENT_CHAIN = ("seq", "recorded_at", "event_id", "event_sha256", "prev_hash", "prev_event_id", "event_hash")
"""The columns the event chain commits to, and the event's own hash."""
EVENT_COLUMNS = ("project_id", "basis_record_id", "kind", "event_date", "event_count", "event_size", "measure",
                 "counted_as", "note")
"""The columns that restate the event, for listing and querying."""
_CONTENT_KEYS = {"event_date": "date", "event_count": "count", "event_size": "size"}


def event_content(project_id: str, basis_record_id: str, kind: str, date: str, **numbers: Any) -> dict[str, Any]:
    """An event as stored: the given ``count``, ``size``, ``measure``, ``counted_as``, ``threshold`` and ``note``
    (``None``: left out), after what it belongs to."""
    content: dict[str, Any] = {"event_format": EVENT_FORMAT, "project_id": project_id,
                               "basis_record_id": basis_record_id, "kind": kind, "date": date}
    for key in ("count", "size", "measure", "counted_as", "threshold", "note"):
        if numbers.get(key) is not None:
            content[key] = numbers[key]
    return content


def event_id(content: Mapping[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def event_columns(content: Mapping[str, Any]) -> dict[str, Any]:
    """What the register keeps beside an event, taken from it (the one place it is derived)."""
    return {column: content.get(_CONTENT_KEYS.get(column, column)) for column in EVENT_COLUMNS}


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    recorded_at: str
    event_id: str
    event_sha256: str
    prev_hash: str
    prev_event_id: str | None
    event_hash: str
    columns: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    """The event as stored."""

    def content(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.text or "null")
        return data

    @property
    def kind(self) -> str:
        return str(self.columns["kind"])

    @property
    def date(self) -> str:
        return str(self.columns["event_date"])


def event_findings(event: StoredEvent) -> Iterator[Text]:
    """What is wrong with a stored event on its own: its text, its id, and the columns beside it."""
    text = event.text or ""
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != event.event_sha256:
        yield tr("its stored event no longer matches the event SHA-256 the chain holds")
    try:
        content = json.loads(text)
        found, derived = event_id(content), event_columns(content)
    except (ValueError, TypeError, AttributeError):
        yield tr("its stored event is not a readable monitoring event")
        return
    if found != event.event_id:
        yield tr("its event was edited: its content gives the id {found}", found=found)
    for column, value in event.columns.items():
        said, name = derived.get(column), f"events.{column}"
        if said == value:
            continue
        if said is None:
            yield tr("{column}: {held!r} in the register, not in its event", column=name, held=value)
        elif value is None:
            yield tr("{column}: not in the register, {derived!r} in its event", column=name, derived=said)
        else:
            yield tr("{column}: {held!r} in the register, {derived!r} in its event", column=name, held=value,
                     derived=said)
