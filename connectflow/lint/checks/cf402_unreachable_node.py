from connectflow.lint.registry import rule


@rule("CF402", "unreachable-node", "warning")
def check(ctx):
    """A node cannot be reached from the Start node.

    No chain of connections leads from the Start node to this node, so it never
    runs: usually a connection was deleted by mistake, or the node is a
    leftover. Connect it where it belongs, or delete it.
    """
    for node in ctx.graph.unreachable():
        yield ctx.issue(node.pointer, f"{node.title} ({node.id}) is not reachable from the Start node",
                        node=node, fix="connect it from the node that should lead to it, or delete it")
