"""Built-in scoring methods: ``matrix``, ``index`` and ``count``.

All arithmetic is exact: weights, scale values and thresholds are read as
decimals into fractions when the rule set loads, so a composite index of exactly
0.36 is exactly 0.36 and which side of a band it falls on is the rule set's
declared choice, not a float rounding accident.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..hookspecs import (
    PROVENANCE_STATUSES,
    Derivation,
    Label,
    ParameterError,
    PreparedScoring,
    ScoredFactor,
    ScoringContext,
    ScoringMethod,
    hookimpl,
)
from ..i18n import tr

THRESHOLD_STATUSES = PROVENANCE_STATUSES


def _fraction(value: Any, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParameterError(tr("expected a number, got {value!r}", value=value), where)
    return Fraction(str(value))  # str() keeps the decimal the author wrote: 0.36, not 0.35999…


def _grade_index(ctx: ScoringContext, grade: Any, where: str) -> int:
    if grade not in ctx.grades:
        raise ParameterError(
            tr("unknown grade {grade!r}; the rule set's grades are {grades}", grade=grade, grades=ctx.grades),
                      where)
    return ctx.grades.index(grade)


def _level_index(ctx: ScoringContext, level: Any, where: str) -> int:
    if level not in ctx.levels:
        raise ParameterError(
            tr("unknown level {level!r}; the matrix levels are {levels}", level=level, levels=ctx.levels),
                      where)
    return ctx.levels.index(level)


def _provenance(params: Mapping[str, Any], where: str) -> dict[str, Any]:
    status = params.get("status")
    if status not in THRESHOLD_STATUSES:
        raise ParameterError(tr("status must be one of {statuses} (is this law, or convention?), got {status!r}",
                         statuses=THRESHOLD_STATUSES, status=status), f"{where}.status" if where else "status")
    source = params.get("source")
    if not isinstance(source, Mapping) or not source.get("zh") or not source.get("en"):
        raise ParameterError(tr("source needs zh and en text naming where the numbers come from"),
                      f"{where}.source" if where else "source")
    out: dict[str, Any] = {"status": status, "source": {"zh": source["zh"], "en": source["en"]}}
    if params.get("documents"):
        out["documents"] = list(params["documents"])
    return out


def _only(params: Mapping[str, Any], allowed: set[str], where: str = "") -> None:
    extra = set(params) - allowed
    if extra:
        raise ParameterError(tr("unknown parameter(s) {names!r}; allowed: {allowed!r}", names=sorted(extra),
                         allowed=sorted(allowed)), where or None)


def _display(value: Fraction) -> str:
    """A fraction as a short decimal (exact when it terminates within 6 places)."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text if Fraction(text) == value else f"{text}…"


# ------------------------------------------------------------------------------ matrix


@dataclass
class _PreparedMatrix:
    ctx: ScoringContext
    grade_of_level: tuple[int, ...]

    def grade(self, factors: Sequence[ScoredFactor]) -> int:
        best = 0
        table = self.grade_of_level
        for f in factors:
            g = table[f.level]
            if g > best:
                best = g
        return best

    def derive(self, factors: Sequence[ScoredFactor]) -> Derivation:
        ctx = self.ctx
        steps: list[dict[str, Any]] = [{
            "step": "grade_of_level",
            "label": {"zh": "因素风险程度对应的等级", "en": "Grade implied by each factor level"},
            "value": {ctx.levels[i]: ctx.grades[g] for i, g in enumerate(self.grade_of_level)},
        }]
        best, why = 0, None
        for f in factors:
            g = self.grade_of_level[f.level]
            if g > best:
                best, why = g, ctx.factor_ids[f.index]
        steps.append({"step": "highest", "label": {"zh": "取最高", "en": "Highest over applicable factors"},
                      "value": ctx.grades[best], "factor": why})
        return Derivation("matrix", ctx.grades[best], steps)


