"""Issue 10 leftovers: `evaluate -` and `validate -` read the questionnaire from standard input, bounded like a
file, and the record names its source as <stdin>; key files and the first lines of installed packs are read
only from regular files and only as far as needed."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from riskassess import ExitCode
from riskassess.engine import _header
from riskassess.yamlfile import DEFAULT_MAX_BYTES, STDIN, read_head

from .conftest import EXAMPLES, ROOT
from .conftest import run_cli as run
from .test_hardening import _finishes, _special_files

LOW = EXAMPLES / "low-urban-road.yaml"


class _Zeros(io.RawIOBase):
    """A stream that never ends, like `riskassess evaluate - < /dev/zero`."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        buffer[:] = bytes(len(buffer))
        return len(buffer)


def _stdin(monkeypatch: pytest.MonkeyPatch, raw: io.RawIOBase | bytes) -> None:
    stream = io.BytesIO(raw) if isinstance(raw, bytes) else io.BufferedReader(raw)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(stream, encoding="utf-8"))


def test_evaluate_reads_standard_input_and_the_record_names_it(tmp_path, capsys, monkeypatch):
    _stdin(monkeypatch, LOW.read_bytes())
    record = tmp_path / "record.json"
    code, _, err = run(capsys, "evaluate", "-", "--out", str(record))
    assert (code, err) == (ExitCode.OK, "")
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["questionnaire"]["source"] == STDIN == "<stdin>"
    assert run(capsys, "verify", str(record), "--lang", "en")[:2] == (ExitCode.OK, f"reproduced: {data['record_id']}\n")
    code, out, _ = run(capsys, "evaluate", str(LOW), "--format", "json")
    assert json.loads(out)["record_id"] == data["record_id"]  # the same answers from a file: the same record id


def test_validate_reads_standard_input(capsys, monkeypatch):
    _stdin(monkeypatch, LOW.read_bytes())
    code, out, _ = run(capsys, "validate", "-", "--lang", "en")
    assert code == ExitCode.OK and out.startswith("<stdin>: valid for cn-ndrc-2012 "), out


def test_a_problem_on_standard_input_is_located_there(capsys, monkeypatch):
    _stdin(monkeypatch, b"project: [\n")
    assert run(capsys, "validate", "-", "--lang", "en") == \
        (ExitCode.INPUT_ERROR, "", "error: <stdin>:2: invalid YAML: a value is missing or a bracket is misplaced\n")


def test_endless_standard_input_is_refused_at_the_limit(capsys, monkeypatch):
    _stdin(monkeypatch, _Zeros())
    code, out, err = _finishes(20, run, capsys, "evaluate", "-", "--lang", "en")
    assert (code, out) == (ExitCode.INPUT_ERROR, "")
    assert err.startswith(f"error: <stdin>: file is more than the {DEFAULT_MAX_BYTES:,}-byte limit"), err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_key_must_be_a_small_regular_file(tmp_path, capsys):
    record = tmp_path / "record.json"
    assert run(capsys, "evaluate", str(LOW), "--out", str(record))[0] == ExitCode.OK
    for key in _special_files(tmp_path):
        code, _, err = _finishes(20, run, capsys, "sign", str(record), "--key", str(key), "--lang", "en")
        assert code == ExitCode.INPUT_ERROR and f"error: {key}: is a " in err and "not a regular file" in err, err
    big = tmp_path / "big.key"
    big.write_bytes(b"-" * 100_000)
    code, _, err = run(capsys, "sign", str(record), "--key", str(big), "--lang", "en")
    assert code == ExitCode.INPUT_ERROR
    assert err.startswith(f"error: {big}: file is 100,000 bytes, more than the 65,536-byte limit"), err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_pack_header_is_read_from_regular_files_only(tmp_path):
    for path in _special_files(tmp_path):
        assert _finishes(5, read_head, path, 8192) is None
        assert _finishes(5, _header, path) is None
    national = ROOT / "rules" / "cn-ndrc-2012" / "ruleset.yaml"
    assert _header(national) == ("cn-ndrc-2012", next(line.split(": ")[1] for line in
                                                    national.read_text(encoding="utf-8").splitlines()
                                                    if line.startswith("version: ")))


def test_a_pack_header_cut_inside_a_character_is_still_read(tmp_path: Path):
    path = tmp_path / "ruleset.yaml"
    path.write_text("id: cut\nversion: 1.0.0\n# " + "风" * 5000 + "\n", encoding="utf-8")
    assert _header(path) == ("cut", "1.0.0")
    path.write_bytes(b"id: bad\n\xff\nversion: 1\n")
    assert _header(path) is None  # not UTF-8: parsed in full, which says where
