"""Governed adjustments: an assessment body's override of a factor's probability or impact, each with
a justification, an approver and an expiry (issue 9, item 3).

The assessment body (评估主体, not the project owner) writes them in a YAML list of its own::

    - factor: cn.public.opposition
      stage: post_measure             # initial | post_measure | both
      probability: 2                  # and/or impact: a level from 1 to 5
      justification: {zh: …, en: …}   # or one text
      approved_by: 评估组组长 王某
      approved_on: 2026-03-01
      expires: 2026-12-31

Each is judged on an explicit **as-of date**, which the record keeps: it is in force from
``approved_on`` to ``expires``, both days included. One in force sets the factor's level(s) at its
stage(s) — ``initial``: before the measures, which then lower it as usual; ``post_measure``: after the
measures, in place of what they gave; ``both``: at both stages, the measures not moving it. It never
makes a factor apply: a factor that does not apply is left out whatever is adjusted. One that has
expired, or was approved after the as-of date, changes nothing, and the record says so.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, RiskAssessError
from .hookspecs import ScoredFactor
from .i18n import Text, tr
from .questionnaire import canonical_json
from .suggestions import SuggestionBudget, closest
from .yamlfile import YamlDocument, load_yaml

if TYPE_CHECKING:
    from .ruleset import RuleSet

STAGES = ("initial", "post_measure", "both")
FIELDS = ("factor", "stage", "probability", "impact", "justification", "approved_by", "approved_on", "expires")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_BYTES = 1024 * 1024
#: Each field in words, with its key (messages name it so in both languages).
FIELD_NAMES = {
    "factor": tr("the factor (factor)"),
    "stage": tr("the stage (stage)"),
    "probability": tr("the probability (probability)"),
    "impact": tr("the impact (impact)"),
    "justification": tr("the justification (justification)"),
    "approved_by": tr("the approver (approved_by)"),
    "approved_on": tr("the approval date (approved_on)"),
    "expires": tr("the expiry date (expires)"),
}
_MISSING_HINTS = {
    "factor": tr("name the factor by its id (`riskassess rules show` lists them)"),
    "stage": tr("`initial` (before measures), `post_measure` (after measures) or `both`"),
    "justification": tr("say why the assessment body departs from the rule set's level: text, or {{zh: …, en: …}}"),
    "approved_by": tr("name who approved the adjustment"),
    "approved_on": tr("the date it was approved, YYYY-MM-DD"),
    "expires": tr("the last day it may be relied on, YYYY-MM-DD"),
}


@dataclass(frozen=True)
class Adjustment:
    """One validated adjustment, as the assessment body gave it."""

    factor: str
    index: int
    """The factor's position in the rule set."""
    stage: str
    probability: int | None
    impact: int | None
    justification: str | Mapping[str, str]
    approved_by: str
    approved_on: _dt.date
    expires: _dt.date
    line: int | None = None

    @property
    def stages(self) -> tuple[str, ...]:
        """The stages it sets: ``both`` is the initial and the post-measure one."""
        return ("initial", "post_measure") if self.stage == "both" else (self.stage,)

    def given(self) -> dict[str, Any]:
        """As given, in canonical form (what the record keeps and hashes)."""
        out: dict[str, Any] = {"factor": self.factor, "stage": self.stage}
        if self.probability is not None:
            out["probability"] = self.probability
        if self.impact is not None:
            out["impact"] = self.impact
        out.update(justification=dict(self.justification) if isinstance(self.justification, Mapping)
                   else self.justification, approved_by=self.approved_by,
                   approved_on=self.approved_on.isoformat(), expires=self.expires.isoformat())
        return out

    def standing(self, as_of: _dt.date) -> str:
        """``in_force``, ``expired`` (after ``expires``) or ``not_yet_approved`` (before ``approved_on``)."""
        if as_of > self.expires:
            return "expired"
        if as_of < self.approved_on:
            return "not_yet_approved"
        return "in_force"


