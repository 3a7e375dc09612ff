"""The questionnaire: its field catalogue, JSON Schema, validation and canonical form.

The fields are defined once, bilingually, in ``schemas/questionnaire.fields.yaml``;
the JSON Schema that editors and ``riskassess schema questionnaire`` use is
generated from it (plus any fields a rule set or plugin adds). A field left out,
or written as ``~``, is *unknown* — never "no risk".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .approximate import for_evaluation, take_apart
from .consistency import contradictions, survey_problems
from .errors import InputError, RiskAssessError
from .hookspecs import FactType, Label
from .i18n import Text, tr
from .natural_input import Reading, read_naturally
from .plain_data import data_problems
from .schema_check import compile_check, standard_format
from .schema_problems import TYPE_WORDS, describe_value, schema_problem
from .suggestions import MAX_PROBLEMS, SHOWN_PROBLEMS, SuggestionBudget, closest
from .yaml_problems import full_width_hint, full_width_punctuation
from .yamlfile import DEFAULT_MAX_BYTES, YamlDocument, decode_text, dotted, parse_yaml, read_input

if TYPE_CHECKING:
    import jsonschema

FORMAT_VERSION = 1
SCHEMA_ID = "urn:riskassess:questionnaire:1"
_KINDS = {"string", "integer", "number", "boolean", "date", "object", "array"}
_FIELD_KEYS = {"type", "title", "description", "enum", "enum_titles", "minimum", "maximum",
               "exclusive_minimum", "items", "fields", "required", "examples", "unit", "not_applicable"}
#: How an owner says a whole section does not apply (see ``not_applicable`` in the field catalogue).
NOT_APPLICABLE = "not_applicable"
MEASURE_STATUSES = ("planned", "committed", "in_progress", "completed", "cancelled")
EVIDENCE_METHODS = ("measured", "surveyed", "expert_judged", "assumed")


@dataclass(frozen=True)
class FieldSpec:
    """One questionnaire field (or section, or object) as the catalogue defines it."""

    name: str
    kind: str
    title: Label
    description: Label
    enum: tuple[str, ...] | None = None
    enum_titles: Mapping[str, Label] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    items: FieldSpec | None = None
    examples: tuple[Any, ...] = ()
    unit: Label | None = None
    origin: str = "riskassess"
    not_applicable: tuple[Label, Mapping[str, Any]] | None = None
    """For a section: what ``section: not_applicable`` means, and the answers it implies."""

    @property
    def fact_type(self) -> FactType:
        enum = self.items.enum if self.kind == "array" and self.items else self.enum
        return FactType(self.kind, enum, self.minimum, self.maximum)


def _label(raw: Any, where: str, origin: str) -> Label:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("zh"), str) or not isinstance(raw.get("en"), str):
        raise RiskAssessError(tr("needs zh and en text, got {value!r}", value=raw), source=origin, field=where)
    return Label(raw["zh"], raw["en"])


def parse_field(name: str, raw: Any, where: str, origin: str) -> FieldSpec:
    """Turn one catalogue entry into a :class:`FieldSpec`, checking its shape."""
    if not isinstance(raw, Mapping):
        raise RiskAssessError(tr("a field definition must be a mapping"), source=origin, field=where)
    unknown = set(raw) - _FIELD_KEYS
    if unknown:
        raise RiskAssessError(tr("unknown key(s) in field definition: {keys}", keys=sorted(unknown)), source=origin,
                              field=where)
    _check_shape(raw, where, origin)
    kind = raw.get("type", "object" if "fields" in raw else None)
    if kind not in _KINDS:
        raise RiskAssessError(tr("type must be one of {kinds}, got {kind!r}", kinds=sorted(_KINDS), kind=kind),
                              source=origin, field=where)
    enum = tuple(raw["enum"]) if "enum" in raw else None
    enum_titles = {k: _label(v, f"{where}.enum_titles.{k}", origin) for k, v in raw.get("enum_titles", {}).items()}
    if enum is not None and set(enum) != set(enum_titles):
        raise RiskAssessError(tr("every enum value needs zh/en enum_titles"), source=origin, field=where)
    fields = {k: parse_field(k, v, f"{where}.{k}", origin) for k, v in (raw.get("fields") or {}).items()}
    title = _label(raw.get("title"), f"{where}.title", origin)
    description = _label(raw.get("description"), f"{where}.description", origin)
    items = None
    if "items" in raw:  # array items inherit the array's labels
        item_raw = {"title": raw["title"], "description": raw["description"], **raw["items"]}
        items = parse_field("items", item_raw, f"{where}.items", origin)
    required = tuple(raw.get("required", ()))
    for r in required:
        if r not in fields:
            raise RiskAssessError(tr("required field {name!r} is not defined", name=r), source=origin, field=where)
    not_applicable = None
    if "not_applicable" in raw:
        na = raw["not_applicable"]
        implies = na.get("implies") if isinstance(na, Mapping) else None
        if not isinstance(implies, Mapping) or not implies or set(implies) - set(fields):
            raise RiskAssessError(tr("not_applicable needs a title and implies: answers of this section's own fields"),
                                  source=origin, field=f"{where}.not_applicable")
        not_applicable = (_label(na.get("title"), f"{where}.not_applicable.title", origin), dict(implies))
    return FieldSpec(
        name=name, kind=kind, title=title, description=description,
        enum=enum, enum_titles=enum_titles, minimum=raw.get("minimum"), maximum=raw.get("maximum"),
        exclusive_minimum=raw.get("exclusive_minimum"), fields=fields, required=required, items=items,
        examples=tuple(raw.get("examples", ())),
        unit=_label(raw["unit"], f"{where}.unit", origin) if "unit" in raw else None, origin=origin,
        not_applicable=not_applicable,
    )


#: What each key of a field definition holds (a pack's own fields are checked before they are read).
_SHAPES: dict[str, tuple[str, tuple[type, ...]]] = {
    "enum": ("array", (list,)), "required": ("array", (list,)), "examples": ("array", (list,)),
    "enum_titles": ("object", (Mapping,)), "items": ("object", (Mapping,)), "fields": ("object", (Mapping,)),
    "unit": ("object", (Mapping,)), "not_applicable": ("object", (Mapping,)), "type": ("string", (str,)),
    "minimum": ("number", (int, float)), "maximum": ("number", (int, float)),
    "exclusive_minimum": ("number", (int, float)),
}


def _check_shape(raw: Mapping[str, Any], where: str, origin: str) -> None:
    """Each key of a field definition holds the kind of value it must (``enum: 5`` is refused, not a crash)."""
    for key, (kind, types) in _SHAPES.items():
        if key not in raw or (raw[key] is None and kind == "number"):  # `minimum: ~`: no minimum
            continue
        value = raw[key]
        if not isinstance(value, types) or isinstance(value, bool):
            raise RiskAssessError(tr("{key} must be {kind}, got {value}", key=key, kind=TYPE_WORDS[kind],
                                     value=describe_value(value)), source=origin, field=where)
    for key in ("enum", "required"):
        bad = [v for v in raw.get(key) or () if not isinstance(v, str)]
        if bad:
            raise RiskAssessError(tr("{key} lists names, and {value!r} is not one", key=key, value=bad[0]),
                                  source=origin, field=where)


@cache
def _standard_specs() -> dict[str, FieldSpec]:
    """The packaged field catalogue, parsed once per process (specs are immutable)."""
    text = resources.files("riskassess").joinpath("schemas/questionnaire.fields.yaml").read_text("utf-8")
    doc = parse_yaml(text, "riskassess/schemas/questionnaire.fields.yaml", error=RiskAssessError)
    return {k: parse_field(k, v, k, "riskassess") for k, v in doc.data["sections"].items()}


class FieldCatalogue:
    """All questionnaire fields that apply under one rule set (and its plugins)."""

    def __init__(self, sections: Mapping[str, FieldSpec], extensions: Mapping[str, FieldSpec] | None = None,
                 derived: Mapping[str, FactType] | None = None) -> None:
        self.sections = dict(sections)
        self.extensions = dict(extensions or {})
        self.derived = dict(derived or {})

    @classmethod
    def standard(cls) -> FieldCatalogue:
        return cls(_standard_specs())

    def extended(self, sections: Mapping[str, Any], origin: str, *, base: bool = True) -> FieldCatalogue:
        """A copy with rule-set fields added; redefining an existing field is an error."""
        merged = dict(self.sections) if base else {}
        for name, raw in sections.items():
            spec = parse_field(name, raw, name, origin)
            if name in merged:
                old = merged[name]
                clash = set(old.fields) & set(spec.fields)
                if clash:
                    raise RiskAssessError(tr("redefines existing field(s) {names} of section {section!r}",
                                             names=sorted(clash), section=name),
                                          source=origin, field=name, hint=tr("use a new field name"))
                merged[name] = FieldSpec(**{**old.__dict__, "fields": {**old.fields, **spec.fields}})
            else:
                merged[name] = spec
        return FieldCatalogue(merged, self.extensions, self.derived)

    def with_plugins(self, extensions: Mapping[str, FieldSpec], derived: Mapping[str, FactType]) -> FieldCatalogue:
        return FieldCatalogue(self.sections, {**self.extensions, **extensions}, {**self.derived, **derived})

    # -- lookups --------------------------------------------------------------------
    def field_at(self, path: str) -> FieldSpec | None:
        parts = path.split(".")
        if parts[0] == "extensions" and len(parts) > 2:
            spec: FieldSpec | None = self.extensions.get(parts[1])
            parts = parts[2:]
        else:
            spec = self.sections.get(parts[0])
            parts = parts[1:]
        for part in parts:
            if spec is None or spec.kind != "object":
                return None
            spec = spec.fields.get(part)
        return spec

    def fact_type(self, path: str) -> FactType | None:
        """The type of an answer or derived fact, or ``None`` if no such path exists."""
        if path in self.derived:
            return self.derived[path]
        spec = self.field_at(path)
        if spec is None or spec.kind == "object":
            return None
        return spec.fact_type

    def leaf_paths(self) -> Iterator[str]:
        def walk(prefix: str, spec: FieldSpec) -> Iterator[str]:
            if spec.kind == "object":
                for k, child in spec.fields.items():
                    yield from walk(f"{prefix}.{k}", child)
            else:
                yield prefix
        for name, spec in self.sections.items():
            yield from walk(name, spec)
        for ns, spec in self.extensions.items():
            yield from walk(f"extensions.{ns}", spec)
        yield from self.derived

    def suggest(self, path: str) -> str | None:
        return closest(path, self.leaf_paths())

    # -- JSON Schema -----------------------------------------------------------------
    @cached_property
    def json_schema(self) -> dict[str, Any]:
        """The schema editors use: also offers ``section: not_applicable`` and approximate numbers."""
        return self._schema(editor=True)

    @cached_property
    def validation_schema(self) -> dict[str, Any]:
        """The schema answers are checked against once ``not_applicable`` and approximate numbers are
        taken apart (see :func:`validate_document`): plain types, so every error names one field."""
        return self._schema(editor=False)

    def _schema(self, *, editor: bool) -> dict[str, Any]:
        from .questionnaire_schema import catalogue_schema
        return catalogue_schema(self, editor=editor)

    @cached_property
    def validator(self) -> jsonschema.protocols.Validator:
        import jsonschema  # only to say what is wrong: valid answers pass the quick check alone
        cls = jsonschema.Draft202012Validator
        return cls(self.validation_schema, format_checker=cls.FORMAT_CHECKER)

    @cached_property
    def quick_check(self) -> Callable[[Any], bool]:
        """True when answers pass :attr:`validator` — at a fraction of its cost; when it says no, the
        validator says why."""
        check = compile_check(self.validation_schema, standard_format)
        if check is None:
            return lambda answers: not any(self.validator.iter_errors(answers))
        return check

    def schema_errors(self, answers: Any) -> list[jsonschema.ValidationError]:
        """What :attr:`validator` finds wrong with ``answers`` (nothing, quickly, when all is well)."""
        return [] if self.quick_check(answers) else list(self.validator.iter_errors(answers))


class QuestionnaireInvalid(InputError):
    """A questionnaire with one or more problems; ``problems`` lists each one."""

    def __init__(self, problems: list[RiskAssessError], more: int = 0) -> None:
        first = problems[0]
        super().__init__(first.text, source=first.source, line=first.line, field=first.field,
                         hint=first.hint_text)
        self.problems = problems
        self.more = more
        """Problems found past the :data:`~riskassess.suggestions.MAX_PROBLEMS` described: counted only."""

    def render(self, lang: str = "en") -> str:
        lines = [p.render(lang) for p in self.problems[:SHOWN_PROBLEMS]]
        hidden = len(self.problems) + self.more - SHOWN_PROBLEMS
        if hidden > 0:
            lines.append(tr("... and {count} more problems", count=hidden).render(lang))
        return "\n".join(lines)


@dataclass
class Questionnaire:
    """A validated questionnaire: canonical answers plus where each came from."""

    answers: dict[str, Any]
    source: str = "<questionnaire>"
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    raw_sha256: str | None = None
    not_applicable: tuple[str, ...] = ()
    """Sections answered ``not_applicable`` (their implied answers are in :attr:`answers`)."""
    readings: tuple[Reading, ...] = ()
    """Answers read from how an owner naturally writes them (``是`` → true), shown to the user."""

    @cached_property
    def evaluation_answers(self) -> dict[str, Any]:
        """The answers as rules read them: approximate numbers as intervals (the same dict if there are none)."""
        return for_evaluation(self.answers)

    @property
    def approximate(self) -> bool:
        """True when some answer is approximate (``{at_least: …}``…)."""
        return self.evaluation_answers is not self.answers

    @cached_property
    def canonical_json(self) -> str:
        return canonical_json(self.answers)

    @cached_property
    def sha256(self) -> str:
        """Hash of the canonical answers: independent of key order, comments and layout."""
        return hashlib.sha256(self.canonical_json.encode("utf-8")).hexdigest()

    def line_of(self, path: str) -> int | None:
        """The line of the answer; for an answer implied by ``section: not_applicable``, that line."""
        parts = tuple(path.split("."))
        line = self.lines.get(parts)
        if line is None and parts[0] in self.not_applicable:
            return self.lines.get(parts[:1])
        return line


def canonicalize(value: Any, top: bool = True) -> Any:
    """Drop ``null`` (= unknown, same as absent) and mappings left empty, write integral floats as ints.

    Empty lists stay: ``predicted_exceedances: []`` (known: none) is not ``~`` (unknown).
    Only the top-level ``measures: []`` means the same as no measures.
    """
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if v is None:
                continue
            v = canonicalize(v, False)
            if v == {} or (top and k == "measures" and v == []):
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [canonicalize(v, False) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def answer_at(answers: Mapping[str, Any], path: str) -> Any:
    """The answer at dotted ``path`` (``land.households_relocated``), or None where there is none."""
    value: Any = answers
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no whitespace, UTF-8 text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def read_questionnaire(path: Path, catalogue: FieldCatalogue, *, max_bytes: int = DEFAULT_MAX_BYTES,
                       factor_ids: frozenset[str] | None = None) -> Questionnaire:
    """Load, validate and canonicalize the questionnaire file at ``path`` (``-``: standard input)."""
    raw, source = read_input(path, max_bytes=max_bytes)  # read once: what is hashed is what was parsed
    text = decode_text(raw, source)
    doc = parse_yaml(text, source, max_bytes=max_bytes)
    try:
        q = validate_document(doc, catalogue, factor_ids=factor_ids)
    except QuestionnaireInvalid as exc:
        # YAML read `land：` or an indent of U+3000 as text: say what was typed, not what YAML made of it
        found = full_width_punctuation(text)
        if found is None:
            raise
        line, message, hint = found
        raise QuestionnaireInvalid([InputError(message, source=source, line=line, hint=hint), *exc.problems]) \
            from None
    q.raw_sha256 = hashlib.sha256(raw).hexdigest()
    return q


def questionnaire_from_data(data: Any, catalogue: FieldCatalogue, source: str = "<data>",
                            factor_ids: frozenset[str] | None = None) -> Questionnaire:
    """Validate an already-parsed questionnaire (a dict), e.g. from a department's own code."""
    return validate_document(YamlDocument(data, source), catalogue, factor_ids=factor_ids)


