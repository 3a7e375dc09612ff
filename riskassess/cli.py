"""The ``riskassess`` command: a thin layer over :class:`riskassess.Engine`.

Each command parses options, calls the library and hands the result to a
renderer. Errors the library raises on purpose (:class:`RiskAssessError`) are
printed as one short message and mapped to :class:`ExitCode`; anything else is a
bug, shown with a traceback only under ``--debug``.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from .cli_batch import batch, what_if
from .cli_language import is_usage_error, language_of, localize, usage_error_text
from .cli_monitor import watch  # riskassess watch, and `register event` (post-decision monitoring)
from .cli_options import (
    BROKEN_PIPE,
    AdjustmentsOpt,
    AsOfOpt,
    LangOpt,
    OutConsole,
    RulesOpt,
    chosen_language,
    speaker,
    stdout,
    stop_on_broken_pipe,
    write_atomically,
)
from .cli_plugin import plugin_app
from .cli_register import EvaluateRegisterOpt, register_app, register_record
from .cli_sign import key_app, sign
from .errors import ExitCode, InputError, PluginError, RiskAssessError
from .i18n import tr

if TYPE_CHECKING:
    from .engine import Engine


def _engine() -> Engine:
    """The engine, imported when a command needs it: ``--version`` and ``--help`` do not."""
    from .engine import Engine
    return Engine()


def _answered(answers: Any, path: str) -> bool:
    from .questionnaire import answer_at
    return answer_at(answers, path) is not None

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
app.add_typer(plugin_app, name="plugin")  # riskassess plugin new NAME: a plugin package to start from
app.add_typer(register_app, name="register")  # riskassess register …: the assessment register (cli_register.py)


class SchemaName(StrEnum):
    questionnaire = "questionnaire"
    ruleset = "ruleset"
    record = "record"


@rules_app.callback()
def rules_group(lang: LangOpt = None) -> None:  # --lang accepted here too: `riskassess rules --lang zh list`
    pass


@plugins_app.callback()
def plugins_group(lang: LangOpt = None) -> None:
    pass


_INTERRUPTED = 130  # and for one stopped by Ctrl-C


def _version(value: bool) -> None:
    if value:
        from .plugins import engine_version
        typer.echo(f"riskassess {engine_version()}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show Python tracebacks for errors.")] = False,
    lang: LangOpt = None,
) -> None:
    """riskassess command line."""


def _format_for(out: Path, formats: dict[str, Any], chosen: str | None) -> str:
    """``--format`` if given, else the format whose suffix ``out`` has; another suffix is an error."""
    if out.is_dir():
        raise InputError(tr("is a directory"), source=str(out),
                         hint=tr("give a file name, e.g. record.json or report.docx"))
    if chosen not in (None, "text"):
        return str(chosen)
    for name, fmt in formats.items():
        if out.name.lower().endswith(fmt.suffix):
            return str(name)
    suffixes = sorted(f.suffix for f in formats.values())
    raise InputError(tr("cannot tell the format of {name!r} from its suffix; known: {suffixes}", name=out.name,
                        suffixes=suffixes),
                     source=str(out), hint=tr("name the file with one of these suffixes, or give --format"))


@app.command()
def evaluate(
    questionnaire: Annotated[Path, typer.Argument(help="The questionnaire YAML file (- reads standard input).")],
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
    register: EvaluateRegisterOpt = None,
    adjustments: AdjustmentsOpt = None,
    as_of: AsOfOpt = None,
) -> None:
    """Grade a questionnaire: initial and post-measure grade, factors, evidence, decision, record."""
    language = chosen_language(lang)
    engine = _engine()
    assessment = engine.evaluate(questionnaire, rules, adjustments=adjustments, as_of=as_of)
    formats = engine.contributions.output_formats
    gate = _gate(fail_on, assessment.rule_set, language) if fail_on is not None else None
    if format != "text" and format not in formats:
        raise InputError(tr("unknown format {name!r}; available: {names}", name=format,
                            names=["text", *sorted(formats)]))
    if out is not None:
        fmt = _format_for(out, formats, format)
        write_atomically(out, _render(engine, formats[fmt], assessment.record(), language))
    if format == "text" or out is not None:
        from .summary import terminal_summary
        terminal_summary(assessment, language, stdout)
        _show_readings(assessment.questionnaire, language)
        if out is not None:
            stdout.print(f"→ {out}")
    else:
        content = _render(engine, formats[format], assessment.record(), language)
        if isinstance(content, bytes):
            raise InputError(tr("format {name!r} is binary: write it to a file with --out", name=format),
                             hint=tr("e.g. --out {file}", file=f"report{formats[format].suffix}"))
        sys.stdout.write(content)
    if register is not None:  # --register: stored as evaluated (said on stderr when stdout carries the output)
        register_record(register, assessment.record(), language, err=format != "text" and out is None)
    if gate is not None:
        tripped = gate(assessment)
        if tripped:
            typer.echo(tr("gate: {reason}", reason=tripped).render(language), err=True)
            raise typer.Exit(ExitCode.GATE_TRIPPED)


def _gate(spec: str, rs: Any, lang: str) -> Any:
    """``--fail-on GRADE`` (headline), ``worst:GRADE`` (top of the range) or ``provisional`` (not firm)."""
    if spec == "provisional":
        return lambda a: tr("the grade is provisional: missing answers could still change it") \
            if a.provisional else None
    grades = rs.grade_ids
    basis, _, grade = spec.rpartition(":")
    if basis not in ("", "worst") or grade not in grades:
        raise InputError(tr("--fail-on {spec!r}: expected a grade ({grades}), worst:GRADE or provisional", spec=spec,
                            grades=list(grades)),
                         hint=tr("e.g. --fail-on medium, --fail-on worst:high, --fail-on provisional"))
    need = grades.index(grade)

    def name(gid: str) -> str:
        return f"{rs.grades[grades.index(gid)].title[lang]}（{gid}）" if lang == "zh" else gid

    if basis == "worst":
        def worst(a: Any) -> Any:
            r = a.range_dict()["post_measure"]
            top = r["highest"]
            if grades.index(top) < need:
                return None
            if r["firm"]:
                return tr("the post-measure grade is {top} (firm), at or above {grade}", top=name(top),
                          grade=name(grade))
            return tr("the post-measure grade could be {top}, at or above {grade}", top=name(top), grade=name(grade))
        return worst
    return lambda a: (tr("post-measure grade {actual} is at or above {grade}", actual=name(a.post_measure_grade),
                         grade=name(grade)) if grades.index(a.post_measure_grade) >= need else None)


def _show_readings(q: Any, lang: str) -> None:
    """Answers read from their natural Chinese form: said, never silent."""
    if not q.readings:
        return
    say = speaker(lang)
    say(tr("read as written by the owner:"))
    for r in q.readings:
        read_as = "true" if r.read_as is True else "false" if r.read_as is False else r.read_as
        say(tr("  line {line} {field}: {written!r} → {read_as}", line=r.line, field=r.field, written=r.written,
               read_as=read_as))


def _render(engine: Engine, fmt: Any, record: Any, lang: str) -> str | bytes:
    try:
        content = fmt.render(record, lang)
    except RiskAssessError:
        raise
    except Exception as exc:
        plugin = engine.contributions.plugin_of("output format", fmt.name)
        raise PluginError(tr("output format {name!r} (plugin {plugin!r}) failed: {error}", name=fmt.name,
                             plugin=plugin, error=f"{type(exc).__name__}: {exc}")) from exc
    if not isinstance(content, (str, bytes)):
        raise PluginError(tr("output format {name!r} returned {kind}, not text or bytes", name=fmt.name,
                             kind=type(content).__name__))
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
        raise InputError(tr("the record carries no labels and its rule set is not installed in the same version"),
                         source=str(source), hint=tr("evaluate the questionnaire again to write a record with labels"))
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
    language = chosen_language(lang)
    engine = _engine()
    data = read_record(record)
    if "labels" not in data:
        data = _with_labels(engine, data, record)
    formats = {n: f for n, f in engine.contributions.output_formats.items() if n != "json"}
    if format is not None and format not in formats:
        raise InputError(tr("unknown report format {name!r}; available: {names}", name=format, names=sorted(formats)))
    fmt = _format_for(out, formats, format)
    write_atomically(out, _render(engine, formats[fmt], data, language))
    stdout.print(f"→ {out}")


@app.command()
def validate(
    questionnaire: Annotated[Path, typer.Argument(help="The questionnaire YAML file (- reads standard input).")],
    rules: RulesOpt = None,
    lang: LangOpt = None,
) -> None:
    """Check a questionnaire against the schema of the rule set's fields; list every problem."""
    engine = _engine()
    rule_set = engine.rule_set(rules)
    q = engine.read_questionnaire(questionnaire, rule_set)
    assessment = engine.assess(q, rule_set)  # refuses here, too, if the rule set says so
    values = assessment.facts
    missing = [path for path, value in values.items() if value is None]
    language = chosen_language(lang)
    say = speaker(language)
    say(tr("{file}: valid for {rule_set} {version}", file=q.source, rule_set=rule_set.id,
           version=rule_set.version))
    _show_readings(q, language)
    if missing:
        say(tr("{missing} of the {total} facts the rule set reads are unanswered (unknown): {paths}",
               missing=len(missing), total=len(values), paths=missing))
    unread = _unread_answers(assessment)
    if unread:
        say(tr("answered but not read by this rule set (recorded, no effect on the grade): {paths}", paths=unread))
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
        if _answered(answers, path):
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
        raise InputError(tr("file exists"), source=str(path), hint=tr("choose another path or pass --force"))
    rule_set = _engine().rule_set(rules)
    language = chosen_language(lang)
    write_atomically(path, questionnaire_template(rule_set.catalogue, language))
    schema_path = path.parent / SCHEMA_FILE
    write_atomically(schema_path, json.dumps(rule_set.catalogue.json_schema, ensure_ascii=False, indent=2) + "\n")
    speaker(language)(tr("wrote {path} and {schema} (editors with a YAML language server complete and explain every "
                      "field); fill it in, then run: riskassess validate {path}", path=str(path),
                      schema=str(schema_path)))


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="questionnaire, ruleset or record")],
    rules: RulesOpt = None,
    lang: LangOpt = None,  # for messages: main() reads it from the command line
) -> None:
    """Print a JSON Schema (the questionnaire's includes the rule set's own fields)."""
    if name is SchemaName.questionnaire:
        data: Any = _engine().rule_set(rules).catalogue.json_schema
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
    key: Annotated[Path | None, typer.Option("--key", help="An assessment body's public key: the record must carry "
                                                             "its valid signature.")] = None,
    lang: LangOpt = None,
) -> None:
    """Re-evaluate a record and report whether it is reproduced, naming what differs."""
    from .cli_sign import say_signature
    from .verify import SHOWN_DIFFERENCES, read_record, verify_record
    say = speaker(chosen_language(lang))
    data = read_record(record)
    result = verify_record(data, _engine(), rules, record_path=record)
    signed = say_signature(data, key, say)
    if result.reproduced:
        say(tr("reproduced: {id}", id=result.record_id))
        if not signed:
            raise typer.Exit(ExitCode.NOT_REPRODUCED)
        return
    if result.edited:
        say(tr("the record was edited after it was written: its content no longer matches its id"))
        if result.content_id != result.record_id:
            say(tr("  its id: {id}; its content gives: {other}", id=result.record_id, other=result.content_id))
    if result.recomputed_id and result.recomputed_id != result.record_id:
        say(tr("NOT reproduced: {id} (re-evaluation gives {other})", id=result.record_id, other=result.recomputed_id))
    else:
        say(tr("NOT reproduced: {id}", id=result.record_id))
    if result.edited and result.recomputed_id == result.record_id:
        say(tr("re-evaluation gives the id the record states: the result it was written with is reproduced, and "
               "what differs below was edited in the record"))
    for diff in result.differences[:SHOWN_DIFFERENCES]:
        say(tr("  - {difference}", difference=diff))
    if len(result.differences) > SHOWN_DIFFERENCES:
        say(tr("  … and {count} more", count=len(result.differences) - SHOWN_DIFFERENCES))
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
    lineage: Annotated[bool, typer.Option("--lineage", help=(
        "For a pack that extends another: cover the whole lineage (inherited factors, cases and conditions "
        "too), not only what the pack adds."))] = False,
    lang: LangOpt = None,
) -> None:
    """Run a rule pack's own test cases (tests/test_*.yaml) and report coverage."""
    from .packtest import junit_xml, run_pack_tests
    language = chosen_language(lang)
    engine = _engine()
    failed = False
    reports = []
    for pack in packs:
        run = run_pack_tests(engine, _pack_path(engine, pack), lineage)
        reports.append(junit_xml(run))
        _show_test_run(run, language)
        total = run.coverage.total()
        if run.failed:
            failed = True
        if min_coverage is not None and total * 100 < Fraction(str(min_coverage)):  # exact: never round up
            typer.echo(tr("coverage {percent}% is below --min-coverage {minimum}%", percent=f"{float(total) * 100:.2f}",
                          minimum=min_coverage).render(language), err=True)
            failed = True
    if junit is not None:
        write_atomically(junit, reports[0] if len(reports) == 1 else
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                          + "".join(r.split("\n", 1)[1] for r in reports) + "</testsuites>\n")
    if failed:
        raise typer.Exit(ExitCode.GATE_TRIPPED)