@dataclass(frozen=True)
class Adjustments:
    """A validated adjustments file."""

    entries: tuple[Adjustment, ...]
    source: str = "<adjustments>"

    def given(self) -> list[dict[str, Any]]:
        return [a.given() for a in self.entries]

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the canonical JSON of the adjustments as given."""
        return given_sha256(self.given())


def given_sha256(given: Any) -> str:
    return hashlib.sha256(canonical_json(given).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LevelPlan:
    """The levels the adjustments in force set: factor index → (probability, impact), ``None`` = as scored."""

    initial: Mapping[int, tuple[int | None, int | None]]
    post: Mapping[int, tuple[int | None, int | None]]

    def apply(self, rule_set: RuleSet, factors: list[ScoredFactor], stage: str) -> list[ScoredFactor]:
        """``factors`` with the adjusted ones at their set levels (the same list when none is adjusted).

        Only factors that apply are in ``factors``: an adjustment never adds one. Setting is idempotent,
        so levels already adjusted stay as they are.
        """
        table = self.initial if stage == "initial" else self.post
        if not table or not any(f.index in table for f in factors):
            return factors
        grid = rule_set.grid
        out = []
        for f in factors:
            fixed = table.get(f.index)
            if fixed is None:
                out.append(f)
                continue
            p = f.probability if fixed[0] is None else fixed[0]
            i = f.impact if fixed[1] is None else fixed[1]
            out.append(ScoredFactor(f.index, p, i, grid[p - 1][i - 1], f.points))
        return out


@dataclass(frozen=True)
class Governed:
    """Adjustments judged on an as-of date."""

    adjustments: Adjustments
    as_of: _dt.date

    def standing(self, adjustment: Adjustment) -> str:
        return adjustment.standing(self.as_of)

    @cached_property
    def plan(self) -> LevelPlan | None:
        """What the adjustments in force set, stage by stage (``None`` when none is in force)."""
        initial: dict[int, tuple[int | None, int | None]] = {}
        post: dict[int, tuple[int | None, int | None]] = {}
        for a in self.adjustments.entries:
            if self.standing(a) != "in_force":
                continue
            for stage in a.stages:
                table = initial if stage == "initial" else post
                before = table.get(a.index, (None, None))  # another stage's entry may set the other level
                table[a.index] = (a.probability if a.probability is not None else before[0],
                                  a.impact if a.impact is not None else before[1])
        return LevelPlan(initial, post) if initial or post else None


# ----------------------------------------------------------------------------- reading and validating


class AdjustmentsInvalid(InputError):
    """An adjustments file with one or more problems; ``problems`` lists each, located."""

    def __init__(self, problems: list[RiskAssessError]) -> None:
        first = problems[0]
        super().__init__(first.text, source=first.source, line=first.line, field=first.field, hint=first.hint_text)
        self.problems = problems

    def render(self, lang: str = "en") -> str:
        lines = [p.render(lang) for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(tr("... and {count} more problems", count=len(self.problems) - 20).render(lang))
        return "\n".join(lines)


def as_of_date(value: _dt.date | str | None) -> _dt.date:
    """The as-of date: a ``date``, a ``YYYY-MM-DD`` string, or today when ``None``."""
    if value is None:
        return _dt.date.today()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    parsed = _date(value)
    if parsed is None:
        raise InputError(tr("as-of date {value!r}: expected a date YYYY-MM-DD", value=value), field="as_of",
                         hint=tr("e.g. --as-of 2026-05-01"))
    return parsed


def read_adjustments(path: Path, rule_set: RuleSet) -> Adjustments:
    """Read and validate the adjustments file at ``path`` against ``rule_set``'s factors."""
    return _validated(load_yaml(Path(path), max_bytes=_MAX_BYTES), rule_set)


def load_adjustments(value: Adjustments | str | Path | Sequence[Mapping[str, Any]], rule_set: RuleSet,
                     source: str = "<adjustments>") -> Adjustments:
    """Adjustments from a file path, an in-memory list of mappings (the library API, a record) or as they are."""
    if isinstance(value, Adjustments):
        return value
    if isinstance(value, (str, Path)):
        return read_adjustments(Path(value), rule_set)
    return _validated(YamlDocument(data=value, source=source), rule_set)


