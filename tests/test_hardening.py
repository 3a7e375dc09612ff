"""Issue 10: every reported crash, silent coercion and unbounded read, as a test.

YAML is read by the 1.2 core schema (only true/false are booleans, numbers in decimal, no tags), numbers
are bounded (±2^53) and finite in files and in Python dicts alike, files are read only if regular and
only up to their limit, ``extends:`` stays within reach, records are read strictly, and output files are
written whole, through symbolic links, and without leftovers.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import threading
import time
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from riskassess import Engine, ExitCode, InputError, RuleSetError, build_plugin_manager, cli_options, strict_json
from riskassess.errors import RecordError
from riskassess.plain_data import MAX_SAFE_INTEGER
from riskassess.questionnaire import QuestionnaireInvalid
from riskassess.verify import read_record
from riskassess.yamlfile import parse_yaml, read_bytes

from .conftest import EXAMPLES, ROOT, base_questionnaire, mini_rule_set, write_yaml
from .conftest import run_cli as run

LOW = EXAMPLES / "low-urban-road.yaml"
SOE = EXAMPLES / "soe-restructuring.yaml"


def line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def mutated(tmp_path: Path, source: Path, old: str, new: str, name: str = "m.yaml") -> tuple[Path, int]:
    """A copy of ``source`` with the first line starting (after indentation) with ``old`` replaced by ``new``;
    the copy and the line number."""
    lines = source.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.strip().startswith(old))
    indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
    lines[number] = indent + new
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, number + 1


def refused(capsys, path: Path, line: int, *args: str) -> str:
    """Run ``evaluate path``: exit 2 with one message naming the file and line; the message."""
    code, _, err = run(capsys, "evaluate", str(path), *args)
    assert code == ExitCode.INPUT_ERROR, err
    assert "Traceback" not in err and "internal error" not in err
    assert err.startswith(f"error: {path}:{line}: "), err
    return err


# ------------------------------------------------------------------------------ 1. YAML that means what it says


@pytest.mark.parametrize("tagged", ['!!int abc', '!!bool ""', "!!float", "!!int 0b2", "!!int 1", "!!str 1",
                                    "!!python/object/apply:os.system ['id']", "!custom x", '!!binary "aGk="',
                                    "!!timestamp 2024-01-01", "!!map {}"])
def test_an_explicit_tag_is_refused_with_file_and_line(tmp_path, capsys, tagged):
    path, line = mutated(tmp_path, LOW, "format_version:", f"format_version: {tagged}")
    err = refused(capsys, path, line)
    assert "format_version: tag " in err and "is not allowed (remove the tag" in err


def test_a_tag_is_shown_as_written(tmp_path):
    with pytest.raises(InputError, match=r"x.yaml:2: a: tag '!!int' is not allowed"):
        parse_yaml("b: 1\na: !!int abc\n", "x.yaml")
    with pytest.raises(InputError, match=r"x.yaml:1: tag '!!str' is not allowed"):
        parse_yaml("!!str k: 1\n", "x.yaml")


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "On", "OFF"])
def test_yaml_1_1_booleans_stay_text_and_a_boolean_field_says_write_true_or_false(tmp_path, capsys, word):
    path, line = mutated(tmp_path, LOW, "funding_secured:", f"funding_secured: {word}")
    err = refused(capsys, path, line)
    assert f"project.funding_secured: expected true or false (or ~ for unknown), got '{word}'" in err
    assert "write true (是) or false (否)" in err
    assert parse_yaml(f"a: {word}\n{word}: 1\n", "x").data == {"a": word, word: 1}


@pytest.mark.parametrize(("written", "value"), [(w, True) for w in ("true", "True", "TRUE")]
                         + [(w, False) for w in ("false", "False", "FALSE")] + [("是", True), ("否", False)])
def test_true_and_false_in_the_spellings_yaml_1_2_allows_and_shi_fou_are_booleans(tmp_path, engine, national,
                                                                                   written, value):
    path, _ = mutated(tmp_path, LOW, "funding_secured:", f"funding_secured: {written}")
    assert engine.read_questionnaire(path, national).answers["project"]["funding_secured"] is value


@pytest.mark.parametrize(("written", "hint"), [
    ("0755", "a number does not start with 0 (older YAML read 0755 as octal): write 755"),
    ("-007", "write -7"),
    ("1:30", "1:30 is text (older YAML read it as base 60): write one decimal number"),
    ("1_000", "write the number without underscores: 1000"),
    ("0b101", "write the number in decimal: 5"),
    ("0x1F", "write the number in decimal: 31"),
    ("0o17", "write the number in decimal: 15"),
    ("0b2", "write the number in decimal digits"),
])
def test_older_yaml_numbers_stay_text_and_the_field_says_what_to_write(tmp_path, capsys, written, hint):
    path, line = mutated(tmp_path, LOW, "households_relocated:", f"households_relocated: {written}")
    err = refused(capsys, path, line)
    assert f"land.households_relocated: expected a whole number (or ~ for unknown), got '{written}'" in err
    assert hint in err
    assert parse_yaml(f"id: {written}\n", "x").data == {"id": written}  # where text is expected, it is the text


def test_scalars_follow_the_yaml_1_2_core_schema():
    data = parse_yaml("a: ~\nb: null\nc:\nd: NULL\ne: 1e3\nf: .5\ng: +7\nh: -0\ni: 2024-05-01\nj: '1'\n"
                      "k: =\nl: 1.\nm: -2.5E-3\nn: 0\no: 12\n", "x").data
    assert data == {"a": None, "b": None, "c": None, "d": None, "e": 1000.0, "f": 0.5, "g": 7, "h": 0,
                    "i": "2024-05-01", "j": "1", "k": "=", "l": 1.0, "m": -0.0025, "n": 0, "o": 12}
    assert [type(data[k]) for k in "egj"] == [float, int, str]
    with pytest.raises(InputError, match="merge keys"):
        parse_yaml("a: {x: 1}\nb:\n  <<: {x: 2}\n", "x")
    assert parse_yaml("'<<': 1\n", "x").data == {"<<": 1}  # a quoted key is a name


@pytest.mark.parametrize(("written", "message"), [
    ("1.0e+308", "1.0e+308 is beyond the 9,007,199,254,740,991 limit for numbers"),
    ("1" + "0" * 400, "1000000000000000… (401 characters) is beyond the"),
    ("9" * 5000, "9999999999999999… (5,000 characters) is beyond the"),
    (str(2**53), "9007199254740992 is beyond the"),
    ("-" + str(2**60), "-1152921504606846976 is beyond the"),
    ("1e400", "'1e400' is not a finite number"),
    (".inf", "'.inf' is not a finite number"),
    ("-.Inf", "'-.Inf' is not a finite number"),
    (".nan", "'.nan' is not a finite number"),
    ("{at_least: 1e999}", "'1e999' is not a finite number"),
    ("{between: [1, " + "9" * 30 + "]}", "(30 characters) is beyond the"),
])
def test_huge_and_non_finite_numbers_are_refused_with_field_and_line(tmp_path, capsys, written, message):
    path, line = mutated(tmp_path, LOW, "households_relocated:", f"households_relocated: {written}")
    err = refused(capsys, path, line)
    assert "land.households_relocated" in err and message in err


def test_the_number_limit_is_exact():
    assert parse_yaml(f"a: {MAX_SAFE_INTEGER}\nb: -{MAX_SAFE_INTEGER}\n", "x").data == {
        "a": MAX_SAFE_INTEGER, "b": -MAX_SAFE_INTEGER}
    for text in (str(MAX_SAFE_INTEGER + 1), f"-{MAX_SAFE_INTEGER + 1}", "9.1e15"):
        with pytest.raises(InputError, match="limit for numbers"):
            parse_yaml(f"a: {text}\n", "x")


def test_an_input_overflow_is_the_answers_error_not_a_built_in_plugins(tmp_path, capsys):
    path, line = mutated(tmp_path, SOE, "layoffs:", "layoffs: 1" + "0" * 400)
    err = refused(capsys, path, line)
    assert "labor.layoffs" in err and "plugin" not in err


@pytest.mark.parametrize("value", ["~", "", "null"])
def test_a_required_section_left_unknown_is_refused_so_every_record_verifies(tmp_path, capsys, value):
    lines = LOW.read_text(encoding="utf-8").split("\n")
    first = lines.index("project:")
    last = next(i for i in range(first + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "#")))
    lines[first:last] = [f"project: {value}"]
    path = tmp_path / "q.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    err = refused(capsys, path, first + 1)
    assert "project: 'project' is required: it cannot be ~ (unknown) or empty" in err


# ------------------------------------------------------------------------------ ... and in Python dicts


@pytest.mark.parametrize(("value", "message"), [
    (Decimal("NaN"), "a Decimal is not a questionnaire value"),
    (Decimal("12"), "a Decimal is not a questionnaire value"),
    (Fraction(1, 3), "a Fraction is not a questionnaire value"),
    (complex(1, 0), "a complex is not a questionnaire value"),
    (10**400, "2**1328… is beyond the 9,007,199,254,740,991 limit for numbers"),
    (2**53, "9007199254740992 is beyond the"),
    (1e308, "1e+308 is beyond the"),
    (float("nan"), "nan is not a finite number"),
    (float("-inf"), "-inf is not a finite number"),
    ((1, 2), "a tuple is not a questionnaire value"),
    ({1, 2}, "a set is not a questionnaire value"),
    (b"9", "a bytes is not a questionnaire value"),
])
def test_python_values_no_file_can_hold_are_input_errors_with_the_path(engine, national, value, message):
    answers = base_questionnaire()
    answers["land"]["households_relocated"] = value
    with pytest.raises(QuestionnaireInvalid) as err:
        engine.questionnaire(answers, national)
    assert isinstance(err.value, InputError)
    assert err.value.field == "land.households_relocated" and message in err.value.message
    with pytest.raises(InputError):
        engine.evaluate(answers)


@pytest.mark.parametrize(("where", "change", "field", "message"), [
    (("project",), {"name": "路\ud800"}, "project.name", "lone surrogate (U+D800)"),
    (("project",), {"\udcff": 1}, "project.\\udcff", "lone surrogate (U+DCFF)"),
    (("land",), {5: 1}, "land", "a key is int 5, not text"),
    (("land",), {None: 1}, "land", "a key is NoneType None, not text"),
    ((), {("a",): 1}, None, "a key is tuple ('a',), not text"),
    (("project",), {"stage": date(2024, 1, 1)}, "project.stage", "a date is not a questionnaire value"),
    (("environment",), {"predicted_exceedances": [{"x": float("inf")}]}, "environment.predicted_exceedances[0].x",
     "inf is not a finite number"),
])
def test_keys_and_texts_no_file_can_hold_are_input_errors(engine, national, where, change, field, message):
    answers = base_questionnaire()
    target = answers
    for key in where:
        target = target[key]
    target.update(change)
    with pytest.raises(QuestionnaireInvalid) as err:
        engine.questionnaire(answers, national)
    assert (err.value.field, message in err.value.message) == (field, True), err.value.message


def test_full_width_digits_are_read_only_within_the_limit(engine, national):
    answers = base_questionnaire()
    answers["land"]["households_relocated"] = "４２０"
    assert engine.questionnaire(answers, national).answers["land"]["households_relocated"] == 420
    for text in ("９" * 30, "--５", "𐩀"):  # too many digits, two signs, a digit int() cannot read
        answers["land"]["households_relocated"] = text
        with pytest.raises(QuestionnaireInvalid, match="expected a whole number"):
            engine.questionnaire(answers, national)


# ------------------------------------------------------------------------------ control characters


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9f", "\ufffe"])
def test_a_control_character_is_one_located_line(tmp_path, capsys, char):
    path, line = mutated(tmp_path, LOW, "name:", f"name: 园林路{char}改造")
    err = refused(capsys, path, line)
    assert err.count("\n") == 1
    assert f"control character U+{ord(char):04X} at column {len('  name: 园林路') + 1} is not allowed" in err


def test_escapes_and_tabs_inside_text_are_fine():
    assert parse_yaml('a: "x\\ty\\u0007"\nb:\tc\n', "x").data == {"a": "x\ty\x07", "b": "c"}


# ------------------------------------------------------------------------------ 2. bounded reads


def _special_files(tmp_path: Path) -> list[Path]:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    return [p for p in (Path("/dev/zero"), Path("/dev/urandom")) if p.exists()] + [fifo]


def _finishes(seconds: float, fn, *args, **kwargs):
    """``fn(*args)``'s exception or result, failing the test if it has not returned within ``seconds``."""
    outcome: list = []

    def call():
        try:
            outcome.append(fn(*args, **kwargs))
        except BaseException as exc:
            outcome.append(exc)
    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"{fn.__name__}{args} still running after {seconds} s"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_pipes_and_devices_are_refused_before_anything_is_read(tmp_path, capsys):
    for path in _special_files(tmp_path):
        for error in (InputError, RuleSetError, RecordError):
            exc = _finishes(5, read_bytes, path, error=error)
            assert isinstance(exc, error) and "not a regular file" in exc.message, exc
        for args in (["evaluate", str(path)], ["evaluate", str(LOW), "--rules", str(path)], ["verify", str(path)],
                     ["validate", str(path)]):
            code, _, err = _finishes(20, run, capsys, *args)
            assert code == ExitCode.INPUT_ERROR and f"{path}: is a " in err and "not a regular file" in err, err


