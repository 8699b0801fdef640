"""The editor bridge without a browser: how values are embedded, what the apply plan holds,
the worksheet, and the command line. The browser behaviour is in test_editor_browser.py."""

from __future__ import annotations

import collections

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_DIR, needs_reference
from connectflow.cli import cli
from connectflow.editor import bookmarklet, export_snippet, js_literal, render
from connectflow.editor.leaves import LeafError, changes
from flowkit import FLOWS, dom_form, dumps

HOSTILE = '</script><!-- "q" \\ ${x} `t` \u2028\u2029 & >'


def test_js_literal_is_the_same_json_with_nothing_that_ends_a_script():
    literal = js_literal({"value": HOSTILE, "list": [HOSTILE]})
    assert json.loads(literal) == {"value": HOSTILE, "list": [HOSTILE]}
    for unsafe in ("<", ">", "&", "\u2028", "\u2029"):
        assert unsafe not in literal


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js not installed")
def test_rendered_snippets_are_valid_javascript(tmp_path):
    snippets = {"export": export_snippet(), "redact": export_snippet(redact=True),
                "apply": render("apply.js", PLANS=[{"flowId": "1", "cells": {}, "changes": [
                    {"cell": "2", "where": "text", "element": [0], "tag": "param", "name": HOSTILE,
                     "old": HOSTILE, "new": HOSTILE}]}])}
    for name, text in snippets.items():
        (tmp_path / f"{name}.js").write_text(text, encoding="utf-8")
        checked = subprocess.run(["node", "--check", str(tmp_path / f"{name}.js")], capture_output=True, text=True)
        assert checked.returncode == 0, (name, checked.stderr)


def test_bookmarklet_is_one_line_and_does_not_replace_the_page():
    link = bookmarklet()
    assert link.startswith("javascript:void%20(function") and "\n" not in link and " " not in link


def _patched(document: dict, edit) -> dict:
    after = json.loads(json.dumps(document))
    edit(after)
    return after


def test_leaf_changes_are_the_full_strings_the_editor_holds():
    before = dom_form(FLOWS["webhook"]())
    after = _patched(before, lambda d: (
        d["cells"][0]["value"]["attributes"].update(start_node_info="{}"),
        d["cells"][3]["value"]["children"][2].update(text="4712"),
        d["cells"][-1]["value"]["params"][2].update(value="2"),
        d["customVariables"][1].update(value="MR-1")))
    plan = changes(before, after)
    assert plan["flowId"] == "5001" and plan["cells"]["2"] == "element:start" and plan["cells"]["200"] == "object"
    assert [(c["cell"], c["where"]) for c in plan["changes"]] == [
        ("1", "attribute"), ("30", "text"), (before["cells"][-1]["id"], "value"), (None, "sessionData")]
    attribute, text, value, variable = plan["changes"]
    assert attribute["attribute"] == "start_node_info" and attribute["new"] == "{}"
    assert attribute["old"] == before["cells"][0]["value"]["attributes"]["start_node_info"]
    assert (text["element"], text["tag"], text["name"], text["old"], text["new"]) == ([2], "param", "auth_id", "4711",
                                                                                       "4712")
    assert value["path"] == ["params", 2, "value"] and (value["old"], value["new"]) == ("3", "2")
    assert variable["path"] == [1, "value"] and variable["label"] == "mediaResourceID"


@pytest.mark.parametrize("edit, problem", [
    (lambda d: d["cells"].pop(), "cells were added, removed or reordered"),
    (lambda d: d["cells"][3]["value"]["children"].pop(), "child elements were added or removed"),
    (lambda d: d["customVariables"].append({"name": "x", "value": ""}), "entries were added or removed"),
    (lambda d: d.update(flowId="9"), "top-level 'flowId' changed"),
    (lambda d: d["cells"][4].update(target="2"), "its parent, source or target changed"),
])
def test_structural_changes_cannot_be_made_by_an_editor_script(edit, problem):
    before = dom_form(FLOWS["webhook"]())
    with pytest.raises(LeafError, match=problem):
        changes(before, _patched(before, edit))


