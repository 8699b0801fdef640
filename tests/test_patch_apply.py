"""patch.apply: span splices that change only the bytes of the patched values."""

from __future__ import annotations

import json

import pytest

from conftest import REFERENCE_FLOWS, needs_reference
from connectflow.load import load_bytes, load_source
from connectflow.patch.apply import ApplyError, apply, unescape
from connectflow.patch.document import expanded
from connectflow.patch.plan import Patch
from flowkit import dumps, encode


def P(pointer, new, old=None):  # noqa: N802 - reads like the dataclass
    return Patch(pointer, old, new, "test")


def _both_texts(path):
    source = load_source(path)
    return {"decoded": source.text, "encoded": dumps(encode(source.data))}


def _leaves(value, pointer=""):
    """(pointer, value) of every scalar in a decoded document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, pointer + "/" + key.replace("~", "~0").replace("/", "~1"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{pointer}/{index}")
    else:
        yield pointer, value


@needs_reference
@pytest.mark.parametrize("encoding", ["decoded", "encoded"])
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_no_patches_is_byte_identical(path, encoding):
    text = _both_texts(path)[encoding]
    assert apply(text, []) == text


@needs_reference
@pytest.mark.parametrize("encoding", ["decoded", "encoded"])
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_rewriting_every_value_with_itself_is_byte_identical(path, encoding):
    """Every scalar, at any depth (also inside JSON stored in strings), spliced back in one go."""
    text = _both_texts(path)[encoding]
    document = expanded(json.loads(text))
    patches = [P(pointer, value) for pointer, value in _leaves(document)
               if not (isinstance(value, str) and value[:1] in "{[")]  # unparsable "documents" are plain strings
    assert len(patches) > 50
    assert apply(text, patches) == text


def test_string_stays_string_and_number_stays_number():
    text = '{"a": "-1", "b": -1, "c": "x", "d": null}'
    assert apply(text, [P("/a", 4711), P("/b", 4711), P("/c", "y\u00e9"), P("/d", "z")]) == \
        '{"a": "4711", "b": 4711, "c": "y\u00e9", "d": "z"}'  # no escapes in the file: UTF-8


def test_everything_but_the_value_is_kept():
    """Number spellings, escapes, spacing and duplicate keys survive (json.dumps would change them)."""
    text = '{ "n" : 1.10, "s":"caf\\u00e9 \\/", "dup": 1, "dup": 2,\n\t"v" :  "old" }\r\n'
    assert apply(text, [P("/v", "new")]) == text.replace('"old"', '"new"')


def test_ascii_only_files_stay_ascii():
    text = '{"v": "old", "w": "caf\\u00e9"}'
    assert apply(text, [P("/v", "caf\u00e9")]) == '{"v": "caf\\u00e9", "w": "caf\\u00e9"}'


def test_value_inside_a_json_document_stored_in_a_string():
    inner = {"node_id": 720, "resource_list": [{"auth_id": -1, "name": "caf\u00e9"}]}
    text = json.dumps({"text": json.dumps(inner), "other": "\\u00e9"})
    out = apply(text, [P("/text/resource_list/0/auth_id", 4711)])
    assert json.loads(json.loads(out)["text"])["resource_list"][0]["auth_id"] == 4711
    assert out == text.replace('\\"auth_id\\": -1', '\\"auth_id\\": 4711')


def test_two_levels_of_strings_and_several_patches_in_one_string():
    level2 = json.dumps({"queueid": "q-old", "x": 1})
    level1 = json.dumps({"nodeInput": level2, "flowId": 3919})
    text = json.dumps({"text": level1})
    out = apply(text, [P("/text/nodeInput/queueid", "q-new"), P("/text/flowId", 41896)])
    decoded = json.loads(json.loads(out)["text"])
    assert json.loads(decoded["nodeInput"]) == {"queueid": "q-new", "x": 1} and decoded["flowId"] == 41896
    assert len(out) - len(text) == len("41896") - len("3919")


def test_unescape_maps_decoded_characters_to_literal_offsets():
    literal = '"a\\"b\\u00e9\\ud83d\\ude00c"'
    text, offsets = unescape(literal)
    assert text == json.loads(literal) == 'a"b\u00e9\U0001F600c'
    assert [literal[offsets[i]:offsets[i + 1]] for i in range(len(text))] == \
        ["a", '\\"', "b", "\\u00e9", "\\ud83d\\ude00", "c"]


@pytest.mark.parametrize(("pointer", "problem"), [
    ("/missing", "no such value"),
    ("/a/0", "no such value"),          # a number has no children
    ("/s/x", "inside the string"),      # a plain string holds no document
])
def test_pointers_that_do_not_exist(pointer, problem):
    with pytest.raises(ApplyError, match=problem):
        apply('{"a": 1, "s": "plain"}', [P(pointer, 2)])


def test_overlapping_patches_are_refused():
    with pytest.raises(ApplyError, match="same value"):
        apply('{"a": {"b": 1}}', [P("/a", {"b": 2}), P("/a/b", 3)])


def test_bom_and_crlf_survive_a_patch(tmp_path):
    raw = b'\xef\xbb\xbf{\r\n  "cells": [],\r\n  "v": "old"\r\n}\r\n'
    source = load_bytes("bom.json", raw)
    out = apply(source.text, [P("/v", "new")])
    assert (b"\xef\xbb\xbf" + out.encode()) == raw.replace(b'"old"', b'"new"')
