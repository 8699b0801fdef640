from connectflow.lint.registry import rule


@rule("CF405", "duplicate-end", "info")
def check(ctx):
    """Several End cells bind the same node outcome.

    Two or more End cells with the same ``data.parentNode``, event and exit
    result. Copying a node in the editor copies its End cells without updating
    their ``parentNode``, so the copies' Ends still name the original node
    (platform-facts.md §12); otherwise the extra cells are leftovers. Harmless,
    but the binding the file records is wrong: re-attach the End to the copied
    node in the Flow Builder, or delete the extra cells. Reported once per node,
    at the first extra cell.
    """
    per_node: dict[str, list] = {}
    for group in ctx.graph.duplicate_ends():
        per_node.setdefault(group[0].parent_node, []).append(group)
    for parent, groups in per_node.items():
        listed = "; ".join(f"{g[0].event} ×{len(g)} (cells {', '.join(end.id for end in g)})" for g in groups)
        yield ctx.issue(groups[0][1].pointer, f"duplicate End bindings of node {parent}: {listed}",
                        node=parent, fix="re-attach each End to its own node, or delete the extra End cells")
