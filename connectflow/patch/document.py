"""The flow document as patches see it: logical pointers that go through strings.

``expanded`` is the decoded form (``model.decoded_document``) with every JSON
object or array that is still stored inside a string parsed as well, so that a
value at any depth has one logical pointer, whichever encoding the file uses.
"""

from __future__ import annotations

from typing import Any

from connectflow.load.decode import loads
from connectflow.load.locate import split
from connectflow.model import decoded_document


def expand(value: Any) -> Any:
    """``value`` with JSON objects and arrays stored in strings parsed, at any depth."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return expand(loads(value))
        except ValueError:
            return value
    if isinstance(value, dict):
        return {key: expand(item) for key, item in value.items()}
    if isinstance(value, list):
        return [expand(item) for item in value]
    return value


def expanded(data: dict[str, Any]) -> dict[str, Any]:
    return expand(decoded_document(data))


def expanded_part(data: dict[str, Any], key: str, index: int | None = None) -> Any:
    """``expanded(data)[key]`` (``[key][index]`` for one cell), expanding only that part."""
    if index is not None:
        return expand(decoded_document({"cells": [data[key][index]]})["cells"][0])
    decoded = decoded_document({"cells": [], key: data[key]}) if key != "cells" else decoded_document(data)
    return expand(decoded[key])


def get(document: Any, pointer: str) -> Any:
    """The value at a logical ``pointer``; raises KeyError when there is none."""
    target = document
    for segment in split(pointer):
        if isinstance(target, str):  # a document stored in a string: go on inside it
            try:
                target = loads(target)
            except ValueError:
                raise KeyError(pointer) from None
        if isinstance(target, dict) and segment in target:
            target = target[segment]
        elif isinstance(target, list) and segment.isdigit() and int(segment) < len(target):
            target = target[int(segment)]
        else:
            raise KeyError(pointer)
    return target
