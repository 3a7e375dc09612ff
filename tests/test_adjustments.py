"""Governed adjustments (issue 9, item 3): an assessor sets a factor's probability or impact only with a
justification, an approver and an expiry, judged on an as-of date the record keeps; the record, terminal,
report and `verify` show them."""

from __future__ import annotations

import datetime as dt
import io
import json

import jsonschema
import pytest
from docx import Document

from riskassess import ExitCode, InputError
from riskassess.adjustments import load_adjustments
from riskassess.assessment import record_schema
from riskassess.questions import candidates
from riskassess.report import render_docx, render_html, render_markdown

from .conftest import base_questionnaire, write_yaml
from .conftest import run_cli as run
from .test_chinese_cli import assert_chinese, english_words

FACTOR = "cn.land.relocation_scale"
AS_OF = "2026-05-01"
GOOD = """\
- factor: cn.land.relocation_scale
  stage: post_measure
  probability: 2
  justification: {zh: 安置协议已全部签订并公证, en: every agreement is signed and notarised}
  approved_by: 评估组组长 王某
  approved_on: 2026-03-01
  expires: 2026-12-31
"""
EXPIRED = """\
- factor: cn.public.survey_coverage
  stage: both
  impact: 2
  justification: 抽样覆盖全部受影响村组
  approved_by: 李某
  approved_on: 2025-01-01
  expires: 2025-12-31
"""
NOT_APPLICABLE = """\
- factor: cn.env.nimby_proximity
  stage: initial
  probability: 1
  justification: 项目不建邻避设施
  approved_by: 李某
  approved_on: 2026-01-01
  expires: 2026-12-31
"""


def _answers():
    """Low-risk except 300 households moved: relocation scale is significant after measures → medium."""
    q = base_questionnaire()
    q["land"]["households_relocated"] = 300
    q["public"]["affected_population"] = 500
    return q


@pytest.fixture
def files(tmp_path):
    q = write_yaml(tmp_path / "q.yaml", _answers())
    adj = tmp_path / "adj.yaml"
    adj.write_text(GOOD + EXPIRED + NOT_APPLICABLE, encoding="utf-8")
    return q, adj


def _evaluate(capsys, q, adj, out, *extra):
    code, text, err = run(capsys, "evaluate", str(q), "--adjustments", str(adj), "--out", str(out), *extra)
    assert code == ExitCode.OK, err
    return text, json.loads(out.read_text(encoding="utf-8"))


def test_an_adjustment_lowers_a_post_measure_level_and_the_grade(engine):
    plain = engine.evaluate(_answers())
    adjusted = engine.evaluate(_answers(), adjustments=[_good()], as_of=AS_OF)
    assert (plain.initial_grade, plain.post_measure_grade) == ("medium", "medium")
    assert (adjusted.initial_grade, adjusted.post_measure_grade) == ("medium", "low")
    factor = next(f for f in adjusted.factors if f.id == FACTOR)
    assert (factor.initial.probability, factor.initial.impact) == (3, 4)  # before measures: as the rules give it
    assert (factor.post.probability, factor.post.impact) == (2, 4)
    assert adjusted.decision["code"] == "approvable" and plain.decision["code"] == "not_approvable"
    record = adjusted.record()
    jsonschema.validate(record, record_schema())
    [entry] = record["result"]["adjustments"]
    assert entry["status"] == "applied" and entry["approved_by"] == "评估组组长 王某"
    assert entry["post_measure"] == {"from": {"probability": 3, "impact": 4, "level": "significant"},
                                     "to": {"probability": 2, "impact": 4, "level": "general"}}
    assert "initial" not in entry
    assert record["adjustments"]["as_of"] == AS_OF and len(record["adjustments"]["sha256"]) == 64
    assert record["digest"]["adjustments"]["status"] == ["applied"]
    assert next(f for f in record["result"]["factors"] if f["id"] == FACTOR)["adjusted"] == ["post_measure"]
    assert "adjustments" not in plain.record() and "adjustments" not in plain.digest


