"""Where every copy of a setting lives.

The editor stores one setting in several places and reads different ones at
different times (platform-facts.md §2.1, §3.1, §5, §10.2). Lint compares the
copies (CF301-CF303, CF501-CF504) and patch writes all of them together,
so both go through these functions:

* start conditions: ``start_node_info.conditions``, the Start params
  ``apiReqConditions`` and the UI ``conditions`` groups;
* authorization: the ``auth_id`` param and ``resourceinfo.resource_list[].auth_id``;
  the display name in ``viewmodeData[name=auth_id].value`` is separate;
* prebuilt node configuration: ``nodeInput`` and ``extraParamsData`` (dicts keyed
  by field), ``request_body[].value`` and ``methodRequestParameters[].value``
  (lists of ``{name, value}``), plus a ``methodRequestParameters[].desc`` that
  repeats its value. Lists may use display names ("Query Parameters", "Flow Id"),
  so keys match case-insensitively without spaces, and a
  ``methodRequestParameters`` entry pairs a display name with its API key;
* Evaluate scripts: ``expression`` and ``exp``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from connectflow.load.locate import child
from connectflow.model import Flow, Node, as_text
from connectflow.settings import setting

DICT_STORES = ("nodeInput", "extraParamsData")
LIST_STORES = ("request_body", "methodRequestParameters")
SETTING_STORES = (*DICT_STORES, *LIST_STORES)

# Option lists a prebuilt node's dialog loaded from the org it was last saved in (Queue Task:
# the org's queues and skills). The dialog caches them in nodeInput and extraParamsData at
# different times, so they differ in order and keys; they are not settings the node sends.
DIALOG_OPTION_KEYS = frozenset({"queueinfo", "queuenameoptions", "skillinfo", "skilloptions"})

# Prebuilt node kinds both commands address: (integration id, label or method name, lower case),
# as the settings table (settings.toml) names them.
QUEUE_TASK = setting("queue").node
RESOLVE_CONVERSATION = setting("flow_id").node


@dataclass(frozen=True)
class Copy:
    pointer: str
    value: Any            # as stored: compare through as_text/decode, patch keeps its JSON type
    store: str            # nodeInput, request_body, auth_id, resourceinfo.resource_list, exp, apiReqConditions, ...
    key: str = ""         # settings copies: the field's name as the store writes it ("Flow Id", "flowId")
    detail: str = ""      # the place inside the store, for messages: '.queueid', ' "Flow Id"', '[0].auth_id'
    present: bool = True  # False: a resource-list entry that lacks auth_id (pointer: the entry)

    @property
    def where(self) -> str:
        return self.store + self.detail


# -- start conditions --------------------------------------------------------------------------

def condition_copies(flow: Flow, variable: str, value: Any) -> list[Copy]:
    """Every stored copy of the start condition ``variable`` ... ``value``."""
    if flow.trigger is None:
        return []
    return [Copy(c.value_pointer, c.value, c.source) for c in flow.trigger.all_copies
            if c.variable == variable and as_text(c.value) == as_text(value)]


# -- prebuilt nodes: kind, names, authorization --------------------------------------------------

def viewmode(node: Node, name: str) -> Copy | None:
    """``viewmodeData[name=<name>].value``: what the node's dialog shows (display names)."""
    param = node.param("viewmodeData")
    if param is None or not isinstance(param.value, list):
        return None
    for i, item in enumerate(param.value):
        if isinstance(item, dict) and item.get("name") == name and "value" in item:
            return Copy(child(param.text_pointer, i, "value"), item["value"], "viewmodeData", name, f' "{name}"')
    return None


def method(node: Node) -> str:
    found = viewmode(node, "method_id")
    return as_text(found.value) if found else ""


def is_kind(node: Node, kind: tuple[str, str]) -> bool:
    """A prebuilt node of a kind, by integration id, else by label or method (renamed nodes keep the method)."""
    integration, title = kind
    return node.tag == "prebuiltnode" and (as_text(node.param_value("integration_id")) == integration
                                           or title in (node.label.strip().lower(), method(node).lower()))


