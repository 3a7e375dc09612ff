"""Issue 10, item 4: a strict record reader for `verify`. A record holds no field riskassess does not write
(refused at its line, exit 2), lists no plugin twice, and every field is covered by the id, re-derived and
compared, or listed as presentation in one place (riskassess.record_fields.PRESENTATION, shown in the
README). Properties: whatever validates gives a record that verifies as reproduced, and a record changed
anywhere but a presentation field never does."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from riskassess import ExitCode, RecordError
from riskassess.assessment import record_schema
from riskassess.record_fields import COVERED_BY_ID, PRESENTATION, RE_DERIVED, classify, is_presentation
from riskassess.verify import read_record, verify_record

from .conftest import EXAMPLES, ROOT
from .conftest import run_cli as run
from .test_fuzz import FUZZ
from .test_properties import questionnaires

HIGH = EXAMPLES / "high-incinerator.yaml"
PROPERTY = FUZZ  # the profile's examples per property; RISKASSESS_FUZZ_EXAMPLES=2000 for a longer run


@pytest.fixture(scope="module")
def record_file(tmp_path_factory: Any) -> Path:
    out = tmp_path_factory.mktemp("record") / "record.json"
    from riskassess.cli import main
    with pytest.raises(SystemExit):
        main(["evaluate", str(HIGH), "--out", str(out)])
    return out


def written(tmp_path: Path, record: dict[str, Any], name: str = "record.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def verify(capsys: Any, path: Path) -> tuple[int, str, str]:
    return run(capsys, "verify", str(path), "--lang", "en")


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


# ----------------------------------------------------------------------------- no field riskassess does not write


@pytest.mark.parametrize(("where", "field"), [
    (("questionnaire",), "questionnaire.zz_extra"),
    (("engine",), "engine.zz_extra"),
    (("rule_sets", 0), "rule_sets[0].zz_extra"),
    (("plugins", 0), "plugins[0].zz_extra"),
    (("result",), "result.zz_extra"),
    (("result", "factors", 0), "result.factors[0].zz_extra"),
    (("result", "factors", 0, "cases", 0, "leaves", 0), "result.factors[0].cases[0].leaves[0].zz_extra"),
    (("labels",), "labels.zz_extra"),
    (("labels", "thresholds", "nimby_near_m"), "labels.thresholds.nimby_near_m.zz_extra"),
    (("digest",), "digest.zz_extra"),
])
def test_an_extra_field_anywhere_is_refused_at_its_line(tmp_path, capsys, record_file, where, field):
    record = json.loads(record_file.read_text(encoding="utf-8"))
    target = record
    for key in where:
        target = target[key]
    target["zz_extra"] = "added by hand"
    path = written(tmp_path, record)
    code, out, err = verify(capsys, path)
    assert (code, out) == (ExitCode.INPUT_ERROR, "")
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if '"zz_extra"' in text)
    assert err.startswith(f"error: {path}:{line}: {field}: not a valid assessment record: unknown field 'zz_extra' "
                          "(allowed here: "), err


def test_a_plugin_listed_twice_is_refused(tmp_path, capsys, record_file):
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert record["plugins"], "the national pack's record names the plugins it used"
    record["plugins"].append(dict(record["plugins"][0]))
    path = written(tmp_path, record)
    code, _, err = verify(capsys, path)
    name = record["plugins"][0]["name"]
    assert code == ExitCode.INPUT_ERROR
    assert re.fullmatch(rf"error: {re.escape(str(path))}:\d+: plugins\[{len(record['plugins']) - 1}\]\.name: "
                        rf"plugins lists '{re.escape(name)}' twice \(riskassess lists each once; the record was "
                        r"edited\)\n", err), err


def test_a_parent_naming_another_rule_set_as_its_child_is_refused(tmp_path, capsys, record_file):
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record["rule_sets"][0]["extended_by"] = "someone-else"
    path = written(tmp_path, record)
    code, _, err = verify(capsys, path)
    assert code == ExitCode.INPUT_ERROR
    assert err == (f"error: {path}:{line_of(path, 'someone-else')}: rule_sets[0].extended_by: the rule set the "
                   "record was made with, cn-ndrc-2012, names 'someone-else' as extending it (riskassess lists the "
                   "rule set used first and each rule set it extends after it; the record was edited)\n")


def test_an_extra_field_is_refused_in_chinese_too(tmp_path, capsys, record_file):
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record["engine"]["note"] = "x"
    code, _, err = run(capsys, "verify", str(written(tmp_path, record)), "--lang", "zh")
    assert code == ExitCode.INPUT_ERROR
    assert "不是有效的评估记录：未知字段“note”" in err, err


# ----------------------------------------------------------------------------- one list of presentation fields


def _loose_objects(node: Any, where: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every object schema in ``node`` that allows fields it does not name, by where it is in the schema."""
    out = []
    if isinstance(node, dict):
        is_object = "object" in node.get("type", ()) or "properties" in node
        if is_object and node.get("additionalProperties", True) is True:
            out.append(where)
        for key, sub in node.items():
            if isinstance(sub, (dict, list)) and key not in ("enum", "const", "required"):
                out += _loose_objects(sub, (*where, key))
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            out += _loose_objects(sub, (*where, str(i)))
    return out


