"""patch --per-asset: one copy per tenant asset, named <flow>--<asset>.json, that lints clean
alone and as a set; the README's second demo on samples/cce with samples/tenant-multi.toml."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from connectflow.cli import cli
from connectflow.load import load_source
from connectflow.model import as_text, build_flow
from flowkit import dumps, encode

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "cce"
PROFILE = ROOT / "samples" / "tenant-multi.toml"

# tenant-multi.toml: Live Chat booking + help (WebCallback), SMS sales + support, one Email,
# Messenger and WhatsApp asset. Inbound flows: one per asset of their channel (Live Chat
# inbound for booking, WebCallback for help); CREATED/QUEUED/ROUTED/TRANSFERRED: one per SMS,
# Live Chat and Email asset; CLOSED for all but help, whose CLOSED is WebCallback CLOSED;
# Live Chat customer close has nothing asset-specific: one copy.
EXPECTED = {
    "sms-inbound": ["sales", "support"], "email-inbound": ["care"], "facebook-inbound": ["facebook"],
    "whatsapp-inbound": ["whatsapp"], "livechat-inbound": ["booking"], "livechat-webcallback": ["help"],
    "livechat-customer-close": [None], "webcallback-closed": ["help"],
    **{event: ["sales", "support", "booking", "help", "care"] for event in ("created", "queued", "routed", "transferred")},
    "closed": ["sales", "support", "booking", "care"],
}


def _names():
    return sorted(f"{flow}--{asset}.json" if asset else f"{flow}.json"
                  for flow, assets in EXPECTED.items() for asset in assets)


def _lint(*args):
    result = CliRunner().invoke(cli, ["lint", "--format", "json", *map(str, args)])
    return result.exit_code, json.loads(result.output)


@pytest.fixture(scope="module")
def per_asset(tmp_path_factory):
    out = tmp_path_factory.mktemp("per-asset")
    result = CliRunner().invoke(cli, ["patch", "--per-asset", "--profile", str(PROFILE), "-o", str(out), str(SAMPLES)])
    assert result.exit_code == 0, result.output
    return out


def test_one_copy_per_asset_of_the_flows_channel(per_asset):
    assert sorted(p.name for p in per_asset.glob("*.json")) == _names()
    per_channel = Counter(p.name.split("--")[1].removesuffix(".json") for p in per_asset.glob("*--*.json"))
    assert per_channel == {"sales": 6, "support": 6, "booking": 6, "help": 6, "care": 6, "facebook": 1, "whatsapp": 1}


def test_each_copy_carries_its_assets_values(per_asset):
    def flow(name):
        return build_flow(load_source(per_asset / name).data)

    def variable(name, var):
        return as_text(flow(name).variable(var).value)

    for event in ("created", "routed", "closed"):
        conditions = flow(f"{event}--booking.json").trigger
        for copy in (conditions.info_conditions, conditions.api_conditions, conditions.ui_conditions):
            assert [as_text(c.value) for c in copy] == ["LC73019288"]  # every stored copy: only its asset
    assert [as_text(c.value) for c in flow("webcallback-closed--help.json").trigger.effective_conditions] == ["LC73019301"]
    assert (variable("livechat-inbound--booking.json", "appid"), variable("livechat-inbound--booking.json", "liveChatDomain")) \
        == ("LC73019288", "book.example.org")
    assert variable("livechat-webcallback--help.json", "liveChatDomain") == "help.example.org"
    assert variable("facebook-inbound--facebook.json", "FBpageid") == "104857600213377"
    assert variable("whatsapp-inbound--whatsapp.json", "WANumber") == "14155550199"
    assert variable("email-inbound--care.json", "bizemailid") == "care@example.org"
    extras = flow("sms-inbound--support.json").trigger.raw["extras"]
    assert (extras["number"], extras["numberObject"]["e164reportnumber"]) == (14155550177, "+14155550177")


def _senders(path) -> dict[str, set]:
    """Node kind -> the numbers or sender ids it holds: each Send SMS node's ``senderid`` (in
    resourceinfo and viewmodeData), each Receive node's number."""
    from connectflow import names

    found: dict[str, set] = {}
    for node in build_flow(load_source(path).data).nodes.values():
        info = node.param_value("resourceinfo")
        held = [value for resource in (info.get("resource_list", []) if isinstance(info, dict) else [])
                if resource.get("resource_name") == "senderid" for value in resource.get("resource_values", [])]
        if node.tag == "umppublic":
            held += [item.get("value") for item in node.param_value("viewmodeData") or []
                     if isinstance(item, dict) and item.get("name") == "senderid"]
        if held:
            found.setdefault(names.kind_name(node), set()).update(held)
    return found