def nodes_of_kind(flow: Flow, kind: tuple[str, str]) -> list[Node]:
    return [node for node in flow.nodes.values() if is_kind(node, kind)]


def node_keys(node: Node) -> tuple[str, ...]:
    """How a profile or a setting may name a prebuilt node, most specific first."""
    return (as_text(node.param_value("integration_id")), node.label, method(node),
            as_text(node.param_value("group_id")))


def auth_copies(node: Node, missing: bool = False) -> list[Copy]:
    """The ``auth_id`` param, then each ``resourceinfo.resource_list[].auth_id``.

    ``missing``: also the resource entries without an ``auth_id`` (``present`` False),
    which lint reports but patch has no value to overwrite in.
    """
    found = []
    param = node.param("auth_id")
    if param is not None:
        found.append(Copy(param.text_pointer, param.value, "auth_id"))
    info = node.param("resourceinfo")
    if info is not None and isinstance(info.value, dict) and isinstance(info.value.get("resource_list"), list):
        for i, item in enumerate(info.value["resource_list"]):
            if not isinstance(item, dict) or not (missing or "auth_id" in item):
                continue
            here = child(info.text_pointer, "resource_list", i)
            found.append(Copy(child(here, "auth_id") if "auth_id" in item else here, item.get("auth_id"),
                              "resourceinfo.resource_list", detail=f"[{i}].auth_id", present="auth_id" in item))
    return found


def auth_name_copy(node: Node) -> Copy | None:
    """The authorization's display name, shown in the node's settings."""
    return viewmode(node, "auth_id")


# -- prebuilt node configuration -----------------------------------------------------------------

def norm_key(key: Any) -> str:
    """"Trans ID", "transId" and "transid" name one field."""
    return _norm_key(key) if type(key) is str else as_text(key).replace(" ", "").lower()


@lru_cache(maxsize=4096)  # asked for every field of every settings copy; a flow has a few hundred names
def _norm_key(key: str) -> str:
    return as_text(key).replace(" ", "").lower()


def settings(node: Node, store: str) -> Iterator[Copy]:
    """The fields of one settings store, in order."""
    for field in setting_fields(node, store):
        yield setting_copy(node, store, field)


# A field of a settings store, before it is made a Copy: (key, value, segments under the store's
# text pointer, detail).
Field = tuple[str, Any, tuple, str]


def setting_fields(node: Node, store: str) -> list[Field]:
    """``settings`` without making each field a Copy (CF503 compares thousands, reports a few)."""
    param = node.param(store)
    if param is None:
        return []
    value = param.value
    found: list[Field] = []
    if store in DICT_STORES and isinstance(value, dict):
        for key, field in value.items():
            found.append((key, field, (key,), f".{key}"))
    elif store in LIST_STORES and isinstance(value, list):
        for i, item in enumerate(value):
            name = _item_name(store, item)
            if not name or "value" not in item:
                continue
            found.append((name, item["value"], (i, "value"), f' "{name}"'))
            # A desc equal to the value repeats it; a different desc is a real description.
            if "desc" in item and _same_text(item["desc"], item["value"]):
                found.append((name, item["desc"], (i, "desc"), f' "{name}".desc'))
    return found


def _same_text(one: Any, other: Any) -> bool:
    """``as_text(one) == as_text(other)``; equal strings need no decoding (the common case)."""
    return type(one) is str and type(other) is str and one == other or as_text(one) == as_text(other)


def setting_copy(node: Node, store: str, field: Field) -> Copy:
    """The Copy of a field ``setting_fields`` listed."""
    key, value, segments, detail = field
    return Copy(child(node.param(store).text_pointer, *segments), value, store, key, detail)


