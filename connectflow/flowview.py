"""One flow as a reviewer sees it: nodes in walk order with their names, every outcome of
every node (from :meth:`FlowGraph.outcomes`, the same source lint judges), End bindings as
terminal nodes, unhandled outcomes as "not connected", and lint's findings on their nodes.

``show`` (text), the graph formats (mermaid, dot, json) and the HTML report all render a
:class:`FlowView`, so they cannot disagree with each other or with lint. The view is also
where flow text is masked (credential values, unless --show-secrets): renderers take names,
conditions and values from its properties, never from the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable

from connectflow import names, redact
from connectflow.graph import END_PREFIX, FlowGraph
from connectflow.model import Flow, Node, as_text, build_flow

if TYPE_CHECKING:
    from connectflow.lint.finding import Finding
    from connectflow.load import Source

SEVERITIES = ("info", "warning", "error")


def _unmasked(text):
    return text


def worst(findings) -> str | None:
    levels = [f.severity.value for f in findings]
    return max(levels, key=SEVERITIES.index) if levels else None


@dataclass
class ViewEdge:
    """One way out of a node: an outcome and where it goes (a node id, ``end:<cell id>``, or
    None when the outcome is not connected). An outcome the node does not declare (a port
    every node of its kind has) may stay unconnected: it is ``optional``, not unhandled."""

    source: str
    event: str
    label: str
    port: str
    target: str | None
    declared: bool

    @property
    def connected(self) -> bool:
        return self.target is not None

    @property
    def unhandled(self) -> bool:
        """Declared and not connected: what lint reports (CF401), drawn as "not connected"."""
        return self.target is None and self.declared

    @property
    def optional(self) -> bool:
        return self.target is None and not self.declared


@dataclass
class ViewNode:
    node: Node
    order: int
    reachable: bool
    edges: list[ViewEdge] = field(default_factory=list)
    findings: list["Finding"] = field(default_factory=list)
    masked: Callable = field(default=_unmasked, repr=False)  # the flow's redact.Secrets

    # The texts below are cached: renderers ask for a title once per edge into the node,
    # and masking a huge label each time was most of show's time on one.

    @property
    def id(self) -> str:
        return self.node.id

    @cached_property
    def label(self) -> str:
        """The node's own label, as the editor shows it."""
        return self.masked(self.node.title)

    @property
    def kind(self) -> str:
        return self.node.kind

    @property
    def kind_name(self) -> str:
        return names.kind_name(self.node)

    @cached_property
    def title(self) -> str:
        return self.masked(names.node_title(self.node))

    @cached_property
    def integration(self) -> str:
        return self.masked(names.integration_text(self.node))

    @cached_property
    def authorization(self) -> str | None:
        return self.masked(names.authorization(self.node))

    @property
    def severity(self) -> str | None:
        return worst(self.findings)


@dataclass
class ViewEnd:
    """An End cell as a terminal node: bound to ``parent``'s ``event``."""

    id: str  # "end:<cell id>"
    parent: str
    event: str
    exit_result: str


@dataclass
class FlowView:
    path: str
    flow: Flow
    graph: FlowGraph
    nodes: list[ViewNode]
    ends: list[ViewEnd]
    findings: list["Finding"]  # every finding of the flow (with and without a node)
    linted: bool
    masked: Callable = field(default=_unmasked, repr=False)  # the flow's redact.Secrets

    @property
    def trigger(self) -> str:
        return self.masked(names.trigger_summary(self.flow.trigger))

    @property
    def flow_id(self) -> str:
        return self.masked(self.flow.flow_id)

    def template_values(self, node: ViewNode) -> list[str]:
        """The template sample values ``node`` holds, as ``name = value``."""
        return [self.masked(v) for v in names.template_values(self.flow, node.node)]

    def variables(self) -> list[tuple[str, str, bool]]:
        """``(name, value, is a template sample)`` for each custom variable."""
        return [(self.masked(v.name), self.masked(redact.value(v.name, as_text(v.value))),
                 names.is_template_value(v.value, v.name)) for v in self.flow.custom_variables]

    def _condition(self, condition) -> str:
        value = redact.value(condition.variable, as_text(condition.value))
        return self.masked(f"{condition.variable} {condition.operator} {value}")

    def inactive_conditions(self) -> list[str]:
        """Conditions kept in the file while conditions are off (the platform ignores them)."""
        trigger = self.flow.trigger
        return [self._condition(c) for c in trigger.api_conditions] if trigger and not trigger.conditions_enabled else []

    @property
    def flow_findings(self) -> list["Finding"]:
        """Findings that belong to no drawn node (flow-level, or naming a missing node)."""
        ids = {n.id for n in self.nodes}
        return [f for f in self.findings if f.node_id not in ids]

    @property
    def edges(self) -> list[ViewEdge]:
        """Every outcome, one per target (the JSON format lists them all)."""
        return [e for n in self.nodes for e in n.edges]

    @property
    def drawn_edges(self) -> list[ViewEdge]:
        """What a picture draws: connections, and unhandled outcomes (not the optional ones)."""
        return [e for e in self.edges if not e.optional]

    def conditions(self) -> list[tuple[str, str, bool]]:
        """``(join, condition, is a template sample)`` for each start condition the platform
        applies; ``join`` ("", "AND", "OR") is the word that links it to the one before."""
        trigger = self.flow.trigger
        found, join = [], ""
        for condition in trigger.effective_conditions if trigger else []:
            found.append((join, self._condition(condition), names.is_template_value(condition.value)))
            join = as_text(condition.raw.get("conjunction")).upper() or "AND/OR (not recorded)"
        return found

    def node(self, node_id: str) -> ViewNode | None:
        return self._by_id.get(node_id)

    @cached_property
    def _by_id(self) -> dict[str, ViewNode]:
        # The drawing looks up every box's node: a scan of the list each time was quadratic in the flow.
        return {n.id: n for n in self.nodes}

    def target_title(self, edge: ViewEdge) -> str:
        if edge.target is None:
            return "not connected" if edge.declared else "not used (optional)"
        if edge.target.startswith(END_PREFIX):
            return "End"
        target = self.flow.nodes.get(edge.target)
        return self.masked(f"{names.node_title(target)} [{edge.target}]" if target else edge.target)


