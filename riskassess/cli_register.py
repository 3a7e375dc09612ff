"""``riskassess register …``: the assessment register from the command line, and ``evaluate --register``.

Imports nothing of the register (nor a database driver) until a command runs: a cold ``evaluate``
pays for none of it.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .cli_options import LangOpt, OutConsole, chosen_language, speaker, stdout
from .errors import ExitCode, RecordError
from .i18n import Text, tr

if TYPE_CHECKING:
    from .register import Entry, Register

register_app = typer.Typer(no_args_is_help=True, help="The assessment register: every assessment stored with its "
                                                      "record, in a tamper-evident chain; history, diff, export.")

RegisterOpt = Annotated[str | None, typer.Option("--register", help=(
    "The register: a SQLite file (a directory: riskassess-register.sqlite in it) or a postgresql:// URL "
    "(default: $RISKASSESS_REGISTER, then ./riskassess-register.sqlite)."))]
EvaluateRegisterOpt = Annotated[str | None, typer.Option("--register", help=(
    "Also store the assessment in this register: a SQLite file (a directory, e.g. `.`: riskassess-register.sqlite "
    "in it) or a postgresql:// URL."))]


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@register_app.callback()
def register_group(lang: LangOpt = None) -> None:
    pass


def _open(location: str | None, *, create: bool = False) -> Register:
    from .register import open_register
    return open_register(location, create=create)


def register_record(location: str, record: dict[str, Any], lang: str, *, err: bool = False) -> None:
    """``evaluate --register``: store the record just made, and say where."""
    with _open(location, create=True) as register:
        added = register.add([record])[0]
        text = _added_text(added, register.location)
    typer.echo(text.render(lang), err=err)


def _added_text(added: Any, location: str) -> Text:
    if added.new:
        return tr("registered as entry {seq} in {register}", seq=added.entry.seq, register=location)
    return tr("already in the register as entry {seq} ({register})", seq=added.entry.seq, register=location)


@register_app.command("add")
def add(
    records: Annotated[list[Path], typer.Argument(help="Assessment records (JSON) written by `evaluate --out`.")],
    register: RegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """Store records in the register, in one transaction; a record whose content does not match its id is refused."""
    from .verify import content_id, read_record
    say = speaker(chosen_language(lang))
    read = []
    for path in records:
        record = read_record(path)
        found = content_id(record)
        if found != record["record_id"]:
            raise RecordError(tr("the record was edited after it was written: its content no longer matches its id "
                                 "(its id: {id}; its content gives: {other})", id=record["record_id"], other=found),
                              source=str(path), hint=tr("`riskassess verify {file}` names what differs; nothing was "
                                                        "stored", file=str(path)))
        read.append(record)
    with _open(register, create=True) as reg:
        for path, added in zip(records, reg.add(read), strict=True):
            say(tr("{file}: {what}", file=str(path), what=_added_text(added, reg.location)))


@register_app.command("history")
def history(
    project: Annotated[str | None, typer.Argument(help="A project id (or name): its versions only.")] = None,
    register: RegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """The assessments in the register, oldest first: time, project, rule set, grades, record id."""
    language = chosen_language(lang)
    with _open(register) as reg:
        entries = reg.history(project)
        location = reg.location
    if not entries:
        speaker(language)(tr("no entries for project {project} in {register}", project=project, register=location)
                          if project else tr("the register {register} is empty", register=location))
        return
    headers = (tr("seq"), tr("recorded (UTC)"), tr("project"), tr("rule set"), tr("initial → post-measure grade"),
               tr("firm"), tr("record id"))
    from rich.table import Table
    table = Table(*(h.render(language) for h in headers))
    titles = _GradeTitles(language)
    for e in entries:
        c = e.columns
        t = titles.of(str(c["rule_set_id"]))
        grades = f"{t(c['initial_grade'])} → {t(c['post_measure_grade'])}"
        if c["post_lowest"] != c["post_highest"]:
            grades += f" ({t(c['post_lowest'])}…{t(c['post_highest'])})"
        project = e.project or "—"
        if e.kind != "assessment":
            project = tr("{project} (monitoring of {basis})", project=project,
                         basis=_short_id(e.basis_record_id or "")).render(language)
        table.add_row(str(e.seq), _time(e.recorded_at), project,
                      f"{c['rule_set_id']} {c['rule_set_version']}", grades,
                      (tr("yes") if c["firm"] else tr("no")).render(language), _short_id(e.record_id))
    _print_table(table)


class _GradeTitles:
    """Grade ids as their rule set titles them in the reader's language (the id itself where the rule set
    cannot be loaded here), each rule set loaded once."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.known: dict[str, dict[str, str]] = {}
        self.engine: Any = None

    def of(self, rule_set_id: str) -> Any:
        if rule_set_id not in self.known:
            self.known[rule_set_id] = self._load(rule_set_id)
        titles = self.known[rule_set_id]
        return lambda grade: titles.get(str(grade), str(grade))

    def _load(self, rule_set_id: str) -> dict[str, str]:
        from .errors import RiskAssessError
        try:
            if self.engine is None:
                from .engine import Engine
                self.engine = Engine(warn=lambda message: None)
            return {g.id: g.title[self.language] for g in self.engine.rule_set(rule_set_id).grades}
        except RiskAssessError:
            return {}


