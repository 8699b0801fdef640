"""Accepting known findings: the baseline survives a re-export, profile suppressions need a
reason and are reported when unused, --no-suppress audits, every format counts them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from connectflow.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "cce"


def _lint(*args):
    return CliRunner().invoke(cli, ["lint", "--no-color", *map(str, args)])


def _reexport(path: Path) -> None:
    """What the editor may do on export: other indentation, keys in another order, cells reordered."""
    document = json.loads(path.read_text())
    document["cells"] = list(reversed(document["cells"]))
    path.write_text(json.dumps(document, indent=4, sort_keys=True))


@pytest.fixture
def flows(tmp_path):
    shutil.copytree(SAMPLES, tmp_path / "flows")
    return tmp_path / "flows"


def test_baseline_survives_a_reexport_and_reports_exactly_the_new_finding(flows, tmp_path):
    baseline = tmp_path / ".connectflow-baseline.json"
    written = _lint("--write-baseline", baseline, flows)
    assert written.exit_code == 0 and "baseline of 160 findings in 13 flows" in written.output
    entries = json.loads(baseline.read_text())["findings"]
    assert len(entries) == 160 and all("line" not in e for e in entries)
    assert entries[0]["file"].startswith("flows/")  # relative to the baseline's folder

    clean = _lint("--baseline", baseline, flows)
    assert clean.exit_code == 0, clean.output
    assert "13 flows checked: no findings. 160 suppressed (160 by the baseline)." in clean.output

    for path in flows.glob("*.json"):
        _reexport(path)
    again = _lint("--baseline", baseline, flows)
    assert again.exit_code == 0 and "no findings. 160 suppressed" in again.output, again.output

    created = flows / "created.json"
    document = json.loads(created.read_text())
    next(v for v in document["customVariables"] if v["name"] == "SenderName")["name"] = "Sender Name"
    created.write_text(json.dumps(document, indent=4, sort_keys=True))
    new = _lint("--baseline", baseline, "--format", "json", flows)
    report = json.loads(new.output)
    assert new.exit_code == 1
    assert [(f["rule"], f["file"].endswith("created.json")) for f in report["findings"]] == [("CF602", True)]
    assert report["summary"]["suppressed"] == 160 and report["summary"]["fixed"] == 0


def test_baseline_reports_fixed_entries(flows, tmp_path):
    baseline = tmp_path / "b.json"
    _lint("--write-baseline", baseline, flows)
    created = flows / "created.json"
    created.write_text(created.read_text().replace("447418369300", "447700900123"))
    result = _lint("--baseline", baseline, "--format", "json", flows)
    report = json.loads(result.output)
    # the start condition (CF101) and the sample number in the webhook payload and the SMS node (CF230)
    assert result.exit_code == 0 and report["summary"]["fixed"] == 4
    assert [f["rule"] for f in report["fixed"]] == ["CF101", "CF230", "CF230", "CF230"]
    assert {f["file"] for f in report["fixed"]} == {"flows/created.json"}
    text = _lint("--baseline", baseline, flows)
    assert "4 baseline entries fixed" in " ".join(text.output.split())
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    assert _lint("--baseline", bad, flows).exit_code == 2
    assert "no such baseline file" in _lint("--baseline", tmp_path / "none.json", flows).output


PROFILE = """
[[lint.suppress]]
rule = "CF101"
file = "flows/created.json"
node = "2"
reason = "the created flow is only imported in the lab tenant"

[[lint.suppress]]
rule = "placeholder-destination"
file = "flows/closed.json"
pointer = "/cells/0/value/attributes/start_node_info/conditions/1"
reason = "IM asset retired next sprint"

[[lint.suppress]]
rule = "CF301"
file = "flows/created.json"
node = "999"
reason = "a node that no longer exists"

[[lint.suppress]]
rule = "CF301"
file = "flows/not-linted-today.json"
reason = "only judged when that file is linted"
"""


def test_profile_suppressions_with_reasons_and_unused_ones_reported(flows, tmp_path):
    profile = tmp_path / "connectflow.toml"
    profile.write_text(PROFILE)
    result = _lint("--format", "json", flows / "created.json", flows / "closed.json")
    report = json.loads(result.output)
    reasons = sorted({f["reason"] for f in report["suppressed"]})
    assert reasons == ["IM asset retired next sprint", "the created flow is only imported in the lab tenant"]
    assert report["summary"]["suppressed"] == 4  # created: 3 CF101; closed: the second condition's copies
    unused = [f for f in report["findings"] if f["rule"] == "CF001"]
    assert len(unused) == 1 and "node 999" in unused[0]["message"] and unused[0]["file"] == str(profile)
    assert unused[0]["line"] == 14  # the [[lint.suppress]] header of the third entry
    assert result.exit_code == 1

    ignored = json.loads(_lint("--ignore", "CF001", "--format", "json", flows / "created.json").output)
    assert ignored["summary"]["suppressed"] == 3 and not any(f["rule"] == "CF001" for f in ignored["findings"])

    audit = json.loads(_lint("--no-suppress", "--format", "json", flows / "created.json").output)
    assert audit["summary"]["suppressed"] == 0 and not any(f["rule"] == "CF001" for f in audit["findings"])
    assert [f["rule"] for f in audit["findings"]] == ["CF101", "CF101", "CF101", "CF230", "CF230", "CF230"]


def test_a_suppression_needs_a_reason(flows, tmp_path):
    (tmp_path / "connectflow.toml").write_text('[[lint.suppress]]\nrule = "CF101"\n')
    result = _lint(flows / "created.json")
    assert result.exit_code == 2 and "lint.suppress.0.reason" in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "gitlab", "markdown"])
def test_every_format_tells_what_was_suppressed(flows, tmp_path, fmt, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    (tmp_path / "connectflow.toml").write_text(PROFILE)
    output = _lint("--format", fmt, flows / "created.json").output
    if fmt == "sarif":
        schema = SAMPLES.parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
        if schema.is_file():  # the official schema, from ../shared
            import jsonschema

            jsonschema.validate(json.loads(output), json.loads(schema.read_text()))
        run = json.loads(output)["runs"][0]
        accepted = [r for r in run["results"] if r.get("suppressions")]
        assert len(accepted) == 3 and accepted[0]["suppressions"][0]["justification"].startswith("the created flow")
    elif fmt == "junit":
        assert output.count("<skipped message=\"suppressed: the created flow") == 3
    elif fmt == "gitlab":  # GitLab has no notion of an accepted issue: they are left out
        assert json.loads(output) and not any(i["check_name"].startswith("CF101") for i in json.loads(output))
    elif fmt == "json":
        assert json.loads(output)["summary"]["suppressed"] == 3
    else:
        assert "3 suppressed (3 by the profile)" in output


def test_sarif_rules_link_their_pages_in_plain_text_and_markdown(flows, tmp_path):
    (tmp_path / "connectflow.toml").write_text('[lint]\nautomation_id = "connectflow/acme-prod/"\n')
    run = json.loads(_lint("--format", "sarif", flows).output)["runs"][0]
    assert run["automationDetails"] == {"id": "connectflow/acme-prod/"}
    driver = run["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    for rule in driver["rules"]:
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
        assert "``" not in rule["fullDescription"]["text"] + rule["help"]["text"] + rule["help"]["markdown"]
        assert "security-severity" not in json.dumps(rule)
    cf101 = next(r for r in driver["rules"] if r["id"] == "CF101")
    assert "`connectflow patch --asset-id OLD=NEW`" in cf101["help"]["markdown"]
    assert "connectflow patch --asset-id OLD=NEW" in cf101["help"]["text"]