FREE_FORM = [  # objects whose keys the answers decide: covered by the id through the answers' hash
    ("properties", "questionnaire", "properties", "answers"),
    ("$defs", "leaf", "properties", "derived_from"),
    ("$defs", "leaf", "properties", "evidence"),
    ("properties", "digest", "properties", "adjustments", "properties", "given", "items"),
]


def test_the_record_schema_allows_no_field_riskassess_does_not_write():
    assert sorted(_loose_objects(record_schema())) == sorted(FREE_FORM)


def test_every_field_of_a_record_is_covered_by_the_id_re_derived_or_presentation(record_file):
    def paths(value: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """The path of every value that holds no other."""
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        out = [p for key, sub in items for p in paths(sub, (*where, key))]
        return out or [where]

    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert {p for p in paths(record) if classify(p) is None} == set()
    assert set(record) | {"signature", "adjustments"} == {p.split(".")[0].split("[")[0]
                                                          for p in (*PRESENTATION, *COVERED_BY_ID, *RE_DERIVED)}


def test_the_readme_lists_the_presentation_fields():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- presentation fields: riskassess.record_fields.PRESENTATION -->")[1].split("<!--")[0]
    assert tuple(re.findall(r"^- `([^`]+)`", block, re.M)) == PRESENTATION


def test_presentation_fields_are_matched_by_path_not_by_name():
    assert is_presentation(("questionnaire", "source"))
    assert is_presentation(("result", "factors", 3, "cases", 0, "leaves", 1, "answer_line"))
    assert not is_presentation(("labels", "thresholds", "nimby_near_m", "source"))
    assert not is_presentation(("result", "scoring", "initial", 0, "steps", 5, "value", "source"))


@pytest.mark.parametrize("change", [
    lambda r: r["labels"]["thresholds"]["nimby_near_m"].update(source={"zh": "国家标准", "en": "A national standard"}),
    lambda r: r["labels"]["matrix"].update(source={"zh": "官方", "en": "Official"}),
    lambda r: next(s for s in r["result"]["scoring"]["initial"][0]["steps"]
                   if isinstance(s.get("value"), dict) and "source" in s["value"])["value"].update(source="official"),
])
def test_edited_provenance_text_is_not_reproduced(tmp_path, capsys, record_file, change):
    record = json.loads(record_file.read_text(encoding="utf-8"))
    change(record)
    code, out, _ = verify(capsys, written(tmp_path, record))
    assert code == ExitCode.NOT_REPRODUCED
    assert "the record was edited after it was written" in out and "source" in out, out


def test_a_record_without_its_labels_is_not_reproduced(tmp_path, capsys, record_file):
    record = json.loads(record_file.read_text(encoding="utf-8"))
    del record["labels"]
    code, out, _ = verify(capsys, written(tmp_path, record))
    assert code == ExitCode.NOT_REPRODUCED
    assert "  - labels: on re-evaluation, not in the record\n" in out, out


def test_items_in_another_order_are_not_reproduced(tmp_path, capsys, record_file):
    record = json.loads(record_file.read_text(encoding="utf-8"))
    factors = record["result"]["factors"]
    factors[0], factors[1] = factors[1], factors[0]
    code, out, _ = verify(capsys, written(tmp_path, record))
    assert code == ExitCode.NOT_REPRODUCED
    assert f"result.factors.order ['{factors[0]['id']}', '{factors[1]['id']}'," in out, out


def test_edited_presentation_fields_still_reproduce(tmp_path, capsys, record_file):
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record["created_at"] = "2020-01-01T00:00:00+00:00"
    record["questionnaire"]["source"] = "elsewhere.yaml"
    record["questionnaire"]["raw_sha256"] = "0" * 64
    record["result"]["factors"][0]["cases"][0]["rule_line"] = 1
    code, out, _ = verify(capsys, written(tmp_path, record))
    assert (code, out) == (ExitCode.OK, f"reproduced: {record['record_id']}\n")


# ----------------------------------------------------------------------------- properties


@PROPERTY
@given(answers=questionnaires(), measured=st.booleans())
def test_whatever_validates_evaluates_to_a_record_that_verifies(tmp_path_factory, capsys, answers, measured):
    """validate → evaluate → verify through files and the command line: reproduced, every time."""
    if measured:
        answers["measures"] = [{"id": "M1", "addresses": ["cn.public.opposition"], "description": "措施",
                                "status": "committed", "effect": {"probability": -1, "impact": 0}}]
    folder = tmp_path_factory.mktemp("q")
    questionnaire, record = folder / "q.yaml", folder / "record.json"
    questionnaire.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    code, _, err = run(capsys, "validate", str(questionnaire))
    if code != ExitCode.OK:
        assert code == ExitCode.INPUT_ERROR and "Traceback" not in err
        return
    assert run(capsys, "evaluate", str(questionnaire), "--out", str(record))[0] == ExitCode.OK
    code, out, err = verify(capsys, record)
    assert (code, err) == (ExitCode.OK, ""), out


JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-2, 2), st.text(max_size=3),
                        st.just([]), st.just({}))


