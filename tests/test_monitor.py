"""Post-decision monitoring (issue 9, item 4): events appended to a project in the register, chained; the project
re-graded under the same rules with them, stored as a monitoring entry; ``watch`` listing what rose and why;
refusals; tampering named by ``register verify`` — on SQLite and a real PostgreSQL server."""

# ruff: noqa: F811  (the fixtures imported from register_fixtures are test parameters here)

from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import json
import re
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from riskassess import Engine, build_plugin_manager
from riskassess.errors import InputError
from riskassess.monitor import MAPPING, Draft, apply_events, draft, record_events, watch
from riskassess.questionnaire import canonical_json
from riskassess.register import Register, open_register
from riskassess.register.chain import EVENT_FORMAT, MONITORING_FORMAT, entry_hash, verify_chain
from riskassess.register.schema import GENESIS, MIGRATIONS, SCHEMA_VERSION

from .conftest import EXAMPLES, ROOT
from .register_fixtures import location  # noqa: F401  (fixture)

ROAD = "JS-CZTN-2026-0418"
TODAY = _dt.datetime.now(_dt.UTC).date().isoformat()


def decision(engine: Engine, *, without: tuple[str, ...] = (), rules: str | Path = "cn-ndrc-2012",
             **changes: Any) -> dict[str, Any]:
    """The record of the road example, its measures ``without`` some, ``section__field=value`` answers changed."""
    rule_set = engine.rule_set(rules)
    answers = copy.deepcopy(engine.read_questionnaire(EXAMPLES / "low-urban-road.yaml", rule_set).answers)
    answers["measures"] = [m for m in answers["measures"] if m["id"] not in without]
    for key, value in changes.items():
        section, name = key.split("__")
        answers[section][name] = value
    return engine.assess(engine.questionnaire(answers, rule_set, source="road.yaml"), rule_set).record()


def registered(location: str, *records: dict[str, Any]) -> Register:
    reg = open_register(location, create=True)
    reg.add(list(records))
    return reg


def event(kind: str, date: str = TODAY, **numbers: Any) -> Draft:
    return draft({"kind": kind, "date": date, **numbers})


# ----------------------------------------------------------------------------- stored and chained


def test_events_are_stored_chained_and_the_regrade_is_a_new_entry(location, engine):
    basis = decision(engine, without=("M4-reception",))
    with registered(location, basis) as reg:
        done = record_events(reg, engine, ROAD, [event("petition", count=8, note="夜间施工噪声")])
        [(stored, new)] = done.events
        content = stored.content()
        assert new and content == {"event_format": 1, "project_id": ROAD, "basis_record_id": basis["record_id"],
                                   "kind": "petition", "date": TODAY, "count": 8, "note": "夜间施工噪声"}
        assert stored.event_id == "sha256:" + hashlib.sha256(canonical_json(content).encode()).hexdigest()
        assert stored.event_hash == entry_hash(1, stored.recorded_at, stored.event_id, stored.event_sha256, GENESIS,
                                               None, sealed_as=EVENT_FORMAT)
        assert (reg.event_head().seq, reg.event_head().entry_hash) == (1, stored.event_hash)
        regrade = done.regrade
        assert regrade is not None and (regrade.seq, regrade.kind) == (2, "monitoring")
        assert regrade.basis_record_id == basis["record_id"] and json.loads(regrade.event_ids) == [stored.event_id]
        assert regrade.entry_hash == entry_hash(2, regrade.recorded_at, regrade.record_id, regrade.record_sha256,
                                                regrade.prev_hash, regrade.prev_record_id, sealed_as=MONITORING_FORMAT,
                                                extra=("monitoring", basis["record_id"], regrade.event_ids))
        assert done.changes == [("order.petitions_3y", 2, 10)]
        answers = regrade.record()["questionnaire"]["answers"]
        assert answers == apply_events(basis["questionnaire"]["answers"], [content])[0]
        assert answers["project"]["stage"] == "monitoring" and answers["order"]["petitions_3y"] == 10
        assert reg.get("1").record() == basis  # the decision is kept as it was
        again = record_events(reg, engine, ROAD, [event("petition", count=8, note="夜间施工噪声")])
        assert [new for _, new in again.events] == [False] and again.regrade is None and reg.count() == 2
        assert verify_chain(reg).intact and verify_chain(reg).events == 1


