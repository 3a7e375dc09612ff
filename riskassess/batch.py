"""Many questionnaires at once: worker processes, one bad file never stopping the rest, resumable.

Each worker process builds its engine and loads the rule set once, then grades the files it is
given and writes each record itself (records are large; only a one-line summary travels back).
A file that cannot be graded gives a :class:`Outcome` with its error in both languages and the
exit code it would have had alone. With an output directory, a file whose record is already there
— written from the same file content under the same rule set — is not graded again, so an
interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ExitCode, InputError, RiskAssessError
from .i18n import tr
from .register.kernel import Stored, assessment_lines, stored_form
from .yamlfile import read_bytes

if TYPE_CHECKING:
    from .register import Register

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Outcome:
    """What grading one file gave: the grades, or the error that stopped it."""

    path: str
    status: str
    """``graded``, ``resumed`` (its record was already written) or ``failed``."""
    record_id: str | None = None
    project_id: str | None = None
    project_name: str | None = None
    initial_grade: str | None = None
    post_measure_grade: str | None = None
    firm: bool | None = None
    decision: str | None = None
    record: str | None = None
    error_zh: str | None = None
    error_en: str | None = None
    exit_code: int = 0
    stored: Stored | None = field(default=None, repr=False)
    """With ``for_register``: the record as a register keeps it (:mod:`riskassess.register.kernel`), made in
    the worker; dropped once stored. Not part of the summary."""

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        del row["stored"]
        return row


SUMMARY_FIELDS = tuple(name for name in Outcome.__dataclass_fields__ if name != "stored")


def questionnaire_files(sources: Sequence[str]) -> list[Path]:
    """The YAML files under each directory, matching each glob, or named; sorted, each once."""
    found: dict[Path, None] = {}
    for source in sources:
        path = Path(source)
        if path.is_dir():
            matches = [p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()]
        elif any(ch in source for ch in "*?["):
            matches = [Path(p) for p in glob.glob(source, recursive=True) if Path(p).is_file()]
        elif path.is_file():
            matches = [path]
        else:
            raise InputError(tr("no such file or directory"), source=source,
                             hint=tr("give questionnaire files, directories of them, or a glob such as 'q/**/*.yaml'"))
        found.update((p, None) for p in sorted(matches))
    if not found:
        raise InputError(tr("no questionnaires (*.yaml) found in {sources}", sources=list(sources)))
    return list(found)


def record_name(path: Path, root: Path | None) -> str:
    """The record's file name for a questionnaire: its path below the common root, flattened."""
    try:
        rel = path.resolve().relative_to(root) if root is not None else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    return "__".join(rel.with_suffix("").parts) + ".json"


def common_root(paths: Sequence[Path]) -> Path | None:
    parents = [str(p.resolve().parent) for p in paths]
    return Path(os.path.commonpath(parents)) if parents else None


# ---------------------------------------------------------------------------------------- workers

_worker: dict[str, Any] = {}


def _start_worker(rules: str | None, for_register: bool = False) -> None:
    from .engine import Engine
    engine = Engine(warn=lambda message: None)  # the parent process has shown the plugin warnings once
    _worker.update(engine=engine, rules=rules, rule_set=engine.rule_set(rules), for_register=for_register)


def grade_one(path: str, out_dir: str | None, record_file: str | None) -> Outcome:
    """Grade one file in a worker (see :func:`_start_worker`); never raises for a bad questionnaire."""
    engine, rule_set = _worker["engine"], _worker["rule_set"]
    try:
        raw = read_bytes(Path(path))  # a regular file, at most the questionnaire limit
        if out_dir and record_file:
            resumed = _resumed(Path(out_dir) / record_file, raw, rule_set.sha256, path)
            if resumed is not None:
                return resumed
        assessment = engine.assess(engine.read_questionnaire(Path(path), rule_set), rule_set)
        target = None
        if out_dir and record_file:  # the whole record, only when it is written out
            target = Path(out_dir) / record_file
            _write(target, json.dumps(assessment.record(), ensure_ascii=False, separators=(",", ":"),
                                      allow_nan=False))
        kernel = assessment.kernel()
        stored = stored_form(kernel, assessment_lines(assessment)) if _worker["for_register"] else None
        return _graded(path, kernel, str(target) if target else None, stored=stored)
    except RiskAssessError as exc:
        return Outcome(path, "failed", error_zh=exc.render("zh"), error_en=exc.render("en"),
                       exit_code=int(exc.exit_code))
    except OSError as exc:
        return Outcome(path, "failed", error_zh=f"无法读取：{exc.strerror}", error_en=f"cannot read: {exc.strerror}",
                       exit_code=int(ExitCode.INPUT_ERROR))
    except Exception as exc:  # a bug: reported with the file, the batch goes on
        text = f"{type(exc).__name__}: {exc}"
        return Outcome(path, "failed", error_zh=f"内部错误：{text}", error_en=f"internal error: {text}",
                       exit_code=int(ExitCode.INTERNAL_ERROR))


