"""The typed flow model: what a Webex Connect flow contains, decoded.

Built from the raw JSON of a :class:`~connectflow.load.Source`; it never writes
anything back (patching splices the raw text), so it can be permissive:

* every object keeps the raw dict it came from (``raw``) and its JSON pointer;
* unknown node tags, child tags, keys and cell shapes are kept, not dropped;
* the editor's *string encoding* (a param ``text`` holding a JSON document in a
  string, numbers and booleans as strings) decodes to the same values as the
  decoded form, through :func:`decode`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from dataclasses import dataclass, field, fields
from functools import lru_cache

from connectflow.load.decode import loads
from connectflow.load.locate import child

START_NODE_ID = "2"
KNOWN_TAGS = frozenset({"start", "prebuiltnode", "evaluate", "umppublic", "umpapplebc", "whatsapp", "http", "receive"})
TRANSITION_TAGS = frozenset({"session", "log", "all"})
ALLOWED_OPERATORS = (
    "equals", "notequals", "in", "contains", "notin",
    "equalsignorecase", "startswith", "endswith", "regex", "containsignorecase",
)
# Ports a node kind has without declaring them as `event` children (a Receive node's channel
# events come from its settings: Node.receive_events).
IMPLICIT_EVENTS = {
    "start": ("onbegin",),
    "umppublic": ("onsuccess", "onerror", "onpolicyfail"),
    "umpapplebc": ("onsuccess", "onerror", "onpolicyfail"),
    "whatsapp": ("onsuccess", "onerror", "onpolicyfail"),
    "http": ("oncomplete", "onerror", "ontimeout"),
    "evaluate": ("1",),
}
DEFAULT_BRANCH_FALLBACK = "None of the above"
_JSON_START = frozenset('{["-0123456789tfn')
_JSON_SPACE = " \t\n\r"
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")  # json.scanner's NUMBER_RE
_LITERALS = {"true": True, "false": False, "null": None}
# What may follow an opening bracket in JSON: "[redacted]" is not JSON, and a failed loads is slow.
_JSON_AFTER = {"[": frozenset('{["-0123456789tfn]' + _JSON_SPACE), "{": frozenset('"}' + _JSON_SPACE)}


def decode(value: Any) -> Any:
    """A value as the decoded form holds it: JSON inside a string is parsed.

    The editor stores settings as strings; captures and hand-written files hold
    the parsed values. Strings that are not JSON (``"000123"``, ``"abc"``) stay.
    """
    if isinstance(value, str) and value[:1] in _JSON_START:
        if value[0] in "tfn":  # only a literal parses ("nodeName" would fail, slowly)
            return _LITERALS.get(value.rstrip(_JSON_SPACE), value)
        if value[0] in "{[":
            if value[1:2] not in _JSON_AFTER[value[0]]:
                return value
        else:
            number = value.rstrip(_JSON_SPACE)
            if not _JSON_NUMBER.fullmatch(number):
                return value  # "0123", "12 ms", "-": not a number
            if number.isdigit() and number.isascii() and len(number) < 19:
                return int(number)  # ids ("1520"): what loads gives, without its set-up
        try:
            return loads(value)
        except ValueError:
            return value
    return value


def as_text(value: Any) -> str:
    """A scalar as the platform compares it: as a string (``-1`` == ``"-1"``)."""
    value = decode(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


# Plain slotted classes: a 10 MB flow makes some 40,000 of these, and build_flow gives them
# values it has already typed (pydantic models cost a third of a small flow's lint to import,
# and twice the memory).
_model = dataclass(slots=True, kw_only=True)


@_model
class _Located:
    pointer: str
    # The source object itself, not a copy: rules and the patcher read unknown keys from it.
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def model_dump(self) -> dict[str, Any]:
        """The fields as plain data, nested objects too (``raw`` left out), for comparing models."""
        return {f.name: _dump(getattr(self, f.name)) for f in fields(self) if f.name != "raw" and f.init}


def _dump(value: Any) -> Any:
    if isinstance(value, _Located):
        return value.model_dump()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


@_model
class Child(_Located):
    """A child element of a node value: event, param, session, log, all, nodevariablestore, ..."""

    tag: str
    name: str
    attributes: dict[str, Any]
    value: Any = None  # decoded ``text``

    @property
    def text_pointer(self) -> str:
        return child(self.pointer, "text")


@_model
class Condition(_Located):
    """One start condition, from any of its three stored copies."""

    variable: str
    operator: str
    value: Any
    value_pointer: str
    source: str  # start_node_info | apiReqConditions | conditions


@_model
class StartTrigger(_Located):
    """What starts the flow: ``start_node_info`` plus the Start node's condition params."""

    channel: str = ""
    type: str = ""
    subtype: str = ""
    event_id: str = ""
    event_name: str = ""
    info_conditions: list[Condition] | None = None  # None: key absent (conditions off)
    api_conditions: list[Condition] = field(default_factory=list)
    ui_conditions: list[Condition] = field(default_factory=list)
    rule_condition_status: bool | None = None

    @property
    def conditions_enabled(self) -> bool:
        return self.info_conditions is not None or bool(self.rule_condition_status)

    @property
    def effective_conditions(self) -> list[Condition]:
        """The conditions the platform applies: ``start_node_info`` first, else the
        API copy when the conditions checkbox is on; nothing when it is off."""
        if self.info_conditions is not None:
            return self.info_conditions
        if self.rule_condition_status:
            return self.api_conditions
        return []

    @property
    def all_copies(self) -> list[Condition]:
        return [*(self.info_conditions or []), *self.api_conditions, *self.ui_conditions]

    @property
    def is_event_flow(self) -> bool:
        """Triggered by a webhook/integration event rather than an inbound message."""
        return self.type == "integration" or self.subtype == "webhook" or self.channel in ("14", "28")


