"""The register's hash chain, and ``register verify``: which entries were edited, deleted, moved or inserted.

Entry ``n`` is sealed by::

    entry_hash = "sha256:" + SHA-256(canonical JSON of
        ["riskassess-register-entry/1", seq, recorded_at, record_id, record_sha256, prev_hash, prev_record_id])

where ``record_sha256`` is the SHA-256 of the record exactly as stored, ``prev_hash`` the ``entry_hash``
of entry ``n - 1`` (:data:`GENESIS` for the first) and ``prev_record_id`` its record id (``null`` for the
first); canonical JSON is sorted keys, no whitespace, UTF-8, so the fields cannot run into each other.
The register also keeps its chain head (the last seq, record id and entry hash), written in the same
transaction as each entry.

``register verify`` reads every entry and checks, first each one alone (its record against its SHA-256,
its record id and its content, the columns beside it against the record), then the links:

- each entry's seq as written is found from its seal: its own seq if the hash says so, else the seq after
  its predecessor's; a different one means it was moved (reordered), none means its chain fields were edited;
- seqs missing between 1 and the head were deleted (named by the record id the next entry, or the head,
  commits to); an entry whose predecessor's hash is nowhere, but whose seq is held, was replaced;
- two entries that claim the same predecessor: the one the chain goes on from to the head is genuine, the
  other inserted; an entry after the head was inserted.

A monitoring entry (a re-grade after the decision, :mod:`riskassess.monitor`) is sealed the same way under
``riskassess-register-entry/2``, its kind, the record id of the assessment it re-grades and the ids of the
events it applied added after ``prev_record_id``; an assessment keeps format 1, so a register written before
monitoring verifies as it did. The monitoring events form a second chain of the same make (format
``riskassess-register-event/1``, their event id and the SHA-256 of their stored text in place of the record's),
with a head of its own, and are verified the same way.

A hash chain cannot tell a whole tail rewritten (or entries appended, head included) by someone who can
write the database; the head printed by ``register verify``, kept elsewhere, can.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..i18n import Text, tr
from ..questionnaire import canonical_json
from .kernel import is_kernel, kernel_problems, unpack, with_answers
from .schema import GENESIS

if TYPE_CHECKING:
    from .store import Entry, Head, Register

ENTRY_FORMAT = "riskassess-register-entry/1"
MONITORING_FORMAT = "riskassess-register-entry/2"
EVENT_FORMAT = "riskassess-register-event/1"
_SEARCH = 64  # how far from its stored seq a moved entry that lost its predecessor is looked for


def entry_hash(seq: int, recorded_at: str, record_id: str, record_sha256: str, prev_hash: str,
               prev_record_id: str | None, *, sealed_as: str = ENTRY_FORMAT, extra: tuple[Any, ...] = ()) -> str:
    sealed = [sealed_as, seq, recorded_at, record_id, record_sha256, prev_hash, prev_record_id, *extra]
    return "sha256:" + hashlib.sha256(canonical_json(sealed).encode("utf-8")).hexdigest()


def seal(kind: str, basis_record_id: str | None, event_ids: str | None) -> tuple[str, tuple[Any, ...]]:
    """The format an entry (or, ``kind`` ``event``, an event) is sealed under, and what it seals beyond the chain
    fields: an assessment nothing more (format 1, as before monitoring), any other entry its kind, basis and
    events."""
    if kind == "event":
        return EVENT_FORMAT, ()
    if kind == "assessment" and basis_record_id is None and event_ids is None:
        return ENTRY_FORMAT, ()
    return MONITORING_FORMAT, (kind, basis_record_id, event_ids)


@dataclass(frozen=True)
class Finding:
    seq: int
    record_id: str | None
    kind: str
    """``edited``, ``deleted``, ``moved`` or ``inserted``."""
    detail: Text | None = None
    chain: str = "entry"
    """``entry``, or ``event``: a monitoring event (then ``record_id`` is its event id)."""


@dataclass(frozen=True)
class ChainReport:
    entries: int
    head: Head
    findings: list[Finding]
    events: int = 0
    event_head: Head | None = None

    @property
    def intact(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class _Link:
    """An entry without its record: what the links are checked on."""

    seq: int
    recorded_at: str
    record_id: str
    record_sha256: str
    prev_hash: str
    prev_record_id: str | None
    entry_hash: str
    format: str = ENTRY_FORMAT
    extra: tuple[Any, ...] = ()

    def sealed_as(self, seq: int) -> bool:
        return entry_hash(seq, self.recorded_at, self.record_id, self.record_sha256, self.prev_hash,
                          self.prev_record_id, sealed_as=self.format, extra=self.extra) == self.entry_hash


def verify_chain(register: Register) -> ChainReport:
    """Re-walk the register: every entry, then the chain; every event, then theirs; what was changed, by seq and
    record (event) id."""
    from .events import event_findings
    findings: list[Finding] = []
    links: list[_Link] = []
    for entry in register.iterate():
        findings += content_findings(entry)
        links.append(_Link(entry.seq, entry.recorded_at, entry.record_id, entry.record_sha256, entry.prev_hash,
                           entry.prev_record_id, entry.entry_hash,
                           *seal(entry.kind, entry.basis_record_id, entry.event_ids)))
    head = register.head()
    findings += link_findings(links, head)
    events: list[_Link] = []
    for event in register.iterate_events():
        findings += [Finding(event.seq, event.event_id, "edited", d, "event") for d in event_findings(event)]
        events.append(_Link(event.seq, event.recorded_at, event.event_id, event.event_sha256, event.prev_hash,
                            event.prev_event_id, event.event_hash, EVENT_FORMAT))
    event_head = register.event_head()
    findings += [replace(f, chain="event") for f in link_findings(events, event_head, _EVENT_WORDS)]
    order = {"deleted": 0, "inserted": 1, "moved": 2, "edited": 3}
    findings.sort(key=lambda f: (f.chain != "entry", f.seq, order.get(f.kind, 9)))
    return ChainReport(len(links), head, findings, len(events), event_head)


# ----------------------------------------------------------------------------- each entry alone


def content_findings(entry: Entry) -> list[Finding]:
    """What is wrong with an entry on its own: its stored record, its id, and the columns beside it."""
    text = entry.record_text or ""

    def edited(detail: Text) -> Finding:
        return Finding(entry.seq, entry.record_id, "edited", detail)

    out = []
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != entry.record_sha256:
        out.append(edited(tr("its stored record no longer matches the record SHA-256 the chain holds")))
    try:
        stored = json.loads(unpack(text))
        problems = list(_kernel_problems(entry, stored) if is_kernel(stored) else _record_problems(entry, stored))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return [*out, edited(tr("its stored record is not a readable assessment record"))]
    return out + [edited(p) for p in problems]


def _record_problems(entry: Entry, record: Mapping[str, Any]) -> Iterator[Text]:
    """A whole record, as registers kept them before kernels."""
    from ..verify import content_id
    yield from _id_problems(entry, record)
    found = content_id(record)
    if found != record["record_id"]:
        yield tr("its record was edited: its content gives the id {found}", found=found)
    yield from _column_problems(entry, record)


def _kernel_problems(entry: Entry, kernel: Mapping[str, Any]) -> Iterator[Text]:
    yield from _id_problems(entry, kernel)
    answers = entry.columns.get("answers") or ""
    problems = kernel_problems(kernel, answers)
    yield from problems
    if not problems:
        unpacked = unpack(answers)
        yield from _column_problems(entry, with_answers(kernel, json.loads(unpacked)), {"answers": unpacked})


def _id_problems(entry: Entry, stored: Mapping[str, Any]) -> Iterator[Text]:
    if stored["record_id"] != entry.record_id:
        yield tr("its record states the id {stated}, the entry {held}", stated=stored["record_id"],
                 held=entry.record_id)


def _column_problems(entry: Entry, record: Mapping[str, Any], unpacked: Mapping[str, str] | None = None
                     ) -> Iterator[Text]:
    from .store import columns_of
    derived = columns_of(record)
    for column, value in {**entry.columns, **(unpacked or {})}.items():
        if derived.get(column, value) != value:
            shown = "answers" if column == "answers" else column
            yield tr("{column}: {held!r} in the register, {derived!r} in its record", column=shown,
                     held=_short(value), derived=_short(derived[column]))


def _short(value: Any) -> Any:
    return value if not isinstance(value, str) or len(value) <= 60 else value[:57] + "…"


# ----------------------------------------------------------------------------- the links


_Words = Mapping[str, Callable[..., Text]]
#: What the link findings say of entries, and of events (the same findings, the other chain's words).
_ENTRY_WORDS: _Words = {
    "resealed": lambda: tr("its seq, time, record id, kind, basis or a hash was changed: they no longer give its "
                           "entry hash"),
    "written": lambda seq: tr("it was written as entry {seq}", seq=seq),
    "replaced": lambda after, seq: tr("entry {next} commits to another entry {seq}: this one was replaced or "
                                      "re-sealed", next=after, seq=seq),
    "head_replaced": lambda seq: tr("the chain head commits to another entry {seq}: this one was replaced or "
                                    "re-sealed", seq=seq),
    "run": lambda first, last: tr("together with entries {first} to {last}", first=first, last=last),
    "claims": lambda seq: tr("it claims the place of entry {seq}", seq=seq),
    "after_head": lambda head: tr("after the chain head (entry {head} is the last the register wrote)", head=head),
}
_EVENT_WORDS: _Words = {
    "resealed": lambda: tr("its seq, time, event id or a hash was changed: they no longer give its event hash"),
    "written": lambda seq: tr("it was written as event {seq}", seq=seq),
    "replaced": lambda after, seq: tr("event {next} commits to another event {seq}: this one was replaced or "
                                      "re-sealed", next=after, seq=seq),
    "head_replaced": lambda seq: tr("the event chain head commits to another event {seq}: this one was replaced "
                                    "or re-sealed", seq=seq),
    "run": lambda first, last: tr("together with events {first} to {last}", first=first, last=last),
    "claims": lambda seq: tr("it claims the place of event {seq}", seq=seq),
    "after_head": lambda head: tr("after the event chain head (event {head} is the last the register wrote)",
                                  head=head),
}


def link_findings(links: list[_Link], head: Head, words: _Words = _ENTRY_WORDS) -> list[Finding]:
    """Moved, edited (chain fields), deleted, replaced and inserted entries, from the seals and links alone."""
    by_hash: dict[str, _Link] = {}
    for link in links:
        by_hash.setdefault(link.entry_hash, link)
    written = _written_seqs(links, by_hash)
    out: list[Finding] = []
    for link in links:
        w = written[link.seq]
        if w is None:
            out.append(Finding(link.seq, link.record_id, "edited", words["resealed"]()))
        elif w != link.seq:
            out.append(Finding(link.seq, link.record_id, "moved", words["written"](w)))
    at = {(w if w is not None else link.seq): link for link in links for w in [written[link.seq]]}
    out += _replaced(links, by_hash, written, at, head, words)
    out += _deleted(links, written, at, head, words)
    out += _inserted(links, by_hash, written, head, words)
    return out


def _written_seqs(links: list[_Link], by_hash: Mapping[str, _Link]) -> dict[int, int | None]:
    """Each entry's seq as its seal says it was written (``None``: no seq gives its hash), by stored seq."""
    written: dict[int, int | None] = {}
    for start in links:
        path: list[_Link] = []
        seen: set[int] = set()
        link: _Link | None = start
        while link is not None and link.seq not in written and link.seq not in seen:
            path.append(link)
            seen.add(link.seq)
            link = by_hash.get(link.prev_hash)
        before = written.get(link.seq) if link is not None else None
        for item in reversed(path):
            before = written[item.seq] = _seal_seq(item, before)
    return written