def test_each_regrade_applies_every_event_since_the_decision_and_a_new_assessment_starts_afresh(location, engine):
    basis = decision(engine)
    with registered(location, basis) as reg:
        record_events(reg, engine, ROAD, [event("negative_report", count=2)])
        done = record_events(reg, engine, ROAD, [event("negative_report"), event("petition", count=3)])
        assert [e.seq for e, _ in done.events] == [2, 3]
        assert done.changes == [("order.negative_media_reports", 0, 3), ("order.petitions_3y", 2, 5)]
        assert done.regrade is not None and len(json.loads(done.regrade.event_ids)) == 3
        anew = decision(engine, order__petitions_3y=5)  # the department assesses the project again
        reg.add([anew])
        assert reg.decision(ROAD).record_id == anew["record_id"]
        fresh = record_events(reg, engine, ROAD, [event("petition")])
        assert fresh.changes == [("order.petitions_3y", 5, 6)]


def test_concurrent_recorders_get_one_event_chain_and_each_regrade_applies_all_before_it(location, engine):
    registered(location, decision(engine)).close()
    errors: list[BaseException] = []

    def recorder(n: int) -> None:
        try:
            with open_register(location) as reg:
                for k in range(3):
                    record_events(reg, engine, ROAD, [event("negative_report", note=f"{n}-{k}")])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=recorder, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_register(location) as reg:
        ids = [e.event_id for e in reg.events()]
        assert [e.seq for e in reg.events()] == list(range(1, 10)) and verify_chain(reg).intact
        regrades = [e for e in reg.history() if e.kind == "monitoring"]
        assert [json.loads(e.event_ids) for e in regrades] == [ids[:k] for k in range(1, 10)]
        last = reg.get(str(regrades[-1].seq)).record()
        assert last["questionnaire"]["answers"]["order"]["negative_media_reports"] == 9


# ----------------------------------------------------------------------------- re-graded, and watched


def test_a_petitions_event_raising_a_low_project_to_medium_is_watched_with_the_factor(location, engine):
    with registered(location, decision(engine, without=("M4-reception",))) as reg:
        assert watch(reg, engine).projects == 0
        record_events(reg, engine, ROAD, [event("petition", count=8)])
        found = watch(reg, engine)
        [rise] = found.rose
        assert found.projects == 1 and rise.decision.seq == 1 and rise.regrade.seq == 2
        assert [(str(what), a, b) for what, a, b in rise.rose] == [("post-measure grade", "low", "medium"),
                                                                  ("top of the post-measure range", "low", "medium")]
        assert [e.kind for e in rise.events] == ["petition"]
        reasons = [str(r) for r in rise.reasons]
        assert any(r.startswith("factor cn.order.petitions: General → General becomes Significant") for r in reasons)
        assert watch(reg, engine, since=TODAY).projects == 1
        tomorrow = (_dt.date.fromisoformat(TODAY) + _dt.timedelta(days=1)).isoformat()
        assert watch(reg, engine, since=tomorrow).projects == 0


def test_a_cancelled_measure_raises_the_post_measure_grade(location, engine):
    basis = decision(engine, order__petitions_3y=10)  # medium before the measures, low after them
    assert (basis["result"]["initial_grade"], basis["result"]["post_measure_grade"]) == ("medium", "low")
    with registered(location, basis) as reg:
        done = record_events(reg, engine, ROAD, [event("measure_cancelled", measure="M4-reception")])
        assert done.changes == [("measures[M4-reception].status", "committed", "cancelled")]
        [rise] = watch(reg, engine).rose
        assert [(a, b) for _, a, b in rise.rose] == [("low", "medium"), ("low", "medium")]
        assert any(str(r).startswith("factor cn.order.petitions: Significant → General becomes Significant → "
                                     "Significant") for r in rise.reasons), rise.reasons


