"""[variables] in the profile: any custom variable's tenant value, for every flow or by
flow-stem glob, written by patch and judged by lint (CF215), with --set-var winning."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from connectflow.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "cce"


def _variables(path: Path) -> dict:
    return {v["name"]: v["value"] for v in json.loads(path.read_text(encoding="utf-8"))["customVariables"]}


def _patch(tmp_path, profile_text: str, *args: str):
    profile = tmp_path / "tenant.toml"
    profile.write_text(profile_text, encoding="utf-8")
    out = tmp_path / "out"
    flows = [str(SAMPLES / "sms-inbound.json"), str(SAMPLES / "email-inbound.json")]
    result = CliRunner().invoke(cli, ["patch", "--profile", str(profile), *args, "-o", str(out), *flows])
    return result, out, profile


def test_plain_keys_go_to_every_flow_and_globs_to_matching_stems(tmp_path):
    result, out, profile = _patch(tmp_path, '[variables]\ndomain = "finesse.example.net"\n'
                                            '"sms-*" = { searchResponse = "none" }\n')
    assert result.exit_code == 0, result.output
    assert _variables(out / "sms-inbound.json")["domain"] == "finesse.example.net"
    assert _variables(out / "email-inbound.json")["domain"] == "finesse.example.net"
    assert _variables(out / "sms-inbound.json")["searchResponse"] == "none"
    assert "searchResponse" not in _variables(out / "email-inbound.json")
    lint = CliRunner().invoke(cli, ["lint", "--select", "CF215", "--profile", str(profile), str(out)])
    assert lint.exit_code == 0, lint.output
    again = CliRunner().invoke(cli, ["patch", "--profile", str(profile), "--check", str(out)])
    assert again.exit_code == 0, again.output


def test_set_var_against_the_profile_is_refused_because_lint_would_then_fail(tmp_path):
    result, out, _ = _patch(tmp_path, '[variables]\ndomain = "finesse.example.net"\n',
                            "--set-var", "domain=finesse.override.net")
    assert result.exit_code == 2 and "profile variables.domain" in result.output
    assert not out.exists()


def test_lint_reports_a_variable_that_is_not_the_profiles(tmp_path):
    profile = tmp_path / "tenant.toml"
    profile.write_text('[variables]\ndomain = "finesse.example.net"\n', encoding="utf-8")
    lint = CliRunner().invoke(cli, ["lint", "--select", "CF215", "--profile", str(profile),
                                    str(SAMPLES / "sms-inbound.json")])
    assert lint.exit_code == 1
    assert "not the tenant's finesse.example.net (profile variables.domain)" in " ".join(lint.output.split())
