"""Where every copy of a setting lives.

The editor stores one setting in several places and reads different ones at
different times (platform-facts §2.1, §3.1, §5, §10.2). A patch that changed one
copy would leave the flow inconsistent, so every patch goes through these
functions and changes all copies together:

* start conditions: ``start_node_info.conditions``, the Start params
  ``apiReqConditions`` and the UI ``conditions`` groups;
* authorization: the ``auth_id`` param and ``resourceinfo.resource_list[].auth_id``
  (the display name in ``viewmodeData[name=auth_id].value`` is separate);
* prebuilt node configuration: ``nodeInput``, ``extraParamsData``,
  ``request_body[].value`` and ``methodRequestParameters[].value``/``desc``, where the
  key is present (request_body and methodRequestParameters may use the display
  name, e.g. "Flow Id" for ``flowId``);
* Evaluate scripts: ``expression`` and ``exp``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from connectflow.load.locate import child, split
from connectflow.model import Flow, Node, as_text


@dataclass(frozen=True)
class Copy:
    pointer: str
    old: Any
    where: str  # which copy, for messages and the summary


def condition_copies(flow: Flow, variable: str, old: Any) -> list[Copy]:
    """Every stored copy of the start condition ``variable`` ... ``old``."""
    if flow.trigger is None:
        return []
    return [Copy(c.value_pointer, c.value, c.source) for c in flow.trigger.all_copies
            if c.variable == variable and as_text(c.value) == as_text(old)]


def auth_copies(node: Node) -> list[Copy]:
    found = []
    param = node.param("auth_id")
    if param is not None:
        found.append(Copy(param.text_pointer, param.value, "auth_id"))
    resources = node.param("resourceinfo")
    if resources is not None and isinstance(resources.value, dict):
        for i, item in enumerate(resources.value.get("resource_list") or []):
            if isinstance(item, dict) and "auth_id" in item:
                found.append(Copy(child(resources.text_pointer, "resource_list", i, "auth_id"), item["auth_id"],
                                  "resourceinfo.resource_list"))
    return found


def auth_name_copy(node: Node) -> Copy | None:
    """The authorization's display name, shown in the node's settings."""
    param = node.param("viewmodeData")
    if param is None or not isinstance(param.value, list):
        return None
    for i, item in enumerate(param.value):
        if isinstance(item, dict) and item.get("name") == "auth_id" and "value" in item:
            return Copy(child(param.text_pointer, i, "value"), item["value"], "viewmodeData")
    return None


def _names(node: Node, key: str) -> set[str]:
    """``key`` and the other names of the same parameter (display name, API key)."""
    names = {key}
    for item in _list(node, "methodRequestParameters"):
        if item.get("name") == key or item.get("key") == key:
            names.update(str(item[k]) for k in ("name", "key") if item.get(k))
    return names


def _list(node: Node, name: str) -> list[dict]:
    value = node.param_value(name)
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def setting_copies(node: Node, key: str) -> list[Copy]:
    """Every copy of the prebuilt node setting ``key`` that the node has."""
    names = _names(node, key)
    found = []
    for store in ("nodeInput", "extraParamsData"):
        param = node.param(store)
        if param is not None and isinstance(param.value, dict):
            found += [Copy(child(param.text_pointer, name), param.value[name], store)
                      for name in sorted(names) if name in param.value]
    for store, fields, match in (("request_body", ("value",), ("name",)),
                                 ("methodRequestParameters", ("value", "desc"), ("name", "key"))):
        param = node.param(store)
        for i, item in enumerate(_list(node, store)):
            if any(item.get(m) in names for m in match):
                found += [Copy(child(param.text_pointer, i, f), item[f], store) for f in fields if _holds(item, f)]
    return found


def _holds(item: dict, field: str) -> bool:
    """``desc`` of a request parameter repeats its value; a different desc is a real description."""
    if field == "desc":
        return "desc" in item and as_text(item["desc"]) == as_text(item.get("value"))
    return field in item


def script_copies(node: Node) -> list[Copy]:
    return [Copy(p.text_pointer, p.value, p.name) for p in (node.param("expression"), node.param("exp"))
            if p is not None]


# -- from one pointer to all copies (for --set) -------------------------------------------------

def copies_of(flow: Flow, pointer: str, old: Any) -> list[Copy]:
    """All copies of the setting one of whose copies is at ``pointer`` (just itself if it has none)."""
    own = Copy(pointer, old, "")
    if flow.trigger is not None:
        for condition in flow.trigger.all_copies:
            if condition.value_pointer == pointer:
                return condition_copies(flow, condition.variable, condition.value) or [own]
    node = next((n for n in flow.nodes.values() if pointer.startswith(n.pointer + "/")), None)
    if node is None:
        return [own]
    groups = [auth_copies(node), script_copies(node) if node.tag == "evaluate" else []]
    key = _setting_key(node, pointer)
    if key is not None:
        groups.append(setting_copies(node, key))
    for group in groups:
        if any(c.pointer == pointer for c in group):
            return group
    return [own]


def _setting_key(node: Node, pointer: str) -> str | None:
    """The parameter name, when ``pointer`` is one of a prebuilt node's configuration copies."""
    for param in node.params:
        if not pointer.startswith(param.text_pointer + "/"):
            continue
        rest = split(pointer[len(param.text_pointer):])
        if param.name in ("nodeInput", "extraParamsData") and len(rest) == 1:
            return rest[0]
        if param.name in ("request_body", "methodRequestParameters") and len(rest) == 2 \
                and re.fullmatch(r"\d+", rest[0]) and rest[1] in ("value", "desc"):
            item = _list(node, param.name)[int(rest[0])] if int(rest[0]) < len(_list(node, param.name)) else {}
            return item.get("key") or item.get("name")
    return None
