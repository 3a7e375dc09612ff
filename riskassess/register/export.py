"""``register export``: every entry as JSON Lines (the whole entry: its record regenerated, and the text the
chain seals — enough to check the chain elsewhere — then every monitoring event, with its chain fields) or CSV
(one summary row an entry, for a spreadsheet)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ..errors import InputError
from ..i18n import tr
from .events import EVENT_CHAIN, StoredEvent
from .kernel import unpack
from .store import CHAIN, DERIVED, Entry, Register

CSV_COLUMNS = ("seq", "recorded_at", "record_id", "project_id", "project_name", "rule_set_id", "rule_set_version",
               "rule_set_sha256", "engine_version", "answers_sha256", "created_at", "initial_grade",
               "post_measure_grade", "post_lowest", "post_highest", "firm", "decision", "record_sha256", "prev_hash",
               "prev_record_id", "entry_hash", "kind", "basis_record_id")


def jsonl_lines(register: Register) -> Iterator[str]:
    """Each entry (a line with ``record_id``), then each monitoring event (a line with ``event_id``)."""
    for entry in register.iterate():
        yield json.dumps(entry_dict(entry), ensure_ascii=False, separators=(",", ":")) + "\n"
    for event in register.iterate_events():
        yield json.dumps(event_dict(event), ensure_ascii=False, separators=(",", ":")) + "\n"


def entry_dict(entry: Entry) -> dict[str, Any]:
    """An entry as exported: its chain fields, what the record says, the record itself, and ``stored``: the
    text the chain seals (its SHA-256 is ``record_sha256``) — the record's kernel, packed — and the answers'."""
    out: dict[str, Any] = {c: getattr(entry, c) for c in CHAIN}
    for column in DERIVED:
        value = entry.columns.get(column)
        out[column] = json.loads(unpack(value)) if column in ("answers", "lineage") and value is not None else value
    out["firm"] = bool(out["firm"])
    out["record"] = entry.record()
    out["stored"] = {"record": entry.record_text, "answers": entry.columns.get("answers")}
    return out


def event_dict(event: StoredEvent) -> dict[str, Any]:
    """A monitoring event as exported: its chain fields, its columns and the event as stored."""
    return {**{c: getattr(event, c) for c in EVENT_CHAIN}, **event.columns, "event": event.content(),
            "stored": event.text}


def csv_lines(register: Register) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in register.history():
        row = {**{c: getattr(entry, c) for c in CHAIN}, **entry.columns}
        writer.writerow(["" if row.get(c) is None else row[c] for c in CSV_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def write_lines(lines: Iterable[str], out: Path | None, stdout: TextIO) -> None:
    """To ``stdout``, or to ``out`` whole or not at all (a temporary file renamed into place)."""
    if out is None:
        for line in lines:
            stdout.write(line)
        return
    directory = out.parent if str(out.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(tr("output directory does not exist"), source=str(directory))
    if out.is_dir():
        raise InputError(tr("is a directory"), source=str(out))
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            for line in lines:
                fh.write(line)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
