"""JSON pointers (RFC 6901) and where they sit in the raw text.

A finding or a patch names a place with a *logical* pointer into the decoded
document. Where the editor stored a JSON document inside a string (the string
encoding of node settings), the pointer simply goes on through that string:
``/cells/3/value/children/9/text/0/value`` is the same place whether ``text`` is
a list or a string holding that list. ``SourceMap.resolve`` follows a pointer as
far as the raw text has structure and reports the rest as the part inside a
string.

``resolve_all``/``locate_all`` answer for a handful of pointers in one pass that
descends only along their paths and skips everything else with the C JSON
scanner: what lint needs to place its findings. ``SourceMap`` keeps the span of
every value, for callers that want them all.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from json.decoder import scanstring
from typing import Iterable

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_WS = " \t\r\n"
_LITERALS = ("true", "false", "null")


def escape(segment: str | int) -> str:
    segment = str(segment)
    if "~" not in segment and "/" not in segment:  # nearly always: no copy
        return segment
    return segment.replace("~", "~0").replace("/", "~1")


def unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def join(*segments: str | int) -> str:
    return "".join(["/" + escape(s) for s in segments])  # a list: no generator per pointer


def child(pointer: str, *segments: str | int) -> str:
    if len(segments) == 1:  # the common case, on hot paths (model, variable walk)
        return f"{pointer}/{escape(segments[0])}"
    return "/".join([pointer, *map(escape, segments)])


def split(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    if "~" not in pointer:  # nearly always: nothing to unescape
        return pointer[1:].split("/")
    return [unescape(s) for s in pointer[1:].split("/")]


def item_index(segment: str) -> int | None:
    """The list index a pointer segment names ("3"; not "03", nor "-"), or None."""
    return int(segment) if segment.isdigit() and (segment == "0" or segment[0] != "0") else None


def column(text: str, offset: int) -> int:
    """1-based column (in characters) of a character offset of ``text``."""
    return offset - text.rfind("\n", 0, offset)


def pointer_of(match) -> str:
    """RFC 6901 pointer of a jsonpath-ng match; ValueError for a path that names no single value."""
    from jsonpath_ng.jsonpath import Fields, Index, This  # only YAML rules and --set need it

    parts: list[str | int] = []
    datum = match
    while datum is not None and datum.context is not None:
        path = datum.path
        if isinstance(path, Index):  # jsonpath-ng >= 1.7 keeps ``indices``, older ones ``index``
            indices = getattr(path, "indices", None) or (path.index,)
            if len(indices) != 1:
                raise ValueError(f"cannot turn {path} into a JSON pointer")
            parts.append(indices[0])
        elif isinstance(path, Fields) and len(path.fields) == 1:
            parts.append(path.fields[0])
        elif not isinstance(path, This):
            raise ValueError(f"cannot turn {path} into a JSON pointer")
        datum = datum.context
    return join(*reversed(parts))


@dataclass(frozen=True)
class Span:
    """Character offsets ``[start, end)`` of a value in the text."""

    start: int
    end: int


@dataclass(frozen=True)
class Resolved:
    """Where a logical pointer lands in the raw text.

    ``pointer`` is the longest prefix present in the raw structure, ``span`` its
    value, and ``inner`` the rest of the pointer, to follow inside the string
    at ``span`` (empty when the raw text has the whole path).
    """

    pointer: str
    span: Span
    inner: str


def _deepest(text: str, segments, span_of, repeated: bool) -> Resolved | None:
    """The longest prefix of ``segments`` with a span in ``text`` (``span_of(k)``: the span of the
    first ``k`` segments, or None), as both resolvers answer: the rest of the pointer goes on
    inside a string, or names nothing in a real container.

    ``repeated``: a key was met twice in one object. json keeps its last copy, so a span
    recorded under the first copy (which lies outside its parent's span, the last copy's)
    is not in the document."""
    for cut in range(len(segments), -1, -1):
        span = span_of(cut)
        if span is None or repeated and not _within_parents([span_of(k) for k in range(cut + 1)]):
            continue
        if cut < len(segments) and text[span.start] != '"':
            return None  # a real container that lacks the next key
        return Resolved(join(*segments[:cut]), span, join(*segments[cut:]))
    return None


def _within_parents(chain: list) -> bool:
    """Whether each span of ``chain`` (the spans of a pointer's prefixes, shortest first) lies
    inside the one before it."""
    return all(inner is not None and outer is not None and outer.start <= inner.start and inner.end <= outer.end
               for outer, inner in zip(chain, chain[1:]))


class SourceMap:
    """Spans of every value in a JSON text, keyed by JSON pointer."""

    def __init__(self, text: str):
        self.text = text
        self._spans: dict[str, Span] = {}
        self._line_starts: list[int] | None = None
        self._repeated = False  # a key met twice in one object (see _deepest)
        end = self._value(self._skip(0), "")
        if self._skip(end) != len(text):
            raise ValueError("extra data after the JSON document")

    # -- scanning -----------------------------------------------------------
    def _skip(self, i: int) -> int:
        text = self.text
        while i < len(text) and text[i] in _WS:
            i += 1
        return i

    def _value(self, i: int, pointer: str) -> int:
        text = self.text
        char = text[i]
        if char == "{":
            end = self._object(i, pointer)
        elif char == "[":
            end = self._array(i, pointer)
        elif char == '"':
            _, end = scanstring(text, i + 1)
        else:
            for literal in _LITERALS:
                if text.startswith(literal, i):
                    end = i + len(literal)
                    break
            else:
                match = _NUMBER.match(text, i)
                if not match:
                    raise ValueError(f"unexpected character at offset {i}")
                end = match.end()
        self._spans[pointer] = Span(i, end)
        return end

    def _object(self, i: int, pointer: str) -> int:
        text = self.text
        i = self._skip(i + 1)
        if text[i] == "}":
            return i + 1
        while True:
            key, i = scanstring(text, i + 1)
            i = self._skip(i)  # at ':'
            here = pointer + "/" + escape(key)
            self._repeated = self._repeated or here in self._spans
            i = self._value(self._skip(i + 1), here)
            i = self._skip(i)
            if text[i] == "}":
                return i + 1
            i = self._skip(i + 1)  # past ','

    def _array(self, i: int, pointer: str) -> int:
        text = self.text
        i = self._skip(i + 1)
        if text[i] == "]":
            return i + 1
        index = 0
        while True:
            i = self._skip(self._value(i, f"{pointer}/{index}"))
            index += 1
            if text[i] == "]":
                return i + 1
            i = self._skip(i + 1)

    # -- queries -------------------------------------------------------------
    def span(self, pointer: str) -> Span | None:
        return self._spans.get(pointer)

    def resolve(self, pointer: str) -> Resolved | None:
        """Follow ``pointer`` as deep as the raw text goes (see class doc)."""
        segments = split(pointer)
        return _deepest(self.text, segments, lambda k: self._spans.get(join(*segments[:k])), self._repeated)

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a character offset."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def locate(self, pointer: str) -> tuple[int, int] | None:
        resolved = self.resolve(pointer)
        if resolved is None:
            return None
        return self.line_col(resolved.span.start)


# -- only the pointers asked for -------------------------------------------------------------

_skip_value = json.scanner.make_scanner(json.JSONDecoder())  # (value, end) at an offset, in C
_SPACE = re.compile(r"[ \t\n\r]*")
_MEMBER = re.compile(r'"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*')
_AFTER = re.compile(r"[ \t\n\r]*([,}\]])[ \t\n\r]*")
# What follows a value inside an object or an array: a comma and the space after it, or (group 1)
# the container's close. One match per value read; anything else is worded by _after_value.
_NEXT_MEMBER = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*|(\}))")
_NEXT_ITEM = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*|(\]))")


def _after_value(text: str, i: int, close: str) -> tuple[int, bool]:
    """Past what follows the value ending at ``i``: ``(next value's offset, False)`` after a comma,
    ``(offset past close, True)`` at the container's ``close``; StopIteration otherwise."""
    found = _AFTER.match(text, i)
    separator = found.group(1) if found is not None else None
    if separator == ",":
        return found.end(), False
    if separator == close:
        return found.start(1) + 1, True
    raise StopIteration(i if found is None else found.start(1))


def _skip_ws(text: str, i: int) -> int:
    return _SPACE.match(text, i).end()


class _PathScan:
    """Spans of the values on the paths of some pointers, found in one pass over ``text``.

    Every value is still read (off the paths by the C scanner), so the text is validated
    as a whole and a repeated key is answered by its last copy, as ``SourceMap`` does.
    Spans are kept as ``(start, end)`` pairs, made ``Span`` for the answers only."""

    def __init__(self, text: str, pointers: Iterable[str]):
        self.text = text
        self.spans: dict[tuple[str, ...], tuple[int, int]] = {}
        self.segments: dict[str, tuple[str, ...]] = {}
        self.repeated = False  # a key on the paths met twice in one object (see _deepest)
        trie: dict = {}
        for pointer in pointers:
            node = trie
            segments = self.segments[pointer] = tuple(split(pointer))
            for segment in segments:
                node = node.setdefault(segment, {})
        try:
            end = self._value(_skip_ws(text, 0), (), trie)
        except StopIteration as err:
            raise ValueError(f"unexpected character at offset {err.value}") from None
        except IndexError:
            raise ValueError("the document ends early") from None
        if _skip_ws(text, end) != len(text):
            raise ValueError("extra data after the JSON document")

    def _value(self, i: int, path: tuple[str, ...], trie: dict) -> int:
        text = self.text
        char = text[i] if i < len(text) else ""
        if trie and char == "{":
            end = self._object(i, path, trie)
        elif trie and char == "[":
            end = self._array(i, path, trie)
        else:
            _, end = _skip_value(text, i)
        self.spans[path] = (i, end)
        return end

    def _object(self, i: int, path: tuple[str, ...], trie: dict) -> int:
        text, space, member, get, after, skip = self.text, _SPACE.match, _MEMBER.match, trie.get, _NEXT_MEMBER.match, _skip_value
        i = space(text, i + 1).end()
        if text[i] == "}":
            return i + 1
        while True:
            found = member(text, i)
            if found is not None:  # a key without escapes, its colon and the space after it
                key, i = found.group(1), found.end()
            else:
                if text[i] != '"':
                    raise StopIteration(i)
                key, i = scanstring(text, i + 1)
                i = space(text, i).end()
                if text[i] != ":":
                    raise StopIteration(i)
                i = space(text, i + 1).end()
            sub = get(key)
            if sub is None:
                _, i = skip(text, i)
            else:
                here = path + (key,)
                self.repeated = self.repeated or here in self.spans
                i = self._value(i, here, sub)
            found = after(text, i) or _after_value(text, i, "}")  # (which raises, naming the offset)
            if found.lastindex:
                return found.end()
            i = found.end()

    def _array(self, i: int, path: tuple[str, ...], trie: dict) -> int:
        text, after, skip = self.text, _NEXT_ITEM.match, _skip_value
        i = _SPACE.match(text, i + 1).end()
        if text[i] == "]":
            return i + 1
        # Segments that name an item ("3", not "03"), by number: no str() per item read.
        wanted = {index: k for k in trie if (index := item_index(k)) is not None}
        index = 0
        while True:
            segment = wanted.get(index)
            if segment is None:
                _, i = skip(text, i)
            else:
                i = self._value(i, path + (segment,), trie[segment])
            index += 1
            found = after(text, i) or _after_value(text, i, "]")  # (which raises, naming the offset)
            if found.lastindex:
                return found.end()
            i = found.end()

    def _span(self, segments: tuple[str, ...]) -> Span | None:
        found = self.spans.get(segments)
        return None if found is None else Span(*found)

    def resolve(self, pointer: str) -> Resolved | None:
        segments = self.segments.get(pointer) or tuple(split(pointer))
        span = self.spans.get(segments)
        if span is not None and "~" not in pointer and not self.repeated:  # the whole path is in the raw text
            return Resolved(pointer, Span(*span), "")
        return _deepest(self.text, segments, lambda k: self._span(segments[:k]), self.repeated)


def resolve_all(text: str, pointers: Iterable[str]) -> dict[str, Resolved | None]:
    """``SourceMap(text).resolve(p)`` for each pointer, reading only what the answers need.
    Raises ValueError when ``text`` is not one JSON document."""
    pointers = list(dict.fromkeys(pointers))
    scan = _PathScan(text, pointers)
    return {pointer: scan.resolve(pointer) for pointer in pointers}


def line_cols(text: str, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
    """1-based (line, column) of each character offset, counting newlines once, up to the last."""
    found: dict[int, tuple[int, int]] = {}
    line, cursor = 1, 0
    for offset in sorted(set(offsets)):
        line += text.count("\n", cursor, offset)
        cursor = offset
        found[offset] = (line, column(text, offset))
    return found


def locate_all(text: str, pointers: Iterable[str]) -> dict[str, tuple[int, int] | None]:
    """``SourceMap(text).locate(p)`` for each pointer, in one pass (see ``resolve_all``)."""
    resolved = resolve_all(text, pointers)
    places = line_cols(text, (r.span.start for r in resolved.values() if r is not None))
    return {pointer: None if r is None else places[r.span.start] for pointer, r in resolved.items()}
