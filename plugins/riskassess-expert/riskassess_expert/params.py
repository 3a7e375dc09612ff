"""Reading the methods' pack parameters: bands, weights, comparison matrices and their provenance.

Every number a method grades with carries its status and source, as the engine's own methods do:
a department must say whether its bands are law, a published convention or its own judgement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from riskassess import Bilingual, ParameterError, ScoringContext

from . import ahp

STATUSES = ("verified_law", "secondary_source", "practitioner_convention", "pack_judgement")
Provenance = dict[str, Any]
Where = str | tuple[Any, ...]


@dataclass(frozen=True)
class Band:
    grade: int
    lower: float


def only(params: Mapping[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(params) - allowed)
    if extra:
        raise ParameterError(Bilingual(f"未知参数：{'、'.join(extra)}；可用：{'、'.join(sorted(allowed))}",
                                       f"unknown parameter(s) {', '.join(extra)}; allowed: "
                                       f"{', '.join(sorted(allowed))}"), extra[0])


def provenance(params: Mapping[str, Any]) -> Provenance:
    status = params.get("status")
    if status not in STATUSES:
        raise ParameterError(Bilingual(f"status 应为 {'、'.join(STATUSES)} 之一（这些数字是法规、惯例还是判断？）",
                                       f"status must be one of {', '.join(STATUSES)} (is this law, or "
                                       "convention?)"), "status")
    source = params.get("source")
    if not isinstance(source, Mapping) or not source.get("zh") or not source.get("en"):
        raise ParameterError(Bilingual("source 需要中英文说明数字的出处", "source needs zh and en text naming "
                                       "where the numbers come from"), "source")
    out: Provenance = {"status": status, "source": {"zh": source["zh"], "en": source["en"]}}
    if params.get("documents"):
        out["documents"] = list(params["documents"])
    return out


def bands(params: Mapping[str, Any], context: ScoringContext) -> tuple[Band, ...]:
    """``[{grade, from}]`` for every grade above the lowest, in rising order."""
    raw = params.get("bands")
    grades = context.grades
    if not isinstance(raw, list) or len(raw) != len(grades) - 1:
        raise ParameterError(Bilingual(f"bands 应为除最低等级外的每个等级给出下限：{'、'.join(grades[1:])}",
                                       f"bands: give the lower bound of every grade above the lowest: "
                                       f"{', '.join(grades[1:])}"), "bands")
    out = []
    for k, b in enumerate(raw):
        if not isinstance(b, Mapping) or b.get("grade") != grades[k + 1] or not _number(b.get("from")):
            raise ParameterError(Bilingual(f"第 {k + 1} 档应为 {{grade: {grades[k + 1]}, from: 数}}",
                                           f"band {k + 1} must be {{grade: {grades[k + 1]}, from: NUMBER}}"),
                                 ("bands", k))
        if out and b["from"] <= out[-1].lower:
            raise ParameterError(Bilingual("各档下限应逐级升高", "band bounds must rise with the grade"),
                                 ("bands", k, "from"))
        out.append(Band(k + 1, float(b["from"])))
    return tuple(out)


def grade_of(bands: tuple[Band, ...], value: float) -> int:
    grade = 0
    for b in bands:
        if value >= b.lower:
            grade = b.grade
    return grade


def weights(raw: Any, dims: tuple[str, ...], where: Where) -> dict[str, float]:
    """A weight per dimension: ``{probability: 0.22, impact: 0.22}``, or one number for all."""
    if _number(raw):
        return {d: float(raw) for d in dims}
    if not isinstance(raw, Mapping) or set(raw) != set(dims) or not all(_number(raw[d]) for d in dims):
        raise ParameterError(Bilingual(f"weight 应为一个数，或按维度给出：{'、'.join(dims)}",
                                       f"weight: one number, or one per dimension: {', '.join(dims)}"), where)
    return {d: float(raw[d]) for d in dims}


def judgement_matrix(raw: Any, where: Where) -> list[list[float]]:
    if not isinstance(raw, list) or not raw or not all(isinstance(row, list) for row in raw):
        raise ParameterError(Bilingual("判断矩阵应为方阵（列表的列表，可写 1/3 这样的分数）",
                                       "a comparison matrix is a list of rows (fractions may be written 1/3)"), where)
    try:
        return [[ahp.parse_judgement(v) for v in row] for row in raw]
    except ValueError as exc:
        raise ParameterError(Bilingual(f"判断矩阵无效：{exc}", f"invalid comparison matrix: {exc}"), where) from None


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value and abs(value) < 1e12
