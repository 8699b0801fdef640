from connectflow.catalogue import is_destination_variable, placeholder_destinations
from connectflow.lint.registry import rule
from connectflow.model import as_text


@rule("CF101", "placeholder-destination", "error")
def check(ctx):
    """A start condition still filters on a template's sample asset id.

    Cisco's event and webhook templates ship with start conditions such as
    ``webex.destination equals OR06143228``: an asset of Cisco's authoring
    tenant. In your tenant no event carries that destination, so the flow never
    runs. Replace the value with your asset's App ID (Live Chat, Email,
    Messenger, WhatsApp) or SMS service number, e.g. with
    ``connectflow patch --asset-id OLD=NEW``, or remove the condition when the
    tenant has a single asset for the channel.
    """
    trigger = ctx.flow.trigger
    if trigger is None:
        return
    start = ctx.flow.start
    samples = placeholder_destinations()
    for condition in trigger.effective_conditions:
        value = as_text(condition.value)
        if is_destination_variable(condition.variable) and value in samples:
            yield ctx.issue(condition.value_pointer,
                            f"start condition {condition.variable} {condition.operator} {value} "
                            "uses a template sample asset id",
                            node=start, fix=f"set your tenant's asset id: connectflow patch --asset-id {value}=NEW_ID")
