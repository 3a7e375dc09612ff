"""Built-in output formats: the record (JSON) and the filed report (Markdown, HTML, Word), each made
from the assessment record alone."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ..hookspecs import Label, OutputFormat, hookimpl


def render_json(record: Mapping[str, Any], lang: str) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def render_markdown(record: Mapping[str, Any], lang: str) -> str:
    from ..report import render_markdown as render
    return render(record, lang)


def render_html(record: Mapping[str, Any], lang: str) -> str:
    from ..report import render_html as render
    return render(record, lang)


def render_docx(record: Mapping[str, Any], lang: str) -> bytes:
    from ..report import render_docx as render
    return render(record, lang)


@hookimpl
def riskassess_register_output_formats(register: Callable[[OutputFormat], None]) -> None:
    register(OutputFormat("json", Label("评估记录（JSON）", "Assessment record (JSON)"), ".json", render_json))
    register(OutputFormat("markdown", Label("评估报告（Markdown）", "Assessment report (Markdown)"), ".md",
                          render_markdown))
    register(OutputFormat("html", Label("评估报告（网页）", "Assessment report (HTML)"), ".html", render_html))
    register(OutputFormat("docx", Label("评估报告（Word）", "Assessment report (Word)"), ".docx", render_docx))
