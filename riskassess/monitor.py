"""Post-decision monitoring (回头看): events after a decision, the project re-graded with them, and ``watch``.

What happens to a project after its decision — petitions, gatherings, mass incidents, negative reports,
measures completed or cancelled — is appended to the register as events (:mod:`.register.events`). Each
time, the project's latest assessment (its *decision*) is re-graded: its answers, with every event recorded
since applied by the one table :data:`MAPPING`, evaluated under the same rule set (the id, version and
SHA-256 its record names, the rule sets it extends included: a changed rule set is refused, not used), and
stored as a new register entry of kind ``monitoring`` that names the decision and the events. The decision's
own entry is never touched. :func:`watch` lists the projects whose post-measure grade, or the top of its
range, rose from the decision to the latest re-grade, with the events and the factor-by-factor reasons
(:mod:`.whatif`).
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .approximate import Interval
from .errors import InputError, RiskAssessError
from .i18n import Text, tr
from .suggestions import closest

if TYPE_CHECKING:
    from .engine import Engine
    from .register import Entry, Register
    from .register.events import StoredEvent
    from .ruleset import RuleSet


@dataclass(frozen=True)
class EventKind:
    """What one kind of event is given with, and what it does to the decision's answers."""

    title: Text
    takes: tuple[str, ...]
    """The numbers it is given with: ``count``, ``size``, ``measure``."""
    needs: tuple[str, ...]
    """Of those, the ones it must have."""
    effects: tuple[tuple[str, str, str], ...]
    """(operation, answer, operand): ``add`` the operand to the answer; ``at_least``: raise the answer to the
    operand; ``status``: set the measure's status to the operand. Operands: the event's ``count`` (1 when not
    given), ``one``, its ``size``, or a measure status."""


