from connectflow.catalogue import catalogue
from connectflow.copies import method, setting_copies
from connectflow.lint.checks._prebuilt import shown
from connectflow.lint.registry import rule
from connectflow.model import as_text
from connectflow.refs import Kind, output_declared

CREATE_CONVERSATION = "create conversation"


@rule("CF505", "create-conversation-fields", "error")
def check(ctx):
    """A Create Conversation node's channel fields do not carry the channel's values.

    The node creates the Webex Engage conversation for the channel's asset and its
    customer. The tenant field: Facebook's FACEBOOK PAGE ID must be ``$(FBpageid)``,
    WhatsApp's WA Business ID ``$(WANumber)``, Email's BUSINESS EMAIL ID
    ``$(bizemailid)``, and the Live Chat website domain is "configured in custom
    variables" (``$(liveChatDomain)``). An empty field, a literal value (which the
    tenant profile and ``connectflow patch`` cannot reach), or a reference to another
    variable creates the conversation for the wrong asset, or fails. The customer
    fields come from the Start node's outputs (Facebook PS ID ``$(n2.messenger.psId)``
    and name, WhatsApp ``$(n2.whatsapp.waId)`` and user name, Email
    ``$(n2.email.emailId)``, Live Chat thread, user and app ids, SMS
    ``$(n2.sms.senderNumber)``): one that is empty, a literal (every conversation
    would be the same customer's), or a reference to nothing the flow defines (an
    output the Start does not have, after copying the node from another channel) is
    reported too. Cisco's Create Conversation reference, catalogue.toml
    ``create_conversation``. Reported per field on its first wrong settings copy; the
    channel is the node's ``channel`` field. Select the channel's custom variable or
    the Start node's output in the field.
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
        if "field" in wanted:
            yield from _tenant_field(ctx, node, channel, wanted)
        for field in wanted.get("customer", ()):
            yield from _customer_field(ctx, node, channel, field)


def _tenant_field(ctx, node, channel: str, wanted: dict):
    reference = f"$({wanted['variable']})"
    fix = f"set {wanted['label']} to {reference}, and {wanted['variable']} to the tenant's value"
    found = setting_copies(node, wanted["field"])
    if not found or all(as_text(c.value).strip() == "" for c in found):
        yield ctx.issue(found[0].pointer if found else node.pointer,
                        f"{wanted['label']} ({wanted['field']}) is empty; the {channel} channel needs {reference}",
                        node=node, fix=fix)
        return
    wrong = next((c for c in found if as_text(c.value).strip() != reference), None)
    if wrong is not None:
        value = as_text(wrong.value).strip()
        what = "a literal value" if "$(" not in value else "another variable"
        yield ctx.issue(wrong.pointer, f"{wanted['label']} ({wrong.where}) is {what} {shown(value)}, "
                                       f"not {reference}", node=node, fix=fix)


def _undefined(ctx, pointer: str):
    """The first reference in the string at ``pointer`` that names nothing the flow defines."""
    nodes = ctx.flow.nodes
    for ref in ctx.references:
        if ref.pointer != pointer:
            continue
        if ref.kind in (Kind.UNDEFINED, Kind.MALFORMED):
            return ref
        if ref.kind is Kind.NODE and (ref.target not in nodes or output_declared(nodes[ref.target], ref.path) is False):
            return ref
    return None


def _customer_field(ctx, node, channel: str, field: dict):
    seed = field["seed"][0]
    fix = f"select the Start node's output in {field['label']}: {seed}"
    found = setting_copies(node, field["field"])
    if not found or all(as_text(c.value).strip() == "" for c in found):
        yield ctx.issue(found[0].pointer if found else node.pointer,
                        f"{field['label']} ({field['field']}) is empty; the {channel} channel takes it from the "
                        f"Start node ({seed})", node=node, fix=fix)
        return
    for copy in found:
        value = as_text(copy.value).strip()
        if "$(" not in value:
            yield ctx.issue(copy.pointer, f"{field['label']} ({copy.where}) is a literal value {shown(value)}, "
                                          f"not the customer's {seed}", node=node, fix=fix)
            return
        ref = _undefined(ctx, copy.pointer)
        if ref is not None:
            yield ctx.issue(copy.pointer, f"{field['label']} ({copy.where}) refers to {ref.text}, which the flow "
                                          f"does not define; the {channel} channel takes {seed}", node=node, fix=fix)
            return
