"""Pytest fixtures for plugin and rule-pack authors: ``pytest_plugins = ["riskassess.testing"]``.

* ``riskassess_engine`` — an :class:`~riskassess.Engine` with the built-in plugins plus the
  objects listed by the test module's ``riskassess_plugins`` (or a test's
  ``@pytest.mark.riskassess_plugins(...)``), and no other installed plugin, so tests do not
  depend on what happens to be installed; a plugin the engine disables or warns about fails the test;
* ``riskassess_assess`` — ``assess(answers, rules)`` → :class:`~riskassess.Assessment` for a
  questionnaire mapping and a rule-set id or path, validated as the CLI would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from .assessment import Assessment
from .engine import Engine
from .plugins import build_plugin_manager


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "riskassess_plugins(*plugins): plugin objects for riskassess_engine")


@pytest.fixture
def riskassess_engine(request: pytest.FixtureRequest) -> Engine:
    marker = request.node.get_closest_marker("riskassess_plugins")
    plugins = list(marker.args) if marker else list(getattr(request.module, "riskassess_plugins", ()))
    problems: list[str] = []
    engine = Engine(build_plugin_manager(entry_points=False, extra=plugins), warn=lambda m: problems.append(str(m)))
    if problems:  # a plugin under test that the engine had to disable: the test must say so, not pass around it
        pytest.fail("riskassess disabled or warned about a plugin under test:\n" + "\n".join(problems),
                    pytrace=False)
    return engine


@pytest.fixture
def riskassess_assess(riskassess_engine: Engine) -> Callable[..., Assessment]:
    def assess(answers: Mapping[str, Any], rules: str | Path | None = None) -> Assessment:
        rule_set = riskassess_engine.rule_set(rules)
        return riskassess_engine.assess(riskassess_engine.questionnaire(answers, rule_set, "test"), rule_set)
    return assess
