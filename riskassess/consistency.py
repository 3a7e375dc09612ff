"""Answers that cannot all be true: survey arithmetic and contradictions between answers.

An approximate answer counts as contradicting only when it surely does: ``a`` exceeds ``b`` when
the least ``a`` allows is above the most ``b`` allows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .approximate import describe
from .i18n import tr


def _low(value: Any) -> Any:
    """The smallest value an answer allows (an approximate answer's lower bound; None if unbounded)."""
    if isinstance(value, dict):
        return value["between"][0] if "between" in value else value.get("at_least")
    return value


def _high(value: Any) -> Any:
    if isinstance(value, dict):
        return value["between"][1] if "between" in value else value.get("at_most")
    return value


def _exceeds(a: Any, b: Any) -> bool:
    """True when ``a`` is surely larger than ``b`` (whatever values their approximate answers stand for)."""
    low, high = _low(a), _high(b)
    return low is not None and high is not None and low > high


def survey_problems(data: dict[str, Any], add: Callable[..., None]) -> None:
    survey = ((data.get("public") or {}).get("survey")) or {}
    where = ("public", "survey")
    valid, issued = survey.get("valid"), survey.get("issued")
    if _exceeds(valid, issued):
        add(tr("valid questionnaires ({valid}) exceed those issued ({issued})", valid=_shown(valid),
               issued=_shown(issued)), (*where, "valid"))
    given = {k: survey[k] for k in ("support", "conditional", "oppose") if survey.get(k) is not None}
    total_low = sum(_low(v) or 0 for v in given.values())
    if given and _exceeds(total_low, valid):
        add(tr("{parts} = {total} exceeds the {valid} valid questionnaires", parts=" + ".join(given), total=total_low,
               valid=_shown(valid)), where, tr("the counts split the valid questionnaires"))
    elif valid is None and given and _exceeds(total_low, issued):
        add(tr("{parts} = {total} exceeds the {issued} questionnaires issued", parts=" + ".join(given), total=total_low,
               issued=_shown(issued)), where)
    shares = {k: survey[f"{k}_share"] for k in ("support", "conditional", "oppose") if survey.get(f"{k}_share")
              is not None}
    if sum(_low(v) or 0 for v in shares.values()) > 1 + 1e-9:
        add(tr("{parts} add up to more than 1", parts=" + ".join(f"{k}_share" for k in shares)), where,
            tr("shares are fractions of the valid questionnaires: 97.1 % → 0.971"))
    if survey.get("conducted") is False and (given or shares or valid or issued):
        add(tr("conducted: false, but the survey has results"), (*where, "conducted"),
            tr("a survey with counts or shares was conducted: write conducted: true, or remove the results"))
    for k, share in shares.items():
        count = survey.get(k)
        if isinstance(count, int) and isinstance(valid, int) and valid and isinstance(share, (int, float)) \
                and abs(count / valid - share) > 0.005:
            add(tr("{name}_share {share} does not match {name}/valid = {count}/{valid} = {ratio}", name=k, share=share,
                   count=count, valid=valid, ratio=f"{count / valid:.3f}"),
                (*where, f"{k}_share"), tr("give the published share only when the counts are not known"))


#: answer → the answer it is part of (a part can never exceed its whole).
PART_OF = {"land.collective_land_mu": "land.expropriated_area_mu",
           "land.basic_farmland_mu": "land.expropriated_area_mu", "labor.layoffs": "labor.staff_before_layoffs"}


def contradictions(data: dict[str, Any], add: Callable[..., None]) -> None:
    """Answers that cannot all be true."""
    land: dict[str, Any] = data["land"] if isinstance(data.get("land"), dict) else {}
    for part in ("collective_land_mu", "basic_farmland_mu"):
        if _exceeds(land.get(part), land.get("expropriated_area_mu")):
            add(tr("{part} ({value}) is more than the land expropriated ({whole})", part=part, value=_shown(land[part]),
                   whole=_shown(land["expropriated_area_mu"])), ("land", part), tr("it is part of the land taken"))
    if land.get("households_relocated") == 0 and land.get("forced_demolition_planned") is True:
        add(tr("forced_demolition_planned is true, but no household is relocated"),
            ("land", "forced_demolition_planned"))
    order: dict[str, Any] = data["order"] if isinstance(data.get("order"), dict) else {}
    if order.get("mass_incidents_3y") == 0 and (_low(order.get("largest_incident_size")) or 0) > 0:
        add(tr("largest_incident_size is given, but mass_incidents_3y is 0"), ("order", "largest_incident_size"),
            tr("with no incident, the largest incident size is 0"))
    labor: dict[str, Any] = data["labor"] if isinstance(data.get("labor"), dict) else {}
    if _exceeds(labor.get("layoffs"), labor.get("staff_before_layoffs")):
        add(tr("layoffs ({layoffs}) exceed the staff before layoffs ({staff})", layoffs=_shown(labor["layoffs"]),
               staff=_shown(labor["staff_before_layoffs"])), ("labor", "layoffs"))


def _shown(value: Any) -> str:
    return describe(value) or str(value)


