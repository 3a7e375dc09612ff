"""Records signed by an assessment body's key: `key new`, `sign`, `verify --key`."""

from __future__ import annotations

import json

import pytest

from riskassess import ExitCode

from .conftest import EXAMPLES
from .conftest import run_cli as run
from .test_chinese_cli import assert_chinese

pytest.importorskip("cryptography", reason="signing needs riskassess[signing]")


@pytest.fixture
def signed(tmp_path, capsys):
    key, record = tmp_path / "body.key", tmp_path / "record.json"
    assert run(capsys, "key", "new", "--out", str(key))[0] == 0
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    run(capsys, "evaluate", str(EXAMPLES / "low-urban-road.yaml"), "--out", str(record))
    code, out, _ = run(capsys, "sign", str(record), "--key", str(key))
    assert code == 0 and out.startswith("signed sha256:")
    return record, tmp_path / "body.key.pub"


def test_a_signed_record_verifies_with_the_bodys_key(signed, capsys):
    record, public = signed
    code, out, _ = run(capsys, "verify", str(record), "--key", str(public))
    assert code == 0 and out.startswith("signature valid: key sha256:") and "reproduced: sha256:" in out


def test_another_key_or_no_signature_fails_the_check(signed, tmp_path, capsys):
    record, _ = signed
    run(capsys, "key", "new", "--out", str(tmp_path / "other.key"))
    code, out, _ = run(capsys, "verify", str(record), "--key", str(tmp_path / "other.key.pub"))
    assert code == ExitCode.NOT_REPRODUCED and "the signature is not valid for key" in out
    data = json.loads(record.read_text(encoding="utf-8"))
    del data["signature"]
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "verify", str(record), "--key", str(tmp_path / "other.key.pub"))
    assert code == ExitCode.NOT_REPRODUCED and "the record is not signed" in out


def test_a_signature_moved_to_an_edited_record_does_not_hold(signed, capsys):
    record, public = signed
    data = json.loads(record.read_text(encoding="utf-8"))
    data["signature"]["signed"] = data["record_id"] = "sha256:" + "0" * 64
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "verify", str(record), "--key", str(public))
    assert code == ExitCode.NOT_REPRODUCED and "the signature is not valid" in out


def test_an_edited_record_is_not_signed(signed, capsys, tmp_path):
    record, _ = signed
    data = json.loads(record.read_text(encoding="utf-8"))
    data["result"]["initial_grade"] = "high"
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "sign", str(record), "--key", str(tmp_path / "body.key"))
    assert code == ExitCode.INPUT_ERROR and "edited after it was written" in err


def test_signing_in_chinese(signed, capsys):
    record, public = signed
    text = assert_chinese(run(capsys, "verify", str(record), "--key", str(public), "--lang", "zh"), code=0)
    assert "签名有效：密钥 sha256:" in text
