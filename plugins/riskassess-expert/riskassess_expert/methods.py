"""The scoring methods: ``fuzzy`` (AHP-weighted fuzzy comprehensive evaluation) and ``ahp_index``.

``fuzzy`` grades from one project's expert judgements, answered in the questionnaire under
``extensions.expert`` (so they are validated, hashed into the record and shown in reports), with the
hierarchy, weights and grade bands in the rule pack. ``ahp_index`` weights the applicable factors
by an AHP comparison of them and grades the weighted risk.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from riskassess import (
    Bilingual,
    Derivation,
    InputError,
    Label,
    MethodInputs,
    ParameterError,
    ScoredFactor,
    ScoringContext,
)

from . import ahp, fuzzy
from .params import Band, Provenance, bands, grade_of, judgement_matrix, only, provenance, weights

MEMBERSHIPS = "extensions.expert.memberships"
MEMBERSHIPS_AFTER = "extensions.expert.memberships_after_measures"


@dataclass(frozen=True)
class Group:
    id: str
    weight: dict[str, float]
    factors: tuple[tuple[str, dict[str, float]], ...]


@dataclass
class PreparedFuzzy:
    ctx: ScoringContext
    scale: int
    dimensions: tuple[str, ...]
    groups: tuple[Group, ...]
    combine: str
    reading: str
    bands: tuple[Band, ...]
    tolerance: float
    origin: Provenance
    ahp_steps: list[dict[str, Any]]
    reads = (MEMBERSHIPS,)
    reads_if_answered = (MEMBERSHIPS_AFTER,)
    uses_factors = False

    def grade(self, factors: Sequence[ScoredFactor], inputs: MethodInputs) -> int:
        return self.derive_values(inputs)[0]

    def derive(self, factors: Sequence[ScoredFactor], inputs: MethodInputs) -> Derivation:
        grade, steps, warnings = self.derive_values(inputs)
        return Derivation("fuzzy", self.ctx.grades[grade], [*self.ahp_steps, *steps], warnings)

    def derive_values(self, inputs: MethodInputs) -> tuple[int, list[dict[str, Any]], list[Label]]:
        vectors = self._memberships(inputs)
        steps: list[dict[str, Any]] = []
        computed = [g for g in self.groups if g.id not in vectors]  # weighted up from their factors
        warnings = self._weight_warnings(computed) + _row_warnings(vectors, self.tolerance)
        readings = {}
        for dim in self.dimensions:
            group_vectors = [self._group_vector(g, dim, vectors, steps) for g in self.groups]
            overall = fuzzy.weighted_sum([g.weight[dim] for g in self.groups], group_vectors)
            index = fuzzy.weighted_average(overall)
            top = fuzzy.maximum_membership(overall)
            steps.append({"step": "vector", "dimension": dim, "label": _OVERALL, "value": _round(overall)})
            steps.append({"step": "value", "dimension": dim, "label": _INDEX, "value": round(index, 4)})
            steps.append({"step": "value", "dimension": dim, "label": _TOP, "value": top})
            readings[dim] = index if self.reading == "weighted_average" else float(top)
        value = _combine(self.combine, [readings[d] for d in self.dimensions])
        steps.append({"step": "index", "label": _COMBINED[self.combine], "value": round(value, 4)})
        grade = grade_of(self.bands, value)
        steps += band_steps(self.bands, value, self.ctx, self.origin)
        return grade, steps, warnings

    def _memberships(self, inputs: MethodInputs) -> dict[str, dict[str, list[float]]]:
        """Each answered item's vector per dimension; after measures, their re-judged vectors where given."""
        rows = list(inputs.answers[MEMBERSHIPS])
        if inputs.stage == "post_measure":
            after = {r["id"]: r for r in inputs.answers.get(MEMBERSHIPS_AFTER) or []}
            rows = [after.get(r["id"], r) for r in rows] + [r for i, r in after.items()
                                                             if i not in {x["id"] for x in rows}]
        out: dict[str, dict[str, list[float]]] = {}
        for row in rows:
            for dim in self.dimensions:
                vector = row.get(dim)
                if vector is None or len(vector) != self.scale:
                    raise InputError(Bilingual(
                        f"专家隶属度 {row['id']} 的{_ZH.get(dim, dim)}应有 {self.scale} 个数（每个等级一个）",
                        f"expert membership {row['id']}: {dim} needs {self.scale} numbers, one per grade"),
                        field=MEMBERSHIPS)
            out[row["id"]] = {dim: list(row[dim]) for dim in self.dimensions}
        return out

    def _group_vector(self, group: Group, dim: str, vectors: Mapping[str, Mapping[str, list[float]]],
                      steps: list[dict[str, Any]]) -> tuple[float, ...]:
        """A group's vector: answered for the group itself, or weighted up from its items."""
        if group.id in vectors:
            return tuple(vectors[group.id][dim])
        missing = [fid for fid, _ in group.factors if fid not in vectors]
        if missing or not group.factors:
            raise InputError(Bilingual(
                f"缺少专家隶属度：{'、'.join(missing or [group.id])}（请在 {MEMBERSHIPS} 中按编号给出）",
                f"expert memberships missing for {', '.join(missing or [group.id])} (give them in {MEMBERSHIPS} "
                "by id)"), field=MEMBERSHIPS)
        vector = fuzzy.weighted_sum([w[dim] for _, w in group.factors], [vectors[f][dim] for f, _ in group.factors])
        steps.append({"step": "vector", "dimension": dim, "group": group.id,
                      "label": {"zh": f"{group.id} 组隶属度", "en": f"group {group.id} membership"},
                      "value": _round(vector)})
        return vector

    def _weight_warnings(self, computed: Sequence[Group]) -> list[Label]:
        out = []
        for dim in self.dimensions:
            sums = [("", [g.weight[dim] for g in self.groups])]
            sums += [(g.id, [w[dim] for _, w in g.factors]) for g in computed if g.factors]
            for where, ws in sums:
                gap = fuzzy.off_by(ws)
                if abs(gap) > self.tolerance:
                    zh_where = f"{where} 组内" if where else "各组"
                    en_where = f"in group {where}" if where else "of the groups"
                    out.append(Label(f"{zh_where}{_ZH.get(dim, dim)}权重之和为 {sum(ws):.3f}，不是 1",
                                     f"the {dim} weights {en_where} add up to {sum(ws):.3f}, not 1"))
        return out


