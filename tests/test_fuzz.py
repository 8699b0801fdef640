"""Seeded fuzzing of every reference flow and sample through lint, show and patch.

Structural mutations (keys deleted, values retyped, settings string-encoded or
broken, cells duplicated) and byte-level ones (flipped, inserted, truncated bytes;
NaN, lone surrogates, zips) must give exit 0, 1 or 2, one-line errors, and a
failed patch must leave the file untouched. Fixed seed, small enough for CI; the
long campaign is tests/fuzz/campaign.py (see docs/robustness.md).
"""

from __future__ import annotations

import os
import random

import pytest
from click.testing import CliRunner

from connectflow.cli import cli
from fuzz.mutate import base_flows, check, first_variable, mutate

SEED = int(os.environ.get("CONNECTFLOW_FUZZ_SEED", "15"))
PER_FLOW = 4


def _invoke(args):
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output, result.exception


@pytest.mark.parametrize("base", base_flows(), ids=lambda p: p.name)
def test_mutations_never_crash(tmp_path, base):
    rng = random.Random(f"{SEED}:{base.name}")
    raw = base.read_bytes()
    variable = first_variable(raw)
    failures = []
    for index in range(PER_FLOW):
        kind, data = mutate(raw, rng)
        path = tmp_path / f"m{index}.json"
        path.write_bytes(data)
        commands = ("lint", "show", "patch") if index % 2 == 0 else ("lint", "show")
        failures += [f"{kind} #{index}: {p}" for p in check(path, _invoke, variable, commands)]
    assert not failures, "\n".join(failures)
