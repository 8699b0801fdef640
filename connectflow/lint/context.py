"""What a rule sees: the flow (model, graph, raw data), the tenant profile, and helpers."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from connectflow.lint.finding import Issue
from connectflow.model import Node, build_flow

if TYPE_CHECKING:
    from connectflow.graph import FlowGraph
    from connectflow.load import Source
    from connectflow.model import Flow
    from connectflow.profile import Profile


class Context:
    """Built once per flow and shared by every rule (the graph is built on first use)."""

    def __init__(self, source: "Source", profile: "Profile | None" = None, flow: "Flow | None" = None):
        self.source = source
        self.profile = profile
        self.flow = flow if flow is not None else build_flow(source.data)

    @property
    def data(self) -> dict[str, Any]:
        return self.source.data

    @cached_property
    def graph(self) -> "FlowGraph":
        from connectflow.graph import FlowGraph

        return FlowGraph(self.flow)

    def issue(self, pointer: str, message: str, node: Node | str | None = None, fix: str | None = None) -> Issue:
        node_id = node.id if isinstance(node, Node) else node
        return Issue(pointer=pointer, message=message, node_id=node_id, fix=fix)