def _time(recorded_at: str) -> str:
    return recorded_at[:19].replace("T", " ")


def _short_id(record_id: str) -> str:
    return record_id[:23] + "…"


def _print_table(table: Any) -> None:
    # Piped or captured: whole lines, however long, for grep and scripts; on a terminal, its width.
    width = None if stdout.is_terminal else stdout.measure(table, options=stdout.options.update_width(10_000)).maximum
    (stdout if width is None else OutConsole(width=width, highlight=False, soft_wrap=True)).print(table)


@register_app.command("show")
def show(
    entry: Annotated[str, typer.Argument(help="An entry: its seq number or its record id (or its beginning).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored record (JSON) instead.")] = False,
    register: RegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """One entry: the assessment's summary and its place in the chain; --json prints the stored record."""
    language = chosen_language(lang)
    with _open(register) as reg:
        found = reg.get(entry)
    if as_json:
        import json
        sys.stdout.write(json.dumps(found.record(), ensure_ascii=False, indent=2) + "\n")
        return
    for line in _summary(found, language):
        typer.echo(line.render(language))


def _summary(entry: Entry, lang: str) -> list[Text]:
    record = entry.record()
    result, labels = record["result"], record.get("labels") or {}
    project = record["questionnaire"]["answers"].get("project") or {}
    grades = labels.get("grades") or {}

    def grade(gid: str) -> str:
        title = (grades.get(gid) or {}).get("title") or {}
        return f"{title.get(lang, gid)}（{gid}）" if lang == "zh" and title.get("zh") else gid

    post = (result.get("range") or {}).get("post_measure") or {}
    decision = result.get("decision") or {}
    applying = [f for f in result["factors"] if f.get("applies")]
    rule_set = record["rule_sets"][0]
    lines = [
        tr("entry {seq}: {id}", seq=entry.seq, id=entry.record_id),
        tr("project: {id} {name}", id=project.get("id", "—"), name=project.get("name", "")),
        tr("recorded {recorded} UTC; assessed {created}", recorded=_time(entry.recorded_at),
           created=str(record.get("created_at", "—"))[:19].replace("T", " ")),
        tr("rule set {id} {version} (sha256 {sha}); riskassess {engine}", id=rule_set["id"],
           version=rule_set["version"], sha=str(rule_set["sha256"])[:16], engine=record["engine"]["version"]),
        tr("initial grade {initial}; post-measure grade {post}", initial=grade(result["initial_grade"]),
           post=grade(result["post_measure_grade"])),
        tr("post-measure range {lowest} to {highest}: {firmness}", lowest=grade(post.get("lowest", "")),
           highest=grade(post.get("highest", "")), firmness=tr("firm") if result.get("firm") else tr("provisional")),
    ]
    if decision:
        title = (decision.get("title") or {}).get(lang) or decision.get("code")
        lines.append(tr("decision: {decision}", decision=title))
    lines.append(tr("factors that apply ({count}): {ids}", count=len(applying), ids=[f["id"] for f in applying]))
    if entry.kind != "assessment":
        import json
        lines.append(tr("monitoring: a re-grade of {basis} with {count} events after it", basis=entry.basis_record_id,
                        count=len(json.loads(entry.event_ids or "[]"))))
    lines.append(tr("chain: the first entry; entry hash {hash}", hash=entry.entry_hash) if entry.seq == 1 else
                 tr("chain: follows entry {prev_seq} ({prev}); entry hash {hash}", prev_seq=entry.seq - 1,
                    prev=entry.prev_hash, hash=entry.entry_hash))
    return lines


@register_app.command("diff")
def diff(
    first: Annotated[str, typer.Argument(help="An entry: its seq number or its record id (or its beginning).")],
    second: Annotated[str, typer.Argument(help="Another entry, compared with the first.")],
    register: RegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """What changed from one entry to another: rule sets, answers, factors, grades and ranges, by name."""
    from .register.compare import diff_records
    say = speaker(chosen_language(lang))
    with _open(register) as reg:
        a, b = reg.get(first), reg.get(second)
    names = (tr("entry {seq}", seq=a.seq), tr("entry {seq}", seq=b.seq))
    changes = diff_records(a.record(), b.record(), *names)
    say(tr("entry {a} ({a_id}) → entry {b} ({b_id}): {count} changes", a=a.seq, b=b.seq, a_id=_short_id(a.record_id),
           b_id=_short_id(b.record_id), count=len(changes)))
    for change in changes:
        say(tr("  - {difference}", difference=change))


@register_app.command("export")
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="jsonl (every entry with its record) or "
                                                                       "csv (a summary row an entry).")]
    = ExportFormat.jsonl,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file (default: standard output).")]
    = None,
    register: RegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """Every entry, oldest first, as JSON Lines or CSV."""
    from .register.export import csv_lines, jsonl_lines, write_lines
    with _open(register) as reg:
        lines = jsonl_lines(reg) if format is ExportFormat.jsonl else csv_lines(reg)
        write_lines(lines, out, sys.stdout)
    if out is not None:
        stdout.print(f"→ {out}")