def test_an_sms_assets_sender_id_is_what_each_copy_sends_from(per_asset):
    """sales has sender_id EXTRAVEL, support none: a copy's Send SMS nodes send from its SMS
    asset's sender id (else its number); Receive nodes and the Start keep the number, the only
    thing customers can write to. Copies for other channels' assets carry the first SMS asset's."""
    assert _senders(SAMPLES / "sms-inbound.json") == {"Send SMS": {447418369300}, "Receive": {447418369300}}
    assert _senders(per_asset / "sms-inbound--sales.json") == {"Send SMS": {"EXTRAVEL"}, "Receive": {14155550142}}
    assert _senders(per_asset / "sms-inbound--support.json") == {"Send SMS": {14155550177}, "Receive": {14155550177}}
    extras = build_flow(load_source(per_asset / "sms-inbound--sales.json").data).trigger.raw["extras"]
    assert (extras["number"], extras["numberObject"]["e164reportnumber"]) == (14155550142, "+14155550142")
    for event in ("created", "queued", "routed", "transferred", "closed"):
        assert _senders(per_asset / f"{event}--sales.json") == {"Send SMS": {"EXTRAVEL"}}
        assert _senders(per_asset / f"{event}--support.json") == {"Send SMS": {14155550177}}
        assert _senders(per_asset / f"{event}--booking.json") == {"Send SMS": {"EXTRAVEL"}}
    copies = [per_asset / name for name in ("sms-inbound--sales.json", "sms-inbound--support.json",
                                            "routed--sales.json", "routed--support.json", "closed--booking.json")]
    for path in copies:  # each copy alone: the sender id is no finding (CF230 and the rest)
        code, report = _lint("--no-bundle", "--profile", PROFILE, path)
        assert (code, report["findings"]) == (0, []), path.name


def test_with_sms_sender_given_every_copy_sends_from_it(tmp_path):
    result = CliRunner().invoke(cli, ["patch", "--per-asset", "--profile", str(PROFILE), "--sms-sender", "14155550100",
                                      "-o", str(tmp_path), str(SAMPLES / "sms-inbound.json")])
    assert result.exit_code == 0, result.output
    assert _senders(tmp_path / "sms-inbound--sales.json")["Send SMS"] == {14155550100}
    assert _senders(tmp_path / "sms-inbound--support.json")["Send SMS"] == {14155550100}


def test_each_copy_lints_clean_alone_and_the_set_as_a_bundle(per_asset):
    alone = _lint("--no-bundle", "--profile", PROFILE, per_asset)  # each file judged on its own
    assert (alone[0], alone[1]["findings"]) == (0, [])
    code, report = _lint("--bundle", "--profile", PROFILE, per_asset)
    assert (code, report["findings"], report["summary"]["files"]) == (0, [], len(_names()))


