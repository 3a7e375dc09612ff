"""Built-in derived facts: shares computed from the questionnaire's counts (survey, layoffs).

Rules compare shares (``derived.survey_oppose_share gt 0.5``) while owners enter
counts, which they can check against their survey forms. A share whose inputs
are missing, or whose denominator is zero, is unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..approximate import add, clip, divide
from ..hookspecs import DerivedFact, FactType, Label, hookimpl

_SHARE = FactType("number", None, 0, 1)


def _part(mapping: Any, key: str) -> Mapping[str, Any]:
    """``mapping[key]`` if it is a mapping, else empty: unvalidated input must not crash a derivation."""
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _survey_ratio(numerator: str, denominator: str, published: str | None = None
                  ) -> Callable[[Mapping[str, Any]], Any]:
    """``numerator / denominator`` from the counts; failing those, the published share if there is one."""
    def compute(q: Mapping[str, Any]) -> float | None:
        survey = _part(_part(q, "public"), "survey")
        top, bottom = survey.get(numerator), survey.get(denominator)
        if top is None or not bottom:
            return survey.get(published) if published else None
        return clip(divide(top, bottom), 1.0)
    return compute


def _coverage(q: Mapping[str, Any]) -> float | None:
    public = _part(q, "public")
    valid = _part(public, "survey").get("valid")
    population = public.get("affected_population")
    if valid is None or not population:
        return None
    return clip(divide(valid, population), 1.0)


def _support_incl_conditional(q: Mapping[str, Any]) -> float | None:
    survey = _part(_part(q, "public"), "survey")
    support, conditional, valid = survey.get("support"), survey.get("conditional"), survey.get("valid")
    if support is None or conditional is None or not valid:
        shares = survey.get("support_share"), survey.get("conditional_share")
        if None in shares:
            return None
        return clip(add(shares[0], shares[1]), 1.0)
    return clip(divide(add(support, conditional), valid), 1.0)


def _layoff_share(q: Mapping[str, Any]) -> float | None:
    labor = _part(q, "labor")
    layoffs, staff = labor.get("layoffs"), labor.get("staff_before_layoffs")
    if layoffs is None or not staff:
        return None
    return clip(divide(layoffs, staff), 1.0)


DERIVED = (
    DerivedFact("derived.survey_oppose_share", _SHARE, Label("反对率", "Survey opposition share"),
                ("public.survey.oppose", "public.survey.valid", "public.survey.oppose_share"),
                _survey_ratio("oppose", "valid", "oppose_share"), "oppose / valid (or the published share)"),
    DerivedFact("derived.survey_support_share", _SHARE, Label("支持率", "Survey support share"),
                ("public.survey.support", "public.survey.valid", "public.survey.support_share"),
                _survey_ratio("support", "valid", "support_share"), "support / valid (or the published share)"),
    DerivedFact("derived.survey_conditional_share", _SHARE, Label("有条件支持率", "Survey conditional-support share"),
                ("public.survey.conditional", "public.survey.valid", "public.survey.conditional_share"),
                _survey_ratio("conditional", "valid", "conditional_share"),
                "conditional / valid (or the published share)"),
    DerivedFact("derived.survey_support_incl_conditional_share", _SHARE,
                Label("支持率（含有条件支持）", "Support share incl. conditional"),
                ("public.survey.support", "public.survey.conditional", "public.survey.valid",
                 "public.survey.support_share", "public.survey.conditional_share"),
                _support_incl_conditional, "(support + conditional) / valid (or the published shares)"),
    DerivedFact("derived.survey_response_rate", _SHARE, Label("问卷有效率", "Survey valid-response rate"),
                ("public.survey.valid", "public.survey.issued"), _survey_ratio("valid", "issued"),
                "valid / issued"),
    DerivedFact("derived.survey_coverage", _SHARE, Label("调查覆盖率", "Survey coverage of affected population"),
                ("public.survey.valid", "public.affected_population"), _coverage,
                "min(valid / affected_population, 1)"),
    DerivedFact("derived.layoff_share", _SHARE, Label("裁员比例", "Share of staff laid off"),
                ("labor.layoffs", "labor.staff_before_layoffs"), _layoff_share,
                "min(layoffs / staff_before_layoffs, 1)"),
)


@hookimpl
def riskassess_register_derived_facts(register: Callable[[DerivedFact], None]) -> None:
    for fact in DERIVED:
        register(fact)
