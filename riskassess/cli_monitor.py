"""Post-decision monitoring from the command line: ``riskassess register event`` and ``riskassess watch``.

Importing this module adds ``event`` to ``riskassess register``; ``watch`` is mounted by :mod:`.cli`. Like
:mod:`.cli_register`, nothing of the register, the engine or a database driver is imported until a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .cli_options import LangOpt, chosen_language, speaker
from .cli_register import RegisterOpt, _open, register_app
from .errors import ExitCode, InputError
from .i18n import Text, tr

if TYPE_CHECKING:
    from .monitor import Recorded, Rise

MonitorRulesOpt = Annotated[str | None, typer.Option("--rules", "-r", help=(
    "The rule file the decision was graded under, when it is not where its record says (the same id, version "
    "and SHA-256: another is refused)."))]


@register_app.command("event")
def event(
    project: Annotated[str, typer.Argument(help="A project id (or name) in the register.")],
    kind: Annotated[str | None, typer.Option("--kind", help=(
        "petition, gathering, incident, negative_report, measure_completed or measure_cancelled."))] = None,
    date: Annotated[str | None, typer.Option("--date", help=(
        "When it happened, YYYY-MM-DD: not before the project's latest assessment."))] = None,
    count: Annotated[int | None, typer.Option("--count", help="How many: petitions or negative reports (default 1).")]
    = None,
    size: Annotated[int | None, typer.Option("--size", help="How many people: a gathering or an incident.")] = None,
    measure: Annotated[str | None, typer.Option("--measure", help="The measure's id: measure_completed or "
                                                                   "measure_cancelled.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="What happened, in a few words.")] = None,
    from_file: Annotated[Path | None, typer.Option("--from", help=(
        "Several events from a YAML file: a list of {kind, date, count, size, measure, note}."))] = None,
    rules: MonitorRulesOpt = None,
    register: RegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """Record what happened after a project's decision and re-grade it under the same rules (回头看)."""
    from .engine import Engine
    from .monitor import draft, drafts_from_file, record_events
    say = speaker(chosen_language(lang))
    given = {"kind": kind, "date": date, "count": count, "size": size, "measure": measure, "note": note}
    if from_file is not None:
        named = [f"--{name}" for name, value in given.items() if value is not None]
        if named:
            raise InputError(tr("--from gives the events: leave out {options}", options=named), field="--from")
        drafts = drafts_from_file(from_file)
    elif kind is None:
        raise InputError(tr("no event given"), field="--kind", hint=tr("give --kind and --date, or --from FILE"))
    else:
        drafts = [draft(given)]
    with _open(register) as reg:
        done = record_events(reg, Engine(), project, drafts, rules)
    for line in _recorded_lines(done):
        say(line)


def _recorded_lines(done: Recorded) -> list[Text]:
    lines = [tr("event {seq} recorded: {event}", seq=e.seq, event=describe_event(e.content())) if new else
             tr("already recorded as event {seq}: {event}", seq=e.seq, event=describe_event(e.content()))
             for e, new in done.events]
    project = done.decision.project or done.decision.record_id
    if done.regrade is None:
        return [*lines, tr("nothing new: no re-grade of {project}", project=project)]
    before, after = done.decision.columns, done.regrade.columns
    titles = _titles(done.decision.record())
    lines.append(tr("{project} re-graded as entry {seq} (monitoring of entry {decision}): post-measure grade "
                    "{old} → {new}, range {old_range} → {new_range}", project=project, seq=done.regrade.seq,
                    decision=done.decision.seq, old=_Grade(before["post_measure_grade"], titles),
                    new=_Grade(after["post_measure_grade"], titles), old_range=_range(before, titles),
                    new_range=_range(after, titles)))
    lines += [tr("  answer {field}: {old} → {new}", field=f, old=_value(a), new=_value(b)) for f, a, b in done.changes]
    from .monitor import rises
    if rises(done.decision, done.regrade):
        lines.append(tr("  higher than at the decision: `riskassess watch` lists it"))
    return lines


