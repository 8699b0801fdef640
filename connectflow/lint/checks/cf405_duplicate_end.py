from connectflow.lint.registry import rule


@rule("CF405", "duplicate-end", "info")
def check(ctx):
    """Several End cells bind the same node outcome, or an End binds a connected outcome.

    Two or more End cells with the same ``data.parentNode``, event and exit
    result, or an End bound to an outcome that also has a connection to a node
    (the outcome goes on, so the End ends nothing). Copying a node in the editor
    copies its End cells without updating their ``parentNode``, so the copies'
    Ends still name the original node (platform-facts.md §12); otherwise the
    extra cells are leftovers. Harmless, but the binding the file records is
    wrong, and the copy's own outcomes are left open (CF401): re-attach the End to
    the copied node in the Flow Builder, or delete the extra cells. Reported once
    per node, at the first extra cell.
    """
    per_node: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for group in ctx.graph.duplicate_ends():
        parent = group[0].parent_node
        per_node.setdefault(parent, []).append(
            f"{group[0].event} ×{len(group)} (cells {', '.join(end.id for end in group)})")
        first.setdefault(parent, group[1].pointer)
    for end in ctx.graph.shadowed_ends():
        per_node.setdefault(end.parent_node, []).append(f"{end.event} also connected (cell {end.id})")
        first.setdefault(end.parent_node, end.pointer)
    for parent, listed in per_node.items():
        yield ctx.issue(first[parent], f"duplicate End bindings of node {parent}: {'; '.join(listed)}",
                        node=parent, fix="re-attach each End to its own node, or delete the extra End cells")
