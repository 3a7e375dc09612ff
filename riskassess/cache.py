"""A disk cache for what loading a rule set computes from its bytes alone: the parsed document, the
outcome of its schema check, and the compiled programs — so a command pays for a pack once, not at
every start.

Every key is a SHA-256 over the inputs and the engine version, so a changed pack, plugin or engine
never meets an old entry. An entry is only ever a shortcut to what would be computed anyway: one
that does not load cleanly is ignored (and rewritten), and nothing about a result depends on it.
Location: ``$RISKASSESS_CACHE`` (a directory, or ``off``), else ``$XDG_CACHE_HOME/riskassess``, else
``~/.cache/riskassess``; a directory that cannot be created or written just means no cache. Entries
are written by this user only (0600 in a 0700 directory) and read only if this user owns them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path
from typing import Any


def key(*parts: Any) -> str:
    """A cache key from JSON-able parts (the engine version is always one of them)."""
    from .plugins import engine_version
    text = json.dumps([engine_version(), *parts], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@cache
def directory() -> Path | None:
    setting = os.environ.get("RISKASSESS_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        path = Path(setting)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "riskassess"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


def _read(kind: str, name: str) -> bytes | None:
    where = directory()
    if where is None:
        return None
    path = where / f"{kind}-{name}"
    try:
        if path.stat().st_uid != os.getuid():
            return None
        return path.read_bytes()
    except OSError:
        return None


def _write(kind: str, name: str, data: bytes) -> None:
    where = directory()
    if where is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", dir=where)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, where / f"{kind}-{name}")
    except OSError:
        pass


def get_object(kind: str, name: str) -> Any:
    """A pickled entry (parsed documents), or None."""
    data = _read(kind, name)
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except Exception:
        return None


def put_object(kind: str, name: str, value: Any) -> None:
    with contextlib.suppress(Exception):  # an object that does not pickle is simply not cached
        _write(kind, name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def get_code(name: str) -> Any:
    """A compiled code object, or None."""
    data = _read("code", name)
    if data is None:
        return None
    try:
        return marshal.loads(data)
    except Exception:
        return None


def put_code(name: str, code: Any) -> None:
    with contextlib.suppress(ValueError):  # a constant marshal cannot hold: compiled again next time
        _write("code", name, marshal.dumps(code))


def has_flag(kind: str, name: str) -> bool:
    return _read(kind, name) is not None


def set_flag(kind: str, name: str) -> None:
    _write(kind, name, b"")
