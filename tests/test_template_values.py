"""The template-value catalogue, end to end: CF230 on the real reference flows (every finding
reviewed by hand, with the reason it is a real leftover), no duplicate of a more specific rule,
nothing on the editor's noise, and the samples holding no catalogue value after
``patch --profile samples/tenant.toml``."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REFERENCE_DIR, needs_reference
from connectflow.catalogue import template_values
from connectflow.cli import cli
from connectflow.copies import copies_at
from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_bytes, load_source
from connectflow.model import build_flow
from connectflow.patch.document import expanded
from connectflow.template_values import match, owned_in_nodes
from flowkit import dumps, encode

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "cce"
PROFILE = ROOT / "samples" / "tenant.toml"
REGISTRY = builtin_registry()
CF230 = [REGISTRY.get("CF230")]
AUTH = "Wxcc Node Authorization"
ENGAGE_AUTH = "Wxcc Engage Node Authorization"
SMS = "447418369300"

# (node id, catalogue value) -> findings. Every one is a value of Cisco's authoring tenant.
EXPECTED = {
    # Start extras.number, numberObject.reportnumber/resource_id: the gallery template's SMS number.
    "gallery-autoresponder.json": {("2", "441348800017"): 3},
    # Receive 11 listens on the gallery number (resource list and service_code).
    "gallery-chatbot.json": {("11", "441348800017"): 2},
    "gallery-sms-survey.json": {("11", "441348800017"): 2},
    # SMS 3 sends from the gallery sender id CONNCT (resource list and its dialog value).
    "gallery-webhook-sms.json": {("3", "CONNCT"): 2},
    # SMS 3 sends from the sample's number.
    "native-sendsms.json": {("3", "12135793390"): 2},
    # Three prebuilt nodes show the authoring tenant's authorization name. (The Start's leftover
    # email.from jlrpartsdepartment@gmail.com condition is CF104's: conditions are off.)
    "wxcc-emailinboundflow.json": {("1851", AUTH): 1, ("1854", AUTH): 1, ("1894", AUTH): 1},
    "wxcc-facebookinboundflow.json": {("1701", AUTH): 1, ("1703", AUTH): 1, ("1897", AUTH): 1},
    "wxcc-livechatinbound-flow.json": {("2259", AUTH): 1, ("2261", AUTH): 1, ("2424", ENGAGE_AUTH): 1,
                                       ("2433", ENGAGE_AUTH): 1, ("2588", AUTH): 1},
    # The SMS number in the Start extras (4 places) and in the four send nodes' sender (2 each);
    # the authorization names of Queue Task, Close Task and Resolve Conversation.
    "wxcc-sms-inbound.json": {("2", SMS): 4, ("984", SMS): 2, ("1020", SMS): 2, ("1153", SMS): 2,
                              ("1186", SMS): 2, ("736", AUTH): 1, ("775", AUTH): 1, ("1097", AUTH): 1},
    # Screen Pop: the URL www.google.com (one finding for its 5 copies) and the authorization name.
    "wxcc-task-close-flow.json": {("720", "WxCC Task Node Auth"): 1, ("720", "www.google.com"): 1},
    "wxcc-task-modified-flow.json": {("1326", "WxCC Task Node Auth"): 1, ("1326", "www.google.com"): 1},
    "wxcc-task-routed-flow.json": {("1326", "WxCC Task Node Auth"): 1, ("1326", "www.google.com"): 1},
    "wxcc-whatsapp-inbound.json": {("1598", AUTH): 1, ("1599", AUTH): 1, ("2016", AUTH): 1},
}
VALUES = sorted((t.value for t in template_values()), key=len, reverse=True)


def _value_of(message: str) -> str:
    return next(v for v in VALUES if message.startswith(v))


def _reference(name: str, encoding: str):
    document = json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))
    if encoding == "encoded":
        document = encode(document)
    return load_bytes(name, dumps(document).encode())


@needs_reference
@pytest.mark.parametrize("encoding", ["decoded", "encoded"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_reference_flow_template_values_are_pinned(name, encoding):
    findings = lint_source(_reference(name, encoding), CF230, Selection())
    got = collections.Counter((f.node_id, _value_of(f.message)) for f in findings)
    assert dict(got) == EXPECTED[name], "\n".join(f"{f.node_id} {f.pointer} {f.message}" for f in findings)
    assert not any(key in f.pointer for f in findings for key in ("dynamic_output_vars", "copy_used_vars"))


@needs_reference
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_value_is_reported_twice(name):
    """A more specific rule (CF101, CF21x, CF501, CF502, ...) keeps its copies."""
    findings = lint_source(load_source(REFERENCE_DIR / name), list(REGISTRY), Selection())
    mine = {f.pointer for f in findings if f.rule == "CF230"}
    others = {f.pointer for f in findings if f.rule != "CF230"}
    assert not mine & others


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_no_value_is_reported_twice_on_the_samples(sample):
    findings = lint_source(load_source(SAMPLES / sample), list(REGISTRY), Selection())
    mine = {f.pointer for f in findings if f.rule == "CF230"}
    others = {f.pointer for f in findings if f.rule != "CF230"}
    assert mine and not mine & others


def _catalogue_hits(text: str) -> list[str]:
    """Every catalogue value in a file's raw text, in both encodings (plain JSON, or inside a
    string where quotes are escaped), as a whole token."""
    hits = []
    for entry in template_values():
        value = re.escape(entry.value)
        if entry.match == "token":
            pattern = rf"(?<![A-Za-z0-9_]){value}(?![A-Za-z0-9_])"
        elif entry.value.isdigit():  # a whole JSON scalar: "value", \"value\" or a bare number
            pattern = rf'(?:\\?"{value}\\?"|(?<![\w."-]){value}(?![\w."-]))'
        else:
            pattern = rf'\\?"{value}\\?"'
        hits += [entry.value] * len(re.findall(pattern, text))
    return hits


def _reported(flow, findings, pointer: str, kind: str) -> bool:
    pointers = {f.pointer for f in findings}
    group = {c.pointer for c in copies_at(flow, pointer)} | {pointer}
    if group & pointers:
        return True
    node = next((n for n in flow.nodes.values() if pointer.startswith(n.pointer + "/")), None)
    return node is not None and (node.id, kind) in owned_in_nodes(flow) and any(f.node_id == node.id for f in findings)


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_every_catalogue_value_in_a_sample_is_reported_before_patch(sample):
    source = load_source(SAMPLES / sample)
    flow = build_flow(source.data)
    findings = lint_source(source, list(REGISTRY), Selection())
    document = expanded(source.data)
    missed = []

    def walk(value, pointer):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{pointer}/{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{pointer}/{i}")
        elif (entry := match(value)) is not None and not _reported(flow, findings, pointer, entry.kind):
            missed.append((pointer, value))

    walk(document, "")
    assert missed == []


def test_samples_hold_no_catalogue_value_after_patch(tmp_path):
    before = sum(len(_catalogue_hits(p.read_text(encoding="utf-8"))) for p in SAMPLES.glob("*.json"))
    assert before > 100  # the grep finds them as imported
    out = tmp_path / "patched"
    result = CliRunner().invoke(cli, ["patch", "--profile", str(PROFILE), "-o", str(out), str(SAMPLES)])
    assert result.exit_code == 0, result.output
    for path in sorted(out.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert _catalogue_hits(text) == [], path.name
        encoded = json.dumps(encode(json.loads(text)))
        assert _catalogue_hits(encoded) == [], f"{path.name} (string encoding)"


def test_patch_writes_the_sms_sender_everywhere_the_template_number_was(tmp_path):
    target = tmp_path / "sms.json"
    result = CliRunner().invoke(cli, ["patch", "--sms-sender", "14155550142", "-o", str(target),
                                      str(SAMPLES / "sms-inbound.json")])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert SMS not in text.replace('"value": 447418369300', "")  # only the start condition stays (--asset-id)
    assert '"e164reportnumber": "+14155550142"' in text and '"number": 14155550142' in text
    findings = lint_source(load_source(target), CF230, Selection())
    assert [f.message for f in findings if SMS in f.message] == []
    again = CliRunner().invoke(cli, ["patch", "--sms-sender", "14155550142", "--check", str(target)])
    assert again.exit_code == 0, again.output


def test_a_template_value_is_refused_as_the_sender():
    result = CliRunner().invoke(cli, ["patch", "--sms-sender", "441348800017", str(SAMPLES / "sms-inbound.json")])
    assert result.exit_code == 2 and "template sample" in result.output
