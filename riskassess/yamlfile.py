"""Strict YAML reading for questionnaires and rule sets.

PyYAML on its own reads YAML 1.1: ``no`` and ``off`` become false, ``0755`` becomes 493, ``1:30``
becomes 90; it keeps the last of two duplicate keys, expands alias bombs, turns ``2024-05-01`` into a
``date`` and runs a constructor for any ``!!tag``. Here a document is composed into nodes, every
scalar is resolved by the YAML 1.2 core schema, and the data is built by hand, so that:

* only ``true``/``false`` (``True``, ``TRUE``…) are booleans, and only ``null``, ``~`` and an empty value
  are null; ``yes``, ``no``, ``on``, ``off``, ``y``, ``n`` stay the text they are;
* a number is written in decimal: ``12``, ``-3``, ``0.5``, ``1.5e3``. ``0755``, ``1_000``, ``1:30``,
  ``0x1F``, ``0o17`` and ``0b101`` stay text (and a field that wants a number says what to write);
* a number beyond ±2^53 (:data:`MAX_SAFE_INTEGER`), ``.inf`` and ``.nan`` are refused;
* any explicit tag (``!!int``, ``!!str``, ``!!python/…``), duplicate keys, anchors/aliases and merge
  keys, control characters, empty files, non-UTF-8 bytes, files that are not regular files and files
  over the size limit are refused with a message naming the file and line;
* dates stay the strings the user wrote (JSON Schema checks their format);
* every value's line is remembered, so later errors can point at it.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from .errors import InputError, RiskAssessError
from .i18n import Text, tr
from .plain_data import MAX_SAFE_INTEGER, integer_text_problem, number_problem, too_large_hint
from .yaml_problems import syntax_error

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
YAML_SCHEMA = "yaml-1.2-core/riskassess-3"
"""How scalars are read; part of every cache key of a parsed document, so a change re-parses."""

__all__ = ["DEFAULT_MAX_BYTES", "MAX_DEPTH", "MAX_SAFE_INTEGER", "STDIN", "YamlDocument", "load_yaml", "parse_yaml",
           "read_bytes", "read_head", "read_input", "read_text"]

STDIN = "<stdin>"
"""The name of standard input (given as ``-``) in messages and records."""

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]

# Tags the loader gives nodes written without one; any other tag was written explicitly.
_PLAIN = "tag:riskassess:plain"  # a plain scalar: resolved below by the YAML 1.2 core schema
_TEXT = "tag:riskassess:text"  # a quoted or block scalar: always text
_SEQ = "tag:riskassess:seq"
_MAP = "tag:riskassess:map"
_IMPLICIT = frozenset({_PLAIN, _TEXT, _SEQ, _MAP})


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Composes nodes only; tags them by how they were written, never by what they look like."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _TEXT
        return _SEQ if kind is yaml.SequenceNode else _MAP


_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NON_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_NUMERIC_START = frozenset("+-.0123456789")
# What YAML allows in a stream: tab, line breaks and printable characters (YAML 1.2, 5.1).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed document: plain data plus the line each value starts on."""

    data: Any
    source: str
    lines: dict[Path_, int] = field(default_factory=dict)
    origins: dict[Path_, str] = field(default_factory=dict)
    """For a document merged from several files: path prefix → the file it came from."""
    plain: bool = False
    """True when parsed by :func:`parse_yaml`, which admits only plain, bounded, finite values: the checks
    that data handed over by code needs (:func:`riskassess.plain_data.data_problems`) are then moot."""

    def source_of(self, path: Path_) -> str:
        """The file that ``path`` (or its nearest ancestor with a recorded origin) came from."""
        path = tuple(path)
        while path:
            if path in self.origins:
                return self.origins[path]
            path = path[:-1]
        return self.origins.get((), self.source)

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def read_bytes(path: Path, *, error: type[RiskAssessError] = InputError,
               max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``: at most ``max_bytes`` of them, counted while reading.

    A pipe, a device (``/dev/zero``) or a socket is refused before anything is read (a FIFO is opened
    without waiting for a writer), and a file that grows past the limit is refused once ``max_bytes + 1``
    bytes have been read: its size as ``stat`` gave it is never trusted.
    """
    source = str(path)
    fh, size = _open_regular(path, error)
    with fh:
        if size > max_bytes:
            raise _too_big(error, source, size, max_bytes)
        raw = _read_at_most(fh, max_bytes + 1, source, error)
    if len(raw) > max_bytes:
        raise _too_big(error, source, None, max_bytes)
    return raw


def read_input(path: Path, *, error: type[RiskAssessError] = InputError,
               max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str]:
    """The bytes of ``path`` as :func:`read_bytes` reads them, or of standard input when ``path`` is ``-``
    (bounded alike: refused once ``max_bytes + 1`` bytes have arrived), and the name to report them under."""
    if str(path) != "-":
        return read_bytes(path, error=error, max_bytes=max_bytes), str(path)
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise error(tr("standard input is closed"), source=STDIN, hint=tr("give the file's path instead of -"))
    raw = _read_at_most(stream, max_bytes + 1, STDIN, error)
    if len(raw) > max_bytes:
        raise _too_big(error, STDIN, None, max_bytes)
    return raw, STDIN


def read_head(path: Path, size: int) -> bytes | None:
    """The first ``size`` bytes of the regular file at ``path``; ``None`` for anything else (a FIFO, a device,
    a missing or unreadable file), without waiting on or reading more than that."""
    try:
        fh, _ = _open_regular(path, InputError)
        with fh:
            return _read_at_most(fh, size, str(path), InputError)
    except InputError:
        return None


def _open_regular(path: Path, error: type[RiskAssessError]) -> tuple[BinaryIO, int]:
    """``path`` opened for reading if it is a regular file (a FIFO is opened without waiting for a writer), and
    the size the file system gives it."""
    source = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(tr("file not found"), source=source, hint=tr("check the path")) from None
    except OSError as exc:
        raise _unreadable(error, source, exc) from None
    fh = os.fdopen(fd, "rb")
    status = os.fstat(fd)
    mode = status.st_mode
    if not stat.S_ISREG(mode):
        fh.close()
        if stat.S_ISDIR(mode):
            raise error(tr("is a directory, expected a YAML file"), source=source)
        raise error(tr("is {kind}, not a regular file", kind=_kind(mode)), source=source,
                    hint=tr("save the content to a file and give that file"))
    return fh, status.st_size


def _read_at_most(stream: BinaryIO, size: int, source: str, error: type[RiskAssessError]) -> bytes:
    try:
        return stream.read(size)
    except OSError as exc:
        raise _unreadable(error, source, exc) from None


def _kind(mode: int) -> Text:
    if stat.S_ISFIFO(mode):
        return tr("a pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return tr("a device")
    if stat.S_ISSOCK(mode):
        return tr("a socket")
    return tr("a special file")


def _unreadable(error: type[RiskAssessError], source: str, exc: OSError) -> RiskAssessError:
    reason = tr("permission denied") if isinstance(exc, PermissionError) else exc.strerror or type(exc).__name__
    return error(tr("cannot read file: {reason}", reason=reason), source=source)


def _too_big(error: type[RiskAssessError], source: str, size: int | None, limit: int) -> RiskAssessError:
    hint = tr("is this the right file? questionnaires and rule sets are far smaller")
    if size is None:
        return error(tr("file is more than the {limit:,}-byte limit", limit=limit), source=source, hint=hint)
    return error(tr("file is {size:,} bytes, more than the {limit:,}-byte limit", size=size, limit=limit),
                 source=source, hint=hint)


def decode_text(raw: bytes, source: str, *, error: type[RiskAssessError] = InputError) -> str:
    """``raw`` as UTF-8 text (a leading byte-order mark dropped); other bytes are refused with their line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(tr("not valid UTF-8 (byte {byte})", byte=exc.start), source=source, line=line,
                    hint=tr("save the file as UTF-8")) from None


def read_text(path: Path, *, error: type[RiskAssessError] = InputError,
              max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read ``path`` as UTF-8 text, refusing missing, special, oversized and non-UTF-8 files."""
    return decode_text(read_bytes(path, error=error, max_bytes=max_bytes), str(path), error=error)


def parse_yaml(text: str, source: str, *, error: type[RiskAssessError] = InputError,
               max_bytes: int = DEFAULT_MAX_BYTES) -> YamlDocument:
    """Parse one YAML document from ``text`` strictly; see the module docstring."""
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise error(tr("document is more than the {limit:,}-byte limit", limit=max_bytes), source=source)
    if not text.strip():
        raise error(tr("file is empty"), source=source, hint=tr("run `riskassess init` for a template"))
    _refuse_control_characters(text, source, error)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in problem:  # libyaml's own limit (1,000 levels), far above ours
            raise _too_deep(error, source, line) from None
        raise syntax_error(text, problem, line, source, error) from None
    except RecursionError:  # the pure-Python composer, where libyaml is absent
        raise _too_deep(error, source, None) from None
    except yaml.YAMLError as exc:
        raise error(tr("invalid YAML: {problem}", problem=str(exc)), source=source) from None
    if node is None:
        raise error(tr("file holds no YAML document"), source=source)
    builder = _Builder(source, error)
    data = builder.build(node, ())
    return YamlDocument(data=data, source=source, lines=builder.lines, plain=True)


def _refuse_control_characters(text: str, source: str, error: type[RiskAssessError]) -> None:
    """A control character (or a lone surrogate) anywhere: one located line, not the parser's two."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return
    at = found.start()
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    raise error(tr("control character U+{code:04X} at column {column} is not allowed in YAML", code=ord(found.group()),
                   column=column), source=source, line=line,
                hint=tr("delete it, most editors do not show it; inside double quotes write it as an escape "
                        "such as \\t"))


def _too_deep(error: type[RiskAssessError], source: str, line: int | None) -> RiskAssessError:
    return error(tr("nested more than {depth} levels deep", depth=MAX_DEPTH), source=source, line=line,
                 hint=tr("no questionnaire or rule set needs this; check the brackets"))


def load_yaml(path: Path, *, error: type[RiskAssessError] = InputError,
              max_bytes: int = DEFAULT_MAX_BYTES) -> YamlDocument:
    """Read and strictly parse the YAML file at ``path``."""
    return parse_yaml(read_text(path, error=error, max_bytes=max_bytes), str(path),
                      error=error, max_bytes=max_bytes)


class _Builder:
    def __init__(self, source: str, error: type[RiskAssessError]) -> None:
        self.source = source
        self.error = error
        self.lines: dict[Path_, int] = {}
        self._seen: set[int] = set()

    def fail(self, message: Text, node: yaml.Node, path: Path_, hint: Text | None = None,
             line: int | None = None) -> RiskAssessError:
        line = line or self.lines.get(path, node.start_mark.line + 1)
        return self.error(message, source=self.source, line=line,
                          field=dotted(path) or None, hint=hint)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            raise self.fail(tr("nested more than {depth} levels deep", depth=MAX_DEPTH), node, path,
                            tr("no questionnaire or rule set needs this; check the brackets"))
        # The composer hands back the anchored node itself for every alias, so a
        # node met twice is an alias: refusing those rules out alias bombs.
        if id(node) in self._seen:
            self.lines.setdefault(path, self.lines.get(path[:-1], node.start_mark.line + 1))
            raise self.fail(tr("anchors and aliases (&name / *name) are not allowed"), node, path,
                            tr("write the value out in full"))
        self._seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in _IMPLICIT:
            raise self.fail(tr("tag {tag!r} is not allowed", tag=_shown_tag(node.tag)), node, path,
                            tr("remove the tag; only plain YAML values are read"))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return node.value if node.tag == _TEXT else self._plain(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(tr("a mapping key must be a plain scalar"), key_node, path)
            if key_node.tag not in _IMPLICIT:
                raise self.fail(tr("tag {tag!r} is not allowed", tag=_shown_tag(key_node.tag)), key_node, path,
                                tr("remove the tag; only plain YAML values are read"),
                                line=key_node.start_mark.line + 1)
            key = key_node.value  # keys are always names: `yes:` or `1:` is the text written
            if key == "<<" and key_node.tag == _PLAIN:
                raise self.fail(tr("merge keys (<<) are not allowed"), key_node, path)
            if key in out:
                first = self.lines.get((*path, key))
                raise self.fail(tr("duplicate key {key!r} (first given on line {first})", key=key, first=first),
                                key_node, (*path, key), tr("remove one of them; YAML would silently keep the last"),
                                line=key_node.start_mark.line + 1)
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*path, key))
        return out

    def _plain(self, node: yaml.ScalarNode, path: Path_) -> Any:
        """A plain scalar by the YAML 1.2 core schema, in decimal only; anything else is the text written."""
        text = node.value
        if text in _NULL:
            return None
        if text in _BOOL:
            return _BOOL[text]
        if text[0] not in _NUMERIC_START:
            return text
        if _INT.fullmatch(text):
            problem = integer_text_problem(text)
            if problem is not None:
                raise self.fail(problem, node, path, too_large_hint())
            return int(text)
        if _FLOAT.fullmatch(text):
            found = number_problem(float(text), text)
            if found is not None:
                raise self.fail(found[0], node, path, found[1])
            return float(text)
        if _NON_FINITE.fullmatch(text):
            raise self.fail(tr("{value!r} is not a finite number", value=text), node, path)
        return text


def _shown_tag(tag: str) -> str:
    """A tag as it was written: ``!!int`` rather than ``tag:yaml.org,2002:int``."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def dotted(path: Path_) -> str:
    """``('land', 'households')`` → ``land.households``; list indexes as ``[0]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def walk(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) below ``data``, depth first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk(value, (*path, i))