class MatrixMethod:
    name = "matrix"
    title = Label("风险矩阵（按最高因素程度定级）", "Risk matrix (grade from the highest factor level)")

    def prepare(self, params: Mapping[str, Any], context: ScoringContext) -> PreparedScoring:
        _only(params, {"grade_by_level", "status", "source", "documents"})
        mapping = params.get("grade_by_level")
        if not isinstance(mapping, Mapping) or set(mapping) != set(context.levels):
            raise ParameterError(tr("grade_by_level must map every level ({levels}) to a grade", levels=context.levels),
                          "grade_by_level")
        _provenance(params, "")
        table = tuple(_grade_index(context, mapping[lv], f"grade_by_level.{lv}") for lv in context.levels)
        if any(b < a for a, b in itertools.pairwise(table)):
            raise ParameterError(tr("a higher factor level may not map to a lower grade"), "grade_by_level")
        return _PreparedMatrix(context, table)


# ------------------------------------------------------------------------------- index


@dataclass
class _Band:
    """A grade that applies from ``bound`` on: upwards (``value ≥/> bound``) or, when ``falling``, downwards."""

    grade: int
    bound: Fraction
    inclusive: bool
    falling: bool = False

    def hit(self, value: Fraction) -> bool:
        if self.falling:
            return value <= self.bound if self.inclusive else value < self.bound
        return value >= self.bound if self.inclusive else value > self.bound

    def test(self, symbol: str) -> str:
        sign = ("≤" if self.inclusive else "<") if self.falling else ("≥" if self.inclusive else ">")
        return f"{symbol} {sign} {_display(self.bound)}"


def _parse_bands(raw_bands: Any, context: ScoringContext, key: str, falling: bool, symbol: str) -> tuple[_Band, ...]:
    """Bands from lower to higher risk, each with its inclusivity stated; none may be empty."""
    if not isinstance(raw_bands, list) or not raw_bands:
        raise ParameterError(
            tr("bands must list, lowest risk first, {{grade, {key}, inclusive}} for every grade above the "
                         "lowest", key=key), "bands")
    bands = []
    for i, raw in enumerate(raw_bands):
        where = f"bands[{i}]"
        if not isinstance(raw, Mapping):
            raise ParameterError(tr("expected {{grade, {key}, inclusive}}", key=key), where)
        _only(raw, {"grade", key, "inclusive"}, where)
        if not isinstance(raw.get("inclusive"), bool):
            raise ParameterError(tr("inclusive must be stated: true means {symbol} = {key} is already this grade",
                             symbol=symbol, key=key), f"{where}.inclusive")
        bands.append(_Band(_grade_index(context, raw.get("grade"), f"{where}.grade"),
                           _fraction(raw.get(key), f"{where}.{key}"), raw["inclusive"], falling))
    for k, (a, b) in enumerate(itertools.pairwise(bands)):
        ordered = b.bound <= a.bound if falling else b.bound >= a.bound
        if not (b.grade > a.grade and ordered):
            raise ParameterError(
                tr("bands must list grades from lower to higher risk, with their bounds in that order"),
                          f"bands[{k + 1}]")
        if b.bound == a.bound and not (a.inclusive and not b.inclusive):
            raise ParameterError(tr("the {lower} band is empty: {higher} starts at the same point ({bound})",
                             lower=context.grades[a.grade], higher=context.grades[b.grade], bound=_display(b.bound)),
                          f"bands[{k + 1}]")
    return tuple(bands)


