"""ahp_index end to end: a department pack that extends the national one with an AHP-weighted index."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from riskassess import RuleSetError
from riskassess.yamlfile import load_yaml

riskassess_expert = pytest.importorskip("riskassess_expert", reason="install ./plugins/riskassess-expert")

pytest_plugins = ["riskassess.testing"]
riskassess_plugins = [riskassess_expert]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
FACTORS = ["cn.env.nimby_proximity", "cn.public.opposition", "cn.order.mass_incidents"]


def pack(tmp_path: Path, comparisons, **extra) -> Path:
    data = {"ruleset_format": 1, "id": "dept-ahp", "version": "0.1.0", "extends": "cn-ndrc-2012",
            "title": {"zh": "某市AHP规则包", "en": "City AHP pack"}, "jurisdiction": {"zh": "某市", "en": "A city"},
            "scoring": {"methods": [{"method": "ahp_index", "params": {
                "factors": FACTORS, "comparisons": comparisons,
                "bands": [{"grade": "medium", "from": 0.3}, {"grade": "high", "from": 0.6}],
                "status": "pack_judgement", "source": {"zh": "本市专家组两两比较", "en": "The city's expert panel"},
                **extra}}]}}
    path = tmp_path / "ruleset.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_an_ahp_weighted_index_grades_beside_the_inherited_methods(tmp_path, riskassess_engine, riskassess_assess):
    rules = pack(tmp_path, [[1, 3, 5], ["1/3", 1, 3], ["1/5", "1/3", 1]])
    rs = riskassess_engine.rule_set(rules)
    assert [s.method for s in rs.scoring] == ["index", "count", "ahp_index"]
    answers = load_yaml(EXAMPLES / "high-incinerator.yaml").data  # dates stay text, as riskassess reads them
    a = riskassess_assess(answers, rules)
    (derivation,) = [d for d in a.derivations["initial"] if d.method == "ahp_index"]
    ahp = next(s for s in derivation.steps if s["step"] == "value")["value"]
    assert ahp["weights"] == {"cn.env.nimby_proximity": 0.637, "cn.public.opposition": 0.2583,
                              "cn.order.mass_incidents": 0.1047}
    assert ahp["CR"] == pytest.approx(0.0332, abs=1e-4)
    index = next(s for s in derivation.steps if s["step"] == "index")["value"]
    assert 0 < index <= 1 and a.initial_grade == "high"


def test_inconsistent_judgements_are_refused_unless_the_pack_allows_them(tmp_path, riskassess_engine):
    contradictory = [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]
    with pytest.raises(RuleSetError, match=r"consistency ratio CR = \d\.\d{3} is above 0.1"):
        riskassess_engine.rule_set(pack(tmp_path, contradictory))
    assert riskassess_engine.rule_set(pack(tmp_path, contradictory, allow_inconsistent=True)).id == "dept-ahp"
