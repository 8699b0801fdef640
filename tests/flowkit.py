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


# -- more base flows: Live Chat and Email inbound (channel variables, a functional filter) --------

def _create_task_flow(flow_id: str, workflow: dict, start_node: dict, settings: dict[str, Any],
                      variables: list[dict]) -> dict:
    """A channel inbound flow shaped like ``messenger_flow``: Start -> CCE Create Task."""
    task = prebuilt("40", "CCE Create Task", 50210, 50200, 5150, "CCE Auth", settings,
                    [("Success", "success"), ("Error", "error")], ["location", "responsePayload"])
    cells = [workflow, start_node, task, edge("100", "2", "40", "onbegin", "onBegin"),
             *_ends(300, 40, ["oninvaliddata", "onerror", "ontimeout", "Success", "Error"])]
    return {"flowId": flow_id, "cells": cells, "customVariables": variables, "outcomes": copy.deepcopy(OUTCOMES)}


def livechat_flow() -> dict:
    """A CCE Live Chat inbound flow: the template's ``typing_indicator`` filter (kept: it is
    functional), ``appId``/``liveChatDomain`` and a CCE Create Task."""
    workflow, start_node = start(15, "channel", "", 9, "MO",
                                 ["inappmessaging.appId", "inappmessaging.userId", "inappmessaging.threadId",
                                  "inappmessaging.message"],
                                 conditions=[("inappmessaging.message", "typing_indicator")])
    info = workflow["value"]["attributes"]["start_node_info"]
    for item in [*info["conditions"], *start_node["value"]["children"][5]["text"]]:
        item["opr"] = "notequals"
    for item in start_node["value"]["children"][4]["text"][0]["conditions"]:
        item["operator"] = "notequals"
    return _create_task_flow("5003", workflow, start_node, {
        "destination": "$(n2.inappmessaging.appId)", "scriptSelector": "$(ScriptSelector)",
        "userVariables": [{"key": "user_DR_MediaResourceID", "type": "string", "value": "$(conversationId)"}],
        "extensionVariables": [{"key": "ChatThreadID", "type": "string", "value": "$(n2.inappmessaging.threadId)"}],
    }, [variable("appId", "LC40211337"), variable("liveChatDomain", "support.example.com"),
        variable("ScriptSelector", "Chat"), variable("conversationId", "")])


def email_flow() -> dict:
    """A CCE Email inbound flow: ``bizemailid``, conditions off, a CCE Create Task."""
    workflow, start_node = start(19, "channel", "", 95, "MO", ["email.appId", "email.emailId", "email.subject"])
    return _create_task_flow("5004", workflow, start_node, {
        "destination": "$(n2.email.appId)", "scriptSelector": "Insurance",
        "userVariables": [{"key": "user_DR_MediaResourceID", "type": "string", "value": "$(conversationId)"}],
        "extensionVariables": [{"key": "EmailSubject", "type": "string", "value": "$(n2.email.subject)"}],
    }, [variable("bizemailid", "support@example.com"), variable("conversationId", "")])


FLOWS.update(livechat=livechat_flow, email=email_flow)


# -- more base flows: WxCC SMS inbound (Evaluate, Resolve Conversation, Branch, Queue Task, HTTP, SMS) --

def session(name: str, value: Any, order: int = 0) -> dict:
    """A transition action on leave: set custom variable ``name`` to ``value``."""
    return {"tag": "session", "attributes": {"action_order": 0, "index": f"ta{order:06d}", "name": name,
                                             "order": order, "tag": "session", "type": "onleave"}, "text": value}


def branch(cell_id: str, variable_ref: str, outcomes: list[tuple[str, list[str]]]) -> dict:
    """A Branch (an ``evaluate`` cell with ``key: branch``): outcome name -> values ``variable_ref`` may equal."""
    items, clauses = [], []
    for n, (name, values) in enumerate(outcomes):
        conditions = [{"varaible": variable_ref, "condition": "==", "value": value,
                       "operation": "OR" if i < len(values) - 1 else "", "index": f"c{n}{i}000000"}
                      for i, value in enumerate(values)]
        items.append({"outcome": name, "order": "", "open": False, "isEditOn": False, "tempVal": name,
                      "conditions": conditions, "index": f"o{n}0000000"})
        test = " || ".join(f'"{variable_ref}"  == "{value}"' for value in values)
        clauses.append(f'if({test}){{"{name}";}}')
    expression = "else ".join(clauses) + "else{'None of the above';}"
    children = [event("onerror", "BP"),
                {"tag": "param", "attributes": {"hidden": True, "name": "evaluteIsOptimization"}, "text": True},
                param("outcomes", items), param("allConditionsFail", "None of the above"),
                param("expression", expression), param("counter", len(outcomes) + 1),
                param("successEvents", [name for name, _ in outcomes] + ["None of the above"])]
    return node(cell_id, "evaluate", "Branch", children, key="branch", type="evaluate", infolabel="branch")


def http_request(cell_id: str, url: str, outputs: list[tuple[str, str]]) -> dict:
    children = [event("oncomplete", "MP"), event("onerror", "BP"), param("method", "get"), param("url", url),
                param("body", ""), param("connctiontimeout", ""), param("requesttimeout", ""),
                param("outputvariablelist", {"parameters": [{"name": name, "path": path} for name, path in outputs]})]
    return node(cell_id, "http", "HTTP request", children, key="http", type="http")


def send_sms(cell_id: str, message: str, destination: str) -> dict:
    children = [event("onerror"), param("messagetype", 1), param("message", message), param("channelId", 1),
                param("deliverychannel", "SMS"), param("destination", destination),
                param("destinationType", "msisdn")]
    return node(cell_id, "umppublic", "SMS", children, key="sendsms", type="UmpPublic", infolabel="sendsms")


