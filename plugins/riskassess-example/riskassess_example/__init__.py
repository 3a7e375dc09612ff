"""An example riskassess plugin, as a department would write one.

It contributes, through the same hooks the built-ins use:

* an operator ``pct_gte`` — "at least N percent", for rule authors who think in percentages;
* a scoring method ``worst_category`` — the grade from the worst category's highest factor level,
  with a per-category grade table in the parameters;
* a rule set ``example-municipal`` (a local pack building on the standard questionnaire),
  with one extension field of its own, ``extensions.example.street_committee_consulted``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskassess import Derivation, FactType, Label, Operator, ParameterError, ScoredFactor, ScoringContext, hookimpl

__version__ = "0.1.0"


def _check_pct(ftype: FactType, operand: Any) -> str | None:
    if ftype.kind != "number" or ftype.maximum != 1:
        return "pct_gte compares a 0–1 share field"
    if isinstance(operand, bool) or not isinstance(operand, (int, float)) or not 0 <= operand <= 100:
        return "expected a percentage from 0 to 100"
    return None


@hookimpl
def riskassess_register_operators(register: Callable[[Operator], None]) -> None:
    register(Operator("pct_gte", Label("百分比不低于", "is at least (percent)"),
                      lambda share, pct: share * 100 >= pct, _check_pct))


@dataclass
class _Prepared:
    ctx: ScoringContext
    table: tuple[int, ...]

    def grade(self, factors: Sequence[ScoredFactor]) -> int:
        return max((self.table[f.level] for f in factors), default=0)

    def derive(self, factors: Sequence[ScoredFactor]) -> Derivation:
        worst = max(factors, key=lambda f: f.level, default=None)
        grade = self.grade(factors)
        return Derivation("worst_category", self.ctx.grades[grade], [
            {"step": "worst_factor", "label": {"zh": "最高程度因素", "en": "Factor at the highest level"},
             "value": self.ctx.factor_ids[worst.index] if worst else None},
            {"step": "grade", "value": self.ctx.grades[grade]},
        ])


class WorstCategory:
    name = "worst_category"
    title = Label("最高因素程度定级（示例）", "Grade from the worst factor (example)")

    def prepare(self, params: Mapping[str, Any], context: ScoringContext) -> _Prepared:
        table = params.get("grade_by_level")
        if not isinstance(table, Mapping) or set(table) != set(context.levels):
            raise ParameterError("grade_by_level must map every level to a grade", "grade_by_level")
        for level, grade in table.items():
            if grade not in context.grades:
                raise ParameterError(f"unknown grade {grade!r}", f"grade_by_level.{level}")
        return _Prepared(context, tuple(context.grades.index(table[lv]) for lv in context.levels))


@hookimpl
def riskassess_register_scoring_methods(register: Callable[[Any], None]) -> None:
    register(WorstCategory())


@hookimpl
def riskassess_register_rule_sets(register: Callable[[Path], None]) -> None:
    register(Path(__file__).parent / "rules")


@hookimpl
def riskassess_register_questionnaire_fields(register: Callable[[str, Mapping[str, Any]], None]) -> None:
    register("example", {
        "street_committee_consulted": {
            "type": "boolean",
            "title": {"zh": "已征求街道居委会意见", "en": "Street committee consulted"},
            "description": {"zh": "是否已正式征求所在街道居委会意见。",
                            "en": "Whether the street committee was formally consulted."},
        },
    })
