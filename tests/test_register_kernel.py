"""What the register keeps of a record (issue 9, item 6): its kernel and its answers — a tenth of the record —
from which the whole record is regenerated, identical, and checked by its id; an edit of either is named; a
record that cannot be regenerated (its rule file changed) is refused, never shown different."""

# ruff: noqa: F811  (the fixtures imported from register_fixtures are test parameters here)

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from riskassess import Engine, RecordError
from riskassess.register import open_register
from riskassess.register.chain import verify_chain
from riskassess.register.kernel import LINES, assessment_lines, record_lines, stored_form

from .conftest import EXAMPLES, ROOT
from .conftest import run_cli as run
from .register_fixtures import edit_stored, location  # noqa: F401  (fixtures)

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def _assessed(engine: Engine, path: Path, rules: str | Path | None = None) -> Any:
    rule_set = engine.rule_set(rules)
    return engine.assess(engine.read_questionnaire(path, rule_set), rule_set)


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_an_entry_keeps_a_tenth_of_the_record_and_gives_it_back_identical(location, engine, example):
    assessment = _assessed(engine, example)
    record = json.loads(json.dumps(assessment.record(), ensure_ascii=False))
    with open_register(location, create=True) as reg:
        entry = reg.add([record])[0].entry
        held = len(entry.record_text.encode()) + len(entry.columns["answers"].encode())
        whole = len(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode())
        assert held * 8 < whole
        again = reg.get("1")
        assert again.record() == record  # the answers' lines too: regenerated from the kernel's
        assert verify_chain(reg).intact


def test_the_lines_a_worker_keeps_are_those_the_record_cites(engine):
    for example in EXAMPLE_FILES:
        assessment = _assessed(engine, example)
        cited = record_lines(assessment.record())
        kept = assessment_lines(assessment)
        assert cited and all(kept[fact] == line for fact, line in cited.items())


def test_a_kernel_from_the_assessment_gives_the_same_entry_as_the_record(location, engine):
    assessment = _assessed(engine, EXAMPLES / "medium-substation.yaml")
    record = json.loads(json.dumps(assessment.record(), ensure_ascii=False))
    with open_register(location, create=True) as reg:
        reg.add([stored_form(assessment.kernel(), assessment_lines(assessment))])
        assert reg.get("1").record() == record
        assert reg.add([record])[0].new is False  # the same record id: held once


def test_edited_answers_beside_a_kernel_are_named(location, engine):
    record = _assessed(engine, EXAMPLES / "low-urban-road.yaml").record()
    with open_register(location, create=True) as reg:
        reg.add([record])
        edit_stored(reg, 1, "answers", '"investment_10k_cny":18600', '"investment_10k_cny":18601')
        found = verify_chain(reg).findings
        assert [(f.seq, f.kind) for f in found] == [(1, "edited")]
        assert "its answers no longer match the SHA-256 its record holds" in str(found[0].detail)


def test_an_edited_kernel_is_named(location, engine):
    record = _assessed(engine, EXAMPLES / "low-urban-road.yaml").record()
    with open_register(location, create=True) as reg:
        reg.add([record])
        edit_stored(reg, 1, "record", f'"{LINES}":[[', f'"{LINES}":[[1,')
        found = verify_chain(reg).findings
        assert [(f.seq, f.kind) for f in found] == [(1, "edited")]
        assert "no longer matches the record SHA-256" in str(found[0].detail)


def test_a_record_whose_rule_file_changed_is_refused_not_shown_different(tmp_path, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "cn-ndrc-2012", pack)
    reg = str(tmp_path / "reg.sqlite")
    code, _, _ = run(capsys, "evaluate", str(EXAMPLES / "low-urban-road.yaml"), "--rules", str(pack / "ruleset.yaml"),
                     "--register", reg)
    assert code == 0
    (pack / "ruleset.yaml").write_text((pack / "ruleset.yaml").read_text(encoding="utf-8").replace(
        "version:", "version: '9' #", 1), encoding="utf-8")
    code, out, err = run(capsys, "register", "show", "1", "--json", "--register", reg)
    assert (code, out) == (2, "")
    assert "cannot be regenerated: graded again it gives" in err
    with open_register(reg) as register, pytest.raises(RecordError):
        register.get("1").record()


def test_lines_of_answers_written_unknown_come_back_too(location, engine, tmp_path):
    sparse = tmp_path / "sparse.yaml"
    text = (EXAMPLES / "low-urban-road.yaml").read_text(encoding="utf-8")
    sparse.write_text(text.replace("households_relocated: 9", "households_relocated: ~"), encoding="utf-8")
    assessment = _assessed(engine, sparse)
    record = json.loads(json.dumps(assessment.record(), ensure_ascii=False))
    assert record_lines(record)["land.households_relocated"] == 74  # cited, though unknown
    with open_register(location, create=True) as reg:
        reg.add([stored_form(assessment.kernel(), assessment_lines(assessment))])
        assert reg.get("1").record() == record


def test_a_stored_text_edited_past_reading_is_an_error_naming_the_entry(tmp_path, capsys):
    reg = str(tmp_path / "reg.sqlite")
    assert run(capsys, "evaluate", str(EXAMPLES / "low-urban-road.yaml"), "--register", reg)[0] == 0
    with open_register(reg) as register:
        register.db.query("UPDATE entries SET record = 'zlib+base64:AAAA' WHERE seq = 1")
    for args in (["register", "show", "1"], ["register", "show", "1", "--json"]):
        code, out, err = run(capsys, *args, "--register", reg)
        assert (code, out) == (2, "")
        assert "entry 1: its stored record is not a readable assessment record" in err and "Traceback" not in err
    code, out, _ = run(capsys, "register", "verify", "--register", reg)
    assert code == 5 and "its stored record is not a readable assessment record" in out
