"""The questionnaire's JSON Schema, generated from the field catalogue.

Two forms: the editor's (``riskassess schema questionnaire``, ``init``) also offers the shorthand an
owner may write — ``section: not_applicable`` and approximate numbers — while the one answers are
validated against has plain types only, since validation takes the shorthand apart first and each
error should then name one field.
"""

from __future__ import annotations

from typing import Any

from .questionnaire import (
    EVIDENCE_METHODS,
    FORMAT_VERSION,
    MEASURE_STATUSES,
    NOT_APPLICABLE,
    SCHEMA_ID,
    FieldCatalogue,
    FieldSpec,
)


def catalogue_schema(catalogue: FieldCatalogue, *, editor: bool) -> dict[str, Any]:
    """The JSON Schema of questionnaires under ``catalogue`` (``editor``: with the shorthand forms)."""
    props: dict[str, Any] = {
        "format_version": {"const": FORMAT_VERSION, "title": "问卷格式版本 · Questionnaire format version",
                           "description": "固定为 1。\nAlways 1."},
    }
    for name, spec in catalogue.sections.items():
        props[name] = _schema_of(spec, required_here=False, editor=editor)
        if spec.not_applicable is not None and editor:
            title = spec.not_applicable[0]
            section = props[name]
            props[name] = {key: section.pop(key) for key in ("title", "description", "x-title", "x-description")}
            props[name]["anyOf"] = [section, {"const": NOT_APPLICABLE, "title": f"{title.zh} · {title.en}"}]
    if catalogue.extensions:
        props["extensions"] = {
            "type": "object", "additionalProperties": False,
            "title": "扩展字段 · Extension fields",
            "description": "规则集或插件增加的字段。\nFields added by rule sets or plugins.",
            "properties": {ns: _schema_of(spec, required_here=False, editor=editor)
                           for ns, spec in catalogue.extensions.items()},
        }
    props["measures"] = _MEASURES_SCHEMA
    props["evidence"] = _EVIDENCE_SCHEMA
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "社会稳定风险评估问卷 · Social stability risk assessment questionnaire",
        "description": "riskassess 问卷。未填写或填写 ~ 的字段视为“未知”，并在评估结果中列出。\n"
                       "A riskassess questionnaire. Fields left out or written as ~ are unknown and are "
                       "listed in the assessment.",
        "type": "object",
        "required": ["format_version", *[n for n in ("project",) if n in catalogue.sections]],
        "additionalProperties": False,
        "properties": props,
    }


def _bilingual(spec: FieldSpec) -> dict[str, Any]:
    title = f"{spec.title.zh} · {spec.title.en}"
    out: dict[str, Any] = {"title": title, "description": f"{spec.description.zh}\n{spec.description.en}",
                           "x-title": spec.title.as_dict(), "x-description": spec.description.as_dict()}
    if spec.unit:
        out["x-unit"] = spec.unit.as_dict()
    if spec.examples:
        out["examples"] = list(spec.examples)
    return out


def _schema_of(spec: FieldSpec, *, required_here: bool, editor: bool = True) -> dict[str, Any]:
    nullable = not required_here
    out = _bilingual(spec)
    if spec.kind == "object":
        out["type"] = ["object", "null"] if nullable else "object"
        out["additionalProperties"] = False
        out["properties"] = {k: _schema_of(v, required_here=k in spec.required, editor=editor)
                             for k, v in spec.fields.items()}
        if spec.required:
            out["required"] = list(spec.required)
        return out
    if spec.kind == "array":
        out["type"] = ["array", "null"] if nullable else "array"
        if spec.items is not None:
            item = _schema_of(spec.items, required_here=True)
            for key in ("title", "description", "x-title", "x-description"):
                item.pop(key, None)
            out["items"] = item
        return out
    json_type = "string" if spec.kind == "date" else spec.kind
    if spec.kind in ("integer", "number") and nullable and editor:
        return _number_or_approximate(spec, out)
    out["type"] = [json_type, "null"] if nullable else json_type
    if spec.kind == "date":
        out["format"] = "date"
        out["pattern"] = r"^\d{4}-\d{2}-\d{2}$"
    if spec.enum is not None:
        out["enum"] = [*spec.enum, None] if nullable else list(spec.enum)
        out["enumDescriptions"] = [f"{spec.enum_titles[v].zh} · {spec.enum_titles[v].en}" for v in spec.enum]
    for key, schema_key in (("minimum", "minimum"), ("maximum", "maximum"), ("exclusive_minimum", "exclusiveMinimum")):
        value = getattr(spec, key)
        if value is not None:
            out[schema_key] = value
    return out