@dataclass
class _PreparedIndex:
    ctx: ScoringContext
    weights: tuple[Fraction, ...]
    pvals: tuple[Fraction, ...]
    ivals: tuple[Fraction, ...]
    normalize: str
    bands: tuple[_Band, ...]
    provenance: dict[str, Any]
    # Integer forms for the hot path: R = sum(num) / (den * sum(wnum)) when normalised, else sum(num) / den.
    num: tuple[tuple[int, ...], ...]
    wnum: tuple[int, ...]
    den: int
    wden: int
    wall: int
    reference: Fraction = Fraction(1)
    """``normalize: reference``: R = Σ w·P·I / reference — monotone, and reached by real projects."""

    @property
    def monotone(self) -> bool:
        """A mean over the applicable factors can fall when a factor is added; the other forms cannot."""
        return self.normalize != "matched"

    def grade(self, factors: Sequence[ScoredFactor]) -> int:
        total = 0
        wsum = 0
        num, wnum = self.num, self.wnum
        for f in factors:
            total += num[f.index][f.probability * 5 + f.impact - 6]
            wsum += wnum[f.index]
        if self.normalize == "matched":
            if not wsum:
                return 0
            # R = total*wden / (den*wsum), compared with bound a/b without division
            lhs, rhs_scale = total * self.wden, self.den * wsum
        elif self.normalize == "reference":
            lhs, rhs_scale = total * self.reference.denominator, self.den * self.reference.numerator
        elif self.normalize == "all":
            lhs, rhs_scale = total * self.wden, self.den * self.wall
        else:
            lhs, rhs_scale = total, self.den
        grade = 0
        for band in self.bands:
            a, b = band.bound.numerator, band.bound.denominator
            if (lhs * b >= a * rhs_scale) if band.inclusive else (lhs * b > a * rhs_scale):
                grade = band.grade
        return grade

    def value(self, factors: Sequence[ScoredFactor]) -> Fraction:
        total = sum((self.weights[f.index] * self.pvals[f.probability - 1] * self.ivals[f.impact - 1]
                     for f in factors), Fraction(0))
        if self.normalize == "matched":
            wsum = sum((self.weights[f.index] for f in factors), Fraction(0))
            return total / wsum if wsum else Fraction(0)
        if self.normalize == "all":
            return total / sum(self.weights, Fraction(0))
        if self.normalize == "reference":
            return total / self.reference
        return total

    def derive(self, factors: Sequence[ScoredFactor]) -> Derivation:
        ctx = self.ctx
        rows = []
        for f in factors:
            w, p, i = self.weights[f.index], self.pvals[f.probability - 1], self.ivals[f.impact - 1]
            rows.append({"factor": ctx.factor_ids[f.index], "w": _display(w), "P": _display(p), "I": _display(i),
                         "w*P*I": _display(w * p * i)})
        r = self.value(factors)
        steps: list[dict[str, Any]] = [
            {"step": "terms", "label": {"zh": "各因素 w·P·I", "en": "w·P·I per applicable factor"}, "value": rows},
        ]
        if self.normalize == "matched":
            wsum = sum((self.weights[f.index] for f in factors), Fraction(0))
            steps.append({"step": "weight_sum", "label": {"zh": "适用因素权重之和", "en": "Sum of applicable weights"},
                          "value": _display(wsum)})
            formula = "R = Σ w·P·I / Σ w (applicable factors)"
        elif self.normalize == "all":
            steps.append({"step": "weight_sum", "label": {"zh": "全部因素权重之和", "en": "Sum of all factor weights"},
                          "value": _display(sum(self.weights, Fraction(0)))})
            formula = "R = Σ w·P·I / Σ w (all factors)"
        elif self.normalize == "reference":
            label = {"zh": "参照权重（典型项目主要因素权重之和）",
                     "en": "Reference weight (a typical project's main factors)"}
            steps.append({"step": "reference_weight", "label": label, "value": _display(self.reference)})
            formula = "R = Σ w·P·I / W_ref"
        else:
            formula = "R = Σ w·P·I"
        steps.append({"step": "index", "label": {"zh": "综合风险指数", "en": "Composite risk index"},
                      "formula": formula, "value": _display(r), "exact": str(r)})
        grade = 0
        for band in self.bands:
            hit = band.hit(r)
            steps.append({"step": "band", "grade": ctx.grades[band.grade], "test": band.test("R"), "result": hit})
            if hit:
                grade = band.grade
        steps.append({"step": "thresholds_provenance", "label": {"zh": "阈值来源", "en": "Where the bands come from"},
                      "value": self.provenance})
        assert grade == self.grade(factors), "index derive() and grade() disagree"
        return Derivation("index", ctx.grades[grade], steps)


