"""Shared fixtures: an engine with built-in plugins only, and small rule sets written on the fly."""

from __future__ import annotations

import copy
import importlib
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

from riskassess import Engine, build_plugin_manager
from riskassess.plugins import ENTRY_POINT_GROUP

# The suite's own rule-set cache, so it neither reads nor fills the user's (see riskassess.cache).
os.environ.setdefault("RISKASSESS_CACHE", str(Path(__import__("tempfile").mkdtemp(prefix="riskassess-cache-"))))

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def engine() -> Engine:
    """Built-in plugins only: installed third-party plugins must not change test outcomes."""
    return Engine(build_plugin_manager(entry_points=False))


@pytest.fixture(scope="session")
def national(engine: Engine):
    return engine.rule_set("cn-ndrc-2012")


def base_questionnaire() -> dict[str, Any]:
    """A complete, low-risk questionnaire for the national pack: every fact it reads is answered."""
    return copy.deepcopy(_BASE)


_BASE: dict[str, Any] = {
    "format_version": 1,
    "project": {"id": "T-1", "name": "测试道路", "type": "transport", "channel": "ndrc_2492",
                "location": {"province": "广东省", "city": "珠海市"}, "investment_10k_cny": 20000,
                "funding_secured": True, "technology_maturity": "mature"},
    "land": {"expropriated_area_mu": 10, "collective_land_mu": 0, "basic_farmland_mu": 0, "households_relocated": 0,
             "persons_affected": 0, "enterprises_relocated": 0, "compensation_ratio_to_standard": 1.0,
             "agreement_signed_rate": 1.0, "resettlement_housing_ready": True, "social_security_scheme_published": True,
             "compensation_funds_in_escrow": True, "forced_demolition_planned": False, "graves_or_cultural_sites": 0,
             "open_disputes": 0, "compensation_scheme_published_days": 30, "fishing_households_affected": 0},
    "environment": {"eia_category": "form", "eia_approved": True, "nimby_type": "none",
                    "nearest_sensitive_receptor_m": 150, "residents_within_1km": 3000, "residents_within_3km": 20000,
                    "predicted_exceedances": [], "night_construction": False, "monitoring_disclosure_plan": True},
    "labor": {"peak_workers": 200, "migrant_worker_share": 0.6, "wage_guarantee_account": True,
              "wage_arrears_cases_3y": 0, "subcontract_layers": 1, "layoffs": 0, "social_insurance_coverage": 1.0},
    "public": {"affected_population": 1000, "survey": {"issued": 300, "valid": 290, "support": 250,
                                                        "conditional": 25, "oppose": 15},
               "awareness_rate": 0.9, "disclosure_days": 15, "hearing_held": True,
               "grassroots_government_attitude": "support"},
    "order": {"petitions_3y": 0, "mass_incidents_3y": 0, "largest_incident_size": 0, "activists_involved": False,
              "negative_media_reports": 0, "similar_project_incidents": False, "halted_before_by_opposition": False,
              "extreme_act_threat": False,
              "expected_incident_size": 0},
    "controllability": {"emergency_plan": True, "instability_ledger": True, "grievance_channel": True,
                        "publicity_plan": True},
}


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the `riskassess` command in-process: (exit code, stdout, stderr)."""
    from riskassess.cli import main
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return info.value.code, out, err


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def label(text: str) -> dict[str, str]:
    return {"zh": f"{text}（中文）", "en": text}


def index_method(normalize: str, medium: float, high: float, status: str = "pack_judgement",
                 source: str = "test") -> dict[str, Any]:
    """An index scoring step on the 0.2-step scale with factor weights and two inclusive bands."""
    return {"method": "index", "params": {
        "scale": {"probability": [0.2, 0.4, 0.6, 0.8, 1.0], "impact": [0.2, 0.4, 0.6, 0.8, 1.0]},
        "weights": "factor", "normalize": normalize,
        "bands": [{"grade": "medium", "from": medium, "inclusive": True},
                  {"grade": "high", "from": high, "inclusive": True}],
        "status": status, "source": label(source)}}


def mini_rule_set(**changes: Any) -> dict[str, Any]:
    """A small self-contained rule set over its own questionnaire fields (section `demo`)."""
    rs: dict[str, Any] = {
        "ruleset_format": 1,
        "id": "test-mini",
        "version": "1.0.0",
        "title": label("Mini"),
        "jurisdiction": label("Test"),
        "documents": [{"id": "doc", "title": label("Doc"), "confidence": "unverified"}],
        "questionnaire": {"standard": False, "fields": {"demo": {
            "title": label("Demo"), "description": label("Demo section"),
            "fields": {
                "households": {"type": "integer", "minimum": 0, "title": label("Households"),
                               "description": label("Households")},
                "share": {"type": "number", "minimum": 0, "maximum": 1, "title": label("Share"),
                          "description": label("Share")},
                "flag": {"type": "boolean", "title": label("Flag"), "description": label("Flag")},
                "kind": {"type": "string", "enum": ["a", "b", "c"],
                         "enum_titles": {"a": label("A"), "b": label("B"), "c": label("C")},
                         "title": label("Kind"), "description": label("Kind")},
                "media": {"type": "array", "items": {"type": "string", "enum": ["air", "noise"],
                                                     "enum_titles": {"air": label("Air"), "noise": label("Noise")}},
                          "title": label("Media"), "description": label("Media")},
            }}}},
        "defaults": {"on_unknown": "assume_match", "literal_status": "pack_judgement"},
        "factors": [
            {"id": "t.scale", "category": "land_expropriation", "title": label("Scale"),
             "basis": [{"document": "doc"}], "weight": 1,
             "cases": [{"id": "big", "when": {"fact": "demo.households", "gte": 100}, "probability": 4, "impact": 5},
                       {"id": "small", "when": {"fact": "demo.households", "gte": 1}, "probability": 2, "impact": 2}]},
            {"id": "t.share", "category": "public_attitude", "title": label("Share"),
             "basis": [{"document": "doc"}], "weight": 1,
             "cases": [{"when": {"fact": "demo.share", "gt": 0.3}, "probability": 3, "impact": 4}]},
        ],
        "scoring": {
            "matrix": {"levels": [{"id": lv, "title": label(lv)} for lv in ("low", "mid", "top")],
                       "grid": {str(p): [("top" if p * i >= 16 else "mid" if p * i >= 9 else "low")
                                         for i in range(1, 6)] for p in range(1, 6)},
                       "status": "pack_judgement", "source": label("test")},
            "methods": [{"method": "matrix", "params": {"grade_by_level": {"low": "low", "mid": "medium",
                                                                            "top": "high"},
                                                         "status": "pack_judgement", "source": label("test")}}],
        },
        "grades": [{"id": g, "title": label(g)} for g in ("low", "medium", "high")],
        "decisions": {"default": {g: {"code": f"d_{g}", "title": label(g)} for g in ("low", "medium", "high")}},
    }
    rs.update(changes)
    return rs


@pytest.fixture
def make_rules(tmp_path: Path, engine: Engine):
    """Write a rule set dict to a file and load it: ``make_rules(mini_rule_set(...))``."""
    counter = iter(range(10_000))

    def make(data: dict[str, Any]):
        path = write_yaml(tmp_path / f"rules{next(counter)}.yaml", data)
        return engine.rule_set(path)

    return make


@pytest.fixture
def install(tmp_path, monkeypatch):
    """``install(module, source, name=..., dist=..., version=...)``: a distribution on ``sys.path`` as pip
    leaves it, registering entry point ``name`` (default: ``module`` without ``ra_``) in the riskassess group."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    installed = []

    def install_(module: str, source: str, *, name: str | None = None, dist: str | None = None,
                 version: str = "1.0.0") -> Path:
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        dist = dist or module[3:].replace("_", "-")
        info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{name or module[3:]} = {module}\n")
        importlib.invalidate_caches()
        installed.append(module)
        return site

    yield install_
    for module in installed:
        sys.modules.pop(module, None)