@_model
class Node(_Located):
    id: str
    tag: str
    kind: str  # tag, with Branch told apart from Evaluate
    label: str = ""
    name: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    children: list[Child] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.tag in KNOWN_TAGS

    @property
    def title(self) -> str:
        return self.label or self.name or self.tag

    # name -> the first param child of that name, built on first use (rules ask a node for its
    # params hundreds of thousands of times on a big flow; the children are all there by then).
    _params: dict[str, Child] | None = field(default=None, init=False, repr=False, compare=False)

    def param(self, name: str) -> Child | None:
        if self._params is None:
            params: dict[str, Child] = {}
            for item in self.children:
                if item.tag == "param":
                    params.setdefault(item.name, item)
            self._params = params
        return self._params.get(name)

    def param_value(self, name: str, default: Any = None) -> Any:
        item = self.param(name)
        return default if item is None else item.value

    @property
    def params(self) -> list[Child]:
        return [c for c in self.children if c.tag == "param"]

    @property
    def declared_events(self) -> list[str]:
        names = [c.name for c in self.children if c.tag == "event" and c.name]
        if self.tag == "prebuiltnode":
            for event in _items(self.param_value("newEvents")):
                if isinstance(event, dict) and event.get("name"):
                    names.append(str(event["name"]))
        if self.kind == "branch":
            names.extend(self.branch_outcomes)
        return list(dict.fromkeys(names))

    @property
    def implicit_events(self) -> list[str]:
        """Ports this node has without declaring them: the kind's own and a Receive's channel events."""
        return [*IMPLICIT_EVENTS.get(self.kind, ()), *self.receive_events]

    @property
    def outcomes(self) -> list[str]:
        """Every event this node can leave on: declared, kind-specific and Branch outcomes."""
        return list(dict.fromkeys([*self.declared_events, *self.implicit_events]))

    @property
    def branch_fallback(self) -> str:
        """The Branch outcome taken when no condition holds; the user may rename it."""
        name = self.param_value("allConditionsFail")
        return as_text(name) if name not in (None, "") else DEFAULT_BRANCH_FALLBACK

    @property
    def branch_outcomes(self) -> list[str]:
        names = []
        for outcome in _items(self.param_value("outcomes")):
            if isinstance(outcome, dict) and outcome.get("outcome") not in (None, ""):
                names.append(str(outcome["outcome"]))
        return [*names, self.branch_fallback]

    @property
    def receive_events(self) -> list[str]:
        """A Receive node's channel events (``sms.mo``, ``app.onformresponse``): the channel's
        icon name, then each event it waits for (``mo`` when none is listed)."""
        if self.tag != "receive":
            return []
        names = []
        for channel in _items(self.param_value("viewData")):
            if not isinstance(channel, dict) or not channel.get("icon"):
                continue
            params = channel.get("params") if isinstance(channel.get("params"), dict) else {}
            events = [str(e["name"]).lower() for e in _items(params.get("events"))
                      if isinstance(e, dict) and e.get("name")]
            names.extend(f"{channel['icon']}.{event}" for event in events or ["mo"])
        return names

    @property
    def transition_actions(self) -> list[Child]:
        return [c for c in self.children if c.tag in TRANSITION_TAGS]

    @property
    def output_names(self) -> set[str]:
        """Outputs this node declares (for ``$(nN.x)`` checks), including the ``n<id>.<name>``
        entries of its ``nodevariablestore`` children (outputs other nodes consume)."""
        names: set[str] = set()
        for key in ("output_variables", "ouput_variables", "custom_output_vars"):
            for item in _items(self.param_value(key)):
                if isinstance(item, str):
                    names.add(item)
                elif isinstance(item, dict) and item.get("name"):
                    names.add(str(item["name"]))
        for item in _items(self.param_value("methodResponseParameters")):
            if isinstance(item, dict) and item.get("name"):
                names.add(str(item["name"]))
        own_prefix = f"n{self.id}."
        for item in self.children:
            if item.tag == "nodevariablestore" and item.name.startswith(own_prefix):
                names.add(item.name[len(own_prefix):])
        http_outputs = self.param_value("outputvariablelist")
        if isinstance(http_outputs, dict):
            for item in _items(http_outputs.get("parameters")):
                if isinstance(item, dict) and item.get("name"):
                    names.add(str(item["name"]))
        return names


