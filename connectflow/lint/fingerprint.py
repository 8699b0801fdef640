"""What a finding's pointer *means*, independent of list order and formatting.

``/cells/3/value/children/12/text`` becomes
``cells[id=10]/value/children[param:authorization]/text``: each list index is
replaced by the identity of the item it selects (a cell's id, a child
element's tag and name, a variable's name), so re-exporting a flow from the
editor (re-indented, keys or cells reordered) leaves the meaning unchanged.
Baselines, suppressions by pointer and SARIF fingerprints are keyed on it.
"""

from __future__ import annotations

from typing import Any

from connectflow.load.locate import split

_NAME_KEYS = ("name", "varname", "var_name", "variable", "key")


def _identity(item: Any) -> str | None:
    if type(item) is dict and "id" not in item:  # a child element, named by its attributes: most items
        attributes = item.get("attributes")
        if type(attributes) is dict:
            named, tag = attributes.get("name"), item.get("tag")
            if type(named) is str and named and type(tag) is str:
                return f"{tag}:{named}"
    if not isinstance(item, dict):
        return None
    named = item.get("id")
    if named is not None and named != "":
        return f"id={named}"
    attributes = item.get("attributes")
    named = attributes.get("name") if isinstance(attributes, dict) else None
    if named is None or named == "":
        named = next((item[k] for k in _NAME_KEYS if isinstance(item.get(k), (str, int)) and item.get(k) != ""), None)
    tag = item.get("tag")
    if named is not None:
        return f"{tag}:{named}" if isinstance(tag, str) else str(named)
    return tag if isinstance(tag, str) else None


def _list_segments(items: list) -> list[str]:
    """The stable segment of every item of ``items``: its identity, with ``#N`` for the N-th
    earlier item of the same identity, or its index when it has none."""
    return _Segments(items).up_to(len(items) - 1)


class _Segments:
    """The segments of one list, worked out item by item as far as asked (naming an item
    counts the earlier items alike, so the ones after the furthest index asked are not needed)."""

    def __init__(self, items: list):
        self.items = items  # kept, so that its id stays unique while it is a key
        self.segments: list[str] = []
        self._seen: dict[str, int] = {}

    def up_to(self, index: int) -> list[str]:
        segments, seen = self.segments, self._seen
        for i in range(len(segments), index + 1):
            identity = _identity(self.items[i])
            if identity is None:
                segments.append(str(i))  # nothing stable to name it by (a list of plain values)
            elif identity in seen:
                seen[identity] += 1
                segments.append(f"{identity}#{seen[identity]}")
            else:
                seen[identity] = 0
                segments.append(identity)
        return segments


class StablePointers:
    """``stable_pointer`` for many pointers into one document. A list's segments are worked out
    once, on first use, up to the furthest item asked for (naming an item counts the earlier
    items alike: one pass per list, not one per finding)."""

    def __init__(self, document: Any):
        self.document = document
        self._segments: dict[int, _Segments] = {}  # id(list) -> its segments

    def _segment(self, items: list, index: int) -> str:
        known = self._segments.get(id(items))
        if known is None:
            known = self._segments[id(items)] = _Segments(items)
        segments = known.segments
        return segments[index] if index < len(segments) else known.up_to(index)[index]

    def __call__(self, pointer: str) -> str:
        """``pointer`` with list indices replaced by item identities, as far as the document goes."""
        if pointer[:1] == "/" and "~" not in pointer:
            segments = pointer[1:].split("/")  # nothing to unescape: split() without its copies
        else:
            try:
                segments = split(pointer)
            except ValueError:
                return pointer
        parts: list[str] = []
        node = self.document
        for segment in segments:
            if type(node) is dict:  # most steps: a key
                parts.append(segment)
                node = node.get(segment)
            elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
                index = int(segment)
                named = f"[{self._segment(node, index)}]"
                if parts:
                    parts[-1] += named
                else:
                    parts.append(named)
                node = node[index]
            else:
                parts.append(segment)
                node = node.get(segment) if isinstance(node, dict) else None
        return "/".join(parts)


def stable_pointer(document: Any, pointer: str) -> str:
    """``pointer`` with list indices replaced by item identities, as far as ``document`` goes."""
    return StablePointers(document)(pointer)


def fingerprint(*parts: str | None) -> str:
    import hashlib  # only formats that print fingerprints get here

    return hashlib.sha256("|".join(p or "" for p in parts).encode()).hexdigest()[:32]
