"""``riskassess batch`` and ``riskassess what-if``: a portfolio of questionnaires at once."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_options import LangOpt, RulesOpt, chosen_language, speaker, write_atomically
from .cli_register import EvaluateRegisterOpt
from .errors import ErrorText, ExitCode, InputError
from .i18n import tr

SourcesArg = Annotated[list[str], typer.Argument(help="Questionnaire files, directories of them, or globs.")]


def batch(
    sources: SourcesArg,
    rules: RulesOpt = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0,
                                      help="Worker processes (0, the default: one per CPU).")] = 0,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Directory for the records; a record already "
                                                                 "there for the same file and rule set is kept "
                                                                 "(resume).")] = None,
    summary: Annotated[Path | None, typer.Option("--summary", help="Write one row per file: .jsonl or .csv.")]
    = None,
    register: EvaluateRegisterOpt = None,
    lang: LangOpt = None,
) -> None:
    """Grade many questionnaires: progress, worker processes, bad files collected, resumable."""
    from .batch import iter_batch, questionnaire_files
    from .engine import Engine
    language = chosen_language(lang)
    if summary is not None and summary.suffix.lower() not in (".jsonl", ".csv"):
        raise InputError(tr("the summary is written as .jsonl or .csv, not {name!r}", name=summary.name),
                         source=str(summary))
    files = questionnaire_files(sources)
    rule_set = Engine().rule_set(rules)  # a rule set that does not load is one error, not one per file
    workers = jobs or min(len(files), os.cpu_count() or 1)
    tally = _Tally("jsonl" if summary is not None and summary.suffix.lower() == ".jsonl" else
                   "csv" if summary is not None else None)
    with _progress(len(files), language) as advance, _registering(register, language) as store:
        for outcome in iter_batch(files, rules, jobs=workers, out_dir=out, for_register=register is not None):
            advance(outcome)
            store(outcome)
            tally.add(outcome)
    if summary is not None:
        write_atomically(summary, "".join(tally.rows))
    tally.report({g.id: g.title[language] for g in rule_set.grades}, language)
    if tally.failed:
        raise typer.Exit(max(o.exit_code for o in tally.failed))


class _Tally:
    """What the end of a batch reports, kept as the outcomes pass: counts, the refusals, the summary rows if
    asked for — not every outcome (a batch of 100,000 files takes no more memory than one of 100)."""

    def __init__(self, summary_format: str | None) -> None:
        from .batch import summary_header
        self.format = summary_format
        self.rows: list[str] = [summary_header(summary_format)] if summary_format else []
        self.graded = self.resumed = 0
        self.by_grade: dict[str, int] = {}
        self.failed: list[Any] = []

    def add(self, outcome: Any) -> None:
        from .batch import summary_row
        if self.format is not None:
            self.rows.append(summary_row(outcome, self.format))
        if outcome.status == "failed":
            self.failed.append(outcome)
            return
        self.graded += 1
        self.resumed += outcome.status == "resumed"
        self.by_grade[outcome.post_measure_grade] = self.by_grade.get(outcome.post_measure_grade, 0) + 1

    def report(self, grade_titles: dict[str, str], lang: str) -> None:
        speaker(lang)(tr("{graded} graded ({resumed} of them resumed from their records), {failed} refused; "
                         "post-measure grades: {grades}", graded=self.graded, resumed=self.resumed,
                         failed=len(self.failed),
                         grades=[f"{grade_titles.get(g, g)} {n}" for g, n in sorted(self.by_grade.items())]))
        for o in self.failed:
            typer.echo(tr("refused: {error}", error=o.error_zh if lang == "zh" else o.error_en).render(lang),
                       err=True)


class _progress:
    """A progress bar on stderr when it is a terminal; otherwise nothing (logs stay clean)."""

    def __init__(self, total: int, lang: str) -> None:
        self.total, self.lang = total, lang
        self.bar: Any = None

    def __enter__(self) -> Any:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        console = Console(stderr=True)
        if not console.is_terminal:
            return lambda outcome: None
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeRemainingColumn(), console=console, transient=True)
        self.bar.start()
        task = self.bar.add_task(tr("grading").render(self.lang), total=self.total)
        bar = self.bar
        return lambda outcome: bar.advance(task)

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()


class _registering:
    """Stores the outcomes in the register as they arrive (:class:`riskassess.batch.RegisterSink`); says how many."""

    def __init__(self, location: str | None, lang: str) -> None:
        self.location, self.lang = location, lang
        self.register: Any = None
        self.sink: Any = None

    def __enter__(self) -> Callable[[Any], None]:
        if self.location is None:
            return lambda outcome: None
        from .batch import RegisterSink
        from .cli_register import _open
        self.register = _open(self.location, create=True).__enter__()
        self.sink = RegisterSink(self.register)
        return self.sink

    def __exit__(self, kind: Any, *exc: Any) -> None:
        if self.register is None:
            return
        try:
            if kind is None:
                self.sink.flush()
        finally:
            where = self.register.location
            self.register.__exit__(kind, *exc)
        if kind is None:
            speaker(self.lang)(tr("registered {new} new entries ({held} already held) in {register}",
                                  new=self.sink.new, held=self.sink.held, register=where))


def what_if(
    sources: Annotated[list[str], typer.Argument(help="Questionnaire files, directories of them, or globs; or a "
                                                      "register (a SQLite file or postgresql:// URL): each "
                                                      "project's latest assessment in it.")],
    rules: Annotated[str, typer.Option("--rules", "-r", help="The new rule set (id or path).")],
    against: Annotated[str | None, typer.Option("--against", help="The rule set to compare with (default: "
                                                                  "cn-ndrc-2012; for a register, the rule set "
                                                                  "each assessment was graded under).")] = None,
    lang: LangOpt = None,
) -> None:
    """List the projects a rule change would re-grade, and why, factor by factor."""
    from .whatif import Change
    language = chosen_language(lang)
    say = speaker(language)
    total, streams = _what_if_sources(sources, against, rules)
    changes = refused = 0
    for stream in streams:
        for item in stream:
            if not isinstance(item, Change):
                refused += 1
                typer.echo(tr("refused: {error}", error=ErrorText(item.error)).render(language), err=True)
                continue
            changes += 1
            _say_change(say, item, language)
    say(tr("{changed} of {total} questionnaires grade differently under {rules}", changed=changes, total=total,
           rules=rules))
    if refused:
        raise typer.Exit(ExitCode.INPUT_ERROR)


def _what_if_sources(sources: list[str], against: str | None, rules: str) -> tuple[int, list[Iterator[Any]]]:
    """How many projects, and the comparisons to run: the questionnaire files, then each register given."""
    from .batch import questionnaire_files
    from .engine import Engine
    from .monitor import decisions_of
    from .whatif import compare, compare_register
    engine = Engine()
    registers = [s for s in sources if _is_register(s)]
    files = [s for s in sources if s not in registers]
    total, streams = 0, []
    if files:
        paths = questionnaire_files(files)
        total += len(paths)
        streams.append(compare(engine, paths, against, rules))
    for location in registers:
        from .cli_register import _open
        register = _open(location)
        total += len(decisions_of(register)[0])
        streams.append(_closing(register, compare_register(engine, register, against, rules)))
    return total, streams


def _closing(register: Any, items: Iterator[Any]) -> Iterator[Any]:
    with register:
        yield from items


def _is_register(source: str) -> bool:
    """A ``postgresql://`` URL, or a SQLite database file (by its first bytes)."""
    from .register.schema import is_url
    if is_url(source):
        return True
    path = Path(source)
    if not path.is_file():  # never opened otherwise: a FIFO would block
        return False
    try:
        with path.open("rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _say_change(say: Callable[[Any], None], item: Any, language: str) -> None:
    def t(gid: str) -> str:
        return str(item.titles[gid][language]) if gid in item.titles else gid
    say(tr("{path} ({project}): before measures {old_initial} → {new_initial}, after measures {old_post} → "
           "{new_post}; post-measure range {old_range} → {new_range}", path=item.path,
           project=item.project_id or "—", old_initial=t(item.old[0]), new_initial=t(item.new[0]),
           old_post=t(item.old[1]), new_post=t(item.new[1]), old_range="–".join(map(t, item.old_range)),
           new_range="–".join(map(t, item.new_range))))
    for reason in item.reasons:
        say(tr("  - {reason}", reason=reason))
