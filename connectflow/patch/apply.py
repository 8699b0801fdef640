"""Write patches into a flow's text by splicing the bytes of each target value.

Everything outside the patched values is copied unchanged: whitespace, key
order, number spellings (``1.10``), escapes and duplicate keys survive, which a
``json.loads``/``json.dumps`` round trip would not keep. A value keeps the JSON
type it was stored as: a number is written as a number, a string as a string
(``"-1"`` becomes ``"4711"``).

Where the editor stored a JSON document inside a string (the string encoding,
see ``load.locate``), the logical pointer goes on inside that string: the
string is decoded, patched the same way, and the edits are mapped back onto
the characters of the original string literal, so even there only the bytes
of the value change.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable

from connectflow.load.locate import Span, join, resolve_all, split


class ApplyError(Exception):
    """A patch that cannot be written (its pointer does not exist, or patches overlap)."""


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


def apply(text: str, patches: Iterable[Any]) -> str:
    """``text`` with every patch's ``new`` value written at its ``pointer``."""
    targets = [(p.pointer, p.new) for p in patches]
    if not targets:
        return text  # byte for byte: not even parsed
    return splice(text, edits(text, targets))


@dataclass(frozen=True)
class Splice:
    """How a patched text was made from the original: what verify needs to read it without
    parsing all of it, and what gives the original back without holding it."""

    edits: list[Edit]                # sorted, offsets in the original
    spans: dict[str, Span | None]    # each patched part (``part_of``) in the original; None: not a value of its own
    undo: list[Edit]                 # the edits that turn the patched text back into the original

    def original(self, patched: str) -> str:
        return splice(patched, self.undo)

    def original_pieces(self, patched: str, size: int = 1 << 20):
        """``original(patched)`` in pieces of at most ``size`` characters, made one at a time."""
        cursor = 0
        for edit in self.undo:
            for start in range(cursor, edit.start, size):
                yield patched[start:min(start + size, edit.start)]
            yield edit.replacement
            cursor = edit.end
        for start in range(cursor, len(patched), size):
            yield patched[start:start + size]


def apply_edits(text: str, patches: Iterable[Any]) -> tuple[str, Splice]:
    """``apply``, and the ``Splice`` that made the result."""
    planned = splice_of(text, patches)
    return splice(text, planned.edits), planned


def splice_of(text: str, patches: Iterable[Any]) -> Splice:
    """The ``Splice`` that writes ``patches`` into ``text`` (``splice(text, edits)`` makes the result)."""
    targets = [(p.pointer, p.new) for p in patches]
    if not targets:
        return Splice([], {}, [])
    parts: dict[str, Span | None] = {}
    changes = edits(text, targets, parts)
    undo, shift = [], 0
    for edit in changes:
        start = edit.start + shift
        undo.append(Edit(start, start + len(edit.replacement), text[edit.start:edit.end]))
        shift += len(edit.replacement) - (edit.end - edit.start)
    return Splice(changes, parts, undo)


_LARGE = 1 << 20  # characters


def splice_handed(texts: list[str], changes: list[Edit]) -> str:
    """``splice(texts.pop(), changes)`` holding at most two copies of a large text at a time.

    The caller hands its only reference over (in ``texts``). ``splice`` would hold the text,
    copies of its unchanged stretches and the result at once; an ASCII text goes through its
    bytes instead, freed as soon as the next form is made, and the unchanged stretches are
    joined from a view of them, without copies."""
    text = texts.pop()
    if len(text) < _LARGE or not text.isascii() or not all(e.replacement.isascii() for e in changes):
        return splice(text, changes)
    data = text.encode("ascii")
    del text
    view = memoryview(data)
    parts, cursor = [], 0
    for edit in changes:
        parts += [view[cursor:edit.start], edit.replacement.encode("ascii")]
        cursor = edit.end
    parts.append(view[cursor:])
    joined = b"".join(parts)
    del parts, view, data
    return joined.decode("ascii")


def part_of(pointer: str) -> str:
    """The part of the flow a pointer is in: its cell (``/cells/3``), else its top-level value."""
    segments = split(pointer)
    return join(*segments[:2 if len(segments) > 1 and segments[0] == "cells" else 1])


def splice(text: str, changes: list[Edit]) -> str:
    parts, cursor = [], 0
    for edit in changes:
        parts += [text[cursor:edit.start], edit.replacement]
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)


