"""Flows in the user's words: channel, event and node-kind names as the Flow Builder shows
them (the tables are data, ``[names.*]`` in catalogue.toml), a node's one-line title, its
authorization state and which of its values are template samples.

Shared by ``show``, the graph formats and the HTML report, so all three say the same.
"""

from __future__ import annotations

from typing import Any

from connectflow import catalogue
from connectflow.model import Flow, Node, StartTrigger, as_text


def channel_name(channel: str) -> str:
    """``SMS [1]``; an unknown channel keeps its number: ``channel 77``."""
    name = catalogue.names("channels").get(str(channel))
    if not channel:
        return "unknown channel"
    return f"{name} [{channel}]" if name else f"channel {channel}"


def event_name(trigger: StartTrigger) -> str:
    """``Incoming message (MO) [33]``: the event's name, its stored name, its id."""
    stored, number = trigger.event_name, trigger.event_id
    events = catalogue.names("events")
    name = events.get(stored) or events.get(number) or stored
    if not name:
        name = "webhook event" if trigger.subtype == "webhook" else "event"
    if stored and stored != name:
        name = f"{name} ({stored})"
    return f"{name} [{number}]" if number else name


def trigger_summary(trigger: StartTrigger | None) -> str:
    if trigger is None:
        return "unknown (no workflowdata cell)"
    return f"{channel_name(trigger.channel)}, {event_name(trigger)}"


def _viewmode(node: Node, name: str) -> str:
    for item in node.param_value("viewmodeData") or []:
        if isinstance(item, dict) and item.get("name") == name:
            return as_text(item.get("value"))
    return ""


def integration_ids(node: Node) -> tuple[str, str]:
    """``(integration id, group id)`` of a prebuilt node, from its params or its resource list."""
    integration, group = as_text(node.param_value("integration_id")), as_text(node.param_value("group_id"))
    info = node.param_value("resourceinfo")
    resources = info.get("resource_list") if isinstance(info, dict) else None
    first = resources[0] if isinstance(resources, list) and resources and isinstance(resources[0], dict) else {}
    return integration or as_text(first.get("integration_id")), group or as_text(first.get("group_id"))


def kind_name(node: Node) -> str:
    """What the Flow Builder calls the node: ``Send SMS``, ``Branch``, ``HTTP Request``; a
    prebuilt integration node by its method (``Create Task``); an unknown tag as itself."""
    if node.tag == "umppublic":
        sends = catalogue.names("send_nodes")
        channel = as_text(node.param_value("deliverychannel")).lower()
        return sends.get(channel) or sends.get(as_text(node.attributes.get("key")).lower(), "Send")
    if node.tag == "prebuiltnode":
        return _viewmode(node, "method_id") or node.title
    return catalogue.names("kinds").get(node.kind, node.kind)


def integration_text(node: Node) -> str:
    """``CCE integration 50910, group 50900`` for a prebuilt node; "" for any other."""
    if node.tag != "prebuiltnode":
        return ""
    integration, group = integration_ids(node)
    family = catalogue.names("integration_groups").get(group, "")
    parts = [p for p in (integration and f"integration {integration}", group and f"group {group}") if p]
    return " ".join(p for p in (family, ", ".join(parts)) if p)


def authorization(node: Node) -> str | None:
    """``authorized`` / ``no runtime authorization`` for a prebuilt node (lint's own test of
    an auth id, CF301), None for nodes that need none."""
    if node.tag != "prebuiltnode":
        return None
    from connectflow.lint.checks._prebuilt import auth_is_set, auth_parts

    main, resources = auth_parts(node)
    copies = [c for c in ([main] if main else []) + resources]
    if copies and all(auth_is_set(c.value) for c in copies):
        name = _viewmode(node, "auth_id")
        return f"authorized ({name}, id {as_text(main.value)})" if name and main else "authorized"
    return "no runtime authorization"


def node_title(node: Node) -> str:
    """``Media Channel (Branch)``; the label is left out where it only repeats the kind."""
    kind = kind_name(node)
    label = node.title
    if not label or label == kind or node.tag == "start":
        return kind if node.tag != "start" else f"Start: {label or kind}"
    return f"{label} ({kind})"


def is_template_value(value: Any, variable: str = "") -> bool:
    """A value Cisco's templates ship with (catalogue.toml), which a live flow must not keep."""
    text = as_text(value)
    if not text:
        return False
    if text in catalogue.placeholder_destinations():
        return True
    defaults = catalogue.catalogue().get("channel_defaults", {})
    if variable and text in (str(v) for v in defaults.get(variable, ())):
        return True
    return text in catalogue.template_queue_ids() or text in catalogue.template_flow_ids()


def template_values(flow: Flow, node: Node) -> list[str]:
    """The template sample values a node holds (start conditions on the Start node, queue and
    flow ids on prebuilt nodes), as ``name = value``."""
    found = []
    if node.tag == "start" and flow.trigger is not None:
        for condition in flow.trigger.effective_conditions:
            if is_template_value(condition.value):
                found.append(f"{condition.variable} = {as_text(condition.value)}")
    if node.tag == "prebuiltnode":
        from connectflow.copies import setting_copies

        for key in ("queueid", "flowId"):
            found.extend(f"{key} = {as_text(c.value)}" for c in setting_copies(node, key) if is_template_value(c.value))
    return list(dict.fromkeys(found))