def _validated(doc: YamlDocument, rule_set: RuleSet) -> Adjustments:
    data = doc.data
    if len(rule_set.levels) == 1:
        raise InputError(tr("rule set {id} grades by points alone: probability and impact do not count, so they "
                            "cannot be adjusted", id=rule_set.id), source=doc.source)
    if not isinstance(data, list):
        raise InputError(tr("expected a list of adjustments (- factor: …)"), source=doc.source, line=doc.line_of(()),
                         hint=tr("each item: factor, stage, probability and/or impact, justification, approved_by, "
                                 "approved_on, expires"))
    if not data:
        raise InputError(tr("the file lists no adjustments"), source=doc.source,
                         hint=tr("add one, or leave out --adjustments"))
    problems: list[RiskAssessError] = []
    entries = []
    budget = SuggestionBudget()  # "did you mean" only for the problems shown
    for i, raw in enumerate(data):
        entry = _entry(raw, _Spot(doc, i, budget), rule_set, problems)
        if entry is not None:
            entries.append(entry)
    if not problems:
        problems += _overlaps(entries, doc)
    if problems:
        raise AdjustmentsInvalid(problems)
    return Adjustments(tuple(entries), doc.source)


@dataclass(frozen=True)
class _Spot:
    """Where the ``i``-th adjustment is, for located errors (numbered from 1 in messages)."""

    doc: YamlDocument
    i: int
    budget: SuggestionBudget

    @property
    def n(self) -> int:
        return self.i + 1

    @property
    def line(self) -> int | None:
        return self.doc.line_of((self.i,))

    def error(self, key: str | None, message: Text, hint: Text | None = None) -> InputError:
        line = self.doc.line_of((self.i,) if key is None else (self.i, key))
        return InputError(message, source=self.doc.source, line=line, hint=hint)


def _entry(raw: Any, spot: _Spot, rule_set: RuleSet, problems: list[RiskAssessError]) -> Adjustment | None:
    """One adjustment, or ``None`` with its problems added to ``problems``."""
    if not isinstance(raw, Mapping):
        problems.append(spot.error(None, tr("adjustment {n} is not a mapping of {names}", n=spot.n,
                                            names=[f"`{k}`" for k in FIELDS])))
        return None
    found = len(problems)
    _fields(raw, spot, problems)
    index = _factor(raw.get("factor"), spot, rule_set, problems)
    stage = raw.get("stage")
    if stage is not None and stage not in STAGES:
        problems.append(spot.error("stage", tr("adjustment {n}: stage {stage!r} is not one of `initial`, "
                                               "`post_measure`, `both`", n=spot.n, stage=stage),
                                   _MISSING_HINTS["stage"]))
    levels = [_level(raw, key, spot, problems) for key in ("probability", "impact")]
    justification = _justification(raw.get("justification"), spot, problems)
    approver = _text(raw.get("approved_by"), "approved_by", spot, problems)
    approved, expires = (_date_field(raw.get(key), key, spot, problems) for key in ("approved_on", "expires"))
    if approved is not None and expires is not None and expires < approved:
        problems.append(spot.error("expires", tr("adjustment {n}: it expires on {expires}, before it was approved "
                                                 "on {approved}", n=spot.n, expires=expires.isoformat(),
                                                 approved=approved.isoformat()),
                                   tr("an adjustment cannot lapse before it is approved")))
    if len(problems) > found:
        return None
    assert index is not None and approved is not None and expires is not None and justification is not None
    return Adjustment(str(raw["factor"]), index, str(stage), levels[0], levels[1], justification, str(approver),
                      approved, expires, spot.line)