def _good(**changes):
    entry = {"factor": FACTOR, "stage": "post_measure", "probability": 2,
             "justification": {"zh": "安置协议已全部签订并公证", "en": "every agreement is signed and notarised"},
             "approved_by": "评估组组长 王某", "approved_on": "2026-03-01", "expires": "2026-12-31"}
    entry.update(changes)
    return entry


def test_stages_initial_and_both(engine):
    """``initial``: the measures then lower the adjusted level; ``both``: the measures do not move it."""
    initial = engine.evaluate(_answers(), adjustments=[_good(stage="initial", probability=5)], as_of=AS_OF)
    both = engine.evaluate(_answers(), adjustments=[_good(stage="both", probability=1, impact=1)], as_of=AS_OF)
    f = next(f for f in initial.factors if f.id == FACTOR)
    assert (f.initial.probability, f.post.probability) == (5, 5)  # no measure addresses it
    assert initial.initial_grade == "high" and initial.post_measure_grade == "high"
    g = next(f for f in both.factors if f.id == FACTOR)
    assert (g.initial.probability, g.initial.impact, g.post.probability, g.post.impact) == (1, 1, 1, 1)
    assert (both.initial_grade, both.post_measure_grade) == ("low", "low")
    [entry] = both.record()["result"]["adjustments"]
    assert entry["initial"]["from"]["level"] == "significant" and entry["initial"]["to"]["level"] == "negligible"


def test_the_justification_and_approver_are_in_the_record_terminal_and_reports(capsys, files, tmp_path):
    q, adj = files
    text, record = _evaluate(capsys, q, adj, tmp_path / "r.json", "--as-of", AS_OF, "--lang", "zh")
    assert record["result"]["post_measure_grade"] == "low"
    assert "评估主体调整（评估基准日 2026-05-01）：共 3 项，采用 1 项" in text
    assert "cn.land.relocation_scale  ✎ 调整" in text
    assert ("✎ 调整（措施后）：3×4 较大 → 2×4 一般；批准人 评估组组长 王某，2026-03-01 批准，2026-12-31 到期；"
            "理由：安置协议已全部签订并公证") in text
    code, out, _ = run(capsys, "evaluate", str(q), "--adjustments", str(adj), "--as-of", AS_OF, "--lang", "en")
    assert code == ExitCode.OK
    assert ("✎ adjusted (after measures): 3×4 Significant → 2×4 General; approved by 评估组组长 王某 on 2026-03-01, "
            "expires 2026-12-31; because: every agreement is signed and notarised") in out
    assert ("The adjustment of factor cn.env.nimby_proximity (before measures) has no effect: the factor does not "
            "apply to this project, and an adjustment cannot make it apply.") in out
    md = render_markdown(record, "zh")
    assert ("| 1 | 搬迁规模 | 措施后 | 措施后：3×4 较大 → 2×4 一般 | 安置协议已全部签订并公证 | 评估组组长 王某 | "
            "2026-03-01 | 2026-12-31 | 已采用 |") in md
    assert "措施后等级经评估主体调整（见调整表）" in md
    assert record["adjustments"]["sha256"] in md
    assert "every agreement is signed and notarised | 评估组组长 王某 | 2026-03-01 | 2026-12-31 | applied |" in \
        render_markdown(record, "en")
    html = render_html(record, "zh")
    assert "<td>评估组组长 王某</td>" in html and "<td>安置协议已全部签订并公证</td>" in html
    doc = Document(io.BytesIO(render_docx(record, "zh")))
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][-4:] == ["批准人", "批准日期", "到期日期",
                                                                                   "结果"])
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[0] == ["1", "搬迁规模", "措施后", "措施后：3×4 较大 → 2×4 一般", "安置协议已全部签订并公证",
                       "评估组组长 王某", "2026-03-01", "2026-12-31", "已采用"]
    assert rows[1][-1] == "已到期，未采用" and rows[2][-1] == "因素不适用，无效果"
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "由 李某 于 2025-01-01 批准，已于 2025-12-31 到期（评估基准日 2026-05-01）" in paragraphs


