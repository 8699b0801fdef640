"""The catalogue of template sample values (data in catalogue.toml, loaded once)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any


@cache
def catalogue() -> dict[str, Any]:
    # a plain file beside this module, as settings.toml: importlib.resources costs more than reading it
    from connectflow.parse_cache import parsed_file, toml

    return parsed_file(os.path.join(os.path.dirname(__file__), "catalogue.toml"), toml)


def placeholder_destinations() -> frozenset[str]:
    return frozenset(catalogue()["placeholder_destinations"])


def placeholder_channel(value: str) -> str | None:
    """The asset channel a template sample destination stands for (None: not a sample, or no channel)."""
    return catalogue()["placeholder_destinations"].get(value) or None


def template_queue_ids() -> frozenset[str]:
    return frozenset(str(q) for q in catalogue()["queue_task"]["queue_ids"])


def template_flow_ids() -> frozenset[str]:
    return frozenset(str(i) for i in catalogue()["resolve_conversation"]["flow_ids"])


@dataclass(frozen=True)
class TemplateValue:
    value: str
    kind: str   # "asset", a custom variable's name, "queue_id", "flow_id", "sms_number", ...
    what: str
    match: str = "token"  # token | exact | auth_name


@cache
def template_values() -> tuple[TemplateValue, ...]:
    """The whole catalogue of values a tenant must replace, one entry per value."""
    data = catalogue()
    found: dict[str, TemplateValue] = {}

    def add(item: TemplateValue) -> None:
        found.setdefault(item.value, item)

    for item in data["template_values"]:  # first: they name the kind more precisely (sms_number)
        add(TemplateValue(str(item["value"]), item["kind"], item["what"], item.get("match", "token")))
    for value, channel in data["placeholder_destinations"].items():
        add(TemplateValue(value, "asset", f"a template sample {channel or 'destination'} asset id"))
    for name, shipped in data["channel_defaults"].items():
        for value in shipped:
            add(TemplateValue(str(value), name, f"the template's {name}"))
    for value in data["queue_task"]["queue_ids"]:
        add(TemplateValue(str(value), "queue_id", "a queue of Cisco's authoring org"))
    for value in data["resolve_conversation"]["flow_ids"]:
        add(TemplateValue(str(value), "flow_id", "a template's flow id", "exact"))
    return tuple(found.values())


def destination_variables() -> frozenset[str]:
    return frozenset(catalogue()["destination_variables"])


def is_destination_variable(name: str) -> bool:
    return name in destination_variables() or name.lower().endswith(".destination")


def asset_channels(by: str) -> dict[str, str]:
    """``[asset_channels.<by>]``: what tells the profile asset channel (``sms``, ``livechat``, ...)
    of a destination: ``namespace`` of its variable, the flow's ``trigger`` channel, a
    ``media_channel`` condition value, or a channel's custom ``variable``."""
    return catalogue()["asset_channels"][by]


def asset_channel(variable: str = "", trigger_channel: str = "") -> str | None:
    """The asset channel a destination belongs to: from the condition variable's namespace
    (``inappmessaging.appId``), else from the flow's trigger channel (``start_node_info.channel``);
    None when neither tells (webhook, WxCC events)."""
    namespace = variable.split(".", 1)[0] if "." in variable else ""
    return asset_channels("namespace").get(namespace) or asset_channels("trigger").get(str(trigger_channel))


def outcome_label(event: str) -> str:
    """The label the Flow Builder shows for a node event (``1`` -> ``Success``)."""
    return catalogue()["outcome_labels"].get(event.lower(), event)


def outcome_port(event: str) -> str:
    return catalogue()["outcome_ports"].get(event.lower(), "MP")


def names(table: str) -> dict[str, str]:
    """``[names.<table>]``: what the Flow Builder calls a channel, event, node kind, ..."""
    return catalogue()["names"].get(table, {})
