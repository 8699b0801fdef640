"""Reference, authorization, graph, node-configuration and limit rules (CF22x, CF3xx-CF6xx) on
the real reference flows, in both value encodings.

Cisco's templates import and work, so every finding below was reviewed by hand; the comment
beside each says why it is a real defect. Editor noise (stale dynamic_output_vars keys,
``varaible``, ``ouput_variables``, ``[redacted]``, ``$$hashKey``, the ``$(name)`` edgeConfig
and ``$(width-integration)`` dialog placeholders) must give nothing.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from conftest import REFERENCE_DIR, REFERENCE_FLOWS, needs_reference
from connectflow.lint import Selection, lint_source
from connectflow.lint.registry import builtin_registry
from connectflow.load import load_bytes, load_source
from connectflow.profile import parse_profile
from flowkit import dumps, encode

REGISTRY = builtin_registry()
MINE = ("CF22", "CF3", "CF4", "CF5", "CF6")
RULES = [r for r in REGISTRY if r.id.startswith(MINE)]
ROUTED = REFERENCE_DIR / "wxcc-task-routed-flow.json"
SCREEN_POP = "1326"
SCREEN_POP_CELL = "/cells/2/value/children"
AUTH_ID = f"{SCREEN_POP_CELL}/12/text"
QUERY_PARAMETERS = f"{SCREEN_POP_CELL}/33/text/queryParameters"
SCREEN_POP_PROFILE = {"authorizations": {"50023": {"id": 9001, "name": "WxCC Task Node Auth"}}}

EXPECTED = {
    "gallery-autoresponder.json": [],
    "gallery-chatbot.json": [
        # Branch 19 "None of the above" has no edge and no End: any reply other than A, B or C
        # stops the bot without an answer.
        ("CF401", "19"),
        # HTTP 33 has three onerror Ends: 74 and 87 were made for its copies 71 and 84, but an End
        # belongs to the node its parentNode names, so the copies' onerror outcomes are open ...
        ("CF405", "33"), ("CF401", "71"), ("CF401", "84"),
        # ... and the same for Send SMS 157, whose Ends 200-211 were meant for its copies 178, 185, 192.
        ("CF405", "157"), ("CF401", "178"), ("CF401", "185"), ("CF401", "192"),
    ],
    "gallery-sms-survey.json": [
        # Send SMS 122: Ends 158/159 and 166/167 name 122, so its copies 143 and 150 end on error unhandled.
        ("CF405", "122"), ("CF401", "143"), ("CF401", "150"),
    ],
    "gallery-webhook-sms.json": [
        # the SMS node's declared onerror goes nowhere: a failed alert ends the flow silently.
        ("CF401", "3"),
    ],
    "native-sendsms.json": [
        # same: the AI Agent fulfilment flow's SMS onerror has no connection and no End.
        ("CF401", "3"),
    ],
    "wxcc-sms-inbound.json": [
        # every prebuilt node is unauthorized after import (auth_id -1 in both copies)
        ("CF301", "736"), ("CF301", "775"), ("CF301", "1097"),
        # Queue Task 736 queues to 6fe228c8-b375-... "DigitalChannel_SocialQueue" of Cisco's org
        ("CF501", "736"),
        # Resolve Conversation 1097 carries flow id 170686 (the template's), not this flow's
        ("CF502", "1097"),
        # SMS 1020 has a second set of Ends (1462-1464) meant for its copy SMS 984, whose onerror is open
        ("CF405", "1020"), ("CF401", "984"),
    ],
    "wxcc-task-close-flow.json": [
        ("CF301", "720"),  # Screen Pop unauthorized after import
        # nodeInput.queryParameters passes $(CustomerId), request_body and extraParamsData $(customerId)
        ("CF503", "720"),
    ],
    "wxcc-task-modified-flow.json": [
        ("CF301", "1326"),  # Screen Pop unauthorized after import
        ("CF503", "1326"),  # $(CustomerId) vs $(customerId), as in the Close flow
    ],
    "wxcc-task-routed-flow.json": [
        ("CF301", "1326"),  # Screen Pop unauthorized after import
        # the dialog shows query parameter CustomerName=$(customerName), the node sends CustomerId
        ("CF503", "1326"),
    ],
    "wxcc-facebookinboundflow.json": [
        # Queue Task, Close Task and Resolve Conversation unauthorized after import
        ("CF301", "1701"), ("CF301", "1703"), ("CF301", "1897"),
        # Queue Task 1701 queues to Cisco's DigitalChannel_SocialQueue 6fe228c8-...
        ("CF501", "1701"),
        # Resolve Conversation 1897 carries the template's flow id 170256
        ("CF502", "1897"),
        # Messenger 1899 has an edge and an End (1720-1722) on each outcome: the Ends were made
        # for its copies 1651/1662, whose onerror is therefore open (error replies end unhandled)
        ("CF405", "1899"), ("CF401", "1651"), ("CF401", "1662"),
        # Ends 1728-1730 name node 1825, deleted from the template
        ("CF404", "cell 1728"), ("CF404", "cell 1729"), ("CF404", "cell 1730"),
    ],
    "wxcc-whatsapp-inbound.json": [
        ("CF301", "1598"), ("CF301", "1599"), ("CF301", "2016"),  # unauthorized after import
        ("CF501", "1598"),  # Cisco's DigitalChannel_SocialQueue
        ("CF502", "2016"),  # the template's flow id 170688
        # WhatsApp 1938 has two Ends per outcome; 2170-2172 were meant for its copy 1923,
        # whose onerror is open
        ("CF405", "1938"), ("CF401", "1923"),
    ],
    "wxcc-emailinboundflow.json": [
        ("CF301", "1851"), ("CF301", "1854"), ("CF301", "1894"),  # unauthorized after import
        ("CF501", "1851"),  # Cisco's DigitalChannel_EmailQueue e7e42d09-...
        ("CF502", "1894"),  # the template's flow id 170232
        # Email 1898 has an edge and an End (2003-2005) on each outcome, meant for its copies
        # 39 and 322, whose onerror is open
        ("CF405", "1898"), ("CF401", "39"), ("CF401", "322"),
        # Ends 2006-2008 name node 1878, deleted from the template
        ("CF404", "cell 2006"), ("CF404", "cell 2007"), ("CF404", "cell 2008"),
    ],
    "wxcc-livechatinbound-flow.json": [
        # Queue Task, Close Task, Append, Search and Resolve Conversation unauthorized after import
        ("CF301", "2259"), ("CF301", "2261"), ("CF301", "2424"), ("CF301", "2433"), ("CF301", "2588"),
        ("CF501", "2259"),  # Cisco's DigitalChannel_ChatQueue aaa1b71f-...
        ("CF502", "2588"),  # the template's flow id 170668
        # Search Conversation 2433's onauthorizationfail has no edge and no End: with an expired
        # authorization the chat ends without the error message every other node sends
        ("CF401", "2433"),
        # "Queued" 1727 and "Error Notif" 2227/2234 have no End on onerror; the Ends for them name
        # the deleted nodes 2291, 2577 and 2238 (orphans)
        ("CF401", "1727"), ("CF401", "2227"), ("CF401", "2234"),
        ("CF404", "cell 2403"), ("CF404", "cell 2404"), ("CF404", "cell 2405"),
        ("CF404", "cell 2606"), ("CF404", "cell 2607"), ("CF404", "cell 2608"),
        ("CF404", "cell 2624"), ("CF404", "cell 2625"),
    ],
}


def _encodings(path: Path):
    source = load_source(path)
    return [source, load_bytes(path.name, dumps(encode(source.data)).encode())]


def _where(source, finding) -> str:
    """The node a finding is on, or the cell (an End bound to no node)."""
    if finding.node_id:
        return finding.node_id
    return "cell " + str(source.data["cells"][int(finding.pointer.split("/")[2])]["id"])


def _lint(source, rules=RULES, profile=None):
    return lint_source(source, list(rules), Selection(), profile)


@needs_reference
def test_every_reference_flow_is_reviewed():
    assert sorted(EXPECTED) == sorted(p.name for p in REFERENCE_FLOWS)


@needs_reference
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
@pytest.mark.parametrize("encoding", [0, 1], ids=["decoded", "encoded"])
def test_reference_flow_findings(path, encoding):
    source = _encodings(path)[encoding]
    findings = _lint(source)
    assert sorted((f.rule, _where(source, f)) for f in findings) == sorted(EXPECTED[path.name]), \
        [f"{f.rule} {f.node_id} {f.pointer} {f.message}" for f in findings]
    assert all(f.line for f in findings)


@needs_reference
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_reference_flows_are_clean_of_reference_and_limit_rules_with_a_profile(path):
    """The rules that need no tenant data stay silent; a profile without queues and flow ids
    changes nothing (CF303 only judges nodes whose authorization is set)."""
    profile = parse_profile(SCREEN_POP_PROFILE, "tenant.toml")
    for source in _encodings(path):
        plain = sorted((f.rule, f.node_id, f.pointer) for f in _lint(source))
        assert sorted((f.rule, f.node_id, f.pointer) for f in _lint(source, profile=profile)) == plain
        assert not [f for f in _lint(source) if f.rule.startswith(("CF22", "CF6"))]


@needs_reference
@pytest.mark.parametrize("encoding", [0, 1], ids=["decoded", "encoded"])
def test_routed_screen_pop_is_unauthorized_and_drifted(encoding):
    findings = _lint(_encodings(ROUTED)[encoding], [REGISTRY.get("CF301"), REGISTRY.get("CF503")])
    got = {f.rule: f for f in findings}
    assert sorted(got) == ["CF301", "CF503"]
    assert (got["CF301"].node_id, got["CF301"].pointer) == (SCREEN_POP, AUTH_ID)
    assert "auth_id -1" in got["CF301"].message and "patch --auth" in got["CF301"].fix
    assert (got["CF503"].node_id, got["CF503"].pointer) == (SCREEN_POP, QUERY_PARAMETERS)
    assert "CustomerName" in got["CF503"].message and "CustomerId" in got["CF503"].message
    for finding in findings:
        assert finding.line and finding.column
    if encoding == 0:
        assert (got["CF301"].line, got["CF503"].line) == (929, 1427)


def _corrected_routed() -> dict:
    """The Routed template with the Screen Pop authorized (both copies) and its nodeInput
    query parameters made equal to what the node sends."""
    data = copy.deepcopy(load_source(ROUTED).data)
    screen_pop = data["cells"][2]["value"]["children"]
    params = {item["attributes"]["name"]: item for item in screen_pop if item["tag"] == "param"}
    params["auth_id"]["text"] = 9001
    params["resourceinfo"]["text"]["resource_list"][0]["auth_id"] = 9001
    sent = next(item["value"] for item in params["request_body"]["text"] if item["name"] == "Query Parameters")
    params["nodeInput"]["text"]["queryParameters"] = copy.deepcopy(sent)
    return data


@needs_reference
@pytest.mark.parametrize("encode_it", [False, True], ids=["decoded", "encoded"])
def test_routed_corrected_copy_with_the_tenant_profile_is_clean(encode_it):
    data = _corrected_routed()
    source = load_bytes(ROUTED.name, dumps(encode(data) if encode_it else data).encode())
    profile = parse_profile(SCREEN_POP_PROFILE, "tenant.toml")
    findings = _lint(source, profile=profile)
    assert findings == [], [f"{f.rule} {f.pointer} {f.message}" for f in findings]


@needs_reference
def test_routed_corrected_copy_with_another_tenant_authorization():
    data = _corrected_routed()
    source = load_bytes(ROUTED.name, dumps(data).encode())
    profile = parse_profile({"authorizations": {"Screen Pop": {"id": 4242, "name": "Pop Auth"}}}, "tenant.toml")
    findings = _lint(source, profile=profile)
    assert [(f.rule, f.node_id, f.pointer) for f in findings] == [("CF303", SCREEN_POP, AUTH_ID)]
    assert "4242" in findings[0].message


@needs_reference
def test_sms_inbound_with_the_tenant_queue_and_flow_id(tmp_path):
    """The profile's queue and flow id replace the template's; the same values in the profile
    as in the file are accepted."""
    path = REFERENCE_DIR / "wxcc-sms-inbound.json"
    text = path.read_text(encoding="utf-8")
    fixed = (text.replace("6fe228c8-b375-4489-97b7-c30bf3d1cae1", "4ea90de1-756e-458e-ae27-cafb3802a7eb")
             .replace("170686", "96872"))
    target = tmp_path / path.name
    target.write_text(fixed, encoding="utf-8")
    rules = [REGISTRY.get("CF501"), REGISTRY.get("CF502")]
    good = parse_profile({"queues": {"default": "4ea90de1-756e-458e-ae27-cafb3802a7eb"},
                          "flow_ids": {"wxcc-sms-inbound": 96872}}, "tenant.toml")
    assert _lint(load_source(target), rules, good) == []
    other = parse_profile({"queues": {"wxcc-sms-inbound": "9da38168-083d-4158-99a4-c252b0a63740"},
                           "flow_ids": {"default": 1}}, "tenant.toml")
    assert sorted((f.rule, f.node_id) for f in _lint(load_source(target), rules, other)) == [
        ("CF501", "736"), ("CF502", "1097")]
