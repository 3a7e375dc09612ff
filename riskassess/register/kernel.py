"""What the register keeps of a record: its kernel and its answers — and the record regenerated from them.

A record's readable ``result`` and ``labels`` (nine tenths of its bytes) are a pure function of the rest
and of the rule set, which the record fixes by SHA-256. The register stores the rest: the *kernel* (the
record without ``result``, ``labels`` and the answers; sealed by the chain through its SHA-256) and the
answers beside it (the ``answers`` column, tied to the kernel by their SHA-256 in it), both compact JSON packed
with zlib (:func:`pack`). An entry takes some 9 KiB instead of 130.

The full record is regenerated on demand (``register show``, ``export``, ``diff``, monitoring): the answers
are graded again under the rule set the kernel names, with the adjustments and as-of date it states, and
the result must give the very record id stored — else the entry is refused with what differs (another
rule file, engine or plugin). Registers written before keep whole records; both are read alike.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RecordError, RiskAssessError
from ..i18n import tr
from ..questionnaire import canonical_json

if TYPE_CHECKING:
    from ..assessment import Assessment
    from ..engine import Engine

READABLE = ("result", "labels")
"""What a kernel leaves out of a record (besides the answers): regenerated from the rest."""
LINES = "answer_lines"
"""The kernel's one key of its own: the questionnaire line of each answer (``answer_line`` in the result), which
the answers alone cannot give back: ``[lines, others]``, one line (or ``null``) per answer in the order
:func:`answer_paths` walks them, then by path the lines of answers the rules read that are not among them
(written ``~``: unknown)."""


PACKED = "zlib+base64:"
"""How an entry's kernel and answers are stored: compact JSON, compressed (zlib, RFC 1950) and written in base64 —
a third of the size, in a text column both databases hold alike. Text without this prefix is plain JSON."""
_UNPACKED_LIMIT = 50 * 1024 * 1024  # as large as a record file may be: a stored text never expands beyond it


def pack(text: str) -> str:
    return PACKED + base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def unpack(text: str) -> str:
    """The JSON text an entry stores, unpacked; ``ValueError`` if it does not unpack."""
    if not text.startswith(PACKED):
        return text
    try:
        inflate = zlib.decompressobj()
        raw = inflate.decompress(base64.b64decode(text[len(PACKED):], validate=True), _UNPACKED_LIMIT)
        if inflate.unconsumed_tail or not inflate.eof:
            raise ValueError("stored text larger than a record may be, or cut short")
        return raw.decode("utf-8")
    except (zlib.error, binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None


def compact(value: Any) -> str:
    """JSON as the register stores it: no whitespace, key order kept, UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


@dataclass(frozen=True)
class Stored:
    """A record as an entry keeps it: the kernel text (what the chain seals) and the answers text."""

    kernel: str
    """The kernel, packed (:func:`pack`)."""
    answers: str
    """The answers, packed."""
    kernel_data: dict[str, Any]
    """The kernel, parsed (with its answers): what the entry's listed columns are taken from."""


def stored_form(record: Mapping[str, Any], lines: Mapping[str, int] | None = None) -> Stored:
    """A whole record — or a kernel with its answers (:meth:`riskassess.Assessment.kernel`) and the lines of
    its answers (:func:`assessment_lines`) — as an entry keeps it."""
    kernel = {key: value for key, value in record.items() if key not in READABLE}
    questionnaire = dict(kernel["questionnaire"])
    answers = questionnaire.pop("answers")
    found = dict(lines if lines is not None else record_lines(record))
    in_order = [found.pop(path, None) for path in answer_paths(answers)]
    kernel[LINES] = [in_order, dict(sorted(found.items()))]
    try:
        return Stored(pack(compact({**kernel, "questionnaire": questionnaire})), pack(compact(answers)), kernel)
    except (TypeError, ValueError) as exc:
        raise RecordError(tr("not a valid assessment record: {problem}", problem=str(exc))) from None