def _graded(path: str, record: dict[str, Any], target: str | None, status: str = "graded",
            stored: Stored | None = None) -> Outcome:
    """The outcome a record (or its kernel) gives: grades, range and decision from its digest."""
    digest = record["digest"]
    project = record["questionnaire"]["answers"].get("project") or {}
    return Outcome(path, status, record["record_id"], project.get("id"), project.get("name"),
                   digest["grades"][0], digest["grades"][1], not digest.get("provisional"),
                   digest.get("decision"), target, stored=stored)


def _resumed(target: Path, raw: bytes, rules_sha256: str, path: str) -> Outcome | None:
    """The outcome recorded earlier for these very bytes under this very rule set, if any."""
    if not target.is_file():
        return None
    try:
        record = json.loads(target.read_text(encoding="utf-8"))
        same_file = record["questionnaire"].get("raw_sha256") == hashlib.sha256(raw).hexdigest()
        same_rules = record["rule_sets"][0]["sha256"] == rules_sha256
        stored = stored_form(record) if same_file and same_rules and _worker["for_register"] else None
    except (OSError, ValueError, KeyError, TypeError, IndexError, RiskAssessError):
        return None  # unreadable: grade again and overwrite
    return _graded(path, record, str(target), "resumed", stored) if same_file and same_rules else None


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # whole or not at all, also when the batch is killed


# ---------------------------------------------------------------------------------------- the run


def run_batch(files: Sequence[Path], rules: str | None = None, *, jobs: int = 1, out_dir: Path | None = None,
              on_outcome: Callable[[Outcome], None] | None = None, for_register: bool = False) -> list[Outcome]:
    """Grade ``files`` under ``rules`` with ``jobs`` worker processes; outcomes in the order of ``files``.

    ``for_register``: each outcome carries its record as a register keeps it (``stored``), for ``on_outcome``
    to store; the outcomes returned no longer hold it. :func:`iter_batch` keeps none of them."""
    outcomes: list[Outcome] = []
    for outcome in iter_batch(files, rules, jobs=jobs, out_dir=out_dir, for_register=for_register):
        if on_outcome is not None:
            on_outcome(outcome)
        outcomes.append(replace(outcome, stored=None) if outcome.stored is not None else outcome)
    return outcomes


def iter_batch(files: Sequence[Path], rules: str | None = None, *, jobs: int = 1, out_dir: Path | None = None,
               for_register: bool = False) -> Iterator[Outcome]:
    """The outcomes of :func:`run_batch` one by one, as they come (memory does not grow with the files)."""
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        for leftover in out_dir.glob(".*.json.tmp*"):  # a batch killed mid-write (one batch per directory)
            leftover.unlink(missing_ok=True)
    root = common_root(files)
    names = [record_name(p, root) for p in files] if out_dir is not None else [None] * len(files)
    args = [(str(p), str(out_dir) if out_dir else None, n) for p, n in zip(files, names, strict=True)]
    yield from _outcomes(args, rules, jobs, for_register)


def _outcomes(args: list[tuple[str, str | None, str | None]], rules: str | None, jobs: int,
              for_register: bool) -> Iterator[Outcome]:
    if jobs <= 1 or len(args) < 2:
        _start_worker(rules, for_register)
        yield from (grade_one(*a) for a in args)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(rules, for_register)) as pool:
        chunk = max(1, min(64, len(args) // (jobs * 8)))
        yield from pool.map(grade_one, *zip(*args, strict=True), chunksize=chunk)


class RegisterSink:
    """An ``on_outcome`` for :func:`run_batch` with ``for_register``: stores each graded file's record in
    ``register`` as the outcomes arrive (in the files' order), :attr:`CHUNK` per transaction — a batch stopped
    midway keeps what it committed; call :meth:`flush` at the end."""

    CHUNK = 200

    def __init__(self, register: Register) -> None:
        self.register = register
        self.pending: list[Stored] = []
        self.new = self.held = 0

    def __call__(self, outcome: Outcome) -> None:
        if outcome.stored is not None:
            self.pending.append(outcome.stored)
        if len(self.pending) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            for added in self.register.add(self.pending):
                self.new, self.held = (self.new + 1, self.held) if added.new else (self.new, self.held + 1)
            self.pending = []


def summary_lines(outcomes: Iterable[Outcome], fmt: str) -> str:
    """The outcomes as JSON lines or CSV (one row per file)."""
    return "".join([summary_header(fmt), *(summary_row(o, fmt) for o in outcomes)])


def summary_header(fmt: str) -> str:
    """The CSV header row (JSON lines have none)."""
    return "" if fmt == "jsonl" else _csv_line(list(SUMMARY_FIELDS))


def summary_row(outcome: Outcome, fmt: str) -> str:
    """One file's row: a JSON line, or a CSV row under :func:`summary_header`."""
    row = outcome.as_dict()
    if fmt == "jsonl":
        return json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n"
    return _csv_line(["" if row[name] is None else row[name] for name in SUMMARY_FIELDS])


def _csv_line(values: list[Any]) -> str:
    import csv
    import io
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()