@_model
class Edge(_Located):
    id: str
    source: str
    target: str
    event: str  # value.name as text; Evaluate outcomes are numbers ("1")
    label: str = ""
    port: str = ""


@_model
class EndBinding(_Located):
    """An End cell. It has no incoming edge: it binds to ``parent_node``'s ``event``."""

    id: str
    parent_node: str | None
    event: str
    exit_result: Any = None
    port: str = ""


@_model
class CustomVariable(_Located):
    name: str
    value: Any = None

    @property
    def value_pointer(self) -> str:
        return child(self.pointer, "value")


@_model
class FlowOutcome(_Located):
    id: str
    name: str = ""
    tag_name: str = ""


@_model
class Cell(_Located):
    """A cell the loader could not classify; kept as it is."""

    id: str
    reason: str


@_model
class Flow(_Located):
    flow_id: str = ""
    trigger: StartTrigger | None = None
    workflow_pointer: str | None = None
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    ends: list[EndBinding] = field(default_factory=list)
    custom_variables: list[CustomVariable] = field(default_factory=list)
    outcomes: list[FlowOutcome] = field(default_factory=list)
    unclassified: list[Cell] = field(default_factory=list)

    @property
    def start(self) -> Node | None:
        if START_NODE_ID in self.nodes and self.nodes[START_NODE_ID].tag == "start":
            return self.nodes[START_NODE_ID]
        return next((n for n in self.nodes.values() if n.tag == "start"), None)

    _by_pointer: dict[str, Node] | None = field(default=None, init=False, repr=False, compare=False)

    def node_at(self, pointer: str) -> Node | None:
        """The node whose cell holds ``pointer`` (a place inside it, not the cell itself)."""
        if self._by_pointer is None:  # the nodes are all there once build_flow is done
            self._by_pointer = {node.pointer: node for node in self.nodes.values()}
        cell = "/".join(pointer.split("/", 3)[:3])
        node = self._by_pointer.get(cell)
        return node if node is not None and pointer.startswith(cell + "/") else None

    def variable(self, name: str) -> CustomVariable | None:
        return next((v for v in self.custom_variables if v.name == name), None)

    def nodes_of(self, *tags: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.tag in tags or n.kind in tags]


# -- building ----------------------------------------------------------------

def _text(value: Any) -> str:
    if type(value) is str and value[:1] not in _JSON_START:
        return value  # nearly every name and label: no JSON to decode
    if type(value) is int:
        return str(value)  # ids (an End's parent node)
    return "" if value is None else as_text(value)


@lru_cache(maxsize=4096)
def _string_text(value: str) -> str:
    return as_text(value)


def _items(value: Any) -> list:
    """A list field as a list; anything else (a damaged or unknown shape) as nothing."""
    return value if isinstance(value, list) else []


def _child(raw: Any, pointer: str) -> Child:
    raw = raw if isinstance(raw, dict) else {"tag": "", "value": raw}
    attributes = raw.get("attributes") if isinstance(raw.get("attributes"), dict) else {}
    return Child(
        pointer=pointer, raw=raw, tag=str(raw.get("tag", "")),
        name=_text(attributes.get("name")), attributes=attributes, value=decode(raw.get("text")),
    )


_new = object.__new__


