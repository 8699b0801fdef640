"""``connectflow show --format mermaid|dot|json``: a :class:`FlowView` as a graph document.

Nodes are labelled as ``show`` names them, edges with the outcome's label, End bindings
are terminal nodes, outcomes that go nowhere are dashed edges to a "not connected" marker,
and nodes with findings are styled by their worst severity. Every label is escaped for
the target syntax here (user text from the flow file never reaches the output raw).
The JSON document is described in docs/graph-json.md (schema: docs/graph.schema.json).
"""

from __future__ import annotations

import json
import re

from connectflow.flowview import FlowView, ViewEdge, ViewNode
from connectflow.graph import END_PREFIX

SCHEMA_VERSION = 1
COLOURS = {"error": ("#fde2e1", "#c62828"), "warning": ("#fff4d6", "#b26a00"), "info": ("#e3f2fd", "#1565c0")}


def node_lines(node: ViewNode) -> list[str]:
    """A node's label, one entry a line: title, integration, authorization, findings count."""
    lines = [node.title]
    if node.integration:
        lines.append(node.integration)
    if node.authorization:
        lines.append(node.authorization)
    if node.findings:
        count = len(node.findings)
        lines.append(f"{count} finding{'s' if count > 1 else ''} ({node.severity})")
    return lines


def edge_label(edge: ViewEdge) -> str:
    return edge.label or edge.event


def _marker(edge: ViewEdge, index: int) -> str:
    return f"nc_{edge.source}_{index}"


# -- Mermaid -------------------------------------------------------------------------------------

_MERMAID_ID = re.compile(r"[^A-Za-z0-9_]")


def _mid(node_id: str) -> str:
    prefix, rest = ("end_", node_id[len(END_PREFIX):]) if node_id.startswith(END_PREFIX) else ("n", node_id)
    return prefix + _MERMAID_ID.sub(lambda m: f"_{ord(m.group()):x}_", rest)


# Mermaid's entity codes (#quot;) are not decoded by every renderer (mermaid 12.3 shows them raw),
# so the few characters its quoted labels cannot hold become look-alikes: no markup, no quote end.
MERMAID_SUBSTITUTES = {'"': "'", "<": "‹", ">": "›", "`": "'"}
_ENTITY_LIKE = re.compile(r"([&#])(?=#?\w+;)")


def _mtext(text: str) -> str:
    """Text for a Mermaid quoted label: one line, nothing the syntax or HTML would read."""
    text = "".join(MERMAID_SUBSTITUTES.get(c, c) if c >= " " else " " for c in text)
    return _ENTITY_LIKE.sub(lambda m: "＆" if m.group(1) == "&" else "＃", text)


def to_mermaid(view: FlowView) -> str:
    out = ["flowchart TD"]
    for node in view.nodes:
        label = "<br/>".join(_mtext(line) for line in node_lines(node))
        shape = ('(["', '"])') if node.node.tag == "start" else ('["', '"]')
        out.append(f"  {_mid(node.id)}{shape[0]}{label}{shape[1]}")
    for end in view.ends:
        out.append(f'  {_mid(end.id)}(("End"))')
    for node in view.nodes:
        for index, edge in enumerate(node.edges):
            if edge.optional:
                continue
            label = _mtext(edge_label(edge))
            if edge.target is None:
                marker = _marker(edge, index)
                out.append(f'  {_mid(edge.source)} -.->|"{label}"| {_mid(marker)}[/"not connected"/]')
            else:
                out.append(f'  {_mid(edge.source)} -->|"{label}"| {_mid(edge.target)}')
    for level, (fill, stroke) in COLOURS.items():
        out.append(f"  classDef {level} fill:{fill},stroke:{stroke},stroke-width:2px")
    out.append("  classDef unconnected fill:#fff,stroke:#c62828,stroke-dasharray:4 3,color:#c62828")
    out.append("  classDef unreachable stroke-dasharray:6 4,color:#777")
    for level in COLOURS:
        ids = [_mid(n.id) for n in view.nodes if n.severity == level]
        if ids:
            out.append(f"  class {','.join(ids)} {level}")
    markers = [_mid(_marker(e, i)) for n in view.nodes for i, e in enumerate(n.edges) if e.unhandled]
    if markers:
        out.append(f"  class {','.join(markers)} unconnected")
    unreachable = [_mid(n.id) for n in view.nodes if not n.reachable and not n.severity]
    if unreachable:
        out.append(f"  class {','.join(unreachable)} unreachable")
    return "\n".join(out) + "\n"


# -- Graphviz DOT --------------------------------------------------------------------------------