def test_patch_editor_script_without_output_writes_no_flow(tmp_path):
    flow = tmp_path / "flow.json"
    flow.write_text(dumps(dom_form(FLOWS["webhook"]())), encoding="utf-8")
    script = tmp_path / "apply.js"
    result = CliRunner().invoke(cli, ["patch", "--asset-id", "LC40211337=LC99", str(flow), "--editor-script",
                                      str(script)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"editor script: 3 values in 1 flow -> {script}" in result.stderr
    text = script.read_text(encoding="utf-8")
    assert text.count('"where":') == 3 and "LC99" in text
    assert json.loads(flow.read_text(encoding="utf-8")) == dom_form(FLOWS["webhook"]())  # flow untouched


def test_patch_bridge_errors_exit_2_and_write_nothing(tmp_path):
    flow = tmp_path / "flow.json"
    flow.write_text(dumps(dom_form(FLOWS["webhook"]())), encoding="utf-8")
    diff = CliRunner().invoke(cli, ["patch", "--asset-id", "LC99", str(flow), "--diff", "--worksheet", "w.md"])
    assert diff.exit_code == 2 and "leave out --editor-script and --worksheet" in diff.output
    missing = CliRunner().invoke(cli, ["patch", "--asset-id", "LC99", str(flow), "-o", str(tmp_path / "out.json"),
                                       "--editor-script", str(tmp_path / "no" / "apply.js")])
    assert missing.exit_code == 2 and "no such folder" in missing.output
    assert not (tmp_path / "out.json").exists()  # the bridge's outputs are checked before any flow is written


def test_help_documents_the_bridge():
    runner = CliRunner()
    patch_help = runner.invoke(cli, ["patch", "--help"]).output
    assert "--editor-script FILE.js" in patch_help and "--worksheet FILE.md|FILE.html" in patch_help
    export_help = runner.invoke(cli, ["editor", "export", "--help"]).output
    assert "--bookmarklet" in export_help and "--redact" in export_help and "console" in export_help
    assert "tenant-round-trip.md" in runner.invoke(cli, ["editor", "--help"]).output


def test_export_command_prints_the_snippet():
    assert CliRunner().invoke(cli, ["editor", "export"]).output == export_snippet()
    assert CliRunner().invoke(cli, ["editor", "export", "--redact", "--bookmarklet"]).output == \
        bookmarklet(redact=True) + "\n"


@needs_reference
def test_worksheet_names_each_edit_as_the_flow_builder_does(tmp_path):
    flow = REFERENCE_DIR / "wxcc-task-routed-flow.json"
    sheet = tmp_path / "routed.md"
    result = CliRunner().invoke(cli, ["patch", "--asset-id", "OR06143228=LC40211337", "--auth", "default=4711:Tenant Auth",
                                      "--set-var", "MediaResourceId=</script>|x", str(flow), "--worksheet", str(sheet)])
    assert result.exit_code == 0, result.output
    text = sheet.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| #")]
    assert "| 1 | `Start node 'WxCC Task v2' (id 2)` | `Conditions > webex.destination` | `OR06143228` | " \
           "`LC40211337` |" in rows
    assert sum("Conditions" in row for row in rows) == 1          # three stored copies, one edit in the editor
    assert "| 3 | `node 'Screen Pop' (id 1326)` | `Node Runtime Authorization` | `WxCC Task Node Auth (id -1)` | " \
           "`Tenant Auth (id 4711)` |" in rows
    assert "| 2 | `Settings` | `Custom Variables > MediaResourceId > value` | (empty) | `</script>\\|x` |" in rows
    page = tmp_path / "routed.html"
    CliRunner().invoke(cli, ["patch", "--asset-id", "OR06143228=LC40211337", "--set-var", "MediaResourceId=</script>",
                             str(flow), "--worksheet", str(page)])
    html = page.read_text(encoding="utf-8")
    assert "<td><code>&lt;/script&gt;</code></td>" in html and "</script>" not in html


@needs_reference
def test_worksheet_fields_are_the_settings_tables_ui(tmp_path):
    from connectflow.settings import setting

    sheet = tmp_path / "sms.md"
    profile = Path(__file__).resolve().parents[1] / "samples" / "tenant.toml"
    result = CliRunner().invoke(cli, ["patch", "--profile", str(profile), str(REFERENCE_DIR / "wxcc-sms-inbound.json"),
                                      "--worksheet", str(sheet)])
    assert result.exit_code == 0, result.output
    rows = [line.split(" | ") for line in sheet.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith(("| #", "|---"))]
    fields = collections.Counter(row[2].strip("`") for row in rows)
    assert fields == {setting("sms_sender").ui.split(" > ", 1)[1]: 6,  # 2 Start extras, 4 send nodes
                      setting("queue").ui.split(" > ", 1)[1]: 1, setting("flow_id").ui.split(" > ", 1)[1]: 1,
                      "Node Runtime Authorization": 3}
    assert fields["Number / Sender"] == 6 and fields["Queue"] == 1


def test_worksheet_names_the_conditions_one_per_asset_by_the_tables_ui(tmp_path):
    """Several assets of a channel rewrite the Start conditions as whole lists: the Field column
    is still the asset entry's ui with the destination variable, not the patch's reason."""
    from connectflow.settings import setting

    root = Path(__file__).resolve().parents[1] / "samples"
    sheet = tmp_path / "created.md"
    result = CliRunner().invoke(cli, ["patch", "--profile", str(root / "tenant-multi.toml"),
                                      str(root / "cce" / "created.json"), "--worksheet", str(sheet)])
    assert result.exit_code == 0, result.output
    fields = [line.split(" | ")[2].strip("`") for line in sheet.read_text(encoding="utf-8").splitlines()
              if line.startswith("| ") and "Conditions" in line]
    expected = setting("asset").ui.split(" > ", 1)[1].format(variable="inboundWebhook.destination")
    assert fields and set(fields) == {expected}


def test_the_guide_commands_run_as_written(tmp_path):
    """docs/tenant-round-trip.md's ```sh commands, on a sample flow in the editor's form standing
    in for the browser's download: each runs, and the patched flow lints clean."""
    root = Path(__file__).resolve().parents[1]
    guide = (root / "docs" / "tenant-round-trip.md").read_text(encoding="utf-8")
    commands = [line for block in re.findall(r"```sh\n(.*?)```", guide, re.S) for line in block.splitlines()]
    assert [c.split()[1] for c in commands] == ["editor", "lint", "patch", "lint", "patch"]
    sample = json.loads((root / "samples" / "cce" / "routed.json").read_text(encoding="utf-8"))
    (tmp_path / "routed.json").write_text(dumps(dom_form(sample)), encoding="utf-8")
    (tmp_path / "tenant.toml").write_text((root / "samples" / "tenant.toml").read_text(encoding="utf-8"))
    (tmp_path / "ecc-variables.xml").write_bytes((root / "samples" / "ecc-variables.xml").read_bytes())
    codes = []
    for command in commands:
        assert command.startswith("connectflow ")
        done = subprocess.run(f"{sys.executable} -m {command}", shell=True, cwd=tmp_path, capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": str(root)})
        codes.append(done.returncode)
        assert done.returncode in (0, 1), (command, done.stderr)
    assert codes == [0, 1, 0, 0, 0]
    assert (tmp_path / "export.js").read_text(encoding="utf-8") == export_snippet()
    script = (tmp_path / "routed.apply.js").read_text(encoding="utf-8")
    assert '"flowId":' in script and "Now click Save" in script
    assert "Node Runtime Authorization" in (tmp_path / "routed.worksheet.md").read_text(encoding="utf-8")


def test_one_script_for_several_flows_and_no_two_with_one_id(tmp_path):
    for name in ("webhook", "messenger"):
        (tmp_path / f"{name}.json").write_text(dumps(dom_form(FLOWS[name]())), encoding="utf-8")
    script = tmp_path / "apply.js"
    args = ["patch", "--auth", "default=9001:Tenant", str(tmp_path / "webhook.json"), str(tmp_path / "messenger.json"),
            "--editor-script", str(script)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "in 2 flows" in result.stderr
    text = script.read_text(encoding="utf-8")
    assert '"flowId":"5001"' in text.replace(" ", "") and '"flowId":"5002"' in text.replace(" ", "")
    twin = dom_form(FLOWS["messenger"]())
    twin["flowId"] = "5001"
    (tmp_path / "messenger.json").write_text(dumps(twin), encoding="utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "several flows have flow id 5001" in result.output