def test_a_file_is_read_up_to_its_limit_whatever_its_size_says(tmp_path, monkeypatch):
    path = tmp_path / "q.yaml"
    path.write_bytes(b"a: 1\n" * 1000)
    real = os.fstat

    def shrunk(fd):  # a file that grows after stat, or a file system that misreports sizes
        st = real(fd)
        return os.stat_result((*st[:6], 0, *st[7:]))
    monkeypatch.setattr("riskassess.yamlfile.os.fstat", shrunk)
    reads: list[int] = []
    real_fdopen = os.fdopen

    def spying_fdopen(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)
        read = fh.read

        class Spy:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                fh.close()

            def read(self, n=-1):
                reads.append(n)
                return read(n)
        return Spy()
    monkeypatch.setattr("riskassess.yamlfile.os.fdopen", spying_fdopen)
    with pytest.raises(InputError, match=r"file is more than the 100-byte limit"):
        read_bytes(path, max_bytes=100)
    assert reads == [101]
    assert read_bytes(path, max_bytes=5000) == b"a: 1\n" * 1000


def test_an_oversized_file_is_refused_by_its_size_first(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_bytes(b"#" * 101)
    with pytest.raises(InputError, match=r"file is 101 bytes, more than the 100-byte limit"):
        read_bytes(path, max_bytes=100)


# ------------------------------------------------------------------------------ extends: where it may lead


def _child(directory: Path, extends: str, name: str = "ruleset.yaml", rid: str = "child-pack") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return write_yaml(directory / name, {"ruleset_format": 1, "id": rid, "version": "1.0.0",
                                         "title": {"zh": "子", "en": "Child"},
                                         "jurisdiction": {"zh": "测试", "en": "Test"}, "extends": extends})


def _parent(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return write_yaml(directory / "ruleset.yaml", mini_rule_set(id="parent-pack"))


@pytest.mark.parametrize("where", ["/dev/zero", "/dev/urandom", "/etc/passwd", "../../../../../../../../dev/zero",
                                   "OUTSIDE", "LINK"])
def test_extends_is_not_followed_out_of_reach(tmp_path, engine, where):
    outside = _parent(tmp_path / "elsewhere" / "far")
    packs = tmp_path / "packs"
    (packs / "mine").mkdir(parents=True)
    (packs / "mine" / "link").symlink_to(outside.parent)
    ref = {"OUTSIDE": str(outside), "LINK": "./link/ruleset.yaml"}.get(where, where)
    path = _child(packs / "mine", ref)
    exc = _finishes(10, engine.rule_set, path)
    assert isinstance(exc, RuleSetError), exc
    assert (exc.source, exc.line, exc.field) == (str(path), line_of(path, "extends:"), "extends")
    assert f"extends: {ref} leads outside the folders a rule set may extend from" in exc.message
    assert "RISKASSESS_EXTENDS_PATH=" in str(exc.hint)


def test_extends_follows_the_pack_its_siblings_installed_packs_and_allowed_folders(tmp_path, engine, monkeypatch):
    packs = tmp_path / "packs"
    _parent(packs / "base")
    assert engine.rule_set(_child(packs / "sibling", "../base")).parents[0][0] == "parent-pack"
    assert engine.rule_set(_child(packs / "own", str(_parent(packs / "own" / "sub")), rid="own")).id == "own"
    installed = ROOT / "rules" / "cn-ndrc-2012"
    assert engine.rule_set(_child(tmp_path / "abs", str(installed), rid="abs")).parents[0][0] == "cn-ndrc-2012"
    far = _parent(tmp_path / "far" / "away")
    with pytest.raises(RuleSetError, match="leads outside"):
        engine.rule_set(_child(tmp_path / "x" / "one", str(far), rid="one"))
    monkeypatch.setenv("RISKASSESS_EXTENDS_PATH", f"/nonexistent{os.pathsep}{tmp_path / 'far'}")
    assert engine.rule_set(_child(tmp_path / "x" / "two", str(far), rid="two")).parents[0][0] == "parent-pack"


def test_an_extends_chain_longer_than_the_limit_is_refused_not_a_recursion_error(tmp_path):
    _parent(tmp_path / "p0")
    for i in range(1, 41):
        _child(tmp_path / f"p{i}", f"../p{i - 1}", rid=f"chain-{i}")
    assert Engine(build_plugin_manager(entry_points=False)).rule_set(tmp_path / "p32").id == "chain-32"
    with pytest.raises(RuleSetError, match="a chain of more than 32 rule sets") as err:
        Engine(build_plugin_manager(entry_points=False)).rule_set(tmp_path / "p40")
    refused_at = tmp_path / "p8" / "ruleset.yaml"  # the 33rd file of the chain
    assert (Path(err.value.source).resolve(), err.value.line) == (refused_at, line_of(refused_at, "extends:"))


# ------------------------------------------------------------------------------ rule-set numbers


@pytest.mark.parametrize(("change", "where"), [
    ("weight: 1", "weight: 1" + "0" * 400),
    ("weight: 1", "weight: 1.0e+300"),
    ("weight: 1", "weight: .inf"),
    ("probability: 4", "probability: " + "4" * 5000),
    ("gte: 100", "gte: 1e400"),
    ("gte: 100", "gte: !!int 0b2"),
])
def test_a_rule_set_number_of_absurd_magnitude_is_refused_at_load(tmp_path, engine, change, where):
    path = write_yaml(tmp_path / "ruleset.yaml", mini_rule_set())
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(change)].count("\n") + 1
    path.write_text(text.replace(change, where, 1), encoding="utf-8")
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert (err.value.source, err.value.line) == (str(path), line)
    assert re.search(r"limit for numbers|not a finite number|tag '!!int'", err.value.message)


@pytest.mark.parametrize("band", ["1" + "0" * 400, "1.0e+300"])
def test_an_index_band_of_absurd_magnitude_is_refused_at_load(tmp_path, engine, capsys, band):
    pack = tmp_path / "pack"
    pack.mkdir()
    text = (ROOT / "rules" / "cn-ndrc-2012" / "ruleset.yaml").read_text(encoding="utf-8")
    match = re.search(r"(\n\s+- \{grade: \w+, from: )([0-9.]+)", text)
    assert match is not None
    (pack / "ruleset.yaml").write_text(text.replace(match.group(0), match.group(1) + band, 1), encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(LOW), "--rules", str(pack))
    line = text[: match.start()].count("\n") + 2
    assert code == ExitCode.INPUT_ERROR and f"ruleset.yaml:{line}: " in err and "limit for numbers" in err, err


# ------------------------------------------------------------------------------ 3. records


@pytest.fixture(scope="module")
def record_text(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("record") / "record.json"
    from riskassess.cli import main
    with pytest.raises(SystemExit):
        main(["evaluate", str(LOW), "--out", str(out)])
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "field", "message"), [
    ('"record_format": 1', '"record_format": NaN', "record_format", "'NaN' is not a finite number"),
    ('"record_format": 1', '"record_format": Infinity', "record_format", "'Infinity' is not a finite number"),
    ('"record_format": 1', '"record_format": -Infinity', "record_format", "'-Infinity' is not a finite number"),
    ('"record_format": 1', '"record_format": 1e400', "record_format", "'1e400' is not a finite number"),
    ('"record_format": 1', '"record_format": 1' + "0" * 400, "record_format", "(401 characters) is beyond the"),
    ('"record_format": 1', '"record_format": ' + "7" * 5000, "record_format", "(5,000 characters) is beyond the"),
    ('"record_format": 1', f'"record_format": {2**53}', "record_format", "9007199254740992 is beyond the"),
    ('"record_format": 1', '"record_format": ' + "[" * 100_000 + "]" * 100_000, "record_format" + "[0]" * 11 + "…",
     "nested more than 200 levels deep"),
    ('"record_format": 1', '"record_format": ' + "[" * 300 + "]" * 300, "record_format" + "[0]" * 11 + "…",
     "nested more than 200 levels deep"),
    ('"name": "riskassess"', '"name": "risk\\ud800"', "engine.name", "lone surrogate (U+D800)"),
    ('"name": "riskassess"', '"\\udfff": 1, "name": "riskassess"', "engine.\\udfff", "lone surrogate (U+DFFF)"),
    ('"record_format": 1', '"record_format": 1, "record_format": 1', "record_format",
     "duplicate key 'record_format' (first given on line 2)"),
])
def test_a_record_that_no_json_reader_agrees_on_is_refused_with_line_and_field(tmp_path, capsys, record_text, old,
                                                                               new, field, message):
    path = tmp_path / "record.json"
    path.write_text(record_text.replace(old, new, 1), encoding="utf-8")
    line = record_text[: record_text.index(old)].count("\n") + 1
    with pytest.raises(RecordError) as err:
        read_record(path)
    assert (err.value.source, err.value.line, err.value.field) == (str(path), line, field)
    assert message in err.value.message, err.value.message
    code, _, stderr = run(capsys, "verify", str(path))
    assert code == ExitCode.INPUT_ERROR and stderr.startswith(f"error: {path}:{line}: "), stderr


