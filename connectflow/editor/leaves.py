"""Patch's changes as edits of the editor model's leaves, for ``apply.js``.

patch already produces the exact patched document; comparing it with the original at
the level the editor stores values gives each change as one leaf: the text of a node
value's child element, an element attribute (such as the workflowdata cell's
``start_node_info``), a field inside an End or edge value object, or an entry of
``sessionData`` (custom variables) or ``flowResultData`` (outcomes). In the
string-encoded form every leaf is a string, so the apply script's check is exact.
"""

from __future__ import annotations

import json
from typing import Any


class LeafError(ValueError):
    """The patched document differs from the original in a way an editor update cannot make."""


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _object_changes(old: Any, new: Any, path: list, emit) -> None:
    """Descend while both sides have the same shape; emit the smallest differing values."""
    if _same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        for key in old:
            _object_changes(old[key], new[key], [*path, key], emit)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new)):
            _object_changes(a, b, [*path, index], emit)
    elif path:
        emit(path, old, new)
    else:
        raise LeafError("a whole value was replaced")


def _is_element(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("tag"), str) and isinstance(value.get("attributes"), dict)


def _element_changes(old: dict, new: dict, steps: list[int], emit) -> None:
    where = f"element {old.get('tag')}" + (f" {old['attributes'].get('name')}" if "name" in old["attributes"] else "")
    if old.get("tag") != new.get("tag") or set(old) != set(new) or old["attributes"].keys() != new["attributes"].keys():
        raise LeafError(f"{where}: its tag, attributes or children changed, not only values")
    base = {"element": steps, "tag": old["tag"], "name": _text_or_none(old["attributes"].get("name"))}
    for key, value in old["attributes"].items():
        if not _same(value, new["attributes"][key]):
            emit(dict(base, where="attribute", attribute=key), value, new["attributes"][key])
    if "text" in old and not _same(old["text"], new["text"]):
        emit(dict(base, where="text"), old["text"], new["text"])
    old_children, new_children = old.get("children") or [], new.get("children") or []
    if len(old_children) != len(new_children):
        raise LeafError(f"{where}: child elements were added or removed")
    for index, (a, b) in enumerate(zip(old_children, new_children)):
        if not _is_element(a) or not _is_element(b):
            raise LeafError(f"{where}: child {index} is not an element")
        _element_changes(a, b, [*steps, index], emit)


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)


def _label(cell: dict) -> str:
    value = cell.get("value")
    if _is_element(value):
        return str(value["attributes"].get("label") or value["attributes"].get("name") or value["tag"])
    if isinstance(value, dict):
        return str(value.get("label") or value.get("name") or "")
    return ""


def _kind(cell: dict) -> str:
    value = cell.get("value")
    if _is_element(value):
        return f"element:{value['tag']}"
    return {dict: "object", list: "object", str: "string", bool: "boolean"}.get(type(value), "number")


def changes(before: dict, after: dict) -> dict:
    """The plan ``apply.js`` runs: flow id, the exported cells' kinds, and the leaf changes."""
    for key in sorted(set(before) | set(after)):
        if key not in ("cells", "customVariables", "outcomes") and not _same(before.get(key), after.get(key)):
            raise LeafError(f"top-level {key!r} changed; the editor holds it outside the flow model")
    old_cells, new_cells = before.get("cells") or [], after.get("cells") or []
    if [c.get("id") for c in old_cells] != [c.get("id") for c in new_cells]:
        raise LeafError("cells were added, removed or reordered; the editor script can only change values")
    found: list[dict] = []
    for old, new in zip(old_cells, new_cells):
        if {k: v for k, v in old.items() if k != "value"} != {k: v for k, v in new.items() if k != "value"}:
            raise LeafError(f"cell {old.get('id')}: its parent, source or target changed")
        head = {"cell": str(old["id"]), "label": _label(old)}
        try:
            if _is_element(old.get("value")) and _is_element(new.get("value")):
                _element_changes(old["value"], new["value"], [],
                                 lambda where, a, b: found.append({**head, **where, "old": a, "new": b}))
            else:
                _object_changes(old.get("value"), new.get("value"), [], lambda path, a, b: found.append(
                    {**head, "where": "value", "path": path, "old": a, "new": b}))
        except LeafError as err:
            raise LeafError(f"cell {old.get('id')}: {err}") from None
    for key, where in (("customVariables", "sessionData"), ("outcomes", "flowResultData")):
        old_list, new_list = before.get(key) or [], after.get(key) or []
        if len(old_list) != len(new_list):
            raise LeafError(f"{key}: entries were added or removed")
        for index, (a, b) in enumerate(zip(old_list, new_list)):
            label = str(a.get("name")) if isinstance(a, dict) else str(index)
            _object_changes(a, b, [index], lambda path, x, y: found.append(
                {"cell": None, "label": label, "where": where, "path": path, "old": x, "new": y}))
    return {"flowId": before.get("flowId"), "cells": {str(c["id"]): _kind(c) for c in old_cells
                      if "id" in c and c.get("value") not in (None, "")},
            "changes": found}
