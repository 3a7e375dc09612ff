"""The assessment register (issue 9, items 1–2): storing, listing, comparing and exporting assessments, and the
hash chain that names any entry edited, deleted, moved or inserted — in SQLite and in a real PostgreSQL server."""

# ruff: noqa: F811  (the fixtures imported from register_fixtures are test parameters here)

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import threading
from typing import Any

import pytest

from riskassess.errors import InputError
from riskassess.register import Register, location_of, open_register
from riskassess.register.chain import entry_hash, verify_chain
from riskassess.register.compare import diff_records
from riskassess.register.export import csv_lines, entry_dict, jsonl_lines
from riskassess.register.kernel import unpack
from riskassess.register.schema import GENESIS, SCHEMA_VERSION

from .register_fixtures import edit_stored, location, record_of, records  # noqa: F401  (fixtures)


def _filled(location: str, records: dict[str, Any], *names: str) -> Register:
    reg = open_register(location, create=True)
    reg.add([records[n] for n in names or ("road", "substation", "road2")])
    return reg


# ----------------------------------------------------------------------------- the database


def test_a_register_is_created_and_migrated_from_nothing(location):
    every_version = [(v,) for v in range(1, SCHEMA_VERSION + 1)]
    with open_register(location, create=True) as reg:
        assert reg.db.query("SELECT version FROM schema_version ORDER BY version") == every_version
        assert reg.count() == 0 and reg.head().entry_hash == GENESIS and reg.head().seq == 0
        if reg.db.kind == "sqlite":
            assert reg.db.query("PRAGMA journal_mode") == [("wal",)]
    with open_register(location) as reg:  # opened again: nothing to migrate, nothing applied twice
        assert reg.db.query("SELECT version FROM schema_version ORDER BY version") == every_version
        assert verify_chain(reg).intact


