"""The Chinese for every message id (see :mod:`riskassess.i18n`), one module per part of the tool.

The English message in the code is the id; each module maps ids to their Chinese. Kept apart
from the code so a translator reads one place, and loaded only when Chinese is shown.
"""

from __future__ import annotations

from functools import cache


@cache
def zh_catalogue() -> dict[str, str]:
    from . import zh_cli, zh_input, zh_packs, zh_plugins, zh_rules, zh_scoring
    merged: dict[str, str] = {}
    for part in (zh_cli, zh_input, zh_rules, zh_plugins, zh_packs, zh_scoring):
        merged.update(part.ZH)
    return merged