def walk_order(flow: Flow, graph: FlowGraph) -> list[str]:
    """Node ids depth-first from Start, each node's outcomes in the graph's order (success,
    then error, then timeout ports); nodes not reached follow, walked the same way in file order."""
    order: list[str] = []
    seen: set[str] = set()

    def walk(root: str) -> None:
        stack = [root]
        while stack:
            node_id = stack.pop()
            if node_id in seen:
                continue
            seen.add(node_id)
            order.append(node_id)
            nexts = [t for o in graph.outcomes(node_id) for t in o.targets
                     if not t.startswith(END_PREFIX) and t in flow.nodes]
            stack.extend(reversed(nexts))

    if flow.start is not None:
        walk(flow.start.id)
    for node_id in flow.nodes:
        walk(node_id)
    return order


def build_view(source: "Source", findings: list["Finding"] | None = None, flow: Flow | None = None,
               graph: FlowGraph | None = None) -> FlowView:
    """The view of a loaded flow; ``findings`` from lint (None: not linted). ``flow`` and ``graph``:
    the source's model and graph when the caller has them (lint built them), else built here."""
    flow = flow if flow is not None else build_flow(source.data)
    graph = graph if graph is not None else FlowGraph(flow)
    masked = source.secrets
    reachable = graph.reachable if flow.start is not None else set(flow.nodes)
    by_node: dict[str, list] = {}
    for finding in findings or []:
        by_node.setdefault(finding.node_id, []).append(finding)
    nodes, ends = [], {}
    for index, node_id in enumerate(walk_order(flow, graph)):
        view = ViewNode(flow.nodes[node_id], index, node_id in reachable, findings=by_node.get(node_id, []),
                        masked=masked)
        for outcome in graph.outcomes(node_id):
            for target in outcome.targets or [None]:
                view.edges.append(ViewEdge(node_id, outcome.event, masked(outcome.label), outcome.port, target,
                                           outcome.declared))
                if target and target.startswith(END_PREFIX):
                    ends[target] = target
        nodes.append(view)
    end_cells = {END_PREFIX + e.id: e for e in flow.ends}
    terminal = [ViewEnd(t, end_cells[t].parent_node or "", end_cells[t].event, as_text(end_cells[t].exit_result))
                if t in end_cells else ViewEnd(t, "", "", "") for t in ends]
    return FlowView(source.path, flow, graph, nodes, terminal, list(findings or []), findings is not None, masked)


def build_views(paths, profile_path: str | None = None, lint: bool = True) -> list[FlowView]:
    """Views of every flow under ``paths`` (files, folders, globs, as ``lint`` expands them),
    with the findings ``connectflow lint`` reports for them (profiles, their [lint] settings
    and suppressions included) unless ``lint`` is False. Raises LoadError for the first file
    that is not a readable flow, PathError or ProfileError as lint does."""
    from connectflow.lint import LOAD_ERROR_RULE, Selection, expand_paths, lint_paths
    from connectflow.lint.registry import builtin_registry
    from connectflow.load import LoadError, load_source
    from connectflow.profile import profile_resolver

    if not lint:
        return [build_view(load_source(path)) for path in expand_paths(paths, strict=True)]
    result = lint_paths(paths, builtin_registry(), Selection(), profile_resolver(profile_path), keep_parsed=True)
    unreadable = next((f for f in result.findings if f.rule == LOAD_ERROR_RULE[0]), None)
    if unreadable is not None:
        raise LoadError(unreadable.path, unreadable.message)
    return views_of_findings(paths, result.findings, result.parsed)


def views_of_findings(paths, findings, parsed: dict | None = None) -> list[FlowView]:
    """Views of the flows a lint run read, with that run's findings (``lint --report``);
    files lint could not read are left out (lint reported them as CF000). ``parsed``: the
    flows as that run read them (``Result.parsed``), so that only the others are read again."""
    from connectflow.lint import expand_paths
    from connectflow.load import LoadError, load_source

    by_path: dict[str, list] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    views = []
    for path in expand_paths(paths):
        kept = (parsed or {}).get(path)
        if kept is not None:
            views.append(build_view(kept.source, by_path.get(kept.source.path, []), kept.flow, kept.graph))
            continue
        try:
            source = load_source(path)
        except LoadError:
            continue
        views.append(build_view(source, by_path.get(source.path, [])))
    return views