def _row_warnings(vectors: Mapping[str, Mapping[str, Sequence[float]]], tolerance: float) -> list[Label]:
    out = []
    for item, dims in vectors.items():
        for dim, vector in dims.items():
            if abs(fuzzy.off_by(vector)) > tolerance:
                out.append(Label(f"{item} 的{_ZH.get(dim, dim)}隶属度之和为 {sum(vector):.3f}，不是 1",
                                 f"the {dim} memberships of {item} add up to {sum(vector):.3f}, not 1"))
    return out


def _combine(how: str, values: Sequence[float]) -> float:
    if how == "product":
        result = 1.0
        for v in values:
            result *= v
        return result
    if how == "max":
        return max(values)
    return sum(values) / len(values)


def _round(vector: Sequence[float]) -> list[float]:
    return [round(x, 4) for x in vector]


_ZH = {"probability": "发生概率", "impact": "影响程度"}
_OVERALL = {"zh": "综合隶属度向量", "en": "overall membership vector"}
_INDEX = {"zh": "加权平均等级（Σk·μk）", "en": "weighted-average grade (Σ k·μk)"}
_TOP = {"zh": "最大隶属度等级", "en": "maximum-membership grade"}
_COMBINED = {"mean": {"zh": "各维度平均", "en": "mean of the dimensions"},
             "product": {"zh": "各维度乘积", "en": "product of the dimensions"},
             "max": {"zh": "各维度最大值", "en": "largest of the dimensions"}}


