"""What every command shares: the language and rule-set options, printing in the reader's language,
and writing output files whole or not at all."""

from __future__ import annotations

import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from .cli_language import language_of
from .errors import InputError
from .i18n import tr


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def chosen_language(lang: Lang | None) -> str:
    return lang.value if lang is not None else language_of(())


RulesOpt = Annotated[str | None, typer.Option("--rules", "-r", help="Rule-set id or path (default: cn-ndrc-2012).")]
LangOpt = Annotated[Lang | None, typer.Option("--lang", help="Language of messages, labels and reports: zh or en "
                                                             "(default: $RISKASSESS_LANG, then $LANG).")]

BROKEN_PIPE = 141  # the shell's status for a process stopped by SIGPIPE
def stop_on_broken_pipe() -> None:
    # `riskassess … | head`: stop quietly, and not with rich's exit 1, which scripts would read
    # as a tripped --fail-on gate.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class OutConsole(Console):
    """The console commands print to: a closed pipe (``riskassess … | head``) ends the command quietly."""

    def on_broken_pipe(self) -> None:
        stop_on_broken_pipe()
        raise SystemExit(BROKEN_PIPE)


stdout = OutConsole(highlight=False, soft_wrap=True)


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` only once it is complete: no half-written output on failure."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(tr("output directory does not exist"), source=str(directory))
    if path.is_dir():
        raise InputError(tr("is a directory"), source=str(path), hint=tr("give a file name, e.g. record.json"))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the user's usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def speaker(lang: str) -> Any:
    """``say(tr(…))``: print a message in ``lang``."""
    return lambda text: typer.echo(text.render(lang))
