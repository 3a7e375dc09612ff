"""Words a user reads, in Chinese or English: written once in English, translated when shown.

A message is written where it arises, in English with named placeholders (the message id, as in
gettext), and rendered into the reader's language only when it is shown: an error raised deep in
the loader cannot know the command line's ``--lang``. The Chinese for every message id is in
:mod:`riskassess.locale`; a test checks that every ``tr("…")`` in the code has its entry with the
same placeholders, so a message cannot be added in one language only.

``{name!r}`` quotes a value the way the language does: ``'x'`` in English, “x” in Chinese.
A list or tuple parameter is joined with ``, `` or ``、``.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

LANGS = ("zh", "en")


class Text:
    """A message in no language yet: an English template and its parameters."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: Any) -> None:
        self.template = template
        self.params = params

    def render(self, lang: str) -> str:
        template = self.template
        if lang == "zh":
            from .locale import zh_catalogue
            template = zh_catalogue().get(template, template)
        return _Formatter(lang).vformat(template, (), self.params)

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return f"Text({self.template!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return (self.template, self.params) == (other.template, other.params)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.template)


class Bilingual(Text):
    """A message its writer gives in both languages: for plugins, whose words the core catalogue does not
    hold (``ParameterError(Bilingual("权重之和应为 1", "weights must add up to 1"))``)."""

    __slots__ = ("zh",)

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh

    def render(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.template

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bilingual) and (self.zh, self.template) == (other.zh, other.template)

    def __hash__(self) -> int:
        return hash((self.zh, self.template))


def tr(template: str, /, **params: Any) -> Text:
    """Mark ``template`` as a user-facing message; rendered by :meth:`Text.render`."""
    return Text(template, **params)


def render(value: Any, lang: str) -> str:
    """``value`` in ``lang``: a :class:`Text` translated, a list joined, anything else as text."""
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return join((render(v, lang) for v in value), lang)
    return str(value)


def join(items: Iterable[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def quote(value: Any, lang: str) -> str:
    """A value quoted for a message: control characters escaped, as ``repr`` does."""
    if isinstance(value, Text):
        value = value.render(lang)
    if lang == "zh" and isinstance(value, str):
        return f"“{repr(value)[1:-1]}”"
    return repr(value)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "r":
            return quote(value, self.lang)
        if conversion is None and isinstance(value, (Text, list, tuple)):
            return render(value, self.lang)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, Text):
            value = value.render(self.lang)
        return super().format_field(value, format_spec)