def _seal_seq(link: _Link, before: int | None) -> int | None:
    first = [1] if link.prev_hash == GENESIS else [before + 1] if before is not None else []
    nearby = (s for d in range(1, _SEARCH + 1) for s in (link.seq - d, link.seq + d) if s > 0)
    return next((s for s in (*first, link.seq, *nearby) if link.sealed_as(s)), None)


def _replaced(links: Iterable[_Link], by_hash: Mapping[str, _Link], written: Mapping[int, int | None],
              at: Mapping[int, _Link], head: Head, words: _Words) -> Iterator[Finding]:
    """Entries the next one (or the head) does not commit to, though their seq is held: replaced or re-sealed."""
    commitments = [((written[n.seq] or n.seq) - 1, n.prev_hash,
                    words["replaced"](written[n.seq] or n.seq, (written[n.seq] or n.seq) - 1))
                   for n in links if n.prev_hash != GENESIS]
    if head.seq:
        commitments.append((head.seq, head.entry_hash, words["head_replaced"](head.seq)))
    for seq, committed, detail in commitments:
        holder = at.get(seq)
        if committed not in by_hash and holder is not None:
            yield Finding(holder.seq, holder.record_id, "edited", detail)


def _deleted(links: Iterable[_Link], written: Mapping[int, int | None], at: Mapping[int, _Link],
             head: Head, words: _Words) -> Iterator[Finding]:
    """Seqs missing up to the head (or the last entry written), a run of them as one finding."""
    sealed = [w for w in written.values() if w is not None]
    top = max([head.seq, *sealed])
    named = {(written[n.seq] or n.seq) - 1: n.prev_record_id for n in links}
    if head.seq:
        named.setdefault(head.seq, head.record_id)
    run: list[int] = []
    for seq in range(1, top + 2):
        if seq <= top and seq not in at:
            run.append(seq)
            continue
        if run:
            last = run[-1]
            yield Finding(last, named.get(last), "deleted", None if len(run) == 1 else words["run"](run[0], run[-2]))
            run = []


