"""Small flows for tests, built in the real flow-model structure, and the editor's
string encoding of any flow.

The base flows are *clean*: with the profile ``TENANT`` no rule reports anything.
Rule cases (tests/rules/*.yml) start from one of them and edit it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from connectflow.load.locate import split

OPERATORS = ["equals", "notequals", "in", "contains", "notin", "equalsignorecase", "startswith",
             "endswith", "regex", "containsignorecase"]

OUTCOMES = [
    {"id": 2, "order": 0, "name": 101, "value": "Successfully completed flow", "tag": 11, "tagName": "Success",
     "type": "default", "notification": None},
    {"id": 3, "order": 1, "name": 102, "value": "Flow completed with an error", "tag": 12, "tagName": "Error",
     "type": "default", "notification": None},
]


def param(name: str, text: Any) -> dict:
    return {"tag": "param", "attributes": {"hiddenstate": False, "name": name, "type": "", "view": ""}, "text": text}


def event(name: str, port: str | None = None) -> dict:
    attributes = {"name": name, "type": port} if port else {"name": name, "targetcount": 1}
    return {"tag": "event", "attributes": attributes, "text": ""}


def node(cell_id: str, tag: str, label: str, children: list[dict], **attributes: Any) -> dict:
    return {"id": cell_id, "parent": "1", "vertex": True, "edge": False,
            "value": {"tag": tag, "attributes": {"label": label, "name": label, **attributes}, "children": children}}


def edge(cell_id: str, source: str, target: str, name: Any, label: str = "", port: str = "MP") -> dict:
    return {"id": cell_id, "parent": "1", "vertex": False, "edge": True, "source": source, "target": target,
            "value": {"label": label, "name": name, "optionNodeType": "default", "porttype": port, "type": "EDGE",
                      "value": label or name}}


def end(cell_id: str, parent: int, name: str, exit_result: int = 2, port: str = "MP") -> dict:
    return {"id": cell_id, "parent": "9000", "vertex": True, "edge": False,
            "value": {"eventtype": "default", "label": name, "name": name, "nodeLabel": "End", "nodeType": "end",
                      "portType": port, "sessionRetryFlag": 0, "type": "EN", "value": name,
                      "data": {"parentNode": parent, "type": "end"},
                      "params": [{"name": "nodeEvent", "value": name}, {"name": "sessionRetry", "value": ""},
                                 {"name": "exitResult", "value": exit_result}, {"name": "asyncCheck", "value": False}]}}


def flat_condition(variable: str, value: Any, operator: str = "equals") -> dict:
    return {"startag": "((", "varname": variable, "opr": operator, "value": value, "datatype": "string", "endtag": "))"}


def ui_condition(variable: str, value: Any, operator: str = "equals") -> dict:
    return {"operatorConOption": {"inputType": "select",
                                  "selectOption": {"defaultList": [{"opr_name": o} for o in OPERATORS]}},
            "pills": [], "index": "k3j5v9q1", "variable": variable, "variableObject": {"var_name": variable},
            "operator": operator, "value": value}


def start(channel: int, type_: str, subtype: str, event_id: Any, event_name: str, outputs: list[str],
          conditions: list[tuple[str, Any]] | None = None) -> tuple[dict, dict]:
    """The workflowdata cell and the Start node, with conditions stored in all three places."""
    info: dict[str, Any] = {"channel": channel, "type": type_, "subtype": subtype, "isCheckLiveSessions": 0,
                            "extras": {}, "eventid": event_id, "eventname": event_name, "v2EventId": ""}
    children = [event("onbegin"), param("ruleEvent", event_name), param("output_variables", outputs)]
    if conditions:
        info["conditions"] = [flat_condition(v, x) for v, x in conditions]
        children += [param("ruleConditionStatus", True),
                     param("conditions", [{"conditions": [ui_condition(v, x) for v, x in conditions],
                                           "index": "g7h2k4m9"}]),
                     param("apiReqConditions", [flat_condition(v, x) for v, x in conditions])]
    workflow = {"id": "1", "parent": "0", "vertex": False, "edge": False,
                "value": {"tag": "workflowdata", "attributes": {
                    "copy_used_vars": {}, "dynamic_output_vars": {"2": outputs, "77": ["stale"]}, "logbooks": [],
                    "node_group_info": {}, "notes": {"nodes": {}, "workflow": {}}, "start_node_info": info}}}
    start_node = node("2", "start", "Start", children, key="start", nodetype="start", type="start")
    return workflow, start_node


def prebuilt(cell_id: str, label: str, integration: int, group: int, auth_id: Any, auth_name: str,
             settings: dict[str, Any], events: list[tuple[str, str]], outputs: list[str] = ()) -> dict:
    """A prebuilt integration node: the configuration in request_body, nodeInput and extraParamsData."""
    display = {key: key[:1].upper() + key[1:] for key in settings}
    children = [
        param("integration_id", integration), param("method_id", integration + 300),
        param("auth_id", auth_id),
        param("request_body", [{"name": display[k], "value": v, "id": f"id-{k}"} for k, v in settings.items()]),
        param("newEvents", [{"name": name, "type": kind} for name, kind in events]),
        param("custom_output_vars", list(outputs)),
        param("resourceinfo", {"node_id": int(cell_id), "node_name": label, "resource_list": [
            {"integration_id": integration, "method_id": integration + 300, "auth_id": auth_id, "group_id": group}]}),
        param("viewmodeData", [{"name": "auth_id", "value": auth_name, "isNgSelectBox": True},
                               {"name": "method_id", "value": label}]),
        param("isAuthPresent", True), param("group_id", group),
        param("nodeInput", copy.deepcopy(settings)), param("extraParamsData", copy.deepcopy(settings)),
        event("oninvaliddata", "BP"), event("onerror", "BP"), event("ontimeout", "TP"),
    ]
    return node(cell_id, "prebuiltnode", label, children, type="PrebuiltNode")


def evaluate(cell_id: str, script: str) -> dict:
    return node(cell_id, "evaluate", "Evaluate",
                [event("onerror"), param("expression", script), param("exp", script)], key="evaluate", type="evaluate")


def variable(name: str, value: Any) -> dict:
    return {"name": name, "value": value, "desc": "", "type": "default", "dec": ""}


def _ends(first_id: int, parent: int, events: list[str]) -> list[dict]:
    return [end(str(first_id + i), parent, name, 2 if name.startswith("on") and "Success" in name else 3)
            for i, name in enumerate(events)]


def webhook_flow() -> dict:
    """A CCE ROUTED-style webhook flow: destination condition, Evaluate, Add Participant."""
    workflow, start_node = start(14, "channel", "webhook", 2549, "ROUTED",
                                 ["inboundWebhook.destination", "inboundWebhook.taskId", "inboundWebhook.body"],
                                 conditions=[("inboundWebhook.destination", "LC40211337")])
    participant = prebuilt("30", "Add Participant", 50140, 50021, 4711, "Engage Auth",
                           {"conversationId": "$(mediaResourceID)", "participant": "$(n2.inboundWebhook.taskId)"},
                           [("OnAddParticipantSuccess", "success"), ("OnAddParticipantFailure", "error")],
                           ["TransId"])
    cells = [workflow, start_node, evaluate("20", "var body = JSON.parse(TaskContextVariables);\n1;"), participant,
             edge("100", "2", "20", "onbegin", "onBegin"), edge("101", "20", "30", 1, "Success"),
             *_ends(200, 20, ["onerror"]),
             *_ends(210, 30, ["oninvaliddata", "onerror", "ontimeout", "OnAddParticipantSuccess",
                              "OnAddParticipantFailure"])]
    return {"flowId": "5001", "cells": cells,
            "customVariables": [variable("TaskContextVariables", "$(n2.inboundWebhook.body)"),
                                variable("mediaResourceID", "")],
            "outcomes": copy.deepcopy(OUTCOMES)}


def messenger_flow() -> dict:
    """A CCE Facebook inbound flow: channel variables and a CCE Create Task with ECC variables."""
    workflow, start_node = start(5, "channel", "", 20, "MO",
                                 ["messenger.psId", "messenger.name", "messenger.appId", "messenger.message"])
    task = prebuilt("40", "CCE Create Task", 50210, 50200, 5150, "CCE Auth", {
        "destination": "$(n2.messenger.appId)", "scriptSelector": "$(ScriptSelector)",
        "userVariables": [{"key": "user_DR_MediaResourceID", "type": "string", "value": "$(conversationId)"},
                          {"key": "user_DR_CustomerName", "type": "string", "value": "$(n2.messenger.name)"}],
        "callVariables": [{"key": "cv_1", "type": "string", "value": "Billing"}],
        "extensionVariables": [{"key": "facebookID", "type": "string", "value": "$(n2.messenger.psId)"}],
    }, [("Success", "success"), ("Error", "error")], ["location", "responsePayload"])
    cells = [workflow, start_node, task, edge("100", "2", "40", "onbegin", "onBegin"),
             *_ends(300, 40, ["oninvaliddata", "onerror", "ontimeout", "Success", "Error"])]
    return {"flowId": "5002", "cells": cells,
            "customVariables": [variable("FBpageid", 104857600000001), variable("appid", "a_638900000000000002"),
                                variable("ScriptSelector", "Billing"), variable("conversationId", "")],
            "outcomes": copy.deepcopy(OUTCOMES)}


FLOWS = {"webhook": webhook_flow, "messenger": messenger_flow}

TENANT = {
    "assets": {"livechat": ["LC40211337"], "messenger": ["a_638900000000000002"], "sms": ["447700900123"]},
    "channel": {"fb_page_id": "104857600000001", "wa_number": "14155550123",
                "live_chat_domain": "support.example.com", "biz_email": "support@example.com"},
    "ecc": {"variables": [{"name": "user_DR_MediaResourceID", "max_length": 40},
                          {"name": "user_DR_CustomerName", "max_length": 60}]},
    "authorizations": {"50021": {"id": 4711, "name": "Engage Auth"}, "50200": {"id": 5150, "name": "CCE Auth"}},
}


# -- editing and encoding --------------------------------------------------------

def _walk(document: Any, pointer: str) -> tuple[Any, Any]:
    *parents, last = split(pointer)
    target = document
    for segment in parents:
        target = target[int(segment)] if isinstance(target, list) else target[segment]
    return target, (int(last) if isinstance(target, list) and last != "-" else last)


def apply_edits(document: dict, edits: list[dict]) -> dict:
    """Edits from a rule case: ``{set: POINTER, value: V}``, ``{delete: POINTER}``, ``{append: POINTER, value: V}``."""
    document = copy.deepcopy(document)
    for item in edits:
        if "set" in item:
            parent, key = _walk(document, item["set"])
            parent[key] = copy.deepcopy(item["value"])
        elif "delete" in item:
            parent, key = _walk(document, item["delete"])
            del parent[key]
        elif "append" in item:
            parent, key = _walk(document, item["append"] + "/-")
            parent.append(copy.deepcopy(item["value"]))
        else:
            raise ValueError(f"unknown edit {item}")
    return document


def _as_string(value: Any) -> Any:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def encode(document: dict) -> dict:
    """The editor's string encoding: node settings, variable values and End params as strings."""
    document = copy.deepcopy(document)
    for cell in document.get("cells", []):
        value = cell.get("value")
        if not isinstance(value, dict):
            continue
        for item in value.get("children") or []:
            if isinstance(item, dict) and "text" in item:
                item["text"] = _as_string(item["text"])
        for item in value.get("params") or []:
            if isinstance(item, dict) and "value" in item:
                item["value"] = _as_string(item["value"])
        if isinstance(value.get("data"), dict) and "parentNode" in value["data"]:
            value["data"]["parentNode"] = _as_string(value["data"]["parentNode"])
        if cell.get("edge") and isinstance(value.get("name"), (int, float)):
            value["name"] = _as_string(value["name"])
    for item in document.get("customVariables", []):
        if isinstance(item, dict) and "value" in item:
            item["value"] = _as_string(item["value"])
    return document


def dumps(document: dict) -> str:
    """Serialized as the captures are: two-space indent, a trailing newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
