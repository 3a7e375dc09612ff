"""Filed reports (428 outline) made from a record alone, read back as a reader would read them."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document

from riskassess.errors import ExitCode
from riskassess.report import render_docx, render_html, render_markdown

from .conftest import run_cli, write_yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
OUTLINE_ZH = ["一、基本情况", "（一）项目概况", "（二）评估依据", "（三）评估主体", "（四）评估过程和方法",
              "二、评估内容", "（一）风险调查", "（二）风险识别与估计", "（三）风险防范化解措施",
              "（四）落实措施后的风险等级", "三、评估结论", "（一）主要风险因素",
              "（二）合法性、合理性、可行性、可控性", "（三）风险等级", "（四）主要措施", "（五）应急预案和建议"]
SAMPLE_TABLES_ZH = {"样表1 主要风险因素及风险程度": 8, "样表2 风险防范化解措施汇总": 8,
                    "样表3 落实措施后的主要风险因素及风险程度": 5, "样表4 经评估的风险防范化解措施": 8}


@pytest.fixture(scope="module")
def records(engine):
    """Each example's record, as it would be read back from its JSON file."""
    out = {}
    for path in EXAMPLES:
        rs = engine.rule_set()
        a = engine.assess(engine.read_questionnaire(path, rs), rs)
        out[path.stem] = json.loads(json.dumps(a.record(), ensure_ascii=False))
    return out


def _docx(record, lang):
    return Document(io.BytesIO(render_docx(record, lang)))


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_word_report_has_the_outline_the_sample_tables_the_matrix_and_page_numbers(records, name):
    doc = _docx(records[name], "zh")
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    for heading in OUTLINE_ZH:
        assert heading in headings, heading
    captions = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Caption"]
    for caption, columns in SAMPLE_TABLES_ZH.items():
        number = next(c for c in captions if c.endswith(caption))
        table = doc.tables[[c for c in captions if c.startswith("表")].index(number)]
        assert len(table.rows[0].cells) == columns
        assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml  # header row repeats on each page
    assert len(doc.inline_shapes) == 2  # the matrix and the index against its bands
    assert "PAGE" in doc.sections[0].footer._element.xml
    assert doc.sections[0].page_width.cm == pytest.approx(21.0, abs=0.01)
    assert 'w:eastAsia="宋体"' in doc.styles["Normal"].element.xml


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_and_markdown_reports_in_both_languages(records, lang):
    record = records["high-incinerator"]
    html = render_html(record, lang)
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="matrix"' in html
    md = render_markdown(record, lang)
    heading = "一、基本情况" if lang == "zh" else "1. Basic information"
    assert f"<h2>{heading}</h2>" in html and f"## {heading}" in md
    grade = "高风险" if lang == "zh" else "High risk"
    assert grade in html and grade in md


