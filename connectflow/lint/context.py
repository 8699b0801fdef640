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

    @cached_property
    def document(self) -> dict[str, Any]:
        """The flow in the decoded form (what declarative rules query)."""
        from connectflow.model import decoded_document

        return decoded_document(self.data)

    @cached_property
    def values(self):
        """The credential values and the template values of the decoded document, found in one
        walk (``value_walk``) for the masking and CF230."""
        from connectflow.value_walk import walk_values

        return walk_values(self.document, secrets=True, templates=True)

    @cached_property
    def masked(self):
        """The flow's credential values masked in a text (every finding's message and fix goes
        through it, so no rule can echo a token; off with --show-secrets)."""
        from connectflow.redact import Secrets

        if self.source._secrets is None:  # from the decoded document lint has anyway: no second decode
            self.source._secrets = Secrets(values=self.values.secrets)
        return self.source.secrets

    @cached_property
    def reference_scope(self):
        """The flow's names: custom variables and names assigned in scripts or transition actions."""
        from connectflow.refs import Scope

        return Scope.of(self.flow)

    @cached_property
    def references(self):
        """Every ``$(...)`` reference in the flow, found once and shared by the CF22x rules."""
        from connectflow.refs import find_references

        return find_references(self.flow, self.reference_scope)

    @cached_property
    def task_variables(self):
        """Every ECC/call variable the flow passes to CCE (one walk, shared by CF201-CF204)."""
        from connectflow.lint.checks._task_variables import task_variables

        return task_variables(self.flow)

    def issue(self, pointer: str, message: str, node: Node | str | None = None, fix: str | None = None) -> Issue:
        node_id = node.id if isinstance(node, Node) else node
        return Issue(pointer=pointer, message=message, node_id=node_id, fix=fix)