def validate_document(doc: YamlDocument, catalogue: FieldCatalogue,
                      factor_ids: frozenset[str] | None = None) -> Questionnaire:
    data = doc.data
    if not isinstance(data, dict):
        kind = tr("a list") if isinstance(data, list) else tr("a single value")
        raise QuestionnaireInvalid([InputError(tr("the questionnaire must be a mapping of sections, not {kind}",
                                                  kind=kind),
                                               source=doc.source, line=1,
                                               hint=tr("start from `riskassess init`"))])
    if not doc.plain:  # what in-memory data can hold and no file can
        foreign: list[RiskAssessError] = [
            InputError(message, source=doc.source, line=doc.line_of(path), field=dotted(path) or None, hint=hint)
            for path, message, hint in data_problems(data)]
        if foreign:
            raise QuestionnaireInvalid(foreign)
    data, readings = read_naturally(data, doc, catalogue)
    data, not_applicable = _expand_not_applicable(data, catalogue, doc)
    exact, problems = take_apart(data, doc, catalogue)
    errors = catalogue.schema_errors(exact)
    more = max(0, len(problems) + len(errors) - MAX_PROBLEMS)  # past it, counted but not described
    problems += [schema_problem(err, doc, InputError) for err in errors[:max(0, MAX_PROBLEMS - len(problems))]]
    problems.sort(key=lambda p: (p.line or 0, p.field or ""))
    answers = canonicalize(data)
    if not problems:
        problems = _unknown_but_required(exact, doc, catalogue)
    if not problems:
        problems, more = _consistency_problems(data, doc, catalogue, factor_ids)
    if problems:
        raise QuestionnaireInvalid(problems, more)
    return Questionnaire(answers, doc.source, doc.lines, not_applicable=not_applicable, readings=readings)


