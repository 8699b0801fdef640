"""Line and column of pointers found without parsing the text again, when the text is the
standard indentation of the document.

The Flow Builder's files (every capture in ``reference-flows``) are the document indented by
two spaces, byte for byte what ``orjson.dumps(document, option=OPT_INDENT_2)`` writes. In such
a text every member of a container at depth ``d`` starts a line indented by ``2 * (d + 1)``
spaces, and nothing else inside the container is indented by exactly that much (deeper values
are indented further, and strings hold no raw line breaks). So a member is found with one
``str.find`` for its key (or one regex for an item's line), where reading the text
(``locate.locate_all``) steps over every earlier sibling with Python's JSON scanner: a fifth of
a 10 MB flow's lint.

Whether a text is that layout is checked, not assumed: orjson writes the document again,
one member of the top containers at a time (never a second copy of the whole text), and each
piece is compared with the text. Anything else (another indentation, escapes or number forms
orjson does not write, a repeated key, a document changed since it was read) answers None,
and the caller reads the text as before.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import islice
from operator import itemgetter
from typing import Any, Iterable

import orjson

from connectflow.load.locate import column, item_index, split

# Containers this shallow are checked member by member, and their members' places kept;
# deeper values are written and compared in one piece.
_CHECKED_BY_MEMBER = 2


@cache
def _wrapping(depth: int) -> tuple[int, int]:
    """How many characters orjson writes before and after a value nested in ``depth`` lists:
    the value between them is indented as it is at that depth."""
    before = sum(2 + 2 * k for k in range(1, depth + 1))
    return before, sum(2 + 2 * k for k in range(depth))


@cache
def _item_line(depth: int) -> re.Pattern:
    """The start of a line that starts an item of a list at ``depth`` (not a deeper line, nor the
    line that closes an item)."""
    return re.compile("\n" + "  " * (depth + 1) + "(?=[^ \\]}])")


def _key_text(key: str) -> str:
    return orjson.dumps(key).decode()


class _Layout:
    def __init__(self, text: str, document: Any):
        self.text = text
        self.document = document
        self._members: dict[int, list[int]] = {}  # id(container): the offset of each member
        self._indexes: dict[int, dict[str, int]] = {}
        self._item_offsets: dict[int, list[int]] = {}  # id(list): where its first items start
        end = self._written(document, 0, 0)
        self.matches = end is not None and not text[end:].strip(" \t\r\n")

    def _written(self, value: Any, depth: int, at: int) -> int | None:
        """Where ``value``, written at ``depth`` from offset ``at``, ends in the text; None if the
        text holds something else there."""
        text = self.text
        if depth >= _CHECKED_BY_MEMBER or not isinstance(value, (dict, list)) or not value:
            for _ in range(depth):
                value = [value]
            try:
                written = orjson.dumps(value, option=orjson.OPT_INDENT_2)
            except orjson.JSONEncodeError:  # an integer wider than 64 bits: not orjson's text
                return None
            before, after = _wrapping(depth)
            piece = str(memoryview(written)[before:len(written) - after], "utf-8")
            return at + len(piece) if text.startswith(piece, at) else None
        is_object = isinstance(value, dict)
        if not text.startswith("{" if is_object else "[", at):
            return None
        at, members = at + 1, []
        indent = "\n" + "  " * (depth + 1)
        for index, (key, item) in enumerate(value.items() if is_object else enumerate(value)):
            lead = ("," if index else "") + indent + (_key_text(key) + ": " if is_object else "")
            if not text.startswith(lead, at):
                return None
            start = at + len(lead)
            at = self._written(item, depth + 1, start)
            if at is None:
                return None
            members.append(start)
        close = "\n" + "  " * depth + ("}" if is_object else "]")
        if not text.startswith(close, at):
            return None
        self._members[id(value)] = members
        return at + len(close)

    def _index(self, container: dict, key: str) -> int:
        indexes = self._indexes.get(id(container))
        if indexes is None:
            indexes = self._indexes[id(container)] = {k: i for i, k in enumerate(container)}
        return indexes[key]

    def _items(self, items: list, depth: int, at: int, wanted: int) -> int:
        """The offset of item ``wanted`` of the list that starts at ``at``: the lines at its items'
        indentation, read as far as asked and kept."""
        offsets = self._item_offsets.setdefault(id(items), [])
        if wanted >= len(offsets):
            lines = _item_line(depth).finditer(self.text, offsets[-1] if offsets else at)
            offsets.extend(map(re.Match.end, islice(lines, wanted + 1 - len(offsets))))  # (no match past the end)
        return offsets[wanted]

    def _step(self, value: Any, at: int, depth: int, segment: str):
        """``(child, offset)`` of ``segment`` in ``value`` (which starts at ``at``, at ``depth``);
        None when it names nothing there; ``_INSIDE`` when ``value`` is a string (the rest of the
        pointer goes on inside it)."""
        if isinstance(value, dict):
            if segment not in value:
                return None
            members = self._members.get(id(value))
            if members is not None:
                return value[segment], members[self._index(value, segment)]
            lead = "\n" + "  " * (depth + 1) + _key_text(segment) + ": "  # the one line at this indentation
            return value[segment], self.text.find(lead, at) + len(lead)
        if isinstance(value, list):
            index = item_index(segment)
            if index is None or index >= len(value):
                return None
            members = self._members.get(id(value))
            return value[index], members[index] if members is not None else self._items(value, depth, at, index)
        return _INSIDE if isinstance(value, str) else None

    def place_all(self, pointers: Iterable[str]) -> dict[str, tuple[int, int] | None]:
        """As ``SourceMap.locate`` for each pointer: where its value starts, or the string the rest
        of it goes on inside; None when its path names nothing. In pointer order, each pointer
        goes on from the path it shares with the one before; then the lines, in offset order (one
        count of line breaks over the text, not one per step)."""
        offsets: dict[str, int | None] = {}
        path: list[str] = []
        steps = [(self.document, 0)]  # (value, offset) at the root and after each of path
        for pointer in sorted(set(pointers)):
            segments = split(pointer)
            shared = 0
            while shared < len(path) and shared < len(segments) and path[shared] == segments[shared]:
                shared += 1
            del path[shared:], steps[shared + 1:]
            step = None
            for depth in range(shared, len(segments)):
                step = self._step(*steps[-1], depth, segments[depth])
                if step is None or step is _INSIDE:
                    break
                path.append(segments[depth])
                steps.append(step)
            whole = len(path) == len(segments) or step is _INSIDE  # else a step named nothing
            offsets[pointer] = steps[-1][1] if whole else None
        text = self.text
        placed: dict[str, tuple[int, int] | None] = dict.fromkeys(offsets)
        line, last = 1, 0
        for pointer, at in sorted(((p, at) for p, at in offsets.items() if at is not None), key=itemgetter(1)):
            line += text.count("\n", last, at)
            last = at
            placed[pointer] = (line, column(text, at))
        return placed


_INSIDE = object()


def place_all(text: str, document: Any, pointers: Iterable[str]) -> dict[str, tuple[int, int] | None] | None:
    """``locate_all(text, pointers)`` from ``document``, when ``text`` is its two-space indentation
    as orjson writes it; None when it is not (the caller then reads the text)."""
    layout = _Layout(text, document)
    return layout.place_all(pointers) if layout.matches else None