def test_a_duplicate_key_deep_in_a_record_is_found_after_its_first(tmp_path, record_text):
    old = '"initial_grade": "low"'
    text = record_text.replace(old, old + ', "initial_grade": "high"', 1)
    path = tmp_path / "record.json"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(RecordError) as err:
        read_record(path)
    assert (err.value.line, err.value.field) == (line, "result.initial_grade")
    assert err.value.message == f"duplicate key 'initial_grade' (first given on line {line})"


def test_a_record_schema_error_names_the_line_too(tmp_path, record_text):
    old = '"initial_grade": "low"'
    path = tmp_path / "record.json"
    path.write_text(record_text.replace(old, '"initial_grade": 5', 1), encoding="utf-8")
    with pytest.raises(RecordError) as err:
        read_record(path)
    line = record_text[: record_text.index(old)].count("\n") + 1
    assert (err.value.line, err.value.field) == (line, "result.initial_grade")
    assert strict_json.line_of(record_text, ("rule_sets", 0, "id")) == 11
    assert strict_json.line_of(record_text, ("no", "such")) is None


def test_a_record_as_written_is_read_unchanged(tmp_path, record_text):
    path = tmp_path / "record.json"
    path.write_text(record_text, encoding="utf-8")
    assert read_record(path) == json.loads(record_text)