def _unknown_but_required(exact: dict[str, Any], doc: YamlDocument, catalogue: FieldCatalogue
                          ) -> list[RiskAssessError]:
    """A required section or field answered ``~`` (or left empty) is dropped from the canonical answers, as
    unknown: then they must still be complete, or the record written from them would not verify."""
    problems: list[RiskAssessError] = []
    canonical = canonicalize(exact)
    if canonical == exact:  # nothing dropped (the usual case): nothing more to check
        return problems
    for err in catalogue.schema_errors(canonical):
        problem = schema_problem(err, doc, InputError)
        if err.validator == "required" and "'" in err.message:
            name = err.message.split("'")[1]
            where = (*err.absolute_path, name)
            problem = InputError(tr("{name!r} is required: it cannot be ~ (unknown) or empty", name=name),
                                 source=doc.source_of(where), line=doc.line_of(where), field=dotted(where) or None,
                                 hint=tr("answer it, or see `riskassess schema questionnaire`"))
        problems.append(problem)
    return problems


def _expand_not_applicable(data: dict[str, Any], catalogue: FieldCatalogue, doc: YamlDocument
                           ) -> tuple[dict[str, Any], tuple[str, ...]]:
    """``land: not_applicable`` → the answers it implies; the sections said not to apply."""
    sections = tuple(name for name, value in data.items() if value == NOT_APPLICABLE
                     and name in catalogue.sections and catalogue.sections[name].not_applicable is not None)
    for name, value in data.items():
        if value == NOT_APPLICABLE and name not in sections and name in catalogue.sections:
            allowed = [n for n, spec in catalogue.sections.items() if spec.not_applicable is not None]
            raise QuestionnaireInvalid([InputError(
                tr("section {name!r} cannot be not_applicable; only {allowed} can", name=name, allowed=allowed),
                source=doc.source,
                line=doc.line_of((name,)), field=name,
                hint=tr("answer the fields of {name}, or leave the section out while they are unknown", name=name))])
    if not sections:
        return data, ()
    out = dict(data)
    for name in sections:
        na = catalogue.sections[name].not_applicable
        assert na is not None
        out[name] = dict(na[1])
    return out, sections


