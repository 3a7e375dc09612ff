"""The example plugin tested the way a department would test its own, with riskassess.testing."""

from __future__ import annotations

import pytest

riskassess_example = pytest.importorskip("riskassess_example")  # installed by .ci/run; skipped otherwise

pytest_plugins = ["riskassess.testing"]
riskassess_plugins = [riskassess_example]

ANSWERS = {
    "format_version": 1,
    "project": {"id": "P", "name": "社区改造", "type": "urban_renewal", "channel": "provincial"},
    "public": {"survey": {"issued": 100, "valid": 100, "support": 70, "conditional": 10, "oppose": 20}},
    "extensions": {"example": {"street_committee_consulted": False}},
}


def test_pct_gte_and_worst_category(riskassess_assess):
    a = riskassess_assess(ANSWERS, "example-municipal")
    assert [f.id for f in a.applicable()] == ["example.opposition", "example.not_consulted"]
    assert (a.initial_grade, a.decision["code"]) == ("medium", "defer")
    assert a.derivations["initial"][0].steps[0]["value"] == "example.opposition"


def test_fifteen_percent_is_the_line(riskassess_assess):
    answers = {**ANSWERS, "public": {"survey": {"issued": 100, "valid": 100, "support": 86, "conditional": 0,
                                                "oppose": 14}},
               "extensions": {"example": {"street_committee_consulted": True}}}
    a = riskassess_assess(answers, "example-municipal")
    assert a.applicable() == [] and a.initial_grade == "low"