def edits(text: str, targets: list[tuple[str, Any]], parts: dict | None = None) -> list[Edit]:
    """The sorted, non-overlapping edits that write each ``(pointer, value)`` into ``text``.
    ``parts``, when given, gets the span of each target's ``part_of`` (found in the same pass:
    a part is on its targets' path)."""
    wanted = [] if parts is None else [part_of(pointer) for pointer, _ in targets]
    try:
        places = resolve_all(text, [*(pointer for pointer, _ in targets), *wanted])
    except (ValueError, IndexError):
        raise ApplyError("the text is not a JSON document") from None
    for part in wanted:
        resolved = places[part]
        parts[part] = resolved.span if resolved is not None and not resolved.inner else None
    ascii_only = escapes_non_ascii(text)
    found: list[Edit] = []
    inside: dict[str, tuple[Any, list[tuple[str, Any]]]] = {}  # string literal -> patches inside it
    for pointer, value in targets:
        resolved = places[pointer]
        if resolved is None:
            raise ApplyError(f"{pointer or '/'}: no such value in the flow")
        span = resolved.span
        if resolved.inner:
            inside.setdefault(resolved.pointer, (span, []))[1].append((resolved.inner, value))
        else:
            found.append(Edit(span.start, span.end, _render_at(text, span, value, ascii_only)))
    for outer, (span, items) in inside.items():
        found.extend(_edits_in_string(text, span, outer, items, ascii_only))
    found.sort(key=lambda e: (e.start, e.end))
    for before, after in zip(found, found[1:]):
        if after.start < before.end:
            raise ApplyError("two patches change the same value")
    return found


def _edits_in_string(text: str, span, outer: str, items, ascii_only: bool) -> list[Edit]:
    """Patches inside a JSON document stored in the string literal at ``span``."""
    inner, offsets = unescape(text[span.start:span.end])
    try:
        inner_edits = edits(inner, items)
    except ApplyError as err:
        raise ApplyError(f"{outer}: inside the string value: {err}") from None
    return [Edit(span.start + offsets[e.start], span.start + offsets[e.end], escape(e.replacement, ascii_only))
            for e in inner_edits]


def escapes_non_ascii(text: str) -> bool:
    """Whether the file writes non-ASCII characters as \\u escapes (Python's default) rather
    than as UTF-8 (JavaScript's JSON.stringify); new values follow the file's habit."""
    return text.isascii() and re.search(r"\\u(?!00[0-7])[0-9a-fA-F]{4}", text) is not None


def _render_at(text: str, span, value: Any, ascii_only: bool) -> str:
    """Like ``render``; a list or object that replaces a multi-line one is laid out as the file lays
    out the one it replaces (its indent unit, the indentation of the line it starts on)."""
    raw = text[span.start:span.end]
    if not isinstance(value, (list, dict)) or "\n" not in raw or raw.startswith('"'):
        return render(raw, value, ascii_only)
    line = text[text.rfind("\n", 0, span.start) + 1:span.start]
    prefix = line[:len(line) - len(line.lstrip())]
    second = raw.split("\n", 2)[1]
    unit = max(1, len(second) - len(second.lstrip()) - len(prefix))
    return json.dumps(value, indent=unit, ensure_ascii=ascii_only).replace("\n", "\n" + prefix)


def render(raw: str, value: Any, ascii_only: bool) -> str:
    """``value`` as JSON text, in the JSON type of the ``raw`` text it replaces."""
    if raw.startswith('"'):  # stored as a string: stays a string
        return json.dumps(value if isinstance(value, str) else as_json(value), ensure_ascii=ascii_only)
    return as_json(value, ascii_only)


def as_json(value: Any, ascii_only: bool = False) -> str:
    """Compact JSON for numbers, booleans, null and structures (Python's json spells them as JSON does)."""
    return json.dumps(value, ensure_ascii=ascii_only, separators=(",", ":"))


def escape(text: str, ascii_only: bool) -> str:
    """``text`` as the inside of a JSON string literal."""
    return json.dumps(text, ensure_ascii=ascii_only)[1:-1]


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def unescape(literal: str) -> tuple[str, list[int]]:
    """Decode a JSON string literal (quotes included).

    Also returns, for every decoded character, its offset in ``literal`` (plus one
    final entry for the closing quote), so that an edit of the decoded text maps
    back to exactly the escaped characters it covers.
    """
    chars: list[str] = []
    offsets: list[int] = []
    i, end = 1, len(literal) - 1
    while i < end:
        offsets.append(i)
        if literal[i] != "\\":
            chars.append(literal[i])
            i += 1
        elif literal[i + 1] != "u":
            chars.append(_ESCAPES[literal[i + 1]])
            i += 2
        else:
            code, i = int(literal[i + 2:i + 6], 16), i + 6
            if 0xD800 <= code < 0xDC00 and literal.startswith("\\u", i):  # a surrogate pair is one character
                low = int(literal[i + 2:i + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    code, i = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), i + 6
            chars.append(chr(code))
    offsets.append(end)
    return "".join(chars), offsets
