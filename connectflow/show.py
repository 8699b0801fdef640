"""``connectflow show``: a readable summary of one flow."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from connectflow.graph import END_PREFIX, FlowGraph
from connectflow.load import Source
from connectflow.model import as_text, build_flow


def render_show(source: Source, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    flow = build_flow(source.data)
    graph = FlowGraph(flow)
    console.print(f"[bold]{source.path}[/]  flow id {flow.flow_id or '-'}")

    trigger = flow.trigger
    if trigger is None:
        console.print("[yellow]no workflowdata cell: trigger unknown[/]")
    else:
        event = trigger.event_name or trigger.event_id or "-"
        kind = "/".join(p for p in (trigger.type, trigger.subtype) if p) or "-"
        console.print(f"Trigger: channel {trigger.channel or '-'} ({kind}), event {event!s}"
                      + (f" [{trigger.event_id}]" if trigger.event_name and trigger.event_id else ""))
        conditions = trigger.effective_conditions
        if conditions:
            for c in conditions:
                console.print(f"  start condition: {c.variable} {c.operator} {as_text(c.value)}")
        else:
            console.print("  start conditions: none (runs for every event of this kind)")
        inactive = [c for c in trigger.api_conditions if not trigger.conditions_enabled]
        for c in inactive:
            console.print(f"  [dim]inactive leftover condition: {c.variable} {c.operator} {as_text(c.value)}[/]")

    table = Table(title="Nodes", title_justify="left")
    for column in ("id", "kind", "label", "events → target"):
        table.add_column(column)
    for node in flow.nodes.values():
        exits = []
        for outcome in graph.outcomes(node.id):
            for target in outcome.targets:
                shown = "End" if target.startswith(END_PREFIX) else f"{flow.nodes[target].title} ({target})"
                exits.append(f"{outcome.label} → {shown}")
            if outcome.declared and not outcome.connected:
                exits.append(f"{outcome.label} → [red](not connected)[/]")
        kind = node.kind if node.known else f"{node.kind} [yellow](unknown kind)[/]"
        table.add_row(node.id, kind, node.title, "\n".join(exits) or "-")
    console.print(table)

    if flow.custom_variables:
        variables = Table(title="Custom variables", title_justify="left")
        variables.add_column("name")
        variables.add_column("value")
        for variable in flow.custom_variables:
            variables.add_row(variable.name, as_text(variable.value))
        console.print(variables)

    problems = [f"cell {c.id or c.pointer}: {c.reason}" for c in flow.unclassified]
    problems += [f"End {e.id}: parent node {e.parent_node} does not exist" for e in graph.orphan_ends()]
    problems += [f"edge {e.id}: {e.source} → {e.target} has a missing endpoint" for e in graph.dangling_edges()]
    if problems:
        console.print("[bold]Not classified or not attached:[/]")
        for problem in problems:
            console.print(f"  {problem}")
