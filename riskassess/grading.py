"""From the factors that apply to grades: measures, groups, scoring methods and override floors.

Pure functions shared by :func:`riskassess.engine.decide` (the headline grades) and
:mod:`riskassess.grade_range` (the grades the unknown answers could still give), so both
grade a set of factors the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .counting import counted_factors
from .errors import InputError, PluginError
from .hookspecs import MethodInputs, ScoredFactor
from .i18n import tr
from .questionnaire import answer_at

if TYPE_CHECKING:
    from .ruleset import RuleSet, ScoringStep

_ZERO = Fraction(0)
#: factor index → (probability change, impact change, points change, measure ids)
Effects = dict[int, tuple[int, int, Fraction, tuple[str, ...]]]


def measure_effects(rule_set: RuleSet, answers: Mapping[str, Any]) -> Effects:
    """The summed effect of the counted measures on each factor they address."""
    sums: dict[int, list[Any]] = {}
    counted = rule_set.counted_statuses
    index = rule_set.factor_index
    for m in answers.get("measures") or ():
        if m.get("status") not in counted:
            continue
        effect = m.get("effect") or {}
        dp, di = effect.get("probability", 0), effect.get("impact", 0)
        dpts = _ZERO if "points" not in effect else Fraction(str(effect["points"]))
        for fid in dict.fromkeys(m.get("addresses") or ()):  # a factor named twice counts once
            fi = index.get(fid)
            if fi is not None:
                acc = sums.setdefault(fi, [0, 0, _ZERO, []])
                acc[0] += dp
                acc[1] += di
                acc[2] += dpts
                acc[3].append(m["id"])
    return {fi: (p, i, pts, tuple(ids)) for fi, (p, i, pts, ids) in sums.items()}


def after_measures(rule_set: RuleSet, factors: Sequence[ScoredFactor], effects: Effects) -> list[ScoredFactor]:
    """Each factor's levels once the measures addressing it are in place (never below level 1)."""
    grid = rule_set.grid
    out = []
    for f in factors:
        e = effects.get(f.index)
        if e is None:
            out.append(f)
            continue
        p = max(1, f.probability + e[0])
        i = max(1, f.impact + e[1])
        points = None if f.points is None else max(Fraction(0), f.points + e[2])
        out.append(ScoredFactor(f.index, p, i, grid[p - 1][i - 1], points))
    return out


def reads_answers(rule_set: RuleSet) -> bool:
    """True when a scoring method grades from answers besides the factors."""
    return any(step.reads for step in rule_set.scoring)


def method_inputs(rule_set: RuleSet, step: ScoringStep, answers: Mapping[str, Any] | None,
                  stage: str) -> MethodInputs | None:
    """The answers a method reads besides the factors (None for a method that reads none).

    A method cannot grade without them: a missing one is the owner's to give, never a silent default.
    """
    if not step.reads:
        return None
    values = {path: answer_at(answers or {}, path) for path in step.reads}
    optional = step.reads_if_answered
    missing = [path for path, value in values.items() if value is None and path not in optional]
    if missing:
        raise InputError(tr("scoring method {method!r} grades from {paths}, which the questionnaire does not answer",
                            method=step.method, paths=missing),
                         hint=tr("fill them in (see `riskassess init` for the fields), or use a rule set without "
                                 "this method"))
    return MethodInputs(stage, values)


def grades_by_method(rule_set: RuleSet, factors: Sequence[ScoredFactor], answers: Mapping[str, Any] | None = None,
                     stage: str = "initial") -> tuple[int, ...]:
    """Each scoring method's grade index, refusing a plugin's exception or out-of-range answer."""
    n = len(rule_set.grades)
    counted = counted_factors(rule_set, factors)
    out = []
    for step in rule_set.scoring:
        g = step.call("grade", counted, rule_set.source, method_inputs(rule_set, step, answers, stage))
        if type(g) is not int or not 0 <= g < n:
            raise PluginError(tr("scoring method {method!r} (plugin {plugin!r}) returned {value!r}; a grade is an "
                                 "index from 0 to {last}", method=step.method, plugin=step.plugin, value=g, last=n - 1),
                              source=rule_set.source)
        out.append(g)
    return tuple(out)


def overall(rule_set: RuleSet, factors: Sequence[ScoredFactor], floor: int,
            answers: Mapping[str, Any] | None = None, stage: str = "initial") -> int:
    """The grade: the highest of the methods' grades and the overrides' floor."""
    return max(max(grades_by_method(rule_set, factors, answers, stage)), floor)
