"""The Chinese for every message id (see :mod:`riskassess.i18n`), one module per part of the tool.

The English message in the code is the id; each ``zh_*`` module maps ids to their Chinese (``ZH``),
and may hold the help of its commands (``HELP``, by English text) and their argument names
(``ARGUMENTS``). Kept apart from the code so a translator reads one place, loaded only when Chinese
is shown, and found here by name: a new part of the tool adds its module, nothing to register.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


def _merged(table: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("zh_"):
            merged.update(getattr(importlib.import_module(f"{__name__}.{info.name}"), table, {}))
    return merged


@cache
def zh_catalogue() -> dict[str, str]:
    """Every message id → its Chinese."""
    return _merged("ZH")


@cache
def zh_help() -> dict[str, str]:
    """The help of every command and option → its Chinese."""
    return _merged("HELP")


@cache
def zh_arguments() -> dict[str, str]:
    """The commands' argument names → their Chinese."""
    return _merged("ARGUMENTS")