def test_nothing_is_listed_when_nothing_rose(location, engine):
    with registered(location, decision(engine)) as reg:
        record_events(reg, engine, ROAD, [event("negative_report", note="网帖"),
                                          event("measure_completed", measure="M3-compensation")])
        found = watch(reg, engine)
        assert found.projects == 1 and found.rose == []


def test_a_gathering_counts_as_an_incident_from_the_rule_sets_incident_size_else_as_a_petition(location, engine):
    assert engine.rule_set("cn-ndrc-2012").thresholds["incident_medium"]["value"] == 100
    with registered(location, decision(engine)) as reg:
        small = record_events(reg, engine, ROAD, [event("gathering", size=99)])
        assert small.events[0][0].content()["counted_as"] == "petition"
        assert small.changes == [("order.petitions_3y", 2, 3)]
        large = record_events(reg, engine, ROAD, [event("gathering", size=100)])
        assert large.events[0][0].columns["counted_as"] == "incident"
        assert large.changes == [("order.petitions_3y", 2, 3), ("order.mass_incidents_3y", 0, 1),
                                 ("order.largest_incident_size", 0, 100)]
        assert large.regrade is not None and large.regrade.columns["post_measure_grade"] == "medium"


def test_the_mapping_keeps_what_is_not_known_honest():
    answers = {"project": {"id": "P"}, "order": {"petitions_3y": None, "largest_incident_size": {"at_most": 50},
                                                 "negative_media_reports": {"between": [2, 4]}},
               "measures": [{"id": "M1", "status": "committed"}]}
    events = [{"kind": "petition", "count": 3}, {"kind": "incident", "size": 80},
              {"kind": "negative_report"}, {"kind": "measure_completed", "measure": "M1"},
              {"kind": "measure_cancelled", "measure": "M1"}]
    out, changes = apply_events(answers, events)
    assert out["order"] == {"petitions_3y": {"at_least": 3}, "largest_incident_size": 80,
                            "negative_media_reports": {"between": [3, 5]}, "mass_incidents_3y": {"at_least": 1}}
    assert out["measures"] == [{"id": "M1", "status": "cancelled"}] and out["project"]["stage"] == "monitoring"
    assert answers["order"]["petitions_3y"] is None  # the decision's answers are not touched
    assert ("measures[M1].status", "committed", "cancelled") in changes
    assert apply_events({"order": {"largest_incident_size": {"at_least": 10}}},
                        [{"kind": "incident", "size": 5}], stage=False)[0] == \
        {"order": {"largest_incident_size": {"at_least": 10}, "mass_incidents_3y": {"at_least": 1}}}
    assert set(MAPPING) == {"petition", "gathering", "incident", "negative_report", "measure_completed",
                            "measure_cancelled"}


# ----------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("values, field, says", [
    ({"kind": "petiton"}, "--kind", "'petiton' is not a kind of event (did you mean 'petition'?)"),
    ({"kind": None}, "--kind", "the kind of event is missing"),
    ({"kind": ["petition"]}, "--kind", "['petition'] is not a kind of event"),
    ({"count": 0}, "--count", "0 is not between 1 and"),
    ({"count": True}, "--count", "True is not a whole number"),
    ({"count": 2.5}, "--count", "2.5 is not a whole number"),
    ({"size": 30}, "--size", "--size does not apply to a petition event"),
    ({"kind": "incident"}, "--size", "a mass incident event needs --size"),
    ({"kind": "gathering", "count": 2, "size": 5}, "--count", "--count does not apply to a gathering event"),
    ({"kind": "measure_completed"}, "--measure", "a measure completed event needs --measure"),
    ({"date": "2026-02-30"}, "--date", "'2026-02-30' is not a date"),
    ({"date": None}, "--date", "the date of the event is missing"),
    ({"date": "2999-01-01"}, "--date", "2999-01-01 has not come yet"),
    ({"note": " "}, "--note", "must be a text, not empty"),
])
def test_a_malformed_event_is_refused_where_it_is(values, field, says):
    with pytest.raises(InputError) as info:
        draft({"kind": "petition", "date": TODAY, **values})
    assert info.value.field == field and says in str(info.value)


