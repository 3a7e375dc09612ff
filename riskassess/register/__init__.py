"""The assessment register: every assessment stored with its record, chained, listed and compared.

``open_register(location)`` opens (and migrates) a register: a SQLite file by default, or a PostgreSQL
database named by a ``postgresql://`` URL (psycopg, imported only then). :mod:`.schema` is the database
and its migrations, :mod:`.store` the entries, :mod:`.chain` the hash chain and its verification,
:mod:`.compare` the differences between two entries, :mod:`.export` JSON Lines and CSV, :mod:`.events` the
monitoring events after a decision (:mod:`riskassess.monitor` maps them onto the answers and re-grades).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .schema import is_url
from .store import Added, Entry, Head, Register

ENVIRONMENT = "RISKASSESS_REGISTER"
DEFAULT_FILE = "riskassess-register.sqlite"

__all__ = ["DEFAULT_FILE", "ENVIRONMENT", "Added", "Entry", "Head", "Register", "location_of", "open_register"]


def location_of(given: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The register ``--register`` names (a directory: the default file in it), else ``$RISKASSESS_REGISTER``,
    else ``./riskassess-register.sqlite``."""
    location = given or environ.get(ENVIRONMENT) or DEFAULT_FILE
    if not is_url(location) and Path(location).is_dir():
        return str(Path(location) / DEFAULT_FILE)
    return location


def open_register(location: str | None = None, *, create: bool = False) -> Register:
    """The register at ``location`` (see :func:`location_of`); ``create``: a new SQLite file if there is none."""
    from .schema import connect
    return Register(connect(location_of(location), create=create))