def _show_test_run(run: Any, lang: str) -> None:
    say = speaker(lang)
    for o in run.outcomes:
        where = f"{o.file}:{o.line}" if o.line else o.file
        if o.todo_now_passes:
            say(tr("FIXED {name} ({where}) passes now: remove its todo", name=o.name, where=where))
        if o.passed:
            continue
        if o.todo is not None:
            say(tr("TODO {name} ({where}) — {todo}", name=o.name, where=where, todo=o.todo))
        else:
            say(tr("FAIL {name} ({where})", name=o.name, where=where))
        for line in ([o.error] if o.error else o.failures):
            say(tr("    {problem}", problem=line))
    passed = sum(o.passed for o in run.outcomes)
    todo = sum(1 for o in run.outcomes if o.todo is not None and not o.passed)
    say(tr("{rule_set}: {passed} passed, {failed} failed, {todo} known gaps (todo); {assertions} assertions",
           rule_set=run.rule_set.id, passed=passed, failed=len(run.failed), todo=todo,
           assertions=run.assertions))
    parts = [tr("{part} {hit}/{of}", part=COVERAGE_PARTS.get(name, name), hit=hit, of=of)
             for name, (hit, of) in run.coverage.parts().items()]
    say(tr("coverage {percent}%: {parts}", percent=f"{float(run.coverage.total()) * 100:.1f}", parts=parts))
    if run.rule_set.parents:
        say(tr("    coverage of {scope}", scope=run.coverage_scope))
    for gap in run.coverage.gaps(run.rule_set):
        say(tr("    not covered: {gap}", gap=gap))


