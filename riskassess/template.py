"""``riskassess init``: a commented questionnaire template generated from the field catalogue.

Every field is present with ``~`` (unknown) and a comment giving its title,
unit, allowed values and what to enter, in the chosen language; the few
required project fields get placeholders so the template validates as is.
"""

from __future__ import annotations

import textwrap

from .questionnaire import FieldCatalogue, FieldSpec

#: Written beside the template by ``riskassess init``; the template's first line points editors at it.
SCHEMA_FILE = "questionnaire.schema.json"

_PLACEHOLDERS = {("project", "id"): '"PROJECT-ID"', ("project", "name"): '"项目名称 / project name"',
                 ("project", "type"): "other", ("project", "channel"): "ndrc_2492",
                 ("project", "location", "province"): '"省份 / province"'}


def questionnaire_template(catalogue: FieldCatalogue, lang: str = "zh") -> str:
    intro = {
        "zh": ["社会稳定风险评估问卷（riskassess）。只填知道的：",
               "未知的答案保留 ~ ，评估会列为“未知”，给出等级区间和应先回答的问题；已知为零请填 0 或 false。",
               "只知道大概的数：{at_least: 1000}（至少）、{at_most: 50}（至多）、{between: [2000, 3000]}（介于）。",
               "整节不适用可写一行：land: not_applicable（不征地拆迁）、labor: not_applicable、"
               "environment: not_applicable（无工程建设）。",
               "比例一律填 0 到 1 之间的小数。检查：riskassess validate 本文件 --lang zh"],
        "en": ["Social stability risk assessment questionnaire (riskassess). Answer what you know:",
               "leave an unknown answer as ~: the assessment lists it, gives the grade's range and the questions",
               "to answer first; enter a known zero as 0 or false. A rough figure: {at_least: 1000}, {at_most: 50},",
               "{between: [2000, 3000]}. A whole section that does not apply, in one line: land: not_applicable,",
               "labor: not_applicable, environment: not_applicable (no works at all).",
               "Shares are fractions from 0 to 1. Check: riskassess validate FILE"],
    }[lang]
    lines = [f"# yaml-language-server: $schema={SCHEMA_FILE}"]
    lines += [f"# {x}" for x in intro] + ["format_version: 1", ""]

    def emit(spec: FieldSpec, path: tuple[str, ...], indent: int) -> None:
        pad = "  " * indent
        title = spec.title[lang]
        unit = f" [{spec.unit[lang]}]" if spec.unit else ""
        lines.append(f"{pad}# {title}{unit}")
        for chunk in textwrap.wrap(spec.description[lang], 96 - len(pad)):
            lines.append(f"{pad}#   {chunk}")
        enum = spec.items.enum if spec.kind == "array" and spec.items else spec.enum
        titles = spec.items.enum_titles if spec.kind == "array" and spec.items else spec.enum_titles
        if enum:
            opts = ", ".join(f"{v} ({titles[v][lang]})" for v in enum)
            for chunk in textwrap.wrap(opts, 96 - len(pad)):
                lines.append(f"{pad}#   → {chunk}")
        if spec.kind == "object":
            lines.append(f"{pad}{path[-1]}:")
            for name, child in spec.fields.items():
                emit(child, (*path, name), indent + 1)
        else:
            lines.append(f"{pad}{path[-1]}: {_PLACEHOLDERS.get(path, '~')}")

    for name, section in catalogue.sections.items():
        lines.append(f"# ===== {section.title[lang]} =====")
        emit(section, (name,), 0)
        lines.append("")
    if catalogue.extensions:
        lines.append("# ===== " + ("插件扩展字段" if lang == "zh" else "Plugin extension fields") + " =====")
        lines.append("extensions:")
        for name, section in catalogue.extensions.items():
            emit(section, ("extensions", name), 1)
        lines.append("")
    lines += {
        "zh": ["# 风险防范化解措施：每项说明针对的因素（riskassess rules show 查看编号）、",
               "# 责任主体、时限、状态和预期效果。",
               "# 仅 committed / in_progress / completed 状态计入措施后等级。"],
        "en": ["# Mitigation measures: each names the factors it addresses (see `riskassess rules show`), the",
               "# responsible body, deadline, status and expected effect. Only committed / in_progress / completed",
               "# measures count towards the post-measure grade."],
    }[lang]
    lines += ["measures: []", "# - id: M1", "#   addresses: [cn.land.compensation_below_standard]",
              "#   description: 按区片综合地价足额补偿 / pay compensation at the zone price",
              "#   responsible: 区人民政府 / district government", "#   deadline: 2026-12-31",
              "#   status: committed", "#   effect: {probability: -1, impact: 0}", ""]
    lines += {"zh": ["# 证据来源：答案路径 → 来源文件、方法（measured/surveyed/expert_judged/assumed）。"],
              "en": ["# Evidence: answer path → source document and method (measured/surveyed/expert_judged/assumed)."]
              }[lang]
    lines += ["evidence: {}",
              "#   land.households_relocated: {document: 入户调查表, method: surveyed, date: 2026-05-01}",
              ""]
    return "\n".join(lines)
