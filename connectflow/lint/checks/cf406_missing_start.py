from connectflow.lint.registry import rule


@rule("CF406", "missing-start", "error")
def check(ctx):
    """The flow has no Start node or no flow settings cell.

    Every flow begins with a Start node (cell ``"2"``, tag ``start``) and carries
    its trigger in the ``workflowdata`` cell (``start_node_info``). Without
    either the platform cannot trigger the flow, and most other checks have
    nothing to work on. The file is probably truncated or not a complete flow
    export: export the flow again.
    """
    pointer = "/cells" if isinstance(ctx.data.get("cells"), list) else ""
    if ctx.flow.workflow_pointer is None:
        yield ctx.issue(pointer, "no workflowdata cell: the flow's trigger settings are missing",
                        fix="export the flow again")
    if ctx.flow.start is None:
        yield ctx.issue(pointer, "no Start node", fix="export the flow again")