def _consistency_problems(data: dict[str, Any], doc: YamlDocument, catalogue: FieldCatalogue,
                          factor_ids: frozenset[str] | None) -> tuple[list[RiskAssessError], int]:
    """Checks JSON Schema cannot express: survey arithmetic, evidence paths, measures.

    The problems described (at most :data:`MAX_PROBLEMS`) and how many more were found."""
    problems: list[RiskAssessError] = []
    more = 0

    def add(message: Text, path: tuple[str | int, ...], hint: Text | None = None) -> None:
        nonlocal more
        if len(problems) >= MAX_PROBLEMS:
            more += 1
            return
        problems.append(InputError(message, source=doc.source, line=doc.line_of(path), field=dotted(path),
                                   hint=hint))

    survey_problems(data, add)
    contradictions(data, add)
    budget = SuggestionBudget()  # suggestions only for the problems shown, not for 100,000 unknown ids
    for key in data.get("evidence") or {}:
        if catalogue.field_at(key) is None:
            close = catalogue.suggest(key) if budget.spend() else None
            add(tr("evidence for {key!r}, which is not a questionnaire field", key=key), ("evidence", key),
                tr("did you mean {name!r}?", name=close) if close else None)
    seen: dict[str, int] = {}
    for i, m in enumerate(data.get("measures") or []):
        if m["id"] in seen:
            add(tr("duplicate measure id {id!r} (also measure {other})", id=m["id"], other=seen[m["id"]] + 1),
                ("measures", i, "id"))
        seen[m["id"]] = i
        if factor_ids is not None:
            for j, fid in enumerate(m["addresses"]):
                if fid not in factor_ids:
                    hint = _unknown_factor_hint(fid, factor_ids, budget) if len(problems) < MAX_PROBLEMS else None
                    add(tr("addresses unknown factor {id!r}", id=fid), ("measures", i, "addresses", j), hint)
    return problems, more


def _unknown_factor_hint(fid: str, factor_ids: frozenset[str], budget: SuggestionBudget) -> Text:
    near = budget.closest(fid, sorted(factor_ids), cutoff=0.5)
    return full_width_hint(fid) or (tr("did you mean {name!r}?", name=near) if near else
                                    tr("run `riskassess rules show` for factor ids"))
