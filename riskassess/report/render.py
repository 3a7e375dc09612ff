"""Lay a :class:`~riskassess.report.outline.Report` out as Markdown, HTML or Word.

Markdown and HTML come from Jinja2 templates (HTML autoescaped; Markdown through an escaping filter
for text and table cells); Word is built with python-docx (real heading styles for the navigation
pane, a table of contents field, numbered tables whose header rows repeat, page numbers, CJK fonts,
A4 with the margins of a Chinese official report).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from ..safe_text import plain
from . import figures
from .outline import Bullets, Figure, Heading, Paragraph, Report, Table, build_report
from .words import w

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def _md(text: Any) -> str:
    """Markdown-escaped text: links, emphasis, HTML and headings in an answer stay literal."""
    return _MD_SPECIAL.sub(r"\\\1", plain(text)).replace("\n", " ")


def _cell(text: Any) -> str:
    return _md(text).replace("\r", " ") or " "


@cache
def _env(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("riskassess.report", "templates"),
                             autoescape=autoescape, trim_blocks=False, lstrip_blocks=False,
                             undefined=jinja2.StrictUndefined)
    env.filters["md"] = _md
    env.filters["cell"] = _cell
    env.filters["plain"] = plain
    return env


def _context(report: Report) -> dict[str, Any]:
    record, lang = report.record, report.lang
    labels = record.get("labels") or {}
    grade_ids = list(labels.get("grades", {}))

    def title(gid: str) -> str:
        entry = (labels.get("grades", {}).get(gid) or {}).get("title") or {}
        return str(entry.get(lang, gid))

    bars = []
    for key, stage in (("initial_grade", "initial"), ("post_grade", "post_measure")):
        r = (record["result"].get("range") or {}).get(stage) or {}
        lo, hi = grade_ids.index(r["lowest"]), grade_ids.index(r["highest"])
        bars.append({"label": w(key, lang), "cells": [
            {"title": title(g), "headline": g == r["grade"], "possible": lo <= k <= hi}
            for k, g in enumerate(grade_ids)]})
    index = None
    found = figures.index_values(record)
    if found is not None:
        before, after, bands = found
        index = {"stages": [{"label": w("initial_grade", lang), "value": before},
                            {"label": w("post_grade", lang), "value": after}],
                 "bands": [{"title": title(b.grade), "start": b.start, "end": b.end,
                            "fill": figures.SHADES[min(4, 2 * k)]} for k, b in enumerate(bands)]}
    return {"report": report, "grade_bars": bars, "index": index, "legend": f"{w('legend_before', lang)}　"
            f"{w('legend_after', lang)}", "table_word": "表" if lang == "zh" else "Table",
            "figure_word": "图" if lang == "zh" else "Figure"}


def render_markdown(record: Mapping[str, Any], lang: str) -> str:
    report = build_report(record, lang)
    context = _context(report)
    context["matrix_text"] = _matrix_text(record, lang)
    return _env(False).get_template("report.md.j2").render(context)


def render_html(record: Mapping[str, Any], lang: str) -> str:
    report = build_report(record, lang)
    context = _context(report)
    m = figures.matrix(record)
    svg = _env(True).get_template("matrix.svg.j2").render(
        m=m, cell=figures.CELL, margin=figures.MARGIN, caption=w("matrix_caption", lang),
        impact_axis=w("impact_axis", lang), probability_axis=w("probability_axis", lang))
    context["matrix_svg"] = Markup(svg)  # rendered by the autoescaping template above
    return _env(True).get_template("report.html.j2").render(context)


def _matrix_text(record: Mapping[str, Any], lang: str) -> str:
    """The matrix for plain text: each cell lists the factors in it before → after."""
    applicable = [f for f in record["result"]["factors"] if f["applies"]]
    grid: dict[tuple[int, int], list[str]] = {}
    for n, f in enumerate(applicable, 1):
        for stage, mark in (("initial", "○"), ("post_measure", "●")):
            e = f.get(stage)
            if e:
                grid.setdefault((e["probability"], e["impact"]), []).append(f"{mark}{n}")
    lines = ["P\\I | " + " | ".join(f"{i:^9}" for i in range(1, 6))]
    for p in range(5, 0, -1):
        lines.append(f" {p}  | " + " | ".join(f"{' '.join(grid.get((p, i), [])):^9}" for i in range(1, 6)))
    lines.append(f"{w('legend_before', lang)}  {w('legend_after', lang)}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------ docx


def render_docx(record: Mapping[str, Any], lang: str) -> bytes:
    from docx.shared import Pt

    report = build_report(record, lang)
    doc = _new_document(report)
    table_word = "表" if lang == "zh" else "Table"
    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_heading(plain(block.text), level=block.level)
        elif isinstance(block, Paragraph):
            para = doc.add_paragraph()
            para.add_run(plain(block.text)).bold = block.strong
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(plain(item), style="List Bullet")
        elif isinstance(block, Table):
            _table(doc, block, table_word)
        elif isinstance(block, Figure):
            _figure(doc, block, report)
    for para in doc.paragraphs:
        for run in para.runs:
            if run.font.size is None and para.style is not None and para.style.name == "Normal":
                run.font.size = Pt(12)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _new_document(report: Report) -> Any:
    """A4, official-document margins, CJK fonts, title, contents and page numbers."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    # GB/T 9704 (official documents): top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _fonts(doc)
    doc.add_paragraph(report.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(plain(report.subtitle)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading(w("toc", report.lang), level=1)
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u')  # Word fills in the page numbers
    for block in report.blocks:  # and a reader without Word still sees the contents
        if isinstance(block, Heading) and block.level <= 2:
            doc.add_paragraph(("　" * (block.level - 1)) + plain(block.text))
    _page_numbers(section)
    return doc


def _figure(doc: Any, block: Figure, report: Report) -> None:
    """A picture (matrix, index) or a shaded table (grade ranges), its caption and its legend."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    lang, record = report.lang, report.record
    legend = None
    if block.kind == "matrix":
        doc.add_picture(io.BytesIO(figures.matrix_png(record)), width=Cm(11))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        legend = f"{w('legend_before', lang)}　{w('legend_after', lang)}"
    elif block.kind == "grades":
        doc.add_paragraph()  # keeps the picture apart from the table before it
        _grade_bars(doc, _context(report)["grade_bars"])
    else:
        picture, index = figures.index_png(record), _context(report)["index"]
        if picture is None or index is None:
            return
        doc.add_picture(io.BytesIO(picture), width=Cm(14))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        sep = "；" if lang == "zh" else "; "
        legend = sep.join([f"{n}. {s['label']}" for n, s in enumerate(index["stages"], 1)]
                          + [f"{b['title']} {b['start']:.2f}–{b['end']:.2f}" for b in index["bands"]])
    figure_word = "图" if lang == "zh" else "Figure"
    doc.add_paragraph(f"{figure_word} {block.number} {block.caption}", style="Caption").alignment = \
        WD_ALIGN_PARAGRAPH.CENTER
    if legend:
        doc.add_paragraph(legend).alignment = WD_ALIGN_PARAGRAPH.CENTER


def _grade_bars(doc: Any, bars: list[dict[str, Any]]) -> None:
    """The grade ranges as a shaded table: the headline grade black, the rest of its range grey."""
    from docx.oxml.ns import qn
    table = doc.add_table(rows=len(bars), cols=1 + len(bars[0]["cells"]))
    table.style = "Table Grid"
    for row, bar in zip(table.rows, bars, strict=True):
        row.cells[0].text = plain(bar["label"])
        for cell, grade in zip(row.cells[1:], bar["cells"], strict=True):
            fill = "000000" if grade["headline"] else ("A0A0A0" if grade["possible"] else "FFFFFF")
            tcpr = cell._tc.get_or_add_tcPr()
            tcpr.append(tcpr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto",
                                                       qn("w:fill"): fill}))
            run = cell.paragraphs[0].add_run(plain(grade["title"]))
            run.bold = grade["headline"]
            if grade["headline"]:
                from docx.shared import RGBColor
                run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _fonts(doc: Any) -> None:
    """宋体 for text and 黑体 for headings, set for East Asian text (w:eastAsia), Noto CJK where absent."""
    from docx.oxml.ns import qn

    def east_asian(style: Any, latin: str, cjk: str) -> None:
        style.font.name = latin
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), cjk)
        fonts.set(qn("w:ascii"), latin)
        fonts.set(qn("w:hAnsi"), latin)

    east_asian(doc.styles["Normal"], "Times New Roman", "宋体")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        east_asian(doc.styles[name], "Arial", "黑体")


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (TOC, PAGE): built with python-docx's element API, updated when the document opens."""
    from docx.oxml.ns import qn
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind is None:
            el = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        else:
            el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        run._r.append(el)


def _page_numbers(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _field(footer, "PAGE")
    footer.add_run(" —")


def _table(doc: Any, block: Table, table_word: str) -> None:
    from docx.oxml.ns import qn
    doc.add_paragraph(f"{table_word} {block.number} {plain(block.caption)}", style="Caption")
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    header = table.rows[0]
    trpr = header._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))  # repeat on every page
    for cell, text in zip(header.cells, block.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(plain(text)).bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = plain(text)
