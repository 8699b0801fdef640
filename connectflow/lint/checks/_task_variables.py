"""Task context variables a flow passes to CCE: ECC (``user_...``) and call (``cv_...``) variables.

Shared by CF201-CF204. CCE Create Task (and End Task) nodes keep them in their
prebuilt settings (``request_body``, ``nodeInput``, ``extraParamsData``) as lists of
``{key, type, value}`` under ``userVariables``/``callVariables``; the Digital Routing
payload tells them apart by prefix, so a ``user_``/``cv_`` key in a task node's settings
counts too. Only what a task node sends counts: a ``user_id`` in an HTTP node's sample
response is not an ECC variable. The same variable usually sits in all three settings copies of a
node: ``first_of_each`` keeps one occurrence per node and name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterator

from connectflow.copies import SETTING_STORES, method
from connectflow.load.locate import child
from connectflow.model import Flow, Node, as_text, decode

ECC, CALL = "ecc", "call"
SECTIONS = {"uservariables": ECC, "eccvariables": ECC, "callvariables": CALL}
CALL_VARIABLE = re.compile(r"^cv_(?:[1-9]|10)$")
_MISSING = object()


@dataclass(frozen=True)
class TaskVariable:
    kind: str  # ECC or CALL
    name: str  # the key as written
    node: Node
    key_pointer: str
    value: Any = _MISSING
    value_pointer: str | None = None

    @property
    def literal(self) -> str | None:
        """The value as text when it is a literal (no ``$(`` reference), else None."""
        if self.value is _MISSING:
            return None
        text = as_text(self.value)
        return None if "$(" in text else text


def _section(name: Any) -> str | None:
    return _section_of(name) if isinstance(name, str) else None


@cache  # asked for every key of every node's settings; the same few names come back
def _section_of(name: str) -> str | None:
    return SECTIONS.get(re.sub(r"[^a-z]", "", as_text(name).lower()))


def _kind_by_prefix(name: Any) -> str | None:
    if not isinstance(name, str) or "$(" in name:
        return None
    if name.startswith("user_"):
        return ECC
    if name.startswith("cv_"):
        return CALL
    return None


def _may_hold(value: Any) -> bool:
    """Whether a variable can be found in ``value``: a container, or JSON held in a string."""
    return isinstance(value, (dict, list)) or (isinstance(value, str) and value[:1] in ("[", "{"))


def _walk(value: Any, pointer: str, node: Node, section: str | None) -> Iterator[TaskVariable]:
    if isinstance(value, str) and value[:1] in "[{":
        value = decode(value)  # a JSON document inside a string: the pointer goes on through it
    if isinstance(value, list):
        for i, item in enumerate(value):
            if _may_hold(item):
                yield from _walk(item, child(pointer, i), node, section)
        return
    if not isinstance(value, dict):
        return
    key = value.get("key")
    kind = section or _kind_by_prefix(key)
    if isinstance(key, str) and key.strip() and "$(" not in key and kind is not None:
        has_value = "value" in value
        yield TaskVariable(kind, key, node, child(pointer, "key"), value.get("value", _MISSING),
                           child(pointer, "value") if has_value else None)
        return
    named_section = _section(value.get("name"))  # request_body: {name: "UserVariables", value: [...]}
    for name, item in value.items():
        by_prefix = _kind_by_prefix(name)
        if by_prefix is None and not _may_hold(item):
            continue  # a plain value under a plain key, as most settings are: nothing to find
        here = child(pointer, name)
        if by_prefix is not None and not isinstance(item, (dict, list)):
            yield TaskVariable(by_prefix, name, node, here, item, here)
        elif _section(name) is not None:
            yield from _walk(item, here, node, _section(name))
        elif name == "value" and named_section is not None:
            yield from _walk(item, here, node, named_section)
        else:
            yield from _walk(item, here, node, None)


# Keys and names seen to name no section (a flow has a few hundred distinct keys, repeated in every
# node): a dict whose keys are all known is passed over by one set operation. It grows with the
# distinct keys seen, as _section_of's cache does.
_PLAIN_KEYS: set[str] = set()


def _has_section(value: Any) -> bool:
    """Whether a user/call variables section is named anywhere in ``value``: a key, or the
    ``name`` of a dict. Asked for every setting of every prebuilt node: a loop over a stack of
    the containers (the order does not matter for a yes or no), no call per scalar."""
    stack = [value]
    while stack:
        value = stack.pop()
        if type(value) is str:  # JSON held in a string
            value = decode(value)
        if type(value) is dict:
            if not _PLAIN_KEYS.issuperset(value):
                for key in value:
                    if _section(key) is not None:
                        return True
                    _PLAIN_KEYS.add(key)
            name = value.get("name")  # request_body: {name: "UserVariables", value: [...]}
            if type(name) is str and name not in _PLAIN_KEYS:
                if _section_of(name) is not None:
                    return True
                _PLAIN_KEYS.add(name)
            items = value.values()
        elif type(value) is list:
            items = value
        else:
            continue
        for item in items:
            t = type(item)
            if t is dict or t is list or (t is str and item[:1] in ("[", "{")):
                stack.append(item)
    return False


def is_task_node(node: Node) -> bool:
    """A node that passes task context to the contact center: a prebuilt node whose settings
    hold a user/call variables section, or whose method or label names a task (CCE Create
    Task, End Task; platform-facts.md §4.1-§4.4)."""
    if node.tag != "prebuiltnode":
        return False
    named = f"{method(node)} {node.label}".lower()
    return "task" in named or any(_has_section(node.param_value(store)) for store in SETTING_STORES)


def task_variables(flow: Flow, kind: str | None = None) -> list[TaskVariable]:
    """Every ECC/call variable that a task node sends, in its settings stores (``request_body``,
    ``nodeInput``, ``extraParamsData``, ``methodRequestParameters``), in order. A ``user_``
    key elsewhere (an HTTP node's sample response, a node's response mapping) is not sent to CCE."""
    found = []
    for node in flow.nodes.values():
        if not is_task_node(node):
            continue
        for param in node.params:
            if param.name not in SETTING_STORES:
                continue
            found.extend(v for v in _walk(param.value, param.text_pointer, node, None)
                         if kind is None or v.kind == kind)
    return found


def of_kind(ctx, kind: str) -> list[TaskVariable]:
    """The flow's variables of one kind, from the walk shared on the lint context."""
    return [v for v in ctx.task_variables if v.kind == kind]


def first_of_each(variables: list[TaskVariable], by_value: bool = False) -> list[TaskVariable]:
    """One variable per (node, kind, name) (and literal value, with ``by_value``), the first."""
    seen, kept = set(), []
    for variable in variables:
        key = (variable.node.id, variable.kind, variable.name, variable.literal if by_value else None)
        if key not in seen:
            seen.add(key)
            kept.append(variable)
    return kept


def byte_length(text: str) -> int:
    return len(text.encode("utf-8"))