def _number_or_approximate(spec: FieldSpec, out: dict[str, Any]) -> dict[str, Any]:
    """A number, or an approximate one where the owner knows only roughly: at least, at most, between."""
    exact: dict[str, Any] = {"type": [spec.kind, "null"]}
    for key, schema_key in (("minimum", "minimum"), ("maximum", "maximum"), ("exclusive_minimum", "exclusiveMinimum")):
        value = getattr(spec, key)
        if value is not None:
            exact[schema_key] = value
    bound = {k: v for k, v in exact.items() if k != "type"} | {"type": spec.kind}
    approximate = {
        "type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
        "title": "约数 · Approximate value",
        "description": "只知道大概时：{at_least: 1000}（至少）、{at_most: 50}（至多）或 "
                       "{between: [2000, 3000]}（介于）。\n"
                       "When known only roughly: {at_least: 1000}, {at_most: 50} or {between: [2000, 3000]}.",
        "properties": {"at_least": bound, "at_most": bound,
                       "between": {"type": "array", "items": bound, "minItems": 2, "maxItems": 2}},
    }
    return {**out, "anyOf": [exact, approximate]}


_MEASURES_SCHEMA: dict[str, Any] = {
    "title": "风险防范化解措施 · Mitigation measures",
    "description": "每项措施针对一个或多个风险因素，说明责任主体、时限、状态和预期效果（降低概率和/或影响等级）。\n"
                   "Each measure addresses one or more risk factors and states the responsible body, "
                   "deadline, status and expected effect (levels by which it lowers probability and/or impact).",
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "addresses", "description", "status", "effect"],
        "properties": {
            "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                   "title": "措施编号 · Measure id", "description": "唯一编号。\nUnique identifier."},
            "addresses": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"},
                          "title": "针对的风险因素 · Factors addressed",
                          "description": "规则集中的风险因素编号。\nFactor ids from the rule set."},
            "description": {"type": "string", "minLength": 1, "title": "措施内容 · Description",
                            "description": "措施的具体内容。\nWhat exactly the measure does."},
            "responsible": {"type": "string", "title": "责任主体 · Responsible body",
                            "description": "负责落实的单位。\nThe body responsible for carrying it out."},
            "assisting": {"type": "array", "items": {"type": "string"}, "title": "协助单位 · Assisting units",
                          "description": "协助落实的单位。\nUnits that assist."},
            "deadline": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                         "title": "完成时限 · Deadline", "description": "YYYY-MM-DD。\nYYYY-MM-DD."},
            "status": {"enum": list(MEASURE_STATUSES), "title": "状态 · Status",
                       "description": "planned 计划中 / committed 已承诺 / in_progress 实施中 / completed 已完成 / "
                                      "cancelled 已取消。规则集决定哪些状态计入措施后等级。\n"
                                      "The rule set decides which statuses count towards the post-measure grade."},
            "effect": {
                "type": "object", "additionalProperties": False, "minProperties": 1,
                "title": "预期效果 · Expected effect",
                "description": "把所针对因素的概率、影响等级各降低几级（0 至 -4）。\n"
                               "How many levels the measure lowers probability and impact of the factors it "
                               "addresses (0 to -4).",
                "properties": {
                    "probability": {"type": "integer", "minimum": -4, "maximum": 0,
                                    "title": "概率等级变化 · Probability change", "description": "0 至 -4。\n0 to -4."},
                    "impact": {"type": "integer", "minimum": -4, "maximum": 0,
                               "title": "影响等级变化 · Impact change", "description": "0 至 -4。\n0 to -4."},
                    "points": {"type": "number", "maximum": 0,
                               "title": "分值变化 · Points change",
                               "description": "计分表方法中该项风险分的变化（≤ 0）。\n"
                                              "Change of the item's risk points in point-table methods (≤ 0)."},
                },
            },
        },
    },
}

_EVIDENCE_SCHEMA: dict[str, Any] = {
    "title": "证据来源 · Evidence",
    "description": "答案路径（如 land.households_relocated）到其来源的对应。\n"
                   "Map from an answer's path (e.g. land.households_relocated) to where it came from.",
    "type": "object",
    "propertyNames": {"pattern": r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)+$"},
    "additionalProperties": {
        "type": "object", "additionalProperties": False, "required": ["document", "method"],
        "properties": {
            "document": {"type": "string", "minLength": 1, "title": "文件 · Document",
                         "description": "来源文件名称或文号。\nSource document title or number."},
            "page": {"type": ["string", "integer"], "title": "页码 · Page", "description": "页码。\nPage."},
            "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                     "title": "日期 · Date", "description": "YYYY-MM-DD。\nYYYY-MM-DD."},
            "collector": {"type": "string", "title": "采集人 · Collector",
                          "description": "采集人。\nWho collected it."},
            "method": {"enum": list(EVIDENCE_METHODS), "title": "方法 · Method",
                       "description": "measured 实测 / surveyed 调查 / expert_judged 专家判断 / assumed 假定。\n"
                                      "How the value was obtained."},
            "note": {"type": "string", "title": "备注 · Note", "description": "备注。\nNote."},
        },
    },
}


# ------------------------------------------------------------------------- validation