def watch(
    since: Annotated[str | None, typer.Option("--since", help=(
        "Only projects with an event on or after this date (YYYY-MM-DD)."))] = None,
    register: RegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """Projects whose post-measure grade or top of its range rose since the decision: events and why (exit 1 if any)."""
    from . import monitor
    from .engine import Engine
    language = chosen_language(lang)
    say = speaker(language)
    when = None if since is None else monitor.checked_date(since, "--since")
    with _open(register) as reg:
        found = monitor.watch(reg, Engine(), when)
        location = reg.location
        for rise in found.rose:
            for line in _rise_lines(rise):
                say(line)
    if found.rose:
        say(tr("{rose} of {watched} monitored projects rose since their decision", rose=len(found.rose),
               watched=found.projects))
        raise typer.Exit(ExitCode.GATE_TRIPPED)
    if found.projects:
        say(tr("nothing rose: {watched} monitored projects, none higher than at their decision",
               watched=found.projects))
    else:
        say(tr("no project in {register} has events after its decision", register=location) if when is None else
            tr("no project in {register} has events since {since}", register=location, since=when))


def _rise_lines(rise: Rise) -> list[Text]:
    titles = _titles(rise.decision.record())
    rose = [tr("{what} {old} → {new}", what=what, old=_Grade(a, titles), new=_Grade(b, titles))
            for what, a, b in rise.rose]
    assessed = str(rise.decision.record().get("created_at") or rise.decision.recorded_at)[:10]
    lines = [tr("{project}: {rose}", project=rise.decision.project or rise.decision.record_id, rose=rose),
             tr("  decision: entry {seq}, assessed {assessed}; latest re-grade: entry {regrade}",
                seq=rise.decision.seq, assessed=assessed, regrade=rise.regrade.seq),
             tr("  events ({count}):", count=len(rise.events))]
    lines += [tr("    - event {seq}: {event}", seq=e.seq, event=describe_event(e.content())) for e in rise.events]
    lines.append(tr("  why:"))
    lines += [tr("    - {reason}", reason=reason) for reason in rise.reasons]
    return lines


# ----------------------------------------------------------------------------- words


def describe_event(content: dict[str, Any]) -> Text:
    """``2026-06-01 petition: count 3, “note”``, in the reader's language."""
    from .monitor import MAPPING
    details: list[Text | str] = []
    if content.get("count") is not None:
        details.append(tr("count {count}", count=content["count"]))
    if content.get("size") is not None:
        details.append(tr("{size} people", size=content["size"]))
    if content.get("measure") is not None:
        details.append(tr("measure {measure}", measure=content["measure"]))
    if content.get("counted_as") is not None:
        details.append(tr("counted as a {kind} (the rule set's incident size is {threshold})",
                          kind=MAPPING[content["counted_as"]].title, threshold=content.get("threshold")))
    if content.get("note") is not None:
        details.append(tr("{note!r}", note=content["note"]))
    kind = MAPPING[content["kind"]].title if content.get("kind") in MAPPING else str(content.get("kind"))
    if not details:
        return tr("{date} {kind}", date=content.get("date"), kind=kind)
    return tr("{date} {kind}: {details}", date=content.get("date"), kind=kind, details=details)


def _titles(record: dict[str, Any]) -> dict[str, Any]:
    return {gid: (g or {}).get("title") or {} for gid, g in ((record.get("labels") or {}).get("grades") or {}).items()}


class _Grade(Text):
    """A grade by its id, shown with its title in Chinese: ``中风险（medium）``."""

    __slots__ = ("gid", "titles")

    def __init__(self, gid: str, titles: dict[str, Any]) -> None:
        super().__init__("{gid}", gid=gid)
        self.gid, self.titles = gid, titles

    def render(self, lang: str) -> str:
        title = (self.titles.get(self.gid) or {}).get("zh")
        return f"{title}（{self.gid}）" if lang == "zh" and title else self.gid


def _range(columns: dict[str, Any], titles: dict[str, Any]) -> Text:
    low, high = columns["post_lowest"], columns["post_highest"]
    if low == high:
        return _Grade(low, titles)
    return tr("{lowest} to {highest}", lowest=_Grade(low, titles), highest=_Grade(high, titles))


def _value(value: Any) -> Text | str:
    if value is None:
        return tr("not answered")
    if isinstance(value, dict) and "at_least" in value:
        return tr("at least {value}", value=value["at_least"])
    if isinstance(value, dict) and "at_most" in value:
        return tr("at most {value}", value=value["at_most"])
    if isinstance(value, dict) and "between" in value:
        return tr("{low} to {high}", low=value["between"][0], high=value["between"][1])
    return str(value)