# ------------------------------------------------------------------------------ 4. output files


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if cli_options.TEMP_MARK in p.name)


def _fail_in(monkeypatch, step: str, exc: BaseException) -> None:
    def boom(*args, **kwargs):
        raise exc
    target = {"write": "riskassess.cli_options.os.fdopen", "chmod": "riskassess.cli_options.os.chmod",
              "replace": "riskassess.cli_options.os.replace"}[step]
    if step == "write":
        real = os.fdopen

        class Failing:
            def __init__(self, fd, mode):
                self.fh = real(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *args):
                self.fh.close()

            def write(self, data):
                self.fh.write(data[:10])
                raise exc
        monkeypatch.setattr(target, Failing)
    else:
        monkeypatch.setattr(target, boom)


@pytest.mark.parametrize("step", ["write", "chmod", "replace"])
@pytest.mark.parametrize("exc", [OSError(28, "No space left on device"), KeyboardInterrupt(), RuntimeError("bug")])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, step, exc):
    out = tmp_path / "record.json"
    out.write_text("old", encoding="utf-8")
    _fail_in(monkeypatch, step, exc)
    with pytest.raises(InputError if isinstance(exc, OSError) else type(exc)):
        cli_options.write_atomically(out, "new content")
    assert out.read_text(encoding="utf-8") == "old" and _leftovers(tmp_path) == []


