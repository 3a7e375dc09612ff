"""The register's entries: add records (each chained to the one before), get one, a project's history, all.

An entry keeps the record exactly as stored (compact JSON, key order kept) and its SHA-256, the chain
fields (:mod:`.chain`), and beside them, to be listed and queried without reading records, what the
record says: project id and name, rule set and its lineage, engine, answers and their hash, grades,
range, firmness and decision (:func:`columns_of`; ``register verify`` checks they still agree). An entry is an
assessment as made, or a ``monitoring`` re-grade of one (:mod:`riskassess.monitor`), which also names the
assessment and the events it applied; the events themselves are chained beside the entries
(:meth:`Register.append_event`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InputError, RecordError
from ..i18n import tr
from .chain import entry_hash, seal
from .events import EVENT_CHAIN, EVENT_COLUMNS, StoredEvent, event_columns, event_id
from .kernel import Stored, compact, is_kernel, regenerate, stored_form, unpack, with_answers
from .schema import GENESIS, Database

if TYPE_CHECKING:
    from ..engine import Engine

CHAIN = ("seq", "recorded_at", "record_id", "record_sha256", "prev_hash", "prev_record_id", "entry_hash", "kind",
         "basis_record_id", "event_ids")
"""The columns the chain commits to (``kind`` and after: a monitoring entry's only, :func:`.chain.seal`), and the
entry's own hash."""
ASSESSMENT, MONITORING = "assessment", "monitoring"
"""An entry's kinds: an assessment as made, or a re-grade of one with the events after it (回头看)."""
DERIVED = ("project_id", "project_name", "rule_set_id", "rule_set_version", "rule_set_sha256", "lineage",
           "engine_version", "answers_sha256", "answers", "created_at", "initial_grade", "post_measure_grade",
           "post_lowest", "post_highest", "firm", "decision")
"""The columns that restate the record, for listing and querying."""
_LISTED = tuple(c for c in DERIVED if c != "answers")  # what a history needs: not the answers, not the record


def columns_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """What the register keeps beside a record (or a kernel with its answers), taken from it — grades, range
    and decision from its digest, which the record id seals (the one place they are derived)."""
    answers = record["questionnaire"]["answers"]
    project = answers.get("project") if isinstance(answers.get("project"), dict) else {}
    rule_sets, digest = record["rule_sets"], record["digest"]
    initial, post = digest["grades"]
    post_range = digest["range"][1] if digest.get("range") else [post, post]
    return {
        "project_id": _text(project.get("id")),
        "project_name": _text(project.get("name")),
        "rule_set_id": rule_sets[0]["id"],
        "rule_set_version": rule_sets[0]["version"],
        "rule_set_sha256": rule_sets[0]["sha256"],
        "lineage": compact([[r["id"], r["version"], r["sha256"]] for r in rule_sets]),
        "engine_version": record["engine"]["version"],
        "answers_sha256": record["questionnaire"]["sha256"],
        "answers": compact(answers),
        "created_at": _text(record.get("created_at")),
        "initial_grade": initial,
        "post_measure_grade": post,
        "post_lowest": post_range[0],
        "post_highest": post_range[-1],
        "firm": int(not digest.get("provisional")),
        "decision": _text(digest.get("decision")),
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Head:
    """The chain head: the last entry the register wrote (seq 0 and :data:`GENESIS` when empty)."""

    seq: int
    record_id: str | None
    entry_hash: str


@dataclass(frozen=True)
class Entry:
    seq: int
    recorded_at: str
    record_id: str
    record_sha256: str
    prev_hash: str
    prev_record_id: str | None
    entry_hash: str
    kind: str = ASSESSMENT
    basis_record_id: str | None = None
    """A monitoring entry: the record id of the assessment it re-grades."""
    event_ids: str | None = None
    """A monitoring entry: the ids of the events it applied, in order (compact JSON)."""
    columns: dict[str, Any] = field(default_factory=dict)
    """What the record says, as stored beside it (:data:`DERIVED`; a history leaves out the answers)."""
    record_text: str | None = None
    """The record as stored — its kernel (:mod:`.kernel`), or in registers written before, the whole record
    (``None`` when not read)."""
    regenerate: Callable[[Mapping[str, Any]], dict[str, Any]] | None = field(default=None, compare=False,
                                                                            repr=False)

    def record(self) -> dict[str, Any]:
        """The whole record: as stored, or regenerated from its kernel and answers."""
        data = self.stored()
        if not is_kernel(data):
            return data
        if self.regenerate is None:
            raise ValueError("entry read without a way to regenerate its record")
        return self.regenerate(data)

    def stored(self) -> dict[str, Any]:
        """What the entry holds: the kernel with its answers (or the whole record, as stored before)."""
        if self.record_text is None:
            raise ValueError("entry read without its record")
        try:
            data: dict[str, Any] = json.loads(unpack(self.record_text))
            if is_kernel(data):
                data = with_answers(data, json.loads(unpack(self.columns["answers"])))
        except (ValueError, TypeError, KeyError, AttributeError):  # edited in the database, not by riskassess
            raise RecordError(tr("entry {seq}: its stored record is not a readable assessment record", seq=self.seq),
                              hint=tr("`riskassess register verify` names what was changed")) from None
        return data

    @property
    def project(self) -> str:
        return " ".join(str(v) for v in (self.columns.get("project_id"), self.columns.get("project_name")) if v)


@dataclass(frozen=True)
class Added:
    entry: Entry
    new: bool
    """False when the register already held this record (same record id): it is not stored twice."""


class Register:
    """The entries of one register (:func:`riskassess.register.open_register`)."""

    def __init__(self, db: Database, clock: Callable[[], str] | None = None, engine: Engine | None = None) -> None:
        self.db = db
        self.clock = clock or _now
        self._engine = engine
        """Regenerates records from kernels; made when first needed."""

    def regenerate(self, kernel: Mapping[str, Any]) -> dict[str, Any]:
        """The whole record of a kernel with its answers (:func:`.kernel.regenerate`)."""
        if self._engine is None:
            from ..engine import Engine
            self._engine = Engine()
        return regenerate(kernel, self._engine)

    @property
    def location(self) -> str:
        return self.db.location

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def close(self) -> None:
        self.db.close()

    # -- writing ------------------------------------------------------------------------------
    def writing(self) -> Any:
        """A write transaction holding the register's write lock: what is written in it is written all or none."""
        return self.db.transaction()

    def add(self, records: Sequence[Mapping[str, Any] | Stored]) -> list[Added]:
        """Store ``records`` in order, in one transaction: all or none. A record already held is not added."""
        stored = [r if isinstance(r, Stored) else stored_form(r) for r in records]
        with self.writing():
            return [self.append(s) for s in stored]

    def append(self, record: Mapping[str, Any] | Stored, *, kind: str = ASSESSMENT,
               basis_record_id: str | None = None, event_ids: Sequence[str] | None = None) -> Added:
        """Chain one record (whole, or as :func:`.kernel.stored_form` made it) after the head, inside
        :meth:`writing`; a record already held is not added. What is stored is its kernel and answers."""
        stored = record if isinstance(record, Stored) else stored_form(record)
        rid = str(stored.kernel_data["record_id"])
        held = self.db.query("SELECT seq FROM entries WHERE record_id = ?", (rid,))
        if held:
            return Added(self.get(str(held[0][0])), new=False)
        head = self.head()
        seq, now, text = head.seq + 1, self.clock(), stored.kernel
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        events = None if event_ids is None else compact(list(event_ids))
        sealed_as, extra = seal(kind, basis_record_id, events)
        columns = {**columns_of(stored.kernel_data), "answers": stored.answers}
        entry = Entry(seq, now, rid, sha, head.entry_hash, head.record_id,
                      entry_hash(seq, now, rid, sha, head.entry_hash, head.record_id, sealed_as=sealed_as, extra=extra),
                      kind, basis_record_id, events, columns, text, self.regenerate)
        names = (*CHAIN, *DERIVED, "record")
        self.db.query(f"INSERT INTO entries ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                      [*(getattr(entry, c) for c in CHAIN), *(entry.columns[c] for c in DERIVED), text])
        self.db.query("UPDATE chain_head SET seq = ?, record_id = ?, entry_hash = ? WHERE id = 1",
                      (entry.seq, entry.record_id, entry.entry_hash))
        return Added(entry, new=True)

    def append_event(self, content: Mapping[str, Any]) -> tuple[StoredEvent, bool]:
        """Chain one monitoring event after the event head (inside :meth:`writing`): the event, and whether it is
        new (the same event already held is not stored twice)."""
        eid = event_id(content)
        held = self._events("WHERE event_id = ?", (eid,))
        if held:
            return held[0], False
        text = compact(content)
        head = self.event_head()
        seq, now, sha = head.seq + 1, self.clock(), hashlib.sha256(text.encode("utf-8")).hexdigest()
        sealed_as, extra = seal("event", None, None)
        hashed = entry_hash(seq, now, eid, sha, head.entry_hash, head.record_id, sealed_as=sealed_as, extra=extra)
        event = StoredEvent(seq, now, eid, sha, head.entry_hash, head.record_id, hashed, event_columns(content), text)
        names = (*EVENT_CHAIN, *EVENT_COLUMNS, "event")
        self.db.query(f"INSERT INTO events ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                      [*(getattr(event, c) for c in EVENT_CHAIN), *(event.columns[c] for c in EVENT_COLUMNS), text])
        self.db.query("UPDATE event_chain_head SET seq = ?, event_id = ?, event_hash = ? WHERE id = 1",
                      (seq, eid, hashed))
        return event, True

    # -- reading ------------------------------------------------------------------------------
    def head(self) -> Head:
        rows = self.db.query("SELECT seq, record_id, entry_hash FROM chain_head WHERE id = 1")
        if not rows:
            return Head(0, None, GENESIS)
        seq, rid, hashed = rows[0]
        return Head(int(seq), rid, str(hashed))

    def event_head(self) -> Head:
        """The event chain's head: the last event the register wrote (its ``record_id`` is the event id)."""
        rows = self.db.query("SELECT seq, event_id, event_hash FROM event_chain_head WHERE id = 1")
        if not rows:
            return Head(0, None, GENESIS)
        seq, eid, hashed = rows[0]
        return Head(int(seq), eid, str(hashed))

    def count(self) -> int:
        return int(self.db.query("SELECT COUNT(*) FROM entries")[0][0])

    def get(self, ref: str) -> Entry:
        """The entry with this seq number, record id, or unique beginning of a record id (8 hex digits or more)."""
        ref = ref.strip()
        if ref.isdigit():
            found = self._select(_ALL_COLUMNS, "WHERE seq = ?", (int(ref),))
        elif re.fullmatch(r"(?:sha256:)?[0-9a-f]{8,64}", ref):
            prefix = ref if ref.startswith("sha256:") else "sha256:" + ref
            found = self._select(_ALL_COLUMNS, "WHERE record_id LIKE ? ORDER BY seq LIMIT 5", (prefix + "%",))
        else:
            raise InputError(tr("{ref!r} names no entry: give its seq number or its record id", ref=ref),
                             hint=tr("`riskassess register history` lists them"))
        if not found:
            raise InputError(tr("no entry {ref} in the register", ref=ref), source=self.location,
                             hint=tr("`riskassess register history` lists them"))
        if len({e.record_id for e in found}) > 1:
            raise InputError(tr("{ref} is the beginning of several record ids: {ids}", ref=ref,
                                ids=[e.record_id for e in found]), hint=tr("give more of the id"))
        return found[0]

    def history(self, project: str | None = None) -> list[Entry]:
        """Every entry, or a project's (by project id, else by name), oldest first, without records or answers."""
        if project is None:
            return self._select(_LISTED_COLUMNS, "ORDER BY seq")
        found = self._select(_LISTED_COLUMNS, "WHERE project_id = ? ORDER BY seq", (project,))
        return found or self._select(_LISTED_COLUMNS, "WHERE project_name = ? ORDER BY seq", (project,))

    def decision(self, project: str) -> Entry:
        """A project's latest assessment (by project id, else name; not a monitoring re-grade), with its record."""
        for column in ("project_id", "project_name"):
            found = self._select(_ALL_COLUMNS, f"WHERE {column} = ? AND kind = ? ORDER BY seq DESC LIMIT 1",
                                 (project, ASSESSMENT))
            if found:
                return found[0]
        raise InputError(tr("no project {project!r} in the register", project=project), source=self.location,
                         hint=tr("give a project id `riskassess register history` lists"))

    def events(self, basis_record_id: str | None = None) -> list[StoredEvent]:
        """The events recorded after an assessment (or all), in the order they were recorded."""
        if basis_record_id is None:
            return self._events("ORDER BY seq")
        return self._events("WHERE basis_record_id = ? ORDER BY seq", (basis_record_id,))

    def iterate_events(self, batch: int = 100) -> Iterator[StoredEvent]:
        """Every event, in seq order, a batch at a time."""
        after = -(2**62)
        while True:
            rows = self._events("WHERE seq > ? ORDER BY seq LIMIT ?", (after, batch))
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1].seq

    def _events(self, where: str, params: Sequence[Any] = ()) -> list[StoredEvent]:
        names = (*EVENT_CHAIN, *EVENT_COLUMNS, "event")
        out = []
        for row in self.db.query(f"SELECT {', '.join(names)} FROM events {where}", params):
            values = dict(zip(names, row, strict=True))
            chain = {c: values.pop(c) for c in EVENT_CHAIN}
            text = values.pop("event")
            out.append(StoredEvent(**chain, columns=values, text=text))
        return out

    def iterate(self, batch: int = 100) -> Iterator[Entry]:
        """Every entry with its record, in seq order, a batch at a time (memory stays flat)."""
        after = -(2**62)
        while True:
            rows = self._select(_ALL_COLUMNS, "WHERE seq > ? ORDER BY seq LIMIT ?", (after, batch))
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1].seq

    def _select(self, columns: tuple[str, ...], where: str, params: Sequence[Any] = ()) -> list[Entry]:
        rows = self.db.query(f"SELECT {', '.join(columns)} FROM entries {where}", params)
        return [_entry(columns, row, self.regenerate) for row in rows]


_ALL_COLUMNS = (*CHAIN, *DERIVED, "record")
_LISTED_COLUMNS = (*CHAIN, *_LISTED)


def _entry(columns: tuple[str, ...], row: Sequence[Any],
           regenerate: Callable[[Mapping[str, Any]], dict[str, Any]]) -> Entry:
    values = dict(zip(columns, row, strict=True))
    chain = {c: values.pop(c) for c in CHAIN}
    text = values.pop("record", None)
    return Entry(**chain, columns=values, record_text=text, regenerate=regenerate)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
