"""The ``riskassess`` command: a thin layer over :class:`riskassess.Engine`.

Each command parses options, calls the library and hands the result to a
renderer. Errors the library raises on purpose (:class:`RiskAssessError`) are
printed as one short message and mapped to :class:`ExitCode`; anything else is a
bug, shown with a traceback only under ``--debug``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .engine import Engine
from .errors import ExitCode, InputError, PluginError, RiskAssessError
from .plugins import engine_version
from .questionnaire import answer_at

app = typer.Typer(
    name="riskassess", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Social stability risk assessment (社会稳定风险评估): grade a project questionnaire against a rule set, "
         "with a traceable record.",
)
rules_app = typer.Typer(no_args_is_help=True, help="List and inspect rule sets.")
plugins_app = typer.Typer(no_args_is_help=True, help="List installed plugins and what they provide.")
app.add_typer(rules_app, name="rules")
app.add_typer(plugins_app, name="plugins")


class Lang(StrEnum):
    zh = "zh"
    en = "en"


class SchemaName(StrEnum):
    questionnaire = "questionnaire"
    ruleset = "ruleset"
    record = "record"


def _default_lang() -> Lang:
    value = os.environ.get("RISKASSESS_LANG") or os.environ.get("LANG", "")
    return Lang.zh if value.lower().startswith("zh") else Lang.en


RulesOpt = Annotated[str | None, typer.Option("--rules", "-r", help="Rule-set id or path (default: cn-ndrc-2012).")]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help="Language of labels: zh or en (default from $LANG).")]

_BROKEN_PIPE = 141  # the shell's status for a process stopped by SIGPIPE


def _stop_on_broken_pipe() -> None:
    # `riskassess … | head`: stop quietly, and not with rich's exit 1, which scripts would read
    # as a tripped --fail-on gate.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class _Console(Console):
    def on_broken_pipe(self) -> None:
        _stop_on_broken_pipe()
        raise SystemExit(_BROKEN_PIPE)


stdout = _Console(highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"riskassess {engine_version()}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks for errors.")] = False,
) -> None:
    """riskassess command line."""


def _write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` only once it is complete: no half-written output on failure."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output directory does not exist", source=str(directory))
    if path.is_dir():
        raise InputError("is a directory", source=str(path), hint="give a file name, e.g. record.json")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the user's usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _format_for(out: Path, formats: dict[str, Any], chosen: str | None) -> str:
    """``--format`` if given, else the format whose suffix ``out`` has; another suffix is an error."""
    if out.is_dir():
        raise InputError("is a directory", source=str(out), hint="give a file name, e.g. record.json or report.docx")
    if chosen not in (None, "text"):
        return str(chosen)
    for name, fmt in formats.items():
        if out.name.lower().endswith(fmt.suffix):
            return str(name)
    suffixes = ", ".join(sorted(f.suffix for f in formats.values()))
    raise InputError(f"cannot tell the format of {out.name!r} from its suffix; known: {suffixes}",
                     source=str(out), hint="name the file with one of these suffixes, or give --format")


@app.command()
def evaluate(
    questionnaire: Annotated[Path, typer.Argument(help="The questionnaire YAML file.")],
    rules: RulesOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text (summary), json (record), markdown "
                                                             "(report), or a plugin's format.")] = "text",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the record (or --format output) to "
                                                                 "this file; the format follows the suffix.")]
    = None,
    lang: LangOpt = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on", help="Exit 1 if the post-measure grade is this grade "
                                                "or worse (e.g. medium); worst:GRADE gates on the worst case the "
                                                "missing answers could give; provisional on a grade not yet firm.")]
    = None,
) -> None:
    """Grade a questionnaire: initial and post-measure grade, factors, evidence, decision, record."""
    language = (lang or _default_lang()).value
    engine = Engine()
    assessment = engine.evaluate(questionnaire, rules)
    formats = engine.contributions.output_formats
    gate = _gate(fail_on, assessment.rule_set.grade_ids) if fail_on is not None else None
    if format != "text" and format not in formats:
        raise InputError(f"unknown format {format!r}; available: text, {', '.join(sorted(formats))}")
    if out is not None:
        fmt = _format_for(out, formats, format)
        _write_atomically(out, _render(engine, formats[fmt], assessment.record(), language))
    if format == "text" or out is not None:
        from .summary import terminal_summary
        terminal_summary(assessment, language, stdout)
        if out is not None:
            stdout.print(f"→ {out}")
    else:
        content = _render(engine, formats[format], assessment.record(), language)
        if isinstance(content, bytes):
            raise InputError(f"format {format!r} is binary: write it to a file with --out",
                             hint=f"e.g. --out report{formats[format].suffix}")
        sys.stdout.write(content)
    if gate is not None:
        tripped = gate(assessment)
        if tripped:
            typer.echo(f"gate: {tripped}", err=True)
            raise typer.Exit(ExitCode.GATE_TRIPPED)


def _gate(spec: str, grades: tuple[str, ...]) -> Any:
    """``--fail-on GRADE`` (headline), ``worst:GRADE`` (top of the range) or ``provisional`` (not firm)."""
    if spec == "provisional":
        return lambda a: "the grade is provisional: missing answers could still change it" if a.provisional else ""
    basis, _, grade = spec.rpartition(":")
    if basis not in ("", "worst") or grade not in grades:
        raise InputError(f"--fail-on {spec!r}: expected a grade ({', '.join(grades)}), worst:GRADE or provisional",
                         hint="e.g. --fail-on medium, --fail-on worst:high, --fail-on provisional")
    need = grades.index(grade)
    if basis == "worst":
        def worst(a: Any) -> str:
            r = a.range_dict()["post_measure"]
            top = r["highest"]
            if grades.index(top) < need:
                return ""
            if r["firm"]:
                return f"the post-measure grade is {top} (firm), at or above {grade}"
            return f"the post-measure grade could be {top}, at or above {grade}"
        return worst
    return lambda a: (f"post-measure grade {a.post_measure_grade} is at or above {grade}"
                      if grades.index(a.post_measure_grade) >= need else "")


def _render(engine: Engine, fmt: Any, record: Any, lang: str) -> str | bytes:
    try:
        content = fmt.render(record, lang)
    except RiskAssessError:
        raise
    except Exception as exc:
        plugin = engine.contributions.plugin_of("output format", fmt.name)
        raise PluginError(f"output format {fmt.name!r} (plugin {plugin!r}) failed: {type(exc).__name__}: {exc}") \
            from exc
    if not isinstance(content, (str, bytes)):
        raise PluginError(f"output format {fmt.name!r} returned {type(content).__name__}, not text or bytes")
    return content


def _with_labels(engine: Engine, data: dict[str, Any], source: Path) -> dict[str, Any]:
    """A record written before records carried their labels: take them from the very rule set it names."""
    from .labels import record_labels
    ref = data["rule_sets"][0]
    try:
        rs = engine.rule_set(ref["id"])
    except RiskAssessError:
        rs = None
    if rs is None or rs.sha256 != ref["sha256"]:
        raise InputError("the record carries no labels and its rule set is not installed in the same version",
                         source=str(source), hint="evaluate the questionnaire again to write a record with labels")
    return {**data, "labels": record_labels(rs, data["questionnaire"]["answers"])}


@app.command()
def report(
    record: Annotated[Path, typer.Argument(help="An assessment record (JSON), as written by evaluate --out.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The report file; the format follows the suffix.")],
    format: Annotated[str | None, typer.Option("--format", "-f", help="docx, html or markdown (default: from "
                                                                       "the suffix of --out).")] = None,
    lang: LangOpt = None,
) -> None:
    """Write the filed report (428 outline) from a record alone: Word, HTML or Markdown."""
    from .verify import read_record
    language = (lang or _default_lang()).value
    engine = Engine()
    data = read_record(record)
    if "labels" not in data:
        data = _with_labels(engine, data, record)
    formats = {n: f for n, f in engine.contributions.output_formats.items() if n != "json"}
    if format is not None and format not in formats:
        raise InputError(f"unknown report format {format!r}; available: {', '.join(sorted(formats))}")
    fmt = _format_for(out, formats, format)
    _write_atomically(out, _render(engine, formats[fmt], data, language))
    stdout.print(f"→ {out}")


@app.command()
def validate(
    questionnaire: Annotated[Path, typer.Argument(help="The questionnaire YAML file.")],
    rules: RulesOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check a questionnaire against the schema of the rule set's fields; list every problem."""
    engine = Engine()
    rule_set = engine.rule_set(rules)
    q = engine.read_questionnaire(questionnaire, rule_set)
    assessment = engine.assess(q, rule_set)  # refuses here, too, if the rule set says so
    values = assessment.facts
    missing = [path for path, value in values.items() if value is None]
    language = (lang or _default_lang()).value
    if language == "zh":
        typer.echo(f"{questionnaire}：符合规则集 {rule_set.id} {rule_set.version} 的问卷格式")
        if missing:
            typer.echo(f"规则集读取的 {len(values)} 项事实中有 {len(missing)} 项未回答（未知）：" + "、".join(missing))
    else:
        typer.echo(f"{questionnaire}: valid for {rule_set.id} {rule_set.version}")
        if missing:
            typer.echo(f"{len(missing)} of the {len(values)} facts the rule set reads are unanswered (unknown): "
                       + ", ".join(missing))
    unread = _unread_answers(assessment)
    if unread:
        typer.echo(("以下答案本规则集不读取（只记录，不影响等级）：" + "、".join(unread)) if language == "zh" else
                   ("answered but not read by this rule set (recorded, no effect on the grade): " + ", ".join(unread)))
    from .summary import grade_with_range, question_lines, settle_line, t
    typer.echo(f"{t('post', language)}: {grade_with_range(assessment, 'post', language)}")
    questions = question_lines(assessment, language, limit=len(assessment.questions))
    if questions:
        typer.echo(t("questions", language) + ":")
        for i, line in enumerate(questions, 1):
            typer.echo(f"  {i}. {line}")
        settle = settle_line(assessment, language)
        if settle:
            typer.echo(f"  {settle}")


