"""``riskassess register event`` and ``riskassess watch`` (issue 9, item 4): events recorded and re-graded, the
projects that rose listed with exit 1, refusals located, tampering named, and all of it in Chinese — on SQLite and
a real PostgreSQL server."""

# ruff: noqa: F811  (the fixtures imported from register_fixtures are test parameters here)

from __future__ import annotations

import datetime as _dt
import json
import re
import sqlite3
from pathlib import Path

import pytest

from riskassess import Engine, ExitCode

from .conftest import run_cli as run
from .register_fixtures import location  # noqa: F401  (fixture)
from .test_chinese_cli import assert_chinese
from .test_monitor import decision

ROAD = "JS-CZTN-2026-0418"
TODAY = _dt.datetime.now(_dt.UTC).date().isoformat()


@pytest.fixture(scope="session")
def decisions(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Records of the road example written once: as it is, without its reception measure (M4, which lowers the
    petitions factor), and with 10 petitions (medium before the measures, low after them)."""
    folder = tmp_path_factory.mktemp("decisions")
    made = {"road": decision(engine), "no_reception": decision(engine, without=("M4-reception",)),
            "petitions": decision(engine, order__petitions_3y=10)}
    for name, record in made.items():
        (folder / f"{name}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return {name: folder / f"{name}.json" for name in made}


def decided(capsys, decisions: dict[str, Path], where: str, name: str = "road") -> tuple[str, ...]:
    code, out, err = run(capsys, "register", "add", str(decisions[name]), "--register", where)
    assert code == 0, out + err
    return ("--register", where)


def test_a_petitions_event_is_recorded_regraded_and_watched(capsys, decisions, location):
    reg = decided(capsys, decisions, location, "no_reception")
    code, out, _ = run(capsys, "watch", *reg)
    assert code == 0 and "has events after its decision" in out
    code, out, err = run(capsys, "register", "event", ROAD, "--kind", "petition", "--count", "8", "--date", TODAY,
                         "--note", "夜间施工噪声", *reg)
    assert code == 0, err
    assert f"event 1 recorded: {TODAY} petition: count 8, '夜间施工噪声'" in out
    assert "re-graded as entry 2 (monitoring of entry 1): post-measure grade low → medium, range low → medium" in out
    assert "answer order.petitions_3y: 2 → 10" in out and "`riskassess watch` lists it" in out
    code, out, _ = run(capsys, "watch", *reg)
    assert code == ExitCode.GATE_TRIPPED
    assert f"{ROAD} " in out and "post-measure grade low → medium, top of the post-measure range low → medium" in out
    assert f"    - event 1: {TODAY} petition: count 8" in out
    assert "    - factor cn.order.petitions: General → General becomes Significant → Significant" in out
    assert out.rstrip().endswith("1 of 1 monitored projects rose since their decision")
    code, out, _ = run(capsys, "register", "history", *reg)
    assert "(monitoring of sha256:" in out
    assert "monitoring: a re-grade of sha256:" in run(capsys, "register", "show", "2", *reg)[1]
    tomorrow = (_dt.date.fromisoformat(TODAY) + _dt.timedelta(days=1)).isoformat()
    code, out, _ = run(capsys, "watch", "--since", tomorrow, *reg)
    assert code == 0 and f"has events since {tomorrow}" in out
    code, out, _ = run(capsys, "register", "verify", *reg)
    assert code == 0 and "and 1 monitoring events; event chain head: event 1 sha256:" in out


def test_a_cancelled_measure_and_a_file_of_events(capsys, tmp_path, decisions, location):
    reg = decided(capsys, decisions, location, "petitions")
    events = tmp_path / "events.yaml"
    events.write_text(f"- {{kind: negative_report, count: 2, date: {TODAY}, note: 网帖}}\n"
                      f"- kind: measure_cancelled\n  measure: M4-reception\n  date: {TODAY}\n", encoding="utf-8")
    code, out, err = run(capsys, "register", "event", ROAD, "--from", str(events), *reg)
    assert code == 0, err
    assert "event 1 recorded" in out and "event 2 recorded" in out
    assert "answer measures[M4-reception].status: committed → cancelled" in out
    code, out, _ = run(capsys, "watch", *reg)
    assert code == ExitCode.GATE_TRIPPED and "post-measure grade low → medium" in out
    assert "factor cn.order.petitions: Significant → General becomes Significant → Significant" in out
    code, out, _ = run(capsys, "register", "event", ROAD, "--from", str(events), *reg)
    assert code == 0 and "already recorded as event 1" in out and f"nothing new: no re-grade of {ROAD}" in out


def test_nothing_listed_when_nothing_rose(capsys, decisions, location):
    reg = decided(capsys, decisions, location)
    for args in (["--kind", "negative_report"], ["--kind", "measure_completed", "--measure", "M3-compensation"],
                 ["--kind", "gathering", "--size", "20"]):
        assert run(capsys, "register", "event", ROAD, *args, "--date", TODAY, *reg)[0] == 0
    code, out, _ = run(capsys, "watch", *reg)
    assert code == 0 and out.strip() == "nothing rose: 1 monitored projects, none higher than at their decision"


@pytest.mark.parametrize("args, says", [
    (["NOPE", "--kind", "petition", "--date", TODAY], "no project 'NOPE' in the register"),
    ([ROAD, "--kind", "petition", "--date", "2001-05-01"], "--date: 2001-05-01 is before the project's latest "
                                                           "assessment (entry 1"),
    ([ROAD, "--kind", "riot", "--date", TODAY], "--kind: 'riot' is not a kind of event (one of: petition, "),
    ([ROAD, "--kind", "petition", "--count", "-3", "--date", TODAY], "--count: -3 is not between 1 and"),
    ([ROAD, "--kind", "incident", "--date", TODAY], "--size: a mass incident event needs --size"),
    ([ROAD, "--kind", "measure_cancelled", "--measure", "M9", "--date", TODAY], "has no measure 'M9'"),
    ([ROAD, "--date", TODAY], "--kind: no event given (give --kind and --date, or --from FILE)"),
    ([ROAD, "--from", "x.yaml", "--kind", "petition"], "--from gives the events: leave out --kind"),
])
def test_refusals_are_located_and_store_nothing(capsys, decisions, location, args, says):
    reg = decided(capsys, decisions, location)
    code, _, err = run(capsys, "register", "event", *args, *reg)
    assert code == ExitCode.INPUT_ERROR and says in err, err
    code, out, _ = run(capsys, "register", "verify", *reg)
    assert code == 0 and "intact: 1 entries" in out and "monitoring events" not in out


def test_a_bad_event_in_a_file_is_named_by_file_line_and_field(capsys, tmp_path, decisions, location):
    reg = decided(capsys, decisions, location)
    events = tmp_path / "events.yaml"
    events.write_text(f"events:\n  - kind: petition\n    date: {TODAY}\n  - kind: petition\n    count: many\n"
                      f"    date: {TODAY}\n", encoding="utf-8")
    code, _, err = run(capsys, "register", "event", ROAD, "--from", str(events), *reg)
    assert code == ExitCode.INPUT_ERROR and f"{events}:5: events[1].count: 'many' is not a whole number" in err
    events.write_text(f"- kind: petition\n  date: {TODAY}\n  people: 4\n", encoding="utf-8")
    code, _, err = run(capsys, "register", "event", ROAD, "--from", str(events), *reg)
    assert code == ExitCode.INPUT_ERROR and f"{events}:3: [0].people: unknown field 'people'" in err


def test_an_edited_event_is_named_by_register_verify(capsys, tmp_path, decisions):
    where = str(tmp_path / "reg.sqlite")
    reg = decided(capsys, decisions, where)
    run(capsys, "register", "event", ROAD, "--kind", "petition", "--count", "3", "--date", TODAY, *reg)
    with sqlite3.connect(where) as conn:
        conn.execute("UPDATE events SET event_count = 1 WHERE seq = 1")
    code, out, _ = run(capsys, "register", "verify", *reg)
    assert code == ExitCode.NOT_REPRODUCED and out.startswith("NOT intact: 1 problems")
    assert re.search(r"  - event 1 \(sha256:[0-9a-f]{64}\): edited: events.event_count: 1 in the register, 3 in "
                     r"its event", out), out


def test_monitoring_speaks_chinese(capsys, tmp_path, decisions):
    where = str(tmp_path / "reg.sqlite")
    reg = (*decided(capsys, decisions, where, "no_reception"), "--lang", "zh")
    text = assert_chinese(run(capsys, "register", "event", ROAD, "--kind", "gathering", "--size", "30", "--date",
                              TODAY, "--note", "村民聚集", *reg), code=0)
    assert "聚集：30 人、计为信访（规则集的群体性事件规模为 100 人）" in text
    assert_chinese(run(capsys, "watch", *reg), code=0)
    text = assert_chinese(run(capsys, "register", "event", ROAD, "--kind", "petition", "--count", "7", "--date",
                              TODAY, *reg), code=0)
    assert "措施后风险等级 低风险（low） → 中风险（medium）" in text
    text = assert_chinese(run(capsys, "watch", *reg), code=ExitCode.GATE_TRIPPED)
    assert "原因：" in text and "风险因素 cn.order.petitions" in text and "个风险等级高于决策时" in text
    for args in (["NOPE", "--kind", "petition", "--date", TODAY], [ROAD, "--kind", "riot", "--date", TODAY],
                 [ROAD, "--kind", "petition", "--date", "2001-05-01"], [ROAD, "--kind", "petition", "--date", "x"],
                 [ROAD, "--kind", "petition", "--size", "3", "--date", TODAY]):
        assert_chinese(run(capsys, "register", "event", *args, *reg), code=ExitCode.INPUT_ERROR)
    assert "事件链头" in assert_chinese(run(capsys, "register", "verify", *reg), code=0)
    assert "回头看" in assert_chinese(run(capsys, "register", "history", *reg), code=0)
    assert "回头看" in assert_chinese(run(capsys, "register", "show", "3", *reg), code=0)
    with sqlite3.connect(where) as conn:
        conn.execute("DELETE FROM events WHERE seq = 1")
        conn.execute("UPDATE events SET note = '改动' WHERE seq = 2")
    text = assert_chinese(run(capsys, "register", "verify", *reg), code=ExitCode.NOT_REPRODUCED)
    assert "事件 1" in text and "被删除" in text and "事件 2" in text and "被修改" in text
    assert_chinese(run(capsys, "watch", "--since", "昨天", *reg), code=ExitCode.INPUT_ERROR)


@pytest.mark.parametrize("command", [["register", "event"], ["watch"]], ids=" ".join)
def test_monitoring_help_in_chinese(capsys, command):
    text = assert_chinese(run(capsys, *command, "--help", "--lang", "zh"), code=0)
    assert f"用法：riskassess {' '.join(command)}" in text and "决策" in text
