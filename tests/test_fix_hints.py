"""Fix hints that work: every fix that names a `connectflow patch` command is run, with its
placeholders filled as a user would, on the very flow it was printed for, and must clear the
findings it was printed for (same rule, same place)."""

from __future__ import annotations

import collections
import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_DIR, needs_reference
from connectflow.cli import cli
from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_source
from connectflow.profile import load_profile

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "cce"
TENANT = SAMPLES.parent / "tenant.toml"
REGISTRY = list(builtin_registry())
COMMAND = re.compile(r"connectflow patch (.+)$")
# What a user types for each placeholder a hint leaves open.
FILLED = {"NEW_ID": "LC73019288", "AUTH_ID": "7301", "NAME": "Example Insurance Auth", "VALUE": "crm.example.net",
          "PAGE_ID": "104857600213377", "WA_NUMBER": "14155550199", "DOMAIN": "chat.example.net",
          "EMAIL": "care@example.net", "APP_ID": "a_638911204357710057", "QUEUE_ID": "3f1c2a7e-5b9d-4e61-8a0f-2c7d9e4b6a10",
          "FLOW_ID": "96872"}
SENDER = "14155550142"


def _filled(command: str) -> list[str]:
    words = shlex.split(command)
    return [SENDER if prev == "--sms-sender" else re.sub(r"\b(" + "|".join(FILLED) + r")\b",
                                                        lambda m: FILLED[m.group(1)], word)
            for prev, word in zip(["", *words], words)]


def _check_hints(flow: Path, tmp_path: Path, profile=None, findings=None) -> int:
    """Run every hinted command on ``flow``; with ``profile``, lint (before and after) judges
    against it, as `lint --profile` does."""
    if findings is None:
        findings = lint_source(load_source(flow), REGISTRY, Selection(), profile)
    by_command = collections.defaultdict(list)
    for finding in findings:
        match = COMMAND.search(finding.fix or "")
        if match:
            by_command[match.group(1)].append(finding)
    for i, (command, printed_for) in enumerate(sorted(by_command.items())):
        target = tmp_path / f"{i}-{flow.name}"
        result = CliRunner().invoke(cli, ["patch", *_filled(command), str(flow), "-o", str(target)])
        assert result.exit_code == 0, f"{flow.name}: connectflow patch {command}\n{result.output}"
        after = {(f.rule, f.pointer) for f in lint_source(load_source(target), REGISTRY, Selection(), profile)}
        left = [f"{f.rule} {f.pointer}" for f in printed_for if (f.rule, f.pointer) in after]
        assert not left, f"{flow.name}: connectflow patch {command} left {left}"
    return len(by_command)


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_every_hinted_command_clears_its_findings_on_the_samples(name, tmp_path):
    assert _check_hints(SAMPLES / name, tmp_path) > 0


@needs_reference
@pytest.mark.parametrize("name", ["wxcc-task-routed-flow.json", "gallery-webhook-sms.json"])
def test_every_hinted_command_clears_its_findings_on_reference_flows(name, tmp_path):
    assert _check_hints(REFERENCE_DIR / name, tmp_path) > 0


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_without_a_profile_hints_name_the_exact_option(name):
    fixes = [f.fix for f in lint_source(load_source(SAMPLES / name), REGISTRY, Selection()) if f.fixable]
    assert fixes and not [fix for fix in fixes if "--profile" in fix]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_with_a_profile_the_hint_is_patch_profile_and_it_clears_the_findings(name, tmp_path):
    profile = load_profile(TENANT)
    findings = lint_source(load_source(SAMPLES / name), REGISTRY, Selection(), profile)
    commands = {COMMAND.search(f.fix).group(1) for f in findings if f.fixable}
    # the sample profile holds every value these flows need: one command fixes them all
    assert commands == {f"--profile {shlex.quote(str(TENANT))}"} or commands == {"--profile samples/tenant.toml"}
    assert _check_hints(SAMPLES / name, tmp_path, profile, findings) == 1


def test_a_value_the_profile_does_not_hold_keeps_the_exact_option(tmp_path):
    partial = tmp_path / "partial.toml"  # the sample profile without its channel values
    partial.write_text(re.sub(r"(?ms)^\[channel\].*?(?=^\[)", "", TENANT.read_text(encoding="utf-8")),
                       encoding="utf-8")
    shutil.copy(TENANT.parent / "ecc-variables.xml", tmp_path)
    profile = load_profile(partial)
    findings = lint_source(load_source(SAMPLES / "facebook-inbound.json"), REGISTRY, Selection(), profile)
    by_rule = {f.rule: f.fix for f in findings if f.fixable}
    assert by_rule["CF210"].endswith("connectflow patch --fb-page-id PAGE_ID")
    assert "connectflow patch --profile " in by_rule["CF301"]
    assert _check_hints(SAMPLES / "facebook-inbound.json", tmp_path, profile, findings) == 2


def test_a_discovered_profile_is_named_by_its_path(tmp_path):
    folder = tmp_path / "tenant"
    folder.mkdir()
    shutil.copy(TENANT, folder / "connectflow.toml")
    shutil.copy(TENANT.parent / "ecc-variables.xml", folder)
    flow = folder / "routed.json"
    shutil.copy(SAMPLES / "routed.json", flow)
    result = CliRunner().invoke(cli, ["lint", "--no-bundle", "--format", "json", str(flow)])
    assert result.exit_code == 1, result.output
    fixes = {f["fix"] for f in json.loads(result.output)["findings"] if f["fix"] and "connectflow patch" in f["fix"]}
    command = f"connectflow patch --profile {shlex.quote(str(folder / 'connectflow.toml'))}"
    assert fixes and all(fix.endswith(command) for fix in fixes), fixes
    patched = tmp_path / "patched.json"
    assert CliRunner().invoke(cli, ["patch", *shlex.split(command)[2:], str(flow), "-o", str(patched)]).exit_code == 0
    after = CliRunner().invoke(cli, ["lint", "--no-bundle", "--profile", str(folder / "connectflow.toml"), str(patched)])
    assert after.exit_code == 0, after.output


@needs_reference
@pytest.mark.parametrize("name", ["wxcc-sms-inbound.json", "wxcc-facebookinboundflow.json"])
def test_profile_hints_clear_their_findings_on_reference_flows(name, tmp_path):
    assert _check_hints(REFERENCE_DIR / name, tmp_path, load_profile(TENANT)) > 0
