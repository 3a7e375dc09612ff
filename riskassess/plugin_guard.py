"""Plugin code runs on a time budget and cannot end the program.

Every call into an external plugin's code — its import, each hook, and what it registered: operators'
``test``/``check``, derived facts' ``compute``, scoring methods' ``prepare``/``grade``/``derive``, output
formats' ``render`` — goes through :func:`call`. It turns what would otherwise escape every
``except Exception`` into a :class:`PluginError` naming the plugin and the call:

* running longer than the budget (``RISKASSESS_PLUGIN_TIMEOUT`` seconds, default 10; ``0``: no limit);
* ``sys.exit()`` (:class:`SystemExit`) or another :class:`BaseException` (``GeneratorExit``…), which would
  end the run — with exit 0 and no output for ``sys.exit(0)``.

``KeyboardInterrupt`` is left alone: Ctrl-C stays an interruption. Built-in plugins are called directly.

How the budget is kept: while plugin code may run, a periodic ``SIGALRM`` (every tenth of the budget) checks
how long the outermost plugin call has run and, past its budget, raises :class:`_Overrun` inside it — a
``BaseException``, so a plugin's ``except Exception`` cannot swallow it, and raised again at every tick
until the call is left. :func:`watch` arms the alarm once around many calls (one evaluation), so each call
costs a list push and a clock read; a call outside any :func:`watch` arms it for itself. The budget is kept
only in the main thread of a Unix process with no ``SIGALRM`` handler of its own; elsewhere plugin code is
not timed (everything else here still holds), and code blocked inside C that ignores signals is not
interrupted.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from .errors import InputError, PluginError
from .i18n import Text, tr

TIMEOUT_ENV = "RISKASSESS_PLUGIN_TIMEOUT"
DEFAULT_SECONDS = 10.0
DISABLE_ENV = "RISKASSESS_DISABLE_PLUGINS"
BUILTIN_PREFIX = "riskassess.builtin."

T = TypeVar("T")

#: The plugin calls under way, outermost first: (plugin, call, started on the monotonic clock, budget).
_calls: list[tuple[str, Text | str, float, float]] = []
#: Whether a :func:`watch` is open in the main thread, and the budget it keeps (0: none).
_watch: dict[str, Any] = {"on": False, "seconds": 0.0}
_MAIN_THREAD = threading.main_thread().ident


class _Overrun(BaseException):
    """Raised by the alarm inside plugin code that ran past its budget."""

    def __init__(self, plugin: str, what: Text | str, seconds: float) -> None:
        super().__init__(plugin)
        self.plugin, self.what, self.seconds = plugin, what, seconds


class PluginCallError(PluginError):
    """A plugin ran past its budget or tried to end the program; ``problem`` says so without naming it
    (for the reason a plugin is disabled)."""

    def __init__(self, plugin: str, problem: Text) -> None:
        super().__init__(tr("plugin {plugin!r}: {problem}", plugin=plugin, problem=problem),
                         hint=tr("fix or disable it ({setting})", setting=f"{DISABLE_ENV}={plugin}"))
        self.plugin = plugin
        self.problem = problem


def budget() -> float:
    """Seconds a plugin call may take (``RISKASSESS_PLUGIN_TIMEOUT``); 0 for no limit."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not (math.isfinite(seconds) and 0 <= seconds <= 86_400):
        raise InputError(tr("{setting} must be a number of seconds from 0 (no limit) to 86400, got {value!r}",
                            setting=TIMEOUT_ENV, value=raw), hint=tr("unset it for the default of {seconds} s",
                                                                    seconds=f"{DEFAULT_SECONDS:g}"))
    return seconds


def is_builtin(plugin: str) -> bool:
    return plugin.startswith(BUILTIN_PREFIX)


def guarded(plugin: str, what: Text | str, fn: Callable[..., T]) -> Callable[..., T]:
    """``fn`` called through :func:`call` — or ``fn`` itself when the plugin is a built-in."""
    if is_builtin(plugin):
        return fn

    def run(*args: Any) -> T:
        return _external(plugin, what, fn, args)

    return run


def call(plugin: str, what: Text | str, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, plugin ``plugin``'s code (``what`` names the call: a hook, ``operator 'x' (test)``…) on
    the time budget; running past it, ``SystemExit`` and other non-``Exception`` exceptions but
    ``KeyboardInterrupt`` become a :class:`PluginCallError`. Exceptions are the caller's to report."""
    return fn(*args) if is_builtin(plugin) else _external(plugin, what, fn, args)


def _external(plugin: str, what: Text | str, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    timed = threading.get_ident() == _MAIN_THREAD
    if timed and not _watch["on"]:
        with watch():
            return _external(plugin, what, fn, args)
    if timed:
        _calls.append((plugin, what, time.monotonic(), _watch["seconds"]))
    try:
        return fn(*args)
    except _Overrun as exc:
        raise _overran(exc) from None
    except SystemExit as exc:
        raise PluginCallError(plugin, tr("{call} tried to end the program (sys.exit({code!r})): a plugin must raise "
                                         "an exception, never exit", call=what, code=exc.code)) from None
    except (Exception, KeyboardInterrupt):
        raise
    except BaseException as exc:  # GeneratorExit, a plugin's own BaseException
        raise PluginCallError(plugin, tr("raised in {hook}: {error}", hook=what,
                                         error=f"{type(exc).__name__}: {exc}")) from None
    finally:
        if timed:
            _calls.pop()


def _overran(exc: _Overrun) -> PluginCallError:
    return PluginCallError(exc.plugin, tr("{call} did not finish within the time budget of {seconds} s (set "
                                          "{setting}=SECONDS to change it; 0: no limit)", call=exc.what,
                                          seconds=f"{exc.seconds:g}", setting=TIMEOUT_ENV))


def watching(needed: bool) -> contextlib.AbstractContextManager[None]:
    """:func:`watch` when ``needed`` (plugin code may run: one alarm for all its calls), else nothing."""
    return watch() if needed else contextlib.nullcontext()


@contextlib.contextmanager
def watch() -> Iterator[None]:
    """Keep the plugin calls made inside on their time budget (see the module's docstring): in the main thread,
    arm the alarm unless it is armed already, there is no limit, or the program handles SIGALRM itself."""
    if _watch["on"] or threading.get_ident() != _MAIN_THREAD:
        yield
        return
    seconds = budget()
    if not hasattr(signal, "setitimer") or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN):
        seconds = 0.0  # Windows, or the embedding program's own SIGALRM: not timed
    previous = signal.signal(signal.SIGALRM, _on_alarm) if seconds else None
    if seconds:
        tick = max(seconds / 10, 0.01)
        signal.setitimer(signal.ITIMER_REAL, tick, tick)
    _watch.update(on=True, seconds=seconds)
    try:
        yield
    except _Overrun as exc:  # the alarm struck as a plugin call was being left
        raise _overran(exc) from None
    finally:
        _watch.update(on=False, seconds=0.0)
        if seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _on_alarm(signum: int, frame: Any) -> None:
    if not _calls:
        return  # riskassess's own code is running: nothing to time
    plugin, what, started, seconds = _calls[0]
    if seconds and time.monotonic() - started >= seconds:
        raise _Overrun(plugin, what, seconds)
