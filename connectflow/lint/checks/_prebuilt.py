"""Prebuilt integration nodes: their settings copies and their authorization.

Shared by CF301-CF303 and CF501-CF503. A prebuilt node keeps its configuration
up to four times (platform-facts.md §2.1): ``nodeInput`` and ``extraParamsData``
(dicts keyed by field, sometimes by display name), ``request_body`` (a list of
``{name, value}`` with display names such as "Query Parameters") and, for header
fields such as Resolve Conversation's "Flow Id", ``methodRequestParameters``.
Keys are matched case-insensitively with spaces removed ("Trans ID" = ``transid``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from connectflow.load.locate import child
from connectflow.model import Node, as_text, decode

DICT_COPIES = ("nodeInput", "extraParamsData")
LIST_COPIES = ("request_body", "methodRequestParameters")
REDACTED = "[redacted]"

QUEUE_TASK = ("50021", "queue task")
RESOLVE_CONVERSATION = ("50302", "resolve conversation")


@dataclass(frozen=True)
class Setting:
    source: str   # nodeInput | extraParamsData | request_body | methodRequestParameters
    key: str      # as written ("Query Parameters", "queryParameters")
    value: Any    # decoded
    pointer: str

    @property
    def where(self) -> str:
        if self.source in DICT_COPIES:
            return f"{self.source}.{self.key}"
        return f'{self.source} "{self.key}"'


def norm_key(key: Any) -> str:
    return as_text(key).replace(" ", "").lower()


def is_kind(node: Node, kind: tuple[str, str]) -> bool:
    """A prebuilt node of a kind, by integration id or (renamed nodes aside) label."""
    integration, label = kind
    return node.tag == "prebuiltnode" and (
        as_text(node.param_value("integration_id")) == integration or node.label.strip().lower() == label)


def settings(node: Node, source: str) -> Iterator[Setting]:
    """The fields of one settings copy of a node, in order."""
    item = node.param(source)
    if item is None:
        return
    value, pointer = item.value, item.text_pointer
    if source in DICT_COPIES and isinstance(value, dict):
        for key, field in value.items():
            yield Setting(source, key, decode(field), child(pointer, key))
    elif source in LIST_COPIES and isinstance(value, list):
        for i, field in enumerate(value):
            if isinstance(field, dict) and "name" in field and "value" in field:
                yield Setting(source, as_text(field["name"]), decode(field["value"]), child(pointer, i, "value"))


def copies_of(node: Node, key: str, sources=(*DICT_COPIES, *LIST_COPIES)) -> list[Setting]:
    """Every copy of one field (``key`` compared as ``norm_key``), nodeInput first."""
    wanted = norm_key(key)
    found = []
    for source in sources:
        for setting in settings(node, source):
            if norm_key(setting.key) == wanted or (
                    source == "methodRequestParameters" and norm_key(_mrp_key(node, setting)) == wanted):
                found.append(setting)
    return found


def _mrp_key(node: Node, setting: Setting) -> str:
    """The API key of a methodRequestParameters field ("Flow Id" -> flowId)."""
    index = int(setting.pointer.rsplit("/", 2)[-2])
    field = node.param_value("methodRequestParameters")[index]
    return as_text(field.get("key") or field.get("path") or "")


# -- comparing values -------------------------------------------------------------------

def _normal(value: Any) -> Any:
    value = decode(value) if isinstance(value, str) else value
    if isinstance(value, dict):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, list):  # order-only differences are not drift
        return sorted((_normal(v) for v in value), key=canonical)
    return as_text(value)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def same(a: Any, b: Any) -> bool:
    """Equal as the platform sees them: decoded, scalars as text, lists in any order."""
    return canonical(_normal(a)) == canonical(_normal(b))


def redacted(value: Any) -> bool:
    return REDACTED in canonical(_normal(value))


def shown(value: Any, limit: int = 80) -> str:
    text = as_text(value)
    text = text if text != "" else '""'
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_reference(value: Any) -> bool:
    return "$(" in as_text(value)


# -- authorization ----------------------------------------------------------------------

@dataclass(frozen=True)
class AuthCopy:
    where: str
    value: Any
    pointer: str
    present: bool = True


def auth_copies(node: Node) -> tuple[AuthCopy | None, list[AuthCopy]]:
    """The ``auth_id`` param and each ``resourceinfo.resource_list[].auth_id``."""
    param = node.param("auth_id")
    main = AuthCopy("auth_id", param.value, param.text_pointer) if param is not None else None
    resources = []
    info = node.param("resourceinfo")
    if info is not None and isinstance(info.value, dict) and isinstance(info.value.get("resource_list"), list):
        for i, item in enumerate(info.value["resource_list"]):
            if isinstance(item, dict):
                here = child(info.text_pointer, "resource_list", i)
                resources.append(AuthCopy(f"resourceinfo.resource_list[{i}].auth_id", item.get("auth_id"),
                                          child(here, "auth_id") if "auth_id" in item else here,
                                          "auth_id" in item))
    return main, resources


def auth_is_set(value: Any) -> bool:
    """False for a missing, empty, -1 or other non-positive id; ids that are not numbers pass."""
    text = as_text(value).strip()
    if text in ("", "null", "undefined"):
        return False
    if text == REDACTED:
        return True
    try:
        return float(text) > 0
    except ValueError:
        return True


def viewmode(node: Node, name: str) -> tuple[Any, str] | None:
    """``(value, pointer)`` of ``viewmodeData[name=<name>]`` (display names)."""
    item = node.param("viewmodeData")
    if item is None or not isinstance(item.value, list):
        return None
    for i, entry in enumerate(item.value):
        if isinstance(entry, dict) and entry.get("name") == name:
            return entry.get("value"), child(item.text_pointer, i, "value")
    return None
