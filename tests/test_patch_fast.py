"""patch's fast paths answer as the slow ones they stand for (issue 14: patch time and memory).

- ``verify.derived`` reads a patched flow by parts: its document equals a whole parse of the
  patched text, and verify finds the same changes either way;
- ``verify._plain_changes`` answers as DeepDiff wherever it answers at all;
- ``apply.splice_handed`` makes the text ``apply.splice`` makes, and ``Splice.original`` gives
  the original back.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REFERENCE_FLOWS
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_bytes, load_source
from connectflow.load.locate import SourceMap, split
from connectflow.patch.apply import Edit, splice, splice_handed, splice_of
from connectflow.patch.document import expanded, get
from connectflow.patch.plan import Patch
from connectflow.patch.verify import VerifyError, _by_deepdiff, _plain_changes, derived, verify

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples" / "cce").glob("*.json"))
FLOWS = [*REFERENCE_FLOWS, *SAMPLES]


def _patches(source, rng: random.Random, count: int) -> list[Patch]:
    """Patches of random scalar values of the flow (cells and top-level values, both encodings)."""
    document = expanded(source.data)
    leaves = []
    stack = [("", document)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{pointer}/{k.replace('~', '~0').replace('/', '~1')}", v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{pointer}/{i}", v) for i, v in enumerate(value))
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            leaves.append((pointer, value))
    leaves.sort()
    chosen, taken = [], []
    for pointer, value in rng.sample(leaves, min(len(leaves), count * 3)):
        if any(pointer.startswith(t + "/") or t.startswith(pointer + "/") or t == pointer for t in taken):
            continue
        new = value + 1 if isinstance(value, int) else f"{value}-patched é"
        chosen.append(Patch(pointer, value, new, "test"))
        taken.append(pointer)
        if len(chosen) == count:
            break
    return chosen


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.name)
def test_derived_reads_as_a_whole_parse(path):
    source = load_source(path)
    rng = random.Random(path.name)
    for count in (1, 3, 8):
        patches = _patches(source, rng, count)
        planned = splice_of(source.text, patches)
        text = splice(source.text, planned.edits)
        assert splice_handed([source.text], planned.edits) == text
        assert planned.original(text) == source.text
        found = derived(source, text, planned.edits, planned.spans)
        assert found is not None
        after, _ = found
        whole = load_bytes(source.path, text.encode("utf-8"))
        assert after.data == whole.data and list(after.data) == list(whole.data)
        assert json.dumps(after.data) == json.dumps(whole.data)  # 1 and 1.0 and True told apart
        fast = verify(source, text, patches, splice=planned)
        slow = verify(source, text, patches)
        assert fast == slow and fast
    # and with the re-lint, the original's text not held (as prepare calls it)
    patches = _patches(source, rng, 3)
    planned = splice_of(source.text, patches)
    text = splice(source.text, planned.edits)
    assert _outcome(replace(source, text=None), text, patches, planned) == _outcome(source, text, patches, None)


def _outcome(source, text, patches, planned):
    try:
        return verify(source, text, patches, builtin_registry(), splice=planned)
    except VerifyError as err:
        return str(err)


def test_derived_still_catches_an_edit_in_the_wrong_place():
    source = load_source(SAMPLES[0])
    pointer = next(f"/cells/{i}/id" for i, cell in enumerate(source.data["cells"]) if isinstance(cell.get("id"), str))
    patch = Patch(pointer, get(expanded(source.data), pointer), "elsewhere", "test")
    planned = splice_of(source.text, [patch])
    # the same edit moved into another cell: only the offsets say where it went
    other = SourceMap(source.text).span("/cells/0/id" if pointer != "/cells/0/id" else "/cells/1/id")
    moved = [Edit(other.start, other.end, planned.edits[0].replacement)]
    wrong = splice(source.text, moved)
    with pytest.raises(VerifyError, match="unplanned change|did not change|reads"):
        verify(source, wrong, [patch], splice=type(planned)(moved, planned.spans, []))


def test_derived_gives_up_where_the_whole_parse_must_word_the_problem():
    source = load_source(SAMPLES[0])
    pointer = "/cells/0/id"
    planned = splice_of(source.text, [Patch(pointer, None, "x", "test")])
    broken = [Edit(e.start, e.end, '"x') for e in planned.edits]  # an unterminated string
    assert derived(source, splice(source.text, broken), broken, planned.spans) is None
    with pytest.raises(VerifyError, match="does not parse"):
        verify(source, splice(source.text, broken), [Patch(pointer, None, "x", "test")],
               splice=type(planned)(broken, planned.spans, []))


_CASES = [
    ({"a": 1}, {"a": 1.0}), ({"a": 1}, {"a": True}), ({"a": "1"}, {"a": 1}), ({"a": None}, {"a": "x"}),
    ({"a": [1, 2]}, {"a": [1, 3]}), ({"a": [1, 1]}, {"a": [2, 1]}), ({"a": [1]}, {"a": [True]}),
    ({"a": [{"b": 1}, 2]}, {"a": [{"b": 2}, 3]}), ({"a": [{"b": 1}]}, {"a": [{"b": 1}, {"c": 2}]}),
    ({"a": {"b": 1}}, {"a": {"c": 1}}), ({"__x": 1}, {"__x": 2}), ({"a": {"b": [1]}}, {"a": {"b": {"c": 1}}}),
    ({"a": "x\ny"}, {"a": "x\nz"}), ({"a": [[1], [2]]}, {"a": [[1], [3]]}), ({"a": []}, {"a": []}),
    ({"a": [1, "1"]}, {"a": [1, "1"]}), ({"a": {"b": None}}, {"a": {"b": None}}),
]


@pytest.mark.parametrize("before, after", _CASES)
def test_plain_changes_answer_as_deepdiff(before, after):
    plain = _plain_changes(["cells", 0], before, after)
    if plain is not None:
        key = lambda c: c.pointer  # noqa: E731
        assert sorted(plain, key=key) == sorted(_by_deepdiff(["cells", 0], before, after), key=key)


@pytest.mark.parametrize("path", FLOWS, ids=lambda p: p.name)
def test_plain_changes_answer_as_deepdiff_on_changed_cells(path):
    source = load_source(path)
    rng = random.Random(path.name)
    document = expanded(source.data)
    answered = 0
    for patch in _patches(source, rng, 6):
        parts = split(patch.pointer)
        if parts[0] != "cells" or len(parts) < 3:
            continue
        cell = document["cells"][int(parts[1])]
        changed = json.loads(json.dumps(cell))
        target = changed
        for segment in parts[2:-1]:
            target = target[int(segment)] if isinstance(target, list) else target[segment]
        last = parts[-1]
        target[int(last) if isinstance(target, list) else last] = patch.new
        plain = _plain_changes(["cells", int(parts[1])], cell, changed)
        if plain is not None:  # a value in a list of plain values is DeepDiff's to align
            answered += 1
            assert plain == _by_deepdiff(["cells", int(parts[1])], cell, changed)
    assert answered


@pytest.mark.parametrize("size", [1, 7, 1 << 20])
def test_original_pieces_make_the_original(size):
    from connectflow.patch.write import Encoded, _pieces

    source = load_source(SAMPLES[0])
    patches = _patches(source, random.Random(size), 5)
    planned = splice_of(source.text, patches)
    text = splice(source.text, planned.edits)
    assert "".join(planned.original_pieces(text, size)) == source.text
    encoded = b"".join(_pieces(Encoded(lambda: planned.original_pieces(text, size), b"\xef\xbb\xbf")))
    assert encoded == b"\xef\xbb\xbf" + source.text.encode("utf-8")
    assert b"".join(_pieces(Encoded(text))) == text.encode("utf-8")