def test_the_report_reads_nothing_but_the_record(records, tmp_path, capsys, engine):
    record_path = tmp_path / "record.json"
    record_path.write_text(json.dumps(records["medium-substation"], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "report.md"
    assert run_cli(capsys, "report", str(record_path), "--out", str(out), "--lang", "zh")[0] == ExitCode.OK
    assert out.read_text(encoding="utf-8") == render_markdown(records["medium-substation"], "zh")


def test_an_unknown_report_suffix_is_an_error_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "report.pdf"
    code, _, err = run_cli(capsys, "evaluate", str(EXAMPLES[0]), "--out", str(out))
    assert code == ExitCode.INPUT_ERROR and "cannot tell the format of 'report.pdf' from its suffix" in err
    assert not out.exists() and not list(tmp_path.iterdir())


def test_evaluate_out_picks_the_format_from_the_suffix(tmp_path, capsys):
    for suffix in (".docx", ".html", ".md", ".json"):
        out = tmp_path / f"r{suffix}"
        assert run_cli(capsys, "evaluate", str(EXAMPLES[0]), "--out", str(out), "--lang", "zh")[0] == ExitCode.OK
    assert (tmp_path / "r.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["record_id"].startswith("sha256:")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_hostile_answers_never_break_a_format(tmp_path, engine, national):
    from .conftest import base_questionnaire
    answers = base_questionnaire()
    evil = "<script>alert(1)</script> | x | [link](javascript:alert(1)) \x1b[31mred\x1b[0m\nline"
    answers["project"]["name"] = evil
    answers["project"]["description"] = evil
    answers["measures"] = [{"id": "M1", "addresses": ["cn.policy.no_hearing"], "description": evil,
                            "status": "committed", "effect": {"probability": -1}, "responsible": evil}]
    record = json.loads(json.dumps(engine.assess(engine.questionnaire(answers, national), national).record()))
    html = render_html(record, "zh")
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags and "&lt;script&gt;" in html
    md = render_markdown(record, "zh")
    assert "](javascript:" not in md and "<script>" not in md and "\x1b" not in md
    for line in md.splitlines():  # a pipe in an answer never adds a table column
        if line.startswith("| 1 |") and "M1" not in line:
            assert line.count(" |") == line.replace("\\|", "").count(" |")
    text = "\n".join(p.text for p in _docx(record, "zh").paragraphs)
    assert "\x1b" not in text and "<script>alert(1)</script>" in text  # literal text, never markup


# -------------------------------------------------------------- rendered as a reader sees it


def _tool(name: str) -> str | None:
    found = shutil.which(name)
    if found is None and os.environ.get("CI"):
        pytest.fail(f"{name} is not installed: .ci/run must install it (rendering checks cannot run)")
    if found is None:
        pytest.skip(f"{name} is not installed here: the rendering check did NOT run (CI installs it)")
    return found


def test_word_report_opens_in_libreoffice_with_every_section_and_page_numbers(records, tmp_path):
    soffice = _tool("soffice")
    pdftotext = _tool("pdftotext")
    docx = tmp_path / "report.docx"
    docx.write_bytes(render_docx(records["reservoir-resettlement"], "zh"))
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)})
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "report.pdf"), "-"], check=True,
                          capture_output=True, timeout=60).stdout.decode("utf-8")
    for heading in (*OUTLINE_ZH, *SAMPLE_TABLES_ZH):
        assert heading.replace(" ", "") in text.replace(" ", ""), heading
    import re
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # page numbers in the footer
    assert "□" not in text  # CJK glyphs found (no tofu)
    pdftoppm = _tool("pdftoppm")
    subprocess.run([pdftoppm, "-r", "40", "-png", "-f", "1", "-l", "1", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page")], check=True, timeout=60)
    from PIL import Image
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert page.getextrema()[0] < 100  # ink on the page


def test_html_report_shows_the_svg_matrix_in_chromium(records, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or _tool("chromium")
    html = tmp_path / "report.html"
    html.write_text(render_html(records["high-incinerator"], "zh"), encoding="utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", html.as_uri()], capture_output=True, timeout=120,
                         check=True).stdout.decode("utf-8")
    assert 'class="matrix"' in dom and "<circle" in dom
    shot = tmp_path / "shot.png"
    subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1000,1400", html.as_uri()],
                   capture_output=True, timeout=120, check=True)
    from PIL import Image
    assert Image.open(shot).convert("L").getextrema()[0] < 100  # the page drew something


def test_report_command_writes_every_format_for_an_example(tmp_path, capsys):
    record = tmp_path / "record.json"
    assert run_cli(capsys, "evaluate", str(EXAMPLES[0]), "--out", str(record))[0] == ExitCode.OK
    for suffix in (".docx", ".html", ".md"):
        for lang in ("zh", "en"):
            out = tmp_path / f"r-{lang}{suffix}"
            assert run_cli(capsys, "report", str(record), "--out", str(out), "--lang", lang)[0] == ExitCode.OK
            assert out.stat().st_size > 1000
    code, _, _ = run_cli(capsys, "report", str(record), "--out", str(tmp_path / "r.json"))
    assert code == ExitCode.INPUT_ERROR


def test_a_hostile_questionnaire_file_makes_a_safe_word_report(tmp_path, capsys):
    data = json.loads(json.dumps({"format_version": 1, "project": {
        "id": "X", "name": "<b>x</b>\x07", "type": "transport", "channel": "provincial",
        "location": {"province": "江苏省"}}}))
    path = write_yaml(tmp_path / "q.yaml", data)
    out = tmp_path / "r.docx"
    code, _, _ = run_cli(capsys, "evaluate", str(path), "--out", str(out))
    assert code == ExitCode.OK
    assert "<b>x</b>" in "\n".join(p.text for p in Document(str(out)).paragraphs)


@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_a_chinese_report_carries_no_english_word(records, name):
    """Only what the owner wrote, identifiers (record, rule-set and plugin ids, hashes) and the symbols
    R, W, P, I may be in Latin letters."""
    import re
    record = records[name]
    md = render_markdown(record, "zh")
    word = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
    allowed = set(word.findall(json.dumps(record["questionnaire"]["answers"], ensure_ascii=False)))
    allowed |= {rs["id"] for rs in record["rule_sets"]} | {p["name"] for p in record["plugins"]}
    allowed |= {"riskassess", "verify", "json", "SHA-256", "R", "W", "P", "I"}
    leaks = {w for w in word.findall(md) if w not in allowed and not re.fullmatch(r"sha256:?[0-9a-f]*|[0-9a-f]{16,}",
                                                                                     w)}
    assert not leaks, f"English in the Chinese report: {sorted(leaks)}"


def test_the_report_shows_the_assessment_body_and_the_opinions_with_their_adoption(records):
    md = render_markdown(records["medium-substation"], "zh")
    assert "| 评估主体 | 广东某工程咨询有限公司（第三方评估机构） |" in md
    assert "评估方法: 公示、问卷调查、实地走访、座谈会、专家论证会" in md
    assert "| 2 | 要求变电站迁至远离小区的地块 | 未采纳 |" in md


def test_a_record_written_before_records_carried_labels_still_makes_its_report(records, tmp_path, capsys):
    old = {k: v for k, v in records["low-urban-road"].items() if k != "labels"}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "r.md"
    assert run_cli(capsys, "report", str(path), "--out", str(out), "--lang", "zh")[0] == ExitCode.OK
    assert out.read_text(encoding="utf-8") == render_markdown(records["low-urban-road"], "zh")
    old["rule_sets"][0]["sha256"] = "0" * 64
    path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    code, _, err = run_cli(capsys, "report", str(path), "--out", str(tmp_path / "r2.md"))
    assert code == ExitCode.INPUT_ERROR and "the record carries no labels" in err