def test_the_as_imported_set_shows_each_cross_flow_finding():
    code, report = _lint("--profile", PROFILE, "--select", "CF7", SAMPLES)
    assert code == 1
    assert {f["rule"] for f in report["findings"]} == {"CF701", "CF702", "CF703"}
    assert all(f["related"] for f in report["findings"] if f["rule"] in ("CF701", "CF703"))
    # The flows as imported carry Cisco's App IDs and numbers: no asset has its inbound flow
    # (Live Chat's thread-closed flow names no asset, but it is no message flow).
    no_inbound = sorted(f["message"].split(" has no inbound flow")[0] for f in report["findings"]
                        if " has no inbound flow" in f["message"])
    assert no_inbound == ["Email asset care (a_638911204357710042)", "Live Chat asset booking (LC73019288)",
                          "Live Chat asset help (LC73019301)", "Messenger asset facebook (a_638911204357710057)",
                          "SMS asset sales (14155550142)", "SMS asset support (14155550177)",
                          "WhatsApp asset whatsapp (a_638911204357710063)"]


def test_dropping_a_copy_makes_the_coverage_rule_name_the_missing_asset(per_asset, tmp_path):
    for path in per_asset.glob("*.json"):
        if path.name != "routed--support.json":
            (tmp_path / path.name).write_bytes(path.read_bytes())
    code, report = _lint("--profile", PROFILE, tmp_path)
    assert code == 1
    [finding] = report["findings"]
    assert (finding["rule"], Path(finding["file"]).name) == ("CF702", "tenant-multi.toml")
    assert finding["message"] == "SMS asset support (14155550177) is not covered by any ROUTED flow"
    assert finding["line"] and sorted(Path(r["file"]).name for r in finding["related"]) == [
        "routed--booking.json", "routed--care.json", "routed--help.json", "routed--sales.json"]


def test_the_samples_readme_demo_runs_as_written(tmp_path, monkeypatch):
    """samples/README.md "Demo: one flow per asset": each `$ connectflow ...` command, run as
    written from a folder holding samples/, prints the lines the README quotes."""
    import re
    import shlex

    text = (ROOT / "samples" / "README.md").read_text(encoding="utf-8")
    section = text.split("## Demo: one flow per asset", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```console\n(.*?)```", section, re.S)
    assert len(blocks) == 3, "the demo's three steps"
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    outputs = []
    for block in blocks:
        command, *quoted = block.strip("\n").splitlines()
        assert command.startswith("$ connectflow ")
        result = CliRunner().invoke(cli, shlex.split(command)[2:])
        lines = result.output.splitlines()
        for line in quoted:
            assert line == "..." or line in lines, (command, line, lines[:5])
        outputs.append((result.exit_code, lines))
    assert [code for code, _ in outputs] == [1, 0, 0]
    assert len(list((tmp_path / "per-asset").glob("*.json"))) == 33
    (tmp_path / "per-asset" / "routed--support.json").unlink()  # the README's last paragraph
    code, report = _lint("--profile", "samples/tenant-multi.toml", "per-asset")
    assert code == 1 and [f["message"] for f in report["findings"]] == [
        "SMS asset support (14155550177) is not covered by any ROUTED flow"]
    assert "SMS asset support\n(14155550177) is not covered by any ROUTED flow" in section


def test_string_encoded_flows_get_the_same_copies(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for name in ("created.json", "livechat-inbound.json"):
        (source / name).write_text(dumps(encode(json.loads((SAMPLES / name).read_text()))))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["patch", "--per-asset", "--profile", str(PROFILE), "-o", str(out), str(source)])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("created--*.json"))) == 5
    assert _lint("--profile", PROFILE, "--select", "CF1,CF2,CF701", out)[1]["findings"] == []
    created = build_flow(load_source(out / "created--care.json").data).trigger
    assert [as_text(c.value) for c in created.effective_conditions] == ["a_638911204357710042"]


def _per_asset(*args):
    flows = [str(SAMPLES / "routed.json"), str(SAMPLES / "livechat-customer-close.json")]
    return CliRunner().invoke(cli, ["patch", "--per-asset", "--profile", str(PROFILE), *map(str, args), *flows])


ROUTED_COPIES = ["routed--booking.json", "routed--care.json", "routed--help.json", "routed--sales.json",
                 "routed--support.json"]