def _inserted(links: list[_Link], by_hash: Mapping[str, _Link], written: Mapping[int, int | None],
              head: Head, words: _Words) -> Iterator[Finding]:
    """Entries that claim a predecessor another entry continues from towards the head; entries after the head."""
    on_path: set[int] = set()
    link = by_hash.get(head.entry_hash)
    while link is not None and link.seq not in on_path:
        on_path.add(link.seq)
        link = by_hash.get(link.prev_hash)
    followers: dict[str, list[_Link]] = defaultdict(list)
    for link in links:
        followers[link.prev_hash].append(link)
    for claimants in followers.values():
        if len(claimants) < 2:
            continue
        genuine = max(claimants, key=lambda c: (c.seq in on_path, _reach(c, followers), -c.seq))
        for c in claimants:
            if c is not genuine:
                yield Finding(c.seq, c.record_id, "inserted", words["claims"](written[genuine.seq] or genuine.seq))
    for link in links:
        w = written[link.seq]
        if w is not None and w > head.seq and link.seq not in on_path:
            yield Finding(link.seq, link.record_id, "inserted", words["after_head"](head.seq))


def _reach(link: _Link, followers: Mapping[str, list[_Link]]) -> int:
    """How many entries follow ``link`` along the chain (the longest way)."""
    depth, frontier, seen = 0, [link], {link.seq}
    while frontier:
        frontier = [f for x in frontier for f in followers.get(x.entry_hash, []) if f.seq not in seen]
        seen.update(f.seq for f in frontier)
        depth += bool(frontier)
    return depth