def _item_name(store: str, item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    if store == "methodRequestParameters":
        return as_text(item.get("name") or item.get("key") or item.get("path") or "")
    return as_text(item.get("name") or "")


def _aliases(node: Node, key: str) -> set[str]:
    """``key`` and the other names of the same field: a methodRequestParameters entry
    pairs the display name ("Flow Id") with the API key (``flowId``, in ``key`` or ``path``)."""
    normed = norm_key(key)
    wanted = {normed}
    entries = node.param_value("methodRequestParameters")
    for item in entries if isinstance(entries, list) else []:
        if isinstance(item, dict):
            names = {norm_key(item[k]) for k in ("name", "key", "path") if item.get(k)}
            if normed in names:
                wanted |= names
    return wanted


def setting_copies(node: Node, key: str, stores: tuple[str, ...] = SETTING_STORES) -> list[Copy]:
    """Every copy of the prebuilt node setting ``key`` in ``stores``, nodeInput first."""
    aliases = _aliases(node, key)
    return [c for store in stores for c in settings(node, store) if norm_key(c.key) in aliases]


# -- Evaluate scripts ----------------------------------------------------------------------------

def script_copies(node: Node) -> list[Copy]:
    """``expression`` and ``exp`` of an Evaluate node (a Branch has only ``expression``)."""
    if node.tag != "evaluate":
        return []
    return [Copy(p.text_pointer, p.value, p.name) for p in (node.param("expression"), node.param("exp"))
            if p is not None]


# -- from one copy to all of them ----------------------------------------------------------------

def copies_at(flow: Flow, pointer: str) -> list[Copy]:
    """All copies of the setting one of whose copies is at ``pointer``; [] when it is no known copy."""
    return CopyFinder(flow).at(pointer)


class CopyFinder:
    """``copies_at`` for many pointers into one flow: each node's copies are listed once."""

    def __init__(self, flow: Flow):
        self.flow = flow
        self._nodes: dict[str, tuple] = {}  # node id -> (auth copies, script copies, settings' fields, their keys)
        self._alias_cache: dict[tuple[str, str], set[str]] = {}

    def _listing(self, node: Node) -> tuple:
        known = self._nodes.get(node.id)
        if known is None:
            # (store, its text pointer, field) of every settings field: a pointer and a Copy only
            # of those returned (a 10 MB flow's CF230 lists some 10,000 fields, returns 2,000)
            listed = []
            for store in SETTING_STORES:
                fields = setting_fields(node, store)
                if fields:
                    base = node.param(store).text_pointer
                    listed.extend((store, base, field) for field in fields)
            known = self._nodes[node.id] = (auth_copies(node), script_copies(node), listed,
                                            [norm_key(field[0]) for _, _, field in listed])
        return known

    def at(self, pointer: str) -> list[Copy]:
        flow = self.flow
        if flow.trigger is not None:
            for condition in flow.trigger.all_copies:
                if condition.value_pointer == pointer:
                    return condition_copies(flow, condition.variable, condition.value)
        node = flow.node_at(pointer)
        if node is None:
            return []
        auth, script, listed, keys = self._listing(node)
        for group in (auth, script):
            if any(c.pointer == pointer for c in group):
                return list(group)
        # A field of another store is passed over by its store's pointer, before spelling its own.
        hit = next((field for _, base, field in listed
                    if pointer.startswith(base) and child(base, *field[2]) == pointer), None)
        if hit is None:
            return []
        aliases = self._aliases(node, hit[0])
        return [Copy(child(base, *field[2]), field[1], store, field[0], field[3])  # setting_copies(node, hit.key)
                for (store, base, field), key in zip(listed, keys) if key in aliases]

    def _aliases(self, node: Node, key: str) -> set[str]:
        """``_aliases(node, key)``, worked out once per node and field."""
        known = self._alias_cache.get((node.id, key))
        if known is None:
            known = self._alias_cache[(node.id, key)] = _aliases(node, key)
        return known