def test_an_empty_sqlite_file_is_migrated_and_a_missing_one_is_not_created(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with open_register(str(empty)) as reg:
        assert reg.count() == 0
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(InputError, match="no register here"):
        open_register(str(missing))
    assert not missing.exists()
    (tmp_path / "text.sqlite").write_text("not a database " * 100)
    with pytest.raises(InputError, match="not a register"):
        open_register(str(tmp_path / "text.sqlite"))


def test_a_register_from_a_newer_riskassess_is_refused(location):
    with open_register(location, create=True) as reg:
        reg.db.query("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')")
    with pytest.raises(InputError, match="schema version 99"):
        open_register(location)


def test_the_location_is_the_option_then_the_environment_then_the_default(tmp_path):
    assert location_of(None, {}) == "riskassess-register.sqlite"
    assert location_of(None, {"RISKASSESS_REGISTER": "postgresql://h/db"}) == "postgresql://h/db"
    assert location_of("x.sqlite", {"RISKASSESS_REGISTER": "y"}) == "x.sqlite"
    assert location_of(str(tmp_path), {}) == str(tmp_path / "riskassess-register.sqlite")


# ----------------------------------------------------------------------------- add, get, history, iterate


def test_add_get_history_round_trip(location, records):
    with _filled(location, records) as reg:
        road, road2 = records["road"], records["road2"]
        project = road["questionnaire"]["answers"]["project"]
        assert [e.seq for e in reg.history()] == [1, 2, 3]
        assert [e.record_id for e in reg.history(project["id"])] == [road["record_id"], road2["record_id"]]
        assert [e.seq for e in reg.history(project["name"])] == [1, 3]
        assert reg.history("no-such-project") == []
        listed = reg.history()[2].columns
        assert (listed["initial_grade"], listed["post_measure_grade"], listed["rule_set_id"]) == \
            (road2["result"]["initial_grade"], road2["result"]["post_measure_grade"], "cn-ndrc-2012")
        assert "answers" not in listed
        entry = reg.get("3")
        assert json.dumps(entry.record(), ensure_ascii=False) == json.dumps(road2, ensure_ascii=False)  # key order kept
        assert json.loads(unpack(entry.columns["answers"])) == road2["questionnaire"]["answers"]
        assert reg.get(road2["record_id"]).seq == reg.get(road2["record_id"][7:20]).seq == 3
        assert [e.seq for e in reg.iterate(batch=2)] == [1, 2, 3]


def test_a_record_already_held_is_not_stored_twice(location, records):
    with _filled(location, records) as reg:
        again = reg.add([records["road2"], records["road"]])
        assert [(a.new, a.entry.seq) for a in again] == [(False, 3), (False, 1)]
        assert reg.count() == 3 and reg.head().seq == 3


@pytest.mark.parametrize("ref, says", [("7", "no entry 7"), ("sha256:ffffffffff", "no entry"),
                                       ("road", "names no entry")])
def test_an_unknown_entry_is_named(location, records, ref, says):
    with _filled(location, records, "road") as reg, pytest.raises(InputError, match=says):
        reg.get(ref)


def test_adding_is_all_or_nothing(location, records):
    broken = {**records["substation"], "digest": {}}
    with open_register(location, create=True) as reg:
        with pytest.raises(KeyError):
            reg.add([records["road"], broken])
        assert reg.count() == 0 and reg.head().seq == 0


def test_the_entries_are_chained(location, records):
    with _filled(location, records) as reg:
        entries = list(reg.iterate())
        assert entries[0].prev_hash == GENESIS and entries[0].prev_record_id is None
        for before, after in itertools.pairwise(entries):
            assert (after.prev_hash, after.prev_record_id) == (before.entry_hash, before.record_id)
        for e in entries:
            assert e.entry_hash == entry_hash(e.seq, e.recorded_at, e.record_id, e.record_sha256, e.prev_hash,
                                              e.prev_record_id)
        assert (reg.head().seq, reg.head().entry_hash) == (3, entries[-1].entry_hash)


def test_concurrent_writers_get_consecutive_seqs_and_one_chain(location, engine):
    open_register(location, create=True).close()
    made = [record_of(engine, land__persons_affected=30 + i) for i in range(12)]
    errors: list[BaseException] = []

    def writer(mine: list[dict[str, Any]]) -> None:
        try:
            with open_register(location) as reg:
                for record in mine:
                    reg.add([record])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(made[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_register(location) as reg:
        assert [e.seq for e in reg.history()] == list(range(1, 13))
        assert {e.record_id for e in reg.history()} == {r["record_id"] for r in made}
        assert verify_chain(reg).intact


# ----------------------------------------------------------------------------- tamper evidence


def _findings(reg: Register) -> set[tuple[int, str | None, str]]:
    report = verify_chain(reg)
    assert not report.intact
    return {(f.seq, f.record_id, f.kind) for f in report.findings}


def _ids(reg: Register) -> dict[int, str]:
    return {e.seq: e.record_id for e in reg.history()}


def _five(location: str, records: dict[str, Any], engine: Any) -> Register:
    reg = _filled(location, records)
    reg.add([record_of(engine, land__persons_affected=40), record_of(engine, land__persons_affected=41)])
    return reg


def test_an_intact_register_verifies(location, records):
    with _filled(location, records) as reg:
        report = verify_chain(reg)
        assert report.intact and report.entries == 3 and report.head.seq == 3


def test_an_edited_record_is_named(location, records):
    with _filled(location, records) as reg:
        edit_stored(reg, 3, "record", '"unknown_rules":[]', '"unknown_rules":[1]')
        found = verify_chain(reg).findings
        assert {(f.seq, f.record_id, f.kind) for f in found} == {(3, records["road2"]["record_id"], "edited")}
        said = " ".join(str(f.detail) for f in found)
        assert "no longer matches the record SHA-256" in said and "its content gives the id" in said


def test_an_edited_column_is_named(location, records):
    with _filled(location, records) as reg:
        reg.db.query("UPDATE entries SET post_measure_grade = 'high' WHERE seq = 2")
        found = verify_chain(reg).findings
        assert {(f.seq, f.kind) for f in found} == {(2, "edited")}
        assert "post_measure_grade: 'high' in the register, 'medium' in its record" in str(found[0].detail)


def test_an_edit_re_sealed_is_still_named(location, records):
    """Edited, its SHA-256 and its entry hash recomputed: its content no longer gives its id, and the entry
    after it commits to another."""
    with _filled(location, records) as reg:
        e = reg.get("2")
        text = edit_stored(reg, 2, "record", '"unknown_rules":[]', '"unknown_rules":[1]')
        import hashlib
        sha = hashlib.sha256(text.encode()).hexdigest()
        sealed = entry_hash(2, e.recorded_at, e.record_id, sha, e.prev_hash, e.prev_record_id)
        reg.db.query("UPDATE entries SET record = ?, record_sha256 = ?, entry_hash = ?, post_measure_grade = 'low' "
                     "WHERE seq = 2", (text, sha, sealed))
        found = verify_chain(reg).findings
        assert {(f.seq, f.kind) for f in found} == {(2, "edited")}
        said = " ".join(str(f.detail) for f in found)
        assert "its content gives the id" in said and "entry 3 commits to another entry 2" in said


def test_a_deleted_entry_is_named(location, records, engine):
    with _five(location, records, engine) as reg:
        ids = _ids(reg)
        reg.db.query("DELETE FROM entries WHERE seq = 3")
        assert _findings(reg) == {(3, ids[3], "deleted")}


def test_deleted_entries_at_the_end_are_named_by_the_head(location, records, engine):
    with _five(location, records, engine) as reg:
        ids = _ids(reg)
        reg.db.query("DELETE FROM entries WHERE seq >= 4")
        found = verify_chain(reg).findings
        assert {(f.seq, f.record_id, f.kind) for f in found} == {(5, ids[5], "deleted")}
        assert str(found[0].detail) == "together with entries 4 to 4"


def test_swapped_entries_are_named(location, records, engine):
    with _five(location, records, engine) as reg:
        ids = _ids(reg)
        for a, b in ((2, -2), (4, 2), (-2, 4)):  # as a shell would: through a free seq
            reg.db.query("UPDATE entries SET seq = ? WHERE seq = ?", (b, a))
        found = verify_chain(reg).findings
        assert {(f.seq, f.record_id, f.kind) for f in found} == {(2, ids[4], "moved"), (4, ids[2], "moved")}
        assert sorted(str(f.detail) for f in found) == ["it was written as entry 2", "it was written as entry 4"]


def _forge(reg: Register, record: dict[str, Any], seq: int, after: int) -> str:
    """An entry sealed as the register would seal it, at ``seq``, after entry ``after`` (one who knows the design)."""
    from riskassess.register.store import CHAIN, DERIVED, columns_of, compact
    text = compact(record)
    import hashlib
    sha = hashlib.sha256(text.encode()).hexdigest()
    before = reg.get(str(after))
    sealed = entry_hash(seq, "2030-01-01T00:00:00.000000Z", record["record_id"], sha, before.entry_hash,
                        before.record_id)
    row = [seq, "2030-01-01T00:00:00.000000Z", record["record_id"], sha, before.entry_hash, before.record_id, sealed,
           *columns_of(record).values(), text]
    names = (*CHAIN[:7], *DERIVED, "record")  # an assessment: sealed without kind, basis and events
    reg.db.query(f"INSERT INTO entries ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", row)
    return str(record["record_id"])


def test_an_entry_inserted_in_the_middle_is_named(location, records, engine):
    with _five(location, records, engine) as reg:
        ids = _ids(reg)
        for seq in (5, 4, 3):  # make room, as a forger would
            reg.db.query("UPDATE entries SET seq = ? WHERE seq = ?", (seq + 1, seq))
        forged = _forge(reg, records["forged"], 3, after=2)
        assert _findings(reg) == {(3, forged, "inserted"), (4, ids[3], "moved"), (5, ids[4], "moved"),
                                  (6, ids[5], "moved")}


def test_an_entry_appended_behind_the_heads_back_is_named(location, records):
    with _filled(location, records) as reg:
        forged = _forge(reg, records["forged"], 4, after=3)
        assert _findings(reg) == {(4, forged, "inserted")}


def test_an_entry_with_a_made_up_seal_is_named(location, records):
    with _filled(location, records) as reg:
        reg.db.query("UPDATE entries SET recorded_at = '2020-01-01T00:00:00.000000Z' WHERE seq = 2")
        found = verify_chain(reg).findings
        assert {(f.seq, f.kind) for f in found} == {(2, "edited")}
        assert "no longer give its entry hash" in str(found[0].detail)


# ----------------------------------------------------------------------------- diff and export


def test_diff_names_answers_factors_grades_and_ranges(records):
    from riskassess.i18n import tr
    said = [str(t) for t in diff_records(records["road"], records["road2"], tr("entry {seq}", seq=1),
                                         tr("entry {seq}", seq=3))]
    assert said[0] == "answer land.households_relocated: 9 → 300"
    assert "initial grade: 'low' → 'medium'" in said
    assert "highest possible initial grade: 'low' → 'medium'" in said
    assert "factor cn.land.relocation_scale: case taken: 'small' → 'large'" in said
    assert "factor cn.policy.no_hearing: whether it applies: no → yes" in said
    assert not any("outcome" in s or "leaves" in s for s in said)  # condition detail follows from the answers
    assert diff_records(records["road"], records["road"], tr("entry {seq}", seq=1), tr("entry {seq}", seq=1)) == []


def test_diff_names_a_changed_rule_set_plugin_and_engine(records):
    from riskassess.i18n import tr
    old = records["road"]
    new = json.loads(json.dumps(old))
    new["rule_sets"][0].update(version="9.9.9", sha256="ab" * 32)
    new["plugins"] = [*new["plugins"], {"name": "expert", "version": "1.0"}]
    new["engine"]["version"] = "9.0"
    said = [str(t) for t in diff_records(old, new, tr("entry {seq}", seq=1), tr("entry {seq}", seq=2))]
    assert said[0].startswith(f"rule set cn-ndrc-2012: {old['rule_sets'][0]['version']} (sha256 ")
    assert said[0].endswith("→ 9.9.9 (sha256 abababababababab)")
    assert "plugin expert: not used → 1.0" in said and "engine: riskassess 0.1.0 → 9.0" in said


def test_export_carries_every_entry_whole(location, records):
    with _filled(location, records) as reg:
        lines = [json.loads(line) for line in jsonl_lines(reg)]
        assert [d["record"]["record_id"] for d in lines] == [records[n]["record_id"]
                                                             for n in ("road", "substation", "road2")]
        for d in lines:  # enough to check the chain elsewhere
            assert d["entry_hash"] == entry_hash(d["seq"], d["recorded_at"], d["record_id"], d["record_sha256"],
                                                 d["prev_hash"], d["prev_record_id"])
            assert hashlib.sha256(d["stored"]["record"].encode()).hexdigest() == d["record_sha256"]
        assert lines[0]["answers"] == records["road"]["questionnaire"]["answers"]
        assert entry_dict(reg.get("1"))["firm"] is True
        rows = list(csv.DictReader(io.StringIO("".join(csv_lines(reg)))))
        assert [r["seq"] for r in rows] == ["1", "2", "3"]
        assert rows[1]["post_measure_grade"] == records["substation"]["result"]["post_measure_grade"]
        assert rows[2]["project_id"] == records["road2"]["questionnaire"]["answers"]["project"]["id"]
