"""Cross-flow findings through the command line: when the set's pass runs, and how every
output format carries the other flows involved (SARIF relatedLocations against the schema)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from connectflow.cli import cli
from flowkit import dumps, webhook_flow

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
CONDITION = "/cells/0/value/attributes/start_node_info/conditions/0/value"


@pytest.fixture
def pair(tmp_path):
    """Two ROUTED flows for the same destination: the double trigger Cisco warns about."""
    for name in ("routed.json", "routed-copy.json"):
        (tmp_path / name).write_text(dumps(webhook_flow()))
    return tmp_path / "routed.json", tmp_path / "routed-copy.json"


def _lint(*args):
    return CliRunner().invoke(cli, ["lint", *map(str, args)])


def test_more_than_one_flow_runs_the_set_checks_one_flow_only_with_bundle(pair):
    first, second = pair
    assert _lint("--no-color", first).exit_code == 0
    assert _lint("--no-color", "--bundle", first).exit_code == 0  # a set of one cannot overlap
    both = _lint("--no-color", first, second)
    assert both.exit_code == 1 and "CF701" in both.output
    assert _lint("--no-color", "--no-bundle", first, second).exit_code == 0


def test_json_lists_the_related_flow(pair):
    first, second = pair
    document = json.loads(_lint("--format", "json", first, second).output)
    jsonschema.validate(document, json.loads((ROOT / "docs" / "json-output.schema.json").read_text()))
    [finding] = document["findings"]
    assert (finding["rule"], finding["file"], finding["pointer"]) == ("CF701", str(second), CONDITION)
    [other] = finding["related"]
    assert (other["file"], other["pointer"], other["node"]["id"]) == (str(first), CONDITION, "2")
    assert other["line"] == finding["line"] and other["column"] == finding["column"]  # same shape, same place


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason=f"official SARIF schema not found at {SARIF_SCHEMA}")
def test_sarif_related_locations_are_valid(pair):
    first, second = pair
    document = json.loads(_lint("--format", "sarif", first, second).output)
    jsonschema.validate(document, json.loads(SARIF_SCHEMA.read_text()))
    [result] = document["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("routed-copy.json")
    [related] = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith("/routed.json")
    assert related["physicalLocation"]["region"]["startLine"] >= 1 and related["message"]["text"]


def test_text_and_github_name_the_other_flow(pair):
    first, second = pair
    text = " ".join(_lint("--no-color", first, second).output.split())  # as read, whatever the wrapping
    assert f"see {first}:" in text and "the same ROUTED webhook starts this flow too" in text
    concise = _lint("--no-color", "--concise", first, second).output
    assert f"[see {first}:" in concise.splitlines()[0]
    github = _lint("--format", "github", first, second).output.strip()
    assert github.startswith(f"::error file={second},") and f"%0Asee {first}:" in github


@pytest.mark.parametrize("name", ["junit", "gitlab", "markdown"])
def test_the_ci_formats_name_the_other_flow_too(pair, name):
    first, second = pair
    output = _lint("--format", name, first, second).output.replace("\\", "")  # markdown escapes punctuation
    assert f"(see {first}:" in output and "CF701" in output
