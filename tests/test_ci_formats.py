"""CI formats: JUnit (against the vendored XSD), GitLab Code Quality (against GitLab's schema),
Markdown, GitHub annotation limits, several formats in one run, --exit-zero, stdin, paths."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from connectflow.cli import cli
from flowkit import dumps, webhook_flow

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = Path(__file__).parent / "schemas"
SAMPLES = ROOT / "samples" / "cce"
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}  # docs.gitlab.com, Code Quality report format


def _lint(*args, input=None):
    return CliRunner().invoke(cli, ["lint", *map(str, args)], input=input)


@pytest.fixture
def hostile(tmp_path):
    """A flow whose node label and destination carry markup, control characters and separators."""
    document = webhook_flow()
    document["cells"][0]["value"]["attributes"]["start_node_info"]["conditions"][0]["value"] = "OR06143228"
    label = "Start <b>&amp;</b> | *x* [a](http://evil) %0A::error::\x1b[31mred\r\nnext"
    document["cells"][1]["value"]["attributes"]["label"] = label
    path = tmp_path / "we,ird:name.json"
    path.write_text(dumps(document))
    return path


def test_junit_validates_against_the_xsd(tmp_path, hostile):
    from lxml import etree

    (tmp_path / "clean.json").write_text(dumps(webhook_flow()))
    (tmp_path / "broken.json").write_text("{")
    result = _lint("--format", "junit", "--select", "CF101", tmp_path)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "JUnit.xsd")))
    document = etree.fromstring(result.output.encode())
    schema.assertValid(document)
    suites = document.findall("testsuite")
    failures = document.findall(".//failure")
    errors = document.findall(".//error")
    assert len(failures) == 1 and len(errors) == 1  # the finding, the unreadable file
    assert "OR06143228" in failures[0].get("message") and "\x1b" not in result.output
    assert [s.get("tests") for s in suites if s.get("name") == "connectflow lint (clean flows)"] == ["1"]


def test_gitlab_code_quality_validates_against_gitlabs_schema():
    result = _lint("--format", "gitlab", SAMPLES)
    issues = json.loads(result.output)
    schema = json.loads((SCHEMAS / "gitlab-codeclimate.json").read_text())
    assert len(issues) == 160
    for issue in issues:
        jsonschema.validate(issue, schema)
        assert issue["check_name"] and issue["severity"] in GITLAB_SEVERITIES
        assert not Path(issue["location"]["path"]).is_absolute() and issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab needs them unique


def test_github_never_exceeds_the_annotation_limits_and_always_summarizes(monkeypatch, tmp_path):
    summary_file = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    result = _lint("--format", "github", SAMPLES)
    lines = result.output.strip().splitlines()
    levels = [re.match(r"::(\w+) ", line).group(1) for line in lines]
    assert levels.count("error") == 10 and levels.count("warning") <= 10 and levels.count("notice") <= 10
    assert levels[:10] == ["error"] * 10  # most severe first
    assert lines[-1].startswith("::notice title=connectflow lint::13 flows checked: 153 errors, 7 infos.")
    assert "143 findings not shown as annotations" in lines[-1]
    assert result.exit_code == 1
    summary = summary_file.read_text()
    assert summary.startswith("## connectflow lint") and summary.count("| 🔴 error |") == 153
    # A clean run still says so.
    (tmp_path / "ok.json").write_text(dumps(webhook_flow()))
    clean = _lint("--format", "github", tmp_path / "ok.json")
    assert clean.output.strip() == "::notice title=connectflow lint::1 flow checked: no findings."


def test_github_escapes_file_derived_text(hostile, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = _lint("--format", "github", "--select", "CF101", hostile)
    annotation = result.output.splitlines()[0]
    assert "\r" not in annotation and "\x1b" not in annotation
    properties, _, message = annotation[len("::error "):].partition("::")
    assert "file=" + str(hostile).replace(":", "%3A").replace(",", "%2C") in properties
    assert "%250A::error::" in message  # a literal "%0A" stays text: '%' is escaped, so no forged line
    assert "title=CF101 placeholder-destination" in properties


def test_markdown_escapes_file_derived_text(hostile):
    result = _lint("--format", "markdown", "--select", "CF101", hostile)
    row = next(line for line in result.output.splitlines() if "CF101" in line and "|" in line)
    assert "<b>" not in row and "&lt;b&gt;" in row and "\\[a\\](http://evil)" in row  # no link: the brackets are literal
    assert row.count(" | ") == 5  # the label's '|' cannot add a column
    assert "\x1b" not in result.output and "\r" not in result.output


def test_text_escapes_control_characters(hostile):
    result = _lint("--no-color", "--select", "CF101", hostile)
    assert "\x1b" not in result.output and "\\u001b[31mred" in result.output


def test_several_formats_in_one_run_and_output_file(tmp_path):
    sarif, junit, text = tmp_path / "r.sarif", tmp_path / "r.xml", tmp_path / "out.txt"
    result = _lint("--format", "text", "--format", f"sarif={sarif}", "--format", f"junit={junit}",
                   "-o", text, "--no-color", SAMPLES / "created.json")
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(sarif.read_text())["runs"][0]["results"]
    assert junit.read_text().startswith("<?xml")
    assert "1 flow checked: 6 errors." in text.read_text().splitlines()
    clash = _lint("--format", "json", "--format", "sarif", SAMPLES)
    assert clash.exit_code == 2 and "would all go to stdout" in clash.output
    unknown = _lint("--format", "yaml", SAMPLES)
    assert unknown.exit_code == 2 and "unknown format" in unknown.output


def test_exit_zero_reports_but_passes():
    result = _lint("--exit-zero", "--no-color", SAMPLES / "created.json")
    assert result.exit_code == 0 and "6 errors" in result.output


def test_stdin_with_a_filename(tmp_path):
    document = webhook_flow()
    document["cells"][0]["value"]["attributes"]["start_node_info"]["conditions"][0]["value"] = "OR06143228"
    result = _lint("--format", "json", "--stdin-filename", "flows/routed.json", "-", input=dumps(document))
    findings = json.loads(result.output)["findings"]
    assert result.exit_code == 1 and {f["file"] for f in findings} == {"flows/routed.json"}
    assert any(f["rule"] == "CF101" and f["line"] for f in findings)
    broken = _lint("-", input="{")
    assert broken.exit_code == 2 and "-" in broken.output and "truncated JSON" in broken.output


def test_a_path_without_flows_is_an_error_and_repeats_count_once(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _lint(empty)
    assert result.exit_code == 2 and "no flow files in this folder" in result.output
    result = _lint(str(tmp_path / "*.json"))
    assert result.exit_code == 2 and "matches no file" in result.output
    twice = _lint("--no-color", SAMPLES / "created.json", f"{SAMPLES}/./created.json")
    assert "1 flow checked: 6 errors." in twice.output


def test_skip_non_flows_for_pre_commit(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "ok.json").write_text(dumps(webhook_flow()))
    result = _lint("--skip-non-flows", "--no-color", tmp_path / "package.json", tmp_path / "ok.json")
    assert result.exit_code == 0 and "1 flow checked: no findings." in result.output
    assert _lint(tmp_path / "package.json").exit_code == 2  # without the flag it is an error
    (tmp_path / "damaged.json").write_text('{"cells": [')
    assert _lint("--skip-non-flows", tmp_path / "damaged.json").exit_code == 2  # a damaged flow is never skipped