def _unread_answers(assessment: Any) -> list[str]:
    """Answered fields no rule reads (directly or through a derived fact): the owner should know."""
    rs = assessment.rule_set
    read = set(rs.program.facts)
    for path in rs.program.facts:
        if path in rs.derived_facts:
            read.update(rs.derived_facts[path].inputs)
    answers = assessment.questionnaire.answers
    out = []
    for path in rs.catalogue.leaf_paths():
        if path.startswith(("project.", "assessment.", "public.opinions")) or path in read:  # for the report
            continue
        if answer_at(answers, path) is not None:
            out.append(path)
    return out


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the template.")] = Path("questionnaire.yaml"),
    lang: LangOpt = None,
    rules: RulesOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented questionnaire template (every field, zh or en comments)."""
    from .template import SCHEMA_FILE, questionnaire_template
    if path.exists() and not force:
        raise InputError("file exists", source=str(path), hint="choose another path or pass --force")
    rule_set = Engine().rule_set(rules)
    _write_atomically(path, questionnaire_template(rule_set.catalogue, (lang or _default_lang()).value))
    schema_path = path.parent / SCHEMA_FILE
    _write_atomically(schema_path, json.dumps(rule_set.catalogue.json_schema, ensure_ascii=False, indent=2) + "\n")
    typer.echo(f"wrote {path} and {schema_path} (editors with a YAML language server complete and explain every "
               f"field); fill it in, then run: riskassess validate {path}")


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="questionnaire, ruleset or record")],
    rules: RulesOpt = None,
) -> None:
    """Print a JSON Schema (the questionnaire's includes the rule set's own fields)."""
    if name is SchemaName.questionnaire:
        data: Any = Engine().rule_set(rules).catalogue.json_schema
    elif name is SchemaName.ruleset:
        from .ruleset import ruleset_schema
        data = ruleset_schema()
    else:
        from .assessment import record_schema
        data = record_schema()
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
def verify(
    record: Annotated[Path, typer.Argument(help="An assessment record written by `evaluate --out`.")],
    rules: RulesOpt = None,
) -> None:
    """Re-evaluate a record and report whether it is reproduced, naming what differs."""
    from .verify import read_record, verify_record
    result = verify_record(read_record(record), Engine(), rules)
    if result.reproduced:
        typer.echo(f"reproduced: {result.record_id}")
        return
    typer.echo(f"NOT reproduced: {result.record_id}" +
               (f" (re-evaluation gives {result.recomputed_id})" if result.recomputed_id else ""))
    for diff in result.differences:
        typer.echo(f"  - {diff}")
    raise typer.Exit(ExitCode.NOT_REPRODUCED)


def _pack_path(engine: Engine, pack: Path) -> Path:
    """A pack given as a path, or as the id of an installed rule set."""
    if pack.exists() or "/" in str(pack):
        return pack
    known = {info.id: info.path for info in engine.available_rule_sets()}
    return known.get(str(pack), pack)


@app.command("test")
def test_packs(
    packs: Annotated[list[Path], typer.Argument(help="Rule-pack directories (or their ruleset.yaml).")],
    junit: Annotated[Path | None, typer.Option("--junit", help="Write a JUnit XML report here.")] = None,
    min_coverage: Annotated[float | None, typer.Option("--min-coverage", min=0, max=100,
                                                       help="Fail below this coverage, in percent (0–100).")] = None,
) -> None:
    """Run a rule pack's own test cases (tests/test_*.yaml) and report coverage."""
    from .packtest import junit_xml, run_pack_tests
    engine = Engine()
    failed = False
    reports = []
    for pack in packs:
        run = run_pack_tests(engine, _pack_path(engine, pack))
        reports.append(junit_xml(run))
        for o in run.outcomes:
            where = f"{o.file}:{o.line}" if o.line else o.file
            if o.todo_now_passes:
                typer.echo(f"FIXED {o.name} ({where}) passes now: remove its todo")
            if o.passed:
                continue
            label = "TODO" if o.todo is not None else "FAIL"
            typer.echo(f"{label} {o.name} ({where})" + (f" — {o.todo}" if o.todo else ""))
            for line in ([o.error] if o.error else o.failures):
                typer.echo(f"    {line}")
        passed = sum(o.passed for o in run.outcomes)
        todo = sum(1 for o in run.outcomes if o.todo is not None and not o.passed)
        typer.echo(f"{run.rule_set.id}: {passed} passed, {len(run.failed)} failed, {todo} known gaps (todo)")
        total = run.coverage.total()
        typer.echo(f"coverage {float(total) * 100:.1f}%: " + "; ".join(
            f"{name} {hit}/{of}" for name, (hit, of) in run.coverage.parts().items()))
        for gap in run.coverage.gaps(run.rule_set):
            typer.echo(f"    not covered: {gap}")
        if run.failed:
            failed = True
        if min_coverage is not None and total * 100 < Fraction(str(min_coverage)):  # exact: never round up
            typer.echo(f"coverage {float(total) * 100:.2f}% is below --min-coverage {min_coverage}%", err=True)
            failed = True
    if junit is not None:
        _write_atomically(junit, reports[0] if len(reports) == 1 else
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                          + "".join(r.split("\n", 1)[1] for r in reports) + "</testsuites>\n")
    if failed:
        raise typer.Exit(ExitCode.GATE_TRIPPED)


