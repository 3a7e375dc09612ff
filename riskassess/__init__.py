"""riskassess: transparent, reproducible social stability risk assessment (社会稳定风险评估).

Public API::

    import riskassess
    assessment = riskassess.evaluate("project.yaml")          # default rule set
    assessment.initial_grade, assessment.post_measure_grade, assessment.decision
    record = assessment.record()                              # JSON-able, with record_id

    engine = riskassess.Engine()                              # plugins + rule sets, built once
    rules = engine.rule_set("cn-ndrc-2012")
    outcome = engine.decide(rules, answers)                   # hot path, no trace
"""

from __future__ import annotations

from .assessment import Assessment
from .engine import Engine, Outcome, decide, evaluate
from .errors import (
    EvaluationError,
    ExitCode,
    InputError,
    PluginError,
    RecordError,
    RiskAssessError,
    RuleSetError,
)
from .hookspecs import (
    Derivation,
    DerivedFact,
    FactType,
    Label,
    MethodInputs,
    Operator,
    OutputFormat,
    ParameterError,
    ScoredFactor,
    ScoringContext,
    hookimpl,
)
from .i18n import Bilingual
from .plugins import build_plugin_manager, engine_version
from .questionnaire import Questionnaire
from .ruleset import RuleSet

__version__ = engine_version()

__all__ = [
    "Assessment",
    "Bilingual",
    "Derivation",
    "DerivedFact",
    "Engine",
    "EvaluationError",
    "ExitCode",
    "FactType",
    "InputError",
    "Label",
    "MethodInputs",
    "Operator",
    "Outcome",
    "OutputFormat",
    "ParameterError",
    "PluginError",
    "Questionnaire",
    "RecordError",
    "RiskAssessError",
    "RuleSet",
    "RuleSetError",
    "ScoredFactor",
    "ScoringContext",
    "__version__",
    "build_plugin_manager",
    "decide",
    "evaluate",
    "hookimpl",
]
