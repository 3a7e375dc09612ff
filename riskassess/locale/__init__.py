"""The Chinese for every message id (see :mod:`riskassess.i18n`), one module per part of the tool.

The English message in the code is the id; each module maps ids to their Chinese. Kept apart
from the code so a translator reads one place, and loaded only when Chinese is shown.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


@cache
def zh_catalogue() -> dict[str, str]:
    """Every ``zh_*`` module's entries (a new part of the tool adds its module; nothing to register)."""
    merged: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("zh_"):
            merged.update(importlib.import_module(f"{__name__}.{info.name}").ZH)
    return merged
