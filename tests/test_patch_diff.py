"""``patch --diff``: a unified diff of the whole file, though difflib only sees the changed middle."""

from __future__ import annotations

import difflib
import random
import re
from pathlib import Path

import pytest

from connectflow.patch.run import Patched, unified_diff

ROOT = Path(__file__).resolve().parents[1]
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$")


def _diff(before: str, after: str) -> str:
    return unified_diff(Patched("flow.json", b"", b"", before, after, [], [], []))


def _apply(before: str, diff: str) -> str:
    """Apply a unified diff as patch(1) would, checking every context and removed line."""
    old = before.splitlines(keepends=True)
    lines = diff.splitlines(keepends=True)
    assert lines[:2] == ["--- flow.json\n", "+++ flow.json\n"]
    out, cursor, i = [], 0, 2
    while i < len(lines):
        start, length = HUNK.match(lines[i].rstrip("\n")).group(1, 2)
        start = int(start) - (0 if length == "0" else 1)
        out += old[cursor:start]
        cursor, i = start, i + 1
        while i < len(lines) and not lines[i].startswith("@@"):
            tag, text = lines[i][0], lines[i][1:]
            if i + 1 < len(lines) and lines[i + 1] == "\\ No newline at end of file\n":
                text, i = text[:-1], i + 1
            if tag in " -":
                assert old[cursor] == text, f"line {cursor + 1} is not what the diff says"
                cursor += 1
            if tag in " +":
                out.append(text)
            i += 1
    return "".join(out + old[cursor:])


def _edited(text: str, rnd: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(rnd.randint(1, 4)):
        where, roll = rnd.randrange(len(lines) + 1), rnd.random()
        if roll < 0.5 and where < len(lines):
            lines[where] = f'  "changed": {rnd.randint(0, 9)},\n'
        elif roll < 0.75:
            lines.insert(where, '  "type": "default",\n')
        elif where < len(lines):
            del lines[where]
    if rnd.random() < 0.2 and lines:
        lines[-1] = lines[-1].rstrip("\n")
    return "".join(lines)


@pytest.mark.parametrize("seed", range(40))
def test_diff_applies_to_the_original_and_gives_the_patched_text(seed):
    rnd = random.Random(seed)
    samples = sorted((ROOT / "samples" / "cce").glob("*.json"))
    before = samples[seed % len(samples)].read_text(encoding="utf-8")
    after = _edited(before, rnd)
    assert _apply(before, _diff(before, after)) == after


def test_value_changes_diff_as_difflib_on_the_whole_file():
    before = (ROOT / "samples" / "cce" / "routed.json").read_text(encoding="utf-8")
    lines = before.splitlines(keepends=True)
    for index in (3, len(lines) // 2, len(lines) - 2):
        lines[index] = lines[index].replace('"', "'", 2)
    after = "".join(lines)
    expected = "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                            fromfile="flow.json", tofile="flow.json"))
    assert _diff(before, after) == expected
    assert _diff(before, before) == ""


def _whole(before: str, after: str, monkeypatch) -> str:
    """The diff with every line split (what ``_alike_ends`` stands for)."""
    from connectflow.patch import run

    with monkeypatch.context() as patched:
        patched.setattr(run, "_alike_ends", lambda a, b: (0, 0, len(a)))
        return _diff(before, after)


def _large(seed: int) -> str:
    samples = sorted((ROOT / "samples" / "cce").glob("*.json"))
    text = samples[seed % len(samples)].read_text(encoding="utf-8")
    return text * (1 + 200_000 // len(text))  # above _CHUNK: the ends are compared as text


@pytest.mark.parametrize("seed", range(30))
def test_large_diff_is_the_diff_of_every_line(seed, monkeypatch):
    rnd = random.Random(seed)
    before = _large(seed)
    after = _edited(before, rnd)
    if seed % 5 == 1:  # changes near the ends
        after = "x" + after[:-3]
    elif seed % 5 == 2:
        after = after + "\n  \"more\": 1\n"
    elif seed % 5 == 3:
        after = before[:len(before) // 2]
    elif seed % 5 == 4:
        after = after.replace("\n", "\r\n", 1) if seed % 2 else after.replace('"', "\u2028", 1)
    assert _diff(before, after) == _whole(before, after, monkeypatch)
    assert _apply(before, _diff(before, after)) == after
    assert _diff(before, before) == "" == _whole(before, before, monkeypatch)