def _dot_text(text: str) -> str:
    """Text inside a DOT double-quoted string: quotes and backslashes escaped, control characters as spaces."""
    clean = "".join(c if c >= " " else " " for c in text)
    return clean.replace("\\", "\\\\").replace('"', '\\"')


def _dq(text: str) -> str:
    return '"' + _dot_text(text) + '"'


def _dlabel(lines: list[str]) -> str:
    # "\n" is DOT's line break inside a label, so the text's own backslashes are escaped first.
    return '"' + "\\n".join(_dot_text(line) for line in lines) + '"'


def to_dot(view: FlowView) -> str:
    out = [f"digraph {_dq(view.path)} {{", "  rankdir=TB;",
           '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9];']
    for node in view.nodes:
        attrs = [f"label={_dlabel(node_lines(node))}", f"id={_dq('node-' + node.id)}"]
        if node.severity:
            fill, stroke = COLOURS[node.severity]
            attrs += [f'fillcolor="{fill}"', f'color="{stroke}"', "penwidth=2", f'class="{node.severity}"']
        if node.node.tag == "start":
            attrs.append('shape=oval')
        if not node.reachable:
            attrs.append('style="rounded,filled,dashed"')
        out.append(f"  {_dq(node.id)} [{', '.join(attrs)}];")
    for end in view.ends:
        out.append(f'  {_dq(end.id)} [label="End", shape=doublecircle, fontsize=8, width=0.3];')
    for node in view.nodes:
        for index, edge in enumerate(node.edges):
            if edge.optional:
                continue
            label = _dq(edge_label(edge))
            if edge.target is None:
                marker = _marker(edge, index)
                out.append(f'  {_dq(marker)} [label="not connected", shape=plaintext, fontcolor="#c62828"];')
                out.append(f'  {_dq(edge.source)} -> {_dq(marker)} [label={label}, style=dashed, color="#c62828"];')
            else:
                out.append(f"  {_dq(edge.source)} -> {_dq(edge.target)} [label={label}];")
    out.append("}")
    return "\n".join(out) + "\n"


# -- JSON ----------------------------------------------------------------------------------------

def _finding(finding) -> dict:
    from connectflow.report.json_ import finding_dict

    return finding_dict(finding)


def view_dict(view: FlowView) -> dict:
    trigger = view.flow.trigger
    nodes = []
    for node in view.nodes:
        nodes.append({
            "id": node.id, "label": node.label, "kind": node.kind, "kind_name": node.kind_name,
            "title": node.title, "order": node.order, "reachable": node.reachable,
            "integration": node.integration or None, "authorization": node.authorization,
            "template_values": _template_values(view, node), "severity": node.severity,
            "findings": [_finding(f) for f in node.findings],
        })
    nodes.extend({"id": end.id, "label": "End", "kind": "end", "kind_name": "End", "title": "End",
                  "order": None, "reachable": None, "integration": None, "authorization": None,
                  "template_values": [], "severity": None, "findings": []} for end in view.ends)
    edges = [{"source": e.source, "target": e.target, "event": e.event, "label": edge_label(e), "port": e.port,
              "connected": e.connected, "declared": e.declared} for e in view.edges]
    return {
        "version": SCHEMA_VERSION,
        "flow": {"file": view.path, "flow_id": view.flow_id or None,
                 "trigger": {"channel": trigger.channel if trigger else None,
                             "event_id": trigger.event_id if trigger else None,
                             "event_name": trigger.event_name if trigger else None,
                             "summary": view.trigger},
                 "conditions": [{"join": j or None, "condition": c, "template_value": t}
                                for j, c, t in view.conditions()],
                 "linted": view.linted},
        "nodes": nodes,
        "edges": edges,
        "findings": [_finding(f) for f in view.flow_findings],
    }


def _template_values(view: FlowView, node: ViewNode) -> list[str]:
    return view.template_values(node)


def to_json(views: list[FlowView]) -> str:
    """One document for one flow; ``{"flows": [...]}`` for several."""
    documents = [view_dict(v) for v in views]
    body = documents[0] if len(documents) == 1 else {"version": SCHEMA_VERSION, "flows": documents}
    return json.dumps(body, indent=2, ensure_ascii=False)


def render(format_name: str, views: list[FlowView]) -> str:
    if format_name == "json":
        return to_json(views)
    if format_name == "dot":
        return "\n".join(to_dot(v) for v in views)
    if len(views) == 1:
        return to_mermaid(views[0])
    # Several diagrams cannot share one Mermaid document: a Markdown page with one block each.
    return "\n".join(f"## {v.path}\n\n```mermaid\n{to_mermaid(v)}```\n" for v in views)