def test_sigterm_while_writing_removes_the_temporary_file(tmp_path, monkeypatch):
    out = tmp_path / "record.json"

    def killed(*args):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
    monkeypatch.setattr("riskassess.cli_options.os.replace", killed)
    with pytest.raises(SystemExit) as exit_:
        cli_options.write_atomically(out, "x")
    assert exit_.value.code == 128 + signal.SIGTERM
    assert not out.exists() and _leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_temporary_file_is_named_for_its_output_and_a_stale_one_is_swept(tmp_path, monkeypatch):
    names: list[str] = []
    real = os.replace
    monkeypatch.setattr("riskassess.cli_options.os.replace", lambda a, b: (names.append(Path(a).name), real(a, b)))
    monkeypatch.setattr(cli_options, "_swept", set())
    stale = tmp_path / ".record.json.riskassess-k1ll3d9x.tmp"
    fresh = tmp_path / ".report.html.riskassess-writing.tmp"
    foreign = tmp_path / ".notes.txt.tmp"
    for p in (stale, fresh, foreign):
        p.write_text("partial", encoding="utf-8")
    os.utime(stale, (time.time() - 120, time.time() - 120))
    cli_options.write_atomically(tmp_path / "other.json", "{}")
    assert re.fullmatch(r"\.other\.json\.riskassess-\w+\.tmp", names[0])
    assert not stale.exists() and fresh.exists() and foreign.exists()


