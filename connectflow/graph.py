"""The flow as a graph (networkx), built once per flow, with the queries rules need.

Nodes are flow node ids. Each edge cell is a graph edge keyed by its cell id
and labelled with its event. End cells have no edges in the file; they are
terminal edges here, from their parent node to a node ``end:<cell id>``.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

import networkx as nx

from connectflow.model import Edge, EndBinding, Flow, Node

END_PREFIX = "end:"


class FlowGraph:
    def __init__(self, flow: Flow):
        self.flow = flow
        graph = nx.MultiDiGraph()
        for node in flow.nodes.values():
            graph.add_node(node.id, kind=node.kind)
        end_ids = {end.id for end in flow.ends}
        for edge in flow.edges:
            if edge.source in flow.nodes and (edge.target in flow.nodes or edge.target in end_ids):
                target = edge.target if edge.target in flow.nodes else END_PREFIX + edge.target
                graph.add_edge(edge.source, target, key=edge.id, event=edge.event)
        for end in flow.ends:
            if end.parent_node in flow.nodes:
                graph.add_edge(end.parent_node, END_PREFIX + end.id, key=end.id, event=end.event, end=True)
        self.graph = graph

    # -- queries -------------------------------------------------------------
    @cached_property
    def reachable(self) -> set[str]:
        """Node ids reachable from the Start node (the Start node included)."""
        start = self.flow.start
        if start is None:
            return set()
        return {n for n in nx.descendants(self.graph, start.id) | {start.id} if not n.startswith(END_PREFIX)}

    def unreachable(self) -> list[Node]:
        if self.flow.start is None:
            return []
        return [n for n in self.flow.nodes.values() if n.id not in self.reachable]

    def handled_events(self, node_id: str) -> set[str]:
        return {data["event"] for _, _, data in self.graph.out_edges(node_id, data=True)}

    def unhandled_events(self) -> list[tuple[Node, str]]:
        """Declared events with no edge and no End binding, per node."""
        found = []
        for node in self.flow.nodes.values():
            handled = {e.lower() for e in self.handled_events(node.id)}
            found.extend((node, event) for event in node.declared_events if event.lower() not in handled)
        return found

    def dangling_edges(self) -> list[Edge]:
        """Edges whose source or target is not a node (nor, for targets, an End)."""
        end_ids = {end.id for end in self.flow.ends}
        return [e for e in self.flow.edges
                if e.source not in self.flow.nodes or (e.target not in self.flow.nodes and e.target not in end_ids)]

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

    def cycles(self) -> list[list[str]]:
        """Node-id groups that form a loop (strongly connected, or a self-loop)."""
        loops = []
        for component in nx.strongly_connected_components(self.graph):
            if len(component) > 1 or any(self.graph.has_edge(n, n) for n in component):
                loops.append(sorted(component, key=lambda i: (len(i), i)))
        return sorted(loops)

    def successors(self, node_id: str) -> list[tuple[str, str]]:
        """``(event, target)`` for each way out of a node; targets of Ends are ``end:<id>``."""
        return sorted((data["event"], target) for _, target, data in self.graph.out_edges(node_id, data=True))