#: The parts of a rule pack its tests cover, as ``riskassess test`` names them.
COVERAGE_PARTS = {"factors applying and not applying": tr("factors applying and not applying"),
                  "cases taken": tr("cases taken"), "grades reached": tr("grades reached"),
                  "leaves true and false": tr("conditions true and false")}


@app.command("lint")
def lint_packs(
    packs: Annotated[list[Path], typer.Argument(help="Rule-pack directories, ruleset.yaml files or ids.")],
    lang: LangOpt = None,
) -> None:
    """Static checks on rule packs: unreachable cases, tier gaps, translations, unused declarations."""
    from .lint import lint
    language = chosen_language(lang)
    engine = _engine()
    errors = 0
    for pack in packs:
        rs = engine.rule_set(_pack_path(engine, pack))
        findings = lint(rs)
        for f in findings:
            typer.echo(f.render(language))
        errors += sum(f.level == "error" for f in findings)
        warnings = sum(f.level == "warning" for f in findings)
        speaker(language)(tr("{rule_set}: {errors} error(s), {warnings} warning(s)", rule_set=rs.id,
                          errors=sum(f.level == "error" for f in findings), warnings=warnings))
    if errors:
        raise typer.Exit(ExitCode.GATE_TRIPPED)


@rules_app.command("list")
def rules_list(lang: LangOpt = None) -> None:
    """Rule sets available by id (shipped packs and plugins)."""
    language = chosen_language(lang)
    engine = _engine()
    table = Table(*(h.render(language) for h in (tr("id"), tr("version"), tr("provided by"), tr("path"))))
    for info in engine.available_rule_sets():
        table.add_row(info.id, info.version, info.plugin, str(info.path))
    stdout.print(table)


