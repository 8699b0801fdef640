"""Lint and patch output equals tests/golden/outputs.json on every reference flow and sample.

The guard for changes that must not be visible (speed, memory, refactoring): rule,
pointer, line, column, message, JSON, SARIF and text output, and the patched bytes.
After an intended change of findings, regenerate (``python tests/golden/regenerate.py``)
and review ``git diff tests/golden``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import needs_reference

sys.path.insert(0, str(Path(__file__).parent / "golden"))
import regenerate  # noqa: E402

GOLDEN = json.loads(regenerate.GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    return regenerate.outputs(tmp_path_factory.mktemp("golden"))


def _cases(group):
    return [(group, name, part) for name, parts in GOLDEN[group].items() for part in parts]


@pytest.mark.parametrize(("group", "name", "part"), _cases("samples"))
def test_samples_output_unchanged(current, group, name, part):
    assert current[group][name][part] == GOLDEN[group][name][part], (
        f"{name} {part} differs from tests/golden/outputs.json (regenerate only for an intended change)")


@needs_reference
@pytest.mark.parametrize(("group", "name", "part"), _cases("reference"))
def test_reference_output_unchanged(current, group, name, part):
    assert current[group][name][part] == GOLDEN[group][name][part], (
        f"{name} {part} differs from tests/golden/outputs.json (regenerate only for an intended change)")


@needs_reference
def test_golden_covers_every_reference_flow_and_sample(current):
    assert set(current["reference"]) == set(GOLDEN["reference"])
    assert set(current["samples"]) == set(GOLDEN["samples"])
