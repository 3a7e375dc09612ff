"""Fixtures for the register tests: a register location in SQLite and in a real PostgreSQL server, and records.

The PostgreSQL register runs the same tests as SQLite against the server ``$RISKASSESS_TEST_POSTGRES`` names
(``.ci/start-postgres`` starts a throwaway one), each test in a schema of its own. Without the variable the
PostgreSQL cases are skipped, saying so, except in CI (``$CI`` set), where they fail: CI must run them.
"""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from riskassess import Engine

from .conftest import EXAMPLES

POSTGRES = os.environ.get("RISKASSESS_TEST_POSTGRES")
_NO_POSTGRES = ("PostgreSQL register tests NOT RUN: set RISKASSESS_TEST_POSTGRES=postgresql://… "
                "(eval \"$(.ci/start-postgres)\" starts a throwaway server)")


def _postgres_schema() -> Iterator[str]:
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail(_NO_POSTGRES + " — CI must run them: .ci/run starts the server", pytrace=False)
        pytest.skip(_NO_POSTGRES)
    try:
        import psycopg
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("PostgreSQL register tests NOT RUN: psycopg is not installed (pip install -e '.[postgres]')")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES else "?"
    yield f"{POSTGRES}{separator}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh, empty register goes: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield str(tmp_path / "register.sqlite")
    else:
        yield from _postgres_schema()


def record_of(engine: Engine, example: str = "low-urban-road.yaml", **changes: Any) -> dict[str, Any]:
    """The record of an example questionnaire, with ``section__field=value`` answers changed."""
    rule_set = engine.rule_set("cn-ndrc-2012")
    answers = copy.deepcopy(engine.read_questionnaire(EXAMPLES / example, rule_set).answers)
    for key, value in changes.items():
        section, name = key.split("__")
        answers[section][name] = value
    return engine.assess(engine.questionnaire(answers, rule_set, source=example), rule_set).record()


@pytest.fixture(scope="session")
def records(engine: Engine) -> dict[str, dict[str, Any]]:
    """Two versions of the road project, a substation, and a forged version of the road."""
    return {"road": record_of(engine), "road2": record_of(engine, land__households_relocated=300),
            "substation": record_of(engine, "medium-substation.yaml"),
            "forged": record_of(engine, land__households_relocated=0)}


def edit_stored(reg: Any, seq: int, column: str, old: str, new: str) -> str:
    """Edit the JSON an entry stores in ``column`` (``record`` or ``answers``, packed as the register packs them),
    as someone with the database would; the edited stored text."""
    from riskassess.register.kernel import pack, unpack
    (text,), = reg.db.query(f"SELECT {column} FROM entries WHERE seq = ?", (seq,))
    plain = unpack(text)
    assert old in plain
    edited = pack(plain.replace(old, new, 1))
    reg.db.query(f"UPDATE entries SET {column} = ? WHERE seq = ?", (edited, seq))
    return edited
