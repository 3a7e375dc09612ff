"""The command line in its reader's language: which language, the help texts, and usage errors.

The language is ``--lang`` wherever it appears on the line, else ``$RISKASSESS_LANG``, else
``$LANG`` (``zh_CN.UTF-8`` → Chinese), else English. Help texts are written in English on the
commands (typer reads them from the code) and looked up in the catalogue when Chinese is wanted;
the help layout's own words (Usage, Options, [required]…) and the argument parser's usage errors
are said here, from the parser's structured exceptions rather than its English sentences.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from .i18n import Text, tr

#: The words of the help layout, as the parser prints them, and their Chinese.
_LAYOUT_ZH = (
    (re.compile(r"^Usage: ", re.M), "用法："),
    (re.compile(r"^(\s*)Arguments:$", re.M), r"\1参数："),
    (re.compile(r"^(\s*)Options:$", re.M), r"\1选项："),
    (re.compile(r"^(\s*)Commands:$", re.M), r"\1命令："),
    (re.compile(r"\[required\]"), "[必填]"),
    (re.compile(r"\[default:\s+([^\]]*)\]"), r"[默认：\1]"),
    (re.compile(r"Show this message and exit\."), "显示本帮助并退出。"),
    (re.compile(r"\[OPTIONS\]"), "[选项]"),
    (re.compile(r"COMMAND \[ARGS\]\.\.\."), "命令 [参数]..."),
    (re.compile(r"<path>"), "<路径>"),
    (re.compile(r"<str>"), "<文字>"),
    (re.compile(r"<float>"), "<数>"),
    (re.compile(r"<int>"), "<整数>"),
    (re.compile(r"<float range>"), "<数>"),
    (re.compile(r"<list\[Path\]>"), "<路径>"),
    (re.compile(r"<list\[str\]>"), "<文字>"),
    (re.compile(r"<int range>"), "<整数>"),
)


def language_of(args: Sequence[str], environ: Mapping[str, str] = os.environ) -> str:
    """``zh`` or ``en``: ``--lang`` on the command line, else the environment."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        if value in ("zh", "en"):
            return value
    value = environ.get("RISKASSESS_LANG") or environ.get("LANG", "")
    return "zh" if value.lower().startswith("zh") else "en"


def localize(command: Any, lang: str) -> None:
    """Put the help of ``command`` and everything below it into ``lang`` (the parser's objects are fresh
    for each run, so nothing outlives it)."""
    if lang != "zh":
        return
    from .locale import zh_arguments, zh_help
    HELP, ARGUMENTS = zh_help(), zh_arguments()
    for attr in ("help", "short_help"):
        text = getattr(command, attr, None)
        if text:
            setattr(command, attr, HELP.get(text.strip(), text))
    for param in getattr(command, "params", ()):
        if getattr(param, "help", None):
            param.help = HELP.get(param.help, param.help)
        if getattr(param, "param_type_name", "") == "argument" and param.name in ARGUMENTS:
            param.metavar = ARGUMENTS[param.name]
    get_help, get_usage = command.get_help, command.get_usage
    command.get_help = lambda ctx: layout_zh(get_help(ctx))
    command.get_usage = lambda ctx: layout_zh(get_usage(ctx))
    for sub in getattr(command, "commands", {}).values():
        localize(sub, lang)


def layout_zh(text: str) -> str:
    for pattern, replacement in _LAYOUT_ZH:
        text = pattern.sub(replacement, text)
    return text


def _kinds(exc: BaseException) -> set[str]:
    # The parser's exception classes by name: typer has moved them between packages before.
    return {cls.__name__ for cls in type(exc).__mro__}


def is_usage_error(exc: BaseException) -> bool:
    return "UsageError" in _kinds(exc)


def usage_error_text(exc: Any, lang: str) -> str:
    """What the parser refused, with the usage line and where to find help, in ``lang``."""
    kinds = _kinds(exc)
    if "NoArgsIsHelpError" in kinds:
        return str(exc.format_message())
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        lines.append(tr("Try '{command} --help' for help.", command=ctx.command_path).render(lang))
        lines.append("")
    if lang == "zh":
        lines.append("错误：" + _usage_message(exc, kinds).render(lang))
    else:
        lines.append(f"Error: {exc.format_message()}")
    return "\n".join(lines)


def _choices(param: Any) -> list[str] | None:
    """The values a parameter takes, wherever this version of the parser keeps them."""
    choices = getattr(getattr(param, "type", None), "choices", None)
    if choices:
        return [str(getattr(c, "value", c)) for c in choices]
    kind = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [str(m.value) for m in kind]
    return None


def _usage_message(exc: Any, kinds: set[str]) -> Text:
    param: Any = getattr(exc, "param", None)
    if getattr(param, "param_type_name", "") == "argument":
        name = param.metavar or str(param.name).upper()
    else:
        name = "/".join(param.opts) if param is not None and param.opts else getattr(param, "name", "")
    if "NoSuchOption" in kinds:
        if exc.possibilities:
            return tr("no such option {option}; did you mean {names}?", option=exc.option_name,
                      names=sorted(exc.possibilities))
        return tr("no such option {option}", option=exc.option_name)
    if "MissingParameter" in kinds:
        if getattr(param, "param_type_name", "") == "argument":
            return tr("missing argument {name}", name=name)
        return tr("missing option {name}", name=name)
    if "BadOptionUsage" in kinds:
        return tr("option {option} needs a value", option=exc.option_name)
    if "BadParameter" in kinds:
        choices = _choices(param)
        if choices:
            return tr("invalid value for {name}: choose one of {choices}", name=name, choices=choices)
        return tr("invalid value for {name}", name=name)
    message = str(getattr(exc, "message", ""))
    found = re.match(r"No such command '(.*)'\.", message)
    if found:
        return tr("no such command {name!r}", name=found.group(1))
    found = re.match(r"Got unexpected extra arguments?(?:\(s\))? \((.*)\)", message)
    if found:
        return tr("unexpected extra argument(s): {arguments!r}", arguments=found.group(1))
    return tr("the command line is not valid: {detail}", detail=message)
