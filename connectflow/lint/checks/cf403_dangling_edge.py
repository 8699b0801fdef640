from connectflow.lint.registry import rule
from connectflow.load.locate import child


@rule("CF403", "dangling-edge", "error")
def check(ctx):
    """A connection starts or ends at a node that is not in the flow.

    An edge cell's ``source`` and ``target`` must be node cells (the target may
    be an End). A connection to a missing node is what is left when a file is
    edited by hand or merged from two versions; the platform cannot follow it.
    Connect the outcome again in the Flow Builder, or delete the edge cell.
    """
    nodes = ctx.flow.nodes
    for edge in ctx.graph.dangling_edges():
        if edge.source not in nodes:
            side, missing = "source", edge.source
        else:
            side, missing = "target", edge.target
        what = f"edge {edge.id} ({edge.event or 'no event'})"
        yield ctx.issue(child(edge.pointer, side) if side in edge.raw else edge.pointer,
                        f"{what} {'starts at' if side == 'source' else 'leads to'} node {missing or '(none)'}, "
                        "which is not in the flow",
                        node=edge.source if edge.source in nodes else None,
                        fix="connect the outcome again in the Flow Builder, or delete the edge")
