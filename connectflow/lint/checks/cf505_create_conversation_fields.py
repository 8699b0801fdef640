from connectflow.catalogue import catalogue
from connectflow.copies import method, setting_copies
from connectflow.lint.checks._prebuilt import shown
from connectflow.lint.registry import rule
from connectflow.model import as_text

CREATE_CONVERSATION = "create conversation"


@rule("CF505", "create-conversation-fields", "error")
def check(ctx):
    """A Create Conversation node's channel field does not carry the channel's tenant value.

    The node creates the Webex Engage conversation for the channel's asset: Facebook's
    FACEBOOK PAGE ID must be ``$(FBpageid)``, WhatsApp's WA Business ID ``$(WANumber)``,
    Email's BUSINESS EMAIL ID ``$(bizemailid)``, and the Live Chat website domain is
    "configured in custom variables" (``$(liveChatDomain)``; Cisco's Create Conversation
    reference, catalogue.toml ``create_conversation``). An empty field, a literal value
    (which the tenant profile and ``connectflow patch`` cannot reach), or a reference to
    another variable creates the conversation for the wrong asset, or fails. Reported per
    node on the field's first settings copy; the channel is the node's ``channel`` field.
    Select the channel's custom variable in the field and set the variable's value.
    """
    expected = catalogue()["create_conversation"]
    for node in ctx.flow.nodes_of("prebuiltnode"):
        if CREATE_CONVERSATION not in (method(node).lower(), node.label.strip().lower()):
            continue
        channel_copies = setting_copies(node, "channel")
        channel = as_text(channel_copies[0].value).strip().lower() if channel_copies else ""
        wanted = expected.get(channel)
        if wanted is None:
            continue
        reference = f"$({wanted['variable']})"
        fix = f"set {wanted['label']} to {reference}, and {wanted['variable']} to the tenant's value"
        found = setting_copies(node, wanted["field"])
        if not found or all(as_text(c.value).strip() == "" for c in found):
            yield ctx.issue(found[0].pointer if found else node.pointer,
                            f"{wanted['label']} ({wanted['field']}) is empty; the {channel} channel needs {reference}",
                            node=node, fix=fix)
            continue
        wrong = next((c for c in found if as_text(c.value).strip() != reference), None)
        if wrong is not None:
            value = as_text(wrong.value).strip()
            what = "a literal value" if "$(" not in value else "another variable"
            yield ctx.issue(wrong.pointer, f"{wanted['label']} ({wrong.where}) is {what} {shown(value)}, "
                                           f"not {reference}", node=node, fix=fix)