#: The one mapping from events to answers. A gathering has no effects of its own: it counts as an incident
#: of its size when that is at least :data:`GATHERING_THRESHOLD`, else as one petition (a collective petition).
MAPPING: dict[str, EventKind] = {
    "petition": EventKind(tr("petition"), ("count",), (), (("add", "order.petitions_3y", "count"),)),
    "gathering": EventKind(tr("gathering"), ("size",), ("size",), ()),
    "incident": EventKind(tr("mass incident"), ("size",), ("size",),
                          (("add", "order.mass_incidents_3y", "one"),
                           ("at_least", "order.largest_incident_size", "size"))),
    "negative_report": EventKind(tr("negative media report"), ("count",), (),
                                 (("add", "order.negative_media_reports", "count"),)),
    "measure_completed": EventKind(tr("measure completed"), ("measure",), ("measure",),
                                   (("status", "measures", "completed"),)),
    "measure_cancelled": EventKind(tr("measure cancelled"), ("measure",), ("measure",),
                                   (("status", "measures", "cancelled"),)),
}
GATHERING_THRESHOLD = "incident_medium"
"""The rule set's threshold a gathering's size must reach to count as a mass incident (100 people in the
shipped packs: the smallest incident they name)."""
STAGE = ("project.stage", "monitoring")
"""Every re-grade also answers the assessment's stage as follow-up monitoring (where the rule set has it)."""
_OPTIONS = {"count": "--count", "size": "--size", "measure": "--measure"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_NUMBER = 10**7
_Where = tuple[str | None, int | None, str]


# ----------------------------------------------------------------------------- events as given


class _Coded(Text):
    """A code as the user types it, with its title in Chinese: ``信访（petition）``."""

    __slots__ = ("title",)

    def __init__(self, code: str, title: Text) -> None:
        super().__init__("{code}", code=code)
        self.title = title

    def render(self, lang: str) -> str:
        code = str(self.params["code"])
        return f"{self.title.render(lang)}（{code}）" if lang == "zh" else code


@dataclass(frozen=True)
class Draft:
    """An event as given on the command line or in a file, checked for shape; ``where``: (file, line, field
    prefix) for messages."""

    kind: str
    date: str
    count: int | None = None
    size: int | None = None
    measure: str | None = None
    note: str | None = None
    where: _Where = (None, None, "")

    def fail(self, message: Text, name: str, hint: Text | None = None) -> InputError:
        source, line, prefix = self.where
        return InputError(message, source=source, line=line, field=prefix + name if prefix else _OPTIONS.get(
            name, f"--{name}"), hint=hint)


def draft(values: Mapping[str, Any], where: _Where = (None, None, "")) -> Draft:
    """A :class:`Draft` from ``kind``, ``date``, ``count``, ``size``, ``measure`` and ``note``, or a located refusal."""
    probe = Draft(str(values.get("kind")), "", where=where)
    kind = values.get("kind")
    if not isinstance(kind, str) or kind not in MAPPING:
        close = closest(str(kind), MAPPING, cutoff=0.5)
        raise probe.fail(tr("{kind!r} is not a kind of event", kind=kind) if kind is not None else
                         tr("the kind of event is missing"), "kind",
                         tr("did you mean {name!r}?", name=close) if close else
                         tr("one of: {kinds}", kinds=[_Coded(k, spec.title) for k, spec in MAPPING.items()]))
    spec = MAPPING[kind]
    for name in ("count", "size", "measure"):
        given = values.get(name) is not None
        if given and name not in spec.takes:
            raise probe.fail(tr("{option} does not apply to a {kind} event", option=_OPTIONS[name], kind=spec.title),
                             name, tr("a {kind} event takes: {options}", kind=spec.title,
                                      options=[_OPTIONS[t] for t in spec.takes]))
        if not given and name in spec.needs:
            raise probe.fail(tr("a {kind} event needs {option}", kind=spec.title, option=_OPTIONS[name]), name)
    numbers = {n: _number(probe, n, values.get(n)) for n in ("count", "size")}
    measure, note = values.get("measure"), values.get("note")
    for name, text in (("measure", measure), ("note", note)):
        if text is not None and (not isinstance(text, str) or not text.strip()):
            raise probe.fail(tr("must be a text, not empty"), name)
    return Draft(kind, _date(probe, values.get("date")), numbers["count"], numbers["size"],
                 measure.strip() if isinstance(measure, str) else None,
                 note.strip() if isinstance(note, str) else None, where)


def _number(probe: Draft, name: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise probe.fail(tr("{value!r} is not a whole number", value=value), name)
    if not 1 <= value <= MAX_NUMBER:
        raise probe.fail(tr("{value} is not between 1 and {most}", value=value, most=MAX_NUMBER), name,
                         tr("an event that did not happen is not recorded") if value < 1 else None)
    return value


def _date(probe: Draft, value: Any) -> str:
    if value is None:
        raise probe.fail(tr("the date of the event is missing"), "date", tr("give it as YYYY-MM-DD"))
    text = str(value)
    when = _parsed(text)
    if when is None:
        raise probe.fail(tr("{value!r} is not a date", value=text), "date", tr("give it as YYYY-MM-DD"))
    latest = (_dt.datetime.now(_dt.UTC) + _dt.timedelta(hours=14)).date()  # today somewhere on Earth
    if when > latest:
        raise probe.fail(tr("{date} has not come yet", date=text), "date",
                         tr("record an event once it has happened"))
    return text


def _parsed(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(text) if _DATE.match(text) else None
    except ValueError:
        return None


def checked_date(text: str, option: str) -> str:
    """``text`` if it is a date (YYYY-MM-DD), else a refusal naming ``option``."""
    if _parsed(text) is None:
        raise InputError(tr("{value!r} is not a date", value=text), field=option, hint=tr("give it as YYYY-MM-DD"))
    return text


def drafts_from_file(path: Path) -> list[Draft]:
    """The events of a YAML file: a list of mappings (or ``events:`` holding one), each checked and located."""
    from .yamlfile import load_yaml
    doc = load_yaml(path)
    data, prefix = doc.data, cast(tuple[str | int, ...], ())
    if isinstance(data, dict) and set(data) == {"events"}:
        data, prefix = data["events"], ("events",)
    if not isinstance(data, list) or not data:
        raise InputError(tr("expected a list of events, each with kind and date"), source=str(path),
                         line=doc.line_of(prefix), hint=tr("- {{kind: petition, count: 2, date: 2026-06-01}}"))
    out = []
    for i, item in enumerate(data):
        where: tuple[str | int, ...] = (*prefix, i)
        if not isinstance(item, dict):
            raise InputError(tr("expected an event: a mapping with kind and date"), source=str(path),
                             line=doc.line_of(where), field=_dotted(where))
        unknown = sorted(map(str, set(item) - {"kind", "date", "count", "size", "measure", "note"}))
        if unknown:
            raise InputError(tr("unknown field {key!r}", key=unknown[0]), source=str(path),
                             line=doc.line_of((*where, unknown[0])), field=_dotted((*where, unknown[0])),
                             hint=tr("an event has kind, date, count, size, measure and note"))
        out.append(_located_draft(item, doc, where))
    return out


def _located_draft(item: Mapping[str, Any], doc: Any, where: tuple[str | int, ...]) -> Draft:
    try:
        return draft(item, (doc.source, doc.line_of(where), _dotted(where) + "."))
    except InputError as exc:  # point at the field's own line, not the event's
        name = (exc.field or "").rsplit(".", 1)[-1]
        exc.line = doc.line_of((*where, name)) if name in item else exc.line
        raise


def _dotted(path: Sequence[str | int]) -> str:
    from .yamlfile import dotted
    return dotted(tuple(path))


# ----------------------------------------------------------------------------- recording and re-grading


@dataclass
class Recorded:
    """What ``register event`` did: the events (each with whether it is new) after which decision, and the
    re-grade stored (``None`` when every event was already held)."""

    decision: Entry
    events: list[tuple[StoredEvent, bool]]
    regrade: Entry | None = None
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    """The answers the events changed, from the decision's: (answer, before, after)."""


def record_events(register: Register, engine: Engine, project: str, drafts: Sequence[Draft],
                  rules: str | Path | None = None) -> Recorded:
    """Append ``drafts`` to ``project``'s latest assessment and store its re-grade, in one transaction.

    Refused, with nothing stored: an unknown project, a rule set not the decision's, an event dated before
    the decision, a measure the decision does not have or that already has the status given."""
    from .register.chain import content_findings
    from .register.store import MONITORING
    with register.writing():
        decision = register.decision(project)
        record = decision.stored()
        if content_findings(decision):
            raise InputError(tr("the project's latest assessment (entry {seq}) was edited in the register: it is not "
                                "re-graded", seq=decision.seq), source=register.location,
                             hint=tr("`riskassess register verify` names what was changed"))
        rule_set = same_rule_set(engine, record, rules)
        held = register.events(decision.record_id)
        contents = _contents(decision, record, rule_set, [e.content() for e in held], drafts)
        stored = [register.append_event(content) for content in contents]
        done = Recorded(decision, stored)
        if not any(new for _, new in stored):
            return done
        applied = register.events(decision.record_id)
        answers, done.changes = apply_events(record["questionnaire"]["answers"], [e.content() for e in applied],
                                             stage=rule_set.catalogue.field_at(STAGE[0]) is not None)
        again = assess_answers(engine, rule_set, answers, record, f"register:{decision.record_id[:23]}")
        done.regrade = register.append(again, kind=MONITORING, basis_record_id=decision.record_id,
                                       event_ids=[e.event_id for e in applied]).entry
        return done


def same_rule_set(engine: Engine, record: Mapping[str, Any], rules: str | Path | None = None) -> RuleSet:
    """The rule set ``record`` was graded under — the same id, version and SHA-256, and the same rule sets
    extended — found as ``verify`` finds it (``rules``: a path or id given instead); any other is refused."""
    from .verify import find_rule_set
    rule_set = find_rule_set(record, engine, rules)
    recorded = [(r.get("id"), r.get("version"), r.get("sha256")) for r in record["rule_sets"]]
    found = [(rule_set.id, rule_set.version, rule_set.sha256), *((i, v, h) for i, v, h, _ in rule_set.parents)]
    if found == recorded:
        return rule_set
    then, now = next(((a, b) for a, b in zip(recorded, found, strict=False) if a != b), (recorded[0], found[0]))
    raise InputError(
        tr("the decision was graded under rule set {id} {version} (SHA-256 {sha}…); the one found is {found_id} "
           "{found_version} (SHA-256 {found_sha}…) — re-grading uses the same rules only", id=then[0],
           version=then[1], sha=str(then[2])[:12], found_id=now[0], found_version=now[1], found_sha=str(now[2])[:12]),
        source=rule_set.source, field="rule_sets",
        hint=tr("give the rule file the decision used with --rules PATH, or assess the project anew (`riskassess "
                "evaluate FILE --register R`)"))


def assess_answers(engine: Engine, rule_set: RuleSet, answers: Mapping[str, Any], record: Mapping[str, Any],
                   source: str) -> dict[str, Any]:
    """The record of ``answers`` under ``rule_set``, with the governed adjustments ``record`` was judged with
    (the same, as of the same date), if any."""
    return _assessment(engine, rule_set, answers, record, source).record()


def _assessment(engine: Engine, rule_set: RuleSet, answers: Mapping[str, Any], record: Mapping[str, Any],
                source: str) -> Any:
    from .adjustment_record import recorded
    return engine.assess(engine.questionnaire(answers, rule_set, source=source), rule_set, **recorded(record))


def _contents(decision: Entry, record: Mapping[str, Any], rule_set: RuleSet, held: list[dict[str, Any]],
              drafts: Sequence[Draft]) -> list[dict[str, Any]]:
    """Each draft as the event stored, once checked against the decision (its date, its measures); one already
    recorded (the same event reported again) is not checked again."""
    from .register.events import event_content, event_id
    assessed = str(record.get("created_at") or decision.recorded_at)[:10]
    statuses = {m.get("id"): m.get("status") for m in record["questionnaire"]["answers"].get("measures") or []}
    for content in held:
        _measure_status(statuses, content)
    known = {event_id(content) for content in held}
    project = decision.columns.get("project_id") or decision.columns.get("project_name") or decision.record_id
    out = []
    for d in drafts:
        counted = _counted_as(d, rule_set)
        content = event_content(str(project), decision.record_id, d.kind, d.date, count=d.count, size=d.size,
                                measure=d.measure, note=d.note, counted_as=counted and counted[0],
                                threshold=counted and counted[1])
        out.append(content)
        if event_id(content) in known:
            continue
        if d.date < assessed:
            raise d.fail(tr("{date} is before the project's latest assessment (entry {seq}, assessed {assessed})",
                            date=d.date, seq=decision.seq, assessed=assessed), "date",
                         tr("monitoring records what happened after the decision; what was known before it belongs "
                            "in a new assessment"))
        if d.measure is not None:
            _check_measure(d, statuses, decision.seq)
            _measure_status(statuses, content)
        known.add(event_id(content))
    return out


def _counted_as(d: Draft, rule_set: RuleSet) -> tuple[str, int] | None:
    """A gathering: counted as ``incident`` or ``petition``, and the threshold that decided it."""
    if d.kind != "gathering":
        return None
    threshold = (rule_set.thresholds.get(GATHERING_THRESHOLD) or {}).get("value")
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool):
        raise d.fail(tr("rule set {id} names no threshold {name}, so a gathering cannot be counted as an incident "
                        "or a petition", id=rule_set.id, name=GATHERING_THRESHOLD), "kind",
                     tr("record it as --kind incident or --kind petition"))
    return ("incident" if (d.size or 0) >= threshold else "petition"), int(threshold)


def _check_measure(d: Draft, statuses: Mapping[Any, Any], seq: int) -> None:
    if d.measure not in statuses:
        raise d.fail(tr("the assessment (entry {seq}) has no measure {measure!r}", seq=seq, measure=d.measure),
                     "measure", tr("its measures: {ids}", ids=sorted(map(str, statuses)) or tr("none")))
    target = MAPPING[d.kind].effects[0][2]
    if statuses[d.measure] == target:
        raise d.fail(tr("measure {measure!r} is already completed", measure=d.measure) if target == "completed" else
                     tr("measure {measure!r} is already cancelled", measure=d.measure), "measure")


def _measure_status(statuses: dict[Any, Any], content: Mapping[str, Any]) -> None:
    for operation, _, operand in _effects(content):
        if operation == "status":
            statuses[content["measure"]] = operand


def _effects(content: Mapping[str, Any]) -> tuple[tuple[str, str, str], ...]:
    return MAPPING[content.get("counted_as") or content["kind"]].effects


# ----------------------------------------------------------------------------- the events on the answers


def apply_events(answers: Mapping[str, Any], events: Sequence[Mapping[str, Any]], *, stage: bool = True
                 ) -> tuple[dict[str, Any], list[tuple[str, Any, Any]]]:
    """The decision's ``answers`` with ``events`` applied in the order recorded (:data:`MAPPING`), and the
    answers they changed: (answer, before, after). An unknown count becomes ``{at_least: N}``."""
    out = copy.deepcopy(dict(answers))
    touched: dict[str, Any] = {}
    for event in events:
        operands = {"count": event.get("count", 1), "one": 1, "size": event.get("size")}
        for operation, path, operand in _effects(event):
            value = operands.get(operand, operand)
            if operation == "status":
                key = f"measures[{event['measure']}].status"
                touched.setdefault(key, _status(answers, event["measure"]))
                for m in out.get("measures") or []:
                    if m.get("id") == event["measure"]:
                        m["status"] = value
                continue
            section, name = path.split(".")
            touched.setdefault(path, (answers.get(section) or {}).get(name) if isinstance(
                answers.get(section), Mapping) else None)
            holder = out[section] if isinstance(out.get(section), dict) else out.setdefault(section, {})
            if not isinstance(holder, dict):
                holder = out[section] = {}
            holder[name] = (_plus if operation == "add" else _raised)(holder.get(name), value)
    if stage:
        out.setdefault("project", {})[STAGE[0].split(".")[1]] = STAGE[1]
    changes = [(path, before, _now(out, path)) for path, before in touched.items()]
    return out, [c for c in changes if c[1] != c[2]]


def _status(answers: Mapping[str, Any], measure: str) -> Any:
    return next((m.get("status") for m in answers.get("measures") or [] if m.get("id") == measure), None)


def _now(answers: Mapping[str, Any], path: str) -> Any:
    if path.startswith("measures["):
        return _status(answers, path[len("measures["):path.index("]")])
    section, name = path.split(".")
    return (answers.get(section) or {}).get(name)


def _plus(value: Any, n: int) -> Any:
    """``value + n``; an unknown value is at least ``n``, a range moves up by ``n``."""
    if value is None:
        return {"at_least": n}
    if isinstance(value, Mapping):
        span = Interval.of(value)
        return _span((span.low or 0) + n, None if span.high is None else span.high + n)
    return value + n


def _raised(value: Any, n: int) -> Any:
    """``value`` raised to at least ``n``; an unknown value is at least ``n``."""
    if value is None:
        return {"at_least": n}
    if isinstance(value, Mapping):
        span = Interval.of(value)
        return _span(max(span.low or 0, n), None if span.high is None else max(span.high, n))
    return max(value, n)


def _span(low: float, high: float | None) -> Any:
    low_ = int(low) if float(low).is_integer() else low
    if high is None:
        return {"at_least": low_}
    high_ = int(high) if float(high).is_integer() else high
    return low_ if low_ == high_ else {"between": [low_, high_]}


# ----------------------------------------------------------------------------- watch


@dataclass
class Rise:
    """A project whose post-measure grade, or the top of its range, rose from its decision to its latest
    re-grade: by how much, after which events, and why."""

    decision: Entry
    regrade: Entry
    events: list[StoredEvent]
    rose: list[tuple[Text, str, str]]
    """(what rose, from grade, to grade)."""
    reasons: list[Text]

    @property
    def grade_titles(self) -> dict[str, Any]:
        return {gid: g.get("title") or {} for gid, g in
                ((self.decision.record().get("labels") or {}).get("grades") or {}).items()}


@dataclass
class Watched:
    projects: int = 0
    """Projects with a re-grade after their latest assessment (and, with ``since``, an event since)."""
    rose: list[Rise] = field(default_factory=list)


def watch(register: Register, engine: Engine, since: str | None = None) -> Watched:
    """The projects whose post-measure grade or the top of its range rose since their decision (their latest
    assessment), to their latest re-grade; ``since`` (YYYY-MM-DD): only those with an event on or after it."""
    out = Watched()
    for decision, regrade in _latest_regrades(register):
        events = register.events(decision.record_id)
        if since is not None and not any(e.date >= since for e in events):
            continue
        out.projects += 1
        basis, again = register.get(str(decision.seq)), register.get(str(regrade.seq))
        rose = rises(basis, again)
        if rose:
            out.rose.append(Rise(basis, again, events, rose, _reasons(engine, basis, again)))
    return out


def decisions_of(register: Register) -> tuple[dict[str, Entry], dict[str, Entry]]:
    """Each project's latest assessment (by project id, else name), and the latest re-grade of each assessment
    (by its record id); as listed, without what they store."""
    from .register.store import ASSESSMENT
    decisions: dict[str, Entry] = {}
    regrades: dict[str, Entry] = {}
    for entry in register.history():
        if entry.kind == ASSESSMENT:
            key = entry.columns.get("project_id") or entry.columns.get("project_name") or entry.record_id
            decisions[str(key)] = entry
        elif entry.basis_record_id is not None:
            regrades[entry.basis_record_id] = entry
    return decisions, regrades


def latest_assessments(register: Register) -> Iterator[Entry]:
    """Each project's latest assessment (its decision) with what it stores, one at a time."""
    for decision in decisions_of(register)[0].values():
        yield register.get(str(decision.seq))


def _latest_regrades(register: Register) -> Iterator[tuple[Entry, Entry]]:
    """Each project's latest assessment and the latest re-grade of it (a project with none is left out)."""
    decisions, regrades = decisions_of(register)
    for decision in decisions.values():
        if decision.record_id in regrades:
            yield decision, regrades[decision.record_id]


def rises(decision: Entry, regrade: Entry) -> list[tuple[Text, str, str]]:
    """What rose from the decision to the re-grade: its post-measure grade, the top of its range (grades in the
    order the decision's rule set lists them)."""
    order = list(((decision.record().get("labels") or {}).get("grades")) or {})
    rank = {gid: k for k, gid in enumerate(order)}
    out = []
    for column, what in (("post_measure_grade", tr("post-measure grade")),
                         ("post_highest", tr("top of the post-measure range"))):
        then, now = str(decision.columns[column]), str(regrade.columns[column])
        if rank.get(now, -1) > rank.get(then, len(order)):
            out.append((what, then, now))
    return out


def _reasons(engine: Engine, decision: Entry, regrade: Entry) -> list[Text]:
    """Factor by factor, override by override, method by method: what the events changed (:mod:`.whatif`)."""
    from .errors import ErrorText
    from .whatif import factor_reasons, method_reasons, override_reasons
    record = decision.stored()
    try:
        rule_set = same_rule_set(engine, record)
        old, new = (_assessment(engine, rule_set, e.stored()["questionnaire"]["answers"], record,
                                f"register:{e.record_id[:23]}") for e in (decision, regrade))
    except RiskAssessError as exc:
        return [tr("the reasons cannot be given here: {error}", error=ErrorText(exc))]
    return factor_reasons(old, new) + override_reasons(old, new) + method_reasons(old, new)
