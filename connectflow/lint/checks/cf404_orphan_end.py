from connectflow.lint.registry import rule
from connectflow.load.locate import child


@rule("CF404", "orphan-end", "warning")
def check(ctx):
    """An End cell is bound to a node that is not in the flow.

    End cells have no incoming edge: ``data.parentNode`` names the node whose
    outcome they terminate. When that node was deleted the End stays behind,
    bound to nothing (15 of 59 Cisco template graphs have such cells). It does no
    harm at run time but hides which outcomes really end the flow. Delete the
    End cell.
    """
    for end in ctx.graph.orphan_ends():
        data = end.raw.get("value", {}).get("data") if isinstance(end.raw.get("value"), dict) else None
        pointer = child(end.pointer, "value", "data", "parentNode") if isinstance(data, dict) \
            and "parentNode" in data else end.pointer
        bound = ("names no node (no data.parentNode)" if end.parent_node is None
                 else f"is bound to node {end.parent_node}, which is not in the flow")
        yield ctx.issue(pointer, f"End {end.event or '(no event)'} (cell {end.id}) {bound}", fix="delete the End cell")
