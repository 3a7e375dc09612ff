"""A JSON Schema violation said as one located line an owner (or a pack author) can act on.

jsonschema's own messages name Python types and repeat the whole instance; these name the file,
line and field, what was expected in the reader's words, and the likeliest fix.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from .errors import RiskAssessError
from .i18n import Text, tr
from .plain_data import MAX_SAFE_INTEGER
from .suggestions import closest
from .yaml_problems import full_width_hint
from .yamlfile import YamlDocument, dotted

if TYPE_CHECKING:
    import jsonschema

#: What a JSON Schema type means to the person writing the YAML.
TYPE_WORDS = {"integer": tr("a whole number"), "number": tr("a number"), "string": tr("a text"),
              "boolean": tr("true or false"), "object": tr("a mapping (key: value lines)"),
              "array": tr("a list"), "null": tr("~ (unknown)")}
#: Sections the standard catalogue lets an owner answer ``not_applicable`` (for hints on near misses).
SECTIONS_WITH_NA = ("land", "environment", "labor")
_SIGNS = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}


def schema_problem(err: jsonschema.ValidationError, doc: YamlDocument,
                   error: type[RiskAssessError]) -> RiskAssessError:
    """One JSON Schema violation as a one-line error naming file, line and field."""
    path = tuple(err.absolute_path)
    source, line, where = doc.source_of(path), doc.line_of(path), dotted(path) or None
    v, inst = err.validator, err.instance
    hint: Text | None
    if v == "additionalProperties":
        allowed = list((err.schema.get("properties") or {}).keys())
        key = next(k for k in inst if k not in allowed)
        full = (*path, key)
        close = closest(key, allowed, cutoff=0.5)
        hint = full_width_hint(key) or (tr("did you mean {name!r}?", name=close) if close else
                                        tr("allowed here: {names}", names=allowed))
        return error(tr("unknown field {key!r}", key=key), source=source, line=doc.line_of(full),
                     field=dotted(full), hint=hint)
    if v == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        which = "ruleset" if error.__name__ == "RuleSetError" else "questionnaire"
        return error(tr("missing required field {name!r}", name=missing), source=source, line=line, field=where,
                     hint=tr("see `riskassess schema {which}`", which=which))
    if v == "type":
        return error(_type_message(err.validator_value, inst), source=source, line=line, field=where,
                     hint=_type_hint(err.validator_value, inst, path))
    if v == "enum":
        options = [o for o in err.validator_value if o is not None]
        close = closest(str(inst), [str(o) for o in options], cutoff=0.5)
        hint = full_width_hint(inst) or (tr("did you mean {name!r}?", name=close) if close else None)
        return error(tr("{value!r} is not one of: {options}", value=inst, options=[str(o) for o in options]),
                     source=source, line=line, field=where, hint=hint)
    if v in _SIGNS:
        hint = tr("rates and shares are fractions from 0 to 1") \
            if v == "maximum" and err.validator_value == 1 else None
        return error(tr("must be {sign} {limit}, got {value!r}", sign=_SIGNS[v], limit=err.validator_value,
                        value=inst), source=source, line=line, field=where, hint=hint)
    if v in ("format", "pattern") and err.schema.get("format") == "date":
        return error(tr("{value!r} is not a date", value=inst), source=source, line=line, field=where,
                     hint=tr("write YYYY-MM-DD"))
    if v == "const":
        return error(tr("must be {expected!r}, got {value!r}", expected=err.validator_value, value=inst),
                     source=source, line=line, field=where)
    if v in ("minItems", "maxItems"):
        message = tr("needs at least {count} item(s)", count=err.validator_value) if v == "minItems" else \
            tr("takes at most {count} item(s)", count=err.validator_value)
        return error(message, source=source, line=line, field=where)
    if v == "propertyNames":
        return error(tr("{value!r} is not an answer path", value=inst), source=source, line=line, field=where,
                     hint=tr("write a dotted path such as land.households_relocated"))
    return error(tr("does not match the schema: {detail}", detail=err.message), source=source, line=line,
                 field=where)


def _type_message(expected: Any, inst: Any) -> Text:
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = [TYPE_WORDS.get(n, n) for n in names if n != "null"]
    want = wanted[0] if len(wanted) == 1 else tr("{first} or {second}", first=wanted[0], second=wanted[1]) \
        if len(wanted) == 2 else wanted
    if "null" in names:
        return tr("expected {want} (or ~ for unknown), got {got}", want=want, got=describe_value(inst))
    return tr("expected {want}, got {got}", want=want, got=describe_value(inst))


def _type_hint(expected: Any, inst: Any, path: tuple[Any, ...]) -> Text | None:
    names = {expected} if isinstance(expected, str) else set(expected)
    if isinstance(inst, str) and names & {"integer", "number"}:
        return number_hint(inst, "integer" in names)
    if isinstance(inst, str) and "object" in names and len(path) == 1 and path[0] in SECTIONS_WITH_NA:
        return full_width_hint(inst) or \
            tr("to say the whole section does not apply, write {section}: not_applicable", section=path[0])
    if isinstance(inst, str) and "boolean" in names:
        if inst.strip().lower() in _YAML11_BOOLEANS:
            return tr("{value!r} is text, not true/false (YAML 1.2): write true (是) or false (否)", value=inst)
        return tr("write true (是) or false (否)")
    return full_width_hint(inst)


#: Words YAML 1.1 read as booleans and YAML 1.2 (which riskassess reads) keeps as text.
_YAML11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_UNDERSCORES = re.compile(r"[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?")
_BASE_60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_PREFIXED = re.compile(r"[-+]?0[bBoOxX][0-9a-fA-F_]+")


def yaml11_number_hint(text: str) -> Text | None:
    """What to write for a number in a spelling older YAML read as a number and YAML 1.2 reads as text."""
    if len(text) > 40:
        return None
    if _LEADING_ZERO.fullmatch(text):
        return tr("a number does not start with 0 (older YAML read {value} as octal): write {fixed}", value=text,
                  fixed=str(int(text)))
    if _UNDERSCORES.fullmatch(text):
        return tr("write the number without underscores: {fixed}", fixed=text.replace("_", ""))
    if _BASE_60.fullmatch(text):
        return tr("{value} is text (older YAML read it as base 60): write one decimal number", value=text)
    if _PREFIXED.fullmatch(text):
        try:
            fixed = str(int(text.replace("_", ""), 0))
        except ValueError:
            return tr("write the number in decimal digits")
        return tr("write the number in decimal: {fixed}", fixed=fixed)
    return None


def number_hint(text: str, whole: bool) -> Text:
    """What to write instead of a number given as text: ``"0.6"``, ``60%``, ``约300``, ``0755``, ``1_000``."""
    stripped = text.strip()
    older = yaml11_number_hint(stripped)
    if older is not None:
        return older
    if stripped.endswith(("%", "％")):
        try:
            share = float(stripped[:-1]) / 100
        except ValueError:
            pass
        else:
            return tr("write the share as a fraction without %: {value}", value=f"{share:g}")
    try:
        number = float(stripped)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) > MAX_SAFE_INTEGER:
        return tr("a rough figure is written {{at_least: 1000}}, {{at_most: 50}} or {{between: [2000, 3000]}}")
    shown = f"{number:g}" if not whole or not number.is_integer() else str(int(number))
    return tr("write the number without quotes: {value}", value=shown)


def describe_value(value: Any) -> Text | str:
    if isinstance(value, bool):
        return tr("boolean {value}", value=str(value).lower())
    if isinstance(value, dict):
        return tr("a mapping")
    if isinstance(value, list):
        return tr("a list")
    return tr("{value!r}", value=value)
