"""A broken YAML file explained in its writer's terms.

PyYAML reports where its parser gave up, in its own vocabulary ("mapping values are not allowed
here"), often a line after the mistake. The commonest mistake of a Chinese keyboard is YAML's own
punctuation typed full-width (``land：``, a list ``[a，b]``, an indent of U+3000), so those are looked
for first, on the failing line and the lines before it; otherwise the parser's problem is said in
the reader's language.
"""

from __future__ import annotations

import re

from .errors import RiskAssessError
from .i18n import Text, tr

#: Full-width characters a Chinese input method types for YAML's ASCII punctuation.
FULL_WIDTH = {"：": ":", "，": ",", "［": "[", "］": "]", "｛": "{", "｝": "}", "－": "-", "＃": "#",
              "“": '"', "”": '"', "‘": "'", "’": "'", "\u3000": " "}

_KEY_COLON = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*：")
_DASH = re.compile(r"^\s*－\s")
_FLOW = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*:\s*[\[{].*[，：］｝]")

#: PyYAML's (and libyaml's) problems, by the words they start with.
_PROBLEMS = (
    ("mapping values are not allowed", tr("a colon where YAML does not expect one: the line before may lack its "
                                          "'key: ', a value that contains ': ' must be quoted, or the "
                                          "indentation is wrong")),
    ("could not find expected ':'", tr("a line without 'key: value' inside a mapping: add the colon and a "
                                        "space, or fix the indentation")),
    ("found character '\\t'", tr("a tab character: YAML indents with spaces only")),
    ("found a tab character", tr("a tab character: YAML indents with spaces only")),
    ("found character that cannot start any token", tr("a character that cannot start a value here "
                                                        "(often a tab: YAML indents with spaces only)")),
    ("did not find expected key", tr("the indentation does not line up with the keys around it")),
    ("did not find expected '-' indicator", tr("the indentation does not line up with the list items "
                                                "around it")),
    ("did not find expected node content", tr("a value is missing or a bracket is misplaced")),
    ("did not find expected ',' or ']'", tr("a list in brackets is not closed with ']' (or items are not "
                                             "separated by ASCII commas)")),
    ("did not find expected ',' or '}'", tr("a mapping in braces is not closed with '}}' (or entries are not "
                                             "separated by ASCII commas)")),
    ("found unexpected end of stream", tr("the file ends inside a quoted text or a bracket: close it")),
    ("found unknown escape character", tr("an unknown backslash escape inside double quotes: write \\\\ for "
                                           "a backslash, or use single quotes")),
    ("block sequence entries are not allowed", tr("a list item ('- ') where a value was expected on the same "
                                                   "line: put the list on the next lines, indented")),
    ("found undefined alias", tr("anchors and aliases (&name / *name) are not allowed")),
    ("but found another document", tr("more than one YAML document ('---'): a file holds one")),
    ("found unexpected ':'", tr("a colon where YAML does not expect one: quote the value")),
)


def syntax_error(text: str, problem: str, line: int | None, source: str,
                 error: type[RiskAssessError]) -> RiskAssessError:
    """The error for a file PyYAML could not parse: full-width punctuation first, else the problem."""
    found = full_width_punctuation(text, line)
    if found is not None:
        at, message, hint = found
        return error(message, source=source, line=at, hint=hint)
    for start, message in _PROBLEMS:
        if problem.startswith(start):
            return error(tr("invalid YAML: {problem}", problem=message), source=source, line=line)
    return error(tr("invalid YAML (the parser says: {detail})", detail=problem), source=source, line=line,
                 hint=tr("check the indentation, colons and quotes on this line and the one before"))


def full_width_punctuation(text: str, upto: int | None = None) -> tuple[int, Text, Text] | None:
    """The first line (up to ``upto`` + 1) where YAML punctuation was typed full-width, and what to write."""
    lines = text.splitlines()
    last = len(lines) if upto is None else min(len(lines), upto + 1)
    for number, content in enumerate(lines[:last], 1):
        indent = content[: len(content) - len(content.lstrip(" \u3000\t"))]
        if "\u3000" in indent:
            return number, tr("the indentation holds a full-width space (U+3000)"), \
                tr("indent with ASCII spaces only")
        key = _KEY_COLON.match(content)
        if key:
            return number, tr("the key {key!r} is followed by a full-width colon '：'", key=key.group(1)), \
                tr("write an ASCII colon and a space: {fixed}", fixed=f"{key.group(1)}: …")
        if _DASH.match(content):
            return number, tr("a list item starts with a full-width dash '－'"), tr("write '- ' (ASCII)")
        if _FLOW.match(content):
            char = next(c for c in content if c in "，：］｝")
            return number, tr("full-width {char!r} inside brackets", char=char), \
                tr("inside [ ] and {{ }} write the ASCII {ascii!r}", ascii=FULL_WIDTH[char])
    return None


def full_width_hint(value: object) -> Text | None:
    """A hint for a text answer that holds YAML punctuation typed full-width (``a，b`` meant a list)."""
    if not isinstance(value, str):
        return None
    for char in value:
        if char in FULL_WIDTH and char not in "“”‘’\u3000":
            return tr("{char!r} is full-width; YAML reads it as part of the text. Write the ASCII {ascii!r}",
                      char=char, ascii=FULL_WIDTH[char])
    return None