def test_out_into_a_folder_that_cannot_be_written_is_exit_2_with_the_reason(tmp_path, capsys, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr("riskassess.cli_options.tempfile.mkstemp", denied)
    out = tmp_path / "record.json"
    code, _, err = run(capsys, "evaluate", str(LOW), "--out", str(out))
    assert code == ExitCode.INPUT_ERROR
    assert err.startswith(f"error: {out}: cannot write the file: permission denied"), err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_out_into_a_read_only_folder_is_exit_2(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, _, err = run(capsys, "evaluate", str(LOW), "--out", str(folder / "r.json"))
    finally:
        folder.chmod(stat.S_IRWXU)
    assert code == ExitCode.INPUT_ERROR and "permission denied" in err


def test_out_onto_a_symbolic_link_writes_the_file_it_points_to(tmp_path, capsys):
    target = tmp_path / "records" / "r.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    code, _, err = run(capsys, "evaluate", str(LOW), "--out", str(link))
    assert code == 0, err
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))["record_format"] == 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its permissions
    dangling = tmp_path / "next.json"
    dangling.symlink_to(tmp_path / "records" / "new.json")
    assert run(capsys, "evaluate", str(LOW), "--out", str(dangling))[0] == 0
    assert dangling.is_symlink() and (tmp_path / "records" / "new.json").is_file()
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    code, _, err = run(capsys, "evaluate", str(LOW), "--out", str(loop))
    assert code == ExitCode.INPUT_ERROR and "symbolic link" in err, err