def _children(children: list, pointer: str) -> tuple[list[Child], dict[str, Child]]:
    """``_child`` of each item, inlined (a 10 MB flow has some 13,000 children), and the index
    ``Node.param`` reads. Documents come from the JSON decoder, so type() tells the plain types apart."""
    prefix = f"{pointer}/"
    found = []
    params: dict[str, Child] = {}
    for i, raw in enumerate(children):
        if type(raw) is not dict:
            found.append(_child(raw, f"{prefix}{i}"))
            continue
        attributes = raw.get("attributes")
        if type(attributes) is not dict and not isinstance(attributes, dict):
            attributes = {}
        name = attributes.get("name")
        if type(name) is not str:
            name = _text(name)
        elif name[:1] in _JSON_START:  # "newEvents", "node_uuid": decoded the first time only
            name = _string_text(name)
        tag = raw.get("tag", "")
        if type(tag) is not str:
            tag = str(tag)
        text = raw.get("text")
        if type(text) is str and text[:1] in _JSON_START:
            text = decode(text)
        # Child(pointer=..., ...) without the dataclass __init__: matching its keywords costs
        # more than the rest of this loop (tests/test_load.py checks the two make equal objects).
        item = _new(Child)
        item.pointer, item.raw, item.tag, item.name, item.attributes, item.value = (
            f"{prefix}{i}", raw, tag, name, attributes, text)
        found.append(item)
        if tag == "param" and name not in params:
            params[name] = item
    return found, params


def _node(cell: dict, pointer: str) -> Node:
    value = cell["value"]
    attributes = value.get("attributes") if isinstance(value.get("attributes"), dict) else {}
    children = value.get("children") if isinstance(value.get("children"), list) else []
    tag = str(value.get("tag"))
    kind = "branch" if tag == "evaluate" and attributes.get("key") == "branch" else tag
    items, params = _children(children, f"{pointer}/value/children")
    node = Node(
        pointer=pointer, raw=cell, id=str(cell.get("id")), tag=tag, kind=kind,
        label=_text(attributes.get("label")), name=_text(attributes.get("name")), attributes=attributes,
        children=items,
    )
    node._params = params
    return node


def _is_end(value: dict) -> bool:
    data = value.get("data")
    return (value.get("nodeType") == "end" or value.get("type") == "EN"
            or (isinstance(data, dict) and data.get("type") == "end"))


def _end(cell: dict, pointer: str) -> EndBinding:
    value = cell["value"]
    event = exit_result = None  # the params read: the last of each name counts
    for item in _items(value.get("params")):
        if isinstance(item, dict):
            name = item.get("name")
            if name == "nodeEvent":
                event = item.get("value")
            elif name == "exitResult":
                exit_result = item.get("value")
    data = value.get("data") if isinstance(value.get("data"), dict) else {}
    parent = decode(data.get("parentNode"))
    event = decode(event) or value.get("name") or value.get("value") or ""
    # EndBinding(pointer=..., ...) without the keyword __init__, as for children (a 10 MB flow
    # has thousands of End cells; tests/test_load.py checks the two make equal objects).
    end = _new(EndBinding)
    end.pointer, end.raw, end.id, end.parent_node, end.event, end.exit_result, end.port = (
        pointer, cell, str(cell.get("id")), None if parent in (None, "") else _text(parent), _text(event),
        decode(exit_result), _text(value.get("portType")))
    return end


def _edge(cell: dict, pointer: str) -> Edge:
    value = cell.get("value") if isinstance(cell.get("value"), dict) else {}
    return Edge(
        pointer=pointer, raw=cell, id=str(cell.get("id")), source=_text(cell.get("source")),
        target=_text(cell.get("target")), event=_text(value.get("name")),
        label=_text(value.get("label")), port=_text(value.get("porttype")),
    )


def _conditions(items: Any, pointer: str, source: str) -> list[Condition]:
    found = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        here = child(pointer, i)
        if isinstance(item.get("conditions"), list):  # a UI group
            found.extend(_conditions(item["conditions"], child(here, "conditions"), source))
            continue
        variable = item.get("varname", item.get("variable"))
        operator = item.get("opr", item.get("operator"))
        found.append(Condition(
            pointer=here, raw=item, variable=_text(variable), operator=_text(operator),
            value=decode(item.get("value")), value_pointer=child(here, "value"), source=source,
        ))
    return found