def option_edge(cell_id: str, source: str, target: str, outcome: str) -> dict:
    """A Branch outcome taken: ``optionNodeType: option`` and the editor's ``edgeConfig``."""
    cell = edge(cell_id, source, target, outcome, outcome)
    cell["value"].update(optionNodeType="option", edgeConfig="$(name)")
    return cell


def option_end(cell_id: str, parent: int, outcome: str, exit_result: int) -> dict:
    cell = end(cell_id, parent, outcome, exit_result)
    cell["value"].update(eventtype="option", edgeConfig="$(name)")
    return cell


def wxcc_flow() -> dict:
    """A WxCC SMS inbound flow: Evaluate builds the details, Resolve Conversation (flow id = this
    flow's), a Branch on the conversation operation, Queue Task, an HTTP lookup and an SMS.

    TENANT maps integration 50021 (the Queue Task's) to authorization 4711 "Engage Auth".
    """
    outputs = ["sms.senderNumber", "sms.serviceNumber", "sms.message", "sms.transId", "service.serviceKey"]
    workflow, start_node = start(1, "channel", "", 33, "MO", outputs)
    start_node["value"]["children"] += [session("transId", "$(n2.sms.transId)", 0),
                                        session("customerMessage", "$(n2.sms.message)", 1)]
    script = ('var details = {"message": customerMessage};\n'
              "var detailsJson = JSON.stringify(details);\n1;")
    resolve = prebuilt("50", "Resolve Conversation", 50302, 50020, 4712, "Example Task Node Auth", {
        "transId": "$(transId)", "flowId": 5101, "details": "$(detailsJson)", "mediatype": "social", "channel": "sms",
    }, [("created", "success"), ("reopened", "success"), ("appended", "success"), ("error", "error"),
        ("taskFailed", "error")], ["transId", "taskId", "conversationOperation"])
    queue = prebuilt("70", "Queue Task", 50021, 50020, 4711, "Engage Auth", {
        "id": "$(n50.taskId)", "queueid": "6fe228c8-0000-4000-8000-000000000001",
        "conversationid": "$(conversationId)", "mediatype": "social", "channel": "sms",
    }, [("Queued", "success"), ("Error", "error"), ("taskFailed", "error")], ["taskId", "agentId"])
    cells = [
        workflow, start_node, evaluate("9", script), resolve,
        branch("60", "$(n50.conversationOperation)", [("Create/Reopen Path", ["created", "reopened"]),
                                                      ("Append Path", ["appended"])]),
        queue,
        http_request("80", "https://crm.example.com/customers?number=$(n2.sms.senderNumber)",
                     [("customerName", "$.name")]),
        send_sms("90", "Hi $(n80.customerName), an agent will be with you shortly.", "$(n2.sms.senderNumber)"),
        edge("100", "2", "9", "onbegin", "onBegin"), edge("101", "9", "50", 1, "Success"),
        edge("102", "50", "60", "created"), edge("103", "50", "60", "reopened"), edge("104", "50", "60", "appended"),
        option_edge("105", "60", "70", "Create/Reopen Path"), edge("106", "70", "80", "Queued"),
        edge("107", "80", "90", "oncomplete", "onSuccess"),
        *_ends(400, 9, ["onerror"]),
        *_ends(410, 50, ["oninvaliddata", "onerror", "ontimeout", "error", "taskFailed"]),
        *_ends(420, 60, ["onerror"]), option_end("421", 60, "Append Path", 2),
        option_end("422", 60, "None of the above", 3),
        *_ends(430, 70, ["oninvaliddata", "onerror", "ontimeout", "Error", "taskFailed"]),
        *_ends(440, 80, ["onerror"]), *_ends(450, 90, ["onerror"]), end("451", 90, "onsuccess", 2),
    ]
    outcomes = [*copy.deepcopy(OUTCOMES), {
        "id": 1, "order": 2, "name": 100, "value": "Last executed node event", "tag": 15,
        "tagName": "Last Execution Status", "type": "default", "statusCode": "All status codes",
        "notification": {"method": "post", "url": "https://hooks.example.com/flows", "payloadType": 2,
                         "custompayload": {"transactionID": "$(transid)", "flowname": "$(flowname)"}}}]
    return {"flowId": "5101", "cells": cells,
            "customVariables": [variable("transId", ""), variable("customerMessage", ""),
                                variable("conversationId", "")],
            "outcomes": outcomes}


FLOWS.update(wxcc=wxcc_flow)


# -- the editor model's own form (what a DOM holds) --------------------------------

def _dom_attributes(attributes: dict) -> dict:
    return {key: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            for key, value in attributes.items()}


def _dom_element(element: dict) -> dict:
    out = dict(element, attributes=_dom_attributes(element.get("attributes") or {}))
    if isinstance(element.get("children"), list):
        out["children"] = [_dom_element(child) for child in element["children"]]
    return out


def dom_form(document: dict) -> dict:
    """``encode(document)`` with node values as the editor's DOM elements hold them: every
    attribute a string too (``start_node_info`` a JSON document, ``hiddenstate`` "false").
    This is what ``connectflow editor export`` reads out of a real Flow Builder model."""
    document = encode(document)
    for cell in document.get("cells", []):
        value = cell.get("value")
        if isinstance(value, dict) and isinstance(value.get("tag"), str) and isinstance(value.get("attributes"), dict):
            cell["value"] = _dom_element(value)
    return document