@app.command("lint")
def lint_packs(
    packs: Annotated[list[Path], typer.Argument(help="Rule-pack directories, ruleset.yaml files or ids.")],
) -> None:
    """Static checks on rule packs: unreachable cases, tier gaps, translations, unused declarations."""
    from .lint import lint
    engine = Engine()
    errors = 0
    for pack in packs:
        rs = engine.rule_set(_pack_path(engine, pack))
        findings = lint(rs)
        for f in findings:
            typer.echo(f.format())
        errors += sum(f.level == "error" for f in findings)
        warnings = sum(f.level == "warning" for f in findings)
        typer.echo(f"{rs.id}: {sum(f.level == 'error' for f in findings)} error(s), {warnings} warning(s)")
    if errors:
        raise typer.Exit(ExitCode.GATE_TRIPPED)


@rules_app.command("list")
def rules_list() -> None:
    """Rule sets available by id (shipped packs and plugins)."""
    engine = Engine()
    table = Table("id", "version", "provided by", "path")
    for info in engine.available_rule_sets():
        table.add_row(info.id, info.version, info.plugin, str(info.path))
    stdout.print(table)


@rules_app.command("show")
def rules_show(
    ref: Annotated[str, typer.Argument(help="Rule-set id or path.")],
    lang: LangOpt = None,
) -> None:
    """Factors, overrides, scoring and the facts a rule set reads."""
    language = (lang or _default_lang()).value
    rs = Engine().rule_set(ref)

    stdout.print(f"{rs.id} {rs.version} — {rs.title[language]}", markup=False, style="bold")
    stdout.print(f"{rs.jurisdiction[language]}; sha256 {rs.sha256}", markup=False)
    for pid, pversion, _, psource in rs.parents:
        stdout.print(f"extends {pid} {pversion} ({psource})", markup=False)
    from .ruleset import CATEGORIES
    for f in rs.factors:
        cases = ", ".join(f"{c.id} {c.probability}×{c.impact}" if c.points is None
                          else f"{c.id} {float(c.points):g} pts" for c in f.cases)
        basis = "; ".join(f"{b['document']} {b.get('article', '')}".strip() for b in f.basis)
        stdout.print(f"{f.id} [{CATEGORIES[f.category][language]}] {f.title[language]}: {cases}; "
                     f"on_unknown {f.on_unknown}; basis {basis}", markup=False)
    for o in rs.overrides:
        stdout.print(f"override {o.id}: {o.title[language]} → ≥ {rs.grades[o.floor].id}", markup=False)
    for step in rs.scoring:
        stdout.print(f"scoring: {step.method} (plugin {step.plugin})", markup=False)
    for name, th in rs.thresholds.items():
        stdout.print(f"threshold {name} = {th['value']} [{th['status']}] {th['source'][language]}", markup=False)
    stdout.print("reads: " + ", ".join(rs.facts_read()), markup=False)