def test_an_expired_adjustment_does_not_apply_and_warns(capsys, files, tmp_path):
    q, adj = files
    text, record = _evaluate(capsys, q, adj, tmp_path / "r.json", "--as-of", "2027-01-01", "--lang", "en")
    assert record["result"]["post_measure_grade"] == "medium"  # as without the adjustment
    assert [e["status"] for e in record["result"]["adjustments"]] == ["expired", "expired", "expired"]
    assert "post_measure" not in record["result"]["adjustments"][0]
    assert "adjusted" not in next(f for f in record["result"]["factors"] if f["id"] == FACTOR)
    said = ("The adjustment of factor cn.land.relocation_scale (after measures) is not applied: approved by "
            "评估组组长 王某 on 2026-03-01, it expired on 2026-12-31 (as of 2027-01-01).")
    assert said in [w["message"]["en"] for w in record["result"]["warnings"]]
    assert said in text
    assert "approved by 评估组组长 王某 on 2026-03-01, it expired on 2026-12-31" in render_markdown(record, "en")
    # the last day is still in force; the day before approval is not yet
    on_expiry = _evaluate(capsys, q, adj, tmp_path / "r2.json", "--as-of", "2026-12-31")[1]
    assert on_expiry["result"]["adjustments"][0]["status"] == "applied"
    early = _evaluate(capsys, q, adj, tmp_path / "r3.json", "--as-of", "2026-02-28", "--lang", "en")
    assert early[1]["result"]["adjustments"][0]["status"] == "not_yet_approved"
    assert "approved by 评估组组长 王某 on 2026-03-01, after the as-of date 2026-02-28" in early[0]


def test_the_as_of_date_is_in_the_record_and_decides_its_content(capsys, files, tmp_path):
    q, adj = files
    _, first = _evaluate(capsys, q, adj, tmp_path / "a.json", "--as-of", AS_OF)
    _, second = _evaluate(capsys, q, adj, tmp_path / "b.json", "--as-of", AS_OF)
    assert {k: v for k, v in first.items() if k != "created_at"} == \
        {k: v for k, v in second.items() if k != "created_at"}
    _, later = _evaluate(capsys, q, adj, tmp_path / "c.json", "--as-of", "2027-01-01")
    assert later["record_id"] != first["record_id"]
    _, today = _evaluate(capsys, q, adj, tmp_path / "d.json")
    assert today["adjustments"]["as_of"] == dt.date.today().isoformat()
    code, _, err = run(capsys, "evaluate", str(q), "--as-of", AS_OF)
    assert code == ExitCode.INPUT_ERROR and "give the adjustments too" in err
    code, _, err = run(capsys, "evaluate", str(q), "--adjustments", str(adj), "--as-of", "2026/05/01")
    assert code == ExitCode.INPUT_ERROR and "as-of date '2026/05/01': expected a date YYYY-MM-DD" in err


def _without(line: str) -> str:
    return GOOD.replace(line + "\n", "")


MALFORMED = [  # (what, adjustments file, line, what the error says)
    ("unknown factor", GOOD.replace("relocation_scale", "relocation_scal"), 1,
     "adjustment 1: rule set cn-ndrc-2012 has no factor 'cn.land.relocation_scal' (did you mean "
     "'cn.land.relocation_scale'?)"),
    ("no justification", _without(GOOD.splitlines()[3]), 1, "adjustment 1: the justification (justification) is "
                                                           "missing"),
    ("no approver", _without("  approved_by: 评估组组长 王某"), 1,
     "adjustment 1: the approver (approved_by) is missing"),
    ("no expiry", _without("  expires: 2026-12-31"), 1, "adjustment 1: the expiry date (expires) is missing"),
    ("no approval date", _without("  approved_on: 2026-03-01"), 1, "the approval date (approved_on) is missing"),
    ("expiry before approval", GOOD.replace("2026-12-31", "2026-01-31"), 7,
     "adjustment 1: it expires on 2026-01-31, before it was approved on 2026-03-01"),
    ("level above 5", GOOD.replace("probability: 2", "probability: 6"), 3,
     "adjustment 1: the probability (probability) 6 is not a level from 1 to 5"),
    ("level 0", GOOD.replace("probability: 2", "impact: 0"), 3, "the impact (impact) 0 is not a level from 1 to 5"),
    ("fractional level", GOOD.replace("probability: 2", "probability: 2.5"), 3, "2.5 is not a level from 1 to 5"),
    ("no level", _without("  probability: 2"), 1, "adjustment 1 sets no level"),
    ("bad stage", GOOD.replace("stage: post_measure", "stage: after"), 2,
     "adjustment 1: stage 'after' is not one of `initial`, `post_measure`, `both`"),
    ("bad date", GOOD.replace("2026-03-01", "2026-02-30"), 6,
     "adjustment 1: the approval date (approved_on) '2026-02-30' is not a date YYYY-MM-DD"),
    ("unknown field", GOOD.replace("approved_by:", "approver:"), 5,
     "adjustment 1: unknown field 'approver' (did you mean 'approved_by'?)"),
    ("one-language justification", GOOD.replace(GOOD.splitlines()[3], "  justification: {zh: 已签订}"), 4,
     "the justification (justification) must be text, or {zh: …, en: …} with both languages filled in"),
    ("empty approver", GOOD.replace("评估组组长 王某", '""'), 5, "the approver (approved_by) must be text that is not "
                                                           "empty"),
    ("overlapping", GOOD + GOOD.replace("probability: 2", "probability: 1"), 8,
     "adjustment 2 sets cn.land.relocation_scale at a stage adjustment 1 also sets, on days both are in force"),
    ("not a list", GOOD.replace("- factor", "factor").replace("\n  ", "\n"), 1, "expected a list of adjustments"),
]


