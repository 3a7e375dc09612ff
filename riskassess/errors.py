"""Errors a user can act on, and the exit codes the command line maps them to.

Every error the engine raises on purpose derives from :class:`RiskAssessError` and
knows where it happened (file, line, field) and what to do next. The CLI catches
this root once and prints ``str(error)``; anything else is a bug and exits with
:attr:`ExitCode.INTERNAL_ERROR`.
"""

from __future__ import annotations

from enum import IntEnum

from .i18n import Text, render


class ExitCode(IntEnum):
    """Documented exit codes of the ``riskassess`` command."""

    OK = 0
    """The command did what was asked."""
    GATE_TRIPPED = 1
    """A check failed: ``evaluate --fail-on G`` (the post-measure grade is G or worse), ``test`` (a case
    failed or coverage is below ``--min-coverage``), ``lint`` (an error was found)."""
    INPUT_ERROR = 2
    """A questionnaire, rule set, record or command-line option is invalid."""
    PLUGIN_ERROR = 3
    """A plugin failed to load, raised, or returned something invalid."""
    INTERNAL_ERROR = 4
    """A bug in riskassess itself (rerun with ``--debug`` and report it)."""
    NOT_REPRODUCED = 5
    """``verify``: re-evaluation does not reproduce the record."""


class RiskAssessError(Exception):
    """Root of every error riskassess reports to a user.

    :param message: what is wrong, in one line.
    :param source: the file (or other named input) it concerns.
    :param line: 1-based line in ``source``, when known.
    :param field: dotted path of the offending field or rule element.
    :param hint: what to do about it.
    """

    exit_code: ExitCode = ExitCode.INPUT_ERROR

    def __init__(
        self,
        message: str | Text,
        *,
        source: str | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | Text | None = None,
    ) -> None:
        super().__init__(str(message))
        self.text = message
        self.message = str(message)
        """The message in English (:meth:`render` gives it in another language)."""
        self.source = source
        self.line = line
        self.field = field
        self.hint_text = hint
        self.hint = None if hint is None else str(hint)

    def location(self, lang: str = "en") -> str:
        if self.line is None:
            return self.source or ""
        if self.source:
            return f"{self.source}:{self.line}"
        return f"第 {self.line} 行" if lang == "zh" else f"line {self.line}"

    def render(self, lang: str = "en") -> str:
        """``file:line: field: message (hint)`` in ``lang``."""
        parts = []
        where = self.location(lang)
        if where:
            parts.append(f"{where}:")
        if self.field:
            parts.append(f"{self.field}:")
        parts.append(render(self.text, lang))
        text = " ".join(parts)
        if self.hint_text is not None:
            hint = render(self.hint_text, lang)
            text += f"（{hint}）" if lang == "zh" else f" ({hint})"
        return text

    def __str__(self) -> str:
        return self.render("en")


class InputError(RiskAssessError):
    """A questionnaire or other user input is malformed or invalid."""


class RuleSetError(RiskAssessError):
    """A rule set cannot be loaded: bad YAML, schema violation, unknown fact or operator."""


class PluginError(RiskAssessError):
    """A plugin failed to load, raised during a hook, or returned nonsense."""

    exit_code = ExitCode.PLUGIN_ERROR


class EvaluationError(RiskAssessError):
    """A condition could not be evaluated (never silently treated as false)."""


class RecordError(RiskAssessError):
    """An assessment record file is unreadable or not a riskassess record."""


class ErrorText(Text):
    """An error as a message, or a part of one: rendered by the error itself, in the reader's language.

    For an error reported inside another message (a pack test case that failed to evaluate, a
    rule set that no longer loads when a record is verified) without losing its translation.
    """

    __slots__ = ("error",)

    def __init__(self, error: RiskAssessError) -> None:
        super().__init__("{error}", error=error)
        self.error = error

    def render(self, lang: str) -> str:
        return self.error.render(lang)
