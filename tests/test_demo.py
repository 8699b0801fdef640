"""The README's demo on the bundled samples: lint as imported, patch from the tenant
profile, lint again clean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from connectflow.cli import cli
from connectflow.load import load_source
from connectflow.model import as_text, build_flow

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "cce"
PROFILE = ROOT / "samples" / "tenant.toml"

# What a team faces right after import (the README's table explains each rule).
AS_IMPORTED = {"CF101": 16, "CF202": 7, "CF210": 1, "CF211": 1, "CF212": 2, "CF213": 1, "CF214": 4, "CF215": 8, "CF230": 73, "CF301": 44,
               # across the set: both Live Chat inbound flows start for the same App ID, both CLOSED flows
               # for the Live Chat sample; the WebCallback flow's App ID has no WebCallback CLOSED flow.
               "CF701": 2, "CF703": 1}


def _lint(*args: str):
    result = CliRunner().invoke(cli, ["lint", "--format", "json", "--statistics", *args])
    return result.exit_code, json.loads(result.output)


def test_step_1_lint_reports_the_template_values_per_flow():
    code, report = _lint(str(SAMPLES))
    assert code == 1
    assert report["statistics"] == AS_IMPORTED
    flows = [build_flow(load_source(p).data) for p in sorted(SAMPLES.glob("*.json"))]
    # Independent counts: every prebuilt node is unauthorized; every sample destination is reported.
    assert AS_IMPORTED["CF301"] == sum(len(f.nodes_of("prebuiltnode")) for f in flows)
    assert AS_IMPORTED["CF101"] == sum(as_text(c.value) in {"447418369300", "IM28095016", "a_638296118145560000"}
                                       for f in flows for c in f.trigger.effective_conditions)
    files = {Path(f["file"]).name for f in report["findings"]}
    assert files == {p.name for p in SAMPLES.glob("*.json")}, "every flow needs tenant values"
    assert all(f["line"] and f["column"] for f in report["findings"])


def test_steps_2_and_3_patch_from_the_profile_then_lint_clean(tmp_path):
    out = tmp_path / "patched"
    result = CliRunner().invoke(cli, ["patch", "--profile", str(PROFILE), "-o", str(out), str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.json")) == sorted(p.name for p in SAMPLES.glob("*.json"))
    # tenant.toml has one Live Chat asset: each flow is ready, but the 13 are no set for it
    # (it would use one of the two Live Chat inbound and one of the two CLOSED flows).
    code, report = _lint("--profile", str(PROFILE), "--no-bundle", str(out))
    assert (code, report["findings"]) == (0, [])
    # The originals are untouched, and a second patch run changes nothing.
    assert _lint(str(SAMPLES))[1]["statistics"] == AS_IMPORTED
    again = CliRunner().invoke(cli, ["patch", "--profile", str(PROFILE), "--check", str(out)])
    assert again.exit_code == 0, again.output


def test_the_console_entry_point_runs_the_demo():
    result = subprocess.run([sys.executable, "-m", "connectflow", "lint", "--fail-on", "error", str(SAMPLES)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "13 flows checked: 153 errors, 7 infos." in result.stdout
