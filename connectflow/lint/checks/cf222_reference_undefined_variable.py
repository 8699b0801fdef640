from connectflow.lint.registry import rule
from connectflow.refs import Kind, first_of_each, more_places, system_variables


@rule("CF222", "reference-undefined-variable", "warning")
def check(ctx):
    """A reference names a variable that the flow never defines.

    ``$(name)`` must be a custom variable of the flow (flow settings), a variable
    an Evaluate script or a transition action sets, or a documented platform
    variable (``transid``, ``flowname``, ``serviceName``, ``flid``, ``tid``, the
    session variables; see catalogue.toml). Anything else is empty at run time,
    usually a typo: variable names are case-sensitive. ``<namespace>.<field>``
    names without a node prefix (``webex.taskId``) are not reported. Create the
    custom variable, or correct the name.
    """
    found = [r for r in ctx.references if r.kind is Kind.UNDEFINED]
    if not found:
        return
    names = ctx.reference_scope
    known = {name.lower(): name for name in (*system_variables(), *names.assigned, *names.custom)}
    for ref, count in first_of_each(found):
        near = known.get(ref.body.lower())
        hint = f"; did you mean $({near})?" if near else ""
        yield ctx.issue(ref.pointer,
                        f"{ref.text} is not a custom variable, a node output or a platform variable"
                        f"{hint}{more_places(count)}",
                        node=ref.node_id,
                        fix="create the custom variable in the flow settings, or correct the name (case-sensitive)")