def _paths_in(value: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [where]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, sub in items:
        out += _paths_in(sub, (*where, key))
    return out


def _changed(value: Any) -> Any:
    """A value of the same JSON type that differs from ``value``."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, list):
        return [*value, value[0]] if value else [0]
    if isinstance(value, dict):
        return {**value, "x": 1}
    return 0


@pytest.fixture(scope="module")
def records(engine, national):
    """A few engine-written records to mutate, as written (lists, not tuples)."""
    out = []
    for name in ("high-incinerator", "medium-substation", "low-urban-road"):
        a = engine.evaluate(EXAMPLES / f"{name}.yaml", national.source)
        out.append(json.loads(json.dumps(a.record(), ensure_ascii=False)))
    return out


@PROPERTY
@given(data=st.data(), which=st.integers(0, 2), kind=st.sampled_from(["same type", "any value", "delete", "add"]))
def test_a_record_changed_anywhere_but_presentation_never_verifies(tmp_path_factory, engine, records, data, which,
                                                                   kind):
    record = copy.deepcopy(records[which])
    section = data.draw(st.sampled_from(sorted(record)), label="section")
    where = data.draw(st.sampled_from(_paths_in(record[section], (section,))), label="path")
    parent: Any = record
    for key in where[:-1]:
        parent = parent[key]
    if kind == "add":
        target = parent[where[-1]]
        if not isinstance(target, dict):
            return
        target["added"] = data.draw(JSON_VALUES, label="added")
        where = (*where, "added")
    elif kind == "delete":
        if isinstance(parent, list):
            parent.pop(where[-1])
        else:
            del parent[where[-1]]
    else:
        old = parent[where[-1]]
        new = _changed(old) if kind == "same type" else data.draw(JSON_VALUES, label="value")
        if new == old and type(new) is type(old):
            return
        parent[where[-1]] = new
    path = written(tmp_path_factory.mktemp("r"), record)
    try:
        found = verify_record(read_record(path), engine, record_path=path)
    except RecordError:
        assert not (is_presentation(where) and kind == "same type"), where
        return
    if is_presentation(where):
        assert found.reproduced or kind != "same type", (where, [d.render("en") for d in found.differences])
    else:
        assert not found.reproduced, (kind, where)
