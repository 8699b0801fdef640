"""Output formats: JSON against its documented schema, SARIF against the official schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import REFERENCE_DIR, needs_reference
from connectflow.cli import cli
from flowkit import dumps, webhook_flow

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def flows(tmp_path):
    """Two flows with a finding each (the template sample destination) and one unreadable file."""
    document = webhook_flow()
    document["cells"][0]["value"]["attributes"]["start_node_info"]["conditions"][0]["value"] = "OR06143228"
    (tmp_path / "a.json").write_text(dumps(document))
    (tmp_path / "b.json").write_text(dumps(document))
    (tmp_path / "broken.json").write_text("{")
    return tmp_path


def _lint(*args):
    return CliRunner().invoke(cli, ["lint", "--select", "CF101", *map(str, args)])


def test_json_output_matches_documented_schema(flows):
    result = _lint("--format", "json", "--statistics", flows)
    document = json.loads(result.output)
    schema = json.loads((ROOT / "docs" / "json-output.schema.json").read_text())
    jsonschema.validate(document, schema)
    assert document["summary"] == {"files": 3, "unreadable": 1, "findings": 3, "error": 3, "warning": 0, "info": 0,
                                   "suppressed": 0, "fixed": 0}
    assert document["statistics"] == {"CF000": 1, "CF101": 2}
    assert result.exit_code == 2  # an unreadable file wins over findings


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason=f"official SARIF schema not found at {SARIF_SCHEMA}")
def test_sarif_is_valid_and_locates_findings(flows):
    result = _lint("--format", "sarif", flows)
    document = json.loads(result.output)
    jsonschema.validate(document, json.loads(SARIF_SCHEMA.read_text()))
    run = document["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["CF000", "CF101"]
    located = [r for r in run["results"] if r["ruleId"] == "CF101"]
    assert len(located) == 2
    for item in located:
        region = item["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert item["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].endswith("/conditions/0/value")
    # The same finding in two files has the same fingerprint (rule + node, not line).
    assert located[0]["partialFingerprints"] == located[1]["partialFingerprints"]


def test_github_annotations(flows, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = _lint("--format", "github", flows / "a.json")
    line, summary = result.output.strip().splitlines()
    assert line.startswith(f"::error file={flows / 'a.json'},line=") and ",title=CF101 placeholder-destination::" in line
    monkeypatch.setenv("GITHUB_WORKSPACE", str(flows))  # annotations are placed by the path in the checkout
    assert _lint("--format", "github", flows / "a.json").output.startswith("::error file=a.json,line=")
    assert "Fix: set your tenant's asset id" in line
    assert summary == "::notice title=connectflow lint::1 flow checked: 1 error."
    assert result.exit_code == 1


def test_text_output_groups_by_file_with_labels(flows):
    result = _lint("--no-color", flows / "a.json", flows / "b.json")
    lines = result.output.splitlines()
    assert lines[0] == str(flows / "a.json")
    assert "CF101 placeholder-destination  Start (2)" in lines[1] and "error" in lines[1]
    assert lines[2].strip().startswith("start condition") and lines[3].strip() == "template sample asset id"
    hint = " ".join(line.strip() for line in lines[4:6])  # the hint wraps at 80 columns
    assert hint == "fix CF101: set your tenant's asset id: connectflow patch --asset-id OR06143228=NEW_ID"
    assert all(len(line) <= 80 for line in lines if not line.startswith("/"))  # not a terminal: 80 columns
    closing = " ".join(lines[len(lines) - lines[::-1].index(""):])
    assert closing == ("No profile found (connectflow.toml, or [tool.connectflow] in pyproject.toml, above the "
                       "flows). 2 flows checked: 2 errors. 2 of these can be fixed with `connectflow patch "
                       "--profile P` (P: a profile with the tenant's values, like samples/tenant.toml).")
    coloured = _lint("--color", flows / "a.json")
    assert "\x1b[" in coloured.output


def test_clean_run_is_quiet_and_exits_0(tmp_path):
    (tmp_path / "ok.json").write_text(dumps(webhook_flow()))
    result = _lint("--no-color", tmp_path)
    assert result.exit_code == 0 and result.output.strip().splitlines()[-1] == "1 flow checked: no findings."


def test_usage_errors_exit_2(tmp_path):
    (tmp_path / "ok.json").write_text(dumps(webhook_flow()))
    result = CliRunner().invoke(cli, ["lint", "--select", "CF999", str(tmp_path)])
    assert result.exit_code == 2 and "no rule matches 'CF999'" in result.output
    result = CliRunner().invoke(cli, ["lint", "--profile", str(tmp_path / "missing.toml"), str(tmp_path)])
    assert result.exit_code == 2 and "missing.toml: no such profile file" in result.output


def _texts():
    """Texts as findings, fixes and summaries hold them, and odd ones: one-space words of every
    length (some longer than a line), the samples' messages, and texts textwrap alone takes."""
    import random

    from connectflow.lint import Selection, lint_source
    from connectflow.lint.registry import builtin_registry
    from connectflow.load import load_bytes

    rng = random.Random(14)
    for _ in range(3000):
        words = ["".join(rng.choice("abcdé漢-/.,:'") for _ in range(rng.choice([1, 2, 5, 9, 14, 30, 70])))
                 for _ in range(rng.randint(1, 25))]
        yield " ".join(words)
    registry = list(builtin_registry())
    for path in sorted((Path(__file__).resolve().parents[1] / "samples" / "cce").glob("*.json")):
        for finding in lint_source(load_bytes(path.name, path.read_bytes()), registry, Selection(), locate=False):
            yield finding.message
            yield finding.fix or ""
    yield from ["", " ", "  lead", "trail ", "two  spaces", "tab\there", "new\nline", "x" * 200, "a " + "y" * 90]


def test_text_output_wraps_as_textwrap_does():
    """report.text.wrap is textwrap.wrap (break_on_hyphens=False) for every text and indentation."""
    import textwrap

    from connectflow.report.text import wrap

    rng = __import__("random").Random(3)
    for text in _texts():
        width = rng.choice([40, 64, 80, 100, 132])
        first, rest = " " * rng.randint(0, 20), " " * rng.randint(0, 20)
        long_words = rng.random() < 0.5
        assert wrap(text, width, first, rest, long_words) == textwrap.wrap(
            text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False,
            break_long_words=long_words), (text, width, len(first), len(rest), long_words)