def _fields(raw: Mapping[str, Any], spot: _Spot, problems: list[RiskAssessError]) -> None:
    """Unknown fields (with the nearest name), missing ones, and no level to set."""
    for key in raw:
        if key not in FIELDS:
            missing = [name for name in FIELDS if raw.get(name) is None]  # the one it was likely meant as first
            near = (closest(str(key), missing, cutoff=0.5) or closest(str(key), FIELDS, cutoff=0.5)) \
                if spot.budget.spend() else None
            problems.append(spot.error(str(key), tr("adjustment {n}: unknown field {key!r}", n=spot.n, key=key),
                                       tr("did you mean {name!r}?", name=near) if near
                                       else tr("allowed: {names}", names=[f"`{k}`" for k in FIELDS])))
    for key, hint in _MISSING_HINTS.items():
        if raw.get(key) is None:
            problems.append(spot.error(key, tr("adjustment {n}: {field} is missing", n=spot.n, field=FIELD_NAMES[key]),
                                       hint))
    if raw.get("probability") is None and raw.get("impact") is None:
        problems.append(spot.error(None, tr("adjustment {n} sets no level: give the probability, the impact or "
                                            "both (1 to 5)", n=spot.n)))


def _factor(value: Any, spot: _Spot, rule_set: RuleSet, problems: list[RiskAssessError]) -> int | None:
    if value is None:
        return None
    index = rule_set.factor_index.get(value) if isinstance(value, str) else None
    if index is None:
        near = spot.budget.closest(str(value), sorted(rule_set.factor_index))
        hint = tr("did you mean {name!r}?", name=near) if near else \
            tr("`riskassess rules show {id}` lists the factor ids", id=rule_set.id)
        problems.append(spot.error("factor", tr("adjustment {n}: rule set {id} has no factor {factor!r}", n=spot.n,
                                                factor=value, id=rule_set.id), hint))
    return index


def _level(raw: Mapping[str, Any], key: str, spot: _Spot, problems: list[RiskAssessError]) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if type(value) is not int or not 1 <= value <= 5:
        problems.append(spot.error(key, tr("adjustment {n}: {field} {value!r} is not a level from 1 to 5", n=spot.n,
                                           field=FIELD_NAMES[key], value=value), tr("a whole number: 1, 2, 3, 4 or 5")))
        return None
    return value


def _justification(value: Any, spot: _Spot, problems: list[RiskAssessError]) -> str | dict[str, str] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        texts = {k: v for k, v in value.items() if isinstance(v, str) and v.strip()}
        if set(value) != {"zh", "en"} or len(texts) != 2:
            problems.append(spot.error("justification", tr("adjustment {n}: {field} must be text, or {{zh: …, en: …}} "
                                                           "with both languages filled in", n=spot.n,
                                                           field=FIELD_NAMES["justification"])))
            return None
        return {"zh": texts["zh"], "en": texts["en"]}
    return _text(value, "justification", spot, problems)


def _text(value: Any, key: str, spot: _Spot, problems: list[RiskAssessError]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(spot.error(key, tr("adjustment {n}: {field} must be text that is not empty", n=spot.n,
                                           field=FIELD_NAMES[key])))
        return None
    return value


def _date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None


def _date_field(value: Any, key: str, spot: _Spot, problems: list[RiskAssessError]) -> _dt.date | None:
    if value is None:
        return None
    parsed = _date(value)
    if parsed is None:
        problems.append(spot.error(key, tr("adjustment {n}: {field} {value!r} is not a date YYYY-MM-DD", n=spot.n,
                                           field=FIELD_NAMES[key], value=str(value)), tr("e.g. 2026-12-31")))
    return parsed


def _overlaps(entries: Sequence[Adjustment], doc: YamlDocument) -> list[RiskAssessError]:
    """Two adjustments of one factor and stage in force on a common day: which one counts is not knowable."""
    out: list[RiskAssessError] = []
    for k, a in enumerate(entries):
        for j, b in enumerate(entries[:k]):
            common = set(a.stages) & set(b.stages)
            if a.index == b.index and common and a.approved_on <= b.expires and b.approved_on <= a.expires:
                out.append(InputError(tr("adjustment {n} sets {factor} at a stage adjustment {other} also sets, on "
                                         "days both are in force", n=k + 1, factor=a.factor, other=j + 1),
                                      source=doc.source, line=a.line,
                                      hint=tr("let one expire before the next is approved, or remove one")))
                break
    return out
