"""The flow as a graph, built once per flow, with the queries rules need.

Nodes are flow node ids. Each edge cell is a graph edge keyed by its cell id
and labelled with its event. End cells have no edges in the file; they are
terminal edges here, from their parent node to a node ``end:<cell id>``.

An End cell belongs to the node its ``data.parentNode`` names: nothing else in
the file ties it to a node, not even after the node was copied in the editor
(the copy's Ends keep the original's id, platform-facts.md §12). A node's
outcomes and where each leads come from one place, :meth:`FlowGraph.outcomes`,
read by lint and show alike.

Lint's queries walk plain adjacency lists (a flow has tens of nodes, and importing
networkx would cost more than all of them); ``FlowGraph.graph`` gives the same
graph as a networkx ``MultiDiGraph`` for analyses that want one (``cycles``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from connectflow.catalogue import outcome_label, outcome_port
from connectflow.model import Edge, EndBinding, Flow, Node, _items

END_PREFIX = "end:"
_PORT_ORDER = {"MP": 0, "BP": 1, "TP": 2}


@dataclass(frozen=True)
class Outcome:
    """One way out of a node, and where it leads."""

    node_id: str
    event: str                 # as edges and Ends name it ("1" for an Evaluate's success)
    label: str                 # as the Flow Builder shows it ("Success", "onError", "None of the above")
    port: str                  # MP success/main, BP error, TP timeout
    declared: bool             # declared by the node (event child, newEvents, Branch outcome): must lead somewhere
    targets: tuple[str, ...]   # node ids and "end:<cell id>", in file order; empty: not connected

    @property
    def connected(self) -> bool:
        return bool(self.targets)


class FlowGraph:
    def __init__(self, flow: Flow):
        self.flow = flow
        end_ids = {end.id for end in flow.ends}
        # (event, target, port) per source node, in file order: edges first, then Ends.
        self._exits: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        # The graph's edges, keyed as in a multigraph: (source, target, key) -> data.
        self._edges: dict[tuple[str, str, str], dict] = {}
        for edge in flow.edges:
            if edge.source in flow.nodes and (edge.target in flow.nodes or edge.target in end_ids):
                target = edge.target if edge.target in flow.nodes else END_PREFIX + edge.target
                self._edges[(edge.source, target, edge.id)] = {"event": edge.event}
                self._exits[edge.source].append((edge.event, target, edge.port))
        for end in flow.ends:
            if end.parent_node in flow.nodes:
                self._edges[(end.parent_node, END_PREFIX + end.id, end.id)] = {"event": end.event, "end": True}
                self._exits[end.parent_node].append((end.event, END_PREFIX + end.id, end.port))
        self._outcomes: dict[str, list[Outcome]] = {}  # node id -> outcomes, worked out on first use
        self._out: dict[str, list[tuple[str, str]]] = defaultdict(list)  # source -> [(event, target)]
        for (source, target, _), data in self._edges.items():
            self._out[source].append((data["event"], target))

    @cached_property
    def graph(self):
        """The flow as a networkx ``MultiDiGraph`` (built on first use: lint's queries do without it)."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        for node in self.flow.nodes.values():
            graph.add_node(node.id, kind=node.kind)
        for (source, target, key), data in self._edges.items():
            graph.add_edge(source, target, key=key, **data)
        return graph

    # -- outcomes ------------------------------------------------------------
    def outcomes(self, node_id: str) -> list[Outcome]:
        """Every outcome of a node: declared ones, the kind's implicit ports, and any other
        event an edge or End leaves on; success ports first, then error, then timeout."""
        found = self._outcomes.get(node_id)
        if found is None:
            found = self._outcomes[node_id] = self._node_outcomes(self.flow.nodes[node_id])
        return found

    def _node_outcomes(self, node: Node) -> list[Outcome]:
        exits = self._exits.get(node.id, [])
        names: dict[str, tuple[str, bool]] = {}
        for event in node.declared_events:
            names.setdefault(event.lower(), (event, True))
        for event in [*node.implicit_events, *(e for e, _, _ in exits)]:
            names.setdefault(event.lower(), (event, False))
        hinted = _declared_ports(node)
        found = []
        for key, (event, declared) in names.items():
            leaving = [(target, port) for e, target, port in exits if e.lower() == key]
            port = hinted.get(key) or next((p for _, p in leaving if p), "") or outcome_port(event)
            found.append(Outcome(node.id, event, outcome_label(event), port, declared,
                                 tuple(target for target, _ in leaving)))
        return sorted(found, key=lambda o: _PORT_ORDER.get(o.port, len(_PORT_ORDER)))

    def unhandled(self) -> list[Outcome]:
        """Declared outcomes with no connection and no End, node by node."""
        found = []
        for node in self.flow.nodes.values():
            # A declared outcome is open when no edge or End leaves on its event: the outcomes of
            # the other nodes (nearly all, in a finished flow) need not be built for lint.
            leaving = {event.lower() for event, _, _ in self._exits.get(node.id, ())}
            if all(event.lower() in leaving for event in node.declared_events):
                continue
            found.extend(o for o in self.outcomes(node.id) if o.declared and not o.connected)
        return found

    def unhandled_events(self) -> list[tuple[Node, str]]:
        return [(self.flow.nodes[o.node_id], o.event) for o in self.unhandled()]

    def handled_events(self, node_id: str) -> set[str]:
        return {o.event for o in self.outcomes(node_id) if o.connected}

    def successors(self, node_id: str) -> list[tuple[str, str]]:
        """``(event, target)`` for each way out of a node; targets of Ends are ``end:<id>``."""
        return sorted(self._out.get(node_id, ()))

    # -- reachability and structure ------------------------------------------
    @cached_property
    def reachable(self) -> set[str]:
        """Node ids reachable from the Start node (the Start node included)."""
        start = self.flow.start
        if start is None:
            return set()
        seen, todo = {start.id}, [start.id]
        while todo:
            for _, target in self._out.get(todo.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return {n for n in seen if not n.startswith(END_PREFIX)}

    def unreachable(self) -> list[Node]:
        if self.flow.start is None:
            return []
        return [n for n in self.flow.nodes.values() if n.id not in self.reachable]

    def dangling_edges(self) -> list[Edge]:
        """Edges whose source or target is not a node (nor, for targets, an End)."""
        end_ids = {end.id for end in self.flow.ends}
        return [e for e in self.flow.edges
                if e.source not in self.flow.nodes or (e.target not in self.flow.nodes and e.target not in end_ids)]

    def cycles(self) -> list[list[str]]:
        """Node-id groups that form a loop (strongly connected, or a self-loop)."""
        import networkx as nx

        loops = []
        for component in nx.strongly_connected_components(self.graph):
            if len(component) > 1 or any(self.graph.has_edge(n, n) for n in component):
                loops.append(sorted(component, key=lambda i: (len(i), i)))
        return sorted(loops)

    # -- End cells that do not end what they are bound to ---------------------
    def orphan_ends(self) -> list[EndBinding]:
        """End bindings whose parent node does not exist."""
        return [end for end in self.flow.ends if end.parent_node not in self.flow.nodes]

    def duplicate_ends(self) -> list[list[EndBinding]]:
        """Groups of End bindings with the same parent node, event and exit result."""
        groups: dict[tuple, list[EndBinding]] = defaultdict(list)
        for end in self.flow.ends:
            if end.parent_node in self.flow.nodes:
                groups[(end.parent_node, end.event.lower(), str(end.exit_result))].append(end)
        return [group for group in groups.values() if len(group) > 1]

    def shadowed_ends(self) -> list[EndBinding]:
        """End bindings of an outcome that a connection to a node already takes: the
        outcome goes on, so the End ends nothing (typically a copied node's End)."""
        connected = {(edge.source, edge.event.lower()) for edge in self.flow.edges
                     if edge.source in self.flow.nodes and edge.target in self.flow.nodes}
        return [end for end in self.flow.ends if (end.parent_node, end.event.lower()) in connected]

    @cached_property
    def stale_ends(self) -> list[EndBinding]:
        """Ends that end nothing of their node: orphans, the extra cells of duplicate
        bindings, and shadowed Ends."""
        extra = [end for group in self.duplicate_ends() for end in group[1:]]
        seen = {end.id for end in [*self.orphan_ends(), *extra, *self.shadowed_ends()]}
        return [end for end in self.flow.ends if end.id in seen]


def _declared_ports(node: Node) -> dict[str, str]:
    """Ports that a node's own declarations give: an event child's ``type`` (BP/TP), a
    prebuilt ``newEvents`` entry of type error."""
    ports = {}
    for item in node.children:
        port = item.attributes.get("type")
        if item.tag == "event" and item.name and isinstance(port, str) and port in _PORT_ORDER:
            ports[item.name.lower()] = port
    for event in _items(node.param_value("newEvents")):
        if isinstance(event, dict) and event.get("name") and event.get("type") == "error":
            ports.setdefault(str(event["name"]).lower(), "BP")
    return ports
