"""Stable pointers: StablePointers names list items as a straightforward walk does, in any order asked."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from conftest import REFERENCE_FLOWS, needs_reference
from connectflow.lint.fingerprint import StablePointers, _identity, stable_pointer
from connectflow.load import load_source
from connectflow.load.locate import escape, split
from connectflow.model import decoded_document
from connectflow.report import FORMATS


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


SAMPLES_CCE = sorted((Path(__file__).resolve().parents[1] / "samples" / "cce").glob("*.json"))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_only_the_fingerprinted_formats_read_stable_pointers(name):
    """Lint leaves stable pointers out when no output, baseline or profile reads them: every
    format outside FINGERPRINTED must print the same without them, and those inside must not."""
    from connectflow.lint import Acceptance, Selection, lint_paths
    from connectflow.lint.registry import builtin_registry
    from connectflow.report import FINGERPRINTED, render

    registry = builtin_registry()
    paths = [str(p) for p in SAMPLES_CCE]
    with_them, without = (lint_paths(paths, registry, Selection(), lambda _path: None,
                                     Acceptance(stable_pointers=wanted)) for wanted in (True, False))
    assert any(f.stable_pointer not in (None, f.pointer) for f in with_them.findings)
    assert all(f.stable_pointer is None for f in without.findings if not f.rule.startswith("CF7"))
    same = render(name, with_them, registry) == render(name, without, registry)
    assert same == (name not in FINGERPRINTED)
