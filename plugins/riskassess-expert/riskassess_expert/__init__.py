"""riskassess-expert: scoring from expert judgement — AHP weights and fuzzy comprehensive evaluation.

The two methods 428's annex 1 suggests for the grade's quantitative side ("expert scoring with
explicit weights"), as a separately installed plugin:

* ``fuzzy`` — 模糊综合评价: one project's expert membership vectors (answered in the questionnaire
  under ``extensions.expert``) weighted up a factor → group hierarchy given in the rule pack, with
  the group weights given or derived by AHP; both the weighted-average and maximum-membership
  readings; warnings when weights or memberships do not add up to 1.
* ``ahp_index`` — the factors compared pairwise (层次分析法), weights from the principal eigenvector,
  refused when the consistency ratio is above 0.1 unless the pack allows it.

And a rule pack reproducing a published fuzzy evaluation (``expert-fce-2019``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from riskassess import hookimpl

from .methods import AhpIndex, FuzzyEvaluation


def _vector(zh: str, en: str) -> dict[str, Any]:
    return {"type": "array", "title": {"zh": zh, "en": en},
            "description": {"zh": f"{zh}：每个评语等级一个数（认为属于该等级的专家比例，从最低等级起），合计应为 1。",
                            "en": f"{en}: one number per grade (the share of experts who put it there, lowest "
                                  "grade first), adding up to 1."},
            "items": {"type": "number", "minimum": 0, "maximum": 1, "title": {"zh": "隶属度", "en": "Membership"},
                      "description": {"zh": "0 到 1 之间的比例。", "en": "A share from 0 to 1."}}}


def _memberships(zh: str, en: str) -> dict[str, Any]:
    return {
        "type": "array", "title": {"zh": zh, "en": en},
        "description": {"zh": f"{zh}：每个风险因素（或整组）一项，按编号给出各维度的隶属度向量。",
                        "en": f"{en}: one entry per factor (or whole group), by id, with a membership vector "
                              "per dimension."},
        "items": {"type": "object", "title": {"zh": "隶属度", "en": "Memberships"},
                  "description": {"zh": "一个因素或一组的专家隶属度。", "en": "The experts' memberships of one item."},
                  "required": ["id"],
                  "fields": {"id": {"type": "string", "title": {"zh": "因素或组编号", "en": "Factor or group id"},
                                    "description": {"zh": "规则包层级中的编号，如 d11 或 c4。",
                                                    "en": "The id in the rule pack's hierarchy, e.g. d11 or c4."}},
                             "probability": _vector("发生概率隶属度", "Probability memberships"),
                             "impact": _vector("影响程度隶属度", "Impact memberships")}},
    }


@hookimpl
def riskassess_register_questionnaire_fields(register: Callable[[str, Mapping[str, Any]], None]) -> None:
    register("expert", {
        "experts": {"type": "integer", "minimum": 1, "title": {"zh": "评分专家人数", "en": "Experts who scored"},
                    "description": {"zh": "参与打分的专家人数（报告中说明）。", "en": "How many experts scored "
                                    "(stated in the report)."}},
        "memberships": _memberships("专家隶属度（措施前）", "Expert memberships (before measures)"),
        "memberships_after_measures": _memberships("专家隶属度（措施后）", "Expert memberships (after measures)"),
    })


@hookimpl
def riskassess_register_scoring_methods(register: Callable[[Any], None]) -> None:
    register(FuzzyEvaluation())
    register(AhpIndex())


@hookimpl
def riskassess_register_rule_sets(register: Callable[[Path], None]) -> None:
    register(Path(__file__).parent / "rules")
