"""The register's database: one SQLite file or a PostgreSQL database, the same tables, and their migrations.

Both are reached through :class:`Database`: statements written once with ``?`` placeholders, and
:meth:`Database.transaction`, a write transaction that holds the register's one write lock for its
whole length (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock), so the
entries' sequence numbers and the chain are assigned one writer at a time.

Version 2 adds post-decision monitoring: an entry's ``kind`` (``assessment`` or ``monitoring``), the
assessment a re-grade is of and the events it applied, and the ``events`` table with its own chain head
(``event_chain_head``); entries already written keep kind ``assessment`` and their format-1 seal.

The schema is versioned in ``schema_version`` (one row per migration applied, with its time); opening a
register applies, in one transaction, every migration it has not had. A register written by a newer
riskassess (a version this one does not know) is refused rather than guessed at.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import tr

GENESIS = "sha256:" + "0" * 64
"""The ``prev_hash`` of the first entry and the chain head of an empty register."""

#: Every schema version's statements, in order; a migration is never edited once released, only added.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the entries, their chain and the chain head
        """CREATE TABLE entries (
            seq INTEGER PRIMARY KEY,
            recorded_at TEXT NOT NULL,
            record_id TEXT NOT NULL,
            record_sha256 TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            prev_record_id TEXT,
            entry_hash TEXT NOT NULL,
            project_id TEXT,
            project_name TEXT,
            rule_set_id TEXT NOT NULL,
            rule_set_version TEXT NOT NULL,
            rule_set_sha256 TEXT NOT NULL,
            lineage TEXT NOT NULL,
            engine_version TEXT NOT NULL,
            answers_sha256 TEXT NOT NULL,
            answers TEXT NOT NULL,
            created_at TEXT,
            initial_grade TEXT NOT NULL,
            post_measure_grade TEXT NOT NULL,
            post_lowest TEXT NOT NULL,
            post_highest TEXT NOT NULL,
            firm INTEGER NOT NULL,
            decision TEXT,
            record TEXT NOT NULL)""",
        "CREATE INDEX entries_project ON entries (project_id, seq)",
        "CREATE INDEX entries_record ON entries (record_id)",
        """CREATE TABLE chain_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            record_id TEXT,
            entry_hash TEXT NOT NULL)""",
        f"INSERT INTO chain_head (id, seq, record_id, entry_hash) VALUES (1, 0, NULL, '{GENESIS}')",
    ),
    (  # 2: post-decision monitoring (回头看): an entry's kind and what it re-grades; the events and their chain
        "ALTER TABLE entries ADD COLUMN kind TEXT NOT NULL DEFAULT 'assessment'",
        "ALTER TABLE entries ADD COLUMN basis_record_id TEXT",
        "ALTER TABLE entries ADD COLUMN event_ids TEXT",
        """CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            recorded_at TEXT NOT NULL,
            event_id TEXT NOT NULL,
            event_sha256 TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            prev_event_id TEXT,
            event_hash TEXT NOT NULL,
            project_id TEXT NOT NULL,
            basis_record_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            event_date TEXT NOT NULL,
            event_count INTEGER,
            event_size INTEGER,
            measure TEXT,
            counted_as TEXT,
            note TEXT,
            event TEXT NOT NULL)""",
        "CREATE INDEX events_basis ON events (basis_record_id, seq)",
        "CREATE INDEX events_id ON events (event_id)",
        """CREATE TABLE event_chain_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            event_id TEXT,
            event_hash TEXT NOT NULL)""",
        f"INSERT INTO event_chain_head (id, seq, event_id, event_hash) VALUES (1, 0, NULL, '{GENESIS}')",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class Database:
    """A connection to a register. ``location`` names it in messages (a URL without its password)."""

    kind = ""
    location = ""
    errors: tuple[type[BaseException], ...] = ()
    """The driver's exceptions for a database that is not a register (or not a database at all)."""

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def transaction(self) -> Any:
        """A context manager: a write transaction holding the register's write lock; rolled back on error."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SqliteDatabase(Database):
    kind = "sqlite"

    def __init__(self, path: Path, *, create: bool) -> None:
        import sqlite3
        self.location = str(path)
        if not create and not path.is_file():
            raise InputError(tr("no register here"), source=str(path),
                             hint=tr("create one with `riskassess register add RECORD.json` or `riskassess evaluate "
                                     "FILE --register PATH`"))
        if create and not path.parent.is_dir():
            raise InputError(tr("output directory does not exist"), source=str(path.parent))
        try:
            self.errors = (sqlite3.DatabaseError,)
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=60)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")  # a committed entry survives a power cut, not only a crash
        except sqlite3.DatabaseError as exc:
            raise InputError(tr("not a register: {error}", error=str(exc)), source=str(path)) from None

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(sql, tuple(params)).fetchall())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")  # the write lock now, not at the first write: no lost updates
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


_LOCK_KEY = 0x72697361  # the advisory lock every writer of a PostgreSQL register takes ("risa")


class PostgresDatabase(Database):
    kind = "postgresql"

    def __init__(self, url: str) -> None:
        self.location = redacted(url)
        try:
            import psycopg
        except ImportError:
            raise InputError(tr("a PostgreSQL register needs the psycopg package"), source=self.location,
                             hint=tr("install it with: pip install 'riskassess[postgres]'")) from None
        self.errors = (psycopg.DatabaseError,)
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=30)
        except psycopg.Error as exc:
            raise InputError(tr("cannot connect to the register: {error}", error=str(exc).strip()),
                             source=self.location) from None

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self.conn.execute(sql.replace("?", "%s"), tuple(params))  # type: ignore[arg-type]
        return list(cursor.fetchall()) if cursor.description else []

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            self.query("SELECT pg_advisory_xact_lock(?)", (_LOCK_KEY,))
            yield

    def close(self) -> None:
        self.conn.close()


def redacted(url: str) -> str:
    """``url`` without its password, for messages."""
    return re.sub(r"^([a-z]+://[^:/@]*):[^@/]*@", r"\1:***@", url)


def is_url(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def connect(location: str, *, create: bool) -> Database:
    """Open the register at ``location`` (a file path or a ``postgresql://`` URL), migrated to this schema.

    ``create``: make an empty register if there is none (SQLite; a PostgreSQL database must exist).
    """
    db: Database = PostgresDatabase(location) if is_url(location) else SqliteDatabase(Path(location), create=create)
    try:
        migrate(db)
    except db.errors as exc:
        db.close()
        raise InputError(tr("not a register: {error}", error=str(exc).strip()), source=db.location) from None
    except BaseException:
        db.close()
        raise
    return db


def migrate(db: Database) -> int:
    """Apply the migrations ``db`` has not had, in one transaction; its schema version after.

    A register already at this version is only read: opening it to read takes no write lock."""
    try:
        if _version(db) == SCHEMA_VERSION:
            return SCHEMA_VERSION
    except db.errors:
        pass  # no schema_version yet (or not a register: said below)
    with db.transaction():
        db.query("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        current = _version(db)
        if current > SCHEMA_VERSION:
            raise InputError(tr("the register has schema version {found}; this riskassess knows up to {known}",
                                found=current, known=SCHEMA_VERSION), source=db.location,
                             hint=tr("use a newer riskassess"))
        if current and not db.query("SELECT 1 FROM chain_head"):
            raise InputError(tr("not a register: its chain head is missing"), source=db.location)
        now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version - 1]:
                db.query(statement)
            db.query("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", (version, now))
    return SCHEMA_VERSION


def _version(db: Database) -> int:
    rows = db.query("SELECT MAX(version) FROM schema_version")
    return int(rows[0][0] or 0)
