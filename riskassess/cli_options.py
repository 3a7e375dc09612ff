"""What every command shares: the language and rule-set options, printing in the reader's language,
and writing output files whole or not at all."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
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
AdjustmentsOpt = Annotated[Path | None, typer.Option(
    "--adjustments", help="The assessment body's governed adjustments (YAML): a factor's probability or impact set "
                          "with a justification, an approver and an expiry.")]
AsOfOpt = Annotated[str | None, typer.Option(
    "--as-of", help="The date (YYYY-MM-DD) adjustments' expiry is judged on, kept in the record (default: today).")]

BROKEN_PIPE = 141  # the shell's status for a process stopped by SIGPIPE
def stop_on_broken_pipe() -> None:
    # `riskassess … | head`: stop quietly, and not with rich's exit 1, which scripts would read
    # as a tripped --fail-on gate.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


class OutConsole(Console):
    """The console commands print to: a closed pipe (``riskassess … | head``) ends the command quietly, and
    text is printed as it is (no ``:100:`` in ``file.yaml:100:`` turned into an emoji)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("emoji", False)
        super().__init__(*args, **kwargs)

    def on_broken_pipe(self) -> None:
        stop_on_broken_pipe()
        raise SystemExit(BROKEN_PIPE)


stdout = OutConsole(highlight=False, soft_wrap=True)


TEMP_MARK = ".riskassess-"
"""Temporary files are named ``.NAME.riskassess-XXXXXXXX.tmp`` beside the output ``NAME``."""
STALE_AFTER = 60.0
"""Seconds after which such a file left behind (the process was killed with -9) is swept away."""
_swept: set[Path] = set()


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` only once it is complete: no half-written output on failure.

    The content goes to a temporary file beside the output, renamed into place when whole; it is removed
    on every failure, also on SIGTERM or SIGHUP. One left by a process killed with -9 (which nothing can
    catch) is recognisable by its name and swept by the next write to that folder once a minute old.
    ``path`` a symbolic link: the file it points to is written and the link stays. A folder that cannot be
    written is an input error (exit 2) naming it, never a crash.
    """
    target = _written_file(path)
    directory = target.parent
    if not directory.is_dir():
        raise InputError(tr("output directory does not exist"), source=str(directory))
    if target.is_dir():
        raise InputError(tr("is a directory"), source=str(path), hint=tr("give a file name, e.g. record.json"))
    if directory.resolve() not in _swept:  # once per folder and process: a batch writes thousands of files
        _swept.add(directory.resolve())
        sweep_temporary_files(directory)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with _signals_interrupt():
            _replace(target, data)
    except OSError as exc:
        reason = tr("permission denied") if isinstance(exc, PermissionError) else exc.strerror or type(exc).__name__
        raise InputError(tr("cannot write the file: {reason}", reason=reason), source=str(path),
                         hint=tr("choose a folder you can write to, or free some space")) from None


def _written_file(path: Path) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or the file its symbolic link(s) lead to."""
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # a loop of links
        raise InputError(tr("is a symbolic link that leads to no file"), source=str(path))
    return target


def _replace(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}{TEMP_MARK}", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            mode = stat.S_IMODE(target.stat().st_mode)  # an existing file keeps its permissions
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp creates 0600; a new file gets the user's usual mode
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def sweep_temporary_files(directory: Path, *, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove this user's temporary files of :func:`write_atomically` in ``directory`` older than
    ``older_than`` seconds; the paths removed."""
    removed = []
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            if not (entry.name.startswith(".") and TEMP_MARK in entry.name and entry.name.endswith(".tmp")):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and now - info.st_mtime > older_than:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP (by default fatal at once) raise :class:`SystemExit` while a file is written, so the
    temporary file is removed; elsewhere, and outside the main thread, nothing changes."""
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in wanted:
        if signal.getsignal(signum) is signal.SIG_DFL:
            previous[signum] = signal.signal(signum, _exit_on_signal)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _exit_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def speaker(lang: str) -> Any:
    """``say(tr(…))``: print a message in ``lang``."""
    return lambda text: typer.echo(text.render(lang))
