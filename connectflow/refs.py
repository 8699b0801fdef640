"""Variable references ``$(...)``: find them wherever a flow holds them, parse, classify.

Where references occur (platform-facts.md §7.2), each found with the logical JSON
pointer of the string that holds it (through string-encoded JSON: the pointer of
``$(customerId)`` in a ``nodeInput`` stored as a string is still
``.../children/33/text/queryParameters/CustomerId``):

* node params, with any JSON nested in them (``request_body``, ``nodeInput``,
  ``methodRequestParameters``, Branch ``outcomes``, the Evaluate script, ...);
* transition actions (``session``/``log``/``all`` children) and ``nodevariablestore``;
* the Start conditions in ``start_node_info``;
* ``customVariables[].value``;
* flow outcome notifications (``outcomes[].notification``);
* edge ``value.edgeConfig``.

Not scanned: node ``attributes`` (the editor's dialog templates hold UI
placeholders such as ``$(width-integration)``) and End cells.

Forms (§7.1): ``$(n<id>.<path>)`` a node output, ``$(Name)`` a custom variable,
a documented system variable (``$(transid)``), ``<namespace>.<field>`` without a
node prefix (``$(sms.message)``); in ``nodevariablestore`` the producer's own output
(``$(webex.taskId)`` on the Start node, ``$(status)`` on a prebuilt node). Malformed: whitespace
inside, an empty body, digits only (``$(1100)``), no closing parenthesis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Iterable, Iterator

from connectflow.catalogue import catalogue
from connectflow.load.locate import child
from connectflow.model import Flow, Node, as_text, decode

NODE_REF = re.compile(r"^n(\d+)\.(.+)$")
# In JavaScript (Evaluate/Branch scripts) `$(` also starts jQuery-style calls: a candidate
# there must look like a reference, and a `$(` without `)` is left alone.
_SCRIPT_BODY = re.compile(r"^[\w.\- ]*$")
_SCRIPT_PARAMS = frozenset({"expression", "exp"})
_ASSIGNED = re.compile(r"(?:\b(?:var|let|const)\s+|(?<![\w$.])(?=[A-Za-z_]\w*\s*=(?!=)))([A-Za-z_]\w*)")


class Kind(str, Enum):
    NODE = "node"                # $(n<id>.<path>)
    CUSTOM = "custom"            # a custom variable of the flow
    ASSIGNED = "assigned"        # set by an Evaluate script or a transition action, not declared
    SYSTEM = "system"            # a documented platform variable (transid, flowname, ...)
    NAMESPACE = "namespace"      # <namespace>.<field> without a node prefix
    PLACEHOLDER = "placeholder"  # the editor's own template text (edgeConfig "$(name)")
    PRODUCER = "producer"        # nodevariablestore: the producer's record of its own output
    UNDEFINED = "undefined"      # none of the above
    MALFORMED = "malformed"


@dataclass(frozen=True)
class Reference:
    text: str            # as written: "$(n2.webex.ID)"; up to the end of the string when unbalanced
    body: str            # between the parentheses
    pointer: str         # logical pointer of the string that holds it
    offset: int          # where it starts in that string
    where: str           # param | transition | nodevariablestore | condition | custom-variable | outcome | edge
    node_id: str | None  # the node whose settings hold it (the source node of an edge)
    kind: Kind
    problem: str | None = None     # MALFORMED: what is wrong
    target: str | None = None      # NODE: the node id after "n"
    path: str | None = None        # NODE: the output path, "webex.ID"


@dataclass(frozen=True)
class Scope:
    """What a name in ``$(name)`` can be, in one flow."""

    custom: frozenset[str]
    assigned: frozenset[str]

    @classmethod
    def of(cls, flow: Flow) -> "Scope":
        assigned: set[str] = set()
        scripts: set[str] = set()  # an Evaluate stores its script twice (expression, exp): read it once
        for node in flow.nodes.values():
            if node.tag == "evaluate":
                for name in _SCRIPT_PARAMS:
                    script = as_text(node.param_value(name, ""))
                    if script not in scripts:
                        scripts.add(script)
                        assigned.update(script_assignments(script))
            for action in node.transition_actions:
                if action.tag == "session" and action.name:
                    assigned.add(action.name)
        return cls(frozenset(v.name for v in flow.custom_variables), frozenset(assigned))


# -- data -------------------------------------------------------------------------

@cache
def system_variables() -> frozenset[str]:
    return frozenset(catalogue()["variables"]["system"])


@cache
def namespaces() -> frozenset[str]:
    return frozenset(catalogue()["variables"]["namespaces"])


@cache
def edge_placeholders() -> frozenset[str]:
    return frozenset(catalogue()["variables"]["edge_placeholders"])


# -- parsing ------------------------------------------------------------------------

def script_assignments(script: str) -> set[str]:
    """Identifiers a script declares or assigns (``var detailsJson = ...``, ``customerId = ...``).

    The platform hands them to later nodes as ``$(name)``: Cisco's templates pass
    ``$(detailsJson)`` built in an Evaluate node to Resolve Conversation.
    """
    return set(_ASSIGNED.findall(script))


def problem_of(body: str) -> str | None:
    """Why a reference body is malformed, or None."""
    if body.strip() == "":
        return "is empty"
    if re.search(r"\s", body):
        return "contains whitespace"
    if body.isdigit():
        return "is only digits"
    return None


def scan(text: str, script: bool = False) -> Iterator[tuple[int, str, str, str | None]]:
    """``(offset, text, body, problem)`` for each ``$(`` in ``text``."""
    start = text.find("$(")
    while start != -1:
        after = start + 2
        close = text.find(")", after)
        nested = text.find("$(", after)
        line_end = text.find("\n", after)
        if close == -1 or (nested != -1 and nested < close) or (line_end != -1 and line_end < close):
            if not script:
                end = min(i for i in (nested, line_end, len(text)) if i != -1)
                yield start, text[start:end], text[after:end], "has no closing parenthesis"
            start = nested
            continue
        body = text[after:close]
        if "(" in body:  # "$(a(b))"
            if not script:
                yield start, text[start:close + 1], body, "contains a parenthesis"
        elif not script or _SCRIPT_BODY.match(body):
            yield start, text[start:close + 1], body, problem_of(body)
        start = text.find("$(", close + 1)


def parse(body: str) -> tuple[str | None, str | None]:
    """``(node id, path)`` of a node-output reference body, else ``(None, None)``."""
    match = NODE_REF.match(body)
    return (match.group(1), match.group(2)) if match else (None, None)


def classify(body: str, scope: Scope, where: str = "param") -> Kind:
    """The kind of a well-formed reference body."""
    if where == "nodevariablestore":  # "$(webex.taskId)", "$(status)": names an output of the holder
        return Kind.PRODUCER
    if NODE_REF.match(body):
        return Kind.NODE
    if body in scope.custom:
        return Kind.CUSTOM
    if where == "edge" and body in edge_placeholders():
        return Kind.PLACEHOLDER
    if body in scope.assigned:
        return Kind.ASSIGNED
    if body in system_variables():
        return Kind.SYSTEM
    if "." in body and body.split(".", 1)[0] in namespaces():
        return Kind.NAMESPACE
    return Kind.UNDEFINED


# -- finding ------------------------------------------------------------------------

def strings(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """``(pointer, string)`` for every string with a ``$(`` in a (decoded) value, through JSON
    held in strings."""
    found: list[tuple[str, str]] = []
    _strings(value, pointer, [], found)
    return iter(found)


def _strings(value: Any, pointer: str, path: list, found: list) -> None:
    # The pointer is spelled out only for the few strings found, not for every value walked;
    # a list is filled rather than generators chained (one per level, for every value).
    if isinstance(value, str):
        inner = decode(value) if value[:1] in "[{" else value
        if isinstance(inner, (dict, list)):
            _strings(inner, pointer, path, found)
        elif "$(" in value:
            found.append((child(pointer, *path) if path else pointer, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and "$(" not in item and item[:1] not in ("[", "{"):
                continue  # the common case, skipped without a call
            path.append(key)
            _strings(item, pointer, path, found)
            path.pop()
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str) and "$(" not in item and item[:1] not in ("[", "{"):
                continue
            path.append(i)
            _strings(item, pointer, path, found)
            path.pop()


def _references(value: Any, pointer: str, where: str, node_id: str | None, scope: Scope,
                 script: bool = False) -> Iterator[Reference]:
    for here, text in strings(value, pointer):
        for offset, written, body, problem in scan(text, script):
            if problem is not None:
                yield Reference(written, body, here, offset, where, node_id, Kind.MALFORMED, problem)
                continue
            target, path = parse(body)
            yield Reference(written, body, here, offset, where, node_id, classify(body, scope, where),
                            target=target, path=path)


def _node_references(node: Node, scope: Scope) -> Iterator[Reference]:
    for item in node.children:
        if item.tag == "event":
            continue
        if item.tag in ("session", "log", "all"):
            where = "transition"
        elif item.tag == "nodevariablestore":
            where = "nodevariablestore"
        else:
            where = "param"
        script = node.tag == "evaluate" and item.tag == "param" and item.name in _SCRIPT_PARAMS
        yield from _references(item.value, item.text_pointer, where, node.id, scope, script)


def find_references(flow: Flow, scope: Scope | None = None) -> list[Reference]:
    """Every ``$(...)`` in the flow, in document order of the places listed in the module doc."""
    scope = scope or Scope.of(flow)
    found: list[Reference] = []
    for node in flow.nodes.values():
        found.extend(_node_references(node, scope))
    if flow.trigger is not None and flow.trigger.info_conditions is not None:
        start = flow.start
        for condition in flow.trigger.info_conditions:
            found.extend(_references(condition.value, condition.value_pointer, "condition",
                                     start.id if start else None, scope))
    for variable in flow.custom_variables:
        found.extend(_references(variable.value, variable.value_pointer, "custom-variable", None, scope))
    for outcome in flow.outcomes:
        notification = outcome.raw.get("notification")
        if notification:
            found.extend(_references(decode(notification), child(outcome.pointer, "notification"),
                                     "outcome", None, scope))
    for edge in flow.edges:
        value = edge.raw.get("value")
        if isinstance(value, dict) and "edgeConfig" in value:
            found.extend(_references(value["edgeConfig"], child(edge.pointer, "value", "edgeConfig"),
                                     "edge", edge.source or None, scope))
    return found


def first_of_each(refs: Iterable[Reference]) -> list[tuple[Reference, int]]:
    """One reference per node and text (prebuilt nodes repeat their settings up to five
    times), with how many times it occurs there; references outside nodes stay as they are."""
    groups: dict[tuple, list[Reference]] = {}
    for ref in refs:
        key = (ref.node_id, ref.text) if ref.node_id is not None else (ref.pointer, ref.offset)
        groups.setdefault(key, []).append(ref)
    return [(items[0], len(items)) for items in groups.values()]


def more_places(count: int) -> str:
    """" (and 2 more places in this node)" for a reference ``first_of_each`` counted ``count`` times."""
    if count <= 1:
        return ""
    return f" (and {count - 1} more place{'s' if count > 2 else ''} in this node)"


# -- node outputs -------------------------------------------------------------------

# Outputs a node kind has without declaring them (``$(n3.http.statusCode)``, ``$(n11.receive.message)``).
IMPLICIT_OUTPUT_NAMESPACES = {
    "http": ("http",),
    "receive": ("receive",),
    "umppublic": ("send",),
    "umpapplebc": ("send",),
}


def declared_outputs(node: Node) -> set[str]:
    """The outputs a node declares (Start ``output_variables``, prebuilt ``custom_output_vars`` ...)."""
    return node.output_names


def output_declared(node: Node, path: str) -> bool | None:
    """Whether ``$(n<id>.<path>)`` names an output of ``node``; None when the node declares
    none at all (nothing to check against)."""
    outputs = declared_outputs(node)
    if not outputs:
        return None
    if path.split(".", 1)[0] in IMPLICIT_OUTPUT_NAMESPACES.get(node.tag, ()):
        return True
    return any(path == name or path.startswith(name + ".") or name.startswith(path + ".")
               for name in outputs)