class FuzzyEvaluation:
    """``fuzzy``: expert membership vectors weighted up a factor → group hierarchy, one reading per
    dimension (e.g. probability and impact), combined and banded into a grade."""

    name = "fuzzy"
    title = Label("模糊综合评价法", "Fuzzy comprehensive evaluation")

    def prepare(self, params: Mapping[str, Any], context: ScoringContext) -> PreparedFuzzy:
        only(params, {"scale", "dimensions", "groups", "group_comparisons", "combine", "reading", "bands",
                      "tolerance", "max_cr", "allow_inconsistent", "random_index", "status", "source", "documents"})
        scale = params.get("scale", 7)
        if not isinstance(scale, int) or isinstance(scale, bool) or not 2 <= scale <= 11:
            raise ParameterError(Bilingual("scale 应为 2 到 11 之间的整数（评语等级数）",
                                           "scale must be a whole number of grades from 2 to 11"), "scale")
        dims = tuple(params.get("dimensions") or ("probability", "impact"))
        combine = params.get("combine", "mean")
        reading = params.get("reading", "weighted_average")
        if combine not in _COMBINED:
            raise ParameterError(Bilingual("combine 应为 mean、product 或 max", "combine: mean, product or max"),
                                 "combine")
        if reading not in ("weighted_average", "maximum_membership"):
            raise ParameterError(Bilingual("reading 应为 weighted_average 或 maximum_membership",
                                           "reading: weighted_average or maximum_membership"), "reading")
        ahp_steps: list[dict[str, Any]] = []
        groups = _groups(params, dims, ahp_steps)
        return PreparedFuzzy(context, scale, dims, groups, combine, reading, bands(params, context),
                             float(params.get("tolerance", 0.005)), provenance(params), ahp_steps)


def _groups(params: Mapping[str, Any], dims: tuple[str, ...], ahp_steps: list[dict[str, Any]]) -> tuple[Group, ...]:
    raw = params.get("groups")
    if not isinstance(raw, list) or not raw:
        raise ParameterError(Bilingual("groups 应列出各组（id、weight、factors）", "groups: list each group "
                                       "(id, weight, factors)"), "groups")
    comparisons = params.get("group_comparisons")
    derived: dict[str, list[float]] = {}
    if comparisons is not None:
        for dim in dims:
            matrix = judgement_matrix(comparisons.get(dim), ("group_comparisons", dim))
            found = _ahp(matrix, params, ("group_comparisons", dim))
            derived[dim] = list(found.weights)
            ahp_steps.append({**ahp_step({"zh": "各组权重（层次分析法）", "en": "group weights (AHP)"},
                                         [round(w, 4) for w in found.weights], found), "dimension": dim})
    out = []
    for i, g in enumerate(raw):
        where = ("groups", i)
        if not isinstance(g, Mapping) or not isinstance(g.get("id"), str):
            raise ParameterError(Bilingual("每组需要 id", "each group needs an id"), where)
        weight = {d: derived[d][i] for d in dims} if derived else weights(g.get("weight"), dims, (*where, "weight"))
        factors = tuple((f["id"], weights(f.get("weight"), dims, (*where, "factors", k, "weight")))
                        for k, f in enumerate(g.get("factors") or []))
        out.append(Group(g["id"], weight, factors))
    if derived and len(derived[dims[0]]) != len(out):
        raise ParameterError(Bilingual("group_comparisons 的阶数应等于组数", "group_comparisons must be n × n for "
                                       "the n groups"), "group_comparisons")
    return tuple(out)


def ahp_step(label: dict[str, str], weights: Any, found: ahp.Priorities) -> dict[str, Any]:
    """The weights an AHP matrix gave, with its consistency, as a documented ``value`` step."""
    return {"step": "value", "label": label, "value": {"weights": weights, "λmax": round(found.lambda_max, 4),
                                                        "CI": round(found.ci, 4), "RI": found.ri,
                                                        "CR": round(found.cr, 4)}}


def band_steps(bands: Sequence[Band], value: float, ctx: ScoringContext, origin: Provenance) -> list[dict[str, Any]]:
    """One ``band`` step per grade above the lowest, as the built-in methods write them, then their source."""
    steps: list[dict[str, Any]] = [{"step": "band", "grade": ctx.grades[b.grade], "test": f"R ≥ {b.lower:g}",
                                    "result": value >= b.lower} for b in bands]
    steps.append({"step": "thresholds_provenance", "label": {"zh": "分档来源", "en": "Where the bands come from"},
                  "value": origin})
    return steps