@pytest.mark.parametrize("project, given, says", [
    ("NO-SUCH-PROJECT", {"kind": "petition"}, "no project 'NO-SUCH-PROJECT' in the register"),
    (ROAD, {"kind": "petition", "date": "2000-01-01"}, "2000-01-01 is before the project's latest assessment (entry 1"),
    (ROAD, {"kind": "measure_cancelled", "measure": "M9"}, "the assessment (entry 1) has no measure 'M9'"),
    (ROAD, {"kind": "measure_completed", "measure": "M3-compensation", "note": "again"},
     "'M3-compensation' is already completed"),
])
def test_an_event_the_register_cannot_take_is_refused_and_nothing_is_stored(location, engine, project, given, says):
    with registered(location, decision(engine)) as reg:
        record_events(reg, engine, ROAD, [event("measure_completed", measure="M3-compensation")])
        with pytest.raises(InputError, match=re.escape(says)):
            record_events(reg, engine, project, [event("negative_report"), draft({"date": TODAY, **given})])
        assert reg.count() == 2 and len(reg.events()) == 1 and reg.event_head().seq == 1  # all or none
        assert verify_chain(reg).intact


def test_an_edited_decision_is_not_regraded(location, engine):
    basis = decision(engine)
    with registered(location, basis) as reg:
        edited = json.dumps({**basis, "result": {**basis["result"], "post_measure_grade": "high"}},
                            ensure_ascii=False, separators=(",", ":"))
        reg.db.query("UPDATE entries SET record = ? WHERE seq = 1", (edited,))
        with pytest.raises(InputError, match=r"latest assessment \(entry 1\) was edited in the register"):
            record_events(reg, engine, ROAD, [event("petition")])
        assert reg.events() == []


def test_a_changed_rule_set_is_refused_and_the_original_file_is_accepted(location, engine, tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "cn-ndrc-2012", pack)
    original = tmp_path / "original.yaml"
    shutil.copy(pack / "ruleset.yaml", original)
    with registered(location, decision(engine, rules=pack / "ruleset.yaml")) as reg:
        (pack / "ruleset.yaml").write_text((pack / "ruleset.yaml").read_text(encoding="utf-8") + "\n# edited\n",
                                           encoding="utf-8")
        engine = Engine(build_plugin_manager(entry_points=False))  # a new process: the rule file read anew
        with pytest.raises(InputError, match="re-grading uses the same rules only") as info:
            record_events(reg, engine, ROAD, [event("petition")])
        assert info.value.field == "rule_sets" and "--rules PATH" in str(info.value)
        assert reg.count() == 1 and reg.events() == []
        done = record_events(reg, engine, ROAD, [event("petition")], rules=original)
        assert done.regrade is not None and done.regrade.columns["rule_set_sha256"] == \
            reg.get("1").columns["rule_set_sha256"]


# ----------------------------------------------------------------------------- tamper evidence


def _findings(reg: Register) -> set[tuple[str, int, str | None, str]]:
    report = verify_chain(reg)
    assert not report.intact
    return {(f.chain, f.seq, f.record_id, f.kind) for f in report.findings}


def _monitored(location: str, engine: Engine) -> tuple[Register, list[str]]:
    reg = registered(location, decision(engine))
    for kind in ("petition", "negative_report", "petition"):
        record_events(reg, engine, ROAD, [event(kind, note=f"{kind} {reg.event_head().seq}")])
    return reg, [e.event_id for e in reg.events()]


