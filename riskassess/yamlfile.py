"""Strict YAML reading for questionnaires and rule sets.

PyYAML on its own keeps the last of two duplicate keys, expands alias bombs and
turns ``2024-05-01`` into a ``date``. Here a document is composed into nodes and
built by hand so that:

* duplicate keys, anchors/aliases, tags other than the plain YAML ones, empty
  files, non-UTF-8 bytes, oversized files and non-finite numbers are refused
  with a message naming the file and line;
* dates stay the strings the user wrote (JSON Schema checks their format);
* every value's line is remembered, so later errors can point at it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, RiskAssessError
from .i18n import Text, tr
from .yaml_problems import syntax_error

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed document: plain data plus the line each value starts on."""

    data: Any
    source: str
    lines: dict[Path_, int] = field(default_factory=dict)
    origins: dict[Path_, str] = field(default_factory=dict)
    """For a document merged from several files: path prefix → the file it came from."""

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


def read_text(path: Path, *, error: type[RiskAssessError] = InputError,
              max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read ``path`` as UTF-8 text, refusing missing, oversized and non-UTF-8 files."""
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise error(tr("file not found"), source=source, hint=tr("check the path")) from None
    except OSError as exc:
        raise error(tr("cannot read file: {reason}", reason=tr("permission denied") if isinstance(exc, PermissionError)
                                                                  else exc.strerror), source=source) from None
    if path.is_dir():
        raise error(tr("is a directory, expected a YAML file"), source=source)
    if size > max_bytes:
        raise error(tr("file is {size:,} bytes, more than the {limit:,}-byte limit", size=size, limit=max_bytes),
                    source=source, hint=tr("is this the right file? questionnaires and rule sets are far smaller"))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(tr("not valid UTF-8 (byte {byte})", byte=exc.start), source=source, line=line,
                    hint=tr("save the file as UTF-8")) from None
    return text


def parse_yaml(text: str, source: str, *, error: type[RiskAssessError] = InputError,
               max_bytes: int = DEFAULT_MAX_BYTES) -> YamlDocument:
    """Parse one YAML document from ``text`` strictly; see the module docstring."""
    if len(text.encode("utf-8")) > max_bytes:
        raise error(tr("document is more than the {limit:,}-byte limit", limit=max_bytes), source=source)
    if not text.strip():
        raise error(tr("file is empty"), source=source, hint=tr("run `riskassess init` for a template"))
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
    return YamlDocument(data=data, source=source, lines=builder.lines)


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
        self._scalars = yaml.SafeLoader("")  # only its scalar resolvers are used
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
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(tr("tag {tag!r} is not allowed", tag=node.tag), node, path,
                            tr("remove the tag; only plain YAML values are read"))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(tr("merge keys (<<) are not allowed"), key_node, path)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(tr("a mapping key must be a plain scalar"), key_node, path)
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                # YAML 1.1 reads `yes:` or `1:` as non-strings; keys are always names here.
                key = key_node.value
            if key in out:
                first = self.lines.get((*path, key))
                raise self.fail(tr("duplicate key {key!r} (first given on line {first})", key=key, first=first),
                                key_node, (*path, key), tr("remove one of them; YAML would silently keep the last"),
                                line=key_node.start_mark.line + 1)
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node: yaml.Node, path: Path_) -> Any:
        if node.tag == "tag:yaml.org,2002:str" or node.tag == "tag:yaml.org,2002:timestamp":
            return node.value  # most scalars: no constructor needed
        try:
            value = self._scalars.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise self.fail(tr("cannot read value {value!r}", value=node.value), node, path) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self.fail(tr("{value!r} is not a finite number", value=node.value), node, path)
        return value


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
