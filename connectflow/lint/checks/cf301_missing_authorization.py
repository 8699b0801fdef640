from connectflow.lint.checks._prebuilt import auth_is_set, auth_parts, shown
from connectflow.lint.registry import rule

from connectflow.copies import node_keys


def auth_hint(node, prefix: str = "select the Node Runtime Authorization in the node, or") -> str:
    """A command that writes this node's authorization: keyed by its integration id (else label)."""
    key = next((k for k in node_keys(node) if k), "INTEGRATION")
    key = f'"{key}"' if " " in key else key
    return f"{prefix}: connectflow patch --auth {key}=AUTH_ID:NAME"


@rule("CF301", "missing-authorization", "error")
def check(ctx):
    """A prebuilt integration node has no runtime authorization selected.

    Prebuilt nodes (Queue Task, Screen Pop, Resolve Conversation, Engage and CCE
    task nodes, ...) call their service with the token of a Node Runtime
    Authorization of your tenant. Authorizations are tenant-specific: after an
    import every such node holds ``auth_id: -1`` (in ``auth_id`` and in
    ``resourceinfo.resource_list[].auth_id``), while ``viewmodeData`` still shows
    the authoring tenant's authorization name, so the node looks configured but
    fails. Select the authorization in each node (Node Runtime Authorization),
    or let ``connectflow patch --auth`` write the ids from the tenant profile's
    ``[authorizations]``. Reported once per node.
    """
    for node in ctx.flow.nodes_of("prebuiltnode"):
        main, resources = auth_parts(node)
        if main is None or not auth_is_set(main.value):
            state = "missing" if main is None else shown(main.value)
            yield ctx.issue(main.pointer if main else node.pointer,
                            f"no runtime authorization selected (auth_id {state})", node=node, fix=auth_hint(node))
            continue
        for copy in resources:
            if not auth_is_set(copy.value):
                state = shown(copy.value) if copy.present else "missing"
                yield ctx.issue(copy.pointer, f"no runtime authorization in {copy.where} ({state})",
                                node=node, fix=auth_hint(node))
                break