@rules_app.command("show")
def rules_show(
    ref: Annotated[str, typer.Argument(help="Rule-set id or path.")],
    lang: LangOpt = None,
) -> None:
    """Factors, overrides, scoring and the facts a rule set reads."""
    from .labels import THRESHOLD_STATUS_TITLES
    from .ruleset import CATEGORIES
    language = chosen_language(lang)
    rs = _engine().rule_set(ref)

    def say(text: Any) -> None:
        stdout.print(text.render(language), markup=False)

    stdout.print(f"{rs.id} {rs.version} — {rs.title[language]}", markup=False, style="bold")
    stdout.print(f"{rs.jurisdiction[language]}; sha256 {rs.sha256}", markup=False)
    for pid, pversion, _, psource in rs.parents:
        say(tr("extends {id} {version} ({source})", id=pid, version=pversion, source=psource))
    for f in rs.factors:
        names = {c.id: f"{c.title[language]} [{c.id}]" if c.title is not None else c.id for c in f.cases}
        cases = [tr("{case} {probability}×{impact}", case=names[c.id], probability=c.probability, impact=c.impact)
                 if c.points is None else tr("{case} {points} points", case=names[c.id],
                                             points=f"{float(c.points):g}")
                 for c in f.cases]
        basis = ("；" if language == "zh" else "; ").join(f"{b['document']} {b.get('article', '')}".strip()
                                                          for b in f.basis)
        say(tr("{id} [{category}] {title}: {cases}; if unknown: {on_unknown}; basis: {basis}", id=f.id,
               category=CATEGORIES[f.category][language], title=f.title[language], cases=cases,
               on_unknown=UNKNOWN_POLICIES.get(str(f.on_unknown), str(f.on_unknown)) if f.assume_case is None
               else tr("taken as case {case}", case=f.cases[f.assume_case].id), basis=basis))
    for o in rs.overrides:
        say(tr("override {id}: {title} → at least {grade}", id=o.id, title=o.title[language],
               grade=rs.grades[o.floor].title[language]))
    for step in rs.scoring:
        method = f"{step.title[language]} [{step.method}]" if step.title is not None else step.method
        say(tr("scoring: {method} (plugin {plugin})", method=method, plugin=step.plugin))
    for name, th in rs.thresholds.items():
        say(tr("threshold {name} = {value} [{status}] {source}", name=name, value=th["value"],
               status=THRESHOLD_STATUS_TITLES[th["status"]][language] if th["status"] in THRESHOLD_STATUS_TITLES
               else th["status"], source=th["source"][language]))
    say(tr("reads: {facts}", facts=list(rs.facts_read())))


