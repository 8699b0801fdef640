#!/usr/bin/env python3
"""Generate the CCE representative sample flows in ``samples/cce/``.

Usage::

    python samples/build_samples.py            # rewrite samples/cce/*.json
    python samples/build_samples.py --out DIR  # write the same files into DIR

Standard library only, deterministic: every id, UUID and index is derived from
the flow stem and node id, so running it twice gives byte-identical files.

The flows are synthetic. Cisco's CCE bundle is behind a login and was never
captured, so each flow follows Cisco's written description of the bundle
(``shared/seeds``) and copies the cell shapes of the real captures in
``shared/reference-flows`` (Start, Evaluate, Branch, prebuilt node, send node,
End, Edge). The integration ids of the Engage and CCE nodes are invented;
samples/README.md lists them and every other assumption.

The files are written in the *decoded* form of the reference captures (param
``text`` holds JSON values, not strings), with ``json.dumps(indent=2)`` and a
trailing newline, in the "as imported" state: sample asset ids in the webhook
start conditions, ``auth_id: -1`` on every prebuilt node, channel variables at
their template values.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "cce"
_NS = uuid.UUID("2b0c6e0a-7d4f-5c1e-9a3b-43ce0f10c0de")
_REF = re.compile(r"\$\(([^()]*)\)")
_NODE_REF = re.compile(r"^n(\d+)\.(.+)$")

# -- template ("as imported") values -------------------------------------------
# Sample asset ids the CCE templates carry in their webhook start conditions
# (platform-facts §3.4) and the SMS number of the WxCC SMS capture.
SAMPLE_SMS_NUMBER = 447418369300
SAMPLE_LIVECHAT_APP = "IM28095016"
SAMPLE_EMAIL_APP = "a_638296118145560000"
# Channel variables at their shipped defaults (platform-facts §3.4 / §6.2).
TEMPLATE_FB_PAGE_ID = 391273087404701
TEMPLATE_FB_APP_ID = "a_638838409917150000"
TEMPLATE_WA_NUMBER = 916303330251
TEMPLATE_WA_APP_ID = "a_173200067561504200"
TEMPLATE_LIVECHAT_APP_ID = "CI12124933"
TEMPLATE_LIVECHAT_DOMAIN = "tranquil-marigold-5e5c36.netlify.app"
TEMPLATE_BIZ_EMAIL = "wxccengage@gmail.com"

# The webhook variable the CCE start conditions test (an assumption: README).
DESTINATION_VAR = "inboundWebhook.destination"
# The key that joins OR'ed flat start conditions (an assumption: README).
JOIN_KEY = "conjunction"

UPDATED_ON = "2025-11-20T10:00:00.000"
OPERATORS = ["equals", "notequals", "in", "contains", "notin", "equalsignorecase",
             "startswith", "endswith", "regex", "containsignorecase"]

OUTCOMES = [
    {"id": 2, "order": 0, "name": 101, "value": "Successfully completed flow", "tag": 11,
     "tagName": "Success", "type": "default", "notification": None},
    {"id": 3, "order": 1, "name": 102, "value": "Flow completed with an error", "tag": 12,
     "tagName": "Error", "type": "default", "notification": None},
    {"id": 4, "order": 2, "name": 103, "value": "Flow ended due to an interruption", "tag": 13,
     "tagName": "Incomplete", "type": "default", "notification": None},
    {"id": 1, "name": 100, "value": "Last executed node event", "statusCode": "All status codes",
     "tag": 15, "tagName": "Last Execution Status", "type": "default", "notification": None},
]
EXIT_SUCCESS, EXIT_ERROR = 2, 3


def uid(*parts: object) -> str:
    return str(uuid.uuid5(_NS, "/".join(map(str, parts))))


def short_id(*parts: object, n: int = 8) -> str:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    return "".join(alphabet[b % 36] for b in digest[:n])


# -- built-in events -------------------------------------------------------------
EVENT_LABEL = {
    "onbegin": "onBegin", "onerror": "onError", "oninvaliddata": "onInvalidData",
    "oninvalidchoice": "onInvalidChoice", "ontimeout": "onTimeout", "onsuccess": "onSuccess",
    "onpolicyfail": "onPolicyFail",
}

# -- prebuilt integrations -------------------------------------------------------
# Search Conversation's integration/method/version ids are the ones observed in
# Cisco's WxCC captures (platform-facts §2.1); every other id here is INVENTED.
ENGAGE_GROUP = 50021
CCE_GROUP = 50900


def _versions(integration: int, *names: tuple[int, str, str]) -> list[dict]:
    return [{"id": vid, "versionName": name, "integrationId": integration, "status": 1,
             "description": "", "liveFromDate": live, "discardedFromDate": None}
            for vid, name, live in names]


def _events(*pairs: tuple[str, str]) -> list[dict]:
    return [{"name": name, "type": kind} for name, kind in pairs]


E, S = "error", "success"
PREBUILT = {
    "search": dict(
        name="Search Conversation", integration=50033, method=54025, version=50949, group=ENGAGE_GROUP,
        method_name="Search Chat", auth_name="Engage", bundle="engage-search-conversation_1690000000001",
        versions=_versions(50033, (50940, "v1.0", "2022-03-01 10:00:00.0"), (50949, "v1.1", "2022-09-12 10:00:00.0")),
        events=_events(("onauthorizationfail", E), ("noConversationFound", S), ("conversationActive", S),
                       ("conversationClosed", S), ("conversationInQueue", S), ("conversationOnHold", S)),
        outputs=[("conversationId", "$.value.conversationId"), ("aliasId", "$.value.aliasId"),
                 ("conversationExistsBool", "$.value.chatExist"), ("status", "$.value.status"),
                 ("teamId", "$.value.teamId"), ("userId", "$.value.userId"), ("apiStatus", "$.status"),
                 ("code", "$.code"), ("description", "$.description"), ("responsePayload", "$")]),
    "create": dict(
        name="Create Conversation", integration=50901, method=59101, version=53101, group=ENGAGE_GROUP,
        method_name="Create Conversation", auth_name="Engage", bundle="engage-create-conversation_1690000000002",
        versions=_versions(50901, (53100, "v1.0", "2022-03-01 10:00:00.0"), (53101, "v1.2", "2022-09-12 10:00:00.0")),
        events=_events(("onauthorizationfail", E), ("Failure", E), ("onConversationCreated", S),
                       ("onConversationFailed", E)),
        outputs=[("TransId", "$.transId")]),
    "append": dict(
        name="Append Conversation", integration=50902, method=59102, version=53103, group=ENGAGE_GROUP,
        method_name="Append conversation", auth_name="Engage", bundle="engage-append-conversation_1690000000003",
        versions=_versions(50902, (53102, "v1.0", "2022-03-01 10:00:00.0"), (53103, "v1.3", "2023-01-16 10:00:00.0")),
        events=_events(("onauthorizationfail", E), ("Failure", E), ("onAppendMessageFailure", E),
                       ("onAppendMessageSuccess", S)),
        outputs=[("TransId", "$.transId")]),
    "update": dict(
        name="Update Conversation", integration=50903, method=59103, version=53104, group=ENGAGE_GROUP,
        method_name="Update Conversation", auth_name="Engage", bundle="engage-update-conversation_1690000000004",
        versions=_versions(50903, (53104, "v1.0", "2022-03-01 10:00:00.0")),
        events=_events(("onauthorizationfail", E), ("Failure", E), ("onConversationUpdatedFailure", E),
                       ("onConversationUpdatedSuccess", S), ("Success", S)),
        outputs=[("transID", "$.transId")]),
    "close": dict(
        name="Close Conversation", integration=50904, method=59104, version=53105, group=ENGAGE_GROUP,
        method_name="Close Chat", auth_name="Engage", bundle="engage-close-conversation_1690000000005",
        versions=_versions(50904, (53105, "v1.0", "2022-03-01 10:00:00.0")),
        events=_events(("onauthorizationfail", E), ("onFailure", E), ("onCloseConversationFailure", E),
                       ("onConversationClosed", S)),
        outputs=[("TransId", "$.transId")]),
    "add_participant": dict(
        name="Add Participant", integration=50905, method=59105, version=53106, group=ENGAGE_GROUP,
        method_name="Add Participant", auth_name="Engage", bundle="engage-add-participant_1690000000006",
        versions=_versions(50905, (53106, "v1.0", "2022-03-01 10:00:00.0")),
        events=_events(("onauthorizationfail", E), ("Failure", E), ("OnAddParticipantFailure", E),
                       ("OnAddParticipantSuccess", S), ("Success", S)),
        outputs=[("TransId", "$.transId")]),
    "remove_participant": dict(
        name="Remove Participant", integration=50906, method=59106, version=53107, group=ENGAGE_GROUP,
        method_name="Remove Participant", auth_name="Engage", bundle="engage-remove-participant_1690000000007",
        versions=_versions(50906, (53107, "v1.0", "2022-03-01 10:00:00.0")),
        events=_events(("onauthorizationfail", E), ("onFailure", E), ("onRemoveParticipantFailure", E),
                       ("onParticipantRemoved", S)),
        outputs=[("TransId", "$.transId")]),
    "create_task": dict(
        name="CCE Create Task", integration=50910, method=59110, version=53111, group=CCE_GROUP,
        method_name="Create Task", auth_name="CCE Task Node Auth", bundle="cce-create-task_1690000000010",
        versions=_versions(50910, (53110, "v1.0", "2022-05-02 10:00:00.0"), (53111, "v1.2", "2023-03-06 10:00:00.0")),
        # CCE Create Task documents HTTP-status outcomes only (platform-facts §4.2).
        events=_events(("200", S), ("201", S), ("20200", S), ("400", E), ("403", E), ("404", E),
                       ("500", E), ("502", E), ("503", E)),
        outputs=[("location", "$.headers.location"), ("responsePayload", "$")]),
    "end_task": dict(
        name="CCE End Task", integration=50911, method=59111, version=53112, group=CCE_GROUP,
        method_name="Closed Task on Contact Center Enterprise", auth_name="CCE Task Node Auth",
        bundle="cce-end-task_1690000000011",
        versions=_versions(50911, (53112, "v1.0", "2022-05-02 10:00:00.0")),
        events=_events(("onauthorizationfail", E), ("Error", E), ("Success", S)),
        outputs=[("location", "$.headers.location"), ("responsePayload", "$")]),
}
TASK_SUCCESS = ("200", "201", "20200")
TASK_FAILURE = ("400", "403", "404", "500", "502", "503")
PREBUILT_BUILTINS = (("oninvaliddata", "BP"), ("onerror", "BP"), ("oninvalidchoice", "BP"), ("ontimeout", "TP"))

# -- channels --------------------------------------------------------------------
_SCAN = ["isMalwareCompliance", "isMalwareValidationDone", "malwareFailedReason"]


def _security(ns: str, dropped: bool = True) -> list[str]:
    pci = ["isPCICompliance", "isPCIValidationDone", "nonPCIComplianceReason"]
    if dropped:
        pci += ["isAttachmentEnabled", "droppedAttachmentCount"]
    names = [f"{ns}.pciInfo.{n}" for n in pci]
    names += [f"{ns}.malwareinfo.{n}" for n in _SCAN + (["droppedAttachmentCount"] if dropped else [])]
    names += [f"{ns}.securityscaninfo.{n}" for n in
              ["isSecurityCompliance", "isSecurityValidationDone", "securityFailedReason"]
              + (["droppedAttachmentCount"] if dropped else [])]
    return names


START_OUTPUTS = {
    "sms": ["sms.timestamp", "sms.transId", "sms.senderNumber", "sms.keyword", "sms.serviceNumber",
            "sms.message", "service.serviceKey"] + _security("sms", dropped=False),
    "livechat": ["inappmessaging.timestamp", "inappmessaging.userId", "inappmessaging.threadId",
                 "inappmessaging.completedOn", "inappmessaging.threadTitle", "inappmessaging.threadStatus",
                 "inappmessaging.message", "inappmessaging.attachment", "inappmessaging.version",
                 "inappmessaging.deviceId", "inappmessaging.origin", "inappmessaging.tid",
                 "inappmessaging.extras", "inappmessaging.attachmentCount", "inappmessaging.appId",
                 "service.serviceKey"] + _security("inappmessaging"),
    "livechat_close": ["inappmessaging.timestamp", "inappmessaging.userId", "inappmessaging.threadId",
                       "inappmessaging.threadStatus", "inappmessaging.reasonForThreadClosure",
                       "inappmessaging.appId", "inappmessaging.tid", "service.serviceKey"],
    "messenger": ["messenger.appId", "messenger.psId", "messenger.transId", "messenger.name",
                  "messenger.timestamp", "messenger.profilePicture", "messenger.message",
                  "messenger.attachments", "messenger.attachmentUrl", "messenger.locationUrl",
                  "messenger.locationLatitude", "messenger.locationLongitude", "service.serviceKey"]
                 + _security("messenger"),
    "whatsapp": ["whatsapp.appId", "whatsapp.waId", "whatsapp.message", "whatsapp.type", "whatsapp.timestamp",
                 "whatsapp.locationAddress", "whatsapp.locationLatitude", "whatsapp.locationLongitude",
                 "whatsapp.locationName", "whatsapp.locationUrl", "whatsapp.caption", "whatsapp.contextId",
                 "whatsapp.attachmentType", "whatsapp.attachments", "whatsapp.transId", "whatsapp.username",
                 "service.serviceKey"] + _security("whatsapp"),
    "email": ["email.message", "email.emailId", "email.transId", "email.timestamp", "email.attachments",
              "email.appId", "email.subject", "email.senderName", "email.toAddresses", "email.ccRecipients",
              "email.bccRecipients", "email.htmlMessage", "email.inReplyTo", "email.messageId",
              "email.headers", "email.assetType", "email.recipient", "email.strippedText",
              "email.strippedHTML", "service.serviceKey"] + _security("email"),
    # CCE Digital Routing task event, parsed by the webhook (field names inferred).
    "webhook": [f"inboundWebhook.{n}" for n in
                ("timestamp", "transId", "payload", "taskId", "state", "origin", "destination", "mediaType",
                 "mediaChannel", "scriptSelector", "preferredOwner", "agentId", "estimatedWaitTime",
                 "dispositionCode", "variables")],
}

# (channel, type, selectedChannel, selectedRuleEvent, label, image)
CHANNEL_STARTS = {
    "sms": dict(channel=1, eventid=33, eventname="MO", label="Configure SMS Event", image="sms.svg",
                selected={"extraData": {"number": "", "keyword": "", "numberObject": {
                    "unid": "", "key_id": "", "reportnumber": "", "resource_id": "", "sub_channel_id": "",
                    "keyword": "", "TYPE": "", "channel_id": "", "channelsupport": ""}},
                    "name": "SMS", "description": "SMS", "id": 1, "type": 1},
                rule={"name": "Mobile Originated - MO", "id": 33, "eventname": "MO",
                      "desc": "This event triggers every time you receive an incoming message on the "
                              "shortcode or keyword mapped to this service"},
                live_sessions=1),
    "livechat": dict(channel=15, eventid=9, eventname="MO", label="Configure APP Event", image="app.svg",
                     selected={"id": 15, "name": "APP", "description": "APP", "type": 1, "extraData": {}},
                     rule={"name": "Incoming message", "id": 9, "eventname": "MO",
                           "desc": "This event is triggered when a new message is received from the user "
                                   "on this channel"}),
    "livechat_close": dict(channel=15, eventid=116, eventname="OnThreadClosed", label="Configure APP Event",
                           image="app.svg",
                           selected={"id": 15, "name": "APP", "description": "APP", "type": 1, "extraData": {}},
                           rule={"name": "Thread closed", "id": 116, "eventname": "OnThreadClosed",
                                 "desc": "This event is triggered when a conversation thread is closed"}),
    "messenger": dict(channel=5, eventid=20, eventname="MO", label="Incoming Message", image="fb.svg",
                      selected={"id": 5, "name": "FB", "description": "Messenger", "type": 1, "extraData": {}},
                      rule={"name": "Incoming message", "id": 20, "eventname": "MO",
                            "desc": "This event is triggered when a new message is received from the user "
                                    "on this channel"}),
    # WhatsApp channel 8 / event 103 as in the KB summary of Cisco's WhatsApp inbound template.
    "whatsapp": dict(channel=8, eventid=103, eventname="MO", label="Configure WhatsApp Event",
                     image="whatsapp.svg",
                     selected={"id": 8, "name": "WA", "description": "WhatsApp", "type": 1, "extraData": {}},
                     rule={"name": "Incoming message", "id": 103, "eventname": "MO",
                           "desc": "This event occurs every time a user sends a text message with or without "
                                   "attachments to your whatsapp account"}),
    "email": dict(channel=19, eventid=95, eventname="MO", label="Configure Email Event", image="email.svg",
                  selected={"id": 19, "name": "EMAIL", "description": "Email", "type": 1, "extraData": {}},
                  rule={"name": "Incoming Message", "id": 95, "eventname": "MO",
                        "desc": "This event triggers when users sends message from email"}),
}
SMS_EXTRAS = {
    "number": SAMPLE_SMS_NUMBER, "keyword": "*",
    "numberObject": {"e164reportnumber": f"+{SAMPLE_SMS_NUMBER}", "unid": 11364, "key_id": "",
                     "reportnumber": SAMPLE_SMS_NUMBER, "waba_id": "", "BotSubType": "",
                     "resource_id": SAMPLE_SMS_NUMBER, "voiceProviderId": 1, "is_routing_number": 0,
                     "sub_channel_id": "", "keyword": "", "TYPE": "MOBILE", "channel_id": 3,
                     "channelsupport": "SMS,VOICE"},
}
# CCE webhook events: the event ids and v2 ids are INVENTED (no CCE capture exists).
WEBHOOK_EVENTS = {
    "CREATED": (3101, "CR8TQ2XW41"), "QUEUED": (3102, "QU5MD7KP22"), "ROUTED": (3103, "RT3VB9HN63"),
    "CLOSED": (3104, "CL6ZF4JS84"), "TRANSFERRED": (3105, "TR2GY8WC05"),
}
# Per-channel conditions of the webhook flows: (media channel, sample destination).
WEBHOOK_DESTINATIONS = [("sms", str(SAMPLE_SMS_NUMBER)), ("chat", SAMPLE_LIVECHAT_APP),
                        ("email", SAMPLE_EMAIL_APP)]

# Send nodes: all are modelled as `umppublic` (see README: the KB summary of
# Cisco's WhatsApp template shows a `whatsapp` tag for the WhatsApp send node).
SENDS = {
    "sms": dict(name="SMS", image="sms.svg", channelId=1, deliverychannel="SMS", destinationType="msisdn"),
    "livechat": dict(name="Live Chat", image="livechat.svg", channelId=7, deliverychannel="rtm",
                     destinationType="userid"),
    "email": dict(name="Email", image="email.svg", channelId=19, deliverychannel="email",
                  destinationType="email"),
    "messenger": dict(name="Messenger", image="messenger.svg", channelId=5, deliverychannel="messenger",
                      destinationType="psid"),
    "whatsapp": dict(name="WhatsApp", image="whatsapp.svg", channelId=8, deliverychannel="whatsapp",
                     destinationType="waid"),
}
RECEIVE_EVENTS = {"sms": "sms.mo", "livechat": "app.mo", "livechat_form": "app.onformresponse",
                  "messenger": "messenger.mo", "whatsapp": "whatsapp.mo"}


def param(name: str, text: object, **extra: object) -> dict:
    attributes = {"hiddenstate": False, "name": name, "type": "", "view": ""}
    attributes.update(extra)
    return {"tag": "param", "attributes": attributes, "text": text}


def session(flow_stem: str, node_id: int, order: int, name: str, value: str, when: str = "onleave") -> dict:
    return {"tag": "session",
            "attributes": {"action_order": 0, "index": short_id(flow_stem, node_id, "session", order),
                           "name": name, "order": order, "tag": "session", "type": when},
            "text": value}


class FlowBuilder:
    """Collects nodes, edges and End bindings; ``build()`` returns the flow document."""

    def __init__(self, stem: str, flow_id: str):
        self.stem = stem
        self.flow_id = flow_id
        self.nodes: dict[int, dict] = {}
        self.outcomes: dict[int, list[tuple[str, str, str]]] = {}  # node -> [(event, kind, port)]
        self.routed: dict[int, set[str]] = {}
        self.edges: list[tuple[int, str, int]] = []
        self.ends: list[tuple[int, str, int | None]] = []
        self.variables: list[dict] = []
        self.start_info: dict = {}

    # -- custom variables ----------------------------------------------------------
    def var(self, name: str, value: object = "") -> None:
        self.variables.append({"name": name, "value": value, "desc": "", "type": "default", "dec": ""})

    def vars(self, *names: str) -> None:
        for name in names:
            self.var(name)

    def _sessions(self, node_id: int, sessions: list[tuple[str, str]] | None) -> list[dict]:
        return [session(self.stem, node_id, i, name, value) for i, (name, value) in enumerate(sessions or [])]

    def _add(self, node_id: int, value: dict, outcomes: list[tuple[str, str, str]]) -> int:
        assert node_id not in self.nodes, node_id
        self.nodes[node_id] = {"id": str(node_id), "parent": "1", "vertex": True, "edge": False, "value": value}
        self.outcomes[node_id] = outcomes
        self.routed[node_id] = set()
        return node_id

    # -- Start -----------------------------------------------------------------------
    def _start(self, label: str, image: str, selected: object, rule: object, rule_name: str,
               outputs: list[str], conditions: list[dict] | None, ui_conditions: list[dict] | None,
               webhook: dict | None, condition_data: object, live_sessions: object,
               sessions: list[tuple[str, str]] | None, sms: bool = False) -> None:
        children = [
            {"tag": "event", "attributes": {"name": "onbegin", "targetcount": 1}, "text": ""},
            param("selectedChannel", selected),
            param("selectedRuleEvent", rule),
            param("ruleEvent", rule_name),
            param("ruleConditionStatus", True if conditions else ""),
            param("conditions", ui_conditions if conditions else ""),
            param("apiReqConditions", conditions if conditions else ""),
            param("webHookData", webhook if webhook is not None else ""),
            param("customEvents", ""),
            param("isKeyWordDisabled", not sms),
            param("isKeyWordVerifyReq", not sms),
            param("isKeyWordAvailable", True),
            param("output_variables", outputs),
            param("voiceServiceProvider", 1 if sms else ""),
            param("conditionData", condition_data),
            param("syncWebHookData", ""),
            param("isCheckLiveSessions", live_sessions),
        ]
        if sms:
            children.append(param("aiAgentData", ""))
        children += self._sessions(2, sessions)
        value = {"tag": "start", "attributes": {
            "hidecell": True, "image": "start.svg", "key": "start", "keytype": "fullscreen", "label": label,
            "name": "Start", "nodetype": "start", "type": "start", "updatedImage": image, "updatedimage": image,
            "updatedon": UPDATED_ON, "view_restrict": True}, "children": children}
        self._add(2, value, [("onbegin", "builtin", "MP")])

    def _ui_condition(self, index: int, variable: str, operator: str, value: str, var_object: dict,
                      join: str | None) -> dict:
        def option(input_type: str, default_list: list) -> dict:
            return {"inputType": input_type, "selectOption": {
                "selectName": "name", "selectValue": "value", "selectFlag": False, "defaultList": default_list,
                "placeholderFlag": False, "uploadStatus": False}}
        item = {"variableConOption": option("select", []),
                "operatorConOption": option("select", [{"opr_name": o} for o in OPERATORS]),
                "valueConOption": option("text", []),
                "pills": [], "index": short_id(self.stem, "condition", index),
                "variable": variable, "variableObject": var_object, "operator": operator, "value": value}
        if join is not None:
            item[JOIN_KEY] = join
        return item

    def _conditions(self, items: list[tuple[str, str, str]], var_object: dict) -> tuple[list, list]:
        """Flat (start_node_info / apiReqConditions) and UI copies of OR'ed conditions."""
        flat, ui = [], []
        last = len(items) - 1
        for i, (variable, operator, value) in enumerate(items):
            join = None if last == 0 else ("OR" if i < last else "")
            entry = {"startag": "((" if i == 0 else "(", "varname": variable, "opr": operator, "value": value,
                     "datatype": "string", "endtag": "))" if i == last else ")"}
            if join is not None:
                entry[JOIN_KEY] = join
            flat.append(entry)
            ui.append(self._ui_condition(i, variable, operator, value, var_object, join))
        return flat, [{"conditions": ui, "index": short_id(self.stem, "condition-group")}]

    def channel_start(self, kind: str, sessions: list[tuple[str, str]] | None = None,
                      conditions: list[tuple[str, str, str]] | None = None) -> None:
        spec = CHANNEL_STARTS[kind]
        info = {"channel": spec["channel"], "type": "channel",
                "isCheckLiveSessions": spec.get("live_sessions", 0),
                "extras": SMS_EXTRAS if kind == "sms" else {},
                "eventid": spec["eventid"], "eventname": spec["eventname"]}
        flat = ui = None
        if conditions:  # only the Live Chat starts have conditions: the variableObject of an APP event
            var_object = {"event_id": spec["eventid"], "v1_param": "app." + conditions[0][0].split(".", 1)[1],
                          "channel_id": 7, "var_name": conditions[0][0], "eventname": spec["eventname"]}
            flat, ui = self._conditions(conditions, var_object)
            info["conditions"] = flat
        self.start_info = info
        self._start(spec["label"], spec["image"], spec["selected"], spec["rule"], spec["rule"]["name"],
                    START_OUTPUTS[kind], flat, ui, None, "", spec.get("live_sessions", ""), sessions,
                    sms=kind == "sms")

    def webhook_start(self, event: str, channels: list[str],
                      sessions: list[tuple[str, str]] | None = None) -> None:
        event_id, v2_id = WEBHOOK_EVENTS[event]
        destinations = dict(WEBHOOK_DESTINATIONS)
        items = [(DESTINATION_VAR, "equals", destinations[c]) for c in channels]
        var_object = {"event_id": event_id, "data_type": "string", "v1_param": None, "channel_id": 14,
                      "var_name": DESTINATION_VAR, "eventname": event}
        flat, ui = self._conditions(items, var_object)
        self.start_info = {"channel": 14, "type": "channel", "subtype": "webhook", "extras": {},
                           "eventid": event_id, "eventname": event, "v2EventId": v2_id, "conditions": flat}
        fields = [o.split(".", 1)[1] for o in START_OUTPUTS["webhook"]
                  if o.split(".", 1)[1] not in ("timestamp", "transId", "payload")]
        condition_data = [{"defaultvalue": "", "mandatory": False, "var_name": f, "datatype": "string",
                           "channel_id": 14, "event_id": event_id, "eventname": event} for f in fields]
        sample = {"id": "3f2c8d4e-0b7a-4c61-9a55-1d2e3f405a6b", "state": event, "origin": "+14155550100",
                  "destination": str(SAMPLE_SMS_NUMBER), "mediaType": "social", "mediaChannel": "sms",
                  "scriptSelector": "CCE_SMS_Support", "preferredOwner": "", "owner": "5012",
                  "estimatedWaitTime": -1, "dispositionCode": "",
                  "variables": {"user_DR_MediaResourceID": "5f0a1b2c3d4e5f6a7b8c9d0e",
                                "user_DR_CustomerName": "Customer"}}
        paths = {"taskId": "$.id", "agentId": "$.owner", "variables": "$.variables"}
        webhook = {"conditionData": condition_data, "jsonData": json.dumps(sample), "isAuthRequired": False,
                   "isExistingWebHook": False, "name": f"CCE Task {event}", "jsonSource": "",
                   "parseOutput": [{"name": f, "path": paths.get(f, f"$.{f}"), "datatype": "string"}
                                   for f in fields],
                   "v2EventId": v2_id, "selectedEvent": event, "url": "", "xmlData": ""}
        selected = {"id": 14, "name": "Webhook", "description": "Webhook", "type": 3, "extraData": {},
                    "subType": "webhook"}
        rule = {"name": event, "id": event_id, "v2EventId": v2_id}
        self._start("Configure Webhook", "webhook.svg", selected, rule, event, START_OUTPUTS["webhook"],
                    flat, ui, webhook, condition_data, "", sessions)

    # -- Evaluate and Branch -----------------------------------------------------------
    def evaluate(self, node_id: int, label: str, script: str,
                 sessions: list[tuple[str, str]] | None = None) -> int:
        children = [
            {"tag": "param", "attributes": {"hidden": True, "name": "evaluteIsOptimization", "type": "", "view": ""},
             "text": True},
            {"tag": "event", "attributes": {"name": "oninvalidchoice", "targetcount": 1}, "text": ""},
            {"tag": "event", "attributes": {"name": "onerror", "targetcount": 1}, "text": ""},
            param("expression", script), param("exp", script), param("isTestExecuted", True),
            param("nodeVersion", 1),
        ] + self._sessions(node_id, sessions)
        value = {"tag": "evaluate", "attributes": {
            "defaultparam": "expression", "image": "evaluate.svg", "key": "evaluate", "label": label,
            "name": "Evaluate", "type": "evaluate", "updatedImage": "evaluate.svg", "updatedimage": "evaluate.svg",
            "updatedon": UPDATED_ON, "view_restrict": True}, "children": children}
        return self._add(node_id, value, [("1", "evaluate", "MP"), ("oninvalidchoice", "builtin", "BP"),
                                          ("onerror", "builtin", "BP")])

    def branch(self, node_id: int, label: str, outcomes: list[tuple[str, list[tuple[str, str, str]]]]) -> int:
        """``outcomes``: (name, [(variable, condition, value), ...]) with the conditions OR'ed."""
        rendered, clauses = [], []
        for o_index, (name, conditions) in enumerate(outcomes):
            items = []
            for c_index, (variable, condition, value) in enumerate(conditions):
                items.append({"pills": [], "varaible": variable, "condition": condition, "value": value,
                              "operation": "OR" if c_index < len(conditions) - 1 else "",
                              "index": short_id(self.stem, node_id, o_index, c_index)})
            rendered.append({"outcome": name, "order": "", "open": False, "isEditOn": False, "tempVal": name,
                             "conditions": items, "index": short_id(self.stem, node_id, o_index)})
            test = " || ".join(f'"{v}"  {c} "{val}"' for v, c, val in conditions)
            clauses.append(f'if({test}){{"{name}";}}')
        expression = "else ".join(clauses) + "else{'None of the above';}"
        names = [name for name, _ in outcomes] + ["None of the above"]
        children = [
            {"tag": "event", "attributes": {"name": "onerror", "type": "BP"}, "text": ""},
            {"tag": "param", "attributes": {"hidden": True, "name": "evaluteIsOptimization"}, "text": True},
            param("outcomes", rendered), param("allConditionsFail", "None of the above"),
            param("expression", expression), param("counter", len(names)), param("successEvents", names),
            param("nodeVersion", 1),
        ]
        value = {"tag": "evaluate", "attributes": {
            "image": "branch.svg", "infolabel": "branch", "key": "branch", "label": label, "name": "Branch",
            "paramhide": True, "type": "evaluate", "updatedImage": "branch.svg", "updatedimage": "branch.svg",
            "updatedon": UPDATED_ON, "view_restrict": True}, "children": children}
        return self._add(node_id, value, [(n, "option", "MP") for n in names] + [("onerror", "builtin", "BP")])

    # -- prebuilt (Engage and CCE) nodes ----------------------------------------------
    def prebuilt(self, node_id: int, kind: str, fields: list[tuple[str, str, object, str]],
                 label: str | None = None, sessions: list[tuple[str, str]] | None = None) -> int:
        """``fields``: (display name, key, value, "body" | "path") of the node's form."""
        spec = PREBUILT[kind]
        label = label or spec["name"]
        integration, method, version, group = spec["integration"], spec["method"], spec["version"], spec["group"]

        def validation() -> dict:
            return {"type": "", "condition": None, "regex": "", "mandatory": False, "format_validator": None}

        request_parameters = [{
            "order": 0, "id": uid(self.stem, node_id, "tenant_identifier"), "name": "tenant_identifier",
            "path": None, "type": "header", "validation": validation(), "key": "X-ORGANIZATION-ID",
            "debugKey": False, "node_ui_type": "admin", "node_ui_group_name": "hide",
            "ui_field_configuration": {"type": "text", "options": []}}]
        body, paths, node_input = [], [], {}
        for order, (display, key, value, where) in enumerate(fields):
            field_id = uid(self.stem, node_id, key)
            request_parameters.append({
                "order": order, "id": field_id, "name": display, "path": key if where == "body" else None,
                "value": value, "desc": value, "type": where, "validation": validation(), "key": key,
                "debugKey": False, "node_ui_type": "default", "node_ui_group_name": "default",
                "ui_field_configuration": {"type": "text", "options": []}})
            (body if where == "body" else paths).append({"name": display, "value": value, "id": field_id})
            node_input[key] = value
        response_parameters = [{
            "order": i, "id": uid(self.stem, node_id, "out", name), "name": name, "path": path, "value": "",
            "desc": "", "type": "body", "validation": validation(), "key": None, "debugKey": False,
            "node_ui_type": None, "node_ui_group_name": None, "ui_field_configuration": None}
            for i, (name, path) in enumerate(spec["outputs"])]
        container = f"https://example.invalid/integration_node_file_{spec['bundle']}.js"
        element = "node-ui-template" + spec["bundle"].rsplit("_", 1)[1]
        children = [
            {"tag": "param", "attributes": {"name": "referencekey", "type": "", "view": ""}, "text": integration},
            {"tag": "param", "attributes": {"name": "versionsList", "type": "", "view": ""}, "text": spec["versions"]},
            {"tag": "param", "attributes": {"name": "versionIds", "type": "versiondata"}, "text": "undefined"},
        ] + [{"tag": "event", "attributes": {"name": event, "type": port}, "text": ""}
             for event, port in PREBUILT_BUILTINS] + [
            param("integration_id", integration),
            param("client_uuid", uid("client", group)),
            param("node_uuid", ""),
            param("method_id", method),
            param("version_id", version),
            param("auth_id", -1),
            param("methodRequestParameters", request_parameters),
            param("methodRequestGroups", {}),
            param("methodGroupsOrder", []),
            param("methodResponseParameters", response_parameters),
            param("authorization", ""),
            param("headers", ""),
            param("request_body", body),
            param("url_parameters", []),
            param("path_parameters", paths),
            param("newEvents", spec["events"]),
            param("prevEvents", spec["events"]),
            param("custom_output_vars", [name for name, _ in spec["outputs"]]),
            param("node_heading", ""),
            param("resourceinfo", {"node_id": node_id, "node_name": label, "resource_list": [{
                "integration_id": integration, "method_id": method, "auth_id": -1, "group_id": group,
                "prebuilt_group_auth_id": uid("group-auth", group), "node_version_id": version}]}),
            param("oauthRequest", ""),
            param("viewmodeData", [{"name": "auth_id", "value": spec["auth_name"], "isNgSelectBox": True},
                                   {"name": "version_id", "value": ""},
                                   {"name": "method_id", "value": spec["method_name"]}]),
            param("isAuthPresent", True),
            param("isComponentNode", 1),
            param("container_name", container),
            param("nodeType", container),
            param("nodeInput", node_input),
            param("group_id", group),
            param("customUiAuthStatus", 0),
            param("customUiAuthId", ""),
            param("adminParameters", {"oauth_callbackurl_type": 1, "tenant_identifier": "", "domain": "",
                                      "integration_identifier": "https://example.invalid/v1/integration/"
                                                                + ("cnteng" if group == ENGAGE_GROUP else "cntcce")}),
            param("customuiWebcomponentElementName", element),
            param("extraParamsData", json.loads(json.dumps(node_input))),
            param("isCustomUiAuthPresent", True),
            param("integration_version", 3),
            param("runTimeAuthorizationId", ""),
            param("nodeUiAuthorizationId", ""),
        ] + self._sessions(node_id, sessions)
        image = "https://example.invalid/integration/" + ("WebexEngage.svg" if group == ENGAGE_GROUP
                                                          else "CiscoCCE.svg")
        value = {"tag": "prebuiltnode", "attributes": {
            "defaulttemplate": "deftemplate", "image": image, "infolabel": short_id(self.stem, node_id, n=10),
            "label": label, "name": spec["name"], "paramhide": True,
            "templatedialog": [{"name": "deftemplate", "label": "test", "key": "prebuiltnode",
                                "size": {"width": "$(width-integration)", "height": "$(height-integration)"}}],
            "type": "PrebuiltNode", "updatedImage": image, "updatedimage": image, "updatedon": UPDATED_ON,
            "versionidsstr": spec["versions"], "view_restrict": True}, "children": children}
        outcomes = [(event, "builtin", port) for event, port in PREBUILT_BUILTINS]
        outcomes += [(e["name"], "custom", "MP" if e["type"] == S else "BP") for e in spec["events"]]
        return self._add(node_id, value, outcomes)

    # -- send and receive ---------------------------------------------------------------
    def send(self, node_id: int, channel: str, label: str, message: str, destination: str,
             **extra: object) -> int:
        spec = SENDS[channel]
        if channel == "sms":
            resources = [{"resource_name": "senderid", "resource_values": [SAMPLE_SMS_NUMBER]}]
            view = [{"name": "senderid", "value": SAMPLE_SMS_NUMBER}, {"name": "shortLinkId", "value": ""},
                    {"name": "cnctTempId", "value": ""}, {"name": "domain", "value": ""},
                    {"name": "notifyurl_authid", "value": ""}]
        else:
            resources, view = [], []
        children = [
            {"tag": "param", "attributes": {"label": "Remove Wait For", "name": "hideWaitFor"}, "text": False},
            {"tag": "event", "attributes": {"name": "onerror", "targetcount": 1}, "text": ""},
            param("messagetype", 1), param("message", message), param("senderid", ""), param("expiry", ""),
            param("timeout", ""), param("expiryType", ""), param("channelId", spec["channelId"]),
            param("senderidViewFlag", False), param("deliverychannel", spec["deliverychannel"]),
            param("callbackdata", ""), param("correlationid", ""), param("destination", destination),
            param("destinationType", spec["destinationType"]),
        ] + [param(key, value) for key, value in extra.items()] + [
            param("successoutcome", 1), param("notifyurl", ""), param("linkValidityCheck", False),
            param("shortLinkId", ""), param("linkValidityTime", ""), param("extraParameters", {}),
            param("resourceinfo", {"node_id": node_id, "node_name": spec["name"], "resource_list": resources}),
            param("viewmodeData", view), param("templateId", ""), param("cnctTempId", ""),
            param("template_object", {}), param("isTemplateDynamic", False), param("shortenLinks", False),
            param("trackClicks", False), param("notifyAuthorization", ""), param("notifyurl_authid", ""),
            param("authorizationViewFlag", ""),
        ]
        value = {"tag": "umppublic", "attributes": {
            "image": spec["image"], "infolabel": "sendsms", "key": "sendsms", "label": label,
            "name": spec["name"], "paramhide": True, "type": "UmpPublic", "updatedImage": spec["image"],
            "updatedimage": spec["image"], "updatedon": UPDATED_ON, "view_restrict": True},
            "children": children}
        return self._add(node_id, value, [("onsuccess", "send", "MP"), ("onerror", "send", "BP"),
                                          ("onpolicyfail", "send", "BP")])

    def receive(self, node_id: int, channel: str, label: str, timeout: int, sender: str, thread: str = "",
                outputs: list[str] | None = None, sessions: list[tuple[str, str]] | None = None) -> int:
        event = RECEIVE_EVENTS[channel]
        names = {"sms": "SMS", "livechat": "In-app messaging", "livechat_form": "In-app messaging",
                 "messenger": "Messenger", "whatsapp": "WhatsApp"}
        ids = {"sms": 1, "livechat": 15, "livechat_form": 15, "messenger": 5, "whatsapp": 8}
        data = [{"id": ids[channel], "name": names[channel], "from": sender, "threadid": thread,
                 "events": [{"name": event.split(".", 1)[1]}]}]
        if channel == "livechat_form":
            data[0].update({"templateId": "", "templateName": "PreChatForm", "templateVars": [], "tempId": ""})
        view = [{"isopen": True, "name": names[channel], "icon": channel.split("_")[0],
                 "index": short_id(self.stem, node_id, n=4), "id": ids[channel],
                 "title": f"Receive {names[channel]}", "params": {"from": sender},
                 "desc": "event is triggered when a new message is received from the user on this channel"}]
        resources = ([{"resource_name": "senderid", "channel_id": 1, "resource_values": [SAMPLE_SMS_NUMBER],
                       "keyword": "*"}] if channel == "sms" else [])
        children = [
            {"tag": "event", "attributes": {"name": "ontimeout", "targetcount": 1}, "text": ""},
            {"tag": "event", "attributes": {"name": "onerror", "targetcount": 1}, "text": ""},
            param("timeout", timeout), param("senderidViewFlag", False), param("read_receipts", False),
            param("data", data),
            param("resourceinfo", {"node_id": node_id, "node_name": "Receive", "resource_list": resources}),
            param("viewData", view),
            param("output_variables", outputs or ["receive.message"]),
        ] + self._sessions(node_id, sessions)
        value = {"tag": "receive", "attributes": {
            "image": "recieve-sms.svg", "key": "receive", "label": label, "name": "Receive", "paramhide": True,
            "type": "Receive", "updatedimage": "recieve-sms.svg", "updatedon": UPDATED_ON,
            "view_restrict": True}, "children": children}
        return self._add(node_id, value, [(event, "receive", "MP"), ("ontimeout", "builtin", "TP"),
                                          ("onerror", "builtin", "BP")])

    # -- wiring --------------------------------------------------------------------------
    def _check(self, node_id: int, event: str) -> None:
        known = {e for e, _, _ in self.outcomes[node_id]}
        assert event in known, f"{self.stem}: node {node_id} has no outcome {event!r} ({sorted(known)})"
        assert event not in self.routed[node_id], f"{self.stem}: node {node_id} routes {event!r} twice"
        self.routed[node_id].add(event)

    def edge(self, source: int, events: str | tuple[str, ...], target: int) -> None:
        for event in (events,) if isinstance(events, str) else events:
            self._check(source, event)
            self.edges.append((source, event, target))

    def end(self, source: int, events: str | tuple[str, ...], exit_result: int | None = None) -> None:
        for event in (events,) if isinstance(events, str) else events:
            self._check(source, event)
            self.ends.append((source, event, exit_result))

    # -- output ----------------------------------------------------------------------------
    def _outcome(self, node_id: int, event: str) -> tuple[str, str]:
        for name, kind, port in self.outcomes[node_id]:
            if name == event:
                return kind, port
        raise KeyError(event)

    def _edge_value(self, source: int, event: str) -> dict:
        kind, port = self._outcome(source, event)
        if kind == "evaluate":
            return {"label": "Success", "name": 1, "optionNodeType": "option", "porttype": "MP", "type": "EDGE",
                    "value": "Success"}
        if kind == "option":
            return {"duplicatetarget": False, "edgeConfig": "$(name)", "label": event, "name": event,
                    "optionNodeType": "option", "porttype": port, "type": "EDGE", "value": event}
        label = EVENT_LABEL.get(event, "") if kind in ("builtin", "send") else ""
        return {"duplicatetarget": False, "label": label, "name": event, "optionNodeType": "default",
                "porttype": port, "type": "EDGE", "value": event}

    def _end_value(self, source: int, event: str, exit_result: int | None) -> dict:
        kind, port = self._outcome(source, event)
        if exit_result is None:
            exit_result = EXIT_SUCCESS if port == "MP" else EXIT_ERROR
        value = {}
        if kind == "option":
            value["edgeConfig"] = "$(name)"
        value.update({"eventtype": "option" if kind == "option" else "default",
                      "label": EVENT_LABEL.get(event, event) if kind in ("builtin", "send") else event,
                      "name": event, "nodeLabel": "End", "nodeType": "end"})
        if kind in ("custom", "send"):
            value["parentInfo"] = {"name": event}
        value.update({"portType": port, "sessionRetryFlag": 0, "type": "EN", "value": event,
                      "data": {"parentNode": source, "type": "end"},
                      "params": [{"name": "nodeEvent", "value": event}, {"name": "sessionRetry", "value": ""},
                                 {"name": "exitResult", "value": exit_result},
                                 {"name": "asyncCheck", "value": False}]})
        return value

    def _references(self) -> dict[int, dict[str, list[dict]]]:
        """Node references per consuming node: params -> _usedVars, transition actions -> _usedTransVar."""
        found: dict[int, dict[str, list[dict]]] = {}
        for node_id, cell in self.nodes.items():
            used: dict[str, list[dict]] = {"_usedVars": [], "_usedTransVar": []}
            for item in cell["value"]["children"]:
                key = "_usedTransVar" if item["tag"] in ("session", "log") else "_usedVars"
                if item["tag"] not in ("param", "session", "log"):
                    continue
                for ref in _REF.findall(json.dumps(item["text"])):
                    match = _NODE_REF.match(ref)
                    if match and all(entry["fullPath"] != ref for entry in used[key]):
                        used[key].append({"id": f"n{match[1]}", "nodeId": int(match[1]), "param": match[2],
                                          "fullPath": ref, "source": node_id})
            found[node_id] = used
        return found

    def build(self) -> dict:
        for node_id, outcomes in self.outcomes.items():  # every outcome goes somewhere
            for event, kind, _ in outcomes:
                if event in self.routed[node_id]:
                    continue
                assert kind not in ("evaluate", "receive") and event != "onbegin", \
                    f"{self.stem}: node {node_id} leaves {event!r} unrouted"
                self.end(node_id, event)
        for source, event, target in self.edges:
            assert target in self.nodes, f"{self.stem}: edge {source}:{event} to unknown node {target}"
        references = self._references()
        outputs = {}
        for node_id, cell in self.nodes.items():
            params = {c["attributes"]["name"]: c["text"] for c in cell["value"]["children"] if c["tag"] == "param"}
            outputs[node_id] = list(params.get("output_variables") or params.get("custom_output_vars") or [])
        stores: dict[int, list[tuple[str, int]]] = {}
        for consumer, used in references.items():
            for entry in used["_usedVars"] + used["_usedTransVar"]:
                pair = (entry["fullPath"], consumer)
                if entry["nodeId"] in self.nodes and pair not in stores.setdefault(entry["nodeId"], []):
                    stores[entry["nodeId"]].append(pair)
        for producer, pairs in stores.items():
            for full_path, consumer in pairs:
                self.nodes[producer]["value"]["children"].append({
                    "tag": "nodevariablestore", "attributes": {"name": full_path, "source": consumer},
                    "text": "$(" + full_path.split(".", 1)[1] + ")"})
        copy_used = {str(n): {"_usedVars": references[n]["_usedVars"],
                              "_usedTransVar": references[n]["_usedTransVar"],
                              "_dynamicVar": outputs[n] if n == 2 else [], "_dynamicTransVar": [],
                              "_usedStreamVar": []} for n in sorted(self.nodes)}
        workflow = {"id": "1", "parent": "0", "vertex": False, "edge": False, "value": {
            "tag": "workflowdata", "attributes": {
                "copy_used_vars": copy_used,
                "dynamic_output_vars": {str(n): outputs[n] for n in sorted(self.nodes)},
                "logbooks": [], "node_group_info": {}, "notes": {"nodes": {}, "workflow": {}},
                "start_node_info": self.start_info}, "text": ""}}
        cells = [workflow] + [self.nodes[n] for n in sorted(self.nodes)]
        next_end = (max(self.nodes) // 100 + 1) * 100
        containers: dict[tuple[int, str], str] = {}
        for i, (source, event, exit_result) in enumerate(sorted(self.ends, key=lambda e: (e[0], str(e[1])))):
            value = self._end_value(source, event, exit_result)
            parent = containers.setdefault((source, value["portType"]), str(5150000 + len(containers) + 1))
            cells.append({"id": str(next_end + i), "parent": parent, "vertex": True, "edge": False, "value": value})
        for i, (source, event, target) in enumerate(self.edges):
            cells.append({"id": str(5140001 + i), "parent": "1", "vertex": False, "edge": True,
                          "source": str(source), "target": str(target), "value": self._edge_value(source, event)})
        return {"flowId": self.flow_id, "cells": cells, "customVariables": self.variables, "outcomes": OUTCOMES}


# -- shared field sets -------------------------------------------------------------
def kv(*items: tuple[str, str]) -> list[dict]:
    return [{"key": key, "type": "String", "value": value} for key, value in items]


def task_fields(*, task_id: str, conversation: str, destination: str, media_type: str, media_channel: str,
                script: str, customer_id: str, origin: str, customer_name: str, tracking: str,
                call: list[dict] | None = None, user: list[dict] | None = None,
                extension: list[dict] | None = None) -> list[tuple[str, str, object, str]]:
    """The CCE Create Task form (platform-facts §4.2)."""
    return [
        ("Domain", "domain", "$(domain)", "path"),
        ("Tracking ID", "trackingId", tracking, "body"),
        ("Task ID", "taskId", task_id, "body"),
        ("Disposition Code", "dispositionCode", "", "body"),
        ("Conversation ID", "conversationId", conversation, "body"),
        ("Destination", "destination", destination, "body"),
        ("Media Type", "mediaType", media_type, "body"),
        ("Media Channel", "mediaChannel", media_channel, "body"),
        ("Preferred Owner", "preferredOwner", "", "body"),
        ("Script Selector", "scriptSelector", script, "body"),
        ("Customer ID", "customerId", customer_id, "body"),
        ("Mobile Number (Origin)", "origin", origin, "body"),
        ("Customer Name", "customerName", customer_name, "body"),
        ("Call Variables", "callVariables", call or [], "body"),
        ("User Variables", "userVariables", user or [], "body"),
        ("Extension Variables", "extensionVariables", extension or [], "body"),
    ]


def end_task_fields(task_id: str, tracking: str) -> list[tuple[str, str, object, str]]:
    return [("Domain", "domain", "$(domain)", "path"), ("Tracking ID", "trackingId", tracking, "body"),
            ("Task ID", "taskId", task_id, "body"), ("Call Variables", "callVariables", [], "body"),
            ("User Variables", "userVariables", [], "body"),
            ("Extension Variables", "extensionVariables", [], "body")]


def search_fields(channel: str, customer: str, business: str, **more: str) -> list[tuple[str, str, object, str]]:
    fields = [("Channel", "channel", channel, "body"), ("Customer Address", "customeraddress", customer, "body"),
              ("Biz Address", "bizaddress", business, "body")]
    labels = {"subject": "Subject", "threadid": "Thread ID", "browserfingerprint": "Browser Fingerprint",
              "toRecipients": "To Recipients", "ccRecipients": "CC Recipients", "inReplyTo": "In Reply To"}
    return fields + [(labels[k], k, v, "body") for k, v in more.items()]


def simple_fields(*items: tuple[str, str, object]) -> list[tuple[str, str, object, str]]:
    return [(display, key, value, "body") for display, key, value in items]


def update_fields(conversation: str, task_id: str) -> list[tuple[str, str, object, str]]:
    return simple_fields(("Conversation ID", "conversationId", conversation), ("CCE Task ID", "taskId", task_id),
                         ("Status", "status", "queued"))


EXTRACT_CONTEXT = """var context = TaskContextVariables;
if (typeof context === "string" && context !== "") {
    context = JSON.parse(context);
}
context = context || {};
function extractVariable(name) {
    if (context[name] !== undefined && context[name] !== null) {
        return context[name];
    }
    return "";
}
"""

PCI_SCRIPT = """var messageFromCustomer = messagetext;
if (messagetext == "" || messagetext == null || messagetext == "undefined") {
    messageFromCustomer = "<del><no-text-sent></del>";
}
var attachments = [];
if (isPCIValidationDone == "NA" || isPCICompliance == "NA") {
    isPCICompliance = true;
}
"""


# -- the flows ----------------------------------------------------------------------------
def sms_inbound() -> FlowBuilder:
    f = FlowBuilder("sms-inbound", "41001")
    f.var("errorTechnicalIssue", "Sorry, we are facing a technical issue. Please try again later.")
    f.var("errorSendingMessage", "Unable to deliver your message. Please resend.")
    f.var("errorServiceNotAvailable", "The service is not available right now. Please try again later.")
    f.var("automatedResponse", "Welcome! Reply 1 for Sales or 2 for Support. Send End Conversation at any "
                               "time to stop.")
    f.vars("actual_message_content", "TaskID", "customer_response")
    f.var("ScriptSelector", "CCE_SMS_Support")
    f.var("ClosedMessage", "Your conversation has been closed. Message us again any time.")
    f.vars("isPCICompliance", "isPCIValidationDone", "senderNumber", "status", "userId")
    f.var("conversationId", "000000000000000")
    f.vars("domain", "searchResponse")

    f.channel_start("sms", sessions=[
        ("senderNumber", "$(n2.sms.senderNumber)"), ("userId", "$(n2.sms.senderNumber)"),
        ("actual_message_content", "$(n2.sms.message)"),
        ("isPCICompliance", "$(n2.sms.pciInfo.isPCICompliance)"),
        ("isPCIValidationDone", "$(n2.sms.pciInfo.isPCIValidationDone)")])
    f.evaluate(9, "Evaluate", """var tid = transid;
TaskID = tid.split('_')[0];
if (isPCIValidationDone == "NA" || isPCICompliance == "NA") {
    isPCICompliance = true;
}
actual_message_content = actual_message_content.trim();
1;""")
    f.prebuilt(12, "search", search_fields("sms", "$(n2.sms.senderNumber)", "$(n2.sms.serviceNumber)"),
               sessions=[("status", "$(n12.status)"), ("conversationId", "$(n12.conversationId)"),
                         ("searchResponse", "$(n12.responsePayload)")])
    f.prebuilt(14, "create", simple_fields(
        ("Channel", "channel", "sms"), ("Direction", "direction", "inbound"),
        ("Business Longcode/Shortcode", "bizaddress", "$(n2.sms.serviceNumber)"),
        ("Customer Mobile Number", "customeraddress", "$(n2.sms.senderNumber)"),
        ("Customer Name", "customername", "$(n2.sms.senderNumber)"),
        ("Text", "text", "$(actual_message_content)"), ("Timestamp (in UTC)", "timestamp", "$(n2.sms.timestamp)")),
        sessions=[("conversationId", "$(n14.TransId)")])
    f.send(15, "sms", "Welcome", "$(automatedResponse)", "$(n2.sms.senderNumber)")
    f.receive(16, "sms", "Service Choice", 300, "$(n2.sms.senderNumber)",
              sessions=[("customer_response", "$(n16.receive.message)")])
    f.evaluate(17, "Set Script Selector", """if (customer_response.trim() == "1") {
    ScriptSelector = "CCE_SMS_Sales";
} else {
    ScriptSelector = "CCE_SMS_Support";
}
1;""")
    f.prebuilt(18, "create_task", task_fields(
        task_id="$(TaskID)", tracking="$(n2.sms.transId)", conversation="$(conversationId)",
        destination="$(n2.sms.serviceNumber)",
        media_type="social", media_channel="sms", script="$(ScriptSelector)", customer_id="$(senderNumber)",
        origin="$(n2.sms.senderNumber)", customer_name="$(senderNumber)",
        call=kv(("cv_1", "$(senderNumber)")),
        user=kv(("user_DR_MediaResourceID", "$(conversationId)"), ("user_DR_CustomerName", "$(senderNumber)"))))
    f.prebuilt(19, "update", update_fields("$(conversationId)", "$(TaskID)"))
    f.branch(20, "End Conversation?", [("End Conversation", [("$(n2.sms.message)", "==", "End Conversation")])])
    f.evaluate(21, "Get Task ID", """var response = searchResponse;
if (typeof response === "string" && response !== "") {
    response = JSON.parse(response);
}
TaskID = (response && response.value && response.value.taskId) ? response.value.taskId : "";
1;""")
    f.prebuilt(22, "end_task", end_task_fields("$(TaskID)", "$(n2.sms.transId)"))
    f.prebuilt(23, "close", simple_fields(("Conversation ID", "conversationId", "$(conversationId)")))
    f.send(24, "sms", "Closed", "$(ClosedMessage)", "$(n2.sms.senderNumber)")
    f.prebuilt(25, "append", simple_fields(
        ("Conversation ID", "conversationId", "$(conversationId)"), ("Direction", "direction", "inbound"),
        ("Text", "text", "$(actual_message_content)"), ("Timestamp (in UTC)", "timestamp", "$(n2.sms.timestamp)")))
    f.send(30, "sms", "Technical Issue", "$(errorTechnicalIssue)", "$(n2.sms.senderNumber)")

    f.edge(2, "onbegin", 9)
    f.edge(9, "1", 12)
    f.edge(12, ("noConversationFound", "conversationClosed"), 14)
    f.edge(12, ("conversationInQueue", "conversationActive"), 20)
    f.edge(12, ("onauthorizationfail", "onerror", "ontimeout"), 30)
    f.edge(14, "onConversationCreated", 15)
    f.edge(14, ("onConversationFailed", "Failure", "onauthorizationfail", "onerror"), 30)
    f.edge(15, "onsuccess", 16)
    f.edge(16, "sms.mo", 17)
    f.edge(17, "1", 18)
    f.edge(18, TASK_SUCCESS, 19)
    f.edge(18, TASK_FAILURE, 30)
    f.edge(20, "End Conversation", 21)
    f.edge(20, "None of the above", 25)
    f.edge(21, "1", 22)
    f.edge(22, "Success", 23)
    f.edge(22, ("Error", "onauthorizationfail"), 30)
    f.edge(23, "onConversationClosed", 24)
    f.edge(25, ("onAppendMessageFailure", "Failure"), 30)
    return f


def email_inbound() -> FlowBuilder:
    f = FlowBuilder("email-inbound", "41002")
    f.var("bizemailid", TEMPLATE_BIZ_EMAIL)
    f.vars("messagetext", "messageHTML", "messageStrippedText", "messageStrippedHTML", "modifiedInReplyTo")
    f.var("parsedattachments", "[]")
    f.vars("isPCICompliance", "isPCIValidationDone", "nonPCIComplianceReasonObject")
    f.var("conversationId", "000000000000000")
    f.var("errorTechnicalIssue", "Sorry, we could not process your email. Please try again later.")
    f.var("sensitiveDataMessage", "Your email contained sensitive data, which was removed before it reached "
                                  "our agents.")
    f.vars("flid", "domain")

    f.channel_start("email", sessions=[
        ("messagetext", "$(n2.email.message)"), ("messageHTML", "$(n2.email.htmlMessage)"),
        ("messageStrippedText", "$(n2.email.strippedText)"), ("messageStrippedHTML", "$(n2.email.strippedHTML)"),
        ("modifiedInReplyTo", "$(n2.email.inReplyTo)"), ("parsedattachments", "$(n2.email.attachments)"),
        ("isPCICompliance", "$(n2.email.pciInfo.isPCICompliance)"),
        ("isPCIValidationDone", "$(n2.email.pciInfo.isPCIValidationDone)"),
        ("nonPCIComplianceReasonObject", "$(n2.email.pciInfo.nonPCIComplianceReason)")])
    f.evaluate(9, "Parse Variables", """var tid = transid;
flid = tid.split('_')[0];
if (typeof modifiedInReplyTo != 'undefined' && modifiedInReplyTo.length > 0) {
    modifiedInReplyTo = '"' + modifiedInReplyTo + '"';
} else {
    modifiedInReplyTo = '""';
}
if (messageHTML === "" || messageHTML == null) {
    messageHTML = "<p>" + messagetext + "</p>";
}
if (isPCIValidationDone == "NA" || isPCICompliance == "NA") {
    isPCICompliance = true;
}
1;""")
    f.branch(10, "PCI Check", [("Sensitive Data", [("$(isPCICompliance)", "==", "false")])])
    f.send(11, "email", "Sensitive Data Notice", "$(sensitiveDataMessage)", "$(n2.email.emailId)",
           subject="RE: $(n2.email.subject)")
    f.prebuilt(12, "search", search_fields(
        "email", "$(n2.email.emailId)", "$(bizemailid)", subject="$(n2.email.subject)",
        toRecipients="$(n2.email.toAddresses)", ccRecipients="$(n2.email.ccRecipients)",
        inReplyTo="$(modifiedInReplyTo)"),
        sessions=[("conversationId", "$(n12.conversationId)")])
    f.prebuilt(14, "create", simple_fields(
        ("Channel", "channel", "email"), ("Direction", "direction", "inbound"),
        ("Business Email ID", "bizemailid", "$(bizemailid)"), ("From Email ID", "fromemailid", "$(n2.email.emailId)"),
        ("Timestamp (in UTC)", "timestamp", "$(n2.email.timestamp)"),
        ("From Address", "fromaddress", "$(n2.email.emailId)"),
        ("To Recipients", "toRecipients", "$(n2.email.toAddresses)"),
        ("CC Recipients", "ccRecipients", "$(n2.email.ccRecipients)"), ("Subject", "subject", "$(n2.email.subject)"),
        ("Email Headers", "headers", "$(n2.email.headers)"), ("Plain Body", "plainbody", "$(messageStrippedText)"),
        ("HTML Body", "htmlbody", "$(messageHTML)"), ("Stripped HTML", "strippedhtml", "$(messageStrippedHTML)"),
        ("Attachments", "attachments", "$(parsedattachments)")),
        sessions=[("conversationId", "$(n14.TransId)")])
    f.prebuilt(18, "create_task", task_fields(
        task_id="$(flid)", tracking="$(n2.email.transId)", conversation="$(conversationId)",
        destination="$(n2.email.appId)", media_type="email",
        media_channel="email", script="Insurance", customer_id="$(n2.email.emailId)", origin="$(n2.email.emailId)",
        customer_name="$(n2.email.senderName)",
        user=kv(("user_DR_MediaResourceID", "$(conversationId)"), ("user_DR_CustomerName", "$(n2.email.senderName)")),
        extension=kv(("EmailMessageID", "$(n2.email.messageId)"), ("EmailSubject", "$(n2.email.subject)"),
                     ("EmailCCRecipients", "$(n2.email.ccRecipients)"),
                     ("EmailBCCRecipients", "$(n2.email.bccRecipients)"))))
    f.prebuilt(19, "update", update_fields("$(conversationId)", "$(flid)"))
    f.prebuilt(22, "append", simple_fields(
        ("Conversation ID", "conversationId", "$(conversationId)"), ("Direction", "direction", "inbound"),
        ("Subject", "subject", "$(n2.email.subject)"), ("Plain Body", "plainbody", "$(messageStrippedText)"),
        ("HTML Body", "htmlbody", "$(messageHTML)"), ("Attachments", "attachments", "$(parsedattachments)"),
        ("Timestamp (in UTC)", "timestamp", "$(n2.email.timestamp)")))
    f.send(30, "email", "Technical Issue", "$(errorTechnicalIssue)", "$(n2.email.emailId)",
           subject="RE: $(n2.email.subject)")

    f.edge(2, "onbegin", 9)
    f.edge(9, "1", 10)
    f.edge(10, "Sensitive Data", 11)
    f.edge(10, "None of the above", 12)
    f.edge(11, ("onsuccess", "onerror", "onpolicyfail"), 12)
    f.edge(12, ("noConversationFound", "conversationClosed"), 14)
    f.edge(12, ("conversationInQueue", "conversationActive"), 22)
    f.edge(12, ("onauthorizationfail", "onerror", "ontimeout"), 30)
    f.edge(14, "onConversationCreated", 18)
    f.edge(14, ("onConversationFailed", "Failure", "onauthorizationfail", "onerror"), 30)
    f.edge(18, TASK_SUCCESS, 19)
    f.edge(18, TASK_FAILURE, 30)
    f.edge(22, ("onAppendMessageFailure", "Failure"), 30)
    return f


LIVECHAT_VARIABLES = [
    ("appid", TEMPLATE_LIVECHAT_APP_ID), ("message", ""), ("inappPayloadObject", ""),
    ("nonPCIComplianceReasonObject", ""), ("messagetext", ""), ("domain", ""),
    ("conversationId", "000000000000000"),
    ("errorTechnicalIssue", "Sorry, we are facing a technical issue. Please try again later."),
    ("errorSendingMessage", "Unable to deliver your message. Please resend."),
    ("liveChatDomain", TEMPLATE_LIVECHAT_DOMAIN),
    ("err_msg_toomanyrequests", "There are too many requests currently. Please try again later."),
    ("parseDataAttachment", "[]"), ("isPCICompliance", ""), ("isPCIValidationDone", ""),
]
LIVECHAT_FORM_OUTPUTS = ["inappmessaging.formFields.Name", "inappmessaging.formFields.Email",
                         "inappmessaging.formFields.Phone", "inappmessaging.formFields.Query",
                         "inappmessaging.message", "inappmessaging.timestamp"]
LIVECHAT_START_SESSIONS = [
    ("message", "$(n2.inappmessaging.message)"), ("messagetext", "$(n2.inappmessaging.message)"),
    ("inappPayloadObject", "$(n2.inappmessaging.attachment)"),
    ("nonPCIComplianceReasonObject", "$(n2.inappmessaging.pciInfo.nonPCIComplianceReason)"),
    ("isPCICompliance", "$(n2.inappmessaging.pciInfo.isPCICompliance)"),
    ("isPCIValidationDone", "$(n2.inappmessaging.pciInfo.isPCIValidationDone)")]
TYPING_FILTER = [("inappmessaging.message", "notequals", "typing_indicator")]


def _livechat_front(f: FlowBuilder, extra_sessions: list[tuple[str, str]] = (), pci_notice: bool = True) -> None:
    """Start, Evaluate, PCI check and Search Conversation shared by both Live Chat inbound flows."""
    f.channel_start("livechat", sessions=LIVECHAT_START_SESSIONS + list(extra_sessions), conditions=TYPING_FILTER)
    f.evaluate(9, "Parse Variables", "var tid = transid;\nflid = tid.split('_')[0];\n" + PCI_SCRIPT + """
if (inappPayloadObject !== "" && inappPayloadObject !== null) {
    attachments = JSON.parse(inappPayloadObject);
}
parseDataAttachment = JSON.stringify(attachments);
1;""")
    if pci_notice:
        f.branch(10, "PCI Check", [("Sensitive Data", [("$(isPCICompliance)", "==", "false")])])
        f.send(11, "livechat", "Sensitive Data Notice",
               "Your message contained sensitive data, which was removed before it reached our agents.",
               "$(n2.inappmessaging.userId)", thread_id="$(n2.inappmessaging.threadId)", msgType="msg")
    f.prebuilt(12, "search", search_fields(
        "livechat", "$(n2.inappmessaging.userId)", "$(appid)", threadid="$(n2.inappmessaging.threadId)",
        browserfingerprint=""),
        sessions=[("conversationId", "$(n12.conversationId)")])
    f.edge(2, "onbegin", 9)
    if pci_notice:
        f.edge(9, "1", 10)
        f.edge(10, "Sensitive Data", 11)
        f.edge(10, "None of the above", 12)
        f.edge(11, ("onsuccess", "onerror", "onpolicyfail"), 12)
    else:
        f.edge(9, "1", 12)


def _livechat_create(f: FlowBuilder) -> None:
    f.prebuilt(14, "create", simple_fields(
        ("Channel", "channel", "livechat"), ("Direction", "direction", "inbound"),
        ("Customer Name", "customername", "Customer"), ("Thread ID", "threadid", "$(n2.inappmessaging.threadId)"),
        ("Live Chat User ID", "userid", "$(n2.inappmessaging.userId)"),
        ("Live Chat App ID", "appid", "$(n2.inappmessaging.appId)"),
        ("Live Chat Website Domain", "domain", "$(liveChatDomain)"), ("Text", "text", "$(message)"),
        ("Timestamp (in UTC)", "timestamp", "$(n2.inappmessaging.timestamp)"),
        ("Attachments", "attachments", "$(parseDataAttachment)")),
        sessions=[("conversationId", "$(n14.TransId)")])
    f.send(15, "livechat", "Pre-Chat Form", "Please tell us a little about yourself.",
           "$(n2.inappmessaging.userId)", thread_id="$(n2.inappmessaging.threadId)", msgType="form",
           templateInfo={"name": "PreChatForm"})


def _livechat_append(f: FlowBuilder, node_id: int) -> None:
    f.prebuilt(node_id, "append", simple_fields(
        ("Conversation ID", "conversationId", "$(conversationId)"), ("Direction", "direction", "inbound"),
        ("Text", "text", "$(message)"), ("Timestamp (in UTC)", "timestamp", "$(n2.inappmessaging.timestamp)"),
        ("Attachments", "attachments", "$(parseDataAttachment)")))


def livechat_inbound() -> FlowBuilder:
    f = FlowBuilder("livechat-inbound", "41003")
    for name, value in LIVECHAT_VARIABLES:
        f.var(name, value)
    f.var("flid")
    _livechat_front(f)
    _livechat_create(f)
    f.receive(16, "livechat_form", "Pre-Chat Form Response", 600, "$(n2.inappmessaging.userId)",
              thread="$(n2.inappmessaging.threadId)", outputs=LIVECHAT_FORM_OUTPUTS)
    f.prebuilt(18, "create_task", task_fields(
        task_id="$(flid)", tracking="$(n2.inappmessaging.tid)", conversation="$(conversationId)",
        destination="$(n2.inappmessaging.appId)",
        media_type="chat", media_channel="chat", script="$(n16.inappmessaging.formFields.Query)",
        customer_id="$(n16.inappmessaging.formFields.Email)", origin="$(n2.inappmessaging.userId)",
        customer_name="$(n16.inappmessaging.formFields.Name)",
        user=kv(("user_DR_MediaResourceID", "$(conversationId)"),
                ("user_DR_CustomerName", "$(n16.inappmessaging.formFields.Name)")),
        extension=kv(("ChatThreadID", "$(n2.inappmessaging.threadId)"))))
    f.prebuilt(19, "update", update_fields("$(conversationId)", "$(flid)"))
    _livechat_append(f, 22)
    f.send(30, "livechat", "Technical Issue", "$(errorTechnicalIssue)", "$(n2.inappmessaging.userId)",
           thread_id="$(n2.inappmessaging.threadId)", msgType="msg")

    f.edge(12, ("noConversationFound", "conversationClosed"), 14)
    f.edge(12, ("conversationInQueue", "conversationActive"), 22)
    f.edge(12, ("onauthorizationfail", "onerror", "ontimeout"), 30)
    f.edge(14, "onConversationCreated", 15)
    f.edge(14, ("onConversationFailed", "Failure", "onauthorizationfail", "onerror"), 30)
    f.edge(15, "onsuccess", 16)
    f.edge(16, "app.onformresponse", 18)
    f.edge(18, TASK_SUCCESS, 19)
    f.edge(18, TASK_FAILURE, 30)
    f.edge(22, ("onAppendMessageFailure", "Failure"), 30)
    return f


def livechat_customer_close() -> FlowBuilder:
    f = FlowBuilder("livechat-customer-close", "41004")
    f.vars("status", "userId")
    f.var("conversationId", "000000000000000")
    f.vars("TaskID", "searchResponse", "domain")
    f.var("CustomerEndedAgentMessage", "The customer has closed the chat window.")

    f.channel_start("livechat_close", sessions=[("userId", "$(n2.inappmessaging.userId)")],
                    conditions=[("inappmessaging.reasonForThreadClosure", "containsignorecase",
                                 "Customer ended the conversation")])
    f.prebuilt(12, "search", search_fields(
        "livechat", "$(userId)", "$(n2.inappmessaging.appId)", threadid="$(n2.inappmessaging.threadId)",
        browserfingerprint=""),
        sessions=[("status", "$(n12.status)"), ("conversationId", "$(n12.conversationId)"),
                  ("searchResponse", "$(n12.responsePayload)")])
    f.evaluate(13, "Get Task ID", """var response = searchResponse;
if (typeof response === "string" && response !== "") {
    response = JSON.parse(response);
}
TaskID = (response && response.value && response.value.taskId) ? response.value.taskId : "";
1;""")
    f.prebuilt(14, "end_task", end_task_fields("$(TaskID)", "$(n2.inappmessaging.tid)"))
    f.prebuilt(15, "close", simple_fields(("Conversation ID", "conversationId", "$(conversationId)")))
    f.prebuilt(16, "append", simple_fields(
        ("Conversation ID", "conversationId", "$(conversationId)"), ("Direction", "direction", "announcement"),
        ("Text", "text", "$(CustomerEndedAgentMessage)"),
        ("Timestamp (in UTC)", "timestamp", "$(n2.inappmessaging.timestamp)")))

    f.edge(2, "onbegin", 12)
    f.edge(12, "conversationInQueue", 13)
    f.edge(12, "conversationActive", 16)
    f.edge(13, "1", 14)
    f.edge(14, "Success", 15)
    return f


def livechat_webcallback() -> FlowBuilder:
    f = FlowBuilder("livechat-webcallback", "41005")
    for name, value in LIVECHAT_VARIABLES:
        f.var(name, value)
    f.vars("currentTaskState", "CallbackRequested", "CustomerPhoneNumber", "CustomerName", "CustomerID")
    f.var("ScriptSelector", "CCE_Chat_Support")
    f.vars("ChatThreadID", "ChatUserID")
    f.var("errorCallbackFailed", "Sorry, we could not book your callback. Please stay on the chat.")
    f.var("errorEndTaskFailed", "Sorry, we could not switch you to a callback. Please stay on the chat.")
    f.vars("flid", "taskid_Callback", "chatTaskId", "searchResponse")

    _livechat_front(f, [("ChatThreadID", "$(n2.inappmessaging.threadId)"),
                        ("ChatUserID", "$(n2.inappmessaging.userId)")], pci_notice=False)
    f.nodes[12]["value"]["children"].append(
        session(f.stem, 12, 1, "currentTaskState", "$(n12.status)"))
    f.nodes[12]["value"]["children"].append(
        session(f.stem, 12, 2, "searchResponse", "$(n12.responsePayload)"))
    _livechat_create(f)
    f.receive(16, "livechat_form", "Pre-Chat Form Response", 600, "$(n2.inappmessaging.userId)",
              thread="$(n2.inappmessaging.threadId)", outputs=LIVECHAT_FORM_OUTPUTS,
              sessions=[("CustomerName", "$(n16.inappmessaging.formFields.Name)"),
                        ("CustomerID", "$(n16.inappmessaging.formFields.Email)"),
                        ("CustomerPhoneNumber", "$(n16.inappmessaging.formFields.Phone)"),
                        ("ScriptSelector", "$(n16.inappmessaging.formFields.Query)")])
    f.prebuilt(17, "create_task", task_fields(
        task_id="$(flid)", tracking="$(n2.inappmessaging.tid)", conversation="$(conversationId)",
        destination="$(n2.inappmessaging.appId)",
        media_type="chat", media_channel="chat", script="$(ScriptSelector)", customer_id="$(CustomerID)",
        origin="$(ChatUserID)", customer_name="$(CustomerName)",
        user=kv(("user_DR_MediaResourceID", "$(conversationId)"), ("user_DR_CustomerName", "$(CustomerName)")),
        extension=kv(("ChatThreadID", "$(ChatThreadID)"))))
    f.prebuilt(18, "update", update_fields("$(conversationId)", "$(flid)"))
    f.receive(19, "livechat", "Wait In Queue", 60, "$(ChatUserID)", thread="$(ChatThreadID)",
              outputs=["inappmessaging.message", "inappmessaging.timestamp"])
    f.branch(20, "Callback Reply?", [("Callback", [("$(messagetext)", "==", "YES"),
                                                   ("$(messagetext)", "==", "yes")])])
    f.evaluate(21, "Prepare Callback", """var response = searchResponse;
if (typeof response === "string" && response !== "") {
    response = JSON.parse(response);
}
chatTaskId = (response && response.value && response.value.taskId) ? response.value.taskId : "";
CallbackRequested = true;
taskid_Callback = chatTaskId + "_Callback";
1;""")
    f.prebuilt(22, "end_task", end_task_fields("$(chatTaskId)", "$(n2.inappmessaging.tid)"))
    f.prebuilt(23, "create_task", task_fields(
        task_id="$(taskid_Callback)", tracking="$(n2.inappmessaging.tid)", conversation="$(conversationId)",
        destination="$(n2.inappmessaging.appId)",
        media_type="Web Callback", media_channel="Web Callback", script="$(ScriptSelector)_Callback",
        customer_id="$(CustomerID)", origin="$(CustomerPhoneNumber)", customer_name="$(CustomerName)",
        user=kv(("user_DR_MediaResourceID", "$(conversationId)"), ("user_DR_CustomerName", "$(CustomerName)")),
        extension=kv(("LiveChatUserID", "$(ChatUserID)"), ("LiveChatThreadID", "$(ChatThreadID)"),
                     ("LiveChatAppID", "$(n2.inappmessaging.appId)"))), label="Web Callback")
    f.send(24, "livechat", "Callback Booked", "Thanks! An agent will call you shortly.", "$(ChatUserID)",
           thread_id="$(ChatThreadID)", msgType="msg")
    f.send(25, "livechat", "Offer Callback",
           "All our agents are busy. Reply YES if you would like us to call you back instead.",
           "$(ChatUserID)", thread_id="$(ChatThreadID)", msgType="msg")
    f.send(26, "livechat", "End Task Failed", "$(errorEndTaskFailed)", "$(ChatUserID)",
           thread_id="$(ChatThreadID)", msgType="msg")
    f.send(27, "livechat", "Callback Failed", "$(errorCallbackFailed)", "$(ChatUserID)",
           thread_id="$(ChatThreadID)", msgType="msg")
    _livechat_append(f, 28)
    f.send(30, "livechat", "Technical Issue", "$(errorTechnicalIssue)", "$(n2.inappmessaging.userId)",
           thread_id="$(n2.inappmessaging.threadId)", msgType="msg")

    f.edge(12, ("noConversationFound", "conversationClosed"), 14)
    f.edge(12, "conversationInQueue", 20)
    f.edge(12, "conversationActive", 28)
    f.edge(12, ("onauthorizationfail", "onerror", "ontimeout"), 30)
    f.edge(14, "onConversationCreated", 15)
    f.edge(14, ("onConversationFailed", "Failure", "onauthorizationfail", "onerror"), 30)
    f.edge(15, "onsuccess", 16)
    f.edge(16, "app.onformresponse", 17)
    f.edge(17, TASK_SUCCESS, 18)
    f.edge(17, TASK_FAILURE, 30)
    f.edge(18, ("onConversationUpdatedSuccess", "Success"), 19)
    f.edge(19, "ontimeout", 25)
    f.edge(19, "app.mo", 28)
    f.edge(20, "Callback", 21)
    f.edge(20, "None of the above", 28)
    f.edge(21, "1", 22)
    f.edge(22, "Success", 23)
    f.edge(22, ("Error", "onauthorizationfail", "onerror"), 26)
    f.edge(23, TASK_SUCCESS, 24)
    f.edge(23, TASK_FAILURE, 27)
    f.edge(28, ("onAppendMessageFailure", "Failure"), 30)
    return f


def webcallback_closed() -> FlowBuilder:
    f = FlowBuilder("webcallback-closed", "41006")
    f.var("TaskContextVariables")
    f.var("ClosedMessage", "Your chat has been closed. Thank you for contacting us.")
    f.vars("mediaResourceID", "LiveChatThreadID", "LiveChatAppID", "LiveChatUserID")
    f.var("WebCallbackMessage", "An agent has been assigned and will call you now.")
    f.var("IsWebCallbackRequested", False)
    f.var("WebCallbackAgentFound", False)

    f.webhook_start("CLOSED", ["chat"], sessions=[("TaskContextVariables", "$(n2.inboundWebhook.variables)")])
    f.evaluate(9, "Extract Task Context", EXTRACT_CONTEXT + """\
mediaResourceID = extractVariable("user_DR_MediaResourceID");
LiveChatThreadID = extractVariable("LiveChatThreadID") || extractVariable("ChatThreadID");
LiveChatAppID = extractVariable("LiveChatAppID");
LiveChatUserID = extractVariable("LiveChatUserID");
IsWebCallbackRequested = (LiveChatAppID !== "");
WebCallbackAgentFound = IsWebCallbackRequested && "$(n2.inboundWebhook.agentId)" !== "";
1;""")
    f.branch(10, "Callback State", [
        ("Callback Agent Found", [("$(WebCallbackAgentFound)", "==", "true")]),
        ("Chat Cancelled For Callback", [("$(IsWebCallbackRequested)", "==", "true")])])
    f.send(11, "livechat", "Web Callback Message", "$(WebCallbackMessage)", "$(LiveChatUserID)",
           thread_id="$(LiveChatThreadID)", msgType="msg")
    f.send(12, "livechat", "Closed Message", "$(ClosedMessage)", "$(n2.inboundWebhook.origin)",
           thread_id="$(LiveChatThreadID)", msgType="msg")
    f.prebuilt(13, "close", simple_fields(("Conversation ID", "conversationId", "$(mediaResourceID)")))

    f.edge(2, "onbegin", 9)
    f.edge(9, "1", 10)
    f.edge(10, "Callback Agent Found", 11)
    f.edge(10, "None of the above", 12)
    f.edge(11, "onsuccess", 13)
    f.edge(12, "onsuccess", 13)
    return f


SOCIAL_VARIABLES = [
    "messagetext", "messengerPayloadObject", "conversationId", "automatedresponse", "errorTechnicalIssue",
    "customerresponse", "ClosedMessage", "postbackresponse", "attachmentURL", "location", "customerName",
    "errorSendingMessage", "check_message_content", "actual_message_content", "locationURL", "latitude",
    "longitude", "contentType", "LocationLabel", "transId", "isPCIValidationDone", "droppedAttachmentCount",
    "isPCICompliance", "nonPCIComplianceReasonObject", "CustomerEndedAgentMessage", "ScriptSelector",
    "UtcConvertedTimeStamp", "AssignedAgentID", "ConversationStatus", "CCETaskID",
]
SOCIAL_DEFAULTS = {
    "conversationId": "000000000000000",
    "automatedresponse": "Hi! How can we help? Choose Sales or Support.",
    "errorTechnicalIssue": "Sorry, we are facing a technical issue. Please try again later.",
    "ClosedMessage": "Your conversation has been closed. Message us again any time.",
    "errorSendingMessage": "Unable to deliver your message. Please resend.",
    "CustomerEndedAgentMessage": "The customer has ended the conversation.",
    "ScriptSelector": "CCE_Social_Support", "droppedAttachmentCount": 0,
}


def _social(stem: str, flow_id: str, channel: str) -> FlowBuilder:
    """Facebook Messenger and WhatsApp inbound: the same shape, different channel fields."""
    f = FlowBuilder(stem, flow_id)
    fb = channel == "messenger"
    names = list(SOCIAL_VARIABLES)
    if fb:
        f.var("FBpageid", TEMPLATE_FB_PAGE_ID)
    else:
        names.insert(3, "WANumber")
        names += ["customerResponseTimestamp", "postbackResponseTimestamp", "messageTimestamp"]
    for name in names:
        if name == "WANumber":
            f.var("WANumber", TEMPLATE_WA_NUMBER)
        else:
            f.var(name, SOCIAL_DEFAULTS.get(name, ""))
    f.var("appid", TEMPLATE_FB_APP_ID if fb else TEMPLATE_WA_APP_ID)
    f.var("domain")
    ns = "messenger" if fb else "whatsapp"
    customer = "$(n2.messenger.psId)" if fb else "$(n2.whatsapp.waId)"
    business = "$(FBpageid)" if fb else "$(WANumber)"
    name_field = "$(n2.messenger.name)" if fb else "$(n2.whatsapp.username)"
    f.channel_start(channel, sessions=[
        ("messengerPayloadObject", f"$(n2.{ns}.attachments)"), ("messagetext", f"$(n2.{ns}.message)"),
        ("actual_message_content", f"$(n2.{ns}.message)"),
        ("attachmentURL", "$(n2.messenger.attachmentUrl)" if fb else "$(n2.whatsapp.attachments)"),
        ("customerName", name_field), ("transId", f"$(n2.{ns}.transId)"),
        ("isPCICompliance", f"$(n2.{ns}.pciInfo.isPCICompliance)"),
        ("isPCIValidationDone", f"$(n2.{ns}.pciInfo.isPCIValidationDone)"),
        ("nonPCIComplianceReasonObject", f"$(n2.{ns}.pciInfo.nonPCIComplianceReason)"),
        ("droppedAttachmentCount", f"$(n2.{ns}.pciInfo.droppedAttachmentCount)")]
        + ([] if fb else [("messageTimestamp", "$(n2.whatsapp.timestamp)")]))
    f.evaluate(9, "Evaluate", """transId = transId.split('_')[0];
check_message_content = messagetext;
if (customerName == null || customerName == "" || customerName == "unknown") {
    customerName = "User";
}
if (isPCIValidationDone == "NA" || isPCICompliance == "NA") {
    isPCICompliance = true;
}
UtcConvertedTimeStamp = new Date().toISOString();
1;""")
    f.prebuilt(12, "search", search_fields("facebook" if fb else "whatsapp", customer, business),
               sessions=[("conversationId", "$(n12.conversationId)"), ("ConversationStatus", "$(n12.status)")])
    create = [("Channel", "channel", "facebook" if fb else "whatsapp"), ("Direction", "direction", "inbound"),
              ("Facebook Page ID" if fb else "WA Business ID", "bizaddress", business),
              ("Facebook PS ID" if fb else "Customer ID", "customeraddress", customer),
              ("Customer Name", "customername", name_field),  # the Start's output, as seeds/001 gives it
              ("Message Type", "messagetype", "Text With Attachments"), ("Text", "text", "$(messagetext)"),
              ("Timestamp (in UTC)", "timestamp", f"$(n2.{ns}.timestamp)"),
              ("Attachments", "attachments", "$(messengerPayloadObject)")]
    f.prebuilt(14, "create", simple_fields(*create), sessions=[("conversationId", "$(n14.TransId)")])
    quick = {"options": [{"title": title, "identifier": title.lower(), "payload": title.lower(),
                          "type": "quickReplyPostback"} for title in ("Sales", "Support")]}
    if fb:
        f.send(15, "messenger", "Welcome Quick Reply", "$(automatedresponse)", customer, quickReplies=quick)
    else:
        f.send(15, "whatsapp", "Welcome Buttons", "$(automatedresponse)", customer, type="interactive",
               reply={"body": {"text": "$(automatedresponse)"}, "action": {"buttons": [
                   {"type": "reply", "reply": {"id": o["identifier"], "title": o["title"]}}
                   for o in quick["options"]]}})
    receive_outputs = ([f"{ns}.message", f"{ns}.postback", f"{ns}.timestamp"])
    receive_sessions = [("customerresponse", f"$(n16.{ns}.message)"),
                        ("postbackresponse", f"$(n16.{ns}.postback)")]
    if not fb:
        receive_sessions += [("customerResponseTimestamp", "$(n16.whatsapp.timestamp)"),
                             ("postbackResponseTimestamp", "$(n16.whatsapp.timestamp)")]
    f.receive(16, channel, "Service Choice", 300, customer, outputs=receive_outputs, sessions=receive_sessions)
    f.evaluate(17, "Set Script Selector", """var choice = (postbackresponse || customerresponse).toLowerCase();
if (choice.indexOf("sales") > -1) {
    ScriptSelector = "CCE_Social_Sales";
} else {
    ScriptSelector = "CCE_Social_Support";
}
CCETaskID = transId;
1;""")
    extension = kv(("facebookID", "$(n2.messenger.psId)")) if fb else []
    f.prebuilt(18, "create_task", task_fields(
        task_id="$(transId)", tracking="$(transId)", conversation="$(conversationId)",
        destination=f"$(n2.{ns}.appId)",
        media_type="social", media_channel="facebook messenger" if fb else "WhatsApp", script="$(ScriptSelector)",
        customer_id=customer, origin=customer, customer_name="$(customerName)",
        user=kv(("user_DR_MediaResourceID", "$(conversationId)"), ("user_DR_CustomerName", "$(customerName)")),
        extension=extension))
    f.prebuilt(19, "update", update_fields("$(conversationId)", "$(CCETaskID)"))
    f.prebuilt(22, "append", simple_fields(
        ("Conversation ID", "conversationId", "$(conversationId)"), ("Direction", "direction", "inbound"),
        ("Text", "text", "$(messagetext)"), ("Timestamp (in UTC)", "timestamp", f"$(n2.{ns}.timestamp)"),
        ("Attachments", "attachments", "$(messengerPayloadObject)")))
    f.send(30, channel, "Technical Issue", "$(errorTechnicalIssue)", customer)

    f.edge(2, "onbegin", 9)
    f.edge(9, "1", 12)
    f.edge(12, ("noConversationFound", "conversationClosed"), 14)
    f.edge(12, ("conversationInQueue", "conversationActive"), 22)
    f.edge(12, ("onauthorizationfail", "onerror", "ontimeout"), 30)
    f.edge(14, "onConversationCreated", 15)
    f.edge(14, ("onConversationFailed", "Failure", "onauthorizationfail", "onerror"), 30)
    f.edge(15, "onsuccess", 16)
    f.edge(16, RECEIVE_EVENTS[channel], 17)
    f.edge(17, "1", 18)
    f.edge(18, TASK_SUCCESS, 19)
    f.edge(18, TASK_FAILURE, 30)
    f.edge(22, ("onAppendMessageFailure", "Failure"), 30)
    return f


def facebook_inbound() -> FlowBuilder:
    return _social("facebook-inbound", "41007", "messenger")


def whatsapp_inbound() -> FlowBuilder:
    return _social("whatsapp-inbound", "41008", "whatsapp")


CHANNEL_BRANCH = [("SMS", [("$(n2.inboundWebhook.mediaChannel)", "==", "sms")]),
                  ("Live Chat", [("$(n2.inboundWebhook.mediaChannel)", "==", "chat")]),
                  ("Email", [("$(n2.inboundWebhook.mediaChannel)", "==", "email")])]


def _webhook_flow(stem: str, flow_id: str, event: str, message_var: str, message: str,
                  variables: list[tuple[str, object]]) -> FlowBuilder:
    f = FlowBuilder(stem, flow_id)
    f.var("TaskContextVariables")
    f.var(message_var, message)
    for name, value in variables:
        f.var(name, value)
    f.webhook_start(event, [c for c, _ in WEBHOOK_DESTINATIONS],
                    sessions=[("TaskContextVariables", "$(n2.inboundWebhook.variables)")])
    return f


def _channel_sends(f: FlowBuilder, branch_id: int, first_id: int, message: str, channels: tuple[str, ...],
                   label: str = "Media Channel", suffix: str = "Notify", message_id: str = "EmailMessageID") -> None:
    """A Branch on the task's media channel and one send node per channel (SMS, Live Chat, Email)."""
    outcomes = [o for o in CHANNEL_BRANCH if o[0] in channels]
    f.branch(branch_id, label, outcomes)
    for offset, (name, _) in enumerate(outcomes):
        node_id = first_id + offset
        if name == "SMS":
            f.send(node_id, "sms", f"SMS {suffix}", message, "$(n2.inboundWebhook.origin)")
        elif name == "Live Chat":
            f.send(node_id, "livechat", f"Live Chat {suffix}", message, "$(n2.inboundWebhook.origin)",
                   thread_id="$(chatThreadID)", msgType="msg")
        else:
            f.send(node_id, "email", f"Email {suffix}", message, "$(n2.inboundWebhook.origin)",
                   subject="RE: $(EmailSubject)", inReplyTo=f"$({message_id})")
        f.edge(branch_id, name, node_id)


def created() -> FlowBuilder:
    f = _webhook_flow("created", "41009", "CREATED", "CreatedMessage",
                      "Thanks for reaching out. We have received your request and an agent will be with you "
                      "shortly.",
                      [("chatThreadID", ""), ("mediaResourceID", ""), ("CreatedTimeStamp", ""), ("EmailSubject", ""),
                       ("EmailMessageID", ""), ("EmailCCRecipients", ""), ("EmailBCCRecipients", ""),
                       ("SenderName", "Customer Care"), ("SystemGenerated", True)])
    f.evaluate(9, "Extract Task Context", EXTRACT_CONTEXT + """\
chatThreadID = extractVariable("ChatThreadID");
mediaResourceID = extractVariable("user_DR_MediaResourceID");
EmailSubject = extractVariable("EmailSubject");
EmailMessageID = extractVariable("EmailMessageID");
EmailCCRecipients = extractVariable("EmailCCRecipients");
EmailBCCRecipients = extractVariable("EmailBCCRecipients");
CreatedTimeStamp = new Date().toISOString();
1;""")
    f.edge(2, "onbegin", 9)
    f.edge(9, "1", 10)
    _channel_sends(f, 10, 11, "$(CreatedMessage)", ("SMS", "Live Chat", "Email"))
    return f


def queued() -> FlowBuilder:
    f = _webhook_flow("queued", "41010", "QUEUED", "QueuedMessage",
                      "You are in the queue. The estimated wait time is $(EstimatedWaitTime) seconds.",
                      [("EstimatedWaitTime", -1), ("chatThreadID", ""), ("mediaResourceID", ""),
                       ("QueuedTimeStamp", "")])
    f.evaluate(9, "Extract Task Context", EXTRACT_CONTEXT + """\
chatThreadID = extractVariable("ChatThreadID");
mediaResourceID = extractVariable("user_DR_MediaResourceID");
EstimatedWaitTime = "$(n2.inboundWebhook.estimatedWaitTime)";
if (EstimatedWaitTime == "" || EstimatedWaitTime == null) {
    EstimatedWaitTime = -1;
}
QueuedTimeStamp = new Date().toISOString();
1;""")
    f.branch(10, "EWT Received?", [("No EWT", [("$(EstimatedWaitTime)", "==", "-1"),
                                               ("$(EstimatedWaitTime)", "==", "")])])
    f.edge(2, "onbegin", 9)
    f.edge(9, "1", 10)
    f.end(10, "No EWT", EXIT_SUCCESS)
    f.edge(10, "None of the above", 11)
    _channel_sends(f, 11, 12, "$(QueuedMessage)", ("SMS", "Live Chat"))
    return f


def routed() -> FlowBuilder:
    f = _webhook_flow("routed", "41011", "ROUTED", "RoutedMessage",
                      "An agent is joining the conversation now.",
                      [("mediaResourceID", ""), ("chatThreadID", ""), ("RoutedTimeStamp", "")])
    f.evaluate(9, "Extract Conversation ID", EXTRACT_CONTEXT + """\
mediaResourceID = extractVariable("user_DR_MediaResourceID");
chatThreadID = extractVariable("ChatThreadID");
RoutedTimeStamp = new Date().toISOString();
1;""")
    f.prebuilt(10, "add_participant", simple_fields(
        ("Conversation ID", "conversationId", "$(mediaResourceID)"),
        ("Participant", "participant", "$(n2.inboundWebhook.agentId)")))
    f.edge(2, "onbegin", 9)
    f.edge(9, "1", 10)
    f.edge(10, ("OnAddParticipantSuccess", "Success"), 11)
    _channel_sends(f, 11, 12, "$(RoutedMessage)", ("SMS", "Live Chat"))
    return f


def closed() -> FlowBuilder:
    f = _webhook_flow("closed", "41012", "CLOSED", "ClosedMessage",
                      "Your conversation has been closed. Message us again any time.",
                      [("mediaResourceID", ""), ("chatThreadID", ""), ("ClosedTimeStamp", "")])
    f.evaluate(9, "Extract Task Context", EXTRACT_CONTEXT + """\
mediaResourceID = extractVariable("user_DR_MediaResourceID");
chatThreadID = extractVariable("ChatThreadID");
var dispositionCode = "$(n2.inboundWebhook.dispositionCode)";
ClosedTimeStamp = new Date().toISOString();
1;""")
    f.prebuilt(10, "close", simple_fields(("Conversation ID", "conversationId", "$(mediaResourceID)")))
    f.edge(2, "onbegin", 9)
    f.edge(9, "1", 10)
    f.edge(10, "onConversationClosed", 11)
    _channel_sends(f, 11, 12, "$(ClosedMessage)", ("SMS", "Live Chat"))
    return f


def transferred() -> FlowBuilder:
    f = _webhook_flow("transferred", "41013", "TRANSFERRED", "TransferredMessage",
                      "Please hold on while we transfer you to another agent.",
                      [("mediaResourceID", ""),
                       ("FailedTransferMessage", "We could not transfer your conversation and have closed it. "
                                                 "Please contact us again."),
                       ("errorTechnicalIssue", "Sorry, we are facing a technical issue. Please try again later."),
                       ("chatThreadID", ""), ("TransferredTimeStamp", ""), ("CustomerName", ""),
                       ("EmailMessageId", ""), ("EmailSubject", ""), ("SystemGenerated", True), ("domain", "")])
    f.evaluate(9, "Extract Conversation ID", EXTRACT_CONTEXT + """\
mediaResourceID = extractVariable("user_DR_MediaResourceID");
CustomerName = extractVariable("user_DR_CustomerName");
chatThreadID = extractVariable("ChatThreadID");
EmailMessageId = extractVariable("EmailMessageID");
EmailSubject = extractVariable("EmailSubject");
TransferredTimeStamp = new Date().toISOString();
1;""")
    f.prebuilt(10, "remove_participant", simple_fields(
        ("Conversation ID", "conversationId", "$(mediaResourceID)"),
        ("Participant", "participant", "$(n2.inboundWebhook.agentId)")))
    f.prebuilt(11, "create_task", task_fields(
        task_id="$(n2.inboundWebhook.taskId)", tracking="$(n2.inboundWebhook.transId)",
        conversation="$(mediaResourceID)",
        destination="$(n2.inboundWebhook.destination)", media_type="$(n2.inboundWebhook.mediaType)",
        media_channel="$(n2.inboundWebhook.mediaChannel)", script="$(n2.inboundWebhook.scriptSelector)",
        customer_id="$(n2.inboundWebhook.origin)", origin="$(n2.inboundWebhook.origin)",
        customer_name="$(CustomerName)",
        user=kv(("user_DR_MediaResourceID", "$(mediaResourceID)"), ("user_DR_CustomerName", "$(CustomerName)")),
        extension=kv(("ChatThreadID", "$(chatThreadID)"), ("EmailMessageID", "$(EmailMessageId)"),
                     ("EmailSubject", "$(EmailSubject)"))))
    f.edge(2, "onbegin", 9)
    f.edge(9, "1", 10)
    f.edge(10, "onParticipantRemoved", 11)
    f.edge(11, TASK_SUCCESS, 12)
    _channel_sends(f, 12, 13, "$(TransferredMessage)", ("SMS", "Live Chat", "Email"), message_id="EmailMessageId")
    f.prebuilt(16, "end_task", end_task_fields("$(n2.inboundWebhook.taskId)", "$(n2.inboundWebhook.transId)"))
    f.edge(10, ("onRemoveParticipantFailure", "onFailure", "onauthorizationfail", "onerror"), 16)
    f.edge(11, TASK_FAILURE, 16)
    f.edge(16, ("Success", "Error", "onauthorizationfail", "onerror"), 17)
    _channel_sends(f, 17, 18, "$(FailedTransferMessage)", ("SMS", "Live Chat", "Email"),
                   label="Failure Channel", suffix="Transfer Failed", message_id="EmailMessageId")
    return f


FLOWS = {
    "sms-inbound": sms_inbound, "email-inbound": email_inbound, "livechat-inbound": livechat_inbound,
    "livechat-customer-close": livechat_customer_close, "livechat-webcallback": livechat_webcallback,
    "webcallback-closed": webcallback_closed, "facebook-inbound": facebook_inbound,
    "whatsapp-inbound": whatsapp_inbound, "created": created, "queued": queued, "routed": routed,
    "closed": closed, "transferred": transferred,
}


def render(stem: str) -> str:
    return json.dumps(FLOWS[stem]().build(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: samples/cce)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for stem in FLOWS:
        path = args.out / f"{stem}.json"
        path.write_text(render(stem), encoding="utf-8", newline="\n")
    print(f"wrote {len(FLOWS)} flows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
