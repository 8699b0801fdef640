"""Write ``tests/golden/outputs.json``: what lint and patch produce today on every flow.

    python tests/golden/regenerate.py          # rewrite the golden file
    python tests/golden/regenerate.py --check  # exit 1 (and show the first difference) if it is stale

``tests/test_golden.py`` compares the current code with this file, so a change meant to
be invisible (speed, memory, refactoring) cannot move a finding, a line:column, a byte of
JSON/SARIF output or a patched byte. When a change of findings *is* intended (a new rule,
new graph semantics), regenerate and check that ``git diff tests/golden`` shows only it.

After a rebase, regenerate it with main's code and check that this branch gives the same::

    git -C /work/main worktree add --detach /work/cf-base main   # next to ../shared
    cp tests/golden/regenerate.py /work/cf-base/tests/golden/
    (cd /work/cf-base && $PWD/.venv/bin/python tests/golden/regenerate.py)
    cmp /work/cf-base/tests/golden/outputs.json <(python tests/golden/regenerate.py >&2; cat tests/golden/outputs.json)

Inputs: the 13 reference flows (``../shared/reference-flows``, also in the editor's string
encoding) and the bundled samples (with and without ``samples/tenant.toml``).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GOLDEN = HERE / "outputs.json"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lint(files: list[Path], names: list[str], registry, profile=None, rules_text: bool = False) -> dict:
    from connectflow.lint import Result, Selection, lint_source
    from connectflow.load import LoadError, load_source
    from connectflow.report import render

    result = Result()
    rules = Selection().active(registry)
    for path, name in zip(files, names):
        result.files += 1
        try:
            source = load_source(path)
        except LoadError as err:
            raise SystemExit(f"{path}: {err}")
        source.path = name  # the file's name, not where this machine keeps it
        result.findings.extend(lint_source(source, rules, Selection(), profile))
    sarif = json.loads(render("sarif", result, registry))
    for item in sarif["runs"][0]["results"]:
        for location in item["locations"]:
            uri = location["physicalLocation"]["artifactLocation"]
            uri["uri"] = uri["uri"].rsplit("/", 1)[-1]
    if not rules_text:  # the rules' help is the same in every run: keep it once
        sarif = sarif["runs"][0]["results"]
    return {"json": json.loads(render("json", result, registry)), "sarif": sarif,
            "text": render("text", result, registry, color=False).splitlines()}


def _patch(path: Path, settings, profile, registry) -> dict:
    from connectflow.patch.run import PatchError, prepare, summary, unified_diff

    try:
        item, _ = prepare(str(path), settings, profile, registry)
    except PatchError as err:
        return {"error": str(err).replace(str(path), path.name)}
    item.path = path.name
    return {"sha256": _sha(item.output), "bytes": len(item.output), "pointers": [p.pointer for p in item.patches],
            "diff_sha256": _sha(unified_diff(item).encode()), "summary": summary(item)}


def outputs(tmp: Path) -> dict:
    import contextlib

    with contextlib.chdir(ROOT):  # fix hints name the profile by its path from here (lint.hints)
        return _outputs(tmp)


def _outputs(tmp: Path) -> dict:
    from conftest import REFERENCE_FLOWS
    from connectflow.lint.registry import builtin_registry
    from connectflow.load import load_source
    from connectflow.model import build_flow
    from connectflow.patch.plan import Settings
    from connectflow.profile import load_profile
    from flowkit import dumps, encode
    from test_patch_reference import kinds_for

    registry = builtin_registry()
    golden: dict = {"reference": {}, "samples": {}}
    for path in REFERENCE_FLOWS:
        encoded = tmp / path.name
        encoded.write_text(dumps(encode(load_source(path).data)), encoding="utf-8")
        settings = kinds_for(build_flow(load_source(path).data))["all"]
        golden["reference"][path.name] = {
            "lint": _lint([path], [path.name], registry),
            "lint_encoded": _lint([encoded], [path.name], registry),
            "patch": _patch(path, settings, None, registry),
            "patch_encoded": _patch(encoded, settings, None, registry),
        }
    samples = sorted((ROOT / "samples" / "cce").glob("*.json"))
    profile = load_profile(ROOT / "samples" / "tenant.toml")
    for path in samples:
        golden["samples"][path.name] = {
            "lint": _lint([path], [path.name], registry),
            "lint_profile": _lint([path], [path.name], registry, profile),
            "patch_profile": _patch(path, Settings(), profile, registry),
        }
    golden["samples"]["(all, one run)"] = _lint(samples, [p.name for p in samples], registry, rules_text=True)
    return golden


def main() -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        current = outputs(Path(tmp))
    text = json.dumps(current, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if "--check" in sys.argv:
        if not GOLDEN.exists() or GOLDEN.read_text(encoding="utf-8") != text:
            print(f"{GOLDEN} is stale: run python tests/golden/regenerate.py and review git diff", file=sys.stderr)
            return 1
        return 0
    GOLDEN.write_text(text, encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
