"""What a rule change would do to a portfolio: each questionnaire graded under the old and the new
rule set, and, where a grade or range moves, the factors and overrides that moved it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import RiskAssessError
from .i18n import Text, tr

if TYPE_CHECKING:
    from .register import Register


@dataclass
class Change:
    """One questionnaire whose grades differ between the two rule sets, and why."""

    path: str
    project_id: str | None
    old: tuple[str, str]
    new: tuple[str, str]
    old_range: tuple[str, str]
    new_range: tuple[str, str]
    reasons: list[Text] = field(default_factory=list)
    titles: dict[str, Any] = field(default_factory=dict)
    """Grade id → its zh/en title (the new rule set's), for display."""

    @property
    def regraded(self) -> bool:
        return self.old != self.new


@dataclass
class Refused:
    path: str
    error: RiskAssessError


def compare(engine: Any, files: Sequence[Path], old_rules: str | None, new_rules: str
            ) -> Iterator[Change | Refused]:
    """For each file: a :class:`Change` when its grades or post-measure range differ, or :class:`Refused`."""
    old_rs, new_rs = engine.rule_set(old_rules), engine.rule_set(new_rules)
    for path in files:
        try:
            old = engine.assess(engine.read_questionnaire(path, old_rs), old_rs)
            new = engine.assess(engine.read_questionnaire(path, new_rs), new_rs)
        except RiskAssessError as exc:
            yield Refused(str(path), exc)
            continue
        change = _change(str(path), old, new)
        if change is not None:
            yield change


def compare_register(engine: Any, register: Register, old_rules: str | None, new_rules: str
                     ) -> Iterator[Change | Refused]:
    """For each project's latest assessment in ``register`` (its decision): its stored answers graded under the
    rule set it was graded under (or ``old_rules``) and under ``new_rules``, with the governed adjustments and
    as-of date it was judged with — a :class:`Change` where grades or range differ, or :class:`Refused`."""
    from .adjustment_record import recorded
    from .monitor import latest_assessments, same_rule_set
    new_rs = engine.rule_set(new_rules)
    for entry in latest_assessments(register):
        where = f"{register.location}#{entry.seq}"
        try:
            stored = entry.stored()
            old_rs = engine.rule_set(old_rules) if old_rules is not None else same_rule_set(engine, stored)
            answers, kept = stored["questionnaire"]["answers"], recorded(stored)
            old, new = (engine.assess(engine.questionnaire(answers, rs, source=where), rs, **kept)
                        for rs in (old_rs, new_rs))
        except RiskAssessError as exc:
            yield Refused(where, exc)
            continue
        change = _change(where, old, new)
        if change is not None:
            yield change


def _grades(a: Any) -> tuple[tuple[str, str], tuple[str, str]]:
    r = a.range_dict()["post_measure"]
    return (a.initial_grade, a.post_measure_grade), (r["lowest"], r["highest"])


def _change(path: str, old: Any, new: Any) -> Change | None:
    (old_grades, old_range), (new_grades, new_range) = _grades(old), _grades(new)
    if old_grades == new_grades and old_range == new_range:
        return None
    project = old.questionnaire.answers.get("project") or {}
    change = Change(path, project.get("id"), old_grades, new_grades, old_range, new_range,
                    titles={g.id: g.title for g in (*old.rule_set.grades, *new.rule_set.grades)})
    change.reasons = factor_reasons(old, new) + override_reasons(old, new) + method_reasons(old, new)
    return change


def method_reasons(old: Any, new: Any) -> list[Text]:
    """Each scoring method whose grade moved, before or after the measures (bands, weights, rules)."""
    def by_method(a: Any) -> dict[str, tuple[str, str]]:
        o, grades = a.outcome, a.rule_set.grades
        return {step.method: (grades[i].id, grades[p].id) for step, i, p in
                zip(a.rule_set.scoring, o.initial_by_method, o.post_by_method, strict=True)}
    before, after = by_method(old), by_method(new)
    out = []
    for method, (i, p) in after.items():
        was = before.get(method)
        if was is None:
            out.append(tr("scoring method {method} is new: {initial} → {post}", method=method,
                          initial=_grade(new, i), post=_grade(new, p)))
        elif was != (i, p):
            out.append(tr("scoring method {method}: {old_initial} → {old_post} becomes {new_initial} → {new_post} "
                          "(before → after measures)", method=method, old_initial=_grade(old, was[0]),
                          old_post=_grade(old, was[1]), new_initial=_grade(new, i), new_post=_grade(new, p)))
    out += [tr("scoring method {method} is gone", method=m) for m in before if m not in after]
    return out


def _grade(a: Any, gid: str) -> Text:
    return _Title(next(g.title for g in a.rule_set.grades if g.id == gid))


def factor_reasons(old: Any, new: Any) -> list[Text]:
    """Each factor whose applicability or level differs, by id; factors only one rule set has."""
    before = {f.id: f for f in old.factors}
    after = {f.id: f for f in new.factors}
    reasons: list[Text] = []
    for fid, f in after.items():
        g = before.get(fid)
        if g is None:
            if f.applies:
                reasons.append(tr("factor {id} is new and applies ({level})", id=fid, level=_level(new, f.initial)))
            continue
        if g.applies != f.applies:
            reasons.append(tr("factor {id} now applies ({level})", id=fid, level=_level(new, f.initial)) if f.applies
                           else tr("factor {id} no longer applies", id=fid))
        elif f.applies and (_level(old, g.post) != _level(new, f.post) or _level(old, g.initial) !=
                            _level(new, f.initial)):
            reasons.append(tr("factor {id}: {old_initial} → {old_post} becomes {new_initial} → {new_post} (before → "
                              "after measures)", id=fid, old_initial=_level(old, g.initial),
                              old_post=_level(old, g.post), new_initial=_level(new, f.initial),
                              new_post=_level(new, f.post)))
    reasons += [tr("factor {id} is gone", id=fid) for fid, g in before.items() if fid not in after and g.applies]
    return reasons


def override_reasons(old: Any, new: Any) -> list[Text]:
    fired_before = {o.id for o in old.overrides if o.fired}
    fired_after = {o.id: o for o in new.overrides if o.fired}
    out = [tr("override {id} now sets a floor of {grade}", id=oid, grade=_grade(new, o.floor))
           for oid, o in fired_after.items() if oid not in fired_before]
    out += [tr("override {id} no longer fires", id=oid) for oid in sorted(fired_before - set(fired_after))]
    return out


def _level(a: Any, scored: Any) -> Text | str:
    if scored is None:
        return "—"
    return _Title(a.rule_set.levels[scored.level][1])


class _Title(Text):
    """A rule set's zh/en title, shown in the reader's language."""

    __slots__ = ("label",)

    def __init__(self, label: Any) -> None:
        super().__init__("{label}", label=label.en)
        self.label = label

    def render(self, lang: str) -> str:
        return str(self.label[lang])