@pytest.mark.parametrize("what, text, line, says", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_adjustments_are_refused_with_file_and_line(capsys, tmp_path, what, text, line, says):
    q = write_yaml(tmp_path / "q.yaml", _answers())
    adj = tmp_path / "adj.yaml"
    adj.write_text(text, encoding="utf-8")
    out = tmp_path / "r.json"
    code, _, err = run(capsys, "evaluate", str(q), "--adjustments", str(adj), "--out", str(out), "--lang", "en")
    assert code == ExitCode.INPUT_ERROR, err
    assert f"{adj}:{line}: " in err and says in err, err
    assert not out.exists()
    zh = assert_chinese(run(capsys, "evaluate", str(q), "--adjustments", str(adj), "--lang", "zh"),
                        code=ExitCode.INPUT_ERROR)
    assert f"{adj}:{line}: " in zh


def test_every_problem_is_listed_and_the_library_refuses_the_same(engine):
    bad = [_good(factor="cn.nope", justification=None), {"factor": FACTOR}, "text"]
    with pytest.raises(InputError) as info:
        engine.evaluate(_answers(), adjustments=bad, as_of=AS_OF)
    text = info.value.render("en")
    assert "adjustment 1: rule set cn-ndrc-2012 has no factor 'cn.nope'" in text
    assert "adjustment 1: the justification (justification) is missing" in text
    assert "adjustment 2: the stage (stage) is missing" in text and "adjustment 2 sets no level" in text
    assert "adjustment 3 is not a mapping" in text
    with pytest.raises(InputError, match="grades by points alone"):
        load_adjustments([_good()], engine.rule_set("js-db32-4013"))


def test_verify_reproduces_a_record_with_adjustments_and_names_an_edited_one(capsys, files, tmp_path):
    q, adj = files
    path = tmp_path / "r.json"
    _evaluate(capsys, q, adj, path, "--as-of", AS_OF)
    code, out, err = run(capsys, "verify", str(path), "--lang", "en")
    assert code == ExitCode.OK and "reproduced" in out, out + err
    original = path.read_text(encoding="utf-8")

    def edited(change, lang="en"):
        data = json.loads(original)
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return run(capsys, "verify", str(path), "--lang", lang)

    code, out, _ = edited(lambda d: d["adjustments"]["given"][0].update(approved_by="张某"))
    assert code == ExitCode.NOT_REPRODUCED
    assert "the record was edited after it was written" in out
    assert ("adjustment 1 (cn.land.relocation_scale, after measures): the approver (approved_by) '评估组组长 王某' "
            "when the record was written, '张某' in the record now") in out
    code, out, _ = edited(lambda d: d["adjustments"]["given"][0].update(probability=1))
    assert code == ExitCode.NOT_REPRODUCED
    assert "the probability (probability) 2 when the record was written, 1 in the record now" in out
    assert "factor cn.land.relocation_scale: post-measure probability 2 in the record, 1 on re-evaluation" in out
    code, out, _ = edited(lambda d: d["adjustments"].update(as_of="2027-01-01"))
    assert "adjustments: as-of date '2026-05-01' when the record was written, '2027-01-01' in the record now" in out
    assert "post-measure grade 'low' in the record, 'medium' on re-evaluation" in out
    code, out, _ = edited(lambda d: d["adjustments"]["given"].pop())
    assert "adjustment 3 (cn.env.nimby_proximity, before measures): removed from the record after it was written" \
        in out
    code, out, _ = edited(lambda d: d["result"]["adjustments"][0].update(justification="改过的理由"))
    assert code == ExitCode.NOT_REPRODUCED and "the record was edited after it was written" in out
    assert "result.adjustments[cn.land.relocation_scale/post_measure/2026-03-01].justification" in out
    code, out, _ = edited(lambda d: d.pop("adjustments"))
    assert "adjustments: removed from the record after it was written" in out
    zh = assert_chinese(edited(lambda d: d["adjustments"]["given"][0].update(approved_by="张某"), "zh"),
                        code=ExitCode.NOT_REPRODUCED)
    assert ("第 1 项调整（cn.land.relocation_scale，措施后）：批准人（approved_by）在写入记录时为“评估组组长 王某”，"
            "记录中现为“张某”") in zh


def test_chinese_output_with_adjustments_has_no_english(capsys, files, tmp_path):
    q, adj = files
    text = assert_chinese(run(capsys, "evaluate", str(q), "--adjustments", str(adj), "--as-of", AS_OF, "--lang", "zh",
                              "--out", str(tmp_path / "r.json")), code=ExitCode.OK)
    assert "调整" in text and "李某" in text
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    md = render_markdown(record, "zh")
    leaks = english_words(md.replace("\\_", "_"))  # ids as written, not as Markdown escapes them
    assert not leaks, leaks
    assert_chinese(run(capsys, "evaluate", "--help", "--lang", "zh"), code=0)


#: Facts read by one factor each: missing, they leave the grade open; the factor is adjusted.
OPEN = ["order.mass_incidents_3y", "land.compensation_ratio_to_standard", "labor.layoffs", "order.petitions_3y",
        "environment.predicted_exceedances", "land.open_disputes"]


@pytest.mark.parametrize("fact", OPEN)
@pytest.mark.parametrize("stage, levels", [("both", {"probability": 1, "impact": 1}),
                                           ("both", {"probability": 5, "impact": 5}),
                                           ("post_measure", {"impact": 1}), ("initial", {"probability": 5})])
def test_the_grade_range_is_sound_with_an_adjusted_factor(engine, national, fact, stage, levels):
    """Every way of answering the missing fact grades inside the range the adjusted assessment states, and a
    question that could only move a level the adjustment fixes is no longer asked."""
    section, name = fact.split(".")
    fid = next(national.factors[r].id for r in national.readers[fact] if r < len(national.factors))
    adjustment = [{**_good(factor=fid, stage=stage), "probability": None, **levels}]
    adjustment[0] = {k: v for k, v in adjustment[0].items() if v is not None}
    sparse = base_questionnaire()
    del sparse[section][name]
    a = engine.evaluate(sparse, adjustments=adjustment, as_of=AS_OF)
    rng = a.range_dict()
    grades = national.grade_ids
    for value in candidates(national, fact):
        full = base_questionnaire()
        full[section][name] = value
        try:
            b = engine.evaluate(full, adjustments=adjustment, as_of=AS_OF)
        except InputError:
            continue  # an answer the questionnaire refuses alongside the others
        for stage_key, grade in (("initial", b.initial_grade), ("post_measure", b.post_measure_grade)):
            low, high = (grades.index(rng[stage_key][k]) for k in ("lowest", "highest"))
            assert low <= grades.index(grade) <= high, (value, stage_key, grade, rng)
    if stage == "both" and levels == {"probability": 1, "impact": 1}:
        assert a.firm and not a.questions  # the only factor the answer could raise is fixed at 1×1