def _ahp(matrix: list[list[float]], params: Mapping[str, Any], where: tuple[Any, ...]) -> ahp.Priorities:
    table = params.get("random_index") or ahp.SAATY_RANDOM_INDEX
    try:
        found = ahp.priorities(matrix, table)
    except ValueError as exc:
        raise ParameterError(Bilingual(f"判断矩阵无效：{exc}", f"invalid comparison matrix: {exc}"), where) from None
    limit = float(params.get("max_cr", ahp.SAATY_LIMIT))
    if found.cr > limit and not params.get("allow_inconsistent"):
        raise ParameterError(Bilingual(
            f"判断矩阵一致性比率 CR = {found.cr:.3f}，超过 {limit}：专家判断前后矛盾，"
            "请修正矩阵（或声明 allow_inconsistent: true）",
            f"consistency ratio CR = {found.cr:.3f} is above {limit}: the judgements contradict each other; revise "
            "the matrix (or declare allow_inconsistent: true)"), where)
    return found


@dataclass
class PreparedAhpIndex:
    ctx: ScoringContext
    weight_of: dict[int, float]
    bands: tuple[Band, ...]
    origin: Provenance
    ahp_step: dict[str, Any]

    def grade(self, factors: Sequence[ScoredFactor]) -> int:
        return grade_of(self.bands, self._value(factors))

    def _value(self, factors: Sequence[ScoredFactor]) -> float:
        return sum(self.weight_of.get(f.index, 0.0) * f.probability * f.impact / 25 for f in factors)

    def derive(self, factors: Sequence[ScoredFactor]) -> Derivation:
        value = self._value(factors)
        grade = grade_of(self.bands, value)
        terms = [{"factor": self.ctx.factor_ids[f.index], "weight": round(self.weight_of[f.index], 4),
                  "p": f.probability, "i": f.impact} for f in factors if f.index in self.weight_of]
        return Derivation("ahp_index", self.ctx.grades[grade], [
            self.ahp_step,
            {"step": "terms", "label": {"zh": "各因素 w·P·I", "en": "w·P·I per applicable factor"}, "value": terms},
            {"step": "index", "label": {"zh": "综合风险指数", "en": "Risk index"}, "formula": "R = Σ w·P·I / 25",
             "value": round(value, 4)},
            *band_steps(self.bands, value, self.ctx, self.origin),
        ])


class AhpIndex:
    """``ahp_index``: the factors compared pairwise (AHP weights), R = Σ w·P·I/25 over those that apply."""

    name = "ahp_index"
    title = Label("层次分析法综合指数", "AHP-weighted risk index")

    def prepare(self, params: Mapping[str, Any], context: ScoringContext) -> PreparedAhpIndex:
        only(params, {"factors", "comparisons", "bands", "max_cr", "allow_inconsistent", "random_index", "status",
                      "source", "documents"})
        ids = params.get("factors")
        if not isinstance(ids, list) or not ids:
            raise ParameterError(Bilingual("factors 应列出参与比较的风险因素编号", "factors: list the factor ids "
                                           "compared"), "factors")
        for k, fid in enumerate(ids):
            if fid not in context.factor_ids:
                raise ParameterError(Bilingual(f"未知风险因素 {fid!r}", f"unknown factor {fid!r}"), ("factors", k))
        found = _ahp(judgement_matrix(params.get("comparisons"), ("comparisons",)), params, ("comparisons",))
        if len(found.weights) != len(ids):
            raise ParameterError(Bilingual("comparisons 的阶数应等于 factors 的个数",
                                           "comparisons must be n × n for the n factors"), "comparisons")
        step = ahp_step({"zh": "因素权重（层次分析法）", "en": "factor weights (AHP)"},
                        dict(zip(ids, (round(w, 4) for w in found.weights), strict=True)), found)
        weight_of = {context.factor_ids.index(fid): w for fid, w in zip(ids, found.weights, strict=True)}
        return PreparedAhpIndex(context, weight_of, bands(params, context), provenance(params), step)