def answer_paths(answers: Any) -> list[str]:
    """The dotted path of every answer that is not a section (lists count as one answer), depth first."""
    paths: list[str] = []
    stack: list[tuple[str, Any]] = [("", answers)]
    while stack:
        prefix, value = stack.pop()
        if isinstance(value, dict) and (not prefix or value):
            stack.extend((f"{prefix}.{key}" if prefix else str(key), item) for key, item in reversed(value.items()))
        elif prefix:
            paths.append(prefix)
    return paths


def kernel_lines(kernel: Mapping[str, Any]) -> dict[str, int]:
    """The lines a kernel keeps, by answer path (see :data:`LINES`)."""
    in_order, others = kernel.get(LINES) or ([], {})
    paths = answer_paths(kernel["questionnaire"]["answers"])
    found = {path: line for path, line in zip(paths, in_order, strict=False) if isinstance(line, int)}
    return {**found, **others}


def record_lines(record: Mapping[str, Any]) -> dict[str, int]:
    """The line of each answer a record's result cites."""
    found: dict[str, int] = {}
    stack: list[Any] = [record.get("result")]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("fact"), str) and isinstance(item.get("answer_line"), int):
                found[item["fact"]] = item["answer_line"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def assessment_lines(assessment: Assessment) -> dict[str, int]:
    """The line of each answer, and of each answer the rules read, by path (what the record cites of them:
    :func:`record_lines`)."""
    q = assessment.questionnaire
    paths = dict.fromkeys([*answer_paths(q.answers), *(leaf.fact for leaf in assessment.rule_set.leaf_order)])
    lines = ((path, q.line_of(path)) for path in paths)
    return {path: line for path, line in lines if line is not None}


def is_kernel(stored: Mapping[str, Any]) -> bool:
    return "result" not in stored


def with_answers(kernel: Mapping[str, Any], answers: Any) -> dict[str, Any]:
    """The kernel with its answers back in place (as the record has them: last in ``questionnaire``)."""
    return {**kernel, "questionnaire": {**kernel["questionnaire"], "answers": answers}}


def kernel_problems(kernel: Mapping[str, Any], answers_text: str | None) -> list[Any]:
    """What is wrong with a kernel and its answers on their own: the id its digest gives, the answers' hash."""
    problems = []
    from ..record_diff import digest_id
    found = digest_id(kernel["digest"])
    if found != kernel["record_id"]:
        problems.append(tr("its record was edited: its content gives the id {found}", found=found))
    try:
        answers = json.loads(unpack(answers_text or ""))
    except ValueError:
        return [*problems, tr("its answers are not readable JSON")]
    sha = hashlib.sha256(canonical_json(answers).encode("utf-8")).hexdigest()
    if sha != kernel["questionnaire"]["sha256"] or sha != kernel["digest"].get("answers_sha256"):
        problems.append(tr("its answers no longer match the SHA-256 its record holds"))
    return problems


def regenerate(kernel: Mapping[str, Any], engine: Engine, rules: str | Path | None = None) -> dict[str, Any]:
    """The whole record a kernel (with its answers) was cut from: graded again, checked by its record id."""
    from ..adjustment_record import recorded
    from ..verify import find_rule_set
    rule_set = find_rule_set(kernel, engine, rules)
    answers = kernel["questionnaire"]["answers"]
    try:
        questionnaire = engine.questionnaire(answers, rule_set, source=str(kernel["questionnaire"].get("source")))
        questionnaire.lines = {tuple(path.split(".")): line for path, line in kernel_lines(kernel).items()}
        again = engine.assess(questionnaire, rule_set, **recorded(kernel))
    except RiskAssessError as exc:
        raise RecordError(tr("record {id} cannot be regenerated: its answers no longer grade under {rules}: {error}",
                             id=kernel["record_id"], rules=rule_set.id, error=exc.text)) from None
    if again.record_id != kernel["record_id"]:
        raise RecordError(tr("record {id} cannot be regenerated: graded again it gives {found} (another rule file, "
                             "engine or plugin version?)", id=kernel["record_id"], found=again.record_id),
                          hint=tr("install the rule set, engine and plugin versions it names"))
    record = again.record()
    record.update((key, value) for key, value in kernel.items() if key in record)
    return record
