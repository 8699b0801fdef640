"""Placing pointers from the document (``load.layout``) answers exactly as reading the text,
and only for texts in the editor's layout: anything else is read."""

from __future__ import annotations

import json
import random
from pathlib import Path

import orjson
import pytest

from conftest import REFERENCE_FLOWS
from connectflow.load import load_bytes
from connectflow.load.layout import place_all
from connectflow.load.locate import SourceMap, join
from flowkit import dumps, encode

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples" / "cce").glob("*.json"))


def _probes(full: SourceMap, seed: str) -> list[str]:
    """Every value's pointer, and pointers that go on inside a value or name nothing."""
    every = list(full._spans)
    some = random.Random(seed).sample(every, min(300, len(every)))
    return [*every, *(p + "/0/value" for p in some), *(p + "/missing" for p in some[:100]),
            *(p + "/01" for p in some[:50]), *(p + "/-" for p in some[:50]), "/cells/100000", "/nope"]


@pytest.mark.parametrize("path", [*REFERENCE_FLOWS, *SAMPLES], ids=lambda p: p.name)
@pytest.mark.parametrize("encoding", ["decoded", "encoded"])
def test_the_editors_files_are_placed_from_the_document_as_by_reading(path, encoding):
    raw = path.read_bytes()
    if encoding == "encoded":
        raw = dumps(encode(json.loads(raw))).encode()
    source = load_bytes(path.name, raw)
    full = SourceMap(source.text)
    probes = _probes(full, path.name)
    placed = place_all(source.text, source.data, probes)
    assert placed is not None, "a capture of the Flow Builder is in the layout"
    assert placed == {p: full.locate(p) for p in probes}


def _document(rng: random.Random, depth: int = 0):
    """A small random document: every kind of value, keys that need escaping, text that is not ASCII."""
    words = ["a", "id", "a/b", "m~n", 'q"uote', "tab\there", "é", "日本", "", "0", "12", "x y"]
    if depth > 4 or rng.random() < 0.3:
        return rng.choice([0, -7, 3.5, 1e-7, True, False, None, "", "text", "line\nbreak", "ünï", "{\"a\": 1}",
                           "\u2028", "\\", 2**62])
    if rng.random() < 0.5:
        return [_document(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(words) + str(rng.randrange(3)): _document(rng, depth + 1) for _ in range(rng.randrange(5))}


@pytest.mark.parametrize("seed", range(40))
def test_any_document_in_the_layout_is_placed_as_by_reading(seed):
    rng = random.Random(seed)
    document = {"cells": [_document(rng) for _ in range(rng.randrange(1, 6))], "other": _document(rng)}
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + rng.choice(["", "\n", "\n\n  "])
    full = SourceMap(text)
    probes = _probes(full, str(seed)) + [join("cells", 0, "a0", 1), join("other", "m~n1")]
    assert place_all(text, json.loads(text), probes) == {p: full.locate(p) for p in probes}


_FLOW = {"cells": [{"id": "1", "value": {"n": 1, "items": [1, 2, {"k": "v"}]}}], "name": "x"}


@pytest.mark.parametrize("text", [
    json.dumps(_FLOW, indent=4),  # another indentation
    json.dumps(_FLOW),  # one line
    json.dumps(_FLOW, indent=2).replace("\n", "\r\n"),  # Windows line ends
    " " + json.dumps(_FLOW, indent=2),  # space before the document
    json.dumps({**_FLOW, "name": "é"}, indent=2),  # escapes orjson does not write (\u00e9)
    json.dumps({**_FLOW, "n": 1e-7}, indent=2),  # a number form orjson does not write (1e-07)
    json.dumps({**_FLOW, "n": 2**64}, indent=2),  # wider than orjson writes
    json.dumps(_FLOW, indent=2).replace('"name": "x"', '"name": "y",\n  "name": "x"'),  # a repeated key
], ids=["indent-4", "one-line", "crlf", "leading-space", "ascii-escape", "float-form", "wide-int",
        "repeated-key"])
def test_a_text_in_another_layout_is_read_and_placed_as_before(text):
    source, full = load_bytes("flow.json", text.encode()), SourceMap(text)
    probes = _probes(full, text)
    assert place_all(text, source.data, probes) is None
    assert source.locate_all(probes) == {p: full.locate(p) for p in probes}


def test_a_document_changed_since_it_was_read_is_not_placed_from():
    text = orjson.dumps(_FLOW, option=orjson.OPT_INDENT_2).decode()
    changed = json.loads(text)
    changed["cells"][0]["value"]["items"].insert(0, 0)
    assert place_all(text, changed, ["/cells/0/value/items/2"]) is None
    assert place_all(text + "\n}", json.loads(text), ["/cells/0/value/items/2"]) is None
    assert place_all(text, json.loads(text), ["/cells/0/value/items/2"]) == {"/cells/0/value/items/2": (10, 11)}
