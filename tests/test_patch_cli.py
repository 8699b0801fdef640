"""`connectflow patch` end to end: outputs, --diff/--check, the profile, safe writes, bad input."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_DIR, needs_reference
from connectflow.cli import cli
from connectflow.load import load_source
from connectflow.load.locate import SourceMap
from connectflow.model import as_text, build_flow
from connectflow.patch.plan import Patch
from connectflow.patch.verify import VerifyError, verify
from flowkit import dumps, encode, messenger_flow, start, variable, webhook_flow

ROUTED = "wxcc-task-routed-flow.json"
SMS = "wxcc-sms-inbound.json"


def run(*args):
    return CliRunner().invoke(cli, ["patch", *map(str, args)])


def copy_reference(tmp_path, name):
    target = tmp_path / name
    target.write_bytes((REFERENCE_DIR / name).read_bytes())
    return target


def write_flow(tmp_path, name, document, encoded=False):
    target = tmp_path / name
    target.write_text(dumps(encode(document) if encoded else document), encoding="utf-8")
    return target


def channel_flow():
    """The messenger flow with every channel variable the templates ship (template values)."""
    document = messenger_flow()
    document["customVariables"] = [
        variable("FBpageid", 391273087404701), variable("appid", "a_638838409917150000"),
        variable("WANumber", 916303330251), variable("liveChatDomain", "tranquil-marigold-5e5c36.netlify.app"),
        variable("bizemailid", "wxccengage@gmail.com"), variable("ScriptSelector", "Billing"),
        variable("conversationId", ""), variable("retries", 3),
    ]
    return document


# -- outputs ------------------------------------------------------------------------------------

@needs_reference
def test_one_flow_goes_to_stdout_byte_exact(tmp_path):
    flow = copy_reference(tmp_path, ROUTED)
    result = run("--asset-id", "LC40211337", flow)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == flow.read_bytes().replace(b'"OR06143228"', b'"LC40211337"')
    assert "3 values changed" in result.stderr
    assert flow.read_bytes() == (REFERENCE_DIR / ROUTED).read_bytes()


@needs_reference
def test_output_file_and_output_folder(tmp_path):
    routed, closed = copy_reference(tmp_path, ROUTED), copy_reference(tmp_path, "wxcc-task-close-flow.json")
    result = run("--asset-id", "LC40211337", routed, "-o", tmp_path / "out.json")
    assert result.exit_code == 0 and result.stdout_bytes == b""
    assert b"LC40211337" in (tmp_path / "out.json").read_bytes()
    result = run("--asset-id", "LC40211337", routed, closed, "-o", tmp_path / "patched")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "patched").iterdir()) == sorted([ROUTED, closed.name])
    assert routed.read_bytes() == (REFERENCE_DIR / ROUTED).read_bytes()


@needs_reference
def test_several_flows_need_a_folder_or_in_place(tmp_path):
    routed, closed = copy_reference(tmp_path, ROUTED), copy_reference(tmp_path, "wxcc-task-close-flow.json")
    result = run("--asset-id", "LC40211337", routed, closed)
    assert result.exit_code == 2 and "-o DIR or --in-place" in result.stderr


@needs_reference
def test_in_place_keeps_permissions(tmp_path):
    flow = copy_reference(tmp_path, ROUTED)
    flow.chmod(0o640)
    result = run("--asset-id", "LC40211337", "--in-place", flow)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(flow.stat().st_mode) == 0o640
    assert flow.read_bytes() == (REFERENCE_DIR / ROUTED).read_bytes().replace(b'"OR06143228"', b'"LC40211337"')
    assert sorted(p.name for p in tmp_path.iterdir()) == [ROUTED], "no temporary file is left"


@needs_reference
def test_nothing_to_change_gives_the_input_byte_for_byte(tmp_path):
    flow = copy_reference(tmp_path, ROUTED)
    first = run("--asset-id", "LC40211337", flow, "-o", tmp_path / "once.json")
    assert first.exit_code == 0
    second = run("--asset-id", "LC40211337", tmp_path / "once.json")
    assert second.exit_code == 0 and "nothing to change" in second.stderr
    assert second.stdout_bytes == (tmp_path / "once.json").read_bytes()


@needs_reference
def test_check_and_diff_write_nothing(tmp_path):
    flow = copy_reference(tmp_path, ROUTED)
    before = flow.read_bytes(), flow.stat().st_mtime_ns
    check = run("--asset-id", "LC40211337", "--check", flow)
    assert check.exit_code == 1 and "would patch" in check.stderr and check.stdout_bytes == b""
    diff = run("--asset-id", "LC40211337", "--diff", flow)
    assert diff.exit_code == 0
    assert '-                "value": "OR06143228",' in diff.stdout
    assert '+                "value": "LC40211337",' in diff.stdout
    assert "3 values changed" in diff.stdout
    assert "start condition webex.destination (apiReqConditions)" in diff.stdout
    assert (flow.read_bytes(), flow.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [ROUTED]
    up_to_date = run("--asset-id", "OR06143228=LC40211337", "--check", tmp_path / ROUTED)
    assert up_to_date.exit_code == 1
    patched = run("--asset-id", "LC40211337", flow, "-o", tmp_path / "done.json")
    assert patched.exit_code == 0
    assert run("--asset-id", "LC40211337", "--check", tmp_path / "done.json").exit_code == 0


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from connectflow.cli import cli\n"
            "try: cli.main(['patch', '--help'], standalone_mode=False)\nexcept SystemExit: pass\n"
            "heavy = [m for m in ('deepdiff', 'networkx', 'jsonpath_ng', 'connectflow.patch.plan')\n"
            "         if m in sys.modules]\n"
            "assert not heavy, heavy")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


# -- safe writes --------------------------------------------------------------------------------

@needs_reference
@pytest.mark.parametrize("failing", ["os.replace", "os.fsync"])
def test_a_failed_write_leaves_the_original_untouched(tmp_path, monkeypatch, failing):
    flow = copy_reference(tmp_path, ROUTED)
    original = flow.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(failing, fail)
    result = run("--asset-id", "LC40211337", "--in-place", flow)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr
    assert flow.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == [ROUTED], "the temporary file is removed"


@needs_reference
def test_a_bad_second_flow_writes_nothing(tmp_path):
    """Every flow is planned and verified before the first one is written."""
    routed = copy_reference(tmp_path, ROUTED)
    broken = tmp_path / "broken.json"
    broken.write_text('{"cells": [', encoding="utf-8")
    result = run("--asset-id", "LC40211337", "--in-place", routed, broken)
    assert result.exit_code == 2 and "broken.json" in result.stderr
    assert routed.read_bytes() == (REFERENCE_DIR / ROUTED).read_bytes()


# -- channel variables, types and the profile ---------------------------------------------------

@pytest.mark.parametrize("encoded", [False, True], ids=["decoded", "encoded"])
def test_channel_variables_keep_their_type(tmp_path, encoded):
    flow = write_flow(tmp_path, "fb.json", channel_flow(), encoded)
    result = run("--fb-page-id", "104857600000001", "--app-id", "a_638900000000000002", "--wa-number", "14155550123",
                 "--live-chat-domain", "support.example.com", "--biz-email", "support@example.com", flow)
    assert result.exit_code == 0, result.stderr
    values = {v["name"]: v["value"] for v in json.loads(result.stdout)["customVariables"]}
    if encoded:  # the editor's strings stay strings
        assert values["FBpageid"] == "104857600000001" and values["WANumber"] == "14155550123"
    else:  # numbers stay numbers
        assert values["FBpageid"] == 104857600000001 and values["WANumber"] == 14155550123
    assert (values["appid"], values["liveChatDomain"], values["bizemailid"]) == (
        "a_638900000000000002", "support.example.com", "support@example.com")


def test_profile_gives_channel_values_assets_and_authorizations(tmp_path):
    document = webhook_flow()
    document["cells"][0]["value"]["attributes"]["start_node_info"]["conditions"][0]["value"] = "CI12124933"
    start = document["cells"][1]["value"]["children"]
    start[4]["text"][0]["conditions"][0]["value"] = "CI12124933"
    start[5]["text"][0]["value"] = "CI12124933"
    flow = write_flow(tmp_path, "routed.json", document)
    fb_only = messenger_flow()  # FBpageid and appid: the appid is for the tenant's Messenger asset
    fb_only["customVariables"][:2] = [variable("FBpageid", 391273087404701), variable("appid", "a_638838409917150000")]
    messenger = write_flow(tmp_path, "fb.json", fb_only)
    profile = tmp_path / "tenant.toml"
    profile.write_text('[assets]\nlivechat = ["LC40211337"]\nsms = ["447700900123"]\n'
                       'messenger = ["a_638900000000000002"]\n'
                       '[channel]\nfb_page_id = "104857600000001"\n'
                       '[authorizations]\n"50021" = { id = 4711, name = "Engage Auth" }\n'
                       '"50200" = { id = 5150, name = "CCE Auth" }\n', encoding="utf-8")
    result = run("--profile", profile, flow, messenger, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    routed = build_flow(json.loads((tmp_path / "out" / "routed.json").read_text()))
    # CI12124933 is the Live Chat template's App ID: the tenant's Live Chat asset replaces it.
    assert {as_text(c.value) for c in routed.trigger.all_copies} == {"LC40211337"}
    fb = {v.name: v.value for v in build_flow(json.loads((tmp_path / "out" / "fb.json").read_text())).custom_variables}
    assert fb["FBpageid"] == 104857600000001 and fb["appid"] == "a_638900000000000002"


@needs_reference
def test_profile_asset_for_a_channel_that_cannot_be_told(tmp_path):
    flow = copy_reference(tmp_path, ROUTED)
    one = tmp_path / "one.toml"
    one.write_text('[assets]\nlivechat = ["LC40211337"]\n', encoding="utf-8")
    result = run("--profile", one, flow)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.count(b'"LC40211337"') == 3
    two = tmp_path / "two.toml"
    two.write_text('[assets]\nlivechat = ["LC40211337"]\nsms = ["447700900123"]\n', encoding="utf-8")
    result = run("--profile", two, flow)
    assert result.exit_code == 2
    assert "OR06143228" in result.stderr and "--asset-id" in result.stderr


@needs_reference
def test_profile_queue_flow_id_and_authorizations_by_flow_stem(tmp_path):
    flow = copy_reference(tmp_path, SMS)
    profile = tmp_path / "tenant.toml"
    profile.write_text('[queues]\n"wxcc-sms-inbound" = "0b8e4f6a-1111-4222-8333-444455556666"\n'
                       '[flow_ids]\n"wxcc-sms-inbound" = 41897\n'
                       '[authorizations]\n"50020" = { id = 4711, name = "Tenant WxCC Auth" }\n', encoding="utf-8")
    result = run("--profile", profile, flow, "--diff")
    assert result.exit_code == 0, result.stderr
    assert "authorization of 'Queue Task' (736)" in result.stdout
    assert "Resolve Conversation flowId (extraParamsData)" in result.stdout
    assert "Queue Task queueid (nodeInput)" in result.stdout


@needs_reference
def test_a_value_lint_rejects_is_refused(tmp_path):
    """verify re-lints: the tenant profile names another queue, so CF501 refuses --queue."""
    flow = copy_reference(tmp_path, SMS)
    profile = tmp_path / "tenant.toml"
    profile.write_text('[queues]\ndefault = "0b8e4f6a-1111-4222-8333-444455556666"\n', encoding="utf-8")
    result = run("--profile", profile, "--queue", "99999999-0000-4000-8000-000000000000", flow)
    assert result.exit_code == 2 and "CF501" in result.stderr and SMS in result.stderr


# -- bad input: exit 2, one line naming the file and the problem ----------------------------------

def _two_destinations():
    """The CCE webhook shape: one destination condition per channel, in all three copies."""
    document = webhook_flow()
    document["cells"][:2] = start(14, "channel", "webhook", 2549, "ROUTED",
                                  ["inboundWebhook.destination", "inboundWebhook.taskId", "inboundWebhook.body"],
                                  conditions=[("inboundWebhook.destination", "447418369300"),
                                              ("inboundWebhook.destination", "IM28095016")])
    return document


@pytest.mark.parametrize("encoded", [False, True], ids=["decoded", "encoded"])
def test_asset_id_old_new_changes_one_of_several_destinations(tmp_path, encoded):
    flow = write_flow(tmp_path, "two.json", _two_destinations(), encoded)
    result = run("--asset-id", "IM28095016=LC40211337", "--diff", flow)
    assert result.exit_code == 0, result.stderr
    assert "3 values changed" in result.stdout and '"IM28095016" -> "LC40211337"' in result.stdout
    assert '"447418369300" ->' not in result.stdout
    # The other sample stays (CF101 still reports it); the patch is not refused for that.
    result = run("--asset-id", "IM28095016=LC40211337", "--asset-id", "447418369300=447700900123", flow)
    assert result.exit_code == 0, result.stderr
    copies = build_flow(json.loads(result.stdout)).trigger.all_copies
    assert sorted(as_text(c.value) for c in copies) == ["447700900123"] * 3 + ["LC40211337"] * 3


BAD = {
    "missing file": (lambda d: d / "nope.json", [], "nope.json: no such file"),
    "invalid JSON": (lambda d: _text(d, "bad.json", '{"cells": [1,'), [], "bad.json: truncated JSON"),
    "encrypted export": (lambda d: _text(d, "enc.workflow", "957854bec02cddd422b17e261b19a1c6" * 4), [],
                         "enc.workflow: encrypted Cisco .workflow export"),
    "not JSON": (lambda d: _text(d, "flow.xml", '<mxGraphModel><root/></mxGraphModel>'), ["--set-var", "a=1"],
                 "flow.xml"),
    "unknown variable": (lambda d: write_flow(d, "fb.json", channel_flow()), ["--set-var", "FBpageId=1"],
                         "fb.json: no custom variable 'FBpageId' in this flow (did you mean 'FBpageid'?)"),
    "pointer that does not exist": (lambda d: write_flow(d, "fb.json", channel_flow()),
                                    ["--set", "/customVariables/99/value=1"],
                                    "fb.json: --set: no value at /customVariables/99/value"),
    "JSONPath that matches nothing": (lambda d: write_flow(d, "fb.json", channel_flow()),
                                      ["--set", "$.customVariables[?(@.name == 'nope')].value=1"],
                                      "matches nothing"),
    "wrong type (--set-var)": (lambda d: write_flow(d, "fb.json", channel_flow()),
                               ["--set-var", "retries=abc"], "fb.json: custom variable retries holds a number"),
    "wrong type (--set)": (lambda d: write_flow(d, "fb.json", channel_flow()),
                           ["--set", '/customVariables/0/value="x"'], "holds a number, not a string"),
    "ambiguous asset id": (lambda d: write_flow(d, "two.json", _two_destinations()), ["--asset-id", "LC1"],
                           "two.json: the start conditions filter on 2 destinations (447418369300, IM28095016): "
                           "say which with --asset-id OLD=NEW"),
    "live chat domain with https": (lambda d: write_flow(d, "fb.json", channel_flow()),
                                    ["--live-chat-domain", "https://support.example.com"],
                                    "liveChatDomain https://support.example.com has a protocol"),
    "WhatsApp number with +": (lambda d: write_flow(d, "fb.json", channel_flow()), ["--wa-number", "+14155550123"],
                               "WANumber +14155550123 is not a phone number with country code, digits only (no +)"),
    "FB page id not numeric": (lambda d: write_flow(d, "fb.json", channel_flow(), encoded=True),
                               ["--fb-page-id", "my-page"], "FBpageid my-page is not a numeric Facebook Page ID"),
    "email": (lambda d: write_flow(d, "fb.json", channel_flow()), ["--biz-email", "care.example.com"],
              "bizemailid 'care.example.com' is not an email address"),
    "template value": (lambda d: write_flow(d, "fb.json", channel_flow()), ["--app-id", "a_638838409917150000"],
                       "appid is still the template's value a_638838409917150000"),
    "authorization -1": (lambda d: write_flow(d, "fb.json", channel_flow()), ["--auth", "50210=-1"],
                         "authorization id '-1' must be a positive number"),
    "option that applies nowhere": (lambda d: write_flow(d, "fb.json", channel_flow()), ["--queue", "q-1"],
                                    "fb.json: no Queue Task node (--queue)"),
    "malformed --auth": (lambda d: write_flow(d, "fb.json", channel_flow()), ["--auth", "50210"],
                         "--auth '50210': expected INTEGRATION=AUTH_ID[:NAME]"),
    "malformed --set": (lambda d: write_flow(d, "fb.json", channel_flow()), ["--set", "customVariables=1"],
                        "expected POINTER=JSON"),
    "two bare asset ids": (lambda d: write_flow(d, "fb.json", channel_flow()), ["--asset-id", "A", "--asset-id", "B"],
                           "--asset-id given 2 times without OLD=NEW"),
}


def _text(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_one_line_and_exit_2(tmp_path, case):
    make, options, expected = BAD[case]
    flow = make(tmp_path)
    before = flow.read_bytes() if flow.exists() else None
    result = run(*options, flow)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("connectflow: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and result.stdout_bytes == b""
    assert before is None or flow.read_bytes() == before


# -- verify --------------------------------------------------------------------------------------

def test_verify_refuses_an_unplanned_change(tmp_path):
    source = load_source(write_flow(tmp_path, "fb.json", channel_flow()))
    planned = [Patch("/customVariables/0/value", 391273087404701, 104857600000001, "test")]
    good = source.text.replace("391273087404701", "104857600000001")
    assert [c.pointer for c in verify(source, good, planned)] == ["/customVariables/0/value"]
    span = SourceMap(good).span("/customVariables/5/name")
    sneaky = good[:span.start] + '"Script"' + good[span.end:]
    with pytest.raises(VerifyError, match="unplanned change at /customVariables/5/name"):
        verify(source, sneaky, planned)
    with pytest.raises(VerifyError, match="does not parse"):
        verify(source, good[:-3], planned)
    with pytest.raises(VerifyError, match="reads"):
        verify(source, source.text.replace("391273087404701", "104857600000002"), planned)


# -- docs ----------------------------------------------------------------------------------------

@needs_reference
def test_docs_demo_is_current(monkeypatch):
    """docs/patch.md quotes the real --diff output of the README demo."""
    docs = (Path(__file__).parents[1] / "docs" / "patch.md").read_text(encoding="utf-8")
    command = "$ connectflow patch --asset-id LC40211337 wxcc-task-routed-flow.json --diff\n"
    quoted = docs.split(command, 1)[1].split("```", 1)[0]
    monkeypatch.chdir(REFERENCE_DIR)
    result = CliRunner().invoke(cli, command.split()[2:])
    assert result.exit_code == 0 and result.stdout == quoted