class IndexMethod:
    name = "index"
    title = Label("综合风险指数法", "Composite risk index (R = Σ w·P·I)")

    def prepare(self, params: Mapping[str, Any], context: ScoringContext) -> PreparedScoring:
        _only(params, {"scale", "weights", "normalize", "reference_weight", "bands", "status", "source",
                       "documents"})
        scale = params.get("scale")
        if not isinstance(scale, Mapping):
            raise ParameterError(tr("scale needs probability and impact: the value of levels 1 to 5"), "scale")
        _only(scale, {"probability", "impact"}, "scale")
        vals = {}
        for key in ("probability", "impact"):
            raw = scale.get(key)
            if not isinstance(raw, list) or len(raw) != 5:
                raise ParameterError(tr("expected 5 values, for levels 1 to 5"), f"scale.{key}")
            vals[key] = tuple(_fraction(v, f"scale.{key}[{i}]") for i, v in enumerate(raw))
            if any(b <= a for a, b in zip(vals[key], vals[key][1:], strict=False)):
                raise ParameterError(tr("values must increase with the level"), f"scale.{key}")
        mode = params.get("weights", "factor")
        if mode == "factor":
            missing = [fid for fid, w in zip(context.factor_ids, context.factor_weights, strict=True) if w is None]
            if missing:
                raise ParameterError(
                    tr("weights: factor needs a weight on every factor; missing on {factor} and {count} more",
                                 factor=missing[0], count=len(missing) - 1) if len(missing) > 1 else
                              tr("weights: factor needs a weight on every factor; missing on {factor}",
                                 factor=missing[0]), "weights")
            weights = tuple(_fraction(w, "weight") for w in context.factor_weights)
        elif mode == "equal":
            weights = tuple(Fraction(1) for _ in context.factor_ids)
        else:
            raise ParameterError(tr("weights must be 'factor' or 'equal', got {mode!r}", mode=mode), "weights")
        normalize = params.get("normalize", "none")
        if normalize not in ("none", "matched", "all", "reference"):
            raise ParameterError(tr("normalize must be 'none', 'all', 'matched' or 'reference', got {normalize!r}",
                             normalize=normalize), "normalize")
        reference = Fraction(1)
        if normalize == "reference":
            reference = _fraction(params.get("reference_weight"), "reference_weight")
            if reference <= 0:
                raise ParameterError(tr("reference_weight must be a positive number: the summed weight of a typical "
                                 "project's main factors"), "reference_weight")
        elif "reference_weight" in params:
            raise ParameterError(tr("reference_weight only applies with normalize: reference"), "reference_weight")
        if normalize == "none" and mode == "factor" and abs(sum(weights, Fraction(0)) - 1) > Fraction(5, 1000):
            raise ParameterError(tr("factor weights sum to {total}; with normalize: none they must sum to 1 (±0.005)",
                             total=_display(sum(weights, Fraction(0)))), "weights")
        bands = _parse_bands(params.get("bands"), context, "from", False, "R")
        provenance = _provenance(params, "")
        # exact integer forms, computed once per distinct weight (a pack has few): linear in the factors
        distinct = tuple(dict.fromkeys(weights))
        den = math.lcm(*(w.denominator * p.denominator * i.denominator
                         for w in distinct for p in vals["probability"] for i in vals["impact"]))
        row = {w: tuple(int(w * p * i * den) for p in vals["probability"] for i in vals["impact"]) for w in distinct}
        num = tuple(row[w] for w in weights)
        wden = math.lcm(*(w.denominator for w in distinct))
        wnum = tuple(int(w * wden) for w in weights)
        return _PreparedIndex(context, weights, vals["probability"], vals["impact"], normalize,
                              bands, provenance, num, wnum, den, wden, sum(wnum), reference)


# ------------------------------------------------------------------------------- count


@dataclass
class _CountRule:
    grade: int
    any_of: tuple[tuple[int, int], ...]  # (minimum level index, minimum count)


@dataclass
class _PreparedCount:
    ctx: ScoringContext
    rules: tuple[_CountRule, ...]
    otherwise: int
    provenance: dict[str, Any]

    def grade(self, factors: Sequence[ScoredFactor]) -> int:
        for rule in self.rules:
            for level, need in rule.any_of:
                n = 0
                for f in factors:
                    if f.level >= level:
                        n += 1
                if n >= need:
                    return rule.grade
        return self.otherwise

    def derive(self, factors: Sequence[ScoredFactor]) -> Derivation:
        ctx = self.ctx
        counts = {lv: sum(1 for f in factors if f.level == i) for i, lv in enumerate(ctx.levels)}
        steps: list[dict[str, Any]] = [{"step": "counts", "label": {"zh": "各风险程度的因素数",
                                                                   "en": "Applicable factors per level"},
                                        "value": counts}]
        result = None
        for rule in self.rules:
            for level, need in rule.any_of:
                n = sum(1 for f in factors if f.level >= level)
                hit = n >= need
                steps.append({"step": "rule", "grade": ctx.grades[rule.grade],
                              "test": f"count(level ≥ {ctx.levels[level]}) = {n} ≥ {need}", "result": hit})
                if hit and result is None:
                    result = rule.grade
            if result is not None:
                break
        grade = self.otherwise if result is None else result
        steps.append({"step": "thresholds_provenance", "label": {"zh": "规则来源", "en": "Where the rules come from"},
                      "value": self.provenance})
        return Derivation("count", ctx.grades[grade], steps)