def _as_yaml_1_1_read_it(value):
    if isinstance(value, dict):
        return {str(k): _as_yaml_1_1_read_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_yaml_1_1_read_it(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def test_every_shipped_yaml_file_means_what_it_meant_under_yaml_1_1():
    import yaml
    files = [p for folder in ("rules", "examples", "riskassess", "plugins", "calibration")
             for p in (ROOT / folder).rglob("*.y*ml")]
    assert len(files) > 40
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        assert parse_yaml(text, str(path), error=RuleSetError).data == _as_yaml_1_1_read_it(yaml.safe_load(text)), path


# ------------------------------------------------------------------------------ found by the fuzz tests


@pytest.mark.parametrize("line", [100, 1234])  # rich's emoji codes :100: and :1234:
def test_an_error_on_line_100_is_printed_as_line_100_not_an_emoji(tmp_path, capsys, line):
    path = tmp_path / "q.yaml"
    path.write_text("#\n" * (line - 2) + "format_version: 1\nproject: yes\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == ExitCode.INPUT_ERROR and err.startswith(f"error: {path}:{line}: project: expected a mapping"), err


@pytest.mark.parametrize(("field", "key", "value", "message"), [
    ("media", "items", 5, "items must be a mapping (key: value lines), got 5"),
    ("kind", "enum", 1000.0, "enum must be a list, got 1000.0"),
    ("kind", "enum", 5, "enum must be a list, got 5"),
    ("kind", "enum", [1, 2], "enum lists names, and 1 is not one"),
    ("kind", "type", ["string"], "type must be a text, got a list"),
    ("households", "minimum", "0", "minimum must be a number, got '0'"),
    ("households", "minimum", True, "minimum must be a number, got boolean true"),
    ("households", "examples", 3, "examples must be a list, got 3"),
])
def test_a_malformed_field_definition_in_a_pack_is_refused_at_its_line(tmp_path, engine, field, key, value, message):
    data = mini_rule_set()
    data["questionnaire"]["fields"]["demo"]["fields"][field][key] = value
    path = write_yaml(tmp_path / "ruleset.yaml", data)
    with pytest.raises(RuleSetError) as err:
        engine.rule_set(path)
    assert message in err.value.message
    assert (err.value.source, err.value.line) == (str(path), line_of(path, f"    {field}:"))


@pytest.mark.parametrize("named", ["[a]", "{a: 1}", "5", "~"])
def test_a_threshold_named_by_something_else_than_text_is_refused(tmp_path, engine, named):
    big = {"value": 100, "status": "pack_judgement", "source": {"zh": "测", "en": "t"}}
    data = mini_rule_set(thresholds={"big": big})
    data["factors"][0]["cases"][0]["when"] = {"fact": "demo.households", "gte": {"threshold": "big"}}
    path = write_yaml(tmp_path / "ruleset.yaml", data)
    path.write_text(path.read_text(encoding="utf-8").replace("threshold: big", f"threshold: {named}"), "utf-8")
    with pytest.raises(RuleSetError, match="unknown threshold") as err:
        engine.rule_set(path)
    assert err.value.line is not None


def test_unchecked_answers_that_trip_a_built_in_derived_fact_are_blamed_not_the_engine(engine, national):
    """``decide`` takes answers as they are (the hot path checks nothing): a built-in derived fact tripped by
    them is an input error naming the answers it reads, not a failure of the engine's own plugin."""
    with pytest.raises(InputError) as info:
        engine.decide(national, {"labor": {"layoffs": 10**400, "staff_before_layoffs": 5}})
    text = info.value.render("en")
    assert "derived.layoff_share cannot be computed from the answers labor.layoffs, labor.staff_before" in text
    assert "plugin" not in text and info.value.exit_code == 2
