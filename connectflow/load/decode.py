"""The one JSON decoder: standard JSON only, with bounds every later walk relies on.

``json.loads`` accepts ``NaN``/``Infinity``, lets ``int()`` fail on numbers over
4,300 digits, and returns strings holding lone surrogates (``"\\ud800"``) that cannot
be printed or written as UTF-8. It also returns documents nested deeper than the
recursive code after it (the source map, the model, patch's expansion of settings
stored in strings) can walk. :func:`loads` refuses all of these with a
:class:`JSONLimitError` (a ``ValueError``, so callers that fall back to "keep the
string" keep working). ``MAX_DEPTH`` bounds the *logical* depth: nesting counted
through JSON documents stored inside strings too. Real flows stay under 20.

orjson parses first, in about half the time of ``json``; its answer is kept only where it
is ``json``'s: anything it refuses (invalid JSON, ``NaN``, an infinite number, a lone
surrogate, deep nesting), a document that may cross a bound, or an integer too wide for
64 bits (orjson makes it a float) goes to the standard decoder, which words every error.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

MAX_DEPTH = 100
MAX_INT_DIGITS = 1000
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class JSONLimitError(ValueError):
    """Valid-looking JSON that connectflow refuses; ``str()`` is one line."""


def _constant(name: str) -> Any:
    raise JSONLimitError(f"{name} is not a JSON value (non-standard literal)")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JSONLimitError(f"a number with {len(text):,} digits (over {MAX_INT_DIGITS})")
    return int(text)


def _float(text: str) -> float:
    # No bound on its length: float() reads any in linear time (int() does not), and orjson,
    # which reads most documents, has none either.
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise JSONLimitError(f"the number {text[:20]} is too large for a float")
    return value


def _looks_like_document(value: str) -> bool:
    return value[:1] in ("{", "[")


def check(value: Any, depth: int = 0, surrogates: bool = True) -> None:
    """Raise JSONLimitError when ``value`` nests deeper than MAX_DEPTH (through
    documents stored in strings too) or, with ``surrogates``, holds a lone surrogate."""
    if not surrogates and _shallow(value, depth):
        return  # nearly always: the walk below would find nothing
    # Only what may need looking at goes on the stack: containers, and strings when they may
    # hold a surrogate or a document (a 10 MB flow holds some 300,000 scalars). Skipping the
    # rest keeps the order of the others, so the first problem found is the same.
    stack = [(value, depth)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            if surrogates and not item.isascii():
                _encodable(item)
            # A document stored in a string can nest at most once per bracket it holds.
            if _looks_like_document(item) and level + item.count("{") + item.count("[") > MAX_DEPTH:
                try:
                    inner = _DECODER.decode(item)
                except RecursionError:
                    raise JSONLimitError(f"nested more than {MAX_DEPTH} levels deep (inside a string)") from None
                except ValueError:
                    continue  # not JSON after all: it stays a string everywhere
                stack.append((inner, level))
            continue
        if isinstance(item, dict):
            if level >= MAX_DEPTH:
                raise JSONLimitError(f"nested more than {MAX_DEPTH} levels deep")
            if surrogates:
                for key in item:
                    if not key.isascii():
                        _encodable(key)
            children = item.values()
        elif isinstance(item, list):
            if level >= MAX_DEPTH:
                raise JSONLimitError(f"nested more than {MAX_DEPTH} levels deep")
            children = item
        else:
            continue
        for child in children:
            if isinstance(child, (dict, list)) or (isinstance(child, str) and (surrogates or child[:1] in ("{", "["))):
                stack.append((child, level + 1))


def _shallow(value: Any, depth: int, wide: bool = False) -> bool:
    """True when ``check(value, depth, surrogates=False)`` cannot raise; False when it may.
    ``wide``: also False at a float that may be an integer too wide for orjson.

    Level by level over the containers, one plain loop per child (a 10 MB flow holds some
    250,000 values): a string that may hold a document counts its brackets, as ``check``
    does before decoding it. ``check`` then finds the first problem, in its own order."""
    if type(value) is not dict and type(value) is not list:
        return False
    level, frontier = depth, [value]
    while frontier:
        if level >= MAX_DEPTH:
            return False
        below = []
        push, room = below.append, MAX_DEPTH - level - 1  # room: the brackets a child string may hold
        for item in frontier:
            for child in (item.values() if type(item) is dict else item):
                kind = type(child)
                if kind is str:
                    if child and child[0] in "{[" and child.count("{") + child.count("[") > room:
                        return False
                elif kind is dict or kind is list:
                    push(child)
                elif kind is float and wide and _wide(child):
                    return False
        frontier, level = below, level + 1
    return True


def _wide(number: float) -> bool:
    """Whether orjson may have read an integer literal as this float (it does beyond 64 bits)."""
    return number.is_integer() and abs(number) >= 2.0**63


def _encodable(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise JSONLimitError(f"a string holds a lone surrogate (\\u{ord(text[err.start]):04x}), "
                             "which is not text") from None


# One decoder for every call: ``json.loads`` with these hooks builds a new one each time,
# which costs more than decoding the short settings strings it is mostly given.
_DECODER = json.JSONDecoder(parse_constant=_constant, parse_int=_int, parse_float=_float)


def loads(text: str, depth: int = 0) -> Any:
    """``json.loads`` with the bounds above; JSONDecodeError or JSONLimitError (both ValueError).
    ``depth``: how deep the value sits in its document (a part read on its own, as patch does)."""
    if isinstance(text, str):
        value = by_orjson(text, depth)
        if value is not UNDECIDED:
            return value
    return _by_json(text, depth)


def _by_json(text: str, depth: int = 0) -> Any:
    """``loads`` by the standard decoder alone: the answer orjson's must equal, and every refusal."""
    try:
        if isinstance(text, str) and not text.startswith("\ufeff"):
            value = _DECODER.decode(text)
        else:  # bytes, or a BOM (refused): as json.loads does them
            value = json.loads(text, parse_constant=_constant, parse_int=_int, parse_float=_float)
    except RecursionError:
        raise JSONLimitError(f"nested more than {MAX_DEPTH} levels deep") from None
    if isinstance(value, (dict, list)) or isinstance(value, str):
        check(value, depth, surrogates=_SURROGATE_ESCAPE.search(text) is not None)
    return value


UNDECIDED = object()


def by_orjson(text: str | bytes, depth: int = 0) -> Any:
    """orjson's value of ``text`` (or of UTF-8 bytes: a file as read) when it is json's and within
    the bounds, else UNDECIDED: ``loads`` (of the decoded text) decides, and words any refusal."""
    if isinstance(text, str) and not text.isascii():
        try:  # given the string, orjson would keep a UTF-8 copy inside it for as long as it lives
            text = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: json's to refuse
            return UNDECIDED
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:  # json says why (or, for a BOM or bytes that are not UTF-8, decides)
        return UNDECIDED
    # orjson refuses lone surrogates itself: what it returns needs no search for them.
    kind = type(value)
    if kind is dict or kind is list:
        if not _shallow(value, depth, wide=True):
            return UNDECIDED
    elif kind is str:
        check(value, depth, surrogates=False)
    elif kind is float and _wide(value):
        return UNDECIDED
    return value
