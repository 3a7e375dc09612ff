"""Reading an assessment record strictly: what ``verify``, ``report``, ``sign`` and ``register add`` accept.

A record is read as strict JSON (:mod:`riskassess.strict_json`: no NaN, Infinity, integers beyond ±2^53,
lone surrogates, duplicate keys or deep nesting), then checked against the record schema, which allows no
field riskassess does not write (``additionalProperties: false`` throughout), and then for what a schema
cannot say: a plugin or rule set listed twice, a parent rule set that names another as the one extending
it. Each refusal is a :class:`RecordError` naming the file, the line and the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import strict_json
from .errors import RecordError, RiskAssessError
from .i18n import tr
from .schema_check import compile_check, inline_refs
from .schema_problems import schema_problem
from .yamlfile import YamlDocument, dotted, read_text

if TYPE_CHECKING:
    import jsonschema

RECORD_MAX_BYTES = 50 * 1024 * 1024
"""The largest record file ``verify`` (and ``report``, ``sign``, ``register add``) reads."""


def read_record(path: Path) -> dict[str, Any]:
    """The record in the JSON file at ``path``, read strictly (see the module docstring); anything else is a
    :class:`RecordError` naming the file, line and field."""
    text = read_text(path, error=RecordError, max_bytes=RECORD_MAX_BYTES)
    record = strict_json.loads(text, str(path), RecordError)
    if not isinstance(record, dict) or record.get("record_format") != 1 or "record_id" not in record:
        raise RecordError(tr("not a riskassess assessment record (no record_format 1 / record_id)"), source=str(path),
                          hint=tr("pass the file written by `riskassess evaluate --out record.json`"))
    document = _JsonDocument(record, str(path), text)
    check = _record_check()
    valid = check is not None and check(record)  # jsonschema only explains (a 5,000-factor record: seconds)
    error = None if valid else min(_record_validator().iter_errors(record),
                                   key=lambda e: list(map(str, e.absolute_path)), default=None)
    if error is not None:
        raise _record_problem(schema_problem(error, document, RecordError), keep_hint=error.validator != "required")
    _refuse_repeats(record, document)
    _refuse_foreign_parents(record, document)
    return record


class _JsonDocument(YamlDocument):
    """A record's JSON text, so that schema problems are located the way a questionnaire's are."""

    def __init__(self, data: Any, source: str, text: str) -> None:
        super().__init__(data, source)
        self.text = text

    def line_of(self, path: tuple[str | int, ...]) -> int | None:
        path = tuple(path)
        while True:
            line = strict_json.line_of(self.text, path)
            if line is not None or not path:
                return line
            path = path[:-1]


def _record_problem(problem: RiskAssessError, keep_hint: bool) -> RecordError:
    """``problem`` said as a problem of the record: riskassess writes no such thing, so it was edited."""
    hint = problem.hint_text if keep_hint else None
    return RecordError(tr("not a valid assessment record: {problem}", problem=problem.text), source=problem.source,
                       line=problem.line, field=problem.field, hint=hint or tr("see `riskassess schema record`"))


@cache
def _record_check() -> Callable[[Any], bool] | None:
    """The record schema compiled into a yes/no check (see :mod:`riskassess.schema_check`), or None."""
    from .assessment import record_schema
    return compile_check(inline_refs(record_schema()), lambda value, format_name: True)


@cache
def _record_validator() -> jsonschema.protocols.Validator:
    import jsonschema

    from .assessment import record_schema
    return jsonschema.Draft202012Validator(record_schema())


def _refuse_repeats(record: Mapping[str, Any], document: _JsonDocument) -> None:
    """A plugin or rule set listed twice."""
    for section, key in (("plugins", "name"), ("rule_sets", "id")):
        repeated = _first_repeat(record[section], key)
        if repeated is not None:
            where: tuple[str | int, ...] = (section, repeated, key)
            raise RecordError(tr("{section} lists {name!r} twice", section=section,
                                 name=record[section][repeated][key]),
                              source=document.source, line=document.line_of(where), field=dotted(where),
                              hint=tr("riskassess lists each once; the record was edited"))


def _refuse_foreign_parents(record: Mapping[str, Any], document: _JsonDocument) -> None:
    """The rule set used comes first and names no one extending it; each after it names the first."""
    rule_sets = record["rule_sets"]
    for i, entry in enumerate(rule_sets):
        named = entry.get("extended_by")
        if named == (None if i == 0 else rule_sets[0]["id"]):
            continue
        where: tuple[str | int, ...] = ("rule_sets", i, "extended_by") if "extended_by" in entry else ("rule_sets", i)
        message = tr("the rule set the record was made with, {id}, names {named!r} as extending it", id=entry["id"],
                     named=named) if i == 0 else \
            tr("rule set {id} names {named!r} as the rule set extending it, not {used!r}, the one the record was "
               "made with", id=entry["id"], named=named, used=rule_sets[0]["id"])
        raise RecordError(message, source=document.source, line=document.line_of(where), field=dotted(where),
                          hint=tr("riskassess lists the rule set used first and each rule set it extends after it; "
                                  "the record was edited"))


def _first_repeat(items: Sequence[Mapping[str, Any]], key: str) -> int | None:
    seen: set[Any] = set()
    for i, item in enumerate(items):
        if item[key] in seen:
            return i
        seen.add(item[key])
    return None
