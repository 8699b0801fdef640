"""Seeded mutations of flow files, structural (on the JSON) and byte-level, and one
runner that pushes an input through lint, show and patch and says what went wrong.

Shared by the suite's fuzz test (tests/test_fuzz.py, small and fixed) and the long
local campaign (tests/fuzz/campaign.py).
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "cce"
REFERENCE = ROOT.parent / "shared" / "reference-flows"

NASTY_STRINGS = ["", " ", "[/]", "[red]x[/red]", "[bold", "\x1b[2J\x1b[31m", "line\n::error::forged", "\r", "\u202e",
                 "{", "[", "{}", "[]", "null", "NaN", "-1", "1e999", "0" * 50, "💥", "$(rm -rf /)", "{{name}}",
                 "{name.__class__}", "%s%s%n", "\\", "\"", "a" * 5000, "${x}", "$(webex.destination)",
                 "{\"tag\": \"x\"}", "[{\"name\": \"q\"}]", "\\ud800"]
NASTY_VALUES: list[Any] = [None, True, False, 0, -1, 2**63, 1.5, 1e308, [], {}, [[[]]], {"tag": 1},
                           {"tag": "start", "attributes": None, "children": 5}, list(range(20))]


def base_flows() -> list[Path]:
    found = sorted(SAMPLES.glob("*.json"))
    if REFERENCE.is_dir():
        found += sorted(REFERENCE.glob("*.json"))
    return found


def _containers(document: Any) -> list[Any]:
    found, stack = [], [document]
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)):
            found.append(item)
            stack.extend(item.values() if isinstance(item, dict) else item)
    return found


def _random_value(rng: random.Random) -> Any:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(NASTY_STRINGS)
    if roll < 0.8:
        return json.loads(json.dumps(rng.choice(NASTY_VALUES)))
    depth = rng.choice([5, 60, 99, 101, 150])
    return json.loads("[" * depth + "]" * depth)


def structural(document: Any, rng: random.Random) -> Any:
    """Apply 1-4 edits to a parsed flow: delete, replace, retype, duplicate, encode as a string."""
    for _ in range(rng.randint(1, 4)):
        containers = [c for c in _containers(document) if c]
        if not containers:
            break
        target = rng.choice(containers)
        key = rng.choice(list(target)) if isinstance(target, dict) else rng.randrange(len(target))
        action = rng.random()
        if action < 0.25:
            del target[key]
        elif action < 0.6:
            target[key] = _random_value(rng)
        elif action < 0.75:  # the editor's string encoding, or a broken version of it
            text = json.dumps(target[key])
            target[key] = text if rng.random() < 0.7 else text[: rng.randrange(len(text) + 1)]
        elif action < 0.85 and isinstance(target, list):
            target.insert(rng.randrange(len(target) + 1), json.loads(json.dumps(target[key])))
        elif action < 0.93 and isinstance(target, dict):
            target[rng.choice(NASTY_STRINGS)] = target.pop(key)
        else:
            target[key] = [target[key]] if rng.random() < 0.5 else {"value": target[key]}
    return document


BYTE_TOKENS = [b"NaN", b"Infinity", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\\ud800", b"\"", b"{", b"]",
               b"1" * 4400, b"\n", b"\x1b[31m", b"[/]", b"PK\x03\x04"]


def byte_level(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 3)):
        if not data:
            data += rng.choice(BYTE_TOKENS)
            continue
        at = rng.randrange(len(data))
        action = rng.random()
        if action < 0.3:
            data[at] = rng.randrange(256)
        elif action < 0.5:
            data[at:at] = rng.choice(BYTE_TOKENS)
        elif action < 0.65:
            del data[at: at + rng.randint(1, 64)]
        elif action < 0.75:
            del data[at:]
        elif action < 0.9:
            end = min(len(data), at + rng.randint(1, 200))
            data[at:at] = data[at:end]
        else:  # swap a quoted value for a nasty one
            start = data.find(b'"', at)
            stop = data.find(b'"', start + 1)
            if 0 <= start < stop:
                data[start + 1:stop] = rng.choice(NASTY_STRINGS).encode("utf-8", "surrogatepass")
    return bytes(data)


def zipped(raw: bytes, rng: random.Random) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(rng.choice(["flow.json", "a\nb.json", "[red].workflow", "x.json"]), raw)
        if rng.random() < 0.2:
            archive.writestr("second.json", raw[:100])
    return buffer.getvalue()


def mutate(raw: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One mutated input: (kind, bytes)."""
    roll = rng.random()
    if roll < 0.55:
        document = structural(json.loads(raw), rng)
        text = json.dumps(document, indent=rng.choice([None, 2]), ensure_ascii=rng.random() < 0.5)
        return "structural", text.encode("utf-8", "surrogatepass")
    if roll < 0.95:
        return "bytes", byte_level(raw, rng)
    return "zip", zipped(byte_level(raw, rng) if rng.random() < 0.5 else raw, rng)


def first_variable(raw: bytes) -> str:
    try:
        return json.loads(raw)["customVariables"][0]["name"]
    except (ValueError, KeyError, IndexError, TypeError):
        return "x"


def check(path: Path, invoke: Callable, variable: str, commands=("lint", "show", "patch")) -> list[str]:
    """Problems with running ``commands`` on ``path`` (empty: all good). ``invoke(args)`` is a
    CliRunner-style call returning (exit_code, output, exception)."""
    problems = []
    for command in commands:
        before = path.read_bytes()
        if command == "lint":
            args = ["lint", "--format", "json", str(path)]
        elif command == "show":
            args = ["show", str(path)]
        else:
            args = ["patch", "--set-var", f"{variable}=fuzzed", "--in-place", str(path)]
        code, output, exception = invoke(args)
        if exception is not None and not isinstance(exception, SystemExit):
            problems.append(f"{command}: crash {type(exception).__name__}: {str(exception)[:200]}")
            continue
        if code not in (0, 1, 2):
            problems.append(f"{command}: exit {code}")
        if command == "lint" and code in (0, 1, 2):
            try:
                report = json.loads(output[output.index("{"):]) if "{" in output else None
            except ValueError:
                report = None
            if report is None:
                problems.append(f"lint: output is not JSON: {output[:200]!r}")
            elif any("\n" in f.get("message", "") for f in report.get("findings", [])):
                problems.append("lint: a message spans lines")
        if command != "lint" and code == 2 and len(output.strip().splitlines()) != 1:
            problems.append(f"{command}: error is not one line: {output[:300]!r}")
        if command == "patch" and code == 2 and path.read_bytes() != before:
            problems.append("patch: failed but changed the file")
        if command == "patch" and code == 0:
            path.write_bytes(before)  # keep the input for the next command
    return problems
