from connectflow.catalogue import template_flow_ids
from connectflow.copies import nodes_of_kind, setting_copies
from connectflow.lint.checks._prebuilt import is_reference, shown
from connectflow.lint.registry import rule
from connectflow.model import as_text
from connectflow.settings import flow_value, setting

FLOW_ID = setting("flow_id")

FIX = ("set the Flow Id of this flow (from the Flow Designer's address bar, flowId=...) in the node, "
       "or: connectflow patch --flow-id FLOW_ID")


@rule("CF502", "resolve-flow-id", "error")
def check(ctx):
    """A Resolve Conversation node does not carry this flow's id.

    The node needs "the Flow ID of the current flow to be set manually" (Cisco's
    README); templates ship with Cisco's ids (3919, 6994, 41896, 170686; see
    catalogue.toml), which are always wrong after an import. Reported when the
    flow id is missing, when its copies (``nodeInput``, ``extraParamsData``,
    ``request_body`` / ``methodRequestParameters`` "Flow Id") disagree, when it is
    a template id, or, with a tenant profile that gives this flow's id
    (``[flow_ids]``, by flow file stem or ``default``), when it is another id.
    Set the Flow Id in the node; its copies then agree.
    """
    template = template_flow_ids()
    expected = flow_value(FLOW_ID, ctx.profile, ctx.source.path)
    for node in nodes_of_kind(ctx.flow, FLOW_ID.node):
        copies = setting_copies(node, FLOW_ID.key)
        values = {as_text(c.value).strip() for c in copies}
        if not copies or values == {""}:
            yield ctx.issue(copies[0].pointer if copies else node.pointer, "flow id is not set", node=node, fix=FIX)
            continue
        if len(values) > 1:
            listed = ", ".join(f"{c.where} {shown(c.value)}" for c in copies)
            yield ctx.issue(copies[0].pointer, f"flow id copies disagree: {listed}", node=node, fix=FIX)
            continue
        value = values.pop()
        if is_reference(value):
            continue
        if value in template:
            yield ctx.issue(copies[0].pointer, f"flow id {value} is a template's flow id, not this flow's",
                            node=node, fix=FIX)
        elif expected not in (None, "") and value != as_text(expected):
            yield ctx.issue(copies[0].pointer, f"flow id {value} is not this flow's id {expected} "
                                               "(tenant profile [flow_ids])", node=node, fix=FIX)
