"""Every message the tool shows exists in Chinese and English (issue 7: the CLI speaks Chinese)."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import riskassess
from riskassess.i18n import tr
from riskassess.locale import zh_catalogue

PACKAGE = Path(riskassess.__file__).parent


def _message_ids() -> dict[str, str]:
    """Every literal ``tr("…")`` in the package → where it is."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), \
                    f"{path.name}:{node.lineno}: tr() takes a literal message id"
                found.setdefault(first.value, f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_its_chinese():
    missing = [f"{where}: {mid!r}" for mid, where in _message_ids().items() if mid not in zh_catalogue()]
    assert not missing, "no Chinese for:\n" + "\n".join(missing)


def test_the_chinese_uses_only_the_message_placeholders():
    wrong = [f"{mid!r}: {sorted(_fields(zh) - _fields(mid))}" for mid, zh in zh_catalogue().items()
             if not _fields(zh) <= _fields(mid)]
    assert not wrong


def test_no_translation_is_left_behind_by_a_changed_message():
    ids = set(_message_ids())
    stale = [mid for mid in zh_catalogue() if mid not in ids and not mid.startswith("cli:")]
    assert not stale, "Chinese for messages no longer in the code:\n" + "\n".join(map(repr, stale))


def test_quotes_and_lists_follow_the_language():
    text = tr("unknown field {key!r}", key="lnad")
    assert text.render("en") == "unknown field 'lnad'"
    assert text.render("zh") == "未知字段“lnad”"
    listed = tr("allowed here: {names}", names=["land", "labor"])
    assert listed.render("en") == "allowed here: land, labor"
    assert listed.render("zh") == "此处可用：land、labor"
