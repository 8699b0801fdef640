"""The one-pass resolver (``resolve_all``/``locate_all``) answers exactly as the full SourceMap."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from conftest import REFERENCE_FLOWS
from connectflow.load.decode import JSONLimitError, MAX_DEPTH, check
from connectflow.load.locate import SourceMap, locate_all, resolve_all
from flowkit import dumps, encode

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples" / "cce").glob("*.json"))


@pytest.mark.parametrize("path", [*REFERENCE_FLOWS, *SAMPLES], ids=lambda p: p.name)
@pytest.mark.parametrize("encoding", ["decoded", "encoded"])
def test_resolve_all_equals_the_full_map(path, encoding):
    text = path.read_text(encoding="utf-8")
    if encoding == "encoded":
        text = dumps(encode(json.loads(text)))
    full = SourceMap(text)
    every = list(full._spans)
    chosen = random.Random(path.name).sample(every, min(400, len(every)))
    # Also pointers that go on inside a string, and pointers that name nothing.
    chosen += [p + "/0/value" for p in chosen[:60]] + [p + "/missing" for p in chosen[60:80]]
    chosen += ["", "/cells/100000", "/nope"]
    resolved, located = resolve_all(text, chosen), locate_all(text, chosen)
    assert {p: full.resolve(p) for p in chosen} == resolved
    assert {p: full.locate(p) for p in chosen} == located


@pytest.mark.parametrize("levels", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1])
@pytest.mark.parametrize("leaf", [1, {}, "[[[", "[[[]]]", "{}"])
def test_the_quick_depth_check_refuses_as_the_full_walk(levels, leaf, monkeypatch):
    from connectflow.load import decode

    value = leaf
    for _ in range(levels):
        value = {"a": [value]} if levels % 2 else [value]
    outcomes = []
    for quick in (True, False):
        if not quick:
            monkeypatch.setattr(decode, "_shallow", lambda *_: False)
        try:
            check(value, surrogates=False)
            outcomes.append("accepted")
        except JSONLimitError as err:
            outcomes.append(str(err))
    assert outcomes[0] == outcomes[1]


def test_repeated_keys_answer_with_the_last_copy_as_json_does():
    text = '{"a": 1, "b": {"x": [1, {"y": "s"}]}, "a": {"z/~": "2"}}'
    full = SourceMap(text)
    for pointer in ("/a", "/a/z~1~0", "/b/x/1/y", "/b/x/5", "/a/z~1~0/q"):
        assert resolve_all(text, [pointer])[pointer] == full.resolve(pointer), pointer


@pytest.mark.parametrize("text, pointer, expected", [
    ('{"cells": [1], "cells": 5}', "/cells/0", None),  # json keeps 5: there is no /cells/0
    ('{"a": {"b": 1, "c": 2}, "a": {"b": 3}}', "/a/c", None),
    ('{"a": {"b": 1, "c": 2}, "a": {"b": 3}}', "/a/b", (1, 36)),
    ('{"a": {"b": {"c": 1}}, "a": {"b": "{\\"c\\": 2}"}}', "/a/b/c", (1, 35)),  # inside the last copy's string
    ('[{"k": [{"x": 1}], "k": []}, {"x": 2}]', "/0/k/0/x", None),
])
def test_what_only_a_first_copy_of_a_repeated_key_holds_is_not_found(text, pointer, expected):
    assert SourceMap(text).locate(pointer) == locate_all(text, [pointer])[pointer] == expected
    assert SourceMap(text).resolve(pointer) == resolve_all(text, [pointer])[pointer]


@pytest.mark.parametrize("bad", ['{"a": 1', '{"a": 1} x', '{"a" 1}', '[1,,2]', '', '{"a": [1, 2}'])
def test_resolve_all_refuses_what_is_not_one_json_document(bad):
    with pytest.raises(ValueError):
        resolve_all(bad, ["/a"])
