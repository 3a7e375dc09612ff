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

import importlib
from typing import TYPE_CHECKING, Any

# The public names, each from the module that defines it: imported on first use (PEP 562), so a command
# pays only for the modules it needs (``riskassess --version`` does not import the engine).
_WHERE = {
    "Assessment": "assessment",
    "Engine": "engine", "Outcome": "engine", "decide": "engine", "evaluate": "engine",
    "EvaluationError": "errors", "ExitCode": "errors", "InputError": "errors", "PluginError": "errors",
    "RecordError": "errors", "RiskAssessError": "errors", "RuleSetError": "errors",
    "Derivation": "hookspecs", "DerivedFact": "hookspecs", "FactType": "hookspecs", "Label": "hookspecs",
    "MethodInputs": "hookspecs", "Operator": "hookspecs", "OutputFormat": "hookspecs",
    "ParameterError": "hookspecs", "ScoredFactor": "hookspecs", "ScoringContext": "hookspecs", "hookimpl": "hookspecs",
    "Bilingual": "i18n",
    "build_plugin_manager": "plugins",
    "Questionnaire": "questionnaire",
    "RuleSet": "ruleset",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .plugins import engine_version
        value: Any = engine_version()
    elif name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'riskassess' has no attribute {name!r}")
    globals()[name] = value
    return value


if TYPE_CHECKING:
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
    from .plugins import build_plugin_manager
    from .questionnaire import Questionnaire
    from .ruleset import RuleSet

    __version__: str

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