class CountMethod:
    name = "count"
    title = Label("单因素计数法", "Count rule (first match over counts of factor levels)")

    def prepare(self, params: Mapping[str, Any], context: ScoringContext) -> PreparedScoring:
        _only(params, {"rules", "otherwise", "status", "source", "documents"})
        raw_rules = params.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            raise ParameterError(tr("rules must be a non-empty list of {{grade, any_of}}"), "rules")
        rules = []
        for i, raw in enumerate(raw_rules):
            where = f"rules[{i}]"
            if not isinstance(raw, Mapping):
                raise ParameterError(tr("expected {{grade, any_of}}"), where)
            _only(raw, {"grade", "any_of"}, where)
            conds = raw.get("any_of")
            if not isinstance(conds, list) or not conds:
                raise ParameterError(tr("any_of must list {{level_at_least, count_at_least}}"), f"{where}.any_of")
            parsed = []
            for j, c in enumerate(conds):
                cw = f"{where}.any_of[{j}]"
                if not isinstance(c, Mapping):
                    raise ParameterError(tr("expected {{level_at_least, count_at_least}}"), cw)
                _only(c, {"level_at_least", "count_at_least"}, cw)
                n = c.get("count_at_least")
                if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                    raise ParameterError(tr("count_at_least must be a whole number ≥ 1"), f"{cw}.count_at_least")
                parsed.append((_level_index(context, c.get("level_at_least"), f"{cw}.level_at_least"), n))
            rules.append(_CountRule(_grade_index(context, raw.get("grade"), f"{where}.grade"), tuple(parsed)))
        otherwise = _grade_index(context, params.get("otherwise", context.grades[0]), "otherwise")
        return _PreparedCount(context, tuple(rules), otherwise, _provenance(params, ""))


# ------------------------------------------------------------------------------ points


@dataclass
class _PreparedPoints:
    ctx: ScoringContext
    direction: str
    items: dict[int, tuple[Fraction, str | None]]  # factor index → (max, dimension)
    dimensions: dict[str, Fraction]
    total: Fraction
    bands: tuple[_Band, ...]
    provenance: dict[str, Any]

    def score(self, factors: Sequence[ScoredFactor]) -> Fraction:
        items = self.items
        return sum((f.points for f in factors if f.index in items and f.points is not None), Fraction(0))

    def _grade_of(self, w: Fraction) -> int:
        grade = 0
        for band in self.bands:
            if band.hit(w):
                grade = band.grade
        return grade

    def grade(self, factors: Sequence[ScoredFactor]) -> int:
        return self._grade_of(self.score(factors))

    def derive(self, factors: Sequence[ScoredFactor]) -> Derivation:
        ctx = self.ctx
        by_index = {f.index: f for f in factors}
        rows = []
        subtotals: dict[str, Fraction] = {}
        for index, (maximum, dimension) in self.items.items():
            f = by_index.get(index)
            pts = f.points if f is not None and f.points is not None else Fraction(0)
            rows.append({"item": ctx.factor_ids[index], "dimension": dimension, "max": _display(maximum),
                         "points": _display(pts), "applies": f is not None})
            if dimension is not None:
                subtotals[dimension] = subtotals.get(dimension, Fraction(0)) + pts
        w = self.score(factors)
        word = _POINT_WORDS[self.direction]
        steps: list[dict[str, Any]] = [
            {"step": "items", "label": {"zh": "各测评项目", "en": "Items"}, "value": rows},
        ]
        if self.dimensions:
            steps.append({"step": "dimensions", "label": {"zh": "各维度小计", "en": "Dimension subtotals"},
                          "value": {d: f"{_display(subtotals.get(d, Fraction(0)))}/{_display(m)}"
                                    for d, m in self.dimensions.items()}})
        steps.append({"step": "total", "label": {"zh": f"总{word[0]}", "en": f"Total {word[1]}"},
                      "formula": "W = Σ item points", "value": _display(w), "exact": str(w),
                      "of": _display(self.total)})
        for band in self.bands:
            steps.append({"step": "band", "grade": ctx.grades[band.grade], "test": band.test("W"),
                          "result": band.hit(w)})
        steps.append({"step": "thresholds_provenance", "label": {"zh": "阈值来源", "en": "Where the bands come from"},
                      "value": self.provenance})
        return Derivation("points", ctx.grades[self._grade_of(w)], steps)


