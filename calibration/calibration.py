"""The calibration set: real and composite questionnaires with the grades an assessor would sign.

``python calibration/calibration.py`` prints the Markdown table in ``calibration/README.md``;
``tests/test_calibration.py`` checks every case and that the table there is current.

A case passes when the headline initial grade is one the assessor could defend (``accept``),
the grade the assessor would sign lies inside the range the engine reports, and a case expected
to be firm (a majority-opposition survey, a past incident of 200+ people) is firm.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import riskassess

HERE = Path(__file__).resolve().parent
_GRADE_ZH = {"low": "低", "medium": "中", "high": "高"}


@dataclass
class Row:
    case: str
    kind: str
    expected: dict[str, Any]
    why: dict[str, str]
    headline: str
    lowest: str
    highest: str
    post: str
    firm: bool
    questions: list[str]

    @property
    def passed(self) -> bool:
        grades = ("low", "medium", "high")
        inside = grades.index(self.lowest) <= grades.index(self.expected["grade"]) <= grades.index(self.highest)
        firm_ok = not self.expected.get("firm") or self.lowest == self.highest
        return self.headline in self.expected["accept"] and inside and firm_ok


def expectations() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted(HERE.glob("expected-*.yaml")):
        out += yaml.safe_load(path.read_text(encoding="utf-8"))
    return out


def grade_all(engine: riskassess.Engine | None = None) -> list[Row]:
    engine = engine or riskassess.Engine()
    rows = []
    for x in expectations():
        a = engine.evaluate(HERE / "cases" / f"{x['case']}.yaml", "cn-ndrc-2012")
        r = a.range_dict()["initial"]
        rows.append(Row(x["case"], x["kind"], x["expect"], x["why"], a.initial_grade, r["lowest"], r["highest"],
                        a.post_measure_grade, r["firm"], [q.fact for q in a.questions[:3]]))
    return rows


def markdown_table(rows: list[Row]) -> str:
    lines = ["| 案例 Case | 类型 Kind | 专家等级（可接受） Expected (accept) | 结果 Got | 区间 Range | 确定 Firm "
             "| 通过 Pass |", "|---|---|---|---|---|---|---|"]
    for row in rows:
        accept = "/".join(_GRADE_ZH[g] for g in row.expected["accept"])
        expected = f"{_GRADE_ZH[row.expected['grade']]} {row.expected['grade']} ({accept})"
        rng = _GRADE_ZH[row.lowest] if row.lowest == row.highest else \
            f"{_GRADE_ZH[row.lowest]}–{_GRADE_ZH[row.highest]}"
        firm = "确定 firm" if row.firm else "暂定 provisional"
        lines.append(f"| [`{row.case}`](cases/{row.case}.yaml) | {row.kind} | {expected} | "
                     f"{_GRADE_ZH[row.headline]} {row.headline} | {rng} | {firm} | {'✓' if row.passed else '✗'} |")
    passed = sum(r.passed for r in rows)
    lines.append("")
    lines.append(f"{passed} / {len(rows)} 通过 passed.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table(grade_all()))
