"""The CCE sample flows in samples/cce: they load, say what Cisco's bundle says, and
keep the structure of the real captures in ../shared/reference-flows."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from connectflow.cli import cli
from connectflow.graph import FlowGraph
from connectflow.load import load_source
from connectflow.model import Flow, as_text, build_flow
from connectflow.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CCE = SAMPLES / "cce"
REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference-flows"
needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir(), reason=f"reference captures not found at {REFERENCE} (../shared is not mounted)")

DESTINATION = "inboundWebhook.destination"
SAMPLE_SMS, SAMPLE_CHAT, SAMPLE_EMAIL = "447418369300", "IM28095016", "a_638296118145560000"
ALL_DESTINATIONS = [(DESTINATION, "equals", SAMPLE_SMS), (DESTINATION, "equals", SAMPLE_CHAT),
                    (DESTINATION, "equals", SAMPLE_EMAIL)]
TYPING = [("inappmessaging.message", "notequals", "typing_indicator")]
ENGAGE = {"Search Conversation", "Create Conversation", "Append Conversation", "Update Conversation"}

# Custom variables Cisco's flow-configuration page lists per flow (shared/seeds/000_...).
SMS_VARS = ["errorTechnicalIssue", "errorSendingMessage", "errorServiceNotAvailable", "automatedResponse",
            "actual_message_content", "TaskID", "customer_response", "ScriptSelector", "ClosedMessage",
            "isPCICompliance", "isPCIValidationDone", "senderNumber", "status", "userId"]
LIVECHAT_VARS = ["appid", "message", "inappPayloadObject", "nonPCIComplianceReasonObject", "messagetext", "domain",
                 "conversationId", "errorTechnicalIssue", "errorSendingMessage", "liveChatDomain",
                 "err_msg_toomanyrequests", "parseDataAttachment", "isPCICompliance", "isPCIValidationDone"]
SOCIAL_VARS = ["messagetext", "messengerPayloadObject", "conversationId", "automatedresponse", "errorTechnicalIssue",
               "customerresponse", "ClosedMessage", "postbackresponse", "attachmentURL", "location", "customerName",
               "errorSendingMessage", "check_message_content", "actual_message_content", "locationURL", "latitude",
               "longitude", "contentType", "LocationLabel", "transId", "isPCIValidationDone",
               "droppedAttachmentCount", "isPCICompliance", "nonPCIComplianceReasonObject",
               "CustomerEndedAgentMessage", "ScriptSelector", "UtcConvertedTimeStamp", "AssignedAgentID",
               "ConversationStatus", "CCETaskID"]

# stem: (channel, event name, event id, effective start conditions, {label: kind}, custom variables)
EXPECTED = {
    "sms-inbound": (
        "1", "MO", "33", [],
        {"Search Conversation": "prebuiltnode", "Create Conversation": "prebuiltnode",
         "Append Conversation": "prebuiltnode", "Update Conversation": "prebuiltnode",
         "Close Conversation": "prebuiltnode", "CCE Create Task": "prebuiltnode", "CCE End Task": "prebuiltnode",
         "End Conversation?": "branch", "Service Choice": "receive", "Evaluate": "evaluate",
         "Welcome": "umppublic"},
        SMS_VARS),
    "email-inbound": (
        "19", "MO", "95", [],
        {**dict.fromkeys(ENGAGE, "prebuiltnode"), "CCE Create Task": "prebuiltnode", "PCI Check": "branch",
         "Parse Variables": "evaluate", "Technical Issue": "umppublic"},
        # No list in the seed: the variables the Create/Search Conversation docs use for Email.
        ["bizemailid", "messageStrippedText", "messageHTML", "messageStrippedHTML", "parsedattachments",
         "modifiedInReplyTo"]),
    "livechat-inbound": (
        "15", "MO", "9", TYPING,
        {**dict.fromkeys(ENGAGE, "prebuiltnode"), "CCE Create Task": "prebuiltnode",
         "Pre-Chat Form Response": "receive", "PCI Check": "branch", "Pre-Chat Form": "umppublic"},
        LIVECHAT_VARS),
    "livechat-customer-close": (
        "15", "OnThreadClosed", "116",
        [("inappmessaging.reasonForThreadClosure", "containsignorecase", "Customer ended the conversation")],
        {"Search Conversation": "prebuiltnode", "CCE End Task": "prebuiltnode", "Append Conversation": "prebuiltnode",
         "Close Conversation": "prebuiltnode"},
        ["status", "userId"]),
    "livechat-webcallback": (
        "15", "MO", "9", TYPING,
        {**dict.fromkeys(ENGAGE, "prebuiltnode"), "CCE Create Task": "prebuiltnode", "CCE End Task": "prebuiltnode",
         "Web Callback": "prebuiltnode", "Wait In Queue": "receive", "Callback Reply?": "branch",
         "Offer Callback": "umppublic"},
        LIVECHAT_VARS + ["currentTaskState", "CallbackRequested", "CustomerPhoneNumber", "CustomerName",
                         "CustomerID", "ScriptSelector", "ChatThreadID", "ChatUserID", "errorCallbackFailed",
                         "errorEndTaskFailed"]),
    "webcallback-closed": (
        "14", "CLOSED", "3104", [(DESTINATION, "equals", SAMPLE_CHAT)],
        {"Close Conversation": "prebuiltnode", "Callback State": "branch", "Extract Task Context": "evaluate",
         "Web Callback Message": "umppublic"},
        ["TaskContextVariables", "ClosedMessage", "mediaResourceID", "LiveChatThreadID", "LiveChatAppID",
         "LiveChatUserID", "WebCallbackMessage", "IsWebCallbackRequested", "WebCallbackAgentFound"]),
    "facebook-inbound": (
        "5", "MO", "20", [],
        {**dict.fromkeys(ENGAGE, "prebuiltnode"), "CCE Create Task": "prebuiltnode", "Service Choice": "receive",
         "Welcome Quick Reply": "umppublic"},
        ["FBpageid"] + SOCIAL_VARS),
    "whatsapp-inbound": (
        "8", "MO", "103", [],
        {**dict.fromkeys(ENGAGE, "prebuiltnode"), "CCE Create Task": "prebuiltnode", "Service Choice": "receive",
         "Welcome Buttons": "umppublic"},
        ["WANumber"] + SOCIAL_VARS + ["customerResponseTimestamp", "postbackResponseTimestamp", "messageTimestamp"]),
    "created": (
        "14", "CREATED", "3101", ALL_DESTINATIONS,
        {"Extract Task Context": "evaluate", "Media Channel": "branch", "SMS Notify": "umppublic",
         "Live Chat Notify": "umppublic", "Email Notify": "umppublic"},
        ["TaskContextVariables", "CreatedMessage", "chatThreadID", "mediaResourceID", "CreatedTimeStamp",
         "EmailSubject", "EmailMessageID", "EmailCCRecipients", "EmailBCCRecipients", "SenderName",
         "SystemGenerated"]),
    "queued": (
        "14", "QUEUED", "3102", ALL_DESTINATIONS,
        {"Extract Task Context": "evaluate", "EWT Received?": "branch", "Media Channel": "branch",
         "SMS Notify": "umppublic", "Live Chat Notify": "umppublic"},
        ["TaskContextVariables", "QueuedMessage", "EstimatedWaitTime", "chatThreadID", "mediaResourceID",
         "QueuedTimeStamp"]),
    "routed": (
        "14", "ROUTED", "3103", ALL_DESTINATIONS,
        {"Extract Conversation ID": "evaluate", "Add Participant": "prebuiltnode", "Media Channel": "branch",
         "SMS Notify": "umppublic", "Live Chat Notify": "umppublic"},
        ["TaskContextVariables", "RoutedMessage", "mediaResourceID", "chatThreadID", "RoutedTimeStamp"]),
    "closed": (
        "14", "CLOSED", "3104", ALL_DESTINATIONS,
        {"Close Conversation": "prebuiltnode", "Media Channel": "branch", "SMS Notify": "umppublic",
         "Live Chat Notify": "umppublic"},
        ["TaskContextVariables", "ClosedMessage", "mediaResourceID", "chatThreadID", "ClosedTimeStamp"]),
    "transferred": (
        "14", "TRANSFERRED", "3105", ALL_DESTINATIONS,
        {"Extract Conversation ID": "evaluate", "Remove Participant": "prebuiltnode",
         "CCE Create Task": "prebuiltnode", "CCE End Task": "prebuiltnode", "Media Channel": "branch",
         "Failure Channel": "branch", "SMS Transfer Failed": "umppublic"},
        ["TaskContextVariables", "TransferredMessage", "mediaResourceID", "FailedTransferMessage",
         "errorTechnicalIssue", "chatThreadID", "TransferredTimeStamp", "CustomerName", "EmailMessageId",
         "EmailSubject", "SystemGenerated"]),
}
STEMS = sorted(EXPECTED)
WEBHOOK_STEMS = [s for s in STEMS if EXPECTED[s][0] == "14"]

# ECC / extension variables the CCE Create Task node populates, per channel (seed table).
TASK_VARIABLES = {
    "sms-inbound": ({"user_DR_MediaResourceID", "user_DR_CustomerName"}, set()),
    "email-inbound": ({"user_DR_MediaResourceID", "user_DR_CustomerName"},
                      {"EmailMessageID", "EmailSubject", "EmailCCRecipients", "EmailBCCRecipients"}),
    "livechat-inbound": ({"user_DR_MediaResourceID", "user_DR_CustomerName"}, {"ChatThreadID"}),
    # facebookID: the extension variable of the Create Task doc's Messenger example.
    "facebook-inbound": ({"user_DR_MediaResourceID", "user_DR_CustomerName"}, {"facebookID"}),
    "whatsapp-inbound": ({"user_DR_MediaResourceID", "user_DR_CustomerName"}, set()),
    # Re-injected with the context of the transferred task (Live Chat thread, email message).
    "transferred": ({"user_DR_MediaResourceID", "user_DR_CustomerName"},
                    {"ChatThreadID", "EmailMessageID", "EmailSubject"}),
}
TEMPLATE_VALUES = {
    "facebook-inbound": {"FBpageid": "391273087404701", "appid": "a_638838409917150000"},
    "whatsapp-inbound": {"WANumber": "916303330251", "appid": "a_173200067561504200"},
    "livechat-inbound": {"appid": "CI12124933", "liveChatDomain": "tranquil-marigold-5e5c36.netlify.app"},
    "livechat-webcallback": {"appid": "CI12124933", "liveChatDomain": "tranquil-marigold-5e5c36.netlify.app"},
    "email-inbound": {"bizemailid": "wxccengage@gmail.com"},
}
_REF = re.compile(r"\$\(([^()]*)\)")
_NODE_REF = re.compile(r"^n(\d+)\.(.+)$")


def load(stem: str) -> Flow:
    return build_flow(load_source(CCE / f"{stem}.json").data)


def triples(conditions) -> list[tuple[str, str, str]]:
    return [(c.variable, c.operator, as_text(c.value)) for c in conditions]


def create_tasks(flow: Flow) -> list:
    return [n for n in flow.nodes_of("prebuiltnode") if n.name == "CCE Create Task"]


# -- the set of flows ---------------------------------------------------------------
def test_thirteen_flows_and_nothing_else():
    assert sorted(p.stem for p in CCE.glob("*.json")) == STEMS
    assert len(STEMS) == 13


@pytest.mark.parametrize("stem", STEMS)
def test_loads_with_start_and_trigger(stem):
    source = load_source(CCE / f"{stem}.json")
    flow = build_flow(source.data)
    assert set(source.data) == {"flowId", "cells", "customVariables", "outcomes"}
    assert flow.start is not None and flow.start.id == "2"
    assert flow.trigger is not None
    assert not flow.unclassified


@pytest.mark.parametrize("stem", STEMS)
def test_trigger(stem):
    channel, event, event_id, conditions, _, _ = EXPECTED[stem]
    trigger = load(stem).trigger
    assert (trigger.channel, trigger.event_name, trigger.event_id) == (channel, event, event_id)
    assert triples(trigger.effective_conditions) == conditions
    if conditions:  # all three copies agree, and the conditions checkbox is on
        assert triples(trigger.api_conditions) == conditions
        assert triples(trigger.ui_conditions) == conditions
        assert trigger.rule_condition_status is True
    else:
        assert trigger.info_conditions is None and not trigger.all_copies


@pytest.mark.parametrize("stem", WEBHOOK_STEMS)
def test_webhook_start_declares_the_destination(stem):
    flow = load(stem)
    assert flow.trigger.type == "channel" and flow.trigger.subtype == "webhook" and flow.trigger.is_event_flow
    assert DESTINATION in flow.start.output_names
    info = flow.trigger.raw
    if len(info["conditions"]) > 1:  # OR'ed: parenthesised, joined by the documented key
        assert [c["startag"] for c in info["conditions"]] == ["((", "(", "("]
        assert [c["endtag"] for c in info["conditions"]] == [")", ")", "))"]
        assert [c["conjunction"] for c in info["conditions"]] == ["OR", "OR", ""]


@pytest.mark.parametrize("stem", STEMS)
def test_required_nodes(stem):
    flow = load(stem)
    found = {node.title: node.kind for node in flow.nodes.values()}
    for label, kind in EXPECTED[stem][4].items():
        assert found.get(label) == kind, f"{stem}: expected {kind} node labelled {label!r}"
    assert 6 <= len(flow.nodes) <= 20


def test_web_callback_node_is_a_create_task():
    node = next(n for n in load("livechat-webcallback").nodes.values() if n.title == "Web Callback")
    assert node.name == "CCE Create Task"
    assert node.param_value("nodeInput")["mediaType"] == "Web Callback"
    assert {v["key"] for v in node.param_value("nodeInput")["extensionVariables"]} == {
        "LiveChatUserID", "LiveChatThreadID", "LiveChatAppID"}


@pytest.mark.parametrize("stem", STEMS)
def test_custom_variables(stem):
    flow = load(stem)
    names = [v.name for v in flow.custom_variables]
    missing = [name for name in EXPECTED[stem][5] if name not in names]
    assert not missing, f"{stem}: missing custom variables {missing}"
    assert len(names) == len(set(names))
    for raw in flow.raw["customVariables"]:
        assert set(raw) == {"name", "value", "desc", "type", "dec"} and raw["type"] == "default"


# -- graph and references ---------------------------------------------------------------
@pytest.mark.parametrize("stem", STEMS)
def test_every_event_goes_somewhere_and_every_node_is_reached(stem):
    flow = load(stem)
    graph = FlowGraph(flow)
    assert not graph.unreachable()
    assert not graph.unhandled_events()
    assert not graph.orphan_ends()
    assert not graph.dangling_edges()
    for node in flow.nodes.values():  # implicit ports too: sends, Evaluate success, Receive channel event
        handled = graph.handled_events(node.id)
        implicit = {"umppublic": {"onsuccess", "onerror", "onpolicyfail"}, "start": {"onbegin"}}.get(node.tag, set())
        if node.kind == "evaluate":
            implicit = {"1"}
        assert implicit <= handled, f"{stem}: node {node.id} leaves {implicit - handled} unrouted"
        if node.tag == "receive":
            assert any("." in event for event in handled), f"{stem}: Receive {node.id} has no channel event"


def _references(flow: Flow):
    for node in flow.nodes.values():
        for item in node.children:
            if item.tag in ("param", "session", "log"):
                for ref in _REF.findall(json.dumps(item.value)):
                    yield node, ref
    for variable in flow.custom_variables:
        for ref in _REF.findall(as_text(variable.value)):
            yield None, ref


@pytest.mark.parametrize("stem", STEMS)
def test_references_resolve(stem):
    flow = load(stem)
    variables = {v.name for v in flow.custom_variables}
    problems = []
    for node, ref in _references(flow):
        match = _NODE_REF.match(ref)
        if match:
            producer = flow.nodes.get(match[1])
            if producer is None or match[2] not in producer.output_names:
                problems.append(f"node {node.id if node else '-'}: $({ref}) is not an output of node {match[1]}")
        elif ref not in variables:
            problems.append(f"node {node.id if node else '-'}: $({ref}) is not a custom variable")
    assert not problems, "\n".join(problems)


# -- CCE Create Task, authorizations and template values -------------------------------------
@pytest.mark.parametrize("stem", sorted(TASK_VARIABLES))
def test_create_task_passes_ecc_and_extension_variables(stem):
    user, extension = TASK_VARIABLES[stem]
    tasks = create_tasks(load(stem))
    assert tasks
    for node in tasks:
        node_input = node.param_value("nodeInput")
        assert node_input == node.param_value("extraParamsData")
        assert {v["key"] for v in node_input["userVariables"]} == user
        assert {v["key"] for v in node_input["extensionVariables"]} == extension
        for key in ("scriptSelector", "mediaType", "mediaChannel", "destination", "taskId", "conversationId"):
            assert node_input[key] not in ("", None), f"{stem}: Create Task {key} is empty"
        body = {item["name"]: item["value"] for item in node.param_value("request_body")}
        assert body["User Variables"] == node_input["userVariables"]
        assert body["Extension Variables"] == node_input["extensionVariables"]
        assert body["Script Selector"] == node_input["scriptSelector"]
        for item in node_input["callVariables"]:
            assert re.fullmatch(r"cv_([1-9]|10)", item["key"])


@pytest.mark.parametrize("stem", STEMS)
def test_prebuilt_nodes_are_unauthorized_as_imported(stem):
    for node in load(stem).nodes_of("prebuiltnode"):
        assert node.param_value("auth_id") == -1
        resources = node.param_value("resourceinfo")["resource_list"]
        assert resources and all(r["auth_id"] == -1 for r in resources)
        assert node.param_value("nodeInput") == node.param_value("extraParamsData")
        outputs = [p["name"] for p in node.param_value("methodResponseParameters")]
        assert outputs == node.param_value("custom_output_vars")


@pytest.mark.parametrize("stem", sorted(TEMPLATE_VALUES))
def test_channel_variables_at_template_values(stem):
    flow = load(stem)
    for name, value in TEMPLATE_VALUES[stem].items():
        assert as_text(flow.variable(name).value) == value


def test_profile_loads_and_covers_the_samples():
    profile = load_profile(SAMPLES / "tenant.toml")
    samples = {SAMPLE_SMS, SAMPLE_CHAT, SAMPLE_EMAIL}
    for channel in ("sms", "livechat", "email", "messenger", "whatsapp"):
        assets = getattr(profile.assets, channel)
        assert len(assets) == 1 and not samples & set(assets)
    assert profile.channel.wa_number.isdigit() and "://" not in profile.channel.live_chat_domain
    template = {"391273087404701", "916303330251", "tranquil-marigold-5e5c36.netlify.app", "wxccengage@gmail.com"}
    assert not template & {profile.channel.fb_page_id, profile.channel.wa_number,
                           profile.channel.live_chat_domain, profile.channel.biz_email}
    ecc = profile.ecc_variables()
    for stem in STEMS:
        for node in load(stem).nodes_of("prebuiltnode"):
            group = node.param_value("group_id")
            auth = profile.authorization_for(node.param_value("integration_id"), node.title, group)
            assert auth is not None and int(auth.id) > 0, f"{stem}: no authorization for node {node.id}"
            for item in (node.param_value("nodeInput") or {}).get("userVariables", []):
                assert item["key"] in ecc, f"{stem}: ECC variable {item['key']} is not defined in CCE"
    # CCE flows use neither Queue Task nor Resolve Conversation: [queues] and [flow_ids] serve the
    # WxCC channel templates (tests/test_patch_reference.py), and no sample is named there.
    assert not set(profile.flow_ids) & set(STEMS)


# -- connectflow show --------------------------------------------------------------------------
@pytest.mark.parametrize("stem", STEMS)
def test_show(stem):
    channel, event, _, conditions, labels, _ = EXPECTED[stem]
    result = CliRunner().invoke(cli, ["show", str(CCE / f"{stem}.json")], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    trigger = next(line for line in result.output.splitlines() if "Trigger:" in line)
    assert f"[{channel}]" in trigger and event in trigger, trigger
    words = " ".join(result.output.split())  # show wraps at 80 columns
    for variable, operator, value in conditions:
        assert f"{variable} {operator} {value}" in words
    for label in labels:
        assert label in words
    assert "→ not connected" not in result.output


# -- structure compared with the real captures ------------------------------------------------------
def _reference_cells():
    for path in sorted(REFERENCE.glob("*.json")):
        yield from json.loads(path.read_text(encoding="utf-8"))["cells"]


def _kind(cell: dict) -> str:
    value = cell.get("value") if isinstance(cell.get("value"), dict) else {}
    if cell.get("edge"):
        return "edge"
    if value.get("tag") == "workflowdata":
        return "workflowdata"
    if value.get("nodeType") == "end" or value.get("type") == "EN":
        return "end"
    return value.get("tag", "?")


def _conventions(cells) -> dict[str, dict[str, set]]:
    seen: dict[str, dict[str, set]] = {}
    for cell in cells:
        kind = _kind(cell)
        entry = seen.setdefault(kind, {"cell": set(), "value": set(), "attributes": set(), "params": set(),
                                       "children": set(), "end_params": set()})
        entry["cell"].add(tuple(sorted(cell)))
        value = cell["value"]
        entry["value"].add(tuple(sorted(value)))
        if kind == "workflowdata":
            entry["attributes"].add(tuple(sorted(value["attributes"])))
        elif kind == "end":
            entry["end_params"].add(tuple(p["name"] for p in value["params"]))
        elif kind != "edge":
            entry["attributes"].update(value["attributes"])
            entry["children"].update(c["tag"] for c in value["children"])
            entry["params"].update(c["attributes"]["name"] for c in value["children"] if c["tag"] == "param")
    return seen


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.is_dir():
        pytest.skip(f"reference captures not found at {REFERENCE}")
    return _conventions(_reference_cells())


@needs_reference
@pytest.mark.parametrize("stem", STEMS)
def test_structure_matches_reference_conventions(stem, reference):
    data = json.loads((CCE / f"{stem}.json").read_text(encoding="utf-8"))
    mine = _conventions(data["cells"])
    assert mine["workflowdata"]["attributes"] == {("copy_used_vars", "dynamic_output_vars", "logbooks",
                                                   "node_group_info", "notes", "start_node_info")}
    assert mine["workflowdata"]["attributes"] <= reference["workflowdata"]["attributes"]
    for kind in ("edge", "end", "start", "prebuiltnode", "evaluate", "umppublic", "receive"):
        if kind in mine:
            assert mine[kind]["cell"] <= reference[kind]["cell"], f"{kind} cell keys"
    for kind in ("edge", "end"):
        assert mine[kind]["value"] <= reference[kind]["value"], f"{kind} value keys"
    assert mine["end"]["end_params"] == {("nodeEvent", "sessionRetry", "exitResult", "asyncCheck")}
    assert mine["end"]["end_params"] <= reference["end"]["end_params"]
    # Child tags (event, param, session, log, nodevariablestore) are the same for every node kind.
    child_tags = set().union(*(entry["children"] for entry in reference.values()))
    for kind in ("start", "prebuiltnode"):
        if kind not in mine:
            continue
        for part in ("attributes", "params"):
            extra = mine[kind][part] - reference[kind][part]
            assert not extra, f"{stem}: {kind} {part} not seen in the reference flows: {sorted(extra)}"
        assert mine[kind]["children"] <= child_tags
    required = {"referencekey", "integration_id", "method_id", "version_id", "auth_id", "resourceinfo",
                "viewmodeData", "request_body", "nodeInput", "extraParamsData", "newEvents", "custom_output_vars",
                "methodResponseParameters", "isAuthPresent", "group_id"}
    if "prebuiltnode" in mine:
        assert required <= mine["prebuiltnode"]["params"]
    references = [json.loads(p.read_text(encoding="utf-8"))["outcomes"] for p in sorted(REFERENCE.glob("*.json"))]
    assert data["outcomes"] in references


@pytest.mark.parametrize("stem", STEMS)
def test_end_cells_bind_to_existing_nodes_without_edges(stem):
    data = json.loads((CCE / f"{stem}.json").read_text(encoding="utf-8"))
    ends = [c for c in data["cells"] if _kind(c) == "end"]
    nodes = {c["id"] for c in data["cells"] if _kind(c) not in ("end", "edge", "workflowdata")}
    targets = {c["target"] for c in data["cells"] if c.get("edge")}
    assert ends
    for end in ends:
        assert end["id"] not in targets
        parent = end["value"]["data"]["parentNode"]
        assert isinstance(parent, int) and str(parent) in nodes
        params = {p["name"]: p["value"] for p in end["value"]["params"]}
        assert params["nodeEvent"] == end["value"]["name"] and params["exitResult"] in (2, 3, 4)


# -- the generator ------------------------------------------------------------------------------------
def test_generator_rewrites_identical_files(tmp_path):
    subprocess.run([sys.executable, str(SAMPLES / "build_samples.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    generated = sorted(p.name for p in tmp_path.glob("*.json"))
    assert generated == sorted(p.name for p in CCE.glob("*.json"))
    for name in generated:
        assert (tmp_path / name).read_bytes() == (CCE / name).read_bytes(), f"{name} differs from the generator"


@pytest.mark.parametrize("stem", STEMS)
def test_files_are_indented_json_with_trailing_newline(stem):
    text = (CCE / f"{stem}.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
