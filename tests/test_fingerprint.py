"""Stable pointers: StablePointers names list items as a straightforward walk does, in any order asked."""

from __future__ import annotations

import random

import pytest

from conftest import REFERENCE_FLOWS, needs_reference
from connectflow.lint.fingerprint import StablePointers, _identity, stable_pointer
from connectflow.load import load_source
from connectflow.load.locate import escape, split
from connectflow.model import decoded_document


def _plain_stable_pointer(document, pointer: str) -> str:
    """The definition: every list's segments counted from its start, for each pointer anew."""
    parts: list[str] = []
    node = document
    for segment in split(pointer):
        if isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            seen: dict[str, int] = {}
            named = str(int(segment))
            for index, item in enumerate(node[: int(segment) + 1]):
                identity = _identity(item)
                if identity is not None:
                    same = seen.get(identity, 0)
                    seen[identity] = same + 1
                    named = identity if same == 0 else f"{identity}#{same}"
                elif index == int(segment):
                    named = str(index)
            parts[-1:] = [f"{parts[-1] if parts else ''}[{named}]"]
            node = node[int(segment)]
        else:
            parts.append(segment)
            node = node.get(segment) if isinstance(node, dict) else None
    return "/".join(parts)


def _pointers(value, pointer: str = "", depth: int = 0):
    yield pointer
    if depth > 8:
        return
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _pointers(item, f"{pointer}/{escape(key)}", depth + 1)


def test_items_named_alike_are_counted():
    document = {"cells": [{"id": "7"}, {"tag": "param", "attributes": {"name": "a"}}, "x",
                          {"tag": "param", "attributes": {"name": "a"}}, {"id": ""}, {"tag": "event", "name": "b"}]}
    stable = StablePointers(document)
    assert [stable(f"/cells/{i}") for i in (5, 3, 0, 1, 2, 4)] == [
        "cells[event:b]", "cells[param:a#1]", "cells[id=7]", "cells[param:a]", "cells[2]", "cells[4]"]
    assert stable("/cells/9/x") == "cells/9/x" and stable("no/slash") == "no/slash"
    assert stable("/cells/1/attributes/a~1b") == "cells[param:a]/attributes/a/b"


@needs_reference
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_stable_pointers_in_any_order_are_the_plain_walk(path):
    document = decoded_document(load_source(path).data)
    pointers = list(_pointers(document))
    random.Random(14).shuffle(pointers)
    stable = StablePointers(document)
    for pointer in pointers[:3000]:
        assert stable(pointer) == _plain_stable_pointer(document, pointer) == stable_pointer(document, pointer)