_POINT_WORDS = {"risk_points": ("风险分", "risk points"), "achieved_points": ("得分", "achieved points")}


class PointsMethod:
    name = "points"
    title = Label("量化计分表法", "Point table (items with maxima, banded total)")

    def prepare(self, params: Mapping[str, Any], context: ScoringContext) -> PreparedScoring:
        _only(params, {"direction", "items", "dimensions", "total", "bands", "status", "source", "documents"})
        direction = params.get("direction")
        if direction not in ("risk_points", "achieved_points"):
            raise ParameterError(tr("direction must be declared: risk_points (higher = riskier) or achieved_points "
                             "(higher = safer); got {direction!r}", direction=direction), "direction")
        raw_items = params.get("items")
        if not isinstance(raw_items, Mapping) or not raw_items:
            raise ParameterError(tr("items must map factor ids to {{max, dimension}}"), "items")
        dimensions = {}
        for name, raw in (params.get("dimensions") or {}).items():
            dimensions[name] = _fraction(raw, f"dimensions.{name}")
        items: dict[int, tuple[Fraction, str | None]] = {}
        for fid, raw in raw_items.items():
            where = f"items.{fid}"
            if fid not in context.factor_ids:
                raise ParameterError(tr("unknown factor {factor!r}", factor=fid), where)
            if not isinstance(raw, Mapping):
                raise ParameterError(tr("expected {{max, dimension}}"), where)
            _only(raw, {"max", "dimension"}, where)
            maximum = _fraction(raw.get("max"), f"{where}.max")
            dimension = raw.get("dimension")
            if dimensions and dimension not in dimensions:
                raise ParameterError(tr("dimension must be one of {dimensions}", dimensions=list(dimensions)),
                              f"{where}.dimension")
            index = context.factor_ids.index(fid)
            for k, pts in enumerate(context.case_points[index]):
                if pts is None:
                    raise ParameterError(tr("case {case} of {factor} gives no points", case=k + 1, factor=fid), where)
                if pts > maximum:
                    raise ParameterError(
                        tr("case {case} of {factor} gives {points} points, above the item's max of {max}",
                                     case=k + 1, factor=fid, points=_display(pts), max=_display(maximum)), where)
            items[index] = (maximum, dimension)
        for name, dmax in dimensions.items():
            got = sum((m for m, d in items.values() if d == name), Fraction(0))
            if got != dmax:
                raise ParameterError(
                    tr("items of dimension {dimension} add up to {total}, not {declared}", dimension=name,
                                 total=_display(got), declared=_display(dmax)), f"dimensions.{name}")
        total = sum((m for m, _ in items.values()), Fraction(0))
        if "total" in params and _fraction(params["total"], "total") != total:
            raise ParameterError(tr("item maxima add up to {total}, not the declared total {declared}",
                             total=_display(total), declared=_display(_fraction(params["total"], "total"))), "total")
        falling = direction == "achieved_points"
        bands = _parse_bands(params.get("bands"), context, "at_most" if falling else "from", falling, "W")
        return _PreparedPoints(context, direction, items, dimensions, total, bands, _provenance(params, ""))


METHODS: tuple[ScoringMethod, ...] = (MatrixMethod(), IndexMethod(), CountMethod(), PointsMethod())


@hookimpl
def riskassess_register_scoring_methods(register: Callable[[ScoringMethod], None]) -> None:
    for method in METHODS:
        register(method)