def _trigger(info: Any, info_pointer: str, start: Node | None) -> StartTrigger:
    info = info if isinstance(info, dict) else {}
    trigger = StartTrigger(
        pointer=info_pointer, raw=info, channel=_text(info.get("channel")), type=_text(info.get("type")),
        subtype=_text(info.get("subtype")), event_id=_text(info.get("eventid")),
        event_name=_text(info.get("eventname")),
        info_conditions=(_conditions(decode(info["conditions"]), child(info_pointer, "conditions"), "start_node_info")
                         if "conditions" in info else None),
    )
    if start is not None:
        for key, attr in (("apiReqConditions", "api_conditions"), ("conditions", "ui_conditions")):
            param = start.param(key)
            if param is not None:
                setattr(trigger, attr, _conditions(param.value, param.text_pointer, key))
        status = start.param("ruleConditionStatus")
        if status is not None and status.value not in ("", None):
            trigger.rule_condition_status = as_text(status.value) == "true"
    return trigger


def build_flow(data: dict[str, Any]) -> Flow:
    """The typed model of a flow document (the parsed JSON of a Source)."""
    flow = Flow(pointer="", raw=data, flow_id=_text(data.get("flowId")))
    workflow_info: tuple[Any, str] | None = None
    for index, cell in enumerate(_items(data.get("cells"))):
        pointer = f"/cells/{index}"
        if not isinstance(cell, dict):
            flow.unclassified.append(Cell(pointer=pointer, id="", reason="cell is not an object"))
            continue
        value = cell.get("value")
        if isinstance(value, dict) and value.get("tag") == "workflowdata":
            attrs = value.get("attributes") if isinstance(value.get("attributes"), dict) else {}
            flow.workflow_pointer = pointer
            workflow_info = (decode(attrs.get("start_node_info")),
                             child(pointer, "value", "attributes", "start_node_info"))
        elif cell.get("edge") in (True, "true", 1, "1"):
            flow.edges.append(_edge(cell, pointer))
        elif isinstance(value, dict) and _is_end(value):
            flow.ends.append(_end(cell, pointer))
        elif isinstance(value, dict) and value.get("tag"):
            node = _node(cell, pointer)
            flow.nodes.setdefault(node.id, node)
        else:
            flow.unclassified.append(Cell(pointer=pointer, raw=cell, id=_text(cell.get("id")),
                                          reason="no tag, not an edge and not an End"))
    if workflow_info is not None:
        flow.trigger = _trigger(*workflow_info, flow.start)
    for i, item in enumerate(_items(data.get("customVariables"))):
        if isinstance(item, dict) and "name" in item:
            flow.custom_variables.append(CustomVariable(
                pointer=f"/customVariables/{i}", raw=item, name=_text(item["name"]), value=decode(item.get("value"))))
    for i, item in enumerate(_items(data.get("outcomes"))):
        if isinstance(item, dict):
            flow.outcomes.append(FlowOutcome(
                pointer=f"/outcomes/{i}", raw=item, id=_text(item.get("id")),
                name=_text(item.get("name")), tag_name=_text(item.get("tagName"))))
    return flow


def decoded_document(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of the flow document in the decoded form (string-encoded settings parsed).

    Logical pointers (see ``load.locate``) address this document; declarative
    rules query it so that both encodings give the same matches.
    """
    copy = dict(data)
    cells = []
    for cell in data.get("cells") or []:
        value = cell.get("value") if isinstance(cell, dict) else None
        if isinstance(value, dict) and isinstance(value.get("children"), list):
            # A child whose text decodes to itself (not JSON, or a file in the decoded form) is
            # shared, not copied, and so is a cell none of whose children changes: nothing
            # writes into the decoded document (patch expands a copy of its own).
            children, changed = [], False
            for c in value["children"]:
                if type(c) is dict and "text" in c:
                    text = c["text"]
                    decoded = decode(text)
                    if decoded is not text:
                        c, changed = dict(c, text=decoded), True
                elif isinstance(c, dict) and "text" in c:  # a dict subclass: copied, as before
                    c, changed = dict(c, text=decode(c["text"])), True
                children.append(c)
            if changed:
                cell = dict(cell, value=dict(value, children=children))
        if isinstance(value, dict) and value.get("tag") == "workflowdata" and isinstance(value.get("attributes"), dict):
            attributes = dict(value["attributes"])
            if "start_node_info" in attributes:
                attributes["start_node_info"] = decode(attributes["start_node_info"])
            cell = dict(cell, value=dict(value, attributes=attributes))
        cells.append(cell)
    copy["cells"] = cells
    if isinstance(data.get("customVariables"), list):
        copy["customVariables"] = [dict(v, value=decode(v["value"])) if isinstance(v, dict) and "value" in v else v
                                   for v in data["customVariables"]]
    return copy
