"""Make file-derived text safe to print: one shared place for every output.

A flow, a zip member name or a file name is data from someone else. Printed raw,
a newline forges a new line (a GitHub ``::error`` workflow command, a fake
"no findings"), an ANSI escape rewrites the terminal, and Rich markup
(``[red]``, ``[/]``) restyles, hides or crashes the output. Each output escapes
for its own syntax at the point it prints; these helpers are the shared pieces:

* :func:`visible` - line breaks and tabs as spaces, every other control character (C0,
  DEL, C1, line/paragraph separators, bidirectional overrides) as a visible ``\\u001b``
  escape: the text stays on one line and cannot drive a terminal (the same rule as
  ``report.common.visible``, so text escaped twice reads the same).
* :func:`markup` - :func:`visible`, then Rich markup escaped: for ``console.print``.
* :func:`workflow_command` - GitHub Actions' escaping of a command's message or property.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SPACES = {"\n": " ", "\r": " ", "\t": " "}


def _escape_char(match: re.Match) -> str:
    char = match.group()
    return _SPACES.get(char) or f"\\u{ord(char):04x}"


def visible(text: object) -> str:
    """``text`` on one line with every control character shown as an escape."""
    text = text if isinstance(text, str) else str(text)
    if text.isprintable():  # the common case, checked in C
        return text
    return _CONTROL.sub(_escape_char, text.replace("\r\n", " "))


def markup(text: object) -> str:
    """Safe to embed in a Rich markup string: one line, no tags."""
    from rich.markup import escape

    return escape(visible(text))


def workflow_command(text: object, property_: bool = False) -> str:
    """A GitHub Actions workflow-command message (or, with ``property_``, a property value)."""
    text = visible(text).replace("%", "%25")
    return text.replace(":", "%3A").replace(",", "%2C") if property_ else text


__all__ = ["markup", "visible", "workflow_command"]
