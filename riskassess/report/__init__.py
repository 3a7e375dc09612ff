"""Filed reports — the 稳评 report in the outline of 发改办投资〔2013〕428号 annex 2 — made from an
assessment record alone, so a report can be made again, years later, from a record that
``riskassess verify`` still reproduces. Formats: Markdown, HTML and Word (DOCX)."""

from .outline import Report, build_report
from .render import render_docx, render_html, render_markdown

__all__ = ["Report", "build_report", "render_docx", "render_html", "render_markdown"]
