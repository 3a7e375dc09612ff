"""The command line speaks Chinese: with ``--lang zh`` no English word reaches the user (issue 7, item 6),
and answers written as a Chinese owner writes them are read or corrected precisely."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from riskassess import ExitCode

from .conftest import EXAMPLES
from .conftest import run_cli as run

ROOT = Path(__file__).resolve().parents[1]
LOW = EXAMPLES / "low-urban-road.yaml"

#: Words a Chinese user is expected to read or type as they are: formats, encodings, YAML's own
#: values, and names of things that have no Chinese name (JUnit, Word).
TECHNICAL = {"yaml", "json", "utf", "ascii", "tab", "true", "false", "sha", "schema", "junit", "xml", "word",
             "html", "markdown", "docx", "text", "python", "debug", "todo", "riskassess", "md", "pdf",
             "at_least", "at_most", "between", "low", "high", "mid", "questionnaire", "ruleset", "record",
             "worst", "provisional", "medium", "grade", "zh", "en",
             # the commands themselves
             "evaluate", "report", "validate", "init", "verify", "test", "lint", "rules", "plugins", "list", "show",
             "batch", "what", "if", "register", "plugin", "new", "history", "diff", "export", "add", "key", "sign",
             "event", "watch",
             # the questionnaire's sections, which errors name as the field
             "project", "land", "environment", "labor", "public", "order", "controllability", "assessment",
             "measures", "evidence", "extensions",
             # plugins are named by their distribution
             "example", "builtin", "expert",
             # terms Chinese texts use as they are
             "PX", "CPU", "csv", "jsonl", "pub", "Ed25519", "SQLite"}
_ALLOWED = (
    re.compile(r"\S*/\S*"),                                       # paths
    re.compile(r"(?<![\w-])--?[a-z][a-z-]*(?:=\S+)?"),             # options
    re.compile(r"`[^`]*`"),                                       # commands to run
    re.compile(r"[A-Za-z][\w-]*(?:\.[\w-]+)+"),                   # dotted ids and field paths, file names
    re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),             # snake_case keys and codes
    re.compile(r"\b[A-Za-z]+\d[\w-]*|\b[A-Za-z]+-[A-Za-z0-9-]+"),  # ids such as c1, cn-ndrc-2012, M3-noise
    re.compile(r"\b[0-9a-f]{16,}\b"),                             # hashes
    re.compile(r"riskassess (?:rules )?[a-z]+"),                  # a command named in a sentence
    re.compile(r"[“'\"][A-Za-z0-9_ ]+[”'\"]"),                    # a value the user wrote, quoted back
    re.compile(r"（[a-z_]+）|\([a-z_]+\)|\[[a-z_]+\]"),            # a code after its Chinese title
    re.compile(r"U\+[0-9A-F]+"),
    re.compile(r"\$[A-Z_]+"),                                     # environment variables
    re.compile(r"→ [a-z_]+$", re.M),                              # the code an answer was read as
    re.compile(r"(?:运算符|计分方法|输出格式|派生事实) \S+"),           # names a rule pack writes
)


def english_words(text: str) -> list[str]:
    """The English words left in ``text`` once what a Chinese user types or reads as-is is set aside."""
    text = re.sub(r"-\n\s*", "-", text)  # an id the help wrapped at its hyphen
    for pattern in _ALLOWED:
        text = pattern.sub(" ", text)
    return sorted({w for w in re.findall(r"[A-Za-z]{2,}", text) if w.lower() not in TECHNICAL and w not in TECHNICAL})


def assert_chinese(code_out_err: tuple[int, str, str], *, code: int | None = None) -> str:
    got, out, err = code_out_err
    if code is not None:
        assert got == code, out + err
    text = out + err
    assert not english_words(text), f"English in a Chinese message: {english_words(text)}\n{text}"
    assert re.search(r"[\u4e00-\u9fff]", text), text
    return text


def test_the_scanner_finds_english():
    assert english_words("错误：file not found") == ["file", "found", "not"]
    assert english_words("第 3 行 land.households_relocated：应为整数（或 ~）") == []


COMMANDS = [[], ["evaluate"], ["report"], ["validate"], ["init"], ["schema"], ["verify"], ["test"], ["lint"],
            ["batch"], ["what-if"], ["key"], ["key", "new"], ["sign"],
            ["rules"], ["rules", "list"], ["rules", "show"], ["plugins"], ["plugins", "list"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "riskassess")
def test_help_in_chinese(capsys, command):
    text = assert_chinese(run(capsys, *command, "--help", "--lang", "zh"), code=0)
    assert "用法：riskassess" in text and "选项：" in text


@pytest.mark.parametrize("args, says", [
    (["evaluate"], "缺少参数 问卷"),
    (["evaluate", str(LOW), "--formt", "json"], "没有选项 --formt；是否应为 --format"),
    (["schema", "xx"], "请从 questionnaire、ruleset、record 中选择"),
    (["evalute", str(LOW)], "没有命令“evalute”"),
    (["evaluate", str(LOW), "--out"], "选项 --out 需要一个值"),
    (["evaluate", str(LOW), "extra"], "多余的参数：“extra”"),
])
def test_usage_errors_in_chinese(capsys, args, says):
    text = assert_chinese(run(capsys, "--lang", "zh", *args), code=ExitCode.INPUT_ERROR)
    assert says in text


def test_language_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("RISKASSESS_LANG", "zh")
    assert "文件不存在" in assert_chinese(run(capsys, "evaluate", "missing.yaml"), code=ExitCode.INPUT_ERROR)
    monkeypatch.delenv("RISKASSESS_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "文件不存在" in run(capsys, "validate", "missing.yaml")[2]
    _, _, err = run(capsys, "validate", "missing.yaml", "--lang", "en")
    assert "file not found" in err


def _questionnaire(tmp_path: Path, text: str) -> str:
    path = tmp_path / "问卷.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


BASE = ("format_version: 1\nproject:\n  id: T-1\n  name: 测试道路\n  type: transport\n  channel: provincial\n"
        "  location: {province: 江苏省}\n")


@pytest.mark.parametrize("body, says", [
    ("land：\n  households_relocated: 3\n", "问卷.yaml:8: 键“land”后面是全角冒号"),
    ("land:\n  households_relocated：3\n", "键“households_relocated”后面是全角冒号“：”"),
    ("land:\n\u3000 households_relocated: 3\n", "缩进中有全角空格（U+3000）"),
    ("land:\n\thouseholds_relocated: 3\n", "制表符"),
    ("public:\n  survey:\n    oppose_share: 60%\n", "比例请写成不带 % 的小数：0.6"),
    ("public:\n  survey:\n    oppose_share: \"0.6\"\n", "数字不要加引号：0.6"),
    ("land:\n  households_relocated: 约300\n", "{at_least: 1000}（至少）"),
    ("land:\n  househlds_relocated: 3\n", "是否应为“households_relocated”？"),
    ("land:\n  households_relocated: 3\n  forced_demolition_planned: 也许\n", "请写 true（是）或 false（否）"),
    ("measures:\n  - id: m1\n    addresses: [cn.land.relocation_scale，cn.land.compensation]\n"
     "    description: 补偿\n    responsible: 区政府\n    status: planned\n",
     "括号内有全角字符“，”（在 [ ] 和 { } 内请写半角的“,”）"),
])
def test_questionnaire_mistakes_in_chinese(tmp_path, capsys, body, says):
    path = _questionnaire(tmp_path, BASE + body)
    text = assert_chinese(run(capsys, "validate", path, "--lang", "zh"), code=ExitCode.INPUT_ERROR)
    assert says in text
    assert "问卷.yaml:" in text


def test_the_full_width_colon_is_named_on_its_own_line(tmp_path, capsys):
    path = _questionnaire(tmp_path, BASE + "land：\n  households_relocated: 3\n")
    _, _, err = run(capsys, "validate", path, "--lang", "zh")
    assert "问卷.yaml:8: 键“land”后面是全角冒号“：”（请改为半角冒号加一个空格：land: …）" in err
    _, _, err = run(capsys, "validate", path, "--lang", "en")
    assert "问卷.yaml:8: the key 'land' is followed by a full-width colon '：' (write an ASCII colon and a space: " \
           "land: …)" in err


def test_natural_answers_are_read_and_said(tmp_path, capsys):
    path = _questionnaire(tmp_path, BASE + "land: 不适用\nenvironment:\n  nimby_type: 火葬场\n"
                                           "  night_construction: 否\nlabor:\n  layoffs: ４２\n"
                                           "  staff_before_layoffs: 1000\n")
    text = assert_chinese(run(capsys, "validate", path, "--lang", "zh"), code=0)
    for line in ("第 8 行 land：“不适用” → not_applicable", "第 10 行 environment.nimby_type：“火葬场” → crematorium",
                 "第 11 行 environment.night_construction：“否” → false", "第 13 行 labor.layoffs：“４２” → 42"):
        assert line in text
    out = tmp_path / "record.json"
    assert run(capsys, "evaluate", path, "--out", str(out), "--lang", "zh")[0] == 0
    answers = json.loads(out.read_text(encoding="utf-8"))["questionnaire"]["answers"]
    assert answers["environment"]["nimby_type"] == "crematorium" and answers["labor"]["layoffs"] == 42
    assert answers["environment"]["night_construction"] is False


def test_ambiguous_titles_are_not_guessed(tmp_path, capsys):
    path = _questionnaire(tmp_path, BASE + "environment:\n  nimby_type: 垃圾\n")
    code, _, err = run(capsys, "validate", path, "--lang", "zh")
    assert code == ExitCode.INPUT_ERROR and "“垃圾”不是可选值之一" in err


def test_every_command_speaks_chinese(tmp_path, capsys):
    record = tmp_path / "record.json"
    assert_chinese(run(capsys, "evaluate", str(LOW), "--out", str(record), "--lang", "zh"), code=0)
    assert_chinese(run(capsys, "validate", str(LOW), "--lang", "zh"), code=0)
    assert_chinese(run(capsys, "verify", str(record), "--lang", "zh"), code=0)
    assert_chinese(run(capsys, "init", str(tmp_path / "q.yaml"), "--lang", "zh"), code=0)
    assert_chinese(run(capsys, "init", str(tmp_path / "q.yaml"), "--lang", "zh"), code=ExitCode.INPUT_ERROR)
    assert_chinese(run(capsys, "report", str(record), "--out", str(tmp_path / "r.pdf"), "--lang", "zh"),
                   code=ExitCode.INPUT_ERROR)
    assert_chinese(run(capsys, "evaluate", str(LOW), "--fail-on", "huge", "--lang", "zh"), code=ExitCode.INPUT_ERROR)
    assert_chinese(run(capsys, "evaluate", str(LOW), "--fail-on", "low", "--lang", "zh"), code=ExitCode.GATE_TRIPPED)
    assert_chinese(run(capsys, "rules", "list", "--lang", "zh"), code=0)
    assert_chinese(run(capsys, "rules", "show", "cn-ndrc-2012", "--lang", "zh"), code=0)
    assert_chinese(run(capsys, "plugins", "list", "--lang", "zh"), code=0)


def test_pack_tools_speak_chinese(tmp_path, capsys):
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "rules" / "cn-ndrc-2012", pack)
    assert_chinese(run(capsys, "test", str(pack), "--lang", "zh"), code=0)
    assert_chinese(run(capsys, "lint", str(pack), "--lang", "zh"))
    record = tmp_path / "record.json"
    run(capsys, "evaluate", str(LOW), "--out", str(record))
    data = json.loads(record.read_text(encoding="utf-8"))
    data["result"]["initial_grade"] = "high"
    record.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert_chinese(run(capsys, "verify", str(record), "--lang", "zh"), code=ExitCode.NOT_REPRODUCED)
