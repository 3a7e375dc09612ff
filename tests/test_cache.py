"""The rule-set cache is a shortcut only: same rule set, same grades, and a damaged entry is ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskassess import Engine, cache

from .conftest import EXAMPLES, ROOT


@pytest.fixture(autouse=True)
def _forget_the_directory():
    yield
    cache.directory.cache_clear()  # the next test finds the suite's own cache again


def fresh(monkeypatch, where: Path) -> Engine:
    monkeypatch.setenv("RISKASSESS_CACHE", str(where))
    cache.directory.cache_clear()
    return Engine()


def test_a_cached_load_grades_exactly_as_a_fresh_one(tmp_path, monkeypatch):
    first = fresh(monkeypatch, tmp_path).evaluate(EXAMPLES / "high-incinerator.yaml")
    kinds = {p.name.split("-", 1)[0] for p in tmp_path.iterdir()}
    assert kinds == {"doc", "valid", "code"}
    second = fresh(monkeypatch, tmp_path).evaluate(EXAMPLES / "high-incinerator.yaml")
    assert second.record_id == first.record_id and second.record() == {**first.record(),
                                                                         "created_at": second.record()["created_at"]}


def test_damaged_entries_are_ignored_and_rewritten(tmp_path, monkeypatch):
    expected = fresh(monkeypatch, tmp_path).evaluate(EXAMPLES / "low-urban-road.yaml").record_id
    for entry in tmp_path.iterdir():
        entry.write_bytes(b"\x00garbage")
    assert fresh(monkeypatch, tmp_path).evaluate(EXAMPLES / "low-urban-road.yaml").record_id == expected
    assert all(p.read_bytes() != b"\x00garbage" for p in tmp_path.iterdir() if not p.name.startswith("valid"))


def test_a_changed_pack_never_meets_its_old_entry(tmp_path, monkeypatch):
    pack = tmp_path / "pack.yaml"
    text = (ROOT / "rules" / "cn-ndrc-2012" / "ruleset.yaml").read_text(encoding="utf-8")
    pack.write_text(text, encoding="utf-8")
    fresh(monkeypatch, tmp_path / "c").rule_set(pack)
    pack.write_text(text.replace("version: 0.3.0", "version: 9.9.9", 1), encoding="utf-8")
    assert fresh(monkeypatch, tmp_path / "c").rule_set(pack).version == "9.9.9"


def test_off_means_off(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKASSESS_CACHE", "off")
    cache.directory.cache_clear()
    assert cache.directory() is None
    Engine().rule_set(None)  # works without one
