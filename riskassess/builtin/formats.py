"""Built-in output formats: ``json`` (the assessment record) and ``markdown`` (a report to file)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..hookspecs import Label, OutputFormat, hookimpl

if TYPE_CHECKING:
    from ..assessment import Assessment


def render_json(assessment: Assessment, lang: str) -> str:
    return json.dumps(assessment.record(), ensure_ascii=False, indent=2) + "\n"


def render_markdown(assessment: Assessment, lang: str) -> str:
    from ..report import markdown_report
    return markdown_report(assessment, lang)


@hookimpl
def riskassess_register_output_formats(register: Callable[[OutputFormat], None]) -> None:
    register(OutputFormat("json", Label("评估记录（JSON）", "Assessment record (JSON)"), ".json", render_json))
    register(OutputFormat("markdown", Label("评估报告（Markdown）", "Assessment report (Markdown)"), ".md",
                          render_markdown))