@plugins_app.command("list")
def plugins_list() -> None:
    """Plugins and the operators, scoring methods, formats and rule sets each provides."""
    engine = Engine()
    c = engine.contributions
    table = Table("plugin", "version", "provides")
    for p in c.plugins:
        provides = [f"{kind} {name}" for (kind, name), owner in sorted(c.owners.items()) if owner == p.name]
        provides += [f"rule sets in {path}" for path, owner in c.rule_set_paths if owner == p.name]
        provides += [f"fields extensions.{ns}" for ns, (_, owner) in c.questionnaire_fields.items()
                     if owner == p.name]
        table.add_row(p.name, p.version, "\n".join(provides))
    stdout.print(table)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and map errors to documented exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:  # accepted anywhere on the line, not only before the command
        args = ["--debug", *[a for a in args if a != "--debug"]]
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        # Typer exits by itself (usage errors: 2, typer.Exit: its code); our errors arrive here.
        app(args=args, prog_name="riskassess")
        code: int = ExitCode.OK
    except BrokenPipeError:
        _stop_on_broken_pipe()
        code = _BROKEN_PIPE
    except RiskAssessError as exc:
        if debug:
            raise
        err.print(f"error: {exc}", markup=False)
        code = exc.exit_code
    except Exception as exc:
        if debug:
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc} (this is a bug in riskassess; rerun with --debug "
                  "and report the traceback)", markup=False)
        code = ExitCode.INTERNAL_ERROR
    sys.exit(int(code or 0))
