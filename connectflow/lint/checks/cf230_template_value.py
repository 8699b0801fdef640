from connectflow.lint.registry import rule
from connectflow.model import as_text
from connectflow.settings import by_locator
from connectflow.template_values import first_of_each_setting, occurrences


def _fix(occurrence, profile, node) -> str:
    for entry in by_locator("catalogue_value"):
        if occurrence.entry.kind in entry.kinds:
            return f"write the tenant's value: connectflow patch {entry.option} VALUE"
    if occurrence.entry.kind == "authorization_name" and node is not None:
        from connectflow.lint.checks.cf301_missing_authorization import auth_hint

        return auth_hint(node, "select the tenant's authorization, with its name")
    return f"replace it in the node, or: connectflow patch --set '{occurrence.pointer}=\"VALUE\"'"


@rule("CF230", "template-value", "error")
def check(ctx):
    """A value Cisco's template ships with is still in the flow.

    Templates carry values of Cisco's authoring tenants well beyond the start
    conditions and channel variables: the SMS sample number in the Start node's
    ``extras`` and in send and Receive nodes, sender ids, authorization display
    names, form template ids, Screen Pop URLs, Apple Messages business ids
    (catalogue.toml ``template_values`` and the other catalogue sections, with
    their sources). None of them works in your tenant, so a flow that still holds
    one is not ready to go live. Reported at every occurrence, in any node
    setting and inside JSON stored in strings, except where a more specific rule
    reports that copy (CF101, CF104, CF210-CF214, CF501, CF502), and once for all the
    copies of one node setting (``nodeInput``, ``request_body``, ...). ``$(...)`` references and
    the editor's ``dynamic_output_vars``/``copy_used_vars`` are not values. An
    authorization name counts when it is not the name the tenant profile gives
    that node. Replace the value; ``connectflow patch`` writes SMS numbers
    (``--sms-sender``), Screen Pop URLs (``--screen-pop-url``), form template ids
    and names (``--form-template-id``, ``--form-template-name``), Apple Messages
    business ids (``--apple-business-id``), each also from the profile, and
    authorization names (``--auth``).
    """
    for occurrence, copies in first_of_each_setting(ctx.flow, occurrences(ctx.flow, ctx.document, ctx.values.matched)):
        node = ctx.flow.nodes.get(occurrence.node_id) if occurrence.node_id else None
        if occurrence.entry.kind == "authorization_name" and ctx.profile is not None and node is not None:
            from connectflow.copies import node_keys

            chosen = ctx.profile.authorization_for(*node_keys(node))
            if chosen is not None and chosen.name == as_text(occurrence.stored):
                continue
        shown = as_text(occurrence.stored)
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        value = occurrence.entry.value
        inside = "" if shown == value else f" (in {shown!r})"
        also = f" ({copies} copies of one setting)" if copies > 1 else ""
        yield ctx.issue(occurrence.pointer, f"{value}{inside} is {occurrence.entry.what}, not a tenant value{also}",
                        node=occurrence.node_id, fix=_fix(occurrence, ctx.profile, node))
