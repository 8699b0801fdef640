"""Issue 3's acceptance on the real Task Routed template, through the command line:
the three mistakes are reported with line:column, and once the flow carries the
tenant's values (written by connectflow patch) it lints clean under that profile."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import REFERENCE_DIR, needs_reference
from connectflow.cli import cli

ROUTED = REFERENCE_DIR / "wxcc-task-routed-flow.json"
PROFILE = """
[assets]
livechat = ["LC40211337"]

[authorizations]
"50023" = { id = 9001, name = "WxCC Task Node Auth" }
"""
NODE_INPUT_QUERY = "/cells/2/value/children/33/text/queryParameters"
SCREEN_POP_URL = "/cells/2/value/children/13/text/5/value"  # request_body; patch writes its 4 other copies too


def _lint(*args):
    result = CliRunner().invoke(cli, ["lint", "--format", "json", *map(str, args)])
    return result.exit_code, json.loads(result.output)["findings"]


@needs_reference
def test_routed_template_mistakes_are_located():
    code, findings = _lint(ROUTED)
    assert code == 1
    got = {(f["rule"], f["node"]["id"]): f for f in findings}
    # CF230: the Screen Pop URL www.google.com and the authoring tenant's authorization name.
    assert set(got) == {("CF101", "2"), ("CF301", "1326"), ("CF503", "1326"), ("CF230", "1326")}
    lines = ROUTED.read_text(encoding="utf-8").splitlines()
    assert lines[got["CF101", "2"]["line"] - 1][got["CF101", "2"]["column"] - 1:].startswith('"OR06143228"')
    assert lines[got["CF301", "1326"]["line"] - 1][got["CF301", "1326"]["column"] - 1:].startswith("-1")
    assert got["CF503", "1326"]["pointer"] == NODE_INPUT_QUERY
    assert got["CF301", "1326"]["node"]["label"] == "Screen Pop"


@needs_reference
def test_routed_template_with_tenant_values_lints_clean(tmp_path):
    profile = tmp_path / "tenant.toml"
    profile.write_text(PROFILE)
    patched = tmp_path / ROUTED.name
    sent = {"CustomerId": "$(customerId)", "operation": "routed"}  # what request_body sends
    result = CliRunner().invoke(cli, [
        "patch", "--profile", str(profile), "--asset-id", "LC40211337",
        "--set", f"{NODE_INPUT_QUERY}={json.dumps(sent)}", "--set", f'{SCREEN_POP_URL}="crm.example.com/customer"',
        "-o", str(patched), str(ROUTED)])
    assert result.exit_code == 0, result.output
    code, findings = _lint("--profile", profile, patched)
    assert (code, findings) == (0, [])
    # With the profile but the template's values, the findings are still there.
    code, findings = _lint("--profile", profile, ROUTED)
    assert code == 1 and {f["rule"] for f in findings} == {"CF101", "CF230", "CF301", "CF503"}