def test_check_exits_1_until_the_folder_holds_every_copy_as_it_would_be_written(tmp_path):
    out = tmp_path / "patched"
    result = _per_asset("--check", "-o", out)
    assert result.exit_code == 1 and not out.exists()  # nothing written
    missing = sorted(line.split()[2] for line in result.output.splitlines() if line.startswith("would write"))
    assert missing == sorted(str(out / n) for n in [*ROUTED_COPIES, "livechat-customer-close.json"])
    assert _per_asset("-o", out).exit_code == 0
    result = _per_asset("--check", "-o", out)
    assert result.exit_code == 0 and result.output.count(": up to date") == 6
    copy = out / "routed--care.json"
    copy.write_text(copy.read_text().replace("a_638911204357710042", "a_638911204357710099"))
    before = copy.read_bytes()
    result = _per_asset("--check", "-o", out)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("would write")] == [
        f"would write {copy} for email asset care (differs; 21 values changed from {SAMPLES / 'routed.json'})"]
    assert copy.read_bytes() == before  # --check repairs nothing


def test_diff_shows_each_copys_changes_from_its_flow_and_writes_nothing(tmp_path):
    out = tmp_path / "patched"
    result = _per_asset("--diff", "-o", out)
    assert result.exit_code == 0 and not out.exists()
    targets = [line.removeprefix("+++ ") for line in result.stdout.splitlines() if line.startswith("+++ ")]
    assert sorted(targets) == sorted(str(out / n) for n in [*ROUTED_COPIES, "livechat-customer-close.json"])
    sources = [line.removeprefix("--- ") for line in result.stdout.splitlines() if line.startswith("--- ")]
    assert sources.count(str(SAMPLES / "routed.json")) == 5
    care = result.stdout.split(f"+++ {out / 'routed--care.json'}")[1].split("+++ ")[0]
    assert '+                "value": "a_638911204357710042",' in care  # its own asset's condition


@pytest.mark.parametrize(("args", "problem"), [
    (["-o", "out"], "--per-asset needs --profile"),
    (["--profile", str(PROFILE)], "give the folder with -o DIR"),
    (["--profile", str(PROFILE), "--in-place"], "leave out --in-place"),
    (["--profile", str(PROFILE), "--check"], "give the folder with -o DIR"),
    (["--profile", str(PROFILE), "-o", "out", "--asset-id", "LC1"], "leave out --asset-id"),
])
def test_wrong_use_is_one_line_and_writes_nothing(args, problem, tmp_path):
    result = CliRunner().invoke(cli, ["patch", "--per-asset", *args, str(SAMPLES / "created.json")])
    assert result.exit_code == 2 and problem in result.output
    assert not (Path.cwd() / "out").exists()


def test_without_per_asset_a_webhook_flow_gets_one_ored_condition_per_asset(tmp_path):
    names = ("created.json", "closed.json", "webcallback-closed.json")
    result = CliRunner().invoke(cli, ["patch", "--profile", str(PROFILE), "-o", str(tmp_path),
                                      *(str(SAMPLES / n) for n in names)])
    assert result.exit_code == 0, result.output

    def destinations(name):
        trigger = build_flow(load_source(tmp_path / name).data).trigger
        copies = [[as_text(c.value) for c in store]
                  for store in (trigger.info_conditions, trigger.api_conditions, trigger.ui_conditions)]
        assert copies[0] == copies[1] == copies[2], "the three stored copies agree"
        joins = [c.raw.get("conjunction") for c in trigger.info_conditions]
        assert joins == ["OR"] * (len(joins) - 1) + [""] if len(joins) > 1 else joins == [None]
        return copies[0]

    assert destinations("created.json") == ["14155550142", "14155550177", "LC73019288", "LC73019301",
                                            "a_638911204357710042"]
    # help's CLOSED event belongs to WebCallback CLOSED: the ordinary CLOSED leaves it out.
    assert destinations("closed.json") == ["14155550142", "14155550177", "LC73019288", "a_638911204357710042"]
    assert destinations("webcallback-closed.json") == ["LC73019301"]
    assert _lint("--profile", PROFILE, "--select", "CF1,CF701,CF703", tmp_path)[1]["findings"] == []