#: How a factor treats an unknown answer, as ``rules show`` says it.
UNKNOWN_POLICIES = {"assume_match": tr("taken as matching"), "assume_no_match": tr("taken as not matching"),
                    "refuse": tr("refuse to grade")}


@plugins_app.command("list")
def plugins_list(lang: LangOpt = None) -> None:
    """Plugins and the operators, scoring methods, formats and rule sets each provides."""
    language = chosen_language(lang)
    c = _engine().contributions
    table = Table()
    for header in (tr("plugin"), tr("distribution"), tr("version"), tr("status"), tr("provides")):
        table.add_column(header.render(language), overflow="fold")
    for p in sorted([*c.plugins, *(b.info for b in c.broken.values())], key=lambda p: p.name):
        provides = [tr("{kind} {name}", kind=CONTRIBUTION_KINDS.get(kind, kind), name=name)
                    for (kind, name), owner in sorted(c.owners.items()) if owner == p.name]
        provides += [tr("rule sets in {path}", path=str(path)) for path, owner in c.rule_set_paths if owner == p.name]
        provides += [tr("questionnaire fields extensions.{namespace}", namespace=ns)
                     for ns, (_, owner) in c.questionnaire_fields.items() if owner == p.name]
        table.add_row(p.name, p.distribution, p.version, c.status(p.name).render(language),
                      "\n".join(t.render(language) for t in provides))
    # Piped or captured: whole lines, however long, for grep and scripts; on a terminal, its width.
    width = None if stdout.is_terminal else stdout.measure(table, options=stdout.options.update_width(10_000)).maximum
    (stdout if width is None else OutConsole(width=width, highlight=False, soft_wrap=True)).print(table)


#: What a plugin can contribute, as ``plugins list`` names it.
CONTRIBUTION_KINDS = {"operator": tr("operator"), "scoring method": tr("scoring method"),
                      "output format": tr("output format"), "derived fact": tr("derived fact")}


app.command("batch")(batch)
app.command("what-if")(what_if)
app.command("watch")(watch)
app.command("sign")(sign)
app.add_typer(key_app, name="key")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and map errors to documented exit codes, in the reader's language."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:  # accepted anywhere on the line, not only before the command
        args = ["--debug", *[a for a in args if a != "--debug"]]
    lang = language_of(args)
    err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # `q.yaml:100:` is no 💯
    try:
        command = typer.main.get_command(app)
        localize(command, lang)
        code = command.main(args=args, prog_name="riskassess", standalone_mode=False) or ExitCode.OK
    except BrokenPipeError:
        stop_on_broken_pipe()
        code = BROKEN_PIPE
    except RiskAssessError as exc:
        if debug:
            raise
        err.print(tr("error: {message}", message=exc.render(lang)).render(lang), markup=False)
        code = exc.exit_code
    except Exception as exc:
        if is_usage_error(exc):
            err.print(usage_error_text(exc, lang), markup=False)
            code = ExitCode.INPUT_ERROR
        elif type(exc).__name__ == "Abort":  # Ctrl-C or end of input at a prompt
            err.print(tr("interrupted").render(lang), markup=False)
            code = _INTERRUPTED
        elif debug:
            raise
        else:
            err.print(tr("internal error: {error} (this is a bug in riskassess; rerun with --debug and report the "
                         "traceback)", error=f"{type(exc).__name__}: {exc}").render(lang), markup=False)
            code = ExitCode.INTERNAL_ERROR
    sys.exit(int(code))