@register_app.command("verify")
def verify(
    register: RegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """Re-walk the hash chains: name every edited, deleted, moved or inserted entry or event (exit 5 if any)."""
    from .register.chain import verify_chain
    say = speaker(chosen_language(lang))
    with _open(register) as reg:
        report = verify_chain(reg)
        location = reg.location
    if report.intact:
        say(tr("intact: {count} entries in {register}; chain head: entry {seq} {hash}", count=report.entries,
               register=location, seq=report.head.seq, hash=report.head.entry_hash))
        if report.event_head is not None and report.event_head.seq:
            say(tr("and {count} monitoring events; event chain head: event {seq} {hash}", count=report.events,
                   seq=report.event_head.seq, hash=report.event_head.entry_hash))
        return
    say(tr("NOT intact: {count} problems in {register} ({entries} entries)", count=len(report.findings),
           register=location, entries=report.entries))
    for f in report.findings:
        problem = _KINDS[f.kind] if f.detail is None else tr("{kind}: {detail}", kind=_KINDS[f.kind], detail=f.detail)
        say(tr("  - entry {seq} ({id}): {problem}", seq=f.seq, id=f.record_id or tr("record id unknown"),
               problem=problem) if f.chain == "entry" else
            tr("  - event {seq} ({id}): {problem}", seq=f.seq, id=f.record_id or tr("event id unknown"),
               problem=problem))
    raise typer.Exit(ExitCode.NOT_REPRODUCED)


_KINDS = {"edited": tr("edited"), "deleted": tr("deleted"), "moved": tr("moved"), "inserted": tr("inserted")}