def test_an_edited_event_is_named_by_register_verify(location, engine):
    reg, ids = _monitored(location, engine)
    with reg:
        reg.db.query("UPDATE events SET event_count = 5 WHERE seq = 1")
        assert _findings(reg) == {("event", 1, ids[0], "edited")}
        text = reg.events()[1].text.replace('"negative_report 1"', '"negative_report 9"')
        reg.db.query("UPDATE events SET event = ?, event_count = 1, note = ? WHERE seq = 2",
                     (text, "negative_report 9"))
        details = {str(f.detail) for f in verify_chain(reg).findings if f.seq == 2}
        assert any("its stored event no longer matches the event SHA-256" in d for d in details)
        assert any("its event was edited: its content gives the id" in d for d in details)


def _swap(reg: Register, a: int, b: int) -> None:
    for old, new in ((a, 0), (b, a), (0, b)):
        reg.db.query("UPDATE events SET seq = ? WHERE seq = ?", (new, old))


def test_a_moved_or_deleted_event_is_named(location, engine):
    reg, ids = _monitored(location, engine)
    with reg:
        _swap(reg, 1, 2)
        assert _findings(reg) == {("event", 1, ids[1], "moved"), ("event", 2, ids[0], "moved")}
        _swap(reg, 1, 2)
        assert verify_chain(reg).intact
        reg.db.query("DELETE FROM events WHERE seq = 2")
        assert _findings(reg) == {("event", 2, ids[1], "deleted")}
        reg.db.query("DELETE FROM events WHERE seq = 3")
        assert ("event", 3, ids[2], "deleted") in _findings(reg)  # the tail: named by the event chain head


def test_an_edited_monitoring_entry_is_named(location, engine):
    reg, _ = _monitored(location, engine)
    with reg:
        regrade = reg.history()[-1]
        reg.db.query("UPDATE entries SET kind = 'assessment', basis_record_id = NULL, event_ids = NULL WHERE seq = ?",
                     (regrade.seq,))
        assert _findings(reg) == {("entry", regrade.seq, regrade.record_id, "edited")}


def test_a_register_written_before_monitoring_is_migrated_and_still_verifies(location, engine):
    with registered(location, decision(engine), decision(engine, order__petitions_3y=4)) as reg:
        for statement in ("DROP TABLE events", "DROP TABLE event_chain_head", "ALTER TABLE entries DROP COLUMN kind",
                          "ALTER TABLE entries DROP COLUMN basis_record_id",
                          "ALTER TABLE entries DROP COLUMN event_ids", "DELETE FROM schema_version WHERE version > 1"):
            reg.db.query(statement)
    assert len(MIGRATIONS) == SCHEMA_VERSION == 2
    with open_register(location) as reg:
        assert [e.kind for e in reg.history()] == ["assessment", "assessment"]
        assert verify_chain(reg).intact
        assert record_events(reg, engine, ROAD, [event("petition")]).regrade is not None
        assert verify_chain(reg).intact


def test_the_export_carries_the_events_with_their_chain(location, engine):
    from riskassess.register.export import jsonl_lines
    reg, ids = _monitored(location, engine)
    with reg:
        lines = [json.loads(line) for line in jsonl_lines(reg)]
    events = [d for d in lines if "event_id" in d]
    assert [d["event_id"] for d in events] == ids and [d["kind"] for d in events] == ["petition", "negative_report",
                                                                                     "petition"]
    for d in events:  # enough to check the event chain elsewhere
        assert hashlib.sha256(d["stored"].encode()).hexdigest() == d["event_sha256"]
        assert json.loads(d["stored"]) == d["event"]
    assert [d["kind"] for d in lines if "record_id" in d] == ["assessment", "monitoring", "monitoring", "monitoring"]
