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
    _value_strings(value, pointer, found)
    return iter(found)


def _value_strings(value: Any, pointer: str, found: list) -> None:
    # Dispatch on type(): documents come from the JSON decoder (plain dict, list, str).
    t = type(value)
    if t is str and value[:1] in ("[", "{"):  # JSON held in a string: the pointer goes on through it
        value = decode(value)
        t = type(value)
    if t is dict or t is list:
        _strings(value, pointer, [], found)
    elif t is str and "$(" in value:
        found.append((pointer, value))


def _strings(value: dict | list, pointer: str, path: list, found: list) -> None:
    # One call per container, none per scalar: a 10 MB flow holds some 30,000 containers and
    # 140,000 strings, nearly all without "$(" (skipped by one `in`). The pointer is spelled
    # out only for the strings found.
    for key, item in value.items() if type(value) is dict else enumerate(value):
        t = type(item)
        if t is str:
            if "$(" not in item and "\\u" not in item:
                continue  # nothing to find, not even in JSON it may hold ("$(" may be escaped there)
            if item[:1] in ("[", "{"):
                inner = decode(item)
                if type(inner) is dict or type(inner) is list:
                    path.append(key)
                    _strings(inner, pointer, path, found)
                    path.pop()
                    continue
            if "$(" in item:
                found.append((child(pointer, *path, key), item))
        elif t is dict or t is list:
            path.append(key)
            _strings(item, pointer, path, found)
            path.pop()


class _Finder:
    """Collects the references of one flow. What a text holds is worked out once per distinct
    text: prebuilt nodes repeat their settings, and a flow repeats the same few references."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.found: list[Reference] = []
        # (text, script, where) -> [(offset, written, body, kind, problem, target, path)]
        self._parsed: dict[tuple[str, bool, str], list[tuple]] = {}

    def add(self, value: Any, pointer: str, where: str, node_id: str | None, script: bool = False) -> None:
        """The references in ``value`` (held at ``pointer``)."""
        texts: list[tuple[str, str]] = []
        _value_strings(value, "", texts)
        if texts:
            self._add(texts, pointer, where, node_id, script)

    def _add(self, texts: list[tuple[str, str]], pointer: str, where: str, node_id: str | None,
             script: bool) -> None:
        """The references in ``texts``: (pointer under ``pointer``, string) pairs."""
        for here, text in texts:
            parsed = self._parsed.get((text, script, where))
            if parsed is None:
                parsed = self._parsed[(text, script, where)] = self._parse(text, script, where)
            for fields in parsed:
                self.found.append(_reference(fields, pointer + here, node_id))

    def _parse(self, text: str, script: bool, where: str) -> list[dict[str, Any]]:
        """The fields of each reference in ``text`` but its pointer and node."""
        parsed = []
        for offset, written, body, problem in scan(text, script):
            kind, target, path = Kind.MALFORMED, None, None
            if problem is None:
                kind, (target, path) = classify(body, self.scope, where), parse(body)
            parsed.append(dict(text=written, body=body, pointer="", offset=offset, where=where, node_id=None,
                               kind=kind, problem=problem, target=target, path=path))
        return parsed


    def add_node(self, node: Node) -> None:
        evaluate = node.tag == "evaluate"
        for item in node.children:
            value = item.value
            t = type(value)
            if t is str:
                if "$(" not in value and "\\u" not in value:
                    continue  # most settings: a plain string (or JSON in one) without a reference
            elif t is not dict and t is not list:
                continue  # numbers, booleans, null
            tag = item.tag
            if tag == "event":
                continue
            texts: list[tuple[str, str]] = []
            _value_strings(value, "", texts)  # the pointer spelled out only when something is found
            if not texts:
                continue
            if tag in ("session", "log", "all"):
                where = "transition"
            elif tag == "nodevariablestore":
                where = "nodevariablestore"
            else:
                where = "param"
            script = evaluate and tag == "param" and item.name in _SCRIPT_PARAMS
            self._add(texts, item.text_pointer, where, node.id, script)


def _reference(fields: dict[str, Any], pointer: str, node_id: str | None) -> Reference:
    """``Reference(**fields)`` at ``pointer`` in ``node_id``, without the frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` per field: the largest part of making the 3,800
    references of a 10 MB flow). ``fields`` holds every field in their order (``_parse``), so the
    object is the one ``__init__`` makes (tests/test_refs.py checks it)."""
    ref = object.__new__(Reference)
    ref.__dict__.update(fields, pointer=pointer, node_id=node_id)
    return ref


def find_references(flow: Flow, scope: Scope | None = None) -> list[Reference]:
    """Every ``$(...)`` in the flow, in document order of the places listed in the module doc."""
    finder = _Finder(scope or Scope.of(flow))
    for node in flow.nodes.values():
        finder.add_node(node)
    if flow.trigger is not None and flow.trigger.info_conditions is not None:
        start = flow.start
        for condition in flow.trigger.info_conditions:
            finder.add(condition.value, condition.value_pointer, "condition", start.id if start else None)
    for variable in flow.custom_variables:
        finder.add(variable.value, variable.value_pointer, "custom-variable", None)
    for outcome in flow.outcomes:
        notification = outcome.raw.get("notification")
        if notification:
            finder.add(decode(notification), child(outcome.pointer, "notification"), "outcome", None)
    for edge in flow.edges:
        value = edge.raw.get("value")
        if isinstance(value, dict) and "edgeConfig" in value:
            finder.add(value["edgeConfig"], child(edge.pointer, "value", "edgeConfig"), "edge", edge.source or None)
    return finder.found


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
