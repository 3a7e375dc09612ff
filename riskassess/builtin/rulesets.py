"""Registers the rule packs shipped with riskassess (``rules/`` in the source tree).

A wheel installs them inside the package (``riskassess/rules``); a source
checkout or editable install keeps them at the repository root.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..hookspecs import hookimpl


def shipped_rules_dir() -> Path | None:
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "rules", package.parent / "rules"):
        if candidate.is_dir():
            return candidate
    return None


@hookimpl
def riskassess_register_rule_sets(register: Callable[[Path], None]) -> None:
    directory = shipped_rules_dir()
    if directory is not None:
        register(directory)
