"""The samples' Create Conversation nodes follow Cisco's node reference per channel (seeds/001):
CF505 examines each of them and finds nothing; a literal page id in one is reported."""

from __future__ import annotations

import json
from pathlib import Path

from connectflow.copies import method, setting_copies
from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_bytes, load_source
from connectflow.model import as_text, build_flow

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "cce"
CF505 = [builtin_registry().get("CF505")]
# seeds/001, per channel: the node's field key -> what the reference puts there. SMS: the
# reference's two tables give senderNumber or msisdn for the number and name or msisdn for the
# name; the SMS Start outputs sms.senderNumber (the msisdn) and no name.
SEED = {
    "facebook": {"bizaddress": "$(FBpageid)", "customeraddress": "$(n2.messenger.psId)",
                 "customername": "$(n2.messenger.name)"},
    "whatsapp": {"bizaddress": "$(WANumber)", "customeraddress": "$(n2.whatsapp.waId)",
                 "customername": "$(n2.whatsapp.username)"},
    "email": {"bizemailid": "$(bizemailid)", "fromemailid": "$(n2.email.emailId)", "fromaddress": "$(n2.email.emailId)",
              "toRecipients": "$(n2.email.toAddresses)", "ccRecipients": "$(n2.email.ccRecipients)",
              "subject": "$(n2.email.subject)"},
    "livechat": {"customername": "Customer", "threadid": "$(n2.inappmessaging.threadId)",
                 "userid": "$(n2.inappmessaging.userId)", "appid": "$(n2.inappmessaging.appId)",
                 "domain": "$(liveChatDomain)"},
    "sms": {"bizaddress": "$(n2.sms.serviceNumber)", "customeraddress": "$(n2.sms.senderNumber)",
            "customername": "$(n2.sms.senderNumber)"},
}


def _channels() -> list[str]:
    found = []
    for path in sorted(SAMPLES.glob("*.json")):
        for node in build_flow(load_source(path).data).nodes_of("prebuiltnode"):
            if method(node) == "Create Conversation":
                found.append(as_text(setting_copies(node, "channel")[0].value))
    return sorted(found)


def test_samples_follow_the_reference_per_channel():
    assert _channels() == ["email", "facebook", "livechat", "livechat", "sms", "whatsapp"]
    for path in sorted(SAMPLES.glob("*.json")):
        assert lint_source(load_source(path), CF505, Selection()) == [], path.name


def test_each_samples_fields_are_the_seeds_for_its_channel():
    checked = 0
    for path in sorted(SAMPLES.glob("*.json")):
        for node in build_flow(load_source(path).data).nodes_of("prebuiltnode"):
            if method(node) != "Create Conversation":
                continue
            channel = as_text(setting_copies(node, "channel")[0].value)
            for key, wanted in SEED[channel].items():
                stored = {as_text(c.value) for c in setting_copies(node, key)}
                assert stored == {wanted}, f"{path.name} {channel} {key}: {stored}"
                checked += 1
    assert checked == 3 + 3 + 6 + 5 * 2 + 3


def test_a_literal_page_id_in_the_facebook_sample_is_reported():
    path = SAMPLES / "facebook-inbound.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    node = next(n for n in build_flow(document).nodes_of("prebuiltnode") if method(n) == "Create Conversation")
    node_input = next(c for c in node.children if c.name == "nodeInput")
    document["cells"][int(node.pointer.split("/")[2])]["value"]["children"][node.children.index(node_input)][
        "text"]["bizaddress"] = "391273087404701"
    findings = lint_source(load_bytes(path.name, json.dumps(document).encode()), CF505, Selection())
    assert [f.message for f in findings] == ["FACEBOOK PAGE ID (nodeInput.bizaddress) is a literal value "
                                             "391273087404701, not $(FBpageid)"]
